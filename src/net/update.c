/*
 * update.c: bilat_update_gdelt(), keeping a store current from GDELT's file lists (bilat.h,
 * "Keeping a store current"; docs/EVENTS.md, docs/STORE.md).
 *
 * A run goes:
 *   1. lock the download directory (flock: two runs never write the same part file; the lock
 *      goes with the process, kill -9 included);
 *   2. get the list (downloaded to a hidden copy in the directory, or a local file) and keep
 *      the export files of the period, one per name (a name listed twice: the later line
 *      holds);
 *   3. look each up in fetch_file (by name): a file ingested with the same size and MD5 is
 *      done; the others are wanted. In one transaction, every wanted file gets its row
 *      (status 'listed' for a new one; a file tried before keeps its status until this run's
 *      outcome), so that a run killed from here on leaves the files it did not finish as
 *      gaps in the coverage;
 *   4. a wanted file already whole in the directory (a killed run's, or put there by hand) is
 *      checked and ingested without a download; the rest are downloaded (fetch.c) into part
 *      files, each checked against the list's size and MD5 as it completes, renamed, marked
 *      'fetched', ingested with bilat_ingest_files() and marked 'ingested'.
 *
 * Why a kill at any point is safe: the ingest of a file is one transaction and is idempotent
 * (a file whose content is in the store is skipped), a file reaches its final name only once
 * its MD5 matched, and each status update is its own transaction after the step it records.
 * So a rerun finds, for any file: a part file (resumed), a whole file (checked again and
 * ingested, or skipped by the ingest if its transaction had committed), or status 'ingested'
 * (done). Files downloaded to the cache are removed once marked 'ingested'; one left behind by
 * a kill is removed by the next run.
 */
#include "bilat.h"

#include "core/alloc.h"
#include "core/err.h"
#include "core/file.h"
#include "core/hindex.h"
#include "net/fetch.h"
#include "net/masterlist.h"
#include "store/db.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A file of the period. Strings live in the run's arena. */
struct cand {
    const char *url;
    const char *name;
    int64_t size;
    char md5[33];
    uint64_t slot;      /* YYYYMMDDHHMMSS, 0 unknown */
    char prev[10];      /* fetch_file.status before this run, "" when it had no row */
    int done;           /* ingested before with this size and MD5 */
    const char *refuse; /* why it is not fetched at all, or NULL */
    char *dest;         /* dir/name (heap: fetch jobs keep it) */
};

struct run {
    bilat_db *db; /* NULL in a dry run without a store */
    const struct bilat_update_opts *o;
    struct bilat_update_stats st;
    struct bilat_arena arena;
    struct cand *c; /* the period's files, in list order */
    size_t n, cap;
    struct bilat_hindex by_name; /* the files by name (core/hindex.h) */
    uint64_t since, until; /* period (YYYYMMDDHHMMSS); until 0 = open */
    int period;            /* since or until given */
    const char *base;      /* what relative URLs in the list are relative to */
    const char *shown;     /* the list as the user named it (in messages) */
    int tmp_list;          /* the list was downloaded to a temporary file (dry run) */
    char dir[PATH_MAX];    /* the download directory, absolute */
    struct bilat_update_progress pg;
    uint64_t done_base; /* pg.bytes_done of the batches before this one */
    uint64_t recv_base; /* pg.received of the batches before this one */
    double t0;          /* when the downloads began */
    int64_t run_id;     /* fetch_run row */
};

static void utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* A message about a line of the list. */
static void say_at(const struct run *r, uint64_t line, const char *fmt, ...) BILAT_PRINTF(3, 4);

static void say_at(const struct run *r, uint64_t line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(&r->o->diag, BILAT_LOG_WARNING, r->shown, line, fmt, ap);
    va_end(ap);
}

static void say(const struct run *r, enum bilat_level lv, const char *fmt, ...) BILAT_PRINTF(3, 4);

static void say(const struct run *r, enum bilat_level lv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(&r->o->diag, lv, NULL, 0, fmt, ap);
    va_end(ap);
}

/* ------------------------------------------------------------------------------------------
 * The period's files: a vector with a hash index by name
 *
 * A file is known by its name, GDELT's identity of a published file (its slot and kind):
 * the same name at another URL (a mirror, https instead of http) is the same file, and a name
 * listed twice is one file, as the later line gives it.
 * ---------------------------------------------------------------------------------------- */

static uint64_t name_hash(const char *name)
{
    return bilat_hash_bytes(0, name, strlen(name));
}

static uint64_t cand_hash(const void *ctx, size_t i)
{
    return name_hash(((const struct cand *)ctx)[i].name);
}

