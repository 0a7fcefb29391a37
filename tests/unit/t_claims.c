/*
 * t_claims.c: claims (expectations, measure calls, the trend test, judging over a store),
 * the network's date rule and centrality, the narratives' Jaccard index, the web server
 * started in-process, and out-of-memory cleanliness of judging claims.
 * Fixtures: tests/data/mini and tests/data/claims-mini (run from the project root).
 */
#include "t.h"
#include "t_util.h"

#include "analytics/claims.h"
#include "analytics/narratives.h"
#include "analytics/network.h"
#include "bilat.h"
#include "core/alloc.h"
#include "store/claim_syntax.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

T_TEST(claim_expect_forms)
{
    static const struct {
        const char *in, *canon;
        enum claim_expect_kind kind;
    } ok[] = {
        {"> 60", "> 60", CE_CMP},           {">=0.4", ">= 0.4", CE_CMP},
        {" < 5 ", "< 5", CE_CMP},           {"<= -2.5", "<= -2.5", CE_CMP},
        {"= 2", "= 2", CE_CMP},             {"!= 0", "!= 0", CE_CMP},
        {"> 1e10", "> 10000000000", CE_CMP}, {"between 0.95 and 1.05", "between 0.95 and 1.05", CE_BETWEEN},
        {"rising", "rising", CE_RISING},    {"falling", "falling", CE_FALLING},
        {"top 1 CHN", "top 1 CHN", CE_TOP}, {"top  10   USA2", "top 10 USA2", CE_TOP},
    };
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        struct claim_expect e;
        char why[128] = "", out[64];
        T_ASSERT_EQ_INT(claim_expect_parse(ok[i].in, &e, why, sizeof(why)), 0);
        T_ASSERT_EQ_INT(e.kind, ok[i].kind);
        claim_expect_format(&e, out, sizeof(out));
        T_ASSERT_STR(out, ok[i].canon);
    }
    static const char *const bad[] = {"",         "   ",         "about 3",     "> x",
                                      "> 1 more", "> inf",       "> nan",       "between 5 and 1",
                                      "between 1", "between 1 or 2", "top 0 CHN", "top 1",
                                      "top 1 chn", "top 1.5 CHN", "rising fast", "=>3",
                                      NULL};
    for (size_t i = 0; bad[i]; i++) {
        struct claim_expect e;
        char why[128] = "";
        if (claim_expect_parse(bad[i], &e, why, sizeof(why)) != -1)
            T_FAIL_("'%s' parsed", bad[i]);
        T_ASSERT(why[0] != '\0');
    }
    struct claim_expect e;
    char why[64];
    T_ASSERT_EQ_INT(claim_expect_parse("between 1 and 2", &e, why, sizeof(why)), 0);
    T_ASSERT(claim_expect_holds(&e, 1) && claim_expect_holds(&e, 2) && !claim_expect_holds(&e, 2.01));
    T_ASSERT_EQ_INT(claim_expect_parse("> 60", &e, why, sizeof(why)), 0);
    T_ASSERT(!claim_expect_holds(&e, 60) && claim_expect_holds(&e, 60.5));
    T_ASSERT_EQ_INT(claim_expect_parse("!= 0", &e, why, sizeof(why)), 0);
    T_ASSERT(!claim_expect_holds(&e, 0) && claim_expect_holds(&e, -1));
}

