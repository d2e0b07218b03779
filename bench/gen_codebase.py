#!/usr/bin/env python3
"""gen_codebase.py - writes a synthetic C machine-learning code base for
bench/speed.sh: a deterministic function of its arguments (same seed, same
bytes), never committed, generated into a build folder.

    bench/gen_codebase.py OUT_DIR [--tus N] [--seed S] [--shapecheck-include DIR]

What it looks like, in the manner of the C trainers it stands for:

  include/   config.h (sizes as macros, an enum, the config struct),
             tensor.h (annotated structs: matrix, layer, model, loader),
             kernels.h (annotated kernel prototypes and static inline
             helpers with bodies), optim.h, util.h, and one header per
             translation unit declaring its external functions (gen/).
  src/       kernels/, layers/, data/, util/, train/: each unit includes
             <stdio.h>, <stdlib.h>, <math.h>, <string.h> (and sometimes
             <stdint.h>, <float.h>, <assert.h>), the project headers and the
             headers of two to five earlier units whose functions it calls
             (helpers calling helpers across files).  Bodies are loops over
             flat buffers with index arithmetic, calls to the annotated
             kernels, allocation, file I/O, string handling and switches.
  compile_commands.json   one entry per unit, as a CMake build writes it
             (-std=c11 -O2 -Wall -Wextra -DNDEBUG -I include -I DIR).

Every unit is valid C11 that clang compiles without errors or warnings.
"""
import argparse
import json
import os
import random

SYSTEM_HEADERS = ["<stdio.h>", "<stdlib.h>", "<math.h>", "<string.h>"]
OPTIONAL_HEADERS = ["<stdint.h>", "<float.h>", "<assert.h>", "<limits.h>"]

# Kinds of translation unit and their share of the code base.
KINDS = [("kernels", 0.18), ("layers", 0.30), ("data", 0.16),
         ("util", 0.18), ("train", 0.18)]

CONFIG_H = """\
/* config.h - sizes and settings of the synthetic trainer. */
#ifndef SYN_CONFIG_H
#define SYN_CONFIG_H

#define SYN_BATCH 32
#define SYN_SEQ 64
#define SYN_HIDDEN 256
#define SYN_VOCAB 1024
#define SYN_CLASSES 10
#define SYN_MAX_LAYERS 16
#define SYN_EPS 1e-5f
#define SYN_PATH_MAX 256

typedef enum syn_act {
    SYN_ACT_NONE,
    SYN_ACT_RELU,
    SYN_ACT_GELU,
    SYN_ACT_TANH,
    SYN_ACT_SIGMOID
} syn_act;

typedef struct syn_config {
    int batch, seq, hidden, vocab, classes, n_layers;
    float lr, weight_decay, beta1, beta2;
    unsigned seed;
    long max_steps;
    char data_path[SYN_PATH_MAX];
} syn_config;

#endif
"""

TENSOR_H = """\
/* tensor.h - the model's data: every buffer says its shape. */
#ifndef SYN_TENSOR_H
#define SYN_TENSOR_H

#include <stdio.h>

#include "config.h"
#include "shapecheck.h"

typedef struct syn_matrix {
    int rows, cols;
    float *data SHAPE(rows, cols);
} syn_matrix;

typedef struct syn_layer {
    int in, out;
    syn_act act;
    float *w SHAPE(out, in);
    float *b SHAPE(out);
    float *dw SHAPE(out, in);
    float *db SHAPE(out);
    float *m SHAPE(out, in);
    float *v SHAPE(out, in);
} syn_layer;

typedef struct syn_model {
    syn_config cfg;
    syn_layer layers[SYN_MAX_LAYERS];
    int n_layers;
    int batch, classes;
    float *logits SHAPE(batch, classes);
    float *probs SHAPE(batch, classes);
    float *dlogits SHAPE(batch, classes);
    int *labels SHAPE(batch);
    float loss;
    long step;
} syn_model;

typedef struct syn_loader {
    FILE *fp;
    char path[SYN_PATH_MAX];
    int batch, dim;
    float *x SHAPE(batch, dim);
    int *y SHAPE(batch);
    long pos, size;
    unsigned rng;
} syn_loader;

#endif
"""

