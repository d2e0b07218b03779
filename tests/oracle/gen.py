#!/usr/bin/env python3
"""gen.py - random small annotated C programs for the differential oracle.

    tests/oracle/gen.py SEED            # the program of SEED on stdout
    tests/oracle/gen.py --prototypes    # the kernels' declarations

Each program declares annotated kernels (kernels.py), builds sizes and
buffers through the constructs that have fooled shapecheck before (loops,
branches, aliasing, unions, struct copies, macros with side effects, static
locals, narrow integers, out-parameters, nested initialisers, flattened
buffers, the prefix idiom, dimension arithmetic, sizes from argv), and makes
annotated calls with them, one per line:

    oracle_at(__LINE__); relu(x3, n2); // @site call loop,arith

`@site ROLE TAGS` tells the harness what the line is: `call` (an annotated
call in a scenario: counted for precision and recall), `helper` (the call of
a generated helper that makes annotated calls: both), `inner` (an annotated
call inside such a helper: precision only), `scenario` (main calling a
scenario: precision only).  TAGS are the constructs the call's values went
through.  The line `// oracle-inputs: ...` gives the argv size sets the
harness runs the program with.  See docs/oracle.md.
"""

import argparse
import random
import sys

from kernels import CONSTRUCTORS, KERNELS, predict, prototypes

SIZE_MIN, SIZE_MAX = 2, 12  # sizes from argv
# Probe inputs (docs/oracle.md): argv sets beyond 2..12 that the model
# says make a call match which mismatched on every base set, run too, so
# that "mismatched on every run" is not "on the four sets tried" only.
PROBE_VALUES = list(range(1, 17)) + [20, 24, 32, 48, 64, 96, 99, 100, 128]
PROBE_SAMPLES = 64
PROBE_MAX_VALUE = 1024  # larger sizes may not be allocatable
MAX_PROBES = 4
CONSTS = [2, 3, 4, 5, 6, 8, 10, 12, 16]
DECOYS = [1, 3, 7, 64, 99]  # what a checker that misses a write would believe
MAX_VALUE = 200
MAX_ELEMS = 4096
NARGS = 3

# The four groups of issue 10's recall benchmark, by tag.
GROUPS = {
    "loops": {"loop", "while", "short-batch", "loop-after", "static-local"},
    "calls": {"helper", "out-param", "returns-shape", "global"},
    "initialisers": {"nested-init", "struct-copy", "field-shape", "union",
                     "alias", "macro-side-effect", "macro-redef"},
    "arithmetic": {"arith", "narrow-int", "flatten", "prefix", "clamp", "clamp-both"},
}


# ---- values ---------------------------------------------------------------

class Val:
    """An int expression in scope: its C text, its value as a function of
    the environment (argv sizes A0..A2, loop variable i), the constructs it
    went through, and whether it is a constant expression."""

    def __init__(self, c, f, tags=(), const=False, enum=False):
        self.c = c
        self.f = f
        self.tags = frozenset(tags)
        self.const = const
        self.enum = enum

    def __call__(self, env):
        return self.f(env)

    def paren(self):
        simple = self.c.replace("_", "").replace(".", "").replace("->", "")
        return self.c if simple.isalnum() else f"({self.c})"

    def cmp(self):
        """For a comparison: an enum constant as an int (two anonymous
        enums compared is a -Wenum-compare warning)."""
        return f"(int){self.c}" if self.enum else self.paren()


def const_val(n, text=None, tags=()):
    return Val(text or str(n), lambda env, n=n: n, tags, const=True)


def arg_val(i):
    return Val(f"A{i}", lambda env, i=i: env["A"][i], {"argv"})


class Buf:
    """A buffer argument: its C pointer expression, element type, extent as
    the oracle registers it (dims, Vals), and for a scratch buffer that is
    registered flat, the rows x cols it is used as (logical)."""

    def __init__(self, c, elem, dims, tags=(), logical=None, decl=True):
        self.c = c
        self.elem = elem
        self.dims = dims
        self.tags = frozenset(tags)
        self.logical = logical or dims
        self.decl = decl  # its rank is known (not a flat scratch)

    @property
    def rank(self):
        return len(self.dims)

    def extent(self, env):
        return [d(env) for d in self.dims]


# ---- a program --------------------------------------------------------------

class Program:
    def __init__(self, rng):
        self.rng = rng
        self.items = {}  # name -> file-scope text, emitted once, in order
        self.orders = {}
        self.scenarios = []
        self.styles = {}
        self.counter = 0
        self.rescues = []  # per call aimed to mismatch: its rescuing probes
        self.invalid = set()  # probe candidates out of the domain in an earlier scenario
        self.invalid_here = set()  # ... in this one, so far

    def name(self, stem):
        self.counter += 1
        return f"{stem}{self.counter}"

    def need(self, key, text, order=None):
        """TEXT at file scope, once; ORDER places it (default: by kind)."""
        if key not in self.items:
            self.items[key] = text
            if order is not None:
                self.orders[key] = order

    def kernel(self, name):
        k = KERNELS.get(name) or CONSTRUCTORS[name]
        if name not in self.styles:
            self.styles[name] = self.rng.choice(["after", "after", "before",
                                                 "star"])
            self.need("k:" + name, k.prototype(self.styles[name]))
        return k


class Scope:
    """The statements of one function body, with the environments its
    values are evaluated in (one per argv set, and per loop iteration)."""

    def __init__(self, prog, envs, wide, indent=1):
        self.prog = prog
        self.rng = prog.rng
        self.envs = envs
        self.wide = wide  # the probe candidates' environments: never decide
        self.indent = indent
        self.lines = []
        self.vals = []
        self.bufs = []
        self.ctx_tags = set()

    def emit(self, text):
        self.lines.append("    " * self.indent + text)

    def fits(self, v, lo=1, hi=MAX_VALUE):
        try:
            return all(lo <= v(e) <= hi for e in self.envs)
        except (ZeroDivisionError, KeyError):
            return False

    def same(self, a, b):
        return all(a(e) == b(e) for e in self.envs)


# ---- value constructs ---------------------------------------------------------
# Each takes a Val E in scope and returns a new Val of the same value (or a
# known function of it) that went through one construct.

def decoy(rng, v, scope):
    choices = [d for d in DECOYS if all(d != v(e) for e in scope.envs)]
    return rng.choice(choices or DECOYS)


def v_local(s, e):
    n = s.prog.name("v")
    s.emit(f"int {n} = {e.c};")
    return Val(n, e.f, e.tags, e.const and False)


def v_alias(s, e):
    n, p = s.prog.name("v"), s.prog.name("p")
    d = decoy(s.rng, e, s)
    if s.rng.random() < 0.5:
        s.emit(f"int {n} = {d};")
        s.emit(f"int *{p} = &{n};")
        s.emit(f"*{p} = {e.c};")
    else:
        q = s.prog.name("q")
        s.emit(f"int {n} = 1;")
        s.emit(f"int *{p} = &{n}, *{q} = &{n};")
        s.emit(f"*{p} = {d};")
        s.emit(f"*{q} = {e.c};")
    return Val(n, e.f, e.tags | {"alias"})


def need_cfg(prog):
    prog.need("struct cfg", "struct cfg {\n    int batch;\n    int classes;\n};")


