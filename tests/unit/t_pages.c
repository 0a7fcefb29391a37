/*
 * t_pages.c: the web server's pages and lists as the library renders them (report/pages.c,
 * analytics/listings.c): every page of a small store, and a query that fails part way, which
 * must fail the page instead of giving one cut short.
 *
 * Fixtures: tests/data/mini (run from the project root).
 */
#include "t.h"
#include "t_util.h"

#include "core/alloc.h"

#include <string.h>

static const char *mini = "tests/data/mini";

/* A store with the mini dataset at t_path(name), open for writing. */
static bilat_db *mini_store(const char *name)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    const char *dirs[] = {mini};
    if (bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err) < 0 ||
        bilat_load_dirs(db, dirs, 1, NULL, NULL, &err) < 0) {
        fprintf(stderr, "mini store: %s\n", err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

/* The request parameters of a page, from a list of name, value pairs. */
static const char *param(void *ctx, const char *name)
{
    const char *const *kv = ctx;
    for (size_t i = 0; kv[i]; i += 2)
        if (strcmp(kv[i], name) == 0)
            return kv[i + 1];
    return NULL;
}

T_TEST(pages_render_every_page)
{
    bilat_db *db = mini_store("pages.db");
    T_ASSERT(db);
    struct bilat_err err = {0};
    char *html = NULL;
    struct bilat_page_opts po = {0};
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_HOME, &po, &html, &err), 0);
    T_ASSERT(strstr(html, "<!DOCTYPE html>") == html);
    T_ASSERT(strstr(html, "<option value=\"KHM\" selected>Cambodia (KHM)</option>"));
    T_ASSERT(strstr(html, "Dyads with records"));
    T_ASSERT(strstr(html, "</html>\n"));
    bilat_free(html);

    po.a = "KHM";
    po.b = "CHN";
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_PROFILE, &po, &html, &err), 0);
    T_ASSERT(strstr(html, "<title>Cambodia and China - bilat</title>"));
    T_ASSERT(strstr(html, "name=\"from\""));
    bilat_free(html);
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_REPORT, &po, &html, &err), 0);
    T_ASSERT(strstr(html, "relationship profile</title>"));
    bilat_free(html);

    /* the events page writes the request's filters back into its form and links */
    struct bilat_events_query q = {.a = "KHM", .b = "CHN", .page = 1, .per_page = 2};
    const char *kv[] = {"a", "khm", "b", "chn", "per_page", "2", NULL};
    struct bilat_page_opts pe = {.events = &q, .param = param, .param_ctx = kv};
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_EVENTS, &pe, &html, &err), 0);
    T_ASSERT(strstr(html, "<b id=\"total\">4</b> events; page 1 of 2"));
    T_ASSERT(strstr(html, "href=\"/events?a=khm&amp;b=chn&amp;per_page=2&amp;page=2\""));
    bilat_free(html);
    char *json = NULL;
    T_ASSERT_EQ_INT(bilat_events_render(db, &q, BILAT_FORMAT_JSON_COMPACT, &json, &err), 0);
    T_ASSERT(strncmp(json, "{\"total\":4,\"page\":1,\"per_page\":2,\"pages\":2,", 43) == 0);
    bilat_free(json);
    /* a page needs its document; a dyad needs both sides */
    struct bilat_page_opts none = {0};
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_EVENTS, &none, &html, &err), BILAT_EINVAL);
    T_ASSERT(html == NULL);
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_PROFILE, &none, &html, &err),
                    BILAT_EINVAL);
    struct bilat_page_opts unknown = {.a = "KHM", .b = "XYZ"};
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_PROFILE, &unknown, &html, &err),
                    BILAT_ENOTFOUND);

    char *css = NULL;
    const char *type = NULL;
    T_ASSERT_EQ_INT(bilat_page_static("bilat.css", &css, &type, &err), 0);
    T_ASSERT_STR(type, "text/css; charset=utf-8");
    T_ASSERT(strstr(css, "form.bar"));
    bilat_free(css);
    T_ASSERT_EQ_INT(bilat_page_static("other.css", &css, &type, &err), BILAT_ENOTFOUND);
    bilat_db_close(db);
}

/*
 * A query that stops on an error after some rows (here: a column whose value cannot be computed
 * for the third actor, as a busy store or an I/O error would stop it) fails the page and the
 * list: the server answers with an error, never with a page or a list that lacks the rest.
 */
T_TEST(pages_query_error_fails_the_page)
{
    bilat_db *db = mini_store("pages-err.db");
    T_ASSERT(db);
    struct bilat_err err = {0};
    /* a temporary view is found before the table of the same name, on this connection only */
    T_ASSERT_EQ_INT(bilat_sql_each(db,
                                   "CREATE TEMP VIEW actor AS SELECT id, CASE WHEN id < 3 THEN "
                                   "code ELSE abs(-9223372036854775807 - 1) END AS code, name, "
                                   "kind, country, dataset FROM main.actor",
                                   NULL, NULL, &err),
                    0);
    char *out = NULL;
    struct bilat_page_opts po = {0};
    T_ASSERT_EQ_INT(bilat_page_render(db, BILAT_PAGE_HOME, &po, &out, &err), BILAT_ESQL);
    T_ASSERT(out == NULL);
    T_ASSERT(strstr(err.msg, "integer overflow"));
    memset(&err, 0, sizeof(err));
    T_ASSERT_EQ_INT(bilat_actors_render(db, BILAT_FORMAT_JSON, &out, &err), BILAT_ESQL);
    T_ASSERT(out == NULL);
    struct bilat_events_query q = {.page = 1, .per_page = 50};
    memset(&err, 0, sizeof(err));
    T_ASSERT_EQ_INT(bilat_events_render(db, &q, BILAT_FORMAT_JSON, &out, &err), BILAT_ESQL);
    T_ASSERT(out == NULL);
    bilat_db_close(db);
}
