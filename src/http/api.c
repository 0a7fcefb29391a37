/*
 * api.c: the JSON API under /api/ (docs/API.md).
 *
 * Every handler validates its parameters before touching the store: actor codes are 2 to 31
 * letters or digits (an unknown or malformed code is a 400 with a JSON error), years four
 * digits, page numbers bounded. The documents are the library's (bilat.h: the _render
 * functions), in the JSON the request asks for; those that are costly to build (profiles,
 * claims, the network) are cached by key and store generation (server.c).
 */
#include "core/alloc.h"
#include "core/err.h"
#include "core/parse.h"
#include "http/server.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A dyad and period from a, b, from, to. */
static int dyad_args(struct req *r, struct resp *o, char a[ACTOR_CODE_SIZE],
                     char b[ACTOR_CODE_SIZE], int *from, int *to)
{
    if (http_code(r, o, "a", a, true) < 0 || http_code(r, o, "b", b, true) < 0)
        return -1;
    if (http_year(r, o, "from", from) < 0 || http_year(r, o, "to", to) < 0)
        return -1;
    if (*from && *to && *from > *to) {
        http_error(r, o, 400, "'from' (%d) is after 'to' (%d)", *from, *to);
        return -1;
    }
    return 0;
}

/* Serve a cached body when there is one; says whether it was served. */
static bool from_cache(struct req *r, struct resp *o, const char *key)
{
    struct cache_entry *e = http_cache_get(r, key);
    if (!e)
        return false;
    size_t len;
    const char *type;
    http_cache_data(e, &len, &type);
    o->entry = e;
    o->type = type;
    o->status = 200;
    snprintf(o->etag, sizeof(o->etag), "\"g%llu-%zx\"", (unsigned long long)r->gen, len);
    return true;
}

/*
 * The start of a handler whose document is cached: its key from `fmt` into `key` (len bytes),
 * then 0 when the document was served from the cache, HTTP_DEFER when the handler is to run
 * again in the build pool, or -1 when it goes on to build the document.
 */
static int cached(struct req *r, struct resp *o, char *key, size_t len, const char *fmt, ...)
    BILAT_PRINTF(5, 6);
static int cached(struct req *r, struct resp *o, char *key, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(key, len, fmt, ap);
    va_end(ap);
    if (from_cache(r, o, key))
        return 0;
    if (r->park_key || http_defer(r))
        return HTTP_DEFER; /* parked: another worker is building it (cache.c) */
    return -1;
}

/* Keep a freshly built body (o->body) in the cache and serve it from there. */
static int to_cache(struct req *r, struct resp *o, const char *key)
{
    size_t len = o->body.len;
    char *data = bilat_buf_detach(&o->body, NULL);
    if (!data)
        return BILAT_ENOMEM;
    struct cache_entry *e = http_cache_put(r, key, data, len, o->type);
    if (!e)
        return BILAT_ENOMEM;
    o->entry = e;
    snprintf(o->etag, sizeof(o->etag), "\"g%llu-%zx\"", (unsigned long long)r->gen, len);
    return 0;
}

/*
 * Serve `out`, a text a library call wrote (takes ownership: freed here), as the body of type
 * `type`, and keep it in the cache under `key` (NULL: not cached).
 */
static int reply_take(struct req *r, struct resp *o, const char *type, char *out, const char *key)
{
    o->status = 200;
    o->type = type;
    int rc = bilat_buf_adds(&o->body, out);
    bilat_free(out);
    return rc < 0 || !key ? rc : to_cache(r, o, key);
}

/* Serve the text of a library call that succeeded (rc 0; takes `out`) as JSON, cached under
 * `key` (NULL: not cached); or the response of its error. */
static int reply_json(struct req *r, struct resp *o, int rc, char *out,
                      const struct bilat_err *err, const char *key)
{
    if (rc < 0)
        return http_fail(r, o, rc, err);
    return reply_take(r, o, "application/json", out, key);
}

