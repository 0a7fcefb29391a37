/*
 * unvotes.c: UN General Assembly roll calls, issue tags, votes and ideal points (unvotes.h).
 *
 * The files are CSV (RFC 4180). The core CSV reader unescapes quoted fields in place and so
 * forgets which fields were quoted, which the unvotes files need (quoted "NA" is Namibia, an
 * unquoted NA a missing code); hence a small record reader here that keeps a `quoted` flag per
 * field. It walks the file once, byte by byte: the all-countries vote file is 870,109 short
 * lines, and this loop is a few tens of milliseconds of an ingest dominated by SQLite.
 *
 * Line endings LF or CRLF; blank lines are skipped; quoted fields may hold line breaks (roll-call
 * descriptions), doubled quotes and commas. A record that cannot be read (unclosed quote, text
 * after a closing quote, a quote inside an unquoted field, bad UTF-8, a NUL byte, too many
 * fields) is rejected with its first line and reading goes on at the next line.
 */
#include "ingest/unvotes.h"

#include "core/alloc.h"
#include "core/err.h"
#include "core/parse.h"
#include "core/utf8.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

enum { UNV_MAX_FIELDS = 64 };

struct ufield {
    char *p;     /* field text, NUL-terminated in place */
    size_t len;  /* bytes */
    bool quoted; /* was in double quotes */
};

struct reader {
    char *pos, *end;                 /* unread part of the buffer */
    uint64_t line;                   /* first line of the current record */
    uint64_t next_line;              /* line the next record starts on */
    size_t nf;                       /* fields in the current record */
    struct ufield f[UNV_MAX_FIELDS]; /* the fields */
    char reason[160];                /* why the last record was bad */
};

/* zlib's message without the "path: " it puts in front. */
static const char *zmsg(const char *msg, const char *path)
{
    size_t n = strlen(path);
    if (msg && strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ')
        return msg + n + 2;
    return msg ? msg : "read error";
}

int unv_read_file(const char *path, size_t limit, struct bilat_buf *out, struct bilat_err *err)
{
    FILE *probe = fopen(path, "rb");
    if (!probe)
        return bilat_fail_at(err, BILAT_ENOTFOUND, path, 0, "cannot open '%s': no such file", path);
    fclose(probe);
    gzFile g = gzopen(path, "rb");
    if (!g)
        return bilat_fail_at(err, BILAT_EIO, path, 0, "cannot open '%s'", path);
    gzbuffer(g, 1 << 17);
    int rc = 0;
    for (;;) {
        if (bilat_buf_grow(out, 1 << 20) < 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory reading '%s'", path);
            break;
        }
        size_t room = out->alloc - out->len - 1;
        if (room > (1u << 30))
            room = 1u << 30;
        int got = gzread(g, out->buf + out->len, (unsigned)room);
        if (got < 0) {
            int zerr = 0;
            const char *msg = gzerror(g, &zerr);
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot read '%s': %s", path,
                               zerr == Z_ERRNO ? "read error" : zmsg(msg, path));
            break;
        }
        out->len += (size_t)got;
        out->buf[out->len] = '\0';
        if (out->len > limit) {
            rc = bilat_fail_at(err, BILAT_ELIMIT, path, 0,
                               "'%s' is larger than %zu MiB once decompressed", path, limit >> 20);
            break;
        }
        if (got == 0) {
            /* a gzip stream that ends early reads as a short file: gzerror() tells */
            int zerr = Z_OK;
            const char *msg = gzerror(g, &zerr);
            if (zerr != Z_OK)
                rc = bilat_fail_at(err, BILAT_EIO, path, 0,
                                   "cannot read '%s': %s (truncated or corrupt gzip file?)", path,
                                   zerr == Z_ERRNO ? "read error" : zmsg(msg, path));
            break;
        }
    }
    gzclose(g);
    return rc;
}

