#!/usr/bin/env bash
# Installs the Debian packages kvstore needs (and, for `test`, the PyPI tools), then exits 0.
# Usage: scripts/setup.sh [run|test|bench]   (default: run)
#        scripts/setup.sh schemathesis-path  (prints where `test` installs schemathesis; installs nothing)
# As root it runs apt-get; otherwise it prints the exact command and fails.
# PyPI tools go into a virtual environment of their own, not into the system's Python: Debian 12's
# pip refuses to install there (PEP 668, "externally-managed-environment") unless told
# --break-system-packages, and a venv keeps the pinned versions from touching anything else. It
# works the same as root, as a user and in CI: $KVSTORE_TOOLS_DIR, default ~/.cache/kvstore, one
# folder per pinned version (so a new pin installs afresh).
set -euo pipefail

# The schemathesis that scripts/check-openapi.sh runs (its 4.x command line and checks).
SCHEMATHESIS_VERSION=4.32.5
tools_dir="${KVSTORE_TOOLS_DIR:-${HOME:-/root}/.cache/kvstore}"
schemathesis_venv="$tools_dir/schemathesis-$SCHEMATHESIS_VERSION"

profile="${1:-run}"
packages=(libxml2-dev liblmdb-dev zlib1g-dev pkg-config)
# PostgreSQL for scripts/postgres.sh and scripts/bench/pgbench.sh: on Debian 12 `postgresql`
# pulls in postgresql-15 (server, initdb, pg_ctl, pgbench under /usr/lib/postgresql/15/bin)
# and postgresql-client-15 (psql, pg_isready, pg_basebackup). Installing it also creates
# Debian's own cluster on 5432; the scripts never use or touch that one.
postgres=(postgresql postgresql-contrib)
case "$profile" in
  run) ;;
  test) packages+=(libxml2-utils prometheus python3 python3-venv curl chromium openssl gcc libc6-dev "${postgres[@]}") ;;
  bench) packages+=(libxml2-utils prometheus python3 curl wrk redis-server valgrind "${postgres[@]}") ;;
  schemathesis-path) echo "$schemathesis_venv/bin/schemathesis"; exit 0 ;;
  *) echo "setup.sh: unknown profile '$profile' (run, test or bench)" >&2; exit 2 ;;
esac

# schemathesis==$SCHEMATHESIS_VERSION in its venv, unless it is there already.
install_pypi_tools() {
  [ "$profile" = test ] || return 0
  [ -x "$schemathesis_venv/bin/schemathesis" ] && return 0
  echo "setup.sh: installing schemathesis==$SCHEMATHESIS_VERSION into $schemathesis_venv"
  rm -rf "$schemathesis_venv"
  mkdir -p "$tools_dir"
  python3 -m venv "$schemathesis_venv"
  "$schemathesis_venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" || {
    rm -rf "$schemathesis_venv"
    echo "setup.sh: pip install schemathesis==$SCHEMATHESIS_VERSION failed" >&2
    exit 1
  }
}

if ! command -v swift >/dev/null 2>&1; then
  echo "setup.sh: swift is not on PATH; install Swift 6.2 or newer (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  install_pypi_tools
  exit 0
fi

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: missing packages: ${missing[*]}" >&2
  echo "setup.sh: run as root:  apt-get update && $command" >&2
  exit 1
fi
echo "setup.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null
install_pypi_tools
