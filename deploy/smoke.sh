#!/usr/bin/env bash
# deploy/smoke.sh — runs deploy/compose.yaml for real and checks it as an
# operator would, against what docs/OPERATIONS.md promises:
#   - the Dockerfile builds an image that runs as a non-root user and has
#     a HEALTHCHECK;
#   - PostgreSQL, both replicas and Prometheus come up healthy;
#   - signed /metric commands sent to both replicas round robin are
#     answered, and each answered command is stored exactly once;
#   - Prometheus scrapes both replicas, and /metrics counts the commands;
#   - a replica whose process is killed (SIGKILL) is restarted by the
#     restart policy, becomes healthy again, and loses nothing answered;
#   - pg_dump in the database's container makes a backup that restores
#     the tables.
# A stub Slack (bench/stubslack) runs as one more container on the
# project's network, so no token and no network beyond the machine is
# needed.
#
# Needs Docker with the compose plugin, curl, and Go to build the stub and
# the load generator. It uses a compose project of its own (opsbot-smoke),
# with deploy/opsbot.env and deploy/opsbot.yaml made for the run and
# removed after it; it refuses to run where those files exist, since they
# are a real deployment's. KEEP=1 leaves the project running.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in docker go curl; do
  command -v "$tool" >/dev/null || { echo "smoke.sh: $tool is needed" >&2; exit 1; }
done
docker compose version >/dev/null 2>&1 || { echo "smoke.sh: the docker compose plugin is needed" >&2; exit 1; }
for f in deploy/opsbot.env deploy/opsbot.yaml; do
  if [ -e "$f" ]; then
    echo "smoke.sh: $f exists (a deployment's own file); run the smoke test in a fresh checkout" >&2
    exit 1
  fi
done

project=opsbot-smoke
work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-smoke.XXXXXX")
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
dc() { docker compose -p "$project" -f deploy/compose.yaml -f "$work/smoke.yaml" "$@"; }
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept: docker compose -p $project -f deploy/compose.yaml -f $work/smoke.yaml down -v"
    return
  fi
  dc down -v --remove-orphans >/dev/null 2>&1 || true
  rm -f deploy/opsbot.env deploy/opsbot.yaml
  rm -rf "$work"
}
trap cleanup EXIT

failed=0
# check WHAT OK: prints a verdict line; a failure fails the run at the end.
check() {
  if [ "$2" = 1 ]; then
    echo "   ok      $1"
  else
    echo "   FAILED  $1"
    failed=1
  fi
}

echo "== building the stub Slack, the load generator and the config"
CGO_ENABLED=0 go build -o "$work/stubslack" ./bench/stubslack
go build -o "$work/loadgen" ./bench/loadgen
go build -o "$work/opsbot" .
"$work/opsbot" config init deploy/opsbot.yaml >/dev/null
cat >deploy/opsbot.env <<EOF
SLACK_BOT_TOKEN=xoxb-smoke
SLACK_APP_TOKEN=
SLACK_SIGNING_SECRET=$secret
SLACK_API_URL=http://slack:8080/api/
EOF
cat >"$work/smoke.yaml" <<EOF
services:
  slack:
    image: opsbot:latest
    pull_policy: never
    entrypoint: ["/stub/stubslack", "-public", "-addr", "0.0.0.0:8080"]
    volumes: ["$work/stubslack:/stub/stubslack:ro"]
    healthcheck: {disable: true}
EOF

# health SERVICE prints the container's health status.
health() { docker inspect -f '{{.State.Health.Status}}' "$(dc ps -q "$1")"; }
services="postgres opsbot-1 opsbot-2 prometheus"

echo "== docker compose up --build (the first build downloads the Go modules)"
t0=$(date +%s)
dc up -d --build >"$work/up.log" 2>&1 || { tail -40 "$work/up.log"; exit 1; }
for _ in $(seq 300); do
  waiting=0
  for s in $services; do
    [ "$(health "$s" 2>/dev/null)" = healthy ] || waiting=1
  done
  [ "$waiting" = 0 ] && break
  sleep 1
done
echo "   up in $(($(date +%s) - t0)) s"
dc ps --format 'table {{.Service}}\t{{.Status}}'

echo "== the image"
check "runs as a non-root user ($(docker image inspect opsbot:latest -f '{{.Config.User}}'))" \
  "$([ "$(docker image inspect opsbot:latest -f '{{.Config.User}}')" = 10001:10001 ] && echo 1)"
check "has a HEALTHCHECK ($(docker image inspect opsbot:latest -f '{{json .Config.Healthcheck.Test}}'))" \
  "$(docker image inspect opsbot:latest -f '{{json .Config.Healthcheck.Test}}' | grep -q 'opsbot","health' && echo 1)"

