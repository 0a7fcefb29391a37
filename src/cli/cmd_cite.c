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
    const struct opt opts[] = {OPT_END()};
    const char *args[2] = {NULL, NULL};
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 2, 0, &n));
    if (r >= 0)
        return r;
    if (n == 1) {
        opt_usage_error(&help, "give both actors of the dyad, or none");
        return EXIT_USAGE;
    }
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_err err = {0};
    char *out = NULL;
    int rc = bilat_cite_render(db, args[0], args[1], BILAT_FORMAT_BIBTEX, &out, &err);
    bilat_db_close(db);
    return cli_output_take(rc, &err, out);
}
