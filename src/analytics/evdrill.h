/*
 * evdrill.h: the drill-down from a figure of the event cube to its rows (evdrill.c; the public
 * API is bilat_clusters_* in bilat.h).
 */
#ifndef BILAT_ANALYTICS_EVDRILL_H
#define BILAT_ANALYTICS_EVDRILL_H

#include "bilat.h"

#include <jansson.h>

/* bilat_clusters_render()'s document as jansson values (the server serves it without a
 * round trip through text); NULL when out of memory. */
json_t *ev_clusters_doc(const bilat_clusters *c);

#endif
