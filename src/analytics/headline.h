/*
 * headline.h: the headline table of the profile (docs/PROFILE.md).
 *
 * Headline figures: a section may carry a private member "_headline" (an array of rows in the
 * layout of the headline table); headline_section() gathers them from every section, removes
 * the private members and inserts the headline table right after the summary, so that every
 * headline figure is the one its section shows, with its N and coverage.
 */
#ifndef BILAT_ANALYTICS_HEADLINE_H
#define BILAT_ANALYTICS_HEADLINE_H

#include "bilat.h"

#include <jansson.h>

/* Gather the "_headline" rows of every section into the headline table (see above). */
int headline_section(json_t *sections, struct bilat_err *err);

/* Append a headline row to section t: figure, period, value (or missing), n (-1: none),
 * coverage, robustness and basis texts (may be NULL). 0 or BILAT_ENOMEM. */
int headline_add(json_t *t, const char *figure, const char *period, int has_value, double value,
                 long long n, const char *coverage, const char *robust, const char *basis);

#endif
