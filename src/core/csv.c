/*
 * csv.c: a small state machine over the in-memory file. Unquoted fields are found with
 * memchr-free byte loops (these files are a few megabytes; the hot GDELT path has its own
 * scanner); quoted fields are unescaped by copying down in place ("" -> ", and with `escape`
 * set \" -> " and \n -> a line break).
 */
#include "core/csv.h"

#include "core/file.h"
#include "core/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static void csv_init(struct csv_file *f, const char *path, char delim)
{
    memset(f, 0, sizeof(*f));
    f->path = path;
    f->delim = delim;
    f->next_line = 1;
    bilat_buf_init(&f->data);
}

int csv_open(struct csv_file *f, const char *path, char delim, struct bilat_err *err)
{
    csv_init(f, path, delim);
    BILAT_TRY(bilat_file_read(path, CSV_MAX_BYTES, &f->data, err));
    f->pos = f->data.buf;
    f->end = f->data.buf + f->data.len;
    if (f->end - f->pos >= 3 && memcmp(f->pos, "\xEF\xBB\xBF", 3) == 0)
        f->pos += 3;
    return 0;
}

int csv_open_mem(struct csv_file *f, const char *name, const char *data, size_t len, char delim)
{
    csv_init(f, name, delim);
    if (bilat_buf_add(&f->data, data, len) < 0)
        return BILAT_ENOMEM;
    f->pos = f->data.buf;
    f->end = f->data.buf + f->data.len;
    return 0;
}

/* Skip to the start of the next record after an error. */
static void skip_rest(struct csv_file *f)
{
    while (f->pos < f->end && *f->pos != '\n')
        f->pos++;
    if (f->pos < f->end) {
        f->pos++;
        f->next_line++;
    }
}

int csv_next(struct csv_file *f)
{
    char *p = f->pos;
    if (p >= f->end)
        return 0;
    f->line = f->next_line;
    f->nf = 0;
    f->reason[0] = '\0';
    const char d = f->delim;
    for (;;) {
        char *start = p, *w = p;
        if (p < f->end && *p == '"') {
            p++;
            for (;;) {
                if (p >= f->end) {
                    f->pos = f->end;
                    snprintf(f->reason, sizeof(f->reason), "unclosed quote");
                    return BILAT_EPARSE;
                }
                if (*p == '"') {
                    if (p + 1 < f->end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (f->escape && *p == f->escape && p + 1 < f->end && p[1] &&
                    strchr("\"\\nrt", p[1])) {
                    char c = p[1];
                    *w++ = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
                    p += 2;
                    continue;
                }
                if (*p == '\n')
                    f->next_line++;
                *w++ = *p++;
            }
            if (p < f->end && *p != d && *p != '\n' && *p != '\r') {
                f->pos = p;
                snprintf(f->reason, sizeof(f->reason), "text after closing quote in field %zu",
                         f->nf + 1);
                skip_rest(f);
                return BILAT_EPARSE;
            }
        } else {
            while (p < f->end && *p != d && *p != '\n') {
                if (*p == '"') {
                    f->pos = p;
                    snprintf(f->reason, sizeof(f->reason), "quote inside unquoted field %zu",
                             f->nf + 1);
                    skip_rest(f);
                    return BILAT_EPARSE;
                }
                p++;
            }
            w = p;
            /* CRLF, and the CR CR LF some exports write: drop every CR before the LF */
            while (w > start && w[-1] == '\r' && (p >= f->end || *p == '\n'))
                w--;
        }
        while (p < f->end && *p == '\r' && p + 1 < f->end && (p[1] == '\n' || p[1] == '\r'))
            p++;
        int last = p >= f->end || *p == '\n';
        if (f->nf < CSV_MAX_COLS) {
            f->fields[f->nf] = start;
            f->lens[f->nf] = (size_t)(w - start);
        }
        f->nf++;
        if (p < f->end)
            p++;
        *w = '\0';
        if (last) {
            f->next_line++;
            break;
        }
    }
    f->pos = p;
    for (size_t i = 0; i < f->nf && i < CSV_MAX_COLS; i++) {
        size_t bad = bilat_utf8_check(f->fields[i], f->lens[i]);
        if (bad < f->lens[i] || memchr(f->fields[i], '\0', f->lens[i])) {
            snprintf(f->reason, sizeof(f->reason), "invalid UTF-8 or NUL byte in field %zu", i + 1);
            return BILAT_EPARSE;
        }
    }
    if (f->nf > CSV_MAX_COLS) {
        snprintf(f->reason, sizeof(f->reason), "more than %d fields", CSV_MAX_COLS);
        return BILAT_EPARSE;
    }
    return 1;
}

void csv_close(struct csv_file *f)
{
    bilat_buf_release(&f->data);
    f->pos = f->end = NULL;
}

int csv_column(const struct csv_file *f, const char *name)
{
    for (size_t i = 0; i < f->nf && i < CSV_MAX_COLS; i++)
        if (strcasecmp(f->fields[i], name) == 0)
            return (int)i;
    return -1;
}

const char *csv_value(const struct csv_file *f, int i)
{
    if (i < 0 || (size_t)i >= f->nf || (size_t)i >= CSV_MAX_COLS)
        return NULL;
    const char *s = f->fields[i];
    for (const char *p = s; *p; p++)
        if (!isspace((unsigned char)*p))
            return s;
    return NULL;
}

int csv_write_field(const char *s, size_t len, csv_sink *put, void *ctx)
{
    size_t i = 0;
    while (i < len && s[i] != ',' && s[i] != '"' && s[i] != '\r' && s[i] != '\n')
        i++;
    if (i == len)
        return len ? put(ctx, s, len) : 0;
    const char *p = s, *end = s + len;
    int rc = put(ctx, "\"", 1);
    while (rc == 0 && p < end) {
        /* up to and with the next quote, then that quote once more */
        const char *q = memchr(p, '"', (size_t)(end - p));
        rc = put(ctx, p, q ? (size_t)(q - p) + 1 : (size_t)(end - p));
        if (!q)
            break;
        if (rc == 0)
            rc = put(ctx, "\"", 1);
        p = q + 1;
    }
    return rc == 0 ? put(ctx, "\"", 1) : rc;
}

int csv_sink_buf(void *buf, const char *p, size_t n)
{
    return bilat_buf_add(buf, p, n);
}

int csv_sink_file(void *file, const char *p, size_t n)
{
    return fwrite(p, 1, n, file) == n ? 0 : BILAT_EIO;
}
