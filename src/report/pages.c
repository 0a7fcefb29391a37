/*
 * pages.c: the web server's HTML pages (bilat_page_render(), docs/API.md): the dyad chooser,
 * the profile of any dyad with a period selector, the claims, the events table with filters
 * and paging, the clusters behind a figure, partners compared, the self-contained report, and
 * the two static files (CSS and a small script).
 *
 * Pages render the same sections as the report (report/html.c), with links into the API for
 * downloads and into the events page for drill-down. The script only improves what works
 * without it: the period form submits itself when a year is chosen, and chart values show in a
 * tooltip as soon as the pointer is on a mark. Every piece of user data passes through
 * report/escape.c; what the store lists comes from analytics/listings.c, whose queries fail
 * rather than stop short, so a page is whole or an error.
 */
#include "analytics/claims.h"
#include "analytics/compare.h"
#include "analytics/evdrill.h"
#include "analytics/listings.h"
#include "analytics/partners.h"
#include "analytics/profile.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "report/escape.h"
#include "report/html.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const char page_css[] =
    ".top{background:#1d232a;color:#fff;padding:8px 28px;font-size:14px}"
    ".top a{color:#fff;margin-right:18px;text-decoration:none}.top a.home{font-weight:700}\n"
    "form.bar{display:flex;flex-wrap:wrap;gap:10px;align-items:end;margin:14px 0;"
    "padding:10px 12px;background:#f4f6f8;border-radius:6px;font-size:14px}\n"
    "form.bar label{display:flex;flex-direction:column;gap:2px;color:#5b6670;font-size:12px}\n"
    "form.bar select,form.bar input{font-size:14px;padding:3px 6px}\n"
    "form.bar button{font-size:14px;padding:4px 14px}\n"
    ".pager{margin:12px 0;font-size:14px}.pager a,.pager span{margin-right:10px}\n"
    ".tip{position:fixed;pointer-events:none;background:#1d232a;color:#fff;font-size:12px;"
    "padding:3px 7px;border-radius:4px;z-index:10;display:none;max-width:360px}\n"
    "ul.dyads{columns:2;font-size:14px}\n";

static const char app_js[] =
    "// bilat pages: the period form submits itself, chart values show at once on hover.\n"
    "(function () {\n"
    "  'use strict';\n"
    "  document.querySelectorAll('form[data-auto] select').forEach(function (s) {\n"
    "    s.addEventListener('change', function () { s.form.submit(); });\n"
    "  });\n"
    "  var tip = document.createElement('div');\n"
    "  tip.className = 'tip';\n"
    "  document.body.appendChild(tip);\n"
    "  document.addEventListener('mouseover', function (e) {\n"
    "    var t = e.target.closest ? e.target.closest('svg [data-value], svg [data-weight], "
    "svg [data-node]') : null;\n"
    "    var title = t && t.querySelector('title');\n"
    "    if (!title) { tip.style.display = 'none'; return; }\n"
    "    tip.textContent = title.textContent;\n"
    "    tip.style.display = 'block';\n"
    "  });\n"
    "  document.addEventListener('mousemove', function (e) {\n"
    "    tip.style.left = (e.clientX + 12) + 'px';\n"
    "    tip.style.top = (e.clientY + 12) + 'px';\n"
    "  });\n"
    "})();\n";

static int esc(struct bilat_buf *b, const char *s)
{
    return html_escape(b, s);
}

/* The request's parameter `name` as sent, or NULL. */
static const char *arg(const struct bilat_page_opts *o, const char *name)
{
    return o->param ? o->param(o->param_ctx, name) : NULL;
}

/*
 * The head of every page: the CSS and the script from the server (the CSP allows no inline
 * script), an empty icon (no favicon request), and the top bar.
 */
static int page_open(struct bilat_buf *b, const char *title)
{
    BILAT_TRY(bilat_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\">\n<title>"));
    BILAT_TRY(esc(b, title));
    BILAT_TRY(bilat_buf_adds(b, " - bilat</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                          "<link rel=\"stylesheet\" href=\"/static/bilat.css\">\n"
                          "<script src=\"/static/app.js\" defer></script>\n</head>\n<body>\n"
                          "<div class=\"top\"><a class=\"home\" href=\"/\">bilat</a>"
                          "<a href=\"/claims\">Claims</a><a href=\"/events\">Events</a>"
                          "<a href=\"/compare\">Compare</a><a href=\"/api/health\">API</a>"
                          "</div>\n<main>\n"));
    return 0;
}

