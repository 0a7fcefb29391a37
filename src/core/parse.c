/*
 * parse.c: hand-written date and number parsers. Numbers go through strtod() on a bounded,
 * NUL-terminated copy after a strict syntax check; the C library is never told a locale (no
 * setlocale call anywhere), so the decimal point is always '.'.
 */
#include "core/parse.h"

#include "bilat.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int bilat_days_in_month(int year, int month)
{
    return bilat_month_days(year, month);
}

int64_t bilat_day_number(int year, int month, int day)
{
    int64_t y = year - (month <= 2);
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int bilat_date_parse(const char *s, size_t len, struct bilat_date *out)
{
    struct bilat_date d = {0, 0, 0, BILAT_DATE_YEAR};
    if (len != 4 && len != 7 && len != 10)
        return BILAT_EPARSE;
    if (digits(s, 4, &d.year) < 0 || d.year < 1000)
        return BILAT_EPARSE;
    if (len >= 7) {
        if (s[4] != '-' || digits(s + 5, 2, &d.month) < 0 || d.month < 1 || d.month > 12)
            return BILAT_EPARSE;
        d.prec = BILAT_DATE_MONTH;
    }
    if (len == 10) {
        if (s[7] != '-' || digits(s + 8, 2, &d.day) < 0 || d.day < 1 ||
            d.day > bilat_days_in_month(d.year, d.month))
            return BILAT_EPARSE;
        d.prec = BILAT_DATE_DAY;
    }
    *out = d;
    return 0;
}

int bilat_date_parse_compact(const char *s, size_t len, struct bilat_date *out)
{
    uint32_t v = bilat_ymd_compact(s, len);
    if (!v)
        return BILAT_EPARSE;
    *out = (struct bilat_date){(int)(v / 10000), (int)(v / 100 % 100), (int)(v % 100),
                               BILAT_DATE_DAY};
    return 0;
}

/* Day number of the first (end = 0) or last (end = 1) day a date covers. */
static long date_key(const struct bilat_date *d, int end)
{
    int m = d->month ? d->month : (end ? 12 : 1);
    int day = d->day ? d->day : (end ? bilat_days_in_month(d->year, m) : 1);
    return (long)d->year * 400 + m * 32 + day;
}

int bilat_date_cmp(const struct bilat_date *a, const struct bilat_date *b)
{
    long ka = date_key(a, 0), kb = date_key(b, 0);
    return (ka > kb) - (ka < kb);
}

int bilat_date_cmp_end(const struct bilat_date *a, const struct bilat_date *b)
{
    long ka = date_key(a, 1), kb = date_key(b, 1);
    return (ka > kb) - (ka < kb);
}

/* One period point: a date or YYYY-Qn (stored as the quarter's first month for ordering). */
static int period_point(const char *s, size_t len, struct bilat_date *d)
{
    if (len == 7 && s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
        if (digits(s, 4, &d->year) < 0 || d->year < 1000)
            return BILAT_EPARSE;
        d->month = (s[6] - '1') * 3 + 1;
        d->day = 0;
        d->prec = BILAT_DATE_MONTH;
        return 0;
    }
    return bilat_date_parse(s, len, d);
}

int bilat_period_parse(const char *s, size_t len)
{
    const char *slash = memchr(s, '/', len);
    struct bilat_date a, b;
    if (!slash)
        return period_point(s, len, &a);
    size_t la = (size_t)(slash - s);
    if (period_point(s, la, &a) < 0 || period_point(slash + 1, len - la - 1, &b) < 0)
        return BILAT_EPARSE;
    return bilat_date_cmp(&a, &b) <= 0 ? 0 : BILAT_EPARSE;
}

int bilat_year_max(void)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return 9999;
    return tm.tm_year + 1900 + 1;
}

bool bilat_year_in_bounds(int year)
{
    return year >= BILAT_YEAR_MIN && year <= bilat_year_max();
}

