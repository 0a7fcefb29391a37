/*
 * compare.h: one dyad beside others on the same axes (KHM-CHN beside LAO-CHN, VNM-CHN and
 * the ASEAN mean). A side A may be a bloc name of the store's `bloc` table (ASEAN): its
 * series is the mean of its members' series, year by year, over the members with a value.
 * The result is a section with a "multi_lines" chart (docs/PROFILE.md).
 */
#ifndef BILAT_ANALYTICS_COMPARE_H
#define BILAT_ANALYTICS_COMPARE_H

#include "bilat.h"

#include <jansson.h>
#include <stdbool.h>

/*
 * UN General Assembly agreement of each of as[0..na) with b, per year, by measure m
 * (docs/MEASURES.md; roll calls where both voted yes, no or abstain). Years with fewer than 5
 * shared roll calls are missing. Errors: BILAT_EINVAL (bad code), BILAT_ENOTFOUND (a code that
 * is no country or bloc), BILAT_ESQL, BILAT_ENOMEM.
 */
int compare_votes(bilat_db *db, const char *const *as, size_t na, const char *b, int from,
                  int to, enum bilat_vote_measure m, json_t **sec_out, struct bilat_err *err);

/*
 * Section `section` of the profiles of (as[i], b), reduced to one value per x: rows with the
 * same x are summed (agg "sum") or averaged ("mean"). Errors: those of profile building,
 * BILAT_ENOTFOUND when no profile has the section or its columns.
 */
int compare_sections(bilat_db *db, const char *const *as, size_t na, const char *b, int from,
                     int to, const char *section, const char *x, const char *y, const char *agg,
                     json_t **sec_out, struct bilat_err *err);

#endif
