#!/bin/sh
# run_ce_bench.sh - builds bench/ce_bench.c in Release and runs it: the
# runtime library as a trainer's cross-entropy kernels (N = 256 rows of
# V = 50257 logits padded to 50304) against the reference loops a trainer
# would otherwise run, built with -Ofast -march=native as llm.c is, and
# against the memory bounds; on 1 and 2 threads; with the targets of
# docs/runtime.md.  Exits 1 when a target fails.
#
# Release is -O3 without -march for the library, which picks its AVX2 or
# AVX-512 kernels at run time: the figures of the library as installed.
# The reference loops (bench/ce_ref.c) get -Ofast -march=native, the
# bounds (bench/ce_bound.c) -O3 -march=native.  Threads come from the
# library's default build (OpenMP where the compiler has it).
#
#   bench/run_ce_bench.sh [ce_bench options: --reps R, --quick, ...]
#   BUILD_DIR=... to build elsewhere than build-bench/
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
  >/dev/null
cmake --build "$build" --target ce_bench -j "$(nproc)" >/dev/null
# Threads pinned one per core, so that 1- and 2-thread runs are comparable.
OMP_PROC_BIND=close OMP_PLACES=cores exec "$build/runtime/ce_bench" "$@"
