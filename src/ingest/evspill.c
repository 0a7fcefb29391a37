/*
 * evspill.c: cube cells beyond a memory budget, written as sorted runs to a temporary file and
 * merged back in order; and the same sorted walk over the cells of a table held in memory, so
 * that the store writer reads cells one way in both cases (evspill.h).
 *
 * Sorting: each group becomes a 64-byte record (its key words in the sort order, then its
 * index in the table) and the records are sorted in place by an introsort. The records are
 * contiguous, so the comparisons read memory in sequence; sorting indexes into the table made
 * every comparison two cache misses (the table of a spilling worker is tens of megabytes, the
 * table of a whole 28-year file hundreds).
 *
 * Merging: a binary heap of run readers, each reading its run through its own buffer (pread at
 * the run's offset). The smallest key is taken from every run that holds it; the measures are
 * added (integers and 128-bit fixed point: exact, in any order) and the fingerprint lists are
 * united (sorted, each fingerprint counted once), which is what the table in memory would have
 * counted. More than MAX_FAN runs are first merged MAX_FAN at a time into longer runs appended
 * to the same file, so that the number of read buffers stays bounded. The final merge runs on
 * a thread of its own, a few thousand cells ahead of the reader (NCHUNK chunks of CHUNK
 * cells), so that merging overlaps SQLite's writing on a second core.
 *
 * The file is opened with O_TMPFILE (or created and unlinked at once), so it has no name and
 * disappears with the process, whatever ends it.
 */
#include "ingest/evspill.h"

#include "core/alloc.h"
#include "core/err.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    REC_WORDS = 8,          /* sort record: 7 key words and the group index */
    MAX_NK = REC_WORDS - 1, /* keys a spilled table may have (the cube has 7) */
    OUT_CAP = 1 << 20,      /* write buffer of a run */
    MAX_FAN = 64,           /* runs merged at once */
    RD_MIN = 64 << 10,      /* read buffer of a run: at least */
    RD_MAX = 1 << 20,       /* and at most */
    CHUNK = 4096,           /* merged cells handed over at once */
    NCHUNK = 3,             /* chunks: one being read, the others being filled */
};

struct evrun {
    uint64_t off, len; /* byte range in the file */
};

struct evspill {
    int fd;               /* the unlinked temporary file */
    size_t nk;            /* key words per cell */
    size_t perm[EV_MAXK]; /* key words in sort order */
    bool dedup;           /* runs carry fingerprints */
    size_t budget;        /* sizes the merge's read buffers */
    pthread_mutex_t mu;   /* guards end, runs, err */
    uint64_t end;         /* bytes reserved so far */
    struct evrun *runs;
    size_t nruns, cap_runs;
    struct bilat_err err; /* the first write error */
};

/* ------------------------------------------------------------------------------------------
 * Sort records
 * ---------------------------------------------------------------------------------------- */

struct rec {
    uint64_t w[REC_WORDS];
};

/* Keys in the sort order; unused words are 0 in every record, so comparing all 7 is exact. */
static inline int rec_cmp(const struct rec *a, const struct rec *b)
{
    for (int i = 0; i < MAX_NK; i++)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static inline void rec_swap(struct rec *a, struct rec *b)
{
    struct rec t = *a;
    *a = *b;
    *b = t;
}

static void rec_insertion(struct rec *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct rec x = v[i];
        size_t j = i;
        while (j > 0 && rec_cmp(&x, &v[j - 1]) < 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void rec_sift(struct rec *v, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && rec_cmp(&v[c], &v[c + 1]) < 0)
            c++;
        if (rec_cmp(&v[i], &v[c]) >= 0)
            return;
        rec_swap(&v[i], &v[c]);
        i = c;
    }
}

static void rec_heapsort(struct rec *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        rec_sift(v, n, i);
    for (size_t k = n; k > 1; k--) {
        rec_swap(&v[0], &v[k - 1]);
        rec_sift(v, k - 1, 0);
    }
}

/* Introsort: quicksort with a median-of-three pivot, the smaller side recursed, heapsort when
 * the depth runs out (no quadratic case), insertion sort for short ranges. */
static void rec_sort(struct rec *v, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            rec_heapsort(v, n);
            return;
        }
        size_t m = n / 2;
        if (rec_cmp(&v[m], &v[0]) < 0)
            rec_swap(&v[m], &v[0]);
        if (rec_cmp(&v[n - 1], &v[0]) < 0)
            rec_swap(&v[n - 1], &v[0]);
        if (rec_cmp(&v[n - 1], &v[m]) < 0)
            rec_swap(&v[n - 1], &v[m]);
        struct rec p = v[m];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (rec_cmp(&v[i], &p) < 0)
                i++;
            while (rec_cmp(&p, &v[j]) < 0)
                j--;
            if (i >= j)
                break;
            rec_swap(&v[i], &v[j]);
            i++, j--;
        }
        /* [0, j] <= p <= [j + 1, n) */
        size_t left = j + 1;
        if (left < n - left) {
            rec_sort(v, left, depth);
            v += left, n -= left;
        } else {
            rec_sort(v + left, n - left, depth);
            n = left;
        }
    }
    rec_insertion(v, n);
}

