/*
 * bilat.h: the public interface of libbilat.
 *
 * libbilat measures the relationship between two actors (states, political parties, persons)
 * over time. Its data live in one SQLite file (the store): curated records with sources,
 * machine-coded events, UN General Assembly votes, economic indicators. Its measures read the
 * store and return tables (as JSON documents) that the command-line tool, the HTML report and the
 * web server all render.
 *
 * Conventions (see STYLE.md):
 * - Every fallible function returns 0 on success or a negative BILAT_E* code, and fills the
 *   optional last argument `struct bilat_err *err` (may be NULL) on failure only.
 * - Pointers are borrowed unless the comment says "caller frees with X()".
 * - The library never prints, exits or aborts on bad input; diagnostics about data rows go
 *   through a caller-supplied `struct bilat_diag` callback.
 * - A `bilat_db` handle may be used by one thread at a time; separate handles on the same file
 *   may be used from separate threads or processes (SQLite WAL mode).
 */
#ifndef BILAT_H
#define BILAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BILAT_VERSION "0.1.0"

/* ---------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------ */

/* The one table of error codes: generates the enum, bilat_strerror() and bilat_errname(). */
#define BILAT_ERR_MAP(X)                                                                           \
    X(NOMEM, -1, "out of memory")                                                                  \
    X(IO, -2, "input/output error")                                                                \
    X(PARSE, -3, "malformed input")                                                                \
    X(SQL, -4, "database error")                                                                   \
    X(INVAL, -5, "invalid argument")                                                               \
    X(NOTFOUND, -6, "not found")                                                                   \
    X(LIMIT, -7, "limit exceeded")

enum bilat_status {
    BILAT_OK = 0,
#define BILAT_ERR_ENUM_(name, value, text) BILAT_E##name = value,
    BILAT_ERR_MAP(BILAT_ERR_ENUM_)
#undef BILAT_ERR_ENUM_
};

/*
 * Error detail, filled by a failing call when the caller passes one. `path` points to a string
 * owned by the caller of the failing function (or a static string), valid as long as that is.
 * `line` and `col` are 1-based, 0 when unknown.
 */
struct bilat_err {
    int code;          /* a BILAT_E* value */
    char msg[256];     /* human-readable reason, lower case, no final full stop */
    const char *path;  /* file the error is about, or NULL */
    uint64_t line;     /* line in `path`, or 0 */
    uint64_t col;      /* column (1-based field number for tabular data), or 0 */
};

/* Static description of a status code ("out of memory"); "unknown error" for others. */
const char *bilat_strerror(int code);
/* Symbolic name of a status code ("BILAT_ENOMEM"). */
const char *bilat_errname(int code);

/* ---------------------------------------------------------------------------------------------
 * Diagnostics: one message per bad input row, warnings, progress
 * ------------------------------------------------------------------------------------------ */

enum bilat_level { BILAT_LOG_ERROR = 0, BILAT_LOG_WARNING = 1, BILAT_LOG_INFO = 2 };

/*
 * Called by long operations for every rejected row (`BILAT_LOG_ERROR` with path and line),
 * every warning and informational note. `path` and `msg` are valid only during the call.
 */
typedef void bilat_diag_fn(void *ctx, enum bilat_level level, const char *path, uint64_t line,
                           const char *msg);

struct bilat_diag {
    bilat_diag_fn *fn; /* may be NULL: messages are dropped */
    void *ctx;         /* passed back to fn */
};

/* ---------------------------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------------------------ */

/* Free memory that a bilat function handed to the caller ("caller frees with bilat_free()"). */
void bilat_free(void *p);

/* ---------------------------------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------------------------------ */

typedef struct bilat_db bilat_db;

enum bilat_open_flags {
    BILAT_OPEN_READONLY = 1, /* never write; the file must exist and be current */
    BILAT_OPEN_CREATE = 2,   /* create the file if missing; apply pending migrations */
};