/* Skip the rest of the current line after a bad record. */
static void skip_line(struct reader *r, char *p)
{
    while (p < r->end && *p != '\n')
        p++;
    if (p < r->end) {
        p++;
        r->next_line++;
    }
    r->pos = p;
}

/* 1 = record ready, 0 = end of data, -1 = bad record (r->reason), reading can go on. */
static int next_record(struct reader *r)
{
    char *p = r->pos;
    /* blank lines */
    while (p < r->end && (*p == '\n' || (*p == '\r' && p + 1 < r->end && p[1] == '\n'))) {
        p += *p == '\r' ? 2 : 1;
        r->next_line++;
    }
    if (p >= r->end) {
        r->pos = p;
        return 0;
    }
    r->line = r->next_line;
    r->nf = 0;
    r->reason[0] = '\0';
    for (;;) {
        char *start = p, *w = p;
        bool quoted = false;
        if (*p == '"') {
            quoted = true;
            p++;
            for (;;) {
                if (p >= r->end) {
                    snprintf(r->reason, sizeof(r->reason), "unclosed quote in field %zu",
                             r->nf + 1);
                    r->pos = r->end;
                    return -1;
                }
                if (*p == '"') {
                    if (p + 1 < r->end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                if (*p == '\n')
                    r->next_line++;
                *w++ = *p++;
            }
            if (p < r->end && *p == '\r' && p + 1 < r->end && p[1] == '\n')
                p++;
            if (p < r->end && *p != ',' && *p != '\n') {
                snprintf(r->reason, sizeof(r->reason), "text after the closing quote of field %zu",
                         r->nf + 1);
                skip_line(r, p);
                return -1;
            }
        } else {
            while (p < r->end && *p != ',' && *p != '\n') {
                if (*p == '"') {
                    snprintf(r->reason, sizeof(r->reason), "quote inside unquoted field %zu",
                             r->nf + 1);
                    skip_line(r, p);
                    return -1;
                }
                p++;
            }
            w = p;
            if (w > start && w[-1] == '\r' && (p >= r->end || *p == '\n'))
                w--;
        }
        if (r->nf >= UNV_MAX_FIELDS) {
            snprintf(r->reason, sizeof(r->reason), "more than %d fields", UNV_MAX_FIELDS);
            skip_line(r, p);
            return -1;
        }
        int last = p >= r->end || *p == '\n';
        r->f[r->nf].p = start;
        r->f[r->nf].len = (size_t)(w - start);
        r->f[r->nf].quoted = quoted;
        r->nf++;
        if (p < r->end)
            p++;
        *w = '\0';
        if (last) {
            r->next_line++;
            break;
        }
    }
    r->pos = p;
    for (size_t i = 0; i < r->nf; i++) {
        if (bilat_utf8_check(r->f[i].p, r->f[i].len) < r->f[i].len ||
            memchr(r->f[i].p, '\0', r->f[i].len)) {
            snprintf(r->reason, sizeof(r->reason), "invalid UTF-8 or NUL byte in field %zu", i + 1);
            return -1;
        }
    }
    return 1;
}

/* Header names of a kind; a kind matches when every required name has a column. */
struct colspec {
    const char *names[3]; /* alternative spellings, first found wins */
    bool required;
};

enum {
    C_CALL_RCID,
    C_CALL_SESSION,
    C_CALL_DATE,
    C_CALL_IMP,
    C_CALL_RES,
    C_CALL_TITLE,
    C_CALL_DESCR,
    C_CALL_AMEND,
    C_CALL_PARA,
    C_CALL_N
};
static const struct colspec call_cols[C_CALL_N] = {
    {{"rcid"}, true},
    {{"session"}, true},
    {{"date"}, true},
    {{"importantvote", "important"}, false},
    {{"unres", "resolution"}, false},
    {{"short", "title"}, false},
    {{"descr", "description"}, false},
    {{"amend"}, false},
    {{"para"}, false},
};

enum { C_ISS_RCID, C_ISS_CODE, C_ISS_NAME, C_ISS_N };
static const struct colspec issue_cols[C_ISS_N] = {
    {{"rcid"}, true},
    {{"short_name", "code"}, true},
    {{"issue"}, true},
};

enum { C_VOTE_RCID, C_VOTE_COUNTRY, C_VOTE_VOTE, C_VOTE_N };
static const struct colspec vote_cols[C_VOTE_N] = {
    {{"rcid"}, true},
    {{"cc", "country_code", "country"}, true},
    {{"vote"}, true},
};

enum {
    C_IP_COW,
    C_IP_ISO3,
    C_IP_YEAR,
    C_IP_ALL,
    C_IP_FP,
    C_IP_LEGACY,
    C_IP_NALL,
    C_IP_NFP,
    C_IP_NLEGACY,
    C_IP_N
};
static const struct colspec ideal_cols[C_IP_N] = {
    {{"ccode"}, true},         {{"iso3c"}, false},        {{"year"}, true},
    {{"idealpointall"}, true}, {{"idealpointfp"}, false}, {{"idealpointlegacy"}, false},
    {{"nvotesall"}, false},    {{"nvotesfp"}, false},     {{"nvoteslegacy"}, false},
};

/* Column index of each spec in a header (-1 when absent); 1 when every required one is found. */
static int match_cols(char names[][48], size_t n, const struct colspec *spec, size_t nspec,
                      int *idx)
{
    int ok = 1;
    for (size_t s = 0; s < nspec; s++) {
        idx[s] = -1;
        for (size_t a = 0; a < 3 && spec[s].names[a] && idx[s] < 0; a++)
            for (size_t i = 0; i < n; i++)
                if (strcasecmp(names[i], spec[s].names[a]) == 0) {
                    idx[s] = (int)i;
                    break;
                }
        if (idx[s] < 0 && spec[s].required)
            ok = 0;
    }
    return ok;
}

/* Split a header line (copied, quotes and a byte-order mark removed) into names. */
static size_t header_names(const char *data, size_t len, char names[][48], size_t max)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t n = 0, k = 0;
    int overflow = 0;
    for (size_t i = 0; i <= len && n < max; i++) {
        char ch = i < len ? data[i] : '\n';
        if (ch == '\r')
            continue;
        if (ch == ',' || ch == '\n') {
            names[n][k] = '\0';
            if (overflow)
                names[n][0] = '\0';
            n++;
            k = 0;
            overflow = 0;
            if (ch == '\n')
                break;
            continue;
        }
        if (ch == '"' || ch == ' ')
            continue;
        if (k + 1 < 48)
            names[n][k++] = ch;
        else
            overflow = 1;
    }
    return n;
}

static enum unv_kind classify_names(char names[][48], size_t n, int *idx)
{
    int tmp[C_IP_N];
    int *out = idx ? idx : tmp;
    if (match_cols(names, n, ideal_cols, C_IP_N, out))
        return UNV_IDEAL;
    if (match_cols(names, n, call_cols, C_CALL_N, out))
        return UNV_CALLS;
    if (match_cols(names, n, issue_cols, C_ISS_N, out))
        return UNV_ISSUES;
    if (match_cols(names, n, vote_cols, C_VOTE_N, out))
        return UNV_VOTES;
    return UNV_UNKNOWN;
}

enum unv_kind unv_classify(const char *data, size_t len)
{
    char names[UNV_MAX_FIELDS][48];
    const char *nl = memchr(data, '\n', len);
    size_t hl = nl ? (size_t)(nl - data) : len;
    size_t n = header_names(data, hl, names, UNV_MAX_FIELDS);
    return classify_names(names, n, NULL);
}

const char *unv_kind_name(enum unv_kind k)
{
    switch (k) {
    case UNV_CALLS:
        return "roll calls";
    case UNV_ISSUES:
        return "issue tags";
    case UNV_VOTES:
        return "votes";
    case UNV_IDEAL:
        return "ideal points";
    case UNV_UNKNOWN:
        break;
    }
    return "unknown";
}

char unv_vote_code(const char *s, size_t len)
{
    static const struct {
        const char *word;
        char code;
    } words[] = {
        {"yes", UNV_YES},
        {"y", UNV_YES},
        {"1", UNV_YES},
        {"abstain", UNV_ABSTAIN},
        {"a", UNV_ABSTAIN},
        {"2", UNV_ABSTAIN},
        {"no", UNV_NO},
        {"n", UNV_NO},
        {"3", UNV_NO},
        {"absent", UNV_ABSENT},
        {"x", UNV_ABSENT},
        {"8", UNV_ABSENT},
        {"nonmember", UNV_NONMEMBER},
        {"9", UNV_NONMEMBER},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strlen(words[i].word) == len && strncasecmp(words[i].word, s, len) == 0)
            return words[i].code;
    return 0;
}

struct pctx {
    struct reader r;
    struct unv_sink *sink;
    int idx[C_IP_N]; /* column indexes of the file's kind (the largest spec) */
};

/* Reject the current row: bad(c, fmt, ...) */
#define bad(c, ...) bilat_rejectf((c)->sink->reject, (c)->sink->ctx, (c)->r.line, __VA_ARGS__)

/* Field of column spec s, or NULL when the file has no such column. */
static const struct ufield *col(struct pctx *c, int s)
{
    int i = c->idx[s];
    return i < 0 ? NULL : &c->r.f[i];
}

static int missing(const struct ufield *f)
{
    return !f || (!f->quoted && bilat_is_missing(f->p, f->len)) || f->len == 0;
}

/* Parse an integer field; 0 ok, -1 rejected (message names the column). */
static int int_field(struct pctx *c, const struct ufield *f, const char *what, int64_t *out)
{
    if (!f || bilat_parse_int64(f->p, f->len, out) < 0) {
        bad(c, "bad %s '%.30s' (expected an integer)", what, f ? f->p : "");
        return -1;
    }
    return 0;
}

/* A roll-call id, 1 to UNV_MAX_RCID: 0, or -1 when bad (rejected). */
static int rcid_field(struct pctx *c, const struct ufield *f, int64_t *out)
{
    BILAT_TRY(int_field(c, f, "rcid", out));
    if (*out > 0 && *out <= UNV_MAX_RCID)
        return 0;
    bad(c, "bad rcid %lld (expected 1 to %d)", (long long)*out, UNV_MAX_RCID);
    return -1;
}

/* A 0/1 flag: 0 or 1, -1 when missing; -2 when bad (rejected). */
static int flag_field(struct pctx *c, const struct ufield *f, const char *what)
{
    if (missing(f))
        return -1;
    if (f->len == 1 && (f->p[0] == '0' || f->p[0] == '1'))
        return f->p[0] - '0';
    bad(c, "bad %s '%.30s' (expected 0, 1 or NA)", what, f->p);
    return -2;
}

/* A number that may be missing: 1 number, 0 missing, -1 bad (rejected). */
static int num_field(struct pctx *c, const struct ufield *f, const char *what, double *out)
{
    if (missing(f))
        return 0;
    if (bilat_parse_double(f->p, f->len, out) < 0) {
        bad(c, "bad %s '%.30s' (expected a number or NA)", what, f->p);
        return -1;
    }
    return 1;
}

static const char *text_or_null(const struct ufield *f)
{
    return missing(f) ? NULL : f->p;
}

static int row_call(struct pctx *c)
{
    struct unv_call k = {.line = c->r.line};
    int ok = rcid_field(c, col(c, C_CALL_RCID), &k.rcid) == 0;
    const struct ufield *s = col(c, C_CALL_SESSION);
    if (!missing(s)) {
        if (int_field(c, s, "session", &k.session) < 0)
            ok = 0;
        else if (k.session < 1 || k.session > 999) {
            bad(c, "bad session %lld (expected 1 to 999)", (long long)k.session);
            ok = 0;
        } else
            k.has_session = true;
    }
    const struct ufield *d = col(c, C_CALL_DATE);
    struct bilat_date dt;
    if (missing(d)) {
        bad(c, "roll call without a date");
        ok = 0;
    } else if (bilat_date_parse(d->p, d->len, &dt) < 0) {
        bad(c, "bad date '%.30s' (expected YYYY-MM-DD)", d->p);
        ok = 0;
    }
    k.date = d ? d->p : NULL;
    if ((k.important = flag_field(c, col(c, C_CALL_IMP), "importantvote")) == -2)
        ok = 0;
    if ((k.amend = flag_field(c, col(c, C_CALL_AMEND), "amend")) == -2)
        ok = 0;
    if ((k.para = flag_field(c, col(c, C_CALL_PARA), "para")) == -2)
        ok = 0;
    k.resolution = text_or_null(col(c, C_CALL_RES));
    k.title = text_or_null(col(c, C_CALL_TITLE));
    k.description = text_or_null(col(c, C_CALL_DESCR));
    return ok ? c->sink->call(c->sink->ctx, &k) : 0;
}

static int row_issue(struct pctx *c)
{
    struct unv_issue k = {.line = c->r.line};
    int ok = rcid_field(c, col(c, C_ISS_RCID), &k.rcid) == 0;
    const struct ufield *code = col(c, C_ISS_CODE), *name = col(c, C_ISS_NAME);
    int code_ok = !missing(code) && code->len <= 4;
    for (size_t j = 0; code_ok && j < code->len; j++)
        code_ok = isalnum((unsigned char)code->p[j]);
    if (!code_ok) {
        bad(c, "bad issue code '%.20s' (expected 1 to 4 letters, such as 'me')",
            code ? code->p : "");
        ok = 0;
    }
    if (missing(name)) {
        bad(c, "issue tag without an issue name");
        ok = 0;
    }
    if (!ok)
        return 0;
    k.code = code->p;
    k.issue = name->p;
    return c->sink->issue(c->sink->ctx, &k);
}

static int row_vote(struct pctx *c)
{
    struct unv_vote_row k = {.line = c->r.line};
    const struct ufield *rf = col(c, C_VOTE_RCID), *cf = col(c, C_VOTE_COUNTRY),
                        *vf = col(c, C_VOTE_VOTE);
    int ok = 1;
    if (bilat_parse_int64(rf->p, rf->len, &k.rcid) < 0 || k.rcid <= 0 || k.rcid > UNV_MAX_RCID) {
        bad(c, "bad rcid '%.30s' (expected 1 to %d)", rf->p, UNV_MAX_RCID);
        ok = 0;
    }
    k.vote = unv_vote_code(vf->p, vf->len);
    if (!k.vote) {
        bad(c, "bad vote '%.30s' (expected yes, no, abstain or absent; y/n/a; or 1/2/3/8)", vf->p);
        ok = 0;
    }
    if (!ok)
        return 0;
    k.country = cf->p;
    k.country_len = cf->len;
    k.country_quoted = cf->quoted;
    return c->sink->vote(c->sink->ctx, &k);
}

static int row_ideal(struct pctx *c)
{
    struct unv_ideal k = {.line = c->r.line, .nvotes = -1, .nvotes_fp = -1, .nvotes_legacy = -1};
    int ok = int_field(c, col(c, C_IP_COW), "ccode", &k.cow) == 0;
    if (ok && (k.cow <= 0 || k.cow > 9999)) {
        bad(c, "bad ccode %lld (expected a COW country code)", (long long)k.cow);
        ok = 0;
    }
    if (int_field(c, col(c, C_IP_YEAR), "year", &k.year) < 0)
        ok = 0;
    else if (k.year < 1946 || k.year > 2999) {
        bad(c, "bad year %lld (expected 1946 or later)", (long long)k.year);
        ok = 0;
    }
    const struct ufield *iso = col(c, C_IP_ISO3);
    k.iso3 = iso && !missing(iso) ? iso->p : "";
    int r;
    if ((r = num_field(c, col(c, C_IP_ALL), "idealpointall", &k.value)) < 0)
        ok = 0;
    k.has_value = r > 0;
    if ((r = num_field(c, col(c, C_IP_FP), "idealpointfp", &k.value_fp)) < 0)
        ok = 0;
    k.has_fp = r > 0;
    if ((r = num_field(c, col(c, C_IP_LEGACY), "idealpointlegacy", &k.value_legacy)) < 0)
        ok = 0;
    k.has_legacy = r > 0;
    static const int ncols[3] = {C_IP_NALL, C_IP_NFP, C_IP_NLEGACY};
    static const char *const nnames[3] = {"nvotesall", "nvotesfp", "nvotesLegacy"};
    int64_t *nv[3] = {&k.nvotes, &k.nvotes_fp, &k.nvotes_legacy};
    for (int i = 0; i < 3; i++) {
        double v;
        if ((r = num_field(c, col(c, ncols[i]), nnames[i], &v)) < 0)
            ok = 0;
        else if (r > 0) {
            if (v < 0 || v > 1e6 || v != (double)(int64_t)v) {
                bad(c, "bad %s '%s' (expected a count)", nnames[i], col(c, ncols[i])->p);
                ok = 0;
            } else
                *nv[i] = (int64_t)v;
        }
    }
    return ok ? c->sink->ideal(c->sink->ctx, &k) : 0;
}

int unv_parse(const char *path, char *data, size_t len, struct unv_sink *sink,
              struct bilat_err *err)
{
    struct pctx c = {.sink = sink};
    c.r.pos = data;
    c.r.end = data + len;
    c.r.next_line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        c.r.pos += 3;
    /* the header */
    int h = next_record(&c.r);
    if (h <= 0)
        return bilat_fail_at(err, BILAT_EPARSE, path, c.r.line ? c.r.line : 1,
                             h == 0 ? "empty file (expected a header line)"
                                    : "cannot read the header: %s",
                             c.r.reason);
    char names[UNV_MAX_FIELDS][48];
    size_t nh = c.r.nf;
    for (size_t i = 0; i < nh; i++) {
        size_t k = 0;
        for (size_t j = 0; j < c.r.f[i].len && k + 1 < 48; j++)
            if (c.r.f[i].p[j] != ' ')
                names[i][k++] = c.r.f[i].p[j];
        names[i][k] = '\0';
    }
    enum unv_kind kind = classify_names(names, nh, c.idx);
    if (kind == UNV_UNKNOWN)
        return bilat_fail_at(err, BILAT_EPARSE, path, c.r.line,
                             "not a UN votes file: the header names none of the known layouts "
                             "(roll calls: rcid,session,date,...; issues: rcid,short_name,issue; "
                             "votes: rcid,country,vote; ideal points: ccode,year,idealpointall)");
    if ((kind == UNV_CALLS && !sink->call) || (kind == UNV_ISSUES && !sink->issue) ||
        (kind == UNV_VOTES && !sink->vote) || (kind == UNV_IDEAL && !sink->ideal))
        return bilat_fail_at(err, BILAT_EPARSE, path, c.r.line, "a file of %s is not expected here",
                             unv_kind_name(kind));
    /* the reader of a row of each kind (never UNV_UNKNOWN, refused above) */
    static int (*const row_of[])(struct pctx *) = {
        [UNV_CALLS] = row_call,
        [UNV_ISSUES] = row_issue,
        [UNV_VOTES] = row_vote,
        [UNV_IDEAL] = row_ideal,
    };
    for (;;) {
        int r = next_record(&c.r);
        if (r == 0)
            break;
        if (r < 0) {
            sink->reject(sink->ctx, c.r.line, c.r.reason);
            continue;
        }
        if (c.r.nf != nh) {
            bad(&c, "expected %zu fields as in the header, got %zu", nh, c.r.nf);
            continue;
        }
        BILAT_TRY(row_of[kind](&c));
    }
    return 0;
}
