#!/bin/sh
# usage: summaries.sh SHAPECHECK INCLUDE_DIR WORK FILE...
#
# Every summary the checker writes reads back: each FILE is analysed alone
# with --write-summaries, and each summary file made is then read by a run
# with --read-summaries (a summary the reader refuses is exit 2, and would
# make the project index's single-unit runs and the cache fail).
set -u
sc=$1 include=$2 work=$3
shift 3
rm -rf "$work"
mkdir -p "$work/out"
printf 'int main(void) { return 0; }\n' >"$work/empty.c"
status=0 files=0 summaries=0 refused=0
for f in "$@"; do
  files=$((files + 1))
  rm -f "$work/out"/*.json
  rc=0
  "$sc" --no-config --quiet --write-summaries "$work/out" "$f" -- \
    -I"$include" >"$work/err" 2>&1 || rc=$?
  if [ "$rc" -eq 2 ]; then
    echo "FAIL: $f: exit 2 writing its summary:"
    cat "$work/err"
    status=1
  fi
  for s in "$work/out"/*.json; do
    [ -e "$s" ] || continue
    summaries=$((summaries + 1))
    if ! "$sc" --no-config --quiet --read-summaries "$s" "$work/empty.c" -- \
      >/dev/null 2>"$work/err"; then
      echo "FAIL: the summary of $f does not read back:"
      cat "$work/err"
      refused=$((refused + 1))
      status=1
    fi
  done
done
echo "summaries.sh: $files files, $summaries summaries written, $refused refused"
[ "$summaries" -gt 0 ] || { echo "FAIL: no summary written"; status=1; }
exit $status
