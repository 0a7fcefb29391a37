/*
 * db.h: the store handle and helpers shared by the store, measures and report modules.
 *
 * Invariant: every prepared statement is finalised on every path (store_stmt_* helpers make
 * that the default); values are always bound, never formatted into SQL.
 */
#ifndef BILAT_STORE_DB_H
#define BILAT_STORE_DB_H

#include "bilat.h"

#include <sqlite3.h>

struct bilat_db {
    sqlite3 *db;   /* the connection */
    char *path;    /* as given to bilat_db_open() */
    int readonly;  /* opened with BILAT_OPEN_READONLY */
    int version;   /* highest applied migration */
};

/* Fill `err` with BILAT_ESQL and the connection's message, prefixed by `what`; return BILAT_ESQL
 * (or BILAT_EIO for disk full / I/O errors, BILAT_ENOMEM for SQLITE_NOMEM). */
int store_fail(bilat_db *db, struct bilat_err *err, int rc, const char *what);

/* Run SQL without results (one or more statements). */
int store_exec(bilat_db *db, const char *sql, struct bilat_err *err);

/* Prepare one statement; on failure fill err. */
int store_prepare(bilat_db *db, const char *sql, sqlite3_stmt **st_out, struct bilat_err *err);

/* Bind text, or NULL when s is NULL. Length -1 means NUL-terminated. */
int store_bind_text(sqlite3_stmt *st, int i, const char *s, int len);

/* Run one SQL statement with one text parameter and return its single integer result
 * (0 when there is no row). */
int store_query_int(bilat_db *db, const char *sql, const char *arg, int64_t *out,
                    struct bilat_err *err);

#endif
