/*
 * event_month.c: event_month kept in step with the event cube (event_month.h). The ingest sums
 * a file's cells by dyad, month and quad class as it writes them (store/evstore.c) and adds the
 * sums to its origin's rows here; for a file it replaces, the dyads' months that file touched
 * are summed again from the other files' cells.
 */
#include "store/event_month.h"

#include "core/err.h"
#include "store/db.h"
#include "store/migrations.h"

#include <stdio.h>

/* An exact sum (10^-18) in millionths, rounded half away from zero. */
static int64_t millionths(ev_fixed v)
{
    const ev_fixed unit = 1000000000000; /* 10^12 */
    ev_fixed half = v < 0 ? -unit / 2 : unit / 2;
    return (int64_t)((v + half) / unit);
}

int store_event_month_add(bilat_db *db, int64_t file_id, const struct evgroups *month,
                          struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(
        db,
        "INSERT INTO event_month(actor1_country, actor2_country, month, quad, origin, events, "
        "events_dedup, goldstein_e6) VALUES (?1, ?2, ?3, ?4, (SELECT origin FROM ingest_file "
        "WHERE id = ?5), ?6, ?7, ?8) ON CONFLICT DO UPDATE SET events = events + "
        "excluded.events, events_dedup = events_dedup + excluded.events_dedup, goldstein_e6 = "
        "coalesce(goldstein_e6 + excluded.goldstein_e6, goldstein_e6, excluded.goldstein_e6)",
        &st, err));
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < month->n; i++) {
        const uint64_t *k = evg_key(month, i);
        const struct evmeas *m = evg_meas(month, i);
        char a1[9], a2[9], ym[8];
        size_t n1 = ev_code_unpack(k[0], a1), n2 = ev_code_unpack(k[1], a2);
        snprintf(ym, sizeof(ym), "%04u-%02u", (unsigned)(k[2] / 100 % 10000),
                 (unsigned)(k[2] % 100));
        sqlite3_bind_text(st, 1, a1, (int)n1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, a2, (int)n2, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, ym, 7, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)k[3]);
        sqlite3_bind_int64(st, 5, file_id);
        sqlite3_bind_int64(st, 6, m->events);
        sqlite3_bind_int64(st, 7, m->dedup);
        if (m->flags & EVM_GOLD)
            sqlite3_bind_int64(st, 8, (sqlite3_int64)millionths(m->gold));
        else
            sqlite3_bind_null(st, 8);
        rc = store_step_done(db, st, "cannot write the event months", err);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_event_month_remove(bilat_db *db, const char *path, struct bilat_err *err)
{
    static const char *const sql[] = {
        /* the dyads' months and origin of the file's cells */
        "CREATE TEMP TABLE month_touched(a1 TEXT, a2 TEXT, m TEXT, o TEXT, PRIMARY KEY (a1, a2, "
        "m, o)) WITHOUT ROWID",
        "INSERT INTO temp.month_touched SELECT DISTINCT c.actor1_country, c.actor2_country, "
        "substr(c.day, 1, 7), f.origin FROM event_cube c JOIN ingest_file f ON f.id = c.file_id "
        "WHERE f.path = ?1 AND c.actor1_country IS NOT NULL AND c.actor2_country IS NOT NULL",
        "DELETE FROM event_month WHERE (actor1_country, actor2_country, month, origin) IN "
        "(SELECT a1, a2, m, o FROM temp.month_touched)",
        /* the other files' cells of those months: a search of the cube's index for each
         * month and file */
        "INSERT INTO event_month(actor1_country, actor2_country, month, quad, origin, events, "
        "events_dedup, goldstein_e6) SELECT k.a1, k.a2, k.m, coalesce(c.quad, 0), k.o, "
        "sum(c.events), sum(c.events_dedup), " STORE_GOLDSTEIN_E6("c.goldstein_sum") " FROM "
        "temp.month_touched k "
        "CROSS JOIN ingest_file g CROSS JOIN event_cube c WHERE g.origin = k.o AND g.path <> ?1 "
        "AND c.file_id = g.id AND c.actor1_country = k.a1 AND c.actor2_country = k.a2 AND c.day "
        ">= k.m AND c.day < k.m || '-32' GROUP BY 1, 2, 3, 4, 5",
        "DROP TABLE temp.month_touched",
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
        sqlite3_stmt *st = NULL;
        BILAT_TRY(store_prepare(db, sql[i], &st, err));
        if (sqlite3_bind_parameter_count(st))
            store_bind_text(st, 1, path, -1);
        int rc = store_step_done(db, st, "cannot take away a replaced file's months", err);
        sqlite3_finalize(st);
        BILAT_TRY(rc);
    }
    return 0;
}

int store_event_month_rebuild(bilat_db *db, struct bilat_err *err)
{
    if (bilat_db_schema_version(db) < 93)
        return 0;
    return store_exec_whole(db, "event_month", "DELETE FROM event_month; " STORE_EVENT_MONTH_FILL,
                            err);
}
