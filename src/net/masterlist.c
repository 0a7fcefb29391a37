/*
 * masterlist.c: reading GDELT's file lists (masterlist.h).
 *
 * The master list grows by three lines every 15 minutes since February 2015 (over a million
 * lines), so it is read in 1 MiB blocks and split with memchr, never held whole. Fields may be
 * separated by any run of spaces or tabs; a line that is not SIZE MD5 URL is reported with its
 * number and skipped, since one damaged line must not hide the rest of the list.
 */
#include "net/masterlist.h"

#include "core/alloc.h"
#include "core/err.h"
#include "core/parse.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { ML_BLOCK = 1 << 20, ML_MAX_LINE = 64 << 10, ML_SHOWN = 20 };

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Whether YYYYMMDDHHMMSS is a real date and time. */
static int slot_valid(uint64_t v)
{
    unsigned s = (unsigned)(v % 100), mi = (unsigned)(v / 100 % 100),
             h = (unsigned)(v / 10000 % 100), d = (unsigned)(v / 1000000 % 100),
             mo = (unsigned)(v / 100000000 % 100), y = (unsigned)(v / 10000000000ULL);
    return y >= 1000 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
           (int)d <= bilat_days_in_month((int)y, (int)mo) && h < 24 && mi < 60 && s < 60;
}

uint64_t ml_slot_of_name(const char *name)
{
    size_t n = 0;
    uint64_t v = 0;
    while (name[n] >= '0' && name[n] <= '9' && n < 15)
        v = v * 10 + (uint64_t)(name[n++] - '0');
    if (n == 8)
        v *= 1000000;
    else if (n != 14)
        return 0;
    return slot_valid(v) ? v : 0;
}

void ml_slot_text(uint64_t v, char out[20])
{
    snprintf(out, 20, "%04u-%02u-%02u %02u:%02u:%02u", (unsigned)(v / 10000000000ULL % 10000),
             (unsigned)(v / 100000000 % 100), (unsigned)(v / 1000000 % 100),
             (unsigned)(v / 10000 % 100), (unsigned)(v / 100 % 100), (unsigned)(v % 100));
}

