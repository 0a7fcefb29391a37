/*
 * err.c: the error table (enum, names, descriptions) and the bilat_fail() helpers.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The error table: every code with its name and description (BILAT_ERR_MAP). */
static const struct {
    int code;
    const char *name, *text;
} errors[] = {{BILAT_OK, "BILAT_OK", "success"},
#define BILAT_ERR_ROW_(name, value, text) {BILAT_E##name, "BILAT_E" #name, text},
              BILAT_ERR_MAP(BILAT_ERR_ROW_)
#undef BILAT_ERR_ROW_
};

/* The row of `code` in errors[], or the number of rows for a code not in it. */
static size_t error_row(int code)
{
    size_t n = sizeof(errors) / sizeof(errors[0]);
    for (size_t i = 0; i < n; i++)
        if (errors[i].code == code)
            return i;
    return n;
}

const char *bilat_strerror(int code)
{
    size_t i = error_row(code);
    return i < sizeof(errors) / sizeof(errors[0]) ? errors[i].text : "unknown error";
}

const char *bilat_errname(int code)
{
    size_t i = error_row(code);
    return i < sizeof(errors) / sizeof(errors[0]) ? errors[i].name : "BILAT_EUNKNOWN";
}

static void err_vset(struct bilat_err *err, int code, const char *path, uint64_t line,
                     const char *fmt, va_list ap)
{
    err->code = code;
    err->path = path;
    err->line = line;
    err->col = 0;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int bilat_fail(struct bilat_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err_vset(err, code, NULL, 0, fmt, ap);
        va_end(ap);
    }
    return code;
}

void bilat_diag_vsend(const struct bilat_diag *d, enum bilat_level lv, const char *path,
                      uint64_t line, const char *fmt, va_list ap)
{
    if (!d || !d->fn)
        return;
    char msg[512];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    d->fn(d->ctx, lv, path, line, msg);
}

void bilat_rejectf(void (*fn)(void *ctx, uint64_t line, const char *msg), void *ctx, uint64_t line,
                   const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fn(ctx, line, msg);
}

int bilat_fail_at(struct bilat_err *err, int code, const char *path, uint64_t line,
                  const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err_vset(err, code, path, line, fmt, ap);
        va_end(ap);
    }
    return code;
}

void bilat_err_prefix(struct bilat_err *err, const char *fmt, ...)
{
    if (!err)
        return;
    char pre[256], msg[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof(msg), "%.100s%.150s", pre, err->msg);
    memcpy(err->msg, msg, sizeof(msg));
}

void bilat_bug(const char *file, int line, const char *msg)
{
    fprintf(stderr, "bilat: BUG: %s:%d: %s\n", file, line, msg); /* lint: allow */
    abort(); /* lint: allow (BILAT_BUG: an impossible state) */
}
