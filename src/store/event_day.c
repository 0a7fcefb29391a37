/*
 * event_day.c: event_day kept in step with the event files (event_day.h). A file adds one to
 * `files` (and to `daily_files` unless it is a GDELT 2.0 export) on each day its events were
 * added, and its events to each event day; a replaced file takes them away, and a day that no
 * file covers and no event falls on leaves the table. event_month_total, event_day by month, is
 * summed again for the months from a file's first day to its last.
 */
#include "store/event_day.h"

#include "core/err.h"
#include "store/db.h"
#include "store/migrations.h"

/* Run `sql` with ?1 bound to an id or a text (the other NULL), to its end. */
static int run(bilat_db *db, const char *sql, int64_t id, const char *text, const char *what,
               struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, sql, &st, err));
    if (text)
        store_bind_text(st, 1, text, -1);
    else
        sqlite3_bind_int64(st, 1, id);
    int rc = store_step_done(db, st, what, err);
    sqlite3_finalize(st);
    return rc;
}

/* The first and last month (m0, m1) of the days in the coverage or volume of the file whose
 * id passes `file` (an SQL condition on ?1). */
#define FILE_MONTHS(file)                                                                          \
    "WITH r(m0, m1) AS (SELECT substr(min(d0), 1, 7), substr(max(d1), 1, 7) FROM (SELECT "        \
    "min(day) AS d0, max(day) AS d1 FROM ingest_coverage WHERE file_id " file " UNION ALL "        \
    "SELECT min(day), max(day) FROM event_volume WHERE file_id " file ")) "

/* Sum event_month_total again for the months of that file (version 93). */
#define MONTHS_AGAIN(file)                                                                         \
    FILE_MONTHS(file) "DELETE FROM event_month_total WHERE month BETWEEN (SELECT m0 FROM r) AND " \
                      "(SELECT m1 FROM r)",                                                        \
        FILE_MONTHS(file) STORE_EVENT_MONTH_TOTAL_FILL(                                            \
            "WHERE day >= (SELECT m0 FROM r) AND day < (SELECT m1 FROM r) || '-32'")

int store_event_day_add(bilat_db *db, int64_t file_id, struct bilat_err *err)
{
    static const char *const sql[] = {
        "INSERT INTO event_day(day, files, daily_files) SELECT v.day, 1, coalesce(f.format <> "
        "'gdelt2', 0) FROM ingest_coverage v JOIN ingest_file f ON f.id = v.file_id WHERE "
        "v.file_id = ?1 ON CONFLICT(day) DO UPDATE SET files = files + excluded.files, "
        "daily_files = daily_files + excluded.daily_files",
        "INSERT INTO event_day(day, events, events_dedup) SELECT day, events, events_dedup FROM "
        "event_volume WHERE file_id = ?1 ON CONFLICT(day) DO UPDATE SET events = events + "
        "excluded.events, events_dedup = events_dedup + excluded.events_dedup",
        MONTHS_AGAIN("= ?1"),
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        BILAT_TRY(run(db, sql[i], file_id, NULL, "cannot write the event days", err));
    return 0;
}

int store_event_day_remove(bilat_db *db, const char *path, struct bilat_err *err)
{
    static const char *const sql[] = {
        "UPDATE event_day SET files = files - d.n, daily_files = daily_files - d.daily FROM "
        "(SELECT v.day, count(*) AS n, sum(coalesce(f.format <> 'gdelt2', 0)) AS daily FROM "
        "ingest_coverage v JOIN ingest_file f ON f.id = v.file_id WHERE f.path = ?1 GROUP BY "
        "v.day) AS d WHERE event_day.day = d.day",
        "UPDATE event_day SET events = events - d.e, events_dedup = events_dedup - d.dd FROM "
        "(SELECT v.day, sum(v.events) AS e, sum(v.events_dedup) AS dd FROM event_volume v JOIN "
        "ingest_file f ON f.id = v.file_id WHERE f.path = ?1 GROUP BY v.day) AS d WHERE "
        "event_day.day = d.day",
        "DELETE FROM event_day WHERE files = 0 AND events = 0 AND events_dedup = 0 AND "
        "?1 IS NOT NULL",
        MONTHS_AGAIN("IN (SELECT id FROM ingest_file WHERE path = ?1)"),
    };
    for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++)
        BILAT_TRY(run(db, sql[i], 0, path, "cannot take away a replaced file's days", err));
    return 0;
}

int store_event_day_rebuild(bilat_db *db, struct bilat_err *err)
{
    int version = bilat_db_schema_version(db);
    if (version < 91)
        return 0;
    BILAT_TRY(
        store_exec_whole(db, "event_day", "DELETE FROM event_day; " STORE_EVENT_DAY_FILL, err));
    if (version < 93)
        return 0;
    return store_exec_whole(db, "event_month_total",
                            "DELETE FROM event_month_total; " STORE_EVENT_MONTH_TOTAL_FILL(""),
                            err);
}
