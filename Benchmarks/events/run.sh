#!/usr/bin/env bash
# Contact-events benchmark: POST /api/v1/events on the data the recognition benchmark generated (1,000,000
# customers, 10,000,000 contacts; run Benchmarks/recognition/run.sh first, same BENCH_WORK), with 500 reps of the
# generated programs on shift and available (`daymaker staff`). Calls arrive and hang up a moment later (see
# events.lua), one event per request and in batches of 50; wrk measures the webhook, the server logs how many events
# it wrote in how many groups (`Events: …`) and how long its routing decisions take (`Routing: …`) every 10 s, and
# the server's memory and time to ready are recorded.
#
#   bash Benchmarks/events/run.sh
#
# RUNS=N (default 3) repeats the measurements on the same server. SKIP_POSTGRES=1 measures SQLite only,
# SKIP_SQLITE=1 PostgreSQL only.
# REPORT_ONLY=1 writes the document again from the last runs' files; BENCH_OUT names it (default
# docs/benchmarks/events-DATE.md). Needs wrk and, for PostgreSQL, the database the recognition benchmark left
# (BENCH_DATABASE_URL, as there).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-3}
# What is measured: single events or batches of 50, each at a number of connections (a group of events written
# together can be no larger than what the connections have in flight).
KINDS=${KINDS:-single-16 single-64 batch-2 batch-4}
PG_URL=${BENCH_DATABASE_URL:-postgres+uds://daymaker:daymaker@localhost/var/run/postgresql/.s.PGSQL.5432#daymaker_bench}
PG_DB=${PG_URL##*#}
WORK=${BENCH_WORK:-/tmp/daymaker-bench}
OUT=${BENCH_OUT:-docs/benchmarks/events-$(date +%Y-%m-%d).md}
# BENCH_BIN measures another build (an earlier commit's, for a comparison) instead of building this checkout's.
BIN=${BENCH_BIN:-.build-release/release/daymaker}
export DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42
[ -s "$WORK/lookups.tsv" ] || { echo "no generated data in $WORK: run Benchmarks/recognition/run.sh first" >&2; exit 1; }
[ -n "${REPORT_ONLY:-}${BENCH_BIN:-}" ] || swift build -c release --scratch-path .build-release --product daymaker

leftovers() {  # $1 = label: the benchmark's calls still waiting (external id, program code)
  local query="SELECT c.external_id, p.code FROM contacts c JOIN programs p ON p.id = c.program_id WHERE c.status = 'queued' AND c.external_id IS NOT NULL"
  if [ "$1" = sqlite ]; then
    sqlite3 -separator $'\t' "$WORK/bench.sqlite" "$query"
  else
    PGPASSWORD=daymaker psql -h 127.0.0.1 -U daymaker -d "$PG_DB" -tA -F $'\t' -c "$query"
  fi
}

# Between runs: the calls wrk left waiting are hung up (or their offers would expire 20 s later and make their reps
# away), and every rep is available again.
reset() {  # $1 = label, $2 = token
  leftovers "$1" | python3 Benchmarks/events/hang-up.py http://127.0.0.1:8091 "$2"
  $BIN staff --reps 500 > /dev/null
}

# Afterwards the benchmark's calls are deleted again (with their events, offers and surveys), so every run, and the
# other benchmarks on the same data (the campaign's contacts since the outage, the insights), start from the data
# set as generated: `daymaker generate` gives no contact an external id, and every call this benchmark makes has one
# (a campaign's calls, `campaign:…`, are the campaign benchmark's). (Roll-ups the insight loop counted from them stay.)
forget() {  # $1 = label
  local mine="external_id IS NOT NULL AND external_id NOT LIKE 'campaign:%'"
  local calls="SELECT id FROM contacts WHERE $mine"
  local sql="DELETE FROM offers WHERE contact_id IN ($calls); DELETE FROM contact_events WHERE contact_id IN ($calls);
    DELETE FROM surveys WHERE contact_id IN ($calls); DELETE FROM contacts WHERE $mine;"
  if [ "$1" = sqlite ]; then
    sqlite3 "$WORK/bench.sqlite" "$sql"
  else
    PGPASSWORD=daymaker psql -q -h 127.0.0.1 -U daymaker -d "$PG_DB" -c "$sql"
  fi
}

# A center's offers table holds its history: the accepted offer of every contact answered in the last 30 days is
# written once (`daymaker generate` writes contacts, not offers). Without it the table holds only a run's own offers,
# growing from none to tens of thousands within the run, and PostgreSQL's plans, made while its statistics still
# said "empty", read the whole table wherever they look for open offers (the partial indexes on open offers are what
# a center's plans use). `forget` leaves these offers alone (their contacts have no external id).
history() {  # $1 = label
  local recent="rep_id IS NOT NULL AND external_id IS NULL"
  if [ "$1" = sqlite ]; then
    local uuid="upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-A'
      || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
    [ "$(sqlite3 "$WORK/bench.sqlite" "SELECT count(*) > 100000 FROM offers")" = 1 ] && return
    sqlite3 "$WORK/bench.sqlite" "INSERT INTO offers (id, program_id, contact_id, rep_id, reason, status, offered_at,
      expires_at, decided_at) SELECT $uuid, program_id, id, rep_id, 'available', 'accepted', arrived_at,
      arrived_at + 20, arrived_at + 4 FROM contacts WHERE $recent AND arrived_at >= unixepoch('now') - 30 * 86400"
  else
    local psql="psql -q -h 127.0.0.1 -U daymaker -d $PG_DB"
    [ "$(PGPASSWORD=daymaker $psql -tAc "SELECT count(*) > 100000 FROM offers")" = t ] && return
    PGPASSWORD=daymaker $psql -c "INSERT INTO offers (id, program_id, contact_id, rep_id, reason, status, offered_at,
      expires_at, decided_at) SELECT gen_random_uuid(), program_id, id, rep_id, 'available', 'accepted', arrived_at,
      arrived_at + interval '20 seconds', arrived_at + interval '4 seconds' FROM contacts
      WHERE $recent AND arrived_at >= now() - interval '30 days'" -c "ANALYZE offers"
  fi
}

