/*
 * server.c: the web server (bilat_server_start()) on libmicrohttpd: no hand-written HTTP. The
 * library is loaded when a server starts (http/mhd_dl.h).
 *
 * Threads: libmicrohttpd's internal pool (one event loop per thread, epoll where available);
 * a request runs on one pool thread from its first byte to its response. Each thread opens its
 * own read-only connection to the store on first use (SQLite connections are not shared
 * between threads); with WAL, `bilat load` and `bilat ingest` can write while the server reads.
 *
 * Cache: profile documents and pages are cached by their key (route, dyad, period) and the
 * store generation. Every request first asks its connection for PRAGMA data_version, which
 * changes when another connection committed since the connection last looked; a change bumps
 * the server's generation, and entries of an older generation are never served. A writer
 * commits before any request that could see its data starts, and a request reads the store
 * only after this check, so an entry of the current generation can only come from a snapshot
 * that already holds every commit this request's connection has seen (docs/API.md).
 *
 * Limits: the URL (HTTP_MAX_URL), NUL bytes and bytes that are not UTF-8 in the path or a
 * parameter, the number and length of query parameters, unknown or repeated parameters (a typo
 * must not be ignored, nor a second value), the POST body (HTTP_MAX_BODY, refused from its
 * Content-Length before it is read), header memory per connection, connections and idle time.
 * Writes need `Authorization: Bearer TOKEN`: without a configured token every write is 403,
 * without or with a wrong header 401 or 403; nothing is read or changed before that check.
 *
 * Slow clients: libmicrohttpd's idle timeout is reset by every byte, so a client trickling a
 * header line every few seconds holds its connection for ever, and a thousand of them hold
 * every connection the server has. The guard below keeps each connection that is waiting for a
 * request (its head and body; a kept-alive connection between requests too) in a list, oldest
 * first: a request must arrive whole within HTTP_REQUEST_DEADLINE seconds of the wait's start
 * whatever it trickles, one client address may keep at most HTTP_MAX_WAITING_PER_CLIENT such
 * connections and all clients HTTP_MAX_WAITING; past a limit the oldest waiting connection is
 * closed (shutdown() of its socket: libmicrohttpd then sees the end of the stream and cleans up)
 * to make room for the new one, unless a whole request head is already waiting in its socket
 * (a client that sent its request at once, not read yet while the server is busy: a peek
 * tells). So a flood of slow connections from one address only displaces its own connections,
 * and a client that sends its request at once gets in. A connection being answered, or
 * suspended while its document is built, is never closed.
 * The list is under a mutex that libmicrohttpd's "connection closed" notification also takes
 * before the socket is closed, so a socket is never shut down after its number was reused.
 */
#include "http/server.h"

#include "core/alloc.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "core/utf8.h"
#include "http/mhd_dl.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct tconn {
    bilat_db *db;       /* a read-only connection */
};

/* A connection, as the slow-client guard sees it (libmicrohttpd's socket context). */
struct client {
    TAILQ_ENTRY(client) link;      /* in the waiting list, when `waiting` */
    int fd;                        /* its socket */
    unsigned char addr[16];        /* the client's address (IPv4 or IPv6 bytes) */
    size_t alen;
    double since;                  /* when it started waiting for a request (monotonic s) */
    bool waiting;                  /* waiting for a whole request */
};

struct guard {
    pthread_mutex_t mu;
    TAILQ_HEAD(clients, client) waiting; /* waiting connections, oldest first */
    size_t nwaiting;
    uint64_t closed;               /* connections closed by the guard, for the log */
    pthread_t reaper;              /* closes the waiting connections past their deadline */
    bool reaper_started;
    bool stopping;
    pthread_cond_t wake;
};

struct bilat_server {
    struct MHD_Daemon *d;
    struct guard guard;        /* slow clients (see the top of this file) */
    unsigned id;               /* tells this server's thread connections from another's */
    char *db_path;
    char *token;
    unsigned port;
    struct bilat_diag diag;
    atomic_uint_fast64_t gen;  /* store generation */
    pthread_mutex_t conns_lock;
    struct tconn *conns;       /* every thread's connection, closed at stop */
    size_t nconns, cap;
    struct http_cache *cache;  /* documents and pages built (cache.c) */
    /* the build pool: documents that are not cached are built here, so that a build never
     * holds up the clients an event thread serves */
    pthread_t *workers;
    unsigned nworkers;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct req *qhead, *qtail; /* suspended requests waiting for a worker */
    bool stopping;             /* workers leave when the queue is empty */
    atomic_bool inline_only;   /* no pool (stopping): handlers build on the event thread */
};

static atomic_uint server_ids;

/* The connection of this thread for this server. */
static __thread struct {
    unsigned srv_id;      /* the server the slot belongs to (0: none yet) */
    size_t index;         /* its slot in the server's conns */
    int64_t data_version; /* last data_version seen, -1 before the first look */
} tl;

/* Monotonic seconds, for request durations in the log. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void diag(struct bilat_server *s, enum bilat_level lv, const char *fmt, ...)
    BILAT_PRINTF(3, 4);
/* A server message through the caller's diag callback (the CLI prints it on stderr). */
static void diag(struct bilat_server *s, enum bilat_level lv, const char *fmt, ...)
{
    if (!s->diag.fn)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->diag.fn(s->diag.ctx, lv, NULL, 0, msg);
}

/* ------------------------------------------------------------------------------------------ */
/* Thread connections and the store generation                                                */

/*
 * Open this thread's read-only connection on its first request for this server, and register
 * it so that bilat_server_stop() closes it after the threads are gone.
 */
