/*
 * buf.h: a growable, always NUL-terminated byte string (git's strbuf contract).
 *
 * Invariants: `buf` is never NULL (it points at a shared empty string until the first growth),
 * `len < alloc` once allocated, and buf[len] == '\0'. Functions that grow the buffer return
 * BILAT_ENOMEM on failure and leave the contents unchanged.
 */
#ifndef BILAT_CORE_BUF_H
#define BILAT_CORE_BUF_H

#include "core/err.h"

#include <stdarg.h>
#include <stddef.h>

struct bilat_buf {
    char *buf;    /* contents, NUL-terminated */
    size_t len;   /* bytes used, not counting the NUL */
    size_t alloc; /* bytes allocated, 0 while buf is the shared empty string */
};

extern char bilat_buf_empty[];
#define BILAT_BUF_INIT {bilat_buf_empty, 0, 0}

void bilat_buf_init(struct bilat_buf *b);
/* Free the memory; the buffer is empty and reusable afterwards. */
void bilat_buf_release(struct bilat_buf *b);
/* Make room for `extra` more bytes. */
int bilat_buf_grow(struct bilat_buf *b, size_t extra);
int bilat_buf_add(struct bilat_buf *b, const void *data, size_t len);
int bilat_buf_adds(struct bilat_buf *b, const char *s);
int bilat_buf_addch(struct bilat_buf *b, char c);
int bilat_buf_addf(struct bilat_buf *b, const char *fmt, ...) BILAT_PRINTF(2, 3);
int bilat_buf_vaddf(struct bilat_buf *b, const char *fmt, va_list ap);
void bilat_buf_reset(struct bilat_buf *b);
/* Hand the contents to the caller (caller frees with bilat_free()); the buffer is reset. */
char *bilat_buf_detach(struct bilat_buf *b, size_t *len_out);

#endif
