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
 * the section has no rows.
 */
int svg_stacked_bar(struct bilat_buf *b, const json_t *section);

struct svg_point {
    int year;   /* x */
    double y;   /* value, when has */
    bool has;   /* false: missing (gap) */
};

/* A small line chart of one series, `title` and `unit` shown above it. */
int svg_line(struct bilat_buf *b, const char *title, const char *unit,
             const struct svg_point *pts, size_t n);

#endif