KERNELS_H = """\
/* kernels.h - the annotated kernels every layer is built from. */
#ifndef SYN_KERNELS_H
#define SYN_KERNELS_H

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "config.h"
#include "shapecheck.h"

void syn_matmul(float *out SHAPE(n, m), const float *a SHAPE(n, k),
                const float *b SHAPE(k, m), int n, int k, int m);
void syn_matmul_tn(float *out SHAPE(n, m), const float *a SHAPE(n, k),
                   const float *b SHAPE(m, k), int n, int k, int m);
void syn_add_bias(float *x SHAPE(n, m), const float *b SHAPE(m), int n, int m);
void syn_activate(float *x SHAPE(n), int n, syn_act act);
void syn_softmax(float *probs SHAPE(n, c), const float *logits SHAPE(n, c),
                 int n, int c);
float syn_cross_entropy(const float *probs SHAPE(n, c),
                        const int *labels SHAPE(n), int n, int c)
    SHAPE_LOSS(probs, labels);
void syn_cross_entropy_backward(float *dlogits SHAPE(n, c),
                                const float *probs SHAPE(n, c),
                                const int *labels SHAPE(n), int n, int c)
    SHAPE_LOSS(probs, labels);
void syn_layernorm(float *out SHAPE(n, d), const float *x SHAPE(n, d),
                   const float *g SHAPE(d), const float *b SHAPE(d), int n,
                   int d);
float *syn_alloc(int n, int m) RETURNS_SHAPE(n, m);
float *syn_alloc_vec(int n) RETURNS_SHAPE(n);
int *syn_alloc_labels(int n) RETURNS_SHAPE(n);

static inline float syn_dot(const float *a SHAPE(n), const float *b SHAPE(n),
                            int n)
{
    float acc = 0.0f;
    for (int i = 0; i < n; i++)
        acc += a[i] * b[i];
    return acc;
}

static inline float syn_clampf(float x, float lo, float hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

static inline float syn_gelu(float x)
{
    const float c = 0.7978845608f;
    return 0.5f * x * (1.0f + tanhf(c * (x + 0.044715f * x * x * x)));
}

static inline void syn_axpy(float *y SHAPE(n), const float *x SHAPE(n),
                            float a, int n)
{
    for (int i = 0; i < n; i++)
        y[i] += a * x[i];
}

static inline unsigned syn_rand(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fffu;
}

#endif
"""

OPTIM_H = """\
/* optim.h - parameter updates. */
#ifndef SYN_OPTIM_H
#define SYN_OPTIM_H

#include "tensor.h"

void syn_sgd(float *w SHAPE(n), const float *dw SHAPE(n), float lr, int n);
void syn_adamw(float *w SHAPE(rows, cols), const float *dw SHAPE(rows, cols),
               float *m SHAPE(rows, cols), float *v SHAPE(rows, cols),
               const syn_config *cfg, long t, int rows, int cols);
void syn_zero_grad(syn_layer *l);

#endif
"""

UTIL_H = """\
/* util.h - checked allocation, logging, timing. */
#ifndef SYN_UTIL_H
#define SYN_UTIL_H

#include <stddef.h>
#include <stdio.h>

void *syn_xmalloc(size_t n);
void syn_log(const char *tag, const char *msg, double value);
double syn_mean(const double *x, int n);
int syn_parse_int(const char *s, int fallback);

#define SYN_CHECK(cond)                                                      \\
    do {                                                                     \\
        if (!(cond)) {                                                       \\
            fprintf(stderr, "%s:%d: check failed: %s\\n", __FILE__, __LINE__, \\
                    #cond);                                                  \\
            exit(1);                                                         \\
        }                                                                    \\
    } while (0)

#define SYN_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SYN_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
"""

# The core kernels of kernels.h / optim.h / util.h, defined once each in the
# first units of their kind.
CORE_KERNELS = [
    """void syn_matmul(float *out, const float *a, const float *b, int n, int k,
                int m)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++) {
            float acc = 0.0f;
            for (int p = 0; p < k; p++)
                acc += a[(size_t)i * k + p] * b[(size_t)p * m + j];
            out[(size_t)i * m + j] = acc;
        }
}
""",
    """void syn_matmul_tn(float *out, const float *a, const float *b, int n,
                   int k, int m)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            out[(size_t)i * m + j] =
                syn_dot(a + (size_t)i * k, b + (size_t)j * k, k);
}
""",
    """void syn_add_bias(float *x, const float *b, int n, int m)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < m; j++)
            x[(size_t)i * m + j] += b[j];
}
""",
    """void syn_activate(float *x, int n, syn_act act)
{
    for (int i = 0; i < n; i++) {
        switch (act) {
        case SYN_ACT_RELU:
            x[i] = x[i] > 0.0f ? x[i] : 0.0f;
            break;
        case SYN_ACT_GELU:
            x[i] = syn_gelu(x[i]);
            break;
        case SYN_ACT_TANH:
            x[i] = tanhf(x[i]);
            break;
        case SYN_ACT_SIGMOID:
            x[i] = 1.0f / (1.0f + expf(-x[i]));
            break;
        default:
            break;
        }
    }
}
""",
    """void syn_softmax(float *probs, const float *logits, int n, int c)
{
    for (int i = 0; i < n; i++) {
        const float *row = logits + (size_t)i * c;
        float max = row[0], sum = 0.0f;
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        for (int j = 0; j < c; j++) {
            probs[(size_t)i * c + j] = expf(row[j] - max);
            sum += probs[(size_t)i * c + j];
        }
        for (int j = 0; j < c; j++)
            probs[(size_t)i * c + j] /= sum;
    }
}
""",
    """float syn_cross_entropy(const float *probs, const int *labels, int n,
                        int c)
{
    double total = 0.0;
    for (int i = 0; i < n; i++)
        total -= log((double)probs[(size_t)i * c + labels[i]] + 1e-12);
    return (float)(total / n);
}
""",
    """void syn_cross_entropy_backward(float *dlogits, const float *probs,
                                const int *labels, int n, int c)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < c; j++) {
            float p = probs[(size_t)i * c + j];
            dlogits[(size_t)i * c + j] = (p - (j == labels[i])) / (float)n;
        }
}
""",
    """void syn_layernorm(float *out, const float *x, const float *g,
                   const float *b, int n, int d)
{
    for (int i = 0; i < n; i++) {
        const float *row = x + (size_t)i * d;
        float mean = 0.0f, var = 0.0f;
        for (int j = 0; j < d; j++)
            mean += row[j];
        mean /= (float)d;
        for (int j = 0; j < d; j++)
            var += (row[j] - mean) * (row[j] - mean);
        float rstd = 1.0f / sqrtf(var / (float)d + SYN_EPS);
        for (int j = 0; j < d; j++)
            out[(size_t)i * d + j] = (row[j] - mean) * rstd * g[j] + b[j];
    }
}
""",
    """float *syn_alloc(int n, int m)
{
    return calloc((size_t)n * (size_t)m, sizeof(float));
}
""",
    """float *syn_alloc_vec(int n)
{
    return calloc((size_t)n, sizeof(float));
}
""",
    """int *syn_alloc_labels(int n)
{
    return calloc((size_t)n, sizeof(int));
}
""",
]

