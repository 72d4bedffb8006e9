#!/usr/bin/env bash
# Benchmark (not a test): kvstore's hot path beside the framework it runs on and beside Redis,
# every server started by this script, every figure and ratio from one run.
#
#   scripts/bench/kv.sh [BINARY [BEFORE]]   (default .build/release/kvstore)
#
# With BEFORE (an older build), its kvstore figures are measured in the same run, each right
# before BINARY's, and every kvstore ratio is printed for both ("before" and "after") beside
# the same anchor and Redis figures: the before/after table from one run.
#
# Environment: ROUNDS (default 1: every wrk figure, the anchor's included, measured ROUNDS times in
# turn, and each ratio taken from the medians; this host's rates drift by a fifth within minutes),
# DURATION (seconds per wrk run, default 5), CONNECTIONS (default 32), PIN (default 1: every server
# on the first CPU the script may use and wrk / redis-benchmark on the others, see pin_cpus in
# scripts/lib.sh; 0: unpinned),
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
#   time of SCRAPES scrapes of /api/v1/metrics on one keep-alive connection, per 1,000 samples, of
#   the full exposition (after every route x method was hit once, as in metrics.sh).
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
ROUNDS=${ROUNDS:-1}
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
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer (got '$ROUNDS')"
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
for tool in wrk redis-server redis-cli redis-benchmark curl python3 swift; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
pin_cpus

# --- the bare Hummingbird anchor, built once in its own package ----------------------------
ANCHOR_PACKAGE=$ROOT/Benchmarks/HummingbirdAnchor
echo "building the bare Hummingbird anchor ($ANCHOR_PACKAGE, release; minutes the first time)..."
timeout 1800 swift build -c release --package-path "$ANCHOR_PACKAGE" >"$TMP/anchor-build.log" 2>&1 \
    || die "building the anchor failed: $(tail -5 "$TMP/anchor-build.log")"
ANCHOR=$(swift build -c release --package-path "$ANCHOR_PACKAGE" --show-bin-path)/HummingbirdAnchor
ANCHOR_PORT=$(free_port)
"${SERVER_CPUS[@]}" "$ANCHOR" "$ANCHOR_PORT" >"$TMP/anchor.log" 2>&1 &
ANCHOR_PID=$!
PIDS+=("$ANCHOR_PID")
wait_for anchor "$ANCHOR_PID" curl -sf "http://$HOST:$ANCHOR_PORT/ping"

# --- kvstore servers, started per build by start_kvstore, and two Redis servers -------------
BEFORE=${2:-}
[[ -z $BEFORE || -x $BEFORE ]] || die "no executable at $BEFORE"
[[ -n $BEFORE ]] && BEFORE=$(cd "$(dirname "$BEFORE")" && pwd)/$(basename "$BEFORE")
mkdir -p "$TMP/redis-aof" "$TMP/redis-plain"

REDIS_PORT=$(free_port)
"${SERVER_CPUS[@]}" redis-server --bind "$HOST" --port "$REDIS_PORT" --save '' --appendonly no \
    --dir "$TMP/redis-plain" --logfile "$TMP/redis.log" --daemonize no &
PIDS+=("$!")
wait_for redis "$!" redis-cli -h "$HOST" -p "$REDIS_PORT" ping

REDIS_AOF_PORT=$(free_port)
"${SERVER_CPUS[@]}" redis-server --bind "$HOST" --port "$REDIS_AOF_PORT" --save '' --appendonly yes \
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

# start_kvstore ID BINARY: BINARY's server (durability always, the defaults otherwise) and a
# second one with monitoring off (metrics.enabled false: no metrics stage, no metric families),
# each preloaded with the 16-byte value GET reads; sets ID_PORT, ID_PID, ID_off_PORT, ID_off_PID
start_kvstore() {
    local id=$1 binary=$2 port code got
    start_kvstore_server "$id" "$binary"
    start_kvstore_server "${id}_off" "$binary" --set metrics.enabled=false
    port=${id}_PORT
    port=${!port}
    code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary '0123456789abcdef' \
        "http://$HOST:$port/api/v1/kv/bench-get")
    [[ $code == 201 || $code == 200 ]] || die "preload PUT ($id) answered $code"
    got=$(curl -sf "http://$HOST:$port/api/v1/kv/bench-get")
    [[ $got == 0123456789abcdef ]] || die "preloaded value ($id) read back as '$got'"
    port=${id}_off_PORT
    curl -sf -X PUT --data-binary '0123456789abcdef' "http://$HOST:${!port}/api/v1/kv/bench-get" >/dev/null \
        || die "preload PUT ($id, monitoring off) failed"
}
IDS=(after)
start_kvstore after "$BINARY"
if [[ -n $BEFORE ]]; then
    IDS=(before after)
    start_kvstore before "$BEFORE"
fi

