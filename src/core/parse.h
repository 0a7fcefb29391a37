/*
 * parse.h: locale-free parsers for the values found in data files: ISO 8601 dates with their
 * precision, periods (dates, quarters, ranges), integers and decimal numbers. Each takes a
 * (pointer, length) pair that need not be NUL-terminated and accepts the whole field or nothing.
 */
#ifndef BILAT_CORE_PARSE_H
#define BILAT_CORE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bilat_date_prec {
    BILAT_DATE_YEAR = 1,  /* 1996 */
    BILAT_DATE_MONTH = 2, /* 1996-02 */
    BILAT_DATE_DAY = 3,   /* 1996-02-10 */
};

struct bilat_date {
    int year;                  /* 1000..9999 */
    int month;                 /* 1..12, or 0 at year precision */
    int day;                   /* 1..31, or 0 above day precision */
    enum bilat_date_prec prec; /* how much of the date is known */
};

/* Parse YYYY, YYYY-MM or YYYY-MM-DD (calendar-checked, leap years included). 0 or BILAT_EPARSE. */
int bilat_date_parse(const char *s, size_t len, struct bilat_date *out);

/* Parse YYYYMMDD (GDELT SQLDATE). 0 or BILAT_EPARSE. */
int bilat_date_parse_compact(const char *s, size_t len, struct bilat_date *out);

/*
 * Compare two dates by their first day (a year sorts as its January 1st): <0, 0, >0.
 * `end` selects the last day instead (a year ends on December 31st), for range checks.
 */
int bilat_date_cmp(const struct bilat_date *a, const struct bilat_date *b);
int bilat_date_cmp_end(const struct bilat_date *a, const struct bilat_date *b);

/* Days in a month (1..12) of a year. */
int bilat_days_in_month(int year, int month);

/*
 * Parse an indicator period: a date (see above), a quarter YYYY-Qn, or a range A/B of two of
 * those with A not after B. 0 or BILAT_EPARSE.
 */
int bilat_period_parse(const char *s, size_t len);

/*
 * Actor codes (CAMEO style: KHM, KHMGOVPTYCPP): 2 to ACTOR_CODE_MAX letters or digits, used in
 * upper case. A buffer that holds one has ACTOR_CODE_SIZE bytes.
 */
enum { ACTOR_CODE_MAX = 31, ACTOR_CODE_SIZE = ACTOR_CODE_MAX + 1 };

/* Whether `s` is an actor code (NULL is not). When `out` is not NULL it gets the code in upper
 * case (ACTOR_CODE_SIZE bytes), or "" when `s` is not a code. */
bool bilat_actor_code(const char *s, char *out);

/*
 * Bounds on the values a person or a client enters (curated files, POST /api/events), so that
 * every view stays correct with the largest accepted value (docs/DATA-FORMAT.md, "Bounds").
 * Dates: years from BILAT_YEAR_MIN to next year (the current UTC year + 1).
 */
enum { BILAT_YEAR_MIN = 1800 };

/* The last year a date may have: the current UTC year + 1. */
int bilat_year_max(void);

/* Whether a year lies within the bounds above. */
bool bilat_year_in_bounds(int year);

/* The first and last year of an indicator period (as bilat_period_parse() accepts). 0 or
 * BILAT_EPARSE. */
int bilat_period_years(const char *s, size_t len, int *first, int *last);

/*
 * Whether a number is within its unit's range: NULL when it is, else the range it breaks, as
 * words ("from 0 to 100 (score 0-100)"). `quantity` is an event's quantity (never negative).
 * Units: '%...' -1000 to 1000; 'score 0-100' 0 to 100; 'rank' 1 to 1000000; 'USD...' (money)
 * within 10^15 either side; counts ('count', 'doses', an event's 'visits') 0 to 10^12;
 * anything else within 10^15 either side. Non-finite numbers are never in range.
 */
const char *bilat_value_range(double v, const char *unit, bool quantity);

/* Parse a decimal number (optional sign, digits, point, exponent; no separators, inf or nan). */
int bilat_parse_double(const char *s, size_t len, double *out);

/* Parse a base-10 integer with overflow check. */
int bilat_parse_int64(const char *s, size_t len, int64_t *out);

/* True for the markers a source uses for a missing value: empty, NA, N/A, "..". */
bool bilat_is_missing(const char *s, size_t len);

#endif
