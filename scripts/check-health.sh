#!/usr/bin/env bash
# Test (run by `make test`): health probes against a real server with bad dependencies.
#
#   scripts/check-health.sh [BINARY]      (default .build/debug/kvstore)
#
# Two dependencies: `upstream` (critical, timeout 0.5 s) points at a local port that accepts
# connections and never answers; `cache` (not critical) points at a free port with nothing
# listening (connection refused). With health.interval_seconds 0.5 and failure_threshold 1:
# every probe endpoint answers within 1 s; /readyz is 503 and its ?verbose names the hanging
# dependency (`[-]upstream failed: timeout after 500ms`); /readyz?exclude=upstream is 200;
# /livez and /health stay 200 (liveness has no dependencies); /api/v1/health is 503, unhealthy,
# with `cache` unhealthy and "connection refused" in its message; with
# `Accept: application/health+json` the answer is application/health+json with status fail.
set -euo pipefail

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
DURATION=1
SLACK=30
START_WAIT=30
NAME=check-health
LIMIT=1.0        # seconds a probe may take
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY"
for tool in curl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# A dependency that accepts every connection and never answers (the connections stay open).
HANG_PORT=$(free_port)
python3 - "$HOST" "$HANG_PORT" >"$TMP/hang.log" 2>&1 <<'PY' &
import socket, sys, threading, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(128)
held = []
def hold():
    while True:
        c, _ = s.accept()
        held.append(c)          # never read, never answer, never close
threading.Thread(target=hold, daemon=True).start()
time.sleep(600)                 # bounded: the script kills it long before
PY
HANG_PID=$!
PIDS+=("$HANG_PID")
wait_for hang "$HANG_PID" python3 -c "import socket; socket.create_connection(('$HOST', $HANG_PORT), 1).close()"

# A dependency that refuses: a free port with nothing listening.
REFUSE_PORT=$(free_port)

PORT=$(free_port)
DEPS='[{"name":"upstream","url":"http://'$HOST:$HANG_PORT'/health","critical":true,"timeout_seconds":0.5},'
DEPS+='{"name":"cache","url":"http://'$HOST:$REFUSE_PORT'/","critical":false}]'
"$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning \
    --set snapshots.dir="$TMP/snapshots" \
    --set health.interval_seconds=0.5 --set health.failure_threshold=1 \
    --set "health.dependencies=$DEPS" >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
BASE=http://$HOST:$PORT

