#!/bin/sh
# bench/speed.sh [RUNS] - shapecheck's speed and memory against
# "clang -fsyntax-only" over the same translation units with the same flags,
# side by side in one run, on a synthetic code base (bench/gen_codebase.py,
# generated into the build folder) and on any real code bases named in
# REAL_CODEBASES.
#
# Targets (issue "Hold up on real code bases and hostile input, and run at
# the speed of parsing", item 5):
#   shapecheck -j1 within 1.10x of clang -fsyntax-only run file by file
#     (every code base);
#   shapecheck -j1 faster than clang-tidy with one cheap check (file by file
#     and run-clang-tidy -j1) and than cppcheck, where installed (the
#     synthetic code base, and the real ones together, as the issue's
#     figures were measured; each real one's ratio is shown too);
#   shapecheck -j2 at least 1.8x faster than -j1 (on 2 cores; code bases of
#     20 units or more);
#   peak RSS of shapecheck on the largest unit within 1.15x of clang's
#     (every code base).
# And (issue "Never wrong", Performance): shapecheck -j1 within 1.25x of
# a one-process libclang parse of the same units, and its peak RSS on the
# largest unit within 1.2x of that parse's (every code base).
# Exits 1 when a target fails.  Each time is the median of RUNS runs
# (default 5); every tool runs once per round, so that a busy machine slows
# them all alike; "spread" is (max - min) / median over the runs, and each
# code base's header says how much of the machine other processes used
# meanwhile (from /proc/stat): with another job on one of 2 cores, -j2
# cannot be judged.
#
# The reference is N clang processes, one per unit, as file-by-file tools
# run; "libclang parse only" (bench/parse_only.c) parses the same units with
# shapecheck's own command line in one process and converts nothing: what
# shapecheck adds to that is its front end and the analysis.
#
#   BUILD=dir       build folder (default build-bench)
#   TUS=n           units of the synthetic code base (default 240; 0: only
#                   the real code bases)
#   REAL_CODEBASES=dir1:dir2...  folders with a compile_commands.json (or
#                   build/compile_commands.json), measured after the
#                   synthetic one; nothing is fetched
#   CONTEXT=0       skip clang-tidy, run-clang-tidy and cppcheck
set -eu
cd "$(dirname "$0")/.."
root=$PWD
runs=${1:-5}
case $runs in '' | *[!0-9]* | 0)
  echo "usage: bench/speed.sh [RUNS]" >&2
  exit 2 ;;
esac
build=${BUILD:-build-bench}
tus=${TUS:-240}
context=${CONTEXT:-1}
check='-*,readability-braces-around-statements'

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j"$(nproc)" --target shapecheck parse_only >/dev/null
sc=$root/$build/checker/shapecheck
po=$root/$build/checker/parse_only
inc=$root/$build/bundled-include
gen=$root/$build/speed-codebase
[ "$tus" = 0 ] || python3 bench/gen_codebase.py "$gen" --tus "$tus"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

have() { command -v "$1" >/dev/null 2>&1; }

# The median, minimum and maximum of a column of numbers on stdin.
stats() {
  sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1], v[NR] }'
}

# The CPU time (clock ticks) the whole machine has used so far, and (into
# $work/times) what this shell's children have: what other processes take
# during a run is the noise the table reports.
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat 2>/dev/null || echo 0; }
# ticks FILE: the children's CPU time in the output of "times" (which must
# run in this shell, not in a command substitution).
ticks() {
  awk -v hz="$hz" 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] }
    printf "%.0f\n", t * hz }' "$1"
}

# run NAME CMD...: runs CMD (output discarded, status ignored) and appends
# its wall time in seconds to $work/t.NAME, and the CPU seconds other
# processes used meanwhile, and the wall time, to $work/others.
run() {
  name=$1
  shift
  times >"$work/times0"
  b0=$(busy)
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  b1=$(busy)
  times >"$work/times1"
  o0=$(ticks "$work/times0")
  o1=$(ticks "$work/times1")
  echo "$start $end" | awk '{ printf "%.6f\n", ($2 - $1) / 1e9 }' \
    >>"$work/t.$name"
  echo "$b0 $b1 $o0 $o1 $start $end" | awk -v hz="$hz" '{
    o = ($2 - $1) - ($4 - $3); if (o < 0) o = 0
    printf "%.3f %.6f\n", o / hz, ($6 - $5) / 1e9 }' >>"$work/others"
}

# rss NAME CMD...: appends CMD's peak resident set (KB) to $work/m.NAME.
rss() {
  name=$1
  shift
  /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/rss" >>"$work/m.$name"
}

# line LABEL NAME [NOTE]: one line of the table, against the reference.
line() {
  [ -s "$work/t.$2" ] || return 0
  set -- "$1" "$(stats <"$work/t.$2")" "$(stats <"$work/t.clang")" "${3:-}"
  echo "$2 $3" | awk -v label="$1" -v note="$4" '{
    spread = $1 > 0 ? ($3 - $2) / $1 * 100 : 0
    printf "  %-44s %8.3f s %6.1f%% %7.2fx  %s\n", label, $1, spread,
           $1 / $4, note }'
}

