/*
 * html.h: HTML rendering of a profile document (the report of bilat_profile_render()).
 */
#ifndef BILAT_REPORT_HTML_H
#define BILAT_REPORT_HTML_H

#include "core/buf.h"

#include <jansson.h>

/* How the body of a profile is rendered: as the self-contained report, or inside a page of
 * the web server. */
struct html_opts {
    int downloads;             /* links that download each table as CSV and JSON */
    const char *download_base; /* NULL: data: URIs; else a URL to which "&section=ID&format=F"
                                  is appended (the server's API) */
    char prefix[80];           /* download file names: PREFIX-SECTION.csv ("KHM-CHN") */
    const char *year_href;     /* a year's bar links to year_href + YEAR, or NULL */
    const char *anchor_prefix; /* prefix of the page's element ids ("" in the report) */
    const char *clusters_href; /* a row of an event-data table links to the clusters behind
                                  it at clusters_href + "?a=..&b=..&month=..&quad=.."; NULL:
                                  the row shows the `bilat clusters` command instead */
};

/* The inline CSS of the report (also served to the web server's pages). */
const char *html_css(void);

/* Append the body of a profile: header, navigation, sections, sources. 0 or BILAT_ENOMEM. */
int html_render_body(struct bilat_buf *b, const json_t *doc, const struct html_opts *o);

/* Append one section (title, chart, table, downloads, notes); `doc` gives the sections a
 * chart refers to (the network's edges). */
int html_render_section(struct bilat_buf *b, const json_t *doc, const json_t *sec,
                        const struct html_opts *o);

/* Append the list of the document's sources (the targets of every source link). */
int html_render_sources(struct bilat_buf *b, const json_t *doc, const struct html_opts *o);

/* What the timeline of events shows of one event (NULL: not given). */
struct html_event {
    const char *from, *to;       /* dates */
    const char *source, *target; /* who */
    const json_t *quantity;      /* a JSON number, else no quantity */
    const char *unit, *note;     /* what */
};

/* Append an event's date (from-to), who (source -> target) and what (quantity unit: note): the
 * contents of three cells of the timeline, joined by "</td><td>". */
int html_event_cells(struct bilat_buf *b, const struct html_event *e);

/* Append `url` escaped, as a link (with the attributes `attrs` after href, "" for none) when it
 * is an http(s) URL, else as text. */
int html_url(struct bilat_buf *b, const char *url, const char *attrs);

/* Append the whole report page for a profile document. 0 or BILAT_ENOMEM. */
int html_render_report(struct bilat_buf *b, const json_t *doc);

#endif
