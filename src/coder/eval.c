/*
 * eval.c: scoring the coder against a gold file (bilat code --eval).
 *
 * Gold file: tab-separated with the header `id date events text`; `events` lists the expected
 * events as SOURCE|TARGET|CODE separated by ';' (empty: the sentence should give none).
 *
 * Scores, summed over sentences: for the CAMEO root code (first two digits) and for the triple
 * (source country, target country, root), where an actor's country is the first three letters
 * of its code, true positives are the size of the multiset intersection of expected and coded
 * keys; precision = tp / coded, recall = tp / expected, F1 their harmonic mean. Extra events
 * per sentence = sum of max(0, coded - expected) over sentences, divided by the sentences.
 */
#include "coder/coder_int.h"

#include "core/err.h"
#include "core/tsv.h"

#include <stdio.h>
#include <string.h>

enum { EV_MAX = 64 };

struct key {
    char root[3];
    char src[4];
    char tgt[4];
};

struct sent {
    struct key coded[EV_MAX];
    size_t n;
    struct bilat_buf text; /* "SRC|TGT|CODE;..." */
};

static void key_of(struct key *k, const char *src, size_t sl, const char *tgt, size_t tl,
                   const char *code, size_t cl)
{
    memset(k, 0, sizeof(*k));
    memcpy(k->root, code, cl < 2 ? cl : 2);
    memcpy(k->src, src, sl < 3 ? sl : 3);
    memcpy(k->tgt, tgt, tl < 3 ? tl : 3);
}

static int collect(void *ctx, const struct bilat_coded_sentence *s)
{
    struct sent *st = ctx;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        if (st->n < EV_MAX) {
            key_of(&st->coded[st->n], e->source, strlen(e->source), e->target,
                   strlen(e->target), e->cameo, strlen(e->cameo));
            st->n++;
        }
        if (bilat_buf_addf(&st->text, "%s%s|%s|%s", st->text.len ? ";" : "", e->source,
                           e->target, e->cameo) < 0)
            return BILAT_ENOMEM;
    }
    return 0;
}

/* Multiset intersection size; `triple` compares all three parts, else the root only. */
static size_t overlap(const struct key *a, size_t na, const struct key *b, size_t nb, int triple)
{
    int used[EV_MAX] = {0};
    size_t tp = 0;
    for (size_t i = 0; i < na; i++)
        for (size_t j = 0; j < nb; j++) {
            if (used[j] || strcmp(a[i].root, b[j].root) != 0)
                continue;
            if (triple && (strcmp(a[i].src, b[j].src) != 0 || strcmp(a[i].tgt, b[j].tgt) != 0))
                continue;
            used[j] = 1;
            tp++;
            break;
        }
    return tp;
}

static void score(struct bilat_coder_score *s)
{
    s->precision = s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) : 0;
    s->recall = s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 0;
    s->f1 = s->precision + s->recall > 0
                ? 2 * s->precision * s->recall / (s->precision + s->recall)
                : 0;
}

/* Parse "SRC|TGT|CODE;..." into keys; -1 when malformed. */
static int parse_events(const char *s, size_t len, struct key *out, size_t *n)
{
    *n = 0;
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        const char *q = semi ? semi : end;
        if (q > p) {
            const char *b1 = memchr(p, '|', (size_t)(q - p));
            const char *b2 = b1 ? memchr(b1 + 1, '|', (size_t)(q - b1 - 1)) : NULL;
            if (!b1 || !b2 || b2 + 1 >= q || *n >= EV_MAX)
                return -1;
            key_of(&out[*n], p, (size_t)(b1 - p), b1 + 1, (size_t)(b2 - b1 - 1), b2 + 1,
                   (size_t)(q - b2 - 1));
            (*n)++;
        }
        if (!semi)
            break;
        p = semi + 1;
    }
    return 0;
}

int bilat_coder_eval(bilat_coder *c, const char *gold_path, bilat_eval_fn *fn, void *ctx,
                     struct bilat_coder_eval *out, struct bilat_err *err)
{
    memset(out, 0, sizeof(*out));
    struct tsv_file f;
    struct sent st;
    memset(&st, 0, sizeof(st));
    bilat_buf_init(&st.text);
    int rc = tsv_open(&f, gold_path, err);
    if (rc < 0)
        goto out;
    int ci = tsv_col(&f, "id"), cd = tsv_col(&f, "date"), ce = tsv_col(&f, "events"),
        ct = tsv_col(&f, "text");
    if (ci < 0 || cd < 0 || ce < 0 || ct < 0) {
        rc = bilat_fail_at(err, BILAT_EPARSE, gold_path, f.line,
                           "a gold file needs the columns id, date, events, text");
        goto out;
    }
    int bad = 0;
    for (;;) {
        int r = tsv_next(&f);
        if (r == 0)
            break;
        if (r < 0) {
            bad++;
            if (c->diag.fn)
                c->diag.fn(c->diag.ctx, BILAT_LOG_ERROR, gold_path, f.line, f.reason);
            continue;
        }
        struct key gold[EV_MAX];
        size_t ng;
        if (parse_events(f.fields[ce], f.lens[ce], gold, &ng) < 0) {
            bad++;
            if (c->diag.fn)
                c->diag.fn(c->diag.ctx, BILAT_LOG_ERROR, gold_path, f.line,
                           "bad events (SOURCE|TARGET|CODE separated by ';')");
            continue;
        }
        st.n = 0;
        bilat_buf_reset(&st.text);
        rc = bilat_coder_text(c, f.fields[ci], f.fields[cd], f.fields[ct], f.lens[ct], gold_path,
                              f.line, collect, &st, err);
        if (rc < 0)
            goto out;
        size_t rt = overlap(gold, ng, st.coded, st.n, 0);
        size_t tt = overlap(gold, ng, st.coded, st.n, 1);
        out->sentences++;
        out->gold_events += ng;
        out->coded_events += st.n;
        out->root.tp += rt;
        out->root.fp += st.n - rt;
        out->root.fn += ng - rt;
        out->triple.tp += tt;
        out->triple.fp += st.n - tt;
        out->triple.fn += ng - tt;
        if (st.n > ng)
            out->extra_events += st.n - ng;
        int exact = tt == ng && st.n == ng;
        out->exact += exact;
        if (fn) {
            rc = fn(ctx, f.fields[ci], f.fields[ct], f.fields[ce], st.text.buf, exact);
            if (rc)
                goto out;
        }
    }
    if (bad) {
        rc = bilat_fail(err, BILAT_EPARSE, "%d bad line%s in '%s'", bad, bad == 1 ? "" : "s",
                        gold_path);
        goto out;
    }
    score(&out->root);
    score(&out->triple);
    out->extra_per_sentence =
        out->sentences ? (double)out->extra_events / (double)out->sentences : 0;
out:
    tsv_close(&f);
    bilat_buf_release(&st.text);
    return rc;
}
