/*
 * text.c: aligned text tables. Widths count UTF-8 code points (every byte that is not a
 * continuation byte), which is right for the Latin, Khmer-free text of the shipped data and
 * close enough elsewhere.
 */
#include "report/text.h"

#include "analytics/profile.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/err.h"
#include "report/escape.h"

#include <stdio.h>
#include <string.h>

static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Byte length of the first `cps` code points of s. */
static size_t prefix_bytes(const char *s, size_t cps)
{
    size_t i = 0, n = 0;
    while (s[i]) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (n == cps)
                break;
            n++;
        }
        i++;
    }
    return i;
}

/* Text of a cell into out (caller provides 32+ bytes for numbers); returns a pointer to it. */
static const char *cell_text(const json_t *v, char num[32])
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, 32, "%lld", (long long)json_integer_value(v));
        return num;
    }
    if (json_is_real(v)) {
        fmt_number(num, json_real_value(v));
        return num;
    }
    if (json_is_true(v))
        return "true";
    if (json_is_false(v))
        return "false";
    return "";
}

static int is_numeric_col(const json_t *col)
{
    const char *t = json_string_value(json_object_get(col, "type"));
    return t && (strcmp(t, "int") == 0 || strcmp(t, "num") == 0 || strcmp(t, "year") == 0);
}

static int pad(struct bilat_buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        BILAT_TRY(bilat_buf_addch(b, ' '));
    return 0;
}

static int put_cell(struct bilat_buf *b, const char *s, size_t w, int right, int last)
{
    size_t sw = width(s);
    size_t bytes = strlen(s);
    int cut = sw > TEXT_MAX_CELL;
    if (cut) {
        bytes = prefix_bytes(s, TEXT_MAX_CELL - 3);
        sw = TEXT_MAX_CELL;
    }
    if (right)
        BILAT_TRY(pad(b, w - sw));
    BILAT_TRY(bilat_buf_add(b, s, bytes));
    if (cut)
        BILAT_TRY(bilat_buf_adds(b, "..."));
    if (!right && !last)
        BILAT_TRY(pad(b, w - sw));
    return 0;
}

int text_render_section(struct bilat_buf *b, const json_t *sec, int all)
{
    const json_t *cols = json_object_get(sec, "columns"), *rows = json_object_get(sec, "rows");
    size_t nc = json_array_size(cols), nr = json_array_size(rows);
    BILAT_TRY(bilat_buf_addf(b, "== %s ==\n", json_string_value(json_object_get(sec, "title"))));
    const char *desc = json_string_value(json_object_get(sec, "description"));
    if (desc)
        BILAT_TRY(bilat_buf_addf(b, "%s\n", desc));
    if (!all && json_is_true(json_object_get(sec, "detail"))) {
        BILAT_TRY(bilat_buf_addf(b, "(%zu rows: see --json or the HTML report)\n\n", nr));
        return 0;
    }
    if (nr == 0) {
        BILAT_TRY(bilat_buf_adds(b, "(none)\n\n"));
        return 0;
    }
    size_t *w = bilat_calloc(nc ? nc : 1, sizeof(*w));
    if (!w)
        return BILAT_ENOMEM;
    char num[32];
    for (size_t j = 0; j < nc; j++)
        w[j] = width(json_string_value(json_object_get(json_array_get(cols, j), "name")));
    for (size_t i = 0; i < nr; i++)
        for (size_t j = 0; j < nc; j++) {
            size_t cw = width(cell_text(json_array_get(json_array_get(rows, i), j), num));
            if (cw > TEXT_MAX_CELL)
                cw = TEXT_MAX_CELL;
            if (cw > w[j])
                w[j] = cw;
        }
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < nc; j++) {
        const json_t *col = json_array_get(cols, j);
        rc = put_cell(b, json_string_value(json_object_get(col, "name")), w[j],
                      is_numeric_col(col), j + 1 == nc);
        if (rc == 0 && j + 1 < nc)
            rc = bilat_buf_adds(b, "  ");
    }
    if (rc == 0)
        rc = bilat_buf_addch(b, '\n');
    for (size_t j = 0; rc == 0 && j < nc; j++) {
        for (size_t k = 0; rc == 0 && k < w[j]; k++)
            rc = bilat_buf_addch(b, '-');
        if (rc == 0 && j + 1 < nc)
            rc = bilat_buf_adds(b, "  ");
    }
    if (rc == 0)
        rc = bilat_buf_addch(b, '\n');
    for (size_t i = 0; rc == 0 && i < nr; i++) {
        const json_t *row = json_array_get(rows, i);
        for (size_t j = 0; rc == 0 && j < nc; j++) {
            rc = put_cell(b, cell_text(json_array_get(row, j), num), w[j],
                          is_numeric_col(json_array_get(cols, j)), j + 1 == nc);
            if (rc == 0 && j + 1 < nc)
                rc = bilat_buf_adds(b, "  ");
        }
        /* trailing spaces of an empty last column */
        while (rc == 0 && b->len && b->buf[b->len - 1] == ' ')
            b->buf[--b->len] = '\0';
        if (rc == 0)
            rc = bilat_buf_addch(b, '\n');
    }
    bilat_free(w);
    size_t k;
    const json_t *note;
    json_array_foreach(json_object_get(sec, "notes"), k, note)
    {
        if (rc == 0)
            rc = bilat_buf_addf(b, "note: %s\n", json_string_value(note));
    }
    if (rc == 0)
        rc = bilat_buf_addch(b, '\n');
    return rc;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