for s in $services; do
  check "$s is healthy" "$([ "$(health "$s")" = healthy ] && echo 1)"
done

# stored prints how many audit entries the database holds (5 a command).
stored() { dc exec -T postgres psql -U opsbot -d opsbot -tAc 'SELECT count(*) FROM audit_entries'; }
# load URLS SECONDS sends signed /metric commands and prints the RESULT line.
load() {
  "$work/loadgen" load -url "$1" -secret "$secret" -clients 8 -duration "$2s" -warmup 0s \
    -text 'uv={n} pv=35000 orders=420 paid=380 sales=45,600.50' -expect "logged for" \
    -response-url http://127.0.0.1:9/response | grep '^RESULT'
}
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }
both=http://127.0.0.1:3001/slack/commands,http://127.0.0.1:3002/slack/commands

echo "== commands to both replicas"
before=$(stored)
r=$(load "$both" 3)
echo "   $r"
answered=$(field "$r" ok_all)
after=$(stored)
check "every command answered ($(field "$r" errors) errors)" "$([ "$(field "$r" errors)" = 0 ] && [ "$answered" -gt 0 ] && echo 1)"
check "stored exactly once: $answered answered, $(((after - before) / 5)) stored" "$([ $((after - before)) = $((answered * 5)) ] && echo 1)"

echo "== metrics"
check "/metrics of a replica counts the commands" \
  "$(curl -fsS http://127.0.0.1:3001/metrics | grep -q '^opsbot_commands_total{.*} [1-9]' && echo 1)"
up=0
for _ in $(seq 60); do
  up=$(curl -fsS http://127.0.0.1:9090/api/v1/targets 2>/dev/null | grep -o '"health":"up"' | wc -l)
  [ "$up" -ge 2 ] && break
  sleep 1
done
check "Prometheus scrapes both replicas ($up targets up)" "$([ "$up" -ge 2 ] && echo 1)"
check "Prometheus loaded the alerting rules" \
  "$(curl -fsS http://127.0.0.1:9090/api/v1/rules | grep -q '"type":"alerting"' && echo 1)"

echo "== a replica killed (SIGKILL to its process) under load"
cid=$(dc ps -q opsbot-1)
restarts0=$(docker inspect -f '{{.RestartCount}}' "$cid")
before=$(stored)
load "$both" 4 >"$work/kill.out" &
sleep 1.5
# The process itself, from the host (the engine runs here, and this needs
# root): a crash, which the restart policy answers, unlike `docker kill`.
kill -9 "$(docker inspect -f '{{.State.Pid}}' "$cid")"
wait $!
r=$(cat "$work/kill.out")
echo "   $r"
echo "   (the killed replica's clients get errors until it is back)"
back=0
for _ in $(seq 120); do
  if [ "$(docker inspect -f '{{.RestartCount}}' "$cid")" -gt "$restarts0" ] && [ "$(health opsbot-1)" = healthy ]; then
    back=1
    break
  fi
  sleep 1
done
check "the restart policy brought it back, healthy" "$back"
r2=$(load "$both" 2)
echo "   both again: $r2"
check "both answer again ($(field "$r2" errors) errors)" "$([ "$(field "$r2" errors)" = 0 ] && echo 1)"
answered=$(($(field "$r" ok_all) + $(field "$r2" ok_all)))
after=$(stored)
got=$(((after - before) / 5))
# Every answered command is stored; a command the killed replica stored
# but could not answer is stored too, so up to one a client more.
check "nothing answered lost or doubled: $answered answered, $got stored" \
  "$([ $((after - before)) = $((got * 5)) ] && [ "$got" -ge "$answered" ] && [ "$got" -le $((answered + 8)) ] && echo 1)"

echo "== backup and restore (docs/OPERATIONS.md)"
dc exec -T postgres pg_dump -U opsbot --format=custom --file=/backups/smoke.dump opsbot
dc exec -T postgres createdb -U opsbot restored
dc exec -T postgres pg_restore -U opsbot -d restored /backups/smoke.dump
copied=$(dc exec -T postgres psql -U opsbot -d restored -tAc 'SELECT count(*) FROM audit_entries')
check "pg_dump's backup restores ($copied audit entries of $after)" "$([ "$copied" = "$after" ] && echo 1)"
dc exec -T postgres rm -f /backups/smoke.dump

if [ "$failed" = 1 ]; then
  echo "== smoke test FAILED"
  exit 1
fi
echo "== smoke test passed"
