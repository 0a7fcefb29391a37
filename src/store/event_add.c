/*
 * event_add.c: one validated record written or deleted outside a load (bilat_event_add(),
 * bilat_event_delete()). The rules are those of events.tsv: the dates, precision and quantity
 * through event_check.c, as `bilat load` checks them; actors, CAMEO code, channel, mode and
 * level that exist; and a source with a locator. The insert, the optional source and the "api"
 * dataset row are one transaction: a failure leaves the store as it was.
 */
#include "bilat.h"

#include "core/err.h"
#include "core/parse.h"
#include "store/db.h"
#include "store/event_check.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* 1 when the single-parameter query returns a row, 0 when not, <0 on error. */
static int exists(bilat_db *db, const char *sql, const char *a, const char *b,
                  struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, sql, &st, err));
    store_bind_text(st, 1, a, -1);
    if (b)
        store_bind_text(st, 2, b, -1);
    int s = sqlite3_step(st), rc = s == SQLITE_ROW ? 1 : 0;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot query the store");
    sqlite3_finalize(st);
    return rc;
}

/* Row id of an actor code; 0 when unknown, <0 on error. */
static int64_t actor_id(bilat_db *db, const char *code, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, "SELECT id FROM actor WHERE code = ?1", &st, err));
    store_bind_text(st, 1, code, -1);
    int s = sqlite3_step(st);
    int64_t id = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        id = store_fail(db, err, s, "cannot query the store");
    sqlite3_finalize(st);
    return id;
}

/* The checks that need no store. */
static int check_fields(const struct bilat_event_fields *e, const struct bilat_source_fields *src,
                        double *qty, int *has_qty, struct bilat_err *err)
{
    static const char *const required[] = {"date_from", "precision", "source", "source_id",
                                           "locator"};
    const char *vals[] = {e->date_from, e->precision, e->source, e->source_id, e->locator};
    for (size_t i = 0; i < 5; i++)
        if (!vals[i] || !*vals[i])
            return bilat_fail(err, BILAT_EINVAL, "missing field '%s'", required[i]);
    if (e->ref) {
        size_t n = strlen(e->ref);
        int ok = n > 0 && n < 60;
        for (size_t i = 0; ok && i < n; i++)
            ok = isalnum((unsigned char)e->ref[i]) || e->ref[i] == '-' || e->ref[i] == '_' ||
                 e->ref[i] == '.';
        if (!ok)
            return bilat_fail(err, BILAT_EINVAL,
                              "bad ref '%s' (1 to 59 letters, digits, '-', '_', '.')", e->ref);
    }
    struct bilat_date a, b;
    char why[256];
    bool has = false;
    if (event_check_dates(e->date_from, e->date_to, e->precision, &a, &b, why, sizeof(why)) < 0 ||
        event_check_quantity(e->quantity, e->unit, qty, &has, why, sizeof(why)) < 0)
        return bilat_fail(err, BILAT_EINVAL, "%s", why);
    *has_qty = has;
    for (const char *p = e->source_id; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.'))
            return bilat_fail(err, BILAT_EINVAL,
                              "bad source id '%s' (letters, digits, '-', '_', '.')", e->source_id);
    if (src) {
        if (!src->id || strcmp(src->id, e->source_id) != 0)
            return bilat_fail(err, BILAT_EINVAL,
                              "the citation's id '%s' is not the event's source_id '%s'",
                              src->id ? src->id : "", e->source_id);
        if (!src->title || !*src->title)
            return bilat_fail(err, BILAT_EINVAL, "the citation needs a title");
        if (src->date && bilat_date_parse(src->date, strlen(src->date), &b) < 0)
            return bilat_fail(err, BILAT_EINVAL, "bad date '%s' in the citation's 'date'",
                              src->date);
        if (src->date && !bilat_year_in_bounds(b.year))
            return bilat_fail(err, BILAT_EINVAL,
                              "the citation's 'date' '%s' is out of range: years %d to %d",
                              src->date, BILAT_YEAR_MIN, bilat_year_max());
    }
    return 0;
}

/* The "api" row of the dataset table: the time of the last write and the records it holds. */
static int touch_api_dataset(bilat_db *db, struct bilat_err *err)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "INSERT INTO dataset(name, path, loaded_at, files, records) "
                            "VALUES ('api', 'POST /api/events', ?1, 0, (SELECT count(*) FROM "
                            "event WHERE dataset = 'api') + (SELECT count(*) FROM source WHERE "
                            "dataset = 'api')) ON CONFLICT(name) DO UPDATE SET "
                            "loaded_at = excluded.loaded_at, records = excluded.records",
                            &st, err));
    store_bind_text(st, 1, now, -1);
    int rc = store_step_done(db, st, "cannot record the write", err);
    sqlite3_finalize(st);
    return rc;
}

