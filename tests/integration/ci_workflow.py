#!/usr/bin/env python3
"""Exercises docs/github-actions/shapecheck.yml offline.

usage: ci_workflow.py WORKFLOW PROJECT WORK SHAPECHECK_DIR VALIDATOR SARIF_SCHEMA

Reads the workflow (python3-yaml), checks how its steps fit together (the
upload step takes the file the shapecheck step writes, and runs when the
check fails), then runs the steps that need no network in a copy of
PROJECT standing in for the checkout, with the shapecheck built here on
PATH: "configure" (the compile database) and "shapecheck".  The SARIF it
writes must validate against SARIF_SCHEMA (VALIDATOR: validate_schema.py)
and hold the project's finding with a checkout-relative path; after a
baseline is written, the same step must pass.  Installing packages,
checking out, building shapecheck and uploading are not run here.  The
index cache's steps are checked to take the index the check writes, and
the SARIF's message to link to every note (code scanning shows those).
"""
import json
import os
import shlex
import shutil
import subprocess
import sys

import yaml

OFFLINE_STEPS = ("configure", "shapecheck")
# What building shapecheck needs from Debian (scripts/setup.sh, less the
# test-only packages).
BUILD_PACKAGES = {"cmake", "make", "gcc", "libc6-dev", "pkg-config",
                  "libclang-dev", "libcjson-dev", "libdlpack-dev"}


def fail(msg):
    sys.exit(f"ci_workflow.py: {msg}")


def check_structure(wf):
    """The steps, by id, after checking that they fit together."""
    perms = wf.get("permissions") or {}
    if perms.get("security-events") != "write":
        fail("upload-sarif needs 'permissions: security-events: write'")
    jobs = wf.get("jobs") or {}
    if len(jobs) != 1:
        fail(f"expected one job, got {list(jobs)}")
    job = next(iter(jobs.values()))
    steps = {}
    for s in job.get("steps") or []:
        if "id" not in s:
            fail(f"every step needs an id (the test picks steps by id): {s}")
        steps[s["id"]] = s
    for needed in ("deps", "checkout", "build-shapecheck", "upload") + OFFLINE_STEPS:
        if needed not in steps:
            fail(f"no step with id '{needed}'")

    if not str(steps["checkout"].get("uses", "")).startswith("actions/checkout@"):
        fail("the 'checkout' step does not use actions/checkout")
    packages = set(steps["deps"]["run"].replace("\\\n", " ").split())
    if not BUILD_PACKAGES <= packages:
        fail(f"the 'deps' step misses {sorted(BUILD_PACKAGES - packages)}")
    build = steps["build-shapecheck"]["run"]
    for word in ("cmake --install", "GITHUB_PATH", "-DBUILD_TESTING=OFF"):
        if word not in build:
            fail(f"the 'build-shapecheck' step lacks '{word}'")

    upload = steps["upload"]
    if not str(upload.get("uses", "")).startswith("github/codeql-action/upload-sarif@"):
        fail("the 'upload' step does not use github/codeql-action/upload-sarif")
    if "failure()" not in str(upload.get("if", "")):
        fail("the 'upload' step must run when the check fails (if: ... failure())")
    sarif = (upload.get("with") or {}).get("sarif_file")
    run = steps["shapecheck"]["run"]
    words = shlex.split(run.replace("\n", " ; "))
    if "--format=sarif" not in words:
        fail("the 'shapecheck' step does not ask for --format=sarif")
    if "-o" not in words or words[words.index("-o") + 1] != sarif:
        fail(f"the 'shapecheck' step does not write the uploaded file {sarif!r}")
    for step_id in OFFLINE_STEPS:
        if "${{" in steps[step_id]["run"]:
            fail(f"step '{step_id}' uses an expression this test cannot evaluate")

    # The index cache: restored before the check, saved after it (also when
    # it failed), and its path is the index of the check's -p folder.
    restore, save = steps.get("restore-index"), steps.get("save-index")
    if not restore or not save:
        fail("no steps 'restore-index' and 'save-index' (the cached index)")
    order = list(steps)
    if not order.index("restore-index") < order.index("shapecheck") < order.index("save-index"):
        fail("the index must be restored before the check and saved after it")
    if not str(restore.get("uses", "")).startswith("actions/cache/restore@"):
        fail("'restore-index' does not use actions/cache/restore")
    if not str(save.get("uses", "")).startswith("actions/cache/save@"):
        fail("'save-index' does not use actions/cache/save")
    if "failure()" not in str(save.get("if", "")):
        fail("'save-index' must run when the check fails (if: ... failure())")
    index = (restore.get("with") or {}).get("path")
    if (save.get("with") or {}).get("path") != index:
        fail("'restore-index' and 'save-index' cache different paths")
    if "steps.restore-index.outputs.cache-primary-key" not in str(
            (save.get("with") or {}).get("key")):
        fail("'save-index' must save under the key 'restore-index' computed")
    if "-p" not in words:
        fail("the 'shapecheck' step does not use -p")
    build_dir = words[words.index("-p") + 1]
    if index != build_dir + "/.shapecheck":
        fail(f"the cached path {index!r} is not the index of -p {build_dir}")
    return steps, sarif, index


