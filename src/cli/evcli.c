/*
 * evcli.c: shared parts of the event-file commands (evcli.h): option checks, progress on a
 * TTY, the scan driver with its MPI reduction.
 */
#include "cli/evcli.h"

#include "core/err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int evcli_common(const struct cmd_help *help, const char *format, const char *dedup,
                 const char *scanner, const char *io, long threads, long bufsize,
                 struct bilat_scan_opts *so)
{
    static const char *const io_names[] = {"auto", "read", "mmap", NULL};
    static const enum bilat_io ios[] = {BILAT_IO_AUTO, BILAT_IO_READ, BILAT_IO_MMAP};
    int iom = cli_choice(help, "I/O mode", io, io_names);
    if (iom < 0)
        return -1;
    so->io = ios[iom];
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
    static const char *const scanner_names[] = {"auto", "scalar", "simd", "avx2", NULL};
    static const enum bilat_scanner scanners[] = {BILAT_SCANNER_AUTO, BILAT_SCANNER_SCALAR,
                                                  BILAT_SCANNER_SIMD, BILAT_SCANNER_AVX2};
    int sc = cli_choice(help, "scanner", scanner, scanner_names);
    if (sc < 0)
        return -1;
    so->format = f;
    so->dedup = d;
    so->threads = (int)threads;
    so->buffer_size = (size_t)bufsize;
    so->scanner = scanners[sc];
    return 0;
}

