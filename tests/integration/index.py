#!/usr/bin/env python3
"""The project index and facts files (SPEC 7, docs/facts.md).

usage: index.py SHAPECHECK CMAKE PROJECT ANNOTATIONS CORPUS WORK

On a copy of PROJECT (corpus/project: train_buggy.c's bug crosses
train_buggy.c, net.c, data.c and loss.c) configured with CMake in
WORK/project/build:
  1. "-p build src/train_buggy.c" with no index: analysed alone (no
     finding), "no project index" said once on stderr;
  2. "-p build" reports the bug and writes build/.shapecheck;
  3. "-p build src/train_buggy.c" now reports it, nothing on stderr; so
     does the CMAKE_C_CLANG_TIDY form (SRC -- COMPILER FLAGS, in build/);
  4. loss.c touched (same content): still fresh; loss.c edited: its entry
     is stale, never used: the finding is gone and the note names 1 unit;
  5. a file that is not a unit (a scratch file in build/), and a unit with
     other flags ("FILE -- -DX"): the index is neither read, written nor
     mentioned;
  6. the link step: facts of every unit (--emit-facts), linked, report
     byte for byte what "-p build --no-index" does; the same for the
     corpus's files (CORPUS/{batch,rules,flow,calls}/*.c);
  7. bad facts files (not facts, cut short, another version, a flipped
     byte, missing) are an error naming the file, exit 2;
  8. a project whose .shapecheck adds extra-args, and whose database
     commands carry options the checker drops (-MD -MF FILE, as Bear
     records them): the single-unit run still uses the index;
  9. summaries (WORK/summaries, written here): "-p build" leaves a
     summary beside every entry; a single-unit run reads the other units'
     summaries, not their facts (--stats), with the same findings as the
     whole program; when the run's own unit changes a function another
     unit's summary used, that unit is analysed from its facts, and the
     finding the change makes is reported; a damaged summary is a miss.
"""
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys


def fail(msg):
    sys.exit(f"index.py: FAIL: {msg}")


