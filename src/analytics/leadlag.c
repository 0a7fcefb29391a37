/*
 * leadlag.c: lagged correlation of two yearly series of a dyad with moving-block bootstrap
 * intervals (bilat.h: bilat_leadlag; docs/MEASURES.md "Lead and lag").
 *
 * For a lag k, the pairs are (x_t, y_{t+k}) over the years t where both exist; k > 0 asks whether
 * x goes ahead of y. r is Pearson's correlation (GSL). The interval resamples the sequence of
 * pairs in blocks of L = max(2, round(n^(1/3))) consecutive pairs (moving-block bootstrap, which
 * keeps the serial dependence of yearly series that an i.i.d. bootstrap would ignore) and takes
 * the percentile interval of r over the resamples; a resample in which x or y does not vary is
 * dropped and counted. With a fixed seed the results are reproducible.
 *
 * This is association: a correlation between party exchanges and UN agreement, at any lag, says
 * nothing about which causes which, or whether a third factor drives both.
 *
 * GSL's default error handler aborts; the library must not, so it is switched off before any
 * GSL call (every call used here reports through return values or needs no check).
 */
#include "bilat.h"

#include "analytics/channels.h"
#include "analytics/dyad.h"
#include "core/alloc.h"
#include "core/err.h"
#include "store/db.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

enum { LL_Y0 = 1900, LL_NY = 200 }; /* years 1900..2099 */

struct series {
    double v[LL_NY];
    char has[LL_NY];
};

struct vctx {
    struct series *s;
    int64_t min_n;
};

static int vote_row(void *ctx, const struct bilat_vote_value *v)
{
    struct vctx *c = ctx;
    int i = v->period - LL_Y0;
    if (i < 0 || i >= LL_NY || !v->has_value || (v->n >= 0 && v->n < c->min_n))
        return 0;
    c->s->v[i] = v->value;
    c->s->has[i] = 1;
    return 0;
}

static int indicator_series(bilat_db *db, const struct dyad_side *a,
                            const struct dyad_side *b, const char *name, struct series *s,
                            struct bilat_err *err)
{
    /* the source with the most yearly values; several sources are never averaged */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "WITH v AS (SELECT CAST(period AS INTEGER) AS year, value, source_id "
                            "FROM indicator WHERE country = ?1 AND partner = ?2 AND name = ?3 AND "
                            "length(period) = 4 AND value IS NOT NULL), "
                            "best AS (SELECT source_id FROM v GROUP BY source_id "
                            "ORDER BY count(*) DESC, source_id LIMIT 1) "
                            "SELECT year, value FROM v WHERE source_id = (SELECT source_id FROM "
                            "best) ORDER BY year",
                            &st, err));
    store_bind_text(st, 1, a->country, -1);
    store_bind_text(st, 2, b->country, -1);
    store_bind_text(st, 3, name, -1);
    int s_, n = 0;
    while ((s_ = sqlite3_step(st)) == SQLITE_ROW) {
        int i = sqlite3_column_int(st, 0) - LL_Y0;
        if (i < 0 || i >= LL_NY)
            continue;
        s->v[i] = sqlite3_column_double(st, 1);
        s->has[i] = 1;
        n++;
    }
    int rc = s_ == SQLITE_DONE ? 0 : store_fail(db, err, s_, "cannot read indicators");
    sqlite3_finalize(st);
    if (rc == 0 && n == 0)
        rc = bilat_fail(err, BILAT_ENOTFOUND,
                        "no yearly values of indicator '%s' for %s with partner %s", name,
                        a->country, b->country);
    return rc;
}

/* Build the named series of the dyad. */
static int build(bilat_db *db, const struct bilat_leadlag_opts *o, const struct dyad_side *a,
                 const struct dyad_side *b, const char *name, struct series *s,
                 struct bilat_err *err)
{
    memset(s, 0, sizeof(*s));
    enum bilat_vote_measure m;
    if (bilat_vote_measure_parse(name, &m) == 0) {
        if (!a->country[0] || !b->country[0])
            return bilat_fail(err, BILAT_EINVAL,
                              "UN votes are cast by states: '%s' needs two "
                              "sides with a country",
                              name);
        struct bilat_vote_filter f = {.measure = m, .by = BILAT_VOTE_BY_YEAR};
        struct vctx c = {s, o->min_n};
        return bilat_votes_series(db, a->country, b->country, &f, vote_row, &c, err);
    }
    if (strncmp(name, "indicator:", 10) == 0)
        return indicator_series(db, a, b, name + 10, s, err);
    static const char *const ev[] = {"party_intensity", "exchange_intensity", "visit_index",
                                     "party_share"};
    int which = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(name, ev[i]) == 0)
            which = i;
    if (which < 0)
        return bilat_fail(err, BILAT_EINVAL,
                          "unknown series '%s' (party_intensity, exchange_intensity, visit_index, "
                          "party_share, agree, exact, s, pi, kappa, ideal, indicator:NAME)",
                          name);
    struct chan_series cs;
    BILAT_TRY(channels_series(db, a, b, &cs, err));
    for (int i = 0; cs.first && i <= cs.last - cs.first; i++) {
        const struct chan_year *y = &cs.y[i];
        int k = y->year - LL_Y0;
        if (k < 0 || k >= LL_NY)
            continue;
        double v = which == 0 ? y->party : which == 1 ? y->all : which == 2 ? y->vi : 0;
        if (which == 3) {
            if (y->all <= 0)
                continue; /* no exchange: the share is undefined, not 0 */
            v = y->party / y->all;
        }
        s->v[k] = v;
        s->has[k] = 1;
    }
    int empty = cs.first == 0;
    channels_series_release(&cs);
    if (empty)
        return bilat_fail(err, BILAT_ENOTFOUND, "no exchange records between %s and %s", a->code,
                          b->code);
    return 0;
}

