/*
 * evcli.c: shared parts of the event-file commands (evcli.h): option checks, progress on a
 * TTY, the scan driver with its MPI reduction.
 */
#include "cli/evcli.h"

#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int evcli_common(const struct cmd_help *help, const char *format, const char *dedup,
                 const char *scanner, const char *io, long threads, long bufsize,
                 struct bilat_scan_opts *so)
{
    int iom = strcmp(io, "auto") == 0 ? 0 : strcmp(io, "read") == 0 ? 1 : strcmp(io, "mmap") == 0 ? 2 : -1;
    if (iom < 0) {
        opt_usage_error(help, "unknown I/O mode '%s' (auto, read or mmap)", io);
        return -1;
    }
    so->io = iom;
    enum bilat_ev_format f;
    enum bilat_ev_dedup d;
    if (bilat_ev_format_parse(format, &f) < 0) {
        opt_usage_error(help, "unknown format '%s' (gdelt1, gdelt2, icews or auto)", format);
        return -1;
    }
    if (bilat_ev_dedup_parse(dedup, &d) < 0) {
        opt_usage_error(help, "unknown dedup rule '%s' (none, daily or url)", dedup);
        return -1;
    }
    if (threads < 0 || threads > 64) {
        opt_usage_error(help, "option '--jobs' expects 1 to 64, got %ld", threads);
        return -1;
    }
    if (bufsize < 0 || bufsize > (64L << 20)) {
        opt_usage_error(help, "option '--buffer-size' expects 1 to 67108864 bytes");
        return -1;
    }
    int sc = strcmp(scanner, "auto") == 0     ? 0
             : strcmp(scanner, "scalar") == 0 ? 1
             : strcmp(scanner, "simd") == 0   ? 2
                                              : -1;
    if (sc < 0) {
        opt_usage_error(help, "unknown scanner '%s' (auto, scalar or simd)", scanner);
        return -1;
    }
    so->format = f;
    so->dedup = d;
    so->threads = (int)threads;
    so->buffer_size = (size_t)bufsize;
    so->scanner = sc;
    return 0;
}

struct progress {
    int on;             /* stderr is a TTY and -q is off */
    uint64_t total;     /* bytes of all files (plain sizes; compressed files count raw) */
    double last;        /* last fraction drawn */
};

static void progress_cb(void *ctx, uint64_t done, size_t file)
{
    struct progress *p = ctx;
    (void)file;
    if (!p->on || !p->total)
        return;
    double f = (double)done / (double)p->total;
    if (f > 1)
        f = 1;
    if (f - p->last < 0.01 && f < 1)
        return;
    p->last = f;
    int w = (int)(f * 40);
    fprintf(stderr, "\r[%.*s%*s] %3d%%", w, "########################################", 40 - w,
            "", (int)(f * 100));
}

int evcli_scan(const struct cmd_help *help, struct bilat_scan_opts *so, const char **files,
               size_t n, int strict, int mpi)
{
    (void)help;
    int rank = 0, size = 1;
    if (mpi && evcli_mpi_init(&rank, &size) < 0)
        return EXIT_FAIL;
    struct progress pg = {isatty(2) && !cli.quiet && !mpi, 0, 0};
    so->progress = pg.on ? progress_cb : NULL;
    so->progress_ctx = &pg;
    bilat_scan *s = NULL;
    struct bilat_err err = {0};
    int rc = bilat_scan_files_part(so, files, n, (size_t)rank, (size_t)size, &s, &err);
    if (pg.on)
        fprintf(stderr, "\r%60s\r", "");
    if (mpi) {
        /* Every rank sends its partial result to rank 0, which merges in rank order. */
        void *buf = NULL;
        size_t len = 0;
        int prc = rc;
        if (prc == 0)
            prc = bilat_scan_pack(s, &buf, &len, &err);
        void **bufs = NULL;
        size_t *lens = NULL;
        if (evcli_mpi_gather(prc == 0 ? buf : "", prc == 0 ? len : 0, rank, size, &bufs,
                             &lens) < 0)
            prc = BILAT_EIO;
        bilat_free(buf);
        if (rank == 0) {
            for (int r = 1; r < size; r++) {
                if (prc == 0 && lens[r] == 0) {
                    prc = bilat_fail(&err, BILAT_EIO, "MPI rank %d failed", r);
                } else if (prc == 0) {
                    prc = bilat_scan_merge_packed(s, bufs[r], lens[r], &err);
                }
            }
        }
        for (int r = 0; bufs && r < size; r++)
            bilat_free(bufs[r]);
        bilat_free(bufs);
        bilat_free(lens);
        rc = prc;
        if (rank != 0) {
            bilat_scan_free(s);
            int code = evcli_mpi_bcast_int(0);
            evcli_mpi_finish();
            return code;
        }
    }
    int code = EXIT_OK;
    if (rc < 0) {
        cli_fail(&err);
        code = rc == BILAT_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    } else {
        struct bilat_diag d = {cli_diag, NULL};
        if (bilat_scan_write_csv(s, stdout, &err) < 0) {
            code = cli_finish(EXIT_FAIL);
        } else {
            bilat_scan_report(s, &d);
            struct bilat_scan_stats st;
            bilat_scan_stats(s, &st);
            int missing = st.unopened_files;
            cli_info("scanned %llu file%s, %llu rows: %llu used, %llu rejected; %llu groups%s%s",
                     (unsigned long long)st.files, st.files == 1 ? "" : "s",
                     (unsigned long long)st.rows, (unsigned long long)st.used,
                     (unsigned long long)st.rejected, (unsigned long long)st.groups,
                     so->dedup ? "; dedup rule: " : "",
                     so->dedup ? bilat_ev_dedup_name(so->dedup) : "");
            code = cli_finish(EXIT_OK);
            if (code == EXIT_OK && missing)
                code = EXIT_FAIL;
            else if (code == EXIT_OK && strict && (st.rejected || st.failed_files))
                code = EXIT_REJECTED;
        }
    }
    bilat_scan_free(s);
    if (mpi) {
        evcli_mpi_bcast_int(code);
        evcli_mpi_finish();
    }
    return code;
}

int evcli_ingest(int argc, char **argv, const char *origin, enum bilat_ev_format fmt)
{
    (void)argc, (void)argv, (void)origin, (void)fmt;
    return EXIT_FAIL;
}