bool bilat_actor_code(const char *s, char *out)
{
    size_t n = s ? strlen(s) : 0;
    bool ok = n >= 2 && n <= ACTOR_CODE_MAX;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)s[i]) != 0;
    if (out) {
        for (size_t i = 0; ok && i < n; i++)
            out[i] = (char)toupper((unsigned char)s[i]);
        out[ok ? n : 0] = '\0';
    }
    return ok;
}

int bilat_period_years(const char *s, size_t len, int *first, int *last)
{
    if (bilat_period_parse(s, len) < 0)
        return BILAT_EPARSE;
    const char *slash = memchr(s, '/', len);
    struct bilat_date a, b;
    size_t la = slash ? (size_t)(slash - s) : len;
    period_point(s, la, &a);
    if (slash)
        period_point(slash + 1, len - la - 1, &b);
    else
        b = a;
    *first = a.year;
    *last = b.year;
    return 0;
}

static bool unit_is(const char *unit, const char *prefix)
{
    return unit && strncmp(unit, prefix, strlen(prefix)) == 0;
}

const char *bilat_value_range(double v, const char *unit, bool quantity)
{
    /* 10^15 (a quadrillion US dollars, ten times the world's yearly output) leaves sums of a
     * few thousand such values far inside a double's exact range and every format bilat
     * prints them in; the others are what the unit allows. */
    static const double big = 1e15, count = 1e12;
    if (!isfinite(v))
        return "a finite number";
    if (unit_is(unit, "%"))
        return v >= -1000 && v <= 1000 ? NULL : "from -1000 to 1000 (a percentage)";
    if (unit && strcmp(unit, "score 0-100") == 0)
        return v >= 0 && v <= 100 ? NULL : "from 0 to 100 (score 0-100)";
    if (unit && strcmp(unit, "rank") == 0)
        return v >= 1 && v <= 1e6 ? NULL : "from 1 to 1000000 (a rank)";
    bool money = unit_is(unit, "USD");
    if (quantity) {
        if (money)
            return v >= 0 && v <= big ? NULL : "from 0 to 10^15 (an amount of money)";
        return v >= 0 && v <= count ? NULL : "from 0 to 10^12 (a count)";
    }
    if (unit && (strcmp(unit, "count") == 0 || strcmp(unit, "doses") == 0))
        return v >= 0 && v <= count ? NULL : "from 0 to 10^12 (a count)";
    return v >= -big && v <= big ? NULL : "from -10^15 to 10^15";
}

int bilat_parse_double(const char *s, size_t len, double *out)
{
    char tmp[64];
    size_t i = 0;
    if (len == 0 || len >= sizeof(tmp))
        return BILAT_EPARSE;
    if (s[i] == '+' || s[i] == '-')
        i++;
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++, int_digits++;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, frac_digits++;
    }
    if (int_digits + frac_digits == 0)
        return BILAT_EPARSE;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++, exp_digits++;
        if (exp_digits == 0)
            return BILAT_EPARSE;
    }
    if (i != len)
        return BILAT_EPARSE;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    errno = 0;
    double v = strtod(tmp, NULL);
    if (errno == ERANGE && fabs(v) > 1.0)
        return BILAT_EPARSE;
    if (!isfinite(v))
        return BILAT_EPARSE;
    *out = v;
    return 0;
}

int bilat_parse_int64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (len && (s[0] == '-' || s[0] == '+'))
        neg = s[i++] == '-';
    if (i == len)
        return BILAT_EPARSE;
    uint64_t v = 0;
    const uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return BILAT_EPARSE;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            return BILAT_EPARSE;
        v = v * 10 + d;
    }
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

bool bilat_is_missing(const char *s, size_t len)
{
    return len == 0 || (len == 2 && s[0] == 'N' && s[1] == 'A') ||
           (len == 3 && memcmp(s, "N/A", 3) == 0) || (len == 2 && s[0] == '.' && s[1] == '.');
}
