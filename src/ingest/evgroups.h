/*
 * evgroups.h: the tables the event engine aggregates into (evgroups.c): groups of rows keyed
 * by up to EV_MAXK packed key words with their measures, the dedup clusters beyond a group's
 * first, exact fixed-point decimals and packed codes. Used by the scanner (events.c), the
 * spill files (evspill.c), the store writer and the tests.
 *
 * Invariants: a group's key is an array of `nk` uint64 words, one per key, in the order the
 * keys were asked for. Codes are packed big-endian (first byte most significant, zero padded),
 * so that comparing words as unsigned integers orders groups like comparing the strings; dates
 * are integers (year, YYYYMM, YYYYMMDD); quad is 1..4 and 0 when missing. Sums of decimals are
 * 128-bit fixed point with 18 decimals (ev_fixed), exact and independent of order.
 */
#ifndef BILAT_INGEST_EVGROUPS_H
#define BILAT_INGEST_EVGROUPS_H

#include "bilat.h"
#include "core/hindex.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

__extension__ typedef __int128 ev_fixed;           /* value * 10^18 */
__extension__ typedef unsigned __int128 ev_ufixed; /* its magnitude */

#define EV_FIXED_SCALE 1000000000000000000LL

enum evkey {
    K_YEAR,
    K_MONTH,
    K_DAY,
    K_A1C,
    K_A2C,
    K_A1T,
    K_A2T,
    K_EVCODE,
    K_ROOT,
    K_QUAD,
    K_ACTION,
    K__N,
    K_FILE = K__N, /* internal: the file index (coverage tables) */
    K_ADDED,       /* internal: the day a row was added (coverage tables) */
};

enum { EV_MAXK = 16 };

/* Measure flags: which optional measures some row of the group had. */
enum { EVM_GDELT = 1, EVM_GOLD = 2, EVM_LAG = 4 };

struct evmeas {
    int64_t events;      /* rows */
    int64_t dedup;       /* distinct clusters under the dedup rule */
    int64_t root_events; /* rows with IsRootEvent = 1 */
    int64_t mentions;    /* sum of NumMentions */
    int64_t sources;     /* sum of NumSources */
    int64_t articles;    /* sum of NumArticles */
    int64_t lag_sum;     /* sum of days between the event and the day it was added */
    ev_fixed gold;       /* sum of Goldstein values */
    ev_fixed tone;       /* sum of AvgTone */
    uint32_t dmin, dmax; /* first and last event date (YYYYMMDD) */
    uint32_t flags;      /* EVM_* */
    uint64_t fp0;        /* the group's first dedup cluster (0: none); further clusters go to
                            the result's fingerprint set. Most cube cells hold one cluster, so
                            the set stays small. */
};

/* Add the measures of b to a (merging the cells of two tables or runs; the dedup count is not
 * added: the caller recounts it from the clusters' union). */
static inline void evmeas_add(struct evmeas *a, const struct evmeas *b)
{
    a->events += b->events;
    a->root_events += b->root_events;
    a->mentions += b->mentions;
    a->sources += b->sources;
    a->articles += b->articles;
    a->lag_sum += b->lag_sum;
    a->gold += b->gold;
    a->tone += b->tone;
    a->flags |= b->flags;
    if (b->dmin && (!a->dmin || b->dmin < a->dmin))
        a->dmin = b->dmin;
    if (b->dmax > a->dmax)
        a->dmax = b->dmax;
}

/*
 * A hash table of groups: entries in insertion order in one array (hash, key words, then the
 * measures, so that a lookup and the update that follows touch neighbouring cache lines), plus
 * an index of slots.
 */
struct evgroups {
    size_t nk;           /* key words per group */
    size_t n, cap;       /* groups, capacity of the entry array */
    size_t stride;       /* bytes per entry */
    size_t moff;         /* offset of the measures in an entry */
    unsigned char *e;    /* entries */
    struct bilat_hindex x; /* the index (core/hindex.h), rehashed from the entries' hashes */
};

