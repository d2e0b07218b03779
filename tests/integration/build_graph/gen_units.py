#!/usr/bin/env python3
"""gen_units.py OUT_DIR [--units N] [--clean] [--second-bug]

Writes a CMake project of N translation units (default 200) checked with
shapecheck_add_check(), for tests/integration/build_graph_incremental.cmake
and bench/build_graph.sh.  Deterministic; generated at test time, never
committed.

  include/kernels.h  annotated kernels (matmul, softmax_xent, read_labels)
  include/units.h    the units' functions, unannotated, and the sizes
  include/shared.h   a header only u010.c, u011.c and u012.c include
  src/u000.c         the kernels, load_labels() and batch_loss()
  src/uNNN.c         layer_NNN(x, rows): [rows, CLASSES] from malloc and
                     matmul; most call the layer before them
  src/train.c        the program: logits from layer_150 (u150.c), labels
                     from load_labels (u000.c), the loss through
                     batch_loss (u000.c) - with half a batch of labels,
                     unless --clean
  CMakeLists.txt     library "units" (u000..), program "train" linking it,
                     shapecheck_add_check(train)

The bug crosses three files; the checker sees it only with every unit's
facts in the link step.  --second-bug adds check_042() to u042.c, a loss
of layer_041's [n, 4] logits (u041.c) and n - 1 labels (u000.c).

A file whose content would not change is not written again, so running
this again with other options changes only the files that differ (as an
edit does, for an incremental build).
"""
import argparse
import os

KERNELS_H = """\
#ifndef KERNELS_H
#define KERNELS_H
#include "shapecheck.h"

void matmul(float *out SHAPE(rows, cols), const float *x SHAPE(rows, inner),
            const float *w SHAPE(inner, cols), int rows, int inner, int cols);
float softmax_xent(const float *logits SHAPE(n, c), const int *labels SHAPE(n),
                   int n, int c) SHAPE_LOSS(logits, labels);
void read_labels(int *out SHAPE(count), int count, unsigned seed);
#endif
"""

SHARED_H = """\
#ifndef SHARED_H
#define SHARED_H
#define SHARED_SCALE 1.0f
#endif
"""

U000_C = """\
#include <math.h>
#include <stdlib.h>

#include "kernels.h"
#include "units.h"

void matmul(float *out, const float *x, const float *w, int rows, int inner,
            int cols)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            float acc = 0;
            for (int k = 0; k < inner; k++)
                acc += x[i * inner + k] * w[k * cols + j];
            out[i * cols + j] = acc;
        }
}

float softmax_xent(const float *logits, const int *labels, int n, int c)
{
    double total = 0;
    for (int i = 0; i < n; i++) {
        const float *row = logits + i * c;
        float max = row[0];
        for (int j = 1; j < c; j++)
            max = row[j] > max ? row[j] : max;
        double sum = 0;
        for (int j = 0; j < c; j++)
            sum += exp(row[j] - max);
        total += log(sum) + max - row[labels[i]];
    }
    return (float)(total / n);
}

void read_labels(int *out, int count, unsigned seed)
{
    for (int i = 0; i < count; i++) {
        seed = seed * 1103515245u + 12345u;
        out[i] = (int)((seed >> 16) % CLASSES);
    }
}

int *load_labels(int count, unsigned seed)
{
    int *labels = malloc(sizeof(int) * (size_t)count);
    if (!labels)
        return NULL;
    read_labels(labels, count, seed);
    return labels;
}

float batch_loss(const float *logits, const int *labels, int n)
{
    return softmax_xent(logits, labels, n, CLASSES);
}
"""

