/*
 * load.c: `bilat load DIR...`: curated datasets into the store (docs/DATA-FORMAT.md).
 *
 * Algorithm: one write transaction for the whole run. For each directory, the known files are
 * read in dependency order (reference tables, sources, actors, ..., votes); each row is
 * validated in C (so that the message names the column and the reason) and written with an
 * UPSERT on its natural key whose RETURNING clause gives the key back. Keys are recorded in a
 * temporary table `load_seen`, which catches duplicate keys inside a dataset and, at the end of
 * each directory, drives the pruning of records that were deleted from the files. Any rejected
 * row anywhere makes the whole run roll back: the store is then exactly as before. This file
 * runs the load (files, directories, pruning, the sink of the series importers); each file's
 * rows are checked and written by load_rows.c.
 */
#include "store/load.h"
#include "store/load_int.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/parse.h"
#include "core/tsv.h"
#include "ingest/series.h"
#include "store/db.h"

#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------------------------ */
/* Diagnostics                                                                                */

void load_diag(struct load_ctx *c, enum bilat_level lv, const char *path, uint64_t line,
               const char *fmt, ...)
{
    if (lv == BILAT_LOG_ERROR)
        c->stats->rejected++;
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(c->opts ? &c->opts->diag : NULL, lv, path, line, fmt, ap);
    va_end(ap);
}


/* ------------------------------------------------------------------------------------------ */
/* Lookups                                                                                    */

static int step_lookup(struct load_ctx *c, sqlite3_stmt *st, int *found)
{
    int s = sqlite3_step(st);
    *found = s == SQLITE_ROW;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_fail(c->db, c->err, s, "cannot query the store");
    return 0;
}

/* Actor id and kind by code: 1 found, 0 not, <0 error. */
int load_actor_lookup(struct load_ctx *c, const char *code, int64_t *id, char kind[16])
{
    int found;
    sqlite3_reset(c->q_actor);
    store_bind_text(c->q_actor, 1, code, -1);
    BILAT_TRY(step_lookup(c, c->q_actor, &found));
    if (found) {
        *id = sqlite3_column_int64(c->q_actor, 0);
        if (kind)
            snprintf(kind, 16, "%s", (const char *)sqlite3_column_text(c->q_actor, 1));
    }
    sqlite3_reset(c->q_actor);
    return found;
}

int load_exists(struct load_ctx *c, sqlite3_stmt *st, const char *a, const char *b)
{
    int found;
    sqlite3_reset(st);
    store_bind_text(st, 1, a, -1);
    if (b)
        store_bind_text(st, 2, b, -1);
    BILAT_TRY(step_lookup(c, st, &found));
    sqlite3_reset(st);
    return found;
}

/* ------------------------------------------------------------------------------------------ */
/* Writing a row                                                                              */

/*
 * Step the bound upsert. A constraint failure rejects the row; the returned key is recorded in
 * load_seen, and a key seen before in this dataset rejects the row as a duplicate.
 */
int load_upsert(struct load_ctx *c)
{
    sqlite3_stmt *st = c->st;
    /* Every upsert takes the dataset name as its last parameter. */
    store_bind_text(st, sqlite3_bind_parameter_count(st), c->dataset, -1);
    int s = sqlite3_step(st);
    int rc = 0;
    const char *owner = s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 1) : NULL;
    if (s == SQLITE_ROW && owner && strcmp(owner, c->dataset) != 0) {
        /* another dataset's record: never taken over, nor later pruned, by this one */
        const char *key = (const char *)sqlite3_column_text(st, 0);
        reject(c, "%s '%s' belongs to dataset '%s', not to '%s' (a record is owned by the "
                  "dataset that loaded it first; to move it, load with --move-from %s)",
               c->spec->table, key ? key : "", owner, c->dataset, owner);
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return 0;
    }
    if (s == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        sqlite3_stmt *a = c->seen_add;
        sqlite3_reset(a);
        store_bind_text(a, 1, c->dataset, -1);
        store_bind_text(a, 2, c->spec->table, -1);
        store_bind_text(a, 3, key ? key : "", -1);
        store_bind_text(a, 4, c->file, -1);
        sqlite3_bind_int64(a, 5, (sqlite3_int64)c->line);
        int t = sqlite3_step(a);
        if ((t & 0xff) == SQLITE_CONSTRAINT) {
            sqlite3_stmt *f = c->seen_first;
            sqlite3_reset(f);
            store_bind_text(f, 1, c->dataset, -1);
            store_bind_text(f, 2, c->spec->table, -1);
            store_bind_text(f, 3, key ? key : "", -1);
            if (sqlite3_step(f) == SQLITE_ROW)
                reject(c, "duplicate record '%s' (first at %s:%lld)", key ? key : "",
                       (const char *)sqlite3_column_text(f, 0),
                       (long long)sqlite3_column_int64(f, 1));
            else
                reject(c, "duplicate record '%s'", key ? key : "");
            sqlite3_reset(f);
        } else if (t != SQLITE_DONE) {
            rc = store_fail(c->db, c->err, t, "cannot record a loaded key");
        }
        sqlite3_reset(a);
        if (rc == 0)
            s = sqlite3_step(st);
    }
    if (rc == 0 && s != SQLITE_DONE) {
        if ((s & 0xff) == SQLITE_CONSTRAINT)
            reject(c, "rejected by the store: %s", sqlite3_errmsg(c->db->db));
        else
            rc = store_fail(c->db, c->err, s, "cannot write to the store");
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == 0 && s == SQLITE_DONE)
        (*(uint64_t *)((char *)c->stats + c->spec->stat))++;
    return rc;
}

