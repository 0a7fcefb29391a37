/*
 * speeches.c: which terms of the vocabulary the two sides' UN General Debate statements use, and
 * how much the two vocabularies overlap (speeches.h; docs/MEASURES.md, "Speech vocabulary").
 *
 * `bilat ingest ungdc` stores each statement and, per term it uses, the number of mentions
 * (speech_term). Here a side's term set in year y is the union of the terms of its statements
 * of that year (the corpus has one per country and session); the overlap of the two sides in y
 * is the Jaccard index |A ∩ B| / |A ∪ B| of their sets, defined when both spoke that year and
 * at least one used a term. The pooled value of the claim measure is the mean of the yearly
 * values over the years that have one, so that each year weighs the same whatever the length
 * of the statements.
 *
 * Statements of a seat held by another government than today's (China's seat before 25
 * October 1971: the Republic of China; speech.delegation says so) are left out, unless a claim
 * asks for them (roc=1): they are not the statements of the state the dyad is about.
 */
#include "analytics/speeches.h"

#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "ingest/speech_vocab.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SP_MAX_TERMS = 512, SP_WORDS = SP_MAX_TERMS / 64, KEY_LEN = 72 };

/* The terms known to the store and the vocabulary, by index. */
struct sp_index {
    char (*key)[KEY_LEN];
    char (*label)[160];
    size_t n;
};

struct sp_speech {
    int year;
    int side;              /* 0 = side A, 1 = side B */
    char locator[96];
    char source[64];
    uint64_t bits[SP_WORDS]; /* terms used (restricted to the filter, if any) */
};

struct sp_data {
    struct sp_index ix;
    struct sp_speech *sp;
    size_t n, cap;
    size_t left_out; /* statements of another seat holder, not used */
};

static void sp_release(struct sp_data *d)
{
    bilat_free(d->ix.key);
    bilat_free(d->ix.label);
    bilat_free(d->sp);
    memset(d, 0, sizeof(*d));
}

static long ix_find(const struct sp_index *ix, const char *key)
{
    for (size_t i = 0; i < ix->n; i++)
        if (strcmp(ix->key[i], key) == 0)
            return (long)i;
    return -1;
}

static long ix_add(struct sp_index *ix, const char *key, const char *label)
{
    long i = ix_find(ix, key);
    if (i >= 0 || ix->n == SP_MAX_TERMS)
        return i;
    snprintf(ix->key[ix->n], KEY_LEN, "%s", key);
    snprintf(ix->label[ix->n], sizeof(ix->label[0]), "%s", label ? label : key);
    return (long)ix->n++;
}

/* The vocabulary, then every other term the store's speeches use (their principle label). */
static int index_read(bilat_db *db, struct sp_index *ix, struct bilat_err *err)
{
    ix->key = bilat_calloc(SP_MAX_TERMS, sizeof(*ix->key));
    ix->label = bilat_calloc(SP_MAX_TERMS, sizeof(*ix->label));
    if (!ix->key || !ix->label)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    size_t nv;
    const struct vocab_term *v = speech_vocab(&nv);
    for (size_t i = 0; i < nv; i++)
        ix_add(ix, v[i].key, v[i].label);
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT t.term, (SELECT min(label) FROM concept_principle WHERE "
                            "principle = t.term) FROM (SELECT DISTINCT term FROM speech_term) t "
                            "ORDER BY t.term",
                            &st, err));
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        ix_add(ix, (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1));
    int rc = s == SQLITE_DONE ? 0 : store_fail(db, err, s, "cannot read speech terms");
    sqlite3_finalize(st);
    return rc;
}

/*
 * The filter of a `terms` list (term keys or concept ids, whose principles count): bits set in
 * `mask`. Errors: BILAT_EINVAL naming an item that is neither.
 */
