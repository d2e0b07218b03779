/* Which functions are named other than by a call (ir_func.address_taken),
   and which static globals' every use the front end sees
   (ir_decl.address_taken). */
static int early(int x); /* declared before the last #include: a header
                            could name it */
static int g_early = 1;  /* likewise */
#include <stddef.h>

static int g_late = 2;    /* named only in use(): seen unless deferred */
static int g_pointed = 3; /* &g_pointed */
int g_extern = 4;         /* not static: nothing to say */

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
    int *q = &g_pointed;
    return helper(1) + fp(2) + gp(3) + early(4) + (int)sizeof table +
           g_early + g_late + *q + g_extern;
}
