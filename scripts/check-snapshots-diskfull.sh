#!/usr/bin/env bash
# Test (run by `make test`, as root): a full disk under the snapshot folder.
#
#   scripts/check-snapshots-diskfull.sh [BINARY]      (default .build/debug/kvstore)
#
# Mounts a 2 MiB tmpfs as snapshots.dir (the data folder lives elsewhere), starts kvstore with a
# snapshot every 0.1 s, lets it write a few, then fills the tmpfs with a ballast file. While the
# disk is full: KV PUT/GET still answer 2xx, kvstore_snapshot_errors_total rises, the `snapshots`
# health check is degraded (overall degraded, HTTP 200; /readyz 200), POST /api/v1/snapshots
# fails without hanging, every final file (kvstore-*.json) is a complete document and no
# temporary file is left behind. Then the ballast is deleted: writes resume
# (kvstore_snapshot_writes_total rises) and the check is healthy again, each within a bound.
# Skips (exit 0) when not root or when the tmpfs cannot be mounted. Always unmounts.
set -euo pipefail

NAME=check-snapshots-diskfull
if [[ $(id -u) -ne 0 ]]; then
    echo "$NAME: SKIPPED: needs root to mount a tmpfs (run as root, e.g. in the container)"
    echo "$NAME: 0 passed, 0 failed"
    exit 0
fi

BINARY=${1:-.build/debug/kvstore}
HOST=127.0.0.1
DURATION=1
SLACK=30
START_WAIT=30
BOUND=${BOUND:-10}          # seconds allowed for each expected change
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

[[ -x "$BINARY" ]] || die "no executable at $BINARY"
for tool in curl python3 mount umount dd; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

MNT=$TMP/snapshots
mkdir -p "$MNT" "$TMP/data"
MOUNTED=0
on_exit() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    if ((MOUNTED)); then
        umount "$MNT" 2>/dev/null || { sleep 0.5; umount "$MNT" 2>/dev/null; } || umount -l "$MNT" \
            || echo "$NAME: WARNING: could not unmount $MNT" >&2
    fi
    cleanup
}
trap on_exit EXIT

if ! mount -t tmpfs -o size=2m,mode=0755 tmpfs "$MNT" 2>"$TMP/mount.err"; then
    echo "$NAME: SKIPPED: cannot mount a tmpfs on $MNT: $(cat "$TMP/mount.err")"
    echo "$NAME: 0 passed, 0 failed"
    exit 0
fi
MOUNTED=1

PORT=$(free_port)
# snapshots.max_* are left at their defaults (far above 2 MiB), so retention frees nothing and
# only the ballast decides when the disk is full; health.disk_min_free_bytes=0 keeps the disk
# check healthy, so that the overall status reflects the snapshot writer alone.
"$BINARY" --data-dir "$TMP/data" --host "$HOST" --port "$PORT" --log-level warning \
    --set node.id=diskfull --set snapshots.dir="$MNT" --set snapshots.interval_seconds=0.1 \
    --set health.interval_seconds=0.2 --set health.disk_min_free_bytes=0 >"$TMP/kvstore.log" 2>&1 &
KV_PID=$!
PIDS+=("$KV_PID")
wait_for kvstore "$KV_PID" curl -sf "http://$HOST:$PORT/health"
BASE=http://$HOST:$PORT

passed=0
failed=0
check() { # DESCRIPTION COMMAND...
    if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
metric() { # NAME: its value, empty when unavailable (reads the whole body: no SIGPIPE for curl)
    local body
    body=$(curl -sf --max-time 5 "$BASE/api/v1/metrics") || return 0
    awk -v n="$1" '$1 == n && v == "" { v = $2 } END { print v }' <<<"$body"
}
# health_field EXPR: prints a field of /api/v1/health (python expression over `h`), and the code
health() {
    curl -s --max-time 5 -o "$TMP/health.json" -w '%{http_code}' "$BASE/api/v1/health" >"$TMP/health.code" || true
    python3 - "$TMP/health.json" "$1" <<'PY' 2>/dev/null || echo "?"
import json, sys
h = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"h": h}))
PY
}
# wait_until SECONDS COMMAND...: poll until the command succeeds; false after SECONDS
wait_until() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do ((SECONDS < deadline)) || return 1; sleep 0.1; done
}
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 > b + 0) }'; }
kv_works() { # TAG: PUT then GET three keys, every answer 2xx with the right bytes
    local i code body
    for i in 1 2 3; do
        code=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' -X PUT --data-binary "value-$1-$i" "$BASE/api/v1/kv/df-$1-$i") || return 1
        [[ $code == 2* ]] || { echo "    PUT df-$1-$i answered $code"; return 1; }
        body=$(curl -sf --max-time 5 "$BASE/api/v1/kv/df-$1-$i") || { echo "    GET df-$1-$i failed"; return 1; }
        [[ $body == "value-$1-$i" ]] || { echo "    GET df-$1-$i returned '$body'"; return 1; }
    done
}
files_valid() { # every final file is a complete snapshot
    python3 - "$MNT" <<'PY'
import json, os, sys
d = sys.argv[1]
bad = []
names = [n for n in os.listdir(d) if n.startswith("kvstore-") and n.endswith(".json")]
for n in names:
    raw = b""
    try:
        with open(os.path.join(d, n), "rb") as f:
            raw = f.read()
        doc = json.loads(raw)
        missing = [k for k in ("schema", "sequence", "node_id", "time", "health", "metrics", "alerts") if k not in doc]
        if missing or doc["schema"] != "kvstore.snapshot/1":
            bad.append("%s: missing %s or schema %r" % (n, missing, doc.get("schema")))
    except Exception as e:
        bad.append("%s (%d bytes): %s" % (n, len(raw), e))
for b in bad[:10]:
    print("    " + b)
print("    %d final files, %d bad" % (len(names), len(bad)))
sys.exit(1 if bad or not names else 0)
PY
}
temps() { find "$MNT" -maxdepth 1 -name '.tmp-*' -printf '%f\n' | sort; }
no_leaked_temps() { # a temp file present in two scans 1 s apart is a leak (each write has its own name)
    local a b common
    a=$(temps); sleep 1; b=$(temps)
    common=$(comm -12 <(echo "$a") <(echo "$b") | sed '/^$/d')
    [[ -z $common ]] || { echo "    left behind: $common"; return 1; }
}
snapshots_status_is() { [[ $(health "h['checks']['snapshots']['status']") == "$1" ]]; }

