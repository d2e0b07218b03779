#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [HARNESS...]
#
# Builds the fuzz harnesses (clang, libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer) in build-fuzz/ and runs each for SECONDS
# (default 60; 0 only builds them), starting from its seed corpus tests/fuzz/corpus/NAME; the
# inputs it finds go to build-fuzz/fuzz-corpus/NAME (kept between runs),
# crashes to build-fuzz/fuzz-artifacts/.  HARNESS: dim annotation verify
# compdb config expect summary facts lsp (default: all).  Exits 1 when any harness crashed,
# leaked, hung or broke a property.  docs/fuzzing.md has the longer runs.
set -eu
cd "$(dirname "$0")/../.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
harnesses=${*:-dim annotation verify compdb config expect summary facts lsp}
build=${FUZZ_BUILD_DIR:-build-fuzz}

CC=${FUZZ_CC:-clang} cmake -S . -B "$build" -DSHAPECHECK_FUZZ=ON \
  -DBUILD_TESTING=OFF -DSHAPECHECK_WERROR=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
[ "$seconds" -eq 0 ] && exit 0 # 0 seconds: build only

mkdir -p "$build/fuzz-artifacts"
failed=""
for h in $harnesses; do
  work=$build/fuzz-corpus/$h
  log=$build/fuzz-$h.log
  mkdir -p "$work"
  dict=""
  [ -f "tests/fuzz/$h.dict" ] && dict="-dict=tests/fuzz/$h.dict"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a leak or
  # a blow-up.  The seed corpus is read, never written.
  # shellcheck disable=SC2086
  # -seed: the same inputs in the same order on every run (FUZZ_SEED=0
  # asks libFuzzer for a random one), so CI is repeatable.
  if "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 \
      -seed="${FUZZ_SEED:-1}" \
      -rss_limit_mb=4096 -print_final_stats=1 $dict \
      -artifact_prefix="$build/fuzz-artifacts/$h-" \
      "$work" "tests/fuzz/corpus/$h" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed="$failed $h"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  corpus=$(find "$work" -type f | wc -l)
  echo "fuzz_$h: $status, ${runs:-?} runs in ${seconds}s, coverage ${cov:-?} edges, corpus $corpus inputs"
  if [ "$status" = FAILED ]; then
    grep -E 'ERROR|property failed|SUMMARY|Test unit written' "$log" | head -n 8
    echo "  log: $log"
    echo "  reproduce: $build/tests/fuzz/fuzz_$h ARTIFACT; keep it as a" \
         "regression test in tests/fuzz/corpus/$h/ once fixed"
  fi
done
total=$(echo "$harnesses" | wc -w)
bad=$(echo "$failed" | wc -w)
[ -n "$failed" ] && echo "fuzz: failed:$failed"
echo "fuzz: $((total - bad)) passed, $bad failed"
[ -z "$failed" ]
