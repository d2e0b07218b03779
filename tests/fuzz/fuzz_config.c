/*
 * fuzz_config.c - the reader of .shapecheck (checker/driver/config.h), a small
 * YAML subset: config_parse on any text, then the queries on what it read.
 *
 * Properties: a rejected file leaves the configuration empty and a
 * message "PATH:..." behind; an accepted one holds only known rules in
 * disabled-rules, and dropping the findings of disabled rules removes
 * exactly the ones config_rule_disabled names.
 */
#include "fuzz.h"

#include "config.h"
#include "diag.h"
#include "rules.h"

#define PATH "/fuzz/project/.shapecheck"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    config cfg;
    char err[512];
    err[0] = '\0';
    if (config_parse(&cfg, PATH, text, err, sizeof err) != 0) {
        FUZZ_CHECK(strncmp(err, PATH, strlen(PATH)) == 0);
        FUZZ_CHECK(cfg.n_models == 0 && cfg.n_extra_args == 0 &&
                   cfg.n_disabled_rules == 0);
        config_free(&cfg);
        free(text);
        return 0;
    }
    for (size_t i = 0; i < cfg.n_models; i++)
        FUZZ_CHECK(cfg.models[i] != NULL);
    for (size_t i = 0; i < cfg.n_extra_args; i++)
        FUZZ_CHECK(cfg.extra_args[i] != NULL);
    for (size_t i = 0; i < cfg.n_disabled_rules; i++) {
        FUZZ_CHECK(sc_rule_find(cfg.disabled_rules[i]) != NULL);
        FUZZ_CHECK(config_rule_disabled(&cfg, cfg.disabled_rules[i]));
    }
    /* One finding per rule, and a compiler diagnostic that always stays. */
    diag_list list;
    diag_list_init(&list);
    size_t disabled = 0;
    for (size_t i = 0; i < sc_n_rules; i++) {
        sc_loc at = {"a.c", (unsigned)i + 1, 1};
        diag_add(&list, sc_rules[i], at, "finding %zu", i);
        disabled += config_rule_disabled(&cfg, sc_rules[i]->id);
    }
    sc_loc at = {"a.c", 99, 1};
    diag_add(&list, NULL, at, "a.c:99:1: error: compiler");
    size_t before = list.n;
    FUZZ_CHECK(config_drop_disabled(&cfg, &list) == disabled);
    FUZZ_CHECK(list.n == before - disabled);
    diag_list_free(&list);
    config_free(&cfg);
    free(text);
    return 0;
}
