#!/usr/bin/env bash
# bench/peer.sh — opsbot against a minimal app on Slack's Bolt for
# JavaScript 5.1.0, side by side, under the same load.
#
# opsbot runs in HTTP mode on SQLite and stores every /metric command
# before it acknowledges it; the Bolt app (bench/bolt/app.js) parses the
# key=value pairs and acknowledges, storing nothing. bench/loadgen sends
# the same signed slash commands to both, in alternating rounds, and this
# script prints throughput, latency, memory and start time for each.
#
# A third column, "Go floor" (bench/floor), is the least a Go app can do
# for the same load: net/http, slack-go's signature check, the same
# parsing and a JSON answer, storing nothing. It is not a target; it shows
# what the HTTP round trip alone costs on the machine at hand, so a miss
# can be told apart from a machine that cannot go faster. FLOOR=0 skips it.
#
# Needs Go and Node.js with npm. It builds into a temporary folder,
# installs @slack/bolt there with npm ci, runs everything on 127.0.0.1 and
# removes the folder at the end. Nothing reaches Slack: opsbot's Web API
# calls (auth.test and name lookups at start) go to bench/stubslack.
#
# Settings (environment): CLIENTS (32), DURATION seconds per round (10),
# WARMUP seconds before each round (1), ROUNDS per app (3), KEEP=1 to keep
# the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

clients=${CLIENTS:-32}
duration=${DURATION:-10}
warmup=${WARMUP:-1}
rounds=${ROUNDS:-3}
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
text='uv={n} pv=35000 orders=420 paid=380 sales=45,600.50'

for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "peer.sh: $tool is needed" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-peer.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

echo "== building into $work"
go build -o "$work/opsbot" .
go build -o "$work/loadgen" ./bench/loadgen
go build -o "$work/stubslack" ./bench/stubslack
go build -o "$work/floor" ./bench/floor
mkdir "$work/bolt"
cp bench/bolt/app.js bench/bolt/package.json bench/bolt/package-lock.json "$work/bolt/"
echo "== installing @slack/bolt 5.1.0 (npm ci)"
(cd "$work/bolt" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
lg="$work/loadgen"

# status PID FIELD prints a /proc/PID/status field in MB.
status() { awk -v f="$2:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# field LINE KEY prints KEY's value from a RESULT line.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# cpu PID prints the process's user+system CPU time in seconds.
cpu() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }

"$work/stubslack" >"$work/stub.url" 2>"$work/stub.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/stub.url" ] && break; sleep 0.05; done
stub=$(head -1 "$work/stub.url")

# start NAME PORT CMD… starts a server, waits for /healthz, and sets
# pid_NAME and ready_NAME (milliseconds from exec to the first 200).
start() {
  local name=$1 port=$2; shift 2
  local t0; t0=$(date +%s%N)
  "$@" >"$work/$name.out" 2>"$work/$name.log" &
  local pid=$!
  pids+=("$pid")
  local ready
  ready=$("$lg" ready -url "http://127.0.0.1:$port/healthz" -since "$t0" -timeout 30s) ||
    { echo "peer.sh: $name did not start:"; cat "$work/$name.log"; exit 1; } >&2
  printf -v "pid_$name" '%s' "$pid"
  printf -v "ready_$name" '%s' "$(field "$ready" ms)"
}

ops_port=$("$lg" freeport)
bolt_port=$("$lg" freeport)
start opsbot "$ops_port" env SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET="$secret" SLACK_APP_TOKEN= \
  SLACK_API_URL="$stub" OPSBOT_ADDR="127.0.0.1:$ops_port" OPSBOT_DATABASE_URL="sqlite:$work/bench.db" OPSBOT_CONFIG= \
  "$work/opsbot"
start bolt "$bolt_port" env SLACK_SIGNING_SECRET="$secret" PORT="$bolt_port" node "$work/bolt/app.js"
with_floor=${FLOOR:-1}
if [ "$with_floor" = 1 ]; then
  floor_port=$("$lg" freeport)
  start floor "$floor_port" env SLACK_SIGNING_SECRET="$secret" PORT="$floor_port" "$work/floor"
fi
sleep 1
idle_opsbot=$(status "$pid_opsbot" VmRSS)
idle_bolt=$(status "$pid_bolt" VmRSS)
if [ "$with_floor" = 1 ]; then idle_floor=$(status "$pid_floor" VmRSS); fi

echo "== machine: $(nproc) CPU(s), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(go env GOVERSION), node $(node --version)"
echo "== load: $clients clients, ${duration}s a round after ${warmup}s warm-up, $rounds round(s) each, alternating"
echo "   /metric $text"

