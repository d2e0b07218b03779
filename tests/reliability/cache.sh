#!/bin/sh
# cache.sh SHAPECHECK WORK CORPUS - issue 12 item 1: a cache entry that
# cannot be used, for whatever reason, is a miss: the unit is parsed again,
# the entry written again, and the report is exactly the uncached run's.
# Values are checked before use, and entries are read with a cap (a link to
# /dev/zero must not hang the run).
NAME=cache
. "$(dirname "$0")/lib.sh"

write_buggy a.c
write_clean clean.c
expect 1 plain "$sc" --quiet a.c clean.c

# cached LABEL: a cached run reports exactly what the uncached one did.
cached() {
  expect 1 "$1" timeout 60 "$sc" --quiet --stats --cache-dir cache a.c clean.c
  cmp -s plain.out "$1.out" || {
    diff plain.out "$1.out" >&2
    fail "$1: the cached run's report differs from the uncached one"
  }
}
cached cold
cached warm
said warm "cache: 0 parsed, 2 from the cache"
entry=$(grep -l '"file":"a.c"' cache/*.json)
[ -f "$entry" ] || fail "no cache entry for a.c"
cp "$entry" entry.saved

# damage LABEL SED-SCRIPT: an entry damaged so, then two runs: the first
# parses a.c again (a miss) and rewrites the entry, the second uses it.
damage() {
  sed "$2" entry.saved >"$entry"
  cmp -s entry.saved "$entry" && fail "$1: the damage did not apply"
  cached "$1"
  said "$1" "cache: 1 parsed, 1 from the cache"
  cached "$1_healed"
  said "$1_healed" "cache: 0 parsed, 2 from the cache"
  ok "$1"
}
# Valid JSON whose summary does not read back (another summary version).
damage summary_unreadable 's/shapecheck-summary\\":[0-9]*/shapecheck-summary\\":99/'
damage summary_not_json 's/"summary":"{/"summary":"{{/'
damage severity_huge 's/"severity":2/"severity":1e300/'
damage severity_note 's/"severity":2/"severity":0/'
damage line_negative 's/"line":8/"line":-8/'
damage line_fraction 's/"line":8/"line":8.5/'
damage rule_unknown 's/"rule":"shape-batch-mismatch"/"rule":"no-such-rule"/'
damage findings_not_list 's/"findings":\[/"findings":{"x":[/; s/\],"imports"/]},"imports"/'
damage version_other 's/"shapecheck-cache":1/"shapecheck-cache":1e300/'
damage truncated '$s/.\{20\}$//'

# Not a regular file: a link to /dev/zero (read forever), a pipe (blocks
# on open), a folder.
rm -f "$entry" && ln -s /dev/zero "$entry"
cached dev_zero
said dev_zero "cache: 1 parsed, 1 from the cache"
ok "a link to /dev/zero"
rm -f "$entry" && mkfifo "$entry"
cached fifo
ok "a named pipe"
rm -f "$entry" && mkdir "$entry"
cached folder
cached folder_again
ok "a folder"