static int thread_conn(struct bilat_server *s, struct bilat_err *err)
{
    if (tl.srv_id == s->id)
        return 0;
    bilat_db *db = NULL;
    BILAT_TRY(bilat_db_open(s->db_path, BILAT_OPEN_READONLY, &db, err));
    /* A connection per thread, each with SQLite's page cache: 8 MiB each (not the 64 MiB a
     * command's single connection has) keeps the server's memory near its document cache
     * (bench/RESULTS.md); the store's hot pages stay in the OS page cache anyway. */
    int rc = bilat_db_set_cache(db, 8192, err);
    if (rc == 0) {
        pthread_mutex_lock(&s->conns_lock);
        if (s->nconns == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 8;
            struct tconn *c = bilat_realloc_array(s->conns, cap, sizeof(*c));
            if (c) {
                s->conns = c;
                s->cap = cap;
            }
        }
        if (s->nconns < s->cap) {
            s->conns[s->nconns] = (struct tconn){db};
            tl.index = s->nconns++;
            tl.srv_id = s->id;
            tl.data_version = -1;
        } else {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
        /* pointers into conns move when it grows: look the slot up by index */
        pthread_mutex_unlock(&s->conns_lock);
    }
    if (rc < 0) {
        bilat_db_close(db);
        return rc;
    }
    return 0;
}

/* This thread's connection (the array may have moved since it was added). */
static struct tconn thread_slot(struct bilat_server *s)
{
    pthread_mutex_lock(&s->conns_lock);
    struct tconn c = s->conns[tl.index];
    pthread_mutex_unlock(&s->conns_lock);
    return c;
}

/* Look at the store's data_version through this thread's connection; a change is a new
 * generation. */
static int check_generation(struct bilat_server *s, struct req *r, struct bilat_err *err)
{
    BILAT_TRY(thread_conn(s, err));
    struct tconn c = thread_slot(s);
    int64_t v = 0;
    BILAT_TRY(bilat_db_data_version(c.db, &v, err));
    if (v != tl.data_version) {
        if (tl.data_version != -1)
            atomic_fetch_add(&s->gen, 1);
        tl.data_version = v;
    }
    r->db = c.db;
    r->gen = atomic_load(&s->gen);
    return 0;
}

bool http_defer(const struct req *r)
{
    return !r->in_worker && r->srv->nworkers && !atomic_load(&r->srv->inline_only);
}

/*
 * Queue a request for the build pool and suspend its connection (before a worker can see
 * it: resuming a connection that is not suspended is undefined). False when the pool is
 * stopping: the caller builds on its own thread.
 */
static void queue_append(struct bilat_server *s, struct req *r) /* qlock held */
{
    r->qnext = NULL;
    if (s->qtail)
        s->qtail->qnext = r;
    else
        s->qhead = r;
    s->qtail = r;
    pthread_cond_signal(&s->qcond);
}

static bool pool_push(struct bilat_server *s, struct req *r)
{
    pthread_mutex_lock(&s->qlock);
    bool ok = !s->stopping;
    if (ok) {
        mhd_fn.suspend_connection(r->conn);
        queue_append(s, r);
    }
    pthread_mutex_unlock(&s->qlock);
    return ok;
}

static void run_route(struct bilat_server *s, struct req *r, struct resp *o);
static void guard_busy(struct bilat_server *s, struct MHD_Connection *conn);
static void guard_idle(struct bilat_server *s, struct MHD_Connection *conn);

/* A build worker: take a suspended request, run its handler (which builds and caches the
 * document), hand the response back and resume the connection. */
static void *pool_worker(void *arg)
{
    struct bilat_server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->qlock);
        while (!s->qhead && !s->stopping)
            pthread_cond_wait(&s->qcond, &s->qlock);
        struct req *r = s->qhead;
        if (r) {
            s->qhead = r->qnext;
            if (!s->qhead)
                s->qtail = NULL;
        }
        pthread_mutex_unlock(&s->qlock);
        if (!r)
            break; /* stopping, and nothing left */
        struct resp *o = NULL;
        bool parked = false;
        for (;;) {
            o = bilat_calloc(1, sizeof(*o));
            if (!o)
                break; /* no memory for a response: the event thread answers 503 */
            o->status = 200;
            o->type = "text/plain; charset=utf-8";
            bilat_buf_init(&o->body);
            r->in_worker = true;
            r->can_park = true;
            run_route(s, r, o);
            r->can_park = false;
            if (!r->park_key)
                break;
            /* another request is building its document: wait on that build, which queues this
             * one again when it lands; or, when it has landed meanwhile, run again at once */
            http_cache_put_ref(o->entry);
            bilat_buf_release(&o->body);
            bilat_free(o);
            o = NULL;
            if ((parked = http_cache_park(r)))
                break;
        }
        if (parked)
            continue;
        http_cache_land(r);
        r->done = o;
        r->ready = true;
        mhd_fn.resume_connection(r->conn);
    }
    return NULL;
}

void http_pool_requeue(struct bilat_server *s, struct req *r)
{
    /* at the front: its document is cached now, so it takes a worker a moment, where the
     * requests queued behind it may each be a build. Queued even when the pool is stopping:
     * the workers empty the queue before they end. */
    pthread_mutex_lock(&s->qlock);
    r->qnext = s->qhead;
    s->qhead = r;
    if (!s->qtail)
        s->qtail = r;
    pthread_cond_signal(&s->qcond);
    pthread_mutex_unlock(&s->qlock);
}

void http_cache_bump(struct bilat_server *srv)
{
    atomic_fetch_add(&srv->gen, 1);
}

struct http_cache *http_server_cache(struct bilat_server *srv)
{
    return srv->cache;
}

const char *http_token(const struct bilat_server *srv)
{
    return srv->token;
}

const char *http_db_path(const struct bilat_server *srv)
{
    return srv->db_path;
}

/* ------------------------------------------------------------------------------------------ */
/* Responses                                                                                  */

