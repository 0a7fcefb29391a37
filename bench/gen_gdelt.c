/*
 * gen_gdelt.c: bootstrap a large GDELT 2.0 events file from the real export shipped in
 * data/raw/gdelt/20180101000000.export.CSV, for benchmarks.
 *
 *   gen_gdelt SOURCE ROWS SEED [spread|source] >OUT.CSV
 *
 * Each output row is a random row of SOURCE (drawn with replacement) with:
 *   - a new GLOBALEVENTID, 1000000000 * (1 + SEED mod 1000000) + row number: files made with
 *     different seeds hold different events, as different GDELT exports do (bilat counts an
 *     event once whatever file brings it, by its GLOBALEVENTID);
 *   - a new event date, uniform over 1996-01-01..2023-12-31, written to SQLDATE, MonthYear,
 *     Year and FractionDate, and DATEADDED = the event date plus 0 to 3 days, at a random
 *     15-minute mark (YYYYMMDDHHMMSS);
 *   - with probability 1/50, Actor1 and Actor2 rewritten to Cambodia and China (either
 *     direction; the CAMEO actor code becomes the country code plus the actor's first role
 *     code), so that the KHM-CHN dyad exists.
 * With "source" as the fourth argument the dates are the source row's own (the month of events
 * a real export covers) instead of spread over 28 years: the event cube then has as few cells
 * per row as real files give (bench/RESULTS.md, ingest).
 * Everything else (codes, Goldstein, tone, counts, geography, URL) is the source row's. The
 * generator is deterministic for a given SOURCE, ROWS and SEED (splitmix64).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t next(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void from_day(long n, int *y, int *m, int *d)
{
    /* n days after 1996-01-01 */
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    *y = 1996;
    for (;;) {
        int len = 365 + leap(*y);
        if (n < len)
            break;
        n -= len;
        (*y)++;
    }
    *m = 1;
    for (;;) {
        int len = dm[*m - 1] + (*m == 2 && leap(*y));
        if (n < len)
            break;
        n -= len;
        (*m)++;
    }
    *d = (int)n + 1;
}

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: gen_gdelt SOURCE ROWS SEED [spread|source] >OUT.CSV\n");
        return 2;
    }
    int keep_dates = argc == 5 && strcmp(argv[4], "source") == 0;
    long rows = strtol(argv[2], NULL, 10);
    state = strtoull(argv[3], NULL, 10);
    const unsigned long long seed = state;
    FILE *in = fopen(argv[1], "r");
    if (!in) {
        perror(argv[1]);
        return 1;
    }
    char **lines = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, in)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            lines = realloc(lines, cap * sizeof(*lines));
        }
        lines[n++] = strdup(line);
    }
    fclose(in);
    if (!n) {
        fprintf(stderr, "gen_gdelt: no rows in %s\n", argv[1]);
        return 1;
    }
    long days = 0;
    for (int y = 1996; y <= 2023; y++)
        days += 365 + leap(y);
    static char buf[1 << 16];
    setvbuf(stdout, NULL, _IOFBF, 1 << 20);
    char *f[64];
    for (long r = 0; r < rows; r++) {
        const char *src = lines[next() % n];
        size_t sl = strlen(src);
        if (sl >= sizeof(buf) - 1)
            continue;
        memcpy(buf, src, sl + 1);
        int nf = 0;
        f[nf++] = buf;
        for (char *p = buf; *p; p++)
            if (*p == '\t' && nf < 64) {
                *p = '\0';
                f[nf++] = p + 1;
            }
        if (nf != 61)
            continue;
        long dn = (long)(next() % (uint64_t)days);
        int y, m, d;
        from_day(dn, &y, &m, &d);
        int ya, ma, da;
        from_day(dn + (long)(next() % 4), &ya, &ma, &da);
        unsigned slot = (unsigned)(next() % 96);
        char id[24], sqldate[16], my[16], yr[8], frac[16], added[24];
        snprintf(id, sizeof(id), "%llu", 1000000000ULL * (1 + seed % 1000000) + (unsigned long long)r);
        snprintf(sqldate, sizeof(sqldate), "%04d%02d%02d", y, m, d);
        snprintf(my, sizeof(my), "%04d%02d", y, m);
        snprintf(yr, sizeof(yr), "%04d", y);
        snprintf(frac, sizeof(frac), "%.4f", y + ((m - 1) * 30 + d) / 365.0);
        snprintf(added, sizeof(added), "%04d%02d%02d%02u%02u00", ya, ma, da, slot / 4,
                 slot % 4 * 15);
        f[0] = id;
        if (!keep_dates) {
            f[1] = sqldate;
            f[2] = my;
            f[3] = yr;
            f[4] = frac;
            f[59] = added;
        }
        char a1[16], a2[16];
        if (next() % 50 == 0) {
            int khm_first = (int)(next() & 1);
            const char *c1 = khm_first ? "KHM" : "CHN", *c2 = khm_first ? "CHN" : "KHM";
            snprintf(a1, sizeof(a1), "%s%s", c1, f[12]);
            snprintf(a2, sizeof(a2), "%s%s", c2, f[22]);
            f[5] = a1;
            f[7] = (char *)c1;
            f[15] = a2;
            f[17] = (char *)c2;
        }
        for (int i = 0; i < 61; i++) {
            fputs(f[i], stdout);
            putchar(i == 60 ? '\n' : '\t');
        }
    }
    if (fflush(stdout) != 0) {
        perror("stdout");
        return 1;
    }
    return 0;
}
