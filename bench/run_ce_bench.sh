#!/bin/sh
# run_ce_bench.sh - builds bench/ce_bench.c in Release and runs it: the
# cross-entropy benchmark of docs/runtime.md, with its targets.
#
# Release is -O3 without -march: the library is built for the baseline
# instruction set and picks AVX2 or AVX-512 kernels at run time, so these
# are the figures of the library as installed.  Then, unless --no-threads,
# a second build with SHAPECHECK_RT_OPENMP=ON is measured with 1 and 2
# threads.  Arguments after the options go to ce_bench (--reps R, ...).
#
#   bench/run_ce_bench.sh [--no-threads] [ce_bench options]
#   BUILD_DIR=... to build elsewhere than build-bench/ (and build-bench-omp/)
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
threads=yes
if [ "${1:-}" = "--no-threads" ]; then
  threads=no
  shift
fi

configure_and_build() { # DIR [cmake options...]
  dir=$1
  shift
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
    "$@" >/dev/null
  cmake --build "$dir" --target ce_bench -j "$(nproc)" >/dev/null
}

configure_and_build "$build" -DSHAPECHECK_RT_OPENMP=OFF
status=0
"$build/runtime/ce_bench" "$@" || status=$?

if [ "$threads" = yes ]; then
  configure_and_build "$build-omp" -DSHAPECHECK_RT_OPENMP=ON
  for n in 1 2; do
    echo
    echo "== SHAPECHECK_RT_OPENMP=ON, OMP_NUM_THREADS=$n"
    OMP_NUM_THREADS=$n OMP_PROC_BIND=close "$build-omp/runtime/ce_bench" \
      --tables-only "$@"
  done
fi
exit $status
