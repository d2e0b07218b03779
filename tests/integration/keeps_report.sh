#!/bin/sh
# keeps_report.sh WORK PATTERN SHAPECHECK ARGS...
# Bad input stops the run with exit status 2 and a message matching
# PATTERN (an extended regular expression), and the report named by -o is
# left as it was: runs "SHAPECHECK -o WORK/report.txt ARGS" over a report
# with known content.
set -u
work=$1 pattern=$2 sc=$3
shift 3
rm -rf "$work" && mkdir -p "$work" || exit 1
echo "an earlier, good report" >"$work/report.txt"
cp "$work/report.txt" "$work/report.saved"
"$sc" -o "$work/report.txt" "$@" >"$work/out" 2>&1
status=$?
cat "$work/out"
[ "$status" -eq 2 ] || { echo "keeps_report.sh: exit status $status, expected 2" >&2; exit 1; }
grep -Eq -- "$pattern" "$work/out" ||
  { echo "keeps_report.sh: no message matching: $pattern" >&2; exit 1; }
cmp -s "$work/report.txt" "$work/report.saved" ||
  { echo "keeps_report.sh: the report was overwritten" >&2; exit 1; }
[ ! -e "$work/report.txt.tmp" ] ||
  { echo "keeps_report.sh: report.txt.tmp left behind" >&2; exit 1; }
echo "keeps_report.sh: ok"
