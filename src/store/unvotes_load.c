/*
 * unvotes_load.c: `bilat ingest unvotes|idealpoints`: UN vote files into the store, in one
 * transaction (bilat.h: bilat_unvotes_ingest, bilat_idealpoints_ingest).
 *
 * Every input file is read whole (gzip or plain), recognised by its header and parsed by
 * ingest/unvotes.c; roll calls are written before issue tags and votes whatever the order on the
 * command line, so that a vote can be checked against its roll call. Country codes (ISO3, or
 * ISO2 through the `country` table) are resolved through two arrays indexed by the letters of
 * the code, and duplicate keys inside one run are found with a hash set of 64-bit keys
 * (core/hindex.h): both matter on the 870,109-row vote file, where a temporary SQL table would
 * double the ingest time.
 *
 * A bad row anywhere rolls the whole run back (nothing half-ingested). Rows skipped on purpose
 * (a missing country code, a non-member "vote") are counted and summed up in one warning per
 * file. Ingested rows carry dataset 'ingest:unvotes' / 'ingest:idealpoints' and a locator
 * 'file:line'; the `dataset` table records the run, so that the report's "data as of" covers it.
 */
#include "bilat.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/hindex.h"
#include "ingest/unvotes.h"
#include "store/db.h"
#include "store/loader.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    UNV_MAX_INPUT = 1024u * 1024u * 1024u, /* 1 GiB once decompressed */
    N_ISO3 = 26 * 26 * 26,
    N_ISO2 = 26 * 26,
};

#define DATASET_VOTES "ingest:unvotes"
#define DATASET_IDEAL "ingest:idealpoints"

/* ------------------------------------------------------------------------------------------ */
/* A set of 64-bit keys (never 0) with the line each was first seen on.                        */

struct keyent {
    uint64_t key;  /* never 0 */
    uint64_t line; /* line of the key's first row */
};

struct keyset {
    struct keyent *e;      /* in the order they came */
    size_t n, cap;
    struct bilat_hindex x; /* by key (core/hindex.h) */
};

static void keyset_release(struct keyset *s)
{
    bilat_free(s->e);
    bilat_hindex_release(&s->x);
    memset(s, 0, sizeof(*s));
}

/* Keys are built from row ids and country indexes: mixed, so that their low bits spread. */
static uint64_t key_hash(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k * 0xc4ceb9fe1a85ec53ULL;
}

static uint64_t keyent_hash(const void *ctx, size_t i)
{
    return key_hash(((const struct keyent *)ctx)[i].key);
}

/* A key looked for among a set's entries. */
struct kkey {
    const struct keyent *e;
    uint64_t key;
};

static bool keyent_same(const void *ctx, size_t i)
{
    const struct kkey *k = ctx;
    return k->e[i].key == k->key;
}

/* Insert `key`: 0 new, 1 already there (*first_line set), BILAT_ENOMEM. */
static int keyset_add(struct keyset *s, uint64_t key, uint64_t line, uint64_t *first_line)
{
    if (!s->x.slot && bilat_hindex_init(&s->x, 4096) < 0)
        return BILAT_ENOMEM;
    const struct kkey k = {s->e, key};
    uint64_t h = key_hash(key);
    size_t slot, i = bilat_hindex_find(&s->x, h, keyent_same, &k, &slot);
    if (i != BILAT_HINDEX_NONE) {
        *first_line = s->e[i].line;
        return 1;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 2048;
        struct keyent *e = bilat_realloc_array(s->e, cap, sizeof(*e));
        if (!e)
            return BILAT_ENOMEM;
        s->e = e;
        s->cap = cap;
    }
    s->e[s->n] = (struct keyent){key, line};
    BILAT_TRY(bilat_hindex_put(&s->x, slot, h, s->n, keyent_hash, s->e));
    s->n++;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The run                                                                                     */

struct uload {
    bilat_db *db;
    const struct bilat_unvotes_opts *o;
    struct bilat_unvotes_stats *st;
    struct bilat_err *err;
    struct loader_file f;                /* the file being read, its bad rows */
    const char *source_id;               /* source of every row */
    uint64_t missing_code, missing_line; /* votes with no country code in this file */
    uint64_t nonmember;                  /* non-member rows in this file */
    sqlite3_stmt *ins;                   /* upsert of the current kind */
    sqlite3_stmt *q_call;                /* does a roll call exist */
    struct keyset seen;                  /* keys written in this run (per kind) */
    int64_t last_rcid;   /* roll call of the previous vote row, -1 at a file's start */
    int last_ok;         /* whether that roll call is in the store */
    char (*iso2)[4];     /* [N_ISO2]: ISO2 -> ISO3, "" when unknown */
    unsigned char *iso3; /* [N_ISO3]: 1 when the ISO3 code is in the country table */
};

/* Start a run over `n` files, of rows from `default_source` unless the options name another. */
static int uload_init(struct uload *u, bilat_db *db, size_t n,
                      const struct bilat_unvotes_opts *opts, struct bilat_unvotes_stats *stats,
                      const char *default_source, struct bilat_err *err)
{
    *u = (struct uload){.db = db, .o = opts, .st = stats, .err = err};
    u->f.diag = opts ? &opts->diag : NULL;
    u->f.rejected = &stats->rejected;
    u->source_id = opts && opts->source_id ? opts->source_id : default_source;
    return loader_check(db, n, err);
}

static void reject(void *ctx, uint64_t line, const char *msg)
{
    struct uload *u = ctx;
    loader_reject(&u->f, line, "%s", msg);
}

static int letter_index(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        int ch = toupper((unsigned char)s[i]);
        if (ch < 'A' || ch > 'Z')
            return -1;
        v = v * 26 + (ch - 'A');
    }
    return v;
}

