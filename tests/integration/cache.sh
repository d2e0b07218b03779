#!/bin/sh
# cache.sh SHAPECHECK WORK PROJECT ANNOTATIONS
# --cache-dir: a copy of the corpus project is analysed cold, warm, after a
# touch, after an edit of one leaf file, and after an edit that changes a
# helper's summary.  Each time the report must equal an uncached run's, and
# --stats must show that only what had to be parsed was.
set -eu
sc=$1 work=$2 project=$3 annotations=$4
rm -rf "$work"
mkdir -p "$work"
cp -r "$project" "$work/p"
cd "$work/p"
cmake -S . -B build -DSHAPECHECK_INCLUDE="$annotations" >/dev/null

fail() { echo "cache.sh: $*" >&2; exit 1; }

# check EXPECTED_PARSED: a cached run against an uncached one.
check() {
  "$sc" --quiet -p build >"$work/plain.out" 2>/dev/null || true
  "$sc" --quiet --stats --cache-dir "$work/cache" -p build \
    >"$work/cached.out" 2>"$work/cached.err" || true
  cmp -s "$work/plain.out" "$work/cached.out" ||
    { diff "$work/plain.out" "$work/cached.out"; fail "reports differ"; }
  parsed=$(sed -n 's/.*cache: \([0-9]*\) parsed.*/\1/p' "$work/cached.err")
  [ "$parsed" = "$1" ] || fail "$2: parsed $parsed files, expected $1"
  echo "ok: $2 ($parsed parsed)"
}

check 5 "cold"
check 0 "warm"
touch src/loss.c
check 0 "touched, same content"
echo "/* an edit */" >>src/train_ok.c
check 1 "one leaf file edited"
# net_forward now returns [rows, CLASSES - 1]: its callers go stale.
sed -i 's/rows, IN, CLASSES);/rows, IN, CLASSES - 1);/' src/net.c
grep -q 'CLASSES - 1' src/net.c || fail "edit of net.c did not apply"
check 3 "a helper's summary changed (net.c and its two callers)"
echo "garbage" >"$(ls "$work"/cache/*.json | head -n 1)"
check 1 "a corrupt entry is a miss"
