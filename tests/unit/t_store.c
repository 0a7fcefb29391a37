/*
 * t_store.c: opening the store, migrations, curated loads (idempotence, pruning, rollback on bad
 * rows, every bad row reported), read-only refusal, SQL rows, the profile document.
 * Fixtures: tests/data/mini (run from the project root).
 */
#include "t.h"
#include "t_util.h"

#include "store/db.h"
#include "store/event_check.h"

#include "analytics/profile.h"
#include "analytics/table.h"
#include "bilat.h"
#include "core/alloc.h"
#include "core/buf.h"

#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *mini = "tests/data/mini";

static const char *dump_sql =
    "SELECT group_concat(x, ';') FROM (SELECT code || ',' || name || ',' || id AS x FROM actor "
    "UNION ALL SELECT ref || ',' || date_from || ',' || id || ',' || coalesce(goldstein, '') "
    "FROM event UNION ALL SELECT name || ',' || period || ',' || coalesce(value, 'NULL') "
    "FROM indicator UNION ALL SELECT id || title FROM source ORDER BY 1)";

/* Copy the fixture directory to tmp/<name> so that a test can edit it. */
static const char *copy_mini(const char *name)
{
    static char dir[4096];
    snprintf(dir, sizeof(dir), "%s/%s", t_tmpdir, name);
    char cmd[12288];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r '%s' '%s'", dir, mini, dir);
    if (system(cmd) != 0)
        return NULL;
    return dir;
}

static void append(const char *dir, const char *file, const char *text)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s/%s", dir, file);
    FILE *f = fopen(p, "ab");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

T_TEST(db_open_create_and_missing)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("none.db"), 0, &db, &err), BILAT_ENOTFOUND);
    T_ASSERT(db == NULL);
    T_ASSERT(strstr(err.msg, "no store") != NULL);
    T_ASSERT_EQ_INT(bilat_db_open(t_path("new.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    T_ASSERT(bilat_db_schema_version(db) >= 1);
    char *v = t_query(db, "SELECT count(*) FROM schema_version WHERE version = 1");
    T_ASSERT_STR(v, "1\n");
    bilat_free(v);
    bilat_db_close(db);
    /* reopening applies nothing twice */
    T_ASSERT_EQ_INT(bilat_db_open(t_path("new.db"), 0, &db, &err), 0);
    v = t_query(db, "SELECT count(*) = (SELECT count(DISTINCT version) FROM schema_version) "
                    "FROM schema_version");
    T_ASSERT_STR(v, "1\n");
    bilat_free(v);
    bilat_db_close(db);
    bilat_db_close(NULL);
}

T_TEST(db_open_not_a_store)
{
    const char *p = t_write_file("junk.db", "this is not an SQLite file, just text that is long "
                                            "enough to fill a header page of a database file...");
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(p, 0, &db, &err), BILAT_EIO);
    T_ASSERT(strstr(err.msg, "not a database") != NULL);
    T_ASSERT_EQ_INT(bilat_db_open(t_tmpdir, 0, &db, &err), BILAT_EIO);
    T_ASSERT(strstr(err.msg, "directory") != NULL);
}

T_TEST(load_counts_and_idempotent)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("load.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    struct t_diags d = {0};
    struct bilat_load_opts o = {NULL, {t_collect, &d}, NULL};
    struct bilat_load_stats st;
    const char *dirs[] = {mini};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, &o, &st, &err), 0);
    T_ASSERT_EQ_INT(d.errors, 0);
    T_ASSERT_EQ_INT(st.events, 4);
    T_ASSERT_EQ_INT(st.actors, 5);
    T_ASSERT_EQ_INT(st.indicators, 5);
    T_ASSERT_EQ_INT(st.countries, 4);
    char *before = t_query(db, dump_sql);
    T_ASSERT(before != NULL);
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, &o, &st, &err), 0);
    T_ASSERT_EQ_INT(st.pruned, 0);
    char *after = t_query(db, dump_sql);
    T_ASSERT_STR(after, before);
    /* missing stays missing; goldstein comes from the CAMEO table */
    char *v = t_query(db, "SELECT coalesce(value, 'NULL') FROM indicator WHERE period = '2020'");
    T_ASSERT_STR(v, "NULL\n");
    bilat_free(v);
    v = t_query(db, "SELECT goldstein, quad FROM event WHERE ref = 'm-4'");
    T_ASSERT_STR(v, "1.9|1\n");
    bilat_free(v);
    v = t_query(db,
                "SELECT iso2 FROM country WHERE iso3 = 'NAM'"); /* "NA" is Namibia, not missing */
    T_ASSERT_STR(v, "NA\n");
    bilat_free(v);
    bilat_free(before);
    bilat_free(after);
    bilat_db_close(db);
}

