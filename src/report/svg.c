/*
 * svg.c: chart geometry. Axes use "nice" steps (1, 2 or 5 times a power of ten) so that tick
 * labels are round numbers; coordinates are printed with one decimal to keep files small.
 */
#include "report/svg.h"

#include "analytics/table.h"
#include "core/alloc.h"
#include "core/err.h"
#include "report/escape.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const channel_colors[][2] = {
    {"party", "#c0392b"},    {"government", "#2c6fbb"}, {"legislature", "#8e44ad"},
    {"military", "#2e7d32"}, {"business", "#e67e22"},   {"people", "#16a085"},
};
static const char *const palette[] = {"#7f8c8d", "#d35400", "#27ae60", "#2980b9",
                                      "#8e44ad", "#f39c12", "#1abc9c", "#34495e"};

const char *svg_color(const char *cat, size_t index)
{
    for (size_t i = 0; cat && i < sizeof(channel_colors) / sizeof(channel_colors[0]); i++)
        if (strcmp(cat, channel_colors[i][0]) == 0)
            return channel_colors[i][1];
    if (!cat)
        return "#95a5a6";
    return palette[index % (sizeof(palette) / sizeof(palette[0]))];
}

/* Order of categories: known channels first in their fixed order, then others by name. */
static int cat_rank(const char *c)
{
    for (size_t i = 0; c && i < sizeof(channel_colors) / sizeof(channel_colors[0]); i++)
        if (strcmp(c, channel_colors[i][0]) == 0)
            return (int)i;
    return c ? 100 : 1000;
}

static int cat_cmp(const char *a, const char *b)
{
    int ra = cat_rank(a), rb = cat_rank(b);
    if (ra != rb)
        return ra - rb;
    if (!a || !b)
        return 0;
    return strcmp(a, b);
}

static double nice_step(double range, int ticks)
{
    if (range <= 0)
        return 1;
    double raw = range / ticks;
    double p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return n * p;
}

/* Short label of a tick value: 1.2k, 3M, 4.5bn. */
static void tick_label(char out[32], double v)
{
    double a = fabs(v);
    if (a >= 1e9)
        snprintf(out, 32, "%gbn", v / 1e9);
    else if (a >= 1e6)
        snprintf(out, 32, "%gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(out, 32, "%gk", v / 1e3);
    else
        snprintf(out, 32, "%g", v);
}

/* Horizontal grid lines of a y axis from bot to top every step (pixel y of a value: mt + ph
 * at bot, mt at top), from x0 to x1, labelled at label_x (the labels' right end). */
static int y_grid(struct bilat_buf *b, double bot, double top, double step, double mt, double ph,
                  double x0, double x1, double label_x)
{
    for (double t = bot; t <= top + step / 2; t += step) {
        char lab[32];
        tick_label(lab, fabs(t) < step / 1e6 ? 0 : t);
        double y = mt + ph - (t - bot) / (top - bot) * ph;
        BILAT_TRY(bilat_buf_addf(b,
                                 "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                 "class=\"grid\"/><text x=\"%.1f\" y=\"%.1f\" class=\"yl\">"
                                 "%s</text>\n",
                                 x0, y, x1, y, label_x, y + 4, lab));
    }
    return 0;
}

/* The y axis's title, with its unit, up the left edge at x. */
static int y_title(struct bilat_buf *b, double x, double y, const char *text)
{
    BILAT_TRY(bilat_buf_addf(b,
                             "<text class=\"cu\" transform=\"translate(%.0f %.1f) "
                             "rotate(-90)\" style=\"text-anchor:middle\">",
                             x, y));
    BILAT_TRY(html_escape(b, text));
    return bilat_buf_adds(b, "</text>\n");
}

/* The opening tag of a chart of class "chart CLS" (CLS may be ""), labelled for screen readers
 * by `label`. */
static int svg_open(struct bilat_buf *b, const char *cls, double W, double H, const char *label)
{
    int rc = bilat_buf_addf(b,
                            "<svg class=\"chart%s%s\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                            "aria-label=\"",
                            *cls ? " " : "", cls, W, H);
    if (rc == 0)
        rc = html_escape(b, label);
    if (rc == 0)
        rc = bilat_buf_adds(b, "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    return rc;
}

/* The chart's title line at its top (NULL: an empty line). */
static int svg_title(struct bilat_buf *b, const char *title)
{
    int rc = bilat_buf_adds(b, "<text x=\"4\" y=\"16\" class=\"ct\">");
    if (rc == 0)
        rc = html_escape(b, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "</text>\n");
    return rc;
}

enum { MAX_CATS = 16, MAX_YEARS = 400 };

/* The column that a section's chart names for `role` ("x", "y", "label"...), or -1. */
static int chart_col(const json_t *sec, const char *role)
{
    const json_t *chart = json_object_get(sec, "chart");
    return table_col(sec, json_string_value(json_object_get(chart, role)));
}

int svg_stacked_bar(struct bilat_buf *b, const json_t *sec, const char *href)
{
    const json_t *chart = json_object_get(sec, "chart");
    int xi = chart_col(sec, "x");
    int si = chart_col(sec, "stack");
    int yi = chart_col(sec, "y");
    const json_t *rows = json_object_get(sec, "rows");
    if (xi < 0 || si < 0 || yi < 0 || json_array_size(rows) == 0)
        return 0;
    /* categories and year span */
    const char *cats[MAX_CATS];
    size_t ncat = 0;
    int y0 = 9999, y1 = 0;
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        int year = (int)json_integer_value(json_array_get(row, (size_t)xi));
        if (year < y0)
            y0 = year;
        if (year > y1)
            y1 = year;
        const char *c = json_string_value(json_array_get(row, (size_t)si));
        int seen = 0;
        for (size_t k = 0; k < ncat; k++)
            seen |= (c && cats[k] && strcmp(c, cats[k]) == 0) || (!c && !cats[k]);
        if (!seen && ncat < MAX_CATS)
            cats[ncat++] = c;
    }
    if (y1 - y0 + 1 > MAX_YEARS)
        y0 = y1 - MAX_YEARS + 1;
    for (size_t a = 1; a < ncat; a++)
        for (size_t k = a; k > 0 && cat_cmp(cats[k - 1], cats[k]) > 0; k--) {
            const char *t = cats[k];
            cats[k] = cats[k - 1];
            cats[k - 1] = t;
        }
    size_t ny = (size_t)(y1 - y0 + 1);
    double *v = bilat_calloc(ny * MAX_CATS, sizeof(double));
    if (!v)
        return BILAT_ENOMEM;
    json_array_foreach(rows, i, row)
    {
        int year = (int)json_integer_value(json_array_get(row, (size_t)xi));
        if (year < y0)
            continue;
        const char *c = json_string_value(json_array_get(row, (size_t)si));
        for (size_t k = 0; k < ncat; k++)
            if ((c && cats[k] && strcmp(c, cats[k]) == 0) || (!c && !cats[k]))
                v[(size_t)(year - y0) * MAX_CATS + k] +=
                    json_number_value(json_array_get(row, (size_t)yi));
    }
    double max = 0;
    for (size_t y = 0; y < ny; y++) {
        double t = 0;
        for (size_t k = 0; k < ncat; k++)
            t += v[y * MAX_CATS + k];
        if (t > max)
            max = t;
    }
    const double W = 760, H = 300, ml = 44, mr = 12, mt = 14, mb = 56;
    double step = nice_step(max, 5);
    double top = ceil(max / step) * step;
    if (top <= 0)
        top = 1;
    double pw = W - ml - mr, ph = H - mt - mb, bw = pw / (double)ny;
    const char *title = json_string_value(json_object_get(chart, "title"));
    const char *ytitle = json_string_value(json_object_get(chart, "y_title"));
    int rc = svg_open(b, "", W, H, title ? title : "chart");
    if (rc == 0 && ytitle)
        rc = y_title(b, 10, mt + ph / 2, ytitle);
    /* grid and y labels */
    if (rc == 0)
        rc = y_grid(b, 0, top, step, mt, ph, ml, W - mr, ml - 6);
    /* bars */
    int every = ny > 40 ? 5 : ny > 16 ? 2 : 1;
    for (size_t y = 0; rc == 0 && y < ny; y++) {
        double acc = 0;
        double x = ml + (double)y * bw + bw * 0.12;
        for (size_t k = 0; rc == 0 && k < ncat; k++) {
            double val = v[y * MAX_CATS + k];
            if (val <= 0)
                continue;
            double h = val / top * ph;
            double yy = mt + ph - (acc + val) / top * ph;
            acc += val;
            char num[32];
            fmt_number(num, val);
            if (href)
                rc = bilat_buf_addf(b, "<a href=\"%s%d\">", href, y0 + (int)y);
            if (rc == 0)
                rc = bilat_buf_addf(b,
                                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                    "fill=\"%s\" data-year=\"%d\" data-value=\"%s\"><title>%d ",
                                    x, yy, bw * 0.76, h, svg_color(cats[k], k), y0 + (int)y, num,
                                    y0 + (int)y);
            if (rc == 0)
                rc = html_escape(b, cats[k] ? cats[k] : "unspecified");
            if (rc == 0)
                rc = bilat_buf_addf(b, ": %s</title></rect>%s\n", num, href ? "</a>" : "");
        }
        if (rc == 0 && (y % (size_t)every == 0))
            rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%d</text>\n",
                                ml + (double)y * bw + bw / 2, mt + ph + 16, y0 + (int)y);
    }
    if (rc == 0)
        rc = bilat_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                               "class=\"axis\"/>\n",
                            ml, mt + ph, W - mr, mt + ph);
    /* legend */
    double lx = ml;
    for (size_t k = 0; rc == 0 && k < ncat; k++) {
        const char *name = cats[k] ? cats[k] : "unspecified";
        rc = bilat_buf_addf(b,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" "
                            "fill=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" class=\"lg\">",
                            lx, H - 20, svg_color(cats[k], k), lx + 16, H - 10);
        if (rc == 0)
            rc = html_escape(b, name);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>\n");
        lx += 24 + 7.5 * (double)strlen(name);
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    bilat_free(v);
    return rc;
}

