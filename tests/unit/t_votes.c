/*
 * t_votes.c: UN votes: the measures against the hand-computed cases of docs/MEASURES.md, the
 * readers (quoted "NA" is Namibia, an unquoted NA a missing code), ingest (counts, idempotence,
 * every bad row reported, nothing half-ingested), ideal points, series, ranks, splits, all
 * pairs (checked against a naive count over random votes), lead-lag, channels and the profile
 * sections. Fixtures: tests/data/unvotes, tests/data/unvotes_bad, tests/data/mini.
 */
#include "t.h"
#include "t_util.h"

#include "analytics/channels.h"
#include "analytics/dyad.h"
#include "analytics/profile.h"
#include "analytics/stats.h"
#include "analytics/vote_measures.h"
#include "analytics/votes.h"
#include "bilat.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "ingest/unvotes.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <unistd.h>

static const char *fx = "tests/data/unvotes";
static const char *fxbad = "tests/data/unvotes_bad";

static const char *path_in(const char *dir, const char *file)
{
    static char p[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof(p[k]), "%s/%s", dir, file);
    return p[k];
}

static int first_int(void *ctx, int ncol, const char *const *names, const char *const *v)
{
    (void)names;
    int64_t *out = ctx;
    if (v && ncol > 0 && v[0])
        *out = strtoll(v[0], NULL, 10);
    return 0;
}

static int rowcat(void *ctx, int ncol, const char *const *names, const char *const *v)
{
    (void)names;
    struct bilat_buf *b = ctx;
    if (v && ncol > 0 && v[0])
        bilat_buf_adds(b, v[0]);
    return 0;
}

/* The first integer of a query's first row (-1 when none). */
static int64_t count(bilat_db *db, const char *sql)
{
    int64_t v = -1;
    struct bilat_err err = {0};
    if (bilat_sql_each(db, sql, first_int, &v, &err) < 0)
        fprintf(stderr, "query failed: %s\n", err.msg);
    return v;
}

static double sql_double(bilat_db *db, const char *sql)
{
    struct bilat_err err = {0};
    struct bilat_buf b = BILAT_BUF_INIT;
    bilat_sql_each(db, sql, rowcat, &b, &err);
    double v = b.len ? strtod(b.buf, NULL) : NAN;
    bilat_buf_release(&b);
    return v;
}

/* A fresh store with the mini reference and the vote fixture ingested (source 'brief'). */
static bilat_db *fixture_db(const char *name, struct bilat_unvotes_stats *st)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    unlink(t_path(name));
    if (bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err) < 0)
        return NULL;
    const char *dirs[] = {"tests/data/mini"};
    struct bilat_unvotes_opts o = {"brief", {NULL, NULL}};
    const char *files[] = {path_in(fx, "votes.csv"), path_in(fx, "generic.csv"),
                           path_in(fx, "issues.csv"), path_in(fx, "calls.csv")};
    if (bilat_load_dirs(db, dirs, 1, NULL, NULL, &err) < 0 ||
        bilat_unvotes_ingest(db, files, 4, &o, st, &err) < 0 ||
        bilat_idealpoints_ingest(db, (const char *[]){path_in(fx, "ideal.csv")}, 1, &o, NULL,
                                 &err) < 0) {
        fprintf(stderr, "fixture: %s\n", err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

/* ------------------------------------------------------------------------------------------ */
/* The measures (docs/MEASURES.md, worked examples)                                            */

static double measure(const struct vote_table *t, enum bilat_vote_measure m, int *has,
                      const char **why)
{
    double v;
    *has = vote_measure_value(t, m, &v, why);
    return v;
}

T_TEST(measures_example_a)
{
    /* 10 roll calls: YY YY YY YY YA YN AA AY NN NA (A's vote first) */
    struct vote_table t = {{{4, 1, 1}, {1, 1, 0}, {0, 1, 1}}};
    int has;
    const char *why;
    T_ASSERT_EQ_INT(vote_table_n(&t), 10);
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_AGREE, &has, &why), 0.75, 1e-15);
    T_ASSERT(has);
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_EXACT, &has, &why), 0.6, 1e-15);
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_S, &has, &why), 0.5, 1e-15);
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_KAPPA, &has, &why), 32.0 / 82.0, 1e-15);
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_PI, &has, &why), 126.0 / 326.0, 1e-15);
    /* the distance form of kappa: 1 - D_o / D_e with D_o = 0.5, D_e = 0.82 */
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_KAPPA, &has, &why), 1 - 0.5 / 0.82, 1e-12);
    T_ASSERT_NEAR(measure(&t, BILAT_VOTE_PI, &has, &why), 1 - 0.5 / 0.815, 1e-12);
}

T_TEST(measures_s_is_linear_in_agree)
{
    /* S with d_max fixed at 2 is exactly 2 agree - 1 on any table */
    unsigned seed = 7;
    for (int rep = 0; rep < 200; rep++) {
        struct vote_table t = {{{0}}};
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                t.c[i][j] = (seed = seed * 1103515245u + 12345u) >> 27;
        if (!vote_table_n(&t))
            continue;
        int has;
        const char *why;
        double ag = measure(&t, BILAT_VOTE_AGREE, &has, &why);
        T_ASSERT_NEAR(measure(&t, BILAT_VOTE_S, &has, &why), 2 * ag - 1, 1e-12);
        /* exact <= agree always: a half point is never less than nothing */
        T_ASSERT(measure(&t, BILAT_VOTE_EXACT, &has, &why) <= ag + 1e-15);
    }
}

T_TEST(measures_undefined_and_extremes)
{
    int has;
    const char *why;
    struct vote_table none = {{{0}}};
    for (int m = BILAT_VOTE_AGREE; m <= BILAT_VOTE_KAPPA; m++) {
        double v = measure(&none, (enum bilat_vote_measure)m, &has, &why);
        T_ASSERT(!has);
        T_ASSERT(v == 0); /* never NaN */
        T_ASSERT_STR(why, vote_why_no_shared);
    }
    struct vote_table same = {{{5, 0, 0}, {0, 0, 0}, {0, 0, 0}}}; /* both yes, 5 times */
    T_ASSERT_NEAR(measure(&same, BILAT_VOTE_AGREE, &has, &why), 1, 0);
    T_ASSERT_NEAR(measure(&same, BILAT_VOTE_S, &has, &why), 1, 0);
    measure(&same, BILAT_VOTE_KAPPA, &has, &why);
    T_ASSERT(!has);
    T_ASSERT_STR(why, vote_why_no_variation);
    measure(&same, BILAT_VOTE_PI, &has, &why);
    T_ASSERT(!has);
    struct vote_table opp = {{{0, 0, 3}, {0, 0, 0}, {0, 0, 0}}}; /* A yes, B no, 3 times */
    T_ASSERT_NEAR(measure(&opp, BILAT_VOTE_AGREE, &has, &why), 0, 0);
    T_ASSERT_NEAR(measure(&opp, BILAT_VOTE_S, &has, &why), -1, 0);
    T_ASSERT_NEAR(measure(&opp, BILAT_VOTE_KAPPA, &has, &why), 0, 0);
    T_ASSERT(has);
    T_ASSERT_NEAR(measure(&opp, BILAT_VOTE_PI, &has, &why), -1, 0);
}

T_TEST(measure_names)
{
    enum bilat_vote_measure m;
    T_ASSERT_EQ_INT(bilat_vote_measure_parse("KAPPA", &m), 0);
    T_ASSERT_EQ_INT(m, BILAT_VOTE_KAPPA);
    T_ASSERT_EQ_INT(bilat_vote_measure_parse("tau", &m), BILAT_EINVAL);
    T_ASSERT_STR(bilat_vote_measure_name(BILAT_VOTE_PI), "pi");
}

/* ------------------------------------------------------------------------------------------ */
/* Readers                                                                                     */

struct collected {
    int calls, issues, votes, ideal, rejects;
    char quoted_na, bare_na; /* flags seen for NA fields */
    uint64_t reject_lines[32];
    char last_descr[64];
};

