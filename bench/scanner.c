/*
 * scanner.c: the line and field scanner alone (src/ingest/evscan.c), without the rows' work:
 * the figures of bench/RESULTS.md's sixth round ("the AVX-512 scanner alone").
 *
 *   make && cc -O2 -Isrc -Iinclude -o bench/data/scanner bench/scanner.c build/libbilat.a \
 *       -lpthread
 *   head -n 50000 bench/data/gdelt_2100000.CSV >bench/data/small.CSV
 *   bench/data/scanner bench/data/small.CSV [MAXF [RUNS [avx2|scalar]]]
 *
 * Maps FILE and scans it RUNS times (default 15) with the scanner evscan_pick() chooses (or
 * the one named), recording the starts of the first MAXF fields (default 36, a quad query's),
 * with a callback that only reads a line's field count and a start; prints the best and the
 * median time. A file small enough for the cache (50,000 lines, 20 MB) times the scanner's own
 * work; a large one adds the memory's.
 */
#include "ingest/evscan.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static uint64_t sink;

static int on_line(void *ctx, struct evscan_line *l)
{
    (void)ctx;
    sink += l->nf + l->start[l->nf > 5 ? 5 : 0] + l->len;
    return 0;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: scanner FILE [MAXF [RUNS [avx2|scalar]]]\n");
        return 2;
    }
    unsigned maxf = argc > 2 ? (unsigned)atoi(argv[2]) : 36;
    int runs = argc > 3 ? atoi(argv[3]) : 15;
    if (maxf < 1 || maxf > EVSCAN_MAXF || runs < 1 || runs > 1000) {
        fprintf(stderr, "scanner: MAXF 1 to %d, RUNS 1 to 1000\n", EVSCAN_MAXF);
        return 2;
    }
    enum evscan_kind want = EVSCAN_AUTO;
    if (argc > 4)
        want = strcmp(argv[4], "scalar") == 0 ? EVSCAN_SCALAR : EVSCAN_AVX2;
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "scanner: cannot read '%s'\n", argv[1]);
        return 1;
    }
    size_t n = (size_t)st.st_size;
    const char *p = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "scanner: cannot map '%s'\n", argv[1]);
        return 1;
    }
    enum evscan_kind used;
    evscan_block_fn *scan = evscan_pick(want, &used);
    static struct evscan_line line;
    double *t = calloc((size_t)runs, sizeof(*t));
    if (!t)
        return 1;
    uint64_t lines = 0;
    for (int r = 0; r < runs; r++) {
        double s = now_ms();
        lines = scan(p, n, maxf, &line, on_line, NULL);
        t[r] = now_ms() - s;
    }
    qsort(t, (size_t)runs, sizeof(*t), by_value);
    printf("%s scanner, %llu lines, %u field starts: best %.2f ms, median %.2f ms (%d runs)\n",
           used == EVSCAN_SIMD ? "AVX-512" : used == EVSCAN_AVX2 ? "AVX2" : "scalar",
           (unsigned long long)lines, maxf, t[0], t[runs / 2], runs);
    free(t);
    munmap((void *)(uintptr_t)p, n);
    close(fd);
    return (int)(sink & 0); /* the sum keeps the callback's reads */
}
