/*
 * votes.c: the vote panel (votes.h): roll calls and votes from the store into bit sets, and
 * the 3x3 tables every alignment measure is computed from.
 *
 * Loading reads un_call once (a few thousand rows) and un_vote once: a full scan in primary-key
 * order (rcid, country) for every country, or the un_vote_country index for a few. Each vote
 * row costs a cached roll-call lookup (rows come grouped by rcid), an array lookup of the country
 * by the letters of its code and one bit set. Absences are not stored: they never count.
 *
 * The tables are popcounts of ANDed words. Without a hardware popcount instruction in the
 * baseline x86-64 target, __builtin_popcountll becomes a library call; the kernels are therefore
 * compiled twice, once for the baseline and once with target("popcnt"), and the panel picks one
 * at load time (__builtin_cpu_supports), never per word.
 */
#include "analytics/votes.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum { N_ISO3 = 26 * 26 * 26, MAX_ISSUES = 64 };

typedef void table_fn(const uint64_t *a, const uint64_t *b, size_t wtot, size_t off, size_t nw,
                      const uint64_t *mask, uint64_t c[3][3]);

struct vote_panel {
    enum bilat_vote_by by;
    size_t nper;        /* periods */
    int *label;         /* [nper] year or session, ascending */
    size_t *woff;       /* [nper] first word of the period in a bit-set row */
    size_t *nw;         /* [nper] words of the period */
    size_t *ncall;      /* [nper] roll calls of the period */
    size_t wtot;        /* words in a bit-set row (all periods) */
    size_t ncalls;      /* roll calls, sorted by rcid */
    int64_t *rcid;      /* [ncalls] */
    uint32_t *pos;      /* [ncalls] bit position in a row: woff * 64 + index in period */
    uint8_t *important; /* [ncalls] 1 flagged important, 0 not, 2 flag unknown */
    uint64_t *issues;   /* [ncalls] bit i: tagged with issue i */
    size_t nissues;
    char icode[MAX_ISSUES][8];
    char *iname[MAX_ISSUES];
    size_t nc, capc;   /* countries */
    char (*iso3)[4];   /* [nc] */
    uint64_t **bits;   /* [nc] 3 * wtot words: yes row, abstain row, no row */
    uint8_t **present; /* [nc] nper flags */
    size_t *sorted;    /* [nc] indexes in ISO3 order, built after loading */
    char **psrc;       /* [nper] the sources of the period's roll calls, distinct, in rcid order
                          and comma-separated (NULL: none); held by whole panels only */
    int32_t *cidx;     /* [N_ISO3] country index + 1, 0 when absent */
    table_fn *table;   /* the kernel chosen at load time */
};

/* ------------------------------------------------------------------------------------------ */
/* Kernels                                                                                     */

static inline __attribute__((always_inline)) void table_body(const uint64_t *a, const uint64_t *b,
                                                             size_t wtot, size_t off, size_t nw,
                                                             const uint64_t *mask, uint64_t c[3][3])
{
    uint64_t c00 = 0, c01 = 0, c02 = 0, c10 = 0, c11 = 0, c12 = 0, c20 = 0, c21 = 0, c22 = 0;
    for (size_t w = off; w < off + nw; w++) {
        uint64_t m = mask ? mask[w] : ~(uint64_t)0;
        uint64_t ay = a[w] & m, aa = a[wtot + w] & m, an = a[2 * wtot + w] & m;
        uint64_t by = b[w], ba = b[wtot + w], bn = b[2 * wtot + w];
        c00 += (uint64_t)__builtin_popcountll(ay & by);
        c01 += (uint64_t)__builtin_popcountll(ay & ba);
        c02 += (uint64_t)__builtin_popcountll(ay & bn);
        c10 += (uint64_t)__builtin_popcountll(aa & by);
        c11 += (uint64_t)__builtin_popcountll(aa & ba);
        c12 += (uint64_t)__builtin_popcountll(aa & bn);
        c20 += (uint64_t)__builtin_popcountll(an & by);
        c21 += (uint64_t)__builtin_popcountll(an & ba);
        c22 += (uint64_t)__builtin_popcountll(an & bn);
    }
    c[0][0] += c00;
    c[0][1] += c01;
    c[0][2] += c02;
    c[1][0] += c10;
    c[1][1] += c11;
    c[1][2] += c12;
    c[2][0] += c20;
    c[2][1] += c21;
    c[2][2] += c22;
}

static void table_generic(const uint64_t *a, const uint64_t *b, size_t wtot, size_t off, size_t nw,
                          const uint64_t *mask, uint64_t c[3][3])
{
    table_body(a, b, wtot, off, nw, mask, c);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("popcnt"))) static void table_popcnt(const uint64_t *a, const uint64_t *b,
                                                           size_t wtot, size_t off, size_t nw,
                                                           const uint64_t *mask, uint64_t c[3][3])
{
    table_body(a, b, wtot, off, nw, mask, c);
}
#endif

static table_fn *pick_kernel(void)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    if (__builtin_cpu_supports("popcnt"))
        return table_popcnt;
#endif
    return table_generic;
}

/* ------------------------------------------------------------------------------------------ */
/* Loading                                                                                     */

static int letter_index(const char *s)
{
    int v = 0;
    for (int i = 0; i < 3; i++) {
        if (s[i] < 'A' || s[i] > 'Z')
            return -1;
        v = v * 26 + (s[i] - 'A');
    }
    return s[3] == '\0' ? v : -1;
}

void vote_panel_free(struct vote_panel *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nc; i++) {
        bilat_free(p->bits[i]);
        bilat_free(p->present[i]);
    }
    for (size_t i = 0; i < p->nissues; i++)
        bilat_free(p->iname[i]);
    bilat_free(p->label);
    bilat_free(p->woff);
    bilat_free(p->nw);
    bilat_free(p->ncall);
    bilat_free(p->rcid);
    bilat_free(p->pos);
    bilat_free(p->important);
    bilat_free(p->issues);
    bilat_free(p->iso3);
    bilat_free(p->bits);
    bilat_free(p->present);
    bilat_free(p->sorted);
    bilat_free(p->cidx);
    for (size_t k = 0; p->psrc && k < p->nper; k++)
        bilat_free(p->psrc[k]);
    bilat_free(p->psrc);
    bilat_free(p);
}

