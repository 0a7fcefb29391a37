/*
 * claim_measures.c: the named measures a claim can call (store/claim_syntax.c lists their
 * arguments; docs/CLAIMS.md describes them) that live with the claims: UN vote agreement and
 * split shares with bootstrap intervals, split lists, ideal-point distances; and the registry
 * of every measure's implementation.
 *
 * Vote measures default their period to the years in which the holders of today held both
 * seats (un_seat): a claim about Cambodia is about the Kingdom of Cambodia, not about
 * Democratic Kampuchea's delegation. Their scalar pools the period's roll calls (every roll call
 * weighs the same) and carries the percentile interval of a bootstrap over those roll calls
 * (BILAT_VOTE_CI_REPS resamples, seed BILAT_VOTE_CI_SEED, 95 %); their series has one value per
 * year with 5 or more shared roll calls.
 */
#include "analytics/claims.h"

#include "analytics/narratives.h"
#include "analytics/network.h"
#include "analytics/speeches.h"
#include "analytics/table.h"
#include "analytics/votes.h"
#include "core/alloc.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EVIDENCE_MAX_ROWS = 1000 }; /* rows kept in a measure's evidence */

#define CI_LEVEL 0.95

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

/* Integer argument of a measure call, or `def` when absent; -1 when not a whole number. */
static long arg_int(const struct claim_call *c, const char *key, long def)
{
    const char *s = claim_call_arg(c, key);
    if (!s)
        return def;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || end == s || v < 0 ? -1 : v;
}

/* The vote measure a claim names; "simple" and "voeten" are the names claims files used first. */
static int vote_measure_of(const char *name, enum bilat_vote_measure *m, struct bilat_err *err)
{
    if (!name || strcmp(name, "agree") == 0 || strcmp(name, "voeten") == 0) {
        *m = BILAT_VOTE_AGREE;
        return 0;
    }
    if (strcmp(name, "simple") == 0) {
        *m = BILAT_VOTE_EXACT;
        return 0;
    }
    if (bilat_vote_measure_parse(name, m) == 0 && *m != BILAT_VOTE_IDEAL)
        return 0;
    return bilat_fail(err, BILAT_EINVAL,
                      "unknown vote measure '%s' (agree, exact, s, pi or kappa)", name);
}