CORE_OPTIM = [
    """void syn_sgd(float *w, const float *dw, float lr, int n)
{
    for (int i = 0; i < n; i++)
        w[i] -= lr * dw[i];
}
""",
    """void syn_adamw(float *w, const float *dw, float *m, float *v,
               const syn_config *cfg, long t, int rows, int cols)
{
    int n = rows * cols;
    float b1 = 1.0f - powf(cfg->beta1, (float)t);
    float b2 = 1.0f - powf(cfg->beta2, (float)t);
    for (int i = 0; i < n; i++) {
        m[i] = cfg->beta1 * m[i] + (1.0f - cfg->beta1) * dw[i];
        v[i] = cfg->beta2 * v[i] + (1.0f - cfg->beta2) * dw[i] * dw[i];
        float mh = m[i] / b1, vh = v[i] / b2;
        w[i] -= cfg->lr * (mh / (sqrtf(vh) + SYN_EPS) +
                           cfg->weight_decay * w[i]);
    }
}
""",
    """void syn_zero_grad(syn_layer *l)
{
    memset(l->dw, 0, sizeof(float) * (size_t)l->out * (size_t)l->in);
    memset(l->db, 0, sizeof(float) * (size_t)l->out);
}
""",
]

CORE_UTIL = [
    """void *syn_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\\n", n);
        exit(1);
    }
    return p;
}
""",
    """void syn_log(const char *tag, const char *msg, double value)
{
    char line[512];
    int len = snprintf(line, sizeof line, "[%s] %s: %.6f", tag, msg, value);
    if (len > 0 && (size_t)len < sizeof line)
        puts(line);
}
""",
    """double syn_mean(const double *x, int n)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++)
        sum += x[i];
    return n > 0 ? sum / n : 0.0;
}
""",
    """int syn_parse_int(const char *s, int fallback)
{
    char *end = NULL;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || end == s || *end != '\\0' || v < 0 || v > 1 << 30)
        return fallback;
    return (int)v;
}
""",
]

# Function families: the signature of each generated function, by kind.
# %s is the function's name.
SIGNATURES = {
    "ew": "void %s(float *out SHAPE(n, d), const float *x SHAPE(n, d), int n, int d)",
    "red": "float %s(const float *x SHAPE(n), int n)",
    "layer": "void %s(syn_layer *l, const float *x SHAPE(batch, l->in), float *y SHAPE(batch, l->out), int batch)",
    "load": "int %s(syn_loader *ld, float *x SHAPE(ld->batch, ld->dim), int *y SHAPE(ld->batch))",
    "step": "float %s(syn_model *m, const syn_config *cfg, const float *x, const int *y SHAPE(m->batch))",
    "str": "int %s(const char *s, int k)",
    "num": "double %s(double a, double b)",
}

# The families each kind of unit defines.
KIND_FAMILIES = {
    "kernels": ["ew", "ew", "red", "num"],
    "layers": ["layer", "layer", "ew", "red"],
    "data": ["load", "load", "str", "num"],
    "util": ["str", "num", "red", "str"],
    "train": ["step", "step", "num", "str"],
}


class Unit:
    def __init__(self, index, kind, name):
        self.index = index
        self.kind = kind
        self.name = name
        self.funcs = []      # (name, family), external
        self.statics = []    # (name, family)
        self.deps = []       # earlier units whose headers it includes
        self.core = []       # core definitions it carries


