#!/bin/sh
# baseline.sh SHAPECHECK CORPUS WORK
# Adopting the checker on code with findings (docs/suppressing.md): record
# them with --write-baseline, then --baseline reports only new ones, even
# after unrelated edits move the old ones; a baseline that cannot be used,
# or a run that could not analyse everything, overwrites nothing.
set -u
sc=$1 corpus=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
inc=-I$corpus/include

fail() {
  echo "baseline.sh: $*" >&2
  exit 1
}

# expect STATUS NAME CMD...: runs CMD, stdout to NAME.out, stderr to
# NAME.err, and checks its exit status.
expect() {
  want=$1 name=$2
  shift 2
  "$@" >"$name.out" 2>"$name.err"
  got=$?
  if [ "$got" -ne "$want" ]; then
    cat "$name.out" "$name.err" >&2
    fail "$name: exit status $got, expected $want"
  fi
}

cp "$corpus/batch/labels_short_batch.c" train.c || exit 1

# 1. Record the existing finding.
expect 1 write "$sc" --write-baseline baseline.json train.c -- "$inc"
grep -q '"fingerprint"' baseline.json || fail "no fingerprint in baseline.json"
grep -q '"rule":[[:space:]]*"shape-batch-mismatch"' baseline.json ||
  fail "baseline.json does not record the finding's rule"
line=$(sed -n 's/^train\.c:\([0-9]*\):.*error:.*/\1/p' write.out)
[ -n "$line" ] || fail "no finding in train.c to start from"

# 2. Unrelated edits above the finding: it moves down but stays known.
{
  sed -n '1,10p' train.c
  printf '/* An unrelated edit: */\n#include <string.h>\n'
  printf 'static int unused_helper(void)\n{\n    return 0;\n}\n\n'
  sed '1,10d' train.c
} >moved.c
expect 1 plain "$sc" moved.c -- "$inc"
moved_line=$(sed -n 's/^moved\.c:\([0-9]*\):.*error:.*/\1/p' plain.out)
[ "$moved_line" = "$((line + 7))" ] ||
  fail "the edit should move the finding from line $line to $((line + 7)), not '$moved_line'"
expect 0 known "$sc" --baseline baseline.json moved.c -- "$inc"
[ -s known.out ] && fail "--baseline still reports a recorded finding: $(cat known.out)"

# 3. A new finding still fails the run, and only it is reported.
cp moved.c new.c
cat >>new.c <<'EOF'

float another_step(void)
{
    static float scores[8][10];
    static int targets[7];
    return cross_entropy(&scores[0][0], targets, 8, 10);
}
EOF
expect 1 new "$sc" --baseline baseline.json new.c -- "$inc"
[ "$(grep -c ': error: ' new.out)" -eq 1 ] ||
  fail "expected exactly the new finding: $(cat new.out)"
grep -q "'targets' is \[7\]" new.out || fail "the new finding is not reported"

# 4. A corrupt baseline: exit 2, a message, and the report given with -o
#    left as it was.
printf '{"shapecheck-baseline": 1, "findings": [\n' >corrupt.json
echo "an earlier, good report" >report.txt
cp report.txt report.saved
expect 2 corrupt "$sc" --baseline corrupt.json -o report.txt train.c -- "$inc"
grep -Eq 'corrupt\.json:[0-9]+:[0-9]+: malformed baseline' corrupt.err ||
  fail "no 'malformed baseline' message: $(cat corrupt.err)"
cmp -s report.txt report.saved || fail "a corrupt baseline overwrote report.txt"
[ -e report.txt.tmp ] && fail "report.txt.tmp left behind"
echo '{"findings": {}}' >other.json
expect 2 other "$sc" --baseline other.json train.c -- "$inc"
grep -q 'not a shapecheck baseline' other.err ||
  fail "no 'not a shapecheck baseline' message: $(cat other.err)"
expect 2 absent "$sc" --baseline no-such-baseline.json train.c -- "$inc"
grep -q 'no-such-baseline\.json: cannot read' absent.err ||
  fail "no 'cannot read' message: $(cat absent.err)"

# 5. A run that could not analyse everything does not replace a good
#    baseline with one that lacks what it missed.
cp baseline.json baseline.saved
expect 2 partial "$sc" --write-baseline baseline.json missing.c new.c -- "$inc"
grep -q 'baseline\.json not written' partial.err ||
  fail "no 'not written' message: $(cat partial.err)"
cmp -s baseline.json baseline.saved || fail "an incomplete run rewrote baseline.json"

# 6. Rewriting the baseline takes in the new finding.
expect 1 rewrite "$sc" --write-baseline baseline.json new.c -- "$inc"
expect 0 adopted "$sc" --baseline baseline.json new.c -- "$inc"
echo "baseline.sh: ok"