T_TEST(claim_call_parse_and_check)
{
    struct claim_call c;
    char why[256];
    T_ASSERT_EQ_INT(claim_call_parse("nextgen_meetings person=KHMHUNMANET office=\"prime minister\" "
                                     "side=CHN",
                                     &c, why, sizeof(why)),
                    0);
    T_ASSERT_STR(c.name, "nextgen_meetings");
    T_ASSERT_EQ_INT(c.nargs, 3);
    T_ASSERT_STR(claim_call_arg(&c, "office"), "prime minister");
    T_ASSERT(claim_call_arg(&c, "count") == NULL);
    static const struct {
        const char *in, *why;
    } bad[] = {
        {"", "starts with the measure"},
        {"un_guess a=KHM", "unknown measure"},
        {"un_splits a=KHM", "needs b="},
        {"un_splits a=KHM b=CHN colour=red", "has no argument 'colour'"},
        {"un_splits a=KHM a=LAO b=CHN", "given twice"},
        {"un_splits a=KHM b=\"CHN", "unterminated"},
        {"un_splits a= b=CHN", "empty value"},
        {"un_splits a b=CHN", "expected key=value"},
        {"un_splits a=K\"HM b=CHN", "stray"},
        {"un_splits a=\"KHM\"x b=CHN", "right after the quoted"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (claim_call_parse(bad[i].in, &c, why, sizeof(why)) != -1)
            T_FAIL_("'%s' parsed", bad[i].in);
        if (!strstr(why, bad[i].why))
            T_FAIL_("'%s': reason '%s' lacks '%s'", bad[i].in, why, bad[i].why);
    }
    /* every listed measure has an implementation */
    size_t n;
    const struct claim_measure_desc *m = claim_measures(&n);
    T_ASSERT(n >= 4);
    for (size_t i = 0; i < n; i++)
        T_ASSERT(claim_measure_impl(m[i].name) != NULL);
    T_ASSERT(claim_measure_impl("nosuch") == NULL);
}

T_TEST(network_date_rule)
{
    T_ASSERT_EQ_INT(network_date_before("2023-07", "2023-08-22"), 1);
    T_ASSERT_EQ_INT(network_date_before("2023-08", "2023-08-22"), 0);
    T_ASSERT_EQ_INT(network_date_before("2023-08-21", "2023-08-22"), 1);
    T_ASSERT_EQ_INT(network_date_before("2023-08-22", "2023-08-22"), 0);
    T_ASSERT_EQ_INT(network_date_before("2022", "2023-08-22"), 1);
    T_ASSERT_EQ_INT(network_date_before("2023", "2023-08-22"), 0);
    T_ASSERT_EQ_INT(network_date_before("2023-12", "2024"), 1);
    T_ASSERT_EQ_INT(network_date_before("2023-13", "2024"), -1);
    T_ASSERT_EQ_INT(network_date_before("2023", "soon"), -1);
}

T_TEST(narratives_jaccard_index)
{
    T_ASSERT_NEAR(narratives_jaccard(3, 3, 2), 0.5, 1e-12);
    T_ASSERT_NEAR(narratives_jaccard(11, 8, 4), 4.0 / 15, 1e-12);
    T_ASSERT_NEAR(narratives_jaccard(4, 4, 4), 1, 1e-12);
    T_ASSERT_NEAR(narratives_jaccard(0, 0, 0), 0, 1e-12);
}

/* A store with the mini dataset and the claims test dataset. */
static bilat_db *claims_store(const char *name)
{
    const char *p = t_path(name);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    const char *dirs[] = {"tests/data/mini", "tests/data/claims-mini"};
    if (bilat_db_open(p, BILAT_OPEN_CREATE, &db, &err) < 0 ||
        bilat_load_dirs(db, dirs, 2, NULL, NULL, &err) < 0) {
        fprintf(stderr, "claims store: %s\n", err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

struct errs {
    int n;
    char last[400];
};

static void collect(void *ctx, enum bilat_level lv, const char *path, uint64_t line, const char *msg)
{
    (void)path;
    (void)line;
    struct errs *e = ctx;
    if (lv == BILAT_LOG_ERROR) {
        e->n++;
        snprintf(e->last, sizeof(e->last), "%s", msg);
    }
}

static const json_t *row_of(const json_t *sec, const char *id)
{
    size_t i;
    const json_t *row;
    json_array_foreach(json_object_get(sec, "rows"), i, row) if (strcmp(
        json_string_value(json_array_get(row, 0)), id) == 0) return row;
    return NULL;
}

T_TEST(claims_judged)
{
    bilat_db *db = claims_store("claims.db");
    T_ASSERT(db != NULL);
    struct errs e = {0};
    struct bilat_claims_opts o = {.diag = {collect, &e}};
    struct bilat_claims_summary sum;
    struct bilat_err err = {0};
    char *out = NULL;
    T_ASSERT_EQ_INT(bilat_claims_render(db, &o, BILAT_FORMAT_JSON, &out, &sum, &err), 0);
    T_ASSERT_EQ_INT(sum.claims, 37);
    T_ASSERT_EQ_INT(sum.errors, 1);
    T_ASSERT_EQ_INT(e.n, 1);
    T_ASSERT(strstr(e.last, "claim 'fails'") != NULL);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    bilat_free(out);
    T_ASSERT(doc != NULL);
    /* the summary counts each verdict apart */
    const json_t *s = json_object_get(doc, "summary");
    T_ASSERT_EQ_INT(json_integer_value(json_object_get(s, "supported")), (long long)sum.supported);
    T_ASSERT_EQ_INT(json_integer_value(json_object_get(s, "restates")), (long long)sum.restates);
    T_ASSERT_EQ_INT(json_integer_value(json_object_get(s, "not_shown")), (long long)sum.not_shown);
    T_ASSERT_EQ_INT(sum.supported + sum.restates + sum.not_shown + sum.contradicted +
                        sum.not_checkable + sum.errors,
                    sum.claims);
    const json_t *sec = json_array_get(json_object_get(doc, "sections"), 0);
    static const struct {
        const char *id, *verdict;
        double value; /* NAN: no value */
    } want[] = {
        /* the claim's own source only: restates, whatever the check finds */
        {"g1", "restates", NAN},           {"cmp-yes", "restates", 11.2e9},
        {"cmp-no", "restates", 11.2e9},    {"own-only", "restates", 12},
        {"agree", "restates", 5.0 / 6},    {"nextgen", "restates", 2},
        {"overlap", "restates", 0.5},
        /* nothing to judge */
        {"no-rows", "not checkable", NAN}, {"null-value", "not checkable", NAN},
        {"top-alone", "not checkable", NAN},
        /* rows without a source support nothing */
        {"top-yes", "not shown", 1},       {"other-dyad", "not shown", 1},
        /* trends: a rise, a reversal, no trend, a slope bounded by the margin, a fall, too few
         * points */
        {"trend-rise", "supported", NAN},  {"trend-reversal", "not shown", NAN},
        {"trend-null", "not shown", NAN},  {"trend-bounded", "contradicted", NAN},
        {"trend-fall", "contradicted", NAN}, {"trend-short", "not shown", NAN},
        /* thresholds with an interval, and a value at the threshold */
        {"ci-across", "not shown", 0.82},  {"ci-above", "supported", 0.85},
        {"ci-below", "contradicted", 0.75}, {"at-threshold", "not shown", 0.5},
        {"at-strict", "contradicted", 0},
        /* peers */
        {"peers-above", "supported", 5},   {"peers-below", "contradicted", 1},
        {"peers-rank", "supported", 3.5},
        {"fails", "error", NAN},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const json_t *row = row_of(sec, want[i].id);
        if (!row) {
            json_decref(doc);
            T_FAIL_("no claim %s", want[i].id);
        }
        const char *got = json_string_value(json_array_get(row, 3));
        if (!got || strcmp(got, want[i].verdict) != 0) {
            fprintf(stderr, "claim %s: %s\n", want[i].id,
                    json_string_value(json_array_get(row, 7)));
            T_ASSERT_STR(got, want[i].verdict);
        }
        const json_t *v = json_array_get(row, 4);
        if (!isnan(want[i].value))
            T_ASSERT_NEAR(json_number_value(v), want[i].value, 1e-9);
        else if (strcmp(want[i].verdict, "not checkable") == 0)
            T_ASSERT(json_is_null(v));
    }
    /* the reasons name what decided */
    T_ASSERT(strstr(json_string_value(json_array_get(row_of(sec, "trend-reversal"), 7)),
                    "in 2006, fell since") != NULL);
    T_ASSERT(strstr(json_string_value(json_array_get(row_of(sec, "trend-bounded"), 7)),
                    "+/-0.1") != NULL);
    T_ASSERT(strstr(json_string_value(json_array_get(row_of(sec, "at-threshold"), 7)),
                    "decides nothing") != NULL);
    T_ASSERT(strstr(json_string_value(json_array_get(row_of(sec, "at-strict"), 7)),
                    "strict comparison excludes") != NULL);
    /* evidence and restatement: cmp-yes rests on the claim's own source only, trend-rise not */
    T_ASSERT_EQ_INT(json_integer_value(json_array_get(row_of(sec, "cmp-yes"), 13)), 1);
    T_ASSERT_EQ_INT(json_integer_value(json_array_get(row_of(sec, "trend-rise"), 13)), 0);
    T_ASSERT_STR(json_string_value(json_array_get(row_of(sec, "trend-rise"), 12)), "other-src");
    T_ASSERT(json_object_get(json_object_get(sec, "evidence"), "nextgen") != NULL);
    /* a comparison lists the dyad and every peer */
    T_ASSERT_EQ_INT(json_array_size(json_object_get(
                        json_object_get(json_object_get(sec, "evidence"), "peers-above"), "rows")),
                    4);
    json_decref(doc);
    /* one claim and its parts; a dyad filter */
    o.id = "g1";
    T_ASSERT_EQ_INT(bilat_claims_render(db, &o, BILAT_FORMAT_JSON, &out, &sum, &err), 0);
    T_ASSERT_EQ_INT(sum.claims, 3);
    bilat_free(out);
    o.id = NULL;
    o.a = "LAO";
    o.b = "CHN";
    T_ASSERT_EQ_INT(bilat_claims_render(db, &o, BILAT_FORMAT_JSON, &out, &sum, &err), 0);
    T_ASSERT_EQ_INT(sum.claims, 1);
    bilat_free(out);
    o.a = "KHM";
    o.b = "NOSUCH";
    T_ASSERT_EQ_INT(bilat_claims_render(db, &o, BILAT_FORMAT_JSON, &out, &sum, &err), BILAT_ENOTFOUND);
    bilat_db_close(db);
}

/* The profile of a dyad of the claims, as JSON (NULL on failure). */
static char *profile_of(bilat_db *db)
{
    struct bilat_profile_opts po = {.a = "KHM", .b = "CHN"};
    struct bilat_err err = {0};
    char *out = NULL;
    if (bilat_profile_render(db, &po, BILAT_FORMAT_JSON, &out, &err) < 0)
        fprintf(stderr, "profile: %s\n", err.msg);
    return out;
}

T_TEST(dyad_summaries_read_while_current)
{
    bilat_db *db = claims_store("dyad-summary.db");
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    char *fresh = profile_of(db);
    T_ASSERT(fresh != NULL);
    T_ASSERT(strstr(fresh, "The brief's claims, checked") != NULL);
    char *gen0 = t_query(db, "SELECT generation FROM store_state");
    /* built for the dyads of the claims: the profile reads them and says the same */
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0);
    char *kinds = t_query(db, "SELECT a, b, kind FROM dyad_summary ORDER BY a, b, kind");
    T_ASSERT_STR(kinds, "KHM|CHN|align\nKHM|CHN|claims\nLAO|CHN|align\nLAO|CHN|claims\n");
    bilat_free(kinds);
    char *cached = profile_of(db);
    T_ASSERT(cached != NULL);
    T_ASSERT_STR(cached, fresh);
    bilat_free(cached);
    /* the profile does read the summary: a changed one shows (changed by hand, outside a
     * writer, so that its key still holds) */
    T_ASSERT_EQ_INT(bilat_sql_each(db,
                                   "UPDATE dyad_summary SET data = json_set(data, '$.title', "
                                   "'from the summary') WHERE kind = 'claims' AND a = 'KHM'",
                                   NULL, NULL, &err),
                    0);
    cached = profile_of(db);
    T_ASSERT(cached != NULL && strstr(cached, "from the summary") != NULL);
    bilat_free(cached);
    /* any write moves the generation: the summary is no longer current and is not read */
    const char *dirs[] = {"tests/data/mini", "tests/data/claims-mini"};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 2, NULL, NULL, &err), 0);
    char *gen1 = t_query(db, "SELECT generation FROM store_state");
    T_ASSERT(strcmp(gen0, gen1) != 0);
    cached = profile_of(db);
    T_ASSERT(cached != NULL);
    T_ASSERT(strstr(cached, "from the summary") == NULL);
    /* and it is the profile computed without any summary (not `fresh`: the load stamps its
     * datasets anew, and a second may have passed) */
    T_ASSERT_EQ_INT(bilat_sql_each(db, "DELETE FROM dyad_summary", NULL, NULL, &err), 0);
    char *scratch = profile_of(db);
    T_ASSERT(scratch != NULL);
    T_ASSERT_STR(cached, scratch);
    bilat_free(scratch);
    bilat_free(cached);
    /* built again, it is current again */
    T_ASSERT_EQ_INT(bilat_summaries_build(db, 0, &err), 0);
    char *stale = t_query(db, "SELECT count(*) FROM dyad_summary WHERE data LIKE "
                              "'%from the summary%'");
    T_ASSERT_STR(stale, "0\n");
    bilat_free(stale);
    bilat_free(gen0);
    bilat_free(gen1);
    bilat_free(fresh);
    bilat_db_close(db);
}

T_TEST(dyad_events_kept_follow_writes)
{
    bilat_db *db = claims_store("kept-events.db");
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    char *p0 = profile_of(db), *p1 = profile_of(db);
    T_ASSERT(p0 != NULL && p1 != NULL);
    T_ASSERT_STR(p1, p0); /* read twice from the kept events: the same */
    bilat_free(p1);
    T_ASSERT(strstr(p0, "A meeting kept apart") == NULL);
    /* a record added on this connection shows at once */
    struct bilat_event_fields e = {.date_from = "2001-05-04", .precision = "day",
                                   .source = "KHMGOVPTYCPP", .target = "CHNGOVPTYCPC",
                                   .cameo = "040", .channel = "party", .mode = "meeting",
                                   .note = "A meeting kept apart.", .source_id = "brief",
                                   .locator = "p. 2"};
    char ref[64];
    int64_t id = 0;
    int conflict = 0;
    T_ASSERT_EQ_INT(bilat_event_add(db, &e, NULL, ref, &id, &conflict, &err), 0);
    p1 = profile_of(db);
    T_ASSERT(p1 != NULL && strstr(p1, "A meeting kept apart") != NULL);
    bilat_free(p1);
    /* and one deleted on another connection is gone for this one too */
    bilat_db *other = NULL;
    char owner[64] = "";
    T_ASSERT_EQ_INT(bilat_db_open(t_path("kept-events.db"), 0, &other, &err), 0);
    T_ASSERT_EQ_INT(bilat_event_delete(other, ref, &id, owner, &err), 0);
    bilat_db_close(other);
    p1 = profile_of(db);
    T_ASSERT(p1 != NULL && strstr(p1, "A meeting kept apart") == NULL);
    bilat_free(p1);
    bilat_free(p0);
    bilat_db_close(db);
}

T_TEST(network_centrality)
{
    bilat_db *db = claims_store("network.db");
    T_ASSERT(db != NULL);
    struct bilat_network_opts o = {"KHM", "CHN", 0, 0, 0};
    char *out = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_network_render(db, &o, BILAT_FORMAT_JSON, &out, &err), 0);
    json_t *doc = json_loads(out, 0, NULL);
    bilat_free(out);
    T_ASSERT(doc != NULL);
    /* the path CPP - CPC - Hun Manet - Xi: CPC and Hun Manet each lie on two shortest paths */
    const json_t *nodes = json_array_get(json_object_get(doc, "sections"), 0);
    static const struct {
        const char *code;
        int degree, strength;
        double between;
    } want[] = {{"CHNGOVPTYCPC", 2, 2, 2}, {"KHMHUNMANET", 2, 4, 2}, {"CHNXI", 1, 3, 0},
                {"KHMHUNSEN", 1, 1, 0}};
    for (size_t i = 0; i < 4; i++) {
        const json_t *row = row_of(nodes, want[i].code);
        T_ASSERT(row != NULL);
        T_ASSERT_EQ_INT(json_integer_value(json_array_get(row, 5)), want[i].degree);
        T_ASSERT_EQ_INT(json_integer_value(json_array_get(row, 6)), want[i].strength);
        T_ASSERT_NEAR(json_number_value(json_array_get(row, 7)), want[i].between, 1e-9);
    }
    /* the next-generation row: two meetings before 2023-08-22 (not the one that month) */
    const json_t *ng = json_array_get(json_object_get(doc, "sections"), 2);
    T_ASSERT_EQ_INT(json_array_size(json_object_get(ng, "rows")), 1);
    T_ASSERT_EQ_INT(json_integer_value(json_array_get(json_array_get(json_object_get(ng, "rows"), 0), 4)), 2);
    json_decref(doc);
    bilat_db_close(db);
}

