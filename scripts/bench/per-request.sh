#!/usr/bin/env bash
# Benchmark (not a test): heap allocations and CPU time per request, for the cheap routes and the
# KV hot path. Allocation counts repeat exactly from run to run, and CPU time per request varies
# far less than requests per second on a noisy machine, so a before/after comparison of two builds
# is made with this script and the throughput with kv.sh.
#
#   scripts/bench/per-request.sh [BINARY]      (default .build/release/kvstore)
#
# Environment: REQUESTS (requests counted per route, default 2000), WARMUP (requests before the
# count starts, default 200).
#
# Instructions per request: scripts/bench/callgrind.sh (valgrind's callgrind, slower but exact).
#
# How: the server runs with durability `always`, the health checks and snapshots on a one-day
# interval (so no background work falls into a count) and scripts/bench/alloccount/alloccount.c
# loaded with LD_PRELOAD (built here with cc): it counts every malloc, calloc, realloc and aligned
# allocation and writes the count to a file on SIGUSR2. For each route a Python client sends
# WARMUP requests on one keep-alive connection, the count and the CPU time of every thread of the
# server (/proc/PID/task/*/schedstat, nanoseconds) are read, REQUESTS more are sent, and both are
# read again: per request = difference / REQUESTS. One connection and one request at a time, so
# the CPU figure is the work of one request without batching (PUT pays one commit and one fsync
# call each).
#   bare Hummingbird GET /ping the framework alone (Benchmarks/HummingbirdAnchor, once kv.sh built it)
#   GET /api/v1/ping          the no-op route (what every request pays)
#   GET /health               the cheap liveness answer
#   GET /api/v1/health        the full health report
#   GET /api/v1/kv/bench-get  a 16-byte value
#   PUT /api/v1/kv/<unique>   16 bytes, no conditions
#   GET /api/v1/metrics       one full scrape (per 1,000 samples printed too)
set -euo pipefail

cd "$(dirname "$0")/../.."
REQUESTS=${REQUESTS:-2000}
WARMUP=${WARMUP:-200}
HOST=127.0.0.1
SLACK=30
START_WAIT=30
NAME=per-request.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
pick_kvstore_binary "${1:-}"
for tool in cc python3 curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
cc -O2 -shared -fPIC -o "$TMP/alloccount.so" scripts/bench/alloccount/alloccount.c -ldl \
    || die "could not build scripts/bench/alloccount/alloccount.c"

PORT=$(free_port)
mkdir -p "$TMP/data"
KVSTORE_HEALTH_INTERVAL_SECONDS=86400 KVSTORE_SNAPSHOTS_INTERVAL_SECONDS=86400 \
    ALLOCCOUNT_FILE="$TMP/allocations" LD_PRELOAD="$TMP/alloccount.so" \
    "$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --durability always --log-level warning \
    >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:$PORT/api/v1/kv/bench-get" >/dev/null \
    || die "preload PUT failed"

# counts: sets ALLOCS (allocations so far) and CPU_NS (CPU time of the server's threads so far)
# of the server PID (default the kvstore)
counts() {
    local pid=${PID:-$KV_PID}
    rm -f "$TMP/allocations"
    kill -USR2 "$pid"
    for _ in $(seq 100); do [[ -s $TMP/allocations ]] && break; sleep 0.01; done
    ALLOCS=$(cat "$TMP/allocations" 2>/dev/null) || die "the allocation counter did not answer"
    CPU_NS=$(cat /proc/"$pid"/task/*/schedstat | awk '{ total += $1 } END { printf "%.0f", total }')
}

# measure METHOD PATH: sets PER_ALLOC and PER_US (per request)
measure() {
    local method=$1 path=$2 allocs cpu
    keepalive_client "$method" "$path" 0 "$WARMUP"
    counts; allocs=$ALLOCS; cpu=$CPU_NS
    keepalive_client "$method" "$path" "$WARMUP" "$REQUESTS"
    counts
    PER_ALLOC=$(awk -v a="$ALLOCS" -v b="$allocs" -v n="$REQUESTS" 'BEGIN { printf "%.1f", (a - b) / n }')
    PER_US=$(awk -v a="$CPU_NS" -v b="$cpu" -v n="$REQUESTS" 'BEGIN { printf "%.1f", (a - b) / n / 1000 }')
}

echo "per request ($WHICH $BINARY; $REQUESTS requests each after $WARMUP, one connection):"
printf '  %-28s %12s %14s\n' "" "allocations" "CPU µs"
# The bare Hummingbird anchor (Benchmarks/HummingbirdAnchor), when kv.sh has built it: what the
# framework itself costs per request.
ANCHOR_BIN=$(swift build -c release --package-path Benchmarks/HummingbirdAnchor --show-bin-path 2>/dev/null)/HummingbirdAnchor
if [[ -x $ANCHOR_BIN ]]; then
    ANCHOR_PORT=$(free_port)
    ALLOCCOUNT_FILE="$TMP/allocations" LD_PRELOAD="$TMP/alloccount.so" "$ANCHOR_BIN" "$ANCHOR_PORT" >"$TMP/anchor.log" 2>&1 &
    ANCHOR_PID=$!
    PIDS+=("$ANCHOR_PID")
    wait_for anchor "$ANCHOR_PID" curl -sf "http://$HOST:$ANCHOR_PORT/ping"
    SAVED_PORT=$PORT PORT=$ANCHOR_PORT PID=$ANCHOR_PID
    measure GET /ping
    PORT=$SAVED_PORT; unset PID
    printf '  %-28s %12s %14s\n' "bare Hummingbird GET /ping" "$PER_ALLOC" "$PER_US"
else
    echo "  (bare Hummingbird: not built; scripts/bench/kv.sh builds Benchmarks/HummingbirdAnchor)"
fi
for entry in "GET /api/v1/ping (no-op)|GET|/api/v1/ping" "GET /health|GET|/health" "GET /api/v1/health|GET|/api/v1/health" \
    "GET 16-byte value|GET|/api/v1/kv/bench-get" "PUT 16 B, always|PUT|/api/v1/kv/put" \
    "GET /api/v1/metrics|GET|/api/v1/metrics"; do
    IFS='|' read -r label method path <<<"$entry"
    measure "$method" "$path"
    printf '  %-28s %12s %14s\n' "$label" "$PER_ALLOC" "$PER_US"
done
samples=$(curl -sf "http://$HOST:$PORT/api/v1/metrics" | grep -vc '^#' || true)
printf '  %-28s %12s %14s   (%d samples a scrape)\n' "scrape per 1,000 samples" \
    "$(awk -v a="$PER_ALLOC" -v s="$samples" 'BEGIN { printf "%.1f", a * 1000 / s }')" \
    "$(awk -v a="$PER_US" -v s="$samples" 'BEGIN { printf "%.1f", a * 1000 / s }')" "$samples"
