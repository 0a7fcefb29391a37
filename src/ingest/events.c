/*
 * events.c: `bilat scan` as a library: GDELT 1.0/2.0 and ICEWS files aggregated on the fly
 * (bilat.h, "Event files"; docs/EVENTS.md). This file runs a scan: the workers, the merge of
 * their tables and the public entry points; the options are compiled in evconf.c, rows are
 * processed in evrow.c, files read in evread.c, results viewed, written and packed in
 * evresult.c (what they share: events_int.h).
 *
 * Pipeline: the calling thread reads each file (evsrc: plain, gzip, zip) with read() into
 * blocks of whole lines; the partial last line of a read is carried into the next block. Worker
 * threads take blocks from a bounded queue, scan them (evscan: AVX2 or scalar), turn each line
 * into a row and add it to their own group table. At the end the tables are merged. Memory is
 * bounded by the blocks in flight (threads + 2 of them) and the number of groups, never by the
 * file size; an ingest also bounds the groups (bilat_scan_opts.memory): past it a worker spills
 * its table to a sorted run on disk and starts again (evspill.c), and the runs are merged when
 * the cells are written.
 *
 * When the calling thread has work of its own (SHA-256 for an ingest, inflating), it is left a
 * core: one worker fewer. It then also scans queued blocks itself whenever every block is in
 * flight, so that a file cheap to hash but expensive to aggregate still keeps every core busy.
 *
 * Rows are converted lazily: every row is checked for its number of fields, NUL bytes and its
 * event date; a row the --where conditions exclude is not converted further; a kept row has
 * its codes and numbers checked and converted. Bad rows are counted per file; the first ones
 * (by line) are kept with their reason. Line numbers are known only once every block before is
 * counted, so an error is stored with its block and in-block line and turned into a file line
 * at the end.
 *
 * Determinism: counts are integers and sums are exact fixed point, dedup counts come from a set
 * of cluster fingerprints merged by union, groups are sorted on output, kept errors are the
 * first ones by (block, line): the result is the same for any number of threads, any read
 * size and any split of the files.
 *
 * Files that change under the reader: a mapped file may be truncated while its blocks are
 * scanned, and a read of a page past its new end raises SIGBUS; every read of a mapping runs
 * under mapguard_run() (core/mapguard.h), so the file is marked changed instead, and so is a
 * file whose size or time moved by the end of its read (both paths). A changed file's result is
 * not the file's: it gets a failure and no digest.
 *
 * Event identity (an ingest): each GDELT row's GLOBALEVENTID is checked against the ids other
 * files of the store hold (rows left out, counted as duplicates) and kept in runs for the
 * store; the drill-down reads a file keeping the ids it counted. The content digest of a
 * compressed file is hashed by the workers in block order (worker_hash()).
 */
#include "ingest/events_int.h"

#include "core/mapguard.h"
#include "ingest/evsrc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------
 * Workers
 * ---------------------------------------------------------------------------------------- */

/* A block's scan, as one call (the region mapguard_run() guards for a mapped block). */
struct blockscan {
    struct worker *w;
    const char *p;
    size_t len;
    uint32_t maxf;
    uint64_t lines;
};

static void scan_lines(void *ctx)
{
    struct blockscan *bs = ctx;
    struct evscan_line scratch;
    bs->lines = bs->w->run->scan(bs->p, bs->len, bs->maxf, &scratch, ev_on_line, bs->w);
}


/*
 * Hash a block's bytes into its file's content digest, in block order. Inflating takes the
 * reading thread's whole time, so the content of a compressed file (its identity, whatever its
 * container) is hashed here, on the workers, where a scan of a month's export leaves time:
 * hashing it on the reading thread made the ingest of a .gz export half as slow again
 * (bench/RESULTS.md). Blocks are taken from the queue in order, so the lowest block not yet
 * hashed is always held by a thread that is not waiting: the turn always comes.
 */
