/*
 * cmd_narratives.c: `bilat narratives A B [--json]`.
 */
#include "cli/cli.h"

static const struct cmd_help help = {
    "narratives", "[--json] A B",
    "Compare the concepts of actors A and B: principles shared and not shared.",
    "Concepts (doctrines, initiatives) are curated records with their owner, date, listed\n"
    "principles and endorsements (concepts.tsv, concept_principles.tsv,\n"
    "concept_adoptions.tsv). For every pair of a concept of side A and one of side B, bilat\n"
    "gives the Jaccard index of their principle sets, the principles they share and those\n"
    "only one of them lists; a last table lists each principle with the concepts of each side\n"
    "that state it.\n"};

int cmd_narratives(int argc, char **argv)
{
    int json = 0;
    const struct opt opts[] = {
        OPT_BOOL(0, "json", &json, "print JSON instead of tables"),
        OPT_END(),
    };
    const char *args[2];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 2, 2, &n));
    if (r >= 0)
        return r;
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_profile_opts o = {args[0], args[1], 0, 0, NULL};
    struct bilat_err err = {0};
    char *out = NULL;
    int rc = bilat_narratives_render(db, &o, json ? BILAT_FORMAT_JSON : BILAT_FORMAT_TEXT, &out,
                                     &err);
    bilat_db_close(db);
    return cli_output_take(rc, &err, out);
}
