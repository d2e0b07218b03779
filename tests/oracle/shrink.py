#!/usr/bin/env python3
"""shrink.py - reduce an oracle program with a false positive to a small
case, ready for the corpus.

    tests/oracle/shrink.py /tmp/shapecheck-oracle/oracle_17.c
    tests/oracle/shrink.py PROGRAM.c --line 132 -o tests/oracle/found/fp_17.c

Delta debugging on lines: blocks (functions, loops, branches, struct
definitions) and single lines are removed, from the end of the file up,
for as long as the program still
  - gets the same finding (same rule) from the checker at the same call,
  - builds, runs under ASan and UBSan without a report, and
  - matched at that call in some run, through the same rule of SPEC
    section 4 (the false positive's class stays the same).
The result is then stripped of the oracle's instrumentation (plain kernel
definitions, calloc, the sizes of a run where the call matched as argv
defaults) and checked again, so that it builds and runs alone, with
`// expected-no-diagnostics` when the false positive is its only finding.
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import harness  # noqa: E402
from kernels import CONSTRUCTORS, KERNELS, PLAIN  # noqa: E402

TARGET = "@target"


class Shrinker:
    def __init__(self, checker, cc, work, rule, fp_class, kind, inputs):
        self.checker, self.cc, self.work = checker, cc, work
        self.rule, self.fp_class, self.kind, self.inputs = rule, fp_class, kind, inputs
        self.objs = harness.build_runtime(os.path.join(work, "rt"), cc)
        self.cache = {}
        self.tests = 0

    def path(self):
        return os.path.join(self.work, "case.c")

    def interesting(self, lines):
        text = "\n".join(lines) + "\n"
        key = hashlib.sha1(text.encode()).hexdigest()
        if key not in self.cache:
            self.cache[key] = self._test(text)
        return self.cache[key]

    def _test(self, text):
        self.tests += 1
        target = target_line(text)
        if target is None:
            return False
        src = self.path()
        with open(src, "w") as f:
            f.write(text)
        failure, _, _, findings = harness.run_checker(self.checker, src)
        if failure or not any(f.get("rule") == self.rule and f.get("line") == target
                              for f in findings):
            return False
        outcome = harness.evaluate(src, self.checker, self.objs, self.work, self.cc,
                                   self.inputs, findings)
        verdict = harness.classify(outcome, src)
        return any(line == target and rule == self.rule and cls == self.fp_class and
                   message_kind(message) == self.kind
                   for cls, line, rule, message in verdict.false_positives)


DECL_RE = re.compile(r"^(\s*)((?:struct|union) \w+|int|unsigned) (\w+);$")


def initialised(text):
    """TEXT with every local declared without a value given one (0, {0}):
    the program assigns each before use, but shrinking may remove an
    assignment, and an uninitialised size is undefined behaviour that
    neither ASan nor UBSan reports."""
    out, in_type = [], False
    for line in text.splitlines():
        if re.match(r"(struct|union) \w+ \{$", line):
            in_type = True  # members, not locals
        elif line.startswith("};"):
            in_type = False
        m = not in_type and DECL_RE.match(line)
        if m:
            zero = "{0}" if m.group(2).split()[0] in ("struct", "union") else "0"
            line = f"{m.group(1)}{m.group(2)} {m.group(3)} = {zero};"
        out.append(line)
    return "\n".join(out) + "\n"


def message_kind(message):
    """What the checker holds against the call, which shrinking keeps: a
    rank, an int argument, a symbol bound twice, a dimension, the batch."""
    for kind, pattern in (("batch", "logits and labels"), ("rank", "expects rank"),
                          ("symbol", "(bound by"), ("int-arg", "(passed as"),
                          ("dim", "expects [")):
        if pattern in message:
            return kind
    return "other"


def runs_for_class(site, fp_class, inputs):
    """The argv sets to shrink with: one run where SITE matched the way its
    class says (exactly for "value", through the prefix rule for "prefix"),
    or, for the batch-extent warning, every run."""
    if fp_class.startswith("batch-extent") or not site.matched_runs:
        return inputs
    want = {"value": "exact", "prefix": "prefix", "reshape": "reshape"}.get(fp_class)
    for argv, how in site.matched_runs:
        if want in how:
            return [argv]
    return [site.matched_runs[0][0]]


def target_line(text):
    for n, line in enumerate(text.splitlines(), 1):
        if TARGET in line:
            return n
    return None


def block_end(lines, i):
    """The index of the line that closes the block line I opens, or None."""
    if not lines[i].rstrip().endswith("{"):
        return None
    depth = 0
    for j in range(i, len(lines)):
        code = lines[j].split("//")[0]
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            return j
    return None


def close_of(lines, i, depth):
    for j in range(i, len(lines)):
        code = lines[j].split("//")[0]
        depth += code.count("{") - code.count("}")
        if depth <= 0:
            return j
    return None


def spans(lines, i):
    """What to try removing at line I, as (first, last) line indices: its
    block, a one-statement if/for with its body, an else branch, the line
    alone, or (unwrapping) the block's first and last lines only."""
    out = []
    stripped = lines[i].strip()
    if not stripped or stripped.startswith("// oracle-inputs"):
        return out
    if stripped == "} else {":
        end = close_of(lines, i + 1, 1)
        if end is not None:
            out.append([(i, end - 1)])  # the else branch; its "}" closes the if
        return out
    end = block_end(lines, i)
    if end is not None:
        out.append([(i, end)])
        if re.match(r"(if|while|for)\b", stripped) and lines[end].strip() == "}":
            out.append([(i, i), (end, end)])  # keep the body
    if i + 1 < len(lines) and lines[i + 1].strip() == "{":
        end = block_end(lines, i + 1)  # a function: its head and body
        if end is not None:
            out.append([(i, end)])
    if re.match(r"(if|for|while)\b.*\)$", stripped) and i + 1 < len(lines):
        out.append([(i, i + 1)])
        if stripped.startswith("if"):
            out.append([(i, i)])  # keep the statement
    if stripped not in ("{", "}") and not stripped.endswith("{"):
        out.append([(i, i)])
    return out


