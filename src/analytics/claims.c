/*
 * claims.c: judging claims (docs/CLAIMS.md): reading them, running their checks, and the
 * claims section and document; the verdicts are claim_verdict.c's, the named measures
 * claim_measures.c's (what the three share: claims_int.h).
 *
 * A claim is read from the store (table `claim`, loaded from claims.tsv) or from a file given
 * to `bilat claims FILE`. Its check is one read-only SQL statement or a named measure
 * (claim_measures.c). Checks are templates: :a, :b and :peers stand for the dyad and its peers,
 * so the same claims can be judged for any dyad (`--as`). The check yields evidence rows and a
 * value (with an interval when the measure gives one) or a yearly series; the expectation reads
 * them, and the verdict says what the evidence can bear:
 *
 *   supported      the evidence meets the expectation with its uncertainty: a threshold met by
 *                  the interval's bound, a trend by a test robust to autocorrelation
 *                  (Newey-West), a comparison with peers by the interval against their median;
 *   restates       the same, or its opposite, but every evidence row comes from the claim's own
 *                  source (or from a source that takes its figure from it): the check shows what
 *                  the source says, it does not test it;
 *   not shown      independent evidence that does not establish the expectation: a slope that
 *                  is not significant, an interval that straddles the threshold, a series that
 *                  rose and fell since, a series too short to tell;
 *   contradicted   the evidence establishes the opposite: a significant slope of the other sign,
 *                  a slope bounded inside the claim's margin (equivalence test), an interval
 *                  wholly on the wrong side, a value below its peers' median;
 *   not checkable  the store lacks what the check needs, with the reason;
 *   error          the check could not run.
 *
 * A group (method `all`) is supported only when every part is; it restates when its parts are
 * supported or restate and at least one restates; it is contradicted when a part is; not
 * checkable when no part could be checked; otherwise not shown.
 */
#include "analytics/claims_int.h"

#include "analytics/headline.h"
#include "analytics/stats.h"
#include "analytics/summaries.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/tsv.h"
#include "store/db.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                              */

static char *adup(struct run *r, const char *s)
{
    return s ? bilat_arena_strndup(&r->arena, s, strlen(s)) : NULL;
}

