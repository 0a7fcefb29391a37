/*
 * evstore.c: `bilat ingest gdelt|icews`: event files into the store's event cube
 * (bilat.h, "Event files"; docs/EVENTS.md, docs/STORE.md).
 *
 * Each file is scanned on its own with the cube's keys (day, actor countries and types, event
 * code, quad), its SHA-256 computed on the way, then written in one transaction: its
 * ingest_file row, its event_cube rows and its ingest_coverage rows. A file whose SHA-256 is
 * recorded already is skipped; a file at the same path with other content (a re-downloaded
 * export) replaces the earlier one, cube rows included. Because a file is one transaction, a
 * run stopped at any point (kill -9 included) leaves every file either fully in the store or
 * not at all, and the next run picks up the rest.
 *
 * Cube rows are kept per file (file_id), so that replacing or removing a file is a DELETE and
 * no cell is ever updated in place; queries sum over files. Rows are inserted in the order of
 * the cube's index, which keeps SQLite's B-tree appends local.
 */
#include "ingest/events.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void iso_day(uint32_t ymd, char out[11])
{
    /* YYYYMMDD -> YYYY-MM-DD (dates are checked when read: 4-digit years) */
    static const int pos[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 7; i >= 0; i--, ymd /= 10)
        out[pos[i]] = (char)('0' + ymd % 10);
    out[4] = out[7] = '-';
    out[10] = '\0';
}

static void utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void bilat_ingest_scan_opts(const struct bilat_ingest_opts *o, struct bilat_scan_opts *out)
{
    *out = o->scan;
    out->by = ev_cube_keys;
    out->where = NULL;
    out->nwhere = 0;
    out->hash_files = 1;
    out->memory = o->scan.memory == 0          ? BILAT_INGEST_MEMORY
                  : o->scan.memory == SIZE_MAX ? 0
                                               : o->scan.memory;
}

int bilat_ingest_known(bilat_db *db, const char *sha256, struct bilat_err *err)
{
    int64_t n = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM ingest_file WHERE sha256 = ?1", sha256,
                              &n, err));
    return n > 0;
}

enum {
    CUBE_BATCH = 32, /* cube rows per INSERT statement */
    CUBE_COLS = 18,  /* columns of an event_cube row */
};

/* One cube row waiting for its INSERT: the cell, and its text, alive until the statement is
 * stepped (values are bound without a copy). */
struct cellrow {
    uint64_t key[7];  /* day, actor1/2 country, actor1/2 type, event code, quad */
    struct evmeas m;  /* measures, dedup counted */
    char day[11];
    char code[6][9];  /* actor1/2 country and type, event code, root code */
    size_t len[6];
};

/* Bind one cube row at parameters base+1 .. base+18. */
static void bind_cell(sqlite3_stmt *st, int base, int64_t file_id, bool dedup, struct cellrow *t)
{
    const uint64_t *k = t->key;
    const struct evmeas *m = &t->m;
    iso_day((uint32_t)k[0], t->day);
    const uint64_t codes[6] = {k[1], k[2], k[3], k[4], k[5], k[5] & 0xffff000000000000ULL};
    sqlite3_bind_int64(st, base + 1, file_id);
    sqlite3_bind_text(st, base + 2, t->day, 10, SQLITE_STATIC);
    for (int c = 0; c < 6; c++) {
        t->len[c] = ev_code_unpack(codes[c], t->code[c]);
        if (t->len[c])
            sqlite3_bind_text(st, base + 3 + c, t->code[c], (int)t->len[c], SQLITE_STATIC);
        else
            sqlite3_bind_null(st, base + 3 + c);
    }
    if (k[6])
        sqlite3_bind_int(st, base + 9, (int)k[6]);
    else
        sqlite3_bind_null(st, base + 9);
    sqlite3_bind_int64(st, base + 10, m->events);
    sqlite3_bind_int64(st, base + 11, dedup ? m->dedup : m->events);
    if (m->flags & EVM_GDELT) {
        sqlite3_bind_int64(st, base + 12, m->root_events);
        sqlite3_bind_int64(st, base + 14, m->mentions);
        sqlite3_bind_int64(st, base + 15, m->sources);
        sqlite3_bind_int64(st, base + 16, m->articles);
        sqlite3_bind_double(st, base + 17, ev_fixed_to_double(m->tone));
    } else {
        sqlite3_bind_null(st, base + 12);
        sqlite3_bind_null(st, base + 14);
        sqlite3_bind_null(st, base + 15);
        sqlite3_bind_null(st, base + 16);
        sqlite3_bind_null(st, base + 17);
    }
    if (m->flags & EVM_GOLD)
        sqlite3_bind_double(st, base + 13, ev_fixed_to_double(m->gold));
    else
        sqlite3_bind_null(st, base + 13);
    if (m->flags & EVM_LAG)
        sqlite3_bind_int64(st, base + 18, m->lag_sum);
    else
        sqlite3_bind_null(st, base + 18);
}

