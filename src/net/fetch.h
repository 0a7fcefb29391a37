/*
 * fetch.h: downloading files over HTTP(S) with libcurl, the way `bilat update` needs it: a few
 * transfers at a time, timeouts, retries with backoff, resuming a partial download, proxies
 * from the environment (libcurl reads http_proxy, https_proxy, all_proxy and no_proxy), and a
 * check of the size as the bytes arrive.
 *
 * A job names a URL and a destination path. Data goes to "<dest>.part", never to `dest`: the
 * caller checks the part file and renames it (fetch_md5_file() computes the digest to check).
 * A part file left by an earlier run (a killed process) is resumed with a Range request when
 * `resume` is set; a server that answers the range with the whole file (200) gets the part
 * file rewritten from its start, so servers without range support work too.
 *
 * Outcomes: FETCH_OK (the part file holds the whole transfer), FETCH_FAILED (HTTP error,
 * network error or timeout after the retries; `reason` says which, the part file is kept for a
 * later resume when it holds any byte), FETCH_REJECTED (the server's size differs from the expected
 * one, or it sent more; the part file is removed). Retried: timeouts, connection errors, transfers
 * cut short, HTTP 408, 429 and 5xx; not retried: other HTTP errors (404) and rejections.
 *
 * Not thread-safe: one fetch_run() at a time per process (it initialises libcurl).
 */
#ifndef BILAT_NET_FETCH_H
#define BILAT_NET_FETCH_H

#include "bilat.h"

#include <stdint.h>

enum fetch_state { FETCH_WAITING = 0, FETCH_OK = 1, FETCH_FAILED = 2, FETCH_REJECTED = 3 };

struct fetch_job {
    const char *url;  /* borrowed */
    const char *dest; /* borrowed: the final path; data goes to part */
    char *part;       /* dest + ".part" (set by fetch_run(), freed by fetch_job_release()) */
    int64_t size;     /* expected size in bytes, or -1 when unknown */
    int resume;       /* continue a part file left by an earlier run */
    void *user;       /* the caller's */
    /* results */
    enum fetch_state state;
    int attempts;     /* transfers started for this job in this run */
    long http_code;   /* last HTTP status, 0 when none (file://, no answer) */
    uint64_t bytes;   /* bytes in the part file */
    char reason[256]; /* why the job failed or was rejected */
};

struct fetch_opts {
    int parallel;      /* transfers at a time (>= 1) */
    int retries;       /* attempts after the first, per job (>= 0) */
    double retry_wait; /* seconds before the first retry; doubles each time, at most 60 */
    long timeout;      /* seconds: to connect, and without a byte before a transfer is given up */
    /* Called in the loop when a job is finished for this run (state OK, FAILED or REJECTED);
     * a negative return stops fetch_run(), which returns it (detail in its err argument). */
    int (*done)(void *ctx, struct fetch_job *j, struct bilat_err *err);
    /* Called about five times a second while transfers run, and once at the end (may be
     * NULL): `done` counts the jobs finished (their expected sizes) and the bytes in the part
     * files of running ones, `received` the bytes received in this run. */
    void (*tick)(void *ctx, uint64_t done, uint64_t received);
    void *ctx;
};

/*
 * Run the jobs, at most o->parallel at a time, in order (retries come back when their wait is
 * over). Returns 0 when every job got its outcome (look at each job's state), a negative code
 * when a done() callback failed or libcurl could not be set up (BILAT_ENOMEM, BILAT_EIO).
 */
int fetch_run(struct fetch_job *jobs, size_t n, const struct fetch_opts *o, struct bilat_err *err);

/* Set up libcurl for a series of fetch_run() calls, and release it after them (fetch_run()
 * does it too; done around a series, it is done once). libcurl is loaded on the first call
 * (net/curl_dl.h). 0 or BILAT_EIO (libcurl missing, or failing to start). Only after a
 * successful fetch_global_init() may fetch_global_cleanup() be called. */
int fetch_global_init(struct bilat_err *err);
void fetch_global_cleanup(void);

/* Free what fetch_run() allocated in a job. */
void fetch_job_release(struct fetch_job *j);

/*
 * The MD5 of a file (OpenSSL EVP), as 32 lowercase hex digits, and its size.
 * Errors: BILAT_ENOTFOUND, BILAT_EIO, BILAT_ENOMEM.
 */
int fetch_md5_file(const char *path, char hex[33], uint64_t *size_out, struct bilat_err *err);

/* Whether `s` is a URL with a scheme ("http://...", "file:///..."). */
int fetch_is_url(const char *s);

/*
 * `ref` (a URL or a reference relative to `base`, as in a web page) made absolute against the
 * URL `base` (libcurl's URL parser); caller frees *out with bilat_free().
 * Errors: BILAT_EINVAL (not a URL), BILAT_ENOMEM.
 */
int fetch_resolve_url(const char *base, const char *ref, char **out, struct bilat_err *err);

#endif
