/* A small function body, for the shape of the IR. */
#define N 4

struct tensor {
    int n;
    float *data;
};

float sum(const float *x, int n);

int body(int b, struct tensor *t)
{
    float a[N][8];
    int i = b * 2;
    float *p = &a[0][0];
    int *q = &i;
    i = (int)sum(p, N * 8);
    t->n = *q;
    if (i > 0)
        p = (float *)t->data;
    else
        p = 0;
    for (int k = 0; k < b; k++)
        a[0][k] += 1.0f;
    return i;
}
