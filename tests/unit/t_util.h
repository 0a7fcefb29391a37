/*
 * t_util.h: what the unit tests share: scratch paths, a diagnostics collector, and a query's
 * result as text. Not tests themselves (gen_table.sh only picks up T_TEST lines).
 */
#ifndef BILAT_T_UTIL_H
#define BILAT_T_UTIL_H

#include "bilat.h"

/* t_tmpdir/name (a static buffer, valid until the next call). */
const char *t_path(const char *name);

/* Diagnostics of a library call, gathered by t_collect(). */
struct t_diags {
    int errors, warnings; /* messages of each level */
    char last[512];       /* the last message, "file:line: msg" (file without its directory) */
    char first[600];      /* the first message, with a newline */
    char all[8192];       /* every message, one a line (cut when full) */
};

/* A bilat_diag_fn filling the struct t_diags `ctx` (NULL: messages dropped). */
void t_collect(void *ctx, enum bilat_level lv, const char *path, uint64_t line, const char *msg);

/* A bilat_row_fn appending a row to the struct bilat_buf `ctx` as t_query() writes it. */
int t_row_text(void *ctx, int ncol, const char *const *names, const char *const *v);

/* The whole result of a query as text: a line per row, fields joined by '|', NULL as "<null>";
 * the header is left out. NULL when the query fails (the reason goes to stderr). Caller frees
 * with bilat_free(). */
char *t_query(bilat_db *db, const char *sql);

/*
 * Out-of-memory runs: an operation is run again and again, with its allocation number n made to
 * fail, until it succeeds; every failing run must end in a clean BILAT_ENOMEM (no crash, no
 * leak: the sanitizer build checks leaks).
 *
 * t_oom_can_run(): 1 when this build can make allocations fail (debug and sanitizer builds);
 * otherwise 0, after saying on stderr that `test` was not run.
 * t_oom_next(): the allocation to fail after n: every one of the first 256, then each about
 * 1/64 past the last (an operation that builds a JSON document makes thousands of allocations:
 * a few hundred runs then cover its whole length).
 * t_oom_report(): says on stderr how many runs failed an allocation before the run at `last`
 * succeeded.
 */
int t_oom_can_run(const char *test);
unsigned long t_oom_next(unsigned long n);
void t_oom_report(const char *test, unsigned long failed, unsigned long last);

/* The `n` dictionary directories `dicts` (with data/reference/cameo.tsv) loaded with `flags`
 * (BILAT_CODER_...), their diagnostics gathered into `d` (NULL: dropped), for tests run from
 * the project root; NULL, with the reason on stderr, when they cannot be loaded. */
bilat_coder *t_coder_load(const char **dicts, size_t n, unsigned flags, struct t_diags *d);

/* The shipped dictionaries (data/dictionaries): t_coder_load() of them. */
bilat_coder *t_coder_shipped(unsigned flags);

/* Code one line "DATE<TAB>TEXT" and give what `fn` wrote into the struct bilat_buf it is
 * handed for each sentence, or "(error)" when coding fails (a static buffer, valid until the
 * next call). */
const char *t_coder_text(bilat_coder *c, const char *line, bilat_sentence_fn *fn);

/* t_coder_text() of the events as "SRC|TGT|CODE" joined by ';'. */
const char *t_coder_events(bilat_coder *c, const char *line);

#endif
