/*
 * lsp_publish.c - what is published for each file (see lsp_internal.h).
 *
 * An analysis of one open document finds problems in its own file and in
 * the headers its unit includes; the protocol publishes a whole file's
 * diagnostics at once.  So each analysis's findings are kept per (owner,
 * file), and a file's published list is the union over the owners, each
 * diagnostic once (a header included by two open documents is analysed
 * in both).  A file is published again only when its list changes, except
 * the owner's own file, which each of its analyses publishes (the client
 * sees the analysis done).
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <stdlib.h>
#include <string.h>

#include "lsp_internal.h"

/* What one owner found in one file. */
typedef struct lsp_contribution {
    char *owner;
    char *uri;
    cJSON *diagnostics;
} lsp_contribution;

/* What was last published for one file, as text. */
typedef struct lsp_sent {
    char *uri;
    char *text;
} lsp_sent;

void lsp_published_init(lsp_published *p)
{
    memset(p, 0, sizeof *p);
}

void lsp_published_free(lsp_published *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].owner);
        free(p->items[i].uri);
        cJSON_Delete(p->items[i].diagnostics);
    }
    for (size_t i = 0; i < p->n_sent; i++) {
        free(p->sent[i].uri);
        free(p->sent[i].text);
    }
    free(p->items);
    free(p->sent);
    memset(p, 0, sizeof *p);
}

/* ---- Files to publish -------------------------------------------------- */

/* A set of URIs (borrowed strings), in the order first added. */
typedef struct uri_set {
    const char **uris;
    size_t n;
} uri_set;

static void uri_set_add(uri_set *s, const char *uri)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->uris[i], uri) == 0)
            return;
    const char **grown = realloc(s->uris, (s->n + 1) * sizeof *grown);
    if (!grown)
        return; /* out of memory: that file is not republished */
    s->uris = grown;
    s->uris[s->n++] = uri;
}

/* ---- Merging ----------------------------------------------------------- */

/* Everything the owners found in URI, each diagnostic once (as printed),
   the owners in the order they were set. */
static cJSON *merged(const lsp_published *p, const char *uri)
{
    cJSON *out = cJSON_CreateArray();
    char **seen = NULL;
    size_t n_seen = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->items[i].uri, uri) != 0)
            continue;
        const cJSON *d;
        cJSON_ArrayForEach(d, p->items[i].diagnostics)
        {
            char *text = cJSON_PrintUnformatted(d);
            bool dup = !text;
            for (size_t k = 0; !dup && k < n_seen; k++)
                dup = strcmp(seen[k], text) == 0;
            char **grown =
                dup ? NULL : realloc(seen, (n_seen + 1) * sizeof *grown);
            if (!grown) {
                cJSON_free(text);
                continue;
            }
            seen = grown;
            seen[n_seen++] = text;
            cJSON_AddItemToArray(out, cJSON_Duplicate(d, true));
        }
    }
    for (size_t k = 0; k < n_seen; k++)
        cJSON_free(seen[k]);
    free(seen);
    return out;
}

static lsp_sent *sent_for(lsp_published *p, const char *uri)
{
    for (size_t i = 0; i < p->n_sent; i++)
        if (strcmp(p->sent[i].uri, uri) == 0)
            return &p->sent[i];
    if (p->n_sent == p->cap_sent) {
        size_t cap = p->cap_sent ? p->cap_sent * 2 : 8;
        lsp_sent *grown = realloc(p->sent, cap * sizeof *grown);
        if (!grown)
            return NULL;
        p->sent = grown, p->cap_sent = cap;
    }
    lsp_sent *s = &p->sent[p->n_sent];
    if (!(s->uri = strdup(uri)))
        return NULL;
    s->text = NULL;
    p->n_sent++;
    return s;
}

/* Publishes URI's merged list if it is not what was last published, or
   ALWAYS. */
