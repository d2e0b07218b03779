/*
 * fuzz_facts.c - facts files (checker/frontend/ir_io.h, docs/facts.md):
 * what the link step and the project index read back from disk, where a
 * file may be damaged, cut short, of another version, or made by hand.
 *
 * The input is the bytes of a facts file.  Properties:
 *   - ir_tu_decode never crashes, and says what is wrong when it refuses;
 *   - a TU it accepts encodes again, and that encoding decodes to a TU
 *     that encodes to the same bytes (the format is a fixed point after
 *     one round);
 *   - the analysis of an accepted TU neither crashes nor breaks its own
 *     rules (every finding well formed), and returns 0, 1 or 2.
 * The seeds (corpus/facts) are facts files --emit-facts wrote for small
 * corpus programs.  A mutated payload fails the checksum unless the
 * mutation fixes it up; libFuzzer's comparison tracing learns the
 * checksum's comparison, and the header's checks are reached at once.
 */
#include "frontend.h"
#include "fuzz.h"
#include "fuzz_ir.h"
#include "ir_io.h"

static void check_round_trip(const ir_tu *tu)
{
    char err[512];
    unsigned char *once = NULL, *twice = NULL;
    size_t n_once = 0, n_twice = 0;
    FUZZ_CHECK(ir_tu_encode(tu, NULL, &once, &n_once, err, sizeof err) == 0);
    ir_tu *again = ir_tu_decode(once, n_once, NULL, "again", err, sizeof err);
    FUZZ_CHECK(again != NULL);
    FUZZ_CHECK(ir_tu_encode(again, NULL, &twice, &n_twice, err, sizeof err) ==
               0);
    FUZZ_CHECK(n_once == n_twice && memcmp(once, twice, n_once) == 0);
    ir_tu_free(again);
    free(once);
    free(twice);
}

static void check_analysis(ir_tu *tu)
{
    ir_tu *tus[] = {tu};
    analysis_options opts = {.messages = fuzz_null_stream()};
    diag_list list;
    diag_list_init(&list);
    int status = analyze_program(tus, 1, &list, &opts);
    FUZZ_CHECK(status >= 0 && status <= 2);
    fuzz_ir_check_findings(&list);
    diag_list_free(&list);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512] = "";
    ir_tu *tu = ir_tu_decode(data, size, NULL, "input", err, sizeof err);
    if (!tu) {
        FUZZ_CHECK(strncmp(err, "input: ", 7) == 0 && err[7] != '\0');
        return 0;
    }
    check_round_trip(tu);
    check_analysis(tu);
    ir_tu_free(tu);
    return 0;
}
