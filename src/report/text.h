/*
 * text.h: plain-text rendering of table sections (analytics/table.h) for the command line:
 * aligned columns, numbers right-aligned, long text cut at TEXT_MAX_CELL characters (the JSON
 * and HTML outputs keep everything).
 */
#ifndef BILAT_REPORT_TEXT_H
#define BILAT_REPORT_TEXT_H

#include "core/buf.h"

#include <jansson.h>

enum { TEXT_MAX_CELL = 48 };

/* Append one section: title, description, table, notes. Detail sections ("detail": true) are
 * summarised by their row count unless `all` is set. */
int text_render_section(struct bilat_buf *b, const json_t *section, int all);

/* The columns of a claims section (analytics/claims.c) by name; -1 for one it lacks. */
struct claims_cols {
    int id, part_of, claim, verdict, measured, expected, detail, source_id, locator,
        evidence_sources, restates_source, note, check, method, stated;
};

/* Find the columns of a claims section. */
void text_claims_cols(const json_t *section, struct claims_cols *c);

/* A claims section ("view": "claims"): the verdict table, then one block per claim with how
 * its verdict follows and its sources; with `evidence`, every claim's evidence table too. */
int text_render_claims(struct bilat_buf *b, const json_t *section, int evidence);

/* Write a section as CSV (RFC 4180, header row, null as an empty field). */
int text_render_csv(struct bilat_buf *b, const json_t *section);

/* The period of a profile document in words: "1996 to 2024", "start to 2010", "all years". */
void text_period(const json_t *doc, char *out, size_t len);

/* Render a whole profile document. */
int text_render_profile(struct bilat_buf *b, const json_t *doc);

/* Append "== Sources ==" and one citation line per source of a document's "sources" array
 * (nothing when it is empty). */
int text_render_sources(struct bilat_buf *b, const json_t *sources);

#endif
