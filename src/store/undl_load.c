/*
 * undl_load.c: `bilat ingest undl`: UN General Assembly roll calls from the UN Digital Library
 * (UNDL) voting records, and the US State Department's important votes, into the store in one
 * transaction (bilat.h: bilat_undl_ingest; docs/STORE.md).
 *
 * Files are told by their header (CSV, plain or gzip, any order on the command line):
 *   resolutions  undl_id, body, symbol, vote_date, title [, ...]     one row per record
 *   votes        undl_id, iso3, vote [, ms_name]                      one row per state and record
 *   one file     undl_id, ms_code, ms_vote, date, resolution [, session, title, ...]  the UN's own
 *                download (one row per state and record), or undl_id, vote_date, body, symbol,
 *                iso3, vote (the same, reduced)
 *   important    report_year, listed_as, symbol, undl_id, vote_date   the State Department's
 *                "important actions" of its yearly reports to Congress
 * Only General Assembly records (body GA, or a symbol starting "A/") are roll calls here; the
 * Security Council's are counted and left out.
 *
 * Roll calls already in the store are never counted twice: a record whose symbol and date
 * (within 7 days, the resolution itself rather than a paragraph or an amendment) match a roll
 * call already there (Voeten's data up to 2019, curated roll calls) takes that roll call's id,
 * and its votes are added only for states the roll call lacks; a vote that differs from the one
 * already there is counted and reported, never overwritten. Other records get the roll-call id
 * 10,000,000 + undl_id (Voeten's run to about 9,000, curated ones from 900,000).
 *
 * Votes Y, N, A are yes, no, abstain; NV (listed without a vote) and an empty vote are stored
 * as 'nonvoting', kept apart from 'absent'. The important list flags its "with a vote" entries
 * (matched by UNDL id, else by symbol and date) important = 1 with important_source; every
 * other roll call of a year the list covers becomes known as not important.
 *
 * A bad row anywhere rolls the whole run back (nothing half-ingested), after every bad row has
 * been reported as file:line: reason.
 */
#include "bilat.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/file.h"
#include "core/parse.h"
#include "ingest/unvotes.h"
#include "store/db.h"
#include "store/loader.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    UNDL_MAX_INPUT = 1024u * 1024u * 1024u, /* 1 GiB once decompressed */
    UNDL_RCID_BASE = 10000000,              /* rcid of a record not already in the store */
    UNDL_DATE_SLACK = 7,                    /* days between a matched record and roll call */
};

#define DATASET "ingest:undl"
#define SOURCE_UNDL "undl-voting"
#define SOURCE_IMPORTANT "usdos-voting-practices"

enum kind { K_UNKNOWN, K_RES, K_VOTES, K_ONE, K_IMPORTANT };

struct input {
    const char *path;
    const char *base;
    struct csv_file f;
    enum kind kind;
    int col[12]; /* column indexes by the kind's spec */
};

/* A General Assembly record, keyed by its UNDL id. */
struct rec {
    int64_t undl_id;
    char symbol[64];
    char date[11];
    char *title;
    int64_t rcid;    /* the roll call it is, once resolved */
    bool matched;    /* an existing roll call */
    const char *path;
    uint64_t line;
};

struct run {
    bilat_db *db;
    const struct bilat_unvotes_opts *o;
    struct bilat_undl_stats *st;
    struct bilat_err *err;
    struct rec *recs;
    size_t nrec, cap;
    struct loader_file f; /* the file being read, its bad rows */
    unsigned char *iso3; /* [26^3] 1 when the code is in the country table */
    char locator[320];
};

/* ------------------------------------------------------------------------------------------ */
/* Headers                                                                                     */

/* Column specs per kind: the first name of each entry is required unless marked optional. */
struct colspec {
    const char *names[3];
    bool required;
};

