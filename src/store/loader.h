/*
 * loader.h: what the file importers of the store share (unvotes_load.c, undl_load.c,
 * evidence_load.c): the checks before a run, and the file being read, whose bad rows are
 * counted and reported as path:line: reason, the first LOADER_MAX_REPORTED of each file in
 * full and the rest as one line once the file is done.
 */
#ifndef BILAT_STORE_LOADER_H
#define BILAT_STORE_LOADER_H

#include "bilat.h"
#include "core/err.h"

#include <stdbool.h>
#include <stdint.h>

enum { LOADER_MAX_REPORTED = 100 }; /* bad rows reported in full per file; the rest are counted */

struct loader_file {
    const struct bilat_diag *diag; /* where messages go (borrowed, may be NULL) */
    uint64_t *rejected;            /* the run's count of bad rows (borrowed) */
    uint64_t *rows;                /* the run's count of rows, bad ones too (NULL: not kept) */
    const char *path;              /* the file being read, as given (borrowed) */
    const char *base;              /* its base name, for locators */
    uint64_t file_rejected;        /* bad rows of this file */
    char locator[320];             /* scratch of loader_locate() */
};

/*
 * The checks every importer makes first: clears `err`, then BILAT_EINVAL when the store is
 * open read-only or there are no input files.
 */
int loader_check(const bilat_db *db, size_t nfiles, struct bilat_err *err);

/* 0 when the run has no bad rows, else BILAT_EPARSE: "N bad rows; nothing was ingested". */
int loader_check_rejected(uint64_t rejected, struct bilat_err *err);

/*
 * End a run begun with store_begin() (*in_tx 1): when rc is 0 commit it, first marking the
 * summaries of the UN votes out of date when `votes`; else roll it back. *in_tx is 0 afterwards.
 * Returns rc, or the failure of the commit ("cannot save the ingest (nothing was ingested)").
 */
int loader_end(bilat_db *db, int rc, int *in_tx, bool votes, struct bilat_err *err);

/* Start reading `path`: its base name, and no bad rows yet. */
void loader_file_start(struct loader_file *f, const char *path);

/* A message about line `line` of the file (0: the file as a whole). */
void loader_diag(const struct loader_file *f, enum bilat_level lv, uint64_t line, const char *fmt,
                 ...) BILAT_PRINTF(4, 5);

/* A bad row: counted in the run (and in its rows) and the file, and reported while the file has had
 * fewer than LOADER_MAX_REPORTED. */
void loader_reject(struct loader_file *f, uint64_t line, const char *fmt, ...) BILAT_PRINTF(3, 4);

/* The file is done: the bad rows not reported, in one line at level `lv`, if any. */
void loader_file_done(const struct loader_file *f, enum bilat_level lv);

/* "base:line", the locator of a row (valid until the next call). */
const char *loader_locate(struct loader_file *f, uint64_t line);

#endif
