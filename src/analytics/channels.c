/*
 * channels.c: exchange intensity, party share, continuity and the visit index (channels.h,
 * docs/MEASURES.md "Channels and intensity").
 *
 * Visit index of year T: VI(T) = sum over contact records e (visits and meetings) dated in a
 * year t <= T of w(level_e) * quantity_e * 0.8^(T - t), computed forward as
 * VI(T) = 0.8 * VI(T - 1) + (weighted contacts of year T). Weights double per rank: leader 8,
 * ministerial 4, senior 2, working 1, people 0.5. A year without contacts keeps the decayed
 * index of the years before.
 */
#include "analytics/channels.h"

#include "analytics/headline.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EXCHANGE_MODES                                                                             \
    "('visit', 'meeting', 'agreement', 'partnership', 'training', 'scholarship', 'award', "        \
    "'speech', 'forum', 'aid', 'launch')"

/*
 * The dyad's exchange records as a CTE named `ex`, with `y0`, `y1` (years) and `q` (quantity):
 * curated and coded records between the two sides (sides as in the profile, analytics/dyad.h)
 * whose mode is an exchange. The datasets read by `bilat ingest chinavitae|ceias` (origin
 * 'imported') have their own section (analytics/contacts.c): their coverage differs from the
 * brief's records, and mixing them would make a change of coverage look like a change of ties.
 */
#define EXCHANGE_CTE                                                                               \
    "WITH " DYAD_SIDE_CTE ",\n" DYAD_EVENTS_KEPT(                                             \
        "ev", "e.origin IN ('curated', 'coded') AND e.mode IN " EXCHANGE_MODES) ",\n"              \
    "ex AS (SELECT ev.*, CAST(substr(date_from, 1, 4) AS INTEGER) AS y0, "                         \
    "CAST(substr(coalesce(date_to, date_from), 1, 4) AS INTEGER) AS y1, "                          \
    "coalesce(quantity, 1) AS q FROM ev WHERE " DYAD_WHERE ")\n"

struct cctx {
    const struct dyad_side *a, *b;
    int from, to;
};

static int bind_sides(sqlite3_stmt *st, const void *vctx)
{
    const struct cctx *c = vctx;
    dyad_bind_sides(st, c->a, c->b);
    table_bind_int(st, ":from", c->from);
    table_bind_int(st, ":to", c->to);
    return 0;
}

/* Four decimals are plenty for counts spread over years and decayed indexes. */
static double r4(double v)
{
    return nearbyint(v * 1e4) / 1e4;
}

double channels_level_weight(const char *level)
{
    static const struct {
        const char *name;
        double w;
    } w[] = {{"leader", CHAN_W_LEADER},
             {"ministerial", CHAN_W_MINISTERIAL},
             {"senior", CHAN_W_SENIOR},
             {"working", CHAN_W_WORKING},
             {"people", CHAN_W_PEOPLE}};
    for (size_t i = 0; level && i < sizeof(w) / sizeof(w[0]); i++)
        if (strcmp(level, w[i].name) == 0)
            return w[i].w;
    return CHAN_W_WORKING;
}

void channels_series_release(struct chan_series *s)
{
    bilat_free(s->y);
    memset(s, 0, sizeof(*s));
}

struct rec {
    int y0, y1, range, party, contact;
    double q, w;
};

