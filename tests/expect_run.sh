#!/bin/sh
# expect_run.sh STATUS PATTERN CMD [ARGS...]
# Runs CMD, and passes when it exits with STATUS and its combined output
# matches the extended regular expression PATTERN (one line of it).
# Used by ctest for command-line behaviour: bad input, exit statuses.
set -u
want=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
got=$?
printf '%s\n' "$out"
if [ "$got" -ne "$want" ]; then
  echo "expect_run: exit status $got, expected $want" >&2
  exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$pattern"; then
  echo "expect_run: output does not match: $pattern" >&2
  exit 1
fi
