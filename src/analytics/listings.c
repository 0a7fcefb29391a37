/*
 * listings.c: the store's contents listed for choosers and browsers (listings.h).
 *
 * The lists are table sections filled by table_add_sql(), which reads every row and fails when
 * a step ends in anything but SQLITE_DONE (a busy store, an I/O error): a page is then an error,
 * never a list cut short. The events query keeps the profile's dyad (analytics/dyad.h: sides,
 * with a party's office holders while in office): one actor on each side, or a one-sided record
 * of either; its text filter is matched literally (LIKE's wildcards escaped).
 */
#include "analytics/listings.h"

#include "analytics/dyad.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

/* A section filled by one query; *sec_out is NULL on failure. */
static int query_section(bilat_db *db, const char *id, const struct tcol *cols, size_t ncol,
                         const char *sql, table_bind_fn *bind, const void *ctx,
                         json_t **sec_out, struct bilat_err *err)
{
    *sec_out = NULL;
    json_t *t = table_new(id, id, NULL, cols, ncol);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = table_add_sql(db, t, sql, bind, ctx, err);
    if (rc < 0) {
        json_decref(t);
        return rc;
    }
    *sec_out = t;
    return 0;
}

int listing_actors(bilat_db *db, json_t **sec_out, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"code", "Code", TCOL_TEXT},       {"name", "Name", TCOL_TEXT},
        {"kind", "Kind", TCOL_TEXT},       {"country", "Country", TCOL_TEXT},
        {"events", "Events", TCOL_INT},
    };
    *sec_out = table_new("actors", "Actors and countries", NULL, cols, 5);
    if (!*sec_out)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = table_add_sql(db, *sec_out,
                           "SELECT a.code, a.name, a.kind, a.country, "
                           "(SELECT count(*) FROM event e WHERE e.src_actor_id = a.id OR "
                           "e.tgt_actor_id = a.id) FROM actor a UNION ALL "
                           "SELECT c.iso3, c.name, 'state', c.iso3, NULL FROM country c "
                           "WHERE c.iso3 NOT IN (SELECT code FROM actor) AND (c.iso3 IN "
                           "(SELECT country FROM un_vote) OR c.iso3 IN (SELECT country FROM "
                           "indicator)) ORDER BY 1",
                           NULL, NULL, err);
    if (rc < 0) {
        json_decref(*sec_out);
        *sec_out = NULL;
    }
    return rc;
}

int listing_choices(bilat_db *db, json_t **sec_out, struct bilat_err *err)
{
    static const struct tcol cols[] = {{"code", "Code", TCOL_TEXT}, {"name", "Name", TCOL_TEXT}};
    return query_section(db, "choices", cols, 2,
                         "SELECT code, name FROM (SELECT code, name, kind FROM actor UNION "
                         "SELECT iso3, name, 'state' FROM country WHERE iso3 IN (SELECT country "
                         "FROM un_vote UNION SELECT country FROM indicator)) ORDER BY kind = "
                         "'state' DESC, name",
                         NULL, NULL, sec_out, err);
}

static int bind_limit(sqlite3_stmt *st, const void *ctx)
{
    table_bind_int(st, ":limit", *(const int *)ctx);
    return 0;
}

int listing_dyads(bilat_db *db, int limit, json_t **sec_out, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"a", "A", TCOL_TEXT},           {"b", "B", TCOL_TEXT},
        {"records", "Records", TCOL_INT}, {"a_name", "A name", TCOL_TEXT},
        {"b_name", "B name", TCOL_TEXT},
    };
    return query_section(db, "dyads", cols, 5,
                         "SELECT min(s.country, t.country), max(s.country, t.country), "
                         "count(*), (SELECT name FROM country WHERE iso3 = min(s.country, "
                         "t.country)), (SELECT name FROM country WHERE iso3 = max(s.country, "
                         "t.country)) FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN "
                         "actor t ON t.id = e.tgt_actor_id WHERE s.country <> t.country GROUP "
                         "BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT :limit",
                         bind_limit, &limit, sec_out, err);
}

int listing_years(bilat_db *db, int64_t *first_out, int64_t *last_out, struct bilat_err *err)
{
    BILAT_TRY(store_query_int(db,
                              "SELECT min(y) FROM (SELECT CAST(substr(min(date_from), 1, 4) AS "
                              "INTEGER) AS y FROM event UNION ALL SELECT CAST(substr(min(period), "
                              "1, 4) AS INTEGER) FROM indicator)",
                              NULL, first_out, err));
    return store_query_int(db,
                           "SELECT max(y) FROM (SELECT CAST(substr(max(coalesce(date_to, "
                           "date_from)), 1, 4) AS INTEGER) AS y FROM event UNION ALL SELECT "
                           "CAST(substr(max(period), 1, 4) AS INTEGER) FROM indicator)",
                           NULL, last_out, err);
}

