/*
 * dependence.c: economic dependence and its asymmetry from the indicator table (align.h,
 * docs/MEASURES.md "Dependence and asymmetry").
 *
 * The dependence of X on Y in a dimension is the share of X's total that comes from Y:
 *   trade       trade_total(X, Y)      / trade_total(X, total)
 *   investment  fdi_inflow(X, Y)       / fdi_inflow(X, total)
 *   aid         aid_grants(X, Y)       / aid_grants(X, total)
 *   debt        debt_to_partner(X, Y)  / debt_external_total(X, total)
 * computed only from a numerator and a denominator of the same period, unit and source basis
 * (one row per pair of sources, so that sources are never mixed silently), or taken as reported
 * (debt_share_partner). Where the store lacks a denominator the share is "not computable with
 * the data", with the reason, never estimated. Asymmetry = dependence of A on B minus
 * dependence of B on A, where both exist for the same period.
 *
 * A second section lists every figure behind these shares source by source, with the spread
 * between sources that report the same quantity for the same period (disagreement is shown, not
 * averaged away). Bilateral trade reported by either side counts as the same quantity (mirror
 * statistics).
 */
#include "analytics/dependence.h"
#include "analytics/headline.h"

#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct ind {
    char name[40];
    char country[4], partner[4];
    char period[24];
    double value;
    int has;
    char qual[2];
    char unit[40];
    char source[64];
    char locator[96];
};

struct dctx {
    const struct dyad_side *a, *b;
    int from, to;
    struct ind *v;
    size_t n;
};

static const struct dim {
    const char *dim;        /* dimension */
    const char *num;        /* flow from the partner */
    const char *den;        /* the country's total (partner '') */
    const char *share;      /* reported share, or NULL */
    const char *related[3]; /* figures of another concept, named when no share is computable;
                               a leading '*' marks a country total (partner '') */
} dims[] = {
    {"trade", "trade_total", "trade_total", NULL, {"exports", "imports", NULL}},
    {"investment", "fdi_inflow", "fdi_inflow", NULL, {"fdi_fixed_asset", "*fdi_net_bop", NULL}},
    {"aid", "aid_grants", "aid_grants", NULL, {"finance_oda", "finance_oof", "finance_vague"}},
    {"debt",
     "debt_to_partner",
     "debt_external_total",
     "debt_share_partner",
     {"debt_to_partner_gdp", NULL, NULL}},
};

static double r6(double v)
{
    return nearbyint(v * 1e6) / 1e6;
}

