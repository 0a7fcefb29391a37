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

/*
 * The bootstrap intervals of the alignment of countries a and b for every year (agree's, and
 * in the years that can be a headline, the rank's among B's partners and within A's bloc), as
 * JSON text: the summary bilat_summaries_build()
 * keeps in dyad_summary, kind 'align', which align_sections() reads instead of resampling.
 */
int align_summary_build(bilat_db *db, const char *a, const char *b, char **json_out,
                        struct bilat_err *err);

/* The key of an alignment summary in the store's present state: what its intervals depend on
 * (the version, the resampling settings, the vote panel's stamp, the blocs); "" when the store
 * has no vote summary to key on. */
int align_summary_key(bilat_db *db, char *key, size_t len, struct bilat_err *err);

/* Gather the "_headline" rows of every section into the headline table (see above). */
int headline_section(json_t *sections, struct bilat_err *err);

/* Append a headline row to section t: figure, period, value (or missing), n (-1: none),
 * coverage, robustness and basis texts (may be NULL). 0 or BILAT_ENOMEM. */
int headline_add(json_t *t, const char *figure, const char *period, int has_value, double value,
                 long long n, const char *coverage, const char *robust, const char *basis);

#endif