const char *http_arg(const struct req *r, const char *name)
{
    return mhd_fn.lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_path_rest(const struct req *r)
{
    size_t n = r->route ? strlen(r->route->path) : 0;
    if (n < 2 || strcmp(r->route->path + n - 2, "/*") != 0)
        return "";
    return r->path + n - 1;
}

int http_status_of(int code)
{
    if (code == BILAT_EINVAL || code == BILAT_ENOTFOUND || code == BILAT_EPARSE)
        return 400;
    if (code == BILAT_ENOMEM)
        return 503;
    return 500;
}

enum bilat_format http_json_format(const struct req *r)
{
    const char *pretty = http_arg(r, "pretty");
    return pretty && strcmp(pretty, "1") == 0 ? BILAT_FORMAT_JSON : BILAT_FORMAT_JSON_COMPACT;
}

int http_json(struct req *r, struct resp *out, int status, const json_t *doc)
{
    size_t flags = JSON_REAL_PRECISION(15) |
                   (http_json_format(r) == BILAT_FORMAT_JSON ? JSON_INDENT(2) : JSON_COMPACT);
    out->status = status;
    out->type = "application/json";
    int rc = bilat_jsonw(&out->body, doc, flags, 0);
    if (rc == 0)
        rc = bilat_buf_addch(&out->body, '\n');
    return rc;
}

/* Make a message valid UTF-8 without control characters (it may quote what a client sent):
 * such bytes become '?'. */
static void clean_text(char *msg)
{
    size_t n = strlen(msg), i = 0;
    while (i < n) {
        size_t ok = bilat_utf8_check(msg + i, n - i);
        for (size_t k = i; k < i + ok; k++)
            if ((unsigned char)msg[k] < 0x20 || msg[k] == 0x7f)
                msg[k] = '?';
        i += ok;
        if (i < n)
            msg[i++] = '?';
    }
}

int http_error(struct req *r, struct resp *out, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    clean_text(msg);
    bilat_buf_reset(&out->body);
    out->status = status;
    http_cache_put_ref(out->entry); /* an error replaces a cached body (NULL: nothing) */
    out->entry = NULL;
    bool api = (r->route && r->route->api) || !r->path || strncmp(r->path, "/api/", 5) == 0;
    if (api) {
        json_t *doc = json_pack("{s:{s:i, s:s}}", "error", "status", status, "message", msg);
        int rc = doc ? http_json(r, out, status, doc) : BILAT_ENOMEM;
        json_decref(doc);
        if (rc < 0) {
            /* no memory for the document: a body without the message, still JSON */
            bilat_buf_reset(&out->body);
            out->type = "application/json";
            bilat_buf_addf(&out->body, "{\"error\":{\"status\":%d,\"message\":\"%s\"}}\n",
                           status, status == 503 ? "out of memory" : "error");
        }
        return 0;
    }
    out->type = "text/html; charset=utf-8";
    int rc = bilat_buf_addf(&out->body,
                            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                            "<title>%d</title><link rel=\"stylesheet\" href=\"/static/bilat.css\">"
                            "</head><body><main><h1>%d</h1><p>",
                            status, status);
    /* the message may quote user input: escape it */
    for (const char *p = msg; rc == 0 && *p; p++) {
        switch (*p) {
        case '<': rc = bilat_buf_adds(&out->body, "&lt;"); break;
        case '>': rc = bilat_buf_adds(&out->body, "&gt;"); break;
        case '&': rc = bilat_buf_adds(&out->body, "&amp;"); break;
        case '"': rc = bilat_buf_adds(&out->body, "&quot;"); break;
        case '\'': rc = bilat_buf_adds(&out->body, "&#39;"); break;
        default: rc = bilat_buf_addch(&out->body, *p);
        }
    }
    if (rc == 0)
        rc = bilat_buf_adds(&out->body, "</p><p><a href=\"/\">bilat</a></p></main></body></html>\n");
    return rc < 0 ? rc : 0;
}

int http_fail(struct req *r, struct resp *out, int code, const struct bilat_err *err)
{
    if (code == BILAT_ENOMEM)
        return code;
    return http_error(r, out, http_status_of(code), "%s",
                      err->msg[0] ? err->msg : bilat_strerror(code));
}

int http_year(struct req *r, struct resp *out, const char *name, int *year)
{
    const char *v = http_arg(r, name);
    *year = 0;
    if (!v || !*v)
        return 0;
    int ok = strlen(v) == 4;
    for (int i = 0; ok && i < 4; i++)
        ok = v[i] >= '0' && v[i] <= '9';
    if (!ok || v[0] == '0') {
        http_error(r, out, 400, "parameter '%s' must be a year (e.g. 1996), not '%.40s'", name, v);
        return -1;
    }
    *year = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    return 0;
}

int http_code(struct req *r, struct resp *out, const char *name, char code[ACTOR_CODE_SIZE],
              bool required)
{
    const char *v = http_arg(r, name);
    code[0] = '\0';
    if (!v || !*v) {
        if (required) {
            http_error(r, out, 400, "missing parameter '%s' (an actor code such as KHM)", name);
            return -1;
        }
        return 0;
    }
    if (!bilat_actor_code(v, code)) {
        http_error(r, out, 400, "bad actor code in '%s': '%.40s' (2 to %d letters or digits)",
                   name, v, ACTOR_CODE_MAX);
        return -1;
    }
    return 0;
}

int http_pair(struct req *r, struct resp *out, char a[ACTOR_CODE_SIZE], char b[ACTOR_CODE_SIZE])
{
    if (http_code(r, out, "a", a, false) < 0 || http_code(r, out, "b", b, false) < 0)
        return -1;
    if (!a[0] != !b[0]) {
        http_error(r, out, 400, "give both 'a' and 'b', or neither");
        return -1;
    }
    return 0;
}

/* libmicrohttpd frees a response's body through these when it has sent it. */
static void free_buffer(void *p)
{
    bilat_free(p);
}

static void free_entry(void *p)
{
    http_cache_put_ref(p);
}

/*
 * Queue the response: a cached body is sent from the cache entry itself (the response holds a
 * reference), others from a buffer handed to libmicrohttpd. A matching If-None-Match turns a
 * 200 into a 304 without a body.
 */
static enum MHD_Result send_resp(struct req *r, struct resp *o)
{
    const char *data;
    size_t len;
    const char *type = o->type;
    struct MHD_Response *mr;
    /* a client that accepts gzip gets the compressed body of a cached document; the two
     * representations have their own ETags */
    const char *ae = mhd_fn.lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_ACCEPT_ENCODING);
    size_t zlen = 0;
    const char *z = o->entry ? http_cache_gzip(o->entry, &zlen) : NULL;
    bool gz = z && ae && strstr(ae, "gzip") && o->status == 200;
    if (gz && o->etag[0] && strlen(o->etag) + 3 < sizeof(o->etag)) {
        size_t n = strlen(o->etag);
        memcpy(o->etag + n - 1, "-gz\"", 5);
    }
    const char *inm = mhd_fn.lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (o->etag[0] && inm && strcmp(inm, o->etag) == 0 && o->status == 200) {
        /* the client has this version */
        http_cache_put_ref(o->entry);
        o->entry = NULL;
        bilat_buf_reset(&o->body);
        o->status = 304;
        gz = false;
    }
    if (o->entry) {
        data = http_cache_data(o->entry, &len, &type);
        if (gz) {
            data = z;
            len = zlen;
        }
        mr = mhd_fn.create_response_from_buffer_with_free_callback_cls(len, (void *)(uintptr_t)data,
                                                                    free_entry, o->entry);
        if (mr)
            o->entry = NULL;
    } else {
        len = o->body.len;
        char *d = bilat_buf_detach(&o->body, NULL);
        if (!d)
            return MHD_NO;
        mr = mhd_fn.create_response_from_buffer_with_free_callback_cls(len, d, free_buffer, d);
        if (!mr)
            bilat_free(d);
    }
    if (!mr)
        return MHD_NO;
    if (type && o->status != 304)
        mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    mhd_fn.add_response_header(mr, "X-Content-Type-Options", "nosniff");
    mhd_fn.add_response_header(mr, "Referrer-Policy", "no-referrer");
    if (type && strncmp(type, "text/html", 9) == 0)
        mhd_fn.add_response_header(mr, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self' "
                                "'unsafe-inline'; script-src 'self'; frame-ancestors 'none'");
    mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    if (gz) {
        mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
        mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    }
    if (o->etag[0])
        mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_ETAG, o->etag);
    if (o->disposition)
        mhd_fn.add_response_header(mr, "Content-Disposition", o->disposition);
    if (o->allow)
        mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_ALLOW, o->allow);
    if (o->auth_challenge)
        mhd_fn.add_response_header(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"bilat\"");
    r->status = o->status;
    r->sent = o->status == 304 ? 0 : len;
    enum MHD_Result ret = mhd_fn.queue_response(r->conn, (unsigned)o->status, mr);
    mhd_fn.destroy_response(mr);
    return ret;
}

