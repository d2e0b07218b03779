#!/bin/sh
# bench/incremental.sh [RUNS] [TUS] - what a run after one changed file
# costs with --cache-dir, against a cold run (no cache), on a synthetic code
# base of TUS translation units (default 200) from bench/gen_codebase.py.
#
# Target (issue "hold up on real code bases ... run at the speed of
# parsing"): one changed file out of 200 costs at most 10% of a cold run.
# Each figure is the median of RUNS runs (default 5), -j1, side by side in
# one run of this script.  The changed file is a leaf (no summary changes),
# given new content before every warm run.
set -eu
cd "$(dirname "$0")/.."
runs=${1:-5}
tus=${2:-200}
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target shapecheck >/dev/null
sc="$PWD/$build/checker/shapecheck"
work="$PWD/$build/incremental"
rm -rf "$work"
python3 bench/gen_codebase.py "$work/code" --tus "$tus" \
  --shapecheck-include "$PWD/annotations" >/dev/null

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Seconds of wall time of one run of shapecheck with "$@".
timed() {
  start=$(date +%s.%N)
  "$sc" --quiet -j1 -p "$work/code" "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}

leaf=$(ls "$work"/code/src/util/*.c | head -n 1)
cold=$(i=0; while [ $i -lt "$runs" ]; do timed; i=$((i + 1)); done | median)
timed --cache-dir "$work/cache" >/dev/null # fill the cache
warm=$(i=0; while [ $i -lt "$runs" ]; do
  echo "/* edit $i */" >>"$leaf"
  timed --cache-dir "$work/cache"
  i=$((i + 1))
done | median)
echo "/* check */" >>"$leaf"
"$sc" --quiet -j1 --stats --cache-dir "$work/cache" -p "$work/code" \
  2>&1 >/dev/null | grep 'cache:' || true
awk -v c="$cold" -v w="$warm" -v n="$tus" 'BEGIN {
  r = w / c * 100
  printf "%d TUs, -j1, median of runs\n", n
  printf "cold run (no cache)          %8.1f ms\n", c * 1000
  printf "one file changed, cached     %8.1f ms   %5.1f%% of cold  %s (<= 10%%)\n",
         w * 1000, r, r <= 10 ? "PASS" : "FAIL" }'
