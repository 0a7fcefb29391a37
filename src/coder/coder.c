/*
 * coder.c: the public face of the event coder (bilat.h, "Event coder"): loading, input lines
 * (date, text, sentences), the CAMEO table for Goldstein values and quad classes, the unknown
 * names count, and turning the engine's events into the public structures.
 *
 * Input lines: "YYYY-MM-DD<TAB>text" (YYYY-MM and YYYY too) or "text". A line with control
 * bytes (binary data) is skipped with a warning; invalid UTF-8 bytes are dropped with a
 * warning; a sentence of more than CODER_MAX_TOKENS tokens is skipped with a warning, so that
 * a runaway line costs time proportional to its length and nothing more.
 */
#include "coder/coder_int.h"

#include "core/err.h"
#include "core/parse.h"
#include "core/tsv.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_cameo(const void *a, const void *b)
{
    return strcmp(((const struct coder_cameo *)a)->code, ((const struct coder_cameo *)b)->code);
}

/* Read code, goldstein and quad from the CAMEO table. */
static int load_cameo(struct bilat_coder *c, const char *path, struct bilat_err *err)
{
    struct tsv_file f;
    int rc = tsv_open(&f, path, err);
    if (rc < 0) {
        tsv_close(&f);
        return rc;
    }
    int ic = tsv_col(&f, "code"), ig = tsv_col(&f, "goldstein"), iq = tsv_col(&f, "quad");
    if (ic < 0 || ig < 0 || iq < 0) {
        tsv_close(&f);
        return bilat_fail(err, BILAT_EPARSE, "'%s' needs the columns code, goldstein, quad",
                          path);
    }
    for (;;) {
        int r = tsv_next(&f);
        if (r == 0)
            break;
        if (r < 0) {
            rc = bilat_fail(err, BILAT_EPARSE, "%s:%llu: %s", path, (unsigned long long)f.line,
                            f.reason);
            break;
        }
        if (f.lens[ic] == 0 || f.lens[ic] > 5)
            continue;
        struct coder_cameo *p =
            bilat_array_grow(c->cameo, c->ncameo, &c->cameocap, sizeof(*p), 512);
        if (!p) {
            rc = BILAT_ENOMEM;
            break;
        }
        c->cameo = p;
        struct coder_cameo *e = &c->cameo[c->ncameo];
        memset(e, 0, sizeof(*e));
        memcpy(e->code, f.fields[ic], f.lens[ic]);
        double g;
        e->goldstein = bilat_parse_double(f.fields[ig], f.lens[ig], &g) == 0 ? g : NAN;
        int64_t q;
        e->quad = bilat_parse_int64(f.fields[iq], f.lens[iq], &q) == 0 && q >= 1 && q <= 4
                      ? (int)q
                      : 0;
        c->ncameo++;
    }
    tsv_close(&f);
    if (rc == BILAT_ENOMEM)
        return bilat_fail(err, rc, "out of memory reading '%s'", path);
    if (rc < 0)
        return rc;
    qsort(c->cameo, c->ncameo, sizeof(*c->cameo), cmp_cameo);
    return 0;
}

static const struct coder_cameo *cameo_find(const struct bilat_coder *c, const char *code)
{
    struct coder_cameo key;
    memset(&key, 0, sizeof(key));
    snprintf(key.code, sizeof(key.code), "%s", code);
    return c->ncameo ? bsearch(&key, c->cameo, c->ncameo, sizeof(key), cmp_cameo) : NULL;
}

int bilat_coder_new(const struct bilat_coder_opts *opts, bilat_coder **coder_out,
                    struct bilat_err *err)
{
    double t0 = now_ms();
    *coder_out = NULL;
    struct bilat_coder *c = bilat_calloc(1, sizeof(*c));
    if (!c)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    c->flags = opts->flags;
    c->diag = opts->diag;
    int rc = dict_load(&c->d, opts->dicts, opts->ndicts, &opts->diag, err);
    if (rc < 0)
        goto fail;
    if (opts->cameo_path && (rc = load_cameo(c, opts->cameo_path, err)) < 0)
        goto fail;
    if ((rc = engine_new(&c->d, &c->eng)) < 0) {
        bilat_fail(err, rc, "out of memory");
        goto fail;
    }
    c->load_ms = now_ms() - t0;
    *coder_out = c;
    return 0;
fail:
    bilat_coder_free(c);
    return rc;
}

