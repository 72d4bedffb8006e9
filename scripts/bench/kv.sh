#!/usr/bin/env bash
# Benchmark (not a test): kvstore's hot path beside the framework it runs on and beside Redis,
# every server started by this script, every figure and ratio from one run.
#
#   scripts/bench/kv.sh [BINARY]         (default .build/release/kvstore)
#
# Environment: DURATION (seconds per wrk run, default 5), CONNECTIONS (default 32),
# REDIS_REQUESTS (requests per redis-benchmark test; by default a probe sizes each to
# about DURATION seconds), SCRAPES (default 200).
#
# Servers: kvstore with durability `always` (the defaults otherwise), a second kvstore from the
# same build with metrics.enabled false, the bare Hummingbird anchor (Benchmarks/HummingbirdAnchor:
# Hummingbird 2.28.1 with one route, built here with `swift build -c release` the first time,
# never linked into kvstore), Redis without persistence and Redis with appendonly yes +
# appendfsync always.
# Figures (requests per second, loopback, wrk -t1 -c32 / redis-benchmark -c32 -d16):
#   bare Hummingbird GET /ping, kvstore's no-op route GET /api/v1/ping, kvstore GET of a preloaded
#   16-byte value (monitoring on and off), /health, /api/v1/health, PUT of 16-byte values to
#   unique keys (32 writers and 1 writer), Redis GET and SET (appendfsync always), and the mean
#   time of SCRAPES scrapes of /api/v1/metrics on one keep-alive connection, per 1,000 samples.
# Ratios and goals (../shared/BENCHMARKS.md and the hot-path issue):
#   no-op route / bare Hummingbird       >= 0.90
#   kvstore GET / no-op route            >= 0.95
#   kvstore GET / Redis GET              >= 0.65
#   PUT(32 writers) / Redis SET always   >= 0.60
#   /api/v1/health / no-op route         >= 0.90
#   /health / no-op route                >= 0.97
#   scrape, ms per 1,000 samples         <= 1.0
#   GET with monitoring on / off         >= 0.98
# A figure below its goal is reported, not failed: this is not a test.
set -euo pipefail

BINARY=${1:-.build/release/kvstore}
DURATION=${DURATION:-5}
SCRAPES=${SCRAPES:-200}
CONNECTIONS=${CONNECTIONS:-32}
HOST=127.0.0.1
# every step is bounded: a wrk run by DURATION plus this, a start-up by START_WAIT
SLACK=30
START_WAIT=20

NAME=kv.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY (build it: swift build -c release)"
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
for tool in wrk redis-server redis-cli redis-benchmark curl python3 swift; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# --- the bare Hummingbird anchor, built once in its own package ----------------------------
ANCHOR_PACKAGE=$ROOT/Benchmarks/HummingbirdAnchor
echo "building the bare Hummingbird anchor ($ANCHOR_PACKAGE, release; minutes the first time)..."
timeout 1800 swift build -c release --package-path "$ANCHOR_PACKAGE" >"$TMP/anchor-build.log" 2>&1 \
    || die "building the anchor failed: $(tail -5 "$TMP/anchor-build.log")"
ANCHOR=$(swift build -c release --package-path "$ANCHOR_PACKAGE" --show-bin-path)/HummingbirdAnchor
ANCHOR_PORT=$(free_port)
"$ANCHOR" "$ANCHOR_PORT" >"$TMP/anchor.log" 2>&1 &
ANCHOR_PID=$!
PIDS+=("$ANCHOR_PID")
wait_for anchor "$ANCHOR_PID" curl -sf "http://$HOST:$ANCHOR_PORT/ping"

# --- start kvstore (durability always) and two Redis servers -------------------------------
KV_PORT=$(free_port)
mkdir -p "$TMP/kvdata" "$TMP/redis-aof" "$TMP/redis-plain"
"$BINARY" --data-dir "$TMP/kvdata" --host "$HOST" --port "$KV_PORT" --durability always \
    --log-level warning >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$KV_PORT/health"

# The same build with monitoring off (no metrics middleware, no metric families).
OFF_PORT=$(free_port)
mkdir -p "$TMP/kvdata-off"
"$BINARY" --data-dir "$TMP/kvdata-off" --host "$HOST" --port "$OFF_PORT" --durability always \
    --log-level warning --set metrics.enabled=false >"$TMP/kvstore-off.log" 2>&1 &
OFF_PID=$!
PIDS+=("$OFF_PID")
wait_for kvstore-off "$OFF_PID" curl -sf "http://$HOST:$OFF_PORT/health"

REDIS_PORT=$(free_port)
redis-server --bind "$HOST" --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$TMP/redis-plain" --logfile "$TMP/redis.log" --daemonize no &
PIDS+=("$!")
wait_for redis "$!" redis-cli -h "$HOST" -p "$REDIS_PORT" ping

