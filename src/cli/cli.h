/*
 * cli.h: what every command shares: global options, exit codes, messages, opening the store,
 * printing data-row diagnostics, results and CSV rows, checking a period, checking stdout
 * before exit, and the skeleton of a command (struct cli_run: cli_start(), cli_end()).
 *
 * Only the cli layer prints or exits. Messages follow git's wording: "bilat: error: cannot open
 * 'x': reason" (lower case, no final full stop), data errors as "file:line: reason".
 */
#ifndef BILAT_CLI_CLI_H
#define BILAT_CLI_CLI_H

#include "bilat.h"
#include "cli/opt.h"

#include <stdbool.h>

enum cli_exit {
    EXIT_OK = 0,       /* success */
    EXIT_FAIL = 1,     /* runtime failure: I/O, SQL, bad data that stops the run */
    EXIT_USAGE = 2,    /* usage error */
    EXIT_REJECTED = 3, /* finished, but rows were rejected (under --strict) */
};

struct cli_globals {
    const char *db_path; /* --db, default "bilat.db" */
    int quiet;           /* -q: no progress or summaries */
    int verbose;         /* -v: more detail on stderr */
};

extern struct cli_globals cli;

void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a library error (with file:line when it has them); returns EXIT_FAIL. */
int cli_fail(const struct bilat_err *err);

/* Print a library error; the exit code: EXIT_USAGE when `rc` says the arguments were wrong
 * (BILAT_EINVAL, BILAT_ENOTFOUND: a bad or unknown actor), else EXIT_FAIL. */
int cli_fail_code(int rc, const struct bilat_err *err);

/* Open the store at cli.db_path. On failure prints a message (with a hint) and returns
 * EXIT_FAIL; 0 on success. */
int cli_open_db(unsigned flags, bilat_db **db_out);

/* After a write: build the summaries it left out of date (bilat_summaries_build()). A failure
 * is a warning: the store stays correct, its readers slower. */
void cli_summaries(bilat_db *db, int rebuild);

/* A bilat_diag_fn printing "bilat: error: path:line: msg" (warnings likewise) to stderr. */
void cli_diag(void *ctx, enum bilat_level level, const char *path, uint64_t line,
              const char *msg);

/* Flush stdout and report a write error (EPIPE, ENOSPC); returns `rc`, or EXIT_FAIL when
 * stdout failed. */
int cli_finish(int rc);

/* Parse a year option value (0 = not given); prints a usage error and returns -1 when bad. */
int cli_year(const struct cmd_help *help, const char *name, long v);

/* Check --from and --to (years, or 0) and that the period does not end before it starts; prints
 * a usage error and returns -1 when bad. */
int cli_period(const struct cmd_help *help, long from, long to);

/*
 * The skeleton of a command. A command declares a struct cli_run with the operands it takes
 * and how it opens the store, its option table (CLI_OPT_PERIOD and CLI_OPT_JSON for the options
 * many share), and calls cli_start(); what follows is its own logic, over run.args, run.db and
 * run.err, ended by cli_end() (one text printed), cli_end_rows() (rows printed as they came)
 * or cli_end_write() (after a write into the store):
 *
 *     struct cli_run run = {.min_args = 2, .max_args = 2, .open = BILAT_OPEN_READONLY};
 *     const struct opt opts[] = {CLI_OPT_PERIOD(&run), OPT_END()};
 *     int r = cli_start(&run, argc, argv, opts, &help);
 *     if (r >= 0)
 *         return r;
 *     char *out = NULL;
 *     int rc = bilat_..._render(run.db, ..., &out, &run.err);
 *     return cli_end(&run, rc, out);
 */
enum { CLI_MAX_ARGS = 64 };

struct cli_run {
    size_t min_args, max_args;      /* operands the command takes (max_args <= CLI_MAX_ARGS) */
    unsigned open;                  /* BILAT_OPEN_* flags for cli_start() to open the store with;
                                       0: not opened there (cli_open() later, or no store) */
    const char *args[CLI_MAX_ARGS]; /* the operands, borrowed from argv; NULL past nargs */
    size_t nargs;                   /* number of operands */
    long from, to;                  /* CLI_OPT_PERIOD: --from and --to (0: not given) */
    long jobs;                      /* CLI_OPT_JOBS: --jobs (its default set before cli_start()) */
    bilat_db *db;                   /* the store once open, else NULL */
    struct bilat_err err;           /* the library's error, for the cli_end*() functions */
};

/* --from YEAR and --to YEAR into run->from and run->to, checked by cli_start(). */
#define CLI_OPT_PERIOD(run)                                                                        \
    OPT_INT(0, "from", &(run)->from, "YEAR", "first year to include"),                             \
        OPT_INT(0, "to", &(run)->to, "YEAR", "last year to include")

/* -j/--jobs N into run->jobs, for a command that builds a profile: the connections building it
 * at once (bilat_profile_opts.jobs). Set run->jobs to the default before cli_start(). */
#define CLI_OPT_JOBS(run)                                                                          \
    OPT_INT('j', "jobs", &(run)->jobs, "N",                                                        \
            "connections building the profile at once: 2 (the default) builds half of its "       \
            "sections on a second connection, 1 builds them all on one")