void bilat_coder_free(bilat_coder *c)
{
    if (!c)
        return;
    engine_free(c->eng);
    dict_release(&c->d);
    lex_release(&c->lx);
    eng_out_release(&c->out);
    bilat_free(c->cameo);
    bilat_free(c->pub);
    bilat_buf_release(&c->sbuf);
    bilat_buf_release(&c->explain);
    bilat_buf_release(&c->idbuf);
    for (size_t i = 0; i <= c->names_mask && c->names; i++)
        bilat_free(c->names[i].name);
    bilat_free(c->names);
    bilat_free(c);
}

void bilat_coder_stats(const bilat_coder *c, struct bilat_coder_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->actors = c->d.nactors;
    out->names = c->d.nnames;
    out->roles = c->d.nroles;
    out->groups = c->d.ngroups;
    out->forms = c->d.nforms;
    out->patterns = c->d.npats;
    out->synsets = c->d.nsyns;
    out->discards = c->d.ndiscards;
    out->rules = c->d.nrules;
    out->words = c->d.nwords ? c->d.nwords - 1 : 0;
    out->load_ms = c->load_ms;
}

static void warn(struct bilat_coder *c, const char *path, uint64_t line, const char *fmt, ...)
    BILAT_PRINTF(4, 5);

static void warn(struct bilat_coder *c, const char *path, uint64_t line, const char *fmt, ...)
{
    if (!c->diag.fn)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->diag.fn(c->diag.ctx, BILAT_LOG_WARNING, path ? path : "-", line, msg);
}

uint64_t coder_hash64(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
    return h;
}

/* ---------------------------------------------------------------------------------------------
 * Unknown names
 * ------------------------------------------------------------------------------------------ */

static int name_add(void *ctx, const char *name, size_t len)
{
    struct bilat_coder *c = ctx;
    if (len == 0 || len > 200)
        return 0;
    if ((c->names_n + 1) * 2 > c->names_mask + 1 || !c->names) {
        size_t cap = c->names ? (c->names_mask + 1) * 2 : 1024;
        struct coder_name *t = bilat_calloc(cap, sizeof(*t));
        if (!t)
            return BILAT_ENOMEM;
        if (c->names) {
            for (size_t i = 0; i <= c->names_mask; i++) {
                if (!c->names[i].name)
                    continue;
                size_t k = c->names[i].hash & (cap - 1);
                while (t[k].name)
                    k = (k + 1) & (cap - 1);
                t[k] = c->names[i];
            }
            bilat_free(c->names);
        }
        c->names = t;
        c->names_mask = cap - 1;
    }
    uint64_t h = coder_hash64(name, len);
    size_t k = h & c->names_mask;
    while (c->names[k].name) {
        if (c->names[k].hash == h && strlen(c->names[k].name) == len &&
            memcmp(c->names[k].name, name, len) == 0) {
            c->names[k].count++;
            return 0;
        }
        k = (k + 1) & c->names_mask;
    }
    char *s = bilat_strndup(name, len);
    if (!s)
        return BILAT_ENOMEM;
    c->names[k].name = s;
    c->names[k].hash = h;
    c->names[k].count = 1;
    c->names_n++;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    const struct coder_name *x = *(const struct coder_name *const *)a;
    const struct coder_name *y = *(const struct coder_name *const *)b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->name, y->name);
}

int bilat_coder_unknown_names(bilat_coder *c, bilat_name_fn *fn, void *ctx,
                              struct bilat_err *err)
{
    if (!c->names_n)
        return 0;
    const struct coder_name **v = bilat_alloc_array(c->names_n, sizeof(*v));
    if (!v)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i <= c->names_mask; i++)
        if (c->names[i].name)
            v[n++] = &c->names[i];
    qsort(v, n, sizeof(*v), cmp_names);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = fn(ctx, v[i]->name, v[i]->count);
    bilat_free(v);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Public events
 * ------------------------------------------------------------------------------------------ */

/* Offsets into c->sbuf are turned into pointers once the buffer stops growing. */
#define OFF(x) ((const char *)(uintptr_t)(x))
#define PTR(c, x) ((c)->sbuf.buf + (uintptr_t)(x))

static int sadd(struct bilat_coder *c, const char **slot, const char *fmt, ...)
    BILAT_PRINTF(3, 4);

static int sadd(struct bilat_coder *c, const char **slot, const char *fmt, ...)
{
    size_t off = c->sbuf.len;
    va_list ap;
    va_start(ap, fmt);
    int r = bilat_buf_vaddf(&c->sbuf, fmt, ap);
    va_end(ap);
    if (r < 0)
        return r;
    BILAT_TRY(bilat_buf_addch(&c->sbuf, '\0'));
    *slot = OFF(off);
    return 0;
}