static void worker_hash(struct shared *r, struct block *b)
{
    pthread_mutex_lock(&r->mu);
    while (r->hash_next != b->hseq)
        pthread_cond_wait(&r->cv_hash, &r->mu);
    pthread_mutex_unlock(&r->mu);
    evsha_update(&r->files[b->file].csha, b->data + b->fresh_off, b->fresh_len);
    pthread_mutex_lock(&r->mu);
    r->hash_next++;
    pthread_cond_broadcast(&r->cv_hash);
    pthread_mutex_unlock(&r->mu);
}

void ev_worker_scan(struct worker *w, struct block *b)
{
    struct shared *r = w->run;
    w->file = b->file;
    w->format = b->format;
    w->seq = b->seq;
    w->line = 0;
    w->skip_line = b->skip_line;
    uint64_t lines;
    if (b->overlong) {
        w->line = 1;
        w->fc[w->file].rows++;
        ev_reject(w, "line longer than %d MiB", MAX_LINE >> 20);
        lines = 1;
    } else {
        const char *p = b->view ? b->view : b->data;
        struct blockscan bs = {w, p, b->len, w->conf->maxf_scan[b->format & 3], 0};
        if (!b->view) {
            scan_lines(&bs);
        } else if (mapguard_run(scan_lines, &bs) < 0) {
            /* the file shrank under the mapping: its rows are not the file's any more */
            ev_mark_changed(r, b->file);
            bs.lines = 0;
        }
        lines = bs.lines;
        if (w->nb) {
            int rc = ev_flush_batch(w);
            if (rc < 0)
                w->rc = rc;
        }
        if (b->view) {
            /* Drop the block's pages from this process (they stay in the page cache), so
             * that resident memory does not grow with the file. */
            uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
            uintptr_t hi = ((uintptr_t)p + b->len) & ~(uintptr_t)4095;
            if (hi > lo)
                madvise((void *)lo, hi - lo, MADV_DONTNEED);
        }
    }
    pthread_mutex_lock(&r->mu);
    r->blocks[b->seq].lines = lines;
    pthread_mutex_unlock(&r->mu);
    if (b->hash)
        worker_hash(r, b);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *r = w->run;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->qlen == 0 && !r->closing)
            pthread_cond_wait(&r->cv_full, &r->mu);
        if (r->qlen == 0) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        struct block *b = r->queue[r->qhead];
        r->qhead = (r->qhead + 1) % r->qcap;
        r->qlen--;
        pthread_mutex_unlock(&r->mu);
        if (w->rc == 0)
            ev_worker_scan(w, b);
        pthread_mutex_lock(&r->mu);
        r->freel[r->nfree++] = b;
        pthread_cond_signal(&r->cv_free);
        pthread_mutex_unlock(&r->mu);
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------
 * Merging
 * ---------------------------------------------------------------------------------------- */

