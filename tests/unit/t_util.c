/*
 * t_util.c: code shared by the unit tests (t_util.h).
 */
#include "t_util.h"

#include "t.h"

#include "core/buf.h"
#include "core/alloc.h"

const char *t_path(const char *name)
{
    static char p[4096];
    snprintf(p, sizeof(p), "%s/%s", t_tmpdir, name);
    return p;
}

void t_collect(void *ctx, enum bilat_level lv, const char *path, uint64_t line, const char *msg)
{
    struct t_diags *d = ctx;
    if (!d)
        return;
    if (lv == BILAT_LOG_ERROR)
        d->errors++;
    else if (lv == BILAT_LOG_WARNING)
        d->warnings++;
    const char *base = path ? strrchr(path, '/') : NULL;
    snprintf(d->last, sizeof(d->last), "%s:%llu: %s", base ? base + 1 : (path ? path : ""),
             (unsigned long long)line, msg);
    char one[600];
    snprintf(one, sizeof(one), "%s:%llu: %s\n", base ? base + 1 : (path ? path : ""),
             (unsigned long long)line, msg);
    if (!d->first[0])
        snprintf(d->first, sizeof(d->first), "%s", one);
    size_t n = strlen(d->all);
    snprintf(d->all + n, sizeof(d->all) - n, "%s", one);
}

int t_row_text(void *ctx, int ncol, const char *const *names, const char *const *v)
{
    (void)names;
    struct bilat_buf *b = ctx;
    if (!v)
        return 0;
    for (int i = 0; i < ncol; i++)
        bilat_buf_addf(b, "%s%s", i ? "|" : "", v[i] ? v[i] : "<null>");
    bilat_buf_addch(b, '\n');
    return 0;
}

char *t_query(bilat_db *db, const char *sql)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    struct bilat_err err = {0};
    if (bilat_sql_each(db, sql, t_row_text, &b, &err) < 0) {
        fprintf(stderr, "query failed: %s\n", err.msg);
        bilat_buf_release(&b);
        return NULL;
    }
    return bilat_buf_detach(&b, NULL);
}

int t_oom_can_run(const char *test)
{
    if (bilat_alloc_can_fail())
        return 1;
    fprintf(stderr,
            "%s: not run: allocations fail on demand only in debug and sanitizer "
            "builds (make DEBUG=1, make SANITIZE=address,undefined)\n",
            test);
    return 0;
}

unsigned long t_oom_next(unsigned long n)
{
    return n < 256 ? n + 1 : n + n / 64;
}

void t_oom_report(const char *test, unsigned long failed, unsigned long last)
{
    fprintf(stderr,
            "%s: %lu allocation points failed (up to allocation %lu), each a clean "
            "out-of-memory error\n",
            test, failed, last);
}

bilat_coder *t_coder_load(const char **dicts, size_t n, unsigned flags, struct t_diags *d)
{
    struct bilat_coder_opts o = {dicts, n, "data/reference/cameo.tsv", flags, {t_collect, d}};
    bilat_coder *c = NULL;
    struct bilat_err err = {0};
    if (bilat_coder_new(&o, &c, &err) < 0) {
        fprintf(stderr, "cannot load dictionaries: %s\n", err.msg);
        return NULL;
    }
    return c;
}

bilat_coder *t_coder_shipped(unsigned flags)
{
    static const char *shipped[] = {"data/dictionaries"};
    return t_coder_load(shipped, 1, flags, NULL);
}

static int events_text(void *ctx, const struct bilat_coded_sentence *s)
{
    struct bilat_buf *b = ctx;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        bilat_buf_addf(b, "%s%s|%s|%s", b->len ? ";" : "", e->source, e->target, e->cameo);
    }
    return 0;
}

const char *t_coder_events(bilat_coder *c, const char *line)
{
    return t_coder_text(c, line, events_text);
}

const char *t_coder_text(bilat_coder *c, const char *line, bilat_sentence_fn *fn)
{
    static char out[4096];
    struct bilat_buf b;
    bilat_buf_init(&b);
    struct bilat_err err = {0};
    if (bilat_coder_line(c, line, strlen(line), "test", 1, fn, &b, &err) < 0)
        snprintf(out, sizeof(out), "(error)");
    else
        snprintf(out, sizeof(out), "%s", b.buf ? b.buf : "");
    bilat_buf_release(&b);
    return out;
}
