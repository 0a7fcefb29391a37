/*
 * code_store.c: writing coded events into the store (bilat code --store).
 *
 * Each event becomes an `event` row with origin 'coded' and dataset 'coded', the sentence as
 * its note and "input:line" as its locator, plus a `coded_event` row that keeps how it was coded
 * (CAMEO actor codes at the event date, named actors, the words, the dictionary entries and the
 * verb pattern).
 *
 * Actors: an event refers to the named actor when the dictionaries name one (KHMHUNMANET),
 * else to the actor whose code is the CAMEO code (KHMGOV). A code with no `actor` row gets one
 * in dataset 'coded' (kind and name derived from the code: docs/CODER.md), never changing a
 * curated row.
 *
 * Idempotence: ref = "<hash of the input line>-<sentence>-<event>" (hex, decimal, decimal), so
 * coding the same input again updates the same rows; events that a re-coded sentence no longer
 * gives, and sentences a re-coded line no longer has, are deleted.
 */
#include "coder/coder_int.h"

#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct bilat_code_store {
    bilat_db *db;
    char *input;                 /* input name for locators */
    sqlite3_stmt *ev_up;         /* upsert an event */
    sqlite3_stmt *ce_up;         /* upsert its coded_event row */
    sqlite3_stmt *actor_get;     /* actor id by code */
    sqlite3_stmt *actor_add;     /* new actor in dataset 'coded' */
    sqlite3_stmt *country_name;  /* country name by ISO3 */
    sqlite3_stmt *del_ev;        /* stale events of a sentence */
    sqlite3_stmt *del_sent;      /* stale sentences of a line */
    struct bilat_code_store_stats st;
    int in_tx;                   /* a transaction is open */
};

static const char *const sql_ev_up =
    "INSERT INTO event(ref, date_from, precision, src_actor_id, tgt_actor_id, cameo, goldstein, "
    "quad, channel, mode, note, locator, origin, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10, ?11, ?12, 'coded', 'coded') ON CONFLICT(origin, ref) DO UPDATE SET "
    "date_from = excluded.date_from, date_to = NULL, precision = excluded.precision, "
    "src_actor_id = excluded.src_actor_id, tgt_actor_id = excluded.tgt_actor_id, "
    "cameo = excluded.cameo, goldstein = excluded.goldstein, quad = excluded.quad, "
    "channel = excluded.channel, mode = excluded.mode, note = excluded.note, "
    "locator = excluded.locator, dataset = excluded.dataset RETURNING id";

static const char *const sql_ce_up =
    "INSERT INTO coded_event(event_id, sentence_id, input, line, src_code, tgt_code, src_entity, "
    "tgt_entity, src_text, tgt_text, verb_text, src_entry, tgt_entry, pattern, flags) VALUES "
    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) ON CONFLICT(event_id) "
    "DO UPDATE SET sentence_id = excluded.sentence_id, input = excluded.input, "
    "line = excluded.line, src_code = excluded.src_code, tgt_code = excluded.tgt_code, "
    "src_entity = excluded.src_entity, tgt_entity = excluded.tgt_entity, "
    "src_text = excluded.src_text, tgt_text = excluded.tgt_text, "
    "verb_text = excluded.verb_text, src_entry = excluded.src_entry, "
    "tgt_entry = excluded.tgt_entry, pattern = excluded.pattern, flags = excluded.flags";

static void finalize_all(struct bilat_code_store *st)
{
    sqlite3_finalize(st->ev_up);
    sqlite3_finalize(st->ce_up);
    sqlite3_finalize(st->actor_get);
    sqlite3_finalize(st->actor_add);
    sqlite3_finalize(st->country_name);
    sqlite3_finalize(st->del_ev);
    sqlite3_finalize(st->del_sent);
    st->ev_up = st->ce_up = st->actor_get = st->actor_add = st->country_name = NULL;
    st->del_ev = st->del_sent = NULL;
}

