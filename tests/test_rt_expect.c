/*
 * test_rt_expect.c - run-time shape assertions: sc_scope, sc_bind,
 * sc_scope_get, sc_expect, sc_expect_dims and SC_EXPECT, with the exact
 * messages users read.
 */
#define _POSIX_C_SOURCE 200809L /* test_rt_util.h: fork, pipe */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_rt_util.h"

/* Asserts that CALL fails with STATUS and exactly MESSAGE. */
#define assert_fails(call, status, message)                                    \
    do {                                                                       \
        assert_int_equal((call), (status));                                    \
        assert_string_equal(sc_last_error(), (message));                       \
    } while (0)

/* The binding of SYMBOL in S, which must exist. */
static int64_t bound(const sc_scope *s, const char *symbol)
{
    int64_t v = -1;
    assert_true(sc_scope_get(s, symbol, &v));
    return v;
}

/* The example of the issue: N bound by the logits, then the labels. */
static void test_binds_across_calls(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    float buf[1];
    int64_t ls[2] = {32, 10}, ys[1] = {64};
    DLTensor logits = test_tensor(buf, ls, 2, TEST_F32);
    DLTensor labels = test_tensor(buf, ys, 1, TEST_I64);
    assert_int_equal(sc_expect(&s, "logits", &logits, "N, C"), SC_OK);
    assert_int_equal(bound(&s, "N"), 32);
    assert_int_equal(bound(&s, "C"), 10);
    assert_string_equal(s.bindings[0].bound_by, "logits");
    assert_fails(sc_expect(&s, "labels", &labels, "N"), SC_ERR_SHAPE,
                 "'labels' has shape [64] but N = 32 (bound by 'logits')");
    ys[0] = 32;
    assert_int_equal(sc_expect(&s, "labels", &labels, "N"), SC_OK);
    assert_int_equal(s.count, 2);
}

static void test_rank_mismatch(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t d[3] = {2, 3, 4};
    assert_fails(sc_expect_dims(&s, "labels", d, 2, "N"), SC_ERR_SHAPE,
                 "'labels' has rank 2 but [N] has rank 1");
    assert_fails(sc_expect_dims(&s, "x", d, 1, "N, C, ..."), SC_ERR_SHAPE,
                 "'x' has rank 1 but [N, C, ...] needs rank 2 or more");
    assert_fails(sc_expect_dims(&s, "z", d, 2, ""), SC_ERR_SHAPE,
                 "'z' has rank 2 but [] has rank 0");
    assert_int_equal(s.count, 0); /* nothing bound by a failure */
}

/* '...' takes dims from the front and from the back; '_' any one dim. */
static void test_ellipsis_and_any(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t d[4] = {2, 3, 4, 5};
    assert_int_equal(sc_expect_dims(&s, "x", d, 4, "B, ..., C"), SC_OK);
    assert_int_equal(bound(&s, "B"), 2);
    assert_int_equal(bound(&s, "C"), 5);
    assert_int_equal(sc_expect_dims(&s, "x", d, 4, "..., 4, C"), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "x", d, 4, "B, 3, 4, C, ..."), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "x", d, 4, "_, _, _, _"), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "x", d, 4, "..."), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "x", NULL, 0, "..."), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "x", NULL, 0, ""), SC_OK);
    assert_fails(sc_expect_dims(&s, "x", d, 4, "..., C, 5"), SC_ERR_SHAPE,
                 "'x' has shape [2, 3, 4, 5] but C = 5 (bound by 'x')");
    assert_fails(sc_expect_dims(&s, "x", d, 4, "_, 3, 5, ..."), SC_ERR_SHAPE,
                 "'x' has shape [2, 3, 4, 5] but [_, 3, 5, ...] wants 5 at "
                 "dim 2");
    assert_int_equal(s.count, 2);
}

/* Expressions are evaluated with the bindings; the names in them must be
   bound first: by sc_bind, or by plain entries of this call or earlier. */
