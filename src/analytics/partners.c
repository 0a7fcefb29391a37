/*
 * partners.c: a comparison across partners (bilat compare, /compare, /api/compare): several
 * sides A beside one another on every dimension the store holds of their relation with one
 * partner B (docs/PROFILE.md, "Comparing partners").
 *
 * Each dimension is a section: one row per side with its value, the value's interval when the
 * measure has one, its N, the period it covers, the sources it rests on and a command that lists
 * the records behind it; the rows ranked by value, and a "dots" chart that puts the sides on one
 * axis scaled to the data. No composite index is made: a reader sees every part.
 *
 * A dimension is either a claim measure (the UN vote measures, with their bootstrap intervals:
 * analytics/claim_measures.c) or one SQL statement run for each side, binding :a (the side's
 * country), :b, :from and :to, that returns one row: value, n, first, last, source_id. A
 * dimension whose table the store lacks (a store without the evidence importers' tables) says so
 * instead of failing.
 */
#include "analytics/partners.h"

#include "analytics/claims.h"
#include "analytics/dyad.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { MAX_SIDES = 40, DEFAULT_FROM = 2000 };

/* One dimension of the comparison. */
struct dim {
    const char *id;      /* section id (compare_ID) */
    const char *title;   /* in words */
    const char *unit;    /* the value's unit, for the axis */
    const char *about;   /* what it measures, and its caveats */
    const char *measure; /* a claim measure call (with :a, :b, :from, :to), or NULL */
    const char *loaded;  /* SQL: 1 when the store holds the dimension's dataset at all */
    const char *hint;    /* the side's "why" when it does not: what to load */
    const char *sql;     /* one row per side: value, n, first, last, source_id */
    const char *drill;   /* the command that lists the records (printf: a, b, from, to) */
};

