/* What a summary writes must read back (tests/integration/summaries.sh):
   each function here once made the writer say something the reader
   refused, on darknet, kann or ggml. */
#include <stdlib.h>

struct net {
    int batch, subdivisions;
    size_t *seen;
};

typedef struct {
    union {
        struct {
            short d, m;
        };
        int dm;
    };
    char qs[16];
} block;

/* An integer result below zero: "-1" has no unary minus to read back. */
int fail_code(int x)
{
    (void)x;
    return -1;
}

/* A value read through an element ("net->seen->*"): no name in a shape. */
int current_batch(struct net *net)
{
    return (int)(*net->seen / (size_t)(net->batch * net->subdivisions));
}

/* Writes to the characters of argv's strings: "->*->*". */
void clear_args(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        argv[i][0] = 0;
}

/* Writes to members of an anonymous struct ("->.d"), and to the whole
   anonymous union ("->"). */
void quantize(block *y, int n)
{
    for (int i = 0; i < n; i++) {
        y[i].d = 1;
        y[i].m = 2;
        y[i].qs[0] = 3;
    }
}

void clear_block(block *y)
{
    y->dm = 0;
}

/* A fresh pointer left in what the parameter points to ("->*"). */
void new_leaf(int **out, int n)
{
    *out = malloc((size_t)n * sizeof **out);
}