static int load(bilat_db *db, struct dctx *c, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(
        db,
        "SELECT name, country, partner, period, value, coalesce(qualifier, ''), "
        "coalesce(unit, ''), source_id, coalesce(locator, '') FROM indicator "
        "WHERE ((country = ?1 AND partner IN (?2, '')) OR (country = ?2 AND partner IN (?1, ''))) "
        "AND name IN ('trade_total', 'exports', 'imports', 'imports_share_of_trade', 'fdi_inflow', "
        "'fdi_fixed_asset', 'fdi_net_bop', 'aid_grants', 'finance_oda', 'finance_oof', "
        "'finance_vague', 'debt_to_partner', 'debt_external_total', 'debt_share_partner', "
        "'debt_to_partner_gdp') "
        "AND CAST(substr(period, 1, 4) AS INTEGER) BETWEEN ?3 AND ?4 "
        "ORDER BY name, period, country, partner, source_id",
        &st, err));
    store_bind_text(st, 1, c->a->country, -1);
    store_bind_text(st, 2, c->b->country, -1);
    sqlite3_bind_int(st, 3, c->from);
    sqlite3_bind_int(st, 4, c->to);
    int s, rc = 0;
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->n == cap) {
            cap = cap ? 2 * cap : 64;
            struct ind *nv = bilat_realloc_array(c->v, cap, sizeof(*nv));
            if (!nv) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            c->v = nv;
        }
        struct ind *x = &c->v[c->n++];
        memset(x, 0, sizeof(*x));
        snprintf(x->name, sizeof(x->name), "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(x->country, sizeof(x->country), "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(x->partner, sizeof(x->partner), "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(x->period, sizeof(x->period), "%s", (const char *)sqlite3_column_text(st, 3));
        x->has = sqlite3_column_type(st, 4) != SQLITE_NULL;
        x->value = sqlite3_column_double(st, 4);
        snprintf(x->qual, sizeof(x->qual), "%s", (const char *)sqlite3_column_text(st, 5));
        snprintf(x->unit, sizeof(x->unit), "%s", (const char *)sqlite3_column_text(st, 6));
        snprintf(x->source, sizeof(x->source), "%s", (const char *)sqlite3_column_text(st, 7));
        snprintf(x->locator, sizeof(x->locator), "%s", (const char *)sqlite3_column_text(st, 8));
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read indicators");
    sqlite3_finalize(st);
    return rc;
}

/* Periods (distinct, in order) of the figures of `name` for country/partner: "2000-2018" when
 * they are consecutive years, else a list (the first six, then the count). */
static void periods_of(const struct dctx *c, const char *name, const char *country,
                       const char *partner, int any_partner, char *out, size_t len)
{
    out[0] = '\0';
    size_t used = 0;
    int count = 0, consecutive = 1, first = 0, prev = 0;
    char last[24] = "", firstp[24] = "";
    for (size_t i = 0; i < c->n; i++) {
        const struct ind *x = &c->v[i];
        if (strcmp(x->name, name) || strcmp(x->country, country) ||
            (!any_partner && strcmp(x->partner, partner)) || (any_partner && !x->partner[0]) ||
            !x->has || strcmp(x->period, last) == 0)
            continue;
        snprintf(last, sizeof(last), "%s", x->period);
        int year = strlen(x->period) == 4 ? (int)strtol(x->period, NULL, 10) : 0;
        if (!count) {
            first = year;
            snprintf(firstp, sizeof(firstp), "%s", x->period);
        } else if (!year || year != prev + 1)
            consecutive = 0;
        if (!year)
            consecutive = 0;
        prev = year;
        if (count++ < 6 && used < len)
            used += (size_t)snprintf(out + used, len - used, "%s%s", used ? ", " : "", x->period);
    }
    if (count > 2 && consecutive)
        snprintf(out, len, "%d-%d (%d years)", first, prev, count);
    else if (count > 6 && used < len)
        snprintf(out + used, len - used, " (%d periods from %s to %s)", count, firstp, last);
}

/* Qualifier of a ratio num/den from the qualifiers of its parts, or NULL when not bounded. */
static const char *ratio_qual(const char *qn, const char *qd, int *bounded)
{
    *bounded = 1;
    if (!*qn && !*qd)
        return "";
    if (*qn == '~' || *qd == '~')
        return (*qn == '~' || !*qn) && (*qd == '~' || !*qd) ? "~" : (*bounded = 0, "");
    if (!*qd)
        return qn; /* > num / den is > share */
    if (!*qn)
        return *qd == '>' ? "<" : ">"; /* num / (> den) is < share */
    *bounded = 0;                      /* bounds on both sides say nothing about the ratio */
    return "";
}

struct share {
    char dir[24]; /* "KHM on CHN" */
    const char *dim;
    char period[24];
    double value; /* percent */
    int has;
    char qual[2];
    char method[160];
    char source[64];
    char note[800];
};

/* Shares of X on Y in dimension d: reported ones and computed ones; a "not computable" row
 * when neither exists but figures do. Appends rows to t; *out receives the shares found. */
static int shares_for(const struct dctx *c, const struct dim *d, const char *x, const char *y,
                      struct share **out, size_t *nout)
{
    char dir[24];
    snprintf(dir, sizeof(dir), "%s on %s", x, y);
    int computed = 0, rc = 0;
    struct share sh;
    /* reported shares */
    for (size_t i = 0; d->share && rc == 0 && i < c->n; i++) {
        const struct ind *v = &c->v[i];
        if (strcmp(v->name, d->share) || strcmp(v->country, x) || strcmp(v->partner, y) || !v->has)
            continue;
        memset(&sh, 0, sizeof(sh));
        snprintf(sh.dir, sizeof(sh.dir), "%s", dir);
        sh.dim = d->dim;
        snprintf(sh.period, sizeof(sh.period), "%s", v->period);
        sh.value = v->value;
        sh.has = 1;
        snprintf(sh.qual, sizeof(sh.qual), "%s", v->qual);
        snprintf(sh.method, sizeof(sh.method), "reported share (%s)", d->share);
        snprintf(sh.source, sizeof(sh.source), "%s", v->source);
        snprintf(sh.note, sizeof(sh.note), "locator: %s", v->locator);
        struct share *ns = bilat_realloc_array(*out, *nout + 1, sizeof(*ns));
        if (!ns)
            return BILAT_ENOMEM;
        *out = ns;
        (*out)[(*nout)++] = sh;
    }
    /* computed shares: same period and unit, one row per pair of sources */
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        const struct ind *nu = &c->v[i];
        if (strcmp(nu->name, d->num) || strcmp(nu->country, x) || strcmp(nu->partner, y) ||
            !nu->has)
            continue;
        for (size_t j = 0; j < c->n; j++) {
            const struct ind *de = &c->v[j];
            if (strcmp(de->name, d->den) || strcmp(de->country, x) || de->partner[0] || !de->has ||
                strcmp(de->period, nu->period) || strcmp(de->unit, nu->unit) || de->value == 0)
                continue;
            int bounded;
            const char *q = ratio_qual(nu->qual, de->qual, &bounded);
            memset(&sh, 0, sizeof(sh));
            snprintf(sh.dir, sizeof(sh.dir), "%s", dir);
            sh.dim = d->dim;
            snprintf(sh.period, sizeof(sh.period), "%s", nu->period);
            snprintf(sh.method, sizeof(sh.method), "computed: %s / %s (%s)", d->num, d->den,
                     strcmp(nu->source, de->source) ? "two sources" : "one source");
            snprintf(sh.source, sizeof(sh.source), "%s", nu->source);
            if (bounded) {
                sh.has = 1;
                sh.value = 100 * nu->value / de->value;
                snprintf(sh.qual, sizeof(sh.qual), "%s", q);
                snprintf(sh.note, sizeof(sh.note), "%s %s%g (%s) / %s%g (%s)", nu->unit, nu->qual,
                         nu->value, nu->source, de->qual, de->value, de->source);
            } else {
                snprintf(sh.note, sizeof(sh.note),
                         "not computable: the figures are bounds (%s%g / %s%g), which do not bound "
                         "their ratio",
                         nu->qual, nu->value, de->qual, de->value);
            }
            computed++;
            struct share *ns = bilat_realloc_array(*out, *nout + 1, sizeof(*ns));
            if (!ns)
                return BILAT_ENOMEM;
            *out = ns;
            (*out)[(*nout)++] = sh;
        }
    }
    if (computed)
        return 0;
    /* no computed share: say what exists, and why it does not give one */
    char nump[200], denp[200], mirror[200] = "", rel[400] = "";
    periods_of(c, d->num, x, y, 0, nump, sizeof(nump));
    periods_of(c, d->den, x, "", 0, denp, sizeof(denp));
    if (strcmp(d->num, "trade_total") == 0)
        periods_of(c, d->num, y, x, 0, mirror, sizeof(mirror));
    size_t used = 0;
    for (int r = 0; r < 3 && d->related[r]; r++) {
        int total = d->related[r][0] == '*';
        const char *name = d->related[r] + total;
        char per[200];
        periods_of(c, name, x, total ? "" : y, 0, per, sizeof(per));
        if (per[0] && used < sizeof(rel))
            used += (size_t)snprintf(rel + used, sizeof(rel) - used, "%s%s of %s%s%s for %s",
                                     used ? "; " : "", name, x, total ? "" : " with ",
                                     total ? "" : y, per);
    }
    if (!nump[0] && !mirror[0] && !denp[0] && !rel[0])
        return 0; /* nothing at all in the store for this dimension and direction */
    memset(&sh, 0, sizeof(sh));
    snprintf(sh.dir, sizeof(sh.dir), "%s", dir);
    sh.dim = d->dim;
    snprintf(sh.period, sizeof(sh.period), "-");
    snprintf(sh.method, sizeof(sh.method), "not computable with the data (%s / %s)", d->num,
             d->den);
    char numtxt[260];
    if (nump[0])
        snprintf(numtxt, sizeof(numtxt), "%s of %s with %s for %s", d->num, x, y, nump);
    else if (mirror[0])
        snprintf(numtxt, sizeof(numtxt), "%s with %s only as reported by %s, for %s", d->num, x, y,
                 mirror);
    else
        snprintf(numtxt, sizeof(numtxt), "no %s of %s with %s", d->num, x, y);
    if (!denp[0])
        snprintf(sh.note, sizeof(sh.note), "%s, %s no total (%s of %s with all partners)%s%s",
                 numtxt, nump[0] || mirror[0] ? "but" : "and", d->den, x,
                 rel[0] ? "; figures of another concept: " : "", rel);
    else
        snprintf(sh.note, sizeof(sh.note),
                 "%s, and totals (%s of %s) for %s: no period with both in the same unit%s%s",
                 numtxt, d->den, x, denp, rel[0] ? "; figures of another concept: " : "", rel);
    struct share *ns = bilat_realloc_array(*out, *nout + 1, sizeof(*ns));
    if (!ns)
        return BILAT_ENOMEM;
    *out = ns;
    (*out)[(*nout)++] = sh;
    return 0;
}