static int entry_of(struct bilat_coder *c, const struct eng_actor *a, const char **slot)
{
    if (a->ent)
        return sadd(c, slot, "%s:%u", c->d.files[a->ent->file], a->ent->line);
    if (a->role)
        return sadd(c, slot, "%s:%u", c->d.files[a->role->file], a->role->line);
    return sadd(c, slot, "%s", "");
}

static int build_public(struct bilat_coder *c, const char *text)
{
    const struct eng_out *o = &c->out;
    if (o->n > c->pubcap) {
        size_t cap = o->n + 8;
        struct bilat_coded_event *p = bilat_realloc_array(c->pub, cap, sizeof(*p));
        if (!p)
            return BILAT_ENOMEM;
        c->pub = p;
        c->pubcap = cap;
    }
    bilat_buf_reset(&c->sbuf);
    for (size_t i = 0; i < o->n; i++) {
        const struct eng_event *ev = &o->ev[i];
        struct bilat_coded_event *p = &c->pub[i];
        memset(p, 0, sizeof(*p));
        const struct lex_tok *tk = c->lx.tok;
        BILAT_TRY(sadd(c, &p->date, "%s", o->date));
        BILAT_TRY(sadd(c, &p->source, "%s", ev->src.code));
        BILAT_TRY(sadd(c, &p->target, "%s", ev->tgt.code));
        const struct dict_actor *se = ev->src.ent, *te = ev->tgt.ent;
        if (!ev->src.named)
            se = NULL;
        if (!ev->tgt.named)
            te = NULL;
        static const char *const kinds[] = {"", "state", "party", "person", "organisation",
                                            "group", "place"};
        BILAT_TRY(sadd(c, &p->source_entity, "%s", se && se->id ? se->id : ""));
        BILAT_TRY(sadd(c, &p->target_entity, "%s", te && te->id ? te->id : ""));
        BILAT_TRY(sadd(c, &p->source_name, "%s", se ? se->name : ""));
        BILAT_TRY(sadd(c, &p->target_name, "%s", te ? te->name : ""));
        BILAT_TRY(sadd(c, &p->source_kind, "%s", se && se->kind < 7 ? kinds[se->kind] : ""));
        BILAT_TRY(sadd(c, &p->target_kind, "%s", te && te->kind < 7 ? kinds[te->kind] : ""));
        BILAT_TRY(sadd(c, &p->cameo, "%s", ev->cameo));
        const struct coder_cameo *cm = cameo_find(c, ev->cameo);
        p->goldstein = cm ? cm->goldstein : NAN;
        p->quad = cm ? cm->quad : 0;
        if (ev->src.end > ev->src.start) {
            p->source_text = text + tk[ev->src.start].off;
            p->source_len =
                tk[ev->src.end - 1].off + tk[ev->src.end - 1].len - tk[ev->src.start].off;
        } else {
            p->source_text = ""; /* an actor the text leaves unnamed */
        }
        if (ev->tgt.code[0] && ev->tgt.end > ev->tgt.start) {
            p->target_text = text + tk[ev->tgt.start].off;
            p->target_len =
                tk[ev->tgt.end - 1].off + tk[ev->tgt.end - 1].len - tk[ev->tgt.start].off;
        } else {
            p->target_text = "";
        }
        p->verb_text = text + tk[ev->vstart].off;
        p->verb_len = tk[ev->vend - 1].off + tk[ev->vend - 1].len - tk[ev->vstart].off;
        BILAT_TRY(entry_of(c, &ev->src, &p->source_entry));
        if (ev->tgt.code[0])
            BILAT_TRY(entry_of(c, &ev->tgt, &p->target_entry));
        else
            BILAT_TRY(sadd(c, &p->target_entry, "%s", ""));
        if (ev->pattern >= 0) {
            const struct dict_pattern *pt = &c->d.pats[ev->pattern];
            BILAT_TRY(sadd(c, &p->pattern, "%s:%u %s%s%s %s", c->d.files[pt->file], pt->line,
                           pt->code.a[0] ? pt->code.a : "", pt->code.b[0] ? ":" : "",
                           pt->code.b, pt->text));
        } else if (ev->vform) {
            const struct dict_group *g = &c->d.groups[ev->vform->group];
            char gc[16];
            snprintf(gc, sizeof(gc), "%s%s%s", g->code.a, g->code.b[0] ? ":" : "", g->code.b);
            BILAT_TRY(sadd(c, &p->pattern, "%s:%u verb %s %s", c->d.files[ev->vform->file],
                           ev->vform->line, g->name, ev->vform->code ? ev->vform->code : gc));
        } else {
            BILAT_TRY(sadd(c, &p->pattern, "%s", ""));
        }
        p->flags = ev->flags;
    }
    for (size_t i = 0; i < o->n; i++) {
        struct bilat_coded_event *p = &c->pub[i];
        p->date = PTR(c, p->date);
        p->source = PTR(c, p->source);
        p->target = PTR(c, p->target);
        p->source_entity = PTR(c, p->source_entity);
        p->target_entity = PTR(c, p->target_entity);
        p->source_name = PTR(c, p->source_name);
        p->target_name = PTR(c, p->target_name);
        p->source_kind = PTR(c, p->source_kind);
        p->target_kind = PTR(c, p->target_kind);
        p->cameo = PTR(c, p->cameo);
        p->source_entry = PTR(c, p->source_entry);
        p->target_entry = PTR(c, p->target_entry);
        p->pattern = PTR(c, p->pattern);
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Lines
 * ------------------------------------------------------------------------------------------ */

/* Code `text` (already stripped of its date); id_base is the line number or the given id. */
static int code_text(struct bilat_coder *c, const char *id_base, const char *date,
                     const char *text, size_t len, uint64_t line_hash, const char *path,
                     uint64_t lineno, bilat_sentence_fn *fn, void *ctx, struct bilat_err *err)
{
    if (bilat_lex_check_binary(text, len)) {
        warn(c, path, lineno, "binary data (control bytes), line skipped");
        return 0;
    }
    int rc = lex_line(&c->lx, text, len);
    if (rc < 0)
        return bilat_fail(err, rc, "out of memory");
    if (c->lx.warn & LEX_WARN_BADUTF8)
        warn(c, path, lineno, "invalid UTF-8 bytes ignored");
    for (size_t i = 0; i < c->lx.n; i++) {
        struct lex_tok *t = &c->lx.tok[i];
        t->word = dict_word(&c->d, lex_key(&c->lx, i), t->nlen, t->hash);
    }
    /* sentence boundaries first, so that each sentence knows how many the line has */
    size_t nsent = 0;
    for (size_t s = 0; s < c->lx.n; s = lex_sentence_end(&c->lx, text, s))
        nsent++;
    size_t idx = 0;
    for (size_t s = 0; s < c->lx.n; idx++) {
        size_t e = lex_sentence_end(&c->lx, text, s);
        const struct lex_tok *a = &c->lx.tok[s], *b = &c->lx.tok[e - 1];
        struct bilat_coded_sentence out;
        memset(&out, 0, sizeof(out));
        bilat_buf_reset(&c->idbuf);
        if (nsent == 1)
            rc = bilat_buf_adds(&c->idbuf, id_base);
        else
            rc = bilat_buf_addf(&c->idbuf, "%s.%zu", id_base, idx + 1);
        if (rc < 0)
            return bilat_fail(err, rc, "out of memory");
        out.id = c->idbuf.buf;
        out.line = lineno;
        out.index = idx;
        out.count = nsent;
        out.line_hash = line_hash;
        out.text = text + a->off;
        out.len = b->off + b->len - a->off;
        out.line_date = date ? date : "";
        if (e - s > CODER_MAX_TOKENS) {
            warn(c, path, lineno, "sentence %zu has %zu tokens (more than %d), not coded",
                 idx + 1, e - s, CODER_MAX_TOKENS);
            out.uncoded = "sentence too long";
            rc = fn ? fn(ctx, &out) : 0;
            if (rc)
                return rc;
            s = e;
            continue;
        }
        struct bilat_buf *ex = NULL;
        if (c->flags & BILAT_CODER_EXPLAIN) {
            bilat_buf_reset(&c->explain);
            ex = &c->explain;
            if (bilat_buf_addf(ex, "sentence %s%s%s%s: %.*s\n", out.id, *out.line_date ? " [" : "",
                               out.line_date, *out.line_date ? "]" : "", (int)out.len,
                               out.text) < 0)
                return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
        rc = engine_code(c->eng, &c->lx, text, s, e, date, c->flags, &c->out, ex,
                         (c->flags & BILAT_CODER_NAMES) ? name_add : NULL, c);
        if (rc < 0 || (rc = build_public(c, text)) < 0)
            return bilat_fail(err, rc, "out of memory");
        out.events = c->pub;
        out.nevents = c->out.n;
        out.uncoded = c->out.n ? NULL : c->out.uncoded;
        out.explain = ex ? ex->buf : NULL;
        rc = fn ? fn(ctx, &out) : 0;
        if (rc)
            return rc;
        s = e;
    }
    return 0;
}

int bilat_lex_check_binary(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x20 && ch != '\t' && ch != '\r' && ch != '\n' && ch != '\f' && ch != '\v')
            return 1;
    }
    return 0;
}

/* Printable ASCII only (for quoting input in messages). */
static int printable(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

int bilat_coder_line(bilat_coder *c, const char *line, size_t len, const char *path,
                     uint64_t lineno, bilat_sentence_fn *fn, void *ctx, struct bilat_err *err)
{
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    uint64_t h = coder_hash64(line, len);
    size_t k0 = 0;
    while (k0 < len && (line[k0] == ' ' || line[k0] == '\t'))
        k0++;
    if (k0 == len)
        return 0; /* a blank line */
    if (bilat_lex_check_binary(line, len)) {
        warn(c, path, lineno, "binary data (control bytes), line skipped");
        return 0;
    }
    const char *text = line;
    size_t tlen = len;
    char date[16] = "";
    const char *tab = memchr(line, '\t', len);
    if (tab) {
        size_t dl = (size_t)(tab - line);
        struct bilat_date dt;
        if (dl > 0 && dl < sizeof(date) && bilat_date_parse(line, dl, &dt) == 0) {
            memcpy(date, line, dl);
            date[dl] = '\0';
        } else if (dl > 0) {
            if (printable(line, dl) && dl <= 40)
                warn(c, path, lineno, "'%.*s' is not a date (YYYY-MM-DD); coded without a date",
                     (int)dl, line);
            else
                warn(c, path, lineno, "the text before the tab is not a date (YYYY-MM-DD); "
                                      "coded without a date");
        }
        text = tab + 1;
        tlen = len - dl - 1;
    }
    /* blank lines give nothing */
    size_t k = 0;
    while (k < tlen && (text[k] == ' ' || text[k] == '\t'))
        k++;
    if (k == tlen)
        return 0;
    char idb[32];
    snprintf(idb, sizeof(idb), "%llu", (unsigned long long)lineno);
    return code_text(c, idb, date, text, tlen, h, path, lineno, fn, ctx, err);
}

int bilat_coder_text(bilat_coder *c, const char *id, const char *date, const char *text,
                     size_t len, const char *path, uint64_t lineno, bilat_sentence_fn *fn,
                     void *ctx, struct bilat_err *err)
{
    char d[16] = "";
    if (date && *date) {
        struct bilat_date dt;
        if (strlen(date) < sizeof(d) && bilat_date_parse(date, strlen(date), &dt) == 0)
            snprintf(d, sizeof(d), "%s", date);
        else if (printable(date, strlen(date)) && strlen(date) <= 40)
            warn(c, path, lineno, "'%s' is not a date (YYYY-MM-DD); coded without a date", date);
        else
            warn(c, path, lineno, "the date is not a date (YYYY-MM-DD); coded without a date");
    }
    /* the key covers the id, the date and the text, like a whole input line */
    uint64_t h = coder_hash64(text, len) ^ (coder_hash64(d, strlen(d)) * 31) ^
                 (id ? coder_hash64(id, strlen(id)) * 131 : 0);
    char idb[32];
    if (!id || !*id) {
        snprintf(idb, sizeof(idb), "%llu", (unsigned long long)lineno);
        id = idb;
    }
    size_t k = 0;
    while (k < len && (text[k] == ' ' || text[k] == '\t' || text[k] == '\n' || text[k] == '\r'))
        k++;
    if (k == len)
        return 0;
    return code_text(c, id, d, text, len, h, path, lineno, fn, ctx, err);
}

int coder_actor_lookup(bilat_coder *c, const char *phrase, int32_t date, const char **id_out,
                       const char **code_out)
{
    struct lex lx = LEX_INIT;
    int rc = lex_line(&lx, phrase, strlen(phrase));
    if (rc < 0) {
        lex_release(&lx);
        return rc;
    }
    int32_t node = 0;
    for (size_t i = 0; i < lx.n && node >= 0; i++) {
        uint32_t w = dict_word(&c->d, lex_key(&lx, i), lx.tok[i].nlen, lx.tok[i].hash);
        node = w ? dict_child(&c->d, (uint32_t)node, w) : -1;
    }
    lex_release(&lx);
    if (node <= 0 || c->d.nodes[node].actor < 0)
        return 0;
    const struct dict_actor *a = &c->d.actors[c->d.nodes[node].actor];
    const struct dict_code *dc = dict_actor_code(&c->d, a, date);
    *id_out = a->id;
    *code_out = dc ? dc->code : NULL;
    return 1;
}
