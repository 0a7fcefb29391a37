/*
 * speeches.h: the vocabulary of principles in the two sides' UN General Debate statements
 * (docs/MEASURES.md, "Speech vocabulary"; the speeches and their terms are written by
 * `bilat ingest ungdc`).
 */
#ifndef BILAT_ANALYTICS_SPEECHES_H
#define BILAT_ANALYTICS_SPEECHES_H

#include "analytics/claims.h"
#include "analytics/dyad.h"

#include <jansson.h>

/*
 * Append the sections "speech_overlap" (per year: the terms each side's statement uses, the
 * shared ones, their Jaccard index), "speech_terms" (per term: the share of each side's
 * statements that use it over the period) and "speech_term_years" (a detail section: per year,
 * side and term, the statements that use it, their share and the mentions), for a dyad of two
 * countries. Nothing is added when the store holds no statement of either.
 */
int speeches_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, json_t *sections, struct bilat_err *err);

/* The claim measure speech_overlap (store/claim_syntax.c describes its arguments). */
int speeches_overlap_measure(bilat_db *db, const struct claim_call *call,
                             struct claim_mresult *out, struct bilat_err *err);

#endif
