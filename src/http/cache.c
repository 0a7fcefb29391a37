/*
 * cache.c: the web server's document cache (server.h): bodies built by the handlers, by key
 * (route, dyad, period) and store generation, with their gzip form, in a least-recently-used
 * list under a byte budget.
 *
 * Entries are shared with the responses that send them: each holds a reference, the cache one
 * more while the entry is in it, and the last to let go frees it. The entries live in an array
 * indexed by key (core/hindex.h); removing one moves the last into its place. Everything runs
 * under the cache's mutex, for the few microseconds a lookup takes.
 */
#include "core/alloc.h"
#include "core/hindex.h"
#include "http/server.h"

#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/queue.h>

struct cache_entry {
    TAILQ_ENTRY(cache_entry) lru; /* the LRU list, while linked */
    char *key;                  /* owned */
    uint64_t h;                 /* hash of the key */
    size_t at;                  /* position in the cache's array, while linked */
    uint64_t gen;               /* store generation it was built in */
    char *data;                 /* owned body */
    size_t len;                 /* body bytes */
    char *gz;                   /* the body gzip-compressed (owned), or NULL */
    size_t gzlen;               /* its bytes */
    const char *type;           /* static Content-Type */
    atomic_int refs;            /* one for the cache while linked, one per response */
    bool linked;                /* still in the cache */
};

struct http_cache {
    pthread_mutex_t lock;
    struct cache_entry **v;          /* the entries in the cache */
    size_t n, cap;
    struct bilat_hindex x;           /* by key */
    TAILQ_HEAD(cache_lru, cache_entry) lru; /* most recently used first */
    size_t bytes;                    /* bodies held */
    size_t max;                      /* budget */
    LIST_HEAD(flight_list, flight) flights; /* documents a build worker is making now */
};

/*
 * A document being built. A build worker that misses the cache takes the key's flight; a
 * request that misses the same key meanwhile is parked on the flight once its handler has
 * returned (its connection stays suspended, its worker goes on to the next request; a flight
 * that landed in between is seen then, and the request runs again) and queued again when the
 * flight lands,
 * to find the document in the cache, instead of building it a second time. Readers of a new
 * period arrive in bursts (a page asks for a profile, many clients step through the same
 * periods): on two cores the copies only slowed the first, and a worker that waited instead of
 * parking left the other periods unbuilt.
 */
struct flight {
    char *key;
    LIST_ENTRY(flight) link;
    struct req *parked; /* requests waiting for it, linked through their qnext */
};

/* Free an entry once nobody holds it (neither the cache nor a response being sent). */
static void entry_free(struct cache_entry *e)
{
    bilat_free(e->key);
    bilat_free(e->data);
    bilat_free(e->gz);
    bilat_free(e);
}

/*
 * The body gzip-compressed, once, when the entry is made: a profile of a few hundred KB of JSON
 * shrinks about eightfold, which spares every client that accepts gzip most of the bytes (and the
 * server most of the copying). ISA-L's level 1 (the library reads our .gz files too): a
 * megabyte of JSON takes about a millisecond, where zlib's default level took ten, which every
 * uncached request paid. NULL when compression fails or saves nothing.
 */
static char *gzip_body(const char *data, size_t len, size_t *out_len)
{
    struct isal_zstream z;
    isal_deflate_init(&z);
    z.gzip_flag = IGZIP_GZIP;
    z.level = 1;
    z.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    z.level_buf = bilat_malloc(z.level_buf_size);
    char *out = bilat_malloc(len); /* no larger than the body, or not worth keeping */
    if (!z.level_buf || !out) {
        bilat_free(z.level_buf);
        bilat_free(out);
        return NULL;
    }
    z.next_in = (uint8_t *)(uintptr_t)data;
    z.avail_in = (uint32_t)len;
    z.end_of_stream = 1;
    z.flush = NO_FLUSH;
    z.next_out = (uint8_t *)out;
    z.avail_out = (uint32_t)len;
    int rc = isal_deflate(&z);
    bilat_free(z.level_buf);
    if (rc != COMP_OK || z.internal_state.state != ZSTATE_END || z.total_out >= len) {
        bilat_free(out);
        return NULL;
    }
    *out_len = z.total_out;
    return out;
}