/* `n` digits at *p as a number (advancing p); -1 when they are not all digits. */
static long digits(const char **p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

int ml_parse_time(const char *s, int end, uint64_t *out)
{
    const char *p = s;
    long y = -1, mo = -1, d = -1, h = -1, mi = -1, sec = -1;
    size_t len = strlen(s);
    if (len == 8 || len == 14) {
        /* YYYYMMDD[HHMMSS] */
        y = digits(&p, 4), mo = digits(&p, 2), d = digits(&p, 2);
        if (len == 14)
            h = digits(&p, 2), mi = digits(&p, 2), sec = digits(&p, 2);
        if (y < 0 || mo < 0 || d < 0 || (len == 14 && (h < 0 || mi < 0 || sec < 0)))
            return -1;
    } else {
        y = digits(&p, 4);
        if (y < 0)
            return -1;
        if (*p == '-') {
            p++;
            if ((mo = digits(&p, 2)) < 0)
                return -1;
            if (*p == '-') {
                p++;
                if ((d = digits(&p, 2)) < 0)
                    return -1;
                if (*p == 'T' || *p == ' ') {
                    p++;
                    if ((h = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
                        return -1;
                    if (*p == ':') {
                        p++;
                        if ((sec = digits(&p, 2)) < 0)
                            return -1;
                    }
                }
            }
        }
        if (*p)
            return -1;
    }
    if (mo < 0)
        mo = end ? 12 : 1;
    if (mo < 1 || mo > 12 || y < 1000)
        return -1;
    if (d < 0)
        d = end ? (unsigned)bilat_days_in_month((int)y, (int)mo) : 1;
    if (h < 0)
        h = end ? 23 : 0, mi = end ? 59 : 0;
    if (sec < 0)
        sec = end ? 59 : 0;
    uint64_t v = (uint64_t)y * 10000000000ULL + (uint64_t)mo * 100000000 + (uint64_t)d * 1000000 +
                 (uint64_t)h * 10000 + (uint64_t)mi * 100 + (uint64_t)sec;
    if (!slot_valid(v))
        return -1;
    *out = v;
    return 0;
}

static enum ml_kind kind_of(const char *name)
{
    /* GDELT 2.0: NNN.mentions.CSV.zip, NNN.gkg.csv.zip (also translation.mentions, ...) */
    for (const char *p = name; (p = strchr(p, '.')) != NULL; p++) {
        if (strncasecmp(p, ".mentions.", 10) == 0)
            return ML_MENTIONS;
        if (strncasecmp(p, ".gkg.", 5) == 0)
            return ML_GKG;
    }
    return ML_EXPORT;
}

int ml_parse_line(char *line, size_t len, struct ml_entry *out, const char **why)
{
    if (len && line[len - 1] == '\r')
        len--;
    line[len] = '\0';
    char *f[4] = {NULL, NULL, NULL, NULL};
    size_t nf = 0;
    for (char *p = line; *p;) {
        while (is_blank(*p))
            p++;
        if (!*p)
            break;
        if (nf == 4) {
            *why = "expected SIZE MD5 URL, got more fields";
            return -1;
        }
        f[nf++] = p;
        while (*p && !is_blank(*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    if (nf == 0)
        return 0;
    if (nf != 3) {
        *why = nf == 4 ? "expected SIZE MD5 URL, got more fields" : "expected SIZE MD5 URL";
        return -1;
    }
    int64_t size = 0;
    for (const char *p = f[0]; *p; p++) {
        if (*p < '0' || *p > '9' || size > (INT64_MAX - 9) / 10) {
            *why = "the size is not a number of bytes";
            return -1;
        }
        size = size * 10 + (*p - '0');
    }
    if (strlen(f[1]) != 32) {
        *why = "the MD5 is not 32 hexadecimal digits";
        return -1;
    }
    for (int i = 0; i < 32; i++) {
        int v = hexval(f[1][i]);
        if (v < 0) {
            *why = "the MD5 is not 32 hexadecimal digits";
            return -1;
        }
        out->md5[i] = "0123456789abcdef"[v];
    }
    out->md5[32] = '\0';
    /* the name: the last path segment, without a query or fragment */
    const char *u = f[2];
    size_t ulen = strcspn(u, "?#");
    size_t b = ulen;
    while (b > 0 && u[b - 1] != '/')
        b--;
    size_t nlen = ulen - b;
    if (nlen == 0 || nlen >= sizeof(out->name) || (nlen == 1 && u[b] == '.') ||
        (nlen == 2 && u[b] == '.' && u[b + 1] == '.')) {
        *why = "the URL names no file";
        return -1;
    }
    if (u[b] == '.' || (nlen >= 5 && strncmp(u + b + nlen - 5, ".part", 5) == 0)) {
        /* names of the download directory's own files: hidden ones, parts of downloads */
        *why = "the file name starts with a dot or ends in .part";
        return -1;
    }
    memcpy(out->name, u + b, nlen);
    out->name[nlen] = '\0';
    out->size = size;
    out->url = u;
    out->kind = kind_of(out->name);
    out->slot = ml_slot_of_name(out->name);
    return 1;
}

static void report(const struct bilat_diag *d, const char *path, uint64_t line, const char *fmt,
                   ...) BILAT_PRINTF(4, 5);

static void report(const struct bilat_diag *d, const char *path, uint64_t line, const char *fmt,
                   ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(d, BILAT_LOG_WARNING, path, line, fmt, ap);
    va_end(ap);
}

/* One line of the list: parse it and hand it on. */
static int one_line(char *p, size_t len, uint64_t lineno, const char *path, ml_entry_fn *fn,
                    void *ctx, const struct bilat_diag *diag, struct ml_stats *st,
                    struct bilat_err *err)
{
    st->lines++;
    struct ml_entry e;
    const char *why = NULL;
    int r = len > ML_MAX_LINE ? -1 : ml_parse_line(p, len, &e, &why);
    if (r < 0) {
        if (++st->bad <= ML_SHOWN)
            report(diag, path, lineno, "%s", why ? why : "line too long");
        return 0;
    }
    if (r == 0)
        return 0;
    st->entries++;
    return fn(ctx, &e, lineno, err);
}

int ml_read(const char *path, const char *shown, ml_entry_fn *fn, void *ctx,
            const struct bilat_diag *diag, struct ml_stats *stats, struct bilat_err *err)
{
    struct ml_stats st = {0, 0, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return bilat_fail_at(err, errno == ENOENT ? BILAT_ENOTFOUND : BILAT_EIO, path, 0,
                             "cannot open '%s': %s", path, strerror(errno));
    /* one block plus the carried start of a line, plus the NUL ml_parse_line() writes */
    char *buf = bilat_malloc(ML_BLOCK + ML_MAX_LINE + 2);
    int rc = 0;
    if (!buf) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    size_t have = 0;  /* bytes in buf: the carried part of a line, then the new block */
    int skipping = 0; /* inside a line too long to keep: dropped up to its newline */
    uint64_t lineno = 0;
    for (;;) {
        size_t r = fread(buf + have, 1, ML_BLOCK, f);
        if (r == 0 && ferror(f)) {
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot read '%s': %s", path,
                               strerror(errno));
            goto out;
        }
        size_t end = have + r, start = 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', end - start);
            if (!nl)
                break;
            size_t len = (size_t)(nl - (buf + start));
            lineno++;
            rc = one_line(buf + start, skipping ? ML_MAX_LINE + 1 : len, lineno, shown, fn, ctx,
                          diag, &st, err);
            skipping = 0;
            if (rc < 0)
                goto out;
            start += len + 1;
        }
        if (r == 0) {
            if (end > start || skipping) {
                /* a last line without a newline */
                lineno++;
                rc = one_line(buf + start, skipping ? ML_MAX_LINE + 1 : end - start, lineno, shown,
                              fn, ctx, diag, &st, err);
                if (rc < 0)
                    goto out;
            }
            break;
        }
        have = end - start;
        if (have > ML_MAX_LINE) {
            /* too long to be a line of a list: drop it, remember to count it as bad */
            skipping = 1;
            have = 0;
        } else {
            memmove(buf, buf + start, have);
        }
    }
    if (st.bad > ML_SHOWN)
        report(diag, shown, 0, "%llu more bad lines not shown",
               (unsigned long long)(st.bad - ML_SHOWN));
out:
    bilat_free(buf);
    fclose(f);
    if (stats)
        *stats = st;
    return rc;
}