/* A line of points broken into pieces: add (x, y) to the open piece, or open one with `head`
 * (the polyline's start tag up to its points attribute). *open tells whether one is open. */
static int polyline_point(struct bilat_buf *b, int *open, const char *head, double x, double y)
{
    BILAT_TRY(*open ? bilat_buf_addch(b, ' ') : bilat_buf_adds(b, head));
    *open = 1;
    return bilat_buf_addf(b, "%.1f,%.1f", x, y);
}

/* Close the open piece of a line, if any. */
static int polyline_end(struct bilat_buf *b, int *open)
{
    if (!*open)
        return 0;
    *open = 0;
    return bilat_buf_adds(b, "\"/>\n");
}

int svg_line(struct bilat_buf *b, const char *title, const char *unit,
             const struct svg_point *pts, size_t n)
{
    if (n == 0)
        return 0;
    const double W = 360, H = 200, ml = 48, mr = 10, mt = 30, mb = 24;
    int x0 = pts[0].year, x1 = pts[0].year;
    double lo = 0, hi = 0;
    int any = 0, band = 0;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].year < x0)
            x0 = pts[i].year;
        if (pts[i].year > x1)
            x1 = pts[i].year;
        if (!pts[i].has)
            continue;
        double a = pts[i].has_ci ? pts[i].lo : pts[i].y, z = pts[i].has_ci ? pts[i].hi : pts[i].y;
        if (!any || a < lo)
            lo = a;
        if (!any || z > hi)
            hi = z;
        any = 1;
        band |= pts[i].has_ci;
    }
    if (band) {
        /* a value with its interval (agreement near 0.9): scaled to the data, so the band shows */
        double pad = (hi - lo) * 0.1;
        lo -= pad > 0 ? pad : 0.01;
        hi += pad > 0 ? pad : 0.01;
    } else {
        if (lo > 0)
            lo = 0; /* bars of meaning start at zero; negative values extend below */
        if (hi < 0)
            hi = 0;
    }
    double step = nice_step(hi - lo, 4);
    double bot = floor(lo / step) * step, top = ceil(hi / step) * step;
    if (top <= bot)
        top = bot + 1;
    double pw = W - ml - mr, ph = H - mt - mb;
    double xspan = x1 > x0 ? (double)(x1 - x0) : 1;
