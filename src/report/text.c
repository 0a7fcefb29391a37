/*
 * text.c: aligned text tables. Widths count UTF-8 code points (every byte that is not a
 * continuation byte), which is right for the Latin, Khmer-free text of the shipped data and
 * close enough elsewhere.
 */
#include "report/text.h"

#include "analytics/profile.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/csv.h"
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

/* One CSV field (core/csv.h); nothing for NULL. */
static int csv_field(struct bilat_buf *b, const char *s)
{
    return s ? csv_write_field(s, strlen(s), csv_sink_buf, b) : 0;
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

/* Columns a section asks views to leave out ("hide": ["x", "y"]); the JSON keeps them. */
static int hidden(const json_t *sec, const json_t *col)
{
    const char *name = json_string_value(json_object_get(col, "name"));
    size_t i;
    const json_t *h;
    json_array_foreach(json_object_get(sec, "hide"), i, h) if (name &&
                                                              json_is_string(h) &&
                                                              strcmp(json_string_value(h),
                                                                     name) == 0) return 1;
    return 0;
}

/* A section's notes, one line each, and the blank line that ends the section. */
static int notes(struct bilat_buf *b, const json_t *sec)
{
    size_t k;
    const json_t *note;
    json_array_foreach(json_object_get(sec, "notes"), k, note)
        BILAT_TRY(bilat_buf_addf(b, "note: %s\n", json_string_value(note)));
    return bilat_buf_addch(b, '\n');
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
        BILAT_TRY(bilat_buf_adds(b, "(none)\n"));
        return notes(b, sec);
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
    /* the last shown column ends a line (no padding after it) */
    size_t lastc = 0;
    for (size_t j = 0; j < nc; j++)
        if (!hidden(sec, json_array_get(cols, j)))
            lastc = j;
    for (size_t j = 0; rc == 0 && j < nc; j++) {
        const json_t *col = json_array_get(cols, j);
        if (hidden(sec, col))
            continue;
        rc = put_cell(b, json_string_value(json_object_get(col, "name")), w[j],
                      is_numeric_col(col), j == lastc);
        if (rc == 0 && j < lastc)
            rc = bilat_buf_adds(b, "  ");
    }
    if (rc == 0)
        rc = bilat_buf_addch(b, '\n');
    for (size_t j = 0; rc == 0 && j < nc; j++) {
        if (hidden(sec, json_array_get(cols, j)))
            continue;
        for (size_t k = 0; rc == 0 && k < w[j]; k++)
            rc = bilat_buf_addch(b, '-');
        if (rc == 0 && j < lastc)
            rc = bilat_buf_adds(b, "  ");
    }
    if (rc == 0)
        rc = bilat_buf_addch(b, '\n');
    for (size_t i = 0; rc == 0 && i < nr; i++) {
        const json_t *row = json_array_get(rows, i);
        for (size_t j = 0; rc == 0 && j < nc; j++) {
            if (hidden(sec, json_array_get(cols, j)))
                continue;
            rc = put_cell(b, cell_text(json_array_get(row, j), num), w[j],
                          is_numeric_col(json_array_get(cols, j)), j == lastc);
            if (rc == 0 && j < lastc)
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

static const char *cell_s(const json_t *row, int i)
{
    const char *s = i < 0 ? NULL : json_string_value(json_array_get(row, (size_t)i));
    return s ? s : "";
}

void text_claims_cols(const json_t *sec, struct claims_cols *c)
{
    *c = (struct claims_cols){
        .id = table_col(sec, "id"),
        .part_of = table_col(sec, "part_of"),
        .claim = table_col(sec, "claim"),
        .verdict = table_col(sec, "verdict"),
        .measured = table_col(sec, "measured"),
        .expected = table_col(sec, "expected"),
        .detail = table_col(sec, "detail"),
        .source_id = table_col(sec, "source_id"),
        .locator = table_col(sec, "locator"),
        .evidence_sources = table_col(sec, "evidence_sources"),
        .restates_source = table_col(sec, "restates_source"),
        .note = table_col(sec, "note"),
        .check = table_col(sec, "check"),
        .method = table_col(sec, "method"),
        .stated = table_col(sec, "stated"),
    };
}

int text_render_claims(struct bilat_buf *b, const json_t *sec, int evidence)
{
    const json_t *rows = json_object_get(sec, "rows");
    struct claims_cols cc;
    text_claims_cols(sec, &cc);
    BILAT_TRY(bilat_buf_addf(b, "== %s ==\n", str(sec, "title")));
    if (*str(sec, "description"))
        BILAT_TRY(bilat_buf_addf(b, "%s\n", str(sec, "description")));
    size_t n = json_array_size(rows);
    if (n == 0)
        return bilat_buf_adds(b, "(none)\n\n");
    /* the verdict table: a compact section of its own */
    static const struct {
        const char *name;
        int numeric;
    } tc[] = {{"id", 0},       {"verdict", 0}, {"stated", 0},
              {"measured", 0}, {"expected", 0}, {"claim", 0}};
    json_t *t = json_object(), *cols = json_array(), *trows = json_array();
    int rc = !t || !cols || !trows ? BILAT_ENOMEM : 0;
    for (size_t k = 0; rc == 0 && k < sizeof(tc) / sizeof(tc[0]); k++)
        if (json_array_append_new(cols, json_pack("{s:s, s:s}", "name", tc[k].name, "type",
                                                  "text")))
            rc = BILAT_ENOMEM;
    size_t i;
    const json_t *row;
    json_array_foreach(rows, i, row)
    {
        if (rc < 0)
            break;
        char id[64];
        snprintf(id, sizeof(id), "%s%s", *cell_s(row, cc.part_of) ? "  " : "", cell_s(row, cc.id));
        json_t *r =
            json_pack("[s, s, s, s, s, s]", id, cell_s(row, cc.verdict), cell_s(row, cc.stated),
                      cell_s(row, cc.measured), cell_s(row, cc.expected), cell_s(row, cc.claim));
        if (!r || json_array_append_new(trows, r))
            rc = BILAT_ENOMEM;
    }
    if (rc == 0 && (json_object_set(t, "columns", cols) || json_object_set(t, "rows", trows) ||
                    json_object_set_new(t, "title", json_string("Verdicts"))))
        rc = BILAT_ENOMEM;
    json_decref(cols);
    json_decref(trows);
    if (rc == 0) {
        /* the table without its own heading line */
        struct bilat_buf tb = BILAT_BUF_INIT;
        rc = text_render_section(&tb, t, 1);
        const char *body = strchr(tb.buf, '\n');
        if (rc == 0)
            rc = bilat_buf_adds(b, body ? body + 1 : "");
        bilat_buf_release(&tb);
    }
    json_decref(t);
    if (rc < 0)
        return rc;
    const json_t *ev = json_object_get(sec, "evidence");
    json_array_foreach(rows, i, row)
    {
        BILAT_TRY(bilat_buf_addf(b, "[%s] %s (%s)\n", cell_s(row, cc.id), cell_s(row, cc.verdict),
                                 strcmp(cell_s(row, cc.stated), "inferred") == 0
                                     ? "inferred: our reading of the brief"
                                     : "stated by the brief"));
        BILAT_TRY(bilat_buf_addf(b, "  %s\n", cell_s(row, cc.claim)));
        if (*cell_s(row, cc.detail))
            BILAT_TRY(bilat_buf_addf(b, "  %s\n", cell_s(row, cc.detail)));
        if (evidence && *cell_s(row, cc.check))
            BILAT_TRY(bilat_buf_addf(b, "  check (%s): %s\n", cell_s(row, cc.method),
                                     cell_s(row, cc.check)));
        BILAT_TRY(bilat_buf_addf(b, "  source: %s (%s)\n", cell_s(row, cc.source_id),
                                 cell_s(row, cc.locator)));
        const json_t *e = json_object_get(ev, cell_s(row, cc.id));
        if (e) {
            size_t nr = json_array_size(json_object_get(e, "rows"));
            BILAT_TRY(bilat_buf_addf(b, "  evidence: %zu row%s", nr, nr == 1 ? "" : "s"));
            if (*cell_s(row, cc.evidence_sources))
                BILAT_TRY(bilat_buf_addf(b, " from %s", cell_s(row, cc.evidence_sources)));
            const json_t *rest =
                cc.restates_source >= 0 ? json_array_get(row, (size_t)cc.restates_source) : NULL;
            if (json_integer_value(rest) == 1)
                BILAT_TRY(bilat_buf_adds(b, " (the claim's own source only: this restates the "
                                            "source, it does not test it)"));
            BILAT_TRY(bilat_buf_addch(b, '\n'));
        }
        if (*cell_s(row, cc.note))
            BILAT_TRY(bilat_buf_addf(b, "  note: %s\n", cell_s(row, cc.note)));
        if (evidence && e && json_array_size(json_object_get(e, "rows"))) {
            struct bilat_buf eb = BILAT_BUF_INIT;
            int erc = text_render_section(&eb, e, 1);
            /* indent the evidence table under its claim */
            for (const char *p = eb.buf; erc == 0 && *p;) {
                const char *nl = strchr(p, '\n');
                size_t l = nl ? (size_t)(nl - p + 1) : strlen(p);
                if (l > 1)
                    erc = bilat_buf_adds(b, "    ");
                if (erc == 0)
                    erc = bilat_buf_add(b, p, l);
                p += l;
            }
            bilat_buf_release(&eb);
            BILAT_TRY(erc);
        }
        BILAT_TRY(bilat_buf_addch(b, '\n'));
    }
    return notes(b, sec);
}

int text_render_csv(struct bilat_buf *b, const json_t *sec)
{
    const json_t *cols = json_object_get(sec, "columns");
    size_t j, i;
    const json_t *c, *row;
    json_array_foreach(cols, j, c)
    {
        if (j)
            BILAT_TRY(bilat_buf_addch(b, ','));
        BILAT_TRY(csv_field(b, json_string_value(json_object_get(c, "name"))));
    }
    BILAT_TRY(bilat_buf_adds(b, "\r\n"));
    json_array_foreach(json_object_get(sec, "rows"), i, row)
    {
        json_array_foreach(cols, j, c)
        {
            if (j)
                BILAT_TRY(bilat_buf_addch(b, ','));
            char num[32];
            const json_t *v = json_array_get(row, j);
            if (json_is_string(v))
                BILAT_TRY(csv_field(b, json_string_value(v)));
            else if (!json_is_null(v) && v)
                BILAT_TRY(bilat_buf_adds(b, cell_text(v, num)));
        }
        BILAT_TRY(bilat_buf_adds(b, "\r\n"));
    }
    return 0;
}

void text_period(const json_t *doc, char *out, size_t len)
{
    const json_t *per = json_object_get(doc, "period");
    const json_t *from = json_object_get(per, "from"), *to = json_object_get(per, "to");
    if (!json_is_integer(from) && !json_is_integer(to)) {
        snprintf(out, len, "all years");
        return;
    }
    char f[16] = "start", t[16] = "end";
    if (json_is_integer(from))
        snprintf(f, sizeof(f), "%lld", (long long)json_integer_value(from));
    if (json_is_integer(to))
        snprintf(t, sizeof(t), "%lld", (long long)json_integer_value(to));
    snprintf(out, len, "%s to %s", f, t);
}

int text_render_profile(struct bilat_buf *b, const json_t *doc)
{
    const json_t *a = json_object_get(doc, "a"), *bb = json_object_get(doc, "b");
    char span[64];
    text_period(doc, span, sizeof(span));
    BILAT_TRY(bilat_buf_addf(b, "Profile: %s (%s) and %s (%s), %s\n\n", str(a, "name"),
                             str(a, "code"), str(bb, "name"), str(bb, "code"), span));
    size_t i;
    const json_t *sec;
    json_array_foreach(json_object_get(doc, "sections"), i, sec)
    {
        if (strcmp(str(sec, "view"), "claims") == 0)
            BILAT_TRY(text_render_claims(b, sec, 0));
        else
            BILAT_TRY(text_render_section(b, sec, 0));
    }
    return text_render_sources(b, json_object_get(doc, "sources"));
}

int text_render_sources(struct bilat_buf *b, const json_t *sources)
{
    if (!json_array_size(sources))
        return 0;
    BILAT_TRY(bilat_buf_adds(b, "== Sources ==\n"));
    size_t i;
    const json_t *src;
    json_array_foreach(sources, i, src)
    {
        BILAT_TRY(bilat_buf_addf(b, "[%s] ", str(src, "id")));
        const char *au = str(src, "author"), *ti = str(src, "title"), *pu = str(src, "publisher");
        const char *da = str(src, "date");
        if (*au)
            BILAT_TRY(bilat_buf_addf(b, "%s%s ", au, full_stop(au)));
        BILAT_TRY(bilat_buf_addf(b, "%s%s", ti, full_stop(ti)));
        if (*pu)
            BILAT_TRY(bilat_buf_addf(b, " %s%s", pu, full_stop(pu)));
        if (*da)
            BILAT_TRY(bilat_buf_addf(b, " %s%s", da, full_stop(da)));
        if (*str(src, "url"))
            BILAT_TRY(bilat_buf_addf(b, " %s", str(src, "url")));
        BILAT_TRY(bilat_buf_addch(b, '\n'));
    }
    return 0;
}
