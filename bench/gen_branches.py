#!/usr/bin/env python3
"""gen_branches.py N FILE.c - one function of N locals and N ifs, each
assigning its local under a comparison, then a loss call with a batch
mismatch: the shape of the "many ifs and locals" probe of issue 12 (item 6).
bench/branch_curve.sh times the checker on it at several N."""
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_branches.py N FILE.c")
    n = int(sys.argv[1])
    lines = [
        '#include "shapecheck.h"',
        "float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n),",
        "         int n, int c) SHAPE_LOSS(logits, labels);",
        "float step(int argc, float *x SHAPE(32, 4), int *y SHAPE(16))",
        "{",
    ]
    for i in range(n):
        lines.append(f"    int v{i} = {i % 7};")
        lines.append(f"    if (argc > {i})")
        lines.append(f"        v{i} = argc + {i};")
    lines.append("    int s = 0;")
    for i in range(0, n, max(1, n // 100)):
        lines.append(f"    s += v{i};")
    lines.append("    return (float)s + ce(x, y, 32, 4);")
    lines.append("}")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(lines) + "\n")


main()
