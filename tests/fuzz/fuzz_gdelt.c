/*
 * fuzz_gdelt.c: GDELT event files (1.0 and 2.0, told apart by the engine) on arbitrary bytes,
 * scanned through a file as bilat reads them: every key, a condition, the daily dedup rule,
 * tiny reads (many carried lines), both scanners and the store-side (cube) aggregation.
 */
#include "bilat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const char *path, int format, int scanner, size_t bufsize, const char *where)
{
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.by = "year,month,day,actor1_country,actor2_country,actor1_type,actor2_type,event_code,"
           "root_code,quad,action_country";
    o.where = where ? &where : NULL;
    o.nwhere = where ? 1 : 0;
    o.format = (enum bilat_ev_format)format;
    o.dedup = BILAT_DEDUP_DAILY;
    o.threads = 1;
    o.buffer_size = bufsize;
    o.scanner = (enum bilat_scanner)scanner;
    /* read() with the scalar scanner, else mmap */
    o.io = o.scanner == BILAT_SCANNER_SCALAR ? BILAT_IO_READ : BILAT_IO_MMAP;
    o.hash_files = 1;
    const char *files[1] = {path};
    bilat_scan *s = NULL;
    struct bilat_err err;
    if (bilat_scan_files(&o, files, 1, &s, &err) == 0) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            bilat_scan_write(s, BILAT_FORMAT_CSV, null, &err);
            fclose(null);
        }
        void *buf = NULL;
        size_t len = 0;
        if (bilat_scan_pack(s, &buf, &len, &err) == 0)
            bilat_scan_merge_packed(s, buf, len, &err);
        bilat_free(buf);
        struct bilat_diag d = {NULL, NULL};
        bilat_scan_report(s, &d);
    }
    bilat_scan_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/bilat-fuzz-gdelt-%ld.CSV", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    run(path, BILAT_EV_AUTO, 1, 0, NULL);
    run(path, BILAT_EV_GDELT2, 2, 7, "dyad=KHM:CHN");
    run(path, BILAT_EV_GDELT1, 3, 3, "from=20171231"); /* the AVX2 scanner */
    unlink(path);
    return 0;
}