static int c_call(void *ctx, const struct unv_call *c)
{
    struct collected *k = ctx;
    k->calls++;
    snprintf(k->last_descr, sizeof(k->last_descr), "%s", c->description ? c->description : "");
    return 0;
}
static int c_issue(void *ctx, const struct unv_issue *i)
{
    (void)i;
    ((struct collected *)ctx)->issues++;
    return 0;
}
static int c_vote(void *ctx, const struct unv_vote_row *v)
{
    struct collected *k = ctx;
    k->votes++;
    if (v->country_len == 2 && memcmp(v->country, "NA", 2) == 0) {
        if (v->country_quoted)
            k->quoted_na = 1;
        else
            k->bare_na = 1;
    }
    return 0;
}
static int c_ideal(void *ctx, const struct unv_ideal *p)
{
    (void)p;
    ((struct collected *)ctx)->ideal++;
    return 0;
}
static void c_reject(void *ctx, uint64_t line, const char *msg)
{
    (void)msg;
    struct collected *k = ctx;
    if (k->rejects < 32)
        k->reject_lines[k->rejects] = line;
    k->rejects++;
}

static int parse_file(const char *path, struct collected *k)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    struct bilat_err err = {0};
    int rc = unv_read_file(path, 1 << 20, &b, &err);
    struct unv_sink s = {k, c_call, c_issue, c_vote, c_ideal, c_reject};
    if (rc == 0)
        rc = unv_parse(path, b.buf, b.len, &s, &err);
    bilat_buf_release(&b);
    return rc;
}

T_TEST(reader_kinds_and_quoting)
{
    T_ASSERT_EQ_INT(unv_classify("\"rcid\",\"cc\",\"vote\"\n", 19), UNV_VOTES);
    T_ASSERT_EQ_INT(unv_classify("rcid,country,country_code,vote", 30), UNV_VOTES);
    T_ASSERT_EQ_INT(unv_classify("RCID,Session,Date\r\n", 19), UNV_CALLS);
    T_ASSERT_EQ_INT(unv_classify("rcid,short_name,issue", 21), UNV_ISSUES);
    T_ASSERT_EQ_INT(unv_classify("ccode,year,idealpointall", 24), UNV_IDEAL);
    T_ASSERT_EQ_INT(unv_classify("who,what", 8), UNV_UNKNOWN);
    T_ASSERT_EQ_INT(unv_vote_code("Yes", 3), UNV_YES);
    T_ASSERT_EQ_INT(unv_vote_code("2", 1), UNV_ABSTAIN);
    T_ASSERT_EQ_INT(unv_vote_code("8", 1), UNV_ABSENT);
    T_ASSERT_EQ_INT(unv_vote_code("9", 1), UNV_NONMEMBER);
    T_ASSERT_EQ_INT(unv_vote_code("yess", 4), 0);

    struct collected k = {0};
    T_ASSERT_EQ_INT(parse_file(path_in(fx, "votes.csv"), &k), 0);
    T_ASSERT_EQ_INT(k.votes, 52); /* CRLF file: every row read */
    T_ASSERT_EQ_INT(k.rejects, 0);
    T_ASSERT(k.quoted_na); /* Namibia */
    T_ASSERT(k.bare_na);   /* the missing code */
    memset(&k, 0, sizeof(k));
    T_ASSERT_EQ_INT(parse_file(path_in(fx, "calls.csv"), &k), 0);
    T_ASSERT_EQ_INT(k.calls, 19); /* a description on two lines is one record */
    T_ASSERT_EQ_INT(k.rejects, 0);
}

T_TEST(reader_bad_rows_reported_with_lines)
{
    struct collected k = {0};
    T_ASSERT_EQ_INT(parse_file(path_in(fxbad, "votes_bad.csv"), &k), 0);
    /* the reader itself rejects: bad vote (4), field count (7), rcid 0 (8), unclosed quote (9);
     * unknown codes, duplicates and missing roll calls are for the store */
    T_ASSERT_EQ_INT(k.rejects, 4);
    T_ASSERT_EQ_INT(k.reject_lines[0], 4);
    T_ASSERT_EQ_INT(k.reject_lines[1], 7);
    T_ASSERT_EQ_INT(k.reject_lines[2], 8);
    T_ASSERT_EQ_INT(k.reject_lines[3], 9);
    memset(&k, 0, sizeof(k));
    struct bilat_buf b = BILAT_BUF_INIT;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(unv_read_file(path_in(fxbad, "not_votes.csv"), 1 << 20, &b, &err), 0);
    struct unv_sink s = {&k, c_call, c_issue, c_vote, c_ideal, c_reject};
    T_ASSERT_EQ_INT(unv_parse("not_votes.csv", b.buf, b.len, &s, &err), BILAT_EPARSE);
    T_ASSERT_EQ_INT(err.line, 1);
    bilat_buf_release(&b);
    T_ASSERT_EQ_INT(unv_read_file("tests/data/no-such-file.csv", 1 << 20, &b, &err),
                    BILAT_ENOTFOUND);
    bilat_buf_release(&b);
}

/* ------------------------------------------------------------------------------------------ */
/* Ingest                                                                                      */

T_TEST(ingest_counts_and_idempotent)
{
    struct bilat_unvotes_stats st = {0};
    bilat_db *db = fixture_db("ingest.db", &st);
    T_ASSERT(db != NULL);
    T_ASSERT_EQ_INT(st.files, 4);
    T_ASSERT_EQ_INT(st.calls, 19);
    T_ASSERT_EQ_INT(st.issues, 11);
    T_ASSERT_EQ_INT(st.votes, 53);
    T_ASSERT_EQ_INT(st.skipped, 2);   /* the unquoted NA and the non-member row */
    T_ASSERT_EQ_INT(st.unflagged, 1); /* importantvote NA */
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_vote WHERE country = 'NAM'"), 5);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_vote WHERE vote = 'absent'"), 1);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_call WHERE important_known = 0"), 1);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_call WHERE description LIKE 'TWO%LINES'"),
                    1);
    /* again: nothing duplicated */
    struct bilat_err err = {0};
    struct bilat_unvotes_opts o = {"brief", {NULL, NULL}};
    const char *files[] = {path_in(fx, "calls.csv"), path_in(fx, "votes.csv")};
    T_ASSERT_EQ_INT(bilat_unvotes_ingest(db, files, 2, &o, &st, &err), 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_vote"), 53);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_call"), 19);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM dataset WHERE name = 'ingest:unvotes'"), 1);
    bilat_db_close(db);
}

T_TEST(ingest_bad_rows_roll_back)
{
    struct bilat_unvotes_stats st = {0};
    bilat_db *db = fixture_db("bad.db", &st);
    T_ASSERT(db != NULL);
    struct t_diags d = {0};
    struct bilat_unvotes_opts o = {"brief", {t_collect, &d}};
    struct bilat_err err = {0};
    const char *bad[] = {path_in(fxbad, "votes_bad.csv")};
    T_ASSERT_EQ_INT(bilat_unvotes_ingest(db, bad, 1, &o, &st, &err), BILAT_EPARSE);
    /* unknown code (3), bad vote (4), duplicate (5), missing roll call (6), fields (7), rcid 0
     * (8), unclosed quote (9): every one reported, with its line */
    T_ASSERT_EQ_INT(d.errors, 7);
    T_ASSERT(strstr(d.all, "votes_bad.csv:3: unknown country code 'XX'") != NULL);
    T_ASSERT(strstr(d.all, "votes_bad.csv:5: duplicate vote of KHM on roll call 1 (first at line "
                           "2)") != NULL);
    T_ASSERT(strstr(d.all, "votes_bad.csv:6: roll call 999 is not in the store") != NULL);
    /* nothing half-ingested: the good first row (KHM yes on 1) did not overwrite anything new */
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_vote"), 53);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_vote WHERE rcid = 1 AND country = 'KHM' "
                              "AND vote = 'yes' AND dataset = 'ingest:unvotes'"),
                    1);
    memset(&d, 0, sizeof(d));
    const char *calls[] = {path_in(fxbad, "calls_bad.csv")};
    T_ASSERT_EQ_INT(bilat_unvotes_ingest(db, calls, 1, &o, &st, &err), BILAT_EPARSE);
    T_ASSERT_EQ_INT(d.errors, 5);
    T_ASSERT(strstr(d.all, "calls_bad.csv:2: bad date '2004-02-30'") != NULL);
    T_ASSERT(strstr(d.all, "calls_bad.csv:7: duplicate roll call 24 (first at line 6)") != NULL);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_call"), 19);
    const char *notv[] = {path_in(fxbad, "not_votes.csv")};
    T_ASSERT_EQ_INT(bilat_unvotes_ingest(db, notv, 1, &o, &st, &err), BILAT_EPARSE);
    T_ASSERT_EQ_INT(err.line, 1);
    struct bilat_unvotes_opts nosrc = {"no-such-source", {NULL, NULL}};
    const char *good[] = {path_in(fx, "calls.csv")};
    T_ASSERT_EQ_INT(bilat_unvotes_ingest(db, good, 1, &nosrc, &st, &err), BILAT_ENOTFOUND);
    bilat_db_close(db);
}

