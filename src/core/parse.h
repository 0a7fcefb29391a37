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

/* Days in a month (1..12) of a year; 0 for another month. */
int bilat_days_in_month(int year, int month);

/* The same, inline for the scanner's dates below. */
static inline int bilat_month_days(int year, int month)
{
    static const signed char dm[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12)
        return 0;
    if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
        return 29;
    return dm[month];
}

/*
 * Dates as one integer YYYYMMDD, the form the event engine groups and compares them in. The
 * scanner parses two dates a row, so these are inline: GDELT's YYYYMMDD, ICEWS's YYYY-MM-DD.
 * Each is calendar-checked (years from 1000); 0 when the field is not such a date.
 */
static inline bool bilat_ymd_valid(uint32_t v)
{
    int y = (int)(v / 10000), m = (int)(v / 100 % 100), d = (int)(v % 100);
    return y >= 1000 && y <= 9999 && d >= 1 && d <= bilat_month_days(y, m);
}

/* The number the digits [s, t) write; 0 when one is not a digit (no date is 0). */
static inline uint32_t bilat_ymd_digits(const char *s, const char *t)
{
    uint32_t v = 0;
    for (; s < t; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (d > 9)
            return 0;
        v = v * 10 + d;
    }
    return v;
}

static inline uint32_t bilat_ymd_compact(const char *s, size_t len)
{
    uint32_t v = len == 8 ? bilat_ymd_digits(s, s + 8) : 0;
    return bilat_ymd_valid(v) ? v : 0;
}

static inline uint32_t bilat_ymd_iso(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    const char b[8] = {s[0], s[1], s[2], s[3], s[5], s[6], s[8], s[9]};
    uint32_t v = bilat_ymd_digits(b, b + 8);
    return bilat_ymd_valid(v) ? v : 0;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian calendar). */
int64_t bilat_day_number(int year, int month, int day);

/* The same for a YYYYMMDD integer. */
static inline int64_t bilat_ymd_day_number(uint32_t ymd)
{
    return bilat_day_number((int)(ymd / 10000), (int)(ymd / 100 % 100), (int)(ymd % 100));
}

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