/* Load the country table into the lookup arrays. */
static int load_countries(struct uload *u)
{
    u->iso2 = bilat_calloc(N_ISO2, sizeof(*u->iso2));
    u->iso3 = bilat_calloc(N_ISO3, 1);
    if (!u->iso2 || !u->iso3)
        return bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(u->db, "SELECT iso3, iso2 FROM country", &st, u->err));
    int s, n = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *i3 = (const char *)sqlite3_column_text(st, 0);
        const char *i2 = (const char *)sqlite3_column_text(st, 1);
        int k3 = i3 && strlen(i3) == 3 ? letter_index(i3, 3) : -1;
        if (k3 < 0)
            continue;
        u->iso3[k3] = 1;
        n++;
        int k2 = i2 && strlen(i2) == 2 ? letter_index(i2, 2) : -1;
        if (k2 >= 0)
            memcpy(u->iso2[k2], i3, 4);
    }
    int rc = s == SQLITE_DONE ? 0 : store_fail(u->db, u->err, s, "cannot read the country table");
    sqlite3_finalize(st);
    if (rc == 0 && n == 0)
        rc = bilat_fail(u->err, BILAT_ENOTFOUND,
                        "the store has no country table: load data/reference first "
                        "(bilat load data/reference)");
    return rc;
}

/* Resolve a country code: 1 with iso3 filled, 0 unknown. */
static int country_code(struct uload *u, const char *s, size_t len, char iso3[4], int *idx)
{
    if (len == 3) {
        int k = letter_index(s, 3);
        if (k < 0 || !u->iso3[k])
            return 0;
        for (int i = 0; i < 3; i++)
            iso3[i] = (char)toupper((unsigned char)s[i]);
        iso3[3] = '\0';
        *idx = k;
        return 1;
    }
    if (len == 2) {
        int k = letter_index(s, 2);
        if (k < 0 || !u->iso2[k][0])
            return 0;
        memcpy(iso3, u->iso2[k], 4);
        *idx = letter_index(iso3, 3);
        return 1;
    }
    return 0;
}