/* ------------------------------------------------------------------------------------------ */
/* Routing and limits                                                                         */

/*
 * The route for a path and method (HEAD is GET without a body); *path_known tells a wrong
 * method (405) from an unknown path (404).
 */
/* Whether a route's path takes `path`: equal, or for a prefix route (ending in a slash and a
 * star), any path that starts with the prefix and has one more step. */
static bool route_takes(const struct route *rt, const char *path)
{
    size_t n = strlen(rt->path);
    if (n >= 2 && strcmp(rt->path + n - 2, "/*") == 0)
        return strncmp(rt->path, path, n - 1) == 0 && path[n - 1] && !strchr(path + n - 1, '/');
    return strcmp(rt->path, path) == 0;
}

static const struct route *find_route(const char *path, const char *method, bool *path_known)
{
    const struct route *tables[] = {http_api_routes, http_page_routes};
    *path_known = false;
    for (size_t t = 0; t < 2; t++)
        for (const struct route *rt = tables[t]; rt->path; rt++) {
            if (!route_takes(rt, path))
                continue;
            *path_known = true;
            if (strcmp(rt->method, method) == 0 ||
                (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0))
                return rt;
        }
    return NULL;
}

struct argcheck {
    const struct route *rt;
    int n;
    const char *seen[HTTP_MAX_PARAMS]; /* keys so far (borrowed from libmicrohttpd) */
    bool repeated;     /* the problem is a parameter given twice */
    char bad[80];      /* first problem */
};

/* Count the query parameters and note the first unknown or overlong one. */
static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    (void)kind;
    struct argcheck *a = cls;
    a->n++;
    if (a->bad[0])
        return MHD_YES;
    if (value && strlen(value) > HTTP_MAX_PARAM_LEN) {
        snprintf(a->bad, sizeof(a->bad), "parameter '%.30s' is longer than %d bytes", key,
                 HTTP_MAX_PARAM_LEN);
        return MHD_YES;
    }
    for (int i = 0; i < a->n - 1 && i < HTTP_MAX_PARAMS; i++)
        if (strcmp(a->seen[i], key) == 0) {
            /* which of two values is meant cannot be told: neither is taken */
            snprintf(a->bad, sizeof(a->bad), "parameter '%.40s' is given more than once", key);
            a->repeated = true;
            return MHD_YES;
        }
    if (a->n - 1 < HTTP_MAX_PARAMS)
        a->seen[a->n - 1] = key;
    bool known = a->rt->api && strcmp(key, "pretty") == 0;
    for (const char *const *p = a->rt->params; p && *p && !known; p++)
        known = strcmp(*p, key) == 0;
    if (!known)
        snprintf(a->bad, sizeof(a->bad), "unknown parameter '%.40s'", key);
    return MHD_YES;
}

/* Allowed parameters of a route, for an error message. */
static void list_params(const struct route *rt, char *out, size_t len)
{
    out[0] = '\0';
    for (const char *const *p = rt->params; p && *p; p++)
        snprintf(out + strlen(out), len - strlen(out), "%s%s", out[0] ? ", " : "", *p);
    if (!out[0])
        snprintf(out, len, "none");
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                 : -1;
}

