/*
 * dyad.c: the sides of a dyad resolved against the store, the SQL parameters of who belongs to
 * them, and the one collector of the source ids that records and evidence cite (dyad.h).
 */
#include "analytics/dyad.h"

#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dyad_bind_sides(sqlite3_stmt *st, const struct dyad_side *a,
                        const struct dyad_side *b)
{
    table_bind_text(st, ":a", a->code);
    table_bind_text(st, ":b", b->code);
    table_bind_int(st, ":a_country", a->is_country);
    table_bind_int(st, ":b_country", b->is_country);
    table_bind_int(st, ":a_party", strcmp(a->kind, "party") == 0);
    table_bind_int(st, ":b_party", strcmp(b->kind, "party") == 0);
    table_bind_text(st, ":ac", a->country);
    table_bind_text(st, ":bc", b->country);
}

/* What temp.dyad_ev holds: the sides, the store's data version and this connection's count of
 * changes when it was made. */
static int events_key(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int64_t more, char *key, size_t len, struct bilat_err *err)
{
    int64_t dv = 0;
    BILAT_TRY(store_query_int(db, "PRAGMA data_version", NULL, &dv, err));
    snprintf(key, len, "%s %d %s | %s %d %s | %lld %lld", a->code, a->is_country, a->kind,
             b->code, b->is_country, b->kind, (long long)dv,
             (long long)(sqlite3_total_changes64(db->db) + more));
    return 0;
}

int dyad_events_prepare(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                        struct bilat_err *err)
{
    char key[256], held[256] = "";
    BILAT_TRY(store_exec(db, "CREATE TEMP TABLE IF NOT EXISTS dyad_ev_key(k TEXT)", err));
    BILAT_TRY(events_key(db, a, b, 0, key, sizeof(key), err));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, "SELECT k FROM temp.dyad_ev_key", &st, err));
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(held, sizeof(held), "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot read the dyad's kept events");
    if (strcmp(held, key) == 0)
        return 0;
    BILAT_TRY(store_exec(db, "DELETE FROM temp.dyad_ev_key; DROP TABLE IF EXISTS temp.dyad_ev",
                         err));
    BILAT_TRY(store_prepare(db,
                            "CREATE TEMP TABLE dyad_ev AS WITH " DYAD_SIDE_CTE
                            ",\n" DYAD_EVENTS_CTE("ev", "1") "SELECT * FROM ev",
                            &st, err));
    dyad_bind_sides(st, a, b);
    s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot keep the dyad's events");
    /* the key as it will read once the table and the key's own row are in: they are no
     * change of the store */
    BILAT_TRY(events_key(db, a, b, 1, key, sizeof(key), err));
    BILAT_TRY(store_prepare(db, "INSERT INTO temp.dyad_ev_key(k) VALUES (?1)", &st, err));
    store_bind_text(st, 1, key, -1);
    s = sqlite3_step(st);
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot keep the dyad's events");
    return 0;
}