#define XP(yr) (ml + ((double)((yr) - x0)) / xspan * pw)
#define YP(v) (mt + ph - ((v) - bot) / (top - bot) * ph)
    int rc = svg_open(b, "small", W, H, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "<text x=\"4\" y=\"14\" class=\"ct\">");
    if (rc == 0)
        rc = html_escape(b, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "</text><text x=\"4\" y=\"26\" class=\"cu\">");
    if (rc == 0)
        rc = html_escape(b, unit ? unit : "");
    if (rc == 0)
        rc = bilat_buf_adds(b, "</text>\n");
    if (rc == 0)
        rc = y_grid(b, bot, top, step, mt, ph, ml, W - mr, ml - 4);
    if (rc == 0)
        rc = bilat_buf_addf(b,
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\" "
                            "style=\"text-anchor:start\">%d</text>"
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\" "
                            "style=\"text-anchor:end\">%d</text>\n",
                            XP(x0) - 8, H - 6, x0, XP(x1) + 8, H - 6, x1);
    /* the interval band: one polygon per run of consecutive years with an interval */
    for (size_t i = 0; rc == 0 && band && i < n;) {
        if (!pts[i].has || !pts[i].has_ci) {
            i++;
            continue;
        }
        size_t j = i;
        while (j + 1 < n && pts[j + 1].has && pts[j + 1].has_ci && pts[j + 1].year == pts[j].year + 1)
            j++;
        rc = bilat_buf_adds(b, "<polygon class=\"band\" fill=\"#2c6fbb\" fill-opacity=\"0.18\" "
                               "points=\"");
        for (size_t k = i; rc == 0 && k <= j; k++)
            rc = bilat_buf_addf(b, "%.1f,%.1f ", XP(pts[k].year), YP(pts[k].hi));
        for (size_t k = j + 1; rc == 0 && k-- > i;)
            rc = bilat_buf_addf(b, "%.1f,%.1f ", XP(pts[k].year), YP(pts[k].lo));
        if (rc == 0)
            rc = bilat_buf_adds(b, "\"/>\n");
        i = j + 1;
    }
    /* the line, broken at missing values and at years missing from the points (a gap is
     * unknown, and a line across it would invent the years between) */
    int open = 0, last_year = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!pts[i].has || (open && pts[i].year > last_year + 1)) {
            rc = polyline_end(b, &open);
            if (!pts[i].has)
                continue;
        }
        last_year = pts[i].year;
        rc = polyline_point(b, &open, "<polyline class=\"ln\" points=\"", XP(pts[i].year),
                            YP(pts[i].y));
    }
    if (rc == 0)
        rc = polyline_end(b, &open);
    int missing = 0;
    /* years inside the range without a point: marked as missing, like a point without value */
    for (int yr = x0 + 1; rc == 0 && yr < x1 && x1 - x0 < 400; yr++) {
        int have = 0;
        for (size_t i = 0; i < n && !have; i++)
            have = pts[i].year == yr;
        if (have)
            continue;
        rc = bilat_buf_addf(b,
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"miss\">&#215;<title>%d: "
                            "no data</title></text>\n",
                            XP(yr), mt + ph + 11, yr);
        missing = 1;
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char num[32];
        if (!pts[i].has) {
            /* below the axis, off the data scale: a missing year is not a zero */
            rc = bilat_buf_addf(b,
                                "<text x=\"%.1f\" y=\"%.1f\" class=\"miss\">&#215;<title>%d: "
                                "no data</title></text>\n",
                                XP(pts[i].year), mt + ph + 11, pts[i].year);
            missing = 1;
            continue;
        }
        fmt_number(num, pts[i].y);
        rc = bilat_buf_addf(b,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.6\" class=\"pt\" "
                            "data-year=\"%d\" data-value=\"%s\"><title>%d: %s</title></circle>\n",
                            XP(pts[i].year), YP(pts[i].y), pts[i].year, num, pts[i].year, num);
    }
#undef XP
#undef YP
    if (rc == 0 && missing)
        rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"miss\" "
                               "style=\"text-anchor:end\">&#215; no data</text>\n",
                            W - mr, 26.0);
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Several series on the same axes                                                            */

/* A series palette that stays readable in print: ten distinct hues. */
static const char *const series_colors[] = {"#2c6fbb", "#c0392b", "#2e7d32", "#e67e22",
                                            "#8e44ad", "#16a085", "#7f8c8d", "#d35400",
                                            "#1a237e", "#b7950b"};

const char *svg_series_color(const char *name, size_t index)
{
    for (size_t i = 0; name && i < sizeof(channel_colors) / sizeof(channel_colors[0]); i++)
        if (strcmp(name, channel_colors[i][0]) == 0)
            return channel_colors[i][1];
    return series_colors[index % (sizeof(series_colors) / sizeof(series_colors[0]))];
}

/*
 * x value of a cell: a number, or a period as text: a year ("2019"), a month ("2019-04" is
 * 2019 + 3/12), a quarter ("2019-Q2" is 2019 + 1/4), or a longer date (its year and month).
 */
static int x_value(const json_t *v, double *out)
{
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return 1;
    }
    const char *s = json_string_value(v);
    if (!s || strlen(s) < 4)
        return 0;
    for (int i = 0; i < 4; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    if (s[4] && s[4] != '-')
        return 0;
    *out = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (s[4] == '-' && s[5] == 'Q' && s[6] >= '1' && s[6] <= '4')
        *out += (s[6] - '1') / 4.0;
    else if (s[4] == '-' && s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9') {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m >= 1 && m <= 12)
            *out += (m - 1) / 12.0;
    }
    return 1;
}

