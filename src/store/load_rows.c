/*
 * load_rows.c: the rows of each curated file checked and written (load_int.h; the file table
 * is load.c's). Each handler checks every field in C, so that the message names the column and
 * the reason (docs/DATA-FORMAT.md), binds the row to the file's upsert and steps it; a row with
 * a bad field is rejected and the run goes on to report the others.
 */
#include "store/load_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "store/claim_syntax.h"
#include "store/event_check.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Field checks: each returns 0 when fine, -1 after rejecting the row.                         */

int load_need(struct load_ctx *c, const char *v, const char *col)
{
    if (v)
        return 0;
    reject(c, "missing value in column '%s'", col);
    return -1;
}

/* Upper-case code of `min`..`max` characters from [A-Z0-9]. */
static int check_code(struct load_ctx *c, const char *v, const char *col, size_t min, size_t max)
{
    size_t n = strlen(v);
    int ok = n >= min && n <= max;
    for (size_t i = 0; ok && i < n; i++)
        ok = (v[i] >= 'A' && v[i] <= 'Z') || (v[i] >= '0' && v[i] <= '9');
    if (ok)
        return 0;
    reject(c, "bad code '%s' in column '%s' (expected %zu-%zu upper-case letters or digits)", v,
           col, min, max);
    return -1;
}

static int check_date(struct load_ctx *c, const char *v, const char *col, struct bilat_date *d)
{
    if (bilat_date_parse(v, strlen(v), d) < 0) {
        reject(c, "bad date '%s' in column '%s' (expected YYYY, YYYY-MM or YYYY-MM-DD)", v, col);
        return -1;
    }
    if (!bilat_year_in_bounds(d->year)) {
        reject(c, "date '%s' in column '%s' is out of range (years %d to %d)", v, col,
               BILAT_YEAR_MIN, bilat_year_max());
        return -1;
    }
    return 0;
}

/* Optional number: 1 = value in *out, 0 = missing, -1 = rejected. */
static int check_number(struct load_ctx *c, const char *v, const char *col, double *out)
{
    if (!v || bilat_is_missing(v, strlen(v)))
        return 0;
    if (bilat_parse_double(v, strlen(v), out) == 0)
        return 1;
    reject(c, "bad number '%s' in column '%s'", v, col);
    return -1;
}

static int check_int(struct load_ctx *c, const char *v, const char *col, int64_t *out)
{
    if (bilat_parse_int64(v, strlen(v), out) == 0)
        return 0;
    reject(c, "bad integer '%s' in column '%s'", v, col);
    return -1;
}

static int check_country(struct load_ctx *c, const char *v, const char *col)
{
    if (check_code(c, v, col, 3, 3) < 0)
        return -1;
    int rc = load_exists(c, c->q_country, v, NULL);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown country '%s' in column '%s' (not in the reference countries.tsv)", v, col);
    return -1;
}

int load_check_source(struct load_ctx *c, const char *v)
{
    int rc = load_exists(c, c->q_source, v, NULL);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown source_id '%s' (not in sources.tsv)", v);
    return -1;
}

static int check_vocab(struct load_ctx *c, const char *field, const char *v)
{
    if (!v)
        return 0;
    int rc = load_exists(c, c->q_vocab, field, v);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown %s '%s' (not in the reference vocabulary.tsv)", field, v);
    return -1;
}

