/*
 * html.c: the self-contained HTML report (bilat_profile_render(), format HTML).
 *
 * The report renders the profile document (analytics/profile.h) section by section: title,
 * description, the chart its "chart" member asks for (drawn by report/svg.c: stacked_bar,
 * lines, multi_lines, bars, network; an unknown type gets the table only), the table, notes,
 * and links that download the section's data as CSV and JSON; then the list of sources, each
 * with an anchor that every "source" cell links to. The claims section comes right after the
 * summary: the verdict table, and for every claim how its verdict follows, its check and its
 * evidence rows with their sources.
 *
 * Drill-down: a year's bar links to that year in the timeline (or, on the web server, to the
 * events page filtered to the year); a claim's measured value links to its evidence.
 *
 * One file, inline CSS, no scripts, fonts or network requests (downloads are data: URIs),
 * readable on screen and on paper. All user text goes through report/escape.c.
 */
#include "report/html.h"

#include "analytics/profile.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/err.h"
#include "core/file.h"
#include "report/escape.h"
#include "report/svg.h"
#include "report/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char css[] =
    ":root{--fg:#1d232a;--muted:#5b6670;--line:#d8dde2;--bg:#fff;--accent:#2c6fbb}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;"
    "color:var(--fg);background:var(--bg);margin:0}\n"
    "main{max-width:1100px;margin:0 auto;padding:24px 28px 64px}\n"
    "header h1{font-size:28px;margin:8px 0 4px}\n"
    "header .sub{color:var(--muted);margin:0 0 12px}\n"
    ".meta{font-size:13px;color:var(--muted);border-left:3px solid var(--line);padding-left:10px}\n"
    ".meta code{font-size:12px}\n"
    "nav{margin:18px 0;font-size:14px}nav a{margin-right:14px;color:var(--accent)}\n"
    "section{margin:34px 0;page-break-inside:auto}\n"
    "h2{font-size:20px;border-bottom:2px solid var(--line);padding-bottom:4px;margin:0 0 8px}\n"
    ".desc{color:var(--muted);margin:4px 0 12px}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}\n"
    "th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#f4f6f8;font-weight:600}\n"
    "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.na{color:var(--muted);text-align:right}\n"
    ".notes{font-size:13px;color:var(--muted)}\n"
    "details summary{cursor:pointer;color:var(--accent);font-size:14px;margin:6px 0}\n"
    "svg.chart{width:100%;height:auto;max-width:760px;display:block}\n"
    "svg.small{max-width:360px}svg.dots{max-width:560px}\n"
    ".ov-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}"
    ".ov-grid figure{margin:0}.ov-grid svg{max-width:100%}"
    ".ov-grid figcaption{font-size:12px;font-weight:600}\n"
    ".grid-charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));"
    "gap:14px}\n"
    ".grid{stroke:#e4e8ec;stroke-width:1}.axis{stroke:#8a949e;stroke-width:1}\n"
    ".yl{font-size:11px;fill:#5b6670;text-anchor:end}"
    ".xl{font-size:11px;fill:#5b6670;text-anchor:middle}\n"
    ".lg{font-size:12px;fill:#1d232a}.ct{font-size:12px;font-weight:600;fill:#1d232a}"
    ".cu{font-size:11px;fill:#5b6670}\n"
    ".ln{fill:none;stroke:#2c6fbb;stroke-width:2}.pt{fill:#2c6fbb}"
    ".miss{font-size:12px;fill:#c0392b;text-anchor:middle}\n"
    "svg rect:hover,svg circle:hover{opacity:.75}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:10px 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:180px}\n"
    ".card .v{font-size:24px;font-weight:600}.card .l{font-size:13px;color:var(--muted)}\n"
    "ol.sources li{margin:6px 0;font-size:14px}ol.sources li:target{background:#fff6d5}\n"
    "a{color:var(--accent)}\n"
    "table.events td.date{white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "td.url{word-break:break-all;font-size:12px}\n"
    "table.events td.src{font-size:12px;white-space:nowrap}.loc{color:var(--muted)}\n"
    ".tag{display:inline-block;font-size:11px;padding:0 6px;margin-left:4px;border-radius:8px;"
    "background:#eef2f6;color:#44505c}.tag.cameo{background:#f6f0e6}\n"
    "footer{margin-top:48px;font-size:12px;color:var(--muted)}\n"
    ".dl{font-size:12px;color:var(--muted);margin:4px 0}.dl a{margin-left:6px}\n"
    ".vd{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:9px;"
    "white-space:nowrap}\n"
    ".v-supported{background:#e3f1e4;color:#1e5e22}.v-contradicted{background:#f9e0de;"
    "color:#8e2219}\n"
    ".v-restates{background:#eef0f2;color:#5a4a1e;border:1px dashed #a89868}"
    ".v-not-shown{background:#f3eee0;color:#6a5a2a}.why{font-size:.8em;color:#5a4a1e}"
    ".v-not-checkable{background:#eef0f2;color:#44505c}.v-error{background:#fff1c9;"
    "color:#7a5b00}\n"
    "table.claims td.c{max-width:520px}table.claims tr.part td:first-child{padding-left:26px}\n"
    "table.claims tr.group td{border-top:2px solid var(--line);font-weight:600}\n"
    ".claim{border-left:3px solid var(--line);padding:2px 0 2px 12px;margin:14px 0}"
    ".claim p{margin:4px 0}.claim:target{background:#fff6d5}\n"
    ".claim-details code{font-size:12px;white-space:pre-wrap;word-break:break-word}\n"
    ".caveat{color:#7a5b00}\n"
    ".mln{fill:none;stroke-width:2}.edge{stroke:#8a949e;stroke-opacity:.55}"
    ".node.na{fill:#2c6fbb}.node.nb{fill:#c0392b}\n"
    ".nl{font-size:11px;fill:#1d232a}.sh{font-size:13px;font-weight:600;fill:#1d232a}\n"
    "svg.network{max-width:760px}\n"
    "@media print{nav,.dl{display:none}main{max-width:none;padding:0}"
    "details{display:block}section{page-break-inside:avoid}}\n";

const char *html_css(void)
{
    return css;
}

/* The many appends below forward a failure with core/err.h's BILAT_TRY, named short. */
#define TRY BILAT_TRY

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* s, or NULL when it is empty (for html_escape_between()). */
static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

static int esc(struct bilat_buf *b, const char *s)
{
    return html_escape(b, s);
}

int html_url(struct bilat_buf *b, const char *url, const char *attrs)
{
    int safe = strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0;
    if (!safe)
        return esc(b, url);
    TRY(bilat_buf_adds(b, "<a href=\""));
    TRY(esc(b, url));
    TRY(bilat_buf_addf(b, "\"%s>", attrs));
    TRY(esc(b, url));
    return bilat_buf_adds(b, "</a>");
}

