/*
 * cmd_cite.c: `bilat cite [A B]`.
 */
#include "cli/cli.h"

static const struct cmd_help help = {
    "cite", "[A B]",
    "Print BibTeX entries for bilat and for the data sources.",
    "Without arguments: bilat and every source in the store. With a dyad A B: bilat and the\n"
    "sources that the profile and report of that dyad cite.\n"};

int cmd_cite(int argc, char **argv)
{
    struct cli_run run = {.min_args = 0, .max_args = 2};
    const struct opt opts[] = {OPT_END()};
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    if (run.nargs == 1) {
        opt_usage_error(&help, "give both actors of the dyad, or none");
        return EXIT_USAGE;
    }
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    char *out = NULL;
    int rc =
        bilat_cite_render(run.db, run.args[0], run.args[1], BILAT_FORMAT_BIBTEX, &out, &run.err);
    return cli_end(&run, rc, out);
}
