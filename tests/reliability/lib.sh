# lib.sh - shared by the reliability tests (tests/reliability/*.sh), each
# run as: sh TEST.sh SHAPECHECK WORK CORPUS.  Sourced after setting NAME.
set -u
sc=$1 work=$2 corpus=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

fail() {
  echo "$NAME: FAIL: $*" >&2
  exit 1
}

ok() {
  echo "$NAME: ok: $*"
}

# expect STATUS LABEL CMD...: runs CMD with stdout in LABEL.out and stderr
# in LABEL.err; fails unless it exits with STATUS.
expect() {
  want=$1 label=$2
  shift 2
  "$@" </dev/null >"$label.out" 2>"$label.err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    sed 's/^/  out: /' "$label.out" >&2
    sed 's/^/  err: /' "$label.err" >&2
    fail "$label: exit status $got, expected $want"
  fi
}

# said LABEL PATTERN: LABEL's standard error matches PATTERN (ERE).
said() {
  grep -Eq -- "$2" "$1.err" || {
    sed 's/^/  err: /' "$1.err" >&2
    fail "$1: nothing on standard error matches: $2"
  }
}

# reported LABEL PATTERN: LABEL's standard output matches PATTERN (ERE).
reported() {
  grep -Eq -- "$2" "$1.out" || {
    sed 's/^/  out: /' "$1.out" >&2
    fail "$1: the report has nothing matching: $2"
  }
}

# A translation unit with one certain finding: the labels hold 16 rows,
# the loss reads 32.
FINDING="logits and labels must have the same first dimension"
write_buggy() {
  cat >"$1" <<'SRC'
#include "shapecheck.h"
float loss(const float *logits SHAPE(n, 10), const int *labels SHAPE(n),
           int n) SHAPE_LOSS(logits, labels) { return logits[0] + labels[n]; }
float go(void)
{
    static float lg[32][10];
    static int lb[16];
    return loss(&lg[0][0], lb, 32);
}
SRC
}

# A clean translation unit.
write_clean() {
  echo 'int clean(int a) { return a + 1; }' >"$1"
}
