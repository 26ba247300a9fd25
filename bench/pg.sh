#!/usr/bin/env bash
# bench/pg.sh — opsbot on PostgreSQL, one replica and two behind a round
# robin, against `pgbench -N` on the same server and a minimal Bolt for
# JavaScript app, side by side, under the same load.
#
# opsbot runs in HTTP mode and stores every /metric command before it
# acknowledges it. bench/loadgen sends the same signed slash commands to
# each setup in turn (with two replicas, its clients are spread over them
# round robin). pgbench runs its built-in simple-update script (-N: one
# UPDATE of a random account, one SELECT, one UPDATE of its own account
# history… five statements a transaction) with as many clients.
#
# After each opsbot round it counts the audit entries in the database:
# every answered command must be stored exactly once (5 figures a command).
#
# Needs Go, Node.js with npm, psql and pgbench (Debian: postgresql-client
# and postgresql-contrib), and a PostgreSQL where PGURL's user may create
# databases. It creates two databases (opsbot_bench_PID and
# pgbench_bench_PID) and drops them at the end.
#
# Settings (environment): PGURL (postgres://postgres@127.0.0.1:5432/test),
# CLIENTS (32), DURATION seconds per round (10), WARMUP (1), ROUNDS (3),
# BOLT=0 to skip Bolt, KEEP=1 to keep the temporary folder and databases.
set -euo pipefail
cd "$(dirname "$0")/.."

pgurl=${PGURL:-postgres://postgres@127.0.0.1:5432/test}
clients=${CLIENTS:-32}
duration=${DURATION:-10}
warmup=${WARMUP:-1}
rounds=${ROUNDS:-3}
with_bolt=${BOLT:-1}
secret=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
text='uv={n} pv=35000 orders=420 paid=380 sales=45,600.50'
figures=5 # in $text

tools="go psql pgbench"
[ "$with_bolt" = 1 ] && tools="$tools node npm"
for tool in $tools; do
  command -v "$tool" >/dev/null || { echo "pg.sh: $tool is needed" >&2; exit 1; }
done
psql "$pgurl" -Atqc 'SELECT 1' >/dev/null || { echo "pg.sh: PostgreSQL does not answer at $pgurl" >&2; exit 1; }

# dburl NAME is PGURL with its database replaced.
dburl() { sed -E "s#^(postgres(ql)?://[^/]+/)[^?]*#\1$1#" <<<"$pgurl"; }
opsdb=opsbot_bench_$$
benchdb=pgbench_bench_$$
with_query() { case "$1" in *\?*) echo "$1&$2" ;; *) echo "$1?$2" ;; esac; }
opsurl=$(with_query "$(dburl "$opsdb")" sslmode=disable)