REDIS_AOF_PORT=$(free_port)
redis-server --bind "$HOST" --port "$REDIS_AOF_PORT" --save '' --appendonly yes \
    --appendfsync always --dir "$TMP/redis-aof" --logfile "$TMP/redis-aof.log" --daemonize no &
PIDS+=("$!")
wait_for redis-aof "$!" redis-cli -h "$HOST" -p "$REDIS_AOF_PORT" ping

# --- wrk scripts ---------------------------------------------------------------------------
# PUT to unique keys: a per-thread counter, keys prefixed by run and thread.
write_put_script() { # FILE PREFIX
    cat >"$1" <<EOF
local counter = 0
local thread_id = 0
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  thread_id = tid or 0
end
local body = "0123456789abcdef"  -- 16 bytes
local headers = { ["Content-Type"] = "application/octet-stream" }
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/api/v1/kv/$2-" .. thread_id .. "-" .. counter, headers, body)
end
EOF
}
write_put_script "$TMP/put32.lua" put32
write_put_script "$TMP/put1.lua" put1

# Preload the 16-byte value GET reads.
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary '0123456789abcdef' \
    "http://$HOST:$KV_PORT/api/v1/kv/bench-get")
[[ $code == 201 || $code == 200 ]] || die "preload PUT answered $code"
got=$(curl -sf "http://$HOST:$KV_PORT/api/v1/kv/bench-get")
[[ $got == 0123456789abcdef ]] || die "preloaded value read back as '$got'"
curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:$OFF_PORT/api/v1/kv/bench-get" >/dev/null \
    || die "preload PUT (monitoring off) failed"


# redis_bench PORT TESTS FIGURE N: sets RPS to the req/s of FIGURE (GET or SET)
redis_bench() {
    local port=$1 tests=$2 figure=$3 n=$4 out
    out=$(timeout $((DURATION * 3 + SLACK)) redis-benchmark -h "$HOST" -p "$port" -c "$CONNECTIONS" \
        -d 16 -n "$n" -t "$tests" -q 2>&1 | tr '\r' '\n') \
        || die "redis-benchmark -t $tests failed: $out"
    RPS=$(echo "$out" | awk -v f="$figure:" '$1 == f && /requests per second/ {v = $2} END {print v}')
    [[ -n $RPS ]] || die "no $figure figure in redis-benchmark output: $out"
}

# run_redis LABEL PORT TESTS FIGURE: a short probe sizes the run to about DURATION
# seconds (redis-benchmark counts requests, not time); prints the figure, sets RPS
run_redis() {
    local name=$1 port=$2 tests=$3 figure=$4 n
    if [[ -n ${REDIS_REQUESTS:-} ]]; then
        n=$REDIS_REQUESTS
    else
        redis_bench "$port" "$tests" "$figure" 2000
        n=$(awk -v r="$RPS" -v d="$DURATION" 'BEGIN { n = int(r * d); if (n < 2000) n = 2000; if (n > 5000000) n = 5000000; print n }')
    fi
    redis_bench "$port" "$tests" "$figure" "$n"
    printf '  %-36s %12s req/s   (%d requests)\n' "$name" "$RPS" "$n"
}

