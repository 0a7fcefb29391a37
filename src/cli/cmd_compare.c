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
    struct cli_run run = {.min_args = 2, .max_args = 2};
    int json = 0, csv = 0;
    long from = 2000, to = 0; /* not CLI_OPT_PERIOD: a default period, checked once complete */
    const char *dimension = NULL;
    const struct opt opts[] = {
        OPT_INT(0, "from", &from, "YEAR", "first year (default 2000)"),
        OPT_INT(0, "to", &to, "YEAR", "last year (default: this year)"),
        OPT_BOOL(0, "json", &json, "print the sections document as JSON"),
        OPT_BOOL(0, "csv", &csv, "print one long CSV table"),
        OPT_STRING(0, "dimension", &dimension, "D", "only this dimension"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
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
    if (strlen(run.args[0]) >= sizeof(list) ||
        (snprintf(list, sizeof(list), "%s", run.args[0]), split_sides(list, sides, 40, &na)) < 0) {
        opt_usage_error(&help, "the sides are 1 to 40 codes separated by commas (e.g. "
                               "KHM,LAO,VNM)");
        return EXIT_USAGE;
    }
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct bilat_compare_opts o = {.a = sides,
                                   .na = na,
                                   .b = run.args[1],
                                   .from = (int)from,
                                   .to = (int)to,
                                   .dimension = dimension};
    char *out = NULL;
    int rc = bilat_compare_render(run.db, &o,
                                  json  ? BILAT_FORMAT_JSON
                                  : csv ? BILAT_FORMAT_CSV
                                        : BILAT_FORMAT_TEXT,
                                  &out, &run.err);
    return cli_end(&run, rc, out);
}
