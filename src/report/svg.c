/*
 * svg.c: chart geometry. Axes use "nice" steps (1, 2 or 5 times a power of ten) so that tick
 * labels are round numbers; coordinates are printed with one decimal to keep files small.
 */
#include "report/svg.h"

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

static int col_index(const json_t *sec, const char *name)
{
    size_t i;
    const json_t *c;
    json_array_foreach(json_object_get(sec, "columns"), i, c)
    {
        const char *n = json_string_value(json_object_get(c, "name"));
        if (n && strcmp(n, name) == 0)
            return (int)i;
    }
    return -1;
}

enum { MAX_CATS = 16, MAX_YEARS = 400 };

int svg_stacked_bar(struct bilat_buf *b, const json_t *sec)
{
    const json_t *chart = json_object_get(sec, "chart");
    int xi = col_index(sec, json_string_value(json_object_get(chart, "x")));
    int si = col_index(sec, json_string_value(json_object_get(chart, "stack")));
    int yi = col_index(sec, json_string_value(json_object_get(chart, "y")));
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
    int rc = bilat_buf_addf(b,
                            "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\" "
                            "aria-label=\"",
                            W, H);
    if (rc == 0)
        rc = html_escape(b, title ? title : "chart");
    if (rc == 0)
        rc = bilat_buf_adds(b, "\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    /* grid and y labels */
    for (double t = 0; rc == 0 && t <= top + step / 2; t += step) {
        double y = mt + ph - t / top * ph;
        char lab[32];
        tick_label(lab, t);
        rc = bilat_buf_addf(b,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">%s</text>\n",
                            ml, y, W - mr, y, ml - 6, y + 4, lab);
    }
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
            rc = bilat_buf_addf(b,
                                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                "fill=\"%s\" data-year=\"%d\" data-value=\"%s\"><title>%d ",
                                x, yy, bw * 0.76, h, svg_color(cats[k], k), y0 + (int)y, num,
                                y0 + (int)y);
            if (rc == 0)
                rc = html_escape(b, cats[k] ? cats[k] : "unspecified");
            if (rc == 0)
                rc = bilat_buf_addf(b, ": %s</title></rect>\n", num);
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

int svg_line(struct bilat_buf *b, const char *title, const char *unit,
             const struct svg_point *pts, size_t n)
{
    if (n == 0)
        return 0;
    const double W = 360, H = 200, ml = 48, mr = 10, mt = 30, mb = 24;
    int x0 = pts[0].year, x1 = pts[0].year;
    double lo = 0, hi = 0;
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        if (pts[i].year < x0)
            x0 = pts[i].year;
        if (pts[i].year > x1)
            x1 = pts[i].year;
        if (!pts[i].has)
            continue;
        if (!any || pts[i].y < lo)
            lo = pts[i].y;
        if (!any || pts[i].y > hi)
            hi = pts[i].y;
        any = 1;
    }
    if (lo > 0)
        lo = 0; /* bars of meaning start at zero; negative values extend below */
    if (hi < 0)
        hi = 0;
    double step = nice_step(hi - lo, 4);
    double bot = floor(lo / step) * step, top = ceil(hi / step) * step;
    if (top <= bot)
        top = bot + 1;
    double pw = W - ml - mr, ph = H - mt - mb;
    double xspan = x1 > x0 ? (double)(x1 - x0) : 1;
#define XP(yr) (ml + ((double)((yr) - x0)) / xspan * pw)
#define YP(v) (mt + ph - ((v) - bot) / (top - bot) * ph)
    int rc = bilat_buf_addf(b, "<svg class=\"chart small\" viewBox=\"0 0 %.0f %.0f\" "
                               "role=\"img\" aria-label=\"",
                            W, H);
    if (rc == 0)
        rc = html_escape(b, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "\" xmlns=\"http://www.w3.org/2000/svg\">\n<text x=\"4\" y=\"14\" "
                               "class=\"ct\">");
    if (rc == 0)
        rc = html_escape(b, title);
    if (rc == 0)
        rc = bilat_buf_adds(b, "</text><text x=\"4\" y=\"26\" class=\"cu\">");
    if (rc == 0)
        rc = html_escape(b, unit ? unit : "");
    if (rc == 0)
        rc = bilat_buf_adds(b, "</text>\n");
    for (double t = bot; rc == 0 && t <= top + step / 2; t += step) {
        char lab[32];
        tick_label(lab, fabs(t) < step / 1e6 ? 0 : t);
        rc = bilat_buf_addf(b,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"yl\">%s</text>\n",
                            ml, YP(t), W - mr, YP(t), ml - 4, YP(t) + 4, lab);
    }
    if (rc == 0)
        rc = bilat_buf_addf(b,
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%d</text>"
                            "<text x=\"%.1f\" y=\"%.1f\" class=\"xl\">%d</text>\n",
                            XP(x0), H - 6, x0, XP(x1), H - 6, x1);
    /* the line, broken at missing values */
    int open = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!pts[i].has) {
            if (open)
                rc = bilat_buf_adds(b, "\"/>\n");
            open = 0;
            continue;
        }
        if (!open)
            rc = bilat_buf_adds(b, "<polyline class=\"ln\" points=\"");
        else
            rc = bilat_buf_addch(b, ' ');
        if (rc == 0)
            rc = bilat_buf_addf(b, "%.1f,%.1f", XP(pts[i].year), YP(pts[i].y));
        open = 1;
    }
    if (rc == 0 && open)
        rc = bilat_buf_adds(b, "\"/>\n");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char num[32];
        if (!pts[i].has) {
            rc = bilat_buf_addf(b,
                                "<text x=\"%.1f\" y=\"%.1f\" class=\"miss\">&#215;<title>%d: "
                                "missing</title></text>\n",
                                XP(pts[i].year), mt + ph - 2, pts[i].year);
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
    if (rc == 0)
        rc = bilat_buf_adds(b, "</svg>\n");
    return rc;
}
