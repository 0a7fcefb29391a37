/*
 * stats.h: the inference behind a verdict (docs/CLAIMS.md, docs/MEASURES.md): trends with
 * autocorrelation-robust standard errors, the equivalence test that bounds a slope, the shape of
 * a series, and bootstrap percentiles.
 *
 * Trend: ordinary least squares of y on x; the slope's variance is Newey and West's (1987)
 * heteroskedasticity and autocorrelation consistent (HAC) estimator with Bartlett weights,
 *   V = (sum xc_i^2)^-2 * [ sum xc_i^2 e_i^2 + 2 sum_{l=1..L} w_l sum_{i>l} xc_i e_i xc_{i-l} e_{i-l} ]
 * xc = x - mean(x), e the residuals, w_l = 1 - l / (L + 1), and the lag L = floor(4 (n/100)^(2/9))
 * (at most n - 2). Points are taken in x order: consecutive points are one lag apart even when a
 * year between them is missing. Tests use Student's t with n - 2 degrees of freedom.
 *
 * Equivalence (Schuirmann 1987, two one-sided tests at level alpha): the slope lies within
 * (-delta, delta) when the (1 - 2 alpha) interval of the slope lies inside it.
 *
 * Every function is pure and thread-safe.
 */
#ifndef BILAT_ANALYTICS_STATS_H
#define BILAT_ANALYTICS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A trend and the shape of its series. */
struct stats_trend {
    size_t n;            /* points */
    double slope;        /* OLS slope per unit of x */
    double intercept;    /* OLS intercept */
    double se_ols;       /* classical standard error of the slope */
    double se_hac;       /* Newey-West standard error of the slope */
    int lag;             /* L used by the HAC estimator */
    double df;           /* degrees of freedom, n - 2 */
    double p_up;         /* one-sided p of H0: slope <= 0 (HAC t-test) */
    double p_down;       /* one-sided p of H0: slope >= 0 */
    double x_first, x_last;   /* range of x */
    double y_max, x_max;      /* largest y and its x (the first such x) */
    double y_min, x_min;      /* smallest y and its x (the first such x) */
    double y_last;            /* y at the last x */
    size_t n_last;            /* points in the last third of the x range */
    double slope_last;        /* OLS slope over the last third (valid when n_last >= 2) */
    bool fell_since_peak;   /* a reversal: the maximum came before the last point, the series
                             * ended lower, and the last third falls (slope_last < 0, with at
                             * least 3 points in it) */
    bool rose_since_trough; /* the mirror image: the minimum came early and the last third rises */
};

/*
 * The trend of (x[i], y[i]), i < n, in any order (sorted here by x on a copy). Needs n >= 3;
 * returns -1 when n < 3 or all x are equal, -2 when out of memory (BILAT_ENOMEM is the caller's
 * to report), 0 otherwise.
 */
int stats_trend_fit(const double *x, const double *y, size_t n, struct stats_trend *out);

/* The Newey-West lag for n points: floor(4 (n/100)^(2/9)), at most n - 2, at least 0. */
int stats_hac_lag(size_t n);

/*
 * The (1 - 2 alpha) interval of the slope (HAC standard error, t with df), into lo/hi, and
 * whether it lies strictly inside (-delta, delta): the two one-sided tests reject both
 * "slope <= -delta" and "slope >= delta" at level alpha.
 */
bool stats_trend_equivalent(const struct stats_trend *t, double delta, double alpha, double *lo,
                            double *hi);

/* Two-sided (1 - alpha) interval of the slope with the HAC standard error. */
void stats_trend_interval(const struct stats_trend *t, double alpha, double *lo, double *hi);

/*
 * The q-quantile (0 <= q <= 1) of v[0..n) sorted ascending, by linear interpolation between
 * order statistics (type 7 of Hyndman and Fan). n >= 1.
 */
double stats_quantile_sorted(const double *v, size_t n, double q);

/* Median of v[0..n) (sorted in place). n >= 1. */
double stats_median(double *v, size_t n);

/*
 * Random draws for resampling: GSL's Mersenne Twister (mt19937), which gives the same sequence
 * for a seed on every machine. stats_rng_new() returns NULL when out of memory; free with
 * stats_rng_free() (NULL is fine).
 */
struct stats_rng;
struct stats_rng *stats_rng_new(uint64_t seed);
void stats_rng_free(struct stats_rng *r);
/* Uniform integer in [0, n), 1 <= n <= 2^32. */
uint64_t stats_rng_below(struct stats_rng *r, uint64_t n);
/*
 * A multinomial draw: n trials over k categories with probabilities proportional to w[0..k),
 * counts into out[0..k). The same as drawing n items with replacement and counting them by
 * category, at the cost of k binomial draws instead of n uniform ones.
 */
void stats_rng_multinomial(struct stats_rng *r, size_t k, unsigned n, const double *w,
                           unsigned *out);

#endif