static int check_source(struct uload *u, const char *id)
{
    int64_t have = 0;
    BILAT_TRY(
        store_query_int(u->db, "SELECT count(*) FROM source WHERE id = ?1", id, &have, u->err));
    if (!have)
        return bilat_fail(u->err, BILAT_ENOTFOUND,
                          "unknown source '%s': load data/reference first, or name a source of "
                          "the store with --source",
                          id);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Sinks                                                                                       */

static int sink_call(void *ctx, const struct unv_call *c)
{
    struct uload *u = ctx;
    uint64_t first = 0;
    int r = keyset_add(&u->seen, (uint64_t)c->rcid, c->line, &first);
    if (r < 0)
        return bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
    if (r) {
        char msg[160];
        snprintf(msg, sizeof(msg), "duplicate roll call %lld (first at line %llu)",
                 (long long)c->rcid, (unsigned long long)first);
        reject(u, c->line, msg);
        return 0;
    }
    if (c->important < 0)
        u->st->unflagged++;
    sqlite3_stmt *st = u->ins;
    sqlite3_bind_int64(st, 1, c->rcid);
    if (c->has_session)
        sqlite3_bind_int64(st, 2, c->session);
    else
        sqlite3_bind_null(st, 2);
    store_bind_text(st, 3, c->date, -1);
    store_bind_text(st, 4, c->resolution, -1);
    store_bind_text(st, 5, c->title, -1);
    sqlite3_bind_int(st, 6, c->important > 0);
    store_bind_text(st, 7, u->source_id, -1);
    store_bind_text(st, 8, loader_locate(&u->f, c->line), -1);
    store_bind_text(st, 9, c->description, -1);
    if (c->amend >= 0)
        sqlite3_bind_int(st, 10, c->amend);
    else
        sqlite3_bind_null(st, 10);
    if (c->para >= 0)
        sqlite3_bind_int(st, 11, c->para);
    else
        sqlite3_bind_null(st, 11);
    sqlite3_bind_int(st, 12, c->important >= 0);
    BILAT_TRY(store_step_done(u->db, st, "cannot write a roll call", u->err));
    u->st->calls++;
    return 0;
}

/* 1 when the roll call is in the store, 0 not, negative on error. */
static int call_exists(struct uload *u, int64_t rcid)
{
    sqlite3_bind_int64(u->q_call, 1, rcid);
    int s = sqlite3_step(u->q_call);
    sqlite3_reset(u->q_call);
    if (s == SQLITE_ROW)
        return 1;
    if (s == SQLITE_DONE)
        return 0;
    return store_fail(u->db, u->err, s, "cannot look up a roll call");
}

static void missing_call(struct uload *u, int64_t rcid, uint64_t line)
{
    char msg[200];
    snprintf(msg, sizeof(msg),
             "roll call %lld is not in the store (ingest its roll-call file first, or with this "
             "file)",
             (long long)rcid);
    reject(u, line, msg);
}

static int sink_issue(void *ctx, const struct unv_issue *i)
{
    struct uload *u = ctx;
    int r = call_exists(u, i->rcid);
    if (r < 0)
        return r;
    if (!r) {
        missing_call(u, i->rcid, i->line);
        return 0;
    }
    /* key: rcid (below 2^31) and the code (at most 4 bytes, checked by the reader) */
    uint64_t code = 0;
    for (size_t k = 0; k < 4 && i->code[k]; k++)
        code = code << 8 | (unsigned char)i->code[k];
    uint64_t first = 0;
    r = keyset_add(&u->seen, ((uint64_t)i->rcid << 32) | code, i->line, &first);
    if (r < 0)
        return bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
    if (r) {
        char msg[160];
        snprintf(msg, sizeof(msg),
                 "duplicate issue tag '%s' for roll call %lld (first at line %llu)", i->code,
                 (long long)i->rcid, (unsigned long long)first);
        reject(u, i->line, msg);
        return 0;
    }
    sqlite3_stmt *st = u->ins;
    sqlite3_bind_int64(st, 1, i->rcid);
    store_bind_text(st, 2, i->code, -1);
    store_bind_text(st, 3, i->issue, -1);
    BILAT_TRY(store_step_done(u->db, st, "cannot write an issue tag", u->err));
    u->st->issues++;
    return 0;
}

static int sink_vote(void *ctx, const struct unv_vote_row *v)
{
    struct uload *u = ctx;
    if (v->vote == UNV_NONMEMBER) {
        u->nonmember++;
        u->st->skipped++;
        return 0;
    }
    if (v->country_len == 0 ||
        (!v->country_quoted && v->country_len == 2 && memcmp(v->country, "NA", 2) == 0)) {
        if (!u->missing_code++)
            u->missing_line = v->line;
        u->st->skipped++;
        return 0;
    }
    char iso3[4];
    int idx = 0;
    if (!country_code(u, v->country, v->country_len, iso3, &idx)) {
        char msg[160];
        snprintf(msg, sizeof(msg),
                 "unknown country code '%.10s' (not an ISO3 or ISO2 code of the country table)",
                 v->country);
        reject(u, v->line, msg);
        return 0;
    }
    /* Vote files are grouped by roll call: most rows repeat the previous rcid. */
    if (v->rcid != u->last_rcid) {
        int r = call_exists(u, v->rcid);
        if (r < 0)
            return r;
        u->last_rcid = v->rcid;
        u->last_ok = r;
    }
    if (!u->last_ok) {
        missing_call(u, v->rcid, v->line);
        return 0;
    }
    uint64_t first = 0;
    int r = keyset_add(&u->seen, (uint64_t)v->rcid * N_ISO3 + (uint64_t)idx + 1, v->line, &first);
    if (r < 0)
        return bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
    if (r) {
        char msg[160];
        snprintf(msg, sizeof(msg), "duplicate vote of %s on roll call %lld (first at line %llu)",
                 iso3, (long long)v->rcid, (unsigned long long)first);
        reject(u, v->line, msg);
        return 0;
    }
    static const char *const words[] = {"yes", "abstain", "no", "absent"};
    const char *w = v->vote == UNV_YES       ? words[0]
                    : v->vote == UNV_ABSTAIN ? words[1]
                    : v->vote == UNV_NO      ? words[2]
                                             : words[3];
    sqlite3_stmt *st = u->ins;
    sqlite3_bind_int64(st, 1, v->rcid);
    sqlite3_bind_text(st, 2, iso3, 3, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, w, -1, SQLITE_STATIC);
    BILAT_TRY(store_step_done(u->db, st, "cannot write a vote", u->err));
    u->st->votes++;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Votes, roll calls and issue tags                                                            */

struct input {
    const char *path;
    struct bilat_buf data;
    enum unv_kind kind;
};

static void file_summary(struct uload *u)
{
    loader_file_done(&u->f, BILAT_LOG_ERROR);
    if (u->missing_code)
        loader_diag(
            &u->f, BILAT_LOG_WARNING, u->missing_line,
            "%llu vote%s without a country code (unquoted NA or empty) skipped; in the unvotes "
            "package's compact file these are the Yemen Arab Republic, Zanzibar and the Federal "
            "Republic of Germany, which it cannot tell apart",
            (unsigned long long)u->missing_code, u->missing_code == 1 ? "" : "s");
    if (u->nonmember)
        loader_diag(&u->f, BILAT_LOG_INFO, 0,
                    "%llu non-member row%s skipped (non-membership is not a vote)",
                    (unsigned long long)u->nonmember, u->nonmember == 1 ? "" : "s");
}

static const char *const upsert_sql[] = {
    [UNV_CALLS] =
        "INSERT INTO un_call(rcid, session, date, resolution, title, important, "
        "source_id, locator, dataset, description, amend, para, important_known) VALUES (?1, "
        "?2, ?3, ?4, ?5, ?6, ?7, ?8, '" DATASET_VOTES "', ?9, ?10, ?11, ?12) ON "
        "CONFLICT(rcid) DO UPDATE "
        "SET session = excluded.session, date = excluded.date, resolution = "
        "excluded.resolution, title = excluded.title, "
        /* flags set by `bilat ingest undl` from the State Department's lists stay */
        "important = CASE WHEN un_call.important_source IS NULL THEN excluded.important "
        "ELSE un_call.important END, "
        "source_id = excluded.source_id, locator = excluded.locator, dataset = "
        "excluded.dataset, description = excluded.description, amend = excluded.amend, "
        "para = excluded.para, important_known = CASE WHEN un_call.important_source IS NULL "
        "THEN excluded.important_known ELSE un_call.important_known END",
    [UNV_ISSUES] =
        "INSERT INTO un_issue(rcid, code, issue, dataset) VALUES (?1, ?2, ?3, '" DATASET_VOTES
        "') ON CONFLICT(rcid, code) DO UPDATE SET issue = excluded.issue, dataset = "
        "excluded.dataset",
    [UNV_VOTES] =
        "INSERT INTO un_vote(rcid, country, vote, dataset) VALUES (?1, ?2, ?3, '" DATASET_VOTES
        "') ON CONFLICT(rcid, country) DO UPDATE SET vote = excluded.vote, dataset = "
        "excluded.dataset WHERE vote IS NOT excluded.vote OR dataset IS NOT "
        "excluded.dataset",
};

/* Parse one file of the current kind into the store. */
static int ingest_one(struct uload *u, struct input *in, struct unv_sink *sink)
{
    loader_file_start(&u->f, in->path);
    u->missing_code = u->missing_line = u->nonmember = 0;
    u->last_rcid = -1;
    int rc = unv_parse(in->path, in->data.buf, in->data.len, sink, u->err);
    if (rc == 0)
        file_summary(u);
    return rc;
}

/* The roll calls of one issue tag in one year, for the repeat check. */
struct tagset {
    char year[5];
    char code[8];
    int64_t *rcid;
    size_t n, cap;
    bool flagged;
};

static void tagsets_free(struct tagset *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        bilat_free(t[i].rcid);
    bilat_free(t);
}

static bool same_set(const struct tagset *a, const struct tagset *b)
{
    return a->n == b->n && strcmp(a->year, b->year) == 0 &&
           memcmp(a->rcid, b->rcid, a->n * sizeof(int64_t)) == 0;
}

/*
 * A data check: issue tags that repeat another tag's roll calls exactly in a year (five or more
 * of them) are a coding error of the source (in the unvotes file of 2019, "co" and "ec" are the same 16 disarmament
 * roll calls as "di"). Each such group is reported as a warning naming the file, the year and
 * the tags, and its tags are marked excluded for that year (un_issue.excluded), so that the
 * year's issue breakdown leaves them out: which of them is right cannot be told.
 */
static int check_issue_repeats(struct uload *u, struct bilat_unvotes_stats *stats)
{
    int64_t has = 0;
    BILAT_TRY(store_query_int(u->db,
                              "SELECT count(*) FROM pragma_table_info('un_issue') WHERE name = "
                              "'excluded'",
                              NULL, &has, u->err));
    if (!has)
        return 0;
    BILAT_TRY(store_exec(u->db, "UPDATE un_issue SET excluded = NULL WHERE excluded IS NOT NULL",
                         u->err));
    sqlite3_stmt *st = NULL, *up = NULL;
    BILAT_TRY(store_prepare(u->db,
                            "SELECT substr(c.date, 1, 4), i.code, i.rcid FROM un_issue i JOIN "
                            "un_call c ON c.rcid = i.rcid WHERE c.date IS NOT NULL "
                            "ORDER BY 1, 2, 3",
                            &st, u->err));
    struct tagset *sets = NULL;
    size_t ns = 0, cap = 0;
    int s, rc = 0;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *y = (const char *)sqlite3_column_text(st, 0);
        const char *code = (const char *)sqlite3_column_text(st, 1);
        if (!ns || strcmp(sets[ns - 1].year, y) != 0 || strcmp(sets[ns - 1].code, code) != 0) {
            if (ns == cap) {
                cap = cap ? 2 * cap : 64;
                struct tagset *nt = bilat_realloc_array(sets, cap, sizeof(*nt));
                if (!nt) {
                    rc = bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
                    break;
                }
                sets = nt;
            }
            memset(&sets[ns], 0, sizeof(sets[ns]));
            snprintf(sets[ns].year, sizeof(sets[ns].year), "%s", y);
            snprintf(sets[ns].code, sizeof(sets[ns].code), "%s", code);
            ns++;
        }
        struct tagset *t = &sets[ns - 1];
        if (t->n == t->cap) {
            size_t c2 = t->cap ? 2 * t->cap : 16;
            int64_t *nr = bilat_realloc_array(t->rcid, c2, sizeof(*nr));
            if (!nr) {
                rc = bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
                break;
            }
            t->rcid = nr;
            t->cap = c2;
        }
        t->rcid[t->n++] = sqlite3_column_int64(st, 2);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(u->db, u->err, s, "cannot read issue tags");
    sqlite3_finalize(st);
    if (rc == 0)
        rc = store_prepare(u->db,
                           "UPDATE un_issue SET excluded = ?3 WHERE code = ?2 AND rcid IN "
                           "(SELECT rcid FROM un_call WHERE substr(date, 1, 4) = ?1)",
                           &up, u->err);
    for (size_t i = 0; rc == 0 && i < ns; i++) {
        if (sets[i].flagged)
            continue;
        char tags[200];
        snprintf(tags, sizeof(tags), "%s", sets[i].code);
        size_t group = 1;
        for (size_t k = i + 1; k < ns && strcmp(sets[k].year, sets[i].year) == 0; k++)
            if (!sets[k].flagged && same_set(&sets[i], &sets[k])) {
                sets[k].flagged = true;
                snprintf(tags + strlen(tags), sizeof(tags) - strlen(tags), ", %s", sets[k].code);
                group++;
            }
        /* a few roll calls under two related tags (a nuclear test ban is both nu and di) is
         * no error; the same five or more under different tags is */
        if (group < 2 || sets[i].n < 5)
            continue;
        sets[i].flagged = true;
        char why[300];
        snprintf(why, sizeof(why),
                 "in %s the tags %s hold exactly the same %zu roll calls (a coding error of the "
                 "source); left out of %s's issue breakdown",
                 sets[i].year, tags, sets[i].n, sets[i].year);
        loader_diag(&u->f, BILAT_LOG_WARNING, 0, "%s", why);
        stats->repeated_tags += group;
        for (size_t k = i; rc == 0 && k < ns && strcmp(sets[k].year, sets[i].year) == 0; k++) {
            if (k != i && !(sets[k].flagged && same_set(&sets[i], &sets[k])))
                continue;
            sqlite3_reset(up);
            store_bind_text(up, 1, sets[k].year, -1);
            store_bind_text(up, 2, sets[k].code, -1);
            store_bind_text(up, 3, why, -1);
            rc = store_step_done(u->db, up, "cannot mark issue tags", u->err);
        }
    }
    sqlite3_finalize(up);
    tagsets_free(sets, ns);
    return rc;
}

int bilat_unvotes_ingest(bilat_db *db, const char *const *paths, size_t n,
                         const struct bilat_unvotes_opts *opts,
                         struct bilat_unvotes_stats *stats_out, struct bilat_err *err)
{
    struct bilat_unvotes_stats stats = {0};
    struct uload u;
    struct input *in = NULL;
    int rc = 0, in_tx = 0;
    BILAT_TRY(uload_init(&u, db, n, opts, &stats, "unvotes-pkg", err));
    in = bilat_calloc(n, sizeof(*in));
    if (!in)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        in[i].path = paths[i];
        bilat_buf_init(&in[i].data);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        rc = unv_read_file(paths[i], UNV_MAX_INPUT, &in[i].data, err);
        if (rc < 0)
            break;
        in[i].kind = unv_classify(in[i].data.buf, in[i].data.len);
        if (in[i].kind == UNV_IDEAL)
            rc = bilat_fail_at(err, BILAT_EPARSE, paths[i], 1,
                               "'%s' holds ideal points: use 'bilat ingest idealpoints'", paths[i]);
        stats.files++;
    }
    if (rc < 0)
        goto out;
    rc = store_begin(db, err);
    if (rc < 0)
        goto out;
    in_tx = 1;
    if ((rc = check_source(&u, u.source_id)) < 0 || (rc = load_countries(&u)) < 0)
        goto out;
    rc = store_prepare(db, "SELECT 1 FROM un_call WHERE rcid = ?1", &u.q_call, err);
    /* kinds in dependency order; a file whose header is not recognised fails in unv_parse */
    static const enum unv_kind order[] = {UNV_CALLS, UNV_ISSUES, UNV_VOTES, UNV_UNKNOWN};
    for (size_t k = 0; rc == 0 && k < sizeof(order) / sizeof(order[0]); k++) {
        struct unv_sink sink = {.ctx = &u, .reject = reject};
        if (order[k] == UNV_CALLS)
            sink.call = sink_call;
        else if (order[k] == UNV_ISSUES)
            sink.issue = sink_issue;
        else if (order[k] == UNV_VOTES)
            sink.vote = sink_vote;
        /* A large vote file: the secondary index is rebuilt once at the end (sorted, in one
         * pass) instead of being updated row by row in random order; the same definition as in
         * migrations.c. Inside the transaction, so a rollback restores it. */
        size_t bytes = 0;
        for (size_t i = 0; i < n; i++)
            if (in[i].kind == order[k])
                bytes += in[i].data.len;
        int bulk = order[k] == UNV_VOTES && bytes > (4u << 20);
        if (bulk)
            rc = store_exec(db, "DROP INDEX IF EXISTS un_vote_country", err);
        if (rc == 0 && order[k] != UNV_UNKNOWN)
            rc = store_prepare(db, upsert_sql[order[k]], &u.ins, err);
        keyset_release(&u.seen);
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (in[i].kind == order[k])
                rc = ingest_one(&u, &in[i], &sink);
        sqlite3_finalize(u.ins);
        u.ins = NULL;
        if (rc == 0 && bulk)
            rc =
                store_exec(db, "CREATE INDEX un_vote_country ON un_vote(country, rcid, vote)", err);
    }
    if (rc == 0)
        rc = loader_check_rejected(stats.rejected, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (in[i].kind == UNV_ISSUES) {
            u.f.path = in[i].path;
            rc = check_issue_repeats(&u, &stats);
            break;
        }
    if (rc == 0)
        rc = store_record_dataset(db, DATASET_VOTES, paths, n, (int64_t)n,
                                  "SELECT (SELECT count(*) FROM un_call WHERE dataset = ?1) + "
                                  "(SELECT count(*) FROM un_vote WHERE dataset = ?1)",
                                  err);
out:
    sqlite3_finalize(u.ins);
    sqlite3_finalize(u.q_call);
    rc = loader_end(db, rc, &in_tx, true, err);
    keyset_release(&u.seen);
    bilat_free(u.iso2);
    bilat_free(u.iso3);
    for (size_t i = 0; in && i < n; i++)
        bilat_buf_release(&in[i].data);
    bilat_free(in);
    if (stats_out)
        *stats_out = stats;
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Ideal points                                                                                */

struct ip_row {
    struct unv_ideal v; /* the parsed row (iso3 copied below) */
    char file_iso3[4];  /* the file's iso3c ("" when none or not 3 letters) */
    char iso3[4];       /* resolved */
    size_t file;        /* index of the input file */
    int skip;           /* 1: left out in favour of another row for the same country-year */
};

struct ip_ctx {
    struct uload *u;
    struct ip_row *rows;
    size_t n, cap;
    size_t file;
};

static int sink_ideal(void *ctx, const struct unv_ideal *p)
{
    struct ip_ctx *c = ctx;
    if (c->n == c->cap) {
        size_t ncap = c->cap ? 2 * c->cap : 1024;
        struct ip_row *nr = bilat_realloc_array(c->rows, ncap, sizeof(*nr));
        if (!nr)
            return bilat_fail(c->u->err, BILAT_ENOMEM, "out of memory");
        c->rows = nr;
        c->cap = ncap;
    }
    struct ip_row *r = &c->rows[c->n++];
    memset(r, 0, sizeof(*r));
    r->v = *p;
    r->v.iso3 = NULL;
    r->file = c->file;
    if (strlen(p->iso3) == 3 && letter_index(p->iso3, 3) >= 0)
        for (int i = 0; i < 4; i++)
            r->file_iso3[i] = (char)toupper((unsigned char)p->iso3[i]);
    return 0;
}

static void ip_reject(void *ctx, uint64_t line, const char *msg)
{
    reject(((struct ip_ctx *)ctx)->u, line, msg);
}

/* COW code -> ISO3 from the country table; sorted pairs for binary search. */
struct cow_map {
    int64_t *cow;
    char (*iso3)[4];
    size_t n;
};

static int load_cow(struct uload *u, struct cow_map *m)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(u->db,
                            "SELECT cow, min(iso3) FROM country WHERE cow IS NOT NULL GROUP BY cow "
                            "ORDER BY cow",
                            &st, u->err));
    int s, rc = 0;
    size_t cap = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (m->n == cap) {
            cap = cap ? 2 * cap : 256;
            int64_t *nc = bilat_realloc_array(m->cow, cap, sizeof(*nc));
            if (nc)
                m->cow = nc;
            char(*ni)[4] = bilat_realloc_array(m->iso3, cap, sizeof(*ni));
            if (ni)
                m->iso3 = ni;
            if (!nc || !ni) {
                rc = bilat_fail(u->err, BILAT_ENOMEM, "out of memory");
                break;
            }
        }
        const char *i3 = (const char *)sqlite3_column_text(st, 1);
        m->cow[m->n] = sqlite3_column_int64(st, 0);
        snprintf(m->iso3[m->n], 4, "%s", i3 ? i3 : "");
        m->n++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(u->db, u->err, s, "cannot read the country table");
    sqlite3_finalize(st);
    return rc;
}

static const char *cow_iso3(const struct cow_map *m, int64_t cow)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m->cow[mid] < cow)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m->n && m->cow[lo] == cow ? m->iso3[lo] : NULL;
}