T_TEST(load_prunes_deleted_rows)
{
    const char *dir = copy_mini("prune");
    T_ASSERT(dir != NULL);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("prune.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    struct bilat_load_stats st;
    const char *dirs[] = {dir};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, &st, &err), 0);
    char *id_before = t_query(db, "SELECT id FROM event WHERE ref = 'm-3'");
    /* drop event m-1 from the file */
    char cmd[8192];
    snprintf(cmd, sizeof(cmd), "sed -i '/^m-1\t/d' '%s/events.tsv'", dir);
    T_ASSERT_EQ_INT(system(cmd), 0);
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, &st, &err), 0);
    T_ASSERT_EQ_INT(st.pruned, 1);
    char *v = t_query(db, "SELECT count(*) FROM event WHERE ref = 'm-1'");
    T_ASSERT_STR(v, "0\n");
    bilat_free(v);
    /* other records keep their ids */
    char *id_after = t_query(db, "SELECT id FROM event WHERE ref = 'm-3'");
    T_ASSERT_STR(id_after, id_before);
    bilat_free(id_before);
    bilat_free(id_after);
    bilat_db_close(db);
}

T_TEST(load_bad_rows_roll_back)
{
    const char *dir = copy_mini("bad");
    T_ASSERT(dir != NULL);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("bad.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {dir};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, NULL, &err), 0);
    char *before = t_query(db, dump_sql);
    append(dir, "events.tsv",
           "m-5\t1996-13\t\tmonth\tKHMGOVPTYCPP\tCHNGOVPTYCPC\t042\tparty\tvisit\t\t\t\t\tx\tbrief\ts\n"
           "m-6\t1997\t\tyear\tNOSUCH\tCHNGOVPTYCPC\t042\tparty\tvisit\t\t\t\t\tx\tbrief\ts\n"
           "m-7\t1997\n"
           "m-1\t1997\t\tyear\tKHM\tCHN\t042\tparty\tvisit\t\t\t\t\tdup\tbrief\ts\n");
    append(dir, "indicators.tsv", "KHM\tCHN\ttrade_total\t2018\t12,5\t\tUSD\tbrief\tf\t\n");
    struct t_diags d = {0};
    struct bilat_load_opts o = {NULL, {t_collect, &d}, NULL};
    struct bilat_load_stats st;
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, &o, &st, &err), BILAT_EPARSE);
    T_ASSERT_EQ_INT(d.errors, 5);
    T_ASSERT_EQ_INT(st.rejected, 5);
    T_ASSERT(strstr(d.last, "indicators.tsv:7: bad number '12,5'") != NULL);
    char *after = t_query(db, dump_sql);
    T_ASSERT_STR(after, before);
    bilat_free(before);
    bilat_free(after);
    bilat_db_close(db);
}

T_TEST(load_unknown_column_and_vocab)
{
    const char *dir = copy_mini("cols");
    T_ASSERT(dir != NULL);
    char cmd[8192];
    snprintf(cmd, sizeof(cmd),
             "sed -i '1s/^code\\tname/code\\tnmae/' '%s/actors.tsv' && "
             "sed -i 's/\\tparty\\tagreement\\t/\\tparty\\tagrement\\t/' '%s/events.tsv'",
             dir, dir);
    T_ASSERT_EQ_INT(system(cmd), 0);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("cols.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    struct t_diags d = {0};
    struct bilat_load_opts o = {NULL, {t_collect, &d}, NULL};
    const char *dirs[] = {dir};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, &o, NULL, &err), BILAT_EPARSE);
    /* header: unknown 'nmae' and missing 'name'; then every event row using an actor is fine
     * (actors failed, so their rows are unknown), plus the misspelt mode */
    T_ASSERT(d.errors >= 3);
    char *v = t_query(db, "SELECT count(*) FROM actor");
    T_ASSERT_STR(v, "0\n");
    bilat_free(v);
    bilat_db_close(db);
}

