/*
 * csv.h: an RFC 4180 reader over a file held in memory, for the raw series files (CSV with
 * quoted fields, doubled quotes, line breaks inside quotes; or another one-byte delimiter such
 * as '|'). Fields are unescaped and NUL-terminated in place; they stay valid until csv_close().
 * Malformed records (a quote inside an unquoted field, text after a closing quote, an unclosed
 * quote at end of file) are reported with the line they start on, and reading can go on. Set
 * `escape` to '\\' after opening to read backslash escapes inside quoted fields.
 */
#ifndef BILAT_CORE_CSV_H
#define BILAT_CORE_CSV_H

#include "core/buf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum { CSV_MAX_COLS = 128, CSV_MAX_BYTES = 512 * 1024 * 1024 };

struct csv_file {
    const char *path;              /* borrowed, for messages */
    struct bilat_buf data;         /* file contents, split in place */
    char *pos, *end;               /* unread part */
    char delim;                    /* field separator */
    char escape;                   /* 0, or '\\': inside quotes \" \\ \n \r \t are escapes (some
                                      exports write \" instead of "") */
    uint64_t line;                 /* line the current record starts on (1-based) */
    uint64_t next_line;            /* line the next record starts on */
    size_t nf;                     /* fields in the current record (may exceed CSV_MAX_COLS) */
    char *fields[CSV_MAX_COLS];
    size_t lens[CSV_MAX_COLS];
    char reason[160];
};

/* Read the whole file. Errors: those of bilat_file_read(). csv_close() must always be called. */
int csv_open(struct csv_file *f, const char *path, char delim, struct bilat_err *err);
/* Use `len` bytes of `data` (copied) instead of a file: for tests and fuzzing. */
int csv_open_mem(struct csv_file *f, const char *name, const char *data, size_t len, char delim);
/* 1 = record ready, 0 = end, BILAT_EPARSE = bad record (f->reason), reading can continue. */
int csv_next(struct csv_file *f);
void csv_close(struct csv_file *f);

/* The column named `name` (case-insensitive) in the current record, read as a header, or -1. A
 * byte-order mark before the first name is gone already (csv_open). */
int csv_column(const struct csv_file *f, const char *name);
/* Field i of the current record, or NULL when the record is shorter or the field is empty (a
 * field of blanks only counts as empty). */
const char *csv_value(const struct csv_file *f, int i);

/*
 * Writing. The one CSV field writer of the tree (RFC 4180): a field goes out as it is, or, when
 * it holds a comma, a double quote, CR or LF, between double quotes with each quote doubled.
 * The bytes go to a sink in a few runs (never one call per byte).
 */
typedef int csv_sink(void *ctx, const char *p, size_t n); /* 0, or a negative code: stop */
/* Write the `len` bytes of `s` as one field; 0, or the sink's failure. */
int csv_write_field(const char *s, size_t len, csv_sink *put, void *ctx);
/* Sinks: a struct bilat_buf (BILAT_ENOMEM), a FILE * (BILAT_EIO on a short write). */
int csv_sink_buf(void *buf, const char *p, size_t n);
int csv_sink_file(void *file, const char *p, size_t n);

#endif
