/*
 * cmd_sql.c: `bilat sql "SELECT ..."`: any query, CSV (RFC 4180) with a header on stdout.
 * SQL NULL prints as an empty field and the empty string as "", so missing stays distinct.
 */
#include "cli/cli.h"

#include <stdio.h>

static const struct cmd_help help = {
    "sql", "[--tsv] [--write] QUERY",
    "Run one SQL statement over the store and print the result as CSV with a header.",
    "The store is opened read-only unless --write is given. NULL (missing) prints as an empty\n"
    "field, the empty string as \"\". The tables are described in docs/STORE.md; for example:\n"
    "  bilat sql \"SELECT date_from, note FROM event WHERE channel = 'party'\"\n"};

int cmd_sql(int argc, char **argv)
{
    struct cli_run run = {.min_args = 1, .max_args = 1};
    int tsv = 0, write = 0;
    const struct opt opts[] = {
        OPT_BOOL(0, "tsv", &tsv, "tab-separated output instead of CSV"),
        OPT_BOOL(0, "write", &write, "open the store for writing (UPDATE, DELETE, ...)"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    if (cli_open(&run, write ? 0 : BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct cli_rows o = {tsv};
    int rc = bilat_sql_each(run.db, run.args[0], cli_print_row, &o, &run.err);
    if (rc == 0 && write)
        cli_summaries(run.db, 1); /* SQL written by hand may have changed anything */
    bilat_db_close(run.db);
    if (rc > 0)
        return cli_finish(EXIT_FAIL); /* stdout failed; cli_finish says why */
    if (rc < 0) {
        fflush(stdout);
        return cli_fail(&run.err); /* any statement that fails, even a malformed one: exit 1 */
    }
    return cli_finish(EXIT_OK);
}
