/*
 * fuzz_html_escape.c: escaping must never leave a raw '<', '>', '"', '\'' or invalid UTF-8.
 */
#include "core/buf.h"
#include "core/utf8.h"
#include "report/escape.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char s[4096];
    if (size >= sizeof(s))
        size = sizeof(s) - 1;
    memcpy(s, data, size);
    s[size] = '\0';
    struct bilat_buf b = BILAT_BUF_INIT;
    if (html_escape(&b, s) == 0) {
        if (strpbrk(b.buf, "<>\"'") || bilat_utf8_check(b.buf, b.len) != b.len)
            __builtin_trap();
    }
    bilat_buf_release(&b);
    html_id(&b, s);
    for (size_t i = 0; i < b.len; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-", b.buf[i]))
            __builtin_trap();
    bilat_buf_release(&b);
    return 0;
}