/* Sort records of the groups of g: records[i].w[7] is a group index, in sorted order. */
static void sort_groups(const struct evgroups *g, const size_t *perm, struct rec *r)
{
    const size_t nk = g->nk;
    for (size_t i = 0; i < g->n; i++) {
        const uint64_t *k = evg_key(g, i);
        memset(&r[i], 0, sizeof(r[i]));
        for (size_t j = 0; j < nk; j++)
            r[i].w[j] = k[perm[j]];
        r[i].w[REC_WORDS - 1] = i;
    }
    int depth = 2;
    for (size_t n = g->n; n > 1; n >>= 1)
        depth += 2;
    rec_sort(r, g->n, depth);
}

/* ------------------------------------------------------------------------------------------
 * The spill file
 * ---------------------------------------------------------------------------------------- */

static int tmp_open(const char *dir)
{
    int fd = -1;
#ifdef O_TMPFILE
    fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
#endif
    char path[4096];
    if (snprintf(path, sizeof(path), "%s/.bilat-cells-XXXXXX", dir) >= (int)sizeof(path))
        return -1;
    fd = mkostemp(path, O_CLOEXEC);
    if (fd >= 0)
        unlink(path);
    return fd;
}

int evspill_new(const char *dir, size_t nk, const size_t *perm, bool dedup, size_t budget,
                struct evspill **out, struct bilat_err *err)
{
    *out = NULL;
    if (nk == 0 || nk > MAX_NK)
        return bilat_fail(err, BILAT_EINVAL, "cannot spill groups of %zu keys", nk);
    struct evspill *sp = bilat_calloc(1, sizeof(*sp));
    if (!sp)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    const char *tmp = getenv("TMPDIR");
    const char *dirs[3] = {dir, tmp && *tmp ? tmp : NULL, "/tmp"};
    sp->fd = -1;
    int e = 0;
    for (size_t i = 0; i < 3 && sp->fd < 0; i++)
        if (dirs[i]) {
            sp->fd = tmp_open(dirs[i]);
            if (sp->fd < 0 && !e)
                e = errno;
        }
    if (sp->fd < 0) {
        bilat_free(sp);
        return bilat_fail(err, BILAT_EIO, "cannot make a temporary file for cube cells in '%s': %s",
                          dir ? dir : "/tmp", strerror(e));
    }
    sp->nk = nk;
    memcpy(sp->perm, perm, nk * sizeof(*perm));
    sp->dedup = dedup;
    sp->budget = budget;
    pthread_mutex_init(&sp->mu, NULL);
    *out = sp;
    return 0;
}

void evspill_free(struct evspill *sp)
{
    if (!sp)
        return;
    close(sp->fd);
    pthread_mutex_destroy(&sp->mu);
    bilat_free(sp->runs);
    bilat_free(sp);
}

size_t evspill_runs(const struct evspill *sp)
{
    return sp ? sp->nruns : 0;
}

void evspill_scratch_release(struct evspill_scratch *sc)
{
    bilat_free(sc->recs);
    bilat_free(sc->fpstart);
    bilat_free(sc->fps);
    bilat_free(sc->out);
    memset(sc, 0, sizeof(*sc));
}

size_t evspill_scratch_bytes(size_t nk, size_t cells, size_t fps)
{
    (void)nk;
    return cells * (sizeof(struct rec) + sizeof(uint32_t)) + fps * sizeof(uint64_t) + OUT_CAP;
}

