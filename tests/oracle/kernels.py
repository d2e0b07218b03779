"""kernels.py - the annotated kernels and constructors generated programs
call, and the oracle's matching rule in Python.

The table is the one source of the kernels' annotations: gen.py writes the
prototypes into each program (in one of the placements SPEC section 1
allows), and the harness force-includes them (`prototypes()`) when it
compiles kernels.c, whose instrumented definitions must agree.

`predict()` is oracle_rt.c's rule over the generator's model of the values:
the generator uses it to aim each call at "matches", "mismatches" or
"depends on the input"; the program's own ORACLE lines are the truth.
"""

import re


class Param:
    def __init__(self, ctype, name, shape=None):
        self.ctype = ctype  # "const float *", "int", "unsigned char", ...
        self.name = name
        self.shape = shape  # "n, c" or None

    @property
    def dims(self):
        return [d.strip() for d in self.shape.split(",")] if self.shape else []

    @property
    def elem(self):
        return "int" if "int *" in self.ctype else "float"

    @property
    def is_int(self):
        return "*" not in self.ctype


class Kernel:
    def __init__(self, ret, name, params, loss=None, returns=None):
        self.ret = ret
        self.name = name
        self.params = params
        self.loss = loss  # (logits, labels) parameter names
        self.returns = returns  # RETURNS_SHAPE text

    def param(self, name):
        return next(p for p in self.params if p.name == name)

    @property
    def shaped(self):
        return [p for p in self.params if p.shape]

    @property
    def ints(self):
        return [p for p in self.params if p.is_int]

    def symbols(self):
        """Free symbols: names in the annotations that no int parameter has."""
        ints = {p.name for p in self.ints}
        out = []
        for p in self.shaped:
            for d in p.dims:
                for name in re.findall(r"[A-Za-z_]\w*", d):
                    if name not in ints and name not in out:
                        out.append(name)
        return out

    def prototype(self, style="after"):
        """The declaration with its annotations: "after" the declarator,
        "before" the type, or after the "star"."""
        parts = []
        for p in self.params:
            if not p.shape:
                parts.append(f"{p.ctype} {p.name}".replace("* ", "*"))
            elif style == "before":
                parts.append(f"SHAPE({p.shape}) {p.ctype}{p.name}")
            elif style == "star":
                parts.append(f"{p.ctype}SHAPE({p.shape}) {p.name}")
            else:
                parts.append(f"{p.ctype}{p.name} SHAPE({p.shape})")
        head = f"{self.ret} {self.name}(" if not self.ret.endswith("*") \
            else f"{self.ret}{self.name}("
        decl = head + ", ".join(parts) + ")"
        fn_attr = ""
        if self.loss:
            fn_attr = f"SHAPE_LOSS({self.loss[0]}, {self.loss[1]})"
        if self.returns:
            fn_attr = f"RETURNS_SHAPE({self.returns})"
        if fn_attr and style == "before":
            return f"{fn_attr} {decl};"
        if fn_attr:
            return f"{decl} {fn_attr};"
        return decl + ";"


P = Param
KERNELS = {k.name: k for k in [
    Kernel("float", "ce", [P("const float *", "logits", "n, c"),
                           P("const int *", "labels", "n"),
                           P("int", "n"), P("int", "c")],
           loss=("logits", "labels")),
    Kernel("float", "nll", [P("const float *", "logp", "N, C"),
                            P("const int *", "target", "N")],
           loss=("logp", "target")),
    Kernel("void", "fill", [P("float *", "out", "r, c"), P("int", "r"),
                            P("int", "c")]),
    Kernel("void", "relu", [P("float *", "x", "n"), P("int", "n")]),
    Kernel("void", "matmul", [P("float *", "out", "m, n"),
                              P("const float *", "a", "m, k"),
                              P("const float *", "b", "k, n"),
                              P("int", "m"), P("int", "k"), P("int", "n")]),
    Kernel("void", "scale", [P("float *", "x", "N, D")]),
    Kernel("void", "add", [P("float *", "out", "N, D"),
                           P("const float *", "a", "N, D")]),
    Kernel("void", "rowsum", [P("float *", "out", "n"),
                              P("const float *", "x", "n, D"), P("int", "n")]),
    Kernel("void", "pool2", [P("float *", "out", "n / 2, c"),
                             P("const float *", "x", "n, c"),
                             P("int", "n"), P("int", "c")]),
    Kernel("void", "head4", [P("float *", "x", "4, c"), P("int", "c")]),
    Kernel("void", "flatten", [P("float *", "out", "n * c"),
                               P("const float *", "x", "n, c"),
                               P("int", "n"), P("int", "c")]),
    Kernel("void", "bias", [P("float *", "x", "n, c"),
                            P("const float *", "b", "c"),
                            P("int", "n"), P("int", "c")]),
    Kernel("void", "relu_u8", [P("float *", "x", "n"), P("unsigned char", "n")]),
    Kernel("void", "fill_sz", [P("float *", "out", "r, c"), P("size_t", "r"),
                               P("size_t", "c")]),
]}

CONSTRUCTORS = {k.name: k for k in [
    Kernel("float *", "alloc2", [P("int", "r"), P("int", "c")], returns="r, c"),
    Kernel("float *", "alloc3", [P("int", "b"), P("int", "t"), P("int", "c")],
           returns="b, t, c"),
    Kernel("int *", "alloc_labels", [P("int", "n")], returns="n"),
]}


