/*
 * gen_limits.c - writes the pathological programs of tests/limits, at test
 * time rather than as megabytes in the repository.
 *
 *   gen_limits CASE FILE.c
 *
 * Each case is a C file meant to be given to shapecheck; limits.cmake
 * says what the checker must answer for each, and within what time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static FILE *out;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

/* N copies of S, separated by SEP. */
static void repeat(const char *s, const char *sep, int n)
{
    for (int i = 0; i < n; i++)
        emit("%s%s", i ? sep : "", s);
}

/* 200,000 lines: 20,000 annotated functions of ten lines, then a call
   with the wrong size at the very end. */
static void big_file(void)
{
    emit("#include \"shapecheck.h\"\n\n");
    for (int i = 0; i < 20000; i++)
        emit("/* kernel %d */\n"
             "static float sum_%d(const float *x SHAPE(n), int n)\n"
             "{\n"
             "    float s = 0;\n"
             "    for (int i = 0; i < n; i++)\n"
             "        s += x[i] * %d;\n"
             "    return s;\n"
             "}\n"
             "\n"
             "\n",
             i, i, i % 7);
    emit("float last(void)\n{\n    float buf[8];\n"
         "    return sum_19999(buf, 16);\n}\n");
}

/* A SHAPE of 10,000 dims (over the limit of 4,096), and calls between
   shapes of exactly 4,096 dims, one of which cannot match. */
static void many_dims(void)
{
    emit("#include \"shapecheck.h\"\n\n");
    emit("void too_many(float *x SHAPE(");
    repeat("1", ", ", 10000);
    emit("));\n\n");
    emit("void at_limit(float *x SHAPE(");
    repeat("N", ", ", 4096);
    emit("));\n\n");
    emit("void caller(float *p SHAPE(");
    repeat("2", ", ", 4095);
    emit(", 3))\n{\n    at_limit(p);\n}\n");
}

/* Expressions 1,000 deep: an operator chain (accepted: the call at its
   bottom is checked), parentheses (clang's -fbracket-depth decides), and
   an annotation (the dimension language's limit). */
static void deep_chain(void)
{
    emit("#include \"shapecheck.h\"\n\n"
         "int sink(const float *x SHAPE(n), int n);\n\n"
         "int chain(int n)\n{\n    float buf[4];\n    return sink(buf, 5)");
    for (int i = 0; i < 1000; i++)
        emit(" + n");
    emit(";\n}\n");
}

static void deep_parens(void)
{
    emit("int parens(int a)\n{\n    return ");
    repeat("(", "", 1000);
    emit("a");
    repeat(" + 1)", "", 1000);
    emit(";\n}\n");
}

static void deep_annotation(void)
{
    emit("#include \"shapecheck.h\"\n\n"
         "void f(const float *x SHAPE(");
    repeat("(", "", 1000);
    emit("n");
    repeat(")", "", 1000);
    emit("), int n);\n");
}

/* A call chain 10,000 deep, f0 -> f1 -> ... -> f9999 -> sink, each passing
   the buffer on.  FORWARD: defined caller first; otherwise callee first.
   Summaries are made callees first whatever the order in the file. */
static void call_chain(int forward)
{
    const int n = 10000;
    emit("#include \"shapecheck.h\"\n\n"
         "void sink(float *x SHAPE(n), int n);\n");
    for (int i = 0; i < n; i++)
        emit("void f%d(float *x, int n);\n", i);
    for (int k = 0; k < n; k++) {
        int i = forward ? k : n - 1 - k;
        if (i + 1 < n)
            emit("void f%d(float *x, int n)\n{\n    f%d(x, n);\n}\n", i, i + 1);
        else
            emit("void f%d(float *x, int n)\n{\n    sink(x, n);\n}\n", i);
    }
    emit("void top(void)\n{\n    float buf[8];\n    f0(buf, 16);\n}\n");
}

/* The deepest walk the engine can be asked for: 40 functions in a chain,
   each making its call at the bottom of 1,990 nested ifs or of a 1,990
   deep conditional expression (the front end stops at 2,000 levels). */