/* Keep the first error (several workers may fail at once). */
static int spill_fail(struct evspill *sp, struct bilat_err *err, int code, const char *what, int e)
{
    pthread_mutex_lock(&sp->mu);
    if (!sp->err.code)
        bilat_fail(&sp->err, code, "%s: %s", what, strerror(e));
    if (err)
        *err = sp->err;
    pthread_mutex_unlock(&sp->mu);
    return code;
}

static int pwrite_all(int fd, const void *p, size_t n, uint64_t off)
{
    const char *c = p;
    while (n) {
        ssize_t w = pwrite(fd, c, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        c += w, n -= (size_t)w, off += (uint64_t)w;
    }
    return 0;
}

/* A sequential writer over a reserved range of the file. */
struct wr {
    struct evspill *sp;
    unsigned char *buf;
    size_t len;
    uint64_t off; /* file offset of buf[0] */
};

static int wr_flush(struct wr *w)
{
    if (w->len && pwrite_all(w->sp->fd, w->buf, w->len, w->off) < 0)
        return -1;
    w->off += w->len;
    w->len = 0;
    return 0;
}

static int wr_put(struct wr *w, const void *p, size_t n)
{
    if (w->len + n > OUT_CAP) {
        if (wr_flush(w) < 0)
            return -1;
        if (n > OUT_CAP) {
            if (pwrite_all(w->sp->fd, p, n, w->off) < 0)
                return -1;
            w->off += n;
            return 0;
        }
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return 0;
}

/* Reserve `len` bytes at the end of the file for a run. */
static int reserve_run(struct evspill *sp, uint64_t len, uint64_t *off_out)
{
    pthread_mutex_lock(&sp->mu);
    int rc = 0;
    if (sp->nruns == sp->cap_runs) {
        size_t cap = sp->cap_runs ? sp->cap_runs * 2 : 16;
        struct evrun *r = bilat_realloc_array(sp->runs, cap, sizeof(*r));
        if (r) {
            sp->runs = r;
            sp->cap_runs = cap;
        } else {
            rc = BILAT_ENOMEM;
        }
    }
    if (rc == 0) {
        *off_out = sp->end;
        sp->runs[sp->nruns].off = sp->end;
        sp->runs[sp->nruns].len = len;
        sp->nruns++;
        sp->end += len;
    }
    pthread_mutex_unlock(&sp->mu);
    return rc;
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    bilat_free(*p);
    *p = bilat_alloc_array(c, size);
    *cap = *p ? c : 0;
    return *p ? 0 : BILAT_ENOMEM;
}

int evspill_write(struct evspill *sp, const struct evgroups *g, const struct fpset *fps,
                  struct evspill_scratch *sc, struct bilat_err *err)
{
    const size_t n = g->n, nk = sp->nk;
    if (n == 0)
        return 0;
    if (grow((void **)&sc->recs, &sc->cap_recs, n * REC_WORDS, sizeof(uint64_t)) < 0 ||
        (!sc->out && !(sc->out = bilat_malloc(OUT_CAP))))
        return spill_fail(sp, err, BILAT_ENOMEM, "cannot spill cube cells", ENOMEM);
    struct rec *r = (struct rec *)(void *)sc->recs;
    sort_groups(g, sp->perm, r);
    /* Fingerprints beyond fp0, grouped: fpstart[i] ends group i's, which begin where group
     * i - 1's end (a counting sort by group, one array). */
    size_t nextra = sp->dedup && fps ? fps->n : 0, nfp0 = 0;
    if (nextra) {
        if (grow((void **)&sc->fpstart, &sc->cap_groups, n, sizeof(uint32_t)) < 0 ||
            grow((void **)&sc->fps, &sc->cap_fps, nextra, sizeof(uint64_t)) < 0)
            return spill_fail(sp, err, BILAT_ENOMEM, "cannot spill cube cells", ENOMEM);
        memset(sc->fpstart, 0, n * sizeof(uint32_t));
        for (size_t s = 0; s < fps->n; s++)
            sc->fpstart[fps->e[s].group]++;
        uint32_t acc = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t c = sc->fpstart[i];
            sc->fpstart[i] = acc;
            acc += c;
        }
        for (size_t s = 0; s < fps->n; s++)
            sc->fps[sc->fpstart[fps->e[s].group]++] = fps->e[s].fp;
    }
    if (sp->dedup)
        for (size_t i = 0; i < n; i++)
            nfp0 += evg_meas(g, i)->fp0 != 0;
    const size_t recsz = nk * sizeof(uint64_t) + sizeof(struct evmeas);
    uint64_t total = (uint64_t)n * recsz + (uint64_t)(nfp0 + nextra) * sizeof(uint64_t);
    struct wr w = {sp, sc->out, 0, 0};
    if (reserve_run(sp, total, &w.off) < 0)
        return spill_fail(sp, err, BILAT_ENOMEM, "cannot spill cube cells", ENOMEM);
    for (size_t k = 0; k < n; k++) {
        size_t i = (size_t)r[k].w[REC_WORDS - 1];
        struct evmeas m = *evg_meas(g, i);
        const uint64_t *x = NULL;
        size_t nx = 0;
        if (nextra) {
            size_t b = i ? sc->fpstart[i - 1] : 0;
            x = sc->fps + b;
            nx = sc->fpstart[i] - b;
        }
        m.dedup = (int64_t)((sp->dedup && m.fp0) + nx);
        uint64_t fp0 = m.fp0;
        m.fp0 = 0;
        if (wr_put(&w, evg_key(g, i), nk * sizeof(uint64_t)) < 0 || wr_put(&w, &m, sizeof(m)) < 0 ||
            (sp->dedup && fp0 && wr_put(&w, &fp0, 8) < 0) ||
            (nx && wr_put(&w, x, nx * sizeof(uint64_t)) < 0))
            return spill_fail(sp, err, BILAT_EIO, "cannot write the temporary file of cube cells",
                              errno);
    }
    if (wr_flush(&w) < 0)
        return spill_fail(sp, err, BILAT_EIO, "cannot write the temporary file of cube cells",
                          errno);
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Reading runs
 * ---------------------------------------------------------------------------------------- */

struct runrd {
    int fd;
    uint64_t off, end;  /* next byte to read, end of the run */
    unsigned char *buf; /* buf[pos, len) not consumed yet */
    size_t cap, pos, len;
    uint64_t key[MAX_NK]; /* the current record */
    struct evmeas m;
    size_t nfp; /* its fingerprints: at buf + fpos */
    size_t fpos;
    bool done;
};

/* Make `need` bytes available at buf + pos (growing the buffer for a long record). */
static int rd_fill(struct runrd *r, size_t need)
{
    if (r->len - r->pos >= need)
        return 0;
    memmove(r->buf, r->buf + r->pos, r->len - r->pos);
    r->len -= r->pos;
    r->pos = 0;
    if (need > r->cap) {
        size_t cap = r->cap;
        while (cap < need)
            cap *= 2;
        unsigned char *b = bilat_realloc(r->buf, cap);
        if (!b)
            return BILAT_ENOMEM;
        r->buf = b;
        r->cap = cap;
    }
    while (r->len < need) {
        size_t want = r->cap - r->len;
        if (want > r->end - r->off)
            want = (size_t)(r->end - r->off);
        if (want == 0) {
            errno = EIO; /* shorter than written: cannot happen short of a failing disk */
            return BILAT_EIO;
        }
        ssize_t got = pread(r->fd, r->buf + r->len, want, (off_t)r->off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            if (got == 0)
                errno = EIO;
            return BILAT_EIO;
        }
        r->len += (size_t)got;
        r->off += (uint64_t)got;
    }
    return 0;
}

/* Read the next record; done at the end of the run. */
static int rd_next(struct runrd *r, size_t nk)
{
    if (r->pos == r->len && r->off == r->end) {
        r->done = true;
        return 0;
    }
    const size_t hdr = nk * sizeof(uint64_t) + sizeof(struct evmeas);
    BILAT_TRY(rd_fill(r, hdr));
    memcpy(r->key, r->buf + r->pos, nk * sizeof(uint64_t));
    memcpy(&r->m, r->buf + r->pos + nk * sizeof(uint64_t), sizeof(r->m));
    r->nfp = (size_t)r->m.dedup;
    if (r->m.dedup < 0 || r->nfp > (r->end - r->off + r->len) / sizeof(uint64_t)) {
        errno = EIO;
        return BILAT_EIO;
    }
    BILAT_TRY(rd_fill(r, hdr + r->nfp * sizeof(uint64_t)));
    r->fpos = r->pos + hdr;
    r->pos += hdr + r->nfp * sizeof(uint64_t);
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * Cells in order
 * ---------------------------------------------------------------------------------------- */

struct evcells {
    size_t nk;
    size_t perm[EV_MAXK];
    /* a table in memory */
    const struct evgroups *g;
    struct rec *recs;
    size_t n, i;
    /* merged runs */
    struct evspill *sp;
    struct runrd *rd;
    size_t nrd;
    size_t *heap; /* reader indexes, smallest key first */
    size_t nheap;
    uint64_t *fpv; /* fingerprints of the current cell */
    size_t nfpv, cap_fpv;
    /* the current cell */
    uint64_t key[EV_MAXK];
    struct evmeas m;
    /* the merging thread, when there is one */
    struct prefetch *pf;
};

/* Merged cells in chunks, filled by a thread and read in order. */
struct chunk {
    uint64_t (*key)[MAX_NK];
    struct evmeas *m;
    size_t n;
};

struct prefetch {
    pthread_t tid;
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* a chunk was filled or freed, or the reader stops */
    struct chunk ch[NCHUNK]; /* ring: ch[head] is read, the next `full - 1` wait */
    size_t head, full;
    size_t pos;              /* next cell of ch[head] */
    bool done;               /* the merge ended (rc says how) */
    bool stop;               /* the reader closed early */
    int rc, err_no;          /* the merge's error and its errno */
};

int evcells_open_table(const struct evgroups *g, const size_t *perm, struct evcells **out)
{
    *out = NULL;
    if (g->nk > MAX_NK)
        return BILAT_EINVAL;
    struct evcells *c = bilat_calloc(1, sizeof(*c));
    if (!c)
        return BILAT_ENOMEM;
    c->nk = g->nk;
    c->g = g;
    c->n = g->n;
    c->recs = bilat_alloc_array(g->n ? g->n : 1, sizeof(*c->recs));
    if (!c->recs) {
        bilat_free(c);
        return BILAT_ENOMEM;
    }
    sort_groups(g, perm, c->recs);
    *out = c;
    return 0;
}

static int key_cmp(const struct evcells *c, const uint64_t *a, const uint64_t *b)
{
    for (size_t i = 0; i < c->nk; i++) {
        size_t w = c->perm[i];
        if (a[w] != b[w])
            return a[w] < b[w] ? -1 : 1;
    }
    return 0;
}

static bool heap_less(const struct evcells *c, size_t a, size_t b)
{
    int k = key_cmp(c, c->rd[a].key, c->rd[b].key);
    return k < 0 || (k == 0 && a < b);
}

static void heap_down(struct evcells *c, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < c->nheap && heap_less(c, c->heap[l], c->heap[m]))
            m = l;
        if (l + 1 < c->nheap && heap_less(c, c->heap[l + 1], c->heap[m]))
            m = l + 1;
        if (m == i)
            return;
        size_t t = c->heap[i];
        c->heap[i] = c->heap[m];
        c->heap[m] = t;
        i = m;
    }
}

/* Open readers over runs [first, first + n) of sp. */
static int open_runs(struct evspill *sp, size_t first, size_t n, struct evcells **out)
{
    *out = NULL;
    struct evcells *c = bilat_calloc(1, sizeof(*c));
    if (!c)
        return BILAT_ENOMEM;
    c->nk = sp->nk;
    memcpy(c->perm, sp->perm, sp->nk * sizeof(*sp->perm));
    c->sp = sp;
    c->rd = bilat_calloc(n ? n : 1, sizeof(*c->rd));
    c->heap = bilat_calloc(n ? n : 1, sizeof(*c->heap));
    int rc = c->rd && c->heap ? 0 : BILAT_ENOMEM;
    size_t cap = sp->budget / 2 / (n ? n : 1);
    cap = cap < RD_MIN ? RD_MIN : cap > RD_MAX ? RD_MAX : cap;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        struct runrd *r = &c->rd[i];
        r->fd = sp->fd;
        r->off = sp->runs[first + i].off;
        r->end = r->off + sp->runs[first + i].len;
        r->cap = cap;
        r->buf = bilat_malloc(cap);
        c->nrd++;
        if (!r->buf)
            rc = BILAT_ENOMEM;
        else
            rc = rd_next(r, c->nk);
        if (rc == 0 && !r->done)
            c->heap[c->nheap++] = i;
    }
    for (size_t i = c->nheap / 2; rc == 0 && i-- > 0;)
        heap_down(c, i);
    if (rc < 0) {
        evcells_close(c);
        return rc;
    }
    *out = c;
    return 0;
}

