/*
 * fetch.c: downloads with libcurl's multi interface (fetch.h).
 *
 * One loop drives every transfer: it starts jobs while fewer than `parallel` run (retries
 * first, once their wait is over, then the next fresh job), lets libcurl move the bytes, and
 * handles each finished transfer: a success, a retry later, or a failure for this run. The
 * done() callback runs in the loop, so that the caller can check and ingest a file while the
 * other transfers wait in their socket buffers: ingesting one 15-minute GDELT file takes
 * milliseconds, and one thread keeps the store's handle to itself.
 *
 * Resuming: the part file of a job is opened without truncation; its size is where a Range
 * request starts. The response is checked before the first byte is written: 206 must start at
 * that offset (Content-Range), anything else is a whole file and the part file starts again.
 * Bytes are written with pwrite() at their offset, so that no seek state can drift. The
 * expected size is checked against what the server announces (Content-Length, or the total of
 * Content-Range) and against what it sends, so a wrong file is stopped early instead of
 * filling the disk.
 *
 * libcurl options worth a reason: FAILONERROR (an HTTP error is an error, its body is not
 * data), no Accept-Encoding (the bytes must be the file's, for its MD5), a stall timeout (no
 * byte for `timeout` seconds, checked in the progress callback) instead of a total timeout (a
 * large file on a slow line is fine, a stalled one is not), redirects to http(s) only,
 * NOSIGNAL (timeouts without SIGALRM).
 */
#include "net/fetch.h"

#include "core/alloc.h"
#include "core/err.h"
#include "net/curl_dl.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { ABORT_NONE = 0, ABORT_REJECT, ABORT_RANGE, ABORT_IO, ABORT_STALL };

/* One running transfer. */
struct xfer {
    CURL *h; /* NULL when the slot is free */
    struct fetch_job *job;
    int fd;           /* the part file */
    uint64_t offset;  /* bytes of the part file kept when the transfer started */
    uint64_t written; /* bytes written by this transfer */
    int ranged;       /* asked for bytes from `offset` on */
    int started;      /* the response was checked at its first body bytes */
    long status;      /* status of the last response seen (redirects come first) */
    int64_t length;   /* its Content-Length, -1 when none */
    int64_t cr_start; /* its Content-Range start and total, -1 when none */
    int64_t cr_total;
    int abort;        /* why on_body() stopped the transfer (ABORT_*) */
    double last_data; /* when the last bytes (or the start) came */
    long timeout;     /* seconds without data before giving up */
    char why[200];    /* the reason of that abort */
    char errbuf[CURL_ERROR_SIZE];
};

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int fetch_is_url(const char *s)
{
    const char *p = s;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
        return 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
           *p == '+' || *p == '.' || *p == '-')
        p++;
    return strncmp(p, "://", 3) == 0;
}