void load_bind_opt(sqlite3_stmt *st, int i, int has, double v)
{
    if (has == 1)
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

/* ------------------------------------------------------------------------------------------ */
/* The file table (order = load order; pruning runs in reverse)                               */

#define STAT(f) offsetof(struct bilat_load_stats, f)

/*
 * Datasets own their records: a conflicting row that belongs to another dataset keeps its owner
 * (the row's other columns are overwritten, but upsert() then rejects the row, so the run rolls
 * back), unless that dataset is named with --move-from (temp.load_move). A row without an owner
 * (written by no dataset) is taken. Every upsert returns the key and the owner after the write.
 */
#define OWN(t)                                                                                     \
    "dataset = CASE WHEN " t ".dataset IS NULL OR " t ".dataset = excluded.dataset OR " t          \
    ".dataset IN (SELECT name FROM temp.load_move) THEN excluded.dataset ELSE " t ".dataset END"

static const struct table_spec specs[] = {
    {"vocabulary.tsv", "vocabulary", "field || '|' || value", NULL,
     "INSERT INTO vocabulary(field, value, description, dataset) VALUES (?1, ?2, ?3, ?4) "
     "ON CONFLICT(field, value) DO UPDATE SET description = excluded.description, "
     OWN("vocabulary") " RETURNING field || '|' || value, dataset",
     STAT(vocabulary), load_row_vocabulary, {{"field", COL_REQ}, {"value", COL_REQ}, {"description", 0}}},
    {"cameo.tsv", "cameo_code", "code", NULL,
     "INSERT INTO cameo_code(code, label, goldstein, quad, root, dataset) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(code) DO UPDATE SET label = excluded.label, "
     "goldstein = excluded.goldstein, quad = excluded.quad, root = excluded.root, "
     OWN("cameo_code") " RETURNING code, dataset",
     STAT(cameo_codes), load_row_cameo,
     {{"code", COL_REQ}, {"label", COL_REQ}, {"goldstein", COL_REQ}, {"quad", COL_REQ},
      {"root", COL_REQ}}},
    {"countries.tsv", "country", "iso3", NULL,
     "INSERT INTO country(iso3, iso2, fips, cow, name, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
     "ON CONFLICT(iso3) DO UPDATE SET iso2 = excluded.iso2, fips = excluded.fips, "
     "cow = excluded.cow, name = excluded.name, " OWN("country") " RETURNING iso3, dataset",
     STAT(countries), load_row_country,
     {{"iso3", COL_REQ}, {"iso2", 0}, {"fips", 0}, {"cow", 0}, {"name", COL_REQ}}},
    {"country_aliases.tsv", "country_alias", "alias", NULL,
     "INSERT INTO country_alias(iso3, alias, dataset) VALUES (?1, ?2, ?3) "
     "ON CONFLICT(alias) DO UPDATE SET iso3 = excluded.iso3, " OWN("country_alias") " "
     "RETURNING alias, dataset",
     STAT(country_aliases), load_row_country_alias, {{"iso3", COL_REQ}, {"alias", COL_REQ}}},
    {"blocs.tsv", "bloc", "bloc || '|' || iso3", NULL,
     "INSERT INTO bloc(bloc, iso3, date_from, date_to, dataset) VALUES (?1, ?2, ?3, ?4, ?5) "
     "ON CONFLICT(bloc, iso3) DO UPDATE SET date_from = excluded.date_from, "
     "date_to = excluded.date_to, " OWN("bloc") " RETURNING bloc || '|' || iso3, dataset",
     STAT(blocs), load_row_bloc,
     {{"bloc", COL_REQ}, {"iso3", COL_REQ}, {"date_from", 0}, {"date_to", 0}}},
    {"sources.tsv", "source", "id", NULL,
     "INSERT INTO source(id, title, author, publisher, date, url, license, note, via, dataset) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(id) DO UPDATE SET "
     "title = excluded.title, author = excluded.author, publisher = excluded.publisher, "
     "date = excluded.date, url = excluded.url, license = excluded.license, "
     "note = excluded.note, via = excluded.via, " OWN("source") " RETURNING id, dataset",
     STAT(sources), load_row_source,
     {{"id", COL_REQ}, {"title", COL_REQ}, {"author", 0}, {"publisher", 0}, {"date", 0},
      {"url", 0}, {"license", 0}, {"note", 0}, {"via", 0}}},
    {"un_seats.tsv", "un_seat", "iso3 || '|' || date_from", NULL,
     "INSERT INTO un_seat(iso3, date_from, date_to, holder, current, note, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(iso3, date_from) DO UPDATE "
     "SET date_to = excluded.date_to, holder = excluded.holder, current = excluded.current, "
     "note = excluded.note, source_id = excluded.source_id, locator = excluded.locator, "
     OWN("un_seat") " RETURNING iso3 || '|' || date_from, dataset",
     STAT(un_seats), load_row_un_seat,
     {{"iso3", COL_REQ}, {"date_from", COL_REQ}, {"date_to", 0}, {"holder", COL_REQ},
      {"current", COL_REQ}, {"note", 0}, {"source_id", COL_REQ}, {"locator", COL_REQ}}},
    {"coverage.tsv", "record_coverage", "id", NULL,
     "INSERT INTO record_coverage(id, source_id, date_from, date_to, scope, note, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
     "source_id = excluded.source_id, date_from = excluded.date_from, "
     "date_to = excluded.date_to, scope = excluded.scope, note = excluded.note, "
     "locator = excluded.locator, " OWN("record_coverage") " RETURNING id, dataset",
     STAT(coverage), load_row_coverage,
     {{"id", COL_REQ}, {"source_id", COL_REQ}, {"date_from", COL_REQ}, {"date_to", COL_REQ},
      {"scope", COL_REQ}, {"note", 0}, {"locator", COL_REQ}}},
    {"actors.tsv", "actor", "code", NULL,
     "INSERT INTO actor(code, name, kind, country, dataset) VALUES (?1, ?2, ?3, ?4, ?5) "
     "ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
     "country = excluded.country, " OWN("actor") " RETURNING code, dataset",
     STAT(actors), load_row_actor,
     {{"code", COL_REQ}, {"name", COL_REQ}, {"kind", COL_REQ}, {"country", COL_REQ}}},
    {"aliases.tsv", "actor_alias", "actor_id || '|' || alias", NULL,
     "INSERT INTO actor_alias(actor_id, alias, dataset) VALUES (?1, ?2, ?3) "
     "ON CONFLICT(actor_id, alias) DO UPDATE SET " OWN("actor_alias") " "
     "RETURNING actor_id || '|' || alias, dataset",
     STAT(aliases), load_row_alias, {{"actor", COL_REQ}, {"alias", COL_REQ}}},
    {"affiliations.tsv", "affiliation", "person_id || '|' || org_id || '|' || role || '|' || "
                                        "date_from",
     NULL,
     "INSERT INTO affiliation(person_id, org_id, role, date_from, date_to, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT(person_id, org_id, role, date_from) DO UPDATE SET date_to = excluded.date_to, "
     "source_id = excluded.source_id, locator = excluded.locator, " OWN("affiliation") " "
     "RETURNING person_id || '|' || org_id || '|' || role || '|' || date_from, dataset",
     STAT(affiliations), load_row_affiliation,
     {{"person", COL_REQ}, {"org", COL_REQ}, {"role", COL_REQ}, {"date_from", 0}, {"date_to", 0},
      {"source_id", 0}, {"locator", 0}}},
    {"events.tsv", "event", "ref", "origin = 'curated'",
     "INSERT INTO event(ref, date_from, date_to, precision, src_actor_id, tgt_actor_id, cameo, "
     "goldstein, quad, channel, mode, level, quantity, unit, place, note, source_id, locator, "
     "origin, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
     "(SELECT goldstein FROM cameo_code WHERE code = ?7), "
     "(SELECT quad FROM cameo_code WHERE code = ?7), ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, "
     "'curated', ?17) ON CONFLICT(origin, ref) DO UPDATE SET date_from = excluded.date_from, "
     "date_to = excluded.date_to, precision = excluded.precision, "
     "src_actor_id = excluded.src_actor_id, tgt_actor_id = excluded.tgt_actor_id, "
     "cameo = excluded.cameo, goldstein = excluded.goldstein, quad = excluded.quad, "
     "channel = excluded.channel, mode = excluded.mode, level = excluded.level, "
     "quantity = excluded.quantity, unit = excluded.unit, place = excluded.place, "
     "note = excluded.note, source_id = excluded.source_id, locator = excluded.locator, "
     OWN("event") " RETURNING ref, dataset",
     STAT(events), load_row_event,
     {{"ref", COL_REQ}, {"date_from", COL_REQ}, {"date_to", 0}, {"precision", COL_REQ},
      {"source", COL_REQ}, {"target", 0}, {"cameo", 0}, {"channel", 0}, {"mode", 0},
      {"level", 0}, {"quantity", 0}, {"unit", 0}, {"place", 0}, {"note", 0},
      {"source_id", COL_REQ}, {"locator", COL_REQ}}},
    {"indicators.tsv", "indicator",
     "country || '|' || partner || '|' || name || '|' || period || '|' || source_id", NULL,
     "INSERT INTO indicator(country, partner, name, period, value, qualifier, unit, source_id, "
     "locator, note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
     "ON CONFLICT(country, partner, name, period, source_id) DO UPDATE SET "
     "value = excluded.value, qualifier = excluded.qualifier, unit = excluded.unit, "
     "locator = excluded.locator, note = excluded.note, " OWN("indicator") " "
     "RETURNING country || '|' || partner || '|' || name || '|' || period || '|' || source_id, "
     "dataset",
     STAT(indicators), load_row_indicator,
     {{"country", COL_REQ}, {"partner", 0}, {"name", COL_REQ}, {"period", COL_REQ},
      {"value", COL_REQ}, {"qualifier", 0}, {"unit", 0}, {"source_id", COL_REQ},
      {"locator", COL_REQ}, {"note", 0}}},
    /* series.tsv writes indicator rows through the statement of indicators.tsv */
    {"series.tsv", "indicator", NULL, NULL, NULL, 0, NULL,
     {{"path", COL_REQ}, {"format", COL_REQ}, {"source_id", COL_REQ}, {"countries", 0}}},
    {"un_calls.tsv", "un_call", "rcid", NULL,
     "INSERT INTO un_call(rcid, session, date, resolution, title, important, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(rcid) DO UPDATE SET "
     "session = excluded.session, date = excluded.date, resolution = excluded.resolution, "
     "title = excluded.title, important = excluded.important, source_id = excluded.source_id, "
     "locator = excluded.locator, " OWN("un_call") " RETURNING rcid, dataset",
     STAT(un_calls), load_row_un_call,
     {{"rcid", COL_REQ}, {"session", 0}, {"date", 0}, {"resolution", 0}, {"title", 0},
      {"important", 0}, {"source_id", 0}, {"locator", 0}}},
    {"un_votes.tsv", "un_vote", "rcid || '|' || country", NULL,
     "INSERT INTO un_vote(rcid, country, vote, dataset) VALUES (?1, ?2, ?3, ?4) "
     "ON CONFLICT(rcid, country) DO UPDATE SET vote = excluded.vote, " OWN("un_vote") " "
     "RETURNING rcid || '|' || country, dataset",
     STAT(un_votes), load_row_un_vote, {{"rcid", COL_REQ}, {"country", COL_REQ}, {"vote", COL_REQ}}},
    {"concepts.tsv", "concept", "id", NULL,
     "INSERT INTO concept(id, name, owner_id, date, kind, description, source_id, locator, "
     "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(id) DO UPDATE SET "
     "name = excluded.name, owner_id = excluded.owner_id, date = excluded.date, "
     "kind = excluded.kind, description = excluded.description, source_id = excluded.source_id, "
     "locator = excluded.locator, " OWN("concept") " RETURNING id, dataset",
     STAT(concepts), load_row_concept,
     {{"id", COL_REQ}, {"name", COL_REQ}, {"owner", COL_REQ}, {"date", 0}, {"kind", 0},
      {"description", 0}, {"source_id", COL_REQ}, {"locator", COL_REQ}}},
    {"concept_principles.tsv", "concept_principle", "concept_id || '|' || principle", NULL,
     "INSERT INTO concept_principle(concept_id, principle, label, position, source_id, locator, "
     "note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT(concept_id, principle) DO UPDATE SET label = excluded.label, "
     "position = excluded.position, source_id = excluded.source_id, locator = excluded.locator, "
     "note = excluded.note, " OWN("concept_principle") " RETURNING concept_id || '|' || "
     "principle, dataset",
     STAT(principles), load_row_concept_principle,
     {{"concept", COL_REQ}, {"principle", COL_REQ}, {"label", COL_REQ}, {"source_id", COL_REQ},
      {"locator", COL_REQ}, {"note", 0}}},
    {"concept_adoptions.tsv", "concept_adoption",
     "concept_id || '|' || actor_id || '|' || date_from", NULL,
     "INSERT INTO concept_adoption(concept_id, actor_id, date_from, date_to, source_id, locator, "
     "note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
     "ON CONFLICT(concept_id, actor_id, date_from) DO UPDATE SET date_to = excluded.date_to, "
     "source_id = excluded.source_id, locator = excluded.locator, note = excluded.note, "
     OWN("concept_adoption") " RETURNING concept_id || '|' || actor_id || '|' || date_from, "
     "dataset",
     STAT(adoptions), load_row_concept_adoption,
     {{"concept", COL_REQ}, {"actor", COL_REQ}, {"date_from", 0}, {"date_to", 0},
      {"source_id", COL_REQ}, {"locator", COL_REQ}, {"note", 0}}},
    {"claims.tsv", "claim", "id", NULL,
     "INSERT INTO claim(id, part_of, a, b, text, method, check_expr, expect, unavailable, "
     "source_id, locator, position, note, stated, dataset) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, coalesce(?14, 'brief'), "
     "?15) ON CONFLICT(id) DO UPDATE SET part_of = excluded.part_of, a = excluded.a, "
     "b = excluded.b, text = excluded.text, method = excluded.method, "
     "check_expr = excluded.check_expr, expect = excluded.expect, "
     "unavailable = excluded.unavailable, source_id = excluded.source_id, "
     "locator = excluded.locator, position = excluded.position, note = excluded.note, "
     "stated = excluded.stated, " OWN("claim") " RETURNING id, dataset",
     STAT(claims), load_row_claim,
     {{"id", COL_REQ}, {"part_of", 0}, {"a", 0}, {"b", 0}, {"claim", COL_REQ},
      {"method", COL_REQ}, {"check", 0}, {"expect", 0}, {"unavailable", 0},
      {"source_id", COL_REQ}, {"locator", COL_REQ}, {"note", 0}, {"stated", 0}}},
};
enum { N_SPECS = sizeof(specs) / sizeof(specs[0]) };
_Static_assert((int)N_SPECS <= (int)MAX_SPECS, "raise MAX_SPECS");

static size_t spec_ncols(const struct table_spec *s)
{
    size_t n = 0;
    while (n < sizeof(s->cols) / sizeof(s->cols[0]) && s->cols[n].name)
        n++;
    return n;
}

static int spec_index(const char *file)
{
    for (int i = 0; i < N_SPECS; i++)
        if (strcmp(specs[i].file, file) == 0)
            return i;
    return -1;
}

/* The upsert of spec i, prepared on first use. The statement binds the dataset last. */
static int upsert_stmt(struct load_ctx *c, int i, sqlite3_stmt **st_out)
{
    if (!c->upserts[i])
        BILAT_TRY(store_prepare(c->db, specs[i].upsert, &c->upserts[i], c->err));
    *st_out = c->upserts[i];
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* series.tsv: the raw-file importers write indicator rows through this sink                  */

struct series_ctx {
    struct load_ctx *c;
    const char *source_id;
    const char *locfile; /* path shown in locators */
    int rc;              /* first store error */
};

static int sink_emit(void *ctx, const struct series_row *r)
{
    struct series_ctx *s = ctx;
    struct load_ctx *c = s->c;
    char loc[512];
    snprintf(loc, sizeof(loc), "%s:%llu", s->locfile, (unsigned long long)r->line);
    c->line = r->line;
    return load_bind_indicator(c, r->country, r->partner, r->name, r->period, r->has_value,
                          r->value, NULL, r->unit, s->source_id, loc, r->note);
}

static void sink_reject(void *ctx, uint64_t line, const char *msg)
{
    struct series_ctx *s = ctx;
    load_diag(s->c, BILAT_LOG_ERROR, s->c->path, line, "%s", msg);
}

static void sink_skip(void *ctx, uint64_t line, const char *msg)
{
    (void)line;
    (void)msg;
    struct series_ctx *s = ctx;
    s->c->stats->skipped++;
}

/* 1 = country found, 2 = a known aggregate (NULL iso3), 0 = unknown. */
static int sink_lookup_iso3(struct load_ctx *c, sqlite3_stmt *st, char iso3[4])
{
    int found;
    BILAT_TRY(step_lookup(c, st, &found));
    if (found) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        if (s)
            snprintf(iso3, 4, "%s", s);
        else
            found = 2;
    }
    sqlite3_reset(st);
    return found;
}

static int sink_by_name(void *ctx, const char *name, char iso3[4])
{
    struct load_ctx *c = ((struct series_ctx *)ctx)->c;
    sqlite3_reset(c->q_by_name);
    store_bind_text(c->q_by_name, 1, name, -1);
    return sink_lookup_iso3(c, c->q_by_name, iso3);
}

static int sink_by_cow(void *ctx, long cow, char iso3[4])
{
    struct load_ctx *c = ((struct series_ctx *)ctx)->c;
    sqlite3_reset(c->q_cow);
    sqlite3_bind_int64(c->q_cow, 1, cow);
    return sink_lookup_iso3(c, c->q_cow, iso3);
}

static int sink_known(void *ctx, const char *iso3)
{
    struct load_ctx *c = ((struct series_ctx *)ctx)->c;
    return load_exists(c, c->q_country, iso3, NULL);
}

/* Split "KHM,CHN" into a NULL-terminated list inside `buf`. */
static const char **split_countries(char *buf, const char **list, size_t max)
{
    size_t n = 0;
    for (char *p = buf; p && *p && n + 1 < max;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ')
            p++;
        if (*p)
            list[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    list[n] = NULL;
    return list;
}

/* One series.tsv row: resolve the path, run the importer. */
static int row_series(struct load_ctx *c, const char *const *v)
{
    int bad = 0;
    CHECK(load_need(c, v[0], "path"));
    CHECK(load_need(c, v[1], "format"));
    CHECK(load_need(c, v[2], "source_id"));
    if (bad)
        return 0;
    const char *const *fmts = bilat_series_formats();
    int known = 0;
    for (size_t i = 0; fmts[i]; i++)
        known |= strcmp(fmts[i], v[1]) == 0;
    if (!known) {
        reject(c, "unknown series format '%s' (see bilat load --help)", v[1]);
        return 0;
    }
    CHECK(load_check_source(c, v[2]));
    if (bad)
        return 0;
    struct bilat_buf path = BILAT_BUF_INIT, loc = BILAT_BUF_INIT;
    int rc = 0;
    int external = strncmp(v[0], "external:", 9) == 0;
    if (external) {
        if (!c->opts || !c->opts->external_dir) {
            load_diag(c, BILAT_LOG_WARNING, c->path, c->line,
                 "skipping '%s': not shipped (its terms do not allow it); give its directory "
                 "with --external DIR",
                 v[0] + 9);
            c->stats->skipped++;
            return 0;
        }
        rc = bilat_buf_addf(&path, "%s/%s", c->opts->external_dir, v[0] + 9);
        if (rc == 0)
            rc = bilat_buf_addf(&loc, "external:%s", v[0] + 9);
    } else {
        rc = bilat_buf_addf(&path, "%s/%s", c->dir, v[0]);
        if (rc == 0)
            rc = bilat_buf_addf(&loc, "%s", v[0]);
    }
    if (rc < 0) {
        rc = bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    if (external && !bilat_file_exists(path.buf)) {
        load_diag(c, BILAT_LOG_WARNING, c->path, c->line, "skipping '%s': no such file", path.buf);
        c->stats->skipped++;
        goto out;
    }
    char cbuf[512];
    const char *list[64];
    const char *const *keep = NULL;
    if (v[3]) {
        snprintf(cbuf, sizeof(cbuf), "%s", v[3]);
        keep = split_countries(cbuf, list, 64);
    }
    /* Rows of the importer are written with the indicators.tsv statement and spec. */
    const struct table_spec *saved_spec = c->spec;
    sqlite3_stmt *saved_st = c->st;
    const char *saved_path = c->path, *saved_file = c->file;
    uint64_t saved_line = c->line;
    int ii = spec_index("indicators.tsv");
    rc = upsert_stmt(c, ii, &c->st);
    if (rc == 0) {
        c->spec = &specs[ii];
        c->path = path.buf;
        c->file = loc.buf;
        struct series_ctx sc = {c, v[2], loc.buf, 0};
        struct series_sink sink = {&sc,         sink_emit,    sink_reject, sink_skip,
                                   sink_by_name, sink_by_cow, sink_known};
        struct bilat_err ierr = {0};
        rc = series_import(v[1], path.buf, keep, &sink, &ierr);
        if (rc == BILAT_EPARSE || rc == BILAT_ENOTFOUND || rc == BILAT_EIO ||
            rc == BILAT_ELIMIT) {
            /* A file the importer cannot read is a bad row of series.tsv, not a crash. */
            load_diag(c, BILAT_LOG_ERROR, ierr.path ? ierr.path : path.buf, ierr.line, "%s",
                 ierr.msg);
            rc = 0;
        } else if (rc < 0 && c->err && c->err->code == 0) {
            *c->err = ierr;
        }
    }
    c->spec = saved_spec;
    c->st = saved_st;
    c->path = saved_path;
    c->file = saved_file;
    c->line = saved_line;
out:
    bilat_buf_release(&path);
    bilat_buf_release(&loc);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Files and directories                                                                      */

static int load_file(struct load_ctx *c, int si, const char *path, const char *file)
{
    const struct table_spec *s = &specs[si];
    struct tsv_file f;
    struct bilat_err ferr = {0};
    int rc = tsv_open(&f, path, &ferr);
    c->path = path;
    c->file = file;
    c->spec = s;
    if (rc < 0) {
        if (rc == BILAT_ENOMEM) {
            tsv_close(&f);
            return bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        }
        load_diag(c, BILAT_LOG_ERROR, path, ferr.line, "%s", ferr.msg);
        tsv_close(&f);
        return 0;
    }
    /* Map the header to the spec's columns; unknown or missing required columns are errors. */
    size_t nc = spec_ncols(s);
    int map[20];
    int header_bad = 0;
    for (size_t i = 0; i < nc; i++) {
        map[i] = tsv_col(&f, s->cols[i].name);
        if (map[i] < 0 && (s->cols[i].flags & COL_REQ)) {
            c->line = f.line;
            reject(c, "missing column '%s' in the header", s->cols[i].name);
            header_bad = 1;
        }
    }
    for (size_t j = 0; j < f.ncol; j++) {
        int known = 0;
        for (size_t i = 0; i < nc; i++)
            known |= strcmp(f.names[j], s->cols[i].name) == 0;
        if (!known) {
            c->line = f.line;
            reject(c, "unknown column '%s' in the header", f.names[j]);
            header_bad = 1;
        }
    }
    if (header_bad)
        goto out;
    if (s->upsert && (rc = upsert_stmt(c, si, &c->st)) < 0)
        goto out;
    const char *v[20];
    for (;;) {
        int r = tsv_next(&f);
        if (r == 0)
            break;
        c->line = f.line;
        if (r < 0) {
            reject(c, "%s", f.reason);
            continue;
        }
        for (size_t i = 0; i < nc; i++)
            v[i] = (map[i] >= 0 && f.lens[map[i]] > 0) ? f.fields[map[i]] : NULL;
        for (size_t i = nc; i < 20; i++)
            v[i] = NULL;
        rc = s->row ? s->row(c, v) : row_series(c, v);
        if (rc < 0)
            goto out;
    }
    rc = 0;
out:
    tsv_close(&f);
    return rc;
}

static int prune(struct load_ctx *c)
{
    for (int i = N_SPECS - 1; i >= 0; i--) {
        const struct table_spec *s = &specs[i];
        if (!s->key_expr)
            continue;
        struct bilat_buf sql = BILAT_BUF_INIT;
        int rc = bilat_buf_addf(&sql,
                                "DELETE FROM %s WHERE dataset = ?1%s%s AND (%s) NOT IN "
                                "(SELECT key FROM temp.load_seen WHERE dataset = ?1 AND tbl = ?2)",
                                s->table, s->prune_extra ? " AND " : "",
                                s->prune_extra ? s->prune_extra : "", s->key_expr);
        if (rc < 0)
            return bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        sqlite3_stmt *st = NULL;
        rc = store_prepare(c->db, sql.buf, &st, c->err);
        bilat_buf_release(&sql);
        BILAT_TRY(rc);
        store_bind_text(st, 1, c->dataset, -1);
        store_bind_text(st, 2, s->table, -1);
        int t = sqlite3_step(st);
        if (t == SQLITE_DONE) {
            int changed = sqlite3_changes(c->db->db);
            c->stats->pruned += (uint64_t)changed;
            if (changed && (strcmp(s->table, "un_call") == 0 || strcmp(s->table, "un_vote") == 0))
                c->votes_pruned = true;
        } else if ((t & 0xff) == SQLITE_CONSTRAINT) {
            load_diag(c, BILAT_LOG_ERROR, c->dir, 0,
                 "records deleted from %s are still used by other records (%s)", s->file,
                 sqlite3_errmsg(c->db->db));
        } else {
            rc = store_fail(c->db, c->err, t, "cannot remove deleted records");
        }
        sqlite3_finalize(st);
        BILAT_TRY(rc);
    }
    return 0;
}

/* Dataset name: the last component of the directory path. */
static void dataset_name(const char *dir, char *out, size_t len)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    snprintf(out, len, "%.*s", (int)(n - start), dir + start);
}

static int load_dir(struct load_ctx *c, const char *dir)
{
    char name[256];
    dataset_name(dir, name, sizeof(name));
    c->dataset = name;
    c->dir = dir;
    if (!bilat_file_is_dir(dir)) {
        load_diag(c, BILAT_LOG_ERROR, dir, 0, "not a directory");
        return 0;
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || !*name) {
        load_diag(c, BILAT_LOG_ERROR, dir, 0, "cannot name the dataset: give the directory by name");
        return 0;
    }
    /* Warn about files that look like data but that no loader reads (a misspelt name). */
    DIR *d = opendir(dir);
    if (!d) {
        load_diag(c, BILAT_LOG_ERROR, dir, 0, "cannot read directory");
        return 0;
    }
    struct dirent *e;
    int nfiles = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 4 && strcmp(e->d_name + n - 4, ".tsv") == 0 && spec_index(e->d_name) < 0)
            load_diag(c, BILAT_LOG_WARNING, dir, 0, "ignoring unknown file '%s'", e->d_name);
    }
    closedir(d);
    uint64_t before = c->stats->rejected;
    for (int i = 0; i < N_SPECS; i++) {
        struct bilat_buf path = BILAT_BUF_INIT;
        if (bilat_buf_addf(&path, "%s/%s", dir, specs[i].file) < 0)
            return bilat_fail(c->err, BILAT_ENOMEM, "out of memory");
        int rc = 0;
        if (bilat_file_exists(path.buf)) {
            nfiles++;
            rc = load_file(c, i, path.buf, specs[i].file);
        }
        bilat_buf_release(&path);
        BILAT_TRY(rc);
    }
    c->path = NULL;
    if (nfiles == 0)
        load_diag(c, BILAT_LOG_ERROR, dir, 0, "no dataset files here (see docs/DATA-FORMAT.md)");
    if (c->stats->rejected > before)
        return 0; /* the run rolls back; pruning would only add noise */
    BILAT_TRY(prune(c));
    /* Record the load. */
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(c->db,
                            "INSERT INTO dataset(name, path, loaded_at, files, records) "
                            "VALUES (?1, ?2, ?3, ?4, (SELECT count(*) FROM temp.load_seen "
                            "WHERE dataset = ?1)) ON CONFLICT(name) DO UPDATE SET "
                            "path = excluded.path, loaded_at = excluded.loaded_at, "
                            "files = excluded.files, records = excluded.records",
                            &st, c->err));
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    store_bind_text(st, 1, name, -1);
    store_bind_text(st, 2, dir, -1);
    store_bind_text(st, 3, now, -1);
    sqlite3_bind_int(st, 4, nfiles);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return store_fail(c->db, c->err, s, "cannot record the dataset");
    return 0;
}

/* Records a dataset owns, over every table a load writes. */
static int dataset_records(bilat_db *db, const char *name, int64_t *out, struct bilat_err *err)
{
    *out = 0;
    for (int i = 0; i < N_SPECS; i++) {
        if (!specs[i].key_expr || (i > 0 && strcmp(specs[i].table, specs[i - 1].table) == 0))
            continue;
        char sql[160];
        snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE dataset = ?1", specs[i].table);
        int64_t n = 0;
        BILAT_TRY(store_query_int(db, sql, name, &n, err));
        *out += n;
    }
    return 0;
}

/*
 * After a load with move_from: how many records moved, and the dataset row of what is left of
 * that dataset (gone when nothing is).
 */
static int moved_from(bilat_db *db, const char *name, int64_t before,
                      struct bilat_load_stats *stats, struct bilat_err *err)
{
    int64_t left = 0;
    BILAT_TRY(dataset_records(db, name, &left, err));
    stats->moved = before > left ? (uint64_t)(before - left) : 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            left ? "UPDATE dataset SET records = ?2 WHERE name = ?1"
                                 : "DELETE FROM dataset WHERE name = ?1 AND ?2 = 0",
                            &st, err));
    store_bind_text(st, 1, name, -1);
    sqlite3_bind_int64(st, 2, left);
    int s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot record the dataset");
    return 0;
}

