/*
 * network.h: the elite network of a dyad and the next-generation signal (docs/PROFILE.md).
 */
#ifndef BILAT_ANALYTICS_NETWORK_H
#define BILAT_ANALYTICS_NETWORK_H

#include "analytics/claims.h"
#include "analytics/dyad.h"

#include <jansson.h>

/*
 * Append the sections "network_nodes", "network_edges" and "next_generation" for the dyad
 * (a, b) over the years [from, to] (0 and 9999 for open ends).
 */
int network_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                     int from, int to, json_t *sections, struct bilat_err *err);

/* The claim measure nextgen_meetings (store/claim_syntax.c describes its arguments). */
int network_nextgen_measure(bilat_db *db, const struct claim_call *call,
                            struct claim_mresult *out, struct bilat_err *err);

/*
 * 1 when the date `event` (ISO, any precision) ends before the date `office` (ISO) begins: a
 * month-precision event counts only when its whole month is earlier. 0 otherwise, -1 when a
 * date is malformed.
 */
int network_date_before(const char *event, const char *office);

#endif