/* Look up an actor code and reject the row if it is unknown. */
static int check_actor(struct load_ctx *c, const char *code, const char *col, int64_t *id,
                       char kind[16])
{
    int rc = load_actor_lookup(c, code, id, kind);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown actor '%s' in column '%s' (not in actors.tsv)", code, col);
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Row handlers, one per file                                                                 */

int load_row_vocabulary(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[0], "field"));
    CHECK(load_need(c, v[1], "value"));
    if (bad)
        return 0;
    if (strcmp(v[0], "channel") && strcmp(v[0], "mode") && strcmp(v[0], "level")) {
        reject(c, "bad field '%s' (expected channel, mode or level)", v[0]);
        return 0;
    }
    for (const char *p = v[1]; *p; p++)
        if (!(islower((unsigned char)*p) || *p == '_')) {
            reject(c, "bad value '%s' (expected lower-case letters and '_')", v[1]);
            return 0;
        }
    for (int i = 0; i < 3; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

int load_row_cameo(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[0], "code"));
    CHECK(load_need(c, v[1], "label"));
    CHECK(load_need(c, v[4], "root"));
    if (bad)
        return 0;
    size_t n = strlen(v[0]);
    int ok = n >= 2 && n <= 4;
    for (size_t i = 0; ok && i < n; i++)
        ok = isdigit((unsigned char)v[0][i]);
    if (!ok) {
        reject(c, "bad CAMEO code '%s' (expected 2 to 4 digits)", v[0]);
        return 0;
    }
    if (strlen(v[4]) != 2 || strncmp(v[0], v[4], 2) != 0) {
        reject(c, "root '%s' is not the first two digits of code '%s'", v[4], v[0]);
        return 0;
    }
    double g = 0;
    int hg = check_number(c, v[2], "goldstein", &g);
    if (hg < 0)
        return 0;
    if (hg && (g < -10 || g > 10)) {
        reject(c, "goldstein %g out of range -10..10", g);
        return 0;
    }
    int64_t q = 0;
    if (v[3] && (check_int(c, v[3], "quad", &q) < 0 || q < 1 || q > 4)) {
        if (q < 1 || q > 4)
            reject(c, "quad '%s' out of range 1..4", v[3]);
        return 0;
    }
    store_bind_text(c->st, 1, v[0], -1);
    store_bind_text(c->st, 2, v[1], -1);
    load_bind_opt(c->st, 3, hg, g);
    if (v[3])
        sqlite3_bind_int64(c->st, 4, q);
    store_bind_text(c->st, 5, v[4], -1);
    return load_upsert(c);
}

int load_row_country(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[0], "iso3"));
    CHECK(load_need(c, v[4], "name"));
    if (bad)
        return 0;
    CHECK(check_code(c, v[0], "iso3", 3, 3));
    if (v[1])
        CHECK(check_code(c, v[1], "iso2", 2, 2));
    if (v[2])
        CHECK(check_code(c, v[2], "fips", 2, 2));
    int64_t cow = 0;
    if (v[3])
        CHECK(check_int(c, v[3], "cow", &cow));
    if (bad)
        return 0;
    for (int i = 0; i < 3; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    if (v[3])
        sqlite3_bind_int64(c->st, 4, cow);
    store_bind_text(c->st, 5, v[4], -1);
    return load_upsert(c);
}

/* An alias with an empty iso3 names a known aggregate ("World", "GLOBAL AVERAGE"): importers
 * skip its rows instead of rejecting them as unknown. */
int load_row_country_alias(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[1], "alias"));
    if (bad)
        return 0;
    if (v[0])
        CHECK(check_country(c, v[0], "iso3"));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[0], -1);
    store_bind_text(c->st, 2, v[1], -1);
    return load_upsert(c);
}

/* Optional date range [from, to]: both valid and in order. */
static int check_range(struct load_ctx *c, const char *from, const char *to)
{
    struct bilat_date a, b;
    if (from && check_date(c, from, "date_from", &a) < 0)
        return -1;
    if (to && check_date(c, to, "date_to", &b) < 0)
        return -1;
    if (from && to && bilat_date_cmp(&a, &b) > 0) {
        reject(c, "date_to '%s' is before date_from '%s'", to, from);
        return -1;
    }
    return 0;
}

