#!/usr/bin/env bash
# Benchmark (not a test): the postgres engine through 1 and through 3 kvstore nodes on one
# PostgreSQL, beside pgbench on the same PostgreSQL with the same client count (the ceiling the
# database sets), all started by this script, in one run.
#
#   scripts/bench/cluster.sh [BINARY]      (default: the newer of .build/release and .build/debug)
#
# Environment: DURATION (seconds per run, default 5), CONNECTIONS (clients, default 32).
#
# Figures (requests or transactions per second, loopback, one PostgreSQL started by
# scripts/postgres.sh with fsync on and synchronous_commit on, no standby):
#   pgbench: one-row upserts of a random key among 10,000 with a 16-byte value (scripts/bench/pgbench.sh)
#   kvstore PUT of a 16-byte value to a random key among 10,000, through 1 node (wrk -c CONNECTIONS)
#     and through 3 nodes (three wrk, CONNECTIONS split between them, rates summed)
#   kvstore GET of a 16-byte value, through 1 and through 3 nodes
# Ratios: PUT / pgbench (../shared/BENCHMARKS.md: report PUT through 1 and 3 nodes as a ratio of
# it), 3 nodes / 1 node. On a 2-core machine the nodes, wrk and PostgreSQL share the cores, so
# 3 nodes mostly show the cost of sharing, not scale-out.
set -euo pipefail

DURATION=${DURATION:-5}
CONNECTIONS=${CONNECTIONS:-32}
HOST=127.0.0.1
SLACK=30
START_WAIT=30

NAME=cluster.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.."
pick_kvstore_binary "${1:-}"
[[ -x "$BINARY" ]] || die "no executable at $BINARY (build it: swift build -c release --product kvstore)"
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
for tool in wrk curl; do command -v "$tool" >/dev/null || die "$tool is not installed (scripts/setup.sh bench)"; done

# --- PostgreSQL -----------------------------------------------------------------------------
# Not exported: the server refuses KVSTORE_* variables it does not know.
PG_ROOT=$TMP/pg
mkdir -p "$PG_ROOT" && chmod 755 "$TMP" "$PG_ROOT"
pg() { KVSTORE_PG_ROOT=$PG_ROOT scripts/postgres.sh "$@"; }
PG_PORT=$(free_port)
PG_NAME=bench-cluster
pg start "$PG_NAME" "$PG_PORT"
stop_postgres() { pg destroy "$PG_NAME" >/dev/null 2>&1 || true; }
trap 'stop_postgres; cleanup' EXIT

# --- nodes ----------------------------------------------------------------------------------
NODE_PORTS=()
start_node() { # ID
    local port
    port=$(free_port)
    mkdir -p "$TMP/$1"
    (cd "$TMP/$1" && exec "$BINARY" --host "$HOST" --port "$port" --log-level warning \
        --set node.id="$1" --set storage.engine=postgres --set storage.postgres.hosts="$HOST:$PG_PORT" \
        --set storage.postgres.tls=disable --set storage.postgres.password=kvstore \
        --set storage.postgres.pool_size="$CONNECTIONS" --set snapshots.enabled=false --set dashboard.enabled=false \
        >"$TMP/$1.log" 2>&1) &
    PIDS+=("$!")
    KV_PID=$!
    wait_for "$1" "$!" curl -sf "http://$HOST:$port/readyz"
    NODE_PORTS+=("$port")
}
start_node n1
start_node n2
start_node n3
WATCH_LOG=$TMP/n1.log

cat >"$TMP/put.lua" <<'EOF'
local body = "0123456789abcdef"  -- 16 bytes
local headers = { ["Content-Type"] = "application/octet-stream" }
math.randomseed(os.time())
request = function()
  return wrk.format("PUT", "/api/v1/kv/bench-" .. math.random(1, 10000), headers, body)
end
EOF
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary '0123456789abcdef' "http://$HOST:${NODE_PORTS[0]}/api/v1/kv/bench-get")
[[ $code == 201 || $code == 200 ]] || die "preload PUT answered $code"

# run_wrk3 ID LABEL PATH [SCRIPT]: three wrk at once, one per node, CONNECTIONS split; sets RPS (sum)
run_wrk3() {
    local id=$1 name=$2 path=$3 script=${4:-} i total=0 pids=() conns
    for i in 0 1 2; do
        conns=$((CONNECTIONS / 3 + (i < CONNECTIONS % 3 ? 1 : 0)))
        local args=(-t1 -c"$conns" -d"${DURATION}s" --timeout 10s)
        [[ -n $script ]] && args+=(-s "$script")
        timeout $((DURATION + SLACK)) wrk "${args[@]}" "http://$HOST:${NODE_PORTS[$i]}$path" >"$TMP/$id-$i.wrk" 2>&1 &
        pids+=("$!")
    done
    for i in 0 1 2; do wait "${pids[$i]}" || die "wrk ($name, node $((i + 1))) failed: $(tail -5 "$TMP/$id-$i.wrk")"; done
    for i in 0 1 2; do
        total=$(awk -v t="$total" '/^Requests\/sec:/ {printf "%.2f", t + $2}' "$TMP/$id-$i.wrk")
        if grep -qE 'Non-2xx|Socket errors' "$TMP/$id-$i.wrk"; then
            echo "  WARNING ($name, node $((i + 1))): $(grep -E 'Non-2xx|Socket errors' "$TMP/$id-$i.wrk" | tr -s ' ' | tr '\n' ';')"
        fi
    done
    RPS=$total
    printf '  %-36s %12s req/s   (3 x wrk -t1, %d connections in all)\n' "$name" "$RPS" "$CONNECTIONS"
}

echo "cluster benchmark: $BINARY ($WHICH), PostgreSQL on $HOST:$PG_PORT, $CONNECTIONS clients, ${DURATION}s per run"
PGB=$(scripts/bench/pgbench.sh "$PG_PORT" "$CONNECTIONS" "$DURATION" | awk '{for (i = 1; i < NF; i++) if ($(i + 1) == "tps") print $i}')
[[ -n $PGB ]] || die "no tps from pgbench"
printf '  %-36s %12s tps\n' "pgbench one-row upsert" "$PGB"
run_wrk put1 "PUT 16 B through 1 node" "$CONNECTIONS" "http://$HOST:${NODE_PORTS[0]}" "$TMP/put.lua"; PUT1=$RPS
run_wrk3 put3 "PUT 16 B through 3 nodes" "" "$TMP/put.lua"; PUT3=$RPS
run_wrk get1 "GET 16 B through 1 node" "$CONNECTIONS" "http://$HOST:${NODE_PORTS[0]}/api/v1/kv/bench-get"; GET1=$RPS
run_wrk3 get3 "GET 16 B through 3 nodes" "/api/v1/kv/bench-get"; GET3=$RPS

echo
echo "  ratio                                  value"
printf '  %-38s %s\n' "PUT 1 node / pgbench" "$(ratio "$PUT1" "$PGB")"
printf '  %-38s %s\n' "PUT 3 nodes / pgbench" "$(ratio "$PUT3" "$PGB")"
printf '  %-38s %s\n' "PUT 3 nodes / 1 node" "$(ratio "$PUT3" "$PUT1")"
printf '  %-38s %s\n' "GET 3 nodes / 1 node" "$(ratio "$GET3" "$GET1")"
