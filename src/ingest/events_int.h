/*
 * events_int.h: the parts of the event scanner (bilat.h, "Event files") that its files share:
 * the compiled options (evconf.c), the result, the workers' state and the shared run
 * (events.c), row processing (evrow.c), the reader (evread.c), the result's views and packing
 * (evresult.c). Nothing outside src/ingest/ev*.c includes it; the store writer and the
 * drill-down use events.h.
 */
#ifndef BILAT_INGEST_EVENTS_INT_H
#define BILAT_INGEST_EVENTS_INT_H

#include "ingest/events.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/parse.h"
#include "ingest/evscan.h"
#include "ingest/evsha.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

enum {
    DEFAULT_READ = 1 << 20,       /* bytes per read() */
    DEFAULT_SLICE = 4 << 20,      /* bytes per block of a mapped file: fewer hand-overs and
                                     madvise calls than 1 MiB, measured faster (RESULTS.md) */
    MAX_LINE = 16 << 20,          /* longer lines are rejected */
    DEFAULT_MAX_ERRORS = 20,      /* bad rows kept per file */
    ERR_MSG = 160,                /* bytes of a kept reason */
};

/* ------------------------------------------------------------------------------------------
 * Options compiled once
 * ---------------------------------------------------------------------------------------- */

enum condop { C_DYAD, C_A1C, C_A2C, C_ROOT, C_QUAD, C_FROM, C_TO, C_ACTION, C_EVCODE };

struct cond {
    enum condop op;
    uint64_t a, b; /* packed codes, a number, or a date */
};

struct conf {
    enum evkey keys[EV_MAXK]; /* --by */
    size_t nk;
    struct cond conds[64];    /* --where */
    size_t nconds;
    enum bilat_ev_format format;
    enum bilat_ev_dedup dedup;
    bool coverage;            /* keep (file, added day) counts and lags (ingest) */
    bool track_ids;           /* keep the GLOBALEVENTIDs counted (ingest) */
    const struct evidfilter *idf; /* per file: rows left out by id, or NULL */
    bool members;             /* keep cluster members (bilat_scan_write_members()) */
    int max_errors;
    unsigned codes_used;      /* GDELT code columns the scan uses (bits: actor1 country, type,
                                 actor2 country, type, event code, root code): only those are
                                 checked */
    uint32_t maxf[4];         /* fields a kept row needs, per format */
    uint32_t maxf_scan[4];    /* fields the scanner records: fewer when the conditions need
                                 only early fields, the rest found for kept rows only */
    uint64_t fips_iso3[65536]; /* FIPS 2-letter code -> packed ISO3 (0 = unknown) */
};

/* ------------------------------------------------------------------------------------------
 * Result
 * ---------------------------------------------------------------------------------------- */

struct everr {
    uint64_t seq;           /* block sequence number (global) */
    uint64_t line;          /* line within the block (1-based); after finishing: file line */
    char msg[ERR_MSG];      /* reason */
};

struct evfile {
    char *path;             /* owned copy */
    int format;             /* decided format, 0 when not read */
    bool scanned;           /* read by this process */
    bool empty;             /* no data rows */
    bool unopened;          /* could not be opened */
    bool changed;           /* changed while read (a mapped page vanished, or its size or time
                               moved): the failure says so */
    int container;          /* enum evsrc_kind */
    uint64_t size, bytes;   /* raw bytes, data bytes */
    uint64_t rows, rejected, used, dup;
    uint32_t dmin, dmax, amin, amax;
    char sha256[65];        /* raw bytes */
    char content_sha256[65]; /* decompressed bytes, "" unless read to the end */
    struct evsha csha;      /* the content digest of a compressed file, hashed by the workers in
                               block order (worker_hash()) */
    bool chash;             /* csha is running */
    bool chash_lost;        /* some content was not hashed (an overlong line): no digest */
    char *failure;          /* owned; why reading stopped early */
    char *warning;          /* owned; a warning about the data, or NULL */
    struct everr *errs;     /* kept bad rows, sorted by (seq, line), at most max_errors */
    size_t nerrs;
};

/*
 * A kept cluster member. Its fields (event id, date, actor1, actor2, event code, URL and the
 * Goldstein value, as the file writes them) live in a text buffer, joined by tabs: they come
 * from tab-separated lines, so no field holds one. Its group's key words live in an array, so
 * that the drill-down (evdrill.c) knows the cube cell of every member.
 */
struct member {
    uint64_t fp;            /* cluster */
    uint64_t seq, line;     /* block and line in it; after finishing: file line */
    uint32_t file;          /* file index */
    uint32_t len;           /* bytes of text */
    size_t off;             /* offset of the text */
    size_t koff;            /* offset of the key words in `keys` */
};

