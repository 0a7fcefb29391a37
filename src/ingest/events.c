/*
 * events.c: `bilat scan` as a library: GDELT 1.0/2.0 and ICEWS files aggregated on the fly
 * (bilat.h, "Event files"; docs/EVENTS.md).
 *
 * Pipeline: the calling thread reads each file (evsrc: plain, gzip, zip) with read() into
 * blocks of whole lines; the partial last line of a read is carried into the next block. Worker
 * threads take blocks from a bounded queue, scan them (evscan: AVX2 or scalar), turn each line
 * into a row and add it to their own group table. At the end the tables are merged. Memory is
 * bounded by the blocks in flight (threads + 2 of them) and the number of groups, never by the
 * file size; an ingest also bounds the groups (bilat_scan_opts.memory): past it a worker spills
 * its table to a sorted run on disk and starts again (evspill.c), and the runs are merged when
 * the cells are written.
 *
 * When the calling thread has work of its own (SHA-256 for an ingest, inflating), it is left a
 * core: one worker fewer. It then also scans queued blocks itself whenever every block is in
 * flight, so that a file cheap to hash but expensive to aggregate still keeps every core busy.
 *
 * Rows are converted lazily: every row is checked for its number of fields, NUL bytes and its
 * event date; a row the --where conditions exclude is not converted further; a kept row has
 * its codes and numbers checked and converted. Bad rows are counted per file; the first ones
 * (by line) are kept with their reason. Line numbers are known only once every block before is
 * counted, so an error is stored with its block and in-block line and turned into a file line
 * at the end.
 *
 * Determinism: counts are integers and sums are exact fixed point, dedup counts come from a set
 * of cluster fingerprints merged by union, groups are sorted on output, kept errors are the
 * first ones by (block, line): the result is the same for any number of threads, any read
 * size and any split of the files.
 *
 * Files that change under the reader: a mapped file may be truncated while its blocks are
 * scanned, and a read of a page past its new end raises SIGBUS; every read of a mapping runs
 * under mapguard_run() (core/mapguard.h), so the file is marked changed instead, and so is a
 * file whose size or time moved by the end of its read (both paths). A changed file's result is
 * not the file's: it gets a failure and no digest.
 *
 * Event identity (an ingest): each GDELT row's GLOBALEVENTID is checked against the ids other
 * files of the store hold (rows left out, counted as duplicates) and kept in runs for the
 * store; the drill-down reads a file keeping the ids it counted. The content digest of a
 * compressed file is hashed by the workers in block order (worker_hash()).
 */
#include "ingest/events.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/mapguard.h"
#include "core/parse.h"
#include "ingest/evcountry.h"
#include "ingest/evscan.h"
#include "ingest/evsha.h"
#include "ingest/evsrc.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
 * Names
 * ---------------------------------------------------------------------------------------- */

const char *bilat_ev_dedup_name(enum bilat_ev_dedup d)
{
    return d == BILAT_DEDUP_DAILY ? "daily" : d == BILAT_DEDUP_URL ? "url" : "none";
}

int bilat_ev_dedup_parse(const char *s, enum bilat_ev_dedup *out)
{
    if (strcmp(s, "none") == 0)
        *out = BILAT_DEDUP_NONE;
    else if (strcmp(s, "daily") == 0)
        *out = BILAT_DEDUP_DAILY;
    else if (strcmp(s, "url") == 0)
        *out = BILAT_DEDUP_URL;
    else
        return BILAT_EINVAL;
    return 0;
}

const char *bilat_ev_format_name(enum bilat_ev_format f)
{
    static const char *const n[] = {"auto", "gdelt1", "gdelt2", "icews"};
    return (unsigned)f < 4 ? n[f] : "?";
}

int bilat_ev_format_parse(const char *s, enum bilat_ev_format *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, bilat_ev_format_name((enum bilat_ev_format)i)) == 0) {
            *out = (enum bilat_ev_format)i;
            return 0;
        }
    return BILAT_EINVAL;
}

/* ------------------------------------------------------------------------------------------
 * Small parsers (locale-free, bounded; dates are core/parse.h's)
 * ---------------------------------------------------------------------------------------- */

static inline bool parse_u63(const char *s, size_t len, int64_t *out)
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

/* A code field: letters, digits, at most 8 bytes. */
static inline bool code_ok(const char *s, size_t len)
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

/* ------------------------------------------------------------------------------------------
 * Conditions
 * ---------------------------------------------------------------------------------------- */

static bool is_code(const char *s)
{
    return *s && code_ok(s, strlen(s));
}

static int parse_cond(const char *w, struct cond *c, struct bilat_err *err)
{
    const char *eq = strchr(w, '=');
    if (!eq)
        return bilat_fail(err, BILAT_EINVAL, "condition '%s' is not KEY=VALUE", w);
    size_t kl = (size_t)(eq - w);
    const char *v = eq + 1;
#define KEY(s) (kl == strlen(s) && memcmp(w, s, kl) == 0)
    if (KEY("dyad")) {
        const char *colon = strchr(v, ':');
        if (!colon || colon == v || !colon[1] || (size_t)(colon - v) > 8 ||
            !code_ok(v, (size_t)(colon - v)) || !is_code(colon + 1))
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': expected dyad=A:B with two "
                                                 "country codes (dyad=KHM:CHN)",
                              w);
        c->op = C_DYAD;
        c->a = ev_code_pack(v, (size_t)(colon - v));
        c->b = ev_code_pack(colon + 1, strlen(colon + 1));
        return 0;
    }
    if (KEY("actor1_country") || KEY("actor2_country") || KEY("root_code") ||
        KEY("action_country") || KEY("event_code")) {
        if (!is_code(v))
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': expected a code", w);
        c->op = KEY("actor1_country")   ? C_A1C
                : KEY("actor2_country") ? C_A2C
                : KEY("root_code")      ? C_ROOT
                : KEY("event_code")     ? C_EVCODE
                                        : C_ACTION;
        c->a = ev_code_pack(v, strlen(v));
        return 0;
    }
    if (KEY("quad")) {
        if (strlen(v) != 1 || v[0] < '1' || v[0] > '4')
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': quad is 1, 2, 3 or 4", w);
        c->op = C_QUAD;
        c->a = (uint64_t)(v[0] - '0');
        return 0;
    }
    if (KEY("from") || KEY("to")) {
        uint32_t d = bilat_ymd_compact(v, strlen(v));
        if (!d)
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': expected a date YYYYMMDD", w);
        c->op = KEY("from") ? C_FROM : C_TO;
        c->a = d;
        return 0;
    }
#undef KEY
    return bilat_fail(err, BILAT_EINVAL,
                      "unknown condition '%.*s' (conditions: dyad, actor1_country, "
                      "actor2_country, root_code, event_code, quad, action_country, from, to)",
                      (int)kl, w);
}

static int conf_new(const struct bilat_scan_opts *o, const char *by, bool coverage,
                    struct conf **out, struct bilat_err *err)
{
    struct conf *c = bilat_calloc(1, sizeof(*c));
    if (!c)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = ev_keys_parse(by, c->keys, &c->nk, err);
    if (rc == 0 && o->nwhere > sizeof(c->conds) / sizeof(c->conds[0]))
        rc = bilat_fail(err, BILAT_EINVAL, "too many conditions");
    for (size_t i = 0; rc == 0 && i < o->nwhere; i++)
        rc = parse_cond(o->where[i], &c->conds[c->nconds++], err);
    if (rc < 0) {
        bilat_free(c);
        return rc;
    }
    c->format = o->format;
    c->dedup = o->dedup;
    c->coverage = coverage;
    c->members = o->members != 0;
    if (c->members && c->dedup == BILAT_DEDUP_NONE) {
        bilat_free(c);
        return bilat_fail(err, BILAT_EINVAL, "cluster members need a dedup rule (daily or url)");
    }
    c->max_errors = o->max_errors > 0 ? o->max_errors : DEFAULT_MAX_ERRORS;
    for (size_t i = 0; i < c->nk; i++) {
        static const unsigned bit[K__N] = {[K_A1C] = 1, [K_A1T] = 2, [K_A2C] = 4, [K_A2T] = 8,
                                           [K_EVCODE] = 16, [K_ROOT] = 32};
        c->codes_used |= bit[c->keys[i]];
    }
    for (size_t i = 0; i < c->nconds; i++) {
        enum condop op = c->conds[i].op;
        c->codes_used |= op == C_DYAD ? 5 : op == C_A1C ? 1 : op == C_A2C ? 4
                       : op == C_EVCODE ? 16 : op == C_ROOT ? 32 : 0;
    }
    if (c->dedup != BILAT_DEDUP_NONE)
        c->codes_used |= 16;
    /* Fields the rows need (a field's end is the next field's start): GDELT up to AvgTone
     * (index 34), and geography when asked for. DATEADDED and SOURCEURL are found from the
     * line's end (tail_field()). */
    bool action = false;
    for (size_t i = 0; i < c->nk; i++)
        action |= c->keys[i] == K_ACTION;
    for (size_t i = 0; i < c->nconds; i++)
        action |= c->conds[i].op == C_ACTION;
    uint32_t m2 = 36, m1 = 36;
    if (action)
        m2 = 55, m1 = 53;
    c->maxf[BILAT_EV_GDELT1] = m1;
    c->maxf[BILAT_EV_GDELT2] = m2;
    c->maxf[BILAT_EV_ICEWS] = 20;
    c->maxf[0] = EVSCAN_MAXF;
    /* With conditions on early fields only (dates, actor countries: a dyad query), the scanner
     * records 19 field starts and counts the other tabs; a row that passes gets the rest. */
    /* (a field's end is the next field's start: field 17 needs 19 starts) */
    uint32_t early = 3;
    for (size_t i = 0; i < c->nconds; i++) {
        enum condop op = c->conds[i].op;
        uint32_t need = op == C_FROM || op == C_TO                     ? 3
                        : op == C_DYAD || op == C_A1C || op == C_A2C ? 19
                                                                     : 255;
        if (need > early)
            early = need;
    }
    for (int f = 0; f < 4; f++)
        c->maxf_scan[f] = c->maxf[f];
    if (c->nconds && early <= 19) {
        c->maxf_scan[BILAT_EV_GDELT1] = 19;
        c->maxf_scan[BILAT_EV_GDELT2] = 19;
    }
    for (size_t i = 0; i < evcountry_count; i++) {
        const char *f = evcountry_table[i].fips;
        if (strlen(f) == 2)
            c->fips_iso3[(unsigned char)f[0] << 8 | (unsigned char)f[1]] =
                ev_code_pack(evcountry_table[i].iso3, strlen(evcountry_table[i].iso3));
    }
    *out = c;
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Fingerprints (dedup clusters)
 * ---------------------------------------------------------------------------------------- */

/* Record cluster `fp` for group `gi` (measures m): 1 when new to the group, 0 when seen,
 * BILAT_ENOMEM. */
static int dd_add(struct evmeas *m, struct fpset *s, uint32_t gi, uint64_t fp)
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

static void reject(struct worker *w, const char *fmt, ...) BILAT_PRINTF(2, 3);

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
};

static void keep_error(struct shared *r, const struct conf *c, size_t file, uint64_t seq,
                       uint64_t line, const char *msg)
{
    pthread_mutex_lock(&r->mu);
    struct evfile *f = &r->files[file];
    size_t max = (size_t)c->max_errors;
    if (!f->errs)
        f->errs = bilat_calloc(max, sizeof(*f->errs));
    if (!f->errs)
        r->rc = BILAT_ENOMEM;
    if (f->errs) {
        /* Keep the `max` first by (seq, line): insert in order, drop the last. */
        size_t pos = f->nerrs;
        while (pos > 0 && (f->errs[pos - 1].seq > seq ||
                           (f->errs[pos - 1].seq == seq && f->errs[pos - 1].line > line)))
            pos--;
        if (pos < max) {
            size_t n = f->nerrs < max ? f->nerrs : max - 1;
            memmove(f->errs + pos + 1, f->errs + pos, (n - pos) * sizeof(*f->errs));
            f->errs[pos].seq = seq;
            f->errs[pos].line = line;
            snprintf(f->errs[pos].msg, sizeof(f->errs[pos].msg), "%s", msg);
            if (f->nerrs < max)
                f->nerrs++;
        }
    }
    pthread_mutex_unlock(&r->mu);
}

static void reject(struct worker *w, const char *fmt, ...)
{
    w->fc[w->file].rejected++;
    char msg[ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    keep_error(w->run, w->conf, w->file, w->seq, w->line, msg);
}

/* Printable excerpt of a field for a message (non-printable bytes as '?'). */
static const char *excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = len < cap - 4 ? len : cap - 4;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[i] = ch >= 32 && ch < 127 ? (char)ch : '?';
    }
    if (n < len)
        memcpy(buf + n, "...", 3), n += 3;
    buf[n] = '\0';
    return buf;
}

