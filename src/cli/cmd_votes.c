/*
 * cmd_votes.c: `bilat votes`: UN General Assembly alignment as CSV (docs/MEASURES.md).
 *
 *   bilat votes A B [--measure M] [--by year|session] [--issue TAG] [--important] [--from Y]
 *   bilat votes A B --splits [--from Y] [--to Y]
 *   bilat votes A --rank --period P [--measure M] [--bloc ASEAN] [--min-n N]
 *   bilat votes --all-pairs [--measure M] [--by session] [-o FILE]
 *
 * stdout carries the CSV only; an empty value's reason goes to stderr (consecutive periods with
 * the same reason on one line). All-pairs output can be a million rows: it is formatted by hand
 * into a large buffer (no printf per field) and, with -o, written to a temporary file renamed
 * over FILE at the end, so that a failed run never leaves half a file.
 */
#include "cli/cli.h"

#include "core/alloc.h"
#include "core/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_help help = {
    "votes",
    "[options] A B\n"
    "--splits [--from YEAR] [--to YEAR] A B\n"
    "--rank --period P [--measure M] [--bloc BLOC] [--min-n N] A\n"
    "--all-pairs [--measure M] [--by year|session] [-o FILE]",
    "UN General Assembly vote alignment of two countries, as CSV.",
    "A and B are ISO3 country codes. The default prints the series a,b,period,n,value,seat: one\n"
    "row per period (calendar year, or session with --by session) from the first to the last\n"
    "period with roll calls in the store; n is the number of roll calls on which both voted yes,\n"
    "no or abstain (absences, non-voting and non-membership never count). A period without a\n"
    "value prints an empty value, and the reason goes to standard error. seat names who held a\n"
    "seat in that period when it was not the state of today (Cambodia's seat was held by\n"
    "Democratic Kampuchea from 1975, China's by the Republic of China until 1971-10-25).\n"
    "--ci 0.95 adds lo,hi: the percentile interval of a bootstrap over the period's roll calls\n"
    "(1000 resamples, a fixed seed: the same interval on every machine).\n\n"
    "Measures (--measure; docs/MEASURES.md gives formulas and worked examples):\n"
    "  agree  Voeten's agreement: same vote 1, abstain against yes or no 0.5, yes against no 0\n"
    "  exact  share of identical votes\n"
    "  s      Signorino-Ritter S, absolute distance, d_max fixed at 2 (S = 2 agree - 1)\n"
    "  pi     Scott's pi (Hage 2011): S corrected for chance with pooled vote shares\n"
    "  kappa  Cohen's kappa (Hage 2011): S corrected for chance with each side's vote shares\n"
    "  ideal  absolute distance between Bailey-Strezhnev-Voeten ideal points (yearly)\n"
    "By session, Voeten's year is session + 1945; --from/--to are always years.\n\n"
    "--splits lists the roll calls on which the two voted differently (the autonomy signal).\n"
    "--rank ranks every country by its alignment with A over the period P (a year, or Y1-Y2\n"
    "pooled), most aligned first; --bloc keeps the members of a bloc (e.g. ASEAN) as of the end\n"
    "of P. --all-pairs writes every pair of countries in every period (pairs without a shared\n"
    "vote are left out).\n"};

struct outbuf {
    FILE *f;
    char *buf;
    size_t len, cap;
    int failed;
};

