/*
 * pages.c: the web server's HTML pages: the dyad chooser, the profile of any dyad with a
 * period selector, the claims, the events table with filters and paging, dyads compared on
 * the same axes, the self-contained report, and the two static files (CSS and a small script).
 *
 * Pages render the same sections as the report (report/html.c), with links into the API for
 * downloads and into the events page for drill-down. The script only improves what works
 * without it: the period form submits itself when a year is chosen, and chart values show in a
 * tooltip as soon as the pointer is on a mark. Every piece of user data passes through
 * report/escape.c.
 */
#include "analytics/claims.h"
#include "analytics/compare.h"
#include "analytics/partners.h"
#include "analytics/profile.h"
#include "core/alloc.h"
#include "core/err.h"
#include "http/server.h"
#include "report/escape.h"
#include "report/html.h"
#include "store/db.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int pages_rc_ = (expr);                                                                    \
        if (pages_rc_ < 0)                                                                         \
            return pages_rc_;                                                                      \
    } while (0)

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

/*
 * The head of every page: the CSS and the script from the server (the CSP allows no inline
 * script), an empty icon (no favicon request), and the top bar.
 */
static int page_open(struct bilat_buf *b, const char *title)
{
    TRY(bilat_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, "
                          "initial-scale=1\">\n<title>"));
    TRY(esc(b, title));
    TRY(bilat_buf_adds(b, " - bilat</title>\n<link rel=\"icon\" href=\"data:,\">\n"
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

/* Mark the response as a 200 HTML page. */
static int html_page(struct resp *o)
{
    o->status = 200;
    o->type = "text/html; charset=utf-8";
    return 0;
}

/* <option>s of every actor and of the countries with data, states first. */
static int actor_options(struct req *r, struct bilat_buf *b, const char *selected)
{
    sqlite3_stmt *st = NULL;
    struct bilat_err err = {0};
    TRY(store_prepare(r->db,
                      "SELECT code, name FROM (SELECT code, name, kind FROM actor UNION SELECT "
                      "iso3, name, 'state' FROM country WHERE iso3 IN (SELECT country FROM "
                      "un_vote UNION SELECT country FROM indicator)) ORDER BY kind = 'state' "
                      "DESC, name",
                      &st, &err));
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 0);
        rc = bilat_buf_adds(b, "<option value=\"");
        if (rc == 0)
            rc = esc(b, code);
        if (rc == 0)
            rc = bilat_buf_adds(b, selected && strcmp(selected, code) == 0 ? "\" selected>" : "\">");
        if (rc == 0)
            rc = esc(b, (const char *)sqlite3_column_text(st, 1));
        if (rc == 0)
            rc = bilat_buf_adds(b, " (");
        if (rc == 0)
            rc = esc(b, code);
        if (rc == 0)
            rc = bilat_buf_adds(b, ")</option>");
    }
    sqlite3_finalize(st);
    return rc;
}