/* The end of every page. */
static int page_close(struct bilat_buf *b)
{
    return bilat_buf_adds(b, "<footer>bilat " BILAT_VERSION ": figures as their sources give "
                             "them; every table can be downloaded as CSV and JSON.</footer>\n"
                             "</main>\n</body>\n</html>\n");
}

/* <option>s of every actor and of the countries with data, states first. */
static int actor_options(bilat_db *db, struct bilat_buf *b, const char *selected,
                         struct bilat_err *err)
{
    json_t *sec = NULL;
    BILAT_TRY(listing_choices(db, &sec, err));
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(json_object_get(sec, "rows"), i, row)
    {
        const char *code = json_string_value(json_array_get(row, 0));
        if (rc == 0)
            rc = bilat_buf_adds(b, "<option value=\"");
        if (rc == 0)
            rc = esc(b, code);
        if (rc == 0)
            rc = bilat_buf_adds(b, selected && code && strcmp(selected, code) == 0 ? "\" selected>"
                                                                                  : "\">");
        if (rc == 0)
            rc = esc(b, json_string_value(json_array_get(row, 1)));
        if (rc == 0)
            rc = bilat_buf_adds(b, " (");
        if (rc == 0)
            rc = esc(b, code);
        if (rc == 0)
            rc = bilat_buf_adds(b, ")</option>");
    }
    json_decref(sec);
    return rc;
}

/* One dyad of the home page's list (a row of listing_dyads: a, b, records, a's and b's names). */
static int dyad_item(struct bilat_buf *b, const json_t *row)
{
    BILAT_TRY(bilat_buf_adds(b, "<li><a href=\"/profile?a="));
    BILAT_TRY(html_id(b, json_string_value(json_array_get(row, 0))));
    BILAT_TRY(bilat_buf_adds(b, "&amp;b="));
    BILAT_TRY(html_id(b, json_string_value(json_array_get(row, 1))));
    BILAT_TRY(bilat_buf_adds(b, "\">"));
    BILAT_TRY(esc(b, json_string_value(json_array_get(row, 3))));
    BILAT_TRY(bilat_buf_adds(b, " &amp; "));
    BILAT_TRY(esc(b, json_string_value(json_array_get(row, 4))));
    return bilat_buf_addf(b, "</a> (%lld records)</li>\n",
                          (long long)json_integer_value(json_array_get(row, 2)));
}

/* /: choose two actors; the dyads that events join, most records first. */
static int page_home(bilat_db *db, struct bilat_buf *b, struct bilat_err *err)
{
    BILAT_TRY(page_open(b, "Dyads"));
    BILAT_TRY(bilat_buf_adds(b, "<header><h1>bilat</h1><p class=\"sub\">Relations between states "
                                "and political parties over time: choose two actors.</p></header>\n"
                                "<form class=\"bar\" method=\"get\" action=\"/profile\">"
                                "<label>Side A<select name=\"a\">"));
    BILAT_TRY(actor_options(db, b, "KHM", err));
    BILAT_TRY(bilat_buf_adds(b, "</select></label><label>Side B<select name=\"b\">"));
    BILAT_TRY(actor_options(db, b, "CHN", err));
    BILAT_TRY(bilat_buf_adds(b, "</select></label><button type=\"submit\">Profile</button></form>\n"
                                "<h2>Dyads with records</h2>\n<ul class=\"dyads\">\n"));
    /* the pairs of countries that events join, most records first */
    json_t *sec = NULL;
    BILAT_TRY(listing_dyads(db, 40, &sec, err));
    size_t i;
    json_t *row;
    int rc = 0;
    json_array_foreach(json_object_get(sec, "rows"), i, row)
    {
        if (rc == 0)
            rc = dyad_item(b, row);
    }
    json_decref(sec);
    BILAT_TRY(rc);
    BILAT_TRY(bilat_buf_adds(b, "</ul>\n"));
    return page_close(b);
}

/* <option>s for a year selector: "all" and every year of the store's records. */
static int year_options(bilat_db *db, struct bilat_buf *b, int selected, struct bilat_err *err)
{
    int64_t lo = 0, hi = 0;
    BILAT_TRY(listing_years(db, &lo, &hi, err));
    if (lo < 1900 || lo > 2100)
        lo = 1990;
    if (hi < lo || hi > 2100)
        hi = lo;
    BILAT_TRY(bilat_buf_addf(b, "<option value=\"\"%s>all</option>", selected ? "" : " selected"));
    for (int64_t y = lo; y <= hi; y++)
        BILAT_TRY(bilat_buf_addf(b, "<option value=\"%lld\"%s>%lld</option>", (long long)y,
                                 y == selected ? " selected" : "", (long long)y));
    return 0;
}