T_TEST(ideal_points_mapping_and_duplicates)
{
    bilat_db *db = fixture_db("ideal.db", NULL);
    T_ASSERT(db != NULL);
    /* 812 and 9812 both give LAO in 2000: LAO's own code (812) kept; 9812 in 2001 is LAO by the
     * file's own iso3c for that code; 565 with no iso3c is NAM by the country table */
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM ideal_point"), 6);
    T_ASSERT_EQ_INT(count(db, "SELECT cow FROM ideal_point WHERE country = 'LAO' AND year = 2000"),
                    812);
    T_ASSERT_EQ_INT(count(db, "SELECT cow FROM ideal_point WHERE country = 'LAO' AND year = 2001"),
                    9812);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM ideal_point WHERE country = 'NAM'"), 1);
    struct t_diags d = {0};
    struct bilat_unvotes_opts o = {"brief", {t_collect, &d}};
    struct bilat_err err = {0};
    const char *bad[] = {path_in(fxbad, "ideal_bad.csv")};
    T_ASSERT_EQ_INT(bilat_idealpoints_ingest(db, bad, 1, &o, NULL, &err), BILAT_EPARSE);
    /* year 1899 (5), abc (6), unknown COW 7777 (4), KHM twice in 2000 with one code (3) */
    T_ASSERT_EQ_INT(d.errors, 4);
    T_ASSERT(strstr(d.all, "ideal_bad.csv:4: unknown COW code 7777") != NULL);
    T_ASSERT(strstr(d.all, "ideal_bad.csv:3: second row for KHM in 2000") != NULL);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM ideal_point"), 6);
    /* the same COW code twice for one country-year: no way to choose, rejected */
    const char *dup = t_write_file("ideal_dup.csv", "ccode,iso3c,year,idealpointall\n"
                                                    "811,KHM,2000,-0.5\n811,KHM,2000,-0.6\n");
    memset(&d, 0, sizeof(d));
    T_ASSERT_EQ_INT(bilat_idealpoints_ingest(db, &dup, 1, &o, NULL, &err), BILAT_EPARSE);
    T_ASSERT(strstr(d.all, "ideal_dup.csv:3: second row for KHM in 2000") != NULL);
    bilat_db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* Series, ranks, splits, all pairs                                                            */

struct vals {
    int n;
    int period[16];
    int64_t nn[16];
    double v[16];
    int has[16];
    char why[16][200];
};

static int take(void *ctx, const struct bilat_vote_value *v)
{
    struct vals *s = ctx;
    if (s->n < 16) {
        s->period[s->n] = v->period;
        s->nn[s->n] = v->n;
        s->v[s->n] = v->value;
        s->has[s->n] = v->has_value;
        snprintf(s->why[s->n], sizeof(s->why[s->n]), "%s", v->why ? v->why : "");
    }
    s->n++;
    return 0;
}

static struct vals series(bilat_db *db, const char *a, const char *b, struct bilat_vote_filter f)
{
    struct vals s;
    memset(&s, 0, sizeof(s));
    struct bilat_err err = {0};
    if (bilat_votes_series(db, a, b, &f, take, &s, &err) < 0) {
        fprintf(stderr, "series: %s\n", err.msg);
        s.n = -1;
    }
    return s;
}

T_TEST(series_values_and_empty_periods)
{
    bilat_db *db = fixture_db("series.db", NULL);
    T_ASSERT(db != NULL);
    struct vals s =
        series(db, "KHM", "chn", (struct bilat_vote_filter){.measure = BILAT_VOTE_AGREE});
    T_ASSERT_EQ_INT(s.n, 4); /* 2000-2003 */
    T_ASSERT_EQ_INT(s.period[0], 2000);
    T_ASSERT_EQ_INT(s.nn[0], 10);
    T_ASSERT_NEAR(s.v[0], 0.75, 1e-15);
    T_ASSERT_NEAR(s.v[1], 1, 0);
    T_ASSERT_NEAR(s.v[2], 0, 0);
    T_ASSERT(!s.has[3]); /* 2003: KHM absent, CHN silent */
    T_ASSERT_STR(s.why[3], "no vote by either country on any roll call of this period");
    s = series(db, "KHM", "CHN", (struct bilat_vote_filter){.measure = BILAT_VOTE_KAPPA});
    T_ASSERT_NEAR(s.v[0], 32.0 / 82.0, 1e-15);
    T_ASSERT(!s.has[1]);
    T_ASSERT_STR(s.why[1], vote_why_no_variation);
    T_ASSERT_NEAR(s.v[2], 0, 0);
    s = series(db, "KHM", "CHN", (struct bilat_vote_filter){.measure = BILAT_VOTE_PI});
    T_ASSERT_NEAR(s.v[0], 126.0 / 326.0, 1e-15);
    T_ASSERT_NEAR(s.v[2], -1, 0);
    /* by session: session 55 holds rcid 11 of January 2001 too (Voeten's year 2000) */
    s = series(
        db, "KHM", "CHN",
        (struct bilat_vote_filter){.measure = BILAT_VOTE_AGREE, .by = BILAT_VOTE_BY_SESSION});
    T_ASSERT_EQ_INT(s.period[0], 55);
    T_ASSERT_EQ_INT(s.nn[0], 11);
    T_ASSERT_NEAR(s.v[0], 17.0 / 22.0, 1e-15);
    /* --issue hr (rcids 1-5) and --important (rcids 6 and 9) */
    s = series(db, "KHM", "CHN",
               (struct bilat_vote_filter){.measure = BILAT_VOTE_AGREE, .to = 2000, .issue = "hr"});
    T_ASSERT_EQ_INT(s.nn[0], 5);
    T_ASSERT_NEAR(s.v[0], 0.9, 1e-15);
    s = series(
        db, "KHM", "CHN",
        (struct bilat_vote_filter){.measure = BILAT_VOTE_AGREE, .to = 2001, .important_only = 1});
    T_ASSERT_EQ_INT(s.nn[0], 2);
    T_ASSERT_NEAR(s.v[0], 0.5, 1e-15);
    T_ASSERT(!s.has[1]);
    /* ideal points */
    s = series(db, "KHM", "CHN", (struct bilat_vote_filter){.measure = BILAT_VOTE_IDEAL});
    T_ASSERT_EQ_INT(s.n, 2);
    T_ASSERT_NEAR(s.v[0], 0.6, 1e-12);
    T_ASSERT_EQ_INT(s.nn[0], 60);
    T_ASSERT(!s.has[1]);
    s = series(
        db, "KHM", "CHN",
        (struct bilat_vote_filter){.measure = BILAT_VOTE_IDEAL, .ideal_variant = 2, .to = 2000});
    T_ASSERT_NEAR(s.v[0], 0.55, 1e-12);
    /* errors */
    struct bilat_err err = {0};
    struct vals dummy;
    struct bilat_vote_filter f = {.measure = BILAT_VOTE_AGREE};
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "XYZ", &f, take, &dummy, &err), BILAT_ENOTFOUND);
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "KHM", &f, take, &dummy, &err), BILAT_EINVAL);
    f.issue = "nope";
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take, &dummy, &err), BILAT_ENOTFOUND);
    f = (struct bilat_vote_filter){.measure = BILAT_VOTE_IDEAL, .important_only = 1};
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take, &dummy, &err), BILAT_EINVAL);
    bilat_db_close(db);
}

