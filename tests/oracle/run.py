#!/usr/bin/env python3
"""run.py - the differential oracle: generate, build, run and check many
programs, and compare the checker's findings with what the programs did.

    tests/oracle/run.py --seeds 0:200 -j2            # the CI range
    tests/oracle/run.py --seeds 0:5000 -j2 --table   # a longer run
    tests/oracle/run.py --selftest                   # the rule on fixed programs

A finding at a call that matched in some run is a false positive: the run
fails.  So does a sanitizer report in a generated program, a checker crash
or exit status 2, or a finding the generated programs never deserve
(`shape-annotation`).  A call that mismatched in every run with no finding
is a miss: recall is printed, overall and by construct, and never fails.
Failing programs are saved in --out.  See docs/oracle.md.
"""

import argparse
import collections
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen  # noqa: E402
import harness  # noqa: E402

DEFAULT_CHECKER = os.path.join(harness.ROOT, "build-oracle", "checker", "shapecheck")


def seed_range(text):
    """A:B (A..B-1), or seeds and ranges separated by commas."""
    seeds = []
    for part in text.split(","):
        a, _, b = part.partition(":")
        seeds += range(int(a), int(b)) if b else [int(a)]
    return seeds


def check_seed(seed, checker, objs, work_root, out_dir, cc):
    """Generates and judges program SEED; returns a summary (picklable)."""
    work = os.path.join(work_root, f"s{seed}")
    os.makedirs(work, exist_ok=True)
    src = os.path.join(work, f"oracle_{seed}.c")
    with open(src, "w") as f:
        f.write(gen.generate(seed))
    outcome = harness.evaluate(src, checker, objs, work, cc)
    v = harness.classify(outcome, src)
    summary = {
        "seed": seed,
        "fps": [(c, line, rule, msg, sorted(site_tags(outcome, line)))
                for c, line, rule, msg in v.false_positives],
        "failures": v.failures,
        "calls": v.calls, "executed": v.executed, "unknown": v.unknown,
        "expected": [sorted(s.tags) for s in v.expected],
        "found": [sorted(s.tags) for s in v.found],
        "missed": [(s.line, sorted(s.tags)) for s in v.missed],
        "base_expected": len(v.base_expected),
        "base_found": len(v.base_found),
        "probes_run": outcome.stats.get("probes_run", 0),
        "probes_cut": outcome.stats.get("probes_cut", 0),
        "extent_expected": len(v.extent_expected),
        "extent_found": len(v.extent_found),
        "scratch_expected": len(v.scratch_expected),
        "scratch_found": len(v.scratch_found),
        "disagreements": v.disagreements,
        "judged": v.judged,
    }
    if (v.false_positives or v.failures) and out_dir:
        os.makedirs(out_dir, exist_ok=True)
        shutil.copy(src, os.path.join(out_dir, f"oracle_{seed}.c"))
        with open(os.path.join(out_dir, f"oracle_{seed}.txt"), "w") as f:
            f.write(report_text(seed, v, outcome))
    shutil.rmtree(work, ignore_errors=True)
    return summary


def clear_failures(out_dir):
    """Drops the programs an earlier run saved (only those: oracle_N.c/.txt)."""
    if not os.path.isdir(out_dir):
        return
    for name in os.listdir(out_dir):
        if re.fullmatch(r"oracle_\d+\.(c|txt)", name):
            os.remove(os.path.join(out_dir, name))


def site_tags(outcome, line):
    site = outcome.sites.get(line) if outcome.sites else None
    return site.tags if site else ()


def report_text(seed, v, outcome):
    lines = [f"seed {seed}"]
    for c, line, rule, msg in v.false_positives:
        run = (outcome.matching_run or {}).get(line)
        lines.append(f"false positive ({c}) at line {line}: {msg} [{rule}]"
                     + (f"; matched with argv {' '.join(run)}" if run else ""))
    for kind, detail in v.failures:
        lines.append(f"failure ({kind}): {detail}")
    return "\n".join(lines) + "\n"


