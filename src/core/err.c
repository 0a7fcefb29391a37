/*
 * err.c: the error table (enum, names, descriptions) and the bilat_fail() helpers.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bilat_strerror(int code)
{
    switch (code) {
    case BILAT_OK:
        return "success";
#define BILAT_ERR_TEXT_(name, value, text)                                                         \
    case BILAT_E##name:                                                                            \
        return text;
        BILAT_ERR_MAP(BILAT_ERR_TEXT_)
#undef BILAT_ERR_TEXT_
    }
    return "unknown error";
}

const char *bilat_errname(int code)
{
    switch (code) {
    case BILAT_OK:
        return "BILAT_OK";
#define BILAT_ERR_NAME_(name, value, text)                                                         \
    case BILAT_E##name:                                                                            \
        return "BILAT_E" #name;
        BILAT_ERR_MAP(BILAT_ERR_NAME_)
#undef BILAT_ERR_NAME_
    }
    return "BILAT_EUNKNOWN";
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
