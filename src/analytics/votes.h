/*
 * votes.h: UN votes held in memory as bit sets, for every alignment measure (docs/MEASURES.md).
 *
 * A panel holds the roll calls of a range of periods (calendar years or sessions) and, for
 * each country and period, three bit sets over that period's roll calls: voted yes, abstained,
 * voted no. The 3x3 table of two countries in a period is then nine AND + popcount loops over
 * a few 64-bit words; a filter (important votes, an issue) is one more AND with a mask. Tables of
 * several periods add up, which is how a pooled period (2010-2019) is measured.
 *
 * Invariants: periods are in ascending order; inside a period the roll calls are in rcid order;
 * countries are indexed in the order met and listed in ISO3 order by vote_panel_sorted().
 */
#ifndef BILAT_ANALYTICS_VOTES_H
#define BILAT_ANALYTICS_VOTES_H

#include "analytics/vote_measures.h"
#include "bilat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vote_panel;

/*
 * Load the roll calls whose period lies in the years [from, to] (0 = open; by session the year
 * of session s is s + 1945) and the votes of `countries[0..n)` (ISO3; n = 0 for every country).
 * Caller frees *out with vote_panel_free(). Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int vote_panel_load(bilat_db *db, enum bilat_vote_by by, int from, int to,
                    const char *const *countries, size_t n, struct vote_panel **out,
                    struct bilat_err *err);
void vote_panel_free(struct vote_panel *p);

/* Build the encoded panels (un_panel) that are missing, or every one when `rebuild`; this
 * process keeps what it built. Part of bilat_summaries_build(). */
int votes_summary_build(bilat_db *db, int rebuild, struct bilat_err *err);

/* vote_panel_load() read from the tables every time (what a summary must reproduce; tests). */
int vote_panel_read(bilat_db *db, enum bilat_vote_by by, int from, int to,
                    const char *const *countries, size_t n, struct vote_panel **out,
                    struct bilat_err *err);

/*
 * The whole panel of `by` (every period and country), owned by the store's handle and valid
 * until the store changes or closes: read it, never keep it. vote_panel_load() slices it.
 */
int vote_panel_whole(bilat_db *db, enum bilat_vote_by by, const struct vote_panel **out,
                     struct bilat_err *err);

/* The sources of a whole panel's period: the distinct source ids of its roll calls, in rcid
 * order, comma-separated; NULL when none name one (and for a sliced panel). */
const char *vote_panel_sources(const struct vote_panel *p, size_t period);

size_t vote_panel_nperiods(const struct vote_panel *p);
int vote_panel_label(const struct vote_panel *p, size_t period); /* year or session */
size_t vote_panel_ncalls(const struct vote_panel *p, size_t period);
/* Index of the period with this label, or -1. */
long vote_panel_find_period(const struct vote_panel *p, int label);

size_t vote_panel_ncountries(const struct vote_panel *p);
const char *vote_panel_iso3(const struct vote_panel *p, size_t c);
/* Index of a country, or -1 when it cast no vote in the panel. */
long vote_panel_find_country(const struct vote_panel *p, const char *iso3);
/* Countries in ISO3 order (array of nc indexes, owned by the panel). */
const size_t *vote_panel_sorted(const struct vote_panel *p);
/* Whether country c voted (yes, no or abstain) at least once in period. */
int vote_panel_present(const struct vote_panel *p, size_t c, size_t period);

/*
 * A mask selecting roll calls: important ones only and/or those tagged with `issue` (code or
 * name; NULL for any). NULL *mask_out with 0 means "every roll call" (no mask needed). Caller
 * frees the mask with bilat_free(). Errors: BILAT_ENOTFOUND (unknown issue), BILAT_ENOMEM.
 */
int vote_panel_mask(const struct vote_panel *p, int important_only, const char *issue,
                    uint64_t **mask_out, struct bilat_err *err);
/* Roll calls of a period whose important-vote flag is missing in the source. */
size_t vote_panel_unflagged(const struct vote_panel *p, size_t period);
/* Roll calls of a period selected by a mask (NULL = all). */
size_t vote_panel_ncalls_masked(const struct vote_panel *p, size_t period, const uint64_t *mask);

/* The 3x3 table of countries a and b in a period, restricted to mask (NULL = all); added to *t. */
void vote_panel_add_table(const struct vote_panel *p, size_t a, size_t b, size_t period,
                          const uint64_t *mask, struct vote_table *t);

/*
 * The roll calls of periods [k0, k1] selected by mask (NULL = all), as bit positions in a row,
 * in panel order, into pos_out[0..n) (capacity: the sum of vote_panel_ncalls over the periods).
 * Returns n.
 */
