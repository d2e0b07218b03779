#!/bin/sh
# Installs the Debian packages shapecheck needs to build and test.
# Idempotent; run as root (CI) or with sudo available.
set -eu

PACKAGES="cmake make gcc libc6-dev pkg-config
  libclang-dev
  libcmocka-dev libcjson-dev libdlpack-dev libopenblas-dev python3-jsonschema
  python3-yaml
  clang libclang-rt-dev valgrind csmith libcsmith-dev
"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "setup: installing$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
  --no-install-recommends $missing >/dev/null
