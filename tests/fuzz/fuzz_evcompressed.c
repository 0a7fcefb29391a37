/*
 * fuzz_evcompressed.c: gzip and zip event files on arbitrary bytes: the input is read as given
 * (its first bytes decide plain, gzip or zip), and again behind a gzip and a zip magic number,
 * so that headers, deflate streams, CRC checks and truncation all get exercised.
 */
#include "bilat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void scan(const char *path)
{
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.by = "quad";
    o.threads = 1;
    o.buffer_size = 13;
    o.hash_files = 1;
    const char *files[1] = {path};
    bilat_scan *s = NULL;
    struct bilat_err err;
    if (bilat_scan_files(&o, files, 1, &s, &err) == 0) {
        struct bilat_scan_stats st;
        bilat_scan_stats(s, &st);
    }
    bilat_scan_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/bilat-fuzz-evz-%ld", (long)getpid());
    static const uint8_t magic[2][10] = {
        {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}, /* a gzip header, deflate follows */
        {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0},  /* a zip local header start */
    };
    for (int k = 0; k < 3; k++) {
        FILE *f = fopen(path, "wb");
        if (!f)
            return 0;
        if (k)
            fwrite(magic[k - 1], 1, sizeof(magic[0]), f);
        fwrite(data, 1, size, f);
        fclose(f);
        scan(path);
    }
    unlink(path);
    return 0;
}
