/*
 * headline.h: the headline table of the profile (docs/PROFILE.md).
 *
 * Headline figures: a section may carry a private member "_headline" (an array of rows in the
 * layout of the headline table); headline_take() moves them out of a section as it is built,
 * headline_table() makes the headline table of them, placed right after the summary, so that every
 * headline figure is the one its section shows, with its N and coverage.
 */
#ifndef BILAT_ANALYTICS_HEADLINE_H
#define BILAT_ANALYTICS_HEADLINE_H

#include "bilat.h"

#include <jansson.h>

/* Move section sec's "_headline" rows to the end of the array `rows` and remove the member.
 * 0 or BILAT_ENOMEM. */
int headline_take(json_t *sec, json_t *rows);

/* Where the headline table goes among sections whose first has the id first_id (or NULL). */
size_t headline_position(const char *first_id);

/* The headline table of the rows taken out of the sections (shared, not copied); NULL when out
 * of memory. It goes at headline_position() of the sections. */
json_t *headline_table(json_t *rows);

/* Append a headline row to section t: figure, period, value (or missing), n (-1: none),
 * coverage, robustness and basis texts (may be NULL). 0 or BILAT_ENOMEM. */
int headline_add(json_t *t, const char *figure, const char *period, int has_value, double value,
                 long long n, const char *coverage, const char *robust, const char *basis);

#endif
