/*
 * votes_api.c: the public alignment functions of bilat.h (series, all pairs, ranking, splits)
 * over the vote panel (votes.h) and the ideal_point table.
 *
 * Periods: a series lists every period from the first to the last one with roll calls (or ideal
 * points) in the store within the requested years, so that a gap is a row with an empty value and
 * its reason, never a silently missing line. All pairs leave out pairs without a shared vote (the
 * table would otherwise be mostly empty rows). A pooled period (ranking) adds the tables of its
 * years, so that a country's value over 2010-2019 weighs every roll call once.
 */
#include "analytics/votes.h"

#include "core/alloc.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const measure_names[] = {"agree", "exact", "s", "pi", "kappa", "ideal"};

int bilat_vote_measure_parse(const char *name, enum bilat_vote_measure *out)
{
    for (size_t i = 0; name && i < sizeof(measure_names) / sizeof(measure_names[0]); i++)
        if (strcasecmp(name, measure_names[i]) == 0) {
            *out = (enum bilat_vote_measure)i;
            return 0;
        }
    return BILAT_EINVAL;
}

const char *bilat_vote_measure_name(enum bilat_vote_measure m)
{
    return (size_t)m < sizeof(measure_names) / sizeof(measure_names[0]) ? measure_names[m] : "?";
}

static int check_filter(const struct bilat_vote_filter *f, struct bilat_err *err)
{
    if ((size_t)f->measure >= sizeof(measure_names) / sizeof(measure_names[0]))
        return bilat_fail(err, BILAT_EINVAL, "unknown measure");
    if (f->from && f->to && f->from > f->to)
        return bilat_fail(err, BILAT_EINVAL, "period starts (%d) after it ends (%d)", f->from,
                          f->to);
    if (f->measure == BILAT_VOTE_IDEAL && (f->issue || f->important_only))
        return bilat_fail(err, BILAT_EINVAL,
                          "ideal points are estimated from all votes of a year: --issue and "
                          "--important do not apply to the ideal measure");
    if ((unsigned)f->ideal_variant > BILAT_IDEAL_LEGACY)
        return bilat_fail(err, BILAT_EINVAL, "unknown ideal-point variant %d",
                          (int)f->ideal_variant);
    return 0;
}

/* The checks of a dyad's request: the filter, the store, and two different countries (their
 * ISO3 codes into `a` and `b`). */
static int check_dyad(bilat_db *db, const char *a_code, const char *b_code,
                      const struct bilat_vote_filter *f, char a[4], char b[4],
                      struct bilat_err *err)
{
    BILAT_TRY(check_filter(f, err));
    BILAT_TRY(votes_schema_check(db, err));
    BILAT_TRY(votes_country(db, a_code, a, err));
    BILAT_TRY(votes_country(db, b_code, b, err));
    if (strcmp(a, b) == 0)
        return bilat_fail(err, BILAT_EINVAL, "a dyad needs two different countries (got %s twice)",
                          a);
    return 0;
}

static int seat_label(bilat_db *db, const char *a, const char *b, int from, int to, char *out,
                      size_t len, struct bilat_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Ideal points                                                                                */

struct ip_val {
    char iso3[4];
    double v;
    int64_t n;
};

/* Ideal points of one year (or of two countries over years) ordered by year, country. */
static int ideal_query(bilat_db *db, const struct bilat_vote_filter *f, const char *a,
                       const char *b, sqlite3_stmt **st, struct bilat_err *err)
{
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT year, country, %s, %s FROM ideal_point WHERE year BETWEEN ?1 AND ?2 %s "
             "ORDER BY year, country",
             votes_ideal_column(f->ideal_variant), votes_ideal_nvotes_column(f->ideal_variant),
             a ? "AND country IN (?3, ?4)" : "");
    BILAT_TRY(store_prepare(db, sql, st, err));
    sqlite3_bind_int(*st, 1, f->from ? f->from : 0);
    sqlite3_bind_int(*st, 2, f->to ? f->to : 9999);
    if (a) {
        store_bind_text(*st, 3, a, -1);
        store_bind_text(*st, 4, b, -1);
    }
    return 0;
}

static int period_of_year(const struct bilat_vote_filter *f, int year)
{
    return f->by == BILAT_VOTE_BY_SESSION ? year - 1945 : year;
}

static int64_t min_n(int64_t x, int64_t y)
{
    if (x < 0 || y < 0)
        return -1;
    return x < y ? x : y;
}

