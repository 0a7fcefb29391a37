/*
 * evstore.c: `bilat ingest gdelt|icews`: event files into the store's event cube
 * (bilat.h, "Event files"; docs/EVENTS.md, docs/STORE.md).
 *
 * Each file is scanned on its own with the cube's keys (day, actor countries and types, event
 * code, quad), its SHA-256 computed on the way, then written in one transaction: its
 * ingest_file row, its event_cube rows, its event_volume rows, its ingest_coverage rows and the
 * runs of GLOBALEVENTIDs it counted (ingest_event_id). A file whose SHA-256 is recorded already
 * is skipped; so is a file whose content (decompressed) is a recorded file's: the same export
 * as .CSV, .gz or .zip, under any name, is counted once, and the skipped copy is listed in
 * ingest_duplicate. Rows whose GLOBALEVENTID another file of the store holds are left out
 * (a damaged copy ingested before the whole file, say), so an event is counted once whatever
 * file brings it. A file at the same path with other content (a re-downloaded export) replaces
 * the earlier one, cube rows included. Because a file is one transaction, a run stopped at any
 * point (kill -9 included) leaves every file either fully in the store or not at all, and the
 * next run picks up the rest. Every file of a run is attempted: one that cannot be read, is
 * damaged or changes while it is read is reported (and a damaged one recorded as 'partial')
 * without stopping the others. Cells that do not fit in the memory budget are spilled to sorted
 * runs during the scan (ingest/evspill.c) and merged here as they are written; nothing touches the
 * store before the file's transaction.
 *
 * Cube rows are kept per file (file_id), one row per cell, so that replacing or removing a file
 * is a DELETE and no cell is ever updated in place; queries sum over files. Rows are inserted
 * in the order of the cube's index (file, actor countries, day): a file's rows are appended to
 * it, wherever its days and dyads fall among those of the files before it.
 */
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "ingest/events.h"
#include "ingest/evsrc.h"
#include "store/db.h"
#include "store/event_day.h"
#include "store/event_month.h"

#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int64_t bilat_ingest_duplicates(bilat_db *db, struct bilat_err *err)
{
    int64_t n = 0;
    if (bilat_db_schema_version(db) < 60)
        return 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM ingest_duplicate", NULL, &n, err));
    return n;
}

static const char *const container_names[] = {"plain", "gzip", "zip"};

/* A recorded file found by a digest. */
struct known {
    int64_t id;
    char path[PATH_MAX];
    bool partial;               /* recorded as 'partial' (a damaged file) */
    char note[512];
};

/*
 * The file of the store with this raw digest (`by_content` false) or this content digest
 * (true; a file recorded before content digests were kept is matched by its raw digest when
 * it was plain, the two being one then), the one at `path` if there is one: 1 found (in *k),
 * 0 none, <0 on error.
 */
static int find_known(bilat_db *db, const char *hex, bool by_content, const char *path,
                      struct known *k, struct bilat_err *err)
{
    /* the file at `path` first: two paths may hold the same bytes (a new version of a file
     * that is byte for byte another recorded file) */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            by_content ? "SELECT id, path, status, note FROM ingest_file WHERE "
                                         "content_sha256 = ?1 OR (content_sha256 IS NULL AND "
                                         "sha256 = ?1) ORDER BY path = ?2 DESC, id LIMIT 1"
                                       : "SELECT id, path, status, note FROM ingest_file WHERE "
                                         "sha256 = ?1 ORDER BY path = ?2 DESC, id LIMIT 1",
                            &st, err));
    store_bind_text(st, 1, hex, -1);
    store_bind_text(st, 2, path, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 2);
        const char *why = (const char *)sqlite3_column_text(st, 3);
        k->id = sqlite3_column_int64(st, 0);
        snprintf(k->path, sizeof(k->path), "%s", (const char *)sqlite3_column_text(st, 1));
        k->partial = status && strcmp(status, "partial") == 0;
        snprintf(k->note, sizeof(k->note), "%s", why ? why : "");
        rc = 1;
    } else if (s != SQLITE_DONE) {
        rc = store_fail(db, err, s, "cannot query the store");
    }
    sqlite3_finalize(st);
    return rc;
}

static void say(const struct bilat_ingest_opts *o, enum bilat_level lv, const char *fmt, ...)
    BILAT_PRINTF(3, 4);

/* A known file is skipped; a damaged one is said to be so again, and fails the run again. */
static void skip_known(const struct bilat_ingest_opts *o, const char *path, const struct known *k,
                       struct bilat_ingest_stats *st)
{
    st->skipped++;
    if (k->partial) {
        say(o, BILAT_LOG_ERROR, "'%s' is in the store as it was, read in part (%s)", path,
            k->note);
        st->failed_files++;
    }
}

/*
 * The GLOBALEVENTIDs of the store's files of `format` ("gdelt1", "gdelt2"), except those of the
 * file at `path` (a new version of it replaces them), as one normalised set.
 */
static int known_ids(bilat_db *db, const char *path, const char *format, struct evids *out,
                     struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT e.lo, e.hi FROM ingest_event_id e JOIN ingest_file f ON "
                            "f.id = e.file_id WHERE e.counted = 1 AND f.path <> ?1 AND "
                            "f.format = ?2",
                            &st, err));
    store_bind_text(st, 1, path, -1);
    store_bind_text(st, 2, format, -1);
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
        if (evids_add_run(out, (uint64_t)sqlite3_column_int64(st, 0),
                          (uint64_t)sqlite3_column_int64(st, 1)) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read the event ids of the store");
    sqlite3_finalize(st);
    evids_normalise(out);
    return rc;
}

/* How many ids two normalised sets share. */
static uint64_t ids_shared(const struct evids *a, const struct evids *b)
{
    uint64_t n = 0;
    for (size_t i = 0, j = 0; i < a->n && j < b->n;) {
        uint64_t lo = a->v[i].lo > b->v[j].lo ? a->v[i].lo : b->v[j].lo;
        uint64_t hi = a->v[i].hi < b->v[j].hi ? a->v[i].hi : b->v[j].hi;
        if (lo <= hi)
            n += hi - lo + 1;
        if (a->v[i].hi < b->v[j].hi)
            i++;
        else
            j++;
    }
    return n;
}

/* A message about a file through the caller's diagnostics. */
static void say(const struct bilat_ingest_opts *o, enum bilat_level lv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(&o->diag, lv, NULL, 0, fmt, ap);
    va_end(ap);
}

