/*
 * fuzz_csv_parse.c: the RFC 4180 reader of the series importers, with ',' and '|' separators.
 */
#include "core/csv.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int k = 0; k < 2; k++) {
        struct csv_file f;
        if (csv_open_mem(&f, "fuzz", (const char *)data, size, k ? '|' : ',') == 0) {
            int rc;
            size_t guard = 0;
            while ((rc = csv_next(&f)) != 0 && guard++ < 1000000)
                ;
        }
        csv_close(&f);
    }
    return 0;
}
