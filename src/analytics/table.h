/*
 * table.h: the table model every measure produces and every output renders.
 *
 * A section is a JSON object:
 *   {"id": "timeline", "title": "...", "description": "...",
 *    "columns": [{"name": "date", "label": "Date", "type": "text"}, ...],
 *    "rows": [[...], ...], "notes": ["..."], "chart": {...}}
 * Column types: "int", "num", "text", "source" (a source id, rendered as a link to the
 * sources list), "year". Values are JSON numbers, strings or null (missing, never 0).
 * The CLI prints sections as aligned text, the report as HTML tables and SVG charts, the web
 * server as JSON: one model, three views (docs/PROFILE.md).
 */
#ifndef BILAT_ANALYTICS_TABLE_H
#define BILAT_ANALYTICS_TABLE_H

#include "bilat.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

enum tcol_type { TCOL_INT, TCOL_NUM, TCOL_TEXT, TCOL_SOURCE, TCOL_YEAR };

struct tcol {
    const char *name;    /* machine name */
    const char *label;   /* heading */
    enum tcol_type type; /* how values are typed and shown */
};

/* A new section with its columns; NULL on out-of-memory. Caller owns the reference. */
json_t *table_new(const char *id, const char *title, const char *description,
                  const struct tcol *cols, size_t ncol);

/* Append a note (a caveat shown under the table). 0 or BILAT_ENOMEM. */
int table_note(json_t *t, const char *note);

/*
 * Binds named parameters of a statement: called once after prepare. Parameters a binder does
 * not know stay NULL.
 */
typedef int table_bind_fn(sqlite3_stmt *st, const void *ctx);

/*
 * Run `sql` and append one row per result row; the statement's result columns must match the
 * table's columns in number and order, and are converted by column type (NULL stays null).
 */
int table_add_sql(bilat_db *db, json_t *t, const char *sql, table_bind_fn *bind,
                  const void *ctx, struct bilat_err *err);

/*
 * Finish a section: append `t` to the array `sections` when `rc`, the status of building it, is
 * 0, else drop it and return `rc`. Takes the reference to `t` in every case; a NULL `t` or a
 * failed append is BILAT_ENOMEM, and so is `rc` BILAT_ENOMEM: `err` then says "out of memory".
 */
int table_append_take(json_t *sections, json_t *t, int rc, struct bilat_err *err);

/* Index of the column named `name` of a section, or -1 (none, or `name` NULL). */
int table_col(const json_t *sec, const char *name);

/* Number of rows of a section. */
size_t table_nrows(const json_t *t);

/* Bind `value` to the named parameter `name` (":a") if the statement has it. */
void table_bind_text(sqlite3_stmt *st, const char *name, const char *value);
void table_bind_int(sqlite3_stmt *st, const char *name, long long value);

/* Serialise with the project's settings (2-space indent, or on one line when `compact`; 15
 * significant digits; a final newline). Caller frees with bilat_free(); NULL when out of
 * memory. */
char *table_dump(const json_t *doc, bool compact);

/* The json_dumps() flags of table_dump(). */
size_t table_dump_flags(bool compact);

#endif