int fetch_resolve_url(const char *base, const char *ref, char **out, struct bilat_err *err)
{
    *out = NULL;
    BILAT_TRY(curl_dl_load(err));
    CURLU *u = curl_fn.url();
    if (!u)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    char *s = NULL;
    int rc = 0;
    if (curl_fn.url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_fn.url_set(u, CURLUPART_URL, ref, 0) != CURLUE_OK ||
        curl_fn.url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
        rc = bilat_fail(err, BILAT_EINVAL, "'%s' is not a URL (relative to '%s')", ref, base);
    else if (!(*out = bilat_strdup(s)))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    curl_fn.free(s);
    curl_fn.url_cleanup(u);
    return rc;
}

/* "Name: value" header line (not NUL-terminated) whose name is `name` (with its colon): the
 * value, copied into out; NULL when it is another header. */
static const char *header_value(const char *p, size_t len, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    if (len < nl || strncasecmp(p, name, nl) != 0)
        return NULL;
    p += nl, len -= nl;
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
        len--;
    if (len >= cap)
        len = cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

static int64_t parse_count(const char *s, const char **end)
{
    if (*s < '0' || *s > '9')
        return -1;
    char *e = NULL;
    errno = 0;
    long long v = strtoll(s, &e, 10);
    if (errno || v < 0)
        return -1;
    if (end)
        *end = e;
    return v;
}

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    struct xfer *x = ctx;
    size_t len = size * n;
    x->last_data = now_s();
    char v[128];
    if (len > 5 && memcmp(p, "HTTP/", 5) == 0) {
        /* a new response (after a redirect or a 100 Continue): forget the last one's */
        const char *sp = memchr(p, ' ', len);
        x->status = 0;
        for (const char *q = sp ? sp + 1 : p + len; q < p + len && *q >= '0' && *q <= '9'; q++)
            x->status = x->status * 10 + (*q - '0');
        x->length = x->cr_start = x->cr_total = -1;
    } else if (header_value(p, len, "content-length:", v, sizeof(v))) {
        x->length = parse_count(v, NULL);
    } else if (header_value(p, len, "content-range:", v, sizeof(v))) {
        /* "bytes 100-199/200" (a 416 has "bytes *\/200") */
        const char *s = strncasecmp(v, "bytes ", 6) == 0 ? v + 6 : v, *e = NULL;
        int64_t a = parse_count(s, &e);
        x->cr_start = a >= 0 && *e == '-' ? a : -1;
        const char *slash = strchr(s, '/');
        x->cr_total = slash ? parse_count(slash + 1, NULL) : -1;
    }
    return len;
}

/* Stop the transfer from on_body() with the reason already in x->why. */
static size_t stop(struct xfer *x, int why)
{
    x->abort = why;
    return 0; /* fewer bytes than given: libcurl ends the transfer with CURLE_WRITE_ERROR */
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    struct xfer *x = ctx;
    const struct fetch_job *j = x->job;
    size_t len = size * n;
    x->last_data = now_s();
    if (!x->started) {
        x->started = 1;
        int64_t total = -1;
        if (x->ranged && x->status == 206) {
            if (x->cr_start != (int64_t)x->offset) {
                snprintf(x->why, sizeof(x->why), "the server resumed at byte %lld, not at %llu",
                         (long long)x->cr_start, (unsigned long long)x->offset);
                return stop(x, ABORT_RANGE);
            }
            total = x->cr_total;
        } else {
            /* the whole file (200 to a range request, or file://): write it from the start */
            if (x->offset && ftruncate(x->fd, 0) < 0) {
                snprintf(x->why, sizeof(x->why), "cannot truncate '%s': %s", j->part,
                         strerror(errno));
                return stop(x, ABORT_IO);
            }
            x->offset = 0;
            x->ranged = 0;
            total = x->length;
        }
        if (j->size >= 0 && total >= 0 && total != j->size) {
            snprintf(x->why, sizeof(x->why),
                     "size differs: the list says %lld bytes, the server has %lld",
                     (long long)j->size, (long long)total);
            return stop(x, ABORT_REJECT);
        }
    }
    if (j->size >= 0 && x->offset + x->written + len > (uint64_t)j->size) {
        snprintf(x->why, sizeof(x->why),
                 "size differs: the list says %lld bytes, the server sent more (%llu at least)",
                 (long long)j->size, (unsigned long long)(x->offset + x->written + len));
        return stop(x, ABORT_REJECT);
    }
    for (size_t off = 0; off < len;) {
        ssize_t w = pwrite(x->fd, p + off, len - off, (off_t)(x->offset + x->written + off));
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            snprintf(x->why, sizeof(x->why), "cannot write '%s': %s", j->part,
                     w < 0 ? strerror(errno) : "no progress");
            return stop(x, ABORT_IO);
        }
        off += (size_t)w;
    }
    x->written += len;
    return len;
}

/* Give up a transfer that got no byte for x->timeout seconds. libcurl's own low-speed limit
 * averages the speed over its last five seconds, which makes a stall take that much longer to
 * be seen. */
