#!/usr/bin/env bash
# A/B of the recognition card's hand-written speed parts. Each file in variants/ takes one part out (the card
# answered through Codable instead of JSONWriter, Vapor's query decoder instead of QueryParameters, a users query
# per card instead of the rep-name cache; the parts that measured no better were removed, see
# docs/benchmarks/recognition-ab-2026-12-03.md). The script builds the current commit and each variant (release, in a worktree), serves the same
# generated data with each, and measures the card at 16 and 64 connections with wrk; the current commit is measured
# first and last, so the spread between those two runs shows the machine's own drift.
#
#   bash Benchmarks/recognition/ab.sh [VARIANT ...]      (default: every file in variants/)
#
# CUSTOMERS / CONTACTS (default 200,000 / 2,000,000: the parts cost CPU per request, not per row), RUNS (default 3)
# and SECONDS_PER_RUN (default 15) size it; REUSE_DATA=1 measures on the data a previous run generated. Needs wrk and, unless SKIP_POSTGRES=1, a PostgreSQL server on this machine
# with the role daymaker (password daymaker), as for run.sh. Writes docs/benchmarks/recognition-ab-DATE.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CUSTOMERS=${CUSTOMERS:-200000}
CONTACTS=${CONTACTS:-2000000}
RUNS=${RUNS:-3}
DURATION=${SECONDS_PER_RUN:-15}
WORK=${BENCH_WORK:-/tmp/daymaker-ab-data}
TREE=${AB_TREE:-/tmp/daymaker-ab}
PG_URL=${BENCH_DATABASE_URL:-postgres+uds://daymaker:daymaker@localhost/var/run/postgresql/.s.PGSQL.5432#daymaker_ab}
OUT=docs/benchmarks/recognition-ab-$(date +%Y-%m-%d).md
command -v wrk >/dev/null || { echo "ab.sh needs wrk (apt-get install wrk)"; exit 2; }
if [ $# -gt 0 ]; then VARIANTS=("$@"); else VARIANTS=($(cd Benchmarks/recognition/variants && ls *.patch | sed 's/\.patch$//')); fi
# Every build starts from this commit (AB_COMMIT, default the current one), whatever is committed while it runs.
COMMIT=$(git rev-parse "${AB_COMMIT:-HEAD}")
export DAYMAKER_SESSION_SECRET=benchmark-secret-benchmark-secret-42
mkdir -p "$WORK" docs/benchmarks
: > "$WORK/results.tsv"

[ -d "$TREE" ] || git worktree add --detach "$TREE" HEAD
build() {  # $1 = variant or "current"
  git -C "$TREE" checkout -q --detach -f "$COMMIT"
  git -C "$TREE" reset -q --hard
  [ "$1" = current ] || git -C "$TREE" apply "$ROOT/Benchmarks/recognition/variants/$1.patch"
  (cd "$TREE" && swift build -c release --scratch-path .build-release --product daymaker 2>&1 | tail -1)
}
BIN=$TREE/.build-release/release/daymaker

databases=(sqlite)
[ -n "${SKIP_POSTGRES:-}" ] || databases+=(postgres)
environment() {  # $1 = database
  if [ "$1" = sqlite ]; then echo "DAYMAKER_SQLITE_PATH=$WORK/ab.sqlite"; else echo "DATABASE_URL=$PG_URL DAYMAKER_DB_POOL_SIZE=2"; fi
}

generate() {
  build current
  rm -f "$WORK"/ab.sqlite*
  su postgres -c "psql -qc 'DROP DATABASE IF EXISTS daymaker_ab'" && su postgres -c "psql -qc 'CREATE DATABASE daymaker_ab OWNER daymaker'"
  for db in "${databases[@]}"; do
    echo "== $db: generating $CUSTOMERS customers / $CONTACTS contacts"
    env $(environment "$db") "$BIN" generate --customers "$CUSTOMERS" --contacts "$CONTACTS" --seed 42 --samples "$WORK/lookups.tsv" 2>&1 | tail -1
    echo "a long benchmark password" | env $(environment "$db") "$BIN" user create --email bench@generated.test --name "Bench Rep" --role rep --program METRO,CITY,NORTH >/dev/null
    env $(environment "$db") "$BIN" token create --user bench@generated.test --scope read --name ab | grep '^dmk_' > "$WORK/$db.token"
  done
}

measure() {  # $1 = label (variant, or current-first / current-last)
  for db in "${databases[@]}"; do
    env $(environment "$db") DAYMAKER_PORT=8091 "$BIN" serve --env production --log warning > "$WORK/server.log" 2>&1 &
    local pid=$!
    until curl -sf http://127.0.0.1:8091/healthz >/dev/null; do sleep 0.05; done
    local token; token=$(cat "$WORK/$db.token")
    TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c16 -d10s -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8091 >/dev/null
    for run in $(seq 1 "$RUNS"); do
      for connections in 16 64; do
        local file="$WORK/$1-$db-$run-$connections.txt"
        TOKEN=$token LOOKUPS=$WORK/lookups.tsv wrk -t2 -c$connections -d${DURATION}s --latency -s Benchmarks/recognition/lookups.lua http://127.0.0.1:8091 > "$file"
        if grep -qE "Non-2xx|Socket errors" "$file"; then echo "errors in $file"; grep -E "Non-2xx|Socket errors" "$file"; fi
        printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$db" "$connections" \
          "$(awk '/ 99%/ {print $2}' "$file")" "$(awk '/Requests\/sec/ {print $2}' "$file")" >> "$WORK/results.tsv"
      done
    done
    ps -o rss= -p $pid | awk -v l="$1 $db" '{printf "%s: server RSS %.0f MB\n", l, $1/1024}' | tee -a "$WORK/rss.txt"
    kill $pid; wait $pid 2>/dev/null || true
  done
}

[ -n "${REUSE_DATA:-}" ] && [ -s "$WORK/lookups.tsv" ] || generate
: > "$WORK/rss.txt"
build current; measure current-first
for variant in "${VARIANTS[@]}"; do echo "== $variant: $(build "$variant")"; measure "$variant"; done
build current; measure current-last

python3 - "$WORK/results.tsv" "$OUT" "$CUSTOMERS" "$CONTACTS" "$RUNS" "$DURATION" "$WORK/rss.txt" "${COMMIT:0:7}" <<'EOF'
import statistics, sys, collections
results, out, customers, contacts, runs, duration, rss, commit = sys.argv[1:]
def ms(v):  # wrk writes 8.31ms, 912.00us, 1.02s
    for unit, f in (("ms", 1), ("us", 0.001), ("s", 1000)):
        if v.endswith(unit): return float(v[:-len(unit)]) * f
rows = collections.defaultdict(lambda: ([], []))
for line in open(results):
    label, db, conns, p99, rps = line.split("\t")
    rows[(label, db, conns)][0].append(ms(p99)); rows[(label, db, conns)][1].append(float(rps))
labels = list(dict.fromkeys(k[0] for k in rows))
with open(out, "w") as f:
    f.write(f"# Recognition card: A/B of the hand-written speed parts\n\n")
    f.write(f"Command: `bash Benchmarks/recognition/ab.sh` (release builds of commit "
            f"{commit} and of each variant in "
            f"`Benchmarks/recognition/variants/`; {customers} customers, {contacts} contacts; {runs} runs of {duration} s per "
            f"database and connection count after a 10 s warm-up; wrk on the same 2-core machine).\n\n")
    f.write("Each cell: median over the runs (min–max). `current-first` and `current-last` are the same build measured at the "
            "start and the end: their difference is the machine's drift, the noise a part must beat.\n\n")
    for db in sorted({k[1] for k in rows}):
        f.write(f"## {db}\n\n| build | p99 @16 (ms) | req/s @16 | p99 @64 (ms) | req/s @64 |\n|---|---|---|---|---|\n")
        for label in labels:
            cells = []
            for conns in ("16", "64"):
                p, r = rows.get((label, db, conns), ([], []))
                if not p: cells += ["–", "–"]; continue
                cells.append(f"{statistics.median(p):.2f} ({min(p):.2f}–{max(p):.2f})")
                cells.append(f"{statistics.median(r):.0f} ({min(r):.0f}–{max(r):.0f})")
            f.write(f"| {label} | " + " | ".join(cells) + " |\n")
        f.write("\n")
    f.write("## Server memory after each build's runs\n\n```\n" + open(rss).read() + "```\n")
print("Wrote", out)
EOF
