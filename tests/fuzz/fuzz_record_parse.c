/*
 * fuzz_record_parse.c: the date, period and number parsers on arbitrary fields.
 */
#include "core/parse.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    struct bilat_date d, e;
    double v;
    int64_t i;
    if (bilat_date_parse(s, size, &d) == 0 && bilat_date_parse(s, size, &e) == 0 &&
        bilat_date_cmp(&d, &e) != 0)
        __builtin_trap();
    bilat_date_parse_compact(s, size, &d);
    bilat_period_parse(s, size);
    bilat_parse_double(s, size, &v);
    bilat_parse_int64(s, size, &i);
    bilat_is_missing(s, size);
    return 0;
}