/* A source citation line. */
static int cite(struct bilat_buf *b, const json_t *src)
{
    const char *au = str(src, "author"), *ti = str(src, "title"), *pu = str(src, "publisher");
    const char *da = str(src, "date");
    if (*au) {
        TRY(esc(b, au));
        TRY(bilat_buf_addf(b, "%s ", full_stop(au)));
    }
    TRY(bilat_buf_adds(b, "<cite>"));
    TRY(esc(b, ti));
    TRY(bilat_buf_addf(b, "</cite>%s", full_stop(ti)));
    if (*pu) {
        TRY(bilat_buf_addch(b, ' '));
        TRY(esc(b, pu));
        TRY(bilat_buf_adds(b, full_stop(pu)));
    }
    if (*da) {
        TRY(bilat_buf_addch(b, ' '));
        TRY(esc(b, da));
        TRY(bilat_buf_adds(b, full_stop(da)));
    }
    if (*str(src, "url")) {
        TRY(bilat_buf_addch(b, ' '));
        TRY(html_url(b, str(src, "url"), ""));
    }
    TRY(html_escape_between(b, " Licence: ", nonempty(str(src, "license")), "."));
    TRY(html_escape_between(b, " <span class=\"notes\">", nonempty(str(src, "note")), "</span>"));
    return 0;
}

