/*
 * claims.c: judging claims (docs/CLAIMS.md).
 *
 * A claim is read from the store (table `claim`, loaded from claims.tsv) or from a file given
 * to `bilat claims FILE`. Its check is either one read-only SQL statement or a named measure
 * (the registry: store/claim_syntax.c for names and arguments, `impls` below for the code).
 * The check yields an evidence table; the expectation reads it:
 *   - comparisons and `between`: the first cell of the first row is the measured value;
 *   - `rising`/`falling`: rows are (x, y) points (a measure gives its own series); the verdict
 *     is the sign of the least-squares slope with a one-sided t-test at the 5 % level;
 *   - `top N KEY`: rows are (key, value); KEY's rank is 1 + the number of keys with a larger
 *     value, and a ranking needs more than N keys.
 * No rows, a NULL value or too few points make the claim "not checkable", with the claim's own
 * `unavailable` text as the reason. A check that cannot run is the claim's error.
 * A group (method `all`) is the conjunction of its parts: contradicted when a part is, supported
 * when every part is, otherwise not checkable (or an error when a part failed).
 *
 * Every claim also says whether its evidence comes only from the claim's own source: such a
 * check restates the source (the record was curated from it) rather than testing it.
 */
#include "analytics/claims.h"

#include "analytics/align.h"
#include "analytics/network.h"
#include "analytics/narratives.h"
#include "analytics/table.h"
#include "analytics/votes.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/tsv.h"
#include "store/db.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EVIDENCE_MAX_ROWS = 1000 }; /* rows kept in a claim's evidence (all rows are judged) */

enum verdict { V_NONE, V_SUPPORTED, V_CONTRADICTED, V_UNCHECKABLE, V_ERROR };

static const char *const verdict_names[] = {"", "supported", "contradicted", "not checkable",
                                            "error"};

/* One claim as written. Strings live in the run's arena. */
struct cdef {
    const char *id, *part_of, *a, *b, *text, *method, *check, *expect, *unavailable,
        *source_id, *locator, *note;
    char actry[4], bctry[4]; /* countries of a and b ("" when not given or unknown) */
};

/* The judgement of one claim. */
struct judged {
    enum verdict v;
    bool has_value;
    double value;
    char shown[96];    /* the measured value for people ("60", "rank 1 of 4", "+0.43/yr") */
    char detail[640];  /* how the verdict follows, or why there is none */
    json_t *evidence;  /* table section or NULL */
    char sources[512]; /* evidence sources, comma-separated, sorted, unique */
    bool restates;     /* every evidence source is the claim's own source */
    bool selected;     /* passes the run's filter */
};

struct run {
    bilat_db *db;
    const struct bilat_claims_opts *o;
    struct bilat_arena arena;
    struct cdef *defs;
    struct judged *res;
    size_t n, cap;
    struct bilat_claims_summary sum;
};

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static void gsl_init(void)
{
    /* GSL's default handler aborts; here every error is a return value. */
    gsl_set_error_handler_off();
}

void claim_trend(const double *x, const double *y, size_t n, bool rising, double *slope_out,
                 double *p_out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gsl_init);
    double c0, c1, cov00, cov01, cov11, sumsq;
    *slope_out = 0;
    *p_out = 1;
    if (n < 3 || gsl_fit_linear(x, 1, y, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != 0)
        return;
    *slope_out = c1;
    double se = cov11 > 0 ? sqrt(cov11) : 0;
    if (se == 0 || !isfinite(se)) {
        /* a perfect line: the slope's sign is certain; a flat one shows no trend */
        *p_out = (rising ? c1 > 0 : c1 < 0) ? 0 : 1;
        return;
    }
    double t = c1 / se;
    *p_out = rising ? gsl_cdf_tdist_Q(t, (double)(n - 2)) : gsl_cdf_tdist_P(t, (double)(n - 2));
}

/* Series grow one point at a time: a yearly series is decades long, so doubling buys nothing. */
int claim_series_add(struct claim_mresult *r, double x, double y)
{
    double *nx = bilat_realloc_array(r->x, r->n + 1, sizeof(double));
    if (!nx)
        return BILAT_ENOMEM;
    r->x = nx;
    double *ny = bilat_realloc_array(r->y, r->n + 1, sizeof(double));
    if (!ny)
        return BILAT_ENOMEM;
    r->y = ny;
    r->x[r->n] = x;
    r->y[r->n] = y;
    r->n++;
    return 0;
}

void claim_mresult_release(struct claim_mresult *r)
{
    json_decref(r->evidence);
    bilat_free(r->x);
    bilat_free(r->y);
    memset(r, 0, sizeof(*r));
}

/* A number for people: integers plainly, large values with k/M/bn, others with 4 significant
 * digits. */
static void show_number(char *out, size_t len, double v)
{
    double a = fabs(v);
    if (a >= 1e9)
        snprintf(out, len, "%.4gbn", v / 1e9);
    else if (a >= 1e6)
        snprintf(out, len, "%.4gM", v / 1e6);
    else if (v == floor(v) && a < 1e15)
        snprintf(out, len, "%.0f", v);
    else if (a >= 1e4)
        snprintf(out, len, "%.6g", v);
    else
        snprintf(out, len, "%.4g", v);
}

static char *adup(struct run *r, const char *s)
{
    return s ? bilat_arena_strndup(&r->arena, s, strlen(s)) : NULL;
}

/* Country of an actor code: its own code for a country, the actor's country otherwise. */
static int side_country(bilat_db *db, const char *code, char out[4], struct bilat_err *err)
{
    out[0] = '\0';
    if (!code)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT iso3 FROM country WHERE iso3 = ?1 UNION ALL "
                            "SELECT country FROM actor WHERE code = ?1 AND country IS NOT NULL",
                            &st, err));
    store_bind_text(st, 1, code, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW)
        snprintf(out, 4, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot look up an actor");
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading claims                                                                             */

/* A new, zeroed claim at the end of the run's list (which grows by doubling). */
static int add_def(struct run *r, struct cdef **out)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 32;
        struct cdef *d = bilat_realloc_array(r->defs, cap, sizeof(*d));
        if (!d)
            return BILAT_ENOMEM;
        r->defs = d;
        r->cap = cap;
    }
    *out = &r->defs[r->n++];
    memset(*out, 0, sizeof(**out));
    return 0;
}

/*
 * The stored claims in file order per dataset, each with the countries of its sides (an actor
 * side gives its actor's country), which the dyad filter compares.
 */
