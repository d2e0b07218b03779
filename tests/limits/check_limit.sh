#!/bin/sh
# check_limit.sh GEN CASE DIR STATUS [-m KB] [-e RE]... [-n RE]... -- SC [ARG...]
#
# Writes the pathological program CASE with GEN (gen_limits) to
# DIR/CASE.c, runs "SC DIR/CASE.c ARG..." and passes when it exits with
# STATUS, its output has a line matching each -e RE and none matching any
# -n RE (extended regular expressions).  -m KB caps the checker's virtual
# memory (ulimit -v; not for sanitizer builds, which reserve terabytes).
# Prints the size of the input, the time taken and the exit status; ctest
# gives each case its time bound.
set -u
gen=$1 case=$2 dir=$3 want=$4
shift 4
mem="" musts="" must_nots=""
nl='
'
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  case $1 in
    -m) mem=$2 ;;
    -e) musts="$musts$2$nl" ;;
    -n) must_nots="$must_nots$2$nl" ;;
    *) echo "check_limit: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
[ "${1:-}" = "--" ] && shift
sc=$1
shift

mkdir -p "$dir"
src=$dir/$case.c out=$dir/$case.out
"$gen" "$case" "$src" || exit 1
start=$(date +%s.%N)
(
  # shellcheck disable=SC3045 # dash and bash have ulimit -v
  [ -n "$mem" ] && ulimit -v "$mem"
  exec "$sc" "$src" "$@"
) >"$out" 2>&1
got=$?
end=$(date +%s.%N)
echo "$case: $(wc -l <"$src") lines, $(wc -c <"$src") bytes," \
  "$(echo "$start $end" | awk '{printf "%.2f", $2 - $1}') s, exit $got"
# The output, each line cut short: some lines quote 10,000 dims.
cut -c1-200 "$out" | head -n 20

fail=0
if [ "$got" -ne "$want" ]; then
  echo "check_limit: exit status $got, expected $want" >&2
  fail=1
fi
old_ifs=$IFS
IFS=$nl
for re in $musts; do
  grep -Eq -- "$re" "$out" || { echo "check_limit: no line matches: $re" >&2; fail=1; }
done
for re in $must_nots; do
  ! grep -Eq -- "$re" "$out" || { echo "check_limit: a line matches: $re" >&2; fail=1; }
done
IFS=$old_ifs
exit $fail
