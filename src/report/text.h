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

/* Render a whole profile document. */
int text_render_profile(struct bilat_buf *b, const json_t *doc);

#endif
