/* The project's shared header: plain C, no annotations. */
#ifndef NET_H
#define NET_H

#define IN 8
#define CLASSES 4

void net_init(unsigned seed);
float *net_forward(const float *x, int rows);
int *load_labels(int count, unsigned seed);
float batch_loss(const float *logits, const int *labels, int n);

#endif