/* GET /: choose two actors; the dyads that events join, most records first. */
static int page_home(struct req *r, struct resp *o)
{
    struct bilat_buf *b = &o->body;
    TRY(page_open(b, "Dyads"));
    TRY(bilat_buf_adds(b, "<header><h1>bilat</h1><p class=\"sub\">Relations between states and "
                          "political parties over time: choose two actors.</p></header>\n"
                          "<form class=\"bar\" method=\"get\" action=\"/profile\">"
                          "<label>Side A<select name=\"a\">"));
    TRY(actor_options(r, b, "KHM"));
    TRY(bilat_buf_adds(b, "</select></label><label>Side B<select name=\"b\">"));
    TRY(actor_options(r, b, "CHN"));
    TRY(bilat_buf_adds(b, "</select></label><button type=\"submit\">Profile</button></form>\n"
                          "<h2>Dyads with records</h2>\n<ul class=\"dyads\">\n"));
    /* the pairs of countries that events join, most records first */
    sqlite3_stmt *st = NULL;
    struct bilat_err err = {0};
    TRY(store_prepare(r->db,
                      "SELECT min(s.country, t.country), max(s.country, t.country), count(*), "
                      "(SELECT name FROM country WHERE iso3 = min(s.country, t.country)), "
                      "(SELECT name FROM country WHERE iso3 = max(s.country, t.country)) "
                      "FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t "
                      "ON t.id = e.tgt_actor_id WHERE s.country <> t.country GROUP BY 1, 2 "
                      "ORDER BY 3 DESC, 1, 2 LIMIT 40",
                      &st, &err));
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *x = (const char *)sqlite3_column_text(st, 0);
        const char *y = (const char *)sqlite3_column_text(st, 1);
        rc = bilat_buf_adds(b, "<li><a href=\"/profile?a=");
        if (rc == 0)
            rc = html_id(b, x);
        if (rc == 0)
            rc = bilat_buf_adds(b, "&amp;b=");
        if (rc == 0)
            rc = html_id(b, y);
        if (rc == 0)
            rc = bilat_buf_adds(b, "\">");
        if (rc == 0)
            rc = esc(b, (const char *)sqlite3_column_text(st, 3));
        if (rc == 0)
            rc = bilat_buf_adds(b, " &amp; ");
        if (rc == 0)
            rc = esc(b, (const char *)sqlite3_column_text(st, 4));
        if (rc == 0)
            rc = bilat_buf_addf(b, "</a> (%lld records)</li>\n",
                                (long long)sqlite3_column_int64(st, 2));
    }
    sqlite3_finalize(st);
    TRY(rc);
    TRY(bilat_buf_adds(b, "</ul>\n"));
    TRY(page_close(b));
    return html_page(o);
}

/* <option>s for a year selector: "all" and every year of the store's records. */
static int year_options(struct req *r, struct bilat_buf *b, int selected)
{
    int64_t lo = 0, hi = 0;
    struct bilat_err err = {0};
    TRY(store_query_int(r->db,
                        "SELECT min(y) FROM (SELECT CAST(substr(min(date_from), 1, 4) AS INTEGER) "
                        "AS y FROM event UNION ALL SELECT CAST(substr(min(period), 1, 4) AS "
                        "INTEGER) FROM indicator)",
                        NULL, &lo, &err));
    TRY(store_query_int(r->db,
                        "SELECT max(y) FROM (SELECT CAST(substr(max(coalesce(date_to, "
                        "date_from)), 1, 4) AS INTEGER) AS y FROM event UNION ALL SELECT "
                        "CAST(substr(max(period), 1, 4) AS INTEGER) FROM indicator)",
                        NULL, &hi, &err));
    if (lo < 1900 || lo > 2100)
        lo = 1990;
    if (hi < lo || hi > 2100)
        hi = lo;
    TRY(bilat_buf_addf(b, "<option value=\"\"%s>all</option>", selected ? "" : " selected"));
    for (int64_t y = lo; y <= hi; y++)
        TRY(bilat_buf_addf(b, "<option value=\"%lld\"%s>%lld</option>", (long long)y,
                           y == selected ? " selected" : "", (long long)y));
    return 0;
}

/*
 * The profile of a dyad; it states the command that writes the same profile as a report. 0 with
 * *doc_out NULL when `o` holds an error response instead.
 */
static int profile_doc(struct req *r, struct resp *o, const char *a, const char *b, int from,
                       int to, json_t **doc_out)
{
    char command[200];
    snprintf(command, sizeof(command), "bilat report %s %s%s%.0d%s%.0d -o %s-%s.html", a, b,
             from ? " --from " : "", from, to ? " --to " : "", to, a, b);
    struct bilat_profile_opts po = {a, b, from, to, command};
    struct bilat_err err = {0};
    int rc = profile_build(r->db, &po, doc_out, &err);
    return rc < 0 ? http_fail(r, o, rc, &err) : 0;
}

/*
 * GET /profile: the profile of a dyad with the period form; downloads go to the API, a year's
 * bar to the events page. The whole page is cached like the JSON.
 */
