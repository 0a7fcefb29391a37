/*
 * vote_measures.h: the alignment measures of two countries' votes, from their 3x3 table of
 * joint votes (docs/MEASURES.md gives each formula with worked examples).
 *
 * Votes are coded yes = 0, abstain = 1, no = 2 (the distance |i - j| is that of Voeten's
 * 1/2/3 coding); absences and non-membership never enter a table. Every measure is computed
 * as one division of two integers, so that equal ratios give equal doubles (rank ties are
 * exact) and nothing is NaN: a measure that is undefined says why instead.
 */
#ifndef BILAT_ANALYTICS_VOTE_MEASURES_H
#define BILAT_ANALYTICS_VOTE_MEASURES_H

#include "bilat.h"

#include <stdint.h>

enum { VOTE_YES = 0, VOTE_ABSTAIN = 1, VOTE_NO = 2 };

/* c[i][j]: roll calls on which A voted i and B voted j. */
struct vote_table {
    uint64_t c[3][3];
};

/* Number of roll calls in the table. */
uint64_t vote_table_n(const struct vote_table *t);

/* Why a value is missing (static texts, also used by the profile). */
extern const char vote_why_no_shared[];
extern const char vote_why_no_variation[];

/*
 * The value of measure m (not BILAT_VOTE_IDEAL) for table t: 1 with *out set, 0 when
 * undefined (then *why says why and *out is 0).
 */
int vote_measure_value(const struct vote_table *t, enum bilat_vote_measure m, double *out,
                       const char **why);

/* Higher is more aligned for every measure but ideal (a distance). */
int vote_measure_higher_is_closer(enum bilat_vote_measure m);

#endif
