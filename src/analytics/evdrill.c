/*
 * evdrill.c: the drill-down from a figure of the event cube to the rows behind it
 * (bilat_clusters_find(); bilat.h "Event files", docs/EVENTS.md "From a figure to its rows").
 *
 * The cube keeps counts per file and cell, never rows: GDELT has hundreds of millions of them.
 * What it does keep is the list of files it was made from (ingest_file: path, size, SHA-256,
 * format, dedup rule). So the rows of a figure are found by reading those files again:
 *
 *   1. the files whose cube rows hold the selection (dyad, period, quad class, root code) are
 *      listed through the cube's index (a search for each file), with the cube's own sums for
 *      the selection;
 *   2. each is checked against its record: a file no longer at its path, or of another size, is
 *      skipped before it is read; the others are scanned (events.c) with the selection as
 *      conditions and their SHA-256 computed on the way, and a file whose digest differs from
 *      the recorded one is skipped after the scan: its rows are never used;
 *   3. the scan uses the cube's keys, the ingest's checks and the file's recorded format and
 *      dedup rule, so every kept row carries the fingerprint of the cluster the ingest counted
 *      it in. Rows are grouped by (file, cube cell, fingerprint), as the cube counts clusters
 *      per file and cell: the rows found equal sum(events) of the selection and the clusters
 *      sum(events_dedup), file by file, when every file was read.
 *
 * The result is sorted (cell, file, cluster, line), so its output does not depend on the
 * number of threads.
 */
#include "analytics/evdrill.h"

#include "analytics/table.h"
#include "core/alloc.h"
#include "core/csv.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/parse.h"
#include "ingest/events.h"
#include "store/db.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The cube's key words (ev_cube_keys). */
enum { CK_DAY, CK_A1C, CK_A2C, CK_A1T, CK_A2T, CK_CODE, CK_QUAD, CK_N };

enum file_status { FS_READ, FS_MOVED, FS_CHANGED, FS_UNREADABLE };

static const char *const status_names[] = {"read", "moved", "changed", "unreadable"};

struct dfile {
    int64_t id;                 /* ingest_file.id */
    size_t path, name, sha256;  /* offsets of the recorded strings in `text` */
    size_t origin, format, dedup;
    uint64_t size;              /* recorded size */
    enum file_status st;
    size_t note;                /* why skipped, or the damage of a file read in part; 0: none */
    uint64_t rows, clusters;    /* found in this file */
    uint64_t dups;              /* rows the ingest left out (their event was another file's) */
    struct evids ids;           /* then: the GLOBALEVENTIDs the file counted */
};

/* A member row: its strings are offsets into `text`. */
struct dmember {
    uint64_t line;
    size_t id, url;
};

struct dcluster {
    uint64_t fp;                /* fingerprint (the cluster id) */
    size_t file;                /* index in files */
    uint64_t key[CK_N];         /* the cube cell */
    size_t actor1, actor2;      /* actor codes (ICEWS: names), offsets into `text` */
    ev_fixed gold;              /* sum of the members' Goldstein values */
    uint64_t ngold;             /* members with one */
    size_t first, n;            /* members[first .. first + n) */
};

struct bilat_clusters {
    char a[9], b[9];            /* the dyad */
    char from[11], to[11];      /* YYYY-MM-DD, "" when open */
    int quad;                   /* 0: all */
    char root[3];               /* "" : all */
    char origin[8];             /* "" : both */
    char dedup[8];              /* "" : each file's rule */
    struct dfile *files;
    size_t nfiles;
    struct dmember *m;
    size_t nm;
    struct dcluster *c;
    size_t nc;
    struct bilat_buf text;      /* strings, each NUL-terminated; offset 0 is "" */
    int64_t cube_events, cube_dedup;
};

/* A row while it is collected: its cell, file and strings. */
struct draw {
    uint64_t key[CK_N];
    size_t file;
    uint64_t fp, line;
    size_t id, url, actor1, actor2;
    ev_fixed gold;
    bool has_gold;
};

static const char *txt(const struct bilat_clusters *c, size_t off)
{
    return c->text.buf + off;
}

/* Keep a string (len bytes, not NUL-terminated) in c->text; its offset in *off. */
static int keep(struct bilat_clusters *c, const char *s, size_t len, size_t *off)
{
    if (len == 0) {
        *off = 0;
        return 0;
    }
    *off = c->text.len;
    if (bilat_buf_add(&c->text, s, len) < 0 || bilat_buf_addch(&c->text, '\0') < 0)
        return BILAT_ENOMEM;
    return 0;
}

static int keeps(struct bilat_clusters *c, const char *s, size_t *off)
{
    return keep(c, s ? s : "", s ? strlen(s) : 0, off);
}

