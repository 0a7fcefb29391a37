/*
 * jsonw.h: JSON text of a Jansson value, written straight into a buffer.
 *
 * The text is byte for byte what json_dumps(v, flags) writes for the flags bilat uses: an
 * indentation (JSON_INDENT) or JSON_COMPACT, and JSON_REAL_PRECISION; object members in their
 * order of insertion, strings escaped as Jansson escapes them (quote, backslash and control
 * characters; other characters as they are), reals with "%.*g" and Jansson's touches (a ".0"
 * when neither a point nor an exponent shows, no '+' or leading zeros in the exponent).
 * The other flags (JSON_SORT_KEYS, JSON_ENSURE_ASCII, JSON_ESCAPE_SLASH, JSON_EMBED) are not
 * supported. It exists for speed: Jansson checks every container for cycles with a formatted
 * pointer and a hash table, and copies its result once more; a profile spends a fifth of its
 * time there (bench/RESULTS.md).
 */
#ifndef BILAT_CORE_JSONW_H
#define BILAT_CORE_JSONW_H

#include "core/buf.h"

#include <jansson.h>

/* Append the text of v (any value) to b, laid out as if v were `depth` containers deep in a
 * document (0: v is the document). 0, or BILAT_ENOMEM or BILAT_EINVAL (a value that has no
 * text: NULL); b then holds what it held before the call. */
int bilat_jsonw(struct bilat_buf *b, const json_t *v, size_t flags, int depth);

/* The same for the document v (depth 0), where the elements of the array `of` in it are not
 * written from their values but as the texts texts[i] (made beforehand by bilat_jsonw() at
 * their depth): the parts of a document written by several threads. */
int bilat_jsonw_texts(struct bilat_buf *b, const json_t *v, size_t flags, const json_t *of,
                      char *const *texts);

/* The text of v (laid out `depth` containers deep, as bilat_jsonw()) as a string the caller
 * frees with bilat_free(); NULL when out of memory. */
char *bilat_jsonw_dumps(const json_t *v, size_t flags, int depth);

#endif
