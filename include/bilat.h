/*
 * bilat.h: the public interface of libbilat.
 *
 * libbilat measures the relationship between two actors (states, political parties, persons)
 * over time. Its data live in one SQLite file (the store): curated records with sources,
 * machine-coded events, UN General Assembly votes, economic indicators. Its measures read the
 * store and return tables (as JSON documents) that the command-line tool, the HTML report and the
 * web server all render.
 *
 * Conventions (see docs/STYLE.md):
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
 * The store's data version as this connection sees it (SQLite's PRAGMA data_version): it
 * changes when another connection has committed since this one last looked, so a reader can
 * tell that what it built before may be out of date. Errors: BILAT_ESQL.
 */
int bilat_db_data_version(bilat_db *db, int64_t *out, struct bilat_err *err);

/* Size this connection's page cache (KiB; a connection has 64 MiB by default). Errors:
 * BILAT_ESQL. */
int bilat_db_set_cache(bilat_db *db, size_t kib, struct bilat_err *err);

/*
 * Build the summaries a writer left out of date (docs/STORE.md, "Summaries"): today the UN vote
 * panel, encoded in un_panel, which every vote measure then reads instead of the vote table. A
 * summary already current is left as it is, so the call is cheap after a write that touched no
 * votes; `rebuild` builds every summary again (after SQL written by hand, which may have changed
 * anything). The commands that write (load, ingest, sql --write) call it after their commit; a
 * store without summaries gives the same results, more slowly. Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_summaries_build(bilat_db *db, int rebuild, struct bilat_err *err);

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
    uint64_t claims, concepts, principles, adoptions; /* claims.tsv, concepts.tsv, ... */
    uint64_t un_seats, coverage;                      /* un_seats.tsv, coverage.tsv */
    uint64_t pruned;   /* records removed because they were deleted from the files */
    uint64_t moved;    /* records taken over from the opts.move_from dataset */
    uint64_t skipped;  /* input rows skipped on purpose (aggregates, missing external files) */
    uint64_t rejected; /* bad rows (each reported through the diag callback) */
};

struct bilat_load_opts {
    const char *external_dir; /* where `external:` series files are read from, or NULL */
    struct bilat_diag diag;   /* receives one error per bad row, and warnings */
    const char *move_from;    /* a dataset whose records the loaded ones may take over, or
                                 NULL (docs/DATA-FORMAT.md, "Datasets own their records") */
};

/*
 * Load the curated dataset directories `dirs[0..n)` in one transaction. Every bad row is
 * reported through opts->diag; if any row is bad the transaction is rolled back, the store is
 * left as it was and BILAT_EPARSE is returned. Reloading a directory updates its records in
 * place and removes records deleted from its files. A record of another dataset (same key) is a
 * bad row naming both datasets, unless opts->move_from names that dataset: the record then
 * moves; a load never removes another dataset's records. `stats_out` may be NULL.
 */
int bilat_load_dirs(bilat_db *db, const char *const *dirs, size_t n,
                    const struct bilat_load_opts *opts, struct bilat_load_stats *stats_out,
                    struct bilat_err *err);

/* Names of the built-in series importers (series.tsv `format`), NULL-terminated, static. */
const char *const *bilat_series_formats(void);

/* ---------------------------------------------------------------------------------------------
 * Output formats
 *
 * Every output follows one pattern: an `enum bilat_format` argument says what to produce, and
 * the verb says where it goes:
 *   bilat_<thing>_render(..., format, char **out, err)  a NUL-terminated text; caller frees
 *                                                       *out with bilat_free()
 *   bilat_<thing>_write(..., format, FILE *out, err)    written to a stream (large results)
 *   bilat_<thing>_save(..., format, const char *path, err)  a file, replaced atomically
 * A function that cannot produce a format fails with BILAT_EINVAL naming it. JSON outputs end
 * with a newline; reals are written with 15 significant digits.
 * ------------------------------------------------------------------------------------------ */

enum bilat_format {
    BILAT_FORMAT_TEXT = 0,         /* aligned plain-text tables, for a terminal */
    BILAT_FORMAT_JSON = 1,         /* the JSON document, indented by two spaces */
    BILAT_FORMAT_JSON_COMPACT = 2, /* the same JSON on one line (what the web server sends) */
    BILAT_FORMAT_CSV = 3,          /* one table as CSV (RFC 4180, a header line) */
    BILAT_FORMAT_DOT = 4,          /* a Graphviz graph */
    BILAT_FORMAT_HTML = 5,         /* a self-contained HTML document */
    BILAT_FORMAT_BIBTEX = 6,       /* BibTeX entries */
};

/* Name of a format ("text", "json", "json-compact", "csv", "dot", "html", "bibtex"; static). */
const char *bilat_format_name(enum bilat_format f);

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
    int jobs; /* connections building at once: 0 or 1 the caller's; 2 (or more) adds a second,
                 read-only one on a thread of its own, for a store opened read-only */
    int keep; /* keep the sections that do not depend on the period (the brief's claims, the
                 narratives) on the connection for its next profile of the dyad, while the
                 store is unchanged: for a connection that builds many (the server) */
};

/*
 * The relationship profile of a dyad (docs/PROFILE.md): a document of sections, each a table
 * with typed columns, rows, notes and an optional chart description. Formats: JSON and
 * JSON_COMPACT (the document), TEXT (its tables aligned), HTML (the self-contained report).
 * Errors: BILAT_ENOTFOUND (unknown actor code), BILAT_EINVAL (bad code or period, or format),
 * BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_profile_render(bilat_db *db, const struct bilat_profile_opts *opts,
                         enum bilat_format format, char **out, struct bilat_err *err);

/*
 * The same into the file `path`, written to a temporary file in the same directory and renamed,
 * so that a failed write never leaves half a file. Errors: as bilat_profile_render(), plus
 * BILAT_EIO (cannot write, disk full).
 */
int bilat_profile_save(bilat_db *db, const struct bilat_profile_opts *opts,
                       enum bilat_format format, const char *path, struct bilat_err *err);

/*
 * One section of a sections document (a profile, claims, a network, ...: the JSON text that a
 * render function gave) by its id, as JSON, JSON_COMPACT, CSV or TEXT: what the report's and
 * the pages' downloads give. Errors: BILAT_ENOTFOUND (no section with that id: the message
 * says so), BILAT_EPARSE (`doc` is not such a document), BILAT_EINVAL (format), BILAT_ENOMEM.
 */
