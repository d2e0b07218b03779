/*
 * vendor_loss.h - stands for a library the user cannot edit (a vendor BLAS,
 * a framework's C API): plain declarations, no annotations.  The corpus
 * puts this folder on the include path with -isystem, as a system header.
 */
#ifndef VENDOR_LOSS_H
#define VENDOR_LOSS_H

float vendor_softmax_xent(const float *logits, const int *labels, int n,
                          int classes);

#endif
