/*
 * records.c: the UNGDC speech reader and the AidData financial diplomacy reader (records.h).
 *
 * UNGDC: the file is read whole and split into lines; each non-blank line is one JSON object,
 * parsed with Jansson (which rejects invalid UTF-8 and, by default, a \u0000 escape). The
 * corpus gives the SHA-1 of each statement's original bytes; the text is hashed again
 * (OpenSSL's EVP SHA-1) and a statement whose text does not match is rejected: it was changed
 * after the corpus was built. The year must be the session's (session 1 met in 1946).
 *
 * AidData FD: CSV with quoted multi-line descriptions, read by the core CSV reader; amounts are
 * decimal numbers or empty (missing).
 */
#include "ingest/records.h"

#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/file.h"
#include "core/parse.h"

#include <ctype.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { UNGDC_MAX_BYTES = 512 * 1024 * 1024 };

/* SHA-1 of p[0..n) as 40 lower-case hex digits; false when libcrypto fails. */
static bool sha1_hex(const char *p, size_t n, char hex[41])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dl = 0;
    if (EVP_Digest(p, n, d, &dl, EVP_sha1(), NULL) != 1 || dl != 20)
        return false;
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 20; i++) {
        hex[2 * i] = digits[d[i] >> 4];
        hex[2 * i + 1] = digits[d[i] & 15];
    }
    hex[40] = '\0';
    return true;
}

static bool is_hex40(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return false;
    return i == 40;
}

/* One line: check it and hand it to the sink. Returns the sink's status (0 for a rejected
 * line). */
static int ungdc_line(struct ungdc_sink *sink, uint64_t line, const char *p, size_t n)
{
    json_error_t je;
    json_t *o = json_loadb(p, n, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        bilat_rejectf(sink->reject, sink->ctx, line, "not JSON: %s (column %d)", je.text,
                      je.column);
        return 0;
    }
    int rc = 0;
    json_t *iso = json_object_get(o, "iso3"), *ses = json_object_get(o, "session");
    json_t *yr = json_object_get(o, "year"), *txt = json_object_get(o, "text");
    json_t *sha = json_object_get(o, "sha1"), *file = json_object_get(o, "file");
    const char *iso3 = json_string_value(iso);
    struct ungdc_row r = {.line = line};
    char hex[41];
    if (!json_is_object(o)) {
        bilat_rejectf(sink->reject, sink->ctx, line, "not a JSON object");
    } else if (!iso3 || strlen(iso3) != 3 || !isupper((unsigned char)iso3[0]) ||
               !isupper((unsigned char)iso3[1]) || !isupper((unsigned char)iso3[2])) {
        bilat_rejectf(sink->reject, sink->ctx, line, "\"iso3\" must be three upper-case letters");
    } else if (!json_is_integer(ses) || json_integer_value(ses) < 1 ||
               json_integer_value(ses) > 500) {
        bilat_rejectf(sink->reject, sink->ctx, line,
                      "\"session\" must be a session number (1, 2, ...)");
    } else if (!json_is_integer(yr) || json_integer_value(yr) != json_integer_value(ses) + 1945) {
        bilat_rejectf(sink->reject, sink->ctx, line,
                      "\"year\" must be the session's year (session %lld met in %lld)",
                      (long long)json_integer_value(ses),
                      (long long)json_integer_value(ses) + 1945);
    } else if (!json_is_string(txt) || json_string_length(txt) == 0) {
        bilat_rejectf(sink->reject, sink->ctx, line, "no \"text\"");
    } else if (sha && (!json_is_string(sha) || !is_hex40(json_string_value(sha)))) {
        bilat_rejectf(sink->reject, sink->ctx, line, "\"sha1\" must be 40 lower-case hex digits");
    } else if (file && !json_is_string(file)) {
        bilat_rejectf(sink->reject, sink->ctx, line, "\"file\" must be a string");
    } else if (sha && (!sha1_hex(json_string_value(txt), json_string_length(txt), hex) ||
                       strcmp(hex, json_string_value(sha)) != 0)) {
        bilat_rejectf(sink->reject, sink->ctx, line,
                      "the text does not match its \"sha1\" (changed after the corpus was built)");
    } else {
        r.iso3 = iso3;
        r.session = (int)json_integer_value(ses);
        r.year = (int)json_integer_value(yr);
        r.text = json_string_value(txt);
        r.text_len = json_string_length(txt);
        r.sha1 = sha ? json_string_value(sha) : NULL;
        r.file = file ? json_string_value(file) : NULL;
        rc = sink->speech(sink->ctx, &r);
    }
    json_decref(o);
    return rc;
}

int ungdc_parse(const char *data, size_t len, struct ungdc_sink *sink)
{
    uint64_t line = 0;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < len;) {
        const char *p = data + i;
        const char *nl = memchr(p, '\n', len - i);
        size_t n = nl ? (size_t)(nl - p) : len - i;
        i += n + (nl != NULL);
        line++;
        size_t m = n;
        while (m && (p[m - 1] == '\r' || p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m == 0)
            continue;
        rc = ungdc_line(sink, line, p, m);
    }
    return rc;
}