/* GET /api/health: the server answers and can read the store. */
static int api_health(struct req *r, struct resp *o)
{
    json_t *doc = json_pack("{s:s, s:s, s:i, s:I}", "status", "ok", "bilat_version",
                            BILAT_VERSION, "schema_version", bilat_db_schema_version(r->db),
                            "generation", (json_int_t)r->gen);
    int rc = doc ? http_json(r, o, 200, doc) : BILAT_ENOMEM;
    json_decref(doc);
    return rc;
}

/*
 * GET /api/actors: every actor, and every country with votes or indicators, with its number of
 * events (what the dyad chooser offers).
 */
static int api_actors(struct req *r, struct resp *o)
{
    if (from_cache(r, o, "actors"))
        return 0;
    char *out = NULL;
    struct bilat_err err = {0};
    int rc = bilat_actors_render(r->db, http_json_format(r), &out, &err);
    return reply_json(r, o, rc, out, &err, "actors");
}

/*
 * GET /api/profile: the profile document, or one section of it as JSON or CSV (the downloads
 * of the pages). Cached by dyad, period and section.
 */
static int api_profile(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    int from, to;
    if (dyad_args(r, o, a, b, &from, &to) < 0)
        return 0;
    const char *section = http_arg(r, "section"), *format = http_arg(r, "format");
    if (format && !section)
        return http_error(r, o, 400, "'format' goes with 'section'");
    char key[200];
    int rc = cached(r, o, key, sizeof(key), "profile|%s|%s|%d|%d|%s|%s", a, b, from, to,
                    section ? section : "", format ? format : "");
    if (rc >= 0)
        return rc;
    struct bilat_profile_opts po = {.a = a, .b = b, .from = from, .to = to, .keep = 1};
    char *doc = NULL;
    struct bilat_err err = {0};
    rc = bilat_profile_render(r->db, &po,
                              section ? BILAT_FORMAT_JSON_COMPACT : http_json_format(r), &doc,
                              &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    if (!section)
        return reply_take(r, o, "application/json", doc, key);
    /* one section, for the downloads of the pages */
    bool csv = format && strcmp(format, "csv") == 0;
    bool bad = format && !csv && strcmp(format, "json") != 0;
    char *out = NULL;
    rc = bilat_section_render(doc, section, csv ? BILAT_FORMAT_CSV : http_json_format(r), &out,
                              &err);
    bilat_free(doc);
    if (rc == BILAT_ENOTFOUND)
        return http_error(r, o, 404, "%s", err.msg);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    if (bad) {
        bilat_free(out);
        return http_error(r, o, 400, "format is csv or json, not '%.20s'", format);
    }
    if (csv)
        o->disposition = "attachment";
    return reply_take(r, o, csv ? "text/csv; charset=utf-8" : "application/json", out, key);
}

/* GET /api/claims: the judged claims, all or of a dyad, or one claim with its parts. */
static int api_claims(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    if (http_pair(r, o, a, b) < 0)
        return 0;
    const char *id = http_arg(r, "id");
    char key[200];
    int rc = cached(r, o, key, sizeof(key), "claims|%s|%s|%.100s", a, b, id ? id : "");
    if (rc >= 0)
        return rc;
    struct bilat_claims_opts co = {.a = a[0] ? a : NULL, .b = b[0] ? b : NULL, .id = id};
    char *out = NULL;
    struct bilat_err err = {0};
    rc = bilat_claims_render(r->db, &co, http_json_format(r), &out, NULL, &err);
    if (rc == BILAT_ENOTFOUND && id)
        return http_error(r, o, 404, "%s", err.msg);
    return reply_json(r, o, rc, out, &err, key);
}

/* GET /api/network: the network sections, or the nodes or edges as CSV, or Graphviz DOT. */
static int api_network(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    int from, to;
    if (dyad_args(r, o, a, b, &from, &to) < 0)
        return 0;
    const char *format = http_arg(r, "format");
    static const char *const names[] = {"json", "csv", "dot", "edges"};
    static const enum bilat_format fmts[] = {BILAT_FORMAT_JSON, BILAT_FORMAT_CSV,
                                             BILAT_FORMAT_DOT, BILAT_FORMAT_CSV};
    static const char *const types[] = {"application/json", "text/csv; charset=utf-8",
                                        "text/vnd.graphviz; charset=utf-8",
                                        "text/csv; charset=utf-8"};
    int f = format ? -1 : 0;
    for (int i = 0; format && i < 4; i++)
        if (strcmp(format, names[i]) == 0)
            f = i;
    if (f < 0)
        return http_error(r, o, 400, "format is json, csv (nodes), edges (CSV) or dot, not "
                                     "'%.20s'",
                          format);
    char key[200];
    int rc = cached(r, o, key, sizeof(key), "network|%s|%s|%d|%d|%d", a, b, from, to, f);
    if (rc >= 0)
        return rc;
    struct bilat_network_opts no = {a, b, from, to, f == 3};
    char *out = NULL;
    struct bilat_err err = {0};
    rc = bilat_network_render(r->db, &no, fmts[f], &out, &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    return reply_take(r, o, types[f], out, key);
}

/* GET /api/narratives: concepts, overlaps and principles of a dyad (they have no period). */
static int api_narratives(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    if (http_code(r, o, "a", a, true) < 0 || http_code(r, o, "b", b, true) < 0)
        return 0;
    char key[200];
    int rc = cached(r, o, key, sizeof(key), "narratives|%s|%s", a, b);
    if (rc >= 0)
        return rc;
    struct bilat_profile_opts po = {.a = a, .b = b, .keep = 1};
    char *out = NULL;
    struct bilat_err err = {0};
    rc = bilat_narratives_render(r->db, &po, BILAT_FORMAT_JSON, &out, &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    return reply_take(r, o, "application/json", out, key);
}

/* GET /api/cite: BibTeX for bilat and the sources (of a dyad's profile, or all). */
static int api_cite(struct req *r, struct resp *o)
{
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    if (http_pair(r, o, a, b) < 0)
        return 0;
    char *out = NULL;
    struct bilat_err err = {0};
    int rc = bilat_cite_render(r->db, a[0] ? a : NULL, b[0] ? b : NULL, BILAT_FORMAT_BIBTEX,
                               &out, &err);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    return reply_take(r, o, "application/x-bibtex; charset=utf-8", out, NULL);
}

/* Split a comma-separated list of codes in place; at most `max`. -1 after an error. */
static int code_list(struct req *r, struct resp *o, const char *name, char *buf, size_t len,
                     const char **out, size_t max, size_t *n)
{
    const char *v = http_arg(r, name);
    *n = 0;
    if (!v || !*v)
        return http_error(r, o, 400, "missing parameter '%s' (actor codes, comma-separated)",
                          name),
               -1;
    snprintf(buf, len, "%s", v);
    for (char *p = buf; p && *p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (!bilat_actor_code(p, p) || *n == max)
            return http_error(r, o, 400, "bad list in '%s': 1 to %zu actor codes of 2 to %d "
                                         "letters or digits, comma-separated",
                              name, max, ACTOR_CODE_MAX),
                   -1;
        out[(*n)++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

/* Several sides A (a comma-separated list of codes or blocs) against one side B, in a period. */
struct sides {
    char buf[HTTP_MAX_PARAM_LEN + 1]; /* the list, split in place */
    const char *as[16];               /* the sides A, pointing into buf */
    size_t na;                        /* their number */
    char b[ACTOR_CODE_SIZE];          /* side B */
    int from, to;                     /* the period (0: open) */
};

/* The sides and period from a, b, from, to. 0, or -1 after an error response. */
static int sides_args(struct req *r, struct resp *o, struct sides *sd)
{
    size_t max = sizeof(sd->as) / sizeof(sd->as[0]);
    if (code_list(r, o, "a", sd->buf, sizeof(sd->buf), sd->as, max, &sd->na) < 0 ||
        http_code(r, o, "b", sd->b, true) < 0 || http_year(r, o, "from", &sd->from) < 0 ||
        http_year(r, o, "to", &sd->to) < 0)
        return -1;
    return 0;
}

/*
 * GET /api/votes: yearly UN agreement of one or more sides A (or blocs) with B, as one section
 * with a multi_lines chart: dyads side by side on the same axes.
 */
static int api_votes(struct req *r, struct resp *o)
{
    struct sides sd;
    if (sides_args(r, o, &sd) < 0)
        return 0;
    const char *measure = http_arg(r, "measure");
    enum bilat_vote_measure m = BILAT_VOTE_AGREE; /* the one default measure (docs/MEASURES.md) */
    if (measure && (strcmp(measure, "simple") == 0 ? (m = BILAT_VOTE_EXACT, 0) : 1) &&
        (strcmp(measure, "voeten") == 0 ? (m = BILAT_VOTE_AGREE, 0)
                                        : bilat_vote_measure_parse(measure, &m) < 0 ||
                                              m == BILAT_VOTE_IDEAL))
        return http_error(r, o, 400, "measure is simple, voeten, agree, exact, s, pi or kappa, "
                                     "not '%.20s'",
                          measure);
    char key[400];
    int rc = cached(r, o, key, sizeof(key), "votes|%s|%s|%d|%d|%s", http_arg(r, "a"), sd.b, sd.from,
                    sd.to, measure ? measure : "");
    if (rc >= 0)
        return rc;
    struct bilat_compare_opts co = {.a = sd.as, .na = sd.na, .b = sd.b, .from = sd.from,
                                    .to = sd.to, .view = BILAT_COMPARE_VOTES, .measure = m};
    char *out = NULL;
    struct bilat_err err = {0};
    rc = bilat_compare_render(r->db, &co, http_json_format(r), &out, &err);
    return reply_json(r, o, rc, out, &err, key);
}

/*
 * GET /api/compare: the sides A beside one another on every dimension of their relation with B
 * (bilat compare; `dimension` keeps one); with `section`, `x` and `y`, one section of several
 * dyads' profiles on the same axes instead.
 */
static int api_compare(struct req *r, struct resp *o)
{
    struct sides sd;
    if (sides_args(r, o, &sd) < 0)
        return 0;
    const char *section = http_arg(r, "section"), *x = http_arg(r, "x"), *y = http_arg(r, "y");
    const char *agg = http_arg(r, "agg"), *dim = http_arg(r, "dimension");
    if (!section && !x && !y) {
        char pkey[600];
        int prc = cached(r, o, pkey, sizeof(pkey), "partners|%s|%s|%d|%d|%s", http_arg(r, "a"),
                         sd.b, sd.from, sd.to, dim ? dim : "");
        if (prc >= 0)
            return prc;
        struct bilat_compare_opts co = {
            .a = sd.as, .na = sd.na, .b = sd.b, .from = sd.from, .to = sd.to, .dimension = dim};
        char *out = NULL;
        struct bilat_err perr = {0};
        prc = bilat_compare_render(r->db, &co, http_json_format(r), &out, &perr);
        if (prc == BILAT_ENOTFOUND)
            return http_error(r, o, 404, "%s", perr.msg);
        return reply_json(r, o, prc, out, &perr, pkey);
    }
    if (!section || !x || !y)
        return http_error(r, o, 400, "compare needs 'section', 'x' and 'y' together (e.g. "
                                     "section=events_by_year&x=year&y=events), or none of them");
    char key[600];
    int rc = cached(r, o, key, sizeof(key), "compare|%s|%s|%d|%d|%s|%s|%s|%s", http_arg(r, "a"),
                    sd.b, sd.from, sd.to, section, x, y, agg ? agg : "");
    if (rc >= 0)
        return rc;
    struct bilat_compare_opts co = {.a = sd.as, .na = sd.na, .b = sd.b, .from = sd.from,
                                    .to = sd.to, .view = BILAT_COMPARE_SECTION,
                                    .section = section, .x = x, .y = y, .agg = agg};
    char *out = NULL;
    struct bilat_err err = {0};
    rc = bilat_compare_render(r->db, &co, http_json_format(r), &out, &err);
    if (rc == BILAT_ENOTFOUND)
        return http_error(r, o, 404, "%s", err.msg);
    return reply_json(r, o, rc, out, &err, key);
}

/*
 * The clusters behind a figure of the event cube: the files that hold the selection are read
 * again, so what a request may ask is bounded (docs/API.md): a period of at most
 * HTTP_CLUSTERS_MAX_DAYS days, at most HTTP_CLUSTERS_MAX_FILES files and HTTP_CLUSTERS_MAX_MB of
 * them. Nothing is cached: the files live outside the store, whose generation says nothing of
 * them.
 */
const char *const http_clusters_params[] = {"a",    "b",    "month", "day",    "year",  "from",
                                            "to",   "quad", "root",  "origin", "dedup", NULL};

/* A date parameter (digits and dashes, at most 10), or NULL: 0, or 1 after filling an error
 * response (<0: out of memory). */
static int date_param(struct req *r, struct resp *o, const char *name, const char **out)
{
    const char *v = http_arg(r, name);
    *out = v && *v ? v : NULL;
    for (const char *p = *out; p && *p; p++) {
        if ((!isdigit((unsigned char)*p) && *p != '-') || p - *out >= 10) {
            int rc = http_error(r, o, 400, "parameter '%s' must be a date (YYYY-MM-DD, YYYY-MM "
                                           "or YYYY), not '%.40s'",
                                name, v);
            return rc < 0 ? rc : 1;
        }
    }
    return 0;
}

int http_clusters_find(struct req *r, struct resp *o, bilat_clusters **out)
{
    *out = NULL;
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
    if (http_code(r, o, "a", a, true) < 0 || http_code(r, o, "b", b, true) < 0)
        return 0;
    static const char *const per[] = {"month", "day", "year", "from", "to"};
    static const size_t len[] = {7, 10, 4, 0, 0};
    const char *pv[5];
    int n = 0;
    for (int i = 0; i < 5; i++) {
        int rc = date_param(r, o, per[i], &pv[i]);
        if (rc)
            return rc < 0 ? rc : 0;
        if (pv[i] && len[i] && strlen(pv[i]) != len[i])
            return http_error(r, o, 400, "parameter '%s' must be %s, not '%.40s'", per[i],
                              i == 0 ? "YYYY-MM" : i == 1 ? "YYYY-MM-DD" : "YYYY", pv[i]);
        n += pv[i] && i < 3;
    }
    if (n > 1 || (n == 1 && (pv[3] || pv[4])))
        return http_error(r, o, 400, "give one period: month, day, year, or from and to");
    if (n == 0 && (!pv[3] || !pv[4]))
        return http_error(r, o, 400, "give a period: month (YYYY-MM), day, year, or from and to "
                                     "(at most %d days)",
                          HTTP_CLUSTERS_MAX_DAYS);
    struct bilat_clusters_opts co;
    memset(&co, 0, sizeof(co));
    co.a = a;
    co.b = b;
    co.from = n ? (pv[0] ? pv[0] : pv[1] ? pv[1] : pv[2]) : pv[3];
    co.to = n ? co.from : pv[4];
    const char *q = http_arg(r, "quad");
    if (q && *q) {
        if (strlen(q) != 1 || q[0] < '1' || q[0] > '4')
            return http_error(r, o, 400, "parameter 'quad' must be 1, 2, 3 or 4, not '%.40s'", q);
        co.quad = q[0] - '0';
    }
    co.root = http_arg(r, "root");
    co.origin = http_arg(r, "origin");
    co.dedup = http_arg(r, "dedup");
    co.root = co.root && *co.root ? co.root : NULL;
    co.origin = co.origin && *co.origin ? co.origin : NULL;
    co.dedup = co.dedup && *co.dedup ? co.dedup : NULL;
    co.max_days = HTTP_CLUSTERS_MAX_DAYS;
    co.max_files = HTTP_CLUSTERS_MAX_FILES;
    co.max_bytes = (uint64_t)HTTP_CLUSTERS_MAX_MB << 20;
    co.threads = 2; /* a request among others: two cores at most */
    if (http_defer(r))
        return HTTP_DEFER;
    bilat_clusters *c = NULL;
    struct bilat_err err = {0};
    int rc = bilat_clusters_find(r->db, &co, &c, &err);
    if (rc == BILAT_ELIMIT)
        return http_error(r, o, 400, "%s: ask for a shorter period, or list them with 'bilat "
                                     "clusters' (no limit)",
                          err.msg);
    if (rc < 0)
        return http_fail(r, o, rc, &err);
    *out = c;
    return 0;
}

/* GET /api/clusters: the clusters behind a figure of the event data, with their sources. */
static int api_clusters(struct req *r, struct resp *o)
{
    bilat_clusters *c = NULL;
    int rc = http_clusters_find(r, o, &c);
    if (rc || !c)
        return rc;
    char *out = NULL;
    struct bilat_err err = {0};
    rc = bilat_clusters_render(c, http_json_format(r), &out, &err);
    bilat_clusters_free(c);
    return reply_json(r, o, rc, out, &err, NULL);
}

const char *const http_events_params[] = {"a",      "b",        "channel", "mode", "level",
                                          "origin", "from",     "to",      "year", "q",
                                          "page",   "per_page", NULL};

int http_events_query(struct req *r, struct resp *o, struct http_events *out)
{
    memset(out, 0, sizeof(*out));
    struct bilat_events_query *q = &out->q;
    int year;
    if (http_code(r, o, "a", out->a, false) < 0 || http_code(r, o, "b", out->b, false) < 0 ||
        http_year(r, o, "from", &q->from) < 0 || http_year(r, o, "to", &q->to) < 0 ||
        http_year(r, o, "year", &year) < 0)
        return -1;
    if (!out->a[0] != !out->b[0]) {
        http_error(r, o, 400, "give both 'a' and 'b', or neither");
        return -1;
    }
    q->a = out->a[0] ? out->a : NULL;
    q->b = out->b[0] ? out->b : NULL;
    if (year)
        q->from = q->to = year;
    static const char *const words[] = {"channel", "mode", "level", "origin"};
    const char **wv[] = {&q->channel, &q->mode, &q->level, &q->origin};
    for (int i = 0; i < 4; i++) {
        const char *v = http_arg(r, words[i]);
        for (const char *p = v; p && *p; p++) {
            if (!islower((unsigned char)*p) && *p != '_') {
                http_error(r, o, 400, "bad %s '%.40s' (lower-case letters)", words[i], v);
                return -1;
            }
        }
        *wv[i] = v && *v ? v : NULL;
    }
    const char *text = http_arg(r, "q");
    q->text = text && *text ? text : NULL;
    q->page = 1;
    q->per_page = 50;
    const char *ps = http_arg(r, "page"), *pp = http_arg(r, "per_page");
    char *end;
    if (ps && ((q->page = strtol(ps, &end, 10)) < 1 || *end || q->page > 100000)) {
        http_error(r, o, 400, "page must be a number from 1 to 100000");
        return -1;
    }
    if (pp && ((q->per_page = strtol(pp, &end, 10)) < 1 || *end || q->per_page > 500)) {
        http_error(r, o, 400, "per_page must be a number from 1 to 500");
        return -1;
    }
    return 0;
}

/* GET /api/events */
static int api_events(struct req *r, struct resp *o)
{
    struct http_events q;
    if (http_events_query(r, o, &q) < 0)
        return 0;
    char *out = NULL;
    struct bilat_err err = {0};
    int rc = bilat_events_render(r->db, &q.q, http_json_format(r), &out, &err);
    return reply_json(r, o, rc, out, &err, NULL);
}

/* Text field of the POST body: a string, absent or null; anything else is an error. */
static int field(json_t *obj, const char *key, const char **out, char *why, size_t len)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        *out = json_string_value(v);
        if (!**out)
            *out = NULL;
        return 0;
    }
    snprintf(why, len, "field '%s' must be a string", key);
    return -1;
}

/* The first field of the object `obj` that is not in `keys` (NULL-terminated), or NULL. */
static const char *unknown_key(json_t *obj, const char *const *keys)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        size_t k = 0;
        while (keys[k] && strcmp(keys[k], key) != 0)
            k++;
        if (!keys[k])
            return key;
    }
    return NULL;
}

/* POST /api/events: one curated event with its source (docs/API.md). */
/*
 * POST /api/events (the token was checked before the body was read): parse the body strictly
 * (no unknown field, strings where strings belong), write through a connection of its own, and
 * start a new cache generation so that no page shows the store as it was.
 */
static int api_event_add(struct req *r, struct resp *o)
{
    json_error_t jerr;
    json_t *doc = json_loadb(r->body.buf, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc)
        return http_error(r, o, 400, "the body is not valid JSON: %s (line %d, column %d)",
                          jerr.text, jerr.line, jerr.column);
    static const char *const ekeys[] = {"ref",     "date_from", "date_to", "precision",
                                        "source",  "target",    "cameo",   "channel",
                                        "mode",    "level",     "quantity", "unit",
                                        "place",   "note",      "source_id", "locator",
                                        "citation", NULL};
    static const char *const ckeys[] = {"id",  "title",   "author", "publisher", "date",
                                        "url", "license", "note",   NULL};
    char why[200] = "";
    struct bilat_event_fields e;
    struct bilat_source_fields src, *srcp = NULL;
    memset(&e, 0, sizeof(e));
    memset(&src, 0, sizeof(src));
    int bad = !json_is_object(doc);
    if (bad)
        snprintf(why, sizeof(why), "the body must be a JSON object (an event)");
    const char *unknown = bad ? NULL : unknown_key(doc, ekeys);
    if (unknown) {
        snprintf(why, sizeof(why), "unknown field '%.40s'", unknown);
        bad = 1;
    }
    const char **ef[] = {&e.ref,     &e.date_from, &e.date_to, &e.precision, &e.source,
                         &e.target,  &e.cameo,     &e.channel, &e.mode,      &e.level,
                         &e.quantity, &e.unit,     &e.place,   &e.note,      &e.source_id,
                         &e.locator};
    char qty[64];
    for (int i = 0; !bad && i < 16; i++) {
        if (i == 10 && json_is_number(json_object_get(doc, "quantity"))) {
            snprintf(qty, sizeof(qty), "%.17g", json_number_value(json_object_get(doc, "quantity")));
            e.quantity = qty;
            continue;
        }
        bad = field(doc, ekeys[i], ef[i], why, sizeof(why)) < 0;
    }
    json_t *cit = bad ? NULL : json_object_get(doc, "citation");
    if (cit && !json_is_null(cit)) {
        if (!json_is_object(cit)) {
            snprintf(why, sizeof(why), "'citation' must be an object");
            bad = 1;
        }
        unknown = bad ? NULL : unknown_key(cit, ckeys);
        if (unknown) {
            snprintf(why, sizeof(why), "unknown citation field '%.40s'", unknown);
            bad = 1;
        }
        const char **cf[] = {&src.id,  &src.title,   &src.author, &src.publisher,
                             &src.date, &src.url,    &src.license, &src.note};
        for (int i = 0; !bad && i < 8; i++)
            bad = field(cit, ckeys[i], cf[i], why, sizeof(why)) < 0;
        srcp = &src;
    }
    if (bad) {
        json_decref(doc);
        return http_error(r, o, 400, "%s", why);
    }
    /* the write goes through a connection of its own; the read connection stays read-only */
    bilat_db *w = NULL;
    struct bilat_err err = {0};
    char ref[64];
    int64_t id = 0;
    int conflict = 0;
    int rc = bilat_db_open(http_db_path(r->srv), 0, &w, &err);
    if (rc == 0)
        rc = bilat_event_add(w, &e, srcp, ref, &id, &conflict, &err);
    bilat_db_close(w);
    json_decref(doc);
    if (rc == BILAT_ENOMEM)
        return rc;
    if (rc < 0)
        return http_error(r, o, conflict ? 409 : rc == BILAT_EINVAL ? 422 : 500, "%s", err.msg);
    http_cache_bump(r->srv);
    json_t *res = json_pack("{s:s, s:I, s:s}", "ref", ref, "id", (json_int_t)id, "dataset", "api");
    rc = res ? http_json(r, o, 201, res) : BILAT_ENOMEM;
    json_decref(res);
    return rc;
}

/*
 * DELETE /api/events/REF (the token was checked first): the event REF goes, when it was added
 * through the API; an event of a curated dataset is that dataset's to change (409).
 */
static int api_event_delete(struct req *r, struct resp *o)
{
    const char *ref = http_path_rest(r);
    size_t n = strlen(ref);
    int ok = n > 0 && n < 60;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)ref[i]) || ref[i] == '-' || ref[i] == '_' || ref[i] == '.';
    if (!ok)
        return http_error(r, o, 400, "bad ref '%.60s' (1 to 59 letters, digits, '-', '_', '.')",
                          ref);
    bilat_db *w = NULL;
    struct bilat_err err = {0};
    int64_t id = 0;
    char owner[64];
    int rc = bilat_db_open(http_db_path(r->srv), 0, &w, &err);
    if (rc == 0)
        rc = bilat_event_delete(w, ref, &id, owner, &err);
    bilat_db_close(w);
    if (rc == BILAT_ENOMEM)
        return rc;
    if (rc == BILAT_ENOTFOUND)
        return http_error(r, o, 404, "%s", err.msg);
    if (rc < 0)
        return http_error(r, o, rc == BILAT_EINVAL ? 409 : 500, "%s", err.msg);
    http_cache_bump(r->srv);
    json_t *res = json_pack("{s:s, s:I, s:s}", "deleted", ref, "id", (json_int_t)id, "dataset",
                            "api");
    rc = res ? http_json(r, o, 200, res) : BILAT_ENOMEM;
    json_decref(res);
    return rc;
}

