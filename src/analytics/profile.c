/*
 * profile.c: the relationship profile of a dyad (docs/PROFILE.md).
 *
 * A side is an actor code or an ISO3 country; a country side matches every actor whose
 * `country` is that code, so that KHM covers the government, the CPP and Hun Sen alike. An event
 * belongs to the dyad when one actor is on each side (either direction), or when it is a
 * one-sided record of either side (a party congress: no target). Year filters keep a record when
 * its span [date_from, date_to] overlaps [from, to].
 *
 * Each section is built by one function from one or two SQL queries (analytics/table.h); the
 * list `sections` fixes their order. Range records ("more than 60 visits, 1996-2020") are never
 * spread over years: they appear in their own section, so that per-year counts only hold events
 * dated within a year.
 */
#include "analytics/profile.h"

#include "analytics/align.h"
#include "analytics/dependence.h"
#include "analytics/dyad.h"
#include "analytics/headline.h"
#include "analytics/channels.h"
#include "analytics/claims.h"
#include "analytics/contacts.h"
#include "analytics/narratives.h"
#include "analytics/network.h"
#include "analytics/speeches.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "store/db.h"

#include <ctype.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pctx {
    bilat_db *db;
    const struct bilat_profile_opts *o;
    struct dyad_side a, b;
    int from, to; /* effective bounds: 0 and 9999 when open */
};

/*
 * The dyad's events as a CTE named `dy`: curated, coded and imported records between the two
 * sides (DYAD_WHERE), and one-sided records of either side (a party congress: no
 * target), whose span overlaps the period.
 */
#define DYAD_CTE                                                                                   \
    "WITH " DYAD_SIDE_CTE ",\n" DYAD_EVENTS_KEPT(                                             \
        "ev", "e.origin IN ('curated', 'coded', 'imported') AND "                                  \
              "CAST(substr(e.date_from, 1, 4) AS INTEGER) <= :to AND "                            \
              "CAST(substr(coalesce(e.date_to, e.date_from), 1, 4) AS INTEGER) >= :from") ",\n"   \
    "dy AS (SELECT * FROM ev WHERE " DYAD_WHERE " OR " DYAD_ONE_SIDED ")\n"

static int bind_ctx(sqlite3_stmt *st, const void *vctx)
{
    const struct pctx *c = vctx;
    dyad_bind_sides(st, &c->a, &c->b);
    table_bind_int(st, ":from", c->from);
    table_bind_int(st, ":to", c->to);
    return 0;
}

static int sec_summary(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {{"measure", "Measure", TCOL_TEXT},
                                       {"value", "Value", TCOL_NUM},
                                       {"detail", "Detail", TCOL_TEXT}};
    json_t *t = table_new("summary", "Summary", "What the store holds about this dyad.", cols, 3);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = table_add_sql(
        c->db, t,
        DYAD_CTE "SELECT 'curated events (dated)', count(*), "
                 "CASE WHEN count(*) THEN min(date_from) || ' to ' || max(date_from) END "
                 "FROM dy WHERE origin = 'curated' AND precision <> 'range' "
                 "UNION ALL SELECT 'aggregate records (ranges)', count(*), "
                 "CASE WHEN count(*) THEN 'quantities sum to ' || "
                 "CAST(sum(coalesce(quantity, 1)) AS INTEGER) END "
                 "FROM dy WHERE precision = 'range' "
                 "UNION ALL SELECT 'coded events', count(*), NULL FROM dy WHERE origin = 'coded' "
                 "UNION ALL SELECT 'imported events (engagements, visits)', "
                 "count(*), CASE WHEN count(*) THEN min(date_from) || ' to ' || max(date_from) "
                 "END FROM dy WHERE origin = 'imported' "
                 "UNION ALL SELECT 'party-channel events (dated)', count(*), "
                 "CASE WHEN count(*) THEN count(CASE WHEN origin = 'imported' THEN 1 END) || "
                 "' of them imported' END FROM dy WHERE channel = 'party' AND "
                 "precision <> 'range'",
        bind_ctx, c, err);
    if (rc == 0)
        rc = table_add_sql(c->db, t,
                           "SELECT 'indicator values', count(value), "
                           "(count(*) - count(value)) || ' more marked missing by their source' "
                           "FROM indicator WHERE ((country = :ac AND partner IN (:bc, '')) "
                           "OR (country = :bc AND partner IN (:ac, ''))) "
                           "AND CAST(substr(period, 1, 4) AS INTEGER) BETWEEN :from AND :to",
                           bind_ctx, c, err);
    return table_append_take(sections, t, rc, err);
}

static int sec_events_by_year(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},       {"channel", "Channel", TCOL_TEXT},
        {"mode", "Mode", TCOL_TEXT},       {"origin", "Origin", TCOL_TEXT},
        {"events", "Events", TCOL_INT},    {"quantity", "Quantity", TCOL_NUM},
    };
    json_t *t = table_new("events_by_year", "Events per year by channel and mode",
                          "Dated curated, coded and imported events of the dyad (a year, month "
                          "or day). "
                          "Quantity counts an event as 1 unless its record gives a number "
                          "(e.g. 5 field visits).",
                          cols, 6);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "stacked_bar", "x",
                              "year", "stack", "channel", "y", "events", "title",
                              "Events per year by channel", "y_title", "Dated records");
    int rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(c->db, t,
                           DYAD_CTE "SELECT CAST(substr(date_from, 1, 4) AS INTEGER) AS year, "
                                    "channel, mode, origin, count(*), "
                                    "sum(coalesce(quantity, 1)) FROM dy "
                                    "WHERE precision <> 'range' "
                                    "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
                           bind_ctx, c, err);
    if (rc == 0)
        rc = table_note(t, "Records that cover a range of years are not spread over years; "
                           "see 'Aggregate records'.");
    return table_append_take(sections, t, rc, err);
}

static const struct tcol event_cols[] = {
    {"date_from", "Date", TCOL_TEXT},    {"date_to", "Until", TCOL_TEXT},
    {"source", "Source actor", TCOL_TEXT}, {"target", "Target actor", TCOL_TEXT},
    {"channel", "Channel", TCOL_TEXT},   {"mode", "Mode", TCOL_TEXT},
    {"level", "Level", TCOL_TEXT},       {"cameo", "CAMEO", TCOL_TEXT},
    {"quantity", "Quantity", TCOL_NUM},  {"unit", "Unit", TCOL_TEXT},
    {"note", "What happened", TCOL_TEXT}, {"source_id", "Source", TCOL_SOURCE},
    {"locator", "Locator", TCOL_TEXT},   {"ref", "Record", TCOL_TEXT},
};

#define EVENT_SELECT                                                                               \
    "SELECT dy.date_from, dy.date_to, s.name, t.name, dy.channel, dy.mode, dy.level, dy.cameo, " \
    "dy.quantity, dy.unit, dy.note, dy.source_id, dy.locator, dy.ref FROM dy "                    \
    "LEFT JOIN actor s ON s.id = dy.src_actor_id LEFT JOIN actor t ON t.id = dy.tgt_actor_id "

