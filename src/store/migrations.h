/*
 * migrations.h: the store's schema as an ordered list of migrations.
 *
 * The schema is never edited in place: a change is a new migration with the next free version.
 * A store records every applied version in `schema_version`; opening a store applies, in order,
 * each migration it has not recorded, one transaction each. Versions are reserved per area so
 * that work on separate areas can land in any order:
 *   1    foundation (sources, actors, events, indicators, UN votes, reference tables)
 *   2-9  event files (cube, ingest log)    10-19 UN votes and alignment measures
 *   20-29 event coder                      30-39 claims, networks, narratives, server
 *   40-49 verdicts, UN seats, recent votes  50-59 independent evidence (imported events, speeches,
 *   finance projects)                      60-69 event files: content identity, batches
 *   70-79 fetching event files (bilat update)  90-99 summaries kept for speed
 */
#ifndef BILAT_STORE_MIGRATIONS_H
#define BILAT_STORE_MIGRATIONS_H

#include <stddef.h>

struct store_migration {
    int version;             /* unique, ascending in the table */
    const char *description; /* one line, recorded with the version */
    const char *sql;         /* one or more statements */
};

/*
 * event_day (version 91) filled from the tables it sums: the migration runs it, and so does a
 * rebuild after SQL written by hand (store_event_day_rebuild()), on an emptied table.
 */
#define STORE_EVENT_DAY_FILL                                                                       \
    "INSERT INTO event_day(day, files, daily_files, events, events_dedup)\n"                        \
    "  SELECT day, sum(files), sum(daily), sum(e), sum(dd) FROM (\n"                               \
    "    SELECT v.day, 1 AS files, coalesce(f.format <> 'gdelt2', 0) AS daily, 0 AS e, 0 AS dd\n"  \
    "    FROM ingest_coverage v JOIN ingest_file f ON f.id = v.file_id\n"                          \
    "    UNION ALL SELECT day, 0, 0, events, events_dedup FROM event_volume)\n"                     \
    "  GROUP BY day"

/* The sum in millionths (an integer, exact in any order) of the cells' Goldstein sums `col`, each
 * a decimal of at most 6 places kept in a REAL within an ulp (NULL when none has one). */
#define STORE_GOLDSTEIN_E6(col) "sum(CAST(round(" col " * 1000000) AS INTEGER))"

/*
 * event_month (version 93) filled from the event cube: the migration runs it, and so does a
 * rebuild after SQL written by hand (store_event_month_rebuild()), on an emptied table.
 */
#define STORE_EVENT_MONTH_FILL                                                                     \
    "INSERT INTO event_month(actor1_country, actor2_country, month, quad, origin, events, "        \
    "events_dedup, goldstein_e6)\n"                                                                \
    "  SELECT c.actor1_country, c.actor2_country, substr(c.day, 1, 7), coalesce(c.quad, 0), "      \
    "f.origin, sum(c.events), sum(c.events_dedup), " STORE_GOLDSTEIN_E6("c.goldstein_sum") "\n"   \
    "  FROM event_cube c JOIN ingest_file f ON f.id = c.file_id\n"                                 \
    "  WHERE c.actor1_country IS NOT NULL AND c.actor2_country IS NOT NULL\n"                      \
    "  GROUP BY 1, 2, 3, 4, 5"

/*
 * event_month_total (version 93) filled from event_day, whole or (with a WHERE on `day`
 * appended before the GROUP BY) for some months: coverage in 96ths of a day (a daily file's day
 * is 96, a GDELT 2.0 export a 15-minute slice of one).
 */
#define STORE_EVENT_MONTH_TOTAL_FILL(where)                                                       \
    "INSERT INTO event_month_total(month, days, covered, events, events_dedup)\n"                 \
    "  SELECT substr(day, 1, 7), sum(files > 0), sum(CASE WHEN files = 0 THEN 0 WHEN "           \
    "daily_files > 0 THEN 96 ELSE min(96, files) END), sum(events), sum(events_dedup)\n"          \
    "  FROM event_day " where " GROUP BY 1"

/* The migrations in ascending version order; *n_out gets their number. */
const struct store_migration *store_migrations(size_t *n_out);

#endif
