/*
 * cmd_coverage.c: `bilat coverage`: what the ingested event files cover, period by period,
 * with the gaps shown ('missing'), as CSV on stdout.
 */
#include "cli/cli.h"

#include <stdio.h>

static const struct cmd_help help = {
    "coverage", "[--month] [--files] [--duplicates] [--origin gdelt|icews] [--from DATE] "
                "[--to DATE]",
    "What the ingested event files cover, day by day (or month by month), gaps included.",
    "One CSV row per day rows were added (GDELT DATEADDED; ICEWS: the event date) from the\n"
    "first to the last one in the store: the number of files, rows kept, rows rejected (counted\n"
    "on the first day of their file), the first and last event date, and a status: 'ok', or\n"
    "'missing' when no file covers the day (rows are then empty, never 0). Files that GDELT's\n"
    "list names but the store lacks ('bilat update') are gaps too: their day is 'partial' when\n"
    "other files of it are in, else 'missing'. --month gives months with the number of days\n"
    "that have data ('partial' when some are missing). --files lists each ingested file:\n"
    "name, origin, format, size, SHA-256, rows read, rejected and left out as duplicates\n"
    "(their GLOBALEVENTID came with another file), dates, status (done, partial, empty), the\n"
    "dedup rule and when it was ingested. --duplicates lists the files that were skipped\n"
    "because another file in the store has the same content (the same export in another\n"
    "container or under another name): path, size, container, the file they repeat and when\n"
    "they were seen; without it, a warning on stderr gives their number.\n"};

int cmd_coverage(int argc, char **argv)
{
    struct cli_run run = {.min_args = 0, .max_args = 0, .open = BILAT_OPEN_READONLY};
    int month = 0, files = 0, dups = 0;
    const char *origin = NULL, *from = NULL, *to = NULL;
    const struct opt opts[] = {
        OPT_BOOL(0, "month", &month, "one row per month instead of per day"),
        OPT_BOOL(0, "files", &files, "list the ingested files"),
        OPT_BOOL(0, "duplicates", &dups, "list the files skipped as copies of ingested ones"),
        OPT_STRING(0, "origin", &origin, "KIND", "gdelt or icews (default both)"),
        OPT_STRING(0, "from", &from, "DATE", "first day, YYYY-MM-DD"),
        OPT_STRING(0, "to", &to, "DATE", "last day, YYYY-MM-DD"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    struct bilat_coverage_opts co = {origin, month, files, from, to, dups};
    int rc = bilat_coverage_each(run.db, &co, cli_print_row, NULL, &run.err);
    int64_t ndup = rc == 0 && !dups ? bilat_ingest_duplicates(run.db, &run.err) : 0;
    if (ndup < 0)
        rc = (int)ndup;
    else if (ndup > 0)
        cli_warning("%lld file%s skipped as %s (the same data in another container or under "
                    "another name): see 'bilat coverage --duplicates'",
                    (long long)ndup, ndup == 1 ? " was" : "s were",
                    ndup == 1 ? "a copy of an ingested file" : "copies of ingested files");
    return cli_end_rows(&run, rc);
}