/* A name looked for among the files. */
struct nkey {
    const struct cand *c;
    const char *name;
};

static bool cand_same(const void *ctx, size_t i)
{
    const struct nkey *k = ctx;
    return strcmp(k->c[i].name, k->name) == 0;
}

static int on_entry(void *ctx, const struct ml_entry *e, uint64_t line, struct bilat_err *err)
{
    struct run *r = ctx;
    if (e->kind == ML_MENTIONS) {
        r->st.mentions++;
        return 0;
    }
    if (e->kind == ML_GKG) {
        r->st.gkg++;
        return 0;
    }
    if (r->period) {
        if (!e->slot) {
            r->st.undated++;
            return 0;
        }
        if (e->slot < r->since || (r->until && e->slot > r->until)) {
            r->st.outside++;
            return 0;
        }
    }
    char *abs = NULL;
    const char *url = e->url;
    if (!fetch_is_url(url)) {
        struct bilat_err e2 = {0};
        int rr = fetch_resolve_url(r->base, url, &abs, &e2);
        if (rr == BILAT_ENOMEM)
            return bilat_fail(err, rr, "out of memory");
        if (rr < 0) {
            /* a line like any bad one: reported with its number, the rest of the list goes on */
            r->st.bad_lines++;
            say_at(r, line, "%s", e2.msg);
            return 0;
        }
        url = abs;
    }
    int rc = 0;
    if (!r->by_name.slot && bilat_hindex_init(&r->by_name, 1024) < 0) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    const struct nkey k = {r->c, e->name};
    uint64_t h = name_hash(e->name);
    size_t slot, ix = bilat_hindex_find(&r->by_name, h, cand_same, &k, &slot);
    struct cand *c;
    if (ix != BILAT_HINDEX_NONE) {
        /* listed again: the later line holds */
        c = &r->c[ix];
        r->st.duplicates++;
    } else {
        if (r->n == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : 256;
            struct cand *v = bilat_realloc_array(r->c, cap, sizeof(*v));
            if (!v) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                goto out;
            }
            r->c = v, r->cap = cap;
        }
        c = &r->c[r->n];
        memset(c, 0, sizeof(*c));
        c->name = bilat_arena_strndup(&r->arena, e->name, strlen(e->name));
        if (!c->name) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        if (bilat_hindex_put(&r->by_name, slot, h, r->n, cand_hash, r->c) < 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        r->n++;
    }
    c->url = bilat_arena_strndup(&r->arena, url, strlen(url));
    if (!c->url) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    c->size = e->size;
    memcpy(c->md5, e->md5, sizeof(c->md5));
    c->slot = e->slot;
out:
    bilat_free(abs);
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * The store: fetch_file and fetch_run
 * ---------------------------------------------------------------------------------------- */

/* Set a file's status (and reason, attempts, path) in its own transaction. */
static int set_status(struct run *r, const struct cand *c, const char *status, const char *reason,
                      int attempts, const char *path, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    utc_now(now, sizeof(now));
    BILAT_TRY(store_prepare(r->db,
                            "UPDATE fetch_file SET status = ?2, reason = ?3, "
                            "attempts = attempts + ?4, tried_at = ?5, path = ?6, kept = ?7 "
                            "WHERE name = ?1",
                            &st, err));
    store_bind_text(st, 1, c->name, -1);
    store_bind_text(st, 2, status, -1);
    store_bind_text(st, 3, reason, -1);
    sqlite3_bind_int(st, 4, attempts);
    store_bind_text(st, 5, now, -1);
    store_bind_text(st, 6, path, -1);
    sqlite3_bind_int(st, 7, path && r->o->keep);
    int rc = store_step_done(r->db, st, "cannot record a fetched file", err);
    sqlite3_finalize(st);
    return rc;
}

/* What the store knows of each file: which are done, which are refused. */
static int look_up(struct run *r, struct bilat_err *err)
{
    sqlite3_stmt *q = NULL, *old = NULL;
    int rc = store_prepare(
        r->db, "SELECT status, size, md5, file_id FROM fetch_file WHERE name = ?1", &q, err);
    if (rc == 0)
        rc = store_prepare(r->db, "SELECT path FROM ingest_file WHERE id = ?1", &old, err);
    for (size_t i = 0; rc == 0 && i < r->n; i++) {
        struct cand *c = &r->c[i];
        store_bind_text(q, 1, c->name, -1);
        int s = sqlite3_step(q);
        if (s == SQLITE_ROW) {
            snprintf(c->prev, sizeof(c->prev), "%s", (const char *)sqlite3_column_text(q, 0));
            int same = sqlite3_column_int64(q, 1) == c->size &&
                       strcmp((const char *)sqlite3_column_text(q, 2), c->md5) == 0;
            int64_t file_id = sqlite3_column_int64(q, 3);
            c->done = same && strcmp(c->prev, "ingested") == 0;
            if (!c->done && file_id) {
                /* Ingested once, wanted again: GDELT changed the file. Its new version
                 * replaces the old one only at the same path (bilat_ingest_files());
                 * anywhere else both would count. */
                sqlite3_bind_int64(old, 1, file_id);
                if (sqlite3_step(old) == SQLITE_ROW) {
                    const char *p = (const char *)sqlite3_column_text(old, 0);
                    size_t dl = strlen(r->dir);
                    if (p && !(strncmp(p, r->dir, dl) == 0 && p[dl] == '/' &&
                               strcmp(p + dl + 1, c->name) == 0)) {
                        char msg[PATH_MAX + 200];
                        snprintf(msg, sizeof(msg),
                                 "an earlier version was ingested from '%s': download it to "
                                 "that directory (--keep) to replace it",
                                 p);
                        c->refuse = bilat_arena_strndup(&r->arena, msg, strlen(msg));
                        if (!c->refuse)
                            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                    }
                }
                sqlite3_reset(old);
            }
        } else if (s != SQLITE_DONE) {
            rc = store_fail(r->db, err, s, "cannot read fetch_file");
        }
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    sqlite3_finalize(old);
    return rc;
}

/* Record the wanted files ('listed' for new ones) and the run, in one transaction. */
static int record_wanted(struct run *r, struct bilat_err *err)
{
    char now[32], a[20], b[20];
    utc_now(now, sizeof(now));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_begin(r->db, err));
    int rc = store_prepare(
        r->db,
        "INSERT INTO fetch_file(url, name, origin, kind, slot, size, md5, status, listed_at) "
        "VALUES (?1, ?2, 'gdelt', 'export', ?3, ?4, ?5, 'listed', ?6) "
        "ON CONFLICT(name) DO UPDATE SET "
        "  reason = CASE WHEN size <> excluded.size OR md5 <> excluded.md5 "
        "    THEN 'the list changed: it said ' || size || ' bytes, MD5 ' || md5 ELSE reason END, "
        "  status = CASE WHEN status = 'ingested' THEN 'listed' ELSE status END, "
        "  url = excluded.url, slot = excluded.slot, size = excluded.size, md5 = excluded.md5",
        &st, err);
    for (size_t i = 0; rc == 0 && i < r->n; i++) {
        const struct cand *c = &r->c[i];
        if (c->done)
            continue;
        char slot[20];
        if (c->slot)
            ml_slot_text(c->slot, slot);
        store_bind_text(st, 1, c->url, -1);
        store_bind_text(st, 2, c->name, -1);
        store_bind_text(st, 3, c->slot ? slot : NULL, -1);
        sqlite3_bind_int64(st, 4, c->size);
        store_bind_text(st, 5, c->md5, -1);
        store_bind_text(st, 6, now, -1);
        rc = store_step_done(r->db, st, "cannot record the listed files", err);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == 0)
        rc = store_prepare(r->db,
                           "INSERT INTO fetch_run(source, since, until, started_at, listed, "
                           "wanted) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           &st, err);
    if (rc == 0) {
        if (r->since)
            ml_slot_text(r->since, a);
        if (r->until)
            ml_slot_text(r->until, b);
        store_bind_text(st, 1, r->o->source ? r->o->source : BILAT_GDELT_MASTER_LIST, -1);
        store_bind_text(st, 2, r->since ? a : NULL, -1);
        store_bind_text(st, 3, r->until ? b : NULL, -1);
        store_bind_text(st, 4, now, -1);
        sqlite3_bind_int64(st, 5, (sqlite3_int64)r->st.listed);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)r->st.wanted);
        rc = store_step_done(r->db, st, "cannot record the run", err);
        r->run_id = sqlite3_last_insert_rowid(r->db->db);
    }
    sqlite3_finalize(st);
    if (rc == 0)
        rc = store_exec(r->db, "COMMIT", err);
    if (rc < 0)
        sqlite3_exec(r->db->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

static int finish_run(struct run *r, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    char now[32];
    utc_now(now, sizeof(now));
    BILAT_TRY(store_prepare(r->db,
                            "UPDATE fetch_run SET finished_at = ?2, ingested = ?3, known = ?4, "
                            "failed = ?5, rejected = ?6 WHERE id = ?1",
                            &st, err));
    sqlite3_bind_int64(st, 1, r->run_id);
    store_bind_text(st, 2, now, -1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)r->st.ingested);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)r->st.known);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)r->st.failed);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)r->st.rejected);
    int rc = store_step_done(r->db, st, "cannot record the run", err);
    sqlite3_finalize(st);
    return rc;
}

