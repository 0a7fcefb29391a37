/*
 * cmd_update.c: `bilat update gdelt`: keep the store current from the files GDELT publishes
 * (bilat_update_gdelt(); docs/EVENTS.md, "Keeping a store current"). Progress on a TTY (files,
 * bytes, rate, time left); otherwise one summary line. --dry-run lists the files it would
 * fetch as CSV on stdout.
 */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_help help = {
    "update gdelt",
    "[--source LIST] [--since DATE] [--until DATE] [--kinds export] [--dry-run] [--keep DIR]",
    "Fetch the GDELT export files the store does not hold yet, check them, ingest them.",
    "Reads GDELT's master file list (one line per published file: size in bytes, MD5, URL;\n"
    "--source names it: the default is " BILAT_GDELT_MASTER_LIST ",\n"
    "or another URL, or a local file; lastupdate.txt has the latest files only), keeps the\n"
    "export files of the period (--since, --until: the time in their names, UTC; DATE is\n"
    "YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM or YYYYMMDDHHMMSS; --until includes all of\n"
    "what it names) that the store has not ingested, downloads them two at a time (retries\n"
    "with backoff, partial downloads resumed, proxies from http_proxy, https_proxy, no_proxy),\n"
    "checks each file's size and MD5 against the list, and ingests the good ones as 'bilat\n"
    "ingest gdelt' does. A file that cannot be fetched (404, server error, timeout) or whose\n"
    "size or MD5 differs is reported with the expected and actual values, never ingested,\n"
    "and tried again by the next run; the exit status is then 1. Run it again and nothing is\n"
    "fetched twice; stop it at any point (kill -9 too) and the next run finishes the job.\n"
    "Files the list names but the store lacks are gaps in 'bilat coverage'. Without --keep,\n"
    "files are downloaded to the cache directory STORE.cache (named in the summary) and\n"
    "removed once ingested; with --keep DIR they stay in DIR, where 'bilat clusters' reads\n"
    "them again. --dry-run prints the files it would fetch (CSV: slot, name, size, md5, url,\n"
    "previous state) and their total size, and changes nothing.\n"
    "See docs/EVENTS.md and docs/STORE.md (fetch_file).\n"};

/* The progress line: drawn on a TTY, erased before any other message. */
struct line {
    int on;    /* stderr is a TTY and -q is off */
    int drawn; /* a progress line is on the screen */
};

static struct line line_state;

static void erase(void)
{
    if (line_state.drawn) {
        fprintf(stderr, "\r%79s\r", "");
        line_state.drawn = 0;
    }
}

static void on_diag(void *ctx, enum bilat_level level, const char *path, uint64_t ln,
                    const char *msg)
{
    erase();
    cli_diag(ctx, level, path, ln, msg);
}

/* 1536000 -> "1.5 MB" (powers of 1000, as transfer rates are given). */
static const char *human(uint64_t v, char *buf, size_t cap)
{
    static const char *const unit[] = {"B", "kB", "MB", "GB", "TB"};
    double d = (double)v;
    int u = 0;
    while (d >= 1000 && u < 4)
        d /= 1000, u++;
    if (u == 0)
        snprintf(buf, cap, "%llu B", (unsigned long long)v);
    else
        snprintf(buf, cap, "%.*f %s", d < 10 ? 2 : d < 100 ? 1 : 0, d, unit[u]);
    return buf;
}

static void on_progress(void *ctx, const struct bilat_update_progress *p)
{
    (void)ctx;
    if (!line_state.on || !p->files)
        return;
    double f = p->bytes ? (double)p->bytes_done / (double)p->bytes : 0;
    if (f > 1)
        f = 1;
    int w = (int)(f * 20);
    char a[32], b[32], rate[32], left[32] = "--:--";
    double bps = p->elapsed > 0.5 ? (double)p->received / p->elapsed : 0;
    if (bps > 0 && p->bytes > p->bytes_done) {
        double s = (double)(p->bytes - p->bytes_done) / bps;
        if (s < 360000)
            snprintf(left, sizeof(left), "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60,
                     (int)s % 60);
    } else if (p->bytes <= p->bytes_done) {
        snprintf(left, sizeof(left), "0:00:00");
    }
    human((uint64_t)bps, rate, sizeof(rate));
    fprintf(stderr, "\r[%.*s%*s] %llu/%llu files  %s/%s  %s/s  %s left ", w, "####################",
            20 - w, "", (unsigned long long)p->files_done, (unsigned long long)p->files,
            human(p->bytes_done, a, sizeof(a)), human(p->bytes, b, sizeof(b)), rate, left);
    line_state.drawn = 1;
}