def without(lines, ranges):
    drop = set()
    for a, b in ranges:
        drop.update(range(a, b + 1))
    return [line for n, line in enumerate(lines) if n not in drop]


def one_pass(lines, test):
    i = len(lines) - 1
    while i >= 0:
        for ranges in spans(lines, i):
            if any(TARGET in line for a, b in ranges for line in lines[a:b + 1]):
                continue
            cand = without(lines, ranges)
            if test(cand):
                lines = cand
                break
        i = min(i, len(lines)) - 1
    return lines


def shrink(lines, test, log):
    while True:
        before = len(lines)
        lines = one_pass(lines, test)
        log(f"shrink: {before} -> {len(lines)} lines")
        if len(lines) == before:
            return lines


# ---- stripping the instrumentation -----------------------------------------

def split_args(text, start):
    """The arguments of the call whose '(' is at START, and the index after ')'."""
    depth, args, cur = 0, [], ""
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif ch == ")":
            depth -= 1
            if depth == 0:
                args.append(cur.strip())
                return args, i + 1
        elif ch == "," and depth == 1:
            args.append(cur.strip())
            cur = ""
            continue
        cur += ch
    raise ValueError("unbalanced call")


def replace_call(line, name, make):
    while True:
        m = re.search(r"\b%s\(" % name, line)
        if not m:
            return line
        args, end = split_args(line, m.end() - 1)
        line = line[:m.start()] + make(args) + line[end:]


def product(dims):
    return " * ".join("(size_t)" + re.sub(r"^\(long\)", "", d) for d in dims)


KEEP = """/* Allocations stay reachable until exit: no leak to report. */
static void *kept[256];
static int nkept;
static void *keep(void *p)
{
    if (nkept < 256)
        kept[nkept++] = p;
    return p;
}"""


