#!/bin/sh
# build_graph.sh CMAKE BUILD_DIR SOURCE_DIR WORK
#
# shapecheck_add_check() (integrations/cmake, docs/build-integration.md) on
# corpus/project, through find_package(shapecheck) from an install of
# BUILD_DIR's checker component (build_graph/CMakeLists.txt), with Ninja
# and with Unix Makefiles (make -j2):
#  - the facts actions get the sources' flags (C standard, include
#    folders of the target and of the library it links);
#  - "all" builds train_ok's check, which passes, and not train_buggy's
#    (EXCLUDE_FROM_ALL);
#  - train_buggy's check fails the build with the finding whose sizes
#    cross three files (train_buggy.c, net.c, data.c, loss.c);
#  - the facts of net's sources are made once, for both checks.
set -u
cmake=$1 build=$2 source=$3 work=$4
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work" || exit 1

fail() {
  echo "build_graph.sh: FAIL: $*" >&2
  exit 1
}

"$cmake" --install "$build" --prefix "$work/prefix" --component checker \
  >"$work/install.log" 2>&1 || fail "install: $(cat "$work/install.log")"
for f in shapecheckConfig.cmake shapecheckChecker.cmake \
         ShapecheckAddCheck.cmake; do
  ls "$work"/prefix/lib*/cmake/shapecheck/$f >/dev/null 2>&1 ||
    fail "the checker component did not install $f"
done

# The facts actions' flags are the compile commands' (-D, -I, -std), with
# generator expressions of the configuration and the compile language,
# per-source definitions and CMAKE_C_FLAGS (build_graph_flags/).
if command -v ninja >/dev/null 2>&1; then
  "$cmake" -G Ninja -S "$here/build_graph_flags" -B "$work/flags" \
    -DCMAKE_BUILD_TYPE=Debug \
    "-DSC_MODULE=$source/integrations/cmake/ShapecheckAddCheck.cmake" \
    >"$work/flags.configure" 2>&1 ||
    fail "build_graph_flags: configure: $(cat "$work/flags.configure")"
  ninja -C "$work/flags" -t commands >"$work/flags.commands" 2>&1
  python3 - "$work/flags.commands" <<'PY' || fail "build_graph_flags"
import shlex, sys
lines = open(sys.argv[1]).read().splitlines()
def words(line):
    parts = line.split(" && ")
    return shlex.split([p for p in parts if " -c " in p or
                        "--emit-facts" in p][-1])
def flags(ws):
    return sorted({w for w in ws if w.startswith(("-D", "-I", "-std="))})
for src in ("lib.c", "app.c"):
    compile = [words(l) for l in lines
               if " -c " in l and l.endswith("/" + src)]
    facts = [words(l) for l in lines if "--emit-facts" in l
             and "/%s.scfacts " % src in l]
    if len(compile) != 1 or len(facts) != 1:
        sys.exit("%s: %d compile and %d facts commands" %
                 (src, len(compile), len(facts)))
    args = facts[0][facts[0].index("--") + 1:]
    if flags(compile[0]) != flags(args):
        sys.exit("%s: compiled with %s, facts with %s" %
                 (src, flags(compile[0]), flags(args)))
    print("%s: %s" % (src, " ".join(flags(args))))
PY
fi

finding="train_buggy\.c:21:35: error: logits and labels must have the same first dimension: 'logits' is \[batch, 4\] but 'labels' is \[batch/2\] in call to 'batch_loss' \[shape-batch-mismatch\]"

check_generator() {
  gen=$1 dir=$2 jobs=$3
  "$cmake" -G "$gen" -S "$here/build_graph" -B "$dir" \
    "-DCMAKE_PREFIX_PATH=$work/prefix" \
    "-DCORPUS_PROJECT=$source/corpus/project" >"$dir.configure" 2>&1 ||
    fail "$gen: configure: $(cat "$dir.configure")"
  # "all": the objects, the programs and train_ok's check.
  "$cmake" --build "$dir" -j "$jobs" >"$dir.all" 2>&1 ||
    fail "$gen: the clean program's check failed: $(cat "$dir.all")"
  grep -q 'shapecheck train_ok' "$dir.all" ||
    fail "$gen: all did not check train_ok: $(cat "$dir.all")"
  grep -q 'shapecheck train_buggy' "$dir.all" &&
    fail "$gen: all checked train_buggy (EXCLUDE_FROM_ALL)"
  n=$(grep -c 'shapecheck facts' "$dir.all")
  [ "$n" -eq 4 ] || fail "$gen: $n facts actions for train_ok, not 4"
  # train_buggy's check: its own source's facts (net's are made), the link.
  "$cmake" --build "$dir" -j "$jobs" --target shapecheck_train_buggy \
    >"$dir.buggy" 2>&1 && fail "$gen: train_buggy's check passed: $(cat "$dir.buggy")"
  grep -q "$finding" "$dir.buggy" ||
    fail "$gen: train_buggy's check failed without the finding: $(cat "$dir.buggy")"
  n=$(grep -c 'shapecheck facts' "$dir.buggy")
  [ "$n" -eq 1 ] || fail "$gen: $n facts actions for train_buggy, not 1 (net's are shared)"
  echo "$gen: train_ok's check passes, train_buggy's fails on the finding"
}

if command -v ninja >/dev/null 2>&1; then
  check_generator Ninja "$work/ninja" 2
  # The flags of a facts action: the C standard and the include folders of
  # the target and of the library it links (its PUBLIC include folder).
  ninja -C "$work/ninja" -t commands shapecheck_train_buggy \
    >"$work/commands" 2>&1
  line=$(grep -- "--emit-facts [^ ]*train_buggy\.c\.scfacts" "$work/commands" |
    sed 's/.*--emit-facts//')
  for want in "-std=gnu11" "-I$source/corpus/project/include" \
              "-I$work/prefix/include"; do
    case " $line " in
      *" $want "*) ;;
      *) fail "the facts action of train_buggy.c lacks $want: $line" ;;
    esac
  done
else
  echo "build_graph.sh: no ninja, Ninja not tried"
fi
check_generator "Unix Makefiles" "$work/make" 2
echo "build_graph.sh: ok"