int bilat_section_render(const char *doc, const char *id, enum bilat_format format, char **out,
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

/* The line scanner: the best the CPU has (AVX-512 with VBMI2, else AVX2, else scalar), or a
 * forced one (tests and benchmarks compare them; AVX2 when the CPU has it). */
enum bilat_scanner {
    BILAT_SCANNER_AUTO = 0,
    BILAT_SCANNER_SCALAR = 1,
    BILAT_SCANNER_SIMD = 2, /* the best SIMD scanner */
    BILAT_SCANNER_AVX2 = 3,
};

/* How plain files are read: mapped (mmap) when they are regular files, or with read(). */
enum bilat_io {
    BILAT_IO_AUTO = 0, /* mmap for plain regular files, read() for the rest */
    BILAT_IO_READ = 1,
    BILAT_IO_MMAP = 2,
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
    enum bilat_scanner scanner;  /* the line scanner (tests, benchmarks) */
    enum bilat_io io;            /* how plain files are read */
    int max_errors;              /* bad rows kept per file with their line; 0 = 20 */
    int hash_files;              /* compute each file's SHA-256 while reading */
    int members;                 /* keep every kept row's cluster, id and URL (needs dedup;
                                    memory grows with the kept rows: narrow with `where`) */
    size_t memory;               /* ingest only (bilat_scan_files() never spills): bytes of cube
                                    cells and dedup clusters held before they are spilled,
                                    sorted, to a temporary file; 0 = BILAT_INGEST_MEMORY,
                                    SIZE_MAX = no limit */
    const char *spill_dir;       /* ingest only: directory of that file (NULL: the store's) */
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
 * Write the groups (format CSV): a header (keys in --by order, then events, [events_dedup,]
 * root_events, goldstein_sum, mentions, sources, articles, tone_sum), one row per group sorted
 * by the keys. A measure no row of the group has (ICEWS has no mentions) is an empty field.
 * Errors: BILAT_EIO (write error), BILAT_EINVAL (format).
 */
int bilat_scan_write(const bilat_scan *s, enum bilat_format format, FILE *out,
                     struct bilat_err *err);

/*
 * Write the cluster members kept with opts.members (format CSV): cluster (hex fingerprint),
 * event_id, date, actor1, actor2, event_code, url (GDELT SOURCEURL, ICEWS Story ID), file,
 * line; sorted by cluster, then file and line. Members are not carried by bilat_scan_pack().
 * Errors: BILAT_EIO, BILAT_EINVAL (format).
 */
int bilat_scan_write_members(const bilat_scan *s, enum bilat_format format, FILE *out,
                             struct bilat_err *err);

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
    uint64_t duplicates; /* files skipped because another file in the store has their content
                            (same data in another container or under another name) */
    uint64_t replaced;  /* earlier versions of a file (same path, other content) replaced */
    uint64_t reread;    /* files read again: they had left out events of a replaced version */
    uint64_t rows;      /* rows read */
    uint64_t rejected;  /* bad rows */
    uint64_t dup_rows;  /* rows left out: their GLOBALEVENTID is another file's event */
    uint64_t cells;     /* event_cube rows written */
    uint64_t spilled;   /* files whose cells went over opts.scan.memory (sorted on disk) */
    uint64_t runs;      /* sorted runs those files were spilled to */
    int failed_files;   /* files that could not be read to the end: missing, not readable,
                           of no known format or of the other origin, damaged (those are kept
                           as 'partial' with the rows before the damage), or changed while read
                           (not recorded) */
};

/* Default memory for the cube cells of one file being ingested (bilat_scan_opts.memory). */
#define BILAT_INGEST_MEMORY ((size_t)96 << 20)

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
 * (even kill -9) leaves the store consistent and the next run finishes the job. Every file is
 * attempted, whatever happened to the ones before; a file that cannot be read to its end is
 * reported and counted in failed_files. A file whose SHA-256 is already recorded is skipped; so
 * is a file whose decompressed content is that of a recorded file (listed in ingest_duplicate);
 * rows whose GLOBALEVENTID another file of the store holds are left out (dup_rows); a file at
 * the same path with other content replaces the earlier one. Memory is bounded by
 * opts.scan.memory: beyond it, a file's cells are spilled to a temporary file in the store's
 * directory (unlinked: nothing is left behind) and merged when written, with the same result.
 * Errors: BILAT_EINVAL, BILAT_ESQL, BILAT_EIO (also: no room for the temporary file),
 * BILAT_ENOMEM; data errors are counted and reported, not fatal.
 */
int bilat_ingest_files(bilat_db *db, const struct bilat_ingest_opts *opts,
                       const char *const *files, size_t n, struct bilat_ingest_stats *stats_out,
                       struct bilat_err *err);

/*
 * MPI ingest: a rank scans one file as bilat_ingest_files() would and serialises the result
 * (caller frees *buf_out with bilat_free()); rank 0 writes such a result for `path` into the
 * store, in its own transaction, with the same rules (skip when known, replace an earlier
 * version of the path). A rank cannot see the store, so its scan keeps every row: a file
 * whose GLOBALEVENTIDs overlap those of another file in the store is scanned again by the
 * caller (rank 0), leaving them out, so that the store is the one a single process makes.
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
    int duplicates;     /* list the files skipped as duplicates of ingested ones */
};

/*
 * The coverage manifest, one row per period (day or month the rows were added to the source,
 * GDELT's DATEADDED; ICEWS: the event date) from the first to the last period the store holds,
 * gaps included: period, files, rows, rows_rejected, first_date, last_date, status ('ok' or
 * 'missing'; a missing period has NULL rows, never 0). Files a GDELT list named that are not
 * in the store (fetch_file, bilat_update_gdelt()) are gaps too: their period is 'partial' when
 * other files of it are in, else 'missing'. With `files`, one row per ingested file; with
 * `duplicates`, one row per file skipped because its content is an ingested file's (path, name,
 * size, container, the file it duplicates, when it was seen). Rows go to `fn` as with
 * bilat_sql_each(). Errors: BILAT_EINVAL (bad date), BILAT_ESQL.
 */
int bilat_coverage_each(bilat_db *db, const struct bilat_coverage_opts *opts, bilat_row_fn *fn,
                        void *ctx, struct bilat_err *err);

/* Whether the store already holds a file with this SHA-256 (1), or not (0); <0 on error. */
int bilat_ingest_known(bilat_db *db, const char *sha256, struct bilat_err *err);

/* Files skipped as duplicates of ingested ones (ingest_duplicate rows); <0 on error. */
int64_t bilat_ingest_duplicates(bilat_db *db, struct bilat_err *err);

/*
 * Drill-down (docs/EVENTS.md, "From a figure to its rows"): the deduplicated clusters behind a
 * figure of the event cube, with their rows' event ids and source URLs. The cube keeps no rows;
 * the files it was made from are read again: the files whose cube rows hold the selection, each
 * checked first against what ingest_file recorded (same path, size and SHA-256: a moved or
 * changed file is skipped, with a warning naming it, never used), scanned with the selection's
 * conditions and the rule the file was ingested with. Clusters are per file, as in the cube, so
 * for a selection the rows found equal sum(event_cube.events) and the clusters
 * sum(event_cube.events_dedup) when every file was read.
 */
struct bilat_clusters_opts {
    const char *a, *b;       /* actor countries as the cube holds them (KHM, CHN), either
                                direction; case does not matter */
    const char *from, *to;   /* first and last event day: YYYY-MM-DD, or YYYY-MM / YYYY for the
                                month's or year's first (from) or last (to) day; NULL = open */
    int quad;                /* quad class 1..4; 0 = all */
    const char *root;        /* CAMEO root code ("04"), or NULL for all */
    const char *origin;      /* "gdelt", "icews", or NULL for both */
    const char *dedup;       /* NULL: each file's rule (the cube's); "daily", "url" or "none" */
    int max_days;            /* refuse a longer or open period (BILAT_ELIMIT); 0 = no limit */
    size_t max_files;        /* refuse when more files hold the selection; 0 = no limit */
    uint64_t max_bytes;      /* refuse when those files are larger in all; 0 = no limit */
    int threads;             /* scanning threads; 0 = online CPUs */
    struct bilat_diag diag;  /* a warning per file skipped (moved, changed, unreadable) or read
                                only in part (a damaged compressed file, as when ingested) */
};

typedef struct bilat_clusters bilat_clusters;

struct bilat_clusters_summary {
    uint64_t files;        /* files whose cube rows hold the selection */
    uint64_t read;         /* files read (as recorded) */
    uint64_t skipped;      /* files moved, changed or unreadable: not used */
    uint64_t rows;         /* rows found (cluster members) */
    uint64_t clusters;     /* clusters */
    int64_t cube_events;   /* the cube's sum(events) for the selection, over all its files */
    int64_t cube_dedup;    /* the cube's sum(events_dedup) */
};

/*
 * Find the clusters of a selection; caller frees *out with bilat_clusters_free(). Skipped files
 * are not an error (see bilat_clusters_summarize()). Errors: BILAT_EINVAL (bad code, date,
 * quad, root, origin or rule), BILAT_ELIMIT (over max_days, max_files or max_bytes; the
 * message says by how much), BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_clusters_find(bilat_db *db, const struct bilat_clusters_opts *o, bilat_clusters **out,
                        struct bilat_err *err);

void bilat_clusters_summarize(const bilat_clusters *c, struct bilat_clusters_summary *out);

/*
 * Write the clusters (format CSV), one row per cluster: cluster, file_id, file, date, actor1,
 * actor2, actor1_country, actor2_country, actor1_type, actor2_type, event_code, quad,
 * goldstein, rows, event_ids, urls (docs/EVENTS.md has the layout). Errors: BILAT_EIO,
 * BILAT_EINVAL (format).
 */
int bilat_clusters_write(const bilat_clusters *c, enum bilat_format format, FILE *out,
                         struct bilat_err *err);

/* The clusters as a JSON document (JSON or JSON_COMPACT: the selection, the files with their
 * status, the totals next to the cube's, the clusters with their members). Errors:
 * BILAT_ENOMEM, BILAT_EINVAL (format). */
int bilat_clusters_render(const bilat_clusters *c, enum bilat_format format, char **out,
                          struct bilat_err *err);

/* Free a result; NULL does nothing. */
void bilat_clusters_free(bilat_clusters *c);

/* ---------------------------------------------------------------------------------------------
 * Keeping a store current: GDELT's published files (bilat update)
 * ------------------------------------------------------------------------------------------ */

