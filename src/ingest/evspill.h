/*
 * evspill.h: cube cells past a memory budget, as sorted runs of a temporary file, and the
 * sorted walk over cells (evspill.c), from a table in memory or from the merged runs.
 */
#ifndef BILAT_INGEST_EVSPILL_H
#define BILAT_INGEST_EVSPILL_H

#include "ingest/evgroups.h"

/*
 * Spilling (bilat ingest under a memory budget): when a worker's group table reaches its share
 * of the budget, its groups are sorted in the cube's order and written as one run of an unlinked
 * temporary file, with every group's cluster fingerprints; the table is then emptied and filled
 * again. At the end the runs are merged: groups with the same key are added (exact integer and
 * fixed-point sums) and their fingerprint lists united, so that the merged cells equal the cells
 * of a scan that kept everything in memory, deduplicated counts included.
 *
 * Run record: the nk key words, the struct evmeas (its `dedup` holds the number of fingerprints
 * that follow, fp0 is unused), then that many uint64 fingerprints. The file is private to the
 * process and gone when it exits (kill -9 included).
 */
struct evspill;

/* Reusable buffers of one spilling worker (evspill_scratch_release() frees them). */
struct evspill_scratch {
    uint64_t *recs;         /* sort records: permuted key words, then the group index */
    size_t cap_recs;
    uint32_t *fpstart;      /* per group: end of its fingerprints in fps (see evspill.c) */
    uint64_t *fps;          /* fingerprints beyond fp0, grouped by group */
    size_t cap_groups, cap_fps;
    unsigned char *out;     /* write buffer */
};

/* A spill file in `dir` (NULL: $TMPDIR or /tmp) for groups of nk keys sorted by perm. `budget`
 * sizes the read buffers of the merge. BILAT_EIO when no temporary file can be made. */
int evspill_new(const char *dir, size_t nk, const size_t *perm, bool dedup, size_t budget,
                struct evspill **out, struct bilat_err *err);
void evspill_free(struct evspill *sp);
/* Write the groups of g (and their fingerprints in fps, NULL without dedup) as one sorted run.
 * Safe to call from several threads at once. BILAT_ENOMEM, BILAT_EIO (message in err). */
int evspill_write(struct evspill *sp, const struct evgroups *g, const struct fpset *fps,
                  struct evspill_scratch *sc, struct bilat_err *err);
size_t evspill_runs(const struct evspill *sp);
void evspill_scratch_release(struct evspill_scratch *sc);
/* Bytes evspill_write() needs on top of a table of `cells` groups and `fps` fingerprints. */
size_t evspill_scratch_bytes(size_t nk, size_t cells, size_t fps);

/*
 * Cells in sorted order, from a table in memory or from the merged runs of a spill file.
 * evcells_next() returns 1 with a cell (key and measures, with `dedup` the deduplicated count;
 * valid until the next call), 0 at the end, <0 on error (BILAT_ENOMEM, BILAT_EIO).
 */
struct evcells;
int evcells_open_table(const struct evgroups *g, const size_t *perm, struct evcells **out);
int evcells_open_spill(struct evspill *sp, struct evcells **out, struct bilat_err *err);
int evcells_next(struct evcells *c, const uint64_t **key_out, const struct evmeas **m_out,
                 struct bilat_err *err);
void evcells_close(struct evcells *c);

#endif