LAYER_C = """\
#include <stdlib.h>

#include "kernels.h"
#include "units.h"
{extra_include}
static float weights_{n}[IN][CLASSES];

float *layer_{n}(const float *x, int rows)
{{
{call_before}    float *out = malloc(sizeof(float) * (size_t)rows * CLASSES);
    if (!out)
        return NULL;
    for (int i = 0; i < IN * CLASSES; i++)
        weights_{n}[i / CLASSES][i % CLASSES] = (float)(i % 7) * {scale};
    matmul(out, x, &weights_{n}[0][0], rows, IN, CLASSES);
    return out;
}}
"""

SECOND_BUG = """
float check_042(int n)
{
    float *x = calloc((size_t)n * IN, sizeof(float));
    float *logits = x ? layer_041(x, n) : NULL;
    int *labels = load_labels(n - 1, 1);
    float loss = logits && labels ? batch_loss(logits, labels, n) : 0;
    free(labels);
    free(logits);
    free(x);
    return loss;
}
"""

CALL_BEFORE = """\
    float *before = layer_{prev}(x, rows);
    free(before);
"""

TRAIN_C = """\
#include <stdio.h>
#include <stdlib.h>

#include "units.h"

int main(int argc, char **argv)
{{
    int batch = argc > 1 ? atoi(argv[1]) : 8;
    if (batch < 2 || batch > 1024)
        batch = 8;
    float *x = calloc((size_t)batch * IN, sizeof(float));
    float *logits = x ? layer_150(x, batch) : NULL;
    int *labels = load_labels({labels}, 3);
    if (!logits || !labels)
        return 1;
    printf("loss %.4f\\n", (double)batch_loss(logits, labels, batch));
    free(labels);
    free(logits);
    free(x);
    return 0;
}}
"""

CMAKELISTS = """\
cmake_minimum_required(VERSION 3.20)
project(shapecheck_units C)
set(CMAKE_C_STANDARD 11)
find_package(shapecheck REQUIRED COMPONENTS checker)

file(GLOB units CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/u*.c)
add_library(units STATIC ${units})
target_include_directories(units PUBLIC include ${SHAPECHECK_INCLUDE_DIR})
target_link_libraries(units PUBLIC m)
add_executable(train src/train.c)
target_link_libraries(train PRIVATE units)
shapecheck_add_check(train)
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        with open(path) as f:
            if f.read() == text:
                return
    with open(path, "w") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--units", type=int, default=200)
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("--second-bug", action="store_true")
    a = ap.parse_args()
    if a.units < 152:
        ap.error("--units must be at least 152 (train.c calls layer_150)")
    layers = range(1, a.units - 1)  # u000 and train.c are the other two

    units_h = ["#ifndef UNITS_H", "#define UNITS_H", "", "#define IN 8",
               "#define CLASSES 4", "",
               "int *load_labels(int count, unsigned seed);",
               "float batch_loss(const float *logits, const int *labels, "
               "int n);"]
    units_h += ["float *layer_%03d(const float *x, int rows);" % n
                for n in layers]
    units_h += ["", "#endif", ""]
    write(os.path.join(a.out, "include", "units.h"), "\n".join(units_h))
    write(os.path.join(a.out, "include", "kernels.h"), KERNELS_H)
    write(os.path.join(a.out, "include", "shared.h"), SHARED_H)
    write(os.path.join(a.out, "src", "u000.c"), U000_C)
    for n in layers:
        shared = n in (10, 11, 12)
        text = LAYER_C.format(
            n="%03d" % n,
            extra_include='#include "shared.h"\n' if shared else "",
            scale="SHARED_SCALE" if shared else "1.0f",
            call_before=(CALL_BEFORE.format(prev="%03d" % (n - 1))
                         if n % 4 != 1 else ""))
        if n == 42 and a.second_bug:
            text += SECOND_BUG
        write(os.path.join(a.out, "src", "u%03d.c" % n), text)
    write(os.path.join(a.out, "src", "train.c"), TRAIN_C.format(
        labels="batch" if a.clean else "batch / 2"))
    write(os.path.join(a.out, "CMakeLists.txt"), CMAKELISTS)


if __name__ == "__main__":
    main()