/* Run `sql` with the text ?1 bound, to the end. */
static int exec_text(bilat_db *db, const char *sql, const char *arg, const char *what,
                     struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, sql, &st, err));
    store_bind_text(st, 1, arg, -1);
    int rc = store_step_done(db, st, what, err);
    sqlite3_finalize(st);
    return rc;
}

/*
 * The cube rows of a file go in through one statement, INSERT INTO event_cube SELECT ... FROM
 * bilat_cells, where bilat_cells is a virtual table whose rows are the file's cells in write
 * order (from memory, or merged from the runs of a spill). SQLite then pulls the values
 * (xColumn) in its own loop: compared with binding 18 parameters per row and stepping an
 * INSERT of 32 rows, that takes 15-28% less time for the 1.9 million rows of a 28-year file
 * (no bind, reset or statement journal per row; bench/cube_insert.c). The module is registered
 * on the connection for the write and removed after it.
 *
 * The statement is INSERT OR FAIL: a statement that may abort keeps a statement journal, a copy
 * of every page of the store it changes, so that it can be undone alone; the store's temp_store
 * is MEMORY, so that copy would be held in memory (52 MiB for a 2-million-row file when the
 * index was by dyad, whose every page such a file touched). The file's transaction is what is
 * undone on any failure, so the statement needs no journal of its own: OR FAIL stops at the
 * failing row without one.
 */
struct cellfeed {
    struct evcells *cells;     /* the file's cells, in write order */
    int64_t file_id;
    bool dedup;                /* events_dedup from the cell, else = events */
    struct evgroups *vol;      /* events per event day (event_volume) */
    struct evgroups *month;    /* the cells by dyad, month and quad class (event_month) */
    uint64_t n;                /* cells delivered */
    bool eof;
    /* the current cell */
    const uint64_t *key;       /* day, a1c, a2c, a1t, a2t, event, quad */
    const struct evmeas *m;
    uint64_t day;              /* key of `iso` and of the volume entry `vi` */
    size_t vi;
    char iso[11];
    char code[6][9];           /* actor1/2 country and type, event code, root code */
    int len[6];
    int rc;                    /* the first error of the feed, detail in err */
    struct bilat_err err;
};

struct cellvtab {
    sqlite3_vtab base;
    struct cellfeed *feed;
};

struct cellcur {
    sqlite3_vtab_cursor base;
    struct cellfeed *feed;
};

static int cells_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **out, char **errmsg)
{
    (void)argc, (void)argv, (void)errmsg;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(file_id, day, actor1_country, "
                                      "actor2_country, actor1_type, actor2_type, event_code, "
                                      "root_code, quad, events, events_dedup, root_events, "
                                      "goldstein_sum, mentions, sources, articles, tone_sum, "
                                      "lag_days_sum)");
    if (rc != SQLITE_OK)
        return rc;
    struct cellvtab *v = sqlite3_malloc(sizeof(*v));
    if (!v)
        return SQLITE_NOMEM;
    memset(v, 0, sizeof(*v));
    v->feed = aux;
    *out = &v->base;
    return SQLITE_OK;
}

static int cells_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

static int cells_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    (void)v;
    info->estimatedCost = 1e9; /* one full pass, in the feed's order */
    return SQLITE_OK;
}

static int cells_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    struct cellcur *c = sqlite3_malloc(sizeof(*c));
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof(*c));
    c->feed = ((struct cellvtab *)v)->feed;
    *out = &c->base;
    return SQLITE_OK;
}

static int cells_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

/* The next cell: its text and its day's volume entry. */
static int cells_next(sqlite3_vtab_cursor *cur)
{
    struct cellfeed *f = ((struct cellcur *)cur)->feed;
    int got = evcells_next(f->cells, &f->key, &f->m, &f->err);
    if (got < 0) {
        f->rc = got;
        cur->pVtab->zErrMsg = sqlite3_mprintf("%s", f->err.msg);
        return got == BILAT_ENOMEM ? SQLITE_NOMEM : SQLITE_ERROR;
    }
    if (got == 0) {
        f->eof = true;
        return SQLITE_OK;
    }
    const uint64_t *k = f->key;
    if (k[0] != f->day || f->n == 0) {
        /* the cells of a dyad come by day: consecutive ones mostly share it */
        int rc = evgroups_get(f->vol, &k[0], evgroups_hash(&k[0], 1), &f->vi);
        if (rc < 0) {
            f->rc = bilat_fail(&f->err, rc, "out of memory");
            return SQLITE_NOMEM;
        }
        f->day = k[0];
        iso_day((uint32_t)k[0], f->iso);
    }
    struct evmeas *v = evg_meas(f->vol, f->vi);
    v->events += f->m->events;
    v->dedup += f->dedup ? f->m->dedup : f->m->events;
    if (k[1] && k[2]) {
        /* both countries known: the cell counts in its dyad's month */
        const uint64_t mk[4] = {k[1], k[2], k[0] / 100, k[6]};
        size_t mi;
        if (evgroups_get(f->month, mk, evgroups_hash(mk, 4), &mi) < 0) {
            f->rc = bilat_fail(&f->err, BILAT_ENOMEM, "out of memory");
            return SQLITE_NOMEM;
        }
        struct evmeas *mm = evg_meas(f->month, mi);
        mm->events += f->m->events;
        mm->dedup += f->dedup ? f->m->dedup : f->m->events;
        if (f->m->flags & EVM_GOLD) {
            mm->gold += f->m->gold;
            mm->flags |= EVM_GOLD;
        }
    }
    const uint64_t codes[6] = {k[1], k[2], k[3], k[4], k[5], k[5] & 0xffff000000000000ULL};
    for (int i = 0; i < 6; i++)
        f->len[i] = (int)ev_code_unpack(codes[i], f->code[i]);
    f->n++;
    return SQLITE_OK;
}

static int cells_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
                        sqlite3_value **argv)
{
    (void)idx, (void)idxstr, (void)argc, (void)argv;
    return cells_next(cur);
}

static int cells_eof(sqlite3_vtab_cursor *cur)
{
    return ((struct cellcur *)cur)->feed->eof;
}

