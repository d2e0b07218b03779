"""harness.py - build, run and check one oracle program, and classify what
the checker said against what the program did (docs/oracle.md).

Used by run.py (many seeds), shrink.py (one program, over and over) and the
self-test.  Python 3 standard library only.
"""

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ANNOTATIONS = os.path.join(ROOT, "annotations")
sys.path.insert(0, HERE)

from kernels import prototypes  # noqa: E402

SANITIZE = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all",
            "-fno-omit-frame-pointer"]
# Generated programs must compile cleanly: any warning but the unused
# names (a program uses a random part of what it declares) is a generator
# bug.  A case for the corpus must compile with the project's flags.
CFLAGS = ["-std=c11", "-g", "-O1"] + SANITIZE + ["-Wall", "-Wextra", "-Wno-unused", "-Werror"]
CORPUS_CFLAGS = ["-std=c11", "-g", "-O1"] + SANITIZE + ["-Wall", "-Wextra", "-Werror"]
RUNTIME_CFLAGS = ["-std=c11", "-g", "-O1"] + SANITIZE + ["-Wall", "-Wextra", "-Werror"]
SAN_ENV = {
    "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:exitcode=86",
    "UBSAN_OPTIONS": "halt_on_error=1:exitcode=87:print_stacktrace=1",
}
ERROR_RULES = {"shape-batch-mismatch", "shape-mismatch"}
EXTENT_RULE = "shape-batch-extent"
SITE_RE = re.compile(r"//\s*@site\s+(\w+)\s+(\S+)(?:\s+expect=(\w+))?")
ORACLE_RE = re.compile(r"^ORACLE (\d+) (match|mismatch|unknown)( extent-batch-differs)?"
                       r"( observed-differs)?( via-prefix)?( via-reshape)?( scratch-only)?$")
SANITIZER_RE = re.compile(r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|"
                          r"runtime error:|UndefinedBehaviorSanitizer")


# ---- what the program says about itself -----------------------------------

@dataclass
class Site:
    line: int
    role: str          # call, helper, inner, scenario
    tags: frozenset
    expect: str = None  # the generator's prediction, when it made one
    verdicts: list = field(default_factory=list)  # one per execution
    runs: list = field(default_factory=list)      # the run (argv set) of each verdict
    differs: list = field(default_factory=list)   # extent-batch-differs, per execution
    differs_runs: list = field(default_factory=list)  # the run of each of those
    ambiguous: list = field(default_factory=list)  # observed-differs, per execution
    via: set = field(default_factory=set)  # how its clean matches fit: prefix, reshape, exact
    scratch_only: list = field(default_factory=list)  # a mismatch only against a scratch
    matched_runs: list = field(default_factory=list)  # (argv, how) of each clean match
    mismatched_in: set = field(default_factory=set)  # argv (a tuple) of runs with a mismatch
    same_extent_runs: list = field(default_factory=list)  # argv where a loss's extents agreed
    base_runs: int = 4  # runs from this index on are probes (parse_inputs)

    @property
    def executed(self):
        return bool(self.verdicts)

    # A finding says the call mismatches on every run: on some execution of
    # it (a loop's first trip, say), not on all of them.  So executions are
    # judged per run: a run is a counter-example when none of its
    # executions of the call mismatched and one matched cleanly.

    def _per_run(self, base_only=False):
        groups = {}
        for run, v, a in zip(self.runs, self.verdicts, self.ambiguous):
            if not base_only or run < self.base_runs:
                groups.setdefault(run, []).append((v, a))
        return groups.values()

    @property
    def matched_some_run(self):
        """A run in which the call never mismatched and matched in a way no
        reading of the SPEC can call a mismatch (not a read that disagrees
        with a scratch buffer's observed shape)."""
        return any(all(v != "mismatch" for v, _ in execs) and
                   any(v == "match" and not a for v, a in execs)
                   for execs in self._per_run())

    @property
    def mismatched_always(self):
        """Every run that reached the call mismatched at some execution."""
        return self.executed and all(any(v == "mismatch" for v, _ in execs)
                                     for execs in self._per_run())

    @property
    def mismatched_always_base(self):
        """The same on the base argv sets only (no probe run): the figure
        before probes, kept to compare with."""
        runs = list(self._per_run(base_only=True))
        return bool(runs) and all(any(v == "mismatch" for v, _ in execs)
                                  for execs in runs)

    @property
    def undecidable(self):
        """Mismatched only against unannotated scratch buffers' allocations,
        in some run: no declaration says what they hold."""
        return any(self.scratch_only)

    @property
    def extents_same_some_run(self):
        """A run in which the loss's extents agreed at every execution."""
        groups = {}
        for run, d in zip(self.differs_runs, self.differs):
            groups.setdefault(run, []).append(d)
        return any(not any(ds) for ds in groups.values())

    @property
    def observed(self):
        """The base runs' executions summed up as the generator predicts
        them (it predicts nothing of probes)."""
        verdicts = [v for v, run in zip(self.verdicts, self.runs)
                    if run < self.base_runs]
        if not verdicts or "unknown" in verdicts:
            return None
        if all(v == "match" for v in verdicts):
            return "match"
        if all(v == "mismatch" for v in verdicts):
            return "mismatch"
        return "varies"

    @property
    def is_loss(self):
        return "loss" in self.tags

    @property
    def counts_for_recall(self):
        return self.role in ("call", "helper")