static int ideal_series(bilat_db *db, const char *a, const char *b,
                        const struct bilat_vote_filter *f, bilat_vote_value_fn *fn, void *ctx,
                        struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(ideal_query(db, f, a, b, &st, err));
    /* years run 1946..2999 at most: small arrays indexed by year - 1900 */
    enum { NY = 1200 };
    struct side {
        double v;
        int64_t n;
        char has, row;
    } *ya = bilat_calloc(NY, sizeof(*ya)), *yb = bilat_calloc(NY, sizeof(*yb));
    int rc = ya && yb ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int first = 0, last = 0, s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        int y = sqlite3_column_int(st, 0);
        if (y < 1900 || y >= 1900 + NY)
            continue;
        const char *c = (const char *)sqlite3_column_text(st, 1);
        struct side *t = strcmp(c, a) == 0 ? &ya[y - 1900] : &yb[y - 1900];
        t->row = 1;
        if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
            t->has = 1;
            t->v = sqlite3_column_double(st, 2);
        }
        t->n = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 3);
        if (!first || y < first)
            first = y;
        if (y > last)
            last = y;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read ideal points");
    sqlite3_finalize(st);
    char why[160];
    for (int y = first; rc == 0 && first && y <= last; y++) {
        const struct side *pa = &ya[y - 1900], *pb = &yb[y - 1900];
        struct bilat_vote_value v = {a, b, period_of_year(f, y), -1, 0, 0, NULL, 0, 0, 0, NULL};
        char seat[480];
        rc = seat_label(db, a, b, y, y, seat, sizeof(seat), err);
        if (rc < 0)
            break;
        v.seat = seat[0] ? seat : NULL;
        if (pa->has && pb->has) {
            v.value = fabs(pa->v - pb->v);
            v.has_value = 1;
            v.n = min_n(pa->n, pb->n);
        } else {
            snprintf(why, sizeof(why), "no ideal point (%s) for %s in %d",
                     votes_ideal_column(f->ideal_variant),
                     !pa->has && !pb->has ? "either country"
                     : !pa->has           ? a
                                          : b,
                     y);
            v.why = why;
        }
        rc = fn(ctx, &v);
    }
    bilat_free(ya);
    bilat_free(yb);
    return rc;
}

static int ideal_all_pairs(bilat_db *db, const struct bilat_vote_filter *f, bilat_vote_value_fn *fn,
                           void *ctx, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(ideal_query(db, f, NULL, NULL, &st, err));
    struct ip_val *vals = NULL;
    size_t n = 0, cap = 0;
    int year = 0, s, rc = 0;
    for (;;) {
        s = sqlite3_step(st);
        int y = s == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
        if (s != SQLITE_ROW || y != year) {
            /* flush the year gathered so far */
            for (size_t i = 0; rc == 0 && i < n; i++)
                for (size_t j = i + 1; rc == 0 && j < n; j++) {
                    struct bilat_vote_value v = {.a = vals[i].iso3,
                                                 .b = vals[j].iso3,
                                                 .period = period_of_year(f, year),
                                                 .n = min_n(vals[i].n, vals[j].n),
                                                 .value = fabs(vals[i].v - vals[j].v),
                                                 .has_value = 1};
                    rc = fn(ctx, &v);
                }
            n = 0;
            year = y;
        }
        if (s != SQLITE_ROW || rc != 0)
            break;
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            struct ip_val *nv = bilat_realloc_array(vals, cap, sizeof(*nv));
            if (!nv) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            vals = nv;
        }
        snprintf(vals[n].iso3, 4, "%s", (const char *)sqlite3_column_text(st, 1));
        vals[n].v = sqlite3_column_double(st, 2);
        vals[n].n = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 3);
        n++;
    }
    if (rc == 0 && s != SQLITE_DONE && s != SQLITE_ROW)
        rc = store_fail(db, err, s, "cannot read ideal points");
    sqlite3_finalize(st);
    bilat_free(vals);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Series and all pairs                                                                        */

/* ------------------------------------------------------------------------------------------ */
/* Seat holders and intervals                                                                  */

int votes_seat_rows(bilat_db *db, const char *iso3, struct seat_rows *out, struct bilat_err *err)
{
    out->n = 0;
    int64_t have = 0;
    BILAT_TRY(store_query_int(db,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name = 'un_seat'",
                              NULL, &have, err));
    if (!have)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT holder, substr(date_from, 1, 4), substr(date_to, 1, 4), "
                            "CAST(substr(date_from, 1, 4) AS INTEGER), CASE WHEN date_to IS NULL "
                            "OR date_to = '' THEN 9999 ELSE CAST(substr(date_to, 1, 4) AS "
                            "INTEGER) END FROM un_seat WHERE iso3 = ?1 AND current = 0 "
                            "ORDER BY date_from",
                            &st, err));
    store_bind_text(st, 1, iso3, -1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW && out->n < SEAT_ROWS_MAX) {
        struct seat_row *r = &out->r[out->n++];
        const char *h = (const char *)sqlite3_column_text(st, 0);
        const char *y0 = (const char *)sqlite3_column_text(st, 1);
        const char *y1 = (const char *)sqlite3_column_text(st, 2);
        snprintf(r->holder, sizeof(r->holder), "%s", h ? h : "?");
        snprintf(r->y0s, sizeof(r->y0s), "%s", y0 ? y0 : "?");
        snprintf(r->y1s, sizeof(r->y1s), "%s", y1 ? y1 : "");
        r->y0 = sqlite3_column_int(st, 3);
        r->y1 = sqlite3_column_int(st, 4);
    }
    int rc =
        s == SQLITE_ROW || s == SQLITE_DONE ? 0 : store_fail(db, err, s, "cannot read un_seat");
    sqlite3_finalize(st);
    return rc;
}

