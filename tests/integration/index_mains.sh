#!/bin/sh
# usage: index_mains.sh SHAPECHECK DATA_DIR WORK
#
# Three programs in one compile database (DATA_DIR, tests/data/mains),
# each with a main that calls a static function of its own unit.  All the
# mains are one function to the analysis, whose callees are all three
# statics; a unit's summary must not import another unit's static (no
# single-unit run could see its signature, so every summary was found out
# of date and its unit's facts read instead).  A run of one unit takes the
# other two by their summaries.
set -u
sc=$1 data=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cp "$data"/*.c "$work"/
cd "$work" || exit 2
{
  printf '['
  sep=
  for u in a b c; do
    printf '%s{"directory": "%s", "file": "prog_%s.c", "arguments": ["cc", "-c", "prog_%s.c"]}' \
      "$sep" "$work" "$u" "$u"
    sep=,
  done
  printf ']\n'
} >compile_commands.json
"$sc" --no-config -p . >whole.txt 2>&1
a=$?
"$sc" --no-config -p . prog_a.c --stats >single.txt 2>stats.txt
b=$?
status=0
[ "$a" = 0 ] && [ "$b" = 0 ] || { echo "FAIL: exit $a (whole), $b (prog_a.c), not 0"; cat whole.txt single.txt; status=1; }
grep -q 'index: 2 units by their summaries, 0 by their facts' stats.txt ||
  { echo "FAIL: the other units were not taken by their summaries:"; cat stats.txt; status=1; }
echo "index_mains.sh: $([ $status = 0 ] && echo ok || echo failed)"
exit $status
