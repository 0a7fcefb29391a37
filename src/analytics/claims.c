/*
 * claims.c: judging claims (docs/CLAIMS.md).
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
#include "analytics/claims.h"

#include "analytics/align.h"
#include "analytics/stats.h"
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

enum {
    EVIDENCE_MAX_ROWS = 1000, /* rows kept in a claim's evidence (all rows are judged) */
    MAX_PEERS = 40,           /* peers a comparison takes */
    MIN_TREND_POINTS = 8,     /* fewer points: a trend can be neither shown nor refuted */
    MIN_PEERS = 3,            /* fewer peers with a value: no comparison */
};

#define ALPHA 0.05 /* level of the trend tests; the equivalence test uses the (1 - 2 alpha) CI */

enum verdict { V_NONE, V_SUPPORTED, V_RESTATES, V_NOT_SHOWN, V_CONTRADICTED, V_UNCHECKABLE,
               V_ERROR };

static const char *const verdict_names[] = {"",          "supported",     "restates",
                                            "not shown", "contradicted",  "not checkable",
                                            "error"};

/* One claim as written. Strings live in the run's arena. */
struct cdef {
    const char *id, *part_of, *a, *b, *text, *method, *check, *expect, *unavailable,
        *source_id, *locator, *note, *stated;
    char actry[4], bctry[4]; /* countries of a and b ("" when not given or unknown) */
};

/* The sides a claim is judged for (its own, or those of --as), with names and peers. */
struct dyad {
    char a[32], b[32];         /* actor codes */
    char aname[128], bname[128];
    char actry[4], bctry[4];
};

/* The judgement of one claim. */
struct judged {
    enum verdict v;
    bool has_value;
    double value;
    bool has_ci;
    double lo, hi;
    char shown[200];    /* the measured value for people ("0.93 (95 % 0.91-0.95)", "+0.43/yr") */
    char detail[1400];  /* how the verdict follows, or why there is none */
    char text[600];     /* the claim's text with the dyad's names */
    char check[700];    /* the check with its parameters filled in (measure calls) */
    json_t *evidence;   /* table section or NULL */
    char *sources;      /* evidence sources, comma-separated, sorted, unique (bilat_malloc) */
    bool restates;      /* every evidence source is the claim's own (or taken from it) */
    bool selected;      /* passes the run's filter */
    struct dyad dy;     /* the sides it was judged for */
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

/* A number for people: integers plainly, large values with M/bn, others with 4 significant
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

static void set_detail(struct judged *j, const char *fmt, ...) BILAT_PRINTF(2, 3);
/* The sentence that says how the verdict follows from the measured value. */
static void set_detail(struct judged *j, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->detail, sizeof(j->detail), fmt, ap);
    va_end(ap);
}

static void add_detail(struct judged *j, const char *fmt, ...) BILAT_PRINTF(2, 3);
/* Append to the detail. */
static void add_detail(struct judged *j, const char *fmt, ...)
{
    size_t used = strlen(j->detail);
    if (used + 1 >= sizeof(j->detail))
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->detail + used, sizeof(j->detail) - used, fmt, ap);
    va_end(ap);
}