T_TEST(readonly_refuses_writes)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("ro.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    bilat_db_close(db);
    T_ASSERT_EQ_INT(bilat_db_open(t_path("ro.db"), BILAT_OPEN_READONLY, &db, &err), 0);
    struct bilat_buf b = BILAT_BUF_INIT;
    T_ASSERT_EQ_INT(bilat_sql_each(db, "DELETE FROM actor", t_row_text, &b, &err), BILAT_ESQL);
    T_ASSERT(strstr(err.msg, "read-only") != NULL);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "SELECT 1; SELECT 2", t_row_text, &b, &err), BILAT_EINVAL);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "SELEC 1", t_row_text, &b, &err), BILAT_ESQL);
    const char *dirs[] = {mini};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, NULL, &err), BILAT_EINVAL);
    bilat_buf_release(&b);
    bilat_db_close(db);
}

T_TEST(profile_document)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("prof.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {mini};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, NULL, &err), 0);
    struct bilat_profile_opts o = {.a = "KHM", .b = "CHN"};
    json_t *doc = NULL;
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    const json_t *secs = json_object_get(doc, "sections");
    T_ASSERT(json_array_size(secs) >= 5);
    const json_t *byyear = NULL, *timeline = NULL, *agg = NULL;
    size_t i;
    const json_t *s;
    json_array_foreach(secs, i, s)
    {
        const char *id = json_string_value(json_object_get(s, "id"));
        if (strcmp(id, "events_by_year") == 0)
            byyear = s;
        if (strcmp(id, "timeline") == 0)
            timeline = s;
        if (strcmp(id, "aggregates") == 0)
            agg = s;
    }
    T_ASSERT(byyear && timeline && agg);
    /* 3 dated events in 3 years; the range record is not spread over years */
    T_ASSERT_EQ_INT(json_array_size(json_object_get(byyear, "rows")), 3);
    T_ASSERT_EQ_INT(json_array_size(json_object_get(timeline, "rows")), 3);
    T_ASSERT_EQ_INT(json_array_size(json_object_get(agg, "rows")), 1);
    T_ASSERT_EQ_INT(json_array_size(json_object_get(doc, "sources")), 1);
    json_decref(doc);
    /* a party side matches the party, and persons while they hold its office: Hun Sen, CPP
     * president from 2015-06, keeps his 2020 visit in the CPP-China profile */
    o.a = "KHMGOVPTYCPP";
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "id")), "timeline") == 0)
            T_ASSERT_EQ_INT(json_array_size(json_object_get(s, "rows")), 3);
    }
    json_decref(doc);
    /* ... but not in a CPP-CPC profile: the visit is with the state of China */
    o.b = "CHNGOVPTYCPC";
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "id")), "timeline") == 0)
            T_ASSERT_EQ_INT(json_array_size(json_object_get(s, "rows")), 2);
    }
    json_decref(doc);
    o.b = "CHN";
    /* the year filter keeps records whose span overlaps it */
    o.a = "KHM";
    o.from = 2011;
    o.to = 2019;
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        const char *id = json_string_value(json_object_get(s, "id"));
        if (strcmp(id, "timeline") == 0 || strcmp(id, "aggregates") == 0)
            T_ASSERT_EQ_INT(json_array_size(json_object_get(s, "rows")), 1);
    }
    json_decref(doc);
    o.a = "XYZ";
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), BILAT_ENOTFOUND);
    o.a = "KH M";
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), BILAT_EINVAL);
    o.a = "CHN";
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), BILAT_EINVAL);
    bilat_db_close(db);
}

T_TEST(report_escapes_and_writes_atomically)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("rep.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {mini};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, NULL, &err), 0);
    struct bilat_profile_opts o = {.a = "KHM", .b = "CHN", .command = "bilat report KHM CHN"};
    const char *out = t_path("r.html");
    T_ASSERT_EQ_INT(bilat_profile_save(db, &o, BILAT_FORMAT_HTML, out, &err), 0);
    FILE *f = fopen(out, "rb");
    T_ASSERT(f != NULL);
    static char html[1 << 20];
    size_t n = fread(html, 1, sizeof(html) - 1, f);
    fclose(f);
    html[n] = '\0';
    T_ASSERT(strstr(html, "A &lt;b&gt;visit&lt;/b&gt; &amp; more.") != NULL);
    T_ASSERT(strstr(html, "<b>visit</b>") == NULL);
    T_ASSERT(strstr(html, "<svg") != NULL);
    T_ASSERT(strstr(html, "id=\"src-brief\"") != NULL);
    T_ASSERT(strstr(html, "http") == NULL || strstr(html, "<script") == NULL);
    /* a directory that does not exist: an error, and no file left behind */
    T_ASSERT_EQ_INT(bilat_profile_save(db, &o, BILAT_FORMAT_HTML, "/nonexistent/dir/r.html", &err), BILAT_EIO);
    bilat_db_close(db);
}