/* Remove the cached copies of ingested files that a killed run left behind. */
static int clean_cache(struct run *r, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(r->db,
                            "SELECT name, path FROM fetch_file WHERE status = 'ingested' AND "
                            "kept = 0 AND path IS NOT NULL",
                            &st, err));
    int rc = 0, s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        unlink((const char *)sqlite3_column_text(st, 1));
    if (s != SQLITE_DONE)
        rc = store_fail(r->db, err, s, "cannot read fetch_file");
    sqlite3_finalize(st);
    if (rc == 0)
        rc = store_exec(r->db,
                        "UPDATE fetch_file SET path = NULL WHERE status = 'ingested' AND "
                        "kept = 0 AND path IS NOT NULL",
                        err);
    return rc;
}

/* ------------------------------------------------------------------------------------------
 * Checking and ingesting one file
 * ---------------------------------------------------------------------------------------- */

static void report_file(struct run *r, const struct cand *c, const char *status, const char *reason,
                        const char *path, uint64_t rows)
{
    if (!r->o->file_cb)
        return;
    char slot[20];
    if (c->slot)
        ml_slot_text(c->slot, slot);
    struct bilat_update_file f = {
        .url = c->url,
        .name = c->name,
        .slot = c->slot ? slot : NULL,
        .size = c->size,
        .md5 = c->md5,
        .previous = c->prev[0] ? c->prev : NULL,
        .status = status,
        .reason = reason,
        .path = path,
        .rows = rows,
    };
    r->o->file_cb(r->o->ctx, &f);
}