/* Two figures of the same quantity: same indicator, period and unit, and the same country and
 * partner, or bilateral trade reported by either side. */
static int same_quantity(const struct ind *x, const struct ind *y)
{
    return strcmp(x->name, y->name) == 0 && strcmp(x->period, y->period) == 0 &&
           strcmp(x->unit, y->unit) == 0 &&
           ((strcmp(x->country, y->country) == 0 && strcmp(x->partner, y->partner) == 0) ||
            (strcmp(x->name, "trade_total") == 0 && x->partner[0] &&
             strcmp(x->country, y->partner) == 0 && strcmp(x->partner, y->country) == 0));
}

/* When both sides report bilateral trade but never for the same period, say so: the mirror
 * figures cannot be checked against each other. */
static int mirror_note(const struct dctx *c, json_t *t)
{
    char pa[200], pb[200];
    periods_of(c, "trade_total", c->a->country, c->b->country, 0, pa, sizeof(pa));
    periods_of(c, "trade_total", c->b->country, c->a->country, 0, pb, sizeof(pb));
    if (!pa[0] || !pb[0])
        return 0;
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->n; j++)
            if (same_quantity(&c->v[i], &c->v[j]) && strcmp(c->v[i].country, c->v[j].country) != 0)
                return 0;
    char note[600];
    snprintf(note, sizeof(note),
             "Bilateral trade is stored from %s's side for %s and from %s's side for %s: no period "
             "in common, so figures from the two sides cannot be checked against each other.",
             c->a->country, pa, c->b->country, pb);
    return table_note(t, note);
}