static const char *const p_none[] = {NULL};
static const char *const p_pair[] = {"a", "b", NULL};
static const char *const p_profile[] = {"a", "b", "from", "to", "section", "format", NULL};
static const char *const p_claims[] = {"a", "b", "id", NULL};
static const char *const p_network[] = {"a", "b", "from", "to", "format", NULL};
static const char *const p_votes[] = {"a", "b", "from", "to", "measure", NULL};
static const char *const p_compare[] = {"a", "b",   "from", "to",        "section",
                                        "x", "y",   "agg",  "dimension", NULL};

const struct route http_api_routes[] = {
    {"GET", "/api/health", api_health, p_none, true},
    {"GET", "/api/actors", api_actors, p_none, true},
    {"GET", "/api/profile", api_profile, p_profile, true},
    {"GET", "/api/claims", api_claims, p_claims, true},
    {"GET", "/api/network", api_network, p_network, true},
    {"GET", "/api/narratives", api_narratives, p_pair, true},
    {"GET", "/api/votes", api_votes, p_votes, true},
    {"GET", "/api/compare", api_compare, p_compare, true},
    {"GET", "/api/events", api_events, http_events_params, true},
    {"GET", "/api/clusters", api_clusters, http_clusters_params, true},
    {"POST", "/api/events", api_event_add, p_none, true},
    {"DELETE", "/api/events/*", api_event_delete, p_none, true},
    {"GET", "/api/cite", api_cite, p_pair, true},
    {NULL, NULL, NULL, NULL, false},
};
