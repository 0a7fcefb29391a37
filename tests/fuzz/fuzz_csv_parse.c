/*
 * fuzz_csv_parse.c: the RFC 4180 reader of the series importers, with ',' and '|' separators,
 * and with backslash escapes inside quotes.
 */
#include "core/csv.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int k = 0; k < 3; k++) {
        struct csv_file f;
        if (csv_open_mem(&f, "fuzz", (const char *)data, size, k == 1 ? '|' : ',') == 0) {
            f.escape = k == 2 ? '\\' : 0;
            int rc;
            size_t guard = 0;
            while ((rc = csv_next(&f)) != 0 && guard++ < 1000000)
                ;
        }
        csv_close(&f);
    }
    return 0;
}