def parse_sites(text):
    sites = {}
    for n, line in enumerate(text.splitlines(), 1):
        m = SITE_RE.search(line)
        if m:
            tags = frozenset(t for t in m.group(2).split(",") if t and t != "-")
            sites[n] = Site(n, m.group(1), tags, m.group(3))
    return sites


def parse_inputs(text, key="inputs"):
    """The argv sets of `// oracle-inputs:` (or of `// oracle-probes:`)."""
    m = re.search(rf"^// oracle-{key}: (.*)$", text, re.M)
    if not m:
        return [[]] if key == "inputs" else []
    return [part.split() for part in m.group(1).split("|")]


# ---- building and running ------------------------------------------------

def build_runtime(work, cc="gcc"):
    """kernels.c and oracle_rt.c, against the kernels' annotated prototypes
    (force-included, so that a definition that drifts is a compile error).
    Returns the object files."""
    os.makedirs(work, exist_ok=True)
    proto = os.path.join(work, "oracle_kernels.h")
    with open(proto, "w") as f:
        f.write(prototypes())
    objs = []
    for src in ("kernels.c", "oracle_rt.c"):
        obj = os.path.join(work, src.replace(".c", ".o"))
        cmd = [cc] + RUNTIME_CFLAGS + ["-c",
                                    "-I", ANNOTATIONS, "-I", HERE,
                                    "-include", proto,
                                    os.path.join(HERE, src), "-o", obj]
        subprocess.run(cmd, check=True)
        objs.append(obj)
    return objs


@dataclass
class Outcome:
    """Everything about one program: a failure (not about precision) stops
    classification."""
    failure: str = None        # compile, sanitizer, crash, site, checker, annotation, timeout
    detail: str = ""
    sites: dict = None
    findings: list = None
    checker_rc: int = None
    matching_run: dict = None  # line -> argv of a run where it matched
    stats: dict = field(default_factory=dict)  # probes_run, probes_cut


def compile_program(src, exe, objs, cc="gcc"):
    cmd = [cc] + CFLAGS + ["-I", ANNOTATIONS, "-I", HERE, src] + objs + ["-o", exe]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def probe_prefix(r):
    """What a probe run said while every size was in SPEC 2's domain: its
    output up to the first view with a size < 1 (a size made 0 by `A - 1`
    at A = 1, say) or, when it stopped early (an allocation of 0 rows, a
    sanitizer report: the run left the domain there), up to its stop; the
    runtime flushes each line, so the prefix is all it printed.  The bool
    says whether the run got to its end within the domain."""
    out = r.stdout.split("ORACLE-NONPOSITIVE", 1)
    clean = len(out) == 1 and r.returncode == 0 and not SANITIZER_RE.search(r.stderr)
    return out[0], clean


