/*
 * compare.c: dyads side by side on the same axes (compare.h).
 *
 * Each side A gives one series of (x, y) points; a bloc gives the mean of its members' points
 * at each x (members without a value at x are left out, and the number averaged is kept in
 * the table so that a reader sees how many countries a point stands for).
 */
#include "analytics/compare.h"

#include "analytics/dyad.h"
#include "analytics/profile.h"
#include "analytics/table.h"
#include "analytics/votes.h"
#include "core/alloc.h"
#include "core/err.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

enum { MAX_SIDES = 16, MAX_MEMBERS = 64 };

struct point {
    double x, sum; /* sum of the members' values at x */
    int n;         /* members with a value */
    double extra;  /* roll calls (votes), summed */
};

struct series {
    char name[64];
    struct point *p;
    size_t n, cap;
};

/* Add a member's value at x: values at the same x are summed (and counted) for the mean. */
static int series_add(struct series *s, double x, double y, double extra)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->p[i].x == x) {
            s->p[i].sum += y;
            s->p[i].n++;
            s->p[i].extra += extra;
            return 0;
        }
    const struct point pt = {x, y, 1, extra};
    return bilat_array_push(&s->p, &s->n, &s->cap, sizeof(pt), 32, &pt);
}

/* Points in x order. */
static int cmp_point(const void *a, const void *b)
{
    double x = ((const struct point *)a)->x, y = ((const struct point *)b)->x;
    return (x > y) - (x < y);
}

/* Members of a bloc (ISO3 codes, not `except`); 0 members when `code` is no bloc. */
static int bloc_members(bilat_db *db, const char *code, const char *except,
                        char members[MAX_MEMBERS][4], size_t *n, struct bilat_err *err)
{
    *n = 0;
    int64_t is_country = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM country WHERE iso3 = ?1", code,
                              &is_country, err));
    if (is_country)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, "SELECT iso3 FROM bloc WHERE bloc = ?1 ORDER BY iso3", &st, err));
    store_bind_text(st, 1, code, -1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && *n < MAX_MEMBERS) {
        const char *m = (const char *)sqlite3_column_text(st, 0);
        if (!except || strcmp(m, except) != 0)
            snprintf(members[(*n)++], 4, "%s", m);
    }
    int rc = s == SQLITE_DONE || s == SQLITE_ROW ? 0 : store_fail(db, err, s, "cannot read blocs");
    sqlite3_finalize(st);
    return rc;
}