/* Why a file is not fetched at all (into buf), or NULL. */
static const char *refusal(const struct cand *c, char *buf, size_t cap)
{
    if (!c->refuse)
        return NULL;
    snprintf(buf, cap, "%s", c->refuse);
    return buf;
}

/* A file that failed or was rejected: recorded, reported, tried again by the next run. */
static int give_up(struct run *r, const struct cand *c, int rejected, const char *reason,
                   int attempts, struct bilat_err *err)
{
    if (rejected) {
        r->st.rejected++;
        say(r, BILAT_LOG_ERROR, "%s: rejected: %s; not ingested, tried again by the next run",
            c->name, reason);
    } else {
        r->st.failed++;
        say(r, BILAT_LOG_ERROR, "%s: cannot fetch '%s': %s; tried again by the next run", c->name,
            c->url, reason);
    }
    report_file(r, c, rejected ? "rejected" : "failed", reason, NULL, 0);
    return set_status(r, c, rejected ? "rejected" : "failed", reason, attempts, NULL, err);
}

/* Compare a file with the list: 1 same size and MD5, 0 different (why says how), -1 cannot
 * read it (why says why); BILAT_ENOMEM (in err). */
static int check_file(const struct cand *c, const char *path, char *why, size_t cap,
                      struct bilat_err *err)
{
    char md5[33];
    uint64_t size = 0;
    struct bilat_err e = {0};
    int rc = fetch_md5_file(path, md5, &size, &e);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    if (rc < 0) {
        snprintf(why, cap, "%s", e.msg);
        return -1;
    }
    if ((int64_t)size != c->size) {
        snprintf(why, cap, "size differs: the list says %lld bytes, the file has %llu",
                 (long long)c->size, (unsigned long long)size);
        return 0;
    }
    if (strcmp(md5, c->md5) != 0) {
        snprintf(why, cap, "MD5 differs: the list says %s, the file has %s", c->md5, md5);
        return 0;
    }
    return 1;
}