/* Links to the sources list for one id or a comma-separated list of ids. */
static int source_links(struct bilat_buf *b, const char *ids)
{
    for (const char *p = ids; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        char id[128];
        snprintf(id, sizeof(id), "%.*s", (int)l, p);
        if (p != ids)
            TRY(bilat_buf_adds(b, ", "));
        TRY(bilat_buf_adds(b, "<a href=\"#src-"));
        TRY(html_id(b, id));
        TRY(bilat_buf_adds(b, "\">"));
        TRY(esc(b, id));
        TRY(bilat_buf_adds(b, "</a>"));
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int render_cell(struct bilat_buf *b, const json_t *v, const char *type)
{
    if (json_is_null(v) || !v)
        return bilat_buf_adds(b, "<td class=\"na\" title=\"missing\">&#8212;</td>");
    if (strcmp(type, "source") == 0 && json_is_string(v)) {
        TRY(bilat_buf_adds(b, "<td>"));
        TRY(source_links(b, json_string_value(v)));
        return bilat_buf_adds(b, "</td>");
    }
    if (json_is_integer(v)) {
        if (strcmp(type, "year") == 0)
            return bilat_buf_addf(b, "<td class=\"n\">%lld</td>", (long long)json_integer_value(v));
        TRY(bilat_buf_adds(b, "<td class=\"n\">"));
        TRY(html_number(b, (double)json_integer_value(v)));
        return bilat_buf_adds(b, "</td>");
    }
    if (json_is_real(v)) {
        TRY(bilat_buf_adds(b, "<td class=\"n\">"));
        TRY(html_number(b, json_real_value(v)));
        return bilat_buf_adds(b, "</td>");
    }
    const char *t = json_string_value(v);
    if (t && (strncmp(t, "https://", 8) == 0 || strncmp(t, "http://", 7) == 0) &&
        !strpbrk(t, " \t\n")) {
        /* a web address (a GDELT article, a source's page) is a link: a row leads to its text */
        TRY(bilat_buf_adds(b, "<td class=\"url\"><a href=\""));
        TRY(esc(b, t));
        TRY(bilat_buf_adds(b, "\" rel=\"noreferrer\">"));
        TRY(esc(b, t));
        return bilat_buf_adds(b, "</a></td>");
    }
    TRY(bilat_buf_adds(b, "<td>"));
    TRY(esc(b, t));
    return bilat_buf_adds(b, "</td>");
}

/* Columns a section asks views to leave out ("hide"); the JSON and downloads keep them. */
static int hidden(const json_t *sec, const json_t *col)
{
    size_t i;
    const json_t *h;
    json_array_foreach(json_object_get(sec, "hide"), i, h) if (json_is_string(h) &&
                                                              strcmp(json_string_value(h),
                                                                     str(col, "name")) == 0) return 1;
    return 0;
}

enum { HTML_MAX_ROWS = 2000 }; /* rows drawn per table; the downloads have them all */

/*
 * The drill-down of an event-data table ("drill": {"kind": "clusters", "a", "b", "period",
 * "quad", "events"}): each row with events leads to the clusters behind it. On the server, a
 * link to its /clusters page; in the report, which has no server, the `bilat clusters` command
 * that lists them, with the global options of the command that made the report.
 */
struct drill {
    const char *a, *b;     /* the countries */
    const char *period;    /* "month" or "year": the column and the option */
    int iperiod, iquad, ievents; /* columns */
    const char *href;      /* the server's page (html_opts.clusters_href), or NULL */
    char prefix[512];      /* "bilat [--db FILE]" in the report */
};

/* The command's words before " report " ("bilat --db x.db"), or "bilat". */
static void command_prefix(const json_t *doc, char *out, size_t cap)
{
    const char *cmd = json_string_value(json_object_get(doc, "command"));
    const char *rep = cmd && strncmp(cmd, "bilat ", 6) == 0 ? strstr(cmd, " report ") : NULL;
    if (rep && (size_t)(rep - cmd) < cap)
        snprintf(out, cap, "%.*s", (int)(rep - cmd), cmd);
    else
        snprintf(out, cap, "bilat");
}

static int drill_of(const json_t *doc, const json_t *sec, const struct html_opts *o,
                    struct drill *d)
{
    const json_t *dr = json_object_get(sec, "drill");
    if (!dr || strcmp(str(dr, "kind"), "clusters") != 0)
        return 0;
    d->a = str(dr, "a");
    d->b = str(dr, "b");
    d->period = str(dr, "period");
    d->iperiod = table_col(sec, d->period);
    d->iquad = table_col(sec, str(dr, "quad"));
    d->ievents = table_col(sec, str(dr, "events"));
    if (!*d->a || !*d->b || d->iperiod < 0 || d->iquad < 0 || d->ievents < 0 ||
        (strcmp(d->period, "month") != 0 && strcmp(d->period, "year") != 0))
        return 0;
    d->href = o->clusters_href;
    command_prefix(doc, d->prefix, sizeof(d->prefix));
    return 1;
}

/* The drill-down cell of a row: empty when the row has no events. */
static int render_drill(struct bilat_buf *b, const json_t *row, const struct drill *d)
{
    const json_t *ev = json_array_get(row, (size_t)d->ievents);
    const json_t *per = json_array_get(row, (size_t)d->iperiod);
    const json_t *q = json_array_get(row, (size_t)d->iquad);
    if (!json_is_integer(ev) || json_integer_value(ev) <= 0 || !json_is_integer(q) ||
        (!json_is_string(per) && !json_is_integer(per)))
        return bilat_buf_adds(b, "<td></td>");
    char pv[16];
    if (json_is_string(per))
        snprintf(pv, sizeof(pv), "%s", json_string_value(per));
    else
        snprintf(pv, sizeof(pv), "%lld", (long long)json_integer_value(per));
    long long quad = (long long)json_integer_value(q);
    /* the same values in a link to the clusters page, or in the command that lists them */
    struct form {
        const char *open, *a, *b, *period, *eq, *quad, *close;
    };
    static const struct form link = {"<td><a class=\"drill\" href=\"",
                                     "?a=",
                                     "&amp;b=",
                                     "&amp;",
                                     "=",
                                     "&amp;quad=",
                                     "\">clusters</a></td>"};
    static const struct form cmd = {
        "<td class=\"cmd\"><code>", " clusters ", " ", " --", " ", " --quad ", "</code></td>"};
    const struct form *f = d->href ? &link : &cmd;
    TRY(bilat_buf_adds(b, f->open));
    TRY(esc(b, d->href ? d->href : d->prefix));
    TRY(bilat_buf_adds(b, f->a));
    TRY(esc(b, d->a));
    TRY(bilat_buf_adds(b, f->b));
    TRY(esc(b, d->b));
    TRY(bilat_buf_addf(b, "%s%s%s", f->period, d->period, f->eq));
    TRY(esc(b, pv));
    return bilat_buf_addf(b, "%s%lld%s", f->quad, quad, f->close);
}

static int render_table(struct bilat_buf *b, const json_t *sec, const char *cls,
                        const struct drill *dr)
{
    const json_t *cols = json_object_get(sec, "columns"), *rows = json_object_get(sec, "rows");
    size_t i, j;
    const json_t *c, *row;
    TRY(bilat_buf_addf(b, "<table%s%s%s><thead><tr>", cls ? " class=\"" : "", cls ? cls : "",
                       cls ? "\"" : ""));
    json_array_foreach(cols, j, c)
    {
        if (hidden(sec, c))
            continue;
        TRY(bilat_buf_adds(b, "<th>"));
        TRY(esc(b, str(c, "label")));
        TRY(bilat_buf_adds(b, "</th>"));
    }
    if (dr)
        TRY(bilat_buf_adds(b, dr->href ? "<th>Rows behind</th>"
                                       : "<th>Command listing the rows behind</th>"));
    TRY(bilat_buf_adds(b, "</tr></thead>\n<tbody>\n"));
    json_array_foreach(rows, i, row)
    {
        if (i == HTML_MAX_ROWS)
            break;
        TRY(bilat_buf_adds(b, "<tr>"));
        json_array_foreach(cols, j, c) if (!hidden(sec, c))
            TRY(render_cell(b, json_array_get(row, j), str(c, "type")));
        if (dr)
            TRY(render_drill(b, row, dr));
        TRY(bilat_buf_adds(b, "</tr>\n"));
    }
    TRY(bilat_buf_adds(b, "</tbody></table>\n"));
    if (json_array_size(rows) > HTML_MAX_ROWS)
        TRY(bilat_buf_addf(b,
                           "<p class=\"notes\">The first %d of %zu rows; download the data for "
                           "all.</p>\n",
                           HTML_MAX_ROWS, json_array_size(rows)));
    return 0;
}

/* Cell i of a row as text, or NULL. */
static const char *rs(const json_t *row, int i)
{
    return i < 0 ? NULL : json_string_value(json_array_get(row, (size_t)i));
}

int html_event_cells(struct bilat_buf *b, const struct html_event *e)
{
    TRY(esc(b, e->from));
    TRY(html_escape_between(b, "&#8211;", e->to, ""));
    TRY(bilat_buf_adds(b, "</td><td>"));
    TRY(esc(b, e->source));
    TRY(html_escape_between(b, " &#8594; ", e->target, ""));
    TRY(bilat_buf_adds(b, "</td><td>"));
    if (json_is_number(e->quantity)) {
        TRY(bilat_buf_adds(b, "<b>"));
        TRY(html_number(b, json_number_value(e->quantity)));
        TRY(bilat_buf_addch(b, ' '));
        TRY(esc(b, e->unit));
        TRY(bilat_buf_adds(b, "</b>: "));
    }
    return esc(b, e->note);
}

/*
 * Event sections ("view": "events") as a readable timeline: date, who, what (with channel, mode
 * and level as tags), and the source with its locator. The full columns stay in the JSON.
 */
static int render_events(struct bilat_buf *b, const json_t *sec, const char *anchors)
{
    int ifrom = table_col(sec, "date_from"), ito = table_col(sec, "date_to"),
        isrc = table_col(sec, "source"), itgt = table_col(sec, "target"),
        ich = table_col(sec, "channel"), imode = table_col(sec, "mode"),
        ilev = table_col(sec, "level"), iq = table_col(sec, "quantity"),
        iu = table_col(sec, "unit"), inote = table_col(sec, "note"),
        isid = table_col(sec, "source_id"), iloc = table_col(sec, "locator"),
        iref = table_col(sec, "ref"), icam = table_col(sec, "cameo");
    TRY(bilat_buf_adds(b, "<table class=\"events\"><thead><tr><th>Date</th><th>Who</th>"
                          "<th>What happened</th><th>Source</th></tr></thead>\n<tbody>\n"));
    size_t i;
    const json_t *row;
    char year[8] = "";
    const char *prefix = anchors ? anchors : "";
    json_array_foreach(json_object_get(sec, "rows"), i, row)
    {
        TRY(bilat_buf_adds(b, "<tr"));
        if (rs(row, iref)) {
            TRY(bilat_buf_addf(b, " id=\"%sev-", prefix));
            TRY(html_id(b, rs(row, iref)));
            TRY(bilat_buf_addch(b, '"'));
        }
        /* the first record of each year is the target of the year's drill-down links */
        const char *d = rs(row, ifrom);
        TRY(bilat_buf_adds(b, "><td class=\"date\">"));
        if (anchors && d && strlen(d) >= 4 && strncmp(d, year, 4) != 0) {
            snprintf(year, sizeof(year), "%.4s", d);
            TRY(bilat_buf_adds(b, "<span id=\"tl-"));
            TRY(html_id(b, year));
            TRY(bilat_buf_adds(b, "\"></span>"));
        }
        struct html_event e = {.from = rs(row, ifrom),
                               .to = rs(row, ito),
                               .source = rs(row, isrc),
                               .target = rs(row, itgt),
                               .quantity = iq >= 0 ? json_array_get(row, (size_t)iq) : NULL,
                               .unit = rs(row, iu),
                               .note = rs(row, inote)};
        TRY(html_event_cells(b, &e));
        const int tags[] = {ich, imode, ilev};
        for (size_t k = 0; k < 3; k++)
            TRY(html_escape_between(b, " <span class=\"tag\">", rs(row, tags[k]), "</span>"));
        TRY(html_escape_between(b, " <span class=\"tag cameo\" title=\"CAMEO event code\">",
                                rs(row, icam), "</span>"));
        TRY(bilat_buf_adds(b, "</td><td class=\"src\">"));
        if (rs(row, isid)) {
            TRY(bilat_buf_adds(b, "<a href=\"#src-"));
            TRY(html_id(b, rs(row, isid)));
            TRY(bilat_buf_adds(b, "\">"));
            TRY(esc(b, rs(row, isid)));
            TRY(bilat_buf_adds(b, "</a>"));
        }
        TRY(html_escape_between(b, "<br><span class=\"loc\">", rs(row, iloc), "</span>"));
        TRY(bilat_buf_adds(b, "</td></tr>\n"));
    }
    return bilat_buf_adds(b, "</tbody></table>\n");
}

/* Series key of an indicator row for the small multiples. */
static int same_series(const json_t *r1, const json_t *r2, const int *ki, size_t nk)
{
    for (size_t k = 0; k < nk; k++) {
        const char *a = json_string_value(json_array_get(r1, (size_t)ki[k]));
        const char *c = json_string_value(json_array_get(r2, (size_t)ki[k]));
        if ((a == NULL) != (c == NULL) || (a && strcmp(a, c) != 0))
            return 0;
    }
    return 1;
}


/* Is s a plain year "YYYY"? */
static int year_of(const char *s, int *y)
{
    if (!s || strlen(s) != 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    *y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    return 1;
}

/*
 * Small multiples: one line chart per series (rows are ordered by series, then period) with at
 * least two yearly points. Ranges and quarters stay in the table.
 */
static int render_lines(struct bilat_buf *b, const json_t *sec)
{
    const json_t *chart = json_object_get(sec, "chart");
    const json_t *series = json_object_get(chart, "series");
    int ki[8];
    size_t nk = json_array_size(series);
    if (nk == 0 || nk > 8)
        return 0;
    for (size_t k = 0; k < nk; k++)
        if ((ki[k] = table_col(sec, json_string_value(json_array_get(series, k)))) < 0)
            return 0;
    int xi = table_col(sec, str(chart, "x")), yi = table_col(sec, str(chart, "y"));
    int ui = table_col(sec, "unit");
    if (xi < 0 || yi < 0)
        return 0;
    const json_t *rows = json_object_get(sec, "rows");
    size_t n = json_array_size(rows);
    struct svg_point *pts = bilat_calloc(n ? n : 1, sizeof(*pts));
    if (!pts)
        return BILAT_ENOMEM;
    int rc = bilat_buf_adds(b, "<div class=\"grid-charts\">\n");
    size_t start = 0, charts = 0;
    while (rc == 0 && start < n) {
        size_t end = start + 1;
        while (end < n && same_series(json_array_get(rows, start), json_array_get(rows, end), ki,
                                      nk))
            end++;
        size_t np = 0;
        for (size_t r = start; r < end; r++) {
            const json_t *row = json_array_get(rows, r);
            int y;
            if (!year_of(json_string_value(json_array_get(row, (size_t)xi)), &y))
                continue;
            const json_t *v = json_array_get(row, (size_t)yi);
            pts[np].year = y;
            pts[np].has = json_is_number(v);
            pts[np].y = json_is_number(v) ? json_number_value(v) : 0;
            np++;
        }
        size_t have = 0;
        for (size_t p = 0; p < np; p++)
            have += pts[p].has;
        if (have >= 2) {
            const json_t *row = json_array_get(rows, start);
            char title[256];
            const char *name = json_string_value(json_array_get(row, (size_t)ki[0]));
            const char *country = nk > 1 ? json_string_value(json_array_get(row, (size_t)ki[1])) : "";
            const char *partner = nk > 2 ? json_string_value(json_array_get(row, (size_t)ki[2])) : "";
            const char *src = nk > 3 ? json_string_value(json_array_get(row, (size_t)ki[3])) : "";
            snprintf(title, sizeof(title), "%s: %s%s%s (%s)", name ? name : "",
                     country ? country : "", partner && *partner ? ", partner " : "",
                     partner ? partner : "", src ? src : "");
            const char *unit = ui >= 0 ? json_string_value(json_array_get(row, (size_t)ui)) : "";
            rc = bilat_buf_adds(b, "<figure>");
            if (rc == 0)
                rc = svg_line(b, title, unit, pts, np);
            if (rc == 0)
                rc = bilat_buf_adds(b, "</figure>\n");
            charts++;
        }
        start = end;
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</div>\n");
    if (rc == 0 && charts == 0)
        rc = bilat_buf_adds(b, "<p class=\"notes\">No series with two or more yearly values.</p>\n");
    bilat_free(pts);
    return rc;
}

/* The section with id `id` in the document, or NULL. */
static const json_t *find_section(const json_t *doc, const char *id)
{
    size_t i;
    const json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), i, sec) if (strcmp(str(sec, "id"), id) ==
                                                                     0) return sec;
    return NULL;
}

/* Links that download a section's data as CSV and JSON. */
static int render_downloads(struct bilat_buf *b, const json_t *sec, const struct html_opts *o)
{
    if (json_array_size(json_object_get(sec, "rows")) == 0)
        return 0;
    const char *id = str(sec, "id");
    TRY(bilat_buf_adds(b, "<p class=\"dl\">Data:"));
    if (o->download_base) {
        /* the web server serves the same tables from its API */
        for (int k = 0; k < 2; k++) {
            TRY(bilat_buf_adds(b, " <a href=\""));
            TRY(esc(b, o->download_base));
            TRY(bilat_buf_adds(b, "&amp;section="));
            TRY(html_id(b, id));
            TRY(bilat_buf_addf(b, "&amp;format=%s\" download>%s</a>", k ? "json" : "csv",
                               k ? "JSON" : "CSV"));
        }
        return bilat_buf_adds(b, "</p>\n");
    }
    struct bilat_buf csv = BILAT_BUF_INIT;
    int rc = text_render_csv(&csv, sec);
    char *json = rc == 0 ? json_dumps(sec, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    if (rc == 0 && !json)
        rc = BILAT_ENOMEM;
    for (int k = 0; rc == 0 && k < 2; k++) {
        rc = bilat_buf_adds(b, " <a download=\"");
        if (rc == 0)
            rc = html_id(b, o->prefix);
        if (rc == 0)
            rc = bilat_buf_addch(b, '-');
        if (rc == 0)
            rc = html_id(b, id);
        if (rc == 0)
            rc = bilat_buf_addf(b, ".%s\" type=\"%s\" href=\"data:%s;charset=utf-8,",
                                k ? "json" : "csv", k ? "application/json" : "text/csv",
                                k ? "application/json" : "text/csv");
        if (rc == 0)
            rc = k ? uri_encode(b, json, strlen(json)) : uri_encode(b, csv.buf, csv.len);
        if (rc == 0)
            rc = bilat_buf_addf(b, "\">%s</a>", k ? "JSON" : "CSV");
    }
    bilat_free(json); /* jansson allocates through bilat_malloc (core/alloc.c) */
    bilat_buf_release(&csv);
    TRY(rc);
    return bilat_buf_adds(b, "</p>\n");
}

/* The series a trend claim was tested on, as a small line chart (values on hover). */
static int render_trend(struct bilat_buf *b, const json_t *ev, const char *title)
{
    const json_t *chart = json_object_get(ev, "chart");
    int xi = table_col(ev, str(chart, "x")), yi = table_col(ev, str(chart, "y"));
    const json_t *rows = json_object_get(ev, "rows");
    size_t n = json_array_size(rows), np = 0;
    if (xi < 0 || yi < 0 || n == 0)
        return 0;
    struct svg_point *pts = bilat_calloc(n, sizeof(*pts));
    if (!pts)
        return BILAT_ENOMEM;
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        const json_t *x = json_array_get(row, (size_t)xi), *y = json_array_get(row, (size_t)yi);
        if (!json_is_number(x))
            continue;
        pts[np].year = (int)json_number_value(x);
        pts[np].has = json_is_number(y);
        pts[np].y = json_is_number(y) ? json_number_value(y) : 0;
        np++;
    }
    int rc = 0;
    if (np >= 2) {
        /* the title in words (the y column's label, underscores as spaces), the test named
         * under the chart */
        char t[200], y[96];
        const char *yl = str(json_array_get(json_object_get(ev, "columns"), (size_t)yi), "label");
        snprintf(y, sizeof(y), "%s", yl && *yl ? yl : str(chart, "y"));
        for (char *p = y; *p; p++)
            if (*p == '_')
                *p = ' ';
        snprintf(t, sizeof(t), "%s, per %s", y, str(chart, "x"));
        (void)title;
        rc = bilat_buf_adds(b, "<figure class=\"trend\">");
        if (rc == 0)
            rc = svg_line(b, t, "tested by OLS slope, Newey-West errors", pts, np);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</figure>\n");
    }
    bilat_free(pts);
    return rc;
}

/* The five verdicts and error, in the order the summary cards show them. */
static const struct {
    const char *name, *cls;
} verdicts[] = {
    {"supported", "v-supported"},       {"restates", "v-restates"},
    {"not shown", "v-not-shown"},       {"contradicted", "v-contradicted"},
    {"not checkable", "v-not-checkable"}, {"error", "v-error"},
};
enum { NVERDICTS = sizeof(verdicts) / sizeof(verdicts[0]) };

static size_t verdict_index(const char *v)
{
    for (size_t i = 0; i + 1 < NVERDICTS; i++)
        if (strcmp(v, verdicts[i].name) == 0)
            return i;
    return NVERDICTS - 1;
}

static const char *verdict_class(const char *v)
{
    return verdicts[verdict_index(v)].cls;
}

/* The claims section: verdict table, then each claim's judgement, check and evidence. */
static int render_claims(struct bilat_buf *b, const json_t *sec, const struct html_opts *o)
{
    struct claims_cols cc;
    text_claims_cols(sec, &cc);
    const json_t *rows = json_object_get(sec, "rows"), *ev = json_object_get(sec, "evidence");
    size_t i;
    const json_t *row;
    size_t cnt[NVERDICTS] = {0};
    json_array_foreach(rows, i, row)
        cnt[verdict_index(rs(row, cc.verdict) ? rs(row, cc.verdict) : "")]++;
    /* the five verdicts always, each apart: "restates" is never added to "supported" */
    TRY(bilat_buf_adds(b, "<div class=\"cards verdicts\">"));
    for (size_t k = 0; k < NVERDICTS; k++)
        if (k + 1 < NVERDICTS || cnt[k])
            TRY(bilat_buf_addf(b,
                               "<div class=\"card\"><div class=\"v\">%zu</div><div class=\"l\">"
                               "<span class=\"vd %s\">%s</span></div></div>",
                               cnt[k], verdicts[k].cls, verdicts[k].name));
    TRY(bilat_buf_adds(b, "</div>\n<table class=\"claims\"><thead><tr><th>Claim</th>"
                          "<th>Verdict</th><th>Stated</th><th>Measured</th><th>Expected</th>"
                          "<th>Source</th></tr></thead>\n<tbody>\n"));
    json_array_foreach(rows, i, row)
    {
        const char *id = rs(row, cc.id) ? rs(row, cc.id) : "";
        int part = rs(row, cc.part_of) != NULL;
        const char *method = rs(row, cc.method) ? rs(row, cc.method) : "";
        TRY(bilat_buf_addf(b, "<tr class=\"%s\" id=\"%sc-",
                           part                         ? "part"
                           : strcmp(method, "all") == 0 ? "group"
                                                        : "single",
                           o->anchor_prefix));
        TRY(html_id(b, id));
        TRY(bilat_buf_adds(b, "\"><td class=\"c\"><a href=\"#"));
        TRY(bilat_buf_adds(b, o->anchor_prefix));
        TRY(bilat_buf_adds(b, "claim-"));
        TRY(html_id(b, id));
        TRY(bilat_buf_adds(b, "\">"));
        TRY(esc(b, id));
        TRY(bilat_buf_adds(b, "</a> "));
        TRY(esc(b, rs(row, cc.claim)));
        TRY(bilat_buf_adds(b, "</td><td><span class=\"vd "));
        TRY(bilat_buf_adds(b, verdict_class(rs(row, cc.verdict) ? rs(row, cc.verdict) : "")));
        TRY(bilat_buf_adds(b, "\">"));
        TRY(esc(b, rs(row, cc.verdict)));
        if (json_integer_value(json_array_get(row, (size_t)cc.restates_source)) == 1 &&
            strcmp(rs(row, cc.verdict) ? rs(row, cc.verdict) : "", "restates") == 0)
            TRY(bilat_buf_adds(b, "</span><br><span class=\"why\">only the claim's own "
                                  "source"));
        TRY(bilat_buf_adds(b, "</span></td><td>"));
        TRY(esc(b, rs(row, cc.stated) ? rs(row, cc.stated) : "brief"));
        TRY(bilat_buf_adds(b, "</td><td class=\"n\">"));
        if (rs(row, cc.measured)) {
            /* the measured value leads to the rows behind it */
            TRY(bilat_buf_addf(b, "<a href=\"#%sclaim-", o->anchor_prefix));
            TRY(html_id(b, id));
            TRY(bilat_buf_adds(b, "\" title=\"evidence\">"));
            TRY(esc(b, rs(row, cc.measured)));
            TRY(bilat_buf_adds(b, "</a>"));
        }
        TRY(bilat_buf_adds(b, "</td><td>"));
        TRY(esc(b, rs(row, cc.expected)));
        TRY(bilat_buf_adds(b, "</td><td class=\"src\">"));
        TRY(source_links(b, rs(row, cc.source_id)));
        TRY(html_escape_between(b, "<br><span class=\"loc\">", rs(row, cc.locator), "</span>"));
        TRY(bilat_buf_adds(b, "</td></tr>\n"));
    }
    TRY(bilat_buf_adds(b, "</tbody></table>\n<div class=\"claim-details\">\n"));
    /* Each claim's reasoning is printed in full (it is what a reader checks on paper); only
     * the evidence rows fold away. */
    json_array_foreach(rows, i, row)
    {
        const char *id = rs(row, cc.id) ? rs(row, cc.id) : "";
        TRY(bilat_buf_addf(b, "<div class=\"claim\" id=\"%sclaim-", o->anchor_prefix));
        TRY(html_id(b, id));
        TRY(bilat_buf_adds(b, "\"><p class=\"ch\"><b>"));
        TRY(esc(b, id));
        TRY(bilat_buf_adds(b, "</b> <span class=\"vd "));
        TRY(bilat_buf_adds(b, verdict_class(rs(row, cc.verdict) ? rs(row, cc.verdict) : "")));
        TRY(bilat_buf_adds(b, "\">"));
        TRY(esc(b, rs(row, cc.verdict)));
        TRY(bilat_buf_adds(b, "</span> "));
        TRY(esc(b, rs(row, cc.claim)));
        TRY(bilat_buf_adds(b, "</p>\n<p>"));
        TRY(esc(b, rs(row, cc.detail)));
        TRY(bilat_buf_adds(b, "</p>\n"));
        if (rs(row, cc.check)) {
            TRY(bilat_buf_adds(b, "<p class=\"notes\">Check ("));
            TRY(esc(b, rs(row, cc.method)));
            TRY(bilat_buf_adds(b, "): <code>"));
            TRY(esc(b, rs(row, cc.check)));
            TRY(bilat_buf_adds(b, "</code></p>\n"));
        }
        TRY(html_escape_between(b, "<p class=\"notes\">Note: ", rs(row, cc.note), "</p>\n"));
        const json_t *e = json_object_get(ev, id);
        if (e) {
            size_t nr = json_array_size(json_object_get(e, "rows"));
            TRY(bilat_buf_addf(b, "<p class=\"notes\">Evidence: %zu row%s", nr,
                               nr == 1 ? "" : "s"));
            if (rs(row, cc.evidence_sources)) {
                TRY(bilat_buf_adds(b, " from "));
                TRY(source_links(b, rs(row, cc.evidence_sources)));
            }
            TRY(bilat_buf_adds(b, ".</p>\n"));
            if (json_integer_value(json_array_get(row, (size_t)cc.restates_source)) == 1)
                TRY(bilat_buf_adds(b, "<p class=\"notes caveat\">Every evidence row comes from "
                                      "the claim's own source: this check shows what the source "
                                      "says, it does not test it against other data.</p>\n"));
            if (nr && strcmp(str(json_object_get(e, "chart"), "type"), "trend") == 0)
                TRY(render_trend(b, e, rs(row, cc.claim)));
            if (nr) {
                TRY(bilat_buf_addf(b, "<details><summary>Evidence rows (%zu)</summary>\n", nr));
                TRY(render_table(b, e, NULL, NULL));
                TRY(bilat_buf_adds(b, "</details>\n"));
            }
            size_t k;
            const json_t *note;
            json_array_foreach(json_object_get(e, "notes"), k, note)
            {
                TRY(bilat_buf_adds(b, "<p class=\"notes\">"));
                TRY(esc(b, json_string_value(note)));
                TRY(bilat_buf_adds(b, "</p>\n"));
            }
        }
        TRY(bilat_buf_adds(b, "</div>\n"));
    }
    return bilat_buf_adds(b, "</div>\n");
}

int html_render_section(struct bilat_buf *b, const json_t *doc, const json_t *sec,
                        const struct html_opts *o)
{
    const char *id = str(sec, "id");
    TRY(bilat_buf_adds(b, "<section id=\""));
    TRY(bilat_buf_adds(b, o->anchor_prefix));
    TRY(html_id(b, id));
    TRY(bilat_buf_adds(b, "\"><h2>"));
    TRY(esc(b, str(sec, "title")));
    TRY(bilat_buf_adds(b, "</h2>\n"));
    TRY(html_escape_between(b, "<p class=\"desc\">", nonempty(str(sec, "description")), "</p>\n"));
    size_t nrows = json_array_size(json_object_get(sec, "rows"));
    const json_t *chart = json_object_get(sec, "chart");
    int drawn = 0;
    if (nrows && chart) {
        const char *type = str(chart, "type");
        struct bilat_buf fig = BILAT_BUF_INIT;
        int rc = 0;
        if (strcmp(type, "stacked_bar") == 0) {
            rc = svg_stacked_bar(&fig, sec, o->year_href);
        } else if (strcmp(type, "lines") == 0) {
            rc = render_lines(&fig, sec);
        } else if (strcmp(type, "multi_lines") == 0) {
            rc = svg_multi_lines(&fig, sec);
        } else if (strcmp(type, "bars") == 0) {
            rc = svg_bars(&fig, sec);
        } else if (strcmp(type, "dots") == 0) {
            rc = svg_dots(&fig, sec);
        } else if (strcmp(type, "network") == 0) {
            const json_t *edges = find_section(doc, str(chart, "edges"));
            if (edges)
                rc = svg_network(&fig, sec, edges);
        }
        /* an unknown chart type: the table alone */
        if (rc == 0 && fig.len) {
            rc = bilat_buf_adds(b, "<figure class=\"main-chart\">");
            if (rc == 0)
                rc = bilat_buf_add(b, fig.buf, fig.len);
            if (rc == 0)
                rc = bilat_buf_adds(b, "</figure>\n");
            drawn = 1;
        }
        bilat_buf_release(&fig);
        TRY(rc);
    }
    if (nrows == 0) {
        TRY(bilat_buf_adds(b, "<p class=\"notes\">No records.</p>\n"));
    } else if (strcmp(str(sec, "view"), "claims") == 0) {
        TRY(render_claims(b, sec, o));
    } else if (strcmp(str(sec, "view"), "events") == 0) {
        TRY(render_events(b, sec, strcmp(id, "timeline") == 0 ? o->anchor_prefix : NULL));
    } else {
        int fold = drawn || json_is_true(json_object_get(sec, "detail")) || nrows > 60;
        if (fold)
            TRY(bilat_buf_addf(b, "<details><summary>Data table (%zu rows)</summary>\n", nrows));
        struct drill dr;
        TRY(render_table(b, sec, NULL, drill_of(doc, sec, o, &dr) ? &dr : NULL));
        if (fold)
            TRY(bilat_buf_adds(b, "</details>\n"));
    }
    if (o->downloads)
        TRY(render_downloads(b, sec, o));
    size_t i;
    const json_t *note;
    json_array_foreach(json_object_get(sec, "notes"), i, note)
    {
        TRY(bilat_buf_adds(b, "<p class=\"notes\">Note: "));
        TRY(esc(b, json_string_value(note)));
        TRY(bilat_buf_adds(b, "</p>\n"));
    }
    return bilat_buf_adds(b, "</section>\n");
}

/* Summary section as cards (value + measure) before its table. */
static int render_cards(struct bilat_buf *b, const json_t *sec)
{
    size_t i;
    const json_t *row;
    TRY(bilat_buf_adds(b, "<div class=\"cards\">"));
    json_array_foreach(json_object_get(sec, "rows"), i, row)
    {
        TRY(bilat_buf_adds(b, "<div class=\"card\"><div class=\"v\">"));
        const json_t *v = json_array_get(row, 1);
        if (json_is_number(v))
            TRY(html_number(b, json_number_value(v)));
        else
            TRY(bilat_buf_adds(b, "&#8212;"));
        TRY(bilat_buf_adds(b, "</div><div class=\"l\">"));
        TRY(esc(b, json_string_value(json_array_get(row, 0))));
        const char *d = json_string_value(json_array_get(row, 2));
        TRY(html_escape_between(b, "<br>", d, ""));
        TRY(bilat_buf_adds(b, "</div></div>"));
    }
    return bilat_buf_adds(b, "</div>\n");
}

/* Sections in reading order: the summary, the claims, then the document's order. */
static int section_rank(const json_t *sec)
{
    const char *id = str(sec, "id");
    return strcmp(id, "summary") == 0 ? 0 : strcmp(id, "claims") == 0 ? 1 : 2;
}

/* One overview panel: a small line of column y against the year column x of a section (rows
 * kept when column fcol equals fval, if given), with lo/hi as a band. */
struct panel {
    const char *section, *x, *y, *lo, *hi, *fcol, *fval;
    const char *title, *unit;
    const char *skip; /* rows where this column has a value are left out (a seat's other holder) */
    double ymin, ymax; /* the measure's bounds: an interval is cut there (ymin > ymax: none) */
};

static int overview_line(struct bilat_buf *b, const json_t *sec, const struct panel *p,
                         const char *title, int *drawn)
{
    int xi = table_col(sec, p->x), yi = table_col(sec, p->y);
    int li = p->lo ? table_col(sec, p->lo) : -1, hi_ = p->hi ? table_col(sec, p->hi) : -1;
    int fi = p->fcol ? table_col(sec, p->fcol) : -1;
    const json_t *rows = json_object_get(sec, "rows");
    size_t n = json_array_size(rows), np = 0, have = 0;
    if (xi < 0 || yi < 0 || n == 0 || (p->fcol && fi < 0))
        return 0;
    struct svg_point *pts = bilat_calloc(n, sizeof(*pts));
    if (!pts)
        return BILAT_ENOMEM;
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (fi >= 0) {
            const char *fv = json_string_value(json_array_get(row, (size_t)fi));
            if (!fv || strcmp(fv, p->fval) != 0)
                continue;
        }
        int si = p->skip ? table_col(sec, p->skip) : -1;
        if (si >= 0 && !json_is_null(json_array_get(row, (size_t)si)))
            continue;
        const json_t *xv = json_array_get(row, (size_t)xi), *yv = json_array_get(row, (size_t)yi);
        int year;
        if (json_is_integer(xv))
            year = (int)json_integer_value(xv);
        else if (!json_is_string(xv) || !year_of(json_string_value(xv), &year))
            continue;
        if (np && pts[np - 1].year >= year)
            continue; /* one point a year, in order */
        pts[np].year = year;
        pts[np].has = json_is_number(yv);
        pts[np].y = pts[np].has ? json_number_value(yv) : 0;
        const json_t *lv = li >= 0 ? json_array_get(row, (size_t)li) : NULL;
        const json_t *hv = hi_ >= 0 ? json_array_get(row, (size_t)hi_) : NULL;
        pts[np].has_ci = pts[np].has && json_is_number(lv) && json_is_number(hv);
        pts[np].lo = pts[np].has_ci ? json_number_value(lv) : 0;
        pts[np].hi = pts[np].has_ci ? json_number_value(hv) : 0;
        if (p->ymin <= p->ymax && pts[np].has_ci) {
            pts[np].lo = pts[np].lo < p->ymin ? p->ymin : pts[np].lo;
            pts[np].hi = pts[np].hi > p->ymax ? p->ymax : pts[np].hi;
        }
        have += pts[np].has;
        np++;
    }
    int rc = 0;
    if (have >= 2) {
        rc = bilat_buf_adds(b, "<figure class=\"ov\">");
        if (rc == 0)
            rc = svg_line(b, title, p->unit, pts, np);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</figure>\n");
        *drawn += 1;
    }
    bilat_free(pts);
    return rc;
}

/*
 * The one-screen overview a profile opens with: small charts of alignment with its interval,
 * contacts by channel, dependence, autonomy and narratives, each from its section below (a panel
 * whose section is missing or empty is left out).
 */
static int render_overview(struct bilat_buf *b, const json_t *doc, const struct html_opts *o)
{
    const char *bn = str(json_object_get(doc, "b"), "name");
    char t_align[160], t_auto[160], t_debt[160];
    snprintf(t_align, sizeof(t_align), "Alignment: UN votes with %s", bn);
    snprintf(t_auto, sizeof(t_auto), "Autonomy: ideal-point distance to %s", bn);
    snprintf(t_debt, sizeof(t_debt), "Dependence: debt owed to %s", bn);
    const struct panel lines[] = {
        {"alignment_series", "year", "agree", "agree_lo", "agree_hi", NULL, NULL, t_align,
         "agree (0 to 1), 95 % interval; seats of today", "seat", 0, 1},
        {"alignment_series", "year", "ideal", NULL, NULL, NULL, NULL, t_auto,
         "distance (larger: further apart); seats of today", "seat", 1, 0},
        {"indicators", "period", "value", NULL, NULL, "name", "debt_to_partner_gdp", t_debt,
         "% of GDP (Horn, Reinhart and Trebesch)", NULL, 1, 0},
        {"speech_overlap", "year", "overlap", NULL, NULL, NULL, NULL,
         "Narratives: shared words in UN speeches", "Jaccard (0 to 1)", NULL, 1, 0},
    };
    struct bilat_buf fig = BILAT_BUF_INIT;
    int drawn = 0, rc = 0;
    for (size_t k = 0; rc == 0 && k < sizeof(lines) / sizeof(lines[0]); k++) {
        const json_t *sec = find_section(doc, lines[k].section);
        if (sec)
            rc = overview_line(&fig, sec, &lines[k], lines[k].title, &drawn);
    }
    /* contacts by channel: the independent elite contacts when the store has them, else the
     * curated exchanges */
    const char *const contacts[] = {"elite_contacts", "channels"};
    for (size_t k = 0; rc == 0 && k < 2; k++) {
        const json_t *sec = find_section(doc, contacts[k]);
        const json_t *ch = sec ? json_object_get(sec, "chart") : NULL;
        if (!sec || !json_array_size(json_object_get(sec, "rows")) || !ch ||
            strcmp(str(ch, "type"), "stacked_bar") != 0)
            continue;
        rc = bilat_buf_addf(&fig, "<figure class=\"ov\"><figcaption class=\"ct\">Contacts by "
                                  "channel: %s</figcaption>",
                            k == 0 ? "independent records" : "curated records");
        if (rc == 0)
            rc = svg_stacked_bar(&fig, sec, NULL);
        if (rc == 0)
            rc = bilat_buf_adds(&fig, "</figure>\n");
        drawn++;
        break;
    }
    const json_t *ov = find_section(doc, "concept_overlap");
    if (rc == 0 && ov && json_array_size(json_object_get(ov, "rows")) &&
        !find_section(doc, "speech_overlap")) {
        rc = bilat_buf_adds(&fig, "<figure class=\"ov\"><figcaption class=\"ct\">Narratives: "
                                  "principles shared by the two sides' concepts</figcaption>");
        if (rc == 0)
            rc = svg_bars(&fig, ov);
        if (rc == 0)
            rc = bilat_buf_adds(&fig, "</figure>\n");
        drawn++;
    }
    if (rc == 0 && drawn)
        rc = bilat_buf_addf(b,
                            "<section id=\"%soverview\" class=\"overview\"><h2>Overview</h2>"
                            "<div class=\"ov-grid\">\n%s</div><p class=\"notes\">Each chart "
                            "comes from a section below, with its sources and caveats.</p>"
                            "</section>\n",
                            o->anchor_prefix, fig.buf);
    bilat_buf_release(&fig);
    return rc;
}

int html_render_body(struct bilat_buf *b, const json_t *doc, const struct html_opts *o)
{
    const json_t *a = json_object_get(doc, "a"), *bb = json_object_get(doc, "b");
    char span[64];
    text_period(doc, span, sizeof(span));
    TRY(bilat_buf_adds(b, "<header>\n<h1>"));
    TRY(esc(b, str(a, "name")));
    TRY(bilat_buf_adds(b, " &amp; "));
    TRY(esc(b, str(bb, "name")));
    TRY(bilat_buf_adds(b, "</h1>\n<p class=\"sub\">Relationship profile: "));
    TRY(esc(b, str(a, "code")));
    TRY(bilat_buf_adds(b, " and "));
    TRY(esc(b, str(bb, "code")));
    TRY(bilat_buf_addf(b, ", <span class=\"period\">%s</span></p>\n<div class=\"meta\">", span));
    TRY(html_escape_between(b, "Regenerate with <code>", nonempty(str(doc, "command")),
                            "</code><br>"));
    TRY(bilat_buf_adds(b, "bilat "));
    TRY(esc(b, str(doc, "bilat_version")));
    /* data as of: the latest dataset load */
    const char *asof = NULL;
    size_t i;
    const json_t *d;
    json_array_foreach(json_object_get(doc, "datasets"), i, d)
    {
        const char *t = json_string_value(json_array_get(d, 1));
        if (t && (!asof || strcmp(t, asof) > 0))
            asof = t;
    }
    if (asof) {
        TRY(bilat_buf_adds(b, " &#183; data as of "));
        TRY(esc(b, asof));
        TRY(bilat_buf_adds(b, " (datasets: "));
        json_array_foreach(json_object_get(doc, "datasets"), i, d)
        {
            if (i)
                TRY(bilat_buf_adds(b, ", "));
            TRY(esc(b, json_string_value(json_array_get(d, 0))));
            TRY(bilat_buf_adds(b, " loaded "));
            TRY(esc(b, json_string_value(json_array_get(d, 1))));
        }
        TRY(bilat_buf_adds(b, ")"));
    }
    if (find_section(doc, "coverage"))
        TRY(bilat_buf_addf(b, " &#183; <a href=\"#%scoverage\">coverage by source</a>",
                           o->anchor_prefix));
    TRY(bilat_buf_adds(b, "</div>\n</header>\n<nav>"));
    const json_t *sec;
    for (int rank = 0; rank <= 2; rank++)
        json_array_foreach(json_object_get(doc, "sections"), i, sec)
        {
            if (section_rank(sec) != rank)
                continue;
            TRY(bilat_buf_addf(b, "<a href=\"#%s", o->anchor_prefix));
            TRY(html_id(b, str(sec, "id")));
            TRY(bilat_buf_adds(b, "\">"));
            TRY(esc(b, str(sec, "title")));
            TRY(bilat_buf_adds(b, "</a>"));
        }
    TRY(bilat_buf_addf(b, "<a href=\"#%ssources\">Sources</a></nav>\n", o->anchor_prefix));
    TRY(render_overview(b, doc, o));
    for (int rank = 0; rank <= 2; rank++)
        json_array_foreach(json_object_get(doc, "sections"), i, sec)
        {
            if (section_rank(sec) != rank)
                continue;
            if (rank == 0)
                TRY(render_cards(b, sec));
            TRY(html_render_section(b, doc, sec, o));
        }
    return html_render_sources(b, doc, o);
}

int html_render_sources(struct bilat_buf *b, const json_t *doc, const struct html_opts *o)
{
    TRY(bilat_buf_addf(b, "<section id=\"%ssources\"><h2>Sources</h2>\n<ol class=\"sources\">\n",
                       o->anchor_prefix));
    size_t i;
    const json_t *src;
    json_array_foreach(json_object_get(doc, "sources"), i, src)
    {
        TRY(bilat_buf_adds(b, "<li id=\"src-"));
        TRY(html_id(b, str(src, "id")));
        TRY(bilat_buf_adds(b, "\"><b>"));
        TRY(esc(b, str(src, "id")));
        TRY(bilat_buf_adds(b, "</b>: "));
        TRY(cite(b, src));
        TRY(bilat_buf_adds(b, "</li>\n"));
    }
    return bilat_buf_adds(b, "</ol></section>\n");
}

int html_render_report(struct bilat_buf *b, const json_t *doc)
{
    const json_t *a = json_object_get(doc, "a"), *bb = json_object_get(doc, "b");
    struct html_opts o = {.downloads = 1, .year_href = "#tl-", .anchor_prefix = ""};
    snprintf(o.prefix, sizeof(o.prefix), "%s-%s", str(a, "code"), str(bb, "code"));
    TRY(bilat_buf_adds(b,
                       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"bilat "));
    TRY(esc(b, str(doc, "bilat_version")));
    TRY(bilat_buf_adds(b, "\">\n<title>"));
    TRY(esc(b, str(a, "name")));
    TRY(bilat_buf_adds(b, " and "));
    TRY(esc(b, str(bb, "name")));
    TRY(bilat_buf_adds(b, ": relationship profile</title>\n<style>\n"));
    TRY(bilat_buf_adds(b, css));
    TRY(bilat_buf_adds(b, "</style>\n</head>\n<body>\n<main>\n"));
    TRY(html_render_body(b, doc, &o));
    TRY(bilat_buf_adds(b, "<footer>Made with bilat. Figures are as their sources give them; a "
                          "dash marks a value the source gives as missing. Each table's data can "
                          "be downloaded as CSV and JSON.</footer>\n</main>\n</body>\n</html>\n"));
    return 0;
}

