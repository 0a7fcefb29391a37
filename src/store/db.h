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

/*
 * A value the process derives from the store and keeps while the store is as it was: the decoded
 * UN vote panel (analytics/votes.c). `key` names the state it was derived from (a summary row's
 * stamp); a reader passes the current state's key and gets the value only when they match.
 */
struct store_memo {
    void *ptr;
    void (*free_fn)(void *);
    int64_t key;
};

enum { STORE_MEMO_VOTES_YEAR, STORE_MEMO_VOTES_SESSION, STORE_MEMO_PROFILE, STORE_MEMOS };

/* A statement kept prepared by the connection (store_prepare_kept()). */
struct store_stmt {
    uint64_t hash; /* of its SQL text (sqlite3_sql()) */
    sqlite3_stmt *st;
    int busy; /* handed out and not given back */
};

struct bilat_db {
    sqlite3 *db;   /* the connection */
    char *path;    /* as given to bilat_db_open() */
    int readonly;  /* opened with BILAT_OPEN_READONLY */
    int version;   /* highest applied migration */
    sqlite3_stmt *data_version; /* PRAGMA data_version, prepared on first use */
    struct store_memo memo[STORE_MEMOS];
    struct store_stmt *stmts; /* store_prepare_kept()'s statements */
    size_t nstmts;
};

/* The memo of `slot` when it was derived from state `key`, else NULL. */
void *store_memo_get(bilat_db *db, int slot, int64_t key);

/* Keep `ptr` (freed with free_fn when replaced, dropped or the store closed) for state `key`. */
void store_memo_set(bilat_db *db, int slot, void *ptr, void (*free_fn)(void *), int64_t key);

/* SQLite's data version of the main database: it changes with every commit, by this connection
 * or another (SQLITE_FCNTL_DATA_VERSION). */
int64_t store_data_version(bilat_db *db);

/*
 * Begin a write transaction (BEGIN IMMEDIATE) and count it in store_state.generation, so that
 * summaries built from an earlier state know they are out of date. Every writer begins with it.
 */
int store_begin(bilat_db *db, struct bilat_err *err);

/* The store's write generation (0 for a store older than schema 90). */
int store_generation(bilat_db *db, int64_t *out, struct bilat_err *err);

/*
 * A writer changed un_call, un_vote or un_issue: the summaries derived from them (un_panel) are
 * deleted in the writer's transaction and this process's memos of them dropped. 0 or BILAT_ESQL.
 */
int store_votes_changed(bilat_db *db, struct bilat_err *err);

/* Bind v, or SQL NULL when v is NaN (a measure not given). */
void store_bind_real_or_null(sqlite3_stmt *st, int i, double v);
/* Bind v, or SQL NULL when v is 0 (a code not given). */
void store_bind_int_or_null(sqlite3_stmt *st, int i, int v);

/* Commit the writer's transaction: *in_tx becomes 0, or `what` ("cannot save the load (nothing
 * was loaded)") goes before the reason in `err`. */
int store_commit(bilat_db *db, int *in_tx, const char *what, struct bilat_err *err);

/* Fill `err` with BILAT_ESQL and the connection's message, prefixed by `what`; return BILAT_ESQL
 * (or BILAT_EIO for disk full / I/O errors, BILAT_ENOMEM for SQLITE_NOMEM). */
int store_fail(bilat_db *db, struct bilat_err *err, int rc, const char *what);

/* Run SQL without results (one or more statements). */
int store_exec(bilat_db *db, const char *sql, struct bilat_err *err);

/* The same inside a savepoint of that name: all of `sql` or, on an error, none of it. Outside
 * a transaction, SQLite sorts in temporary files while it runs (a summary built again from the
 * whole cube), not in memory. */
int store_exec_whole(bilat_db *db, const char *name, const char *sql, struct bilat_err *err);

/* Prepare one statement; on failure fill err. */
int store_prepare(bilat_db *db, const char *sql, sqlite3_stmt **st_out, struct bilat_err *err);

/*
 * The same from the statements the connection keeps prepared: the first use of an SQL text
 * prepares it, later uses (by a long-lived connection: the server's) take it prepared, which
 * saves the 15 % of a profile's time that preparing its statements costs. Give it back with
 * store_unprepare(), not sqlite3_finalize(). At most STORE_KEPT statements are kept; past them
 * a statement is prepared and finalized as by store_prepare().
 */
enum { STORE_KEPT = 256 };
int store_prepare_kept(bilat_db *db, const char *sql, sqlite3_stmt **st_out,
                       struct bilat_err *err);

/* Give back a statement of store_prepare_kept() (reset, its bindings cleared), or finalize one
 * it did not keep. NULL does nothing. */
void store_unprepare(bilat_db *db, sqlite3_stmt *st);

/* Bind text, or NULL when s is NULL. Length -1 means NUL-terminated. */
int store_bind_text(sqlite3_stmt *st, int i, const char *s, int len);

/* Step a statement that returns no rows and reset it; on failure `what` ("cannot write a vote")
 * goes before the reason in `err`. */
int store_step_done(bilat_db *db, sqlite3_stmt *st, const char *what, struct bilat_err *err);

/*
 * Record an importer's run in `dataset` (the report's "data as of"): name, the `npaths` paths
 * joined by spaces, the time now, the number of files and the records, the single value of
 * `count_sql` (which may name the dataset as ?1). A second run replaces the row.
 */
int store_record_dataset(bilat_db *db, const char *name, const char *const *paths, size_t npaths,
                         int64_t files, const char *count_sql, struct bilat_err *err);

/* Run one SQL statement with one text parameter and return its single integer result
 * (0 when there is no row). */
int store_query_int(bilat_db *db, const char *sql, const char *arg, int64_t *out,
                    struct bilat_err *err);

/*
 * A time and step budget for running one statement written by a user (a claim's SQL check),
 * so that a runaway query (an endless WITH RECURSIVE) ends with an error instead of holding
 * the command or a server thread: store_budget_start() installs an SQLite progress handler on
 * the connection that interrupts the statement (SQLITE_INTERRUPT) once it has run longer than
 * the budget's seconds or more virtual-machine steps than its steps; store_budget_stop()
 * removes it. The seconds are BILAT_CHECK_SECONDS from the environment when set (a positive
 * number), else STORE_BUDGET_SECONDS; the steps STORE_BUDGET_STEPS. The budget lives on the
 * caller's stack: stop it on every path before it goes out of scope. One per connection.
 */
enum {
    STORE_BUDGET_SECONDS = 20,       /* default seconds of one check */
    STORE_BUDGET_EVERY = 10000,      /* VM steps between looks at the budget */
};
#define STORE_BUDGET_STEPS 20000000000ULL /* VM steps of one check (a backstop to the time) */

struct store_budget {
    double start, seconds;  /* monotonic start, seconds allowed */
    uint64_t steps;         /* VM steps run, counted in STORE_BUDGET_EVERY */
    int spent;              /* 0 running, 1 out of time, 2 out of steps */
};

void store_budget_start(bilat_db *db, struct store_budget *b);
void store_budget_stop(bilat_db *db);
/* Whether the budget ran out (the statement was interrupted for it): the reason, in words, in
 * `why`; NULL when it did not. */
const char *store_budget_spent(const struct store_budget *b, char *why, size_t cap);

#endif