static int cmp_u64(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* The next merged cell into c->key, c->m (dedup counted) and c->fpv[0, m.dedup) (its distinct
 * fingerprints). 1, 0 at the end, or <0. */
static int merge_next(struct evcells *c)
{
    if (c->nheap == 0)
        return 0;
    size_t contributors = 0;
    c->nfpv = 0;
    do {
        struct runrd *r = &c->rd[c->heap[0]];
        if (contributors == 0) {
            memcpy(c->key, r->key, c->nk * sizeof(uint64_t));
            c->m = r->m;
            c->m.dedup = 0;
        } else {
            evmeas_add(&c->m, &r->m);
        }
        contributors++;
        if (r->nfp) {
            if (c->nfpv + r->nfp > c->cap_fpv) {
                size_t cap = c->cap_fpv ? c->cap_fpv : 64;
                while (cap < c->nfpv + r->nfp)
                    cap *= 2;
                uint64_t *v = bilat_realloc_array(c->fpv, cap, sizeof(*v));
                if (!v)
                    return BILAT_ENOMEM;
                c->fpv = v;
                c->cap_fpv = cap;
            }
            memcpy(c->fpv + c->nfpv, r->buf + r->fpos, r->nfp * sizeof(uint64_t));
            c->nfpv += r->nfp;
        }
        BILAT_TRY(rd_next(r, c->nk));
        if (r->done)
            c->heap[0] = c->heap[--c->nheap];
        if (c->nheap)
            heap_down(c, 0);
    } while (c->nheap && key_cmp(c, c->rd[c->heap[0]].key, c->key) == 0);
    size_t distinct = c->nfpv;
    if (contributors > 1 && c->nfpv > 1) {
        /* Clusters of one cell seen before and after a spill are one cluster. */
        qsort(c->fpv, c->nfpv, sizeof(*c->fpv), cmp_u64);
        distinct = 1;
        for (size_t i = 1; i < c->nfpv; i++)
            if (c->fpv[i] != c->fpv[distinct - 1])
                c->fpv[distinct++] = c->fpv[i];
    }
    c->m.dedup = (int64_t)distinct;
    return 1;
}

/* Merge runs [first, first + n) into one run appended to the file. */
static int merge_to_run(struct evspill *sp, size_t first, size_t n, struct bilat_err *err)
{
    struct evcells *c = NULL;
    int rc = open_runs(sp, first, n, &c);
    if (rc < 0)
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory")
                                  : spill_fail(sp, err, rc,
                                               "cannot read the temporary file of "
                                               "cube cells",
                                               errno);
    struct wr w = {sp, bilat_malloc(OUT_CAP), 0, sp->end};
    uint64_t start = sp->end;
    if (!w.buf)
        rc = BILAT_ENOMEM;
    while (rc == 0 && (rc = merge_next(c)) == 1) {
        rc = 0;
        struct evmeas m = c->m;
        size_t nfp = sp->dedup ? (size_t)m.dedup : 0;
        m.dedup = (int64_t)nfp;
        if (wr_put(&w, c->key, sp->nk * sizeof(uint64_t)) < 0 || wr_put(&w, &m, sizeof(m)) < 0 ||
            (nfp && wr_put(&w, c->fpv, nfp * sizeof(uint64_t)) < 0))
            rc = BILAT_EIO;
    }
    if (rc == 0 && wr_flush(&w) < 0)
        rc = BILAT_EIO;
    int e = errno;
    bilat_free(w.buf);
    evcells_close(c);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    if (rc < 0)
        return spill_fail(sp, err, rc, "cannot merge the temporary file of cube cells", e);
    /* The n runs become one, at the end of the list. */
    memmove(sp->runs + first, sp->runs + first + n, (sp->nruns - first - n) * sizeof(*sp->runs));
    sp->nruns -= n;
    sp->runs[sp->nruns].off = start;
    sp->runs[sp->nruns].len = w.off - start;
    sp->nruns++;
    sp->end = w.off;
    return 0;
}

static void *prefetch_main(void *arg)
{
    struct evcells *c = arg;
    struct prefetch *p = c->pf;
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->full == NCHUNK && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        bool stop = p->stop;
        struct chunk *ch = &p->ch[(p->head + p->full) % NCHUNK];
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        /* fill the chunk without the lock: the reader never touches a chunk not yet full */
        ch->n = 0;
        while (ch->n < CHUNK && (rc = merge_next(c)) == 1) {
            memcpy(ch->key[ch->n], c->key, c->nk * sizeof(uint64_t));
            ch->m[ch->n++] = c->m;
        }
        int e = errno;
        pthread_mutex_lock(&p->mu);
        if (ch->n)
            p->full++;
        if (rc <= 0) {
            p->done = true;
            p->rc = rc;
            p->err_no = e;
        }
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (rc <= 0)
            break;
    }
    return NULL;
}