enum { R_ID, R_BODY, R_SYMBOL, R_DATE, R_TITLE, R_N };
static const struct colspec res_cols[R_N] = {
    {{"undl_id"}, true},
    {{"body"}, true},
    {{"symbol"}, true},
    {{"vote_date"}, true},
    {{"title"}, false},
};
enum { V_ID, V_ISO3, V_VOTE, V_N };
static const struct colspec vote_cols[V_N] = {
    {{"undl_id"}, true},
    {{"iso3"}, true},
    {{"vote"}, true},
};
enum { O_ID, O_ISO3, O_VOTE, O_DATE, O_SYMBOL, O_TITLE, O_BODY, O_N };
static const struct colspec one_cols[O_N] = {
    {{"undl_id"}, true},
    {{"ms_code", "iso3"}, true},
    {{"ms_vote", "vote"}, true},
    {{"date", "vote_date"}, true},
    {{"resolution", "symbol"}, true},
    {{"title"}, false},
    {{"body"}, false},
};
enum { I_YEAR, I_LISTED, I_SYMBOL, I_ID, I_DATE, I_N };
static const struct colspec imp_cols[I_N] = {
    {{"report_year"}, true},
    {{"listed_as"}, true},
    {{"symbol"}, true},
    {{"undl_id"}, true},
    {{"vote_date"}, true},
};

static int find_col(const struct csv_file *f, const struct colspec *c)
{
    for (size_t a = 0; a < 3 && c->names[a]; a++)
        for (size_t i = 0; i < f->nf && i < CSV_MAX_COLS; i++)
            if (strcasecmp(f->fields[i], c->names[a]) == 0)
                return (int)i;
    return -1;
}

static bool match(struct input *in, const struct colspec *spec, size_t n)
{
    for (size_t s = 0; s < n; s++) {
        in->col[s] = find_col(&in->f, &spec[s]);
        if (in->col[s] < 0 && spec[s].required)
            return false;
    }
    return true;
}

/* Tell a file's kind from its header (the current record). */
static enum kind classify(struct input *in)
{
    if (match(in, imp_cols, I_N))
        return K_IMPORTANT;
    if (match(in, res_cols, R_N) && find_col(&in->f, &(struct colspec){{"iso3"}, true}) < 0)
        return K_RES;
    if (match(in, one_cols, O_N))
        return K_ONE;
    if (match(in, vote_cols, V_N))
        return K_VOTES;
    return K_UNKNOWN;
}

static const char *field(const struct input *in, int spec)
{
    int i = in->col[spec];
    return i >= 0 && (size_t)i < in->f.nf ? in->f.fields[i] : "";
}

/* ------------------------------------------------------------------------------------------ */
/* Records                                                                                     */

static struct rec *rec_find(struct run *r, int64_t id)
{
    /* records arrive in id order in the UNDL files, so the last one is the usual hit */
    if (r->nrec && r->recs[r->nrec - 1].undl_id == id)
        return &r->recs[r->nrec - 1];
    for (size_t i = 0; i < r->nrec; i++)
        if (r->recs[i].undl_id == id)
            return &r->recs[i];
    return NULL;
}

static bool is_ga(const char *body, const char *symbol)
{
    if (body && *body)
        return strcmp(body, "GA") == 0;
    return strncmp(symbol, "A/", 2) == 0;
}