static inline uint64_t evg_hash(const struct evgroups *g, size_t i)
{
    return *(const uint64_t *)(const void *)(g->e + i * g->stride);
}

static inline uint64_t *evg_key(const struct evgroups *g, size_t i)
{
    return (uint64_t *)(void *)(g->e + i * g->stride + 8);
}

static inline struct evmeas *evg_meas(const struct evgroups *g, size_t i)
{
    return (struct evmeas *)(void *)(g->e + i * g->stride + g->moff);
}

int evgroups_init(struct evgroups *g, size_t nk);
void evgroups_release(struct evgroups *g);
/* Empty the table, keeping its memory (a table that spilled fills up again to the same size). */
void evgroups_reset(struct evgroups *g);
/* Bytes the table holds (entries and index). */
size_t evgroups_bytes(const struct evgroups *g);

/* Add the group of `key` (hash h) at the empty index slot `slot` evgroups_get() found;
 * *idx_out gets its index. 0 or BILAT_ENOMEM. */
int evgroups_add(struct evgroups *g, const uint64_t *key, uint64_t h, size_t slot,
                 size_t *idx_out);

/* The group looked for: its key and hash. */
struct evgroups_key {
    const struct evgroups *g;
    const uint64_t *key;
    uint64_t h;
};

static inline __attribute__((always_inline)) bool evgroups_same(const void *ctx, size_t i)
{
    const struct evgroups_key *k = ctx;
    if (evg_hash(k->g, i) != k->h)
        return false;
    const uint64_t *w = evg_key(k->g, i);
    for (size_t j = 0; j < k->g->nk; j++)
        if (w[j] != k->key[j])
            return false;
    return true;
}

/* Find or add the group of `key` (hash h, evgroups_hash()); *idx_out gets its index. 0 or
 * BILAT_ENOMEM. Inline: once per row on the scanner's hot path, where the group is nearly
 * always there already; adding one is a call. */
static inline __attribute__((always_inline)) int evgroups_get(struct evgroups *g,
                                                              const uint64_t *key, uint64_t h,
                                                              size_t *idx_out)
{
    const struct evgroups_key k = {g, key, h};
    size_t slot, i = bilat_hindex_find(&g->x, h, evgroups_same, &k, &slot);
    if (i != BILAT_HINDEX_NONE) {
        *idx_out = i;
        return 0;
    }
    return evgroups_add(g, key, h, slot, idx_out);
}

/* The multipliers of evgroups_hash(), one per key word. */
extern const uint64_t ev_hash_mul[EV_MAXK];

/* The hash in steps, for a caller that makes the key word by word (evrow.c): the seed, each
 * word added, the sum mixed. */
static inline __attribute__((always_inline)) uint64_t evgroups_hash_seed(size_t nk)
{
    return 0x9e3779b97f4a7c15ULL ^ nk;
}

static inline __attribute__((always_inline)) uint64_t evgroups_hash_add(uint64_t h, size_t i,
                                                                         uint64_t word)
{
    return h + (word ^ (word >> 32)) * ev_hash_mul[i];
}

