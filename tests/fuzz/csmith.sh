#!/bin/sh
# tests/fuzz/csmith.sh [N] [FIRST_SEED] [SHAPECHECK] [WORK_DIR]
#
# Random C programs from csmith (Debian's csmith and libcsmith-dev) through
# the checker: programs FIRST_SEED .. FIRST_SEED+N-1 (default 1 .. 100, so a
# failure is reproducible from its seed), each analysed within TIMEOUT
# seconds (default 60).  The checker may find nothing, find something or
# refuse (status 0, 1 or 2); a crash (a signal), a sanitizer's report or a
# timeout fails the run, and the program is kept in WORK_DIR.
set -u
n=${1:-100}
first=${2:-1}
here=$(cd "$(dirname "$0")" && pwd)
sc=${3:-$here/../../build-test/checker/shapecheck}
work=${4:-${TMPDIR:-/tmp}/shapecheck-csmith}
timeout=${TIMEOUT:-60}
include=""
for d in /usr/include/csmith /usr/include/csmith-*; do
  [ -f "$d/csmith.h" ] && include=$d && break
done
if ! command -v csmith >/dev/null || [ -z "$include" ]; then
  echo "csmith.sh: csmith or its headers (libcsmith-dev) not installed" >&2
  exit 1
fi
mkdir -p "$work" && work=$(cd "$work" && pwd)

failed=0 found=0 refused=0
seed=$first
while [ "$seed" -lt $((first + n)) ]; do
  src=$work/csmith_$seed.c
  # (in WORK_DIR: csmith leaves a platform.info where it runs)
  if ! (cd "$work" && csmith --seed "$seed" -o "$src") >/dev/null 2>&1; then
    echo "csmith.sh: csmith failed for seed $seed" >&2
    failed=$((failed + 1))
    seed=$((seed + 1))
    continue
  fi
  timeout "$timeout" "$sc" "$src" -- -I"$include" -w >"$work/csmith_$seed.out" 2>&1
  status=$?
  case $status in
    0) rm -f "$src" "$work/csmith_$seed.out" ;;
    1) found=$((found + 1)) ;;
    2) refused=$((refused + 1)) ;;
    124)
      echo "csmith.sh: seed $seed: no answer within ${timeout}s ($src)"
      failed=$((failed + 1)) ;;
    *)
      echo "csmith.sh: seed $seed: exit status $status ($src)"
      tail -n 20 "$work/csmith_$seed.out"
      failed=$((failed + 1)) ;;
  esac
  seed=$((seed + 1))
done
echo "csmith: $((n - failed)) passed, $failed failed" \
  "(seeds $first..$((first + n - 1)); $found with findings, $refused refused)"
[ "$failed" -eq 0 ]