def tally(summaries):
    t = collections.Counter()
    by_tag = collections.defaultdict(collections.Counter)
    fp_classes = collections.Counter()
    fp_tags = collections.Counter()
    failures = collections.Counter()
    for s in summaries:
        t["programs"] += 1
        for key in ("calls", "executed", "unknown", "extent_expected", "extent_found",
                    "judged", "scratch_expected", "scratch_found"):
            t[key] += s[key]
        for key in ("base_expected", "base_found", "probes_run", "probes_cut"):
            t[key] += s.get(key, 0)
        t["expected"] += len(s["expected"])
        t["found"] += len(s["found"])
        # A call none of whose sizes comes from argv does the same on every
        # execution: "mismatched on every run" is "cannot match" there.
        # One with an argv size mismatched on the four argv sets tried,
        # which a checker that takes a size to be any value >= 1 may not
        # call a bug (docs/oracle.md).
        t["fixed_expected"] += sum("argv" not in tags for tags in s["expected"])
        t["fixed_found"] += sum("argv" not in tags for tags in s["found"])
        t["disagreements"] += len(s["disagreements"])
        t["fps"] += len(s["fps"])
        t["fp_programs"] += bool(s["fps"])
        for c, _, _, _, tags in s["fps"]:
            fp_classes[c] += 1
            for tag in tags:
                fp_tags[tag] += 1
        for kind, _ in s["failures"]:
            failures[kind] += 1
        for tags in s["expected"]:
            for tag in tags + ["all"]:
                by_tag[tag]["expected"] += 1
        for tags in s["found"]:
            for tag in tags + ["all"]:
                by_tag[tag]["found"] += 1
    return t, by_tag, fp_classes, fp_tags, failures


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def print_report(summaries, elapsed, table, out=sys.stdout):
    t, by_tag, fp_classes, fp_tags, failures = tally(summaries)
    seeds = sorted(s["seed"] for s in summaries)
    span = f"seeds {seeds[0]}..{seeds[-1]}" if seeds else "no seeds"
    w = out.write
    w(f"oracle: {t['programs']} programs ({span}) in {elapsed:.0f} s: "
      f"{t['calls']} annotated calls, {t['executed']} executed, "
      f"{t['unknown']} undecidable\n")
    w(f"  mismatching on every run: {t['expected']}, found {t['found']}: "
      f"recall {pct(t['found'], t['expected'])}\n")
    w(f"  on the four base argv sets only (no probe run): {t['base_expected']}, found "
      f"{t['base_found']}: recall {pct(t['base_found'], t['base_expected'])}; probe runs "
      f"{t['probes_run']} clean, {t['probes_cut']} counted up to a size < 1\n")
    w(f"  of them with no size from argv (every run is every execution): "
      f"{t['fixed_expected']}, found {t['fixed_found']}: recall "
      f"{pct(t['fixed_found'], t['fixed_expected'])}\n")
    classes = ", ".join(f"{c} {n}" for c, n in fp_classes.most_common())
    w(f"  false positives: {t['fps']}" + (f" ({classes}) in {t['fp_programs']} programs"
                                          if t['fps'] else "") +
      f"; precision {pct(t['judged'] - t['fps'], t['judged'])} of {t['judged']} findings\n")
    fails = ", ".join(f"{k} {n}" for k, n in failures.most_common())
    w(f"  failures (sanitizer, checker crash, compile, ...): {sum(failures.values())}"
      + (f" ({fails})" if fails else "") + "\n")
    w(f"  not in recall: {t['scratch_expected']} calls mismatching only against an "
      f"unannotated scratch buffer's allocation ({t['scratch_found']} reported)\n")
    w(f"  batch-extent warnings: {t['extent_found']} of {t['extent_expected']} calls "
      f"whose views matched but extents differed on every run\n")
    w(f"  generator model disagreements: {t['disagreements']} (not a failure)\n")
    if table:
        print_table(by_tag, fp_tags, t["fps"], out)
    return t, failures


