/*
 * event_month.h: keeping event_month, the event cube summed by dyad of countries, month, quad
 * class and origin (store/migrations.c, version 93; docs/STORE.md, "Summaries"), in step with
 * the cube.
 */
#ifndef BILAT_STORE_EVENT_MONTH_H
#define BILAT_STORE_EVENT_MONTH_H

#include "bilat.h"
#include "ingest/evgroups.h"

#include <stdint.h>

/* Add the rows of ingest_file `file_id` to its origin's from `month`, its cells summed as they were written
 * (key: actor1 and actor2 country codes as packed by the scan, month as YYYYMM, quad class or 0;
 * measures: events, dedup, gold with EVM_GOLD when any cell had a Goldstein value). In the
 * file's transaction. 0 or BILAT_ESQL. */
int store_event_month_add(bilat_db *db, int64_t file_id, const struct evgroups *month,
                          struct bilat_err *err);

/* Take away the months of the file recorded at `path`, before its cells are deleted (in the
 * transaction that replaces it): the dyads' months its cells touch are summed again from the
 * cells of the other files of its origin. 0 or BILAT_ESQL. */
int store_event_month_remove(bilat_db *db, const char *path, struct bilat_err *err);

/* Build event_month again from the cube, in its own savepoint, as after SQL written by hand;
 * nothing to do in a store older than the table. 0 or BILAT_ESQL. */
int store_event_month_rebuild(bilat_db *db, struct bilat_err *err);

#endif
