/*
 * tsv.h: reader for the small, hand-edited tab-separated files of a curated dataset
 * (docs/DATA-FORMAT.md). The whole file is read into memory (a curated file is kilobytes; the
 * limit is TSV_MAX_BYTES) and split in place: field pointers point into the file buffer and
 * stay valid until tsv_close().
 *
 * Rules: `#` comment lines and blank lines are skipped; the first other line is the header;
 * CR before LF is dropped; every row must have exactly as many fields as the header; every line
 * must be valid UTF-8 without NUL bytes. A bad row is returned as BILAT_EPARSE with the reason,
 * and reading can continue with the next row, so that a caller can report every bad row.
 */
#ifndef BILAT_CORE_TSV_H
#define BILAT_CORE_TSV_H

#include "core/buf.h"

#include <stdint.h>

enum { TSV_MAX_COLS = 64, TSV_MAX_BYTES = 64 * 1024 * 1024 };

struct tsv_file {
    const char *path;              /* borrowed, for messages */
    struct bilat_buf data;         /* the file contents, split in place */
    char *pos;                     /* next unread byte */
    char *end;                     /* end of data */
    uint64_t line;                 /* 1-based line number of the row just read */
    size_t ncol;                   /* columns in the header */
    char *names[TSV_MAX_COLS];     /* header names */
    char *fields[TSV_MAX_COLS];    /* fields of the row just read */
    size_t lens[TSV_MAX_COLS];     /* their lengths */
    char reason[160];              /* why the last row was rejected */
};

/*
 * Read `path` and its header. Errors: those of bilat_file_read(), BILAT_EPARSE (no header,
 * duplicate or empty column name, too many columns, bad UTF-8 in the header) with err->line.
 * tsv_close() must be called whatever the result.
 */
int tsv_open(struct tsv_file *f, const char *path, struct bilat_err *err);

/*
 * Read the next row: 1 when a row is ready in f->fields, 0 at end of file, BILAT_EPARSE for a
 * bad row (f->line and f->reason say where and why; call again to go on).
 */
int tsv_next(struct tsv_file *f);

/* Index of the header column `name`, or -1. */
int tsv_col(const struct tsv_file *f, const char *name);

void tsv_close(struct tsv_file *f);

#endif
