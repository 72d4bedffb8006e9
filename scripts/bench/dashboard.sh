#!/usr/bin/env bash
# Dashboard generator benchmark: 24 hours and 7 days of 15-second snapshots (made by
# scripts/make-archive.py), timing `generate` beside `verify` (which reads and JSON-decodes the same
# files with the same reader), and the live regeneration per snapshot (append + render + publish)
# with the 7-day archive behind it. Goals: 24 h in <= 1 s and <= 2x read+decode; live <= 50 ms.
# Usage: scripts/bench/dashboard.sh [BINARY]   (default .build/release/kvstore-dashboard)
#   DAYS=7 RUNS=3 environment variables change the long archive and the repetitions (best run counts).
set -euo pipefail

NAME=bench-dashboard
START_WAIT=10
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BINARY=${1:-$ROOT/.build/release/kvstore-dashboard}
DAYS=${DAYS:-7}
RUNS=${RUNS:-3}
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"
[[ -x $BINARY ]] || die "no executable at $BINARY (build it: swift build -c release --product kvstore-dashboard)"

echo "making ${DAYS} days of 15-second snapshots..."
timeout 900 python3 "$ROOT/scripts/make-archive.py" --out "$TMP/week" --duration "${DAYS}d" --interval 15 \
    --incident-at 0.95 --restart-at 0.5 2>/dev/null || die "make-archive.py failed"
mkdir -p "$TMP/day"
# The last 24 hours of the long archive, as their own archive (hard links: the same bytes).
find "$TMP/week" -name 'kvstore-*.json' | sort | tail -n 5761 | xargs -I{} ln {} "$TMP/day/"
find "$TMP/week" -type f -exec cat {} + >/dev/null # warm the page cache for every run alike

now() { date +%s.%N; }
best() { # best RUNS COMMAND...: prints the fastest wall time in seconds
    local runs=$1 fastest="" start end took; shift
    for _ in $(seq "$runs"); do
        start=$(now); "$@" >/dev/null 2>"$TMP/err" || die "failed: $* ($(cat "$TMP/err"))"
        end=$(now); took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        if [[ -z $fastest ]] || awk -v t="$took" -v f="$fastest" 'BEGIN { exit !(t < f) }'; then fastest=$took; fi
    done
    echo "$fastest"
}
atmost() { awk -v v="$1" -v g="$2" 'BEGIN { print (v + 0 <= g + 0) ? "meets goal" : "ABOVE goal" }'; }

report() { # report LABEL DIR WINDOW RUNS
    local label=$1 dir=$2 window=$3 runs=$4 files gen read ratio
    files=$(find "$dir" -name 'kvstore-*.json' | wc -l)
    read=$(best "$runs" "$BINARY" verify --snapshots "$dir")
    gen=$(best "$runs" "$BINARY" generate --snapshots "$dir" --out "$TMP/site-$label" --last "$window" --refresh 30)
    ratio=$(awk -v a="$gen" -v b="$read" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    printf '  %-4s %6d files (%s): generate %6.3f s   read+decode %6.3f s   ratio %s\n' \
        "$label" "$files" "$(du -sh "$dir" | cut -f1)" "$gen" "$read" "$ratio"
    RESULT_GEN=$gen RESULT_RATIO=$ratio
}

echo "dashboard generator (best of $RUNS runs; read+decode = kvstore-dashboard verify on the same files)"
report 24h "$TMP/day" 24h "$RUNS"
day_gen=$RESULT_GEN day_ratio=$RESULT_RATIO
report "${DAYS}d" "$TMP/week" "${DAYS}d" 2
echo "  24 h page in ${day_gen} s: $(atmost "$day_gen" 1.0) (<= 1 s); ratio ${day_ratio}: $(atmost "$day_ratio" 2.0) (<= 2x)"
echo "live regeneration (server path: SeriesStore.append + render + publish, 24 h window, ${DAYS}-day archive):"
timeout 300 "$BINARY" bench-live --snapshots "$TMP/week" --out "$TMP/live" --last 24h --replay 20 | sed 's/^/  /' | tee "$TMP/live.txt"
median=$(awk '/regeneration/ { print $5 }' "$TMP/live.txt")
echo "  median ${median} ms: $(atmost "$median" 50) (<= 50 ms)"