/* Ingest a checked file at c->dest and record the outcome. */
static int ingest(struct run *r, const struct cand *c, int attempts, struct bilat_err *err)
{
    BILAT_TRY(set_status(r, c, "fetched", NULL, attempts, c->dest, err));
    struct bilat_ingest_opts io = r->o->ingest;
    io.origin = "gdelt";
    io.file_cb = NULL;
    struct bilat_ingest_stats ist;
    memset(&ist, 0, sizeof(ist));
    const char *files[1] = {c->dest};
    BILAT_TRY(bilat_ingest_files(r->db, &io, files, 1, &ist, err));
    /* the ingest_file row of this path (none when the content was known under another) */
    char abs[PATH_MAX];
    const char *p = realpath(c->dest, abs) ? abs : c->dest;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(r->db,
                            "SELECT id, rows_read, rows_rejected FROM ingest_file "
                            "WHERE path = ?1",
                            &st, err));
    store_bind_text(st, 1, p, -1);
    int s = sqlite3_step(st);
    int64_t file_id = 0, rows = 0, bad = 0;
    if (s == SQLITE_ROW) {
        file_id = sqlite3_column_int64(st, 0);
        rows = sqlite3_column_int64(st, 1);
        bad = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_fail(r->db, err, s, "cannot read ingest_file");
    const char *status = "ingested", *reason = NULL, *told = "ingested";
    if (ist.files || (ist.skipped && file_id)) {
        /* ingested now, or by a run stopped before it could record it (same path) */
        r->st.ingested++;
        r->st.rows += (uint64_t)rows;
        r->st.rows_rejected += (uint64_t)bad;
    } else if (ist.skipped || ist.duplicates) {
        /* its content was known: the same path, or another file's (bilat_ingest_files()) */
        r->st.known++;
        told = "known";
        reason = "its content was in the store already";
    } else {
        /* neither ingested nor known: not an event file (the ingest said why) */
        status = "failed";
        reason = "not ingested: not an event file bilat can read";
        r->st.failed++;
        say(r, BILAT_LOG_ERROR, "%s: %s; tried again by the next run", c->name, reason);
    }
    BILAT_TRY(store_prepare(r->db,
                            "UPDATE fetch_file SET status = ?2, reason = ?3, file_id = ?4, "
                            "ingested_at = CASE WHEN ?2 = 'ingested' THEN ?5 END WHERE name = ?1",
                            &st, err));
    char now[32];
    utc_now(now, sizeof(now));
    store_bind_text(st, 1, c->name, -1);
    store_bind_text(st, 2, status, -1);
    store_bind_text(st, 3, reason, -1);
    if (file_id)
        sqlite3_bind_int64(st, 4, file_id);
    store_bind_text(st, 5, now, -1);
    int rc = store_step_done(r->db, st, "cannot record an ingested file", err);
    sqlite3_finalize(st);
    BILAT_TRY(rc);
    report_file(r, c, status[0] == 'f' ? status : told, reason, r->o->keep ? c->dest : NULL,
                (uint64_t)rows);
    if (!r->o->keep) {
        unlink(c->dest);
        BILAT_TRY(
            store_prepare(r->db, "UPDATE fetch_file SET path = NULL WHERE name = ?1", &st, err));
        store_bind_text(st, 1, c->name, -1);
        rc = store_step_done(r->db, st, "cannot record a removed file", err);
        sqlite3_finalize(st);
    }
    return rc;
}

/* A download finished (fetch.c calls this in its loop). */
static int on_done(void *ctx, struct fetch_job *j, struct bilat_err *err)
{
    struct run *r = ctx;
    struct cand *c = j->user;
    r->pg.files_done++;
    if (j->state != FETCH_OK)
        return give_up(r, c, j->state == FETCH_REJECTED, j->reason, j->attempts, err);
    char why[320];
    int ok = check_file(c, j->part, why, sizeof(why), err);
    if (ok == BILAT_ENOMEM)
        return ok;
    if (ok <= 0) {
        if (ok == 0)
            unlink(j->part); /* a wrong file is downloaded again, not resumed */
        return give_up(r, c, ok == 0, why, j->attempts, err);
    }
    if (rename(j->part, c->dest) != 0) {
        snprintf(why, sizeof(why), "cannot rename '%s': %s", j->part, strerror(errno));
        return give_up(r, c, 0, why, j->attempts, err);
    }
    r->st.fetched++;
    r->st.fetched_bytes += (uint64_t)c->size;
    return ingest(r, c, j->attempts, err);
}

static void on_tick(void *ctx, uint64_t done, uint64_t received)
{
    struct run *r = ctx;
    r->pg.bytes_done = r->done_base + done;
    r->pg.received = r->recv_base + received;
    r->st.received = r->pg.received;
    r->pg.elapsed = now_s() - r->t0;
    if (r->o->progress)
        r->o->progress(r->o->ctx, &r->pg);
}

/* ------------------------------------------------------------------------------------------
 * The run
 * ---------------------------------------------------------------------------------------- */

/* mkdir -p */
static int make_dirs(const char *path, struct bilat_err *err)
{
    char p[PATH_MAX];
    if (snprintf(p, sizeof(p), "%s", path) >= (int)sizeof(p))
        return bilat_fail(err, BILAT_EINVAL, "directory name too long: '%s'", path);
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s)
            continue;
        char keep = *s;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return bilat_fail_at(err, BILAT_EIO, path, 0, "cannot create directory '%s': %s", p,
                                 strerror(errno));
        *s = keep;
        if (!keep)
            break;
    }
    if (!bilat_file_is_dir(path))
        return bilat_fail_at(err, BILAT_EIO, path, 0, "'%s' is not a directory", path);
    return 0;
}