struct memberlist {
    struct member *v;
    size_t n, cap;
    struct bilat_buf text;
    uint64_t *keys;         /* key words of every member, conf.nk each */
    size_t nkeys, capkeys;  /* words used, allocated */
};

struct bilat_scan {
    struct conf *conf;
    struct evgroups groups;
    struct evgroups cov;    /* keys: file, added day */
    struct fpset fps;
    struct evfile *files;
    size_t nfiles;
    uint64_t bytes;
    struct memberlist members; /* with opts.members */
    struct evspill *spill;  /* groups spilled to sorted runs (then `groups` is empty), or NULL */
    struct evids ids;       /* GLOBALEVENTIDs counted (conf.track_ids) */
    struct evids skipped;   /* ... and left out as other files' (conf.track_ids) */
};

/* ------------------------------------------------------------------------------------------
 * Small parsers (locale-free, bounded; dates are core/parse.h's)
 * ---------------------------------------------------------------------------------------- */

static inline __attribute__((always_inline)) bool parse_u63(const char *s, size_t len, int64_t *out)
{
    if (len == 0 || len > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/*
 * GDELT's dates (SQLDATE, DATEADDED's day): bilat_ymd_compact(), the same value or 0, with the
 * eight digits checked and joined at once instead of a branch per digit (every row has one).
 * The first step of ev_digits8() leaves the four pairs of digits (century, year in it, month,
 * day) in 16-bit lanes: the calendar check reads them there, without dividing the date again.
 */
static inline __attribute__((always_inline)) uint32_t ev_ymd8(const char *s, size_t len)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    static const unsigned char mdays[16] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint64_t v;
    if (len != 8)
        return 0;
    memcpy(&v, s, 8); /* first digit in the low byte */
    if (!ev_all_digits8(v))
        return 0;
    v = (v & 0x0F0F0F0F0F0F0F0FULL) * 2561 >> 8;
    const uint32_t cc = (uint32_t)(v & 0xff), yy = (uint32_t)(v >> 16 & 0xff),
                   mm = (uint32_t)(v >> 32 & 0xff), dd = (uint32_t)(v >> 48 & 0xff);
    if (cc < 10 || mm - 1 > 11 || dd == 0) /* years from 1000 */
        return 0;
    if (dd > mdays[mm]) {
        /* February 29th: a year divisible by 4, but a century only when divisible by 400 */
        bool leap = yy ? yy % 4 == 0 : cc % 4 == 0;
        if (!(mm == 2 && dd == 29 && leap))
            return 0;
    }
    return cc * 1000000 + yy * 10000 + mm * 100 + dd;
#else
    return bilat_ymd_compact(s, len);
#endif
}

/* A code field: letters, digits, at most 8 bytes. */
static inline __attribute__((always_inline)) bool code_ok(const char *s, size_t len)
{
    if (len > 8)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    }
    return true;
}

/*
 * A code field as one 8-byte word: packed as ev_code_pack() packs it, and whether it is a code
 * (what code_ok() says), tested on all its bytes at once. The 8 bytes from s must be readable:
 * GDELT's code columns (actor countries and types, event and root codes) are followed by at
 * least 28 more fields in a line whose count of fields row_shape() has checked. Per byte x
 * below 0x80, x + (0x80 - a) has its high bit set when x >= a, x + (0x7f - b) when x > b, with
 * no carry into the next byte; a letter is x | 0x20 in 'a'..'z'.
 */
static inline __attribute__((always_inline)) bool ev_code_word(const char *s, size_t n,
                                                               uint64_t *packed)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, s, 8); /* first byte in the low one */
    const uint64_t keep = n >= 8 ? ~0ULL : (1ULL << (8 * n)) - 1;
    v &= keep;
    *packed = __builtin_bswap64(v);
    const uint64_t ones = 0x0101010101010101ULL, high = 0x80 * ones & keep;
    const uint64_t low = v | 0x20 * ones;
    const uint64_t digit = (v + (0x80 - '0') * ones) & ~(v + (0x7f - '9') * ones);
    const uint64_t letter = (low + (0x80 - 'a') * ones) & ~(low + (0x7f - 'z') * ones);
    return n <= 8 && !(v & high) && ((digit | letter) & high) == high;
#else
    *packed = ev_code_pack(s, n);
    return code_ok(s, n);
#endif
}

/* ------------------------------------------------------------------------------------------
 * Fingerprints (dedup clusters)
 * ---------------------------------------------------------------------------------------- */

/* Record cluster `fp` for group `gi` (measures m): 1 when new to the group, 0 when seen,
 * BILAT_ENOMEM. */
static inline int dd_add(struct evmeas *m, struct fpset *s, uint32_t gi, uint64_t fp)
{
    if (!fp)
        fp = 1;
    if (!m->fp0) {
        m->fp0 = fp;
        return 1;
    }
    if (m->fp0 == fp)
        return 0;
    return fpset_add(s, fp, gi);
}