static int on_xferinfo(void *ctx, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct xfer *x = ctx;
    (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    if (now_s() - x->last_data < (double)x->timeout)
        return 0;
    x->abort = ABORT_STALL;
    snprintf(x->why, sizeof(x->why), "no data for %ld seconds", x->timeout);
    return 1; /* libcurl ends the transfer with CURLE_ABORTED_BY_CALLBACK */
}

/*
 * Start a transfer for `j` in slot `x`. 1: nothing to transfer (the part file is complete:
 * the job is FETCH_OK) or the part file cannot be opened (FETCH_FAILED); 0: started; <0 on
 * BILAT_ENOMEM.
 */
static int start(CURLM *m, struct xfer *x, struct fetch_job *j, const struct fetch_opts *o)
{
    memset(x, 0, sizeof(*x));
    x->fd = -1;
    x->job = j;
    x->length = x->cr_start = x->cr_total = -1;
    x->timeout = o->timeout;
    x->last_data = now_s();
    j->attempts++;
    j->reason[0] = '\0';
    int fd = open(j->part, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(j->reason, sizeof(j->reason), "cannot write '%s': %s", j->part, strerror(errno));
        if (fd >= 0)
            close(fd);
        j->state = FETCH_FAILED;
        return 1;
    }
    uint64_t have = (uint64_t)st.st_size;
    int http = strncasecmp(j->url, "http", 4) == 0;
    if (j->resume && http && have && (j->size < 0 || have <= (uint64_t)j->size)) {
        x->offset = have;
    } else if (have && ftruncate(fd, 0) < 0) {
        snprintf(j->reason, sizeof(j->reason), "cannot truncate '%s': %s", j->part,
                 strerror(errno));
        close(fd);
        j->state = FETCH_FAILED;
        return 1;
    }
    if (j->size >= 0 && x->offset == (uint64_t)j->size && x->offset > 0) {
        /* a part file left complete (killed before it was checked): the caller checks it */
        close(fd);
        j->bytes = x->offset;
        j->state = FETCH_OK;
        return 1;
    }
    x->fd = fd;
    CURL *h = curl_fn.easy_init();
    if (!h) {
        close(fd);
        x->fd = -1;
        return BILAT_ENOMEM;
    }
    char range[32];
    if (x->offset) {
        snprintf(range, sizeof(range), "%llu-", (unsigned long long)x->offset);
        curl_fn.easy_setopt(h, CURLOPT_RANGE, range); /* libcurl copies the string */
        x->ranged = 1;
    }
    curl_fn.easy_setopt(h, CURLOPT_URL, j->url);
    curl_fn.easy_setopt(h, CURLOPT_PRIVATE, x);
    curl_fn.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_fn.easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_fn.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_fn.easy_setopt(h, CURLOPT_HEADERDATA, x);
    curl_fn.easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_fn.easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    curl_fn.easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_fn.easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_fn.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_fn.easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_fn.easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->timeout);
    curl_fn.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
    curl_fn.easy_setopt(h, CURLOPT_XFERINFODATA, x);
    curl_fn.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_fn.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_fn.easy_setopt(h, CURLOPT_USERAGENT, "bilat/" BILAT_VERSION);
    if (curl_fn.multi_add_handle(m, h) != CURLM_OK) {
        curl_fn.easy_cleanup(h);
        close(fd);
        x->fd = -1;
        return BILAT_ENOMEM;
    }
    x->h = h;
    return 0;
}

static int retryable_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return 1;
    default:
        return 0;
    }
}

/* Truncate a part file (a resume that went wrong): the next attempt starts from byte 0. */
static void restart_part(struct xfer *x)
{
    if (ftruncate(x->fd, 0) == 0)
        x->offset = x->written = 0;
}

/*
 * The outcome of a finished transfer: 1 when it should be retried, 0 when the job has its
 * state (OK, FAILED or REJECTED). Closes the part file and frees the handle.
 */