T_TEST(agree_matches_an_independent_sql_query)
{
    /* Voeten's convention written as SQL over the raw votes, nothing shared with the C code */
    bilat_db *db = fixture_db("sql.db", NULL);
    T_ASSERT(db != NULL);
    static const char q[] =
        "SELECT avg(CASE WHEN a.vote = b.vote THEN 1.0 WHEN a.vote = 'abstain' OR b.vote = "
        "'abstain' THEN 0.5 ELSE 0.0 END) FROM un_vote a JOIN un_vote b ON b.rcid = a.rcid "
        "JOIN un_call c ON c.rcid = a.rcid WHERE a.country = '%s' AND b.country = '%s' AND "
        "a.vote <> 'absent' AND b.vote <> 'absent' AND substr(c.date, 1, 4) = '%d'";
    static const char *const pairs[][2] = {{"KHM", "CHN"}, {"CHN", "LAO"}, {"KHM", "NAM"}};
    for (int i = 0; i < 3; i++) {
        char sql[800];
        snprintf(sql, sizeof(sql), q, pairs[i][0], pairs[i][1], 2000);
        double want = sql_double(db, sql);
        struct vals s = series(db, pairs[i][0], pairs[i][1],
                               (struct bilat_vote_filter){.measure = BILAT_VOTE_AGREE, .to = 2000});
        T_ASSERT(s.n >= 1 && s.has[s.n - 1]);
        T_ASSERT_NEAR(s.v[s.n - 1], want, 1e-12);
    }
    bilat_db_close(db);
}

struct ranks {
    int n;
    int rank[8];
    char who[8][4];
    double v[8];
    int ranked;
};

static int take_rank(void *ctx, const struct bilat_vote_rank *r)
{
    struct ranks *k = ctx;
    if (k->n < 8) {
        k->rank[k->n] = r->rank;
        snprintf(k->who[k->n], 4, "%s", r->country);
        k->v[k->n] = r->value;
    }
    k->ranked = r->ranked;
    k->n++;
    return 0;
}

