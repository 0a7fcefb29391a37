/*
 * align.h: the profile sections on UN General Assembly alignment, the robustness panel, the
 * dependence sections and the headline table (docs/PROFILE.md, docs/MEASURES.md).
 *
 * UN votes are cast by states: a side that is not a country (a party, a person) is measured
 * through its country, and the sections say so.
 *
 * Headline figures: a section may carry a private member "_headline" (an array of rows in the
 * layout of the headline table); headline_section() gathers them from every section, removes
 * the private members and inserts the headline table right after the summary, so that every
 * headline figure is the one its section shows, with its N and coverage.
 */
#ifndef BILAT_ANALYTICS_ALIGN_H
#define BILAT_ANALYTICS_ALIGN_H

#include "analytics/profile.h"
#include "bilat.h"

#include <jansson.h>

/* Sections alignment_series, alignment_peers, alignment_rank, alignment_splits,
 * alignment_splits_all and robustness. */
int align_sections(bilat_db *db, const struct profile_side *a, const struct profile_side *b,
                   int from, int to, json_t *sections, struct bilat_err *err);

/* Sections dependence and dependence_figures (dependence.c). */
int dependence_sections(bilat_db *db, const struct profile_side *a, const struct profile_side *b,
                        int from, int to, json_t *sections, struct bilat_err *err);

/* Gather the "_headline" rows of every section into the headline table (see above). */
int headline_section(json_t *sections, struct bilat_err *err);

/* Append a headline row to section t: figure, period, value (or missing), n (-1: none),
 * coverage, robustness and basis texts (may be NULL). 0 or BILAT_ENOMEM. */
int headline_add(json_t *t, const char *figure, const char *period, int has_value, double value,
                 long long n, const char *coverage, const char *robust, const char *basis);

#endif
