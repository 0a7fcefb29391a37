/*
 * event_month.c: event_month kept in step with the event cube (event_month.h). The ingest sums
 * a file's cells by dyad, month and quad class as it writes them (store/evstore.c) and writes
 * the sums here; a replaced file's rows are deleted with its cells.
 */
#include "store/event_month.h"

#include "core/err.h"
#include "store/db.h"
#include "store/migrations.h"

#include <stdio.h>

int store_event_month_add(bilat_db *db, int64_t file_id, const struct evgroups *month,
                          struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "INSERT INTO event_month(actor1_country, actor2_country, month, "
                            "quad, file_id, events, events_dedup, goldstein_sum) VALUES (?1, ?2, "
                            "?3, ?4, ?5, ?6, ?7, ?8)",
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
            sqlite3_bind_double(st, 8, ev_fixed_to_double(m->gold));
        else
            sqlite3_bind_null(st, 8);
        rc = store_step_done(db, st, "cannot write the event months", err);
    }
    sqlite3_finalize(st);
    return rc;
}

int store_event_month_rebuild(bilat_db *db, struct bilat_err *err)
{
    if (bilat_db_schema_version(db) < 92)
        return 0;
    return store_exec_whole(db, "event_month", "DELETE FROM event_month; " STORE_EVENT_MONTH_FILL,
                            err);
}
