/*
 * hindex.c: growing, emptying and removing from the open-addressing index (hindex.h).
 *
 * Removal is backward-shift deletion (Knuth's algorithm R for linear probing): after a slot is
 * emptied, each entry further along the run is moved into the hole when its home slot does not
 * lie cyclically between the hole and its own slot, so that every entry stays reachable from
 * its home without tombstones.
 */
#include "core/hindex.h"

#include "bilat.h"
#include "core/alloc.h"

#include <string.h>

int bilat_hindex_init(struct bilat_hindex *x, size_t slots)
{
    size_t n = BILAT_HINDEX_MIN;
    while (n < slots)
        n *= 2;
    x->slot = bilat_calloc(n, sizeof(*x->slot));
    x->mask = n - 1;
    x->n = 0;
    return x->slot ? 0 : BILAT_ENOMEM;
}

void bilat_hindex_release(struct bilat_hindex *x)
{
    bilat_free(x->slot);
    memset(x, 0, sizeof(*x));
}

void bilat_hindex_reset(struct bilat_hindex *x)
{
    if (x->slot)
        memset(x->slot, 0, (x->mask + 1) * sizeof(*x->slot));
    x->n = 0;
}

size_t bilat_hindex_bytes(const struct bilat_hindex *x)
{
    return x->slot ? (x->mask + 1) * sizeof(*x->slot) : 0;
}

/* Twice the slots, every entry placed again from its hash. */
static int grow(struct bilat_hindex *x, bilat_hindex_hash_fn *hash, const void *ctx)
{
    size_t slots = (x->mask + 1) * 2, mask = slots - 1;
    uint64_t *s = bilat_calloc(slots, sizeof(*s));
    if (!s)
        return BILAT_ENOMEM;
    for (size_t k = 0; k <= x->mask; k++) {
        uint64_t e = x->slot[k];
        if (!e)
            continue;
        uint64_t h = hash(ctx, (size_t)(uint32_t)e - 1);
        size_t j = (size_t)h & mask;
        while (s[j])
            j = (j + 1) & mask;
        s[j] = (h & BILAT_HINDEX_TAG) | (e & 0xffffffffULL);
    }
    bilat_free(x->slot);
    x->slot = s;
    x->mask = mask;
    return 0;
}

int bilat_hindex_put(struct bilat_hindex *x, size_t slot, uint64_t h, size_t i,
                     bilat_hindex_hash_fn *hash, const void *ctx)
{
    if (i >= UINT32_MAX - 1 || x->n >= x->mask)
        return BILAT_ENOMEM; /* (the last empty slot ends every probe: it stays empty) */
    x->slot[slot] = (h & BILAT_HINDEX_TAG) | (uint64_t)(i + 1);
    x->n++;
    /* a failed growth leaves the index working fuller: an error only when it is full */
    if (x->n * 2 > x->mask + 1 && grow(x, hash, ctx) < 0 && x->n >= x->mask)
        return BILAT_ENOMEM;
    return 0;
}

void bilat_hindex_remove(struct bilat_hindex *x, size_t slot, bilat_hindex_hash_fn *hash,
                         const void *ctx)
{
    size_t hole = slot;
    x->slot[hole] = 0;
    x->n--;
    for (size_t j = (hole + 1) & x->mask; x->slot[j]; j = (j + 1) & x->mask) {
        size_t home = (size_t)hash(ctx, (size_t)(uint32_t)x->slot[j] - 1) & x->mask;
        /* the entry at j stays when its home lies cyclically in (hole, j] */
        bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (stays)
            continue;
        x->slot[hole] = x->slot[j];
        x->slot[j] = 0;
        hole = j;
    }
}

void bilat_hindex_renumber(struct bilat_hindex *x, uint64_t h, size_t from, size_t to)
{
    const uint64_t want = (h & BILAT_HINDEX_TAG) | (uint64_t)(from + 1);
    for (size_t j = (size_t)h & x->mask; x->slot[j]; j = (j + 1) & x->mask) {
        if (x->slot[j] == want) {
            x->slot[j] = (h & BILAT_HINDEX_TAG) | (uint64_t)(to + 1);
            return;
        }
    }
}
