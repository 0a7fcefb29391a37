/*
 * db.c: opening the store, pragmas, migrations, and the generic query entry point.
 *
 * Pragmas: WAL journal (readers run while a load or ingest writes), synchronous=NORMAL (safe
 * with WAL: a crash loses at most the last transactions, never consistency), foreign keys on,
 * a busy timeout so that a reader and a writer wait for each other instead of failing.
 */
#include "store/db.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "store/migrations.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* How much of a store a reader maps (SQLite caps it at its own build's limit, 2 GiB on Debian). */
#define STORE_MMAP_BYTES "2147418112"

int store_fail(bilat_db *db, struct bilat_err *err, int rc, const char *what)
{
    int prim = rc & 0xff;
    int code = BILAT_ESQL;
    if (prim == SQLITE_NOMEM)
        code = BILAT_ENOMEM;
    else if (prim == SQLITE_FULL || prim == SQLITE_IOERR || prim == SQLITE_CANTOPEN ||
             prim == SQLITE_READONLY || prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT ||
             prim == SQLITE_PERM)
        code = BILAT_EIO;
    const char *msg = db && db->db ? sqlite3_errmsg(db->db) : sqlite3_errstr(rc);
    int sys = db && db->db ? sqlite3_system_errno(db->db) : 0;
    if (sys && code == BILAT_EIO && prim != SQLITE_NOTADB && prim != SQLITE_CORRUPT)
        return bilat_fail(err, code, "%s: %s (%s)", what, msg, strerror(sys));
    if (prim == SQLITE_IOERR || prim == SQLITE_FULL)
        return bilat_fail(err, code, "%s: %s (is the disk full, or the file size limited?)", what,
                          msg);
    return bilat_fail(err, code, "%s: %s", what, msg);
}

int store_exec(bilat_db *db, const char *sql, struct bilat_err *err)
{
    int rc = sqlite3_exec(db->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        return store_fail(db, err, rc, "cannot run SQL");
    return 0;
}

/*
 * A migration or a summary built again may sort a whole table (the cube's index, a summary
 * grouped from the cube): SQLite's sorter then writes its runs to temporary files, with 40 MiB
 * of cache and one helper thread, instead of holding them in memory (temp_store=MEMORY, a
 * writer's setting: building the index of a cube of 16 million rows took 1.1 GB that way, and
 * summing event_month from it 440 MB). Set outside a transaction (SQLite refuses to change
 * temp_store inside one), and the connection's settings again after.
 */
struct sort_settings {
    int64_t cache, temp, threads; /* the connection's settings before */
};

static int sort_in_files(bilat_db *db, struct sort_settings *was, struct bilat_err *err)
{
    BILAT_TRY(store_query_int(db, "PRAGMA cache_size", NULL, &was->cache, err));
    BILAT_TRY(store_query_int(db, "PRAGMA temp_store", NULL, &was->temp, err));
    BILAT_TRY(store_query_int(db, "PRAGMA threads", NULL, &was->threads, err));
    return store_exec(db, "PRAGMA temp_store=FILE; PRAGMA threads=1; PRAGMA cache_size=-40960",
                      err);
}

/* The settings before sort_in_files() again; rc is the work's result (its error kept). */
static int sort_done(bilat_db *db, const struct sort_settings *was, int rc,
                     struct bilat_err *err)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "PRAGMA temp_store=%d; PRAGMA threads=%d; PRAGMA cache_size=%lld",
             (int)was->temp, (int)was->threads, (long long)was->cache);
    int prc = store_exec(db, sql, rc < 0 ? NULL : err);
    return rc < 0 ? rc : prc;
}