/* Read a date field (YYYY-MM-DD) into out[11]; false when it is not one. */
static bool day(const char *s, char out[11])
{
    struct bilat_date d;
    if (bilat_date_parse(s, strlen(s), &d) < 0 || d.prec != BILAT_DATE_DAY)
        return false;
    snprintf(out, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
    return true;
}

/* Add (or check) a record from a resolutions row or a one-file row. */
static int rec_add(struct run *r, const struct input *in, const char *id_s, const char *body,
                   const char *symbol, const char *date, const char *title)
{
    int64_t id;
    char dd[11];
    if (bilat_parse_int64(id_s, strlen(id_s), &id) < 0 || id <= 0 || id >= 1000000000) {
        loader_reject(&r->f, in->f.line, "bad undl_id '%.20s' (a positive whole number)", id_s);
        return 0;
    }
    if (!*symbol) {
        loader_reject(&r->f, in->f.line, "record %lld has no symbol", (long long)id);
        return 0;
    }
    if (!day(date, dd)) {
        loader_reject(&r->f, in->f.line, "bad date '%.20s' (YYYY-MM-DD)", date);
        return 0;
    }
    if (!is_ga(body, symbol)) {
        r->st->skipped_sc++;
        return 0;
    }
    struct rec *x = rec_find(r, id);
    if (x) {
        if (strcmp(x->symbol, symbol) != 0 || strcmp(x->date, dd) != 0)
            loader_reject(&r->f, in->f.line, "record %lld is %s of %s here but %s of %s at %s:%llu",
                          (long long)id, symbol, dd, x->symbol, x->date, x->path,
                          (unsigned long long)x->line);
        return 0;
    }
    if (r->nrec == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        struct rec *n = bilat_realloc_array(r->recs, cap, sizeof(*n));
        if (!n)
            return bilat_fail(r->err, BILAT_ENOMEM, "out of memory");
        r->recs = n;
        r->cap = cap;
    }
    x = &r->recs[r->nrec];
    memset(x, 0, sizeof(*x));
    x->undl_id = id;
    snprintf(x->symbol, sizeof(x->symbol), "%s", symbol);
    memcpy(x->date, dd, sizeof(dd));
    x->path = in->path;
    x->line = in->f.line;
    if (title && *title && !(x->title = bilat_strdup(title)))
        return bilat_fail(r->err, BILAT_ENOMEM, "out of memory");
    r->nrec++;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Store                                                                                       */

/* The GA session of a date: a session opens in September of year Y (session Y - 1945). */
static int session_of(const char *date)
{
    struct bilat_date d = {0};
    bilat_date_parse(date, strlen(date), &d); /* checked by day() when the record was read */
    return (d.month > 9 || (d.month == 9 && d.day >= 10)) ? d.year - 1945 : d.year - 1946;
}

/* Find or create the roll call of every record. */
static int resolve_calls(struct run *r)
{
    sqlite3_stmt *q = NULL, *ins = NULL, *tag = NULL;
    int rc = store_prepare(r->db,
                           "SELECT rcid FROM un_call WHERE resolution = ?1 AND "
                           "abs(julianday(date) - julianday(?2)) <= ?3 AND coalesce(para, 0) = 0 "
                           "AND coalesce(amend, 0) = 0 AND (undl_id IS NULL OR undl_id = ?4) "
                           "AND rcid < ?5 ORDER BY abs(julianday(date) - julianday(?2)), rcid "
                           "LIMIT 1",
                           &q, r->err);
    if (rc == 0)
        rc = store_prepare(r->db,
                           "INSERT INTO un_call(rcid, session, date, resolution, title, "
                           "important, important_known, source_id, locator, dataset, undl_id) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, '" SOURCE_UNDL "', ?6, '" DATASET
                           "', ?7) ON CONFLICT(rcid) DO UPDATE SET session = excluded.session, "
                           "date = excluded.date, resolution = excluded.resolution, "
                           "title = excluded.title, locator = excluded.locator, "
                           "undl_id = excluded.undl_id",
                           &ins, r->err);
    if (rc == 0)
        rc = store_prepare(r->db, "UPDATE un_call SET undl_id = ?2 WHERE rcid = ?1", &tag, r->err);
    for (size_t i = 0; rc == 0 && i < r->nrec; i++) {
        struct rec *x = &r->recs[i];
        sqlite3_reset(q);
        store_bind_text(q, 1, x->symbol, -1);
        store_bind_text(q, 2, x->date, -1);
        sqlite3_bind_int(q, 3, UNDL_DATE_SLACK);
        sqlite3_bind_int64(q, 4, x->undl_id);
        sqlite3_bind_int64(q, 5, UNDL_RCID_BASE);
        int s = sqlite3_step(q);
        if (s == SQLITE_ROW) {
            x->rcid = sqlite3_column_int64(q, 0);
            x->matched = true;
            r->st->matched++;
            sqlite3_bind_int64(tag, 1, x->rcid);
            sqlite3_bind_int64(tag, 2, x->undl_id);
            rc = store_step_done(r->db, tag, "cannot tag a roll call", r->err);
            continue;
        }
        if (s != SQLITE_DONE) {
            rc = store_fail(r->db, r->err, s, "cannot look up a roll call");
            break;
        }
        x->rcid = UNDL_RCID_BASE + x->undl_id;
        snprintf(r->locator, sizeof(r->locator), "%s:%llu", bilat_file_base(x->path),
                 (unsigned long long)x->line);
        sqlite3_bind_int64(ins, 1, x->rcid);
        sqlite3_bind_int(ins, 2, session_of(x->date));
        store_bind_text(ins, 3, x->date, -1);
        store_bind_text(ins, 4, x->symbol, -1);
        store_bind_text(ins, 5, x->title, -1);
        store_bind_text(ins, 6, r->locator, -1);
        sqlite3_bind_int64(ins, 7, x->undl_id);
        rc = store_step_done(r->db, ins, "cannot write a roll call", r->err);
        r->st->calls++;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(ins);
    sqlite3_finalize(tag);
    return rc;
}

struct vote_stmts {
    sqlite3_stmt *get, *put;
};

static int letter3(const char *s)
{
    int v = 0;
    for (int i = 0; i < 3; i++) {
        int c = toupper((unsigned char)s[i]);
        if (c < 'A' || c > 'Z')
            return -1;
        v = v * 26 + (c - 'A');
    }
    return s[3] ? -1 : v;
}

/* One vote row: resolve, validate, and write unless the roll call already has a vote. */
static int put_vote(struct run *r, struct vote_stmts *vs, const struct input *in,
                    const char *id_s, const char *iso3, const char *vote)
{
    int64_t id;
    if (bilat_parse_int64(id_s, strlen(id_s), &id) < 0) {
        loader_reject(&r->f, in->f.line, "bad undl_id '%.20s'", id_s);
        return 0;
    }
    struct rec *x = rec_find(r, id);
    if (!x) {
        /* a Security Council record, or a record whose resolution row is missing */
        r->st->skipped_sc++;
        return 0;
    }
    int k = letter3(iso3);
    if (k < 0 || !r->iso3[k]) {
        loader_reject(&r->f, in->f.line,
                      "unknown country code '%.10s' (not an ISO3 code of the country "
                      "table)",
                      iso3);
        return 0;
    }
    const char *w = strcasecmp(vote, "Y") == 0   ? "yes"
                    : strcasecmp(vote, "N") == 0 ? "no"
                    : strcasecmp(vote, "A") == 0 ? "abstain"
                    : strcasecmp(vote, "NV") == 0 || !*vote || strcasecmp(vote, "X") == 0
                        ? "nonvoting"
                        : NULL;
    if (!w) {
        loader_reject(&r->f, in->f.line, "bad vote '%.10s' (Y, N, A, NV or empty)", vote);
        return 0;
    }
    char c3[4] = {(char)toupper((unsigned char)iso3[0]), (char)toupper((unsigned char)iso3[1]),
                  (char)toupper((unsigned char)iso3[2]), 0};
    sqlite3_reset(vs->get);
    sqlite3_bind_int64(vs->get, 1, x->rcid);
    store_bind_text(vs->get, 2, c3, -1);
    int s = sqlite3_step(vs->get);
    if (s == SQLITE_ROW) {
        const char *have = (const char *)sqlite3_column_text(vs->get, 0);
        const char *ds = (const char *)sqlite3_column_text(vs->get, 1);
        bool ours = ds && strcmp(ds, DATASET) == 0;
        if (!ours) {
            if (strcmp(have, w) == 0) {
                r->st->votes_agreeing++;
            } else if (!(strcmp(have, "absent") == 0 && strcmp(w, "nonvoting") == 0)) {
                if (++r->st->votes_differing <= 10)
                    loader_diag(
                        &r->f, BILAT_LOG_WARNING, in->f.line,
                        "%s on %s (roll call %lld) is '%s' in the store (%s) and '%s' here: the "
                        "store's vote is kept",
                        c3, x->symbol, (long long)x->rcid, have, ds ? ds : "?", w);
            }
            return 0;
        }
    } else if (s != SQLITE_DONE) {
        return store_fail(r->db, r->err, s, "cannot read a vote");
    }
    sqlite3_reset(vs->put);
    sqlite3_bind_int64(vs->put, 1, x->rcid);
    store_bind_text(vs->put, 2, c3, -1);
    store_bind_text(vs->put, 3, w, -1);
    BILAT_TRY(store_step_done(r->db, vs->put, "cannot write a vote", r->err));
    r->st->votes++;
    return 0;
}

/* The important list: flags its recorded votes and marks the rest of its years as known. */
static int apply_important(struct run *r, struct input *in)
{
    sqlite3_stmt *by_id = NULL, *by_sym = NULL, *flag = NULL, *known = NULL;
    int rc = store_prepare(r->db, "SELECT rcid FROM un_call WHERE undl_id = ?1", &by_id, r->err);
    if (rc == 0)
        rc = store_prepare(r->db,
                           "SELECT rcid FROM un_call WHERE resolution = ?1 AND "
                           "abs(julianday(date) - julianday(?2)) <= 7 AND coalesce(para, 0) = 0 "
                           "AND coalesce(amend, 0) = 0 ORDER BY rcid LIMIT 1",
                           &by_sym, r->err);
    if (rc == 0)
        rc = store_prepare(r->db,
                           "UPDATE un_call SET important = 1, important_known = 1, "
                           "important_source = '" SOURCE_IMPORTANT "' WHERE rcid = ?1",
                           &flag, r->err);
    if (rc == 0)
        rc = store_prepare(r->db,
                           "UPDATE un_call SET important_known = 1, important_source = '" SOURCE_IMPORTANT
                           "' WHERE substr(date, 1, 4) = ?1 AND important_source IS NULL AND "
                           "important = 0 AND (undl_id IS NOT NULL OR dataset = '" DATASET "')",
                           &known, r->err);
    char years[64][5];
    size_t ny = 0;
    int t;
    while (rc == 0 && (t = csv_next(&in->f)) != 0) {
        if (t < 0) {
            loader_reject(&r->f, in->f.line, "%s", in->f.reason);
            continue;
        }
        const char *year = field(in, I_YEAR), *listed = field(in, I_LISTED);
        const char *sym = field(in, I_SYMBOL), *id_s = field(in, I_ID), *date = field(in, I_DATE);
        if (strlen(year) != 4 || !isdigit((unsigned char)year[0])) {
            loader_reject(&r->f, in->f.line, "bad report_year '%.10s'", year);
            continue;
        }
        bool seen = false;
        for (size_t i = 0; i < ny && !seen; i++)
            seen = strcmp(years[i], year) == 0;
        if (!seen && ny < 64)
            snprintf(years[ny++], 5, "%s", year);
        if (strcmp(listed, "with_vote") != 0) {
            if (strcmp(listed, "without_vote") != 0)
                loader_reject(&r->f, in->f.line,
                              "bad listed_as '%.20s' (with_vote or without_vote)", listed);
            else
                r->st->important_without_vote++;
            continue;
        }
        int64_t id = 0, rcid = -1;
        char dd[11] = "";
        if (*id_s && bilat_parse_int64(id_s, strlen(id_s), &id) < 0) {
            loader_reject(&r->f, in->f.line, "bad undl_id '%.20s'", id_s);
            continue;
        }
        if (*date && !day(date, dd)) {
            loader_reject(&r->f, in->f.line, "bad vote_date '%.20s'", date);
            continue;
        }
        if (id) {
            sqlite3_reset(by_id);
            sqlite3_bind_int64(by_id, 1, id);
            int s = sqlite3_step(by_id);
            if (s == SQLITE_ROW)
                rcid = sqlite3_column_int64(by_id, 0);
            else if (s != SQLITE_DONE)
                rc = store_fail(r->db, r->err, s, "cannot look up a roll call");
        }
        if (rc == 0 && rcid < 0 && dd[0]) {
            sqlite3_reset(by_sym);
            store_bind_text(by_sym, 1, sym, -1);
            store_bind_text(by_sym, 2, dd, -1);
            int s = sqlite3_step(by_sym);
            if (s == SQLITE_ROW)
                rcid = sqlite3_column_int64(by_sym, 0);
            else if (s != SQLITE_DONE)
                rc = store_fail(r->db, r->err, s, "cannot look up a roll call");
        }
        if (rc == 0 && rcid < 0) {
            r->st->important_unmatched++;
            continue;
        }
        if (rc == 0) {
            sqlite3_bind_int64(flag, 1, rcid);
            rc = store_step_done(r->db, flag, "cannot flag a roll call", r->err);
            r->st->important++;
        }
    }
    for (size_t i = 0; rc == 0 && i < ny; i++) {
        store_bind_text(known, 1, years[i], -1);
        rc = store_step_done(r->db, known, "cannot mark roll calls", r->err);
    }
    sqlite3_finalize(by_id);
    sqlite3_finalize(by_sym);
    sqlite3_finalize(flag);
    sqlite3_finalize(known);
    return rc;
}

static int load_countries(struct run *r)
{
    r->iso3 = bilat_calloc(26 * 26 * 26, 1);
    if (!r->iso3)
        return bilat_fail(r->err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(r->db, "SELECT iso3 FROM country", &st, r->err));
    int s, n = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        int k = c ? letter3(c) : -1;
        if (k >= 0) {
            r->iso3[k] = 1;
            n++;
        }
    }
    int rc = s == SQLITE_DONE ? 0 : store_fail(r->db, r->err, s, "cannot read the country table");
    sqlite3_finalize(st);
    if (rc == 0 && n == 0)
        rc = bilat_fail(r->err, BILAT_ENOTFOUND,
                        "the store has no country table: load data/reference first");
    return rc;
}

static int check_sources(struct run *r, bool undl, bool important)
{
    const char *ids[2] = {undl ? SOURCE_UNDL : NULL, important ? SOURCE_IMPORTANT : NULL};
    for (int i = 0; i < 2; i++) {
        if (!ids[i])
            continue;
        int64_t have = 0;
        BILAT_TRY(store_query_int(r->db, "SELECT count(*) FROM source WHERE id = ?1", ids[i],
                                  &have, r->err));
        if (!have)
            return bilat_fail(r->err, BILAT_ENOTFOUND,
                              "unknown source '%s': load data/reference first", ids[i]);
    }
    return 0;
}

/* Read every record row of the resolution and one-file inputs. */
static int read_records(struct run *r, struct input *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (in[i].kind != K_RES && in[i].kind != K_ONE)
            continue;
        loader_file_start(&r->f, in[i].path);
        int t;
        while ((t = csv_next(&in[i].f)) != 0) {
            if (t < 0) {
                loader_reject(&r->f, in[i].f.line, "%s", in[i].f.reason);
                continue;
            }
            int rc = in[i].kind == K_RES
                         ? rec_add(r, &in[i], field(&in[i], R_ID), field(&in[i], R_BODY),
                                   field(&in[i], R_SYMBOL), field(&in[i], R_DATE),
                                   field(&in[i], R_TITLE))
                         : rec_add(r, &in[i], field(&in[i], O_ID), field(&in[i], O_BODY),
                                   field(&in[i], O_SYMBOL), field(&in[i], O_DATE),
                                   field(&in[i], O_TITLE));
            if (rc < 0)
                return rc;
        }
        loader_file_done(&r->f, BILAT_LOG_ERROR);
    }
    return 0;
}

/* Re-read the vote rows of the vote and one-file inputs. */
static int read_votes(struct run *r, struct input *in, size_t n)
{
    struct vote_stmts vs = {NULL, NULL};
    int rc = store_prepare(r->db, "SELECT vote, dataset FROM un_vote WHERE rcid = ?1 AND country "
                                  "= ?2",
                           &vs.get, r->err);
    if (rc == 0)
        rc = store_prepare(r->db,
                           "INSERT INTO un_vote(rcid, country, vote, dataset) VALUES (?1, ?2, ?3, "
                           "'" DATASET "') ON CONFLICT(rcid, country) DO UPDATE SET vote = "
                           "excluded.vote WHERE dataset = '" DATASET "'",
                           &vs.put, r->err);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (in[i].kind != K_VOTES && in[i].kind != K_ONE)
            continue;
        loader_file_start(&r->f, in[i].path);
        if (in[i].kind == K_ONE) {
            /* rewind: the one-file layout was read once for its records */
            in[i].f.pos = in[i].f.data.buf;
            in[i].f.next_line = 1;
            if (csv_next(&in[i].f) <= 0)
                continue;
        }
        int t;
        while (rc == 0 && (t = csv_next(&in[i].f)) != 0) {
            if (t < 0) {
                if (in[i].kind == K_VOTES)
                    loader_reject(&r->f, in[i].f.line, "%s", in[i].f.reason);
                continue;
            }
            bool one = in[i].kind == K_ONE;
            rc = put_vote(r, &vs, &in[i], field(&in[i], one ? O_ID : V_ID),
                          field(&in[i], one ? O_ISO3 : V_ISO3), field(&in[i], one ? O_VOTE : V_VOTE));
        }
    }
    sqlite3_finalize(vs.get);
    sqlite3_finalize(vs.put);
    return rc;
}