/* --json, for a command that prints tables by default. */
#define CLI_OPT_JSON(json) OPT_BOOL(0, "json", (json), "print JSON instead of tables")

/* Parse argv (opt_parse(): the options of `opts` and run->min_args to run->max_args operands
 * into run->args), check the period (cli_period()), and open the store when run->open asks for
 * it. Returns -1 when the command goes on; else its exit code, the message already printed:
 * EXIT_OK after --help, EXIT_USAGE, or EXIT_FAIL when the store cannot be opened. */
int cli_start(struct cli_run *run, int argc, char **argv, const struct opt *opts,
              const struct cmd_help *help);

/* Open the store into run->db (cli_open_db()): 0, or EXIT_FAIL after a message. */
int cli_open(struct cli_run *run, unsigned flags);

/* The end of a command that prints one text: closes the store, then prints the error of `rc`
 * < 0 (cli_fail_code() of run->err) or `out` on stdout (cli_finish()). Frees `out` (takes
 * ownership); returns the exit code. */
int cli_end(struct cli_run *run, int rc, char *out);

/* The end of a command that printed rows as the library gave them (`rc` > 0: stdout failed):
 * closes the store; returns EXIT_FAIL when stdout failed, the exit code of the error of `rc` < 0
 * (cli_fail_code(), after what stdout holds), else cli_finish(EXIT_OK). */
int cli_end_rows(struct cli_run *run, int rc);

/* After a write into the store: builds the summaries when `rc` is 0 (cli_summaries()) and
 * closes the store. Returns 0, or EXIT_FAIL after printing the error of `rc` < 0. */
int cli_end_write(struct cli_run *run, int rc);

/* The index of `value` in `names` (NULL-terminated); else a usage error "unknown WHAT 'value'
 * (a, b or c)" naming them all, and -1. */
int cli_choice(const struct cmd_help *help, const char *what, const char *value,
               const char *const *names);

/* How cli_print_row() prints rows. */
struct cli_rows {
    int tsv; /* tab-separated, no quoting (tabs and newlines in values become spaces) */
};

/* A bilat_row_fn printing the header (values NULL) or a row on stdout: CSV (RFC 4180) unless
 * `ctx`, a struct cli_rows or NULL, asks for tab-separated; SQL NULL prints as an empty field,
 * the empty string as "" in CSV. Returns 1 when stdout failed. */
int cli_print_row(void *ctx, int ncol, const char *const *names, const char *const *values);

/* Map an opt_parse result to an exit code: OPT_HELP -> 0, OPT_ERROR -> 2, OPT_OK -> -1. */
int cli_parsed(int r);

/* A row of a command table: the commands of main.c, the kinds of `bilat ingest KIND`. */
struct cli_cmd {
    const char *name;                 /* "load", "gdelt" */
    int (*fn)(int argc, char **argv); /* argv[0] is the name */
    const char *summary;              /* one line for the usage */
};

/* The row of `table` (n rows) called `name`, or NULL. */
const struct cli_cmd *cli_cmd_find(const struct cli_cmd *table, size_t n, const char *name);

/* A command made of kinds, `bilat CMD KIND [options] ...` (ingest, update). */
struct cli_kinds {
    const char *name;            /* the command: "ingest" */
    const char *what;            /* what its messages call a kind: "kind", "source" */
    const char *question;        /* the error when no kind is given: "which kind of file?" */
    const char *head, *foot;     /* the usage before and after the list of kinds */
    const struct cli_cmd *kinds; /* the kinds and their functions */
    size_t n;                    /* number of kinds */
};

/* Run `bilat CMD KIND ...` (argv[0] is CMD): the kind argv[1] names, with argv + 1; --help
 * prints the usage on stdout; no kind, or one not in the table, is a usage error. Returns the
 * exit code. */
int cli_kinds_run(const struct cli_kinds *k, int argc, char **argv);

/* The commands (one file each: cmd_<name>.c). */
int cmd_load(int argc, char **argv);
int cmd_sql(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_votes(int argc, char **argv);
int cmd_leadlag(int argc, char **argv);

/* The kinds of `bilat ingest` (one file each; the table is in cmd_ingest.c). */
int ingest_unvotes(int argc, char **argv);
int ingest_idealpoints(int argc, char **argv);
int ingest_undl(int argc, char **argv);
int ingest_chinavitae(int argc, char **argv);
int ingest_ceias(int argc, char **argv);
int ingest_aiddata_fd(int argc, char **argv);
int ingest_ungdc(int argc, char **argv);
int cmd_code(int argc, char **argv);
int cmd_claims(int argc, char **argv);
int cmd_network(int argc, char **argv);
int cmd_narratives(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_cite(int argc, char **argv);
int cmd_serve(int argc, char **argv);

int cmd_scan(int argc, char **argv);
int cmd_coverage(int argc, char **argv);
int cmd_clusters(int argc, char **argv);
int cmd_update(int argc, char **argv);

/* `bilat ingest KIND`: one function per kind of raw file (cmd_ingest.c dispatches). */
int ingest_gdelt(int argc, char **argv);
int ingest_icews(int argc, char **argv);

/* The directory holding the shipped data (with its dictionaries) into out (n bytes): ./data,
 * else <program dir>/../data. 0, or -1 when neither has data/dictionaries. */
int cli_data_dir(char *out, size_t n);

#endif
