/*
 * events.h: internals of the event-file engine shared by the scanner (events.c), the store
 * writer (store/evstore.c), the drill-down (analytics/evdrill.c) and the tests. The public API is in bilat.h ("Event files").
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

#include <jansson.h>
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
/* Empty the table, keeping its memory (a table that spilled fills up again to the same size). */
void evgroups_reset(struct evgroups *g);
/* Bytes the table holds (entries and index). */
size_t evgroups_bytes(const struct evgroups *g);
/* Find or add the group of `key`; *idx_out gets its index. 0 or BILAT_ENOMEM. */
int evgroups_get(struct evgroups *g, const uint64_t *key, uint64_t h, size_t *idx_out);
uint64_t evgroups_hash(const uint64_t *key, size_t nk);

/*
 * Dedup clusters beyond a group's first one (evmeas.fp0): an open-addressing set of (cluster
 * fingerprint, group index). A fingerprint is derived from its group's key, so a cluster belongs
 * to one group; the deduplicated count of a group is the number of its distinct fingerprints.
 */
struct fpent {
    uint64_t fp;            /* cluster fingerprint (0 = empty slot; real 0 is mapped to 1) */
    uint32_t group;         /* group index */
};

struct fpset {
    struct fpent *e;        /* slots */
    size_t n, mask;         /* entries, slots - 1 */
};

/*
 * Spilling (bilat ingest under a memory budget): when a worker's group table reaches its share
 * of the budget, its groups are sorted in the cube's order and written as one run of an unlinked
 * temporary file, with every group's cluster fingerprints; the table is then emptied and filled
 * again. At the end the runs are merged: groups with the same key are added (exact integer and
 * fixed-point sums) and their fingerprint lists united, so that the merged cells equal the cells
 * of a scan that kept everything in memory, deduplicated counts included.
 *
 * Run record: the nk key words, the struct evmeas (its `dedup` holds the number of fingerprints
 * that follow, fp0 is unused), then that many uint64 fingerprints. The file is private to the
 * process and gone when it exits (kill -9 included).
 */
struct evspill;

/* Reusable buffers of one spilling worker (evspill_scratch_release() frees them). */
struct evspill_scratch {
    uint64_t *recs;         /* sort records: permuted key words, then the group index */
    size_t cap_recs;
    uint32_t *fpstart;      /* per group: end of its fingerprints in fps (see evspill.c) */
    uint64_t *fps;          /* fingerprints beyond fp0, grouped by group */
    size_t cap_groups, cap_fps;
    unsigned char *out;     /* write buffer */
};

/* A spill file in `dir` (NULL: $TMPDIR or /tmp) for groups of nk keys sorted by perm. `budget`
 * sizes the read buffers of the merge. BILAT_EIO when no temporary file can be made. */
int evspill_new(const char *dir, size_t nk, const size_t *perm, bool dedup, size_t budget,
                struct evspill **out, struct bilat_err *err);
void evspill_free(struct evspill *sp);
/* Write the groups of g (and their fingerprints in fps, NULL without dedup) as one sorted run.
 * Safe to call from several threads at once. BILAT_ENOMEM, BILAT_EIO (message in err). */
int evspill_write(struct evspill *sp, const struct evgroups *g, const struct fpset *fps,
                  struct evspill_scratch *sc, struct bilat_err *err);
size_t evspill_runs(const struct evspill *sp);
void evspill_scratch_release(struct evspill_scratch *sc);
/* Bytes evspill_write() needs on top of a table of `cells` groups and `fps` set slots. */
size_t evspill_scratch_bytes(size_t nk, size_t cells, size_t fps);

/*
 * Cells in sorted order, from a table in memory or from the merged runs of a spill file.
 * evcells_next() returns 1 with a cell (key and measures, with `dedup` the deduplicated count;
 * valid until the next call), 0 at the end, <0 on error (BILAT_ENOMEM, BILAT_EIO).
 */
struct evcells;
int evcells_open_table(const struct evgroups *g, const size_t *perm, struct evcells **out);
int evcells_open_spill(struct evspill *sp, struct evcells **out, struct bilat_err *err);
int evcells_next(struct evcells *c, const uint64_t **key_out, const struct evmeas **m_out,
                 struct bilat_err *err);
void evcells_close(struct evcells *c);

/*
 * Sets of GLOBALEVENTIDs as sorted, disjoint runs of consecutive ids: an export's ids are one
 * run, so the set of every event in a store of thousands of files stays small. An ingest skips
 * the rows whose id another file of the store holds (nothing is counted twice), and records the
 * ids it counted (ingest_event_id); the drill-down reads a file again keeping only those.
 * Ids that do not come in runs cost 16 bytes each.
 */