int bilat_undl_ingest(bilat_db *db, const char *const *paths, size_t n,
                      const struct bilat_unvotes_opts *opts, struct bilat_undl_stats *stats_out,
                      struct bilat_err *err)
{
    struct bilat_undl_stats stats = {0};
    struct run r = {.db = db, .o = opts, .st = &stats, .err = err};
    r.f.diag = opts ? &opts->diag : NULL;
    r.f.rejected = &stats.rejected;
    struct input *in = NULL;
    int rc = 0, in_tx = 0;
    BILAT_TRY(loader_check(db, n, err));
    in = bilat_calloc(n, sizeof(*in));
    if (!in)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    bool any_votes = false, any_important = false, any_records = false;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct bilat_buf data = BILAT_BUF_INIT;
        in[i].path = paths[i];
        rc = unv_read_file(paths[i], UNDL_MAX_INPUT, &data, err);
        if (rc == 0 && csv_open_mem(&in[i].f, paths[i], data.buf, data.len, ',') < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        bilat_buf_release(&data);
        if (rc < 0)
            break;
        stats.files++;
        if (in[i].f.end - in[i].f.pos >= 3 && memcmp(in[i].f.pos, "\xEF\xBB\xBF", 3) == 0)
            in[i].f.pos += 3;
        if (csv_next(&in[i].f) <= 0 || (in[i].kind = classify(&in[i])) == K_UNKNOWN) {
            rc = bilat_fail_at(err, BILAT_EPARSE, paths[i], 1,
                               "not a UN Digital Library file: expected the columns undl_id, "
                               "body, symbol, vote_date (resolutions), undl_id, iso3, vote "
                               "(votes), undl_id, ms_code, ms_vote, date, resolution (the UN's "
                               "download) or report_year, listed_as, symbol, undl_id, vote_date "
                               "(important votes)");
            break;
        }
        any_votes |= in[i].kind == K_VOTES || in[i].kind == K_ONE;
        any_records |= in[i].kind == K_RES || in[i].kind == K_ONE;
        any_important |= in[i].kind == K_IMPORTANT;
    }
    if (rc == 0 && any_votes && !any_records)
        rc = bilat_fail(err, BILAT_EINVAL,
                        "vote files need their resolutions file in the same run (undl_id, "
                        "body, symbol, vote_date)");
    if (rc < 0)
        goto out;
    rc = store_begin(db, err);
    if (rc < 0)
        goto out;
    in_tx = 1;
    int64_t v40 = 0;
    rc = store_query_int(db, "SELECT count(*) FROM schema_version WHERE version = 40", NULL, &v40,
                         err);
    if (rc == 0 && !v40)
        rc = bilat_fail(err, BILAT_EIO, "the store predates UN Digital Library votes (schema "
                                        "version 40): open it for writing with this bilat");
    if (rc == 0)
        rc = check_sources(&r, any_records, any_important);
    if (rc == 0)
        rc = load_countries(&r);
    if (rc == 0)
        rc = read_records(&r, in, n);
    if (rc == 0 && !stats.rejected)
        rc = resolve_calls(&r);
    if (rc == 0 && !stats.rejected)
        rc = read_votes(&r, in, n);
    for (size_t i = 0; rc == 0 && !stats.rejected && i < n; i++)
        if (in[i].kind == K_IMPORTANT) {
            loader_file_start(&r.f, in[i].path);
            rc = apply_important(&r, &in[i]);
        }
    if (rc == 0)
        rc = loader_check_rejected(stats.rejected, err);
    if (rc == 0 && stats.votes_differing > 10)
        loader_diag(&r.f, BILAT_LOG_WARNING, 0,
                    "%llu votes differ from the store's in all (10 shown)",
                    (unsigned long long)stats.votes_differing);
    if (rc == 0)
        rc = store_record_dataset(db, DATASET, paths, n, (int64_t)n,
                                  "SELECT count(*) FROM un_vote WHERE dataset = ?1", err);
out:
    rc = loader_end(db, rc, &in_tx, true, err);
    for (size_t i = 0; i < r.nrec; i++)
        bilat_free(r.recs[i].title);
    bilat_free(r.recs);
    bilat_free(r.iso3);
    for (size_t i = 0; in && i < n; i++)
        csv_close(&in[i].f);
    bilat_free(in);
    if (stats_out)
        *stats_out = stats;
    return rc;
}
