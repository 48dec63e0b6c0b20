#!/usr/bin/env bash
# Claim-next under 50 callers (Benchmarks/campaign/claims.py, reps sitting down over 1.5 s, talking 0.5–1.5 s) for two
# builds in turn, each on a fresh `daymaker serve` over the latest campaign of $BENCH_WORK/bench.sqlite (made by
# Benchmarks/campaign/run.sh, with its callers' tokens in $BENCH_WORK/tokens.txt):
#
#   BENCH_WORK=/tmp/daymaker-bench BIN_A=/tmp/daymaker-before BIN_B=.build-release/release/daymaker PAIRS=3 \
#     bash Benchmarks/campaign/claims-back-to-back.sh
#
# Each run takes calls of the same campaign, so run after run the calls due come later in its order.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK=${BENCH_WORK:-/tmp/daymaker-bench}
export DAYMAKER_SQLITE_PATH=$WORK/bench.sqlite DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42
campaign=$(sqlite3 "$DAYMAKER_SQLITE_PATH" "SELECT id FROM campaigns ORDER BY created_at DESC LIMIT 1")

run() {
  DAYMAKER_PORT=8090 $1 serve --env production --log warning > "$WORK/claims-server.log" 2>&1 &
  local server=$!
  until curl -sf http://127.0.0.1:8090/healthz > /dev/null; do sleep 0.1; done
  python3 Benchmarks/campaign/claims.py --base http://127.0.0.1:8090 --campaign "$campaign" \
    --tokens "$WORK/tokens.txt" --seconds 30 --talk 0.5-1.5 --ramp 1.5 | sed -n 2,3p | sed -E 's/ in [0-9.]+ s \([0-9]+\/s\)//'
  kill $server
  wait $server || true
}

# The file is read into the page cache first, as a center's is while it serves (a build beforehand evicts it, and
# the first run then waits for the disk: claims stalled up to a second).
cat "$DAYMAKER_SQLITE_PATH"* > /dev/null
for pair in $(seq 1 "${PAIRS:-3}"); do
  echo "pair $pair A ($BIN_A):"
  run "$BIN_A"
  echo "pair $pair B ($BIN_B):"
  run "$BIN_B"
done