/*
 * GDELT 2.0 publishes an export every 15 minutes and lists every file it ever published in its
 * master file list, one line per file: size in bytes, MD5, URL (docs/EVENTS.md, "Keeping a
 * store current"). bilat_update_gdelt() reads such a list, picks the export files of a period
 * that the store does not hold yet, downloads them (libcurl: two at a time, timeouts, retries
 * with backoff, resuming partial downloads, proxies from the environment), checks each file's
 * size and MD5 against the list, and ingests the good ones with bilat_ingest_files(). What it
 * did is recorded per file in the table fetch_file (docs/STORE.md): a file whose download
 * failed or whose size or MD5 differs is recorded as failed or rejected, never ingested, and
 * tried again by the next run; a file listed but not in the store is a gap in
 * bilat_coverage_each(). Every step can be interrupted (kill -9 included): the next run
 * resumes the partial download, checks a file downloaded but not ingested, and never ingests
 * a file twice.
 */

/* GDELT 2.0's master file list (the default source). */
#define BILAT_GDELT_MASTER_LIST "http://data.gdeltproject.org/gdeltv2/masterfilelist.txt"

/* One file of the list, as the run handles it (strings valid during the callback only). */
struct bilat_update_file {
    const char *url;      /* where it is published */
    const char *name;     /* its file name (also its name in the download directory) */
    const char *slot;     /* "YYYY-MM-DD HH:MM:SS" (UTC) from the name, or NULL */
    int64_t size;         /* bytes, from the list */
    const char *md5;      /* from the list */
    const char *previous; /* its state before this run: NULL for a file new to the store, else
                             "listed", "fetched", "failed" or "rejected" (fetch_file.status) */
    const char *status;   /* with dry_run "wanted"; else "ingested", "known" (the store held
                             its content already), "failed" or "rejected" */
    const char *reason;   /* why it failed or was rejected (expected and actual values), or
                             NULL */
    const char *path;     /* the downloaded file while it exists, or NULL */
    uint64_t rows;        /* rows the ingest read */
};

/* Progress of the downloads. */
struct bilat_update_progress {
    uint64_t files;      /* files to fetch in this run */
    uint64_t files_done; /* of those, finished (any outcome) */
    uint64_t bytes;      /* their sizes from the list */
    uint64_t bytes_done; /* sizes of the finished ones plus the bytes of running downloads */
    uint64_t received;   /* bytes received by this run */
    double elapsed;      /* seconds since the downloads began */
};

struct bilat_update_opts {
    const char *source;     /* the list: a URL (http, https, file) or a local path;
                               NULL = BILAT_GDELT_MASTER_LIST. The URLs in it say where each
                               file is (relative ones are taken from the list's location) */
    const char *since;      /* the files' period (their names' time, UTC), inclusive: YYYY,
                               YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], YYYYMMDD or
                               YYYYMMDDHHMMSS; `until` up to the end of what it names; NULL =
                               open. A file without a time in its name is only taken when
                               both are NULL */
    const char *until;
    const char *kinds;      /* comma-separated kinds to fetch: "export" (NULL = export); the
                               mentions and gkg files are not event tables and are skipped */
    const char *dir;        /* download directory (created when missing); it also holds the
                               list's copy and a lock file, so that two runs never share it */
    int keep;               /* keep the downloaded files in `dir` (bilat clusters re-reads
                               them); 0: remove each once it is ingested */
    int dry_run;            /* only report the files that would be fetched (file_cb, status
                               "wanted"); nothing is written, in the store or in `dir` (a list
                               behind a URL is read from a temporary copy), and no lock is
                               taken; `db` may be NULL (no store) */
    int parallel;           /* transfers at a time; 0 = 2 */
    int retries;            /* attempts after the first, per file and run */
    double retry_wait;      /* seconds before the first retry (doubling, at most 60) */
    long timeout;           /* seconds to connect, and without data before giving up; 0 = 60 */
    struct bilat_ingest_opts ingest; /* how files are ingested (origin is "gdelt") */
    struct bilat_diag diag; /* warnings about the list (bad lines with their number), an error
                               per file that failed or was rejected, the ingest's messages */
    void (*file_cb)(void *ctx, const struct bilat_update_file *f); /* each file wanted, once
                               its outcome is known (may be NULL) */
    void (*progress)(void *ctx, const struct bilat_update_progress *p); /* about five times a
                               second while downloading (may be NULL) */
    void *ctx;              /* passed to file_cb and progress */
};

/* What a run found and did. */
struct bilat_update_stats {
    uint64_t lines;          /* lines of the list */
    uint64_t bad_lines;      /* lines that are not SIZE MD5 URL (each reported) */
    uint64_t duplicates;     /* lines naming a file named by an earlier line (the later holds) */
    uint64_t mentions, gkg;  /* lines of files of other kinds, skipped */
    uint64_t outside;        /* export files outside the period */
    uint64_t undated;        /* files without a time in their name, left out by a period */
    uint64_t listed;         /* export files of the period */
    uint64_t first_slot;     /* their first and last slot, YYYYMMDDHHMMSS (0: none dated) */
    uint64_t last_slot;
    uint64_t in_store;       /* of the listed, ingested by an earlier run */
    uint64_t wanted;         /* the others: to fetch (with dry_run: would be fetched) */
    uint64_t wanted_bytes;   /* their sizes from the list */
    uint64_t tried_before;   /* of the wanted, tried by an earlier run (failed, rejected or
                                interrupted) */
    uint64_t found;          /* of the wanted, found whole in `dir` (an interrupted run's, or
                                put there by hand): checked, not downloaded */
    uint64_t fetched;        /* downloaded and checked */
    uint64_t fetched_bytes;  /* their sizes */
    uint64_t received;       /* bytes received (downloads that failed or were rejected too) */
    uint64_t ingested;       /* ingested now */
    uint64_t known;          /* checked, but the store held their content already */
    uint64_t rows;           /* rows the ingest read */
    uint64_t rows_rejected;  /* bad rows */
    uint64_t failed;         /* downloads that failed (HTTP error, network, timeout) */
    uint64_t rejected;       /* files whose size or MD5 differs from the list */
};

/*
 * Bring the store up to date from a GDELT file list (see above). Returns 0 when the run went
 * through, even when files failed or were rejected (stats_out says how many; each was
 * reported through diag); `stats_out` may be NULL. Errors: BILAT_EINVAL (bad option: a date,
 * a kind), BILAT_EIO (the list cannot be fetched or read, `dir` cannot be made or is locked by
 * another run), BILAT_ESQL, BILAT_ENOMEM; then the store holds every file ingested before the
 * error, and fetch_file says where each file stands.
 */
int bilat_update_gdelt(bilat_db *db, const struct bilat_update_opts *opts,
                       struct bilat_update_stats *stats_out, struct bilat_err *err);

/* Check the options of bilat_update_gdelt() without doing anything: 0 or BILAT_EINVAL with
 * the reason (a date, a kind, a number out of range, no directory). */