static void test_expressions(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t a[2] = {8, 4}, h[2] = {8, 7};
    assert_fails(sc_expect_dims(&s, "a", a, 2, "B*T, T"), SC_ERR_ARG,
                 "cannot evaluate shape \"B*T, T\" for 'a': column 1: "
                 "unknown dimension 'B' (bind it first: sc_bind, or a plain "
                 "entry)");
    assert_int_equal(s.count, 0); /* T, bound on the way, was not kept */
    assert_int_equal(sc_bind(&s, "B", 2), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "a", a, 2, "B*T, T"), SC_OK);
    assert_int_equal(bound(&s, "T"), 4);
    assert_int_equal(sc_expect_dims(&s, "h", h, 2, "T*B, T + B + 1"), SC_OK);
    assert_int_equal(sc_expect_dims(&s, "h", h, 2, "(T+B)*2 - 4, 15 % T*7/3"),
                     SC_OK);
    assert_fails(sc_expect_dims(&s, "h", h, 2, "_, T + B"), SC_ERR_SHAPE,
                 "'h' has shape [8, 7] but T + B = 6 at dim 1 (T = 4 bound by "
                 "'a', B = 2 bound by sc_bind)");
    /* Printed with the parentheses integer division needs. */
    assert_fails(sc_expect_dims(&s, "h", h, 2, "_, T*(B/2) - (B - 1)"),
                 SC_ERR_SHAPE,
                 "'h' has shape [8, 7] but T*(B/2) - (B - 1) = 3 at dim 1 "
                 "(T = 4 bound by 'a', B = 2 bound by sc_bind)");
    assert_fails(sc_expect_dims(&s, "h", h, 2, "_, T/(B-2)"), SC_ERR_ARG,
                 "cannot evaluate shape \"_, T/(B-2)\" for 'h': column 7: "
                 "division by zero");
}

/* A name repeated in one shape is one dimension. */
static void test_repeated_name(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t sq[2] = {5, 5}, rect[2] = {8, 7};
    assert_int_equal(sc_expect_dims(&s, "sq", sq, 2, "K, K"), SC_OK);
    sc_scope_init(&s);
    assert_fails(sc_expect_dims(&s, "z", rect, 2, "K, K"), SC_ERR_SHAPE,
                 "'z' has shape [8, 7] but K = 8 (bound by 'z')");
}

/* Paths (cfg->batch, cfg.t) are symbols, white space ignored. */
static void test_paths(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t d[3] = {2, 3, 4};
    assert_int_equal(sc_expect_dims(&s, "x", d, 3, "cfg->batch, cfg.t, ..."),
                     SC_OK);
    assert_int_equal(bound(&s, "cfg->batch"), 2);
    assert_int_equal(bound(&s, "cfg.t"), 3);
    assert_int_equal(sc_bind(&s, "cfg -> batch", 2), SC_OK);
    assert_fails(sc_expect_dims(&s, "y", d, 3, "cfg -> batch, cfg.t + 1, _"),
                 SC_ERR_SHAPE,
                 "'y' has shape [2, 3, 4] but cfg.t + 1 = 4 at dim 1 (cfg.t "
                 "= 3 bound by 'x')");
}