work=$(mktemp -d "${TMPDIR:-/tmp}/opsbot-pg.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept $work and databases $opsdb, $benchdb"
  else
    rm -rf "$work"
    psql "$pgurl" -qc "DROP DATABASE IF EXISTS $opsdb" -c "DROP DATABASE IF EXISTS $benchdb" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

psql "$pgurl" -qc "CREATE DATABASE $opsdb" -c "CREATE DATABASE $benchdb" >/dev/null

echo "== building into $work"
go build -o "$work/opsbot" .
go build -o "$work/loadgen" ./bench/loadgen
go build -o "$work/stubslack" ./bench/stubslack
if [ "$with_bolt" = 1 ]; then
  mkdir "$work/bolt"
  cp bench/bolt/app.js bench/bolt/package.json bench/bolt/package-lock.json "$work/bolt/"
  echo "== installing @slack/bolt 5.1.0 (npm ci)"
  (cd "$work/bolt" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
lg="$work/loadgen"

field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

"$work/stubslack" >"$work/stub.url" 2>"$work/stub.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/stub.url" ] && break; sleep 0.05; done
stub=$(head -1 "$work/stub.url")

# start NAME PORT CMD… starts a server and waits for /healthz.
start() {
  local name=$1 port=$2; shift 2
  "$@" >"$work/$name.out" 2>"$work/$name.log" &
  pids+=($!)
  "$lg" ready -url "http://127.0.0.1:$port/healthz" -timeout 30s >/dev/null ||
    { echo "pg.sh: $name did not start:"; cat "$work/$name.log"; exit 1; } >&2
}
opsbot_env() { # opsbot_env PORT
  echo env SLACK_BOT_TOKEN=xoxb-bench SLACK_SIGNING_SECRET="$secret" SLACK_APP_TOKEN= \
    SLACK_API_URL="$stub" OPSBOT_ADDR="127.0.0.1:$1" OPSBOT_DATABASE_URL="$opsurl" OPSBOT_CONFIG=
}
port1=$("$lg" freeport)
port2=$("$lg" freeport)
# Started one after the other: the first migrates the empty database.
start opsbot1 "$port1" $(opsbot_env "$port1") "$work/opsbot"
start opsbot2 "$port2" $(opsbot_env "$port2") "$work/opsbot"
if [ "$with_bolt" = 1 ]; then
  bolt_port=$("$lg" freeport)
  start bolt "$bolt_port" env SLACK_SIGNING_SECRET="$secret" PORT="$bolt_port" node "$work/bolt/app.js"
fi

echo "== pgbench -i ($benchdb)"
pgbench -i -q "$(dburl "$benchdb")" >"$work/pgbench-init.log" 2>&1
echo "== machine: $(nproc) CPU(s), $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(psql "$pgurl" -Atc 'SHOW server_version'), $(go env GOVERSION)"
echo "== load: $clients clients, ${duration}s a round after ${warmup}s warm-up, $rounds round(s) each, in turn"

declare -A rps p50 p99 max errs
stored=0 answered=0
audit() { psql "$opsurl" -Atc "SELECT count(*) FROM audit_entries WHERE action = 'metric.set'"; }
run_ops() { # run_ops NAME URLS
  local before after out line
  before=$(audit)
  out=$("$lg" load -url "$2" -secret "$secret" -clients "$clients" -duration "${duration}s" -warmup "${warmup}s" \
    -text "$text" -expect "logged for" -response-url "${stub}response")
  after=$(audit)
  line=$(grep '^RESULT' <<<"$out")
  printf '   %-16s round %d: %s\n' "$1" "$r" "${line#RESULT }"
  grep '^  error:' <<<"$out" | sed 's/^/   /' || true
  rps[$1]+="$(field "$line" rps) "
  p50[$1]+="$(field "$line" p50) "
  p99[$1]+="$(field "$line" p99) "
  max[$1]+="$(field "$line" max) "
  errs[$1]+="$(field "$line" errors) "
  answered=$((answered + $(field "$line" ok_all)))
  stored=$((stored + (after - before) / figures))
}
for r in $(seq "$rounds"); do
  out=$(pgbench -N -n -c "$clients" -j 2 -T "$((duration + warmup))" "$(dburl "$benchdb")" 2>&1)
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -1)
  lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
  printf '   %-16s round %d: tps=%s latency_avg=%s ms\n' "pgbench -N" "$r" "$tps" "$lat"
  rps[pgbench]+="$tps "
  p50[pgbench]+="$lat "
  run_ops opsbot-pg "http://127.0.0.1:$port1/slack/commands"
  run_ops opsbot-pg-x2 "http://127.0.0.1:$port1/slack/commands,http://127.0.0.1:$port2/slack/commands"
  if [ "$with_bolt" = 1 ]; then
    out=$("$lg" load -url "http://127.0.0.1:$bolt_port/slack/commands" -secret "$secret" -clients "$clients" \
      -duration "${duration}s" -warmup "${warmup}s" -text "$text" -expect "logged")
    line=$(grep '^RESULT' <<<"$out")
    printf '   %-16s round %d: %s\n' bolt "$r" "${line#RESULT }"
    rps[bolt]+="$(field "$line" rps) "
    p50[bolt]+="$(field "$line" p50) "
    p99[bolt]+="$(field "$line" p99) "
    max[bolt]+="$(field "$line" max) "
    errs[bolt]+="$(field "$line" errors) "
  fi
done

median() { tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
sum() { tr ' ' '\n' <<<"$1" | awk '{ s += $1 } END { print s + 0 }'; }

echo
echo "== side by side (median of $rounds rounds)"
printf '%-26s %14s %14s %14s %14s\n' "" "opsbot PG" "opsbot PG x2" "pgbench -N" "Bolt JS 5.1.0"
row() { printf '%-26s %14s %14s %14s %14s\n' "$@"; }
row "stores each command" "yes" "yes" "(5 statements)" "no"
row "throughput (req/s, tps)" "$(median "${rps[opsbot-pg]}")" "$(median "${rps[opsbot-pg-x2]}")" "$(median "${rps[pgbench]}")" "$(median "${rps[bolt]:-}")"
row "latency p50 (ms)" "$(median "${p50[opsbot-pg]}")" "$(median "${p50[opsbot-pg-x2]}")" "avg $(median "${p50[pgbench]}")" "$(median "${p50[bolt]:-}")"
row "latency p99 (ms)" "$(median "${p99[opsbot-pg]}")" "$(median "${p99[opsbot-pg-x2]}")" "-" "$(median "${p99[bolt]:-}")"
row "latency max (ms)" "$(median "${max[opsbot-pg]}")" "$(median "${max[opsbot-pg-x2]}")" "-" "$(median "${max[bolt]:-}")"
row "errors (all rounds)" "$(sum "${errs[opsbot-pg]}")" "$(sum "${errs[opsbot-pg-x2]}")" "-" "$(sum "${errs[bolt]:-}")"

echo
echo "== targets for opsbot on PostgreSQL"
check() { # check NAME GOT OP LIMIT UNIT
  local ok; ok=$(awk -v g="$2" -v l="$4" -v op="$3" 'BEGIN { print (op == ">=" ? g >= l : op == "==" ? g == l : g <= l) ? "met" : "MISSED" }')
  printf '   %-40s %s %s (target %s %s%s)\n' "$1" "$2$5" "$ok" "$3" "$4" "$5"
}
check "throughput vs pgbench -N at $clients clients" "$(median "${rps[opsbot-pg]}")" ">=" "$(median "${rps[pgbench]}")" ""
check "p99 at $clients clients" "$(median "${p99[opsbot-pg]}")" "<=" "50" " ms"
check "two replicas vs one" "$(median "${rps[opsbot-pg-x2]}")" ">=" "$(median "${rps[opsbot-pg]}")" ""
check "p99 with two replicas" "$(median "${p99[opsbot-pg-x2]}")" "<=" "50" " ms"
check "commands stored (answered $answered)" "$stored" "==" "$answered" ""
