#!/usr/bin/env bash
# Recognition card benchmark: generates 1,000,000 customers and 10,000,000 contacts (SQLite, then PostgreSQL),
# serves them with the release build, and measures the card and /healthz over HTTP with wrk on the same server
# (one event loop per core), then the server's memory on 8 event loops.
#
#   bash Benchmarks/recognition/run.sh [CUSTOMERS] [CONTACTS]
#
# REUSE_DATA=1 measures again on the data a previous run generated (same BENCH_WORK folder). RUNS=N (default 3)
# repeats the measurements on the same server: this machine is shared and one run can differ from the next by 15 %.
#
# Needs wrk (apt-get install wrk) and, for the PostgreSQL half, a server on this machine with the role daymaker
# (password daymaker) allowed to sign in with its password over TCP and over the Unix socket (see .ci/run; the
# recorded runs had shared_buffers = 4GB, everything else as Debian ships it). The app reaches it as BENCH_DATABASE_URL
# (default: over the Unix socket in /var/run/postgresql, as a one-box install would) and, for comparison, as
# BENCH_TCP_DATABASE_URL (default: TCP on 127.0.0.1; SKIP_TCP=1 leaves that pass out). Results go to docs/benchmarks/;
# REPORT_ONLY=1 writes that document again from the last runs' files without measuring.
set -euo pipefail
cd "$(dirname "$0")/../.."
CUSTOMERS=${1:-1000000}
CONTACTS=${2:-10000000}
RUNS=${RUNS:-3}
PG_URL=${BENCH_DATABASE_URL:-postgres+uds://daymaker:daymaker@localhost/var/run/postgresql/.s.PGSQL.5432#daymaker_bench}
PG_TCP_URL=${BENCH_TCP_DATABASE_URL:-postgres://daymaker:daymaker@127.0.0.1:5432/daymaker_bench}
WORK=${BENCH_WORK:-/tmp/daymaker-bench}
OUT=docs/benchmarks/recognition-$(date +%Y-%m-%d).md
mkdir -p "$WORK" docs/benchmarks

[ -n "${REPORT_ONLY:-}" ] || swift build -c release --scratch-path .build-release --product daymaker
BIN=.build-release/release/daymaker
export DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42

run_one() {  # $1 = label; environment selects the database
  local label=$1
  if [ "$label" = postgres-tcp ]; then
    cp "$WORK/postgres-generate.txt" "$WORK/$label-generate.txt"  # the same database as the socket pass
  elif [ -n "${REUSE_DATA:-}" ] && [ -s "$WORK/$label-generate.txt" ]; then
    echo "== $label: reusing the data generated before ($(head -1 "$WORK/$label-generate.txt"))"
  else
    echo "== $label: generating $CUSTOMERS customers / $CONTACTS contacts"
    $BIN generate --customers "$CUSTOMERS" --contacts "$CONTACTS" --seed 42 --samples "$WORK/lookups.tsv" 2>&1 | tail -2 | tee "$WORK/$label-generate.txt"
    echo "a long benchmark password" | $BIN user create --email bench@generated.test --name "Bench Rep" --role rep --program METRO,CITY,NORTH >/dev/null
  fi
  # A server in service has its database in memory; this VM's host hands back idle page cache within minutes, so
  # the files are read once before the server starts (PostgreSQL's own shared buffers are not handed back).
  if [ "$label" = sqlite ]; then
    cat "$WORK"/bench.sqlite* > /dev/null
  else
    su postgres -c "find \"\$(psql -tAc 'SHOW data_directory')/base/\$(psql -tAc \"SELECT oid FROM pg_database WHERE datname = 'daymaker_bench'\")\" -type f -exec cat {} +" > /dev/null
  fi
  local token
  token=$($BIN token create --user bench@generated.test --scope read --name bench | grep '^dmk_')
  DAYMAKER_EVENT_LOOPS=$(nproc) DAYMAKER_PORT=8090 $BIN serve --env production --log warning > "$WORK/$label-server.log" 2>&1 &
  local pid=$!
  local started=$(date +%s.%N)
  until curl -sf http://127.0.0.1:8090/healthz >/dev/null; do sleep 0.05; done
  local ready=$(echo "$(date +%s.%N) - $started" | bc)
  echo "ready after ${ready}s" | tee "$WORK/$label-ready.txt"
  # Warm-up: about one pass over all the lookups, so the measured runs see the caches of a server in service.
  TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c16 -d10s -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 >/dev/null
  for run in $(seq 1 "$RUNS"); do
    TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c16 -d20s --latency -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 > "$WORK/$label-$run-card-16.txt"
    TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c64 -d20s --latency -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 > "$WORK/$label-$run-card-64.txt"
    wrk -t2 -c16 -d20s --latency http://127.0.0.1:8090/healthz > "$WORK/$label-$run-healthz-16.txt"
    wrk -t2 -c64 -d20s --latency http://127.0.0.1:8090/healthz > "$WORK/$label-$run-healthz-64.txt"
  done
  ps -o rss= -p $pid | awk -v loops="$(nproc)" '{printf "server RSS after the runs (%d event loops): %.0f MB\n", loops, $1/1024}' | tee "$WORK/$label-rss.txt"
  kill $pid; wait $pid 2>/dev/null || true
  # Memory grows with the event loops (a database connection and, on SQLite, a reader with its page cache per
  # loop): the same server on 8 loops, after a warm-up and a run at 64 connections.
  DAYMAKER_EVENT_LOOPS=8 DAYMAKER_PORT=8090 $BIN serve --env production --log warning >> "$WORK/$label-server.log" 2>&1 &
  pid=$!
  until curl -sf http://127.0.0.1:8090/healthz >/dev/null; do sleep 0.05; done
  TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c64 -d10s -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 >/dev/null
  TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c64 -d20s --latency -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 > "$WORK/$label-8-loops-card-64.txt"
  ps -o rss= -p $pid | awk '{printf "server RSS after a run at 64 connections (8 event loops): %.0f MB\n", $1/1024}' | tee -a "$WORK/$label-rss.txt"
  kill $pid; wait $pid 2>/dev/null || true
}

if [ -z "${REPORT_ONLY:-}" ]; then
  [ -n "${REUSE_DATA:-}" ] || rm -f "$WORK/bench.sqlite"*
  DAYMAKER_SQLITE_PATH=$WORK/bench.sqlite run_one sqlite

  if [ -z "${SKIP_POSTGRES:-}" ]; then
    if [ -z "${REUSE_DATA:-}" ]; then
      su postgres -c "psql -qc 'DROP DATABASE IF EXISTS daymaker_bench'" && su postgres -c "psql -qc 'CREATE DATABASE daymaker_bench OWNER daymaker'"
    fi
    # Two cores run the app, PostgreSQL and wrk: one connection per event loop (per core) beats more backends
    # taking turns (measured: 2 connections p99 9.5–9.9 ms at 16, 4 connections 9.7–13.3 ms).
    DATABASE_URL=$PG_URL DAYMAKER_DB_POOL_SIZE=${BENCH_POOL_SIZE:-2} run_one postgres
    [ -n "${SKIP_TCP:-}" ] || DATABASE_URL=$PG_TCP_URL DAYMAKER_DB_POOL_SIZE=${BENCH_POOL_SIZE:-2} run_one postgres-tcp
  fi
fi

{
  echo "# Recognition card benchmark, $(date +%Y-%m-%d)"
  echo
  echo "Command: \`${REUSE_DATA:+REUSE_DATA=1 }RUNS=$RUNS bash Benchmarks/recognition/run.sh $CUSTOMERS $CONTACTS\` (release build, wrk on loopback, server and wrk on the same machine; PostgreSQL 15 with shared_buffers = $(su postgres -c "psql -tAc 'show shared_buffers'" 2>/dev/null || echo '?'), the app's pool ${BENCH_POOL_SIZE:-2} connections; \`postgres\` reaches the server over its Unix socket, \`postgres-tcp\` over TCP on 127.0.0.1)."
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), $(swift --version 2>/dev/null | head -1)."
  echo
  echo "Data: $CUSTOMERS customers and $CONTACTS contacts (\`daymaker generate --seed 42\`), lookups by phone numbers typed in mixed formats, about 9% of them unknown."
  echo
  echo "## Summary against the targets (p99 ≤ 10 ms at 16 connections; card ≥ 30 % of /healthz at 64)"
  echo
  echo "| database | run | card p99 @16 | card req/s @16 | card req/s @64 | /healthz req/s @64 | card ÷ /healthz @64 | errors |"
  echo "|---|---|---|---|---|---|---|---|"
  for label in sqlite postgres postgres-tcp; do
    for run in $(seq 1 "$RUNS"); do
      [ -f "$WORK/$label-$run-card-16.txt" ] || continue
      p99=$(awk '/ 99%/ {print $2}' "$WORK/$label-$run-card-16.txt")
      c16=$(awk '/Requests\/sec/ {print $2}' "$WORK/$label-$run-card-16.txt")
      c64=$(awk '/Requests\/sec/ {print $2}' "$WORK/$label-$run-card-64.txt")
      h64=$(awk '/Requests\/sec/ {print $2}' "$WORK/$label-$run-healthz-64.txt")
      # wrk reports responses other than 2xx/3xx and socket errors only when there are some.
      errors=$(cat "$WORK/$label-$run-card-16.txt" "$WORK/$label-$run-card-64.txt" | { grep -E "Non-2xx|Socket errors" || true; } | tr '\n' ' ')
      echo "| $label | $run | $p99 | $c16 | $c64 | $h64 | $(echo "scale=1; 100 * $c64 / $h64" | bc) % | ${errors:-none} |"
    done
  done
  for label in sqlite postgres postgres-tcp; do
    [ -f "$WORK/$label-1-card-16.txt" ] || continue
    echo
    echo "## $label"
    echo
    echo '```'
    cat "$WORK/$label-generate.txt" "$WORK/$label-ready.txt" "$WORK/$label-rss.txt"
    if [ -f "$WORK/$label-8-loops-card-64.txt" ]; then
      echo
      echo "### 8 event loops: card-64"
      cat "$WORK/$label-8-loops-card-64.txt"
    fi
    for run in $(seq 1 "$RUNS"); do
      for kind in card-16 card-64 healthz-16 healthz-64; do
        echo
        echo "### run $run: $kind"
        cat "$WORK/$label-$run-$kind.txt"
      done
    done
    echo '```'
  done
} > "$OUT"
echo "Wrote $OUT"
