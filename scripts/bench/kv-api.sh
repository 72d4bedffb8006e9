#!/usr/bin/env bash
# Benchmark (not a test): what the versions / CAS / transactions / expiry / watch work cost
# GET and unconditional PUT, and how fast a compare-and-swap increment loop runs, in one run.
#
#   scripts/bench/kv-api.sh OLD_BINARY NEW_BINARY   before/after table, then the CAS loop
#   scripts/bench/kv-api.sh NEW_BINARY              the CAS loop only (says how to get the rest)
#   scripts/bench/kv-api.sh                         the CAS loop on .build/release/kvstore
#                                                   (or the debug build, said so, see lib.sh)
#
# OLD_BINARY is kvstore built from commit 39948c6 (before the work), built in a worktree of its
# own, never in this repository's .build:
#   git worktree add --detach /tmp/kvstore-39948c6 39948c6
#   (cd /tmp/kvstore-39948c6 && nice -n 10 swift build -c release --product kvstore)
#   scripts/bench/kv-api.sh /tmp/kvstore-39948c6/.build/release/kvstore .build/release/kvstore
#
# Environment: DURATION (seconds per wrk run, default 5), CONNECTIONS (default 32), ROUNDS
# (old/new pairs per figure, default 3), CAS_DURATION (seconds per CAS run, default 10),
# CAS_CLIENTS (default 32).
#
# Before/after: both servers run at once, each on a free loopback port with its own temporary
# data folder and --durability always (as kv.sh's PUT). GET of a preloaded 16-byte value and
# PUT of 16-byte values to unique keys (no conditions), wrk -t1 -c$CONNECTIONS -d$DURATION each.
# Runs are interleaved, with the order flipped every round (old new, new old, old new, ...),
# so that drift of the machine falls on both; the table gives the median and the best of the
# ROUNDS runs of each, the ratio new/old within each round (old and new ran back to back) and
# its median. Goals: GET >= 0.95x, PUT >= 0.95x (judged on the median of the runs).
#
# CAS loop (new server only): CAS_CLIENTS threads of one Python process, each with its own
# keep-alive connection, loop for CAS_DURATION seconds: GET the key (value and ETag), PUT
# value+1 with If-Match: <ETag>, on 412 start again. Once with one key per client, once with
# all clients on one key. Prints increments/s and 412 conflicts/s, then reads every key back:
# its value must equal the number of successful PUTs on it (OK / MISMATCH). A client stops
# starting new cycles at the deadline and finishes the one it is in, so no write is left in
# flight when the count is taken. The load generator is Python here (wrk cannot chain a read
# and a conditional write per connection and stop cleanly), so its figures are not comparable
# with the wrk ones above; the client's CPU time is printed beside them.
#
# A figure below its goal is reported, not failed: this is not a test.
set -euo pipefail

case $# in
    0) OLD_GIVEN=""; NEW_GIVEN="" ;;
    1) OLD_GIVEN=""; NEW_GIVEN=$(realpath -m "$1") ;;
    2) OLD_GIVEN=$(realpath -m "$1"); NEW_GIVEN=$(realpath -m "$2") ;;
    *) echo "usage: $0 [[OLD_BINARY] NEW_BINARY]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-3}
CAS_DURATION=${CAS_DURATION:-10}
CAS_CLIENTS=${CAS_CLIENTS:-32}
HOST=127.0.0.1
# every step is bounded: a wrk run by DURATION plus this, a start-up by START_WAIT
SLACK=30
START_WAIT=30
NAME=kv-api.sh
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
pick_kvstore_binary "$NEW_GIVEN"
NEW_BINARY=$BINARY NEW_WHICH=$WHICH
OLD_BINARY=$OLD_GIVEN

[[ -x $NEW_BINARY ]] || die "no executable at $NEW_BINARY (build it: swift build -c release --product kvstore)"
[[ -z $OLD_BINARY || -x $OLD_BINARY ]] || die "no executable at $OLD_BINARY (see the comment at the top of $0)"
for tool in wrk curl python3 awk; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# median and best of whitespace-separated numbers
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
best() { printf '%s\n' "$@" | sort -g | tail -1; }

