# Shared helpers for the test and benchmark scripts: sourced, not run.
# Callers set BINARY, DURATION, HOST, SLACK, START_WAIT and NAME (for messages) first.
# shellcheck shell=bash

die() { echo "${NAME:-bench}: $*" >&2; exit 1; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kvstore-bench.XXXXXX")
# Servers started by these scripts keep their snapshots and dashboard out of the working tree
# (flags given to a server still win over these).
export KVSTORE_SNAPSHOTS_DIR="$TMP/snapshots" KVSTORE_DASHBOARD_DIR="$TMP/public"
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # give each a moment to exit on SIGTERM, then SIGKILL
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Servers and load generators on CPUs of their own (pin_cpus): with both on any CPU, a server's
# event loop and wrk share one core in some runs and not in others, and rates on a 2-core machine
# come out in two clusters a fifth apart. Empty (no pinning) until pin_cpus sets them.
SERVER_CPUS=()
LOAD_CPUS=()
# pin_cpus: with PIN not 0 (default 1), two or more CPUs this process may run on and taskset,
# servers run on the first of them and the load generator on the rest; says which
pin_cpus() {
    local allowed=() server load
    read -r -a allowed < <(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))' 2>/dev/null || true)
    if [[ ${PIN:-1} != 0 ]] && ((${#allowed[@]} >= 2)) && command -v taskset >/dev/null; then
        server=${allowed[0]}
        load=$(IFS=,; echo "${allowed[*]:1}")
        SERVER_CPUS=(taskset -c "$server")
        LOAD_CPUS=(taskset -c "$load")
        echo "pinned: servers on CPU $server, the load generator on CPU $load (PIN=0 turns this off)"
    else
        echo "not pinned: servers and load generator share the CPUs"
    fi
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_for DESCRIPTION PID COMMAND...: poll COMMAND until it succeeds, PID dies, or START_WAIT passes
wait_for() {
    local what=$1 pid=$2; shift 2
    local deadline=$((SECONDS + START_WAIT))
    until "$@" >/dev/null 2>&1; do
        kill -0 "$pid" 2>/dev/null || die "$what exited during start-up (log: $(tail -5 "$TMP/$what.log" 2>/dev/null))"
        ((SECONDS < deadline)) || die "$what did not answer within ${START_WAIT}s"
        sleep 0.1
    done
}

# start_kvstore_server LABEL BINARY [ARGUMENTS...]: starts kvstore on a free loopback port with a
# data folder of its own, durability always and ARGUMENTS, logs to $TMP/LABEL.log, waits for
# /health; sets <LABEL>_PORT and <LABEL>_PID (LABEL must be a shell name)
start_kvstore_server() {
    local label=$1 binary=$2 port pid
    shift 2
    port=$(free_port)
    mkdir -p "$TMP/$label-data"
    "${SERVER_CPUS[@]}" "$binary" --data-dir "$TMP/$label-data" --host "$HOST" --port "$port" --durability always \
        --log-level warning "$@" >"$TMP/$label.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_for "$label" "$pid" curl -sf "http://$HOST:$port/health"
    printf -v "${label}_PORT" '%s' "$port"
    printf -v "${label}_PID" '%s' "$pid"
}

# run_wrk ID LABEL CONNECTIONS URL [SCRIPT]: prints the figure, sets RPS; output in $TMP/ID.wrk
run_wrk() {
    local id=$1 name=$2 conns=$3 url=$4 script=${5:-}
    local args=(-t1 -c"$conns" -d"${DURATION}s" --timeout 10s --latency)
    [[ -n $script ]] && args+=(-s "$script")
    timeout $((DURATION + SLACK)) "${LOAD_CPUS[@]}" wrk "${args[@]}" "$url" >"$TMP/$id.wrk" 2>&1 \
        || die "wrk ($name) failed: $(tail -5 "$TMP/$id.wrk")"
    kill -0 "${WATCH_PID:-$KV_PID}" 2>/dev/null || die "the server died during $name (log: $(tail -20 "${WATCH_LOG:-$TMP/kvstore.log}"))"
    local p50 p99 bad
    RPS=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/$id.wrk")
    p50=$(awk '$1 == "50%" {print $2}' "$TMP/$id.wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$TMP/$id.wrk")
    bad=$(grep -E 'Non-2xx|Socket errors' "$TMP/$id.wrk" | tr -s ' ' | tr '\n' ';' || true)
    [[ -n $RPS ]] || die "no Requests/sec in wrk output for $name: $(cat "$TMP/$id.wrk")"
    printf '  %-36s %12s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$RPS" "$p50" "$p99" \
        "${bad:+WARNING: $bad}"
}

# hit_every_route PORT: one request of every route x method combination to $HOST:PORT, the largest
# exposition real traffic can make (the route label is the template, so random paths and keys add
# no series): the full exposition the scrape figures are measured on
hit_every_route() {
    local method path
    for method in GET PUT DELETE HEAD POST PATCH OPTIONS; do
        for path in /api/v1/kv/x /api/v1/kv /health /api/v1/stats /api/v1/ping /api/v1/metrics /metrics /nope; do
            if [[ $method == HEAD ]]; then
                curl -s -o /dev/null --max-time 5 -I "http://$HOST:$1$path" || true
            else
                curl -s -o /dev/null --max-time 5 -X "$method" "http://$HOST:$1$path" || true
            fi
        done
    done
}

# scrape_ms PORT COUNT: mean milliseconds per scrape of /api/v1/metrics over COUNT scrapes on one
# keep-alive connection (HTTP included)
scrape_ms() {
    timeout $((SLACK * 4)) python3 - "$HOST" "$1" "$2" <<'PY'
import http.client, sys, time
host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conn = http.client.HTTPConnection(host, port, timeout=10)
start = time.perf_counter()
for _ in range(n):
    conn.request("GET", "/api/v1/metrics")
    conn.getresponse().read()
print(f"{(time.perf_counter() - start) / n * 1000:.3f}")
PY
}

# keepalive_client METHOD PATH FIRST COUNT: COUNT requests to $HOST:$PORT on one keep-alive
# connection, one at a time; a PUT's path gets a counter from FIRST (unique keys) and 16 bytes
keepalive_client() {
    timeout $((SLACK * 20)) python3 - "$HOST" "$PORT" "$@" <<'EOF'
import http.client, sys
host, port, method, path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
first, count = int(sys.argv[5]), int(sys.argv[6])
connection = http.client.HTTPConnection(host, port, timeout=120)
for n in range(first, first + count):
    target, body = (f"{path}-{n}", b"0123456789abcdef") if method == "PUT" else (path, None)
    connection.request(method, target, body=body)
    response = connection.getresponse()
    response.read()
    if response.status >= 300:
        sys.exit(f"{method} {target} answered {response.status}")
EOF
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
verdict() { awk -v r="$1" -v g="$2" 'BEGIN { if (r == "n/a") print "?"; else if (r + 0 >= g + 0) print "meets goal"; else print "BELOW goal" }'; }


# pick_kvstore_binary GIVEN: sets BINARY and WHICH for a benchmark: the given binary, else the
# release build when it is newer than the debug build, else the debug build (said so loudly).
# Run from the repository root.
pick_kvstore_binary() {
    local debug=.build/debug/kvstore release=.build/release/kvstore
    if [[ -n ${1:-} ]]; then
        BINARY=$1; WHICH="given"
    elif [[ -x $release && ( ! -e $debug || $release -nt $debug ) ]]; then
        BINARY=$release; WHICH="release build (newer than the debug build)"
    else
        BINARY=$debug
        if [[ -x $release ]]; then WHICH="DEBUG build (the release build is older; figures are not release figures)"
        else WHICH="DEBUG build (no release build; figures are not release figures)"; fi
    fi
}
