/*
 * cmd_clusters.c: `bilat clusters A B --month YYYY-MM [--quad N] ...`: the drill-down from a
 * figure of the event cube to the deduplicated clusters behind it, with their rows' event ids
 * and source URLs, read again from the files the store recorded (bilat_clusters_find()).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_help help = {
    "clusters", "[options] A B",
    "The deduplicated clusters behind a figure of the event cube, with their rows' sources.",
    "A and B are actor countries as the event files code them (KHM, CHN), either direction.\n"
    "The period is --month, --day, --year or --from/--to (event dates; YYYY-MM-DD, or YYYY-MM\n"
    "and YYYY for their first or last day); --quad and --root narrow it as the profile's\n"
    "tables do. The cube keeps counts, not rows: the files it was made from are read again,\n"
    "those whose cube rows hold the selection. Each must still be at its recorded path with\n"
    "its recorded size and SHA-256; a moved or changed file is named on stderr and skipped\n"
    "(the exit status is then 1). Each file is scanned with the dedup rule it was ingested\n"
    "with (--dedup chooses another), so the rows found equal the cube's events and the\n"
    "clusters its deduplicated events; stderr says how many files were read and skipped and\n"
    "gives the cube's figures next to what was found.\n\n"
    "CSV (default): one row per cluster: cluster (its fingerprint), file_id, file, date,\n"
    "actor1, actor2 (actor codes; ICEWS names), actor1_country, actor2_country, actor1_type,\n"
    "actor2_type, event_code, quad, goldstein (the rows' mean), rows, event_ids (every row's,\n"
    "space-separated, in line order), urls (the distinct source URLs, ICEWS story ids,\n"
    "space-separated). --format json nests the rows under each cluster, with the files read\n"
    "and skipped and the totals. See docs/EVENTS.md.\n\n"
    "Example: bilat clusters KHM CHN --month 2018-01 --quad 1\n"};

/* The one period the options give, as from/to; -1 after a usage error. */
static int period(const char *month, const char *day, const char *year, const char **from,
                  const char **to)
{
    int n = (month != NULL) + (day != NULL) + (year != NULL) + (*from || *to);
    if (n > 1) {
        opt_usage_error(&help, "give one period: --month, --day, --year or --from/--to");
        return -1;
    }
    const char *one = month ? month : day ? day : year;
    const size_t want = month ? 7 : day ? 10 : 4;
    if (one) {
        if (strlen(one) != want) {
            opt_usage_error(&help, "option '--%s' expects %s, got '%s'",
                            month ? "month" : day ? "day" : "year",
                            month ? "YYYY-MM" : day ? "YYYY-MM-DD" : "YYYY", one);
            return -1;
        }
        *from = *to = one;
    }
    return 0;
}

int cmd_clusters(int argc, char **argv)
{
    struct cli_run run = {.min_args = 2, .max_args = 2};
    const char *month = NULL, *day = NULL, *year = NULL, *root = NULL, *origin = NULL;
    const char *dedup = NULL, *format = "csv";
    struct bilat_clusters_opts co;
    memset(&co, 0, sizeof(co));
    long quad = 0, threads = 0;
    const struct opt opts[] = {
        OPT_STRING(0, "month", &month, "YYYY-MM", "events of this month"),
        OPT_STRING(0, "day", &day, "YYYY-MM-DD", "events of this day"),
        OPT_STRING(0, "year", &year, "YYYY", "events of this year"),
        OPT_STRING(0, "from", &co.from, "DATE", "first event day (YYYY-MM-DD, YYYY-MM, YYYY)"),
        OPT_STRING(0, "to", &co.to, "DATE", "last event day"),
        OPT_INT(0, "quad", &quad, "N", "quad class 1 to 4 (default all)"),
        OPT_STRING(0, "root", &root, "NN", "CAMEO root code, two digits (default all)"),
        OPT_STRING(0, "origin", &origin, "KIND", "gdelt or icews (default both)"),
        OPT_STRING(0, "dedup", &dedup, "RULE",
                   "daily, url or none (default: the rule each file was ingested with)"),
        OPT_STRING(0, "format", &format, "FMT", "csv (default) or json"),
        OPT_INT('j', "jobs", &threads, "N", "scanning threads (default: all CPUs)"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    static const char *const formats[] = {"csv", "json", NULL};
    int json = cli_choice(&help, "format", format, formats);
    if (json < 0)
        return EXIT_USAGE;
    if (quad < 0 || quad > 4) {
        opt_usage_error(&help, "option '--quad' expects 1 to 4, got %ld", quad);
        return EXIT_USAGE;
    }
    if (threads < 0 || threads > 64) {
        opt_usage_error(&help, "option '--jobs' expects 1 to 64, got %ld", threads);
        return EXIT_USAGE;
    }
    if (period(month, day, year, &co.from, &co.to) < 0)
        return EXIT_USAGE;
    co.a = run.args[0];
    co.b = run.args[1];
    co.quad = (int)quad;
    co.root = root;
    co.origin = origin;
    co.dedup = dedup;
    co.threads = (int)threads;
    co.diag.fn = cli_diag;
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    bilat_clusters *c = NULL;
    int rc = bilat_clusters_find(run.db, &co, &c, &run.err);
    bilat_db_close(run.db);
    if (rc < 0)
        return cli_fail_code(rc, &run.err);
    if (json) {
        char *out = NULL;
        rc = bilat_clusters_render(c, BILAT_FORMAT_JSON, &out, &run.err);
        if (rc == 0)
            fputs(out, stdout);
        bilat_free(out);
    } else {
        rc = bilat_clusters_write(c, BILAT_FORMAT_CSV, stdout, &run.err);
    }
    struct bilat_clusters_summary s;
    bilat_clusters_summarize(c, &s);
    bilat_clusters_free(c);
    if (rc < 0)
        return cli_finish(cli_fail(&run.err));
    cli_info("%llu file%s read, %llu skipped; %llu rows in %llu clusters (the cube: %lld "
             "events, %lld deduplicated)",
             (unsigned long long)s.read, s.read == 1 ? "" : "s", (unsigned long long)s.skipped,
             (unsigned long long)s.rows, (unsigned long long)s.clusters,
             (long long)s.cube_events, (long long)s.cube_dedup);
    return cli_finish(s.skipped ? EXIT_FAIL : EXIT_OK);
}
