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
    uint64_t claims, concepts, principles, adoptions; /* claims.tsv, concepts.tsv, ... */
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

/* ---------------------------------------------------------------------------------------------
 * UN votes and alignment measures
 * ------------------------------------------------------------------------------------------ */

/* ---------------------------------------------------------------------------------------------
 * Event coder
 * ------------------------------------------------------------------------------------------ */

/* ---------------------------------------------------------------------------------------------
 * Claims, networks, narratives, web server
 * ------------------------------------------------------------------------------------------ */

/*
 * Claims (docs/CLAIMS.md): a brief's statements written as checks over the store, each judged
 * supported, contradicted or not checkable with the data (and why), with the measured value,
 * the evidence rows and their sources. A check that fails to run (bad SQL, a missing table, a
 * measure error) is an error of that claim: it is reported through `diag` with the claim id
 * and counted in `errors`, never skipped silently.
 */
struct bilat_claims_summary {
    size_t claims;        /* claims judged (groups included) */
    size_t supported;     /* verdict supported */
    size_t contradicted;  /* verdict contradicted */
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
};

/*
 * Judge the claims and return them as a JSON document ({"summary", "sections": [claims
 * section], "sources"}); caller frees *json_out with bilat_free(). `sum_out` may be NULL.
 * Returns 0 even when checks failed (see sum_out->errors); BILAT_EPARSE when `file` has bad
 * rows (each reported through diag, nothing judged); BILAT_ENOTFOUND for an unknown `id`.
 */
int bilat_claims_json(bilat_db *db, const struct bilat_claims_opts *o, char **json_out,
                      struct bilat_claims_summary *sum_out, struct bilat_err *err);

/* The same as plain text: a verdict table, then one block per claim. */
int bilat_claims_text(bilat_db *db, const struct bilat_claims_opts *o, char **text_out,
                      struct bilat_claims_summary *sum_out, struct bilat_err *err);

/*
 * The elite network of a dyad (docs/PROFILE.md): persons and organisations of both sides as
 * nodes, meetings and visits between them (curated and coded events) as edges, with degree and
 * betweenness centrality (igraph), and the next-generation signal: meetings of the other
 * side's actors with a person before that person took a leading office.
 */
enum bilat_network_format {
    BILAT_NETWORK_TEXT = 0, /* aligned tables */
    BILAT_NETWORK_JSON = 1, /* sections document */
    BILAT_NETWORK_CSV = 2,  /* one table as CSV: nodes, or edges with `edges` */
    BILAT_NETWORK_DOT = 3,  /* Graphviz */
};

struct bilat_network_opts {
    const char *a, *b;               /* the dyad (as for profiles) */
    int from, to;                    /* years, 0 for open ends */
    enum bilat_network_format format;
    int edges;                       /* CSV: the edge list instead of the nodes */
};

/* Write the network in the chosen format; caller frees *out with bilat_free().
 * Errors: BILAT_EINVAL, BILAT_ENOTFOUND (actors), BILAT_ESQL, BILAT_ENOMEM. */
int bilat_network_write(bilat_db *db, const struct bilat_network_opts *o, char **out,
                        struct bilat_err *err);

/*
 * Narratives of a dyad: the concepts owned by each side with their dates, principles and
 * endorsements, and for every pair of concepts of the two sides the overlap of their principle
 * sets (Jaccard index, shared principles and those of one side only). `json` selects the
 * sections document instead of text; caller frees *out with bilat_free().
 */
int bilat_narratives_write(bilat_db *db, const struct bilat_profile_opts *o, int json,
                           char **out, struct bilat_err *err);

/*
 * BibTeX entries for bilat itself and for every source of the store; with a dyad (a and b not
 * NULL), for the sources its profile cites. Caller frees *out with bilat_free().
 */
int bilat_cite_bibtex(bilat_db *db, const char *a, const char *b, char **out,
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
