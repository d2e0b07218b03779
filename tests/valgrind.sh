#!/bin/sh
# tests/valgrind.sh [BUILD_DIR]
#
# Valgrind memcheck over the unit tests (the language server's tests with
# their server processes too), the fuzz harnesses' seed corpora and the checker
# on a handful of corpus programs that take each path of a run: findings,
# --verify, a compile database with two threads, SARIF and JSON output, a
# compiler error, a dropped GCC option and a missing file.  Any memory error
# fails, and so does any leak "definitely lost" in shapecheck's own code;
# leaks inside clang's and LLVM's C++ libraries are suppressed by
# tests/valgrind.supp (and nothing else is).  BUILD_DIR (default
# build-test) must hold a build of the tests; it is brought up to date.
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
build=${1:-build-test}
cmake -S . -B "$build" -DSHAPECHECK_WERROR=ON >/dev/null &&
  cmake --build "$build" -j"$(nproc)" >/dev/null || exit 1
build=$(cd "$build" && pwd)

# 100: the exit status valgrind uses for an error, kept apart from the
# checker's own 0, 1 and 2.
VG_ERROR=100
vg() {
  valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite \
    --error-exitcode=$VG_ERROR --suppressions="$root/tests/valgrind.supp" \
    --num-callers=40 "$@"
}

failed=0 runs=0
# check NAME ALLOWED_STATUSES CMD...: runs CMD under memcheck.
check() {
  name=$1 allowed=$2
  shift 2
  log=$build/valgrind/$(echo "$name" | tr ' /' '__').log
  start=$(date +%s)
  vg "$@" >"$log" 2>&1
  status=$?
  runs=$((runs + 1))
  case " $allowed " in
    *" $status "*) echo "valgrind: ok     $name ($(($(date +%s) - start)) s)" ;;
    *)
      failed=$((failed + 1))
      echo "valgrind: FAILED $name: exit $status ($log)"
      # What the program said (a test's failed assertion), then memcheck.
      grep -vE '^==[0-9]+==' "$log" | grep -E 'ERROR|FAIL|error' | head -n 20
      grep -E '^==[0-9]+== ' "$log" | head -n 40
      ;;
  esac
}

mkdir -p "$build/valgrind"
for t in "$build"/tests/test_* "$build"/runtime/test_rt_*; do
  if [ ! -f "$t" ] || [ ! -x "$t" ]; then
    continue
  fi
  case $t in
    */test_lsp | */test_lsp_project)
      # The server is checked too (a child of the test), its parses in its
      # own process: parse workers (isolate.h) under memcheck grew to 8 GB
      # each here and missed the tests' 60 s replies.
      SHAPECHECK_PARSE_IN_PROCESS=1
      export SHAPECHECK_PARSE_IN_PROCESS
      check "$(basename "$t")" 0 --trace-children=yes "$t"
      unset SHAPECHECK_PARSE_IN_PROCESS
      ;;
    *) check "$(basename "$t")" 0 "$t" ;;
  esac
done
for h in "$build"/tests/fuzz/fuzz_*; do
  name=$(basename "$h")
  check "$name corpus" 0 "$h" "tests/fuzz/corpus/${name#fuzz_}"
done

sc=$build/checker/shapecheck
inc=-Icorpus/include
# The checker parses in its own process here: a parse worker (isolate.h)
# maps a large shared region that memcheck shadows, and the kernel kills
# it; the workers are checked under ASan (scripts/test.sh), and every
# path after the parse is the same in both modes.
SHAPECHECK_PARSE_IN_PROCESS=1
export SHAPECHECK_PARSE_IN_PROCESS
check "shapecheck findings" 1 "$sc" corpus/batch/labels_short_batch.c -- $inc
check "shapecheck --verify" 0 "$sc" --verify corpus/calls/helper_summaries.c \
  corpus/trainers/gpt_trainer.c corpus/flow/*.c -- $inc
check "shapecheck sarif" 1 "$sc" --format=sarif corpus/rules/*.c -- $inc
check "shapecheck json" 1 "$sc" --format=json corpus/batch/*.c -- $inc
check "shapecheck errors" 2 "$sc" -v corpus/batch/truncated_labels.c \
  tests/data/bad/syntax_error.c tests/data/bad/nonexistent.c -- \
  gcc -fconserve-stack $inc
project=$build/valgrind/project
if cmake -S corpus/project -B "$project" -DCMAKE_C_COMPILER=cc \
    -DSHAPECHECK_INCLUDE="$root/annotations" >/dev/null 2>&1; then
  cd corpus/project || exit 1
  check "shapecheck -p -j2" 0 "$sc" --verify -j2 -p "$project"
  cd "$root" || exit 1
else
  echo "valgrind: FAILED to configure corpus/project"
  failed=$((failed + 1)) runs=$((runs + 1))
fi

echo "valgrind: $((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
