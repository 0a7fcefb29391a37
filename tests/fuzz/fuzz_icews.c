/*
 * fuzz_icews.c: ICEWS event tables on arbitrary bytes. The header line is supplied when the
 * input lacks it, so that the fuzzer spends its time in the rows (names, sectors, dates,
 * codes, intensities), with both scanners and several read sizes.
 */
#include "bilat.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char header[] =
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
    "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\t"
    "Publisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/bilat-fuzz-icews-%ld.tab", (long)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    if (size < 9 || memcmp(data, "Event ID\t", 9) != 0)
        fputs(header, f);
    fwrite(data, 1, size, f);
    fclose(f);
    for (int k = 0; k < 2; k++) {
        struct bilat_scan_opts o;
        memset(&o, 0, sizeof(o));
        o.by = k ? "actor1_country,actor2_country,actor1_type,actor2_type,quad,action_country"
                 : "day,event_code,root_code";
        const char *w = "dyad=KHM:CHN";
        o.where = k ? NULL : &w;
        o.nwhere = k ? 0 : 1;
        o.format = k ? BILAT_EV_ICEWS : BILAT_EV_AUTO;
        o.dedup = k ? BILAT_DEDUP_URL : BILAT_DEDUP_DAILY;
        o.threads = 1;
        o.buffer_size = k ? 5 : 0;
        o.scanner = (enum bilat_scanner)(k + 1);
        o.io = (enum bilat_io)(k + 1);
        const char *files[1] = {path};
        bilat_scan *s = NULL;
        struct bilat_err err;
        if (bilat_scan_files(&o, files, 1, &s, &err) == 0) {
            FILE *null = fopen("/dev/null", "w");
            if (null) {
                bilat_scan_write(s, BILAT_FORMAT_CSV, null, &err);
                fclose(null);
            }
        }
        bilat_scan_free(s);
    }
    unlink(path);
    return 0;
}
