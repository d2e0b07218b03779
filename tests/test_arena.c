/* test_arena.c - the arena hands out zeroed memory, also from the blocks
   a reset keeps for the next walk (standard and large ones). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* Dirties SIZE bytes, resets, and checks the next SIZE bytes are zero. */
static void check_reuse(size_t size)
{
    arena *a = arena_new();
    for (int round = 0; round < 3; round++) {
        unsigned char *p = arena_alloc(a, size);
        assert_non_null(p);
        assert_true(all_zero(p, size));
        memset(p, 0xa5, size);
        unsigned char *q = arena_alloc(a, 100);
        assert_true(all_zero(q, 100));
        memset(q, 0x5a, 100);
        arena_reset(a);
        assert_int_equal(arena_used(a), 0);
    }
    arena_free(a);
}

static void test_standard_blocks_come_back_zeroed(void **state)
{
    (void)state;
    check_reuse(1000);
    check_reuse(60 * 1024);
}

static void test_large_blocks_come_back_zeroed(void **state)
{
    (void)state;
    check_reuse(200 * 1024);
    check_reuse(3 * 1024 * 1024);
}

static void test_a_kept_large_block_serves_a_smaller_request(void **state)
{
    (void)state;
    arena *a = arena_new();
    unsigned char *p = arena_alloc(a, 512 * 1024);
    memset(p, 0xff, 512 * 1024);
    arena_reset(a);
    unsigned char *q = arena_alloc(a, 300 * 1024); /* fits the kept block */
    assert_true(all_zero(q, 300 * 1024));
    unsigned char *r = arena_alloc(a, 5 * 1024 * 1024); /* a new one */
    assert_true(all_zero(r, 5 * 1024 * 1024));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_blocks_come_back_zeroed),
        cmocka_unit_test(test_large_blocks_come_back_zeroed),
        cmocka_unit_test(test_a_kept_large_block_serves_a_smaller_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