/*
 * End a write begun with store_begin(): when rc is 0, record it in the "api" dataset row (so
 * that "data as of" stays true after a write) and commit; else roll back. Returns rc or the
 * failure of the commit.
 */
static int end_write(bilat_db *db, int rc, struct bilat_err *err)
{
    if (rc == 0)
        rc = touch_api_dataset(db, err);
    if (rc == 0)
        rc = store_exec(db, "COMMIT", err);
    if (rc < 0)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int bilat_event_delete(bilat_db *db, const char *ref, int64_t *id_out, char owner_out[64],
                       struct bilat_err *err)
{
    owner_out[0] = '\0';
    BILAT_TRY(store_begin(db, err));
    sqlite3_stmt *st = NULL;
    int rc = store_prepare(db,
                           "SELECT id, dataset, source_id FROM event WHERE origin = 'curated' "
                           "AND ref = ?1",
                           &st, err);
    char source[256] = "";
    int64_t id = 0;
    if (rc == 0) {
        store_bind_text(st, 1, ref, -1);
        int s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            id = sqlite3_column_int64(st, 0);
            const char *ds = (const char *)sqlite3_column_text(st, 1);
            const char *src = (const char *)sqlite3_column_text(st, 2);
            snprintf(owner_out, 64, "%s", ds ? ds : "");
            snprintf(source, sizeof(source), "%s", src ? src : "");
        } else if (s == SQLITE_DONE) {
            rc = bilat_fail(err, BILAT_ENOTFOUND, "no event with ref '%s'", ref);
        } else {
            rc = store_fail(db, err, s, "cannot query the store");
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == 0 && strcmp(owner_out, "api") != 0)
        rc = bilat_fail(err, BILAT_EINVAL,
                        "event '%s' belongs to the dataset '%s', not to the records added "
                        "through the API: change that dataset's files and load it again",
                        ref, owner_out);
    if (rc == 0) {
        rc = store_prepare(db, "DELETE FROM event WHERE id = ?1", &st, err);
        if (rc == 0) {
            sqlite3_bind_int64(st, 1, id);
            rc = store_step_done(db, st, "cannot delete the event", err);
        }
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc == 0 && source[0]) {
        /* a source the API added goes with its last record */
        rc = store_prepare(db,
                           "DELETE FROM source WHERE id = ?1 AND dataset = 'api' AND NOT EXISTS "
                           "(SELECT 1 FROM event WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 "
                           "FROM indicator WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 FROM "
                           "affiliation WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 FROM "
                           "un_call WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 FROM claim "
                           "WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 FROM concept WHERE "
                           "source_id = ?1) AND NOT EXISTS (SELECT 1 FROM concept_principle "
                           "WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 FROM "
                           "concept_adoption WHERE source_id = ?1) AND NOT EXISTS (SELECT 1 "
                           "FROM ideal_point WHERE source_id = ?1)",
                           &st, err);
        if (rc == 0) {
            store_bind_text(st, 1, source, -1);
            rc = store_step_done(db, st, "cannot delete the event's source", err);
        }
        sqlite3_finalize(st);
    }
    rc = end_write(db, rc, err);
    if (rc == 0)
        *id_out = id;
    return rc;
}

/*
 * Check the fields that need no store, then, inside one write transaction, the references
 * (actors, CAMEO code, vocabulary, source), the ref's uniqueness, the insert of the source and
 * the event, and the "api" dataset row; any failure rolls everything back.
 */
int bilat_event_add(bilat_db *db, const struct bilat_event_fields *e, const struct bilat_source_fields *src,
                    char ref_out[64], int64_t *id_out, int *conflict, struct bilat_err *err)
{
    double qty = 0;
    int has_qty = 0;
    *conflict = 0;
    ref_out[0] = '\0';
    BILAT_TRY(check_fields(e, src, &qty, &has_qty, err));
    BILAT_TRY(store_begin(db, err));
    int rc = 0;
    int64_t sid = 0, tid = 0;
    if ((sid = actor_id(db, e->source, err)) == 0)
        rc = bilat_fail(err, BILAT_EINVAL, "unknown actor '%s' in 'source'", e->source);
    if (rc == 0 && sid < 0)
        rc = (int)sid;
    if (rc == 0 && e->target) {
        tid = actor_id(db, e->target, err);
        if (tid == 0)
            rc = bilat_fail(err, BILAT_EINVAL, "unknown actor '%s' in 'target'", e->target);
        else if (tid < 0)
            rc = (int)tid;
    }
    static const char *const sqls[] = {
        "SELECT 1 FROM cameo_code WHERE code = ?1",
        "SELECT 1 FROM vocabulary WHERE value = ?1 AND field = ?2",
        "SELECT 1 FROM vocabulary WHERE value = ?1 AND field = ?2",
        "SELECT 1 FROM vocabulary WHERE value = ?1 AND field = ?2",
    };
    static const char *const what[] = {"CAMEO code", "channel", "mode", "level"};
    const char *vals[] = {e->cameo, e->channel, e->mode, e->level};
    const char *fields[] = {NULL, "channel", "mode", "level"};
    for (size_t i = 0; rc == 0 && i < 4; i++) {
        if (!vals[i])
            continue;
        int x = exists(db, sqls[i], vals[i], fields[i], err);
        if (x < 0)
            rc = x;
        else if (!x)
            rc = bilat_fail(err, BILAT_EINVAL, "unknown %s '%s'", what[i], vals[i]);
    }
    if (rc == 0) {
        int x = exists(db, "SELECT 1 FROM source WHERE id = ?1", e->source_id, NULL, err);
        if (x < 0) {
            rc = x;
        } else if (!x && !src) {
            rc = bilat_fail(err, BILAT_EINVAL,
                            "unknown source_id '%s' (give its citation with the event)",
                            e->source_id);
        } else if (!x) {
            sqlite3_stmt *st = NULL;
            rc = store_prepare(db,
                               "INSERT INTO source(id, title, author, publisher, date, url, "
                               "license, note, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                               "'api')",
                               &st, err);
            if (rc == 0) {
                const char *sv[] = {src->id,  src->title, src->author,  src->publisher,
                                    src->date, src->url,  src->license, src->note};
                for (int i = 0; i < 8; i++)
                    store_bind_text(st, i + 1, sv[i], -1);
                rc = store_step_done(db, st, "cannot add the source", err);
            }
            sqlite3_finalize(st);
        }
    }
    if (rc == 0 && e->ref) {
        int x = exists(db, "SELECT 1 FROM event WHERE origin = 'curated' AND ref = ?1", e->ref,
                       NULL, err);
        if (x < 0)
            rc = x;
        else if (x) {
            *conflict = 1;
            rc = bilat_fail(err, BILAT_EINVAL, "a curated event with ref '%s' exists already",
                            e->ref);
        }
    }
    if (rc == 0) {
        if (e->ref) {
            snprintf(ref_out, 64, "%s", e->ref);
        } else {
            int64_t n = 0;
            rc = store_query_int(db,
                                 "SELECT count(*) + 1 FROM event WHERE origin = 'curated' AND "
                                 "dataset = 'api'",
                                 NULL, &n, err);
            /* a free api-N even if some were given explicitly */
            for (; rc == 0; n++) {
                snprintf(ref_out, 64, "api-%lld", (long long)n);
                int x = exists(db, "SELECT 1 FROM event WHERE origin = 'curated' AND ref = ?1",
                               ref_out, NULL, err);
                if (x <= 0) {
                    rc = x;
                    break;
                }
            }
        }
    }
    if (rc == 0) {
        sqlite3_stmt *st = NULL;
        rc = store_prepare(
            db,
            "INSERT INTO event(ref, date_from, date_to, precision, src_actor_id, tgt_actor_id, "
            "cameo, goldstein, quad, channel, mode, level, quantity, unit, place, note, "
            "source_id, locator, origin, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
            "(SELECT goldstein FROM cameo_code WHERE code = ?7), "
            "(SELECT quad FROM cameo_code WHERE code = ?7), ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
            "?15, ?16, 'curated', 'api')",
            &st, err);
        if (rc == 0) {
            store_bind_text(st, 1, ref_out, -1);
            store_bind_text(st, 2, e->date_from, -1);
            store_bind_text(st, 3, e->date_to, -1);
            store_bind_text(st, 4, e->precision, -1);
            sqlite3_bind_int64(st, 5, sid);
            if (tid)
                sqlite3_bind_int64(st, 6, tid);
            store_bind_text(st, 7, e->cameo, -1);
            store_bind_text(st, 8, e->channel, -1);
            store_bind_text(st, 9, e->mode, -1);
            store_bind_text(st, 10, e->level, -1);
            if (has_qty)
                sqlite3_bind_double(st, 11, qty);
            store_bind_text(st, 12, e->unit, -1);
            store_bind_text(st, 13, e->place, -1);
            store_bind_text(st, 14, e->note, -1);
            store_bind_text(st, 15, e->source_id, -1);
            store_bind_text(st, 16, e->locator, -1);
            int s = sqlite3_step(st);
            if (s != SQLITE_DONE)
                rc = store_fail(db, err, s, "cannot add the event");
            else
                *id_out = sqlite3_last_insert_rowid(db->db);
        }
        sqlite3_finalize(st);
    }
    return end_write(db, rc, err);
}
