/*
 * claims.h: judging claims (docs/CLAIMS.md), and the interface a measure implements to be
 * named by a claim.
 *
 * A measure (listed in store/claim_syntax.c with its arguments) is a function that reads the
 * store and fills a struct claim_mresult: a scalar value when it has one, a yearly series when
 * it has one, and the evidence table (a section, analytics/table.h) whose "source_id" column
 * names the sources. A measure returns a negative BILAT_E* only when it cannot run (an SQL
 * error): missing data is not an error but a result without a value, with `why` saying what is
 * missing.
 */
#ifndef BILAT_ANALYTICS_CLAIMS_H
#define BILAT_ANALYTICS_CLAIMS_H

#include "analytics/dyad.h"
#include "bilat.h"
#include "store/claim_syntax.h"

#include <jansson.h>
#include <stdbool.h>

struct claim_mresult {
    json_t *evidence;  /* table section; owned by the result */
    bool has_value;    /* `value` is set */
    double value;      /* the scalar result */
    double *x, *y;     /* yearly series (bilat_malloc'd), n points */
    size_t n;          /* points in the series; 0 = none */
    bool has_series;   /* the measure gives a series (possibly with too few points) */
    const char *series_x, *series_y; /* evidence columns the series is drawn from (static) */
    char why[256];     /* when there is no value or series: what is missing */
    bool has_ci;       /* lo, hi hold an interval of `value` */
    double lo, hi;     /* the interval */
    char ci_how[200];  /* how the interval was made ("95 % bootstrap over 2,400 roll calls") */
};

typedef int claim_measure_fn(bilat_db *db, const struct claim_call *call,
                             struct claim_mresult *out, struct bilat_err *err);

/* Append a point to a result's series. 0 or BILAT_ENOMEM. */
int claim_series_add(struct claim_mresult *r, double x, double y);

/* Free what a result holds; the result is zeroed. */
void claim_mresult_release(struct claim_mresult *r);

/* The implementation of measure `name` (claim_syntax.c lists it), or NULL. */
claim_measure_fn *claim_measure_impl(const char *name);


/*
 * The claims section of dyad (a, b), as JSON text ("null" when the dyad has no claims): the
 * summary bilat_summaries_build() keeps in dyad_summary, kind 'claims', which the profile reads
 * while its key, claims_summary_key() (the version and the store's write generation), holds.
 */
int claims_summary_build(bilat_db *db, const char *a, const char *b, char **json_out,
                         struct bilat_err *err);
int claims_summary_key(bilat_db *db, char *key, size_t len, struct bilat_err *err);

/*
 * The claims section for the profile of a dyad: the stored claims whose sides (a, b) are the
 * countries of the two sides, judged. Adds nothing when there are none. Claims whose checks fail
 * appear with verdict "error".
 */
int claims_profile_section(bilat_db *db, const struct dyad_side *a,
                           const struct dyad_side *b, json_t *sections, struct bilat_err *err);

/* Judge claims as bilat_claims_render() does and return the document (caller decrefs). */
int claims_build(bilat_db *db, const struct bilat_claims_opts *o, json_t **doc_out,
                 struct bilat_claims_summary *sum_out, struct bilat_err *err);

#endif