/* Series key of a row: the values of the series columns joined by " / ". */
static void series_key(const json_t *row, const int *cols, size_t nc, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t k = 0; k < nc; k++) {
        const json_t *v = json_array_get(row, (size_t)cols[k]);
        char num[32];
        const char *s = json_string_value(v);
        if (!s && json_is_number(v)) {
            fmt_number(num, json_number_value(v));
            s = num;
        }
        size_t used = strlen(out);
        snprintf(out + used, len - used, "%s%s", k ? " / " : "", s ? s : "(none)");
    }
}

enum { ML_MAX_SERIES = 12, ML_KEY = 96 };

struct ml_point {
    double x, y;
    int has;
    size_t series;
    char xl[32]; /* x as the table gives it ("2019-04"), for tooltips */
};

static int cmp_point(const void *pa, const void *pb)
{
    const struct ml_point *a = pa, *b = pb;
    if (a->series != b->series)
        return a->series < b->series ? -1 : 1;
    return (a->x > b->x) - (a->x < b->x);
}

/* A chart's points and series, read from the table's rows. */
struct ml_data {
    char (*keys)[ML_KEY];   /* the series' names, in order of appearance */
    struct ml_point *pts;   /* one per row with an x */
    size_t nk, np, dropped; /* series, points, rows of series past ML_MAX_SERIES */
    double x0, x1, lo, hi;  /* the ranges of x and of the values */
    int anyx, anyy;         /* an x, a value seen */
};

/* Read the rows of `sec` into `d` (its arrays sized for every row and ML_MAX_SERIES keys). */
static void ml_read(const json_t *sec, int xi, int yi, const int *sc, size_t nsc,
                    struct ml_data *d)
{
    const json_t *rows = json_object_get(sec, "rows");
    for (size_t r = 0; r < json_array_size(rows); r++) {
        const json_t *row = json_array_get(rows, r);
        double x;
        if (!x_value(json_array_get(row, (size_t)xi), &x))
            continue;
        char key[ML_KEY];
        series_key(row, sc, nsc, key, sizeof(key));
        size_t s = 0;
        while (s < d->nk && strcmp(d->keys[s], key) != 0)
            s++;
        if (s == d->nk) {
            if (d->nk == ML_MAX_SERIES) {
                d->dropped++;
                continue;
            }
            snprintf(d->keys[d->nk++], ML_KEY, "%s", key);
        }
        const json_t *v = json_array_get(row, (size_t)yi);
        const json_t *xv = json_array_get(row, (size_t)xi);
        if (json_is_string(xv))
            snprintf(d->pts[d->np].xl, sizeof(d->pts[d->np].xl), "%s", json_string_value(xv));
        else
            fmt_number(d->pts[d->np].xl, x);
        d->pts[d->np].x = x;
        d->pts[d->np].series = s;
        d->pts[d->np].has = json_is_number(v);
        d->pts[d->np].y = d->pts[d->np].has ? json_number_value(v) : 0;
        if (!d->anyx || x < d->x0)
            d->x0 = x;
        if (!d->anyx || x > d->x1)
            d->x1 = x;
        d->anyx = 1;
        if (d->pts[d->np].has) {
            if (!d->anyy || d->pts[d->np].y < d->lo)
                d->lo = d->pts[d->np].y;
            if (!d->anyy || d->pts[d->np].y > d->hi)
                d->hi = d->pts[d->np].y;
            d->anyy = 1;
        }
        d->np++;
    }
}

/* Where a chart's values go: the plot's left edge and width, x's range, the plot's top and
 * height, the axis' bottom and top. */
struct ml_axes {
    double ml, x0, xspan, pw, mt, ph, bot, top;
};

#define AX(v) (a->ml + ((v)-a->x0) / a->xspan * a->pw)
#define AY(v) (a->mt + a->ph - ((v)-a->bot) / (a->top - a->bot) * a->ph)

/* "KEY, X" of a point, escaped (inside its <title>). */
static int point_title(struct bilat_buf *b, const char *key, const char *x)
{
    BILAT_TRY(html_escape(b, key));
    BILAT_TRY(bilat_buf_adds(b, ", "));
    return html_escape(b, x);
}

/* A point of series `key` drawn in `col`: a circle with its value, or, for a missing value, a
 * mark below the axis, off the data scale (*any_missing set). */
static int ml_dot(struct bilat_buf *b, const struct ml_axes *a, const struct ml_point *p,
                  const char *key, const char *col, int *any_missing)
{
    if (!p->has) {
        *any_missing = 1;
        BILAT_TRY(bilat_buf_addf(b,
                                 "<text x=\"%.1f\" y=\"%.1f\" class=\"miss\" fill=\"%s\">"
                                 "&#215;<title>",
                                 AX(p->x), a->mt + a->ph + 9, col));
        BILAT_TRY(point_title(b, key, p->xl));
        return bilat_buf_adds(b, ": no data</title></text>\n");
    }
    char num[32];
    fmt_number(num, p->y);
    BILAT_TRY(bilat_buf_addf(b,
                             "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.8\" fill=\"%s\" "
                             "data-series=\"",
                             AX(p->x), AY(p->y), col));
    BILAT_TRY(html_escape(b, key));
    BILAT_TRY(bilat_buf_adds(b, "\" data-x=\""));
    BILAT_TRY(html_escape(b, p->xl));
    BILAT_TRY(bilat_buf_addf(b, "\" data-value=\"%s\"><title>", num));
    BILAT_TRY(point_title(b, key, p->xl));
    return bilat_buf_addf(b, ": %s</title></circle>\n", num);
}

/* Series `s` (named `key`): its line, broken at missing values and at gaps longer than 1.5
 * steps, then its points with their values and its missing values (*any_missing set). */