static int cells_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const struct cellfeed *f = ((struct cellcur *)cur)->feed;
    const struct evmeas *m = f->m;
    bool gdelt = m->flags & EVM_GDELT;
    /* Text is handed over without a copy: SQLite makes the row's record before it asks for
     * the next cell. */
    switch (col) {
    case 0: sqlite3_result_int64(ctx, f->file_id); break;
    case 1: sqlite3_result_text(ctx, f->iso, 10, SQLITE_STATIC); break;
    case 2: case 3: case 4: case 5: case 6: case 7:
        if (f->len[col - 2])
            sqlite3_result_text(ctx, f->code[col - 2], f->len[col - 2], SQLITE_STATIC);
        break; /* NULL by default */
    case 8:
        if (f->key[6])
            sqlite3_result_int(ctx, (int)f->key[6]);
        break;
    case 9: sqlite3_result_int64(ctx, m->events); break;
    case 10: sqlite3_result_int64(ctx, f->dedup ? m->dedup : m->events); break;
    case 11: if (gdelt) sqlite3_result_int64(ctx, m->root_events); break;
    case 12:
        if (m->flags & EVM_GOLD)
            sqlite3_result_double(ctx, ev_fixed_to_double(m->gold));
        break;
    case 13: if (gdelt) sqlite3_result_int64(ctx, m->mentions); break;
    case 14: if (gdelt) sqlite3_result_int64(ctx, m->sources); break;
    case 15: if (gdelt) sqlite3_result_int64(ctx, m->articles); break;
    case 16: if (gdelt) sqlite3_result_double(ctx, ev_fixed_to_double(m->tone)); break;
    case 17:
        if (m->flags & EVM_LAG)
            sqlite3_result_int64(ctx, m->lag_sum);
        break;
    default: break;
    }
    return SQLITE_OK;
}

static int cells_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *out)
{
    *out = (sqlite3_int64)((struct cellcur *)cur)->feed->n;
    return SQLITE_OK;
}

/* Eponymous-only (no xCreate): the table exists while the module is registered. */
static const sqlite3_module cells_module = {
    .xConnect = cells_connect,
    .xBestIndex = cells_best_index,
    .xDisconnect = cells_disconnect,
    .xOpen = cells_open,
    .xClose = cells_close,
    .xFilter = cells_filter,
    .xNext = cells_next,
    .xEof = cells_eof,
    .xColumn = cells_column,
    .xRowid = cells_rowid,
};

/* Write the cube rows of a file; also sums the file's events per event day into `vol`. */
static int write_cells(bilat_db *db, const struct bilat_ingest_opts *o, const bilat_scan *s,
                       int64_t file_id, struct evgroups *vol, struct evgroups *month,
                       uint64_t *cells_out, struct bilat_err *err)
{
    struct cellfeed f;
    memset(&f, 0, sizeof(f));
    f.file_id = file_id;
    f.dedup = o->scan.dedup != BILAT_DEDUP_NONE;
    f.vol = vol;
    f.month = month;
    *cells_out = 0;
    BILAT_TRY(ev_cells_open(s, &f.cells, err));
    int rc = 0, src = sqlite3_create_module(db->db, "bilat_cells", &cells_module, &f);
    if (src != SQLITE_OK)
        rc = store_fail(db, err, src, "cannot write the event cube");
    if (rc == 0) {
        rc = store_exec(db,
                        "INSERT OR FAIL INTO event_cube(file_id, day, actor1_country, "
                        "actor2_country, actor1_type, actor2_type, event_code, root_code, quad, "
                        "events, events_dedup, root_events, goldstein_sum, mentions, sources, articles, "
                        "tone_sum, lag_days_sum) SELECT * FROM bilat_cells",
                        err);
        if (rc < 0 && f.rc < 0) {
            /* the feed's own error (reading the spill file, memory) says more than SQLite */
            rc = f.rc;
            if (err)
                *err = f.err;
        }
        sqlite3_create_module(db->db, "bilat_cells", NULL, NULL);
    }
    evcells_close(f.cells);
    *cells_out = f.n;
    return rc;
}

/* What to read after a file: files of the store (ingest_file ids) to read again, in id order,
 * and copies of a replaced version whose content the store no longer holds (paths, owned). */
struct idlist {
    int64_t *v;
    size_t n, cap;
    char **paths;
    size_t npaths, cappaths;
};

static void idlist_release(struct idlist *l)
{
    for (size_t i = 0; i < l->npaths; i++)
        bilat_free(l->paths[i]);
    bilat_free(l->paths);
    bilat_free(l->v);
    memset(l, 0, sizeof(*l));
}

static int idlist_add_path(struct idlist *l, const char *path)
{
    if (l->npaths == l->cappaths) {
        size_t cap = l->cappaths ? l->cappaths * 2 : 4;
        char **v = bilat_realloc_array(l->paths, cap, sizeof(*v));
        if (!v)
            return BILAT_ENOMEM;
        l->paths = v;
        l->cappaths = cap;
    }
    if (!(l->paths[l->npaths] = bilat_strdup(path)))
        return BILAT_ENOMEM;
    l->npaths++;
    return 0;
}

/*
 * The files that left out events the version of `path` in the store counted (they were its
 * events then): once that version goes, those events are counted by no file until they are
 * read again. Appended to `deps` (NULL: not wanted).
 */
static int dependents(bilat_db *db, const char *path, struct idlist *deps, struct bilat_err *err)
{
    if (!deps)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT DISTINCT y.file_id FROM ingest_event_id x "
                            "JOIN ingest_file fx ON fx.id = x.file_id "
                            "JOIN ingest_event_id y ON y.counted = 0 AND y.lo <= x.hi AND "
                            "  x.lo <= y.hi "
                            "JOIN ingest_file fy ON fy.id = y.file_id "
                            "WHERE fx.path = ?1 AND x.counted = 1 AND fy.path <> ?1 AND "
                            "  fy.format = fx.format "
                            "ORDER BY y.file_id",
                            &st, err));
    store_bind_text(st, 1, path, -1);
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (deps->n == deps->cap) {
            size_t cap = deps->cap ? deps->cap * 2 : 8;
            int64_t *v = bilat_realloc_array(deps->v, cap, sizeof(*v));
            if (!v) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            deps->v = v;
            deps->cap = cap;
        }
        deps->v[deps->n++] = sqlite3_column_int64(st, 0);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read the event ids of the store");
    sqlite3_finalize(st);
    return rc;
}

/*
 * Remove an earlier version of the file at `path` (other content) with everything that hangs on
 * it, and a record of the path as a duplicate. The copies of that version are settled once the
 * new one is written (settle_copies()). The files that left out its events are added to `deps`,
 * to be read again.
 */