int ungdc_read(const char *path, struct ungdc_sink *sink, struct bilat_err *err)
{
    struct bilat_buf data = BILAT_BUF_INIT;
    int rc = bilat_file_read(path, UNGDC_MAX_BYTES, &data, err);
    if (rc == 0)
        rc = ungdc_parse(data.buf, data.len, sink);
    bilat_buf_release(&data);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* AidData financial diplomacy                                                                */

/* Remove the carriage returns of field i (its escaped line breaks are CR LF). */
static void drop_cr(struct csv_file *f, int i)
{
    if (i < 0 || (size_t)i >= f->nf || (size_t)i >= CSV_MAX_COLS)
        return;
    char *s = f->fields[i], *w = s;
    for (const char *p = s; *p; p++)
        if (*p != '\r')
            *w++ = *p;
    *w = '\0';
    f->lens[i] = (size_t)(w - s);
}

/* A money field: 1 value, 0 missing, -1 bad. */
static int money(const struct csv_file *f, int i, double *v)
{
    const char *s = csv_value(f, i);
    if (!s || bilat_is_missing(s, strlen(s)))
        return 0;
    return bilat_parse_double(s, strlen(s), v) < 0 ? -1 : 1;
}

static int finproj(const char *path, const char *data, size_t len, struct finproj_sink *sink,
                   struct bilat_err *err)
{
    enum { C_ID, C_YEAR, C_DONOR, C_RECIP, C_TITLE, C_DESC, C_CLASS, C_AMOUNT, C_CUR,
           C_USD, C_DEFL, C_TYPE, C_CAT, C_FLOW, C_INTENT, C_STATUS, C_SECTOR, C_FUND, C_N };
    static const char *const names[C_N] = {
        "project_id", "year", "donor", "recipient_iso3", "title", "description", "flow_class",
        "amount", "currency", "usd_current", "usd_defl", "type", "category", "flow", "intent",
        "status", "crs_sector_name", "funding_agencies"};
    enum { REQUIRED = C_TYPE };
    struct csv_file f;
    if (data) {
        if (csv_open_mem(&f, path, data, len, ',') < 0) {
            csv_close(&f);
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    } else {
        BILAT_TRY(csv_open(&f, path, ',', err));
    }
    f.escape = '\\'; /* the file writes \" inside quotes, and \r\n in descriptions */
    int rc, idx[C_N];
    while ((rc = csv_next(&f)) == 1 && f.nf == 1 && f.lens[0] == 0)
        ;
    if (rc == 0)
        rc = bilat_fail_at(err, BILAT_EPARSE, path, 1, "empty file: no header");
    else if (rc < 0)
        rc = bilat_fail_at(err, BILAT_EPARSE, path, f.line, "bad header: %s", f.reason);
    else
        rc = 0;
    for (int i = 0; rc == 0 && i < C_N; i++) {
        idx[i] = csv_column(&f, names[i]);
        if (idx[i] < 0 && i < REQUIRED)
            rc = bilat_fail_at(err, BILAT_EPARSE, path, f.line,
                               "header has no column '%s' (not an AidData financial diplomacy "
                               "file?)",
                               names[i]);
    }
    while (rc == 0) {
        int s = csv_next(&f);
        if (s == 0)
            break;
        if (s < 0) {
            bilat_rejectf(sink->reject, sink->ctx, f.line, "%s", f.reason);
            continue;
        }
        if (f.nf == 1 && f.lens[0] == 0)
            continue;
        struct finproj_row r = {.line = f.line};
        drop_cr(&f, idx[C_TITLE]);
        drop_cr(&f, idx[C_DESC]);
        const char *year = csv_value(&f, idx[C_YEAR]);
        int64_t y = 0;
        r.project_id = csv_value(&f, idx[C_ID]);
        r.donor = csv_value(&f, idx[C_DONOR]);
        r.recipient = csv_value(&f, idx[C_RECIP]);
        r.title = csv_value(&f, idx[C_TITLE]);
        r.description = csv_value(&f, idx[C_DESC]);
        r.flow_class = csv_value(&f, idx[C_CLASS]);
        r.currency = csv_value(&f, idx[C_CUR]);
        r.type = csv_value(&f, idx[C_TYPE]);
        r.category = csv_value(&f, idx[C_CAT]);
        r.flow = csv_value(&f, idx[C_FLOW]);
        r.intent = csv_value(&f, idx[C_INTENT]);
        r.status = csv_value(&f, idx[C_STATUS]);
        r.sector = csv_value(&f, idx[C_SECTOR]);
        r.funding = csv_value(&f, idx[C_FUND]);
        int a = money(&f, idx[C_AMOUNT], &r.amount), u = money(&f, idx[C_USD], &r.usd_current);
        int d = money(&f, idx[C_DEFL], &r.usd_2017);
        if (!r.project_id)
            bilat_rejectf(sink->reject, sink->ctx, f.line, "no project_id");
        else if (!year)
            bilat_rejectf(sink->reject, sink->ctx, f.line, "no year");
        else if (bilat_parse_int64(year, strlen(year), &y) < 0 || y < 1900 || y > 2100)
            bilat_rejectf(sink->reject, sink->ctx, f.line, "bad year '%.20s'", year);
        else if (!r.donor)
            bilat_rejectf(sink->reject, sink->ctx, f.line, "no donor");
        else if (!r.recipient)
            bilat_rejectf(sink->reject, sink->ctx, f.line, "no recipient_iso3");
        else if (a < 0 || u < 0 || d < 0)
            bilat_rejectf(sink->reject, sink->ctx, f.line, "bad amount in %s",
                          a < 0   ? "amount"
                          : u < 0 ? "usd_current"
                                  : "usd_defl");
        else {
            r.year = (int)y;
            r.has_amount = a > 0;
            r.has_current = u > 0;
            r.has_2017 = d > 0;
            rc = sink->project(sink->ctx, &r);
        }
    }
    csv_close(&f);
    return rc;
}

int finproj_read(const char *path, struct finproj_sink *sink, struct bilat_err *err)
{
    return finproj(path, NULL, 0, sink, err);
}

int finproj_parse(const char *name, const char *data, size_t len, struct finproj_sink *sink,
                  struct bilat_err *err)
{
    return finproj(name, data ? data : "", len, sink, err);
}
