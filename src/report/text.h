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

/* A claims section ("view": "claims"): the verdict table, then one block per claim with how
 * its verdict follows and its sources; with `evidence`, every claim's evidence table too. */
int text_render_claims(struct bilat_buf *b, const json_t *section, int evidence);

/* Write a section as CSV (RFC 4180, header row, null as an empty field). */
int text_render_csv(struct bilat_buf *b, const json_t *section);

/* Render a whole profile document. */
int text_render_profile(struct bilat_buf *b, const json_t *doc);

/* Append "== Sources ==" and one citation line per source of a document's "sources" array
 * (nothing when it is empty). */
int text_render_sources(struct bilat_buf *b, const json_t *sources);

#endif
