#!/usr/bin/env bash
# Installs the Debian packages kvstore needs, then exits 0.
# Usage: scripts/setup.sh [run|test|bench]   (default: run)
# As root it runs apt-get; otherwise it prints the exact command and fails.
set -euo pipefail

profile="${1:-run}"
packages=(libxml2-dev liblmdb-dev zlib1g-dev pkg-config)
case "$profile" in
  run) ;;
  test) packages+=(libxml2-utils prometheus python3 curl chromium openssl gcc libc6-dev) ;;
  bench) packages+=(libxml2-utils prometheus python3 curl wrk redis-server) ;;
  *) echo "setup.sh: unknown profile '$profile' (run, test or bench)" >&2; exit 2 ;;
esac

if ! command -v swift >/dev/null 2>&1; then
  echo "setup.sh: swift is not on PATH; install Swift 6.2 or newer (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