void votes_seat_text(const struct seat_rows *rows, int from, int to, char *out, size_t len)
{
    out[0] = '\0';
    size_t used = 0;
    if (!to)
        to = 9999;
    for (size_t i = 0; i < rows->n; i++) {
        const struct seat_row *r = &rows->r[i];
        if (r->y0 > to || r->y1 < from)
            continue;
        int w = snprintf(out + used, len - used, "%s%s %s-%s", used ? "; " : "", r->holder,
                         r->y0s, r->y1s);
        if (w < 0 || (size_t)w >= len - used)
            break;
        used += (size_t)w;
    }
}

int bilat_votes_seat(bilat_db *db, const char *iso3, int from, int to, char *out, size_t len,
                     struct bilat_err *err)
{
    struct seat_rows rows;
    out[0] = '\0';
    BILAT_TRY(votes_seat_rows(db, iso3, &rows, err));
    votes_seat_text(&rows, from, to, out, len);
    return 0;
}

int bilat_votes_seat_since(bilat_db *db, const char *iso3, int *year_out, struct bilat_err *err)
{
    *year_out = 0;
    int64_t have = 0;
    BILAT_TRY(store_query_int(db,
                              "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                              "name = 'un_seat'",
                              NULL, &have, err));
    if (!have)
        return 0;
    /* the earliest tenure of today's state after the last tenure of another regime */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT CAST(substr(min(date_from), 1, 4) AS INTEGER) FROM un_seat "
                            "WHERE iso3 = ?1 AND current = 1 AND date_from > coalesce((SELECT "
                            "max(date_from) FROM un_seat WHERE iso3 = ?1 AND current = 0 AND "
                            "holder <> 'vacant'), '')",
                            &st, err));
    store_bind_text(st, 1, iso3, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW)
        *year_out = sqlite3_column_int(st, 0);
    else if (s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read un_seat");
    sqlite3_finalize(st);
    return rc;
}

/* "KHM: Democratic Kampuchea 1975-1982" for the seats of a and b over [from, to], or "". */
static int seat_label(bilat_db *db, const char *a, const char *b, int from, int to, char *out,
                      size_t len, struct bilat_err *err)
{
    char sa[200], sb[200];
    BILAT_TRY(bilat_votes_seat(db, a, from, to, sa, sizeof(sa), err));
    BILAT_TRY(b ? bilat_votes_seat(db, b, from, to, sb, sizeof(sb), err) : 0);
    if (!b)
        sb[0] = '\0';
    snprintf(out, len, "%s%s%s%s%s%s", sa[0] ? a : "", sa[0] ? ": " : "", sa,
             sa[0] && sb[0] ? "; " : "", sb[0] ? b : "", sb[0] ? ": " : "");
    if (sb[0]) {
        size_t u = strlen(out);
        snprintf(out + u, len - u, "%s", sb);
    }
    return 0;
}

/* The resampling settings of a filter. */
static struct vote_boot_opts boot_opts(const struct bilat_vote_filter *f, bool ranks)
{
    return (struct vote_boot_opts){f->ci_reps > 0 ? f->ci_reps : BILAT_VOTE_CI_REPS,
                                   f->ci_seed ? f->ci_seed : BILAT_VOTE_CI_SEED, f->ci_level,
                                   ranks, 0};
}

static int check_ci(const struct bilat_vote_filter *f, struct bilat_err *err)
{
    if (f->ci_level < 0 || f->ci_level >= 1 || (f->ci_level > 0 && f->ci_level < 0.5))
        return bilat_fail(err, BILAT_EINVAL, "interval level %g out of range (0.5 to 0.999)",
                          f->ci_level);
    if (f->ci_reps < 0 || (f->ci_reps > 0 && f->ci_reps < 100) || f->ci_reps > 100000)
        return bilat_fail(err, BILAT_EINVAL, "bootstrap resamples %d out of range (100 to 100000)",
                          f->ci_reps);
    if (f->ci_level > 0 && f->measure == BILAT_VOTE_IDEAL)
        return bilat_fail(err, BILAT_EINVAL,
                          "ideal points are published without a per-pair error: no interval for "
                          "the ideal measure");
    return 0;
}