class Body:
    """Statements of one function, with fresh local names."""

    def __init__(self, rng, indent="    "):
        self.rng = rng
        self.lines = []
        self.indent = indent
        self.n = 0

    def fresh(self, base):
        self.n += 1
        return "%s%d" % (base, self.n)

    def add(self, text, depth=1):
        for line in text.split("\n"):
            self.lines.append(self.indent * depth + line if line else "")


def callable_in(units, unit):
    """Functions UNIT can call: its own (earlier ones), its dependencies'."""
    out = []
    for dep in unit.deps:
        out.extend(dep.funcs)
    return out


def call_stmt(rng, body, family, fname, ctx):
    """A statement calling FNAME (of FAMILY) from a context, or None."""
    if family == "ew" and ctx.get("mat"):
        out, inp, rows, cols = rng.choice(ctx["mat"])
        return "%s(%s, %s, %s, %s);" % (fname, out, inp, rows, cols)
    if family == "red" and ctx.get("vec"):
        vec, n = rng.choice(ctx["vec"])
        acc = ctx.get("acc")
        if acc:
            return "%s += %s(%s, %s);" % (acc, fname, vec, n)
        return "(void)%s(%s, %s);" % (fname, vec, n)
    if family == "layer" and ctx.get("layer"):
        return rng.choice(ctx["layer"]) % fname
    if family == "load" and ctx.get("loader"):
        return "if (%s(%s) < 0)\n    return %s;" % (
            fname, ctx["loader"], ctx["fail"])
    if family == "step" and ctx.get("model"):
        return "%s += %s(%s);" % (ctx["acc"], fname, ctx["model"])
    if family == "str" and ctx.get("str"):
        return "%s += %s(%s, %s);" % (ctx["iacc"], fname, rng.choice(ctx["str"]),
                                      rng.choice(ctx["int"]))
    if family == "num" and ctx.get("acc"):
        return "%s = %s(%s, %s);" % (ctx["acc"], fname, ctx["acc"],
                                     rng.choice(ctx["num"]))
    return None


def filler(rng, body, ctx, callees, budget):
    """BUDGET statements drawn from the context's snippets and calls."""
    for _ in range(budget):
        r = rng.random()
        if r < 0.35 and callees:
            fname, fam = rng.choice(callees)
            s = call_stmt(rng, body, fam, fname, ctx)
            if s:
                body.add(s)
                continue
        snippets = ctx["snippets"]
        body.add(rng.choice(snippets)(rng, body))


def loop2(rows, cols, stmt):
    return ("for (int i = 0; i < %s; i++)\n"
            "    for (int j = 0; j < %s; j++)\n"
            "        %s" % (rows, cols, stmt))


def ew_body(rng, name, callees):
    b = Body(rng)
    b.add("float acc = 0.0f;")
    ctx = {
        "mat": [("out", "x", "n", "d"), ("out", "out", "n", "d")],
        "vec": [("x + (size_t)(n - 1) * d", "d"), ("out + (size_t)(n - 1) * d", "d")],
        "acc": "acc",
        "num": ["(double)n", "(double)d", "0.5"],
        "str": ['"%s"' % name], "int": ["n", "d"], "iacc": "n",
        "snippets": [
            lambda rng, b: loop2("n", "d", "out[(size_t)i * d + j] = x[(size_t)i * d + j] * %.3ff + %.3ff;" % (rng.uniform(0.1, 2), rng.uniform(-1, 1))),
            lambda rng, b: loop2("n", "d", "acc += fabsf(out[(size_t)i * d + j] - x[(size_t)i * d + j]);"),
            lambda rng, b: "for (int i = 0; i < n * d; i++) {\n    float t = x[i];\n    out[i] = t > 0.0f ? t : %.2ff * t;\n}" % rng.uniform(0.01, 0.3),
            lambda rng, b: "for (int i = 0; i < n; i++) {\n    float m = x[(size_t)i * d];\n    for (int j = 1; j < d; j++)\n        m = SYN_MAX(m, x[(size_t)i * d + j]);\n    for (int j = 0; j < d; j++)\n        out[(size_t)i * d + j] = expf(x[(size_t)i * d + j] - m);\n}",
            lambda rng, b: "if (acc > %d.0f)\n    acc = sqrtf(acc);" % rng.randint(10, 1000),
            lambda rng, b: "for (int i = 0; i < n; i++)\n    acc += syn_dot(x + (size_t)i * d, out + (size_t)i * d, d);",
            lambda rng, b: "for (int i = 0; i < n; i++)\n    syn_axpy(out + (size_t)i * d, x + (size_t)i * d, %.2ff, d);" % rng.uniform(-1, 1),
        ],
    }
    filler(rng, b, ctx, callees, rng.randint(3, 7))
    b.add("out[0] += acc * 0.0f;")
    return b