struct evidrun {
    uint64_t lo, hi; /* ids lo..hi, both included */
};

struct evids {
    struct evidrun *v;
    size_t n, cap;
};

/* Add id (or run) to the set, in any order: 0 or BILAT_ENOMEM. evids_normalise() must follow
 * before evids_has(). */
int evids_add_run(struct evids *s, uint64_t lo, uint64_t hi);
/* Sort the runs and join those that overlap or touch. */
void evids_normalise(struct evids *s);
/* Whether a normalised set holds id. */
bool evids_has(const struct evids *s, uint64_t id);
/* Number of ids of a normalised set. */
uint64_t evids_count(const struct evids *s);
void evids_release(struct evids *s);

/* Per file of a scan: rows whose id is (keep = false) or is not (keep = true) in the set of
 * their format (enum bilat_ev_format: GDELT 1.0 and 2.0 ids are told apart, as nothing says
 * the two number their events alike) are left out and counted as duplicates; NULL: no filter. */
struct evidfilter {
    const struct evids *set[4];
    bool keep;
};

/* The cube's keys and write order (events.c), and the cells of an ingest scan in that order. */
extern const char ev_cube_keys[];
extern const size_t ev_cube_order[7];
int ev_cells_open(const bilat_scan *s, struct evcells **out, struct bilat_err *err);
/* Scan one file for the cube (o->by is ignored), or make an empty result to merge a packed
 * one into (MPI). Same contract as bilat_scan_files(). `known` (may be NULL): GLOBALEVENTIDs
 * held by other files of the store, by format, whose rows are left out; the ids counted are
 * kept (ev_scan_ids()). */
int ev_scan_for_ingest(const struct bilat_scan_opts *o, const char *path,
                       const struct evidfilter *known, bilat_scan **out, struct bilat_err *err);
/* The GLOBALEVENTIDs an ingest scan counted, and those it left out as other files' events
 * (normalised; empty for ICEWS). */
const struct evids *ev_scan_ids(const bilat_scan *s);
const struct evids *ev_scan_skipped_ids(const bilat_scan *s);
int ev_scan_empty_for_ingest(const struct bilat_scan_opts *o, const char *path, bilat_scan **out,
                             struct bilat_err *err);

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
    size_t spill_runs;               /* sorted runs the groups were spilled to (0: in memory) */
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
    const char *sha256;       /* hex of the raw file, "" when not computed */
    const char *content_sha256; /* hex of the decompressed content, "" when not computed or
                                   when the data could not be read to its end */
    int container;            /* enum evsrc_kind: plain, gzip, zip */
    uint64_t duplicates;      /* rows left out by the id filter */
    const char *failure;      /* why the file could not be read to the end, or NULL */
    const char *warning;      /* a warning about the data (bytes ignored), or NULL */
    bool changed;             /* the file changed while it was read (failure says so) */
    bool empty;               /* no data row at all */
    bool scanned;             /* this result read the file (false: another part's) */
};
size_t bilat_scan_nfiles(const bilat_scan *s);

/* The fields of a kept cluster member, as the file writes them (f[MF_DATE] is YYYY-MM-DD). */
enum { MF_ID, MF_DATE, MF_ACTOR1, MF_ACTOR2, MF_CODE, MF_URL, MF_GOLD, MF_N };

/* A cluster member kept with opts.members; pointers valid until the result is freed. */
struct evmember_view {
    uint64_t fp;              /* cluster fingerprint */
    size_t file;              /* file index */
    uint64_t line;            /* line in the file */
    const uint64_t *key;      /* the group's key words, in the order of the keys asked for */
    const char *f[MF_N]; /* event id, date, actor1, actor2, event code, URL (GDELT
                                   SOURCEURL, ICEWS Story ID), Goldstein (ICEWS Intensity) */
    size_t len[MF_N];        /* their lengths (not NUL-terminated) */
};
size_t ev_members_count(const bilat_scan *s);
void ev_member(const bilat_scan *s, size_t i, struct evmember_view *out);

/* Scan files with the cube's keys and the ingest's checks, for the drill-down: clusters get
 * the fingerprints an ingest gives them. `idf` (NULL, or one per file): the ids each file
 * counted at ingest. Same contract as bilat_scan_files() (o->by ignored). */
int ev_scan_for_drill(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                      const struct evidfilter *idf, bilat_scan **out, struct bilat_err *err);
void bilat_scan_file(const bilat_scan *s, size_t i, struct evfile_view *out);

#endif
