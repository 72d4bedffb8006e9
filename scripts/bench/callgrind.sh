#!/usr/bin/env bash
# Benchmark (not a test): machine instructions per request, counted by valgrind's callgrind,
# for the cheap routes and the KV hot path. Instruction counts repeat from run to run on a
# noisy machine where requests per second do not, so a before/after comparison of two builds
# is made with this script and the seconds with kv.sh.
#
#   scripts/bench/callgrind.sh [BINARY]        (default .build/release/kvstore)
#
# Environment: REQUESTS (requests counted per route, default 400), WARMUP (requests before the
# count starts, default 50).
#
# How: the server runs under `valgrind --tool=callgrind` (all threads, one profile) with
# durability `always` and the health checks and snapshots on a one-day interval, so that no
# background work falls into a count. For each route a Python client sends WARMUP requests on
# one keep-alive connection, the counters are zeroed (`callgrind_control -z`), REQUESTS more are
# sent and the profile dumped (`callgrind_control -d`); instructions per request = the dump's
# total / REQUESTS. It includes everything the process did meanwhile: the event loop, the
# middleware, the route, the LMDB writer thread and its fsync system calls (not the kernel's
# work inside them).
#   GET /api/v1/ping          the no-op route (what every request pays)
#   GET /health               the cheap liveness answer
#   GET /api/v1/health        the full health report
#   GET /api/v1/kv/bench-get  a 16-byte value
#   PUT /api/v1/kv/<unique>   16 bytes, no conditions, one writer
#   GET /api/v1/metrics       one full scrape (per 1,000 samples printed too)
# Each line also prints the ratio to the no-op route. Profiles stay in $KEEP_PROFILES when set
# (callgrind_annotate FILE shows where the instructions go).
set -euo pipefail

cd "$(dirname "$0")/../.."
REQUESTS=${REQUESTS:-400}
WARMUP=${WARMUP:-50}
HOST=127.0.0.1
SLACK=30
START_WAIT=180
NAME=callgrind.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
pick_kvstore_binary "${1:-}"
for tool in valgrind callgrind_control python3 curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install valgrind)"
done

PORT=$(free_port)
mkdir -p "$TMP/data"
KVSTORE_HEALTH_INTERVAL_SECONDS=86400 KVSTORE_SNAPSHOTS_INTERVAL_SECONDS=86400 \
    valgrind --tool=callgrind --callgrind-out-file="$TMP/callgrind.out" \
    "$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --durability always --log-level warning \
    >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:$PORT/api/v1/kv/bench-get" >/dev/null \
    || die "preload PUT failed"

# client METHOD PATH FIRST COUNT: COUNT requests on one keep-alive connection; a PUT's path
# gets a counter from FIRST (unique keys)
client() {
    timeout $((SLACK * 20)) python3 - "$HOST" "$PORT" "$@" <<'EOF'
import http.client, sys
host, port, method, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
first, count = int(sys.argv[5]), int(sys.argv[6])
connection = http.client.HTTPConnection(host, port, timeout=120)
for n in range(first, first + count):
    target, body = (f"{path}-{n}", b"0123456789abcdef") if method == "PUT" else (path, None)
    connection.request(method, target, body=body)
    response = connection.getresponse()
    response.read()
    if response.status >= 300:
        sys.exit(f"{method} {target} answered {response.status}")
EOF
}

# measure LABEL METHOD PATH: prints instructions per request, sets IR
DUMP=0
measure() {
    local label=$1 method=$2 path=$3 file total
    client "$method" "$path" 0 "$WARMUP"
    callgrind_control -z "$KV_PID" >/dev/null
    client "$method" "$path" "$WARMUP" "$REQUESTS"
    callgrind_control -d "$KV_PID" >/dev/null
    DUMP=$((DUMP + 1))
    file=$(ls -t "$TMP"/callgrind.out* | head -n 1)
    total=$(awk '/^(totals|summary):/ {print $2; exit}' "$file")
    [[ -n $total ]] || die "no totals in $file"
    [[ -n ${KEEP_PROFILES:-} ]] && mkdir -p "$KEEP_PROFILES" && cp "$file" "$KEEP_PROFILES/$(echo "$label" | tr -c 'a-zA-Z0-9\n' '_').out"
    IR=$((total / REQUESTS))
}

echo "instructions per request ($WHICH build $BINARY, callgrind, $REQUESTS requests each after $WARMUP):"
measure noop GET /api/v1/ping; NOOP=$IR
printf '  %-28s %10d   1.00x no-op\n' "GET /api/v1/ping (no-op)" "$NOOP"
for entry in "GET /health|GET|/health" "GET /api/v1/health|GET|/api/v1/health" \
    "GET 16-byte value|GET|/api/v1/kv/bench-get" "PUT 16 B, always|PUT|/api/v1/kv/put" \
    "GET /api/v1/metrics|GET|/api/v1/metrics"; do
    IFS='|' read -r label method path <<<"$entry"
    measure "$label" "$method" "$path"
    printf '  %-28s %10d   %.2fx no-op\n' "$label" "$IR" "$(awk -v a="$IR" -v b="$NOOP" 'BEGIN {print a / b}')"
done
samples=$(curl -sf "http://$HOST:$PORT/api/v1/metrics" | grep -vc '^#' || true)
printf '  %-28s %10d   (%d samples a scrape)\n' "scrape per 1,000 samples" "$((IR * 1000 / samples))" "$samples"