static int settle(CURLM *m, struct xfer *x, CURLcode rc)
{
    struct fetch_job *j = x->job;
    long code = 0;
    curl_fn.easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    j->http_code = code;
    int retry = 0;
    if (rc == CURLE_OK) {
        if (x->ranged && !x->started && code != 206)
            restart_part(x); /* a whole, empty answer to a range request */
        uint64_t got = x->offset + x->written;
        if (j->size >= 0 && got != (uint64_t)j->size) {
            snprintf(j->reason, sizeof(j->reason), "cut short: %llu of %lld bytes",
                     (unsigned long long)got, (long long)j->size);
            retry = 1;
        } else {
            j->state = FETCH_OK;
        }
    } else if (rc == CURLE_WRITE_ERROR && x->abort) {
        snprintf(j->reason, sizeof(j->reason), "%s", x->why);
        if (x->abort == ABORT_REJECT) {
            restart_part(x);
            j->state = FETCH_REJECTED;
        } else if (x->abort == ABORT_RANGE) {
            restart_part(x);
            retry = 1;
        } else {
            j->state = FETCH_FAILED;
        }
    } else if (rc == CURLE_ABORTED_BY_CALLBACK && x->abort == ABORT_STALL) {
        snprintf(j->reason, sizeof(j->reason), "%s", x->why);
        retry = 1;
    } else if (rc == CURLE_HTTP_RETURNED_ERROR) {
        snprintf(j->reason, sizeof(j->reason), "HTTP %ld", code);
        if (code == 416) {
            /* the part file is longer than the server's file: start again */
            restart_part(x);
            retry = 1;
        } else {
            retry = code == 408 || code == 429 || code >= 500;
        }
    } else {
        snprintf(j->reason, sizeof(j->reason), "%s",
                 x->errbuf[0] ? x->errbuf : curl_fn.easy_strerror(rc));
        retry = retryable_curl(rc);
    }
    j->bytes = x->offset + x->written;
    if (!retry && j->state == FETCH_WAITING)
        j->state = FETCH_FAILED;
    curl_fn.multi_remove_handle(m, x->h);
    curl_fn.easy_cleanup(x->h);
    x->h = NULL;
    close(x->fd);
    x->fd = -1;
    if (j->state == FETCH_REJECTED)
        unlink(j->part);
    return retry;
}

