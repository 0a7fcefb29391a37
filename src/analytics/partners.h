/*
 * partners.h: a comparison across partners: several sides beside one another on every dimension
 * the store holds of their relation with one partner (partners.c; bilat.h: bilat_compare_render).
 */
#ifndef BILAT_ANALYTICS_PARTNERS_H
#define BILAT_ANALYTICS_PARTNERS_H

#include "bilat.h"

#include <jansson.h>

/*
 * The comparison document: {"view": "compare", "sides", "partner", "period", "sections": [one
 * per dimension], "sources"}. Caller decrefs *doc_out. Errors: BILAT_EINVAL (bad period or
 * sides), BILAT_ENOTFOUND (unknown actor or dimension), BILAT_ESQL, BILAT_ENOMEM.
 */
int compare_partners(bilat_db *db, const struct bilat_compare_opts *o, json_t **doc_out,
                     struct bilat_err *err);

#endif