def red_body(rng, name, callees):
    b = Body(rng)
    b.add("float acc = 0.0f;")
    b.add("double sq = 0.0;")
    ctx = {
        "vec": [("x", "n")],
        "acc": "acc", "num": ["sq", "(double)n"],
        "str": ['"%s"' % name], "int": ["n"], "iacc": "n",
        "snippets": [
            lambda rng, b: "for (int i = 0; i < n; i++)\n    acc += x[i] * %.3ff;" % rng.uniform(0.1, 2),
            lambda rng, b: "for (int i = 0; i < n; i++)\n    sq += (double)x[i] * x[i];",
            lambda rng, b: "if (n > %d)\n    acc /= (float)n;\nelse\n    acc = syn_clampf(acc, -1.0f, 1.0f);" % rng.randint(1, 64),
            lambda rng, b: "for (int i = 1; i < n; i++)\n    if (x[i] > x[i - 1])\n        acc += x[i] - x[i - 1];",
            lambda rng, b: "acc += (float)sqrt(sq + %.1f);" % rng.uniform(0, 4),
        ],
    }
    filler(rng, b, ctx, callees, rng.randint(3, 6))
    b.add("return acc + (float)sq;")
    return b


def layer_body(rng, name, callees):
    b = Body(rng)
    b.add("float *h = syn_alloc(batch, l->out);")
    b.add("if (!h)\n    return;")
    b.add("float acc = 0.0f;")
    ctx = {
        "mat": [("y", "y", "batch", "l->out"), ("h", "y", "batch", "l->out"),
                ("y", "h", "batch", "l->out")],
        "vec": [("l->b", "l->out"), ("h + (size_t)(batch - 1) * l->out", "l->out")],
        "layer": ["%s(l, x, h, batch);"],
        "acc": "acc", "num": ["(double)batch", "(double)l->in"],
        "str": ['"%s"' % name], "int": ["batch", "l->in"], "iacc": "batch",
        "snippets": [
            lambda rng, b: "syn_matmul_tn(h, x, l->w, batch, l->in, l->out);",
            lambda rng, b: "syn_add_bias(h, l->b, batch, l->out);",
            lambda rng, b: "for (int i = 0; i < batch; i++)\n    syn_activate(h + (size_t)i * l->out, l->out, l->act);",
            lambda rng, b: "memcpy(y, h, sizeof(float) * (size_t)batch * (size_t)l->out);",
            lambda rng, b: loop2("batch", "l->out", "y[(size_t)i * l->out + j] += %.3ff * h[(size_t)i * l->out + j];" % rng.uniform(0.01, 1)),
            lambda rng, b: "for (int o = 0; o < l->out; o++) {\n    float g = 0.0f;\n    for (int i = 0; i < batch; i++)\n        g += y[(size_t)i * l->out + o];\n    l->db[o] += g;\n    acc += g;\n}",
            lambda rng, b: "switch (l->act) {\ncase SYN_ACT_RELU:\n    acc *= 0.5f;\n    break;\ncase SYN_ACT_TANH:\n    acc = tanhf(acc);\n    break;\ndefault:\n    break;\n}",
            lambda rng, b: "if (acc != acc)\n    fprintf(stderr, \"%s: nan in layer %%d x %%d\\n\", l->in, l->out);" % name,
        ],
    }
    filler(rng, b, ctx, callees, rng.randint(4, 8))
    b.add("l->db[0] += acc * 0.0f;")
    b.add("free(h);")
    return b


def load_body(rng, name, callees):
    b = Body(rng)
    b.add("size_t want = (size_t)ld->batch * (size_t)ld->dim;")
    b.add("int n = 0;")
    ctx = {
        "mat": [("x", "x", "ld->batch", "ld->dim")],
        "vec": [("x + (size_t)(ld->batch - 1) * ld->dim", "ld->dim")],
        "loader": None,
        "str": ["ld->path"], "int": ["ld->dim", "n"], "iacc": "n",
        "snippets": [
            lambda rng, b: "if (!ld->fp) {\n    ld->fp = fopen(ld->path, \"rb\");\n    if (!ld->fp)\n        return -1;\n}",
            lambda rng, b: "if (ld->fp && fread(x, sizeof(float), want, ld->fp) != want) {\n    rewind(ld->fp);\n    ld->pos = 0;\n}",
            lambda rng, b: "for (int i = 0; i < ld->batch; i++)\n    y[i] = (int)(syn_rand(&ld->rng) %% %d);" % rng.choice([2, 10, 100, 1000]),
            lambda rng, b: "for (size_t i = 0; i < want; i++)\n    x[i] = (float)syn_rand(&ld->rng) / 32768.0f - 0.5f;",
            lambda rng, b: "ld->pos += (long)want;\nif (ld->pos >= ld->size)\n    ld->pos = 0;",
            lambda rng, b: "{\n    const char *dot = strrchr(ld->path, '.');\n    if (dot && strcmp(dot, \".%s\") == 0)\n        n++;\n}" % rng.choice(["bin", "dat", "txt", "f32"]),
            lambda rng, b: "n += (int)strlen(ld->path) %% %d;" % rng.randint(2, 9),
        ],
    }
    filler(rng, b, ctx, callees, rng.randint(4, 8))
    b.add("return n + (int)(want & 1u);")
    return b