/* Codes reach SQL as bound values, but a malformed one is the caller's mistake: say so. */
static int check_code(const char *c, struct bilat_err *err)
{
    size_t n = c ? strlen(c) : 0;
    int ok = n >= 2 && n < 32;
    for (size_t i = 0; ok && i < n; i++)
        ok = (c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9');
    return ok ? 0 : bilat_fail(err, BILAT_EINVAL, "bad actor code '%s'", c ? c : "");
}

/*
 * Yearly agreement of a with b by the shared vote engine (analytics/votes.h: bit sets per
 * country and year, docs/MEASURES.md), added to `s`; years with fewer than 5 shared roll calls
 * are left out. A country that never voted in the period adds nothing.
 */
static int agreement(bilat_db *db, const char *a, const char *b, int from, int to,
                     enum bilat_vote_measure m, struct series *s, struct bilat_err *err)
{
    char ca[4], cb[4];
    BILAT_TRY(votes_country(db, a, ca, err));
    BILAT_TRY(votes_country(db, b, cb, err));
    struct vote_panel *p = NULL;
    const char *const two[2] = {ca, cb};
    BILAT_TRY(vote_panel_load(db, BILAT_VOTE_BY_YEAR, from, to, two, 2, &p, err));
    long ia = vote_panel_find_country(p, ca), ib = vote_panel_find_country(p, cb);
    int rc = 0;
    for (size_t k = 0; rc == 0 && ia >= 0 && ib >= 0 && k < vote_panel_nperiods(p); k++) {
        struct vote_table t = {{{0}}};
        vote_panel_add_table(p, (size_t)ia, (size_t)ib, k, NULL, &t);
        uint64_t n = vote_table_n(&t);
        double v;
        const char *why;
        if (n >= 5 && vote_measure_value(&t, m, &v, &why))
            rc = series_add(s, vote_panel_label(p, k), v, (double)n);
    }
    vote_panel_free(p);
    return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
}

/* Rows of the result section: series, x, value, members averaged, extra. */
static int emit(json_t *t, struct series *ss, size_t ns, bool votes, struct bilat_err *err)
{
    json_t *rows = json_object_get(t, "rows");
    for (size_t i = 0; i < ns; i++) {
        if (ss[i].n)
            qsort(ss[i].p, ss[i].n, sizeof(ss[i].p[0]), cmp_point);
        for (size_t k = 0; k < ss[i].n; k++) {
            const struct point *p = &ss[i].p[k];
            json_t *row = votes ? json_pack("[s, I, f, i, I]", ss[i].name, (json_int_t)p->x,
                                            p->sum / p->n, p->n, (json_int_t)p->extra)
                                : json_pack("[s, f, f, i]", ss[i].name, p->x, p->sum / p->n,
                                            p->n);
            if (!row || json_array_append_new(rows, row))
                return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    return 0;
}

/* Free the points of every series. */
static void release(struct series *ss, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bilat_free(ss[i].p);
}

/* What one dyad (a, b) adds to a series: its yearly agreement, or its section's points. */
typedef int add_dyad_fn(const char *a, struct series *s, void *ctx, struct bilat_err *err);

/*
 * One series per side A against b: a country's own dyad, or each member of a bloc added into
 * the bloc's series (their mean is taken when the rows are emitted).
 */
static int gather(bilat_db *db, const char *const *as, size_t na, const char *b, struct series *ss,
                  add_dyad_fn *add, void *ctx, struct bilat_err *err)
{
    char members[MAX_MEMBERS][4];
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < na; i++) {
        size_t nm = 0;
        rc = check_code(as[i], err);
        if (rc == 0)
            rc = bloc_members(db, as[i], b, members, &nm, err);
        if (rc < 0)
            break;
        if (nm) {
            snprintf(ss[i].name, sizeof(ss[i].name), "%s mean (%zu members) - %s", as[i], nm, b);
            for (size_t k = 0; rc == 0 && k < nm; k++)
                rc = add(members[k], &ss[i], ctx, err);
        } else {
            snprintf(ss[i].name, sizeof(ss[i].name), "%s - %s", as[i], b);
            rc = add(as[i], &ss[i], ctx, err);
        }
    }
    return rc;
}

/*
 * A new section `t` with a multi_lines chart of `y` by `x`, one line per series; 0 or
 * BILAT_ENOMEM.
 */
static int new_section(const char *id, const char *title, const char *description,
                       const struct tcol *cols, size_t ncol, const char *x, const char *y,
                       json_t **t_out, struct bilat_err *err)
{
    json_t *t = table_new(id, title, description, cols, ncol);
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "multi_lines", "x", x, "y", y,
                              "series", "series", "title", title);
    if (!t)
        json_decref(chart);
    *t_out = t;
    if (!t || json_object_set_new(t, "chart", chart))
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return 0;
}

/* Emit the series into `t` (when rc is 0) and free them; *sec_out = t, or t dropped on error. */
static int finish(json_t *t, struct series *ss, size_t ns, bool votes, int rc, json_t **sec_out,
                  struct bilat_err *err)
{
    if (rc == 0)
        rc = emit(t, ss, ns, votes, err);
    release(ss, ns);
    if (rc < 0) {
        json_decref(t);
        return rc;
    }
    *sec_out = t;
    return 0;
}

/* The request of compare_votes(), for add_agreement(). */
struct votes_req {
    bilat_db *db;
    const char *b;
    int from, to;
    enum bilat_vote_measure m;
};

static int add_agreement(const char *a, struct series *s, void *ctx, struct bilat_err *err)
{
    const struct votes_req *q = ctx;
    return agreement(q->db, a, q->b, q->from, q->to, q->m, s, err);
}

int compare_votes(bilat_db *db, const char *const *as, size_t na, const char *b, int from, int to,
                  enum bilat_vote_measure m, json_t **sec_out, struct bilat_err *err)
{
    *sec_out = NULL;
    if (na == 0 || na > MAX_SIDES)
        return bilat_fail(err, BILAT_EINVAL, "give 1 to %d actors to compare", MAX_SIDES);
    BILAT_TRY(check_code(b, err));
    struct series ss[MAX_SIDES];
    memset(ss, 0, sizeof(ss));
    struct votes_req q = {db, b, from, to, m};
    int rc = gather(db, as, na, b, ss, add_agreement, &q, err);
    static const struct tcol cols[] = {
        {"series", "Dyad", TCOL_TEXT},
        {"year", "Year", TCOL_YEAR},
        {"agreement", "Agreement", TCOL_NUM},
        {"members", "Countries averaged", TCOL_INT},
        {"roll_calls", "Shared roll calls", TCOL_INT},
    };
    json_t *t = NULL;
    if (rc == 0) {
        char title[160];
        snprintf(title, sizeof(title), "UN General Assembly agreement with %s", b);
        rc = new_section("compare_votes", title,
                         "Agreement of the two sides' votes per year, on roll calls where both "
                         "voted yes, no or abstain (years with fewer than 5 such roll calls are "
                         "left out). A bloc's line is the mean of its members' lines.",
                         cols, 5, "year", "agreement", &t, err);
        char note[200];
        snprintf(note, sizeof(note), "Measure: %s (docs/MEASURES.md).", bilat_vote_measure_name(m));
        if (rc == 0 && table_note(t, note) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        /* agreement lies in a narrow band: the axis follows the data, never past 1 */
        json_t *chart = rc == 0 ? json_object_get(t, "chart") : NULL;
        if (chart && (json_object_set_new(chart, "scale", json_string("data")) ||
                      json_object_set_new(chart, "y_max", json_real(1.0))))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    return finish(t, ss, na, true, rc, sec_out, err);
}

/* x of a cell: a number or a text starting with a year. */
static bool xval(const json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    if (!s || strlen(s) < 4 || (s[4] && s[4] != '-'))
        return false;
    double y = 0;
    for (int i = 0; i < 4; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        y = y * 10 + (s[i] - '0');
    }
    *out = y;
    return true;
}

/* One dyad's section reduced into `s` (summed or averaged per x). *found when the section and
 * its columns exist. */
static int reduce_one(bilat_db *db, const char *a, const char *b, int from, int to,
                      const char *section, const char *x, const char *y, bool mean,
                      struct series *s, bool *found, struct bilat_err *err)
{
    struct bilat_profile_opts po = {.a = a, .b = b, .from = from, .to = to};
    json_t *doc = NULL;
    BILAT_TRY(profile_build(db, &po, &doc, err));
    const json_t *sec = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(doc, "sections"), i, it) if (strcmp(
        json_string_value(json_object_get(it, "id")), section) == 0) sec = it;
    int xi = sec ? table_col(sec, x) : -1, yi = sec ? table_col(sec, y) : -1;
    struct series one = {0};
    int rc = 0;
    if (xi >= 0 && yi >= 0) {
        *found = true;
        json_array_foreach(json_object_get(sec, "rows"), i, it)
        {
            double xv;
            const json_t *v = json_array_get(it, (size_t)yi);
            if (!xval(json_array_get(it, (size_t)xi), &xv) || !json_is_number(v))
                continue;
            if ((rc = series_add(&one, xv, json_number_value(v), 0)) < 0)
                break;
        }
    }
    /* this dyad's value per x, then into the (bloc) series as one member */
    for (size_t k = 0; rc == 0 && k < one.n; k++)
        rc = series_add(s, one.p[k].x, mean ? one.p[k].sum / one.p[k].n : one.p[k].sum, 0);
    bilat_free(one.p);
    json_decref(doc);
    return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
}

/* The request of compare_sections(), for add_reduced(). */
struct sections_req {
    bilat_db *db;
    const char *b;
    int from, to;
    const char *section, *x, *y;
    bool mean;  /* average the section's values at an x (else sum them) */
    bool found; /* some profile had the section and its columns */
};

static int add_reduced(const char *a, struct series *s, void *ctx, struct bilat_err *err)
{
    struct sections_req *q = ctx;
    return reduce_one(q->db, a, q->b, q->from, q->to, q->section, q->x, q->y, q->mean, s, &q->found,
                      err);
}

int compare_sections(bilat_db *db, const char *const *as, size_t na, const char *b, int from,
                     int to, const char *section, const char *x, const char *y, const char *agg,
                     json_t **sec_out, struct bilat_err *err)
{
    *sec_out = NULL;
    if (na == 0 || na > MAX_SIDES)
        return bilat_fail(err, BILAT_EINVAL, "give 1 to %d actors to compare", MAX_SIDES);
    bool mean = agg && strcmp(agg, "mean") == 0;
    if (agg && !mean && strcmp(agg, "sum") != 0)
        return bilat_fail(err, BILAT_EINVAL, "agg is sum or mean, not '%s'", agg);
    BILAT_TRY(check_code(b, err));
    struct series ss[MAX_SIDES];
    memset(ss, 0, sizeof(ss));
    struct sections_req q = {db, b, from, to, section, x, y, mean, false};
    int rc = gather(db, as, na, b, ss, add_reduced, &q, err);
    if (rc == 0 && !q.found)
        rc = bilat_fail(err, BILAT_ENOTFOUND, "no profile has a section '%s' with columns '%s' "
                                              "and '%s'",
                        section, x, y);
    static const struct tcol cols[] = {
        {"series", "Dyad", TCOL_TEXT},
        {"x", "x", TCOL_NUM},
        {"value", "Value", TCOL_NUM},
        {"members", "Dyads averaged", TCOL_INT},
    };
    json_t *t = NULL;
    if (rc == 0) {
        char title[200];
        snprintf(title, sizeof(title), "%s: %s by %s, compared", section, y, x);
        rc = new_section("compare", title,
                         "The same section of several dyads' profiles on the same axes; a "
                         "bloc's line is the mean of its members' dyads.",
                         cols, 4, "x", "value", &t, err);
    }
    return finish(t, ss, na, false, rc, sec_out, err);
}
