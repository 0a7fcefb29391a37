/*
 * eval.c: scoring the coder against a gold file (bilat code --eval).
 *
 * Gold file: tab-separated with the header `id date events text` (in any order, other columns
 * ignored; `expected_events` for `events` and YYYYMMDD dates in the flattened PETRARCH
 * validation files); `events` lists the expected events as SOURCE|TARGET|CODE separated by ';'
 * (empty: the sentence should give none). A part (bilat_coder_eval_part) keeps the records
 * whose id falls in one half of a split by a hash of the id.
 *
 * Scores, summed over sentences: for the CAMEO root code (first two digits) and for the triple
 * (source country, target country, root), where an actor's country is the first three letters
 * of its code, true positives are the size of the multiset intersection of expected and coded
 * keys; precision = tp / coded, recall = tp / expected, F1 their harmonic mean. Extra events
 * per sentence = sum of max(0, coded - expected) over sentences, divided by the sentences.
 */
#include "coder/coder_int.h"

#include "core/csv.h"
#include "core/err.h"
#include "core/parse.h"
#include "core/tsv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { EV_MAX = 64 };

struct key {
    char root[3];
    char src[4];
    char tgt[4];
    char fsrc[48]; /* the whole actor codes, for the party check */
    char ftgt[48];
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
    memcpy(k->fsrc, src, sl < sizeof(k->fsrc) - 1 ? sl : sizeof(k->fsrc) - 1);
    memcpy(k->ftgt, tgt, tl < sizeof(k->ftgt) - 1 ? tl : sizeof(k->ftgt) - 1);
}

/* A party actor: a code with the role PTY after its country. */
static int is_party(const char *code)
{
    return strlen(code) > 3 && strstr(code + 3, "PTY") != NULL;
}

/* A country the expected events name (the first three letters of one of their actors). */
static int named_country(const struct key *gold, size_t ng, const char *cty)
{
    for (size_t i = 0; i < ng; i++)
        if (strcmp(gold[i].src, cty) == 0 || strcmp(gold[i].tgt, cty) == 0)
            return 1;
    return 0;
}

/* Is the expected party actor p coded: an actor of the same country with the role PTY? */
static int party_coded(const struct key *coded, size_t nc, const char *p)
{
    for (size_t i = 0; i < nc; i++) {
        const char *a[2] = {coded[i].fsrc, coded[i].ftgt};
        for (int k = 0; k < 2; k++)
            if (strncmp(a[k], p, 3) == 0 && is_party(a[k]))
                return 1;
    }
    return 0;
}

/*
 * The party check of one sentence: -1 when its expected events name no party; else 1 when
 * every expected party actor is coded (its country and PTY) and no coded actor is of a country
 * the expected events do not name, 0 otherwise.
 */
