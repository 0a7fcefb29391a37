/*
 * evhash.c: the SHA-256 of mapped event files on threads of their own.
 *
 * SHA-256 cannot be split over cores, and the reading thread that hashes a file as it cuts it
 * into blocks (evread.c) goes at the hash's speed (about 1.8 GB/s): a drill-down that reads ten
 * files again to check them was the time of hashing them one after the other. When a run reads
 * several plain files, each is hashed on a thread of its own, over a mapping of its own, up to
 * one thread per CPU at once, while the reading thread goes on cutting blocks. The digests are
 * given to the files when the run is over, under the same conditions as before: read whole,
 * unchanged, without failure (ev_hash_finish()).
 */
#include "ingest/events_int.h"

#include "core/alloc.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HASH_CHUNK = 4 << 20 }; /* bytes hashed between two drops of the mapping's pages */

enum { HASH_DONE = 0, HASH_CHANGED = 1 }; /* a hasher's status, or BILAT_ENOMEM */

struct evhasher {
    size_t file;
    int fd;                    /* a duplicate of the reader's descriptor */
    size_t size;
    struct timespec mtime;     /* the file's time when the reader opened it */
    pthread_t tid;
    int status;                /* HASH_DONE (hex is the digest), HASH_CHANGED, BILAT_ENOMEM */
    char hex[65];
};

static void *hasher_main(void *arg)
{
    struct evhasher *h = arg;
    struct evsha sha = {0};
    if (evsha_init(&sha) < 0) {
        h->status = BILAT_ENOMEM;
        return NULL;
    }
    const char *map = mmap(NULL, h->size, PROT_READ, MAP_PRIVATE, h->fd, 0);
    if (map == MAP_FAILED) {
        /* no address space for a second mapping: not a change of the file */
        h->status = BILAT_ENOMEM;
        evsha_release(&sha);
        return NULL;
    }
    bool lost = false;
    for (size_t pos = 0; !lost && pos < h->size; pos += HASH_CHUNK) {
        size_t n = h->size - pos < HASH_CHUNK ? h->size - pos : HASH_CHUNK;
        if (evsha_update_mapped(&sha, map + pos, n) < 0)
            lost = true; /* the file shrank under the mapping */
        /* the chunk's pages leave this process (they stay in the page cache) */
        madvise((void *)(uintptr_t)(map + pos), n, MADV_DONTNEED);
    }
    munmap((void *)(uintptr_t)map, h->size);
    struct stat now;
    if (lost || fstat(h->fd, &now) != 0 || (size_t)now.st_size != h->size ||
        now.st_mtim.tv_sec != h->mtime.tv_sec || now.st_mtim.tv_nsec != h->mtime.tv_nsec) {
        h->status = HASH_CHANGED;
        evsha_release(&sha);
    } else {
        evsha_final_hex(&sha, h->hex);
    }
    return NULL;
}

bool ev_hash_start(struct shared *r, size_t fi, int fd, const struct stat *st)
{
    if (!r->hash_threads)
        return false;
    /* at most hash_threads at once: wait for the oldest one still running */
    if (r->nhashers - r->hjoined >= (size_t)r->hash_threads)
        pthread_join(r->hashers[r->hjoined++]->tid, NULL);
    if (r->nhashers == r->cap_hashers) {
        size_t cap = r->cap_hashers ? r->cap_hashers * 2 : 8;
        struct evhasher **v = bilat_realloc_array(r->hashers, cap, sizeof(*v));
        if (!v)
            return false; /* the reader hashes the file itself */
        r->hashers = v;
        r->cap_hashers = cap;
    }
    struct evhasher *h = bilat_calloc(1, sizeof(*h));
    if (!h)
        return false;
    h->file = fi;
    h->size = (size_t)st->st_size;
    h->mtime = st->st_mtim;
    h->fd = dup(fd);
    if (h->fd < 0 || pthread_create(&h->tid, NULL, hasher_main, h) != 0) {
        if (h->fd >= 0)
            close(h->fd);
        bilat_free(h);
        return false;
    }
    r->hashers[r->nhashers++] = h;
    return true;
}

int ev_hash_finish(struct shared *r)
{
    int rc = 0;
    /* the hashers are joined oldest first: the first hjoined are */
    for (; r->hjoined < r->nhashers; r->hjoined++)
        pthread_join(r->hashers[r->hjoined]->tid, NULL);
    for (size_t i = 0; i < r->nhashers; i++) {
        struct evhasher *h = r->hashers[i];
        struct evfile *f = &r->files[h->file];
        if (h->status == BILAT_ENOMEM)
            rc = BILAT_ENOMEM;
        else if (h->status == HASH_CHANGED)
            ev_mark_changed(r, h->file);
        else if (!f->failure && !f->changed) {
            memcpy(f->sha256, h->hex, sizeof(f->sha256));
            memcpy(f->content_sha256, h->hex, sizeof(f->content_sha256));
        }
        close(h->fd);
        bilat_free(h);
    }
    bilat_free(r->hashers);
    r->hashers = NULL;
    r->nhashers = r->cap_hashers = r->hjoined = 0;
    return rc;
}
