#!/usr/bin/env bash
# Benchmark (not a test): instructions per request, counted by valgrind's callgrind. Instruction
# counts do not depend on what else the machine is doing, so two builds compare exactly where
# requests per second swing by a tenth from run to run.
#
#   scripts/bench/callgrind.sh [BINARY ...]     (default .build/release/kvstore)
#
# One column per BINARY (give the old build first to compare two), beside the bare Hummingbird
# anchor (Benchmarks/HummingbirdAnchor, once kv.sh built it), and GET once more with monitoring off
# (metrics.enabled false). "on / off" is off's instructions over on's: the throughput ratio the
# instructions predict.
# Environment: REQUESTS (requests counted per route, default 500), WARMUP (before the count,
# default 100), KEEP (a folder to keep each interval's callgrind profile in; names are not
# compressed, so each file reads on its own).
#
# How: each server runs under `valgrind --tool=callgrind` with durability `always` and the health
# checks and snapshots on a one-day interval (no background work in a count). For each route a
# Python client sends WARMUP requests on one keep-alive connection, `callgrind_control --zero`
# clears the counters, REQUESTS more are sent, `callgrind_control --dump` writes what they cost:
# per request = the interval's instructions (Ir, every thread of the server) / REQUESTS. The
# event loops' one-second timers land in the interval too: a few thousand instructions a second
# against millions.
#
# Two things valgrind 3.19 (Debian 12) cannot take from a Swift 6.3 binary, worked around here:
# it dies in the dispatch_main that ends Swift's async main, so the LD_PRELOAD shim
# scripts/bench/callgrind/main-queue.c (built here with cc) serves the main queue instead; and
# it gives up on the DWARF 5 debug info ("Possibly corrupted debuginfo file"), so each binary
# runs as a copy without it (strip --strip-debug; function names stay).
set -euo pipefail