static int ml_series(struct bilat_buf *b, const struct ml_axes *a, const struct ml_point *pts,
                     size_t np, const char *key, size_t s, double step_x, int *any_missing)
{
    int rc = 0;
    const char *col = svg_series_color(key, s);
    char head[96]; /* opens the series' line */
    snprintf(head, sizeof(head), "<polyline class=\"mln\" stroke=\"%s\" points=\"", col);
    int open = 0;
    double last_x = 0;
    for (size_t i = 0; rc == 0 && i < np; i++) {
        if (pts[i].series != s)
            continue;
        if (step_x > 0 && pts[i].x - last_x > 1.5 * step_x)
            rc = polyline_end(b, &open);
        last_x = pts[i].x;
        if (rc < 0)
            break;
        if (!pts[i].has) {
            rc = polyline_end(b, &open);
            continue;
        }
        rc = polyline_point(b, &open, head, AX(pts[i].x), AY(pts[i].y));
    }
    if (rc == 0)
        rc = polyline_end(b, &open);
    for (size_t i = 0; rc == 0 && i < np; i++)
        if (pts[i].series == s)
            rc = ml_dot(b, a, &pts[i], key, col, any_missing);
#undef AX
#undef AY
    return rc;
}

/* Dashed verticals with a label at the chart's marks (where a seat changed hands) in x0..x1. */
static int ml_marks(struct bilat_buf *b, const struct ml_axes *a, const json_t *marks, double x1)
{
#define AX(v) (a->ml + ((v) - a->x0) / a->xspan * a->pw)
    int rc = 0;
    size_t mi;
    const json_t *mk;
    json_array_foreach(marks, mi, mk)
    {
        double mxv = json_number_value(json_object_get(mk, "x"));
        const char *ml_ = json_string_value(json_object_get(mk, "label"));
        if (rc < 0 || mxv < a->x0 || mxv > x1)
            continue;
        rc = bilat_buf_addf(b,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                            "stroke=\"#8a949e\" stroke-dasharray=\"4 3\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"cu\">",
                            AX(mxv), a->mt, AX(mxv), a->mt + a->ph, AX(mxv) + 4, a->mt + 10);
        if (rc == 0)
            rc = html_escape(b, ml_ ? ml_ : "");
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>\n");
    }
#undef AX
    return rc;
}

/* The legend: a line of each series' colour and its name, as many to a row as fit between
 * `ml` and `right`, the first row at `ly`. */
static int ml_legend(struct bilat_buf *b, char (*keys)[ML_KEY], size_t nk, double ml, double ly,
                     double right)
{
    int rc = 0;
    double lx = ml;
    for (size_t s = 0; rc == 0 && s < nk; s++) {
        double w = 28 + 7.0 * (double)strlen(keys[s]);
        if (lx + w > right && lx > ml) {
            ly += 20;
            lx = ml;
        }
        rc = bilat_buf_addf(b,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                            "stroke-width=\"3\"/><text x=\"%.1f\" y=\"%.1f\" class=\"lg\">",
                            lx, ly - 4, lx + 16, ly - 4, svg_series_color(keys[s], s), lx + 20,
                            ly);
        if (rc == 0)
            rc = html_escape(b, keys[s]);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>\n");
        lx += w;
    }
    return rc;
}

/* The y axis of values lo..hi: its step and its ends, from zero unless the chart's scale is
 * "data", never past the measure's own bounds (y_min, y_max). */
static void ml_yrange(const json_t *chart, double lo, double hi, double *step, double *bot,
                      double *top)
{
    /* counts start at zero; a comparison of values in a narrow band (agreement 0.85 to 0.95)
     * is scaled to the data ("scale": "data"), or its differences would vanish */
    const char *scale = json_string_value(json_object_get(chart, "scale"));
    if (scale && strcmp(scale, "data") == 0) {
        double pad = (hi - lo) * 0.1;
        if (pad <= 0)
            pad = fabs(hi) * 0.05 + 1e-9;
        lo -= pad;
        hi += pad;
    } else {
        if (lo > 0)
            lo = 0;
        if (hi < 0)
            hi = 0;
    }
    *step = nice_step(hi - lo, 5);
    *bot = floor(lo / *step) * *step;
    *top = ceil(hi / *step) * *step;
    /* a measure's own bounds (agreement lies in 0..1) are never passed by the axis */
    const json_t *ymax = json_object_get(chart, "y_max"), *ymin = json_object_get(chart, "y_min");
    if (json_is_number(ymax) && *top > json_number_value(ymax))
        *top = json_number_value(ymax);
    if (json_is_number(ymin) && *bot < json_number_value(ymin))
        *bot = json_number_value(ymin);
    if (*top <= *bot)
        *top = *bot + 1;
}