static int replace_path(bilat_db *db, const char *path, struct bilat_ingest_stats *stats,
                        struct idlist *deps, struct bilat_err *err)
{
    int64_t old = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM ingest_file WHERE path = ?1", path, &old,
                              err));
    BILAT_TRY(exec_text(db, "DELETE FROM ingest_duplicate WHERE path = ?1", path,
                        "cannot replace an earlier version of a file", err));
    if (!old)
        return 0;
    BILAT_TRY(dependents(db, path, deps, err));
    /* its copies wait for settle_copies() (a negative id matches no file: the new version may
     * get the old one's id) */
    BILAT_TRY(exec_text(db,
                        "UPDATE ingest_duplicate SET duplicate_of = -duplicate_of WHERE "
                        "duplicate_of IN (SELECT id FROM ingest_file WHERE path = ?1)",
                        path, "cannot replace an earlier version of a file", err));
    BILAT_TRY(store_event_day_remove(db, path, err)); /* its days, while its rows are here */
    BILAT_TRY(store_event_month_remove(db, path, err));
    static const char *const del[] = {
        "DELETE FROM event_cube WHERE file_id IN (SELECT id FROM ingest_file WHERE path = ?1)",
        "DELETE FROM event_volume WHERE file_id IN (SELECT id FROM ingest_file WHERE path = ?1)",
        "DELETE FROM ingest_coverage WHERE file_id IN (SELECT id FROM ingest_file WHERE path = "
        "?1)",
        "DELETE FROM ingest_event_id WHERE file_id IN (SELECT id FROM ingest_file WHERE path = "
        "?1)",
        "DELETE FROM ingest_file WHERE path = ?1",
    };
    for (size_t i = 0; i < sizeof(del) / sizeof(del[0]); i++)
        BILAT_TRY(exec_text(db, del[i], path, "cannot replace an earlier version of a file", err));
    stats->replaced++;
    return 0;
}

/*
 * Record the file at `path` as a copy of ingest_file `of` (same content): it is not ingested,
 * and `bilat coverage --duplicates` lists it.
 */
static int record_duplicate(bilat_db *db, const char *path, const struct evfile_view *f,
                            int64_t of, struct bilat_err *err)
{
    char now[32];
    utc_now(now, sizeof(now));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "INSERT INTO ingest_duplicate(path, name, size, sha256, "
                            "content_sha256, container, duplicate_of, seen_at) VALUES (?1, ?2, "
                            "?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(path, content_sha256) DO UPDATE "
                            "SET name = excluded.name, size = excluded.size, "
                            "sha256 = excluded.sha256, container = excluded.container, "
                            "duplicate_of = excluded.duplicate_of, seen_at = excluded.seen_at",
                            &st, err));
    const char *name = bilat_file_base(path);
    store_bind_text(st, 1, path, -1);
    store_bind_text(st, 2, name, -1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)f->size);
    store_bind_text(st, 4, f->sha256[0] ? f->sha256 : NULL, -1);
    store_bind_text(st, 5, f->content_sha256, -1);
    store_bind_text(st, 6, container_names[(unsigned)f->container % 3], -1);
    sqlite3_bind_int64(st, 7, of);
    store_bind_text(st, 8, now, -1);
    int rc = store_step_done(db, st, "cannot record a duplicate file", err);
    sqlite3_finalize(st);
    return rc;
}

/*
 * After a version of a file went: its copies (ingest_duplicate rows waiting with a negative
 * duplicate_of) follow the file that now holds their content (`id`, with content digest
 * `content`: a file read again, or a new version with the same data); the others are no longer
 * copies of anything in the store: their rows go and their paths are added to `todo`, to be
 * ingested in their turn (NULL: dropped).
 */
static int settle_copies(bilat_db *db, int64_t id, const char *content, struct idlist *todo,
                         struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "UPDATE ingest_duplicate SET duplicate_of = ?1 WHERE duplicate_of < 0 "
                            "AND content_sha256 = ?2",
                            &st, err));
    sqlite3_bind_int64(st, 1, id);
    store_bind_text(st, 2, content, -1);
    int rc = store_step_done(db, st, "cannot record the copies of a file", err);
    sqlite3_finalize(st);
    BILAT_TRY(rc);
    BILAT_TRY(store_prepare(db, "SELECT path FROM ingest_duplicate WHERE duplicate_of < 0", &st,
                            err));
    int s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
        if (todo && idlist_add_path(todo, (const char *)sqlite3_column_text(st, 0)) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read the copies of a file");
    sqlite3_finalize(st);
    BILAT_TRY(rc);
    return store_exec(db, "DELETE FROM ingest_duplicate WHERE duplicate_of < 0", err);
}

/* Write one scanned file (file 0 of `s`) in the current transaction. */
static int write_file(bilat_db *db, const struct bilat_ingest_opts *o, const bilat_scan *s,
                      struct bilat_ingest_stats *stats, struct idlist *deps,
                      struct bilat_err *err)
{
    struct evfile_view f;
    ev_scan_file(s, 0, &f);
    struct evresult_view v;
    ev_scan_view(s, &v);
    sqlite3_stmt *st = NULL;
    int rc = 0;
    char abs[PATH_MAX];
    const char *path = realpath(f.path, abs) ? abs : f.path;
    const char *name = bilat_file_base(path);
    BILAT_TRY(replace_path(db, path, stats, deps, err));
    char now[32], d1[11], d2[11], a1[11], a2[11];
    utc_now(now, sizeof(now));
    BILAT_TRY(store_prepare(
        db,
        "INSERT INTO ingest_file(path, name, size, sha256, origin, format, rows_read, "
        "rows_rejected, first_date, last_date, first_added, last_added, status, note, dedup, "
        "ingested_at, content_sha256, container, rows_duplicate) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
        "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)",
        &st, err));
    store_bind_text(st, 1, path, -1);
    store_bind_text(st, 2, name, -1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)f.size);
    store_bind_text(st, 4, f.sha256[0] ? f.sha256 : NULL, -1);
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
    store_bind_text(st, 14, f.failure ? f.failure : f.warning, -1);
    store_bind_text(st, 15, bilat_ev_dedup_name(o->scan.dedup), -1);
    store_bind_text(st, 16, now, -1);
    store_bind_text(st, 17, f.content_sha256[0] ? f.content_sha256 : NULL, -1);
    store_bind_text(st, 18, container_names[(unsigned)f.container % 3], -1);
    sqlite3_bind_int64(st, 19, (sqlite3_int64)f.duplicates);
    rc = store_step_done(db, st, "cannot record the file", err);
    sqlite3_finalize(st);
    st = NULL;
    BILAT_TRY(rc);
    int64_t file_id = sqlite3_last_insert_rowid(db->db);
    BILAT_TRY(settle_copies(db, file_id, f.content_sha256[0] ? f.content_sha256 : NULL, deps,
                            err));
    /* the ids it counted, for the files after it and for the drill-down, and those it left
     * out, for when the file that holds them goes */
    const struct evids *sets[2] = {ev_scan_skipped_ids(s), ev_scan_ids(s)};
    if (sets[0]->n || sets[1]->n)
        BILAT_TRY(store_prepare(db,
                                "INSERT INTO ingest_event_id(file_id, counted, lo, hi) "
                                "VALUES (?1, ?2, ?3, ?4)",
                                &st, err));
    for (int c = 0; c < 2; c++)
        for (size_t i = 0; rc == 0 && i < sets[c]->n; i++) {
            sqlite3_bind_int64(st, 1, file_id);
            sqlite3_bind_int(st, 2, c);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)sets[c]->v[i].lo);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)sets[c]->v[i].hi);
            rc = store_step_done(db, st, "cannot record the event ids", err);
        }
    sqlite3_finalize(st);
    st = NULL;
    BILAT_TRY(rc);

    struct evgroups vol;   /* key: event day; measures: events, dedup */
    struct evgroups month; /* key: countries, month, quad; measures: events, dedup, gold */
    if (evgroups_init(&vol, 1) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (evgroups_init(&month, 4) < 0) {
        evgroups_release(&vol);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    uint64_t cells = 0;
    rc = write_cells(db, o, s, file_id, &vol, &month, &cells, err);
    if (rc == 0)
        rc = store_event_month_add(db, file_id, &month, err);
    evgroups_release(&month);
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
        rc = store_step_done(db, st, "cannot write the event volume", err);
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
        rc = store_step_done(db, st, "cannot write the coverage", err);
    }
    sqlite3_finalize(st);
    return rc < 0 ? rc : store_event_day_add(db, file_id, err);
}

