#!/usr/bin/env bash
# Test (run by `make test`): kvstore nodes sharing one PostgreSQL (the `postgres` engine).
#
#   scripts/check-cluster.sh [BINARY]      (default .build/debug/kvstore)
#
# Runs scripts/cluster_test.py (docs/cluster.md, "Tests"): three nodes on one primary see each
# other's writes, CAS, watches and transactions; concurrent CAS increments lose nothing; an
# acknowledged write survives kill -9 of a node, which /api/v1/cluster then shows `missing` (a
# node stopped with SIGTERM `left`); a database stop gives fast 503s and the nodes recover by
# themselves after its start; after kill -9 of the primary and promote of its synchronous
# standby no acknowledged write is lost and every node writes again without a restart.
# Starts its own PostgreSQL clusters (scripts/postgres.sh, ports 55420-55439, under a temporary
# KVSTORE_PG_ROOT) and nodes, and removes them all on exit, also on failure or interruption.
# One line per check (PASS/FAIL), then "P passed, F failed"; exit status 0 only when all pass.
set -euo pipefail

BINARY=${1:-.build/debug/kvstore}
NAME=check-cluster
LIMIT=240        # seconds the whole test may take
HERE=$(cd "$(dirname "$0")" && pwd)

die() { echo "$NAME: $*" >&2; exit 1; }
[[ -x "$BINARY" ]] || die "no executable at $BINARY"
[[ $(id -u) -eq 0 ]] || die "run as root (postgres.sh runs PostgreSQL as the postgres user)"
for tool in python3 timeout runuser; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# short (a Unix socket path lives under it) and reachable by the postgres user
TMP=$(mktemp -d /tmp/kvcc.XXXXXX)
chmod 0755 "$TMP"
export KVSTORE_PG_ROOT=$TMP/pg KVSTORE_PG_WAIT=30
mkdir -p "$KVSTORE_PG_ROOT" "$TMP/work"
chmod 0755 "$KVSTORE_PG_ROOT"

DRIVER_PID=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    local status=$? pid cluster
    trap - EXIT INT TERM
    # the driver cleans up after itself; this is for a driver that was killed before it could
    if [[ -n $DRIVER_PID ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
        kill -TERM "$DRIVER_PID" 2>/dev/null || true
        for _ in $(seq 150); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$DRIVER_PID" 2>/dev/null || true
    fi
    if [[ -f $TMP/work/pids ]]; then
        while read -r pid; do
            if [[ $pid =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
        done <"$TMP/work/pids"
    fi
    for cluster in "$KVSTORE_PG_ROOT"/*/; do
        [[ -d $cluster ]] || continue
        "$HERE/postgres.sh" destroy "$(basename "$cluster")" || echo "$NAME: could not destroy $(basename "$cluster")" >&2
    done
    rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# timeout sends SIGTERM (the driver then stops its nodes and destroys its clusters itself)
timeout --kill-after=30 "$LIMIT" python3 "$HERE/cluster_test.py" --binary "$BINARY" --work-dir "$TMP/work" &
DRIVER_PID=$!
status=0
wait "$DRIVER_PID" || status=$?
DRIVER_PID=
((status != 124)) || echo "FAIL whole test: not finished within ${LIMIT}s" >&2
exit "$status"