/* The country table's own COW code of an ISO3, or -1. */
static int64_t own_cow(const struct cow_map *m, const char *iso3)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->iso3[i], iso3) == 0)
            return m->cow[i];
    return -1;
}

static int cmp_ip(const void *pa, const void *pb)
{
    const struct ip_row *a = pa, *b = pb;
    int c = strcmp(a->iso3, b->iso3);
    if (c)
        return c;
    if (a->v.year != b->v.year)
        return a->v.year < b->v.year ? -1 : 1;
    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return a->v.line < b->v.line ? -1 : a->v.line > b->v.line;
}

/* Map every row to an ISO3 code (docs/STORE.md: ideal_point). */
static int resolve_ideal(struct uload *u, struct ip_ctx *c, const struct cow_map *m,
                         const char *const *paths)
{
    /* What the file itself says a COW code is: the first row with a known ISO3 for it. */
    for (size_t i = 0; i < c->n; i++) {
        struct ip_row *r = &c->rows[i];
        u->f.path = paths[r->file];
        const char *ref = cow_iso3(m, r->v.cow);
        int known_file = r->file_iso3[0] && u->iso3[letter_index(r->file_iso3, 3)];
        if (ref) {
            snprintf(r->iso3, 4, "%s", ref);
            if (known_file && strcmp(ref, r->file_iso3) != 0) {
                /* once per COW code and file */
                int told = 0;
                for (size_t j = 0; j < i && !told; j++)
                    told = c->rows[j].v.cow == r->v.cow && c->rows[j].file == r->file &&
                           strcmp(c->rows[j].file_iso3, r->file_iso3) == 0;
                if (!told)
                    loader_diag(
                        &u->f, BILAT_LOG_WARNING, r->v.line,
                        "COW code %lld is %s in the country table; the file's iso3c '%s' is "
                        "not used",
                        (long long)r->v.cow, ref, r->file_iso3);
            }
            continue;
        }
        if (known_file) {
            memcpy(r->iso3, r->file_iso3, 4);
            continue;
        }
        for (size_t j = 0; j < c->n && !r->iso3[0]; j++) {
            const struct ip_row *o = &c->rows[j];
            if (o->v.cow == r->v.cow && o->file_iso3[0] && u->iso3[letter_index(o->file_iso3, 3)])
                memcpy(r->iso3, o->file_iso3, 4);
        }
        if (!r->iso3[0]) {
            char msg[200];
            snprintf(msg, sizeof(msg),
                     "unknown COW code %lld (not in the country table, and the file gives no "
                     "ISO3 code for it)",
                     (long long)r->v.cow);
            reject(u, r->v.line, msg);
        }
    }
    /* Two rows for one country-year: keep the one with the country's own COW code. */
    qsort(c->rows, c->n, sizeof(*c->rows), cmp_ip);
    for (size_t i = 0; i + 1 < c->n; i++) {
        struct ip_row *a = &c->rows[i], *b = &c->rows[i + 1];
        if (!a->iso3[0] || strcmp(a->iso3, b->iso3) != 0 || a->v.year != b->v.year)
            continue;
        int64_t own = own_cow(m, a->iso3);
        struct ip_row *keep = a->v.cow == own ? a : b->v.cow == own ? b : NULL;
        struct ip_row *drop = keep == a ? b : a;
        u->f.path = paths[b->file];
        if (!keep || a->v.cow == b->v.cow) {
            char msg[200];
            snprintf(msg, sizeof(msg), "second row for %s in %lld (first at %s:%llu)", a->iso3,
                     (long long)a->v.year, bilat_file_base(paths[a->file]),
                     (unsigned long long)a->v.line);
            reject(u, b->v.line, msg);
            continue;
        }
        drop->skip = 1;
        u->st->skipped++;
        u->f.path = paths[drop->file];
        loader_diag(
            &u->f, BILAT_LOG_WARNING, drop->v.line,
            "COW code %lld and COW code %lld both give %s in %lld; the row of %s's own code "
            "(%lld, line %llu) is kept",
            (long long)drop->v.cow, (long long)keep->v.cow, a->iso3, (long long)a->v.year, a->iso3,
            (long long)keep->v.cow, (unsigned long long)keep->v.line);
    }
    return 0;
}

