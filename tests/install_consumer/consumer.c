/*
 * consumer.c - uses the installed runtime library as a user would: one
 * kernel, a trainer's backward on padded rows through sc_view, one failing
 * shape assertion (which needs the dimension language compiled into the
 * library).  Prints "ok" and exits 0 when all behave.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <shapecheck_rt.h>

int main(void)
{
    float logits_data[2 * 3] = {1, 2, 3, 0, 0, 0};
    int64_t labels_data[2] = {2, 0};
    int64_t ls[2], ys[1];
    DLTensor logits = sc_tensor_f32_2d(logits_data, ls, 2, 3);
    DLTensor labels = sc_tensor_i64_1d(labels_data, ys, 2);

    float loss = 0;
    if (sc_cross_entropy(&logits, &labels, &loss) != SC_OK) {
        fprintf(stderr, "sc_cross_entropy: %s\n", sc_last_error());
        return 1;
    }
    /* Row 0: log(e + e^2 + e^3) - 3; row 1: log 3. */
    double want = (log(exp(1) + exp(2) + exp(3)) - 3 + log(3)) / 2;
    if (fabs(loss - want) > 1e-5) {
        fprintf(stderr, "loss %f, want %f\n", loss, want);
        return 1;
    }

    /* The same logits in rows of 4 (the padding never read), the gradient
       of row 0's loss (dlosses 1, 0) added to 1s. */
    float padded[2 * 4] = {1, 2, 3, NAN, 0, 0, 0, NAN};
    float grad[2 * 4] = {1, 1, 1, 1, 1, 1, 1, 1}, dl[2] = {1, 0};
    sc_view px, pg, pd;
    DLTensor *x = sc_view_f32_rows(&px, padded, 2, 3, 4);
    DLTensor *g = sc_view_f32_rows(&pg, grad, 2, 3, 4);
    if (sc_cross_entropy_backward_ex(x, &labels, sc_view_f32_1d(&pd, dl, 2), g,
                                     SC_GRAD_ACCUMULATE, &loss) != SC_OK ||
        fabs(loss - want) > 1e-5) {
        fprintf(stderr, "backward_ex: %s\n", sc_last_error());
        return 1;
    }
    double z = exp(1) + exp(2) + exp(3);
    if (fabs(grad[2] - (1 + exp(3) / z - 1)) > 1e-6 || grad[3] != 1 ||
        grad[4] != 1) {
        fprintf(stderr, "gradient %f %f %f\n", grad[2], grad[3], grad[4]);
        return 1;
    }

    sc_scope s;
    sc_scope_init(&s);
    const char *want_msg = "'labels' has shape [2] but C = 3 (bound by "
                           "'logits')";
    if (sc_expect(&s, "labels", &labels, "N") != SC_OK ||
        sc_expect(&s, "logits", &logits, "N, C") != SC_OK ||
        sc_expect_dims(&s, "x", (int64_t[]){3}, 1, "N + 1") != SC_OK ||
        sc_expect(&s, "labels", &labels, "C") != SC_ERR_SHAPE ||
        strcmp(sc_last_error(), want_msg) != 0) {
        fprintf(stderr, "assertions: %s\n", sc_last_error());
        return 1;
    }
    printf("ok\n");
    return 0;
}
