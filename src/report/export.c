/*
 * export.c: the command-line views of claims, networks and narratives: text tables, JSON,
 * CSV and Graphviz DOT (bilat_claims_text(), bilat_network_write(), bilat_narratives_write()).
 *
 * DOT: an undirected graph with one cluster per side; node labels are names, edge labels the
 * number of meetings and visits, and edge widths grow with it. Identifiers and labels are
 * always quoted, with '"' and '\' escaped, so any name is safe.
 */
#include "analytics/claims.h"
#include "analytics/narratives.h"
#include "analytics/network.h"
#include "analytics/partners.h"
#include "analytics/dyad.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "report/text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* `bilat claims` as text: a one-line summary, the claims (report/text.c) and the sources. */
int bilat_claims_text(bilat_db *db, const struct bilat_claims_opts *o, char **text_out,
                      struct bilat_claims_summary *sum_out, struct bilat_err *err)
{
    json_t *doc;
    struct bilat_claims_summary sum = {0};
    *text_out = NULL;
    BILAT_TRY(claims_build(db, o, &doc, &sum, err));
    if (sum_out)
        *sum_out = sum;
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = bilat_buf_addf(&b,
                            "Claims: %zu judged: %zu supported, %zu restates, %zu not shown, %zu "
                            "contradicted, %zu not checkable, %zu failed to run\n\n",
                            sum.claims, sum.supported, sum.restates, sum.not_shown,
                            sum.contradicted, sum.not_checkable, sum.errors);
    if (rc == 0)
        rc = text_render_claims(&b, json_array_get(json_object_get(doc, "sections"), 0),
                                o->evidence);
    if (rc == 0)
        rc = text_render_sources(&b, json_object_get(doc, "sources"));
    json_decref(doc);
    if (rc < 0) {
        bilat_buf_release(&b);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    *text_out = bilat_buf_detach(&b, NULL);
    return *text_out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

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

/* The document as JSON (table_dump()). */
static int add_json(struct bilat_buf *b, const json_t *doc)
{
    char *s = table_dump(doc);
    int rc = s ? bilat_buf_adds(b, s) : BILAT_ENOMEM;
    bilat_free(s);
    return rc;
}

/* Every section as a text table. */
static int add_sections(struct bilat_buf *b, const json_t *secs)
{
    size_t i;
    json_t *sec;
    json_array_foreach(secs, i, sec) BILAT_TRY(text_render_section(b, sec, 1));
    return 0;
}

/* The end of a writer: drop the document, and hand the text to *out (0) or drop it (rc < 0). */
static int finish_text(json_t *doc, struct bilat_buf *b, int rc, char **out,
                       struct bilat_err *err)
{
    json_decref(doc);
    if (rc < 0) {
        bilat_buf_release(b);
        return rc;
    }
    *out = bilat_buf_detach(b, NULL);
    return *out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

/* `bilat network` in the chosen format, from the same sections as the profile's. */
int bilat_network_write(bilat_db *db, const struct bilat_network_opts *o, char **out,
                        struct bilat_err *err)
{
    struct dyad_side sa, sb;
    json_t *doc = NULL;
    *out = NULL;
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
        int brc = 0;
        switch (o->format) {
        case BILAT_NETWORK_JSON:
            brc = add_json(&b, doc);
            break;
        case BILAT_NETWORK_CSV:
            brc = text_render_csv(&b, json_array_get(secs, o->edges ? 1 : 0));
            break;
        case BILAT_NETWORK_DOT:
            brc = dot_render(&b, doc);
            break;
        default: {
            brc = bilat_buf_addf(&b, "Network: %s (%s) and %s (%s)\n\n", sa.name, sa.code,
                                 sb.name, sb.code);
            if (brc == 0)
                brc = add_sections(&b, secs);
        }
        }
        if (brc < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
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

int bilat_compare_write(bilat_db *db, const struct bilat_compare_opts *o,
                        enum bilat_compare_format format, char **out, struct bilat_err *err)
{
    json_t *doc = NULL;
    *out = NULL;
    BILAT_TRY(compare_partners(db, o, &doc, err));
    const json_t *secs = json_object_get(doc, "sections");
    struct bilat_buf b = BILAT_BUF_INIT;
    int brc = 0;
    if (format == BILAT_COMPARE_JSON) {
        brc = add_json(&b, doc);
    } else if (format == BILAT_COMPARE_CSV) {
        brc = compare_csv(&b, secs);
    } else {
        brc = bilat_buf_addf(&b, "Partners of %s compared, %d-%d\n\n",
                             json_string_value(json_object_get(doc, "partner")), o->from, o->to);
        if (brc == 0)
            brc = add_sections(&b, secs);
        if (brc == 0)
            brc = text_render_sources(&b, json_object_get(doc, "sources"));
    }
    return finish_text(doc, &b, brc < 0 ? bilat_fail(err, BILAT_ENOMEM, "out of memory") : 0,
                       out, err);
}

/* `bilat narratives`: the narratives sections as text or JSON. */
int bilat_narratives_write(bilat_db *db, const struct bilat_profile_opts *o, int json, char **out,
                           struct bilat_err *err)
{
    struct dyad_side sa, sb;
    json_t *doc = NULL;
    *out = NULL;
    BILAT_TRY(dyad_doc(db, o->a, o->b, 0, 0, &sa, &sb, &doc, err));
    json_t *secs = json_object_get(doc, "sections");
    int rc = narratives_sections(db, &sa, &sb, secs, err);
    struct bilat_buf b = BILAT_BUF_INIT;
    if (rc == 0) {
        int brc = 0;
        if (json) {
            brc = add_json(&b, doc);
        } else {
            brc = bilat_buf_addf(&b, "Narratives: %s (%s, side A) and %s (%s, side B)\n\n",
                                 sa.name, sa.code, sb.name, sb.code);
            if (brc == 0)
                brc = add_sections(&b, secs);
        }
        if (brc < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    return finish_text(doc, &b, rc, out, err);
}
