/*
 * load.c: `bilat load DIR...`: curated datasets into the store (docs/DATA-FORMAT.md).
 *
 * Algorithm: one write transaction for the whole run. For each directory, the known files are
 * read in dependency order (reference tables, sources, actors, ..., votes); each row is
 * validated in C (so that the message names the column and the reason) and written with an
 * UPSERT on its natural key whose RETURNING clause gives the key back. Keys are recorded in a
 * temporary table `load_seen`, which catches duplicate keys inside a dataset and, at the end of
 * each directory, drives the pruning of records that were deleted from the files. Any rejected
 * row anywhere makes the whole run roll back: the store is then exactly as before.
 */
#include "store/load.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/parse.h"
#include "core/tsv.h"
#include "ingest/series.h"
#include "store/claim_syntax.h"
#include "store/db.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum { COL_REQ = 1 }; /* the column must be in the header */

struct col_spec {
    const char *name;
    unsigned flags;
};

struct load_ctx;
typedef int row_fn(struct load_ctx *c, const char *const *v);

/* One curated file: its columns, the SQL that stores a row, and how to prune. */
struct table_spec {
    const char *file;        /* file name in the dataset directory */
    const char *table;       /* SQL table */
    const char *key_expr;    /* natural key as an SQL expression over the table's columns */
    const char *prune_extra; /* extra condition for pruning, or NULL */
    const char *upsert;      /* INSERT ... ON CONFLICT ... RETURNING key */
    size_t stat;             /* offset of the counter in struct bilat_load_stats */
    row_fn *row;             /* validates a row and binds it (NULL for series.tsv) */
    struct col_spec cols[20];
};

enum { MAX_SPECS = 24 };

struct load_ctx {
    bilat_db *db;
    const struct bilat_load_opts *opts;
    struct bilat_load_stats *stats;
    struct bilat_err *err;
    const char *dataset;            /* name of the dataset being loaded */
    const char *dir;                /* its directory */
    const char *path;               /* file being read */
    const char *file;               /* its name inside the directory (for locators) */
    uint64_t line;                  /* line being read */
    const struct table_spec *spec;  /* spec of the file being read */
    sqlite3_stmt *st;               /* its prepared upsert */
    sqlite3_stmt *upserts[MAX_SPECS];
    sqlite3_stmt *seen_add, *seen_first;
    sqlite3_stmt *q_actor, *q_country, *q_source, *q_cameo, *q_vocab, *q_by_name, *q_cow,
        *q_call, *q_records, *q_concept, *q_claim_group;
    bool votes_pruned; /* roll calls or votes removed (the vote summaries are then stale) */
};

/* ------------------------------------------------------------------------------------------ */
/* Diagnostics                                                                                */

static void diag(struct load_ctx *c, enum bilat_level lv, const char *path, uint64_t line,
                 const char *fmt, ...) BILAT_PRINTF(5, 6);
static void diag(struct load_ctx *c, enum bilat_level lv, const char *path, uint64_t line,
                 const char *fmt, ...)
{
    if (lv == BILAT_LOG_ERROR)
        c->stats->rejected++;
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(c->opts ? &c->opts->diag : NULL, lv, path, line, fmt, ap);
    va_end(ap);
}

#define reject(c, ...) diag((c), BILAT_LOG_ERROR, (c)->path, (c)->line, __VA_ARGS__)

/* ------------------------------------------------------------------------------------------ */
/* Lookups                                                                                    */

static int step_lookup(struct load_ctx *c, sqlite3_stmt *st, int *found)
{
    int s = sqlite3_step(st);
    *found = s == SQLITE_ROW;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_fail(c->db, c->err, s, "cannot query the store");
    return 0;
}

/* Actor id and kind by code: 1 found, 0 not, <0 error. */
static int actor_lookup(struct load_ctx *c, const char *code, int64_t *id, char kind[16])
{
    int found;
    sqlite3_reset(c->q_actor);
    store_bind_text(c->q_actor, 1, code, -1);
    BILAT_TRY(step_lookup(c, c->q_actor, &found));
    if (found) {
        *id = sqlite3_column_int64(c->q_actor, 0);
        if (kind)
            snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(c->q_actor, 1));
    }
    sqlite3_reset(c->q_actor);
    return found;
}

static int exists(struct load_ctx *c, sqlite3_stmt *st, const char *a, const char *b)
{
    int found;
    sqlite3_reset(st);
    store_bind_text(st, 1, a, -1);
    if (b)
        store_bind_text(st, 2, b, -1);
    BILAT_TRY(step_lookup(c, st, &found));
    sqlite3_reset(st);
    return found;
}

/* ------------------------------------------------------------------------------------------ */
/* Field checks: each returns 0 when fine, -1 after rejecting the row.                         */

static int need(struct load_ctx *c, const char *v, const char *col)
{
    if (v)
        return 0;
    reject(c, "missing value in column '%s'", col);
    return -1;
}

/* Upper-case code of `min`..`max` characters from [A-Z0-9]. */
static int check_code(struct load_ctx *c, const char *v, const char *col, size_t min, size_t max)
{
    size_t n = strlen(v);
    int ok = n >= min && n <= max;
    for (size_t i = 0; ok && i < n; i++)
        ok = (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9');
    if (ok)
        return 0;
    reject(c, "bad code '%s' in column '%s' (expected %zu-%zu upper-case letters or digits)", v,
           col, min, max);
    return -1;
}

static int check_date(struct load_ctx *c, const char *v, const char *col, struct bilat_date *d)
{
    if (bilat_date_parse(v, strlen(v), d) < 0) {
        reject(c, "bad date '%s' in column '%s' (expected YYYY, YYYY-MM or YYYY-MM-DD)", v, col);
        return -1;
    }
    if (!bilat_year_in_bounds(d->year)) {
        reject(c, "date '%s' in column '%s' is out of range (years %d to %d)", v, col,
               BILAT_YEAR_MIN, bilat_year_max());
        return -1;
    }
    return 0;
}

/* Optional number: 1 = value in *out, 0 = missing, -1 = rejected. */
static int check_number(struct load_ctx *c, const char *v, const char *col, double *out)
{
    if (!v || bilat_is_missing(v, strlen(v)))
        return 0;
    if (bilat_parse_double(v, strlen(v), out) == 0)
        return 1;
    reject(c, "bad number '%s' in column '%s'", v, col);
    return -1;
}

static int check_int(struct load_ctx *c, const char *v, const char *col, int64_t *out)
{
    if (bilat_parse_int64(v, strlen(v), out) == 0)
        return 0;
    reject(c, "bad integer '%s' in column '%s'", v, col);
    return -1;
}

static int check_country(struct load_ctx *c, const char *v, const char *col)
{
    if (check_code(c, v, col, 3, 3) < 0)
        return -1;
    int rc = exists(c, c->q_country, v, NULL);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown country '%s' in column '%s' (not in the reference countries.tsv)", v, col);
    return -1;
}

static int check_source(struct load_ctx *c, const char *v)
{
    int rc = exists(c, c->q_source, v, NULL);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown source_id '%s' (not in sources.tsv)", v);
    return -1;
}

static int check_vocab(struct load_ctx *c, const char *field, const char *v)
{
    if (!v)
        return 0;
    int rc = exists(c, c->q_vocab, field, v);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown %s '%s' (not in the reference vocabulary.tsv)", field, v);
    return -1;
}

/* Look up an actor code and reject the row if it is unknown. */
static int check_actor(struct load_ctx *c, const char *code, const char *col, int64_t *id,
                       char kind[16])
{
    int rc = actor_lookup(c, code, id, kind);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown actor '%s' in column '%s' (not in actors.tsv)", code, col);
    return -1;
}

/* Combine check results: a negative store error wins, then a rejection. */
#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int check_rc_ = (expr);                                                                    \
        if (check_rc_ < -1)                                                                        \
            return check_rc_;                                                                      \
        if (check_rc_ == -1)                                                                       \
            bad = 1;                                                                               \
    } while (0)

/* ------------------------------------------------------------------------------------------ */
/* Writing a row                                                                              */

/*
 * Step the bound upsert. A constraint failure rejects the row; the returned key is recorded in
 * load_seen, and a key seen before in this dataset rejects the row as a duplicate.
 */