passed=0
failed=0
check() { # DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
# probe ID PATH [CURL ARGS...]: body in $TMP/ID.body, headers in $TMP/ID.h; sets CODE and TIME
probe() {
    local id=$1 path=$2; shift 2
    local out
    out=$(curl -s --max-time 3 -D "$TMP/$id.h" -o "$TMP/$id.body" -w '%{http_code} %{time_total}' "$@" "$BASE$path") || true
    CODE=${out%% *}
    TIME=${out##* }
}
fast() { awk -v t="$1" -v l="$LIMIT" 'BEGIN { exit !(t != "" && t + 0 < l + 0) }'; }

# The dependency checks run in the background; wait (bounded) until both have completed a run
# (a check that never completed is reported as "no result yet").
deadline=$((SECONDS + 10))
until probe ready /api/v1/health && python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["checks"]
sys.exit(0 if all("time" in c.get(n, {}) for n in ("upstream", "cache")) else 1)' "$TMP/ready.body" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "     (the dependency checks did not complete a run within 10 s)"; break; }
    sleep 0.1
done

# Every probe endpoint answers within a second, three times each.
for path in /health /livez '/livez?verbose' /readyz '/readyz?verbose' '/readyz?exclude=upstream' /api/v1/health; do
    worst=0; codes=""
    for _ in 1 2 3; do
        probe t "$path"
        codes+="$CODE "
        worst=$(awk -v a="$worst" -v b="${TIME:-9}" 'BEGIN { print (b + 0 > a + 0) ? b : a }')
    done
    check "$(printf '%-26s answers within %ss (slowest %.3fs; HTTP %s)' "$path" "$LIMIT" "$worst" "${codes% }")" fast "$worst"
done
probe t /api/v1/health -H 'Accept: application/health+json'
check "$(printf '%-26s answers within %ss (%.3fs, health+json)' /api/v1/health "$LIMIT" "${TIME:-9}")" fast "${TIME:-9}"

probe readyz /readyz
check "/readyz is 503 (got $CODE)" test "$CODE" = 503
# Sampled over 3 s (6 reads), since each read shows the latest of a run every 0.5 s.
: >"$TMP/readyzv.all"
codes=""
for _ in 1 2 3 4 5 6; do
    probe readyzv '/readyz?verbose'
    codes+="$CODE "
    cat "$TMP/readyzv.body" >>"$TMP/readyzv.all"
    sleep 0.5
done
sed 's/^/     | /' "$TMP/readyzv.body"
echo "     distinct upstream lines in 6 reads of /readyz?verbose over 3 s:"
grep -F '[-]upstream' "$TMP/readyzv.all" | sort | uniq -c | sed 's/^/     | /'
check "/readyz?verbose is 503 every time (got ${codes% })" bash -c "[ '${codes% }' = '503 503 503 503 503 503' ]"
check "/readyz?verbose lists '[-]upstream failed: timeout after 500ms' in every read" \
    bash -c "[ \"\$(grep -c '^\[-\]upstream failed: timeout after 500ms\$' '$TMP/readyzv.all')\" = 6 ]"
probe readyzx '/readyz?exclude=upstream'
check "/readyz?exclude=upstream is 200 (got $CODE)" test "$CODE" = 200
probe livez /livez
check "/livez is 200 (liveness excludes dependencies; got $CODE)" test "$CODE" = 200
probe livezv '/livez?verbose'
check "/livez?verbose does not mention the dependencies" bash -c "[ '$CODE' = 200 ] && ! grep -qE 'upstream|cache' '$TMP/livezv.body'"
probe health /health
check "/health is 200 (got $CODE)" test "$CODE" = 200

probe full /api/v1/health
FULL_CODE=$CODE
python3 - "$TMP/full.body" >"$TMP/full.txt" 2>&1 <<'PY' || true
import json, sys
h = json.load(open(sys.argv[1]))
print("status", h.get("status"))
for name in ("upstream", "cache"):
    c = h.get("checks", {}).get(name, {})
    print(name, c.get("status"), c.get("critical"), "|", c.get("message"))
PY
sed 's/^/     | /' "$TMP/full.txt"
check "/api/v1/health is 503 with status unhealthy (got $FULL_CODE)" \
    bash -c "[ '$FULL_CODE' = 503 ] && grep -qx 'status unhealthy' '$TMP/full.txt'"
check "upstream (critical) is reported unhealthy" grep -q '^upstream unhealthy True ' "$TMP/full.txt"
check "cache (not critical) is reported unhealthy with 'connection refused' in its message" \
    bash -c "grep '^cache unhealthy False ' '$TMP/full.txt' | grep -qi 'connection refused'"

probe hj /api/v1/health -H 'Accept: application/health+json'
CT=$(awk 'tolower($1) == "content-type:" { sub(/\r$/, ""); $1 = ""; sub(/^ /, ""); print }' "$TMP/hj.h")
HJ_STATUS=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("status"))' "$TMP/hj.body" 2>/dev/null || echo '?')
check "Accept: application/health+json gives Content-Type application/health+json (got '$CT', HTTP $CODE)" \
    bash -c "[[ '$CT' == application/health+json* ]]"
check "health+json status is fail (got $HJ_STATUS)" test "$HJ_STATUS" = fail

check "the server is still running" kill -0 "$KV_PID"
echo "$NAME: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
