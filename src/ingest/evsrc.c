/*
 * evsrc.c: streaming reads of plain, gzip and zip event files (see evsrc.h).
 *
 * Why ISA-L: GDELT ships .zip files and a year of them is hundreds of gigabytes once inflated.
 * libdeflate is fast but needs the whole output in memory; zlib streams but inflates at about
 * half ISA-L's speed. ISA-L's isal_inflate() streams with a fixed-size state, so memory stays
 * at one input buffer plus the caller's output buffer whatever the member's size.
 *
 * Zip: only the local file header of the first member is read (streaming never needs the
 * central directory). A member written with a data descriptor (general-purpose flag bit 3) has
 * its CRC after the data; the descriptor is read once the deflate stream ends. Zip64 sizes are
 * read from the 0x0001 extra field where a stored member needs them.
 * Formats: RFC 1952 (gzip), PKWARE APPNOTE 6.3 sections 4.3.7 (local header), 4.3.9 (data
 * descriptor), 4.5.3 (zip64 extra field).
 */
#include "ingest/evsrc.h"

#include "core/alloc.h"
#include "core/err.h"
#include "core/mapguard.h"
#include "ingest/evsha.h"

#include <errno.h>
#include <fcntl.h>
#include <isa-l/igzip_lib.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { RAW_CAP = 1 << 20 }; /* compressed input buffer: large reads, few syscalls */

struct evsrc {
    const char *path;          /* borrowed, for messages */
    int fd;                    /* open file, or 0 for stdin */
    enum evsrc_kind kind;      /* plain, gzip, zip */
    unsigned char *raw;        /* raw (file) bytes not yet consumed */
    size_t raw_pos, raw_len;   /* unconsumed range raw[raw_pos, raw_len) */
    bool raw_eof;              /* read() returned 0 */
    uint64_t raw_total;        /* raw bytes read from the file */
    bool hashing;              /* SHA-256 wanted */
    struct evsha sha;          /* running hash of the raw bytes */
    char sha_hex[65];          /* final hash, "" until the end */
    bool chashing;             /* content SHA-256 of a compressed file wanted */
    struct evsha csha;         /* running hash of the content (compressed files only) */
    char content_hex[65];      /* final content hash, "" until all data was delivered */
    bool regular;              /* a regular file: st0 tells whether it changed */
    struct stat st0;           /* the file at open */
    uint64_t trailing;         /* bytes ignored after the gzip data (trailing_seen) */
    bool trailing_seen;
    char warning[160];         /* evsrc_warning(), "" for none */
    struct inflate_state *inf; /* deflate state (gzip, zip) */
    bool done;                 /* all data delivered */
    /* zip member */
    unsigned zip_flags;        /* general-purpose bit flags */
    unsigned zip_method;       /* 0 stored, 8 deflate */
    uint32_t zip_crc;          /* CRC-32 from the local header (0 with a data descriptor) */
    uint64_t zip_csize;        /* compressed size (stored members) */
    uint64_t zip_left;         /* stored bytes still to deliver */
    uint64_t out_total;        /* decompressed bytes delivered */
    int pending;               /* an error found after some data: reported on the next read */
    struct bilat_err pending_err;
};

static int io_fail(struct evsrc *s, struct bilat_err *err, const char *what)
{
    return bilat_fail_at(err, BILAT_EIO, s->path, 0, "cannot %s '%s': %s", what, s->path,
                         strerror(errno));
}

static int parse_fail(struct evsrc *s, struct bilat_err *err, const char *why)
{
    return bilat_fail_at(err, BILAT_EPARSE, s->path, 0, "'%s': %s", s->path, why);
}

/* Read more raw bytes (compacting the buffer first); hash them. */
static int raw_fill(struct evsrc *s, struct bilat_err *err)
{
    if (s->raw_eof)
        return 0;
    if (s->raw_pos > 0) {
        memmove(s->raw, s->raw + s->raw_pos, s->raw_len - s->raw_pos);
        s->raw_len -= s->raw_pos;
        s->raw_pos = 0;
    }
    while (s->raw_len < RAW_CAP) {
        ssize_t r = read(s->fd, s->raw + s->raw_len, RAW_CAP - s->raw_len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return io_fail(s, err, "read");
        }
        if (r == 0) {
            s->raw_eof = true;
            break;
        }
        if (s->hashing)
            evsha_update(&s->sha, s->raw + s->raw_len, (size_t)r);
        s->raw_len += (size_t)r;
        s->raw_total += (uint64_t)r;
        break; /* one read per fill: a pipe delivers what it has */
    }
    return 0;
}