/* ------------------------------------------------------------------------------------------
 * The selection
 * ---------------------------------------------------------------------------------------- */

/* A country code as the cube holds it: 1 to 8 letters or digits, upper-cased into out. */
static int code_arg(const char *s, char out[9], struct bilat_err *err)
{
    size_t n = s ? strlen(s) : 0;
    bool ok = n >= 1 && n <= 8;
    for (size_t i = 0; ok && i < n; i++) {
        ok = isalnum((unsigned char)s[i]);
        out[i] = (char)toupper((unsigned char)s[i]);
    }
    if (!ok)
        return bilat_fail(err, BILAT_EINVAL, "bad country code '%s' (1 to 8 letters or digits, "
                                             "as the event files code countries: KHM)",
                          s ? s : "");
    out[n] = '\0';
    return 0;
}

/* A period end: YYYY-MM-DD, or a month or year standing for its first (start) or last day. */
static int date_arg(const char *s, bool start, struct bilat_date *out, struct bilat_err *err)
{
    struct bilat_date d;
    if (bilat_date_parse(s, strlen(s), &d) < 0)
        return bilat_fail(err, BILAT_EINVAL, "bad date '%s' (expected YYYY-MM-DD, YYYY-MM or "
                                             "YYYY)",
                          s);
    if (d.prec == BILAT_DATE_YEAR)
        d.month = start ? 1 : 12;
    if (d.prec != BILAT_DATE_DAY)
        d.day = start ? 1 : bilat_days_in_month(d.year, d.month);
    d.prec = BILAT_DATE_DAY;
    *out = d;
    return 0;
}

static int check_opts(const struct bilat_clusters_opts *o, struct bilat_clusters *c,
                      struct bilat_err *err)
{
    BILAT_TRY(code_arg(o->a, c->a, err));
    BILAT_TRY(code_arg(o->b, c->b, err));
    struct bilat_date f = {0}, t = {0};
    if (o->from) {
        BILAT_TRY(date_arg(o->from, true, &f, err));
        snprintf(c->from, sizeof(c->from), "%04d-%02d-%02d", f.year, f.month, f.day);
    }
    if (o->to) {
        BILAT_TRY(date_arg(o->to, false, &t, err));
        snprintf(c->to, sizeof(c->to), "%04d-%02d-%02d", t.year, t.month, t.day);
    }
    if (o->from && o->to && strcmp(c->from, c->to) > 0)
        return bilat_fail(err, BILAT_EINVAL, "the period ends (%s) before it starts (%s)", c->to,
                          c->from);
    if (o->quad < 0 || o->quad > 4)
        return bilat_fail(err, BILAT_EINVAL, "bad quad class %d (1 to 4)", o->quad);
    c->quad = o->quad;
    if (o->root) {
        if (strlen(o->root) != 2 || !isdigit((unsigned char)o->root[0]) ||
            !isdigit((unsigned char)o->root[1]))
            return bilat_fail(err, BILAT_EINVAL, "bad root code '%s' (two digits: 04)",
                              o->root);
        memcpy(c->root, o->root, 3);
    }
    if (o->origin) {
        if (strcmp(o->origin, "gdelt") != 0 && strcmp(o->origin, "icews") != 0)
            return bilat_fail(err, BILAT_EINVAL, "unknown origin '%s' (gdelt or icews)",
                              o->origin);
        snprintf(c->origin, sizeof(c->origin), "%s", o->origin);
    }
    if (o->dedup) {
        enum bilat_ev_dedup d;
        if (bilat_ev_dedup_parse(o->dedup, &d) < 0)
            return bilat_fail(err, BILAT_EINVAL, "unknown dedup rule '%s' (daily, url or none)",
                              o->dedup);
        snprintf(c->dedup, sizeof(c->dedup), "%s", o->dedup);
    }
    if (o->max_days > 0) {
        if (!o->from || !o->to)
            return bilat_fail(err, BILAT_ELIMIT, "an open period: give both ends, at most %d "
                                                 "days apart",
                              o->max_days);
        int64_t days = bilat_day_number(t.year, t.month, t.day) - bilat_day_number(f.year, f.month, f.day) + 1;
        if (days > o->max_days)
            return bilat_fail(err, BILAT_ELIMIT, "the period has %lld days, more than the limit "
                                                 "of %d",
                              (long long)days, o->max_days);
    }
    return 0;
}

/* The selection's cube rows (c = event_cube) and their files (f = ingest_file), the files first:
 * the cube's index is by file, then dyad and day, so that each file is a search of it, in each
 * direction (the day in each, for a search of its range). Parameters ?1..?7 are bound by
 * bind_sel(). */
