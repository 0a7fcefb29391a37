/*
 * escape.h: all escaping of user data for HTML and SVG output lives here (docs/STYLE.md,
 * "Layers").
 */
#ifndef BILAT_REPORT_ESCAPE_H
#define BILAT_REPORT_ESCAPE_H

#include "core/buf.h"

/* Append `s` with & < > " ' escaped, for element text and quoted attribute values. NULL adds
 * nothing. Invalid UTF-8 bytes are replaced by U+FFFD so that output is always valid UTF-8. */
int html_escape(struct bilat_buf *b, const char *s);

/* Append `before`, `s` escaped, then `after`; nothing at all when `s` is NULL (a field that is
 * not there). */
int html_escape_between(struct bilat_buf *b, const char *before, const char *s, const char *after);

/* Append `s` made safe for an id/anchor: [A-Za-z0-9_-], others as '_'. */
int html_id(struct bilat_buf *b, const char *s);

/* Append `len` bytes percent-encoded for a data: URI (RFC 3986: unreserved bytes stay, every
 * other byte becomes %XX), so the result is also safe inside a quoted HTML attribute. */
int uri_encode(struct bilat_buf *b, const char *s, size_t len);

/* Append a number formatted for people: integers without decimals, others with up to 4
 * significant decimals; large values with thousands separators. */
int html_number(struct bilat_buf *b, double v);

/* Format a number for machine-readable text (CLI tables): integral values as integers, others
 * with %.10g. `out` must hold 32 bytes. */
void fmt_number(char out[32], double v);

/* The stop that ends a citation's part: "" when `s` already ends with '.', '?' or '!', else ".",
 * so that "Dasandi, N." is not followed by a second full stop. */
const char *full_stop(const char *s);

#endif
