/*
 * cmd_profile.c: `bilat profile A B [--from Y] [--to Y] [--json] [-j N]`.
 */
#include "cli/cli.h"

static const struct cmd_help help = {
    "profile", "[--from YEAR] [--to YEAR] [--json] [-j N] A B",
    "Print the relationship profile of actors A and B.",
    "A and B are actor codes: a country (ISO3, e.g. KHM, CHN: every actor of that country) or\n"
    "any actor code of the store (KHMGOVPTYCPP, the Cambodian People's Party). The profile has\n"
    "one table per section (docs/PROFILE.md): events per year by channel and mode, aggregate\n"
    "figures, the timeline of curated events with their sources, and the indicators.\n"
    "\n"
    "Two connections to the store build the profile at once, each half of its sections, on\n"
    "two threads (-j 1: one). The document is the same either way.\n"};

int cmd_profile(int argc, char **argv)
{
    struct cli_run run = {.min_args = 2, .max_args = 2, .open = BILAT_OPEN_READONLY, .jobs = 2};
    int json = 0;
    const struct opt opts[] = {CLI_OPT_PERIOD(&run), CLI_OPT_JSON(&json), CLI_OPT_JOBS(&run),
                               OPT_END()};
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    struct bilat_profile_opts po = {.a = run.args[0], .b = run.args[1], .from = (int)run.from,
                                    .to = (int)run.to, .jobs = (int)(run.jobs > 2 ? 2 : run.jobs)};
    char *out = NULL;
    int rc = bilat_profile_render(run.db, &po, json ? BILAT_FORMAT_JSON : BILAT_FORMAT_TEXT, &out,
                                  &run.err);
    return cli_end(&run, rc, out);
}
