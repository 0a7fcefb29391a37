/*
 * html.h: HTML rendering of a profile document (implements bilat_report_write()).
 */
#ifndef BILAT_REPORT_HTML_H
#define BILAT_REPORT_HTML_H

#include "core/buf.h"

#include <jansson.h>

/* Append the whole report page for a profile document. 0 or BILAT_ENOMEM. */
int html_render_report(struct bilat_buf *b, const json_t *doc);

#endif