log_errors() { # LABEL
    if grep -qiE 'error|fatal|crit' "$TMP/$1.log"; then
        echo "  $1 server log had errors:"
        grep -iE 'error|fatal|crit' "$TMP/$1.log" | head -10 | sed 's/^/    /'
    fi
}

start_kvstore_server new "$NEW_BINARY"
[[ -n $OLD_BINARY ]] && start_kvstore_server old "$OLD_BINARY"

echo "kvstore API benchmark ($NAME), durability always, loopback, one run"
echo "  new: $NEW_BINARY ($NEW_WHICH)"
if [[ -n $OLD_BINARY ]]; then
    echo "  old: $OLD_BINARY"
    cat >"$TMP/put.lua" <<'EOF'
-- PUT 16-byte values to unique keys, no conditions: the prefix comes from the arguments
local counter = 0
local prefix = "put"
function init(args)
  prefix = args[1] or prefix
end
local body = "0123456789abcdef"  -- 16 bytes
local headers = { ["Content-Type"] = "application/octet-stream" }
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/api/v1/kv/" .. prefix .. "-" .. counter, headers, body)
end
EOF
    for label in old new; do
        port=${label}_PORT; port=${!port}
        code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary '0123456789abcdef' \
            "http://$HOST:$port/api/v1/kv/bench-get")
        [[ $code == 201 || $code == 200 ]] || die "$label: preload PUT answered $code"
        got=$(curl -sf "http://$HOST:$port/api/v1/kv/bench-get")
        [[ $got == 0123456789abcdef ]] || die "$label: preloaded value read back as '$got'"
    done

    # run_one LABEL TEST ROUND: one wrk run against one server; appends the figure to the
    # array <LABEL>_<TEST>
    run_one() {
        local label=$1 test=$2 round=$3 port pidvar
        port=${label}_PORT; port=${!port}
        pidvar=${label}_PID; KV_PID=${!pidvar}; WATCH_LOG=$TMP/$label.log
        if [[ $test == GET ]]; then
            run_wrk "$label-get-$round" "$label GET 16 B (round $round)" "$CONNECTIONS" \
                "http://$HOST:$port/api/v1/kv/bench-get"
        else
            # wrk passes the arguments after -- to init(); run_wrk has no room for them, so
            # the key prefix goes through a per-run copy of the script
            sed "s/local prefix = \"put\"/local prefix = \"put-r$round\"/" "$TMP/put.lua" >"$TMP/put-$label-$round.lua"
            run_wrk "$label-put-$round" "$label PUT 16 B, always (round $round)" "$CONNECTIONS" \
                "http://$HOST:$port" "$TMP/put-$label-$round.lua"
        fi
        eval "${label}_${test}+=(\"\$RPS\")"
    }
    old_GET=() new_GET=() old_PUT=() new_PUT=()

    echo
    echo "before/after: wrk -t1 -c$CONNECTIONS -d${DURATION}s --timeout 10s, $ROUNDS rounds, order flipped every round"
    # a short warm-up of each server, not counted
    DURATION_SAVED=$DURATION; DURATION=2
    for label in old new; do
        port=${label}_PORT; port=${!port}
        timeout $((DURATION + SLACK)) wrk -t1 -c"$CONNECTIONS" -d2s "http://$HOST:$port/api/v1/kv/bench-get" >/dev/null 2>&1 \
            || die "warm-up of $label failed"
    done
    DURATION=$DURATION_SAVED
    for test in GET PUT; do
        for ((round = 1; round <= ROUNDS; round++)); do
            if ((round % 2)); then order=(old new); else order=(new old); fi
            for label in "${order[@]}"; do run_one "$label" "$test" "$round"; done
        done
    done

    # a spot check that the PUTs were stored on both
    for label in old new; do
        port=${label}_PORT; port=${!port}
        n=$(curl -sf "http://$HOST:$port/api/v1/kv?prefix=put-r1-&limit=5" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["keys"]))' || echo "?")
        [[ $n == 5 ]] || echo "  WARNING: $label: listing put-r1- keys found $n (expected 5)"
    done

    echo
    printf '  %-22s %12s %12s %12s %12s %8s %8s   %s\n' "figure (req/s)" "old median" "new median" \
        "old best" "new best" "median" "best" "goal"
    printf '  %-22s %12s %12s %12s %12s %8s %8s\n' "" "" "" "" "" "new/old" "new/old"
    for test in GET PUT; do
        oarr="old_${test}[@]"; narr="new_${test}[@]"
        om=$(median "${!oarr}"); nm=$(median "${!narr}"); ob=$(best "${!oarr}"); nb=$(best "${!narr}")
        rm_=$(ratio "$nm" "$om"); rb=$(ratio "$nb" "$ob")
        if [[ $test == GET ]]; then what="GET 16 B"; else what="PUT 16 B, always"; fi
        printf '  %-22s %12s %12s %12s %12s %8s %8s   >= 0.95 (median): %s\n' "$what" "$om" "$nm" "$ob" "$nb" \
            "$rm_" "$rb" "$(verdict "$rm_" 0.95)"
        oarr="old_${test}[*]"; narr="new_${test}[*]"
        printf '  %-22s old: %s   new: %s\n' "  all runs" "${!oarr}" "${!narr}"
        # Each round ran old and new back to back, so the ratio within a round leaves out the
        # drift between rounds: its median is the steadier figure on a noisy machine.
        local_old=(${!oarr}); local_new=(${!narr}); pairs=()
        for i in "${!local_old[@]}"; do pairs+=("$(ratio "${local_new[$i]}" "${local_old[$i]}")"); done
        printf '  %-22s %s   median %s\n' "  new/old by round" "${pairs[*]}" "$(median "${pairs[@]}")"
    done
    log_errors old