static int filter_read(bilat_db *db, struct sp_index *ix, const char *list, uint64_t *mask,
                       struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT principle, label FROM concept_principle WHERE concept_id = ?1 "
                            "UNION ALL SELECT principle, label FROM concept_principle WHERE "
                            "principle = ?1 AND NOT EXISTS (SELECT 1 FROM concept WHERE id = ?1)",
                            &st, err));
    int rc = 0;
    for (const char *p = list; rc == 0 && p && *p;) {
        const char *comma = strchr(p, ',');
        char item[KEY_LEN];
        snprintf(item, sizeof(item), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
        p = comma ? comma + 1 : NULL;
        if (!item[0])
            continue;
        int found = 0;
        sqlite3_reset(st);
        store_bind_text(st, 1, item, -1);
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            long i = ix_add(ix, (const char *)sqlite3_column_text(st, 0),
                            (const char *)sqlite3_column_text(st, 1));
            if (i >= 0) {
                mask[i / 64] |= 1ull << (i % 64);
                found = 1;
            }
        }
        if (s != SQLITE_DONE) {
            rc = store_fail(db, err, s, "cannot read concept principles");
            break;
        }
        long i = ix_find(ix, item);
        if (i >= 0 && !found) {
            mask[i / 64] |= 1ull << (i % 64);
            found = 1;
        }
        if (!found)
            rc = bilat_fail(err, BILAT_EINVAL,
                            "speech_overlap: '%s' is neither a vocabulary term nor a concept "
                            "(docs/MEASURES.md lists the terms)",
                            item);
    }
    sqlite3_finalize(st);
    return rc;
}

/*
 * Read the statements of countries a and b (their years within [from, to]) with their terms.
 * `mask` (may be NULL) restricts the terms; `roc` keeps statements of another seat holder.
 */
static int data_read(bilat_db *db, const char *a, const char *b, int from, int to, int roc,
                     const uint64_t *mask, struct sp_data *d, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT s.actor, s.year, s.locator, s.source_id, s.delegation, "
                            "(SELECT group_concat(term, ',') FROM speech_term t WHERE "
                            "t.speech_id = s.id) FROM speech s WHERE s.actor IN (?1, ?2) AND "
                            "s.year BETWEEN ?3 AND ?4 ORDER BY s.year, s.actor, s.id",
                            &st, err));
    store_bind_text(st, 1, a, -1);
    store_bind_text(st, 2, b, -1);
    sqlite3_bind_int(st, 3, from);
    sqlite3_bind_int(st, 4, to);
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 4) != SQLITE_NULL && !roc) {
            d->left_out++;
            continue;
        }
        if (d->n == d->cap) {
            size_t nc = d->cap ? 2 * d->cap : 64;
            struct sp_speech *ns = bilat_realloc_array(d->sp, nc, sizeof(*ns));
            if (!ns) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            d->sp = ns;
            d->cap = nc;
        }
        struct sp_speech *x = &d->sp[d->n++];
        memset(x, 0, sizeof(*x));
        const char *actor = (const char *)sqlite3_column_text(st, 0);
        x->side = strcmp(actor, a) == 0 ? 0 : 1;
        x->year = sqlite3_column_int(st, 1);
        snprintf(x->locator, sizeof(x->locator), "%s", (const char *)sqlite3_column_text(st, 2));
        snprintf(x->source, sizeof(x->source), "%s", (const char *)sqlite3_column_text(st, 3));
        const char *terms = (const char *)sqlite3_column_text(st, 5);
        for (const char *p = terms; p && *p;) {
            const char *comma = strchr(p, ',');
            char key[KEY_LEN];
            snprintf(key, sizeof(key), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)),
                     p);
            p = comma ? comma + 1 : NULL;
            long i = ix_find(&d->ix, key);
            if (i >= 0 && (!mask || (mask[i / 64] >> (i % 64) & 1)))
                x->bits[i / 64] |= 1ull << (i % 64);
        }
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read speeches");
    sqlite3_finalize(st);
    return rc;
}

static size_t popcount(const uint64_t *w)
{
    size_t n = 0;
    for (size_t i = 0; i < SP_WORDS; i++)
        n += (size_t)__builtin_popcountll(w[i]);
    return n;
}

/* One year of the two sides: their term sets and statements. */
struct sp_year {
    int year;
    bool have[2];
    uint64_t set[2][SP_WORDS];
    char loc[2][200];
    char src[160];
};

