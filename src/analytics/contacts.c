/*
 * contacts.c: elite contacts, finance projects and the finance-debt-trade panel of a dyad, from
 * the independent datasets (contacts.h, docs/PROFILE.md).
 *
 * Contacts are the dyad's events with origin 'imported' (sides as in the profile,
 * analytics/dyad.h): ChinaVitae engagements and CEIAS visits. They are counted per source,
 * never summed across sources: the two cover different leaders, years and kinds of contact, and
 * one visit can be in both (CEIAS gives its year, ChinaVitae its days). An engagement is a row
 * of the source (a distinct locator); a ChinaVitae row naming two counterparts of the country
 * gives two events but one engagement.
 *
 * The panel takes the raw series (indicator rows of the `series` dataset: one value per source,
 * country, partner and year) of the two directions: official finance committed (GCDF 3.0: the
 * sum of ODA-like, OOF-like and vague flows, constant 2021 USD), the debt stock owed (HRT, USD
 * and % of GDP) and goods trade (Comtrade as reported by China), next to the count and constant
 * 2017 USD sum of AidData's financial diplomacy projects. A figure no source gives is null.
 */
#include "analytics/contacts.h"

#include "analytics/table.h"
#include "core/err.h"
#include "store/db.h"

#include <string.h>

struct cctx {
    const struct dyad_side *a, *b;
    int from, to;
};

static int bind_ctx(sqlite3_stmt *st, const void *vctx)
{
    const struct cctx *c = vctx;
    dyad_bind_sides(st, c->a, c->b);
    table_bind_int(st, ":from", c->from);
    table_bind_int(st, ":to", c->to);
    return 0;
}

/* The dyad's imported events of the period as `ct`, with their import status. */
#define CONTACTS_CTE                                                                               \
    "WITH " DYAD_SIDE_CTE ",\n" DYAD_EVENTS_KEPT(                                             \
        "ev", "e.origin = 'imported' AND CAST(substr(e.date_from, 1, 4) AS INTEGER) BETWEEN "       \
              ":from AND :to") ",\n"                                                               \
    "ct AS (SELECT ev.*, i.status, i.reason, i.counterpart FROM ev LEFT JOIN event_import i ON "   \
    "i.event_id = ev.id WHERE " DYAD_WHERE ")\n"

static int sec_contacts(bilat_db *db, const struct cctx *c, json_t *sections,
                        struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},          {"source_id", "Source", TCOL_SOURCE},
        {"channel", "Channel", TCOL_TEXT},    {"level", "Level", TCOL_TEXT},
        {"engagements", "Engagements", TCOL_INT}, {"events", "Events", TCOL_INT},
        {"coded", "Coded", TCOL_INT},         {"uncoded", "Uncoded", TCOL_INT},
    };
    json_t *t = table_new("contacts", "Elite contacts from independent sources",
                          "Contacts between the two sides in datasets independent of the brief "
                          "(leaders' engagements: ChinaVitae; leaders' visits abroad: CEIAS), "
                          "by year, source, channel and level. Engagements are rows of the "
                          "source; a row naming two counterparts gives two events.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "stacked_bar", "x", "year",
                              "stack", "channel", "y", "engagements", "title",
                              "Elite contacts per year by channel (independent sources)");
    int rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(db, t,
                           CONTACTS_CTE
                           "SELECT CAST(substr(date_from, 1, 4) AS INTEGER), source_id, channel, "
                           "level, count(DISTINCT locator), count(*), "
                           "count(CASE WHEN status = 'coded' THEN 1 END), "
                           "count(CASE WHEN status = 'uncoded' THEN 1 END) FROM ct "
                           "GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4",
                           bind_ctx, c, err);
    static const char *const notes[] = {
        "Sources are counted apart, never added: ChinaVitae covers seven leaders 2003-2018 day "
        "by day, CEIAS presidents' and premiers' visits abroad 1949-2020 by year, and one visit "
        "can be in both.",
        "Channel: party when the counterpart's title names a party office (or the source a party "
        "leader's trip), military for a military one, else government; level: the rank of the "
        "more senior side (docs/EVENTS.md). Uncoded: engagement records whose sentence the event "
        "coder did not read as the two countries (contact_records gives the reason).",
    };
    for (size_t i = 0; rc == 0 && i < sizeof(notes) / sizeof(notes[0]); i++)
        rc = table_note(t, notes[i]);
    if (rc == 0 && table_nrows(t) == 0)
        rc = table_note(t, "No engagement or visit of the two sides in the imported datasets "
                           "(bilat ingest chinavitae|ceias).");
    return table_append_take(sections, t, rc, err);
}

