/*
 * cmd_ingest.c: `bilat ingest KIND FILE...`: dispatch on the kind of raw file through a table,
 * one row per kind; each kind's function lives in its own file (ingest_<kind>.c).
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
};

static void usage(FILE *out)
{
    fprintf(out, "usage: bilat ingest KIND [options] FILE...\n\n"
                 "Read raw files of one kind into the store. Kinds:\n");
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        fprintf(out, "  %-12s %s\n", kinds[i].name, kinds[i].summary);
    fprintf(out, "\n'bilat ingest KIND --help' describes each.\n"
                 "Exit status: 0 success, 1 runtime failure, 2 usage error, 3 rows rejected "
                 "under --strict.\n");
}

int cmd_ingest(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "bilat ingest: error: missing the kind of file\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return cli_finish(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].name, argv[1]) == 0)
            return kinds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "bilat ingest: error: unknown kind '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