int bilat_votes_series(bilat_db *db, const char *a_code, const char *b_code,
                       const struct bilat_vote_filter *f, bilat_vote_value_fn *fn, void *ctx,
                       struct bilat_err *err)
{
    char a[4], b[4];
    BILAT_TRY(check_dyad(db, a_code, b_code, f, a, b, err));
    BILAT_TRY(check_ci(f, err));
    if (f->measure == BILAT_VOTE_IDEAL)
        return ideal_series(db, a, b, f, fn, ctx, err);
    struct vote_panel *p = NULL;
    const char *const two[2] = {a, b};
    BILAT_TRY(vote_panel_load(db, f->by, f->from, f->to, two, 2, &p, err));
    uint64_t *mask = NULL;
    int rc = vote_panel_mask(p, f->important_only, f->issue, &mask, err);
    size_t np = vote_panel_nperiods(p);
    long ia = vote_panel_find_country(p, a), ib = vote_panel_find_country(p, b);
    char why[200], seat[480];
    uint32_t *pos = NULL;
    int first = np ? vote_panel_label(p, 0) : 0, last = np ? vote_panel_label(p, np - 1) : -1;
    for (int label = first; rc == 0 && np && label <= last; label++) {
        long k = vote_panel_find_period(p, label);
        struct bilat_vote_value v = {a, b, label, 0, 0, 0, NULL, 0, 0, 0, NULL};
        int year = f->by == BILAT_VOTE_BY_SESSION ? label + 1945 : label;
        rc = seat_label(db, a, b, year, year, seat, sizeof(seat), err);
        if (rc < 0)
            break;
        v.seat = seat[0] ? seat : NULL;
        if (k < 0) {
            v.why = "no roll call in the store for this period";
        } else if (vote_panel_ncalls_masked(p, (size_t)k, mask) == 0) {
            size_t unknown = f->important_only ? vote_panel_unflagged(p, (size_t)k) : 0;
            if (unknown) {
                snprintf(why, sizeof(why),
                         "no roll call of the chosen kind in this period (the important-vote "
                         "flag is missing for %zu of its %zu roll calls)",
                         unknown, vote_panel_ncalls(p, (size_t)k));
                v.why = why;
            } else
                v.why = "no roll call of the chosen kind (issue, important) in this period";
        } else {
            struct vote_table ta = {{{0}}}, tb = {{{0}}}, t = {{{0}}};
            if (ia >= 0)
                vote_panel_add_table(p, (size_t)ia, (size_t)ia, (size_t)k, mask, &ta);
            if (ib >= 0)
                vote_panel_add_table(p, (size_t)ib, (size_t)ib, (size_t)k, mask, &tb);
            uint64_t na = vote_table_n(&ta), nb = vote_table_n(&tb);
            if (!na || !nb) {
                snprintf(why, sizeof(why), "no vote by %s on any roll call of this period",
                         !na && !nb ? "either country"
                         : !na      ? a
                                    : b);
                v.why = why;
            } else {
                vote_panel_add_table(p, (size_t)ia, (size_t)ib, (size_t)k, mask, &t);
                v.n = (int64_t)vote_table_n(&t);
                v.has_value = vote_measure_value(&t, f->measure, &v.value, &v.why);
            }
            if (v.has_value && f->ci_level > 0) {
                /* resample this period's roll calls (the unit of the bootstrap) */
                size_t nc = vote_panel_ncalls(p, (size_t)k);
                uint32_t *np2 = bilat_realloc_array(pos, nc ? nc : 1, sizeof(*pos));
                if (!np2) {
                    rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                    break;
                }
                pos = np2;
                size_t n = vote_panel_positions(p, (size_t)k, (size_t)k, mask, pos);
                size_t other = (size_t)ib;
                struct vote_boot_opts bo = boot_opts(f, false);
                struct vote_boot_out out;
                if (vote_panel_bootstrap(p, f->measure, (size_t)ia, &other, 1, pos, n, &bo, &out) <
                    0) {
                    rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                    break;
                }
                if (!isnan(out.lo)) {
                    v.lo = out.lo;
                    v.hi = out.hi;
                    v.has_ci = 1;
                }
            }
        }
        rc = fn(ctx, &v);
    }
    bilat_free(pos);
    bilat_free(mask);
    vote_panel_free(p);
    return rc;
}