/* Get the list: a local file as it is, a URL downloaded to a hidden copy in the directory. */
static int get_list(struct run *r, char *path, size_t cap, struct bilat_err *err)
{
    const char *src = r->o->source ? r->o->source : BILAT_GDELT_MASTER_LIST;
    if (!fetch_is_url(src)) {
        snprintf(path, cap, "%s", src);
        return 0;
    }
    if (r->o->dry_run) {
        /* a dry run writes nothing in the directory: a temporary copy, removed once read */
        const char *tmp = getenv("TMPDIR");
        snprintf(path, cap, "%s/bilat-list-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        int fd = mkstemp(path);
        if (fd < 0)
            return bilat_fail(err, BILAT_EIO, "cannot create a temporary file '%s': %s", path,
                              strerror(errno));
        close(fd);
        r->tmp_list = 1;
    } else {
        size_t end = strcspn(src, "?#"), b = end;
        while (b > 0 && src[b - 1] != '/')
            b--;
        char name[200];
        snprintf(name, sizeof(name), ".list-%.*s", (int)(end - b < 150 ? end - b : 150), src + b);
        if (end == b)
            snprintf(name, sizeof(name), ".list");
        snprintf(path, cap, "%s/%s", r->dir, name);
    }
    struct fetch_job j;
    memset(&j, 0, sizeof(j));
    j.url = src;
    j.dest = path;
    j.size = -1;
    struct fetch_opts fo = {
        1,    r->o->retries, r->o->retry_wait, r->o->timeout > 0 ? r->o->timeout : 60, NULL,
        NULL, NULL};
    int rc = fetch_run(&j, 1, &fo, err);
    if (rc == 0 && j.state != FETCH_OK)
        rc = bilat_fail(err, BILAT_EIO, "cannot fetch the file list '%s': %s", src, j.reason);
    if (rc == 0 && rename(j.part, path) != 0)
        rc = bilat_fail(err, BILAT_EIO, "cannot rename '%s': %s", j.part, strerror(errno));
    if (rc < 0 && j.part)
        unlink(j.part);
    if (rc < 0 && r->tmp_list)
        unlink(path);
    fetch_job_release(&j);
    return rc;
}

static int parse_kinds(const char *kinds, struct bilat_err *err)
{
    if (!kinds)
        return 0;
    const char *p = kinds;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n != 6 || strncmp(p, "export", 6) != 0)
            return bilat_fail(err, BILAT_EINVAL,
                              "unknown kind '%.*s': only 'export' files are event tables (the "
                              "mentions and gkg files are not)",
                              (int)n, p);
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* The options' period; BILAT_EINVAL when an option is bad. */
static int check_opts(const struct bilat_update_opts *o, uint64_t *since, uint64_t *until,
                      struct bilat_err *err)
{
    BILAT_TRY(parse_kinds(o->kinds, err));
    *since = *until = 0;
    if (o->since && ml_parse_time(o->since, 0, since) < 0)
        return bilat_fail(err, BILAT_EINVAL,
                          "bad date '%s' for --since (YYYY-MM-DD, YYYY-MM-DDTHH:MM, ...)",
                          o->since);
    if (o->until && ml_parse_time(o->until, 1, until) < 0)
        return bilat_fail(err, BILAT_EINVAL,
                          "bad date '%s' for --until (YYYY-MM-DD, YYYY-MM-DDTHH:MM, ...)",
                          o->until);
    if (*since && *until && *since > *until)
        return bilat_fail(err, BILAT_EINVAL, "--since %s is after --until %s", o->since, o->until);
    if (!o->dir || !*o->dir)
        return bilat_fail(err, BILAT_EINVAL, "no download directory given");
    if (o->retries < 0 || o->retries > 100)
        return bilat_fail(err, BILAT_EINVAL, "retries must be 0 to 100, got %d", o->retries);
    if (!(o->retry_wait >= 0 && o->retry_wait <= 3600))
        return bilat_fail(err, BILAT_EINVAL, "the wait before a retry must be 0 to 3600 s");
    if (o->timeout < 0 || o->timeout > 86400)
        return bilat_fail(err, BILAT_EINVAL, "the timeout must be 1 to 86400 s (0: default)");
    if (o->parallel < 0 || o->parallel > 16)
        return bilat_fail(err, BILAT_EINVAL, "transfers at a time must be 1 to 16 (0: default)");
    return 0;
}

int bilat_update_check(const struct bilat_update_opts *o, struct bilat_err *err)
{
    uint64_t a, b;
    return check_opts(o, &a, &b, err);
}

/* Check the options and set up the period, the directory and the list's base. */
static int setup(struct run *r, char *base, size_t cap, struct bilat_err *err)
{
    const struct bilat_update_opts *o = r->o;
    BILAT_TRY(check_opts(o, &r->since, &r->until, err));
    r->period = o->since || o->until;
    const char *src = o->source ? o->source : BILAT_GDELT_MASTER_LIST;
    if (fetch_is_url(src)) {
        snprintf(base, cap, "%s", src);
    } else {
        char abs[PATH_MAX];
        if (!realpath(src, abs))
            return bilat_fail_at(err, errno == ENOENT ? BILAT_ENOTFOUND : BILAT_EIO, src, 0,
                                 "cannot open the file list '%s': %s", src, strerror(errno));
        snprintf(base, cap, "file://%s", abs);
    }
    r->base = base;
    if (o->dry_run && !bilat_file_is_dir(o->dir)) {
        /* not made by a dry run: its name is only compared with recorded paths */
        char cwd[PATH_MAX];
        if (o->dir[0] == '/' || !getcwd(cwd, sizeof(cwd)))
            snprintf(r->dir, sizeof(r->dir), "%s", o->dir);
        else
            snprintf(r->dir, sizeof(r->dir), "%.*s/%s", PATH_MAX / 2, cwd, o->dir);
        return 0;
    }
    BILAT_TRY(make_dirs(o->dir, err));
    if (!realpath(o->dir, r->dir))
        return bilat_fail_at(err, BILAT_EIO, o->dir, 0, "cannot resolve '%s': %s", o->dir,
                             strerror(errno));
    return 0;
}

/* Take the lock of the download directory; *fd_out holds it (close() releases it). */
static int lock_dir(struct run *r, int *fd_out, struct bilat_err *err)
{
    char p[PATH_MAX + 32];
    snprintf(p, sizeof(p), "%s/.bilat-update.lock", r->dir);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return bilat_fail_at(err, BILAT_EIO, p, 0, "cannot create '%s': %s", p, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        close(fd);
        return bilat_fail(err, BILAT_EIO, "'%s' is in use by another 'bilat update'%s%s", r->dir,
                          e == EWOULDBLOCK ? "" : ": ", e == EWOULDBLOCK ? "" : strerror(e));
    }
    *fd_out = fd;
    return 0;
}

/* dir/name into `c->dest` (heap, freed with the batch). */
static int set_dest(const struct run *r, struct cand *c)
{
    size_t dl = strlen(r->dir), nl = strlen(c->name);
    c->dest = bilat_malloc(dl + nl + 2);
    if (!c->dest)
        return BILAT_ENOMEM;
    memcpy(c->dest, r->dir, dl);
    c->dest[dl] = '/';
    memcpy(c->dest + dl + 1, c->name, nl + 1);
    return 0;
}

/*
 * Fetch and ingest the wanted files, in batches of FETCH_BATCH (a whole master list wants
 * hundreds of thousands of files: their jobs are not all held at once; between batches the
 * two transfers at a time wait for the slower one, a negligible loss).
 */
enum { FETCH_BATCH = 256 };

static int fetch_wanted(struct run *r, struct bilat_err *err)
{
    for (size_t i = 0; i < r->n; i++)
        if (!r->c[i].done && !r->c[i].refuse) {
            r->pg.files++;
            r->pg.bytes += (uint64_t)r->c[i].size;
        }
    struct fetch_job *jobs = bilat_alloc_array(FETCH_BATCH, sizeof(*jobs));
    if (!jobs)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct fetch_opts fo = {r->o->parallel > 0 ? r->o->parallel : 2,
                            r->o->retries,
                            r->o->retry_wait,
                            r->o->timeout > 0 ? r->o->timeout : 60,
                            on_done,
                            on_tick,
                            r};
    r->t0 = now_s();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < r->n;) {
        size_t nj = 0, first = i;
        for (; rc == 0 && i < r->n && nj < FETCH_BATCH; i++) {
            struct cand *c = &r->c[i];
            if (c->done)
                continue;
            if (c->refuse) {
                char why[PATH_MAX + 300];
                rc = give_up(r, c, 0, refusal(c, why, sizeof(why)), 0, err);
                continue;
            }
            if (set_dest(r, c) < 0) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            struct stat sb;
            if (stat(c->dest, &sb) == 0 && S_ISREG(sb.st_mode)) {
                /* whole already: left by a killed run, or put there by hand */
                char why[320];
                int ok = check_file(c, c->dest, why, sizeof(why), err);
                if (ok == BILAT_ENOMEM) {
                    rc = ok;
                    break;
                }
                if (ok == 1) {
                    r->st.found++;
                    r->pg.files_done++;
                    r->done_base += (uint64_t)c->size;
                    rc = ingest(r, c, 0, err);
                    continue;
                }
            }
            memset(&jobs[nj], 0, sizeof(jobs[nj]));
            jobs[nj].url = c->url;
            jobs[nj].dest = c->dest;
            jobs[nj].size = c->size;
            jobs[nj].resume = 1;
            jobs[nj].user = c;
            nj++;
        }
        if (rc == 0 && nj)
            rc = fetch_run(jobs, nj, &fo, err);
        for (size_t k = 0; k < nj; k++) {
            r->done_base += (uint64_t)jobs[k].size;
            fetch_job_release(&jobs[k]);
        }
        r->recv_base = r->st.received;
        for (size_t k = first; k < i; k++) {
            bilat_free(r->c[k].dest);
            r->c[k].dest = NULL;
        }
    }
    bilat_free(jobs);
    return rc;
}