/* The table's headline: the latest reported or computed debt share of A on B, with the spread
 * of the sources. Nothing without one. */
static int debt_headline(json_t *t, const struct dyad_side *a, const struct dyad_side *b,
                         const struct share *sh, size_t nsh)
{
    int rc = 0;
    const struct share *latest = NULL;
    int count = 0;
    double lo = 0, hi = 0;
    char first[24] = "", srcs[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < nsh; i++) {
        if (strcmp(sh[i].dim, "debt") || !sh[i].has || strncmp(sh[i].dir, a->country, 3) != 0)
            continue;
        if (!count || sh[i].value < lo)
            lo = sh[i].value;
        if (!count || sh[i].value > hi)
            hi = sh[i].value;
        if (!count || strcmp(sh[i].period, first) < 0)
            snprintf(first, sizeof(first), "%s", sh[i].period);
        if (!latest || strcmp(sh[i].period, latest->period) >= 0)
            latest = &sh[i];
        if (used < sizeof(srcs))
            used += (size_t)snprintf(srcs + used, sizeof(srcs) - used, "%s%s", count ? ", " : "",
                                     sh[i].source);
        count++;
    }
    if (latest) {
        char fig[120], per[48], cov[300], robust[200];
        snprintf(fig, sizeof(fig), "Share (%%) of %s's external debt owed to %s", a->country,
                 b->country);
        snprintf(per, sizeof(per), "%s", latest->period);
        snprintf(cov, sizeof(cov), "%d figure%s from %s to %s (%s)", count, count == 1 ? "" : "s",
                 first, latest->period, srcs);
        if (count > 1)
            snprintf(robust, sizeof(robust),
                     "sources differ: %.4g%% to %.4g%% (their periods and debt concepts "
                     "differ too)",
                     lo, hi);
        else
            snprintf(robust, sizeof(robust), "one figure only");
        rc = headline_add(t, fig, per, 1, latest->value, count, cov, robust,
                          "bilat sql \"SELECT period, value, qualifier, source_id FROM "
                          "indicator WHERE name = 'debt_share_partner'\"");
    }
    return rc;
}

