/*
 * fuzz_curated.c: curated dataset loading (`bilat load`) on arbitrary file contents. The first
 * byte picks which file of a small dataset the rest of the input replaces (events, indicators,
 * actors, affiliations, sources, UN votes, countries, series manifest); the other files are
 * those of tests/data/mini, so that rows can refer to known actors, sources and codes. The load
 * runs into an in-memory store and must end in success or a clean rejection: any rejected row
 * means nothing is kept, and no input may crash, hang or leak.
 */
#include "bilat.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {"events.tsv",  "indicators.tsv", "actors.tsv",
                                    "affiliations.tsv", "sources.tsv", "un_votes.tsv",
                                    "countries.tsv", "series.tsv"};
enum { NFILES = sizeof(files) / sizeof(files[0]) };

/* The fixture, read once: mini's files as strings (missing files stay NULL). */
static char *fixture[NFILES + 16];
static const char *const mini_files[] = {"vocabulary.tsv", "cameo.tsv", "countries.tsv",
                                         "country_aliases.tsv", "sources.tsv", "actors.tsv",
                                         "aliases.tsv", "affiliations.tsv", "events.tsv",
                                         "indicators.tsv", NULL};
static char dir[64];

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

static void put(const char *name, const char *data, size_t len)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, len, f);
    fclose(f);
}

static void setup(void)
{
    if (dir[0])
        return;
    snprintf(dir, sizeof(dir), "/tmp/bilat-fuzz-curated-%ld", (long)getpid());
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "mkdir -p %s", dir);
    if (system(cmd) != 0)
        abort();
    const char *root = getenv("BILAT_FUZZ_MINI");
    for (size_t i = 0; mini_files[i]; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", root ? root : "tests/data/mini", mini_files[i]);
        fixture[i] = slurp(path);
        if (!fixture[i])
            abort(); /* run from the project root, or set BILAT_FUZZ_MINI */
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    if (size < 1)
        return 0;
    const char *target = files[data[0] % NFILES];
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -f %s/*.tsv", dir);
    if (system(cmd) != 0)
        abort();
    for (size_t i = 0; mini_files[i]; i++)
        if (strcmp(mini_files[i], target) != 0)
            put(mini_files[i], fixture[i], strlen(fixture[i]));
    put(target, (const char *)data + 1, size - 1);
    bilat_db *db = NULL;
    struct bilat_err err;
    if (bilat_db_open(":memory:", BILAT_OPEN_CREATE, &db, &err) == 0) {
        const char *dirs[] = {dir};
        struct bilat_load_stats st;
        int rc = bilat_load_dirs(db, dirs, 1, NULL, &st, &err);
        /* a run with rejected rows must report them as a parse failure */
        if ((rc == 0) != (st.rejected == 0) && rc != BILAT_ENOMEM && rc != BILAT_ESQL &&
            rc != BILAT_EIO)
            abort();
    }
    bilat_db_close(db);
    return 0;
}
