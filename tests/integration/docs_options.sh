#!/bin/sh
# docs_options.sh SHAPECHECK MANPAGE README
# Every option "shapecheck --help" lists is described in the man page and in
# the README's "Command line" section; the man page renders without
# warnings (when groff is installed).
set -u
sc=$1 man=$2 readme=$3

fail() {
  echo "docs_options.sh: $*" >&2
  exit 1
}

help=$("$sc" --help) || fail "--help failed"
# The option words: "  -p DIR ...", "  -h, --help ...", "  --format=FORMAT".
opts=$(printf '%s\n' "$help" | sed -n 's/^  \(-[^ ,]*\(, -[^ ,]*\)*\).*/\1/p' |
       tr ',' '\n' | sed 's/^ *//; s/=.*//')
[ "$(printf '%s\n' "$opts" | wc -l)" -ge 15 ] ||
  fail "found too few options in --help: $opts"

# The man page's text with roff escapes undone ("\-" is "-", fonts go).
mantext=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\c//g' "$man")
# The README's "Command line" section.
section=$(sed -n '/^## Command line/,/^## /p' "$readme")
[ -n "$section" ] || fail "no '## Command line' section in $readme"

missing=""
for o in $opts; do
  printf '%s\n' "$mantext" | grep -Eq -- "(^|[ \"])$o([ \",=]|$)" ||
    missing="$missing man:$o"
  printf '%s\n' "$section" | grep -Fq -- "\`$o" || missing="$missing README:$o"
done
[ -z "$missing" ] || fail "options not documented:$missing"

if command -v groff >/dev/null 2>&1; then
  warnings=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man" 2>&1)
  [ -z "$warnings" ] || fail "groff warns about $man: $warnings"
  LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbu "$man" 2>/dev/null | grep -q 'EXIT STATUS' ||
    fail "$man does not render"
else
  echo "docs_options.sh: groff not installed; rendering not checked"
fi
echo "docs_options.sh: ok ($(printf '%s\n' "$opts" | wc -l) options)"
