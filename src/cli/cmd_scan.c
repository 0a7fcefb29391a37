/*
 * cmd_scan.c: `bilat scan FILE... --by KEYS [--where COND]...`: aggregate GDELT/ICEWS files
 * straight to CSV, without a store. With --mpi (a `make MPI=1` build, under mpirun) the files are
 * split over the ranks and rank 0 merges the partial results and writes the CSV.
 */
#include "cli/cli.h"

#include "cli/evcli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_help help = {
    "scan", "[options] FILE...",
    "Aggregate GDELT or ICEWS event files straight to CSV, without a store.",
    "Each FILE is a GDELT 1.0 (57/58 columns), GDELT 2.0 (61 columns) or ICEWS (.tab with its\n"
    "header) event file, plain, .zip or .gz ('-' reads standard input). The output is CSV: a\n"
    "header, then one row per group sorted by the keys, with the measures events,\n"
    "[events_dedup,] root_events, goldstein_sum, mentions, sources, articles, tone_sum. Sums are\n"
    "exact decimal sums of the values in the files. A measure the format lacks (ICEWS has no\n"
    "mentions) is an empty field, never 0.\n\n"
    "Keys (--by): year, month (YYYY-MM), day (YYYY-MM-DD), actor1_country, actor2_country,\n"
    "actor1_type, actor2_type, event_code, root_code, quad, action_country (the event's place,\n"
    "mapped from FIPS 10-4 to ISO3). Dates are the event's date (GDELT SQLDATE).\n\n"
    "Conditions (--where, all must hold): dyad=A:B (either direction), actor1_country=X,\n"
    "actor2_country=X, root_code=NN, event_code=NNN, quad=N, action_country=X,\n"
    "from=YYYYMMDD, to=YYYYMMDD.\n\n"
    "Rows are counted raw unless --dedup is given; with --dedup=daily (one event per day,\n"
    "source actor, target actor and event code) or --dedup=url (per source URL, actors and\n"
    "event code) the column events_dedup_RULE is added and stderr names the rule;\n"
    "--members FILE then lists every kept row with its cluster, id and URL.\n"
    "Bad rows are reported as 'file:line: reason' (the first 20 per file, then a count) and\n"
    "skipped; the good rows still count. A file that cannot be read to its end (missing,\n"
    "damaged, changed while read) is reported after the others were read, and the exit\n"
    "status is 1; otherwise --strict makes it 3 when rows were rejected. Rows are counted\n"
    "file by file, as they are (bilat ingest counts each event once). See docs/EVENTS.md.\n\n"
    "Example: bilat scan 2018*.export.CSV.zip --by year,root_code --where dyad=KHM:CHN\n"};

int cmd_scan(int argc, char **argv)
{
    const char *by = NULL, *format = "auto", *dedup = "none", *scanner = "auto", *io = "auto";
    const char *members = NULL;
    long threads = 0, bufsize = 0;
    int strict = 0, mpi = 0;
    struct opt_list where = {{0}, 0};
    const struct opt opts[] = {
        OPT_STRING(0, "by", &by, "KEYS", "group by these comma-separated keys"),
        OPT_LIST(0, "where", &where, "COND", "keep rows where COND holds (repeatable)"),
        OPT_STRING(0, "format", &format, "FMT", "gdelt1, gdelt2, icews or auto (default)"),
        OPT_STRING(0, "dedup", &dedup, "RULE", "none (default), daily or url"),
        OPT_STRING(0, "members", &members, "FILE",
                   "write each kept row's cluster, id and URL to FILE (with --dedup)"),
        OPT_INT('j', "jobs", &threads, "N", "scanning threads (default: all CPUs)"),
        OPT_BOOL(0, "strict", &strict, "exit 3 when any row was bad"),
        OPT_BOOL(0, "mpi", &mpi, "split the files over MPI ranks (under mpirun)"),
        EVCLI_READ_OPTS(&bufsize, &scanner, &io),
        OPT_END(),
    };
    static const char *files[EVCLI_MAX_FILES];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, files, EVCLI_MAX_FILES, 1, &n));
    if (r >= 0)
        return r;
    struct bilat_scan_opts so;
    memset(&so, 0, sizeof(so));
    if (evcli_common(&help, format, dedup, scanner, io, threads, bufsize, &so) < 0)
        return EXIT_USAGE;
    if (members && mpi) {
        opt_usage_error(&help, "--members cannot be used with --mpi");
        return EXIT_USAGE;
    }
    so.members = members != NULL;
    so.by = by ? by : "";
    so.where = where.v;
    so.nwhere = where.n;
    return evcli_scan(&help, &so, files, n, strict, mpi, members);
}