static int read_store(struct run *r, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(r->db,
                            "SELECT c.id, c.part_of, c.a, c.b, c.text, c.method, c.check_expr, "
                            "c.expect, c.unavailable, c.source_id, c.locator, c.note, "
                            "coalesce(ka.iso3, aa.country), coalesce(kb.iso3, ab.country) "
                            "FROM claim c LEFT JOIN country ka ON ka.iso3 = c.a "
                            "LEFT JOIN actor aa ON aa.code = c.a "
                            "LEFT JOIN country kb ON kb.iso3 = c.b "
                            "LEFT JOIN actor ab ON ab.code = c.b "
                            "ORDER BY c.dataset, c.position",
                            &st, err));
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        struct cdef *d;
        if ((rc = add_def(r, &d)) < 0)
            break;
        const char **f[] = {&d->id,          &d->part_of,   &d->a,      &d->b,
                            &d->text,        &d->method,    &d->check,  &d->expect,
                            &d->unavailable, &d->source_id, &d->locator, &d->note};
        for (int i = 0; i < 12; i++) {
            const char *t = (const char *)sqlite3_column_text(st, i);
            *f[i] = adup(r, t);
            if (t && !*f[i])
                rc = BILAT_ENOMEM;
        }
        const char *ca = (const char *)sqlite3_column_text(st, 12);
        const char *cb = (const char *)sqlite3_column_text(st, 13);
        snprintf(d->actry, sizeof(d->actry), "%s", ca ? ca : "");
        snprintf(d->bctry, sizeof(d->bctry), "%s", cb ? cb : "");
    }
    if (rc == BILAT_ENOMEM)
        rc = bilat_fail(err, rc, "out of memory");
    else if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(r->db, err, s, "cannot read the claims");
    sqlite3_finalize(st);
    return rc;
}

static void file_diag(struct run *r, const char *path, uint64_t line, const char *fmt, ...)
    BILAT_PRINTF(4, 5);
/* Report a bad row of a claims file (path:line) and count it: any makes the run refuse to judge. */
static void file_diag(struct run *r, const char *path, uint64_t line, const char *fmt, ...)
{
    r->sum.errors++;
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(&r->o->diag, BILAT_LOG_ERROR, path, line, fmt, ap);
    va_end(ap);
}

/* Read and check a claims file: the syntax of every row (as `bilat load` checks it). */
static int read_file(struct run *r, const char *path, struct bilat_err *err)
{
    static const char *const cols[] = {"id",     "part_of", "a",      "b",
                                       "claim",  "method",  "check",  "expect",
                                       "unavailable", "source_id", "locator", "note"};
    static const bool required[] = {1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0};
    struct tsv_file f;
    struct bilat_err ferr = {0};
    int rc = tsv_open(&f, path, &ferr);
    if (rc < 0) {
        tsv_close(&f);
        if (rc == BILAT_ENOMEM)
            return bilat_fail(err, rc, "out of memory");
        if (ferr.line) {
            file_diag(r, path, ferr.line, "%s", ferr.msg);
            return 0;
        }
        /* a file that cannot be read is a runtime failure, not a usage error */
        if (err) {
            *err = ferr;
            err->code = BILAT_EIO;
        }
        return BILAT_EIO;
    }
    int map[12];
    size_t before = r->sum.errors;
    for (int i = 0; i < 12; i++) {
        map[i] = tsv_col(&f, cols[i]);
        if (map[i] < 0 && required[i])
            file_diag(r, path, f.line, "missing column '%s' in the header", cols[i]);
    }
    for (size_t j = 0; j < f.ncol; j++) {
        int known = 0;
        for (int i = 0; i < 12; i++)
            known |= strcmp(f.names[j], cols[i]) == 0;
        if (!known)
            file_diag(r, path, f.line, "unknown column '%s' in the header", f.names[j]);
    }
    if (r->sum.errors > before)
        goto out;
    for (;;) {
        int t = tsv_next(&f);
        if (t == 0)
            break;
        if (t < 0) {
            file_diag(r, path, f.line, "%s", f.reason);
            continue;
        }
        const char *v[12];
        for (int i = 0; i < 12; i++)
            v[i] = map[i] >= 0 && f.lens[map[i]] ? f.fields[map[i]] : NULL;
        int bad = 0;
        for (int i = 0; i < 12; i++)
            if (required[i] && !v[i]) {
                file_diag(r, path, f.line, "missing value in column '%s'", cols[i]);
                bad = 1;
            }
        if (bad)
            continue;
        char why[256];
        int method = strcmp(v[5], "sql") == 0 ? 1 : strcmp(v[5], "measure") == 0 ? 2
                     : strcmp(v[5], "all") == 0 ? 3 : 0;
        if (!method) {
            file_diag(r, path, f.line, "bad method '%s' (expected sql, measure or all)", v[5]);
            continue;
        }
        if (method == 3 && (v[6] || v[7])) {
            file_diag(r, path, f.line, "a claim of method 'all' is judged by its parts: leave "
                                       "check and expect empty");
            continue;
        }
        if (method < 3 && (!v[6] || !v[7])) {
            file_diag(r, path, f.line, "missing value in column '%s'", v[6] ? "expect" : "check");
            continue;
        }
        struct claim_expect e;
        if (method < 3 && claim_expect_parse(v[7], &e, why, sizeof(why)) < 0) {
            file_diag(r, path, f.line, "bad expectation: %s", why);
            continue;
        }
        struct claim_call call;
        if (method == 2 && claim_call_parse(v[6], &call, why, sizeof(why)) < 0) {
            file_diag(r, path, f.line, "bad measure call: %s", why);
            continue;
        }
        int dup = 0, parent = v[1] == NULL;
        for (size_t k = 0; k < r->n; k++) {
            dup |= strcmp(r->defs[k].id, v[0]) == 0;
            parent |= v[1] && strcmp(r->defs[k].id, v[1]) == 0 &&
                      strcmp(r->defs[k].method, "all") == 0;
        }
        if (dup) {
            file_diag(r, path, f.line, "duplicate claim id '%s'", v[0]);
            continue;
        }
        if (!parent) {
            file_diag(r, path, f.line, "part_of '%s' is not a claim of method 'all' above this "
                                       "row", v[1]);
            continue;
        }
        struct cdef *d;
        if ((rc = add_def(r, &d)) < 0)
            goto out;
        const char **fl[] = {&d->id,          &d->part_of,   &d->a,      &d->b,
                             &d->text,        &d->method,    &d->check,  &d->expect,
                             &d->unavailable, &d->source_id, &d->locator, &d->note};
        for (int i = 0; i < 12; i++) {
            *fl[i] = adup(r, v[i]);
            if (v[i] && !*fl[i]) {
                rc = BILAT_ENOMEM;
                goto out;
            }
        }
        for (int side = 0; side < 2; side++) {
            char *ctry = side ? d->bctry : d->actry;
            if ((rc = side_country(r->db, side ? d->b : d->a, ctry, err)) < 0)
                goto out;
            if ((side ? d->b : d->a) && !*ctry)
                file_diag(r, path, f.line, "unknown actor '%s' in column '%s'",
                          side ? d->b : d->a, side ? "b" : "a");
        }
    }
out:
    tsv_close(&f);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Running a check                                                                            */

/* Evidence from one SQL statement, plus what the expectations read from it. */
struct sqlout {
    struct claim_mresult m; /* evidence, value (first cell), series (first two columns) */
    bool first_is_text;     /* the first cell is text that is not a number */
    char first_text[64];    /* ... which one */
    char **keys;            /* ranking keys (col 0) */
    double *vals;           /* ranking values (col 1) */
    size_t nk;              /* ranked rows */
    size_t rows;            /* rows returned */
};

/* Free what an SQL check's result holds. */
static void sqlout_release(struct sqlout *o)
{
    claim_mresult_release(&o->m);
    for (size_t i = 0; i < o->nk; i++)
        bilat_free(o->keys[i]);
    bilat_free(o->keys);
    bilat_free(o->vals);
    memset(o, 0, sizeof(*o));
}

/* A result cell as JSON, keeping SQLite's type: a NULL stays null (missing, never 0). */
static json_t *cell_json(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return json_null();
    case SQLITE_INTEGER:
        return json_integer(sqlite3_column_int64(st, i));
    case SQLITE_FLOAT:
        return json_real(sqlite3_column_double(st, i));
    default: {
        const char *s = (const char *)sqlite3_column_text(st, i);
        return s ? json_string(s) : json_null();
    }
    }
}

