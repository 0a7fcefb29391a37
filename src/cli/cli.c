/*
 * cli.c: messages, store opening with hints, diagnostics printing, stdout checks, and the
 * steps commands share: the period check, the exit code of a library error, printing a result
 * or CSV rows, and the skeleton of a command (its start, the store, its end).
 */
#include "cli/cli.h"

#include "core/csv.h"
#include "core/file.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
    fprintf(stderr, "bilat: %s", prefix);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg("error: ", fmt, ap);
    va_end(ap);
}

void cli_warning(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg("warning: ", fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    if (cli.quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmsg("", fmt, ap);
    va_end(ap);
}

int cli_fail(const struct bilat_err *err)
{
    if (err->path && err->line)
        cli_error("%s:%llu: %s", err->path, (unsigned long long)err->line, err->msg);
    else
        cli_error("%s", err->msg[0] ? err->msg : bilat_strerror(err->code));
    return EXIT_FAIL;
}

int cli_fail_code(int rc, const struct bilat_err *err)
{
    cli_fail(err);
    return rc == BILAT_EINVAL || rc == BILAT_ENOTFOUND ? EXIT_USAGE : EXIT_FAIL;
}

int cli_open_db(unsigned flags, bilat_db **db_out)
{
    struct bilat_err err = {0};
    int rc = bilat_db_open(cli.db_path, flags, db_out, &err);
    if (rc == 0)
        return 0;
    cli_fail(&err);
    if (rc == BILAT_ENOTFOUND)
        fprintf(stderr, "hint: create it with 'bilat --db %s load DIR...', or name another "
                        "store with --db FILE\n",
                cli.db_path);
    return EXIT_FAIL;
}

void cli_summaries(bilat_db *db, int rebuild)
{
    struct bilat_err err = {0};
    if (bilat_summaries_build(db, rebuild, &err) < 0)
        cli_warning("the store's summaries are not built (%s); results stay the same, slower",
                    err.msg);
}

void cli_diag(void *ctx, enum bilat_level level, const char *path, uint64_t line,
              const char *msg)
{
    (void)ctx;
    if (level == BILAT_LOG_INFO && cli.quiet)
        return;
    const char *what = level == BILAT_LOG_ERROR ? "error: " : level == BILAT_LOG_WARNING
                                                                  ? "warning: "
                                                                  : "";
    if (path && line)
        fprintf(stderr, "bilat: %s%s:%llu: %s\n", what, path, (unsigned long long)line, msg);
    else if (path)
        fprintf(stderr, "bilat: %s%s: %s\n", what, path, msg);
    else
        fprintf(stderr, "bilat: %s%s\n", what, msg);
}

int cli_finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno;
        fprintf(stderr, "bilat: error: cannot write to standard output: %s\n",
                e ? strerror(e) : "write error");
        return EXIT_FAIL;
    }
    return rc;
}

int cli_year(const struct cmd_help *help, const char *name, long v)
{
    if (v == 0 || (v >= 1000 && v <= 9999))
        return 0;
    opt_usage_error(help, "option '--%s' expects a year (e.g. 1996), got %ld", name, v);
    return -1;
}

int cli_period(const struct cmd_help *help, long from, long to)
{
    if (cli_year(help, "from", from) < 0 || cli_year(help, "to", to) < 0)
        return -1;
    if (from && to && from > to) {
        opt_usage_error(help, "--from %ld is after --to %ld", from, to);
        return -1;
    }
    return 0;
}

int cli_start(struct cli_run *run, int argc, char **argv, const struct opt *opts,
              const struct cmd_help *help)
{
    assert(run->max_args <= CLI_MAX_ARGS);
    int r = cli_parsed(
        opt_parse(argc, argv, opts, help, run->args, run->max_args, run->min_args, &run->nargs));
    if (r >= 0)
        return r;
    if (cli_period(help, run->from, run->to) < 0)
        return EXIT_USAGE;
    if (run->jobs < 0) {
        opt_usage_error(help, "--jobs must not be negative (got %ld)", run->jobs);
        return EXIT_USAGE;
    }
    if (run->open && cli_open(run, run->open))
        return EXIT_FAIL;
    return -1;
}

int cli_open(struct cli_run *run, unsigned flags)
{
    return cli_open_db(flags, &run->db);
}