/* Merge groups (and fingerprints) of b into a; dedup counts are recounted from the union. */
int ev_merge_groups(struct evgroups *a, struct fpset *afp, const struct evgroups *b,
                    const struct fpset *bfp, const uint64_t *file_map)
{
    size_t *map = bilat_alloc_array(b->n ? b->n : 1, sizeof(*map));
    if (!map)
        return BILAT_ENOMEM;
    uint64_t key[EV_MAXK];
    for (size_t i = 0; i < b->n; i++) {
        const uint64_t *k = evg_key(b, i);
        uint64_t h = evg_hash(b, i);
        if (file_map) {
            memcpy(key, k, b->nk * sizeof(uint64_t));
            key[0] = file_map[key[0]];
            k = key;
            h = evgroups_hash(k, b->nk);
        }
        size_t j;
        int rc = evgroups_get(a, k, h, &j);
        if (rc < 0) {
            bilat_free(map);
            return rc;
        }
        map[i] = j;
        struct evmeas *am = evg_meas(a, j);
        const struct evmeas *bm = evg_meas(b, i);
        int64_t keep = am->dedup;
        evmeas_add(am, bm);
        am->dedup = keep;
        if (!bfp) {
            am->dedup += bm->dedup;
        } else if (bm->fp0 && afp) {
            int added = dd_add(am, afp, (uint32_t)j, bm->fp0);
            if (added < 0) {
                bilat_free(map);
                return added;
            }
            am->dedup += added;
        }
    }
    if (bfp && afp) {
        for (size_t s = 0; s < bfp->n; s++) {
            size_t g = map[bfp->e[s].group];
            int rc = dd_add(evg_meas(a, g), afp, (uint32_t)g, bfp->e[s].fp);
            if (rc < 0) {
                bilat_free(map);
                return rc;
            }
            evg_meas(a, g)->dedup += rc;
        }
    }
    bilat_free(map);
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * The run
 * ---------------------------------------------------------------------------------------- */

int ev_result_new(struct conf *c, const char *const *files, size_t n, bilat_scan **out)
{
    bilat_scan *s = bilat_calloc(1, sizeof(*s));
    if (!s)
        return BILAT_ENOMEM;
    s->conf = c;
    s->files = bilat_calloc(n ? n : 1, sizeof(*s->files));
    s->nfiles = s->files ? n : 0;
    int rc = s->files ? 0 : BILAT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!(s->files[i].path = bilat_strdup(files[i])))
            rc = BILAT_ENOMEM;
    if (rc == 0)
        rc = evgroups_init(&s->groups, c->nk);
    if (rc == 0)
        rc = evgroups_init(&s->cov, 2);
    if (rc == 0 && c->dedup != BILAT_DEDUP_NONE)
        rc = fpset_init(&s->fps);
    if (rc < 0) {
        s->conf = NULL;
        bilat_scan_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void bilat_scan_free(bilat_scan *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nfiles; i++) {
        evsha_release(&s->files[i].csha);
        bilat_free(s->files[i].path);
        bilat_free(s->files[i].failure);
        bilat_free(s->files[i].warning);
        bilat_free(s->files[i].errs);
    }
    evids_release(&s->ids);
    evids_release(&s->skipped);
    bilat_free(s->files);
    bilat_free(s->members.v);
    bilat_buf_release(&s->members.text);
    bilat_free(s->members.keys);
    evgroups_release(&s->groups);
    evgroups_release(&s->cov);
    fpset_release(&s->fps);
    evspill_free(s->spill);
    bilat_free(s->conf);
    bilat_free(s);
}

static void worker_release(struct worker *w)
{
    evids_release(&w->ids);
    evids_release(&w->skipped);
    evgroups_release(&w->groups);
    evgroups_release(&w->cov);
    fpset_release(&w->fps);
    bilat_free(w->fc);
    bilat_free(w->names);
    bilat_hindex_release(&w->names_x);
    bilat_arena_release(&w->arena);
    bilat_free(w->members.v);
    bilat_buf_release(&w->members.text);
    bilat_free(w->members.keys);
    bilat_free(w->batch);
    evspill_scratch_release(&w->sc);
}

/* Whether the first file of this part is gzip or zip (its first bytes; pipes count as not). */
/* Whether file i is read by this process (an MPI rank reads every nparts-th file). */
static bool in_part(size_t i, size_t part, size_t nparts)
{
    return nparts <= 1 || i % nparts == part;
}

static bool first_compressed(const char *const *files, size_t n, size_t part, size_t nparts)
{
    for (size_t i = 0; i < n; i++) {
        if (!in_part(i, part, nparts))
            continue;
        if (strcmp(files[i], "-") == 0)
            return false;
        unsigned char m[4] = {0};
        int fd = open(files[i], O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return false;
        ssize_t r = read(fd, m, sizeof(m));
        close(fd);
        return r >= 2 && ((m[0] == 0x1f && m[1] == 0x8b) || (r == 4 && m[0] == 'P' &&
                                                            m[1] == 'K' && m[2] == 3 &&
                                                            m[3] == 4));
    }
    return false;
}

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Scan files [0, n) of this part. With `order` (ingest) and o->memory, groups beyond the
 * budget are spilled to sorted runs in that order (the result's `spill`).
 * Long: the run's phases (the workers and the reader started and joined, the spill, the merge
 * in order, the ids, the members, the error lines, the digests) share the run's state and its
 * one cleanup path; each phase is a block under its own comment. */
static int scan_run(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                    size_t part, size_t nparts, const char *by, bool coverage,
                    const size_t *order, const struct evidfilter *idf, bool track_ids,
                    bilat_scan **out, struct bilat_err *err)
{
    *out = NULL;
    struct conf *c = NULL;
    BILAT_TRY(ev_conf_new(o, by, coverage, &c, err));
    c->idf = idf;
    c->track_ids = track_ids;
    bilat_scan *s = NULL;
    if (ev_result_new(c, files, n, &s) < 0) {
        bilat_free(c);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    int nt = o->threads > 0 ? o->threads : online_cpus();
    bool helps = false;
    if (o->threads <= 0 && nt > 1 && (o->hash_files || first_compressed(files, n, part, nparts))) {
        nt--; /* the reading thread has work of its own (inflate, SHA-256): leave it a core */
        helps = true; /* ... and let it scan when that work leaves the core idle */
    }
    if (nt > 64)
        nt = 64;
    int nw = nt + helps; /* tables: one per worker thread, and the reader's */
    struct shared r;
    memset(&r, 0, sizeof(r));
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv_full, NULL);
    pthread_cond_init(&r.cv_free, NULL);
    pthread_cond_init(&r.cv_hash, NULL);
    r.files = s->files;
    r.scan = evscan_pick((enum evscan_kind)o->scanner, NULL);
    /* Several files to hash: each plain one on a thread of its own, up to one per CPU at once
     * (evhash.c); one file is hashed by the reader as it reads it. */
    size_t mine = 0;
    for (size_t i = 0; i < n; i++)
        mine += in_part(i, part, nparts);
    if (o->hash_files && mine > 1)
        r.hash_threads = online_cpus() < 16 ? online_cpus() : 16;
    r.order = order && o->memory ? order : NULL;
    r.spill_dir = o->spill_dir;
    r.budget = o->memory;
    size_t nblocks = (size_t)nt + 2;
    struct worker *ws = bilat_calloc((size_t)nw, sizeof(*ws));
    pthread_t *tids = bilat_calloc((size_t)nt, sizeof(*tids));
    struct block *blocks = bilat_calloc(nblocks, sizeof(*blocks));
    r.queue = bilat_calloc(nblocks, sizeof(*r.queue));
    r.freel = bilat_calloc(nblocks, sizeof(*r.freel));
    r.qcap = nblocks;
    int rc = ws && tids && blocks && r.queue && r.freel ? 0 : BILAT_ENOMEM;
    for (size_t i = 0; rc == 0 && i < nblocks; i++)
        r.freel[r.nfree++] = &blocks[i];
    int started = 0;
    for (int t = 0; rc == 0 && t < nw; t++) {
        ws[t].run = &r;
        ws[t].conf = c;
        ws[t].budget = r.order ? (o->memory / (size_t)nw ? o->memory / (size_t)nw : 1) : 0;
        ws[t].fc = bilat_calloc(n ? n : 1, sizeof(*ws[t].fc));
        ws[t].batch = bilat_calloc(BATCH, sizeof(*ws[t].batch));
        if (!ws[t].fc || !ws[t].batch || evgroups_init(&ws[t].groups, c->nk) < 0 ||
            evgroups_init(&ws[t].cov, 2) < 0 ||
            (c->dedup != BILAT_DEDUP_NONE && fpset_init(&ws[t].fps) < 0))
            rc = BILAT_ENOMEM;
    }
    r.helper = helps && rc == 0 ? &ws[nt] : NULL;
    for (int t = 0; rc == 0 && t < nt; t++) {
        if (pthread_create(&tids[t], NULL, worker_main, &ws[t]) != 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "cannot start a scanning thread");
            break;
        }
        started++;
    }
    struct bilat_buf carry = BILAT_BUF_INIT;
    uint64_t bytes_done = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!in_part(i, part, nparts))
            continue;
        rc = ev_read_file(&r, c, o, i, &carry, &bytes_done);
    }
    bilat_buf_release(&carry);
    pthread_mutex_lock(&r.mu);
    r.closing = true;
    pthread_cond_broadcast(&r.cv_full);
    pthread_mutex_unlock(&r.mu);
    for (int t = 0; t < started; t++)
        pthread_join(tids[t], NULL);
    int hrc = ev_hash_finish(&r);
    if (rc == 0 && hrc < 0)
        rc = hrc;
    for (size_t i = 0; i < r.nmaps; i++)
        munmap((void *)(uintptr_t)r.maps[i].p, r.maps[i].len);
    bilat_free(r.maps);
    struct bilat_err werr = {0};
    for (int t = 0; rc == 0 && t < nw; t++)
        if (ws[t].rc < 0) {
            rc = ws[t].rc;
            werr = ws[t].err;
        }
    if (rc == 0 && r.rc < 0)
        rc = r.rc;
    /* Once anything was spilled, or when the workers' tables together pass the budget, what
     * the workers hold is spilled too and the runs are merged later (in order, by the store
     * writer): the tables are never merged into one. */
    bool spilled = r.spill != NULL;
    if (rc == 0 && r.order && !spilled) {
        size_t bytes = 0;
        for (int t = 0; t < nw; t++)
            bytes += evgroups_bytes(&ws[t].groups) + fpset_bytes(&ws[t].fps);
        spilled = nw > 1 && bytes > o->memory;
    }
    for (int t = 0; rc == 0 && spilled && t < nw; t++) {
        if ((rc = ev_worker_spill(&ws[t])) < 0)
            werr = ws[t].err;
        evgroups_release(&ws[t].groups);
        fpset_release(&ws[t].fps);
        evspill_scratch_release(&ws[t].sc);
    }
    if (rc == 0 && spilled) {
        s->spill = r.spill;
        r.spill = NULL;
    }
    /* Merge the workers in order. */
    for (int t = 0; rc == 0 && t < nw; t++) {
        if (t == 0) {
            /* The first worker's tables become the result's: no copy, no second table. */
            evgroups_release(&s->cov);
            s->cov = ws[0].cov;
            memset(&ws[0].cov, 0, sizeof(ws[0].cov));
            if (!spilled) {
                evgroups_release(&s->groups);
                fpset_release(&s->fps);
                s->groups = ws[0].groups;
                s->fps = ws[0].fps;
                memset(&ws[0].groups, 0, sizeof(ws[0].groups));
                memset(&ws[0].fps, 0, sizeof(ws[0].fps));
            }
        } else {
            if (!spilled)
                rc = ev_merge_groups(&s->groups, c->dedup != BILAT_DEDUP_NONE ? &s->fps : NULL,
                                  &ws[t].groups,
                                  c->dedup != BILAT_DEDUP_NONE ? &ws[t].fps : NULL, NULL);
            if (rc == 0)
                rc = ev_merge_groups(&s->cov, NULL, &ws[t].cov, NULL, NULL);
            /* Free each merged table at once: peak memory is one result plus one worker's. */
            evgroups_release(&ws[t].groups);
            evgroups_release(&ws[t].cov);
            fpset_release(&ws[t].fps);
        }
        for (size_t i = 0; rc == 0 && i < n; i++) {
            struct evfile *f = &s->files[i];
            const struct fcount *fc = &ws[t].fc[i];
            f->rows += fc->rows;
            f->rejected += fc->rejected;
            f->used += fc->used;
            f->dup += fc->dup;
            if (fc->dmin && (!f->dmin || fc->dmin < f->dmin))
                f->dmin = fc->dmin;
            if (fc->dmax > f->dmax)
                f->dmax = fc->dmax;
            if (fc->amin && (!f->amin || fc->amin < f->amin))
                f->amin = fc->amin;
            if (fc->amax > f->amax)
                f->amax = fc->amax;
        }
    }
    /* The ids every worker counted, as one set. */
    for (int t = 0; rc == 0 && c->track_ids && t < nw; t++) {
        for (size_t k = 0; rc == 0 && k < ws[t].ids.n; k++)
            rc = evids_add_run(&s->ids, ws[t].ids.v[k].lo, ws[t].ids.v[k].hi);
        for (size_t k = 0; rc == 0 && k < ws[t].skipped.n; k++)
            rc = evids_add_run(&s->skipped, ws[t].skipped.v[k].lo, ws[t].skipped.v[k].hi);
    }
    evids_normalise(&s->ids);
    evids_normalise(&s->skipped);
    /* Members of every worker, into the result (text and key offsets shifted). */
    for (int t = 0; rc == 0 && c->members && t < nw; t++) {
        struct memberlist *from = &ws[t].members, *to = &s->members;
        size_t base = to->text.len, kbase = to->nkeys;
        if (bilat_buf_add(&to->text, from->text.buf, from->text.len) < 0) {
            rc = BILAT_ENOMEM;
            break;
        }
        if (from->n) {
            struct member *v = bilat_realloc_array(to->v, to->n + from->n, sizeof(*v));
            if (!v) {
                rc = BILAT_ENOMEM;
                break;
            }
            to->v = v;
            if (from->nkeys) {
                uint64_t *k = bilat_realloc_array(to->keys, to->nkeys + from->nkeys, sizeof(*k));
                if (!k) {
                    rc = BILAT_ENOMEM;
                    break;
                }
                to->keys = k;
                memcpy(to->keys + to->nkeys, from->keys, from->nkeys * sizeof(*k));
                to->nkeys += from->nkeys;
                to->capkeys = to->nkeys;
            }
            for (size_t k = 0; k < from->n; k++) {
                to->v[to->n] = from->v[k];
                to->v[to->n].off += base;
                to->v[to->n].koff += kbase;
                to->n++;
            }
        }
    }
    /* Block-relative error lines -> file lines. */
    if (rc == 0) {
        uint64_t *base = bilat_calloc(r.nblocks ? r.nblocks : 1, sizeof(*base));
        uint64_t *acc = bilat_calloc(n ? n : 1, sizeof(*acc));
        if (!base || !acc)
            rc = BILAT_ENOMEM;
        for (size_t b = 0; rc == 0 && b < r.nblocks; b++) {
            base[b] = acc[r.blocks[b].file];
            acc[r.blocks[b].file] += r.blocks[b].lines;
        }
        for (size_t k = 0; rc == 0 && k < s->members.n; k++)
            s->members.v[k].line += base[s->members.v[k].seq];
        for (size_t i = 0; rc == 0 && i < n; i++) {
            struct evfile *f = &s->files[i];
            for (size_t k = 0; k < f->nerrs; k++)
                f->errs[k].line += base[f->errs[k].seq];
            if (f->chash) {
                /* every block was hashed (the workers are done): the content digest */
                if (!f->failure && !f->changed && !f->chash_lost && f->sha256[0])
                    evsha_final_hex(&f->csha, f->content_sha256);
                evsha_release(&f->csha);
                f->chash = false;
            }
            if (f->changed) {
                /* what was read is not the file: no digest, and the failure says why */
                if (!f->failure || !strstr(f->failure, "changed while it was being read")) {
                    char msg[600];
                    snprintf(msg, sizeof(msg), "'%s' changed while it was being read (it "
                                               "shrank or was written to): read it again once "
                                               "it is complete",
                             f->path);
                    bilat_free(f->failure);
                    f->failure = bilat_strdup(msg);
                    if (!f->failure)
                        rc = BILAT_ENOMEM;
                }
                f->sha256[0] = f->content_sha256[0] = '\0';
            }
            f->empty = f->scanned && f->rows == 0 && !f->failure;
            s->bytes += f->bytes;
        }
        bilat_free(base);
        bilat_free(acc);
    }
    for (int t = 0; ws && t < nw; t++)
        worker_release(&ws[t]);
    for (size_t i = 0; blocks && i < nblocks; i++)
        bilat_free(blocks[i].data);
    bilat_free(ws);
    bilat_free(tids);
    bilat_free(blocks);
    bilat_free(r.queue);
    bilat_free(r.freel);
    bilat_free(r.blocks);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv_full);
    pthread_cond_destroy(&r.cv_free);
    pthread_cond_destroy(&r.cv_hash);
    evspill_free(r.spill);
    if (rc < 0) {
        bilat_scan_free(s);
        if (rc == BILAT_ENOMEM)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (werr.code && err)
            *err = werr;
        return rc;
    }
    *out = s;
    return 0;
}

