#!/bin/sh
# config.sh SHAPECHECK CORPUS WORK
# .shapecheck end to end (docs/configuration.md): found above the analysed
# file; disabled-rules drops a rule's findings; models are force-included
# (relative to the file's folder); extra-args reach the compiler; the
# command line overrides it; a malformed file stops the run with exit
# status 2 and FILE:LINE, and overwrites nothing.
set -u
sc=$1 corpus=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1

fail() {
  echo "config.sh: $*" >&2
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

mkdir -p proj/src/nested proj/models bad || exit 1
cat >proj/.shapecheck <<EOF
# The settings of the test project.
models:
  - models/vendor.h   # annotated redeclarations of a library's functions
extra-args: ["-I$corpus/include", -DLEVEL=1]
disabled-rules:
  - shape-batch-mismatch
EOF
cat >proj/models/vendor.h <<'EOF'
#include "shapecheck.h"
void vendor_gemv(const float *w SHAPE(m, n), const float *x SHAPE(n),
                 float *y SHAPE(m), int m, int n);
EOF
echo '/* no models */' >proj/models/none.h
cp "$corpus/batch/labels_short_batch.c" proj/src/nested/train.c || exit 1
cat >proj/src/gemv.c <<'EOF'
/* A library function with no annotations of its own. */
void vendor_gemv(const float *w, const float *x, float *y, int m, int n);

void layer(void)
{
    static float w[4][6], x[5], y[4];
    vendor_gemv(&w[0][0], x, y, 4, 6);
}
EOF
cat >proj/src/level.c <<'EOF'
#if LEVEL != 2
#error "LEVEL is not 2"
#endif
int level = LEVEL;
EOF

# disabled-rules (and extra-args: without its -I, tinyml.h is not found),
# from the .shapecheck two folders up.
expect 0 disabled "$sc" proj/src/nested/train.c
[ -s disabled.out ] && fail "a disabled rule was reported: $(cat disabled.out)"
expect 1 no_config "$sc" --no-config proj/src/nested/train.c -- "-I$corpus/include"
grep -q '\[shape-batch-mismatch\]' no_config.out ||
  fail "--no-config: the finding is missing: $(cat no_config.out)"

# models: relative to the .shapecheck's folder, whatever the current one.
expect 1 models "$sc" proj/src/gemv.c
grep -q "'x' has shape \[5\].*\[shape-mismatch\]" models.out ||
  fail "the model's annotation was not applied: $(cat models.out)"
(cd proj/src && "$sc" gemv.c >../../models_cd.out 2>&1)
[ $? -eq 1 ] || fail "models from another folder: $(cat models_cd.out)"
expect 0 models_off "$sc" --no-config proj/src/gemv.c
# --models replaces the models of the file.
expect 0 models_override "$sc" --models proj/models/none.h proj/src/gemv.c
[ -s models_override.out ] &&
  fail "--models did not replace the config's models: $(cat models_override.out)"

# extra-args are appended to the command; --extra-arg comes after them.
expect 2 level_config "$sc" proj/src/level.c
grep -q 'LEVEL is not 2' level_config.out ||
  fail "extra-args did not define LEVEL=1: $(cat level_config.out level_config.err)"
expect 0 level_cli "$sc" --extra-arg=-DLEVEL=2 proj/src/level.c

# A malformed file: exit 2, FILE:LINE, nothing written.
printf 'models:\n  - a.h\nchecks: [shape-*]\n' >bad/.shapecheck
echo 'int x;' >bad/x.c
echo "an earlier, good report" >report.txt
cp report.txt report.saved
expect 2 malformed "$sc" -o report.txt bad/x.c
grep -q "bad/\.shapecheck:3: unknown key 'checks'" malformed.err ||
  fail "no FILE:LINE message: $(cat malformed.err)"
cmp -s report.txt report.saved || fail "a malformed .shapecheck overwrote report.txt"
printf 'disabled-rules: [shape-typo]\n' >bad/.shapecheck
expect 2 bad_rule "$sc" bad/x.c
grep -q "bad/\.shapecheck:1: unknown rule 'shape-typo'" bad_rule.err ||
  fail "no message for an unknown rule: $(cat bad_rule.err)"
expect 0 bad_ignored "$sc" --no-config bad/x.c
echo "config.sh: ok"
