/*
 * evread.c: the reader of a scan (events_int.h): each file read (evsrc: plain, gzip, zip) into
 * blocks of whole lines for the workers, by read() or, for a plain regular file, as slices of
 * its mapping; its format told from its first line; its SHA-256 and content digest on the way.
 */
#include "ingest/events_int.h"

#include "core/mapguard.h"
#include "ingest/evsrc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------------------------------
 * The reader
 * ---------------------------------------------------------------------------------------- */

/*
 * A free block for the reader. When none is free and blocks wait in the queue, the workers are
 * behind: a reader that has a core of its own (it hashes or inflates) scans one of them itself
 * instead of sleeping. A file that is cheap to hash but expensive to aggregate (millions of
 * cube cells) then keeps both cores busy; one that is expensive to hash never gets here.
 */
static struct block *take_free(struct shared *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->nfree == 0) {
        /* (not a block to hash into a content digest: the reading thread would wait for its
         * turn instead of inflating, and hashing is the workers' share of the work) */
        if (r->helper && r->helper->rc == 0 && r->qlen > 0 && !r->queue[r->qhead]->hash) {
            struct block *b = r->queue[r->qhead];
            r->qhead = (r->qhead + 1) % r->qcap;
            r->qlen--;
            pthread_mutex_unlock(&r->mu);
            ev_worker_scan(r->helper, b);
            pthread_mutex_lock(&r->mu);
            r->freel[r->nfree++] = b;
            continue;
        }
        pthread_cond_wait(&r->cv_free, &r->mu);
    }
    struct block *b = r->freel[--r->nfree];
    pthread_mutex_unlock(&r->mu);
    return b;
}

static int push_block(struct shared *r, struct block *b)
{
    pthread_mutex_lock(&r->mu);
    if (r->nblocks == r->cap_blocks) {
        size_t cap = r->cap_blocks ? r->cap_blocks * 2 : 256;
        struct blockinfo *bi = bilat_realloc_array(r->blocks, cap, sizeof(*bi));
        if (!bi) {
            pthread_mutex_unlock(&r->mu);
            return BILAT_ENOMEM;
        }
        r->blocks = bi;
        r->cap_blocks = cap;
    }
    b->seq = r->nblocks;
    r->blocks[r->nblocks].file = b->file;
    r->blocks[r->nblocks].lines = 0;
    r->nblocks++;
    while (r->qlen == r->qcap)
        pthread_cond_wait(&r->cv_free, &r->mu);
    r->queue[(r->qhead + r->qlen) % r->qcap] = b;
    r->qlen++;
    pthread_cond_signal(&r->cv_full);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static int block_reserve(struct block *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need)
        cap *= 2;
    char *d = bilat_realloc(b->data, cap);
    if (!d)
        return BILAT_ENOMEM;
    b->data = d;
    b->cap = cap;
    return 0;
}

/* Decide a file's format from its first line; skip_first when it is a header. */
static int detect_format(const struct conf *c, const char *p, size_t len, int *fmt,
                         bool *skip_first, char *why, size_t whycap)
{
    const char *nl = memchr(p, '\n', len);
    size_t ll = nl ? (size_t)(nl - p) : len;
    if (ll && p[ll - 1] == '\r')
        ll--;
    size_t tabs = 0;
    for (size_t i = 0; i < ll; i++)
        tabs += p[i] == '\t';
    *skip_first = false;
    bool icews_header = ll >= 9 && memcmp(p, "Event ID\t", 9) == 0;
    bool gdelt_header = ll >= 14 && memcmp(p, "GLOBALEVENTID\t", 14) == 0;
    if (c->format != BILAT_EV_AUTO) {
        *fmt = c->format;
        *skip_first = (c->format == BILAT_EV_ICEWS && icews_header) ||
                      (c->format != BILAT_EV_ICEWS && gdelt_header);
        if (c->format == BILAT_EV_ICEWS && !icews_header) {
            snprintf(why, whycap, "an ICEWS file starts with its header line ('Event ID', "
                                  "'Event Date', ...)");
            return -1;
        }
        return 0;
    }
    const struct ev_layout *g1 = &ev_layouts[BILAT_EV_GDELT1], *g2 = &ev_layouts[BILAT_EV_GDELT2];
    const uint32_t nf = (uint32_t)tabs + 1;
    if (icews_header) {
        if (nf != ev_layouts[BILAT_EV_ICEWS].nf) {
            snprintf(why, whycap, "the ICEWS header has %zu columns, expected %s", tabs + 1,
                     ev_layouts[BILAT_EV_ICEWS].nf_text);
            return -1;
        }
        *fmt = BILAT_EV_ICEWS;
        *skip_first = true;
        return 0;
    }
    if (gdelt_header)
        *skip_first = true;
    if (nf == g1->nf || nf == g1->nf_alt)
        *fmt = BILAT_EV_GDELT1;
    else if (nf == g2->nf)
        *fmt = BILAT_EV_GDELT2;
    else {
        snprintf(why, whycap,
                 "cannot tell the format: the first line has %zu fields (GDELT 1.0 has 57 or 58, "
                 "GDELT 2.0 has 61, ICEWS starts with its header); use --format",
                 tabs + 1);
        return -1;
    }
    return 0;
}