static const char *const dry_header[6] = {"slot", "name", "size", "md5", "url", "previous"};
static int dry_rows; /* rows printed by on_file() (after the header) */

/* --dry-run: one CSV row per file that would be fetched. */
static void on_file(void *ctx, const struct bilat_update_file *f)
{
    int *dry = ctx;
    if (*dry) {
        if (!dry_rows++)
            cli_print_row(NULL, 6, dry_header, NULL);
        char size[32];
        snprintf(size, sizeof(size), "%lld", (long long)f->size);
        const char *v[6] = {f->slot, f->name, size, f->md5, f->url, f->previous};
        cli_print_row(NULL, 6, v, v);
        return;
    }
    if (cli.verbose) {
        erase();
        if (f->reason)
            cli_info("%s: %s (%s)", f->name, f->status, f->reason);
        else
            cli_info("%s: %s, %llu rows", f->name, f->status, (unsigned long long)f->rows);
    }
}

static void slot_text(uint64_t v, char out[24])
{
    snprintf(out, 24, "%04u-%02u-%02u %02u:%02u", (unsigned)(v / 10000000000ULL % 10000),
             (unsigned)(v / 100000000 % 100), (unsigned)(v / 1000000 % 100),
             (unsigned)(v / 10000 % 100), (unsigned)(v / 100 % 100));
}

/* The one summary line (on stderr). */
static void summary(const struct bilat_update_stats *s, int dry, const char *dir, int keep)
{
    char a[24], b[24], sz[32];
    char period[64] = "";
    if (s->first_slot)
        slot_text(s->first_slot, a), slot_text(s->last_slot, b),
            snprintf(period, sizeof(period), " (%s to %s UTC)", a, b);
    char skipped[256] = "";
    const struct {
        uint64_t n;
        const char *one, *many;
    } skip[] = {
        {s->mentions, "mentions file", "mentions files"},
        {s->gkg, "gkg file", "gkg files"},
        {s->outside, "outside the period", "outside the period"},
        {s->undated, "without a time in its name", "without a time in their name"},
        {s->duplicates, "listed twice", "listed twice"},
        {s->bad_lines, "bad line", "bad lines"},
    };
    size_t len = 0;
    for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
        if (!skip[i].n || len >= sizeof(skipped))
            continue;
        int w = snprintf(skipped + len, sizeof(skipped) - len, "%s%llu %s",
                         len ? ", " : "; skipped: ", (unsigned long long)skip[i].n,
                         skip[i].n == 1 ? skip[i].one : skip[i].many);
        len += w > 0 ? (size_t)w : 0;
    }
    if (dry) {
        cli_info("update: %llu export file%s listed%s, %llu in the store; would fetch %llu "
                 "(%llu new, %llu tried before; %s, %llu bytes)%s",
                 (unsigned long long)s->listed, s->listed == 1 ? "" : "s", period,
                 (unsigned long long)s->in_store, (unsigned long long)s->wanted,
                 (unsigned long long)(s->wanted - s->tried_before),
                 (unsigned long long)s->tried_before, human(s->wanted_bytes, sz, sizeof(sz)),
                 (unsigned long long)s->wanted_bytes, skipped);
        return;
    }
    char where[4200];
    snprintf(where, sizeof(where),
             keep ? "; files kept in %s" : "; downloads in %s (removed once ingested)", dir);
    cli_info("update: %llu export file%s listed%s, %llu in the store before; %llu to fetch "
             "(%llu new, %llu tried again): %llu ingested (%llu rows, %llu rejected), %llu "
             "already in the store by content, %llu failed, %llu rejected; %s downloaded%s%s",
             (unsigned long long)s->listed, s->listed == 1 ? "" : "s", period,
             (unsigned long long)s->in_store, (unsigned long long)s->wanted,
             (unsigned long long)(s->wanted - s->tried_before), (unsigned long long)s->tried_before,
             (unsigned long long)s->ingested, (unsigned long long)s->rows,
             (unsigned long long)s->rows_rejected, (unsigned long long)s->known,
             (unsigned long long)s->failed, (unsigned long long)s->rejected,
             human(s->received, sz, sizeof(sz)), skipped, where);
}