else
    echo
    echo "before/after: skipped (no OLD_BINARY). Build the baseline (commit 39948c6) in a worktree"
    echo "of its own and pass it first:"
    echo "  git worktree add --detach /tmp/kvstore-39948c6 39948c6"
    echo "  (cd /tmp/kvstore-39948c6 && nice -n 10 swift build -c release --product kvstore)"
    echo "  $0 /tmp/kvstore-39948c6/.build/release/kvstore $NEW_BINARY"
fi

# --- CAS increment loop on the new server ---------------------------------------------------
cat >"$TMP/cas.py" <<'EOF'
"""CAS increment loop: N client threads, each on its own keep-alive HTTP/1.1 connection."""
import json, os, socket, sys, threading, time

host, port, clients, keys, duration = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
prefix = sys.argv[6]
key_names = [f"{prefix}-{i}" for i in range(keys)]


class Conn:
    def __init__(self):
        self.sock = socket.create_connection((host, port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def request(self, method, path, headers=(), body=b""):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if method == "PUT":
            lines += ["Content-Type: application/octet-stream", f"Content-Length: {len(body)}"]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        hdrs = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            hdrs[name.strip().lower()] = value.strip()
        if "content-length" not in hdrs:
            raise RuntimeError(f"answer without Content-Length: {status_line} {hdrs}")
        n = int(hdrs["content-length"])
        while len(self.buf) < n:
            self._fill()
        payload, self.buf = self.buf[:n], self.buf[n:]
        return status, hdrs, payload

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed by the server")
        self.buf += chunk


# set every key to 0 (unconditionally) before the clients start
setup = Conn()
for k in key_names:
    status, _, _ = setup.request("PUT", f"/api/v1/kv/{k}", body=b"0")
    if status not in (200, 201):
        sys.exit(f"initial PUT of {k} answered {status}")

successes = [0] * keys      # successful conditional PUTs per key
lock = threading.Lock()
results = []                # per client: (successes, conflicts, other, error)
deadline = [0.0]
start = [0.0]


def go():  # run by one thread when all have connected, before any is released
    start[0] = time.monotonic()
    deadline[0] = start[0] + duration


barrier = threading.Barrier(clients + 1, action=go)


def client(i):
    key = key_names[i % keys]
    path = f"/api/v1/kv/{key}"
    ok = conflicts = other = 0
    error = None
    try:
        conn = Conn()
        barrier.wait()
        while time.monotonic() < deadline[0]:
            status, hdrs, body = conn.request("GET", path)
            if status != 200:
                other += 1
                continue
            value = int(body)
            status, _, _ = conn.request("PUT", path, headers=[("If-Match", hdrs["etag"])],
                                        body=str(value + 1).encode())
            if status in (200, 201):
                ok += 1
            elif status == 412:
                conflicts += 1
            else:
                other += 1
    except Exception as e:  # reported, and makes the consistency check fail
        error = repr(e)
        try:
            barrier.abort()
        except Exception:
            pass
    with lock:
        successes[i % keys] += ok
        results.append((ok, conflicts, other, error))


threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
for t in threads:
    t.start()
cpu0 = os.times()
try:
    barrier.wait()
except threading.BrokenBarrierError:
    pass
for t in threads:
    t.join(duration + 30)
elapsed = time.monotonic() - start[0]
cpu1 = os.times()
cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)

ok = sum(r[0] for r in results)
conflicts = sum(r[1] for r in results)
other = sum(r[2] for r in results)
errors = [r[3] for r in results if r[3]]
hung = sum(t.is_alive() for t in threads)

# consistency: each key's value must be its number of successful PUTs
check = Conn()
mismatches = []
for k, n in zip(key_names, successes):
    status, _, body = check.request("GET", f"/api/v1/kv/{k}")
    if status != 200 or int(body) != n:
        mismatches.append(f"{k}: value {body.decode(errors='replace') if status == 200 else status}, successful PUTs {n}")

print(json.dumps({
    "elapsed": elapsed, "ok": ok, "conflicts": conflicts, "other": other, "errors": errors[:3],
    "n_errors": len(errors), "hung": hung, "mismatches": mismatches[:5], "n_mismatches": len(mismatches),
    "keys": keys, "client_cpu": cpu, "max_per_key": max(successes), "min_per_key": min(successes),
}))
EOF

# run_cas KEYS LABEL
run_cas() {
    local keys=$1 label=$2 out
    out=$(timeout $((CAS_DURATION + SLACK + 30)) python3 "$TMP/cas.py" "$HOST" "$new_PORT" "$CAS_CLIENTS" \
        "$keys" "$CAS_DURATION" "cas$keys" 2>&1) || die "CAS client ($label) failed: $out"
    kill -0 "$new_PID" 2>/dev/null || die "the new server died during the CAS loop ($label): $(tail -20 "$TMP/new.log")"
    python3 - "$label" "$out" <<'EOF'
import json, sys
label, r = sys.argv[1], json.loads(sys.argv[2])
e = r["elapsed"]
print(f"  {label:<30} {r['ok'] / e:10.1f} incr/s {r['conflicts'] / e:10.1f} 412/s   "
      f"({r['ok']} increments, {r['conflicts']} conflicts in {e:.2f} s; "
      f"per key {r['min_per_key']}..{r['max_per_key']}; client CPU {r['client_cpu'] / e:.2f} cores)")
if r["other"]:
    print(f"  {'':<30} WARNING: {r['other']} answers neither 2xx nor 412")
if r["n_errors"] or r["hung"]:
    print(f"  {'':<30} WARNING: {r['n_errors']} client errors {r['errors']}, {r['hung']} clients still running")
verdict = "OK" if not r["n_mismatches"] and not r["n_errors"] and not r["hung"] else "MISMATCH"
print(f"  {'':<30} consistency ({r['keys']} key{'s' if r['keys'] != 1 else ''}: value == successful PUTs): {verdict}"
      + (f" {r['n_mismatches']} keys, e.g. {r['mismatches']}" if r["n_mismatches"] else ""))
EOF
}

echo
echo "CAS increment loop on the new server: $CAS_CLIENTS clients (Python threads, one keep-alive"
echo "connection each), ${CAS_DURATION}s each, GET -> PUT If-Match: <ETag> value+1, retry on 412"
run_cas "$CAS_CLIENTS" "$CAS_CLIENTS keys (one per client)"
run_cas 1 "1 key ($CAS_CLIENTS clients on it)"
log_errors new
