#!/usr/bin/env bash
# Benchmark (not a test): the cost of monitoring, and the scrape time of the full exposition.
#
#   scripts/bench/metrics.sh [BINARY]      (default .build/release/kvstore)
#
# Starts two kvstore servers from the same build, one with metrics.enabled true and one with
# false, and measures GET /api/v1/kv/{key} (16-byte value) on each with wrk -t1 -c32, one
# after the other, alternating twice; prints each figure and the ratio on/off (goal >= 0.97).
# Then scrapes /api/v1/metrics SCRAPES times and prints the mean time per scrape and per
# 1,000 samples (goal <= 1 ms per 1,000 samples), before and after every route x method was hit.
set -euo pipefail

BINARY=${1:-.build/release/kvstore}
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
SCRAPES=${SCRAPES:-200}
HOST=127.0.0.1
SLACK=30
START_WAIT=20
NAME=metrics.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY (build it: swift build -c release)"
for tool in wrk curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

start_server() { # NAME ENABLED -> sets PORT_<NAME>, PID_<NAME>
    local name=$1 enabled=$2 port
    port=$(free_port)
    mkdir -p "$TMP/$name"
    "$BINARY" --data-dir "$TMP/$name" --host "$HOST" --port "$port" --log-level warning \
        --set metrics.enabled="$enabled" --set logging.enable_database_logging=false \
        --set logging.enable_performance_log=false >"$TMP/$name.log" 2>&1 &
    PIDS+=("$!")
    wait_for "$name" "$!" curl -sf "http://$HOST:$port/health"
    curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:$port/api/v1/kv/bench-get" >/dev/null
    printf -v "PORT_$name" '%s' "$port"
    printf -v "PID_$name" '%s' "$!"
}
start_server on true
start_server off false

echo "monitoring cost: $BINARY, wrk -t1 -c$CONNECTIONS -d${DURATION}s, GET of a 16-byte value"
total_on=0; total_off=0
for round in 1 2; do
    WATCH_PID=$PID_on WATCH_LOG=$TMP/on.log run_wrk "on$round" "metrics on  (round $round)" "$CONNECTIONS" "http://$HOST:$PORT_on/api/v1/kv/bench-get"
    total_on=$(awk -v a="$total_on" -v b="$RPS" 'BEGIN { print a + b }')
    WATCH_PID=$PID_off WATCH_LOG=$TMP/off.log run_wrk "off$round" "metrics off (round $round)" "$CONNECTIONS" "http://$HOST:$PORT_off/api/v1/kv/bench-get"
    total_off=$(awk -v a="$total_off" -v b="$RPS" 'BEGIN { print a + b }')
done
R=$(ratio "$total_on" "$total_off")
printf '  %-36s %6s   (goal >= 0.97: %s)\n' "on / off (sum of both rounds)" "$R" "$(verdict "$R" 0.97)"

scrape_figures() { # LABEL
    local samples total
    samples=$(curl -sf "http://$HOST:$PORT_on/api/v1/metrics" | grep -vc '^#')
    total=$(scrape_ms "$PORT_on" "$SCRAPES")
    printf '  %-36s %6s samples  %8s ms/scrape  %6s ms per 1,000 samples (goal <= 1)\n' "$1" "$samples" "$total" \
        "$(awk -v t="$total" -v s="$samples" 'BEGIN { printf "%.3f", t / s * 1000 }')"
}
echo "scrape of /api/v1/metrics ($SCRAPES scrapes, one keep-alive connection, includes HTTP):"
scrape_figures "server's own metric set"
hit_every_route "$PORT_on"
scrape_figures "after every route x method"
