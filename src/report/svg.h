/*
 * svg.h: charts drawn by bilat as inline SVG (no scripts, no fonts, no network): a stacked bar
 * chart of a table section and a line chart of one series. Every mark carries a <title> so
 * that hovering shows its value; missing values break a line instead of dropping to zero.
 */
#ifndef BILAT_REPORT_SVG_H
#define BILAT_REPORT_SVG_H

#include "core/buf.h"

#include <jansson.h>
#include <stdbool.h>

/* Colour of a channel (or any category), stable across charts: "#rrggbb". */
const char *svg_color(const char *category, size_t index);

/*
 * Stacked bars from a section whose "chart" is {"type": "stacked_bar", "x", "stack", "y"}:
 * y is summed per (x, stack); x must be a year column; every year between the first and the
 * last gets a slot, so a year without events shows as an empty slot. Nothing is written when
 * the section has no rows. With `href`, each bar links to href + year (a drill-down anchor).
 */
int svg_stacked_bar(struct bilat_buf *b, const json_t *section, const char *href);

struct svg_point {
    int year;      /* x */
    double y;      /* value, when has */
    bool has;      /* false: missing (gap) */
    bool has_ci;   /* lo and hi hold the value's interval: drawn as a band */
    double lo, hi;
};

/* Section with chart {"type": "dots", "label", "y", "lo", "hi"}: one dot per row (at most 40) on
 * a shared axis scaled to the data, with the row's interval as a whisker. */
int svg_dots(struct bilat_buf *b, const json_t *sec);

/* A small line chart of one series, `title` and `unit` shown above it; points with an interval
 * get a shaded band. */
int svg_line(struct bilat_buf *b, const char *title, const char *unit,
             const struct svg_point *pts, size_t n);

/* Colour of series number `index` of a multi-line chart (channels keep their colours). */
const char *svg_series_color(const char *name, size_t index);

/*
 * Several series on the same axes, with a legend, from a section whose "chart" is
 * {"type": "multi_lines", "x", "y", "series": COL or [COLS]}: one line per distinct value of
 * the series column(s) (at most 12; the table keeps the rest), x a number or a year ("2019",
 * "2019-Q1" is placed at 2019), gaps where y is missing. Every point has a tooltip and
 * data-series, data-x and data-value attributes.
 */
int svg_multi_lines(struct bilat_buf *b, const json_t *section);

/* Horizontal bars from {"type": "bars", "x": label column, "y": value column} (40 rows at most). */
int svg_bars(struct bilat_buf *b, const json_t *section);

/*
 * A network drawn from a nodes section whose "chart" is {"type": "network", "edges": ID,
 * "node", "label", "x", "y", "size", "group", "source", "target"} and the edges section ID:
 * nodes at their (x, y) in [0, 1] (x < 0.5: left column), sized by `size`; edges as lines whose
 * width grows with their "events".
 */
int svg_network(struct bilat_buf *b, const json_t *nodes, const json_t *edges);

#endif
