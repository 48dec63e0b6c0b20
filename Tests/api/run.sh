#!/usr/bin/env bash
# Runs schemathesis (pinned in Tests/api/requirements.txt) against a real `daymaker serve` on demo data in a fresh
# SQLite file, as an admin, with every check and the stateful phase; fails on any failure it reports.
# Needs the debug build (`swift build`). Usage: bash Tests/api/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
daymaker=.build/debug/daymaker
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
export DAYMAKER_SQLITE_PATH="$work/api.sqlite" DAYMAKER_HOST=127.0.0.1 DAYMAKER_PORT=0
export DAYMAKER_SESSION_SECRET=schemathesis-secret-schemathesis-secret
# The lowest cost allowed: the run creates and changes hundreds of users.
export DAYMAKER_PASSWORD_COST=10

"$daymaker" demo --no-serve >/dev/null
token=$("$daymaker" token create --user admin@daymaker.test --scope read,write,admin,telephony --name schemathesis | grep '^dmk_')
"$daymaker" serve >"$work/serve.log" 2>&1 &
server=$!
base=""
for _ in $(seq 1 100); do
  base=$(grep -o 'Server started on http://127.0.0.1:[0-9]*' "$work/serve.log" | sed 's/Server started on //' || true)
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { cat "$work/serve.log"; echo "daymaker serve did not start"; exit 1; }

schemathesis --config-file Tests/api/schemathesis.toml run "$base/api/v1/openapi.json" \
  --checks all -H "Authorization: Bearer $token" "$@" ||
  { echo "--- the end of daymaker serve's log (a crash is explained here):"; tail -n 40 "$work/serve.log"; exit 1; }