T_TEST(rank_ties_min_n_and_bloc)
{
    bilat_db *db = fixture_db("rank.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct bilat_vote_filter f = {.measure = BILAT_VOTE_AGREE, .from = 2000, .to = 2000};
    struct ranks k = {0};
    T_ASSERT_EQ_INT(bilat_votes_rank(db, "CHN", &f, NULL, 1, take_rank, &k, &err), 0);
    T_ASSERT_EQ_INT(k.n, 3);
    T_ASSERT_STR(k.who[0], "NAM"); /* 0.9 on 5 votes */
    T_ASSERT_STR(k.who[1], "KHM");
    T_ASSERT_NEAR(k.v[1], 0.75, 1e-15);
    T_ASSERT_STR(k.who[2], "LAO");
    T_ASSERT_NEAR(k.v[2], 0.65, 1e-15);
    memset(&k, 0, sizeof(k));
    T_ASSERT_EQ_INT(bilat_votes_rank(db, "CHN", &f, NULL, 10, take_rank, &k, &err), 0);
    T_ASSERT_STR(k.who[0], "KHM");
    T_ASSERT_EQ_INT(k.rank[0], 1);
    T_ASSERT_EQ_INT(k.ranked, 2);
    T_ASSERT_STR(k.who[2], "NAM");
    T_ASSERT_EQ_INT(k.rank[2], 0); /* too few shared votes: listed, not ranked */
    /* ties share the best rank: kappa of LAO (always yes) and NAM with CHN are both 0 */
    f.measure = BILAT_VOTE_KAPPA;
    memset(&k, 0, sizeof(k));
    T_ASSERT_EQ_INT(bilat_votes_rank(db, "CHN", &f, NULL, 1, take_rank, &k, &err), 0);
    T_ASSERT_STR(k.who[0], "KHM");
    T_ASSERT_EQ_INT(k.rank[1], 2);
    T_ASSERT_EQ_INT(k.rank[2], 2);
    /* a bloc: members as of the period's end */
    struct bilat_buf b = BILAT_BUF_INIT;
    T_ASSERT_EQ_INT(bilat_sql_each(db,
                                   "INSERT INTO bloc(bloc, iso3, date_from) VALUES "
                                   "('ASEAN', 'KHM', '1999-04-30'), ('ASEAN', 'LAO', "
                                   "'1997-07-23'), ('ASEAN', 'NAM', '2005-01-01')",
                                   rowcat, &b, &err),
                    0);
    bilat_buf_release(&b);
    f.measure = BILAT_VOTE_AGREE;
    memset(&k, 0, sizeof(k));
    T_ASSERT_EQ_INT(bilat_votes_rank(db, "CHN", &f, "asean", 1, take_rank, &k, &err), 0);
    T_ASSERT_EQ_INT(k.n, 2); /* NAM joins only in 2005 */
    T_ASSERT_STR(k.who[0], "KHM");
    T_ASSERT_STR(k.who[1], "LAO");
    T_ASSERT_EQ_INT(bilat_votes_rank(db, "CHN", &f, "NATO", 1, take_rank, &k, &err),
                    BILAT_ENOTFOUND);
    f.from = 0;
    T_ASSERT_EQ_INT(bilat_votes_rank(db, "CHN", &f, NULL, 1, take_rank, &k, &err), BILAT_EINVAL);
    bilat_db_close(db);
}

struct splits {
    int n;
    int64_t first;
    char issues[32], a[8], b[8];
};

static int take_split(void *ctx, const struct bilat_vote_split *s)
{
    struct splits *k = ctx;
    if (!k->n++) {
        k->first = s->rcid;
        snprintf(k->issues, sizeof(k->issues), "%s", s->issues);
        snprintf(k->a, sizeof(k->a), "%s", s->a_vote);
        snprintf(k->b, sizeof(k->b), "%s", s->b_vote);
    }
    return 0;
}

T_TEST(splits_list_differing_votes)
{
    bilat_db *db = fixture_db("splits.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct splits k = {0};
    struct bilat_vote_filter f = {.measure = BILAT_VOTE_AGREE};
    T_ASSERT_EQ_INT(bilat_votes_splits(db, "KHM", "CHN", &f, take_split, &k, &err), 0);
    T_ASSERT_EQ_INT(k.n, 7); /* rcids 5, 6, 8, 10, 16, 17, 18 */
    T_ASSERT_EQ_INT(k.first, 5);
    T_ASSERT_STR(k.issues, "hr");
    T_ASSERT_STR(k.a, "yes");
    T_ASSERT_STR(k.b, "abstain");
    memset(&k, 0, sizeof(k));
    f.from = 2001;
    T_ASSERT_EQ_INT(bilat_votes_splits(db, "KHM", "CHN", &f, take_split, &k, &err), 0);
    T_ASSERT_EQ_INT(k.n, 3);
    bilat_db_close(db);
}

struct pairs {
    int n;
    double khm_chn_2000;
    char order[64][12];
};

static int take_pair(void *ctx, const struct bilat_vote_value *v)
{
    struct pairs *k = ctx;
    if (k->n < 64)
        snprintf(k->order[k->n], 12, "%s%s%d", v->a, v->b, v->period % 100);
    if (strcmp(v->a, "CHN") == 0 && strcmp(v->b, "KHM") == 0 && v->period == 2000)
        k->khm_chn_2000 = v->value;
    k->n++;
    return 0;
}

T_TEST(all_pairs_fixture)
{
    bilat_db *db = fixture_db("pairs.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct pairs k = {0};
    struct bilat_vote_filter f = {.measure = BILAT_VOTE_AGREE};
    T_ASSERT_EQ_INT(bilat_votes_all_pairs(db, &f, take_pair, &k, &err), 0);
    T_ASSERT_EQ_INT(k.n, 8); /* six pairs in 2000, one in 2001, one in 2002, none in 2003 */
    T_ASSERT_STR(k.order[0], "CHNKHM0");
    T_ASSERT_STR(k.order[5], "LAONAM0");
    T_ASSERT_STR(k.order[7], "CHNKHM2");
    T_ASSERT_NEAR(k.khm_chn_2000, 0.75, 1e-15);
    bilat_db_close(db);
}

/* Random votes over several 64-bit words, checked against a naive count. */
T_TEST(all_pairs_match_naive_counts)
{
    enum { NC = 5, NR = 150 };
    static const char *const iso[NC] = {"CHN", "KHM", "LAO", "NAM", "CHN"};
    char vote[NC][NR];
    unsigned seed = 12345;
    struct bilat_buf calls = BILAT_BUF_INIT, votes = BILAT_BUF_INIT;
    bilat_buf_adds(&calls, "rcid,session,date\n");
    bilat_buf_adds(&votes, "rcid,country,vote\n");
    for (int r = 0; r < NR; r++) {
        bilat_buf_addf(&calls, "%d,60,2005-%02d-%02d\n", 100 + r, 1 + r % 12, 1 + r % 28);
        for (int c = 0; c < 4; c++) {
            seed = seed * 1103515245u + 12345u;
            int x = (int)((seed >> 16) % 5); /* yes, abstain, no, absent, none */
            vote[c][r] = "yanx-"[x];
            if (x < 4)
                bilat_buf_addf(&votes, "%d,%s,%c\n", 100 + r, iso[c], vote[c][r]);
        }
    }
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    unlink(t_path("random.db"));
    T_ASSERT_EQ_INT(bilat_db_open(t_path("random.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {"tests/data/mini"};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 1, NULL, NULL, &err), 0);
    char calls_path[4096];
    snprintf(calls_path, sizeof(calls_path), "%s", t_write_file("r_calls.csv", calls.buf));
    const char *files[2] = {calls_path, t_write_file("r_votes.csv", votes.buf)};
    struct bilat_unvotes_opts o = {"brief", {NULL, NULL}};
    int rc = bilat_unvotes_ingest(db, files, 2, &o, NULL, &err);
    bilat_buf_release(&calls);
    bilat_buf_release(&votes);
    T_ASSERT_EQ_INT(rc, 0);
    for (int m = BILAT_VOTE_AGREE; m <= BILAT_VOTE_KAPPA; m++) {
        struct vals s;
        for (int i = 0; i < 4; i++)
            for (int j = i + 1; j < 4; j++) {
                struct vote_table t = {{{0}}};
                for (int r = 0; r < NR; r++) {
                    const char *p = "yan", *x = strchr(p, vote[i][r]), *y = strchr(p, vote[j][r]);
                    if (x && y && vote[i][r] && vote[j][r])
                        t.c[x - p][y - p]++;
                }
                double want;
                const char *why;
                int has = vote_measure_value(&t, (enum bilat_vote_measure)m, &want, &why);
                s = series(db, iso[i], iso[j],
                           (struct bilat_vote_filter){.measure = (enum bilat_vote_measure)m});
                T_ASSERT_EQ_INT(s.n, 1);
                T_ASSERT_EQ_INT(s.nn[0], (int64_t)vote_table_n(&t));
                T_ASSERT_EQ_INT(s.has[0], has);
                T_ASSERT_NEAR(s.v[0], want, 1e-15);
            }
    }
    bilat_db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* Lead-lag, channels, profile                                                                 */

struct ll {
    int n;
    struct bilat_leadlag_row r[8];
};

static int take_ll(void *ctx, const struct bilat_leadlag_row *r)
{
    struct ll *k = ctx;
    if (k->n < 8)
        k->r[k->n] = *r;
    k->n++;
    return 0;
}

T_TEST(leadlag_pairs_and_errors)
{
    bilat_db *db = fixture_db("ll.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct bilat_leadlag_opts o = {"KHM", "CHN", "agree", "agree", 1, 0, 0, 200, 1, 1, 0.95};
    struct ll k = {0};
    T_ASSERT_EQ_INT(bilat_leadlag(db, &o, take_ll, &k, &err), 0);
    T_ASSERT_EQ_INT(k.n, 3); /* lags -1, 0, 1 */
    T_ASSERT_EQ_INT(k.r[1].lag, 0);
    T_ASSERT_EQ_INT(k.r[1].n, 3); /* 2000-2002 */
    T_ASSERT(k.r[1].has_r);
    T_ASSERT_NEAR(k.r[1].r, 1, 1e-12);
    T_ASSERT(!k.r[1].has_ci); /* three years: no interval */
    T_ASSERT_EQ_INT(k.r[0].n, 2);
    T_ASSERT(!k.r[0].has_r);
    o.max_lag = 11;
    T_ASSERT_EQ_INT(bilat_leadlag(db, &o, take_ll, &k, &err), BILAT_EINVAL);
    o.max_lag = 1;
    o.x = "tea_leaves";
    T_ASSERT_EQ_INT(bilat_leadlag(db, &o, take_ll, &k, &err), BILAT_EINVAL);
    /* party_intensity of the mini events: 1996 and 2011 are 1, the years between 0 */
    o.x = "party_intensity";
    o.y = "party_intensity";
    o.max_lag = 0;
    memset(&k, 0, sizeof(k));
    T_ASSERT_EQ_INT(bilat_leadlag(db, &o, take_ll, &k, &err), 0);
    T_ASSERT_EQ_INT(k.r[0].first, 1996);
    T_ASSERT_EQ_INT(k.r[0].last, 2020);
    T_ASSERT(k.r[0].has_ci);
    T_ASSERT(k.r[0].lo <= 1 + 1e-12 && k.r[0].hi >= 1 - 1e-12);
    bilat_db_close(db);
}

T_TEST(channels_hand_computed)
{
    bilat_db *db = fixture_db("chan.db", NULL);
    T_ASSERT(db != NULL);
    struct dyad_side a, b;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(dyad_resolve(db, "KHM", &a, &err), 0);
    T_ASSERT_EQ_INT(dyad_resolve(db, "CHN", &b, &err), 0);
    struct chan_series s;
    T_ASSERT_EQ_INT(channels_series(db, &a, &b, &s, &err), 0);
    T_ASSERT_EQ_INT(s.first, 1996);
    T_ASSERT_EQ_INT(s.last, 2020);
    T_ASSERT_EQ_INT(s.ranges, 1);
    const struct chan_year *y96 = &s.y[0], *y97 = &s.y[1], *y11 = &s.y[15], *y20 = &s.y[24];
    T_ASSERT_NEAR(y96->all, 1, 0);
    T_ASSERT_NEAR(y96->vi, 1, 1e-12);      /* a working visit: weight 1 */
    T_ASSERT_NEAR(y97->vi, 0.8, 1e-12);    /* decayed */
    T_ASSERT_NEAR(y96->all_r, 3.4, 1e-12); /* + 60 / 25 from the range record */
    T_ASSERT_NEAR(y97->vi_r, 0.8 * 3.4 + 2.4, 1e-12);
    T_ASSERT_NEAR(y11->party, 1, 0);                 /* the 2011 agreement: an exchange ... */
    T_ASSERT_NEAR(y11->vi, pow(0.8, 15), 1e-12);     /* ... but not a contact */
    T_ASSERT_NEAR(y20->vi, pow(0.8, 24) + 8, 1e-12); /* a leader's visit: weight 8 */
    T_ASSERT_NEAR(y20->party, 0, 0);
    T_ASSERT_NEAR(y20->party_r, 2.4, 1e-12);
    channels_series_release(&s);
    bilat_db_close(db);
}

T_TEST(profile_has_vote_sections_and_headline)
{
    bilat_db *db = fixture_db("prof.db", NULL);
    T_ASSERT(db != NULL);
    json_t *doc = NULL;
    struct bilat_err err = {0};
    struct bilat_profile_opts o = {.a = "KHM", .b = "CHN"};
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    json_t *secs = json_object_get(doc, "sections");
    T_ASSERT_STR(json_string_value(json_object_get(json_array_get(secs, 1), "id")), "headline");
    size_t i;
    json_t *sec, *series = NULL;
    int private_left = 0;
    json_array_foreach(secs, i, sec)
    {
        if (json_object_get(sec, "_headline"))
            private_left = 1;
        if (strcmp(json_string_value(json_object_get(sec, "id")), "alignment_series") == 0)
            series = sec;
    }
    T_ASSERT(!private_left);
    T_ASSERT(series != NULL);
    json_t *row = json_array_get(json_object_get(series, "rows"), 0);
    T_ASSERT_EQ_INT(json_integer_value(json_array_get(row, 0)), 2000);
    T_ASSERT_EQ_INT(json_integer_value(json_array_get(row, 2)), 10);
    T_ASSERT_NEAR(json_real_value(json_array_get(row, 4)), 0.75, 1e-12);
    json_decref(doc);
    bilat_db_close(db);
}

T_TEST(votes_out_of_memory_is_clean)
{
    /* every allocation of an ingest, a series, all pairs, a ranking and the profile may fail:
     * each failure is BILAT_ENOMEM, never a crash or a leak (ASan checks leaks) */
    if (!t_oom_can_run("votes_out_of_memory_is_clean"))
        return;
    unsigned long tries = 0, last = 0;
    int done = 0;
    for (unsigned long n = 1; n < 200000 && !done; n = t_oom_next(n)) {
        bilat_db *db = NULL;
        struct bilat_err err = {0};
        char name[64];
        snprintf(name, sizeof(name), "oomv-%lu.db", n);
        unlink(t_path(name));
        int rc = bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err);
        const char *dirs[] = {"tests/data/mini"};
        if (rc == 0)
            rc = bilat_load_dirs(db, dirs, 1, NULL, NULL, &err);
        bilat_alloc_fail_after(n);
        struct bilat_unvotes_opts o = {"brief", {NULL, NULL}};
        const char *files[] = {path_in(fx, "calls.csv"), path_in(fx, "issues.csv"),
                               path_in(fx, "votes.csv")};
        const char *ideal[] = {path_in(fx, "ideal.csv")};
        if (rc == 0)
            rc = bilat_unvotes_ingest(db, files, 3, &o, NULL, &err);
        if (rc == 0)
            rc = bilat_idealpoints_ingest(db, ideal, 1, &o, NULL, &err);
        struct vals s;
        memset(&s, 0, sizeof(s));
        struct bilat_vote_filter f = {.measure = BILAT_VOTE_KAPPA, .issue = "hr"};
        if (rc == 0)
            rc = bilat_votes_series(db, "KHM", "CHN", &f, take, &s, &err);
        struct pairs k = {0};
        f.issue = NULL;
        if (rc == 0)
            rc = bilat_votes_all_pairs(db, &f, take_pair, &k, &err);
        struct ranks r = {0};
        struct bilat_vote_filter fr = {.measure = BILAT_VOTE_AGREE, .from = 2000, .to = 2000};
        if (rc == 0)
            rc = bilat_votes_rank(db, "CHN", &fr, NULL, 1, take_rank, &r, &err);
        struct ll k2 = {0};
        struct bilat_leadlag_opts lo = {"KHM", "CHN", "party_intensity", "agree", 1, 0, 0,
                                        50, 1, 1, 0.9};
        if (rc == 0)
            rc = bilat_leadlag(db, &lo, take_ll, &k2, &err);
        char *text = NULL;
        struct bilat_profile_opts po = {.a = "KHM", .b = "CHN"};
        if (rc == 0)
            rc = bilat_profile_render(db, &po, BILAT_FORMAT_TEXT, &text, &err);
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
            fprintf(stderr, "votes_out_of_memory_is_clean: succeeded from allocation %lu on\n", n);
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("votes_out_of_memory_is_clean", tries - 1, last);
}

/* ------------------------------------------------------------------------------------------ */
/* Bootstrap intervals                                                                         */

struct ci_vals {
    int n;
    double v[8], lo[8], hi[8];
    int has_ci[8];
};

static int take_ci(void *ctx, const struct bilat_vote_value *v)
{
    struct ci_vals *s = ctx;
    if (s->n < 8 && v->has_value) {
        s->v[s->n] = v->value;
        s->lo[s->n] = v->lo;
        s->hi[s->n] = v->hi;
        s->has_ci[s->n] = v->has_ci;
        s->n++;
    }
    return 0;
}

/* The same seed gives the same interval; the interval holds the estimate; another seed draws
 * other resamples. Year 2000 of the fixture: 10 shared roll calls, agree 0.75. */
T_TEST(bootstrap_reproducible_by_seed)
{
    bilat_db *db = fixture_db("boot.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct bilat_vote_filter f = {.measure = BILAT_VOTE_AGREE, .from = 2000, .to = 2000,
                                  .ci_level = 0.9, .ci_reps = 500, .ci_seed = 7};
    struct ci_vals a = {0}, b = {0}, c = {0};
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take_ci, &a, &err), 0);
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take_ci, &b, &err), 0);
    T_ASSERT_EQ_INT(a.n, 1);
    T_ASSERT(a.has_ci[0]);
    T_ASSERT_NEAR(a.v[0], 0.75, 1e-15);
    T_ASSERT(a.lo[0] < a.v[0] && a.v[0] < a.hi[0]);
    T_ASSERT(a.lo[0] >= 0 && a.hi[0] <= 1);
    T_ASSERT_NEAR(a.lo[0], b.lo[0], 0);
    T_ASSERT_NEAR(a.hi[0], b.hi[0], 0);
    /* a much larger level widens the interval, a different seed moves it */
    f.ci_level = 0.99;
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take_ci, &c, &err), 0);
    T_ASSERT(c.lo[0] <= a.lo[0] && c.hi[0] >= a.hi[0]);
    int moved = 0;
    for (unsigned long seed = 8; seed < 12 && !moved; seed++) {
        struct ci_vals d = {0};
        f.ci_level = 0.9;
        f.ci_seed = seed;
        T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take_ci, &d, &err), 0);
        moved = d.lo[0] != a.lo[0] || d.hi[0] != a.hi[0];
    }
    T_ASSERT(moved);
    /* out-of-range settings are refused */
    f.ci_reps = 10;
    T_ASSERT_EQ_INT(bilat_votes_series(db, "KHM", "CHN", &f, take_ci, &c, &err), BILAT_EINVAL);
    bilat_db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* The vote summary (un_panel): a panel decoded from the store equals one read from the tables */

/* Append to `b` everything a panel answers: periods, roll calls, issues, countries in their
 * index order, presence, every pair's table per period, the important mask, sources. */
static void panel_print(const struct vote_panel *p, struct bilat_buf *b)
{
    size_t np = vote_panel_nperiods(p), nc = vote_panel_ncountries(p);
    bilat_buf_addf(b, "periods %zu countries %zu issues %zu\n", np, nc, vote_panel_nissues(p));
    for (size_t i = 0; i < vote_panel_nissues(p); i++)
        bilat_buf_addf(b, "issue %s %s\n", vote_panel_issue_code(p, i),
                       vote_panel_issue_name(p, i));
    uint64_t *imp = NULL;
    struct bilat_err err = {0};
    vote_panel_mask(p, 1, NULL, &imp, &err);
    for (size_t k = 0; k < np; k++)
        bilat_buf_addf(b, "period %d calls %zu important %zu unflagged %zu\n",
                       vote_panel_label(p, k), vote_panel_ncalls(p, k),
                       vote_panel_ncalls_masked(p, k, imp), vote_panel_unflagged(p, k));
    for (size_t c = 0; c < nc; c++) {
        bilat_buf_addf(b, "country %zu %s sorted %zu:", c, vote_panel_iso3(p, c),
                       vote_panel_sorted(p)[c]);
        for (size_t k = 0; k < np; k++)
            bilat_buf_addf(b, "%d", vote_panel_present(p, c, k));
        bilat_buf_addch(b, '\n');
        for (size_t d = 0; d < nc; d++)
            for (size_t k = 0; k < np; k++) {
                struct vote_table t = {{{0}}};
                vote_panel_add_table(p, c, d, k, imp, &t);
                bilat_buf_addf(b, " %zu.%zu.%zu:", c, d, k);
                for (int x = 0; x < 3; x++)
                    for (int y = 0; y < 3; y++)
                        bilat_buf_addf(b, "%llu,", (unsigned long long)t.c[x][y]);
            }
        bilat_buf_addch(b, '\n');
    }
    bilat_free(imp);
}

/* The panels of a set of slices, as text: as vote_panel_load() gives them, or (`direct`) as
 * read from the tables for each slice. */
static void slices_print_by(bilat_db *db, struct bilat_buf *b, int direct)
{
    static const char *const two[] = {"KHM", "CHN"}, *const three[] = {"LAO", "KHM", "LAO"};
    const struct {
        int by, from, to;
        const char *const *countries;
        size_t n;
    } s[] = {{BILAT_VOTE_BY_YEAR, 0, 0, NULL, 0},      {BILAT_VOTE_BY_YEAR, 2001, 0, NULL, 0},
             {BILAT_VOTE_BY_YEAR, 0, 2001, two, 2},    {BILAT_VOTE_BY_YEAR, 2002, 2002, three, 3},
             {BILAT_VOTE_BY_SESSION, 56, 0, NULL, 0},  {BILAT_VOTE_BY_YEAR, 1999, 1999, NULL, 0},
             {BILAT_VOTE_BY_SESSION, 0, 0, two, 2}};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
        struct vote_panel *p = NULL;
        struct bilat_err err = {0};
        int from = s[i].by == BILAT_VOTE_BY_SESSION && s[i].from ? s[i].from + 1945 : s[i].from;
        int rc = direct ? vote_panel_read(db, (enum bilat_vote_by)s[i].by, from, s[i].to,
                                          s[i].countries, s[i].n, &p, &err)
                        : vote_panel_load(db, (enum bilat_vote_by)s[i].by, from, s[i].to,
                                          s[i].countries, s[i].n, &p, &err);
        if (rc < 0) {
            bilat_buf_addf(b, "slice %zu: error %s\n", i, err.msg);
            continue;
        }
        bilat_buf_addf(b, "slice %zu\n", i);
        panel_print(p, b);
        vote_panel_free(p);
    }
    const struct vote_panel *w = NULL;
    struct bilat_err err = {0};
    if (vote_panel_whole(db, BILAT_VOTE_BY_YEAR, &w, &err) == 0)
        for (size_t k = 0; k < vote_panel_nperiods(w); k++)
            bilat_buf_addf(b, "sources %d %s\n", vote_panel_label(w, k),
                           vote_panel_sources(w, k) ? vote_panel_sources(w, k) : "-");
}

