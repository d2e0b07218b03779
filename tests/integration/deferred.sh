#!/bin/sh
# usage: deferred.sh SHAPECHECK INCLUDE_DIR DATA_DIR WORK
#
# Bodies the front end defers (a unit before its first annotation,
# docs/summaries.md "Which bodies are converted") and the walks need after
# all are read in full: DATA_DIR's project (tests/data/deferred) gives the
# same report with deferral as with every body converted and walked
# (SHAPECHECK_WALK_ALL=1), its two findings need two deferred units, and
# the unit nothing calls stays deferred.  Then the same from the project
# index: a single-unit run of train.c, whose context units' stored facts
# are deferred, reports the two findings too.  And a unit whose first
# annotation comes after a body that needs it.
set -u
sc=$1 include=$2 data=$3 work=$4
rm -rf "$work"
mkdir -p "$work"
cp "$data"/*.c "$data"/*.h "$work"/
status=0
fail() {
  echo "FAIL: $*"
  status=1
}
{
  printf '['
  sep=
  for u in loader wrap unused loss train; do
    printf '%s{"directory": "%s", "file": "%s.c", "arguments": ["cc", "-I%s", "-c", "%s.c"]}' \
      "$sep" "$work" "$u" "$include" "$u"
    sep=,
  done
  printf ']\n'
} >"$work/compile_commands.json"

cd "$work" || exit 2
"$sc" --no-config -p . --no-index --stats >deferred.txt 2>stats.txt
a=$?
SHAPECHECK_WALK_ALL=1 "$sc" --no-config -p . --no-index >all.txt 2>&1
b=$?
[ "$a" = 1 ] || fail "exit $a with deferral, not 1"
[ "$a" = "$b" ] && cmp -s deferred.txt all.txt ||
  { fail "deferral (exit $a) and every body (exit $b) differ"; diff deferred.txt all.txt; }
n=$(grep -c 'train.c:[0-9]*:[0-9]*: error: ' deferred.txt)
[ "$n" = 2 ] || { fail "$n findings in train.c, not 2"; cat deferred.txt; }
grep -q 'units parsed again for the bodies the walks needed: 2$' stats.txt ||
  { fail "not 2 units parsed again"; cat stats.txt; }

# The index: a whole run stores deferred facts (nothing calls loader.c
# yet); then train.c calls it, and a run of train.c alone reads that
# unit's facts (its summary left loader_init unwalked) and converts its
# bodies after all.
mv train.c train.c.later
printf 'float step(void)\n{\n    return 0;\n}\n' >train.c
"$sc" --no-config -p . >/dev/null 2>&1
mv train.c.later train.c
"$sc" --no-config -p . train.c --stats >single.txt 2>single_stats.txt
c=$?
[ "$c" = 1 ] || fail "single-unit run: exit $c, not 1"
n=$(grep -c 'train.c:[0-9]*:[0-9]*: error: ' single.txt)
[ "$n" = 2 ] || { fail "single-unit run: $n findings, not 2"; cat single.txt single_stats.txt; }
grep -q 'index: 3 units by their summaries, 1 by their facts' single_stats.txt &&
  grep -q 'units parsed again for the bodies the walks needed: 1$' single_stats.txt ||
  { fail "single-unit run: loader.c not read from its facts and parsed again"; cat single_stats.txt; }
# A unit whose first annotation comes after a body that needs it: the
# body is deferred, then converted after all.
"$sc" --no-config late_annotation.c --stats >late.txt 2>late_stats.txt
d=$?
SHAPECHECK_WALK_ALL=1 "$sc" --no-config late_annotation.c >late_all.txt 2>&1
[ "$d" = 1 ] && cmp -s late.txt late_all.txt &&
  grep -q "late_annotation.c:11:.*error: 'labels16' has shape \[16\]" late.txt ||
  { fail "late_annotation.c: exit $d, or not the report of every body converted"; cat late.txt late_all.txt; }
grep -q 'units parsed again for the bodies the walks needed: 1$' late_stats.txt ||
  { fail "late_annotation.c: not parsed again"; cat late_stats.txt; }
echo "deferred.sh: $([ $status = 0 ] && echo ok || echo failed)"
exit $status
