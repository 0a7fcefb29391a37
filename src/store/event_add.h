/*
 * event_add.h: adding one curated event (and, if needed, its source) outside a dataset load:
 * the web server's POST /api/events. The same rules as events.tsv (docs/DATA-FORMAT.md) apply;
 * records land in the dataset "api", which no `bilat load` prunes.
 */
#ifndef BILAT_STORE_EVENT_ADD_H
#define BILAT_STORE_EVENT_ADD_H

#include "bilat.h"

#include <stdint.h>

/* Fields as they would appear in events.tsv and sources.tsv; NULL = empty. */
struct store_event {
    const char *ref, *date_from, *date_to, *precision, *source, *target, *cameo, *channel,
        *mode, *level, *quantity, *unit, *place, *note, *source_id, *locator;
};

struct store_source {
    const char *id, *title, *author, *publisher, *date, *url, *license, *note;
};

/*
 * Validate and insert `e` in one write transaction on `db` (opened for writing). When `src`
 * is not NULL and src->id is not in the store, it is added first (its id must equal
 * e->source_id). Without e->ref a ref "api-N" is given. On success ref_out (64 bytes) gets the
 * ref and *id_out the event's row id.
 * Errors: BILAT_EINVAL with the reason in err (a bad field; *conflict set when the ref exists
 * already), BILAT_ESQL, BILAT_EIO, BILAT_ENOMEM.
 */
int store_event_add(bilat_db *db, const struct store_event *e, const struct store_source *src,
                    char ref_out[64], int64_t *id_out, int *conflict, struct bilat_err *err);

/*
 * Delete the event `ref` that was added through the API (dataset "api"), in one write
 * transaction: with it goes a source the API added that no record cites any more, and the "api"
 * dataset row is brought up to date. On success *id_out gets the deleted row's id.
 * Errors: BILAT_ENOTFOUND (no curated event with this ref), BILAT_EINVAL (the event belongs to a
 * curated dataset: `owner_out`, 64 bytes, gets its name), BILAT_ESQL, BILAT_EIO, BILAT_ENOMEM.
 */
int store_event_delete(bilat_db *db, const char *ref, int64_t *id_out, char owner_out[64],
                       struct bilat_err *err);

#endif
