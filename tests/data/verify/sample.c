/* A source with expectations, as the corpus files carry them. */
void loss(const float *logits, const int *labels);

void train(void)
{
    float logits[32][10]; // expected-note {{declared with shape [32, 10]}}
    int labels[64];
    const char *s = "// expected-error {{inside a string}}";
    (void)s;
    loss(&logits[0][0], labels); // expected-error {{same first dimension}} expected-note@-1 {{labels}}
    /* expected-error@+1 {{cannot match}}
       expected-warning@+1 {{unused}} */
    loss(&logits[0][0], labels);
}
