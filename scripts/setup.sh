#!/bin/sh
# Installs the Debian packages shapecheck needs to build and test.
# Idempotent; run as root (CI) or with sudo available.
set -eu

PACKAGES="cmake make ninja-build gcc libc6-dev pkg-config
  libclang-dev
  libcmocka-dev libcjson-dev libdlpack-dev libopenblas-dev python3-jsonschema
  python3-yaml
  clang libclang-rt-dev valgrind csmith libcsmith-dev
"

# For integration.build_graph_bazel only (integrations/bazel): Bazel 4.2.3
# and the rules_java it runs offline with (a JDK comes with them).  When
# they cannot be installed the build and the other tests do not need them:
# that test is skipped, and says why.
OPTIONAL_PACKAGES="bazel-bootstrap bazel-rules-java"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for p in $PACKAGES; do
  installed "$p" || missing="$missing $p"
done
optional=""
for p in $OPTIONAL_PACKAGES; do
  installed "$p" || optional="$optional $p"
done
[ -z "$missing$optional" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Without the network only the optional packages may be left out.
$SUDO apt-get update -qq || [ -z "$missing" ]
if [ -n "$missing" ]; then
  echo "setup: installing$missing" >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends $missing >/dev/null
fi
if [ -n "$optional" ]; then
  echo "setup: installing$optional (optional: the Bazel test)" >&2
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    --no-install-recommends $optional >/dev/null ||
    echo "setup:$optional not installed; integration.build_graph_bazel will be skipped" >&2
fi
