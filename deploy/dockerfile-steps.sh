#!/usr/bin/env bash
# deploy/dockerfile-steps.sh — runs the Dockerfile's steps without a
# container engine, for machines (like CI's) that have none: the same
# build command, the runtime as a non-root user with the image's
# environment, and the HEALTHCHECK command, which must pass once the bot is
# up. It does not test the base images or apt-get. Where Docker runs,
# deploy/smoke.sh builds the real image and checks the whole deployment.
#
# Needs Go, a C compiler and root (to drop to an unprivileged user with
# setpriv). Set KEEP=1 to keep the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-docker.XXXXXX")
pid=
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== RUN go mod download; CGO_ENABLED=1 go build -trimpath -ldflags=\"-s -w\" -o /out/opsbot ."
go mod download
CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o "$work/opsbot" .
ls -l "$work/opsbot" | awk '{ printf "   binary: %.1f MB\n", $5 / 1048576 }'

echo "== USER 10001:10001, WORKDIR /data, ENV as in the image"
mkdir -p "$work/data"
chown 10001:10001 "$work/data"
chmod 755 "$work"
as_user() { setpriv --reuid=10001 --regid=10001 --clear-groups "$@"; }
metrics_port=$(go run ./bench/loadgen freeport)
# No Slack credentials: the bot runs its console, which also serves
# OPSBOT_METRICS_ADDR; its input is a FIFO held open so it keeps running.
mkfifo "$work/stdin"
(cd "$work/data" && exec setpriv --reuid=10001 --regid=10001 --clear-groups env -i PATH=/usr/bin:/bin HOME=/data \
  OPSBOT_DATABASE_URL="sqlite:$work/data/opsbot.db" OPSBOT_ADDR=:3000 OPSBOT_METRICS_ADDR="127.0.0.1:$metrics_port" \
  "$work/opsbot" <"$work/stdin" >"$work/out.log" 2>&1) &
pid=$!
exec 3>"$work/stdin"

echo "== HEALTHCHECK CMD opsbot health (OPSBOT_METRICS_ADDR=127.0.0.1:$metrics_port)"
for i in $(seq 100); do
  if out=$(as_user env -i OPSBOT_METRICS_ADDR="127.0.0.1:$metrics_port" "$work/opsbot" health 2>&1); then
    echo "   healthy after $i tries: $out"
    break
  fi
  [ "$i" = 100 ] && { echo "   never healthy: $out"; cat "$work/out.log"; exit 1; }
  sleep 0.1
done
owner=$(stat -c %u "$work/data/opsbot.db")
[ "$owner" = 10001 ] || { echo "database file owned by uid $owner, not 10001"; exit 1; }
echo "   database written by uid $owner (not root)"
echo "== OK: the Dockerfile's build, user and health check work"
