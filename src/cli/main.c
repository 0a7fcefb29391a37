/*
 * main.c: `bilat [--db FILE] [-q|-v] COMMAND ...`: global options, then dispatch through the
 * command table (git's cmd_struct). `bilat help CMD` is `bilat CMD --help`.
 */
#include "cli/cli.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

struct cli_globals cli = {"bilat.db", 0, 0};

static const struct cli_cmd commands[] = {
    {"load", cmd_load, "load curated dataset directories into the store"},
    {"sql", cmd_sql, "run an SQL query over the store, CSV on stdout"},
    {"profile", cmd_profile, "the relationship profile of two actors (tables or --json)"},
    {"report", cmd_report, "write the self-contained HTML report of two actors"},
    {"scan", cmd_scan, "aggregate GDELT/ICEWS event files straight to CSV (no store)"},
    {"ingest", cmd_ingest, "read raw files into the store (gdelt, icews, unvotes, idealpoints)"},
    {"update", cmd_update, "fetch the GDELT files the store lacks, check and ingest them"},
    {"coverage", cmd_coverage, "what the ingested event files cover, day by day, with gaps"},
    {"clusters", cmd_clusters, "the deduplicated clusters behind a figure, with their sources"},
    {"votes", cmd_votes, "UN vote alignment: series, splits, rankings, all pairs (CSV)"},
    {"leadlag", cmd_leadlag, "lagged correlation of two yearly series, with bootstrap intervals"},
    {"code", cmd_code, "code English news sentences into CAMEO events (TSV, JSON, store)"},
    {"claims", cmd_claims, "judge a brief's claims against the store, with evidence"},
    {"network", cmd_network, "the elite network of two actors (text, CSV, DOT or JSON)"},
    {"narratives", cmd_narratives, "concepts of two actors: principles shared and not"},
    {"compare", cmd_compare, "several partners of one side by side, on every dimension"},
    {"cite", cmd_cite, "BibTeX for bilat and the data sources"},
    {"serve", cmd_serve, "web pages and JSON API on 127.0.0.1"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: bilat [--db FILE] [-q|-v] COMMAND [options] [args]\n"
                 "       bilat help COMMAND | bilat COMMAND --help\n"
                 "       bilat --version\n\n"
                 "bilat measures relations between states and political parties over time:\n"
                 "curated records with sources, event data, UN votes and economic series in one\n"
                 "SQLite store, with measures, reports and a web server on top.\n\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nGlobal options:\n"
                 "  --db FILE    the store (default ./bilat.db)\n"
                 "  -q           quiet: no progress or summaries on stderr\n"
                 "  -v           verbose\n"
                 "  --version    print versions and exit\n\n"
                 "Exit status: 0 success, 1 runtime failure, 2 usage error, 3 rows rejected "
                 "under --strict.\n");
}

static const struct cli_cmd *find(const char *name)
{
    return cli_cmd_find(commands, sizeof(commands) / sizeof(commands[0]), name);
}

int main(int argc, char **argv)
{
    /* A write past a file-size limit must fail with EFBIG, not kill the process. */
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "bilat: error: option '--db' needs a value (FILE)\n");
                return EXIT_USAGE;
            }
            cli.db_path = argv[++i];
        } else if (strncmp(a, "--db=", 5) == 0) {
            cli.db_path = a + 5;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            cli.quiet = 1;
        } else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
            cli.verbose = 1;
        } else if (strcmp(a, "--version") == 0) {
            printf("bilat %s (libbilat %s, SQLite %s)\n", BILAT_VERSION, BILAT_VERSION,
                   sqlite3_libversion());
            return cli_finish(EXIT_OK);
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return cli_finish(EXIT_OK);
        } else {
            fprintf(stderr, "bilat: error: unknown option '%s'\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (!*cli.db_path) {
        fprintf(stderr, "bilat: error: --db needs a file name\n");
        return EXIT_USAGE;
    }
    if (i >= argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[i], "help") == 0) {
        if (i + 1 >= argc) {
            usage(stdout);
            return cli_finish(EXIT_OK);
        }
        const struct cli_cmd *c = find(argv[i + 1]);
        if (!c) {
            fprintf(stderr, "bilat: error: unknown command '%s' (see 'bilat --help')\n",
                    argv[i + 1]);
            return EXIT_USAGE;
        }
        char *hargv[] = {argv[i + 1], (char *)"--help", NULL};
        return c->fn(2, hargv);
    }
    const struct cli_cmd *c = find(argv[i]);
    if (!c) {
        fprintf(stderr, "bilat: error: unknown command '%s' (see 'bilat --help')\n", argv[i]);
        return EXIT_USAGE;
    }
    return c->fn(argc - i, argv + i);
}