/* Make at least `n` unconsumed raw bytes available; fewer only at the end of the file. */
static int raw_need(struct evsrc *s, size_t n, struct bilat_err *err)
{
    while (s->raw_len - s->raw_pos < n && !s->raw_eof)
        BILAT_TRY(raw_fill(s, err));
    return 0;
}

static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
    return le16(p) | le16(p + 2) << 16;
}

static uint64_t le64(const unsigned char *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void hash_finish(struct evsrc *s)
{
    if (!s->hashing || s->sha_hex[0])
        return;
    /* Hash whatever the decoder did not need (trailing zip directory) so that the digest is the
     * file's. */
    while (!s->raw_eof) {
        s->raw_pos = s->raw_len = 0;
        if (raw_fill(s, NULL) < 0)
            return;
    }
    evsha_final_hex(&s->sha, s->sha_hex);
}

/* All data was delivered: both digests are final (the content's is the raw one for a plain
 * file). */
static void finish_digests(struct evsrc *s)
{
    hash_finish(s);
    if (s->content_hex[0])
        return;
    if (s->kind == EVSRC_PLAIN && s->sha_hex[0])
        memcpy(s->content_hex, s->sha_hex, sizeof(s->content_hex));
    else if (s->kind != EVSRC_PLAIN && s->chashing)
        evsha_final_hex(&s->csha, s->content_hex);
}

/* Parse the first zip local file header at raw_pos. */
static int zip_header(struct evsrc *s, struct bilat_err *err)
{
    BILAT_TRY(raw_need(s, 30, err));
    const unsigned char *h = s->raw + s->raw_pos;
    if (s->raw_len - s->raw_pos < 30)
        return parse_fail(s, err, "truncated zip header");
    if (le32(h) == 0x06054b50)
        return parse_fail(s, err, "the zip archive holds no file");
    if (le32(h) != 0x04034b50)
        return parse_fail(s, err, "not a zip local file header");
    s->zip_flags = le16(h + 6);
    s->zip_method = le16(h + 8);
    s->zip_crc = le32(h + 14);
    s->zip_csize = le32(h + 18);
    size_t name_len = le16(h + 26), extra_len = le16(h + 28);
    if (s->zip_flags & 1)
        return parse_fail(s, err, "the zip member is encrypted");
    if (s->zip_method != 0 && s->zip_method != 8)
        return parse_fail(s, err, "the zip member uses a compression method other than "
                                  "deflate or stored");
    BILAT_TRY(raw_need(s, 30 + name_len + extra_len, err));
    if (s->raw_len - s->raw_pos < 30 + name_len + extra_len)
        return parse_fail(s, err, "truncated zip header");
    const unsigned char *x = s->raw + s->raw_pos + 30 + name_len, *xe = x + extra_len;
    while (xe - x >= 4) {
        unsigned id = le16(x), len = le16(x + 2);
        if ((size_t)(xe - x - 4) < len)
            break;
        if (id == 1 && len >= 16 && s->zip_csize == 0xffffffffu)
            s->zip_csize = le64(x + 12);
        x += 4 + len;
    }
    s->raw_pos += 30 + name_len + extra_len;
    if (s->zip_method == 0 && (s->zip_flags & 8))
        return parse_fail(s, err, "stored zip member without sizes is not supported");
    s->zip_left = s->zip_csize;
    return 0;
}

int evsrc_open(const char *path, unsigned hash, struct evsrc **src_out, struct bilat_err *err)
{
    *src_out = NULL;
    struct evsrc *s = bilat_calloc(1, sizeof(*s));
    if (!s)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    s->path = path;
    s->hashing = (hash & EVSRC_SHA_RAW) != 0;
    s->chashing = (hash & EVSRC_SHA_CONTENT) != 0;
    if (s->hashing && evsha_init(&s->sha) < 0) {
        bilat_free(s);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        s->fd = 0;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            int e = errno;
            rc = bilat_fail_at(err, e == ENOENT ? BILAT_ENOTFOUND : BILAT_EIO, path, 0,
                               "cannot open '%s': %s", path, strerror(e));
            s->fd = -1;
            goto fail;
        }
        struct stat st;
        if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot read '%s': is a directory",
                               path);
            goto fail;
        }
        if (fstat(s->fd, &s->st0) == 0 && S_ISREG(s->st0.st_mode))
            s->regular = true;
        posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    s->raw = bilat_malloc(RAW_CAP);
    if (!s->raw) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto fail;
    }
    if ((rc = raw_need(s, 4, err)) < 0)
        goto fail;
    const unsigned char *m = s->raw;
    size_t have = s->raw_len;
    if (have >= 2 && m[0] == 0x1f && m[1] == 0x8b)
        s->kind = EVSRC_GZIP;
    else if (have >= 4 && m[0] == 'P' && m[1] == 'K' &&
             ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6)))
        s->kind = EVSRC_ZIP;
    if (s->kind != EVSRC_PLAIN) {
        s->inf = bilat_malloc(sizeof(*s->inf));
        if (!s->inf) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto fail;
        }
        isal_inflate_init(s->inf);
        s->inf->crc_flag = s->kind == EVSRC_GZIP ? ISAL_GZIP : ISAL_GZIP_NO_HDR;
        if (s->chashing && evsha_init(&s->csha) < 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto fail;
        }
        if (s->kind == EVSRC_ZIP && (rc = zip_header(s, err)) < 0)
            goto fail;
    }
    *src_out = s;
    return 0;
