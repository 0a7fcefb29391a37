/*
 * evscan.h: the line and field scanner of event files (tab-separated, one record per line).
 *
 * A block is a run of whole lines (each ending in '\n'; the reader appends one to a last line
 * that lacks it). The scanner walks the block once and calls back for every line with the
 * offsets of its first EVSCAN_MAXF fields, the total number of fields, and whether the line
 * holds a NUL byte. A CR before the LF is not part of the line.
 *
 * Three scanners give byte-identical results: a scalar one (memchr for '\n', then '\t'), an
 * AVX2 one (64-byte blocks turned into bitmasks of tabs, newlines and NULs, walked with
 * count-trailing-zeros, as zsv does) and an AVX-512 one (the same bitmasks; the tab positions
 * of a line's stretch of 64 bytes are extracted at once with a byte compress, VBMI2). evscan_pick() chooses once at start-up from the CPU's
 * features; nothing is decided per byte. Spans point into the block and are valid during the
 * callback only.
 */
#ifndef BILAT_INGEST_EVSCAN_H
#define BILAT_INGEST_EVSCAN_H

#include "bilat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { EVSCAN_MAXF = 64 };

struct evscan_line {
    const char *p;                  /* first byte of the line */
    uint32_t len;                   /* bytes, without the '\n' and a CR before it */
    uint32_t nf;                    /* number of fields (tabs + 1) */
    bool nul;                       /* the line holds a NUL byte */
    uint32_t start[EVSCAN_MAXF + 17]; /* start offset of field i (i < min(nf, maxf)); the
                                         AVX-512 scanner may write up to 16 entries past
                                         maxf, never read */
};

/* Field i of a line: [start[i], end) where end is the next field's start minus one; valid for
 * i + 1 < maxf, and for the last field (i + 1 == nf) when nf <= maxf. */
static inline __attribute__((always_inline)) uint32_t evscan_field_end(const struct evscan_line *l,
                                                                       uint32_t i)
{
    return i + 1 < l->nf ? l->start[i + 1] - 1 : l->len;
}

/* Called once per line; return nonzero to stop the scan. */
typedef int evscan_fn(void *ctx, struct evscan_line *line);

/*
 * Scan `len` bytes (whole lines); returns the number of lines scanned. Field starts are
 * recorded for the first `maxf` fields only (maxf <= EVSCAN_MAXF); the tabs after them are
 * only counted (popcount), since a row's later fields are not needed but its field count is.
 */
typedef uint64_t evscan_block_fn(const char *p, size_t len, uint32_t maxf,
                                 struct evscan_line *scratch, evscan_fn *fn, void *ctx);

/* The kinds are those of the public enum bilat_scanner, value for value. */
enum evscan_kind {
    EVSCAN_AUTO = BILAT_SCANNER_AUTO,
    EVSCAN_SCALAR = BILAT_SCANNER_SCALAR,
    EVSCAN_SIMD = BILAT_SCANNER_SIMD,
    EVSCAN_AVX2 = BILAT_SCANNER_AVX2,
};

/* The scanner for `kind`: AUTO and SIMD take the best the CPU has (AVX-512 with VBMI2, else
 * AVX2, else scalar); AVX2 forces the AVX2 one (for tests) when the CPU has it. `*used_out`
 * gets the kind actually chosen (SIMD for AVX-512, AVX2, or SCALAR). */
evscan_block_fn *evscan_pick(enum evscan_kind kind, enum evscan_kind *used_out);

uint64_t evscan_block_scalar(const char *p, size_t len, uint32_t maxf,
                             struct evscan_line *scratch, evscan_fn *fn, void *ctx);

#endif