int bilat_scan_files(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                     bilat_scan **out, struct bilat_err *err)
{
    return scan_run(o, files, n, 0, 1, o->by, false, NULL, NULL, false, out, err);
}

int bilat_scan_files_part(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                          size_t part, size_t nparts, bilat_scan **out, struct bilat_err *err)
{
    return scan_run(o, files, n, part, nparts ? nparts : 1, o->by, false, NULL, NULL, false, out,
                    err);
}

/* The cube's keys (evstore.c relies on this order), and the order its cells are written in:
 * that of the index event_cube_file after the file (actor countries, then day), so that SQLite
 * appends a file's rows to the index. */
const char ev_cube_keys[] = "day,actor1_country,actor2_country,actor1_type,actor2_type,"
                            "event_code,quad";
const size_t ev_cube_order[7] = {1, 2, 0, 3, 4, 5, 6};

int ev_cells_open(const bilat_scan *s, struct evcells **out, struct bilat_err *err)
{
    if (s->spill)
        return evcells_open_spill(s->spill, out, err);
    int rc = evcells_open_table(&s->groups, ev_cube_order, out);
    if (rc < 0)
        return bilat_fail(err, rc, rc == BILAT_ENOMEM ? "out of memory" : "too many keys");
    return 0;
}

int ev_scan_for_ingest(const struct bilat_scan_opts *o, const char *path,
                       const struct evidfilter *known, bilat_scan **out, struct bilat_err *err)
{
    const char *files[1] = {path};
    return scan_run(o, files, 1, 0, 1, ev_cube_keys, true, ev_cube_order, known, true, out, err);
}

const struct evids *ev_scan_ids(const bilat_scan *s)
{
    return &s->ids;
}

const struct evids *ev_scan_skipped_ids(const bilat_scan *s)
{
    return &s->skipped;
}

int ev_scan_empty_for_ingest(const struct bilat_scan_opts *o, const char *path, bilat_scan **out,
                             struct bilat_err *err)
{
    struct conf *c = NULL;
    BILAT_TRY(ev_conf_new(o, ev_cube_keys, true, &c, err));
    const char *files[1] = {path};
    if (ev_result_new(c, files, 1, out) < 0) {
        bilat_free(c);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    return 0;
}

int ev_scan_for_drill(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                      const struct evidfilter *idf, bilat_scan **out, struct bilat_err *err)
{
    /* The cube's keys make the cube's clusters (a fingerprint starts from the group's key);
     * coverage on makes the ingest's checks (DATEADDED), so the same rows are kept; the ids
     * each file counted at ingest keep the rows it counted. */
    return scan_run(o, files, n, 0, 1, ev_cube_keys, true, NULL, idf, false, out, err);
}