/* Numeric value of a cell: SQL numbers, or text that is a plain number. */
/* Numbers compare as numbers even when a check returns them as text (e.g. from a CASE). */
static bool cell_number(sqlite3_stmt *st, int i, double *out)
{
    int t = sqlite3_column_type(st, i);
    if (t == SQLITE_INTEGER || t == SQLITE_FLOAT) {
        *out = sqlite3_column_double(st, i);
        return true;
    }
    if (t == SQLITE_TEXT) {
        const char *s = (const char *)sqlite3_column_text(st, i);
        char *end;
        double v = s && *s ? strtod(s, &end) : 0;
        if (s && *s && !*end && isfinite(v)) {
            *out = v;
            return true;
        }
    }
    return false;
}

/*
 * Build a section from the result of a prepared statement: columns named by the SQL, typed from
 * the values (a column named source_id is a source column; year columns are years).
 */
static json_t *evidence_new(sqlite3_stmt *st)
{
    json_t *t = json_object(), *cols = json_array();
    int nc = sqlite3_column_count(st);
    for (int i = 0; t && cols && i < nc; i++) {
        const char *name = sqlite3_column_name(st, i);
        json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "name", name ? name : "",
                                              "label", name ? name : "", "type", "text"));
    }
    if (!t || !cols || json_object_set_new(t, "id", json_string("evidence")) ||
        json_object_set_new(t, "title", json_string("Evidence")) ||
        json_object_set_new(t, "columns", cols) ||
        json_object_set_new(t, "rows", json_array()) ||
        json_object_set_new(t, "notes", json_array())) {
        json_decref(t);
        return NULL;
    }
    return t;
}

/* Set column types from the rows: numbers, source ids, years. */
static void evidence_types(json_t *t)
{
    json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
    size_t j, i;
    json_t *c, *row;
    json_array_foreach(cols, j, c)
    {
        const char *name = json_string_value(json_object_get(c, "name"));
        int num = 0, text = 0, ints = 1;
        json_array_foreach(rows, i, row)
        {
            json_t *v = json_array_get(row, j);
            if (json_is_number(v)) {
                num = 1;
                ints &= json_is_integer(v);
            } else if (json_is_string(v)) {
                text = 1;
            }
        }
        const char *type = "text";
        if (name && strcmp(name, "source_id") == 0)
            type = "source";
        else if (name && strcmp(name, "year") == 0 && !text)
            type = "year";
        else if (num && !text)
            type = ints ? "int" : "num";
        json_object_set_new(c, "type", json_string(type));
    }
}

/*
 * Run a claim's SQL check: refuse anything but one read-only statement (the loader checks
 * this too, but a claims FILE is checked only here), bind :a and :b, and collect every row as
 * evidence while reading the value, the series and the ranking an expectation may need. On
 * failure `msg` says why; the claim then gets the verdict "error".
 */
static int run_sql(bilat_db *db, const struct cdef *d, struct sqlout *o, char *msg, size_t len)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int s = sqlite3_prepare_v2(db->db, d->check, -1, &st, &tail);
    if (s != SQLITE_OK) {
        snprintf(msg, len, "the SQL check does not run: %s", sqlite3_errmsg(db->db));
        sqlite3_finalize(st);
        return (s & 0xff) == SQLITE_NOMEM ? BILAT_ENOMEM : BILAT_ESQL;
    }
    int rc = 0;
    while (tail && (*tail == ' ' || *tail == ';' || *tail == '\t' || *tail == '\n'))
        tail++;
    if (!st || (tail && *tail) || !sqlite3_stmt_readonly(st)) {
        snprintf(msg, len, "the SQL check must be one read-only statement");
        rc = BILAT_EINVAL;
        goto out;
    }
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
        const char *p = sqlite3_bind_parameter_name(st, i);
        if (p && strcmp(p, ":a") == 0)
            store_bind_text(st, i, d->a, -1);
        else if (p && strcmp(p, ":b") == 0)
            store_bind_text(st, i, d->b, -1);
        else {
            snprintf(msg, len, "the SQL check has an unknown parameter '%s' (only :a and :b)",
                     p ? p : "?");
            rc = BILAT_EINVAL;
            goto out;
        }
    }
    o->m.evidence = evidence_new(st);
    if (!o->m.evidence) {
        rc = BILAT_ENOMEM;
        goto out;
    }
    json_t *rows = json_object_get(o->m.evidence, "rows");
    int nc = sqlite3_column_count(st);
    o->m.has_series = nc >= 2;
    struct store_budget budget; /* a runaway check is stopped (store/db.h) */
    store_budget_start(db, &budget);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        double x, y;
        if (o->rows == 0) {
            o->m.has_value = cell_number(st, 0, &o->m.value);
            if (!o->m.has_value && sqlite3_column_type(st, 0) != SQLITE_NULL) {
                o->first_is_text = true;
                snprintf(o->first_text, sizeof(o->first_text), "%s",
                         (const char *)sqlite3_column_text(st, 0));
            }
        }
        o->rows++;
        if (nc >= 2 && cell_number(st, 0, &x) && cell_number(st, 1, &y) &&
            (rc = claim_series_add(&o->m, x, y)) < 0)
            goto out;
        if (nc >= 2 && sqlite3_column_type(st, 0) == SQLITE_TEXT && cell_number(st, 1, &y)) {
            char **k = bilat_realloc_array(o->keys, o->nk + 1, sizeof(*k));
            if (!k) {
                rc = BILAT_ENOMEM;
                goto out;
            }
            o->keys = k;
            double *vv = bilat_realloc_array(o->vals, o->nk + 1, sizeof(*vv));
            if (!vv) {
                rc = BILAT_ENOMEM;
                goto out;
            }
            o->vals = vv;
            if (!(o->keys[o->nk] = bilat_strdup((const char *)sqlite3_column_text(st, 0)))) {
                rc = BILAT_ENOMEM;
                goto out;
            }
            o->vals[o->nk++] = y;
        }
        if (o->rows > EVIDENCE_MAX_ROWS)
            continue;
        json_t *row = json_array();
        for (int i = 0; row && i < nc; i++)
            if (json_array_append_new(row, cell_json(st, i)) < 0) {
                json_decref(row);
                row = NULL;
            }
        if (!row || json_array_append_new(rows, row)) {
            rc = BILAT_ENOMEM;
            goto out;
        }
    }
    store_budget_stop(db);
    char spent[160];
    if (s != SQLITE_DONE && store_budget_spent(&budget, spent, sizeof(spent))) {
        snprintf(msg, len, "the SQL check was stopped: %s", spent);
        rc = BILAT_ELIMIT;
        goto out;
    }
    if (s != SQLITE_DONE) {
        snprintf(msg, len, "the SQL check failed: %s", sqlite3_errmsg(db->db));
        rc = (s & 0xff) == SQLITE_NOMEM ? BILAT_ENOMEM : BILAT_ESQL;
        goto out;
    }
    if (o->rows > EVIDENCE_MAX_ROWS) {
        char note[128];
        snprintf(note, sizeof(note), "Showing the first %d of %zu rows.", EVIDENCE_MAX_ROWS,
                 o->rows);
        table_note(o->m.evidence, note);
    }
    evidence_types(o->m.evidence);
