/*
 * err.h: raising and propagating errors (docs/STYLE.md, "Errors").
 *
 * bilat_fail() fills an optional struct bilat_err and returns the code, so that a failing path
 * reads `return bilat_fail(err, BILAT_EPARSE, "expected %d fields, got %d", want, got);`.
 * BILAT_TRY() forwards a negative status. BILAT_BUG() handles impossible states.
 */
#ifndef BILAT_CORE_ERR_H
#define BILAT_CORE_ERR_H

#include "bilat.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define BILAT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define BILAT_PRINTF(f, a)
#endif

/* Fill `err` (if not NULL) with `code` and the formatted message; return `code`. */
int bilat_fail(struct bilat_err *err, int code, const char *fmt, ...) BILAT_PRINTF(3, 4);

/* Like bilat_fail(), also recording the file and line the error is about. */
int bilat_fail_at(struct bilat_err *err, int code, const char *path, uint64_t line,
                  const char *fmt, ...) BILAT_PRINTF(5, 6);

/* Put context before the message of a filled `err` ("cannot load: " + msg). NULL does nothing. */
void bilat_err_prefix(struct bilat_err *err, const char *fmt, ...) BILAT_PRINTF(2, 3);

/* Send a formatted message (cut at 511 bytes) through the optional callback `d`: nothing when `d`
 * or its function is NULL. */
void bilat_diag_vsend(const struct bilat_diag *d, enum bilat_level lv, const char *path,
                      uint64_t line, const char *fmt, va_list ap) BILAT_PRINTF(5, 0);

/* Format a message (cut at 255 bytes) and hand it to a parser's callback for a bad row,
 * fn(ctx, line, msg). */
void bilat_rejectf(void (*fn)(void *ctx, uint64_t line, const char *msg), void *ctx, uint64_t line,
                   const char *fmt, ...) BILAT_PRINTF(4, 5);

/* Forward a negative status from `expr`. */
#define BILAT_TRY(expr)                                                                            \
    do {                                                                                           \
        int bilat_try_rc_ = (expr);                                                                \
        if (bilat_try_rc_ < 0)                                                                     \
            return bilat_try_rc_;                                                                  \
    } while (0)

/* An impossible state in release builds: print where and abort. */
#define BILAT_BUG(msg) bilat_bug(__FILE__, __LINE__, (msg))
_Noreturn void bilat_bug(const char *file, int line, const char *msg);

#endif
