#!/usr/bin/env bash
# Benchmark (not a test): the PostgreSQL anchor for the cluster engine (../shared/BENCHMARKS.md).
# pgbench against a cluster already started by scripts/postgres.sh, one-row upserts:
#
#   scripts/bench/pgbench.sh PORT CLIENTS DURATION
#   e.g. scripts/postgres.sh start bench 55440 && scripts/bench/pgbench.sh 55440 16 5
#
# Each transaction is one INSERT ... ON CONFLICT (k) DO UPDATE of a random key among 10,000
# with a 16-byte value into bench_kv(k text primary key, v bytea) (created if missing), over
# TCP as kvstore/kvstore to database kvstore, -M prepared, -j up to the number of cores.
# Durability is whatever the cluster has: fsync on, synchronous_commit on, and with a
# synchronous standby each commit also waits for it. Prints the tps.
set -euo pipefail

(($# == 3)) || { echo "usage: $0 PORT CLIENTS DURATION" >&2; exit 2; }
PORT=$1 CLIENTS=$2 DURATION=$3
[[ $PORT =~ ^[0-9]+$ && $CLIENTS =~ ^[1-9][0-9]*$ && $DURATION =~ ^[1-9][0-9]*$ ]] \
    || { echo "usage: $0 PORT CLIENTS DURATION (numbers)" >&2; exit 2; }
SLACK=30

NAME=pgbench.sh
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/../lib.sh"

# Debian 12: pgbench is in the server package postgresql-15 (/usr/lib/postgresql/15/bin);
# /usr/bin/pgbench is only postgresql-common's pg_wrapper. scripts/setup.sh bench installs it.
BIN=${KVSTORE_PG_BINDIR:-$(pg_config --bindir 2>/dev/null || true)}
# shellcheck disable=SC2012  # ls -v: version order
[[ -x $BIN/pgbench ]] || BIN=$(ls -dv /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1 || true)
[[ -x $BIN/pgbench && -x $BIN/psql ]] \
    || die "pgbench is not installed (as root: apt-get install -y postgresql postgresql-contrib, or scripts/setup.sh bench)"

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=kvstore PGPASSWORD=kvstore PGDATABASE=kvstore PGCONNECT_TIMEOUT=5
timeout 20 "$BIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -c 'SET client_min_messages = warning' \
    -c 'CREATE TABLE IF NOT EXISTS bench_kv(k text primary key, v bytea)' >"$TMP/psql.log" 2>&1 \
    || die "cannot prepare bench_kv on 127.0.0.1:$PORT (start it: scripts/postgres.sh start NAME $PORT): $(tail -n 1 "$TMP/psql.log")"

cat >"$TMP/upsert.sql" <<'EOF'
\set k random(1, 10000)
INSERT INTO bench_kv (k, v) VALUES ('key-' || :k, decode(md5(random()::text), 'hex'))
    ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v;
EOF

threads=$(nproc)
((threads <= CLIENTS)) || threads=$CLIENTS
timeout $((DURATION + SLACK)) "$BIN/pgbench" -n -M prepared -f "$TMP/upsert.sql" \
    -c "$CLIENTS" -j "$threads" -T "$DURATION" >"$TMP/pgbench.out" 2>&1 \
    || die "pgbench failed: $(tail -n 3 "$TMP/pgbench.out" | tr '\n' ' ')"

tps=$(awk '/^tps = / {print $3; exit}' "$TMP/pgbench.out")
latency=$(awk '/^latency average = / {print $4, $5}' "$TMP/pgbench.out")
failed=$(awk '/^number of failed transactions: / {print $5}' "$TMP/pgbench.out")
[[ -n $tps ]] || die "no tps in pgbench output: $(cat "$TMP/pgbench.out")"
printf '  pgbench one-row upsert, %s clients, %ss, 127.0.0.1:%s   %s tps   latency avg %s%s\n' \
    "$CLIENTS" "$DURATION" "$PORT" "$tps" "$latency" "${failed:+   failed $failed}"