/* `sql` inside a savepoint named `name`. */
static int exec_in_savepoint(bilat_db *db, const char *name, const char *sql,
                             struct bilat_err *err)
{
    char sp[128];
    snprintf(sp, sizeof(sp), "SAVEPOINT \"%s\"", name);
    BILAT_TRY(store_exec(db, sp, err));
    int rc = store_exec(db, sql, err);
    snprintf(sp, sizeof(sp), rc == 0 ? "RELEASE \"%s\"" : "ROLLBACK TO \"%s\"; RELEASE \"%s\"",
             name, name);
    int end = store_exec(db, sp, rc == 0 ? err : NULL);
    return rc < 0 ? rc : end;
}

int store_exec_whole(bilat_db *db, const char *name, const char *sql, struct bilat_err *err)
{
    if (!sqlite3_get_autocommit(db->db))
        return exec_in_savepoint(db, name, sql, err);
    struct sort_settings was;
    BILAT_TRY(sort_in_files(db, &was, err));
    return sort_done(db, &was, exec_in_savepoint(db, name, sql, err), err);
}

void store_bind_real_or_null(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

void store_bind_int_or_null(sqlite3_stmt *st, int i, int v)
{
    if (v)
        sqlite3_bind_int(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

int store_commit(bilat_db *db, int *in_tx, const char *what, struct bilat_err *err)
{
    int rc = store_exec(db, "COMMIT", err);
    if (rc == 0)
        *in_tx = 0;
    else
        bilat_err_prefix(err, "%s: ", what);
    return rc;
}

int store_prepare(bilat_db *db, const char *sql, sqlite3_stmt **st_out, struct bilat_err *err)
{
    *st_out = NULL;
    int rc = sqlite3_prepare_v2(db->db, sql, -1, st_out, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*st_out);
        *st_out = NULL;
        return store_fail(db, err, rc, "cannot prepare SQL");
    }
    return 0;
}

static uint64_t sql_hash(const char *sql)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    return h;
}

int store_prepare_kept(bilat_db *db, const char *sql, sqlite3_stmt **st_out,
                       struct bilat_err *err)
{
    uint64_t h = sql_hash(sql);
    for (size_t i = 0; i < db->nstmts; i++) {
        struct store_stmt *k = &db->stmts[i];
        if (k->hash == h && !k->busy && strcmp(sqlite3_sql(k->st), sql) == 0) {
            k->busy = 1;
            *st_out = k->st;
            return 0;
        }
    }
    BILAT_TRY(store_prepare(db, sql, st_out, err));
    if (db->nstmts == STORE_KEPT)
        return 0;
    if (!db->stmts) {
        db->stmts = bilat_calloc(STORE_KEPT, sizeof(*db->stmts));
        if (!db->stmts)
            return 0; /* not kept: finalized when given back */
    }
    db->stmts[db->nstmts++] = (struct store_stmt){h, *st_out, 1};
    return 0;
}

void store_unprepare(bilat_db *db, sqlite3_stmt *st)
{
    for (size_t i = 0; st && i < db->nstmts; i++)
        if (db->stmts[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            db->stmts[i].busy = 0;
            return;
        }
    sqlite3_finalize(st);
}

int store_bind_text(sqlite3_stmt *st, int i, const char *s, int len)
{
    if (!s)
        return sqlite3_bind_null(st, i);
    return sqlite3_bind_text(st, i, s, len, SQLITE_TRANSIENT);
}

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int budget_check(void *ctx)
{
    struct store_budget *b = ctx;
    b->steps += STORE_BUDGET_EVERY;
    if (b->steps >= STORE_BUDGET_STEPS)
        b->spent = 2;
    else if (mono_s() - b->start > b->seconds)
        b->spent = 1;
    return b->spent != 0; /* nonzero interrupts the statement */
}

void store_budget_start(bilat_db *db, struct store_budget *b)
{
    memset(b, 0, sizeof(*b));
    b->seconds = STORE_BUDGET_SECONDS;
    const char *env = getenv("BILAT_CHECK_SECONDS");
    char *end = NULL;
    double v = env ? strtod(env, &end) : 0;
    if (env && end != env && !*end && v > 0 && v < 1e6)
        b->seconds = v;
    b->start = mono_s();
    sqlite3_progress_handler(db->db, STORE_BUDGET_EVERY, budget_check, b);
}

void store_budget_stop(bilat_db *db)
{
    sqlite3_progress_handler(db->db, 0, NULL, NULL);
}

const char *store_budget_spent(const struct store_budget *b, char *why, size_t cap)
{
    if (!b->spent)
        return NULL;
    if (b->spent == 1)
        snprintf(why, cap, "it ran longer than %g s, its time budget (environment variable "
                           "BILAT_CHECK_SECONDS)",
                 b->seconds);
    else
        snprintf(why, cap, "it ran more than %llu SQLite steps, its step budget",
                 (unsigned long long)STORE_BUDGET_STEPS);
    return why;
}

int store_step_done(bilat_db *db, sqlite3_stmt *st, const char *what, struct bilat_err *err)
{
    int s = sqlite3_step(st);
    sqlite3_reset(st);
    return s == SQLITE_DONE ? 0 : store_fail(db, err, s, what);
}

int store_record_dataset(bilat_db *db, const char *name, const char *const *paths, size_t npaths,
                         int64_t files, const char *count_sql, struct bilat_err *err)
{
    struct bilat_buf path = BILAT_BUF_INIT;
    for (size_t i = 0; i < npaths; i++)
        if (bilat_buf_addf(&path, "%s%s", i ? " " : "", paths[i]) < 0) {
            bilat_buf_release(&path);
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    char sql[800];
    snprintf(sql, sizeof(sql),
             "INSERT INTO dataset(name, path, loaded_at, files, records) VALUES (?1, ?2, "
             "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'), ?3, (%s)) ON CONFLICT(name) DO UPDATE "
             "SET path = excluded.path, loaded_at = excluded.loaded_at, files = excluded.files, "
             "records = excluded.records",
             count_sql);
    sqlite3_stmt *st = NULL;
    int rc = store_prepare(db, sql, &st, err);
    if (rc == 0) {
        store_bind_text(st, 1, name, -1);
        store_bind_text(st, 2, path.buf, -1);
        sqlite3_bind_int64(st, 3, files);
        rc = store_step_done(db, st, "cannot record the ingest", err);
    }
    sqlite3_finalize(st);
    bilat_buf_release(&path);
    return rc;
}

int store_query_int(bilat_db *db, const char *sql, const char *arg, int64_t *out,
                    struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, sql, &st, err));
    if (arg)
        store_bind_text(st, 1, arg, -1);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int ret = 0;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        ret = store_fail(db, err, rc, "cannot query the store");
    sqlite3_finalize(st);
    return ret;
}

static void utc_now(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Apply every migration not yet recorded, each in its own transaction. */
static int migrate_pending(bilat_db *db, struct bilat_err *err)
{
    BILAT_TRY(store_exec(db,
                         "CREATE TABLE IF NOT EXISTS schema_version(\n"
                         "  version INTEGER PRIMARY KEY,\n"
                         "  applied_at TEXT NOT NULL,\n"
                         "  description TEXT NOT NULL)",
                         err));
    size_t n;
    const struct store_migration *m = store_migrations(&n);
    for (size_t i = 0; i < n; i++) {
        int64_t have = 0;
        char q[96];
        snprintf(q, sizeof(q), "SELECT count(*) FROM schema_version WHERE version = %d",
                 m[i].version);
        BILAT_TRY(store_query_int(db, q, NULL, &have, err));
        if (have)
            continue;
        /* Foreign keys are off while a migration runs, as SQLite's procedure for rebuilding a
         * table asks (a table that others refer to is copied, dropped and renamed); the pragma
         * does nothing inside a transaction, so it is set around it, and every reference is
         * checked before the commit instead. */
        BILAT_TRY(store_exec(db, "PRAGMA foreign_keys=OFF", err));
        int rc = store_exec(db, "BEGIN IMMEDIATE", err);
        if (rc < 0) {
            sqlite3_exec(db->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
            return rc;
        }
        rc = store_exec(db, m[i].sql, err);
        sqlite3_stmt *st = NULL;
        if (rc == 0) {
            rc = store_prepare(db, "PRAGMA foreign_key_check", &st, err);
            int s = rc == 0 ? sqlite3_step(st) : SQLITE_DONE;
            if (s == SQLITE_ROW)
                rc = bilat_fail(err, BILAT_ESQL, "a reference from table '%s' is broken",
                                (const char *)sqlite3_column_text(st, 0));
            else if (rc == 0 && s != SQLITE_DONE)
                rc = store_fail(db, err, s, "cannot check the references");
            sqlite3_finalize(st);
            st = NULL;
        }
        if (rc == 0)
            rc = store_prepare(db,
                               "INSERT INTO schema_version(version, applied_at, description) "
                               "VALUES (?1, ?2, ?3)",
                               &st, err);
        if (rc == 0) {
            char now[32];
            utc_now(now, sizeof(now));
            sqlite3_bind_int(st, 1, m[i].version);
            sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, m[i].description, -1, SQLITE_STATIC);
            int s = sqlite3_step(st);
            if (s != SQLITE_DONE)
                rc = store_fail(db, err, s, "cannot record the schema version");
        }
        sqlite3_finalize(st);
        if (rc == 0)
            rc = store_exec(db, "COMMIT", err);
        if (rc < 0)
            sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        int frc = store_exec(db, "PRAGMA foreign_keys=ON", rc < 0 ? NULL : err);
        if (rc == 0)
            rc = frc;
        if (rc < 0) {
            bilat_err_prefix(err, "cannot set up schema version %d in '%s': ", m[i].version,
                             db->path);
            return rc;
        }
    }
    int64_t v = 0;
    BILAT_TRY(store_query_int(db, "SELECT max(version) FROM schema_version", NULL, &v, err));
    db->version = (int)v;
    return 0;
}

/* The same, SQLite sorting in files (sort_in_files()). */
static int migrate(bilat_db *db, struct bilat_err *err)
{
    struct sort_settings was;
    BILAT_TRY(sort_in_files(db, &was, err));
    return sort_done(db, &was, migrate_pending(db, err), err);
}

/* Highest version this build knows; a newer store is refused rather than misread. */
static int known_version(void)
{
    size_t n;
    const struct store_migration *m = store_migrations(&n);
    return n ? m[n - 1].version : 0;
}

/*
 * SQLite's process-wide settings, made once before its first use. Memory statistics off: bilat
 * never reads them (sqlite3_memory_used()), and keeping them takes a global mutex on every
 * allocation and free SQLite makes, some 70,000 of them for a profile.
 */
static void sqlite_setup(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* store_fail() with `what` formatted (the store's path in it). */
static int open_fail(bilat_db *db, struct bilat_err *err, int s, const char *fmt, ...)
    BILAT_PRINTF(4, 5);
static int open_fail(bilat_db *db, struct bilat_err *err, int s, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    return store_fail(db, err, s, what);
}

int bilat_db_open(const char *path, unsigned flags, bilat_db **db_out, struct bilat_err *err)
{
    static pthread_once_t setup = PTHREAD_ONCE_INIT;
    pthread_once(&setup, sqlite_setup);
    *db_out = NULL;
    if (!path || !*path)
        return bilat_fail(err, BILAT_EINVAL, "no database path given");
    int readonly = (flags & BILAT_OPEN_READONLY) != 0;
    int existed = bilat_file_exists(path);
    if (!(flags & BILAT_OPEN_CREATE) && !existed)
        return bilat_fail_at(err, BILAT_ENOTFOUND, path, 0, "no store at '%s'", path);
    if (bilat_file_is_dir(path))
        return bilat_fail_at(err, BILAT_EIO, path, 0, "'%s' is a directory, not a store", path);
    bilat_db *db = bilat_calloc(1, sizeof(*db));
    if (!db)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    db->readonly = readonly;
    db->path = bilat_strdup(path);
    int rc = 0;
    if (!db->path) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto fail;
    }
    int oflags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    int s = sqlite3_open_v2(path, &db->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (s != SQLITE_OK) {
        rc = open_fail(db, err, s, "cannot open '%s'", path);
        goto fail;
    }
    sqlite3_extended_result_codes(db->db, 1);
    sqlite3_busy_timeout(db->db, 10000);
    /* The first statement reads the header: a file that is not SQLite fails here. */
    s = sqlite3_exec(db->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    if (s != SQLITE_OK) {
        rc = open_fail(db, err, s, "cannot read '%s' as a bilat store", path);
        goto fail;
    }
    if (!readonly) {
        s = sqlite3_exec(db->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
        if (s != SQLITE_OK) {
            rc = open_fail(db, err, s, "cannot open '%s' for writing", path);
            goto fail;
        }
    }
    rc = store_exec(db,
                    "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                    "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536",
                    err);
    if (rc < 0)
        goto fail;
    if (readonly) {
        /* A reader maps the file instead of copying each page it reads into a cache of its own
         * (a cold profile reads about 3,000 pages: a third of its system time went to those
         * copies). Writers keep reading through the cache, so that an ingest's resident memory
         * does not grow with the store's size. */
        rc = store_exec(db, "PRAGMA mmap_size=" STORE_MMAP_BYTES, err);
        if (rc < 0)
            goto fail;
        int64_t have = 0;
        rc = store_query_int(db,
                             "SELECT count(*) FROM sqlite_schema WHERE name = 'schema_version'",
                             NULL, &have, err);
        if (rc == 0 && have)
            rc = store_query_int(db, "SELECT max(version) FROM schema_version", NULL, &have,
                                 err);
        if (rc < 0)
            goto fail;
        db->version = (int)have;
        if (db->version == 0) {
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "'%s' is not a bilat store", path);
            goto fail;
        }
    } else {
        rc = migrate(db, err);
        if (rc < 0) {
            if (!existed) {
                /* A store this call created but could not set up is removed, not left half-made. */
                sqlite3_close_v2(db->db);
                db->db = NULL;
                static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
                for (size_t i = 0; i < 4; i++) {
                    char p[4096];
                    snprintf(p, sizeof(p), "%s%s", path, ext[i]);
                    unlink(p);
                }
            }
            goto fail;
        }
    }
    if (db->version > known_version()) {
        rc = bilat_fail_at(err, BILAT_EIO, path, 0,
                           "'%s' has schema version %d, newer than this bilat (%d)", path,
                           db->version, known_version());
        goto fail;
    }
    *db_out = db;
    return 0;
fail:
    bilat_db_close(db);
    return rc;
}

void *store_memo_get(bilat_db *db, int slot, int64_t key)
{
    struct store_memo *m = &db->memo[slot];
    return m->ptr && m->key == key ? m->ptr : NULL;
}

static void memo_drop(struct store_memo *m)
{
    if (m->ptr && m->free_fn)
        m->free_fn(m->ptr);
    *m = (struct store_memo){0};
}

void store_memo_set(bilat_db *db, int slot, void *ptr, void (*free_fn)(void *), int64_t key)
{
    memo_drop(&db->memo[slot]);
    db->memo[slot] = (struct store_memo){ptr, free_fn, key};
}

int64_t store_data_version(bilat_db *db)
{
    unsigned int v = 0;
    if (sqlite3_file_control(db->db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK)
        return -1;
    return (int64_t)v;
}

int store_begin(bilat_db *db, struct bilat_err *err)
{
    BILAT_TRY(store_exec(db, "BEGIN IMMEDIATE", err));
    if (db->version < 90)
        return 0;
    int rc = store_exec(db, "UPDATE store_state SET generation = generation + 1", err);
    if (rc < 0)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int store_generation(bilat_db *db, int64_t *out, struct bilat_err *err)
{
    *out = 0;
    if (db->version < 90)
        return 0;
    return store_query_int(db, "SELECT generation FROM store_state", NULL, out, err);
}

int store_votes_changed(bilat_db *db, struct bilat_err *err)
{
    memo_drop(&db->memo[STORE_MEMO_VOTES_YEAR]);
    memo_drop(&db->memo[STORE_MEMO_VOTES_SESSION]);
    if (db->version < 90)
        return 0;
    return store_exec(db, "DELETE FROM un_panel", err);
}

void bilat_db_close(bilat_db *db)
{
    if (!db)
        return;
    sqlite3_finalize(db->data_version);
    for (size_t i = 0; i < db->nstmts; i++)
        sqlite3_finalize(db->stmts[i].st);
    bilat_free(db->stmts);
    for (int i = 0; i < STORE_MEMOS; i++)
        memo_drop(&db->memo[i]);
    if (db->db)
        sqlite3_close_v2(db->db);
    bilat_free(db->path);
    bilat_free(db);
}

int bilat_db_schema_version(bilat_db *db)
{
    return db->version;
}

const char *bilat_db_path(bilat_db *db)
{
    return db->path;
}

int bilat_db_data_version(bilat_db *db, int64_t *out, struct bilat_err *err)
{
    if (!db->data_version)
        BILAT_TRY(store_prepare(db, "PRAGMA data_version", &db->data_version, err));
    sqlite3_reset(db->data_version);
    int st = sqlite3_step(db->data_version);
    int rc = 0;
    if (st == SQLITE_ROW)
        *out = sqlite3_column_int64(db->data_version, 0);
    else
        rc = store_fail(db, err, st, "cannot read the store's version");
    sqlite3_reset(db->data_version);
    return rc;
}

int bilat_db_set_cache(bilat_db *db, size_t kib, struct bilat_err *err)
{
    /* a pragma takes no bound parameter: the number is written into it */
    char sql[48];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%zu", kib);
    return store_exec(db, sql, err);
}

int bilat_sql_each(bilat_db *db, const char *sql, bilat_row_fn *fn, void *ctx,
                   struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int s = sqlite3_prepare_v2(db->db, sql, -1, &st, &tail);
    if (s != SQLITE_OK)
        return store_fail(db, err, s, "SQL error");
    if (!st)
        return bilat_fail(err, BILAT_EINVAL, "empty SQL statement");
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == ';' ||
                    *tail == '\r'))
        tail++;
    int rc = 0;
    const char **names = NULL, **values = NULL;
    if (tail && *tail) {
        rc = bilat_fail(err, BILAT_EINVAL, "only one SQL statement at a time (extra text: '%.40s')",
                        tail);
        goto out;
    }
    if (db->readonly && !sqlite3_stmt_readonly(st)) {
        rc = bilat_fail(err, BILAT_ESQL, "the store is open read-only; statement refused");
        goto out;
    }
    int ncol = sqlite3_column_count(st);
    names = bilat_calloc((size_t)ncol + 1, sizeof(*names));
    values = bilat_calloc((size_t)ncol + 1, sizeof(*values));
    if (!names || !values) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < ncol; i++)
        names[i] = sqlite3_column_name(st, i);
    if (ncol > 0 && (rc = fn(ctx, ncol, names, NULL)) != 0)
        goto out;
    for (;;) {
        s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            break;
        if (s != SQLITE_ROW) {
            rc = store_fail(db, err, s, "SQL error");
            goto out;
        }
        for (int i = 0; i < ncol; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if ((rc = fn(ctx, ncol, names, values)) != 0)
            goto out;
    }
out:
    bilat_free(names);
    bilat_free(values);
    sqlite3_finalize(st);
    return rc;
}