static void set_failure(struct evfile *f, const char *msg)
{
    if (!f->failure)
        f->failure = bilat_strdup(msg);
}

/* Lines before the first non-blank one: the offset of that line and how many there are. */
static size_t skip_blank_lines(const char *p, size_t len, uint64_t *nblank)
{
    size_t off = 0;
    *nblank = 0;
    while (off < len && (p[off] == '\n' || (p[off] == '\r' && off + 1 < len && p[off + 1] == '\n'))) {
        off += p[off] == '\r' ? 2 : 1;
        (*nblank)++;
    }
    return off;
}

/* The file changed while it was read: noted by the thread that found it, reported once every
 * thread is done (finish_files()). */
void ev_mark_changed(struct shared *r, size_t file)
{
    pthread_mutex_lock(&r->mu);
    r->files[file].changed = true;
    pthread_mutex_unlock(&r->mu);
}

/*
 * What the reader does with the mapping for one block, as one call (the region mapguard_run()
 * guards): find the block's end, copy a last line that has no newline, hash the block and, for
 * the first block, tell the format from the first non-blank line. No lock is held here.
 */
struct mapstep {
    const struct conf *c;
    const char *map;
    size_t size, pos, bs;
    struct block *b;
    struct evsha *sha;          /* NULL: not hashing */
    bool first;                 /* the format is still to be told */
    size_t stop;                /* out: the block is [pos, stop) */
    int fmt;                    /* out (first): the format, 0 when it cannot be told */
    uint64_t skip_line;         /* out (first): the header's line in the block, or 0 */
    bool blank;                 /* out (first): the file holds only blank lines */
    char why[200];              /* out (first): why the format cannot be told */
    int rc;                     /* out: BILAT_ENOMEM */
};

static void map_step(void *ctx)
{
    struct mapstep *m = ctx;
    const char *map = m->map;
    size_t end = m->pos + m->bs < m->size ? m->pos + m->bs : m->size;
    uint64_t nblank = 0;
    size_t lead = m->pos;
    if (m->first) {
        /* the first block holds the first non-blank line whole, however many blank ones come
         * before it */
        lead += skip_blank_lines(map + m->pos, m->size - m->pos, &nblank);
        if (lead == m->size) {
            m->blank = true;
            return;
        }
        if (end <= lead)
            end = lead + 1;
    }
    const char *nl = memchr(map + end - 1, '\n', m->size - end + 1);
    m->stop = nl ? (size_t)(nl - map) + 1 : m->size;
    struct block *b = m->b;
    b->view = map + m->pos;
    b->len = m->stop - m->pos;
    if (!nl) {
        /* The last line has no newline: copy it and add one. */
        if ((m->rc = block_reserve(b, b->len + 1)) < 0) {
            b->view = NULL;
            return;
        }
        memcpy(b->data, map + m->pos, b->len);
        b->data[b->len++] = '\n';
        b->view = NULL;
    }
    if (m->sha)
        evsha_update(m->sha, map + m->pos, m->stop - m->pos);
    if (m->first) {
        const char *p = b->view ? b->view : b->data;
        size_t off = lead - m->pos;
        bool skip = false;
        if (detect_format(m->c, p + off, b->len - off, &m->fmt, &skip, m->why, sizeof(m->why)) < 0)
            m->fmt = 0;
        m->skip_line = skip ? nblank + 1 : 0;
    }
}

void ev_give_back(struct shared *r, struct block *b)
{
    b->view = NULL;
    pthread_mutex_lock(&r->mu);
    r->freel[r->nfree++] = b;
    pthread_cond_signal(&r->cv_free);
    pthread_mutex_unlock(&r->mu);
}

