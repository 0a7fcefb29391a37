/*
 * profile.h: the relationship profile of a dyad as a JSON document of table sections
 * (analytics/table.h). Used by `bilat profile`, the report and the web server.
 */
#ifndef BILAT_ANALYTICS_PROFILE_H
#define BILAT_ANALYTICS_PROFILE_H

#include "bilat.h"

#include <jansson.h>
#include <stdbool.h>

/* One side of a dyad, resolved against the store. */
struct profile_side {
    char code[32];     /* as given, upper case */
    char name[128];    /* display name */
    char kind[16];     /* state, party, person, organisation */
    char country[4];   /* ISO3 of the side (its own code for a country) */
    bool is_country;   /* code is an ISO3 country: matches every actor of that country */
};

/*
 * Resolve an actor code: an actor of the store, or an ISO3 country of the reference table.
 * Errors: BILAT_EINVAL (malformed code), BILAT_ENOTFOUND (unknown), BILAT_ESQL.
 */
int profile_resolve(bilat_db *db, const char *code, struct profile_side *out,
                    struct bilat_err *err);

/* Add every id of a source cell (one id, or a comma-separated list) to the object `ids`, as a
 * key. 0 or BILAT_ENOMEM. */
int profile_add_source_ids(json_t *ids, const char *list);

/*
 * The citations (the source table's fields) of the ids that are keys of `ids`, sorted by id so
 * that the list is stable whatever the order they were collected in; an id the store lacks is
 * left out. Caller owns *list_out (json_decref). Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int profile_cite_sources(bilat_db *db, json_t *ids, json_t **list_out, struct bilat_err *err);

/* Build the profile document; caller owns *doc_out (json_decref). */
int profile_build(bilat_db *db, const struct bilat_profile_opts *opts, json_t **doc_out,
                  struct bilat_err *err);

#endif
