#!/usr/bin/env bash
# Test: HTTPS with a certificate made at test time.
#
#   scripts/check-tls.sh [BINARY]      (default .build/debug/kvstore)
#
# Makes a self-signed certificate for 127.0.0.1 with openssl, starts the server with
# security.tls_certificate_file / security.tls_key_file (and a metrics listener, which shares
# them), then checks: HTTPS answers with curl --cacert; without the CA curl refuses the
# certificate; TLS 1.2 works; TLS 1.1 and older are refused; plain HTTP to the TLS port fails
# quickly (no hang, bounded by --max-time) and the server keeps serving afterwards; the metrics
# listener speaks HTTPS too.
set -euo pipefail

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
DURATION=1
SLACK=30
START_WAIT=30
NAME=check-tls
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY"
for tool in curl openssl python3; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

CERT=$TMP/cert.pem
KEY=$TMP/key.pem
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$KEY" -out "$CERT" >"$TMP/openssl.log" 2>&1 || die "openssl could not make a certificate: $(tail -3 "$TMP/openssl.log")"

PORT=$(free_port)
METRICS_PORT=$(free_port)
"$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning \
    --set snapshots.dir="$TMP/snapshots" --set metrics.port="$METRICS_PORT" \
    --set security.tls_certificate_file="$CERT" --set security.tls_key_file="$KEY" >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf --cacert "$CERT" "https://$HOST:$PORT/health"
BASE=https://$HOST:$PORT

passed=0
failed=0
check() { # DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
# fetch ID URL [CURL ARGS...]: sets CODE (HTTP status or 000), RC (curl's exit status), TIME, BODY
fetch() {
    local id=$1 url=$2; shift 2
    local out
    RC=0
    out=$(curl -sS --max-time 5 -o "$TMP/$id.body" -w '%{http_code} %{time_total}' "$@" "$url" 2>"$TMP/$id.err") || RC=$?
    CODE=${out%% *}
    TIME=${out##* }
    BODY=$(cat "$TMP/$id.body" 2>/dev/null || true)
}

fetch https "$BASE/api/v1/ping" --cacert "$CERT"
check "HTTPS with --cacert: 200 pong (got $CODE '${BODY%$'\n'}')" bash -c "[ '$CODE' = 200 ] && [ '${BODY%$'\n'}' = pong ]"

fetch noca "$BASE/api/v1/ping"
check "without the CA curl refuses the certificate (curl exit $RC: $(head -1 "$TMP/noca.err" | cut -c1-120))" test "$RC" -ne 0

fetch tls12 "$BASE/api/v1/ping" --cacert "$CERT" --tlsv1.2 --tls-max 1.2
check "TLS 1.2 works (got $CODE)" test "$CODE" = 200

fetch tls11 "$BASE/api/v1/ping" --cacert "$CERT" --tlsv1 --tls-max 1.1
check "TLS 1.1 is refused (curl exit $RC: $(head -1 "$TMP/tls11.err" | cut -c1-140))" test "$RC" -ne 0
# curl's own OpenSSL may refuse to offer TLS 1.1; ask the server directly with the client's
# security level lowered, so that a refusal can only come from the server.
SERVER_SAYS=$(python3 -W ignore - "$HOST" "$PORT" <<'PY' 2>&1 || true
import socket, ssl, sys
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
try:
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    ctx.minimum_version = ssl.TLSVersion.TLSv1_1
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
except (ValueError, ssl.SSLError) as error:
    print("client-cannot-offer-tls1.1", error); sys.exit(0)
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=5) as raw:
    try:
        with ctx.wrap_socket(raw) as tls:
            print("handshake-succeeded", tls.version())
    except ssl.SSLError as error:
        print("handshake-refused", error.reason or error)
PY
)
check "the server itself refuses a TLS 1.1 handshake ($SERVER_SAYS)" bash -c "[[ '$SERVER_SAYS' != handshake-succeeded* ]]"

fetch plain "http://$HOST:$PORT/api/v1/ping"
check "plain HTTP to the TLS port fails (curl exit $RC) within the bound (${TIME:-?}s < 5s, no hang)" \
    bash -c "[ '$RC' -ne 0 ] && [ '$RC' -ne 28 ] && [ '$CODE' != 200 ]"

fetch after "$BASE/api/v1/ping" --cacert "$CERT"
check "HTTPS still works after the plain request (got $CODE)" test "$CODE" = 200

fetch metrics "https://$HOST:$METRICS_PORT/metrics" --cacert "$CERT"
check "the metrics listener speaks HTTPS with the same certificate (got $CODE)" test "$CODE" = 200
fetch metricsplain "http://$HOST:$METRICS_PORT/metrics"
check "plain HTTP to the metrics listener fails too (curl exit $RC)" bash -c "[ '$RC' -ne 0 ] && [ '$RC' -ne 28 ]"

check "the server is still running" kill -0 "$KV_PID"
echo "$NAME: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