#define SEL_FROM                                                                                  \
    "ingest_file f CROSS JOIN event_cube c ON c.file_id = f.id WHERE "                             \
    "((c.actor1_country = ?1 AND c.actor2_country = ?2 AND c.day BETWEEN ?3 AND ?4) OR "         \
    "(c.actor1_country = ?2 AND c.actor2_country = ?1 AND c.day BETWEEN ?3 AND ?4)) AND "        \
    "(?5 = 0 OR c.quad = ?5) AND (?6 IS NULL OR c.root_code = ?6) AND "                            \
    "(?7 IS NULL OR f.origin = ?7)"

static void bind_sel(sqlite3_stmt *st, const struct bilat_clusters *c)
{
    store_bind_text(st, 1, c->a, -1);
    store_bind_text(st, 2, c->b, -1);
    store_bind_text(st, 3, c->from[0] ? c->from : "0000-00-00", -1);
    store_bind_text(st, 4, c->to[0] ? c->to : "9999-99-99", -1);
    sqlite3_bind_int(st, 5, c->quad);
    store_bind_text(st, 6, c->root[0] ? c->root : NULL, -1);
    store_bind_text(st, 7, c->origin[0] ? c->origin : NULL, -1);
}

/* The files whose cube rows hold the selection, and the cube's sums for it. */
static int list_files(bilat_db *db, struct bilat_clusters *c, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT coalesce(sum(c.events), 0), coalesce(sum(c.events_dedup), 0) "
                            "FROM " SEL_FROM,
                            &st, err));
    bind_sel(st, c);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        c->cube_events = sqlite3_column_int64(st, 0);
        c->cube_dedup = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_ROW)
        return store_fail(db, err, s, "cannot read the event cube");
    /* stores before version 60 (read-only, not migrated) have no rows_duplicate */
    bool v60 = bilat_db_schema_version(db) >= 60;
    BILAT_TRY(store_prepare(db,
                            v60 ? "SELECT f.id, f.path, f.name, f.size, f.sha256, f.origin, "
                                  "f.format, f.dedup, f.rows_duplicate FROM ingest_file f WHERE "
                                  "f.id IN (SELECT c.file_id FROM " SEL_FROM ") ORDER BY f.id"
                                : "SELECT f.id, f.path, f.name, f.size, f.sha256, f.origin, "
                                  "f.format, f.dedup, 0 FROM ingest_file f WHERE f.id IN (SELECT "
                                  "c.file_id FROM " SEL_FROM ") ORDER BY f.id",
                            &st, err));
    bind_sel(st, c);
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->nfiles == cap) {
            cap = cap ? cap * 2 : 16;
            struct dfile *v = bilat_realloc_array(c->files, cap, sizeof(*v));
            if (!v) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            c->files = v;
        }
        struct dfile *f = &c->files[c->nfiles];
        memset(f, 0, sizeof(*f));
        f->id = sqlite3_column_int64(st, 0);
        f->size = (uint64_t)sqlite3_column_int64(st, 3);
        f->dups = (uint64_t)sqlite3_column_int64(st, 8);
        static const int cols[] = {1, 2, 4, 5, 6, 7};
        size_t *offs[] = {&f->path, &f->name, &f->sha256, &f->origin, &f->format, &f->dedup};
        for (size_t k = 0; rc == 0 && k < 6; k++)
            if (keeps(c, (const char *)sqlite3_column_text(st, cols[k]), offs[k]) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        c->nfiles++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read the ingested files");
    sqlite3_finalize(st);
    st = NULL;
    /* A file that left rows out at ingest (their events came with another file) is read
     * keeping the rows it counted: the ids it recorded. */
    for (size_t i = 0; rc == 0 && i < c->nfiles; i++) {
        struct dfile *f = &c->files[i];
        if (!f->dups)
            continue;
        rc = store_prepare(db,
                           "SELECT lo, hi FROM ingest_event_id WHERE file_id = ?1 AND counted = 1",
                           &st, err);
        if (rc < 0)
            break;
        sqlite3_bind_int64(st, 1, f->id);
        while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
            if (evids_add_run(&f->ids, (uint64_t)sqlite3_column_int64(st, 0),
                              (uint64_t)sqlite3_column_int64(st, 1)) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (rc == 0 && s != SQLITE_DONE)
            rc = store_fail(db, err, s, "cannot read the event ids of a file");
        sqlite3_finalize(st);
        st = NULL;
        evids_normalise(&f->ids);
    }
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Reading the files again
 * ---------------------------------------------------------------------------------------- */

static void warn(const struct bilat_diag *d, const char *path, const char *fmt, ...)
    BILAT_PRINTF(3, 4);

static void warn(const struct bilat_diag *d, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(d, BILAT_LOG_WARNING, path, 0, fmt, ap);
    va_end(ap);
}

/* Mark a file skipped, with the reason kept and sent as a warning. */
static int skip_file(struct bilat_clusters *c, struct dfile *f, enum file_status st,
                     const struct bilat_diag *d, const char *why)
{
    f->st = st;
    BILAT_TRY(keeps(c, why, &f->note));
    warn(d, txt(c, f->path), "%s: skipped", why);
    return 0;
}

/* A scan's failure without its "'PATH': " start: the warning names the file already. */
static const char *unquoted(const char *msg, const char *path)
{
    size_t pl = strlen(path);
    if (msg[0] == '\'' && strncmp(msg + 1, path, pl) == 0 && strncmp(msg + 1 + pl, "': ", 3) == 0)
        return msg + pl + 4;
    return msg;
}

/* Check that the files are where and as they were recorded (size; the digest comes with the
 * scan). */
static int check_files(struct bilat_clusters *c, const struct bilat_diag *d)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        struct dfile *f = &c->files[i];
        struct stat sb;
        char why[160];
        if (stat(txt(c, f->path), &sb) != 0 || !S_ISREG(sb.st_mode)) {
            snprintf(why, sizeof(why), "not found (moved or deleted since it was ingested as "
                                       "file %lld)",
                     (long long)f->id);
            BILAT_TRY(skip_file(c, f, FS_MOVED, d, why));
        } else if ((uint64_t)sb.st_size != f->size) {
            snprintf(why, sizeof(why), "changed since it was ingested (%llu bytes, %llu "
                                       "recorded)",
                     (unsigned long long)sb.st_size, (unsigned long long)f->size);
            BILAT_TRY(skip_file(c, f, FS_CHANGED, d, why));
        }
    }
    return 0;
}

