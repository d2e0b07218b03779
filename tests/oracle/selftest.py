"""selftest.py - the oracle checked on fixed programs (run.py --selftest).

Each program in selftest/ is built and run like a generated one.  Then:
 - every `@site ... expect=V` must have printed V on every run it reached
   ("match", "mismatch", "varies" across runs, "unknown"), and
   `extent=same|differs` the extent-batch-differs flag;
 - `via=exact|prefix|reshape` (joined by +) how its matches fit;
 - `scratch=0|1` a mismatch only against a scratch buffer's allocation;
 - `ambiguous=0|1` whether a read disagreed with a scratch buffer's
   observed shape (the observed-differs flag);
 - `finding=RULE` markers stand for the checker's findings, and `class=`
   says what classify() must make of the line: fp (a false positive),
   found, miss, extent (a batch-extent warning rightly given) or none.
The checker itself is not run: this tests the oracle, not shapecheck.
"""

import os
import re
import shutil
import tempfile

import harness

SELFTEST = os.path.join(harness.HERE, "selftest")
MARK_RE = re.compile(r"//.*?(?:@site|selftest)\b(.*)$")


def markers(text):
    """line -> {key: value} of the key=value words of each marked comment."""
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = MARK_RE.search(line)
        if m:
            out[n] = dict(w.split("=", 1) for w in m.group(1).split() if "=" in w)
    return out


def observed_extent(site):
    if not site.differs:
        return None
    if all(site.differs):
        return "differs"
    return "same" if not any(site.differs) else "varies"


def site_class(line, verdict):
    fps = {fp[1] for fp in verdict.false_positives}
    if line in fps:
        return "fp"
    if any(s.line == line for s in verdict.found):
        return "found"
    if any(s.line == line for s in verdict.missed):
        return "miss"
    if any(s.line == line for s in verdict.extent_found):
        return "extent"
    return "none"


def check_program(path, objs, work, cc):
    errors = []
    with open(path) as f:
        text = f.read()
    outcome = harness.Outcome(sites=harness.parse_sites(text), findings=[])
    exe = os.path.join(work, "prog")
    ok, err = harness.compile_program(path, exe, objs, cc)
    if not ok:
        return [f"does not compile:\n{err}"]
    failure, detail, _ = harness.run_program(exe, harness.parse_inputs(text), outcome.sites,
                                             probes=harness.parse_inputs(text, "probes"),
                                             stats=outcome.stats)
    if failure:
        return [f"{failure}: {detail}"]
    marks = markers(text)
    for line, m in sorted(marks.items()):
        site = outcome.sites.get(line)
        if "expect" in m:
            got = site.observed if site and "unknown" not in site.verdicts else "unknown"
            if got != m["expect"]:
                errors.append(f"line {line}: expected {m['expect']}, the program said "
                              f"{got} ({site.verdicts if site else 'no site'})")
        if "ambiguous" in m and site and str(int(any(site.ambiguous))) != m["ambiguous"]:
            errors.append(f"line {line}: observed-differs expected {m['ambiguous']}, "
                          f"got {site.ambiguous}")
        if "scratch" in m and site and str(int(site.undecidable)) != m["scratch"]:
            errors.append(f"line {line}: scratch-only expected {m['scratch']}, "
                          f"got {site.scratch_only}")
        if "via" in m and site and "+".join(sorted(site.via)) != m["via"]:
            errors.append(f"line {line}: matched via {m['via']} expected, got "
                          f"{'+'.join(sorted(site.via))}")
        if "extent" in m and observed_extent(site) != m["extent"]:
            errors.append(f"line {line}: extents expected {m['extent']}, "
                          f"got {observed_extent(site)}")
        if "finding" in m:
            outcome.findings.append({"rule": m["finding"], "severity": "error",
                                     "file": path, "line": line, "message": "selftest"})
    verdict = harness.classify(outcome, path)
    if verdict.failures:
        errors.append(f"classify failed: {verdict.failures}")
    for line, m in sorted(marks.items()):
        if "class" in m and site_class(line, verdict) != m["class"]:
            errors.append(f"line {line}: classified {site_class(line, verdict)}, "
                          f"expected {m['class']}")
    annotation = harness.Outcome(sites=outcome.sites, findings=[
        {"rule": "shape-annotation", "file": path, "line": 1, "message": "x"}])
    if not harness.classify(annotation, path).failures:
        errors.append("a shape-annotation finding is not a failure")
    return errors


def check_strip(path, work, cc):
    """shrink.py's strip() of PATH builds and runs alone (ASan, UBSan)."""
    import subprocess
    import shrink
    with open(path) as f:
        text = f.read()
    argv = harness.parse_inputs(text)[0]
    stripped = shrink.quiet_unused(shrink.strip(text, argv, "stripped"), cc)
    if "oracle_" in stripped:
        return ["strip() left an oracle_ call"]
    src = os.path.join(work, "stripped.c")
    with open(src, "w") as f:
        f.write(stripped)
    exe = os.path.join(work, "stripped")
    b = subprocess.run([cc] + harness.CORPUS_CFLAGS + ["-I", harness.ANNOTATIONS, src,
                                                       "-o", exe],
                       capture_output=True, text=True)
    if b.returncode:
        return [f"the stripped program does not build:\n{b.stderr}"]
    env = dict(os.environ, **harness.SAN_ENV)
    env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"].replace("detect_leaks=0", "detect_leaks=1")
    r = subprocess.run([exe], capture_output=True, text=True, env=env)
    if r.returncode or harness.SANITIZER_RE.search(r.stderr):
        return [f"the stripped program fails: {r.stderr[-2000:]}"]
    return []


def main(checker=None, cc="gcc"):
    work = tempfile.mkdtemp(prefix="oracle-selftest-")
    failed = 0
    try:
        objs = harness.build_runtime(work, cc)
        programs = sorted(p for p in os.listdir(SELFTEST) if p.endswith(".c"))
        for name in programs:
            errors = check_program(os.path.join(SELFTEST, name), objs, work, cc)
            if name == "stripped_alone.c":
                errors += check_strip(os.path.join(SELFTEST, name), work, cc)
            print(f"selftest {name}: {'ok' if not errors else 'FAILED'}")
            for e in errors:
                print("  " + e)
            failed += bool(errors)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"selftest: {len(programs) - failed} of {len(programs)} programs pass")
    return 1 if failed else 0