int bilat_code_store_begin(bilat_db *db, const char *input, bilat_code_store **out,
                           struct bilat_err *err)
{
    *out = NULL;
    struct bilat_code_store *st = bilat_calloc(1, sizeof(*st));
    if (!st)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    st->db = db;
    st->input = bilat_strdup(input ? input : "-");
    int rc = st->input ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = store_begin(db, err);
    if (rc == 0) {
        st->in_tx = 1;
        if ((rc = store_prepare(db, sql_ev_up, &st->ev_up, err)) == 0 &&
            (rc = store_prepare(db, sql_ce_up, &st->ce_up, err)) == 0 &&
            (rc = store_prepare(db, "SELECT id FROM actor WHERE code = ?1", &st->actor_get,
                                err)) == 0 &&
            (rc = store_prepare(db,
                                "INSERT INTO actor(code, name, kind, country, dataset) VALUES "
                                "(?1, ?2, ?3, ?4, 'coded') RETURNING id",
                                &st->actor_add, err)) == 0 &&
            (rc = store_prepare(db, "SELECT name FROM country WHERE iso3 = ?1",
                                &st->country_name, err)) == 0 &&
            (rc = store_prepare(db,
                                "DELETE FROM event WHERE origin = 'coded' AND ref GLOB ?1 AND "
                                "CAST(substr(ref, ?2) AS INTEGER) >= ?3",
                                &st->del_ev, err)) == 0)
            rc = store_prepare(db,
                               "DELETE FROM event WHERE origin = 'coded' AND ref GLOB ?1 AND "
                               "CAST(substr(ref, 18) AS INTEGER) >= ?2",
                               &st->del_sent, err);
    }
    if (rc < 0) {
        bilat_code_store_finish(st, 0, NULL, NULL);
        return rc;
    }
    *out = st;
    return 0;
}

/* Role codes and their labels, for naming new actor rows ("Cambodia (military)"). */
static const char *role_label(const char *r)
{
    static const char *const roles[][2] = {
        {"GOV", "government"}, {"MIL", "military"}, {"PTY", "party"}, {"LEG", "legislature"},
        {"OPP", "opposition"}, {"BUS", "business"}, {"MED", "media"}, {"JUD", "judiciary"},
        {"COP", "police"}, {"ELI", "elites"}, {"CVL", "civilians"}, {"EDU", "education"},
        {"HLH", "health"}, {"LAB", "labour"}, {"REB", "rebels"}, {"SPY", "intelligence"},
        {"AGR", "agriculture"}, {"HRI", "human rights"}, {"NGO", "non-governmental"},
        {"IGO", "intergovernmental"}, {"REF", "refugees"}, {"UAF", "armed group"},
        {"ENV", "environment"}, {"CRM", "criminals"}, {"DEV", "development"},
        {"REL", "religious"}, {"MOD", "moderates"}, {"RAD", "radicals"}, {"SET", "settlers"},
        {"INS", "insurgents"}, {"FRM", "foreign ministry"}, {"DEF", "defence"},
    };
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strncmp(r, roles[i][0], 3) == 0)
            return roles[i][1];
    return NULL;
}

/* Actor id for an event side; creates a 'coded' actor row when the code is new. */
static int actor_id(struct bilat_code_store *st, const char *entity, const char *name,
                    const char *kind, const char *code, int64_t *id, struct bilat_err *err)
{
    const char *key = *entity ? entity : code;
    sqlite3_reset(st->actor_get);
    store_bind_text(st->actor_get, 1, key, -1);
    int s = sqlite3_step(st->actor_get);
    if (s == SQLITE_ROW) {
        *id = sqlite3_column_int64(st->actor_get, 0);
        sqlite3_reset(st->actor_get);
        return 0;
    }
    sqlite3_reset(st->actor_get);
    if (s != SQLITE_DONE)
        return store_fail(st->db, err, s, "cannot look up an actor");
    /* country: the first three letters when they are an ISO3 code of the store */
    char iso[4] = {0};
    char cname[128] = "";
    if (strlen(code) >= 3) {
        memcpy(iso, code, 3);
        sqlite3_reset(st->country_name);
        store_bind_text(st->country_name, 1, iso, 3);
        s = sqlite3_step(st->country_name);
        if (s == SQLITE_ROW)
            snprintf(cname, sizeof(cname), "%s", sqlite3_column_text(st->country_name, 0));
        sqlite3_reset(st->country_name);
        if (s != SQLITE_ROW && s != SQLITE_DONE)
            return store_fail(st->db, err, s, "cannot look up a country");
    }
    const char *k = "organisation";
    if (*entity && (strcmp(kind, "person") == 0 || strcmp(kind, "party") == 0 ||
                    strcmp(kind, "state") == 0))
        k = kind;
    else if (!*entity && strlen(code) == 3 && cname[0])
        k = "state";
    else if (!*entity && strstr(code + 3, "PTY"))
        k = "party";
    char nbuf[256];
    if (*entity && *name) {
        snprintf(nbuf, sizeof(nbuf), "%s", name);
    } else if (strcmp(code, "---") == 0) {
        snprintf(nbuf, sizeof(nbuf), "unnamed actor"); /* the agent of "was shot dead" */
    } else {
        /* "Cambodia (government, party)" from the role codes after the country */
        int n = snprintf(nbuf, sizeof(nbuf), "%s", cname[0] ? cname : code);
        const char *r = code + (strlen(code) >= 3 ? 3 : strlen(code));
        int first = 1;
        while (cname[0] && strlen(r) >= 3 && n < (int)sizeof(nbuf) - 40) {
            const char *lab = role_label(r);
            n += snprintf(nbuf + n, sizeof(nbuf) - (size_t)n, "%s%s", first ? " (" : ", ",
                          lab ? lab : "");
            if (!lab)
                n += snprintf(nbuf + n, sizeof(nbuf) - (size_t)n, "%.3s", r);
            first = 0;
            r += 3;
        }
        if (!first)
            snprintf(nbuf + n, sizeof(nbuf) - (size_t)n, ")");
    }
    sqlite3_reset(st->actor_add);
    store_bind_text(st->actor_add, 1, key, -1);
    store_bind_text(st->actor_add, 2, nbuf, -1);
    store_bind_text(st->actor_add, 3, k, -1);
    store_bind_text(st->actor_add, 4, cname[0] ? iso : NULL, -1);
    s = sqlite3_step(st->actor_add);
    if (s != SQLITE_ROW) {
        sqlite3_reset(st->actor_add);
        return store_fail(st->db, err, s, "cannot add an actor");
    }
    *id = sqlite3_column_int64(st->actor_add, 0);
    sqlite3_reset(st->actor_add);
    st->st.actors++;
    return 0;
}