int bilat_update_check(const struct bilat_update_opts *opts, struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * UN votes and alignment measures
 * ------------------------------------------------------------------------------------------ */

/*
 * UN General Assembly votes (docs/MEASURES.md, docs/STORE.md). Countries are ISO3 throughout;
 * vote files with ISO alpha-2 codes are mapped through the store's `country` table, so load
 * data/reference first. Ingesting is one transaction: any bad row (reported through the diag
 * callback as path:line: reason) rolls everything back. Re-ingesting updates rows in place.
 */
struct bilat_unvotes_opts {
    const char *source_id;  /* source of every row (must exist in the store); NULL: the default
                               ('unvotes-pkg' for votes, 'voeten-idealpoints' for ideal points) */
    struct bilat_diag diag; /* one error per bad row; warnings (skipped rows) */
};

struct bilat_unvotes_stats {
    uint64_t files;        /* input files read */
    uint64_t calls;        /* roll calls written */
    uint64_t issues;       /* issue tags written */
    uint64_t votes;        /* votes written (absences included) */
    uint64_t ideal_points; /* country-years written */
    uint64_t skipped;      /* rows skipped on purpose (missing country code, non-member, a
                              duplicate country-year resolved in favour of the other row) */
    uint64_t unflagged;    /* roll calls whose important-vote flag is missing (stored as 0) */
    uint64_t rejected;     /* bad rows */
    uint64_t repeated_tags; /* issue tags of a year that repeat another tag's roll calls exactly
                               (a data error: left out of that year's issue breakdown) */
};

/*
 * Ingest UN vote files: roll calls, issue tags and votes in any order and mix (files are
 * recognised by their header; roll calls are written first so that votes can refer to them).
 * Errors: BILAT_EPARSE (bad rows: nothing written), BILAT_ENOTFOUND (file, source or country
 * table missing), BILAT_EIO, BILAT_ESQL, BILAT_ENOMEM, BILAT_EINVAL (read-only store).
 */
int bilat_unvotes_ingest(bilat_db *db, const char *const *paths, size_t n,
                         const struct bilat_unvotes_opts *opts,
                         struct bilat_unvotes_stats *stats_out, struct bilat_err *err);

/* Ingest Bailey-Strezhnev-Voeten ideal point files (ccode, iso3c, year, idealpointall, ...).
 * Errors as bilat_unvotes_ingest(). */
int bilat_idealpoints_ingest(bilat_db *db, const char *const *paths, size_t n,
                             const struct bilat_unvotes_opts *opts,
                             struct bilat_unvotes_stats *stats_out, struct bilat_err *err);

/* What bilat_undl_ingest() did. */
struct bilat_undl_stats {
    uint64_t files;                  /* input files read */
    uint64_t calls;                  /* roll calls written (records not already in the store) */
    uint64_t matched;                /* records matched to a roll call already in the store */
    uint64_t votes;                  /* votes written */
    uint64_t votes_agreeing;         /* votes already in the store, the same */
    uint64_t votes_differing;        /* votes already in the store, different (the store's kept) */
    uint64_t skipped_sc;             /* rows of Security Council records, left out */
    uint64_t important;              /* roll calls flagged important by the State Department */
    uint64_t important_without_vote; /* important actions adopted without a vote */
    uint64_t important_unmatched;    /* important votes not found among the roll calls */
    uint64_t rejected;               /* bad rows */
};

/*
 * Ingest UN Digital Library voting records (resolutions and votes, or the UN's one-file
 * download) and the State Department's important votes, in one transaction (docs/STORE.md):
 * General Assembly records only; a record already in the store (same symbol, date within 7 days)
 * is matched, never counted twice; NV is stored as 'nonvoting'. Errors: BILAT_EPARSE (bad rows,
 * each reported through opts->diag; nothing ingested), BILAT_ENOTFOUND, BILAT_EIO, BILAT_ESQL,
 * BILAT_ENOMEM. `opts->source_id` is not used (the sources are undl-voting and
 * usdos-voting-practices).
 */
int bilat_undl_ingest(bilat_db *db, const char *const *paths, size_t n,
                      const struct bilat_unvotes_opts *opts, struct bilat_undl_stats *stats_out,
                      struct bilat_err *err);

/* The alignment measures (docs/MEASURES.md has each formula and worked examples). */
enum bilat_vote_measure {
    BILAT_VOTE_AGREE = 0, /* Voeten: same vote 1, abstain against yes or no 0.5, yes/no 0 */
    BILAT_VOTE_EXACT,     /* share of identical votes */
    BILAT_VOTE_S,         /* Signorino-Ritter S, absolute distance, d_max fixed at 2 */
    BILAT_VOTE_PI,        /* Scott's pi (Hage 2011), absolute distance */
    BILAT_VOTE_KAPPA,     /* Cohen's kappa (Hage 2011), absolute distance */
    BILAT_VOTE_IDEAL,     /* absolute distance of ideal points (Bailey-Strezhnev-Voeten) */
};

/* Measure by name ("agree", "exact", "s", "pi", "kappa", "ideal"): 0 or BILAT_EINVAL. */
int bilat_vote_measure_parse(const char *name, enum bilat_vote_measure *out);
/* Name of a measure (static). */
const char *bilat_vote_measure_name(enum bilat_vote_measure m);

enum bilat_vote_by {
    BILAT_VOTE_BY_YEAR = 0, /* calendar year of the roll call's date */
    BILAT_VOTE_BY_SESSION,  /* General Assembly session (Voeten's `year` = session + 1945) */
};

/* The ideal-point estimates of Bailey, Strezhnev and Voeten's file. */
enum bilat_ideal_variant {
    BILAT_IDEAL_ALL = 0,    /* idealpointall: every vote */
    BILAT_IDEAL_FP = 1,     /* idealpointfp: first-pass estimates */
    BILAT_IDEAL_LEGACY = 2, /* idealpointlegacy: the older method */
};

/* Which roll calls count. `from`/`to` are years (0 = open); by session, a session counts when
 * session + 1945 lies in [from, to]. */
struct bilat_vote_filter {
    enum bilat_vote_measure measure;
    enum bilat_vote_by by;
    int from, to;
    const char *issue;  /* issue code ("me", "hr", ...) or name, or NULL for all roll calls */
    int important_only; /* only roll calls flagged important */
    enum bilat_ideal_variant ideal_variant; /* which ideal-point estimates */
    double ci_level;    /* > 0: bootstrap intervals at this level (e.g. 0.95); 0: none */
    int ci_reps;        /* bootstrap resamples (0: 1000) */
    unsigned long ci_seed; /* generator seed; the same seed gives the same interval */
};

/* Defaults of the bootstrap over roll calls (docs/MEASURES.md). */
#define BILAT_VOTE_CI_REPS 1000
#define BILAT_VOTE_CI_SEED 20230328UL

/*
 * One value of a measure. A value that cannot be computed (no shared votes, or a chance-
 * corrected measure with no variation to correct for) has has_value 0 and `why` says so; it is
 * never NaN. Strings are valid during the callback only. `n` is the number of roll calls both
 * countries voted on (yes, no or abstain; absences and non-membership never count); for
 * `ideal`, the smaller of the two countries' vote counts behind their estimates (-1 when the
 * file gives none or a country has no estimate).
 */
struct bilat_vote_value {
    const char *a, *b; /* ISO3 */
    int period;        /* year or session; 0 for a pooled period */
    int64_t n;
    double value;
    int has_value;
    const char *why;   /* when !has_value: the reason, valid during the callback; else NULL */
    double lo, hi;     /* bootstrap interval of the value, when has_ci */
    int has_ci;
    const char *seat;  /* who held a seat in this period when not the state of today
                        * ("KHM: Democratic Kampuchea"), or NULL; valid during the callback */
};

/* Row callback: return 0 to go on, anything else to stop (the call then returns it). */
typedef int bilat_vote_value_fn(void *ctx, const struct bilat_vote_value *v);

/*
 * The series of a measure for countries a and b, one value per period from the first to the
 * last period with roll calls (or ideal points) in the store within the filter's years; periods
 * without shared votes are reported with has_value 0. Errors: BILAT_ENOTFOUND (unknown
 * country or issue), BILAT_EINVAL, BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_votes_series(bilat_db *db, const char *a, const char *b,
                       const struct bilat_vote_filter *f, bilat_vote_value_fn *fn, void *ctx,
                       struct bilat_err *err);

/*
 * Every pair of countries (a < b in ISO3 order) in every period, periods in order: pairs with
 * no shared vote in a period are left out. Fast: the whole vote table is read once into bit sets.
 */
int bilat_votes_all_pairs(bilat_db *db, const struct bilat_vote_filter *f,
                          bilat_vote_value_fn *fn, void *ctx, struct bilat_err *err);

/* One row of a ranking: where country b stands among a's partners. */
struct bilat_vote_rank {
    int rank;             /* 1 = most aligned; ties share the best rank; 0 = not ranked */
    int ranked;           /* number of countries ranked */
    const char *country;  /* ISO3 of the partner */
    const char *name;     /* its name */
    int64_t n;            /* shared votes (see bilat_vote_value) */
    double value;
    int has_value;
    const char *why;      /* why not ranked, when rank is 0 (valid during the callback) */
    int rank_lo, rank_hi; /* bootstrap interval of the rank (best, worst), when has_ci */
    double lo, hi;        /* bootstrap interval of the value, when has_ci */
    int has_ci;
    const char *seat;     /* who held the partner's seat in the period when not the state of
                           * today, or NULL (as in bilat_vote_value) */
};

typedef int bilat_vote_rank_fn(void *ctx, const struct bilat_vote_rank *r);

/*
 * Rank every country by its alignment with `a` over the filter's years pooled into one period
 * (from..to, both required). `bloc` ("ASEAN") keeps the bloc's members as of the period's end,
 * or NULL for all. Countries with fewer than `min_n` shared votes, or without a value, are
 * listed unranked. Rows come in rank order, unranked last. For `ideal` the smallest distance
 * ranks first and the period must be one year.
 */
int bilat_votes_rank(bilat_db *db, const char *a, const struct bilat_vote_filter *f,
                     const char *bloc, int64_t min_n, bilat_vote_rank_fn *fn, void *ctx,
                     struct bilat_err *err);

/*
 * Number of roll calls in the filter's years (and issue) whose important-vote flag is missing
 * in the source: `important_only` cannot see them. Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_votes_unflagged(bilat_db *db, const struct bilat_vote_filter *f, int64_t *n_out,
                          struct bilat_err *err);

/* A roll call on which two countries voted differently. */
struct bilat_vote_split {
    int64_t rcid;
    const char *date, *resolution, *title; /* may be NULL */
    int session;
    int important;
    const char *issues;       /* issue codes, comma-separated, or "" */
    const char *a_vote, *b_vote; /* yes, no, abstain */
    const char *source_id;    /* the roll call's source, or NULL */
};

typedef int bilat_vote_split_fn(void *ctx, const struct bilat_vote_split *s);

/*
 * Who held country iso3's UN seat over the years [from, to] when it was not the state of today
 * (table un_seat, data/reference/un_seats.tsv): "Democratic Kampuchea 1975-1982; Coalition
 * Government of Democratic Kampuchea 1982-1990", or "" when the state of today held it
 * throughout (or the store has no seat table). Errors: BILAT_ESQL.
 */
int bilat_votes_seat(bilat_db *db, const char *iso3, int from, int to, char *out, size_t len,
                     struct bilat_err *err);

/*
 * The first year from which the state of today has held country iso3's UN seat without another
 * regime holding it later (a vacancy does not count as another regime): 1993 for Cambodia,
 * 1971 for China; 0 when the seat table says nothing about the country. Errors: BILAT_ESQL.
 */
int bilat_votes_seat_since(bilat_db *db, const char *iso3, int *year_out, struct bilat_err *err);

/* The roll calls (in the filter's years, issue, importance) on which a and b both voted and
 * voted differently, in date order. */
int bilat_votes_splits(bilat_db *db, const char *a, const char *b,
                       const struct bilat_vote_filter *f, bilat_vote_split_fn *fn, void *ctx,
                       struct bilat_err *err);

/*
 * Lead and lag: does x in year t go with y in year t + k? Pearson correlation for every lag k
 * in [-max_lag, max_lag] with a moving-block bootstrap interval (docs/MEASURES.md). An
 * association, never a cause. Series names: party_intensity, exchange_intensity, visit_index,
 * party_share, agree, exact, s, pi, kappa, ideal, or indicator:NAME (indicator of a with
 * partner b).
 */
struct bilat_leadlag_opts {
    const char *a, *b;     /* actor codes (countries for vote series) */
    const char *x, *y;     /* series names */
    int max_lag;           /* 0..10 */
    int from, to;          /* years, 0 = open */
    int reps;              /* bootstrap resamples (e.g. 2000) */
    unsigned long seed;    /* random seed (results are reproducible for a seed) */
    int64_t min_n;         /* vote series: years with fewer shared votes are left out */
    double level;          /* interval level, e.g. 0.95 */
};

struct bilat_leadlag_row {
    int lag;          /* k: x in year t against y in year t + k */
    int n;            /* years paired */
    double r;         /* correlation, valid when has_r */
    double lo, hi;    /* bootstrap interval, valid when has_ci */
    int has_r, has_ci;
    int first, last;  /* years of x paired (t) */
    const char *why;  /* static text when !has_r or !has_ci */
};

typedef int bilat_leadlag_fn(void *ctx, const struct bilat_leadlag_row *r);

int bilat_leadlag(bilat_db *db, const struct bilat_leadlag_opts *o, bilat_leadlag_fn *fn,
                  void *ctx, struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * Event coder
 *
 * English news sentences to CAMEO events (docs/CODER.md): dictionaries of actors (countries,
 * parties, persons with time-bounded roles), role words (such as "foreign minister") and verb
 * patterns per CAMEO code are loaded once; each input line is split into sentences and each
 * sentence gives zero, one or several events, or a reason why it gave none. A coder is used by
 * one thread at a time; the strings it hands out are valid until its next coding call.
 * ------------------------------------------------------------------------------------------ */

typedef struct bilat_coder bilat_coder;

enum bilat_coder_flags {
    BILAT_CODER_EXPLAIN = 1, /* keep a readable trace of how each sentence was coded */
    BILAT_CODER_MONADIC = 2, /* also give events that have a source but no target */
    BILAT_CODER_NAMES = 4,   /* count capitalised names no dictionary knows */
};

struct bilat_coder_opts {
    const char *const *dicts; /* dictionary directories or files; later ones take priority */
    size_t ndicts;            /* number of dicts */
    const char *cameo_path;   /* the CAMEO table (data/reference/cameo.tsv) giving Goldstein
                                 values and quad classes; NULL: none (values left empty) */
    unsigned flags;           /* enum bilat_coder_flags */
    struct bilat_diag diag;   /* bad dictionary lines (load), input warnings (coding) */
};

/*
 * Load the dictionaries and make a coder; caller frees *coder_out with bilat_coder_free().
 * Every bad dictionary line is reported through opts->diag ("file:line: reason") and the load
 * then fails with BILAT_EPARSE. Errors: BILAT_EPARSE, BILAT_EIO, BILAT_ENOMEM.
 */
int bilat_coder_new(const struct bilat_coder_opts *opts, bilat_coder **coder_out,
                    struct bilat_err *err);

/* Free a coder; NULL does nothing. */
void bilat_coder_free(bilat_coder *c);

/* What the loaded dictionaries hold, and how long loading took. */
struct bilat_coder_stats {
    size_t actors, names, roles, groups, forms, patterns, synsets, discards, rules, words;
    double load_ms; /* wall-clock time of bilat_coder_new() */
};

void bilat_coder_stats(const bilat_coder *c, struct bilat_coder_stats *out);

enum bilat_event_flags {
    BILAT_EVENT_PASSIVE = 1,  /* from a passive clause ("was condemned by X") */
    BILAT_EVENT_REPORTED = 2, /* inside reported speech ("X said Y would ...") */
    BILAT_EVENT_INTENT = 4,   /* future or intent ("will visit"): mapped to an intent code */
    BILAT_EVENT_REVERSE = 8,  /* the reverse event of a paired code (042:043 gives 043 too) */
};

/* One coded event. Every pointer is borrowed (valid until the coder's next coding call); the
 * *_text fields point into the input and are not NUL-terminated. */
struct bilat_coded_event {
    const char *date;          /* ISO date at its precision ("2022-08"), "" when unknown */
    const char *source;        /* CAMEO actor code of the source at that date (KHMMIL) */
    const char *target;        /* of the target; "" for a monadic event */
    const char *source_entity; /* named actor of the source (KHMHUNMANET), or "" */
    const char *target_entity; /* named actor of the target, or "" */
    const char *source_name;   /* display name of the source's dictionary entry, or "" */
    const char *target_name;   /* display name of the target's dictionary entry, or "" */
    const char *source_kind;   /* kind of the named source (person, party, state, ...), or "" */
    const char *target_kind;   /* kind of the named target, or "" */
    const char *cameo;         /* CAMEO event code ("057") */
    double goldstein;          /* Goldstein value from the CAMEO table, NAN when not in it */
    int quad;                  /* quad class 1..4 from the CAMEO table, 0 when not in it */
    const char *source_text;   /* words of the source */
    size_t source_len;
    const char *target_text;   /* words of the target */
    size_t target_len;
    const char *verb_text;     /* the verb */
    size_t verb_len;
    const char *source_entry;  /* "file:line" of the source's dictionary entry */
    const char *target_entry;  /* "file:line" of the target's dictionary entry */
    const char *pattern;       /* "file:line CODE ELEMENTS" of the pattern that fired, or
                                  "file:line verb NAME CODE" when the verb's default code did */
    unsigned flags;            /* enum bilat_event_flags */
};

/* One sentence and what the coder made of it (borrowed, valid during the callback). */
struct bilat_coded_sentence {
    const char *id;         /* "LINE" or "LINE.N" (N-th sentence of the line, from 1), or
                               "ID" / "ID.N" when the input gave an id */
    uint64_t line;          /* input line number */
    size_t index;           /* sentence number in the line, from 0 */
    size_t count;           /* sentences in the line */
    uint64_t line_hash;     /* 64-bit hash of the input line (a stable key for storing) */
    const char *text;       /* the sentence (not NUL-terminated) */
    size_t len;
    const char *line_date;  /* the line's date, "" when it had none */
    const struct bilat_coded_event *events;
    size_t nevents;
    const char *uncoded;    /* why there is no event (when nevents == 0), else NULL */
    const char *explain;    /* the trace with BILAT_CODER_EXPLAIN, else NULL */
};

/* Called for each sentence (may be NULL: nothing is reported); a non-zero return stops the
 * coding call, which returns it. */
typedef int bilat_sentence_fn(void *ctx, const struct bilat_coded_sentence *s);

/*
 * Code one input line: "YYYY-MM-DD<TAB>text" (also YYYY-MM or YYYY) or just "text". The text is
 * split into sentences and `fn` is called for each. Empty lines give no call. Problems with the
 * input (bad date, invalid UTF-8, binary data, a sentence too long to code) are reported as
 * warnings through the diag callback with `path` and `lineno`; such lines are coded as far as
 * possible or skipped, never fatal. Returns 0, BILAT_ENOMEM, or what `fn` returned.
 */
int bilat_coder_line(bilat_coder *c, const char *line, size_t len, const char *path,
                     uint64_t lineno, bilat_sentence_fn *fn, void *ctx, struct bilat_err *err);

/* The same for text whose id and date are given apart (JSON input); id and date may be NULL. */
int bilat_coder_text(bilat_coder *c, const char *id, const char *date, const char *text,
                     size_t len, const char *path, uint64_t lineno, bilat_sentence_fn *fn,
                     void *ctx, struct bilat_err *err);

/* With BILAT_CODER_NAMES: call fn(ctx, name, count) for every unknown capitalised name seen
 * so far, most frequent first (ties by name). A non-zero return stops and is returned. */
typedef int bilat_name_fn(void *ctx, const char *name, uint64_t count);
int bilat_coder_unknown_names(bilat_coder *c, bilat_name_fn *fn, void *ctx,
                              struct bilat_err *err);

/* Precision, recall and F1 of one comparison. */
struct bilat_coder_score {
    uint64_t tp, fp, fn;
    double precision, recall, f1; /* 0 when undefined */
};

/* Evaluation against a gold file (docs/CODER.md: id, date, expected events, text). */
struct bilat_coder_eval {
    uint64_t sentences;         /* gold sentences */
    uint64_t gold_events;       /* expected events */
    uint64_t coded_events;      /* events the coder gave */
    struct bilat_coder_score root;   /* on the CAMEO root code (first two digits) */
    struct bilat_coder_score triple; /* on (source country, target country, root) */
    uint64_t extra_events;      /* sum over sentences of max(0, coded - expected) */
    double extra_per_sentence;  /* extra_events / sentences */
    uint64_t exact;             /* sentences whose triples all match, nothing extra */
    uint64_t party_sentences;   /* sentences whose expected events have a party actor (a code
                                   with the role PTY) */
    uint64_t party_right;       /* of those: every expected party actor is coded with its
                                   country and the role PTY, and no coded actor is of a country
                                   the expected events do not name */
};

/* Called per gold sentence: its id, text, expected and coded events ("SRC|TGT|CODE;...") and
 * whether every triple matched with nothing extra. */
typedef int bilat_eval_fn(void *ctx, const char *id, const char *text, const char *expected,
                          const char *coded, int exact);

/*
 * Score the coder on a gold file. Bad gold lines are errors (file:line through diag) and fail
 * with BILAT_EPARSE. `fn` may be NULL. The gold file is tab-separated with a header naming the
 * columns id, date, events (or expected_events: the flattened PETRARCH validation files) and
 * text; dates are YYYY-MM-DD (or YYYYMMDD), YYYY-MM or YYYY; other columns are ignored.
 */
int bilat_coder_eval(bilat_coder *c, const char *gold_path, bilat_eval_fn *fn, void *ctx,
                     struct bilat_coder_eval *out, struct bilat_err *err);

/* Which records of a gold file an evaluation reads. */
enum bilat_coder_part {
    BILAT_PART_ALL = 0,     /* every record */
    BILAT_PART_DEV = 1,     /* the development half: bit 40 of the 64-bit FNV-1a hash of the
                               record's id is 0 */
    BILAT_PART_HELDOUT = 2, /* the held-out half: that bit is 1 */
};

/*
 * bilat_coder_eval() on one part of the gold file (enum bilat_coder_part): a split by record
 * id that stays the same whatever the order or the other records of the file, so that a set
 * never written for bilat can be divided into a half to develop on and a half held out.
 */
int bilat_coder_eval_part(bilat_coder *c, const char *gold_path, int part, bilat_eval_fn *fn,
                          void *ctx, struct bilat_coder_eval *out, struct bilat_err *err);

/* One country of a silver evaluation (or the total over the countries). */
struct bilat_coder_silver_row {
    char *country;      /* the name in the file (owned by the result) */
    char code[8];       /* its country code from the dictionaries, "" when they do not know it */
    uint64_t sentences; /* records (lines) of this country */
    uint64_t coded;     /* records that gave at least one event */
    uint64_t china;     /* coded records with a Chinese actor (CHN...) in an event */
    uint64_t partner;   /* coded records with an actor of the country in an event */
    uint64_t both;      /* coded records with both: China and the country among the actors */
    uint64_t dyad;      /* coded records with an event between China and the country */
    uint64_t other;     /* coded records with an actor of neither (a third country, an IGO) */
};

/* The result of bilat_coder_eval_silver(): per country in the file's order of first
 * appearance, and the total. Release with bilat_coder_silver_release(). */
struct bilat_coder_silver {
    struct bilat_coder_silver_row *rows;
    size_t nrows;
    struct bilat_coder_silver_row total; /* country "all", code "" */
};

/*
 * Score the coder on a silver set of Chinese leaders' engagements (the ChinaVitae layout: CSV
 * with a header naming at least the columns date, country and text): each record is one
 * engagement of a Chinese leader with the country of its `country` column, so it should give
 * events with China on one side and that country on the other. Country names are resolved
 * through the coder's dictionaries (the first three letters of the name's code). `countries`
 * (may be NULL) restricts the evaluation to those names (compared without case); records of
 * other countries are skipped. `fn` (may be NULL) is called per record with the record's line
 * number as id, "CHN+<code>" as expected, the coded events and whether the record had both
 * actors. Bad CSV records and a missing column are errors (file:line through diag) and fail
 * with BILAT_EPARSE; a country name that no dictionary knows is reported as a warning and its
 * records count as wrong. On success the caller releases *out with bilat_coder_silver_release().
 */
int bilat_coder_eval_silver(bilat_coder *c, const char *path, const char *const *countries,
                            size_t ncountries, bilat_eval_fn *fn, void *ctx,
                            struct bilat_coder_silver *out, struct bilat_err *err);

/* Free the rows of a silver result; a zeroed result does nothing. */
void bilat_coder_silver_release(struct bilat_coder_silver *s);

/* Storing coded events (docs/STORE.md, table coded_event). */
typedef struct bilat_code_store bilat_code_store;

struct bilat_code_store_stats {
    uint64_t events;   /* events written (new or updated) */
    uint64_t removed;  /* events of re-coded lines that the coder no longer gives */
    uint64_t actors;   /* actor rows created in dataset 'coded' */
    uint64_t undated;  /* events not stored because their date is unknown */
};

/*
 * Begin writing coded events into the store (one transaction). `input` names the input (file
 * name or "-") for the locator. Events are keyed by a hash of their input line, the sentence
 * and event number, so coding the same input again updates rows instead of adding them.
 * Caller ends with bilat_code_store_finish(). Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_code_store_begin(bilat_db *db, const char *input, bilat_code_store **out,
                           struct bilat_err *err);

/* Write the events of one sentence (usable as a bilat_sentence_fn body). */
int bilat_code_store_sentence(bilat_code_store *st, const struct bilat_coded_sentence *s,
                              struct bilat_err *err);

/* Commit (commit != 0) or roll back, fill `stats` (may be NULL) and free the handle. */
int bilat_code_store_finish(bilat_code_store *st, int commit,
                            struct bilat_code_store_stats *stats, struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * Independent evidence: leaders' engagements and visits, speeches, finance projects
 * ------------------------------------------------------------------------------------------ */

/*
 * Datasets read by `bilat ingest chinavitae|ceias|aiddata-fd|ungdc` (docs/EVENTS.md, "Leaders'
 * engagements, speeches and finance projects"; tables in docs/STORE.md):
 *   CHINAVITAE  Chinese leaders' engagements 2003-2018, one English sentence each: every
 *               sentence is coded by the event coder (the file's leader as the Chinese side, the
 *               counterparts of the file's country as the other); a row the coder cannot read as
 *               China and that country still gives an engagement record (CAMEO 04), marked
 *               uncoded with the reason. Events with origin 'imported'.
 *   CEIAS       visits abroad of Chinese presidents and premiers 1949-2020: visit events at year
 *               precision, origin 'imported'.
 *   AIDDATA_FD  Chinese financial diplomacy projects 2000-2017: table finance_project.
 *   UNGDC       UN General Debate statements: tables speech and speech_term (the vocabulary
 *               terms each statement uses, docs/MEASURES.md).
 * One transaction per run. A bad row is reported through the diag callback (path, line,
 * reason) and left out; the good rows are kept. Re-ingesting a file replaces the rows that came
 * from a file of the same name, so reloads never duplicate. Countries are matched by name
 * through the store's country and country_alias tables, and sources must exist: load
 * data/reference and data/series first.
 */
enum bilat_evidence_kind {
    BILAT_EVIDENCE_CHINAVITAE = 0,
    BILAT_EVIDENCE_CEIAS = 1,
    BILAT_EVIDENCE_AIDDATA_FD = 2,
    BILAT_EVIDENCE_UNGDC = 3,
};

/* The kind's name on the command line ("chinavitae", "ceias", "aiddata-fd", "ungdc"), its default
 * source id, and the file's path under the shared data directory of `--external` (static). */
const char *bilat_evidence_kind_name(enum bilat_evidence_kind k);
const char *bilat_evidence_default_source(enum bilat_evidence_kind k);
const char *bilat_evidence_external_path(enum bilat_evidence_kind k);

struct bilat_evidence_opts {
    const char *source_id;  /* source of every row (must exist); NULL: the kind's default */
    bilat_coder *coder;     /* CHINAVITAE only (required): codes the sentences; borrowed */
    struct bilat_diag diag; /* one error per bad row; warnings */
};

struct bilat_evidence_stats {
    uint64_t files;    /* files read */
    uint64_t rows;     /* data rows read (bad ones included) */
    uint64_t rejected; /* bad rows, reported and left out */
    uint64_t events;   /* events written (CHINAVITAE, CEIAS) */
    uint64_t coded;    /* of those, coded by the event coder */
    uint64_t uncoded;  /* engagement records: the coder's reading did not fit the row */
    uint64_t speeches; /* speeches written (UNGDC) */
    uint64_t terms;    /* speech-term rows written (UNGDC) */
    uint64_t projects; /* finance projects written (AIDDATA_FD) */
    uint64_t actors;   /* actor rows added */
    uint64_t replaced; /* rows of an earlier ingest of the same files, replaced */
};

/*
 * Ingest files of one kind. Errors: BILAT_EINVAL (no coder for CHINAVITAE, read-only store),
 * BILAT_ENOTFOUND (file or source missing, no country table), BILAT_EPARSE (a file's header is
 * not the format's: nothing written), BILAT_EIO, BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_evidence_ingest(bilat_db *db, enum bilat_evidence_kind kind,
                          const char *const *paths, size_t n,
                          const struct bilat_evidence_opts *opts,
                          struct bilat_evidence_stats *stats_out, struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * Claims, networks, narratives, web server
 * ------------------------------------------------------------------------------------------ */

/*
 * Claims (docs/CLAIMS.md): a brief's statements written as checks over the store, each judged
 * on a five-step scale: supported (independent evidence meets the expectation with its
 * uncertainty), restates (the only evidence is the claim's own source), not shown (independent
 * evidence that does not establish it), contradicted (the evidence establishes the opposite) or
 * not checkable (and why); with the measured value and its interval, the evidence rows and their
 * sources, and whether the brief states the claim or the claim is our reading of it. A check
 * that fails to run (bad SQL, a missing table, a measure error) is an error of that claim: it is
 * reported through `diag` with the claim id and counted in `errors`, never skipped silently.
 * Claims are templates: their checks name the dyad as :a and :b (and the peers as :peers), so
 * that `as_a`/`as_b` judge the same claims for another dyad.
 */
struct bilat_claims_summary {
    size_t claims;        /* claims judged (groups included) */
    size_t supported;     /* independent evidence meets the expectation with its uncertainty */
    size_t restates;      /* every evidence row comes from the claim's own source */
    size_t not_shown;     /* independent evidence that does not establish the expectation */
    size_t contradicted;  /* the evidence establishes the opposite */
    size_t not_checkable; /* the data cannot decide (the reason is given) */
    size_t errors;        /* checks that failed to run */
};

struct bilat_claims_opts {
    const char *file;       /* a claims TSV to judge instead of the stored claims, or NULL */
    const char *a;          /* only claims about this dyad (compared by country), or NULL */
    const char *b;          /* the other side, or NULL */
    const char *id;         /* only this claim and its parts, or NULL */
    int evidence;           /* text output: print every claim's evidence table */
    struct bilat_diag diag; /* bad rows of `file` (path, line), failing checks (msg names the id) */
    const char *as_a;       /* judge every claim with sides for this dyad instead (its :a) ... */
    const char *as_b;       /* ... and its :b; both or neither */
    const char *peers;      /* peers of the comparative expectations: a bloc or ISO3 list;
                             * NULL: the ASEAN members other than the dyad's sides */
};

/*
 * Judge the claims. Formats: JSON and JSON_COMPACT (the document: {"summary", "sections":
 * [claims section], "sources"}), TEXT (a summary line, a verdict table, then one block per
 * claim). `sum_out` may be NULL. Returns 0 even when checks failed (see sum_out->errors);
 * BILAT_EPARSE when `file` has bad rows (each reported through diag, nothing judged);
 * BILAT_ENOTFOUND for an unknown `id`; BILAT_EINVAL (format).
 */
int bilat_claims_render(bilat_db *db, const struct bilat_claims_opts *o, enum bilat_format format,
                        char **out, struct bilat_claims_summary *sum_out, struct bilat_err *err);

/*
 * The elite network of a dyad (docs/PROFILE.md): persons and organisations of both sides as
 * nodes, meetings and visits between them (curated and coded events) as edges, with degree and
 * betweenness centrality (igraph), and the next-generation signal: meetings of the other
 * side's actors with a person before that person took a leading office.
 */
struct bilat_network_opts {
    const char *a, *b;               /* the dyad (as for profiles) */
    int from, to;                    /* years, 0 for open ends */
    int edges;                       /* CSV: the edge list instead of the nodes */
};

/* The network as TEXT (aligned tables), JSON or JSON_COMPACT (the sections document), CSV (one
 * table: the nodes, or the edges with `edges`) or DOT (Graphviz).
 * Errors: BILAT_EINVAL, BILAT_ENOTFOUND (actors), BILAT_ESQL, BILAT_ENOMEM. */
int bilat_network_render(bilat_db *db, const struct bilat_network_opts *o,
                         enum bilat_format format, char **out, struct bilat_err *err);

/*
 * A comparison across partners (docs/PROFILE.md): sides a[0..na) beside one another on every
 * dimension the store holds of their relation with partner b: UN agreement and ideal-point
 * distance, splits on important votes, elite contacts (ChinaVitae, CEIAS, AidData), official
 * finance and financial diplomacy, debt, trade, speech vocabulary, curated party records. One
 * section per dimension: every side's value with its interval where the measure has one, its N,
 * period, sources and the command listing its records, ranked; no composite index.
 *
 * Two other views put the dyads (a[i], b) on the same axes, as one section with a chart of one
 * line per dyad; a side may then be a bloc of the store (ASEAN: the mean of its members, year
 * by year): BILAT_COMPARE_VOTES, the yearly UN agreement by `measure` (years with fewer than 5
 * shared roll calls missing); BILAT_COMPARE_SECTION, the profile section `section` of each
 * dyad reduced to one value per `x` (its `y` summed, or averaged with `agg` "mean").
 */
enum bilat_compare_view {
    BILAT_COMPARE_PARTNERS = 0, /* every dimension (bilat compare) */
    BILAT_COMPARE_VOTES = 1,    /* yearly UN agreement, one line per dyad */
    BILAT_COMPARE_SECTION = 2,  /* one profile section, one line per dyad */
};

struct bilat_compare_opts {
    const char *const *a; /* the sides (actor codes or ISO3; blocs in the other views) */
    size_t na;            /* 1 to 40 */
    const char *b;        /* the partner */
    int from, to;         /* years */
    const char *dimension; /* PARTNERS: one dimension only (its id), or NULL for all */
    enum bilat_compare_view view;
    enum bilat_vote_measure measure; /* VOTES: the measure (not ideal) */
    const char *section, *x, *y, *agg; /* SECTION: section id, its x and y columns, "sum" (or
                                          NULL) or "mean" */
};

/* The comparison as TEXT (aligned tables and the sources), JSON or JSON_COMPACT (the sections
 * document) or CSV (PARTNERS: one long table: dimension, rank, country, value, lo, hi, ...;
 * the other views: their section). Errors: BILAT_EINVAL, BILAT_ENOTFOUND (unknown actor,
 * dimension or section), BILAT_ESQL, BILAT_ENOMEM. */
int bilat_compare_render(bilat_db *db, const struct bilat_compare_opts *o,
                         enum bilat_format format, char **out, struct bilat_err *err);

/*
 * Narratives of a dyad: the concepts owned by each side with their dates, principles and
 * endorsements, and for every pair of concepts of the two sides the overlap of their principle
 * sets (Jaccard index, shared principles and those of one side only). Formats: TEXT, JSON,
 * JSON_COMPACT. The narratives have no period: o->from and o->to must be 0 (BILAT_EINVAL).
 */
int bilat_narratives_render(bilat_db *db, const struct bilat_profile_opts *o,
                            enum bilat_format format, char **out, struct bilat_err *err);

/*
 * BibTeX entries (format BIBTEX) for bilat itself and for every source of the store; with a
 * dyad (a and b not NULL), for the sources its profile cites.
 */
int bilat_cite_render(bilat_db *db, const char *a, const char *b, enum bilat_format format,
                      char **out, struct bilat_err *err);

/* ---------------------------------------------------------------------------------------------
 * What the web server shows: lists, events, single writes and pages (docs/API.md)
 * ------------------------------------------------------------------------------------------ */

/* Every actor of the store, and every country with votes or indicators, with its number of
 * events (what a dyad chooser offers): the section "actors". Formats: JSON, JSON_COMPACT (the
 * section), CSV, TEXT. Errors: BILAT_ESQL, BILAT_ENOMEM. */
int bilat_actors_render(bilat_db *db, enum bilat_format format, char **out,
                        struct bilat_err *err);

/* The store's records (table event: curated, coded and imported) that match filters, a page at a
 * time, each with its source. */
struct bilat_events_query {
    const char *a, *b;   /* a dyad (sides as in a profile: either direction, and one-sided
                            records of either side), or both NULL for every record */
    int from, to;        /* years the record's span overlaps; 0 for open ends */
    const char *channel, *mode, *level, *origin; /* exact values, or NULL for any */
    const char *text;    /* found as written (no wildcards) in the note, the place or an
                            actor's name, or NULL */
    long page, per_page; /* page `page` (from 1) of `per_page` records, by date and ref */
};

/*
 * The records of a query as a document: {"total", "page", "per_page", "pages", "events":
 * [{ref, date_from, date_to, precision, source, source_name, target, target_name, cameo,
 * goldstein, quad, channel, mode, level, quantity, unit, place, note, source_id, locator,
 * origin, dataset}]}. Formats: JSON, JSON_COMPACT. Errors: BILAT_EINVAL, BILAT_ENOTFOUND (the
 * dyad's codes), BILAT_ESQL, BILAT_ENOMEM.
 */
int bilat_events_render(bilat_db *db, const struct bilat_events_query *q,
                        enum bilat_format format, char **out, struct bilat_err *err);

/* One curated record, with the fields of events.tsv (docs/DATA-FORMAT.md); NULL = empty. */
struct bilat_event_fields {
    const char *ref, *date_from, *date_to, *precision, *source, *target, *cameo, *channel,
        *mode, *level, *quantity, *unit, *place, *note, *source_id, *locator;
};

/* A source, with the fields of sources.tsv; NULL = empty. */
struct bilat_source_fields {
    const char *id, *title, *author, *publisher, *date, *url, *license, *note;
};

/*
 * Add one curated record outside a dataset load (the web server's POST /api/events), in one
 * write transaction, under the rules of events.tsv; it lands in the dataset "api", which no
 * `bilat load` prunes. When `src` is not NULL and src->id is not in the store, the source is
 * added first (its id must be e->source_id). Without e->ref a ref "api-N" is given. On success
 * ref_out (64 bytes) gets the ref and *id_out the record's row id. Errors: BILAT_EINVAL with
 * the reason (a bad field; *conflict_out set to 1 when the ref exists already), BILAT_ESQL,
 * BILAT_EIO, BILAT_ENOMEM.
 */
int bilat_event_add(bilat_db *db, const struct bilat_event_fields *e,
                    const struct bilat_source_fields *src, char ref_out[64], int64_t *id_out,
                    int *conflict_out, struct bilat_err *err);

/*
 * Delete the record `ref` that was added with bilat_event_add(), in one write transaction: with
 * it goes a source so added that no record cites any more. On success *id_out gets the deleted
 * row's id. Errors: BILAT_ENOTFOUND (no curated record with this ref), BILAT_EINVAL (the record
 * belongs to a curated dataset: `owner_out`, 64 bytes, gets its name), BILAT_ESQL, BILAT_EIO,
 * BILAT_ENOMEM.
 */
int bilat_event_delete(bilat_db *db, const char *ref, int64_t *id_out, char owner_out[64],
                       struct bilat_err *err);

/* The web server's HTML pages (docs/API.md), each a whole document. */
enum bilat_page {
    BILAT_PAGE_HOME = 0,     /* choose two actors; the dyads that records join */
    BILAT_PAGE_PROFILE = 1,  /* a dyad's profile with a period form (a, b, from, to) */
    BILAT_PAGE_CLAIMS = 2,   /* the claims, all or of a dyad (a and b, or neither) */
    BILAT_PAGE_EVENTS = 3,   /* the records of a query, a page at a time (events) */
    BILAT_PAGE_CLUSTERS = 4, /* the clusters behind a figure of the event data (clusters) */
    BILAT_PAGE_COMPARE = 5,  /* partners of b compared (sides, b, from, to) */
    BILAT_PAGE_REPORT = 6,   /* the self-contained report (a, b, from, to) */
};

struct bilat_page_opts {
    const char *a, *b;     /* the dyad (actor codes, checked), or NULL */
    int from, to;          /* years, 0 for open ends */
    const char *sides;     /* COMPARE: the sides as given (codes or a bloc, comma-separated),
                              or NULL for the partner's ASEAN partners; b NULL: China */
    const struct bilat_events_query *events; /* EVENTS: the query */
    const bilat_clusters *clusters;          /* CLUSTERS: what bilat_clusters_find() found */
    /* The request's parameters as sent (NULL when absent), written back into the page's forms
     * and links (filters, paging); `param` may be NULL. */
    const char *(*param)(void *ctx, const char *name);
    void *param_ctx;
};

/*
 * Render a page; caller frees *html_out with bilat_free(). Every piece of data is escaped.
 * Errors: those of the page's document (BILAT_EINVAL, BILAT_ENOTFOUND for a bad or unknown
 * actor), BILAT_ESQL (a query that failed: no page is cut short), BILAT_ENOMEM.
 */
int bilat_page_render(bilat_db *db, enum bilat_page page, const struct bilat_page_opts *o,
                      char **html_out, struct bilat_err *err);

/* The pages' static files: "bilat.css" (the report's style and the pages' own) and "app.js"
 * (their one script); caller frees *out with bilat_free(), *type_out gets the Content-Type
 * (static). Errors: BILAT_ENOTFOUND (another name), BILAT_ENOMEM. */
int bilat_page_static(const char *name, char **out, const char **type_out,
                      struct bilat_err *err);

/*
 * The web server (docs/API.md): HTML pages and a JSON API over one store, on libmicrohttpd with
 * a pool of worker threads, each with its own read-only connection (WAL: loads and ingests may
 * write meanwhile). Profile documents are cached by dyad, period and store version.
 */
typedef struct bilat_server bilat_server;

struct bilat_server_opts {
    const char *db_path;    /* the store (must exist) */
    const char *host;       /* address to bind, NULL = "127.0.0.1" */
    unsigned port;          /* 0 = any free port (see bilat_server_port()) */
    const char *token;      /* bearer token that allows POST /api/events; NULL = no writes */
    unsigned threads;       /* worker threads, 0 = one per CPU */
    size_t cache_bytes;     /* profile cache size, 0 = 64 MiB */
    struct bilat_diag diag; /* one INFO line per request, and server errors */
};

/* Start serving in background threads; caller stops with bilat_server_stop().
 * Errors: BILAT_EIO (cannot bind, store unreadable), BILAT_EINVAL, BILAT_ENOMEM. */
int bilat_server_start(const struct bilat_server_opts *o, bilat_server **srv_out,
                       struct bilat_err *err);

/* The port the server listens on. */
unsigned bilat_server_port(const bilat_server *s);

/* Stop accepting, finish running requests, free everything; NULL does nothing. */
void bilat_server_stop(bilat_server *s);

#ifdef __cplusplus
}
#endif

#endif /* BILAT_H */