/*
 * What is wrong with a raw URI, or NULL: libmicrohttpd unescapes the path and the parameters
 * into C strings, so a %00 would cut a value short (app.js%00.txt would be app.js), and bytes
 * that are not UTF-8 could not be quoted back in a JSON error. Both are refused as a whole,
 * before the URI is looked at, as is a '%' not followed by two hex digits.
 */
static const char *uri_problem(const char *uri)
{
    char buf[HTTP_MAX_URL + 1];
    size_t n = 0;
    for (const char *p = uri; *p && n < sizeof(buf); p++) {
        char c = *p;
        if (c == '%') {
            int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
            if (hi < 0 || lo < 0)
                return "a '%' in the URL is not followed by two hex digits";
            c = (char)(hi * 16 + lo);
            p += 2;
            if (c == '\0')
                return "the URL holds a NUL byte (%00)";
        }
        buf[n++] = c;
    }
    if (bilat_utf8_check(buf, n) != n)
        return "the URL holds bytes that are not UTF-8";
    return NULL;
}

/*
 * libmicrohttpd's first callback of a request, with the raw URI: the request's state is
 * allocated here (its pointer becomes the request's con_cls).
 */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    struct bilat_server *s = cls;
    struct req *r = bilat_calloc(1, sizeof(*r));
    if (!r)
        return NULL;
    r->srv = s;
    r->t0 = now_s();
    bilat_buf_init(&r->body);
    /* the raw URI's length is only known here */
    r->uri_too_long = uri && strlen(uri) > HTTP_MAX_URL;
    if (uri && !r->uri_too_long)
        r->uri_bad = uri_problem(uri);
    return r;
}

static bool bearer_ok(const char *header, const char *token)
{
    if (!header || strncmp(header, "Bearer ", 7) != 0)
        return false;
    const char *t = header + 7;
    size_t n = strlen(t), m = strlen(token);
    /* compare in time independent of where the first difference is */
    unsigned char d = (unsigned char)(n != m);
    for (size_t i = 0; i < m; i++)
        d |= (unsigned char)(token[i] ^ (i < n ? t[i] : 0));
    return d == 0;
}

/* The Allow header of a path known under other methods (405). */
static const char *allowed_methods(const char *url)
{
    bool get = false, post = false, del = false;
    const struct route *tables[] = {http_api_routes, http_page_routes};
    for (size_t t = 0; t < 2; t++)
        for (const struct route *rt = tables[t]; rt->path; rt++)
            if (route_takes(rt, url)) {
                get |= strcmp(rt->method, "GET") == 0;
                post |= strcmp(rt->method, "POST") == 0;
                del |= strcmp(rt->method, "DELETE") == 0;
            }
    return get && post ? "GET, HEAD, POST" : get ? "GET, HEAD" : post ? "POST" : "DELETE";
}

/* A handler failed: out of memory is a 503, anything else an internal error (500). */
static void route_failed(struct bilat_server *s, struct req *r, struct resp *o, int hrc)
{
    http_cache_put_ref(o->entry);
    o->entry = NULL;
    if (hrc == BILAT_ENOMEM) {
        http_error(r, o, 503, "out of memory");
    } else {
        diag(s, BILAT_LOG_ERROR, "%s %s: %s", r->method, r->path, bilat_strerror(hrc));
        http_error(r, o, 500, "internal error (%s)", bilat_errname(hrc));
    }
}

/* Run a handler where it may build (a worker, or an event thread when the pool is stopping);
 * the request keeps the store generation seen when it arrived. */
static void run_route(struct bilat_server *s, struct req *r, struct resp *o)
{
    struct bilat_err err = {0};
    uint64_t gen = r->gen;
    if (check_generation(s, r, &err) < 0) {
        diag(s, BILAT_LOG_ERROR, "%s", err.msg);
        http_error(r, o, 503, "the store cannot be read: %s", err.msg);
        return;
    }
    r->gen = gen;
    int hrc = r->route->fn(r, o);
    if (hrc < 0)
        route_failed(s, r, o, hrc);
    else if (hrc == HTTP_DEFER && !r->park_key)
        route_failed(s, r, o, BILAT_EINVAL); /* a handler must build when it cannot defer */
}

/* What the first call of a request decided: answer at once, wait for the body, or run. */
enum { HEAD_REFUSED, HEAD_BODY, HEAD_RUN };

/*
 * The first call of a request sees its head: routing, parameter limits and, for a write,
 * authorisation, type and size, all refused before the body is read. HEAD_REFUSED with the
 * error in `o`, HEAD_BODY (a POST whose body follows) or HEAD_RUN (a request without a body).
 */