/*
 * The profile of a dyad; it states the command that writes the same profile as a report.
 */
static int profile_doc(bilat_db *db, const char *a, const char *b, int from, int to,
                       json_t **doc_out, struct bilat_err *err)
{
    char command[200];
    snprintf(command, sizeof(command), "bilat report %s %s%s%.0d%s%.0d -o %s-%s.html", a, b,
             from ? " --from " : "", from, to ? " --to " : "", to, a, b);
    struct bilat_profile_opts po = {
        .a = a, .b = b, .from = from, .to = to, .command = command, .keep = 1};
    return profile_build(db, &po, doc_out, err);
}

/* The profile's period form, with links to the report, the events and the BibTeX. */
static int period_form(bilat_db *db, struct bilat_buf *buf, const struct bilat_page_opts *o,
                       struct bilat_err *err)
{
    const char *a = o->a, *b = o->b;
    int from = o->from, to = o->to;
    BILAT_TRY(bilat_buf_adds(buf, "<form class=\"bar period\" data-auto method=\"get\" "
                                  "action=\"/profile\"><input type=\"hidden\" name=\"a\" "
                                  "value=\""));
    BILAT_TRY(esc(buf, a));
    BILAT_TRY(bilat_buf_adds(buf, "\"><input type=\"hidden\" name=\"b\" value=\""));
    BILAT_TRY(esc(buf, b));
    BILAT_TRY(bilat_buf_adds(buf, "\"><label>From<select name=\"from\" id=\"from\">"));
    BILAT_TRY(year_options(db, buf, from, err));
    BILAT_TRY(bilat_buf_adds(buf, "</select></label><label>To<select name=\"to\" id=\"to\">"));
    BILAT_TRY(year_options(db, buf, to, err));
    return bilat_buf_addf(buf,
                          "</select></label><button type=\"submit\">Show</button>"
                          "<a href=\"/report?a=%s&amp;b=%s%s%.0d%s%.0d\">self-contained "
                          "report</a> <a href=\"/events?a=%s&amp;b=%s\">events</a> "
                          "<a href=\"/api/cite?a=%s&amp;b=%s\">BibTeX</a></form>\n",
                          a, b, from ? "&amp;from=" : "", from, to ? "&amp;to=" : "", to, a, b, a,
                          b);
}

/*
 * /profile: the profile of a dyad with the period form; downloads go to the API, a year's
 * bar to the events page.
 */
static int page_profile(bilat_db *db, const struct bilat_page_opts *o, struct bilat_buf *buf,
                        struct bilat_err *err)
{
    const char *a = o->a, *b = o->b;
    int from = o->from, to = o->to;
    json_t *doc = NULL;
    BILAT_TRY(profile_doc(db, a, b, from, to, &doc, err));
    char title[300];
    snprintf(title, sizeof(title), "%s and %s",
             json_string_value(json_object_get(json_object_get(doc, "a"), "name")),
             json_string_value(json_object_get(json_object_get(doc, "b"), "name")));
    struct html_opts ho = {.downloads = 1, .anchor_prefix = ""};
    char base[200], years[200];
    snprintf(base, sizeof(base), "/api/profile?a=%s&b=%s%s%.0d%s%.0d", a, b, from ? "&from=" : "",
             from, to ? "&to=" : "", to);
    snprintf(years, sizeof(years), "/events?a=%s&b=%s&year=", a, b);
    ho.download_base = base;
    ho.year_href = years;
    ho.clusters_href = "/clusters";
    snprintf(ho.prefix, sizeof(ho.prefix), "%s-%s", a, b);
    int rc = page_open(buf, title);
    if (rc == 0)
        rc = period_form(db, buf, o, err);
    if (rc == 0)
        rc = html_render_body(buf, doc, &ho);
    if (rc == 0)
        rc = page_close(buf);
    json_decref(doc);
    return rc;
}

