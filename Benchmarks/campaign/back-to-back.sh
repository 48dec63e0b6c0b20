#!/usr/bin/env bash
# Outage recovery, two release builds back to back on one data set (issue 20's target: import + generation of a
# 1,000,000-row Master.csv ≤ 10 s on SQLite): `daymaker import cdr` then `daymaker campaign generate`, each timed
# with its peak memory, alternating BIN_A and BIN_B for PAIRS pairs (default 3), the call records and campaigns
# deleted and the file read into the page cache before each run. A checksum of the calls stored shows both builds
# make the same campaign.
#
#   BIN_A=/tmp/daymaker-before BIN_B=.build-release/release/daymaker bash Benchmarks/campaign/back-to-back.sh
#
# Needs the data set and Master.csv of Benchmarks/campaign/run.sh in BENCH_WORK, migrated by the newer build. A
# build from before call_attempts (migration 024) read the legs through their covering index: LEGS_INDEX_A=1 gives
# it that index back for its runs (and it is dropped for the other's).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_WORK:-/tmp/daymaker-bench}
DB=$WORK/bench.sqlite
export DAYMAKER_SQLITE_PATH=$DB DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42
DAY=${DAY:-$(sqlite3 "$DB" "SELECT date(MAX(arrived_at), 'unixepoch', '-1 day') FROM contacts
  WHERE program_id = (SELECT id FROM programs WHERE code = 'METRO')")}
NEXT=$(date -d "$DAY + 1 day" +%Y-%m-%d)
CSV=$WORK/Master-$DAY.csv
for pair in $(seq "${PAIRS:-3}"); do
  for label in A B; do
    bin_var=BIN_$label; bin=${!bin_var}
    sqlite3 "$DB" "DELETE FROM campaign_attempts; DELETE FROM campaign_calls; DELETE FROM campaigns;
      DELETE FROM call_records; DELETE FROM call_attempts; DELETE FROM contacts WHERE external_id LIKE 'campaign:%';"
    if [ "$label" = A ] && [ "${LEGS_INDEX_A:-0}" = 1 ]; then
      sqlite3 "$DB" "CREATE INDEX IF NOT EXISTS idx_call_records_merge ON call_records
        (program_id, started_at, attempt_key, from_address, from_problem, answered)"
    else
      sqlite3 "$DB" "DROP INDEX IF EXISTS idx_call_records_merge"
    fi
    cat "$DB"* > /dev/null
    /usr/bin/time -o "$WORK/b2b-import-time.txt" -f "%e %M" $bin import cdr "$CSV" --program METRO \
      > "$WORK/b2b-import.txt" 2>&1 || true
    /usr/bin/time -o "$WORK/b2b-generate-time.txt" -f "%e %M" $bin campaign generate --program METRO \
      --from "$DAY 00:00" --until "$NEXT 00:00" --days 1-7 --hours 00:00-24:00 > "$WORK/b2b-generate.txt" 2>&1
    # (the import exits non-zero when rows were rejected, and time says so on a line of its own)
    read -r import_s import_kb < <(tail -1 "$WORK/b2b-import-time.txt")
    read -r generate_s generate_kb < <(tail -1 "$WORK/b2b-generate-time.txt")
    calls=$(sqlite3 "$DB" "SELECT number, problem, customer_ids, zone, attempts, first_attempt_at, last_attempt_at,
      state, priority, care, channels, explicit FROM campaign_calls ORDER BY number" | md5sum | cut -c1-8)
    printf "pair %s %s: import %s s (%s MB), generate %s s (%s MB), together %s s; %s; calls %s\n" "$pair" "$label" \
      "$import_s" $((import_kb / 1024)) "$generate_s" $((generate_kb / 1024)) \
      "$(echo "$import_s + $generate_s" | bc)" \
      "$(grep -o '[0-9]* numbers to call, [0-9]* that cannot be called' "$WORK/b2b-generate.txt")" "$calls"
  done
done