/*
 * The mmap path for plain regular files: blocks are slices of the mapping ending at a newline,
 * so that no byte is copied. A last line without a newline is copied into a block of its own
 * with one appended (the mapping is never written). SHA-256, when wanted, is computed here,
 * or, when the run reads several files, on a thread of the file's own (evhash.c). Every read
 * of the mapping, here and in the workers, is guarded (mapguard.h): a file truncated while it
 * is scanned is reported as changed, never a crash; so is one whose size or time moved by the
 * end of the read (`st0` is the file at open).
 */
static int read_file_mmap(struct shared *r, const struct conf *c, const struct bilat_scan_opts *o,
                          size_t fi, int fd, const struct stat *st0, uint64_t *bytes_done)
{
    struct evfile *f = &r->files[fi];
    size_t size = (size_t)st0->st_size;
    const char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return 1; /* let the read() path try */
    madvise((void *)(uintptr_t)map, size, MADV_SEQUENTIAL);
    struct evsha sha = {0};
    /* with several files, each is hashed on a thread of its own (evhash.c) */
    const bool hash_here = o->hash_files && !ev_hash_start(r, fi, fd, st0);
    if (hash_here && evsha_init(&sha) < 0) {
        munmap((void *)(uintptr_t)map, size);
        return BILAT_ENOMEM;
    }
    f->container = 0; /* plain */
    struct mapstep m;
    memset(&m, 0, sizeof(m));
    m.c = c;
    m.map = map;
    m.size = size;
    m.bs = o->buffer_size ? o->buffer_size : DEFAULT_SLICE;
    m.sha = hash_here ? &sha : NULL;
    m.first = true;
    int fmt = 0, rc = 0;
    bool lost = false; /* a mapped page could not be read */
    while (m.pos < size) {
        struct block *b = take_free(r);
        b->file = fi;
        b->overlong = false;
        b->skip_line = 0;
        b->hash = false; /* a plain file's content digest is its raw one */
        m.b = b;
        if (mapguard_run(map_step, &m) < 0) {
            lost = true;
            ev_give_back(r, b);
            break;
        }
        if (m.rc < 0 || m.blank) {
            rc = m.rc;
            ev_give_back(r, b);
            if (m.blank) /* only blank lines: an empty file */
                m.pos = size;
            break;
        }
        if (m.first) {
            if (!m.fmt) {
                char msg[600];
                snprintf(msg, sizeof(msg), "'%s': %s", f->path, m.why);
                set_failure(f, msg);
                ev_give_back(r, b);
                break;
            }
            b->skip_line = m.skip_line;
            fmt = f->format = m.fmt;
            m.first = false;
        }
        b->format = fmt;
        f->bytes += m.stop - m.pos;
        *bytes_done += m.stop - m.pos;
        if ((rc = push_block(r, b)) < 0)
            break;
        if (o->progress)
            o->progress(o->progress_ctx, *bytes_done, fi);
        m.pos = m.stop;
    }
    f->size = size;
    struct stat now;
    if (lost || fstat(fd, &now) != 0 || now.st_size != st0->st_size ||
        now.st_mtim.tv_sec != st0->st_mtim.tv_sec || now.st_mtim.tv_nsec != st0->st_mtim.tv_nsec)
        ev_mark_changed(r, fi);
    if (hash_here && rc == 0 && !f->failure && !lost) {
        /* stopped early (only blank lines): hash the rest so the digest is the file's */
        if (m.pos >= size || evsha_update_mapped(&sha, map + m.pos, size - m.pos) == 0) {
            evsha_final_hex(&sha, f->sha256);
            memcpy(f->content_sha256, f->sha256, sizeof(f->sha256));
        } else {
            ev_mark_changed(r, fi);
        }
    }
    evsha_release(&sha);
    /* Workers may still scan slices: the mapping is unmapped once they are done. */
    pthread_mutex_lock(&r->mu);
    int mrc = 0;
    if (r->nmaps == r->cap_maps) {
        size_t cap = r->cap_maps ? r->cap_maps * 2 : 16;
        struct mapping *mp = bilat_realloc_array(r->maps, cap, sizeof(*mp));
        if (mp) {
            r->maps = mp;
            r->cap_maps = cap;
        } else {
            mrc = BILAT_ENOMEM;
        }
    }
    if (mrc == 0) {
        r->maps[r->nmaps].p = map;
        r->maps[r->nmaps].len = size;
        r->nmaps++;
    }
    pthread_mutex_unlock(&r->mu);
    if (mrc < 0) {
        /* Cannot remember the mapping: wait for the workers by leaking nothing but time. */
        return mrc;
    }
    return rc;
}