static int step_done(bilat_db *db, sqlite3_stmt *st, struct bilat_err *err, const char *what)
{
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    if (s != SQLITE_DONE)
        return store_fail(db, err, s, what);
    return 0;
}

/* Run `sql` with the text ?1 bound, to the end. */
static int exec_text(bilat_db *db, const char *sql, const char *arg, const char *what,
                     struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, sql, &st, err));
    store_bind_text(st, 1, arg, -1);
    int rc = step_done(db, st, err, what);
    sqlite3_finalize(st);
    return rc;
}

/* "INSERT INTO event_cube(...) VALUES (?, ...), ..." with `rows` rows of parameters. */
static int prepare_cube_insert(bilat_db *db, int rows, sqlite3_stmt **st, struct bilat_err *err)
{
    struct bilat_buf q = BILAT_BUF_INIT;
    int rc = bilat_buf_adds(&q, "INSERT INTO event_cube(file_id, day, actor1_country, "
                                  "actor2_country, actor1_type, actor2_type, event_code, "
                                  "root_code, quad, events, events_dedup, root_events, "
                                  "goldstein_sum, mentions, sources, articles, tone_sum, "
                                  "lag_days_sum) VALUES ");
    for (int r = 0; rc == 0 && r < rows; r++)
        rc = bilat_buf_adds(&q, r ? ",(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                                    : "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (rc < 0) {
        bilat_buf_release(&q);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    rc = store_prepare(db, q.buf, st, err);
    bilat_buf_release(&q);
    return rc;
}

/*
 * The cube rows of a file, in the order of the index event_cube_dyad (the cells come sorted,
 * from memory or from the merged runs of a spill), CUBE_BATCH rows per INSERT: one statement
 * step per batch instead of per row (each step is a VDBE run with its statement journal),
 * values bound without copies. Also sums the file's events per event day (event_volume).
 */
static int write_cells(bilat_db *db, const struct bilat_ingest_opts *o, const bilat_scan *s,
                       int64_t file_id, struct evgroups *vol, uint64_t *cells_out,
                       struct bilat_err *err)
{
    sqlite3_stmt *many = NULL, *one = NULL;
    struct evcells *cells = NULL;
    struct cellrow *rows = bilat_calloc(CUBE_BATCH, sizeof(*rows));
    bool dedup = o->scan.dedup != BILAT_DEDUP_NONE;
    uint64_t n = 0;
    int rc = rows ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = prepare_cube_insert(db, CUBE_BATCH, &many, err);
    if (rc == 0)
        rc = prepare_cube_insert(db, 1, &one, err);
    if (rc == 0)
        rc = ev_cells_open(s, &cells, err);
    int nb = 0;
    uint64_t last_day = 0;
    size_t vi = 0;
    while (rc == 0) {
        const uint64_t *k;
        const struct evmeas *m;
        int got = evcells_next(cells, &k, &m, err);
        if (got < 0) {
            rc = got;
            break;
        }
        if (got == 0)
            break;
        if (k[0] != last_day || n == 0) {
            /* the cells of a dyad come by day: consecutive ones mostly share it */
            if ((rc = evgroups_get(vol, &k[0], evgroups_hash(&k[0], 1), &vi)) < 0) {
                rc = bilat_fail(err, rc, "out of memory");
                break;
            }
            last_day = k[0];
        }
        evg_meas(vol, vi)->events += m->events;
        evg_meas(vol, vi)->dedup += dedup ? m->dedup : m->events;
        memcpy(rows[nb].key, k, sizeof(rows[nb].key));
        rows[nb].m = *m;
        n++;
        if (++nb == CUBE_BATCH) {
            for (int r = 0; r < nb; r++)
                bind_cell(many, r * CUBE_COLS, file_id, dedup, &rows[r]);
            rc = step_done(db, many, err, "cannot write the event cube");
            nb = 0;
        }
    }
    for (int r = 0; rc == 0 && r < nb; r++) {
        bind_cell(one, 0, file_id, dedup, &rows[r]);
        rc = step_done(db, one, err, "cannot write the event cube");
    }
    evcells_close(cells);
    sqlite3_finalize(many);
    sqlite3_finalize(one);
    bilat_free(rows);
    *cells_out = n;
    return rc;
}

/* Write one scanned file (file 0 of `s`) in the current transaction. */
static int write_file(bilat_db *db, const struct bilat_ingest_opts *o, const bilat_scan *s,
                      struct bilat_ingest_stats *stats, struct bilat_err *err)
{
    struct evfile_view f;
    bilat_scan_file(s, 0, &f);
    struct evresult_view v;
    bilat_scan_view(s, &v);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    char abs[PATH_MAX];
    const char *path = realpath(f.path, abs) ? abs : f.path;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    /* An earlier version of the same path (other content) is replaced. */
    int64_t old = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM ingest_file WHERE path = ?1", path, &old,
                              err));
    if (old) {
        static const char *const del[] = {
            "DELETE FROM event_cube WHERE file_id IN (SELECT id FROM ingest_file WHERE path = ?1)",
            "DELETE FROM event_volume WHERE file_id IN (SELECT id FROM ingest_file WHERE path = "
            "?1)",
            "DELETE FROM ingest_coverage WHERE file_id IN (SELECT id FROM ingest_file WHERE path "
            "= ?1)",
            "DELETE FROM ingest_file WHERE path = ?1",
        };
        for (size_t i = 0; i < sizeof(del) / sizeof(del[0]); i++)
            BILAT_TRY(exec_text(db, del[i], path, "cannot replace an earlier version of a file",
                                err));
        stats->replaced++;
    }
    char now[32], d1[11], d2[11], a1[11], a2[11];
    utc_now(now, sizeof(now));
    BILAT_TRY(store_prepare(
        db,
        "INSERT INTO ingest_file(path, name, size, sha256, origin, format, rows_read, "
        "rows_rejected, first_date, last_date, first_added, last_added, status, note, dedup, "
        "ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
        "?16)",
        &st, err));
    store_bind_text(st, 1, path, -1);
    store_bind_text(st, 2, name, -1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)f.size);
    store_bind_text(st, 4, f.sha256, -1);
    store_bind_text(st, 5, o->origin, -1);
    store_bind_text(st, 6, f.format ? bilat_ev_format_name(f.format) : "unknown", -1);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)f.rows);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)f.rejected);
    iso_day(f.dmin, d1);
    iso_day(f.dmax, d2);
    iso_day(f.amin, a1);
    iso_day(f.amax, a2);
    store_bind_text(st, 9, f.dmin ? d1 : NULL, -1);
    store_bind_text(st, 10, f.dmax ? d2 : NULL, -1);
    store_bind_text(st, 11, f.amin ? a1 : NULL, -1);
    store_bind_text(st, 12, f.amax ? a2 : NULL, -1);
    store_bind_text(st, 13, f.failure ? "partial" : f.empty ? "empty" : "done", -1);
    store_bind_text(st, 14, f.failure, -1);
    store_bind_text(st, 15, bilat_ev_dedup_name(o->scan.dedup), -1);
    store_bind_text(st, 16, now, -1);
    rc = step_done(db, st, err, "cannot record the file");
    sqlite3_finalize(st);
    st = NULL;
    BILAT_TRY(rc);
    int64_t file_id = sqlite3_last_insert_rowid(db->db);

    struct evgroups vol; /* key: event day; measures: events, dedup */
    if (evgroups_init(&vol, 1) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    uint64_t cells = 0;
    rc = write_cells(db, o, s, file_id, &vol, &cells, err);
    stats->cells += cells;
    stats->spilled += v.spill_runs > 0;
    stats->runs += v.spill_runs;
    if (rc == 0)
        rc = store_prepare(db,
                           "INSERT INTO event_volume(file_id, day, events, events_dedup) "
                           "VALUES (?1, ?2, ?3, ?4)",
                           &st, err);
    for (size_t i = 0; rc == 0 && i < vol.n; i++) {
        char day[11];
        iso_day((uint32_t)evg_key(&vol, i)[0], day);
        sqlite3_bind_int64(st, 1, file_id);
        sqlite3_bind_text(st, 2, day, 10, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, evg_meas(&vol, i)->events);
        sqlite3_bind_int64(st, 4, evg_meas(&vol, i)->dedup);
        rc = step_done(db, st, err, "cannot write the event volume");
    }
    sqlite3_finalize(st);
    st = NULL;
    evgroups_release(&vol);
    BILAT_TRY(rc);

    /* Coverage: rows per day added, with the range of event dates. */
    const struct evgroups *cv = v.coverage;
    BILAT_TRY(store_prepare(db,
                            "INSERT INTO ingest_coverage(file_id, day, rows, first_date, "
                            "last_date) VALUES (?1, ?2, ?3, ?4, ?5)",
                            &st, err));
    for (size_t i = 0; rc == 0 && i < cv->n; i++) {
        const uint64_t *k = evg_key(cv, i);
        const struct evmeas *cm = evg_meas(cv, i);
        char day[11];
        iso_day((uint32_t)k[1], day);
        iso_day(cm->dmin, d1);
        iso_day(cm->dmax, d2);
        sqlite3_bind_int64(st, 1, file_id);
        sqlite3_bind_text(st, 2, day, 10, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, cm->events);
        sqlite3_bind_text(st, 4, d1, 10, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, d2, 10, SQLITE_TRANSIENT);
        rc = step_done(db, st, err, "cannot write the coverage");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Write one scanned file as its own transaction (or skip it when known). */
static int commit_file(bilat_db *db, const struct bilat_ingest_opts *o, const bilat_scan *s,
                       struct bilat_ingest_stats *stats, struct bilat_err *err)
{
    struct evfile_view f;
    bilat_scan_file(s, 0, &f);
    struct bilat_diag d = o->diag;
    bilat_scan_report(s, &d);
    if (!f.scanned)
        return 0;
    if (f.format == 0 && f.rows == 0 && f.failure) {
        /* Could not open or recognise the file: nothing to record. */
        stats->failed_files++;
        return 0;
    }
    if (o->origin && f.format) {
        bool icews = f.format == BILAT_EV_ICEWS;
        if (icews != (strcmp(o->origin, "icews") == 0)) {
            char msg[160];
            snprintf(msg, sizeof(msg), "'%s' holds %s events, not %s ones: not ingested "
                                       "(use 'bilat ingest %s')",
                     f.path, icews ? "ICEWS" : "GDELT", icews ? "GDELT" : "ICEWS",
                     icews ? "icews" : "gdelt");
            if (d.fn)
                d.fn(d.ctx, BILAT_LOG_ERROR, NULL, 0, msg);
            stats->failed_files++;
            return 0;
        }
    }
    /* Foreign keys are not checked while the ingest writes: the file's row is written before
     * its cube rows in the same transaction, and checking it again for each of a file's cube
     * rows took a fifth of the writing time (the pragma does nothing inside a transaction, so
     * it is set around it). */
    BILAT_TRY(store_exec(db, "PRAGMA foreign_keys=OFF", err));
    int rc = store_exec(db, "BEGIN IMMEDIATE", err);
    if (rc < 0) {
        sqlite3_exec(db->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
        return rc;
    }
    int known = f.sha256[0] ? bilat_ingest_known(db, f.sha256, err) : 0;
    rc = known < 0 ? known : 0;
    if (rc == 0 && known) {
        stats->skipped++;
    } else if (rc == 0) {
        rc = write_file(db, o, s, stats, err);
        if (rc == 0) {
            stats->files++;
            stats->rows += f.rows;
            stats->rejected += f.rejected;
            stats->failed_files += f.failure != NULL;
        }
    }
    if (rc == 0)
        rc = store_exec(db, "COMMIT", err);
    if (rc < 0) {
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        bilat_err_prefix(err, "cannot ingest '%s': ", f.path);
    }
    int frc = store_exec(db, "PRAGMA foreign_keys=ON", rc < 0 ? NULL : err);
    return rc < 0 ? rc : frc;
}

int bilat_ingest_files(bilat_db *db, const struct bilat_ingest_opts *o, const char *const *files,
                       size_t n, struct bilat_ingest_stats *stats_out, struct bilat_err *err)
{
    struct bilat_ingest_stats st;
    memset(&st, 0, sizeof(st));
    struct bilat_scan_opts so;
    bilat_ingest_scan_opts(o, &so);
    /* Spilled cells go next to the store, which has room for them once written anyway (/tmp
     * may be a small RAM disk). */
    char dir[PATH_MAX];
    if (!so.spill_dir) {
        snprintf(dir, sizeof(dir), "%s", bilat_db_path(db));
        char *slash = strrchr(dir, '/');
        if (slash)
            *(slash == dir ? slash + 1 : slash) = '\0';
        else
            snprintf(dir, sizeof(dir), ".");
        so.spill_dir = dir;
    }
    int rc = 0;
    size_t nparts = o->nparts ? o->nparts : 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i % nparts != o->part)
            continue;
        if (o->file_cb)
            o->file_cb(o->file_ctx, i, n, files[i]);
        bilat_scan *s = NULL;
        rc = ev_scan_for_ingest(&so, files[i], &s, err);
        if (rc == 0)
            rc = commit_file(db, o, s, &st, err);
        bilat_scan_free(s);
    }
    if (o->file_cb)
        o->file_cb(o->file_ctx, n, n, NULL);
    if (stats_out)
        *stats_out = st;
    return rc;
}

int bilat_ingest_pack_file(const struct bilat_ingest_opts *o, const char *path, void **buf_out,
                           size_t *len_out, struct bilat_err *err)
{
    struct bilat_scan_opts so;
    bilat_ingest_scan_opts(o, &so);
    so.memory = 0; /* the result travels whole to rank 0 */
    bilat_scan *s = NULL;
    BILAT_TRY(ev_scan_for_ingest(&so, path, &s, err));
    int rc = bilat_scan_pack(s, buf_out, len_out, err);
    bilat_scan_free(s);
    return rc;
}

int bilat_ingest_write_packed(bilat_db *db, const struct bilat_ingest_opts *o, const char *path,
                              const void *packed, size_t len, struct bilat_ingest_stats *stats,
                              struct bilat_err *err)
{
    struct bilat_scan_opts so;
    bilat_ingest_scan_opts(o, &so);
    bilat_scan *s = NULL;
    BILAT_TRY(ev_scan_empty_for_ingest(&so, path, &s, err));
    int rc = bilat_scan_merge_packed(s, packed, len, err);
    if (rc == 0)
        rc = commit_file(db, o, s, stats, err);
    bilat_scan_free(s);
    return rc;
}

static bool iso_date_ok(const char *s)
{
    if (!s)
        return true;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

int bilat_coverage_each(bilat_db *db, const struct bilat_coverage_opts *o, bilat_row_fn *fn,
                        void *ctx, struct bilat_err *err)
{
    if (!iso_date_ok(o->from) || !iso_date_ok(o->to))
        return bilat_fail(err, BILAT_EINVAL, "expected a date YYYY-MM-DD");
    if (o->origin && strcmp(o->origin, "gdelt") != 0 && strcmp(o->origin, "icews") != 0)
        return bilat_fail(err, BILAT_EINVAL, "unknown origin '%s' (gdelt or icews)", o->origin);
    static const char files_sql[] =
        "SELECT name, origin, format, size, sha256, rows_read, rows_rejected, first_date, "
        "last_date, first_added, last_added, status, note, dedup, ingested_at FROM ingest_file "
        "WHERE (?1 IS NULL OR origin = ?1) AND (?2 IS NULL OR coalesce(last_added, last_date) >= ?2) "
        "AND (?3 IS NULL OR coalesce(first_added, first_date) <= ?3) "
        "ORDER BY coalesce(first_added, first_date), name";
    /* Periods: every day (or month) from the first to the last one held, so that a period
     * without any file shows as 'missing' instead of disappearing. */
    static const char days_sql[] =
        "WITH c AS (SELECT c.* FROM ingest_coverage c JOIN ingest_file f ON f.id = c.file_id "
        "  WHERE (?1 IS NULL OR f.origin = ?1)),\n"
        "span(d) AS (SELECT max(min(day), coalesce(?2, '0000')) FROM c UNION ALL\n"
        "  SELECT date(d, '+1 day') FROM span WHERE d < min((SELECT max(day) FROM c), "
        "coalesce(?3, '9999'))),\n"
        "agg AS (SELECT day, count(DISTINCT file_id) AS files, sum(rows) AS rows, "
        "  min(first_date) AS first_date, max(last_date) AS last_date FROM c GROUP BY day),\n"
        "rej AS (SELECT coalesce(first_added, first_date) AS day, sum(rows_rejected) AS n "
        "  FROM ingest_file WHERE (?1 IS NULL OR origin = ?1) GROUP BY 1)\n"
        "SELECT span.d AS day, coalesce(agg.files, 0) AS files, agg.rows, "
        "  CASE WHEN agg.day IS NULL THEN NULL ELSE coalesce(rej.n, 0) END AS rows_rejected, "
        "  agg.first_date, agg.last_date, "
        "  CASE WHEN agg.day IS NULL THEN 'missing' ELSE 'ok' END AS status\n"
        "FROM span LEFT JOIN agg ON agg.day = span.d LEFT JOIN rej ON rej.day = span.d "
        "WHERE span.d IS NOT NULL ORDER BY span.d";
    static const char months_sql[] =
        "WITH c AS (SELECT c.* FROM ingest_coverage c JOIN ingest_file f ON f.id = c.file_id "
        "  WHERE (?1 IS NULL OR f.origin = ?1) AND (?2 IS NULL OR c.day >= ?2) "
        "  AND (?3 IS NULL OR c.day <= ?3)),\n"
        "span(m) AS (SELECT substr(min(day), 1, 7) || '-01' FROM c UNION ALL\n"
        "  SELECT date(m, '+1 month') FROM span WHERE substr(m, 1, 7) < "
        "(SELECT substr(max(day), 1, 7) FROM c)),\n"
        "agg AS (SELECT substr(day, 1, 7) AS month, count(DISTINCT file_id) AS files, "
        "  count(DISTINCT day) AS days, sum(rows) AS rows, min(first_date) AS first_date, "
        "  max(last_date) AS last_date FROM c GROUP BY 1),\n"
        "rej AS (SELECT substr(coalesce(first_added, first_date), 1, 7) AS month, "
        "  sum(rows_rejected) AS n FROM ingest_file WHERE (?1 IS NULL OR origin = ?1) "
        "  GROUP BY 1)\n"
        "SELECT substr(span.m, 1, 7) AS month, coalesce(agg.files, 0) AS files, "
        "  coalesce(agg.days, 0) AS days_with_data, agg.rows, "
        "  CASE WHEN agg.month IS NULL THEN NULL ELSE coalesce(rej.n, 0) END AS rows_rejected, "
        "  agg.first_date, agg.last_date, "
        "  CASE WHEN agg.month IS NULL THEN 'missing' WHEN agg.days < "
        "    CAST(strftime('%d', date(span.m, '+1 month', '-1 day')) AS INTEGER) "
        "    THEN 'partial' ELSE 'ok' END AS status\n"
        "FROM span LEFT JOIN agg ON agg.month = substr(span.m, 1, 7) "
        "LEFT JOIN rej ON rej.month = substr(span.m, 1, 7) "
        "WHERE span.m IS NOT NULL ORDER BY span.m";
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, o->files ? files_sql : o->by_month ? months_sql : days_sql, &st,
                            err));
    store_bind_text(st, 1, o->origin, -1);
    store_bind_text(st, 2, o->from, -1);
    store_bind_text(st, 3, o->to, -1);
    int ncol = sqlite3_column_count(st), rc = 0;
    const char *names[20], *values[20];
    for (int i = 0; i < ncol && i < 20; i++)
        names[i] = sqlite3_column_name(st, i);
    if ((rc = fn(ctx, ncol, names, NULL)) != 0)
        goto out;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = store_fail(db, err, s, "cannot read the coverage");
            break;
        }
        for (int i = 0; i < ncol && i < 20; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if ((rc = fn(ctx, ncol, names, values)) != 0)
            break;
    }
out:
    sqlite3_finalize(st);
    return rc;
}