static int page_profile(struct req *r, struct resp *o)
{
    char a[32], b[32];
    int from, to;
    if (http_code(r, o, "a", a, false) < 0 || http_code(r, o, "b", b, false) < 0 ||
        http_year(r, o, "from", &from) < 0 || http_year(r, o, "to", &to) < 0)
        return 0;
    if (!a[0] || !b[0])
        return http_error(r, o, 400, "choose two actors: /profile?a=KHM&b=CHN");
    if (from && to && from > to)
        return http_error(r, o, 400, "'from' (%d) is after 'to' (%d)", from, to);
    char key[160];
    snprintf(key, sizeof(key), "page:profile|%s|%s|%d|%d", a, b, from, to);
    struct cache_entry *e = http_cache_get(r, key);
    if (e) {
        size_t len;
        http_cache_data(e, &len, &o->type);
        o->entry = e;
        o->status = 200;
        return 0;
    }
    if (http_defer(r))
        return HTTP_DEFER;
    json_t *doc = NULL;
    int rc = profile_doc(r, o, a, b, from, to, &doc);
    if (rc < 0 || !doc)
        return rc;
    struct bilat_buf *buf = &o->body;
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
    rc = page_open(buf, title);
    if (rc == 0)
        rc = bilat_buf_adds(buf, "<form class=\"bar period\" data-auto method=\"get\" "
                                 "action=\"/profile\"><input type=\"hidden\" name=\"a\" value=\"");
    if (rc == 0)
        rc = esc(buf, a);
    if (rc == 0)
        rc = bilat_buf_adds(buf, "\"><input type=\"hidden\" name=\"b\" value=\"");
    if (rc == 0)
        rc = esc(buf, b);
    if (rc == 0)
        rc = bilat_buf_adds(buf, "\"><label>From<select name=\"from\" id=\"from\">");
    if (rc == 0)
        rc = year_options(r, buf, from);
    if (rc == 0)
        rc = bilat_buf_adds(buf, "</select></label><label>To<select name=\"to\" id=\"to\">");
    if (rc == 0)
        rc = year_options(r, buf, to);
    if (rc == 0)
        rc = bilat_buf_addf(buf,
                            "</select></label><button type=\"submit\">Show</button>"
                            "<a href=\"/report?a=%s&amp;b=%s%s%.0d%s%.0d\">self-contained "
                            "report</a> <a href=\"/events?a=%s&amp;b=%s\">events</a> "
                            "<a href=\"/api/cite?a=%s&amp;b=%s\">BibTeX</a></form>\n",
                            a, b, from ? "&amp;from=" : "", from, to ? "&amp;to=" : "", to, a, b,
                            a, b);
    if (rc == 0)
        rc = html_render_body(buf, doc, &ho);
    if (rc == 0)
        rc = page_close(buf);
    json_decref(doc);
    TRY(rc);
    html_page(o);
    size_t len = o->body.len;
    char *data = bilat_buf_detach(&o->body, NULL);
    if (!data)
        return BILAT_ENOMEM;
    o->entry = http_cache_put(r, key, data, len, o->type);
    return o->entry ? 0 : BILAT_ENOMEM;
}

/* GET /claims: the claims with their verdicts, checks, evidence and sources. */
static int page_claims(struct req *r, struct resp *o)
{
    char a[32], b[32];
    if (http_pair(r, o, a, b) < 0)
        return 0;
    if (http_defer(r))
        return HTTP_DEFER;
    struct bilat_claims_opts co = {.a = a[0] ? a : NULL, .b = b[0] ? b : NULL};
    json_t *doc = NULL;
    struct bilat_claims_summary sum;
    struct bilat_err err = {0};
    int rc = claims_build(r->db, &co, &doc, &sum, &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    struct bilat_buf *buf = &o->body;
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
    TRY(rc);
    return html_page(o);
}

/* A link to the events page with the request's filters and another page number. */
static int page_link(struct req *r, struct bilat_buf *b, long page)
{
    static const char *const keep[] = {"a", "b", "channel", "mode", "level", "origin",
                                       "from", "to", "year", "q", "per_page"};
    TRY(bilat_buf_adds(b, "/events?"));
    for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
        const char *v = http_arg(r, keep[i]);
        if (!v || !*v)
            continue;
        TRY(bilat_buf_addf(b, "%s=", keep[i]));
        TRY(uri_encode(b, v, strlen(v)));
        TRY(bilat_buf_adds(b, "&amp;"));
    }
    return bilat_buf_addf(b, "page=%ld", page);
}

