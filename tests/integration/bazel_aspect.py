#!/usr/bin/env python3
"""bazel_aspect.py CMAKE BUILD_DIR SOURCE_DIR WORK

The Bazel aspect (integrations/bazel/shapecheck.bzl,
docs/build-integration.md) on corpus/project, offline, with Debian's
bazel-bootstrap (4.2.3):

 1. installs the checker component of BUILD_DIR into WORK/prefix and makes a
    workspace of corpus/project's sources, integrations/bazel and a
    test-only rules_cc (bazel/rules_cc: the native rules under rules_cc's
    names);
 2. builds //:train_ok with the aspect, under the linux-sandbox (only the
    declared inputs are in an action's tree) and with --disk_cache: the
    facts actions (one per C source: 4) and the link actions (train_ok's,
    net's) run in the sandbox, with the checker among their inputs;
 3. after "bazel clean", builds it again: every shapecheck action is a
    disk cache hit, none runs;
 4. builds //:train_buggy: the build fails, with the cross-file finding.

Exit status 77 (ctest's SKIP_RETURN_CODE) when bazel, or Debian's
rules_java it runs offline with, is not installed.
"""
import json
import os
import shutil
import subprocess
import sys
import time

RULES_JAVA = "/usr/share/bazel/rules/java"
ASPECT = "//integrations/bazel:shapecheck.bzl%shapecheck_aspect"
FINDING = ("train_buggy.c:21:35: error: logits and labels must have the same "
           "first dimension: 'logits' is [batch, 4] but 'labels' is "
           "[batch/2] in call to 'batch_loss' [shape-batch-mismatch]")
MNEMONICS = ("ShapecheckFacts", "ShapecheckLink")