/* /claims: the claims with their verdicts, checks, evidence and sources. */
static int page_claims(bilat_db *db, const struct bilat_page_opts *o, struct bilat_buf *buf,
                       struct bilat_err *err)
{
    struct bilat_claims_opts co = {.a = o->a, .b = o->b};
    json_t *doc = NULL;
    struct bilat_claims_summary sum;
    BILAT_TRY(claims_build(db, &co, &doc, &sum, err));
    int rc;
    struct html_opts ho = {.downloads = 1, .anchor_prefix = ""};
    snprintf(ho.prefix, sizeof(ho.prefix), "claims");
    rc = page_open(buf, "Claims");
    if (rc == 0)
        rc = bilat_buf_addf(buf,
                            "<header><h1>The brief's claims, checked</h1><p class=\"sub\">%zu "
                            "claims: %zu supported, %zu contradicted, %zu not checkable with "
                            "the data, %zu failed to run.</p><div class=\"meta\">JSON: <a "
                            "href=\"/api/claims\">/api/claims</a></div></header>\n",
                            sum.claims, sum.supported, sum.contradicted, sum.not_checkable,
                            sum.errors);
    size_t i;
    json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), i, sec) if (rc == 0) rc =
        html_render_section(buf, doc, sec, &ho);
    if (rc == 0)
        rc = html_render_sources(buf, doc, &ho);
    if (rc == 0)
        rc = page_close(buf);
    json_decref(doc);
    return rc;
}

/* A link to the events page with the request's filters and another page number. */
static int page_link(const struct bilat_page_opts *o, struct bilat_buf *b, long page)
{
    static const char *const keep[] = {"a", "b", "channel", "mode", "level", "origin",
                                       "from", "to", "year", "q", "per_page"};
    BILAT_TRY(bilat_buf_adds(b, "/events?"));
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        const char *v = arg(o, keep[i]);
        if (!v || !*v)
            continue;
        BILAT_TRY(bilat_buf_addf(b, "%s=", keep[i]));
        BILAT_TRY(uri_encode(b, v, strlen(v)));
        BILAT_TRY(bilat_buf_adds(b, "&amp;"));
    }
    return bilat_buf_addf(b, "page=%ld", page);
}

/*
 * A filter <select> of the vocabulary's values (or the origins in the store), keeping the
 * request's choice.
 */
static int select_vocab(bilat_db *db, const struct bilat_page_opts *o, struct bilat_buf *b,
                        const char *field, struct bilat_err *err)
{
    const char *cur = arg(o, field);
    BILAT_TRY(bilat_buf_addf(b, "<label>%c%s<select name=\"%s\"><option value=\"\">any</option>",
                             (char)toupper((unsigned char)field[0]), field + 1, field));
    json_t *values = NULL;
    BILAT_TRY(listing_values(db, field, &values, err));
    size_t i;
    json_t *jv;
    int rc = 0;
    json_array_foreach(values, i, jv)
    {
        const char *v = json_string_value(jv);
        if (rc == 0)
            rc = bilat_buf_adds(b, "<option");
        if (rc == 0 && cur && v && strcmp(cur, v) == 0)
            rc = bilat_buf_adds(b, " selected");
        if (rc == 0)
            rc = bilat_buf_adds(b, ">");
        if (rc == 0)
            rc = esc(b, v);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</option>");
    }
    json_decref(values);
    BILAT_TRY(rc);
    return bilat_buf_adds(b, "</select></label>");
}