/* Start the merging thread; without one (no memory, no thread) cells are merged on demand. */
static void prefetch_start(struct evcells *c)
{
    struct prefetch *p = bilat_calloc(1, sizeof(*p));
    if (!p)
        return;
    bool ok = true;
    for (size_t i = 0; ok && i < NCHUNK; i++) {
        p->ch[i].key = bilat_alloc_array(CHUNK, sizeof(*p->ch[i].key));
        p->ch[i].m = bilat_alloc_array(CHUNK, sizeof(*p->ch[i].m));
        ok = p->ch[i].key && p->ch[i].m;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    c->pf = p;
    if (!ok || pthread_create(&p->tid, NULL, prefetch_main, c) != 0) {
        c->pf = NULL;
        for (size_t i = 0; i < NCHUNK; i++) {
            bilat_free(p->ch[i].key);
            bilat_free(p->ch[i].m);
        }
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        bilat_free(p);
    }
}

static void prefetch_stop(struct evcells *c)
{
    struct prefetch *p = c->pf;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->tid, NULL);
    for (size_t i = 0; i < NCHUNK; i++) {
        bilat_free(p->ch[i].key);
        bilat_free(p->ch[i].m);
    }
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    bilat_free(p);
    c->pf = NULL;
}

/* The next prefetched cell: 1, 0 at the end, <0 with errno set as the merge saw it. */
static int prefetch_next(struct evcells *c, const uint64_t **key_out,
                         const struct evmeas **m_out)
{
    struct prefetch *p = c->pf;
    pthread_mutex_lock(&p->mu);
    if (p->full && p->pos == p->ch[p->head].n) {
        /* the chunk is read: hand it back */
        p->head = (p->head + 1) % NCHUNK;
        p->full--;
        p->pos = 0;
        pthread_cond_broadcast(&p->cv);
    }
    while (!p->full && !p->done)
        pthread_cond_wait(&p->cv, &p->mu);
    int rc = 1;
    if (!p->full) {
        rc = p->rc;
        errno = p->err_no;
    }
    pthread_mutex_unlock(&p->mu);
    if (rc == 1) {
        struct chunk *ch = &p->ch[p->head];
        *key_out = ch->key[p->pos];
        *m_out = &ch->m[p->pos];
        p->pos++;
    }
    return rc;
}