/* ------------------------------------------------------------------------------------------
 * Per-thread state and row processing
 * ---------------------------------------------------------------------------------------- */

struct fcount {
    uint64_t rows, rejected, used, dup;
    uint32_t dmin, dmax, amin, amax;
};

struct shared; /* the run */

enum { BATCH = 16 }; /* rows whose group updates are applied together */

struct pending {
    uint64_t key[EV_MAXK]; /* group key */
    uint64_t h;            /* its hash */
    uint64_t fp;           /* dedup cluster, 0 without dedup */
    struct evmeas add;     /* the row's measures */
    uint32_t date;         /* event date */
};

struct worker {
    struct shared *run;
    const struct conf *conf;
    struct evgroups groups;
    struct evgroups cov;
    struct fpset fps;
    struct fcount *fc;          /* per file */
    int rc;                     /* first fatal error (BILAT_ENOMEM) */
    /* the block being scanned */
    size_t file;
    int format;
    uint64_t seq;
    uint64_t line;              /* 1-based line within the block */
    uint64_t skip_line;         /* the file's header line within the block (0: none) */
    /* caches for ICEWS names (name or sector list -> packed code), at most NAMES_MAX */
    struct namecache {
        uint64_t h;
        char *s;
        size_t len;
        uint64_t v;
    } *names;
    size_t names_n;
    struct bilat_hindex names_x; /* the cache's index */
    struct bilat_arena arena;   /* cached strings */
    struct memberlist members;  /* with opts.members */
    struct pending *batch;      /* group updates not applied yet (BATCH at most) */
    size_t nb;
    uint64_t cov_key[2];        /* the last coverage key and its entry + 1 (0: none) */
    size_t cov_last;
    size_t budget;              /* bytes of groups and clusters before a spill (0: no limit) */
    struct evids ids;           /* GLOBALEVENTIDs counted (conf.track_ids), in runs */
    struct evids skipped;       /* ... and left out by the id filter */
    struct evspill_scratch sc;  /* buffers of spilling */
    struct bilat_err err;       /* detail of rc when it is not BILAT_ENOMEM */
};


/* ------------------------------------------------------------------------------------------
 * The shared run: queue of blocks, kept errors, block line counts
 * ---------------------------------------------------------------------------------------- */

struct block {
    char *data;
    const char *view;           /* lines inside a mapped file (instead of data), or NULL */
    size_t len, cap;
    size_t file;
    int format;
    uint64_t seq;
    uint64_t skip_line;         /* line of the file's header in the block (1-based; 0: none) */
    bool overlong;              /* a line longer than MAX_LINE: report it, nothing to scan */
    bool hash;                  /* hash data[fresh_off, fresh_off + fresh_len) into the file's
                                   content digest, in the order of hseq */
    uint64_t hseq;              /* 0, 1, ...: the order of the hashed blocks */
    size_t fresh_off, fresh_len; /* the bytes this block brought from the file (the carried part
                                   of a line was hashed with the block before) */
};

struct blockinfo {
    size_t file;
    uint64_t lines;
};

struct mapping {
    const char *p;
    size_t len;
};

struct shared {
    struct mapping *maps;       /* files mapped by the mmap path, unmapped at the end */
    size_t nmaps, cap_maps;
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_free;
    struct block **queue;       /* ring of filled blocks */
    size_t qcap, qhead, qlen;
    struct block **freel;       /* free blocks */
    size_t nfree;
    bool closing;               /* no more blocks */
    struct evfile *files;
    struct blockinfo *blocks;   /* indexed by seq */
    size_t nblocks, cap_blocks;
    evscan_block_fn *scan;
    int rc;                     /* first fatal error */
    /* spilling (ingest under a memory budget) */
    const size_t *order;        /* sort order of spilled groups, NULL: never spill */
    const char *spill_dir;      /* where the temporary file goes */
    size_t budget;              /* the whole budget (read buffers of the merge) */
    struct evspill *spill;      /* made at the first spill */
    struct worker *helper;      /* the reading thread's own tables, when it scans blocks the
                                   workers have not taken (NULL: it never does) */
    uint64_t hash_next;         /* hseq of the next block to hash into its file's digest */
    uint64_t hash_seq;          /* hseq for the next block the reader pushes with `hash` */
    pthread_cond_t cv_hash;     /* hash_next moved */
    struct evhasher **hashers;  /* plain files hashed on threads of their own (evhash.c) */
    size_t nhashers, cap_hashers;
    size_t hjoined;             /* the first hjoined of them are joined */
    int hash_threads;           /* at most this many at once; 0: the reader hashes */
};