static void test_bind(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t v;
    assert_int_equal(sc_bind(&s, "N", 32), SC_OK);
    assert_int_equal(sc_bind(&s, " N ", 32), SC_OK); /* the same: fine */
    assert_int_equal(s.count, 1);
    assert_string_equal(s.bindings[0].bound_by, "");
    assert_fails(sc_bind(&s, "N", 64), SC_ERR_SHAPE,
                 "cannot bind N = 64: N = 32 (bound by sc_bind)");
    assert_true(sc_scope_get(&s, "N", &v) && v == 32);
    assert_fails(sc_bind(&s, "N+1", 1), SC_ERR_ARG,
                 "cannot bind \"N+1\": not a symbol");
    assert_fails(sc_bind(&s, "7", 1), SC_ERR_ARG,
                 "cannot bind \"7\": not a symbol");
    assert_fails(sc_bind(&s, "Z", -1), SC_ERR_ARG,
                 "cannot bind Z to -1: dims are >= 0");
    assert_int_equal(sc_bind(&s, "_", 1), SC_ERR_ARG);
    assert_non_null(strstr(sc_last_error(), "cannot parse symbol \"_\""));
    assert_int_equal(sc_bind(&s, "", 1), SC_ERR_ARG);
    /* 31 characters fit, 32 do not. */
    assert_int_equal(sc_bind(&s, "abcdefghijabcdefghijabcdefghija", 1), SC_OK);
    assert_fails(sc_bind(&s, "abcdefghijabcdefghijabcdefghijab", 1), SC_ERR_ARG,
                 "symbol 'abcdefghijabcdefghijabcdefghijab' is longer than 31 "
                 "characters");
    assert_fails(sc_bind(NULL, "N", 1), SC_ERR_ARG, "'s' is NULL");
    assert_fails(sc_bind(&s, NULL, 1), SC_ERR_ARG, "'symbol' is NULL");
    assert_false(sc_scope_get(&s, "M", &v));
    assert_false(sc_scope_get(NULL, "N", &v));
    assert_false(sc_scope_get(&s, NULL, &v));
}

/* SC_SCOPE_MAX symbols fit; one more is refused, by sc_bind or by
   sc_expect, which then binds none of its names. */
static void test_full_scope(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    char name[8];
    for (int i = 0; i < SC_SCOPE_MAX - 1; i++) {
        snprintf(name, sizeof name, "S%d", i);
        assert_int_equal(sc_bind(&s, name, i), SC_OK);
    }
    int64_t d[2] = {3, 4};
    assert_fails(sc_expect_dims(&s, "x", d, 2, "P, Q"), SC_ERR_ARG,
                 "cannot bind 'Q': the scope is full (16 symbols)");
    assert_int_equal(s.count, SC_SCOPE_MAX - 1);
    assert_int_equal(sc_bind(&s, "P", 3), SC_OK);
    assert_fails(sc_bind(&s, "Q", 4), SC_ERR_ARG,
                 "cannot bind 'Q': the scope is full (16 symbols)");
    assert_int_equal(sc_expect_dims(&s, "x", d, 2, "P, S4"), SC_OK);
}

/* A failed assertion leaves the scope as it was, to the byte. */
static void test_failure_changes_nothing(void **state)
{
    (void)state;
    sc_scope s, before;
    sc_scope_init(&s);
    int64_t a[2] = {3, 4}, b[3] = {5, 6, 9};
    assert_int_equal(sc_expect_dims(&s, "a", a, 2, "N, C"), SC_OK);
    memcpy(&before, &s, sizeof s);
    assert_int_equal(sc_expect_dims(&s, "b", b, 3, "M, K, N"), SC_ERR_SHAPE);
    assert_memory_equal(&s, &before, sizeof s);
    assert_int_equal(sc_expect_dims(&s, "b", b, 3, "M, K, N +"), SC_ERR_ARG);
    assert_memory_equal(&s, &before, sizeof s);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t d[2] = {2, -1};
    float buf[1];
    DLTensor t = test_tensor(buf, d, 1, TEST_F32);
    assert_fails(sc_expect_dims(NULL, "x", d, 1, "N"), SC_ERR_ARG,
                 "'s' is NULL");
    assert_fails(sc_expect_dims(&s, NULL, d, 1, "N"), SC_ERR_ARG,
                 "'what' is NULL");
    assert_fails(sc_expect_dims(&s, "x", d, 1, NULL), SC_ERR_ARG,
                 "'shape' is NULL");
    assert_fails(sc_expect_dims(&s, "x", d, -1, "N"), SC_ERR_ARG,
                 "'x' has a negative rank (-1)");
    assert_fails(sc_expect_dims(&s, "x", NULL, 2, "N, C"), SC_ERR_ARG,
                 "'x' has rank 2 but no dims");
    assert_fails(sc_expect_dims(&s, "x", d, 2, "N, C"), SC_ERR_ARG,
                 "'x' has a negative dimension: [2, -1]");
    assert_fails(sc_expect_dims(&s, "h", d, 1, "N,,C"), SC_ERR_ARG,
                 "cannot parse shape \"N,,C\" for 'h': column 3: expected a "
                 "dimension after ','");
    assert_fails(sc_expect_dims(&s, "h", d, 1, "N, C)"), SC_ERR_ARG,
                 "cannot parse shape \"N, C)\" for 'h': column 5: unexpected "
                 "')'");
    assert_fails(sc_expect(&s, "x", NULL, "N"), SC_ERR_ARG, "'x' is NULL");
    assert_fails(sc_expect(&s, NULL, NULL, "N"), SC_ERR_ARG, "'t' is NULL");
    t.shape = NULL;
    assert_fails(sc_expect(&s, "x", &t, "N"), SC_ERR_ARG,
                 "'x' has rank 1 but no dims");
    t.ndim = 0; /* a scalar needs no shape array */
    assert_int_equal(sc_expect(&s, "x", &t, ""), SC_OK);
    sc_scope_init(NULL); /* harmless */
    assert_int_equal(s.count, 0);
}

