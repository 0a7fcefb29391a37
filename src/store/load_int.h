/*
 * load_int.h: what the curated loader's files share (load.c: the run, files, pruning, the
 * series sink; load_rows.c: each file's rows checked and written).
 */
#ifndef BILAT_STORE_LOAD_INT_H
#define BILAT_STORE_LOAD_INT_H

#include "bilat.h"
#include "core/err.h"
#include "core/parse.h"
#include "store/db.h"

#include <stdbool.h>
#include <stdint.h>

enum { COL_REQ = 1 }; /* the column must be in the header */

struct col_spec {
    const char *name;
    unsigned flags;
};

struct load_ctx;
typedef int row_fn(struct load_ctx *c, const char *const *v);

/* One curated file: its columns, the SQL that stores a row, and how to prune. */
struct table_spec {
    const char *file;        /* file name in the dataset directory */
    const char *table;       /* SQL table */
    const char *key_expr;    /* natural key as an SQL expression over the table's columns */
    const char *prune_extra; /* extra condition for pruning, or NULL */
    const char *upsert;      /* INSERT ... ON CONFLICT ... RETURNING key */
    size_t stat;             /* offset of the counter in struct bilat_load_stats */
    row_fn *row;             /* validates a row and binds it (NULL for series.tsv) */
    struct col_spec cols[20];
};

enum { MAX_SPECS = 24 };

struct load_ctx {
    bilat_db *db;
    const struct bilat_load_opts *opts;
    struct bilat_load_stats *stats;
    struct bilat_err *err;
    const char *dataset;            /* name of the dataset being loaded */
    const char *dir;                /* its directory */
    const char *path;               /* file being read */
    const char *file;               /* its name inside the directory (for locators) */
    uint64_t line;                  /* line being read */
    const struct table_spec *spec;  /* spec of the file being read */
    sqlite3_stmt *st;               /* its prepared upsert */
    sqlite3_stmt *upserts[MAX_SPECS];
    sqlite3_stmt *seen_add, *seen_first;
    sqlite3_stmt *q_actor, *q_country, *q_source, *q_cameo, *q_vocab, *q_by_name, *q_cow,
        *q_call, *q_records, *q_concept, *q_claim_group;
    bool votes_pruned; /* roll calls or votes removed (the vote summaries are then stale) */
};

/* Report a row or file problem (an error counts the row as rejected). */
void load_diag(struct load_ctx *c, enum bilat_level lv, const char *path, uint64_t line,
               const char *fmt, ...) BILAT_PRINTF(5, 6);

/* Reject the row being read, with its reason. */
#define reject(c, ...) load_diag((c), BILAT_LOG_ERROR, (c)->path, (c)->line, __VA_ARGS__)

/* A lookup statement's row for `a` (and `b`): 1 found, 0 not, <0 error. */
int load_exists(struct load_ctx *c, sqlite3_stmt *st, const char *a, const char *b);
/* Actor id and kind (16 bytes, may be NULL) by code: 1 found, 0 not, <0 error. */
int load_actor_lookup(struct load_ctx *c, const char *code, int64_t *id, char kind[16]);

/* Step the file's bound upsert (c->st): the row is stored, or rejected (another dataset's
 * record, a duplicate key, a constraint). 0, or <0 for an error of the store. */
int load_upsert(struct load_ctx *c);
/* Bind a number when has is 1, else NULL. */
void load_bind_opt(sqlite3_stmt *st, int i, int has, double v);

/* Combine check results: a negative store error wins, then a rejection. */
#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int check_rc_ = (expr);                                                                    \
        if (check_rc_ < -1)                                                                        \
            return check_rc_;                                                                      \
        if (check_rc_ == -1)                                                                       \
            bad = 1;                                                                               \
    } while (0)


/* Field checks (load_rows.c), used by the series sink too: a required value; a known source;
 * an indicator's fields checked and bound to the file's upsert. 0, or -1 after rejecting the
 * row (<-1: an error of the store). */
int load_need(struct load_ctx *c, const char *v, const char *col);
int load_check_source(struct load_ctx *c, const char *v);
int load_bind_indicator(struct load_ctx *c, const char *country, const char *partner,
                        const char *name, const char *period, int has, double value,
                        const char *qual, const char *unit, const char *source_id,
                        const char *locator, const char *note);

/* The row handlers (load_rows.c), one per file: check a row and write it. 0 (written or
 * rejected) or <0 for an error of the store. */
int load_row_vocabulary(struct load_ctx *c, const char *const *v);
int load_row_cameo(struct load_ctx *c, const char *const *v);
int load_row_country(struct load_ctx *c, const char *const *v);
int load_row_country_alias(struct load_ctx *c, const char *const *v);
int load_row_bloc(struct load_ctx *c, const char *const *v);
int load_row_un_seat(struct load_ctx *c, const char *const *v);
int load_row_coverage(struct load_ctx *c, const char *const *v);
int load_row_source(struct load_ctx *c, const char *const *v);
int load_row_actor(struct load_ctx *c, const char *const *v);
int load_row_alias(struct load_ctx *c, const char *const *v);
int load_row_affiliation(struct load_ctx *c, const char *const *v);
int load_row_event(struct load_ctx *c, const char *const *v);
int load_row_indicator(struct load_ctx *c, const char *const *v);
int load_row_un_call(struct load_ctx *c, const char *const *v);
int load_row_un_vote(struct load_ctx *c, const char *const *v);
int load_row_concept(struct load_ctx *c, const char *const *v);
int load_row_concept_principle(struct load_ctx *c, const char *const *v);
int load_row_concept_adoption(struct load_ctx *c, const char *const *v);
int load_row_claim(struct load_ctx *c, const char *const *v);

#endif
