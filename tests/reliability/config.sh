#!/bin/sh
# config.sh SHAPECHECK WORK CORPUS - issue 12 item 2 and issue 11 item 5:
# each analysed file gets the .shapecheck found from its own folder
# (docs/configuration.md), whatever the order of the command line; a file
# with none above it gets the one found from -p's folder, then the one
# found from the current folder.
NAME=config
. "$(dirname "$0")/lib.sh"

# Project one needs -DONE, two needs -DTWO and a model header that defines
# FROM_MODEL; one disables the batch rule, two does not.
mkdir -p one/src two/src two/models
cat >one/.shapecheck <<'CFG'
extra-args: [-DONE]
disabled-rules: [shape-batch-mismatch]
CFG
cat >two/.shapecheck <<'CFG'
extra-args: [-DTWO]
models: [models/defs.h]
CFG
echo '#define FROM_MODEL 1' >two/models/defs.h
{ echo '#ifndef ONE'; echo '#error needs one/.shapecheck'; echo '#endif'; } >one/src/a.c
{ echo '#if !defined(TWO) || !defined(FROM_MODEL)'
  echo '#error needs two/.shapecheck'; echo '#endif'; } >two/src/b.c
write_buggy buggy.tmp
cat buggy.tmp >>one/src/a.c
cat buggy.tmp >>two/src/b.c

for order in "one/src/a.c two/src/b.c" "two/src/b.c one/src/a.c"; do
  # shellcheck disable=SC2086 # two file names
  expect 1 order "$sc" --quiet $order
  reported order "^two/src/b\.c:11:12: error: $FINDING"
  grep -q "^one/src/a\.c:.*error" order.out &&
    fail "$order: one's finding was not disabled by one/.shapecheck"
  ok "each file its own configuration: $order"
done

# -p: the sources are outside both projects; the database is in one/build,
# so one/.shapecheck applies to them.
mkdir -p one/build elsewhere
{ echo '#ifndef ONE'; echo '#error needs one/.shapecheck'; echo '#endif'; } >elsewhere/c.c
cat buggy.tmp >>elsewhere/c.c
cat >one/build/compile_commands.json <<JSON
[{"directory": "$work/elsewhere", "file": "c.c", "command": "cc -c c.c"}]
JSON
expect 0 database "$sc" --quiet -p one/build
ok "a file with no .shapecheck above it: the one above -p's folder"

# From the current folder: two/ (its extra-args make c.c fail to compile,
# since c.c needs ONE: the configuration was applied).
(cd two && "$sc" --quiet ../elsewhere/c.c >../cwd.out 2>../cwd.err)
[ $? -eq 2 ] || fail "from two/: two/.shapecheck was not applied to elsewhere/c.c"
grep -q "needs one/.shapecheck" cwd.err cwd.out || fail "from two/: not the expected error"
ok "else the one above the current folder"

# A malformed configuration still stops the run, before anything is written.
printf 'checks: [x]\n' >two/.shapecheck
echo "the previous report" >report.txt
expect 2 malformed "$sc" --quiet -o report.txt one/src/a.c two/src/b.c
said malformed "two/\.shapecheck:1: unknown key 'checks'"
[ "$(cat report.txt)" = "the previous report" ] || fail "the report was replaced"
ok "a malformed .shapecheck stops the run"