/* /events: the events that match the filters, a page at a time, each with its source. */
static int page_events(bilat_db *db, const struct bilat_page_opts *o, struct bilat_buf *b,
                       struct bilat_err *err)
{
    if (!o->events)
        return bilat_fail(err, BILAT_EINVAL, "the events page needs a query");
    json_t *doc = NULL;
    BILAT_TRY(listing_events(db, o->events, &doc, err));
    int rc;
    rc = page_open(b, "Events");
    if (rc == 0)
        rc = bilat_buf_adds(b, "<header><h1>Events</h1><p class=\"sub\">Curated, coded and "
                               "event-file records, with their sources.</p></header>\n"
                               "<form class=\"bar\" method=\"get\" action=\"/events\">");
    static const char *const texts[] = {"a", "b", "from", "to", "q"};
    static const char *const labels[] = {"Side A", "Side B", "From", "To", "Text"};
    for (size_t i = 0; rc == 0 && i < 5; i++) {
        const char *v = arg(o, texts[i]);
        rc = bilat_buf_addf(b, "<label>%s<input name=\"%s\" size=\"%d\" value=\"", labels[i],
                            texts[i], i == 4 ? 16 : 6);
        if (rc == 0)
            rc = esc(b, v ? v : "");
        if (rc == 0)
            rc = bilat_buf_adds(b, "\"></label>");
    }
    static const char *const vocab[] = {"channel", "mode", "level", "origin"};
    for (size_t i = 0; rc == 0 && i < 4; i++)
        rc = select_vocab(db, o, b, vocab[i], err);
    if (rc == 0)
        rc = bilat_buf_adds(b, "<button type=\"submit\">Filter</button></form>\n");
    long long total = json_integer_value(json_object_get(doc, "total"));
    long page = (long)json_integer_value(json_object_get(doc, "page"));
    long pages = (long)json_integer_value(json_object_get(doc, "pages"));
    if (rc == 0)
        rc = bilat_buf_addf(b, "<p class=\"pager\"><b id=\"total\">%lld</b> events; page %ld of "
                               "%ld",
                            total, page, pages ? pages : 1);
    if (rc == 0 && page > 1) {
        rc = bilat_buf_adds(b, " <a rel=\"prev\" href=\"");
        if (rc == 0)
            rc = page_link(o, b, page - 1);
        if (rc == 0)
            rc = bilat_buf_adds(b, "\">previous</a>");
    }
    if (rc == 0 && page < pages) {
        rc = bilat_buf_adds(b, " <a rel=\"next\" href=\"");
        if (rc == 0)
            rc = page_link(o, b, page + 1);
        if (rc == 0)
            rc = bilat_buf_adds(b, "\">next</a>");
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</p>\n<table class=\"events\"><thead><tr><th>Date</th>"
                               "<th>Who</th><th>What happened</th><th>Channel, mode, level</th>"
                               "<th>Source</th></tr></thead><tbody>\n");
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(doc, "events"), i, ev)
    {
        if (rc < 0)
            break;
#define F(k) json_string_value(json_object_get(ev, k))
        struct html_event e = {.from = F("date_from"),
                               .to = F("date_to"),
                               .source = F("source_name"),
                               .target = F("target_name"),
                               .quantity = json_object_get(ev, "quantity"),
                               .unit = F("unit"),
                               .note = F("note")};
        rc = bilat_buf_adds(b, "<tr><td class=\"date\">");
        if (rc == 0)
            rc = html_event_cells(b, &e);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td><td>");
        static const char *const tags[] = {"channel", "mode", "level", "origin"};
        for (size_t k = 0; rc == 0 && k < 4; k++)
            rc = html_escape_between(b, "<span class=\"tag\">", F(tags[k]), "</span> ");
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td><td class=\"src\">");
        if (rc == 0)
            rc = esc(b, F("source_id"));
        if (rc == 0)
            rc = html_escape_between(b, "<br><span class=\"loc\">", F("locator"), "</span>");
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td></tr>\n");
#undef F
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</tbody></table>\n");
    if (rc == 0)
        rc = page_close(b);
    json_decref(doc);
    return rc;
}

/* The request's clusters parameters as a query string (for the JSON link), HTML-escaped. */
static int clusters_query(const struct bilat_page_opts *o, struct bilat_buf *b)
{
    static const char *const params[] = {"a",  "b",    "month", "day",    "year",  "from",
                                         "to", "quad", "root",  "origin", "dedup", NULL};
    int first = 1;
    for (const char *const *k = params; *k; k++) {
        const char *v = arg(o, *k);
        if (!v || !*v)
            continue;
        BILAT_TRY(bilat_buf_addf(b, "%s%s=", first ? "" : "&amp;", *k));
        BILAT_TRY(uri_encode(b, v, strlen(v)));
        first = 0;
    }
    return 0;
}

