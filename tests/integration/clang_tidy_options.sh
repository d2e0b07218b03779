#!/bin/sh
# clang_tidy_options.sh SHAPECHECK CORPUS WORK - clang-tidy's habits
# (issue 11 item 5): its single-dash long options ("-quiet", "-checks=",
# "-extra-arg=") and "-p=DIR"; --checks=GLOBS selects rules as clang-tidy
# selects checks; --config-file gives every file one configuration;
# --color paints the text report as clang does;
# -export-fixes is refused clearly; an unknown option is named as it was
# written.
set -u
sc=$1 corpus=$2 work=$3
rm -rf "$work" && mkdir -p "$work/build" && cd "$work" || exit 1
fail() {
  echo "clang_tidy_options.sh: FAIL: $*" >&2
  exit 1
}
# run WANT LABEL ARGS...: exit status WANT; output in LABEL.out/.err.
run() {
  want=$1 label=$2
  shift 2
  "$sc" "$@" >"$label.out" 2>"$label.err"
  got=$?
  [ "$got" -eq "$want" ] || {
    cat "$label.out" "$label.err" >&2
    fail "$label: exit status $got, expected $want"
  }
}
src=$corpus/batch/labels_short_batch.c
inc=-I$corpus/include
cat >build/compile_commands.json <<JSON
[{"directory": "$work", "file": "$src", "arguments": ["cc", "$inc", "-c", "$src"]}]
JSON

run 1 p_equals --no-index -p=build "$src"
grep -q "shape-batch-mismatch" p_equals.out || fail "-p=build: no finding"
run 1 quiet -quiet --no-index -p build "$src"
run 1 extra_arg --no-index "$src" -extra-arg=-DUNUSED -- "$inc"

run 0 checks_off --no-index -checks=-shape-batch-mismatch "$src" -- "$inc"
[ -s checks_off.out ] && fail "-checks=-shape-batch-mismatch: still reported"
run 1 checks_only --no-index "--checks=-*,shape-batch-*" "$src" -- "$inc"
grep -q "shape-batch-mismatch" checks_only.out || fail "-*,shape-batch-*: lost"
run 2 checks_typo --no-index --checks=shape-batch-mismath "$src" -- "$inc"
grep -q "no rule 'shape-batch-mismath'" checks_typo.err || fail "a typo not named"
run 2 checks_none --no-index "--checks=-*" "$src" -- "$inc"
grep -q "leaves no rule enabled" checks_none.err || fail "-* not refused"
# Another tool's checks in a shared list are not ours to refuse.
run 1 checks_foreign --no-index "--checks=bugprone-*,-clang-analyzer-*" "$src" -- "$inc"

# --config-file: one configuration for every file, found nowhere else.
printf 'disabled-rules: [shape-batch-mismatch]\n' >quiet.yaml
run 0 config_file --no-index --config-file=quiet.yaml "$src" -- "$inc"
run 0 config_file_dash --no-index -config-file=quiet.yaml "$src" -- "$inc"
run 2 config_file_missing --no-index --config-file=missing.yaml "$src" -- "$inc"
grep -q "missing\.yaml" config_file_missing.err || fail "a missing --config-file not named"
run 2 config_file_no_config --no-config --config-file=quiet.yaml "$src" -- "$inc"

# --color: clang's colours, on a terminal by default (not here: a file).
esc=$(printf '\033')
run 1 color_always --no-index --color=always "$src" -- "$inc"
grep -q "${esc}\[0;1;31merror: ${esc}\[0m${esc}\[1mlogits and labels" color_always.out ||
  fail "--color=always: not clang's colours"
run 1 color_auto --no-index "$src" -- "$inc"
run 1 color_never --no-index -color=never "$src" -- "$inc"
grep -q "$esc" color_auto.out color_never.out && fail "colours in a file"
run 2 color_bad --no-index --color=sometimes "$src" -- "$inc"

run 2 export_fixes -export-fixes fixes.yaml "$src" -- "$inc"
grep -q "export-fixes: shapecheck suggests no fixes" export_fixes.err ||
  fail "-export-fixes: no clear refusal"
[ -e fixes.yaml ] && fail "-export-fixes wrote a file"
run 2 unknown -zq "$src"
grep -q "unknown or incomplete option '-zq'" unknown.err ||
  fail "an unknown option is not named: $(head -1 unknown.err)"
echo "clang_tidy_options.sh: ok"