def fail(message):
    print("bazel_aspect.py: FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def skip(message):
    print("bazel_aspect.py: SKIPPED: " + message)
    sys.exit(77)


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


def exec_log(path):
    """The spawns of an --execution_log_json_file (concatenated objects)."""
    text = open(path).read()
    decoder = json.JSONDecoder()
    spawns, i = [], 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return spawns
        spawn, i = decoder.raw_decode(text, i)
        spawns.append(spawn)


def without_sandbox_debug(output):
    # Debian's linux-sandbox logs its steps on every action's stderr.
    return "\n".join(line for line in output.splitlines()
                     if "src/main/tools/" not in line)


def main():
    cmake, build, source, work = sys.argv[1:5]
    bazel = shutil.which("bazel")
    if not bazel:
        skip("bazel is not installed (Debian: apt-get install "
             "bazel-bootstrap bazel-rules-java)")
    if not os.path.isdir(RULES_JAVA):
        skip(RULES_JAVA + " is missing (Debian: apt-get install "
             "bazel-rules-java)")

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    prefix = os.path.join(work, "prefix")
    r = run([cmake, "--install", build, "--prefix", prefix,
             "--component", "checker"])
    if r.returncode != 0:
        fail("cmake --install --component checker:\n" + r.stdout)

    here = os.path.dirname(os.path.abspath(__file__))
    ws = os.path.join(work, "ws")
    project = os.path.join(source, "corpus", "project")
    shutil.copytree(os.path.join(project, "src"), os.path.join(ws, "src"))
    shutil.copytree(os.path.join(project, "include"),
                    os.path.join(ws, "include"))
    shutil.copytree(os.path.join(source, "integrations", "bazel"),
                    os.path.join(ws, "integrations", "bazel"))
    shutil.copy(os.path.join(here, "bazel", "BUILD.project"),
                os.path.join(ws, "BUILD"))
    with open(os.path.join(here, "bazel", "WORKSPACE.in")) as f:
        workspace = f.read().replace("@PREFIX@", prefix)
    with open(os.path.join(ws, "WORKSPACE"), "w") as f:
        f.write(workspace)
    rules_cc = os.path.join(work, "rules_cc")
    shutil.copytree(os.path.join(here, "bazel", "rules_cc"), rules_cc)

    startup = [bazel, "--output_user_root=" + os.path.join(work, "root"),
               "--max_idle_secs=60"]
    common = [
        "--override_repository=rules_java=" + RULES_JAVA,
        "--override_repository=rules_cc=" + rules_cc,
        "--aspects=" + ASPECT,
        "--output_groups=shapecheck",
        "--//integrations/bazel:shapecheck=@shapecheck_tool//:shapecheck",
        "--disk_cache=" + os.path.join(work, "disk-cache"),
        "--spawn_strategy=linux-sandbox",
        "--color=no", "--curses=no", "--noshow_progress",
    ]

    def bazel_build(target, log):
        args = startup + ["build", target] + common
        if log:
            args.append("--execution_log_json_file=" + log)
        start = time.monotonic()
        r = run(args, cwd=ws)
        elapsed = time.monotonic() - start
        return r.returncode, without_sandbox_debug(r.stdout), elapsed

    try:
        # 2. Cold: every action runs, in the linux-sandbox.
        log1 = os.path.join(work, "exec1.json")
        rc, out, t1 = bazel_build("//:train_ok", log1)
        if rc != 0:
            if "linux-sandbox" in out and "not" in out and "support" in out:
                skip("the linux-sandbox does not work here:\n" + out)
            fail("//:train_ok with the aspect failed:\n" + out)
        report = os.path.join(ws, "bazel-bin", "train_ok.shapecheck.txt")
        if not os.path.exists(report):
            fail("no report bazel-bin/train_ok.shapecheck.txt:\n" + out)
        spawns = [s for s in exec_log(log1) if s.get("mnemonic") in MNEMONICS]
        facts = [s for s in spawns if s["mnemonic"] == "ShapecheckFacts"]
        links = [s for s in spawns if s["mnemonic"] == "ShapecheckLink"]
        if len(facts) != 4 or len(links) != 1:
            fail("cold build: %d facts and %d link actions, not 4 and 1:\n%s"
                 % (len(facts), len(links), out))
        for s in spawns:
            if s.get("runner") != "linux-sandbox":
                fail("%s ran with '%s', not the linux-sandbox"
                     % (s["mnemonic"], s.get("runner")))
            inputs = [i["path"] for i in s.get("inputs", [])]
            if "external/shapecheck_tool/bin/shapecheck" not in inputs:
                fail("the checker is not an input of %s: %s"
                     % (s["mnemonic"], inputs))
            if not any(p.endswith("include/shapecheck.h") for p in inputs):
                fail("the checker's shapecheck.h is not an input of %s"
                     % s["mnemonic"])
        print("cold build: %d facts actions, %d link action, in the "
              "linux-sandbox, %.1f s" % (len(facts), len(links), t1))

        # 3. After bazel clean: all from the disk cache, nothing runs.
        r = run(startup + ["clean"], cwd=ws)
        if r.returncode != 0:
            fail("bazel clean:\n" + r.stdout)
        log2 = os.path.join(work, "exec2.json")
        rc, out, t2 = bazel_build("//:train_ok", log2)
        if rc != 0:
            fail("second build failed:\n" + out)
        spawns = [s for s in exec_log(log2) if s.get("mnemonic") in MNEMONICS]
        ran = [s for s in spawns if not s.get("remoteCacheHit")]
        if len(spawns) != 5 or ran:
            fail("second build: %d shapecheck actions, %d of them run, not "
                 "5 cache hits:\n%s" % (len(spawns), len(ran), out))
        print("second build (after bazel clean): 0 shapecheck actions run, "
              "5 disk cache hits, %.1f s" % t2)

        # 4. The buggy program: the link action fails the build.
        rc, out, t3 = bazel_build("//:train_buggy", None)
        if rc == 0:
            fail("//:train_buggy built, but its check should fail it:\n"
                 + out)
        if FINDING not in out:
            fail("//:train_buggy failed without the finding:\n" + out)
        if "ShapecheckLink" not in out and "shapecheck //:train_buggy" \
                not in out:
            fail("the failed action is not the link action:\n" + out)
        print("//:train_buggy: the build fails on the finding, %.1f s" % t3)
    finally:
        run(startup + ["shutdown"], cwd=ws)
    print("bazel_aspect.py: ok")


if __name__ == "__main__":
    main()