/* The fields a row provides, after format-specific extraction. */
struct row {
    uint32_t date;                  /* event date YYYYMMDD */
    const char *a1c, *a2c, *a1t, *a2t, *ev, *root, *action;
    size_t a1cl, a2cl, a1tl, a2tl, evl, rootl, actionl;
    uint64_t a1c_p, a2c_p, action_p; /* packed (after mapping) */
    bool a1c_done, a2c_done, action_done;
};

#define FIELD(l, i, ptr, len)                                                                      \
    do {                                                                                           \
        (ptr) = (l)->p + (l)->start[i];                                                            \
        (len) = evscan_field_end((l), (i)) - (l)->start[i];                                        \
    } while (0)

static uint64_t cache_lookup(struct worker *w, const char *s, size_t len, int kind,
                             uint64_t (*compute)(const char *, size_t));

/* Field `back` places from the end (0: the last field), found from the line's end: GDELT's
 * DATEADDED and SOURCEURL are its last two fields, so the scanner need not record the starts
 * of the 25 fields before them. */
static void tail_field(const struct evscan_line *l, unsigned back, const char **p, size_t *n)
{
    size_t end = l->len;
    for (;;) {
        const char *t = memrchr(l->p, '\t', end);
        size_t start = t ? (size_t)(t - l->p) + 1 : 0;
        if (back-- == 0 || !t) {
            *p = l->p + start;
            *n = end - start;
            return;
        }
        end = start - 1;
    }
}

static uint64_t icews_country(const char *s, size_t len)
{
    const char *iso = evcountry_from_name(s, len);
    return iso ? ev_code_pack(iso, strlen(iso)) : 0;
}

/* ICEWS sector lists -> a CAMEO role code; the first rule (in priority order) that any sector
 * of the list matches wins, so that a party in government counts as a party. */
static uint64_t icews_sector(const char *s, size_t len)
{
    static const struct {
        const char *match; /* exact sector name, or "*word" for "contains word" */
        const char *code;
    } rules[] = {
        {"*Party", "PTY"},
        {"Parties", "PTY"},
        {"Military", "MIL"},
        {"Marines", "MIL"},
        {"Army", "MIL"},
        {"Navy", "MIL"},
        {"Air Force", "MIL"},
        {"Defense / Security Ministry", "MIL"},
        {"Police", "COP"},
        {"*Legislative", "LEG"},
        {"Lower House", "LEG"},
        {"Upper House", "LEG"},
        {"Unicameral", "LEG"},
        {"Judicial", "JUD"},
        {"Legal", "JUD"},
        {"Executive", "GOV"},
        {"Executive Office", "GOV"},
        {"Cabinet", "GOV"},
        {"*Ministry", "GOV"},
        {"Government", "GOV"},
        {"Local", "GOV"},
        {"Provincial", "GOV"},
        {"*IGO", "IGO"},
        {"International Government Organization", "IGO"},
        {"*NGO", "NGO"},
        {"Nongovernmental Organizations / Activists", "NGO"},
        {"Media", "MED"},
        {"News", "MED"},
        {"State Media", "MED"},
        {"Education", "EDU"},
        {"Business", "BUS"},
        {"Insurgents", "REB"},
        {"Rebel", "REB"},
        {"Dissident", "OPP"},
        {"Protestors / Popular Opposition / Mobs", "OPP"},
        {"Criminals / Gangs", "CRM"},
        {"Elite", "ELI"},
        {"Labor", "LAB"},
        {"Agricultural", "AGR"},
        {"Medical / Health", "HLH"},
        {"General Population / Civilian / Social", "CVL"},
    };
    for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
        const char *m = rules[r].match;
        bool contains = m[0] == '*';
        if (contains)
            m++;
        size_t ml = strlen(m);
        const char *p = s, *end = s + len;
        while (p < end) {
            const char *c = memchr(p, ',', (size_t)(end - p));
            size_t sl = c ? (size_t)(c - p) : (size_t)(end - p);
            if (contains ? memmem(p, sl, m, ml) != NULL : (sl == ml && memcmp(p, m, ml) == 0))
                return ev_code_pack(rules[r].code, 3);
            p += sl + 1;
        }
    }
    return 0;
}

/* A name looked for in a worker's cache. */
struct namekey {
    const struct namecache *e;
    const char *s;
    size_t len;
    uint64_t h;
};

static bool name_same(const void *ctx, size_t i)
{
    const struct namekey *k = ctx;
    return k->e[i].h == k->h && k->e[i].len == k->len && memcmp(k->e[i].s, k->s, k->len) == 0;
}

static uint64_t name_hash(const void *ctx, size_t i)
{
    return ((const struct namecache *)ctx)[i].h;
}

enum { NAMES_MAX = 512 }; /* names cached per worker; past that, computed every time */

static uint64_t cache_lookup(struct worker *w, const char *s, size_t len, int kind,
                             uint64_t (*compute)(const char *, size_t))
{
    uint64_t h = bilat_hash_bytes((uint64_t)kind * 0x51ed27, s, len);
    if (!w->names) {
        w->names = bilat_alloc_array(NAMES_MAX, sizeof(*w->names));
        if (!w->names || bilat_hindex_init(&w->names_x, 2 * NAMES_MAX) < 0) {
            bilat_free(w->names);
            w->names = NULL;
            return compute(s, len);
        }
    }
    const struct namekey k = {w->names, s, len, h};
    size_t slot, i = bilat_hindex_find(&w->names_x, h, name_same, &k, &slot);
    if (i != BILAT_HINDEX_NONE)
        return w->names[i].v;
    uint64_t v = compute(s, len);
    if (w->names_n == NAMES_MAX)
        return v; /* full: computed without caching */
    char *copy = bilat_arena_strndup(&w->arena, s, len);
    if (copy) {
        w->names[w->names_n] = (struct namecache){h, copy, len, v};
        if (bilat_hindex_put(&w->names_x, slot, h, w->names_n, name_hash, w->names) == 0)
            w->names_n++;
    }
    return v;
}

/* Quad class of a CAMEO root for ICEWS (the textbook grouping; GDELT gives its own). */
static unsigned textbook_quad(unsigned root)
{
    return root == 0 ? 0 : root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : root <= 20 ? 4 : 0;
}

static uint64_t get_a1c(struct worker *w, struct row *r)
{
    if (!r->a1c_done) {
        r->a1c_p = w->format == BILAT_EV_ICEWS ? cache_lookup(w, r->a1c, r->a1cl, 1, icews_country)
                                               : ev_code_pack(r->a1c, r->a1cl);
        r->a1c_done = true;
    }
    return r->a1c_p;
}

static uint64_t get_a2c(struct worker *w, struct row *r)
{
    if (!r->a2c_done) {
        r->a2c_p = w->format == BILAT_EV_ICEWS ? cache_lookup(w, r->a2c, r->a2cl, 1, icews_country)
                                               : ev_code_pack(r->a2c, r->a2cl);
        r->a2c_done = true;
    }
    return r->a2c_p;
}

static uint64_t get_action(struct worker *w, struct row *r)
{
    if (!r->action_done) {
        if (w->format == BILAT_EV_ICEWS)
            r->action_p = cache_lookup(w, r->action, r->actionl, 1, icews_country);
        else if (r->actionl == 2)
            r->action_p = w->conf->fips_iso3[(unsigned char)r->action[0] << 8 |
                                             (unsigned char)r->action[1]];
        else
            r->action_p = 0;
        r->action_done = true;
    }
    return r->action_p;
}

static bool conds_hold(struct worker *w, struct row *r)
{
    const struct conf *c = w->conf;
    for (size_t i = 0; i < c->nconds; i++) {
        const struct cond *k = &c->conds[i];
        switch (k->op) {
        case C_DYAD: {
            uint64_t x = get_a1c(w, r), y = get_a2c(w, r);
            if (!((x == k->a && y == k->b) || (x == k->b && y == k->a)))
                return false;
            break;
        }
        case C_A1C:
            if (get_a1c(w, r) != k->a)
                return false;
            break;
        case C_A2C:
            if (get_a2c(w, r) != k->a)
                return false;
            break;
        case C_ROOT:
            if (ev_code_pack(r->root, r->rootl) != k->a)
                return false;
            break;
        case C_EVCODE:
            if (ev_code_pack(r->ev, r->evl) != k->a)
                return false;
            break;
        case C_ACTION:
            if (get_action(w, r) != k->a)
                return false;
            break;
        case C_QUAD:
            break; /* checked once the quad is known */
        case C_FROM:
            if (r->date < k->a)
                return false;
            break;
        case C_TO:
            if (r->date > k->a)
                return false;
            break;
        }
    }
    return true;
}

static bool quad_holds(const struct conf *c, unsigned quad)
{
    for (size_t i = 0; i < c->nconds; i++)
        if (c->conds[i].op == C_QUAD && c->conds[i].a != quad)
            return false;
    return true;
}

/* Locate a GDELT row's event codes and place, as far as the recorded field starts allow
 * (`have` starts): the others stay empty until the row is known to be kept. */
static void gdelt_codes(const struct evscan_line *l, int fmt, uint32_t have, struct row *r)
{
    r->ev = r->root = r->action = l->p;
    r->evl = r->rootl = r->actionl = 0;
    if (have >= 30) {
        FIELD(l, 26, r->ev, r->evl);
        FIELD(l, 28, r->root, r->rootl);
    }
    uint32_t ai = fmt == BILAT_EV_GDELT2 ? 53 : 51;
    if (have >= ai + 2 || (have > ai && l->nf == ai + 1))
        FIELD(l, ai, r->action, r->actionl);
}

static const char *gdelt_names[] = {
    [5] = "Actor1Code",      [7] = "Actor1CountryCode", [12] = "Actor1Type1Code",
    [15] = "Actor2Code",     [17] = "Actor2CountryCode", [22] = "Actor2Type1Code",
    [25] = "IsRootEvent",    [26] = "EventCode",        [28] = "EventRootCode",
    [29] = "QuadClass",      [30] = "GoldsteinScale",   [31] = "NumMentions",
    [32] = "NumSources",     [33] = "NumArticles",      [34] = "AvgTone",
};

/*
 * Whether the next new group or cluster could grow the worker's tables past its share of the
 * memory budget. Arrays grow by doubling, so this is decided only at the sizes where one is
 * full; the bytes counted are those after the growth (the index being rehashed counts twice,
 * old and new) plus what spilling itself needs (sort records, fingerprint lists).
 */
static bool over_budget(const struct worker *w)
{
    const struct evgroups *g = &w->groups;
    const struct fpset *f = &w->fps;
    if (!w->budget || g->n == 0)
        return false;
    bool dense = g->n == g->cap, index = bilat_hindex_full(&g->x);
    bool fdense = f->x.slot && f->n == f->cap, fps = f->x.slot && bilat_hindex_full(&f->x);
    if (!dense && !index && !fdense && !fps)
        return false;
    size_t cap = dense ? g->cap * 2 : g->cap;
    size_t fcap = fdense ? f->cap * 2 : f->cap;
    size_t fslots = f->x.slot ? (f->x.mask + 1) * (fps ? 2 : 1) : 0;
    size_t bytes = cap * g->stride + bilat_hindex_bytes(&g->x) * (index ? 3 : 1) +
                   fcap * sizeof(struct fpent) + fslots * sizeof(uint64_t) * (fps ? 3 : 2) / 2 +
                   evspill_scratch_bytes(g->nk, cap, fcap);
    return bytes > w->budget;
}

/* Write the worker's groups as a sorted run of the spill file and empty its tables. */
static int worker_spill(struct worker *w)
{
    struct shared *r = w->run;
    int rc = 0;
    pthread_mutex_lock(&r->mu);
    if (!r->spill)
        rc = evspill_new(r->spill_dir, w->conf->nk, r->order,
                         w->conf->dedup != BILAT_DEDUP_NONE, r->budget, &r->spill, &w->err);
    pthread_mutex_unlock(&r->mu);
    if (rc == 0)
        rc = evspill_write(r->spill, &w->groups, w->fps.x.slot ? &w->fps : NULL, &w->sc, &w->err);
    if (rc == 0) {
        evgroups_reset(&w->groups);
        fpset_reset(&w->fps);
    }
    return rc;
}

/* Apply the batched group updates of a worker (see on_line()); spill first when a new group
 * could pass the budget. */
static int flush_batch(struct worker *w)
{
    struct evgroups *g = &w->groups;
    const struct conf *c = w->conf;
    for (size_t k = 0; k < w->nb; k++) {
        uint64_t e = g->x.slot[w->batch[k].h & g->x.mask];
        if (e && (e & BILAT_HINDEX_TAG) == (w->batch[k].h & BILAT_HINDEX_TAG))
            __builtin_prefetch(g->e + ((size_t)(uint32_t)e - 1) * g->stride);
    }
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < w->nb; k++) {
        const struct pending *pd = &w->batch[k];
        size_t gi;
        if (w->budget && over_budget(w) && (rc = worker_spill(w)) < 0)
            break;
        if ((rc = evgroups_get(g, pd->key, pd->h, &gi)) < 0)
            break;
        struct evmeas *m = evg_meas(g, gi);
        m->events++;
        m->root_events += pd->add.root_events;
        m->mentions += pd->add.mentions;
        m->sources += pd->add.sources;
        m->articles += pd->add.articles;
        m->lag_sum += pd->add.lag_sum;
        m->gold += pd->add.gold;
        m->tone += pd->add.tone;
        m->flags |= pd->add.flags;
        if (!m->dmin || pd->date < m->dmin)
            m->dmin = pd->date;
        if (pd->date > m->dmax)
            m->dmax = pd->date;
        if (c->dedup != BILAT_DEDUP_NONE) {
            int added = dd_add(m, &w->fps, (uint32_t)gi, pd->fp);
            if (added < 0)
                rc = added;
            else
                m->dedup += added;
        }
    }
    w->nb = 0;
    return rc;
}

