#!/bin/sh
# The whole test suite: set up, build with warnings as errors, run every
# test; then again with AddressSanitizer and UndefinedBehaviorSanitizer.
set -eu
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)

echo "== build (-Werror) and ctest =="
cmake -S . -B build-test -DSHAPECHECK_WERROR=ON >/dev/null
cmake --build build-test -j"$jobs"
(cd build-test && ctest --output-on-failure -j"$jobs")

echo "== build with ASan+UBSan and ctest =="
cmake -S . -B build-asan -DSHAPECHECK_WERROR=ON -DCMAKE_BUILD_TYPE=Debug \
  -DSHAPECHECK_SANITIZE=address,undefined >/dev/null
cmake --build build-asan -j"$jobs"
# libclang's own allocations outlive its dispose calls; suppress those
# (and only those) for LeakSanitizer.
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
(cd build-asan && ctest --output-on-failure -j"$jobs")

# Memory errors and leaks of our own under valgrind memcheck, on the unit
# tests and a few checker runs (docs/fuzzing.md); a few minutes.
echo "== valgrind memcheck (tests/valgrind.sh) =="
tests/valgrind.sh build-test

# A bounded fuzzing run: one minute per libFuzzer harness, clang build in
# build-fuzz (docs/fuzzing.md); about seven minutes.
echo "== fuzzing, 60 s per harness (tests/fuzz/run.sh) =="
tests/fuzz/run.sh 60
