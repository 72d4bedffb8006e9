#!/usr/bin/env bash
# Test (run by `make test`): the built server's metrics exposition, checked by the real tools.
#
#   scripts/check-metrics.sh [BINARY]      (default .build/debug/kvstore)
#
# Starts kvstore with a separate metrics listener, drives traffic, then checks on both ports:
# `promtool check metrics` reports nothing for the 0.0.4 text; the Content-Type is exact;
# OpenMetrics ends with `# EOF`; gzip decodes to the same families; random paths add no series.
set -euo pipefail

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
DURATION=1
SLACK=30
START_WAIT=30
NAME=check-metrics.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

command -v promtool >/dev/null || die "promtool is not installed (Debian package prometheus; run scripts/setup.sh test)"
[[ -x "$BINARY" ]] || die "no executable at $BINARY"

PORT=$(free_port)
METRICS_PORT=$(free_port)
"$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning \
    --set metrics.port="$METRICS_PORT" >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$METRICS_PORT/health"

passed=0
failed=0
check() { # DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

for i in $(seq 20); do
    curl -sf -o /dev/null -X PUT --data-binary "value-$i" "http://$HOST:$PORT/api/v1/kv/key-$i"
    curl -sf -o /dev/null "http://$HOST:$PORT/api/v1/kv/key-$i"
    curl -s -o /dev/null "http://$HOST:$PORT/no/such/path/$RANDOM$i"
done
curl -s -o /dev/null "http://$HOST:$PORT/api/v1/kv/%00"

for port in "$PORT" "$METRICS_PORT"; do
    curl -sf -D "$TMP/h-$port" -o "$TMP/m-$port.txt" "http://$HOST:$port/api/v1/metrics"
    check "promtool check metrics reports nothing (port $port)" \
        bash -c "promtool check metrics < '$TMP/m-$port.txt' > '$TMP/promtool-$port.out' 2>&1 && [ ! -s '$TMP/promtool-$port.out' ]"
    [[ -s $TMP/promtool-$port.out ]] && cat "$TMP/promtool-$port.out"
    check "Content-Type is text/plain; version=0.0.4; charset=utf-8 (port $port)" \
        grep -qi '^content-type: text/plain; version=0.0.4; charset=utf-8' "$TMP/h-$port"
    check "families present (port $port)" \
        grep -q '^kvstore_http_requests_total{method="PUT",route="/api/v1/kv/{key}",code="201"} 20$' "$TMP/m-$port.txt"
done
check "random paths add no series" bash -c "! grep -q 'no/such' '$TMP/m-$PORT.txt'"
check "/metrics is the same exposition" bash -c "curl -sf 'http://$HOST:$PORT/metrics' | grep -q '^# TYPE kvstore_http_requests_total counter'"
curl -sf -H 'Accept: application/openmetrics-text; version=1.0.0' -D "$TMP/h-om" -o "$TMP/om.txt" "http://$HOST:$PORT/api/v1/metrics"
check "OpenMetrics content type" grep -qi '^content-type: application/openmetrics-text; version=1.0.0; charset=utf-8' "$TMP/h-om"
check "OpenMetrics ends with # EOF" bash -c "[ \"\$(tail -n1 '$TMP/om.txt')\" = '# EOF' ]"
check "gzip decodes to the exposition" \
    bash -c "curl -sf -H 'Accept-Encoding: gzip' 'http://$HOST:$PORT/api/v1/metrics' | gunzip | promtool check metrics"

echo "check-metrics: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