/* Keep the row as a member of cluster fp, in group `key`. */
static int add_member(struct worker *w, const struct evscan_line *l, uint64_t fp, uint32_t date,
                      const uint64_t *key, const char *a1, size_t a1l, const char *a2, size_t a2l,
                      const char *ev, size_t evl)
{
    struct memberlist *ml = &w->members;
    const size_t nk = w->conf->nk;
    if (ml->n == ml->cap) {
        size_t cap = ml->cap ? ml->cap * 2 : 256;
        struct member *v = bilat_realloc_array(ml->v, cap, sizeof(*v));
        if (!v)
            return BILAT_ENOMEM;
        ml->v = v;
        ml->cap = cap;
    }
    if (ml->nkeys + nk > ml->capkeys) {
        size_t cap = ml->capkeys ? ml->capkeys * 2 : 256 * (nk ? nk : 1);
        uint64_t *k = bilat_realloc_array(ml->keys, cap, sizeof(*k));
        if (!k)
            return BILAT_ENOMEM;
        ml->keys = k;
        ml->capkeys = cap;
    }
    const char *id, *url = "", *gold;
    size_t idl, urll = 0, goldl;
    FIELD(l, 0, id, idl);
    if (w->format == BILAT_EV_ICEWS) {
        FIELD(l, 11, url, urll);
        FIELD(l, 7, gold, goldl);
    } else {
        if (w->format == BILAT_EV_GDELT2 || l->nf == 58)
            tail_field(l, 0, &url, &urll);
        FIELD(l, 30, gold, goldl);
    }
    size_t off = ml->text.len;
    char day[16];
    snprintf(day, sizeof(day), "%04u-%02u-%02u", date / 10000 % 10000, date / 100 % 100,
             date % 100);
    const char *f[7] = {id, day, a1, a2, ev, url, gold};
    const size_t fl[7] = {idl, 10, a1l, a2l, evl, urll, goldl};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 7; i++) {
        rc = bilat_buf_add(&ml->text, f[i], fl[i]);
        if (rc == 0 && i < 6)
            rc = bilat_buf_addch(&ml->text, '\t');
    }
    if (rc < 0)
        return rc;
    struct member *m = &ml->v[ml->n++];
    m->fp = fp ? fp : 1;
    m->seq = w->seq;
    m->line = w->line;
    m->file = (uint32_t)w->file;
    m->off = off;
    m->len = (uint32_t)(ml->text.len - off);
    m->koff = ml->nkeys;
    if (nk)
        memcpy(ml->keys + ml->nkeys, key, nk * sizeof(*key));
    ml->nkeys += nk;
    return 0;
}