static int cmp_raw(const void *pa, const void *pb)
{
    const struct draw *a = pa, *b = pb;
    for (int k = 0; k < CK_N; k++)
        if (a->key[k] != b->key[k])
            return a->key[k] < b->key[k] ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    if (a->fp != b->fp)
        return a->fp < b->fp ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

struct rawlist {
    struct draw *v;
    size_t n, cap;
};

/*
 * Scan the files of one format and dedup rule (indexes idx[0..n)) and collect their rows. Rule
 * `none` makes every row its own cluster; the scan still needs a rule to keep members, and any
 * does: the fingerprints are not used then.
 */
static int scan_group(struct bilat_clusters *c, const struct bilat_clusters_opts *o,
                      const size_t *idx, size_t n, enum bilat_ev_format fmt,
                      enum bilat_ev_dedup rule, struct rawlist *raw, struct bilat_err *err)
{
    const char **paths = bilat_calloc(n, sizeof(*paths));
    if (!paths)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        paths[i] = txt(c, c->files[idx[i]].path);
    char dyad[24], from[16], to[16], quad[8];
    const char *where[4];
    size_t nw = 0;
    snprintf(dyad, sizeof(dyad), "dyad=%s:%s", c->a, c->b);
    where[nw++] = dyad;
    if (c->from[0]) {
        snprintf(from, sizeof(from), "from=%.4s%.2s%.2s", c->from, c->from + 5, c->from + 8);
        where[nw++] = from;
    }
    if (c->to[0]) {
        snprintf(to, sizeof(to), "to=%.4s%.2s%.2s", c->to, c->to + 5, c->to + 8);
        where[nw++] = to;
    }
    if (c->quad) {
        snprintf(quad, sizeof(quad), "quad=%d", c->quad);
        where[nw++] = quad;
    }
    struct bilat_scan_opts so;
    memset(&so, 0, sizeof(so));
    so.where = where;
    so.nwhere = nw;
    so.format = fmt;
    so.dedup = rule == BILAT_DEDUP_NONE ? BILAT_DEDUP_DAILY : rule;
    so.threads = o->threads;
    so.hash_files = 1;
    so.members = 1;
    struct evidfilter *idf = bilat_calloc(n, sizeof(*idf));
    if (!idf) {
        bilat_free(paths);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (c->files[idx[i]].dups) {
            idf[i].set[BILAT_EV_GDELT1] = idf[i].set[BILAT_EV_GDELT2] = &c->files[idx[i]].ids;
            idf[i].keep = true;
        }
    bilat_scan *s = NULL;
    int rc = ev_scan_for_drill(&so, paths, n, idf, &s, err);
    bilat_free(paths);
    bilat_free(idf);
    BILAT_TRY(rc);
    /* The digest decides whether a file is the one ingested. */
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct dfile *f = &c->files[idx[i]];
        struct evfile_view v;
        ev_scan_file(s, i, &v);
        char why[400];
        if (v.failure && v.format == 0 && v.rows == 0) {
            snprintf(why, sizeof(why), "cannot be read (%s)", unquoted(v.failure, txt(c, f->path)));
            rc = skip_file(c, f, FS_UNREADABLE, &o->diag, why);
        } else if (strcmp(v.sha256, txt(c, f->sha256)) != 0) {
            rc = skip_file(c, f, FS_CHANGED, &o->diag,
                           "changed since it was ingested (its SHA-256 differs)");
        } else if (v.failure) {
            /* a damaged compressed file, damaged as it was when ingested: its rows before the
             * damage are the cube's */
            snprintf(why, sizeof(why), "read in part, as when it was ingested (%s)",
                     unquoted(v.failure, txt(c, f->path)));
            rc = keeps(c, why, &f->note);
            warn(&o->diag, txt(c, f->path), "%s", why);
        }
    }
    const uint64_t root = c->root[0] ? ev_code_pack(c->root, 2) : 0;
    const size_t nm = ev_members_count(s);
    for (size_t k = 0; rc == 0 && k < nm; k++) {
        struct evmember_view m;
        ev_member(s, k, &m);
        struct dfile *f = &c->files[idx[m.file]];
        /* the cube's root code is the event code's first two characters */
        if (f->st != FS_READ || (root && (m.key[CK_CODE] & 0xffff000000000000ULL) != root))
            continue;
        if (raw->n == raw->cap) {
            size_t cap = raw->cap ? raw->cap * 2 : 256;
            struct draw *v = bilat_realloc_array(raw->v, cap, sizeof(*v));
            if (!v) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            raw->v = v;
            raw->cap = cap;
        }
        struct draw *r = &raw->v[raw->n];
        memcpy(r->key, m.key, sizeof(r->key));
        r->file = idx[m.file];
        r->line = m.line;
        r->fp = m.fp;
        if (rule == BILAT_DEDUP_NONE) {
            /* every row is a cluster: its id is a fingerprint of the row (file and line) */
            uint64_t h = m.fp ^ (m.line * 0x9e3779b97f4a7c15ULL) ^ ((uint64_t)f->id << 40);
            h ^= h >> 31;
            h *= 0xbf58476d1ce4e5b9ULL;
            h ^= h >> 29;
            r->fp = h ? h : 1;
        }
        r->has_gold = m.len[MF_GOLD] && ev_fixed_parse(m.f[MF_GOLD], m.len[MF_GOLD], &r->gold) == 0;
        if (keep(c, m.f[MF_ID], m.len[MF_ID], &r->id) < 0 ||
            keep(c, m.f[MF_URL], m.len[MF_URL], &r->url) < 0 ||
            keep(c, m.f[MF_ACTOR1], m.len[MF_ACTOR1], &r->actor1) < 0 ||
            keep(c, m.f[MF_ACTOR2], m.len[MF_ACTOR2], &r->actor2) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        raw->n++;
    }
    bilat_scan_free(s);
    return rc;
}

/* Sort the rows and make the clusters: runs of the same file, cell and fingerprint. */
static int make_clusters(struct bilat_clusters *c, struct rawlist *raw, struct bilat_err *err)
{
    if (raw->n == 0)
        return 0;
    qsort(raw->v, raw->n, sizeof(*raw->v), cmp_raw);
    c->m = bilat_calloc(raw->n, sizeof(*c->m));
    c->c = bilat_calloc(raw->n, sizeof(*c->c));
    if (!c->m || !c->c)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < raw->n; i++) {
        const struct draw *r = &raw->v[i];
        struct dcluster *cl = c->nc ? &c->c[c->nc - 1] : NULL;
        if (!cl || cl->file != r->file || cl->fp != r->fp ||
            memcmp(cl->key, r->key, sizeof(r->key)) != 0) {
            cl = &c->c[c->nc++];
            memset(cl, 0, sizeof(*cl));
            cl->fp = r->fp;
            cl->file = r->file;
            memcpy(cl->key, r->key, sizeof(r->key));
            cl->actor1 = r->actor1;
            cl->actor2 = r->actor2;
            cl->first = c->nm;
            c->files[r->file].clusters++;
        }
        cl->n++;
        if (r->has_gold) {
            cl->gold += r->gold;
            cl->ngold++;
        }
        c->m[c->nm].line = r->line;
        c->m[c->nm].id = r->id;
        c->m[c->nm].url = r->url;
        c->nm++;
        c->files[r->file].rows++;
    }
    return 0;
}

int bilat_clusters_find(bilat_db *db, const struct bilat_clusters_opts *o, bilat_clusters **out,
                        struct bilat_err *err)
{
    *out = NULL;
    struct bilat_clusters *c = bilat_calloc(1, sizeof(*c));
    if (!c)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    bilat_buf_init(&c->text);
    struct rawlist raw = {NULL, 0, 0};
    size_t *idx = NULL;
    int rc = bilat_buf_addch(&c->text, '\0') < 0 ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
                                                  : 0;
    if (rc == 0)
        rc = check_opts(o, c, err);
    if (rc == 0)
        rc = list_files(db, c, err);
    uint64_t bytes = 0;
    for (size_t i = 0; i < c->nfiles; i++)
        bytes += c->files[i].size;
    if (rc == 0 && o->max_files && c->nfiles > o->max_files)
        rc = bilat_fail(err, BILAT_ELIMIT, "%zu files hold the selection, more than the limit "
                                           "of %zu",
                        c->nfiles, o->max_files);
    if (rc == 0 && o->max_bytes && bytes > o->max_bytes)
        rc = bilat_fail(err, BILAT_ELIMIT, "the files that hold the selection have %llu MB, "
                                           "more than the limit of %llu MB",
                        (unsigned long long)(bytes >> 20),
                        (unsigned long long)(o->max_bytes >> 20));
    if (rc == 0)
        rc = check_files(c, &o->diag) < 0 ? bilat_fail(err, BILAT_ENOMEM, "out of memory") : 0;
    if (rc == 0 && c->nfiles && !(idx = bilat_calloc(c->nfiles, sizeof(*idx))))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    /* One scan per format and rule (mostly one for all): the files of the first file not yet
     * scanned that share its format and rule. */
    bool *done = NULL;
    if (rc == 0 && c->nfiles && !(done = bilat_calloc(c->nfiles, sizeof(*done))))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < c->nfiles; i++) {
        if (done[i] || c->files[i].st != FS_READ)
            continue;
        const char *fmt = txt(c, c->files[i].format);
        const char *rule = c->dedup[0] ? c->dedup : txt(c, c->files[i].dedup);
        size_t n = 0;
        for (size_t j = i; j < c->nfiles; j++) {
            const struct dfile *g = &c->files[j];
            if (!done[j] && g->st == FS_READ && strcmp(txt(c, g->format), fmt) == 0 &&
                (c->dedup[0] || strcmp(txt(c, g->dedup), rule) == 0)) {
                idx[n++] = j;
                done[j] = true;
            }
        }
        enum bilat_ev_format f = BILAT_EV_AUTO;
        enum bilat_ev_dedup d = BILAT_DEDUP_DAILY;
        if (bilat_ev_format_parse(fmt, &f) < 0)
            f = BILAT_EV_AUTO; /* 'unknown': told from the content, as the ingest did */
        if (bilat_ev_dedup_parse(rule, &d) < 0)
            d = BILAT_DEDUP_DAILY;
        rc = scan_group(c, o, idx, n, f, d, &raw, err);
    }
    if (rc == 0)
        rc = make_clusters(c, &raw, err);
    bilat_free(done);
    bilat_free(idx);
    bilat_free(raw.v);
    if (rc < 0) {
        bilat_clusters_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void bilat_clusters_free(bilat_clusters *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nfiles; i++)
        evids_release(&c->files[i].ids);
    bilat_free(c->files);
    bilat_free(c->m);
    bilat_free(c->c);
    bilat_buf_release(&c->text);
    bilat_free(c);
}

void bilat_clusters_summarize(const bilat_clusters *c, struct bilat_clusters_summary *out)
{
    memset(out, 0, sizeof(*out));
    out->files = c->nfiles;
    for (size_t i = 0; i < c->nfiles; i++) {
        out->read += c->files[i].st == FS_READ;
        out->skipped += c->files[i].st != FS_READ;
    }
    out->rows = c->nm;
    out->clusters = c->nc;
    out->cube_events = c->cube_events;
    out->cube_dedup = c->cube_dedup;
}

/* ------------------------------------------------------------------------------------------
 * Output
 * ---------------------------------------------------------------------------------------- */

/* The cell's codes and date as text. */
struct celltext {
    char day[11];
    char code[5][9]; /* actor1/2 country, actor1/2 type, event code */
    char gold[64];   /* the members' mean Goldstein value, "" when none has one */
};

static void cell_text(const struct dcluster *cl, struct celltext *t)
{
    uint32_t d = (uint32_t)cl->key[CK_DAY];
    snprintf(t->day, sizeof(t->day), "%04u-%02u-%02u", d / 10000 % 10000, d / 100 % 100,
             d % 100);
    for (int k = 0; k < 5; k++)
        ev_code_unpack(cl->key[CK_A1C + k], t->code[k]);
    t->gold[0] = '\0';
    if (cl->ngold) {
        /* the mean, rounded half away from zero at the 18th decimal: exact when the members
         * share one value, as GDELT's do (it follows the event code) */
        ev_fixed n = (ev_fixed)cl->ngold, q = cl->gold / n, r = cl->gold % n;
        if (2 * (r < 0 ? -r : r) >= n)
            q += cl->gold < 0 ? -1 : 1;
        ev_fixed_format(q, t->gold, sizeof(t->gold));
    }
}

/* A CSV field (core/csv.h) and what follows it; a failed write shows in ferror(out). */
static void put_csv(FILE *out, const char *s, bool last)
{
    csv_write_field(s, strlen(s), csv_sink_file, out);
    fputc(last ? '\n' : ',', out);
}

/* Order of members by URL, then position: the first of each URL is kept. The server formats
 * clusters on several threads at once: the comparison context is per thread. */
static _Thread_local const struct bilat_clusters *url_c; /* qsort has no context argument */
static _Thread_local const struct dmember *url_m;

static int cmp_url(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int d = strcmp(txt(url_c, url_m[a].url), txt(url_c, url_m[b].url));
    return d ? d : (a > b) - (a < b);
}

/* The cluster's distinct URLs (empty ones left out), in the order of their first row, joined by
 * spaces. */
static int distinct_urls(const struct bilat_clusters *c, const struct dcluster *cl,
                         struct bilat_buf *b)
{
    size_t *ord = bilat_calloc(cl->n, sizeof(*ord));
    bool *first = bilat_calloc(cl->n, sizeof(*first));
    int rc = ord && first ? 0 : BILAT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < cl->n; i++)
        ord[i] = i;
    if (rc == 0) {
        url_c = c;
        url_m = c->m + cl->first;
        qsort(ord, cl->n, sizeof(*ord), cmp_url);
        for (size_t i = 0; i < cl->n; i++)
            first[ord[i]] = i == 0 || strcmp(txt(c, url_m[ord[i]].url),
                                             txt(c, url_m[ord[i - 1]].url)) != 0;
    }
    bool any = false;
    for (size_t i = 0; rc == 0 && i < cl->n; i++) {
        const char *u = txt(c, c->m[cl->first + i].url);
        if (!first[i] || !*u)
            continue;
        if (any)
            rc = bilat_buf_addch(b, ' ');
        if (rc == 0)
            rc = bilat_buf_adds(b, u);
        any = true;
    }
    bilat_free(ord);
    bilat_free(first);
    return rc;
}

