/* Operators, constants and macros in expressions. */
#define SUM(a, b) a + b
#define SET(a, b) a = b
#define TWICE(x) ((x) * 2)
#define BATCH 32
enum { C = 10 };
int g(void);

int ops(int x)
{
    const int k = 3;
    int y = SUM(x, 1);
    SET(y, 3);
    y = TWICE(y);
    y = -x + ~x + !x + sizeof(long) + BATCH * 2 + C + 'a' + k;
    y = (g(), 7);
    y <<= 2;
    --y;
    y--;
    y = x ? y : 0;
    return y == 0 && x != 1;
}