/* The channel of an event from the roles in its actor codes. */
static const char *channel_of(const char *a, const char *b)
{
    static const char *const order[][2] = {{"PTY", "party"}, {"MIL", "military"},
                                           {"LEG", "legislature"}, {"BUS", "business"},
                                           {"GOV", "government"}};
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
        if ((strlen(a) > 3 && strstr(a + 3, order[i][0])) ||
            (strlen(b) > 3 && strstr(b + 3, order[i][0])))
            return order[i][1];
    if (strlen(a) == 3 && strlen(b) == 3)
        return "government";
    return NULL;
}

/* The mode of an event from its CAMEO code (vocabulary.tsv), or NULL. */
static const char *mode_of(const char *cameo)
{
    static const char *const modes[][2] = {
        {"040", "meeting"}, {"041", "meeting"}, {"045", "meeting"}, {"046", "meeting"},
        {"042", "visit"}, {"043", "visit"}, {"044", "visit"}, {"057", "agreement"},
        {"054", "partnership"}, {"051", "endorsement"}, {"053", "endorsement"},
        {"070", "aid"}, {"071", "aid"}, {"072", "aid"}, {"073", "aid"}, {"074", "aid"},
        {"075", "aid"}, {"010", "statement"}, {"012", "statement"}, {"013", "statement"},
        {"017", "statement"}, {"018", "statement"}, {"019", "statement"},
    };
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (strcmp(cameo, modes[i][0]) == 0)
            return modes[i][1];
    return NULL;
}

static int bind_span(sqlite3_stmt *st, int i, const char *p, size_t n)
{
    return sqlite3_bind_text(st, i, p, (int)n, SQLITE_TRANSIENT);
}

