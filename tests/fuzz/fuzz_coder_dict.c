/*
 * fuzz_coder_dict.c: the dictionary loader on arbitrary file contents. The first byte picks the
 * file type (actors, roles, verbs, discards, rules); the rest is written to a temporary file
 * and loaded: every outcome must be a clean success or BILAT_EPARSE, never a crash.
 */
#include "bilat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *ext[] = {"actors", "roles", "verbs", "discards", "rules"};
    if (size == 0)
        return 0;
    char path[64];
    snprintf(path, sizeof(path), "/tmp/bilat-fuzz-dict-%ld.%s", (long)getpid(),
             ext[data[0] % 5]);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    const char *dicts[] = {path};
    struct bilat_coder_opts o = {dicts, 1, NULL, 0, {NULL, NULL}};
    bilat_coder *c = NULL;
    int rc = bilat_coder_new(&o, &c, NULL);
    if (rc != 0 && rc != BILAT_EPARSE)
        abort();
    if (c) {
        const char line[] = "1995-01-01\tArnor met Gondor and signed an accord.";
        bilat_coder_line(c, line, sizeof(line) - 1, "fuzz", 1, NULL, NULL, NULL);
    }
    bilat_coder_free(c);
    unlink(path);
    return 0;
}