echo "kvstore benchmark: $BINARY, wrk -t1 -c$CONNECTIONS -d${DURATION}s, redis-benchmark -c$CONNECTIONS -d16 -q"
echo "framework:"
WATCH_PID=$ANCHOR_PID WATCH_LOG=$TMP/anchor.log run_wrk anchor "bare Hummingbird GET /ping" "$CONNECTIONS" "http://$HOST:$ANCHOR_PORT/ping"; BARE=$RPS
echo "kvstore:"
run_wrk ping "GET /api/v1/ping (no-op route)" "$CONNECTIONS" "http://$HOST:$KV_PORT/api/v1/ping"; KV_NOOP=$RPS
run_wrk get "GET 16-byte value" "$CONNECTIONS" "http://$HOST:$KV_PORT/api/v1/kv/bench-get"; KV_GET=$RPS
WATCH_PID=$OFF_PID WATCH_LOG=$TMP/kvstore-off.log run_wrk getoff "GET 16-byte value, monitoring off" "$CONNECTIONS" "http://$HOST:$OFF_PORT/api/v1/kv/bench-get"; KV_GET_OFF=$RPS
run_wrk health "GET /health" "$CONNECTIONS" "http://$HOST:$KV_PORT/health"; KV_HEALTH=$RPS
run_wrk report "GET /api/v1/health" "$CONNECTIONS" "http://$HOST:$KV_PORT/api/v1/health"; KV_REPORT=$RPS
# batch_totals: "SUM COUNT" of kvstore_storage_commit_batch_size so far
batch_totals() {
    curl -sf "http://$HOST:$KV_PORT/api/v1/metrics" | awk '
        /^kvstore_storage_commit_batch_size_sum / {s = $2} /^kvstore_storage_commit_batch_size_count / {c = $2}
        END { print s + 0, c + 0 }'
}
read -r BATCH_SUM0 BATCH_COUNT0 < <(batch_totals)
run_wrk put32 "PUT 16 B, always, $CONNECTIONS writers" "$CONNECTIONS" "http://$HOST:$KV_PORT" "$TMP/put32.lua"; KV_PUT32=$RPS
read -r BATCH_SUM1 BATCH_COUNT1 < <(batch_totals)
run_wrk put1 "PUT 16 B, always, 1 writer" 1 "http://$HOST:$KV_PORT" "$TMP/put1.lua"; KV_PUT1=$RPS
SAMPLES=$(curl -sf "http://$HOST:$KV_PORT/api/v1/metrics" | grep -vc '^#' || true)
SCRAPE=$(scrape_ms "$KV_PORT" "$SCRAPES") || die "the scrapes failed"
SCRAPE_PER_1000=$(awk -v t="$SCRAPE" -v s="$SAMPLES" 'BEGIN { printf "%.2f", t / s * 1000 }')
printf '  %-36s %12s ms      (%d samples, %d scrapes)\n' "scrape of /api/v1/metrics" "$SCRAPE" "$SAMPLES" "$SCRAPES"
BATCHES=$(awk -v s0="$BATCH_SUM0" -v c0="$BATCH_COUNT0" -v s1="$BATCH_SUM1" -v c1="$BATCH_COUNT1" \
    'BEGIN { if (c1 > c0) printf "%.1f", (s1 - s0) / (c1 - c0); else print "n/a" }')
printf '  %-36s %12s         (kvstore_storage_commit_batch_size over the %d-writer PUT run)\n' \
    "writes per commit (mean)" "$BATCHES" "$CONNECTIONS"

# a spot check that the PUTs were stored
n=$(curl -sf "http://$HOST:$KV_PORT/api/v1/kv?prefix=put1-&limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))' || echo "?")
[[ $n == 5 ]] || echo "  WARNING: listing put1- keys found $n (expected 5)"

echo "redis:"
# SET first so that GET reads a stored 16-byte value
run_redis "GET (no persistence)" "$REDIS_PORT" set,get GET; REDIS_GET=$RPS
run_redis "SET (appendfsync always)" "$REDIS_AOF_PORT" set SET; REDIS_SET=$RPS

# row LABEL VALUE GOAL [lower]: one line of the table; "lower" when smaller is better
row() {
    local label=$1 value=$2 goal=$3 verdict
    if [[ ${4:-} == lower ]]; then
        verdict=$(awk -v r="$value" -v g="$goal" 'BEGIN { if (r == "n/a") print "?"; else if (r + 0 <= g + 0) print "meets goal"; else print "BELOW goal" }')
        printf '  %-40s %6s   (goal <= %s: %s)\n' "$label" "$value" "$goal" "$verdict"
    else
        printf '  %-40s %6s   (goal >= %s: %s)\n' "$label" "$value" "$goal" "$(verdict "$value" "$goal")"
    fi
}
echo "ratios:"
row "no-op route / bare Hummingbird" "$(ratio "$KV_NOOP" "$BARE")" 0.90
row "kvstore GET / no-op route" "$(ratio "$KV_GET" "$KV_NOOP")" 0.95
row "kvstore GET / Redis GET" "$(ratio "$KV_GET" "$REDIS_GET")" 0.65
row "PUT($CONNECTIONS) always / Redis SET always" "$(ratio "$KV_PUT32" "$REDIS_SET")" 0.60
row "/api/v1/health / no-op route" "$(ratio "$KV_REPORT" "$KV_NOOP")" 0.90
row "/health / no-op route" "$(ratio "$KV_HEALTH" "$KV_NOOP")" 0.97
row "scrape, ms per 1,000 samples" "$SCRAPE_PER_1000" 1.0 lower
row "GET, monitoring on / off" "$(ratio "$KV_GET" "$KV_GET_OFF")" 0.98
printf '  %-40s %6s   (group commit gain)\n' "PUT($CONNECTIONS) / PUT(1)" "$(ratio "$KV_PUT32" "$KV_PUT1")"
for log in "$TMP/kvstore.log" "$TMP/kvstore-off.log"; do
    if grep -qiE 'error|fatal|crit' "$log"; then
        echo "kvstore log $(basename "$log") had errors:"
        grep -iE 'error|fatal|crit' "$log" | head -10
    fi
done