fail:
    evsrc_close(s);
    return rc;
}

/* Read the data descriptor after a deflated zip member, then check the CRC and size. */
static int zip_finish(struct evsrc *s, struct bilat_err *err)
{
    uint32_t crc = s->zip_crc;
    if (s->zip_flags & 8) {
        BILAT_TRY(raw_need(s, 16, err));
        const unsigned char *d = s->raw + s->raw_pos;
        size_t avail = s->raw_len - s->raw_pos;
        if (avail >= 4 && le32(d) == 0x08074b50)
            d += 4, avail -= 4;
        if (avail < 4)
            return parse_fail(s, err, "truncated zip data descriptor");
        crc = le32(d);
    }
    if (crc != s->inf->crc)
        return parse_fail(s, err, "CRC mismatch in the zip member (corrupt file)");
    return 0;
}

/* Inflate into buf; *n_out bytes. */
static int inflate_some(struct evsrc *s, char *buf, size_t cap, size_t *n_out,
                        struct bilat_err *err)
{
    struct inflate_state *st = s->inf;
    if (s->pending) {
        if (err)
            *err = s->pending_err;
        return s->pending;
    }
    if (cap > UINT32_MAX)
        cap = UINT32_MAX;
    size_t got = 0;
    while (got == 0 && !s->done) {
        if (s->raw_pos == s->raw_len)
            BILAT_TRY(raw_fill(s, err));
        size_t avail = s->raw_len - s->raw_pos;
        if (avail > UINT32_MAX)
            avail = UINT32_MAX;
        st->next_in = s->raw + s->raw_pos;
        st->avail_in = (uint32_t)avail;
        st->next_out = (uint8_t *)buf;
        st->avail_out = (uint32_t)cap;
        int r = isal_inflate(st);
        s->raw_pos += avail - st->avail_in;
        got = cap - st->avail_out;
        int bad = 0;
        if (r == ISAL_INCORRECT_CHECKSUM)
            bad = parse_fail(s, &s->pending_err,
                             s->kind == EVSRC_GZIP ? "CRC mismatch in the gzip data (corrupt file)"
                                                   : "CRC mismatch (corrupt file)");
        else if (r < 0)
            bad = parse_fail(s, &s->pending_err, s->kind == EVSRC_GZIP ? "corrupt gzip data"
                                                                       : "corrupt zip member data");
        else if (st->block_state == ISAL_BLOCK_FINISH && s->kind == EVSRC_ZIP)
            bad = zip_finish(s, &s->pending_err);
        if (bad < 0) {
            /* Deliver what was decoded before the damage; the error comes with the next read. */
            s->pending = bad;
            if (got)
                break;
            if (err)
                *err = s->pending_err;
            return bad;
        }
        if (st->block_state == ISAL_BLOCK_FINISH) {
            if (s->kind == EVSRC_ZIP) {
                s->done = true;
            } else {
                /* Another gzip member may follow (concatenated .gz files are one stream). */
                BILAT_TRY(raw_need(s, 2, err));
                size_t left = s->raw_len - s->raw_pos;
                if (left == 0) {
                    s->done = true;
                } else if (left >= 2 && s->raw[s->raw_pos] == 0x1f &&
                           s->raw[s->raw_pos + 1] == 0x8b) {
                    isal_inflate_reset(st);
                    st->crc_flag = ISAL_GZIP;
                } else {
                    /* Not another member: the data ends here, and what was decoded stands
                     * (as with `gzip -d`, which warns and keeps it). */
                    s->done = true;
                    s->trailing_seen = true;
                    s->trailing = s->regular && (uint64_t)s->st0.st_size >= s->raw_total
                                      ? (uint64_t)s->st0.st_size - s->raw_total + left
                                      : left;
                    snprintf(s->warning, sizeof(s->warning),
                             "%llu byte%s after the end of the gzip data ignored",
                             (unsigned long long)s->trailing, s->trailing == 1 ? "" : "s");
                }
            }
        } else if (got == 0 && st->avail_in == 0 && s->raw_eof && s->raw_pos == s->raw_len) {
            return parse_fail(s, err, s->kind == EVSRC_GZIP ? "truncated gzip data"
                                                            : "truncated zip member");
        }
    }
    s->out_total += got;
    *n_out = got;
    return 0;
}

