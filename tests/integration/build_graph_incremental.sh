#!/bin/sh
# build_graph_incremental.sh CMAKE BUILD_DIR SOURCE_DIR WORK
#
# shapecheck_add_check() on a generated project of 200 translation units
# (build_graph/gen_units.py), built with ninja (docs/build-integration.md):
#
#  1. cold: 200 facts actions and the link, which fails on two findings
#     (train.c's batch, and u042.c's check_042) that cross files;
#  2. u042.c edited (its bug removed): 1 facts action and the link, and
#     only train.c's finding is left, as it was;
#  3. u042.c edited back: 1 facts action and the link, and the report is
#     the cold run's, byte for byte;
#  4. nothing changed: no facts action;
#  5. shared.h edited (included by u010.c, u011.c, u012.c only): 3 facts
#     actions and the link (the header dependencies of the depfile);
#  6. the report is also the one of a whole-program run over the compile
#     database (shapecheck -p build).
# The checker is BUILD_DIR's, installed (--component checker) into WORK and
# found with find_package(shapecheck).  Prints the times of the builds.
set -u
cmake=$1 build=$2 source=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() {
  echo "build_graph_incremental.sh: FAIL: $*" >&2
  exit 1
}

command -v ninja >/dev/null 2>&1 || {
  echo "build_graph_incremental.sh: SKIPPED: ninja is not installed"
  exit 77
}

"$cmake" --install "$build" --prefix "$work/prefix" --component checker \
  >"$work/install.log" 2>&1 || fail "install: $(cat "$work/install.log")"

gen() {
  python3 "$here/build_graph/gen_units.py" "$work/project" "$@" ||
    fail "gen_units.py $*"
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# build NAME: ninja shapecheck_train, its output in WORK/NAME.out, the
# report (the failed link's output) in WORK/NAME.report, and in FACTS and
# LINKS how many facts and link actions ran.
build() {
  start=$(now)
  ninja -C "$work/project/build" shapecheck_train >"$work/$1.out" 2>&1
  status=$?
  seconds=$(since "$start")
  facts=$(grep -c '\] shapecheck facts ' "$work/$1.out")
  links=$(grep -c '\] shapecheck train$' "$work/$1.out")
  awk '/^FAILED: / { getline; on = 1; next }
       /^ninja: build stopped/ { on = 0 }
       on' "$work/$1.out" >"$work/$1.report"
}

gen --second-bug
(cd "$work/project" &&
  "$cmake" -G Ninja -S . -B build "-DCMAKE_PREFIX_PATH=$work/prefix" \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >"$work/configure.log" 2>&1) ||
  fail "configure: $(cat "$work/configure.log")"

# 1. Cold.
build cold
[ "$status" -ne 0 ] || fail "the cold build passed: $(cat "$work/cold.out")"
[ "$facts" -eq 200 ] && [ "$links" -eq 1 ] ||
  fail "cold: $facts facts and $links link actions, not 200 and 1"
n=$(grep -c ': error: .*\[shape-batch-mismatch\]' "$work/cold.report")
[ "$n" -eq 2 ] || fail "cold: $n findings, not 2: $(cat "$work/cold.out")"
grep -q "^src/train\.c:16:35: error: logits and labels must have the same first dimension: 'logits' is \[batch, 4\] but 'labels' is \[batch/2\] in call to 'batch_loss'" \
  "$work/cold.report" || fail "cold: train.c's finding: $(cat "$work/cold.report")"
grep -q "^src/u042\.c:[0-9]*:[0-9]*: error: .*'labels' is \[n - 1\]" \
  "$work/cold.report" || fail "cold: u042.c's finding: $(cat "$work/cold.report")"
echo "cold: 200 facts actions and the link, ${seconds} s"

# 2. u042.c without its bug.
gen
build fixed
[ "$status" -ne 0 ] || fail "train.c's finding is gone: $(cat "$work/fixed.out")"
[ "$facts" -eq 1 ] && [ "$links" -eq 1 ] ||
  fail "u042.c edited: $facts facts and $links link actions, not 1 and 1: $(cat "$work/fixed.out")"
grep -q 'shapecheck facts .*u042\.c\.scfacts' "$work/fixed.out" ||
  fail "the facts action was not u042.c's: $(cat "$work/fixed.out")"
grep -q 'u042\.c' "$work/fixed.report" &&
  fail "u042.c's finding is still reported: $(cat "$work/fixed.report")"
# What is left is train.c's finding, as the cold run reported it.
awk '/^src\/u042\.c:/ { skip = 1 } /^src\/train\.c:/ { skip = 0 } !skip' \
  "$work/cold.report" >"$work/cold_train_only.report"
cmp -s "$work/fixed.report" "$work/cold_train_only.report" ||
  fail "u042.c edited: the report differs from the cold run's train.c finding:
$(diff "$work/cold_train_only.report" "$work/fixed.report")"
echo "u042.c edited: 1 facts action and the link, ${seconds} s"

# 3. u042.c back as it was: the cold run's report exactly.
gen --second-bug
build back
[ "$facts" -eq 1 ] && [ "$links" -eq 1 ] ||
  fail "u042.c edited back: $facts facts and $links link actions, not 1 and 1"
cmp -s "$work/back.report" "$work/cold.report" ||
  fail "incremental and cold reports differ:
$(diff "$work/cold.report" "$work/back.report")"
echo "u042.c edited back: 1 facts action and the link, the cold report, ${seconds} s"

# 4. Nothing changed: no facts action (the failed link runs again).
build again
[ "$facts" -eq 0 ] || fail "nothing changed, yet $facts facts actions ran"

# 5. A header three units include.
echo "/* edited */" >>"$work/project/include/shared.h"
build header
[ "$facts" -eq 3 ] && [ "$links" -eq 1 ] ||
  fail "shared.h edited: $facts facts and $links link actions, not 3 and 1: $(cat "$work/header.out")"
for u in u010 u011 u012; do
  grep -q "shapecheck facts .*$u\.c\.scfacts" "$work/header.out" ||
    fail "shared.h edited: $u.c's facts did not run again"
done
cmp -s "$work/header.report" "$work/cold.report" ||
  fail "shared.h edited: the report changed"
echo "shared.h edited: 3 facts actions and the link, ${seconds} s"

# 6. The same report as a whole-program run.
(cd "$work/project" &&
  "$work/prefix/bin/shapecheck" --quiet -p build >"$work/whole.report" 2>&1)
cmp -s "$work/whole.report" "$work/cold.report" ||
  fail "the link step and shapecheck -p disagree:
$(diff "$work/whole.report" "$work/cold.report")"
echo "build_graph_incremental.sh: ok"
