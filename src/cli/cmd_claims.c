/*
 * cmd_claims.c: `bilat claims [FILE] [--json] [--evidence] [--id ID] [--dyad A,B]`.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct cmd_help help = {
    "claims", "[--json] [--evidence] [--id ID] [--dyad A,B] [FILE]",
    "Judge the claims of a brief against the store: supported, contradicted or not checkable.",
    "Each claim is a check over the store (one SQL statement or a named measure) with the\n"
    "expectation its result must meet (> 60, between 0.95 and 1.05, rising, top 1 CHN, ...;\n"
    "docs/CLAIMS.md). Without FILE the claims loaded into the store are judged (bilat load\n"
    "reads claims.tsv); with FILE the claims of that file are. For every claim bilat prints the\n"
    "verdict, the measured value, how the verdict follows, the source of the claim and the\n"
    "sources of its evidence, and says when the evidence comes only from the claim's own\n"
    "source (the check then restates the source rather than testing it).\n\n"
    "A check that fails to run (bad SQL, a missing table) is reported as an error with the\n"
    "claim's id and makes the command exit 1; it is never skipped.\n"};

int cmd_claims(int argc, char **argv)
{
    int json = 0, evidence = 0;
    const char *id = NULL, *dyad = NULL;
    const struct opt opts[] = {
        OPT_BOOL(0, "json", &json, "print JSON (verdicts, evidence rows, sources)"),
        OPT_BOOL('e', "evidence", &evidence, "print each claim's check and evidence rows"),
        OPT_STRING(0, "id", &id, "ID", "only this claim and its parts"),
        OPT_STRING(0, "dyad", &dyad, "A,B", "only claims about this dyad (e.g. KHM,CHN)"),
        OPT_END(),
    };
    const char *args[1] = {NULL};
    size_t n;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 1, 0, &n));
    if (r >= 0)
        return r;
    char a[32] = "", b[32] = "";
    if (dyad) {
        const char *comma = strchr(dyad, ',');
        if (!comma || comma == dyad || !comma[1] || (size_t)(comma - dyad) >= sizeof(a) ||
            strlen(comma + 1) >= sizeof(b)) {
            opt_usage_error(&help, "--dyad expects two actor codes: A,B (e.g. KHM,CHN)");
            return EXIT_USAGE;
        }
        snprintf(a, sizeof(a), "%.*s", (int)(comma - dyad), dyad);
        snprintf(b, sizeof(b), "%s", comma + 1);
    }
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_claims_opts o = {args[0], dyad ? a : NULL, dyad ? b : NULL, id, evidence,
                                  {cli_diag, NULL}};
    struct bilat_claims_summary sum = {0};
    struct bilat_err err = {0};
    char *out = NULL;
    int rc = json ? bilat_claims_json(db, &o, &out, &sum, &err)
                  : bilat_claims_text(db, &o, &out, &sum, &err);
    bilat_db_close(db);
    if (rc < 0)
        return cli_fail_code(rc, &err);
    fputs(out, stdout);
    bilat_free(out);
    if (sum.errors)
        cli_error("%zu claim%s could not be checked (see the errors above)", sum.errors,
                  sum.errors == 1 ? "" : "s");
    else
        cli_info("%zu claims: %zu supported, %zu contradicted, %zu not checkable", sum.claims,
                 sum.supported, sum.contradicted, sum.not_checkable);
    return cli_finish(sum.errors ? EXIT_FAIL : EXIT_OK);
}