def run_step(step, workspace, env):
    """Runs STEP's shell as GitHub does ("bash -e"); returns its status."""
    print(f"--- step {step['id']}: {step.get('name', '')}", flush=True)
    rc = subprocess.run(["bash", "--noprofile", "--norc", "-e", "-c", step["run"]],
                        cwd=workspace, env=env).returncode
    print(f"--- step {step['id']}: exit status {rc}", flush=True)
    return rc


def validate(validator, schema, path):
    rc = subprocess.run([sys.executable, validator, schema, path]).returncode
    if rc != 0:
        fail(f"{path} is not valid SARIF")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def results(sarif):
    return [r for run in sarif["runs"] for r in run.get("results", [])]


def main():
    if len(sys.argv) != 7:
        sys.exit(__doc__.split("\n\n")[1])
    workflow, project, work, sc_dir, validator, schema = sys.argv[1:]
    with open(workflow, encoding="utf-8") as f:
        wf = yaml.safe_load(f)
    steps, sarif_name, index = check_structure(wf)

    # The checkout: a copy of PROJECT, a repository of its own.
    shutil.rmtree(work, ignore_errors=True)
    workspace = os.path.join(work, "workspace")
    shutil.copytree(project, workspace,
                    ignore=shutil.ignore_patterns("build", "build-*"))
    os.makedirs(os.path.join(workspace, ".git"))
    runner_temp = os.path.join(work, "runner-temp")
    os.makedirs(runner_temp)
    env = dict(os.environ)
    env.update(PATH=sc_dir + os.pathsep + env.get("PATH", ""),
               GITHUB_WORKSPACE=workspace, RUNNER_TEMP=runner_temp,
               GITHUB_PATH=os.path.join(runner_temp, "github_path"), CI="true")
    for step_id in steps:
        if step_id not in OFFLINE_STEPS:
            print(f"--- step {step_id}: not run offline")

    if run_step(steps["configure"], workspace, env) != 0:
        fail("the 'configure' step failed")
    if not os.path.exists(os.path.join(workspace, "build", "compile_commands.json")):
        fail("the 'configure' step wrote no build/compile_commands.json")

    # The project has one finding: the step fails, and the SARIF has it.
    sarif_path = os.path.join(workspace, sarif_name)
    rc = run_step(steps["shapecheck"], workspace, env)
    if rc != 1:
        fail(f"the 'shapecheck' step: exit status {rc}, expected 1 (a finding)")
    found = results(validate(validator, schema, sarif_path))
    uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in found for loc in r.get("locations", [])]
    rules = [r.get("ruleId") for r in found]
    if rules != ["shape-batch-mismatch"] or uris != ["src/train_buggy.c"]:
        fail(f"expected the finding in src/train_buggy.c, got {rules} at {uris}")
    # Code scanning shows the notes the message links to: all of them.
    text = found[0]["message"]["text"]
    ids = [loc["id"] for loc in found[0].get("relatedLocations", [])]
    if not ids or any(f"]({i})" not in text for i in ids):
        fail(f"the message does not link every related location {ids}: {text}")
    # The check wrote the index where the cache steps take it from.
    if not os.path.isdir(os.path.join(workspace, index)):
        fail(f"the 'shapecheck' step wrote no index {index}")

    # Adoption: with the finding in a committed baseline the step passes.
    rc = subprocess.run(["shapecheck", "-p", "build", "--quiet",
                         "--write-baseline", "shapecheck-baseline.json"],
                        cwd=workspace, env=env, stdout=subprocess.DEVNULL).returncode
    if rc != 1:
        fail(f"--write-baseline: exit status {rc}, expected 1")
    os.remove(sarif_path)
    rc = run_step(steps["shapecheck"], workspace, env)
    if rc != 0:
        fail(f"with the baseline, the 'shapecheck' step: exit status {rc}, expected 0")
    if results(validate(validator, schema, sarif_path)):
        fail("with the baseline, the SARIF still has results")
    print("ci_workflow.py: ok")


if __name__ == "__main__":
    main()
