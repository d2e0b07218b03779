#!/bin/sh
# progress.sh SHAPECHECK WORK FILE... -- COMPILER_ARGS...
# The progress line: "[i/N] FILE" on stderr when it is a terminal (a pty
# from script(1), util-linux); nothing when stderr is not a terminal, or
# with --quiet.  Exits 77 (ctest's SKIP_RETURN_CODE) when script(1) is
# missing or cannot open a pseudo-terminal.
set -u
sc=$1 work=$2
shift 2
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() {
  echo "progress.sh: $*" >&2
  exit 1
}

# The files, for counting: the arguments up to "--".
n=0
for a in "$@"; do
  [ "$a" = "--" ] && break
  n=$((n + 1))
done
[ "$n" -ge 2 ] || fail "give several files"

# Not a terminal: stderr stays empty.
"$sc" -j1 "$@" >"$work/plain.out" 2>"$work/plain.err"
[ $? -eq 1 ] || fail "expected findings (exit status 1)"
[ -s "$work/plain.err" ] &&
  fail "stderr is not a terminal, yet: $(cat "$work/plain.err")"

if ! command -v script >/dev/null 2>&1; then
  echo "progress.sh: SKIP: script(1) (util-linux) is not installed"
  exit 77
fi
if ! script -qec true /dev/null </dev/null >/dev/null 2>&1; then
  echo "progress.sh: SKIP: script(1) cannot open a pseudo-terminal here"
  exit 77
fi

# The command line for script -c, every word quoted for sh.
quote() {
  case $1 in
    *\'*) fail "cannot quote: $1" ;;
  esac
  printf "'%s' " "$1"
}
args=""
for a in "$@"; do
  args="$args$(quote "$a")"
done
sc_q=$(quote "$sc")

# On a terminal: one "[i/N] FILE" per file; the report itself (stdout,
# to a file here) is unchanged.
script -qec "$sc_q -j1 $args >'$work/tty.out'" /dev/null </dev/null >"$work/tty.err"
[ $? -eq 1 ] || fail "on a pty: expected exit status 1"
grep -q "\[1/$n\] " "$work/tty.err" || fail "no [1/$n] on a terminal: $(cat "$work/tty.err")"
grep -q "\[$n/$n\] " "$work/tty.err" || fail "no [$n/$n] on a terminal"
cmp -s "$work/tty.out" "$work/plain.out" || fail "the report differs on a terminal"

# --quiet on a terminal: nothing on stderr.
script -qec "$sc_q -j1 --quiet $args >'$work/quiet.out'" /dev/null </dev/null \
  >"$work/quiet.err"
[ $? -eq 1 ] || fail "--quiet on a pty: expected exit status 1"
[ -s "$work/quiet.err" ] && fail "--quiet still printed: $(od -c "$work/quiet.err" | head)"
cmp -s "$work/quiet.out" "$work/plain.out" || fail "the report differs with --quiet"
echo "progress.sh: ok ($n files)"
