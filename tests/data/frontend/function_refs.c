/* Which functions are named other than by a call (ir_func.address_taken). */
static int early(int x); /* declared before the last #include: a header
                            could name it */
#include <stddef.h>

static int helper(int x) { return x + 1; }   /* called by name only */
static int pointed(int x) { return x; }      /* fp = pointed */
static int addressed(int x) { return x; }    /* &addressed */
static int in_init(int x) { return x; }      /* a global's initialiser */
static int early(int x) { return x; }
static int (*table[])(int) = {in_init};

int use(void)
{
    int (*fp)(int) = pointed;
    int (*gp)(int) = &addressed;
    return helper(1) + fp(2) + gp(3) + early(4) + (int)sizeof table;
}
