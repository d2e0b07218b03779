/*
 * checks.c - --checks=GLOBS (see checks.h).
 */
#include "checks.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "rules.h"

/* Applies one glob (WORD, N bytes, '-' first to disable); false when it
   names a shape- rule that does not exist. */
static bool apply_glob(checks *c, const char *word, size_t n)
{
    bool enable = word[0] != '-';
    if (!enable)
        word++, n--;
    char glob[256];
    if (n == 0 || n >= sizeof glob)
        return n == 0;
    memcpy(glob, word, n);
    glob[n] = '\0';
    bool matched = false;
    for (size_t i = 0; i < sc_n_rules; i++)
        if (fnmatch(glob, sc_rules[i]->id, 0) == 0) {
            c->enabled[i] = enable;
            matched = true;
        }
    return matched || strncmp(glob, "shape-", 6) != 0 ||
           strpbrk(glob, "*?[") != NULL;
}

int checks_parse(checks *c, const char *spec, char *err, size_t err_size)
{
    c->enabled = malloc((sc_n_rules + 1) * sizeof *c->enabled);
    if (!c->enabled) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < sc_n_rules; i++)
        c->enabled[i] = true;
    for (const char *p = spec; *p;) {
        p += strspn(p, " ,");
        size_t n = strcspn(p, ",");
        while (n > 0 && p[n - 1] == ' ')
            n--;
        if (n && !apply_glob(c, p, n)) {
            snprintf(err, err_size,
                     "--checks: no rule '%.*s' (shapecheck --list-rules)",
                     (int)n - (p[0] == '-'), p + (p[0] == '-'));
            return -1;
        }
        p += strcspn(p, ",");
    }
    for (size_t i = 0; i < sc_n_rules; i++)
        if (c->enabled[i])
            return 0;
    snprintf(err, err_size, "--checks=%s leaves no rule enabled", spec);
    return -1;
}

void checks_free(checks *c)
{
    free(c->enabled);
    c->enabled = NULL;
}

static bool drop_disabled(void *ctx, const diag *d, size_t index)
{
    const checks *c = ctx;
    (void)index;
    for (size_t i = 0; d->rule && i < sc_n_rules; i++)
        if (sc_rules[i] == d->rule)
            return !c->enabled[i];
    return false;
}

size_t checks_drop(const checks *c, diag_list *list)
{
    if (!c->enabled)
        return 0;
    return finding_remove_if(list, drop_disabled, (void *)c);
}
