/*
 * render.c: the public outputs of documents (bilat.h, "Output formats"): profiles and reports,
 * one section of a document, claims, networks, comparisons and narratives, as text tables,
 * JSON, CSV, Graphviz DOT or HTML. Each builds its document (analytics/) once and renders it
 * in the format asked for (report/text.c, report/html.c, the DOT writer below).
 *
 * DOT: an undirected graph with one cluster per side; node labels are names, edge labels the
 * number of meetings and visits, and edge widths grow with it. Identifiers and labels are
 * always quoted, with '"' and '\' escaped, so any name is safe.
 */
#include "analytics/claims.h"
#include "analytics/compare.h"
#include "analytics/dyad.h"
#include "analytics/listings.h"
#include "analytics/narratives.h"
#include "analytics/network.h"
#include "analytics/partners.h"
#include "analytics/profile.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "report/html.h"
#include "report/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *bilat_format_name(enum bilat_format f)
{
    static const char *const names[] = {"text", "json", "json-compact", "csv",
                                        "dot",  "html", "bibtex"};
    return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "unknown";
}

/* The error of a format a function does not produce. */
static int bad_format(enum bilat_format f, const char *what, struct bilat_err *err)
{
    return bilat_fail(err, BILAT_EINVAL, "%s cannot be written as %s", what,
                      bilat_format_name(f));
}

static bool is_json(enum bilat_format f)
{
    return f == BILAT_FORMAT_JSON || f == BILAT_FORMAT_JSON_COMPACT;
}

/* The document as JSON in format f (JSON or JSON_COMPACT: table_dump()). */
static int add_json(struct bilat_buf *b, const json_t *doc, enum bilat_format f)
{
    char *s = table_dump(doc, f == BILAT_FORMAT_JSON_COMPACT);
    int rc = s ? bilat_buf_adds(b, s) : BILAT_ENOMEM;
    bilat_free(s);
    return rc;
}

/* One section in format f (JSON, JSON_COMPACT, CSV or TEXT) into b. */
static int add_section(struct bilat_buf *b, const json_t *sec, enum bilat_format f)
{
    return is_json(f)              ? add_json(b, sec, f)
           : f == BILAT_FORMAT_CSV ? text_render_csv(b, sec)
                                   : text_render_section(b, sec, 1);
}

/* Every section as a text table. */
static int add_sections(struct bilat_buf *b, const json_t *secs)
{
    size_t i;
    json_t *sec;
    json_array_foreach(secs, i, sec) BILAT_TRY(text_render_section(b, sec, 1));
    return 0;
}

/* The end of a renderer: drop the document, and hand the text to *out (0) or drop it (the
 * error rc < 0; BILAT_ENOMEM, as the buffer functions return it without one, gets its
 * message). */
static int finish_text(json_t *doc, struct bilat_buf *b, int rc, char **out,
                       struct bilat_err *err)
{
    json_decref(doc);
    if (rc < 0) {
        bilat_buf_release(b);
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
    }
    *out = bilat_buf_detach(b, NULL);
    return *out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

/* ------------------------------------------------------------------------------------------ */
/* Profiles and sections                                                                      */

int bilat_profile_render(bilat_db *db, const struct bilat_profile_opts *opts,
                         enum bilat_format format, char **out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_TEXT && format != BILAT_FORMAT_HTML)
        return bad_format(format, "a profile", err);
    json_t *doc = NULL;
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc;
    if (is_json(format)) {
        /* the text written as the document is built (the sections of a second connection by
         * its thread): table_dump()'s */
        rc = profile_build_text(db, opts, table_dump_flags(format == BILAT_FORMAT_JSON_COMPACT),
                                &b, err);
        if (rc == 0)
            rc = bilat_buf_addch(&b, '\n');
    } else {
        BILAT_TRY(profile_build(db, opts, &doc, err));
        rc = format == BILAT_FORMAT_TEXT ? text_render_profile(&b, doc)
                                         : html_render_report(&b, doc);
    }
    return finish_text(doc, &b, rc, out, err);
}

int bilat_profile_save(bilat_db *db, const struct bilat_profile_opts *opts,
                       enum bilat_format format, const char *path, struct bilat_err *err)
{
    char *text = NULL;
    BILAT_TRY(bilat_profile_render(db, opts, format, &text, err));
    int rc = bilat_file_write_atomic(path, text, strlen(text), err);
    bilat_free(text);
    return rc;
}