class Checker:
    def __init__(self, path):
        self.path = path

    def run(self, args, cwd, want=None):
        p = subprocess.run([self.path] + args, cwd=cwd, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        print(f"$ shapecheck {shlex.join(args)}  # in {cwd}: {p.returncode}")
        if want is not None and p.returncode != want:
            fail(f"exit {p.returncode}, not {want}: shapecheck "
                 f"{shlex.join(args)}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
        return p


BUG = "'logits' is [batch, 4] but 'labels' is [batch/2] in call to 'batch_loss'"


def configure(cmake, project, annotations, work):
    tree = os.path.join(work, "project")
    os.makedirs(work, exist_ok=True)
    shutil.copytree(project, tree)
    build = os.path.join(tree, "build")
    p = subprocess.run([cmake, "-S", tree, "-B", build,
                        "-DSHAPECHECK_INCLUDE=" + annotations],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True)
    if p.returncode != 0:
        fail("cmake:\n" + p.stdout)
    return tree, build


def single_unit_runs(sc, tree, build):
    p = sc.run(["-p", "build", "src/train_buggy.c"], tree, want=0)
    notes = [l for l in p.stderr.splitlines() if "no project index" in l]
    if len(notes) != 1 or p.stderr.count("\n") != 1:
        fail("no index: want one line saying so, got:\n" + p.stderr)

    p = sc.run(["-p", "build"], tree, want=1)
    if BUG not in p.stdout:
        fail("-p build: the cross-file finding is missing:\n" + p.stdout)
    if not glob.glob(os.path.join(build, ".shapecheck", "*.entry")):
        fail("-p build wrote no entry in build/.shapecheck")

    p = sc.run(["-p", "build", "src/train_buggy.c"], tree, want=1)
    if BUG not in p.stdout or p.stderr:
        fail(f"-p build FILE with the index:\n{p.stdout}\nstderr:\n{p.stderr}")
    clang_tidy_form(sc, build)


def clang_tidy_form(sc, build):
    """CMake's CMAKE_C_CLANG_TIDY runs SRC -- COMPILER FLAGS in build/."""
    with open(os.path.join(build, "compile_commands.json")) as f:
        entry = next(e for e in json.load(f)
                     if e["file"].endswith("train_buggy.c"))
    words = entry.get("arguments") or shlex.split(entry["command"])
    p = sc.run(["--extra-arg-before=--driver-mode=gcc", entry["file"], "--"]
               + words, entry["directory"], want=1)
    if BUG not in p.stdout or p.stderr:
        fail(f"the CMAKE_C_CLANG_TIDY form:\n{p.stdout}\nstderr:\n{p.stderr}")


def stale_entries(sc, tree):
    loss = os.path.join(tree, "src", "loss.c")
    os.utime(loss)  # a new time, the same bytes: the hash says fresh
    p = sc.run(["-p", "build", "src/train_buggy.c"], tree, want=1)
    if p.stderr:
        fail("a touched file made its entry stale:\n" + p.stderr)
    with open(loss, "a") as f:
        f.write("/* edited */\n")
    p = sc.run(["-p", "build", "src/train_buggy.c"], tree, want=0)
    if "1 of the other 4 units have no fresh entry" not in p.stderr:
        fail("an edited unit: want the note naming 1 unit, got:\n" + p.stderr)
    if p.stdout:
        fail("a stale entry was used:\n" + p.stdout)
    sc.run(["-p", "build"], tree, want=1)  # refreshes the index


def outside_the_index(sc, tree, build):
    entries = os.path.join(build, ".shapecheck")
    before = {n: os.path.getmtime(os.path.join(entries, n))
              for n in os.listdir(entries)}
    scratch = os.path.join(build, "scratch.c")
    with open(scratch, "w") as f:
        f.write("int scratch(void) { return 0; }\n")
    include = "-I" + os.path.join(tree, "include")
    for args in (["scratch.c", "--", include],
                 ["../src/train_buggy.c", "--", include, "-DOTHER=1"]):
        p = sc.run(args, build)
        if p.stderr or p.returncode == 2:
            fail(f"a run outside the index mentions it:\n{p.stderr}")
    after = {n: os.path.getmtime(os.path.join(entries, n))
             for n in os.listdir(entries)}
    if after != before:
        fail("a run outside the index wrote to it")


def emit_all(sc, commands, out_dir, cwd_of):
    os.makedirs(out_dir, exist_ok=True)
    facts = []
    for i, (src, words, cwd) in enumerate(commands):
        out = os.path.join(out_dir, "%03d_%s.scfacts" % (i, os.path.basename(src)))
        p = sc.run(["--emit-facts", out, src, "--"] + words, cwd_of(cwd))
        if p.returncode != 0 or p.stdout:
            fail(f"--emit-facts {src}: {p.returncode}\n{p.stdout}{p.stderr}")
        facts.append(out)
    return facts


def same_report(a, b, what):
    if (a.returncode, a.stdout) != (b.returncode, b.stdout):
        fail(f"{what}: the link step differs from the whole-program run:\n"
             f"--- link ({a.returncode}):\n{a.stdout}\n"
             f"--- whole ({b.returncode}):\n{b.stdout}")


def link_step(sc, tree, build, corpus, work):
    with open(os.path.join(build, "compile_commands.json")) as f:
        db = json.load(f)
    commands = [(e["file"], e.get("arguments") or shlex.split(e["command"]),
                 e["directory"]) for e in db]
    facts = emit_all(sc, commands, os.path.join(work, "facts"), lambda d: d)
    for fmt in ("text", "sarif", "json"):
        link = sc.run(["--format=" + fmt] + facts, tree)
        whole = sc.run(["--format=" + fmt, "-p", "build", "--no-index"], tree)
        same_report(link, whole, "corpus/project, " + fmt)
    if BUG not in link.stdout and BUG not in sc.run(facts, tree).stdout:
        fail("the link step lost the cross-file finding")

    files = sorted(f for d in ("batch", "rules", "flow", "calls")
                   for f in glob.glob(os.path.join(corpus, d, "*.c")))
    args = ["-I" + os.path.join(corpus, "include")]
    commands = [(f, args, work) for f in files]
    facts = emit_all(sc, commands, os.path.join(work, "corpus-facts"),
                     lambda d: d)
    same_report(sc.run(facts, work), sc.run(files + ["--"] + args, work),
                "the corpus")
    return facts[0]


def bad_facts(sc, good, work):
    with open(good, "rb") as f:
        data = f.read()
    cases = {
        "text.scfacts": (b"int main(void) { return 0; }\n",
                         "not a shapecheck facts file"),
        "short.scfacts": (data[: len(data) // 2], "damaged facts file"),
        "version.scfacts": (data[:8] + b"\x63" + data[9:],
                            "facts format version 99"),
        "flipped.scfacts": (data[:-1] + bytes([data[-1] ^ 0x55]),
                            "damaged facts file"),
    }
    for name, (content, message) in cases.items():
        path = os.path.join(work, name)
        with open(path, "wb") as f:
            f.write(content)
        p = sc.run([path], work, want=2)
        if f"{path}: {message}" not in p.stderr or p.stdout:
            fail(f"{name}: want '{path}: {message}', got:\n{p.stderr}")
    p = sc.run([os.path.join(work, "missing.scfacts")], work, want=2)
    if "missing.scfacts" not in p.stderr:
        fail("a missing facts file is not named:\n" + p.stderr)


def configured_project(sc, cmake, project, annotations, work):
    """Step 8, on a second copy of the project."""
    tree, build = configure(cmake, project, annotations,
                            os.path.join(work, "configured"))
    with open(os.path.join(tree, ".shapecheck"), "w") as f:
        f.write("extra-args: [-DFROM_CONFIG=1]\n")
    path = os.path.join(build, "compile_commands.json")
    with open(path) as f:
        db = json.load(f)
    for e in db:
        words = e.get("arguments") or shlex.split(e["command"])
        e.pop("command", None)
        e["arguments"] = words[:1] + ["-MD", "-MF", "dep.d"] + words[1:]
    with open(path, "w") as f:
        json.dump(db, f)
    sc.run(["-p", "build"], tree, want=1)
    p = sc.run(["-p", "build", "src/train_buggy.c"], tree, want=1)
    if BUG not in p.stdout or p.stderr:
        fail(f"with a .shapecheck and -MD in the database:\n{p.stdout}\n"
             f"stderr:\n{p.stderr}")


SUMMARY_KERNEL = """#include "shapecheck.h"
float xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n),
           int n, int c) SHAPE_LOSS(logits, labels);
int half(int b);
int batch_of(int b);
int twice(int b);
"""
SUMMARY_A = """#include "k.h"
int half(int b) { return b / 2; }
float train(void)
{
    static float logits[32][4];
    static int labels[32];
    int n = batch_of(64);
    return xent(&logits[0][0], labels, n, 4);
}
"""
SUMMARY_B = """#include "k.h"
int batch_of(int b) { return half(b); }
int twice(int b) { return 2 * b; }
"""
SUMMARY_LOSS = """#include "k.h"
float xent(const float *logits, const int *labels, int n, int c)
{
    return logits[0] + (float)labels[0] + (float)(n * c);
}
"""


def context_stats(p):
    for line in p.stderr.splitlines():
        if "stats: index:" in line:
            return line.split("index: ")[1]
    fail("--stats says nothing of the index:\n" + p.stderr)


def summaries(sc, annotations, work):
    """Step 9: a.c uses b.c's batch_of, whose summary uses a.c's half."""
    tree = os.path.join(work, "summaries")
    build = os.path.join(tree, "build")
    os.makedirs(build)
    for name, text in (("k.h", SUMMARY_KERNEL), ("a.c", SUMMARY_A),
                       ("b.c", SUMMARY_B), ("loss.c", SUMMARY_LOSS)):
        with open(os.path.join(tree, name), "w") as f:
            f.write(text)
    with open(os.path.join(build, "compile_commands.json"), "w") as f:
        json.dump([{"directory": tree, "file": n,
                    "arguments": ["cc", "-c", "-I" + annotations, n]}
                   for n in ("a.c", "b.c", "loss.c")], f)
    sc.run(["-p", "build"], tree, want=0)
    made = glob.glob(os.path.join(build, ".shapecheck", "*.entry.summary"))
    if len(made) != 3:
        fail(f"-p build: want 3 summaries beside the entries, got {made}")
    p = sc.run(["-p", "build", "a.c", "--stats"], tree, want=0)
    if context_stats(p) != "2 units by their summaries, 0 by their facts":
        fail("the other units were not read by their summaries:\n" + p.stderr)

    with open(os.path.join(tree, "a.c"), "w") as f:
        f.write(SUMMARY_A.replace("b / 2", "b"))
    p = sc.run(["-p", "build", "a.c", "--stats"], tree, want=1)
    if ("'labels' has shape [32] but parameter 'labels' of 'xent' expects "
            "[n] = [64]") not in p.stdout:
        fail("a change the other unit's summary used was missed:\n"
             + p.stdout + p.stderr)
    if context_stats(p) != "1 units by their summaries, 1 by their facts":
        fail("b.c's out-of-date summary was not replaced by its facts:\n"
             + p.stderr)
    whole = sc.run(["-p", "build", "--no-index"], tree, want=1)
    if whole.stdout != p.stdout:
        fail(f"the single-unit run differs from the whole program:\n"
             f"--- single:\n{p.stdout}--- whole:\n{whole.stdout}")

    # twice() was walked by no run (nothing that can be reported calls
    # it): b.c's summary leaves it out, and a run that needs it reads
    # b.c's facts.
    sc.run(["-p", "build"], tree, want=1)
    with open(os.path.join(tree, "a.c"), "w") as f:
        f.write(SUMMARY_A.replace("b / 2", "b")
                .replace("batch_of(64)", "twice(32)"))
    p = sc.run(["-p", "build", "a.c", "--stats"], tree, want=1)
    if "expects [n] = [64]" not in p.stdout:
        fail("a call of a function no run had walked was missed:\n"
             + p.stdout + p.stderr)
    if context_stats(p) != "1 units by their summaries, 1 by their facts":
        fail("b.c's summary, which left twice() out, was used:\n" + p.stderr)

    sc.run(["-p", "build"], tree, want=1)
    for path in glob.glob(os.path.join(build, ".shapecheck", "*.summary")):
        with open(path, "r+b") as f:
            data = f.read()
            f.seek(len(data) // 2)
            f.write(b"#")
    p = sc.run(["-p", "build", "a.c", "--stats"], tree, want=1)
    if context_stats(p) != "0 units by their summaries, 2 by their facts":
        fail("damaged summaries were used:\n" + p.stderr)


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__.split("\n\n")[1])
    sc_path, cmake, project, annotations, corpus, work = (
        a if i < 2 else os.path.abspath(a) for i, a in enumerate(sys.argv[1:]))
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    sc = Checker(sc_path)
    tree, build = configure(cmake, project, annotations, work)
    single_unit_runs(sc, tree, build)
    stale_entries(sc, tree)
    outside_the_index(sc, tree, build)
    good = link_step(sc, tree, build, corpus, work)
    bad_facts(sc, good, work)
    configured_project(sc, cmake, project, annotations, work)
    summaries(sc, annotations, work)
    print("index.py: ok")


if __name__ == "__main__":
    main()
