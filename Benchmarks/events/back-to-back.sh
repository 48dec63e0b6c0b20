#!/usr/bin/env bash
# The contact-events benchmark for two release builds back to back on the same data, in the order A B B A (this
# host's speed drifts by a third within minutes: only runs side by side compare, and the order weighs the drift on
# both alike). Each run is one `run.sh` run of KINDS (default "single-16 batch-1") with that build; the table at
# the end gives, per run and kind, events/s and the webhook's p99, and the routing decisions' median / p99 of each
# 10 s window (the first window of a run includes its warm-up).
#
#   BIN_A=/tmp/daymaker-before BIN_B=.build-release/release/daymaker SKIP_SQLITE=1 bash Benchmarks/events/back-to-back.sh
#
# Needs what run.sh needs (the generated data in BENCH_WORK); SKIP_SQLITE / SKIP_POSTGRES as there, one database at
# a time. The runs' documents stay in BENCH_WORK (events-b2b-N-LABEL.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_WORK:-/tmp/daymaker-bench}
export KINDS=${KINDS:-single-16 batch-1}
[ -n "${SKIP_SQLITE:-}${SKIP_POSTGRES:-}" ] || { echo "set SKIP_SQLITE=1 or SKIP_POSTGRES=1: one database at a time" >&2; exit 1; }
database=$([ -n "${SKIP_SQLITE:-}" ] && echo postgres || echo sqlite)
run=0
for label in A B B A; do
  run=$((run + 1))
  bin_var=BIN_$label
  RUNS=1 BENCH_BIN=${!bin_var} BENCH_OUT=$WORK/events-b2b-$run-$label.md bash Benchmarks/events/run.sh > /dev/null
done
echo "| run | build | kind | events/s | webhook p99 |"
echo "|---|---|---|---|---|"
for run in 1 2 3 4; do
  file=$(ls "$WORK"/events-b2b-$run-?.md)
  label=${file: -4:1}
  grep "^| $database | 1 |" "$file" | awk -F' *\\| *' -v run=$run -v label=$label '{print "| " run " | " label " | " $4 " | " $5 " | " $8 " |"}'
done
echo
echo "Routing decisions, median / p99 per 10 s window:"
for run in 1 2 3 4; do
  file=$(ls "$WORK"/events-b2b-$run-?.md)
  printf '%s %s: ' "$run" "${file: -4:1}"
  grep -o 'decided in [0-9.]* ms (median) / [0-9.]* ms' "$file" | sed 's/decided in //; s/ ms (median) \/ /\//' | paste -sd' ' -
done
