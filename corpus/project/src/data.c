#include <stdlib.h>

#include "kernels.h"
#include "net.h"

void read_labels(int *out, int count, unsigned seed)
{
    for (int i = 0; i < count; i++) {
        seed = seed * 1103515245u + 12345u;
        out[i] = (int)((seed >> 16) % CLASSES);
    }
}

/* Returns [count]: the elements its malloc holds. */
int *load_labels(int count, unsigned seed)
{
    int *labels = malloc(sizeof(int) * (size_t)count);
    if (!labels)
        return NULL;
    read_labels(labels, count, seed);
    return labels; // expected-note {{'load_labels' returns [count] here (shape from 'malloc')}}
}
