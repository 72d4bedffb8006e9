#!/usr/bin/env bash
# Test (run by `make test`): the server keeps the contract docs/openapi.yaml, checked by schemathesis.
#
#   scripts/check-openapi.sh [BINARY]      (default .build/debug/kvstore)
#
# Two passes, each against its own server on a free loopback port with a temporary data folder,
# snapshots and dashboard (one snapshot is taken first, so that the dashboard page exists), once
# /readyz answers:
#   1. open: the embedded defaults (no tokens), for $MAX_TIME s;
#   2. tokens: security.tokens set, every request with a `read` token, for $TOKEN_TIME s: the
#      401/403 answers (writes, snapshots, stats, alerts need more) and their WWW-Authenticate.
# Each runs schemathesis (every phase: examples, coverage, fuzzing, stateful) with the document and
# every check but the two named below (`--checks all`; per-operation exceptions by design are in
# scripts/schemathesis.toml, each with why): no 5xx, every status, content type, header and body
# as documented, schema-violating requests refused, valid ones accepted, deleted keys gone.
# Bounded: at most $MAX_EXAMPLES cases per operation and phase, the time budgets, and a hard
# timeout; about 1.5 min in all on a 2-core machine. Exits non-zero with one line on any failure;
# the full schemathesis report is printed above it.
#
# schemathesis comes from scripts/setup.sh test (a venv; see there), or $SCHEMATHESIS.
# Environment: MAX_EXAMPLES (default 10), MAX_TIME (seconds, default 60), TOKEN_TIME (seconds,
# default 20; 0 skips the second pass), SEED (default: random).
set -euo pipefail

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
DURATION=1
SLACK=30
START_WAIT=30
NAME=check-openapi
MAX_EXAMPLES=${MAX_EXAMPLES:-10}
MAX_TIME=${MAX_TIME:-60}
TOKEN_TIME=${TOKEN_TIME:-20}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOC=$ROOT/docs/openapi.yaml
# shellcheck source=scripts/lib.sh
source "$ROOT/scripts/lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY"
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
[[ -f "$DOC" ]] || die "no $DOC"
for tool in curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

SCHEMATHESIS=${SCHEMATHESIS:-$("$ROOT/scripts/setup.sh" schemathesis-path)}
[[ -x "$SCHEMATHESIS" ]] || die "schemathesis is not installed (run scripts/setup.sh test)"

VERSION=$("$SCHEMATHESIS" --version | awk '{print $NF}')

# Every check but two, which fail on one KNOWN SERVER DEVIATION (reported, not fixed here): a method
# that a path does not have (TRACE, PATCH, POST on /api/v1/kv/{key}, ...) is answered
# `404 not_found` "no route for this path" (Hummingbird's router), where RFC 9110 wants
# `405 Method Not Allowed` with an `Allow` header; so unsupported_method fails, and
# allow_header_conformance has no 405 to look at. Put them back when the server answers 405.
CHECKS=(--checks all --exclude-checks unsupported_method,allow_header_conformance)

# start_server ID [ENV=VALUE...]: starts a server (from the repository root, so that it finds the
# dashboard templates; long polls wait at most 1 s, so that generated watches do not spend the time
# budget waiting), waits until it is ready and its dashboard published; sets BASE and KV_PID.
start_server() {
    local id=$1; shift
    local port
    port=$(free_port)
    (cd "$ROOT" && exec env "$@" "$BINARY" --data-dir "$TMP/$id/data" --host "$HOST" --port "$port" --log-level warning \
        --set snapshots.dir="$TMP/$id/snapshots" --set dashboard.dir="$TMP/$id/public" \
        --set kv.watch.max_timeout_seconds=1) >"$TMP/$id.log" 2>&1 &
    KV_PID=$!
    PIDS+=("$KV_PID")
    BASE=http://$HOST:$port
    wait_for "$id" "$KV_PID" curl -sf "$BASE/readyz"
    # A snapshot now: the dashboard page is generated from it (else /dashboard/ is 503 dashboard_not_ready).
    curl -sf -X POST "${AUTH[@]}" "$BASE/api/v1/snapshots" -o /dev/null || die "$id: POST /api/v1/snapshots failed"
    wait_for "$id" "$KV_PID" curl -sf -o /dev/null "${AUTH[@]}" "$BASE/dashboard/"
}

