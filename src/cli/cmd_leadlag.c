/*
 * cmd_leadlag.c: `bilat leadlag A B --x SERIES --y SERIES [--max-lag K]`: lagged correlations
 * with bootstrap intervals, as CSV (docs/MEASURES.md "Lead and lag").
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd_help help = {
    "leadlag", "[options] --x SERIES --y SERIES A B",
    "Lagged correlation of two yearly series of a dyad, with bootstrap intervals.",
    "For each lag k from -K to K, pairs x in year t with y in year t + k and prints\n"
    "x,y,lag,n,first,last,r,lo,hi: the number of years paired, the years of x, Pearson's r and\n"
    "a moving-block bootstrap percentile interval. k > 0 asks whether x goes ahead of y.\n"
    "This is association, not cause: a lagged correlation cannot say which drives which.\n\n"
    "Series: party_intensity (party-channel exchanges a year, dated records), exchange_intensity\n"
    "(all channels), visit_index, party_share, the vote measures agree, exact, s, pi, kappa and\n"
    "ideal (calendar years; years with fewer than --min-n shared votes left out), and\n"
    "indicator:NAME (A's indicator with partner B, one source). Event series count 0 in the\n"
    "years between the dyad's first and last exchange records that have none.\n\n"
    "  bilat leadlag KHM CHN --x party_intensity --y agree --max-lag 3\n"};

static int row(void *ctx, const struct bilat_leadlag_row *r)
{
    const char *const *xy = ctx;
    printf("%s,%s,%d,%d,", xy[0], xy[1], r->lag, r->n);
    if (r->n)
        printf("%d,%d,", r->first, r->last);
    else
        printf(",,");
    if (r->has_r)
        printf("%.6f,", r->r);
    else
        printf(",");
    if (r->has_ci)
        printf("%.6f,%.6f\n", r->lo, r->hi);
    else
        printf(",\n");
    if (r->why)
        cli_info("note: lag %d: %s", r->lag, r->why);
    return ferror(stdout) ? 1 : 0;
}

int cmd_leadlag(int argc, char **argv)
{
    struct cli_run run = {.min_args = 2, .max_args = 2};
    const char *x = NULL, *y = NULL;
    long max_lag = 3, from = 0, to = 0, reps = 2000, seed = 1, min_n = 10;
    const char *level = "0.95";
    const struct opt opts[] = {
        OPT_STRING(0, "x", &x, "SERIES", "the leading series (see above)"),
        OPT_STRING(0, "y", &y, "SERIES", "the other series"),
        OPT_INT(0, "max-lag", &max_lag, "K", "largest lag in years, 0 to 10 (default 3)"),
        OPT_INT(0, "from", &from, "YEAR", "first year of x"),
        OPT_INT(0, "to", &to, "YEAR", "last year of x"),
        OPT_INT(0, "reps", &reps, "N", "bootstrap resamples (default 2000; 0 for none)"),
        OPT_INT(0, "seed", &seed, "N", "random seed (default 1; same seed, same intervals)"),
        OPT_INT(0, "min-n", &min_n, "N", "vote series: least shared votes in a year (default 10)"),
        OPT_STRING(0, "level", &level, "P", "interval level (default 0.95)"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    if (!x || !y) {
        opt_usage_error(&help, "--x and --y are required");
        return EXIT_USAGE;
    }
    if (cli_year(&help, "from", from) < 0 || cli_year(&help, "to", to) < 0)
        return EXIT_USAGE;
    char *end = NULL;
    double lv = strtod(level, &end);
    if (!end || *end || !(lv > 0 && lv < 1)) {
        opt_usage_error(&help, "--level expects a number between 0 and 1, got '%s'", level);
        return EXIT_USAGE;
    }
    if (seed < 0 || max_lag < 0 || max_lag > 10 || reps < 0 || min_n < 0) {
        opt_usage_error(&help, "--max-lag is 0 to 10; --seed, --reps and --min-n are not "
                               "negative");
        return EXIT_USAGE;
    }
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct bilat_leadlag_opts o = {run.args[0],         run.args[1], x,       y,
                                   (int)max_lag,        (int)from,   (int)to, (int)reps,
                                   (unsigned long)seed, min_n,       lv};
    const char *xy[2] = {x, y};
    printf("x,y,lag,n,first,last,r,lo,hi\n");
    int rc = bilat_leadlag(run.db, &o, row, (void *)xy, &run.err);
    if (rc == 0)
        cli_info("note: association only: a lagged correlation does not show which series "
                 "drives the other, or that either does");
    return cli_end_rows(&run, rc);
}