median() { stats <"$work/$1" | awk '{ print $1 }'; }

# verdict OK TEXT: "PASS (TEXT)" or "FAIL (TEXT)"; a failure is remembered
# in $work/failed (verdicts are printed from subshells).
verdict() {
  if [ "$1" = 1 ]; then
    echo "PASS ($2)"
  else
    echo x >>"$work/failed"
    echo "FAIL ($2)"
  fi
}

# ratio A B: A / B to two decimals.
tool_name() {
  case $1 in
  tidy) echo "clang-tidy (one check), file by file" ;;
  rct) echo "run-clang-tidy -j1 (one check)" ;;
  cppcheck) echo "cppcheck -j1" ;;
  esac
}

# total KEY: the sum of the KEY lines of $work/agg.
total() { awk -v k="$1" '$1 == k { s += $2 } END { print s + 0 }' "$work/agg"; }

# The real code bases together: the sums of their medians.
aggregate() {
  [ -s "$work/agg" ] || return 0
  clang=$(total clang)
  j1=$(total j1)
  j2=$(total j2)
  echo
  echo "== all real code bases: $(total units) translation units, $(total lines) lines; sums of the medians"
  printf "  %-44s %8.3f s %16s\n" "clang -fsyntax-only, file by file (ref.)" "$clang" "1.00x"
  printf "  %-44s %8.3f s %16s\n" "libclang parse only, one process" "$(total parse)" \
    "$(ratio "$(total parse)" "$clang")x"
  printf "  %-44s %8.3f s %16s  %s\n" "shapecheck -j1 -p" "$j1" \
    "$(ratio "$j1" "$clang")x" "$(verdict "$(le "$(ratio "$j1" "$clang")" 1.10)" "<= 1.10x")"
  printf "  %-44s %8.3f s %16s  %s\n" "shapecheck -j2 -p" "$j2" \
    "$(ratio "$j2" "$clang")x" "$(ratio "$j1" "$j2")x faster than -j1"
  for tool in tidy rct cppcheck; do
    grep -q "^$tool " "$work/agg" || continue
    t=$(total $tool)
    printf "  %-44s %8.3f s %16s  shapecheck -j1 %s\n" "$(tool_name $tool)" "$t" \
      "$(ratio "$t" "$clang")x" "$(verdict "$(le "$j1" "$t")" "$(ratio "$t" "$j1")x faster")"
  done
}

ratio() { echo "$1 $2" | awk '{ printf "%.2f", ($2 > 0 ? $1 / $2 : 0) }'; }
# le A B: 1 when A <= B.
le() { echo "$1 $2" | awk '{ print (($1 <= $2) ? 1 : 0) }'; }