static const struct dim dims[] = {
    {"agreement", "UN General Assembly agreement", "agree (0 to 1)",
     "Voeten's agreement of each side's votes with B's, pooled over the roll calls of the period "
     "on which both voted yes, no or abstain, with the 95 % interval of a bootstrap over those "
     "roll calls (docs/MEASURES.md).",
     "un_agreement a=:a b=:b from=:from to=:to", "SELECT EXISTS (SELECT 1 FROM un_vote)", "no UN votes: bilat ingest unvotes", NULL,
     "bilat votes {a} {b} --ci 0.95 --from {from} --to {to}"},
    {"ideal_distance", "Distance of UN ideal points", "mean yearly distance",
     "The mean yearly absolute distance between the side's and B's ideal points (Bailey, "
     "Strezhnev and Voeten); smaller is closer. The source gives no error per estimate.",
     "ideal_distance a=:a b=:b from=:from to=:to",
     "SELECT EXISTS (SELECT 1 FROM ideal_point)", "no ideal points: bilat ingest idealpoints", NULL,
     "bilat votes {a} {b} --measure ideal --from {from} --to {to}"},
    {"important_splits", "Splits on important UN votes", "share of important roll calls",
     "The share of roll calls flagged important (the US State Department's lists) on which the "
     "side and B both voted and voted differently, with its bootstrap interval: the autonomy "
     "signal.",
     "un_split_share a=:a b=:b from=:from to=:to important=1 min_votes=10",
     "SELECT EXISTS (SELECT 1 FROM un_call WHERE important = 1)",
     "no roll call flagged important", NULL,
     "bilat votes {a} {b} --splits --important --from {from} --to {to}"},
    {"leader_engagements", "Engagements with B's leaders (ChinaVitae)", "engagements",
     "Dated engagements of seven Chinese leaders with the side's actors recorded by China Vitae "
     "(2003-2018): one per sentence of the source, whether the coder could code it or not.",
     NULL, "SELECT EXISTS (SELECT 1 FROM event WHERE source_id LIKE 'chinavitae%')",
     "no ChinaVitae data: bilat ingest chinavitae",
     "SELECT count(DISTINCT e.locator), count(DISTINCT e.locator), min(e.date_from), "
     "max(e.date_from), group_concat(DISTINCT e.source_id) FROM event e JOIN actor s ON s.id = "
     "e.src_actor_id LEFT JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE "
     "'chinavitae%' AND ((s.country = :a AND t.country = :b) OR (s.country = :b AND t.country = "
     ":a)) AND CAST(substr(e.date_from, 1, 4) AS INTEGER) BETWEEN :from AND :to HAVING count(*) "
     "> 0",
     "bilat sql \"SELECT e.date_from, e.note, e.source_id, e.locator FROM event e JOIN actor s "
     "ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE "
     "'chinavitae%' AND {dyad} AND substr(e.date_from, 1, 4) BETWEEN '{from}' AND '{to}'\""},
    {"leader_visits", "Visits of B's president or premier (CEIAS)", "visits",
     "Visits abroad of China's presidents and premiers to the side (CEIAS \"Who, Where, When\", "
     "1949-2020).",
     NULL, "SELECT EXISTS (SELECT 1 FROM event WHERE source_id LIKE 'ceias%')",
     "no CEIAS data: bilat ingest ceias",
     "SELECT count(*), count(*), min(e.date_from), max(e.date_from), group_concat(DISTINCT "
     "e.source_id) FROM event e JOIN actor s ON s.id = e.src_actor_id LEFT JOIN actor t ON t.id = "
     "e.tgt_actor_id WHERE e.source_id LIKE 'ceias%' AND ((s.country = :a AND t.country = :b) OR "
     "(s.country = :b AND t.country = :a)) AND CAST(substr(e.date_from, 1, 4) AS INTEGER) "
     "BETWEEN :from AND :to HAVING count(*) > 0",
     "bilat sql \"SELECT e.date_from, e.note, e.source_id, e.locator FROM event e JOIN actor s "
     "ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE "
     "'ceias%' AND {dyad} AND substr(e.date_from, 1, 4) BETWEEN '{from}' AND '{to}'\""},
    {"elite_visits", "Government and military visits (AidData)", "visits",
     "High-level and provincial visits of government and military officials between B and the "
     "side, both directions, summed over the years the source covers in the period (AidData "
     "Public Diplomacy 2.0; East Asia and the Pacific 2000-2016).",
     NULL, "SELECT EXISTS (SELECT 1 FROM indicator WHERE name = 'pd_elite_visits')",
     "no AidData public diplomacy series",
     "SELECT sum(value), count(*), min(period), max(period), group_concat(DISTINCT source_id) "
     "FROM indicator WHERE country = :a AND partner = :b AND name = 'pd_elite_visits' AND "
     "length(period) = 4 AND value IS NOT NULL AND CAST(period AS INTEGER) BETWEEN :from AND :to "
     "HAVING count(*) > 0",
     "bilat sql \"SELECT period, value, source_id, locator FROM indicator WHERE country = '{a}' "
     "AND partner = '{b}' AND name = 'pd_elite_visits' AND period BETWEEN '{from}' AND '{to}'\""},
    {"official_finance", "Official finance committed by B", "USD (constant 2021)",
     "ODA-like, OOF-like and vague official finance from B committed to the side, summed over the "
     "years of the period (AidData GCDF 3.0, 2000-2021). A flow in dollars, not a share: larger "
     "economies borrow more.",
     NULL, "SELECT EXISTS (SELECT 1 FROM indicator WHERE name LIKE 'finance_o%')",
     "no AidData GCDF series",
     "SELECT sum(value), count(DISTINCT period), min(period), max(period), group_concat(DISTINCT "
     "source_id) FROM indicator WHERE country = :a AND partner = :b AND name IN ('finance_oda', "
     "'finance_oof', 'finance_vague') AND length(period) = 4 AND value IS NOT NULL AND "
     "CAST(period AS INTEGER) BETWEEN :from AND :to HAVING count(*) > 0",
     "bilat sql \"SELECT period, name, value, source_id, locator FROM indicator WHERE country = "
     "'{a}' AND partner = '{b}' AND name LIKE 'finance_%' AND period BETWEEN '{from}' AND "
     "'{to}'\""},
    {"diplomacy_finance", "Financial public diplomacy projects of B", "projects",
     "Projects of China's financial public diplomacy with the side (AidData, 2000-2017): grants, "
     "loans, debt relief, in kind; the number of projects in the period.",
     NULL, "SELECT EXISTS (SELECT 1 FROM finance_project)",
     "no AidData projects: bilat ingest aiddata-fd",
     "SELECT count(*), count(*), min(year), max(year), group_concat(DISTINCT source_id) FROM "
     "finance_project WHERE recipient = :a AND donor = :b AND year BETWEEN :from AND :to HAVING "
     "count(*) > 0",
     "bilat sql \"SELECT year, type, title, usd_current, source_id, locator FROM finance_project "
     "WHERE recipient = '{a}' AND donor = '{b}' AND year BETWEEN {from} AND {to}\""},
    {"debt_to_partner", "Debt owed to B, % of GDP", "% of GDP",
     "The side's debt owed to B as a share of its GDP in the latest year of the period the source "
     "gives (Horn, Reinhart and Trebesch 2019, 2000-2017).",
     NULL, "SELECT EXISTS (SELECT 1 FROM indicator WHERE name = 'debt_to_partner_gdp')",
     "no debt stock series (needs --external DIR)",
     "SELECT value, 1, period, period, source_id FROM indicator WHERE country = :a AND partner = "
     ":b AND name = 'debt_to_partner_gdp' AND length(period) = 4 AND value IS NOT NULL AND "
     "CAST(period AS INTEGER) BETWEEN :from AND :to ORDER BY period DESC LIMIT 1",
     "bilat sql \"SELECT period, value, source_id, locator FROM indicator WHERE country = '{a}' "
     "AND partner = '{b}' AND name = 'debt_to_partner_gdp' AND period BETWEEN '{from}' AND "
     "'{to}'\""},
    {"trade", "Goods trade with B", "USD",
     "Goods trade between the side and B in the latest year of the period with a figure (as "
     "reported by B, or by the side).",
     NULL, "SELECT EXISTS (SELECT 1 FROM indicator WHERE name = 'trade_total')",
     "no trade series (needs --external DIR)",
     "SELECT value, 1, period, period, source_id FROM indicator WHERE ((country = :b AND partner "
     "= :a) OR (country = :a AND partner = :b)) AND name = 'trade_total' AND length(period) = 4 "
     "AND value IS NOT NULL AND CAST(period AS INTEGER) BETWEEN :from AND :to ORDER BY period "
     "DESC, country = :b DESC LIMIT 1",
     "bilat sql \"SELECT country, partner, period, value, source_id, locator FROM indicator "
     "WHERE ((country = '{a}' AND partner = '{b}') OR (country = '{b}' AND partner = '{a}')) AND "
     "name = 'trade_total' AND period BETWEEN '{from}' AND '{to}'\""},
    {"speech_overlap", "Shared vocabulary in UN General Debate speeches", "Jaccard (0 to 1)",
     "The overlap of the principles and initiatives named in the side's and B's General Debate "
     "speeches over the period (terms of docs/MEASURES.md, speech measure).",
     "speech_overlap a=:a b=:b from=:from to=:to",
     "SELECT EXISTS (SELECT 1 FROM speech)", "no speeches: bilat ingest ungdc", NULL,
     "bilat sql \"SELECT actor, year, source_id, locator FROM speech WHERE actor IN ('{a}', "
     "'{b}') AND year BETWEEN {from} AND {to}\""},
    {"party_records", "Curated party-channel records", "records",
     "Dated records of party-to-party exchanges between the side and B in the curated datasets "
     "(data/khm-chn for Cambodia): they document what a brief reports and are not counts of "
     "every exchange.",
     NULL, "SELECT EXISTS (SELECT 1 FROM event WHERE origin = 'curated' AND channel = 'party')",
     "no curated party records",
     "SELECT count(*), count(*), min(e.date_from), max(e.date_from), group_concat(DISTINCT "
     "e.source_id) FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON t.id = "
     "e.tgt_actor_id WHERE e.origin = 'curated' AND e.channel = 'party' AND ((s.country = :a AND "
     "t.country = :b) OR (s.country = :b AND t.country = :a)) AND CAST(substr(e.date_from, 1, 4) "
     "AS INTEGER) BETWEEN :from AND :to HAVING count(*) > 0",
     "bilat sql \"SELECT e.date_from, e.note, e.source_id, e.locator FROM event e JOIN actor s "
     "ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.origin = 'curated' "
     "AND e.channel = 'party' AND {dyad} AND substr(e.date_from, 1, 4) BETWEEN '{from}' AND "
     "'{to}'\""},
};