int bilat_section_render(const char *doc_text, const char *id, enum bilat_format format,
                         char **out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_CSV && format != BILAT_FORMAT_TEXT)
        return bad_format(format, "a section", err);
    json_error_t jerr;
    json_t *doc = json_loads(doc_text, 0, &jerr);
    if (!doc)
        return bilat_fail(err, BILAT_EPARSE, "not a JSON document: %s (line %d)", jerr.text,
                          jerr.line);
    const json_t *sec = NULL;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(doc, "sections"), i, it)
    {
        const char *sid = json_string_value(json_object_get(it, "id"));
        if (!sec && sid && strcmp(sid, id) == 0)
            sec = it;
    }
    if (!sec) {
        json_decref(doc);
        return bilat_fail(err, BILAT_ENOTFOUND, "no section '%.60s' in this document", id);
    }
    struct bilat_buf b = BILAT_BUF_INIT;
    return finish_text(doc, &b, add_section(&b, sec, format), out, err);
}

/* ------------------------------------------------------------------------------------------ */
/* Listings                                                                                   */

int bilat_actors_render(bilat_db *db, enum bilat_format format, char **out,
                        struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_CSV && format != BILAT_FORMAT_TEXT)
        return bad_format(format, "the actors", err);
    json_t *sec = NULL;
    BILAT_TRY(listing_actors(db, &sec, err));
    struct bilat_buf b = BILAT_BUF_INIT;
    return finish_text(sec, &b, add_section(&b, sec, format), out, err);
}

int bilat_events_render(bilat_db *db, const struct bilat_events_query *q,
                        enum bilat_format format, char **out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format))
        return bad_format(format, "the events", err);
    json_t *doc = NULL;
    BILAT_TRY(listing_events(db, q, &doc, err));
    struct bilat_buf b = BILAT_BUF_INIT;
    return finish_text(doc, &b, add_json(&b, doc, format), out, err);
}

/* ------------------------------------------------------------------------------------------ */
/* Claims                                                                                     */

/* `bilat claims` as text: a one-line summary, the claims (report/text.c) and the sources. */
static int claims_text(struct bilat_buf *b, const json_t *doc,
                       const struct bilat_claims_summary *sum, int evidence)
{
    BILAT_TRY(bilat_buf_addf(b,
                             "Claims: %zu judged: %zu supported, %zu restates, %zu not shown, "
                             "%zu contradicted, %zu not checkable, %zu failed to run\n\n",
                             sum->claims, sum->supported, sum->restates, sum->not_shown,
                             sum->contradicted, sum->not_checkable, sum->errors));
    BILAT_TRY(text_render_claims(b, json_array_get(json_object_get(doc, "sections"), 0),
                                 evidence));
    return text_render_sources(b, json_object_get(doc, "sources"));
}

int bilat_claims_render(bilat_db *db, const struct bilat_claims_opts *o, enum bilat_format format,
                        char **out, struct bilat_claims_summary *sum_out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_TEXT)
        return bad_format(format, "claims", err);
    json_t *doc = NULL;
    struct bilat_claims_summary sum = {0};
    BILAT_TRY(claims_build(db, o, &doc, &sum, err));
    if (sum_out)
        *sum_out = sum;
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = is_json(format) ? add_json(&b, doc, format) : claims_text(&b, doc, &sum, o->evidence);
    return finish_text(doc, &b, rc, out, err);
}

/* ------------------------------------------------------------------------------------------ */
/* Networks, comparisons, narratives                                                          */

/* A document of sections for one dyad, as the profile has it (a, b, period, sections). */
static int dyad_doc(bilat_db *db, const char *a, const char *b, int from, int to,
                    struct dyad_side *sa, struct dyad_side *sb, json_t **doc_out,
                    struct bilat_err *err)
{
    *doc_out = NULL;
    if (from && to && from > to)
        return bilat_fail(err, BILAT_EINVAL, "period starts (%d) after it ends (%d)", from, to);
    BILAT_TRY(dyad_resolve(db, a, sa, err));
    BILAT_TRY(dyad_resolve(db, b, sb, err));
    if (strcmp(sa->code, sb->code) == 0)
        return bilat_fail(err, BILAT_EINVAL, "a dyad needs two different actors (got %s twice)",
                          sa->code);
    json_t *doc = json_pack(
        "{s:s, s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s}, s:{s:o, s:o}, s:[]}",
        "bilat_version", BILAT_VERSION, "a", "code", sa->code, "name", sa->name, "kind",
        sa->kind, "country", sa->country, "b", "code", sb->code, "name", sb->name, "kind",
        sb->kind, "country", sb->country, "period", "from",
        from ? json_integer(from) : json_null(), "to", to ? json_integer(to) : json_null(),
        "sections");
    if (!doc)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    *doc_out = doc;
    return 0;
}

/* A DOT string: quoted, with '"' and '\\' escaped and newlines as \\n. */
static int dot_quoted(struct bilat_buf *b, const char *s)
{
    BILAT_TRY(bilat_buf_addch(b, '"'));
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            BILAT_TRY(bilat_buf_addch(b, '\\'));
        if (*s == '\n')
            BILAT_TRY(bilat_buf_adds(b, "\\n"));
        else
            BILAT_TRY(bilat_buf_addch(b, *s));
    }
    return bilat_buf_addch(b, '"');
}

