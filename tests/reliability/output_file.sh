#!/bin/sh
# output_file.sh SHAPECHECK WORK CORPUS - issue 12 item 4: -o FILE.  A run
# stopped by bad input leaves the previous report as it was; the SARIF log
# says whether the run did its whole job and why not; -o never replaces an
# input, a read-only file or a symbolic link's target; two runs writing the
# same report do not collide.
NAME=output_file
. "$(dirname "$0")/lib.sh"

write_buggy a.c
write_clean clean.c

# unchanged FILE: FILE still holds "the previous report".
unchanged() {
  [ "$(cat "$1")" = "the previous report" ] || fail "$1 was replaced"
}
no_leftovers() {
  ls | grep -E '^report\.(sarif|txt)\.' && fail "a temporary file was left"
  return 0
}

for format in text sarif json; do
  echo "the previous report" >report.txt
  expect 2 "missing_$format" "$sc" --quiet --format=$format -o report.txt missing.c
  said "missing_$format" "missing\.c: no such file or directory"
  unchanged report.txt
done
no_leftovers
ok "a run stopped by bad input leaves the previous report"

expect 2 partial "$sc" --quiet --format=sarif -o report.sarif missing.c a.c
grep -Eq '"executionSuccessful":[[:space:]]*false' report.sarif ||
  fail "a run that exits 2 says executionSuccessful: true"
grep -Eq '"exitCode":[[:space:]]*2' report.sarif || fail "no exitCode 2"
grep -q '"toolExecutionNotifications"' report.sarif ||
  fail "the SARIF log does not say why the run failed"
grep -q 'missing.c: no such file or directory' report.sarif ||
  fail "the notification does not name the missing file"
grep -q '"shape-batch-mismatch"' report.sarif ||
  fail "the other file's finding is missing"
expect 0 success "$sc" --quiet --format=sarif -o clean.sarif clean.c
grep -Eq '"executionSuccessful":[[:space:]]*true' clean.sarif ||
  fail "a clean run is not executionSuccessful"
ok "SARIF's executionSuccessful and notifications tell the truth"

cp a.c a_saved.c
expect 2 self "$sc" --quiet -o a.c a.c
said self "-o a\.c: is an input of the run"
cmp -s a.c a_saved.c || fail "-o a.c a.c replaced the source"
ln a.c hard.c
expect 2 hard "$sc" --quiet -o hard.c a.c
said hard "-o hard\.c: is an input of the run \(a\.c\)"
cmp -s a.c a_saved.c || fail "a hard link to the source was replaced"
mkdir build
printf '[{"directory": "%s", "file": "a.c", "command": "cc -c a.c"}]\n' "$work" \
  >build/compile_commands.json
expect 2 database "$sc" --quiet -p build -o build/compile_commands.json
said database "is an input of the run"
ok "an input of the run is never the report"

echo "the previous report" >report.txt
chmod a-w report.txt
expect 2 readonly "$sc" --quiet -o report.txt a.c
said readonly "-o report\.txt: is read-only"
chmod u+w report.txt
unchanged report.txt
echo "the previous report" >target.txt
ln -s target.txt link.txt
expect 2 symlink "$sc" --quiet -o link.txt a.c
said symlink "-o link\.txt: is a symbolic link"
unchanged target.txt
[ -L link.txt ] || fail "the symbolic link was replaced"
ok "a read-only file and a symbolic link are left alone"

# Eight runs at once, one report: each writes its own temporary file, the
# report is always one whole run's, and nothing is left behind.
expect 1 single "$sc" --quiet --format=sarif -o single.sarif a.c clean.c
i=0
while [ $i -lt 8 ]; do
  (
    "$sc" --quiet --format=sarif -o report.sarif a.c clean.c 2>"race$i.err"
    echo $? >"race$i.status"
  ) &
  i=$((i + 1))
done
wait
for f in race*.status; do
  [ "$(cat "$f")" = 1 ] || { cat race*.err >&2; fail "a concurrent run failed"; }
done
cmp -s single.sarif report.sarif || fail "concurrent runs left a mixed report"
no_leftovers
ok "concurrent runs writing one report"
