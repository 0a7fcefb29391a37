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
    struct cli_run run = {.min_args = 2, .max_args = 2, .open = BILAT_OPEN_READONLY};
    int json = 0;
    const struct opt opts[] = {CLI_OPT_JSON(&json), OPT_END()};
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    struct bilat_profile_opts o = {.a = run.args[0], .b = run.args[1]};
    char *out = NULL;
    int rc = bilat_narratives_render(run.db, &o, json ? BILAT_FORMAT_JSON : BILAT_FORMAT_TEXT, &out,
                                     &run.err);
    return cli_end(&run, rc, out);
}
