/*
 * cmd_report.c: `bilat report A B -o FILE.html`.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_help help = {
    "report", "[--from YEAR] [--to YEAR] -o FILE.html A B",
    "Write the self-contained HTML report of actors A and B.",
    "The report is one HTML file with inline SVG charts drawn by bilat and no network access:\n"
    "events per year by channel, the indicator series, the timeline of curated events with\n"
    "each event's source, and the list of sources. It is written to a temporary file and\n"
    "renamed, so a failure never leaves half a report.\n"};

int cmd_report(int argc, char **argv)
{
    long from = 0, to = 0;
    const char *out = NULL;
    const struct opt opts[] = {
        OPT_STRING('o', "output", &out, "FILE", "write the report to FILE (required)"),
        OPT_INT(0, "from", &from, "YEAR", "first year to include"),
        OPT_INT(0, "to", &to, "YEAR", "last year to include"),
        OPT_END(),
    };
    const char *args[2];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 2, 2, &n));
    if (r >= 0)
        return r;
    if (!out || !*out) {
        opt_usage_error(&help, "no output file (-o FILE.html)");
        return EXIT_USAGE;
    }
    if (cli_year(&help, "from", from) < 0 || cli_year(&help, "to", to) < 0)
        return EXIT_USAGE;
    if (from && to && from > to) {
        opt_usage_error(&help, "--from %ld is after --to %ld", from, to);
        return EXIT_USAGE;
    }
    char command[512];
    snprintf(command, sizeof(command), "bilat report %s%s %s -o %s", args[0], "", args[1], out);
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_profile_opts po = {args[0], args[1], (int)from, (int)to, command};
    struct bilat_err err = {0};
    int rc = bilat_report_write(db, &po, out, &err);
    bilat_db_close(db);
    if (rc < 0)
        return rc == BILAT_EINVAL || rc == BILAT_ENOTFOUND ? (cli_fail(&err), EXIT_USAGE)
                                                           : cli_fail(&err);
    cli_info("wrote %s", out);
    return cli_finish(EXIT_OK);
}
