#!/bin/sh
# missing_value.sh SHAPECHECK WORK CORPUS - issue 12 item 3: a compiler
# argument list that ends in an option without its value ("-I") would take
# the checker's own first argument as that value, and the annotations
# vanished: exit 0 with nothing analysed.  Now it is that unit's error
# (exit 2), named, and the other units are still analysed.
NAME=missing_value
. "$(dirname "$0")/lib.sh"

write_buggy a.c
write_buggy b.c

expect 2 dashdash "$sc" --quiet a.c -- -I
said dashdash "a\.c: compiler option '-I' ends the command without its value"
ok "FILE -- -I"

expect 2 extra_arg "$sc" --quiet --extra-arg=-isystem a.c
said extra_arg "a\.c: compiler option '-isystem' ends the command without its value"
ok "--extra-arg=-isystem"

expect 2 extra_arg_before "$sc" --quiet --extra-arg-before=-include a.c
said extra_arg_before "a\.c: compiler option '-include' ends the command without its value"
ok "--extra-arg-before=-include with nothing after it"

# A database: a.c's command ends in -I, b.c's is fine.
mkdir build
cat >build/compile_commands.json <<JSON
[
  {"directory": "$work", "file": "a.c", "arguments": ["cc", "-c", "a.c", "-I"]},
  {"directory": "$work", "file": "b.c", "command": "cc -c b.c -o b.o"}
]
JSON
expect 2 database "$sc" --quiet -p build
said database "a\.c: compiler option '-I' ends the command without its value"
reported database "b\.c:8:12: error: $FINDING"
ok "a database command ending in -I; the other unit is analysed"

# A value that looks like an option is a value: "-I -DX" names a folder.
expect 1 value_kept "$sc" --quiet a.c -- -I -DX
reported value_kept "a\.c:8:12: error: $FINDING"
ok "an option's value is never taken for an option"