/* 'what' longer than a binding keeps is cut to fit. */
static void test_long_what(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    int64_t d[1] = {3};
    const char *what = "model.layers[11].attention.output.logits";
    assert_int_equal(sc_expect_dims(&s, what, d, 1, "N"), SC_OK);
    assert_int_equal(strlen(s.bindings[0].bound_by), SC_NAME_MAX - 1);
    assert_int_equal(strncmp(s.bindings[0].bound_by, what, SC_NAME_MAX - 1), 0);
}

/* TIMES copies of PART, then TAIL, into BUF. */
static const char *repeat(char *buf, size_t size, const char *part, int times,
                          const char *tail)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < times; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s", part);
    snprintf(buf + len, size - len, "%s", tail);
    return buf;
}

/* A long shape text is quoted as the checker quotes annotations: at most
   80 characters, its start and "...", so the reason and column that
   follow always fit in the message. */
static void test_long_shape_text(void **state)
{
    (void)state;
    sc_scope s;
    sc_scope_init(&s);
    static char text[4096], want[4096 + 256], quote[128];
    int64_t d[41];
    for (int i = 0; i < 41; i++)
        d[i] = 2;
    d[1] = 7;

    /* 80 characters are quoted whole, 81 are not. */
    repeat(text, sizeof text, "N, ", 26, "C)"); /* 78 + 2 */
    snprintf(want, sizeof want,
             "cannot parse shape \"%s\" for 'h': column 80: unexpected ')'",
             text);
    assert_fails(sc_expect_dims(&s, "h", d, 1, text), SC_ERR_ARG, want);
    repeat(text, sizeof text, "N, ", 26, "CC)"); /* 81 */
    repeat(quote, sizeof quote, "N, ", 25, "N,...");
    snprintf(want, sizeof want,
             "cannot parse shape \"%s\" for 'h': column 81: unexpected ')'",
             quote);
    assert_fails(sc_expect_dims(&s, "h", d, 1, text), SC_ERR_ARG, want);

    /* Far past the message's 512 bytes: the reason is still there. */
    repeat(text, sizeof text, "N, ", 1000, "C)");
    snprintf(want, sizeof want,
             "cannot parse shape \"%s\" for 'h': column 3002: unexpected ')'",
             quote);
    assert_fails(sc_expect_dims(&s, "h", d, 1, text), SC_ERR_ARG, want);
    repeat(text, sizeof text, "N, ", 1000, "B*T");
    snprintf(want, sizeof want,
             "cannot evaluate shape \"%s\" for 'x': column 3001: unknown "
             "dimension 'B' (bind it first: sc_bind, or a plain entry)",
             quote);
    int64_t many[1001];
    for (int i = 0; i < 1001; i++)
        many[i] = 2;
    assert_fails(sc_expect_dims(&s, "x", many, 1001, text), SC_ERR_ARG, want);

    /* Shapes and expressions written back are cut the same way. */
    repeat(text, sizeof text, "N, ", 40, "C");
    snprintf(want, sizeof want, "'x' has rank 1 but [%.76s... has rank 41",
             text);
    assert_fails(sc_expect_dims(&s, "x", d, 1, text), SC_ERR_SHAPE, want);
    repeat(text, sizeof text, "N, ", 1, "");
    repeat(text + 3, sizeof text - 3, "N + ", 29, "N"); /* = 60 */
    snprintf(want, sizeof want,
             "'x' has shape [2, 7] but %.77s... = 60 at dim 1 (N = 2 bound by "
             "'x')",
             text + 3);
    assert_fails(sc_expect_dims(&s, "x", d, 2, text), SC_ERR_SHAPE, want);
    repeat(text, sizeof text, "N, 5, ", 1, "");
    repeat(text + 6, sizeof text - 6, "N, ", 38, "N");
    char have[256];
    repeat(have, sizeof have, "[2, 7", 1, "");
    repeat(have + 5, sizeof have - 5, ", 2", 39, "]");
    snprintf(want, sizeof want,
             "'x' has shape %s but [%.76s... wants 5 at dim 1", have, text);
    assert_fails(sc_expect_dims(&s, "x", d, 41, text), SC_ERR_SHAPE, want);

    /* sc_bind quotes its symbol text the same way. */
    repeat(text, sizeof text, "a", 1000, "");
    repeat(quote, sizeof quote, "a", 77, "...");
    snprintf(want, sizeof want, "symbol '%s' is longer than 31 characters",
             quote);
    assert_fails(sc_bind(&s, text, 1), SC_ERR_ARG, want);
    snprintf(want, sizeof want, "cannot bind %s to -1: dims are >= 0", quote);
    assert_fails(sc_bind(&s, text, -1), SC_ERR_ARG, want);
    repeat(text, sizeof text, "a", 1000, ")");
    snprintf(want, sizeof want,
             "cannot parse symbol \"%s\": column 1001: unexpected ')'", quote);
    assert_fails(sc_bind(&s, text, 1), SC_ERR_ARG, want);
    repeat(text, sizeof text, "a", 1000, "+1");
    snprintf(want, sizeof want, "cannot bind \"%s\": not a symbol", quote);
    assert_fails(sc_bind(&s, text, 1), SC_ERR_ARG, want);
    assert_int_equal(s.count, 0);
}

