#!/bin/sh
# usage: demand.sh SHAPECHECK INCLUDE_DIR ORACLE_DIR WORK [PYTHON3] -- FILE...
#
# Walking only the bodies that can matter (engine/demand.c) reports
# exactly what walking every body does (SHAPECHECK_WALK_ALL=1): each FILE,
# and, with PYTHON3, 40 programs of the oracle's generator
# (ORACLE_DIR/gen.py), are checked both ways and the reports compared.
set -u
sc=$1 include=$2 oracle=$3 work=$4
shift 4
python=
if [ "$1" != "--" ]; then
  python=$1
  shift
fi
shift # --
rm -rf "$work"
mkdir -p "$work"
status=0 n=0 findings=0
compare() { # FILE ARGS...: both ways
  f=$1
  shift
  "$sc" --no-config "$f" -- "$@" >"$work/demand.txt" 2>&1
  a=$?
  SHAPECHECK_WALK_ALL=1 "$sc" --no-config "$f" -- "$@" >"$work/all.txt" 2>&1
  b=$?
  n=$((n + 1))
  findings=$((findings + $(grep -c ': \(error\|warning\): ' "$work/demand.txt")))
  if [ "$a" != "$b" ] || ! cmp -s "$work/demand.txt" "$work/all.txt"; then
    echo "FAIL: $f: on demand (exit $a) and every body (exit $b) differ:"
    diff "$work/demand.txt" "$work/all.txt" | head -20
    status=1
  fi
}
for f in "$@"; do
  compare "$f" -I"$include"
done
if [ -n "$python" ]; then
  seed=0
  while [ "$seed" -lt 40 ]; do
    "$python" "$oracle/gen.py" "$seed" >"$work/oracle_$seed.c"
    compare "$work/oracle_$seed.c" -isystem "$oracle"
    seed=$((seed + 1))
  done
fi
echo "demand.sh: $n programs, $findings findings, the same both ways: $([ $status = 0 ] && echo yes || echo no)"
[ "$findings" -gt 0 ] || { echo "FAIL: no findings to compare"; status=1; }
exit $status
