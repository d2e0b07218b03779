#!/bin/sh
# bench/branch_curve.sh [RUNS] - the analysis's growth with the size of one
# function: gen_branches.py writes a function of N locals and N ifs (issue
# 12, item 6: once 0.02 s at 1k, 17 s at 16k, over 300 s at 32k), for N =
# 1k, 4k, 16k, 64k.  For each N it prints the median over RUNS (default 3)
# of the checker's CPU time, the analysis's share from --stats, peak RSS,
# and the same for a one-process libclang parse of the file (parse_only.c,
# the baseline: what parsing alone costs); then the growth of each from
# one N to the next (x4 input: a linear analysis grows about 4x).
# The mismatch at the end of the function must be found at every N.
#
#   BUILD=dir    build folder (default build-bench)
#   SIZES="..."  the N to measure (default "1000 4000 16000 64000")
set -eu
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-3}
build=${BUILD:-build-bench}
sizes=${SIZES:-"1000 4000 16000 64000"}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target shapecheck parse_only >/dev/null
sc=$root/$build/checker/shapecheck
po=$root/$build/checker/parse_only
inc=$root/$build/bundled-include
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# cpu CMD...: user+system seconds and peak RSS (KB) of one run.
cpu() {
  /usr/bin/time -f "%U %S %M" -o "$work/time" "$@" >"$work/out" 2>&1 || true
  tail -n 1 "$work/time" | awk '{ printf "%.3f %d\n", $1 + $2, $3 }'
}

printf "%7s | %9s %9s %8s | %9s %8s | %6s\n" N shapecheck analysis RSS \
  parse RSS "ratio"
prev=""
for n in $sizes; do
  src=$work/branches_$n.c
  python3 bench/gen_branches.py "$n" "$src"
  printf '[{"directory": "%s", "file": "%s", "arguments": ["cc", "-c", "-I%s", "%s"]}]\n' \
    "$work" "$src" "$root/annotations" "$src" >"$work/compile_commands.json"
  : >"$work/sc" && : >"$work/an" && : >"$work/po"
  for _ in $(seq "$runs"); do
    # In one process: /usr/bin/time cannot see the parse workers (the
    # zygote's children), so their time and memory would go uncounted.
    cpu env SHAPECHECK_PARSE_IN_PROCESS=1 "$sc" --stats -p "$work" \
      >>"$work/sc"
    grep -q "in call to 'ce'" "$work/out" ||
      { echo "branch_curve: the mismatch was not found at N = $n" >&2; exit 1; }
    sed -n 's/.*analysis \([0-9.]*\) s.*/\1/p' "$work/out" >>"$work/an"
    cpu "$po" --include "$inc" "$work" >>"$work/po"
  done
  t=$(cut -d' ' -f1 "$work/sc" | median)
  m=$(cut -d' ' -f2 "$work/sc" | median)
  a=$(median <"$work/an")
  pt=$(cut -d' ' -f1 "$work/po" | median)
  pm=$(cut -d' ' -f2 "$work/po" | median)
  printf "%7d | %7.2f s %7.2f s %5d MB | %7.2f s %5d MB | %5.2fx\n" "$n" \
    "$t" "$a" $((m / 1024)) "$pt" $((pm / 1024)) \
    "$(echo "$t $pt" | awk '{ print ($2 > 0 ? $1 / $2 : 0) }')"
  [ -z "$prev" ] || echo "$prev $t $a" | awk '{
    printf "        growth from the previous N: shapecheck %.1fx, analysis %.1fx\n",
           $3 / $1, ($2 > 0 ? $4 / $2 : 0) }'
  prev="$t $a"
done
