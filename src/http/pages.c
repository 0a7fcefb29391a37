/*
 * pages.c: the routes of the web server's HTML pages: /, /profile, /claims, /events,
 * /clusters, /compare, /report and the two static files. A handler checks the request's
 * parameters, builds the page in the build pool when it is not cached (http_defer()), and maps
 * a library error to its status; the pages themselves are the library's (bilat_page_render(),
 * report/pages.c).
 */
#include "core/alloc.h"
#include "core/err.h"
#include "http/server.h"

#include <stdio.h>
#include <string.h>

/* The request's parameters for the page's forms and links. */
static const char *param(void *ctx, const char *name)
{
    return http_arg(ctx, name);
}

/* Serve a rendered page (takes `html`), or the error of building it. */
static int serve_page(struct req *r, struct resp *o, int rc, char *html,
                      const struct bilat_err *err)
{
    if (rc < 0)
        return http_fail(r, o, rc, err);
    o->status = 200;
    o->type = "text/html; charset=utf-8";
    rc = bilat_buf_adds(&o->body, html);
    bilat_free(html);
    return rc;
}

/* Render page `page` with `po` and serve it. */
static int render(struct req *r, struct resp *o, enum bilat_page page,
                  struct bilat_page_opts *po)
{
    po->param = param;
    po->param_ctx = r;
    char *html = NULL;
    struct bilat_err err = {0};
    int rc = bilat_page_render(r->db, page, po, &html, &err);
    return serve_page(r, o, rc, html, &err);
}

/* GET /: choose two actors; the dyads that events join, most records first. */
static int page_home(struct req *r, struct resp *o)
{
    struct bilat_page_opts po = {0};
    return render(r, o, BILAT_PAGE_HOME, &po);
}

/* A dyad and period for a page that needs both sides: 0, or -1 after an error response. */
static int page_dyad(struct req *r, struct resp *o, const char *path, char a[ACTOR_CODE_SIZE],
                     char b[ACTOR_CODE_SIZE], int *from, int *to)
{
    if (http_code(r, o, "a", a, false) < 0 || http_code(r, o, "b", b, false) < 0 ||
        http_year(r, o, "from", from) < 0 || http_year(r, o, "to", to) < 0)
        return -1;
    if (!a[0] || !b[0]) {
        http_error(r, o, 400, "choose two actors: %s?a=KHM&b=CHN", path);
        return -1;
    }
    return 0;
}

/*
 * GET /profile: the profile of a dyad with the period form; downloads go to the API, a year's
 * bar to the events page. The whole page is cached like the JSON.
 */
static int page_profile(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    int from, to;
    if (page_dyad(r, o, "/profile", a, b, &from, &to) < 0)
        return 0;
    if (from && to && from > to)
        return http_error(r, o, 400, "'from' (%d) is after 'to' (%d)", from, to);
    char key[160];
    snprintf(key, sizeof(key), "page:profile|%s|%s|%d|%d", a, b, from, to);
    struct cache_entry *e = http_cache_get(r, key);
    if (e) {
        size_t len;
        http_cache_data(e, &len, &o->type);
        o->entry = e;
        o->status = 200;
        return 0;
    }
    if (r->park_key || http_defer(r))
        return HTTP_DEFER; /* parked: another worker is building it (cache.c) */
    struct bilat_page_opts po = {.a = a, .b = b, .from = from, .to = to};
    int rc = render(r, o, BILAT_PAGE_PROFILE, &po);
    if (rc < 0 || o->status != 200)
        return rc;
    size_t len = o->body.len;
    char *data = bilat_buf_detach(&o->body, NULL);
    if (!data)
        return BILAT_ENOMEM;
    o->entry = http_cache_put(r, key, data, len, o->type);
    return o->entry ? 0 : BILAT_ENOMEM;
}

/* GET /claims: the claims with their verdicts, checks, evidence and sources. */
static int page_claims(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    if (http_pair(r, o, a, b) < 0)
        return 0;
    if (http_defer(r))
        return HTTP_DEFER;
    struct bilat_page_opts po = {.a = a[0] ? a : NULL, .b = b[0] ? b : NULL};
    return render(r, o, BILAT_PAGE_CLAIMS, &po);
}

/* GET /events: the events that match the filters, a page at a time, each with its source. */
static int page_events(struct req *r, struct resp *o)
{
    struct http_events q;
    if (http_events_query(r, o, &q) < 0)
        return 0;
    struct bilat_page_opts po = {.events = &q.q};
    return render(r, o, BILAT_PAGE_EVENTS, &po);
}

/*
 * GET /clusters: the deduplicated clusters behind a figure of the event data (a row of the
 * profile's event tables), with their sources, read again from the ingested files.
 */
static int page_clusters(struct req *r, struct resp *o)
{
    bilat_clusters *c = NULL;
    int rc = http_clusters_find(r, o, &c);
    if (rc || !c)
        return rc;
    struct bilat_page_opts po = {.clusters = c};
    rc = render(r, o, BILAT_PAGE_CLUSTERS, &po);
    bilat_clusters_free(c);
    return rc;
}

/*
 * GET /compare: several partners of B side by side on every dimension the store holds (bilat
 * compare): one section per dimension, its sides ranked on a shared axis scaled to the data,
 * after the yearly UN agreement of each. By default China's ASEAN partners.
 */
static int page_compare(struct req *r, struct resp *o)
{
    char b[ACTOR_CODE_SIZE];
    int from, to;
    if (http_code(r, o, "b", b, false) < 0 || http_year(r, o, "from", &from) < 0 ||
        http_year(r, o, "to", &to) < 0)
        return 0;
    if (http_defer(r))
        return HTTP_DEFER;
    struct bilat_page_opts po = {
        .b = b[0] ? b : NULL, .from = from, .to = to, .sides = http_arg(r, "a")};
    return render(r, o, BILAT_PAGE_COMPARE, &po);
}

/* GET /report: the self-contained report, as `bilat report` writes it. */
static int page_report(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    int from, to;
    if (page_dyad(r, o, "/report", a, b, &from, &to) < 0)
        return 0;
    if (http_defer(r))
        return HTTP_DEFER;
    struct bilat_page_opts po = {.a = a, .b = b, .from = from, .to = to};
    return render(r, o, BILAT_PAGE_REPORT, &po);
}

/* GET /static/NAME: the report's CSS with the pages' own rules, and the pages' script. */
static int static_file(struct req *r, struct resp *o)
{
    char *data = NULL;
    struct bilat_err err = {0};
    int rc = bilat_page_static(r->path + strlen("/static/"), &data, &o->type, &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    o->status = 200;
    rc = bilat_buf_adds(&o->body, data);
    bilat_free(data);
    return rc;
}

static const char *const p_none[] = {NULL};
static const char *const p_dyad[] = {"a", "b", "from", "to", NULL};
static const char *const p_pair[] = {"a", "b", NULL};

const struct route http_page_routes[] = {
    {"GET", "/", page_home, p_none, false},
    {"GET", "/profile", page_profile, p_dyad, false},
    {"GET", "/claims", page_claims, p_pair, false},
    {"GET", "/events", page_events, http_events_params, false},
    {"GET", "/clusters", page_clusters, http_clusters_params, false},
    {"GET", "/compare", page_compare, p_dyad, false},
    {"GET", "/report", page_report, p_dyad, false},
    {"GET", "/static/bilat.css", static_file, p_none, false},
    {"GET", "/static/app.js", static_file, p_none, false},
    {NULL, NULL, NULL, NULL, false},
};