int bilat_votes_all_pairs(bilat_db *db, const struct bilat_vote_filter *f, bilat_vote_value_fn *fn,
                          void *ctx, struct bilat_err *err)
{
    BILAT_TRY(check_filter(f, err));
    BILAT_TRY(votes_schema_check(db, err));
    if (f->measure == BILAT_VOTE_IDEAL)
        return ideal_all_pairs(db, f, fn, ctx, err);
    struct vote_panel *p = NULL;
    BILAT_TRY(vote_panel_load(db, f->by, f->from, f->to, NULL, 0, &p, err));
    uint64_t *mask = NULL;
    int rc = vote_panel_mask(p, f->important_only, f->issue, &mask, err);
    if (rc == 0) {
        rc = vote_panel_all_pairs(p, f->measure, mask, fn, ctx);
        if (rc == BILAT_ENOMEM)
            bilat_fail(err, rc, "out of memory");
    }
    bilat_free(mask);
    vote_panel_free(p);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Ranking                                                                                     */

struct rank_item {
    char iso3[4];
    char *name;
    int64_t n;
    double value;
    double key; /* value, negated when a smaller value is closer: sorted descending */
    int has_value;
    const char *why;
    int rank;
    long pidx; /* index in the vote panel, -1 when not there */
    struct vote_boot_out ci;
};

static int cmp_rank(const void *pa, const void *pb)
{
    const struct rank_item *a = pa, *b = pb;
    int ra = a->rank >= 0, rb = b->rank >= 0;
    if (ra != rb)
        return ra ? -1 : 1;
    if (ra && a->key != b->key)
        return a->key > b->key ? -1 : 1;
    return strcmp(a->iso3, b->iso3);
}

/* Members of a bloc at the end of [from, to] (NULL bloc: everyone). */
static int bloc_member(bilat_db *db, sqlite3_stmt *st, const char *iso3, int *member,
                       struct bilat_err *err)
{
    sqlite3_reset(st);
    store_bind_text(st, 2, iso3, -1);
    int s = sqlite3_step(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot read bloc membership");
    *member = s == SQLITE_ROW;
    return 0;
}

/* Bootstrap intervals of the value and rank of every ranked partner (items with rank >= 0
 * after the filters; they are the pairs of the bootstrap). */
static int rank_intervals(const struct vote_panel *p, const struct bilat_vote_filter *f,
                          const uint64_t *mask, long ia, struct rank_item *items, size_t n,
                          struct bilat_err *err)
{
    size_t np = vote_panel_nperiods(p), ncalls = 0, k = 0;
    for (size_t i = 0; i < np; i++)
        ncalls += vote_panel_ncalls(p, i);
    size_t *others = bilat_alloc_array(n ? n : 1, sizeof(size_t));
    size_t *which = bilat_alloc_array(n ? n : 1, sizeof(size_t));
    uint32_t *pos = bilat_alloc_array(ncalls ? ncalls : 1, sizeof(uint32_t));
    struct vote_boot_out *out = bilat_calloc(n ? n : 1, sizeof(*out));
    int rc = others && which && pos && out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (items[i].rank >= 0 && items[i].has_value && items[i].pidx >= 0) {
            others[k] = (size_t)items[i].pidx;
            which[k++] = i;
        }
    if (rc == 0 && k && ia >= 0) {
        size_t npos = np ? vote_panel_positions(p, 0, np - 1, mask, pos) : 0;
        struct vote_boot_opts bo = boot_opts(f, true);
        if (vote_panel_bootstrap(p, f->measure, (size_t)ia, others, k, pos, npos, &bo, out) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        for (size_t j = 0; rc == 0 && j < k; j++)
            items[which[j]].ci = out[j];
    }
    bilat_free(others);
    bilat_free(which);
    bilat_free(pos);
    bilat_free(out);
    return rc;
}

static const char why_min_n[] = "fewer shared votes than the minimum (--min-n)";
static const char why_no_vote[] = "no vote in the period";

/* A new item for country `iso3` at the end of *items (*n of *cap, grown as needed): zeroed, not
 * in the vote panel. NULL when out of memory. */
static struct rank_item *rank_push(struct rank_item **items, size_t *n, size_t *cap,
                                   const char *iso3)
{
    if (*n >= *cap) {
        size_t ncap = *cap * 2 > *n + 16 ? *cap * 2 : *n + 16;
        struct rank_item *ni = bilat_realloc_array(*items, ncap, sizeof(*ni));
        if (!ni)
            return NULL;
        *items = ni;
        *cap = ncap;
    }
    struct rank_item *it = &(*items)[(*n)++];
    memset(it, 0, sizeof(*it));
    it->pidx = -1;
    snprintf(it->iso3, sizeof(it->iso3), "%s", iso3);
    return it;
}

/* The partners of `a` for a ranking by ideal points: the distance of each country's point to
 * a's in the filter's year, appended to *items (*n of *cap). */
static int rank_ideal(bilat_db *db, const struct bilat_vote_filter *f, const char *a,
                      struct rank_item **items, size_t *n, size_t *cap, struct bilat_err *err)
{
    sqlite3_stmt *q = NULL;
    int rc;
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT country, %s, %s FROM ideal_point WHERE year = ?1 ORDER BY country",
             votes_ideal_column(f->ideal_variant), votes_ideal_nvotes_column(f->ideal_variant));
    rc = store_prepare(db, sql, &q, err);
    double va = 0;
    int has_a = 0;
    if (rc == 0) {
        sqlite3_bind_int(q, 1, f->from);
        int s;
        while ((s = sqlite3_step(q)) == SQLITE_ROW)
            if (strcmp((const char *)sqlite3_column_text(q, 0), a) == 0 &&
                sqlite3_column_type(q, 1) != SQLITE_NULL) {
                has_a = 1;
                va = sqlite3_column_double(q, 1);
            }
        if (s != SQLITE_DONE)
            rc = store_fail(db, err, s, "cannot read ideal points");
        else if (!has_a)
            rc = bilat_fail(err, BILAT_ENOTFOUND, "no ideal point for %s in %d", a, f->from);
        sqlite3_reset(q);
    }
    int s;
    while (rc == 0 && (s = sqlite3_step(q)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(q, 0);
        if (strcmp(c, a) == 0)
            continue;
        struct rank_item *it = rank_push(items, n, cap, c);
        if (!it) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        it->n = sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 2);
        if (sqlite3_column_type(q, 1) != SQLITE_NULL) {
            it->has_value = 1;
            it->value = fabs(sqlite3_column_double(q, 1) - va);
        } else
            it->why = "no ideal point in this year";
    }
    sqlite3_finalize(q);
    return rc;
}

/* The members of `bloc` in `year` (but a) not yet among *items (*n of *cap): appended, with no
 * vote. */
static int bloc_silent(bilat_db *db, const char *bloc, const char *a, int year,
                       struct rank_item **items, size_t *n, size_t *cap, struct bilat_err *err)
{
    sqlite3_stmt *all = NULL;
    int rc =
        store_prepare(db,
                      "SELECT iso3 FROM bloc WHERE bloc = ?1 COLLATE NOCASE AND iso3 <> ?2 AND "
                      "(date_from IS NULL OR CAST(substr(date_from, 1, 4) AS INTEGER) <= ?3) "
                      "AND (date_to IS NULL OR date_to = '' OR "
                      "CAST(substr(date_to, 1, 4) AS INTEGER) >= ?3) ORDER BY iso3",
                      &all, err);
    if (rc == 0) {
        store_bind_text(all, 1, bloc, -1);
        store_bind_text(all, 2, a, -1);
        sqlite3_bind_int(all, 3, year);
    }
    int s;
    while (rc == 0 && (s = sqlite3_step(all)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(all, 0);
        int found = 0;
        for (size_t i = 0; i < *n && !found; i++)
            found = strcmp((*items)[i].iso3, c) == 0;
        if (found)
            continue;
        struct rank_item *it = rank_push(items, n, cap, c);
        if (!it) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        it->why = why_no_vote;
    }
    sqlite3_finalize(all);
    return rc;
}

int bilat_votes_rank(bilat_db *db, const char *a_code, const struct bilat_vote_filter *f,
                     const char *bloc, int64_t min_votes, bilat_vote_rank_fn *fn, void *ctx,
                     struct bilat_err *err)
{
    char a[4];
    BILAT_TRY(check_filter(f, err));
    BILAT_TRY(check_ci(f, err));
    if (!f->from || !f->to)
        return bilat_fail(err, BILAT_EINVAL, "a ranking needs its period (from and to years)");
    if (f->measure == BILAT_VOTE_IDEAL && f->from != f->to)
        return bilat_fail(err, BILAT_EINVAL,
                          "ideal points are yearly estimates: rank one year at a time");
    BILAT_TRY(votes_schema_check(db, err));
    BILAT_TRY(votes_country(db, a_code, a, err));
    struct rank_item *items = NULL;
    size_t n = 0, cap = 0;
    struct vote_panel *p = NULL;
    uint64_t *mask = NULL;
    sqlite3_stmt *q_bloc = NULL, *q_name = NULL;
    int rc = 0;
    if (bloc) {
        rc = store_prepare(db,
                           "SELECT 1 FROM bloc WHERE bloc = ?1 COLLATE NOCASE AND iso3 = ?2 AND "
                           "(date_from IS NULL OR CAST(substr(date_from, 1, 4) AS INTEGER) <= ?3) "
                           "AND (date_to IS NULL OR date_to = '' OR "
                           "CAST(substr(date_to, 1, 4) AS INTEGER) >= ?3)",
                           &q_bloc, err);
        if (rc == 0) {
            store_bind_text(q_bloc, 1, bloc, -1);
            sqlite3_bind_int(q_bloc, 3, f->to);
            int64_t have = 0;
            rc = store_query_int(db, "SELECT count(*) FROM bloc WHERE bloc = ?1 COLLATE NOCASE",
                                 bloc, &have, err);
            if (rc == 0 && !have)
                rc = bilat_fail(err, BILAT_ENOTFOUND, "unknown bloc '%s' (see the bloc table)",
                                bloc);
        }
    }
    if (rc == 0)
        rc = store_prepare(db, "SELECT name FROM country WHERE iso3 = ?1", &q_name, err);
    if (rc < 0)
        goto out;
    int higher_first = vote_measure_higher_is_closer(f->measure);
    if (f->measure == BILAT_VOTE_IDEAL) {
        rc = rank_ideal(db, f, a, &items, &n, &cap, err);
    } else {
        rc = vote_panel_load(db, f->by, f->from, f->to, NULL, 0, &p, err);
        if (rc == 0)
            rc = vote_panel_mask(p, f->important_only, f->issue, &mask, err);
        long ia = rc == 0 ? vote_panel_find_country(p, a) : -1;
        if (rc == 0 && ia < 0)
            rc = bilat_fail(err, BILAT_ENOTFOUND, "%s cast no vote in %d-%d", a, f->from, f->to);
        size_t nc = rc == 0 ? vote_panel_ncountries(p) : 0;
        if (rc == 0 && !(items = bilat_calloc(nc ? nc : 1, sizeof(*items))))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        for (size_t i = 0; rc == 0 && i < nc; i++) {
            size_t c = vote_panel_sorted(p)[i];
            if ((long)c == ia)
                continue;
            struct vote_table t = {{{0}}};
            for (size_t k = 0; k < vote_panel_nperiods(p); k++)
                vote_panel_add_table(p, (size_t)ia, c, k, mask, &t);
            struct rank_item *it = &items[n++];
            it->pidx = (long)c;
            snprintf(it->iso3, 4, "%s", vote_panel_iso3(p, c));
            it->n = (int64_t)vote_table_n(&t);
            it->has_value = vote_measure_value(&t, f->measure, &it->value, &it->why);
        }
    }
    /* bloc filter, minimum votes, names */
    size_t kept = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int member = 1;
        if (q_bloc)
            rc = bloc_member(db, q_bloc, items[i].iso3, &member, err);
        if (rc < 0 || !member)
            continue;
        items[kept++] = items[i];
    }
    n = rc == 0 ? kept : n;
    if (rc == 0 && q_bloc) /* bloc members who cast no vote at all are listed too */
        rc = bloc_silent(db, bloc, a, f->to, &items, &n, &cap, err);
    int ranked = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct rank_item *it = &items[i];
        it->rank = -1;
        if (it->has_value && it->n >= 0 && it->n < min_votes && f->measure != BILAT_VOTE_IDEAL) {
            it->has_value = 1;
            it->why = why_min_n;
        } else if (it->has_value) {
            it->rank = 0;
            ranked++;
        }
        it->key = higher_first ? it->value : -it->value;
        sqlite3_reset(q_name);
        store_bind_text(q_name, 1, it->iso3, -1);
        if (sqlite3_step(q_name) == SQLITE_ROW)
            it->name = bilat_strdup((const char *)sqlite3_column_text(q_name, 0));
    }
    if (rc == 0 && n)
        qsort(items, n, sizeof(*items), cmp_rank);
    if (rc == 0 && ranked && f->ci_level > 0 && p) {
        /* one bootstrap over the period's roll calls for every ranked partner at once, so that
         * the ranks of a draw are taken among values of the same draw */
        rc = rank_intervals(p, f, mask, vote_panel_find_country(p, a), items, n, err);
    }
    char seat[480];
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct rank_item *it = &items[i];
        if (it->rank == 0)
            it->rank = i > 0 && items[i - 1].rank > 0 && items[i - 1].key == it->key
                           ? items[i - 1].rank
                           : (int)i + 1;
        rc = seat_label(db, it->iso3, NULL, f->from, f->to, seat, sizeof(seat), err);
        if (rc < 0)
            break;
        struct bilat_vote_rank r = {.rank = it->rank > 0 ? it->rank : 0,
                                    .ranked = ranked,
                                    .country = it->iso3,
                                    .name = it->name ? it->name : it->iso3,
                                    .n = it->n,
                                    .value = it->value,
                                    .has_value = it->has_value,
                                    .why = it->rank > 0 ? NULL : it->why,
                                    .seat = seat[0] ? seat : NULL};
        if (it->rank > 0 && it->ci.rank_lo > 0 && !isnan(it->ci.lo)) {
            r.has_ci = 1;
            r.rank_lo = it->ci.rank_lo;
            r.rank_hi = it->ci.rank_hi;
            r.lo = it->ci.lo;
            r.hi = it->ci.hi;
        }
        rc = fn(ctx, &r);
    }
out:
    for (size_t i = 0; i < n && items; i++)
        bilat_free(items[i].name);
    bilat_free(items);
    bilat_free(mask);
    vote_panel_free(p);
    sqlite3_finalize(q_bloc);
    sqlite3_finalize(q_name);
    return rc;
}