def strip(text, argv, note):
    out = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("// oracle-inputs:"):
            continue
        if s.startswith("oracle_reg("):
            array = split_args(s, s.index("("))[0][0]  # oracle_reg zeroed it
            out.append(line[:len(line) - len(line.lstrip())] +
                       f"memset({array}, 0, sizeof {array});")
            continue
        if s.startswith("/* oracle program"):
            continue
        if line == '#include "oracle_rt.h"':
            out += ["#include <stdlib.h>", "#include <string.h>", "", "@KEEP@"]
            continue
        line = line.replace("oracle_at(__LINE__); ", "")
        line = line.replace("oracle_enter(__LINE__); ", "").replace(" oracle_leave();", "")
        line = replace_call(line, "oracle_alloc",
                            lambda a: f"keep(calloc({product(a[2:])}, {a[0]}))")
        line = replace_call(line, "oracle_scratch",
                            lambda a: f"keep(calloc({product(a[1:2])}, {a[0]}))")
        line = replace_call(line, "oracle_arg",
                            lambda a: f"({a[0]} > {a[2]} ? atoi({a[1]}[{a[2]}]) : "
                                      f"{argv[int(a[2]) - 1] if int(a[2]) <= len(argv) else a[3]})")
        if TARGET in line:
            line = re.sub(r"//\s*@site.*$", f"// {note}", line)
        else:
            line = re.sub(r"\s*//\s*@site.*$", "", line)
        out.append(line)
    used = [name for name in list(KERNELS) + list(CONSTRUCTORS)
            if re.search(r"\b%s\(" % name, "\n".join(out))]
    out.append("")
    out.append("/* Plain definitions of the kernels (tests/oracle/kernels.py). */")
    for name in used:
        out.append(PLAIN[name].replace("return calloc(", "return keep(calloc(")
                   .replace(", sizeof(float));", ", sizeof(float)));")
                   .replace(", sizeof(int));", ", sizeof(int)));"))
        out.append("")
    text = "\n".join(out)
    text = text.replace("@KEEP@", KEEP if "keep(" in text.replace("*keep(void", "") else "")
    return collapse_blank(text).rstrip() + "\n"


def collapse_blank(text):
    return re.sub(r"\n{3,}", "\n\n", text)


UNUSED_RE = re.compile(r":(\d+):\d+: warning: (?:unused variable|unused parameter|"
                       r"variable) ‘(\w+)’(?: set but not used)?")
UNUSED_FN_RE = re.compile(r":(\d+):\d+: warning: ‘(\w+)’ defined but not used")


def quiet_unused(text, cc):
    """TEXT with what shrinking left unused marked used ((void)x;) or, for
    a function, removed: the corpus builds with -Wall -Wextra -Werror."""
    for _ in range(20):
        with tempfile.NamedTemporaryFile("w", suffix=".c", delete=False) as f:
            f.write(text)
        r = subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-fsyntax-only", "-I",
                            harness.ANNOTATIONS, f.name], capture_output=True, text=True)
        os.unlink(f.name)
        lines = text.splitlines()
        m = UNUSED_RE.search(r.stderr)
        fn = UNUSED_FN_RE.search(r.stderr)
        if m:
            n, name = int(m.group(1)) - 1, m.group(2)
            if lines[n].rstrip().endswith(")") and n + 1 < len(lines) and lines[n + 1] == "{":
                n += 1  # a parameter: after the function's brace
            indent = "    " if lines[n] == "{" else lines[n][:len(lines[n]) - len(lines[n].lstrip())]
            lines.insert(n + 1, f"{indent}(void){name};")
        elif fn:
            start = int(fn.group(1)) - 1
            end = block_end(lines, start + 1) if lines[start + 1:start + 2] == ["{"] else None
            if end is None:
                return text
            del lines[start:end + 1]
        else:
            return text
        text = "\n".join(lines) + "\n"
    return text


