/*
 * event_day.h: keeping event_day, the event files summed by day (store/migrations.c, version
 * 91; docs/STORE.md, "Summaries"), in step with the tables it sums: ingest_coverage (the files
 * whose events were added each day) and event_volume (all events by event day); and
 * event_month_total (version 93), event_day summed by month, in step with event_day.
 */
#ifndef BILAT_STORE_EVENT_DAY_H
#define BILAT_STORE_EVENT_DAY_H

#include "bilat.h"

#include <stdint.h>

/* Add the days of ingest_file `file_id`, whose coverage and volume rows are written (in the
 * file's transaction), and sum its months again. 0 or BILAT_ESQL. */
int store_event_day_add(bilat_db *db, int64_t file_id, struct bilat_err *err);

/* Take away the days of the file recorded at `path`, before its rows are deleted (in the
 * transaction that replaces it). 0 or BILAT_ESQL. */
int store_event_day_remove(bilat_db *db, const char *path, struct bilat_err *err);

/*
 * Build event_day and event_month_total again from the tables, each in its own savepoint, as
 * after SQL written by hand; nothing to do in a store older than the table. 0 or BILAT_ESQL.
 */
int store_event_day_rebuild(bilat_db *db, struct bilat_err *err);

#endif