/* A note when the reported debt shares of A on B are for different periods: their spread is
 * not only disagreement. */
static int periods_note(json_t *t, const struct dyad_side *a, const struct dyad_side *b,
                        const struct share *sh, size_t nsh)
{
    int rc = 0;
    int nrep = 0, distinct = 0;
    double lo = 0, hi = 0;
    char periods[200] = "";
    size_t used = 0;
    for (size_t i = 0; i < nsh; i++) {
        if (!sh[i].has || strncmp(sh[i].method, "reported", 8) || strncmp(sh[i].dir, a->country, 3))
            continue;
        if (!nrep || sh[i].value < lo)
            lo = sh[i].value;
        if (!nrep || sh[i].value > hi)
            hi = sh[i].value;
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= sh[j].has && !strncmp(sh[j].method, "reported", 8) &&
                    !strncmp(sh[j].dir, a->country, 3) && !strcmp(sh[j].dim, sh[i].dim) &&
                    !strcmp(sh[j].period, sh[i].period);
        if (!seen && used < sizeof(periods)) {
            distinct++;
            used += (size_t)snprintf(periods + used, sizeof(periods) - used, "%s%s",
                                     used ? ", " : "", sh[i].period);
        }
        nrep++;
    }
    if (nrep > 1 && distinct > 1) {
        char note[500];
        snprintf(note, sizeof(note),
                 "The %d reported shares of %s's external debt owed to %s are for different "
                 "periods (%s) and may use different debt concepts (external or external "
                 "public debt): their spread, %.4g%% to %.4g%%, mixes change over time with "
                 "disagreement between sources.",
                 nrep, a->country, b->country, periods, lo, hi);
        rc = table_note(t, note);
    }
    return rc;
}

/* The figures, source by source, with the spread between sources (a detail table). Frees
 * c->v. */