static int check_head(struct bilat_server *s, struct req *r, struct MHD_Connection *conn,
                      const char *url, const char *method, size_t upload_size, struct resp *o)
{
    r->started = true;
    r->conn = conn;
    r->method = method;
    r->path = url;
    bool known = false;
    r->route = find_route(url, method, &known);
    if (r->uri_too_long) {
        http_error(r, o, 414, "the URL is longer than %d bytes", HTTP_MAX_URL);
        return HEAD_REFUSED;
    }
    if (r->uri_bad) {
        http_error(r, o, 400, "%s", r->uri_bad);
        return HEAD_REFUSED;
    }
    if (!r->route) {
        if (known) {
            o->allow = allowed_methods(url);
            http_error(r, o, 405, "method %s is not allowed on %s", method, url);
        } else {
            http_error(r, o, 404, "no such page or endpoint: %.200s", url);
        }
        return HEAD_REFUSED;
    }
    struct argcheck ac = {.rt = r->route};
    mhd_fn.get_connection_values(conn, MHD_GET_ARGUMENT_KIND, check_arg, &ac);
    if (ac.n > HTTP_MAX_PARAMS) {
        http_error(r, o, 400, "too many query parameters (%d; at most %d)", ac.n,
                   HTTP_MAX_PARAMS);
        return HEAD_REFUSED;
    }
    if (ac.bad[0] && ac.repeated) {
        http_error(r, o, 400, "%s", ac.bad);
        return HEAD_REFUSED;
    }
    if (ac.bad[0]) {
        char allowed[256];
        list_params(r->route, allowed, sizeof(allowed));
        http_error(r, o, 400, "%s (allowed: %s)", ac.bad, allowed);
        return HEAD_REFUSED;
    }
    bool post = strcmp(method, "POST") == 0;
    if (post || strcmp(method, "DELETE") == 0) {
        /* authorisation, type and size are checked before a byte of the body is read */
        const char *auth = mhd_fn.lookup_connection_value(conn, MHD_HEADER_KIND,
                                                       MHD_HTTP_HEADER_AUTHORIZATION);
        if (!s->token) {
            http_error(r, o, 403, "writes are disabled: the server was started without "
                                   "--token-file");
            return HEAD_REFUSED;
        }
        if (!auth) {
            o->auth_challenge = true;
            http_error(r, o, 401, "writes need 'Authorization: Bearer TOKEN'");
            return HEAD_REFUSED;
        }
        if (!bearer_ok(auth, s->token)) {
            http_error(r, o, 403, "wrong token");
            return HEAD_REFUSED;
        }
    }
    if (post) {
        const char *ct = mhd_fn.lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncmp(ct, "application/json", 16) != 0) {
            http_error(r, o, 415, "the body must be JSON (Content-Type: application/json)");
            return HEAD_REFUSED;
        }
        const char *cl = mhd_fn.lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
            http_error(r, o, 413, "the body is larger than %d bytes", HTTP_MAX_BODY);
            return HEAD_REFUSED;
        }
        return HEAD_BODY;
    }
    const char *clen = mhd_fn.lookup_connection_value(conn, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (upload_size || (clen && strcmp(clen, "0") != 0) ||
        mhd_fn.lookup_connection_value(conn, MHD_HEADER_KIND,
                                    MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
        /* a GET with a body: not ours to read */
        http_error(r, o, 400, "a %s request takes no body", method);
        return HEAD_REFUSED;
    }
    return HEAD_RUN;
}

/*
 * The request handler. The first call sees the headers only: routing, parameter limits and,
 * for a POST, authorisation, type and size, all refused before the body is read. Later calls
 * of a POST bring the body in pieces; the last call (no more data) runs the route's handler.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct bilat_server *s = cls;
    struct req *r = *con_cls;
    if (!r)
        return MHD_NO;
    if (r->ready) {
        /* back from the build pool */
        struct resp *d = r->done;
        r->done = NULL;
        r->ready = false;
        struct resp fallback = {.status = 200};
        bilat_buf_init(&fallback.body);
        if (!d) {
            d = &fallback;
            http_error(r, d, 503, "out of memory");
        }
        enum MHD_Result sent = send_resp(r, d);
        http_cache_put_ref(d->entry);
        bilat_buf_release(&d->body);
        if (d != &fallback)
            bilat_free(d);
        return sent;
    }
    struct resp o = {.status = 200, .type = "text/plain; charset=utf-8"};
    bilat_buf_init(&o.body);
    enum MHD_Result ret = MHD_YES;
    if (!r->started) {
        int h = check_head(s, r, conn, url, method, *upload_size, &o);
        if (h == HEAD_BODY)
            return MHD_YES; /* the body follows */
        if (h == HEAD_REFUSED)
            goto respond;
    } else if (*upload_size) {
        if (!r->body_too_big && r->body.len + *upload_size <= HTTP_MAX_BODY) {
            if (bilat_buf_add(&r->body, upload_data, *upload_size) < 0)
                r->body_too_big = true;
        } else {
            r->body_too_big = true;
            bilat_buf_release(&r->body);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->body_too_big) {
        http_error(r, &o, 413, "the body is larger than %d bytes", HTTP_MAX_BODY);
        goto respond;
    }
    guard_busy(s, conn); /* the request is here whole: no deadline while it is answered */
    {
        struct bilat_err err = {0};
        if (check_generation(s, r, &err) < 0) {
            diag(s, BILAT_LOG_ERROR, "%s", err.msg);
            http_error(r, &o, 503, "the store cannot be read: %s", err.msg);
            goto respond;
        }
        int hrc = r->route->fn(r, &o);
        if (hrc == HTTP_DEFER) {
            http_cache_put_ref(o.entry);
            o.entry = NULL;
            bilat_buf_release(&o.body);
            if (pool_push(s, r))
                return MHD_YES; /* suspended: a worker builds, then resumes us */
            bilat_buf_init(&o.body);
            o.status = 200;
            r->in_worker = true; /* the pool is stopping: build here */
            run_route(s, r, &o);
            http_cache_land(r);
        } else if (hrc < 0) {
            route_failed(s, r, &o, hrc);
        }
    }
respond:
    guard_busy(s, conn);
    ret = send_resp(r, &o);
    http_cache_put_ref(o.entry);
    bilat_buf_release(&o.body);
    return ret;
}

