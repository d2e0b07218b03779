#!/bin/sh
# install.sh CMAKE BUILD_DIR WORK CORPUS
# cmake --install puts everything in place: the checker, its man page, the
# headers, the runtime library with its pkg-config and CMake package files.
# The installed checker works, and one installed into a prefix other than
# the configured one (and apart from the rest, --component checker) uses
# the headers installed beside it.
set -u
cmake=$1 build=$2 work=$3 corpus=$4
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() {
  echo "install.sh: $*" >&2
  exit 1
}

# has PATTERN...: some file matches each (shell) PATTERN.
has() {
  for pattern in "$@"; do
    found=no
    for f in $pattern; do
      [ -e "$f" ] && found=yes
    done
    [ "$found" = yes ] || fail "not installed: $pattern"
  done
}

full=$work/full
"$cmake" --install "$build" --prefix "$full" >"$work/install.log" 2>&1 ||
  fail "cmake --install failed: $(cat "$work/install.log")"
# The library folder is lib, or lib/<multiarch> under /usr (GNUInstallDirs).
has "$full/bin/shapecheck" \
    "$full/include/shapecheck.h" "$full/include/shapecheck_rt.h" \
    "$full/lib*/libshapecheck_rt.so*" "$full/lib*/libshapecheck_rt.a" \
    "$full/lib*/pkgconfig/shapecheck_rt.pc" \
    "$full/lib*/cmake/shapecheck/shapecheckConfig.cmake" \
    "$full/lib*/cmake/shapecheck/shapecheckConfigVersion.cmake" \
    "$full/lib*/cmake/shapecheck/shapecheckTargets.cmake" \
    "$full/lib*/shapecheck/shapecheck-frontend.so" \
    "$full/share/man/man1/shapecheck.1"
[ -x "$full/bin/shapecheck" ] || fail "bin/shapecheck is not executable"

"$full/bin/shapecheck" --version | grep -q '^shapecheck [0-9]' ||
  fail "the installed shapecheck does not run"
"$full/bin/shapecheck" "$corpus/batch/labels_short_batch.c" -- \
  "-I$corpus/include" >"$work/finding.out" 2>&1
status=$?
[ "$status" -eq 1 ] || fail "installed shapecheck: exit status $status: $(cat "$work/finding.out")"
grep -q '\[shape-batch-mismatch\]' "$work/finding.out" ||
  fail "the installed shapecheck missed the finding"

# The checker component alone, in a prefix it was not configured for.
part=$work/checker-only
"$cmake" --install "$build" --prefix "$part" --component checker \
  >"$work/component.log" 2>&1 ||
  fail "cmake --install --component checker failed: $(cat "$work/component.log")"
has "$part/bin/shapecheck" "$part/include/shapecheck.h" \
    "$part/include/shapecheck_rt.h" "$part/share/man/man1/shapecheck.1" \
    "$part/lib*/shapecheck/shapecheck-frontend.so"
for f in "$part"/lib*/libshapecheck_rt*; do
  [ -e "$f" ] && fail "the checker component installed $f"
done
# Mark the installed header: a file that includes shapecheck.h from no
# include path of its own must get that one, not the build tree's.
printf '#ifdef SC_INSTALL_PROBE\n#error "installed shapecheck.h"\n#endif\n' \
  >>"$part/include/shapecheck.h"
printf '#include "shapecheck.h"\nint probe SHAPE(1);\n' >"$work/probe.c"
"$part/bin/shapecheck" "$work/probe.c" -- -DSC_INSTALL_PROBE \
  >"$work/probe.out" 2>&1
grep -q 'error: "installed shapecheck.h"' "$work/probe.out" ||
  fail "the installed checker does not use its installed headers: $(cat "$work/probe.out")"
"$part/bin/shapecheck" "$work/probe.c" >"$work/probe_ok.out" 2>&1 ||
  fail "the installed checker: $(cat "$work/probe_ok.out")"
# ...and the front end installed beside it (the dynamic loader names every
# file it opens under LD_DEBUG=files), not the build tree's; a run that
# parses nothing (--version) opens no front end at all.
LD_DEBUG=files "$part/bin/shapecheck" "$work/probe.c" >"$work/module.out" 2>&1
grep -q "file=$part/lib[^ ]*/shapecheck/shapecheck-frontend.so " \
  "$work/module.out" ||
  fail "the installed checker does not load its installed front end: $(grep frontend "$work/module.out")"
LD_DEBUG=files "$part/bin/shapecheck" --version >"$work/version.out" 2>&1
grep -q "shapecheck-frontend\|libclang" "$work/version.out" &&
  fail "shapecheck --version loaded the front end"
echo "install.sh: ok"