static void slices_print(bilat_db *db, struct bilat_buf *b)
{
    slices_print_by(db, b, 0);
}

/* The slices as a fresh handle sees them (no panel kept from before). */
static char *slices_fresh(const char *path)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    if (bilat_db_open(path, 0, &db, &err) < 0)
        return NULL;
    struct bilat_buf b = BILAT_BUF_INIT;
    slices_print(db, &b);
    bilat_db_close(db);
    return bilat_buf_detach(&b, NULL);
}

T_TEST(summary_panel_equals_tables)
{
    bilat_db *db = fixture_db("summary.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    /* no summary yet: the tables */
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_panel"), 0);
    bilat_db_close(db);
    char *tables = slices_fresh(t_path("summary.db"));
    T_ASSERT(tables != NULL);
    /* a slice of the whole panel is the panel the tables give for the slice */
    T_ASSERT_EQ_INT(bilat_db_open(t_path("summary.db"), 0, &db, &err), 0);
    struct bilat_buf direct = BILAT_BUF_INIT;
    slices_print_by(db, &direct, 1);
    bilat_db_close(db);
    T_ASSERT_STR(direct.buf, tables);
    bilat_buf_release(&direct);
    T_ASSERT(strstr(tables, "slice 6\n") != NULL);
    T_ASSERT(strstr(tables, "sources 2000 brief") != NULL);
    /* the summary, decoded by another handle, answers the same */
    T_ASSERT_EQ_INT(bilat_db_open(t_path("summary.db"), 0, &db, &err), 0);
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_panel"), 2);
    int64_t stamp = count(db, "SELECT stamp FROM un_panel WHERE by = 0");
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0); /* current: left as it is */
    T_ASSERT_EQ_INT(count(db, "SELECT stamp FROM un_panel WHERE by = 0"), stamp);
    bilat_db_close(db);
    char *summary = slices_fresh(t_path("summary.db"));
    T_ASSERT(summary != NULL);
    T_ASSERT_STR(summary, tables);
    bilat_free(summary);
    /* it is the summary that answers: votes removed behind its back (no bilat writer would)
     * are still in it */
    T_ASSERT_EQ_INT(bilat_db_open(t_path("summary.db"), 0, &db, &err), 0);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "SAVEPOINT s", NULL, NULL, &err), 0);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "DELETE FROM un_vote", NULL, NULL, &err), 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_vote"), 0);
    struct bilat_buf hidden = BILAT_BUF_INIT;
    slices_print(db, &hidden);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "ROLLBACK TO s", NULL, NULL, &err), 0);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "RELEASE s", NULL, NULL, &err), 0);
    bilat_db_close(db);
    T_ASSERT_STR(hidden.buf, tables);
    bilat_buf_release(&hidden);
    /* a damaged summary is not trusted: the tables answer */
    T_ASSERT_EQ_INT(bilat_db_open(t_path("summary.db"), 0, &db, &err), 0);
    T_ASSERT_EQ_INT(bilat_sql_each(db, "UPDATE un_panel SET data = x'4256503201020304'", NULL,
                                   NULL, &err),
                    0);
    bilat_db_close(db);
    summary = slices_fresh(t_path("summary.db"));
    T_ASSERT(summary != NULL);
    T_ASSERT_STR(summary, tables);
    bilat_free(summary);
    /* a writer of votes drops it in its transaction; a build makes it anew */
    T_ASSERT_EQ_INT(bilat_db_open(t_path("summary.db"), 0, &db, &err), 0);
    struct bilat_unvotes_opts o = {"brief", {NULL, NULL}};
    const char *files[] = {path_in(fx, "votes.csv"), path_in(fx, "calls.csv")};
    T_ASSERT_EQ_INT(bilat_unvotes_ingest(db, files, 2, &o, NULL, &err), 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_panel"), 0);
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0);
    T_ASSERT(count(db, "SELECT stamp FROM un_panel WHERE by = 0") != stamp);
    /* a rebuild asked for replaces a current one */
    stamp = count(db, "SELECT stamp FROM un_panel WHERE by = 0");
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 1, &err), 0);
    T_ASSERT(count(db, "SELECT stamp FROM un_panel WHERE by = 0") != stamp);
    bilat_db_close(db);
    summary = slices_fresh(t_path("summary.db"));
    T_ASSERT(summary != NULL);
    T_ASSERT_STR(summary, tables);
    bilat_free(summary);
    bilat_free(tables);
}