/* The request is over (sent, or the client went away): log it and free its state. */
static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode toe)
{
    struct bilat_server *s = cls;
    struct req *r = *con_cls;
    if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        guard_idle(s, c); /* kept alive: the next request has its own deadline */
    if (!r)
        return;
    if (r->method && s->diag.fn) {
        diag(s, BILAT_LOG_INFO, "%s %.200s %d %zu B %.1f ms%s", r->method, r->path, r->status,
             r->sent, (now_s() - r->t0) * 1000,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (not completed)");
    }
    if (r->done) {
        http_cache_put_ref(r->done->entry);
        bilat_buf_release(&r->done->body);
        bilat_free(r->done);
    }
    bilat_buf_release(&r->body);
    bilat_free(r->park_key); /* NULL once a worker has parked it: never left set */
    bilat_free(r);
    *con_cls = NULL;
}

/* libmicrohttpd's own messages, as warnings in bilat's wording. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
    struct bilat_server *s = cls;
    char msg[400];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    /* libmicrohttpd quotes the whole HTML of its error pages: keep the status only */
    char *html = strstr(msg, " ('<html>");
    if (html)
        *html = '\0';
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.'))
        msg[--n] = '\0';
    if (n > 1 && msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a' && msg[1] <= 'z')
        msg[0] = (char)(msg[0] - 'A' + 'a');
    diag(s, BILAT_LOG_WARNING, "http: %s", msg);
}

/* ------------------------------------------------------------------------------------------ */
/* Slow clients                                                                               */

static void wait_unlink(struct guard *g, struct client *c)
{
    if (!c->waiting)
        return;
    TAILQ_REMOVE(&g->waiting, c, link);
    c->waiting = false;
    g->nwaiting--;
}

static void wait_append(struct guard *g, struct client *c)
{
    c->since = now_s();
    c->waiting = true;
    TAILQ_INSERT_TAIL(&g->waiting, c, link);
    g->nwaiting++;
}

/* Close a waiting connection (lock held): shutting its socket down makes libmicrohttpd read
 * the end of the stream and close it in its own thread. */
static void guard_close(struct guard *g, struct client *c)
{
    wait_unlink(g, c);
    shutdown(c->fd, SHUT_RDWR);
    g->closed++;
}

/*
 * Whether a whole request head is waiting in the socket, not yet read by libmicrohttpd: a
 * client that sent its request at once, whose turn to be read has not come (the server is busy
 * closing slow connections). Such a connection is never the one closed to make room. A peek
 * consumes nothing.
 */
static bool head_pending(int fd)
{
    char buf[4096];
    ssize_t n = recv(fd, buf, sizeof(buf), MSG_PEEK | MSG_DONTWAIT);
    return n >= 4 && memmem(buf, (size_t)n, "\r\n\r\n", 4) != NULL;
}

/* Whether two connections come from the same address. */
static bool same_addr(const struct client *a, const struct client *b)
{
    return a->alen == b->alen && memcmp(a->addr, b->addr, a->alen) == 0;
}

/* The oldest waiting connection (of address `nc`'s, or of any when `any`) that has no request
 * head pending, or NULL. */
static struct client *victim(struct guard *g, const struct client *nc, bool any)
{
    struct client *c;
    TAILQ_FOREACH(c, &g->waiting, link)
        if ((any || same_addr(c, nc)) && !head_pending(c->fd))
            return c;
    return NULL;
}

/* Make room for the new connection nc: close the oldest waiting connection of its address (or
 * of any, with `any`). When every one of them has a request on its way in, nc is the one
 * closed: false (lock held). */
static bool make_room(struct guard *g, struct client *nc, bool any)
{
    struct client *v = victim(g, nc, any);
    if (!v) {
        shutdown(nc->fd, SHUT_RDWR);
        g->closed++;
        return false;
    }
    guard_close(g, v);
    return true;
}

/* A new connection: it waits for its first request; make room when its address, or all, are
 * over a limit. False when the new connection was closed instead (lock held). */
static bool guard_admit(struct guard *g, struct client *nc)
{
    size_t same = 0;
    struct client *c;
    TAILQ_FOREACH(c, &g->waiting, link)
        same += same_addr(c, nc);
    if (same >= HTTP_MAX_WAITING_PER_CLIENT && !make_room(g, nc, false))
        return false;
    while (g->nwaiting >= HTTP_MAX_WAITING)
        if (!make_room(g, nc, true))
            return false;
    wait_append(g, nc);
    return true;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct bilat_server *s = cls;
    struct guard *g = &s->guard;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        struct client *c = bilat_calloc(1, sizeof(*c));
        *socket_context = c;
        if (!c)
            return; /* not watched: the idle timeout still applies */
        const union MHD_ConnectionInfo *fd =
            mhd_fn.get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *ad =
            mhd_fn.get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        c->fd = fd ? fd->connect_fd : -1;
        if (ad && ad->client_addr) {
            const struct sockaddr *sa = ad->client_addr;
            if (sa->sa_family == AF_INET) {
                memcpy(c->addr, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
                c->alen = 4;
            } else if (sa->sa_family == AF_INET6) {
                memcpy(c->addr, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
                c->alen = 16;
            }
        }
        if (c->fd < 0)
            return;
        pthread_mutex_lock(&g->mu);
        guard_admit(g, c); /* (closed at once: libmicrohttpd sees the end of the stream) */
        pthread_mutex_unlock(&g->mu);
        return;
    }
    struct client *c = *socket_context;
    if (!c)
        return;
    pthread_mutex_lock(&g->mu);
    wait_unlink(g, c); /* before libmicrohttpd closes the socket */
    pthread_mutex_unlock(&g->mu);
    bilat_free(c);
    *socket_context = NULL;
}

/* The request has arrived whole (or is being answered): its connection no longer waits. */
static void guard_busy(struct bilat_server *s, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        mhd_fn.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct client *c = ci ? ci->socket_context : NULL;
    if (!c)
        return;
    pthread_mutex_lock(&s->guard.mu);
    wait_unlink(&s->guard, c);
    pthread_mutex_unlock(&s->guard.mu);
}

/* A request is over and the connection is kept alive: it waits for the next one. */
static void guard_idle(struct bilat_server *s, struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        mhd_fn.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    struct client *c = ci ? ci->socket_context : NULL;
    if (!c || c->fd < 0)
        return;
    pthread_mutex_lock(&s->guard.mu);
    if (!c->waiting)
        wait_append(&s->guard, c);
    pthread_mutex_unlock(&s->guard.mu);
}

/* Close, twice a second, the connections whose request has not arrived by its deadline. */
static void *reaper_main(void *arg)
{
    struct bilat_server *s = arg;
    struct guard *g = &s->guard;
    pthread_mutex_lock(&g->mu);
    while (!g->stopping) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 500 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&g->wake, &g->mu, &ts);
        double limit = now_s() - HTTP_REQUEST_DEADLINE;
        struct client *c;
        while ((c = TAILQ_FIRST(&g->waiting)) && c->since < limit)
            guard_close(g, c);
    }
    pthread_mutex_unlock(&g->mu);
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Start and stop                                                                             */

int bilat_server_start(const struct bilat_server_opts *o, bilat_server **srv_out,
                       struct bilat_err *err)
{
    *srv_out = NULL;
    if (!o || !o->db_path)
        return bilat_fail(err, BILAT_EINVAL, "no store given");
    if (o->token && strlen(o->token) < 16)
        return bilat_fail(err, BILAT_EINVAL, "the token is too short (16 characters or more)");
    for (const char *p = o->token; p && *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return bilat_fail(err, BILAT_EINVAL, "the token holds white space or a control "
                                                 "character: a client cannot send it");
    BILAT_TRY(mhd_dl_load(err));
    /* the store must open before the server says it is listening */
    bilat_db *probe = NULL;
    BILAT_TRY(bilat_db_open(o->db_path, BILAT_OPEN_READONLY, &probe, err));
    bilat_db_close(probe);
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof(ss));
    const char *host = o->host ? o->host : "127.0.0.1";
    unsigned flags = MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_SUSPEND_RESUME;
    if (strchr(host, ':')) {
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)o->port);
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1)
            return bilat_fail(err, BILAT_EINVAL, "bad address '%s'", host);
        flags |= MHD_USE_IPv6;
    } else {
        struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)o->port);
        if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
            return bilat_fail(err, BILAT_EINVAL, "bad address '%s' (an IPv4 or IPv6 address)",
                              host);
    }
    if (o->port > 65535)
        return bilat_fail(err, BILAT_EINVAL, "bad port %u", o->port);
    struct bilat_server *s = bilat_calloc(1, sizeof(*s));
    if (!s)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    s->id = atomic_fetch_add(&server_ids, 1) + 1;
    s->diag = o->diag;
    s->db_path = bilat_strdup(o->db_path);
    s->token = o->token ? bilat_strdup(o->token) : NULL;
    s->cache = http_cache_new(o->cache_bytes ? o->cache_bytes : (size_t)64 << 20);
    pthread_mutex_init(&s->conns_lock, NULL);
    pthread_mutex_init(&s->qlock, NULL);
    pthread_cond_init(&s->qcond, NULL);
    TAILQ_INIT(&s->guard.waiting);
    pthread_mutex_init(&s->guard.mu, NULL);
    pthread_cond_init(&s->guard.wake, NULL);
    atomic_init(&s->gen, 1);
    atomic_init(&s->inline_only, false);
    if (!s->db_path || (o->token && !s->token) || !s->cache) {
        bilat_server_stop(s);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    unsigned threads = o->threads;
    if (!threads) {
        /* Two threads per CPU: a thread building a document (a few hundred ms for a profile
         * with UN votes) holds up the other connections it serves, so a spare thread per CPU
         * keeps answering from the cache meanwhile. */
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n < 32 ? 2 * (unsigned)n : 4;
    }
    /* the build pool, before the first request can want it: one worker per CPU (builds are
     * CPU work) */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned nw = ncpu > 0 && ncpu < 32 ? (unsigned)ncpu : 2;
    s->workers = bilat_calloc(nw, sizeof(*s->workers));
    for (unsigned i = 0; s->workers && i < nw; i++) {
        if (pthread_create(&s->workers[i], NULL, pool_worker, s) != 0)
            break;
        s->nworkers++;
    }
    if (!s->nworkers)
        atomic_store(&s->inline_only, true); /* no pool: handlers build in place */
    if (pthread_create(&s->guard.reaper, NULL, reaper_main, s) == 0)
        s->guard.reaper_started = true;
    s->d = mhd_fn.start_daemon(flags, (uint16_t)o->port, NULL, NULL, on_request, s,
                            MHD_OPTION_EXTERNAL_LOGGER, on_log, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, threads,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_HEADERS,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
                            MHD_OPTION_CONNECTION_TIMEOUT, 30u,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_done, s,
                            MHD_OPTION_END);
    if (!s->d) {
        bilat_server_stop(s);
        return bilat_fail(err, BILAT_EIO, "cannot listen on %s port %u (in use, or not allowed)",
                          host, o->port);
    }
    const union MHD_DaemonInfo *info = mhd_fn.get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : o->port;
    *srv_out = s;
    return 0;
}

