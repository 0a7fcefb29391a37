/*
 * jsonw.c: JSON text of a Jansson value (jsonw.h). One pass over the value, appending to a
 * buffer whose room is checked once per piece; the NUL is written at the end.
 */
#include "core/jsonw.h"

#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define INDENT_OF(flags) ((flags)&0x1F)              /* JSON_INDENT(n) */
#define PRECISION_OF(flags) (((flags) >> 11) & 0x1F) /* JSON_REAL_PRECISION(n) */

struct w {
    struct bilat_buf *b;
    size_t flags;
    int rc;
    const json_t *of;   /* the array whose elements are given as texts, or NULL */
    char *const *texts; /* their texts */
};

/* Room for n more bytes (and the final NUL); 0 when out of memory (w->rc set). */
static int room(struct w *w, size_t n)
{
    if (w->b->alloc > w->b->len + n)
        return 1;
    if (bilat_buf_grow(w->b, n) < 0) {
        w->rc = BILAT_ENOMEM;
        return 0;
    }
    return 1;
}

static void put(struct w *w, const char *s, size_t n)
{
    if (n && room(w, n)) {
        memcpy(w->b->buf + w->b->len, s, n);
        w->b->len += n;
    }
}

/* A new line and the indentation of `depth`, or with `space` and neither indentation nor
 * JSON_COMPACT one space: Jansson's layout. */
static void indent(struct w *w, int depth, int space)
{
    size_t k = INDENT_OF(w->flags);
    if (k) {
        size_t n = 1 + (size_t)depth * k;
        if (room(w, n)) {
            char *o = w->b->buf + w->b->len;
            o[0] = '\n';
            memset(o + 1, ' ', n - 1);
            w->b->len += n;
        }
    } else if (space && !(w->flags & JSON_COMPACT)) {
        put(w, " ", 1);
    }
}

/* Bytes a string cannot hold as they are: the quote, the backslash and control characters. */
static int must_escape(unsigned char c)
{
    return c < 0x20 || c == '"' || c == '\\';
}

#define ONES 0x0101010101010101u
#define HIGHS 0x8080808080808080u

/* The length of the run of bytes at s (n of them) that need no escape: eight at a time, with
 * the bit tricks that tell whether a word holds a zero byte (x - ONES & ~x & HIGHS) applied to
 * the word itself (a byte below 0x20) and to it xor a quote or a backslash. */
static size_t plain_run(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, q, b;
        memcpy(&w, s + i, 8);
        q = w ^ (ONES * '"');
        b = w ^ (ONES * '\\');
        if (((w - ONES * 0x20) & ~w & HIGHS) | ((q - ONES) & ~q & HIGHS) |
            ((b - ONES) & ~b & HIGHS))
            break;
    }
    while (i < n && !must_escape((unsigned char)s[i]))
        i++;
    return i;
}

static void string(struct w *w, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    put(w, "\"", 1);
    for (size_t i = 0; i < n;) {
        size_t run = plain_run(s + i, n - i);
        put(w, s + i, run);
        i += run;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i++];
        /* the bytes with a two-character escape, and the letter of each; others are \u00XX */
        static const char named[] = "\"\\\b\f\n\r\t", letter[] = "\"\\bfnrt";
        const char *at = memchr(named, c, sizeof(named) - 1);
        char e[6] = {'\\', at ? letter[at - named] : 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        size_t len = at ? 2 : 6;
        put(w, e, len);
    }
    put(w, "\"", 1);
}

static void integer(struct w *w, json_int_t v)
{
    char d[24], *o = d + sizeof(d);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--o = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--o = '-';
    put(w, o, (size_t)(d + sizeof(d) - o));
}

/* "%.*g" (17 digits when the precision is 0), then a ".0" when there is neither a point nor
 * an exponent, and the exponent without its '+' and leading zeros. */
