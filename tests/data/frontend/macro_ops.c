/* Statements and expressions written by macros (their operators are in
   the #define, not at the use). */
#include "macro_ops.h"
#define SET(b, v) ((b) = (v))
#define ADD(a, b) a + b
#define ADDTO(x, v) x += v
#define SHL2(x) x <<= 2
#define INC(x) ((x)++)
#define POST(x) x--
#define PREDEC(x) --x
#define NEG(x) -(x)
#define NOT(p) (!(p))
#define STMT(x) do { (x) = 1; g(x); } while (0)
#define SET64(x) SET(x, WIDTH)
#define ID(a) a
#define PLUS +
#define WIDTH 64
#define CALL(x) g((x) * 2)
int g(int);

int macros(int b, int *p)
{
    SET(b, 64);
    b = ADD(b, 1);
    ADDTO(b, 3);
    SHL2(b);
    INC(b);
    POST(b);
    PREDEC(b);
    b = NEG(b);
    b = NOT(p);
    STMT(b);
    SET64(b);
    b = ID(b) PLUS 2;
    b = ID(7);
    b = SCALE(b);
    return CALL(b);
}