int bilat_clusters_write(const bilat_clusters *c, enum bilat_format format, FILE *out,
                         struct bilat_err *err)
{
    if (format != BILAT_FORMAT_CSV)
        return bilat_fail(err, BILAT_EINVAL, "clusters are written as CSV only");
    fputs("cluster,file_id,file,date,actor1,actor2,actor1_country,actor2_country,actor1_type,"
          "actor2_type,event_code,quad,goldstein,rows,event_ids,urls\n",
          out);
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->nc; i++) {
        const struct dcluster *cl = &c->c[i];
        const struct dfile *f = &c->files[cl->file];
        struct celltext t;
        cell_text(cl, &t);
        fprintf(out, "%016llx,%lld,", (unsigned long long)cl->fp, (long long)f->id);
        put_csv(out, txt(c, f->name), false);
        fprintf(out, "%s,", t.day);
        put_csv(out, txt(c, cl->actor1), false);
        put_csv(out, txt(c, cl->actor2), false);
        for (int k = 0; k < 5; k++)
            put_csv(out, t.code[k], false);
        if (cl->key[CK_QUAD])
            fprintf(out, "%d", (int)cl->key[CK_QUAD]);
        fprintf(out, ",%s,%zu,", t.gold, cl->n);
        bilat_buf_reset(&b);
        for (size_t k = 0; rc == 0 && k < cl->n; k++) {
            if (k)
                rc = bilat_buf_addch(&b, ' ');
            if (rc == 0)
                rc = bilat_buf_adds(&b, txt(c, c->m[cl->first + k].id));
        }
        if (rc == 0)
            put_csv(out, b.buf, false);
        bilat_buf_reset(&b);
        if (rc == 0)
            rc = distinct_urls(c, cl, &b);
        if (rc == 0)
            put_csv(out, b.buf, true);
    }
    bilat_buf_release(&b);
    if (rc < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (fflush(out) != 0 || ferror(out))
        return bilat_fail(err, BILAT_EIO, "cannot write the clusters");
    return 0;
}