/* One cluster as a table row: date, who, what, rows, sources (links) and event ids. */
static int cluster_row(struct bilat_buf *b, const json_t *cl)
{
#define F(k) json_string_value(json_object_get(cl, k))
    static const char *const quads[] = {"", "verbal cooperation", "material cooperation",
                                        "verbal conflict", "material conflict"};
    BILAT_TRY(bilat_buf_adds(b, "<tr><td class=\"date\">"));
    BILAT_TRY(esc(b, F("date")));
    BILAT_TRY(bilat_buf_adds(b, "</td><td>"));
    BILAT_TRY(esc(b, F("actor1") ? F("actor1") : "?"));
    BILAT_TRY(bilat_buf_adds(b, " &#8594; "));
    BILAT_TRY(esc(b, F("actor2") ? F("actor2") : "?"));
    BILAT_TRY(bilat_buf_adds(b, "<br><span class=\"loc\">"));
    BILAT_TRY(esc(b, F("actor1_country") ? F("actor1_country") : ""));
    if (F("actor1_type")) {
        BILAT_TRY(bilat_buf_addch(b, ' '));
        BILAT_TRY(esc(b, F("actor1_type")));
    }
    BILAT_TRY(bilat_buf_adds(b, " &#8594; "));
    BILAT_TRY(esc(b, F("actor2_country") ? F("actor2_country") : ""));
    if (F("actor2_type")) {
        BILAT_TRY(bilat_buf_addch(b, ' '));
        BILAT_TRY(esc(b, F("actor2_type")));
    }
    BILAT_TRY(bilat_buf_adds(b, "</span></td><td><span class=\"tag cameo\" title=\"CAMEO event "
                          "code\">"));
    BILAT_TRY(esc(b, F("event_code") ? F("event_code") : ""));
    BILAT_TRY(bilat_buf_adds(b, "</span>"));
    json_int_t q = json_integer_value(json_object_get(cl, "quad"));
    if (q >= 1 && q <= 4)
        BILAT_TRY(bilat_buf_addf(b, " <span class=\"tag\">%s</span>", quads[q]));
    const json_t *g = json_object_get(cl, "goldstein");
    if (json_is_number(g)) {
        BILAT_TRY(bilat_buf_adds(b, " Goldstein "));
        BILAT_TRY(html_number(b, json_number_value(g)));
    }
    BILAT_TRY(bilat_buf_addf(b, "</td><td class=\"n\">%lld</td><td class=\"url\">",
                       (long long)json_integer_value(json_object_get(cl, "rows"))));
    size_t i;
    const json_t *m;
    int shown = 0;
    json_array_foreach(json_object_get(cl, "members"), i, m)
    {
        const char *u = json_string_value(json_object_get(m, "url"));
        if (!u)
            continue;
        /* a URL once per cluster, however many rows cite it */
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) {
            const char *p = json_string_value(
                json_object_get(json_array_get(json_object_get(cl, "members"), k), "url"));
            seen = p && strcmp(p, u) == 0;
        }
        if (seen)
            continue;
        BILAT_TRY(bilat_buf_adds(b, shown++ ? "<br>" : ""));
        BILAT_TRY(html_url(b, u, " rel=\"noreferrer\""));
    }
    BILAT_TRY(bilat_buf_adds(b, "</td><td class=\"src\">"));
    json_array_foreach(json_object_get(cl, "members"), i, m)
    {
        const char *id = json_string_value(json_object_get(m, "event_id"));
        BILAT_TRY(bilat_buf_adds(b, i ? " " : ""));
        BILAT_TRY(esc(b, id ? id : "?"));
    }
    BILAT_TRY(bilat_buf_adds(b, "<br><span class=\"loc\">"));
    BILAT_TRY(esc(b, F("file")));
    return bilat_buf_adds(b, "</span></td></tr>\n");
#undef F
}

/*
 * /clusters: the deduplicated clusters behind a figure of the event data (a row of the
 * profile's event tables), with their sources, read again from the ingested files.
 */
static int page_clusters(const struct bilat_page_opts *o, struct bilat_buf *b,
                         struct bilat_err *err)
{
    if (!o->clusters)
        return bilat_fail(err, BILAT_EINVAL, "the clusters page needs clusters");
    json_t *doc = ev_clusters_doc(o->clusters);
    if (!doc)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    const json_t *tot = json_object_get(doc, "totals"), *cube = json_object_get(doc, "cube");
#define S(o, k) json_string_value(json_object_get(o, k))
#define I(o, k) (long long)json_integer_value(json_object_get(o, k))
    char title[160];
    snprintf(title, sizeof(title), "Clusters: %s and %s", S(doc, "a"), S(doc, "b"));
    int rc = page_open(b, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "<header><h1>");
    if (rc == 0)
        rc = esc(b, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "</h1><p class=\"sub\">Events between the two countries, either "
                               "direction, ");
    if (rc == 0)
        rc = esc(b, S(doc, "from"));
    if (rc == 0)
        rc = bilat_buf_adds(b, " to ");
    if (rc == 0)
        rc = esc(b, S(doc, "to"));
    if (rc == 0 && json_is_integer(json_object_get(doc, "quad")))
        rc = bilat_buf_addf(b, ", quad class %lld", I(doc, "quad"));
    if (rc == 0 && S(doc, "root")) {
        rc = bilat_buf_adds(b, ", root code ");
        if (rc == 0)
            rc = esc(b, S(doc, "root"));
    }
    if (rc == 0)
        rc = bilat_buf_addf(b, ": the deduplicated clusters behind the figure, each with its "
                               "rows' sources.</p>\n<div class=\"meta\"><b id=\"rows\">%lld"
                               "</b> rows in <b id=\"clusters\">%lld</b> clusters, from %lld "
                               "file%s read and <b id=\"skipped\">%lld</b> skipped; the event "
                               "cube counts %lld events, %lld after deduplication. "
                               "<a href=\"/api/clusters?",
                            I(tot, "rows"), I(tot, "clusters"), I(tot, "read"),
                            I(tot, "read") == 1 ? "" : "s", I(tot, "skipped"),
                            I(cube, "events"), I(cube, "events_dedup"));
    if (rc == 0)
        rc = clusters_query(o, b);
    if (rc == 0)
        rc = bilat_buf_adds(b, "\">JSON</a></div></header>\n");
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(doc, "files"), i, f)
    {
        if (rc < 0 || !S(f, "note"))
            continue;
        /* a file skipped or read in part is named, never passed over in silence */
        rc = bilat_buf_adds(b, "<p class=\"notes caveat\">");
        if (rc == 0)
            rc = esc(b, S(f, "path"));
        if (rc == 0)
            rc = bilat_buf_adds(b, ": ");
        if (rc == 0)
            rc = esc(b, S(f, "note"));
        if (rc == 0)
            rc = bilat_buf_adds(b, strcmp(S(f, "status"), "read") ? ": skipped.</p>\n"
                                                                  : ".</p>\n");
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "<table class=\"events clusters\"><thead><tr><th>Date</th>"
                               "<th>Who</th><th>What</th><th>Rows</th><th>Sources</th>"
                               "<th>Event ids, file</th></tr></thead><tbody>\n");
    const json_t *cl;
    json_array_foreach(json_object_get(doc, "clusters"), i, cl)
    {
        if (rc < 0)
            break;
        rc = cluster_row(b, cl);
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</tbody></table>\n");
    if (rc == 0 && json_array_size(json_object_get(doc, "clusters")) == 0)
        rc = bilat_buf_adds(b, "<p class=\"notes\">No rows.</p>\n");
    if (rc == 0)
        rc = page_close(b);
#undef S
#undef I
    json_decref(doc);
    return rc;
}

