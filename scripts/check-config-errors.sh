#!/usr/bin/env bash
# Test (run by `make test`): hostile configuration values stop kvstore with one line, never a crash.
#
#   scripts/check-config-errors.sh [BINARY]      (default .build/debug/kvstore)
#
# Each case starts the real binary with one bad value (a flag or an environment variable) and
# expects exit status 1 (a signal, such as SIGILL from an overflowing conversion, is a failure),
# exactly one line on standard error, and that line naming the key. A case whose value is
# accepted starts a server: `timeout` kills it, and the case fails.
set -euo pipefail

BINARY=${1:-.build/debug/kvstore}
NAME=check-config-errors
LIMIT=10         # seconds one case may take; a config error takes well under one
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY"
command -v timeout >/dev/null || die "timeout is not installed"

FAILURES=0
CASES=0

# expect_one_line_error KEY [VAR=VALUE ...] -- ARGS...: runs BINARY with ARGS (and the variables
# in its environment) and checks the exit status and the one error line naming KEY.
expect_one_line_error() {
    local key=$1; shift
    local variables=()
    while [[ $1 != -- ]]; do variables+=("$1"); shift; done
    shift
    CASES=$((CASES + 1))
    local status=0
    env "${variables[@]}" timeout --kill-after=5 "$LIMIT" "$BINARY" --host 127.0.0.1 --data-dir "$TMP/data" \
        --set storage.engine=memory "$@" >"$TMP/out" 2>"$TMP/err" </dev/null || status=$?
    local lines
    lines=$(wc -l <"$TMP/err")
    local what="${variables[*]} $*"
    ((${#what} <= 120)) || what="${what:0:120}... (${#what} characters)"
    local err
    err=$(head -c 300 "$TMP/err" | tr '\n' ' ')
    if ((status == 124 || status == 137)); then
        echo "FAIL $what: accepted (the server started and was killed after ${LIMIT}s)" >&2
    elif ((status >= 128)); then
        echo "FAIL $what: killed by signal $((status - 128)) (exit status $status): $err" >&2
    elif ((status != 1)); then
        echo "FAIL $what: exit status $status, expected 1: $err" >&2
    elif ((lines != 1)); then
        echo "FAIL $what: $lines lines on standard error, expected 1: $err" >&2
    elif ! grep -qF -- "$key" "$TMP/err"; then
        echo "FAIL $what: the error line does not name $key: $err" >&2
    elif ! grep -q '^kvstore: ' "$TMP/err"; then
        echo "FAIL $what: the error line does not start with 'kvstore: ': $err" >&2
    else
        echo "ok   $what -> $err"
        return 0
    fi
    FAILURES=$((FAILURES + 1))
}

# set_case KEY VALUE: the case --set KEY=VALUE, whose error names KEY (or the part of it at fault).
set_case() { expect_one_line_error "$1" -- --port 0 --set "$1=$2"; }

set_case health.interval_seconds 1e16
set_case snapshots.interval_seconds NaN
set_case storage.sync_interval inf
set_case security.request_timeout_seconds 1e300
set_case security.idle_timeout_seconds 0.0001
set_case health.timeout_seconds -1
set_case snapshots.max_age 1e16d
set_case dashboard.window -inf
set_case metrics.duration_buckets "0.1,1e300"
set_case storage.quota_bytes 9999999999999999999TiB
set_case logging.slow_request_ms 9999999999999999999
set_case health.memory_limit_mb ""
set_case health.failure_threshold "$(printf '9%.0s' $(seq 10000))"
expect_one_line_error server.port -- --set server.port=9999999999999999999
expect_one_line_error server.port -- --port 1e16
expect_one_line_error "health.dependencies[0].timeout_seconds" -- --port 0 \
    --set 'health.dependencies=[{"name":"up","url":"http://127.0.0.1:9/","timeout_seconds":1e16}]'
expect_one_line_error "alerts.webhooks[0].timeout_seconds" -- --port 0 \
    --set 'alerts.webhooks=[{"url":"http://127.0.0.1:9/hook","timeout_seconds":"inf"}]'
expect_one_line_error "alerts.rules[0].window" -- --port 0 \
    --set 'alerts.rules=[{"name":"R","kind":"error_ratio","summary":"s","threshold":0.5,"window":"1e16"}]'
expect_one_line_error "KVSTORE_HEALTH_INTERVAL_SECONDS" KVSTORE_HEALTH_INTERVAL_SECONDS=1e16 -- --port 0

((FAILURES == 0)) || die "$FAILURES of $CASES cases failed"
echo "$NAME: all $CASES cases stopped with one line and exit status 1"