void http_cache_put_ref(struct cache_entry *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1)
        entry_free(e);
}

struct http_cache *http_cache_new(size_t max)
{
    struct http_cache *c = bilat_calloc(1, sizeof(*c));
    if (!c || bilat_hindex_init(&c->x, 64) < 0) {
        bilat_free(c);
        return NULL;
    }
    c->max = max;
    TAILQ_INIT(&c->lru);
    LIST_INIT(&c->flights);
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

static uint64_t key_hash(const char *key)
{
    return bilat_hash_bytes(0, key, strlen(key));
}

/* A key looked for among the cache's entries. */
struct ckey {
    struct cache_entry *const *v;
    const char *key;
};

static bool entry_same(const void *ctx, size_t i)
{
    const struct ckey *k = ctx;
    return strcmp(k->v[i]->key, k->key) == 0;
}

static uint64_t entry_hash(const void *ctx, size_t i)
{
    return ((struct cache_entry *const *)ctx)[i]->h;
}

/* The entry of `key`, or NULL (lock held). */
static struct cache_entry *find(struct http_cache *c, const char *key, uint64_t h, size_t *slot)
{
    const struct ckey k = {c->v, key};
    size_t i = bilat_hindex_find(&c->x, h, entry_same, &k, slot);
    return i == BILAT_HINDEX_NONE ? NULL : c->v[i];
}

/* Take an entry out of the index and the LRU list (lock held); drops the cache's reference. */
static void cache_unlink(struct http_cache *c, struct cache_entry *e)
{
    size_t slot;
    if (find(c, e->key, e->h, &slot) == e) {
        bilat_hindex_remove(&c->x, slot, entry_hash, c->v);
        struct cache_entry *last = c->v[--c->n];
        if (last != e) {
            /* the array stays dense: the last entry takes the hole */
            bilat_hindex_renumber(&c->x, last->h, c->n, e->at);
            c->v[e->at] = last;
            last->at = e->at;
        }
    }
    TAILQ_REMOVE(&c->lru, e, lru);
    c->bytes -= e->len;
    e->linked = false;
    http_cache_put_ref(e);
}

void http_cache_free(struct http_cache *c)
{
    if (!c)
        return;
    while (!TAILQ_EMPTY(&c->lru))
        cache_unlink(c, TAILQ_LAST(&c->lru, cache_lru));
    pthread_mutex_destroy(&c->lock);
    bilat_hindex_release(&c->x);
    bilat_free(c->v);
    bilat_free(c);
}

/* Lookup under the cache lock; an entry of an older generation is dropped on sight. */
static struct flight *flight_find(struct http_cache *c, const char *key)
{
    struct flight *f;
    LIST_FOREACH(f, &c->flights, link)
        if (strcmp(f->key, key) == 0)
            return f;
    return NULL;
}

struct cache_entry *http_cache_get(struct req *r, const char *key)
{
    struct http_cache *c = http_server_cache(r->srv);
    pthread_mutex_lock(&c->lock);
    size_t slot;
    struct cache_entry *e = find(c, key, key_hash(key), &slot);
    if (e && e->gen != r->gen) {
        cache_unlink(c, e);
        e = NULL;
    }
    /* a miss in a build worker: park on another's flight of this key, or take one (a request
     * holding a flight of its own builds on: it never waits for a second one) */
    struct flight *f = !e && r->can_park && !r->flight ? flight_find(c, key) : NULL;
    if (f) {
        /* the worker parks it once the handler has returned (http_cache_park()) */
        bilat_free(r->park_key);
        r->park_key = bilat_strdup(key); /* NULL, no memory to note it: built here, unshared */
    } else if (!e && r->can_park && !r->flight) {
        f = bilat_calloc(1, sizeof(*f));
        if (f && (f->key = bilat_strdup(key))) {
            LIST_INSERT_HEAD(&c->flights, f, link);
            r->flight = f;
        } else {
            bilat_free(f); /* no flight: the build goes on, unshared */
        }
    }
    if (e) {
        atomic_fetch_add(&e->refs, 1);
        /* move to the front of the LRU list */
        if (e != TAILQ_FIRST(&c->lru)) {
            TAILQ_REMOVE(&c->lru, e, lru);
            TAILQ_INSERT_HEAD(&c->lru, e, lru);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return e;
}

/* Index a new entry (lock held): false when out of memory (then it is served, not kept). */
static bool link_entry(struct http_cache *c, struct cache_entry *e, size_t slot)
{
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        struct cache_entry **v = bilat_realloc_array(c->v, cap, sizeof(*v));
        if (!v)
            return false;
        c->v = v;
        c->cap = cap;
    }
    e->at = c->n;
    c->v[c->n++] = e;
    if (bilat_hindex_put(&c->x, slot, e->h, e->at, entry_hash, c->v) < 0) {
        c->n--;
        return false;
    }
    TAILQ_INSERT_HEAD(&c->lru, e, lru);
    e->linked = true;
    c->bytes += e->len;
    return true;
}

/*
 * Insert (replacing an entry of the same key) and evict least recently used entries while the
 * cache is over budget; a body over a quarter of the budget is served but not kept.
 */
struct cache_entry *http_cache_put(struct req *r, const char *key, char *data, size_t len,
                                   const char *type)
{
    struct http_cache *c = http_server_cache(r->srv);
    struct cache_entry *e = bilat_calloc(1, sizeof(*e));
    if (!e || !(e->key = bilat_strdup(key))) {
        bilat_free(e);
        bilat_free(data);
        return NULL;
    }
    e->data = data;
    e->len = len;
    e->type = type;
    e->gen = r->gen;
    e->h = key_hash(key);
    if (len >= 1024 && len < ((size_t)1 << 30))
        e->gz = gzip_body(data, len, &e->gzlen);
    atomic_init(&e->refs, 2); /* the cache's and the caller's */
    if (len > c->max / 4) {
        /* too big to keep: serve it once */
        atomic_store(&e->refs, 1);
        return e;
    }
    pthread_mutex_lock(&c->lock);
    size_t slot;
    struct cache_entry *old = find(c, key, e->h, &slot);
    if (old) {
        cache_unlink(c, old);
        find(c, key, e->h, &slot); /* the slot where the new entry goes */
    }
    if (!link_entry(c, e, slot))
        atomic_store(&e->refs, 1); /* no room to index it: serve it once */
    struct cache_entry *last;
    while (c->bytes > c->max && (last = TAILQ_LAST(&c->lru, cache_lru)) && last != e)
        cache_unlink(c, last);
    pthread_mutex_unlock(&c->lock);
    return e;
}

bool http_cache_park(struct req *r)
{
    struct http_cache *c = http_server_cache(r->srv);
    pthread_mutex_lock(&c->lock);
    struct flight *f = r->park_key ? flight_find(c, r->park_key) : NULL;
    if (f) {
        r->qnext = f->parked;
        f->parked = r;
    }
    pthread_mutex_unlock(&c->lock);
    bilat_free(r->park_key);
    r->park_key = NULL;
    return f != NULL;
}

void http_cache_land(struct req *r)
{
    struct flight *f = r->flight;
    if (!f)
        return;
    struct http_cache *c = http_server_cache(r->srv);
    pthread_mutex_lock(&c->lock);
    LIST_REMOVE(f, link);
    pthread_mutex_unlock(&c->lock);
    r->flight = NULL;
    /* the parked requests run again: the document is in the cache now (or, when the build
     * failed, the first of them builds it) */
    for (struct req *w = f->parked, *next; w; w = next) {
        next = w->qnext;
        http_pool_requeue(w->srv, w);
    }
    bilat_free(f->key);
    bilat_free(f);
}

const char *http_cache_gzip(const struct cache_entry *e, size_t *len)
{
    *len = e->gzlen;
    return e->gz;
}

const char *http_cache_data(const struct cache_entry *e, size_t *len, const char **type)
{
    *len = e->len;
    if (type)
        *type = e->type;
    return e->data;
}
