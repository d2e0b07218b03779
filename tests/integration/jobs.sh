#!/bin/sh
# jobs.sh SHAPECHECK WORK ARGS...
# -j N must not change the output (SPEC section 5: findings sorted by file
# and position): runs "SHAPECHECK -jN ARGS" for N = 1, 2 and 4, as text and
# as SARIF, and checks that stdout, stderr and the exit status are the same
# byte for byte.  ARGS should name several translation units.
set -u
sc=$1 work=$2
shift 2
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() {
  echo "jobs.sh: $*" >&2
  exit 1
}

for format in text sarif; do
  for n in 1 2 4; do
    "$sc" -j"$n" --format="$format" "$@" >"$work/$format.$n.out" \
      2>"$work/$format.$n.err"
    echo $? >"$work/$format.$n.status"
  done
  for n in 2 4; do
    for part in out err status; do
      cmp "$work/$format.1.$part" "$work/$format.$n.$part" ||
        fail "--format=$format: -j1 and -j$n differ in $part" \
             "($work/$format.1.$part, $work/$format.$n.$part)"
    done
  done
done

# The runs must have had something to agree on.
status=$(cat "$work/text.1.status")
[ "$status" -eq 1 ] || fail "expected exit status 1 (findings), got $status"
errors=$(grep -c ': error: ' "$work/text.1.out")
[ "$errors" -ge 1 ] || fail "expected findings, got none"
echo "jobs.sh: -j1, -j2 and -j4 agree on $errors findings (text and SARIF)"
