/*
 * events.h: what the scanner (events.c) offers beyond the public API (bilat.h, "Event files")
 * to the store writer (store/evstore.c), the drill-down (analytics/evdrill.c) and the tests:
 * sets of event ids, scans for an ingest or a drill-down, and views of a result. The tables it
 * aggregates into are evgroups.h, the spill files evspill.h.
 */
#ifndef BILAT_INGEST_EVENTS_H
#define BILAT_INGEST_EVENTS_H

#include "bilat.h"
#include "ingest/evspill.h"

#include <stdbool.h>
#include <stdint.h>

/*
 * Sets of GLOBALEVENTIDs as sorted, disjoint runs of consecutive ids: an export's ids are one
 * run, so the set of every event in a store of thousands of files stays small. An ingest skips
 * the rows whose id another file of the store holds (nothing is counted twice), and records the
 * ids it counted (ingest_event_id); the drill-down reads a file again keeping only those.
 * Ids that do not come in runs cost 16 bytes each.
 */
struct evidrun {
    uint64_t lo, hi; /* ids lo..hi, both included */
};

struct evids {
    struct evidrun *v;
    size_t n, cap;
};

/* Add id (or run) to the set, in any order: 0 or BILAT_ENOMEM. evids_normalise() must follow
 * before evids_has(). */
int evids_add_run(struct evids *s, uint64_t lo, uint64_t hi);
/* Sort the runs and join those that overlap or touch. */
void evids_normalise(struct evids *s);
/* Whether a normalised set holds id. */
bool evids_has(const struct evids *s, uint64_t id);
/* Number of ids of a normalised set. */
uint64_t evids_count(const struct evids *s);
void evids_release(struct evids *s);

/* Per file of a scan: rows whose id is (keep = false) or is not (keep = true) in the set of
 * their format (enum bilat_ev_format: GDELT 1.0 and 2.0 ids are told apart, as nothing says
 * the two number their events alike) are left out and counted as duplicates; NULL: no filter. */
struct evidfilter {
    const struct evids *set[4];
    bool keep;
};

/* The cube's keys and write order (events.c), and the cells of an ingest scan in that order. */
extern const char ev_cube_keys[];
extern const size_t ev_cube_order[7];
int ev_cells_open(const bilat_scan *s, struct evcells **out, struct bilat_err *err);
/* Scan one file for the cube (o->by is ignored), or make an empty result to merge a packed
 * one into (MPI). Same contract as bilat_scan_files(). `known` (may be NULL): GLOBALEVENTIDs
 * held by other files of the store, by format, whose rows are left out; the ids counted are
 * kept (ev_scan_ids()). */
int ev_scan_for_ingest(const struct bilat_scan_opts *o, const char *path,
                       const struct evidfilter *known, bilat_scan **out, struct bilat_err *err);
/* The GLOBALEVENTIDs an ingest scan counted, and those it left out as other files' events
 * (normalised; empty for ICEWS). */
const struct evids *ev_scan_ids(const bilat_scan *s);
const struct evids *ev_scan_skipped_ids(const bilat_scan *s);
int ev_scan_empty_for_ingest(const struct bilat_scan_opts *o, const char *path, bilat_scan **out,
                             struct bilat_err *err);

/* Number of groups, keys and measures of a result, for the store writer. */
struct evresult_view {
    const struct evgroups *groups;   /* the groups */
    const enum evkey *keys;          /* their keys */
    const struct evgroups *coverage; /* keys (file, added day): rows and event-date range */
    size_t spill_runs;               /* sorted runs the groups were spilled to (0: in memory) */
};
void ev_scan_view(const bilat_scan *s, struct evresult_view *out);

/* Per-file facts of a result, in file order. */
struct evfile_view {
    const char *path;         /* as given */
    int format;               /* enum bilat_ev_format decided for the file, 0 if not read */
    uint64_t size;            /* raw bytes read */
    uint64_t rows, rejected;  /* data rows, bad rows */
    uint32_t dmin, dmax;      /* event dates, 0 when none */
    uint32_t amin, amax;      /* dates added, 0 when none */
    const char *sha256;       /* hex of the raw file, "" when not computed */
    const char *content_sha256; /* hex of the decompressed content, "" when not computed or
                                   when the data could not be read to its end */
    int container;            /* enum evsrc_kind: plain, gzip, zip */
    uint64_t duplicates;      /* rows left out by the id filter */
    const char *failure;      /* why the file could not be read to the end, or NULL */
    const char *warning;      /* a warning about the data (bytes ignored), or NULL */
    bool changed;             /* the file changed while it was read (failure says so) */
    bool empty;               /* no data row at all */
    bool scanned;             /* this result read the file (false: another part's) */
};
size_t ev_scan_nfiles(const bilat_scan *s);

/* The fields of a kept cluster member, as the file writes them (f[MF_DATE] is YYYY-MM-DD). */
enum { MF_ID, MF_DATE, MF_ACTOR1, MF_ACTOR2, MF_CODE, MF_URL, MF_GOLD, MF_N };

/* A cluster member kept with opts.members; pointers valid until the result is freed. */
struct evmember_view {
    uint64_t fp;              /* cluster fingerprint */
    size_t file;              /* file index */
    uint64_t line;            /* line in the file */
    const uint64_t *key;      /* the group's key words, in the order of the keys asked for */
    const char *f[MF_N]; /* event id, date, actor1, actor2, event code, URL (GDELT
                                   SOURCEURL, ICEWS Story ID), Goldstein (ICEWS Intensity) */
    size_t len[MF_N];        /* their lengths (not NUL-terminated) */
};
size_t ev_members_count(const bilat_scan *s);
void ev_member(const bilat_scan *s, size_t i, struct evmember_view *out);

/* Scan files with the cube's keys and the ingest's checks, for the drill-down: clusters get
 * the fingerprints an ingest gives them. `idf` (NULL, or one per file): the ids each file
 * counted at ingest. Same contract as bilat_scan_files() (o->by ignored). */
int ev_scan_for_drill(const struct bilat_scan_opts *o, const char *const *files, size_t n,
                      const struct evidfilter *idf, bilat_scan **out, struct bilat_err *err);
void ev_scan_file(const bilat_scan *s, size_t i, struct evfile_view *out);

#endif