int svg_multi_lines(struct bilat_buf *b, const json_t *sec)
{
    const json_t *chart = json_object_get(sec, "chart");
    int xi = chart_col(sec, "x");
    int yi = chart_col(sec, "y");
    const json_t *ser = json_object_get(chart, "series");
    int sc[4];
    size_t nsc = 0;
    if (json_is_string(ser)) {
        sc[nsc++] = table_col(sec, json_string_value(ser));
    } else {
        size_t k;
        const json_t *v;
        json_array_foreach(ser, k, v) if (nsc < 4) sc[nsc++] = table_col(sec, json_string_value(v));
    }
    for (size_t k = 0; k < nsc; k++)
        if (sc[k] < 0)
            return 0;
    const json_t *rows = json_object_get(sec, "rows");
    size_t nr = json_array_size(rows);
    if (xi < 0 || yi < 0 || nr == 0)
        return 0;
    char (*keys)[ML_KEY] = bilat_calloc(ML_MAX_SERIES, ML_KEY);
    struct ml_point *pts = bilat_calloc(nr, sizeof(*pts));
    if (!keys || !pts) {
        bilat_free(keys);
        bilat_free(pts);
        return BILAT_ENOMEM;
    }
    struct ml_data d = {.keys = keys, .pts = pts};
    ml_read(sec, xi, yi, sc, nsc, &d);
    size_t nk = d.nk, np = d.np, dropped = d.dropped;
    double x0 = d.x0, x1 = d.x1, lo = d.lo, hi = d.hi;
    int anyy = d.anyy, any_missing = 0;
    int rc = 0;
    if (!anyy)
        goto out;
    qsort(pts, np, sizeof(*pts), cmp_point);
    double step, bot, top;
    ml_yrange(chart, lo, hi, &step, &bot, &top);
    /* legend rows: as many entries per row as fit */
    const double W = 760, ml = 52, mr = 28, mt = 26, ph = 240;
    double lx = ml, ly = mt + ph + 40;
    size_t legend_rows = 1;
    for (size_t s = 0; s < nk; s++) {
        double w = 28 + 7.0 * (double)strlen(keys[s]);
        if (lx + w > W - mr && lx > ml) {
            legend_rows++;
            lx = ml;
        }
        lx += w;
    }
    const char *caption = json_string_value(json_object_get(chart, "caption"));
    double H = mt + ph + 30 + 20.0 * (double)legend_rows + 8 + (caption ? 18 : 0);
    double pw = W - ml - mr;
    double xspan = x1 > x0 ? x1 - x0 : 1;
#define MX(v) (ml + ((v) - x0) / xspan * pw)
#define MY(v) (mt + ph - ((v) - bot) / (top - bot) * ph)
    const char *title = json_string_value(json_object_get(chart, "title"));
    const char *ytitle = json_string_value(json_object_get(chart, "y_title"));
    rc = svg_open(b, "multi", W, H, title ? title : "chart");
    if (rc == 0 && title)
        rc = svg_title(b, title);
    if (rc == 0 && ytitle)
        rc = y_title(b, 11, mt + ph / 2, ytitle);
    if (rc == 0)
        rc = y_grid(b, bot, top, step, mt, ph, ml, W - mr, ml - 6);
    /* x ticks: months on spans under three years of monthly data, else every year on short
     * spans, or every 2, 5 or 10 years */
    double span = x1 - x0;
    int monthly = 0;
    for (size_t i = 0; i < np && !monthly; i++)
        monthly = pts[i].x != floor(pts[i].x);
    if (monthly && span < 3) {
        long m0 = (long)ceil(x0 * 12 - 1e-6), m1 = (long)floor(x1 * 12 + 1e-6);
        long every = (m1 - m0) / 8 + 1;
        for (long m = m0; rc == 0 && m <= m1; m += every)
            rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%ld-%02ld</text>\n",
                                MX(m / 12.0), mt + ph + 16, m / 12, m % 12 + 1);
    } else {
        double xs = span <= 16 ? 1 : span <= 32 ? 2 : span <= 80 ? 5 : 10;
        for (double t = ceil(x0 / xs) * xs; rc == 0 && t <= x1 + 1e-9; t += xs)
            rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%.0f</text>\n",
                                MX(t), mt + ph + 16, t);
    }
    if (rc == 0)
        rc = bilat_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                               "class=\"axis\"/>\n",
                            ml, mt + ph, W - mr, mt + ph);
    /* marks: dashed verticals with a label, e.g. where a seat changed hands */
    struct ml_axes ax = {ml, x0, xspan, pw, mt, ph, bot, top};
    if (rc == 0)
        rc = ml_marks(b, &ax, json_object_get(chart, "marks"), x1);
    /* the usual step between points (a year): a longer gap is missing data, and breaks the
     * line like a missing value does */
    double step_x = 0;
    for (size_t i = 1; i < np; i++)
        if (pts[i].series == pts[i - 1].series && pts[i].x > pts[i - 1].x &&
            (step_x == 0 || pts[i].x - pts[i - 1].x < step_x))
            step_x = pts[i].x - pts[i - 1].x;
    /* lines, broken at missing values and gaps, then points with their values */
    for (size_t s = 0; rc == 0 && s < nk; s++)
        rc = ml_series(b, &ax, pts, np, keys[s], s, step_x, &any_missing);
    if (rc == 0 && any_missing)
        rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"16\" class=\"miss\" "
                               "style=\"text-anchor:end\">&#215; no data</text>\n",
                            W - mr);
    /* legend */
    if (rc == 0)
        rc = ml_legend(b, keys, nk, ml, ly, W - mr);
    if (rc == 0 && caption) {
        rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"cu\">", ml, H - 6);
        if (rc == 0)
            rc = html_escape(b, caption);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>\n");
    }
#undef MX
#undef MY
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    if (rc == 0 && dropped)
        rc = bilat_buf_addf(b, "<p class=\"notes\">The chart shows the first %d series; the "
                               "table has all.</p>\n",
                            ML_MAX_SERIES);
out:
    bilat_free(keys);
    bilat_free(pts);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Horizontal bars                                                                            */

int svg_bars(struct bilat_buf *b, const json_t *sec)
{
    const json_t *chart = json_object_get(sec, "chart");
    int xi = chart_col(sec, "x");
    int yi = chart_col(sec, "y");
    const json_t *rows = json_object_get(sec, "rows");
    size_t n = json_array_size(rows);
    if (xi < 0 || yi < 0 || n == 0)
        return 0;
    if (n > 40)
        n = 40;
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double v = json_number_value(json_array_get(json_array_get(rows, i), (size_t)yi));
        if (v > max)
            max = v;
    }
    if (max <= 0)
        max = 1;
    const double W = 760, lw = 360, rh = 22, mt = 24;
    double H = mt + rh * (double)n + 10;
    const char *title = json_string_value(json_object_get(chart, "title"));
    int rc = svg_open(b, "bars", W, H, title ? title : "chart");
    if (rc == 0)
        rc = svg_title(b, title);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const json_t *row = json_array_get(rows, i);
        const json_t *v = json_array_get(row, (size_t)yi);
        const char *label = json_string_value(json_array_get(row, (size_t)xi));
        double y = mt + rh * (double)i;
        char num[32] = "missing";
        if (json_is_number(v))
            fmt_number(num, json_number_value(v));
        double w = json_is_number(v) ? json_number_value(v) / max * (W - lw - 60) : 0;
        rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">", lw - 8, y + 15);
        if (rc == 0)
            rc = html_escape(b, label ? label : "");
        if (rc == 0)
            rc = bilat_buf_addf(b,
                                "</text><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                "fill=\"#2c6fbb\" data-value=\"%s\"><title>",
                                lw, y + 4, w > 0 ? w : 0.5, rh - 8, num);
        if (rc == 0)
            rc = html_escape(b, label ? label : "");
        if (rc == 0)
            rc = bilat_buf_addf(b, ": %s</title></rect><text x=\"%.1f\" y=\"%.1f\" "
                                   "class=\"lg\">%s</text>\n",
                                num, lw + w + 6, y + 15, num);
    }
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Dots: one value per row on a shared horizontal axis scaled to the data, with its interval */

