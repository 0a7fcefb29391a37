/*
 * claim_verdict.c: the verdict of a claim from what its check found (claims.c runs the checks;
 * docs/CLAIMS.md): a threshold or range read with the value's interval, a trend by a test
 * robust to autocorrelation (Newey-West) with an equivalence test for "no change", the top of
 * a ranking, a comparison with peers by the intervals against their median; whether the
 * evidence only restates the claim's own source; and a group from its parts.
 */
#include "analytics/claims_int.h"

#include "analytics/stats.h"
#include "analytics/table.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const claim_verdict_names[] = {"",          "supported",     "restates",
                                            "not shown", "contradicted",  "not checkable",
                                            "error"};

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

/* ------------------------------------------------------------------------------------------ */
/* Judging                                                                                    */

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
    claim_fill_names(unav, sizeof(unav), d->unavailable, &j->dy);
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
int claim_dyad(struct run *r, const struct cdef *d, struct dyad *dy, struct bilat_err *err)
{
    memset(dy, 0, sizeof(*dy));
    const char *a = d->a, *b = d->b;
    if (r->o && r->o->as_a && a && b) {
        a = r->o->as_a;
        b = r->o->as_b;
    }
    snprintf(dy->a, sizeof(dy->a), "%s", a ? a : "");
    snprintf(dy->b, sizeof(dy->b), "%s", b ? b : "");
    BILAT_TRY(claim_side_info(r->db, a, dy->actry, dy->aname, sizeof(dy->aname), err));
    BILAT_TRY(claim_side_info(r->db, b, dy->bctry, dy->bname, sizeof(dy->bname), err));
    if (!dy->aname[0])
        snprintf(dy->aname, sizeof(dy->aname), "%s", dy->a);
    if (!dy->bname[0])
        snprintf(dy->bname, sizeof(dy->bname), "%s", dy->b);
    return 0;
}

/*
 * A comparison with peers: the check run again for each peer (a peer without the data is a
 * peer without a value), the verdict by the intervals, and the peers table as the evidence;
 * the sources of every run go to `ids`. 0 or BILAT_ENOMEM.
 */
static int judge_with_peers(struct run *r, const struct cdef *d, const struct claim_expect *e,
                            const struct peers *peers, const char *pj, const char *b,
                            struct claim_mresult *m, json_t *ids, struct judged *j)
{
    struct peer_val pv[MAX_PEERS];
    int rc = m->evidence ? dyad_collect_source_ids(ids, m->evidence) : 0;
    for (size_t k = 0; rc == 0 && k < peers->n; k++) {
        struct sqlout ps = {0};
        char ran[700], pmiss[300], pmsg[400];
        memset(&pv[k], 0, sizeof(pv[k]));
        snprintf(pv[k].code, sizeof(pv[k].code), "%s", peers->code[k]);
        rc = claim_run_check(r, d, peers->code[k], b, pj, &ps, ran, sizeof(ran), pmiss,
                             sizeof(pmiss), pmsg, sizeof(pmsg));
        if (rc == 0 && !pmiss[0] && ps.m.has_value) {
            pv[k].has = true;
            pv[k].v = ps.m.value;
            pv[k].ci = ps.m.has_ci;
            pv[k].lo = ps.m.lo;
            pv[k].hi = ps.m.hi;
        }
        if (rc == 0 && ps.m.evidence)
            rc = dyad_collect_source_ids(ids, ps.m.evidence);
        else if (rc < 0 && rc != BILAT_ENOMEM)
            rc = 0; /* a peer without the data is a peer without a value */
        claim_sqlout_release(&ps);
    }
    if (rc < 0)
        return rc;
    judge_peers(d, e, m, pv, peers->n, peers->spec, j);
    char *src = dyad_join_source_ids(ids, true);
    json_t *pt = src ? peers_table(j, m, pv, peers->n, src) : NULL;
    bilat_free(src);
    if (!pt)
        return BILAT_ENOMEM;
    json_decref(m->evidence);
    m->evidence = pt;
    return 0;
}

/*
 * Independence: the claim's own source cannot test the claim (the verdict becomes restates),
 * and rows that name no source cannot either (not shown); the verdict it would have had is
 * kept in the detail.
 */
