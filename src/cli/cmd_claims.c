/*
 * cmd_claims.c: `bilat claims [FILE] [--json] [--evidence] [--id ID] [--dyad A,B]`.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct cmd_help help = {
    "claims", "[--json] [--evidence] [--id ID] [--dyad A,B] [--as A,B] [--peers P] [FILE]",
    "Judge the claims of a brief against the store, on what the evidence can bear.",
    "Each claim is a check over the store (one SQL statement or a named measure) with the\n"
    "expectation its result must meet (> 60, between 0.95 and 1.05, rising, top 1 CHN,\n"
    "above_peers, ...; docs/CLAIMS.md). Without FILE the claims loaded into the store are\n"
    "judged (bilat load reads claims.tsv); with FILE the claims of that file are. Verdicts:\n"
    "  supported      independent evidence meets the claim with its uncertainty (an interval's\n"
    "                 bound past the threshold, a trend significant with Newey-West errors, a\n"
    "                 value above the peers' median with its interval)\n"
    "  restates       every evidence row comes from the claim's own source: it is not tested\n"
    "  not shown      independent evidence that does not establish the claim\n"
    "  contradicted   the evidence establishes the opposite\n"
    "  not checkable  the store lacks what the check needs (the reason is given)\n"
    "Each claim also says whether the brief states it or it is our reading of the brief\n"
    "(inferred). Claims are templates over the dyad: --as LAO,CHN judges the same claims for\n"
    "Laos and China; --peers sets the comparison group (a bloc such as ASEAN, or ISO3 codes;\n"
    "default: the ASEAN members other than the dyad's sides).\n\n"
    "A check that fails to run (bad SQL, a missing table) is reported as an error with the\n"
    "claim's id and makes the command exit 1; it is never skipped.\n"};

/* "A,B" into two upper-case codes of at most len - 1 bytes; -1 when malformed. */
static int split_pair(const char *s, char *a, char *b, size_t len)
{
    const char *comma = strchr(s, ',');
    if (!comma || comma == s || !comma[1] || (size_t)(comma - s) >= len ||
        strlen(comma + 1) >= len || strchr(comma + 1, ','))
        return -1;
    snprintf(a, len, "%.*s", (int)(comma - s), s);
    snprintf(b, len, "%s", comma + 1);
    for (char *p = a; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    for (char *p = b; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return 0;
}

int cmd_claims(int argc, char **argv)
{
    struct cli_run run = {.min_args = 0, .max_args = 1};
    int json = 0, evidence = 0;
    const char *id = NULL, *dyad = NULL, *as = NULL, *peers = NULL;
    const struct opt opts[] = {
        OPT_BOOL(0, "json", &json, "print JSON (verdicts, evidence rows, sources)"),
        OPT_BOOL('e', "evidence", &evidence, "print each claim's check and evidence rows"),
        OPT_STRING(0, "id", &id, "ID", "only this claim and its parts"),
        OPT_STRING(0, "dyad", &dyad, "A,B", "only claims about this dyad (e.g. KHM,CHN)"),
        OPT_STRING(0, "as", &as, "A,B", "judge the claims for this dyad instead (e.g. LAO,CHN)"),
        OPT_STRING(0, "peers", &peers, "P",
                   "peers of comparative claims: a bloc or ISO3 codes (default ASEAN)"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    char a[32] = "", b[32] = "", xa[32] = "", xb[32] = "";
    if (dyad && split_pair(dyad, a, b, sizeof(a)) < 0) {
        opt_usage_error(&help, "--dyad expects two actor codes: A,B (e.g. KHM,CHN)");
        return EXIT_USAGE;
    }
    if (as && split_pair(as, xa, xb, sizeof(xa)) < 0) {
        opt_usage_error(&help, "--as expects two actor codes: A,B (e.g. LAO,CHN)");
        return EXIT_USAGE;
    }
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct bilat_claims_opts o = {.file = run.args[0],
                                  .a = dyad ? a : NULL,
                                  .b = dyad ? b : NULL,
                                  .id = id,
                                  .evidence = evidence,
                                  .diag = {cli_diag, NULL},
                                  .as_a = as ? xa : NULL,
                                  .as_b = as ? xb : NULL,
                                  .peers = peers};
    struct bilat_claims_summary sum = {0};
    char *out = NULL;
    int rc = bilat_claims_render(run.db, &o, json ? BILAT_FORMAT_JSON : BILAT_FORMAT_TEXT, &out,
                                 &sum, &run.err);
    bilat_db_close(run.db);
    if (rc < 0)
        return cli_fail_code(rc, &run.err);
    fputs(out, stdout);
    bilat_free(out);
    if (sum.errors)
        cli_error("%zu claim%s could not be checked (see the errors above)", sum.errors,
                  sum.errors == 1 ? "" : "s");
    else
        cli_info("%zu claims: %zu supported, %zu restates, %zu not shown, %zu contradicted, %zu "
                 "not checkable",
                 sum.claims, sum.supported, sum.restates, sum.not_shown, sum.contradicted,
                 sum.not_checkable);
    return cli_finish(sum.errors ? EXIT_FAIL : EXIT_OK);
}
