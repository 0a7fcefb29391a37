/*
 * evsha.h: the SHA-256 of an event file while it is read (idempotent ingest: a file is known
 * by its digest, the standard one of the whole file, as sha256sum prints it).
 *
 * OpenSSL's libcrypto does the hashing: on CPUs with SHA instructions it runs about 10% faster
 * than Nettle's (1.79 against 1.62 GB/s on the benchmark machine, bench/RESULTS.md), and the
 * hash is what an ingest of a plain file waits for. Not thread-safe per object; one per thread.
 */
#ifndef BILAT_INGEST_EVSHA_H
#define BILAT_INGEST_EVSHA_H

#include <stddef.h>

struct evsha {
    void *ctx; /* EVP_MD_CTX, NULL until evsha_init() */
};

/* Start a digest. BILAT_ENOMEM. */
int evsha_init(struct evsha *h);
/* Add n bytes. */
void evsha_update(struct evsha *h, const void *p, size_t n);
/* Add n bytes of a mapped file, under mapguard_run() (core/mapguard.h): 0, or BILAT_EIO when
 * a page vanished (the file shrank under the mapping). */
int evsha_update_mapped(struct evsha *h, const void *p, size_t n);
/* The digest as 64 lowercase hex digits (and a NUL); the object is released. */
void evsha_final_hex(struct evsha *h, char hex[65]);
/* Release without a digest; a zeroed or released object does nothing. */
void evsha_release(struct evsha *h);

#endif
