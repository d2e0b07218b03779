#!/bin/sh
# bench/whole_program.sh [RUNS] - what the whole-program step (signatures,
# summaries, propagation, rules: everything after parsing) costs compared
# with parsing the translation units, on the bundled corpus.
#
# Target (issue "propagate batch dimensions across functions and files"):
# the analysis adds at most 10% to the time spent parsing.  Each line is
# the median of RUNS runs (default 5) of `shapecheck --stats -j1`, which
# times both phases in one process, side by side.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target shapecheck >/dev/null
sc="$PWD/$build/checker/shapecheck"

project_build="$PWD/$build/corpus-project"
cmake -S corpus/project -B "$project_build" \
  -DSHAPECHECK_INCLUDE="$PWD/annotations" >/dev/null

# The median of a column of numbers on stdin.
median() {
  sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Runs "shapecheck --stats -j1 $@" $runs times; prints LABEL, TUs, the
# median parse and analysis times and their ratio.
measure() {
  out=$(mktemp)
  i=0
  while [ "$i" -lt "$runs" ]; do
    "$sc" --stats -j1 "$@" 2>&1 >/dev/null | grep 'shapecheck: stats:' >>"$out" || true
    i=$((i + 1))
  done
  tus=$(awk '{ print $3; exit }' "$out")
  parse=$(sed 's/.*parse \([0-9.]*\) s.*/\1/' "$out" | median)
  analysis=$(sed 's/.*analysis \([0-9.]*\) s.*/\1/' "$out" | median)
  rm -f "$out"
  awk -v name="$label" -v tu="$tus" -v p="$parse" -v a="$analysis" 'BEGIN {
    ratio = a / p * 100
    printf "%-24s %4d TUs   parse %8.1f ms   analysis %7.2f ms   %5.2f%%  %s\n",
           name, tu, p * 1000, a * 1000, ratio, ratio <= 10 ? "PASS" : "FAIL" }'
}

echo "whole-program step vs parsing (median of $runs, -j1, target <= 10%)"
label="corpus (single files)"
measure corpus/batch/*.c corpus/rules/*.c corpus/flow/*.c \
  corpus/calls/*.c corpus/trainers/*.c corpus/runtime/*.c \
  corpus/models/*.c -- -Icorpus/include -isystem corpus/models/vendor
label="corpus/project (-p)"
(cd corpus/project && measure -p "$project_build")