struct call_row {
    int64_t rcid;
    int label;
    uint8_t important;
    char *source; /* bilat_malloc'd, or NULL */
};

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Each period's sources: the distinct source ids of its roll calls (rows, in rcid order),
 * comma-separated in the order met. */
static int period_sources(struct vote_panel *p, const struct call_row *rows, size_t n,
                          struct bilat_err *err)
{
    p->psrc = bilat_calloc(p->nper + 1, sizeof(char *));
    if (!p->psrc)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!rows[i].source)
            continue;
        int *hit = bsearch(&rows[i].label, p->label, p->nper, sizeof(int), cmp_int);
        char **s = &p->psrc[hit - p->label];
        size_t len = strlen(rows[i].source), have = *s ? strlen(*s) : 0;
        bool seen = false;
        for (const char *q = *s; q && *q && !seen;) {
            size_t l = strcspn(q, ",");
            seen = l == len && memcmp(q, rows[i].source, len) == 0;
            q += l + (q[l] == ',');
        }
        if (seen)
            continue;
        char *ns = bilat_realloc(*s, have + len + 2);
        if (!ns)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (have)
            ns[have++] = ',';
        memcpy(ns + have, rows[i].source, len + 1);
        *s = ns;
    }
    return 0;
}

/* Roll calls in range: fills label/woff/nw/ncall, rcid/pos/important, the periods' sources. */
static int load_calls(bilat_db *db, struct vote_panel *p, int from, int to, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT rcid, session, CAST(substr(date, 1, 4) AS INTEGER), important, "
                            "important_known, source_id FROM un_call ORDER BY rcid",
                            &st, err));
    struct call_row *rows = NULL;
    int *labels = NULL;
    size_t n = 0, cap = 0;
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int col = p->by == BILAT_VOTE_BY_SESSION ? 1 : 2;
        if (sqlite3_column_type(st, col) == SQLITE_NULL)
            continue;
        int label = sqlite3_column_int(st, col);
        int year = p->by == BILAT_VOTE_BY_SESSION ? label + 1945 : label;
        if (label <= 0 || (from && year < from) || (to && year > to))
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            struct call_row *nr = bilat_realloc_array(rows, cap, sizeof(*nr));
            if (!nr) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            rows = nr;
        }
        rows[n].rcid = sqlite3_column_int64(st, 0);
        rows[n].label = label;
        rows[n].important = sqlite3_column_int(st, 4) == 0 ? 2 : sqlite3_column_int(st, 3) != 0;
        const char *src = (const char *)sqlite3_column_text(st, 5);
        rows[n].source = NULL;
        if (src && !(rows[n].source = bilat_strdup(src))) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        n++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read roll calls");
    sqlite3_finalize(st);
    if (rc < 0)
        goto out;
    p->ncalls = n;
    /* distinct labels */
    labels = bilat_alloc_array(n ? n : 1, sizeof(*labels));
    if (!labels) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        labels[i] = rows[i].label;
    qsort(labels, n, sizeof(*labels), cmp_int);
    size_t np = 0;
    for (size_t i = 0; i < n; i++)
        if (np == 0 || labels[np - 1] != labels[i])
            labels[np++] = labels[i];
    p->nper = np;
    p->label = bilat_alloc_array(np ? np : 1, sizeof(int));
    p->woff = bilat_calloc(np ? np : 1, sizeof(size_t));
    p->nw = bilat_calloc(np ? np : 1, sizeof(size_t));
    p->ncall = bilat_calloc(np ? np : 1, sizeof(size_t));
    p->rcid = bilat_alloc_array(n ? n : 1, sizeof(int64_t));
    p->pos = bilat_alloc_array(n ? n : 1, sizeof(uint32_t));
    p->important = bilat_alloc_array(n ? n : 1, 1);
    p->issues = bilat_calloc(n ? n : 1, sizeof(uint64_t));
    if (!p->label || !p->woff || !p->nw || !p->ncall || !p->rcid || !p->pos || !p->important ||
        !p->issues) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(p->label, labels, np * sizeof(int));
    for (size_t i = 0; i < n; i++) {
        int *hit = bsearch(&rows[i].label, p->label, np, sizeof(int), cmp_int);
        p->ncall[hit - p->label]++;
    }
    size_t off = 0;
    for (size_t k = 0; k < np; k++) {
        p->woff[k] = off;
        p->nw[k] = (p->ncall[k] + 63) / 64;
        off += p->nw[k];
    }
    p->wtot = off;
    if (off * 64 > UINT32_MAX) {
        rc = bilat_fail(err, BILAT_ELIMIT, "too many roll calls");
        goto out;
    }
    /* bit positions in rcid order inside each period */
    size_t *next = bilat_calloc(np ? np : 1, sizeof(size_t));
    if (!next) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k =
            (size_t)((int *)bsearch(&rows[i].label, p->label, np, sizeof(int), cmp_int) - p->label);
        p->rcid[i] = rows[i].rcid;
        p->pos[i] = (uint32_t)(p->woff[k] * 64 + next[k]++);
        p->important[i] = rows[i].important;
    }
    bilat_free(next);
    rc = period_sources(p, rows, n, err);
out:
    for (size_t i = 0; rows && i < n; i++)
        bilat_free(rows[i].source);
    bilat_free(rows);
    bilat_free(labels);
    return rc;
}

/* Index of a roll call, or -1 (binary search). */
static long find_call(const struct vote_panel *p, int64_t rcid)
{
    size_t lo = 0, hi = p->ncalls;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->rcid[mid] < rcid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->ncalls && p->rcid[lo] == rcid ? (long)lo : -1;
}