static void publish_file(lsp_published *p, const char *uri, bool always,
                         lsp_publish_fn *publish, void *ud)
{
    cJSON *list = merged(p, uri);
    char *text = cJSON_PrintUnformatted(list);
    lsp_sent *s = sent_for(p, uri);
    bool same = s && s->text && text && strcmp(s->text, text) == 0;
    if (s && text) {
        free(s->text);
        s->text = strdup(text);
    }
    cJSON_free(text);
    if (same && !always) {
        cJSON_Delete(list);
        return;
    }
    publish(ud, uri, list);
}

/* Removes OWNER's contributions, adding their files to CHANGED (the URIs
   are kept in KEPT until the caller frees them). */
static void remove_owner(lsp_published *p, const char *owner, uri_set *changed,
                         char ***kept, size_t *n_kept)
{
    size_t w = 0;
    for (size_t i = 0; i < p->n; i++) {
        lsp_contribution *c = &p->items[i];
        if (strcmp(c->owner, owner) != 0) {
            p->items[w++] = *c;
            continue;
        }
        char **grown = realloc(*kept, (*n_kept + 1) * sizeof *grown);
        if (grown) {
            *kept = grown;
            (*kept)[(*n_kept)++] = c->uri;
            uri_set_add(changed, c->uri);
        } else {
            free(c->uri);
        }
        free(c->owner);
        cJSON_Delete(c->diagnostics);
    }
    p->n = w;
}

static bool add_contribution(lsp_published *p, const char *owner,
                             lsp_file_diagnostics *f)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        lsp_contribution *grown = realloc(p->items, cap * sizeof *grown);
        if (!grown)
            return false;
        p->items = grown, p->cap = cap;
    }
    lsp_contribution *c = &p->items[p->n];
    c->owner = strdup(owner);
    if (!c->owner)
        return false;
    c->uri = f->uri;
    c->diagnostics = f->diagnostics;
    f->uri = NULL, f->diagnostics = NULL;
    p->n++;
    return true;
}

static void republish(lsp_published *p, const char *own_uri, uri_set *changed,
                      char **kept, size_t n_kept, lsp_publish_fn *publish,
                      void *ud)
{
    for (size_t i = 0; i < changed->n; i++)
        publish_file(p, changed->uris[i],
                     own_uri && strcmp(changed->uris[i], own_uri) == 0, publish,
                     ud);
    free(changed->uris);
    for (size_t i = 0; i < n_kept; i++)
        free(kept[i]);
    free(kept);
}

void lsp_published_set(lsp_published *p, const char *owner, lsp_findings *f,
                       lsp_publish_fn *publish, void *ud)
{
    uri_set changed = {NULL, 0};
    char **kept = NULL;
    size_t n_kept = 0;
    remove_owner(p, owner, &changed, &kept, &n_kept);
    char *own = f->n && f->files[0].uri ? strdup(f->files[0].uri) : NULL;
    for (size_t i = 0; i < f->n; i++) {
        if (!f->files[i].uri)
            continue;
        char *uri = strdup(f->files[i].uri);
        if (!uri || !add_contribution(p, owner, &f->files[i])) {
            free(uri);
            continue;
        }
        char **grown = realloc(kept, (n_kept + 1) * sizeof *grown);
        if (!grown) {
            free(uri);
            continue;
        }
        kept = grown;
        kept[n_kept++] = uri;
        uri_set_add(&changed, uri);
    }
    republish(p, own, &changed, kept, n_kept, publish, ud);
    free(own);
}

void lsp_published_drop(lsp_published *p, const char *owner,
                        lsp_publish_fn *publish, void *ud)
{
    uri_set changed = {NULL, 0};
    char **kept = NULL;
    size_t n_kept = 0;
    char *own = strdup(owner);
    remove_owner(p, owner, &changed, &kept, &n_kept);
    if (own) /* its own file is cleared even if it had nothing */
        uri_set_add(&changed, own);
    republish(p, own, &changed, kept, n_kept, publish, ud);
    free(own);
}

void lsp_findings_free(lsp_findings *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->files[i].uri);
        cJSON_Delete(f->files[i].diagnostics);
    }
    free(f->files);
    free(f->log);
    memset(f, 0, sizeof *f);
}