/* ------------------------------------------------------------------------------------------
 * The formats' columns
 * ---------------------------------------------------------------------------------------- */

/*
 * The columns of each format (0-based field numbers) by what they hold; -1 when the format has
 * none. GDELT 1.0 and 2.0 share their first 35 columns (GLOBALEVENTID to AvgTone); 2.0 adds an
 * ADM2 code to each of the three geographies, so ActionGeo_CountryCode moves from 51 to 53.
 * GDELT's last two fields (DATEADDED and, when there, SOURCEURL) are found from the line's end.
 * ICEWS names its actors' countries and sectors instead of coding them (evrow.c maps them),
 * and its root code is the first two digits of its CAMEO code.
 */
struct ev_layout {
    bool named;                /* actors' countries and types are names (ICEWS), not codes */
    uint32_t nf, nf_alt;       /* fields of a row (GDELT 1.0: 57, or 58 with SOURCEURL) */
    const char *nf_text;       /* the same, for messages */
    int id;                    /* GLOBALEVENTID / Event ID */
    int date;                  /* SQLDATE (YYYYMMDD) / Event Date (YYYY-MM-DD) */
    int a1, a1_country, a1_type; /* actor 1: code (ICEWS: name), country, type (sectors) */
    int a2, a2_country, a2_type; /* actor 2 */
    int is_root, event, root, quad;
    int gold;                  /* GoldsteinScale / Intensity */
    int mentions, sources, articles, tone;
    int action;                /* where it happened: ActionGeo_CountryCode (FIPS) / Country */
    int story;                 /* ICEWS Story ID (GDELT: SOURCEURL, the last field) */
};

/* By enum bilat_ev_format (entry 0: no format). */
extern const struct ev_layout ev_layouts[4];

/* Field starts a row needs to reach column `col`'s end (a field ends where the next starts). */
static inline uint32_t ev_starts_for(int col)
{
    return (uint32_t)col + 2;
}

/* ------------------------------------------------------------------------------------------
 * Between the files
 * ---------------------------------------------------------------------------------------- */

/* evconf.c: compile the options of a scan (keys `by`; coverage tables for an ingest). */
int ev_conf_new(const struct bilat_scan_opts *o, const char *by, bool coverage,
                struct conf **out, struct bilat_err *err);

/* evrow.c: process one line of a block (an evscan_fn); apply the batched group updates. */
int ev_on_line(void *ctx, struct evscan_line *l);
int ev_flush_batch(struct worker *w);
/* evhash.c: hash plain file fi (a descriptor of it, as stat'ed when the reader opened it) on a
 * thread of its own; false when the reader is to hash it itself (hash_threads 0, or no thread
 * or memory for one). */
bool ev_hash_start(struct shared *r, size_t fi, int fd, const struct stat *st);
/* evhash.c: wait for the hashing threads; give their digests to the files that were read whole,
 * unchanged and without failure, mark changed those that changed under them. BILAT_ENOMEM. */
int ev_hash_finish(struct shared *r);
/* evrow.c: count a bad row of the worker's block and keep its reason. */
void ev_reject(struct worker *w, const char *fmt, ...) BILAT_PRINTF(2, 3);
/* evrow.c: write the worker's groups as a sorted run of the spill file and empty its tables. */
int ev_worker_spill(struct worker *w);
/* evrow.c: keep a bad row's reason for the file's report (the first max_errors by line). */
void ev_keep_error(struct shared *r, const struct conf *c, size_t file, uint64_t seq,
                   uint64_t line, const char *msg);

/* evread.c: read file `fi` of a run into blocks for the workers; `carry` holds the partial
 * line between reads (reused across files), *bytes_done counts the bytes read for progress. */
int ev_read_file(struct shared *r, const struct conf *c, const struct bilat_scan_opts *o,
                 size_t fi, struct bilat_buf *carry, uint64_t *bytes_done);
/* evread.c: a worker is done with a block. */
void ev_give_back(struct shared *r, struct block *b);
/* evread.c: the file changed while it was read. */
void ev_mark_changed(struct shared *r, size_t file);

/* events.c: a worker scans one block (the reading thread too, when it helps). */
void ev_worker_scan(struct worker *w, struct block *b);
/* events.c: a new result for files[0..n) with compiled options `c` (takes c). */
int ev_result_new(struct conf *c, const char *const *files, size_t n, bilat_scan **out);
/* events.c: add the groups of b (and their clusters bfp) into a (afp); dedup counts are
 * recounted from the union. `file_map` (may be NULL) renumbers the first key word (a file
 * index, in coverage tables). */
int ev_merge_groups(struct evgroups *a, struct fpset *afp, const struct evgroups *b,
                    const struct fpset *bfp, const uint64_t *file_map);

#endif
