/*
 * evsrc.h: an event file opened for streaming reads, plain or compressed.
 *
 * The compression is told by the first bytes, never by the name: gzip (1f 8b, one or more
 * members, each CRC-checked), zip (PK\3\4: the first member is read, stored or deflated, its
 * CRC-32 checked; GDELT's .zip files hold exactly one), anything else is plain text. "-" reads
 * standard input. Decompression streams through ISA-L's inflate into the caller's buffer, so
 * that memory stays bounded whatever the file size.
 *
 * When asked, two SHA-256 digests are computed on the way: that of the raw file bytes (as
 * stored on disk, before decompression: the one `sha256sum` prints) and that of the content
 * (the decompressed bytes; for a plain file the two are one). The content digest identifies the
 * data whatever its container or name; it is final once evsrc_read() has returned 0 bytes, and
 * "" when the data could not be read to its end. evsrc_finish() completes the raw digest even
 * after the data turned out damaged.
 *
 * Data after the end of a gzip stream that is not another gzip member (zeros appended by a
 * download tool, say) ends the data: what was decoded before it is delivered, and
 * evsrc_warning() says how many bytes were ignored, as `gzip -d` does.
 *
 * evsrc_changed() tells a regular file that changed while it was read (its size or modification
 * time differs from what they were at open, or fewer or more bytes were read than it had): the
 * data read is then not the file's.
 *
 * Not thread-safe: one reader per source.
 */
#ifndef BILAT_INGEST_EVSRC_H
#define BILAT_INGEST_EVSRC_H

#include "bilat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum evsrc_kind { EVSRC_PLAIN = 0, EVSRC_GZIP = 1, EVSRC_ZIP = 2 };

/* Digests to compute while reading (evsrc_open()'s `hash`). */
enum { EVSRC_SHA_RAW = 1, EVSRC_SHA_CONTENT = 2 };

struct evsrc;

/*
 * Open `path` (borrowed; must outlive the source). `hash` (EVSRC_SHA_*) turns hashing on: the
 * raw digest, and the content digest of a compressed file (of a plain one, the content digest is
 * the raw one). The scanner hashes the content of compressed files on its worker threads
 * instead (events.c), which the reading thread, busy inflating, has no time for. Caller frees
 * with evsrc_close(). Errors: BILAT_ENOTFOUND, BILAT_EIO, BILAT_ENOMEM, BILAT_EPARSE (a zip
 * member compressed with a method other than stored or deflate).
 */
int evsrc_open(const char *path, unsigned hash, struct evsrc **src_out, struct bilat_err *err);

/*
 * Read up to `cap` bytes of (decompressed) data into `buf`; *n_out = 0 at the end. Errors:
 * BILAT_EIO (read error), BILAT_EPARSE (corrupt or truncated compressed data, CRC mismatch),
 * each with the path in `err`.
 */
int evsrc_read(struct evsrc *s, char *buf, size_t cap, size_t *n_out, struct bilat_err *err);

/* How the file is compressed (known after open). */
enum evsrc_kind evsrc_kind(const struct evsrc *s);

/* Raw bytes read from the file so far (the file size once the end is reached). */
uint64_t evsrc_raw_bytes(const struct evsrc *s);

/* The lowercase hex SHA-256 of the raw bytes, once the end was reached; "" otherwise. */
const char *evsrc_sha256(const struct evsrc *s);

/* The lowercase hex SHA-256 of the content, once all data was delivered; "" otherwise. */
const char *evsrc_content_sha256(const struct evsrc *s);

/* Read the raw bytes not read yet (after damaged compressed data) so that evsrc_sha256() is the
 * whole file's; nothing when not hashing or at the end already. An I/O error leaves it "". */
void evsrc_finish(struct evsrc *s);

/* A warning about the data (bytes ignored after the gzip stream), or NULL. */
const char *evsrc_warning(const struct evsrc *s);

/* Whether the file changed while it was read (see above); `why` (at least 160 bytes) gets the
 * reason. A pipe or standard input never counts as changed. Call once the end was reached. */
bool evsrc_changed(const struct evsrc *s, char *why, size_t cap);

/* Close; NULL does nothing. */
void evsrc_close(struct evsrc *s);

/* SHA-256 of a whole file as lowercase hex (65 bytes with the NUL). BILAT_EIO also when the
 * file shrank while it was read. */
int evsrc_file_sha256(const char *path, char hex_out[65], uint64_t *size_out,
                      struct bilat_err *err);

#endif
