/*
 * series.h: importers for raw economic and diplomacy series files (series.tsv `format`).
 *
 * An importer reads one file (CSV in the layout of its source) and emits indicator rows; it
 * knows nothing of SQL. Country names and codes are resolved through the sink, which answers
 * from the store's reference tables. A row the importer cannot read is passed to sink->reject
 * with its line, and importing goes on; rows that are not about countries (regional aggregates)
 * are passed to sink->skip.
 */
#ifndef BILAT_INGEST_SERIES_H
#define BILAT_INGEST_SERIES_H

#include "bilat.h"

#include <stdbool.h>

struct series_row {
    const char *country;  /* ISO3 */
    const char *partner;  /* ISO3 or "" */
    const char *name;     /* indicator name (docs/DATA-FORMAT.md) */
    const char *period;   /* "2015" */
    double value;         /* valid when has_value */
    bool has_value;       /* false: the source marks the value missing */
    const char *unit;
    const char *note;     /* or NULL */
    uint64_t line;        /* line of the file the value comes from */
};

struct series_sink {
    void *ctx;
    /* Store one row; a negative return stops the import with that status. */
    int (*emit)(void *ctx, const struct series_row *r);
    /* A bad input row. */
    void (*reject)(void *ctx, uint64_t line, const char *msg);
    /* A row skipped on purpose (not a country). */
    void (*skip)(void *ctx, uint64_t line, const char *msg);
    /* Resolve a country: 1 and iso3 filled when known, 2 for a known aggregate that is not a
     * country (skip it), 0 when unknown, negative on error. */
    int (*country_by_name)(void *ctx, const char *name, char iso3[4]);
    int (*country_by_cow)(void *ctx, long cow, char iso3[4]);
    int (*country_known)(void *ctx, const char *iso3);
};

/*
 * Import `path` with the importer `format`. `keep` is a NULL-terminated list of ISO3 codes to
 * keep, or NULL for all. Errors: BILAT_EINVAL (unknown format), those of reading the file,
 * BILAT_EPARSE (header not as the format expects), or a negative status from the sink.
 */
int series_import(const char *format, const char *path, const char *const *keep,
                  struct series_sink *sink, struct bilat_err *err);

#endif