def v_struct_alias(s, e):
    need_cfg(s.prog)
    c, p = s.prog.name("c"), s.prog.name("pc")
    d = decoy(s.rng, e, s)
    s.emit(f"struct cfg {c} = {{{d}, 1}};")
    if s.rng.random() < 0.5:
        s.emit(f"struct cfg *{p} = &{c};")
        s.emit(f"{p}->batch = {e.c};")
        text = f"{c}.batch"
    else:
        q = s.prog.name("qc")
        s.emit(f"struct cfg *{p} = &{c}, *{q} = &{c};")
        s.emit(f"{q}->batch = {d};")
        s.emit(f"{p}->batch = {e.c};")
        text = s.rng.choice([f"{c}.batch", f"{q}->batch"])
    return Val(text, e.f, e.tags | {"alias"})


def v_union(s, e):
    s.prog.need("union sz", "union sz {\n    int i;\n    unsigned u;\n};")
    u = s.prog.name("u")
    s.emit(f"union sz {u};")
    s.emit(f"{u}.i = {decoy(s.rng, e, s)};")
    s.emit(f"{u}.u = (unsigned){e.paren()};")
    return Val(f"{u}.i", e.f, e.tags | {"union"})


def v_struct_copy(s, e):
    need_cfg(s.prog)
    a, b = s.prog.name("ca"), s.prog.name("cb")
    d = decoy(s.rng, e, s)
    if s.rng.random() < 0.5:
        s.emit(f"struct cfg {a} = {{.batch = {e.c}, .classes = 2}};")
        s.emit(f"struct cfg {b} = {a};")
        s.emit(f"{b}.batch = {d};")
        text = f"{a}.batch"
    else:
        s.emit(f"struct cfg {a} = {{.batch = {d}, .classes = 2}};")
        s.emit(f"{a}.batch = {e.c};")
        s.emit(f"struct cfg {b};")
        s.emit(f"{b} = {a};")
        text = f"{b}.batch"
    return Val(text, e.f, e.tags | {"struct-copy"})


def v_macro_set(s, e):
    if s.rng.random() < 0.3:
        need_cfg(s.prog)
        s.prog.need("SET_BATCH", "#define SET_BATCH(c, v) \\\n    do { \\\n"
                                 "        (c).batch = (v); \\\n    } while (0)")
        c = s.prog.name("c")
        s.emit(f"struct cfg {c} = {{{decoy(s.rng, e, s)}, 1}};")
        s.emit(f"SET_BATCH({c}, {e.c});")
        return Val(f"{c}.batch", e.f, e.tags | {"macro-side-effect"})
    s.prog.need("SET", "#define SET(lhs, v) ((lhs) = (v))")
    n = s.prog.name("v")
    s.emit(f"int {n} = {decoy(s.rng, e, s)};")
    s.emit(f"SET({n}, {e.c});")
    return Val(n, e.f, e.tags | {"macro-side-effect"})


def v_macro_inc(s, e):
    s.prog.need("BUMP", "#define BUMP(x) ((x)++)")
    n = s.prog.name("v")
    s.emit(f"int {n} = {e.paren()} - 1;")
    s.emit(f"BUMP({n});")
    return Val(n, e.f, e.tags | {"macro-side-effect"})


def v_macro_call(s, e):
    if not s.fits(Val("", lambda env: 2 * e(env))):
        return v_macro_inc(s, e)
    s.prog.need("twice", "static int twice(int x)\n{\n    return 2 * x;\n}")
    s.prog.need("NEXT", "#define NEXT(x) ((x) = twice(x))")
    n = s.prog.name("v")
    s.emit(f"int {n} = {e.c};")
    s.emit(f"NEXT({n});")
    return Val(n, lambda env: 2 * e(env), e.tags | {"macro-side-effect", "arith"})


def v_static_local(s, e):
    """A helper with a static counter, called twice: its result depends on
    the calls before (unknown at entry to the helper)."""
    prog = s.prog
    fn = prog.name("next_size")
    start, step = s.rng.choice([(0, 4), (2, 2), (1, 3)])
    prog.need(fn, f"static int {fn}(void)\n{{\n    static int k = {start};\n"
                  f"    k += {step};\n    return k;\n}}")
    n = prog.name("v")
    s.emit(f"(void){fn}();")
    s.emit(f"int {n} = {fn}();")
    value = start + 2 * step
    return Val(n, lambda env: value, {"static-local"})


def v_global(s, e):
    prog = s.prog
    g = prog.name("g_size")
    setter = f"set_{g}"
    prog.need(g, f"static int {g} = {decoy(s.rng, e, s)};")
    prog.need(setter, f"static void {setter}(int v)\n{{\n    {g} = v;\n}}")
    s.emit(f"{setter}({e.c});")
    if s.rng.random() < 0.5:
        return Val(g, e.f, e.tags | {"global"})
    n = prog.name("v")
    s.emit(f"int {n} = {g};")
    return Val(n, e.f, e.tags | {"global"})


def v_out_param(s, e):
    prog = s.prog
    if s.rng.random() < 0.5:
        prog.need("get_size", "static void get_size(int *out, int v)\n{\n"
                              "    *out = v;\n}")
        n = prog.name("v")
        s.emit(f"int {n} = {decoy(s.rng, e, s)};")
        s.emit(f"get_size(&{n}, {e.c});")
        return Val(n, e.f, e.tags | {"out-param"})
    need_cfg(prog)
    prog.need("cfg_init", "static void cfg_init(struct cfg *c, int batch, "
                          "int classes)\n{\n    c->batch = batch;\n"
                          "    c->classes = classes;\n}")
    c = prog.name("c")
    s.emit(f"struct cfg {c} = {{{decoy(s.rng, e, s)}, 1}};")
    s.emit(f"cfg_init(&{c}, {e.c}, 3);")
    return Val(f"{c}.batch", e.f, e.tags | {"out-param"})


def v_nested_init(s, e):
    need_cfg(s.prog)
    s.prog.need("struct config", "struct config {\n    struct cfg train;\n"
                                 "    struct cfg eval;\n};")
    c = s.prog.name("cf")
    d = decoy(s.rng, e, s)
    if s.rng.random() < 0.5:
        s.emit(f"struct config {c} = {{.train = {{.batch = {e.c}, .classes = 2}}, "
               f".eval = {{.batch = {d}}}}};")
        text = f"{c}.train.batch"
    else:
        s.emit(f"struct config {c} = {{{{{d}, 2}}, {{{e.c}, 2}}}};")
        text = f"{c}.eval.batch"
    return Val(text, e.f, e.tags | {"nested-init"})


def v_narrow(s, e):
    s.prog.need("#stdint", "")
    n = s.prog.name("v")
    kind = s.rng.choice(["u8", "cast", "unsigned", "bitfield", "size_t"])
    if kind == "u8":
        s.emit(f"uint8_t {n} = 200;")
        s.emit(f"{n} += 56 + {e.paren()};")
    elif kind == "cast":
        s.emit(f"int {n} = (unsigned char)(256 + {e.paren()});")
    elif kind == "unsigned":
        u = s.prog.name("w")
        s.emit(f"unsigned {u} = 0u;")
        s.emit(f"{u} -= 1u;")
        s.emit(f"{u} += 1u + (unsigned){e.paren()};")
        s.emit(f"int {n} = (int){u};")
    elif kind == "bitfield":
        if not s.fits(e, 1, 63):
            return v_local(s, e)
        s.prog.need("struct bits", "struct bits {\n    unsigned w : 6;\n"
                                   "    unsigned h : 3;\n};")
        b, w = s.prog.name("bf"), s.prog.name("w")
        s.emit(f"struct bits {b} = {{0, 0}};")
        s.emit(f"unsigned {w} = 64u + (unsigned){e.paren()};")
        s.emit(f"{b}.w = {w};")  # (a constant would be a -Woverflow warning)
        return Val(f"{b}.w", e.f, e.tags | {"narrow-int"})
    else:
        z = s.prog.name("z")
        s.emit(f"size_t {z} = (size_t){e.paren()} * 2u;")
        s.emit(f"int {n} = (int)({z} / 2u);")
    return Val(n, e.f, e.tags | {"narrow-int"})