# The database's files read into the page cache first, so a run does not measure what another benchmark (or the
# other database's runs: both hold 10M contacts) left there. PG_DATA names PostgreSQL's data directory.
warm() {  # $1 = label
  if [ "$1" = sqlite ]; then
    cat "$WORK"/bench.sqlite* > /dev/null
  else
    local oid
    oid=$(PGPASSWORD=daymaker psql -h 127.0.0.1 -U daymaker -d "$PG_DB" -tAc "SELECT oid FROM pg_database WHERE datname = current_database()")
    cat "${PG_DATA:-/var/lib/postgresql/15/main}/base/$oid/"* > /dev/null 2>&1 \
      || echo "PostgreSQL's files are not readable here: not read into the page cache first" >&2
  fi
}

run_one() {  # $1 = label; the environment selects the database
  local label=$1
  forget "$label"  # what an interrupted run left
  history "$label"
  warm "$label"
  $BIN migrate -y > /dev/null
  $BIN staff --reps 500 | tee "$WORK/events-$label-staff.txt"
  local token
  token=$($BIN token create --user bench@generated.test --scope telephony --name "events $(date +%s)" | grep '^dmk_')
  DAYMAKER_EVENT_LOOPS=$(nproc) DAYMAKER_PORT=8091 $BIN serve --env production --log notice \
    > "$WORK/events-$label-server.log" 2>&1 &
  local pid=$!
  local started=$(date +%s.%N)
  until curl -sf http://127.0.0.1:8091/healthz >/dev/null; do sleep 0.05; done
  echo "ready after $(echo "$(date +%s.%N) - $started" | bc)s" | tee "$WORK/events-$label-ready.txt"
  local bench="wrk -d30s --latency -s Benchmarks/events/events.lua http://127.0.0.1:8091"
  reset "$label" "$token"
  TOKEN=$token LOOKUPS=$WORK/lookups.tsv RUN=w$(date +%s) BATCH=1 wrk -t2 -c16 -d10s -s Benchmarks/events/events.lua \
    http://127.0.0.1:8091 > /dev/null
  for run in $(seq 1 "$RUNS"); do
    local stamp=$(date +%s)
    for kind in $KINDS; do
      local batch=${kind%%-*} connections=${kind##*-}
      [ "$batch" = single ] && batch=1 || batch=50
      reset "$label" "$token"
      # wrk runs a thread per connection, two at most.
      TOKEN=$token LOOKUPS=$WORK/lookups.tsv RUN=$kind$stamp BATCH=$batch $bench -c"$connections" \
        -t"$((connections < 2 ? 1 : 2))" \
        > "$WORK/events-$label-$run-$kind.txt" 2>&1
    done
  done
  reset "$label" "$token"
  sleep 11  # the last routing summary
  ps -o rss= -p $pid | awk '{printf "server RSS after the runs: %.0f MB\n", $1/1024}' | tee "$WORK/events-$label-rss.txt"
  kill $pid; wait $pid 2>/dev/null || true
  forget "$label"
  grep -o 'Routing: .*\|Events: .*' "$WORK/events-$label-server.log" > "$WORK/events-$label-routing.txt" || true
}

if [ -z "${REPORT_ONLY:-}" ]; then
  [ -n "${SKIP_SQLITE:-}" ] || DAYMAKER_SQLITE_PATH=$WORK/bench.sqlite run_one sqlite
  [ -n "${SKIP_POSTGRES:-}" ] || DATABASE_URL=$PG_URL DAYMAKER_DB_POOL_SIZE=${BENCH_POOL_SIZE:-2} run_one postgres
fi

{
  echo "# Contact-events benchmark, $(date +%Y-%m-%d)"
  echo
  echo "Command: \`RUNS=$RUNS bash Benchmarks/events/run.sh\` (release build, wrk on loopback, server and wrk on the same machine; PostgreSQL over its Unix socket, the app's pool ${BENCH_POOL_SIZE:-2} connections; each database's files read into the page cache before its runs)."
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(swift --version 2>/dev/null | head -1)."
  if [ -z "${SKIP_POSTGRES:-}" ]; then
    echo
    echo "PostgreSQL: $(PGPASSWORD=daymaker psql -h 127.0.0.1 -U daymaker -d "$PG_DB" -tAc "SELECT 'max_wal_size ' || current_setting('max_wal_size') || ', checkpoint_timeout ' || current_setting('checkpoint_timeout') || ', shared_buffers ' || current_setting('shared_buffers')")."
  fi
  echo
  echo "Data: the recognition benchmark's 1,000,000 customers and 10,000,000 contacts, 500 reps on shift and available. Each call arrives and hangs up a moment later (\`Benchmarks/events/events.lua\`); between runs the calls wrk left waiting are hung up and every rep made available again; single events at 16 and 64 connections, batches of 50 at 1, 2 and 4 (\`single-64\`: 64 connections, \`batch-1\`: one sender posting a batch of 50 as soon as the last is answered)."
  echo
  echo "## Summary against the targets (≥ 2,000 events/s with the webhook's p99 ≤ 50 ms; routing decision p99 ≤ 5 ms; RSS ≤ 250 MB)"
  echo
  echo "| database | run | kind | events/s | requests/s | p50 | p99 | not 200 | rejected |"
  echo "|---|---|---|---|---|---|---|---|---|"
  labels=""
  [ -n "${SKIP_SQLITE:-}" ] || labels="sqlite"
  [ -n "${SKIP_POSTGRES:-}" ] || labels="$labels postgres"
  for label in $labels; do
    for run in $(seq 1 "$RUNS"); do
      for kind in $KINDS; do
        f=$WORK/events-$label-$run-$kind.txt
        [ -f "$f" ] || continue
        echo "| $label | $run | $kind | $(awk '/^Events\/sec/ {print $2}' "$f") | $(awk '/Requests\/sec/ {print $2}' "$f") | $(awk '/ 50%/ {print $2}' "$f") | $(awk '/ 99%/ {print $2}' "$f") | $(awk -F': ' '/^Answers other/ {print $2}' "$f") | $(awk -F': ' '/^Batch answers/ {print $2}' "$f") |"
      done
    done
  done
  for label in $labels; do
    [ -f "$WORK/events-$label-1-${KINDS%% *}.txt" ] || continue
    echo
    echo "## $label"
    echo
    echo '```'
    cat "$WORK/events-$label-staff.txt" "$WORK/events-$label-ready.txt" "$WORK/events-$label-rss.txt"
    echo
    echo "### events written and routing decisions (the server's summaries, every 10 s)"
    cat "$WORK/events-$label-routing.txt"
    for run in $(seq 1 "$RUNS"); do
      for kind in $KINDS; do
        echo
        echo "### run $run: $kind"
        cat "$WORK/events-$label-$run-$kind.txt"
      done
    done
    echo '```'
  done
} > "$OUT"
echo "wrote $OUT"