static int bind_field(sqlite3_stmt *st, const void *ctx)
{
    table_bind_text(st, ":field", ctx);
    return 0;
}

int listing_values(bilat_db *db, const char *field, json_t **values_out, struct bilat_err *err)
{
    static const struct tcol cols[] = {{"value", "Value", TCOL_TEXT}};
    json_t *sec = NULL;
    *values_out = NULL;
    BILAT_TRY(query_section(db, "values", cols, 1,
                            strcmp(field, "origin") == 0
                                ? "SELECT DISTINCT origin FROM event ORDER BY 1"
                                : "SELECT value FROM vocabulary WHERE field = :field ORDER BY "
                                  "value",
                            bind_field, field, &sec, err));
    json_t *values = json_array();
    size_t i;
    json_t *row;
    int rc = values ? 0 : BILAT_ENOMEM;
    json_array_foreach(json_object_get(sec, "rows"), i, row) if (rc == 0 &&
                                                                 json_array_append(
                                                                     values,
                                                                     json_array_get(row, 0)))
        rc = BILAT_ENOMEM;
    json_decref(sec);
    if (rc < 0) {
        json_decref(values);
        return bilat_fail(err, rc, "out of memory");
    }
    *values_out = values;
    return 0;
}

int listing_has_bloc(bilat_db *db, const char *bloc, int *has_out, struct bilat_err *err)
{
    int64_t n = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM bloc WHERE bloc = ?1", bloc, &n, err));
    *has_out = n > 0;
    return 0;
}

