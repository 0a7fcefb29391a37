/*
 * buf.c: growable strings. Growth doubles, so appending n bytes costs O(n) amortised.
 */
#include "core/buf.h"

#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

char bilat_buf_empty[1];

void bilat_buf_init(struct bilat_buf *b)
{
    b->buf = bilat_buf_empty;
    b->len = b->alloc = 0;
}

void bilat_buf_release(struct bilat_buf *b)
{
    if (b->alloc)
        bilat_free(b->buf);
    bilat_buf_init(b);
}

int bilat_buf_grow(struct bilat_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return BILAT_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->alloc)
        return 0;
    size_t cap = b->alloc ? b->alloc : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = bilat_realloc(b->alloc ? b->buf : NULL, cap);
    if (!p)
        return BILAT_ENOMEM;
    if (!b->alloc)
        p[0] = '\0';
    b->buf = p;
    b->alloc = cap;
    return 0;
}

int bilat_buf_add(struct bilat_buf *b, const void *data, size_t len)
{
    BILAT_TRY(bilat_buf_grow(b, len));
    if (len)
        memcpy(b->buf + b->len, data, len);
    b->len += len;
    b->buf[b->len] = '\0';
    return 0;
}

int bilat_buf_adds(struct bilat_buf *b, const char *s)
{
    return bilat_buf_add(b, s, strlen(s));
}

int bilat_buf_addch(struct bilat_buf *b, char c)
{
    return bilat_buf_add(b, &c, 1);
}

int bilat_buf_vaddf(struct bilat_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    char small[256];
    int n = vsnprintf(small, sizeof(small), fmt, cp);
    va_end(cp);
    if (n < 0)
        return BILAT_EINVAL;
    if ((size_t)n < sizeof(small))
        return bilat_buf_add(b, small, (size_t)n);
    BILAT_TRY(bilat_buf_grow(b, (size_t)n));
    vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int bilat_buf_addf(struct bilat_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = bilat_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

void bilat_buf_reset(struct bilat_buf *b)
{
    b->len = 0;
    if (b->alloc)
        b->buf[0] = '\0';
}

char *bilat_buf_detach(struct bilat_buf *b, size_t *len_out)
{
    if (len_out)
        *len_out = b->len;
    char *p = b->alloc ? b->buf : bilat_strdup("");
    bilat_buf_init(b);
    return p;
}