T_TEST(out_of_memory_is_clean)
{
    /* Fail the n-th allocation for n = 1, 2, ... until a load and a report both succeed; each
     * failing run must return BILAT_ENOMEM (or succeed) and leak nothing (ASan checks). */
    if (!t_oom_can_run("out_of_memory_is_clean"))
        return;
    unsigned long tries = 0, last = 0;
    int done = 0;
    for (unsigned long n = 1; n < 100000 && !done; n = t_oom_next(n)) {
        bilat_db *db = NULL;
        struct bilat_err err = {0};
        char name[64];
        snprintf(name, sizeof(name), "oom-%lu.db", n);
        bilat_alloc_fail_after(n);
        int rc = bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err);
        const char *dirs[] = {mini};
        if (rc == 0)
            rc = bilat_load_dirs(db, dirs, 1, NULL, NULL, &err);
        char *text = NULL;
        struct bilat_profile_opts o = {.a = "KHM", .b = "CHN"};
        if (rc == 0)
            rc = bilat_profile_render(db, &o, BILAT_FORMAT_TEXT, &text, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = n;
        bilat_free(text);
        bilat_db_close(db);
        unlink(t_path(name));
        if (rc != 0 && rc != BILAT_ENOMEM)
            T_FAIL_("allocation %lu: unexpected %s: %s", n, bilat_errname(rc), err.msg);
        done = rc == 0;
        if (done && getenv("T_VERBOSE"))
            fprintf(stderr, "out_of_memory_is_clean: succeeded from allocation %lu on\n", n);
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("out_of_memory_is_clean", tries - 1, last);
}

/* One rule for a record's dates, precision and quantity: events.tsv and POST /api/events give
 * the same reasons (store/event_check.c). */
T_TEST(event_check_rules)
{
    struct bilat_date a, b;
    char why[256];
    T_ASSERT_EQ_INT(event_check_dates("2024-05", NULL, "month", &a, &b, why, sizeof(why)), 0);
    T_ASSERT_EQ_INT(event_check_dates("1996", "2020", "range", &a, &b, why, sizeof(why)), 0);
    T_ASSERT_EQ_INT(event_check_dates("1996", "", "range", &a, &b, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "precision 'range' needs a date_to");
    T_ASSERT_EQ_INT(event_check_dates("1997", NULL, "month", &a, &b, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "precision 'month' does not match date_from '1997'");
    T_ASSERT_EQ_INT(event_check_dates("2020", "2019", "range", &a, &b, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "date_to '2019' is before date_from '2020'");
    T_ASSERT_EQ_INT(event_check_dates("1996-13", NULL, "month", &a, &b, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "bad date '1996-13' in column 'date_from' (expected YYYY, YYYY-MM or "
                      "YYYY-MM-DD)");
    T_ASSERT_EQ_INT(event_check_dates("1996", "1799", "range", &a, &b, why, sizeof(why)), -1);
    T_ASSERT(strstr(why, "date '1799' in column 'date_to' is out of range (years 1800 to"));
    T_ASSERT_EQ_INT(event_check_dates("1996", NULL, "weekly", &a, &b, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "bad precision 'weekly' (expected day, month, year or range)");
    double q = 0;
    bool has = true;
    T_ASSERT_EQ_INT(event_check_quantity(NULL, NULL, &q, &has, why, sizeof(why)), 0);
    T_ASSERT(!has);
    T_ASSERT_EQ_INT(event_check_quantity("40", "scholarships", &q, &has, why, sizeof(why)), 0);
    T_ASSERT(has && q == 40);
    T_ASSERT_EQ_INT(event_check_quantity("-1", "visits", &q, &has, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "value '-1' in column 'quantity' is out of range: from 0 to 10^12 (a "
                      "count), unit visits");
    T_ASSERT_EQ_INT(event_check_quantity("1,5", NULL, &q, &has, why, sizeof(why)), -1);
    T_ASSERT_STR(why, "bad number '1,5' in column 'quantity'");
}

/* A new store `name` (under the test's directory) with the shipped data loaded, open for
 * writing; NULL (the reason printed) when it cannot be made. */
static bilat_db *shipped_store(const char *name)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    const char *dirs[] = {"data/reference", "data/series", "data/khm-chn"};
    if (bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err) < 0 ||
        bilat_load_dirs(db, dirs, 3, NULL, NULL, &err) < 0) {
        fprintf(stderr, "%s: %s\n", name, err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

/* A profile built by two connections at once (opts.jobs, a store opened read-only) is the
 * same text as one built by one, in both JSON layouts, and as the document written whole. */
T_TEST(profile_two_connections_same_text)
{
    struct bilat_err err = {0};
    bilat_db *db = shipped_store("two.db");
    T_ASSERT(db != NULL);
    bilat_db_close(db);
    T_ASSERT_EQ_INT(bilat_db_open(t_path("two.db"), BILAT_OPEN_READONLY, &db, &err), 0);
    static const struct {
        const char *a, *b;
        int from, to;
    } cases[] = {{"KHM", "CHN", 0, 0}, {"CHN", "KHM", 2000, 2010}, {"KHMGOVPTYCPP", "CHN", 2015, 0}};
    static const enum bilat_format formats[] = {BILAT_FORMAT_JSON, BILAT_FORMAT_JSON_COMPACT};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (size_t f = 0; f < 2; f++) {
            struct bilat_profile_opts o = {.a = cases[i].a, .b = cases[i].b,
                                           .from = cases[i].from, .to = cases[i].to,
                                           .command = "bilat profile", .jobs = 1};
            char *one = NULL, *two = NULL, *whole = NULL;
            T_ASSERT_EQ_INT(bilat_profile_render(db, &o, formats[f], &one, &err), 0);
            o.jobs = 2;
            T_ASSERT_EQ_INT(bilat_profile_render(db, &o, formats[f], &two, &err), 0);
            json_t *doc = NULL;
            T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
            whole = table_dump(doc, formats[f] == BILAT_FORMAT_JSON_COMPACT);
            json_decref(doc);
            T_ASSERT(one && strlen(one) > 10000);
            T_ASSERT_STR(two, one);
            T_ASSERT_STR(whole, one);
            bilat_free(one);
            bilat_free(two);
            bilat_free(whole);
        }
    bilat_db_close(db);
}

/* With opts.keep the sections that do not depend on the period are kept by the connection for
 * its next profile of the dyad: the texts are those built afresh, for other periods and other
 * dyads in between, and once the store changes they follow the change. */
T_TEST(profile_kept_sections_follow_the_store)
{
    struct bilat_err err = {0};
    bilat_db *db = shipped_store("kept.db");
    T_ASSERT(db != NULL);
    static const struct {
        const char *a, *b;
        int from;
    } steps[] = {{"KHM", "CHN", 0}, {"KHM", "CHN", 2010}, {"LAO", "CHN", 0}, {"KHM", "CHN", 2015}};
    char *before = NULL;
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            struct bilat_profile_opts o = {.a = steps[i].a, .b = steps[i].b,
                                           .from = steps[i].from, .keep = 1};
            char *kept = NULL, *fresh = NULL;
            T_ASSERT_EQ_INT(bilat_profile_render(db, &o, BILAT_FORMAT_JSON, &kept, &err), 0);
            o.keep = 0;
            T_ASSERT_EQ_INT(bilat_profile_render(db, &o, BILAT_FORMAT_JSON, &fresh, &err), 0);
            T_ASSERT_STR(kept, fresh);
            if (round == 0 && i == 3)
                before = kept;
            else if (round == 1 && i == 3)
                T_ASSERT(before && strcmp(before, kept) != 0); /* the change shows */
            if (kept != before)
                bilat_free(kept);
            bilat_free(fresh);
        }
        /* a change the narratives section shows */
        T_ASSERT_EQ_INT(store_exec(db, "UPDATE concept SET name = 'Renamed ' || name", &err), 0);
    }
    bilat_free(before);
    bilat_db_close(db);
}