static inline __attribute__((always_inline)) uint64_t evgroups_hash_end(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* The hash of a key for the group tables (inline: once per row on the scanner's hot path).
 * Each word, its high half folded onto its low one (packed codes sit in the high bytes), is
 * multiplied by its own odd constant and the products summed, so that the multiplications run
 * side by side instead of one after the other; the sum is then mixed (murmur3's finalizer), so
 * that its low bits (the slot) and high bits (the tag) both depend on every word. The hash is
 * never written to a file: tables are built again where they are read. */
static inline __attribute__((always_inline)) uint64_t evgroups_hash(const uint64_t *key, size_t nk)
{
    uint64_t h = evgroups_hash_seed(nk);
    for (size_t i = 0; i < nk; i++)
        h = evgroups_hash_add(h, i, key[i]);
    return evgroups_hash_end(h);
}

/* The seed of a dedup cluster's fingerprint: the group key's words mixed in turn. A cluster's
 * fingerprint names it in `--members` output and orders its rows there, so this function is
 * kept as it is (a change would rename every cluster). */
static inline __attribute__((always_inline)) uint64_t ev_cluster_seed(const uint64_t *key,
                                                                      size_t nk)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ nk;
    for (size_t i = 0; i < nk; i++) {
        h ^= key[i];
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 29;
    return h;
}

/*
 * Dedup clusters beyond a group's first one (evmeas.fp0): a set of (cluster fingerprint, group
 * index), in the order they came, indexed by fingerprint (the index's hash is the fingerprint
 * itself). A fingerprint is derived from its group's key, so a cluster belongs to one group;
 * the deduplicated count of a group is the number of its distinct fingerprints.
 */
struct fpent {
    uint64_t fp;            /* cluster fingerprint (never 0: a real 0 is mapped to 1) */
    uint32_t group;         /* group index */
};

struct fpset {
    struct fpent *e;        /* entries */
    size_t n, cap;          /* entries, capacity */
    struct bilat_hindex x;  /* by fingerprint */
};

int fpset_init(struct fpset *s);
void fpset_release(struct fpset *s);
/* Empty the set, keeping its memory. */
void fpset_reset(struct fpset *s);
/* Bytes the set holds (entries and index). */
size_t fpset_bytes(const struct fpset *s);
/* Add an entry the set does not hold at `slot` (fpset_add()'s slow path). 1 or BILAT_ENOMEM. */
int fpset_insert(struct fpset *s, size_t slot, uint64_t fp, uint32_t group);

/* A fingerprint looked for in a set's entries. */
struct fpkey {
    const struct fpent *e;
    uint64_t fp;
};

static inline bool fpset_same(const void *ctx, size_t i)
{
    const struct fpkey *k = ctx;
    return k->e[i].fp == k->fp;
}

/* Insert; 1 when new, 0 when present, BILAT_ENOMEM. */
static inline int fpset_add(struct fpset *s, uint64_t fp, uint32_t group)
{
    if (!fp)
        fp = 1;
    const struct fpkey k = {s->e, fp};
    size_t slot;
    if (bilat_hindex_find(&s->x, fp, fpset_same, &k, &slot) != BILAT_HINDEX_NONE)
        return 0;
    return fpset_insert(s, slot, fp, group);
}

/* Print a fixed-point value exactly, trailing zeros dropped ("-12.5", "0"); returns length. */
int ev_fixed_format(ev_fixed v, char *buf, size_t cap);

/* The decimal digits of v, most significant first, into o (at least 20 bytes, no NUL); returns
 * how many. The scan's output writes its numbers with it instead of printf. */
size_t ev_u64_digits(uint64_t v, char *o);
double ev_fixed_to_double(ev_fixed v);

/* Pack up to 8 bytes big-endian ("KHM" -> 0x4b484d0000000000); inline, as the scanner packs
 * every row's codes. */
static inline __attribute__((always_inline)) uint64_t ev_code_pack(const char *s, size_t len)
{
    uint64_t v = 0;
    for (size_t i = 0; i < len && i < 8; i++)
        v |= (uint64_t)(unsigned char)s[i] << (56 - 8 * i);
    return v;
}

/* Whether the eight bytes of `v` are ASCII digits: each byte 0x30..0x39 has the high nibble 3,
 * and adding 6 to it does not carry out of 9. */
static inline __attribute__((always_inline)) bool ev_all_digits8(uint64_t v)
{
    const uint64_t high = 0xF0F0F0F0F0F0F0F0ULL;
    return ((v & high) | (((v + 0x0606060606060606ULL) & high) >> 4)) == 0x3333333333333333ULL;
}

/* Eight ASCII digits, the first in the low byte of `v` (an 8-byte load on a little-endian
 * machine), as a number; false when a byte is not a digit. Three multiplications join pairs,
 * quads and halves, instead of a branch per digit. */
static inline __attribute__((always_inline)) bool ev_digits8(uint64_t v, uint64_t *out)
{
    if (!ev_all_digits8(v))
        return false;
    v = (v & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
    v = (v & 0x00FF00FF00FF00FFULL) * 6553601 >> 16;
    *out = (v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL >> 32;
    return true;
}

/* 10^k for k = 0..19 */
extern const uint64_t ev_pow10[20];

/* The k digits (9 to 16) at p, whose first 8 and last 8 bytes are read (both within the k):
 * the last ones with the bytes they share with the first 8 made zeros. */
static inline __attribute__((always_inline)) bool ev_digits_9_16(const char *p, size_t k,
                                                                  uint64_t *out)
{
    uint64_t a, b, hi, lo;
    memcpy(&a, p, 8);
    memcpy(&b, p + k - 8, 8);
    uint64_t shared = k < 16 ? ~0ULL >> (8 * (k - 8)) : 0; /* the low 16 - k bytes */
    b = (b & ~shared) | (0x3030303030303030ULL & shared);
    if (!ev_digits8(a, &hi) || !ev_digits8(b, &lo))
        return false;
    *out = hi * ev_pow10[k - 8] + lo;
    return true;
}

/* The usual case, digits[.digits] with at most 19 digits and 18 decimals: one pass, one
 * 64x64->128 multiplication; a fraction of 9 to 16 digits (GDELT's AvgTone has 14) is read
 * eight digits at a time on little-endian machines. Returns false to send anything else to the
 * general parser (ev_fixed_parse() does both; the scanner calls this one inline first). */
static inline __attribute__((always_inline)) bool ev_fixed_fast(const char *s, size_t len,
                                                                 ev_fixed *out)
{
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && *p == '-')
        neg = true, p++;
    /* integer digits, then (after a point) fraction digits: two tight loops, no per-byte test
     * for the point */
    uint64_t mant = 0;
    const char *ds = p;
    while (p < end && (unsigned)(*p - '0') <= 9)
        mant = mant * 10 + (unsigned)(*p++ - '0');
    size_t nd = (size_t)(p - ds), frac = 0;
    if (p < end) {
        if (*p != '.')
            return false;
        const char *fs = ++p;
        frac = (size_t)(end - fs);
        uint64_t f;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (frac >= 9 && frac <= 16 && nd + frac <= 19) {
            if (!ev_digits_9_16(fs, frac, &f))
                return false;
            mant = mant * ev_pow10[frac] + f;
            p = end;
        }
#endif
        while (p < end && (unsigned)(*p - '0') <= 9)
            mant = mant * 10 + (unsigned)(*p++ - '0');
        if (p != end)
            return false;
        nd += frac;
    }
    if (nd == 0 || nd > 19 || frac > 18)
        return false;
    ev_ufixed v = (ev_ufixed)mant * ev_pow10[18 - frac];
    *out = neg ? -(ev_fixed)v : (ev_fixed)v;
    return true;
}

/* What ev_fixed_fast() leaves: a sign '+', more digits than fit, an exponent, a malformed
 * value. Out of line. 0 or BILAT_EPARSE. */
int ev_fixed_general(const char *s, size_t len, ev_fixed *out);

/* Parse a decimal ("-2.56410256410256", "1e-3") into fixed point. 0 or BILAT_EPARSE. The usual
 * case inline (every GDELT row has two), the rest a call. */
static inline __attribute__((always_inline)) int ev_fixed_parse(const char *s, size_t len,
                                                               ev_fixed *out)
{
    return ev_fixed_fast(s, len, out) ? 0 : ev_fixed_general(s, len, out);
}

/* Unpack into buf (at least 9 bytes); returns the length. */
size_t ev_code_unpack(uint64_t v, char *buf);

/* Parse a --by list into key ids; *n_out keys. BILAT_EINVAL with the bad name. */
int ev_keys_parse(const char *by, enum evkey *keys, size_t *n_out, struct bilat_err *err);
const char *ev_key_name(enum evkey k);


#endif
