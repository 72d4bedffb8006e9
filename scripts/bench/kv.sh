#!/usr/bin/env bash
# Benchmark (not a test): kvstore GET/PUT throughput beside a no-op route of the
# same server and beside Redis, all started by this script, in one run.
#
#   scripts/bench/kv.sh [BINARY]         (default .build/release/kvstore)
#
# Environment: DURATION (seconds per wrk run, default 5), CONNECTIONS (default 32),
# REDIS_REQUESTS (requests per redis-benchmark test; by default a probe sizes each to
# about DURATION seconds).
#
# Figures (requests per second, loopback, wrk -t1 -c32 / redis-benchmark -c32 -d16):
#   kvstore GET of a preloaded 16-byte value, the no-op route /api/v1/ping,
#   kvstore PUT of 16-byte values to unique keys with durability `always`
#   (32 writers and 1 writer), Redis GET (no persistence) and Redis SET with
#   appendonly yes + appendfsync always.
# Ratios and goals (../shared/BENCHMARKS.md):
#   kvstore GET / Redis GET            >= 0.65
#   kvstore GET / no-op route          >= 0.95
#   kvstore PUT(32) / Redis SET always >= 0.5
# A figure below its goal is reported, not failed: this is not a test.
set -euo pipefail

BINARY=${1:-.build/release/kvstore}
DURATION=${DURATION:-5}
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
for tool in wrk redis-server redis-cli redis-benchmark curl python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done

# --- start kvstore (durability always) and two Redis servers -------------------------------
KV_PORT=$(free_port)
mkdir -p "$TMP/kvdata" "$TMP/redis-aof" "$TMP/redis-plain"
"$BINARY" --data-dir "$TMP/kvdata" --host "$HOST" --port "$KV_PORT" --durability always \
    --log-level warning >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$KV_PORT/health"

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
echo "kvstore:"
run_wrk get "GET 16-byte value" "$CONNECTIONS" "http://$HOST:$KV_PORT/api/v1/kv/bench-get"; KV_GET=$RPS
run_wrk ping "GET /api/v1/ping (no-op route)" "$CONNECTIONS" "http://$HOST:$KV_PORT/api/v1/ping"; KV_NOOP=$RPS
run_wrk put32 "PUT 16 B, always, $CONNECTIONS writers" "$CONNECTIONS" "http://$HOST:$KV_PORT" "$TMP/put32.lua"; KV_PUT32=$RPS
run_wrk put1 "PUT 16 B, always, 1 writer" 1 "http://$HOST:$KV_PORT" "$TMP/put1.lua"; KV_PUT1=$RPS

# a spot check that the PUTs were stored
n=$(curl -sf "http://$HOST:$KV_PORT/api/v1/kv?prefix=put1-&limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))' || echo "?")
[[ $n == 5 ]] || echo "  WARNING: listing put1- keys found $n (expected 5)"

echo "redis:"
# SET first so that GET reads a stored 16-byte value
run_redis "GET (no persistence)" "$REDIS_PORT" set,get GET; REDIS_GET=$RPS
run_redis "SET (appendfsync always)" "$REDIS_AOF_PORT" set SET; REDIS_SET=$RPS

R_GET=$(ratio "$KV_GET" "$REDIS_GET")
R_NOOP=$(ratio "$KV_GET" "$KV_NOOP")
R_PUT=$(ratio "$KV_PUT32" "$REDIS_SET")
echo "ratios:"
printf '  %-36s %6s   (goal >= 0.65: %s)\n' "kvstore GET / Redis GET" "$R_GET" "$(verdict "$R_GET" 0.65)"
printf '  %-36s %6s   (goal >= 0.95: %s)\n' "kvstore GET / no-op route" "$R_NOOP" "$(verdict "$R_NOOP" 0.95)"
printf '  %-36s %6s   (goal >= 0.5: %s)\n' "kvstore PUT($CONNECTIONS) / Redis SET always" "$R_PUT" "$(verdict "$R_PUT" 0.5)"
printf '  %-36s %6s   (group commit gain)\n' "kvstore PUT($CONNECTIONS) / PUT(1)" "$(ratio "$KV_PUT32" "$KV_PUT1")"
if grep -qiE 'error|fatal|crit' "$TMP/kvstore.log"; then
    echo "kvstore log had errors:"
    grep -iE 'error|fatal|crit' "$TMP/kvstore.log" | head -10
fi