enum { NDIMS = sizeof(dims) / sizeof(dims[0]) };

/* One side's result on a dimension. */
struct cell {
    char code[4];
    char name[128];
    bool has;
    double v, lo, hi;
    bool ci;
    long long n;
    char first[16], last[16];
    char *sources; /* bilat_malloc'd, or NULL */
    char why[256];
};

static void cells_release(struct cell *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bilat_free(c[i].sources);
}

/* Whether the store holds a dimension's dataset at all. */
static int dataset_loaded(bilat_db *db, const struct dim *d, bool *out, struct bilat_err *err)
{
    int64_t n = 0;
    BILAT_TRY(store_query_int(db, d->loaded, NULL, &n, err));
    *out = n > 0;
    return 0;
}

/* Whether the claim measure `name` exists in this build. */
static bool has_measure(const char *call)
{
    char name[64];
    size_t k = strcspn(call, " ");
    snprintf(name, sizeof(name), "%.*s", (int)k, call);
    return claim_measure_impl(name) != NULL;
}

/* The source ids of the source columns of a measure's evidence, comma-separated in the order the
 * evidence cites them ("" when none); NULL when out of memory. */
static char *measure_sources(const json_t *ev)
{
    json_t *ids = json_object();
    char *list = ids && dyad_collect_source_ids(ids, ev) == 0 ? dyad_join_source_ids(ids, false) : NULL;
    json_decref(ids);
    return list;
}

