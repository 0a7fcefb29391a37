/*
 * hindex.h: the library's one hash table: an open-addressing index over entries that the
 * caller keeps in an array of its own, in the order they came.
 *
 * A slot holds an entry's number + 1 in its low 32 bits (0: an empty slot) and the high 32 bits
 * of the entry's hash in its high bits, so that a probe that meets another entry mostly rejects
 * it without reading the entry (a cache miss). Probing is linear and the index stays at most
 * half full, growing by doubling; growing rehashes from the hashes the caller keeps (or
 * computes again), so entries never move for the index. Keys and their comparison are the
 * caller's: a table of groups keyed by several words, a set of fingerprints, names.
 *
 * The lookup is inline: the event scanner looks up a group for every row, and the comparison
 * the caller passes is inlined with it. Entries are at most UINT32_MAX - 1.
 *
 *     size_t slot, i = bilat_hindex_find(&x, h, same_key, &key, &slot);
 *     if (i == BILAT_HINDEX_NONE) {
 *         i = append the entry to the caller's array;
 *         rc = bilat_hindex_put(&x, slot, h, i, hash_of_entry, array);
 *     }
 */
#ifndef BILAT_CORE_HINDEX_H
#define BILAT_CORE_HINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bilat_hindex {
    uint64_t *slot; /* (hash's high 32 bits) << 32 | (entry + 1); 0 = empty */
    size_t mask;    /* slots - 1 (a power of two minus one) */
    size_t n;       /* entries indexed */
};

enum { BILAT_HINDEX_MIN = 16 };          /* the fewest slots */
#define BILAT_HINDEX_NONE ((size_t)-1)   /* no such entry */
#define BILAT_HINDEX_TAG 0xffffffff00000000ULL

/* Whether entry `i` is the one looked for (ctx: the key). */
typedef bool bilat_hindex_same_fn(const void *ctx, size_t i);
/* The hash of entry `i` (ctx: the caller's array), for growing. */
typedef uint64_t bilat_hindex_hash_fn(const void *ctx, size_t i);

/* An empty index of `slots` slots (rounded up to a power of two, at least BILAT_HINDEX_MIN).
 * 0 or BILAT_ENOMEM. */
int bilat_hindex_init(struct bilat_hindex *x, size_t slots);

/* Free the index; a zeroed index does nothing. */
void bilat_hindex_release(struct bilat_hindex *x);

/* Empty it, keeping its size. */
void bilat_hindex_reset(struct bilat_hindex *x);

/* Bytes the index holds. */
size_t bilat_hindex_bytes(const struct bilat_hindex *x);

/* Whether the next bilat_hindex_put() will grow the index (for memory budgets). */
static inline bool bilat_hindex_full(const struct bilat_hindex *x)
{
    return (x->n + 1) * 2 > x->mask + 1;
}

/*
 * The entry of hash `h` for which same(ctx, entry) holds, or BILAT_HINDEX_NONE; *slot_out gets
 * the slot where it is, or the empty slot where it goes (for bilat_hindex_put()).
 */
static inline size_t bilat_hindex_find(const struct bilat_hindex *x, uint64_t h,
                                       bilat_hindex_same_fn *same, const void *ctx,
                                       size_t *slot_out)
{
    const uint64_t tag = h & BILAT_HINDEX_TAG;
    size_t j = (size_t)h & x->mask;
    for (uint64_t s; (s = x->slot[j]) != 0; j = (j + 1) & x->mask) {
        size_t i = (size_t)(uint32_t)s - 1;
        if ((s & BILAT_HINDEX_TAG) == tag && same(ctx, i)) {
            *slot_out = j;
            return i;
        }
    }
    *slot_out = j;
    return BILAT_HINDEX_NONE;
}

/* Prefetch the slot hash `h` starts at (a lookup that is coming). */
static inline void bilat_hindex_prefetch(const struct bilat_hindex *x, uint64_t h)
{
    __builtin_prefetch(&x->slot[(size_t)h & x->mask]);
}

/*
 * Index entry `i` of hash `h` at the empty slot `slot` that bilat_hindex_find() gave, and grow
 * when the index is more than half full, rehashing every entry through hash(ctx, entry). When
 * growing fails the index works on fuller, and growing is tried again at the next put; it is
 * BILAT_ENOMEM only when the index is full (the entry indexed when there was room for it).
 */
int bilat_hindex_put(struct bilat_hindex *x, size_t slot, uint64_t h, size_t i,
                     bilat_hindex_hash_fn *hash, const void *ctx);

/*
 * Remove the entry at `slot` (bilat_hindex_find() found it), shifting back the entries after
 * it that probing would no longer reach (their hashes through hash(ctx, entry)). The caller's
 * array is not touched: to keep it dense, move its last entry into the hole and tell the index
 * with bilat_hindex_renumber().
 */
void bilat_hindex_remove(struct bilat_hindex *x, size_t slot, bilat_hindex_hash_fn *hash,
                         const void *ctx);

/* Entry `from` (of hash `h`) is now entry `to`. */
void bilat_hindex_renumber(struct bilat_hindex *x, uint64_t h, size_t from, size_t to);

/*
 * A hash of `len` bytes, chained from `h` (a seed, or the hash of what came before): 8 bytes at
 * a time through a multiply-xorshift mix, the length mixed in so that "AB" + "C" differs from
 * "A" + "BC". Inline: the scanner hashes a few fields of every row. Its values are part of
 * what the event engine writes (cluster fingerprints): they must not change.
 */
static inline uint64_t bilat_hash_bytes(uint64_t h, const char *s, size_t len)
{
    while (len >= 8) {
        uint64_t w;
        __builtin_memcpy(&w, s, 8);
        h = (h ^ w) * 0x9fb21c651e98df25ULL;
        h ^= h >> 28;
        s += 8, len -= 8;
    }
    uint64_t w = 0;
    __builtin_memcpy(&w, s, len);
    h = (h ^ w ^ ((uint64_t)len << 56)) * 0x9fb21c651e98df25ULL;
    h ^= h >> 28;
    return h;
}

#endif
