/* Initialiser lists by C's rules: designators, positions, brace elision. */
struct train {
    int batch;
    int steps;
};
struct config {
    struct train train;
    int seed;
};
struct pair {
    struct {
        int a, b;
    } in;
    int c;
};
union number {
    int i;
    float f;
};
struct named {
    char name[8];
    int n;
};
struct with_union {
    union {
        int x;
        float y;
    };
    int z;
};

struct config nested = {.train = {.batch = 64}};
struct config dotted = {.train.batch = 64};
struct config positional = {{64}, 3};
struct config mixed = {.train.steps = 5, 7};
struct config continued = {.train.batch = 1, 2, 3};
struct config overridden = {.train = {.batch = 1}, .train.steps = 2};
struct pair elided = {1, 2, 3};
struct train array[2] = {{.steps = 1}, {.steps = 2}};
struct train flat[2] = {1, 2, 3, 4};
int sparse[5] = {[3] = 5, 6};
int grid[2][2] = {1, 2, 3};
union number num = {.f = 1.5f};
union number first = {7};
struct named label = {"abc", 3};
struct with_union anonymous = {.x = 1, .z = 2};
union number later = {.i = 1, .f = 2.0f};
int ranged[4] = {[0 ... 2] = 7};
