/*
 * claims_int.h: what the files that judge claims share (claims.c: reading, selecting, running
 * checks, the section and the document; claim_verdict.c: the verdicts; claims.h: the measures'
 * interface).
 */
#ifndef BILAT_ANALYTICS_CLAIMS_INT_H
#define BILAT_ANALYTICS_CLAIMS_INT_H

#include "analytics/claims.h"
#include "core/alloc.h"
#include "core/parse.h"

#include <jansson.h>
#include <stdbool.h>

enum {
    EVIDENCE_MAX_ROWS = 1000, /* rows kept in a claim's evidence (all rows are judged) */
    MAX_PEERS = 40,           /* peers a comparison takes */
    MIN_TREND_POINTS = 8,     /* fewer points: a trend can be neither shown nor refuted */
    MIN_PEERS = 3,            /* fewer peers with a value: no comparison */
};

#define ALPHA 0.05 /* level of the trend tests; the equivalence test uses the (1 - 2 alpha) CI */

enum verdict { V_NONE, V_SUPPORTED, V_RESTATES, V_NOT_SHOWN, V_CONTRADICTED, V_UNCHECKABLE,
               V_ERROR };

/* Names of the verdicts (claim_verdict.c). */
extern const char *const claim_verdict_names[];

/* One claim as written. Strings live in the run's arena. */
struct cdef {
    const char *id, *part_of, *a, *b, *text, *method, *check, *expect, *unavailable,
        *source_id, *locator, *note, *stated;
    char actry[4], bctry[4]; /* countries of a and b ("" when not given or unknown) */
};

/* The sides a claim is judged for (its own, or those of --as), with names and peers. */
struct dyad {
    char a[ACTOR_CODE_SIZE], b[ACTOR_CODE_SIZE]; /* actor codes */
    char aname[128], bname[128];
    char actry[4], bctry[4];
};

/* The judgement of one claim. */
struct judged {
    enum verdict v;
    bool has_value;
    double value;
    bool has_ci;
    double lo, hi;
    char shown[200];    /* the measured value for people ("0.93 (95 % 0.91-0.95)", "+0.43/yr") */
    char detail[1400];  /* how the verdict follows, or why there is none */
    char text[600];     /* the claim's text with the dyad's names */
    char check[700];    /* the check with its parameters filled in (measure calls) */
    json_t *evidence;   /* table section or NULL */
    char *sources;      /* evidence sources, comma-separated, sorted, unique (bilat_malloc) */
    bool restates;      /* every evidence source is the claim's own (or taken from it) */
    bool selected;      /* passes the run's filter */
    struct dyad dy;     /* the sides it was judged for */
};

struct run {
    bilat_db *db;
    const struct bilat_claims_opts *o;
    struct bilat_arena arena;
    struct cdef *defs;
    struct judged *res;
    size_t n, cap;
    struct bilat_claims_summary sum;
};

/* A comparison's peers. */
struct peers {
    size_t n;
    char code[MAX_PEERS][4];
    char spec[160]; /* as asked for ("ASEAN", or a list) */
};

/* Evidence from one SQL statement, plus what the expectations read from it. */
struct sqlout {
    struct claim_mresult m; /* evidence, value (first cell), series (first two columns) */
    bool first_is_text;     /* the first cell is text that is not a number */
    char first_text[64];    /* ... which one */
    char **keys;            /* ranking keys (col 0) */
    double *vals;           /* ranking values (col 1) */
    size_t nk;              /* ranked rows */
    size_t rows;            /* rows returned */
};

/* Copy `in` into out[0..len) with every `{a}` / `{b}` replaced by the sides' names. */
void claim_fill_names(char *out, size_t len, const char *in, const struct dyad *dy);

/* Country (and name, when `name` is not NULL) of an actor code: a country's own code, or an
 * actor's country; "" when the store knows neither. */
int claim_side_info(bilat_db *db, const char *code, char ctry[4], char *name, size_t nlen,
                    struct bilat_err *err);

/* The peers of a comparison: a bloc's current members or an ISO3 list, without the dyad's
 * countries; and as a JSON array of codes, for :peers in SQL. */
int claim_peers_resolve(bilat_db *db, const char *spec, const struct dyad *dy, struct peers *out,
                        struct bilat_err *err);
void claim_peers_json(const struct peers *p, char *out, size_t len);

/*
 * Run a claim's check for sides a and b into `so` (an SQL check fills the ranking too), with
 * the check as run into ran[0..rlen). 0, or a negative status with `msg` (the claim's error);
 * `missing` non-empty when the store lacks what the call names (no error, the claim is not
 * checkable).
 */
int claim_run_check(struct run *r, const struct cdef *d, const char *a, const char *b,
                    const char *peers, struct sqlout *so, char *ran, size_t rlen, char *missing,
                    size_t mlen, char *msg, size_t len);
void claim_sqlout_release(struct sqlout *o);

/* claim_verdict.c: the sides a claim is judged for (--as, else its own); judge one claim with
 * a check (only out of memory stops the run); a group's verdict from its parts (judged first;
 * groups nest, `depth` guards the nesting). */
int claim_dyad(struct run *r, const struct cdef *d, struct dyad *dy, struct bilat_err *err);
int claim_evaluate(struct run *r, size_t i, struct bilat_err *err);
void claim_judge_group(struct run *r, size_t g, int depth);

#endif