int cli_end(struct cli_run *run, int rc, char *out)
{
    bilat_db_close(run->db);
    run->db = NULL;
    if (rc < 0) {
        bilat_free(out);
        return cli_fail_code(rc, &run->err);
    }
    fputs(out, stdout);
    bilat_free(out);
    return cli_finish(EXIT_OK);
}

int cli_end_rows(struct cli_run *run, int rc)
{
    bilat_db_close(run->db);
    run->db = NULL;
    if (rc > 0)
        return cli_finish(EXIT_FAIL); /* stdout failed; cli_finish says why */
    if (rc < 0) {
        fflush(stdout); /* the rows before the error */
        return cli_fail_code(rc, &run->err);
    }
    return cli_finish(EXIT_OK);
}

int cli_end_write(struct cli_run *run, int rc)
{
    if (rc == 0)
        cli_summaries(run->db, 0);
    bilat_db_close(run->db);
    run->db = NULL;
    return rc < 0 ? cli_fail(&run->err) : 0;
}

int cli_choice(const struct cmd_help *help, const char *what, const char *value,
               const char *const *names)
{
    size_t n = 0;
    for (; names[n]; n++)
        if (strcmp(value, names[n]) == 0)
            return (int)n;
    char list[256] = "";
    size_t len = 0;
    for (size_t i = 0; i < n && len < sizeof(list); i++) {
        int w = snprintf(list + len, sizeof(list) - len, "%s%s",
                         i == 0       ? ""
                         : i + 1 == n ? " or "
                                      : ", ",
                         names[i]);
        len += w > 0 ? (size_t)w : 0;
    }
    opt_usage_error(help, "unknown %s '%s' (%s)", what, value, list);
    return -1;
}

static void put_field(const struct cli_rows *o, const char *v)
{
    if (!v)
        return;
    if (o && o->tsv) {
        for (const char *p = v; *p; p++)
            putchar(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p);
        return;
    }
    if (!*v) {
        fputs("\"\"", stdout); /* empty, told apart from NULL (nothing) */
        return;
    }
    csv_write_field(v, strlen(v), csv_sink_file, stdout); /* core/csv.h */
}

int cli_print_row(void *ctx, int ncol, const char *const *names, const char *const *values)
{
    const struct cli_rows *o = ctx;
    const char *const *v = values ? values : names;
    for (int i = 0; i < ncol; i++) {
        if (i)
            putchar(o && o->tsv ? '\t' : ',');
        put_field(o, v[i]);
    }
    putchar('\n');
    return ferror(stdout) ? 1 : 0;
}

int cli_parsed(int r)
{
    if (r == OPT_HELP)
        return cli_finish(EXIT_OK);
    if (r == OPT_ERROR)
        return EXIT_USAGE;
    return -1;
}

const struct cli_cmd *cli_cmd_find(const struct cli_cmd *table, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
    return NULL;
}

static void kinds_usage(const struct cli_kinds *k, FILE *out)
{
    fputs(k->head, out);
    for (size_t i = 0; i < k->n; i++)
        fprintf(out, "  %-12s %s\n", k->kinds[i].name, k->kinds[i].summary);
    fputs(k->foot, out);
}

int cli_kinds_run(const struct cli_kinds *k, int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "bilat %s: error: %s (see 'bilat %s --help')\n", k->name, k->question,
                k->name);
        kinds_usage(k, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        kinds_usage(k, stdout);
        return cli_finish(EXIT_OK);
    }
    const struct cli_cmd *c = cli_cmd_find(k->kinds, k->n, argv[1]);
    if (c)
        return c->fn(argc - 1, argv + 1);
    fprintf(stderr, "bilat %s: error: unknown %s '%s' (see 'bilat %s --help')\n", k->name,
            k->what, argv[1], k->name);
    return EXIT_USAGE;
}

/* The directory holding the shipped data: ./data, else <program dir>/../data. */
int cli_data_dir(char *out, size_t n)
{
    if (bilat_file_is_dir("data/dictionaries")) {
        snprintf(out, n, "data");
        return 0;
    }
    char exe[2048], resolved[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (k <= 0)
        return -1;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    snprintf(out, n, "%s/../data", exe);
    if (realpath(out, resolved))
        snprintf(out, n, "%s", resolved);
    char probe[4200];
    snprintf(probe, sizeof(probe), "%s/dictionaries", out);
    return bilat_file_is_dir(probe) ? 0 : -1;
}
