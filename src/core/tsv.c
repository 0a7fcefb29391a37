/*
 * tsv.c: in-place splitting of curated TSV files. Each line is cut at its LF, checked for NUL
 * bytes and UTF-8, then split at TABs; the TABs and the LF become NULs so that fields are
 * C strings the SQLite binder can take without a copy.
 */
#include "core/tsv.h"

#include "core/file.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

/* Cut the next line; returns its start and sets *len, or NULL at end. */
static char *next_line(struct tsv_file *f, size_t *len)
{
    if (f->pos >= f->end)
        return NULL;
    char *s = f->pos;
    char *nl = memchr(s, '\n', (size_t)(f->end - s));
    char *e = nl ? nl : f->end;
    f->pos = nl ? nl + 1 : f->end;
    f->line++;
    if (e > s && e[-1] == '\r')
        e--;
    *e = '\0';
    *len = (size_t)(e - s);
    return s;
}

/* Check one line; on failure fill f->reason and return -1. */
static int check_line(struct tsv_file *f, const char *s, size_t len)
{
    const char *nul = memchr(s, '\0', len);
    if (nul) {
        snprintf(f->reason, sizeof(f->reason), "NUL byte at column %zu", (size_t)(nul - s) + 1);
        return -1;
    }
    size_t bad = bilat_utf8_check(s, len);
    if (bad < len) {
        snprintf(f->reason, sizeof(f->reason), "invalid UTF-8 at byte %zu", bad + 1);
        return -1;
    }
    return 0;
}

/* Split a checked line at TABs into f->fields; returns the field count (may exceed max). */
static size_t split(struct tsv_file *f, char *s, size_t len)
{
    size_t n = 0;
    char *end = s + len;
    for (;;) {
        char *tab = memchr(s, '\t', (size_t)(end - s));
        char *e = tab ? tab : end;
        if (n < TSV_MAX_COLS) {
            f->fields[n] = s;
            f->lens[n] = (size_t)(e - s);
        }
        n++;
        if (!tab)
            break;
        *tab = '\0';
        s = tab + 1;
    }
    return n;
}

static int skip_line(const char *s, size_t len)
{
    return len == 0 || s[0] == '#';
}

int tsv_open(struct tsv_file *f, const char *path, struct bilat_err *err)
{
    memset(f, 0, sizeof(*f));
    f->path = path;
    bilat_buf_init(&f->data);
    BILAT_TRY(bilat_file_read(path, TSV_MAX_BYTES, &f->data, err));
    f->pos = f->data.buf;
    f->end = f->data.buf + f->data.len;
    /* A spreadsheet's byte-order mark starts the file, whatever its first line is (a comment,
     * a blank line or the header). */
    if (f->data.len >= 3 && memcmp(f->pos, "\xEF\xBB\xBF", 3) == 0)
        f->pos += 3;
    /*
     * A NUL byte in the file would end a field early; the per-line check catches it because
     * lines are located with memchr over the real length, never with strlen.
     */
    size_t len;
    char *s;
    while ((s = next_line(f, &len)) && skip_line(s, len))
        ;
    if (!s)
        return bilat_fail_at(err, BILAT_EPARSE, path, f->line ? f->line : 1,
                             "no header line");
    if (check_line(f, s, len) < 0)
        return bilat_fail_at(err, BILAT_EPARSE, path, f->line, "%s", f->reason);
    size_t n = split(f, s, len);
    if (n > TSV_MAX_COLS)
        return bilat_fail_at(err, BILAT_EPARSE, path, f->line, "more than %d columns",
                             TSV_MAX_COLS);
    for (size_t i = 0; i < n; i++) {
        if (f->lens[i] == 0)
            return bilat_fail_at(err, BILAT_EPARSE, path, f->line, "empty column name (column %zu)",
                                 i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->names[j], f->fields[i]) == 0)
                return bilat_fail_at(err, BILAT_EPARSE, path, f->line,
                                     "duplicate column '%s'", f->fields[i]);
        f->names[i] = f->fields[i];
    }
    f->ncol = n;
    return 0;
}

int tsv_next(struct tsv_file *f)
{
    size_t len;
    char *s;
    while ((s = next_line(f, &len)) && skip_line(s, len))
        ;
    if (!s)
        return 0;
    f->reason[0] = '\0';
    if (check_line(f, s, len) < 0)
        return BILAT_EPARSE;
    size_t n = split(f, s, len);
    if (n != f->ncol) {
        snprintf(f->reason, sizeof(f->reason), "wrong column count: expected %zu fields, got %zu",
                 f->ncol, n);
        return BILAT_EPARSE;
    }
    return 1;
}

int tsv_col(const struct tsv_file *f, const char *name)
{
    for (size_t i = 0; i < f->ncol; i++)
        if (strcmp(f->names[i], name) == 0)
            return (int)i;
    return -1;
}

void tsv_close(struct tsv_file *f)
{
    bilat_buf_release(&f->data);
    f->pos = f->end = NULL;
}
