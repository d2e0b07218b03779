#!/bin/sh
# crash.sh SHAPECHECK WORK CORPUS - issue 12 item 7: clang's parser
# overflows its stack on 30,000 nested unary operators and the process dies
# with it.  The unit that crashes is that unit's error (exit 2), and the
# other units on the command line are still analysed and reported, in any
# order and with one parsing thread (the crashed worker is replaced).
NAME=crash
. "$(dirname "$0")/lib.sh"

awk 'BEGIN { printf "int deep(int a) { return "
             for (i = 0; i < 30000; i++) printf "- "
             print "a; }" }' >deep.c
write_buggy buggy.c
write_buggy later.c

expect 2 crash_first "$sc" --quiet -j1 deep.c buggy.c later.c
said crash_first "deep\.c: libclang crashed while parsing it \((Segmentation fault|Bus error|Aborted)"
reported crash_first "^buggy\.c:8:12: error: $FINDING"
reported crash_first "^later\.c:8:12: error: $FINDING"
ok "a crash is one unit's error; the units after it are analysed (-j1)"

expect 2 crash_json "$sc" --quiet --format=json buggy.c deep.c
reported crash_json "\"shape-batch-mismatch\""
grep -q '"version"' crash_json.out && tail -n 1 crash_json.out | grep -q '^}$' ||
  fail "crash_json: the JSON report is incomplete"
ok "the JSON report of the other unit is whole"