def step_body(rng, name, callees):
    b = Body(rng)
    b.add("float loss = 0.0f;")
    b.add("int n_layers = SYN_MIN(m->n_layers, cfg->n_layers);")
    ctx = {
        "mat": [("m->probs", "m->logits", "m->batch", "m->classes"),
                ("m->dlogits", "m->probs", "m->batch", "m->classes")],
        "vec": [("m->layers[0].b", "m->layers[0].out")],
        "layer": ["for (int k = 0; k < n_layers; k++)\n    %s(&m->layers[k], x, m->logits, m->batch);"],
        "model": "m, cfg, x, y", "acc": "loss", "num": ["(double)cfg->lr"],
        "str": ["cfg->data_path"], "int": ["cfg->batch", "n_layers"],
        "iacc": "n_layers",
        "snippets": [
            lambda rng, b: "syn_softmax(m->probs, m->logits, m->batch, m->classes);",
            lambda rng, b: "loss += syn_cross_entropy(m->probs, y, m->batch, m->classes);",
            lambda rng, b: "syn_cross_entropy_backward(m->dlogits, m->probs, y, m->batch, m->classes);",
            lambda rng, b: "for (int k = 0; k < n_layers; k++) {\n    syn_layer *l = &m->layers[k];\n    syn_adamw(l->w, l->dw, l->m, l->v, cfg, m->step + 1, l->out, l->in);\n    syn_sgd(l->b, l->db, cfg->lr, l->out);\n}",
            lambda rng, b: "for (int k = 0; k < n_layers; k++)\n    syn_zero_grad(&m->layers[k]);",
            lambda rng, b: "if (m->step %% %d == 0)\n    syn_log(\"%s\", \"loss\", (double)loss);" % (rng.choice([10, 50, 100]), name),
            lambda rng, b: "m->loss = 0.9f * m->loss + 0.1f * loss;",
        ],
    }
    filler(rng, b, ctx, callees, rng.randint(4, 8))
    b.add("m->step += n_layers > 0;")
    b.add("return loss;")
    return b


def str_body(rng, name, callees):
    b = Body(rng)
    b.add("int n = 0;")
    b.add("char buf[64];")
    ctx = {
        "str": ["s", "buf"], "int": ["k", "n"], "iacc": "n",
        "snippets": [
            lambda rng, b: "if (s && strlen(s) < sizeof buf)\n    strcpy(buf, s);\nelse\n    buf[0] = '\\0';",
            lambda rng, b: "for (const char *p = s; p && *p; p++)\n    n += *p == '%s';" % rng.choice("_-./ax"),
            lambda rng, b: "snprintf(buf, sizeof buf, \"%s-%d\", s ? s : \"\", k);",
            lambda rng, b: "n += syn_parse_int(s, k);",
            lambda rng, b: "if (s && strncmp(s, \"%s\", %d) == 0)\n    n += k;" % ((name[:4],) * 1 + (min(4, len(name)),)),
            lambda rng, b: "n = n * 31 + (int)strlen(buf) %% %d;" % rng.randint(3, 97),
        ],
    }
    b.add("buf[0] = '\\0';")
    filler(rng, b, ctx, callees, rng.randint(3, 6))
    b.add("return n;")
    return b


def num_body(rng, name, callees):
    b = Body(rng)
    b.add("double acc = a;")
    ctx = {
        "acc": "acc", "num": ["a", "b", "%.2f" % rng.uniform(0, 3)],
        "snippets": [
            lambda rng, b: "acc = acc * b + %.3f;" % rng.uniform(-1, 1),
            lambda rng, b: "if (fabs(acc) > %.1f)\n    acc = %s(acc);" % (rng.uniform(1, 100), rng.choice(["log1p", "sqrt", "cbrt", "tanh"])),
            lambda rng, b: "for (int i = 0; i < %d; i++)\n    acc = 0.5 * (acc + b / (acc + 1.0));" % rng.randint(2, 8),
            lambda rng, b: "acc += pow(fabs(b), %.2f);" % rng.uniform(0.1, 2),
        ],
    }
    filler(rng, b, ctx, callees, rng.randint(2, 5))
    b.add("return acc;")
    return b


BODIES = {"ew": ew_body, "red": red_body, "layer": layer_body,
          "load": load_body, "step": step_body, "str": str_body,
          "num": num_body}