/* A string member, or null for "". */
static json_t *jstr_or_null(const char *s)
{
    return *s ? json_string(s) : json_null();
}

static json_t *cluster_json(const struct bilat_clusters *c, const struct dcluster *cl)
{
    const struct dfile *f = &c->files[cl->file];
    struct celltext t;
    cell_text(cl, &t);
    char id[20];
    snprintf(id, sizeof(id), "%016llx", (unsigned long long)cl->fp);
    json_t *j = json_object();
    json_t *mem = json_array();
    if (!j || !mem) {
        json_decref(j);
        json_decref(mem);
        return NULL;
    }
    int bad = json_object_set_new(j, "cluster", json_string(id)) |
              json_object_set_new(j, "file_id", json_integer(f->id)) |
              json_object_set_new(j, "file", json_string(txt(c, f->name))) |
              json_object_set_new(j, "date", json_string(t.day)) |
              json_object_set_new(j, "actor1", jstr_or_null(txt(c, cl->actor1))) |
              json_object_set_new(j, "actor2", jstr_or_null(txt(c, cl->actor2))) |
              json_object_set_new(j, "actor1_country", jstr_or_null(t.code[0])) |
              json_object_set_new(j, "actor2_country", jstr_or_null(t.code[1])) |
              json_object_set_new(j, "actor1_type", jstr_or_null(t.code[2])) |
              json_object_set_new(j, "actor2_type", jstr_or_null(t.code[3])) |
              json_object_set_new(j, "event_code", jstr_or_null(t.code[4])) |
              json_object_set_new(j, "quad", cl->key[CK_QUAD] ? json_integer((json_int_t)
                                                                             cl->key[CK_QUAD])
                                                               : json_null()) |
              json_object_set_new(j, "goldstein",
                                  cl->ngold ? json_real(strtod(t.gold, NULL)) : json_null()) |
              json_object_set_new(j, "rows", json_integer((json_int_t)cl->n));
    for (size_t k = 0; !bad && k < cl->n; k++) {
        const struct dmember *m = &c->m[cl->first + k];
        json_t *e = json_pack("{s:o, s:o, s:I}", "event_id", jstr_or_null(txt(c, m->id)), "url",
                              jstr_or_null(txt(c, m->url)), "line", (json_int_t)m->line);
        bad |= json_array_append_new(mem, e);
    }
    bad |= json_object_set_new(j, "members", mem);
    if (bad) {
        json_decref(j);
        return NULL;
    }
    return j;
}