declare -A rps p50 p95 p99 max errs cpus
run_round() {
  local name=$1 port=$2 expect=$3 pid=$4
  local c0 c1 out line
  c0=$(cpu "$pid")
  out=$("$lg" load -url "http://127.0.0.1:$port/slack/commands" -secret "$secret" -clients "$clients" \
    -duration "${duration}s" -warmup "${warmup}s" -text "$text" -expect "$expect" -response-url "${stub}response")
  c1=$(cpu "$pid")
  line=$(grep '^RESULT' <<<"$out")
  printf '   %-7s round %d: %s\n' "$name" "$r" "${line#RESULT }"
  grep '^  error:' <<<"$out" | sed 's/^/   /' || true
  rps[$name]+="$(field "$line" rps) "
  p50[$name]+="$(field "$line" p50) "
  p95[$name]+="$(field "$line" p95) "
  p99[$name]+="$(field "$line" p99) "
  max[$name]+="$(field "$line" max) "
  errs[$name]+="$(field "$line" errors) "
  # CPU seconds per 1,000 requests, warm-up included.
  cpus[$name]+="$(awk -v a="$c0" -v b="$c1" -v n="$(field "$line" requests)" -v d="$duration" -v w="$warmup" \
    'BEGIN { printf "%.3f", (b - a) / (n * (d + w) / d) * 1000 }') "
}
for r in $(seq "$rounds"); do
  run_round opsbot "$ops_port" "logged for" "$pid_opsbot"
  run_round bolt "$bolt_port" "logged" "$pid_bolt"
  if [ "$with_floor" = 1 ]; then run_round floor "$floor_port" "logged" "$pid_floor"; fi
done
peak_opsbot=$(status "$pid_opsbot" VmHWM)
peak_bolt=$(status "$pid_bolt" VmHWM)
if [ "$with_floor" = 1 ]; then peak_floor=$(status "$pid_floor" VmHWM); fi

# median prints the median of numbers.
median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo
echo "== side by side (median of $rounds rounds)"
printf '%-34s %14s %14s %14s\n' "" "opsbot" "Bolt JS 5.1.0" "Go floor"
row() { printf '%-34s %14s %14s %14s\n' "$1" "$2" "$3" "${4:--}"; }
# each NAME prints the median of an array's rounds for opsbot, bolt, floor.
med3() {
  local -n a=$1
  median "${a[opsbot]}"
  median "${a[bolt]}"
  if [ "$with_floor" = 1 ]; then median "${a[floor]}"; else echo; fi
}
row3() { local label=$1; shift; mapfile -t v < <(med3 "$1"); row "$label" "${v[0]}" "${v[1]}" "${v[2]}"; }
total() { tr ' ' '\n' <<<"$1" | awk '{ s += $1 } END { print s + 0 }'; }
row "stores each command" "yes (SQLite)" "no" "no"
row3 "throughput (req/s)" rps
row3 "latency p50 (ms)" p50
row3 "latency p95 (ms)" p95
row3 "latency p99 (ms)" p99
row3 "latency max (ms)" max
row "errors (all rounds)" "$(total "${errs[opsbot]}")" "$(total "${errs[bolt]}")" "$([ "$with_floor" = 1 ] && total "${errs[floor]}")"
row3 "CPU seconds per 1,000 requests" cpus
row "start to ready (ms)" "$ready_opsbot" "$ready_bolt" "${ready_floor:-}"
row "RSS idle after start (MB)" "$idle_opsbot" "$idle_bolt" "${idle_floor:-}"
row "RSS peak under load (MB)" "$peak_opsbot" "$peak_bolt" "${peak_floor:-}"

echo
echo "== targets for opsbot"
ratio=$(awk -v a="$(median "${rps[opsbot]}")" -v b="$(median "${rps[bolt]}")" 'BEGIN { printf "%.3f", a / b }')
check() { # check NAME GOT OP LIMIT UNIT
  local ok; ok=$(awk -v g="$2" -v l="$4" -v op="$3" 'BEGIN { print (op == ">=" ? g >= l : g <= l) ? "met" : "MISSED" }')
  printf '   %-34s %s %s (target %s %s%s)\n' "$1" "$2$5" "$ok" "$3" "$4" "$5"
}
check "throughput vs Bolt" "${ratio}" ">=" "2" "x"
check "p99 at $clients clients" "$(median "${p99[opsbot]}")" "<=" "10" " ms"
check "idle RSS" "$idle_opsbot" "<=" "30" " MB"
check "start to ready" "$ready_opsbot" "<=" "300" " ms"
if [ "$with_floor" = 1 ]; then
  echo "   (not a target) Go floor vs Bolt    $(awk -v a="$(median "${rps[floor]}")" -v b="$(median "${rps[bolt]}")" 'BEGIN { printf "%.3fx", a / b }'): how fast this machine can answer the load at all"
fi