/* The network as Graphviz: one cluster per side, edges labelled with their meetings. */
static int dot_render(struct bilat_buf *b, const json_t *doc)
{
    const json_t *secs = json_object_get(doc, "sections");
    const json_t *nodes = json_array_get(secs, 0), *edges = json_array_get(secs, 1);
    const char *ca = json_string_value(json_object_get(json_object_get(doc, "a"), "code"));
    const char *cb = json_string_value(json_object_get(json_object_get(doc, "b"), "code"));
    BILAT_TRY(bilat_buf_adds(b, "graph "));
    char name[80];
    snprintf(name, sizeof(name), "%s-%s", ca, cb);
    BILAT_TRY(dot_quoted(b, name));
    BILAT_TRY(bilat_buf_adds(b, " {\n  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
                                "  node [shape=box, style=\"rounded,filled\", "
                                "fontname=\"Helvetica\", fontsize=10];\n"
                                "  edge [fontname=\"Helvetica\", fontsize=9];\n"));
    static const char *const fill[] = {"#dbe8f6", "#f6dcdc"};
    for (int side = 0; side < 2; side++) {
        const char *code = side ? cb : ca;
        BILAT_TRY(bilat_buf_addf(b, "  subgraph \"cluster_%d\" {\n    label=", side));
        BILAT_TRY(dot_quoted(b, code));
        BILAT_TRY(bilat_buf_adds(b, ";\n"));
        size_t i;
        const json_t *row;
        json_array_foreach(json_object_get(nodes, "rows"), i, row)
        {
            const char *s = json_string_value(json_array_get(row, 4));
            if (!s || strcmp(s, code) != 0)
                continue;
            BILAT_TRY(bilat_buf_adds(b, "    "));
            BILAT_TRY(dot_quoted(b, json_string_value(json_array_get(row, 0))));
            BILAT_TRY(bilat_buf_adds(b, " [label="));
            BILAT_TRY(dot_quoted(b, json_string_value(json_array_get(row, 1))));
            BILAT_TRY(bilat_buf_addf(b, ", fillcolor=\"%s\", tooltip=\"counterparts %lld, "
                                        "betweenness %.3g\"];\n",
                                     fill[side],
                                     (long long)json_integer_value(json_array_get(row, 5)),
                                     json_number_value(json_array_get(row, 7))));
        }
        BILAT_TRY(bilat_buf_adds(b, "  }\n"));
    }
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(edges, "rows"), i, row)
    {
        long long n = (long long)json_integer_value(json_array_get(row, 4));
        BILAT_TRY(bilat_buf_adds(b, "  "));
        BILAT_TRY(dot_quoted(b, json_string_value(json_array_get(row, 0))));
        BILAT_TRY(bilat_buf_adds(b, " -- "));
        BILAT_TRY(dot_quoted(b, json_string_value(json_array_get(row, 1))));
        BILAT_TRY(bilat_buf_addf(b, " [label=\"%lld\", penwidth=%.1f];\n", n,
                                 1 + log((double)(n > 0 ? n : 1)) * 1.5));
    }
    return bilat_buf_adds(b, "}\n");
}

/* `bilat network` in the chosen format, from the same sections as the profile's. */
int bilat_network_render(bilat_db *db, const struct bilat_network_opts *o,
                         enum bilat_format format, char **out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_TEXT && format != BILAT_FORMAT_CSV &&
        format != BILAT_FORMAT_DOT)
        return bad_format(format, "a network", err);
    struct dyad_side sa, sb;
    json_t *doc = NULL;
    BILAT_TRY(dyad_doc(db, o->a, o->b, o->from, o->to, &sa, &sb, &doc, err));
    json_t *secs = json_object_get(doc, "sections");
    int rc = network_sections(db, &sa, &sb, o->from ? o->from : 0, o->to ? o->to : 9999, secs,
                              err);
    /* the headline rows are for the profile's headline table, not for this output */
    size_t k;
    json_t *hs;
    json_array_foreach(secs, k, hs) json_object_del(hs, "_headline");
    struct bilat_buf b = BILAT_BUF_INIT;
    if (rc == 0) {
        if (is_json(format)) {
            rc = add_json(&b, doc, format);
        } else if (format == BILAT_FORMAT_CSV) {
            rc = text_render_csv(&b, json_array_get(secs, o->edges ? 1 : 0));
        } else if (format == BILAT_FORMAT_DOT) {
            rc = dot_render(&b, doc);
        } else {
            rc = bilat_buf_addf(&b, "Network: %s (%s) and %s (%s)\n\n", sa.name, sa.code,
                                sb.name, sb.code);
            if (rc == 0)
                rc = add_sections(&b, secs);
        }
    }
    return finish_text(doc, &b, rc, out, err);
}

