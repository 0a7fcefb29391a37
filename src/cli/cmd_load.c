/*
 * cmd_load.c: `bilat load [--external DIR] DIR...`.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_help help = {
    "load", "[--external DIR] [--move-from DATASET] DIR...",
    "Load curated dataset directories into the store, all in one transaction.",
    "Each DIR holds tab-separated files (sources.tsv, actors.tsv, events.tsv, indicators.tsv,\n"
    "...; see docs/DATA-FORMAT.md). Every bad row is reported as 'file:line: reason'; if any\n"
    "row is bad nothing is loaded and the store is left as it was. Loading a directory again\n"
    "updates its records and removes the ones deleted from its files, so repeated loads never\n"
    "duplicate data. The store is created if missing.\n\n"
    "A dataset is named after its directory and owns the records it loads: a record whose key\n"
    "belongs to another dataset (a copied directory, a reused ref) is a bad row naming both,\n"
    "and a load never removes another dataset's records. --move-from DATASET lets the records\n"
    "of DATASET move to the dataset being loaded.\n\n"
    "The shipped data: bilat load data/reference data/series data/khm-chn\n\n"
    "series.tsv lists raw files read by a built-in importer, one of: aiddata-pd, gcdf3-cow,\n"
    "wdi-fdi, ti-cpi-wide, chn-trade, hrt-debt, ti-cpi-2023. Files whose terms do not allow\n"
    "shipping them are listed as 'external:PATH' and read from --external DIR when given.\n"};

int cmd_load(int argc, char **argv)
{
    struct cli_run run = {.min_args = 1, .max_args = CLI_MAX_ARGS, .open = BILAT_OPEN_CREATE};
    const char *external = NULL, *move = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "external", &external, "DIR",
                   "read 'external:' series files from DIR (files not shipped)"),
        OPT_STRING(0, "move-from", &move, "DATASET",
                   "let the loaded records take over those of DATASET"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    struct bilat_load_opts lo = {external, {cli_diag, NULL}, move};
    struct bilat_load_stats st;
    size_t n = run.nargs;
    int rc = bilat_load_dirs(run.db, run.args, n, &lo, &st, &run.err);
    if (cli_end_write(&run, rc))
        return EXIT_FAIL;
    cli_info("loaded %zu dataset%s into %s: %llu sources, %llu actors, %llu aliases, "
             "%llu affiliations, %llu events, %llu indicators, %llu UN roll calls, "
             "%llu UN votes, %llu reference rows; %llu removed, %llu skipped",
             n, n == 1 ? "" : "s", cli.db_path, (unsigned long long)st.sources,
             (unsigned long long)st.actors, (unsigned long long)st.aliases,
             (unsigned long long)st.affiliations, (unsigned long long)st.events,
             (unsigned long long)st.indicators, (unsigned long long)st.un_calls,
             (unsigned long long)st.un_votes,
             (unsigned long long)(st.cameo_codes + st.countries + st.country_aliases + st.blocs +
                                  st.vocabulary),
             (unsigned long long)st.pruned, (unsigned long long)st.skipped);
    if (st.moved)
        cli_info("%llu record%s moved from dataset '%s'", (unsigned long long)st.moved,
                 st.moved == 1 ? "" : "s", move);
    if (st.concepts + st.principles + st.adoptions + st.claims)
        cli_info("also %llu concepts (%llu principles, %llu adoptions) and %llu claims",
                 (unsigned long long)st.concepts, (unsigned long long)st.principles,
                 (unsigned long long)st.adoptions, (unsigned long long)st.claims);
    return cli_finish(EXIT_OK);
}
