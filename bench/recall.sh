#!/bin/sh
# bench/recall.sh [PROGRAMS] [JOBS]: issue 10's recall benchmark.
#
# Runs the differential oracle's generator (tests/oracle, docs/oracle.md)
# over PROGRAMS programs (default 2000, seeds 0..PROGRAMS-1) with JOBS at
# once (default: every core) and prints recall (mismatches found over
# mismatches that happen on every run) by construct group (loops, calls,
# initialisers, arithmetic) and by construct, and precision.  Targets:
# recall >= 90% overall, precision 100%.  The checker is $BUILD's (default
# build-oracle, configured and built here when missing).  A benchmark
# reports; it exits 0 whatever the figures (ctest's oracle.precision is the
# test that fails on a false positive).
set -eu
cd "$(dirname "$0")/.."
n=${1:-2000}
jobs=${2:-$(nproc)}
build=${BUILD:-build-oracle}
checker=$build/checker/shapecheck
if [ ! -x "$checker" ]; then
  cmake -S . -B "$build" >/dev/null
  cmake --build "$build" -j"$jobs" --target shapecheck >/dev/null
fi
echo "recall.sh: $n programs, -j$jobs, checker $checker ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
python3 tests/oracle/run.py --seeds "0:$n" -j "$jobs" --checker "$checker" \
  --out "$build/oracle-recall" --table --targets | grep -v '^seed ' || true