static void ob_flush(struct outbuf *o)
{
    if (o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = 1;
    o->len = 0;
}

static void ob_put(struct outbuf *o, const char *s, size_t n)
{
    if (o->len + n > o->cap)
        ob_flush(o);
    if (n > o->cap) {
        if (fwrite(s, 1, n, o->f) != n)
            o->failed = 1;
        return;
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void ob_puts(struct outbuf *o, const char *s)
{
    ob_put(o, s, strlen(s));
}

static void ob_ch(struct outbuf *o, char c)
{
    ob_put(o, &c, 1);
}

static void ob_int(struct outbuf *o, long long v)
{
    char tmp[24];
    int i = sizeof(tmp);
    int neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        tmp[--i] = '-';
    ob_put(o, tmp + i, sizeof(tmp) - (size_t)i);
}

/*
 * A value rounded to 6 decimals as printf("%.6f") rounds it (the exact binary value, ties to
 * even), trailing zeros dropped ("0.5", "1", "-0.137931"). printf itself costs a fifth of an
 * all-pairs run; the product v * 1e6 is rounded here by hand, with fma() giving the exact error
 * of the product so that a value next to a tie rounds the way its exact value does.
 */
static void ob_num(struct outbuf *o, double v)
{
    double a = fabs(v);
    if (!(a < 9e9)) {
        char tmp[40];
        int n = snprintf(tmp, sizeof(tmp), "%.6f", v);
        ob_put(o, tmp, (size_t)n);
        return;
    }
    double p = a * 1e6, e = fma(a, 1e6, -p), r = floor(p), frac = p - r;
    if (frac > 0.5 || (frac == 0.5 && (e > 0 || (e == 0 && fmod(r, 2.0) != 0))))
        r += 1;
    long long s = (long long)r;
    if (v < 0 && s)
        ob_ch(o, '-');
    ob_int(o, s / 1000000);
    long long f = s % 1000000;
    if (!f)
        return;
    char d[8] = ".000000";
    for (int i = 6; i >= 1; i--) {
        d[i] = (char)('0' + f % 10);
        f /= 10;
    }
    size_t n = 7;
    while (d[n - 1] == '0')
        n--;
    ob_put(o, d, n);
}

static int ob_sink(void *o, const char *p, size_t n)
{
    ob_put(o, p, n);
    return 0;
}

/* A CSV field (core/csv.h); nothing for NULL. */
static void ob_field(struct outbuf *o, const char *s)
{
    if (s)
        csv_write_field(s, strlen(s), ob_sink, o);
}

/* Reasons for empty values, grouped over consecutive periods. */
struct why_run {
    char why[200];
    int first, last;
    int active;
};

static void why_flush(struct why_run *w, const char *a, const char *b)
{
    if (!w->active)
        return;
    if (w->first == w->last)
        cli_info("note: %s %s %d: value left empty: %s", a, b, w->first, w->why);
    else
        cli_info("note: %s %s %d-%d: value left empty: %s", a, b, w->first, w->last, w->why);
    w->active = 0;
}

struct series_ctx {
    struct outbuf *o;
    struct why_run w;
    const char *a, *b;
    size_t rows, empty;
    int ci;       /* print lo,hi */
    size_t seats; /* rows whose votes another seat holder cast */
};

/* ",lo,hi" of an interval (empty when there is none). */
static void ob_ci(struct outbuf *o, int has, double lo, double hi)
{
    ob_ch(o, ',');
    if (has)
        ob_num(o, lo);
    ob_ch(o, ',');
    if (has)
        ob_num(o, hi);
}

/* "n,value" of every kind of row: the shared votes and the measure, each empty when missing. */
static void ob_n_value(struct outbuf *o, int64_t n, int has_value, double value)
{
    if (n >= 0)
        ob_int(o, n);
    ob_ch(o, ',');
    if (has_value)
        ob_num(o, value);
}

/* "a,b,period,n,value" of a dyad's period: the row of the series and of --all-pairs. */
static void ob_value(struct outbuf *o, const struct bilat_vote_value *v)
{
    ob_puts(o, v->a);
    ob_ch(o, ',');
    ob_puts(o, v->b);
    ob_ch(o, ',');
    ob_int(o, v->period);
    ob_ch(o, ',');
    ob_n_value(o, v->n, v->has_value, v->value);
}

static int series_row(void *ctx, const struct bilat_vote_value *v)
{
    struct series_ctx *c = ctx;
    ob_value(c->o, v);
    if (c->ci)
        ob_ci(c->o, v->has_ci, v->lo, v->hi);
    ob_ch(c->o, ',');
    ob_field(c->o, v->seat);
    c->seats += v->seat != NULL;
    ob_ch(c->o, '\n');
    c->rows++;
    if (!v->has_value) {
        c->empty++;
        if (c->w.active && strcmp(c->w.why, v->why) == 0 && v->period == c->w.last + 1) {
            c->w.last = v->period;
        } else {
            why_flush(&c->w, v->a, v->b);
            snprintf(c->w.why, sizeof(c->w.why), "%s", v->why);
            c->w.first = c->w.last = v->period;
            c->w.active = 1;
        }
    }
    return c->o->failed;
}

struct pairs_ctx {
    struct outbuf *o;
    size_t rows, empty;
    char why[200];
};

static int pairs_row(void *ctx, const struct bilat_vote_value *v)
{
    struct pairs_ctx *c = ctx;
    ob_value(c->o, v);
    if (!v->has_value && !c->empty++)
        snprintf(c->why, sizeof(c->why), "%s", v->why);
    ob_ch(c->o, '\n');
    c->rows++;
    return c->o->failed;
}

struct rank_ctx {
    struct outbuf *o;
    const char *a;
    const char *period;
    size_t unranked, rows;
    int ci;
    size_t seats;
};

static int rank_row(void *ctx, const struct bilat_vote_rank *r)
{
    struct rank_ctx *c = ctx;
    struct outbuf *o = c->o;
    if (r->rank)
        ob_int(o, r->rank);
    ob_ch(o, ',');
    ob_int(o, r->ranked);
    ob_ch(o, ',');
    ob_puts(o, c->a);
    ob_ch(o, ',');
    ob_puts(o, r->country);
    ob_ch(o, ',');
    ob_field(o, r->name);
    ob_ch(o, ',');
    ob_puts(o, c->period);
    ob_ch(o, ',');
    ob_n_value(o, r->n, r->has_value, r->value);
    if (c->ci) {
        ob_ci(o, r->has_ci, r->lo, r->hi);
        ob_ch(o, ',');
        if (r->has_ci)
            ob_int(o, r->rank_lo);
        ob_ch(o, ',');
        if (r->has_ci)
            ob_int(o, r->rank_hi);
    }
    ob_ch(o, ',');
    ob_field(o, r->seat);
    c->seats += r->seat != NULL;
    ob_ch(o, '\n');
    c->rows++;
    if (!r->rank) {
        c->unranked++;
        cli_info("note: %s not ranked: %s", r->country, r->why ? r->why : "no value");
    }
    return o->failed;
}

struct split_ctx {
    struct outbuf *o;
    const char *a, *b;
    size_t rows;
};

static int split_row(void *ctx, const struct bilat_vote_split *s)
{
    struct split_ctx *c = ctx;
    struct outbuf *o = c->o;
    ob_field(o, s->date);
    ob_ch(o, ',');
    ob_int(o, s->rcid);
    ob_ch(o, ',');
    if (s->session)
        ob_int(o, s->session);
    ob_ch(o, ',');
    ob_field(o, s->resolution);
    ob_ch(o, ',');
    ob_field(o, s->title);
    ob_ch(o, ',');
    ob_puts(o, c->a);
    ob_ch(o, ',');
    ob_puts(o, s->a_vote);
    ob_ch(o, ',');
    ob_puts(o, c->b);
    ob_ch(o, ',');
    ob_puts(o, s->b_vote);
    ob_ch(o, ',');
    ob_int(o, s->important);
    ob_ch(o, ',');
    ob_field(o, s->issues);
    ob_ch(o, ',');
    ob_field(o, s->source_id);
    ob_ch(o, '\n');
    c->rows++;
    return o->failed;
}

/* Parse "2019" or "2010-2019" into years. */
static int parse_period(const char *s, int *from, int *to)
{
    char *end;
    long a = strtol(s, &end, 10), b = a;
    if (end == s)
        return -1;
    if (*end == '-' || *end == '/') {
        const char *t = end + 1;
        b = strtol(t, &end, 10);
        if (end == t)
            return -1;
    }
    if (*end || a < 1000 || a > 9999 || b < 1000 || b > 9999 || a > b)
        return -1;
    *from = (int)a;
    *to = (int)b;
    return 0;
}

static void upper(char *dst, const char *src, size_t cap)
{
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++)
        dst[i] = (char)(src[i] >= 'a' && src[i] <= 'z' ? src[i] - 32 : src[i]);
    dst[i] = '\0';
}

/* The options of bilat votes, as parsed. */
struct votes_opts {
    const char *measure, *by, *issue, *period, *bloc, *out_path, *ideal, *ci;
    long from, to, min_n, reps, seed;
    int important, splits, rank, all_pairs;
};

/* The filter the options ask for: 0, or EXIT_USAGE once the usage error is printed. */
static int votes_filter(const struct votes_opts *v, size_t nargs, struct bilat_vote_filter *f)
{
    if (v->splits + v->rank + v->all_pairs > 1) {
        opt_usage_error(&help, "--splits, --rank and --all-pairs exclude each other");
        return EXIT_USAGE;
    }
    size_t want = v->all_pairs ? 0 : v->rank ? 1 : 2;
    if (nargs != want) {
        opt_usage_error(&help, "%s needs %s",
                        v->all_pairs ? "--all-pairs"
                        : v->rank    ? "--rank"
                                     : "this",
                        want == 0   ? "no country"
                        : want == 1 ? "one country (A)"
                                    : "two countries (A B)");
        return EXIT_USAGE;
    }
    if (cli_period(&help, v->from, v->to) < 0)
        return EXIT_USAGE;
    *f = (struct bilat_vote_filter){
        .from = (int)v->from, .to = (int)v->to, .issue = v->issue, .important_only = v->important};
    if (bilat_vote_measure_parse(v->measure, &f->measure) < 0) {
        opt_usage_error(&help, "unknown measure '%s' (agree, exact, s, pi, kappa, ideal)",
                        v->measure);
        return EXIT_USAGE;
    }
    if (strcmp(v->by, "year") == 0)
        f->by = BILAT_VOTE_BY_YEAR;
    else if (strcmp(v->by, "session") == 0)
        f->by = BILAT_VOTE_BY_SESSION;
    else {
        opt_usage_error(&help, "--by expects year or session, got '%s'", v->by);
        return EXIT_USAGE;
    }
    if (strcmp(v->ideal, "all") == 0)
        f->ideal_variant = BILAT_IDEAL_ALL;
    else if (strcmp(v->ideal, "fp") == 0)
        f->ideal_variant = BILAT_IDEAL_FP;
    else if (strcmp(v->ideal, "legacy") == 0)
        f->ideal_variant = BILAT_IDEAL_LEGACY;
    else {
        opt_usage_error(&help, "--ideal expects all, fp or legacy, got '%s'", v->ideal);
        return EXIT_USAGE;
    }
    if (v->rank) {
        if (!v->period || parse_period(v->period, &f->from, &f->to) < 0) {
            opt_usage_error(&help, "--rank needs --period YEAR or --period Y1-Y2 (got '%s')",
                            v->period ? v->period : "");
            return EXIT_USAGE;
        }
        if (v->from || v->to) {
            opt_usage_error(&help, "--rank takes its years from --period, not --from/--to");
            return EXIT_USAGE;
        }
    } else if (v->period) {
        opt_usage_error(&help, "--period goes with --rank (use --from/--to for a series)");
        return EXIT_USAGE;
    }
    if (v->bloc && !v->rank) {
        opt_usage_error(&help, "--bloc goes with --rank");
        return EXIT_USAGE;
    }
    if (v->min_n < 0) {
        opt_usage_error(&help, "--min-n must not be negative");
        return EXIT_USAGE;
    }
    if (v->ci) {
        char *end;
        double lv = strtod(v->ci, &end);
        if (*end || end == v->ci || !(lv >= 0.5 && lv < 1)) {
            opt_usage_error(&help, "--ci expects a level between 0.5 and 0.999 (got '%s')", v->ci);
            return EXIT_USAGE;
        }
        if (v->splits || v->all_pairs) {
            opt_usage_error(&help, "--ci goes with a series or --rank");
            return EXIT_USAGE;
        }
        if (v->reps < 100 || v->reps > 100000 || v->seed < 0) {
            opt_usage_error(&help, "--reps must be 100 to 100000 and --seed not negative");
            return EXIT_USAGE;
        }
        f->ci_level = lv;
        f->ci_reps = (int)v->reps;
        f->ci_seed = (unsigned long)v->seed;
    }
    return 0;
}

/* The CSV of the mode asked for (all pairs, a rank, splits or a series) into `o`, with its notes;
 * *rows gets the rows written. The library's status. */
static int votes_write(bilat_db *db, const struct votes_opts *v, const struct bilat_vote_filter *f,
                       const char *a, const char *b, struct outbuf *o, size_t *rows,
                       struct bilat_err *err)
{
    int rc;
    if (v->all_pairs) {
        struct pairs_ctx c = {o, 0, 0, ""};
        ob_puts(o, "a,b,period,n,value\n");
        rc = bilat_votes_all_pairs(db, f, pairs_row, &c, err);
        *rows = c.rows;
        if (rc >= 0 && c.empty)
            cli_info("note: %zu values left empty: %s", c.empty, c.why);
        if (rc >= 0)
            cli_info("%zu pairs and periods written", c.rows);
    } else if (v->rank) {
        struct rank_ctx c = {o, a, v->period, 0, 0, v->ci != NULL, 0};
        ob_puts(o, v->ci ? "rank,ranked,a,b,name,period,n,value,lo,hi,rank_lo,rank_hi,seat\n"
                         : "rank,ranked,a,b,name,period,n,value,seat\n");
        rc = bilat_votes_rank(db, a, f, v->bloc, v->min_n, rank_row, &c, err);
        *rows = c.rows;
        if (rc >= 0 && v->ci)
            cli_info("note: intervals: %g bootstrap over roll calls, %ld resamples, seed %ld; "
                     "ranks are taken within each resample",
                     f->ci_level, v->reps, v->seed);
        if (rc >= 0 && c.seats)
            cli_info("note: %zu partner%s held by another regime in %s: see the seat column",
                     c.seats, c.seats == 1 ? "'s seat was" : "s' seats were", v->period);
    } else if (v->splits) {
        struct split_ctx c = {o, a, b, 0};
        ob_puts(o, "date,rcid,session,resolution,title,a,a_vote,b,b_vote,important,issues,"
                   "source_id\n");
        rc = bilat_votes_splits(db, a, b, f, split_row, &c, err);
        *rows = c.rows;
        if (rc >= 0)
            cli_info("%zu roll calls on which %s and %s voted differently", c.rows, a, b);
    } else {
        struct series_ctx c = {o, {"", 0, 0, 0}, a, b, 0, 0, v->ci != NULL, 0};
        ob_puts(o, v->ci ? "a,b,period,n,value,lo,hi,seat\n" : "a,b,period,n,value,seat\n");
        rc = bilat_votes_series(db, a, b, f, series_row, &c, err);
        why_flush(&c.w, c.a, c.b);
        *rows = c.rows;
        if (rc >= 0 && v->ci)
            cli_info("note: intervals: %g bootstrap over each period's roll calls, %ld "
                     "resamples, seed %ld",
                     f->ci_level, v->reps, v->seed);
        if (rc >= 0 && c.seats)
            cli_info("note: in %zu period%s the votes were cast by another holder of a seat (the "
                     "seat column): they are not the votes of the state of today",
                     c.seats, c.seats == 1 ? "" : "s");
        if (rc >= 0 && c.rows == 0)
            cli_info("note: no roll calls in the store for these years");
    }
    int64_t unflagged = 0;
    if (rc >= 0 && v->important && f->measure != BILAT_VOTE_IDEAL &&
        bilat_votes_unflagged(db, f, &unflagged, err) == 0 && unflagged)
        cli_info("note: the important-vote flag is missing in the source for %lld roll call%s of "
                 "these years; --important leaves them out",
                 (long long)unflagged, unflagged == 1 ? "" : "s");
    return rc;
}

int cmd_votes(int argc, char **argv)
{
    struct cli_run run = {.min_args = 0, .max_args = 2}; /* A [B] as the kind of run wants */
    struct votes_opts v = {.measure = "agree",
                           .by = "year",
                           .ideal = "all",
                           .min_n = 10,
                           .reps = BILAT_VOTE_CI_REPS,
                           .seed = (long)BILAT_VOTE_CI_SEED};
    const struct opt opts[] = {
        OPT_STRING('m', "measure", &v.measure, "M", "agree (default), exact, s, pi, kappa, ideal"),
        OPT_STRING(0, "by", &v.by, "UNIT", "year (calendar, default) or session"),
        OPT_STRING(0, "issue", &v.issue, "TAG",
                   "only roll calls with this issue tag (me, nu, di, hr, co, ec, or its name)"),
        OPT_BOOL(0, "important", &v.important, "only roll calls flagged as important votes"),
        OPT_INT(0, "from", &v.from, "YEAR", "first year"),
        OPT_INT(0, "to", &v.to, "YEAR", "last year"),
        OPT_STRING(0, "ideal", &v.ideal, "VARIANT",
                   "ideal-point estimate: all (idealpointall, default), fp, legacy"),
        OPT_BOOL(0, "splits", &v.splits, "list the roll calls on which A and B voted differently"),
        OPT_BOOL(0, "rank", &v.rank, "rank every country by its alignment with A"),
        OPT_STRING(0, "period", &v.period, "P", "period of --rank: a year or Y1-Y2"),
        OPT_STRING(0, "bloc", &v.bloc, "BLOC", "--rank among the members of a bloc (e.g. ASEAN)"),
        OPT_INT(0, "min-n", &v.min_n, "N",
                "--rank: leave countries with fewer shared votes unranked (default 10)"),
        OPT_STRING(0, "ci", &v.ci, "LEVEL",
                   "add a bootstrap interval over roll calls at LEVEL (e.g. 0.95): columns lo,hi "
                   "(and rank_lo,rank_hi with --rank)"),
        OPT_INT(0, "reps", &v.reps, "B", "bootstrap resamples for --ci (default 1000)"),
        OPT_INT(0, "seed", &v.seed, "S", "bootstrap seed for --ci (same seed, same interval)"),
        OPT_BOOL(0, "all-pairs", &v.all_pairs, "every pair of countries in every period"),
        OPT_STRING('o', "output", &v.out_path, "FILE", "write the CSV to FILE instead of stdout"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    struct bilat_vote_filter f;
    if (votes_filter(&v, run.nargs, &f) != 0)
        return EXIT_USAGE;
    const char *out_path = v.out_path;

    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct outbuf o = {stdout, NULL, 0, 1 << 20, 0};
    char tmp_path[4096] = "";
    o.buf = bilat_malloc(o.cap);
    int rc = o.buf ? 0 : BILAT_ENOMEM;
    if (rc == 0 && out_path) {
        snprintf(tmp_path, sizeof(tmp_path), "%s.tmp%ld", out_path, (long)getpid());
        o.f = fopen(tmp_path, "wb");
        if (!o.f) {
            cli_error("cannot write '%s': %s", out_path, strerror(errno));
            bilat_free(o.buf);
            bilat_db_close(run.db);
            return EXIT_FAIL;
        }
    }
    char a[32] = "", b[32] = "";
    if (run.nargs > 0)
        upper(a, run.args[0], sizeof(a));
    if (run.nargs > 1)
        upper(b, run.args[1], sizeof(b));
    size_t rows = 0;
    if (rc < 0) {
        run.err.code = rc;
        snprintf(run.err.msg, sizeof(run.err.msg), "out of memory");
    } else {
        rc = votes_write(run.db, &v, &f, a, b, &o, &rows, &run.err);
    }
    bilat_db_close(run.db);
    if (rc < 0 && rows == 0)
        o.len = 0; /* no header without rows when the query itself failed */
    ob_flush(&o);
    bilat_free(o.buf);
    int status = EXIT_OK;
    if (rc < 0) {
        fflush(stdout);
        status = cli_fail_code(rc, &run.err);
    } else if (rc > 0 || o.failed) {
        status = EXIT_FAIL;
        if (out_path)
            cli_error("cannot write '%s': %s", out_path, strerror(errno));
    }
    if (out_path) {
        if (fclose(o.f) != 0 && status == EXIT_OK) {
            cli_error("cannot write '%s': %s", out_path, strerror(errno));
            status = EXIT_FAIL;
        }
        if (status == EXIT_OK && rename(tmp_path, out_path) != 0) {
            cli_error("cannot rename '%s' to '%s': %s", tmp_path, out_path, strerror(errno));
            status = EXIT_FAIL;
        }
        if (status != EXIT_OK)
            unlink(tmp_path);
        return status;
    }
    return cli_finish(status);
}