int bilat_votes_unflagged(bilat_db *db, const struct bilat_vote_filter *f, int64_t *n_out,
                          struct bilat_err *err)
{
    *n_out = 0;
    BILAT_TRY(votes_schema_check(db, err));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(
        db,
        "SELECT count(*) FROM un_call c WHERE important_known = 0 "
        "AND (?1 = 0 OR (CASE WHEN ?3 THEN session + 1945 ELSE "
        "CAST(substr(date, 1, 4) AS INTEGER) END) >= ?1) "
        "AND (?2 = 0 OR (CASE WHEN ?3 THEN session + 1945 ELSE "
        "CAST(substr(date, 1, 4) AS INTEGER) END) <= ?2) "
        "AND (?4 IS NULL OR c.rcid IN (SELECT rcid FROM un_issue WHERE code = ?4 COLLATE NOCASE "
        "OR issue = ?4 COLLATE NOCASE))",
        &st, err));
    sqlite3_bind_int(st, 1, f->from);
    sqlite3_bind_int(st, 2, f->to);
    sqlite3_bind_int(st, 3, f->by == BILAT_VOTE_BY_SESSION);
    store_bind_text(st, 4, f->issue, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW)
        *n_out = sqlite3_column_int64(st, 0);
    else
        rc = store_fail(db, err, s, "cannot read roll calls");
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Splits                                                                                      */

