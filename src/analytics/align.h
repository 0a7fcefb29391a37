/*
 * align.h: the profile sections on UN General Assembly alignment and the robustness panel
 * (docs/PROFILE.md, docs/MEASURES.md).
 *
 * UN votes are cast by states: a side that is not a country (a party, a person) is measured
 * through its country, and the sections say so.
 */
#ifndef BILAT_ANALYTICS_ALIGN_H
#define BILAT_ANALYTICS_ALIGN_H

#include "analytics/dyad.h"
#include "bilat.h"

#include <jansson.h>

/* Sections alignment_series, alignment_peers, alignment_rank, alignment_splits,
 * alignment_splits_all and robustness. */
int align_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                   int from, int to, json_t *sections, struct bilat_err *err);

#endif
