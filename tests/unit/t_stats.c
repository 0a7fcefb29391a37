/*
 * t_stats.c: the inference behind verdicts (analytics/stats.c): the Newey-West standard error
 * against a case computed by hand, the lag rule, the shape of a series (a reversal), the
 * equivalence test, quantiles, and seeded draws.
 */
#include "t.h"

#include "analytics/stats.h"

#include <math.h>

/*
 * x = 1..6, y = 1 3 2 5 4 6. OLS: slope 31/35, intercept 0.4, sum of centred x^2 = 17.5.
 * Residuals times centred x, in seventieths: 50 -87 37 37 -87 50. With n = 6 the lag is
 * floor(4 * 0.06^(2/9)) = 2, weights 2/3 and 1/3:
 *   sum u^2        = 22876 / 4900
 *   lag 1 products = (-4350 - 3219 + 1369 - 3219 - 4350) / 4900 = -13769 / 4900
 *   lag 2 products = (1850 - 3219 - 3219 + 1850) / 4900          =  -2738 / 4900
 *   meat = (22876 - 2 (2/3) 13769 - 2 (1/3) 2738) / 4900 = 2692 / 4900
 *   se   = sqrt(2692 / 4900) / 17.5 = 0.0423546833...
 * The classical standard error is sqrt(SSE / 4 / 17.5) with SSE = 3.7714285... = 0.2321153...
 */
T_TEST(stats_hac_hand_computed)
{
    const double x[] = {1, 2, 3, 4, 5, 6}, y[] = {1, 3, 2, 5, 4, 6};
    struct stats_trend t;
    T_ASSERT_EQ_INT(stats_trend_fit(x, y, 6, &t), 0);
    T_ASSERT_NEAR(t.slope, 31.0 / 35.0, 1e-12);
    T_ASSERT_NEAR(t.intercept, 0.4, 1e-12);
    T_ASSERT_EQ_INT(t.lag, 2);
    T_ASSERT_NEAR(t.se_hac, sqrt(2692.0 / 4900.0) / 17.5, 1e-12);
    T_ASSERT_NEAR(t.se_ols, 0.2321153829895989, 1e-12);
    T_ASSERT_NEAR(t.df, 4, 0);
    /* the same points in another order give the same fit (points are sorted by x) */
    const double xs[] = {4, 1, 6, 3, 2, 5}, ys[] = {5, 1, 6, 2, 3, 4};
    struct stats_trend u;
    T_ASSERT_EQ_INT(stats_trend_fit(xs, ys, 6, &u), 0);
    T_ASSERT_NEAR(u.se_hac, t.se_hac, 1e-15);
}

T_TEST(stats_lag_rule)
{
    T_ASSERT_EQ_INT(stats_hac_lag(2), 0);
    T_ASSERT_EQ_INT(stats_hac_lag(3), 1);
    T_ASSERT_EQ_INT(stats_hac_lag(5), 2);
    T_ASSERT_EQ_INT(stats_hac_lag(27), 2);
    T_ASSERT_EQ_INT(stats_hac_lag(28), 3);
    T_ASSERT_EQ_INT(stats_hac_lag(100), 4);
}

T_TEST(stats_rise_and_fall)
{
    double x[20], up[20], down[20];
    for (int i = 0; i < 20; i++) {
        x[i] = 2000 + i;
        double wiggle = (i % 3 == 0 ? 0.3 : i % 3 == 1 ? -0.2 : -0.1);
        up[i] = 10 + 0.5 * i + wiggle;
        down[i] = 10 - 0.5 * i + wiggle;
    }
    struct stats_trend t;
    T_ASSERT_EQ_INT(stats_trend_fit(x, up, 20, &t), 0);
    T_ASSERT(t.slope > 0.45 && t.slope < 0.55);
    T_ASSERT(t.p_up < 1e-6);
    T_ASSERT(t.p_down > 0.99);
    T_ASSERT(!t.fell_since_peak);
    T_ASSERT(t.x_max >= 2018);
    T_ASSERT_EQ_INT(stats_trend_fit(x, down, 20, &t), 0);
    T_ASSERT(t.p_down < 1e-6);
    T_ASSERT(!t.rose_since_trough);
}

/* A series that rose to a peak in 2013 and fell every year since (the shape of Cambodia's debt
 * to China in the Horn-Reinhart-Trebesch data): the overall slope is positive and significant,
 * the last third (2012-2017) falls, and the shape says so. */
