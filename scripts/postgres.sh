#!/usr/bin/env bash
# Real PostgreSQL servers on loopback for tests and benchmarks (docs/cluster.md).
#
#   scripts/postgres.sh start NAME PORT                   primary in $KVSTORE_PG_ROOT/NAME (initdb if new)
#   scripts/postgres.sh start-standby NAME PORT PRIMARY   synchronous hot standby of PRIMARY
#   scripts/postgres.sh promote NAME                      standby -> primary, waits until writable
#   scripts/postgres.sh kill9 NAME                        SIGKILL the postmaster (a crash)
#   scripts/postgres.sh stop NAME | stop-all              fast shutdown of one / every cluster
#   scripts/postgres.sh destroy NAME                      stop, then delete its folder
#   scripts/postgres.sh wait-ready NAME                   wait until it accepts connections
#   scripts/postgres.sh url NAME                          postgres://kvstore:kvstore@127.0.0.1:PORT/kvstore
#   scripts/postgres.sh psql NAME [ARGS...]               psql as kvstore over TCP, like the server
#
# Environment: KVSTORE_PG_ROOT (default /tmp/kvstore-pg), KVSTORE_PG_WAIT (seconds every wait
# may take, default 30), KVSTORE_PG_BINDIR (default: `pg_config --bindir`, else the newest
# /usr/lib/postgresql/N/bin).
# Layout: ROOT/NAME/{port,log,initdb.log} and ROOT/NAME/data (PGDATA, also the Unix socket
# folder, mode 0700, owned by postgres). Every server listens on 127.0.0.1 only; the
# Debian system cluster (5432) is never used or touched. As root, initdb, postgres and
# pg_ctl run as the `postgres` user (PostgreSQL refuses to run as root). Silent unless
# something fails; then one line on stderr and exit 1 (2 for a usage error).
set -euo pipefail

ROOT=${KVSTORE_PG_ROOT:-/tmp/kvstore-pg}
WAIT=${KVSTORE_PG_WAIT:-30}
USER_NAME=kvstore PASSWORD=kvstore DATABASE=kvstore
ME=postgres.sh
SELF=$(readlink -f "$0")
[[ $ROOT == /* ]] || ROOT=$PWD/$ROOT
cd /

die() { echo "$ME: $*" >&2; exit 1; }
usage() { sed -n '4,12s/^#   //p' "$SELF" >&2; exit 2; }

# ---- binaries ----------------------------------------------------------------------------
# Absolute paths to the Debian server binaries. Not whatever `pg_ctl` is first on PATH:
# Debian puts no pg_ctl/initdb/postgres on PATH at all (/usr/bin holds pg_wrapper links for
# the client tools only), and hand-made links such as /usr/local/bin/pg_ctl may or may not
# exist, or point at another version.
find_bindir() {
    local dir
    if [[ -n ${KVSTORE_PG_BINDIR:-} ]]; then
        echo "$KVSTORE_PG_BINDIR"; return 0
    fi
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n $dir && -x $dir/postgres && -x $dir/initdb ]]; then echo "$dir"; return 0; fi
    # shellcheck disable=SC2012  # ls -v: version order (15 before 16)
    dir=$(ls -dv /usr/lib/postgresql/*/bin 2>/dev/null | tail -n 1 || true)
    if [[ -n $dir && -x $dir/postgres && -x $dir/initdb ]]; then echo "$dir"; return 0; fi
    return 1
}

# Debian 12: the server, pg_ctl, initdb and pgbench are in postgresql-15 (pulled in by
# `postgresql`); psql, pg_isready and pg_basebackup in postgresql-client-15.
install_server() {
    local command="apt-get install -y postgresql postgresql-contrib"
    if [[ $(id -u) -ne 0 ]]; then
        die "PostgreSQL is not installed; run as root: apt-get update && $command"
    fi
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/postgres-sh-apt.XXXXXX")
    echo "$ME: installing postgresql postgresql-contrib" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >"$log" 2>&1 || die "apt-get update failed ($log: $(tail -n 1 "$log"))"
    $command -qq >"$log" 2>&1 || die "$command failed ($log: $(tail -n 1 "$log"))"
    rm -f "$log"
}