/* One HTTP request over a plain socket; returns the status code, or -1. */
static int http_get(unsigned port, const char *path, char *body, size_t len)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    char req[512];
    int n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                     path);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    size_t got = 0;
    ssize_t r;
    while (got + 1 < len && (r = read(fd, body + got, len - 1 - got)) > 0)
        got += (size_t)r;
    body[got] = '\0';
    close(fd);
    int status = -1;
    if (sscanf(body, "HTTP/1.1 %d", &status) != 1)
        return -1;
    return status;
}

/* A server (two threads; a document cache of `cache_bytes`, 0 for the default) over the store
 * at `path` (kept while the server runs); NULL when it does not start. */
static bilat_server *start_server(const char *path, size_t cache_bytes)
{
    struct bilat_server_opts o = {.db_path = path, .threads = 2, .cache_bytes = cache_bytes};
    bilat_server *s = NULL;
    struct bilat_err err = {0};
    if (bilat_server_start(&o, &s, &err) < 0) {
        fprintf(stderr, "server: %s\n", err.msg);
        return NULL;
    }
    return s;
}

/* The claims store `name`, closed, its path into `path` (len bytes); -1 when it fails. */
static int claims_store_path(const char *name, char *path, size_t len)
{
    bilat_db *db = claims_store(name);
    bilat_db_close(db);
    snprintf(path, len, "%s/%s", t_tmpdir, name);
    return db ? 0 : -1;
}