/*
 * Open the store at `path` and bring its schema up to date (migrations are applied in one
 * transaction each and recorded in `schema_version`). Without BILAT_OPEN_CREATE a missing file
 * is BILAT_ENOTFOUND. On success *db_out is set; caller frees with bilat_db_close().
 * Errors: BILAT_ENOTFOUND, BILAT_EIO (unreadable, not a database), BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_db_open(const char *path, unsigned flags, bilat_db **db_out, struct bilat_err *err);

/* Close the store; NULL does nothing. */
void bilat_db_close(bilat_db *db);

/* The schema version (highest applied migration) of an open store. */
int bilat_db_schema_version(bilat_db *db);

/* Path the store was opened with (borrowed, valid until bilat_db_close()). */
const char *bilat_db_path(bilat_db *db);

/*
 * Row callback for bilat_sql_each(): `values[i]` is the text of column i or NULL for SQL NULL,
 * `names[i]` its name; both valid only during the call. Return 0 to continue, anything else to
 * stop (bilat_sql_each then returns that value).
 */
typedef int bilat_row_fn(void *ctx, int ncol, const char *const *names,
                         const char *const *values);

/*
 * Run one SQL statement and call `fn` for each result row (also once with ncol > 0 and
 * values == NULL before the first row, so that a caller can print a header even when no row
 * follows). A read-only store refuses writes with BILAT_ESQL.
 */
