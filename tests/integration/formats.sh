#!/bin/sh
# formats.sh SHAPECHECK WORK PYTHON VALIDATOR SARIF_SCHEMA JSON_SCHEMA FILE... -- ARGS...
# --format=text|sarif|json with -o FILE, end to end: the report goes to
# FILE (nothing to stdout), the exit status still says there were
# findings, and the SARIF and JSON files validate against their schemas.
set -u
sc=$1 work=$2 python=$3 validator=$4 sarif_schema=$5 json_schema=$6
shift 6
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() {
  echo "formats.sh: $*" >&2
  exit 1
}

for format in text sarif json; do
  out=$work/report.$format
  "$sc" --format="$format" -o "$out" "$@" >"$work/$format.stdout" 2>"$work/$format.stderr"
  status=$?
  [ "$status" -eq 1 ] || fail "--format=$format: exit status $status, expected 1: $(cat "$work/$format.stderr")"
  [ -s "$work/$format.stdout" ] && fail "--format=$format -o: output on stdout"
  [ -s "$out" ] || fail "--format=$format: $out is empty"
  [ -e "$out.tmp" ] && fail "--format=$format: $out.tmp left behind"
done

grep -q ': error: .*\[shape-batch-mismatch\]' "$work/report.text" ||
  fail "the text report lacks the finding"
"$python" "$validator" "$sarif_schema" "$work/report.sarif" ||
  fail "report.sarif is not valid SARIF 2.1.0"
grep -q '"ruleId":[[:space:]]*"shape-batch-mismatch"' "$work/report.sarif" ||
  fail "report.sarif lacks the finding"
"$python" "$validator" "$json_schema" "$work/report.json" ||
  fail "report.json does not follow docs/shapecheck-findings.schema.json"
grep -q 'shape-batch-mismatch' "$work/report.json" ||
  fail "report.json lacks the finding"
echo "formats.sh: ok"