static int varies(const double *v, int n)
{
    for (int i = 1; i < n; i++)
        if (v[i] != v[0])
            return 1;
    return 0;
}

int bilat_leadlag(bilat_db *db, const struct bilat_leadlag_opts *o, bilat_leadlag_fn *fn, void *ctx,
                  struct bilat_err *err)
{
    if (o->max_lag < 0 || o->max_lag > 10)
        return bilat_fail(err, BILAT_EINVAL, "the largest lag must be 0 to 10 years");
    if (o->reps < 0 || o->reps > 1000000)
        return bilat_fail(err, BILAT_EINVAL, "bootstrap resamples must be 0 to 1000000");
    if (!(o->level > 0 && o->level < 1))
        return bilat_fail(err, BILAT_EINVAL, "the interval level must be between 0 and 1");
    if (o->from && o->to && o->from > o->to)
        return bilat_fail(err, BILAT_EINVAL, "period starts (%d) after it ends (%d)", o->from,
                          o->to);
    gsl_set_error_handler_off();
    struct dyad_side a, b;
    BILAT_TRY(dyad_resolve(db, o->a, &a, err));
    BILAT_TRY(dyad_resolve(db, o->b, &b, err));
    struct series *sx = bilat_calloc(2, sizeof(*sx));
    if (!sx)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct series *sy = sx + 1;
    int rc = build(db, o, &a, &b, o->x, sx, err);
    if (rc == 0)
        rc = build(db, o, &a, &b, o->y, sy, err);
    double *x = NULL, *y = NULL, *bx = NULL, *by = NULL, *rs = NULL;
    gsl_rng *rng = NULL;
    if (rc == 0) {
        x = bilat_alloc_array(LL_NY, sizeof(double));
        y = bilat_alloc_array(LL_NY, sizeof(double));
        bx = bilat_alloc_array(LL_NY, sizeof(double));
        by = bilat_alloc_array(LL_NY, sizeof(double));
        rs = bilat_alloc_array((size_t)o->reps + 1, sizeof(double));
        rng = gsl_rng_alloc(gsl_rng_mt19937);
        if (!x || !y || !bx || !by || !rs || !rng)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0)
        gsl_rng_set(rng, o->seed);
    for (int lag = -o->max_lag; rc == 0 && lag <= o->max_lag; lag++) {
        struct bilat_leadlag_row r = {.lag = lag};
        int n = 0;
        for (int t = 0; t < LL_NY; t++) {
            int u = t + lag, year = LL_Y0 + t;
            if (u < 0 || u >= LL_NY || !sx->has[t] || !sy->has[u])
                continue;
            if ((o->from && year < o->from) || (o->to && year > o->to))
                continue;
            if (!n)
                r.first = year;
            r.last = year;
            x[n] = sx->v[t];
            y[n] = sy->v[u];
            n++;
        }
        r.n = n;
        if (n < 3)
            r.why = "fewer than 3 years paired";
        else if (!varies(x, n) || !varies(y, n))
            r.why = "a series does not vary over the years paired";
        else {
            r.r = gsl_stats_correlation(x, 1, y, 1, (size_t)n);
            r.has_r = isfinite(r.r);
            if (!r.has_r)
                r.why = "correlation undefined";
        }
        if (r.has_r && n < 6)
            r.why = "too few years for a bootstrap interval (6 or more needed)";
        else if (r.has_r && o->reps == 0)
            r.why = "no bootstrap requested";
        else if (r.has_r) {
            int len = (int)lround(cbrt((double)n));
            if (len < 2)
                len = 2;
            int good = 0;
            for (int rep = 0; rep < o->reps; rep++) {
                int m = 0;
                while (m < n) {
                    int start = (int)gsl_rng_uniform_int(rng, (unsigned long)(n - len + 1));
                    for (int j = 0; j < len && m < n; j++, m++) {
                        bx[m] = x[start + j];
                        by[m] = y[start + j];
                    }
                }
                if (!varies(bx, n) || !varies(by, n))
                    continue;
                double v = gsl_stats_correlation(bx, 1, by, 1, (size_t)n);
                if (isfinite(v))
                    rs[good++] = v;
            }
            if (good * 2 < o->reps)
                r.why = "most resamples had no variation: no interval";
            else {
                gsl_sort(rs, 1, (size_t)good);
                double tail = (1 - o->level) / 2;
                r.lo = gsl_stats_quantile_from_sorted_data(rs, 1, (size_t)good, tail);
                r.hi = gsl_stats_quantile_from_sorted_data(rs, 1, (size_t)good, 1 - tail);
                r.has_ci = 1;
            }
        }
        int cb = fn(ctx, &r);
        if (cb)
            rc = cb;
    }
    gsl_rng_free(rng);
    bilat_free(x);
    bilat_free(y);
    bilat_free(bx);
    bilat_free(by);
    bilat_free(rs);
    bilat_free(sx);
    return rc;
}
