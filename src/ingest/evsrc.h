/*
 * evsrc.h: an event file opened for streaming reads, plain or compressed.
 *
 * The compression is told by the first bytes, never by the name: gzip (1f 8b, one or more
 * members, each CRC-checked), zip (PK\3\4: the first member is read, stored or deflated, its
 * CRC-32 checked; GDELT's .zip files hold exactly one), anything else is plain text. "-" reads
 * standard input. Decompression streams through ISA-L's inflate into the caller's buffer, so
 * that memory stays bounded whatever the file size.
 *
 * When asked, the SHA-256 of the raw file bytes (as stored on disk, before decompression) is
 * computed on the way; it is final once evsrc_read() has returned 0 (end of data).
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

struct evsrc;

/*
 * Open `path` (borrowed; must outlive the source). `want_sha256` turns hashing on. Caller frees
 * with evsrc_close(). Errors: BILAT_ENOTFOUND, BILAT_EIO, BILAT_ENOMEM, BILAT_EPARSE (a zip
 * member compressed with a method other than stored or deflate).
 */
int evsrc_open(const char *path, bool want_sha256, struct evsrc **src_out, struct bilat_err *err);

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

/* Close; NULL does nothing. */
void evsrc_close(struct evsrc *s);

/* SHA-256 of a whole file as lowercase hex (65 bytes with the NUL). */
int evsrc_file_sha256(const char *path, char hex_out[65], uint64_t *size_out,
                      struct bilat_err *err);

#endif
