/*
 * cmd_compare.c: `bilat compare A1,A2,... B [--from Y] [--to Y] [--json|--csv]`.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct cmd_help help = {
    "compare", "[--from YEAR] [--to YEAR] [--json|--csv] [--dimension D] A1,A2,... B",
    "Several partners of B side by side, on every dimension the store holds.",
    "A1,A2,... are the sides (ISO3 codes or actor codes, up to 40; a bloc name such as ASEAN\n"
    "stands for its members), B the partner (e.g. CHN). One table per dimension, each side with\n"
    "its value, the value's 95 % interval where the measure has one (a bootstrap over roll\n"
    "calls for the UN vote measures), its N, the years it covers, its sources and the command\n"
    "that lists the records behind it, ranked (1 = the largest value). Dimensions:\n"
    "  agreement           UN General Assembly agreement (agree), with its interval\n"
    "  ideal_distance      distance of UN ideal points (smaller is closer)\n"
    "  important_splits    share of important UN votes on which the two split\n"
    "  leader_engagements  engagements with B's leaders (ChinaVitae)\n"
    "  leader_visits       visits of B's president or premier (CEIAS)\n"
    "  elite_visits        government and military visits (AidData public diplomacy)\n"
    "  official_finance    official finance committed by B (AidData GCDF 3.0)\n"
    "  diplomacy_finance   financial public diplomacy projects (AidData)\n"
    "  debt_to_partner     debt owed to B, % of GDP (Horn, Reinhart and Trebesch)\n"
    "  trade               goods trade with B\n"
    "  speech_overlap      shared vocabulary in UN General Debate speeches\n"
    "  party_records       curated party-channel records\n"
    "No composite index is made: each dimension stands on its own, with its sources. The\n"
    "default period is 2000 to this year; each table says the years its values cover.\n\n"
    "Example:\n"
    "  bilat compare KHM,LAO,VNM,THA,MYS,IDN,PHL,SGP,MMR,BRN CHN --from 2000\n"};

/* Split "KHM,LAO,ASEAN" in place into at most `max` codes; -1 when an item is empty. */
static int split_sides(char *list, const char **out, size_t max, size_t *n)
{
    *n = 0;
    for (char *p = list; p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!*p || *n == max)
            return -1;
        out[(*n)++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    int json = 0, csv = 0;
    long from = 2000, to = 0;
    const char *dimension = NULL;
    const struct opt opts[] = {
        OPT_INT(0, "from", &from, "YEAR", "first year (default 2000)"),
        OPT_INT(0, "to", &to, "YEAR", "last year (default: this year)"),
        OPT_BOOL(0, "json", &json, "print the sections document as JSON"),
        OPT_BOOL(0, "csv", &csv, "print one long CSV table"),
        OPT_STRING(0, "dimension", &dimension, "D", "only this dimension"),
        OPT_END(),
    };
    const char *args[2];
    size_t nargs;
    int r = cli_parsed(opt_parse(argc, argv, opts, &help, args, 2, 2, &nargs));
    if (r >= 0)
        return r;
    if (json && csv) {
        opt_usage_error(&help, "--json and --csv exclude each other");
        return EXIT_USAGE;
    }
    if (!to) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        to = tm.tm_year + 1900;
    }
    if (cli_period(&help, from, to) < 0)
        return EXIT_USAGE;
    char list[1024];
    const char *sides[40];
    size_t na = 0;
    if (strlen(args[0]) >= sizeof(list) ||
        (snprintf(list, sizeof(list), "%s", args[0]), split_sides(list, sides, 40, &na)) < 0) {
        opt_usage_error(&help, "the sides are 1 to 40 codes separated by commas (e.g. "
                               "KHM,LAO,VNM)");
        return EXIT_USAGE;
    }
    bilat_db *db = NULL;
    if (cli_open_db(BILAT_OPEN_READONLY, &db))
        return EXIT_FAIL;
    struct bilat_compare_opts o = {
        .a = sides, .na = na, .b = args[1], .from = (int)from, .to = (int)to,
        .dimension = dimension};
    struct bilat_err err = {0};
    char *out = NULL;
    int rc = bilat_compare_render(db, &o,
                                  json  ? BILAT_FORMAT_JSON
                                  : csv ? BILAT_FORMAT_CSV
                                        : BILAT_FORMAT_TEXT,
                                  &out, &err);
    bilat_db_close(db);
    return cli_output_take(rc, &err, out);
}