/* Random votes over several years, countries that start and stop voting, important flags and
 * issue tags: every slice of the whole panel equals the panel the tables give for it, and the
 * summary gives the same. */
/* A store of random votes over 1999-2002 (60 roll calls a year), countries that start and stop
 * voting, important flags and issue tags. NULL on failure (said on stderr). */
static bilat_db *random_store(const char *name)
{
    enum { NC = 4, NR = 240 };
    static const char *const iso[NC] = {"NAM", "KHM", "LAO", "CHN"};
    unsigned seed = 777;
    struct bilat_buf calls = BILAT_BUF_INIT, votes = BILAT_BUF_INIT, issues = BILAT_BUF_INIT;
    bilat_buf_adds(&calls, "rcid,session,importantvote,date\n");
    bilat_buf_adds(&votes, "rcid,country,vote\n");
    bilat_buf_adds(&issues, "rcid,short_name,issue\n");
    for (int r = 0; r < NR; r++) {
        int year = 1999 + r / 60; /* 1999 to 2002, 60 roll calls each */
        seed = seed * 1103515245u + 12345u;
        bilat_buf_addf(&calls, "%d,%d,%u,%d-%02d-%02d\n", 500 - r, year - 1945,
                       (seed >> 16) % 3 == 0, year, 1 + r % 12, 1 + r % 28);
        if ((seed >> 20) % 4 == 0)
            bilat_buf_addf(&issues, "%d,\"%s\",\"%s\"\n", 500 - r, (seed >> 22) % 2 ? "hr" : "nu",
                           (seed >> 22) % 2 ? "Human rights" : "Nuclear weapons");
        for (int c = 0; c < NC; c++) {
            /* NAM votes from 2001 on, CHN in 1999 only: the order in which the tables give
             * the countries differs between periods */
            if ((c == 0 && year < 2001) || (c == 3 && year > 1999))
                continue;
            seed = seed * 1103515245u + 12345u;
            int x = (int)((seed >> 16) % 5);
            if (x < 4)
                bilat_buf_addf(&votes, "%d,%s,%c\n", 500 - r, iso[c], "yanx"[x]);
        }
    }
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    unlink(t_path(name));
    if (bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err) < 0)
        return NULL;
    const char *dirs[] = {"tests/data/mini"};
    if (bilat_load_dirs(db, dirs, 1, NULL, NULL, &err) < 0) {
        bilat_db_close(db);
        return NULL;
    }
    char cp[4096], ip[4096];
    snprintf(cp, sizeof(cp), "%s", t_write_file("s_calls.csv", calls.buf));
    snprintf(ip, sizeof(ip), "%s", t_write_file("s_issues.csv", issues.buf));
    const char *files[3] = {cp, ip, t_write_file("s_votes.csv", votes.buf)};
    struct t_diags dg = {0};
    struct bilat_unvotes_opts o = {"brief", {t_collect, &dg}};
    int rc = bilat_unvotes_ingest(db, files, 3, &o, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "first: %s", dg.first);
    bilat_buf_release(&calls);
    bilat_buf_release(&votes);
    bilat_buf_release(&issues);
    if (rc < 0) {
        fprintf(stderr, "ingest: %s\n", err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

T_TEST(summary_random_slices)
{
    bilat_db *db = random_store("summary3.db");
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct bilat_buf direct = BILAT_BUF_INIT;
    slices_print_by(db, &direct, 1);
    bilat_db_close(db);
    T_ASSERT(strstr(direct.buf, "issue hr Human rights") != NULL);
    char *tables = slices_fresh(t_path("summary3.db"));
    T_ASSERT(tables != NULL);
    T_ASSERT_STR(tables, direct.buf);
    T_ASSERT_EQ_INT(bilat_db_open(t_path("summary3.db"), 0, &db, &err), 0);
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0);
    bilat_db_close(db);
    char *summary = slices_fresh(t_path("summary3.db"));
    T_ASSERT(summary != NULL);
    T_ASSERT_STR(summary, direct.buf);
    bilat_free(tables);
    bilat_free(summary);
    bilat_buf_release(&direct);
}

/* A curated load that writes roll calls or votes drops the summary too. */
T_TEST(summary_dropped_by_a_curated_load)
{
    bilat_db *db = fixture_db("summary2.db", NULL);
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_panel"), 2);
    /* a dataset without votes leaves it */
    const char *plain[] = {"tests/data/mini"};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, plain, 1, NULL, NULL, &err), 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_panel"), 2);
    /* one with roll calls and votes drops it */
    const char *with_votes[] = {"tests/data/mini", "tests/data/claims-mini"};
    int rc = bilat_load_dirs(db, with_votes, 2, NULL, NULL, &err);
    if (rc < 0)
        fprintf(stderr, "load: %s\n", err.msg);
    T_ASSERT_EQ_INT(rc, 0);
    T_ASSERT(count(db, "SELECT count(*) FROM un_vote WHERE dataset = 'claims-mini'") > 0);
    T_ASSERT_EQ_INT(count(db, "SELECT count(*) FROM un_panel"), 0);
    bilat_db_close(db);
}

