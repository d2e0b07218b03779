/*
 * SPEC 4: "Each error is followed by notes that show where each shape
 * came from (the declaration, the value a symbol was bound to and
 * where)".  When the view's size comes from a plain variable the notes
 * say so (use(y, n): "n set to 8 here"); when it comes from a struct
 * member (use(y, 2 * c.batch)) nothing says where 8 came from: the note
 * "c.batch set to 4 here" is missing.  The same holds for the loader
 * and network members of the other cases (l.B, net->batch as a count).
 */
#include "shapecheck.h"

void use(int *x SHAPE(B), int B);

struct cfg {
    int batch;
};

int main(void)
{
    struct cfg c;
    c.batch = 4;
    int y[4] = {0};
    use(y, 2 * c.batch); // expected-error {{'y' has shape [4] but parameter 'x' of 'use' expects [B] = [8] [shape-mismatch]}}
    // expected-note@22 {{'y' declared as an array of shape [4]}}
    // expected-note@21 {{c.batch set to 4 here}}
    // expected-note@12 {{parameter 'x' of 'use' declared with shape [B]}}
    return 0;
}