/* Sources of the roll calls of each year of [from, to] (for the evidence's source column). */
static int call_sources(bilat_db *db, int from, int to, json_t **out, struct bilat_err *err)
{
    *out = json_object();
    if (!*out)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    const struct vote_panel *p = NULL;
    BILAT_TRY(vote_panel_whole(db, BILAT_VOTE_BY_YEAR, &p, err));
    for (size_t k = 0; k < vote_panel_nperiods(p); k++) {
        int year = vote_panel_label(p, k);
        const char *s = vote_panel_sources(p, k);
        char ys[16];
        snprintf(ys, sizeof(ys), "%d", year);
        if (year >= from && year <= to && s && json_object_set_new(*out, ys, json_string(s)))
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    return 0;
}

/* The period of a vote measure: from/to as given, else from the seats' holders of today (the
 * later of the two) to the last year with roll calls. *note says which default applied. */
static int vote_period(bilat_db *db, const struct claim_call *c, const char *a, const char *b,
                       long *from, long *to, char *note, size_t len, struct bilat_err *err)
{
    note[0] = '\0';
    *from = arg_int(c, "from", 0);
    *to = arg_int(c, "to", 0);
    if (*from < 0 || *to < 0)
        return bilat_fail(err, BILAT_EINVAL, "from and to must be years");
    if (!*from) {
        int ya = 0, yb = 0;
        BILAT_TRY(bilat_votes_seat_since(db, a, &ya, err));
        BILAT_TRY(bilat_votes_seat_since(db, b, &yb, err));
        *from = ya > yb ? ya : yb;
        if (*from)
            snprintf(note, len, "From %ld, when the holders of today held both seats (un_seat).",
                     *from);
    }
    if (!*to) {
        /* the last year with roll calls */
        const struct vote_panel *p = NULL;
        BILAT_TRY(vote_panel_whole(db, BILAT_VOTE_BY_YEAR, &p, err));
        size_t np = vote_panel_nperiods(p);
        *to = np ? vote_panel_label(p, np - 1) : 0;
    }
    return 0;
}

enum vote_stat { VS_MEASURE, VS_SPLIT };

/*
 * Agreement (or the share of split votes) of two countries' UN votes over a period: the scalar
 * pools the roll calls of the period, with a bootstrap interval over them; the series gives one
 * value per year with at least 5 shared roll calls.
 */
static int vote_stat(bilat_db *db, const struct claim_call *c, enum vote_stat what,
                     struct claim_mresult *out, struct bilat_err *err)
{
    enum bilat_vote_measure m = BILAT_VOTE_EXACT;
    if (what == VS_MEASURE)
        BILAT_TRY(vote_measure_of(claim_call_arg(c, "measure"), &m, err));
    long important = arg_int(c, "important", 0), min_votes = arg_int(c, "min_votes", 20);
    if (important < 0 || important > 1 || min_votes < 1)
        return bilat_fail(err, BILAT_EINVAL, "%s: important (0 or 1) and min_votes must be whole "
                                             "numbers",
                          c->name);
    char a[4], b[4], pnote[160];
    long from, to;
    BILAT_TRY(votes_schema_check(db, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "a"), a, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "b"), b, err));
    BILAT_TRY(vote_period(db, c, a, b, &from, &to, pnote, sizeof(pnote), err));
    const char *label = what == VS_SPLIT ? "Share split" : "Value";
    /* the pooled value carries the interval; a year's own interval is in `bilat votes --ci` */
    const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},      {"votes", "Shared roll calls", TCOL_INT},
        {"value", label, TCOL_NUM},       {"why", "Why no value", TCOL_TEXT},
        {"source_id", "Source", TCOL_SOURCE},
    };
    out->evidence = table_new("evidence",
                              what == VS_SPLIT ? "Share of shared roll calls split, per year"
                                               : "Agreement per year",
                              NULL, cols, 5);
    if (!out->evidence)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    out->has_series = true;
    out->series_x = "year";
    out->series_y = "value";
    struct vote_panel *p = NULL;
    uint64_t *mask = NULL;
    uint32_t *pos = NULL;
    json_t *srcs = NULL;
    const char *const two[2] = {a, b};
    int rc = vote_panel_load(db, BILAT_VOTE_BY_YEAR, (int)from, (int)to, two, 2, &p, err);
    if (rc == 0)
        rc = vote_panel_mask(p, (int)important, NULL, &mask, err);
    if (rc == 0)
        rc = call_sources(db, (int)from, (int)to, &srcs, err);
    long ia = rc == 0 ? vote_panel_find_country(p, a) : -1;
    long ib = rc == 0 ? vote_panel_find_country(p, b) : -1;
    size_t np = rc == 0 ? vote_panel_nperiods(p) : 0, ncalls = 0;
    for (size_t k = 0; k < np; k++)
        ncalls += vote_panel_ncalls(p, k);
    if (rc == 0 && !(pos = bilat_alloc_array(ncalls ? ncalls : 1, sizeof(*pos))))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct vote_table pooled = {{{0}}};
    json_t *rows = json_object_get(out->evidence, "rows");
    struct vote_boot_opts bo = {BILAT_VOTE_CI_REPS, BILAT_VOTE_CI_SEED, CI_LEVEL, false, 0};
    for (size_t k = 0; rc == 0 && ia >= 0 && ib >= 0 && k < np; k++) {
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
        if (has && what == VS_SPLIT)
            v = 1 - v;
        int year = vote_panel_label(p, k);
        char ys[8];
        snprintf(ys, sizeof(ys), "%d", year);
        json_t *sv = json_object_get(srcs, ys);
        json_t *row = json_pack("[i, I, o, s?, o]", year, (json_int_t)n,
                                has ? json_real(v) : json_null(), has ? NULL : why,
                                sv ? json_incref(sv) : json_null());
        if (rc == 0 && (!row || json_array_append_new(rows, row)))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        else if (rc == 0 && has && claim_series_add(out, year, v) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    uint64_t total = vote_table_n(&pooled);
    if (rc == 0) {
        const char *why = NULL;
        double v = 0;
        if (total >= (uint64_t)min_votes && vote_measure_value(&pooled, m, &v, &why)) {
            out->has_value = true;
            out->value = what == VS_SPLIT ? 1 - v : v;
            size_t npos = np ? vote_panel_positions(p, 0, np - 1, mask, pos) : 0,
                   other = (size_t)ib;
            struct vote_boot_out ci;
            if (vote_panel_bootstrap(p, m, (size_t)ia, &other, 1, pos, npos, &bo, &ci) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            else if (!isnan(ci.lo)) {
                out->has_ci = true;
                out->lo = what == VS_SPLIT ? 1 - ci.hi : ci.lo;
                out->hi = what == VS_SPLIT ? 1 - ci.lo : ci.hi;
                snprintf(out->ci_how, sizeof(out->ci_how),
                         "95 %% percentile interval of a bootstrap over the %zu roll calls of "
                         "%ld-%ld (%d resamples, seed %lu)",
                         npos, from, to, bo.reps, (unsigned long)bo.seed);
            }
        }
        char note[400];
        snprintf(note, sizeof(note),
                 "%s %s (docs/MEASURES.md) over %llu shared roll calls of %ld-%ld%s, pooled; "
                 "yearly values need 5 or more. %s",
                 what == VS_SPLIT ? "Share split, 1 minus" : "Measure",
                 bilat_vote_measure_name(m), (unsigned long long)total, from, to,
                 important ? " flagged important" : "", pnote);
        if (rc == 0 && table_note(out->evidence, note) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        snprintf(out->why, sizeof(out->why), "%llu shared roll calls of %ld-%ld (%ld needed)%s%s",
                 (unsigned long long)total, from, to, min_votes, why ? ": " : "", why ? why : "");
    }
    json_decref(srcs);
    bilat_free(pos);
    bilat_free(mask);
    vote_panel_free(p);
    return rc;
}

static int m_un_agreement(bilat_db *db, const struct claim_call *c, struct claim_mresult *out,
                          struct bilat_err *err)
{
    return vote_stat(db, c, VS_MEASURE, out, err);
}

static int m_un_split_share(bilat_db *db, const struct claim_call *c, struct claim_mresult *out,
                            struct bilat_err *err)
{
    return vote_stat(db, c, VS_SPLIT, out, err);
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
    long important = arg_int(c, "important", 0);
    if (important < 0 || important > 1)
        return bilat_fail(err, BILAT_EINVAL, "un_splits: important is 0 or 1");
    char a[4], b[4], pnote[160];
    long from, to;
    BILAT_TRY(votes_schema_check(db, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "a"), a, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "b"), b, err));
    BILAT_TRY(vote_period(db, c, a, b, &from, &to, pnote, sizeof(pnote), err));
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
    struct bilat_vote_filter f = {.measure = BILAT_VOTE_EXACT,
                                  .by = BILAT_VOTE_BY_YEAR,
                                  .from = (int)from,
                                  .to = (int)to,
                                  .important_only = (int)important};
    struct splits_ctx x = {json_object_get(out->evidence, "rows"), 0};
    int rc = bilat_votes_splits(db, a, b, &f, split_row, &x, err);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    BILAT_TRY(rc);
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
    char note[400];
    snprintf(note, sizeof(note), "%zu of %llu shared roll calls of %ld-%ld split the two. %s",
             x.n, (unsigned long long)shared, from, to, pnote);
    if (x.n > EVIDENCE_MAX_ROWS)
        snprintf(note + strlen(note), sizeof(note) - strlen(note), " The first %d are listed.",
                 EVIDENCE_MAX_ROWS);
    if (table_note(out->evidence, note) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (shared > 0) {
        out->has_value = true;
        out->value = (double)x.n;
    } else {
        snprintf(out->why, sizeof(out->why), "no shared roll calls in %ld-%ld", from, to);
    }
    return 0;
}

/* Mean absolute distance of two countries' ideal points over [from, to], one point a year. */
static int m_ideal_distance(bilat_db *db, const struct claim_call *c, struct claim_mresult *out,
                            struct bilat_err *err)
{
    long from = arg_int(c, "from", 0), to = arg_int(c, "to", 0);
    if (from <= 0 || to <= 0 || from > to)
        return bilat_fail(err, BILAT_EINVAL, "ideal_distance: from and to are years, from <= to");
    char a[4], b[4];
    BILAT_TRY(votes_schema_check(db, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "a"), a, err));
    BILAT_TRY(votes_country(db, claim_call_arg(c, "b"), b, err));
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},           {"a_point", "Ideal point of A", TCOL_NUM},
        {"b_point", "Ideal point of B", TCOL_NUM}, {"distance", "Distance", TCOL_NUM},
        {"source_id", "Source", TCOL_SOURCE},  {"locator", "Locator", TCOL_TEXT},
    };
    out->evidence = table_new("evidence", "Ideal points and their distance per year", NULL, cols,
                              6);
    if (!out->evidence)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    out->has_series = true;
    out->series_x = "year";
    out->series_y = "distance";
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT x.year, x.value, y.value, abs(x.value - y.value), "
                            "x.source_id, x.locator || ' ' || y.locator FROM ideal_point x "
                            "JOIN ideal_point y ON y.year = x.year AND y.country = ?2 "
                            "WHERE x.country = ?1 AND x.year BETWEEN ?3 AND ?4 AND "
                            "x.value IS NOT NULL AND y.value IS NOT NULL ORDER BY x.year",
                            &st, err));
    store_bind_text(st, 1, a, -1);
    store_bind_text(st, 2, b, -1);
    sqlite3_bind_int(st, 3, (int)from);
    sqlite3_bind_int(st, 4, (int)to);
    json_t *rows = json_object_get(out->evidence, "rows");
    double sum = 0;
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        int year = sqlite3_column_int(st, 0);
        double d = sqlite3_column_double(st, 3);
        json_t *row = json_pack("[i, f, f, f, s?, s?]", year, sqlite3_column_double(st, 1),
                                sqlite3_column_double(st, 2), d,
                                (const char *)sqlite3_column_text(st, 4),
                                (const char *)sqlite3_column_text(st, 5));
        if (!row || json_array_append_new(rows, row) || claim_series_add(out, year, d) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        sum += d;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read ideal points");
    sqlite3_finalize(st);
    if (rc == 0 && out->n) {
        out->has_value = true;
        out->value = sum / (double)out->n;
        char note[200];
        snprintf(note, sizeof(note),
                 "Mean of %zu yearly distances in %ld-%ld. The source publishes no error for "
                 "each estimate, so the mean has no interval.",
                 out->n, from, to);
        if (table_note(out->evidence, note) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    } else if (rc == 0) {
        snprintf(out->why, sizeof(out->why), "no ideal points of both %s and %s in %ld-%ld", a, b,
                 from, to);
    }
    return rc;
}

static const struct {
    const char *name;
    claim_measure_fn *fn;
} impls[] = {
    {"un_agreement", m_un_agreement},
    {"un_split_share", m_un_split_share},
    {"ideal_distance", m_ideal_distance},
    {"un_splits", m_un_splits},
    {"nextgen_meetings", network_nextgen_measure},
    {"concept_overlap", narratives_overlap_measure},
    {"speech_overlap", speeches_overlap_measure},
};

claim_measure_fn *claim_measure_impl(const char *name)
{
    for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
        if (strcmp(impls[i].name, name) == 0)
            return impls[i].fn;
    return NULL;
}