# Before: some snapshots are written.
check "snapshots are being written before the disk fills" wait_until "$BOUND" bash -c "[ \"\$(ls '$MNT' | grep -c '^kvstore-')\" -ge 3 ]"
check "KV PUT/GET work before the disk fills" kv_works before

# Fill the tmpfs.
dd if=/dev/zero of="$MNT/ballast" bs=4k 2>/dev/null || true   # stops at ENOSPC
sleep 0.2
dd if=/dev/zero of="$MNT/ballast" bs=4k oflag=append conv=notrunc 2>/dev/null || true  # anything freed meanwhile
echo "     tmpfs full: $(df -k --output=avail "$MNT" | tail -1 | tr -d ' ') KiB available, ballast $(stat -c %s "$MNT/ballast") bytes"
ERR0=$(metric kvstore_snapshot_errors_total)
WRITES_FULL0=$(metric kvstore_snapshot_writes_total)
echo "     at fill: writes_total $WRITES_FULL0, errors_total $ERR0"

errors_rose() { gt "$(metric kvstore_snapshot_errors_total)" "${ERR0:-0}"; }
check "kvstore_snapshot_errors_total rises while the disk is full (within ${BOUND}s)" wait_until "$BOUND" errors_rose
check "the snapshots check becomes degraded (within ${BOUND}s)" wait_until "$BOUND" snapshots_status_is degraded
echo "     snapshots check: $(health "h['checks']['snapshots']['status'] + ': ' + h['checks']['snapshots']['message']")"
STATUS=$(health "h['status']"); CODE=$(cat "$TMP/health.code")
check "overall health is degraded with HTTP 200 (got $STATUS, HTTP $CODE)" test "$STATUS/$CODE" = "degraded/200"
check "KV PUT/GET keep working while the disk is full" kv_works full
READYZ=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "$BASE/readyz" || true)
check "/readyz stays 200 (the snapshot writer is not critical; got $READYZ)" test "$READYZ" = 200
POST=$(curl -s --max-time 5 -o "$TMP/post.json" -w '%{http_code}' -X POST "$BASE/api/v1/snapshots" || echo "curl-failed")
echo "     POST /api/v1/snapshots while full: HTTP $POST $(head -c 200 "$TMP/post.json" 2>/dev/null)"
check "POST /api/v1/snapshots fails while full, answered within 5 s (HTTP $POST)" bash -c "[[ '$POST' =~ ^[45][0-9][0-9]\$ ]]"
check "no partial final file while the disk is full" files_valid
check "no temporary file left behind by the failed writes" no_leaked_temps
WRITES_FULL1=$(metric kvstore_snapshot_writes_total)
echo "     while full: writes_total $WRITES_FULL0 -> $WRITES_FULL1, errors_total $ERR0 -> $(metric kvstore_snapshot_errors_total)"

# Space returns.
rm -f "$MNT/ballast"
W0=$(metric kvstore_snapshot_writes_total)
writes_rose() { gt "$(metric kvstore_snapshot_writes_total)" "${W0:-0}"; }
check "writing resumes when space returns: writes_total rises (within ${BOUND}s)" wait_until "$BOUND" writes_rose
check "the snapshots check is healthy again (within ${BOUND}s)" wait_until "$BOUND" snapshots_status_is healthy
echo "     after: writes_total $W0 -> $(metric kvstore_snapshot_writes_total), overall $(health "h['status']"), snapshots: $(health "h['checks']['snapshots']['message']")"
check "every final file is still a complete snapshot" files_valid
check "KV PUT/GET work after space returns" kv_works after
check "the server is still running" kill -0 "$KV_PID"

echo "$NAME: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
