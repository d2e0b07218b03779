/* C integer types, bit-fields, static storage and unions; element sizes;
   functions from system headers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t byte;
enum small { SMALL_A = 1 };
enum negative { NEGATIVE_A = -1 };

struct flags {
    unsigned ready : 1;
    int level : 4;
    uint8_t raw;
};

union bits {
    uint32_t word;
    float f;
};

static int counter;
int shared;
size_t total;

int types(char c, short s, long l, _Bool ok, byte u8, int64_t i64,
          enum small e, enum negative n)
{
    static int calls;
    unsigned char uc = (unsigned char)c;
    calls++;
    return (int)(uc + s + l + ok + u8 + i64 + e + n) + (uint8_t)300 + calls;
}

double *dp;
float grid[3][4];
float (*rowp)[4];
void *vp;
char **names;

size_t length(const char *s)
{
    return strlen(s);
}
