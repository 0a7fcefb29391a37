/*
 * narratives.h: concepts, their principles and the overlap of principle sets (docs/PROFILE.md).
 */
#ifndef BILAT_ANALYTICS_NARRATIVES_H
#define BILAT_ANALYTICS_NARRATIVES_H

#include "analytics/claims.h"
#include "analytics/dyad.h"

#include <jansson.h>

/*
 * Append the sections "concepts", "concept_overlap" and "principles" for the dyad: concepts
 * owned or endorsed by actors of either side, the overlap of every pair of concepts of the two
 * sides, and which principles each side's concepts list.
 */
int narratives_sections(bilat_db *db, const struct dyad_side *a,
                        const struct dyad_side *b, json_t *sections, struct bilat_err *err);

/* The claim measure concept_overlap (store/claim_syntax.c describes its arguments). */
int narratives_overlap_measure(bilat_db *db, const struct claim_call *call,
                               struct claim_mresult *out, struct bilat_err *err);

/* Jaccard index of two sets given by their sizes and the size of their intersection; 0 for
 * two empty sets. */
double narratives_jaccard(size_t na, size_t nb, size_t shared);

#endif