static int load_issues(bilat_db *db, struct vote_panel *p, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    int64_t checked = 0;
    BILAT_TRY(store_query_int(db,
                              "SELECT count(*) FROM pragma_table_info('un_issue') WHERE name = "
                              "'excluded'",
                              NULL, &checked, err));
    /* tags that repeat another tag's roll calls in a year are left out of that year
     * (store/unvotes_load.c: check_issue_repeats) */
    BILAT_TRY(store_prepare(db,
                            checked ? "SELECT rcid, code, issue FROM un_issue WHERE excluded IS "
                                      "NULL ORDER BY code, rcid"
                                    : "SELECT rcid, code, issue FROM un_issue ORDER BY code, rcid",
                            &st, err));
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(st, 1);
        const char *name = (const char *)sqlite3_column_text(st, 2);
        if (!code)
            continue;
        size_t k = p->nissues;
        if (k == 0 || strcmp(p->icode[k - 1], code) != 0) {
            if (k >= MAX_ISSUES)
                continue; /* more issue codes than a mask holds: the rest cannot be selected */
            snprintf(p->icode[k], sizeof(p->icode[k]), "%s", code);
            p->iname[k] = bilat_strdup(name ? name : code);
            if (!p->iname[k]) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
            p->nissues++;
        }
        if (strcmp(p->icode[p->nissues - 1], code) != 0)
            continue;
        long c = find_call(p, sqlite3_column_int64(st, 0));
        if (c >= 0)
            p->issues[c] |= (uint64_t)1 << (p->nissues - 1);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read issue tags");
    sqlite3_finalize(st);
    return rc;
}

/* Index of a country, adding it when new. */
static long add_country(struct vote_panel *p, const char *iso3, int li)
{
    if (p->cidx[li])
        return p->cidx[li] - 1;
    if (p->nc == p->capc) {
        size_t ncap = p->capc ? 2 * p->capc : 64;
        char(*ni)[4] = bilat_realloc_array(p->iso3, ncap, sizeof(*ni));
        if (!ni)
            return -1;
        p->iso3 = ni;
        uint64_t **nb = bilat_realloc_array(p->bits, ncap, sizeof(*nb));
        if (!nb)
            return -1;
        p->bits = nb;
        uint8_t **npr = bilat_realloc_array(p->present, ncap, sizeof(*npr));
        if (!npr)
            return -1;
        p->present = npr;
        p->capc = ncap;
    }
    uint64_t *bits = bilat_calloc(3 * p->wtot + 1, sizeof(uint64_t));
    uint8_t *pres = bilat_calloc(p->nper + 1, 1);
    if (!bits || !pres) {
        bilat_free(bits);
        bilat_free(pres);
        return -1;
    }
    memcpy(p->iso3[p->nc], iso3, 4);
    p->bits[p->nc] = bits;
    p->present[p->nc] = pres;
    p->cidx[li] = (int32_t)(p->nc + 1);
    return (long)p->nc++;
}

/* Period of a bit position (binary search over woff). */
static size_t period_of(const struct vote_panel *p, uint32_t pos)
{
    size_t w = pos / 64, lo = 0, hi = p->nper;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p->woff[mid] <= w)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Read vote rows (rcid, country, vote) from a prepared statement. */
static int read_votes(bilat_db *db, struct vote_panel *p, sqlite3_stmt *st, int country_col,
                      struct bilat_err *err)
{
    int s;
    int64_t last = -1;
    long call = -1;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t rcid = sqlite3_column_int64(st, 0);
        if (rcid != last) {
            last = rcid;
            call = find_call(p, rcid);
        }
        if (call < 0)
            continue;
        const char *v = (const char *)sqlite3_column_text(st, 2);
        int len = sqlite3_column_bytes(st, 2);
        int k = len == 3 && v[0] == 'y'   ? VOTE_YES
                : len == 2 && v[0] == 'n' ? VOTE_NO
                : len == 7 && v[0] == 'a' ? VOTE_ABSTAIN
                                          : -1; /* absent, or not a vote */
        if (k < 0)
            continue;
        const char *c = (const char *)sqlite3_column_text(st, country_col);
        int li = c ? letter_index(c) : -1;
        if (li < 0)
            continue;
        long ci = add_country(p, c, li);
        if (ci < 0)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        uint32_t pos = p->pos[call];
        p->bits[ci][(size_t)k * p->wtot + pos / 64] |= (uint64_t)1 << (pos % 64);
        p->present[ci][period_of(p, pos)] = 1;
    }
    if (s != SQLITE_DONE)
        return store_fail(db, err, s, "cannot read votes");
    return 0;
}

/* Countries in ISO3 order: the codes are 3 letters, so their letter index orders them. */
struct sort_key {
    int key;    /* letter index of the ISO3 code */
    size_t idx; /* country index */
};

static int cmp_key(const void *a, const void *b)
{
    int x = ((const struct sort_key *)a)->key, y = ((const struct sort_key *)b)->key;
    return (x > y) - (x < y);
}

/* Fill p->sorted (allocated, nc entries) with the countries in ISO3 order. */
static int sort_countries(struct vote_panel *p, struct bilat_err *err)
{
    struct sort_key *keys = bilat_alloc_array(p->nc ? p->nc : 1, sizeof(*keys));
    if (!keys)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->nc; i++)
        keys[i] = (struct sort_key){letter_index(p->iso3[i]), i};
    qsort(keys, p->nc, sizeof(*keys), cmp_key);
    for (size_t i = 0; i < p->nc; i++)
        p->sorted[i] = keys[i].idx;
    bilat_free(keys);
    return 0;
}