/* The sides compared by default: the ASEAN bloc when the store has it, else those of the
 * brief's comparison that the store knows. */
static int default_sides(bilat_db *db, char *out, size_t len, struct bilat_err *err)
{
    int bloc = 0;
    out[0] = '\0';
    BILAT_TRY(listing_has_bloc(db, "ASEAN", &bloc, err));
    if (bloc) {
        snprintf(out, len, "ASEAN");
        return 0;
    }
    static const char *const want[] = {"KHM", "LAO", "VNM"};
    for (size_t i = 0; i < 3; i++) {
        int has = 0;
        BILAT_TRY(listing_has_country(db, want[i], &has, err));
        if (has)
            snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? "," : "", want[i]);
    }
    return 0;
}

/* The compare page's heading and its form: the sides `av` and the partner `b` over `period`. */
static int compare_header(struct bilat_buf *buf, const char *av, const char *b,
                          const json_t *period)
{
    BILAT_TRY(bilat_buf_addf(
        buf,
        "<header><h1>Partners of %s compared</h1><p class=\"sub\">Each dimension on its own, "
        "with its sources, its intervals where the measure has one, and the records behind every "
        "value: no composite index. %lld-%lld.</p></header>\n<form class=\"bar\" method=\"get\" "
        "action=\"/compare\"><label>Sides (comma-separated, or a bloc)<input name=\"a\" "
        "size=\"34\" value=\"",
        b, (long long)json_integer_value(json_object_get(period, "from")),
        (long long)json_integer_value(json_object_get(period, "to"))));
    BILAT_TRY(esc(buf, av));
    BILAT_TRY(
        bilat_buf_adds(buf, "\"></label><label>Partner<input name=\"b\" size=\"6\" value=\""));
    BILAT_TRY(esc(buf, b));
    return bilat_buf_adds(buf, "\"></label><button type=\"submit\">Compare</button></form>\n");
}

/*
 * /compare: several partners of B side by side on every dimension the store holds (bilat
 * compare): one section per dimension, its sides ranked on a shared axis scaled to the data,
 * after the yearly UN agreement of each. By default China's ASEAN partners.
 */