unsigned bilat_server_port(const bilat_server *s)
{
    return s ? s->port : 0;
}

/*
 * Stop the daemon first (its threads finish their requests), then close the connections the
 * threads opened and empty the cache.
 */
void bilat_server_stop(bilat_server *s)
{
    if (!s)
        return;
    /* the workers finish the queued builds and resume their connections (libmicrohttpd must
     * not be stopped with a suspended connection); later requests build in place */
    pthread_mutex_lock(&s->qlock);
    s->stopping = true;
    atomic_store(&s->inline_only, true);
    pthread_cond_broadcast(&s->qcond);
    pthread_mutex_unlock(&s->qlock);
    for (unsigned i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    bilat_free(s->workers);
    if (s->d)
        mhd_fn.stop_daemon(s->d);
    /* the reaper goes once libmicrohttpd has closed every connection */
    pthread_mutex_lock(&s->guard.mu);
    s->guard.stopping = true;
    pthread_cond_signal(&s->guard.wake);
    pthread_mutex_unlock(&s->guard.mu);
    if (s->guard.reaper_started)
        pthread_join(s->guard.reaper, NULL);
    for (size_t i = 0; i < s->nconns; i++)
        bilat_db_close(s->conns[i].db);
    bilat_free(s->conns);
    http_cache_free(s->cache);
    pthread_mutex_destroy(&s->conns_lock);
    pthread_mutex_destroy(&s->qlock);
    pthread_cond_destroy(&s->qcond);
    pthread_mutex_destroy(&s->guard.mu);
    pthread_cond_destroy(&s->guard.wake);
    bilat_free(s->db_path);
    if (s->token) {
        /* the token should not outlive the server in memory */
        memset(s->token, 0, strlen(s->token));
        bilat_free(s->token);
    }
    bilat_free(s);
}
