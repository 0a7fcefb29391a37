/*
 * opt.c: the option parser and help printer behind every command.
 */
#include "cli/opt.h"

#include "core/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char exit_codes[] =
    "Exit status: 0 success, 1 runtime failure (I/O, SQL, bad data), 2 usage error,\n"
    "3 finished but rows were rejected (with --strict).\n";

void opt_print_help(const struct opt *opts, const struct cmd_help *help, void *outp)
{
    FILE *out = outp;
    const char *u = help->usage;
    fprintf(out, "usage: ");
    for (int first = 1; u && *u; first = 0) {
        const char *nl = strchr(u, '\n');
        size_t n = nl ? (size_t)(nl - u) : strlen(u);
        fprintf(out, "%sbilat %s %.*s\n", first ? "" : "   or: ", help->name, (int)n, u);
        u = nl ? nl + 1 : u + n;
    }
    fprintf(out, "\n%s\n", help->summary);
    if (help->description)
        fprintf(out, "\n%s", help->description);
    if (opts[0].type != OPT_END_)
        fprintf(out, "\nOptions:\n");
    for (const struct opt *o = opts; o->type != OPT_END_; o++) {
        char lhs[64];
        int n = 0;
        if (o->short_name && o->long_name)
            n = snprintf(lhs, sizeof(lhs), "-%c, --%s", o->short_name, o->long_name);
        else if (o->short_name)
            n = snprintf(lhs, sizeof(lhs), "-%c", o->short_name);
        else
            n = snprintf(lhs, sizeof(lhs), "    --%s", o->long_name);
        if (o->argh && n > 0 && (size_t)n < sizeof(lhs))
            snprintf(lhs + n, sizeof(lhs) - (size_t)n, " %s", o->argh);
        fprintf(out, "  %-26s %s\n", lhs, o->help);
    }
    fprintf(out, "  %-26s %s\n", "-h, --help", "show this help and exit");
    fprintf(out, "\nGlobal options (before the command): --db FILE (default ./bilat.db), "
                 "-q, -v.\n%s",
            exit_codes);
}

void opt_usage_error(const struct cmd_help *help, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "bilat %s: error: ", help->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    const char *u = help->usage;
    const char *nl = strchr(u, '\n');
    fprintf(stderr, "\nusage: bilat %s %.*s\n(see 'bilat %s --help')\n", help->name,
            (int)(nl ? (size_t)(nl - u) : strlen(u)), u, help->name);
}

/* Store a value for option o; 0 or OPT_ERROR. */
static int set_value(const struct opt *o, const char *arg, const struct cmd_help *help,
                     const char *shown)
{
    switch (o->type) {
    case OPT_BOOL_:
        *(int *)o->value = 1;
        return 0;
    case OPT_STRING_:
        *(const char **)o->value = arg;
        return 0;
    case OPT_INT_: {
        int64_t v;
        if (bilat_parse_int64(arg, strlen(arg), &v) < 0 || v < -2147483647 || v > 2147483647) {
            opt_usage_error(help, "option '%s' expects an integer, got '%s'", shown, arg);
            return OPT_ERROR;
        }
        *(long *)o->value = (long)v;
        return 0;
    }
    case OPT_LIST_: {
        struct opt_list *l = o->value;
        if (l->n >= OPT_LIST_MAX) {
            opt_usage_error(help, "option '%s' given more than %d times", shown, OPT_LIST_MAX);
            return OPT_ERROR;
        }
        l->v[l->n++] = arg;
        return 0;
    }
    case OPT_END_:
        break;
    }
    return OPT_ERROR;
}

int opt_parse(int argc, char **argv, const struct opt *opts, const struct cmd_help *help,
              const char **args_out, size_t max_args, size_t min_args, size_t *nargs_out)
{
    size_t nargs = 0;
    int only_operands = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || a[1] == '\0') {
            if (nargs >= max_args) {
                opt_usage_error(help, "unexpected argument '%s'", a);
                return OPT_ERROR;
            }
            args_out[nargs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = 1;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            opt_print_help(opts, help, stdout);
            return OPT_HELP;
        }
        const struct opt *o = NULL;
        const char *inline_arg = NULL;
        char shown[64];
        if (a[1] == '-') {
            const char *name = a + 2;
            const char *eq = strchr(name, '=');
            size_t n = eq ? (size_t)(eq - name) : strlen(name);
            for (const struct opt *p = opts; p->type != OPT_END_; p++)
                if (p->long_name && strlen(p->long_name) == n && strncmp(p->long_name, name, n) == 0)
                    o = p;
            snprintf(shown, sizeof(shown), "--%.*s", (int)n, name);
            if (eq)
                inline_arg = eq + 1;
        } else {
            for (const struct opt *p = opts; p->type != OPT_END_; p++)
                if (p->short_name == a[1])
                    o = p;
            snprintf(shown, sizeof(shown), "-%c", a[1]);
            if (a[2])
                inline_arg = a + 2;
        }
        if (!o) {
            opt_usage_error(help, "unknown option '%s'", shown);
            return OPT_ERROR;
        }
        if (o->type == OPT_BOOL_) {
            if (inline_arg) {
                opt_usage_error(help, "option '%s' takes no value", shown);
                return OPT_ERROR;
            }
            *(int *)o->value = 1;
            continue;
        }
        const char *arg = inline_arg;
        if (!arg) {
            if (i + 1 >= argc) {
                opt_usage_error(help, "option '%s' needs a value (%s)", shown,
                                o->argh ? o->argh : "VALUE");
                return OPT_ERROR;
            }
            arg = argv[++i];
        }
        if (set_value(o, arg, help, shown) < 0)
            return OPT_ERROR;
    }
    if (nargs < min_args) {
        opt_usage_error(help, "missing argument%s", min_args - nargs > 1 ? "s" : "");
        return OPT_ERROR;
    }
    *nargs_out = nargs;
    return OPT_OK;
}
