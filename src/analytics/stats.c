/*
 * stats.c: trends with Newey-West standard errors, equivalence tests, series shape, quantiles
 * and seeded random draws (stats.h).
 *
 * The t distribution comes from GSL; everything else is a few sums. Sums run over points sorted
 * by x, centred on the means, which keeps the arithmetic accurate for years (x near 2000).
 */
#include "analytics/stats.h"

#include "bilat.h"
#include "core/alloc.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void gsl_quiet(void)
{
    /* GSL's default handler aborts; every use here checks its own inputs */
    gsl_set_error_handler_off();
}

static void gsl_once(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, gsl_quiet);
}

int stats_hac_lag(size_t n)
{
    if (n < 3)
        return 0;
    int l = (int)floor(4.0 * pow((double)n / 100.0, 2.0 / 9.0));
    if (l > (int)n - 2)
        l = (int)n - 2;
    return l < 0 ? 0 : l;
}

struct pt {
    double x, y;
};

static int cmp_pt(const void *a, const void *b)
{
    double x = ((const struct pt *)a)->x, y = ((const struct pt *)b)->x;
    return (x > y) - (x < y);
}

/* OLS of the points p[0..n): slope, intercept and the centred sums the variance needs. */
static void ols(const struct pt *p, size_t n, double *slope, double *icpt, double *sxx)
{
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += p[i].x;
        my += p[i].y;
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0;
    *sxx = 0;
    for (size_t i = 0; i < n; i++) {
        *sxx += (p[i].x - mx) * (p[i].x - mx);
        sxy += (p[i].x - mx) * (p[i].y - my);
    }
    *slope = *sxx > 0 ? sxy / *sxx : 0;
    *icpt = my - *slope * mx;
}

int stats_trend_fit(const double *x, const double *y, size_t n, struct stats_trend *out)
{
    memset(out, 0, sizeof(*out));
    out->p_up = out->p_down = 1;
    if (n < 3)
        return -1;
    gsl_once();
    struct pt *p = bilat_alloc_array(n, sizeof(*p));
    double *u = bilat_alloc_array(n, sizeof(*u)); /* xc_i * e_i */
    if (!p || !u) {
        bilat_free(p);
        bilat_free(u);
        return -2;
    }
    for (size_t i = 0; i < n; i++)
        p[i] = (struct pt){x[i], y[i]};
    qsort(p, n, sizeof(*p), cmp_pt);
    int rc = 0;
    double sxx, b, a;
    ols(p, n, &b, &a, &sxx);
    if (!(sxx > 0)) {
        rc = -1;
        goto out;
    }
    out->n = n;
    out->slope = b;
    out->intercept = a;
    out->df = (double)(n - 2);
    double mx = 0;
    for (size_t i = 0; i < n; i++)
        mx += p[i].x;
    mx /= (double)n;
    double sse = 0;
    for (size_t i = 0; i < n; i++) {
        double e = p[i].y - (a + b * p[i].x);
        sse += e * e;
        u[i] = (p[i].x - mx) * e;
    }
    out->se_ols = sqrt(sse / out->df / sxx);
    int lag = stats_hac_lag(n);
    double meat = 0;
    for (size_t i = 0; i < n; i++)
        meat += u[i] * u[i];
    for (int l = 1; l <= lag; l++) {
        double w = 1.0 - (double)l / (double)(lag + 1), s = 0;
        for (size_t i = (size_t)l; i < n; i++)
            s += u[i] * u[i - (size_t)l];
        meat += 2.0 * w * s;
    }
    out->lag = lag;
    out->se_hac = meat > 0 ? sqrt(meat) / sxx : 0;
    if (out->se_hac > 0 && isfinite(out->se_hac)) {
        double t = b / out->se_hac;
        out->p_up = gsl_cdf_tdist_Q(t, out->df);
        out->p_down = gsl_cdf_tdist_P(t, out->df);
    } else {
        /* residuals all zero: a perfect line, whose sign is certain (a flat one shows nothing) */
        out->se_hac = 0;
        out->p_up = b > 0 ? 0 : 1;
        out->p_down = b < 0 ? 0 : 1;
    }
    /* shape */
    out->x_first = p[0].x;
    out->x_last = p[n - 1].x;
    out->y_last = p[n - 1].y;
    out->y_max = out->y_min = p[0].y;
    out->x_max = out->x_min = p[0].x;
    for (size_t i = 1; i < n; i++) {
        if (p[i].y > out->y_max) {
            out->y_max = p[i].y;
            out->x_max = p[i].x;
        }
        if (p[i].y < out->y_min) {
            out->y_min = p[i].y;
            out->x_min = p[i].x;
        }
    }
    double cut = p[0].x + (p[n - 1].x - p[0].x) * 2.0 / 3.0; /* start of the last third */
    size_t first_last = n;
    for (size_t i = 0; i < n; i++)
        if (p[i].x >= cut) {
            first_last = i;
            break;
        }
    out->n_last = n - first_last;
    if (out->n_last >= 2) {
        double sxx_last, icpt_last;
        ols(p + first_last, out->n_last, &out->slope_last, &icpt_last, &sxx_last);
    }
    out->fell_since_peak = out->n_last >= 3 && out->slope_last < 0 && out->x_max < out->x_last &&
                           out->y_last < out->y_max;
    out->rose_since_trough = out->n_last >= 3 && out->slope_last > 0 &&
                             out->x_min < out->x_last && out->y_last > out->y_min;
out:
    bilat_free(p);
    bilat_free(u);
    return rc;
}

void stats_trend_interval(const struct stats_trend *t, double alpha, double *lo, double *hi)
{
    gsl_once();
    double q = t->df > 0 ? gsl_cdf_tdist_Qinv(alpha / 2, t->df) : 0;
    *lo = t->slope - q * t->se_hac;
    *hi = t->slope + q * t->se_hac;
}

bool stats_trend_equivalent(const struct stats_trend *t, double delta, double alpha, double *lo,
                            double *hi)
{
    /* the (1 - 2 alpha) interval: both one-sided tests at level alpha */
    stats_trend_interval(t, 2 * alpha, lo, hi);
    return delta > 0 && *lo > -delta && *hi < delta;
}

double stats_quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 1 || q <= 0)
        return v[0];
    if (q >= 1)
        return v[n - 1];
    double h = (double)(n - 1) * q;
    size_t i = (size_t)floor(h);
    double f = h - (double)i;
    return i + 1 < n ? v[i] + f * (v[i + 1] - v[i]) : v[i];
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double stats_median(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
    return stats_quantile_sorted(v, n, 0.5);
}

/* ------------------------------------------------------------------------------------------ */
/* Random draws: a thin wrapper so that callers need not include GSL's headers. */

struct stats_rng *stats_rng_new(uint64_t seed)
{
    gsl_once();
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (g)
        gsl_rng_set(g, (unsigned long)seed);
    return (struct stats_rng *)g;
}

void stats_rng_free(struct stats_rng *r)
{
    if (r)
        gsl_rng_free((gsl_rng *)r);
}

uint64_t stats_rng_below(struct stats_rng *r, uint64_t n)
{
    return gsl_rng_uniform_int((const gsl_rng *)r, (unsigned long)n);
}

void stats_rng_multinomial(struct stats_rng *r, size_t k, unsigned n, const double *w,
                           unsigned *out)
{
    gsl_ran_multinomial((const gsl_rng *)r, k, n, w, out);
}
