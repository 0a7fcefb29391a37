/*
 * file.h: whole-file reads with a size limit, and atomic whole-file writes.
 */
#ifndef BILAT_CORE_FILE_H
#define BILAT_CORE_FILE_H

#include "core/buf.h"

/*
 * Append the contents of `path` to `out`. Files larger than `limit` bytes are refused with
 * BILAT_ELIMIT (a user pointing bilat at the wrong file should get an error, not a stall).
 * Errors: BILAT_ENOTFOUND, BILAT_EIO (with strerror text), BILAT_ELIMIT, BILAT_ENOMEM.
 */
int bilat_file_read(const char *path, size_t limit, struct bilat_buf *out, struct bilat_err *err);

/*
 * Write `len` bytes to `path` through a temporary file in the same directory, fsync'd and
 * renamed over `path`: readers see the old file or the whole new one, never a part.
 * Errors: BILAT_EIO (cannot create, disk full, ...).
 */
int bilat_file_write_atomic(const char *path, const void *data, size_t len,
                            struct bilat_err *err);

/* True when `path` names an existing directory. */
int bilat_file_is_dir(const char *path);
/* True when `path` exists (any type). */
int bilat_file_exists(const char *path);

/* The part of `path` after its last '/' (borrowed: points into `path`). */
const char *bilat_file_base(const char *path);

#endif