int listing_has_country(bilat_db *db, const char *iso3, int *has_out, struct bilat_err *err)
{
    int64_t n = 0;
    BILAT_TRY(
        store_query_int(db, "SELECT count(*) FROM country WHERE iso3 = ?1", iso3, &n, err));
    *has_out = n > 0;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                     */

/* The filter of the events query: the dyad (the profile's), the vocabulary fields, the years
 * the event's span overlaps, and the text. */
static const char events_where[] =
    "FROM event e LEFT JOIN actor s ON s.id = e.src_actor_id "
    "LEFT JOIN actor t ON t.id = e.tgt_actor_id WHERE "
    "(NOT :dyad OR e.id IN (WITH " DYAD_SIDE_CTE ", " DYAD_EVENTS_CTE("ev", "1")
    "SELECT id FROM ev WHERE " DYAD_WHERE " OR " DYAD_ONE_SIDED ")) "
    "AND (:channel IS NULL OR e.channel = :channel) AND (:mode IS NULL OR e.mode = :mode) "
    "AND (:level IS NULL OR e.level = :level) AND (:origin IS NULL OR e.origin = :origin) "
    "AND CAST(substr(e.date_from, 1, 4) AS INTEGER) <= :to "
    "AND CAST(substr(coalesce(e.date_to, e.date_from), 1, 4) AS INTEGER) >= :from "
    "AND (:q IS NULL OR e.note LIKE '%' || :q || '%' ESCAPE '\\' OR e.place LIKE '%' || "
    ":q || '%' ESCAPE '\\' OR s.name LIKE '%' || :q || '%' ESCAPE '\\' OR t.name LIKE "
    "'%' || :q || '%' ESCAPE '\\') ";

/* The columns of an event, as the query gives them. */
static const char *const event_keys[] = {
    "ref",         "date_from", "date_to", "precision", "source",    "source_name",
    "target",      "target_name", "cameo", "goldstein", "quad",      "channel",
    "mode",        "level",     "quantity", "unit",     "place",     "note",
    "source_id",   "locator",   "origin",  "dataset"};
enum { N_EVENT_KEYS = sizeof(event_keys) / sizeof(event_keys[0]) };

/* What the statements of a query bind. */
struct evq {
    const struct bilat_events_query *q;
    struct dyad_side sa, sb; /* the dyad, when q->a */
    const char *like;        /* the text with LIKE's wildcards escaped, or NULL */
};

static void bind_events(sqlite3_stmt *x, const struct evq *e)
{
    const struct bilat_events_query *q = e->q;
    table_bind_int(x, ":dyad", q->a != NULL);
    if (q->a)
        dyad_bind_sides(x, &e->sa, &e->sb);
    const char *words[] = {q->channel, q->mode, q->level, q->origin};
    static const char *const names[] = {":channel", ":mode", ":level", ":origin"};
    for (int i = 0; i < 4; i++)
        table_bind_text(x, names[i], words[i] && *words[i] ? words[i] : NULL);
    table_bind_int(x, ":from", q->from ? q->from : 0);
    table_bind_int(x, ":to", q->to ? q->to : 9999);
    table_bind_text(x, ":q", e->like);
    table_bind_int(x, ":limit", q->per_page);
    table_bind_int(x, ":offset", (q->page - 1) * q->per_page);
}

/* One event row as an object, each value typed as the store holds it. */
static json_t *event_json(sqlite3_stmt *st)
{
    json_t *ev = json_object();
    for (int i = 0; ev && i < N_EVENT_KEYS; i++) {
        json_t *v;
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: v = json_null(); break;
        case SQLITE_INTEGER: v = json_integer(sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: v = json_real(sqlite3_column_double(st, i)); break;
        default: v = json_string((const char *)sqlite3_column_text(st, i));
        }
        if (json_object_set_new(ev, event_keys[i], v)) {
            json_decref(ev);
            ev = NULL;
        }
    }
    return ev;
}

/* The number of matching events and the page's events into `list`. */
static int run_events(bilat_db *db, const struct evq *e, long long *total, json_t *list,
                      struct bilat_err *err)
{
    struct bilat_buf sql = BILAT_BUF_INIT;
    sqlite3_stmt *cnt = NULL, *st = NULL;
    int rc = bilat_buf_addf(&sql, "SELECT count(*) %s", events_where);
    if (rc == 0)
        rc = store_prepare(db, sql.buf, &cnt, err);
    bilat_buf_reset(&sql);
    if (rc == 0)
        rc = bilat_buf_addf(&sql,
                            "SELECT e.ref, e.date_from, e.date_to, e.precision, s.code, s.name, "
                            "t.code, t.name, e.cameo, e.goldstein, e.quad, e.channel, e.mode, "
                            "e.level, e.quantity, e.unit, e.place, e.note, e.source_id, "
                            "e.locator, e.origin, e.dataset %s"
                            "ORDER BY e.date_from, e.ref LIMIT :limit OFFSET :offset",
                            events_where);
    if (rc == 0)
        rc = store_prepare(db, sql.buf, &st, err);
    bilat_buf_release(&sql);
    if (rc == BILAT_ENOMEM)
        rc = bilat_fail(err, rc, "out of memory");
    if (rc == 0) {
        bind_events(cnt, e);
        bind_events(st, e);
        int s = sqlite3_step(cnt);
        if (s == SQLITE_ROW)
            *total = sqlite3_column_int64(cnt, 0);
        else
            rc = store_fail(db, err, s, "cannot count events");
    }
    int s = SQLITE_DONE;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *ev = event_json(st);
        if (!ev || json_array_append_new(list, ev))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read events");
    sqlite3_finalize(cnt);
    sqlite3_finalize(st);
    return rc;
}

/* The text of a query with LIKE's wildcards and its escape character escaped (matched as
 * written); *out NULL when there is no text. */
static int like_text(const char *q, char **out)
{
    *out = NULL;
    if (!q || !*q)
        return 0;
    struct bilat_buf b = BILAT_BUF_INIT;
    for (const char *p = q; *p; p++) {
        if ((*p == '%' || *p == '_' || *p == '\\') && bilat_buf_addch(&b, '\\') < 0)
            break;
        if (bilat_buf_addch(&b, *p) < 0)
            break;
    }
    *out = bilat_buf_detach(&b, NULL);
    return *out ? 0 : BILAT_ENOMEM;
}

int listing_events(bilat_db *db, const struct bilat_events_query *q, json_t **doc_out,
                   struct bilat_err *err)
{
    *doc_out = NULL;
    if (!q->a != !q->b)
        return bilat_fail(err, BILAT_EINVAL, "give both 'a' and 'b', or neither");
    if (q->page < 1 || q->per_page < 1)
        return bilat_fail(err, BILAT_EINVAL, "pages are numbered from 1, of 1 or more events");
    struct evq e = {.q = q};
    if (q->a) {
        BILAT_TRY(dyad_resolve(db, q->a, &e.sa, err));
        BILAT_TRY(dyad_resolve(db, q->b, &e.sb, err));
    }
    char *like = NULL;
    if (like_text(q->text, &like) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    e.like = like;
    long long total = 0;
    json_t *list = json_array();
    int rc = list ? run_events(db, &e, &total, list, err)
                  : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    bilat_free(like);
    json_t *doc = NULL;
    if (rc == 0) {
        doc = json_pack("{s:I, s:I, s:I, s:I, s:o}", "total", (json_int_t)total, "page",
                        (json_int_t)q->page, "per_page", (json_int_t)q->per_page, "pages",
                        (json_int_t)((total + q->per_page - 1) / q->per_page), "events", list);
        list = NULL; /* json_pack's "o" took it, even on failure */
        if (!doc)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    json_decref(list);
    if (rc == 0)
        *doc_out = doc;
    return rc;
}
