/*
 * vote_measures.c: agree, exact, S, Scott's pi and Cohen's kappa from a 3x3 table of joint
 * votes (docs/MEASURES.md).
 *
 * With n joint votes, cells c_ij, row sums r_i (A's votes), column sums s_j (B's votes) and the
 * distance d(i, j) = |i - j| on the yes/abstain/no scale:
 *   agree = (2 * same + half) / (2n)        same: c_ii summed; half: one abstains, one yes/no
 *   exact = same / n
 *   S     = 1 - 2 (D / n) / d_max,  d_max = 2    ->  (n - D) / n,   D = sum c_ij d(i, j)
 *   pi    = 1 - D_o / D_e(pooled)                ->  (F - 4nD) / F, F = sum (r_i+s_i)(r_j+s_j)
 * d(i,j) kappa = 1 - D_o / D_e(own marginals)         ->  (E - nD) / E,  E = sum r_i s_j d(i, j)
 * (Hage 2011: the chance-corrected versions of S with the same distance.) All numerators and
 * denominators are integers far below 2^53, so each value is one correctly rounded division.
 */
#include "analytics/vote_measures.h"

const char vote_why_no_shared[] = "no roll call on which both voted";
const char vote_why_no_variation[] =
    "undefined: both cast the same vote on every shared roll call, so there is no variation to "
    "correct for chance";

uint64_t vote_table_n(const struct vote_table *t)
{
    uint64_t n = 0;
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            n += t->c[i][j];
    return n;
}

static int64_t dist(int i, int j)
{
    return i > j ? i - j : j - i;
}

int vote_measure_value(const struct vote_table *t, enum bilat_vote_measure m, double *out,
                       const char **why)
{
    *out = 0;
    *why = NULL;
    int64_t n = (int64_t)vote_table_n(t);
    if (n == 0) {
        *why = vote_why_no_shared;
        return 0;
    }
    int64_t same = (int64_t)(t->c[0][0] + t->c[1][1] + t->c[2][2]);
    int64_t half = (int64_t)(t->c[1][0] + t->c[1][2] + t->c[0][1] + t->c[2][1]);
    int64_t d = 0, r[3] = {0, 0, 0}, s[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++) {
            d += (int64_t)t->c[i][j] * dist(i, j);
            r[i] += (int64_t)t->c[i][j];
            s[j] += (int64_t)t->c[i][j];
        }
    switch (m) {
    case BILAT_VOTE_AGREE:
        *out = (double)(2 * same + half) / (double)(2 * n);
        return 1;
    case BILAT_VOTE_EXACT:
        *out = (double)same / (double)n;
        return 1;
    case BILAT_VOTE_S:
        *out = (double)(n - d) / (double)n;
        return 1;
    case BILAT_VOTE_PI:
    case BILAT_VOTE_KAPPA: {
        int64_t e = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                e += m == BILAT_VOTE_PI ? (r[i] + s[i]) * (r[j] + s[j]) * dist(i, j)
                                        : r[i] * s[j] * dist(i, j);
        if (e == 0) {
            *why = vote_why_no_variation;
            return 0;
        }
        int64_t num = m == BILAT_VOTE_PI ? e - 4 * n * d : e - n * d;
        *out = (double)num / (double)e;
        return 1;
    }
    case BILAT_VOTE_IDEAL:
        break;
    }
    *why = "not a vote-table measure";
    return 0;
}

int vote_measure_higher_is_closer(enum bilat_vote_measure m)
{
    return m != BILAT_VOTE_IDEAL;
}
