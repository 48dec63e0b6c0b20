#!/usr/bin/env bash
# Outage recovery benchmark (issue 20): a 1,000,000-row Asterisk Master.csv imported into the 1M-customer data set
# and turned into a ready callback campaign, each command timed with its peak memory (/usr/bin/time -v); then
# claim-next under 50 concurrent callers against `daymaker serve` (Benchmarks/campaign/claims.py).
#
#   bash Benchmarks/campaign/run.sh
#
# Needs the data set of Benchmarks/recognition/run.sh in $BENCH_WORK/bench.sqlite (program METRO) and the release
# build (.build-release). Each run first deletes the program's call records and campaigns (and the calls their callers
# made), so it can be repeated.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_WORK:-/tmp/daymaker-bench}
ROWS=${ROWS:-1000000}
BIN=.build-release/release/daymaker
export DAYMAKER_SQLITE_PATH=$WORK/bench.sqlite DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42
export DAYMAKER_PASSWORD_COST=10

# The outage was yesterday: the day before the data set's last contact (it was generated up to its "now"), so the
# contacts since the outage began are a day's, as when a center generates its campaign the morning after.
DAY=${DAY:-$(sqlite3 "$WORK/bench.sqlite" "SELECT date(MAX(arrived_at), 'unixepoch', '-1 day') FROM contacts
  WHERE program_id = (SELECT id FROM programs WHERE code = 'METRO')")}
NEXT=$(date -d "$DAY + 1 day" +%Y-%m-%d)
CSV=$WORK/Master-$DAY.csv
[ -s "$CSV" ] || python3 Benchmarks/campaign/master_csv.py --rows "$ROWS" --db "$WORK/bench.sqlite" --day "$DAY" > "$CSV"
$BIN migrate -y > /dev/null
# (with the calls an earlier run's callers made: their outbound contacts would count as got through)
sqlite3 "$DAYMAKER_SQLITE_PATH" \
  "DELETE FROM campaign_attempts; DELETE FROM campaign_calls; DELETE FROM campaigns; DELETE FROM call_records;
   DELETE FROM call_attempts; DELETE FROM contacts WHERE external_id LIKE 'campaign:%';"

# A center's database is in the page cache while it is in service (and this VM's host hands back idle cache within
# minutes): the file is read once first, as in Benchmarks/recognition/run.sh.
cat "$WORK"/bench.sqlite* > /dev/null
echo "== import"
/usr/bin/time -v $BIN import cdr "$CSV" --program METRO > "$WORK/campaign-import.txt" 2>&1 || true
grep -E "Imported|Calls in|Elapsed|Maximum resident" "$WORK/campaign-import.txt"
echo "== generate"
/usr/bin/time -v $BIN campaign generate --program METRO --from "$DAY 00:00" --until "$NEXT 00:00" \
  --days 1-7 --hours 00:00-24:00 > "$WORK/campaign-generate.txt" 2>&1
grep -E "Campaign|Elapsed|Maximum resident" "$WORK/campaign-generate.txt"
campaign=$(grep -o 'Campaign [0-9a-f-]*' "$WORK/campaign-generate.txt" | cut -d' ' -f2)

echo "== claim-next, 50 callers"
if [ ! -s "$WORK/tokens.txt" ]; then
  for i in $(seq 1 50); do
    echo "a long benchmark password" | $BIN user create --email "caller$i@bench.test" --name "Caller $i" --role rep --program METRO > /dev/null
    $BIN token create --user "caller$i@bench.test" --scope read,write --name claims | grep '^dmk_' >> "$WORK/tokens.txt"
  done
fi
DAYMAKER_PORT=8090 $BIN serve --env production --log warning > "$WORK/claims-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
until curl -sf http://127.0.0.1:8090/healthz > /dev/null; do sleep 0.1; done
# Reps sit down one after another (callers start over 1.5 s), and then all fifty at the same instant.
python3 Benchmarks/campaign/claims.py --base http://127.0.0.1:8090 --campaign "$campaign" --tokens "$WORK/tokens.txt" \
  --seconds 30 --talk 0.5-1.5 --ramp 1.5 | tee "$WORK/claims-talk.txt"
python3 Benchmarks/campaign/claims.py --base http://127.0.0.1:8090 --campaign "$campaign" --tokens "$WORK/tokens.txt" \
  --seconds 30 --talk 0.5-1.5 | tee "$WORK/claims-talk-together.txt"
python3 Benchmarks/campaign/claims.py --base http://127.0.0.1:8090 --campaign "$campaign" --tokens "$WORK/tokens.txt" \
  --seconds 20 --talk 0 | tee "$WORK/claims-burst.txt"