size_t vote_panel_positions(const struct vote_panel *p, size_t k0, size_t k1, const uint64_t *mask,
                            uint32_t *pos_out);

/* The vote of country c on the roll call at bit position pos: VOTE_YES, VOTE_ABSTAIN, VOTE_NO
 * (analytics/vote_measures.h) or -1 when it did not vote (absent, non-member). */
int vote_panel_vote_at(const struct vote_panel *p, size_t c, uint32_t pos);

/*
 * Bootstrap over roll calls (Efron and Tibshirani 1993): the roll calls at positions pos[0..n)
 * are drawn n times with replacement, B times, from a generator seeded with `seed`; each draw
 * gives every pair (a, others[j]) its 3x3 table and measure value. Results per pair j (index 0
 * is the pair (a, b0) when the caller lists b0 first): the central `level` percentile interval
 * of the value, and of the pair's rank among the pairs (1 = closest; ties share the best rank).
 * A draw in which a pair's value is undefined leaves that pair out of the draw's ranking.
 */
struct vote_boot_opts {
    int reps;          /* B, the number of resamples (>= 100) */
    uint64_t seed;     /* generator seed */
    double level;      /* e.g. 0.95 */
    bool ranks;        /* also compute rank intervals */
    size_t only;       /* 0: the intervals of every pair; j + 1: those of pair j alone (the
                          draws and the other pairs' values, which its rank needs, are the same) */
};
struct vote_boot_out {
    double lo, hi;           /* value interval; NAN when fewer than half the draws gave a value */
    int rank_lo, rank_hi;    /* rank interval (best, worst); 0 when not computed */
    int draws;               /* draws that gave a value */
};
int vote_panel_bootstrap(const struct vote_panel *p, enum bilat_vote_measure m, size_t a,
                         const size_t *others, size_t nothers, const uint32_t *pos, size_t n,
                         const struct vote_boot_opts *o, struct vote_boot_out *out);

/*
 * The roll calls of periods [k0, k1] on which countries a and b both voted (yes, no or abstain)
 * and voted differently, in rcid order: their rcids (and, when label_out is not NULL, the label
 * of their period). The arrays hold the calls of those periods; returns how many were written.
 */
int vote_panel_split_rcids(const struct vote_panel *p, size_t a, size_t b, size_t k0, size_t k1,
                           int64_t *rcid_out, int *label_out);

/* Number of distinct issue codes and their codes/names (for the robustness panel). */
size_t vote_panel_nissues(const struct vote_panel *p);
const char *vote_panel_issue_code(const struct vote_panel *p, size_t i);
const char *vote_panel_issue_name(const struct vote_panel *p, size_t i);

/*
 * Call fn for every pair (a < b in ISO3 order) of every period with at least one shared vote
 * under mask (NULL = all), with the value of measure m. The hot loop of `votes --all-pairs`.
 */
int vote_panel_all_pairs(const struct vote_panel *p, enum bilat_vote_measure m,
                         const uint64_t *mask, bilat_vote_value_fn *fn, void *ctx);

/* Check that the store has the UN-vote tables (schema version 10); a clear error if not. */
int votes_schema_check(bilat_db *db, struct bilat_err *err);

/* Upper-case a country code into out[4] and check it is an ISO3 code of the country table.
 * Errors: BILAT_EINVAL (malformed), BILAT_ENOTFOUND (unknown). */
int votes_country(bilat_db *db, const char *code, char out[4], struct bilat_err *err);

/* The ideal-point value column of a variant (0 all, 1 fp, 2 legacy) and its vote count. */
const char *votes_ideal_column(enum bilat_ideal_variant variant);
const char *votes_ideal_nvotes_column(enum bilat_ideal_variant variant);

/*
 * The earlier holders of a country's UN seat (un_seat rows that are not the state of today), read
 * once so that a seat's holder in many periods costs no query: votes_seat_text() gives what
 * bilat_votes_seat() gives ("Democratic Kampuchea 1975-1982", "" when none).
 */
enum { SEAT_ROWS_MAX = 16 };
struct seat_rows {
    size_t n;
    struct seat_row {
        char holder[120];
        char y0s[8], y1s[8]; /* the years as the table gives them ("" when open) */
        int y0, y1;          /* as numbers (y1 9999 when open) */
    } r[SEAT_ROWS_MAX];
};
int votes_seat_rows(bilat_db *db, const char *iso3, struct seat_rows *out, struct bilat_err *err);
void votes_seat_text(const struct seat_rows *rows, int from, int to, char *out, size_t len);

#endif