/* The bootstrap's fast agree (two dot products a pair) gives what the 3x3 tables give: the
 * draws replayed here with the same generator, every pair's table counted naively. */
T_TEST(bootstrap_agree_matches_naive_tables)
{
    bilat_db *db = random_store("boot2.db");
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct vote_panel *p = NULL;
    T_ASSERT_EQ_INT(vote_panel_load(db, BILAT_VOTE_BY_YEAR, 2001, 2001, NULL, 0, &p, &err), 0);
    size_t nc = vote_panel_ncountries(p);
    T_ASSERT(nc >= 3);
    long a = vote_panel_find_country(p, "KHM");
    T_ASSERT(a >= 0);
    size_t others[8], no = 0;
    for (size_t c = 0; c < nc && no < 8; c++)
        if ((long)c != a)
            others[no++] = c;
    uint32_t pos[128];
    size_t n = vote_panel_positions(p, 0, 0, NULL, pos);
    T_ASSERT_EQ_INT(n, 60);
    enum { REPS = 400 };
    for (size_t only = 0; only <= 2; only++) {
        struct vote_boot_opts o = {REPS, 99, 0.9, true, only};
        struct vote_boot_out out[8];
        T_ASSERT_EQ_INT(vote_panel_bootstrap(p, BILAT_VOTE_AGREE, (size_t)a, others, no, pos, n,
                                             &o, out),
                        0);
        /* the same draws, counted the slow way */
        struct stats_rng *rng = stats_rng_new(99);
        T_ASSERT(rng != NULL);
        static double vals[8][REPS];
        static int ranks[8][REPS];
        for (size_t r = 0; r < REPS; r++) {
            uint32_t count[128] = {0};
            for (size_t i = 0; i < n; i++)
                count[stats_rng_below(rng, n)]++;
            for (size_t j = 0; j < no; j++) {
                struct vote_table tb = {{{0}}};
                for (size_t i = 0; i < n; i++) {
                    int va = vote_panel_vote_at(p, (size_t)a, pos[i]);
                    int vb = vote_panel_vote_at(p, others[j], pos[i]);
                    if (va >= 0 && vb >= 0)
                        tb.c[va][vb] += count[i];
                }
                const char *why;
                double v;
                vals[j][r] = vote_measure_value(&tb, BILAT_VOTE_AGREE, &v, &why) ? v : NAN;
            }
            for (size_t j = 0; j < no; j++) {
                int closer = 0;
                for (size_t k = 0; k < no; k++)
                    closer += !isnan(vals[k][r]) && vals[k][r] > vals[j][r];
                ranks[j][r] = isnan(vals[j][r]) ? 0 : closer + 1;
            }
        }
        stats_rng_free(rng);
        for (size_t j = 0; j < no; j++) {
            if (only && j != only - 1) {
                T_ASSERT(isnan(out[j].lo));
                continue;
            }
            double sorted[REPS];
            int rs[REPS];
            size_t got = 0, rgot = 0;
            for (size_t r = 0; r < REPS; r++) {
                if (!isnan(vals[j][r]))
                    sorted[got++] = vals[j][r];
                if (ranks[j][r] > 0)
                    rs[rgot++] = ranks[j][r];
            }
            for (size_t x = 1; x < got; x++)
                for (size_t y = x; y > 0 && sorted[y - 1] > sorted[y]; y--) {
                    double tmp = sorted[y];
                    sorted[y] = sorted[y - 1];
                    sorted[y - 1] = tmp;
                }
            for (size_t x = 1; x < rgot; x++)
                for (size_t y = x; y > 0 && rs[y - 1] > rs[y]; y--) {
                    int tmp = rs[y];
                    rs[y] = rs[y - 1];
                    rs[y - 1] = tmp;
                }
            T_ASSERT_EQ_INT(out[j].draws, (long long)got);
            T_ASSERT_NEAR(out[j].lo, stats_quantile_sorted(sorted, got, 0.05), 0);
            T_ASSERT_NEAR(out[j].hi, stats_quantile_sorted(sorted, got, 0.95), 0);
            T_ASSERT_EQ_INT(out[j].rank_lo, rs[(size_t)floor(0.05 * (double)(rgot - 1))]);
            T_ASSERT_EQ_INT(out[j].rank_hi, rs[(size_t)ceil(0.95 * (double)(rgot - 1))]);
        }
    }
    vote_panel_free(p);
    bilat_db_close(db);
}