# redis_bench PORT TESTS FIGURE N: sets RPS to the req/s of FIGURE (GET or SET)
redis_bench() {
    local port=$1 tests=$2 figure=$3 n=$4 out
    out=$(timeout $((DURATION * 3 + SLACK)) "${LOAD_CPUS[@]}" redis-benchmark -h "$HOST" -p "$port" -c "$CONNECTIONS" \
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

echo "kvstore benchmark: $BINARY${BEFORE:+ (after) beside $BEFORE (before)}, wrk -t1 -c$CONNECTIONS -d${DURATION}s, redis-benchmark -c$CONNECTIONS -d16 -q"

# Every round's rate of each figure (VAR_id), space-separated; the medians are taken at the end.
declare -A ROUND_RATES
# figure VAR LABEL CONNECTIONS PATH [SCRIPT] [off]: the figure for every build in turn
# (before, then after), printed, and kept for VAR_before / VAR_after
figure() {
    local var=$1 label=$2 conns=$3 path=$4 script=${5:-} off=${6:-} id port pid log
    for id in "${IDS[@]}"; do
        if [[ -n $off ]]; then port=${id}_off_PORT pid=${id}_off_PID log=$TMP/${id}_off.log
        else port=${id}_PORT pid=${id}_PID log=$TMP/$id.log; fi
        WATCH_PID=${!pid} WATCH_LOG=$log run_wrk "$var-$id" "$label${BEFORE:+ ($id)}" "$conns" "http://$HOST:${!port}$path" "$script"
        ROUND_RATES[${var}_$id]+="$RPS "
    done
}
# median VALUES...: the median of the numbers given
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# batch_totals PORT: "SUM COUNT" of kvstore_storage_commit_batch_size so far
batch_totals() {
    curl -sf "http://$HOST:$1/api/v1/metrics" | awk '
        /^kvstore_storage_commit_batch_size_sum / {s = $2} /^kvstore_storage_commit_batch_size_count / {c = $2}
        END { print s + 0, c + 0 }'
}
for id in "${IDS[@]}"; do printf -v "BATCH_SUM_$id" 0; printf -v "BATCH_COUNT_$id" 0; done
for round in $(seq "$ROUNDS"); do
    [[ $ROUNDS -gt 1 ]] && echo "round $round of $ROUNDS:"
    echo "framework:"
    WATCH_PID=$ANCHOR_PID WATCH_LOG=$TMP/anchor.log run_wrk anchor "bare Hummingbird GET /ping" "$CONNECTIONS" "http://$HOST:$ANCHOR_PORT/ping"
    ROUND_RATES[BARE]+="$RPS "
    echo "kvstore:"
    figure NOOP "GET /api/v1/ping (no-op route)" "$CONNECTIONS" /api/v1/ping
    figure GET "GET 16-byte value" "$CONNECTIONS" /api/v1/kv/bench-get
    figure GET_OFF "GET 16-byte value, monitoring off" "$CONNECTIONS" /api/v1/kv/bench-get "" off
    figure HEALTH "GET /health" "$CONNECTIONS" /health
    figure REPORT "GET /api/v1/health" "$CONNECTIONS" /api/v1/health
    for id in "${IDS[@]}"; do port=${id}_PORT; read -r "BATCH_SUM0_$id" "BATCH_COUNT0_$id" < <(batch_totals "${!port}"); done
    figure PUT32 "PUT 16 B, always, $CONNECTIONS writers" "$CONNECTIONS" "" "$TMP/put32.lua"
    # the commits of the 32-writer runs only: summed over the rounds
    for id in "${IDS[@]}"; do
        port=${id}_PORT
        read -r s1 c1 < <(batch_totals "${!port}")
        s0=BATCH_SUM0_$id c0=BATCH_COUNT0_$id sum=BATCH_SUM_$id count=BATCH_COUNT_$id
        printf -v "BATCH_SUM_$id" '%s' "$(awk -v a="${!sum}" -v s1="$s1" -v s0="${!s0}" 'BEGIN { print a + s1 - s0 }')"
        printf -v "BATCH_COUNT_$id" '%s' "$(awk -v a="${!count}" -v c1="$c1" -v c0="${!c0}" 'BEGIN { print a + c1 - c0 }')"
    done
    figure PUT1 "PUT 16 B, always, 1 writer" 1 "" "$TMP/put1.lua"
done
# shellcheck disable=SC2086  # the rates are space-separated numbers
BARE=$(median ${ROUND_RATES[BARE]})
for key in "${!ROUND_RATES[@]}"; do
    # shellcheck disable=SC2086
    [[ $key == BARE ]] || printf -v "$key" '%s' "$(median ${ROUND_RATES[$key]})"
done
[[ $ROUNDS -gt 1 ]] && echo "medians of $ROUNDS rounds: bare Hummingbird $BARE req/s, no-op ${NOOP_after} req/s (after)"
echo "scrape and batching:"
for id in "${IDS[@]}"; do
    port=${id}_PORT
    # The full exposition, as the issue's figure is defined (every route x method hit once)
    hit_every_route "${!port}"
    samples=$(curl -sf "http://$HOST:${!port}/api/v1/metrics" | grep -vc '^#' || true)
    scrape=$(scrape_ms "${!port}" "$SCRAPES") || die "the scrapes ($id) failed"
    printf -v "SCRAPE_PER_1000_$id" '%s' "$(awk -v t="$scrape" -v s="$samples" 'BEGIN { printf "%.2f", t / s * 1000 }')"
    printf '  %-36s %12s ms      (%d samples, %d scrapes)\n' "scrape of /api/v1/metrics${BEFORE:+ ($id)}" "$scrape" "$samples" "$SCRAPES"
    sum=BATCH_SUM_$id count=BATCH_COUNT_$id
    printf -v "BATCHES_$id" '%s' "$(awk -v s="${!sum}" -v c="${!count}" 'BEGIN { if (c > 0) printf "%.1f", s / c; else print "n/a" }')"
    batches=BATCHES_$id
    printf '  %-36s %12s         (kvstore_storage_commit_batch_size over the %d-writer PUT run)\n' \
        "writes per commit (mean)${BEFORE:+ ($id)}" "${!batches}" "$CONNECTIONS"
    # a spot check that the PUTs were stored
    n=$(curl -sf "http://$HOST:${!port}/api/v1/kv?prefix=put1-&limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))' || echo "?")
    [[ $n == 5 ]] || echo "  WARNING: listing put1- keys ($id) found $n (expected 5)"
done

echo "redis:"
# SET first so that GET reads a stored 16-byte value
run_redis "GET (no persistence)" "$REDIS_PORT" set,get GET; REDIS_GET=$RPS
run_redis "SET (appendfsync always)" "$REDIS_AOF_PORT" set SET; REDIS_SET=$RPS

# row LABEL GOAL HIGHER|LOWER EXPRESSION: one line of the table, the ratio for every build
# (EXPRESSION is evaluated with $id set), the verdict for the newest
row() {
    local label=$1 goal=$2 direction=$3 expression=$4 id value values=() verdict
    for id in "${IDS[@]}"; do
        value=$(eval "$expression")
        values+=("$value")
    done
    if [[ $direction == lower ]]; then
        verdict=$(awk -v r="$value" -v g="$goal" 'BEGIN { if (r == "n/a") print "?"; else if (r + 0 <= g + 0) print "meets goal"; else print "BELOW goal" }')
        verdict="goal <= $goal: $verdict"
    elif [[ $direction == higher ]]; then
        verdict="goal >= $goal: $(verdict "$value" "$goal")"
    else
        verdict=$goal
    fi
    printf '  %-40s' "$label"
    printf ' %6s' "${values[@]}"
    printf '   (%s)\n' "$verdict"
}
# v VAR: VAR's figure for the build $id
v() { local name=${1}_$id; echo "${!name}"; }
MEDIANS=""
[[ $ROUNDS -gt 1 ]] && MEDIANS=" (from the medians of $ROUNDS rounds)"
echo "ratios:${BEFORE:+ (before, after)}$MEDIANS"
row "no-op route / bare Hummingbird" 0.90 higher 'ratio "$(v NOOP)" "$BARE"'
row "kvstore GET / no-op route" 0.95 higher 'ratio "$(v GET)" "$(v NOOP)"'
row "kvstore GET / Redis GET" 0.65 higher 'ratio "$(v GET)" "$REDIS_GET"'
row "PUT($CONNECTIONS) always / Redis SET always" 0.60 higher 'ratio "$(v PUT32)" "$REDIS_SET"'
row "/api/v1/health / no-op route" 0.90 higher 'ratio "$(v REPORT)" "$(v NOOP)"'
row "/health / no-op route" 0.97 higher 'ratio "$(v HEALTH)" "$(v NOOP)"'
row "scrape, ms per 1,000 samples" 1.0 lower 'v SCRAPE_PER_1000'
row "GET, monitoring on / off" 0.98 higher 'ratio "$(v GET)" "$(v GET_OFF)"'
row "PUT($CONNECTIONS) / PUT(1)" "group commit gain" info 'ratio "$(v PUT32)" "$(v PUT1)"'
if [[ -n $BEFORE ]]; then
    printf '  %-40s %6s %6s %6s   (no-op, GET, PUT(%d): after / before)\n' "after / before" \
        "$(ratio "$NOOP_after" "$NOOP_before")" "$(ratio "$GET_after" "$GET_before")" "$(ratio "$PUT32_after" "$PUT32_before")" "$CONNECTIONS"
fi
for log in "$TMP"/after.log "$TMP"/after_off.log "$TMP"/before.log "$TMP"/before_off.log; do
    [[ -e $log ]] || continue
    if grep -qiE 'error|fatal|crit' "$log"; then
        echo "kvstore log $(basename "$log") had errors:"
        grep -iE 'error|fatal|crit' "$log" | head -10
    fi
done