/* Run a claim measure for one side. */
static int run_measure(bilat_db *db, const struct dim *d, const char *a, const char *b, int from,
                       int to, struct cell *c, struct bilat_err *err)
{
    char call_s[400], tmp[400];
    /* the call with its parameters filled in */
    snprintf(tmp, sizeof(tmp), "%s", d->measure);
    struct {
        const char *key, *val;
    } sub[4];
    char fs[16], ts[16];
    snprintf(fs, sizeof(fs), "%d", from);
    snprintf(ts, sizeof(ts), "%d", to);
    sub[0].key = ":from";
    sub[0].val = fs;
    sub[1].key = ":to";
    sub[1].val = ts;
    sub[2].key = ":a";
    sub[2].val = a;
    sub[3].key = ":b";
    sub[3].val = b;
    call_s[0] = '\0';
    for (const char *p = tmp; *p;) {
        size_t k = 0;
        for (int s = 0; s < 4; s++) {
            size_t l = strlen(sub[s].key);
            if (strncmp(p, sub[s].key, l) == 0 && (p[l] == ' ' || p[l] == '\0')) {
                snprintf(call_s + strlen(call_s), sizeof(call_s) - strlen(call_s), "%s",
                         sub[s].val);
                k = l;
                break;
            }
        }
        if (!k) {
            size_t u = strlen(call_s);
            if (u + 1 < sizeof(call_s)) {
                call_s[u] = *p;
                call_s[u + 1] = '\0';
            }
            k = 1;
        }
        p += k;
    }
    struct claim_call call;
    char why[256];
    if (claim_call_parse(call_s, &call, why, sizeof(why)) < 0)
        return bilat_fail(err, BILAT_EINVAL, "compare: %s: %s", d->id, why);
    claim_measure_fn *fn = claim_measure_impl(call.name);
    struct claim_mresult m = {0};
    struct bilat_err merr = {0};
    int rc = fn(db, &call, &m, &merr);
    if (rc == BILAT_ENOMEM) {
        claim_mresult_release(&m);
        return bilat_fail(err, rc, "out of memory");
    }
    if (rc < 0) {
        /* a side the measure cannot take (no such country in the vote data) has no value */
        snprintf(c->why, sizeof(c->why), "%s", merr.msg);
        claim_mresult_release(&m);
        return 0;
    }
    if (m.has_value) {
        c->has = true;
        c->v = m.value;
        c->ci = m.has_ci;
        c->lo = m.lo;
        c->hi = m.hi;
        /* N: the years of the series, or the yearly rows of the evidence */
        c->n = (long long)json_array_size(json_object_get(m.evidence, "rows"));
        long long shared = 0;
        int iv = table_col(m.evidence, "votes");
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(m.evidence, "rows"), i, row)
            if (iv >= 0)
                shared += json_integer_value(json_array_get(row, (size_t)iv));
        if (iv >= 0)
            c->n = shared;
        if (m.n > 0) {
            double x0 = m.x[0], x1 = m.x[0];
            for (size_t k = 1; k < m.n; k++) {
                x0 = m.x[k] < x0 ? m.x[k] : x0;
                x1 = m.x[k] > x1 ? m.x[k] : x1;
            }
            snprintf(c->first, sizeof(c->first), "%.0f", x0);
            snprintf(c->last, sizeof(c->last), "%.0f", x1);
        }
    } else {
        snprintf(c->why, sizeof(c->why), "%s", m.why[0] ? m.why : "no value");
    }
    if (m.evidence && !(c->sources = measure_sources(m.evidence)))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    claim_mresult_release(&m);
    return rc;
}

