/*
 * evids.c: sets of GLOBALEVENTIDs as sorted runs of consecutive ids (events.h).
 */
#include "ingest/events_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------
 * Sets of event ids (events.h)
 * ---------------------------------------------------------------------------------------- */

int evids_add_run(struct evids *s, uint64_t lo, uint64_t hi)
{
    if (s->n) {
        /* rows come in id order within a block: most ids extend the last run */
        struct evidrun *l = &s->v[s->n - 1];
        if (lo <= l->hi + 1 && hi + 1 >= l->lo) {
            if (lo < l->lo)
                l->lo = lo;
            if (hi > l->hi)
                l->hi = hi;
            return 0;
        }
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct evidrun *v = bilat_realloc_array(s->v, cap, sizeof(*v));
        if (!v)
            return BILAT_ENOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n].lo = lo;
    s->v[s->n].hi = hi;
    s->n++;
    return 0;
}

static int cmp_run(const void *pa, const void *pb)
{
    const struct evidrun *a = pa, *b = pb;
    return (a->lo > b->lo) - (a->lo < b->lo);
}

void evids_normalise(struct evids *s)
{
    if (s->n < 2)
        return;
    qsort(s->v, s->n, sizeof(*s->v), cmp_run);
    size_t k = 0;
    for (size_t i = 1; i < s->n; i++) {
        if (s->v[i].lo <= s->v[k].hi + 1) {
            if (s->v[i].hi > s->v[k].hi)
                s->v[k].hi = s->v[i].hi;
        } else {
            s->v[++k] = s->v[i];
        }
    }
    s->n = k + 1;
}

bool evids_has(const struct evids *s, uint64_t id)
{
    size_t lo = 0, hi = s->n; /* the last run starting at or before id is in [lo, hi) */
    if (!s->n || id < s->v[0].lo || id > s->v[s->n - 1].hi)
        return false;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid].lo <= id)
            lo = mid;
        else
            hi = mid;
    }
    return id <= s->v[lo].hi;
}

uint64_t evids_count(const struct evids *s)
{
    uint64_t n = 0;
    for (size_t i = 0; i < s->n; i++)
        n += s->v[i].hi - s->v[i].lo + 1;
    return n;
}

void evids_release(struct evids *s)
{
    bilat_free(s->v);
    memset(s, 0, sizeof(*s));
}

