#include <math.h>
#include <stdlib.h>

#include "kernels.h"
#include "net.h"

static float weights[IN][CLASSES];

void net_init(unsigned seed)
{
    for (int i = 0; i < IN * CLASSES; i++) {
        seed = seed * 1103515245u + 12345u;
        weights[i / CLASSES][i % CLASSES] =
            (float)((seed >> 16) & 0x7fff) / 32768.0f - 0.5f;
    }
}

void matmul(float *out, const float *x, const float *w, int rows, int inner,
            int cols)
{
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++) {
            float acc = 0;
            for (int k = 0; k < inner; k++)
                acc += x[i * inner + k] * w[k * cols + j];
            out[i * cols + j] = acc;
        }
}

/* Returns [rows, CLASSES]: what matmul makes of its output. */
float *net_forward(const float *x, int rows)
{
    float *out = malloc(sizeof(float) * (size_t)rows * CLASSES);
    if (!out)
        return NULL;
    matmul(out, x, &weights[0][0], rows, IN, CLASSES);
    return out; // expected-note {{'net_forward' returns [rows, 4] here (shape from 'matmul')}}
}