static int party_check(const struct key *gold, size_t ng, const struct key *coded, size_t nc)
{
    int parties = 0, right = 1;
    for (size_t i = 0; i < ng; i++) {
        const char *a[2] = {gold[i].fsrc, gold[i].ftgt};
        for (int k = 0; k < 2; k++)
            if (is_party(a[k])) {
                parties = 1;
                if (!party_coded(coded, nc, a[k]))
                    right = 0;
            }
    }
    if (!parties)
        return -1;
    for (size_t i = 0; i < nc && right; i++) {
        const char *a[2] = {coded[i].src, coded[i].tgt};
        for (int k = 0; k < 2; k++)
            if (a[k][0] && strcmp(a[k], "---") != 0 && !named_country(gold, ng, a[k]))
                right = 0;
    }
    return right;
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

/* The ';' that separates events at or after p: not the end of an XML character reference
 * ("&quot;"), which the flattened PETRARCH files keep in actors written as text. */
static const char *next_semi(const char *p, const char *end)
{
    for (const char *q = p; (q = memchr(q, ';', (size_t)(end - q))) != NULL; q++) {
        const char *a = q;
        while (a > p && q - a < 6 && a[-1] >= 'a' && a[-1] <= 'z')
            a--;
        if (!(a > p && a[-1] == '&' && a < q))
            return q;
    }
    return NULL;
}

/*
 * Parse "SRC|TGT|CODE;..." into keys; -1 when malformed. An event written "||" (nothing in
 * any part: how the flattened PETRARCH files write a record that expects a dateline or a
 * discard error) is no event.
 */
static int parse_events(const char *s, size_t len, struct key *out, size_t *n)
{
    *n = 0;
    const char *p = s, *end = s + len;
    while (p < end) {
        const char *semi = next_semi(p, end);
        const char *q = semi ? semi : end;
        if (q - p == 2 && p[0] == '|' && p[1] == '|') {
            /* no event */
        } else if (q > p) {
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

/* The part of a record (enum bilat_coder_part) by its id: bit 40 of its FNV-1a hash, a bit
 * that mixes every byte of the id (the low bits of FNV-1a hardly do). */
static int record_part(const char *id)
{
    uint64_t h = 14695981039346656037ULL; /* the FNV-1a offset basis */
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return ((h >> 40) & 1) ? BILAT_PART_HELDOUT : BILAT_PART_DEV;
}

/* A gold date as the coder reads it: YYYYMMDD (the PETRARCH files) becomes YYYY-MM-DD; other
 * forms are passed on as written. `buf` holds 11 bytes. */
static const char *gold_date(const char *s, size_t n, char *buf)
{
    if (n != 8 || strspn(s, "0123456789") != 8)
        return s;
    snprintf(buf, 11, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
    return buf;
}

/* 0 when no row of `path` was bad, else BILAT_EPARSE: "N bad WHATs in 'path'". */
static int bad_rows(struct bilat_err *err, int bad, const char *what, const char *path)
{
    if (bad == 0)
        return 0;
    return bilat_fail(err, BILAT_EPARSE, "%d bad %s%s in '%s'", bad, what, bad == 1 ? "" : "s",
                      path);
}

int bilat_coder_eval(bilat_coder *c, const char *gold_path, bilat_eval_fn *fn, void *ctx,
                     struct bilat_coder_eval *out, struct bilat_err *err)
{
    return bilat_coder_eval_part(c, gold_path, BILAT_PART_ALL, fn, ctx, out, err);
}

int bilat_coder_eval_part(bilat_coder *c, const char *gold_path, int part, bilat_eval_fn *fn,
                          void *ctx, struct bilat_coder_eval *out, struct bilat_err *err)
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
    if (ce < 0)
        ce = tsv_col(&f, "expected_events"); /* the flattened PETRARCH validation files */
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
        if (part != BILAT_PART_ALL && record_part(f.fields[ci]) != part)
            continue;
        st.n = 0;
        bilat_buf_reset(&st.text);
        char dbuf[11];
        rc = bilat_coder_text(c, f.fields[ci], gold_date(f.fields[cd], f.lens[cd], dbuf),
                              f.fields[ct], f.lens[ct], gold_path, f.line, collect, &st, err);
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
        int party = party_check(gold, ng, st.coded, st.n);
        if (party >= 0) {
            out->party_sentences++;
            out->party_right += (uint64_t)party;
        }
        if (fn) {
            rc = fn(ctx, f.fields[ci], f.fields[ct], f.fields[ce], st.text.buf, exact);
            if (rc)
                goto out;
        }
    }
    if ((rc = bad_rows(err, bad, "line", gold_path)) < 0)
        goto out;
    score(&out->root);
    score(&out->triple);
    out->extra_per_sentence =
        out->sentences ? (double)out->extra_events / (double)out->sentences : 0;
out:
    tsv_close(&f);
    bilat_buf_release(&st.text);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Silver sets: Chinese leaders' engagements with a named country (ChinaVitae layout)
 *
 * Each CSV record is one engagement; its events should have China on one side and the country
 * of the `country` column on the other. Scored per record (a record may hold several
 * sentences): coded (any event), China among the actors, the country among the actors, both,
 * an event between the two, and an actor of neither.
 * ------------------------------------------------------------------------------------------ */

static void diag(const bilat_coder *c, enum bilat_level lv, const char *path, uint64_t line,
                 const char *fmt, ...) BILAT_PRINTF(5, 6);

static void diag(const bilat_coder *c, enum bilat_level lv, const char *path, uint64_t line,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(&c->diag, lv, path, line, fmt, ap);
    va_end(ap);
}

struct silver_rec {
    const char *cty;       /* the record's country code ("" when unknown) */
    int coded, china, partner, dyad, other;
    struct bilat_buf text; /* "SRC|TGT|CODE;..." */
};

static int silver_collect(void *ctx, const struct bilat_coded_sentence *s)
{
    struct silver_rec *r = ctx;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        const char *a[2] = {e->source, e->target};
        int chn[2] = {0, 0}, par[2] = {0, 0};
        r->coded = 1;
        for (int k = 0; k < 2; k++) {
            if (!a[k][0] || strncmp(a[k], "---", 3) == 0)
                continue;
            chn[k] = strncmp(a[k], "CHN", 3) == 0;
            par[k] = r->cty[0] && strncmp(a[k], r->cty, 3) == 0;
            r->china |= chn[k];
            r->partner |= par[k];
            if (!chn[k] && !par[k])
                r->other = 1;
        }
        if ((chn[0] && par[1]) || (par[0] && chn[1]))
            r->dyad = 1;
        if (bilat_buf_addf(&r->text, "%s%s|%s|%s", r->text.len ? ";" : "", e->source,
                           e->target, e->cameo) < 0)
            return BILAT_ENOMEM;
    }
    return 0;
}

static void silver_add(struct bilat_coder_silver_row *row, const struct silver_rec *r)
{
    row->sentences++;
    if (!r->coded)
        return;
    row->coded++;
    row->china += (uint64_t)r->china;
    row->partner += (uint64_t)r->partner;
    row->both += (uint64_t)(r->china && r->partner);
    row->dyad += (uint64_t)r->dyad;
    row->other += (uint64_t)r->other;
}

void bilat_coder_silver_release(struct bilat_coder_silver *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nrows; i++)
        bilat_free(s->rows[i].country);
    bilat_free(s->rows);
    bilat_free(s->total.country);
    memset(s, 0, sizeof(*s));
}

/* The row of country `name` (added on first sight, its code looked up at `date`); NULL on
 * allocation failure. */
static struct bilat_coder_silver_row *silver_row(bilat_coder *c, struct bilat_coder_silver *s,
                                                 size_t *cap, const char *name, int32_t date,
                                                 const char *path, uint64_t line)
{
    for (size_t i = 0; i < s->nrows; i++)
        if (strcmp(s->rows[i].country, name) == 0)
            return &s->rows[i];
    struct bilat_coder_silver_row *p = bilat_array_grow(s->rows, s->nrows, cap, sizeof(*p), 32);
    if (!p)
        return NULL;
    s->rows = p;
    struct bilat_coder_silver_row *row = &s->rows[s->nrows];
    memset(row, 0, sizeof(*row));
    if (!(row->country = bilat_strdup(name)))
        return NULL;
    s->nrows++;
    const char *id = NULL, *code = NULL;
    int found = coder_actor_lookup(c, name, date, &id, &code);
    if (found < 0)
        return NULL;
    if (found && code && strlen(code) >= 3 && strncmp(code, "---", 3) != 0)
        memcpy(row->code, code, 3);
    else
        diag(c, BILAT_LOG_WARNING, path, line,
             "no dictionary names the country '%s'; its records count as wrong", name);
    return row;
}

static int wanted(const char *name, const char *const *countries, size_t n)
{
    if (!countries || !n)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(countries[i], name) == 0)
            return 1;
    return 0;
}

int bilat_coder_eval_silver(bilat_coder *c, const char *path, const char *const *countries,
                            size_t ncountries, bilat_eval_fn *fn, void *ctx,
                            struct bilat_coder_silver *out, struct bilat_err *err)
{
    memset(out, 0, sizeof(*out));
    struct csv_file f;
    struct silver_rec r;
    memset(&r, 0, sizeof(r));
    bilat_buf_init(&r.text);
    size_t cap = 0;
    int bad = 0;
    int rc = csv_open(&f, path, ',', err);
    if (rc < 0)
        goto out;
    rc = csv_next(&f);
    if (rc <= 0) {
        rc = bilat_fail_at(err, BILAT_EPARSE, path, 1, "no header (date, country, text)");
        goto out;
    }
    int cd = -1, cc = -1, ct = -1;
    for (size_t i = 0; i < f.nf && i < CSV_MAX_COLS; i++) {
        if (strcmp(f.fields[i], "date") == 0)
            cd = (int)i;
        else if (strcmp(f.fields[i], "country") == 0)
            cc = (int)i;
        else if (strcmp(f.fields[i], "text") == 0)
            ct = (int)i;
    }
    if (cd < 0 || cc < 0 || ct < 0) {
        rc = bilat_fail_at(err, BILAT_EPARSE, path, 1,
                           "a silver file needs the columns date, country, text");
        goto out;
    }
    size_t need = (size_t)(cd > cc ? (cd > ct ? cd : ct) : (cc > ct ? cc : ct)) + 1;
    for (;;) {
        int n = csv_next(&f);
        if (n == 0)
            break;
        if (n < 0 || f.nf < need) {
            bad++;
            diag(c, BILAT_LOG_ERROR, path, f.line, "%s", n < 0 ? f.reason : "too few fields");
            continue;
        }
        const char *name = f.fields[cc];
        if (!name[0]) {
            bad++;
            diag(c, BILAT_LOG_ERROR, path, f.line, "empty country");
            continue;
        }
        if (!wanted(name, countries, ncountries))
            continue;
        struct bilat_date dt;
        int32_t ymd = 0;
        const char *date = f.fields[cd];
        if (bilat_date_parse(date, f.lens[cd], &dt) == 0)
            ymd = dt.year * 10000 + (dt.month ? dt.month : 1) * 100 + (dt.day ? dt.day : 1);
        struct bilat_coder_silver_row *row = silver_row(c, out, &cap, name, ymd, path, f.line);
        if (!row) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        char id[32];
        snprintf(id, sizeof(id), "%llu", (unsigned long long)f.line);
        r.cty = row->code;
        r.coded = r.china = r.partner = r.dyad = r.other = 0;
        bilat_buf_reset(&r.text);
        rc = bilat_coder_text(c, id, date, f.fields[ct], f.lens[ct], path, f.line,
                              silver_collect, &r, err);
        if (rc < 0)
            goto out;
        silver_add(row, &r);
        silver_add(&out->total, &r);
        if (fn) {
            char want[16];
            snprintf(want, sizeof(want), "CHN+%s", row->code[0] ? row->code : "?");
            rc = fn(ctx, id, f.fields[ct], want, r.text.buf, r.china && r.partner);
            if (rc)
                goto out;
        }
    }
    if ((rc = bad_rows(err, bad, "record", path)) < 0)
        goto out;
    if (!(out->total.country = bilat_strdup("all"))) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    rc = 0;
out:
    csv_close(&f);
    bilat_buf_release(&r.text);
    if (rc != 0)
        bilat_coder_silver_release(out);
    return rc;
}
