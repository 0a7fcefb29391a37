/*
 * events.h: internals of the event-file engine shared by the scanner (events.c), the store
 * writer (evstore.c) and the tests. The public API is in bilat.h ("Event files").
 *
 * Invariants: a group's key is an array of `nk` uint64 words, one per key, in the order the
 * keys were asked for. Codes are packed big-endian (first byte most significant, zero padded),
 * so that comparing words as unsigned integers orders groups like comparing the strings; dates
 * are integers (year, YYYYMM, YYYYMMDD); quad is 1..4 and 0 when missing. Sums of decimals are
 * 128-bit fixed point with 18 decimals (ev_fixed), exact and independent of order.
 */
#ifndef BILAT_INGEST_EVENTS_H
#define BILAT_INGEST_EVENTS_H

#include "bilat.h"

#include <stdbool.h>
#include <stdint.h>

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
    uint64_t *slot;      /* index: entry + 1 in the low half, 0 = empty; the high half holds
                            the hash's high bits, so that a probe that does not match is
                            rejected without touching the entry (a cache miss) */
    size_t mask;         /* slots - 1 (a power of two minus one) */
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
/* Find or add the group of `key`; *idx_out gets its index. 0 or BILAT_ENOMEM. */
int evgroups_get(struct evgroups *g, const uint64_t *key, uint64_t h, size_t *idx_out);
uint64_t evgroups_hash(const uint64_t *key, size_t nk);

/* Parse a decimal ("-2.56410256410256", "1e-3") into fixed point. 0 or BILAT_EPARSE. */
int ev_fixed_parse(const char *s, size_t len, ev_fixed *out);
/* Print a fixed-point value exactly, trailing zeros dropped ("-12.5", "0"); returns length. */
int ev_fixed_format(ev_fixed v, char *buf, size_t cap);
double ev_fixed_to_double(ev_fixed v);

/* Pack up to 8 bytes big-endian ("KHM" -> 0x4b484d0000000000). */
uint64_t ev_code_pack(const char *s, size_t len);
/* Unpack into buf (at least 9 bytes); returns the length. */
size_t ev_code_unpack(uint64_t v, char *buf);

/* Parse a --by list into key ids; *n_out keys. BILAT_EINVAL with the bad name. */
int ev_keys_parse(const char *by, enum evkey *keys, size_t *n_out, struct bilat_err *err);
const char *ev_key_name(enum evkey k);

/* Number of groups, keys and measures of a result, for the store writer. */
struct evresult_view {
    const struct evgroups *groups;   /* the groups */
    const enum evkey *keys;          /* their keys */
    const struct evgroups *coverage; /* keys (file, added day): rows and event-date range */
};
void bilat_scan_view(const bilat_scan *s, struct evresult_view *out);

/* Per-file facts of a result, in file order. */
struct evfile_view {
    const char *path;         /* as given */
    int format;               /* enum bilat_ev_format decided for the file, 0 if not read */
    uint64_t size;            /* raw bytes read */
    uint64_t rows, rejected;  /* data rows, bad rows */
    uint32_t dmin, dmax;      /* event dates, 0 when none */
    uint32_t amin, amax;      /* dates added, 0 when none */
    const char *sha256;       /* hex, "" when not computed */
    const char *failure;      /* why the file could not be read to the end, or NULL */
    bool empty;               /* no data row at all */
    bool scanned;             /* this result read the file (false: another part's) */
};
size_t bilat_scan_nfiles(const bilat_scan *s);
void bilat_scan_file(const bilat_scan *s, size_t i, struct evfile_view *out);

#endif