/* The panel read from the tables (un_call, un_issue, un_vote). */
static int build_panel(bilat_db *db, enum bilat_vote_by by, int from, int to,
                       const char *const *countries, size_t n, struct vote_panel **out,
                       struct bilat_err *err)
{
    *out = NULL;
    struct vote_panel *p = bilat_calloc(1, sizeof(*p));
    if (!p)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    p->by = by;
    p->table = pick_kernel();
    p->cidx = bilat_calloc(N_ISO3, sizeof(int32_t));
    int rc = p->cidx ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = load_calls(db, p, from, to, err);
    if (rc == 0)
        rc = load_issues(db, p, err);
    sqlite3_stmt *st = NULL;
    if (rc == 0 && n == 0) {
        /* in country order (the covering index un_vote_country): countries are then met in ISO3
         * order, whatever the period (slice_panel() relies on it) */
        rc = store_prepare(db, "SELECT rcid, country, vote FROM un_vote ORDER BY country, rcid",
                           &st, err);
        if (rc == 0)
            rc = read_votes(db, p, st, 1, err);
    } else if (rc == 0) {
        rc = store_prepare(
            db, "SELECT rcid, country, vote FROM un_vote WHERE country = ?1 ORDER BY rcid", &st,
            err);
        for (size_t i = 0; rc == 0 && i < n; i++) {
            sqlite3_reset(st);
            store_bind_text(st, 1, countries[i], -1);
            rc = read_votes(db, p, st, 1, err);
        }
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        p->sorted = bilat_alloc_array(p->nc ? p->nc : 1, sizeof(size_t));
        if (!p->sorted)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0)
        rc = sort_countries(p, err);
    if (rc < 0) {
        vote_panel_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The summary: the whole panel encoded in the store, decoded once per process                 */

/*
 * Encoding (native byte order and widths; a store is read on the machine that wrote it, and a
 * summary of another byte order is refused and the panel built from the tables instead):
 *   "BVP2", u32 0x01020304, u32 by, u32 nper, u32 ncalls, u32 nc, u32 nissues, u64 wtot;
 *   per period: i32 label, u32 ncall, u32 length and bytes of its sources (0: none);
 *   per call: i64 rcid, u32 pos, u8 important, u64 issues;
 *   per issue: char code[8], u32 length, the name's bytes;
 *   per country (in index order): char iso3[4], u8 present[nper], u64 bits[3 * wtot].
 */
static const char panel_magic[4] = {'B', 'V', 'P', '2'};
enum { PANEL_ORDER = 0x01020304 };

static int put(struct bilat_buf *b, const void *v, size_t len)
{
    return bilat_buf_add(b, v, len);
}

static int put_u32(struct bilat_buf *b, uint32_t v)
{
    return put(b, &v, sizeof(v));
}

static int panel_encode(const struct vote_panel *p, struct bilat_buf *b)
{
    uint64_t wtot = p->wtot;
    int rc = put(b, panel_magic, 4) | put_u32(b, PANEL_ORDER) | put_u32(b, (uint32_t)p->by) |
             put_u32(b, (uint32_t)p->nper) | put_u32(b, (uint32_t)p->ncalls) |
             put_u32(b, (uint32_t)p->nc) | put_u32(b, (uint32_t)p->nissues) |
             put(b, &wtot, sizeof(wtot));
    for (size_t k = 0; rc == 0 && k < p->nper; k++) {
        size_t sl = p->psrc && p->psrc[k] ? strlen(p->psrc[k]) : 0;
        rc = put(b, &p->label[k], sizeof(int32_t)) | put_u32(b, (uint32_t)p->ncall[k]) |
             put_u32(b, (uint32_t)sl) | put(b, sl ? p->psrc[k] : "", sl);
    }
    for (size_t i = 0; rc == 0 && i < p->ncalls; i++)
        rc = put(b, &p->rcid[i], 8) | put(b, &p->pos[i], 4) | put(b, &p->important[i], 1) |
             put(b, &p->issues[i], 8);
    for (size_t i = 0; rc == 0 && i < p->nissues; i++) {
        size_t len = strlen(p->iname[i]);
        rc = put(b, p->icode[i], 8) | put_u32(b, (uint32_t)len) | put(b, p->iname[i], len);
    }
    for (size_t c = 0; rc == 0 && c < p->nc; c++)
        rc = put(b, p->iso3[c], 4) | put(b, p->present[c], p->nper) |
             put(b, p->bits[c], 3 * p->wtot * sizeof(uint64_t));
    return rc ? BILAT_ENOMEM : 0;
}

struct reader {
    const unsigned char *p, *end;
    bool bad;
};

static void get(struct reader *r, void *v, size_t len)
{
    if (r->bad || (size_t)(r->end - r->p) < len) {
        r->bad = true;
        memset(v, 0, len);
        return;
    }
    memcpy(v, r->p, len);
    r->p += len;
}

static uint32_t get_u32(struct reader *r)
{
    uint32_t v;
    get(r, &v, sizeof(v));
    return v;
}

/* A panel from its encoding; BILAT_EPARSE when the bytes are not one (or of another machine). */
static int panel_decode(const void *data, size_t len, enum bilat_vote_by by,
                        struct vote_panel **out, struct bilat_err *err)
{
    *out = NULL;
    struct reader r = {data, (const unsigned char *)data + len, false};
    char magic[4];
    get(&r, magic, 4);
    uint32_t order = get_u32(&r), pby = get_u32(&r), nper = get_u32(&r), ncalls = get_u32(&r);
    uint32_t nc = get_u32(&r), nissues = get_u32(&r);
    uint64_t wtot;
    get(&r, &wtot, sizeof(wtot));
    /* every count is bounded by the bytes left, so that a damaged row cannot ask for more */
    if (r.bad || memcmp(magic, panel_magic, 4) != 0 || order != PANEL_ORDER ||
        pby != (uint32_t)by || nissues > MAX_ISSUES || nper > len || ncalls > len || nc > len ||
        wtot > len || wtot * 64 > UINT32_MAX)
        return bilat_fail(err, BILAT_EPARSE, "not a vote panel summary of this machine");
    struct vote_panel *p = bilat_calloc(1, sizeof(*p));
    if (!p)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    p->by = by;
    p->table = pick_kernel();
    p->nper = nper;
    p->ncalls = ncalls;
    p->wtot = (size_t)wtot;
    p->cidx = bilat_calloc(N_ISO3, sizeof(int32_t));
    p->label = bilat_alloc_array(nper + 1, sizeof(int));
    p->woff = bilat_calloc(nper + 1, sizeof(size_t));
    p->nw = bilat_calloc(nper + 1, sizeof(size_t));
    p->ncall = bilat_calloc(nper + 1, sizeof(size_t));
    p->rcid = bilat_alloc_array(ncalls + 1, sizeof(int64_t));
    p->pos = bilat_alloc_array(ncalls + 1, sizeof(uint32_t));
    p->important = bilat_alloc_array(ncalls + 1, 1);
    p->issues = bilat_calloc(ncalls + 1, sizeof(uint64_t));
    p->psrc = bilat_calloc(nper + 1, sizeof(char *));
    int rc = 0;
    if (!p->cidx || !p->label || !p->woff || !p->nw || !p->ncall || !p->rcid || !p->pos ||
        !p->important || !p->issues || !p->psrc) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    size_t off = 0;
    for (size_t k = 0; k < nper && !r.bad; k++) {
        int32_t label;
        get(&r, &label, sizeof(label));
        p->label[k] = label;
        p->ncall[k] = get_u32(&r);
        p->woff[k] = off;
        p->nw[k] = (p->ncall[k] + 63) / 64;
        off += p->nw[k];
        uint32_t sl = get_u32(&r);
        if (r.bad || sl > (size_t)(r.end - r.p)) {
            r.bad = true;
            break;
        }
        if (sl && !(p->psrc[k] = bilat_malloc(sl + 1))) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        if (sl) {
            get(&r, p->psrc[k], sl);
            p->psrc[k][sl] = '\0';
        }
    }
    for (size_t i = 0; i < ncalls && !r.bad; i++) {
        get(&r, &p->rcid[i], 8);
        get(&r, &p->pos[i], 4);
        get(&r, &p->important[i], 1);
        get(&r, &p->issues[i], 8);
        if (p->pos[i] / 64 >= wtot)
            r.bad = true;
    }
    for (size_t i = 0; i < nissues && !r.bad; i++) {
        get(&r, p->icode[i], 8);
        p->icode[i][7] = '\0';
        uint32_t l = get_u32(&r);
        if (r.bad || l > (size_t)(r.end - r.p)) {
            r.bad = true;
            break;
        }
        if (!(p->iname[i] = bilat_malloc(l + 1))) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        get(&r, p->iname[i], l);
        p->iname[i][l] = '\0';
        p->nissues++;
    }
    if (!r.bad && off != wtot)
        r.bad = true;
    if (!r.bad && !(p->iso3 = bilat_alloc_array(nc + 1, sizeof(*p->iso3)))) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    p->bits = bilat_calloc(nc + 1, sizeof(*p->bits));
    p->present = bilat_calloc(nc + 1, sizeof(*p->present));
    p->sorted = bilat_alloc_array(nc + 1, sizeof(size_t));
    if (!p->bits || !p->present || !p->sorted) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    p->capc = nc;
    for (size_t c = 0; c < nc && !r.bad; c++) {
        char iso3[4];
        get(&r, iso3, 4);
        iso3[3] = '\0';
        int li = letter_index(iso3);
        if (r.bad || li < 0 || p->cidx[li]) {
            r.bad = true;
            break;
        }
        p->bits[c] = bilat_malloc((3 * p->wtot + 1) * sizeof(uint64_t));
        p->present[c] = bilat_malloc(nper + 1);
        if (!p->bits[c] || !p->present[c]) {
            bilat_free(p->bits[c]);
            bilat_free(p->present[c]);
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        memcpy(p->iso3[c], iso3, 4);
        p->nc++;
        p->cidx[li] = (int32_t)p->nc;
        get(&r, p->present[c], nper);
        get(&r, p->bits[c], 3 * p->wtot * sizeof(uint64_t));
        p->bits[c][3 * p->wtot] = 0;
    }
    if (!r.bad && r.p != r.end)
        r.bad = true;
    if (r.bad) {
        rc = bilat_fail(err, BILAT_EPARSE, "a damaged vote panel summary");
        goto out;
    }
    rc = sort_countries(p, err);
out:
    if (rc < 0) {
        vote_panel_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

static void panel_free_v(void *p)
{
    vote_panel_free(p);
}

/* A stamp for a new summary: it only has to differ from every earlier one. */
static int64_t new_stamp(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    x ^= (uint64_t)getpid() << 40;
    return (int64_t)(x & 0x3fffffffffffffffu) + 1;
}

/*
 * The whole panel of `by`, every period and every country, owned by the store's memo: the one
 * this process decoded while it is current, else the store's summary (un_panel), else built from
 * the tables. Each source gives the same panel.
 */
static int full_panel(bilat_db *db, enum bilat_vote_by by, const struct vote_panel **out,
                      struct bilat_err *err)
{
    int slot = by == BILAT_VOTE_BY_SESSION ? STORE_MEMO_VOTES_SESSION : STORE_MEMO_VOTES_YEAR;
    sqlite3_stmt *st = NULL;
    int64_t key = 0;
    int s = SQLITE_DONE;
    if (bilat_db_schema_version(db) >= 90) {
        BILAT_TRY(store_prepare(db, "SELECT stamp, data FROM un_panel WHERE by = ?1", &st, err));
        sqlite3_bind_int(st, 1, (int)by);
        s = sqlite3_step(st);
        if (s != SQLITE_ROW && s != SQLITE_DONE) {
            int rc = store_fail(db, err, s, "cannot read the vote summary");
            sqlite3_finalize(st);
            return rc;
        }
    }
    /* a summary's stamp, or (none) the store's data version, as negative keys */
    key = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1 - store_data_version(db);
    struct vote_panel *p = store_memo_get(db, slot, key);
    int rc = 0;
    if (!p && s == SQLITE_ROW) {
        struct bilat_err derr = {0};
        rc = panel_decode(sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), by, &p,
                          &derr);
        if (rc == BILAT_ENOMEM)
            rc = bilat_fail(err, rc, "out of memory");
        else
            rc = 0; /* a summary this build cannot read: the tables give the same panel */
    }
    sqlite3_finalize(st);
    if (rc == 0 && !p)
        rc = build_panel(db, by, 0, 0, NULL, 0, &p, err);
    if (rc < 0)
        return rc;
    if (store_memo_get(db, slot, key) != p)
        store_memo_set(db, slot, p, panel_free_v, key);
    *out = p;
    return 0;
}

/* The year a period's label stands for. */
static int label_year(const struct vote_panel *p, int label)
{
    return p->by == BILAT_VOTE_BY_SESSION ? label + 1945 : label;
}

struct kept {
    int key;  /* letter index of its ISO3 code */
    size_t c; /* country in the full panel */
};

/*
 * The part of a full panel that build_panel() would read for years [from, to] and `countries`:
 * its periods, their roll calls at positions counted from the first period kept, and the
 * countries that cast a vote in them, in the order the tables give them (the order asked, or
 * for every country the whole panel's: ISO3 order).
 */
static int slice_panel(const struct vote_panel *f, int from, int to, const char *const *countries,
                       size_t n, struct vote_panel **out, struct bilat_err *err)
{
    *out = NULL;
    size_t k0 = 0, k1 = f->nper; /* kept periods: [k0, k1) */
    while (k0 < f->nper && from && label_year(f, f->label[k0]) < from)
        k0++;
    while (k1 > k0 && to && label_year(f, f->label[k1 - 1]) > to)
        k1--;
    size_t nper = k1 - k0, w0 = nper ? f->woff[k0] : 0;
    size_t wtot = nper ? f->woff[k1 - 1] + f->nw[k1 - 1] - w0 : 0;
    struct vote_panel *p = bilat_calloc(1, sizeof(*p));
    struct kept *order = bilat_alloc_array(f->nc + n + 1, sizeof(*order));
    if (!p || !order) {
        bilat_free(p);
        bilat_free(order);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    p->by = f->by;
    p->table = f->table;
    p->nper = nper;
    p->wtot = wtot;
    p->cidx = bilat_calloc(N_ISO3, sizeof(int32_t));
    p->label = bilat_alloc_array(nper + 1, sizeof(int));
    p->woff = bilat_calloc(nper + 1, sizeof(size_t));
    p->nw = bilat_calloc(nper + 1, sizeof(size_t));
    p->ncall = bilat_calloc(nper + 1, sizeof(size_t));
    p->rcid = bilat_alloc_array(f->ncalls + 1, sizeof(int64_t));
    p->pos = bilat_alloc_array(f->ncalls + 1, sizeof(uint32_t));
    p->important = bilat_alloc_array(f->ncalls + 1, 1);
    p->issues = bilat_calloc(f->ncalls + 1, sizeof(uint64_t));
    int rc = 0;
    if (!p->cidx || !p->label || !p->woff || !p->nw || !p->ncall || !p->rcid || !p->pos ||
        !p->important || !p->issues) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nper; k++) {
        p->label[k] = f->label[k0 + k];
        p->woff[k] = f->woff[k0 + k] - w0;
        p->nw[k] = f->nw[k0 + k];
        p->ncall[k] = f->ncall[k0 + k];
    }
    for (size_t i = 0; i < f->ncalls; i++) {
        size_t w = f->pos[i] / 64;
        if (w < w0 || w >= w0 + wtot)
            continue;
        p->rcid[p->ncalls] = f->rcid[i];
        p->pos[p->ncalls] = f->pos[i] - (uint32_t)(w0 * 64);
        p->important[p->ncalls] = f->important[i];
        p->issues[p->ncalls] = f->issues[i];
        p->ncalls++;
    }
    for (size_t i = 0; i < f->nissues; i++) {
        memcpy(p->icode[i], f->icode[i], sizeof(p->icode[i]));
        if (!(p->iname[i] = bilat_strdup(f->iname[i]))) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        p->nissues++;
    }
    /* the countries kept, in the tables' order */
    size_t m = 0;
    for (size_t i = 0; i < (n ? n : f->nc); i++) {
        long c = n ? vote_panel_find_country(f, countries[i]) : (long)i;
        bool voted = false;
        for (size_t k = k0; c >= 0 && k < k1 && !voted; k++)
            voted = f->present[c][k] != 0;
        bool dup = false;
        for (size_t j = 0; voted && n && j < m && !dup; j++)
            dup = order[j].c == (size_t)c;
        if (voted && !dup)
            order[m++] = (struct kept){letter_index(f->iso3[c]), (size_t)c};
    }
    p->iso3 = bilat_alloc_array(m + 1, sizeof(*p->iso3));
    p->bits = bilat_calloc(m + 1, sizeof(*p->bits));
    p->present = bilat_calloc(m + 1, sizeof(*p->present));
    p->sorted = bilat_alloc_array(m + 1, sizeof(size_t));
    if (!p->iso3 || !p->bits || !p->present || !p->sorted) {
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        goto out;
    }
    p->capc = m;
    for (size_t j = 0; j < m; j++) {
        size_t c = order[j].c;
        uint64_t *bits = bilat_calloc(3 * wtot + 1, sizeof(uint64_t));
        uint8_t *pres = bilat_calloc(nper + 1, 1);
        if (!bits || !pres) {
            bilat_free(bits);
            bilat_free(pres);
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            goto out;
        }
        for (int row = 0; row < 3; row++)
            memcpy(bits + (size_t)row * wtot, f->bits[c] + (size_t)row * f->wtot + w0,
                   wtot * sizeof(uint64_t));
        memcpy(pres, f->present[c] + k0, nper);
        memcpy(p->iso3[j], f->iso3[c], 4);
        p->bits[j] = bits;
        p->present[j] = pres;
        p->nc++;
        p->cidx[order[j].key] = (int32_t)p->nc;
    }
    rc = sort_countries(p, err);
out:
    bilat_free(order);
    if (rc < 0) {
        vote_panel_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int vote_panel_read(bilat_db *db, enum bilat_vote_by by, int from, int to,
                    const char *const *countries, size_t n, struct vote_panel **out,
                    struct bilat_err *err)
{
    return build_panel(db, by, from, to, countries, n, out, err);
}

int vote_panel_whole(bilat_db *db, enum bilat_vote_by by, const struct vote_panel **out,
                     struct bilat_err *err)
{
    return full_panel(db, by, out, err);
}

const char *vote_panel_sources(const struct vote_panel *p, size_t period)
{
    return p->psrc ? p->psrc[period] : NULL;
}

int vote_panel_load(bilat_db *db, enum bilat_vote_by by, int from, int to,
                    const char *const *countries, size_t n, struct vote_panel **out,
                    struct bilat_err *err)
{
    const struct vote_panel *full = NULL;
    BILAT_TRY(full_panel(db, by, &full, err));
    return slice_panel(full, from, to, countries, n, out, err);
}

int votes_summary_build(bilat_db *db, int rebuild, struct bilat_err *err)
{
    if (bilat_db_schema_version(db) < 90)
        return 0;
    if (rebuild)
        BILAT_TRY(store_votes_changed(db, err));
    int64_t votes = 0;
    BILAT_TRY(store_query_int(db, "SELECT EXISTS (SELECT 1 FROM un_vote)", NULL, &votes, err));
    for (int by = BILAT_VOTE_BY_YEAR; votes && by <= BILAT_VOTE_BY_SESSION; by++) {
        int64_t have = 0;
        char q[64];
        snprintf(q, sizeof(q), "SELECT count(*) FROM un_panel WHERE by = %d", by);
        BILAT_TRY(store_query_int(db, q, NULL, &have, err));
        if (have)
            continue;
        struct vote_panel *p = NULL;
        BILAT_TRY(build_panel(db, (enum bilat_vote_by)by, 0, 0, NULL, 0, &p, err));
        struct bilat_buf b = BILAT_BUF_INIT;
        int rc = panel_encode(p, &b) < 0 ? bilat_fail(err, BILAT_ENOMEM, "out of memory") : 0;
        sqlite3_stmt *st = NULL;
        if (rc == 0)
            rc = store_prepare(db,
                               "INSERT OR REPLACE INTO un_panel(by, stamp, built_at, calls, "
                               "countries, data) VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', "
                               "'now'), ?3, ?4, ?5)",
                               &st, err);
        int64_t stamp = new_stamp();
        if (rc == 0) {
            sqlite3_bind_int(st, 1, by);
            sqlite3_bind_int64(st, 2, stamp);
            sqlite3_bind_int64(st, 3, (int64_t)p->ncalls);
            sqlite3_bind_int64(st, 4, (int64_t)p->nc);
            sqlite3_bind_blob64(st, 5, b.buf, b.len, SQLITE_STATIC);
            int s = sqlite3_step(st);
            if (s != SQLITE_DONE)
                rc = store_fail(db, err, s, "cannot write the vote summary");
        }
        sqlite3_finalize(st);
        bilat_buf_release(&b);
        if (rc < 0) {
            vote_panel_free(p);
            return rc;
        }
        /* this process keeps what it built */
        store_memo_set(db, by == BILAT_VOTE_BY_SESSION ? STORE_MEMO_VOTES_SESSION
                                                       : STORE_MEMO_VOTES_YEAR,
                       p, panel_free_v, stamp);
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Queries                                                                                     */

size_t vote_panel_nperiods(const struct vote_panel *p)
{
    return p->nper;
}

int vote_panel_label(const struct vote_panel *p, size_t period)
{
    return p->label[period];
}

size_t vote_panel_ncalls(const struct vote_panel *p, size_t period)
{
    return p->ncall[period];
}

long vote_panel_find_period(const struct vote_panel *p, int label)
{
    int *hit = p->nper ? bsearch(&label, p->label, p->nper, sizeof(int), cmp_int) : NULL;
    return hit ? (long)(hit - p->label) : -1;
}

size_t vote_panel_ncountries(const struct vote_panel *p)
{
    return p->nc;
}

const char *vote_panel_iso3(const struct vote_panel *p, size_t c)
{
    return p->iso3[c];
}

long vote_panel_find_country(const struct vote_panel *p, const char *iso3)
{
    int li = iso3 && strlen(iso3) == 3 ? letter_index(iso3) : -1;
    return li < 0 ? -1 : (long)p->cidx[li] - 1;
}

const size_t *vote_panel_sorted(const struct vote_panel *p)
{
    return p->sorted;
}

int vote_panel_present(const struct vote_panel *p, size_t c, size_t period)
{
    return p->present[c][period];
}

size_t vote_panel_nissues(const struct vote_panel *p)
{
    return p->nissues;
}

const char *vote_panel_issue_code(const struct vote_panel *p, size_t i)
{
    return p->icode[i];
}

const char *vote_panel_issue_name(const struct vote_panel *p, size_t i)
{
    return p->iname[i];
}

int vote_panel_mask(const struct vote_panel *p, int important_only, const char *issue,
                    uint64_t **mask_out, struct bilat_err *err)
{
    *mask_out = NULL;
    uint64_t want = 0;
    if (issue) {
        for (size_t i = 0; i < p->nissues && !want; i++)
            if (strcasecmp(p->icode[i], issue) == 0 || strcasecmp(p->iname[i], issue) == 0)
                want = (uint64_t)1 << i;
        if (!want) {
            char known[512] = "";
            size_t len = 0;
            for (size_t i = 0; i < p->nissues && len < sizeof(known); i++)
                len += (size_t)snprintf(known + len, sizeof(known) - len, "%s%s (%s)",
                                        i ? ", " : "", p->icode[i], p->iname[i]);
            if (!p->nissues)
                return bilat_fail(err, BILAT_ENOTFOUND,
                                  "unknown issue '%s' (the store has no issue tags)", issue);
            return bilat_fail(err, BILAT_ENOTFOUND, "unknown issue '%s' (known: %s)", issue, known);
        }
    }
    if (!important_only && !want)
        return 0;
    uint64_t *m = bilat_calloc(p->wtot + 1, sizeof(uint64_t));
    if (!m)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t i = 0; i < p->ncalls; i++)
        if ((!important_only || p->important[i] == 1) && (!want || (p->issues[i] & want)))
            m[p->pos[i] / 64] |= (uint64_t)1 << (p->pos[i] % 64);
    *mask_out = m;
    return 0;
}

size_t vote_panel_unflagged(const struct vote_panel *p, size_t period)
{
    size_t n = 0;
    for (size_t i = 0; i < p->ncalls; i++)
        if (p->important[i] == 2 && p->pos[i] / 64 >= p->woff[period] &&
            p->pos[i] / 64 < p->woff[period] + p->nw[period])
            n++;
    return n;
}

size_t vote_panel_ncalls_masked(const struct vote_panel *p, size_t period, const uint64_t *mask)
{
    if (!mask)
        return p->ncall[period];
    size_t n = 0;
    for (size_t w = p->woff[period]; w < p->woff[period] + p->nw[period]; w++)
        n += (size_t)__builtin_popcountll(mask[w]);
    return n;
}

void vote_panel_add_table(const struct vote_panel *p, size_t a, size_t b, size_t period,
                          const uint64_t *mask, struct vote_table *t)
{
    p->table(p->bits[a], p->bits[b], p->wtot, p->woff[period], p->nw[period], mask, t->c);
}

size_t vote_panel_positions(const struct vote_panel *p, size_t k0, size_t k1, const uint64_t *mask,
                            uint32_t *pos_out)
{
    size_t n = 0;
    for (size_t k = k0; k <= k1 && k < p->nper; k++)
        for (size_t i = 0; i < p->ncall[k]; i++) {
            uint32_t pos = (uint32_t)(p->woff[k] * 64 + i);
            if (!mask || (mask[pos / 64] >> (pos % 64) & 1))
                pos_out[n++] = pos;
        }
    return n;
}

int vote_panel_split_rcids(const struct vote_panel *p, size_t a, size_t b, size_t k0, size_t k1,
                           int64_t *rcid_out, int *label_out)
{
    int n = 0;
    if (k0 > k1 || k1 >= p->nper)
        return 0;
    size_t w0 = p->woff[k0], w1 = p->woff[k1] + p->nw[k1];
    for (size_t i = 0; i < p->ncalls; i++) {
        uint32_t pos = p->pos[i];
        if (pos / 64 < w0 || pos / 64 >= w1)
            continue;
        int va = vote_panel_vote_at(p, a, pos), vb = vote_panel_vote_at(p, b, pos);
        if (va < 0 || vb < 0 || va == vb)
            continue;
        rcid_out[n] = p->rcid[i];
        if (label_out)
            label_out[n] = p->label[period_of(p, pos)];
        n++;
    }
    return n;
}

int vote_panel_vote_at(const struct vote_panel *p, size_t c, uint32_t pos)
{
    const uint64_t *b = p->bits[c];
    size_t w = pos / 64;
    uint64_t bit = (uint64_t)1 << (pos % 64);
    if (b[w] & bit)
        return VOTE_YES;
    if (b[p->wtot + w] & bit)
        return VOTE_ABSTAIN;
    if (b[2 * p->wtot + w] & bit)
        return VOTE_NO;
    return -1;
}

int vote_panel_all_pairs(const struct vote_panel *p, enum bilat_vote_measure m,
                         const uint64_t *mask, bilat_vote_value_fn *fn, void *ctx)
{
    size_t *live = bilat_alloc_array(p->nc ? p->nc : 1, sizeof(size_t));
    if (!live)
        return BILAT_ENOMEM;
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < p->nper; k++) {
        size_t nl = 0;
        for (size_t i = 0; i < p->nc; i++)
            if (p->present[p->sorted[i]][k])
                live[nl++] = p->sorted[i];
        for (size_t i = 0; rc == 0 && i < nl; i++) {
            const uint64_t *bi = p->bits[live[i]];
            for (size_t j = i + 1; rc == 0 && j < nl; j++) {
                struct vote_table t = {{{0}}};
                p->table(bi, p->bits[live[j]], p->wtot, p->woff[k], p->nw[k], mask, t.c);
                uint64_t n = vote_table_n(&t);
                if (n == 0)
                    continue;
                struct bilat_vote_value v = {.a = p->iso3[live[i]],
                                             .b = p->iso3[live[j]],
                                             .period = p->label[k],
                                             .n = (int64_t)n};
                v.has_value = vote_measure_value(&t, m, &v.value, &v.why);
                rc = fn(ctx, &v);
            }
        }
    }
    bilat_free(live);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Shared checks                                                                               */

int votes_schema_check(bilat_db *db, struct bilat_err *err)
{
    int64_t have = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM schema_version WHERE version = 10", NULL,
                              &have, err));
    if (!have)
        return bilat_fail(err, BILAT_EIO,
                          "the store '%s' predates the UN-vote tables (schema version 10): open "
                          "it once for writing to migrate it (e.g. bilat ingest unvotes ..., or "
                          "bilat load ...)",
                          db->path);
    return 0;
}

int votes_country(bilat_db *db, const char *code, char out[4], struct bilat_err *err)
{
    if (!code || strlen(code) != 3)
        return bilat_fail(err, BILAT_EINVAL, "bad country code '%s' (expected ISO3, e.g. KHM)",
                          code ? code : "");
    for (int i = 0; i < 3; i++) {
        if (!isalpha((unsigned char)code[i]))
            return bilat_fail(err, BILAT_EINVAL, "bad country code '%s' (expected ISO3, e.g. KHM)",
                              code);
        out[i] = (char)toupper((unsigned char)code[i]);
    }
    out[3] = '\0';
    int64_t have = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM country WHERE iso3 = ?1", out, &have, err));
    if (!have)
        return bilat_fail(err, BILAT_ENOTFOUND,
                          "unknown country '%s' (not an ISO3 code of the country table)", out);
    return 0;
}

const char *votes_ideal_column(enum bilat_ideal_variant variant)
{
    return variant == BILAT_IDEAL_FP       ? "value_fp"
           : variant == BILAT_IDEAL_LEGACY ? "value_legacy"
                                           : "value";
}

const char *votes_ideal_nvotes_column(enum bilat_ideal_variant variant)
{
    return variant == BILAT_IDEAL_FP       ? "nvotes_fp"
           : variant == BILAT_IDEAL_LEGACY ? "nvotes_legacy"
                                           : "nvotes";
}