def clang_format(text):
    """TEXT in the project's style (.clang-format), or None without
    clang-format."""
    exe = shutil.which("clang-format")
    if not exe:
        return None
    r = subprocess.run([exe, "--assume-filename=" + os.path.join(harness.ROOT, "case.c")],
                       input=text, capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def verbose_explanation(src, objs, work, cc, argv, line):
    """ORACLE_VERBOSE's account of the target call in the run with ARGV:
    the first execution of it that matched (a call in a loop may not match
    on every trip)."""
    exe = os.path.join(work, "explain")
    ok, _ = harness.compile_program(src, exe, objs, cc)
    if not ok:
        return []
    env = dict(os.environ, ORACLE_VERBOSE="1", **harness.SAN_ENV)
    r = subprocess.run([exe] + argv, capture_output=True, text=True, env=env)
    blocks, block, depth = [], None, 0
    for row in r.stderr.splitlines():
        if block is None and row.startswith(f"oracle: line {line}:"):
            block, depth = [], 0
        elif block is not None and depth == 0 and row.startswith("oracle:"):
            blocks.append(block)
            block = None
            if row.startswith(f"oracle: line {line}:"):
                block = []
        if block is not None:
            block.append(row.rstrip())
            depth += row.endswith("{") - row.startswith("oracle: }")
            if depth == 0 and row.startswith("oracle: }"):
                blocks.append(block)
                block = None
    if block:
        blocks.append(block)
    clean = [b for b in blocks if not any("mismatch" in x or "loss: views" in x for x in b)]
    return (clean or blocks or [[]])[0]


def check_stripped(text, checker, cc, work, rule):
    """(ok, findings): the stripped case still gets the finding at its
    marked line, and builds and runs (ASan, UBSan) with no argument."""
    src = os.path.join(work, "stripped.c")
    with open(src, "w") as f:
        f.write(text)
    r = subprocess.run([checker, "--no-config", "--quiet", "--format=json", src, "--",
                        "-I", harness.ANNOTATIONS], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        return False, []
    import json
    findings = json.loads(r.stdout)["findings"]
    line = next((n for n, t in enumerate(text.splitlines(), 1) if "false positive" in t
                 and "//" in t and "(" in t.split("//")[0]), None)
    if not any(f["rule"] == rule and f["line"] == line for f in findings):
        return False, findings
    exe = os.path.join(work, "stripped")
    b = subprocess.run([cc] + harness.CORPUS_CFLAGS + ["-I", harness.ANNOTATIONS, src,
                                                       "-o", exe],
                       capture_output=True, text=True)
    if b.returncode != 0:
        return False, findings
    env = dict(os.environ, **harness.SAN_ENV)  # with leak checks, as the corpus runs
    env["ASAN_OPTIONS"] = env["ASAN_OPTIONS"].replace("detect_leaks=0", "detect_leaks=1")
    run = subprocess.run([exe], capture_output=True, text=True, env=env, timeout=20)
    return run.returncode == 0 and not harness.SANITIZER_RE.search(run.stderr), findings


def header(seed, fp_class, tags, finding, argv, explanation, description):
    def para(text):
        return textwrap.fill(text, 76, initial_indent=" * ", subsequent_indent=" * ",
                             break_on_hyphens=False)
    rows = ["/*",
            para(f"fp_{seed}: a false positive found by the differential oracle "
                 f"(tests/oracle, seed {seed}), shrunk by tests/oracle/shrink.py."),
            " *",
            para(f"Class: {fp_class}." + (f" {description}" if description else "")),
            " *",
            para(f"The checker reports at line {{LINE}}: {finding['message']} "
                 f"[{finding['rule']}]; but with the argv defaults "
                 f"({' '.join(argv) or 'none'}) the call matched (SPEC section 4), "
                 f"as the oracle saw it:")]
    rows += [f" *   {e}" for e in explanation]
    rows.append(" */")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("program")
    ap.add_argument("--line", type=int, help="the false positive's line (default: the first)")
    ap.add_argument("--checker", default=os.environ.get(
        "SHAPECHECK", os.path.join(harness.ROOT, "build-oracle", "checker", "shapecheck")))
    ap.add_argument("--cc", default="gcc")
    ap.add_argument("--seed", help="the name of the case (default: from the file name)")
    ap.add_argument("--describe", default="", help="a sentence on the class, for the header")
    ap.add_argument("-o", "--output", help="where to write the case (default: stdout)")
    ap.add_argument("--keep-instrumented", help="also write the shrunk, instrumented program here")
    args = ap.parse_args()

    with open(args.program) as f:
        text = f.read()
    seed = args.seed or re.sub(r"\D", "", os.path.basename(args.program)) or "x"
    work = tempfile.mkdtemp(prefix="oracle-shrink-")
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    try:
        objs = harness.build_runtime(os.path.join(work, "rt0"), args.cc)
        src = os.path.join(work, "orig.c")
        with open(src, "w") as f:
            f.write(text)
        outcome = harness.evaluate(src, args.checker, objs, work, args.cc)
        verdict = harness.classify(outcome, src)
        fps = [fp for fp in verdict.false_positives if fp[1] == args.line or not args.line]
        if not fps:
            sys.exit("shrink.py: no false positive in that program"
                     + (f" at line {args.line}" if args.line else ""))
        fp_class, line, rule, message = fps[0]
        log(f"shrink: {fp_class} false positive at line {line}: {message} [{rule}]")
        inputs = runs_for_class(outcome.sites[line], fp_class, harness.parse_inputs(text))
        shrinker = Shrinker(args.checker, args.cc, work, rule, fp_class,
                            message_kind(message), inputs)
        for start in (initialised(text), text):
            lines = start.splitlines()
            lines[line - 1] += f" {TARGET}"
            if shrinker.interesting(lines):
                break
        else:
            sys.exit("shrink.py: the false positive does not reproduce")
        lines = shrink(lines, shrinker.interesting, log)
        small = collapse_blank("\n".join(lines)) + "\n"
        log(f"shrink: {shrinker.tests} tests")
        if args.keep_instrumented:
            with open(args.keep_instrumented, "w") as f:
                f.write(small)

        final = os.path.join(work, "final.c")
        with open(final, "w") as f:
            f.write(small)
        outcome = harness.evaluate(final, args.checker, objs, work, args.cc, inputs)
        target = target_line(small)
        site = outcome.sites[target]
        argv = (site.same_extent_runs[0] if fp_class == "batch-extent" and
                site.same_extent_runs else outcome.matching_run.get(target, []))
        finding = next(f for f in outcome.findings
                       if f["rule"] == rule and f["line"] == target)
        explanation = verbose_explanation(final, objs, work, args.cc, argv, target)
        note = f"false positive ({fp_class}): this call matched"
        stripped = quiet_unused(strip(small, argv, note), args.cc)
        formatted = clang_format(stripped)
        ok, findings = False, []
        if formatted:
            ok, findings = check_stripped(formatted, args.checker, args.cc, work, rule)
            if ok:
                stripped = formatted
        if not ok:
            ok, findings = check_stripped(stripped, args.checker, args.cc, work, rule)
        body = stripped if ok else small
        if not ok:
            log("shrink: the stripped case does not reproduce alone; "
                "keeping the instrumented one (needs -I tests/oracle and kernels.c)")
        only_fp = ok and len(findings) == 1
        tags = outcome.sites[target].tags
        head = header(seed, fp_class, tags, finding, argv, explanation, args.describe)
        out_lines = [head] + (["// expected-no-diagnostics"] if only_fp else []) + \
            body.splitlines()
        result = "\n".join(out_lines) + "\n"
        fp_line = next(n for n, t in enumerate(result.splitlines(), 1)
                       if ("false positive (" in t and "//" in t and "(" in t.split("//")[0])
                       or TARGET in t)
        result = result.replace("{LINE}", str(fp_line), 1)
        if args.output:
            with open(args.output, "w") as f:
                f.write(result)
            log(f"shrink: wrote {args.output} ({len(result.splitlines())} lines)")
        else:
            sys.stdout.write(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
