#!/bin/sh
# bench/index.sh [RUNS] - the project index and facts files (SPEC 7,
# docs/facts.md) against what they save, side by side in one run, on the
# generated 200-unit project (tests/integration/build_graph/gen_units.py)
# and on any real code bases named in REAL_CODEBASES.
#
# Targets (issue "One program view everywhere", Performance):
#   single-unit  "shapecheck -p DB FILE" with the index (the other units
#                from their summaries or facts) within 1.20x of the same
#                run with --no-index (FILE alone), FILE the largest unit;
#   link         "shapecheck A.scfacts B.scfacts ..." over every unit's
#                facts (--emit-facts) at most 15% of parsing the units
#                (bench/parse_only.c: libclang in one process, nothing
#                converted);
#   size         the index folder, reported (entries and summaries).
# Exits 1 when a target fails.  Each time is the median of RUNS runs
# (default 5), the runs of the two sides interleaved, so that a busy
# machine slows both alike.
#
#   BUILD=dir       build folder (default build-bench)
#   REAL_CODEBASES=dir1:dir2...  folders with a compile_commands.json (or
#                   build/compile_commands.json); nothing is fetched
set -eu
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-5}
case $runs in '' | *[!0-9]* | 0)
  echo "usage: bench/index.sh [RUNS]" >&2
  exit 2 ;;
esac
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target shapecheck parse_only >/dev/null
sc=$root/$build/checker/shapecheck
po=$root/$build/checker/parse_only
inc=$root/$build/bundled-include

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=0

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now() { date +%s.%N; }
# seconds FILE CMD...: appends CMD's wall time to FILE (its output and exit
# status are not the point: a finding exits 1).
seconds() {
  out=$1
  shift
  start=$(now)
  "$@" >/dev/null 2>&1 || true
  awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.4f\n", b - a }' >>"$out"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# judge VALUE LIMIT: sets $verdict, PASS when VALUE <= LIMIT; a FAIL sets
# $failed (not in a subshell, or the exit status would never see it).
judge() {
  if awk -v v="$1" -v l="$2" 'BEGIN { exit !(v <= l) }'; then
    verdict="PASS (<= $2)"
  else
    verdict="FAIL (<= $2)"
    failed=1
  fi
}

# measure LABEL DB: DB holds compile_commands.json.
measure() {
  label=$1 db=$2
  python3 -c 'import json, sys
for e in json.load(open(sys.argv[1])):
    f = e["file"]
    if f.endswith(".c"):
        print(f if f.startswith("/") else e["directory"] + "/" + f)' \
    "$db/compile_commands.json" | sort -u >"$work/units"
  n=$(wc -l <"$work/units")
  big=$(tr '\n' '\0' <"$work/units" | xargs -0 wc -c |
    awk '$2 != "total"' | sort -n | tail -n 1 | awk '{ print $2 }')
  rm -rf "$db/.shapecheck"
  (cd "$db" && "$sc" --quiet --no-config -p . >/dev/null 2>&1) || true
  size=$(du -sk "$db/.shapecheck" | awk '{ print $1 }')
  entries=$(find "$db/.shapecheck" -name '*.entry' | wc -l)
  summaries=$(find "$db/.shapecheck" -name '*.entry.summary' | wc -l)

  rm -rf "$work/facts"
  mkdir -p "$work/facts"
  k=0
  while read -r f; do
    k=$((k + 1))
    (cd "$db" && "$sc" --quiet --no-config -p . --emit-facts \
      "$work/facts/$k.scfacts" "$f" >/dev/null 2>&1) || true
  done <"$work/units"

  : >"$work/t.with" ; : >"$work/t.without" ; : >"$work/t.link" ; : >"$work/t.parse"
  i=0
  while [ "$i" -lt "$runs" ]; do
    (cd "$db" && seconds "$work/t.with" "$sc" --quiet --no-config -j1 -p . "$big")
    (cd "$db" && seconds "$work/t.without" "$sc" --quiet --no-config -j1 \
      --no-index -p . "$big")
    seconds "$work/t.link" "$sc" --quiet --no-config -j1 "$work/facts"/*.scfacts
    seconds "$work/t.parse" "$po" --include "$inc" "$db"
    i=$((i + 1))
  done
  with=$(median <"$work/t.with")
  without=$(median <"$work/t.without")
  link=$(median <"$work/t.link")
  parse=$(median <"$work/t.parse")
  echo "== $label: $n units; median of $runs runs"
  echo "  index: $size KB on disk, $entries entries, $summaries summaries"
  single=$(ratio "$with" "$without")
  judge "$single" 1.20
  echo "  single unit (${big#"$db"/}): ${with} s with the index, ${without} s without:" \
    "${single}x  $verdict"
  share=$(awk -v l="$link" -v p="$parse" 'BEGIN { printf "%.1f", 100 * l / p }')
  judge "$share" 15
  echo "  link step: ${link} s over the facts, parse ${parse} s: ${share}%" \
    "$verdict"
}

echo "bench/index.sh: $(nproc) cores, $(uname -m)"
gen=$work/generated
cmake --install "$build" --prefix "$work/prefix" --component checker >/dev/null
python3 tests/integration/build_graph/gen_units.py "$gen" --clean >/dev/null
cmake -S "$gen" -B "$gen/build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  "-DCMAKE_PREFIX_PATH=$work/prefix" >/dev/null 2>&1 || true
if [ -f "$gen/build/compile_commands.json" ]; then
  measure "generated (gen_units.py, 200 units)" "$gen/build"
else
  echo "== generated: cmake could not configure it; skipped"
fi
if [ -n "${REAL_CODEBASES:-}" ]; then
  old_ifs=$IFS
  IFS=:
  set -f
  # shellcheck disable=SC2086 # split on ':' on purpose
  set -- $REAL_CODEBASES
  set +f
  IFS=$old_ifs
  for dir in "$@"; do
    db=$dir
    [ -f "$db/compile_commands.json" ] || db=$dir/build
    measure "$(basename "$dir")" "$db"
  done
fi
exit $failed