/* Gather the years, in order; *n_out years in *out (caller frees). */
static int years_of(const struct sp_data *d, struct sp_year **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (d->n == 0)
        return 0;
    struct sp_year *y = bilat_calloc(d->n, sizeof(*y));
    if (!y)
        return BILAT_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++) {
        const struct sp_speech *x = &d->sp[i];
        if (n == 0 || y[n - 1].year != x->year)
            y[n++].year = x->year;
        struct sp_year *cur = &y[n - 1];
        cur->have[x->side] = true;
        for (size_t w = 0; w < SP_WORDS; w++)
            cur->set[x->side][w] |= x->bits[w];
        size_t k = strlen(cur->loc[x->side]);
        snprintf(cur->loc[x->side] + k, sizeof(cur->loc[0]) - k, "%s%s", k ? "; " : "",
                 x->locator);
        if (!strstr(cur->src, x->source)) {
            k = strlen(cur->src);
            snprintf(cur->src + k, sizeof(cur->src) - k, "%s%s", k ? "," : "", x->source);
        }
    }
    *out = y;
    *n_out = n;
    return 0;
}

/* Keys of the terms in w (comma-separated; "" when none) into a buffer. */
static int keys_of(const struct sp_index *ix, const uint64_t *w, struct bilat_buf *b)
{
    bilat_buf_reset(b);
    for (size_t i = 0; i < ix->n; i++)
        if (w[i / 64] >> (i % 64) & 1)
            if (bilat_buf_addf(b, "%s%s", b->len ? ", " : "", ix->key[i]) < 0)
                return BILAT_ENOMEM;
    return 0;
}

enum sp_stat { ST_JACCARD, ST_SHARE_A, ST_SHARE_B, ST_SHARED };

/* The statistic of a year; false when it has none (a side did not speak, or a denominator is
 * 0). */