static int upsert(struct load_ctx *c)
{
    sqlite3_stmt *st = c->st;
    /* Every upsert takes the dataset name as its last parameter. */
    store_bind_text(st, sqlite3_bind_parameter_count(st), c->dataset, -1);
    int s = sqlite3_step(st);
    int rc = 0;
    const char *owner = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1) : NULL;
    if (s == SQLITE_ROW && owner && strcmp(owner, c->dataset) != 0) {
        /* another dataset's record: never taken over, nor later pruned, by this one */
        const char *key = (const char *)sqlite3_column_text(st, 0);
        reject(c, "%s '%s' belongs to dataset '%s', not to '%s' (a record is owned by the "
                  "dataset that loaded it first; to move it, load with --move-from %s)",
               c->spec->table, key ? key : "", owner, c->dataset, owner);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return 0;
    }
    if (s == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        sqlite3_stmt *a = c->seen_add;
        sqlite3_reset(a);
        store_bind_text(a, 1, c->dataset, -1);
        store_bind_text(a, 2, c->spec->table, -1);
        store_bind_text(a, 3, key ? key : "", -1);
        store_bind_text(a, 4, c->file, -1);
        sqlite3_bind_int64(a, 5, (sqlite3_int64)c->line);
        int t = sqlite3_step(a);
        if ((t & 0xff) == SQLITE_CONSTRAINT) {
            sqlite3_stmt *f = c->seen_first;
            sqlite3_reset(f);
            store_bind_text(f, 1, c->dataset, -1);
            store_bind_text(f, 2, c->spec->table, -1);
            store_bind_text(f, 3, key ? key : "", -1);
            if (sqlite3_step(f) == SQLITE_ROW)
                reject(c, "duplicate record '%s' (first at %s:%lld)", key ? key : "",
                       (const char *)sqlite3_column_text(f, 0),
                       (long long)sqlite3_column_int64(f, 1));
            else
                reject(c, "duplicate record '%s'", key ? key : "");
            sqlite3_reset(f);
        } else if (t != SQLITE_DONE) {
            rc = store_fail(c->db, c->err, t, "cannot record a loaded key");
        }
        sqlite3_reset(a);
        if (rc == 0)
            s = sqlite3_step(st);
    }
    if (rc == 0 && s != SQLITE_DONE) {
        if ((s & 0xff) == SQLITE_CONSTRAINT)
            reject(c, "rejected by the store: %s", sqlite3_errmsg(c->db->db));
        else
            rc = store_fail(c->db, c->err, s, "cannot write to the store");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == 0 && s == SQLITE_DONE)
        (*(uint64_t *)((char *)c->stats + c->spec->stat))++;
    return rc;
}

static void bind_opt_double(sqlite3_stmt *st, int i, int has, double v)
{
    if (has == 1)
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* ------------------------------------------------------------------------------------------ */
/* Row handlers, one per file                                                                 */

static int row_vocabulary(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[0], "field"));
    CHECK(need(c, v[1], "value"));
    if (bad)
        return 0;
    if (strcmp(v[0], "channel") && strcmp(v[0], "mode") && strcmp(v[0], "level")) {
        reject(c, "bad field '%s' (expected channel, mode or level)", v[0]);
        return 0;
    }
    for (const char *p = v[1]; *p; p++)
        if (!(islower((unsigned char)*p) || *p == '_')) {
            reject(c, "bad value '%s' (expected lower-case letters and '_')", v[1]);
            return 0;
        }
    for (int i = 0; i < 3; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

static int row_cameo(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[0], "code"));
    CHECK(need(c, v[1], "label"));
    CHECK(need(c, v[4], "root"));
    if (bad)
        return 0;
    size_t n = strlen(v[0]);
    int ok = n >= 2 && n <= 4;
    for (size_t i = 0; ok && i < n; i++)
        ok = isdigit((unsigned char)v[0][i]);
    if (!ok) {
        reject(c, "bad CAMEO code '%s' (expected 2 to 4 digits)", v[0]);
        return 0;
    }
    if (strlen(v[4]) != 2 || strncmp(v[0], v[4], 2) != 0) {
        reject(c, "root '%s' is not the first two digits of code '%s'", v[4], v[0]);
        return 0;
    }
    double g = 0;
    int hg = check_number(c, v[2], "goldstein", &g);
    if (hg < 0)
        return 0;
    if (hg && (g < -10 || g > 10)) {
        reject(c, "goldstein %g out of range -10..10", g);
        return 0;
    }
    int64_t q = 0;
    if (v[3] && (check_int(c, v[3], "quad", &q) < 0 || q < 1 || q > 4)) {
        if (q < 1 || q > 4)
            reject(c, "quad '%s' out of range 1..4", v[3]);
        return 0;
    }
    store_bind_text(c->st, 1, v[0], -1);
    store_bind_text(c->st, 2, v[1], -1);
    bind_opt_double(c->st, 3, hg, g);
    if (v[3])
        sqlite3_bind_int64(c->st, 4, q);
    store_bind_text(c->st, 5, v[4], -1);
    return upsert(c);
}

static int row_country(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[0], "iso3"));
    CHECK(need(c, v[4], "name"));
    if (bad)
        return 0;
    CHECK(check_code(c, v[0], "iso3", 3, 3));
    if (v[1])
        CHECK(check_code(c, v[1], "iso2", 2, 2));
    if (v[2])
        CHECK(check_code(c, v[2], "fips", 2, 2));
    int64_t cow = 0;
    if (v[3])
        CHECK(check_int(c, v[3], "cow", &cow));
    if (bad)
        return 0;
    for (int i = 0; i < 3; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    if (v[3])
        sqlite3_bind_int64(c->st, 4, cow);
    store_bind_text(c->st, 5, v[4], -1);
    return upsert(c);
}

/* An alias with an empty iso3 names a known aggregate ("World", "GLOBAL AVERAGE"): importers
 * skip its rows instead of rejecting them as unknown. */
static int row_country_alias(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[1], "alias"));
    if (bad)
        return 0;
    if (v[0])
        CHECK(check_country(c, v[0], "iso3"));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[0], -1);
    store_bind_text(c->st, 2, v[1], -1);
    return upsert(c);
}

/* Optional date range [from, to]: both valid and in order. */
static int check_range(struct load_ctx *c, const char *from, const char *to)
{
    struct bilat_date a, b;
    if (from && check_date(c, from, "date_from", &a) < 0)
        return -1;
    if (to && check_date(c, to, "date_to", &b) < 0)
        return -1;
    if (from && to && bilat_date_cmp(&a, &b) > 0) {
        reject(c, "date_to '%s' is before date_from '%s'", to, from);
        return -1;
    }
    return 0;
}