static int sec_records(bilat_db *db, const struct cctx *c, json_t *sections,
                       struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"date", "Date", TCOL_TEXT},          {"source", "Source actor", TCOL_TEXT},
        {"target", "Target actor", TCOL_TEXT}, {"channel", "Channel", TCOL_TEXT},
        {"level", "Level", TCOL_TEXT},        {"mode", "Mode", TCOL_TEXT},
        {"cameo", "CAMEO", TCOL_TEXT},        {"status", "Coding", TCOL_TEXT},
        {"counterpart", "Counterpart as written", TCOL_TEXT}, {"note", "Text", TCOL_TEXT},
        {"reason", "Why uncoded", TCOL_TEXT}, {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},
    };
    json_t *t = table_new("contact_records", "Elite contacts: the records",
                          "Every engagement and visit record of the two sides in the imported "
                          "datasets, with how it was coded and its locator (file:line).",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = json_object_set_new(t, "detail", json_true()) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(db, t,
                           CONTACTS_CTE
                           "SELECT ct.date_from, s.name, t.name, ct.channel, ct.level, ct.mode, "
                           "ct.cameo, ct.status, ct.counterpart, ct.note, ct.reason, "
                           "ct.source_id, ct.locator FROM ct LEFT JOIN actor s ON s.id = "
                           "ct.src_actor_id LEFT JOIN actor t ON t.id = ct.tgt_actor_id "
                           "ORDER BY ct.date_from, ct.source_id, ct.ref",
                           bind_ctx, c, err);
    return table_append_take(sections, t, rc, err);
}

/* Finance projects between the two sides' countries, either direction. */
#define PROJECT_WHERE                                                                              \
    "WHERE ((recipient = :ac AND donor = :bc) OR (recipient = :bc AND donor = :ac)) AND year "     \
    "BETWEEN :from AND :to "

static int sec_projects(bilat_db *db, const struct cctx *c, json_t *sections,
                        struct bilat_err *err)
{
    static const struct tcol ycols[] = {
        {"year", "Year", TCOL_YEAR},           {"recipient", "Recipient", TCOL_TEXT},
        {"flow_class", "Flow class", TCOL_TEXT}, {"projects", "Projects", TCOL_INT},
        {"with_amount", "With an amount", TCOL_INT}, {"usd_2017", "USD (constant 2017)", TCOL_NUM},
        {"source_id", "Source", TCOL_SOURCE},
    };
    json_t *t = table_new("finance_projects_by_year", "Finance projects by year",
                          "Chinese financial diplomacy projects (AidData) between the two sides' "
                          "countries, by year and flow class: projects, how many give an amount, "
                          "and the sum of those amounts in constant 2017 USD.",
                          ycols, sizeof(ycols) / sizeof(ycols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "stacked_bar", "x", "year",
                              "stack", "flow_class", "y", "projects", "title",
                              "Finance projects per year by flow class");
    int rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(db, t,
                           "SELECT year, recipient, coalesce(flow_class, 'not given'), count(*), "
                           "count(usd_2017), round(sum(usd_2017), 2), group_concat(DISTINCT "
                           "source_id) FROM finance_project " PROJECT_WHERE
                           "GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
                           bind_ctx, c, err);
    if (rc == 0)
        rc = table_note(t, "A project without an amount is counted, not valued: the sum covers "
                           "the projects with one. AidData's project list covers 2000-2017 and "
                           "the recipients of its public diplomacy dataset.");
    BILAT_TRY(table_append_take(sections, t, rc, err));

    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},          {"project_id", "Project", TCOL_TEXT},
        {"recipient", "Recipient", TCOL_TEXT}, {"title", "Title", TCOL_TEXT},
        {"category", "Category", TCOL_TEXT},  {"flow", "Flow", TCOL_TEXT},
        {"flow_class", "Flow class", TCOL_TEXT}, {"status", "Status", TCOL_TEXT},
        {"amount", "Amount", TCOL_NUM},       {"currency", "Currency", TCOL_TEXT},
        {"usd_current", "USD (current)", TCOL_NUM}, {"usd_2017", "USD (constant 2017)", TCOL_NUM},
        {"description", "Description", TCOL_TEXT}, {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},
    };
    t = table_new("finance_projects", "Finance projects",
                  "Every project with its type, flow, amounts (missing stays missing) and the "
                  "source's description.",
                  cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    rc = json_object_set_new(t, "detail", json_true()) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(db, t,
                           "SELECT year, project_id, recipient, title, category, flow, "
                           "flow_class, status, amount, currency, usd_current, usd_2017, "
                           "description, source_id, locator FROM finance_project " PROJECT_WHERE
                           "ORDER BY year, CAST(project_id AS INTEGER), project_id",
                           bind_ctx, c, err);
    return table_append_take(sections, t, rc, err);
}

