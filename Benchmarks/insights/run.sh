#!/usr/bin/env bash
# Insights dashboard benchmark: 10,000,000 contacts (`daymaker generate`, 1,000,000 customers, three programs),
# the roll-ups counted by the server itself from the rows the triggers marked, then the dashboard of METRO (the
# largest program) over its last 90 days measured with wrk over HTTP (the API: the page draws the same read).
#
#   bash Benchmarks/insights/run.sh [CONTACTS]
#
# SKIP_SQLITE=1 / SKIP_POSTGRES=1 leave a half out; REUSE_DATA=1 counts and measures again on the data generated
# before (same BENCH_WORK); REPORT_ONLY=1 writes the document again from the last runs.
# PostgreSQL: a server on this machine with the role daymaker (password daymaker), as .ci/run sets it up.
set -euo pipefail
cd "$(dirname "$0")/../.."
CONTACTS=${1:-10000000}
CUSTOMERS=$((CONTACTS / 10))
WORK=${BENCH_WORK:-/tmp/daymaker-insights-bench}
PG_URL=${BENCH_DATABASE_URL:-postgres://daymaker:daymaker@127.0.0.1:5432/daymaker_insights}
OUT=docs/benchmarks/insights-$(date +%Y-%m-%d).md
mkdir -p "$WORK" docs/benchmarks
[ -n "${REPORT_ONLY:-}" ] || swift build -c release --scratch-path .build-release --product daymaker
BIN=.build-release/release/daymaker
export DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42

# Marked days and noted repeats still to count.
pending() {
  if [ "$1" = sqlite ]; then
    sqlite3 "$WORK/bench.sqlite" "SELECT (SELECT COUNT(*) FROM insight_marks) + (SELECT COUNT(*) FROM insight_repeats)"
  else
    PGPASSWORD=daymaker psql -h 127.0.0.1 -U daymaker -d daymaker_insights -tAc \
      "SELECT (SELECT COUNT(*) FROM insight_marks) + (SELECT COUNT(*) FROM insight_repeats)"
  fi
}

run_one() {  # $1 = label; the environment selects the database
  local label=$1
  if [ -n "${REUSE_DATA:-}" ] && [ -s "$WORK/$label-generate.txt" ]; then
    echo "== $label: reusing the data generated before ($(cat "$WORK/$label-generate.txt"))"
  else
    echo "== $label: generating $CUSTOMERS customers / $CONTACTS contacts"
    $BIN generate --customers "$CUSTOMERS" --contacts "$CONTACTS" --seed 42 2>&1 | tail -1 | tee "$WORK/$label-generate.txt"
    echo "a long benchmark password" | $BIN user create --email bench@generated.test --name "Bench Supervisor" \
      --role supervisor --program METRO,CITY,NORTH > /dev/null
  fi
  local token
  token=$($BIN token create --user bench@generated.test --scope read --name bench | grep '^dmk_')
  DAYMAKER_EVENT_LOOPS=$(nproc) DAYMAKER_PORT=8091 $BIN serve --env production --log warning > "$WORK/$label-server.log" 2>&1 &
  local pid=$!
  until curl -sf http://127.0.0.1:8091/healthz > /dev/null; do sleep 0.2; done
  # The server counts the roll-ups on its own, every 10 seconds, until nothing is marked.
  local started=$(date +%s)
  until [ "$(pending "$label")" = 0 ]; do sleep 5; done
  echo "roll-ups of $CONTACTS contacts counted by the server in $(( $(date +%s) - started )) s (within 5 s)" | tee "$WORK/$label-rollups.txt"
  local metro
  metro=$(curl -sf -H "Authorization: Bearer $token" http://127.0.0.1:8091/api/v1/programs | python3 -c \
    'import json, sys; print(next(p["id"] for p in json.load(sys.stdin)["items"] if p["code"] == "METRO"))')
  local from to
  to=$(TZ=America/Chicago date +%Y-%m-%d)
  from=$(TZ=America/Chicago date -d "$to - 89 days" +%Y-%m-%d)
  local url="http://127.0.0.1:8091/api/v1/programs/$metro/insights?from=$from&to=$to"
  curl -sf -H "Authorization: Bearer $token" "$url" | python3 Benchmarks/insights/summary.py \
    | tee "$WORK/$label-dashboard.txt"
  TOKEN=$token wrk -t1 -c1 -d10s -s Benchmarks/insights/p95.lua "$url" > /dev/null  # warm-up
  TOKEN=$token wrk -t1 -c1 -d30s -s Benchmarks/insights/p95.lua "$url" | tail -1 | tee "$WORK/$label-c1.txt"
  TOKEN=$token wrk -t2 -c4 -d30s -s Benchmarks/insights/p95.lua "$url" | tail -1 | tee "$WORK/$label-c4.txt"
  kill $pid 2> /dev/null || true
  wait $pid 2> /dev/null || true
}

if [ -z "${REPORT_ONLY:-}" ]; then
  if [ -z "${SKIP_SQLITE:-}" ]; then
    [ -n "${REUSE_DATA:-}" ] || rm -f "$WORK/bench.sqlite"*
    DAYMAKER_SQLITE_PATH=$WORK/bench.sqlite run_one sqlite
  fi
  if [ -z "${SKIP_POSTGRES:-}" ]; then
    if [ -z "${REUSE_DATA:-}" ]; then
      su postgres -c "psql -qc 'DROP DATABASE IF EXISTS daymaker_insights'"
      su postgres -c "psql -qc 'CREATE DATABASE daymaker_insights OWNER daymaker'"
    fi
    DATABASE_URL=$PG_URL DAYMAKER_DB_POOL_SIZE=2 run_one postgres
  fi
fi

{
  echo "# Insights dashboard benchmark, $(date +%Y-%m-%d)"
  echo
  echo "Command: \`bash Benchmarks/insights/run.sh $CONTACTS\` (release build; server, database and wrk on this machine)."
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)."
  echo
  echo "Target (issue 22): the dashboard for one program over 90 days on 10M contacts in ≤ 300 ms p95, SQLite and PostgreSQL."
  for label in sqlite postgres; do
    [ -f "$WORK/$label-c1.txt" ] || continue
    echo
    echo "## $label"
    echo
    echo '```'
    cat "$WORK/$label-generate.txt" "$WORK/$label-rollups.txt" "$WORK/$label-dashboard.txt"
    echo "1 connection:  $(cat "$WORK/$label-c1.txt")"
    echo "4 connections: $(cat "$WORK/$label-c4.txt")"
    echo '```'
  done
} > "$OUT"
echo "wrote $OUT"