def print_table(by_tag, fp_tags, total_fps, out=sys.stdout):
    w = out.write
    w("\n  recall by construct (a call counts under every construct its values went through)\n")
    w(f"  {'construct':<20} {'mismatching':>11} {'found':>7} {'recall':>8} {'FPs':>6}\n")
    groups = []
    for name, tags in gen.GROUPS.items():
        exp = sum(by_tag[tg]["expected"] for tg in tags)
        fnd = sum(by_tag[tg]["found"] for tg in tags)
        fps = sum(fp_tags[tg] for tg in tags)
        groups.append((name, exp, fnd, fps))
    for name, exp, fnd, fps in groups:
        w(f"  {'[' + name + ']':<20} {exp:>11} {fnd:>7} {pct(fnd, exp):>8} {fps:>6}\n")
    tags = sorted((set(by_tag) | set(fp_tags)) - {"all", "inner"})
    for tag in tags:
        exp, fnd = by_tag[tag]["expected"], by_tag[tag]["found"]
        w(f"  {tag:<20} {exp:>11} {fnd:>7} {pct(fnd, exp):>8} {fp_tags[tag]:>6}\n")
    exp, fnd = by_tag["all"]["expected"], by_tag["all"]["found"]
    w(f"  {'all':<20} {exp:>11} {fnd:>7} {pct(fnd, exp):>8} {total_fps:>6}\n")


def print_targets(t, wanted):
    if not wanted:
        return
    recall = t["found"] / t["expected"] if t["expected"] else 1.0
    precise = t["fps"] == 0
    fixed = (t["fixed_found"] / t["fixed_expected"]
             if t["fixed_expected"] else 1.0)
    print(f"\n  targets: recall >= 90%: {'holds' if recall >= 0.9 else 'MISSED'} "
          f"({100 * recall:.1f}%; {100 * fixed:.1f}% with no size from argv); "
          f"precision 100%: {'holds' if precise else 'MISSED'} "
          f"({pct(t['judged'] - t['fps'], t['judged'])})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", default="0:100",
                    help="A:B, the seeds A..B-1 (default 0:100); or a list, 3,7,10:20")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 1, help="programs at once")
    ap.add_argument("--checker", default=os.environ.get("SHAPECHECK", DEFAULT_CHECKER))
    ap.add_argument("--cc", default=os.environ.get("CC_ORACLE", "gcc"))
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "shapecheck-oracle"),
                    help="where failing programs are saved")
    ap.add_argument("--table", action="store_true", help="recall by construct")
    ap.add_argument("--json", help="write the per-program summaries to this file")
    ap.add_argument("--targets", action="store_true",
                    help="say whether issue 10's targets hold (recall >= 90%%, precision 100%%)")
    ap.add_argument("--selftest", action="store_true",
                    help="check the rule and the classification on selftest/")
    ap.add_argument("--from-json", nargs="+", metavar="FILE",
                    help="only print the report of saved --json summaries (a later "
                         "file's seeds replace an earlier one's)")
    args = ap.parse_args()
    if args.from_json:
        by_seed = {}
        for path in args.from_json:
            with open(path) as f:
                by_seed.update((s["seed"], s) for s in json.load(f))
        t, failures = print_report(list(by_seed.values()), 0, args.table)
        print_targets(t, args.targets)
        return 1 if t["fps"] or sum(failures.values()) else 0
    if args.selftest:
        import selftest
        return selftest.main(args.checker, args.cc)
    if not os.access(args.checker, os.X_OK):
        sys.exit(f"run.py: no checker at {args.checker} (build it, or give --checker)")
    clear_failures(args.out)
    work_root = tempfile.mkdtemp(prefix="oracle-")
    start = time.time()
    try:
        objs = harness.build_runtime(os.path.join(work_root, "rt"), args.cc)
        seeds = list(seed_range(args.seeds))
        with ProcessPoolExecutor(max_workers=max(1, args.j)) as pool:
            futures = [pool.submit(check_seed, seed, args.checker, objs, work_root,
                                   args.out, args.cc) for seed in seeds]
            summaries = []
            for fut in futures:
                s = fut.result()
                summaries.append(s)
                for c, line, rule, msg, _ in s["fps"]:
                    print(f"seed {s['seed']}: false positive ({c}) at line {line}: "
                          f"{msg} [{rule}]", flush=True)
                for kind, detail in s["failures"]:
                    first = detail.strip().splitlines()[0] if detail.strip() else ""
                    print(f"seed {s['seed']}: failure ({kind}): {first}", flush=True)
    finally:
        shutil.rmtree(work_root, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summaries, f)
    t, failures = print_report(summaries, time.time() - start, args.table)
    print_targets(t, args.targets)
    bad = t["fps"] or sum(failures.values())
    if bad:
        print(f"oracle: FAILED; the programs are in {args.out} "
              f"(tests/oracle/shrink.py reduces one)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