static void bind_opt_double(sqlite3_stmt *st, int i, int has, double v)
{
    if (has)
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
    if (v >= 0)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

int bilat_idealpoints_ingest(bilat_db *db, const char *const *paths, size_t n,
                             const struct bilat_unvotes_opts *opts,
                             struct bilat_unvotes_stats *stats_out, struct bilat_err *err)
{
    struct bilat_unvotes_stats stats = {0};
    struct uload u;
    struct ip_ctx c = {.u = &u};
    struct cow_map m = {0};
    struct bilat_buf data = BILAT_BUF_INIT;
    int rc = 0, in_tx = 0;
    BILAT_TRY(uload_init(&u, db, n, opts, &stats, "voeten-idealpoints", err));
    rc = store_begin(db, err);
    if (rc < 0)
        goto out;
    in_tx = 1;
    if ((rc = check_source(&u, u.source_id)) < 0 || (rc = load_countries(&u)) < 0 ||
        (rc = load_cow(&u, &m)) < 0)
        goto out;
    struct unv_sink sink = {.ctx = &c, .ideal = sink_ideal, .reject = ip_reject};
    for (size_t i = 0; rc == 0 && i < n; i++) {
        bilat_buf_reset(&data);
        rc = unv_read_file(paths[i], UNV_MAX_INPUT, &data, err);
        if (rc < 0)
            break;
        stats.files++;
        enum unv_kind k = unv_classify(data.buf, data.len);
        if (k != UNV_IDEAL && k != UNV_UNKNOWN) {
            rc = bilat_fail_at(err, BILAT_EPARSE, paths[i], 1,
                               "'%s' holds %s, not ideal points: use 'bilat ingest unvotes'",
                               paths[i], unv_kind_name(k));
            break;
        }
        loader_file_start(&u.f, paths[i]);
        c.file = i;
        rc = unv_parse(paths[i], data.buf, data.len, &sink, err);
        if (rc == 0)
            loader_file_done(&u.f, BILAT_LOG_ERROR);
    }
    if (rc == 0)
        rc = resolve_ideal(&u, &c, &m, paths);
    if (rc == 0)
        rc = loader_check_rejected(stats.rejected, err);
    if (rc == 0)
        rc = store_prepare(db,
                           "INSERT INTO ideal_point(country, year, session, cow, value, value_fp, "
                           "value_legacy, nvotes, nvotes_fp, nvotes_legacy, source_id, locator, "
                           "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                           "'" DATASET_IDEAL "') ON CONFLICT(country, year) DO UPDATE SET "
                           "session = excluded.session, cow = excluded.cow, value = "
                           "excluded.value, value_fp = excluded.value_fp, value_legacy = "
                           "excluded.value_legacy, nvotes = excluded.nvotes, nvotes_fp = "
                           "excluded.nvotes_fp, nvotes_legacy = excluded.nvotes_legacy, "
                           "source_id = excluded.source_id, locator = excluded.locator, dataset "
                           "= excluded.dataset",
                           &u.ins, err);
    for (size_t i = 0; rc == 0 && i < c.n; i++) {
        const struct ip_row *r = &c.rows[i];
        if (r->skip)
            continue;
        sqlite3_stmt *st = u.ins;
        u.f.base = bilat_file_base(paths[r->file]);
        sqlite3_bind_text(st, 1, r->iso3, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, r->v.year);
        sqlite3_bind_int64(st, 3, r->v.year - 1945);
        sqlite3_bind_int64(st, 4, r->v.cow);
        bind_opt_double(st, 5, r->v.has_value, r->v.value);
        bind_opt_double(st, 6, r->v.has_fp, r->v.value_fp);
        bind_opt_double(st, 7, r->v.has_legacy, r->v.value_legacy);
        bind_opt_int(st, 8, r->v.nvotes);
        bind_opt_int(st, 9, r->v.nvotes_fp);
        bind_opt_int(st, 10, r->v.nvotes_legacy);
        store_bind_text(st, 11, u.source_id, -1);
        store_bind_text(st, 12, loader_locate(&u.f, r->v.line), -1);
        rc = store_step_done(u.db, st, "cannot write an ideal point", u.err);
        if (rc == 0)
            stats.ideal_points++;
    }
    if (rc == 0)
        rc = store_record_dataset(db, DATASET_IDEAL, paths, n, (int64_t)n,
                                  "SELECT count(*) FROM ideal_point WHERE dataset = ?1", err);
out:
    sqlite3_finalize(u.ins);
    rc = loader_end(db, rc, &in_tx, false, err);
    bilat_buf_release(&data);
    bilat_free(c.rows);
    bilat_free(m.cow);
    bilat_free(m.iso3);
    bilat_free(u.iso2);
    bilat_free(u.iso3);
    if (stats_out)
        *stats_out = stats;
    return rc;
}