static int figures_table(struct dctx *c, json_t *sections, struct bilat_err *err)
{
    static const struct tcol fcols[] = {
        {"name", "Indicator", TCOL_TEXT},  {"country", "Country", TCOL_TEXT},
        {"partner", "Partner", TCOL_TEXT}, {"period", "Period", TCOL_TEXT},
        {"value", "Value", TCOL_NUM},      {"qualifier", "Qualifier", TCOL_TEXT},
        {"unit", "Unit", TCOL_TEXT},       {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT}, {"agreement", "Other sources, same figure", TCOL_TEXT},
    };
    json_t *t =
        table_new("dependence_figures", "Economic figures behind the shares, source by source",
                  "Every trade, investment, aid and debt figure of the dyad, each source its own "
                  "row. The last column compares sources that give the same quantity for the "
                  "same period (bilateral trade as reported by either side counts as one "
                  "quantity).",
                  fcols, 10);
    int rc = t ? 0 : BILAT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < c->n; i++) {
        const struct ind *x = &c->v[i];
        char agree[300] = "";
        size_t used = 0;
        int others = 0;
        for (size_t j = 0; j < c->n; j++) {
            const struct ind *y = &c->v[j];
            int same_q = same_quantity(x, y);
            if (i == j || !same_q || !x->has || !y->has)
                continue;
            double rel = x->value != 0 ? 100 * (y->value - x->value) / fabs(x->value) : 0;
            if (used < sizeof(agree))
                used += (size_t)snprintf(agree + used, sizeof(agree) - used,
                                         "%s%s%s: %s%g (%+.1f%%)", others ? "; " : "", y->source,
                                         strcmp(x->country, y->country) ? " (mirror)" : "", y->qual,
                                         y->value, rel);
            others++;
        }
        json_t *row = json_pack("[s, s, s, s, o, s, s, s, s, s]", x->name, x->country, x->partner,
                                x->period, x->has ? json_real(x->value) : json_null(), x->qual,
                                x->unit, x->source, x->locator, agree);
        if (!row || json_array_append_new(json_object_get(t, "rows"), row))
            rc = BILAT_ENOMEM;
    }
    bilat_free(c->v);
    if (rc == 0 && json_object_set_new(t, "detail", json_true()))
        rc = BILAT_ENOMEM;
    return table_append_take(sections, t, rc, err);
}