/* Run a dimension's SQL for one side. */
static int run_sql(bilat_db *db, const struct dim *d, const char *a, const char *b, int from,
                   int to, struct cell *c, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, d->sql, &st, err));
    table_bind_text(st, ":a", a);
    table_bind_text(st, ":b", b);
    table_bind_int(st, ":from", from);
    table_bind_int(st, ":to", to);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        c->has = true;
        c->v = sqlite3_column_double(st, 0);
        c->n = sqlite3_column_int64(st, 1);
        const char *f = (const char *)sqlite3_column_text(st, 2);
        const char *l = (const char *)sqlite3_column_text(st, 3);
        const char *src = (const char *)sqlite3_column_text(st, 4);
        snprintf(c->first, sizeof(c->first), "%s", f ? f : "");
        snprintf(c->last, sizeof(c->last), "%s", l ? l : "");
        if (src && !(c->sources = bilat_strdup(src)))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    } else if (s == SQLITE_ROW || s == SQLITE_DONE) {
        snprintf(c->why, sizeof(c->why), "no records in %d-%d", from, to);
    } else {
        rc = store_fail(db, err, s, "cannot compare");
    }
    sqlite3_finalize(st);
    return rc;
}

static int cmp_cell(const void *pa, const void *pb)
{
    const struct cell *x = pa, *y = pb;
    if (x->has != y->has)
        return x->has ? -1 : 1;
    if (x->has && x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return strcmp(x->code, y->code);
}

/* A drill command with {a}, {b}, {from}, {to} and {dyad} (an SQL condition on the actors s and
 * t of an event) filled in. */
static void fill_drill(char *out, size_t len, const char *tpl, const char *a, const char *b,
                       int from, int to)
{
    char fs[16], ts[16], dyad[200];
    snprintf(fs, sizeof(fs), "%d", from);
    snprintf(ts, sizeof(ts), "%d", to);
    snprintf(dyad, sizeof(dyad),
             "((s.country = '%s' AND t.country = '%s') OR (s.country = '%s' AND t.country = "
             "'%s'))",
             a, b, b, a);
    const struct {
        const char *key, *val;
    } sub[] = {{"{a}", a}, {"{b}", b}, {"{from}", fs}, {"{to}", ts}, {"{dyad}", dyad}};
    size_t o = 0;
    for (const char *p = tpl; *p && o + 1 < len;) {
        size_t k = 0;
        for (size_t s = 0; s < sizeof(sub) / sizeof(sub[0]) && !k; s++) {
            size_t l = strlen(sub[s].key);
            if (strncmp(p, sub[s].key, l) == 0) {
                int w = snprintf(out + o, len - o, "%s", sub[s].val);
                o += w > 0 ? (size_t)w : 0;
                if (o >= len)
                    o = len - 1;
                k = l;
            }
        }
        if (!k) {
            out[o++] = *p;
            k = 1;
        }
        p += k;
    }
    out[o] = '\0';
}

/* One dimension's section. */
static int dim_section(bilat_db *db, const struct dim *d, const struct bilat_compare_opts *o,
                       json_t *sections, size_t *covered_out, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"rank", "Rank", TCOL_INT},         {"country", "Side", TCOL_TEXT},
        {"name", "Name", TCOL_TEXT},        {"value", "Value", TCOL_NUM},
        {"lo", "95 % from", TCOL_NUM},      {"hi", "95 % to", TCOL_NUM},
        {"n", "N", TCOL_INT},               {"first", "From", TCOL_TEXT},
        {"last", "To", TCOL_TEXT},          {"source_id", "Sources", TCOL_SOURCE},
        {"records", "Records behind it", TCOL_TEXT}, {"why", "Why no value", TCOL_TEXT},
    };
    char id[64], desc[900];
    snprintf(id, sizeof(id), "compare_%s", d->id);
    snprintf(desc, sizeof(desc), "%s Period asked: %d-%d.", d->about, o->from, o->to);
    json_t *t = table_new(id, d->title, desc, cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct cell *cells = bilat_calloc(o->na ? o->na : 1, sizeof(*cells));
    int rc = cells ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    bool present = true;
    if (rc == 0 && d->loaded)
        rc = dataset_loaded(db, d, &present, err);
    if (rc == 0 && d->measure && !has_measure(d->measure))
        present = false;
    for (size_t i = 0; rc == 0 && i < o->na; i++) {
        struct dyad_side side;
        struct cell *c = &cells[i];
        rc = dyad_resolve(db, o->a[i], &side, err);
        if (rc < 0)
            break;
        snprintf(c->code, sizeof(c->code), "%s", side.country);
        snprintf(c->name, sizeof(c->name), "%s", side.name);
        if (!present)
            snprintf(c->why, sizeof(c->why), "%s", d->hint);
        else if (d->measure)
            rc = run_measure(db, d, side.country, o->b, o->from, o->to, c, err);
        else
            rc = run_sql(db, d, side.country, o->b, o->from, o->to, c, err);
    }
    size_t covered = 0;
    if (rc == 0) {
        qsort(cells, o->na, sizeof(*cells), cmp_cell);
        json_t *rows = json_object_get(t, "rows");
        for (size_t i = 0; rc == 0 && i < o->na; i++) {
            struct cell *c = &cells[i];
            covered += c->has;
            char drill[900];
            fill_drill(drill, sizeof(drill), d->drill, c->code, o->b, o->from, o->to);
            json_t *row = json_pack(
                "[o, s, s, o, o, o, o, s?, s?, s?, s?, s?]",
                c->has ? json_integer((json_int_t)i + 1) : json_null(), c->code, c->name,
                c->has ? json_real(c->v) : json_null(),
                c->has && c->ci ? json_real(c->lo) : json_null(),
                c->has && c->ci ? json_real(c->hi) : json_null(),
                c->has ? json_integer(c->n) : json_null(), c->first[0] ? c->first : NULL,
                c->last[0] ? c->last : NULL, c->sources, c->has ? drill : NULL,
                c->has ? NULL : c->why);
            if (!row || json_array_append_new(rows, row))
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    if (rc == 0) {
        json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type", "dots", "label",
                                  "country", "y", "value", "lo", "lo", "hi", "hi", "title",
                                  d->title, "y_title", d->unit);
        char note[200];
        snprintf(note, sizeof(note), "%zu of %zu sides have a value. Ranks: 1 = the largest value.",
                 covered, o->na);
        if (!chart || json_object_set_new(t, "chart", chart) || table_note(t, note) < 0 ||
            json_object_set_new(t, "covered", json_integer((json_int_t)covered)))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (cells)
        cells_release(cells, o->na);
    bilat_free(cells);
    *covered_out = covered;
    return table_append_take(sections, t, rc, err);
}

/* Add a side: an actor or country code, or a bloc's current members other than b. */
static int add_side(bilat_db *db, const char *code, const char *b, char (*codes)[32], size_t *n,
                    struct bilat_err *err)
{
    int64_t bloc = 0;
    BILAT_TRY(store_query_int(db,
                              "SELECT count(*) FROM bloc WHERE bloc = ?1 COLLATE NOCASE AND "
                              "NOT EXISTS (SELECT 1 FROM country WHERE iso3 = ?1)",
                              code, &bloc, err));
    if (!bloc) {
        if (*n == MAX_SIDES)
            return bilat_fail(err, BILAT_EINVAL, "compare takes at most %d sides", MAX_SIDES);
        snprintf(codes[(*n)++], 32, "%s", code);
        return 0;
    }
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT iso3 FROM bloc WHERE bloc = ?1 COLLATE NOCASE AND (date_to IS "
                            "NULL OR date_to = '') AND iso3 <> ?2 AND iso3 IN (SELECT iso3 FROM "
                            "country) ORDER BY iso3",
                            &st, err));
    store_bind_text(st, 1, code, -1);
    store_bind_text(st, 2, b, -1);
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == MAX_SIDES)
            rc = bilat_fail(err, BILAT_EINVAL, "compare takes at most %d sides", MAX_SIDES);
        else
            snprintf(codes[(*n)++], 32, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read blocs");
    sqlite3_finalize(st);
    return rc;
}

int compare_partners(bilat_db *db, const struct bilat_compare_opts *o, json_t **doc_out,
                     struct bilat_err *err)
{
    *doc_out = NULL;
    if (o->na == 0 || o->na > MAX_SIDES)
        return bilat_fail(err, BILAT_EINVAL, "compare takes 1 to %d sides, got %zu", MAX_SIDES,
                          o->na);
    if (o->from && o->to && o->from > o->to)
        return bilat_fail(err, BILAT_EINVAL, "the period starts (%d) after it ends (%d)", o->from,
                          o->to);
    struct dyad_side pb;
    BILAT_TRY(dyad_resolve(db, o->b, &pb, err));
    json_t *sections = json_array(), *ids = json_object(), *sources = NULL;
    int rc = sections && ids ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    /* a bloc among the sides stands for its current members (but B) */
    char (*codes)[32] = bilat_calloc(MAX_SIDES, sizeof(*codes));
    const char **sides = bilat_calloc(MAX_SIDES, sizeof(*sides));
    size_t ns = 0;
    if (rc == 0 && (!codes || !sides))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; rc == 0 && i < o->na; i++)
        rc = add_side(db, o->a[i], pb.country, codes, &ns, err);
    for (size_t i = 0; rc == 0 && i < ns; i++)
        sides[i] = codes[i];
    struct bilat_compare_opts local = *o;
    local.b = pb.country;
    local.a = sides;
    local.na = ns;
    if (!local.from)
        local.from = DEFAULT_FROM;
    if (!local.to) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        local.to = tm.tm_year + 1900;
    }
    for (size_t k = 0; rc == 0 && k < NDIMS; k++) {
        if (o->dimension && strcmp(o->dimension, dims[k].id) != 0)
            continue;
        size_t cov = 0;
        rc = dim_section(db, &dims[k], &local, sections, &cov, err);
    }
    if (rc == 0 && o->dimension && json_array_size(sections) == 0) {
        char list[400] = "";
        for (size_t k = 0; k < NDIMS; k++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", k ? ", " : "",
                     dims[k].id);
        rc = bilat_fail(err, BILAT_ENOTFOUND, "unknown dimension '%s' (known: %s)",
                        o->dimension, list);
    }
    /* the sources of every value, cited once */
    size_t i;
    json_t *sec;
    json_array_foreach(sections, i, sec)
    {
        int is = table_col(sec, "source_id");
        size_t r;
        json_t *row;
        json_array_foreach(json_object_get(sec, "rows"), r, row)
            if (rc == 0 && dyad_add_source_ids(ids, json_string_value(
                                                           json_array_get(row, (size_t)is))) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0)
        rc = dyad_cite_sources(db, ids, &sources, err);
    json_t *doc = NULL;
    if (rc == 0) {
        json_t *jsides = json_array();
        for (size_t k = 0; jsides && k < ns; k++)
            json_array_append_new(jsides, json_string(sides[k]));
        doc = json_pack("{s:s, s:s, s:o, s:s, s:{s:i, s:i}, s:o, s:o}", "bilat_version",
                        BILAT_VERSION, "view", "compare", "sides", jsides ? jsides : json_array(),
                        "partner", pb.country, "period", "from", local.from, "to", local.to,
                        "sections", sections, "sources", sources);
        sections = sources = NULL; /* taken by json_pack, even on failure */
        if (!doc)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    json_decref(sections);
    json_decref(sources);
    json_decref(ids);
    bilat_free(codes);
    bilat_free(sides);
    if (rc == 0)
        *doc_out = doc;
    return rc;
}