T_TEST(server_start_and_stop)
{
    char path[4096];
    T_ASSERT_EQ_INT(claims_store_path("server.db", path, sizeof(path)), 0);
    bilat_server *s = start_server(path, 0);
    T_ASSERT(s != NULL);
    struct bilat_err err = {0};
    unsigned port = bilat_server_port(s);
    T_ASSERT(port > 0);
    static char body[1 << 20];
    int st = http_get(port, "/api/health", body, sizeof(body));
    int st2 = http_get(port, "/api/profile?a=KHM&b=CHN", body, sizeof(body));
    int has = strstr(body, "\"network_nodes\"") != NULL;
    int st3 = http_get(port, "/api/profile?a=KHM&b=QQQ", body, sizeof(body));
    bilat_server_stop(s);
    T_ASSERT_EQ_INT(st, 200);
    T_ASSERT_EQ_INT(st2, 200);
    T_ASSERT(has);
    T_ASSERT_EQ_INT(st3, 400);
    bilat_server_stop(NULL);
    /* a store that is not there, a short token, a bad address */
    struct bilat_server_opts bad = {.db_path = "/nonexistent/x.db"};
    T_ASSERT(bilat_server_start(&bad, &s, &err) < 0);
    bad.db_path = path;
    bad.token = "short";
    T_ASSERT_EQ_INT(bilat_server_start(&bad, &s, &err), BILAT_EINVAL);
    bad.token = NULL;
    bad.host = "not-an-address";
    T_ASSERT_EQ_INT(bilat_server_start(&bad, &s, &err), BILAT_EINVAL);
}

