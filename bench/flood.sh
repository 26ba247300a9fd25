#!/usr/bin/env bash
# bench/flood.sh — opsbot in HTTP mode under a flood of unsigned 1 MiB
# bodies (issue 13): its memory, and the latency of legitimate signed
# commands sent at the same time.
#
# Builds opsbot, bench/loadgen and bench/stubslack into a temporary
# folder, runs opsbot on SQLite on 127.0.0.1 (its Web API calls at start
# go to stubslack), then:
#   1. a baseline: CLIENTS legitimate closed-loop clients for DURATION s;
#   2. the same clients while ATTACKERS clients post SIZE-byte unsigned
#      bodies in a loop (half without signature headers, half with a
#      fresh timestamp and a wrong signature, which must be read to be
#      refused).
# It prints VmRSS before, VmHWM (the peak) after, and both latency lines.
#
# Settings (environment): CLIENTS (4), ATTACKERS (256), SIZE (1048576),
# DURATION seconds (10), KEEP=1 to keep the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."

clients=${CLIENTS:-4}
attackers=${ATTACKERS:-256}
size=${SIZE:-1048576}
duration=${DURATION:-10}
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')

work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-flood.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

go build -o "$work/opsbot" .
go build -o "$work/loadgen" ./bench/loadgen
go build -o "$work/stubslack" ./bench/stubslack
lg="$work/loadgen"
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
status() { awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

"$work/stubslack" >"$work/stub.url" 2>"$work/stub.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/stub.url" ] && break; sleep 0.05; done
stub=$(head -1 "$work/stub.url")

port=$("$lg" freeport)
t0=$(date +%s%N)
env ${GOMEMLIMIT:+GOMEMLIMIT=$GOMEMLIMIT} SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET="$secret" SLACK_APP_TOKEN= SLACK_API_URL="$stub" \
  OPSBOT_ADDR="127.0.0.1:$port" OPSBOT_DATABASE_URL="sqlite:$work/bench.db" OPSBOT_CONFIG= \
  "$work/opsbot" >"$work/opsbot.out" 2>"$work/opsbot.log" &
pid=$!
pids+=("$pid")
"$lg" ready -url "http://127.0.0.1:$port/healthz" -since "$t0" -timeout 30s >/dev/null ||
  { echo "flood.sh: opsbot did not start:"; cat "$work/opsbot.log"; exit 1; } >&2
sleep 1
url="http://127.0.0.1:$port/slack/commands"

echo "== machine: $(nproc) CPU(s), $(go env GOVERSION); $clients legitimate clients, ${duration}s per run"
echo "== baseline (no flood), RSS before: $(status "$pid" VmRSS) MB"
"$lg" load -url "$url" -secret "$secret" -clients "$clients" -duration "${duration}s" -text 'uv={n} paid=240' \
  -expect 'logged for' -response-url "${stub}response" | grep -E '^(RESULT|  error)'
echo "== RSS after the baseline: $(status "$pid" VmRSS) MB; peak so far (VmHWM): $(status "$pid" VmHWM) MB"
echo "== flood: $attackers attackers × $size-byte unsigned bodies (a separate process), the same legitimate load"
c0=$(cpu "$pid")
"$lg" flood -url "$url" -secret "$secret" -clients 0 -attackers "$attackers" -size "$size" \
  -warmup 2s -duration "$((duration + 1))s" >"$work/flood.out" &
flood=$!
pids+=("$flood")
sleep 2
"$lg" load -url "$url" -secret "$secret" -clients "$clients" -duration "${duration}s" -warmup 0s -text 'uv={n} paid=240' \
  -expect 'logged for' -response-url "${stub}response" | grep -E '^(RESULT|  error)'
wait "$flood"
grep '^attackers' "$work/flood.out"
c1=$(cpu "$pid")
echo "== opsbot CPU during the flood run: $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }') s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== RSS after: $(status "$pid" VmRSS) MB; peak (VmHWM): $(status "$pid" VmHWM) MB"
echo "== refusal log lines: $(grep -c 'refused request' "$work/opsbot.log" || true), summaries: $(grep -c 'not logged one by one' "$work/opsbot.log" || true)"