json_t *ev_clusters_doc(const bilat_clusters *c)
{
    struct bilat_clusters_summary s;
    bilat_clusters_summarize(c, &s);
    json_t *files = json_array(), *list = json_array();
    int bad = !files || !list;
    for (size_t i = 0; !bad && i < c->nfiles; i++) {
        const struct dfile *f = &c->files[i];
        json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I}", "id",
                              (json_int_t)f->id, "path", txt(c, f->path), "name",
                              txt(c, f->name), "origin", txt(c, f->origin), "format",
                              txt(c, f->format), "dedup",
                              c->dedup[0] ? c->dedup : txt(c, f->dedup), "status",
                              status_names[f->st], "note", jstr_or_null(txt(c, f->note)),
                              "rows", (json_int_t)f->rows, "clusters", (json_int_t)f->clusters);
        bad |= json_array_append_new(files, e);
    }
    for (size_t i = 0; !bad && i < c->nc; i++)
        bad |= json_array_append_new(list, cluster_json(c, &c->c[i]));
    json_t *doc = NULL;
    if (!bad)
        doc = json_pack(
            "{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I}, "
            "s:{s:I, s:I}, s:o}",
            "a", c->a, "b", c->b, "from", jstr_or_null(c->from), "to", jstr_or_null(c->to),
            "quad", c->quad ? json_integer(c->quad) : json_null(), "root", jstr_or_null(c->root),
            "origin", jstr_or_null(c->origin), "dedup", jstr_or_null(c->dedup), "files", files,
            "totals", "files", (json_int_t)s.files, "read", (json_int_t)s.read, "skipped",
            (json_int_t)s.skipped, "rows", (json_int_t)s.rows, "clusters",
            (json_int_t)s.clusters, "cube", "events", (json_int_t)s.cube_events,
            "events_dedup", (json_int_t)s.cube_dedup, "clusters", list);
    else {
        json_decref(files);
        json_decref(list);
    }
    return doc;
}

int bilat_clusters_render(const bilat_clusters *c, enum bilat_format format, char **out,
                          struct bilat_err *err)
{
    *out = NULL;
    if (format != BILAT_FORMAT_JSON && format != BILAT_FORMAT_JSON_COMPACT)
        return bilat_fail(err, BILAT_EINVAL, "clusters are rendered as JSON only (CSV: "
                                             "bilat_clusters_write())");
    json_t *doc = ev_clusters_doc(c);
    *out = doc ? table_dump(doc, format == BILAT_FORMAT_JSON_COMPACT) : NULL;
    json_decref(doc);
    return *out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}