int svg_dots(struct bilat_buf *b, const json_t *sec)
{
    const json_t *chart = json_object_get(sec, "chart");
    int li = chart_col(sec, "label");
    int yi = chart_col(sec, "y");
    int loi = chart_col(sec, "lo");
    int hii = chart_col(sec, "hi");
    const json_t *rows = json_object_get(sec, "rows");
    size_t n = json_array_size(rows);
    if (li < 0 || yi < 0 || n == 0)
        return 0;
    if (n > 40)
        n = 40;
    double lo = 0, hi = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *row = json_array_get(rows, i);
        const json_t *v = json_array_get(row, (size_t)yi);
        if (!json_is_number(v))
            continue;
        double x = json_number_value(v), a = x, z = x;
        if (loi >= 0 && json_is_number(json_array_get(row, (size_t)loi)))
            a = json_number_value(json_array_get(row, (size_t)loi));
        if (hii >= 0 && json_is_number(json_array_get(row, (size_t)hii)))
            z = json_number_value(json_array_get(row, (size_t)hii));
        if (!any || a < lo)
            lo = a;
        if (!any || z > hi)
            hi = z;
        any = 1;
    }
    if (!any)
        return 0;
    /* scaled to the data, so that close values stay apart; counts start at zero */
    if (lo >= 0 && hi > 0 && lo < hi / 3)
        lo = 0;
    double pad = (hi - lo) * 0.08;
    if (pad <= 0)
        pad = fabs(hi) * 0.05 + 1;
    if (lo != 0)
        lo -= pad;
    hi += pad;
    double step = nice_step(hi - lo, 5);
    double bot = floor(lo / step) * step, top = ceil(hi / step) * step;
    if (top <= bot)
        top = bot + 1;
    const double W = 560, lw = 120, mr = 80, rh = 18, mt = 30;
    double H = mt + rh * (double)n + 34;
    double pw = W - lw - mr;
#define DX(v) (lw + ((v) - bot) / (top - bot) * pw)
    const char *title = json_string_value(json_object_get(chart, "title"));
    const char *ytitle = json_string_value(json_object_get(chart, "y_title"));
    int rc = svg_open(b, "dots", W, H, title ? title : "chart");
    if (rc == 0 && title)
        rc = svg_title(b, title);
    for (double t = bot; rc == 0 && t <= top + step / 2; t += step) {
        char lab[32];
        tick_label(lab, fabs(t) < step / 1e6 ? 0 : t);
        rc = bilat_buf_addf(b,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%s</text>\n",
                            DX(t), mt - 4, DX(t), mt + rh * (double)n, DX(t),
                            mt + rh * (double)n + 14, lab);
    }
    if (rc == 0 && ytitle) {
        rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"cu\" "
                               "style=\"text-anchor:middle\">",
                            lw + pw / 2, H - 4);
        if (rc == 0)
            rc = html_escape(b, ytitle);
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>\n");
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const json_t *row = json_array_get(rows, i);
        const json_t *v = json_array_get(row, (size_t)yi);
        const char *label = json_string_value(json_array_get(row, (size_t)li));
        double y = mt + rh * (double)i + rh / 2;
        rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">", lw - 8, y + 4);
        if (rc == 0)
            rc = html_escape(b, label ? label : "");
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>");
        if (rc < 0)
            break;
        if (!json_is_number(v)) {
            rc = bilat_buf_addf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"miss\" "
                                   "style=\"text-anchor:start\">no data</text>\n",
                                lw + 4, y + 4);
            continue;
        }
        double x = json_number_value(v);
        const json_t *a = loi >= 0 ? json_array_get(row, (size_t)loi) : NULL;
        const json_t *z = hii >= 0 ? json_array_get(row, (size_t)hii) : NULL;
        if (json_is_number(a) && json_is_number(z))
            rc = bilat_buf_addf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                                   "stroke=\"#2c6fbb\" stroke-width=\"2\"/>",
                                DX(json_number_value(a)), y, DX(json_number_value(z)), y);
        char num[32];
        fmt_number(num, x);
        if (rc == 0)
            rc = bilat_buf_addf(b,
                                "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#2c6fbb\" "
                                "data-value=\"%s\"><title>",
                                DX(x), y, num);
        if (rc == 0)
            rc = html_escape(b, label ? label : "");
        if (rc == 0)
            rc = bilat_buf_addf(b, ": %s</title></circle><text x=\"%.1f\" y=\"%.1f\" "
                                   "class=\"lg\">%s</text>\n",
                                num, W - mr + 6, y + 4, num);
    }
#undef DX
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Network graph                                                                              */

static const json_t *cell(const json_t *row, int i)
{
    return i < 0 ? NULL : json_array_get(row, (size_t)i);
}

/* The two sides' headings, from the group column of their first nodes (x < 0.5: the left). */
static int side_headings(struct bilat_buf *b, const json_t *nrows, int ix, int ig, double cx0,
                         double cx1)
{
    const char *gl = NULL, *gr = NULL;
    size_t i;
    const json_t *row;
    json_array_foreach(nrows, i, row)
    {
        const char *g = json_string_value(cell(row, ig));
        if (json_number_value(cell(row, ix)) < 0.5 && !gl)
            gl = g;
        else if (json_number_value(cell(row, ix)) >= 0.5 && !gr)
            gr = g;
    }
    BILAT_TRY(bilat_buf_addf(b, "<text x=\"%.1f\" y=\"38\" class=\"sh\" "
                                "text-anchor=\"middle\">",
                             cx0));
    BILAT_TRY(html_escape(b, gl ? gl : ""));
    BILAT_TRY(bilat_buf_addf(b, "</text><text x=\"%.1f\" y=\"38\" class=\"sh\" "
                                "text-anchor=\"middle\">",
                             cx1));
    BILAT_TRY(html_escape(b, gr ? gr : ""));
    return bilat_buf_adds(b, "</text>\n");
}