/* Copy `in` into out[0..len) with every `{a}` / `{b}` replaced by the sides' names. */
static void fill_names(char *out, size_t len, const char *in, const struct dyad *dy)
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
static int side_info(bilat_db *db, const char *code, char ctry[4], char *name, size_t nlen,
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
            if ((rc = side_info(r->db, side ? d->b : d->a, ctry, NULL, 0, err)) < 0)
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

struct peers {
    size_t n;
    char code[MAX_PEERS][4];
    char spec[160]; /* as asked for ("ASEAN", or a list) */
};

/* The peers of a comparison: a bloc's current members or an ISO3 list, without the dyad's
 * countries. */
static int peers_resolve(bilat_db *db, const char *spec, const struct dyad *dy, struct peers *out,
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
static void peers_json(const struct peers *p, char *out, size_t len)
{
    size_t o = 0;
    o += (size_t)snprintf(out, len, "[");
    for (size_t i = 0; i < p->n && o + 8 < len; i++)
        o += (size_t)snprintf(out + o, len - o, "%s\"%s\"", i ? "," : "", p->code[i]);
    snprintf(out + o, len - o, "]");
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

/*
 * Run a claim's check for sides a and b into `so` (an SQL check fills the ranking too). 0, or a
 * negative status with `msg` (the claim's error); `missing` non-empty when the store lacks what
 * the call names (no error, the claim is not checkable).
 */
static int run_check(struct run *r, const struct cdef *d, const char *a, const char *b,
                     const char *peers, struct sqlout *so, char *ran, size_t rlen,
                     char *missing, size_t mlen, char *msg, size_t len)
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

/* ------------------------------------------------------------------------------------------ */
/* Judging                                                                                    */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The ids of a source cell (one id, or a comma list) added to the set `ids` (an object). */
static int collect_ids(json_t *ids, const char *cell)
{
    for (const char *p = cell; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        while (l && *p == ' ') {
            p++;
            l--;
        }
        if (l) {
            char *k = bilat_strndup(p, l);
            int bad = !k || json_object_set_new(ids, k, json_true());
            bilat_free(k);
            if (bad)
                return BILAT_ENOMEM;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* The source ids of an evidence section's source columns, added to `ids`. */
static int evidence_ids(const json_t *ev, json_t *ids)
{
    size_t j, i;
    json_t *c, *row;
    json_array_foreach(json_object_get(ev, "columns"), j, c)
    {
        const char *type = json_string_value(json_object_get(c, "type"));
        if (!type || strcmp(type, "source") != 0)
            continue;
        json_array_foreach(json_object_get(ev, "rows"), i, row)
            BILAT_TRY(collect_ids(ids, json_string_value(json_array_get(row, j))));
    }
    return 0;
}

/* The keys of a set, sorted, comma-separated (bilat_malloc'd; "" when empty). */
static char *ids_join(json_t *ids)
{
    size_t n = json_object_size(ids), k = 0;
    const char **v = bilat_alloc_array(n ? n : 1, sizeof(*v));
    if (!v)
        return NULL;
    const char *key;
    json_t *val;
    json_object_foreach(ids, key, val)
        v[k++] = key;
    qsort(v, n, sizeof(*v), cmp_str);
    struct bilat_buf b = BILAT_BUF_INIT;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++)
        bad = bilat_buf_addf(&b, "%s%s", i ? "," : "", v[i]) < 0;
    bilat_free(v);
    if (bad) {
        bilat_buf_release(&b);
        return NULL;
    }
    return bilat_buf_detach(&b, NULL);
}

/*
 * Whether every id of `ids` is the claim's own source, or takes its figures from it
 * (source.via): such evidence restates the claim's source.
 */
static int only_own(bilat_db *db, json_t *ids, const char *own, bool *out,
                    struct bilat_err *err)
{
    *out = json_object_size(ids) > 0;
    const char *key;
    json_t *val;
    int64_t has_via = 0;
    BILAT_TRY(store_query_int(db,
                              "SELECT count(*) FROM pragma_table_info('source') WHERE name = "
                              "'via'",
                              NULL, &has_via, err));
    json_object_foreach(ids, key, val)
    {
        if (strcmp(key, own) == 0)
            continue;
        int64_t via = 0;
        if (has_via) {
            sqlite3_stmt *st = NULL;
            BILAT_TRY(store_prepare(db, "SELECT count(*) FROM source WHERE id = ?1 AND via = ?2",
                                    &st, err));
            store_bind_text(st, 1, key, -1);
            store_bind_text(st, 2, own, -1);
            int s = sqlite3_step(st);
            via = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
            sqlite3_finalize(st);
            if (s != SQLITE_ROW)
                return store_fail(db, err, s, "cannot read sources");
        }
        if (!via) {
            *out = false;
            return 0;
        }
    }
    return 0;
}

/* Not checkable: what the check found, then the claim's own explanation. */
static void uncheckable(struct judged *j, const struct cdef *d, const char *found)
{
    j->v = V_UNCHECKABLE;
    char unav[600];
    fill_names(unav, sizeof(unav), d->unavailable, &j->dy);
    if (d->unavailable)
        set_detail(j, "%s. %s", found, unav);
    else
        set_detail(j, "%s.", found);
}

/* "0.9302 (95 % 0.8809 to 0.9709)" */
static void show_value_ci(char *out, size_t len, double v, bool ci, double lo, double hi)
{
    char a[48], b[48], c[48];
    show_number(a, sizeof(a), v);
    if (!ci) {
        snprintf(out, len, "%s", a);
        return;
    }
    show_number(b, sizeof(b), lo);
    show_number(c, sizeof(c), hi);
    snprintf(out, len, "%s (95 %% %s to %s)", a, b, c);
}

/* A threshold or range: the interval decides when there is one; a value at a bound never does. */
static void judge_cmp(const struct cdef *d, const struct claim_expect *e,
                      const struct claim_mresult *m, const struct sqlout *so, struct judged *j)
{
    char want[200], val[200];
    claim_expect_format(e, want, sizeof(want));
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
    j->has_ci = m->has_ci;
    j->lo = m->lo;
    j->hi = m->hi;
    double lo = m->has_ci ? m->lo : m->value, hi = m->has_ci ? m->hi : m->value;
    show_value_ci(val, sizeof(val), m->value, m->has_ci, m->lo, m->hi);
    snprintf(j->shown, sizeof(j->shown), "%s", val);
    const char *how = m->has_ci ? "its interval" : "the value";
    if (e->kind == CE_BETWEEN) {
        bool inside = lo > e->x && hi < e->y, outside = hi < e->x || lo > e->y;
        j->v = inside ? V_SUPPORTED : outside ? V_CONTRADICTED : V_NOT_SHOWN;
        set_detail(j, "Measured %s; expected %s: %s lies %s.", val, want, how,
                   inside ? "inside the range" : outside ? "outside the range"
                                                         : "across a bound of the range");
    } else if (e->cmp == CMP_EQ || e->cmp == CMP_NE) {
        /* counts and yes/no checks: exact */
        bool ok = claim_expect_holds(e, m->value);
        j->v = ok ? V_SUPPORTED : V_CONTRADICTED;
        set_detail(j, "Measured %s; expected %s.", val, want);
    } else {
        bool up = e->cmp == CMP_GT || e->cmp == CMP_GE;
        bool meets = up ? lo > e->x : hi < e->x, fails = up ? hi < e->x : lo > e->x;
        /* a point value equal to a strict threshold fails it ("> 0" measured 0); at an
         * inclusive one (">= 60" measured 60, a "more than 60" stored as 60) it decides nothing */
        bool strict = e->cmp == CMP_GT || e->cmp == CMP_LT;
        if (!m->has_ci && strict && m->value == e->x)
            fails = true;
        j->v = meets ? V_SUPPORTED : fails ? V_CONTRADICTED : V_NOT_SHOWN;
        if (!meets && fails && !m->has_ci && m->value == e->x)
            set_detail(j, "Measured %s; expected %s: the value is the threshold itself, which the "
                          "strict comparison excludes.",
                       val, want);
        else if (meets || fails)
            set_detail(j, "Measured %s; expected %s: %s lies wholly %s the threshold.", val, want,
                       how, meets == up ? "above" : "below");
        else if (!m->has_ci)
            set_detail(j, "Measured %s, exactly the threshold of '%s': a value at the threshold "
                          "decides nothing.",
                       val, want);
        else
            set_detail(j, "Measured %s; expected %s: the interval straddles the threshold, so the "
                          "data do not decide.",
                       val, want);
    }
    if (m->has_ci && m->ci_how[0])
        add_detail(j, " Interval: %s.", m->ci_how);
}

/* The years missing inside a yearly series' range ("2016-2018"), into out. */
static void missing_years(const struct claim_mresult *m, char *out, size_t len)
{
    out[0] = '\0';
    if (m->n < 2)
        return;
    double x0 = m->x[0], x1 = m->x[0];
    for (size_t i = 1; i < m->n; i++) {
        x0 = m->x[i] < x0 ? m->x[i] : x0;
        x1 = m->x[i] > x1 ? m->x[i] : x1;
    }
    if (x0 != floor(x0) || x1 - x0 > 400)
        return;
    size_t o = 0;
    int run = 0;
    for (int y = (int)x0 + 1; y < (int)x1; y++) {
        bool have = false;
        for (size_t i = 0; i < m->n && !have; i++)
            have = m->x[i] == y;
        bool next = false;
        for (size_t i = 0; i < m->n && !next; i++)
            next = m->x[i] == y + 1;
        if (!have && !run) {
            run = y;
        }
        if (!have && (next || y + 1 == (int)x1) && run && o + 16 < len) {
            o += (size_t)(run == y ? snprintf(out + o, len - o, "%s%d", o ? ", " : "", y)
                                   : snprintf(out + o, len - o, "%s%d-%d", o ? ", " : "", run, y));
            run = 0;
        }
    }
}

/* A trend: an autocorrelation-robust slope test, the shape of the series, and the equivalence
 * test when the claim states a margin. */
static void judge_trend(const struct cdef *d, const struct claim_expect *e,
                        const struct claim_mresult *m, struct judged *j)
{
    char want[200], val[48], gap[200];
    claim_expect_format(e, want, sizeof(want));
    bool rising = e->kind == CE_RISING;
    if (!m->has_series) {
        j->v = V_ERROR;
        set_detail(j, "the check gives no series of (x, y) rows, so it cannot be '%s'", want);
        return;
    }
    struct stats_trend t;
    int fit = m->n >= 3 ? stats_trend_fit(m->x, m->y, m->n, &t) : -1;
    if (fit == -2) {
        j->v = V_ERROR;
        set_detail(j, "out of memory");
        return;
    }
    if (fit < 0) {
        char found[160];
        snprintf(found, sizeof(found), "Only %zu point%s in the series (3 needed for a trend)",
                 m->n, m->n == 1 ? "" : "s");
        uncheckable(j, d, found);
        return;
    }
    j->has_value = true;
    j->value = t.slope;
    /* the 90 % interval: its lower (upper) end above (below) zero is the one-sided 5 % test */
    double lo90, hi90;
    stats_trend_interval(&t, 2 * ALPHA, &lo90, &hi90);
    j->has_ci = true;
    j->lo = lo90;
    j->hi = hi90;
    show_number(val, sizeof(val), t.slope);
    char a[48], b[48];
    show_number(a, sizeof(a), lo90);
    show_number(b, sizeof(b), hi90);
    snprintf(j->shown, sizeof(j->shown), "%s%s per year (90 %% %s to %s)", t.slope > 0 ? "+" : "",
             val, a, b);
    double p_want = rising ? t.p_up : t.p_down, p_other = rising ? t.p_down : t.p_up;
    bool sig = p_want < ALPHA, against = p_other < ALPHA;
    bool reversal = rising ? t.fell_since_peak : t.rose_since_trough;
    double elo = 0, ehi = 0;
    bool equiv = e->margin > 0 && stats_trend_equivalent(&t, e->margin, ALPHA, &elo, &ehi);
    if (m->n < MIN_TREND_POINTS) {
        j->v = V_NOT_SHOWN;
        set_detail(j, "Only %zu points: too few to show or to refute a trend. ", m->n);
    } else if (sig && !reversal) {
        j->v = V_SUPPORTED;
        set_detail(j, "%s: ", rising ? "Rising" : "Falling");
    } else if (sig && reversal) {
        char pk[48], last[48];
        show_number(pk, sizeof(pk), rising ? t.y_max : t.y_min);
        show_number(last, sizeof(last), t.y_last);
        j->v = V_NOT_SHOWN;
        set_detail(j, "%s to %s in %.0f, %s since (to %s in %.0f): the overall slope hides the "
                      "turn, so '%s' is not shown. ",
                   rising ? "Rose" : "Fell", pk, rising ? t.x_max : t.x_min,
                   rising ? "fell" : "rose", last, t.x_last, want);
    } else if (against) {
        j->v = V_CONTRADICTED;
        set_detail(j, "A significant %s, the opposite of '%s': ", rising ? "fall" : "rise", want);
    } else if (equiv) {
        char ea[48], eb[48], dm[48];
        show_number(ea, sizeof(ea), elo);
        show_number(eb, sizeof(eb), ehi);
        show_number(dm, sizeof(dm), e->margin);
        j->v = V_CONTRADICTED;
        set_detail(j, "No trend beyond the claim's margin: the slope's 90 %% interval (%s to %s) "
                      "lies within +/-%s per year (two one-sided tests at 5 %%, Schuirmann "
                      "1987). ",
                   ea, eb, dm);
    } else {
        j->v = V_NOT_SHOWN;
        set_detail(j, "No significant %s (which does not show that there is none)%s. ",
                   rising ? "rise" : "fall",
                   e->margin > 0 ? ", and the slope is not bounded within the margin either" : "");
    }
    add_detail(j,
               "OLS slope %s%s per year, Newey-West standard error %.3g (lag %d), one-sided p = "
               "%.2g (the interval shown is 90 %%, whose side is this 5 %% test); %zu points from %.0f to %.0f; highest %.4g in %.0f, lowest %.4g in %.0f",
               t.slope > 0 ? "+" : "", val, t.se_hac, t.lag, p_want, t.n, t.x_first, t.x_last,
               t.y_max, t.x_max, t.y_min, t.x_min);
    if (t.n_last >= 2)
        add_detail(j, "; slope of the last third %s%.3g per year", t.slope_last > 0 ? "+" : "",
                   t.slope_last);
    add_detail(j, ".");
    missing_years(m, gap, sizeof(gap));
    if (gap[0])
        add_detail(j, " Years without data inside the range (left out, never counted as 0): %s.",
                   gap);
}

/* top N KEY over (key, value) rows of SQL. */
static void judge_top(const struct cdef *d, const struct claim_expect *e, const struct sqlout *so,
                      struct judged *j)
{
    char want[200];
    claim_expect_format(e, want, sizeof(want));
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

/* One peer's result in a comparison. */
struct peer_val {
    char code[4];
    bool has;
    double v, lo, hi;
    bool ci;
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The dyad against its peers: above/below their median, or its rank, by the intervals. */
static void judge_peers(const struct cdef *d, const struct claim_expect *e,
                        const struct claim_mresult *m, const struct peer_val *pv, size_t np,
                        const char *spec, struct judged *j)
{
    char want[200], val[200];
    claim_expect_format(e, want, sizeof(want));
    if (!m->has_value) {
        char found[400];
        snprintf(found, sizeof(found), "No value for %s and %s: %s", j->dy.a, j->dy.b,
                 m->why[0] ? m->why : "no data");
        uncheckable(j, d, found);
        return;
    }
    double vals[MAX_PEERS];
    size_t k = 0;
    for (size_t i = 0; i < np; i++)
        if (pv[i].has)
            vals[k++] = pv[i].v;
    if (k < MIN_PEERS) {
        char found[400];
        snprintf(found, sizeof(found), "Only %zu of the %zu peers (%s) have a value (%d needed "
                                       "for a comparison)",
                 k, np, spec, MIN_PEERS);
        uncheckable(j, d, found);
        return;
    }
    qsort(vals, k, sizeof(double), cmp_double);
    double med = stats_quantile_sorted(vals, k, 0.5);
    double lo = m->has_ci ? m->lo : m->value, hi = m->has_ci ? m->hi : m->value;
    j->has_value = true;
    j->value = m->value;
    j->has_ci = m->has_ci;
    j->lo = m->lo;
    j->hi = m->hi;
    show_value_ci(val, sizeof(val), m->value, m->has_ci, m->lo, m->hi);
    char mv[48];
    show_number(mv, sizeof(mv), med);
    if (e->kind == CE_RANK_AMONG) {
        /* rank 1 = the largest value; best and worst ranks from the intervals' overlaps */
        int best = 1, worst = 1, point = 1;
        for (size_t i = 0; i < np; i++) {
            if (!pv[i].has)
                continue;
            double plo = pv[i].ci ? pv[i].lo : pv[i].v, phi = pv[i].ci ? pv[i].hi : pv[i].v;
            best += plo > hi;
            worst += phi > lo;
            point += pv[i].v > m->value;
        }
        snprintf(j->shown, sizeof(j->shown), "rank %d of %zu (%d to %d)", point, k + 1, best,
                 worst);
        j->v = worst <= e->top ? V_SUPPORTED : best > e->top ? V_CONTRADICTED : V_NOT_SHOWN;
        set_detail(j, "%s ranks %d of %zu among %s and its peers (%s); with the intervals, "
                      "between %d and %d; expected %s.",
                   j->dy.aname, point, k + 1, j->dy.aname, spec, best, worst, want);
    } else {
        bool above = e->kind == CE_ABOVE_PEERS;
        bool meets = above ? lo > med : hi < med, fails = above ? hi < med : lo > med;
        snprintf(j->shown, sizeof(j->shown), "%.120s vs peers' median %.40s", val, mv);
        j->v = meets ? V_SUPPORTED : fails ? V_CONTRADICTED : V_NOT_SHOWN;
        set_detail(j, "%s %s; the median of %zu peers (%s) is %s: %s lies %s it.", j->dy.aname,
                   val, k, spec, mv, m->has_ci ? "the interval" : "the value",
                   meets == above && (meets || fails) ? "wholly above"
                   : (meets || fails)                 ? "wholly below"
                                                      : "across");
    }
    if (!m->has_ci)
        add_detail(j, " The measure gives no interval, so the point values are compared.");
    else if (m->ci_how[0])
        add_detail(j, " Intervals: %s (each peer's likewise).", m->ci_how);
}

/* The peers table of a comparison: the dyad first, then each peer. */
static json_t *peers_table(const struct judged *j, const struct claim_mresult *m,
                           const struct peer_val *pv, size_t np, const char *sources)
{
    static const struct tcol cols[] = {
        {"country", "Country", TCOL_TEXT}, {"value", "Value", TCOL_NUM},
        {"lo", "95 % from", TCOL_NUM},     {"hi", "95 % to", TCOL_NUM},
        {"role", "Role", TCOL_TEXT},       {"source_id", "Source", TCOL_SOURCE},
    };
    json_t *t = table_new("evidence", "The dyad and its peers on the same measure", NULL, cols,
                          sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return NULL;
    json_t *rows = json_object_get(t, "rows");
    int bad = json_array_append_new(
        rows, json_pack("[s, o, o, o, s, s?]", j->dy.actry[0] ? j->dy.actry : j->dy.a,
                        m->has_value ? json_real(m->value) : json_null(),
                        m->has_ci ? json_real(m->lo) : json_null(),
                        m->has_ci ? json_real(m->hi) : json_null(), "the dyad",
                        sources && *sources ? sources : NULL));
    for (size_t i = 0; i < np && !bad; i++)
        bad = json_array_append_new(
            rows, json_pack("[s, o, o, o, s, s?]", pv[i].code,
                            pv[i].has ? json_real(pv[i].v) : json_null(),
                            pv[i].ci ? json_real(pv[i].lo) : json_null(),
                            pv[i].ci ? json_real(pv[i].hi) : json_null(), "peer",
                            sources && *sources ? sources : NULL));
    if (bad) {
        json_decref(t);
        return NULL;
    }
    return t;
}

/* A check that could not run: counted, and reported with the claim's id (never skipped). */
static void report_error(struct run *r, const struct cdef *d, const char *msg)
{
    r->sum.errors++;
    if (r->o->diag.fn) {
        char line[1600];
        snprintf(line, sizeof(line), "claim '%s': %.1500s", d->id, msg);
        r->o->diag.fn(r->o->diag.ctx, BILAT_LOG_ERROR, NULL, 0, line);
    }
}

/* The sides a claim is judged for: --as, else its own; with names for its text. */
static int claim_dyad(struct run *r, const struct cdef *d, struct dyad *dy, struct bilat_err *err)
{
    memset(dy, 0, sizeof(*dy));
    const char *a = d->a, *b = d->b;
    if (r->o && r->o->as_a && a && b) {
        a = r->o->as_a;
        b = r->o->as_b;
    }
    snprintf(dy->a, sizeof(dy->a), "%s", a ? a : "");
    snprintf(dy->b, sizeof(dy->b), "%s", b ? b : "");
    BILAT_TRY(side_info(r->db, a, dy->actry, dy->aname, sizeof(dy->aname), err));
    BILAT_TRY(side_info(r->db, b, dy->bctry, dy->bname, sizeof(dy->bname), err));
    if (!dy->aname[0])
        snprintf(dy->aname, sizeof(dy->aname), "%s", dy->a);
    if (!dy->bname[0])
        snprintf(dy->bname, sizeof(dy->bname), "%s", dy->b);
    return 0;
}

/* Judge one claim with a check. Only out-of-memory stops the run. */
static int evaluate(struct run *r, size_t i, struct bilat_err *err)
{
    const struct cdef *d = &r->defs[i];
    struct judged *j = &r->res[i];
    struct claim_expect e;
    char msg[400] = "", missing[300] = "";
    BILAT_TRY(claim_dyad(r, d, &j->dy, err));
    fill_names(j->text, sizeof(j->text), d->text, &j->dy);
    if (claim_expect_parse(d->expect, &e, msg, sizeof(msg)) < 0) {
        j->v = V_ERROR;
        set_detail(j, "bad expectation: %s", msg);
        report_error(r, d, j->detail);
        return 0;
    }
    struct peers peers = {0};
    char pj[MAX_PEERS * 8 + 8] = "[]";
    bool cmp_peers = claim_expect_is_peers(&e);
    if (cmp_peers || strstr(d->check, ":peers")) {
        struct bilat_err perr = {0};
        const char *spec = e.peers[0] ? e.peers : r->o ? r->o->peers : NULL;
        int prc = peers_resolve(r->db, spec, &j->dy, &peers, &perr);
        if (prc == BILAT_ENOMEM)
            return bilat_fail(err, prc, "out of memory");
        if (prc < 0) {
            j->v = V_ERROR;
            set_detail(j, "%s", perr.msg);
            report_error(r, d, j->detail);
            return 0;
        }
        peers_json(&peers, pj, sizeof(pj));
    }
    const char *a = j->dy.a[0] ? j->dy.a : NULL, *b = j->dy.b[0] ? j->dy.b : NULL;
    struct sqlout so = {0};
    struct claim_mresult *m = &so.m;
    bool is_sql = strcmp(d->method, "sql") == 0;
    int rc = run_check(r, d, a, b, pj, &so, j->check, sizeof(j->check), missing, sizeof(missing),
                       msg, sizeof(msg));
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
    json_t *ids = json_object();
    if (!ids) {
        sqlout_release(&so);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (missing[0]) {
        char found[400];
        snprintf(found, sizeof(found), "The store lacks what the check needs: %s", missing);
        uncheckable(j, d, found);
    } else if (cmp_peers) {
        struct peer_val pv[MAX_PEERS];
        rc = m->evidence ? evidence_ids(m->evidence, ids) : 0;
        for (size_t k = 0; rc == 0 && k < peers.n; k++) {
            struct sqlout ps = {0};
            char ran[700], pmiss[300], pmsg[400];
            memset(&pv[k], 0, sizeof(pv[k]));
            snprintf(pv[k].code, sizeof(pv[k].code), "%s", peers.code[k]);
            rc = run_check(r, d, peers.code[k], b, pj, &ps, ran, sizeof(ran), pmiss,
                           sizeof(pmiss), pmsg, sizeof(pmsg));
            if (rc == 0 && !pmiss[0] && ps.m.has_value) {
                pv[k].has = true;
                pv[k].v = ps.m.value;
                pv[k].ci = ps.m.has_ci;
                pv[k].lo = ps.m.lo;
                pv[k].hi = ps.m.hi;
            }
            if (rc == 0 && ps.m.evidence)
                rc = evidence_ids(ps.m.evidence, ids);
            else if (rc < 0 && rc != BILAT_ENOMEM)
                rc = 0; /* a peer without the data is a peer without a value */
            sqlout_release(&ps);
        }
        if (rc == BILAT_ENOMEM) {
            json_decref(ids);
            sqlout_release(&so);
            return bilat_fail(err, rc, "out of memory");
        }
        judge_peers(d, &e, m, pv, peers.n, peers.spec, j);
        char *src = ids_join(ids);
        json_t *pt = src ? peers_table(j, m, pv, peers.n, src) : NULL;
        bilat_free(src);
        if (!pt) {
            json_decref(ids);
            sqlout_release(&so);
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
        json_decref(m->evidence);
        m->evidence = pt;
    } else if (e.kind == CE_CMP || e.kind == CE_BETWEEN) {
        judge_cmp(d, &e, m, is_sql ? &so : NULL, j);
    } else if (e.kind == CE_RISING || e.kind == CE_FALLING) {
        judge_trend(d, &e, m, j);
    } else {
        judge_top(d, &e, is_sql ? &so : NULL, j);
    }
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
            json_decref(ids);
            sqlout_release(&so);
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    if (j->v == V_ERROR)
        report_error(r, d, j->detail);
    rc = 0;
    if (m->evidence && !cmp_peers)
        rc = evidence_ids(m->evidence, ids);
    bool own = false;
    if (rc == 0)
        rc = only_own(r->db, ids, d->source_id, &own, err);
    if (rc == 0 && !(j->sources = ids_join(ids)))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_decref(ids);
    if (rc < 0) {
        sqlout_release(&so);
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
    }
    /* independence: the claim's own source cannot test the claim, and rows that name no
     * source cannot either */
    if (!j->sources[0] && (j->v == V_SUPPORTED || j->v == V_CONTRADICTED)) {
        char was[sizeof(j->detail)];
        snprintf(was, sizeof(was), "%s", j->detail);
        set_detail(j, "The check's rows name no source (no source_id column), so they can neither "
                      "support nor refute the claim (on its own terms it would be '%s'). %s",
                   verdict_names[j->v], was);
        j->v = V_NOT_SHOWN;
    }
    j->restates = own;
    if (own && (j->v == V_SUPPORTED || j->v == V_CONTRADICTED || j->v == V_NOT_SHOWN)) {
        char was[sizeof(j->detail)];
        snprintf(was, sizeof(was), "%s", j->detail);
        set_detail(j, "Restates its source: every evidence row comes from %s, the claim's own "
                      "source%s, so the check shows what the source says and does not test it "
                      "(on its own terms it would be '%s'). %s",
                   d->source_id, "", verdict_names[j->v], was);
        j->v = V_RESTATES;
    }
    if (m->evidence) {
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
    size_t n = 0, cnt[7] = {0};
    for (size_t i = 0; i < r->n; i++) {
        if (!r->res[i].selected || !r->defs[i].part_of ||
            strcmp(r->defs[i].part_of, r->defs[g].id) != 0)
            continue;
        if (strcmp(r->defs[i].method, "all") == 0 && depth < 16)
            judge_group(r, i, depth + 1);
        cnt[r->res[i].v]++;
        j->restates |= r->res[i].restates || r->res[i].v == V_RESTATES;
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
    else if (cnt[V_SUPPORTED] + cnt[V_RESTATES] == n)
        j->v = V_RESTATES;
    else if (cnt[V_UNCHECKABLE] == n)
        j->v = V_UNCHECKABLE;
    else
        j->v = V_NOT_SHOWN;
    char parts[300] = "";
    for (int v = 1; v <= 6; v++)
        if (cnt[v])
            snprintf(parts + strlen(parts), sizeof(parts) - strlen(parts), "%s%zu %s",
                     parts[0] ? ", " : "", cnt[v], verdict_names[v]);
    switch (j->v) {
    case V_SUPPORTED:
        set_detail(j, "Every part is supported by independent evidence (%zu of %zu).",
                   cnt[V_SUPPORTED], n);
        break;
    case V_CONTRADICTED: {
        char which[300] = "";
        bool inferred_only = true;
        for (size_t i = 0; i < r->n; i++)
            if (r->res[i].selected && r->defs[i].part_of &&
                strcmp(r->defs[i].part_of, r->defs[g].id) == 0 &&
                r->res[i].v == V_CONTRADICTED) {
                bool inf = r->defs[i].stated && strcmp(r->defs[i].stated, "inferred") == 0;
                inferred_only &= inf;
                snprintf(which + strlen(which), sizeof(which) - strlen(which), "%s%s%s",
                         which[0] ? ", " : "", r->defs[i].id, inf ? " (inferred)" : "");
            }
        set_detail(j, "Contradicted by %zu of its %zu parts (%s): %s.%s", cnt[V_CONTRADICTED], n,
                   parts, which,
                   inferred_only ? " Every contradicting part is our reading of the brief, not "
                                   "its words: the reading fails, which does not by itself refute "
                                   "the author."
                                 : "");
        break;
    }
    case V_ERROR:
        set_detail(j, "A check of its parts failed to run (%s).", parts);
        break;
    case V_RESTATES:
        set_detail(j, "Its parts hold only on the claim's own source for %zu of %zu (%s): the "
                      "group restates its source.",
                   cnt[V_RESTATES], n, parts);
        break;
    default:
        set_detail(j, "Not established by the data: of its %zu parts, %s; the claim is "
                      "supported only when every part is, on independent evidence.",
                   n, parts);
    }
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
            fill_names(j->text, sizeof(j->text), d->text, &j->dy);
        char note[800];
        fill_names(note, sizeof(note), d->note, &j->dy);
        json_t *row = json_pack(
            "[s, s?, s, s, o, s?, s?, s, s, s?, s, s, s?, i, s?, s, o, o, s?, s?]", d->id,
            d->part_of, j->text, verdict_names[j->v],
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
        struct profile_side sa, sb;
        BILAT_TRY(profile_resolve(r->db, r->o->as_a, &sa, err));
        BILAT_TRY(profile_resolve(r->db, r->o->as_b, &sb, err));
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
            BILAT_TRY(evaluate(r, i, err));
    for (size_t i = 0; i < r->n; i++)
        if (r->res[i].selected && strcmp(r->defs[i].method, "all") == 0) {
            BILAT_TRY(claim_dyad(r, &r->defs[i], &r->res[i].dy, err));
            judge_group(r, i, 0);
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
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT data FROM dyad_summary WHERE a = ?1 AND b = ?2 AND "
                            "kind = 'claims' AND key = ?3",
                            &st, err));
    store_bind_text(st, 1, a, -1);
    store_bind_text(st, 2, b, -1);
    store_bind_text(st, 3, key, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW) {
        json_error_t jerr;
        json_t *sec = json_loadb((const char *)sqlite3_column_blob(st, 0),
                                 (size_t)sqlite3_column_bytes(st, 0), JSON_DECODE_ANY, &jerr);
        if (sec) { /* a summary that does not parse is not used */
            *hit = true;
            if (json_is_null(sec))
                json_decref(sec);
            else
                *sec_out = sec;
        }
    } else if (s != SQLITE_DONE) {
        rc = store_fail(db, err, s, "cannot read the claims summary");
    }
    sqlite3_finalize(st);
    return rc;
}

int claims_profile_section(bilat_db *db, const struct profile_side *a,
                           const struct profile_side *b, json_t *sections, struct bilat_err *err)
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
