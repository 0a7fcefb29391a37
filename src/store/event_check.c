/*
 * event_check.c: a curated record's dates, precision and quantity (event_check.h).
 */
#include "store/event_check.h"

#include "bilat.h"

#include <stdio.h>
#include <string.h>

/* One date of a column: its form, then its bounds. */
static int check_date(const char *v, const char *col, struct bilat_date *d, char *why,
                      size_t len)
{
    if (bilat_date_parse(v, strlen(v), d) < 0) {
        snprintf(why, len, "bad date '%s' in column '%s' (expected YYYY, YYYY-MM or YYYY-MM-DD)",
                 v, col);
        return -1;
    }
    if (!bilat_year_in_bounds(d->year)) {
        snprintf(why, len, "date '%s' in column '%s' is out of range (years %d to %d)", v, col,
                 BILAT_YEAR_MIN, bilat_year_max());
        return -1;
    }
    return 0;
}

int event_check_dates(const char *date_from, const char *date_to, const char *precision,
                      struct bilat_date *from, struct bilat_date *to, char *why, size_t len)
{
    bool has_to = date_to && *date_to;
    if (check_date(date_from, "date_from", from, why, len) < 0)
        return -1;
    if (has_to && check_date(date_to, "date_to", to, why, len) < 0)
        return -1;
    static const char *const precs[] = {"year", "month", "day", "range"};
    int prec = 0;
    for (int i = 0; i < 4; i++)
        if (strcmp(precision, precs[i]) == 0)
            prec = i + 1;
    if (!prec) {
        snprintf(why, len, "bad precision '%s' (expected day, month, year or range)", precision);
        return -1;
    }
    /* (enum bilat_date_prec counts year 1, month 2, day 3, as precs[] does) */
    if (prec <= 3 && (int)from->prec != prec) {
        snprintf(why, len, "precision '%s' does not match date_from '%s'", precision, date_from);
        return -1;
    }
    if (prec == 4 && !has_to) {
        snprintf(why, len, "precision 'range' needs a date_to");
        return -1;
    }
    if (has_to && bilat_date_cmp(from, to) > 0) {
        snprintf(why, len, "date_to '%s' is before date_from '%s'", date_to, date_from);
        return -1;
    }
    return 0;
}

int event_check_quantity(const char *quantity, const char *unit, double *value, bool *has,
                         char *why, size_t len)
{
    *has = false;
    if (!quantity || bilat_is_missing(quantity, strlen(quantity)))
        return 0;
    if (bilat_parse_double(quantity, strlen(quantity), value) < 0) {
        snprintf(why, len, "bad number '%s' in column 'quantity'", quantity);
        return -1;
    }
    const char *range = bilat_value_range(*value, unit, true);
    if (range) {
        snprintf(why, len, "value '%s' in column 'quantity' is out of range: %s%s%s", quantity,
                 range, unit ? ", unit " : "", unit ? unit : "");
        return -1;
    }
    *has = true;
    return 0;
}
