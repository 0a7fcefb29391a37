/*
 * opt.h: table-driven option parsing. One table per command drives both the parser and the
 * --help text, so that the two cannot drift apart (git's parse-options, curl's aliases[]).
 *
 * Accepted forms: -x, -x VALUE, -xVALUE, --long, --long VALUE, --long=VALUE, and `--` to end
 * options. Options and operands may be mixed; operands are collected in order.
 */
#ifndef BILAT_CLI_OPT_H
#define BILAT_CLI_OPT_H

#include <stddef.h>

enum opt_type {
    OPT_END_ = 0,
    OPT_BOOL_,    /* int *: set to 1 */
    OPT_STRING_,  /* const char **: the argument */
    OPT_INT_,     /* long *: a base-10 integer */
    OPT_LIST_,    /* struct opt_list *: every occurrence is appended */
};

enum { OPT_LIST_MAX = 64 };

struct opt_list {
    const char *v[OPT_LIST_MAX]; /* values, borrowed from argv */
    size_t n;                    /* number of values */
};

struct opt {
    enum opt_type type;
    char short_name;       /* 0 for none */
    const char *long_name; /* without the dashes */
    void *value;           /* where the value goes (see opt_type) */
    const char *argh;      /* argument name in help, e.g. "FILE" */
    const char *help;      /* one line */
};

#define OPT_BOOL(s, l, v, h) {OPT_BOOL_, (s), (l), (v), NULL, (h)}
#define OPT_STRING(s, l, v, a, h) {OPT_STRING_, (s), (l), (v), (a), (h)}
#define OPT_INT(s, l, v, a, h) {OPT_INT_, (s), (l), (v), (a), (h)}
#define OPT_LIST(s, l, v, a, h) {OPT_LIST_, (s), (l), (v), (a), (h)}
#define OPT_END() {OPT_END_, 0, NULL, NULL, NULL, NULL}

/* What a command says about itself in --help. */
struct cmd_help {
    const char *name;        /* "load" */
    const char *usage;       /* operands: "[options] DIR..." (one line per usage, '\n'-separated) */
    const char *summary;     /* one line */
    const char *description; /* paragraphs, or NULL */
};

enum { OPT_OK = 0, OPT_HELP = 1, OPT_ERROR = -1 };

/*
 * Parse argv[1..argc) (argv[0] is the command name). Operands go to args_out (borrowed from
 * argv; at most max_args, more is a usage error). Returns OPT_OK, OPT_HELP (--help was given
 * and printed to stdout) or OPT_ERROR (a one-line message and the usage went to stderr).
 * min_args is checked too.
 */
int opt_parse(int argc, char **argv, const struct opt *opts, const struct cmd_help *help,
              const char **args_out, size_t max_args, size_t min_args, size_t *nargs_out);

/* Print the full help of a command to `out`. */
void opt_print_help(const struct opt *opts, const struct cmd_help *help, void *out);

/* Print a usage error ("bilat CMD: error: ...") and the short usage to stderr. */
void opt_usage_error(const struct cmd_help *help, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