static int sec_aggregates(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    json_t *t = table_new("aggregates", "Aggregate records",
                          "Facts that cover a span of years, with the quantity their source "
                          "gives (\"more than 60 visits\" is stored as 60).",
                          event_cols, sizeof(event_cols) / sizeof(event_cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = json_object_set_new(t, "view", json_string("events")) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(c->db, t,
                           DYAD_CTE EVENT_SELECT "WHERE dy.precision = 'range' "
                                                 "ORDER BY dy.date_from, dy.date_to, dy.ref",
                           bind_ctx, c, err);
    return table_append_take(sections, t, rc, err);
}

static int sec_timeline(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    json_t *t = table_new("timeline", "Timeline of curated events",
                          "Dated curated records of the dyad, each with its source and "
                          "locator.",
                          event_cols, sizeof(event_cols) / sizeof(event_cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = json_object_set_new(t, "view", json_string("events")) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(c->db, t,
                           DYAD_CTE EVENT_SELECT "WHERE dy.precision <> 'range' AND "
                                                 "dy.origin = 'curated' "
                                                 "ORDER BY dy.date_from, dy.ref",
                           bind_ctx, c, err);
    return table_append_take(sections, t, rc, err);
}

/* Indicators of the dyad: A's figures with partner B or none, and B's with partner A or none. */
#define INDICATOR_WHERE                                                                            \
    "WHERE ((country = :ac AND partner IN (:bc, '')) OR (country = :bc AND partner IN (:ac, ''))) " \
    "AND CAST(substr(period, 1, 4) AS INTEGER) BETWEEN :from AND :to "

static int sec_indicators(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    static const struct tcol scols[] = {
        {"name", "Indicator", TCOL_TEXT},      {"country", "Country", TCOL_TEXT},
        {"partner", "Partner", TCOL_TEXT},     {"unit", "Unit", TCOL_TEXT},
        {"first", "First", TCOL_TEXT},         {"last", "Last", TCOL_TEXT},
        {"n", "Values", TCOL_INT},             {"missing", "Missing", TCOL_INT},
        {"last_value", "Last value", TCOL_NUM}, {"source_id", "Source", TCOL_SOURCE},
    };
    json_t *t = table_new("indicator_series", "Indicator series",
                          "One row per series (indicator, country, partner, source): its span, "
                          "the number of values, how many the source marks missing, and the "
                          "latest value.",
                          scols, sizeof(scols) / sizeof(scols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = table_add_sql(
        c->db, t,
        "SELECT name, country, partner, unit, min(period), max(period), count(value), "
        "count(*) - count(value), (SELECT i2.value FROM indicator i2 WHERE i2.country = i.country "
        "AND i2.partner = i.partner AND i2.name = i.name AND i2.source_id = i.source_id AND "
        "i2.value IS NOT NULL AND CAST(substr(i2.period, 1, 4) AS INTEGER) BETWEEN :from AND :to "
        "ORDER BY i2.period DESC LIMIT 1), source_id "
        "FROM indicator i " INDICATOR_WHERE
        "GROUP BY name, country, partner, source_id, unit ORDER BY name, country, partner, "
        "source_id",
        bind_ctx, c, err);
    BILAT_TRY(table_append_take(sections, t, rc, err));

    static const struct tcol vcols[] = {
        {"name", "Indicator", TCOL_TEXT},     {"country", "Country", TCOL_TEXT},
        {"partner", "Partner", TCOL_TEXT},    {"period", "Period", TCOL_TEXT},
        {"value", "Value", TCOL_NUM},         {"qualifier", "Qualifier", TCOL_TEXT},
        {"unit", "Unit", TCOL_TEXT},          {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},    {"note", "Note", TCOL_TEXT},
    };
    t = table_new("indicators", "Indicator values",
                  "Every value with its source and locator; a value the source marks missing "
                  "is null, never 0.",
                  vcols, sizeof(vcols) / sizeof(vcols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:[s,s,s,s], s:s}", "type", "lines", "x", "period",
                              "y", "value", "series", "name", "country", "partner", "source_id",
                              "title", "Indicator series");
    rc = !chart || json_object_set_new(t, "chart", chart) ||
                 json_object_set_new(t, "detail", json_true())
             ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
             : 0;
    if (rc == 0)
        rc = table_add_sql(c->db, t,
                           "SELECT name, country, partner, period, value, qualifier, unit, "
                           "source_id, locator, note FROM indicator " INDICATOR_WHERE
                           "ORDER BY name, country, partner, source_id, period",
                           bind_ctx, c, err);
    return table_append_take(sections, t, rc, err);
}

/*
 * Machine-coded events (GDELT, ICEWS) of the two sides' countries from the event cube: per
 * month and quad class, raw and deduplicated counts side by side with mean Goldstein; and per
 * year as a chart. A month that no ingested file covers is left out (unknown), while a covered
 * month without dyad events shows 0. Only present when event files were ingested.
 */
#define CUBE_DYAD                                                                                  \
    "((actor1_country = :ac AND actor2_country = :bc) OR "                                          \
    "(actor1_country = :bc AND actor2_country = :ac))"

/* The quad classes with their labels, for both tables. */
#define QUAD_CTE                                                                                   \
    "q(quad, label) AS (VALUES (1, 'verbal cooperation'), (2, 'material cooperation'), "           \
    "(3, 'verbal conflict'), (4, 'material conflict')),\n"

/*
 * The drill-down of an event-data table: a row (a period and a quad class) leads to the
 * deduplicated clusters behind its counts and their sources, which `bilat clusters` (and the
 * server's /clusters) find by reading the ingested files again (docs/PROFILE.md, "drill").
 * The table's quad class number is there for the drill-down: views show its label.
 */
static int set_drill(const struct pctx *c, json_t *t, const char *period, struct bilat_err *err)
{
    if (json_object_set_new(t, "hide", json_pack("[s]", "quad")) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (!c->a.country[0] || !c->b.country[0])
        return 0; /* no country, no cube rows */
    json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kind", "clusters", "a",
                          c->a.country, "b", c->b.country, "period", period, "quad", "quad",
                          "events", "events");
    if (!d || json_object_set_new(t, "drill", d) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return 0;
}

/*
 * The share of each day the ingested event files cover (days by when the events were added): a
 * daily file (GDELT 1.0, ICEWS) covers its days whole, a GDELT 2.0 export a 15-minute slice.
 * Computed once (MATERIALIZED) and looked up by month through an automatic index: evaluated
 * again for each month and quad, it took 44 s for ten files whose events were added over 28
 * years (100,000 coverage rows).
 */
#define COVERED_CTE                                                                                \
    "covered(day, frac, month) AS MATERIALIZED (SELECT v.day, CASE WHEN max(f.format <> "       \
    "'gdelt2') = 1 THEN 1.0 ELSE min(1.0, count(DISTINCT f.id) / 96.0) END, substr(v.day, 1, 7) " \
    "FROM ingest_coverage v JOIN ingest_file f ON f.id = v.file_id GROUP BY v.day),\n"

/* The same from event_day (store version 91), a row a day whatever the number of files. */
#define COVERED_DAY_CTE                                                                            \
    "covered(day, frac, month) AS MATERIALIZED (SELECT day, CASE WHEN daily_files > 0 THEN 1.0 " \
    "ELSE min(1.0, files / 96.0) END, substr(day, 1, 7) FROM event_day WHERE files > 0),\n"

/* A note on the years whose figures stand for less than half their days. */
static int coverage_note(struct pctx *c, json_t *t, struct bilat_err *err)
{
    json_t *rows = json_object_get(t, "rows");
    int iy = table_col(t, "year"), ic = table_col(t, "days_covered"), id = table_col(t, "days");
    struct bilat_buf b = BILAT_BUF_INIT;
    int last = 0, rc = 0;
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row)
    {
        int y = (int)json_integer_value(json_array_get(row, (size_t)iy));
        double cov = json_number_value(json_array_get(row, (size_t)ic));
        double days = json_number_value(json_array_get(row, (size_t)id));
        if (y == last || !(days > 0) || cov >= days / 2)
            continue;
        last = y;
        rc = bilat_buf_addf(&b, "%s%d: %.2f of %.0f days", b.len ? "; " : "", y, cov, days);
        if (rc < 0)
            break;
    }
    (void)c;
    if (rc == 0 && b.len) {
        struct bilat_buf n = BILAT_BUF_INIT;
        rc = bilat_buf_addf(&n, "Partly covered years, whose counts stand for the covered days "
                                "only and must not be read as a year's total: %s.",
                            b.buf);
        if (rc == 0 && table_note(t, n.buf) < 0)
            rc = BILAT_ENOMEM;
        bilat_buf_release(&n);
    }
    bilat_buf_release(&b);
    return rc < 0 ? bilat_fail(err, BILAT_ENOMEM, "out of memory") : 0;
}

/* The events of the dyad per month and quad, with the month's volume and the days covered, read
 * from event_day (store version 91) or, in an older store, from the tables it sums. */
/* The dyad's cube by month or year (`period`, an expression of the cells' date column day) and
 * quad class. */
#define CUBE_CTE(period)                                                                           \
    "cube AS (SELECT " period ", quad, sum(events) AS ev, sum(events_dedup) AS dd, "              \
    "sum(goldstein_sum) AS g FROM event_cube WHERE " CUBE_DYAD "\n  GROUP BY 1, 2),\n"
#define BY_MONTH(date) "substr(" date ", 1, 7) AS m"
#define BY_YEAR(date) "CAST(substr(" date ", 1, 4) AS INTEGER) AS y"
#define CUBE_CELLS_BY_MONTH CUBE_CTE(BY_MONTH("day"))
#define CUBE_CELLS_BY_YEAR CUBE_CTE(BY_YEAR("day"))

/* An ISO date or month `col` in the years :from to :to (4-digit years). */
#define PERIOD_IN(col) col " >= format('%04d', :from) AND " col " < format('%04d-13', :to)"

/*
 * The same from the summaries of version 93: the dyad's months from event_month (`period`, an
 * expression of its column month: the column itself by month, so that the join's automatic
 * index has its affinity and is on both columns), the months' coverage and volume from
 * event_month_total (coverage in 96ths of a day).
 */
#define MONTHS_CUBE_CTE(period)                                                                    \
    "cube AS MATERIALIZED (SELECT " period ", quad, sum(events) AS ev, sum(events_dedup) AS "     \
    "dd, sum(goldstein_e6) / 1e6 AS g FROM event_month WHERE " CUBE_DYAD " AND "                  \
    PERIOD_IN("month") "\n  GROUP BY 1, 2),\n"
#define MONTHLY_TOTAL_SQL                                                                          \
    "WITH " QUAD_CTE MONTHS_CUBE_CTE("month AS m")                                                 \
    "t AS (SELECT month AS m, events, covered FROM event_month_total WHERE days > 0 AND "         \
    PERIOD_IN("month") ")\n"                                                                       \
    "SELECT t.m, q.quad, q.label, coalesce(cube.ev, 0), coalesce(cube.dd, 0), "                   \
    "CASE WHEN cube.ev > 0 THEN round(cube.g / cube.ev, 3) END, t.events, "                       \
    "round(t.covered / 96.0, 2), "                                                                 \
    "CAST(julianday(date(t.m || '-01', '+1 month')) - julianday(t.m || '-01') AS INTEGER)\n"      \
    "FROM t CROSS JOIN q LEFT JOIN cube ON cube.m = t.m AND cube.quad = q.quad ORDER BY 1, 2"
#define YEARLY_TOTAL_SQL                                                                           \
    "WITH " QUAD_CTE MONTHS_CUBE_CTE(BY_YEAR("month"))                                             \
    "t AS (SELECT CAST(substr(month, 1, 4) AS INTEGER) AS y, sum(covered) AS c FROM "             \
    "event_month_total WHERE days > 0 AND " PERIOD_IN("month") " GROUP BY 1)\n"                   \
    "SELECT t.y, q.quad, q.label, coalesce(cube.ev, 0), coalesce(cube.dd, 0), "                   \
    "CASE WHEN cube.ev > 0 THEN round(cube.g / cube.ev, 3) END, round(t.c / 96.0, 2), "           \
    "CAST(julianday((t.y + 1) || '-01-01') - julianday(t.y || '-01-01') AS INTEGER)\n"            \
    "FROM t CROSS JOIN q LEFT JOIN cube ON cube.y = t.y AND cube.quad = q.quad ORDER BY 1, q.quad"

#define MONTHLY_SQL(volume_table, coverage_table, covered_cte, cube_cte)                           \
    "WITH months(m) AS (SELECT DISTINCT substr(day, 1, 7) FROM " coverage_table "\n"            \
    "  CAST(substr(day, 1, 4) AS INTEGER) BETWEEN :from AND :to),\n"                             \
    covered_cte                                                                                    \
    QUAD_CTE                                                                                       \
    cube_cte                                                                                       \
    "vol AS (SELECT substr(day, 1, 7) AS m, sum(events) AS n FROM " volume_table " GROUP BY 1),\n" \
    "cov AS (SELECT month AS m, round(sum(frac), 2) AS f FROM covered GROUP BY month)\n"         \
    "SELECT months.m, q.quad, q.label, coalesce(cube.ev, 0), coalesce(cube.dd, 0), "              \
    "CASE WHEN cube.ev > 0 THEN round(cube.g / cube.ev, 3) END, coalesce(vol.n, 0), "             \
    "cov.f, "                                                                                      \
    "CAST(julianday(date(months.m || '-01', '+1 month')) - julianday(months.m || '-01') AS "      \
    "INTEGER)\n"                                                                                  \
    "FROM months CROSS JOIN q LEFT JOIN cube ON cube.m = months.m AND cube.quad = q.quad "        \
    "LEFT JOIN vol ON vol.m = months.m LEFT JOIN cov ON cov.m = months.m ORDER BY 1, 2"

/* The same per year. */
#define YEARLY_SQL(coverage_table, covered_cte, cube_cte)                                          \
    "WITH years(y) AS (SELECT DISTINCT CAST(substr(day, 1, 4) AS INTEGER) FROM " coverage_table    \
    " CAST(substr(day, 1, 4) AS INTEGER) BETWEEN :from AND :to),\n" covered_cte QUAD_CTE          \
    cube_cte                                                                                       \
    "cov AS (SELECT CAST(substr(day, 1, 4) AS INTEGER) AS y, round(sum(frac), 2) AS f FROM "      \
    "covered GROUP BY 1)\n"                                                                        \
    "SELECT years.y, q.quad, q.label, coalesce(cube.ev, 0), coalesce(cube.dd, 0), "               \
    "CASE WHEN cube.ev > 0 THEN round(cube.g / cube.ev, 3) END, cov.f, "                          \
    "CAST(julianday((years.y + 1) || '-01-01') - julianday(years.y || '-01-01') AS "              \
    "INTEGER)\n"                                                                                   \
    "FROM years CROSS JOIN q LEFT JOIN cube ON cube.y = years.y AND cube.quad = q.quad "          \
    "LEFT JOIN cov ON cov.y = years.y ORDER BY 1, q.quad"

static int sec_event_data(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    int64_t files = 0;
    BILAT_TRY(store_query_int(c->db,
                              "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_schema WHERE name = "
                              "'ingest_file') THEN (SELECT count(*) FROM ingest_file) ELSE 0 END",
                              NULL, &files, err));
    if (files == 0)
        return 0;
    /* The month's volume comes from event_volume (a row per file and day); a store that was
     * not opened for writing since that table came (schema version 3) still sums the cube. */
    int64_t has_volume = 0;
    BILAT_TRY(store_query_int(c->db,
                              "SELECT count(*) FROM sqlite_schema WHERE name = 'event_volume'",
                              NULL, &has_volume, err));
    /* event_day (version 91) sums coverage and volume by day: read it when the store has it */
    const bool by_day = bilat_db_schema_version(c->db) >= 91;
    /* event_month and event_month_total (version 93) sum the cells and event_day by month */
    const bool by_month = bilat_db_schema_version(c->db) >= 93;
    static const char note_party[] =
        "GDELT and ICEWS code actors by country and role (GOV, MIL, ...); GDELT's role codes have "
        "no party code, so a party-to-party meeting and a government meeting look alike: these "
        "counts cannot tell the party channel from the government one.";
    static const struct tcol cols[] = {
        {"month", "Month", TCOL_TEXT},          {"quad", "Quad class", TCOL_INT},
        {"quad_label", "Quad", TCOL_TEXT},      {"events", "Events (raw)", TCOL_INT},
        {"events_dedup", "Events (dedup)", TCOL_INT}, {"goldstein_mean", "Mean Goldstein", TCOL_NUM},
        {"volume", "All events that month", TCOL_INT},
        {"days_covered", "Days covered", TCOL_NUM},
        {"days", "Days in the month", TCOL_INT},
    };
    json_t *t = table_new("event_data_monthly", "Machine-coded events per month (GDELT, ICEWS)",
                          "Events between the two sides' countries from the ingested event files, "
                          "either direction, by quad class: raw counts, counts after "
                          "deduplication, and the mean Goldstein value of the raw rows. The last "
                          "column is every event of the month in the store (media volume), for "
                          "normalising.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:[s], s:s, s:s, s:s}", "type", "multi_lines",
                              "x", "month", "y", "events", "series", "quad_label", "title",
                              "Events per month by quad class", "y_title",
                              "Events (raw count, covered days only)", "caption",
                              "Counts of the months the ingested files cover; see 'Days covered' "
                              "in the table.");
    int rc = !chart || json_object_set_new(t, "chart", chart) ||
                     json_object_set_new(t, "detail", json_true())
                 ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
                 : 0;
    if (rc == 0)
        rc = set_drill(c, t, "month", err);
    if (rc == 0)
        rc = table_add_sql(
            c->db, t,
            by_month ? MONTHLY_TOTAL_SQL
            : by_day ? MONTHLY_SQL("event_day", "event_day WHERE files > 0 AND", COVERED_DAY_CTE,
                                   CUBE_CELLS_BY_MONTH)
            : has_volume
                ? MONTHLY_SQL("event_volume", "ingest_coverage WHERE", COVERED_CTE,
                              CUBE_CELLS_BY_MONTH)
                : MONTHLY_SQL("event_cube", "ingest_coverage WHERE", COVERED_CTE,
                              CUBE_CELLS_BY_MONTH),
            bind_ctx, c, err);
    if (rc == 0)
        rc = table_note(t, note_party);
    if (rc == 0)
        rc = table_note(t, "Months that no ingested file covers are left out: they are unknown, "
                           "not zero (see 'bilat coverage'). A month's figures stand for the days "
                           "its files cover, not for the whole month: 'Days covered' counts a day "
                           "of a daily file (GDELT 1.0, ICEWS) as one and a GDELT 2.0 export as "
                           "1/96 of a day (a 15-minute slice). Quad classes are as the files give "
                           "them.");
    if (rc == 0) {
        /* Name the dedup rule(s) the files were ingested with. */
        json_t *tmp = table_new("x", "x", NULL, (const struct tcol[]){{"r", "r", TCOL_TEXT}}, 1);
        rc = tmp ? table_add_sql(c->db, tmp,
                                 "SELECT group_concat(dedup, ', ') FROM (SELECT DISTINCT dedup "
                                 "FROM ingest_file ORDER BY dedup)",
                                 NULL, NULL, err)
                 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
        const char *rules = rc == 0 ? json_string_value(json_array_get(
                                          json_array_get(json_object_get(tmp, "rows"), 0), 0))
                                    : NULL;
        char note[400];
        snprintf(note, sizeof(note),
                 "Deduplicated counts use the rule the files were ingested with: %s (daily: one "
                 "event per day, source actor, target actor and event code; url: one per source "
                 "URL, actors and event code; none: every row).",
                 rules ? rules : "none");
        if (rc == 0)
            rc = table_note(t, note);
        json_decref(tmp);
    }
    BILAT_TRY(table_append_take(sections, t, rc, err));

    static const struct tcol ycols[] = {
        {"year", "Year", TCOL_YEAR},          {"quad", "Quad class", TCOL_INT},
        {"quad_label", "Quad", TCOL_TEXT},
        {"events", "Events (raw)", TCOL_INT}, {"events_dedup", "Events (dedup)", TCOL_INT},
        {"goldstein_mean", "Mean Goldstein", TCOL_NUM},
        {"days_covered", "Days covered", TCOL_NUM},
        {"days", "Days in the year", TCOL_INT},
    };
    t = table_new("event_data_yearly", "Machine-coded events per year (GDELT, ICEWS)",
                  "The same events per year, raw and deduplicated counts side by side, with the "
                  "days of the year the ingested files cover: a year's figures stand for those "
                  "days only.",
                  ycols, sizeof(ycols) / sizeof(ycols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    chart = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "type", "stacked_bar", "x", "year",
                      "stack", "quad_label", "y", "events", "title",
                      "Events per year by quad class (raw)", "y_title",
                      "Events (raw count, covered days only)");
    rc = !chart || json_object_set_new(t, "chart", chart)
             ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
             : 0;
    if (rc == 0)
        rc = set_drill(c, t, "year", err);
    if (rc == 0)
        rc = table_add_sql(
            c->db, t,
            by_month ? YEARLY_TOTAL_SQL
            : by_day ? YEARLY_SQL("event_day WHERE files > 0 AND", COVERED_DAY_CTE,
                                  CUBE_CELLS_BY_YEAR)
                     : YEARLY_SQL("ingest_coverage WHERE", COVERED_CTE, CUBE_CELLS_BY_YEAR),
            bind_ctx, c, err);
    if (rc == 0)
        rc = table_note(t, note_party);
    if (rc == 0)
        rc = coverage_note(c, t, err);
    return table_append_take(sections, t, rc, err);
}

static int sec_narratives(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    return narratives_sections(c->db, &c->a, &c->b, sections, err);
}

static int sec_claims(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    return claims_profile_section(c->db, &c->a, &c->b, sections, err);
}

struct coverage_ctx {
    const struct pctx *c;
    char *un_calls; /* align_calls_json(), or NULL when a side has no country */
};

static int bind_coverage(sqlite3_stmt *st, const void *vctx)
{
    const struct coverage_ctx *cc = vctx;
    bind_ctx(st, cc->c);
    table_bind_text(st, ":un_calls", cc->un_calls ? cc->un_calls : "[]");
    return 0;
}

/*
 * The coverage table's query. Its last part, the event files: for each origin, the files with
 * days in the period, the dyad's events in the cube (`cube_events`: from event_month, version
 * 93, or from the cells) and the first and last day covered, each read through an index.
 */
#define COVERAGE_SQL(cube_events)                                                                  \
    DYAD_CTE "SELECT source_id, 'events (' || origin || ')', count(*), min(date_from), "           \
    "max(coalesce(date_to, date_from)) FROM dy GROUP BY source_id, origin "                        \
    "UNION ALL SELECT source_id, 'indicator values', count(*), min(period), "                      \
    "max(period) FROM indicator " INDICATOR_WHERE "GROUP BY source_id "                            \
    "UNION ALL SELECT source_id, 'speeches', count(*), min(year), max(year) FROM "                 \
    "speech WHERE actor IN (:ac, :bc) AND year BETWEEN :from AND :to GROUP BY "                    \
    "source_id "                                                                                   \
    "UNION ALL SELECT source_id, 'finance projects', count(*), min(year), max(year) "              \
    "FROM finance_project WHERE ((recipient = :ac AND donor = :bc) OR (recipient = "               \
    ":bc AND donor = :ac)) AND year BETWEEN :from AND :to GROUP BY source_id "                     \
    /* [year, source, count, first, last] (align_calls_json()) */                                  \
    "UNION ALL SELECT value ->> 1, 'UN roll calls', sum(value ->> 2), "                            \
    "min(value ->> 3), max(value ->> 4) FROM json_each(:un_calls) WHERE "                          \
    "value ->> 0 BETWEEN :from AND :to GROUP BY value ->> 1 "                                      \
    "UNION ALL SELECT NULL, o.origin || ' events (' || o.files || CASE o.files WHEN 1 THEN "       \
    "' file' ELSE ' files' END || ', raw)', coalesce((" cube_events "), 0), (SELECT v.day FROM "   \
    "ingest_coverage v JOIN ingest_file g ON g.id = v.file_id WHERE g.origin = o.origin AND "      \
    COVERED_IN " ORDER BY v.day LIMIT 1), (SELECT v.day FROM ingest_coverage v JOIN ingest_file "  \
    "g ON g.id = v.file_id WHERE g.origin = o.origin AND " COVERED_IN " ORDER BY v.day DESC "      \
    "LIMIT 1) FROM (SELECT g.origin, count(*) AS files FROM ingest_file g WHERE EXISTS (SELECT 1 " \
    "FROM ingest_coverage v WHERE v.file_id = g.id AND " COVERED_IN ") GROUP BY g.origin) o "      \
    "ORDER BY 1, 2"
/* A coverage day v.day in the period. */
#define COVERED_IN PERIOD_IN("v.day")
/* The dyad's events of origin o.origin in the period: from event_month (version 93) or from
 * the cells. */
#define MONTHS_EVENTS                                                                              \
    "SELECT sum(k.events) FROM event_month k WHERE k.origin = o.origin AND "                      \
    "((k.actor1_country = :ac AND k.actor2_country = :bc) OR (k.actor1_country = :bc AND "        \
    "k.actor2_country = :ac)) AND " PERIOD_IN("k.month")
#define CELLS_EVENTS                                                                               \
    "SELECT sum(k.events) FROM event_cube k JOIN ingest_file g ON g.id = k.file_id WHERE "        \
    "g.origin = o.origin AND ((k.actor1_country = :ac AND k.actor2_country = :bc) OR "            \
    "(k.actor1_country = :bc AND k.actor2_country = :ac)) AND CAST(substr(k.day, 1, 4) AS "       \
    "INTEGER) BETWEEN :from AND :to"

/* What each source contributes to this dyad, and the span it covers. */
static int sec_coverage(struct pctx *c, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"source_id", "Source", TCOL_SOURCE}, {"what", "Records", TCOL_TEXT},
        {"records", "Number", TCOL_INT},      {"first", "From", TCOL_TEXT},
        {"last", "To", TCOL_TEXT},
    };
    json_t *t = table_new("coverage", "Data coverage by source",
                          "What each source contributes to this dyad in the period, and the "
                          "span it covers: events, indicator values, UN roll calls on which "
                          "both countries voted, and the days the ingested event files cover.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct coverage_ctx cc = {c, NULL};
    int rc = c->a.country[0] && c->b.country[0]
                 ? align_calls_json(c->db, c->a.country, c->b.country, &cc.un_calls, err)
                 : 0;
    if (rc == 0)
        rc = table_add_sql(c->db, t,
                           bilat_db_schema_version(c->db) >= 93 ? COVERAGE_SQL(MONTHS_EVENTS)
                                                                : COVERAGE_SQL(CELLS_EVENTS),
                           bind_coverage, &cc, err);
    bilat_free(cc.un_calls);
    return table_append_take(sections, t, rc, err);
}

/* A section built here, from the profile's context. */
typedef int section_fn(struct pctx *c, json_t *sections, struct bilat_err *err);

/* A section built in another file from the dyad and the period (analytics/<file>.h). */
typedef int dyad_section_fn(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                            int from, int to, json_t *sections, struct bilat_err *err);

/*
 * The sections of the profile, in order: each built here (`own`) or by its own file (`dyad`:
 * channels, contacts, alignment, dependence, network, speeches). The headline, built from the
 * others, comes last (profile_build_text). `free`: may be built by either connection when there
 * are two (opts->jobs): a section that reads neither the dyad's kept events (dyad_ev, prepared
 * on the first connection) nor another section; the two connections take them as they come free,
 * the heaviest (`weight`: millions of instructions for the demo store's whole record) first.
 */
static const struct section {
    section_fn *own;
    dyad_section_fn *dyad;
    bool free;
    bool fixed; /* the same for every period: kept with opts->keep (kept_for()) */
    int weight;
} sections_list[] = {
    {sec_summary, NULL, false, false, 0},       {sec_events_by_year, NULL, false, false, 0},
    {sec_aggregates, NULL, false, false, 0},    {sec_timeline, NULL, false, false, 0},
    {sec_indicators, NULL, true, false, 18},    {sec_event_data, NULL, false, false, 0},
    {NULL, channels_sections, false, false, 0}, {NULL, contacts_sections, false, false, 0},
    {NULL, align_sections, true, false, 57},    {NULL, dependence_sections, true, false, 14},
    {NULL, network_sections, false, false, 0},  {sec_narratives, NULL, true, true, 15},
    {NULL, speeches_sections, true, false, 47}, {sec_claims, NULL, true, true, 15},
    {sec_coverage, NULL, false, false, 0},
};
#define NSECTIONS (sizeof(sections_list) / sizeof(sections_list[0]))

/* Every source id cited by a "source" column of any section, with its citation. */
static int add_sources(struct pctx *c, json_t *doc, json_t *ids, struct bilat_err *err)
{
    /* ids: those the parts gathered from sections already written, or NULL */
    ids = ids ? json_incref(ids) : json_object();
    json_t *list = NULL;
    int rc = ids ? 0 : BILAT_ENOMEM;
    size_t i;
    json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), i, sec) if (rc == 0) rc =
        dyad_collect_source_ids(ids, sec);
    rc = rc < 0 ? bilat_fail(err, rc, "out of memory") : dyad_cite_sources(c->db, ids, &list, err);
    json_decref(ids);
    if (rc == 0 && json_object_set_new(doc, "sources", list))
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return rc;
}

static json_t *side_json(const struct dyad_side *s)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "code", s->code, "name", s->name, "kind", s->kind,
                     "country", s->country);
}

/* Datasets loaded, with their load time: what "data as of" means for this store. */
static int add_datasets(struct pctx *c, json_t *doc, struct bilat_err *err)
{
    static const struct tcol cols[] = {{"name", "Dataset", TCOL_TEXT},
                                       {"loaded_at", "Loaded", TCOL_TEXT},
                                       {"records", "Records", TCOL_INT}};
    json_t *t = table_new("datasets", "Datasets", NULL, cols, 3);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = table_add_sql(c->db, t, "SELECT name, loaded_at, records FROM dataset ORDER BY name",
                           NULL, NULL, err);
    if (rc == 0 && json_object_set_new(doc, "datasets", json_incref(json_object_get(t, "rows"))))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_decref(t);
    return rc;
}

/*
 * The sections one connection builds: all of the list (which < 0); or on the first connection
 * (which = 0) those that are not free and then free ones, on the second (which = 1) free ones,
 * each taking the heaviest left. With `flags` (the text of the document is asked for), each
 * section is also written as JSON text the way json_dumps() writes it inside the document, its
 * id and the source ids it cites kept, and the section dropped, all by the thread that built it.
 */
struct part {
    struct pctx c; /* the context, with this part's connection */
    int which;
    size_t flags;
    atomic_bool *taken;      /* [NSECTIONS], shared: the builders a part has taken */
    json_t *sections;        /* the part's sections, as built (NULL once written) */
    size_t n;                /* their count */
    bool built[NSECTIONS];   /* the builders of the list this part ran */
    size_t first[NSECTIONS]; /* and the range of `sections` each gave */
    size_t last[NSECTIONS];
    json_t *heads;         /* the headline rows each section carried (headline_take) */
    json_t *names;         /* with flags: each section's id */
    json_t *ids;           /* with flags: the source ids the sections cite */
    char **texts;          /* with flags: each section's text */
    size_t failed_at;      /* the builder that failed (rc < 0), NSECTIONS: after them */
    int rc;
    struct bilat_err err;
};

/* A section's depth in the document (doc, "sections", the section): its text is laid out so. */
#define SECTION_DEPTH 2

/* What the document keeps of section j once built: its headline rows, and with flags its id,
 * source ids and text. 0 or BILAT_ENOMEM. */
static int part_keep(struct part *p, size_t j)
{
    json_t *sec = json_array_get(p->sections, j), *rows = json_array();
    if (!rows || json_array_append_new(p->heads, rows) || headline_take(sec, rows) < 0)
        return BILAT_ENOMEM;
    if (!p->flags)
        return 0;
    json_t *id = json_object_get(sec, "id");
    if (json_array_append_new(p->names, id ? json_incref(id) : json_null()) ||
        dyad_collect_source_ids(p->ids, sec) < 0)
        return BILAT_ENOMEM;
    p->texts[j] = bilat_jsonw_dumps(sec, p->flags, SECTION_DEPTH);
    return p->texts[j] ? 0 : BILAT_ENOMEM;
}

/*
 * The sections of the fixed builders (the same for every period) a connection keeps for its
 * next profile of the same dyad (opts->keep), while the store's data version is the same.
 */
struct kept_sections {
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    json_t *built[NSECTIONS]; /* builder i's tables, or NULL */
};

static void kept_free(void *ptr)
{
    struct kept_sections *k = ptr;
    for (size_t i = 0; i < NSECTIONS; i++)
        json_decref(k->built[i]);
    bilat_free(k);
}

/* The kept sections of c's dyad, or NULL; with `create`, made (empty) when there are none. */
static struct kept_sections *kept_for(const struct pctx *c, bool create)
{
    int64_t key = store_data_version(c->db);
    struct kept_sections *k = store_memo_get(c->db, STORE_MEMO_PROFILE, key);
    if (k && (strcmp(k->a, c->a.code) != 0 || strcmp(k->b, c->b.code) != 0))
        k = NULL;
    if (!k && create && (k = bilat_calloc(1, sizeof(*k))) != NULL) {
        snprintf(k->a, sizeof(k->a), "%s", c->a.code);
        snprintf(k->b, sizeof(k->b), "%s", c->b.code);
        store_memo_set(c->db, STORE_MEMO_PROFILE, k, kept_free, key);
    }
    return k;
}

/* Builder i's sections into p->sections: copies of those kept, or built (and kept when
 * asked: a copy that cannot be made is only not kept). */
static int part_build(struct part *p, size_t i)
{
    const struct section *x = &sections_list[i];
    bool keep = x->fixed && p->c.o->keep;
    struct kept_sections *k = keep ? kept_for(&p->c, false) : NULL;
    size_t i0 = json_array_size(p->sections), j;
    json_t *sec;
    if (k && k->built[i]) {
        json_array_foreach(k->built[i], j, sec)
        {
            if (json_array_append_new(p->sections, json_deep_copy(sec)) < 0)
                return bilat_fail(&p->err, BILAT_ENOMEM, "out of memory");
        }
        return 0;
    }
    BILAT_TRY(x->own ? x->own(&p->c, p->sections, &p->err)
                     : x->dyad(p->c.db, &p->c.a, &p->c.b, p->c.from, p->c.to, p->sections,
                               &p->err));
    json_t *copies = keep ? json_array() : NULL;
    for (j = i0; copies && j < json_array_size(p->sections); j++)
        if (json_array_append_new(copies, json_deep_copy(json_array_get(p->sections, j))) < 0) {
            json_decref(copies);
            copies = NULL;
        }
    if (copies && (k = kept_for(&p->c, true)) != NULL) {
        json_decref(k->built[i]);
        k->built[i] = copies;
    } else {
        json_decref(copies);
    }
    return 0;
}

/* Run builder i, if no part has taken it yet. */
static void part_take(struct part *p, size_t i)
{
    if (p->rc < 0 || atomic_exchange(&p->taken[i], true))
        return;
    p->first[i] = json_array_size(p->sections);
    p->rc = part_build(p, i);
    p->failed_at = i;
    p->last[i] = json_array_size(p->sections);
    p->built[i] = true;
}

static void part_run(struct part *p)
{
    for (size_t i = 0; p->which != 1 && i < NSECTIONS; i++)
        if (p->which < 0 || !sections_list[i].free)
            part_take(p, i);
    for (;;) {
        size_t next = NSECTIONS;
        for (size_t i = 0; i < NSECTIONS; i++)
            if (sections_list[i].free && !atomic_load(&p->taken[i]) &&
                (next == NSECTIONS || sections_list[i].weight > sections_list[next].weight))
                next = i;
        if (next == NSECTIONS || p->rc < 0)
            break;
        part_take(p, next);
    }
    if (p->rc < 0)
        return;
    p->n = json_array_size(p->sections);
    p->failed_at = NSECTIONS;
    if (p->flags && !(p->texts = bilat_calloc(p->n ? p->n : 1, sizeof(*p->texts))))
        p->rc = BILAT_ENOMEM;
    for (size_t j = 0; p->rc == 0 && j < p->n; j++)
        p->rc = part_keep(p, j);
    if (p->rc < 0) {
        p->rc = bilat_fail(&p->err, BILAT_ENOMEM, "out of memory");
    } else if (p->flags) {
        json_decref(p->sections);
        p->sections = NULL;
    }
}

static void *part_thread(void *arg)
{
    part_run(arg);
    return NULL;
}

static void part_free(struct part *p)
{
    for (size_t i = 0; p->texts && i < p->n; i++)
        bilat_free(p->texts[i]);
    bilat_free(p->texts);
    json_decref(p->sections);
    json_decref(p->heads);
    json_decref(p->names);
    json_decref(p->ids);
}

/* What the parts built, in the order of the list. */
struct merged {
    json_t *heads; /* the headline rows */
    json_t *names; /* with flags: the sections' ids */
    json_t *ids;   /* with flags: their source ids */
    char **texts;  /* with flags: their texts, with room for one more */
    size_t n;
};

/* The parts' sections into `sections` (without flags) and what they kept into m. 0 or
 * BILAT_ENOMEM. */
static int parts_merge(struct part *parts, int nparts, json_t *sections, struct merged *m)
{
    size_t total = parts[0].n + (nparts > 1 ? parts[1].n : 0);
    size_t flags = parts[0].flags;
    if (flags && !(m->texts = bilat_calloc(total + 1, sizeof(*m->texts))))
        return BILAT_ENOMEM;
    for (size_t i = 0; i < NSECTIONS; i++) {
        struct part *p = &parts[nparts > 1 && parts[1].built[i]];
        for (size_t j = p->first[i]; p->built[i] && j < p->last[i]; j++) {
            if ((!flags && json_array_append(sections, json_array_get(p->sections, j)) < 0) ||
                json_array_extend(m->heads, json_array_get(p->heads, j)) < 0 ||
                (flags && json_array_append(m->names, json_array_get(p->names, j)) < 0))
                return BILAT_ENOMEM;
            if (flags) {
                m->texts[m->n] = p->texts[j];
                p->texts[j] = NULL;
            }
            m->n++;
        }
    }
    for (int k = 0; flags && k < nparts; k++)
        if (json_object_update(m->ids, parts[k].ids) < 0)
            return BILAT_ENOMEM;
    return 0;
}

/* The document's text appended to `out`, its "sections" written from the texts made by the
 * parts. 0 or BILAT_ENOMEM. */
static int doc_text(json_t *doc, size_t flags, char **texts, size_t n, struct bilat_buf *out)
{
    /* stand-ins for the sections, in the place of the empty array */
    json_t *stand = json_array();
    for (size_t i = 0; stand && i < n; i++)
        if (json_array_append_new(stand, json_null()) < 0) {
            json_decref(stand);
            stand = NULL;
        }
    int rc = stand && json_object_set(doc, "sections", stand) == 0
                 ? bilat_jsonw_texts(out, doc, flags, stand, texts)
                 : BILAT_ENOMEM;
    json_decref(stand);
    return rc;
}

/* A second read-only connection to db's store, for the second part; NULL when there is none. */
static bilat_db *second_connection(bilat_db *db, const struct bilat_profile_opts *o)
{
    if (o->jobs < 2 || !db->readonly || !db->path)
        return NULL;
    bilat_db *db2 = NULL;
    struct bilat_err e = {0};
    return bilat_db_open(db->path, BILAT_OPEN_READONLY, &db2, &e) == 0 ? db2 : NULL;
}

/* The document's frame: version, sides, period, command and an empty "sections" array. */
static json_t *doc_new(const struct pctx *c)
{
    const struct bilat_profile_opts *o = c->o;
    json_t *doc = json_object(), *sections = json_array();
    json_t *period = json_pack("{s:o, s:o}", "from", o->from ? json_integer(o->from) : json_null(),
                               "to", o->to ? json_integer(o->to) : json_null());
    int bad = !doc || !sections || !period ||
              json_object_set_new(doc, "bilat_version", json_string(BILAT_VERSION)) ||
              json_object_set_new(doc, "a", side_json(&c->a)) ||
              json_object_set_new(doc, "b", side_json(&c->b));
    /* period and sections are each handed to doc (which owns them from the call on, even when
     * it fails) or freed here */
    if (bad)
        json_decref(period);
    else
        bad = json_object_set_new(doc, "period", period);
    if (!bad && o->command)
        bad = json_object_set_new(doc, "command", json_string(o->command));
    if (bad)
        json_decref(sections);
    else
        bad = json_object_set_new(doc, "sections", sections);
    if (bad) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

/*
 * Build the sections into parts[0] (and parts[1], on a thread of its own with a
 * second connection when asked and possible). The dyad's kept events are prepared on the first
 * connection while the helper starts. Returns the count of parts built.
 */
static int parts_build(struct pctx *c, size_t flags, struct part parts[2])
{
    bilat_db *db2 = second_connection(c->db, c->o);
    bool ok = true;
    atomic_bool taken[NSECTIONS];
    for (size_t i = 0; i < NSECTIONS; i++)
        atomic_init(&taken[i], false);
    for (int k = 0; k < 2; k++) {
        parts[k] = (struct part){.c = *c, .which = k, .flags = flags, .taken = taken};
        parts[k].sections = json_array();
        parts[k].heads = json_array();
        parts[k].names = json_array();
        parts[k].ids = json_object();
        ok = ok && parts[k].sections && parts[k].heads && parts[k].names && parts[k].ids;
    }
    parts[1].c.db = db2;
    pthread_t th;
    bool threaded = ok && db2 && pthread_create(&th, NULL, part_thread, &parts[1]) == 0;
    struct part *p = &parts[0];
    if (!threaded)
        p->which = -1;
    p->rc = ok ? dyad_events_prepare(c->db, &c->a, &c->b, &p->err)
               : bilat_fail(&p->err, BILAT_ENOMEM, "out of memory");
    if (p->rc == 0)
        part_run(p);
    if (threaded)
        pthread_join(th, NULL);
    bilat_db_close(db2);
    parts[0].taken = parts[1].taken = NULL; /* this frame's */
    return threaded ? 2 : 1;
}

/* Text mode's end: the headline written and put in its place among the merged texts, the
 * sources and datasets added to the frame, and the whole text appended to text_out. */
static int finish_text(struct pctx *c, json_t *doc, size_t flags, struct merged *m,
                       struct bilat_buf *text_out,
                       struct bilat_err *err)
{
    json_t *h = headline_table(m->heads);
    char *ht = h ? bilat_jsonw_dumps(h, flags, SECTION_DEPTH) : NULL;
    int rc = ht && dyad_collect_source_ids(m->ids, h) == 0
                 ? 0
                 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_decref(h);
    if (rc == 0) {
        size_t at = headline_position(json_string_value(json_array_get(m->names, 0)));
        memmove(m->texts + at + 1, m->texts + at, (m->n - at) * sizeof(*m->texts));
        m->texts[at] = ht;
        m->n++;
        ht = NULL;
        rc = add_sources(c, doc, m->ids, err);
    }
    bilat_free(ht);
    if (rc == 0)
        rc = add_datasets(c, doc, err);
    if (rc == 0 && doc_text(doc, flags, m->texts, m->n, text_out) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return rc;
}

/* The document (doc_out) or, with text_out, its text only (see profile.h). */
static int build(bilat_db *db, const struct bilat_profile_opts *o, size_t flags, json_t **doc_out,
                 struct bilat_buf *text_out, struct bilat_err *err)
{
    struct pctx c = {.db = db, .o = o};
    if (o->from && o->to && o->from > o->to)
        return bilat_fail(err, BILAT_EINVAL, "period starts (%d) after it ends (%d)", o->from,
                          o->to);
    BILAT_TRY(dyad_resolve(db, o->a, &c.a, err));
    BILAT_TRY(dyad_resolve(db, o->b, &c.b, err));
    if (strcmp(c.a.code, c.b.code) == 0)
        return bilat_fail(err, BILAT_EINVAL, "a dyad needs two different actors (got %s twice)",
                          c.a.code);
    c.from = o->from ? o->from : 0;
    c.to = o->to ? o->to : 9999;
    struct part parts[2];
    int nparts = parts_build(&c, text_out ? flags : 0, parts);
    /* the error of the first section in the list that failed, whichever part built it */
    struct part *failed = NULL;
    for (int k = 0; k < nparts; k++)
        if (parts[k].rc < 0 && (!failed || parts[k].failed_at < failed->failed_at))
            failed = &parts[k];
    json_t *doc = failed ? NULL : doc_new(&c);
    json_t *sections = json_object_get(doc, "sections");
    struct merged m = {json_array(), json_array(), json_object(), NULL, 0};
    int rc = 0;
    if (failed) {
        *err = failed->err;
        rc = failed->rc;
    } else if (!doc || !m.heads || !m.names || !m.ids ||
               parts_merge(parts, nparts, text_out ? NULL : sections, &m) < 0) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    for (int k = 0; k < 2; k++)
        part_free(&parts[k]);
    if (rc == 0 && text_out) {
        rc = finish_text(&c, doc, flags, &m, text_out, err);
    } else if (rc == 0) {
        /* the headline table, of the rows taken from the sections, after the summary */
        json_t *h = headline_table(m.heads);
        size_t at = headline_position(
            json_string_value(json_object_get(json_array_get(sections, 0), "id")));
        rc = h && json_array_insert_new(sections, at, h) == 0
                 ? 0
                 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (rc == 0)
            rc = add_sources(&c, doc, NULL, err);
        if (rc == 0)
            rc = add_datasets(&c, doc, err);
    }
    for (size_t i = 0; m.texts && i < m.n; i++)
        bilat_free(m.texts[i]);
    bilat_free(m.texts);
    json_decref(m.heads);
    json_decref(m.names);
    json_decref(m.ids);
    if (rc < 0 || text_out) {
        json_decref(doc);
        return rc;
    }
    *doc_out = doc;
    return 0;
}

int profile_build(bilat_db *db, const struct bilat_profile_opts *o, json_t **doc_out,
                  struct bilat_err *err)
{
    *doc_out = NULL;
    return build(db, o, 0, doc_out, NULL, err);
}

int profile_build_text(bilat_db *db, const struct bilat_profile_opts *o, size_t flags,
                       struct bilat_buf *text_out, struct bilat_err *err)
{
    return build(db, o, flags, NULL, text_out, err);
}
