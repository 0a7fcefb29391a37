/*
 * cmd_ingest.c: `bilat ingest KIND FILE...`: raw input files into the store. One row per kind
 * in the table below; each kind's command lives in its own file (ingest_<kind>() in cli.h).
 */
#include "cli/cli.h"

static const struct cli_cmd kinds[] = {
    {"gdelt", ingest_gdelt, "GDELT 1.0/2.0 event files into the event cube"},
    {"icews", ingest_icews, "ICEWS event files into the event cube"},
    {"unvotes", ingest_unvotes, "UN General Assembly roll calls, issue tags and votes (CSV, .gz)"},
    {"idealpoints", ingest_idealpoints, "Bailey-Strezhnev-Voeten ideal points (CSV)"},
    {"undl", ingest_undl, "UN Digital Library General Assembly votes and important votes (CSV)"},
    {"chinavitae", ingest_chinavitae, "Chinese leaders' engagements (ChinaVitae) as coded events"},
    {"ceias", ingest_ceias, "Chinese presidents' and premiers' visits abroad (CEIAS)"},
    {"aiddata-fd", ingest_aiddata_fd, "AidData's Chinese financial diplomacy projects"},
    {"ungdc", ingest_ungdc, "UN General Debate statements and their vocabulary terms"},
};

static const struct cli_kinds ingest = {
    "ingest", "kind", "which kind of file?",
    "usage: bilat ingest KIND [options] FILE...\n\n"
    "Read raw data files into the store. Kinds:\n",
    "\nSee 'bilat ingest KIND --help' for each kind's options.\n"
    "Exit status: 0 success, 1 runtime failure (I/O, SQL, bad data), 2 usage error,\n"
    "3 finished but rows were rejected (with --strict).\n",
    kinds, sizeof(kinds) / sizeof(kinds[0])};

int cmd_ingest(int argc, char **argv)
{
    return cli_kinds_run(&ingest, argc, argv);
}