BIN=$(find_bindir) || { install_server; BIN=$(find_bindir) || die "no PostgreSQL server binaries after installing"; }
for tool in postgres initdb pg_ctl psql pg_isready pg_basebackup; do
    [[ -x $BIN/$tool ]] || die "$BIN/$tool is missing (KVSTORE_PG_BINDIR or the postgresql package is broken)"
done

# ---- helpers -----------------------------------------------------------------------------
# as_pg CMD...: CMD as the postgres user when we are root, else as ourselves. Everything runs
# from / (all paths are absolute), so a cwd the postgres user cannot read (/root) gives no
# "could not change directory" noise.
if [[ $(id -u) -eq 0 ]]; then AS_PG=(runuser -u postgres --); else AS_PG=(); fi
as_pg() { "${AS_PG[@]}" "$@"; }
owner() { if [[ $(id -u) -eq 0 ]]; then echo postgres; else id -un; fi; }

check_name() {
    [[ ${1:-} =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$ ]] || die "bad cluster name '${1:-}' (letters, digits, - and _)"
}
check_port() {
    if ! [[ ${1:-} =~ ^[0-9]+$ ]] || (($1 < 1024 || $1 > 65535)); then die "bad port '${1:-}' (1024-65535)"; fi
    (($1 != 5432)) || die "port 5432 belongs to the Debian system cluster; pick another"
}

dir_of() { echo "$ROOT/$1"; }
data_of() { echo "$ROOT/$1/data"; }
port_of() {
    [[ -f $ROOT/$1/port ]] || die "no cluster '$1' under $ROOT (start it first)"
    cat "$ROOT/$1/port"
}

# is_running NAME: its postmaster.pid names a live process. Not `pg_ctl status`: that (and the
# postmaster's own lock-file check) takes a zombie for a live server, and a postmaster killed
# with -9 stays a zombie here until PID 1 gets round to reaping it, seconds later.
postmaster_pid() { head -n 1 "$(data_of "$1")/postmaster.pid" 2>/dev/null || true; }
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null || true); [[ -n $state && $state != Z* ]]; }
is_running() {
    local pid
    pid=$(postmaster_pid "$1")
    [[ $pid =~ ^[0-9]+$ ]] && alive "$pid"
}
# clear_stale_pid NAME: drop the lock files of a dead server (see is_running): postmaster.pid
# and the socket's .s.PGSQL.PORT.lock, which holds the same pid (the socket folder is the
# data folder, so every socket file there is this cluster's)
clear_stale_pid() {
    local data
    data=$(data_of "$1")
    is_running "$1" && return 0
    rm -f "$data/postmaster.pid" "$data"/.s.PGSQL.*
}

# admin NAME SQL: one query as the superuser over the cluster's Unix socket; prints rows, bare.
admin() {
    local port
    port=$(port_of "$1")
    PGCONNECT_TIMEOUT=5 PGAPPNAME=$ME PGOPTIONS="-c client_min_messages=warning" \
        timeout 20 "${AS_PG[@]}" "$BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
        -h "$(data_of "$1")" -p "$port" -U postgres -d postgres -c "$2"
}

# last_log NAME: the last line of the server log worth quoting
last_log() {
    local log=$ROOT/$1/log
    [[ -f $log ]] || { echo "no log"; return; }
    grep -E 'FATAL|PANIC|ERROR' "$log" | tail -n 1 | grep . || tail -n 1 "$log"
}

# wait_until WHAT CMD...: poll CMD every 0.1 s until it succeeds or WAIT seconds pass
wait_until() {
    local what=$1; shift
    local deadline=$((SECONDS + WAIT))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what: not within ${WAIT}s"
        sleep 0.1
    done
}