/*
 * The first non-blank line of a file decides its format (blank lines before it are skipped
 * like any blank line: they still count for line numbers); b->skip_line marks its header.
 * 1: the block held only blank lines (the format is still to come); 0: told; -1: no format
 * (the file's failure says why).
 */
static int first_format(const struct conf *c, struct evfile *f, struct block *b, int *fmt)
{
    uint64_t nblank = 0;
    size_t off = skip_blank_lines(b->data, b->len, &nblank);
    if (off == b->len)
        return 1;
    char why[200], msg[600];
    bool skip = false;
    if (detect_format(c, b->data + off, b->len - off, fmt, &skip, why, sizeof(why)) < 0) {
        snprintf(msg, sizeof(msg), "'%s': %s", f->path, why);
        set_failure(f, msg);
        f->format = 0;
        return -1;
    }
    b->skip_line = skip ? nblank + 1 : 0;
    f->format = *fmt;
    return 0;
}

/* A warning the source has about the data (bytes it ignored), kept once. */
static void read_warning(struct evfile *f, struct evsrc *src)
{
    const char *warn = evsrc_warning(src);
    if (warn && !f->warning) {
        char msg[400];
        snprintf(msg, sizeof(msg), "'%s': %s", f->path, warn);
        f->warning = bilat_strdup(msg);
    }
}

/* A file read to its end: whether it changed meanwhile, its digests, its warning. */
static void read_done(struct evfile *f, struct evsrc *src, const struct bilat_scan_opts *o)
{
    char why[160];
    if (evsrc_changed(src, why, sizeof(why))) {
        /* the data read is not the file's: say so before any damage it seemed to have */
        char msg[600];
        snprintf(msg, sizeof(msg), "'%s' changed while it was being read (%s): read it again "
                                   "once it is complete",
                 f->path, why);
        bilat_free(f->failure);
        f->failure = NULL;
        set_failure(f, msg);
        f->changed = true;
    }
    if (o->hash_files && !f->changed) {
        /* a damaged compressed file still has a digest: that of its bytes, read to the end */
        if (f->failure)
            evsrc_finish(src);
        snprintf(f->sha256, sizeof(f->sha256), "%s", evsrc_sha256(src));
        /* a plain file's content is its bytes; a compressed file's digest is finished once
         * the workers have hashed its last block (finish_content()) */
        if (!f->failure && !f->chash)
            snprintf(f->content_sha256, sizeof(f->content_sha256), "%s",
                     evsrc_content_sha256(src));
    }
    read_warning(f, src);
}

/*
 * Fill a block to at least `rd` bytes ending with a newline (or to the end of the file: *eof).
 * *last_nl gets the block's last newline. An overlong line is reported once (an empty block
 * marked overlong) and its bytes are dropped up to its newline (*discarding meanwhile; they are
 * not hashed: the file has no content digest then). A read error ends the file (its failure).
 * 0 or BILAT_ENOMEM.
 */
static int fill_block(struct evfile *f, struct evsrc *src, struct block *b, size_t rd, int fmt,
                      bool *eof, bool *discarding, char **last_nl, uint64_t *bytes_done)
{
    struct bilat_err e = {0};
    size_t scan_from = 0;
    for (;;) {
        if (b->len >= rd || *eof) {
            *last_nl = b->len > scan_from ? memrchr(b->data + scan_from, '\n',
                                                   b->len - scan_from)
                                         : NULL;
            if (*last_nl || *eof)
                break;
            scan_from = b->len;
            if (b->len >= MAX_LINE) {
                /* An overlong line: report it once, drop bytes up to the next newline
                 * (they are not hashed: the file has no content digest then). */
                f->chash_lost = true;
                if (!*discarding) {
                    b->overlong = true;
                    b->len = 0;
                    b->format = fmt ? fmt : BILAT_EV_GDELT2;
                    *discarding = true;
                    break;
                }
                b->len = 0;
                scan_from = 0;
            }
        }
        if (block_reserve(b, b->len + rd + 2) < 0)
            return BILAT_ENOMEM;
        size_t got = 0;
        int rc = evsrc_read(src, b->data + b->len, rd, &got, &e);
        if (rc == BILAT_ENOMEM)
            return rc;
        if (rc < 0) {
            set_failure(f, e.msg);
            *eof = true;
            continue;
        }
        if (got == 0)
            *eof = true;
        b->len += got;
        f->bytes += got;
        *bytes_done += got;
    }
    return 0;
}

