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

/*
 * The bootstrap intervals of the alignment of countries a and b for every year (agree's, and
 * in the years that can be a headline, the rank's among B's partners and within A's bloc), as
 * JSON text: the summary bilat_summaries_build()
 * keeps in dyad_summary, kind 'align', which align_sections() reads instead of resampling.
 */
int align_summary_build(bilat_db *db, const char *a, const char *b, char **json_out,
                        struct bilat_err *err);

/*
 * The UN roll calls on which countries a and b both voted, by year and source, as JSON text
 * (caller frees with bilat_free()): an array of [year, source, count, first date, last date],
 * the year being that of the date. Read from the alignment summary when it is current, else
 * computed from the vote tables. Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int align_calls_json(bilat_db *db, const char *a, const char *b, char **json_out,
                     struct bilat_err *err);

/* The key of an alignment summary in the store's present state: what its intervals depend on
 * (the version, the resampling settings, the vote panel's stamp, the blocs); "" when the store
 * has no vote summary to key on. */
int align_summary_key(bilat_db *db, char *key, size_t len, struct bilat_err *err);

#endif