/*
 * Write one scanned file as its own transaction, or skip it: known by its bytes (the same
 * file), or by its content (a copy: recorded in ingest_duplicate). A file that could not be
 * opened or read, whose format cannot be told, of the other origin or that changed while it was
 * read is counted in failed_files and not recorded (the scan reported why). `force` writes the
 * file whatever the store holds (a file read again because a file it left events to was
 * replaced); `deps` gets the files to read again after this one (see dependents()).
 */
static int commit_file(bilat_db *db, const struct bilat_ingest_opts *o, const bilat_scan *s,
                       bool force, struct bilat_ingest_stats *stats, struct idlist *deps,
                       struct bilat_err *err)
{
    struct evfile_view f;
    ev_scan_file(s, 0, &f);
    struct bilat_diag d = o->diag;
    bilat_scan_report(s, &d);
    if (!f.scanned)
        return 0;
    if (f.changed || (f.format == 0 && f.rows == 0 && f.failure)) {
        /* Could not open, recognise or read the file as it is: nothing to record. */
        stats->failed_files++;
        return 0;
    }
    if (o->origin && f.format) {
        bool icews = f.format == BILAT_EV_ICEWS;
        if (icews != (strcmp(o->origin, "icews") == 0)) {
            say(o, BILAT_LOG_ERROR, "'%s' holds %s events, not %s ones: not ingested (use "
                                    "'bilat ingest %s')",
                f.path, icews ? "ICEWS" : "GDELT", icews ? "GDELT" : "ICEWS",
                icews ? "icews" : "gdelt");
            stats->failed_files++;
            return 0;
        }
    }
    char abs[PATH_MAX];
    const char *path = realpath(f.path, abs) ? abs : f.path;
    /* Foreign keys are not checked while the ingest writes: the file's row is written before
     * its cube rows in the same transaction, checking it again for each cube row costs 5-15%
     * of the writing time (bench/cube_insert.c), and deleting the row of a replaced file would
     * look up the cube for rows still pointing at it (they are deleted just before). The
     * pragma does nothing inside a transaction, so it is set around it. */
    BILAT_TRY(store_exec(db, "PRAGMA foreign_keys=OFF", err));
    int rc = store_begin(db, err);
    if (rc < 0) {
        sqlite3_exec(db->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
        return rc;
    }
    /* The same bytes, or the same data in another container: at the same path it is the file
     * in the store; elsewhere, a copy of it. */
    static struct known k; /* (large; one ingest writes at a time) */
    int found = force || !f.sha256[0] ? 0 : find_known(db, f.sha256, false, path, &k, err);
    if (found == 0 && !force && f.content_sha256[0])
        found = find_known(db, f.content_sha256, true, path, &k, err);
    rc = found < 0 ? found : 0;
    bool known = found > 0 && strcmp(k.path, path) == 0;
    bool copy = found > 0 && !known;
    int64_t of = k.id;
    const char *of_path = k.path;
    if (rc == 0 && known) {
        skip_known(o, f.path, &k, stats);
    } else if (rc == 0 && copy) {
        rc = replace_path(db, path, stats, deps, err);
        if (rc == 0)
            rc = settle_copies(db, of, f.content_sha256, deps, err);
        if (rc == 0)
            rc = record_duplicate(db, path, &f, of, err);
        if (rc == 0) {
            stats->duplicates++;
            say(o, BILAT_LOG_WARNING, "'%s' holds the same data as '%s' (file %lld), ingested "
                                      "before: skipped as a duplicate",
                f.path, of_path, (long long)of);
        }
    } else if (rc == 0) {
        rc = write_file(db, o, s, stats, force ? NULL : deps, err);
        if (rc == 0) {
            stats->files++;
            stats->rows += f.rows;
            stats->rejected += f.rejected;
            stats->dup_rows += f.duplicates;
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

/*
 * Whether a file is in the store already, told without scanning it: when a file of the same
 * path and size is recorded (a rerun over files ingested before), its SHA-256 alone decides.
 * Hashing takes what reading the file takes, a fraction of scanning a file with millions of
 * cube cells, and a rerun after an interrupted ingest goes over many such files. 1 known (*k
 * filled), 0 not known or not told (other path or size, not a regular file, the same bytes
 * recorded at another path: a copy, which the scan tells), <0 on a store error.
 */
static int known_by_path(bilat_db *db, const char *file, struct known *k,
                         struct bilat_err *err)
{
    char abs[PATH_MAX];
    struct stat sb;
    if (strcmp(file, "-") == 0 || !realpath(file, abs) || stat(abs, &sb) != 0 ||
        !S_ISREG(sb.st_mode))
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, "SELECT count(*) FROM ingest_file WHERE path = ?1 AND size = ?2",
                            &st, err));
    store_bind_text(st, 1, abs, -1);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)sb.st_size);
    int s = sqlite3_step(st);
    int64_t same = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (s != SQLITE_ROW)
        return store_fail(db, err, s, "cannot query the store");
    char hex[65];
    if (!same || evsrc_file_sha256(abs, hex, NULL, NULL) < 0)
        return 0; /* a file that cannot be read is reported by the scan */
    int rc = find_known(db, hex, false, abs, k, err);
    return rc > 0 && strcmp(k->path, abs) != 0 ? 0 : rc;
}