/* "96M", "512k", "1G", "4096" -> bytes (powers of 1024). */
static int parse_size(const char *s, size_t *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || *s == '-')
        return -1;
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K')
        shift = 10, end++;
    else if (*end == 'm' || *end == 'M')
        shift = 20, end++;
    else if (*end == 'g' || *end == 'G')
        shift = 30, end++;
    if (*end || v > (SIZE_MAX >> 1 >> shift))
        return -1;
    *out = (size_t)(v << shift);
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
               size_t n, int strict, int mpi, const char *members_path)
{
    (void)help;
    int rank = 0, size = 1;
    if (mpi && evcli_mpi_init(&rank, &size) < 0)
        return EXIT_FAIL;
    /* The groups are written at the end, on one thread, while the scan's time is still being
     * counted: 64 KiB at a time rather than stdio's 4 KiB for a pipe (a quad query's 658 KB
     * took 161 writes). Set before anything is written to stdout. */
    static char outbuf[1 << 16];
    if (!isatty(1))
        setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
    struct progress pg = {isatty(2) && !cli.quiet && !mpi, 0, 0};
    for (size_t i = 0; pg.on && i < n; i++) {
        /* compressed files count their raw size: the bar is a guide, not a promise */
        struct stat st;
        if (stat(files[i], &st) == 0 && S_ISREG(st.st_mode))
            pg.total += (uint64_t)st.st_size;
    }
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
        FILE *mf = NULL;
        if (members_path && !(mf = fopen(members_path, "w")))
            cli_error("cannot write '%s': %s", members_path, strerror(errno));
        if (members_path && (!mf || bilat_scan_write_members(s, BILAT_FORMAT_CSV, mf, &err) < 0 ||
                             fclose(mf) != 0)) {
            if (mf)
                cli_error("cannot write '%s'", members_path);
            code = EXIT_FAIL;
        } else if (bilat_scan_write(s, BILAT_FORMAT_CSV, stdout, &err) < 0) {
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
            /* a file that could not be read to its end (missing, damaged, changed while
             * read) fails the run: its counts are missing or incomplete */
            if (code == EXIT_OK && (missing || st.failed_files))
                code = EXIT_FAIL;
            else if (code == EXIT_OK && strict && st.rejected)
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

/* Progress over files (ingest of a directory of daily files): drawn on a TTY only. */
static void file_progress(void *ctx, size_t done, size_t total, const char *path)
{
    struct progress *p = ctx;
    if (!p->on || !total)
        return;
    if (!path) {
        fprintf(stderr, "\r%78s\r", "");
        return;
    }
    int w = (int)((double)done / (double)total * 30);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    fprintf(stderr, "\r[%.*s%*s] %zu/%zu %-30.30s", w, "##############################", 30 - w,
            "", done, total, base);
}

static const struct cmd_help ingest_help[2] = {
    {"ingest gdelt", "[options] FILE...",
     "Aggregate GDELT 1.0/2.0 event files into the store's event cube.",
     "Each FILE (plain, .zip or .gz; GDELT 1.0 with 57/58 columns or GDELT 2.0 with 61) is\n"
     "aggregated by day, actor countries and types, event code and quad class into event_cube,\n"
     "recorded in ingest_file (path, size, SHA-256, rows read and rejected, status) and counted\n"
     "per day added in ingest_coverage. One transaction per file: ingesting a file again does\n"
     "nothing, a file at the same path with new content replaces the old one, and an ingest\n"
     "stopped half-way (even by kill -9) is finished by running it again. The cube keeps raw\n"
     "counts (events) and deduplicated ones (events_dedup, rule --dedup, default daily).\n"
     "Each event is counted once: a copy of a file in the store (the same content in another\n"
     "container or under another name) is skipped and listed by 'bilat coverage --duplicates',\n"
     "and rows whose GLOBALEVENTID another file holds are left out (rows_duplicate).\n"
     "Every file is attempted; one that cannot be read to its end (missing, a directory,\n"
     "damaged, changed while read) is reported, a damaged one kept as 'partial', and the exit\n"
     "status is 1.\n"
     "A file whose cells need more than --memory (bytes, or with k, M, G; 0: no limit) has\n"
     "them sorted into runs in a temporary file next to the store, merged as they are written:\n"
     "the same cube, in bounded memory.\n"
     "See docs/EVENTS.md and docs/STORE.md.\n"},
    {"ingest icews", "[options] FILE...",
     "Aggregate ICEWS event files (.tab with header) into the store's event cube.",
     "As 'bilat ingest gdelt': country names are mapped to ISO3 and sectors to CAMEO role codes\n"
     "(docs/EVENTS.md); ICEWS has no mentions, sources, articles or tone (stored as NULL).\n"},
};

/* What an ingest did, on stderr (unless -q). */
static void ingest_summary(const struct bilat_ingest_stats *st, enum bilat_ev_dedup dedup)
{
    char dups[160] = "";
    if (st->dup_rows)
        snprintf(dups, sizeof(dups), ", %llu left out as events of other files",
                 (unsigned long long)st->dup_rows);
    char copies[160] = "";
    if (st->duplicates)
        snprintf(copies, sizeof(copies), ", %llu skipped as copies of files in the store",
                 (unsigned long long)st->duplicates);
    char again[160] = "";
    if (st->reread)
        snprintf(again, sizeof(again), ", %llu read again (their events were a replaced "
                                       "file's)",
                 (unsigned long long)st->reread);
    char failed[160] = "";
    if (st->failed_files)
        snprintf(failed, sizeof(failed), "; %d file%s could not be read to the end",
                 st->failed_files, st->failed_files == 1 ? "" : "s");
    cli_info("ingested %llu file%s (%llu rows, %llu rejected%s, %llu cube rows); %llu "
             "already in the store%s, %llu replaced%s%s; dedup rule: %s",
             (unsigned long long)st->files, st->files == 1 ? "" : "s",
             (unsigned long long)st->rows, (unsigned long long)st->rejected, dups,
             (unsigned long long)st->cells, (unsigned long long)st->skipped, copies,
             (unsigned long long)st->replaced, again, failed,
             bilat_ev_dedup_name(dedup));
    if (st->spilled)
        cli_info("cells of %llu file%s went over --memory and were merged from %llu sorted "
                 "run%s on disk",
                 (unsigned long long)st->spilled, st->spilled == 1 ? "" : "s",
                 (unsigned long long)st->runs, st->runs == 1 ? "" : "s");
}

/*
 * Rank 0 of an MPI ingest: files in order, its own share scanned and written here, the others'
 * received from their ranks as packed results and written; stats summed. 0, or the first error
 * (the others' results are still received, so that every rank can finish).
 */
static int ingest_rank0(bilat_db *db, const struct bilat_ingest_opts *io_opts,
                        const char *const *files, size_t n, int size, struct progress *pg,
                        struct bilat_ingest_stats *stp, struct bilat_err *errp)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        int owner = (int)(i % (size_t)size);
        file_progress(pg, i, n, files[i]);
        if (owner == 0) {
            struct bilat_ingest_opts one = *io_opts;
            one.file_cb = NULL;
            struct bilat_ingest_stats s1;
            int prc = rc == 0 ? bilat_ingest_files(db, &one, &files[i], 1, &s1, errp) : rc;
            if (prc == 0) {
                stp->files += s1.files, stp->skipped += s1.skipped;
                stp->replaced += s1.replaced;
                stp->rows += s1.rows, stp->rejected += s1.rejected, stp->cells += s1.cells;
                stp->spilled += s1.spilled, stp->runs += s1.runs;
                stp->failed_files += s1.failed_files;
                stp->duplicates += s1.duplicates, stp->dup_rows += s1.dup_rows;
                stp->reread += s1.reread;
            }
            rc = prc;
            continue;
        }
        void *buf = NULL;
        size_t len = 0;
        if (evcli_mpi_recv(owner, &buf, &len) < 0 && rc == 0)
            rc = bilat_fail(errp, BILAT_EIO, "MPI: cannot receive from rank %d", owner);
        if (rc == 0 && len == 0)
            rc = bilat_fail(errp, BILAT_EIO, "MPI rank %d could not scan '%s'", owner,
                            files[i]);
        if (rc == 0)
            rc = bilat_ingest_write_packed(db, io_opts, files[i], buf, len, stp, errp);
        bilat_free(buf);
    }
    file_progress(pg, n, n, NULL);
    return rc;
}