def trainer_main(rng, unit, callees):
    b = Body(rng)
    b.add("syn_config cfg;")
    b.add("memset(&cfg, 0, sizeof cfg);")
    b.add("cfg.batch = argc > 1 ? syn_parse_int(argv[1], SYN_BATCH) : SYN_BATCH;")
    b.add("cfg.classes = SYN_CLASSES;")
    b.add("cfg.hidden = SYN_HIDDEN;")
    b.add("cfg.n_layers = %d;" % rng.randint(2, 6))
    b.add("cfg.lr = %.4ff;" % rng.uniform(1e-4, 1e-2))
    b.add("cfg.beta1 = 0.9f;\ncfg.beta2 = 0.999f;")
    b.add("cfg.max_steps = %d;" % rng.choice([100, 500, 1000]))
    b.add("snprintf(cfg.data_path, sizeof cfg.data_path, \"data/%s.bin\");" % unit.name)
    b.add("syn_model *m = syn_xmalloc(sizeof *m);")
    b.add("memset(m, 0, sizeof *m);")
    b.add("m->cfg = cfg;\nm->batch = cfg.batch;\nm->classes = cfg.classes;\nm->n_layers = cfg.n_layers;")
    b.add("m->logits = syn_alloc(m->batch, m->classes);")
    b.add("m->probs = syn_alloc(m->batch, m->classes);")
    b.add("m->dlogits = syn_alloc(m->batch, m->classes);")
    b.add("m->labels = syn_alloc_labels(m->batch);")
    b.add("float *x = syn_alloc(cfg.batch, cfg.hidden);")
    b.add("SYN_CHECK(m->logits && m->probs && m->dlogits && m->labels && x);")
    b.add("for (int k = 0; k < m->n_layers; k++) {\n"
          "    syn_layer *l = &m->layers[k];\n"
          "    l->in = cfg.hidden;\n"
          "    l->out = k + 1 == m->n_layers ? cfg.classes : cfg.hidden;\n"
          "    l->act = k + 1 == m->n_layers ? SYN_ACT_NONE : SYN_ACT_GELU;\n"
          "    l->w = syn_alloc(l->out, l->in);\n"
          "    l->b = syn_alloc_vec(l->out);\n"
          "    l->dw = syn_alloc(l->out, l->in);\n"
          "    l->db = syn_alloc_vec(l->out);\n"
          "    l->m = syn_alloc(l->out, l->in);\n"
          "    l->v = syn_alloc(l->out, l->in);\n"
          "}")
    b.add("float loss = 0.0f;")
    b.add("for (long step = 0; step < cfg.max_steps; step++) {")
    steps = [f for f in unit.funcs + unit.statics if f[1] == "step"]
    for fname, _ in steps:
        b.add("loss += %s(m, &cfg, x, m->labels);" % fname, 2)
    for fname, fam in callees:
        if fam == "step" and rng.random() < 0.5:
            b.add("loss += %s(m, &cfg, x, m->labels);" % fname, 2)
    b.add("if (step % 100 == 0)\n    printf(\"step %ld loss %.4f\\n\", step, (double)loss);", 2)
    b.add("}")
    b.add("for (int k = 0; k < m->n_layers; k++) {\n"
          "    free(m->layers[k].w);\n    free(m->layers[k].b);\n"
          "    free(m->layers[k].dw);\n    free(m->layers[k].db);\n"
          "    free(m->layers[k].m);\n    free(m->layers[k].v);\n}")
    b.add("free(x);\nfree(m->logits);\nfree(m->probs);\nfree(m->dlogits);\nfree(m->labels);\nfree(m);")
    b.add("return loss > 0.0f ? 0 : 1;")
    return "int main(int argc, char **argv)\n{\n%s\n}\n" % "\n".join(b.lines)


# Parameters a body may leave unused, marked as such at its start.
PARAMS = {"ew": ["x"], "red": ["x", "n"], "layer": ["x", "y"], "load": ["x", "y"],
          "step": ["x", "y"], "str": ["s", "k"], "num": ["b"]}


def function_text(rng, fname, family, static, callees, must_use):
    sig = SIGNATURES[family] % fname
    body = BODIES[family](rng, fname, callees)
    for param in PARAMS[family]:
        body.lines.insert(0, "    (void)%s;" % param)
    # The unit's static helpers not called otherwise (a "use" keeps
    # -Wunused-function quiet, as a call would).
    for helper in must_use:
        body.lines.insert(1, "    (void)%s;" % helper)
    comment = "/* %s: %s. */\n" % (fname, {
        "ew": "elementwise over a [n, d] buffer",
        "red": "a reduction of x[n]",
        "layer": "a layer's forward pass",
        "load": "the next batch from the loader",
        "step": "one training step",
        "str": "a string helper",
        "num": "a numeric helper"}[family])
    return "%s%s%s\n{\n%s\n}\n" % (comment, "static " if static else "", sig,
                                   "\n".join(body.lines))