T_TEST(stats_reversal_is_seen)
{
    const double x[] = {2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008,
                        2009, 2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017};
    const double y[] = {2, 3, 4, 6, 8, 10, 13, 16, 20, 24, 28, 33, 38, 41.07, 38, 35, 32, 29.53};
    struct stats_trend t;
    T_ASSERT_EQ_INT(stats_trend_fit(x, y, 18, &t), 0);
    T_ASSERT(t.slope > 0);
    T_ASSERT(t.p_up < 0.05);
    T_ASSERT(t.fell_since_peak);
    T_ASSERT(!t.rose_since_trough);
    T_ASSERT_NEAR(t.x_max, 2013, 0);
    T_ASSERT_NEAR(t.y_max, 41.07, 1e-12);
    T_ASSERT(t.n_last >= 2);
    T_ASSERT(t.slope_last < 0);
}

/* No trend: alternating noise around a level; neither one-sided test rejects. */
T_TEST(stats_null_trend)
{
    double x[12], y[12];
    for (int i = 0; i < 12; i++) {
        x[i] = 1990 + i;
        y[i] = 0.9 + (i % 2 ? 0.02 : -0.02) + (i % 4 == 0 ? 0.01 : 0);
    }
    struct stats_trend t;
    T_ASSERT_EQ_INT(stats_trend_fit(x, y, 12, &t), 0);
    T_ASSERT(t.p_up > 0.05);
    T_ASSERT(t.p_down > 0.05);
}

/* Equivalence: a flat series bounds the slope inside a margin that a steep one exceeds. */
T_TEST(stats_equivalence_bounds_the_slope)
{
    double x[25], flat[25], steep[25];
    for (int i = 0; i < 25; i++) {
        x[i] = 1995 + i;
        double noise = (i * 7 % 5 - 2) * 0.004;
        flat[i] = 0.9 + noise;
        steep[i] = 0.5 + 0.02 * i + noise;
    }
    struct stats_trend t;
    double lo, hi;
    T_ASSERT_EQ_INT(stats_trend_fit(x, flat, 25, &t), 0);
    T_ASSERT(stats_trend_equivalent(&t, 0.005, 0.05, &lo, &hi));
    T_ASSERT(lo > -0.005 && hi < 0.005 && lo < t.slope && t.slope < hi);
    T_ASSERT(!stats_trend_equivalent(&t, 0.0001, 0.05, &lo, &hi));
    T_ASSERT_EQ_INT(stats_trend_fit(x, steep, 25, &t), 0);
    T_ASSERT(!stats_trend_equivalent(&t, 0.005, 0.05, &lo, &hi));
}

T_TEST(stats_too_few_points)
{
    const double x[] = {1, 2}, y[] = {1, 2};
    struct stats_trend t;
    T_ASSERT_EQ_INT(stats_trend_fit(x, y, 2, &t), -1);
    const double same_x[] = {3, 3, 3}, z[] = {1, 2, 3};
    T_ASSERT_EQ_INT(stats_trend_fit(same_x, z, 3, &t), -1);
    /* a perfect line: the sign is certain */
    const double lx[] = {1, 2, 3, 4}, ly[] = {2, 4, 6, 8};
    T_ASSERT_EQ_INT(stats_trend_fit(lx, ly, 4, &t), 0);
    T_ASSERT_NEAR(t.p_up, 0, 0);
    T_ASSERT_NEAR(t.p_down, 1, 0);
}

T_TEST(stats_quantiles_and_median)
{
    const double v[] = {1, 2, 3, 4, 5};
    T_ASSERT_NEAR(stats_quantile_sorted(v, 5, 0.5), 3, 0);
    T_ASSERT_NEAR(stats_quantile_sorted(v, 5, 0.25), 2, 0);
    T_ASSERT_NEAR(stats_quantile_sorted(v, 5, 0.1), 1.4, 1e-12);
    T_ASSERT_NEAR(stats_quantile_sorted(v, 5, 0), 1, 0);
    T_ASSERT_NEAR(stats_quantile_sorted(v, 5, 1), 5, 0);
    double w[] = {4, 1, 3, 2};
    T_ASSERT_NEAR(stats_median(w, 4), 2.5, 0);
}

T_TEST(stats_rng_reproducible)
{
    struct stats_rng *a = stats_rng_new(42), *b = stats_rng_new(42), *c = stats_rng_new(43);
    T_ASSERT(a && b && c);
    int same = 1, differ = 0;
    for (int i = 0; i < 100; i++) {
        uint64_t x = stats_rng_below(a, 1000), y = stats_rng_below(b, 1000),
                 z = stats_rng_below(c, 1000);
        same &= x == y;
        differ |= x != z;
        if (x >= 1000)
            same = 0;
    }
    stats_rng_free(a);
    stats_rng_free(b);
    stats_rng_free(c);
    T_ASSERT(same);
    T_ASSERT(differ);
}
