/*
 * claim_syntax.h: the small languages of a claims file (docs/CLAIMS.md), shared by the loader
 * (which rejects a bad row with file:line) and the evaluator (analytics/claims.c).
 *
 * Expectation: what a check's result must be for the claim to be supported:
 *   > 60   >= 0.4   < 5   <= 5   = 2   != 0      a number (the first cell of the first row),
 *                                                  or its interval when the check gives one
 *   between 0.95 and 1.05                          a number within a closed interval
 *   rising   falling   rising margin 0.005         a yearly series: (x, y) rows; the margin
 *                                                  bounds "no trend" (equivalence test)
 *   top 1 CHN                                      a ranking: (key, value) rows; KEY's rank <= N
 *   above_peers [PEERS]   below_peers [PEERS]      the dyad's value against the median of the
 *                                                  peers' values (the check run with side a =
 *                                                  each peer)
 *   rank_among [PEERS] <= N                        the dyad's rank among the peers (1 = largest)
 * PEERS is a bloc (ASEAN) or comma-separated ISO3 codes; without it, the run's peers (default:
 * the ASEAN members other than the dyad's sides).
 *
 * Measure call: `name key=value key="value with spaces" ...`; the names and arguments a
 * measure accepts are listed here (claim_measures()), its implementation is in
 * analytics/claims.c. Values are at most CLAIM_MAX_VALUE-1 bytes; lists are comma-separated.
 */
#ifndef BILAT_STORE_CLAIM_SYNTAX_H
#define BILAT_STORE_CLAIM_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

enum claim_expect_kind {
    CE_CMP,
    CE_BETWEEN,
    CE_RISING,
    CE_FALLING,
    CE_TOP,
    CE_ABOVE_PEERS,
    CE_BELOW_PEERS,
    CE_RANK_AMONG
};
enum claim_cmp { CMP_GT, CMP_GE, CMP_LT, CMP_LE, CMP_EQ, CMP_NE };

struct claim_expect {
    enum claim_expect_kind kind; /* which form */
    enum claim_cmp cmp;          /* CE_CMP: the operator */
    double x;                    /* CE_CMP: operand; CE_BETWEEN: lower bound */
    double y;                    /* CE_BETWEEN: upper bound */
    int top;                     /* CE_TOP, CE_RANK_AMONG: N */
    char key[32];                /* CE_TOP: the ranked subject (upper case code) */
    double margin;               /* CE_RISING/CE_FALLING: equivalence margin, 0 = none */
    char peers[160];             /* peer expectations: bloc or ISO3 list, "" = the run's */
};

/* Whether an expectation compares the dyad with peers. */
bool claim_expect_is_peers(const struct claim_expect *e);

/*
 * Parse an expectation. 0, or -1 with the reason in why[0..whylen) (a short phrase without a
 * final full stop).
 */
int claim_expect_parse(const char *s, struct claim_expect *out, char *why, size_t whylen);

/* Canonical text of an expectation (">= 60", "top 1 CHN"); out holds at least 200 bytes. */
void claim_expect_format(const struct claim_expect *e, char *out, size_t len);

/* Does `v` meet a CE_CMP or CE_BETWEEN expectation? */
bool claim_expect_holds(const struct claim_expect *e, double v);

enum { CLAIM_MAX_ARGS = 12, CLAIM_MAX_KEY = 24, CLAIM_MAX_VALUE = 160, CLAIM_MAX_NAME = 32 };

struct claim_call {
    char name[CLAIM_MAX_NAME];                  /* the measure */
    size_t nargs;                               /* number of arguments */
    char keys[CLAIM_MAX_ARGS][CLAIM_MAX_KEY];   /* argument names */
    char vals[CLAIM_MAX_ARGS][CLAIM_MAX_VALUE]; /* their values, unquoted */
};

/* Parse a measure call and check it against the measure's descriptor (known name, known and
 * required arguments, no duplicates). 0, or -1 with the reason in why. */
int claim_call_parse(const char *s, struct claim_call *out, char *why, size_t whylen);

/* Value of argument `key`, or NULL when not given (borrowed from the call). */
const char *claim_call_arg(const struct claim_call *c, const char *key);

struct claim_arg_desc {
    const char *name; /* argument name; NULL ends the list */
    bool required;    /* must be given */
    const char *help; /* one line, for docs and error messages */
};

struct claim_measure_desc {
    const char *name;                  /* as written in a claims file */
    const char *summary;               /* what the measured value is */
    struct claim_arg_desc args[10];    /* accepted arguments */
};

/* The measures a claim can name, in documentation order; *n_out gets their number. */
const struct claim_measure_desc *claim_measures(size_t *n_out);

/* Descriptor of a measure by name, or NULL. */
const struct claim_measure_desc *claim_measure_find(const char *name);

#endif