static int sec_economy(bilat_db *db, const struct cctx *c, json_t *sections,
                       struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},
        {"country", "Country", TCOL_TEXT},
        {"partner", "Partner", TCOL_TEXT},
        {"finance_usd_2021", "Official finance committed (USD 2021)", TCOL_NUM},
        {"finance_oda_usd_2021", "of which ODA-like", TCOL_NUM},
        {"fd_projects", "Financial diplomacy projects", TCOL_INT},
        {"fd_usd_2017", "Their amounts (USD 2017)", TCOL_NUM},
        {"debt_usd", "Debt owed to partner (USD)", TCOL_NUM},
        {"debt_pct_gdp", "Debt owed, % of GDP", TCOL_NUM},
        {"trade_usd", "Goods trade (USD)", TCOL_NUM},
        {"exports_usd", "Exports to partner (USD)", TCOL_NUM},
        {"imports_usd", "Imports from partner (USD)", TCOL_NUM},
        {"source_id", "Sources", TCOL_SOURCE},
    };
    json_t *t = table_new("economy_by_year", "Finance, debt and trade by year",
                          "One row per year and direction (country receiving from, owing to or "
                          "trading with its partner): official finance committed (AidData GCDF "
                          "3.0), financial diplomacy projects (AidData), the debt stock owed "
                          "(Horn, Reinhart and Trebesch) and goods trade (UN Comtrade, as "
                          "reported by China), where the sources give them.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:[s,s], s:s}", "type", "multi_lines", "x", "year",
                              "y", "finance_usd_2021", "series", "country", "partner", "title",
                              "Official finance committed per year (USD 2021)");
    int rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    /* One pass per part, joined by (country, partner, year): the finance sum over every source,
     * the first source's value of each other figure (min(source_id) picks its row), the
     * projects, and the sources in order (a window, whose ORDER BY group_concat keeps). */
    if (rc == 0)
        rc = table_add_sql(
            db, t,
            "WITH ind AS (SELECT country, partner, CAST(period AS INTEGER) AS y, name, value, "
            "source_id FROM indicator WHERE dataset = 'series' AND length(period) = 4 AND "
            "((country = :ac AND partner = :bc) OR (country = :bc AND partner = :ac)) AND name "
            "IN ('finance_oda', 'finance_oof', 'finance_vague', 'debt_to_partner', "
            "'debt_to_partner_gdp', 'trade_total', 'exports', 'imports') AND "
            "CAST(period AS INTEGER) BETWEEN :from AND :to),\n"
            "fp AS (SELECT recipient AS country, donor AS partner, year AS y, count(*) AS n, "
            "round(sum(usd_2017), 2) AS usd, group_concat(DISTINCT source_id) AS src FROM "
            "finance_project " PROJECT_WHERE "GROUP BY 1, 2, 3),\n"
            "k AS (SELECT DISTINCT country, partner, y FROM ind UNION SELECT country, partner, y "
            "FROM fp),\n"
            "fin AS (SELECT country, partner, y, sum(value) AS v FROM ind WHERE name IN "
            "('finance_oda', 'finance_oof', 'finance_vague') GROUP BY 1, 2, 3),\n"
            "one AS (SELECT country, partner, y, name, value, min(source_id) FROM ind GROUP BY 1, "
            "2, 3, 4),\n"
            "iv AS (SELECT country, partner, y, max(CASE name WHEN 'finance_oda' THEN value END) "
            "AS oda, max(CASE name WHEN 'debt_to_partner' THEN value END) AS debt, max(CASE name "
            "WHEN 'debt_to_partner_gdp' THEN value END) AS debt_gdp, max(CASE name WHEN "
            "'trade_total' THEN value END) AS trade, max(CASE name WHEN 'exports' THEN value END) "
            "AS ex, max(CASE name WHEN 'imports' THEN value END) AS im FROM one GROUP BY 1, 2, "
            "3),\n"
            "src AS (SELECT DISTINCT country, partner, y, group_concat(s, ',') OVER (PARTITION BY "
            "country, partner, y ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED "
            "FOLLOWING) AS s FROM (SELECT country, partner, y, source_id AS s FROM ind WHERE value "
            "IS NOT NULL UNION SELECT country, partner, y, src FROM fp))\n"
            "SELECT k.y, k.country, k.partner, fin.v, iv.oda, fp.n, fp.usd, iv.debt, iv.debt_gdp, "
            "iv.trade, iv.ex, iv.im, src.s FROM k LEFT JOIN fin USING (country, partner, y) LEFT "
            "JOIN iv USING (country, partner, y) LEFT JOIN fp USING (country, partner, y) LEFT "
            "JOIN src USING (country, partner, y) ORDER BY k.country, k.partner, k.y",
            bind_ctx, c, err);
    static const char *const notes[] = {
        "Official finance committed is the sum of the ODA-like, OOF-like and vague flows of "
        "GCDF 3.0 (projects recommended for aggregates); a year the source lists with 0 is 0.",
        "Figures from the raw series only (one value per source and year: a second source of the "
        "same figure would be listed under Sources and shown in 'Indicator values'); debt and "
        "trade are read from files that are not shipped (bilat load --external DIR) and are null "
        "without them.",
    };
    for (size_t i = 0; rc == 0 && i < sizeof(notes) / sizeof(notes[0]); i++)
        rc = table_note(t, notes[i]);
    return table_append_take(sections, t, rc, err);
}

int contacts_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, json_t *sections, struct bilat_err *err)
{
    struct cctx c = {a, b, from, to};
    BILAT_TRY(dyad_events_prepare(db, a, b, err));
    BILAT_TRY(sec_contacts(db, &c, sections, err));
    BILAT_TRY(sec_records(db, &c, sections, err));
    /* finance and trade are between states: a party or a person has none of its own */
    if (a->is_country && b->is_country) {
        BILAT_TRY(sec_projects(db, &c, sections, err));
        BILAT_TRY(sec_economy(db, &c, sections, err));
    }
    return 0;
}
