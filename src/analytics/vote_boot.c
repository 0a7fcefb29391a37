/*
 * vote_boot.c: bootstrap intervals of vote measures and ranks (votes.h, docs/MEASURES.md).
 *
 * The unit of resampling is the roll call (Efron and Tibshirani 1993): each draw picks n roll
 * calls of the period with replacement, and every pair is measured on the same draw, which keeps
 * each vote's pairing of countries intact and makes the ranks of one draw comparable. A draw is
 * held as a count per roll call (how many times it was picked); a pair's 3x3 table is then the
 * sum of those counts over the cells of its joint votes, which are computed once, before the
 * draws, as one byte per roll call (3 * vote of a + vote of b, or 255 when either did not vote).
 *
 * Cost: B draws x (n picks + pairs x n additions); a year (about 100 roll calls) against every
 * country is a few milliseconds. For one pair without ranks the draw is a multinomial over the
 * ten cells instead (the same distribution, since only a roll call's cell enters the table):
 * B x 10 binomial draws, a millisecond for any period.
 */
#include "analytics/stats.h"
#include "analytics/votes.h"

#include "bilat.h"
#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { NO_CELL = 255 };

struct keyed {
    double key; /* the value, oriented so that larger is closer */
    size_t pair;
};

static int cmp_keyed(const void *a, const void *b)
{
    double x = ((const struct keyed *)a)->key, y = ((const struct keyed *)b)->key;
    return (x < y) - (x > y); /* descending */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/*
 * agree of many pairs on one draw, the fast way: agree = (2 same + half) / (2 n) needs two sums
 * over the roll calls, each a dot product of the draw's counts with a per-pair weight (2 for the
 * same vote, 1 for an abstention against a vote; 1 when both voted), which the compiler turns
 * into vector instructions. The sums are exact integers: the value is the same double the 3x3
 * table gives.
 */
__attribute__((optimize("tree-vectorize"))) static uint32_t dot16(const uint16_t *restrict x,
                                                                  const uint16_t *restrict y,
                                                                  size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += (uint32_t)x[i] * y[i];
    return s;
}

__attribute__((optimize("tree-vectorize"), target("avx2"))) static uint32_t
dot16_avx2(const uint16_t *restrict x, const uint16_t *restrict y, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += (uint32_t)x[i] * y[i];
    return s;
}

/*
 * The bootstrap of the pairs (a, others[j]) over the roll calls at `pos` (votes.h).
 * Long: the resampling loop is the vote measures' hot path; the buffers it sets up (cells,
 * counts, values, ranks, the per-pair weights) are all read by that loop and freed on one
 * path, so the set-up, the loop and the intervals stay together, each under its comment.
 */
int vote_panel_bootstrap(const struct vote_panel *p, enum bilat_vote_measure m, size_t a,
                         const size_t *others, size_t nothers, const uint32_t *pos, size_t n,
                         const struct vote_boot_opts *o, struct vote_boot_out *out)
{
    int rc = BILAT_ENOMEM;
    size_t np = nothers, reps = (size_t)o->reps;
    uint8_t *cells = bilat_alloc_array(np * (n ? n : 1), 1);
    uint32_t *count = bilat_calloc(n ? n : 1, sizeof(uint32_t));
    double *vals = bilat_alloc_array(np * reps, sizeof(double)); /* [pair][draw], NAN = none */
    int *ranks = o->ranks ? bilat_alloc_array(np * reps, sizeof(int)) : NULL;
    struct keyed *order = o->ranks ? bilat_alloc_array(np, sizeof(*order)) : NULL;
    double *col = bilat_alloc_array(reps, sizeof(double));
    int *icol = bilat_alloc_array(reps, sizeof(int));
    struct stats_rng *rng = stats_rng_new(o->seed);
    if (!cells || !count || !vals || (o->ranks && (!ranks || !order)) || !col || !icol || !rng)
        goto out;
    int closer_high = vote_measure_higher_is_closer(m);
    for (size_t j = 0; j < np; j++)
        for (size_t i = 0; i < n; i++) {
            int va = vote_panel_vote_at(p, a, pos[i]), vb = vote_panel_vote_at(p, others[j], pos[i]);
            cells[j * n + i] = va < 0 || vb < 0 ? NO_CELL : (uint8_t)(3 * va + vb);
        }
    if (np == 1 && !o->ranks && n > 0) {
        /* One pair: only the cell of each roll call matters, so a resample of the n roll calls
         * is a multinomial draw over the ten cells (nine joint votes, and "not both voting")
         * with the observed frequencies: the same distribution at a fraction of the cost. */
        double w[10] = {0};
        unsigned got[10];
        for (size_t i = 0; i < n; i++)
            w[cells[i] == NO_CELL ? 9 : cells[i]] += 1;
        for (size_t r = 0; r < reps; r++) {
            stats_rng_multinomial(rng, 10, (unsigned)n, w, got);
            struct vote_table t;
            for (int x = 0; x < 3; x++)
                for (int y = 0; y < 3; y++)
                    t.c[x][y] = got[3 * x + y];
            double v;
            const char *why;
            vals[r] = vote_measure_value(&t, m, &v, &why) ? v : NAN;
        }
        goto summarise;
    }
    /* agree with counts that fit 16 bits: the two weights of every pair (see dot16) */
    bool fast = m == BILAT_VOTE_AGREE && n > 0 && n <= UINT16_MAX;
    uint16_t *c16 = NULL, *wscore = NULL, *wboth = NULL;
    uint32_t (*dot)(const uint16_t *, const uint16_t *, size_t) =
        __builtin_cpu_supports("avx2") ? dot16_avx2 : dot16;
    if (fast) {
        c16 = bilat_alloc_array(n, sizeof(uint16_t));
        wscore = bilat_alloc_array(np * n, sizeof(uint16_t));
        wboth = bilat_alloc_array(np * n, sizeof(uint16_t));
        if (!c16 || !wscore || !wboth) {
            bilat_free(c16);
            bilat_free(wscore);
            bilat_free(wboth);
            goto out;
        }
        for (size_t k = 0; k < np * n; k++) {
            uint8_t c = cells[k];
            int x = c / 3, y = c % 3; /* 0 yes, 1 abstain, 2 no */
            wboth[k] = c != NO_CELL;
            wscore[k] = c == NO_CELL ? 0 : x == y ? 2 : (x == 1 || y == 1) ? 1 : 0;
        }
    }
    for (size_t r = 0; r < reps; r++) {
        memset(count, 0, n * sizeof(uint32_t));
        for (size_t i = 0; i < n; i++)
            count[stats_rng_below(rng, n)]++;
        if (fast)
            for (size_t i = 0; i < n; i++)
                c16[i] = (uint16_t)count[i];
        size_t nk = 0;
        for (size_t j = 0; j < np; j++) {
            double v = 0;
            int has;
            if (fast) {
                uint32_t s2 = dot(c16, wscore + j * n, n), nn = dot(c16, wboth + j * n, n);
                has = nn > 0;
                if (has)
                    v = (double)s2 / (double)(2 * (uint64_t)nn);
            } else {
                uint64_t c9[9] = {0};
                const uint8_t *cj = cells + j * n;
                for (size_t i = 0; i < n; i++)
                    if (cj[i] != NO_CELL)
                        c9[cj[i]] += count[i];
                struct vote_table t;
                for (int x = 0; x < 3; x++)
                    for (int y = 0; y < 3; y++)
                        t.c[x][y] = c9[3 * x + y];
                const char *why;
                has = vote_measure_value(&t, m, &v, &why);
            }
            vals[j * reps + r] = has ? v : NAN;
            if (o->ranks && !isnan(vals[j * reps + r]))
                order[nk++] = (struct keyed){closer_high ? v : -v, j};
            if (o->ranks)
                ranks[j * reps + r] = 0;
        }
        if (o->ranks && o->only) {
            /* one pair's rank: 1 + the pairs strictly closer (ties share the best rank) */
            size_t j = o->only - 1;
            double v = vals[j * reps + r];
            if (!isnan(v)) {
                double key = closer_high ? v : -v;
                int closer = 0;
                for (size_t k = 0; k < nk; k++)
                    closer += order[k].key > key;
                ranks[j * reps + r] = closer + 1;
            }
        } else if (o->ranks) {
            qsort(order, nk, sizeof(*order), cmp_keyed);
            for (size_t k = 0; k < nk; k++) {
                int rank = k > 0 && order[k].key == order[k - 1].key
                               ? ranks[order[k - 1].pair * reps + r]
                               : (int)k + 1;
                ranks[order[k].pair * reps + r] = rank;
            }
        }
    }
    bilat_free(c16);
    bilat_free(wscore);
    bilat_free(wboth);
summarise:;
    double tail = (1 - o->level) / 2;
    for (size_t j = 0; j < np; j++) {
        if (o->only && j != o->only - 1) {
            out[j].draws = 0;
            out[j].lo = out[j].hi = NAN;
            out[j].rank_lo = out[j].rank_hi = 0;
            continue;
        }
        size_t got = 0, rgot = 0;
        for (size_t r = 0; r < reps; r++) {
            if (!isnan(vals[j * reps + r]))
                col[got++] = vals[j * reps + r];
            if (o->ranks && ranks[j * reps + r] > 0)
                icol[rgot++] = ranks[j * reps + r];
        }
        out[j].draws = (int)got;
        out[j].lo = out[j].hi = NAN;
        out[j].rank_lo = out[j].rank_hi = 0;
        if (got * 2 >= reps && got > 0) {
            qsort(col, got, sizeof(double), cmp_double);
            out[j].lo = stats_quantile_sorted(col, got, tail);
            out[j].hi = stats_quantile_sorted(col, got, 1 - tail);
        }
        if (o->ranks && rgot * 2 >= reps && rgot > 0) {
            /* ranks are integers: the interval takes the order statistics at the two tails */
            qsort(icol, rgot, sizeof(int), cmp_int);
            size_t lo = (size_t)floor(tail * (double)(rgot - 1));
            size_t hi = (size_t)ceil((1 - tail) * (double)(rgot - 1));
            out[j].rank_lo = icol[lo];
            out[j].rank_hi = icol[hi < rgot ? hi : rgot - 1];
        }
    }
    rc = 0;
out:
    stats_rng_free(rng);
    bilat_free(cells);
    bilat_free(count);
    bilat_free(vals);
    bilat_free(ranks);
    bilat_free(order);
    bilat_free(col);
    bilat_free(icol);
    return rc;
}
