/*
 * dependence.h: the profile's sections on economic dependence and its asymmetry (dependence.c,
 * docs/MEASURES.md).
 */
#ifndef BILAT_ANALYTICS_DEPENDENCE_H
#define BILAT_ANALYTICS_DEPENDENCE_H

#include "analytics/dyad.h"
#include "bilat.h"

#include <jansson.h>

/* Sections dependence and dependence_figures (dependence.c). */
int dependence_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                        int from, int to, json_t *sections, struct bilat_err *err);

#endif
