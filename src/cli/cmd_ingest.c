/*
 * cmd_ingest.c: `bilat ingest KIND FILE...`: raw input files into the store. One row per kind
 * in the table below; each kind's command lives in its own file (ingest_<kind>() in cli.h).
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

struct ingest_kind {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct ingest_kind kinds[] = {
    {"gdelt", ingest_gdelt, "GDELT 1.0/2.0 event files into the event cube"},
    {"icews", ingest_icews, "ICEWS event files into the event cube"},
    {"unvotes", ingest_unvotes, "UN General Assembly roll calls, issue tags and votes (CSV, .gz)"},
    {"idealpoints", ingest_idealpoints, "Bailey-Strezhnev-Voeten ideal points (CSV)"},
    {"undl", ingest_undl, "UN Digital Library General Assembly votes and important votes (CSV)"},
    {"chinavitae", ingest_chinavitae, "Chinese leaders' engagements (ChinaVitae) as coded events"},
    {"ceias", ingest_ceias, "Chinese presidents' and premiers' visits abroad (CEIAS)"},
    {"aiddata-fd", ingest_aiddata_fd, "AidData's Chinese financial diplomacy projects"},
    {"ungdc", ingest_ungdc, "UN General Debate statements and their vocabulary terms"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: bilat ingest KIND [options] FILE...\n\n"
                 "Read raw data files into the store. Kinds:\n");
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        fprintf(out, "  %-12s %s\n", kinds[i].name, kinds[i].summary);
    fprintf(out, "\nSee 'bilat ingest KIND --help' for each kind's options.\n"
                 "Exit status: 0 success, 1 runtime failure (I/O, SQL, bad data), 2 usage error,\n"
                 "3 finished but rows were rejected (with --strict).\n");
}

int cmd_ingest(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "bilat ingest: error: which kind of file? (see 'bilat ingest --help')\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return cli_finish(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(argv[1], kinds[i].name) == 0)
            return kinds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "bilat ingest: error: unknown kind '%s' (see 'bilat ingest --help')\n",
            argv[1]);
    return EXIT_USAGE;
}