def cond_text(s):
    """A condition on the argv sizes, and its value."""
    i, j = s.rng.sample(range(NARGS), 2)
    kind = s.rng.choice(["gt", "lt-const", "eq", "odd"])
    if kind == "gt":
        return f"A{i} > A{j}", lambda env: env["A"][i] > env["A"][j]
    if kind == "lt-const":
        k = s.rng.randint(SIZE_MIN + 1, SIZE_MAX - 1)
        return f"A{i} < {k}", lambda env: env["A"][i] < k
    if kind == "eq":
        return f"A{i} == A{j}", lambda env: env["A"][i] == env["A"][j]
    return f"A{i} % 2 == 1", lambda env: env["A"][i] % 2 == 1


def v_branch(s, e):
    other = s.rng.choice(s.vals) if s.vals else const_val(s.rng.choice(CONSTS))
    text, cond = cond_text(s)
    n = s.prog.name("v")
    if s.rng.random() < 0.3:
        other = e  # the same value on both paths
    if s.rng.random() < 0.5:
        s.emit(f"int {n} = {other.c};")
        s.emit(f"if ({text})")
        s.emit(f"    {n} = {e.c};")
    elif s.rng.random() < 0.5:
        s.emit(f"int {n};")
        s.emit(f"if ({text}) {{")
        s.emit(f"    {n} = {e.c};")
        s.emit("} else {")
        s.emit(f"    {n} = {other.c};")
        s.emit("}")
    else:
        s.emit(f"int {n} = {text} ? {e.c} : {other.c};")
    return Val(n, lambda env: e(env) if cond(env) else other(env),
               e.tags | other.tags | {"branch"})


def v_loop(s, e):
    n = s.prog.name("v")
    j = s.prog.name("j")
    if s.rng.random() < 0.5:
        s.emit(f"int {n} = 0;")
        s.emit(f"while ({n} < {e.c})")
        s.emit(f"    {n}++;")
        return Val(n, e.f, e.tags | {"loop", "while"})
    k = s.rng.choice([1, 2, 3])
    total = Val("", lambda env: k * e(env))
    if not s.fits(total):
        k = 1
    s.emit(f"int {n} = 0;")
    s.emit(f"for (int {j} = 0; {j} < {k}; {j}++)")
    s.emit(f"    {n} += {e.c};")
    return Val(n, lambda env: k * e(env), e.tags | {"loop"} |
               ({"arith"} if k > 1 else set()))


VALUE_CONSTRUCTS = [v_local, v_alias, v_struct_alias, v_union, v_struct_copy,
                    v_macro_set, v_macro_inc, v_macro_call, v_static_local,
                    v_global, v_out_param, v_nested_init, v_narrow, v_branch,
                    v_loop]


def base_value(s):
    """A size: an argv size, or a constant spelled as a literal, a macro, an
    enum constant or a const global."""
    rng, prog = s.rng, s.prog
    if rng.random() < 0.45:
        return arg_val(rng.randrange(NARGS))
    n = rng.choice(CONSTS)
    kind = rng.choice(["literal", "macro", "enum", "const-global", "local"])
    if kind == "literal":
        return const_val(n)
    name = prog.name({"macro": "SZ", "enum": "E", "const-global": "G",
                      "local": "k"}[kind])
    if kind == "macro":
        prog.need(name, f"#define {name} {n}")
        return const_val(n, name)
    if kind == "enum":
        prog.need(name, f"enum {{ {name} = {n} }};")
        v = const_val(n, name)
        v.enum = True
        return v
    if kind == "const-global":
        prog.need(name, f"static const int {name} = {n};")
        return Val(name, lambda env: n)
    s.emit(f"const int {name} = {n};")
    return Val(name, lambda env: n)


def new_size(s, depth=None):
    """A fresh size, through 0-2 constructs."""
    v = base_value(s)
    depth = s.rng.choice([0, 1, 1, 1, 2]) if depth is None else depth
    for _ in range(depth):
        construct = s.rng.choice(VALUE_CONSTRUCTS)
        w = construct(s, v)
        if s.fits(w):
            v = w
    s.vals.append(v)
    return v


# ---- arithmetic on values -------------------------------------------------

