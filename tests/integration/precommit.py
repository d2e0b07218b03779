#!/usr/bin/env python3
"""Runs the hook of .pre-commit-hooks.yaml the way pre-commit would.

usage: precommit.py HOOKS SHAPECHECK_DIR BUGGY CLEAN COMPDB_TREE WORK

pre-commit runs a "language: system" hook from the top of the repository
as ENTRY ARGS... FILE... (FILE relative to the top, filtered by "files" and
"types").  This copies BUGGY and CLEAN (two C files) into a scratch
repository, runs the hook's command on each and on both (the built
shapecheck first on PATH) and expects exit statuses 1, 0 and 1; then, in
a copy of COMPDB_TREE (a tree with build/compile_commands.json), it runs
it with "args: [-p, build]" as docs/ci.md suggests.
"""
import os
import re
import shlex
import shutil
import subprocess
import sys

import yaml


def fail(msg):
    sys.exit(f"precommit.py: {msg}")


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__.split("\n\n")[1])
    hooks_file, sc_dir, buggy, clean, compdb_tree, work = sys.argv[1:]
    with open(hooks_file, encoding="utf-8") as f:
        hooks = {h["id"]: h for h in yaml.safe_load(f)}
    hook = hooks.get("shapecheck") or fail("no hook with id 'shapecheck'")
    if hook.get("language") != "system":
        fail("the hook should be 'language: system'")
    if hook.get("types") != ["c"]:
        fail(f"the hook should take 'types: [c]', not {hook.get('types')}")
    if not hook.get("require_serial"):
        fail("the hook should be require_serial: the analysis is whole-program")
    files_re = re.compile(hook.get("files", ""))
    for name, wanted in (("src/train.c", True), ("include/model.h", False)):
        if bool(files_re.search(name)) != wanted:
            fail(f"'files' should {'' if wanted else 'not '}take {name}")

    env = dict(os.environ, PATH=sc_dir + os.pathsep + os.environ.get("PATH", ""))
    command = shlex.split(hook["entry"]) + list(hook.get("args", []))

    def run(cwd, extra_args, files):
        p = subprocess.run(command + extra_args + files, cwd=cwd, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
        print(f"$ {shlex.join(command + extra_args + files)}  # in {cwd}")
        print(p.stdout, end="")
        print(f"exit status {p.returncode}")
        return p.returncode, p.stdout

    shutil.rmtree(work, ignore_errors=True)
    repo = os.path.join(work, "repo")
    os.makedirs(os.path.join(repo, ".git"))
    os.makedirs(os.path.join(repo, "src"))
    shutil.copy(buggy, os.path.join(repo, "src", "buggy.c"))
    shutil.copy(clean, os.path.join(repo, "src", "clean.c"))

    rc, out = run(repo, [], ["src/buggy.c"])
    if rc != 1 or "src/buggy.c:" not in out or "[shape-batch-mismatch]" not in out:
        fail("the hook should fail on src/buggy.c with its finding")
    rc, out = run(repo, [], ["src/clean.c"])
    if rc != 0 or out:
        fail("the hook should pass src/clean.c silently")
    rc, _ = run(repo, [], ["src/clean.c", "src/buggy.c"])
    if rc != 1:
        fail("the hook should fail when one of the files has a finding")

    # A project's .pre-commit-config.yaml may add "args: [-p, build]".  A
    # copy of the tree: the run keeps the project index in build/.
    tree = os.path.join(work, "compdb")
    shutil.copytree(compdb_tree, tree)
    rc, out = run(tree, ["-p", "build"], ["src/train.c"])
    if rc != 1 or "[8, 4]" not in out:
        fail("with -p build, the hook should use build/compile_commands.json")
    print("precommit.py: ok")


if __name__ == "__main__":
    main()
