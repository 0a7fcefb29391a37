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
    int tsv = 0, write = 0;
    const struct opt opts[] = {
        OPT_BOOL(0, "tsv", &tsv, "tab-separated output instead of CSV"),
        OPT_BOOL(0, "write", &write, "open the store for writing (UPDATE, DELETE, ...)"),
        OPT_END(),
    };
    const char *args[1];
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 1, 1, &n));
    if (r >= 0)
        return r;
    bilat_db *db = NULL;
    if (cli_open_db(write ? 0 : BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct cli_rows o = {tsv};
    struct bilat_err err = {0};
    int rc = bilat_sql_each(db, args[0], cli_print_row, &o, &err);
    if (rc == 0 && write)
        cli_summaries(db, 1); /* SQL written by hand may have changed anything */
    bilat_db_close(db);
    if (rc > 0)
        return cli_finish(EXIT_FAIL); /* stdout failed; cli_finish says why */
    if (rc < 0) {
        fflush(stdout);
        return cli_fail(&err);
    }
    return cli_finish(EXIT_OK);
}
