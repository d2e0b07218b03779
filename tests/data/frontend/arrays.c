/* Array types, enum constants and constant values. */
enum { ROWS = 3, COLS = ROWS * 4 };
const int K = 2 * 8;
static const long L = sizeof(int) * 3;
int plain_global = 5;
extern float open[];
float grid[ROWS][COLS];

void vla(int B)
{
    float x[B][10];
    float y[2][B + 1];
    float z[] = {1, 2, 3};
    const int n = 4;
    int m = 4;
    (void)x;
    (void)y;
    (void)z;
    (void)n;
    (void)m;
}
