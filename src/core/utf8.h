/*
 * utf8.h: UTF-8 validation (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
 */
#ifndef BILAT_CORE_UTF8_H
#define BILAT_CORE_UTF8_H

#include <stddef.h>

/* Offset of the first byte that is not valid UTF-8 in s[0..len), or `len` if all is valid. */
size_t bilat_utf8_check(const char *s, size_t len);

#endif
