/*
 * server.h: the web server's internals shared by server.c (daemon, threads, cache, limits),
 * api.c (the JSON API) and pages.c (the HTML pages).
 *
 * A request is handled by one libmicrohttpd pool thread from start to end. Each thread reads
 * the store through its own read-only connection (opened on first use); writes open a
 * connection of their own. Responses are built into a struct resp and sent by server.c.
 */
#ifndef BILAT_HTTP_SERVER_H
#define BILAT_HTTP_SERVER_H

#include "bilat.h"
#include "core/buf.h"
#include "core/parse.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on what a client may send (docs/API.md). */
enum {
    HTTP_MAX_URL = 2048,           /* bytes of path and query */
    HTTP_MAX_PARAMS = 24,          /* query parameters */
    HTTP_MAX_PARAM_LEN = 256,      /* bytes of one parameter value */
    HTTP_MAX_BODY = 64 * 1024,     /* bytes of a POST body */
    HTTP_MAX_HEADERS = 16 * 1024,  /* header memory per connection (libmicrohttpd's pool) */
    HTTP_MAX_CONNECTIONS = 1000,   /* connections open at once */
    HTTP_REQUEST_DEADLINE = 10,    /* seconds for a whole request (head and body) to arrive,
                                      however slowly it trickles */
    HTTP_MAX_WAITING = 768,        /* connections waiting for a request, all clients */
    HTTP_MAX_WAITING_PER_CLIENT = 256, /* ... from one client address */
};

struct cache_entry;
struct http_cache;

struct req {
    struct bilat_server *srv;
    struct MHD_Connection *conn;
    const char *method;         /* "GET", "HEAD", "POST" */
    const char *path;           /* URL path without the query */
    bilat_db *db;               /* this thread's read-only connection */
    uint64_t gen;               /* store generation seen at the start of the request */
    struct bilat_buf body;      /* POST body */
    bool body_too_big;          /* more than HTTP_MAX_BODY bytes were sent */
    bool uri_too_long;          /* the request line's URI is over HTTP_MAX_URL */
    const char *uri_bad;        /* why the URI cannot be taken (a NUL byte, bytes that are not
                                   UTF-8, a broken %-escape), or NULL */
    bool started;               /* the first call of the handler has been seen */
    const struct route *route;  /* the matched route, or NULL */
    bool in_worker;             /* running in the build pool (not on an event thread) */
    bool ready;                 /* a worker has built `done`: send it */
    struct resp *done;          /* the response a worker built (owned) */
    struct req *qnext;          /* the build queue */
    struct flight *flight;      /* the document this request is building (cache.c), or NULL */
    bool can_park;              /* a build worker runs it: a miss may wait on another's build */
    char *park_key;             /* set when its document is being built by another request
                                   (cache.c): the handler returns at once, and the worker parks
                                   it on that build (http_cache_park() clears it) */
    int status;                 /* status sent, for the log */
    size_t sent;                /* body bytes sent, for the log */
    double t0;                  /* start time (seconds, monotonic), for the log */
};

struct resp {
    int status;                   /* HTTP status */
    const char *type;             /* Content-Type */
    struct bilat_buf body;        /* the body, unless `entry` */
    struct cache_entry *entry;    /* a cached body shared with the cache (one reference) */
    char etag[48];                /* ETag, or "" */
    const char *disposition;      /* Content-Disposition, or NULL */
    const char *allow;            /* Allow header for 405, or NULL */
    bool auth_challenge;          /* add WWW-Authenticate: Bearer */
};

/*
 * A route handler: 0 with `out` filled (a response, an error response included), a negative
 * BILAT_E* for out of memory or an internal error, or HTTP_DEFER: the document is not cached
 * and building it takes a while, so the server suspends the connection and runs the handler
 * again in its build pool, where it builds (event threads keep answering other clients).
 */
typedef int route_fn(struct req *r, struct resp *out);

enum { HTTP_DEFER = 1 };

/* Whether a handler that misses the cache should return HTTP_DEFER (not already in the build
 * pool, and the pool is running). */
bool http_defer(const struct req *r);

struct route {
    const char *method;           /* "GET", "POST" or "DELETE" */
    const char *path;             /* exact path, or a prefix when it ends in a slash and a star
                                     (the rest of the path is the handler's: http_path_rest()) */
    route_fn *fn;                 /* handler */
    const char *const *params;    /* allowed query parameters, NULL-terminated */
    bool api;                     /* errors as JSON (else as an HTML page) */
};

/* The value of query parameter `name`, or NULL (borrowed from libmicrohttpd). */
const char *http_arg(const struct req *r, const char *name);

/* The part of the path after a prefix route's last slash (borrowed), "" for an exact route. */
const char *http_path_rest(const struct req *r);

/* Fill `out` with an error: JSON {"error": {"status", "message"}} for API routes, a small
 * HTML page otherwise. Returns 0. */