def prototypes():
    """Every declaration, for compiling kernels.c against them."""
    lines = ["#include <stddef.h>", '#include "shapecheck.h"']
    for k in list(KERNELS.values()) + list(CONSTRUCTORS.values()):
        lines.append(k.prototype())
    return "\n".join(lines) + "\n"


def convert(ctype, value):
    """An int argument as the parameter receives it."""
    if ctype == "unsigned char":
        return value & 0xFF
    if ctype == "size_t":
        return value % (1 << 64)
    return value


def eval_dim(text, ints, syms):
    """A dim of the kernel's annotation with int parameters substituted:
    ('sym', NAME) for a lone free symbol, else ('val', INT)."""
    text = text.strip()
    if text in syms:
        return ("sym", text)
    env = dict(ints)
    expr = re.sub(r"(?<![/])/(?![/])", "//", text)
    return ("val", int(eval(expr, {"__builtins__": {}}, env)))


def _count(dims):
    n = 1
    for d in dims:
        n *= d
    return n


def predict(kernel, extents, ints):
    """'match', 'mismatch' or 'unknown' for one call: EXTENTS maps each
    shaped parameter to its argument's extent (a list of ints), INTS each
    int parameter to the argument's value (before conversion)."""
    syms = set(kernel.symbols())
    ivals = {p.name: convert(p.ctype, ints[p.name]) for p in kernel.ints}
    views = {p.name: [eval_dim(d, ivals, syms) for d in p.dims]
             for p in kernel.shaped}
    bound = {}
    verdict = "match"
    for p in kernel.shaped:
        ext = extents[p.name]
        for i, (kind, v) in enumerate(views[p.name]):
            if kind != "sym":
                continue
            if len(ext) != len(views[p.name]):
                return "unknown"
            if v not in bound:
                bound[v] = ext[i]
            elif bound[v] != ext[i]:
                verdict = "mismatch"
    concrete = {}
    for p in kernel.shaped:
        view = [bound[v] if kind == "sym" else v for kind, v in views[p.name]]
        concrete[p.name] = view
        if any(d < 1 for d in view):
            return "unknown"
        ext = extents[p.name]
        exact = views[p.name][0][0] == "sym"
        if len(view) == len(ext):
            first_bad = view[0] != ext[0] if exact else view[0] > ext[0]
            if first_bad or view[1:] != ext[1:]:
                verdict = "mismatch"
        else:
            nv, ne = _count(view), _count(ext)
            if (nv != ne) if exact else (nv > ne):
                verdict = "mismatch"
    if kernel.loss:
        a, b = kernel.loss
        if concrete[a][0] != concrete[b][0]:
            verdict = "mismatch"
    return verdict


# Plain definitions, for a shrunk case that must build and run without the
# oracle (tests/oracle/found/): each reads (and writes, through a non-const
# parameter) every element of its views that its int parameters give, so
# that an ASan build of the case still proves the call in bounds.
PLAIN = {
    "ce": """float ce(const float *logits, const int *labels, int n, int c)
{
    float s = 0;
    for (long i = 0; i < (long)n * c; i++)
        s += logits[i];
    for (int i = 0; i < n; i++)
        s += (float)labels[i];
    return s;
}""",
    "nll": """float nll(const float *logp, const int *target)
{
    return logp[0] + (float)target[0];
}""",
    "fill": """void fill(float *out, int r, int c)
{
    for (long i = 0; i < (long)r * c; i++)
        out[i] = 1.0f;
}""",
    "relu": """void relu(float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = x[i] > 0 ? x[i] : 0;
}""",
    "matmul": """void matmul(float *out, const float *a, const float *b, int m, int k, int n)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int l = 0; l < k; l++)
                s += a[(long)i * k + l] * b[(long)l * n + j];
            out[(long)i * n + j] = s;
        }
}""",
    "scale": """void scale(float *x)
{
    x[0] *= 2;
}""",
    "add": """void add(float *out, const float *a)
{
    out[0] += a[0];
}""",
    "rowsum": """void rowsum(float *out, const float *x, int n)
{
    for (int i = 0; i < n; i++)
        out[i] = x[0];
}""",
    "pool2": """void pool2(float *out, const float *x, int n, int c)
{
    for (long i = 0; i < (long)(n / 2) * c; i++)
        out[i] = x[i] + x[i + (long)(n / 2) * c];
}""",
    "head4": """void head4(float *x, int c)
{
    for (long i = 0; i < 4L * c; i++)
        x[i] = 0;
}""",
    "flatten": """void flatten(float *out, const float *x, int n, int c)
{
    for (long i = 0; i < (long)n * c; i++)
        out[i] = x[i];
}""",
    "bias": """void bias(float *x, const float *b, int n, int c)
{
    for (long i = 0; i < (long)n * c; i++)
        x[i] += b[i % c];
}""",
    "relu_u8": """void relu_u8(float *x, unsigned char n)
{
    for (int i = 0; i < n; i++)
        x[i] = x[i] > 0 ? x[i] : 0;
}""",
    "fill_sz": """void fill_sz(float *out, size_t r, size_t c)
{
    for (size_t i = 0; i < r * c; i++)
        out[i] = 1.0f;
}""",
    "alloc2": """float *alloc2(int r, int c)
{
    return calloc((size_t)r * (size_t)c, sizeof(float));
}""",
    "alloc3": """float *alloc3(int b, int t, int c)
{
    return calloc((size_t)b * (size_t)t * (size_t)c, sizeof(float));
}""",
    "alloc_labels": """int *alloc_labels(int n)
{
    return calloc((size_t)n, sizeof(int));
}""",
}