cd "$(dirname "$0")/../.."
REQUESTS=${REQUESTS:-500}
WARMUP=${WARMUP:-100}
HOST=127.0.0.1
SLACK=60
# a server under callgrind starts about 50 times slower
START_WAIT=240
NAME=callgrind.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
for tool in valgrind callgrind_control cc strip python3 curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed (scripts/setup.sh bench installs valgrind)"
done
BINARIES=("$@")
if ((${#BINARIES[@]} == 0)); then
    pick_kvstore_binary ""
    BINARIES=("$BINARY")
fi
for binary in "${BINARIES[@]}"; do [[ -x $binary ]] || die "no executable at $binary"; done
cc -O2 -shared -fPIC -o "$TMP/main-queue.so" scripts/bench/callgrind/main-queue.c \
    || die "could not build scripts/bench/callgrind/main-queue.c"

# under_callgrind ID EXECUTABLE ARGUMENTS...: starts a copy of EXECUTABLE without debug info under
# callgrind in the background, sets PID
under_callgrind() {
    local id=$1 executable=$2; shift 2
    mkdir -p "$TMP/$id"
    strip --strip-debug -o "$TMP/$id/$(basename "$executable")" "$executable" || die "strip $executable failed"
    (cd "$TMP/$id" && LD_PRELOAD="$TMP/main-queue.so" exec valgrind --tool=callgrind --quiet --compress-strings=no --compress-pos=no \
        --callgrind-out-file="$TMP/$id/callgrind.out" "./$(basename "$executable")" "$@" >"$TMP/$id.log" 2>&1) &
    PID=$!
    PIDS+=("$PID")
}

# instructions ID METHOD PATH: sets PER_REQUEST, the instructions per request of METHOD PATH
instructions() {
    local id=$1 method=$2 path=$3 dump
    keepalive_client "$method" "$path" 0 "$WARMUP"
    timeout "$SLACK" callgrind_control --zero "$PID" >/dev/null 2>&1 || die "callgrind_control --zero $PID failed"
    keepalive_client "$method" "$path" "$WARMUP" "$REQUESTS"
    timeout "$SLACK" callgrind_control --dump="$method $path" "$PID" >/dev/null 2>&1 || die "callgrind_control --dump $PID failed"
    # the newest part file is this interval's profile
    dump=$(find "$TMP/$id" -name 'callgrind.out.*' -printf '%T@ %p\n' | sort -n | tail -1 | cut -d' ' -f2)
    [[ -n $dump ]] || die "callgrind wrote no profile for $method $path"
    PER_REQUEST=$(awk -v n="$REQUESTS" '/^(summary|totals):/ { total = $2 } END { printf "%.0f", total / n }' "$dump")
    if [[ -n ${KEEP:-} ]]; then
        mkdir -p "$KEEP"
        cp "$dump" "$KEEP/$id-$(echo "$method$path" | tr -c 'A-Za-z0-9' '-').callgrind"
    fi
}

ROUTES=("GET /api/v1/ping (no-op)|GET|/api/v1/ping" "GET /health|GET|/health" "GET /api/v1/health|GET|/api/v1/health"
    "GET 16-byte value|GET|/api/v1/kv/bench-get" "PUT 16 B, always|PUT|/api/v1/kv/put" "GET /api/v1/metrics|GET|/api/v1/metrics")
declare -A FIGURE

ANCHOR_BIN=$(swift build -c release --package-path Benchmarks/HummingbirdAnchor --show-bin-path 2>/dev/null || true)/HummingbirdAnchor
ANCHOR=""
if [[ -x $ANCHOR_BIN ]]; then
    PORT=$(free_port)
    under_callgrind anchor "$ANCHOR_BIN" "$PORT"
    wait_for anchor "$PID" curl -sf "http://$HOST:$PORT/ping"
    instructions anchor GET /ping
    ANCHOR=$PER_REQUEST
    kill "$PID"
fi

column=0
for binary in "${BINARIES[@]}"; do
    column=$((column + 1))
    PORT=$(free_port)
    mkdir -p "$TMP/data-$column"
    KVSTORE_HEALTH_INTERVAL_SECONDS=86400 KVSTORE_SNAPSHOTS_INTERVAL_SECONDS=86400 \
        under_callgrind "kvstore-$column" "$binary" \
        --data-dir "$TMP/data-$column" --host "$HOST" --port "$PORT" --durability always --log-level warning
    wait_for "kvstore-$column" "$PID" curl -sf "http://$HOST:$PORT/health"
    curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:$PORT/api/v1/kv/bench-get" >/dev/null \
        || die "preload PUT failed"
    for entry in "${ROUTES[@]}"; do
        IFS='|' read -r label method path <<<"$entry"
        instructions "kvstore-$column" "$method" "$path"
        FIGURE[$column,$label]=$PER_REQUEST
    done
    FIGURE[$column,samples]=$(curl -sf "http://$HOST:$PORT/api/v1/metrics" | grep -vc '^#' || true)
    kill "$PID"
    # the same GET with monitoring off (no metrics stage, no metric families)
    PORT=$(free_port)
    mkdir -p "$TMP/data-$column-off"
    KVSTORE_HEALTH_INTERVAL_SECONDS=86400 KVSTORE_SNAPSHOTS_INTERVAL_SECONDS=86400 \
        under_callgrind "kvstore-$column-off" "$binary" \
        --data-dir "$TMP/data-$column-off" --host "$HOST" --port "$PORT" --durability always --log-level warning \
        --set metrics.enabled=false
    wait_for "kvstore-$column-off" "$PID" curl -sf "http://$HOST:$PORT/health"
    curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:$PORT/api/v1/kv/bench-get" >/dev/null \
        || die "preload PUT failed"
    instructions "kvstore-$column-off" GET /api/v1/kv/bench-get
    FIGURE[$column,GET, monitoring off]=$PER_REQUEST
    kill "$PID"
done
ROUTES+=("GET, monitoring off|GET|/api/v1/kv/bench-get")

echo "instructions per request (callgrind Ir, every thread; $REQUESTS requests each after $WARMUP, one connection):"
for column in $(seq ${#BINARIES[@]}); do echo "  [$column] ${BINARIES[$((column - 1))]}"; done
printf '  %-28s' ""; for column in $(seq ${#BINARIES[@]}); do printf ' %12s' "[$column]"; done
((${#BINARIES[@]} == 2)) && printf ' %9s' "[2]/[1]"
echo
[[ -n $ANCHOR ]] && printf '  %-28s %12s\n' "bare Hummingbird GET /ping" "$ANCHOR"
for entry in "${ROUTES[@]}"; do
    IFS='|' read -r label _ <<<"$entry"
    printf '  %-28s' "$label"
    for column in $(seq ${#BINARIES[@]}); do printf ' %12s' "${FIGURE[$column,$label]}"; done
    ((${#BINARIES[@]} == 2)) && printf ' %9s' "$(ratio "${FIGURE[2,$label]}" "${FIGURE[1,$label]}")"
    echo
done
printf '  %-28s' "scrape per 1,000 samples"
for column in $(seq ${#BINARIES[@]}); do
    printf ' %12s' "$(awk -v a="${FIGURE[$column,GET /api/v1/metrics]}" -v s="${FIGURE[$column,samples]}" 'BEGIN { printf "%.0f", a * 1000 / s }')"
done
echo
printf '  %-28s' "(samples a scrape)"; for column in $(seq ${#BINARIES[@]}); do printf ' %12s' "${FIGURE[$column,samples]}"; done; echo
printf '  %-28s' "GET, monitoring on / off"
for column in $(seq ${#BINARIES[@]}); do
    printf ' %12s' "$(ratio "${FIGURE[$column,GET, monitoring off]}" "${FIGURE[$column,GET 16-byte value]}")"
done
echo
if [[ -n $ANCHOR ]]; then
    printf '  %-28s' "no-op route / bare"
    for column in $(seq ${#BINARIES[@]}); do printf ' %12s' "$(ratio "${FIGURE[$column,GET /api/v1/ping (no-op)]}" "$ANCHOR")"; done
    echo
fi