/* SC_EXPECT names the tensor after its expression and aborts with the
   caller's file and line, which the child announces first. */
static void expect_mismatch(void)
{
    sc_scope s;
    sc_scope_init(&s);
    float buf[1];
    int64_t ls[2] = {32, 10}, ys[1] = {64};
    DLTensor logits = test_tensor(buf, ls, 2, TEST_F32);
    DLTensor labels = test_tensor(buf, ys, 1, TEST_I64);
    SC_EXPECT(&s, &logits, "N, C");
    fprintf(stderr, "line %d\n", __LINE__ + 1);
    SC_EXPECT(&s, &labels, "N");
}

static void test_expect_macro(void **state)
{
    (void)state;
    char out[1024], want[256];
    int line = 0;
    assert_true(test_aborts(expect_mismatch, out, sizeof out));
    assert_int_equal(sscanf(out, "line %d", &line), 1);
    snprintf(want, sizeof want,
             "test_rt_expect.c:%d: error: '&labels' has shape [64] but N = 32 "
             "(bound by '&logits') [SC_ERR_SHAPE]\n",
             line);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "note: in sc_expect((&s), \"&labels\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_binds_across_calls),
        cmocka_unit_test(test_rank_mismatch),
        cmocka_unit_test(test_ellipsis_and_any),
        cmocka_unit_test(test_expressions),
        cmocka_unit_test(test_repeated_name),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_bind),
        cmocka_unit_test(test_full_scope),
        cmocka_unit_test(test_failure_changes_nothing),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_long_what),
        cmocka_unit_test(test_long_shape_text),
        cmocka_unit_test(test_expect_macro),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