static void deep_walk(int conditional)
{
    const int depth = 1990;
    emit("#include \"shapecheck.h\"\n\n"
         "int sink(float *x SHAPE(n), int n);\n");
    for (int i = 39; i >= 0; i--) {
        char callee[16];
        snprintf(callee, sizeof callee, i == 39 ? "sink" : "h%d", i + 1);
        emit("int h%d(float *x, int n)\n{\n    int r = 0;\n    ", i);
        if (conditional) {
            emit("r = ");
            for (int k = 0; k < depth; k++)
                emit("n > %d ? ", k);
            emit("%s(x, n)", callee);
            repeat(" : 0", "", depth);
        } else {
            for (int k = 0; k < depth; k++)
                emit("if (n > %d) ", k);
            emit("r = %s(x, n)", callee);
        }
        emit(";\n    return r;\n}\n");
    }
    emit("int top(void)\n{\n    float buf[4];\n    return h0(buf, 8);\n}\n");
}

/* A ring of 1,000 functions, each calling the next, and two that call each
   other; each also passes its buffer to an annotated sink. */
static void mutual_recursion(void)
{
    const int n = 1000;
    emit("#include \"shapecheck.h\"\n\n"
         "void sink(float *x SHAPE(n), int n);\n");
    for (int i = 0; i < n; i++)
        emit("void ring%d(float *x, int n, int d);\n", i);
    for (int i = 0; i < n; i++)
        emit("void ring%d(float *x, int n, int d)\n{\n    sink(x, n);\n"
             "    if (d > 0)\n        ring%d(x, n, d - 1);\n}\n",
             i, (i + 1) % n);
    emit("float *even(float *x SHAPE(n), int n, int d) RETURNS_SHAPE(n);\n"
         "float *odd(float *x, int n, int d);\n"
         "float *even(float *x, int n, int d)\n{\n"
         "    return d ? odd(x, n, d - 1) : x;\n}\n"
         "float *odd(float *x, int n, int d)\n{\n"
         "    return even(x, n, d);\n}\n"
         "void top(void)\n{\n    float buf[8];\n    ring0(buf, 8, 3);\n"
         "    ring500(buf, 9, 3);\n    odd(buf, 8, 4);\n"
         "    odd(buf, 7, 4);\n    odd(buf, 9, 4);\n}\n");
}

/* Annotations written by macros: a function-like macro around SHAPE,
   1,000 declarations made by one macro, a self-referential macro and a
   chain of 10,000 macros that an annotation names. */
static void macros(void)
{
    emit("#include \"shapecheck.h\"\n\n"
         "#define SQUARE(n) SHAPE(n, n)\n"
         "#define KERNEL(name) void name(const float *x SHAPE(len), int len)\n"
         "#define SELF SELF\n"
         "#define M0 3\n");
    for (int i = 1; i < 10000; i++)
        emit("#define M%d (M%d + 0)\n", i, i - 1);
    for (int i = 0; i < 1000; i++)
        emit("KERNEL(kernel%d);\n", i);
    emit("void square(const float *m SQUARE(k), int k);\n"
         "void self(const float *x SHAPE(SELF));\n"
         "void chained(const float *x SHAPE(M9999));\n"
         "void near(const float *x SHAPE(M10));\n"
         "void top(void)\n{\n    float a[3][4], v[5], v2[2];\n"
         "    square(&a[0][0], 3);\n"
         "    kernel999(v, 6);\n"
         "    self(v);\n"
         "    chained(v);\n"
         "    near(v);\n"
         "    near(v2);\n}\n");
}

/* (a+b)*(a+b)*...: far more monomials than DIM_MAX_TERMS, in an
   annotation and in code. */
static void polynomial(void)
{
    emit("#include \"shapecheck.h\"\n\n"
         "void f(const float *x SHAPE(");
    repeat("(a + b + c + d)", " * ", 40);
    emit("), int a, int b, int c, int d);\n"
         "void g(const float *x SHAPE(k), int k);\n"
         "void top(int a, int b)\n{\n    float buf[3];\n"
         "    f(buf, a, b, a, b);\n    int k = ");
    repeat("(a + b)", " * ", 60);
    emit(";\n    g(buf, k);\n}\n");
}

/* One function of 10,000 locals and 10,000 ifs one after the other, and
   one of 1,000 locals and 1,990 nested ifs. */