/* The comparison as one long CSV table: the dimension first, then each section's columns. */
static int compare_csv(struct bilat_buf *b, const json_t *secs)
{
    size_t i;
    const json_t *sec;
    BILAT_TRY(bilat_buf_adds(b, "dimension,rank,country,name,value,lo,hi,n,first,last,source_id,"
                                "records,why\n"));
    json_array_foreach(secs, i, sec)
    {
        struct bilat_buf one = BILAT_BUF_INIT;
        int rc = text_render_csv(&one, sec);
        /* drop the section's own header line, prefix each row with the dimension */
        const char *p = rc == 0 ? strchr(one.buf, '\n') : NULL;
        const char *id = json_string_value(json_object_get(sec, "id"));
        if (id && strncmp(id, "compare_", 8) == 0)
            id += 8;
        for (p = p ? p + 1 : NULL; rc == 0 && p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t l = nl ? (size_t)(nl - p + 1) : strlen(p);
            rc = bilat_buf_addf(b, "%s,", id ? id : "");
            if (rc == 0)
                rc = bilat_buf_add(b, p, l);
            p += l;
        }
        bilat_buf_release(&one);
        BILAT_TRY(rc);
    }
    return 0;
}

/* The section of a comparison on the same axes (BILAT_COMPARE_VOTES or _SECTION). */
static int compare_axes(bilat_db *db, const struct bilat_compare_opts *o, json_t **sec_out,
                        struct bilat_err *err)
{
    if (o->view == BILAT_COMPARE_VOTES)
        return compare_votes(db, o->a, o->na, o->b, o->from, o->to, o->measure, sec_out, err);
    return compare_sections(db, o->a, o->na, o->b, o->from, o->to, o->section, o->x, o->y,
                            o->agg, sec_out, err);
}

int bilat_compare_render(bilat_db *db, const struct bilat_compare_opts *o,
                         enum bilat_format format, char **out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_TEXT && format != BILAT_FORMAT_CSV)
        return bad_format(format, "a comparison", err);
    json_t *doc = NULL;
    if (o->view == BILAT_COMPARE_PARTNERS) {
        BILAT_TRY(compare_partners(db, o, &doc, err));
    } else {
        json_t *sec = NULL;
        BILAT_TRY(compare_axes(db, o, &sec, err));
        doc = json_pack("{s:s, s:[o]}", "bilat_version", BILAT_VERSION, "sections", sec);
        if (!doc)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    const json_t *secs = json_object_get(doc, "sections");
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = 0;
    if (is_json(format)) {
        rc = add_json(&b, doc, format);
    } else if (format == BILAT_FORMAT_CSV) {
        rc = o->view == BILAT_COMPARE_PARTNERS ? compare_csv(&b, secs)
                                               : text_render_csv(&b, json_array_get(secs, 0));
    } else if (o->view != BILAT_COMPARE_PARTNERS) {
        rc = add_sections(&b, secs);
    } else {
        rc = bilat_buf_addf(&b, "Partners of %s compared, %d-%d\n\n",
                            json_string_value(json_object_get(doc, "partner")), o->from, o->to);
        if (rc == 0)
            rc = add_sections(&b, secs);
        if (rc == 0)
            rc = text_render_sources(&b, json_object_get(doc, "sources"));
    }
    return finish_text(doc, &b, rc, out, err);
}

/* `bilat narratives`: the narratives sections as text or JSON. */
int bilat_narratives_render(bilat_db *db, const struct bilat_profile_opts *o,
                            enum bilat_format format, char **out, struct bilat_err *err)
{
    *out = NULL;
    if (!is_json(format) && format != BILAT_FORMAT_TEXT)
        return bad_format(format, "narratives", err);
    if (o->from || o->to)
        return bilat_fail(err, BILAT_EINVAL, "narratives have no period (concepts are compared "
                                             "whatever their dates): no 'from' or 'to'");
    struct dyad_side sa, sb;
    json_t *doc = NULL;
    BILAT_TRY(dyad_doc(db, o->a, o->b, 0, 0, &sa, &sb, &doc, err));
    json_t *secs = json_object_get(doc, "sections");
    int rc = narratives_sections(db, &sa, &sb, secs, err);
    struct bilat_buf b = BILAT_BUF_INIT;
    if (rc == 0) {
        if (is_json(format)) {
            rc = add_json(&b, doc, format);
        } else {
            rc = bilat_buf_addf(&b, "Narratives: %s (%s, side A) and %s (%s, side B)\n\n",
                                sa.name, sa.code, sb.name, sb.code);
            if (rc == 0)
                rc = add_sections(&b, secs);
        }
    }
    return finish_text(doc, &b, rc, out, err);
}
