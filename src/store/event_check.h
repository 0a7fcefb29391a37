/*
 * event_check.h: the rules of one curated record's dates, precision and quantity, written once
 * for `bilat load` (events.tsv, load_rows.c) and single writes (bilat_event_add(),
 * event_add.c), so that both refuse the same records with the same reasons
 * (docs/DATA-FORMAT.md, "events.tsv" and "Bounds").
 */
#ifndef BILAT_STORE_EVENT_CHECK_H
#define BILAT_STORE_EVENT_CHECK_H

#include "core/parse.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * date_from (required), date_to (NULL or "" when none) and precision (required): dates of
 * YYYY, YYYY-MM or YYYY-MM-DD within the bounds (core/parse.h), a precision of year, month or
 * day that date_from has, or range with a date_to, and no date_to before date_from. 0 with the
 * dates parsed (*to only when there is a date_to), or -1 with the reason in why[0..len).
 */
int event_check_dates(const char *date_from, const char *date_to, const char *precision,
                      struct bilat_date *from, struct bilat_date *to, char *why, size_t len);

/* An optional quantity in `unit` (both may be NULL): a number within what the unit allows.
 * 0 (*has set when there is one, its value in *value), or -1 with the reason. */
int event_check_quantity(const char *quantity, const char *unit, double *value, bool *has,
                         char *why, size_t len);

#endif
