#!/bin/sh
# report_stream.sh SHAPECHECK WORK CORPUS - issue 12 item 5: options that
# make clang print or write files of its own (dependency generation, driver
# queries; Bear records "gcc -MM" commands) are dropped, listed by -v, and
# nothing but the report reaches the report stream.
NAME=report_stream
. "$(dirname "$0")/lib.sh"

write_buggy a.c
expect 1 plain "$sc" --quiet --format=json a.c
for opt in -M -MM -MD -MMD "-MF dep.d" "-MT x.o" -MG -MP "-MJ frag.json" \
  "-Wp,-MD,dep2.d" "-###" --version -v --help -print-search-dirs \
  -dumpmachine -H; do
  # shellcheck disable=SC2086 # OPT may be an option and its value
  expect 1 opt "$sc" --quiet --format=json a.c -- $opt
  cmp -s plain.out opt.out || {
    diff plain.out opt.out | head -n 20 >&2
    fail "'$opt': the report differs from the one without it"
  }
  [ ! -e dep.d ] && [ ! -e dep2.d ] && [ ! -e frag.json ] ||
    fail "'$opt': a file was written"
done
ok "dependency and query options leave the report alone"

expect 1 listed "$sc" --quiet -v a.c -- -MM -MF dep.d --version
said listed "a\.c: dropped compiler option '-MM'"
said listed "a\.c: dropped compiler option '-MF dep\.d'"
said listed "a\.c: dropped compiler option '--version'"
ok "-v lists them"

# From --extra-arg and from a database written by Bear.
expect 1 extra "$sc" --quiet --format=json --extra-arg=-MM a.c
cmp -s plain.out extra.out || fail "--extra-arg=-MM: the report differs"
mkdir build
cat >build/compile_commands.json <<JSON
[{"directory": "$work", "file": "a.c", "arguments": ["gcc", "-MM", "-MF", "a.d", "a.c"]}]
JSON
expect 1 database "$sc" --quiet --format=json -p build
cmp -s plain.out database.out || fail "a database's gcc -MM: the report differs"
[ ! -e a.d ] || fail "a database's -MF a.d was written"
ok "--extra-arg and database commands too"