int dyad_resolve(bilat_db *db, const char *code, struct dyad_side *out,
                    struct bilat_err *err)
{
    memset(out, 0, sizeof(*out));
    size_t n = code ? strlen(code) : 0;
    if (n < 2 || n > ACTOR_CODE_MAX)
        return bilat_fail(err, BILAT_EINVAL, "bad actor code '%s' (2 to %d letters or digits)",
                          code ? code : "", ACTOR_CODE_MAX);
    if (!bilat_actor_code(code, out->code))
        return bilat_fail(err, BILAT_EINVAL, "bad actor code '%s' (letters and digits only)",
                          code);
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT name, 'state', iso3, 1 FROM country WHERE iso3 = ?1 "
                            "UNION ALL SELECT name, kind, coalesce(country, ''), 0 FROM actor "
                            "WHERE code = ?1",
                            &st, err));
    store_bind_text(st, 1, out->code, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW) {
        snprintf(out->name, sizeof(out->name), "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(out->kind, sizeof(out->kind), "%s", (const char *)sqlite3_column_text(st, 1));
        snprintf(out->country, sizeof(out->country), "%s",
                 (const char *)sqlite3_column_text(st, 2));
        out->is_country = sqlite3_column_int(st, 3) != 0;
    } else if (s == SQLITE_DONE) {
        rc = bilat_fail(err, BILAT_ENOTFOUND,
                        "unknown actor '%s' (neither an actor code nor an ISO3 country in the "
                        "store; see 'bilat sql \"SELECT code, name FROM actor\"')",
                        out->code);
    } else {
        rc = store_fail(db, err, s, "cannot look up an actor");
    }
    sqlite3_finalize(st);
    return rc;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int dyad_add_source_ids(json_t *ids, const char *cell)
{
    for (const char *p = cell; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        while (l && *p == ' ') {
            p++;
            l--;
        }
        while (l && p[l - 1] == ' ')
            l--;
        if (l) {
            char *k = bilat_strndup(p, l);
            int bad = !k || json_object_set_new(ids, k, json_true());
            bilat_free(k);
            if (bad)
                return BILAT_ENOMEM;
        }
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

int dyad_collect_source_ids(json_t *ids, const json_t *sec)
{
    size_t j, k;
    json_t *col, *row;
    int rc = 0;
    json_array_foreach(json_object_get(sec, "columns"), j, col)
    {
        const char *type = json_string_value(json_object_get(col, "type"));
        if (!type || strcmp(type, "source") != 0)
            continue;
        json_array_foreach(json_object_get(sec, "rows"), k, row) if (rc == 0) rc =
            dyad_add_source_ids(ids, json_string_value(json_array_get(row, j)));
    }
    const char *key;
    json_t *sub;
    json_object_foreach(json_object_get(sec, "evidence"), key, sub) if (rc == 0) rc =
        dyad_collect_source_ids(ids, sub);
    return rc;
}

/* The keys of a set, in the order they were added or sorted (bilat_malloc'd array of borrowed
 * keys; NULL when out of memory). */
static const char **set_keys(json_t *ids, bool sorted, size_t *n_out)
{
    size_t n = json_object_size(ids), k = 0;
    const char **v = bilat_alloc_array(n ? n : 1, sizeof(*v));
    if (!v)
        return NULL;
    const char *key;
    json_t *val;
    json_object_foreach(ids, key, val)
        v[k++] = key;
    if (sorted)
        qsort(v, k, sizeof(*v), cmp_strp);
    *n_out = k;
    return v;
}

char *dyad_join_source_ids(json_t *ids, bool sorted)
{
    size_t n = 0;
    const char **v = set_keys(ids, sorted, &n);
    if (!v)
        return NULL;
    struct bilat_buf b = BILAT_BUF_INIT;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++)
        bad = bilat_buf_addf(&b, "%s%s", i ? "," : "", v[i]) < 0;
    bilat_free(v);
    if (bad) {
        bilat_buf_release(&b);
        return NULL;
    }
    return bilat_buf_detach(&b, NULL);
}

int dyad_cite_sources(bilat_db *db, json_t *ids, json_t **list_out, struct bilat_err *err)
{
    json_t *list = json_array();
    if (!list)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    size_t m = 0;
    const char **sorted = set_keys(ids, true, &m);
    sqlite3_stmt *st = NULL;
    int rc = sorted ? store_prepare(db,
                                    "SELECT id, title, author, publisher, date, url, license, "
                                    "note FROM source WHERE id = ?1",
                                    &st, err)
                    : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    static const char *const keys[] = {"id",   "title", "author",  "publisher",
                                        "date", "url",   "license", "note"};
    for (size_t i = 0; rc == 0 && i < m; i++) {
        sqlite3_reset(st);
        store_bind_text(st, 1, sorted[i], -1);
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE)
            continue;
        if (s != SQLITE_ROW) {
            rc = store_fail(db, err, s, "cannot read sources");
            break;
        }
        json_t *o = json_object();
        for (int q = 0; o && q < 8; q++) {
            const char *t = (const char *)sqlite3_column_text(st, q);
            json_object_set_new(o, keys[q], t ? json_string(t) : json_null());
        }
        if (!o || json_array_append_new(list, o))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    sqlite3_finalize(st);
    bilat_free(sorted);
    if (rc < 0) {
        json_decref(list);
        return rc;
    }
    *list_out = list;
    return 0;
}

