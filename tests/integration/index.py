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
     records them): the single-unit run still uses the index.
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
    print("index.py: ok")


if __name__ == "__main__":
    main()