int evsrc_read(struct evsrc *s, char *buf, size_t cap, size_t *n_out, struct bilat_err *err)
{
    *n_out = 0;
    if (s->done || cap == 0) {
        if (s->done)
            finish_digests(s);
        return 0;
    }
    if (s->kind == EVSRC_PLAIN || (s->kind == EVSRC_ZIP && s->zip_method == 0)) {
        size_t want = cap;
        if (s->kind == EVSRC_ZIP && want > s->zip_left)
            want = (size_t)s->zip_left;
        size_t n = 0;
        if (s->raw_pos < s->raw_len) {
            n = s->raw_len - s->raw_pos;
            if (n > want)
                n = want;
            memcpy(buf, s->raw + s->raw_pos, n);
            s->raw_pos += n;
        } else if (want > 0 && !s->raw_eof) {
            /* Large plain reads go straight into the caller's buffer. */
            for (;;) {
                ssize_t r = read(s->fd, buf, want);
                if (r < 0 && errno == EINTR)
                    continue;
                if (r < 0)
                    return io_fail(s, err, "read");
                if (r == 0)
                    s->raw_eof = true;
                else if (s->hashing)
                    evsha_update(&s->sha, buf, (size_t)r);
                s->raw_total += (uint64_t)r;
                n = (size_t)r;
                break;
            }
        }
        if (s->kind == EVSRC_ZIP) {
            s->zip_left -= n;
            if (n == 0 && s->zip_left > 0)
                return parse_fail(s, err, "truncated zip member");
            if (s->zip_left == 0 && n == 0)
                s->done = true;
            if (s->chashing && n)
                evsha_update(&s->csha, buf, n);
        } else if (n == 0) {
            s->done = true;
        }
        *n_out = n;
        s->out_total += n;
        if (s->done)
            finish_digests(s);
        return 0;
    }
    BILAT_TRY(inflate_some(s, buf, cap, n_out, err));
    if (s->chashing && *n_out)
        evsha_update(&s->csha, buf, *n_out);
    if (s->done && *n_out == 0)
        finish_digests(s);
    return 0;
}

enum evsrc_kind evsrc_kind(const struct evsrc *s)
{
    return s->kind;
}

uint64_t evsrc_raw_bytes(const struct evsrc *s)
{
    return s->raw_total;
}

const char *evsrc_sha256(const struct evsrc *s)
{
    return s->sha_hex;
}

const char *evsrc_content_sha256(const struct evsrc *s)
{
    return s->content_hex;
}

void evsrc_finish(struct evsrc *s)
{
    hash_finish(s);
}

const char *evsrc_warning(const struct evsrc *s)
{
    return s->warning[0] ? s->warning : NULL;
}