static void branches(int nested)
{
    int locals = nested ? 1000 : 10000, ifs = nested ? 1990 : 10000;
    emit("#include \"shapecheck.h\"\n\n"
         "void sink(float *x SHAPE(n), int n);\n"
         "void big(int c)\n{\n    float buf[4];\n");
    for (int i = 0; i < locals; i++)
        emit("    int v%d = %d;\n", i, i);
    for (int i = 0; i < ifs; i++)
        emit(nested ? "    if (c > %d)\n"
                    : "    if (c > %d)\n"
                      "        v%d = c;\n",
             i, i % locals);
    emit(nested ? "    sink(buf, v0 + 5);\n}\n" : "    sink(buf, 5);\n}\n");
}

/* A struct of 3,000 ints copied whole in 150 branches inside a loop:
   each join where the branches meet touches every field, and the walk
   needs more than its memory budget.  The function's own mismatch after
   the loop is past the budget (not reported); the next function's is. */
static void work_budget(void)
{
    emit("#include \"shapecheck.h\"\n\n"
         "void sink(float *x SHAPE(n), int n);\n"
         "struct big {\n");
    for (int i = 0; i < 3000; i++)
        emit("    int f%d;\n", i);
    emit("};\nstruct big make(int k);\n"
         "void heavy(int c)\n{\n    float buf[4];\n"
         "    for (int i = 0; i < c; i++) {\n"
         "        struct big b = make(0);\n");
    for (int k = 0; k < 150; k++)
        emit("        %sif (c == %d)\n            b = make(%d);\n",
             k ? "else " : "", k + 2, k);
    emit("        sink(buf, b.f0);\n    }\n    sink(buf, 5);\n}\n"
         "void light(void)\n{\n    float buf[4];\n    sink(buf, 6);\n}\n");
}

/* Twelve loops nested, a wrong call in the innermost: each loop is walked
   a few times per round of the loop around it, so without remembering
   the inner loops' fixpoints this is 3^12 walks of the innermost body. */
static void nested_loops(void)
{
    emit("#include \"shapecheck.h\"\n\n"
         "void sink(float *x SHAPE(n), int n);\n"
         "void nest(int c)\n{\n    float buf[4];\n    int t = 0;\n");
    for (int i = 0; i < 12; i++)
        emit("%*sfor (int i%d = 0; i%d < c; i%d++) {\n", 4 * (i + 1), "", i, i,
             i);
    emit("%*st += i11;\n%*ssink(buf, 5);\n", 52, "", 52, "");
    for (int i = 11; i >= 0; i--)
        emit("%*s}\n", 4 * (i + 1), "");
    emit("    (void)t;\n}\n");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_limits CASE FILE.c\n");
        return 2;
    }
    static const struct {
        const char *name;
        void (*fn)(void);
    } plain[] = {
        {"big_file", big_file},
        {"many_dims", many_dims},
        {"deep_chain", deep_chain},
        {"deep_parens", deep_parens},
        {"deep_annotation", deep_annotation},
        {"mutual_recursion", mutual_recursion},
        {"macros", macros},
        {"polynomial", polynomial},
        {"work_budget", work_budget},
        {"nested_loops", nested_loops},
    };
    out = fopen(argv[2], "w");
    if (!out) {
        perror(argv[2]);
        return 2;
    }
    const char *c = argv[1];
    int found = 1;
    if (strcmp(c, "call_chain_forward") == 0)
        call_chain(1);
    else if (strcmp(c, "call_chain_backward") == 0)
        call_chain(0);
    else if (strcmp(c, "deep_walk_ifs") == 0)
        deep_walk(0);
    else if (strcmp(c, "deep_walk_conditional") == 0)
        deep_walk(1);
    else if (strcmp(c, "branches_sequential") == 0)
        branches(0);
    else if (strcmp(c, "branches_nested") == 0)
        branches(1);
    else {
        found = 0;
        for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
            if (strcmp(c, plain[i].name) == 0) {
                plain[i].fn();
                found = 1;
            }
    }
    if (fclose(out) != 0 || !found) {
        fprintf(stderr, "gen_limits: %s\n",
                found ? "cannot write the file" : "no such case");
        return 2;
    }
    return 0;
}