out:
    store_budget_stop(db);
    if (rc == BILAT_ENOMEM)
        snprintf(msg, len, "out of memory");
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Measures implemented here: UN votes                                                         */

/* Integer argument with a default; -1 when malformed. */
/* Integer argument of a measure call, or `def` when absent; -1 when not a whole number. */
static long arg_int(const struct claim_call *c, const char *key, long def)
{
    const char *s = claim_call_arg(c, key);
    if (!s)
        return def;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || end == s ? -1 : v;
}

/* The vote measure a claim names: the shared measures of analytics/vote_measures.c, with
 * "simple" and "voeten" as the names the claims files have always used. */
static int vote_measure_of(const char *name, enum bilat_vote_measure *m, struct bilat_err *err)
{
    if (!name || strcmp(name, "simple") == 0 || strcmp(name, "exact") == 0) {
        *m = BILAT_VOTE_EXACT;
        return 0;
    }
    if (strcmp(name, "voeten") == 0 || strcmp(name, "agree") == 0) {
        *m = BILAT_VOTE_AGREE;
        return 0;
    }
    if (bilat_vote_measure_parse(name, m) == 0 && *m != BILAT_VOTE_IDEAL)
        return 0;
    return bilat_fail(err, BILAT_EINVAL, "unknown vote measure '%s' (simple, voeten, s, pi or "
                                         "kappa)",
                      name);
}

/* Sources of the roll calls of each year of [from, to] (for the evidence's source column). */
static int call_sources(bilat_db *db, int from, int to, json_t **out, struct bilat_err *err)
{
    *out = json_object();
    if (!*out)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT substr(date, 1, 4), group_concat(DISTINCT source_id) "
                            "FROM un_call WHERE CAST(substr(date, 1, 4) AS INTEGER) BETWEEN ?1 "
                            "AND ?2 AND source_id IS NOT NULL GROUP BY 1",
                            &st, err));
    sqlite3_bind_int(st, 1, from);
    sqlite3_bind_int(st, 2, to);
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW)
        if (json_object_set_new(*out, (const char *)sqlite3_column_text(st, 0),
                                json_string((const char *)sqlite3_column_text(st, 1))))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read roll calls");
    sqlite3_finalize(st);
    return rc;
}

/*
 * Agreement of two countries' UN votes (docs/CLAIMS.md, docs/MEASURES.md), computed by the
 * shared vote engine (analytics/votes.h): the two countries' votes of the period as bit sets,
 * one 3x3 table per year, and the pooled table as the sum of the years' tables, so that the
 * scalar weighs every roll call equally. Roll calls count when both voted yes, no or abstain.
 * The series gives one value per year with at least 5 shared roll calls.
 */
