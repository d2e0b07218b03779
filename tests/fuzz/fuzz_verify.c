/*
 * fuzz_verify.c - --verify's reader of expectation comments
 * (checker/report/verify.h): verify_parse_text on any text, then verify_check
 * against a few findings on the first lines of the same file.
 *
 * Properties: a rejected file has a message naming it; an accepted one
 * has expectations with text, on lines >= 1, and checking them against
 * findings never fails to count (the count is at most findings plus
 * expectations).
 */
#include "fuzz.h"

#include "diag.h"
#include "rules.h"
#include "verify.h"

#define FILE_NAME "fuzz.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    verify_file vf;
    char err[256];
    err[0] = '\0';
    if (verify_parse_text(&vf, FILE_NAME, text, err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, FILE_NAME ":", strlen(FILE_NAME) + 1) == 0);
        free(text);
        return 0;
    }
    for (size_t i = 0; i < vf.n_expects; i++) {
        const verify_expect *e = &vf.expects[i];
        FUZZ_CHECK(e->text != NULL);
        FUZZ_CHECK(e->comment_line >= 1);
        FUZZ_CHECK(e->kind == VERIFY_ERROR || e->kind == VERIFY_WARNING ||
                   e->kind == VERIFY_NOTE);
    }
    /* Findings on lines 1-3, one with a note, one in another file. */
    diag_list list;
    diag_list_init(&list);
    const char *file = vf.path;
    sc_loc at1 = {file, 1, 1}, at2 = {file, 2, 5}, other = {"other.c", 3, 1};
    diag *d = diag_add(&list, &sc_rule_shape_mismatch, at1,
                       "argument 'x' is [32] but parameter is [64]");
    diag_add_note(&list, d, at2, "'x' declared as an array of shape [32]");
    diag_add(&list, &sc_rule_batch_mismatch, at2,
             "logits and labels must have the same first dimension");
    diag_add(&list, &sc_rule_annotation, other, "malformed shape");
    diag_list_sort(&list);
    size_t mismatches = verify_check(&list, &vf, 1, fuzz_null_stream());
    FUZZ_CHECK(mismatches <= list.n + 1 + vf.n_expects + 1);
    diag_list_free(&list);
    verify_file_free(&vf);
    free(text);
    return 0;
}