int channels_series(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                    struct chan_series *out, struct bilat_err *err)
{
    memset(out, 0, sizeof(*out));
    struct cctx c = {a, b, 0, 9999};
    BILAT_TRY(dyad_events_prepare(db, a, b, err));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare_kept(db,
                            EXCHANGE_CTE "SELECT y0, y1, precision = 'range', channel = 'party', "
                                         "mode IN ('visit', 'meeting'), q, level FROM ex "
                                         "ORDER BY y0, y1",
                            &st, err));
    bind_sides(st, &c);
    struct rec *recs = NULL;
    size_t n = 0, cap = 0;
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            struct rec *nr = bilat_realloc_array(recs, cap, sizeof(*nr));
            if (!nr) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            recs = nr;
        }
        struct rec *r = &recs[n++];
        r->y0 = sqlite3_column_int(st, 0);
        r->y1 = sqlite3_column_int(st, 1);
        if (r->y1 < r->y0)
            r->y1 = r->y0;
        r->range = sqlite3_column_int(st, 2);
        r->party = sqlite3_column_int(st, 3);
        r->contact = sqlite3_column_int(st, 4);
        r->q = sqlite3_column_double(st, 5);
        r->w = channels_level_weight((const char *)sqlite3_column_text(st, 6));
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read events");
    store_unprepare(db, st);
    if (rc < 0 || n == 0) {
        bilat_free(recs);
        return rc;
    }
    int first = recs[0].y0, last = recs[0].y1;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].y0 < first)
            first = recs[i].y0;
        if (recs[i].y1 > last)
            last = recs[i].y1;
    }
    if (first < 1000 || last > 9999 || last - first > 1000) {
        bilat_free(recs);
        return bilat_fail(err, BILAT_EINVAL, "event years out of range (%d to %d)", first, last);
    }
    size_t ny = (size_t)(last - first + 1);
    double *raw = bilat_calloc(2 * ny, sizeof(double));
    out->y = bilat_calloc(ny, sizeof(*out->y));
    if (!raw || !out->y) {
        bilat_free(raw);
        bilat_free(recs);
        channels_series_release(out);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    out->first = first;
    out->last = last;
    for (size_t i = 0; i < ny; i++)
        out->y[i].year = first + (int)i;
    for (size_t i = 0; i < n; i++) {
        const struct rec *r = &recs[i];
        if (!r->range) {
            struct chan_year *y = &out->y[r->y0 - first];
            y->all += r->q;
            y->all_r += r->q;
            y->records += 1;
            if (r->party) {
                y->party += r->q;
                y->party_r += r->q;
            }
            if (r->contact) {
                raw[r->y0 - first] += r->w * r->q;
                raw[ny + (size_t)(r->y0 - first)] += r->w * r->q;
            }
            continue;
        }
        out->ranges++;
        out->range_quantity += r->q;
        double per = r->q / (double)(r->y1 - r->y0 + 1);
        for (int yr = r->y0; yr <= r->y1; yr++) {
            struct chan_year *y = &out->y[yr - first];
            y->all_r += per;
            if (r->party)
                y->party_r += per;
            if (r->contact)
                raw[ny + (size_t)(yr - first)] += r->w * per;
        }
    }
    for (size_t i = 0; i < ny; i++) {
        double prev = i ? out->y[i - 1].vi : 0, prev_r = i ? out->y[i - 1].vi_r : 0;
        out->y[i].vi = CHAN_DECAY * prev + raw[i];
        out->y[i].vi_r = CHAN_DECAY * prev_r + raw[ny + i];
    }
    bilat_free(raw);
    bilat_free(recs);
    return 0;
}

/* Years with a party exchange, and the longest run of consecutive such years. */
static void continuity(const struct chan_series *s, int with_ranges, int from, int to, char *out,
                       size_t len)
{
    int years = 0, total = 0, run = 0, best = 0, best_end = 0, span0 = 0, span1 = 0;
    for (int i = 0; i <= s->last - s->first; i++) {
        const struct chan_year *y = &s->y[i];
        if (y->year < from || y->year > to)
            continue;
        double p = with_ranges ? y->party_r : y->party;
        if (!span0 && p > 0)
            span0 = y->year;
        if (p > 0)
            span1 = y->year;
    }
    for (int yr = span0; span0 && yr <= span1; yr++) {
        double p = with_ranges ? s->y[yr - s->first].party_r : s->y[yr - s->first].party;
        total++;
        if (p > 0) {
            years++;
            run++;
            if (run > best) {
                best = run;
                best_end = yr;
            }
        } else
            run = 0;
    }
    if (!span0)
        snprintf(out, len, "%s: no party exchange recorded",
                 with_ranges ? "with range records" : "dated records");
    else
        snprintf(out, len,
                 "%s: party exchanges in %d of the %d years %d-%d; longest run %d-%d (%d year%s)",
                 with_ranges ? "with range records spread over their years" : "dated records only",
                 years, total, span0, span1, best_end - best + 1, best_end, best,
                 best == 1 ? "" : "s");
}