def derived(s, v):
    """Arithmetic on V that keeps it a size (>= 1 everywhere)."""
    options = [
        Val(f"2 * {v.paren()}", lambda env: 2 * v(env), v.tags | {"arith"}, v.const),
        Val(f"{v.paren()} / 2", lambda env: v(env) // 2, v.tags | {"arith"}, v.const),
        Val(f"{v.paren()} - 1", lambda env: v(env) - 1, v.tags | {"arith"}, v.const),
        Val(f"{v.paren()} + 1", lambda env: v(env) + 1, v.tags | {"arith"}, v.const),
    ]
    good = [o for o in options if s.fits(o)]
    return s.rng.choice(good) if good else v


# ---- buffers ---------------------------------------------------------------------

def dims_text(dims):
    return ", ".join(f"(long){d.paren()}" for d in dims)


def count_ok(s, dims):
    def count(env):
        n = 1
        for d in dims:
            n *= d(env)
        return n
    return s.fits(Val("", count), 1, MAX_ELEMS)


def shape_attr(dims):
    return "SHAPE(" + ", ".join(d.c for d in dims) + ")"


def b_decl(s, elem, dims):
    """SHAPE(...) on a pointer local, in one of the three placements."""
    n = s.prog.name("b")
    init = f"oracle_alloc(sizeof({elem}), {len(dims)}, {dims_text(dims)})"
    attr = shape_attr(dims)
    style = s.rng.choice(["before", "after", "star"])
    if style == "before":
        s.emit(f"{attr} {elem} *{n} = {init};")
    elif style == "after":
        s.emit(f"{elem} *{n} {attr} = {init};")
    else:
        s.emit(f"{elem} *{attr} {n} = {init};")
    return Buf(n, elem, dims, {"decl"})


def b_array(s, elem, dims):
    n = s.prog.name("a")
    bounds = "".join(f"[{d.c}]" for d in dims)
    static = "static " if all(d.const for d in dims) and s.rng.random() < 0.5 else ""
    s.emit(f"{static}{elem} {n}{bounds};")
    s.emit(f"oracle_reg({n}, sizeof({elem}), {len(dims)}, {dims_text(dims)});")
    ptr = n if len(dims) == 1 else "&" + n + "[0]" * len(dims)
    if len(dims) > 1 and s.rng.random() < 0.3:
        ptr = f"({elem} *){n}"
    return Buf(ptr, elem, dims, {"array"})


def b_returns(s, elem, dims):
    if elem == "int" and len(dims) != 1 or elem == "float" and len(dims) == 1:
        return b_decl(s, elem, dims)
    n = s.prog.name("r")
    if elem == "int":
        s.prog.kernel("alloc_labels")
        s.emit(f"int *{n} = alloc_labels({dims[0].c});")
    elif len(dims) == 2:
        s.prog.kernel("alloc2")
        s.emit(f"float *{n} = alloc2({dims[0].c}, {dims[1].c});")
    else:
        s.prog.kernel("alloc3")
        s.emit(f"float *{n} = alloc3({', '.join(d.c for d in dims)});")
    return Buf(n, elem, dims, {"returns-shape"})


def b_scratch(s, elem, dims):
    """No annotation: registered flat, used as DIMS (its inferred shape)."""
    n = s.prog.name("t")
    total = dims[0]
    for d in dims[1:]:
        a, b = total, d
        total = Val(f"{a.paren()} * {b.paren()}", lambda env, a=a, b=b: a(env) * b(env),
                    a.tags | b.tags, a.const and b.const)
    s.emit(f"{elem} *{n} = oracle_scratch(sizeof({elem}), (long){total.paren()});")
    return Buf(n, elem, [total], {"scratch"}, logical=dims, decl=False)


def b_returns_helper(s, elem, dims):
    """A generated unannotated helper that returns a constructor's result
    (a summary carries its shape)."""
    if elem != "float" or len(dims) != 2:
        return b_returns(s, elem, dims)
    prog = s.prog
    prog.kernel("alloc2")
    fn = prog.name("forward")
    prog.need(fn, f"static float *{fn}(int rows, int cols)\n{{\n"
                  f"    float *out = alloc2(rows, cols);\n    return out;\n}}")
    n = prog.name("r")
    s.emit(f"float *{n} = {fn}({dims[0].c}, {dims[1].c});")
    return Buf(n, elem, dims, {"returns-shape", "helper"})


BUFFER_KINDS = [b_decl, b_decl, b_array, b_array, b_returns, b_scratch,
                b_returns_helper]


def new_buffer(s, elem, dims, kind=None):
    if not count_ok(s, dims):
        return None
    kind = kind or s.rng.choice(BUFFER_KINDS)
    buf = kind(s, elem, dims)
    buf.tags |= dims_tags(dims)
    s.bufs.append(buf)
    return buf


def dims_tags(dims):
    """A buffer carries the constructs its dims went through."""
    return frozenset().union(*(d.tags for d in dims))


def b_alias(s, buf):
    """A second pointer to a buffer (it takes its shape)."""
    n = s.prog.name("p")
    s.emit(f"{buf.elem} *{n} = {buf.c};")
    alias = Buf(n, buf.elem, buf.dims, buf.tags | {"alias"}, buf.logical, buf.decl)
    s.bufs.append(alias)
    return alias


# ---- calls --------------------------------------------------------------------

def candidates(s, target, rows=True):
    """Int arguments meant for a dim whose size is TARGET: itself, values
    equal to it reached another way, and arithmetic that may not fit; for
    a first dim (ROWS), also the prefix idiom min(TARGET, other)."""
    out = [target, target, target]
    out += [v for v in s.vals if v is not target and s.same(v, target)]
    for v in [derived(s, target) for _ in range(3)]:
        out.append(v)
    others = [v for v in s.vals if v is not target]
    if others:
        out.append(s.rng.choice(others))
    if others and rows:
        o = s.rng.choice(others)
    if others and rows and o.c != target.c:
        out.append(Val(f"{target.cmp()} < {o.cmp()} ? {target.paren()} : {o.paren()}",
                       lambda env, t=target, o=o: min(t(env), o(env)),
                       target.tags | o.tags | {"prefix", "clamp"}))
    return out


def pick(s, options):
    return s.rng.choice(options)


def status(s, kernel, extents, ints):
    """Per environment: the predicted verdict of the call."""
    out = []
    for env in s.envs:
        ext = {p: [d(env) for d in dims] for p, dims in extents.items()}
        iv = {p: v(env) for p, v in ints.items()}
        out.append(predict(kernel, ext, iv))
    return out


def note_probes(s, kernel, extents, ints, verdict):
    """At a call: the probe candidates (argv tuples) reaching it on which a
    size in scope is not in 1..MAX_VALUE (a probe run counts only up to
    where it leaves SPEC 2's domain: harness.py), and for a call aimed to
    mismatch on every base set, those on which the model says it is reached
    in the domain and always matches; kept for choose_probes."""
    runs = {}
    sizes = [v for v in s.vals] + [d for b in s.bufs for d in b.dims] + \
        list(ints.values()) + [d for dims in extents.values() for d in dims]
    for env in s.wide:
        a = tuple(env["A"])
        if a in s.prog.invalid:
            continue
        try:
            if not all(1 <= v(env) <= PROBE_MAX_VALUE for v in sizes):
                s.prog.invalid_here.add(a)
                continue
            if verdict == "mismatch":
                ext = {p: [d(env) for d in dims] for p, dims in extents.items()}
                iv = {p: v(env) for p, v in ints.items()}
                runs.setdefault(a, []).append(predict(kernel, ext, iv))
        except (ZeroDivisionError, KeyError, ValueError, TypeError):
            s.prog.invalid_here.add(a)
    if verdict == "mismatch":
        s.prog.rescues.append({a for a, got in runs.items()
                               if all(g == "match" for g in got) and
                               a not in s.prog.invalid_here})


def aim(statuses):
    if "unknown" in statuses:
        return "unknown"
    if all(v == "match" for v in statuses):
        return "match"
    if all(v == "mismatch" for v in statuses):
        return "mismatch"
    return "varies"


def float_bufs(s, rank=None, decl=None):
    out = [b for b in s.bufs if b.elem == "float"]
    if rank is not None:
        out = [b for b in out if len(b.logical) == rank]
    if decl:
        out = [b for b in out if b.decl]
    return out


def int_bufs(s):
    return [b for b in s.bufs if b.elem == "int"]


def rows_cols(buf):
    """(rows, cols) Vals of a float buffer used as a matrix."""
    dims = buf.logical
    if len(dims) == 1:
        return dims[0], None
    if len(dims) == 2:
        return dims[0], dims[1]
    return None, dims[-1]  # [B, T, C] flattened to [B*T, C]: rows built below


def flat_rows(s, buf):
    dims = buf.logical
    if len(dims) < 3:
        return dims[0]
    a, b = dims[0], dims[1]
    return Val(f"{a.paren()} * {b.paren()}", lambda env: a(env) * b(env),
               a.tags | b.tags | {"flatten", "arith"}, a.const and b.const)


def count_val(buf):
    dims = buf.logical
    v = dims[0]
    for d in dims[1:]:
        a, b = v, d
        v = Val(f"{a.paren()} * {b.paren()}", lambda env, a=a, b=b: a(env) * b(env),
                a.tags | b.tags | {"arith"}, a.const and b.const)
    if len(dims) > 1:
        v = Val(v.c, v.f, v.tags | {"flatten"}, v.const)
    return v


def plan_call(s, name):
    """Random arguments for kernel NAME from what is in scope: (kernel,
    {param: Buf}, {param: Val}) or None."""
    rng = s.rng
    k = KERNELS[name]
    fb = float_bufs(s)
    if not fb:
        return None
    bufs, ints = {}, {}
    if name in ("ce",):
        labels = int_bufs(s)
        logits = [b for b in fb if len(b.logical) >= 2]
        if not labels or not logits:
            return None
        lg, lb = rng.choice(logits), rng.choice(labels)
        rows = flat_rows(s, lg)
        target = rng.choice([rows, rows, lb.logical[0]])
        bufs = {"logits": lg, "labels": lb}
        both = lb.logical[0] if lb.decl and len(lb.logical) == 1 else None
        clamp = [Val(f"{rows.cmp()} < {both.cmp()} ? {rows.paren()} : {both.paren()}",
                     lambda env: min(rows(env), both(env)),
                     rows.tags | both.tags | {"prefix", "clamp", "clamp-both"})] \
            if both and lg.decl and rows.c != both.c else []
        ints = {"n": pick(s, candidates(s, target) + clamp),
                "c": pick(s, [lg.logical[-1]] * 4 + candidates(s, lg.logical[-1], False))}
    elif name == "nll":
        labels = int_bufs(s)
        logits = [b for b in fb if len(b.logical) == 2 and b.decl]
        if not labels or not logits:
            return None
        bufs = {"logp": rng.choice(logits), "target": rng.choice(labels)}
    elif name in ("fill", "fill_sz", "head4"):
        b = rng.choice([x for x in fb if len(x.logical) >= 2] or fb)
        rows = flat_rows(s, b)
        cols = b.logical[-1] if len(b.logical) > 1 else b.logical[0]
        bufs = {"out" if name != "head4" else "x": b}
        if name != "head4":
            ints["r"] = pick(s, candidates(s, rows))
        ints["c"] = pick(s, [cols] * 4 + candidates(s, cols, False))
    elif name in ("relu", "relu_u8"):
        b = rng.choice(fb)
        n = pick(s, candidates(s, count_val(b)) + candidates(s, b.logical[0]))
        if name == "relu_u8" and rng.random() < 0.5 and len({n(e) for e in s.envs}) > 1:
            # (a constant gcc can fold would be narrowed at compile time: -Woverflow)
            n = Val(f"256 + {n.paren()}", lambda env, n=n: 256 + n(env),
                    n.tags | {"narrow-int"}, n.const)
        ints["n"] = n
        bufs = {"x": b}
    elif name == "matmul":
        mats = [b for b in fb if len(b.logical) == 2]
        if len(mats) < 2:
            return None
        a = rng.choice(mats)
        m, kk = a.logical
        bs = [b for b in mats if b is not a and s.same(b.logical[0], kk)] or mats
        b = rng.choice(bs)
        outs = [o for o in mats if o is not a and o is not b] or mats
        o = rng.choice(outs)
        bufs = {"out": o, "a": a, "b": b}
        ints = {"m": pick(s, candidates(s, rng.choice([m, o.logical[0]]))),
                "k": pick(s, candidates(s, rng.choice([kk, b.logical[0]]), False)),
                "n": pick(s, candidates(s, rng.choice([b.logical[1], o.logical[1]]),
                                        False))}
    elif name == "scale":
        mats = float_bufs(s, 2, decl=True)
        if not mats:
            return None
        bufs = {"x": rng.choice(mats)}
    elif name == "add":
        mats = float_bufs(s, 2, decl=True)
        if len(mats) < 1:
            return None
        bufs = {"out": rng.choice(mats), "a": rng.choice(mats)}
    elif name == "rowsum":
        mats = float_bufs(s, 2, decl=True)
        if not mats:
            return None
        x = rng.choice(mats)
        out = rng.choice(fb)
        bufs = {"out": out, "x": x}
        ints = {"n": pick(s, candidates(s, rng.choice([x.logical[0], out.logical[0]])))}
    elif name in ("pool2", "flatten", "bias"):
        mats = [b for b in fb if len(b.logical) == 2]
        if not mats:
            return None
        x = rng.choice(mats)
        rows, cols = x.logical
        other = rng.choice(fb)
        if name == "bias":
            bufs = {"x": x, "b": other}
        else:
            bufs = {"out": other, "x": x}
        ints = {"n": pick(s, candidates(s, rows)),
                "c": pick(s, [cols] * 4 + candidates(s, cols, False))}
    else:
        return None
    return k, bufs, ints


def call_text(k, bufs, ints):
    args = []
    for p in k.params:
        if p.is_int:
            v = ints[p.name]
            args.append(f"(size_t){v.paren()}" if p.ctype == "size_t" else v.c)
        else:
            args.append(bufs[p.name].c)
    return f"{k.name}({', '.join(args)})"


def choose_call(s, intent, names=None):
    """A call aimed at INTENT ('match', 'mismatch', 'varies'): the best of a
    few random plans.  Returns (text, tags, predicted) or None."""
    names = names or list(KERNELS)
    best = None
    for _ in range(24):
        plan = plan_call(s, s.rng.choice(names))
        if not plan:
            continue
        k, bufs, ints = plan
        extents = {p: b.dims for p, b in bufs.items()}
        got = aim(status(s, k, extents, ints))
        if got == "unknown":
            continue
        tags = set()
        for b in bufs.values():
            tags |= b.tags
        for v in ints.values():
            tags |= v.tags
        if k.name in ("relu_u8", "fill_sz"):
            tags.add("narrow-int")
        if k.loss:
            tags.add("loss")
        best = (call_text(k, bufs, ints), tags, got, k, extents, ints)
        if got == intent:
            break
    if not best:
        return None
    text, tags, got, k, extents, ints = best
    s.prog.kernel(k.name)
    note_probes(s, k, extents, ints, got)
    return text, tags, got


def site_line(role, tags, predicted=None):
    words = sorted(t for t in tags if t not in ("decl",))
    extra = f" expect={predicted}" if predicted else ""
    return f"// @site {role} {','.join(words) or '-'}{extra}"


def emit_call(s, intent, role="call", names=None, extra_tags=()):
    got = choose_call(s, intent, names)
    if not got:
        return False
    text, tags, predicted = got
    tags = set(tags) | set(extra_tags) | s.ctx_tags
    s.emit(f"oracle_at(__LINE__); {text}; {site_line(role, tags, predicted)}")
    return True


def random_intent(rng):
    return rng.choice(["match"] * 9 + ["mismatch"] * 7 + ["varies"] * 4)


# ---- control flow around calls ----------------------------------------------

class Block:
    """A nested block of S: statements indented, values and buffers made
    inside it dropped at its end, ENVS (where it runs) and TAGS for calls."""

    def __init__(self, s, envs=None, tags=(), wide=None):
        self.s, self.envs, self.tags, self.wide = s, envs, set(tags), wide

    def __enter__(self):
        s = self.s
        self.saved = (s.envs, s.wide, s.indent, set(s.ctx_tags), len(s.vals),
                      len(s.bufs))
        if self.envs is not None:
            s.envs = self.envs
            s.wide = self.wide
        s.indent += 1
        s.ctx_tags |= self.tags
        return s

    def __exit__(self, *exc):
        s = self.s
        s.envs, s.wide, s.indent, s.ctx_tags, nv, nb = self.saved
        del s.vals[nv:]
        del s.bufs[nb:]


def safely(f, env, fallback):
    """F(ENV), or FALLBACK where a probe candidate makes no sense of it."""
    try:
        return f(env)
    except (ZeroDivisionError, KeyError, ValueError, TypeError):
        return fallback


def loop_envs(envs, lim):
    return [dict(e, i=i) for e in envs
            for i in range(1, min(safely(lim, e, 0), MAX_VALUE) + 1)]


def ctx_loop(s, intent):
    """Calls inside a for or while loop, whose sizes may use the counter.
    The counter runs from 1: SPEC takes every symbol to be >= 1, so a
    counter that is 0 on the first trip would let a checker that follows
    the SPEC report a call that matched (docs/oracle.md)."""
    lim = s.rng.choice([const_val(s.rng.choice([2, 3, 4])), arg_val(s.rng.randrange(NARGS))])
    i = s.prog.name("i")
    use_while = s.rng.random() < 0.3
    if use_while:
        s.emit(f"int {i} = 1;")
        s.emit(f"while ({i} <= {lim.c}) {{")
    else:
        s.emit(f"for (int {i} = 1; {i} <= {lim.c}; {i}++) {{")
    tags = {"loop"} | ({"while"} if use_while else set())
    with Block(s, loop_envs(s.envs, lim), tags, loop_envs(s.wide, lim)):
        counter = Val(i, lambda env: env["i"], {"loop"})
        if s.vals:
            v = s.rng.choice(s.vals)
            # (b * (i + 1)) / (i + 1) is b, (b * (i + 1)) / b is i + 1: exact division
            s.vals.append(Val(f"({v.paren()} * ({i} + 1)) / ({i} + 1)", v.f,
                              v.tags | {"arith", "loop"}))
            s.vals.append(Val(f"({v.paren()} * ({i} + 1)) / {v.paren()}",
                              lambda env: env["i"] + 1, v.tags | {"arith", "loop"}))
        s.vals.append(Val(f"{i} + 1", lambda env: env["i"] + 1, {"loop", "arith"}))
        s.vals.append(counter)
        if s.rng.random() < 0.3:
            n = s.prog.name("n")
            s.emit(f"int {n} = {counter.c} + 1;")
            s.vals.append(Val(n, lambda env: env["i"] + 1, {"loop"}))
        for _ in range(s.rng.choice([1, 1, 2])):
            emit_call(s, intent)
        if use_while:
            s.emit(f"{i}++;")
    s.emit("}")


def ctx_branch(s, intent):
    text, cond = cond_text(s)
    yes = [e for e in s.envs if cond(e)]
    no = [e for e in s.envs if not cond(e)]
    wide_yes = [e for e in s.wide if cond(e)]
    wide_no = [e for e in s.wide if not cond(e)]
    s.emit(f"if ({text}) {{")
    with Block(s, yes or s.envs, {"branch"}, wide_yes):
        emit_call(s, intent)
    if s.rng.random() < 0.6:
        s.emit("} else {")
        with Block(s, no or s.envs, {"branch"}, wide_no):
            emit_call(s, random_intent(s.rng))
    s.emit("}")


def ctx_early_return(s):
    """`if (...) return;`: what follows runs on some inputs only."""
    text, cond = cond_text(s)
    rest = [e for e in s.envs if not cond(e)]
    if not rest:
        return
    s.emit(f"if ({text})")
    s.emit("    return;")
    s.envs = rest
    s.wide = [e for e in s.wide if not cond(e)]
    s.ctx_tags.add("early-return")


def ctx_helper(s, intent):
    """The call moves into a generated helper; the scenario calls the
    helper (the checker must carry the callee's needs to this call)."""
    got = None
    for _ in range(8):
        names = ["ce", "ce", "nll", "fill", "relu", "matmul", "bias", "rowsum"]
        plan = plan_call(s, s.rng.choice(names))
        if not plan:
            continue
        k, bufs, ints = plan
        extents = {p: b.dims for p, b in bufs.items()}
        verdict = aim(status(s, k, extents, ints))
        if verdict != "unknown":
            got = (k, bufs, ints, verdict)
            if verdict == intent:
                break
    if not got:
        return
    k, bufs, ints, verdict = got
    prog = s.prog
    prog.kernel(k.name)
    mismatch_noted = len(prog.rescues)
    note_probes(s, k, {p: b.dims for p, b in bufs.items()}, ints, verdict)
    fn = prog.name("step")
    params, args, inner = [], [], []
    tags = {"loss"} if k.loss else set()
    for p in k.params:
        if p.is_int:
            v = ints[p.name]
            tags |= v.tags
            if v.const and s.rng.random() < 0.6:
                inner.append(v.c)  # a constant the helper passes itself
                continue
            params.append(f"{'int' if p.ctype != 'size_t' else 'size_t'} {p.name}")
            args.append(v.c if p.ctype != "size_t" else f"(size_t){v.paren()}")
            inner.append(p.name)
        else:
            b = bufs[p.name]
            tags |= b.tags
            params.append(f"{p.ctype}{p.name}")
            args.append(b.c)
            inner.append(p.name)
    body = []
    early = None
    int_params = [p for p in k.params if p.is_int and p.name in inner]
    if int_params and s.rng.random() < 0.2:
        early = int_params[0].name
        lim = s.rng.choice([4, 8])
        body.append(f"    if ({early} > {lim})\n        return;")
        verdict = None  # runs on some inputs only
        del prog.rescues[mismatch_noted:]
    body.append(f"    oracle_at(__LINE__); {k.name}({', '.join(inner)}); "
                f"{site_line('inner', tags | {'inner'})}")
    prog.need(fn, f"static void {fn}({', '.join(params)})\n{{\n" +
              "\n".join(body) + "\n}")
    tags |= {"helper"} | s.ctx_tags
    if early:
        tags.add("branch")
    s.emit(f"oracle_enter(__LINE__); {fn}({', '.join(args)}); oracle_leave(); "
           f"{site_line('helper', tags, verdict)}")


# ---- templates: whole constructs with their calls ------------------------------

def t_short_batch(s):
    """A loader loop with a short last batch into one scratch buffer, and a
    use of the buffer after the loop."""
    rng = s.rng
    batch = const_val(rng.choice([4, 8]), s.prog.name("BATCH"))
    s.prog.need(batch.c, f"#define {batch.c} {batch(None)}")
    classes = const_val(rng.choice([3, 4, 5]))
    total = rng.choice([arg_val(rng.randrange(NARGS)),
                        const_val(rng.choice([10, 12, 20]))])
    tmp = s.prog.name("t")
    annotated = rng.random() < 0.3
    attr = f"SHAPE({batch.c}, {classes.c}) " if annotated else ""
    if annotated:
        s.emit(f"{attr}float *{tmp} = oracle_alloc(sizeof(float), 2, (long){batch.c}, "
               f"(long){classes.c});")
    else:
        s.emit(f"float *{tmp} = oracle_scratch(sizeof(float), "
               f"(long)({batch.c} * {classes.c}));")
    tmp_buf = Buf(tmp, "float", [batch, classes] if annotated else
                  [Val("", lambda env: batch(env) * classes(env))],
                  {"decl"} if annotated else {"scratch"},
                  logical=[batch, classes], decl=annotated)
    lab_rows = rng.choice([batch, batch, const_val(batch(None) // 2)])
    labels = s.prog.name("lab")
    s.emit(f"int {labels}[{lab_rows.c}];")
    s.emit(f"oracle_reg({labels}, sizeof(int), 1, (long){lab_rows.paren()});")
    lab_buf = Buf(labels, "int", [lab_rows], {"array"})
    start, n = s.prog.name("start"), s.prog.name("n")
    s.emit(f"for (int {start} = 0; {start} < {total.c}; {start} += {batch.c}) {{")
    envs = [dict(e, i=i) for e in s.envs for i in range(0, total(e), batch(e))]
    wide = [dict(e, i=i) for e in s.wide
            for i in range(0, min(safely(total, e, 0), MAX_VALUE), batch(e))]
    with Block(s, envs, {"loop", "short-batch"}, wide):
        s.emit(f"int {n} = {total.paren()} - {start} < {batch.c} ? "
               f"{total.paren()} - {start} : {batch.c};")
        nval = Val(n, lambda env: min(total(env) - env["i"], batch(env)),
                   {"loop", "short-batch", "clamp"} | total.tags)
        over = rng.random() < 0.3
        rows = Val(f"{n} + 1", lambda env: nval(env) + 1, nval.tags | {"arith"}) \
            if over else nval
        emit_fixed(s, "fill", {"out": tmp_buf}, {"r": rows, "c": classes})
        emit_fixed(s, "ce", {"logits": tmp_buf, "labels": lab_buf},
                   {"n": nval, "c": classes})
    s.emit("}")
    after = rng.choice([batch, Val(f"2 * {batch.c}", lambda env: 2 * batch(env),
                                   {"arith"}, True)])
    emit_fixed(s, "fill", {"out": tmp_buf}, {"r": after, "c": classes},
               {"loop-after"})
    s.bufs += [tmp_buf, lab_buf]


def emit_fixed(s, name, bufs, ints, tags=(), role="call"):
    k = s.prog.kernel(name)
    extents = {p: b.dims for p, b in bufs.items()}
    verdict = aim(status(s, k, extents, ints))
    note_probes(s, k, extents, ints, verdict if role in ("call", "helper") else None)
    all_tags = set(tags) | s.ctx_tags | ({"loss"} if k.loss else set())
    for b in bufs.values():
        all_tags |= b.tags
    for v in ints.values():
        all_tags |= v.tags
    s.emit(f"oracle_at(__LINE__); {call_text(k, bufs, ints)}; "
           f"{site_line(role, all_tags, verdict)}")


LOADER = """struct loader {
    int B;
    int T;
    int *targets SHAPE(B, T);
};"""
LOADER_INIT = """static void loader_init(struct loader *l, int b, int t)
{
    l->B = b;
    l->T = t;
    l->targets = oracle_alloc(sizeof(int), 2, (long)b, (long)t);
}"""


def t_loader(s):
    """Field shapes naming sibling fields, set by an out-parameter helper
    (llm.c's data loader): targets [B, T] read flat by the loss."""
    s.prog.need("struct loader", LOADER)
    s.prog.need("loader_init", LOADER_INIT)
    b, t = new_size(s, 0), new_size(s, 0)
    ld = s.prog.name("ld")
    s.emit(f"struct loader {ld};")
    s.emit(f"loader_init(&{ld}, {b.c}, {t.c});")
    vb = Val(f"{ld}.B", b.f, b.tags | {"out-param", "field-shape"})
    vt = Val(f"{ld}.T", t.f, t.tags | {"out-param", "field-shape"})
    s.vals += [vb, vt]
    targets = Buf(f"{ld}.targets", "int", [vb, vt], vb.tags | vt.tags)
    s.bufs.append(targets)
    classes = const_val(s.rng.choice([3, 5, 8]))
    bt = Val(f"{vb.c} * {vt.c}", lambda env: b(env) * t(env),
             {"arith", "field-shape", "flatten"})
    rows = s.rng.choice([bt, bt, vb])
    logits = new_buffer(s, "float", [rows, classes],
                        s.rng.choice([b_decl, b_returns, b_array]))
    if not logits:
        return
    n = s.rng.choice([bt, bt, Val(f"{ld}.B", b.f, vb.tags), derived(s, bt)])
    emit_fixed(s, "ce", {"logits": logits, "labels": targets}, {"n": n, "c": classes})


BATCH_STRUCT = """struct batch {
    int B;
    int C;
    int NL;
    float *logits SHAPE(B, C);
    int *labels SHAPE(NL);
};"""


def t_batch_struct(s):
    """A struct whose fields' shapes name its own fields, filled through a
    pointer to it, used through a copy or a second pointer."""
    s.prog.need("struct batch", BATCH_STRUCT)
    b, c = new_size(s), const_val(s.rng.choice([3, 4, 6]))
    nl = s.rng.choice([b, b, derived(s, b)])
    bt = s.prog.name("bt")
    s.emit(f"struct batch {bt};")
    owner, tags = bt, {"field-shape"}
    if s.rng.random() < 0.5:
        pb = s.prog.name("pb")
        s.emit(f"struct batch *{pb} = &{bt};")
        owner, tags = f"{pb}->", tags | {"alias"}
        s.emit(f"{pb}->B = {b.c};")
        s.emit(f"{pb}->C = {c.c};")
        s.emit(f"{pb}->NL = {nl.c};")
    else:
        s.emit(f"{bt}.B = {b.c};")
        s.emit(f"{bt}.C = {c.c};")
        s.emit(f"{bt}.NL = {nl.c};")
    s.emit(f"{bt}.logits = oracle_alloc(sizeof(float), 2, (long){bt}.B, (long){bt}.C);")
    s.emit(f"{bt}.labels = oracle_alloc(sizeof(int), 1, (long){bt}.NL);")
    use = bt
    if s.rng.random() < 0.4:
        use = s.prog.name("bt")
        s.emit(f"struct batch {use} = {bt};")
        tags |= {"struct-copy"}
    vb = Val(f"{use}.B", b.f, b.tags | tags)
    vc = Val(f"{use}.C", c.f, tags)
    vnl = Val(f"{use}.NL", nl.f, nl.tags | tags)
    s.vals += [vb, vnl]
    logits = Buf(f"{use}.logits", "float", [vb, vc], vb.tags | vc.tags)
    labels = Buf(f"{use}.labels", "int", [vnl], vnl.tags)
    s.bufs += [logits, labels]
    n = s.rng.choice([vb, vnl, b, nl,
                      Val(f"{vb.c} < {vnl.c} ? {vb.c} : {vnl.c}",
                          lambda env: min(b(env), nl(env)),
                          tags | {"prefix", "clamp", "clamp-both"})])
    emit_fixed(s, "ce", {"logits": logits, "labels": labels}, {"n": n, "c": vc})


def t_macro_redef(s):
    """A macro redefined between a global array's declaration and its use;
    annotations use the definition in force where they are written."""
    m = s.prog.name("ROWS")
    g = s.prog.name("g")
    old, new = s.rng.sample([4, 6, 8, 12, 16], 2)
    cols = s.rng.choice([3, 4])
    make = f"make_{g}"
    s.prog.kernel("alloc2")
    s.prog.need(m, f"#define {m} {old}\nstatic float {g}[{m}][{cols}];\n"
                   f"static float *{make}(void) RETURNS_SHAPE({m}, {cols});\n"
                   f"static float *{make}(void)\n{{\n    return alloc2({m}, {cols});\n}}\n"
                   f"#undef {m}\n#define {m} {new}", order=2.5)
    if s.rng.random() < 0.5:
        s.emit(f"oracle_reg({g}, sizeof(float), 2, (long){old}, (long){cols});")
        garr = Buf(f"&{g}[0][0]", "float", [const_val(old), const_val(cols)],
                   {"macro-redef", "array"})
    else:
        r = s.prog.name("r")
        s.emit(f"float *{r} = {make}();")
        garr = Buf(r, "float", [const_val(old), const_val(cols)],
                   {"macro-redef", "returns-shape"})
    vm = Val(m, lambda env: new, {"macro-redef"}, const=True)
    s.vals.append(vm)
    s.bufs.append(garr)
    local = new_buffer(s, "float", [vm, const_val(cols)], s.rng.choice([b_decl, b_array]))
    target = s.rng.choice([g for g in [garr, local] if g])
    emit_fixed(s, "fill", {"out": target}, {"r": vm, "c": const_val(cols)})
    if local:
        emit_fixed(s, "fill", {"out": local}, {"r": const_val(old), "c": const_val(cols)})


def t_prefix(s):
    """The seed's fix for a batch mismatch: read the first min(nl, BATCH)
    rows of both (the prefix idiom), against the same call unclamped."""
    rng = s.rng
    batch = const_val(rng.choice([4, 8, 16]), s.prog.name("BATCH"))
    s.prog.need(batch.c, f"#define {batch.c} {batch(None)}")
    classes = const_val(rng.choice([3, 10]))
    nl = rng.choice([arg_val(rng.randrange(NARGS)), new_size(s),
                     Val(f"2 * {batch.c}", lambda env: 2 * batch(env), {"arith"}, True)])
    logits = new_buffer(s, "float", [batch, classes], rng.choice([b_decl, b_array, b_returns]))
    labels = new_buffer(s, "int", [nl], rng.choice([b_decl, b_array, b_returns]))
    if not logits or not labels:
        return
    n = s.prog.name("n")
    if rng.random() < 0.5:
        s.emit(f"int {n} = {batch.c} < {nl.paren()} ? {batch.c} : {nl.paren()};")
    else:
        s.prog.need("imin", "static int imin(int a, int b)\n{\n"
                            "    return a < b ? a : b;\n}")
        s.emit(f"int {n} = imin({batch.c}, {nl.c});")
    clamped = Val(n, lambda env: min(batch(env), nl(env)),
                  nl.tags | {"prefix", "clamp", "clamp-both"})
    emit_fixed(s, "ce", {"logits": logits, "labels": labels},
               {"n": clamped, "c": classes})
    emit_fixed(s, "ce", {"logits": logits, "labels": labels},
               {"n": rng.choice([batch, nl]), "c": classes}, {"prefix"})


TEMPLATES = [t_short_batch, t_loader, t_batch_struct, t_macro_redef, t_prefix]


# ---- a scenario: sizes, buffers, calls ------------------------------------------

def gen_buffers(s, pool):
    rng = s.rng
    for _ in range(rng.randint(2, 4)):
        rank = rng.choice([1, 2, 2, 2, 3])
        elem = "int" if rank == 1 and rng.random() < 0.5 else "float"
        dims = [rng.choice(pool) for _ in range(rank)]
        if rng.random() < 0.3:
            dims[0] = derived(s, dims[0])
        new_buffer(s, elem, dims)
    if not int_bufs(s) and rng.random() < 0.8:
        new_buffer(s, "int", [rng.choice(pool)])
    for b in list(s.bufs):
        if b.decl and rng.random() < 0.15:
            b_alias(s, b)


def gen_scenario(prog, envs, wide, index):
    s = Scope(prog, envs, wide)
    rng = prog.rng
    pool = [new_size(s) for _ in range(rng.randint(2, 3))]
    pool.append(const_val(rng.choice([3, 4])))
    gen_buffers(s, pool)
    if rng.random() < 0.5:
        rng.choice(TEMPLATES)(s)
    if rng.random() < 0.2:
        ctx_early_return(s)
    for _ in range(rng.randint(2, 5)):
        roll = rng.random()
        intent = random_intent(rng)
        if roll < 0.45:
            emit_call(s, intent)
        elif roll < 0.65:
            ctx_loop(s, intent)
        elif roll < 0.8:
            ctx_branch(s, intent)
        else:
            ctx_helper(s, intent)
    prog.invalid |= prog.invalid_here
    prog.invalid_here = set()
    name = f"scenario{index}"
    body = "\n".join(s.lines)
    return name, f"static void {name}(int A0, int A1, int A2)\n{{\n" \
                 f"    (void)A0;\n    (void)A1;\n    (void)A2;\n{body}\n}}"


# ---- the program -------------------------------------------------------------------

def input_sets(rng):
    """Argv size sets: all equal, increasing, decreasing, any."""
    a = rng.randint(SIZE_MIN, SIZE_MAX)
    inc = sorted(rng.sample(range(SIZE_MIN, SIZE_MAX + 1), NARGS))
    return [[a] * NARGS, inc, inc[::-1],
            [rng.randint(SIZE_MIN, SIZE_MAX) for _ in range(NARGS)]]


def item_order(key, text):
    if text.startswith("#define") or text.startswith("struct") or \
            text.startswith("union") or text.startswith("enum"):
        return 0 if "\nstatic" not in text else 1
    if text.startswith("static const") or (text.startswith("static") and
                                           "(" not in text.split("=")[0]):
        return 1
    if key.startswith("k:"):
        return 2
    return 3


def probe_candidates(seed, sets):
    """Argv sets beyond the base ones: every value of PROBE_VALUES thrice,
    each base set with one size replaced by each of them (a mismatch that
    hinges on one size), and random triples (their own generator: the
    program's choices never depend on them)."""
    rng = random.Random(f"probes {seed}")
    out = [(v,) * NARGS for v in PROBE_VALUES]
    out += [tuple(v if k == pos else x[k] for k in range(NARGS))
            for x in sets for pos in range(NARGS) for v in PROBE_VALUES]
    out += [tuple(rng.choice(PROBE_VALUES) for _ in range(NARGS))
            for _ in range(PROBE_SAMPLES)]
    return list(dict.fromkeys(out))


def choose_probes(rescues, base):
    """Greedily, at most MAX_PROBES argv sets that rescue the most calls."""
    left = [r - base for r in rescues if r - base]
    chosen = []
    while left and len(chosen) < MAX_PROBES:
        count = {}
        for r in left:
            for a in r:
                count[a] = count.get(a, 0) + 1
        best = max(sorted(count), key=lambda a: count[a])
        chosen.append(best)
        left = [r for r in left if best not in r]
    return chosen


def generate(seed):
    rng = random.Random(seed)
    prog = Program(rng)
    sets = input_sets(rng)
    envs = [{"A": list(x)} for x in sets]
    wide = [{"A": list(x)} for x in probe_candidates(seed, sets)]
    scenarios = [gen_scenario(prog, envs, wide, i) for i in range(rng.randint(2, 4))]
    probes = choose_probes(prog.rescues, {tuple(x) for x in sets})
    items = [(prog.orders.get(k, item_order(k, t)), n, t)
             for n, (k, t) in enumerate(prog.items.items()) if t]
    items.sort()
    out = [f"/* oracle program {seed} (tests/oracle/gen.py {seed}) */",
           "// oracle-inputs: " + " | ".join(" ".join(map(str, x)) for x in sets)]
    if probes:
        out.append("// oracle-probes: " + " | ".join(" ".join(map(str, x)) for x in probes))
    out += ["#include <stddef.h>", "#include <stdint.h>", "",
            '#include "shapecheck.h"', '#include "oracle_rt.h"', ""]
    out += [t + "\n" for _, _, t in items]
    out += [text + "\n" for _, text in scenarios]
    out.append("int main(int argc, char **argv)\n{")
    for i in range(NARGS):
        out.append(f"    int A{i} = oracle_arg(argc, argv, {i + 1}, {sets[0][i]});")
    for name, _ in scenarios:
        out.append(f"    oracle_enter(__LINE__); {name}(A0, A1, A2); oracle_leave(); "
                   f"{site_line('scenario', set())}")
    out.append("    return 0;\n}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seed", type=int, nargs="?")
    ap.add_argument("--prototypes", action="store_true",
                    help="print the kernels' annotated declarations")
    args = ap.parse_args()
    if args.prototypes:
        sys.stdout.write(prototypes())
    elif args.seed is None:
        ap.error("give a seed")
    else:
        sys.stdout.write(generate(args.seed))


if __name__ == "__main__":
    main()