def header_text(unit):
    guard = "SYN_GEN_%s_H" % unit.name.upper()
    lines = ["/* %s.h - the functions of src/%s/%s.c. */" % (unit.name, unit.kind, unit.name),
             "#ifndef %s" % guard, "#define %s" % guard, "",
             '#include "../tensor.h"', ""]
    for fname, family in unit.funcs:
        lines.append(SIGNATURES[family] % fname + ";")
    lines += ["", "#endif", ""]
    return "\n".join(lines)


def unit_text(rng, unit):
    headers = list(SYSTEM_HEADERS)
    for h in OPTIONAL_HEADERS:
        if rng.random() < 0.3:
            headers.append(h)
    out = ["/* %s.c - %s (generated by bench/gen_codebase.py). */" % (unit.name, unit.kind)]
    out += ["#include %s" % h for h in headers]
    out += ["", '#include "config.h"', '#include "kernels.h"',
            '#include "optim.h"', '#include "tensor.h"', '#include "util.h"',
            '#include "gen/%s.h"' % unit.name]
    out += ['#include "gen/%s.h"' % d.name for d in unit.deps]
    out.append("")
    for text in unit.core:
        out.append(text)
    # Statics first (they may be called by the external functions).
    visible = callable_in(None, unit)
    for fname, family in unit.statics:
        out.append(function_text(rng, fname, family, True, visible, []))
        visible = visible + [(fname, family)]
    for i, (fname, family) in enumerate(unit.funcs):
        must_use = [f for f, _ in unit.statics] if i == 0 else []
        out.append(function_text(rng, fname, family, False, visible, must_use))
        visible = visible + [(fname, family)]
    if unit.kind == "train":
        out.append(trainer_main(rng, unit, callable_in(None, unit)))
    return "\n".join(out)


def plan(rng, n_tus):
    units = []
    counts = {}
    for kind, share in KINDS:
        counts[kind] = max(1, int(round(n_tus * share)))
    # Adjust to exactly n_tus.
    while sum(counts.values()) > n_tus:
        counts[max(counts, key=counts.get)] -= 1
    while sum(counts.values()) < n_tus:
        counts["layers"] += 1
    order = []
    for kind, _ in KINDS:
        order += [kind] * counts[kind]
    # Interleave kinds deterministically, kernels and util first.
    for i, kind in enumerate(order):
        units.append(Unit(i, kind, "%s_%03d" % (kind, i)))
    by_kind = {}
    for u in units:
        by_kind.setdefault(u.kind, []).append(u)
    # Core definitions: kernels into the first kernel units, etc.
    for i, text in enumerate(CORE_KERNELS):
        by_kind["kernels"][i % len(by_kind["kernels"])].core.append(text)
    for i, text in enumerate(CORE_OPTIM):
        by_kind["util"][i % len(by_kind["util"])].core.append(text)
    for i, text in enumerate(CORE_UTIL):
        by_kind["util"][(i + 3) % len(by_kind["util"])].core.append(text)
    for u in units:
        fams = KIND_FAMILIES[u.kind]
        for k in range(rng.randint(6, 14)):
            fam = rng.choice(fams)
            fname = "%s_%s%d" % (u.name, fam, k)
            if rng.random() < 0.25:
                u.statics.append((fname, fam))
            else:
                u.funcs.append((fname, fam))
        if not u.funcs:
            u.funcs.append(("%s_num_x" % u.name, "num"))
    # Dependencies: 2-5 earlier units, preferring the layers below.
    for u in units:
        earlier = units[:u.index]
        if earlier:
            u.deps = rng.sample(earlier, min(len(earlier), rng.randint(2, 5)))
    return units


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out")
    ap.add_argument("--tus", type=int, default=240)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shapecheck-include", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "annotations"))
    args = ap.parse_args()
    if args.tus < 5:
        ap.error("--tus must be at least 5")
    out = os.path.abspath(args.out)
    rng = random.Random(args.seed)
    units = plan(rng, args.tus)

    def write(rel, text):
        path = os.path.join(out, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:
            with open(path) as f:
                if f.read() == text:
                    return  # unchanged: keep the time stamp
        except OSError:
            pass
        with open(path, "w") as f:
            f.write(text)

    write("include/config.h", CONFIG_H)
    write("include/tensor.h", TENSOR_H)
    write("include/kernels.h", KERNELS_H)
    write("include/optim.h", OPTIM_H)
    write("include/util.h", UTIL_H)
    entries = []
    inc = os.path.abspath(args.shapecheck_include)
    for u in units:
        write("include/gen/%s.h" % u.name, header_text(u))
        src = "src/%s/%s.c" % (u.kind, u.name)
        write(src, unit_text(rng, u))
        entries.append({
            "directory": out,
            "arguments": ["cc", "-std=c11", "-O2", "-Wall", "-Wextra",
                          "-DNDEBUG", "-I" + os.path.join(out, "include"),
                          "-I" + inc, "-o", "obj/%s.o" % u.name, "-c", src],
            "file": os.path.join(out, src),
        })
    write("compile_commands.json", json.dumps(entries, indent=1) + "\n")


if __name__ == "__main__":
    main()