/* Copy `in` into out[0..len) with every `{a}` / `{b}` replaced by the sides' names. */
void claim_fill_names(char *out, size_t len, const char *in, const struct dyad *dy)
{
    size_t o = 0;
    for (const char *p = in ? in : ""; *p && o + 1 < len; p++) {
        const char *name = NULL;
        if (p[0] == '{' && (p[1] == 'a' || p[1] == 'b') && p[2] == '}')
            name = p[1] == 'a' ? dy->aname : dy->bname;
        if (name) {
            int w = snprintf(out + o, len - o, "%s", name);
            o += w > 0 ? (size_t)w : 0;
            if (o >= len)
                o = len - 1;
            p += 2;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

/* Country and name of an actor code: a country's own code, or an actor's country. */
int claim_side_info(bilat_db *db, const char *code, char ctry[4], char *name, size_t nlen,
                     struct bilat_err *err)
{
    ctry[0] = '\0';
    if (name)
        name[0] = '\0';
    if (!code)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT iso3, name FROM country WHERE iso3 = ?1 UNION ALL "
                            "SELECT country, name FROM actor WHERE code = ?1 AND country IS NOT "
                            "NULL",
                            &st, err));
    store_bind_text(st, 1, code, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW) {
        snprintf(ctry, 4, "%s", (const char *)sqlite3_column_text(st, 0));
        if (name)
            snprintf(name, nlen, "%s", (const char *)sqlite3_column_text(st, 1));
    } else if (s != SQLITE_DONE) {
        rc = store_fail(db, err, s, "cannot look up an actor");
    }
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading claims                                                                             */

/* A new, zeroed claim at the end of the run's list (which grows by doubling). */
static int add_def(struct run *r, struct cdef **out)
{
    struct cdef *d = bilat_array_grow(r->defs, r->n, &r->cap, sizeof(*d), 32);
    if (!d)
        return BILAT_ENOMEM;
    r->defs = d;
    *out = &r->defs[r->n++];
    memset(*out, 0, sizeof(**out));
    return 0;
}

enum { NFIELDS = 13 };

/* The stored claims in file order per dataset, each with the countries of its sides. */
static int read_store(struct run *r, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(r->db,
                            "SELECT c.id, c.part_of, c.a, c.b, c.text, c.method, c.check_expr, "
                            "c.expect, c.unavailable, c.source_id, c.locator, c.note, c.stated, "
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
        const char **f[NFIELDS] = {&d->id,          &d->part_of,   &d->a,       &d->b,
                                   &d->text,        &d->method,    &d->check,   &d->expect,
                                   &d->unavailable, &d->source_id, &d->locator, &d->note,
                                   &d->stated};
        for (int i = 0; i < NFIELDS; i++) {
            const char *t = (const char *)sqlite3_column_text(st, i);
            *f[i] = adup(r, t);
            if (t && !*f[i])
                rc = BILAT_ENOMEM;
        }
        const char *ca = (const char *)sqlite3_column_text(st, NFIELDS);
        const char *cb = (const char *)sqlite3_column_text(st, NFIELDS + 1);
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
    static const char *const cols[NFIELDS] = {"id",          "part_of",   "a",       "b",
                                              "claim",       "method",    "check",   "expect",
                                              "unavailable", "source_id", "locator", "note",
                                              "stated"};
    static const bool required[NFIELDS] = {1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0};
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
    int map[NFIELDS];
    size_t before = r->sum.errors;
    for (int i = 0; i < NFIELDS; i++) {
        map[i] = tsv_col(&f, cols[i]);
        if (map[i] < 0 && required[i])
            file_diag(r, path, f.line, "missing column '%s' in the header", cols[i]);
    }
    for (size_t j = 0; j < f.ncol; j++) {
        int known = 0;
        for (int i = 0; i < NFIELDS; i++)
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
        const char *v[NFIELDS];
        for (int i = 0; i < NFIELDS; i++)
            v[i] = map[i] >= 0 && f.lens[map[i]] ? f.fields[map[i]] : NULL;
        int bad = 0;
        for (int i = 0; i < NFIELDS; i++)
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
        if (v[12] && strcmp(v[12], "brief") != 0 && strcmp(v[12], "inferred") != 0) {
            file_diag(r, path, f.line, "bad stated '%s' (brief or inferred)", v[12]);
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
        const char **fl[NFIELDS] = {&d->id,          &d->part_of,   &d->a,       &d->b,
                                    &d->text,        &d->method,    &d->check,   &d->expect,
                                    &d->unavailable, &d->source_id, &d->locator, &d->note,
                                    &d->stated};
        for (int i = 0; i < NFIELDS; i++) {
            *fl[i] = adup(r, v[i]);
            if (v[i] && !*fl[i]) {
                rc = BILAT_ENOMEM;
                goto out;
            }
        }
        for (int side = 0; side < 2; side++) {
            char *ctry = side ? d->bctry : d->actry;
            if ((rc = claim_side_info(r->db, side ? d->b : d->a, ctry, NULL, 0, err)) < 0)
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
/* Peers                                                                                      */

/* The peers of a comparison: a bloc's current members or an ISO3 list, without the dyad's
 * countries. */
int claim_peers_resolve(bilat_db *db, const char *spec, const struct dyad *dy, struct peers *out,
                         struct bilat_err *err)
{
    memset(out, 0, sizeof(*out));
    if (!spec || !*spec)
        spec = "ASEAN";
    snprintf(out->spec, sizeof(out->spec), "%s", spec);
    if (strchr(spec, ',') || (strlen(spec) == 3 && !strchr(spec, ' '))) {
        int64_t isbloc = 0;
        BILAT_TRY(store_query_int(db, "SELECT count(*) FROM bloc WHERE bloc = ?1 COLLATE NOCASE",
                                  spec, &isbloc, err));
        if (!isbloc || strchr(spec, ',')) {
            for (const char *p = spec; *p && out->n < MAX_PEERS;) {
                size_t k = strcspn(p, ",");
                if (k == 3 && strncmp(p, dy->actry, 3) != 0 && strncmp(p, dy->bctry, 3) != 0) {
                    memcpy(out->code[out->n], p, 3);
                    out->code[out->n++][3] = '\0';
                }
                p += k + (p[k] == ',');
            }
            return 0;
        }
    }
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT iso3 FROM bloc WHERE bloc = ?1 COLLATE NOCASE AND "
                            "(date_to IS NULL OR date_to = '') AND iso3 NOT IN (?2, ?3) "
                            "ORDER BY iso3",
                            &st, err));
    store_bind_text(st, 1, spec, -1);
    store_bind_text(st, 2, dy->actry, -1);
    store_bind_text(st, 3, dy->bctry, -1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && out->n < MAX_PEERS)
        snprintf(out->code[out->n++], 4, "%s", (const char *)sqlite3_column_text(st, 0));
    int rc = s == SQLITE_ROW || s == SQLITE_DONE ? 0 : store_fail(db, err, s, "cannot read blocs");
    sqlite3_finalize(st);
    if (rc == 0 && out->n == 0)
        rc = bilat_fail(err, BILAT_ENOTFOUND, "no peers: '%s' is neither a bloc of the store nor "
                                              "a list of ISO3 codes",
                        spec);
    return rc;
}

/* The peers as a JSON array of codes, for :peers in SQL. */
void claim_peers_json(const struct peers *p, char *out, size_t len)
{
    size_t o = 0;
    o += (size_t)snprintf(out, len, "[");
    for (size_t i = 0; i < p->n && o + 8 < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s\"%s\"", i ? "," : "", p->code[i]);
    snprintf(out + o, len - o, "]");
}

/* ------------------------------------------------------------------------------------------ */
/* Running a check                                                                            */

/* Free what an SQL check's result holds. */
void claim_sqlout_release(struct sqlout *o)
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

/* A section from a prepared statement's columns (typed from the values afterwards). */
static json_t *evidence_new(sqlite3_stmt *st)
{
    json_t *t = json_object(), *cols = json_array();
    int nc = sqlite3_column_count(st);
    for (int i = 0; t && cols && i < nc; i++) {
        const char *name = sqlite3_column_name(st, i);
        json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "name", name ? name : "",
                                              "label", name ? name : "", "type", "text"));
    }
    if (!t || !cols) {
        json_decref(t);
        json_decref(cols);
        return NULL;
    }
    /* "columns" first: the object owns cols from then on, whatever fails after */
    if (json_object_set_new(t, "columns", cols) ||
        json_object_set_new(t, "id", json_string("evidence")) ||
        json_object_set_new(t, "title", json_string("Evidence")) ||
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

/* Append a ranking key (column 0 text, column 1 number) to an SQL result. */
static int add_key(struct sqlout *o, const char *key, double v)
{
    char **k = bilat_realloc_array(o->keys, o->nk + 1, sizeof(*k));
    if (!k)
        return BILAT_ENOMEM;
    o->keys = k;
    double *vv = bilat_realloc_array(o->vals, o->nk + 1, sizeof(*vv));
    if (!vv)
        return BILAT_ENOMEM;
    o->vals = vv;
    if (!(o->keys[o->nk] = bilat_strdup(key)))
        return BILAT_ENOMEM;
    o->vals[o->nk++] = v;
    return 0;
}

/*
 * Run a claim's SQL check for the sides a and b: refuse anything but one read-only statement
 * (the loader checks this too, but a claims FILE is checked only here), bind :a, :b and :peers,
 * and collect every row as evidence while reading the value (with `lo` and `hi` columns its
 * interval), the series and the ranking an expectation may need. On failure `msg` says why.
 */
static int run_sql(bilat_db *db, const char *sql, const char *a, const char *b,
                   const char *peers, struct sqlout *o, char *msg, size_t len)
{
    sqlite3_stmt *st = NULL;
    const char *tail = NULL;
    int s = sqlite3_prepare_v2(db->db, sql, -1, &st, &tail);
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
            store_bind_text(st, i, a, -1);
        else if (p && strcmp(p, ":b") == 0)
            store_bind_text(st, i, b, -1);
        else if (p && strcmp(p, ":peers") == 0)
            store_bind_text(st, i, peers, -1);
        else {
            snprintf(msg, len,
                     "the SQL check has an unknown parameter '%s' (only :a, :b and :peers)",
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
    int nc = sqlite3_column_count(st), clo = -1, chi = -1;
    for (int i = 0; i < nc; i++) {
        const char *name = sqlite3_column_name(st, i);
        if (name && strcmp(name, "lo") == 0)
            clo = i;
        if (name && strcmp(name, "hi") == 0)
            chi = i;
    }
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
            if (o->m.has_value && clo >= 0 && chi >= 0 && cell_number(st, clo, &o->m.lo) &&
                cell_number(st, chi, &o->m.hi) && o->m.lo <= o->m.hi) {
                o->m.has_ci = true;
                snprintf(o->m.ci_how, sizeof(o->m.ci_how), "the interval the check gives "
                                                           "(columns lo and hi)");
            }
        }
        o->rows++;
        if (nc >= 2 && cell_number(st, 0, &x) && cell_number(st, 1, &y) &&
            (rc = claim_series_add(&o->m, x, y)) < 0)
            goto out;
        if (nc >= 2 && sqlite3_column_type(st, 0) == SQLITE_TEXT && cell_number(st, 1, &y) &&
            (rc = add_key(o, (const char *)sqlite3_column_text(st, 0), y)) < 0)
            goto out;
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

/* The latest holder of `office` among the actors of `country` (for nextgen_meetings). */
static int office_holder(bilat_db *db, const char *country, const char *office, char *code,
                         size_t len, struct bilat_err *err)
{
    code[0] = '\0';
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT p.code FROM affiliation f JOIN actor p ON p.id = f.person_id "
                            "WHERE p.country = ?1 AND f.role = ?2 AND f.date_from <> '' "
                            "ORDER BY f.date_from DESC LIMIT 1",
                            &st, err));
    store_bind_text(st, 1, country, -1);
    store_bind_text(st, 2, office, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW)
        snprintf(code, len, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read affiliations");
    sqlite3_finalize(st);
    return rc;
}

/* The concepts of a kind owned by the actors of a country, comma-separated (concept_overlap). */
static int owned_concepts(bilat_db *db, const char *country, const char *kind, char *out,
                          size_t len, struct bilat_err *err)
{
    out[0] = '\0';
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT group_concat(id, ',') FROM (SELECT c.id FROM concept c JOIN "
                            "actor o ON o.id = c.owner_id WHERE (o.country = ?1 OR o.code = ?1) "
                            "AND (?2 IS NULL OR instr(c.kind, ?2) > 0) ORDER BY c.id)",
                            &st, err));
    store_bind_text(st, 1, country, -1);
    store_bind_text(st, 2, kind, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    else if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read concepts");
    sqlite3_finalize(st);
    return rc;
}

/*
 * Fill a measure call's parameters for sides a and b (:a, :b, :peers), and turn the arguments
 * that name a dyad's actors rather than records (country= of nextgen_meetings, owner_a/owner_b
 * of concept_overlap) into the records they stand for. `missing` gets what the store lacks
 * (the claim is then not checkable), "" when all was found.
 */
static int bind_call(bilat_db *db, struct claim_call *c, const char *a, const char *b,
                     const char *peers, char *missing, size_t mlen, struct bilat_err *err)
{
    missing[0] = '\0';
    for (size_t i = 0; i < c->nargs; i++) {
        const char *v = strcmp(c->vals[i], ":a") == 0   ? a
                        : strcmp(c->vals[i], ":b") == 0 ? b
                        : strcmp(c->vals[i], ":peers") == 0 ? peers
                                                            : NULL;
        if (v)
            snprintf(c->vals[i], CLAIM_MAX_VALUE, "%s", v ? v : "");
    }
    const char *country = claim_call_arg(c, "country");
    if (strcmp(c->name, "nextgen_meetings") == 0 && country && !claim_call_arg(c, "person")) {
        char who[CLAIM_MAX_VALUE];
        const char *office = claim_call_arg(c, "office");
        BILAT_TRY(office_holder(db, country, office, who, sizeof(who), err));
        if (!who[0]) {
            snprintf(missing, mlen, "no person of %s holds the office of %s in the store "
                                    "(affiliations)",
                     country, office);
            return 0;
        }
        for (size_t i = 0; i < c->nargs; i++)
            if (strcmp(c->keys[i], "country") == 0) {
                snprintf(c->keys[i], CLAIM_MAX_KEY, "person");
                snprintf(c->vals[i], CLAIM_MAX_VALUE, "%s", who);
            }
    }
    if (strcmp(c->name, "concept_overlap") == 0) {
        const char *kind = claim_call_arg(c, "kind");
        for (size_t i = 0; i < c->nargs; i++) {
            if (strcmp(c->keys[i], "owner_a") != 0 && strcmp(c->keys[i], "owner_b") != 0)
                continue;
            char ids[CLAIM_MAX_VALUE], owner[CLAIM_MAX_VALUE];
            snprintf(owner, sizeof(owner), "%s", c->vals[i]);
            BILAT_TRY(owned_concepts(db, owner, kind, ids, sizeof(ids), err));
            if (!ids[0]) {
                snprintf(missing, mlen, "no concept%s%s of %s in the store", kind ? " of kind " : "",
                         kind ? kind : "", owner);
                return 0;
            }
            c->keys[i][0] = c->keys[i][6]; /* owner_a -> a, owner_b -> b */
            c->keys[i][1] = '\0';
            snprintf(c->vals[i], CLAIM_MAX_VALUE, "%s", ids);
        }
        if (!claim_call_arg(c, "a") || !claim_call_arg(c, "b")) {
            snprintf(missing, mlen, "concept_overlap needs a= and b= (or owner_a= and owner_b=)");
            return 0;
        }
    }
    return 0;
}

/* The call as text, for the judgement's record of what ran. */
static void call_text(const struct claim_call *c, char *out, size_t len)
{
    size_t o = (size_t)snprintf(out, len, "%s", c->name);
    for (size_t i = 0; i < c->nargs && o < len; i++)
        o += (size_t)snprintf(out + o, len - o, strchr(c->vals[i], ' ') ? " %s=\"%s\"" : " %s=%s",
                              c->keys[i], c->vals[i]);
}

/* Run a claim's check (claims_int.h). */
int claim_run_check(struct run *r, const struct cdef *d, const char *a, const char *b,
                    const char *peers, struct sqlout *so, char *ran, size_t rlen, char *missing,
                    size_t mlen, char *msg, size_t len)
{
    missing[0] = '\0';
    if (strcmp(d->method, "sql") == 0) {
        snprintf(ran, rlen, "%s", d->check);
        return run_sql(r->db, d->check, a, b, peers, so, msg, len);
    }
    struct claim_call call;
    claim_measure_fn *fn = NULL;
    if (claim_call_parse(d->check, &call, msg, len) < 0)
        return BILAT_EINVAL;
    if (!(fn = claim_measure_impl(call.name))) {
        snprintf(msg, len, "measure '%s' has no implementation", call.name);
        return BILAT_EINVAL;
    }
    struct bilat_err merr = {0};
    int rc = bind_call(r->db, &call, a, b, peers, missing, mlen, &merr);
    call_text(&call, ran, rlen);
    if (rc == 0 && !missing[0])
        rc = fn(r->db, &call, &so->m, &merr);
    if (rc < 0)
        snprintf(msg, len, "%s", merr.msg[0] ? merr.msg : bilat_strerror(rc));
    return rc;
}

/* Keep claims of the dyad (by country, either order) and, with an id, that claim and its parts. */
static int select_claims(struct run *r, const char *a, const char *b, struct bilat_err *err)
{
    char ca[4] = "", cb[4] = "";
    if (a && b) {
        struct dyad_side sa, sb;
        BILAT_TRY(dyad_resolve(r->db, a, &sa, err));
        BILAT_TRY(dyad_resolve(r->db, b, &sb, err));
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
        {"stated", "Stated", TCOL_TEXT},
        {"lo", "Interval from", TCOL_NUM},
        {"hi", "Interval to", TCOL_NUM},
        {"a", "Side A", TCOL_TEXT},
        {"b", "Side B", TCOL_TEXT},
    };
    json_t *t = table_new("claims", "The brief's claims, checked",
                          "Each claim of the brief as a check over the store, judged on what "
                          "the evidence can bear: supported (independent evidence meets it with "
                          "its uncertainty), restates (the only evidence is the claim's own "
                          "source), not shown, contradicted, or not checkable with the data "
                          "(and why). 'Stated' says whether the brief says it or the claim is our "
                          "reading of the brief.",
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
    bool any_restates = false;
    for (size_t i = 0; !bad && i < r->n; i++) {
        const struct cdef *d = &r->defs[i];
        struct judged *j = &r->res[i];
        if (!j->selected)
            continue;
        any_restates |= j->restates;
        char want[200] = "";
        struct claim_expect e;
        char why[64];
        if (d->expect && claim_expect_parse(d->expect, &e, why, sizeof(why)) == 0)
            claim_expect_format(&e, want, sizeof(want));
        if (!j->text[0])
            claim_fill_names(j->text, sizeof(j->text), d->text, &j->dy);
        char note[800];
        claim_fill_names(note, sizeof(note), d->note, &j->dy);
        json_t *row = json_pack(
            "[s, s?, s, s, o, s?, s?, s, s, s?, s, s, s?, i, s?, s, o, o, s?, s?]", d->id,
            d->part_of, j->text, claim_verdict_names[j->v],
            j->has_value ? json_real(j->value) : json_null(), j->shown[0] ? j->shown : NULL,
            want[0] ? want : NULL, j->detail, d->method,
            j->check[0] ? j->check : d->check, d->source_id, d->locator,
            j->sources && j->sources[0] ? j->sources : NULL, j->restates ? 1 : 0,
            d->note ? note : NULL, d->stated ? d->stated : "brief",
            j->has_ci ? json_real(j->lo) : json_null(),
            j->has_ci ? json_real(j->hi) : json_null(), j->dy.a[0] ? j->dy.a : NULL,
            j->dy.b[0] ? j->dy.b : NULL);
        bad = !row || json_array_append_new(rows, row);
        if (!bad && j->evidence)
            bad = json_object_set(evidence, d->id, j->evidence) != 0;
    }
    if (!bad && any_restates) /* the column's legend, where a row has it */
        bad = table_note(t, "Restates its source = 1: every evidence row comes from the claim's "
                            "own source (or a source that takes its figure from it), so the "
                            "check shows what the source says, not an independent test of it.") <
              0;
    if (!bad)
        bad = table_note(t, "Stated: 'brief' when the brief says it; 'inferred' when the claim "
                            "is our reading of the brief (a threshold, a trend, a comparison): a "
                            "verdict on an inferred claim judges our reading, not the author.") <
              0;
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
    for (size_t i = 0; r->res && i < r->n; i++) {
        json_decref(r->res[i].evidence);
        bilat_free(r->res[i].sources);
    }
    bilat_free(r->res);
    bilat_free(r->defs);
    bilat_arena_release(&r->arena);
}

/* Read, select and judge; fills r->res. */
static int run_claims(struct run *r, const char *a, const char *b, struct bilat_err *err)
{
    if (r->o && (r->o->as_a == NULL) != (r->o->as_b == NULL))
        return bilat_fail(err, BILAT_EINVAL, "--as needs both sides of the dyad");
    if (r->o && r->o->as_a) {
        struct dyad_side sa, sb;
        BILAT_TRY(dyad_resolve(r->db, r->o->as_a, &sa, err));
        BILAT_TRY(dyad_resolve(r->db, r->o->as_b, &sb, err));
    }
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
            BILAT_TRY(claim_evaluate(r, i, err));
    for (size_t i = 0; i < r->n; i++)
        if (r->res[i].selected && strcmp(r->defs[i].method, "all") == 0) {
            BILAT_TRY(claim_dyad(r, &r->defs[i], &r->res[i].dy, err));
            claim_judge_group(r, i, 0);
        }
    for (size_t i = 0; i < r->n; i++) {
        if (!r->res[i].selected)
            continue;
        r->sum.claims++;
        switch (r->res[i].v) {
        case V_SUPPORTED:
            r->sum.supported++;
            break;
        case V_RESTATES:
            r->sum.restates++;
            break;
        case V_NOT_SHOWN:
            r->sum.not_shown++;
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

/* "29 claims: 3 supported, 12 restate their source, ..." */
static void summary_line(const struct bilat_claims_summary *s, char *out, size_t len)
{
    snprintf(out, len,
             "%zu claims: %zu supported, %zu restates, %zu not shown, %zu contradicted, %zu not "
             "checkable, %zu failed to run.",
             s->claims, s->supported, s->restates, s->not_shown, s->contradicted, s->not_checkable,
             s->errors);
}

/* The claims section of a dyad's profile (NULL *sec_out: the dyad has no claims). */
static int claims_section(bilat_db *db, const char *a, const char *b, json_t **sec_out,
                          struct bilat_err *err)
{
    *sec_out = NULL;
    struct bilat_claims_opts o = {0};
    struct run r = {.db = db, .o = &o, .arena = BILAT_ARENA_INIT};
    json_t *sec = NULL;
    int rc = run_claims(&r, a, b, err);
    size_t selected = 0;
    for (size_t i = 0; rc == 0 && i < r.n; i++)
        selected += r.res[i].selected;
    if (rc == 0 && selected)
        rc = build_section(&r, &sec, err);
    if (rc == 0 && sec) {
        char note[300];
        summary_line(&r.sum, note, sizeof(note));
        /* the headline table (analytics/align.c) shows the count of supported claims */
        if (table_note(sec, note) < 0 ||
            headline_add(sec, "The brief's claims supported by independent evidence", "", 1,
                         (double)r.sum.supported, (long long)r.sum.claims, note,
                         "supported needs independent evidence that meets the claim with its "
                         "uncertainty; claims resting on the brief alone are counted apart "
                         "(restates)",
                         "profile section 'The brief's claims, checked' (bilat claims)") < 0) {
            json_decref(sec);
            sec = NULL;
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    run_release(&r);
    *sec_out = sec;
    return rc;
}

int claims_summary_key(bilat_db *db, char *key, size_t len, struct bilat_err *err)
{
    int64_t gen = 0;
    BILAT_TRY(store_generation(db, &gen, err));
    snprintf(key, len, "claims %s schema %d generation %lld", BILAT_VERSION,
             bilat_db_schema_version(db), (long long)gen);
    return 0;
}

int claims_summary_build(bilat_db *db, const char *a, const char *b, char **json_out,
                         struct bilat_err *err)
{
    *json_out = NULL;
    json_t *sec = NULL;
    BILAT_TRY(claims_section(db, a, b, &sec, err));
    *json_out = sec ? json_dumps(sec, JSON_COMPACT | JSON_REAL_PRECISION(17)) : bilat_strdup("null");
    json_decref(sec);
    return *json_out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

/* The dyad's claims section as the store's summary holds it, when it is current (*hit). */
static int summary_read(bilat_db *db, const char *a, const char *b, json_t **sec_out, bool *hit,
                        struct bilat_err *err)
{
    *sec_out = NULL;
    *hit = false;
    if (bilat_db_schema_version(db) < 90)
        return 0;
    char key[128];
    BILAT_TRY(claims_summary_key(db, key, sizeof(key), err));
    json_t *sec = NULL;
    BILAT_TRY(dyad_summary_get(db, a, b, "claims", key, JSON_DECODE_ANY, &sec, err));
    *hit = sec != NULL;
    if (json_is_null(sec))
        json_decref(sec); /* the dyad has no claims section */
    else
        *sec_out = sec;
    return 0;
}

int claims_profile_section(bilat_db *db, const struct dyad_side *a,
                           const struct dyad_side *b, json_t *sections, struct bilat_err *err)
{
    json_t *sec = NULL;
    bool hit = false;
    BILAT_TRY(summary_read(db, a->code, b->code, &sec, &hit, err));
    if (!hit)
        BILAT_TRY(claims_section(db, a->code, b->code, &sec, err));
    if (sec && json_array_append_new(sections, sec))
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return 0;
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
            if (dyad_add_source_ids(ids, r.defs[i].source_id) < 0 ||
                dyad_add_source_ids(ids, r.res[i].sources) < 0) {
                json_decref(ids);
                ids = NULL;
            }
        }
        rc = ids ? dyad_cite_sources(db, ids, &sources, err)
                 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0) {
        doc = json_pack("{s:s, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:[o], s:o}",
                        "bilat_version", BILAT_VERSION, "summary", "claims",
                        (json_int_t)r.sum.claims, "supported", (json_int_t)r.sum.supported,
                        "restates", (json_int_t)r.sum.restates, "not_shown",
                        (json_int_t)r.sum.not_shown, "contradicted",
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