accepting() { "$BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -t 2; }
# pg_isready: 0 accepting, 1 rejecting (starting up), 2 no response, 3 bad invocation
refusing() { local rc=0; "$BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -t 2 || rc=$?; ((rc == 2)); }
not_in_recovery() { [[ $(admin "$1" 'SELECT pg_is_in_recovery()') == f ]]; }
sync_streaming() {  # sync_streaming PRIMARY STANDBY
    [[ $(admin "$1" "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$2'
        AND state = 'streaming' AND sync_state = 'sync'") == 1 ]]
}

# all_gone PID...: none of them runs any more (a zombie counts as gone)
all_gone() { local pid; for pid in "$@"; do ! alive "$pid" || return 1; done; }

# one caller at a time per cluster (tests run in parallel)
lock() {
    mkdir -p "$ROOT"
    chmod 0755 "$ROOT" 2>/dev/null || true
    exec 9>"$ROOT/.$1.lock"
    flock -w "$WAIT" 9 || die "$1: another postgres.sh holds $ROOT/.$1.lock for over ${WAIT}s"
}

# make_dir NAME: ROOT/NAME (0755) and ROOT/NAME/data (0700), owned by the server's user
make_dir() {
    local dir data
    dir=$(dir_of "$1") data=$(data_of "$1")
    mkdir -p "$data"
    chown "$(owner)" "$dir" "$data"
    chmod 0755 "$dir"
    chmod 0700 "$data"
    as_pg test -w "$data" || die "the postgres user cannot write $data (is a parent of $ROOT private? set KVSTORE_PG_ROOT under /tmp)"
    # the Unix socket lives in the data folder; sun_path holds 107 bytes
    ((${#data} < 90)) || die "$data is too long for a Unix socket path; use a shorter KVSTORE_PG_ROOT"
}

# write_config NAME PORT: our settings, rewritten on every start (a standby gets its own port)
write_config() {
    local name=$1 port=$2 data
    data=$(data_of "$name")
    cat >"$data/kvstore.conf" <<EOF
# written by scripts/postgres.sh on every start; edits here are lost
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
cluster_name = '$name'
max_connections = 200
password_encryption = 'scram-sha-256'
fsync = on
synchronous_commit = on
full_page_writes = on
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
wal_keep_size = '512MB'
hot_standby = on
hot_standby_feedback = on
wal_receiver_status_interval = '1s'
log_line_prefix = '%m [%p] %q%u@%d '
log_connections = off
EOF
    grep -qxF "include 'kvstore.conf'" "$data/postgresql.conf" \
        || echo "include 'kvstore.conf'" >>"$data/postgresql.conf"
    cat >"$data/pg_hba.conf" <<EOF
# written by scripts/postgres.sh: the superuser only over the Unix socket (folder mode 0700),
# the kvstore role with a password over TCP from 127.0.0.1, nothing else.
local   all           all                     trust
host    all           $USER_NAME  127.0.0.1/32   scram-sha-256
host    replication   $USER_NAME  127.0.0.1/32   scram-sha-256
EOF
    chown "$(owner)" "$data/kvstore.conf" "$data/pg_hba.conf"
    echo "$port" >"$(dir_of "$name")/port"
}

# pg_start NAME PORT: start the server in the background and wait until it accepts connections
pg_start() {
    local name=$1 port=$2 err
    accepting "$port" && die "$name: port $port already has a server that is not this cluster"
    clear_stale_pid "$name"
    # 9>&-: the postmaster must not inherit (and keep) our lock
    err=$(as_pg "$BIN/pg_ctl" start -s -w -t "$WAIT" -D "$(data_of "$name")" -l "$(dir_of "$name")/log" \
        2>&1 9>&-) \
        || die "$name did not start on port $port ($(echo "$err" | head -n 1)${err:+; }$(dir_of "$name")/log: $(last_log "$name"))"
}

# bootstrap NAME: role kvstore and database kvstore on a primary (idempotent)
bootstrap() {
    local name=$1
    admin "$name" "DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$USER_NAME') THEN
            CREATE ROLE $USER_NAME LOGIN CREATEDB REPLICATION PASSWORD '$PASSWORD';
        END IF;
    END \$\$; GRANT pg_monitor TO $USER_NAME" >/dev/null \
        || die "$name: could not create role $USER_NAME ($(last_log "$name"))"
    if [[ $(admin "$name" "SELECT count(*) FROM pg_database WHERE datname = '$DATABASE'") != 1 ]]; then
        admin "$name" "CREATE DATABASE $DATABASE OWNER $USER_NAME" >/dev/null \
            || die "$name: could not create database $DATABASE ($(last_log "$name"))"
    fi
}

# ---- commands ----------------------------------------------------------------------------
cmd_start() {
    (($# == 2)) || usage
    local name=$1 port=$2 data
    check_name "$name"; check_port "$port"
    lock "$name"
    data=$(data_of "$name")
    if is_running "$name"; then
        [[ $(port_of "$name") == "$port" ]] || die "$name is already running on port $(port_of "$name"), not $port"
        return 0
    fi
    make_dir "$name"
    if [[ ! -f $data/PG_VERSION ]]; then
        find "$data" -mindepth 1 -delete  # a half-made folder from an interrupted initdb
        as_pg "$BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=trust --auth-host=scram-sha-256 >"$(dir_of "$name")/initdb.log" 2>&1 \
            || die "initdb for $name failed ($(dir_of "$name")/initdb.log: $(tail -n 1 "$(dir_of "$name")/initdb.log"))"
    fi
    write_config "$name" "$port"
    pg_start "$name" "$port"
    if not_in_recovery "$name"; then bootstrap "$name"; fi
}

cmd_start_standby() {
    (($# == 3)) || usage
    local name=$1 port=$2 primary=$3 data pport
    check_name "$name"; check_port "$port"; check_name "$primary"
    [[ $name != "$primary" ]] || die "a standby cannot follow itself"
    is_running "$primary" || die "primary $primary is not running (start it first)"
    pport=$(port_of "$primary")
    lock "$name"
    data=$(data_of "$name")
    if ! is_running "$name"; then
        make_dir "$name"
        if [[ ! -f $data/PG_VERSION ]]; then
            find "$data" -mindepth 1 -delete
            # -c fast: a spread checkpoint could keep pg_basebackup waiting for minutes
            PGPASSWORD=$PASSWORD timeout "$((WAIT * 4))" "${AS_PG[@]}" "$BIN/pg_basebackup" -D "$data" \
                -h 127.0.0.1 -p "$pport" -U "$USER_NAME" -w -R -X stream -c fast >"$(dir_of "$name")/basebackup.log" 2>&1 \
                || { find "$data" -mindepth 1 -delete
                     die "pg_basebackup of $primary into $name failed ($(tail -n 1 "$(dir_of "$name")/basebackup.log"))"; }
            # postgresql.auto.conf came from the primary: drop a synchronous_standby_names it
            # may carry (a promoted standby would then wait for a standby it does not have),
            # and replace -R's primary_conninfo with one that names us (application_name).
            sed -i -e '/^synchronous_standby_names/d' -e '/^primary_conninfo/d' "$data/postgresql.auto.conf"
            echo "primary_conninfo = 'host=127.0.0.1 port=$pport user=$USER_NAME password=$PASSWORD application_name=$name'" \
                >>"$data/postgresql.auto.conf"
            rm -f "$data/postmaster.pid" "$data/postmaster.opts"
        fi
        [[ -f $data/standby.signal ]] || die "$name exists and is not a standby (destroy it first)"
        write_config "$name" "$port"
        pg_start "$name" "$port"
    else
        [[ $(port_of "$name") == "$port" ]] || die "$name is already running on port $(port_of "$name"), not $port"
    fi
    # the primary waits for this standby on every commit
    { admin "$primary" "ALTER SYSTEM SET synchronous_standby_names = '\"$name\"'" \
        && admin "$primary" "ALTER SYSTEM SET synchronous_commit = on" \
        && admin "$primary" "SELECT pg_reload_conf()"; } >/dev/null \
        || die "could not make $name the synchronous standby of $primary ($(last_log "$primary"))"
    wait_until "$name is not streaming to $primary as its sync standby ($(dir_of "$name")/log)" \
        sync_streaming "$primary" "$name"
}

cmd_promote() {
    (($# == 1)) || usage
    local name=$1
    check_name "$name"
    is_running "$name" || die "$name is not running"
    not_in_recovery "$name" && return 0  # already a primary
    as_pg "$BIN/pg_ctl" promote -s -w -t "$WAIT" -D "$(data_of "$name")" >/dev/null 2>&1 \
        || die "$name: pg_ctl promote failed ($(last_log "$name"))"
    wait_until "$name is still in recovery after promote" not_in_recovery "$name"
}

cmd_kill9() {
    (($# == 1)) || usage
    local name=$1 port pid children
    check_name "$name"
    port=$(port_of "$name")
    is_running "$name" || die "$name is not running"
    pid=$(postmaster_pid "$name")
    children=$(ps -o pid= --ppid "$pid" | tr -s ' \n' ' ')
    kill -9 "$pid"
    wait_until "$name (pid $pid) still answers on port $port after kill -9" refusing "$port"
    # Its backends notice the postmaster's death and exit on their own; wait for them so a
    # later start does not find the old shared memory still attached.
    # shellcheck disable=SC2086
    wait_until "$name: children of the killed postmaster still running" all_gone $children
    clear_stale_pid "$name"
}

cmd_stop() {
    (($# == 1)) || usage
    local name=$1
    check_name "$name"
    [[ -d $(data_of "$name") ]] || return 0
    is_running "$name" || return 0
    as_pg "$BIN/pg_ctl" stop -s -m fast -w -t "$WAIT" -D "$(data_of "$name")" >/dev/null 2>&1 \
        || die "$name did not stop within ${WAIT}s ($(last_log "$name"))"
}

cmd_stop_all() {
    (($# == 0)) || usage
    local data name failed=0
    [[ -d $ROOT ]] || return 0
    for data in "$ROOT"/*/data; do
        [[ -f $data/PG_VERSION ]] || continue
        name=$(basename "$(dirname "$data")")
        (cmd_stop "$name") || failed=1
    done
    ((failed == 0)) || exit 1
}

cmd_destroy() {
    (($# == 1)) || usage
    check_name "$1"
    cmd_stop "$1"
    rm -rf "$(dir_of "$1")" "$ROOT/.$1.lock"
}

cmd_wait_ready() {
    (($# == 1)) || usage
    local port
    check_name "$1"
    port=$(port_of "$1")
    wait_until "$1 does not accept connections on port $port" accepting "$port"
}

cmd_url() {
    (($# == 1)) || usage
    local port
    check_name "$1"
    port=$(port_of "$1")
    echo "postgres://$USER_NAME:$PASSWORD@127.0.0.1:$port/$DATABASE"
}

cmd_psql() {
    (($# >= 1)) || usage
    local name=$1 port; shift
    check_name "$name"
    port=$(port_of "$name")
    PGPASSWORD=$PASSWORD PGCONNECT_TIMEOUT=${PGCONNECT_TIMEOUT:-5} exec "$BIN/psql" -X \
        -h 127.0.0.1 -p "$port" -U "$USER_NAME" -d "$DATABASE" "$@"
}

(($# >= 1)) || usage
command=$1; shift
case "$command" in
    start) cmd_start "$@" ;;
    start-standby) cmd_start_standby "$@" ;;
    promote) cmd_promote "$@" ;;
    kill9) cmd_kill9 "$@" ;;
    stop) cmd_stop "$@" ;;
    stop-all) cmd_stop_all "$@" ;;
    destroy) cmd_destroy "$@" ;;
    wait-ready) cmd_wait_ready "$@" ;;
    url) cmd_url "$@" ;;
    psql) cmd_psql "$@" ;;
    -h | --help | help) usage ;;
    *) echo "$ME: unknown command '$command'" >&2; usage ;;
esac