static bool year_value(const struct sp_year *y, enum sp_stat stat, double *v)
{
    if (!y->have[0] || !y->have[1])
        return false;
    uint64_t both[SP_WORDS], any[SP_WORDS];
    for (size_t w = 0; w < SP_WORDS; w++) {
        both[w] = y->set[0][w] & y->set[1][w];
        any[w] = y->set[0][w] | y->set[1][w];
    }
    size_t nb = popcount(both), nu = popcount(any);
    size_t na = popcount(y->set[0]), nbb = popcount(y->set[1]);
    size_t den = stat == ST_JACCARD ? nu : stat == ST_SHARE_A ? na : stat == ST_SHARE_B ? nbb : 1;
    if (den == 0)
        return false;
    *v = stat == ST_SHARED ? (double)nb : (double)nb / (double)den;
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* The claim measure                                                                          */

int speeches_overlap_measure(bilat_db *db, const struct claim_call *call,
                             struct claim_mresult *out, struct bilat_err *err)
{
    const char *a = claim_call_arg(call, "a"), *b = claim_call_arg(call, "b");
    const char *sfrom = claim_call_arg(call, "from"), *sto = claim_call_arg(call, "to");
    const char *terms = claim_call_arg(call, "terms"), *sstat = claim_call_arg(call, "stat");
    const char *sroc = claim_call_arg(call, "roc");
    long from = sfrom ? strtol(sfrom, NULL, 10) : 0, to = sto ? strtol(sto, NULL, 10) : 9999;
    enum sp_stat stat = ST_JACCARD;
    if (sstat && strcmp(sstat, "jaccard") != 0) {
        if (strcmp(sstat, "share_of_a") == 0)
            stat = ST_SHARE_A;
        else if (strcmp(sstat, "share_of_b") == 0)
            stat = ST_SHARE_B;
        else if (strcmp(sstat, "shared") == 0)
            stat = ST_SHARED;
        else
            return bilat_fail(err, BILAT_EINVAL, "speech_overlap: stat is jaccard, shared, "
                                                 "share_of_a or share_of_b, not '%s'", sstat);
    }
    if (from < 0 || to < 0 || from > to || (sroc && strcmp(sroc, "0") && strcmp(sroc, "1")))
        return bilat_fail(err, BILAT_EINVAL, "speech_overlap: from and to are years (from not "
                                             "after to), roc is 0 or 1");
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},           {"speech_a", "Statement of A", TCOL_TEXT},
        {"speech_b", "Statement of B", TCOL_TEXT}, {"terms_a", "Terms of A", TCOL_TEXT},
        {"terms_b", "Terms of B", TCOL_TEXT},  {"shared", "Shared", TCOL_TEXT},
        {"value", "Value", TCOL_NUM},          {"source_id", "Source", TCOL_SOURCE},
    };
    out->evidence = table_new("evidence", "Terms of the two sides' statements, by year", NULL,
                              cols, sizeof(cols) / sizeof(cols[0]));
    if (!out->evidence)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    out->has_series = true;
    out->series_x = "year";
    out->series_y = "value";
    struct sp_data d;
    memset(&d, 0, sizeof(d));
    uint64_t mask[SP_WORDS] = {0};
    struct sp_year *y = NULL;
    size_t ny = 0;
    struct bilat_buf ka = BILAT_BUF_INIT, kb = BILAT_BUF_INIT, ks = BILAT_BUF_INIT;
    int rc = index_read(db, &d.ix, err);
    if (rc == 0 && terms)
        rc = filter_read(db, &d.ix, terms, mask, err);
    if (rc == 0)
        rc = data_read(db, a, b, (int)from, (int)to, sroc && strcmp(sroc, "1") == 0,
                       terms ? mask : NULL, &d, err);
    if (rc == 0 && years_of(&d, &y, &ny) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    double sum = 0;
    size_t nval = 0, both = 0;
    json_t *rows = json_object_get(out->evidence, "rows");
    for (size_t i = 0; rc == 0 && i < ny; i++) {
        double v = 0;
        bool has = year_value(&y[i], stat, &v);
        both += y[i].have[0] && y[i].have[1];
        if (!y[i].have[0] || !y[i].have[1])
            continue;
        uint64_t sh[SP_WORDS];
        for (size_t w = 0; w < SP_WORDS; w++)
            sh[w] = y[i].set[0][w] & y[i].set[1][w];
        if (keys_of(&d.ix, y[i].set[0], &ka) < 0 || keys_of(&d.ix, y[i].set[1], &kb) < 0 ||
            keys_of(&d.ix, sh, &ks) < 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        json_t *row = json_pack("[i, s, s, s, s, s, o, s]", y[i].year, y[i].loc[0], y[i].loc[1],
                                ka.buf, kb.buf, ks.buf, has ? json_real(v) : json_null(),
                                y[i].src);
        if (!row || json_array_append_new(rows, row) ||
            (has && claim_series_add(out, y[i].year, v) < 0)) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        if (has) {
            sum += v;
            nval++;
        }
    }
    if (rc == 0) {
        char note[400];
        snprintf(note, sizeof(note),
                 "%zu years in which both spoke, %zu with a value; %s over %s terms; pooled "
                 "value = mean of the yearly values.%s",
                 both, nval, sstat ? sstat : "jaccard", terms ? "the chosen" : "all vocabulary",
                 d.left_out ? " Statements of another seat holder (China before 25 October 1971: "
                              "the Republic of China) are left out."
                            : "");
        if (table_note(out->evidence, note) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (nval) {
            out->has_value = true;
            out->value = sum / (double)nval;
        } else {
            snprintf(out->why, sizeof(out->why),
                     "no year in which both %s and %s gave a statement that uses a term", a, b);
        }
    }
    bilat_buf_release(&ka);
    bilat_buf_release(&kb);
    bilat_buf_release(&ks);
    bilat_free(y);
    sp_release(&d);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Profile sections                                                                           */

struct sec_ctx {
    const char *a, *b; /* countries */
    int from, to;
    const char *voc;   /* the vocabulary as JSON, for the statement that needs it */
};

static int bind_sec(sqlite3_stmt *st, const void *vctx)
{
    const struct sec_ctx *c = vctx;
    table_bind_text(st, ":ac", c->a);
    table_bind_text(st, ":bc", c->b);
    table_bind_int(st, ":from", c->from);
    table_bind_int(st, ":to", c->to);
    table_bind_text(st, ":voc", c->voc);
    return 0;
}

static const char note_roc[] =
    "China's seat was held by the Republic of China until 25 October 1971 (GA resolution 2758): "
    "China's statements of 1946-1971 are that delegation's and are left out here (speech."
    "delegation; bilat sql \"SELECT year, delegation FROM speech WHERE delegation IS NOT NULL\").";

static const char note_vocab[] =
    "Terms are phrases matched case-folded at word boundaries, with variants (docs/MEASURES.md, "
    "'Speech vocabulary'); a term used once counts as much as one used often.";

static int sec_overlap(bilat_db *db, const struct sec_ctx *c, json_t *sections,
                       struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},            {"dyad", "Dyad", TCOL_TEXT},
        {"speech_a", "Statement of A", TCOL_TEXT}, {"speech_b", "Statement of B", TCOL_TEXT},
        {"n_a", "Terms of A", TCOL_INT},         {"n_b", "Terms of B", TCOL_INT},
        {"n_shared", "Shared", TCOL_INT},       {"jaccard", "Jaccard", TCOL_NUM},
        {"shared", "Shared terms", TCOL_TEXT},  {"only_a", "Only A", TCOL_TEXT},
        {"only_b", "Only B", TCOL_TEXT},        {"source_id", "Source", TCOL_SOURCE},
    };
    char desc[400];
    snprintf(desc, sizeof(desc),
             "The terms of the vocabulary (principles, initiatives, the international order) in "
             "the UN General Debate statements of %s (A) and %s (B), by year, and the overlap of "
             "the two sets (Jaccard index = shared / all terms used by either).",
             c->a, c->b);
    json_t *t = table_new("speech_overlap", "Speeches: shared vocabulary by year", desc, cols,
                          sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s}", "type", "multi_lines", "x", "year",
                              "y", "jaccard", "series", "dyad", "title",
                              "Overlap of the two sides' vocabularies (Jaccard)");
    int rc = !chart || json_object_set_new(t, "chart", chart) ||
                     json_object_set_new(t, "hide", json_pack("[s]", "dyad"))
                 ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
                 : 0;
    struct sp_data d;
    memset(&d, 0, sizeof(d));
    struct sp_year *y = NULL;
    size_t ny = 0;
    struct bilat_buf ks = BILAT_BUF_INIT, ka = BILAT_BUF_INIT, kb = BILAT_BUF_INIT;
    if (rc == 0)
        rc = index_read(db, &d.ix, err);
    if (rc == 0)
        rc = data_read(db, c->a, c->b, c->from, c->to, 0, NULL, &d, err);
    if (rc == 0 && years_of(&d, &y, &ny) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    char dyad[16];
    snprintf(dyad, sizeof(dyad), "%s / %s", c->a, c->b);
    json_t *rows = json_object_get(t, "rows");
    for (size_t i = 0; rc == 0 && i < ny; i++) {
        uint64_t sh[SP_WORDS], oa[SP_WORDS], ob[SP_WORDS];
        for (size_t w = 0; w < SP_WORDS; w++) {
            sh[w] = y[i].set[0][w] & y[i].set[1][w];
            oa[w] = y[i].set[0][w] & ~y[i].set[1][w];
            ob[w] = y[i].set[1][w] & ~y[i].set[0][w];
        }
        double v = 0;
        bool has = year_value(&y[i], ST_JACCARD, &v);
        if (keys_of(&d.ix, sh, &ks) < 0 || keys_of(&d.ix, oa, &ka) < 0 ||
            keys_of(&d.ix, ob, &kb) < 0) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        bool two = y[i].have[0] && y[i].have[1];
        json_t *row = json_pack(
            "[i, s, o, o, o, o, o, o, o, o, o, s]", y[i].year, dyad,
            y[i].have[0] ? json_string(y[i].loc[0]) : json_null(),
            y[i].have[1] ? json_string(y[i].loc[1]) : json_null(),
            y[i].have[0] ? json_integer((json_int_t)popcount(y[i].set[0])) : json_null(),
            y[i].have[1] ? json_integer((json_int_t)popcount(y[i].set[1])) : json_null(),
            two ? json_integer((json_int_t)popcount(sh)) : json_null(),
            has ? json_real(nearbyint(v * 1e4) / 1e4) : json_null(),
            two ? json_string(ks.buf) : json_null(),
            two ? json_string(ka.buf) : json_null(), two ? json_string(kb.buf) : json_null(),
            y[i].src);
        if (!row || json_array_append_new(rows, row))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0 && table_note(t, "A year in which one side gave no statement has no value; the "
                                 "corpus has at most one statement per country and session.") <
                       0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0 && table_note(t, note_vocab) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0 && d.left_out && table_note(t, note_roc) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (int side = 0; rc == 0 && side < 2; side++) {
        bool any = false;
        for (size_t i = 0; i < d.n; i++)
            any |= d.sp[i].side == side;
        char note[200];
        snprintf(note, sizeof(note),
                 "The store holds no statement of %s in the period (bilat ingest ungdc).",
                 side ? c->b : c->a);
        if (!any && table_note(t, note) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    bilat_buf_release(&ks);
    bilat_buf_release(&ka);
    bilat_buf_release(&kb);
    bilat_free(y);
    sp_release(&d);
    return table_append_take(sections, t, rc, err);
}

/* Per term, over the period: the share of each side's statements that use it. */
static int sec_terms(bilat_db *db, const struct sec_ctx *c, json_t *sections,
                     struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"term", "Term", TCOL_TEXT},          {"label", "In words", TCOL_TEXT},
        {"group", "Group", TCOL_TEXT},        {"speeches_a", "Statements of A", TCOL_INT},
        {"share_a", "Share of A's", TCOL_NUM}, {"speeches_b", "Statements of B", TCOL_INT},
        {"share_b", "Share of B's", TCOL_NUM}, {"first_a", "First (A)", TCOL_YEAR},
        {"first_b", "First (B)", TCOL_YEAR},  {"source_id", "Source", TCOL_SOURCE},
    };
    json_t *t = table_new("speech_terms", "Speeches: terms used by each side",
                          "For each term of the vocabulary that either side uses: how many of "
                          "each side's statements in the period use it, and their share of the "
                          "side's statements.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    /* the vocabulary's labels and groups, bound as one JSON array [[key, label, group], ...] */
    size_t nv;
    const struct vocab_term *vt = speech_vocab(&nv);
    json_t *voc = json_array();
    for (size_t i = 0; voc && i < nv; i++)
        if (json_array_append_new(voc, json_pack("[s, s, s]", vt[i].key, vt[i].label,
                                                 vt[i].group)) < 0) {
            json_decref(voc);
            voc = NULL;
        }
    char *vjson = voc ? json_dumps(voc, JSON_COMPACT) : NULL;
    json_decref(voc);
    struct sec_ctx cv = *c;
    cv.voc = vjson;
    int rc = vjson ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = table_add_sql(
            db, t,
            "WITH voc(term, label, grp, pos) AS (SELECT json_extract(value, '$[0]'), "
            "json_extract(value, '$[1]'), json_extract(value, '$[2]'), key FROM "
            "json_each(:voc)),\n"
            "sp AS (SELECT id, actor, year, source_id FROM speech WHERE actor IN (:ac, :bc) AND "
            "delegation IS NULL AND year BETWEEN :from AND :to),\n"
            "tot AS (SELECT count(CASE WHEN actor = :ac THEN 1 END) AS na, count(CASE WHEN actor "
            "= :bc THEN 1 END) AS nb FROM sp),\n"
            /* counted first, then named: the vocabulary is looked up once a term, not a row */
            "agg AS (SELECT t.term AS term, count(DISTINCT CASE WHEN sp.actor = :ac THEN sp.id "
            "END) AS ka, count(DISTINCT CASE WHEN sp.actor = :bc THEN sp.id END) AS kb, "
            "min(CASE WHEN sp.actor = :ac THEN sp.year END) AS ya, min(CASE WHEN sp.actor = :bc "
            "THEN sp.year END) AS yb, group_concat(DISTINCT sp.source_id) AS src FROM "
            "speech_term t JOIN sp ON sp.id = t.speech_id GROUP BY t.term)\n"
            "SELECT agg.term, coalesce(voc.label, (SELECT min(label) FROM concept_principle WHERE "
            "principle = agg.term), agg.term), coalesce(voc.grp, 'concept principle'), agg.ka, "
            "round(1.0 * agg.ka / nullif(tot.na, 0), 4), agg.kb, round(1.0 * agg.kb / "
            "nullif(tot.nb, 0), 4), agg.ya, agg.yb, agg.src FROM agg CROSS JOIN tot LEFT JOIN voc "
            "ON voc.term = agg.term ORDER BY coalesce(voc.pos, 1000), agg.term",
            bind_sec, &cv, err);
    bilat_free(vjson); /* jansson allocates through bilat_malloc (core/alloc.c) */
    if (rc == 0 && table_note(t, note_vocab) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return table_append_take(sections, t, rc, err);
}

/* Per year, side and term (detail): the statements that use it, their share and mentions. */
static int sec_term_years(bilat_db *db, const struct sec_ctx *c, json_t *sections,
                          struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},          {"actor", "Side", TCOL_TEXT},
        {"delegation", "Delegation", TCOL_TEXT}, {"term", "Term", TCOL_TEXT},
        {"speeches", "Statements using it", TCOL_INT}, {"of", "Statements", TCOL_INT},
        {"share", "Share", TCOL_NUM},         {"mentions", "Mentions", TCOL_INT},
        {"words", "Words", TCOL_INT},         {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},
    };
    json_t *t = table_new("speech_term_years", "Speeches: terms by year and side",
                          "Each side's use of each term per year: statements using it, "
                          "statements that year, their share, the mentions and the statements' "
                          "words, with the statements' locators. Statements of another seat "
                          "holder are listed with their delegation.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = json_object_set_new(t, "detail", json_true()) ? BILAT_ENOMEM : 0;
    /* A side's statements of one year each have a source of their own (speech is unique by
     * actor, year and source), so the sources of a group need no DISTINCT. */
    if (rc == 0)
        rc = table_add_sql(
            db, t,
            "WITH sp AS (SELECT id, actor, year, delegation, words, source_id, locator FROM speech "
            "WHERE actor IN (:ac, :bc) AND year BETWEEN :from AND :to), n AS (SELECT year, "
            "actor, count(*) AS k, sum(words) AS w FROM sp GROUP BY year, actor) SELECT sp.year, "
            "sp.actor, sp.delegation, t.term, count(*), n.k, "
            "round(1.0 * count(*) / n.k, 4), sum(t.hits), n.w, group_concat(sp.source_id), "
            "group_concat(sp.locator, '; ') FROM speech_term t JOIN sp ON sp.id "
            "= t.speech_id JOIN n ON n.year = sp.year AND n.actor = sp.actor GROUP BY sp.year, "
            "sp.actor, t.term ORDER BY sp.year, sp.actor, t.term",
            bind_sec, c, err);
    return table_append_take(sections, t, rc, err);
}

int speeches_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, json_t *sections, struct bilat_err *err)
{
    /* states speak in the General Debate, not parties or persons */
    if (!a->is_country || !b->is_country)
        return 0;
    int64_t n = 0;
    struct sec_ctx c = {a->country, b->country, from, to, NULL};
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, "SELECT count(*) FROM speech WHERE actor IN (?1, ?2)", &st,
                            err));
    store_bind_text(st, 1, c.a, -1);
    store_bind_text(st, 2, c.b, -1);
    int s = sqlite3_step(st);
    n = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    int rc = s == SQLITE_ROW ? 0 : store_fail(db, err, s, "cannot read speeches");
    sqlite3_finalize(st);
    if (rc < 0 || n == 0)
        return rc;
    BILAT_TRY(sec_overlap(db, &c, sections, err));
    BILAT_TRY(sec_terms(db, &c, sections, err));
    return sec_term_years(db, &c, sections, err);
}
