/*
 * table.c: building table sections from SQL queries.
 */
#include "analytics/table.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "store/db.h"

#include <stdlib.h>
#include <string.h>

static const char *type_name(enum tcol_type t)
{
    switch (t) {
    case TCOL_INT:
        return "int";
    case TCOL_NUM:
        return "num";
    case TCOL_TEXT:
        return "text";
    case TCOL_SOURCE:
        return "source";
    case TCOL_YEAR:
        return "year";
    }
    return "text";
}

json_t *table_new(const char *id, const char *title, const char *description,
                  const struct tcol *cols, size_t ncol)
{
    json_t *t = json_object();
    json_t *c = json_array();
    if (!t || !c)
        goto fail;
    int bad = json_object_set_new(t, "id", json_string(id)) ||
              json_object_set_new(t, "title", json_string(title)) ||
              (description && json_object_set_new(t, "description", json_string(description)));
    for (size_t i = 0; !bad && i < ncol; i++) {
        json_t *col = json_pack("{s:s, s:s, s:s}", "name", cols[i].name, "label", cols[i].label,
                                "type", type_name(cols[i].type));
        bad = !col || json_array_append_new(c, col);
    }
    if (bad)
        goto fail;
    bad = json_object_set_new(t, "columns", c) || json_object_set_new(t, "rows", json_array()) ||
          json_object_set_new(t, "notes", json_array());
    if (bad) {
        json_decref(t);
        return NULL;
    }
    return t;
fail:
    json_decref(c);
    json_decref(t);
    return NULL;
}

int table_note(json_t *t, const char *note)
{
    json_t *notes = json_object_get(t, "notes");
    if (!notes || json_array_append_new(notes, json_string(note)))
        return BILAT_ENOMEM;
    return 0;
}

int table_append_take(json_t *sections, json_t *t, int rc, struct bilat_err *err)
{
    if (rc < 0) {
        json_decref(t);
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
    }
    /* json_array_append_new() drops the reference when it fails */
    if (!t || json_array_append_new(sections, t))
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return 0;
}

int table_col(const json_t *sec, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(sec, "columns"), i, c)
    {
        const char *n = json_string_value(json_object_get(c, "name"));
        if (n && name && strcmp(n, name) == 0)
            return (int)i;
    }
    return -1;
}

size_t table_nrows(const json_t *t)
{
    return json_array_size(json_object_get(t, "rows"));
}

void table_bind_text(sqlite3_stmt *st, const char *name, const char *value)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        store_bind_text(st, i, value, -1);
}

void table_bind_int(sqlite3_stmt *st, const char *name, long long value)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int64(st, i, value);
}

static json_t *cell(sqlite3_stmt *st, int i, const char *type)
{
    int t = sqlite3_column_type(st, i);
    if (t == SQLITE_NULL)
        return json_null();
    if (strcmp(type, "int") == 0 || strcmp(type, "year") == 0) {
        if (t == SQLITE_INTEGER || t == SQLITE_FLOAT)
            return json_integer(sqlite3_column_int64(st, i));
    } else if (strcmp(type, "num") == 0) {
        if (t == SQLITE_INTEGER)
            return json_integer(sqlite3_column_int64(st, i));
        if (t == SQLITE_FLOAT)
            return json_real(sqlite3_column_double(st, i));
    }
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? json_string(s) : json_null();
}

int table_add_sql(bilat_db *db, json_t *t, const char *sql, table_bind_fn *bind,
                  const void *ctx, struct bilat_err *err)
{
    json_t *cols = json_object_get(t, "columns"), *rows = json_object_get(t, "rows");
    size_t ncol = json_array_size(cols);
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare_kept(db, sql, &st, err));
    int rc = 0;
    if ((size_t)sqlite3_column_count(st) != ncol) {
        rc = bilat_fail(err, BILAT_EINVAL, "query gives %d columns, table '%s' has %zu",
                        sqlite3_column_count(st), json_string_value(json_object_get(t, "id")),
                        ncol);
        goto out;
    }
    if (bind && (rc = bind(st, ctx)) < 0)
        goto out;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_array();
        if (!row) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < ncol; i++) {
            const char *type = json_string_value(json_object_get(json_array_get(cols, i), "type"));
            json_t *v = cell(st, (int)i, type ? type : "text");
            if (!v || json_array_append_new(row, v)) {
                json_decref(row);
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                goto out;
            }
        }
        if (json_array_append_new(rows, row)) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
    }
    if (s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot query the store");
out:
    store_unprepare(db, st);
    return rc;
}

size_t table_dump_flags(bool compact)
{
    return (compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_REAL_PRECISION(15);
}

char *table_dump(const json_t *doc, bool compact)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    if (bilat_jsonw(&b, doc, table_dump_flags(compact), 0) < 0 || bilat_buf_addch(&b, '\n') < 0) {
        bilat_buf_release(&b);
        return NULL;
    }
    return bilat_buf_detach(&b, NULL);
}