def run_program(exe, inputs, sites, timeout=20, probes=(), stats=None):
    """Runs EXE once per argv set of INPUTS, then of PROBES, and records
    each ORACLE line in SITES; a probe run that is not valid is dropped
    (counted in STATS).  Returns (failure, detail, matching_run)."""
    env = dict(os.environ, **SAN_ENV)
    matching_run = {}  # until every run is in: a failure returns none
    for site in sites.values():
        site.base_runs = len(inputs)
    stats = stats if stats is not None else {}
    for run, argv in enumerate(list(inputs) + list(probes)):
        probe = run >= len(inputs)
        try:
            r = subprocess.run([exe] + argv, capture_output=True, text=True,
                               timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            if probe:
                stats["probes_cut"] = stats.get("probes_cut", 0) + 1
                continue
            return "timeout", f"program did not finish with argv {argv}", matching_run
        stdout = r.stdout
        if probe:
            stdout, clean = probe_prefix(r)
            key = "probes_run" if clean else "probes_cut"
            stats[key] = stats.get(key, 0) + 1
        elif SANITIZER_RE.search(r.stderr) or r.returncode != 0:
            kind = "sanitizer" if SANITIZER_RE.search(r.stderr) else "crash"
            return kind, f"argv {argv}: exit {r.returncode}\n{r.stderr[-4000:]}", \
                matching_run
        for out in stdout.splitlines():
            m = ORACLE_RE.match(out)
            if not m:
                continue
            line = int(m.group(1))
            site = sites.get(line)
            if site is None:
                return "site", f"ORACLE line {line} is no @site line", matching_run
            site.verdicts.append(m.group(2))
            site.runs.append(run)
            if m.group(2) == "mismatch":
                site.mismatched_in.add(tuple(argv))
            site.ambiguous.append(bool(m.group(4)))
            site.scratch_only.append(bool(m.group(7)))
            if site.role in ("call", "inner", "helper") and m.group(2) != "unknown":
                site.differs.append(bool(m.group(3)))
                site.differs_runs.append(run)
                if not m.group(3):
                    site.same_extent_runs.append(argv)
            if m.group(2) == "match" and not m.group(4):
                how = {w for w, g in (("prefix", 5), ("reshape", 6)) if m.group(g)}
                site.via |= how or {"exact"}
                site.matched_runs.append((argv, how or {"exact"}))
    return None, "", counter_examples(sites)


def counter_examples(sites):
    """Keeps, as each site's matches, only those of runs in which it never
    mismatched (the runs that refute a finding); returns line -> the argv
    of the first such run."""
    matching_run = {}
    for line, site in sites.items():
        site.matched_runs = [(a, h) for a, h in site.matched_runs
                             if tuple(a) not in site.mismatched_in]
        site.via = set().union(*(h for _, h in site.matched_runs))
        if site.matched_runs:
            matching_run[line] = site.matched_runs[0][0]
    return matching_run


def checker_command(checker, src):
    # The instrumentation (oracle_rt.h) is no part of the program under
    # test: a system header, whose functions the checker takes for library
    # code that writes nothing of the program's own (docs/memory-model.md).
    return [checker, "--no-config", "--quiet", "--format=json", src, "--",
            "-I", ANNOTATIONS, "-isystem", HERE]


def run_checker(checker, src, timeout=120):
    """(failure, detail, rc, findings): status 0 or 1 with a JSON report is
    an answer; anything else (2, a signal, a timeout, no JSON) is a failure."""
    try:
        r = subprocess.run(checker_command(checker, src), capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "checker", "no answer within the time limit", None, []
    if r.returncode not in (0, 1):
        return "checker", f"exit status {r.returncode}\n{r.stderr[-4000:]}\n" \
                          f"{r.stdout[-2000:]}", r.returncode, []
    try:
        findings = json.loads(r.stdout)["findings"]
    except (ValueError, KeyError) as e:
        return "checker", f"unreadable JSON ({e})\n{r.stdout[-2000:]}", r.returncode, []
    if (r.returncode == 1) != bool(findings):
        return "checker", f"exit status {r.returncode} with {len(findings)} findings", \
            r.returncode, findings
    return None, "", r.returncode, findings


def evaluate(src, checker, objs, work, cc="gcc", inputs=None, findings=None):
    """Builds, runs and checks SRC (a path): the Outcome, not yet classified.
    FINDINGS, when given, stand for the checker's (which is not run)."""
    with open(src) as f:
        text = f.read()
    out = Outcome(sites=parse_sites(text), findings=[])
    exe = os.path.join(work, "prog")
    ok, err = compile_program(src, exe, objs, cc)
    if not ok:
        out.failure, out.detail = "compile", err[-4000:]
        return out
    probes = parse_inputs(text, "probes") if inputs is None else []
    failure, detail, matching = run_program(exe, inputs or parse_inputs(text), out.sites,
                                            probes=probes, stats=out.stats)
    out.matching_run = matching
    if failure:
        out.failure, out.detail = failure, detail
        return out
    if findings is not None:
        out.findings = findings
        return out
    failure, detail, rc, findings = run_checker(checker, src)
    out.checker_rc, out.findings = rc, findings
    if failure:
        out.failure, out.detail = failure, detail
    return out


# ---- classification -----------------------------------------------------------

@dataclass
class Verdict:
    """What one program's checker report was worth."""
    false_positives: list = field(default_factory=list)  # (class, line, rule, message)
    failures: list = field(default_factory=list)         # (kind, detail)
    expected: list = field(default_factory=list)         # sites that mismatched on every run
    found: list = field(default_factory=list)            # ... and were reported
    missed: list = field(default_factory=list)
    base_expected: list = field(default_factory=list)  # mismatched on every base run
    base_found: list = field(default_factory=list)
    extent_expected: list = field(default_factory=list)  # extents differed on every run
    extent_found: list = field(default_factory=list)
    scratch_expected: list = field(default_factory=list)  # mismatching, but only on scratch
    scratch_found: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)    # (line, predicted, observed)
    judged: int = 0  # findings held against a run (the precision's denominator)
    unknown: int = 0
    calls: int = 0
    executed: int = 0


def fp_class(rule, site, message=""):
    """What went wrong, for the tables: "reshape" when the checker holds a
    rank or an element count against the call (SPEC section 4 compares
    element counts across ranks); "prefix" when every match was through
    the prefix rule; else "value": the checker lost track of a size or a
    shape (the call matched exactly, or the message is about one dim)."""
    if site is None:
        return "stray"
    if rule == EXTENT_RULE:
        return "batch-extent"
    if "expects rank" in message or "elements)" in message:
        return "reshape"
    if site.via == {"prefix"}:
        return "prefix"
    if site.via == {"reshape"} and "logits and labels" in message:
        return "reshape"
    return "value"


def classify(outcome, filename=None):
    """A finding at a call that matched in some run is a false positive; a
    call (or helper call) that mismatched in every run with no error
    finding is a miss (unless it mismatched only against the allocation of
    an unannotated scratch buffer, which nothing declares).  A `shape-batch-extent` warning is a false positive
    at a call whose logits and labels extents had the same first dim in
    some run, or whose row count the program clamped; at a line with no
    annotated call any finding is one."""
    v = Verdict()
    if outcome.failure:
        v.failures.append((outcome.failure, outcome.detail))
        return v
    sites = outcome.sites
    errors_at = {}
    extent_at = set()
    for f in outcome.findings:
        rule, line = f.get("rule"), f.get("line")
        where = f.get("file") or ""
        if filename and os.path.basename(where) != os.path.basename(filename):
            v.judged += 1
            v.false_positives.append(("stray", line, rule, f.get("message", "")))
            continue
        if rule not in ERROR_RULES and rule != EXTENT_RULE:
            # shape-annotation, clang-diagnostic-error: never right here
            v.failures.append(("annotation" if rule == "shape-annotation" else "checker",
                               f"{where}:{line}: {f.get('message')} [{rule}]"))
            continue
        site = sites.get(line)
        if site is None or site.role not in ("call", "helper", "inner", "scenario"):
            v.judged += 1
            v.false_positives.append(("stray", line, rule, f.get("message", "")))
            continue
        if not site.executed:
            continue  # never ran: nothing to hold it against
        v.judged += 1
        if rule in ERROR_RULES:
            errors_at[line] = f
            if site.matched_some_run:
                v.false_positives.append((fp_class(rule, site, f["message"]), line, rule,
                                          f["message"]))
        else:
            extent_at.add(line)
            clamped = "clamp-both" in site.tags and site.is_loss and site.role == "call"
            if site.extents_same_some_run or not site.is_loss:
                v.false_positives.append(("batch-extent", line, rule, f["message"]))
            elif clamped:
                v.false_positives.append(("batch-extent-clamped", line, rule, f["message"]))
    for line, site in sorted(sites.items()):
        if site.role not in ("call", "helper", "inner"):
            continue
        v.calls += 1
        if "unknown" in site.verdicts:
            v.unknown += 1
        if not site.executed:
            continue
        v.executed += 1
        if site.expect and site.observed and site.expect != site.observed:
            v.disagreements.append((line, site.expect, site.observed))
        if not site.counts_for_recall:
            continue
        if site.mismatched_always_base and not site.undecidable:
            v.base_expected.append(site)
            if line in errors_at:
                v.base_found.append(site)
        if site.mismatched_always and site.undecidable:
            v.scratch_expected.append(site)
            if line in errors_at:
                v.scratch_found.append(site)
        elif site.mismatched_always:
            v.expected.append(site)
            (v.found if line in errors_at else v.missed).append(site)
        elif (site.is_loss and site.role == "call" and all(site.differs) and
              site.observed == "match" and "clamp-both" not in site.tags):
            v.extent_expected.append(site)
            if line in extent_at:
                v.extent_found.append(site)
    return v