static void apply_independence(struct judged *j, const struct cdef *d, bool own)
{
    if (!j->sources[0] && (j->v == V_SUPPORTED || j->v == V_CONTRADICTED)) {
        char was[sizeof(j->detail)];
        snprintf(was, sizeof(was), "%s", j->detail);
        set_detail(j, "The check's rows name no source (no source_id column), so they can neither "
                      "support nor refute the claim (on its own terms it would be '%s'). %s",
                   claim_verdict_names[j->v], was);
        j->v = V_NOT_SHOWN;
    }
    j->restates = own;
    if (own && (j->v == V_SUPPORTED || j->v == V_CONTRADICTED || j->v == V_NOT_SHOWN)) {
        char was[sizeof(j->detail)];
        snprintf(was, sizeof(was), "%s", j->detail);
        set_detail(j, "Restates its source: every evidence row comes from %s, the claim's own "
                      "source%s, so the check shows what the source says and does not test it "
                      "(on its own terms it would be '%s'). %s",
                   d->source_id, "", claim_verdict_names[j->v], was);
        j->v = V_RESTATES;
    }
}

/* Judge one claim with a check. Only out-of-memory stops the run. */
int claim_evaluate(struct run *r, size_t i, struct bilat_err *err)
{
    const struct cdef *d = &r->defs[i];
    struct judged *j = &r->res[i];
    struct claim_expect e;
    char msg[400] = "", missing[300] = "";
    BILAT_TRY(claim_dyad(r, d, &j->dy, err));
    claim_fill_names(j->text, sizeof(j->text), d->text, &j->dy);
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
        int prc = claim_peers_resolve(r->db, spec, &j->dy, &peers, &perr);
        if (prc == BILAT_ENOMEM)
            return bilat_fail(err, prc, "out of memory");
        if (prc < 0) {
            j->v = V_ERROR;
            set_detail(j, "%s", perr.msg);
            report_error(r, d, j->detail);
            return 0;
        }
        claim_peers_json(&peers, pj, sizeof(pj));
    }
    const char *a = j->dy.a[0] ? j->dy.a : NULL, *b = j->dy.b[0] ? j->dy.b : NULL;
    struct sqlout so = {0};
    struct claim_mresult *m = &so.m;
    bool is_sql = strcmp(d->method, "sql") == 0;
    int rc = claim_run_check(r, d, a, b, pj, &so, j->check, sizeof(j->check), missing,
                             sizeof(missing), msg, sizeof(msg));
    if (rc == BILAT_ENOMEM) {
        claim_sqlout_release(&so);
        return bilat_fail(err, rc, "out of memory");
    }
    if (rc < 0) {
        j->v = V_ERROR;
        set_detail(j, "%s", msg);
        report_error(r, d, msg);
        claim_sqlout_release(&so);
        return 0;
    }
    json_t *ids = json_object();
    if (!ids) {
        claim_sqlout_release(&so);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (missing[0]) {
        char found[400];
        snprintf(found, sizeof(found), "The store lacks what the check needs: %s", missing);
        uncheckable(j, d, found);
    } else if (cmp_peers) {
        rc = judge_with_peers(r, d, &e, &peers, pj, b, m, ids, j);
        if (rc < 0) {
            json_decref(ids);
            claim_sqlout_release(&so);
            return bilat_fail(err, rc, "out of memory");
        }
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
            claim_sqlout_release(&so);
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    if (j->v == V_ERROR)
        report_error(r, d, j->detail);
    rc = 0;
    if (m->evidence && !cmp_peers)
        rc = dyad_collect_source_ids(ids, m->evidence);
    bool own = false;
    if (rc == 0)
        rc = only_own(r->db, ids, d->source_id, &own, err);
    if (rc == 0 && !(j->sources = dyad_join_source_ids(ids, true)))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_decref(ids);
    if (rc < 0) {
        claim_sqlout_release(&so);
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
    }
    apply_independence(j, d, own);
    if (m->evidence) {
        j->evidence = m->evidence;
        m->evidence = NULL;
    }
    claim_sqlout_release(&so);
    return 0;
}

/* A group's verdict from its parts (parts are judged first; groups may nest). */
void claim_judge_group(struct run *r, size_t g, int depth)
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
            claim_judge_group(r, i, depth + 1);
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
                     parts[0] ? ", " : "", cnt[v], claim_verdict_names[v]);
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