static const char *const lookups[] = {
    "SELECT id, kind FROM actor WHERE code = ?1",
    "SELECT 1 FROM country WHERE iso3 = ?1",
    "SELECT 1 FROM source WHERE id = ?1",
    "SELECT 1 FROM cameo_code WHERE code = ?1",
    "SELECT 1 FROM vocabulary WHERE field = ?1 AND value = ?2",
    "SELECT iso3 FROM country WHERE name = ?1 COLLATE NOCASE "
    "UNION ALL SELECT iso3 FROM country_alias WHERE alias = ?1 LIMIT 1",
    "SELECT iso3 FROM country WHERE cow = ?1 ORDER BY iso3 LIMIT 1",
    "SELECT 1 FROM un_call WHERE rcid = CAST(?1 AS INTEGER)",
    "SELECT 1 FROM concept WHERE id = ?1",
    /* a group claim of this dataset seen earlier in this load (so: above the row) */
    "SELECT 1 FROM claim WHERE id = ?1 AND method = 'all' AND id IN "
    "(SELECT key FROM temp.load_seen WHERE dataset = ?2 AND tbl = 'claim')",
};

int bilat_load_dirs(bilat_db *db, const char *const *dirs, size_t n,
                    const struct bilat_load_opts *opts, struct bilat_load_stats *stats_out,
                    struct bilat_err *err)
{
    struct bilat_load_stats stats = {0};
    struct load_ctx c = {.db = db, .opts = opts, .stats = &stats, .err = err};
    sqlite3_stmt **q[] = {&c.q_actor, &c.q_country, &c.q_source, &c.q_cameo,
                          &c.q_vocab, &c.q_by_name, &c.q_cow,    &c.q_call,
                          &c.q_concept, &c.q_claim_group};
    int rc = 0, in_tx = 0;
    if (db->readonly)
        return bilat_fail(err, BILAT_EINVAL, "the store is open read-only");
    if (err)
        err->code = 0;
    rc = store_begin(db, err);
    if (rc < 0)
        goto out;
    in_tx = 1;
    rc = store_exec(db,
                    "CREATE TEMP TABLE IF NOT EXISTS load_seen(dataset TEXT, tbl TEXT, key TEXT, "
                    "path TEXT, line INTEGER, PRIMARY KEY (dataset, tbl, key)); "
                    "DELETE FROM temp.load_seen; "
                    "CREATE TEMP TABLE IF NOT EXISTS load_move(name TEXT PRIMARY KEY); "
                    "DELETE FROM temp.load_move",
                    err);
    int64_t moving = 0; /* records of the move_from dataset before the load */
    if (rc == 0 && opts && opts->move_from) {
        sqlite3_stmt *mv = NULL;
        rc = store_prepare(db, "INSERT INTO temp.load_move(name) VALUES (?1)", &mv, err);
        if (rc == 0) {
            store_bind_text(mv, 1, opts->move_from, -1);
            int s = sqlite3_step(mv);
            if (s != SQLITE_DONE)
                rc = store_fail(db, err, s, "cannot prepare the load");
        }
        sqlite3_finalize(mv);
        if (rc == 0)
            rc = dataset_records(db, opts->move_from, &moving, err);
    }
    for (size_t i = 0; rc == 0 && i < sizeof(q) / sizeof(q[0]); i++)
        rc = store_prepare(db, lookups[i], q[i], err);
    if (rc == 0)
        rc = store_prepare(db,
                           "INSERT INTO temp.load_seen(dataset, tbl, key, path, line) "
                           "VALUES (?1, ?2, ?3, ?4, ?5)",
                           &c.seen_add, err);
    if (rc == 0)
        rc = store_prepare(db,
                           "SELECT path, line FROM temp.load_seen "
                           "WHERE dataset = ?1 AND tbl = ?2 AND key = ?3",
                           &c.seen_first, err);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = load_dir(&c, dirs[i]);
    if (rc == 0 && stats.rejected == 0 && opts && opts->move_from)
        rc = moved_from(db, opts->move_from, moving, &stats, err);
    if (rc == 0 && stats.rejected > 0)
        rc = bilat_fail(err, BILAT_EPARSE, "%llu error%s; nothing was loaded",
                        (unsigned long long)stats.rejected, stats.rejected == 1 ? "" : "s");
    /* roll calls or votes written or removed: the vote summaries are out of date */
    if (rc == 0 && (stats.un_calls || stats.un_votes || c.votes_pruned))
        rc = store_votes_changed(db, err);
    if (rc == 0)
        rc = store_commit(db, &in_tx, "cannot save the load (nothing was loaded)", err);
out:
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        sqlite3_finalize(*q[i]);
    sqlite3_finalize(c.seen_add);
    sqlite3_finalize(c.seen_first);
    for (int i = 0; i < N_SPECS; i++)
        sqlite3_finalize(c.upserts[i]);
    if (in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.load_seen", NULL, NULL, NULL);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.load_move", NULL, NULL, NULL);
    if (stats_out)
        *stats_out = stats;
    return rc;
}

