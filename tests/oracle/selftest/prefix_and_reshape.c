/* The rule of SPEC section 4 on fixed calls: a view's first dim may be a
   prefix of the extent's (int-bound or constant), inner dims are exact,
   and where ranks differ element counts are compared. */
// oracle-inputs: 1
#include <stddef.h>

#include "shapecheck.h"
#include "oracle_rt.h"

float ce(const float *logits SHAPE(n, c), const int *labels SHAPE(n), int n, int c) SHAPE_LOSS(logits, labels);
void fill(float *out SHAPE(r, c), int r, int c);
void relu(float *x SHAPE(n), int n);
void head4(float *x SHAPE(4, c), int c);
void matmul(float *out SHAPE(m, n), const float *a SHAPE(m, k), const float *b SHAPE(k, n), int m, int k, int n);
void pool2(float *out SHAPE(n / 2, c), const float *x SHAPE(n, c), int n, int c);
void flatten(float *out SHAPE(n * c), const float *x SHAPE(n, c), int n, int c);
void relu_u8(float *x SHAPE(n), unsigned char n);

int main(void)
{
    float logits[8][4];
    int labels[8], labels16[16];
    float h[2][3][4];
    float out[8][5], a[8][4], b[4][5], half[3][4], flat[32];
    oracle_reg(logits, sizeof(float), 2, 8L, 4L);
    oracle_reg(labels, sizeof(int), 1, 8L);
    oracle_reg(labels16, sizeof(int), 1, 16L);
    oracle_reg(h, sizeof(float), 3, 2L, 3L, 4L);
    oracle_reg(out, sizeof(float), 2, 8L, 5L);
    oracle_reg(a, sizeof(float), 2, 8L, 4L);
    oracle_reg(b, sizeof(float), 2, 4L, 5L);
    oracle_reg(half, sizeof(float), 2, 3L, 4L);
    oracle_reg(flat, sizeof(float), 1, 32L);
    oracle_at(__LINE__); ce(&logits[0][0], labels, 4, 4); // @site call t expect=match via=prefix extent=same
    oracle_at(__LINE__); ce(&logits[0][0], labels, 8, 4); // @site call t expect=match via=exact extent=same
    oracle_at(__LINE__); ce(&logits[0][0], labels, 9, 4); // @site call t expect=mismatch
    oracle_at(__LINE__); ce(&logits[0][0], labels, 8, 2); // @site call t expect=mismatch
    oracle_at(__LINE__); ce(&logits[0][0], labels16, 8, 4); // @site call t expect=match via=prefix extent=differs
    oracle_at(__LINE__); ce(&logits[0][0], labels16, 16, 4); // @site call t expect=mismatch extent=differs
    oracle_at(__LINE__); head4(&logits[0][0], 4); // @site call t expect=match via=prefix
    oracle_at(__LINE__); head4(&half[0][0], 4); // @site call t expect=mismatch
    oracle_at(__LINE__); relu(&logits[0][0], 32); // @site call t expect=match via=reshape
    oracle_at(__LINE__); relu(&logits[0][0], 33); // @site call t expect=mismatch
    oracle_at(__LINE__); fill(&h[0][0][0], 2 * 3, 4); // @site call t expect=match via=reshape
    oracle_at(__LINE__); fill(&h[0][0][0], 3, 8); // @site call t expect=match
    oracle_at(__LINE__); fill(&h[0][0][0], 7, 4); // @site call t expect=mismatch
    oracle_at(__LINE__); fill(flat, 8, 4); // @site call t expect=match
    oracle_at(__LINE__); fill(flat, 4, 9); // @site call t expect=mismatch
    oracle_at(__LINE__); fill(&a[0][0], 8, 5); // @site call t expect=mismatch
    oracle_at(__LINE__); matmul(&out[0][0], &a[0][0], &b[0][0], 8, 4, 5); // @site call t expect=match
    oracle_at(__LINE__); matmul(&out[0][0], &a[0][0], &b[0][0], 6, 4, 5); // @site call t expect=match
    oracle_at(__LINE__); matmul(&out[0][0], &a[0][0], &b[0][0], 8, 4, 6); // @site call t expect=mismatch
    oracle_at(__LINE__); matmul(&out[0][0], &a[0][0], &b[0][0], 8, 3, 5); // @site call t expect=mismatch
    oracle_at(__LINE__); pool2(&half[0][0], &logits[0][0], 6, 4); // @site call t expect=match
    oracle_at(__LINE__); pool2(&half[0][0], &logits[0][0], 8, 4); // @site call t expect=mismatch
    oracle_at(__LINE__); flatten(flat, &logits[0][0], 8, 4); // @site call t expect=match
    oracle_at(__LINE__); flatten(&half[0][0], &logits[0][0], 8, 4); // @site call t expect=mismatch
    int wide = 256 + 32;
    oracle_at(__LINE__); relu_u8(&logits[0][0], wide); // @site call t expect=match
    oracle_at(__LINE__); relu_u8(&logits[0][0], 33); // @site call t expect=mismatch
    return 0;
}