static int m_un_agreement(bilat_db *db, const struct claim_call *c, struct claim_mresult *out,
                          struct bilat_err *err)
{
    enum bilat_vote_measure m;
    BILAT_TRY(vote_measure_of(claim_call_arg(c, "measure"), &m, err));
    long from = arg_int(c, "from", 0), to = arg_int(c, "to", 9999);
    long important = arg_int(c, "important", 0), min_votes = arg_int(c, "min_votes", 20);
    if (from < 0 || to < 0 || important < 0 || important > 1 || min_votes < 1)
        return bilat_fail(err, BILAT_EINVAL, "un_agreement: from, to, important (0 or 1) and "
                                             "min_votes must be whole numbers");
    char a[4], b[4];
    BILAT_TRY(votes_schema_check(db, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "a"), a, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "b"), b, err));
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},          {"votes", "Shared roll calls", TCOL_INT},
        {"agreement", "Value", TCOL_NUM},     {"why", "Why no value", TCOL_TEXT},
        {"source_id", "Source", TCOL_SOURCE},
    };
    out->evidence = table_new("evidence", "Agreement per year", NULL, cols, 5);
    if (!out->evidence)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    out->has_series = true;
    out->series_x = "year";
    out->series_y = "agreement";
    struct vote_panel *p = NULL;
    uint64_t *mask = NULL;
    json_t *srcs = NULL;
    const char *const two[2] = {a, b};
    int rc = vote_panel_load(db, BILAT_VOTE_BY_YEAR, (int)from, (int)to, two, 2, &p, err);
    if (rc == 0)
        rc = vote_panel_mask(p, (int)important, NULL, &mask, err);
    if (rc == 0)
        rc = call_sources(db, (int)from, (int)to, &srcs, err);
    long ia = rc == 0 ? vote_panel_find_country(p, a) : -1;
    long ib = rc == 0 ? vote_panel_find_country(p, b) : -1;
    struct vote_table pooled = {{{0}}};
    json_t *rows = json_object_get(out->evidence, "rows");
    for (size_t k = 0; rc == 0 && ia >= 0 && ib >= 0 && k < vote_panel_nperiods(p); k++) {
        struct vote_table t = {{{0}}};
        vote_panel_add_table(p, (size_t)ia, (size_t)ib, k, mask, &t);
        uint64_t n = vote_table_n(&t);
        if (n == 0)
            continue;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                pooled.c[i][j] += t.c[i][j];
        double v = 0;
        const char *why = NULL;
        int has = n >= 5 && vote_measure_value(&t, m, &v, &why);
        if (n < 5)
            why = "fewer than 5 shared roll calls";
        int year = vote_panel_label(p, k);
        char ys[8];
        snprintf(ys, sizeof(ys), "%d", year);
        json_t *sv = json_object_get(srcs, ys);
        json_t *row = json_pack("[i, I, o, s?, o]", year, (json_int_t)n,
                                has ? json_real(v) : json_null(), has ? NULL : why,
                                sv ? json_incref(sv) : json_null());
        if (!row || json_array_append_new(rows, row))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        else if (has && claim_series_add(out, year, v) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    uint64_t total = vote_table_n(&pooled);
    if (rc == 0) {
        const char *why = NULL;
        double v = 0;
        if (total >= (uint64_t)min_votes && vote_measure_value(&pooled, m, &v, &why)) {
            out->has_value = true;
            out->value = v;
        }
        char note[240];
        snprintf(note, sizeof(note),
                 "Measure %s (docs/MEASURES.md) over %llu shared roll calls, pooled; yearly "
                 "values need 5 or more.",
                 bilat_vote_measure_name(m), (unsigned long long)total);
        if (table_note(out->evidence, note) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        snprintf(out->why, sizeof(out->why), "%llu shared roll calls (%ld needed)%s%s",
                 (unsigned long long)total, min_votes, why ? ": " : "", why ? why : "");
    }
    json_decref(srcs);
    bilat_free(mask);
    vote_panel_free(p);
    return rc;
}

struct splits_ctx {
    json_t *rows;
    size_t n;
};

static int split_row(void *ctx, const struct bilat_vote_split *s)
{
    struct splits_ctx *x = ctx;
    if (++x->n > EVIDENCE_MAX_ROWS)
        return 0;
    json_t *row = json_pack("[s?, I, s?, s?, s, s, i, s?]", s->date, (json_int_t)s->rcid,
                            s->resolution, s->title, s->a_vote, s->b_vote, s->important,
                            s->source_id);
    return !row || json_array_append_new(x->rows, row) ? BILAT_ENOMEM : 0;
}

/* The roll calls on which the two countries both voted and voted differently (the shared
 * splits of analytics/votes_api.c), with the number of shared roll calls to tell "no split"
 * from "no data". */
static int m_un_splits(bilat_db *db, const struct claim_call *c, struct claim_mresult *out,
                       struct bilat_err *err)
{
    long from = arg_int(c, "from", 0), to = arg_int(c, "to", 0);
    long important = arg_int(c, "important", 0);
    if (from < 0 || to < 0 || important < 0 || important > 1)
        return bilat_fail(err, BILAT_EINVAL, "un_splits: from, to and important (0 or 1) must "
                                             "be whole numbers");
    static const struct tcol cols[] = {
        {"date", "Date", TCOL_TEXT},       {"rcid", "Roll call", TCOL_INT},
        {"resolution", "Resolution", TCOL_TEXT}, {"title", "Title", TCOL_TEXT},
        {"vote_a", "Vote of A", TCOL_TEXT}, {"vote_b", "Vote of B", TCOL_TEXT},
        {"important", "Important", TCOL_INT}, {"source_id", "Source", TCOL_SOURCE},
    };
    out->evidence = table_new("evidence", "Roll calls where the two voted differently", NULL,
                              cols, 8);
    if (!out->evidence)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct bilat_vote_filter f = {BILAT_VOTE_EXACT, BILAT_VOTE_BY_YEAR, (int)from, (int)to, NULL,
                                  (int)important, 0};
    struct splits_ctx x = {json_object_get(out->evidence, "rows"), 0};
    int rc = bilat_votes_splits(db, claim_call_arg(c, "a"), claim_call_arg(c, "b"), &f,
                                split_row, &x, err);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    BILAT_TRY(rc);
    /* shared roll calls of the same kind: 0 means there is nothing to judge */
    char a[4], b[4];
    BILAT_TRY(votes_country(db, claim_call_arg(c, "a"), a, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "b"), b, err));
    struct vote_panel *p = NULL;
    uint64_t *mask = NULL;
    const char *const two[2] = {a, b};
    rc = vote_panel_load(db, BILAT_VOTE_BY_YEAR, (int)from, (int)to, two, 2, &p, err);
    if (rc == 0)
        rc = vote_panel_mask(p, (int)important, NULL, &mask, err);
    long ia = rc == 0 ? vote_panel_find_country(p, a) : -1;
    long ib = rc == 0 ? vote_panel_find_country(p, b) : -1;
    struct vote_table t = {{{0}}};
    for (size_t k = 0; rc == 0 && ia >= 0 && ib >= 0 && k < vote_panel_nperiods(p); k++)
        vote_panel_add_table(p, (size_t)ia, (size_t)ib, k, mask, &t);
    bilat_free(mask);
    vote_panel_free(p);
    BILAT_TRY(rc);
    uint64_t shared = vote_table_n(&t);
    char note[200];
    snprintf(note, sizeof(note), "%zu of %llu shared roll calls split the two.", x.n,
             (unsigned long long)shared);
    if (x.n > EVIDENCE_MAX_ROWS)
        snprintf(note + strlen(note), sizeof(note) - strlen(note), " The first %d are listed.",
                 EVIDENCE_MAX_ROWS);
    if (table_note(out->evidence, note) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (shared > 0) {
        out->has_value = true;
        out->value = (double)x.n;
    } else {
        snprintf(out->why, sizeof(out->why), "no shared roll calls");
    }
    return 0;
}

static const struct {
    const char *name;
    claim_measure_fn *fn;
} impls[] = {
    {"un_agreement", m_un_agreement},
    {"un_splits", m_un_splits},
    {"nextgen_meetings", network_nextgen_measure},
    {"concept_overlap", narratives_overlap_measure},
};

claim_measure_fn *claim_measure_impl(const char *name)
{
    for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
        if (strcmp(impls[i].name, name) == 0)
            return impls[i].fn;
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Judging                                                                                    */

/* qsort comparators for arrays of fixed strings and of string pointers. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Unique, sorted source ids of the evidence's source columns (comma lists allowed). */
static void evidence_sources(const json_t *ev, char *out, size_t len)
{
    enum { MAXS = 32, LEN = 96 };
    char ids[MAXS][LEN];
    size_t n = 0, j, i;
    json_t *c, *row;
    out[0] = '\0';
    json_array_foreach(json_object_get(ev, "columns"), j, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!type || strcmp(type, "source") != 0)
            continue;
        json_array_foreach(json_object_get(ev, "rows"), i, row)
        {
            const char *v = json_string_value(json_array_get(row, j));
            for (const char *p = v; p && *p;) {
                const char *comma = strchr(p, ',');
                size_t l = comma ? (size_t)(comma - p) : strlen(p);
                char tmp[LEN];
                snprintf(tmp, sizeof(tmp), "%.*s", (int)l, p);
                int seen = 0;
                for (size_t k = 0; k < n; k++)
                    seen |= strcmp(ids[k], tmp) == 0;
                if (!seen && l > 0 && n < MAXS)
                    memcpy(ids[n++], tmp, sizeof(tmp));
                p = comma ? comma + 1 : NULL;
            }
        }
    }
    qsort(ids, n, sizeof(ids[0]), cmp_str);
    for (size_t k = 0; k < n; k++) {
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", k ? "," : "", ids[k]);
    }
}

static void set_detail(struct judged *j, const char *fmt, ...) BILAT_PRINTF(2, 3);
/* The sentence that says how the verdict follows from the measured value. */
static void set_detail(struct judged *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->detail, sizeof(j->detail), fmt, ap);
    va_end(ap);
}

/* Not checkable: what the check found, then the claim's own explanation. */
static void uncheckable(struct judged *j, const struct cdef *d, const char *found)
{
    j->v = V_UNCHECKABLE;
    if (d->unavailable)
        set_detail(j, "%s. %s", found, d->unavailable);
    else
        set_detail(j, "%s.", found);
}

/*
 * Apply the expectation to the check's result: the verdict, the value to show and how the
 * verdict follows. `so` is the SQL result (NULL for a measure, which has no ranking).
 */
static void judge(const struct cdef *d, const struct claim_expect *e,
                  const struct claim_mresult *m, const struct sqlout *so, struct judged *j)
{
    char want[64], val[48];
    claim_expect_format(e, want, sizeof(want));
    if (e->kind == CE_CMP || e->kind == CE_BETWEEN) {
        if (so && so->first_is_text) {
            j->v = V_ERROR;
            set_detail(j, "the first cell of the result is not a number ('%s'), so it cannot be "
                          "compared with '%s'",
                       so->first_text, want);
            return;
        }
        if (!m->has_value) {
            char found[300];
            if (so && so->rows == 0)
                snprintf(found, sizeof(found), "The check found no rows");
            else if (so)
                snprintf(found, sizeof(found), "The check gave no value");
            else
                snprintf(found, sizeof(found), "No value: %s", m->why[0] ? m->why : "no data");
            uncheckable(j, d, found);
            return;
        }
        j->has_value = true;
        j->value = m->value;
        show_number(val, sizeof(val), m->value);
        snprintf(j->shown, sizeof(j->shown), "%s", val);
        bool ok = claim_expect_holds(e, m->value);
        j->v = ok ? V_SUPPORTED : V_CONTRADICTED;
        set_detail(j, "Measured %s; expected %s.", val, want);
        return;
    }
    if (e->kind == CE_RISING || e->kind == CE_FALLING) {
        /* a trend is a significant slope, not a later value above an earlier one: two noisy
         * endpoints decide nothing */
        bool rising = e->kind == CE_RISING;
        if (!m->has_series) {
            j->v = V_ERROR;
            set_detail(j, "the check gives no series of (x, y) rows, so it cannot be '%s'", want);
            return;
        }
        if (m->n < 3) {
            char found[160];
            snprintf(found, sizeof(found), "Only %zu point%s in the series (3 needed for a trend)",
                     m->n, m->n == 1 ? "" : "s");
            uncheckable(j, d, found);
            return;
        }
        double slope, p, x0 = m->x[0], x1 = m->x[0];
        for (size_t i = 1; i < m->n; i++) {
            x0 = m->x[i] < x0 ? m->x[i] : x0;
            x1 = m->x[i] > x1 ? m->x[i] : x1;
        }
        claim_trend(m->x, m->y, m->n, rising, &slope, &p);
        j->has_value = true;
        j->value = slope;
        show_number(val, sizeof(val), slope);
        snprintf(j->shown, sizeof(j->shown), "%s%s per year", slope > 0 ? "+" : "", val);
        bool ok = p < 0.05 && (rising ? slope > 0 : slope < 0);
        j->v = ok ? V_SUPPORTED : V_CONTRADICTED;
        set_detail(j,
                   "%s: least-squares slope %s%s per year, one-sided p = %.2g (t-test), %zu "
                   "points from %.0f to %.0f%s.",
                   ok ? (rising ? "Rising" : "Falling")
                      : (rising ? "No significant rise" : "No significant fall"),
                   slope > 0 ? "+" : "", val, p, m->n, x0, x1,
                   ok ? "" : " (supported needs the slope's sign and p < 0.05)");
        return;
    }
    /* top N KEY: a ranking of one subject (the store often holds only the partner the brief
     * speaks of) cannot make anyone first */
    if (!so) {
        j->v = V_ERROR;
        set_detail(j, "a measure gives no ranking; 'top' needs (key, value) rows from SQL");
        return;
    }
    size_t distinct = 0;
    double kv = 0;
    bool have = false;
    for (size_t i = 0; i < so->nk; i++) {
        bool first = true;
        for (size_t k = 0; k < i; k++)
            first &= strcmp(so->keys[k], so->keys[i]) != 0;
        distinct += first;
        if (strcmp(so->keys[i], e->key) == 0 && (!have || so->vals[i] > kv)) {
            kv = so->vals[i];
            have = true;
        }
    }
    if (so->rows == 0) {
        uncheckable(j, d, "The check found no rows");
        return;
    }
    if (distinct <= (size_t)e->top) {
        char found[200];
        snprintf(found, sizeof(found),
                 "The ranking has %zu subject%s; 'top %d' needs more than %d to mean anything",
                 distinct, distinct == 1 ? "" : "s", e->top, e->top);
        uncheckable(j, d, found);
        return;
    }
    if (!have) {
        char found[120];
        snprintf(found, sizeof(found), "%s is not among the ranked subjects", e->key);
        uncheckable(j, d, found);
        return;
    }
    /* rank among distinct keys: 1 + keys whose best value is larger */
    size_t rank = 1;
    for (size_t i = 0; i < so->nk; i++) {
        if (strcmp(so->keys[i], e->key) == 0 || so->vals[i] <= kv)
            continue;
        bool first = true;
        for (size_t k = 0; k < i; k++)
            first &= !(strcmp(so->keys[k], so->keys[i]) == 0 && so->vals[k] > kv);
        rank += first;
    }
    j->has_value = true;
    j->value = (double)rank;
    snprintf(j->shown, sizeof(j->shown), "rank %zu of %zu", rank, distinct);
    j->v = rank <= (size_t)e->top ? V_SUPPORTED : V_CONTRADICTED;
    set_detail(j, "%s ranks %zu of %zu; expected %s.", e->key, rank, distinct, want);
}

/* A check that could not run: counted, and reported with the claim's id (never skipped). */
static void report_error(struct run *r, const struct cdef *d, const char *msg)
{
    r->sum.errors++;
    if (r->o->diag.fn) {
        char line[800];
        snprintf(line, sizeof(line), "claim '%s': %s", d->id, msg);
        r->o->diag.fn(r->o->diag.ctx, BILAT_LOG_ERROR, NULL, 0, line);
    }
}

/* Judge one claim with a check. Only out-of-memory stops the run. */
static int evaluate(struct run *r, size_t i, struct bilat_err *err)
{
    const struct cdef *d = &r->defs[i];
    struct judged *j = &r->res[i];
    struct claim_expect e;
    char msg[400] = "";
    int rc = 0;
    if (claim_expect_parse(d->expect, &e, msg, sizeof(msg)) < 0) {
        j->v = V_ERROR;
        set_detail(j, "bad expectation: %s", msg);
        report_error(r, d, j->detail);
        return 0;
    }
    struct sqlout so = {0};
    struct claim_mresult *m = &so.m;
    bool is_sql = strcmp(d->method, "sql") == 0;
    if (is_sql) {
        rc = run_sql(r->db, d, &so, msg, sizeof(msg));
    } else {
        struct claim_call call;
        claim_measure_fn *fn = NULL;
        if (claim_call_parse(d->check, &call, msg, sizeof(msg)) < 0) {
            rc = BILAT_EINVAL;
        } else if (!(fn = claim_measure_impl(call.name))) {
            snprintf(msg, sizeof(msg), "measure '%s' has no implementation", call.name);
            rc = BILAT_EINVAL;
        } else {
            struct bilat_err merr = {0};
            rc = fn(r->db, &call, m, &merr);
            if (rc < 0)
                snprintf(msg, sizeof(msg), "%s", merr.msg[0] ? merr.msg : bilat_strerror(rc));
        }
    }
    if (rc == BILAT_ENOMEM) {
        sqlout_release(&so);
        return bilat_fail(err, rc, "out of memory");
    }
    if (rc < 0) {
        j->v = V_ERROR;
        set_detail(j, "%s", msg);
        report_error(r, d, msg);
        sqlout_release(&so);
        return 0;
    }
    judge(d, &e, m, is_sql ? &so : NULL, j);
    if ((e.kind == CE_RISING || e.kind == CE_FALLING) && m->evidence && m->n >= 2) {
        /* the views draw the series the trend was tested on */
        const json_t *cols = json_object_get(m->evidence, "columns");
        const char *x = m->series_x, *y = m->series_y;
        if (!x && json_array_size(cols) >= 2) {
            x = json_string_value(json_object_get(json_array_get(cols, 0), "name"));
            y = json_string_value(json_object_get(json_array_get(cols, 1), "name"));
        }
        if (x && y &&
            json_object_set_new(m->evidence, "chart",
                                json_pack("{s:s, s:s, s:s}", "type", "trend", "x", x, "y", y))) {
            sqlout_release(&so);
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    if (j->v == V_ERROR)
        report_error(r, d, j->detail);
    if (m->evidence) {
        /* a check whose every row comes from the claim's own source tests nothing: say so */
        evidence_sources(m->evidence, j->sources, sizeof(j->sources));
        j->restates = j->sources[0] && strcmp(j->sources, d->source_id) == 0;
        j->evidence = m->evidence;
        m->evidence = NULL;
    }
    sqlout_release(&so);
    return 0;
}

/* A group's verdict from its parts (parts are judged first; groups may nest). */
static void judge_group(struct run *r, size_t g, int depth)
{
    struct judged *j = &r->res[g];
    if (j->v != V_NONE)
        return;
    size_t n = 0, cnt[5] = {0};
    for (size_t i = 0; i < r->n; i++) {
        if (!r->res[i].selected || !r->defs[i].part_of ||
            strcmp(r->defs[i].part_of, r->defs[g].id) != 0)
            continue;
        if (strcmp(r->defs[i].method, "all") == 0 && depth < 16)
            judge_group(r, i, depth + 1);
        cnt[r->res[i].v]++;
        n++;
    }
    if (n == 0) {
        j->v = V_UNCHECKABLE;
        set_detail(j, "The claim has no parts to judge it by.");
        return;
    }
    if (cnt[V_ERROR])
        j->v = V_ERROR;
    else if (cnt[V_CONTRADICTED])
        j->v = V_CONTRADICTED;
    else if (cnt[V_SUPPORTED] == n)
        j->v = V_SUPPORTED;
    else
        j->v = V_UNCHECKABLE;
    char parts[200] = "";
    const char *names[] = {"", "supported", "contradicted", "not checkable", "failed"};
    for (int v = 1; v <= 4; v++)
        if (cnt[v])
            snprintf(parts + strlen(parts), sizeof(parts) - strlen(parts), "%s%zu %s",
                     parts[0] ? ", " : "", cnt[v], names[v]);
    if (j->v == V_SUPPORTED)
        set_detail(j, "Every part is supported (%zu of %zu).", cnt[V_SUPPORTED], n);
    else if (j->v == V_CONTRADICTED)
        set_detail(j, "Contradicted by %zu of its %zu parts (%s).", cnt[V_CONTRADICTED], n, parts);
    else if (j->v == V_ERROR)
        set_detail(j, "A check of its parts failed to run (%s).", parts);
    else
        set_detail(j, "Not decided by the data: of its %zu parts, %s; the claim is supported "
                      "only when every part is.",
                   n, parts);
    snprintf(j->shown, sizeof(j->shown), "%zu/%zu supported", cnt[V_SUPPORTED], n);
}

/* Keep claims of the dyad (by country, either order) and, with an id, that claim and its parts. */
static int select_claims(struct run *r, const char *a, const char *b, struct bilat_err *err)
{
    char ca[4] = "", cb[4] = "";
    if (a && b) {
        struct profile_side sa, sb;
        BILAT_TRY(profile_resolve(r->db, a, &sa, err));
        BILAT_TRY(profile_resolve(r->db, b, &sb, err));
        snprintf(ca, sizeof(ca), "%s", sa.country);
        snprintf(cb, sizeof(cb), "%s", sb.country);
    }
    const char *id = r->o ? r->o->id : NULL;
    bool any = false;
    for (size_t i = 0; i < r->n; i++) {
        const struct cdef *d = &r->defs[i];
        bool ok = true;
        if (a && b)
            ok = *ca && *cb &&
                 ((strcmp(d->actry, ca) == 0 && strcmp(d->bctry, cb) == 0) ||
                  (strcmp(d->actry, cb) == 0 && strcmp(d->bctry, ca) == 0));
        if (ok && id) {
            ok = strcmp(d->id, id) == 0;
            /* parts of the chosen claim, at any depth */
            for (const struct cdef *p = d; !ok && p->part_of;) {
                if (strcmp(p->part_of, id) == 0) {
                    ok = true;
                    break;
                }
                const struct cdef *up = NULL;
                for (size_t k = 0; k < r->n && !up; k++)
                    if (strcmp(r->defs[k].id, p->part_of) == 0)
                        up = &r->defs[k];
                if (!up || up == p)
                    break;
                p = up;
            }
        }
        r->res[i].selected = ok;
        any |= ok;
    }
    if (id && !any)
        return bilat_fail(err, BILAT_ENOTFOUND, "no claim '%s'%s", id,
                          a && b ? " about this dyad" : "");
    return 0;
}

/* The claims section (analytics/table.h) with one evidence section per claim. */
static int build_section(struct run *r, json_t **out, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"id", "Claim", TCOL_TEXT},
        {"part_of", "Part of", TCOL_TEXT},
        {"claim", "What the brief says (our words)", TCOL_TEXT},
        {"verdict", "Verdict", TCOL_TEXT},
        {"value", "Value", TCOL_NUM},
        {"measured", "Measured", TCOL_TEXT},
        {"expected", "Expected", TCOL_TEXT},
        {"detail", "How the verdict follows", TCOL_TEXT},
        {"method", "Method", TCOL_TEXT},
        {"check", "Check", TCOL_TEXT},
        {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},
        {"evidence_sources", "Evidence sources", TCOL_TEXT},
        {"restates_source", "Restates its source", TCOL_INT},
        {"note", "Note", TCOL_TEXT},
    };
    json_t *t = table_new("claims", "The brief's claims, checked",
                          "Each claim of the brief as a check over the store: supported, "
                          "contradicted, or not checkable with the data (and why), with the "
                          "measured value, the evidence rows and their sources.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    json_t *evidence = json_object();
    if (!t || !evidence) {
        json_decref(t);
        json_decref(evidence);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    json_t *rows = json_object_get(t, "rows");
    int bad = json_object_set_new(t, "view", json_string("claims")) ||
              json_object_set_new(t, "evidence", evidence);
    for (size_t i = 0; !bad && i < r->n; i++) {
        const struct cdef *d = &r->defs[i];
        struct judged *j = &r->res[i];
        if (!j->selected)
            continue;
        char want[64] = "";
        struct claim_expect e;
        char why[64];
        if (d->expect && claim_expect_parse(d->expect, &e, why, sizeof(why)) == 0)
            claim_expect_format(&e, want, sizeof(want));
        json_t *row = json_pack(
            "[s, s?, s, s, o, s?, s?, s, s, s?, s, s, s?, i, s?]", d->id, d->part_of, d->text,
            verdict_names[j->v], j->has_value ? json_real(j->value) : json_null(),
            j->shown[0] ? j->shown : NULL, want[0] ? want : NULL, j->detail, d->method, d->check,
            d->source_id, d->locator, j->sources[0] ? j->sources : NULL, j->restates ? 1 : 0,
            d->note);
        bad = !row || json_array_append_new(rows, row);
        if (!bad && j->evidence) {
            bad = json_object_set(evidence, d->id, j->evidence) != 0;
        }
    }
    if (!bad) {
        char note[256];
        snprintf(note, sizeof(note),
                 "Restates its source = 1: every evidence row comes from the claim's own source, "
                 "so the check shows what the source says, not an independent test of it.");
        bad = table_note(t, note) < 0;
    }
    if (bad) {
        json_decref(t);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    *out = t;
    return 0;
}

/* Free a run: the judgements' evidence, the lists and the arena of the claims' strings. */
static void run_release(struct run *r)
{
    for (size_t i = 0; r->res && i < r->n; i++)
        json_decref(r->res[i].evidence);
    bilat_free(r->res);
    bilat_free(r->defs);
    bilat_arena_release(&r->arena);
}

/* Read, select and judge; fills r->res. */
static int run_claims(struct run *r, const char *a, const char *b, struct bilat_err *err)
{
    int rc = r->o && r->o->file ? read_file(r, r->o->file, err) : read_store(r, err);
    if (rc < 0)
        return rc;
    if (r->sum.errors)
        return bilat_fail(err, BILAT_EPARSE, "%zu error%s in '%s'; nothing was judged",
                          r->sum.errors, r->sum.errors == 1 ? "" : "s", r->o->file);
    r->res = bilat_calloc(r->n ? r->n : 1, sizeof(*r->res));
    if (!r->res)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    BILAT_TRY(select_claims(r, a, b, err));
    for (size_t i = 0; i < r->n; i++)
        if (r->res[i].selected && strcmp(r->defs[i].method, "all") != 0)
            BILAT_TRY(evaluate(r, i, err));
    for (size_t i = 0; i < r->n; i++)
        if (r->res[i].selected && strcmp(r->defs[i].method, "all") == 0)
            judge_group(r, i, 0);
    for (size_t i = 0; i < r->n; i++) {
        if (!r->res[i].selected)
            continue;
        r->sum.claims++;
        switch (r->res[i].v) {
        case V_SUPPORTED:
            r->sum.supported++;
            break;
        case V_CONTRADICTED:
            r->sum.contradicted++;
            break;
        case V_UNCHECKABLE:
            r->sum.not_checkable++;
            break;
        default:
            break;
        }
    }
    return 0;
}

int claims_profile_section(bilat_db *db, const struct profile_side *a,
                           const struct profile_side *b, json_t *sections, struct bilat_err *err)
{
    struct bilat_claims_opts o = {0};
    struct run r = {.db = db, .o = &o, .arena = BILAT_ARENA_INIT};
    json_t *sec = NULL;
    int rc = run_claims(&r, a->code, b->code, err);
    size_t selected = 0;
    for (size_t i = 0; rc == 0 && i < r.n; i++)
        selected += r.res[i].selected;
    if (rc == 0 && selected)
        rc = build_section(&r, &sec, err);
    if (rc == 0 && sec) {
        char note[200];
        snprintf(note, sizeof(note),
                 "%zu claims: %zu supported, %zu contradicted, %zu not checkable, %zu failed to "
                 "run.",
                 r.sum.claims, r.sum.supported, r.sum.contradicted, r.sum.not_checkable,
                 r.sum.errors);
        /* the headline table (analytics/align.c) shows the count of supported claims */
        if (table_note(sec, note) < 0 ||
            headline_add(sec, "The brief's claims supported by the data", "", 1,
                         (double)r.sum.supported, (long long)r.sum.claims, note + 0,
                         "a claim is supported only when every part of it is; see each claim's "
                         "check and whether it only restates its source",
                         "profile section 'The brief's claims, checked' (bilat claims)") < 0 ||
            json_array_append_new(sections, sec)) {
            sec = NULL;
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    run_release(&r);
    return rc;
}

/*
 * The claims document: a summary of the verdicts, the claims section with each claim's
 * evidence, and the citations of the claims' and the evidence's sources.
 */
int claims_build(bilat_db *db, const struct bilat_claims_opts *o, json_t **doc_out,
                 struct bilat_claims_summary *sum_out, struct bilat_err *err)
{
    *doc_out = NULL;
    struct run r = {.db = db, .o = o, .arena = BILAT_ARENA_INIT};
    json_t *sec = NULL, *doc = NULL, *ids = NULL, *sources = NULL;
    if ((o->a == NULL) != (o->b == NULL)) {
        run_release(&r);
        return bilat_fail(err, BILAT_EINVAL, "give both sides of the dyad, or neither");
    }
    int rc = run_claims(&r, o->a, o->b, err);
    if (rc == 0)
        rc = build_section(&r, &sec, err);
    if (rc == 0) {
        ids = json_object();
        for (size_t i = 0; ids && i < r.n; i++) {
            if (!r.res[i].selected)
                continue;
            if (profile_add_source_ids(ids, r.defs[i].source_id) < 0 ||
                profile_add_source_ids(ids, r.res[i].sources) < 0) {
                json_decref(ids);
                ids = NULL;
            }
        }
        rc = ids ? profile_cite_sources(db, ids, &sources, err)
                 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        doc = json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I}, s:[o], s:o}", "bilat_version",
                        BILAT_VERSION, "summary", "claims", (json_int_t)r.sum.claims,
                        "supported", (json_int_t)r.sum.supported, "contradicted",
                        (json_int_t)r.sum.contradicted, "not_checkable",
                        (json_int_t)r.sum.not_checkable, "errors", (json_int_t)r.sum.errors,
                        "sections", sec, "sources", sources);
        sec = sources = NULL; /* json_pack's "o" took them, even on failure */
        if (!doc)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    json_decref(sec);
    json_decref(sources);
    json_decref(ids);
    if (sum_out)
        *sum_out = r.sum;
    run_release(&r);
    if (rc == 0)
        *doc_out = doc;
    return rc;
}

/* The document serialised as the project's JSON (2-space indent), for `bilat claims --json`. */
int bilat_claims_json(bilat_db *db, const struct bilat_claims_opts *o, char **json_out,
                      struct bilat_claims_summary *sum_out, struct bilat_err *err)
{
    json_t *doc;
    *json_out = NULL;
    BILAT_TRY(claims_build(db, o, &doc, sum_out, err));
    *json_out = table_dump(doc);
    json_decref(doc);
    return *json_out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}