/* The body of a response (after its head), or "". */
static const char *http_body(const char *response)
{
    const char *p = strstr(response, "\r\n\r\n");
    return p ? p + 4 : "";
}

/*
 * A document cache too small for the documents asked for: every new one pushes the least
 * recently used out, a hit moves its entry to the front, and every answer is still the document
 * a server with room for all of them gives.
 */
T_TEST(server_cache_evicts_and_answers_the_same)
{
    static const char *const paths[] = {"/api/profile?a=KHM&b=CHN&from=2000",
                                        "/api/profile?a=KHM&b=CHN&from=2010",
                                        "/api/narratives?a=KHM&b=CHN",
                                        "/api/network?a=KHM&b=CHN&format=csv"};
    static char want[4][1 << 18], got[1 << 18];
    char path[4096];
    T_ASSERT_EQ_INT(claims_store_path("server-cache.db", path, sizeof(path)), 0);
    bilat_server *s = start_server(path, 0);
    T_ASSERT(s != NULL);
    int ok = 1;
    for (size_t i = 0; i < 4; i++)
        ok &= http_get(bilat_server_port(s), paths[i], want[i], sizeof(want[i])) == 200;
    bilat_server_stop(s);
    T_ASSERT(ok);
    /* room for about two of the documents */
    size_t room = 0;
    for (size_t i = 0; i < 4; i++)
        room += strlen(http_body(want[i]));
    s = start_server(path, room / 2);
    T_ASSERT(s != NULL);
    static const int order[] = {0, 1, 0, 2, 1, 3, 0, 0, 2, 3, 1, 2, 0};
    size_t same = 0;
    for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
        int k = order[i];
        if (http_get(bilat_server_port(s), paths[k], got, sizeof(got)) == 200 &&
            strcmp(http_body(got), http_body(want[k])) == 0)
            same++;
    }
    bilat_server_stop(s);
    T_ASSERT_EQ_INT(same, sizeof(order) / sizeof(order[0]));
}