int http_error(struct req *r, struct resp *out, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Set the body to a JSON document (serialised compactly, or indented with ?pretty=1). */
int http_json(struct req *r, struct resp *out, int status, const json_t *doc);

/* The JSON format a request asks for: BILAT_FORMAT_JSON with ?pretty=1, else
 * BILAT_FORMAT_JSON_COMPACT (what http_json() writes). */
enum bilat_format http_json_format(const struct req *r);

/* Map a library error to a status: EINVAL/ENOTFOUND -> 400, ENOMEM -> 503, others 500. */
int http_status_of(int code);

/* A library error as a response: the status of http_status_of(), err's message (or the code's
 * description). Returns 0, but BILAT_ENOMEM as it is, without a response (the server's 503). */
int http_fail(struct req *r, struct resp *out, int code, const struct bilat_err *err);

/* Years from a query parameter: 0 when absent; -1 after filling an error response. */
int http_year(struct req *r, struct resp *out, const char *name, int *year);

/* An actor code parameter (core/parse.h: bilat_actor_code()), upper-cased into `code`; "" when
 * absent and not required. 0, or -1 after filling an error response. */
int http_code(struct req *r, struct resp *out, const char *name, char code[ACTOR_CODE_SIZE],
              bool required);

/* An optional dyad from `a` and `b` (http_code()): both codes, or neither ("" and ""). 0, or -1
 * after filling an error response. */
int http_pair(struct req *r, struct resp *out, char a[ACTOR_CODE_SIZE], char b[ACTOR_CODE_SIZE]);

/* The document cache (cache.c): bodies by key and store generation, least recently used
 * evicted past `max` bytes; http_cache_free() drops the cache's references. */
struct http_cache *http_cache_new(size_t max);
void http_cache_free(struct http_cache *c);

/* The cache of a server. */
struct http_cache *http_server_cache(struct bilat_server *srv);

/* A cached document for `key` in generation r->gen, or NULL; the caller owns one reference
 * and passes it to a response (resp.entry) or drops it with http_cache_put_ref(). In a build
 * worker, a miss while another request builds the same key sets r->park_key (the handler returns
 * HTTP_DEFER at once, and the worker calls http_cache_park()), and a miss it must build itself
 * is recorded (its "flight") until http_cache_land(). */
struct cache_entry *http_cache_get(struct req *r, const char *key);

/* Park a request on the build of its document (r->park_key was set): true when parked (the
 * build's end queues it again), false when the build has landed meanwhile (run it again). */
bool http_cache_park(struct req *r);

/* The build of a request is over (its document cached, or failed): queue again the requests
 * parked on it. Nothing to do for a request that had no flight. */
void http_cache_land(struct req *r);

/* Put a parked request (its connection still suspended) back at the front of the build pool's
 * queue. */
void http_pool_requeue(struct bilat_server *srv, struct req *r);

/* Store `data` (takes ownership of the bilat_malloc'd buffer) under `key` for generation
 * r->gen and return a reference to the entry, or NULL when out of memory (data freed). */
struct cache_entry *http_cache_put(struct req *r, const char *key, char *data, size_t len,
                                   const char *type);

void http_cache_put_ref(struct cache_entry *e);

/* Body and length of an entry. */
const char *http_cache_data(const struct cache_entry *e, size_t *len, const char **type);

/* The entry's body gzip-compressed, or NULL (small bodies, or compression saved nothing). */
const char *http_cache_gzip(const struct cache_entry *e, size_t *len);

/* Invalidate every cached document (after a write through the API). */
void http_cache_bump(struct bilat_server *srv);

/* The bearer token the server was started with, or NULL (writes refused). */
const char *http_token(const struct bilat_server *srv);

/* The path of the store (for write connections). */
const char *http_db_path(const struct bilat_server *srv);

/* The events query of a request (its strings point into `codes` and the request). */
struct http_events {
    struct bilat_events_query q;
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE];
};

/* The events query from the request's filters (a, b, channel, mode, level, origin, from, to,
 * year, q, page, per_page). 0, or -1 after filling an error response. */
int http_events_query(struct req *r, struct resp *o, struct http_events *out);

/* The query parameters http_events_query() reads (the routes that serve it allow these). */
extern const char *const http_events_params[];

/* What one request for clusters may read (docs/API.md). */
enum {
    HTTP_CLUSTERS_MAX_DAYS = 366, /* days of the period */
    HTTP_CLUSTERS_MAX_FILES = 100, /* files that hold the selection */
    HTTP_CLUSTERS_MAX_MB = 2048,  /* their size in all, MiB */
};

/* The clusters behind a figure of the event data (a, b, month, day, year, from, to, quad, root,
 * origin, dedup), found within the limits above. 0 with *out set (caller frees with
 * bilat_clusters_free()), or with *out NULL when `o` holds an error response instead;
 * HTTP_DEFER when they are to be found in the pool; <0 for out of memory. */
int http_clusters_find(struct req *r, struct resp *o, bilat_clusters **out);

/* The query parameters http_clusters_find() reads. */
extern const char *const http_clusters_params[];

/* Route tables. */
extern const struct route http_api_routes[];
extern const struct route http_page_routes[];

#endif
