/*
 * alloc.c: allocation wrappers with overflow checks and fault injection, and the arena.
 *
 * Jansson allocates through the same wrappers (json_set_alloc_funcs, process-wide, set once
 * when the library is loaded, before main), so that a JSON document counts its allocations and
 * fails under fault injection like the rest, and what jansson returns (json_dumps) is freed
 * with bilat_free().
 */
#include "core/alloc.h"

#include "bilat.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: the web server allocates from several threads at once. */
static atomic_ulong alloc_count;      /* allocations attempted so far */
#ifdef BILAT_DEBUG
static atomic_long alloc_fail_at = -1; /* from BILAT_FAIL_ALLOC; -1 = not read yet, 0 = never */

static int alloc_should_fail(void)
{
    if (alloc_fail_at < 0) {
        const char *s = getenv("BILAT_FAIL_ALLOC");
        char *end = NULL;
        long v = s ? strtol(s, &end, 10) : 0;
        alloc_fail_at = (s && end && *end == '\0' && v > 0) ? v : 0;
    }
    return alloc_fail_at > 0 && (long)alloc_count >= alloc_fail_at;
}

void bilat_alloc_fail_after(unsigned long n)
{
    alloc_fail_at = n ? (long)(alloc_count + n) : 0;
}

int bilat_alloc_can_fail(void)
{
    return 1;
}
#else
#define alloc_should_fail() 0

void bilat_alloc_fail_after(unsigned long n)
{
    (void)n;
}

int bilat_alloc_can_fail(void)
{
    return 0;
}
#endif

void *bilat_malloc(size_t size)
{
    alloc_count++;
    if (alloc_should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *bilat_calloc(size_t n, size_t size)
{
    alloc_count++;
    if (alloc_should_fail())
        return NULL;
    if (n == 0 || size == 0)
        n = size = 1;
    return calloc(n, size);
}

void *bilat_realloc(void *p, size_t size)
{
    alloc_count++;
    if (alloc_should_fail())
        return NULL;
    return realloc(p, size ? size : 1);
}

void *bilat_alloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return bilat_malloc(n * size);
}

void *bilat_realloc_array(void *p, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    return bilat_realloc(p, n * size);
}

void *bilat_array_grow(void *p, size_t n, size_t *cap, size_t size, size_t first)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? *cap * 2 : first;
    void *q = bilat_realloc_array(p, c, size);
    if (q)
        *cap = c;
    return q;
}

char *bilat_strndup(const char *s, size_t len)
{
    char *d = bilat_malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

char *bilat_strdup(const char *s)
{
    return s ? bilat_strndup(s, strlen(s)) : NULL;
}

void bilat_free(void *p)
{
    free(p);
}

/* Run when the library is loaded: nothing of jansson's is allocated before. */
__attribute__((constructor)) static void alloc_json_init(void)
{
    json_set_alloc_funcs(bilat_malloc, bilat_free);
}

unsigned long bilat_alloc_count(void)
{
    return alloc_count;
}

/* An arena block: a header followed by its bytes. */
struct bilat_arena_block {
    struct bilat_arena_block *next; /* older block */
    max_align_t data[];             /* aligned storage */
};

enum { ARENA_BLOCK = 64 * 1024 };

void *bilat_arena_alloc(struct bilat_arena *a, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    if (size > SIZE_MAX - align)
        return NULL;
    size = (size + align - 1) & ~(align - 1);
    if (!a->head || a->cap - a->used < size) {
        size_t cap = size > ARENA_BLOCK ? size : ARENA_BLOCK;
        if (cap > SIZE_MAX - sizeof(struct bilat_arena_block))
            return NULL;
        struct bilat_arena_block *b = bilat_malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->cap = cap;
    }
    void *p = (char *)a->head->data + a->used;
    a->used += size;
    return p;
}

char *bilat_arena_strndup(struct bilat_arena *a, const char *s, size_t len)
{
    char *d = bilat_arena_alloc(a, len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

void bilat_arena_release(struct bilat_arena *a)
{
    struct bilat_arena_block *b = a->head;
    while (b) {
        struct bilat_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}
