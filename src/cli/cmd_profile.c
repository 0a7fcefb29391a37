/*
 * cmd_profile.c: `bilat profile A B [--from Y] [--to Y] [--json]`.
 */
#include "cli/cli.h"

static const struct cmd_help help = {
    "profile", "[--from YEAR] [--to YEAR] [--json] A B",
    "Print the relationship profile of actors A and B.",
    "A and B are actor codes: a country (ISO3, e.g. KHM, CHN: every actor of that country) or\n"
    "any actor code of the store (KHMGOVPTYCPP, the Cambodian People's Party). The profile has\n"
    "one table per section (docs/PROFILE.md): events per year by channel and mode, aggregate\n"
    "figures, the timeline of curated events with their sources, and the indicators.\n"};

int cmd_profile(int argc, char **argv)
{
    long from = 0, to = 0;
    int json = 0;
    const struct opt opts[] = {
        OPT_INT(0, "from", &from, "YEAR", "first year to include"),
        OPT_INT(0, "to", &to, "YEAR", "last year to include"),
        OPT_BOOL(0, "json", &json, "print JSON instead of tables"),
        OPT_END(),
    };
    const char *args[2];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 2, 2, &n));
    if (r >= 0)
        return r;
    if (cli_period(&help, from, to) < 0)
        return EXIT_USAGE;
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_profile_opts po = {args[0], args[1], (int)from, (int)to, NULL};
    struct bilat_err err = {0};
    char *out = NULL;
    int rc = bilat_profile_render(db, &po, json ? BILAT_FORMAT_JSON : BILAT_FORMAT_TEXT, &out,
                                  &err);
    bilat_db_close(db);
    return cli_output_take(rc, &err, out);
}