# run_schemathesis ID SECONDS [ARGS...]: one schemathesis run against $BASE; dies on any failure.
run_schemathesis() {
    local id=$1 budget=$2; shift 2
    # One worker: with two, Hypothesis' lambda descriptions call CPython 3.11's ast.parse from two
    # threads at once, which fails now and then with "AST constructor recursion depth mismatch"
    # (a runtime error of the tool, not a finding; CPython gh-106905).
    local args=(--config-file "$ROOT/scripts/schemathesis.toml" run "$DOC" --url "$BASE" "${CHECKS[@]}"
                --max-examples "$MAX_EXAMPLES" --max-time "$budget" --workers 1 --request-timeout 10 --no-color "$@")
    [[ -n ${SEED:-} ]] && args+=(--seed "$SEED")
    echo "$NAME: $id: schemathesis $VERSION against $BASE, at most $MAX_EXAMPLES examples per operation, ${budget}s"
    local start=$SECONDS status=0 log=$TMP/$id.schemathesis.log
    # From a folder of its own: schemathesis and Hypothesis leave caches (.schemathesis,
    # .hypothesis) in the current folder, and each run starts afresh.
    mkdir -p "$TMP/$id/cwd"
    (cd "$TMP/$id/cwd" && timeout --kill-after=10 $((budget + 120)) "$SCHEMATHESIS" "${args[@]}") >"$log" 2>&1 || status=$?
    local elapsed=$((SECONDS - start))
    kill -0 "$KV_PID" 2>/dev/null || { cat "$log"; die "$id: the server died during the run (log: $(tail -20 "$TMP/$id.log"))"; }
    local summary
    summary=$(grep -E '^ *[0-9]+ generated' "$log" | tr -s ' ' || true)
    if [[ $status -ne 0 ]]; then
        cat "$log"
        [[ $status -eq 124 || $status -eq 137 ]] && die "$id: schemathesis did not finish within $((budget + 120))s"
        die "$id: the server does not keep docs/openapi.yaml (schemathesis exit $status after ${elapsed}s;${summary:+ $summary}): see the failures above"
    fi
    if grep -qE '^ *❌' "$log"; then
        cat "$log"
        die "$id: schemathesis exited 0 but reported failures"
    fi
    sed -n '/SUMMARY/,$p' "$log" | grep -v '^ *$'
    echo "$NAME: $id: ok in ${elapsed}s:${summary:+ $summary}"
    TOTAL_CASES=$((TOTAL_CASES + $(awk '{print $1}' <<<"${summary:-0}")))
}

TOTAL_CASES=0
started=$SECONDS
AUTH=()
start_server open
run_schemathesis open "$MAX_TIME"
kill "$KV_PID" 2>/dev/null || true

if ((TOKEN_TIME > 0)); then
    READ_SECRET=openapi-read-$RANDOM$RANDOM$RANDOM
    ADMIN_SECRET=openapi-admin-$RANDOM$RANDOM$RANDOM
    AUTH=(-H "Authorization: Bearer $ADMIN_SECRET")
    start_server tokens \
        "KVSTORE_SECURITY_TOKENS=[{\"name\":\"reader\",\"secret\":\"$READ_SECRET\",\"role\":\"read\"},{\"name\":\"admin\",\"secret\":\"$ADMIN_SECRET\",\"role\":\"admin\"}]"
    run_schemathesis tokens "$TOKEN_TIME" -H "Authorization: Bearer $READ_SECRET" --warnings off
fi
echo "$NAME: ok: $TOTAL_CASES test cases in $((SECONDS - started))s"
