/*
 * fuzz_tsv_scan.c: the curated TSV reader on arbitrary bytes (through a file, as bilat reads it).
 */
#include "core/tsv.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/bilat-fuzz-tsv-%ld.tsv", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct tsv_file t;
    struct bilat_err err;
    if (tsv_open(&t, path, &err) == 0) {
        int rc;
        size_t rows = 0;
        while ((rc = tsv_next(&t)) != 0) {
            if (rc == 1)
                for (size_t i = 0; i < t.ncol; i++)
                    rows += t.lens[i] > 0;
        }
        (void)rows;
    }
    tsv_close(&t);
    unlink(path);
    return 0;
}