/*
 * A filter <select> of the vocabulary's values (or the origins in the store), keeping the
 * request's choice.
 */
static int select_vocab(struct req *r, struct bilat_buf *b, const char *field)
{
    const char *cur = http_arg(r, field);
    TRY(bilat_buf_addf(b, "<label>%c%s<select name=\"%s\"><option value=\"\">any</option>",
                       (char)toupper((unsigned char)field[0]), field + 1, field));
    sqlite3_stmt *st = NULL;
    struct bilat_err err = {0};
    if (strcmp(field, "origin") == 0)
        TRY(store_prepare(r->db, "SELECT DISTINCT origin FROM event ORDER BY 1", &st, &err));
    else
        TRY(store_prepare(r->db, "SELECT value FROM vocabulary WHERE field = ?1 ORDER BY value",
                          &st, &err));
    if (strcmp(field, "origin") != 0)
        store_bind_text(st, 1, field, -1);
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        rc = bilat_buf_adds(b, "<option");
        if (rc == 0 && cur && strcmp(cur, v) == 0)
            rc = bilat_buf_adds(b, " selected");
        if (rc == 0)
            rc = bilat_buf_adds(b, ">");
        if (rc == 0)
            rc = esc(b, v);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</option>");
    }
    sqlite3_finalize(st);
    TRY(rc);
    return bilat_buf_adds(b, "</select></label>");
}

/* GET /events: the events that match the filters, a page at a time, each with its source. */
static int page_events(struct req *r, struct resp *o)
{
    json_t *doc = NULL;
    int rc = http_events_doc(r, o, &doc);
    if (rc < 0 || !doc)
        return rc;
    struct bilat_buf *b = &o->body;
    rc = page_open(b, "Events");
    if (rc == 0)
        rc = bilat_buf_adds(b, "<header><h1>Events</h1><p class=\"sub\">Curated, coded and "
                               "event-file records, with their sources.</p></header>\n"
                               "<form class=\"bar\" method=\"get\" action=\"/events\">");
    static const char *const texts[] = {"a", "b", "from", "to", "q"};
    static const char *const labels[] = {"Side A", "Side B", "From", "To", "Text"};
    for (size_t i = 0; rc == 0 && i < 5; i++) {
        const char *v = http_arg(r, texts[i]);
        rc = bilat_buf_addf(b, "<label>%s<input name=\"%s\" size=\"%d\" value=\"", labels[i],
                            texts[i], i == 4 ? 16 : 6);
        if (rc == 0)
            rc = esc(b, v ? v : "");
        if (rc == 0)
            rc = bilat_buf_adds(b, "\"></label>");
    }
    static const char *const vocab[] = {"channel", "mode", "level", "origin"};
    for (size_t i = 0; rc == 0 && i < 4; i++)
        rc = select_vocab(r, b, vocab[i]);
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
            rc = page_link(r, b, page - 1);
        if (rc == 0)
            rc = bilat_buf_adds(b, "\">previous</a>");
    }
    if (rc == 0 && page < pages) {
        rc = bilat_buf_adds(b, " <a rel=\"next\" href=\"");
        if (rc == 0)
            rc = page_link(r, b, page + 1);
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
        rc = bilat_buf_adds(b, "<tr><td class=\"date\">");
        if (rc == 0)
            rc = esc(b, F("date_from"));
        if (rc == 0 && F("date_to")) {
            rc = bilat_buf_adds(b, "&#8211;");
            if (rc == 0)
                rc = esc(b, F("date_to"));
        }
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td><td>");
        if (rc == 0)
            rc = esc(b, F("source_name"));
        if (rc == 0 && F("target_name")) {
            rc = bilat_buf_adds(b, " &#8594; ");
            if (rc == 0)
                rc = esc(b, F("target_name"));
        }
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td><td>");
        const json_t *q = json_object_get(ev, "quantity");
        if (rc == 0 && json_is_number(q)) {
            rc = bilat_buf_adds(b, "<b>");
            if (rc == 0)
                rc = html_number(b, json_number_value(q));
            if (rc == 0)
                rc = bilat_buf_addch(b, ' ');
            if (rc == 0)
                rc = esc(b, F("unit"));
            if (rc == 0)
                rc = bilat_buf_adds(b, "</b>: ");
        }
        if (rc == 0)
            rc = esc(b, F("note"));
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td><td>");
        static const char *const tags[] = {"channel", "mode", "level", "origin"};
        for (size_t k = 0; rc == 0 && k < 4; k++) {
            if (!F(tags[k]))
                continue;
            rc = bilat_buf_adds(b, "<span class=\"tag\">");
            if (rc == 0)
                rc = esc(b, F(tags[k]));
            if (rc == 0)
                rc = bilat_buf_adds(b, "</span> ");
        }
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td><td class=\"src\">");
        if (rc == 0)
            rc = esc(b, F("source_id"));
        if (rc == 0 && F("locator")) {
            rc = bilat_buf_adds(b, "<br><span class=\"loc\">");
            if (rc == 0)
                rc = esc(b, F("locator"));
            if (rc == 0)
                rc = bilat_buf_adds(b, "</span>");
        }
        if (rc == 0)
            rc = bilat_buf_adds(b, "</td></tr>\n");
