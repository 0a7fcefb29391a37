/*
 * escape.c: HTML escaping and number formatting for the report and the text tables.
 */
#include "report/escape.h"

#include "core/utf8.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int html_escape(struct bilat_buf *b, const char *s)
{
    if (!s)
        return 0;
    size_t len = strlen(s);
    size_t i = 0;
    while (i < len) {
        size_t ok = bilat_utf8_check(s + i, len - i);
        /* copy the valid run, escaping the five special characters */
        size_t run_start = i;
        for (size_t k = i; k < i + ok; k++) {
            const char *rep = NULL;
            switch (s[k]) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&#39;";
                break;
            default:
                break;
            }
            if (rep) {
                BILAT_TRY(bilat_buf_add(b, s + run_start, k - run_start));
                BILAT_TRY(bilat_buf_adds(b, rep));
                run_start = k + 1;
            }
        }
        BILAT_TRY(bilat_buf_add(b, s + run_start, i + ok - run_start));
        i += ok;
        if (i < len) {
            BILAT_TRY(bilat_buf_adds(b, "\xEF\xBF\xBD"));
            i++;
        }
    }
    return 0;
}

int html_escape_between(struct bilat_buf *b, const char *before, const char *s, const char *after)
{
    if (!s)
        return 0;
    BILAT_TRY(bilat_buf_adds(b, before));
    BILAT_TRY(html_escape(b, s));
    return bilat_buf_adds(b, after);
}

int html_id(struct bilat_buf *b, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-';
        BILAT_TRY(bilat_buf_addch(b, ok ? c : '_'));
    }
    return 0;
}

void fmt_number(char out[32], double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(out, 32, "%.0f", v);
    else
        snprintf(out, 32, "%.10g", v);
    if (strcmp(out, "-0") == 0)
        snprintf(out, 32, "0");
}

int html_number(struct bilat_buf *b, double v)
{
    char tmp[64];
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(tmp, sizeof(tmp), "%.0f", fabs(v));
    } else {
        double a = fabs(v);
        int dec = a >= 100 ? 1 : a >= 1 ? 2 : 4;
        snprintf(tmp, sizeof(tmp), "%.*f", dec, a);
    }
    if (v < 0 && strcmp(tmp, "0") != 0)
        BILAT_TRY(bilat_buf_addch(b, '-'));
    /* thousands separators (thin space) in the integer part */
    char *dot = strchr(tmp, '.');
    size_t ilen = dot ? (size_t)(dot - tmp) : strlen(tmp);
    for (size_t i = 0; i < ilen; i++) {
        BILAT_TRY(bilat_buf_addch(b, tmp[i]));
        size_t left = ilen - i - 1;
        if (left > 0 && left % 3 == 0)
            BILAT_TRY(bilat_buf_adds(b, "\xE2\x80\x89"));
    }
    return dot ? bilat_buf_adds(b, dot) : 0;
}

int uri_encode(struct bilat_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    BILAT_TRY(bilat_buf_grow(b, len + len / 2));
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_' || c == '.' || c == '~';
        if (keep) {
            BILAT_TRY(bilat_buf_addch(b, (char)c));
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            BILAT_TRY(bilat_buf_add(b, e, 3));
        }
    }
    return 0;
}

const char *full_stop(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n && strchr(".?!", s[n - 1]) ? "" : ".";
}