static int row_bloc(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[0], "bloc"));
    CHECK(need(c, v[1], "iso3"));
    if (bad)
        return 0;
    CHECK(check_country(c, v[1], "iso3"));
    CHECK(check_range(c, v[2], v[3]));
    if (bad)
        return 0;
    for (int i = 0; i < 4; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

/* un_seats.tsv: who held a country's UN seat from date_from to date_to (docs/DATA-FORMAT.md). */
static int row_un_seat(struct load_ctx *c, const char *const *v)
{
    enum { ISO3, FROM, TO, HOLDER, CURRENT, NOTE, SID, LOC };
    int bad = 0;
    CHECK(need(c, v[ISO3], "iso3"));
    CHECK(need(c, v[FROM], "date_from"));
    CHECK(need(c, v[HOLDER], "holder"));
    CHECK(need(c, v[CURRENT], "current"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_country(c, v[ISO3], "iso3"));
    CHECK(check_range(c, v[FROM], v[TO]));
    CHECK(check_source(c, v[SID]));
    if (strcmp(v[CURRENT], "0") != 0 && strcmp(v[CURRENT], "1") != 0) {
        reject(c, "bad current '%s' (1: the state of today holds the seat; 0: another holder, "
                  "or vacant)",
               v[CURRENT]);
        bad = 1;
    }
    if (bad)
        return 0;
    for (int i = ISO3; i <= LOC; i++)
        if (i == CURRENT)
            sqlite3_bind_int(c->st, i + 1, v[i][0] == '1');
        else
            store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

/* coverage.tsv: a source records every event of `scope` over [date_from, date_to]. */
static int row_coverage(struct load_ctx *c, const char *const *v)
{
    enum { ID, SID, FROM, TO, SCOPE, NOTE, LOC };
    int bad = 0;
    CHECK(need(c, v[ID], "id"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[FROM], "date_from"));
    CHECK(need(c, v[TO], "date_to"));
    CHECK(need(c, v[SCOPE], "scope"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_range(c, v[FROM], v[TO]));
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    for (int i = ID; i <= LOC; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

static int row_source(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[0], "id"));
    CHECK(need(c, v[1], "title"));
    if (bad)
        return 0;
    for (const char *p = v[0]; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.')) {
            reject(c, "bad source id '%s' (letters, digits, '-', '_', '.')", v[0]);
            return 0;
        }
    if (v[4]) {
        struct bilat_date d;
        if (check_date(c, v[4], "date", &d) < 0)
            return 0;
    }
    if (v[8] && strcmp(v[8], v[0]) == 0) {
        reject(c, "source '%s' cannot take its figures from itself (via)", v[0]);
        return 0;
    }
    for (int i = 0; i < 9; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

static int row_actor(struct load_ctx *c, const char *const *v)
{
    static const char *const kinds[] = {"state", "party", "person", "organisation"};
    int bad = 0;
    CHECK(need(c, v[0], "code"));
    CHECK(need(c, v[1], "name"));
    CHECK(need(c, v[2], "kind"));
    if (bad)
        return 0;
    CHECK(check_code(c, v[0], "code", 2, 24));
    int ok = 0;
    for (size_t i = 0; i < 4; i++)
        ok |= strcmp(v[2], kinds[i]) == 0;
    if (!ok) {
        reject(c, "bad kind '%s' (expected state, party, person or organisation)", v[2]);
        bad = 1;
    }
    if (v[3])
        CHECK(check_country(c, v[3], "country"));
    else if (ok && strcmp(v[2], "state") == 0) {
        reject(c, "a state needs its country code");
        bad = 1;
    }
    if (bad)
        return 0;
    for (int i = 0; i < 4; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

static int row_alias(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t id = 0;
    CHECK(need(c, v[0], "actor"));
    CHECK(need(c, v[1], "alias"));
    if (bad)
        return 0;
    CHECK(check_actor(c, v[0], "actor", &id, NULL));
    if (bad)
        return 0;
    sqlite3_bind_int64(c->st, 1, id);
    store_bind_text(c->st, 2, v[1], -1);
    return upsert(c);
}

static int row_affiliation(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t pid = 0, oid = 0;
    char kind[16] = "";
    CHECK(need(c, v[0], "person"));
    CHECK(need(c, v[1], "org"));
    CHECK(need(c, v[2], "role"));
    if (bad)
        return 0;
    CHECK(check_actor(c, v[0], "person", &pid, kind));
    CHECK(check_actor(c, v[1], "org", &oid, NULL));
    if (!bad && strcmp(kind, "person") != 0) {
        reject(c, "'%s' is a %s, not a person", v[0], kind);
        bad = 1;
    }
    CHECK(check_range(c, v[3], v[4]));
    if (v[5])
        CHECK(check_source(c, v[5]));
    if (bad)
        return 0;
    sqlite3_bind_int64(c->st, 1, pid);
    sqlite3_bind_int64(c->st, 2, oid);
    store_bind_text(c->st, 3, v[2], -1);
    store_bind_text(c->st, 4, v[3] ? v[3] : "", -1);
    for (int i = 4; i < 7; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

static int row_event(struct load_ctx *c, const char *const *v)
{
    enum { REF, FROM, TO, PREC, SRC, TGT, CAMEO, CHAN, MODE, LEVEL, QTY, UNIT, PLACE, NOTE, SID,
           LOC };
    int bad = 0;
    CHECK(need(c, v[REF], "ref"));
    CHECK(need(c, v[FROM], "date_from"));
    CHECK(need(c, v[PREC], "precision"));
    CHECK(need(c, v[SRC], "source"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    struct bilat_date a, b;
    if (check_date(c, v[FROM], "date_from", &a) < 0)
        return 0;
    if (v[TO] && check_date(c, v[TO], "date_to", &b) < 0)
        return 0;
    static const char *const precs[] = {"year", "month", "day", "range"};
    int prec = 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(v[PREC], precs[i]) == 0)
            prec = i + 1;
    if (!prec) {
        reject(c, "bad precision '%s' (expected day, month, year or range)", v[PREC]);
        return 0;
    }
    if (prec <= 3 && (int)a.prec != prec) {
        reject(c, "precision '%s' does not match date_from '%s'", v[PREC], v[FROM]);
        return 0;
    }
    if (prec == 4 && !v[TO]) {
        reject(c, "precision 'range' needs a date_to");
        return 0;
    }
    if (v[TO] && bilat_date_cmp(&a, &b) > 0) {
        reject(c, "date_to '%s' is before date_from '%s'", v[TO], v[FROM]);
        return 0;
    }
    int64_t src = 0, tgt = 0;
    CHECK(check_actor(c, v[SRC], "source", &src, NULL));
    if (v[TGT])
        CHECK(check_actor(c, v[TGT], "target", &tgt, NULL));
    if (v[CAMEO]) {
        int rc = exists(c, c->q_cameo, v[CAMEO], NULL);
        if (rc < 0)
            return rc;
        if (!rc) {
            reject(c, "unknown CAMEO code '%s' (not in the reference cameo.tsv)", v[CAMEO]);
            bad = 1;
        }
    }
    CHECK(check_vocab(c, "channel", v[CHAN]));
    CHECK(check_vocab(c, "mode", v[MODE]));
    CHECK(check_vocab(c, "level", v[LEVEL]));
    double qty = 0;
    int hq = check_number(c, v[QTY], "quantity", &qty);
    const char *range = hq > 0 ? bilat_value_range(qty, v[UNIT], true) : NULL;
    if (hq < 0) {
        bad = 1;
    } else if (range) {
        reject(c, "quantity '%s' is out of range: %s%s%s", v[QTY], range,
               v[UNIT] ? ", unit " : "", v[UNIT] ? v[UNIT] : "");
        bad = 1;
    }
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    sqlite3_stmt *st = c->st;
    store_bind_text(st, 1, v[REF], -1);
    store_bind_text(st, 2, v[FROM], -1);
    store_bind_text(st, 3, v[TO], -1);
    store_bind_text(st, 4, v[PREC], -1);
    sqlite3_bind_int64(st, 5, src);
    if (v[TGT])
        sqlite3_bind_int64(st, 6, tgt);
    store_bind_text(st, 7, v[CAMEO], -1);
    store_bind_text(st, 8, v[CHAN], -1);
    store_bind_text(st, 9, v[MODE], -1);
    store_bind_text(st, 10, v[LEVEL], -1);
    bind_opt_double(st, 11, hq, qty);
    for (int i = UNIT; i <= LOC; i++)
        store_bind_text(st, i + 1, v[i], -1);
    return upsert(c);
}

/* Indicator name: lower-case letters, digits and '_'. */
static int check_name(struct load_ctx *c, const char *v)
{
    for (const char *p = v; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) {
            reject(c, "bad indicator name '%s' (lower-case letters, digits and '_')", v);
            return -1;
        }
    return 0;
}

static int bind_indicator(struct load_ctx *c, const char *country, const char *partner,
                          const char *name, const char *period, int has, double value,
                          const char *qual, const char *unit, const char *source_id,
                          const char *locator, const char *note)
{
    /* the bounds hold for figures of series files too: every view must stay correct */
    const char *range = has == 1 ? bilat_value_range(value, unit, false) : NULL;
    int y0 = 0, y1 = 0;
    if (range) {
        reject(c, "value %g is out of range: %s%s%s", value, range, unit ? ", unit " : "",
               unit ? unit : "");
        return 0;
    }
    if (bilat_period_years(period, strlen(period), &y0, &y1) == 0 &&
        (!bilat_year_in_bounds(y0) || !bilat_year_in_bounds(y1))) {
        reject(c, "period '%s' is out of range (years %d to %d)", period, BILAT_YEAR_MIN,
               bilat_year_max());
        return 0;
    }
    sqlite3_stmt *st = c->st;
    store_bind_text(st, 1, country, -1);
    store_bind_text(st, 2, partner ? partner : "", -1);
    store_bind_text(st, 3, name, -1);
    store_bind_text(st, 4, period, -1);
    bind_opt_double(st, 5, has, value);
    store_bind_text(st, 6, qual, -1);
    store_bind_text(st, 7, unit, -1);
    store_bind_text(st, 8, source_id, -1);
    store_bind_text(st, 9, locator, -1);
    store_bind_text(st, 10, note, -1);
    return upsert(c);
}

static int row_indicator(struct load_ctx *c, const char *const *v)
{
    enum { CTRY, PART, NAME, PER, VAL, QUAL, UNIT, SID, LOC, NOTE };
    int bad = 0;
    CHECK(need(c, v[CTRY], "country"));
    CHECK(need(c, v[NAME], "name"));
    CHECK(need(c, v[PER], "period"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_country(c, v[CTRY], "country"));
    if (v[PART])
        CHECK(check_country(c, v[PART], "partner"));
    CHECK(check_name(c, v[NAME]));
    if (bilat_period_parse(v[PER], strlen(v[PER])) < 0) {
        reject(c, "bad period '%s' (expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or A/B)", v[PER]);
        bad = 1;
    }
    double val = 0;
    int has = check_number(c, v[VAL], "value", &val);
    if (has < 0)
        bad = 1;
    if (v[QUAL] && strcmp(v[QUAL], ">") && strcmp(v[QUAL], "<") && strcmp(v[QUAL], "~")) {
        reject(c, "bad qualifier '%s' (expected >, < or ~)", v[QUAL]);
        bad = 1;
    }
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    return bind_indicator(c, v[CTRY], v[PART], v[NAME], v[PER], has, val, v[QUAL], v[UNIT],
                          v[SID], v[LOC], v[NOTE]);
}

static int row_un_call(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t rcid = 0, session = 0, imp = 0;
    CHECK(need(c, v[0], "rcid"));
    if (bad)
        return 0;
    CHECK(check_int(c, v[0], "rcid", &rcid));
    if (v[1])
        CHECK(check_int(c, v[1], "session", &session));
    if (v[2]) {
        struct bilat_date d;
        CHECK(check_date(c, v[2], "date", &d));
    }
    if (v[5] && (strcmp(v[5], "0") && strcmp(v[5], "1"))) {
        reject(c, "bad important '%s' (expected 0 or 1)", v[5]);
        bad = 1;
    } else if (v[5])
        imp = v[5][0] == '1';
    if (v[6])
        CHECK(check_source(c, v[6]));
    if (bad)
        return 0;
    sqlite3_bind_int64(c->st, 1, rcid);
    if (v[1])
        sqlite3_bind_int64(c->st, 2, session);
    store_bind_text(c->st, 3, v[2], -1);
    store_bind_text(c->st, 4, v[3], -1);
    store_bind_text(c->st, 5, v[4], -1);
    sqlite3_bind_int64(c->st, 6, imp);
    store_bind_text(c->st, 7, v[6], -1);
    store_bind_text(c->st, 8, v[7], -1);
    return upsert(c);
}

static int row_un_vote(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t rcid = 0;
    CHECK(need(c, v[0], "rcid"));
    CHECK(need(c, v[1], "country"));
    CHECK(need(c, v[2], "vote"));
    if (bad)
        return 0;
    CHECK(check_int(c, v[0], "rcid", &rcid));
    CHECK(check_country(c, v[1], "country"));
    if (strcmp(v[2], "yes") && strcmp(v[2], "no") && strcmp(v[2], "abstain") &&
        strcmp(v[2], "absent")) {
        reject(c, "bad vote '%s' (expected yes, no, abstain or absent)", v[2]);
        bad = 1;
    }
    if (bad)
        return 0;
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)rcid);
    int rc = exists(c, c->q_call, num, NULL);
    if (rc < 0)
        return rc;
    if (!rc) {
        reject(c, "unknown roll call %lld (not in un_calls.tsv)", (long long)rcid);
        return 0;
    }
    sqlite3_bind_int64(c->st, 1, rcid);
    store_bind_text(c->st, 2, v[1], -1);
    store_bind_text(c->st, 3, v[2], -1);
    return upsert(c);
}


/* A key of lower-case letters, digits and '-' (concept ids, principle keys). */
static int check_slug(struct load_ctx *c, const char *v, const char *col)
{
    size_t n = strlen(v);
    int ok = n > 0 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-';
    if (ok)
        return 0;
    reject(c, "bad %s '%s' (1 to 64 lower-case letters, digits and '-')", col, v);
    return -1;
}

static int check_concept(struct load_ctx *c, const char *v)
{
    int rc = exists(c, c->q_concept, v, NULL);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown concept '%s' (not in concepts.tsv)", v);
    return -1;
}

static int row_concept(struct load_ctx *c, const char *const *v)
{
    enum { ID, NAME, OWNER, DATE, KIND, DESC, SID, LOC };
    int bad = 0;
    int64_t owner = 0;
    CHECK(need(c, v[ID], "id"));
    CHECK(need(c, v[NAME], "name"));
    CHECK(need(c, v[OWNER], "owner"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_slug(c, v[ID], "concept id"));
    CHECK(check_actor(c, v[OWNER], "owner", &owner, NULL));
    if (v[DATE]) {
        struct bilat_date d;
        CHECK(check_date(c, v[DATE], "date", &d));
    }
    if (v[KIND])
        CHECK(check_slug(c, v[KIND], "kind"));
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[ID], -1);
    store_bind_text(c->st, 2, v[NAME], -1);
    sqlite3_bind_int64(c->st, 3, owner);
    for (int i = DATE; i <= LOC; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

static int row_concept_principle(struct load_ctx *c, const char *const *v)
{
    enum { CONCEPT, KEY, LABEL, SID, LOC, NOTE };
    int bad = 0;
    CHECK(need(c, v[CONCEPT], "concept"));
    CHECK(need(c, v[KEY], "principle"));
    CHECK(need(c, v[LABEL], "label"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_concept(c, v[CONCEPT]));
    CHECK(check_slug(c, v[KEY], "principle"));
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[CONCEPT], -1);
    store_bind_text(c->st, 2, v[KEY], -1);
    store_bind_text(c->st, 3, v[LABEL], -1);
    sqlite3_bind_int64(c->st, 4, (sqlite3_int64)c->line);
    for (int i = SID; i <= NOTE; i++)
        store_bind_text(c->st, i + 2, v[i], -1);
    return upsert(c);
}

static int row_concept_adoption(struct load_ctx *c, const char *const *v)
{
    enum { CONCEPT, ACTOR, FROM, TO, SID, LOC, NOTE };
    int bad = 0;
    int64_t actor = 0;
    CHECK(need(c, v[CONCEPT], "concept"));
    CHECK(need(c, v[ACTOR], "actor"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_concept(c, v[CONCEPT]));
    CHECK(check_actor(c, v[ACTOR], "actor", &actor, NULL));
    CHECK(check_range(c, v[FROM], v[TO]));
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[CONCEPT], -1);
    sqlite3_bind_int64(c->st, 2, actor);
    store_bind_text(c->st, 3, v[FROM] ? v[FROM] : "", -1);
    for (int i = TO; i <= NOTE; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return upsert(c);
}

/*
 * A claims.tsv row (docs/CLAIMS.md). The check is validated as far as the store allows without
 * running it: SQL must compile against the current schema and be one read-only statement; a
 * measure call must name a known measure with its required arguments; the expectation must
 * parse. A group (method 'all') has neither check nor expectation; its parts name it in part_of
 * and come after it.
 */
static int row_claim(struct load_ctx *c, const char *const *v)
{
    enum { ID, PART, A, B, TEXT, METHOD, CHECKX, EXPECT, UNAV, SID, LOC, NOTE, STATED };
    int bad = 0;
    char why[256];
    CHECK(need(c, v[ID], "id"));
    CHECK(need(c, v[TEXT], "claim"));
    CHECK(need(c, v[METHOD], "method"));
    CHECK(need(c, v[SID], "source_id"));
    CHECK(need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    if (v[STATED] && strcmp(v[STATED], "brief") != 0 && strcmp(v[STATED], "inferred") != 0) {
        reject(c, "bad stated '%s' (brief: the source says it; inferred: our reading of it)",
               v[STATED]);
        bad = 1;
    }
    size_t n = strlen(v[ID]);
    int ok = n > 0 && n <= 40;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)v[ID][i]) || v[ID][i] == '-' || v[ID][i] == '_' ||
             v[ID][i] == '.';
    if (!ok) {
        reject(c, "bad claim id '%s' (1 to 40 letters, digits, '-', '_', '.')", v[ID]);
        bad = 1;
    }
    if (v[PART]) {
        int rc = exists(c, c->q_claim_group, v[PART], c->dataset);
        if (rc < 0)
            return rc;
        if (!rc) {
            reject(c, "part_of '%s' is not a claim of method 'all' above this row", v[PART]);
            bad = 1;
        }
    }
    for (int side = A; side <= B; side++) {
        if (!v[side])
            continue;
        int64_t id;
        int rc = check_code(c, v[side], side == A ? "a" : "b", 2, 24);
        if (rc == 0 && (rc = actor_lookup(c, v[side], &id, NULL)) == 0 &&
            (rc = exists(c, c->q_country, v[side], NULL)) == 0) {
            reject(c, "unknown actor '%s' in column '%s'", v[side], side == A ? "a" : "b");
            rc = -1;
        }
        if (rc < -1)
            return rc;
        if (rc == -1)
            bad = 1;
    }
    int method = strcmp(v[METHOD], "sql") == 0 ? 1 : strcmp(v[METHOD], "measure") == 0 ? 2
                 : strcmp(v[METHOD], "all") == 0 ? 3 : 0;
    if (!method) {
        reject(c, "bad method '%s' (expected sql, measure or all)", v[METHOD]);
        bad = 1;
    } else if (method == 3) {
        if (v[CHECKX] || v[EXPECT]) {
            reject(c, "a claim of method 'all' is judged by its parts: leave check and expect "
                      "empty");
            bad = 1;
        }
    } else {
        CHECK(need(c, v[CHECKX], "check"));
        CHECK(need(c, v[EXPECT], "expect"));
    }
    if (method && method < 3 && v[EXPECT]) {
        struct claim_expect e;
        if (claim_expect_parse(v[EXPECT], &e, why, sizeof(why)) < 0) {
            reject(c, "bad expectation: %s", why);
            bad = 1;
        }
    }
    if (method == 2 && v[CHECKX]) {
        struct claim_call call;
        if (claim_call_parse(v[CHECKX], &call, why, sizeof(why)) < 0) {
            reject(c, "bad measure call: %s", why);
            bad = 1;
        }
    } else if (method == 1 && v[CHECKX]) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int s = sqlite3_prepare_v2(c->db->db, v[CHECKX], -1, &st, &tail);
        if (s != SQLITE_OK) {
            reject(c, "check does not compile: %s", sqlite3_errmsg(c->db->db));
            bad = 1;
        } else if (!st) {
            reject(c, "empty SQL check");
            bad = 1;
        } else {
            while (tail && (*tail == ' ' || *tail == ';' || *tail == '\t'))
                tail++;
            if (tail && *tail) {
                reject(c, "check holds more than one SQL statement");
                bad = 1;
            } else if (!sqlite3_stmt_readonly(st)) {
                reject(c, "check must only read the store (SELECT or WITH)");
                bad = 1;
            } else if (sqlite3_column_count(st) < 1) {
                reject(c, "check returns no columns");
                bad = 1;
            }
        }
        sqlite3_finalize(st);
    }
    CHECK(check_source(c, v[SID]));
    if (bad)
        return 0;
    for (int i = ID; i <= LOC; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    sqlite3_bind_int64(c->st, LOC + 2, (sqlite3_int64)c->line);
    store_bind_text(c->st, LOC + 3, v[NOTE], -1);
    store_bind_text(c->st, LOC + 4, v[STATED], -1);
    return upsert(c);
}

/* ------------------------------------------------------------------------------------------ */
/* The file table (order = load order; pruning runs in reverse)                               */

#define STAT(f) offsetof(struct bilat_load_stats, f)

/*
 * Datasets own their records: a conflicting row that belongs to another dataset keeps its owner
 * (the row's other columns are overwritten, but upsert() then rejects the row, so the run rolls
 * back), unless that dataset is named with --move-from (temp.load_move). A row without an owner
 * (written by no dataset) is taken. Every upsert returns the key and the owner after the write.
 */
#define OWN(t)                                                                                     \
    "dataset = CASE WHEN " t ".dataset IS NULL OR " t ".dataset = excluded.dataset OR " t          \
    ".dataset IN (SELECT name FROM temp.load_move) THEN excluded.dataset ELSE " t ".dataset END"

static const struct table_spec specs[] = {
    {"vocabulary.tsv", "vocabulary", "field || '|' || value", NULL,
     "INSERT INTO vocabulary(field, value, description, dataset) VALUES (?1, ?2, ?3, ?4) "
     "ON CONFLICT(field, value) DO UPDATE SET description = excluded.description, "
     OWN("vocabulary") " RETURNING field || '|' || value, dataset",
     STAT(vocabulary), row_vocabulary, {{"field", COL_REQ}, {"value", COL_REQ}, {"description", 0}}},
    {"cameo.tsv", "cameo_code", "code", NULL,
     "INSERT INTO cameo_code(code, label, goldstein, quad, root, dataset) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET label = excluded.label, "
     "goldstein = excluded.goldstein, quad = excluded.quad, root = excluded.root, "
     OWN("cameo_code") " RETURNING code, dataset",
     STAT(cameo_codes), row_cameo,
     {{"code", COL_REQ}, {"label", COL_REQ}, {"goldstein", COL_REQ}, {"quad", COL_REQ},
      {"root", COL_REQ}}},
    {"countries.tsv", "country", "iso3", NULL,
     "INSERT INTO country(iso3, iso2, fips, cow, name, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
     "ON CONFLICT(iso3) DO UPDATE SET iso2 = excluded.iso2, fips = excluded.fips, "
     "cow = excluded.cow, name = excluded.name, " OWN("country") " RETURNING iso3, dataset",
     STAT(countries), row_country,
     {{"iso3", COL_REQ}, {"iso2", 0}, {"fips", 0}, {"cow", 0}, {"name", COL_REQ}}},
    {"country_aliases.tsv", "country_alias", "alias", NULL,
     "INSERT INTO country_alias(iso3, alias, dataset) VALUES (?1, ?2, ?3) "
     "ON CONFLICT(alias) DO UPDATE SET iso3 = excluded.iso3, " OWN("country_alias") " "
     "RETURNING alias, dataset",
     STAT(country_aliases), row_country_alias, {{"iso3", COL_REQ}, {"alias", COL_REQ}}},
    {"blocs.tsv", "bloc", "bloc || '|' || iso3", NULL,
     "INSERT INTO bloc(bloc, iso3, date_from, date_to, dataset) VALUES (?1, ?2, ?3, ?4, ?5) "
     "ON CONFLICT(bloc, iso3) DO UPDATE SET date_from = excluded.date_from, "
     "date_to = excluded.date_to, " OWN("bloc") " RETURNING bloc || '|' || iso3, dataset",
     STAT(blocs), row_bloc,
     {{"bloc", COL_REQ}, {"iso3", COL_REQ}, {"date_from", 0}, {"date_to", 0}}},
    {"sources.tsv", "source", "id", NULL,
     "INSERT INTO source(id, title, author, publisher, date, url, license, note, via, dataset) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO UPDATE SET "
     "title = excluded.title, author = excluded.author, publisher = excluded.publisher, "
     "date = excluded.date, url = excluded.url, license = excluded.license, "
     "note = excluded.note, via = excluded.via, " OWN("source") " RETURNING id, dataset",
     STAT(sources), row_source,
     {{"id", COL_REQ}, {"title", COL_REQ}, {"author", 0}, {"publisher", 0}, {"date", 0},
      {"url", 0}, {"license", 0}, {"note", 0}, {"via", 0}}},
    {"un_seats.tsv", "un_seat", "iso3 || '|' || date_from", NULL,
     "INSERT INTO un_seat(iso3, date_from, date_to, holder, current, note, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(iso3, date_from) DO UPDATE "
     "SET date_to = excluded.date_to, holder = excluded.holder, current = excluded.current, "
     "note = excluded.note, source_id = excluded.source_id, locator = excluded.locator, "
     OWN("un_seat") " RETURNING iso3 || '|' || date_from, dataset",
     STAT(un_seats), row_un_seat,
     {{"iso3", COL_REQ}, {"date_from", COL_REQ}, {"date_to", 0}, {"holder", COL_REQ},
      {"current", COL_REQ}, {"note", 0}, {"source_id", COL_REQ}, {"locator", COL_REQ}}},
    {"coverage.tsv", "record_coverage", "id", NULL,
     "INSERT INTO record_coverage(id, source_id, date_from, date_to, scope, note, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
     "source_id = excluded.source_id, date_from = excluded.date_from, "
     "date_to = excluded.date_to, scope = excluded.scope, note = excluded.note, "
     "locator = excluded.locator, " OWN("record_coverage") " RETURNING id, dataset",
     STAT(coverage), row_coverage,
     {{"id", COL_REQ}, {"source_id", COL_REQ}, {"date_from", COL_REQ}, {"date_to", COL_REQ},
      {"scope", COL_REQ}, {"note", 0}, {"locator", COL_REQ}}},
    {"actors.tsv", "actor", "code", NULL,
     "INSERT INTO actor(code, name, kind, country, dataset) VALUES (?1, ?2, ?3, ?4, ?5) "
     "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
     "country = excluded.country, " OWN("actor") " RETURNING code, dataset",
     STAT(actors), row_actor,
     {{"code", COL_REQ}, {"name", COL_REQ}, {"kind", COL_REQ}, {"country", COL_REQ}}},
    {"aliases.tsv", "actor_alias", "actor_id || '|' || alias", NULL,
     "INSERT INTO actor_alias(actor_id, alias, dataset) VALUES (?1, ?2, ?3) "
     "ON CONFLICT(actor_id, alias) DO UPDATE SET " OWN("actor_alias") " "
     "RETURNING actor_id || '|' || alias, dataset",
     STAT(aliases), row_alias, {{"actor", COL_REQ}, {"alias", COL_REQ}}},
    {"affiliations.tsv", "affiliation", "person_id || '|' || org_id || '|' || role || '|' || "
                                        "date_from",
     NULL,
     "INSERT INTO affiliation(person_id, org_id, role, date_from, date_to, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT(person_id, org_id, role, date_from) DO UPDATE SET date_to = excluded.date_to, "
     "source_id = excluded.source_id, locator = excluded.locator, " OWN("affiliation") " "
     "RETURNING person_id || '|' || org_id || '|' || role || '|' || date_from, dataset",
     STAT(affiliations), row_affiliation,
     {{"person", COL_REQ}, {"org", COL_REQ}, {"role", COL_REQ}, {"date_from", 0}, {"date_to", 0},
      {"source_id", 0}, {"locator", 0}}},
    {"events.tsv", "event", "ref", "origin = 'curated'",
     "INSERT INTO event(ref, date_from, date_to, precision, src_actor_id, tgt_actor_id, cameo, "
     "goldstein, quad, channel, mode, level, quantity, unit, place, note, source_id, locator, "
     "origin, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
     "(SELECT goldstein FROM cameo_code WHERE code = ?7), "
     "(SELECT quad FROM cameo_code WHERE code = ?7), ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
     "'curated', ?17) ON CONFLICT(origin, ref) DO UPDATE SET date_from = excluded.date_from, "
     "date_to = excluded.date_to, precision = excluded.precision, "
     "src_actor_id = excluded.src_actor_id, tgt_actor_id = excluded.tgt_actor_id, "
     "cameo = excluded.cameo, goldstein = excluded.goldstein, quad = excluded.quad, "
     "channel = excluded.channel, mode = excluded.mode, level = excluded.level, "
     "quantity = excluded.quantity, unit = excluded.unit, place = excluded.place, "
     "note = excluded.note, source_id = excluded.source_id, locator = excluded.locator, "
     OWN("event") " RETURNING ref, dataset",
     STAT(events), row_event,
     {{"ref", COL_REQ}, {"date_from", COL_REQ}, {"date_to", 0}, {"precision", COL_REQ},
      {"source", COL_REQ}, {"target", 0}, {"cameo", 0}, {"channel", 0}, {"mode", 0},
      {"level", 0}, {"quantity", 0}, {"unit", 0}, {"place", 0}, {"note", 0},
      {"source_id", COL_REQ}, {"locator", COL_REQ}}},
    {"indicators.tsv", "indicator",
     "country || '|' || partner || '|' || name || '|' || period || '|' || source_id", NULL,
     "INSERT INTO indicator(country, partner, name, period, value, qualifier, unit, source_id, "
     "locator, note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
     "ON CONFLICT(country, partner, name, period, source_id) DO UPDATE SET "
     "value = excluded.value, qualifier = excluded.qualifier, unit = excluded.unit, "
     "locator = excluded.locator, note = excluded.note, " OWN("indicator") " "
     "RETURNING country || '|' || partner || '|' || name || '|' || period || '|' || source_id, "
     "dataset",
     STAT(indicators), row_indicator,
     {{"country", COL_REQ}, {"partner", 0}, {"name", COL_REQ}, {"period", COL_REQ},
      {"value", COL_REQ}, {"qualifier", 0}, {"unit", 0}, {"source_id", COL_REQ},
      {"locator", COL_REQ}, {"note", 0}}},
    /* series.tsv writes indicator rows through the statement of indicators.tsv */
    {"series.tsv", "indicator", NULL, NULL, NULL, 0, NULL,
     {{"path", COL_REQ}, {"format", COL_REQ}, {"source_id", COL_REQ}, {"countries", 0}}},
    {"un_calls.tsv", "un_call", "rcid", NULL,
     "INSERT INTO un_call(rcid, session, date, resolution, title, important, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(rcid) DO UPDATE SET "
     "session = excluded.session, date = excluded.date, resolution = excluded.resolution, "
     "title = excluded.title, important = excluded.important, source_id = excluded.source_id, "
     "locator = excluded.locator, " OWN("un_call") " RETURNING rcid, dataset",
     STAT(un_calls), row_un_call,
     {{"rcid", COL_REQ}, {"session", 0}, {"date", 0}, {"resolution", 0}, {"title", 0},
      {"important", 0}, {"source_id", 0}, {"locator", 0}}},
    {"un_votes.tsv", "un_vote", "rcid || '|' || country", NULL,
     "INSERT INTO un_vote(rcid, country, vote, dataset) VALUES (?1, ?2, ?3, ?4) "
     "ON CONFLICT(rcid, country) DO UPDATE SET vote = excluded.vote, " OWN("un_vote") " "
     "RETURNING rcid || '|' || country, dataset",
     STAT(un_votes), row_un_vote, {{"rcid", COL_REQ}, {"country", COL_REQ}, {"vote", COL_REQ}}},
    {"concepts.tsv", "concept", "id", NULL,
     "INSERT INTO concept(id, name, owner_id, date, kind, description, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO UPDATE SET "
     "name = excluded.name, owner_id = excluded.owner_id, date = excluded.date, "
     "kind = excluded.kind, description = excluded.description, source_id = excluded.source_id, "
     "locator = excluded.locator, " OWN("concept") " RETURNING id, dataset",
     STAT(concepts), row_concept,
     {{"id", COL_REQ}, {"name", COL_REQ}, {"owner", COL_REQ}, {"date", 0}, {"kind", 0},
      {"description", 0}, {"source_id", COL_REQ}, {"locator", COL_REQ}}},
    {"concept_principles.tsv", "concept_principle", "concept_id || '|' || principle", NULL,
     "INSERT INTO concept_principle(concept_id, principle, label, position, source_id, locator, "
     "note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT(concept_id, principle) DO UPDATE SET label = excluded.label, "
     "position = excluded.position, source_id = excluded.source_id, locator = excluded.locator, "
     "note = excluded.note, " OWN("concept_principle") " RETURNING concept_id || '|' || "
     "principle, dataset",
     STAT(principles), row_concept_principle,
     {{"concept", COL_REQ}, {"principle", COL_REQ}, {"label", COL_REQ}, {"source_id", COL_REQ},
      {"locator", COL_REQ}, {"note", 0}}},
    {"concept_adoptions.tsv", "concept_adoption",
     "concept_id || '|' || actor_id || '|' || date_from", NULL,
     "INSERT INTO concept_adoption(concept_id, actor_id, date_from, date_to, source_id, locator, "
     "note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT(concept_id, actor_id, date_from) DO UPDATE SET date_to = excluded.date_to, "
     "source_id = excluded.source_id, locator = excluded.locator, note = excluded.note, "
     OWN("concept_adoption") " RETURNING concept_id || '|' || actor_id || '|' || date_from, "
     "dataset",
     STAT(adoptions), row_concept_adoption,
     {{"concept", COL_REQ}, {"actor", COL_REQ}, {"date_from", 0}, {"date_to", 0},
      {"source_id", COL_REQ}, {"locator", COL_REQ}, {"note", 0}}},
    {"claims.tsv", "claim", "id", NULL,
     "INSERT INTO claim(id, part_of, a, b, text, method, check_expr, expect, unavailable, "
     "source_id, locator, position, note, stated, dataset) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, coalesce(?14, 'brief'), "
     "?15) ON CONFLICT(id) DO UPDATE SET part_of = excluded.part_of, a = excluded.a, "
     "b = excluded.b, text = excluded.text, method = excluded.method, "
     "check_expr = excluded.check_expr, expect = excluded.expect, "
     "unavailable = excluded.unavailable, source_id = excluded.source_id, "
     "locator = excluded.locator, position = excluded.position, note = excluded.note, "
     "stated = excluded.stated, " OWN("claim") " RETURNING id, dataset",
     STAT(claims), row_claim,
     {{"id", COL_REQ}, {"part_of", 0}, {"a", 0}, {"b", 0}, {"claim", COL_REQ},
      {"method", COL_REQ}, {"check", 0}, {"expect", 0}, {"unavailable", 0},
      {"source_id", COL_REQ}, {"locator", COL_REQ}, {"note", 0}, {"stated", 0}}},
};
enum { N_SPECS = sizeof(specs) / sizeof(specs[0]) };
_Static_assert((int)N_SPECS <= (int)MAX_SPECS, "raise MAX_SPECS");

static size_t spec_ncols(const struct table_spec *s)
{
    size_t n = 0;
    while (n < sizeof(s->cols) / sizeof(s->cols[0]) && s->cols[n].name)
        n++;
    return n;
}

static int spec_index(const char *file)
{
    for (int i = 0; i < N_SPECS; i++)
        if (strcmp(specs[i].file, file) == 0)
            return i;
    return -1;
}

/* The upsert of spec i, prepared on first use. The statement binds the dataset last. */
static int upsert_stmt(struct load_ctx *c, int i, sqlite3_stmt **st_out)
{
    if (!c->upserts[i])
        BILAT_TRY(store_prepare(c->db, specs[i].upsert, &c->upserts[i], c->err));
    *st_out = c->upserts[i];
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* series.tsv: the raw-file importers write indicator rows through this sink                  */

struct series_ctx {
    struct load_ctx *c;
    const char *source_id;
    const char *locfile; /* path shown in locators */
    int rc;              /* first store error */
};

static int sink_emit(void *ctx, const struct series_row *r)
{
    struct series_ctx *s = ctx;
    struct load_ctx *c = s->c;
    char loc[512];
    snprintf(loc, sizeof(loc), "%s:%llu", s->locfile, (unsigned long long)r->line);
    c->line = r->line;
    return bind_indicator(c, r->country, r->partner, r->name, r->period, r->has_value,
                          r->value, NULL, r->unit, s->source_id, loc, r->note);
}

static void sink_reject(void *ctx, uint64_t line, const char *msg)
{
    struct series_ctx *s = ctx;
    diag(s->c, BILAT_LOG_ERROR, s->c->path, line, "%s", msg);
}

static void sink_skip(void *ctx, uint64_t line, const char *msg)
{
    (void)line;
    (void)msg;
    struct series_ctx *s = ctx;
    s->c->stats->skipped++;
}

/* 1 = country found, 2 = a known aggregate (NULL iso3), 0 = unknown. */
static int sink_lookup_iso3(struct load_ctx *c, sqlite3_stmt *st, char iso3[4])
{
    int found;
    BILAT_TRY(step_lookup(c, st, &found));
    if (found) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s)
            snprintf(iso3, 4, "%s", s);
        else
            found = 2;
    }
    sqlite3_reset(st);
    return found;
}

static int sink_by_name(void *ctx, const char *name, char iso3[4])
{
    struct load_ctx *c = ((struct series_ctx *)ctx)->c;
    sqlite3_reset(c->q_by_name);
    store_bind_text(c->q_by_name, 1, name, -1);
    return sink_lookup_iso3(c, c->q_by_name, iso3);
}

static int sink_by_cow(void *ctx, long cow, char iso3[4])
{
    struct load_ctx *c = ((struct series_ctx *)ctx)->c;
    sqlite3_reset(c->q_cow);
    sqlite3_bind_int64(c->q_cow, 1, cow);
    return sink_lookup_iso3(c, c->q_cow, iso3);
}

static int sink_known(void *ctx, const char *iso3)
{
    struct load_ctx *c = ((struct series_ctx *)ctx)->c;
    return exists(c, c->q_country, iso3, NULL);
}

/* Split "KHM,CHN" into a NULL-terminated list inside `buf`. */
static const char **split_countries(char *buf, const char **list, size_t max)
{
    size_t n = 0;
    for (char *p = buf; p && *p && n + 1 < max;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ')
            p++;
        if (*p)
            list[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    list[n] = NULL;
    return list;
}

/* One series.tsv row: resolve the path, run the importer. */
static int row_series(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(need(c, v[0], "path"));
    CHECK(need(c, v[1], "format"));
    CHECK(need(c, v[2], "source_id"));
    if (bad)
        return 0;
    const char *const *fmts = bilat_series_formats();
    int known = 0;
    for (size_t i = 0; fmts[i]; i++)
        known |= strcmp(fmts[i], v[1]) == 0;
    if (!known) {
        reject(c, "unknown series format '%s' (see bilat load --help)", v[1]);
        return 0;
    }
    CHECK(check_source(c, v[2]));
    if (bad)
        return 0;
    struct bilat_buf path = BILAT_BUF_INIT, loc = BILAT_BUF_INIT;
    int rc = 0;
    int external = strncmp(v[0], "external:", 9) == 0;
    if (external) {
        if (!c->opts || !c->opts->external_dir) {
            diag(c, BILAT_LOG_WARNING, c->path, c->line,
                 "skipping '%s': not shipped (its terms do not allow it); give its directory "
                 "with --external DIR",
                 v[0] + 9);
            c->stats->skipped++;
            return 0;
        }
        rc = bilat_buf_addf(&path, "%s/%s", c->opts->external_dir, v[0] + 9);
        if (rc == 0)
            rc = bilat_buf_addf(&loc, "external:%s", v[0] + 9);
    } else {
        rc = bilat_buf_addf(&path, "%s/%s", c->dir, v[0]);
        if (rc == 0)
            rc = bilat_buf_addf(&loc, "%s", v[0]);
    }
    if (rc < 0) {
        rc = bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    if (external && !bilat_file_exists(path.buf)) {
        diag(c, BILAT_LOG_WARNING, c->path, c->line, "skipping '%s': no such file", path.buf);
        c->stats->skipped++;
        goto out;
    }
    char cbuf[512];
    const char *list[64];
    const char *const *keep = NULL;
    if (v[3]) {
        snprintf(cbuf, sizeof(cbuf), "%s", v[3]);
        keep = split_countries(cbuf, list, 64);
    }
    /* Rows of the importer are written with the indicators.tsv statement and spec. */
    const struct table_spec *saved_spec = c->spec;
    sqlite3_stmt *saved_st = c->st;
    const char *saved_path = c->path, *saved_file = c->file;
    uint64_t saved_line = c->line;
    int ii = spec_index("indicators.tsv");
    rc = upsert_stmt(c, ii, &c->st);
    if (rc == 0) {
        c->spec = &specs[ii];
        c->path = path.buf;
        c->file = loc.buf;
        struct series_ctx sc = {c, v[2], loc.buf, 0};
        struct series_sink sink = {&sc,         sink_emit,    sink_reject, sink_skip,
                                   sink_by_name, sink_by_cow, sink_known};
        struct bilat_err ierr = {0};
        rc = series_import(v[1], path.buf, keep, &sink, &ierr);
        if (rc == BILAT_EPARSE || rc == BILAT_ENOTFOUND || rc == BILAT_EIO ||
            rc == BILAT_ELIMIT) {
            /* A file the importer cannot read is a bad row of series.tsv, not a crash. */
            diag(c, BILAT_LOG_ERROR, ierr.path ? ierr.path : path.buf, ierr.line, "%s",
                 ierr.msg);
            rc = 0;
        } else if (rc < 0 && c->err && c->err->code == 0) {
            *c->err = ierr;
        }
    }
    c->spec = saved_spec;
    c->st = saved_st;
    c->path = saved_path;
    c->file = saved_file;
    c->line = saved_line;
out:
    bilat_buf_release(&path);
    bilat_buf_release(&loc);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Files and directories                                                                      */

static int load_file(struct load_ctx *c, int si, const char *path, const char *file)
{
    const struct table_spec *s = &specs[si];
    struct tsv_file f;
    struct bilat_err ferr = {0};
    int rc = tsv_open(&f, path, &ferr);
    c->path = path;
    c->file = file;
    c->spec = s;
    if (rc < 0) {
        if (rc == BILAT_ENOMEM) {
            tsv_close(&f);
            return bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        }
        diag(c, BILAT_LOG_ERROR, path, ferr.line, "%s", ferr.msg);
        tsv_close(&f);
        return 0;
    }
    /* Map the header to the spec's columns; unknown or missing required columns are errors. */
    size_t nc = spec_ncols(s);
    int map[20];
    int header_bad = 0;
    for (size_t i = 0; i < nc; i++) {
        map[i] = tsv_col(&f, s->cols[i].name);
        if (map[i] < 0 && (s->cols[i].flags & COL_REQ)) {
            c->line = f.line;
            reject(c, "missing column '%s' in the header", s->cols[i].name);
            header_bad = 1;
        }
    }
    for (size_t j = 0; j < f.ncol; j++) {
        int known = 0;
        for (size_t i = 0; i < nc; i++)
            known |= strcmp(f.names[j], s->cols[i].name) == 0;
        if (!known) {
            c->line = f.line;
            reject(c, "unknown column '%s' in the header", f.names[j]);
            header_bad = 1;
        }
    }
    if (header_bad)
        goto out;
    if (s->upsert && (rc = upsert_stmt(c, si, &c->st)) < 0)
        goto out;
    const char *v[20];
    for (;;) {
        int r = tsv_next(&f);
        if (r == 0)
            break;
        c->line = f.line;
        if (r < 0) {
            reject(c, "%s", f.reason);
            continue;
        }
        for (size_t i = 0; i < nc; i++)
            v[i] = (map[i] >= 0 && f.lens[map[i]] > 0) ? f.fields[map[i]] : NULL;
        for (size_t i = nc; i < 20; i++)
            v[i] = NULL;
        rc = s->row ? s->row(c, v) : row_series(c, v);
        if (rc < 0)
            goto out;
    }
    rc = 0;
out:
    tsv_close(&f);
    return rc;
}

static int prune(struct load_ctx *c)
{
    for (int i = N_SPECS - 1; i >= 0; i--) {
        const struct table_spec *s = &specs[i];
        if (!s->key_expr)
            continue;
        struct bilat_buf sql = BILAT_BUF_INIT;
        int rc = bilat_buf_addf(&sql,
                                "DELETE FROM %s WHERE dataset = ?1%s%s AND (%s) NOT IN "
                                "(SELECT key FROM temp.load_seen WHERE dataset = ?1 AND tbl = ?2)",
                                s->table, s->prune_extra ? " AND " : "",
                                s->prune_extra ? s->prune_extra : "", s->key_expr);
        if (rc < 0)
            return bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        sqlite3_stmt *st = NULL;
        rc = store_prepare(c->db, sql.buf, &st, c->err);
        bilat_buf_release(&sql);
        BILAT_TRY(rc);
        store_bind_text(st, 1, c->dataset, -1);
        store_bind_text(st, 2, s->table, -1);
        int t = sqlite3_step(st);
        if (t == SQLITE_DONE) {
            int changed = sqlite3_changes(c->db->db);
            c->stats->pruned += (uint64_t)changed;
            if (changed && (strcmp(s->table, "un_call") == 0 || strcmp(s->table, "un_vote") == 0))
                c->votes_pruned = true;
        } else if ((t & 0xff) == SQLITE_CONSTRAINT) {
            diag(c, BILAT_LOG_ERROR, c->dir, 0,
                 "records deleted from %s are still used by other records (%s)", s->file,
                 sqlite3_errmsg(c->db->db));
        } else {
            rc = store_fail(c->db, c->err, t, "cannot remove deleted records");
        }
        sqlite3_finalize(st);
        BILAT_TRY(rc);
    }
    return 0;
}

/* Dataset name: the last component of the directory path. */
static void dataset_name(const char *dir, char *out, size_t len)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    snprintf(out, len, "%.*s", (int)(n - start), dir + start);
}

static int load_dir(struct load_ctx *c, const char *dir)
{
    char name[256];
    dataset_name(dir, name, sizeof(name));
    c->dataset = name;
    c->dir = dir;
    if (!bilat_file_is_dir(dir)) {
        diag(c, BILAT_LOG_ERROR, dir, 0, "not a directory");
        return 0;
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || !*name) {
        diag(c, BILAT_LOG_ERROR, dir, 0, "cannot name the dataset: give the directory by name");
        return 0;
    }
    /* Warn about files that look like data but that no loader reads (a misspelt name). */
    DIR *d = opendir(dir);
    if (!d) {
        diag(c, BILAT_LOG_ERROR, dir, 0, "cannot read directory");
        return 0;
    }
    struct dirent *e;
    int nfiles = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".tsv") == 0 && spec_index(e->d_name) < 0)
            diag(c, BILAT_LOG_WARNING, dir, 0, "ignoring unknown file '%s'", e->d_name);
    }
    closedir(d);
    uint64_t before = c->stats->rejected;
    for (int i = 0; i < N_SPECS; i++) {
        struct bilat_buf path = BILAT_BUF_INIT;
        if (bilat_buf_addf(&path, "%s/%s", dir, specs[i].file) < 0)
            return bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        int rc = 0;
        if (bilat_file_exists(path.buf)) {
            nfiles++;
            rc = load_file(c, i, path.buf, specs[i].file);
        }
        bilat_buf_release(&path);
        BILAT_TRY(rc);
    }
    c->path = NULL;
    if (nfiles == 0)
        diag(c, BILAT_LOG_ERROR, dir, 0, "no dataset files here (see docs/DATA-FORMAT.md)");
    if (c->stats->rejected > before)
        return 0; /* the run rolls back; pruning would only add noise */
    BILAT_TRY(prune(c));
    /* Record the load. */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(c->db,
                            "INSERT INTO dataset(name, path, loaded_at, files, records) "
                            "VALUES (?1, ?2, ?3, ?4, (SELECT count(*) FROM temp.load_seen "
                            "WHERE dataset = ?1)) ON CONFLICT(name) DO UPDATE SET "
                            "path = excluded.path, loaded_at = excluded.loaded_at, "
                            "files = excluded.files, records = excluded.records",
                            &st, c->err));
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    store_bind_text(st, 1, name, -1);
    store_bind_text(st, 2, dir, -1);
    store_bind_text(st, 3, now, -1);
    sqlite3_bind_int(st, 4, nfiles);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return store_fail(c->db, c->err, s, "cannot record the dataset");
    return 0;
}

/* Records a dataset owns, over every table a load writes. */
static int dataset_records(bilat_db *db, const char *name, int64_t *out, struct bilat_err *err)
{
    *out = 0;
    for (int i = 0; i < N_SPECS; i++) {
        if (!specs[i].key_expr || (i > 0 && strcmp(specs[i].table, specs[i - 1].table) == 0))
            continue;
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE dataset = ?1", specs[i].table);
        int64_t n = 0;
        BILAT_TRY(store_query_int(db, sql, name, &n, err));
        *out += n;
    }
    return 0;
}

/*
 * After a load with move_from: how many records moved, and the dataset row of what is left of
 * that dataset (gone when nothing is).
 */
static int moved_from(bilat_db *db, const char *name, int64_t before,
                      struct bilat_load_stats *stats, struct bilat_err *err)
{
    int64_t left = 0;
    BILAT_TRY(dataset_records(db, name, &left, err));
    stats->moved = before > left ? (uint64_t)(before - left) : 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            left ? "UPDATE dataset SET records = ?2 WHERE name = ?1"
                                 : "DELETE FROM dataset WHERE name = ?1 AND ?2 = 0",
                            &st, err));
    store_bind_text(st, 1, name, -1);
    sqlite3_bind_int64(st, 2, left);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot record the dataset");
    return 0;
}

static const char *const lookups[] = {
    "SELECT id, kind FROM actor WHERE code = ?1",
    "SELECT 1 FROM country WHERE iso3 = ?1",
    "SELECT 1 FROM source WHERE id = ?1",
    "SELECT 1 FROM cameo_code WHERE code = ?1",
    "SELECT 1 FROM vocabulary WHERE field = ?1 AND value = ?2",
    "SELECT iso3 FROM country WHERE name = ?1 COLLATE NOCASE "
    "UNION ALL SELECT iso3 FROM country_alias WHERE alias = ?1 LIMIT 1",
    "SELECT iso3 FROM country WHERE cow = ?1 ORDER BY iso3 LIMIT 1",
    "SELECT 1 FROM un_call WHERE rcid = CAST(?1 AS INTEGER)",
    "SELECT 1 FROM concept WHERE id = ?1",
    /* a group claim of this dataset seen earlier in this load (so: above the row) */
    "SELECT 1 FROM claim WHERE id = ?1 AND method = 'all' AND id IN "
    "(SELECT key FROM temp.load_seen WHERE dataset = ?2 AND tbl = 'claim')",
};

int bilat_load_dirs(bilat_db *db, const char *const *dirs, size_t n,
                    const struct bilat_load_opts *opts, struct bilat_load_stats *stats_out,
                    struct bilat_err *err)
{
    struct bilat_load_stats stats = {0};
    struct load_ctx c = {.db = db, .opts = opts, .stats = &stats, .err = err};
    sqlite3_stmt **q[] = {&c.q_actor, &c.q_country, &c.q_source, &c.q_cameo,
                          &c.q_vocab, &c.q_by_name, &c.q_cow,    &c.q_call,
                          &c.q_concept, &c.q_claim_group};
    int rc = 0, in_tx = 0;
    if (db->readonly)
        return bilat_fail(err, BILAT_EINVAL, "the store is open read-only");
    if (err)
        err->code = 0;
    rc = store_begin(db, err);
    if (rc < 0)
        goto out;
    in_tx = 1;
    rc = store_exec(db,
                    "CREATE TEMP TABLE IF NOT EXISTS load_seen(dataset TEXT, tbl TEXT, key TEXT, "
                    "path TEXT, line INTEGER, PRIMARY KEY (dataset, tbl, key)); "
                    "DELETE FROM temp.load_seen; "
                    "CREATE TEMP TABLE IF NOT EXISTS load_move(name TEXT PRIMARY KEY); "
                    "DELETE FROM temp.load_move",
                    err);
    int64_t moving = 0; /* records of the move_from dataset before the load */
    if (rc == 0 && opts && opts->move_from) {
        sqlite3_stmt *mv = NULL;
        rc = store_prepare(db, "INSERT INTO temp.load_move(name) VALUES (?1)", &mv, err);
        if (rc == 0) {
            store_bind_text(mv, 1, opts->move_from, -1);
            int s = sqlite3_step(mv);
            if (s != SQLITE_DONE)
                rc = store_fail(db, err, s, "cannot prepare the load");
        }
        sqlite3_finalize(mv);
        if (rc == 0)
            rc = dataset_records(db, opts->move_from, &moving, err);
    }
    for (size_t i = 0; rc == 0 && i < sizeof(q) / sizeof(q[0]); i++)
        rc = store_prepare(db, lookups[i], q[i], err);
    if (rc == 0)
        rc = store_prepare(db,
                           "INSERT INTO temp.load_seen(dataset, tbl, key, path, line) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           &c.seen_add, err);
    if (rc == 0)
        rc = store_prepare(db,
                           "SELECT path, line FROM temp.load_seen "
                           "WHERE dataset = ?1 AND tbl = ?2 AND key = ?3",
                           &c.seen_first, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = load_dir(&c, dirs[i]);
    if (rc == 0 && stats.rejected == 0 && opts && opts->move_from)
        rc = moved_from(db, opts->move_from, moving, &stats, err);
    if (rc == 0 && stats.rejected > 0)
        rc = bilat_fail(err, BILAT_EPARSE, "%llu error%s; nothing was loaded",
                        (unsigned long long)stats.rejected, stats.rejected == 1 ? "" : "s");
    /* roll calls or votes written or removed: the vote summaries are out of date */
    if (rc == 0 && (stats.un_calls || stats.un_votes || c.votes_pruned))
        rc = store_votes_changed(db, err);
    if (rc == 0) {
        rc = store_exec(db, "COMMIT", err);
        if (rc == 0)
            in_tx = 0;
        else
            bilat_err_prefix(err, "cannot save the load (nothing was loaded): ");
    }
out:
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        sqlite3_finalize(*q[i]);
    sqlite3_finalize(c.seen_add);
    sqlite3_finalize(c.seen_first);
    for (int i = 0; i < N_SPECS; i++)
        sqlite3_finalize(c.upserts[i]);
    if (in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.load_seen", NULL, NULL, NULL);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.load_move", NULL, NULL, NULL);
    if (stats_out)
        *stats_out = stats;
    return rc;
}