static int update_gdelt(int argc, char **argv)
{
    const char *source = NULL, *since = NULL, *until = NULL, *kinds = NULL, *keep = NULL,
               *dedup = "daily", *wait = "1";
    struct cli_run run = {.min_args = 0, .max_args = 0};
    long retries = 3, timeout = 60;
    int dry = 0;
    const struct opt opts[] = {
        OPT_STRING(0, "source", &source, "LIST",
                   "the file list: URL or local file (default: GDELT 2.0's master list)"),
        OPT_STRING(0, "since", &since, "DATE", "first file time, UTC (YYYY-MM-DD[THH:MM], ...)"),
        OPT_STRING(0, "until", &until, "DATE", "last file time, UTC, inclusive"),
        OPT_STRING(0, "kinds", &kinds, "LIST", "kinds of file to fetch: export (the default)"),
        OPT_BOOL('n', "dry-run", &dry, "list what would be fetched, with the total size"),
        OPT_STRING(0, "keep", &keep, "DIR", "download into DIR and keep the files there"),
        OPT_STRING(0, "dedup", &dedup, "RULE", "rule of events_dedup: daily (default), url, none"),
        OPT_INT(0, "retries", &retries, "N", "retries per file after the first attempt (3)"),
        OPT_STRING(0, "retry-wait", &wait, "SECONDS", "wait before the first retry, doubling (1)"),
        OPT_INT(0, "timeout", &timeout, "SECONDS", "to connect, and without data (60)"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    struct bilat_update_opts o;
    memset(&o, 0, sizeof(o));
    enum bilat_ev_dedup d;
    if (bilat_ev_dedup_parse(dedup, &d) < 0) {
        opt_usage_error(&help, "unknown dedup rule '%s' (none, daily or url)", dedup);
        return EXIT_USAGE;
    }
    char *end = NULL;
    errno = 0;
    double w = strtod(wait, &end);
    if (end == wait || *end || errno || !isfinite(w)) {
        opt_usage_error(&help, "option '--retry-wait' expects seconds, got '%s'", wait);
        return EXIT_USAGE;
    }
    if (timeout < 1) {
        opt_usage_error(&help, "option '--timeout' expects 1 or more seconds, got %ld", timeout);
        return EXIT_USAGE;
    }
    char cache[4096];
    if (snprintf(cache, sizeof(cache), "%s.cache", cli.db_path) >= (int)sizeof(cache)) {
        opt_usage_error(&help, "the store's name is too long");
        return EXIT_USAGE;
    }
    o.source = source;
    o.since = since;
    o.until = until;
    o.kinds = kinds;
    o.dir = keep ? keep : cache;
    o.keep = keep != NULL;
    o.dry_run = dry;
    o.retries = retries > 100 ? 101 : (int)retries;
    o.retry_wait = w;
    o.timeout = timeout;
    o.ingest.scan.dedup = d;
    o.ingest.diag.fn = on_diag;
    o.diag.fn = on_diag;
    o.file_cb = on_file;
    o.progress = on_progress;
    o.ctx = &dry;
    if (bilat_update_check(&o, &run.err) < 0) {
        opt_usage_error(&help, "%s", run.err.msg);
        return EXIT_USAGE;
    }
    /* a dry run over no store lists everything */
    if ((!dry || access(cli.db_path, F_OK) == 0) &&
        cli_open(&run, dry ? BILAT_OPEN_READONLY : BILAT_OPEN_CREATE))
        return EXIT_FAIL;
    line_state.on = isatty(2) && !cli.quiet && !dry;
    struct bilat_update_stats st;
    int rc = bilat_update_gdelt(run.db, &o, &st, &run.err);
    erase();
    if (rc == 0 && run.db && !dry)
        cli_summaries(run.db, 0);
    bilat_db_close(run.db);
    if (rc < 0) {
        fflush(stdout);
        cli_fail(&run.err);
        return rc == BILAT_EINVAL ? EXIT_USAGE : EXIT_FAIL;
    }
    if (dry && !dry_rows)
        cli_print_row(NULL, 6, dry_header, NULL);
    char abs[4096];
    summary(&st, dry, realpath(o.dir, abs) ? abs : o.dir, o.keep);
    int code = cli_finish(EXIT_OK);
    if (code == EXIT_OK && (st.failed || st.rejected))
        code = EXIT_FAIL;
    return code;
}

static const struct cli_cmd sources[] = {
    {"gdelt", update_gdelt, "GDELT 2.0 export files from its master file list"},
};

static const struct cli_kinds update = {
    "update", "source", "which source?",
    "usage: bilat update KIND [options]\n\n"
    "Keep the store current from the files a source publishes. Kinds:\n",
    "\nSee 'bilat update gdelt --help' for its options.\n"
    "Exit status: 0 success, 1 runtime failure or a file that could not be fetched,\n"
    "2 usage error.\n",
    sources, sizeof(sources) / sizeof(sources[0])};

int cmd_update(int argc, char **argv)
{
    return cli_kinds_run(&update, argc, argv);
}