/* A failure that stops the run (the store or the machine), against one that is the file's. */
static bool fatal(int rc)
{
    return rc == BILAT_ENOMEM || rc == BILAT_EIO || rc == BILAT_EINVAL;
}

/*
 * The GLOBALEVENTIDs the store's files counted, kept over a batch (gdelt1, gdelt2). Each file
 * leaves out the ids the store's other files hold; read from the store for every file, that is
 * every run of every file (an export's ids are one run), a query that grows with the store
 * (0.2 s a file with 412,000 files in it) and makes a batch of the whole GDELT history take time
 * in the square of its files. So the set is read once, the ids of each file written are merged
 * into it, and it is read again only when it may be wrong: another connection wrote to the
 * store (PRAGMA data_version moved), a file replaced another or files were read again. A file
 * whose path is recorded (a new version) reads the store, without its own path's ids.
 */
struct idcache {
    bool valid;
    int64_t version;           /* the store's data_version when the set was read */
    struct evids set[2];       /* gdelt1, gdelt2 */
};

static void idcache_drop(struct idcache *c)
{
    if (!c)
        return;
    evids_release(&c->set[0]);
    evids_release(&c->set[1]);
    c->valid = false;
}

/* Merge the normalised set `add` into the normalised set `into`: 0 or BILAT_ENOMEM. */
static int ids_merge(struct evids *into, const struct evids *add)
{
    if (!add->n)
        return 0;
    size_t total = into->n + add->n;
    struct evidrun *v = bilat_alloc_array(total, sizeof(*v));
    if (!v)
        return BILAT_ENOMEM;
    size_t i = 0, j = 0, k = 0;
    while (i < into->n || j < add->n) {
        struct evidrun r = j == add->n || (i < into->n && into->v[i].lo <= add->v[j].lo)
                               ? into->v[i++]
                               : add->v[j++];
        if (k && r.lo <= v[k - 1].hi + 1) {
            if (r.hi > v[k - 1].hi)
                v[k - 1].hi = r.hi;
        } else {
            v[k++] = r;
        }
    }
    bilat_free(into->v);
    into->v = v;
    into->n = k;
    into->cap = total;
    return 0;
}

/* The cache's sets, read again when they may be stale: 0, or <0 on a store error. */
static int idcache_get(bilat_db *db, struct idcache *c, struct bilat_err *err)
{
    int64_t version = 0;
    BILAT_TRY(bilat_db_data_version(db, &version, err));
    if (c->valid && version == c->version)
        return 0;
    idcache_drop(c);
    /* no file's path is empty: every file's ids */
    int rc = known_ids(db, "", "gdelt1", &c->set[0], err);
    if (rc == 0)
        rc = known_ids(db, "", "gdelt2", &c->set[1], err);
    if (rc < 0) {
        idcache_drop(c);
        return rc;
    }
    c->valid = true;
    c->version = version;
    return 0;
}

/* Scan one file and write it (commit_file()); a failure of the file itself is reported and
 * counted, and only a failure of the run (the store, memory) is returned. */
static int ingest_one(bilat_db *db, const struct bilat_ingest_opts *o,
                      const struct bilat_scan_opts *so, const char *file, bool force,
                      struct bilat_ingest_stats *st, struct idlist *deps, struct idcache *cache,
                      struct bilat_err *err)
{
    bool gdelt = !o->origin || strcmp(o->origin, "icews") != 0;
    /* the events of the store's other files, so that this one adds only its own */
    struct evids ids[2] = {{0}, {0}};
    const struct evids *use[2] = {&ids[0], &ids[1]};
    struct evidfilter held = {{NULL}, false};
    char abs[PATH_MAX];
    const char *apath = realpath(file, abs) ? abs : file;
    int64_t recorded = 1;
    int rc = 0;
    if (gdelt && cache && !force)
        rc = store_query_int(db, "SELECT count(*) FROM ingest_file WHERE path = ?1", apath,
                             &recorded, err);
    if (rc == 0 && gdelt && cache && !force && !recorded) {
        rc = idcache_get(db, cache, err);
        use[0] = &cache->set[0];
        use[1] = &cache->set[1];
    } else if (rc == 0 && gdelt) {
        idcache_drop(cache); /* a new version of a file, or files read again: read it again */
        rc = known_ids(db, apath, "gdelt1", &ids[0], err);
        if (rc == 0)
            rc = known_ids(db, apath, "gdelt2", &ids[1], err);
    }
    held.set[BILAT_EV_GDELT1] = use[0]->n ? use[0] : NULL;
    held.set[BILAT_EV_GDELT2] = use[1]->n ? use[1] : NULL;
    uint64_t files = st->files, replaced = st->replaced;
    bilat_scan *s = NULL;
    if (rc == 0) {
        rc = ev_scan_for_ingest(so, file, &held, &s, err);
        if (rc < 0 && rc != BILAT_ENOMEM)
            bilat_err_prefix(err, "cannot ingest '%s': ", file);
    }
    if (rc == 0) {
        rc = commit_file(db, o, s, force, st, deps, err);
        struct evfile_view fv;
        ev_scan_file(s, 0, &fv);
        if (cache && cache->valid && (rc < 0 || st->replaced != replaced || (deps && deps->n)))
            idcache_drop(cache);
        else if (cache && cache->valid && st->files != files &&
                 (fv.format == BILAT_EV_GDELT1 || fv.format == BILAT_EV_GDELT2) &&
                 ids_merge(&cache->set[fv.format == BILAT_EV_GDELT2], ev_scan_ids(s)) < 0)
            idcache_drop(cache); /* (read again for the next file) */
        if (rc < 0 && !fatal(rc)) {
            /* this file's write failed: say so and go on with the others */
            say(o, BILAT_LOG_ERROR, "%s", err && err->msg[0] ? err->msg : bilat_strerror(rc));
            st->failed_files++;
            rc = 0;
            if (err)
                memset(err, 0, sizeof(*err));
        }
    }
    bilat_scan_free(s);
    evids_release(&ids[0]);
    evids_release(&ids[1]);
    return rc;
}