int bilat_code_store_sentence(bilat_code_store *st, const struct bilat_coded_sentence *s,
                              struct bilat_err *err)
{
    char ref[96], prefix[64];
    size_t stored = 0;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        if (!e->date[0]) {
            st->st.undated++;
            continue;
        }
        int64_t src, tgt = 0;
        BILAT_TRY(actor_id(st, e->source_entity, e->source_name, e->source_kind, e->source, &src,
                           err));
        if (e->target[0])
            BILAT_TRY(actor_id(st, e->target_entity, e->target_name, e->target_kind, e->target,
                               &tgt, err));
        snprintf(ref, sizeof(ref), "%016llx-%zu-%zu", (unsigned long long)s->line_hash, s->index,
                 stored);
        size_t dl = strlen(e->date);
        const char *prec = dl == 4 ? "year" : dl == 7 ? "month" : "day";
        char loc[512];
        snprintf(loc, sizeof(loc), "%s:%llu", st->input, (unsigned long long)s->line);
        sqlite3_stmt *q = st->ev_up;
        sqlite3_reset(q);
        store_bind_text(q, 1, ref, -1);
        store_bind_text(q, 2, e->date, -1);
        store_bind_text(q, 3, prec, -1);
        sqlite3_bind_int64(q, 4, src);
        if (e->target[0])
            sqlite3_bind_int64(q, 5, tgt);
        else
            sqlite3_bind_null(q, 5);
        store_bind_text(q, 6, e->cameo, -1);
        store_bind_real_or_null(q, 7, e->goldstein);
        store_bind_int_or_null(q, 8, e->quad);
        store_bind_text(q, 9, channel_of(e->source, e->target), -1);
        store_bind_text(q, 10, mode_of(e->cameo), -1);
        bind_span(q, 11, s->text, s->len);
        store_bind_text(q, 12, loc, -1);
        int r = sqlite3_step(q);
        if (r != SQLITE_ROW) {
            sqlite3_reset(q);
            return store_fail(st->db, err, r, "cannot store a coded event");
        }
        int64_t eid = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        char flags[64];
        snprintf(flags, sizeof(flags), "%s%s%s%s",
                 (e->flags & BILAT_EVENT_PASSIVE) ? "passive " : "",
                 (e->flags & BILAT_EVENT_REPORTED) ? "reported " : "",
                 (e->flags & BILAT_EVENT_INTENT) ? "intent " : "",
                 (e->flags & BILAT_EVENT_REVERSE) ? "reverse " : "");
        size_t fl = strlen(flags);
        if (fl)
            flags[fl - 1] = '\0';
        q = st->ce_up;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, eid);
        store_bind_text(q, 2, s->id, -1);
        store_bind_text(q, 3, st->input, -1);
        sqlite3_bind_int64(q, 4, (sqlite3_int64)s->line);
        store_bind_text(q, 5, e->source, -1);
        store_bind_text(q, 6, e->target[0] ? e->target : NULL, -1);
        store_bind_text(q, 7, e->source_entity[0] ? e->source_entity : NULL, -1);
        store_bind_text(q, 8, e->target_entity[0] ? e->target_entity : NULL, -1);
        bind_span(q, 9, e->source_text, e->source_len);
        if (e->target[0])
            bind_span(q, 10, e->target_text, e->target_len);
        else
            sqlite3_bind_null(q, 10);
        bind_span(q, 11, e->verb_text, e->verb_len);
        store_bind_text(q, 12, e->source_entry, -1);
        store_bind_text(q, 13, e->target[0] ? e->target_entry : NULL, -1);
        store_bind_text(q, 14, e->pattern, -1);
        store_bind_text(q, 15, flags[0] ? flags : NULL, -1);
        r = sqlite3_step(q);
        sqlite3_reset(q);
        if (r != SQLITE_DONE)
            return store_fail(st->db, err, r, "cannot store how an event was coded");
        stored++;
        st->st.events++;
    }
    /* events this sentence no longer gives */
    int pl = snprintf(prefix, sizeof(prefix), "%016llx-%zu-", (unsigned long long)s->line_hash,
                      s->index);
    char glob[72];
    snprintf(glob, sizeof(glob), "%s*", prefix);
    sqlite3_reset(st->del_ev);
    store_bind_text(st->del_ev, 1, glob, -1);
    sqlite3_bind_int(st->del_ev, 2, pl + 1);
    sqlite3_bind_int64(st->del_ev, 3, (sqlite3_int64)stored);
    int r = sqlite3_step(st->del_ev);
    sqlite3_reset(st->del_ev);
    if (r != SQLITE_DONE)
        return store_fail(st->db, err, r, "cannot remove stale coded events");
    st->st.removed += (uint64_t)sqlite3_changes(st->db->db);
    if (s->index + 1 == s->count) {
        /* sentences this line no longer has */
        snprintf(glob, sizeof(glob), "%016llx-*", (unsigned long long)s->line_hash);
        sqlite3_reset(st->del_sent);
        store_bind_text(st->del_sent, 1, glob, -1);
        sqlite3_bind_int64(st->del_sent, 2, (sqlite3_int64)s->count);
        r = sqlite3_step(st->del_sent);
        sqlite3_reset(st->del_sent);
        if (r != SQLITE_DONE)
            return store_fail(st->db, err, r, "cannot remove stale coded events");
        st->st.removed += (uint64_t)sqlite3_changes(st->db->db);
    }
    return 0;
}

int bilat_code_store_finish(bilat_code_store *st, int commit,
                            struct bilat_code_store_stats *stats, struct bilat_err *err)
{
    if (!st)
        return 0;
    int rc = 0;
    finalize_all(st);
    if (st->in_tx && commit) {
        rc = store_exec(st->db,
                        "INSERT INTO dataset(name, path, loaded_at, files, records) VALUES "
                        "('coded', 'bilat code', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 1, "
                        "(SELECT count(*) FROM event WHERE dataset = 'coded')) "
                        "ON CONFLICT(name) DO UPDATE SET loaded_at = excluded.loaded_at, "
                        "records = excluded.records",
                        err);
        if (rc == 0)
            rc = store_exec(st->db, "COMMIT", err);
        if (rc == 0)
            st->in_tx = 0;
    }
    if (st->in_tx)
        store_exec(st->db, "ROLLBACK", NULL);
    if (stats)
        *stats = st->st;
    bilat_free(st->input);
    bilat_free(st);
    return rc;
}
