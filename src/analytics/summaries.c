/*
 * summaries.c: bilat_summaries_build(), the summaries a writer leaves to build (docs/STORE.md,
 * "Summaries"): the encoded vote panels (votes.c), and for the dyads the store is about (those
 * of its claims) the alignment's bootstrap intervals (align.c) and the judged claims (claims.c),
 * so that a profile of those dyads reads them instead of computing them. A dyad summary is built
 * only when its key (what it was built from) differs from the store's present one.
 */
#include "analytics/align.h"
#include "analytics/claims.h"
#include "analytics/summaries.h"
#include "analytics/votes.h"

#include "bilat.h"
#include "core/alloc.h"
#include "core/err.h"
#include "store/db.h"
#include "store/event_day.h"
#include "store/event_month.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A kind of dyad summary: its name in dyad_summary, its key and its builder. */
static const struct kind {
    const char *name;
    int (*key)(bilat_db *db, char *key, size_t len, struct bilat_err *err);
    int (*build)(bilat_db *db, const char *a, const char *b, char **json_out,
                 struct bilat_err *err);
} kinds[] = {
    {"align", align_summary_key, align_summary_build},
    {"claims", claims_summary_key, claims_summary_build},
};

/* Prepare `sql` with ?1 to ?4 bound to a, b, kind and key. */
static int prepare_dyad(bilat_db *db, const char *sql, const char *a, const char *b,
                        const char *kind, const char *key, sqlite3_stmt **st,
                        struct bilat_err *err)
{
    BILAT_TRY(store_prepare(db, sql, st, err));
    store_bind_text(*st, 1, a, -1);
    store_bind_text(*st, 2, b, -1);
    store_bind_text(*st, 3, kind, -1);
    store_bind_text(*st, 4, key, -1);
    return 0;
}

int dyad_summary_get(bilat_db *db, const char *a, const char *b, const char *kind,
                     const char *key, size_t flags, json_t **out, struct bilat_err *err)
{
    *out = NULL;
    if (bilat_db_schema_version(db) < 90)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(prepare_dyad(db,
                           "SELECT data FROM dyad_summary WHERE a = ?1 AND b = ?2 AND "
                           "kind = ?3 AND key = ?4",
                           a, b, kind, key, &st, err));
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW) {
        json_error_t jerr;
        *out = json_loadb((const char *)sqlite3_column_blob(st, 0),
                          (size_t)sqlite3_column_bytes(st, 0), flags, &jerr);
    } else if (s != SQLITE_DONE) {
        rc = store_fail(db, err, s, "cannot read a dyad summary");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Build dyad (a, b)'s summary of kind k unless the stored one has the present key. */
static int dyad_summary(bilat_db *db, const char *a, const char *b, const struct kind *k,
                        int rebuild, struct bilat_err *err)
{
    char key[256];
    BILAT_TRY(k->key(db, key, sizeof(key), err));
    if (!key[0])
        return 0; /* nothing to key it on */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(prepare_dyad(db,
                           "SELECT key = ?4 FROM dyad_summary WHERE a = ?1 AND b = ?2 AND "
                           "kind = ?3",
                           a, b, k->name, key, &st, err));
    int s = sqlite3_step(st);
    bool current = s == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot read a dyad summary");
    if (current && !rebuild)
        return 0;
    char *json = NULL;
    BILAT_TRY(k->build(db, a, b, &json, err));
    int rc = prepare_dyad(db,
                          "INSERT INTO dyad_summary(a, b, kind, key, built_at, data) VALUES "
                          "(?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?5) "
                          "ON CONFLICT(a, b, kind) DO UPDATE SET key = excluded.key, "
                          "built_at = excluded.built_at, data = excluded.data",
                          a, b, k->name, key, &st, err);
    if (rc == 0) {
        store_bind_text(st, 5, json, -1);
        s = sqlite3_step(st);
        if (s != SQLITE_DONE)
            rc = store_fail(db, err, s, "cannot write a dyad summary");
    }
    sqlite3_finalize(st);
    bilat_free(json);
    return rc;
}

int bilat_summaries_build(bilat_db *db, int rebuild, struct bilat_err *err)
{
    if (bilat_db_schema_version(db) < 90)
        return 0;
    BILAT_TRY(votes_summary_build(db, rebuild, err));
    if (rebuild) {
        BILAT_TRY(store_event_day_rebuild(db, err));
        BILAT_TRY(store_event_month_rebuild(db, err));
    }
    /* the dyads of the claims */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT DISTINCT a, b FROM claim WHERE a IS NOT NULL AND a <> '' AND "
                            "b IS NOT NULL AND b <> '' ORDER BY a, b",
                            &st, err));
    int s = SQLITE_DONE, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char a[64], b[64];
        snprintf(a, sizeof(a), "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(b, sizeof(b), "%s", (const char *)sqlite3_column_text(st, 1));
        /* a dyad's summaries are built on one state of the store, in one transaction that does
         * not count as a write (store_begin() would move the generation they are keyed on) */
        rc = store_exec(db, "SAVEPOINT summaries", err);
        for (size_t i = 0; rc == 0 && i < sizeof(kinds) / sizeof(kinds[0]); i++)
            rc = dyad_summary(db, a, b, &kinds[i], rebuild, err);
        if (rc == 0)
            rc = store_exec(db, "RELEASE summaries", err);
        else
            store_exec(db, "ROLLBACK TO summaries; RELEASE summaries", NULL);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read the claims' dyads");
    sqlite3_finalize(st);
    return rc;
}