int evcells_open_spill(struct evspill *sp, struct evcells **out, struct bilat_err *err)
{
    *out = NULL;
    while (sp->nruns > MAX_FAN)
        BILAT_TRY(merge_to_run(sp, 0, MAX_FAN, err));
    int rc = open_runs(sp, 0, sp->nruns, out);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    if (rc < 0)
        return spill_fail(sp, err, rc, "cannot read the temporary file of cube cells", errno);
    prefetch_start(*out);
    return 0;
}

int evcells_next(struct evcells *c, const uint64_t **key_out, const struct evmeas **m_out,
                 struct bilat_err *err)
{
    if (c->g) {
        if (c->i == c->n)
            return 0;
        size_t gi = (size_t)c->recs[c->i++].w[REC_WORDS - 1];
        *key_out = evg_key(c->g, gi);
        *m_out = evg_meas(c->g, gi);
        return 1;
    }
    int rc;
    if (c->pf) {
        rc = prefetch_next(c, key_out, m_out);
    } else {
        rc = merge_next(c);
        *key_out = c->key;
        *m_out = &c->m;
    }
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory");
    if (rc < 0)
        return spill_fail(c->sp, err, rc, "cannot read the temporary file of cube cells", errno);
    return rc;
}

void evcells_close(struct evcells *c)
{
    if (!c)
        return;
    prefetch_stop(c);
    for (size_t i = 0; i < c->nrd; i++)
        bilat_free(c->rd[i].buf);
    bilat_free(c->rd);
    bilat_free(c->heap);
    bilat_free(c->fpv);
    bilat_free(c->recs);
    bilat_free(c);
}