int fetch_global_init(struct bilat_err *err)
{
    BILAT_TRY(curl_dl_load(err));
    if (curl_fn.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return bilat_fail(err, BILAT_EIO, "cannot initialise libcurl");
    return 0;
}

void fetch_global_cleanup(void)
{
    curl_fn.global_cleanup();
}

void fetch_job_release(struct fetch_job *j)
{
    bilat_free(j->part);
    j->part = NULL;
}

int fetch_run(struct fetch_job *jobs, size_t n, const struct fetch_opts *o, struct bilat_err *err)
{
    int parallel = o->parallel > 0 ? o->parallel : 1;
    for (size_t i = 0; i < n; i++) {
        if (!jobs[i].part) {
            size_t len = strlen(jobs[i].dest);
            jobs[i].part = bilat_malloc(len + 6);
            if (!jobs[i].part)
                return bilat_fail(err, BILAT_ENOMEM, "out of memory");
            memcpy(jobs[i].part, jobs[i].dest, len);
            memcpy(jobs[i].part + len, ".part", 6);
        }
        jobs[i].state = FETCH_WAITING;
        jobs[i].attempts = 0;
    }
    if (n == 0)
        return 0;
    BILAT_TRY(fetch_global_init(err));
    CURLM *m = curl_fn.multi_init();
    struct xfer *xs = bilat_calloc((size_t)parallel, sizeof(*xs));
    size_t *retry_ix = bilat_alloc_array(n, sizeof(*retry_ix)); /* jobs waiting to retry */
    double *retry_at = bilat_alloc_array(n, sizeof(*retry_at)); /* when they may start */
    int rc = 0;
    if (!m || !xs || !retry_ix || !retry_at) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    size_t next = 0, nretry = 0, left = n;
    uint64_t finished_bytes = 0, received = 0;
    double last_tick = 0;
    while (left > 0 && rc == 0) {
        /* fill the free slots: retries whose wait is over first, then fresh jobs */
        for (int s = 0; s < parallel && rc == 0; s++) {
            if (xs[s].h)
                continue;
            double now = now_s();
            struct fetch_job *j = NULL;
            for (size_t r = 0; r < nretry; r++)
                if (retry_at[r] <= now) {
                    j = &jobs[retry_ix[r]];
                    retry_ix[r] = retry_ix[nretry - 1];
                    retry_at[r] = retry_at[nretry - 1];
                    nretry--;
                    break;
                }
            if (!j && next < n)
                j = &jobs[next++];
            if (!j)
                break;
            int st = start(m, &xs[s], j, o);
            if (st < 0) {
                rc = bilat_fail(err, st, "out of memory");
            } else if (st == 1) {
                /* settled without a transfer: complete part file, or cannot write one */
                finished_bytes += j->size >= 0 ? (uint64_t)j->size : j->bytes;
                left--;
                if (o->done)
                    rc = o->done(o->ctx, j, err);
                s--; /* the slot is still free */
            }
        }
        if (rc < 0)
            break;
        int running = 0;
        curl_fn.multi_perform(m, &running);
        CURLMsg *msg;
        int q;
        while (rc == 0 && (msg = curl_fn.multi_info_read(m, &q))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            char *priv = NULL;
            curl_fn.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            struct xfer *x = (struct xfer *)(void *)priv;
            struct fetch_job *j = x->job;
            received += x->written;
            if (settle(m, x, msg->data.result)) {
                if (j->attempts <= o->retries) {
                    double wait = o->retry_wait;
                    for (int a = 1; a < j->attempts && wait < 60; a++)
                        wait *= 2;
                    retry_ix[nretry] = (size_t)(j - jobs);
                    retry_at[nretry++] = now_s() + (wait < 60 ? wait : 60);
                    continue;
                }
                j->state = FETCH_FAILED;
            }
            if (j->state == FETCH_FAILED && j->attempts > 1) {
                size_t l = strlen(j->reason);
                snprintf(j->reason + l, sizeof(j->reason) - l, " (%d attempts)", j->attempts);
            }
            if (j->state == FETCH_FAILED && j->bytes == 0)
                unlink(j->part); /* nothing worth resuming */
            finished_bytes += j->size >= 0 ? (uint64_t)j->size : j->bytes;
            left--;
            if (o->done)
                rc = o->done(o->ctx, j, err);
        }
        if (rc < 0 || left == 0)
            break;
        int active = 0;
        uint64_t inflight = 0, inflight_new = 0;
        for (int s = 0; s < parallel; s++)
            if (xs[s].h) {
                active++;
                inflight += xs[s].offset + xs[s].written;
                inflight_new += xs[s].written;
            }
        double now = now_s();
        if (o->tick && now - last_tick >= 0.2) {
            last_tick = now;
            o->tick(o->ctx, finished_bytes + inflight, received + inflight_new);
        }
        int wait_ms = 200;
        if (!active && nretry) {
            double first = retry_at[0];
            for (size_t r = 1; r < nretry; r++)
                if (retry_at[r] < first)
                    first = retry_at[r];
            double ms = (first - now) * 1000;
            wait_ms = ms < 1 ? 1 : ms > 200 ? 200 : (int)ms;
        }
        curl_fn.multi_poll(m, NULL, 0, wait_ms, NULL);
    }
    if (rc == 0 && o->tick)
        o->tick(o->ctx, finished_bytes, received);
out:
    for (int s = 0; xs && s < parallel; s++)
        if (xs[s].h) {
            curl_fn.multi_remove_handle(m, xs[s].h);
            curl_fn.easy_cleanup(xs[s].h);
            close(xs[s].fd);
        }
    bilat_free(xs);
    bilat_free(retry_ix);
    bilat_free(retry_at);
    if (m)
        curl_fn.multi_cleanup(m);
    curl_fn.global_cleanup();
    return rc;
}

int fetch_md5_file(const char *path, char hex[33], uint64_t *size_out, struct bilat_err *err)
{
    hex[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return bilat_fail_at(err, errno == ENOENT ? BILAT_ENOTFOUND : BILAT_EIO, path, 0,
                             "cannot open '%s': %s", path, strerror(errno));
    enum { CHUNK = 1 << 20 };
    unsigned char *buf = bilat_malloc(CHUNK);
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    int rc = 0;
    if (!buf || !c || EVP_DigestInit_ex(c, EVP_md5(), NULL) != 1) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    uint64_t size = 0;
    for (;;) {
        ssize_t r = read(fd, buf, CHUNK);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = bilat_fail_at(err, BILAT_EIO, path, 0, "cannot read '%s': %s", path,
                               strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        EVP_DigestUpdate(c, buf, (size_t)r);
        size += (uint64_t)r;
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int dn = 0;
    if (EVP_DigestFinal_ex(c, d, &dn) != 1 || dn != 16) {
        rc = bilat_fail(err, BILAT_EIO, "cannot compute an MD5 digest");
        goto out;
    }
    for (unsigned i = 0; i < dn; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    if (size_out)
        *size_out = size;
out:
    EVP_MD_CTX_free(c);
    bilat_free(buf);
    close(fd);
    return rc;
}
