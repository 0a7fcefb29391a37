/*
 * cmd_network.c: `bilat network A B [--from Y] [--to Y] [--format text|csv|dot|json] [--edges]`.
 */
#include "cli/cli.h"

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
    struct cli_run run = {.min_args = 2, .max_args = 2};
    int edges = 0;
    const char *format = "text";
    const struct opt opts[] = {
        CLI_OPT_PERIOD(&run),
        OPT_STRING('f', "format", &format, "FMT", "text, csv, dot or json"),
        OPT_BOOL(0, "edges", &edges, "with --format csv: the edge list instead of the nodes"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    static const char *const names[] = {"text", "csv", "dot", "json", NULL};
    static const enum bilat_format formats[] = {BILAT_FORMAT_TEXT, BILAT_FORMAT_CSV,
                                                BILAT_FORMAT_DOT, BILAT_FORMAT_JSON};
    int f = cli_choice(&help, "format", format, names);
    if (f < 0)
        return EXIT_USAGE;
    if (edges && formats[f] != BILAT_FORMAT_CSV) {
        opt_usage_error(&help, "--edges goes with --format csv");
        return EXIT_USAGE;
    }
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct bilat_network_opts o = {run.args[0], run.args[1], (int)run.from, (int)run.to, edges};
    char *out = NULL;
    int rc = bilat_network_render(run.db, &o, formats[f], &out, &run.err);
    return cli_end(&run, rc, out);
}
