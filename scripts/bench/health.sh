#!/usr/bin/env bash
# Benchmark (not a test): what the health endpoints cost per request, beside the no-op route.
#
#   scripts/bench/health.sh [BINARY]      (default: .build/release/kvstore if it exists and is
#                                          newer than .build/debug/kvstore, else the debug one)
#
# Starts one kvstore and measures with wrk -t1 -c$CONNECTIONS -d$DURATION (default 5 s), in one
# run: GET /api/v1/ping (no-op), /health (liveness), /readyz (readiness), /api/v1/health (full
# JSON report), then the no-op again. The no-op figure is the mean of its two runs (the
# difference between them shows the drift of the machine). Prints req/s, p50 and p99, the
# ratio of each route to the no-op (goal for /health >= 0.95), and the per-request cost:
# 1/rps(route) - 1/rps(no-op) in microseconds.
set -euo pipefail

GIVEN=${1:+$(realpath -m "$1")}   # before the cd below
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
HOST=127.0.0.1
SLACK=30
START_WAIT=30
NAME=health.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
pick_kvstore_binary "$GIVEN"

[[ -x "$BINARY" ]] || die "no executable at $BINARY (build it: swift build -c release --product kvstore)"
for tool in wrk curl awk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

PORT=$(free_port)
"$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning \
    --set snapshots.dir="$TMP/snapshots" --set logging.enable_database_logging=false \
    --set logging.enable_performance_log=false >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
# Readiness answers 200 once the checks have completed a run.
deadline=$((SECONDS + 15))
until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT/readyz") == 200 ]]; do
    ((SECONDS < deadline)) || die "/readyz did not answer 200 within 15 s: $(curl -s "http://$HOST:$PORT/readyz?verbose")"
    sleep 0.1
done
for path in /api/v1/ping /health /readyz /api/v1/health; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://$HOST:$PORT$path")
    [[ $code == 200 ]] || die "$path answered $code before the benchmark"
done

echo "health endpoints: $BINARY, $WHICH"
echo "wrk -t1 -c$CONNECTIONS -d${DURATION}s, one server, one run"
run_wrk noop1 "GET /api/v1/ping (no-op, first)" "$CONNECTIONS" "http://$HOST:$PORT/api/v1/ping"; NOOP1=$RPS
run_wrk health "GET /health" "$CONNECTIONS" "http://$HOST:$PORT/health"; R_health=$RPS
run_wrk readyz "GET /readyz" "$CONNECTIONS" "http://$HOST:$PORT/readyz"; R_readyz=$RPS
run_wrk full "GET /api/v1/health" "$CONNECTIONS" "http://$HOST:$PORT/api/v1/health"; R_full=$RPS
run_wrk noop2 "GET /api/v1/ping (no-op, last)" "$CONNECTIONS" "http://$HOST:$PORT/api/v1/ping"; NOOP2=$RPS
NOOP=$(awk -v a="$NOOP1" -v b="$NOOP2" 'BEGIN { printf "%.2f", (a + b) / 2 }')

cost() { awk -v r="$1" -v n="$2" 'BEGIN { if (r > 0 && n > 0) printf "%+.1f", (1 / r - 1 / n) * 1e6; else print "n/a" }'; }
echo "against the no-op route (mean of its two runs: $NOOP req/s; drift last/first $(ratio "$NOOP2" "$NOOP1")):"
printf '  %-20s %10s %8s   %s\n' route req/s "ratio" "per-request cost vs no-op (1/rps difference)"
for pair in "/health:$R_health" "/readyz:$R_readyz" "/api/v1/health:$R_full"; do
    route=${pair%%:*} rps=${pair##*:}
    r=$(ratio "$rps" "$NOOP")
    goal=""
    [[ $route == /health ]] && goal="  (goal >= 0.95: $(verdict "$r" 0.95))"
    printf '  %-20s %10s %8s   %s µs%s\n' "$route" "$rps" "$r" "$(cost "$rps" "$NOOP")" "$goal"
done