/*
 * Read again the files that left out events of a file version just replaced: those events are
 * theirs now. A file no longer as it was recorded (moved, changed) cannot be: the events it
 * brought are then counted by no file, and a warning says which file to ingest again. Then
 * ingest the copies of the replaced version, whose data no file of the store holds now.
 */
static int reread(bilat_db *db, const struct bilat_ingest_opts *o,
                  const struct bilat_scan_opts *so, struct idlist *deps,
                  struct bilat_ingest_stats *st, struct bilat_err *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < deps->n; i++) {
        if (i && deps->v[i] == deps->v[i - 1])
            continue;
        sqlite3_stmt *q = NULL;
        BILAT_TRY(store_prepare(db, "SELECT path, size, sha256 FROM ingest_file WHERE id = ?1",
                                &q, err));
        sqlite3_bind_int64(q, 1, deps->v[i]);
        char path[PATH_MAX] = "", sha[65] = "";
        uint64_t size = 0;
        int s = sqlite3_step(q);
        if (s == SQLITE_ROW) {
            snprintf(path, sizeof(path), "%s", (const char *)sqlite3_column_text(q, 0));
            size = (uint64_t)sqlite3_column_int64(q, 1);
            const char *h = (const char *)sqlite3_column_text(q, 2);
            snprintf(sha, sizeof(sha), "%s", h ? h : "");
        } else if (s != SQLITE_DONE) {
            rc = store_fail(db, err, s, "cannot query the store");
        }
        sqlite3_finalize(q);
        if (rc < 0 || s != SQLITE_ROW)
            continue;
        char now[65];
        uint64_t now_size = 0;
        if (!sha[0] || evsrc_file_sha256(path, now, &now_size, NULL) < 0 || now_size != size ||
            strcmp(now, sha) != 0) {
            say(o, BILAT_LOG_WARNING, "'%s' left out events that a replaced file held; it "
                                      "moved or changed since it was ingested, so they are not "
                                      "counted now: ingest it again",
                path);
            continue;
        }
        uint64_t replaced = st->replaced; /* a file read again is not a new version */
        rc = ingest_one(db, o, so, path, true, st, NULL, NULL, err);
        st->replaced = replaced;
        st->reread++;
    }
    /* copies of a replaced version: their data is in no file of the store now */
    for (size_t i = 0; rc == 0 && i < deps->npaths; i++) {
        struct stat sb;
        if (stat(deps->paths[i], &sb) != 0 || !S_ISREG(sb.st_mode)) {
            say(o, BILAT_LOG_WARNING, "'%s' was skipped as a copy of a file that was replaced, "
                                      "and is not there any more: its data is not counted now",
                deps->paths[i]);
            continue;
        }
        rc = ingest_one(db, o, so, deps->paths[i], false, st, NULL, NULL, err);
        st->reread++;
    }
    idlist_release(deps);
    return rc;
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
    struct idlist deps = {0};
    struct idcache ids = {0};
    int rc = 0;
    size_t nparts = o->nparts ? o->nparts : 1;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (i % nparts != o->part)
            continue;
        if (o->file_cb)
            o->file_cb(o->file_ctx, i, n, files[i]);
        static struct known k;
        int known = known_by_path(db, files[i], &k, err);
        if (known < 0) {
            rc = known;
            continue;
        }
        if (known) {
            skip_known(o, files[i], &k, &st);
            continue;
        }
        rc = ingest_one(db, o, &so, files[i], false, &st, &deps, &ids, err);
        if (rc == 0 && (deps.n || deps.npaths)) {
            idcache_drop(&ids);
            rc = reread(db, o, &so, &deps, &st, err);
        }
#ifdef __GLIBC__
        /* the scan's tables were freed; give their pages back before the next file, whose
         * worker threads may not reuse the same arenas */
        malloc_trim(0);
