#!/bin/bash
# bench/rss.sh BIN — idle RSS and start to ready of opsbot in HTTP mode against
# bench/stubslack on a fresh SQLite file. Build first into /tmp/o17:
#   mkdir -p /tmp/o17 && go build -o /tmp/o17/opsbot . && go build -o /tmp/o17/stub ./bench/stubslack && go build -o /tmp/o17/lg ./bench/loadgen
set -u
cd /tmp/o17
./stub > stub.url 2>/dev/null & sp=$!
sleep 0.3; stub=$(head -1 stub.url)
port=$(./lg freeport)
rm -f rss.db*
t0=$(date +%s%N)
env SLACK_BOT_TOKEN=xoxb-x SLACK_SIGNING_SECRET=s SLACK_APP_TOKEN= SLACK_API_URL=$stub OPSBOT_ADDR=127.0.0.1:$port OPSBOT_DATABASE_URL=sqlite:/tmp/o17/rss.db OPSBOT_CONFIG= $1 2>/dev/null & p=$!
./lg ready -url http://127.0.0.1:$port/healthz -since $t0
sleep 1
grep -E "VmRSS|RssAnon|RssFile" /proc/$p/status | tr "\n" " "; echo; awk "/^[0-9a-f]+-/ {m=\$0} /^Rss:/ {print \$2, m}" /proc/$p/smaps | sort -rn | head -8
kill $p $sp; wait 2>/dev/null