int evcli_ingest(int argc, char **argv, const char *origin, enum bilat_ev_format fmt)
{
    const struct cmd_help *help = &ingest_help[fmt == BILAT_EV_ICEWS];
    const char *format = fmt == BILAT_EV_ICEWS ? "icews" : "auto", *dedup = "daily",
               *scanner = "auto", *io = "auto", *memory = NULL;
    long threads = 0, bufsize = 0;
    int strict = 0, mpi = 0;
    const struct opt opts[] = {
        OPT_STRING(0, "dedup", &dedup, "RULE", "rule of events_dedup: daily (default), url, none"),
        OPT_STRING(0, "format", &format, "FMT", "gdelt1, gdelt2 or auto (gdelt only)"),
        OPT_INT('j', "jobs", &threads, "N", "scanning threads (default: all CPUs)"),
        OPT_BOOL(0, "strict", &strict, "exit 3 when any row was bad"),
        OPT_BOOL(0, "mpi", &mpi, "scan the files on MPI ranks, write on rank 0 (under mpirun)"),
        OPT_STRING(0, "memory", &memory, "SIZE", "memory for a file's cube cells (default 96M)"),
        EVCLI_READ_OPTS(&bufsize, &scanner, &io),
        OPT_END(),
    };
    static const char *files[EVCLI_MAX_FILES];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, help, files, EVCLI_MAX_FILES, 1, &n));
    if (r >= 0)
        return r;
    struct bilat_ingest_opts io_opts;
    memset(&io_opts, 0, sizeof(io_opts));
    if (evcli_common(help, format, dedup, scanner, io, threads, bufsize, &io_opts.scan) < 0)
        return EXIT_USAGE;
    if (fmt == BILAT_EV_ICEWS)
        io_opts.scan.format = BILAT_EV_ICEWS;
    else if (io_opts.scan.format == BILAT_EV_ICEWS) {
        opt_usage_error(help, "ICEWS files go through 'bilat ingest icews'");
        return EXIT_USAGE;
    }
    if (memory && parse_size(memory, &io_opts.scan.memory) < 0) {
        opt_usage_error(help, "option '--memory' expects a size such as 64M, got '%s'", memory);
        return EXIT_USAGE;
    }
    if (memory && io_opts.scan.memory == 0)
        io_opts.scan.memory = SIZE_MAX;
    io_opts.origin = origin;
    io_opts.diag.fn = cli_diag;
    int rank = 0, size = 1;
    if (mpi && evcli_mpi_init(&rank, &size) < 0)
        return EXIT_FAIL;
    struct progress pg = {isatty(2) && !cli.quiet && rank == 0, 0, 0};
    io_opts.file_cb = file_progress;
    io_opts.file_ctx = &pg;
    struct bilat_err err = {0};
    struct bilat_ingest_stats st;
    memset(&st, 0, sizeof(st));
    int rc = 0;
    if (mpi && rank != 0) {
        /* Scan this rank's share, in file order, and send each result to rank 0. */
        for (size_t i = (size_t)rank; i < n; i += (size_t)size) {
            void *buf = NULL;
            size_t len = 0;
            int prc = bilat_ingest_pack_file(&io_opts, files[i], &buf, &len, &err);
            if (prc < 0) {
                cli_fail(&err);
                len = 0;
            }
            evcli_mpi_send0(prc == 0 ? buf : "", len);
            bilat_free(buf);
        }
        int code = evcli_mpi_bcast_int(0);
        evcli_mpi_finish();
        return code;
    }
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_CREATE, &db)) {
        if (mpi) {
            /* Drain the other ranks so that they can finish. */
            for (size_t i = 0; i < n; i++)
                if (i % (size_t)size) {
                    void *buf = NULL;
                    size_t len = 0;
                    evcli_mpi_recv((int)(i % (size_t)size), &buf, &len);
                    bilat_free(buf);
                }
            evcli_mpi_bcast_int(EXIT_FAIL);
            evcli_mpi_finish();
        }
        return EXIT_FAIL;
    }
    if (!mpi) {
        rc = bilat_ingest_files(db, &io_opts, files, n, &st, &err);
    } else {
        rc = ingest_rank0(db, &io_opts, files, n, size, &pg, &st, &err);
    }
    if (rc == 0)
        cli_summaries(db, 0);
    bilat_db_close(db);
    int code = EXIT_OK;
    if (rc < 0) {
        cli_fail(&err);
        code = EXIT_FAIL;
    } else {
        ingest_summary(&st, io_opts.scan.dedup);
        /* every file was attempted; one that could not be read to its end (missing, not
         * readable, of no known format, damaged, changed while read) fails the run */
        if (st.failed_files)
            code = EXIT_FAIL;
        else if (strict && st.rejected)
            code = EXIT_REJECTED;
        code = cli_finish(code);
    }
    if (mpi) {
        evcli_mpi_bcast_int(code);
        evcli_mpi_finish();
    }
    return code;
}
