#!/bin/sh
# messages.sh SHAPECHECK WORK CORPUS - issue 12, "Messages": every write
# failure says why and exits 2; a folder where a file is expected says so;
# a damaged summary file says where (line and column) and a key written
# twice is an error; options another option makes meaningless are refused.
NAME=messages
. "$(dirname "$0")/lib.sh"

write_buggy a.c
if [ -w /dev/full ]; then
  "$sc" --quiet a.c >/dev/full 2>full.err
  [ $? -eq 2 ] || fail "a report to /dev/full: exit status not 2"
  grep -q "cannot write the report to standard output: No space left on device" full.err ||
    fail "a report to /dev/full: no reason given"
  "$sc" --version >/dev/full 2>full.err
  [ $? -eq 2 ] || fail "--version to /dev/full: exit status not 2"
  grep -q "No space left on device" full.err || fail "--version to /dev/full: no reason"
  ok "writes to a full disk"
fi

mkdir folder
expect 2 baseline_folder "$sc" --quiet --baseline folder a.c
said baseline_folder "folder: cannot read: Is a directory"
expect 2 output_folder "$sc" --quiet -o folder a.c
said output_folder "-o folder: is a directory"
ok "a folder where a file is expected"

# --write-summaries into a folder that is not there: the reason, exit 2.
expect 2 summaries_missing "$sc" --quiet --write-summaries nowhere a.c
said summaries_missing "cannot write summary nowhere/a\.c\.json: No such file or directory"
ok "summaries written nowhere"

# A summary file cut short, and one with a key written twice.
mkdir sums
expect 1 write_summaries "$sc" --quiet --write-summaries sums a.c
head -c 60 sums/a.c.json >truncated.json
expect 2 truncated "$sc" --quiet --read-summaries truncated.json a.c
said truncated "truncated\.json:[0-9]+:[0-9]+: malformed JSON"
sed 's/"shapecheck-summary"/"file": "x", "shapecheck-summary"/' sums/a.c.json >dup.json
expect 2 duplicate "$sc" --quiet --read-summaries dup.json a.c
said duplicate "dup\.json: key 'file' written twice in one object"
ok "a damaged summary file"

expect 2 lsp_file "$sc" --lsp a.c
said lsp_file "--lsp takes no files"
expect 2 verify_sarif "$sc" --verify --format=sarif a.c
said verify_sarif "--verify writes its own text report"
ok "options that would be ignored are refused"