int channels_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, json_t *sections, struct bilat_err *err)
{
    struct cctx c = {a, b, from, to};
    BILAT_TRY(dyad_events_prepare(db, a, b, err));
    static const struct tcol ccols[] = {
        {"year", "Year", TCOL_YEAR},        {"channel", "Channel", TCOL_TEXT},
        {"level", "Level", TCOL_TEXT},      {"records", "Records", TCOL_INT},
        {"quantity", "Quantity", TCOL_NUM},
    };
    json_t *t = table_new("channels", "Exchanges by year, channel and level",
                          "Exchanges between the two sides (contacts, not positions: visits, "
                          "meetings, agreements, partnerships, training, scholarships, awards, "
                          "speeches, forums, aid, launches), dated records only. Quantity counts a "
                          "record as 1 unless it gives a number.",
                          ccols, 5);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "stacked_bar", "x",
                              "year", "stack", "channel", "y", "quantity", "title",
                              "Exchanges per year by channel (dated records)", "y_title",
                              "Exchanges (records, counting quantities)");
    int rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(db, t,
                           EXCHANGE_CTE "SELECT y0, channel, level, count(*), sum(q) FROM ex "
                                        "WHERE precision <> 'range' AND y0 BETWEEN :from AND :to "
                                        "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                           bind_sides, &c, err);
    struct chan_series s = {0};
    if (rc == 0)
        rc = channels_series(db, a, b, &s, err);
    char note[400];
    if (rc == 0 && s.ranges) {
        snprintf(note, sizeof(note),
                 "%d range record%s (quantity %.0f in all) cover%s several years and %s not in "
                 "this table: see 'Aggregate records' and the two views of the intensity table.",
                 s.ranges, s.ranges == 1 ? "" : "s", s.range_quantity, s.ranges == 1 ? "s" : "",
                 s.ranges == 1 ? "is" : "are");
        rc = table_note(t, note);
    }
    rc = table_append_take(sections, t, rc, err);
    if (rc < 0) {
        channels_series_release(&s);
        return rc;
    }
    static const struct tcol icols[] = {
        {"year", "Year", TCOL_YEAR},
        {"exchanges", "Exchanges", TCOL_NUM},
        {"party", "Party", TCOL_NUM},
        {"party_share", "Party share", TCOL_NUM},
        {"visit_index", "Visit index", TCOL_NUM},
        {"exchanges_r", "Exchanges (ranges spread)", TCOL_NUM},
        {"party_r", "Party (ranges spread)", TCOL_NUM},
        {"party_share_r", "Party share (ranges spread)", TCOL_NUM},
        {"visit_index_r", "Visit index (ranges spread)", TCOL_NUM},
    };
    t = table_new("intensity", "Exchange intensity, party share and visit index",
                  "Per year: exchange quantity, party-channel quantity and share, and the visit "
                  "index (visits and meetings weighted by level, decaying by 0.8 a year). Left: "
                  "dated records only. Right: range records spread evenly over their years, an "
                  "assumption the sources do not make.",
                  icols, sizeof(icols) / sizeof(icols[0]));
    rc = t ? 0 : BILAT_ENOMEM;
    for (int i = 0; rc == 0 && s.first && i <= s.last - s.first; i++) {
        const struct chan_year *y = &s.y[i];
        if (y->year < from || y->year > to)
            continue;
        json_t *row = json_pack("[i, f, f, o, f, f, f, o, f]", y->year, r4(y->all), r4(y->party),
                                y->all > 0 ? json_real(r4(y->party / y->all)) : json_null(),
                                r4(y->vi), r4(y->all_r), r4(y->party_r),
                                y->all_r > 0 ? json_real(r4(y->party_r / y->all_r)) : json_null(),
                                r4(y->vi_r));
        if (!row || json_array_append_new(json_object_get(t, "rows"), row))
            rc = BILAT_ENOMEM;
    }
    if (rc == 0) {
        snprintf(note, sizeof(note),
                 "Visit index weights by level: leader %.0f, ministerial %.0f, senior %.0f, "
                 "working %.0f, people %.1f (a missing level counts as working); decay %.1f a "
                 "year (half-life about 3.1 years).",
                 CHAN_W_LEADER, CHAN_W_MINISTERIAL, CHAN_W_SENIOR, CHAN_W_WORKING, CHAN_W_PEOPLE,
                 CHAN_DECAY);
        rc = table_note(t, note);
    }
    for (int v = 0; rc == 0 && s.first && v < 2; v++) {
        char cont[300];
        continuity(&s, v, from, to, cont, sizeof(cont));
        snprintf(note, sizeof(note), "Continuity, %s.", cont);
        rc = table_note(t, note);
    }
    /* headline: the party channel's share and its continuity over the profile's years */
    double all = 0, party = 0, all_r = 0, party_r = 0, recs = 0;
    int y0 = 0, y1 = 0;
    for (int i = 0; rc == 0 && s.first && i <= s.last - s.first; i++) {
        const struct chan_year *y = &s.y[i];
        if (y->year < from || y->year > to)
            continue;
        all += y->all;
        party += y->party;
        all_r += y->all_r;
        party_r += y->party_r;
        recs += y->records;
        if (y->all > 0) {
            if (!y0)
                y0 = y->year;
            y1 = y->year;
        }
    }
    if (rc == 0 && all > 0) {
        char per[32], cov[120], robust[200], cont[300];
        snprintf(per, sizeof(per), "%d-%d", y0, y1);
        snprintf(cov, sizeof(cov), "%.0f dated exchange records (quantity %.0f)", recs, all);
        snprintf(robust, sizeof(robust),
                 "%.3f with range records spread over their years: depends on that choice",
                 all_r > 0 ? party_r / all_r : 0);
        rc = headline_add(t, "Party channel's share of exchanges (dated records)", per, 1,
                          party / all, (long long)recs, cov,
                          fabs(party / all - party_r / all_r) < 0.05
                              ? "about the same with range records spread over their years"
                              : robust,
                          "profile section 'Exchange intensity, party share and visit index'");
        continuity(&s, 0, from, to, cont, sizeof(cont));
        if (rc == 0)
            rc = headline_add(t, "Continuity of party exchanges", per, 0, 0, -1, cont,
                              s.ranges ? "range records fill every year of their span when "
                                         "spread: see the section's notes"
                                       : NULL,
                              "profile section 'Exchange intensity, party share and visit index'");
    }
    if (rc == 0 && s.ranges)
        rc = table_note(t, "Shares weigh records by their quantity; in the spread view a range "
                           "record adds quantity / (years of its range) to each of its years.");
    channels_series_release(&s);
    /* every failure above is out of memory */
    return table_append_take(sections, t, rc, err);
}