int text_render_profile(struct bilat_buf *b, const json_t *doc)
{
    const json_t *a = json_object_get(doc, "a"), *bb = json_object_get(doc, "b");
    const json_t *per = json_object_get(doc, "period");
    const json_t *from = json_object_get(per, "from"), *to = json_object_get(per, "to");
    BILAT_TRY(bilat_buf_addf(b, "Profile: %s (%s) and %s (%s), ", str(a, "name"), str(a, "code"),
                             str(bb, "name"), str(bb, "code")));
    if (json_is_integer(from) || json_is_integer(to)) {
        char f[16] = "start", t[16] = "end";
        if (json_is_integer(from))
            snprintf(f, sizeof(f), "%lld", (long long)json_integer_value(from));
        if (json_is_integer(to))
            snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(to));
        BILAT_TRY(bilat_buf_addf(b, "%s to %s\n\n", f, t));
    } else {
        BILAT_TRY(bilat_buf_adds(b, "all years\n\n"));
    }
    size_t i;
    const json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), i, sec)
        BILAT_TRY(text_render_section(b, sec, 0));
    BILAT_TRY(bilat_buf_adds(b, "== Sources ==\n"));
    const json_t *src;
    json_array_foreach(json_object_get(doc, "sources"), i, src)
    {
        BILAT_TRY(bilat_buf_addf(b, "[%s] ", str(src, "id")));
        if (*str(src, "author"))
            BILAT_TRY(bilat_buf_addf(b, "%s. ", str(src, "author")));
        BILAT_TRY(bilat_buf_addf(b, "%s.", str(src, "title")));
        if (*str(src, "publisher"))
            BILAT_TRY(bilat_buf_addf(b, " %s.", str(src, "publisher")));
        if (*str(src, "date"))
            BILAT_TRY(bilat_buf_addf(b, " %s.", str(src, "date")));
        if (*str(src, "url"))
            BILAT_TRY(bilat_buf_addf(b, " %s", str(src, "url")));
        BILAT_TRY(bilat_buf_addch(b, '\n'));
    }
    return 0;
}

int bilat_profile_text(bilat_db *db, const struct bilat_profile_opts *opts, char **text_out,
                       struct bilat_err *err)
{
    json_t *doc;
    *text_out = NULL;
    BILAT_TRY(profile_build(db, opts, &doc, err));
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = text_render_profile(&b, doc);
    json_decref(doc);
    if (rc < 0) {
        bilat_buf_release(&b);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    *text_out = bilat_buf_detach(&b, NULL);
    return *text_out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}