int bilat_update_gdelt(bilat_db *db, const struct bilat_update_opts *o,
                       struct bilat_update_stats *stats_out, struct bilat_err *err)
{
    struct run r;
    memset(&r, 0, sizeof(r));
    r.db = db;
    r.o = o;
    r.arena = (struct bilat_arena)BILAT_ARENA_INIT;
    int lock = -1;
    char base[PATH_MAX + 16], list[PATH_MAX + 220];
    int rc = 0;
    int curl = 0;
    if (!db && !o->dry_run) {
        rc = bilat_fail(err, BILAT_EINVAL, "no store to update");
        goto out;
    }
    if ((rc = fetch_global_init(err)) < 0)
        goto out;
    curl = 1;
    /* a dry run writes nothing in the directory, and runs beside a real one */
    if ((rc = setup(&r, base, sizeof(base), err)) < 0 ||
        (!o->dry_run && (rc = lock_dir(&r, &lock, err)) < 0) ||
        (rc = get_list(&r, list, sizeof(list), err)) < 0)
        goto out;
    struct ml_stats ms;
    r.shown = o->source ? o->source : BILAT_GDELT_MASTER_LIST;
    rc = ml_read(list, r.shown, on_entry, &r, &o->diag, &ms, err);
    if (r.tmp_list)
        unlink(list);
    r.st.lines = ms.lines;
    r.st.bad_lines += ms.bad;
    if (rc < 0)
        goto out;
    r.st.listed = r.n;
    for (size_t i = 0; i < r.n; i++) {
        uint64_t s = r.c[i].slot;
        if (s && (!r.st.first_slot || s < r.st.first_slot))
            r.st.first_slot = s;
        if (s > r.st.last_slot)
            r.st.last_slot = s;
    }
    if (db && o->dry_run) {
        /* a store from before fetch_file, opened read-only, has fetched nothing */
        int64_t has = 0;
        if ((rc = store_query_int(db,
                                  "SELECT count(*) FROM sqlite_schema WHERE name = "
                                  "'fetch_file'",
                                  NULL, &has, err)) < 0)
            goto out;
        if (!has)
            r.db = NULL;
    }
    if (r.db && (rc = look_up(&r, err)) < 0)
        goto out;
    for (size_t i = 0; i < r.n; i++) {
        if (r.c[i].done) {
            r.st.in_store++;
            continue;
        }
        r.st.wanted++;
        r.st.wanted_bytes += (uint64_t)r.c[i].size;
        r.st.tried_before += r.c[i].prev[0] != '\0';
        if (o->dry_run) {
            char why[PATH_MAX + 300];
            report_file(&r, &r.c[i], "wanted", refusal(&r.c[i], why, sizeof(why)), NULL, 0);
        }
    }
    if (o->dry_run)
        goto out;
    if ((rc = clean_cache(&r, err)) < 0 || (rc = record_wanted(&r, err)) < 0 ||
        (rc = fetch_wanted(&r, err)) < 0)
        goto out;
    rc = finish_run(&r, err);
out:
    if (curl)
        fetch_global_cleanup();
    if (lock >= 0)
        close(lock);
    for (size_t i = 0; i < r.n; i++)
        bilat_free(r.c[i].dest);
    bilat_free(r.c);
    bilat_hindex_release(&r.by_name);
    bilat_arena_release(&r.arena);
    if (stats_out)
        *stats_out = r.st;
    return rc;
}