#undef F
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</tbody></table>\n");
    if (rc == 0)
        rc = page_close(b);
    json_decref(doc);
    TRY(rc);
    return html_page(o);
}

/* The request's clusters parameters as a query string (for the JSON link), HTML-escaped. */
static int clusters_query(struct req *r, struct bilat_buf *b)
{
    int first = 1;
    for (const char *const *k = http_clusters_params; *k; k++) {
        const char *v = http_arg(r, *k);
        if (!v || !*v)
            continue;
        TRY(bilat_buf_addf(b, "%s%s=", first ? "" : "&amp;", *k));
        TRY(uri_encode(b, v, strlen(v)));
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
    TRY(bilat_buf_adds(b, "<tr><td class=\"date\">"));
    TRY(esc(b, F("date")));
    TRY(bilat_buf_adds(b, "</td><td>"));
    TRY(esc(b, F("actor1") ? F("actor1") : "?"));
    TRY(bilat_buf_adds(b, " &#8594; "));
    TRY(esc(b, F("actor2") ? F("actor2") : "?"));
    TRY(bilat_buf_adds(b, "<br><span class=\"loc\">"));
    TRY(esc(b, F("actor1_country") ? F("actor1_country") : ""));
    if (F("actor1_type")) {
        TRY(bilat_buf_addch(b, ' '));
        TRY(esc(b, F("actor1_type")));
    }
    TRY(bilat_buf_adds(b, " &#8594; "));
    TRY(esc(b, F("actor2_country") ? F("actor2_country") : ""));
    if (F("actor2_type")) {
        TRY(bilat_buf_addch(b, ' '));
        TRY(esc(b, F("actor2_type")));
    }
    TRY(bilat_buf_adds(b, "</span></td><td><span class=\"tag cameo\" title=\"CAMEO event "
                          "code\">"));
    TRY(esc(b, F("event_code") ? F("event_code") : ""));
    TRY(bilat_buf_adds(b, "</span>"));
    json_int_t q = json_integer_value(json_object_get(cl, "quad"));
    if (q >= 1 && q <= 4)
        TRY(bilat_buf_addf(b, " <span class=\"tag\">%s</span>", quads[q]));
    const json_t *g = json_object_get(cl, "goldstein");
    if (json_is_number(g)) {
        TRY(bilat_buf_adds(b, " Goldstein "));
        TRY(html_number(b, json_number_value(g)));
    }
    TRY(bilat_buf_addf(b, "</td><td class=\"n\">%lld</td><td class=\"url\">",
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
        int safe = strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0;
        TRY(bilat_buf_adds(b, shown++ ? "<br>" : ""));
        if (safe) {
            TRY(bilat_buf_adds(b, "<a href=\""));
            TRY(esc(b, u));
            TRY(bilat_buf_adds(b, "\" rel=\"noreferrer\">"));
        }
        TRY(esc(b, u));
        if (safe)
            TRY(bilat_buf_adds(b, "</a>"));
    }
    TRY(bilat_buf_adds(b, "</td><td class=\"src\">"));
    json_array_foreach(json_object_get(cl, "members"), i, m)
    {
        const char *id = json_string_value(json_object_get(m, "event_id"));
        TRY(bilat_buf_adds(b, i ? " " : ""));
        TRY(esc(b, id ? id : "?"));
    }
    TRY(bilat_buf_adds(b, "<br><span class=\"loc\">"));
    TRY(esc(b, F("file")));
    return bilat_buf_adds(b, "</span></td></tr>\n");
#undef F
}

/*
 * GET /clusters: the deduplicated clusters behind a figure of the event data (a row of the
 * profile's event tables), with their sources, read again from the ingested files.
 */
static int page_clusters(struct req *r, struct resp *o)
{
    json_t *doc = NULL;
    int rc = http_clusters_doc(r, o, &doc);
    if (rc || !doc)
        return rc;
    struct bilat_buf *b = &o->body;
    const json_t *tot = json_object_get(doc, "totals"), *cube = json_object_get(doc, "cube");
#define S(o, k) json_string_value(json_object_get(o, k))
#define I(o, k) (long long)json_integer_value(json_object_get(o, k))
    char title[160];
    snprintf(title, sizeof(title), "Clusters: %s and %s", S(doc, "a"), S(doc, "b"));
    rc = page_open(b, title);
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
        rc = clusters_query(r, b);
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
    TRY(rc);
    return html_page(o);
}

/*
 * GET /compare: several partners of B side by side on every dimension the store holds (bilat
 * compare): one section per dimension, its sides ranked on a shared axis scaled to the data,
 * after the yearly UN agreement of each. By default China's ASEAN partners.
 */
static int page_compare(struct req *r, struct resp *o)
{
    const char *av = http_arg(r, "a");
    char b[32];
    int from, to;
    if (http_code(r, o, "b", b, false) < 0 || http_year(r, o, "from", &from) < 0 ||
        http_year(r, o, "to", &to) < 0)
        return 0;
    char list[HTTP_MAX_PARAM_LEN + 1], dflt[64] = "";
    if (!av || !*av) {
        /* China's ASEAN partners, or those of the brief's comparison the store knows */
        int64_t bloc = 0;
        struct bilat_err qerr = {0};
        if (store_query_int(r->db, "SELECT count(*) FROM bloc WHERE bloc = ?1", "ASEAN", &bloc,
                            &qerr) == 0 && bloc)
            snprintf(dflt, sizeof(dflt), "ASEAN");
        static const char *const want[] = {"KHM", "LAO", "VNM"};
        for (size_t i = 0; !bloc && i < 3; i++) {
            int64_t has = 0;
            if (store_query_int(r->db, "SELECT count(*) FROM country WHERE iso3 = ?1", want[i],
                                &has, &qerr) == 0 && has)
                snprintf(dflt + strlen(dflt), sizeof(dflt) - strlen(dflt), "%s%s",
                         dflt[0] ? "," : "", want[i]);
        }
        av = dflt;
    }
    snprintf(list, sizeof(list), "%s", av);
    if (!b[0])
        snprintf(b, sizeof(b), "CHN");
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
    if (http_defer(r))
        return HTTP_DEFER;
    struct bilat_compare_opts co = {.a = as, .na = na, .b = b, .from = from, .to = to};
    json_t *doc = NULL;
    struct bilat_err err = {0};
    int rc = compare_partners(r->db, &co, &doc, &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    /* the yearly agreement of every side first: the period behind the pooled figures */
    json_t *sides = json_object_get(doc, "sides");
    const char *cs[40];
    size_t nc = 0;
    size_t k;
    json_t *sv;
    json_array_foreach(sides, k, sv) if (nc < 40) cs[nc++] = json_string_value(sv);
    json_t *yearly = NULL;
    json_t *period = json_object_get(doc, "period");
    rc = compare_votes(r->db, cs, nc, b, (int)json_integer_value(json_object_get(period, "from")),
                       (int)json_integer_value(json_object_get(period, "to")), BILAT_VOTE_AGREE,
                       &yearly, &err);
    if (rc < 0) {
        json_decref(doc);
        return http_fail(r, o, rc, &err);
    }
    if (json_array_insert_new(json_object_get(doc, "sections"), 0, yearly) < 0)
        rc = BILAT_ENOMEM;
    struct bilat_buf *buf = &o->body;
    struct html_opts ho = {.downloads = 1, .anchor_prefix = ""};
    snprintf(ho.prefix, sizeof(ho.prefix), "compare-%s", b);
    if (rc == 0)
        rc = page_open(buf, "Compare");
    if (rc == 0)
        rc = bilat_buf_addf(buf,
                            "<header><h1>Partners of %s compared</h1><p class=\"sub\">Each "
                            "dimension on its own, with its sources, its intervals where the "
                            "measure has one, and the records behind every value: no composite "
                            "index. %lld-%lld.</p></header>\n<form class=\"bar\" method=\"get\" "
                            "action=\"/compare\"><label>Sides (comma-separated, or a bloc)<input "
                            "name=\"a\" size=\"34\" value=\"",
                            b, (long long)json_integer_value(json_object_get(period, "from")),
                            (long long)json_integer_value(json_object_get(period, "to")));
    if (rc == 0)
        rc = esc(buf, av);
    if (rc == 0)
        rc = bilat_buf_adds(buf, "\"></label><label>Partner<input name=\"b\" size=\"6\" value=\"");
    if (rc == 0)
        rc = esc(buf, b);
    if (rc == 0)
        rc = bilat_buf_adds(buf, "\"></label><button type=\"submit\">Compare</button></form>\n");
    json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), k, sec)
    {
        if (rc == 0)
            rc = html_render_section(buf, doc, sec, &ho);
    }
    if (rc == 0)
        rc = page_close(buf);
    json_decref(doc);
    TRY(rc);
    return html_page(o);
}

/* GET /report: the self-contained report, as `bilat report` writes it. */
static int page_report(struct req *r, struct resp *o)
{
    char a[32], b[32];
    int from, to;
    if (http_code(r, o, "a", a, false) < 0 || http_code(r, o, "b", b, false) < 0 ||
        http_year(r, o, "from", &from) < 0 || http_year(r, o, "to", &to) < 0)
        return 0;
    if (!a[0] || !b[0])
        return http_error(r, o, 400, "choose two actors: /report?a=KHM&b=CHN");
    if (http_defer(r))
        return HTTP_DEFER;
    json_t *doc = NULL;
    int rc = profile_doc(r, o, a, b, from, to, &doc);
    if (rc < 0 || !doc)
        return rc;
    rc = html_render_report(&o->body, doc);
    json_decref(doc);
    TRY(rc);
    return html_page(o);
}

/* The report's CSS and the pages' own rules, served as one file. */
static int static_css(struct req *r, struct resp *o)
{
    (void)r;
    o->status = 200;
    o->type = "text/css; charset=utf-8";
    TRY(bilat_buf_adds(&o->body, html_css()));
    return bilat_buf_adds(&o->body, page_css);
}

/* The pages' one script (progressive: every page works without it). */
static int static_js(struct req *r, struct resp *o)
{
    (void)r;
    o->status = 200;
    o->type = "text/javascript; charset=utf-8";
    return bilat_buf_adds(&o->body, app_js);
}

static const char *const p_none[] = {NULL};
static const char *const p_dyad[] = {"a", "b", "from", "to", NULL};
static const char *const p_pair[] = {"a", "b", NULL};

const struct route http_page_routes[] = {
    {"GET", "/", page_home, p_none, false},
    {"GET", "/profile", page_profile, p_dyad, false},
    {"GET", "/claims", page_claims, p_pair, false},
    {"GET", "/events", page_events, http_events_params, false},
    {"GET", "/clusters", page_clusters, http_clusters_params, false},
    {"GET", "/compare", page_compare, p_dyad, false},
    {"GET", "/report", page_report, p_dyad, false},
    {"GET", "/static/bilat.css", static_css, p_none, false},
    {"GET", "/static/app.js", static_js, p_none, false},
    {NULL, NULL, NULL, NULL, false},
};