int load_row_bloc(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[0], "bloc"));
    CHECK(load_need(c, v[1], "iso3"));
    if (bad)
        return 0;
    CHECK(check_country(c, v[1], "iso3"));
    CHECK(check_range(c, v[2], v[3]));
    if (bad)
        return 0;
    for (int i = 0; i < 4; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

/* un_seats.tsv: who held a country's UN seat from date_from to date_to (docs/DATA-FORMAT.md). */
int load_row_un_seat(struct load_ctx *c, const char *const *v)
{
    enum { ISO3, FROM, TO, HOLDER, CURRENT, NOTE, SID, LOC };
    int bad = 0;
    CHECK(load_need(c, v[ISO3], "iso3"));
    CHECK(load_need(c, v[FROM], "date_from"));
    CHECK(load_need(c, v[HOLDER], "holder"));
    CHECK(load_need(c, v[CURRENT], "current"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_country(c, v[ISO3], "iso3"));
    CHECK(check_range(c, v[FROM], v[TO]));
    CHECK(load_check_source(c, v[SID]));
    if (strcmp(v[CURRENT], "0") != 0 && strcmp(v[CURRENT], "1") != 0) {
        reject(c, "bad current '%s' (1: the state of today holds the seat; 0: another holder, "
                  "or vacant)",
               v[CURRENT]);
        bad = 1;
    }
    if (bad)
        return 0;
    for (int i = ISO3; i <= LOC; i++)
        if (i == CURRENT)
            sqlite3_bind_int(c->st, i + 1, v[i][0] == '1');
        else
            store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

/* coverage.tsv: a source records every event of `scope` over [date_from, date_to]. */
int load_row_coverage(struct load_ctx *c, const char *const *v)
{
    enum { ID, SID, FROM, TO, SCOPE, NOTE, LOC };
    int bad = 0;
    CHECK(load_need(c, v[ID], "id"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[FROM], "date_from"));
    CHECK(load_need(c, v[TO], "date_to"));
    CHECK(load_need(c, v[SCOPE], "scope"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_range(c, v[FROM], v[TO]));
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    for (int i = ID; i <= LOC; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

int load_row_source(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[0], "id"));
    CHECK(load_need(c, v[1], "title"));
    if (bad)
        return 0;
    for (const char *p = v[0]; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.')) {
            reject(c, "bad source id '%s' (letters, digits, '-', '_', '.')", v[0]);
            return 0;
        }
    if (v[4]) {
        struct bilat_date d;
        if (check_date(c, v[4], "date", &d) < 0)
            return 0;
    }
    if (v[8] && strcmp(v[8], v[0]) == 0) {
        reject(c, "source '%s' cannot take its figures from itself (via)", v[0]);
        return 0;
    }
    for (int i = 0; i < 9; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

int load_row_actor(struct load_ctx *c, const char *const *v)
{
    static const char *const kinds[] = {"state", "party", "person", "organisation"};
    int bad = 0;
    CHECK(load_need(c, v[0], "code"));
    CHECK(load_need(c, v[1], "name"));
    CHECK(load_need(c, v[2], "kind"));
    if (bad)
        return 0;
    CHECK(check_code(c, v[0], "code", 2, 24));
    int ok = 0;
    for (size_t i = 0; i < 4; i++)
        ok |= strcmp(v[2], kinds[i]) == 0;
    if (!ok) {
        reject(c, "bad kind '%s' (expected state, party, person or organisation)", v[2]);
        bad = 1;
    }
    if (v[3])
        CHECK(check_country(c, v[3], "country"));
    else if (ok && strcmp(v[2], "state") == 0) {
        reject(c, "a state needs its country code");
        bad = 1;
    }
    if (bad)
        return 0;
    for (int i = 0; i < 4; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

int load_row_alias(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t id = 0;
    CHECK(load_need(c, v[0], "actor"));
    CHECK(load_need(c, v[1], "alias"));
    if (bad)
        return 0;
    CHECK(check_actor(c, v[0], "actor", &id, NULL));
    if (bad)
        return 0;
    sqlite3_bind_int64(c->st, 1, id);
    store_bind_text(c->st, 2, v[1], -1);
    return load_upsert(c);
}

int load_row_affiliation(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t pid = 0, oid = 0;
    char kind[16] = "";
    CHECK(load_need(c, v[0], "person"));
    CHECK(load_need(c, v[1], "org"));
    CHECK(load_need(c, v[2], "role"));
    if (bad)
        return 0;
    CHECK(check_actor(c, v[0], "person", &pid, kind));
    CHECK(check_actor(c, v[1], "org", &oid, NULL));
    if (!bad && strcmp(kind, "person") != 0) {
        reject(c, "'%s' is a %s, not a person", v[0], kind);
        bad = 1;
    }
    CHECK(check_range(c, v[3], v[4]));
    if (v[5])
        CHECK(load_check_source(c, v[5]));
    if (bad)
        return 0;
    sqlite3_bind_int64(c->st, 1, pid);
    sqlite3_bind_int64(c->st, 2, oid);
    store_bind_text(c->st, 3, v[2], -1);
    store_bind_text(c->st, 4, v[3] ? v[3] : "", -1);
    for (int i = 4; i < 7; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

int load_row_event(struct load_ctx *c, const char *const *v)
{
    enum { REF, FROM, TO, PREC, SRC, TGT, CAMEO, CHAN, MODE, LEVEL, QTY, UNIT, PLACE, NOTE, SID,
           LOC };
    int bad = 0;
    CHECK(load_need(c, v[REF], "ref"));
    CHECK(load_need(c, v[FROM], "date_from"));
    CHECK(load_need(c, v[PREC], "precision"));
    CHECK(load_need(c, v[SRC], "source"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    struct bilat_date a, b;
    char why[256];
    if (event_check_dates(v[FROM], v[TO], v[PREC], &a, &b, why, sizeof(why)) < 0) {
        reject(c, "%s", why);
        return 0;
    }
    int64_t src = 0, tgt = 0;
    CHECK(check_actor(c, v[SRC], "source", &src, NULL));
    if (v[TGT])
        CHECK(check_actor(c, v[TGT], "target", &tgt, NULL));
    if (v[CAMEO]) {
        int rc = load_exists(c, c->q_cameo, v[CAMEO], NULL);
        if (rc < 0)
            return rc;
        if (!rc) {
            reject(c, "unknown CAMEO code '%s' (not in the reference cameo.tsv)", v[CAMEO]);
            bad = 1;
        }
    }
    CHECK(check_vocab(c, "channel", v[CHAN]));
    CHECK(check_vocab(c, "mode", v[MODE]));
    CHECK(check_vocab(c, "level", v[LEVEL]));
    double qty = 0;
    bool hq = false;
    if (event_check_quantity(v[QTY], v[UNIT], &qty, &hq, why, sizeof(why)) < 0) {
        reject(c, "%s", why);
        bad = 1;
    }
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    sqlite3_stmt *st = c->st;
    store_bind_text(st, 1, v[REF], -1);
    store_bind_text(st, 2, v[FROM], -1);
    store_bind_text(st, 3, v[TO], -1);
    store_bind_text(st, 4, v[PREC], -1);
    sqlite3_bind_int64(st, 5, src);
    if (v[TGT])
        sqlite3_bind_int64(st, 6, tgt);
    store_bind_text(st, 7, v[CAMEO], -1);
    store_bind_text(st, 8, v[CHAN], -1);
    store_bind_text(st, 9, v[MODE], -1);
    store_bind_text(st, 10, v[LEVEL], -1);
    load_bind_opt(st, 11, hq ? 1 : 0, qty);
    for (int i = UNIT; i <= LOC; i++)
        store_bind_text(st, i + 1, v[i], -1);
    return load_upsert(c);
}

/* Indicator name: lower-case letters, digits and '_'. */
static int check_name(struct load_ctx *c, const char *v)
{
    for (const char *p = v; *p; p++)
        if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '_')) {
            reject(c, "bad indicator name '%s' (lower-case letters, digits and '_')", v);
            return -1;
        }
    return 0;
}

int load_bind_indicator(struct load_ctx *c, const char *country, const char *partner,
                        const char *name, const char *period, int has, double value,
                        const char *qual, const char *unit, const char *source_id,
                        const char *locator, const char *note)
{
    /* the bounds hold for figures of series files too: every view must stay correct */
    const char *range = has == 1 ? bilat_value_range(value, unit, false) : NULL;
    int y0 = 0, y1 = 0;
    if (range) {
        reject(c, "value %g is out of range: %s%s%s", value, range, unit ? ", unit " : "",
               unit ? unit : "");
        return 0;
    }
    if (bilat_period_years(period, strlen(period), &y0, &y1) == 0 &&
        (!bilat_year_in_bounds(y0) || !bilat_year_in_bounds(y1))) {
        reject(c, "period '%s' is out of range (years %d to %d)", period, BILAT_YEAR_MIN,
               bilat_year_max());
        return 0;
    }
    sqlite3_stmt *st = c->st;
    store_bind_text(st, 1, country, -1);
    store_bind_text(st, 2, partner ? partner : "", -1);
    store_bind_text(st, 3, name, -1);
    store_bind_text(st, 4, period, -1);
    load_bind_opt(st, 5, has, value);
    store_bind_text(st, 6, qual, -1);
    store_bind_text(st, 7, unit, -1);
    store_bind_text(st, 8, source_id, -1);
    store_bind_text(st, 9, locator, -1);
    store_bind_text(st, 10, note, -1);
    return load_upsert(c);
}

int load_row_indicator(struct load_ctx *c, const char *const *v)
{
    enum { CTRY, PART, NAME, PER, VAL, QUAL, UNIT, SID, LOC, NOTE };
    int bad = 0;
    CHECK(load_need(c, v[CTRY], "country"));
    CHECK(load_need(c, v[NAME], "name"));
    CHECK(load_need(c, v[PER], "period"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_country(c, v[CTRY], "country"));
    if (v[PART])
        CHECK(check_country(c, v[PART], "partner"));
    CHECK(check_name(c, v[NAME]));
    if (bilat_period_parse(v[PER], strlen(v[PER])) < 0) {
        reject(c, "bad period '%s' (expected YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or A/B)", v[PER]);
        bad = 1;
    }
    double val = 0;
    int has = check_number(c, v[VAL], "value", &val);
    if (has < 0)
        bad = 1;
    if (v[QUAL] && strcmp(v[QUAL], ">") && strcmp(v[QUAL], "<") && strcmp(v[QUAL], "~")) {
        reject(c, "bad qualifier '%s' (expected >, < or ~)", v[QUAL]);
        bad = 1;
    }
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    return load_bind_indicator(c, v[CTRY], v[PART], v[NAME], v[PER], has, val, v[QUAL], v[UNIT],
                          v[SID], v[LOC], v[NOTE]);
}

int load_row_un_call(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t rcid = 0, session = 0, imp = 0;
    CHECK(load_need(c, v[0], "rcid"));
    if (bad)
        return 0;
    CHECK(check_int(c, v[0], "rcid", &rcid));
    if (v[1])
        CHECK(check_int(c, v[1], "session", &session));
    if (v[2]) {
        struct bilat_date d;
        CHECK(check_date(c, v[2], "date", &d));
    }
    if (v[5] && (strcmp(v[5], "0") && strcmp(v[5], "1"))) {
        reject(c, "bad important '%s' (expected 0 or 1)", v[5]);
        bad = 1;
    } else if (v[5])
        imp = v[5][0] == '1';
    if (v[6])
        CHECK(load_check_source(c, v[6]));
    if (bad)
        return 0;
    sqlite3_bind_int64(c->st, 1, rcid);
    if (v[1])
        sqlite3_bind_int64(c->st, 2, session);
    store_bind_text(c->st, 3, v[2], -1);
    store_bind_text(c->st, 4, v[3], -1);
    store_bind_text(c->st, 5, v[4], -1);
    sqlite3_bind_int64(c->st, 6, imp);
    store_bind_text(c->st, 7, v[6], -1);
    store_bind_text(c->st, 8, v[7], -1);
    return load_upsert(c);
}

int load_row_un_vote(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    int64_t rcid = 0;
    CHECK(load_need(c, v[0], "rcid"));
    CHECK(load_need(c, v[1], "country"));
    CHECK(load_need(c, v[2], "vote"));
    if (bad)
        return 0;
    CHECK(check_int(c, v[0], "rcid", &rcid));
    CHECK(check_country(c, v[1], "country"));
    if (strcmp(v[2], "yes") && strcmp(v[2], "no") && strcmp(v[2], "abstain") &&
        strcmp(v[2], "absent")) {
        reject(c, "bad vote '%s' (expected yes, no, abstain or absent)", v[2]);
        bad = 1;
    }
    if (bad)
        return 0;
    char num[24];
    snprintf(num, sizeof(num), "%lld", (long long)rcid);
    int rc = load_exists(c, c->q_call, num, NULL);
    if (rc < 0)
        return rc;
    if (!rc) {
        reject(c, "unknown roll call %lld (not in un_calls.tsv)", (long long)rcid);
        return 0;
    }
    sqlite3_bind_int64(c->st, 1, rcid);
    store_bind_text(c->st, 2, v[1], -1);
    store_bind_text(c->st, 3, v[2], -1);
    return load_upsert(c);
}


/* A key of lower-case letters, digits and '-' (concept ids, principle keys). */
static int check_slug(struct load_ctx *c, const char *v, const char *col)
{
    size_t n = strlen(v);
    int ok = n > 0 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-';
    if (ok)
        return 0;
    reject(c, "bad %s '%s' (1 to 64 lower-case letters, digits and '-')", col, v);
    return -1;
}

static int check_concept(struct load_ctx *c, const char *v)
{
    int rc = load_exists(c, c->q_concept, v, NULL);
    if (rc < 0)
        return rc;
    if (rc)
        return 0;
    reject(c, "unknown concept '%s' (not in concepts.tsv)", v);
    return -1;
}

int load_row_concept(struct load_ctx *c, const char *const *v)
{
    enum { ID, NAME, OWNER, DATE, KIND, DESC, SID, LOC };
    int bad = 0;
    int64_t owner = 0;
    CHECK(load_need(c, v[ID], "id"));
    CHECK(load_need(c, v[NAME], "name"));
    CHECK(load_need(c, v[OWNER], "owner"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_slug(c, v[ID], "concept id"));
    CHECK(check_actor(c, v[OWNER], "owner", &owner, NULL));
    if (v[DATE]) {
        struct bilat_date d;
        CHECK(check_date(c, v[DATE], "date", &d));
    }
    if (v[KIND])
        CHECK(check_slug(c, v[KIND], "kind"));
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[ID], -1);
    store_bind_text(c->st, 2, v[NAME], -1);
    sqlite3_bind_int64(c->st, 3, owner);
    for (int i = DATE; i <= LOC; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

int load_row_concept_principle(struct load_ctx *c, const char *const *v)
{
    enum { CONCEPT, KEY, LABEL, SID, LOC, NOTE };
    int bad = 0;
    CHECK(load_need(c, v[CONCEPT], "concept"));
    CHECK(load_need(c, v[KEY], "principle"));
    CHECK(load_need(c, v[LABEL], "label"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_concept(c, v[CONCEPT]));
    CHECK(check_slug(c, v[KEY], "principle"));
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[CONCEPT], -1);
    store_bind_text(c->st, 2, v[KEY], -1);
    store_bind_text(c->st, 3, v[LABEL], -1);
    sqlite3_bind_int64(c->st, 4, (sqlite3_int64)c->line);
    for (int i = SID; i <= NOTE; i++)
        store_bind_text(c->st, i + 2, v[i], -1);
    return load_upsert(c);
}

int load_row_concept_adoption(struct load_ctx *c, const char *const *v)
{
    enum { CONCEPT, ACTOR, FROM, TO, SID, LOC, NOTE };
    int bad = 0;
    int64_t actor = 0;
    CHECK(load_need(c, v[CONCEPT], "concept"));
    CHECK(load_need(c, v[ACTOR], "actor"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    CHECK(check_concept(c, v[CONCEPT]));
    CHECK(check_actor(c, v[ACTOR], "actor", &actor, NULL));
    CHECK(check_range(c, v[FROM], v[TO]));
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    store_bind_text(c->st, 1, v[CONCEPT], -1);
    sqlite3_bind_int64(c->st, 2, actor);
    store_bind_text(c->st, 3, v[FROM] ? v[FROM] : "", -1);
    for (int i = TO; i <= NOTE; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    return load_upsert(c);
}

/*
 * A claims.tsv row (docs/CLAIMS.md). The check is validated as far as the store allows without
 * running it: SQL must compile against the current schema and be one read-only statement; a
 * measure call must name a known measure with its required arguments; the expectation must
 * parse. A group (method 'all') has neither check nor expectation; its parts name it in part_of
 * and come after it.
 */
int load_row_claim(struct load_ctx *c, const char *const *v)
{
    enum { ID, PART, A, B, TEXT, METHOD, CHECKX, EXPECT, UNAV, SID, LOC, NOTE, STATED };
    int bad = 0;
    char why[256];
    CHECK(load_need(c, v[ID], "id"));
    CHECK(load_need(c, v[TEXT], "claim"));
    CHECK(load_need(c, v[METHOD], "method"));
    CHECK(load_need(c, v[SID], "source_id"));
    CHECK(load_need(c, v[LOC], "locator"));
    if (bad)
        return 0;
    if (v[STATED] && strcmp(v[STATED], "brief") != 0 && strcmp(v[STATED], "inferred") != 0) {
        reject(c, "bad stated '%s' (brief: the source says it; inferred: our reading of it)",
               v[STATED]);
        bad = 1;
    }
    size_t n = strlen(v[ID]);
    int ok = n > 0 && n <= 40;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)v[ID][i]) || v[ID][i] == '-' || v[ID][i] == '_' ||
             v[ID][i] == '.';
    if (!ok) {
        reject(c, "bad claim id '%s' (1 to 40 letters, digits, '-', '_', '.')", v[ID]);
        bad = 1;
    }
    if (v[PART]) {
        int rc = load_exists(c, c->q_claim_group, v[PART], c->dataset);
        if (rc < 0)
            return rc;
        if (!rc) {
            reject(c, "part_of '%s' is not a claim of method 'all' above this row", v[PART]);
            bad = 1;
        }
    }
    for (int side = A; side <= B; side++) {
        if (!v[side])
            continue;
        int64_t id;
        int rc = check_code(c, v[side], side == A ? "a" : "b", 2, 24);
        if (rc == 0 && (rc = load_actor_lookup(c, v[side], &id, NULL)) == 0 &&
            (rc = load_exists(c, c->q_country, v[side], NULL)) == 0) {
            reject(c, "unknown actor '%s' in column '%s'", v[side], side == A ? "a" : "b");
            rc = -1;
        }
        if (rc < -1)
            return rc;
        if (rc == -1)
            bad = 1;
    }
    int method = strcmp(v[METHOD], "sql") == 0 ? 1 : strcmp(v[METHOD], "measure") == 0 ? 2
                 : strcmp(v[METHOD], "all") == 0 ? 3 : 0;
    if (!method) {
        reject(c, "bad method '%s' (expected sql, measure or all)", v[METHOD]);
        bad = 1;
    } else if (method == 3) {
        if (v[CHECKX] || v[EXPECT]) {
            reject(c, "a claim of method 'all' is judged by its parts: leave check and expect "
                      "empty");
            bad = 1;
        }
    } else {
        CHECK(load_need(c, v[CHECKX], "check"));
        CHECK(load_need(c, v[EXPECT], "expect"));
    }
    if (method && method < 3 && v[EXPECT]) {
        struct claim_expect e;
        if (claim_expect_parse(v[EXPECT], &e, why, sizeof(why)) < 0) {
            reject(c, "bad expectation: %s", why);
            bad = 1;
        }
    }
    if (method == 2 && v[CHECKX]) {
        struct claim_call call;
        if (claim_call_parse(v[CHECKX], &call, why, sizeof(why)) < 0) {
            reject(c, "bad measure call: %s", why);
            bad = 1;
        }
    } else if (method == 1 && v[CHECKX]) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        int s = sqlite3_prepare_v2(c->db->db, v[CHECKX], -1, &st, &tail);
        if (s != SQLITE_OK) {
            reject(c, "check does not compile: %s", sqlite3_errmsg(c->db->db));
            bad = 1;
        } else if (!st) {
            reject(c, "empty SQL check");
            bad = 1;
        } else {
            while (tail && (*tail == ' ' || *tail == ';' || *tail == '\t'))
                tail++;
            if (tail && *tail) {
                reject(c, "check holds more than one SQL statement");
                bad = 1;
            } else if (!sqlite3_stmt_readonly(st)) {
                reject(c, "check must only read the store (SELECT or WITH)");
                bad = 1;
            } else if (sqlite3_column_count(st) < 1) {
                reject(c, "check returns no columns");
                bad = 1;
            }
        }
        sqlite3_finalize(st);
    }
    CHECK(load_check_source(c, v[SID]));
    if (bad)
        return 0;
    for (int i = ID; i <= LOC; i++)
        store_bind_text(c->st, i + 1, v[i], -1);
    sqlite3_bind_int64(c->st, LOC + 2, (sqlite3_int64)c->line);
    store_bind_text(c->st, LOC + 3, v[NOTE], -1);
    store_bind_text(c->st, LOC + 4, v[STATED], -1);
    return load_upsert(c);
}