/* Process one GDELT or ICEWS line. */
static int on_line(void *ctx, struct evscan_line *l)
{
    struct worker *w = ctx;
    uint64_t line = ++w->line;
    (void)line;
    if (w->line == w->skip_line)
        return 0;
    if (l->len == 0)
        return 0; /* blank line */
    struct fcount *fc = &w->fc[w->file];
    fc->rows++;
    const int fmt = w->format;
    const bool icews = fmt == BILAT_EV_ICEWS;
    char ex[48];
    if (icews ? l->nf != 20 : fmt == BILAT_EV_GDELT2 ? l->nf != 61 : (l->nf != 57 && l->nf != 58)) {
        reject(w, "expected %s fields, got %u", icews ? "20" : fmt == BILAT_EV_GDELT2 ? "61" : "57 or 58",
               l->nf);
        return 0;
    }
    if (l->nul) {
        reject(w, "NUL byte in the line");
        return 0;
    }
    if (l->len > MAX_LINE) {
        /* (the read() path stops such a line before it is scanned; mmap hands it over) */
        reject(w, "line longer than %d MiB", MAX_LINE >> 20);
        return 0;
    }
    struct row r;
    r.a1c_done = r.a2c_done = r.action_done = false;
    r.a1c_p = r.a2c_p = r.action_p = 0;
    const char *p;
    size_t n;
    if (icews) {
        FIELD(l, 1, p, n);
        r.date = bilat_ymd_iso(p, n);
        if (!r.date) {
            reject(w, "bad Event Date '%s' (expected YYYY-MM-DD)", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        FIELD(l, 4, r.a1c, r.a1cl);
        FIELD(l, 10, r.a2c, r.a2cl);
        FIELD(l, 6, r.ev, r.evl);
        r.root = r.ev;
        r.rootl = r.evl >= 2 ? 2 : r.evl;
        FIELD(l, 17, r.action, r.actionl);
    } else {
        FIELD(l, 1, p, n);
        r.date = bilat_ymd_compact(p, n);
        if (!r.date) {
            reject(w, "bad SQLDATE '%s' (expected YYYYMMDD)", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        FIELD(l, 7, r.a1c, r.a1cl);
        FIELD(l, 17, r.a2c, r.a2cl);
        gdelt_codes(l, fmt, w->conf->maxf_scan[fmt & 3], &r);
    }
    uint32_t added = 0;
    if (w->conf->coverage && !icews) {
        /* DATEADDED: next to last (GDELT 2.0, and 1.0 with SOURCEURL), else last */
        tail_field(l, fmt == BILAT_EV_GDELT2 || l->nf == 58 ? 1 : 0, &p, &n);
        if (fmt == BILAT_EV_GDELT2 && n == 14)
            n = 8; /* YYYYMMDDHHMMSS: the day is enough */
        added = bilat_ymd_compact(p, n);
        if (!added) {
            reject(w, "bad DATEADDED '%s'", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
    }
    if (!fc->dmin || r.date < fc->dmin)
        fc->dmin = r.date;
    if (r.date > fc->dmax)
        fc->dmax = r.date;
    if (added) {
        if (!fc->amin || added < fc->amin)
            fc->amin = added;
        if (added > fc->amax)
            fc->amax = added;
    }
    if (!conds_hold(w, &r))
        return 0;
    /* The row is kept: find the field starts the scanner did not record, then check and
     * convert what the aggregate needs. */
    uint32_t have = w->conf->maxf_scan[fmt & 3], need = w->conf->maxf[fmt & 3];
    if (have < need) {
        if (need > l->nf)
            need = l->nf;
        uint32_t pos = l->start[have - 1];
        for (uint32_t i = have; i < need; i++) {
            const char *t = memchr(l->p + pos, '\t', l->len - pos);
            if (!t)
                break; /* cannot happen: nf counted the tabs */
            pos = (uint32_t)(t - l->p) + 1;
            l->start[i] = pos;
        }
        /* the codes can be read now that their fields are located */
        gdelt_codes(l, fmt, need, &r);
        r.action_done = false;
    }
    if (!icews) {
        static const int code_cols[] = {7, 12, 17, 22, 26, 28};
        for (size_t i = 0; i < sizeof(code_cols) / sizeof(code_cols[0]); i++) {
            if (!(w->conf->codes_used >> i & 1))
                continue;
            FIELD(l, code_cols[i], p, n);
            if (!code_ok(p, n)) {
                reject(w, "bad %s '%s' (expected up to 8 letters or digits)",
                       gdelt_names[code_cols[i]], excerpt(p, n, ex, sizeof(ex)));
                return 0;
            }
        }
    } else if (!code_ok(r.ev, r.evl) || r.evl < 2) {
        reject(w, "bad CAMEO Code '%s'", excerpt(r.ev, r.evl, ex, sizeof(ex)));
        return 0;
    }
    int rc;
    struct evmeas add;
    add.root_events = add.mentions = add.sources = add.articles = add.lag_sum = 0;
    add.gold = add.tone = 0;
    add.flags = 0;
    unsigned quad = 0;
    if (icews) {
        unsigned root = (unsigned)(r.ev[0] - '0') * 10 + (unsigned)(r.ev[1] - '0');
        quad = r.ev[0] >= '0' && r.ev[0] <= '9' && r.ev[1] >= '0' && r.ev[1] <= '9'
                   ? textbook_quad(root)
                   : 0;
        FIELD(l, 7, p, n);
        if (n && ev_fixed_parse(p, n, &add.gold) < 0) {
            reject(w, "bad Intensity '%s' (expected a number)", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        if (n)
            add.flags |= EVM_GOLD;
    } else {
        FIELD(l, 29, p, n);
        if (n != 1 || p[0] < '1' || p[0] > '4') {
            reject(w, "bad QuadClass '%s' (expected 1 to 4)", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        quad = (unsigned)(p[0] - '0');
        FIELD(l, 25, p, n);
        if (n != 1 || (p[0] != '0' && p[0] != '1')) {
            reject(w, "bad IsRootEvent '%s' (expected 0 or 1)", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        add.root_events = p[0] - '0';
        FIELD(l, 30, p, n);
        if (n && ev_fixed_parse(p, n, &add.gold) < 0) {
            reject(w, "bad GoldsteinScale '%s' (expected a number)",
                   excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        if (n)
            add.flags |= EVM_GOLD;
        int64_t *dst[3] = {&add.mentions, &add.sources, &add.articles};
        for (int k = 0; k < 3; k++) {
            FIELD(l, 31 + k, p, n);
            if (!parse_u63(p, n, dst[k])) {
                reject(w, "bad %s '%s' (expected a whole number)", gdelt_names[31 + k],
                       excerpt(p, n, ex, sizeof(ex)));
                return 0;
            }
        }
        FIELD(l, 34, p, n);
        if (ev_fixed_parse(p, n, &add.tone) < 0) {
            reject(w, "bad AvgTone '%s' (expected a number)", excerpt(p, n, ex, sizeof(ex)));
            return 0;
        }
        add.flags |= EVM_GDELT;
        if (added) {
            add.lag_sum = bilat_ymd_day_number(added) - bilat_ymd_day_number(r.date);
            add.flags |= EVM_LAG;
        }
    }
    if (!quad_holds(w->conf, quad))
        return 0;
    /* Event identity: a row whose GLOBALEVENTID another file brought is that file's event
     * (an ingest), or a row the file did not count at ingest is not the cube's (the
     * drill-down). A row whose id is not a whole number is counted, and not tracked. */
    if (!icews && (w->conf->track_ids || w->conf->idf)) {
        const struct evidfilter *idf = w->conf->idf ? &w->conf->idf[w->file] : NULL;
        int64_t id;
        FIELD(l, 0, p, n);
        if (parse_u63(p, n, &id)) {
            const struct evids *set = idf ? idf->set[fmt & 3] : NULL;
            if (set && evids_has(set, (uint64_t)id) != idf->keep) {
                fc->dup++;
                if (w->conf->track_ids &&
                    (rc = evids_add_run(&w->skipped, (uint64_t)id, (uint64_t)id)) < 0) {
                    w->rc = rc;
                    return 1;
                }
                return 0;
            }
            if (w->conf->track_ids && (rc = evids_add_run(&w->ids, (uint64_t)id,
                                                          (uint64_t)id)) < 0) {
                w->rc = rc;
                return 1;
            }
        }
    }
    /* Group key. */
    uint64_t key[EV_MAXK];
    const struct conf *c = w->conf;
    for (size_t i = 0; i < c->nk; i++) {
        switch (c->keys[i]) {
        case K_YEAR: key[i] = r.date / 10000; break;
        case K_MONTH: key[i] = r.date / 100; break;
        case K_DAY: key[i] = r.date; break;
        case K_A1C: key[i] = get_a1c(w, &r); break;
        case K_A2C: key[i] = get_a2c(w, &r); break;
        case K_A1T:
            if (icews) {
                FIELD(l, 3, p, n);
                key[i] = cache_lookup(w, p, n, 2, icews_sector);
            } else {
                FIELD(l, 12, p, n);
                key[i] = ev_code_pack(p, n);
            }
            break;
        case K_A2T:
            if (icews) {
                FIELD(l, 9, p, n);
                key[i] = cache_lookup(w, p, n, 2, icews_sector);
            } else {
                FIELD(l, 22, p, n);
                key[i] = ev_code_pack(p, n);
            }
            break;
        case K_EVCODE: key[i] = ev_code_pack(r.ev, r.evl); break;
        case K_ROOT: key[i] = ev_code_pack(r.root, r.rootl); break;
        case K_QUAD: key[i] = quad; break;
        case K_ACTION: key[i] = get_action(w, &r); break;
        default: key[i] = 0; break;
        }
    }
    fc->used++;
    uint64_t h = evgroups_hash(key, c->nk);
    uint64_t fp = 0;
    if (c->dedup != BILAT_DEDUP_NONE) {
        /* The cluster: the group, then the rule's fields. */
        fp = h;
        const char *s1, *s2, *s3;
        size_t l1, l2, l3;
        if (icews) {
            FIELD(l, 2, s1, l1);
            FIELD(l, 8, s2, l2);
        } else {
            FIELD(l, 5, s1, l1);
            FIELD(l, 15, s2, l2);
        }
        if (c->dedup == BILAT_DEDUP_DAILY) {
            uint64_t d = r.date;
            fp = bilat_hash_bytes(fp, (const char *)&d, sizeof(d));
        } else {
            if (icews)
                FIELD(l, 11, s3, l3);
            else if (fmt == BILAT_EV_GDELT2)
                tail_field(l, 0, &s3, &l3);
            else if (l->nf == 58)
                tail_field(l, 0, &s3, &l3);
            else
                s3 = "", l3 = 0;
            fp = bilat_hash_bytes(fp, s3, l3);
        }
        fp = bilat_hash_bytes(fp, s1, l1);
        fp = bilat_hash_bytes(fp, s2, l2);
        fp = bilat_hash_bytes(fp, r.ev, r.evl);
        if (!fp)
            fp = 1;
        if (c->members &&
            (rc = add_member(w, l, fp, r.date, key, s1, l1, s2, l2, r.ev, r.evl)) < 0) {
            w->rc = rc;
            return 1;
        }
    }
    /* Group updates wait in a small batch: the index slot is prefetched now, the entry when
     * the batch is flushed, so that the cache misses of several rows overlap. */
    struct pending *pd = &w->batch[w->nb++];
    memcpy(pd->key, key, c->nk * sizeof(uint64_t));
    pd->h = h;
    pd->fp = fp;
    pd->date = r.date;
    pd->add = add;
    bilat_hindex_prefetch(&w->groups.x, h);
    if (w->nb == BATCH && (rc = flush_batch(w)) < 0) {
        w->rc = rc;
        return 1;
    }
    if (c->coverage) {
        uint64_t ck[2] = {w->file, added ? added : r.date};
        size_t ci;
        if (w->cov_last && ck[0] == w->cov_key[0] && ck[1] == w->cov_key[1]) {
            ci = w->cov_last - 1; /* rows of a file come mostly from one day added */
        } else {
            rc = evgroups_get(&w->cov, ck, evgroups_hash(ck, 2), &ci);
            if (rc < 0) {
                w->rc = rc;
                return 1;
            }
            w->cov_key[0] = ck[0];
            w->cov_key[1] = ck[1];
            w->cov_last = ci + 1;
        }
        struct evmeas *cm = evg_meas(&w->cov, ci);
        cm->events++;
        if (!cm->dmin || r.date < cm->dmin)
            cm->dmin = r.date;
        if (r.date > cm->dmax)
            cm->dmax = r.date;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Workers
 * ---------------------------------------------------------------------------------------- */

/* A block's scan, as one call (the region mapguard_run() guards for a mapped block). */
struct blockscan {
    struct worker *w;
    const char *p;
    size_t len;
    uint32_t maxf;
    uint64_t lines;
};

static void scan_lines(void *ctx)
{
    struct blockscan *bs = ctx;
    struct evscan_line scratch;
    bs->lines = bs->w->run->scan(bs->p, bs->len, bs->maxf, &scratch, on_line, bs->w);
}

static void mark_changed(struct shared *r, size_t file);

/*
 * Hash a block's bytes into its file's content digest, in block order. Inflating takes the
 * reading thread's whole time, so the content of a compressed file (its identity, whatever its
 * container) is hashed here, on the workers, where a scan of a month's export leaves time:
 * hashing it on the reading thread made the ingest of a .gz export half as slow again
 * (bench/RESULTS.md). Blocks are taken from the queue in order, so the lowest block not yet
 * hashed is always held by a thread that is not waiting: the turn always comes.
 */
static void worker_hash(struct shared *r, struct block *b)
{
    pthread_mutex_lock(&r->mu);
    while (r->hash_next != b->hseq)
        pthread_cond_wait(&r->cv_hash, &r->mu);
    pthread_mutex_unlock(&r->mu);
    evsha_update(&r->files[b->file].csha, b->data + b->fresh_off, b->fresh_len);
    pthread_mutex_lock(&r->mu);
    r->hash_next++;
    pthread_cond_broadcast(&r->cv_hash);
    pthread_mutex_unlock(&r->mu);
}

static void worker_scan(struct worker *w, struct block *b)
{
    struct shared *r = w->run;
    w->file = b->file;
    w->format = b->format;
    w->seq = b->seq;
    w->line = 0;
    w->skip_line = b->skip_line;
    uint64_t lines;
    if (b->overlong) {
        w->line = 1;
        w->fc[w->file].rows++;
        reject(w, "line longer than %d MiB", MAX_LINE >> 20);
        lines = 1;
    } else {
        const char *p = b->view ? b->view : b->data;
        struct blockscan bs = {w, p, b->len, w->conf->maxf_scan[b->format & 3], 0};
        if (!b->view) {
            scan_lines(&bs);
        } else if (mapguard_run(scan_lines, &bs) < 0) {
            /* the file shrank under the mapping: its rows are not the file's any more */
            mark_changed(r, b->file);
            bs.lines = 0;
        }
        lines = bs.lines;
        if (w->nb) {
            int rc = flush_batch(w);
            if (rc < 0)
                w->rc = rc;
        }
        if (b->view) {
            /* Drop the block's pages from this process (they stay in the page cache), so
             * that resident memory does not grow with the file. */
            uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
            uintptr_t hi = ((uintptr_t)p + b->len) & ~(uintptr_t)4095;
            if (hi > lo)
                madvise((void *)lo, hi - lo, MADV_DONTNEED);
        }
    }
    pthread_mutex_lock(&r->mu);
    r->blocks[b->seq].lines = lines;
    pthread_mutex_unlock(&r->mu);
    if (b->hash)
        worker_hash(r, b);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *r = w->run;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->qlen == 0 && !r->closing)
            pthread_cond_wait(&r->cv_full, &r->mu);
        if (r->qlen == 0) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        struct block *b = r->queue[r->qhead];
        r->qhead = (r->qhead + 1) % r->qcap;
        r->qlen--;
        pthread_mutex_unlock(&r->mu);
        if (w->rc == 0)
            worker_scan(w, b);
        pthread_mutex_lock(&r->mu);
        r->freel[r->nfree++] = b;
        pthread_cond_signal(&r->cv_free);
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------
 * The reader
 * ---------------------------------------------------------------------------------------- */

/*
 * A free block for the reader. When none is free and blocks wait in the queue, the workers are
 * behind: a reader that has a core of its own (it hashes or inflates) scans one of them itself
 * instead of sleeping. A file that is cheap to hash but expensive to aggregate (millions of
 * cube cells) then keeps both cores busy; one that is expensive to hash never gets here.
 */
static struct block *take_free(struct shared *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->nfree == 0) {
        /* (not a block to hash into a content digest: the reading thread would wait for its
         * turn instead of inflating, and hashing is the workers' share of the work) */
        if (r->helper && r->helper->rc == 0 && r->qlen > 0 && !r->queue[r->qhead]->hash) {
            struct block *b = r->queue[r->qhead];
            r->qhead = (r->qhead + 1) % r->qcap;
            r->qlen--;
            pthread_mutex_unlock(&r->mu);
            worker_scan(r->helper, b);
            pthread_mutex_lock(&r->mu);
            r->freel[r->nfree++] = b;
            continue;
        }
        pthread_cond_wait(&r->cv_free, &r->mu);
    }
    struct block *b = r->freel[--r->nfree];
    pthread_mutex_unlock(&r->mu);
    return b;
}

static int push_block(struct shared *r, struct block *b)
{
    pthread_mutex_lock(&r->mu);
    if (r->nblocks == r->cap_blocks) {
        size_t cap = r->cap_blocks ? r->cap_blocks * 2 : 256;
        struct blockinfo *bi = bilat_realloc_array(r->blocks, cap, sizeof(*bi));
        if (!bi) {
            pthread_mutex_unlock(&r->mu);
            return BILAT_ENOMEM;
        }
        r->blocks = bi;
        r->cap_blocks = cap;
    }
    b->seq = r->nblocks;
    r->blocks[r->nblocks].file = b->file;
    r->blocks[r->nblocks].lines = 0;
    r->nblocks++;
    while (r->qlen == r->qcap)
        pthread_cond_wait(&r->cv_free, &r->mu);
    r->queue[(r->qhead + r->qlen) % r->qcap] = b;
    r->qlen++;
    pthread_cond_signal(&r->cv_full);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static int block_reserve(struct block *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need)
        cap *= 2;
    char *d = bilat_realloc(b->data, cap);
    if (!d)
        return BILAT_ENOMEM;
    b->data = d;
    b->cap = cap;
    return 0;
}

/* Decide a file's format from its first line; skip_first when it is a header. */
static int detect_format(const struct conf *c, const char *p, size_t len, int *fmt,
                         bool *skip_first, char *why, size_t whycap)
{
    const char *nl = memchr(p, '\n', len);
    size_t ll = nl ? (size_t)(nl - p) : len;
    if (ll && p[ll - 1] == '\r')
        ll--;
    size_t tabs = 0;
    for (size_t i = 0; i < ll; i++)
        tabs += p[i] == '\t';
    *skip_first = false;
    bool icews_header = ll >= 9 && memcmp(p, "Event ID\t", 9) == 0;
    bool gdelt_header = ll >= 14 && memcmp(p, "GLOBALEVENTID\t", 14) == 0;
    if (c->format != BILAT_EV_AUTO) {
        *fmt = c->format;
        *skip_first = (c->format == BILAT_EV_ICEWS && icews_header) ||
                      (c->format != BILAT_EV_ICEWS && gdelt_header);
        if (c->format == BILAT_EV_ICEWS && !icews_header) {
            snprintf(why, whycap, "an ICEWS file starts with its header line ('Event ID', "
                                  "'Event Date', ...)");
            return -1;
        }
        return 0;
    }
    if (icews_header) {
        if (tabs != 19) {
            snprintf(why, whycap, "the ICEWS header has %zu columns, expected 20", tabs + 1);
            return -1;
        }
        *fmt = BILAT_EV_ICEWS;
        *skip_first = true;
        return 0;
    }
    if (gdelt_header)
        *skip_first = true;
    if (tabs == 56 || tabs == 57)
        *fmt = BILAT_EV_GDELT1;
    else if (tabs == 60)
        *fmt = BILAT_EV_GDELT2;
    else {
        snprintf(why, whycap,
                 "cannot tell the format: the first line has %zu fields (GDELT 1.0 has 57 or 58, "
                 "GDELT 2.0 has 61, ICEWS starts with its header); use --format",
                 tabs + 1);
        return -1;
    }
    return 0;
}

static void set_failure(struct evfile *f, const char *msg)
{
    if (!f->failure)
        f->failure = bilat_strdup(msg);
}

/* Lines before the first non-blank one: the offset of that line and how many there are. */
static size_t skip_blank_lines(const char *p, size_t len, uint64_t *nblank)
{
    size_t off = 0;
    *nblank = 0;
    while (off < len && (p[off] == '\n' || (p[off] == '\r' && off + 1 < len && p[off + 1] == '\n'))) {
        off += p[off] == '\r' ? 2 : 1;
        (*nblank)++;
    }
    return off;
}

/* The file changed while it was read: noted by the thread that found it, reported once every
 * thread is done (finish_files()). */
static void mark_changed(struct shared *r, size_t file)
{
    pthread_mutex_lock(&r->mu);
    r->files[file].changed = true;
    pthread_mutex_unlock(&r->mu);
}

/*
 * What the reader does with the mapping for one block, as one call (the region mapguard_run()
 * guards): find the block's end, copy a last line that has no newline, hash the block and, for
 * the first block, tell the format from the first non-blank line. No lock is held here.
 */
struct mapstep {
    const struct conf *c;
    const char *map;
    size_t size, pos, bs;
    struct block *b;
    struct evsha *sha;          /* NULL: not hashing */
    bool first;                 /* the format is still to be told */
    size_t stop;                /* out: the block is [pos, stop) */
    int fmt;                    /* out (first): the format, 0 when it cannot be told */
    uint64_t skip_line;         /* out (first): the header's line in the block, or 0 */
    bool blank;                 /* out (first): the file holds only blank lines */
    char why[200];              /* out (first): why the format cannot be told */
    int rc;                     /* out: BILAT_ENOMEM */
};

static void map_step(void *ctx)
{
    struct mapstep *m = ctx;
    const char *map = m->map;
    size_t end = m->pos + m->bs < m->size ? m->pos + m->bs : m->size;
    uint64_t nblank = 0;
    size_t lead = m->pos;
    if (m->first) {
        /* the first block holds the first non-blank line whole, however many blank ones come
         * before it */
        lead += skip_blank_lines(map + m->pos, m->size - m->pos, &nblank);
        if (lead == m->size) {
            m->blank = true;
            return;
        }
        if (end <= lead)
            end = lead + 1;
    }
    const char *nl = memchr(map + end - 1, '\n', m->size - end + 1);
    m->stop = nl ? (size_t)(nl - map) + 1 : m->size;
    struct block *b = m->b;
    b->view = map + m->pos;
    b->len = m->stop - m->pos;
    if (!nl) {
        /* The last line has no newline: copy it and add one. */
        if ((m->rc = block_reserve(b, b->len + 1)) < 0) {
            b->view = NULL;
            return;
        }
        memcpy(b->data, map + m->pos, b->len);
        b->data[b->len++] = '\n';
        b->view = NULL;
    }
    if (m->sha)
        evsha_update(m->sha, map + m->pos, m->stop - m->pos);
    if (m->first) {
        const char *p = b->view ? b->view : b->data;
        size_t off = lead - m->pos;
        bool skip = false;
        if (detect_format(m->c, p + off, b->len - off, &m->fmt, &skip, m->why, sizeof(m->why)) < 0)
            m->fmt = 0;
        m->skip_line = skip ? nblank + 1 : 0;
    }
}

struct maptail {
    const char *p;
    size_t len;
    struct evsha *sha;
};

static void map_hash_tail(void *ctx)
{
    struct maptail *t = ctx;
    evsha_update(t->sha, t->p, t->len);
}

static void give_back(struct shared *r, struct block *b)
{
    b->view = NULL;
    pthread_mutex_lock(&r->mu);
    r->freel[r->nfree++] = b;
    pthread_cond_signal(&r->cv_free);
    pthread_mutex_unlock(&r->mu);
}

/*
 * The mmap path for plain regular files: blocks are slices of the mapping ending at a newline,
 * so that no byte is copied. A last line without a newline is copied into a block of its own
 * with one appended (the mapping is never written). SHA-256, when wanted, is computed here.
 * Every read of the mapping, here and in the workers, is guarded (mapguard.h): a file truncated
 * while it is scanned is reported as changed, never a crash; so is one whose size or time moved
 * by the end of the read (`st0` is the file at open).
 */
static int read_file_mmap(struct shared *r, const struct conf *c, const struct bilat_scan_opts *o,
                          size_t fi, int fd, const struct stat *st0, uint64_t *bytes_done)
{
    struct evfile *f = &r->files[fi];
    size_t size = (size_t)st0->st_size;
    const char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return 1; /* let the read() path try */
    madvise((void *)(uintptr_t)map, size, MADV_SEQUENTIAL);
    struct evsha sha = {0};
    if (o->hash_files && evsha_init(&sha) < 0) {
        munmap((void *)(uintptr_t)map, size);
        return BILAT_ENOMEM;
    }
    f->container = 0; /* plain */
    struct mapstep m;
    memset(&m, 0, sizeof(m));
    m.c = c;
    m.map = map;
    m.size = size;
    m.bs = o->buffer_size ? o->buffer_size : DEFAULT_SLICE;
    m.sha = o->hash_files ? &sha : NULL;
    m.first = true;
    int fmt = 0, rc = 0;
    bool lost = false; /* a mapped page could not be read */
    while (m.pos < size) {
        struct block *b = take_free(r);
        b->file = fi;
        b->overlong = false;
        b->skip_line = 0;
        b->hash = false; /* a plain file's content digest is its raw one */
        m.b = b;
        if (mapguard_run(map_step, &m) < 0) {
            lost = true;
            give_back(r, b);
            break;
        }
        if (m.rc < 0 || m.blank) {
            rc = m.rc;
            give_back(r, b);
            if (m.blank) /* only blank lines: an empty file */
                m.pos = size;
            break;
        }
        if (m.first) {
            if (!m.fmt) {
                char msg[600];
                snprintf(msg, sizeof(msg), "'%s': %s", f->path, m.why);
                set_failure(f, msg);
                give_back(r, b);
                break;
            }
            b->skip_line = m.skip_line;
            fmt = f->format = m.fmt;
            m.first = false;
        }
        b->format = fmt;
        f->bytes += m.stop - m.pos;
        *bytes_done += m.stop - m.pos;
        if ((rc = push_block(r, b)) < 0)
            break;
        if (o->progress)
            o->progress(o->progress_ctx, *bytes_done, fi);
        m.pos = m.stop;
    }
    f->size = size;
    struct stat now;
    if (lost || fstat(fd, &now) != 0 || now.st_size != st0->st_size ||
        now.st_mtim.tv_sec != st0->st_mtim.tv_sec || now.st_mtim.tv_nsec != st0->st_mtim.tv_nsec)
        mark_changed(r, fi);
    if (o->hash_files && rc == 0 && !f->failure && !lost) {
        struct maptail t = {map + m.pos, size - m.pos, &sha};
        /* stopped early (only blank lines): hash the rest so the digest is the file's */
        if (m.pos >= size || mapguard_run(map_hash_tail, &t) == 0) {
            evsha_final_hex(&sha, f->sha256);
            memcpy(f->content_sha256, f->sha256, sizeof(f->sha256));
        } else {
            mark_changed(r, fi);
        }
    }
    evsha_release(&sha);
    /* Workers may still scan slices: the mapping is unmapped once they are done. */
    pthread_mutex_lock(&r->mu);
    int mrc = 0;
    if (r->nmaps == r->cap_maps) {
        size_t cap = r->cap_maps ? r->cap_maps * 2 : 16;
        struct mapping *mp = bilat_realloc_array(r->maps, cap, sizeof(*mp));
        if (mp) {
            r->maps = mp;
            r->cap_maps = cap;
        } else {
            mrc = BILAT_ENOMEM;
        }
    }
    if (mrc == 0) {
        r->maps[r->nmaps].p = map;
        r->maps[r->nmaps].len = size;
        r->nmaps++;
    }
    pthread_mutex_unlock(&r->mu);
    if (mrc < 0) {
        /* Cannot remember the mapping: wait for the workers by leaking nothing but time. */
        return mrc;
    }
    return rc;
}

/* Read one file into blocks. Returns BILAT_ENOMEM only; file problems go into the file. */
static int read_file(struct shared *r, const struct conf *c, const struct bilat_scan_opts *o,
                     size_t fi, struct bilat_buf *carry, uint64_t *bytes_done)
{
    struct evfile *f = &r->files[fi];
    struct evsrc *src = NULL;
    struct bilat_err e = {0};
    int rc = evsrc_open(f->path, o->hash_files ? EVSRC_SHA_RAW : 0, &src, &e);
    if (rc == BILAT_ENOMEM)
        return rc;
    f->scanned = true;
    if (rc < 0) {
        set_failure(f, e.msg);
        f->unopened = rc == BILAT_ENOTFOUND || rc == BILAT_EIO;
        return 0;
    }
    f->container = (int)evsrc_kind(src);
    if (o->hash_files && evsrc_kind(src) != EVSRC_PLAIN) {
        if (evsha_init(&f->csha) < 0) {
            evsrc_close(src);
            return BILAT_ENOMEM;
        }
        f->chash = true;
    }
    if (o->io != BILAT_IO_READ && evsrc_kind(src) == EVSRC_PLAIN && strcmp(f->path, "-") != 0) {
        int fd = open(f->path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            rc = read_file_mmap(r, c, o, fi, fd, &st, bytes_done);
            if (rc <= 0) {
                close(fd);
                evsrc_close(src);
                return rc;
            }
        }
        if (fd >= 0)
            close(fd);
    }
    const size_t rd = o->buffer_size ? o->buffer_size : DEFAULT_READ;
    bilat_buf_reset(carry);
    bool first = true, eof = false, discarding = false;
    int fmt = 0;
    while (!eof) {
        struct block *b = take_free(r);
        b->view = NULL;
        b->len = 0;
        b->file = fi;
        b->overlong = false;
        b->skip_line = 0;
        b->hash = false;
        if ((rc = block_reserve(b, carry->len + rd + 2)) < 0)
            goto give_back;
        memcpy(b->data, carry->buf, carry->len);
        b->len = carry->len;
        b->fresh_off = carry->len; /* the carried bytes were hashed with the block before */
        bilat_buf_reset(carry);
        /* Fill to at least `rd` bytes ending with a newline. */
        size_t scan_from = 0;
        char *last_nl = NULL;
        for (;;) {
            if (b->len >= rd || eof) {
                last_nl = b->len > scan_from ? memrchr(b->data + scan_from, '\n',
                                                       b->len - scan_from)
                                             : NULL;
                if (last_nl || eof)
                    break;
                scan_from = b->len;
                if (b->len >= MAX_LINE) {
                    /* An overlong line: report it once, drop bytes up to the next newline
                     * (they are not hashed: the file has no content digest then). */
                    f->chash_lost = true;
                    if (!discarding) {
                        b->overlong = true;
                        b->len = 0;
                        b->format = fmt ? fmt : BILAT_EV_GDELT2;
                        discarding = true;
                        break;
                    }
                    b->len = 0;
                    scan_from = 0;
                }
            }
            if ((rc = block_reserve(b, b->len + rd + 2)) < 0)
                goto give_back;
            size_t got = 0;
            rc = evsrc_read(src, b->data + b->len, rd, &got, &e);
            if (rc == BILAT_ENOMEM)
                goto give_back;
            if (rc < 0) {
                set_failure(f, e.msg);
                eof = true;
                rc = 0;
                continue;
            }
            if (got == 0)
                eof = true;
            b->len += got;
            f->bytes += got;
            *bytes_done += got;
        }
        if (b->overlong) {
            if ((rc = push_block(r, b)) < 0)
                goto give_back;
            continue;
        }
        size_t blen = b->len;
        b->fresh_len = b->len - b->fresh_off;
        if (last_nl && !eof) {
            blen = (size_t)(last_nl - b->data) + 1;
            if ((rc = bilat_buf_add(carry, b->data + blen, b->len - blen)) < 0)
                goto give_back;
            b->len = blen;
        } else if (eof && b->len && b->data[b->len - 1] != '\n') {
            b->data[b->len++] = '\n'; /* a last line without newline is still a line */
        }
        if (discarding) {
            /* Drop the rest of the overlong line (up to its newline). */
            char *nl = memchr(b->data, '\n', b->len);
            size_t cut = nl ? (size_t)(nl - b->data) + 1 : b->len;
            memmove(b->data, b->data + cut, b->len - cut);
            b->len -= cut;
            if (nl)
                discarding = false;
        }
        if (first && b->len) {
            /* The first non-blank line decides the format (blank lines before it are skipped
             * like any blank line: they still count for line numbers). */
            uint64_t nblank = 0;
            size_t off = skip_blank_lines(b->data, b->len, &nblank);
            if (off < b->len) {
                char why[200], msg[600];
                bool skip = false;
                if (detect_format(c, b->data + off, b->len - off, &fmt, &skip, why,
                                  sizeof(why)) < 0) {
                    snprintf(msg, sizeof(msg), "'%s': %s", f->path, why);
                    set_failure(f, msg);
                    f->format = 0;
                    rc = 0;
                    goto give_back;
                }
                b->skip_line = skip ? nblank + 1 : 0;
                f->format = fmt;
                first = false;
            }
        }
        /* A block of blank lines only (before the format is told) is scanned all the same, so
         * that the lines after it keep their numbers: blank lines are skipped before a row's
         * format is looked at. */
        b->format = fmt;
        if (f->chash && !f->chash_lost && !discarding) {
            b->hash = true;
            b->hseq = r->hash_seq++; /* only this thread pushes blocks */
        }
        if ((rc = push_block(r, b)) < 0) {
            if (b->hash) /* not queued: its turn goes to the next block */
                r->hash_seq--;
            b->hash = false;
            goto give_back;
        }
        if (o->progress)
            o->progress(o->progress_ctx, *bytes_done, fi);
        continue;
    give_back:
        pthread_mutex_lock(&r->mu);
        r->freel[r->nfree++] = b;
        pthread_cond_signal(&r->cv_free);
        pthread_mutex_unlock(&r->mu);
        break;
    }
    char why[160];
    if (rc == 0 && evsrc_changed(src, why, sizeof(why))) {
        /* the data read is not the file's: say so before any damage it seemed to have */
        char msg[600];
        snprintf(msg, sizeof(msg), "'%s' changed while it was being read (%s): read it again "
                                   "once it is complete",
                 f->path, why);
        bilat_free(f->failure);
        f->failure = NULL;
        set_failure(f, msg);
        f->changed = true;
    }
    if (o->hash_files && rc == 0 && !f->changed) {
        /* a damaged compressed file still has a digest: that of its bytes, read to the end */
        if (f->failure)
            evsrc_finish(src);
        snprintf(f->sha256, sizeof(f->sha256), "%s", evsrc_sha256(src));
        /* a plain file's content is its bytes; a compressed file's digest is finished once
         * the workers have hashed its last block (finish_content()) */
        if (!f->failure && !f->chash)
            snprintf(f->content_sha256, sizeof(f->content_sha256), "%s",
                     evsrc_content_sha256(src));
    }
    const char *warn = evsrc_warning(src);
    if (warn && !f->warning) {
        char msg[400];
        snprintf(msg, sizeof(msg), "'%s': %s", f->path, warn);
        f->warning = bilat_strdup(msg);
    }
    f->size = evsrc_raw_bytes(src);
    evsrc_close(src);
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Merging
 * ---------------------------------------------------------------------------------------- */

/* Merge groups (and fingerprints) of b into a; dedup counts are recounted from the union. */
static int merge_groups(struct evgroups *a, struct fpset *afp, const struct evgroups *b,
                        const struct fpset *bfp, const uint64_t *file_map)
{
    size_t *map = bilat_alloc_array(b->n ? b->n : 1, sizeof(*map));
    if (!map)
        return BILAT_ENOMEM;
    uint64_t key[EV_MAXK];
    for (size_t i = 0; i < b->n; i++) {
        const uint64_t *k = evg_key(b, i);
        uint64_t h = evg_hash(b, i);
        if (file_map) {
            memcpy(key, k, b->nk * sizeof(uint64_t));
            key[0] = file_map[key[0]];
            k = key;
            h = evgroups_hash(k, b->nk);
        }
        size_t j;
        int rc = evgroups_get(a, k, h, &j);
        if (rc < 0) {
            bilat_free(map);
            return rc;
        }
        map[i] = j;
        struct evmeas *am = evg_meas(a, j);
        const struct evmeas *bm = evg_meas(b, i);
        int64_t keep = am->dedup;
        evmeas_add(am, bm);
        am->dedup = keep;
        if (!bfp) {
            am->dedup += bm->dedup;
        } else if (bm->fp0 && afp) {
            int added = dd_add(am, afp, (uint32_t)j, bm->fp0);
            if (added < 0) {
                bilat_free(map);
                return added;
            }
            am->dedup += added;
        }
    }
    if (bfp && afp) {
        for (size_t s = 0; s < bfp->n; s++) {
            size_t g = map[bfp->e[s].group];
            int rc = dd_add(evg_meas(a, g), afp, (uint32_t)g, bfp->e[s].fp);
            if (rc < 0) {
                bilat_free(map);
                return rc;
            }
            evg_meas(a, g)->dedup += rc;
        }
    }
    bilat_free(map);
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * The run
 * ---------------------------------------------------------------------------------------- */

static int result_new(struct conf *c, const char *const *files, size_t n, bilat_scan **out)
{
    bilat_scan *s = bilat_calloc(1, sizeof(*s));
    if (!s)
        return BILAT_ENOMEM;
    s->conf = c;
    s->files = bilat_calloc(n ? n : 1, sizeof(*s->files));
    s->nfiles = s->files ? n : 0;
    int rc = s->files ? 0 : BILAT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!(s->files[i].path = bilat_strdup(files[i])))
            rc = BILAT_ENOMEM;
    if (rc == 0)
        rc = evgroups_init(&s->groups, c->nk);
    if (rc == 0)
        rc = evgroups_init(&s->cov, 2);
    if (rc == 0 && c->dedup != BILAT_DEDUP_NONE)
        rc = fpset_init(&s->fps);
    if (rc < 0) {
        s->conf = NULL;
        bilat_scan_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void bilat_scan_free(bilat_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++) {
        evsha_release(&s->files[i].csha);
        bilat_free(s->files[i].path);
        bilat_free(s->files[i].failure);
        bilat_free(s->files[i].warning);
        bilat_free(s->files[i].errs);
    }
    evids_release(&s->ids);
    evids_release(&s->skipped);
    bilat_free(s->files);
    bilat_free(s->members.v);
    bilat_buf_release(&s->members.text);
    bilat_free(s->members.keys);
    evgroups_release(&s->groups);
    evgroups_release(&s->cov);
    fpset_release(&s->fps);
    evspill_free(s->spill);
    bilat_free(s->conf);
    bilat_free(s);
}

static void worker_release(struct worker *w)
{
    evids_release(&w->ids);
    evids_release(&w->skipped);
    evgroups_release(&w->groups);
    evgroups_release(&w->cov);
    fpset_release(&w->fps);
    bilat_free(w->fc);
    bilat_free(w->names);
    bilat_hindex_release(&w->names_x);
    bilat_arena_release(&w->arena);
    bilat_free(w->members.v);
    bilat_buf_release(&w->members.text);
    bilat_free(w->members.keys);
    bilat_free(w->batch);
    evspill_scratch_release(&w->sc);
}

/* Whether the first file of this part is gzip or zip (its first bytes; pipes count as not). */
static bool first_compressed(const char *const *files, size_t n, size_t part, size_t nparts)
{
    for (size_t i = 0; i < n; i++) {
        if (nparts > 1 && i % nparts != part)
            continue;
        if (strcmp(files[i], "-") == 0)
            return false;
        unsigned char m[4] = {0};
        int fd = open(files[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return false;
        ssize_t r = read(fd, m, sizeof(m));
        close(fd);
        return r >= 2 && ((m[0] == 0x1f && m[1] == 0x8b) || (r == 4 && m[0] == 'P' &&
                                                            m[1] == 'K' && m[2] == 3 &&
                                                            m[3] == 4));
    }
    return false;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Scan files [0, n) of this part. With `order` (ingest) and o->memory, groups beyond the
 * budget are spilled to sorted runs in that order (the result's `spill`). */
static int scan_run(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                    size_t part, size_t nparts, const char *by, bool coverage,
                    const size_t *order, const struct evidfilter *idf, bool track_ids,
                    bilat_scan **out, struct bilat_err *err)
{
    *out = NULL;
    struct conf *c = NULL;
    BILAT_TRY(conf_new(o, by, coverage, &c, err));
    c->idf = idf;
    c->track_ids = track_ids;
    bilat_scan *s = NULL;
    if (result_new(c, files, n, &s) < 0) {
        bilat_free(c);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    int nt = o->threads > 0 ? o->threads : online_cpus();
    bool helps = false;
    if (o->threads <= 0 && nt > 1 && (o->hash_files || first_compressed(files, n, part, nparts))) {
        nt--; /* the reading thread has work of its own (inflate, SHA-256): leave it a core */
        helps = true; /* ... and let it scan when that work leaves the core idle */
    }
    if (nt > 64)
        nt = 64;
    int nw = nt + helps; /* tables: one per worker thread, and the reader's */
    struct shared r;
    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv_full, NULL);
    pthread_cond_init(&r.cv_free, NULL);
    pthread_cond_init(&r.cv_hash, NULL);
    r.files = s->files;
    r.scan = evscan_pick((enum evscan_kind)o->scanner, NULL);
    r.order = order && o->memory ? order : NULL;
    r.spill_dir = o->spill_dir;
    r.budget = o->memory;
    size_t nblocks = (size_t)nt + 2;
    struct worker *ws = bilat_calloc((size_t)nw, sizeof(*ws));
    pthread_t *tids = bilat_calloc((size_t)nt, sizeof(*tids));
    struct block *blocks = bilat_calloc(nblocks, sizeof(*blocks));
    r.queue = bilat_calloc(nblocks, sizeof(*r.queue));
    r.freel = bilat_calloc(nblocks, sizeof(*r.freel));
    r.qcap = nblocks;
    int rc = ws && tids && blocks && r.queue && r.freel ? 0 : BILAT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < nblocks; i++)
        r.freel[r.nfree++] = &blocks[i];
    int started = 0;
    for (int t = 0; rc == 0 && t < nw; t++) {
        ws[t].run = &r;
        ws[t].conf = c;
        ws[t].budget = r.order ? (o->memory / (size_t)nw ? o->memory / (size_t)nw : 1) : 0;
        ws[t].fc = bilat_calloc(n ? n : 1, sizeof(*ws[t].fc));
        ws[t].batch = bilat_calloc(BATCH, sizeof(*ws[t].batch));
        if (!ws[t].fc || !ws[t].batch || evgroups_init(&ws[t].groups, c->nk) < 0 ||
            evgroups_init(&ws[t].cov, 2) < 0 ||
            (c->dedup != BILAT_DEDUP_NONE && fpset_init(&ws[t].fps) < 0))
            rc = BILAT_ENOMEM;
    }
    r.helper = helps && rc == 0 ? &ws[nt] : NULL;
    for (int t = 0; rc == 0 && t < nt; t++) {
        if (pthread_create(&tids[t], NULL, worker_main, &ws[t]) != 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "cannot start a scanning thread");
            break;
        }
        started++;
    }
    struct bilat_buf carry = BILAT_BUF_INIT;
    uint64_t bytes_done = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (nparts > 1 && i % nparts != part)
            continue;
        rc = read_file(&r, c, o, i, &carry, &bytes_done);
    }
    bilat_buf_release(&carry);
    pthread_mutex_lock(&r.mu);
    r.closing = true;
    pthread_cond_broadcast(&r.cv_full);
    pthread_mutex_unlock(&r.mu);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    for (size_t i = 0; i < r.nmaps; i++)
        munmap((void *)(uintptr_t)r.maps[i].p, r.maps[i].len);
    bilat_free(r.maps);
    struct bilat_err werr = {0};
    for (int t = 0; rc == 0 && t < nw; t++)
        if (ws[t].rc < 0) {
            rc = ws[t].rc;
            werr = ws[t].err;
        }
    if (rc == 0 && r.rc < 0)
        rc = r.rc;
    /* Once anything was spilled, or when the workers' tables together pass the budget, what
     * the workers hold is spilled too and the runs are merged later (in order, by the store
     * writer): the tables are never merged into one. */
    bool spilled = r.spill != NULL;
    if (rc == 0 && r.order && !spilled) {
        size_t bytes = 0;
        for (int t = 0; t < nw; t++)
            bytes += evgroups_bytes(&ws[t].groups) + fpset_bytes(&ws[t].fps);
        spilled = nw > 1 && bytes > o->memory;
    }
    for (int t = 0; rc == 0 && spilled && t < nw; t++) {
        if ((rc = worker_spill(&ws[t])) < 0)
            werr = ws[t].err;
        evgroups_release(&ws[t].groups);
        fpset_release(&ws[t].fps);
        evspill_scratch_release(&ws[t].sc);
    }
    if (rc == 0 && spilled) {
        s->spill = r.spill;
        r.spill = NULL;
    }
    /* Merge the workers in order. */
    for (int t = 0; rc == 0 && t < nw; t++) {
        if (t == 0) {
            /* The first worker's tables become the result's: no copy, no second table. */
            evgroups_release(&s->cov);
            s->cov = ws[0].cov;
            memset(&ws[0].cov, 0, sizeof(ws[0].cov));
            if (!spilled) {
                evgroups_release(&s->groups);
                fpset_release(&s->fps);
                s->groups = ws[0].groups;
                s->fps = ws[0].fps;
                memset(&ws[0].groups, 0, sizeof(ws[0].groups));
                memset(&ws[0].fps, 0, sizeof(ws[0].fps));
            }
        } else {
            if (!spilled)
                rc = merge_groups(&s->groups, c->dedup != BILAT_DEDUP_NONE ? &s->fps : NULL,
                                  &ws[t].groups,
                                  c->dedup != BILAT_DEDUP_NONE ? &ws[t].fps : NULL, NULL);
            if (rc == 0)
                rc = merge_groups(&s->cov, NULL, &ws[t].cov, NULL, NULL);
            /* Free each merged table at once: peak memory is one result plus one worker's. */
            evgroups_release(&ws[t].groups);
            evgroups_release(&ws[t].cov);
            fpset_release(&ws[t].fps);
        }
        for (size_t i = 0; rc == 0 && i < n; i++) {
            struct evfile *f = &s->files[i];
            const struct fcount *fc = &ws[t].fc[i];
            f->rows += fc->rows;
            f->rejected += fc->rejected;
            f->used += fc->used;
            f->dup += fc->dup;
            if (fc->dmin && (!f->dmin || fc->dmin < f->dmin))
                f->dmin = fc->dmin;
            if (fc->dmax > f->dmax)
                f->dmax = fc->dmax;
            if (fc->amin && (!f->amin || fc->amin < f->amin))
                f->amin = fc->amin;
            if (fc->amax > f->amax)
                f->amax = fc->amax;
        }
    }
    /* The ids every worker counted, as one set. */
    for (int t = 0; rc == 0 && c->track_ids && t < nw; t++) {
        for (size_t k = 0; rc == 0 && k < ws[t].ids.n; k++)
            rc = evids_add_run(&s->ids, ws[t].ids.v[k].lo, ws[t].ids.v[k].hi);
        for (size_t k = 0; rc == 0 && k < ws[t].skipped.n; k++)
            rc = evids_add_run(&s->skipped, ws[t].skipped.v[k].lo, ws[t].skipped.v[k].hi);
    }
    evids_normalise(&s->ids);
    evids_normalise(&s->skipped);
    /* Members of every worker, into the result (text and key offsets shifted). */
    for (int t = 0; rc == 0 && c->members && t < nw; t++) {
        struct memberlist *from = &ws[t].members, *to = &s->members;
        size_t base = to->text.len, kbase = to->nkeys;
        if (bilat_buf_add(&to->text, from->text.buf, from->text.len) < 0) {
            rc = BILAT_ENOMEM;
            break;
        }
        if (from->n) {
            struct member *v = bilat_realloc_array(to->v, to->n + from->n, sizeof(*v));
            if (!v) {
                rc = BILAT_ENOMEM;
                break;
            }
            to->v = v;
            if (from->nkeys) {
                uint64_t *k = bilat_realloc_array(to->keys, to->nkeys + from->nkeys, sizeof(*k));
                if (!k) {
                    rc = BILAT_ENOMEM;
                    break;
                }
                to->keys = k;
                memcpy(to->keys + to->nkeys, from->keys, from->nkeys * sizeof(*k));
                to->nkeys += from->nkeys;
                to->capkeys = to->nkeys;
            }
            for (size_t k = 0; k < from->n; k++) {
                to->v[to->n] = from->v[k];
                to->v[to->n].off += base;
                to->v[to->n].koff += kbase;
                to->n++;
            }
        }
    }
    /* Block-relative error lines -> file lines. */
    if (rc == 0) {
        uint64_t *base = bilat_calloc(r.nblocks ? r.nblocks : 1, sizeof(*base));
        uint64_t *acc = bilat_calloc(n ? n : 1, sizeof(*acc));
        if (!base || !acc)
            rc = BILAT_ENOMEM;
        for (size_t b = 0; rc == 0 && b < r.nblocks; b++) {
            base[b] = acc[r.blocks[b].file];
            acc[r.blocks[b].file] += r.blocks[b].lines;
        }
        for (size_t k = 0; rc == 0 && k < s->members.n; k++)
            s->members.v[k].line += base[s->members.v[k].seq];
        for (size_t i = 0; rc == 0 && i < n; i++) {
            struct evfile *f = &s->files[i];
            for (size_t k = 0; k < f->nerrs; k++)
                f->errs[k].line += base[f->errs[k].seq];
            if (f->chash) {
                /* every block was hashed (the workers are done): the content digest */
                if (!f->failure && !f->changed && !f->chash_lost && f->sha256[0])
                    evsha_final_hex(&f->csha, f->content_sha256);
                evsha_release(&f->csha);
                f->chash = false;
            }
            if (f->changed) {
                /* what was read is not the file: no digest, and the failure says why */
                if (!f->failure || !strstr(f->failure, "changed while it was being read")) {
                    char msg[600];
                    snprintf(msg, sizeof(msg), "'%s' changed while it was being read (it "
                                               "shrank or was written to): read it again once "
                                               "it is complete",
                             f->path);
                    bilat_free(f->failure);
                    f->failure = bilat_strdup(msg);
                    if (!f->failure)
                        rc = BILAT_ENOMEM;
                }
                f->sha256[0] = f->content_sha256[0] = '\0';
            }
            f->empty = f->scanned && f->rows == 0 && !f->failure;
            s->bytes += f->bytes;
        }
        bilat_free(base);
        bilat_free(acc);
    }
    for (int t = 0; ws && t < nw; t++)
        worker_release(&ws[t]);
    for (size_t i = 0; blocks && i < nblocks; i++)
        bilat_free(blocks[i].data);
    bilat_free(ws);
    bilat_free(tids);
    bilat_free(blocks);
    bilat_free(r.queue);
    bilat_free(r.freel);
    bilat_free(r.blocks);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv_full);
    pthread_cond_destroy(&r.cv_free);
    pthread_cond_destroy(&r.cv_hash);
    evspill_free(r.spill);
    if (rc < 0) {
        bilat_scan_free(s);
        if (rc == BILAT_ENOMEM)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (werr.code && err)
            *err = werr;
        return rc;
    }
    *out = s;
    return 0;
}

int bilat_scan_files(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                     bilat_scan **out, struct bilat_err *err)
{
    return scan_run(o, files, n, 0, 1, o->by, false, NULL, NULL, false, out, err);
}

int bilat_scan_files_part(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                          size_t part, size_t nparts, bilat_scan **out, struct bilat_err *err)
{
    return scan_run(o, files, n, part, nparts ? nparts : 1, o->by, false, NULL, NULL, false, out,
                    err);
}

/* The cube's keys (evstore.c relies on this order), and the order its cells are written in:
 * that of the index event_cube_dyad (actor countries, then day), so that SQLite appends to the
 * index instead of inserting all over it. */
const char ev_cube_keys[] = "day,actor1_country,actor2_country,actor1_type,actor2_type,"
                            "event_code,quad";
const size_t ev_cube_order[7] = {1, 2, 0, 3, 4, 5, 6};

int ev_cells_open(const bilat_scan *s, struct evcells **out, struct bilat_err *err)
{
    if (s->spill)
        return evcells_open_spill(s->spill, out, err);
    int rc = evcells_open_table(&s->groups, ev_cube_order, out);
    if (rc < 0)
        return bilat_fail(err, rc, rc == BILAT_ENOMEM ? "out of memory" : "too many keys");
    return 0;
}

int ev_scan_for_ingest(const struct bilat_scan_opts *o, const char *path,
                       const struct evidfilter *known, bilat_scan **out, struct bilat_err *err)
{
    const char *files[1] = {path};
    return scan_run(o, files, 1, 0, 1, ev_cube_keys, true, ev_cube_order, known, true, out, err);
}

const struct evids *ev_scan_ids(const bilat_scan *s)
{
    return &s->ids;
}

const struct evids *ev_scan_skipped_ids(const bilat_scan *s)
{
    return &s->skipped;
}

int ev_scan_empty_for_ingest(const struct bilat_scan_opts *o, const char *path, bilat_scan **out,
                             struct bilat_err *err)
{
    struct conf *c = NULL;
    BILAT_TRY(conf_new(o, ev_cube_keys, true, &c, err));
    const char *files[1] = {path};
    if (result_new(c, files, 1, out) < 0) {
        bilat_free(c);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Results
 * ---------------------------------------------------------------------------------------- */

void bilat_scan_stats(const bilat_scan *s, struct bilat_scan_stats *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct evfile *f = &s->files[i];
        out->files += f->scanned;
        out->rows += f->rows;
        out->rejected += f->rejected;
        out->used += f->used;
        out->failed_files += f->failure != NULL;
        out->unopened_files += f->unopened;
    }
    out->bytes = s->bytes;
    out->groups = s->groups.n;
}

void bilat_scan_report(const bilat_scan *s, const struct bilat_diag *d)
{
    if (!d || !d->fn)
        return;
    for (size_t i = 0; i < s->nfiles; i++) {
        const struct evfile *f = &s->files[i];
        for (size_t k = 0; k < f->nerrs; k++)
            d->fn(d->ctx, BILAT_LOG_ERROR, f->path, f->errs[k].line, f->errs[k].msg);
        if (f->rejected > f->nerrs) {
            char msg[128];
            snprintf(msg, sizeof(msg), "%llu more bad rows not shown (%llu in all)",
                     (unsigned long long)(f->rejected - f->nerrs),
                     (unsigned long long)f->rejected);
            d->fn(d->ctx, BILAT_LOG_ERROR, f->path, 0, msg);
        }
        if (f->warning)
            d->fn(d->ctx, BILAT_LOG_WARNING, NULL, 0, f->warning);
        if (f->failure)
            d->fn(d->ctx, BILAT_LOG_ERROR, NULL, 0, f->failure);
        else if (f->empty)
            d->fn(d->ctx, BILAT_LOG_WARNING, f->path, 0, "no data rows (empty file)");
    }
}

size_t ev_scan_nfiles(const bilat_scan *s)
{
    return s->nfiles;
}

void ev_scan_file(const bilat_scan *s, size_t i, struct evfile_view *out)
{
    const struct evfile *f = &s->files[i];
    out->path = f->path;
    out->format = f->format;
    out->size = f->size;
    out->rows = f->rows;
    out->rejected = f->rejected;
    out->dmin = f->dmin;
    out->dmax = f->dmax;
    out->amin = f->amin;
    out->amax = f->amax;
    out->sha256 = f->sha256;
    out->content_sha256 = f->content_sha256;
    out->container = f->container;
    out->duplicates = f->dup;
    out->warning = f->warning;
    out->changed = f->changed;
    out->failure = f->failure;
    out->empty = f->empty;
    out->scanned = f->scanned;
}

void ev_scan_view(const bilat_scan *s, struct evresult_view *out)
{
    out->groups = &s->groups;
    out->keys = s->conf->keys;
    out->coverage = &s->cov;
    out->spill_runs = evspill_runs(s->spill);
}

/* Sorting: groups by their key words, compared as unsigned integers. */
static const struct evgroups *sort_g;
static size_t sort_nk;
static const size_t *sort_perm; /* key words in comparison order */

static int cmp_group(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    const uint64_t *ka = evg_key(sort_g, a), *kb = evg_key(sort_g, b);
    for (size_t i = 0; i < sort_nk; i++) {
        size_t w = sort_perm[i];
        if (ka[w] != kb[w])
            return ka[w] < kb[w] ? -1 : 1;
    }
    return 0;
}

static pthread_mutex_t sort_mu = PTHREAD_MUTEX_INITIALIZER;

int ev_sorted_order_by(const struct evgroups *g, const size_t *perm, size_t **order_out);
int ev_sorted_order_by(const struct evgroups *g, const size_t *perm, size_t **order_out)
{
    size_t *ord = bilat_alloc_array(g->n ? g->n : 1, sizeof(*ord));
    if (!ord)
        return BILAT_ENOMEM;
    for (size_t i = 0; i < g->n; i++)
        ord[i] = i;
    static const size_t ident[EV_MAXK] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    pthread_mutex_lock(&sort_mu);
    sort_nk = g->nk;
    sort_g = g;
    sort_perm = perm ? perm : ident;
    if (g->nk)
        qsort(ord, g->n, sizeof(*ord), cmp_group);
    pthread_mutex_unlock(&sort_mu);
    *order_out = ord;
    return 0;
}

static size_t put_key(char *o, enum evkey k, uint64_t v)
{
    switch (k) {
    case K_YEAR: return (size_t)snprintf(o, 32, "%u", (unsigned)v);
    case K_MONTH: return (size_t)snprintf(o, 32, "%04u-%02u", (unsigned)(v / 100), (unsigned)(v % 100));
    case K_DAY:
        return (size_t)snprintf(o, 32, "%04u-%02u-%02u", (unsigned)(v / 10000),
                               (unsigned)(v / 100 % 100), (unsigned)(v % 100));
    case K_QUAD: return v ? (size_t)snprintf(o, 32, "%u", (unsigned)v) : 0;
    default: return ev_code_unpack(v, o);
    }
}

int bilat_scan_write(const bilat_scan *s, enum bilat_format format, FILE *out,
                     struct bilat_err *err)
{
    if (format != BILAT_FORMAT_CSV)
        return bilat_fail(err, BILAT_EINVAL, "a scan's groups are written as CSV only");
    const struct conf *c = s->conf;
    size_t *ord = NULL;
    if (ev_sorted_order_by(&s->groups, NULL, &ord) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->nk; i++)
        fprintf(out, "%s,", ev_key_name(c->keys[i]));
    /* The dedup column names its rule, so that a CSV file says how it was made. */
    fprintf(out, "events,%s%sroot_events,goldstein_sum,mentions,sources,articles,tone_sum\n",
            c->dedup == BILAT_DEDUP_DAILY ? "events_dedup_daily,"
            : c->dedup == BILAT_DEDUP_URL ? "events_dedup_url,"
                                          : "",
            "");
    char line[1024];
    for (size_t r = 0; r < s->groups.n; r++) {
        size_t g = ord[r];
        const uint64_t *k = evg_key(&s->groups, g);
        const struct evmeas *m = evg_meas(&s->groups, g);
        size_t n = 0;
        for (size_t i = 0; i < c->nk; i++) {
            n += put_key(line + n, c->keys[i], k[i]);
            line[n++] = ',';
        }
        n += (size_t)snprintf(line + n, sizeof(line) - n, "%lld,", (long long)m->events);
        if (c->dedup != BILAT_DEDUP_NONE)
            n += (size_t)snprintf(line + n, sizeof(line) - n, "%lld,", (long long)m->dedup);
        bool g1 = m->flags & EVM_GDELT;
        if (g1)
            n += (size_t)snprintf(line + n, sizeof(line) - n, "%lld", (long long)m->root_events);
        line[n++] = ',';
        if (m->flags & EVM_GOLD)
            n += (size_t)ev_fixed_format(m->gold, line + n, 64);
        line[n++] = ',';
        if (g1)
            n += (size_t)snprintf(line + n, sizeof(line) - n, "%lld,%lld,%lld,", (long long)m->mentions,
                                 (long long)m->sources, (long long)m->articles);
        else
            n += (size_t)snprintf(line + n, sizeof(line) - n, ",,,");
        if (g1)
            n += (size_t)ev_fixed_format(m->tone, line + n, 64);
        line[n++] = '\n';
        fwrite(line, 1, n, out);
    }
    bilat_free(ord);
    if (fflush(out) != 0 || ferror(out))
        return bilat_fail(err, BILAT_EIO, "cannot write the results");
    return 0;
}

static int cmp_member(const void *pa, const void *pb)
{
    const struct member *a = pa, *b = pb;
    if (a->fp != b->fp)
        return a->fp < b->fp ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

/* Write a CSV field (quoted when it holds a comma, quote, CR or LF). */
static void put_csv(FILE *out, const char *p, size_t n)
{
    bool q = false;
    for (size_t i = 0; i < n; i++)
        q |= p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n';
    if (!q) {
        fwrite(p, 1, n, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"')
            fputc('"', out);
        fputc(p[i], out);
    }
    fputc('"', out);
}

int bilat_scan_write_members(const bilat_scan *s, enum bilat_format format, FILE *out,
                             struct bilat_err *err)
{
    if (format != BILAT_FORMAT_CSV)
        return bilat_fail(err, BILAT_EINVAL, "cluster members are written as CSV only");
    if (s->members.n)
        qsort(s->members.v, s->members.n, sizeof(*s->members.v), cmp_member);
    fprintf(out, "cluster,event_id,date,actor1,actor2,event_code,url,file,line\n");
    for (size_t i = 0; i < s->members.n; i++) {
        struct evmember_view m;
        ev_member(s, i, &m);
        fprintf(out, "%016llx,", (unsigned long long)m.fp);
        for (int k = 0; k < MF_URL + 1; k++) {
            put_csv(out, m.f[k], m.len[k]);
            fputc(',', out);
        }
        const char *path = s->files[m.file].path;
        put_csv(out, path, strlen(path));
        fprintf(out, ",%llu\n", (unsigned long long)m.line);
    }
    if (fflush(out) != 0 || ferror(out))
        return bilat_fail(err, BILAT_EIO, "cannot write the cluster members");
    return 0;
}

size_t ev_members_count(const bilat_scan *s)
{
    return s->members.n;
}

void ev_member(const bilat_scan *s, size_t i, struct evmember_view *out)
{
    const struct member *m = &s->members.v[i];
    out->fp = m->fp;
    out->file = m->file;
    out->line = m->line;
    out->key = s->members.keys ? s->members.keys + m->koff : NULL;
    const char *p = s->members.text.buf + m->off, *end = p + m->len;
    for (int k = 0; k < MF_N; k++) {
        const char *t = k < MF_N - 1 ? memchr(p, '\t', (size_t)(end - p)) : NULL;
        out->f[k] = p;
        out->len[k] = (size_t)((t ? t : end) - p);
        p = t ? t + 1 : end;
    }
}

int ev_scan_for_drill(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                      const struct evidfilter *idf, bilat_scan **out, struct bilat_err *err)
{
    /* The cube's keys make the cube's clusters (a fingerprint starts from the group's key);
     * coverage on makes the ingest's checks (DATEADDED), so the same rows are kept; the ids
     * each file counted at ingest keep the rows it counted. */
    return scan_run(o, files, n, 0, 1, ev_cube_keys, true, NULL, idf, false, out, err);
}

/* ------------------------------------------------------------------------------------------
 * Packing (MPI)
 * ---------------------------------------------------------------------------------------- */

static int put(struct bilat_buf *b, const void *p, size_t n)
{
    return bilat_buf_add(b, p, n);
}

static int put_u64(struct bilat_buf *b, uint64_t v)
{
    return put(b, &v, sizeof(v));
}

static int put_str(struct bilat_buf *b, const char *s)
{
    uint64_t n = s ? strlen(s) + 1 : 0;
    BILAT_TRY(put_u64(b, n));
    return n ? put(b, s, (size_t)n) : 0;
}

static int put_groups(struct bilat_buf *b, const struct evgroups *g)
{
    BILAT_TRY(put_u64(b, g->nk));
    BILAT_TRY(put_u64(b, g->n));
    for (size_t i = 0; i < g->n; i++)
        BILAT_TRY(put(b, evg_key(g, i), g->nk * sizeof(uint64_t)));
    for (size_t i = 0; i < g->n; i++)
        BILAT_TRY(put(b, evg_meas(g, i), sizeof(struct evmeas)));
    return 0;
}

int bilat_scan_pack(const bilat_scan *s, void **buf_out, size_t *len_out, struct bilat_err *err)
{
    if (s->spill)
        return bilat_fail(err, BILAT_EINVAL, "cannot send a result spilled to disk");
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = put(&b, "BLSCAN02", 8);
    if (rc == 0)
        rc = put_u64(&b, s->nfiles);
    for (size_t i = 0; rc == 0 && i < s->nfiles; i++) {
        const struct evfile *f = &s->files[i];
        rc = put_u64(&b, f->scanned);
        if (rc || !f->scanned)
            continue;
        uint64_t v[14] = {(uint64_t)f->format,
                          f->empty | (uint64_t)f->unopened << 1 | (uint64_t)f->changed << 2,
                          f->size, f->bytes, f->rows, f->rejected, f->used, f->dmin, f->dmax,
                          f->amin, f->amax, f->nerrs, f->dup, (uint64_t)f->container};
        rc = put(&b, v, sizeof(v));
        if (rc == 0)
            rc = put(&b, f->sha256, sizeof(f->sha256));
        if (rc == 0)
            rc = put(&b, f->content_sha256, sizeof(f->content_sha256));
        if (rc == 0)
            rc = put_str(&b, f->failure);
        if (rc == 0)
            rc = put_str(&b, f->warning);
        if (rc == 0 && f->nerrs)
            rc = put(&b, f->errs, f->nerrs * sizeof(*f->errs));
    }
    if (rc == 0)
        rc = put_groups(&b, &s->groups);
    if (rc == 0)
        rc = put_groups(&b, &s->cov);
    if (rc == 0)
        rc = put_u64(&b, s->fps.n);
    for (size_t i = 0; rc == 0 && i < s->fps.n; i++) {
        rc = put_u64(&b, s->fps.e[i].fp);
        if (rc == 0)
            rc = put_u64(&b, s->fps.e[i].group);
    }
    if (rc == 0)
        rc = put_u64(&b, s->ids.n);
    if (rc == 0 && s->ids.n)
        rc = put(&b, s->ids.v, s->ids.n * sizeof(*s->ids.v));
    if (rc < 0) {
        bilat_buf_release(&b);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    *buf_out = bilat_buf_detach(&b, len_out);
    return 0;
}

struct rd {
    const unsigned char *p, *end;
};

static bool get(struct rd *r, void *out, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static bool get_u64(struct rd *r, uint64_t *v)
{
    return get(r, v, sizeof(*v));
}

static int get_groups(struct rd *r, struct evgroups *g)
{
    uint64_t nk, n;
    if (!get_u64(r, &nk) || !get_u64(r, &n) || nk > EV_MAXK || n > (size_t)(r->end - r->p))
        return BILAT_EPARSE;
    BILAT_TRY(evgroups_init(g, (size_t)nk));
    for (uint64_t i = 0; i < n; i++) {
        uint64_t key[EV_MAXK];
        size_t j;
        if (!get(r, key, (size_t)nk * sizeof(uint64_t)))
            return BILAT_EPARSE;
        BILAT_TRY(evgroups_get(g, key, evgroups_hash(key, (size_t)nk), &j));
        if (j != i)
            return BILAT_EPARSE; /* duplicate key */
    }
    for (uint64_t i = 0; i < n; i++)
        if (!get(r, evg_meas(g, (size_t)i), sizeof(struct evmeas)))
            return BILAT_EPARSE;
    return 0;
}

int bilat_scan_merge_packed(bilat_scan *s, const void *buf, size_t len, struct bilat_err *err)
{
    struct rd r = {buf, (const unsigned char *)buf + len};
    char magic[8];
    uint64_t nf;
    struct evgroups g, cov;
    struct fpset fps = {0};
    memset(&g, 0, sizeof(g));
    memset(&cov, 0, sizeof(cov));
    int rc = 0;
    if (!get(&r, magic, 8) || memcmp(magic, "BLSCAN02", 8) != 0 || !get_u64(&r, &nf) ||
        nf != s->nfiles) {
        rc = BILAT_EPARSE;
        goto out;
    }
    for (size_t i = 0; i < s->nfiles; i++) {
        uint64_t scanned;
        if (!get_u64(&r, &scanned)) {
            rc = BILAT_EPARSE;
            goto out;
        }
        if (!scanned)
            continue;
        struct evfile *f = &s->files[i];
        uint64_t v[14], slen;
        if (!get(&r, v, sizeof(v)) || !get(&r, f->sha256, sizeof(f->sha256)) ||
            !get(&r, f->content_sha256, sizeof(f->content_sha256)) || !get_u64(&r, &slen) ||
            slen > (size_t)(r.end - r.p) || v[11] > 1000000) {
            rc = BILAT_EPARSE;
            goto out;
        }
        f->sha256[64] = '\0';
        f->content_sha256[64] = '\0';
        f->scanned = true;
        f->format = (int)v[0];
        f->empty = (v[1] & 1) != 0;
        f->unopened = (v[1] & 2) != 0;
        f->changed = (v[1] & 4) != 0;
        f->dup = v[12];
        f->container = (int)v[13];
        f->size = v[2];
        f->bytes = v[3];
        f->rows = v[4];
        f->rejected = v[5];
        f->used = v[6];
        f->dmin = (uint32_t)v[7];
        f->dmax = (uint32_t)v[8];
        f->amin = (uint32_t)v[9];
        f->amax = (uint32_t)v[10];
        s->bytes += f->bytes;
        bilat_free(f->failure);
        f->failure = NULL;
        if (slen) {
            f->failure = bilat_strndup((const char *)r.p, (size_t)slen - 1);
            r.p += slen;
            if (!f->failure) {
                rc = BILAT_ENOMEM;
                goto out;
            }
        }
        bilat_free(f->warning);
        f->warning = NULL;
        if (!get_u64(&r, &slen) || slen > (size_t)(r.end - r.p)) {
            rc = BILAT_EPARSE;
            goto out;
        }
        if (slen) {
            f->warning = bilat_strndup((const char *)r.p, (size_t)slen - 1);
            r.p += slen;
            if (!f->warning) {
                rc = BILAT_ENOMEM;
                goto out;
            }
        }
        bilat_free(f->errs);
        f->errs = NULL;
        f->nerrs = (size_t)v[11];
        if (f->nerrs) {
            f->errs = bilat_calloc(f->nerrs, sizeof(*f->errs));
            if (!f->errs) {
                f->nerrs = 0;
                rc = BILAT_ENOMEM;
                goto out;
            }
            if (!get(&r, f->errs, f->nerrs * sizeof(*f->errs))) {
                rc = BILAT_EPARSE;
                goto out;
            }
        }
    }
    if ((rc = get_groups(&r, &g)) < 0 || (rc = get_groups(&r, &cov)) < 0)
        goto out;
    if (g.nk != s->groups.nk) {
        rc = BILAT_EPARSE;
        goto out;
    }
    uint64_t nfp;
    if (!get_u64(&r, &nfp)) {
        rc = BILAT_EPARSE;
        goto out;
    }
    if (s->conf->dedup != BILAT_DEDUP_NONE) {
        if ((rc = fpset_init(&fps)) < 0)
            goto out;
        for (uint64_t i = 0; i < nfp; i++) {
            uint64_t fp, group;
            if (!get_u64(&r, &fp) || !get_u64(&r, &group) || group >= g.n) {
                rc = BILAT_EPARSE;
                goto out;
            }
            if ((rc = fpset_add(&fps, fp, (uint32_t)group)) < 0)
                goto out;
        }
    }
    rc = merge_groups(&s->groups, s->conf->dedup != BILAT_DEDUP_NONE ? &s->fps : NULL, &g,
                      s->conf->dedup != BILAT_DEDUP_NONE ? &fps : NULL, NULL);
    if (rc == 0)
        rc = merge_groups(&s->cov, NULL, &cov, NULL, NULL);
    uint64_t nids;
    if (rc == 0 && (!get_u64(&r, &nids) || nids > (size_t)(r.end - r.p) / sizeof(struct evidrun)))
        rc = BILAT_EPARSE;
    for (uint64_t i = 0; rc == 0 && i < nids; i++) {
        struct evidrun run;
        if (!get(&r, &run, sizeof(run)) || run.lo > run.hi)
            rc = BILAT_EPARSE;
        else
            rc = evids_add_run(&s->ids, run.lo, run.hi);
    }
    if (rc == 0)
        evids_normalise(&s->ids);
out:
    evgroups_release(&g);
    evgroups_release(&cov);
    fpset_release(&fps);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    if (rc < 0)
        return bilat_fail(err, BILAT_EPARSE, "corrupt partial result");
    return 0;
}