static int page_compare(bilat_db *db, const struct bilat_page_opts *o, struct bilat_buf *buf,
                        struct bilat_err *err)
{
    const char *av = o->sides;
    const char *b = o->b ? o->b : "CHN";
    char list[512], dflt[64];
    if (!av || !*av) {
        BILAT_TRY(default_sides(db, dflt, sizeof(dflt), err));
        av = dflt;
    }
    snprintf(list, sizeof(list), "%s", av);
    const char *as[16];
    size_t na = 0;
    for (char *p = list; p && *p && na < 16;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        for (char *q = p; *q; q++)
            *q = (char)toupper((unsigned char)*q);
        as[na++] = p;
        p = comma ? comma + 1 : NULL;
    }
    struct bilat_compare_opts co = {.a = as, .na = na, .b = b, .from = o->from, .to = o->to};
    json_t *doc = NULL;
    BILAT_TRY(compare_partners(db, &co, &doc, err));
    /* the yearly agreement of every side first: the period behind the pooled figures */
    json_t *sides = json_object_get(doc, "sides");
    const char *cs[40];
    size_t nc = 0;
    size_t k;
    json_t *sv;
    json_array_foreach(sides, k, sv) if (nc < 40) cs[nc++] = json_string_value(sv);
    json_t *yearly = NULL;
    json_t *period = json_object_get(doc, "period");
    int rc = compare_votes(db, cs, nc, b,
                           (int)json_integer_value(json_object_get(period, "from")),
                           (int)json_integer_value(json_object_get(period, "to")),
                           BILAT_VOTE_AGREE, &yearly, err);
    if (rc < 0) {
        json_decref(doc);
        return rc;
    }
    if (json_array_insert_new(json_object_get(doc, "sections"), 0, yearly) < 0)
        rc = BILAT_ENOMEM;
    struct html_opts ho = {.downloads = 1, .anchor_prefix = ""};
    snprintf(ho.prefix, sizeof(ho.prefix), "compare-%s", b);
    if (rc == 0)
        rc = page_open(buf, "Compare");
    if (rc == 0)
        rc = compare_header(buf, av, b, period);
    json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), k, sec)
    {
        if (rc == 0)
            rc = html_render_section(buf, doc, sec, &ho);
    }
    if (rc == 0)
        rc = page_close(buf);
    json_decref(doc);
    return rc;
}

/* /report: the self-contained report, as `bilat report` writes it. */
static int page_report(bilat_db *db, const struct bilat_page_opts *o, struct bilat_buf *buf,
                       struct bilat_err *err)
{
    json_t *doc = NULL;
    BILAT_TRY(profile_doc(db, o->a, o->b, o->from, o->to, &doc, err));
    int rc = html_render_report(buf, doc);
    json_decref(doc);
    return rc;
}

int bilat_page_render(bilat_db *db, enum bilat_page page, const struct bilat_page_opts *o,
                      char **html_out, struct bilat_err *err)
{
    *html_out = NULL;
    bool dyad = page == BILAT_PAGE_PROFILE || page == BILAT_PAGE_REPORT;
    if (dyad && (!o->a || !o->b))
        return bilat_fail(err, BILAT_EINVAL, "choose two actors");
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc;
    switch (page) {
    case BILAT_PAGE_HOME: rc = page_home(db, &b, err); break;
    case BILAT_PAGE_PROFILE: rc = page_profile(db, o, &b, err); break;
    case BILAT_PAGE_CLAIMS: rc = page_claims(db, o, &b, err); break;
    case BILAT_PAGE_EVENTS: rc = page_events(db, o, &b, err); break;
    case BILAT_PAGE_CLUSTERS: rc = page_clusters(o, &b, err); break;
    case BILAT_PAGE_COMPARE: rc = page_compare(db, o, &b, err); break;
    case BILAT_PAGE_REPORT: rc = page_report(db, o, &b, err); break;
    default: rc = bilat_fail(err, BILAT_EINVAL, "no page %d", (int)page);
    }
    if (rc < 0) {
        bilat_buf_release(&b);
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
    }
    *html_out = bilat_buf_detach(&b, NULL);
    return *html_out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

int bilat_page_static(const char *name, char **out, const char **type_out,
                      struct bilat_err *err)
{
    *out = NULL;
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc;
    if (strcmp(name, "bilat.css") == 0) {
        /* the report's CSS and the pages' own rules, served as one file */
        *type_out = "text/css; charset=utf-8";
        rc = bilat_buf_adds(&b, html_css());
        if (rc == 0)
            rc = bilat_buf_adds(&b, page_css);
    } else if (strcmp(name, "app.js") == 0) {
        /* the pages' one script (progressive: every page works without it) */
        *type_out = "text/javascript; charset=utf-8";
        rc = bilat_buf_adds(&b, app_js);
    } else {
        return bilat_fail(err, BILAT_ENOTFOUND, "no static file '%.60s'", name);
    }
    if (rc == 0)
        *out = bilat_buf_detach(&b, NULL);
    bilat_buf_release(&b);
    return *out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}