/* Read one file into blocks. Returns BILAT_ENOMEM only; file problems go into the file. */
int ev_read_file(struct shared *r, const struct conf *c, const struct bilat_scan_opts *o,
                 size_t fi, struct bilat_buf *carry, uint64_t *bytes_done)
{
    struct evfile *f = &r->files[fi];
    struct evsrc *src = NULL;
    struct bilat_err e = {0};
    int rc = evsrc_open(f->path, o->hash_files ? EVSRC_SHA_RAW : 0, &src, &e);
    if (rc == BILAT_ENOMEM)
        return rc;
    f->scanned = true;
    if (rc < 0) {
        set_failure(f, e.msg);
        f->unopened = rc == BILAT_ENOTFOUND || rc == BILAT_EIO;
        return 0;
    }
    f->container = (int)evsrc_kind(src);
    if (o->hash_files && evsrc_kind(src) != EVSRC_PLAIN) {
        if (evsha_init(&f->csha) < 0) {
            evsrc_close(src);
            return BILAT_ENOMEM;
        }
        f->chash = true;
    }
    if (o->io != BILAT_IO_READ && evsrc_kind(src) == EVSRC_PLAIN && strcmp(f->path, "-") != 0) {
        int fd = open(f->path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
            rc = read_file_mmap(r, c, o, fi, fd, &st, bytes_done);
            if (rc <= 0) {
                close(fd);
                evsrc_close(src);
                return rc;
            }
        }
        if (fd >= 0)
            close(fd);
    }
    const size_t rd = o->buffer_size ? o->buffer_size : DEFAULT_READ;
    bilat_buf_reset(carry);
    bool first = true, eof = false, discarding = false;
    int fmt = 0;
    while (!eof) {
        struct block *b = take_free(r);
        b->view = NULL;
        b->len = 0;
        b->file = fi;
        b->overlong = false;
        b->skip_line = 0;
        b->hash = false;
        if ((rc = block_reserve(b, carry->len + rd + 2)) < 0)
            goto ev_give_back;
        memcpy(b->data, carry->buf, carry->len);
        b->len = carry->len;
        b->fresh_off = carry->len; /* the carried bytes were hashed with the block before */
        bilat_buf_reset(carry);
        char *last_nl = NULL;
        if ((rc = fill_block(f, src, b, rd, fmt, &eof, &discarding, &last_nl, bytes_done)) < 0)
            goto ev_give_back;
        if (b->overlong) {
            if ((rc = push_block(r, b)) < 0)
                goto ev_give_back;
            continue;
        }
        size_t blen = b->len;
        b->fresh_len = b->len - b->fresh_off;
        if (last_nl && !eof) {
            blen = (size_t)(last_nl - b->data) + 1;
            if ((rc = bilat_buf_add(carry, b->data + blen, b->len - blen)) < 0)
                goto ev_give_back;
            b->len = blen;
        } else if (eof && b->len && b->data[b->len - 1] != '\n') {
            b->data[b->len++] = '\n'; /* a last line without newline is still a line */
        }
        if (discarding) {
            /* Drop the rest of the overlong line (up to its newline). */
            char *nl = memchr(b->data, '\n', b->len);
            size_t cut = nl ? (size_t)(nl - b->data) + 1 : b->len;
            memmove(b->data, b->data + cut, b->len - cut);
            b->len -= cut;
            if (nl)
                discarding = false;
        }
        if (first && b->len) {
            int ff = first_format(c, f, b, &fmt);
            if (ff < 0) {
                rc = 0;
                goto ev_give_back;
            }
            first = ff == 1; /* only blank lines so far: the format is still to come */
        }
        /* A block of blank lines only (before the format is told) is scanned all the same, so
         * that the lines after it keep their numbers: blank lines are skipped before a row's
         * format is looked at. */
        b->format = fmt;
        if (f->chash && !f->chash_lost && !discarding) {
            b->hash = true;
            b->hseq = r->hash_seq++; /* only this thread pushes blocks */
        }
        if ((rc = push_block(r, b)) < 0) {
            if (b->hash) /* not queued: its turn goes to the next block */
                r->hash_seq--;
            b->hash = false;
            goto ev_give_back;
        }
        if (o->progress)
            o->progress(o->progress_ctx, *bytes_done, fi);
        continue;
    ev_give_back:
        pthread_mutex_lock(&r->mu);
        r->freel[r->nfree++] = b;
        pthread_cond_signal(&r->cv_free);
        pthread_mutex_unlock(&r->mu);
        break;
    }
    if (rc == 0)
        read_done(f, src, o);
    else
        read_warning(f, src);
    f->size = evsrc_raw_bytes(src);
    evsrc_close(src);
    return rc;
}