T_TEST(claims_out_of_memory_is_clean)
{
    if (!t_oom_can_run("claims_out_of_memory_is_clean"))
        return;
    unsigned long tries = 0, last = 0;
    bilat_db *db = claims_store("claims-oom.db");
    T_ASSERT(db != NULL);
    int done = 0;
    for (unsigned long n = 1; !done && n < 200000; n = t_oom_next(n)) {
        struct bilat_claims_opts o = {0};
        struct bilat_err err = {0};
        char *out = NULL, *net = NULL;
        bilat_alloc_fail_after(n);
        int rc = bilat_claims_render(db, &o, BILAT_FORMAT_TEXT, &out, NULL, &err);
        struct bilat_network_opts no = {"KHM", "CHN", 0, 0, 0};
        if (rc == 0)
            rc = bilat_network_render(db, &no, BILAT_FORMAT_DOT, &net, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = n;
        bilat_free(out);
        bilat_free(net);
        if (rc != 0 && rc != BILAT_ENOMEM) {
            bilat_db_close(db);
            T_FAIL_("allocation %lu: unexpected %s: %s", n, bilat_errname(rc), err.msg);
        }
        done = rc == 0;
        if (done && getenv("T_VERBOSE"))
            fprintf(stderr, "claims_out_of_memory_is_clean: succeeded from allocation %lu on\n",
                    n);
    }
    bilat_db_close(db);
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("claims_out_of_memory_is_clean", tries - 1, last);
}