# measure LABEL DB [real]: the whole comparison on the compile database in
# DB; a real code base's medians are also added up in $work/agg.
measure() {
  label=$1
  db=$2
  real=${3:-}
  rm -f "$work"/t.* "$work"/m.* "$work/others"
  "$po" --print-files "$db" >"$work/files"
  n=$(wc -l <"$work/files")
  if [ "$n" -eq 0 ]; then
    echo "== $label: no C translation units in $db/compile_commands.json"
    return 0
  fi
  lines=$(tr '\n' '\0' <"$work/files" | xargs -0 cat | wc -l)
  "$po" --include "$inc" --print-clang "$db" >"$work/clang.sh"
  tidy=0
  if [ "$context" != 0 ] && have clang-tidy; then
    tidy=1
    while IFS= read -r f; do
      printf "clang-tidy -quiet '-checks=%s' -p '%s' --extra-arg=-D__SHAPECHECK__ '--extra-arg=-idirafter%s' '%s'\n" \
        "$check" "$db" "$inc" "$f"
    done <"$work/files" >"$work/tidy.sh"
  fi

  i=0
  while [ "$i" -lt "$runs" ]; do
    run clang sh "$work/clang.sh"
    run parse "$po" --include "$inc" "$db"
    run j1 "$sc" --quiet --no-config -j1 -p "$db"
    run j2 "$sc" --quiet --no-config -j2 -p "$db"
    if [ "$tidy" = 1 ]; then
      run tidy sh "$work/tidy.sh"
      if have run-clang-tidy; then
        run rct run-clang-tidy -j 1 -quiet -p "$db" "-checks=$check" \
          -extra-arg=-D__SHAPECHECK__ "-extra-arg=-idirafter$inc" '\.c$'
      fi
    fi
    if [ "$context" != 0 ] && have cppcheck; then
      run cppcheck cppcheck -q -j1 "--project=$db/compile_commands.json" \
        '--file-filter=*.c'
    fi
    i=$((i + 1))
  done

  # Peak memory on the largest unit (by source size), one file per run.
  big=$(tr '\n' '\0' <"$work/files" | xargs -0 wc -c |
    awk '$2 != "total"' | sort -n | tail -n 1 | awk '{ print $2 }')
  "$po" --include "$inc" --print-clang --file "$big" "$db" >"$work/big.sh"
  i=0
  while [ "$i" -lt "$runs" ]; do
    rss clang sh "$work/big.sh"
    rss po "$po" --include "$inc" --file "$big" "$db"
    # Parse workers are the zygote's children, out of sight of
    # /usr/bin/time, and the checker itself loads no libclang: the
    # one-process mode does the same work in one address space.
    rss sc env SHAPECHECK_PARSE_IN_PROCESS=1 \
      "$sc" --quiet --no-config -j1 -p "$db" "$big"
    i=$((i + 1))
  done

  clang=$(median t.clang)
  j1=$(median t.j1)
  j2=$(median t.j2)
  parse=$(median t.parse)
  echo "== $label: $n translation units, $lines lines; median of $runs runs"
  awk -v cores="$(nproc)" '{ o += $1; w += $2 } END {
    printf "  other processes used %.0f%% of the %d cores meanwhile\n",
           (w > 0 ? 100 * o / (w * cores) : 0), cores }' "$work/others"
  printf "  %-44s %10s %7s %8s\n" "" "time" "spread" "vs clang"
  line "clang -fsyntax-only, file by file (ref.)" clang
  line "libclang parse only, one process" parse
  line "shapecheck -j1 -p" j1 "$(verdict "$(le "$(ratio "$j1" "$clang")" 1.10)" \
    "<= 1.10x"); $(ratio "$j1" "$parse")x of one-process parse: $(verdict \
    "$(le "$(ratio "$j1" "$parse")" 1.25)" "<= 1.25x")"
  if [ "$n" -ge 20 ]; then
    speedup=$(ratio "$j1" "$j2")
    line "shapecheck -j2 -p" j2 "$(verdict "$(le 1.8 "$speedup")" \
      "${speedup}x faster than -j1, >= 1.8x")"
  else
    line "shapecheck -j2 -p" j2 "$(ratio "$j1" "$j2")x faster than -j1 (not judged: < 20 units)"
  fi
  for tool in tidy rct cppcheck; do
    [ -s "$work/t.$tool" ] || continue
    t=$(median "t.$tool")
    if [ -n "$real" ]; then
      line "$(tool_name $tool)" "$tool" \
        "shapecheck -j1 $(ratio "$t" "$j1")x faster"
    else
      line "$(tool_name $tool)" "$tool" "shapecheck -j1 $(verdict \
        "$(le "$j1" "$t")" "$(ratio "$t" "$j1")x faster")"
    fi
  done
  if [ -n "$real" ]; then
    echo "units $n" >>"$work/agg"
    echo "lines $lines" >>"$work/agg"
    for tool in clang parse j1 j2 tidy rct cppcheck; do
      [ -s "$work/t.$tool" ] && echo "$tool $(median "t.$tool")" >>"$work/agg"
    done
  fi
  mc=$(median m.clang)
  mp=$(median m.po)
  ms=$(median m.sc)
  echo "  peak RSS on the largest unit, ${big#"$db"/}:"
  echo "$mc $ms" | awk '{ printf "    clang %.1f MB, shapecheck %.1f MB: %.2fx  ", $1 / 1024, $2 / 1024, $2 / $1 }'
  verdict "$(le "$(ratio "$ms" "$mc")" 1.15)" "<= 1.15x"
  echo "$mp $ms" | awk '{ printf "    one-process parse %.1f MB, shapecheck %.1f MB: %.2fx  ", $1 / 1024, $2 / 1024, $2 / $1 }'
  verdict "$(le "$(ratio "$ms" "$mp")" 1.20)" "<= 1.20x"
}

echo "bench/speed.sh: $(nproc) cores, $(uname -m), $(clang --version | head -n 1)"
[ "$tus" = 0 ] || measure "synthetic (bench/gen_codebase.py --tus $tus)" "$gen"
if [ -n "${REAL_CODEBASES:-}" ]; then
  old_ifs=$IFS
  IFS=:
  set -f
  # shellcheck disable=SC2086 # split on ':' on purpose
  set -- $REAL_CODEBASES
  set +f
  IFS=$old_ifs
  for dir in "$@"; do
    if [ -f "$dir/compile_commands.json" ]; then
      db=$(cd "$dir" && pwd)
    elif [ -f "$dir/build/compile_commands.json" ]; then
      db=$(cd "$dir/build" && pwd)
    else
      echo "== $dir: no compile_commands.json, skipped"
      continue
    fi
    echo
    measure "$(basename "$dir")" "$db" real
  done
  aggregate
fi
[ ! -s "$work/failed" ]