static void real(struct w *w, double v)
{
    char d[64];
    int prec = (int)PRECISION_OF(w->flags);
    int n = snprintf(d, sizeof(d), "%.*g", prec ? prec : 17, v);
    if (n < 0 || (size_t)n >= sizeof(d) - 3) {
        w->rc = BILAT_EINVAL;
        return;
    }
    char *e = memchr(d, 'e', (size_t)n);
    if (!e && !memchr(d, '.', (size_t)n)) {
        memcpy(d + n, ".0", 3);
        n += 2;
    }
    if (e) {
        char *from = e + 1, *to = e + 1; /* the exponent's sign and digits */
        if (*from == '-')
            to = ++from;
        else if (*from == '+')
            from++;
        while (*from == '0' && from[1])
            from++;
        size_t tail = (size_t)(d + n - from);
        memmove(to, from, tail + 1);
        n = (int)((size_t)(to - d) + tail);
    }
    put(w, d, (size_t)n);
}

static void value(struct w *w, const json_t *v, int depth)
{
    if (w->rc < 0)
        return;
    if (!v) {
        w->rc = BILAT_EINVAL;
        return;
    }
    switch (json_typeof(v)) {
    case JSON_NULL:
        put(w, "null", 4);
        break;
    case JSON_TRUE:
        put(w, "true", 4);
        break;
    case JSON_FALSE:
        put(w, "false", 5);
        break;
    case JSON_INTEGER:
        integer(w, json_integer_value(v));
        break;
    case JSON_REAL:
        real(w, json_real_value(v));
        break;
    case JSON_STRING:
        string(w, json_string_value(v), json_string_length(v));
        break;
    case JSON_ARRAY: {
        size_t n = json_array_size(v);
        put(w, "[", 1);
        if (n)
            indent(w, depth + 1, 0);
        for (size_t i = 0; i < n && w->rc == 0; i++) {
            if (v == w->of)
                put(w, w->texts[i], strlen(w->texts[i]));
            else
                value(w, json_array_get(v, i), depth + 1);
            if (i + 1 < n) {
                put(w, ",", 1);
                indent(w, depth + 1, 1);
            } else {
                indent(w, depth, 0);
            }
        }
        put(w, "]", 1);
        break;
    }
    case JSON_OBJECT: {
        int compact = (w->flags & JSON_COMPACT) != 0;
        /* Jansson's iterators take a non-const object; it is only read */
        json_t *o = (json_t *)(uintptr_t)v;
        void *it = json_object_iter(o);
        put(w, "{", 1);
        if (it)
            indent(w, depth + 1, 0);
        while (it && w->rc == 0) {
            void *next = json_object_iter_next(o, it);
            string(w, json_object_iter_key(it), json_object_iter_key_len(it));
            put(w, ": ", compact ? 1 : 2);
            value(w, json_object_iter_value(it), depth + 1);
            if (next) {
                put(w, ",", 1);
                indent(w, depth + 1, 1);
            } else {
                indent(w, depth, 0);
            }
            it = next;
        }
        put(w, "}", 1);
        break;
    }
    default:
        w->rc = BILAT_EINVAL;
    }
}

static int write_doc(struct bilat_buf *b, const json_t *v, size_t flags, int depth,
                     const json_t *of, char *const *texts)
{
    size_t start = b->len;
    struct w w = {b, flags, 0, of, texts};
    value(&w, v, depth);
    if (w.rc == 0 && !room(&w, 0))
        w.rc = BILAT_ENOMEM;
    if (w.rc < 0)
        b->len = start;
    if (b->alloc)
        b->buf[b->len] = '\0';
    return w.rc;
}

int bilat_jsonw(struct bilat_buf *b, const json_t *v, size_t flags, int depth)
{
    return write_doc(b, v, flags, depth, NULL, NULL);
}

int bilat_jsonw_texts(struct bilat_buf *b, const json_t *v, size_t flags, const json_t *of,
                      char *const *texts)
{
    return write_doc(b, v, flags, 0, of, texts);
}

char *bilat_jsonw_dumps(const json_t *v, size_t flags, int depth)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    if (bilat_jsonw(&b, v, flags, depth) < 0) {
        bilat_buf_release(&b);
        return NULL;
    }
    return bilat_buf_detach(&b, NULL);
}
