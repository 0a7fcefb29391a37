/*
 * alloc.h: the one place memory is allocated (docs/STYLE.md, "Ownership").
 *
 * All library allocations go through these wrappers so that out-of-memory can be injected in
 * tests: with BILAT_DEBUG builds, the environment variable BILAT_FAIL_ALLOC=N makes the Nth
 * allocation (1-based) and every later one fail, which every caller must turn into BILAT_ENOMEM
 * without leaking. bilat_alloc_array() checks n*size for overflow.
 *
 * Arenas: struct bilat_arena hands out memory from large blocks and frees it all at once; use one
 * per unit of work (a load, a report, a request). Not thread-safe; one arena per thread.
 */
#ifndef BILAT_CORE_ALLOC_H
#define BILAT_CORE_ALLOC_H

#include "bilat.h"

#include <stddef.h>
#include <string.h>

void *bilat_malloc(size_t size);
void *bilat_calloc(size_t n, size_t size);
void *bilat_realloc(void *p, size_t size);
void *bilat_alloc_array(size_t n, size_t size); /* NULL on overflow or failure */
void *bilat_realloc_array(void *p, size_t n, size_t size);
/*
 * Room for one more element in the array `p` of `n` elements of `size` bytes, with room for
 * *cap: p itself while n < *cap, else the array moved to twice the room (`first` elements when
 * *cap is 0) and *cap updated. NULL on failure: p is unchanged and still the caller's.
 */
void *bilat_array_grow(void *p, size_t n, size_t *cap, size_t size, size_t first);
/*
 * Append a copy of the `size`-byte element *elem to the array *arrp (the address of the array's
 * pointer) of *n elements with room for *cap, growing it as bilat_array_grow() does; *n counts
 * it. 0, or BILAT_ENOMEM with the array unchanged. Inline: the coder pushes a mention or a verb
 * many times a sentence, and the array is seldom full.
 */
static inline int bilat_array_push(void *arrp, size_t *n, size_t *cap, size_t size, size_t first,
                                   const void *elem)
{
    void **a = arrp;
    if (*n == *cap) {
        void *p = bilat_array_grow(*a, *n, cap, size, first);
        if (!p)
            return BILAT_ENOMEM;
        *a = p;
    }
    memcpy((char *)*a + *n * size, elem, size);
    (*n)++;
    return 0;
}
char *bilat_strdup(const char *s);               /* NULL for NULL or failure */
char *bilat_strndup(const char *s, size_t len);  /* always NUL-terminated */
/* void bilat_free(void *p) is public (bilat.h). */

/* Number of allocations made so far (for tests of the fault injector). */
unsigned long bilat_alloc_count(void);

/* Make the allocation numbered `n` from now (1 = the next one) and every later one fail; 0 turns
 * failures off. Only in BILAT_DEBUG builds (a no-op otherwise); for out-of-memory tests. */
void bilat_alloc_fail_after(unsigned long n);

/* 1 when bilat_alloc_fail_after() can make allocations fail (BILAT_DEBUG builds: debug and
 * sanitizer builds), else 0. */
int bilat_alloc_can_fail(void);

struct bilat_arena_block;
struct bilat_arena {
    struct bilat_arena_block *head; /* newest block first */
    size_t used;                    /* bytes used in head */
    size_t cap;                     /* usable bytes in head */
};
#define BILAT_ARENA_INIT {NULL, 0, 0}

/* Memory aligned for any type, valid until bilat_arena_release(); NULL on failure. */
void *bilat_arena_alloc(struct bilat_arena *a, size_t size);
char *bilat_arena_strndup(struct bilat_arena *a, const char *s, size_t len);
/* Free every block; the arena is reusable afterwards. */
void bilat_arena_release(struct bilat_arena *a);

#endif