#endif
    }
    idlist_release(&deps);
    idcache_drop(&ids);
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
    BILAT_TRY(ev_scan_for_ingest(&so, path, NULL, &s, err));
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
    /* The rank that scanned the file could not leave out the events other files of the store
     * hold: such a file is scanned again here, with them left out, rather than counted twice. */
    struct evids ids = {0};
    char abs[PATH_MAX];
    struct evfile_view fv;
    ev_scan_file(s, 0, &fv);
    if (rc == 0 && ev_scan_ids(s)->n && fv.format)
        rc = known_ids(db, realpath(path, abs) ? abs : path, bilat_ev_format_name(fv.format), &ids,
                       err);
    uint64_t shared = rc == 0 ? ids_shared(ev_scan_ids(s), &ids) : 0;
    evids_release(&ids);
    struct idlist deps = {0};
    if (rc == 0 && shared) {
        bilat_scan_free(s);
        s = NULL;
        rc = ingest_one(db, o, &so, path, false, stats, &deps, NULL, err);
    } else if (rc == 0) {
        rc = commit_file(db, o, s, false, stats, &deps, err);
    }
    if (rc == 0 && (deps.n || deps.npaths)) /* rank 0 reads the files again itself */
        rc = reread(db, o, &so, &deps, stats, err);
    idlist_release(&deps);
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
    /* (a store older than version 60, opened read-only, has no duplicates to list) */
    bool v60 = bilat_db_schema_version(db) >= 60;
    static const char files_sql[] =
        "SELECT name, origin, format, size, sha256, rows_read, rows_rejected, rows_duplicate, "
        "first_date, last_date, first_added, last_added, status, note, dedup, ingested_at "
        "FROM ingest_file "
        "WHERE (?1 IS NULL OR origin = ?1) AND (?2 IS NULL OR coalesce(last_added, last_date) >= ?2) "
        "AND (?3 IS NULL OR coalesce(first_added, first_date) <= ?3) "
        "ORDER BY coalesce(first_added, first_date), name";
    static const char files_sql_old[] =
        "SELECT name, origin, format, size, sha256, rows_read, rows_rejected, 0 AS rows_duplicate, "
        "first_date, last_date, first_added, last_added, status, note, dedup, ingested_at "
        "FROM ingest_file "
        "WHERE (?1 IS NULL OR origin = ?1) AND (?2 IS NULL OR coalesce(last_added, last_date) >= ?2) "
        "AND (?3 IS NULL OR coalesce(first_added, first_date) <= ?3) "
        "ORDER BY coalesce(first_added, first_date), name";
    static const char dups_sql[] =
        "SELECT d.path, d.name, d.size, d.container, d.sha256, d.content_sha256, "
        "f.path AS duplicate_of, f.id AS duplicate_of_id, d.seen_at "
        "FROM ingest_duplicate d JOIN ingest_file f ON f.id = d.duplicate_of "
        "WHERE (?1 IS NULL OR f.origin = ?1) AND (?2 IS NULL OR coalesce(f.last_added, "
        "f.last_date) >= ?2) AND (?3 IS NULL OR coalesce(f.first_added, f.first_date) <= ?3) "
        "ORDER BY d.path";
    static const char dups_sql_old[] =
        "SELECT NULL AS path, NULL AS name, NULL AS size, NULL AS container, NULL AS sha256, "
        "NULL AS content_sha256, NULL AS duplicate_of, NULL AS duplicate_of_id, NULL AS seen_at "
        "WHERE 0 AND coalesce(?1, ?2, ?3, 1)";
    /* Periods: every day (or month) from the first to the last one held, so that a period
     * without any file shows as 'missing' instead of disappearing. A period also counts as
     * held when a file list names files of it (fetch_file, bilat update): listed files that
     * are not in the store make it 'partial', or 'missing' when none is. The statements
     * follow a CTE `l` (day, listed, unfetched) over fetch_file. */
    static const char listed_sql[] =
        "WITH l AS (SELECT substr(slot, 1, 10) AS day, count(*) AS listed, "
        "  sum(status <> 'ingested') AS unfetched FROM fetch_file WHERE slot IS NOT NULL "
        "  AND (?1 IS NULL OR origin = ?1) AND (?2 IS NULL OR substr(slot, 1, 10) >= ?2) "
        "  AND (?3 IS NULL OR substr(slot, 1, 10) <= ?3) GROUP BY 1),\n";
    static const char no_list_sql[] = /* a store from before fetch_file, opened read-only */
        "WITH l AS (SELECT NULL AS day, 0 AS listed, 0 AS unfetched WHERE 0),\n";
    static const char days_sql[] =
        "c AS (SELECT c.* FROM ingest_coverage c JOIN ingest_file f ON f.id = c.file_id "
        "  WHERE (?1 IS NULL OR f.origin = ?1)),\n"
        "dd AS (SELECT day FROM c UNION SELECT day FROM l),\n"
        "span(d) AS (SELECT max(min(day), coalesce(?2, '0000')) FROM dd UNION ALL\n"
        "  SELECT date(d, '+1 day') FROM span WHERE d < min((SELECT max(day) FROM dd), "
        "coalesce(?3, '9999'))),\n"
        "agg AS (SELECT day, count(DISTINCT file_id) AS files, sum(rows) AS rows, "
        "  min(first_date) AS first_date, max(last_date) AS last_date FROM c GROUP BY day),\n"
        "rej AS (SELECT coalesce(first_added, first_date) AS day, sum(rows_rejected) AS n "
        "  FROM ingest_file WHERE (?1 IS NULL OR origin = ?1) GROUP BY 1)\n"
        "SELECT span.d AS day, coalesce(agg.files, 0) AS files, agg.rows, "
        "  CASE WHEN agg.day IS NULL THEN NULL ELSE coalesce(rej.n, 0) END AS rows_rejected, "
        "  agg.first_date, agg.last_date, "
        "  CASE WHEN coalesce(l.unfetched, 0) > 0 AND (agg.day IS NOT NULL OR "
        "    l.unfetched < l.listed) THEN 'partial' "
        "    WHEN agg.day IS NULL AND coalesce(l.unfetched, 0) = coalesce(l.listed, 0) "
        "    THEN 'missing' ELSE 'ok' END AS status\n"
        "FROM span LEFT JOIN agg ON agg.day = span.d LEFT JOIN rej ON rej.day = span.d "
        "LEFT JOIN l ON l.day = span.d WHERE span.d IS NOT NULL ORDER BY span.d";
    static const char months_sql[] =
        "c AS (SELECT c.* FROM ingest_coverage c JOIN ingest_file f ON f.id = c.file_id "
        "  WHERE (?1 IS NULL OR f.origin = ?1) AND (?2 IS NULL OR c.day >= ?2) "
        "  AND (?3 IS NULL OR c.day <= ?3)),\n"
        "lm AS (SELECT substr(day, 1, 7) AS month, sum(listed) AS listed, "
        "  sum(unfetched) AS unfetched FROM l GROUP BY 1),\n"
        "mm AS (SELECT substr(day, 1, 7) AS month FROM c UNION SELECT month FROM lm),\n"
        "span(m) AS (SELECT min(month) || '-01' FROM mm UNION ALL\n"
        "  SELECT date(m, '+1 month') FROM span WHERE substr(m, 1, 7) < "
        "(SELECT max(month) FROM mm)),\n"
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
        "  CASE WHEN agg.month IS NULL AND coalesce(lm.unfetched, 0) = coalesce(lm.listed, 0) "
        "    THEN 'missing' WHEN coalesce(lm.unfetched, 0) > 0 OR coalesce(agg.days, 0) < "
        "    CAST(strftime('%d', date(span.m, '+1 month', '-1 day')) AS INTEGER) "
        "    THEN 'partial' ELSE 'ok' END AS status\n"
        "FROM span LEFT JOIN agg ON agg.month = substr(span.m, 1, 7) "
        "LEFT JOIN rej ON rej.month = substr(span.m, 1, 7) "
        "LEFT JOIN lm ON lm.month = substr(span.m, 1, 7) "
        "WHERE span.m IS NOT NULL ORDER BY span.m";
    struct bilat_buf q = BILAT_BUF_INIT;
    if (!o->files && !o->duplicates) {
        int64_t lists = 0;
        BILAT_TRY(store_query_int(db, "SELECT count(*) FROM sqlite_schema WHERE name = "
                                      "'fetch_file'", NULL, &lists, err));
        if (bilat_buf_adds(&q, lists ? listed_sql : no_list_sql) < 0 ||
            bilat_buf_adds(&q, o->by_month ? months_sql : days_sql) < 0)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    sqlite3_stmt *st = NULL;
    const char *sql = o->duplicates ? (v60 ? dups_sql : dups_sql_old)
                      : o->files    ? (v60 ? files_sql : files_sql_old)
                                    : q.buf;
    int prc = store_prepare(db, sql, &st, err);
    bilat_buf_release(&q);
    BILAT_TRY(prc);
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
