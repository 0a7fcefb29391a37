/*
 * cmd_network.c: `bilat network A B [--from Y] [--to Y] [--format text|csv|dot|json] [--edges]`.
 */
#include "cli/cli.h"

#include <string.h>

static const struct cmd_help help = {
    "network", "[--from YEAR] [--to YEAR] [--format text|csv|dot|json] [--edges] A B",
    "Print the elite network of actors A and B: who met whom, with centrality.",
    "Nodes are the persons, parties, governments and other organisations of the two sides\n"
    "that met or visited the other side; edges count their dated meetings and visits (curated\n"
    "and coded events) in the period. For each node: counterparts (degree), meetings and\n"
    "visits (strength) and betweenness centrality (igraph). The next-generation table lists\n"
    "persons who met the other side before they took a leading office.\n\n"
    "Formats: text (default; all tables), csv (the nodes, or the edges with --edges), dot\n"
    "(Graphviz: bilat network KHM CHN --format dot | dot -Tsvg >net.svg), json (sections).\n"};

int cmd_network(int argc, char **argv)
{
    long from = 0, to = 0;
    int edges = 0;
    const char *format = "text";
    const struct opt opts[] = {
        OPT_INT(0, "from", &from, "YEAR", "first year to include"),
        OPT_INT(0, "to", &to, "YEAR", "last year to include"),
        OPT_STRING('f', "format", &format, "FMT", "text, csv, dot or json"),
        OPT_BOOL(0, "edges", &edges, "with --format csv: the edge list instead of the nodes"),
        OPT_END(),
    };
    const char *args[2];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 2, 2, &n));
    if (r >= 0)
        return r;
    if (cli_period(&help, from, to) < 0)
        return EXIT_USAGE;
    static const char *const names[] = {"text", "json", "csv", "dot"};
    static const enum bilat_format formats[] = {BILAT_FORMAT_TEXT, BILAT_FORMAT_JSON,
                                                BILAT_FORMAT_CSV, BILAT_FORMAT_DOT};
    int f = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(format, names[i]) == 0)
            f = i;
    if (f < 0) {
        opt_usage_error(&help, "unknown format '%s' (text, csv, dot or json)", format);
        return EXIT_USAGE;
    }
    if (edges && formats[f] != BILAT_FORMAT_CSV) {
        opt_usage_error(&help, "--edges goes with --format csv");
        return EXIT_USAGE;
    }
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_network_opts o = {args[0], args[1], (int)from, (int)to, edges};
    struct bilat_err err = {0};
    char *out = NULL;
    int rc = bilat_network_render(db, &o, formats[f], &out, &err);
    bilat_db_close(db);
    return cli_output_take(rc, &err, out);
}
