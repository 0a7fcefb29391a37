/*
 * headline.c: the headline table of the profile (headline.h): the main figure of each section,
 * gathered from the sections themselves so that every headline is the figure its section shows.
 */
#include "analytics/headline.h"

#include "analytics/table.h"
#include "core/err.h"

#include <math.h>
#include <string.h>

static json_t *jnum(int has, double v)
{
    return has ? json_real(nearbyint(v * 1e6) / 1e6) : json_null();
}

static json_t *jint(int has, long long v)
{
    return has ? json_integer(v) : json_null();
}

int headline_add(json_t *t, const char *figure, const char *period, int has_value, double value,
                 long long n, const char *coverage, const char *robust, const char *basis)
{
    json_t *h = json_object_get(t, "_headline");
    if (!h) {
        h = json_array();
        if (!h || json_object_set_new(t, "_headline", h))
            return BILAT_ENOMEM;
    }
    json_t *row = json_pack(
        "[s, s, o, o, o, o, o]", figure, period ? period : "", jnum(has_value, value),
        jint(n >= 0, n), coverage ? json_string(coverage) : json_null(),
        robust ? json_string(robust) : json_null(), basis ? json_string(basis) : json_null());
    if (!row || json_array_append_new(h, row))
        return BILAT_ENOMEM;
    return 0;
}

size_t headline_position(const char *first_id)
{
    /* after the summary when there is one */
    return first_id && strcmp(first_id, "summary") == 0 ? 1 : 0;
}

int headline_take(json_t *sec, json_t *rows)
{
    json_t *h = json_object_get(sec, "_headline");
    size_t j;
    json_t *row;
    json_array_foreach(h, j, row)
    {
        if (json_array_append(rows, row))
            return BILAT_ENOMEM;
    }
    if (h)
        json_object_del(sec, "_headline");
    return 0;
}

json_t *headline_table(json_t *rows)
{
    static const struct tcol cols[] = {
        {"figure", "Figure", TCOL_TEXT},     {"period", "Period", TCOL_TEXT},
        {"value", "Value", TCOL_NUM},        {"n", "N", TCOL_INT},
        {"coverage", "Coverage", TCOL_TEXT}, {"robustness", "Robustness", TCOL_TEXT},
        {"basis", "Basis", TCOL_TEXT},
    };
    json_t *t = table_new("headline", "Headline figures",
                          "The main figure of each section below, with its N (shared votes, "
                          "records, sources) and coverage, and whether it depends on a choice of "
                          "measure or source.",
                          cols, 7);
    if (t && json_object_set(t, "rows", rows) < 0) {
        json_decref(t);
        return NULL;
    }
    return t;
}

