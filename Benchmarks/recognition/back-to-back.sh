#!/usr/bin/env bash
# Two release builds on the same generated data, back to back: BIN_A first and last, BIN_B between (each:
# 10 s warm-up, 2 × 15 s of the card and of /healthz at 16 connections, SQLite then PostgreSQL). Needs the data and
# lookups of a previous run.sh in BENCH_WORK. Usage: BIN_A=path BIN_B=path bash Benchmarks/recognition/back-to-back.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
W=${BENCH_WORK:-/tmp/daymaker-bench}
export DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42
: > "$W/back-to-back.tsv"
for label in A B A; do
  bin_var=BIN_$label; bin=${!bin_var}
  for db in sqlite postgres; do
    if [ $db = sqlite ]; then export DAYMAKER_SQLITE_PATH=$W/bench.sqlite; unset DATABASE_URL DAYMAKER_DB_POOL_SIZE
    else unset DAYMAKER_SQLITE_PATH; export DATABASE_URL='postgres+uds://daymaker:daymaker@localhost/var/run/postgresql/.s.PGSQL.5432#daymaker_bench' DAYMAKER_DB_POOL_SIZE=2; fi
    token=$($BIN_A token create --user bench@generated.test --scope read --name oldnew | grep '^dmk_')
    DAYMAKER_PORT=8090 $bin serve --env production --log warning > "$W/back-to-back-server.log" 2>&1 &
    pid=$!
    until curl -sf http://127.0.0.1:8090/healthz >/dev/null; do sleep 0.05; done
    TOKEN=$token LOOKUPS=$W/lookups.tsv wrk -t2 -c16 -d10s -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 >/dev/null
    for run in 1 2; do
      TOKEN=$token LOOKUPS=$W/lookups.tsv wrk -t2 -c16 -d15s --latency -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8090 > "$W/b2b-card.txt"
      wrk -t2 -c16 -d15s --latency http://127.0.0.1:8090/healthz > "$W/b2b-healthz.txt"
      printf "%s\t%s\t%s\t%s\t%s\t%s\n" $label $db "$(awk '/ 99%/ {print $2}' "$W/b2b-card.txt")" "$(awk '/Requests\/sec/ {print $2}' "$W/b2b-card.txt")" "$(awk '/ 99%/ {print $2}' "$W/b2b-healthz.txt")" "$(awk '/Requests\/sec/ {print $2}' "$W/b2b-healthz.txt")" | tee -a "$W/back-to-back.tsv"
    done
    kill $pid; wait $pid 2>/dev/null
  done
done
echo done