int bilat_votes_splits(bilat_db *db, const char *a_code, const char *b_code,
                       const struct bilat_vote_filter *f, bilat_vote_split_fn *fn, void *ctx,
                       struct bilat_err *err)
{
    char a[4], b[4];
    BILAT_TRY(check_dyad(db, a_code, b_code, f, a, b, err));
    if (f->issue) {
        int64_t have = 0;
        BILAT_TRY(store_query_int(db,
                                  "SELECT count(*) FROM un_issue WHERE code = ?1 COLLATE NOCASE "
                                  "OR issue = ?1 COLLATE NOCASE",
                                  f->issue, &have, err));
        if (!have)
            return bilat_fail(err, BILAT_ENOTFOUND,
                              "unknown issue '%s' (see 'bilat sql \"SELECT "
                              "DISTINCT code, issue FROM un_issue\"')",
                              f->issue);
    }
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(
        db,
        "SELECT c.rcid, c.date, c.session, c.resolution, c.title, c.important, va.vote, vb.vote, "
        "c.source_id, coalesce((SELECT group_concat(code, ',') FROM (SELECT code FROM un_issue i "
        "WHERE i.rcid = c.rcid ORDER BY code)), '') "
        "FROM un_vote va JOIN un_vote vb ON vb.rcid = va.rcid AND vb.country = ?2 "
        "JOIN un_call c ON c.rcid = va.rcid "
        "WHERE va.country = ?1 AND va.vote IN ('yes', 'no', 'abstain') AND vb.vote IN ('yes', "
        "'no', 'abstain') "
        "AND va.vote <> vb.vote "
        "AND (?3 = 0 OR CAST(substr(c.date, 1, 4) AS INTEGER) >= ?3) "
        "AND (?4 = 0 OR CAST(substr(c.date, 1, 4) AS INTEGER) <= ?4) "
        "AND (?5 = 0 OR c.important = 1) "
        "AND (?6 IS NULL OR c.rcid IN (SELECT rcid FROM un_issue WHERE code = ?6 COLLATE NOCASE "
        "OR issue = ?6 COLLATE NOCASE)) "
        "ORDER BY c.date, c.rcid",
        &st, err));
    store_bind_text(st, 1, a, -1);
    store_bind_text(st, 2, b, -1);
    sqlite3_bind_int(st, 3, f->from);
    sqlite3_bind_int(st, 4, f->to);
    sqlite3_bind_int(st, 5, f->important_only);
    store_bind_text(st, 6, f->issue, -1);
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct bilat_vote_split sp = {
            sqlite3_column_int64(st, 0),
            (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 3),
            (const char *)sqlite3_column_text(st, 4),
            sqlite3_column_int(st, 2),
            sqlite3_column_int(st, 5),
            (const char *)sqlite3_column_text(st, 9),
            (const char *)sqlite3_column_text(st, 6),
            (const char *)sqlite3_column_text(st, 7),
            (const char *)sqlite3_column_text(st, 8),
        };
        if ((rc = fn(ctx, &sp)) != 0)
            break;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read votes");
    sqlite3_finalize(st);
    return rc;
}