int bilat_sql_each(bilat_db *db, const char *sql, bilat_row_fn *fn, void *ctx,
                   struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * Curated datasets (docs/DATA-FORMAT.md)
 * ------------------------------------------------------------------------------------------ */

/* Number of records written per table by bilat_load_dirs(). */
struct bilat_load_stats {
    uint64_t sources, actors, aliases, affiliations, events, indicators;
    uint64_t un_calls, un_votes, cameo_codes, countries, country_aliases, blocs, vocabulary;
    uint64_t pruned;   /* records removed because they were deleted from the files */
    uint64_t skipped;  /* input rows skipped on purpose (aggregates, missing external files) */
    uint64_t rejected; /* bad rows (each reported through the diag callback) */
};

struct bilat_load_opts {
    const char *external_dir; /* where `external:` series files are read from, or NULL */
    struct bilat_diag diag;   /* receives one error per bad row, and warnings */
};

/*
 * Load the curated dataset directories `dirs[0..n)` in one transaction. Every bad row is
 * reported through opts->diag; if any row is bad the transaction is rolled back, the store is
 * left as it was and BILAT_EPARSE is returned. Reloading a directory updates its records in
 * place and removes records deleted from its files. `stats_out` may be NULL.
 */
int bilat_load_dirs(bilat_db *db, const char *const *dirs, size_t n,
                    const struct bilat_load_opts *opts, struct bilat_load_stats *stats_out,
                    struct bilat_err *err);

/* Names of the built-in series importers (series.tsv `format`), NULL-terminated, static. */
const char *const *bilat_series_formats(void);

/* ---------------------------------------------------------------------------------------------
 * Profiles and reports
 * ------------------------------------------------------------------------------------------ */

/*
 * Which dyad and period a profile or report covers. `a` and `b` are actor codes: a country
 * (ISO3, matching every actor of that country) or any actor code from the store. `from`/`to`
 * are years, 0 for open ends. `command` is the command line recorded in the report ("bilat
 * report KHM CHN -o r.html"), may be NULL.
 */
struct bilat_profile_opts {
    const char *a;
    const char *b;
    int from;
    int to;
    const char *command;
};

/*
 * Build the relationship profile of a dyad as a JSON document (UTF-8, NUL-terminated); caller
 * frees *json_out with bilat_free(). The document is a list of sections, each a table with
 * typed columns, rows, notes and an optional chart description (docs/PROFILE.md).
 * Errors: BILAT_ENOTFOUND (unknown actor code), BILAT_EINVAL (bad code or period), BILAT_ESQL.
 */
int bilat_profile_json(bilat_db *db, const struct bilat_profile_opts *opts, char **json_out,
                       struct bilat_err *err);

/* The same profile rendered as aligned plain-text tables; caller frees *text_out with bilat_free(). */
int bilat_profile_text(bilat_db *db, const struct bilat_profile_opts *opts, char **text_out,
                       struct bilat_err *err);

/*
 * Write the self-contained HTML report of a dyad to `path` (written to a temporary file in the
 * same directory and renamed, so a failed write never leaves a half report).
 * Errors: as bilat_profile_json(), plus BILAT_EIO (cannot write, disk full).
 */
int bilat_report_write(bilat_db *db, const struct bilat_profile_opts *opts, const char *path,
                       struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * Event files: scan and ingest (GDELT, ICEWS)
 * ------------------------------------------------------------------------------------------ */

/*
 * Machine-coded event files (docs/EVENTS.md): GDELT 1.0 events (57 or 58 columns, mixed in one
 * file), GDELT 2.0 events (61 columns, also the translingual exports) and ICEWS event tables
 * (20 columns with a header), plain, .zip or .gz (told by the content, not the name).
 *
 * bilat_scan_files() aggregates files straight into groups (no store): one group per distinct
 * value of the chosen keys, with the measures events, root_events, goldstein_sum, mentions,
 * sources, articles, tone_sum (and events_dedup under a dedup rule). Sums are exact decimal sums
 * of the values as written in the files (fixed point, 18 decimals), so that results are the same
 * whatever the order rows are read in: identical for any thread count, read-buffer size and MPI
 * split. Bad rows are counted per file and kept (the first `max_errors` with their line numbers)
 * in the result; bilat_scan_report() hands them to a diag callback in file and line order.
 */

enum bilat_ev_format {
    BILAT_EV_AUTO = 0,   /* tell each file's format from its first line */
    BILAT_EV_GDELT1 = 1, /* GDELT 1.0 events: 57 or 58 columns, DATEADDED YYYYMMDD */
    BILAT_EV_GDELT2 = 2, /* GDELT 2.0 events: 61 columns, DATEADDED YYYYMMDDHHMMSS */
    BILAT_EV_ICEWS = 3,  /* ICEWS events: 20 columns, header line */
};

enum bilat_ev_dedup {
    BILAT_DEDUP_NONE = 0,  /* every row is an event */
    BILAT_DEDUP_DAILY = 1, /* one event per day, source actor, target actor and event code */
    BILAT_DEDUP_URL = 2,   /* one event per source URL (ICEWS: story), actors and event code */
};

/* Name of a dedup rule ("none", "daily", "url"); parse one with bilat_ev_dedup_parse(). */
const char *bilat_ev_dedup_name(enum bilat_ev_dedup d);
int bilat_ev_dedup_parse(const char *s, enum bilat_ev_dedup *out);
/* Name of a format ("gdelt1", ...; "auto"); parse one with bilat_ev_format_parse(). */
const char *bilat_ev_format_name(enum bilat_ev_format f);
int bilat_ev_format_parse(const char *s, enum bilat_ev_format *out);

struct bilat_scan_opts {
    const char *by;              /* comma-separated keys: year, month, day, actor1_country,
                                    actor2_country, actor1_type, actor2_type, event_code,
                                    root_code, quad, action_country; NULL or "" = one total */
    const char *const *where;    /* conditions "key=value" (docs/EVENTS.md), all must hold */
    size_t nwhere;               /* number of conditions */
    enum bilat_ev_format format; /* BILAT_EV_AUTO or a forced format */
    enum bilat_ev_dedup dedup;   /* add events_dedup under this rule */
    int threads;                 /* scanning threads; 0 = online CPUs */
    size_t buffer_size;          /* bytes per read() or mapped block; 0 = 1 MiB read, 4 MiB
                                    mapped (tests use tiny sizes) */
    int scanner;                 /* 0 auto, 1 scalar, 2 best SIMD, 3 AVX2 (tests, benchmarks) */
    int io;                      /* 0 auto (mmap for plain files), 1 read(), 2 mmap */
    int max_errors;              /* bad rows kept per file with their line; 0 = 20 */
    int hash_files;              /* compute each file's SHA-256 while reading */
    int members;                 /* keep every kept row's cluster, id and URL (needs dedup;
                                    memory grows with the kept rows: narrow with `where`) */
    /* Called from the reading thread after each block; may be NULL. */
    void (*progress)(void *ctx, uint64_t bytes_done, size_t file_index);
    void *progress_ctx;
};

typedef struct bilat_scan bilat_scan;

/* Totals of a scan. */
struct bilat_scan_stats {
    uint64_t files;    /* files read */
    uint64_t bytes;    /* bytes of data (after decompression) */
    uint64_t rows;     /* data rows read (header and blank lines not counted) */
    uint64_t rejected; /* bad rows */
    uint64_t used;     /* rows that passed the conditions */
    uint64_t groups;   /* groups in the result */
    int failed_files;  /* files that could not be read to the end (I/O, corrupt compression) */
    int unopened_files; /* of those, files that could not be opened at all (missing, directory) */
};

/*
 * Scan `files[0..n)` ("-" is standard input) and aggregate. On success *scan_out holds the
 * result (caller frees with bilat_scan_free()), even when rows were rejected or a file could not
 * be read to its end (see bilat_scan_stats()). Errors: BILAT_EINVAL (bad key, condition or
 * option, message says which), BILAT_ENOMEM.
 */
int bilat_scan_files(const struct bilat_scan_opts *opts, const char *const *files, size_t n,
                     bilat_scan **scan_out, struct bilat_err *err);

/* Totals of a result. */
void bilat_scan_stats(const bilat_scan *s, struct bilat_scan_stats *out);

/*
 * Report every kept bad row (BILAT_LOG_ERROR, "path:line: reason") in file and line order, then
 * per file the number of bad rows not shown, and each file that could not be read to its end.
 */
void bilat_scan_report(const bilat_scan *s, const struct bilat_diag *diag);

/*
 * Write the groups as CSV: a header (keys in --by order, then events, [events_dedup,]
 * root_events, goldstein_sum, mentions, sources, articles, tone_sum), one row per group sorted
 * by the keys. A measure no row of the group has (ICEWS has no mentions) is an empty field.
 * Errors: BILAT_EIO (write error).
 */
int bilat_scan_write_csv(const bilat_scan *s, FILE *out, struct bilat_err *err);

/*
 * Write the cluster members kept with opts.members as CSV: cluster (hex fingerprint), event_id,
 * date, actor1, actor2, event_code, url (GDELT SOURCEURL, ICEWS Story ID), file, line; sorted by
 * cluster, then file and line. Members are not carried by bilat_scan_pack(). BILAT_EIO.
 */
int bilat_scan_write_members(const bilat_scan *s, FILE *out, struct bilat_err *err);

/*
 * Serialise a result (for MPI reductions; caller frees *buf_out with bilat_free()), and merge a
 * serialised result into `into`. Merging results of disjoint file sets, in any order, gives the
 * result of one scan over all of them; files keep the order of their `index` in the whole list.
 */
int bilat_scan_pack(const bilat_scan *s, void **buf_out, size_t *len_out, struct bilat_err *err);
int bilat_scan_merge_packed(bilat_scan *into, const void *buf, size_t len,
                            struct bilat_err *err);
/* Scan only the files whose index i satisfies i % nparts == part (an MPI rank's share); the
 * result still knows every file's name. Same contract as bilat_scan_files(). */
int bilat_scan_files_part(const struct bilat_scan_opts *opts, const char *const *files, size_t n,
                          size_t part, size_t nparts, bilat_scan **scan_out,
                          struct bilat_err *err);

/* Free a result; NULL does nothing. */
void bilat_scan_free(bilat_scan *s);

/* What bilat_ingest_files() did. */
struct bilat_ingest_stats {
    uint64_t files;     /* files ingested now */
    uint64_t skipped;   /* files already in the store (same SHA-256), left as they were */
    uint64_t replaced;  /* earlier versions of a file (same path, other content) replaced */
    uint64_t rows;      /* rows read */
    uint64_t rejected;  /* bad rows */
    uint64_t cells;     /* event_cube rows written */
    int failed_files;   /* files that could not be read to the end (kept as 'partial') */
};

struct bilat_ingest_opts {
    struct bilat_scan_opts scan;  /* format, dedup (default daily), threads, buffer, scanner */
    const char *origin;           /* "gdelt" or "icews": the files' kind */
    struct bilat_diag diag;       /* bad rows and warnings, per file as it is done */
    /* Called before each file (done = files finished so far); may be NULL. */
    void (*file_cb)(void *ctx, size_t done, size_t total, const char *path);
    void *file_ctx;
    size_t part, nparts;          /* scan only files with i % nparts == part (MPI); 0 = all */
};

/*
 * Aggregate each file into the store's event_cube and record it in ingest_file, one
 * transaction per file: a file is in the store completely or not at all, so an interrupted run
 * (even kill -9) leaves the store consistent and the next run finishes the job. A file whose
 * SHA-256 is already recorded is skipped; a file at the same path with other content replaces
 * the earlier one. Errors: BILAT_EINVAL, BILAT_ESQL, BILAT_EIO, BILAT_ENOMEM; data errors are
 * counted and reported, not fatal.
 */
int bilat_ingest_files(bilat_db *db, const struct bilat_ingest_opts *opts,
                       const char *const *files, size_t n, struct bilat_ingest_stats *stats_out,
                       struct bilat_err *err);

/*
 * MPI ingest: a rank scans one file as bilat_ingest_files() would and serialises the result
 * (caller frees *buf_out with bilat_free()); rank 0 writes such a result for `path` into the
 * store, in its own transaction, with the same rules (skip when known, replace an earlier
 * version of the path).
 */
int bilat_ingest_pack_file(const struct bilat_ingest_opts *opts, const char *path, void **buf_out,
                           size_t *len_out, struct bilat_err *err);
int bilat_ingest_write_packed(bilat_db *db, const struct bilat_ingest_opts *opts, const char *path,
                              const void *packed, size_t len, struct bilat_ingest_stats *stats,
                              struct bilat_err *err);

/* The scan options of an ingest (the cube's keys, file hashing) derived from `opts`. */
void bilat_ingest_scan_opts(const struct bilat_ingest_opts *opts, struct bilat_scan_opts *out);

/* What `bilat coverage` lists. */
struct bilat_coverage_opts {
    const char *origin; /* "gdelt", "icews" or NULL for both */
    int by_month;       /* periods are months (YYYY-MM) instead of days */
    int files;          /* list the ingested files instead of periods */
    const char *from;   /* first day YYYY-MM-DD, or NULL */
    const char *to;     /* last day YYYY-MM-DD, or NULL */
};

/*
 * The coverage manifest, one row per period (day or month the rows were added to the source,
 * GDELT's DATEADDED; ICEWS: the event date) from the first to the last period the store holds,
 * gaps included: period, files, rows, rows_rejected, first_date, last_date, status ('ok' or
 * 'missing'; a missing period has NULL rows, never 0). With `files`, one row per ingested file.
 * Rows go to `fn` as with bilat_sql_each(). Errors: BILAT_EINVAL (bad date), BILAT_ESQL.
 */
int bilat_coverage_each(bilat_db *db, const struct bilat_coverage_opts *opts, bilat_row_fn *fn,
                        void *ctx, struct bilat_err *err);

/* Whether the store already holds a file with this SHA-256 (1), or not (0); <0 on error. */
int bilat_ingest_known(bilat_db *db, const char *sha256, struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * UN votes and alignment measures
 * ------------------------------------------------------------------------------------------ */

/* ---------------------------------------------------------------------------------------------
 * Event coder
 * ------------------------------------------------------------------------------------------ */

/* ---------------------------------------------------------------------------------------------
 * Claims, networks, narratives, web server
 * ------------------------------------------------------------------------------------------ */

#ifdef __cplusplus
}
#endif

#endif /* BILAT_H */
