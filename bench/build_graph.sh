#!/bin/sh
# bench/build_graph.sh [RUNS] [JOBS] - shapecheck_add_check() in a ninja
# build (integrations/cmake, docs/build-integration.md) on the generated
# 200-unit project of tests/integration/build_graph/gen_units.py (--clean:
# the check passes, so ninja logs every action's time).
#
# Figures, each the median of RUNS runs (default 5), with ninja -jJOBS
# (default: the number of cores):
#   cold         ninja shapecheck_train in a fresh build folder: the facts
#                actions (200) and the link;
#   incremental  after an edit of one unit (u042.c): the facts actions
#                ninja runs again (must be 1), their time, the link's time
#                (from .ninja_log) and the wall time of the whole ninja run;
#   whole        for comparison, one whole-program run over the compile
#                database (shapecheck -p build -j JOBS), no index.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
jobs=${2:-$(nproc)}
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target shapecheck >/dev/null
work="$PWD/$build/build_graph"
rm -rf "$work"
cmake --install "$build" --prefix "$work/prefix" --component checker >/dev/null
gen="$PWD/tests/integration/build_graph/gen_units.py"
python3 "$gen" "$work/project" --clean
sc="$work/prefix/bin/shapecheck"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'; }

# The .ninja_log lines after line $1: "facts N SECONDS" and "link SECONDS".
from_log() {
  tail -n +"$(($1 + 1))" "$work/project/build/.ninja_log" | awk -F'\t' '
    $4 ~ /\.scfacts$/ { n++; t += ($2 - $1) / 1000 }
    $4 ~ /\.checked$/ { link = ($2 - $1) / 1000 }
    END { printf "%d %.3f %.3f\n", n, t, link }'
}

: >"$work/cold" ; : >"$work/inc" ; : >"$work/whole"
i=0
while [ "$i" -lt "$runs" ]; do
  rm -rf "$work/project/build"
  cmake -G Ninja -S "$work/project" -B "$work/project/build" \
    "-DCMAKE_PREFIX_PATH=$work/prefix" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    >/dev/null
  start=$(now)
  ninja -C "$work/project/build" -j"$jobs" shapecheck_train >/dev/null
  cold=$(since "$start")
  lines=$(wc -l <"$work/project/build/.ninja_log")
  echo "$cold $(from_log 1)" >>"$work/cold"
  echo "/* edit $i */" >>"$work/project/src/u042.c"
  start=$(now)
  ninja -C "$work/project/build" -j"$jobs" shapecheck_train >/dev/null
  echo "$(since "$start") $(from_log "$lines")" >>"$work/inc"
  start=$(now)
  (cd "$work/project" && "$sc" --quiet --no-index -j"$jobs" -p build \
    >/dev/null 2>&1 || "$sc" --quiet -j"$jobs" -p build >/dev/null)
  since "$start" >>"$work/whole"
  i=$((i + 1))
done

col() { awk -v c="$1" '{ print $c }' "$2" | median; }
echo "200 units, ninja -j$jobs, median of $runs runs ($(nproc) cores)"
echo "cold:        $(col 1 "$work/cold") s wall; $(col 2 "$work/cold") facts actions, $(col 3 "$work/cold") s in all (their sum), link $(col 4 "$work/cold") s"
echo "incremental: $(col 1 "$work/inc") s wall; $(col 2 "$work/inc") facts action(s) re-run, $(col 3 "$work/inc") s; link $(col 4 "$work/inc") s"
echo "whole:       $(col 1 "$work/whole") s wall (shapecheck -p build -j$jobs)"