int svg_network(struct bilat_buf *b, const json_t *nodes, const json_t *edges)
{
    const json_t *chart = json_object_get(nodes, "chart");
    int ic = table_col(nodes, json_string_value(json_object_get(chart, "node")));
    int il = table_col(nodes, json_string_value(json_object_get(chart, "label")));
    int ix = table_col(nodes, json_string_value(json_object_get(chart, "x")));
    int iy = table_col(nodes, json_string_value(json_object_get(chart, "y")));
    int isz = table_col(nodes, json_string_value(json_object_get(chart, "size")));
    int ig = table_col(nodes, json_string_value(json_object_get(chart, "group")));
    int es = table_col(edges, json_string_value(json_object_get(chart, "source")));
    int et = table_col(edges, json_string_value(json_object_get(chart, "target")));
    int ew = table_col(edges, "events"), ef = table_col(edges, "first"),
        el = table_col(edges, "last");
    const json_t *nrows = json_object_get(nodes, "rows"), *erows = json_object_get(edges, "rows");
    size_t nn = json_array_size(nrows);
    if (ic < 0 || ix < 0 || iy < 0 || es < 0 || et < 0 || nn == 0)
        return 0;
    /* column heights: the longer side sets the drawing's height */
    size_t left = 0, right = 0;
    double maxs = 1, maxw = 1;
    size_t i;
    const json_t *row;
    json_array_foreach(nrows, i, row)
    {
        if (json_number_value(cell(row, ix)) < 0.5)
            left++;
        else
            right++;
        double s = json_number_value(cell(row, isz));
        if (s > maxs)
            maxs = s;
    }
    json_array_foreach(erows, i, row)
    {
        double w = json_number_value(cell(row, ew));
        if (w > maxw)
            maxw = w;
    }
    size_t tall = left > right ? left : right;
    const double W = 760, mt = 52, cx0 = 230, cx1 = 470;
    double ph = tall > 1 ? 30.0 * (double)(tall - 1) : 0;
    double H = mt + ph + 40;
    const char *title = json_string_value(json_object_get(chart, "title"));
    int rc = svg_open(b, "network", W, H, title ? title : "network");
    if (rc == 0)
        rc = svg_title(b, title);
    if (rc == 0)
        rc = side_headings(b, nrows, ix, ig, cx0, cx1);
#define NX(r) (json_number_value(cell((r), ix)) < 0.5 ? cx0 : cx1)
#define NY(r, side)                                                                                \
    (mt + ((side ? right : left) > 1 ? json_number_value(cell((r), iy)) * ph                       \
                                     : ph / 2))
    /* edges first, under the nodes */
    json_array_foreach(erows, i, row)
    {
        if (rc < 0)
            break;
        const char *s = json_string_value(cell(row, es)), *t = json_string_value(cell(row, et));
        const json_t *ns = NULL, *nt = NULL;
        size_t k;
        const json_t *nr;
        json_array_foreach(nrows, k, nr)
        {
            const char *c = json_string_value(cell(nr, ic));
            if (c && s && strcmp(c, s) == 0)
                ns = nr;
            if (c && t && strcmp(c, t) == 0)
                nt = nr;
        }
        if (!ns || !nt)
            continue;
        double w = json_number_value(cell(row, ew));
        int ls = json_number_value(cell(ns, ix)) >= 0.5, lt = json_number_value(cell(nt, ix)) >= 0.5;
        rc = bilat_buf_addf(b,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"edge\" "
                            "stroke-width=\"%.1f\" data-weight=\"%.0f\"><title>",
                            NX(ns), NY(ns, ls), NX(nt), NY(nt, lt), 1 + 4 * sqrt(w / maxw), w);
        if (rc == 0)
            rc = html_escape(b, json_string_value(cell(ns, il)));
        if (rc == 0)
            rc = bilat_buf_adds(b, " &#8211; ");
        if (rc == 0)
            rc = html_escape(b, json_string_value(cell(nt, il)));
        if (rc == 0)
            rc = bilat_buf_addf(b, ": %.0f meeting%s or visit%s", w, w == 1 ? "" : "s",
                                w == 1 ? "" : "s");
        if (rc == 0 && ef >= 0 && el >= 0) {
            rc = bilat_buf_adds(b, ", ");
            if (rc == 0)
                rc = html_escape(b, json_string_value(cell(row, ef)));
            if (rc == 0 && strcmp(json_string_value(cell(row, ef)) ? json_string_value(cell(row, ef)) : "",
                                  json_string_value(cell(row, el)) ? json_string_value(cell(row, el)) : "") != 0) {
                rc = bilat_buf_adds(b, " to ");
                if (rc == 0)
                    rc = html_escape(b, json_string_value(cell(row, el)));
            }
        }
        if (rc == 0)
            rc = bilat_buf_adds(b, "</title></line>\n");
    }
    json_array_foreach(nrows, i, row)
    {
        if (rc < 0)
            break;
        int rs = json_number_value(cell(row, ix)) >= 0.5;
        double x = NX(row), y = NY(row, rs);
        double r = 4 + 7 * sqrt(json_number_value(cell(row, isz)) / maxs);
        rc = bilat_buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" class=\"node %s\" "
                               "data-node=\"",
                            x, y, r, rs ? "nb" : "na");
        if (rc == 0)
            rc = html_escape(b, json_string_value(cell(row, ic)));
        if (rc == 0)
            rc = bilat_buf_adds(b, "\"><title>");
        if (rc == 0)
            rc = html_escape(b, json_string_value(cell(row, il)));
        if (rc == 0)
            rc = bilat_buf_addf(b, ": %.0f meetings and visits", json_number_value(cell(row, isz)));
        if (rc == 0)
            rc = bilat_buf_addf(b, "</title></circle><text x=\"%.1f\" y=\"%.1f\" class=\"nl\" "
                                   "text-anchor=\"%s\">",
                                rs ? x + r + 6 : x - r - 6, y + 4, rs ? "start" : "end");
        if (rc == 0)
            rc = html_escape(b, json_string_value(cell(row, il)));
        if (rc == 0)
            rc = bilat_buf_adds(b, "</text>\n");
    }
#undef NX
#undef NY
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    return rc;
}