bool evsrc_changed(const struct evsrc *s, char *why, size_t cap)
{
    struct stat now;
    if (!s->regular)
        return false;
    if (fstat(s->fd, &now) != 0) {
        snprintf(why, cap, "it cannot be looked at again (%s)", strerror(errno));
        return true;
    }
    if (now.st_size != s->st0.st_size) {
        snprintf(why, cap, "its size went from %lld to %lld bytes", (long long)s->st0.st_size,
                 (long long)now.st_size);
        return true;
    }
    if (now.st_mtim.tv_sec != s->st0.st_mtim.tv_sec ||
        now.st_mtim.tv_nsec != s->st0.st_mtim.tv_nsec || now.st_ino != s->st0.st_ino) {
        snprintf(why, cap, "it was written to");
        return true;
    }
    if (s->raw_eof && s->raw_total != (uint64_t)s->st0.st_size) {
        snprintf(why, cap, "%llu of its %lld bytes could be read",
                 (unsigned long long)s->raw_total, (long long)s->st0.st_size);
        return true;
    }
    return false;
}

void evsrc_close(struct evsrc *s)
{
    if (!s)
        return;
    if (s->fd > 0)
        close(s->fd);
    evsha_release(&s->sha);
    evsha_release(&s->csha);
    bilat_free(s->inf);
    bilat_free(s->raw);
    bilat_free(s);
}

struct mapped_hash {
    const unsigned char *map;
    size_t size;
    struct evsha *sha;
};

static void hash_mapping(void *ctx)
{
    struct mapped_hash *h = ctx;
    enum { SLICE = 4 << 20 };
    for (size_t pos = 0; pos < h->size; pos += SLICE) {
        size_t n = h->size - pos < SLICE ? h->size - pos : SLICE;
        evsha_update(h->sha, h->map + pos, n);
        madvise((void *)(uintptr_t)(h->map + pos), n, MADV_DONTNEED);
    }
}

/* Hash a regular file from a mapping, 4 MiB at a time, dropping each stretch from the process
 * once hashed (it stays in the page cache): no copy, and resident memory stays small. 1 when
 * the file cannot be mapped (the caller reads it instead); BILAT_EIO when it shrank while
 * hashed (mapguard.h). */
static int sha256_mapped(int fd, char hex_out[65], uint64_t *size_out)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return 1;
    size_t size = (size_t)st.st_size;
    const unsigned char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED)
        return 1;
    madvise((void *)(uintptr_t)map, size, MADV_SEQUENTIAL);
    struct evsha sha;
    if (evsha_init(&sha) < 0) {
        munmap((void *)(uintptr_t)map, size);
        return BILAT_ENOMEM;
    }
    struct mapped_hash h = {map, size, &sha};
    int grc = mapguard_run(hash_mapping, &h);
    munmap((void *)(uintptr_t)map, size);
    if (grc < 0) {
        evsha_release(&sha);
        return grc;
    }
    evsha_final_hex(&sha, hex_out);
    if (size_out)
        *size_out = size;
    return 0;
}

int evsrc_file_sha256(const char *path, char hex_out[65], uint64_t *size_out,
                      struct bilat_err *err)
{
    hex_out[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bilat_fail_at(err, errno == ENOENT ? BILAT_ENOTFOUND : BILAT_EIO, path, 0,
                             "cannot open '%s': %s", path, strerror(errno));
    int mrc = sha256_mapped(fd, hex_out, size_out);
    if (mrc <= 0) {
        close(fd);
        if (mrc == BILAT_EIO)
            return bilat_fail_at(err, BILAT_EIO, path, 0,
                                 "'%s' changed while it was being read (it shrank)", path);
        return mrc < 0 ? bilat_fail(err, mrc, "out of memory") : 0;
    }
    unsigned char *buf = bilat_malloc(RAW_CAP);
    if (!buf) {
        close(fd);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    struct evsha sha;
    if (evsha_init(&sha) < 0) {
        close(fd);
        bilat_free(buf);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    uint64_t total = 0;
    int rc = 0;
    for (;;) {
        ssize_t r = read(fd, buf, RAW_CAP);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot read '%s': %s", path,
                               strerror(errno));
            break;
        }
        if (r == 0)
            break;
        evsha_update(&sha, buf, (size_t)r);
        total += (uint64_t)r;
    }
    close(fd);
    bilat_free(buf);
    if (rc == 0) {
        evsha_final_hex(&sha, hex_out);
        if (size_out)
            *size_out = total;
    }
    evsha_release(&sha);
    return rc;
}