int dependence_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                        int from, int to, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"dimension", "Dimension", TCOL_TEXT},    {"direction", "Dependence of", TCOL_TEXT},
        {"period", "Period", TCOL_TEXT},          {"share", "Share %", TCOL_NUM},
        {"qualifier", "Qualifier", TCOL_TEXT},    {"asymmetry", "Asymmetry (points)", TCOL_NUM},
        {"asymmetry_of", "Asymmetry", TCOL_TEXT}, {"source_id", "Source", TCOL_SOURCE},
        {"method", "Method", TCOL_TEXT},
    };
    if (!a->country[0] || !b->country[0] || strcmp(a->country, b->country) == 0)
        return 0;
    struct dctx c = {a, b, from, to, NULL, 0};
    BILAT_TRY(load(db, &c, err));
    char desc[600];
    snprintf(desc, sizeof(desc),
             "Share (%%) of %s's trade, investment, aid and external debt that comes from %s, and "
             "the reverse, from the indicator table: reported shares as reported, computed shares "
             "only from a partner figure and a total of the same period and unit. Asymmetry = "
             "dependence of %s on %s minus dependence of %s on %s, where both exist. Each row "
             "carries its source; several sources for one figure stay separate rows.",
             a->country, b->country, a->country, b->country, b->country, a->country);
    json_t *t = table_new("dependence", "Dependence and asymmetry", desc, cols, 9);
    struct share *sh = NULL;
    size_t nsh = 0;
    int rc = t ? 0 : BILAT_ENOMEM;
    for (size_t d = 0; rc == 0 && d < sizeof(dims) / sizeof(dims[0]); d++) {
        size_t start = nsh;
        rc = shares_for(&c, &dims[d], a->country, b->country, &sh, &nsh);
        size_t mid = nsh;
        if (rc == 0)
            rc = shares_for(&c, &dims[d], b->country, a->country, &sh, &nsh);
        for (size_t i = start; rc == 0 && i < nsh; i++) {
            /* asymmetry: the reverse share of the same period (the first one found) */
            int has_asym = 0;
            double asym = 0;
            char text[120] = "";
            if (sh[i].has) {
                size_t r0 = i < mid ? mid : start, r1 = i < mid ? nsh : mid;
                for (size_t j = r0; j < r1 && !has_asym; j++)
                    if (sh[j].has && strcmp(sh[j].period, sh[i].period) == 0) {
                        has_asym = 1;
                        asym = i < mid ? sh[i].value - sh[j].value : sh[j].value - sh[i].value;
                    }
                if (has_asym)
                    snprintf(text, sizeof(text), "%s on %s minus %s on %s", a->country, b->country,
                             b->country, a->country);
                else
                    snprintf(text, sizeof(text),
                             "not computable: no share of the other direction for this period");
            }
            const char *method = sh[i].method;
            char mbuf[1000];
            if (sh[i].note[0]) {
                snprintf(mbuf, sizeof(mbuf), "%s: %s", method, sh[i].note);
                method = mbuf;
            }
            struct share tmp = sh[i];
            snprintf(tmp.method, sizeof(tmp.method), "%.159s", method);
            json_t *row = json_pack("[s, s, s, o, s, o, s, o, s]", tmp.dim, tmp.dir, tmp.period,
                                    tmp.has ? json_real(r6(tmp.value)) : json_null(), tmp.qual,
                                    has_asym ? json_real(r6(asym)) : json_null(), text,
                                    tmp.source[0] ? json_string(tmp.source) : json_null(), method);
            if (!row || json_array_append_new(json_object_get(t, "rows"), row))
                rc = BILAT_ENOMEM;
        }
    }
    /* headline: the latest reported or computed debt share of A on B, with the spread */
    if (rc == 0)
        rc = debt_headline(t, a, b, sh, nsh);
    /* reported shares of different periods: their spread is not only disagreement */
    if (rc == 0)
        rc = periods_note(t, a, b, sh, nsh);
    /* disagreements between sources on the same quantity and period, in the notes */
    int shown = 0;
    for (size_t i = 0; rc == 0 && i < c.n; i++)
        for (size_t j = i + 1; rc == 0 && j < c.n; j++) {
            const struct ind *x = &c.v[i], *y = &c.v[j];
            if (!same_quantity(x, y) || !x->has || !y->has)
                continue;
            if (++shown > 10)
                continue;
            char note[400];
            double rel = x->value != 0 ? 100 * (y->value - x->value) / fabs(x->value) : 0;
            snprintf(note, sizeof(note),
                     "Sources differ on %s %s%s%s %s: %s%g (%s) against %s%g (%s%s), %+.1f%%.",
                     x->name, x->country, x->partner[0] ? " with " : "", x->partner, x->period,
                     x->qual, x->value, x->source, y->qual, y->value, y->source,
                     strcmp(x->country, y->country) ? ", as the partner reports it" : "", rel);
            rc = table_note(t, note);
        }
    if (rc == 0 && shown > 10) {
        char note[120];
        snprintf(note, sizeof(note), "%d more pairs of sources differ: see the next section.",
                 shown - 10);
        rc = table_note(t, note);
    }
    if (rc == 0)
        rc = mirror_note(&c, t);
    if (rc == 0)
        rc = table_note(t, "A share needs the country's total of the same period: where the store "
                           "has none the row says so. Shares are never estimated from totals of "
                           "other years or other concepts.");
    bilat_free(sh);
    /* every failure above is out of memory */
    rc = table_append_take(sections, t, rc, err);
    if (rc < 0) {
        bilat_free(c.v);
        return rc;
    }
    return figures_table(&c, sections, err);
}
