/*
 * summaries.h: reading the summaries that bilat_summaries_build() keeps for the dyads of the
 * store's claims (docs/STORE.md, "Summaries").
 */
#ifndef BILAT_ANALYTICS_SUMMARIES_H
#define BILAT_ANALYTICS_SUMMARIES_H

#include "bilat.h"

#include <jansson.h>

/*
 * The summary of kind `kind` ('align', 'claims') of dyad (a, b) when its key is `key`, parsed
 * as JSON (json_loadb's `flags`) into *out (caller owns it); *out stays NULL when there is no
 * current summary, or when it does not parse (it is then computed again, not trusted). A store
 * older than the summaries has none. Errors: BILAT_ESQL.
 */
int dyad_summary_get(bilat_db *db, const char *a, const char *b, const char *kind,
                     const char *key, size_t flags, json_t **out, struct bilat_err *err);

#endif
