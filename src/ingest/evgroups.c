/*
 * evgroups.c: the group hash table, fixed-point decimals and packed codes of the event engine
 * (evgroups.h).
 *
 * The table keeps groups in dense arrays (keys, hashes, measures) in insertion order and an
 * open-addressing index of uint32 slots (linear probing, load factor at most 1/2). Growing
 * rehashes the index only, from the stored hashes: keys and measures never move except by
 * realloc of the dense arrays.
 *
 * Fixed point: values are read digit by digit into a 128-bit integer scaled by 10^18. GDELT
 * writes AvgTone with up to ~15 decimals and Goldstein with one, so the conversion is exact;
 * digits past the 18th decimal are rounded half away from zero. Sums are then exact integer
 * additions, the same in any order, which is what makes results identical for any number of
 * threads, buffer size or MPI split.
 */
#include "ingest/evgroups.h"

#include "core/alloc.h"
#include "core/err.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int evgroups_init(struct evgroups *g, size_t nk)
{
    memset(g, 0, sizeof(*g));
    g->nk = nk;
    /* hash, keys, padding to the measures' alignment, measures */
    const size_t al = _Alignof(struct evmeas);
    g->moff = (8 + nk * 8 + al - 1) / al * al;
    g->stride = g->moff + sizeof(struct evmeas);
    return bilat_hindex_init(&g->x, 1024);
}

void evgroups_release(struct evgroups *g)
{
    bilat_free(g->e);
    bilat_hindex_release(&g->x);
    memset(g, 0, sizeof(*g));
}

void evgroups_reset(struct evgroups *g)
{
    g->n = 0;
    bilat_hindex_reset(&g->x);
}

size_t evgroups_bytes(const struct evgroups *g)
{
    return g->cap * g->stride + bilat_hindex_bytes(&g->x);
}

static int grow_dense(struct evgroups *g)
{
    size_t cap = g->cap ? g->cap * 2 : 256;
    unsigned char *e = bilat_realloc_array(g->e, cap, g->stride);
    if (!e)
        return BILAT_ENOMEM;
    g->e = e;
    g->cap = cap;
    return 0;
}

static uint64_t group_hash(const void *ctx, size_t i)
{
    return evg_hash(ctx, i);
}

int evgroups_add(struct evgroups *g, const uint64_t *key, uint64_t h, size_t slot,
                 size_t *idx_out)
{
    if (g->n >= UINT32_MAX - 1)
        return BILAT_ENOMEM;
    if (g->n == g->cap)
        BILAT_TRY(grow_dense(g));
    size_t i = g->n++;
    *(uint64_t *)(void *)(g->e + i * g->stride) = h;
    memcpy(evg_key(g, i), key, g->nk * sizeof(uint64_t));
    memset(evg_meas(g, i), 0, sizeof(struct evmeas));
    *idx_out = i;
    /* a failed growth keeps the new group: the index works fuller until memory allows more */
    return bilat_hindex_put(&g->x, slot, h, i, group_hash, g);
}

int fpset_init(struct fpset *s)
{
    /* entries for as many as the index takes before it grows: a memory budget sees the set
     * grow at the same points (over_budget() in events.c) */
    memset(s, 0, sizeof(*s));
    s->cap = 2048;
    s->e = bilat_alloc_array(s->cap, sizeof(*s->e));
    if (!s->e || bilat_hindex_init(&s->x, 2 * s->cap) < 0) {
        fpset_release(s);
        return BILAT_ENOMEM;
    }
    return 0;
}

void fpset_release(struct fpset *s)
{
    bilat_free(s->e);
    bilat_hindex_release(&s->x);
    memset(s, 0, sizeof(*s));
}

void fpset_reset(struct fpset *s)
{
    s->n = 0;
    bilat_hindex_reset(&s->x);
}

size_t fpset_bytes(const struct fpset *s)
{
    return s->cap * sizeof(*s->e) + bilat_hindex_bytes(&s->x);
}

static uint64_t fp_hash(const void *ctx, size_t i)
{
    return ((const struct fpent *)ctx)[i].fp;
}

int fpset_insert(struct fpset *s, size_t slot, uint64_t fp, uint32_t group)
{
    if (s->n == s->cap) {
        size_t cap = s->cap * 2;
        struct fpent *e = bilat_realloc_array(s->e, cap, sizeof(*e));
        if (!e)
            return BILAT_ENOMEM;
        s->e = e;
        s->cap = cap;
    }
    size_t i = s->n++;
    s->e[i] = (struct fpent){fp, group};
    int rc = bilat_hindex_put(&s->x, slot, fp, i, fp_hash, s->e);
    return rc < 0 ? rc : 1;
}

static ev_ufixed pow10_u128(unsigned e)
{
    ev_ufixed v = 1;
    while (e--)
        v *= 10;
    return v;
}

/* The multipliers of evgroups_hash(), one per key word (odd, random-looking). */
const uint64_t ev_hash_mul[EV_MAXK] = {
    0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL, 0x9e3779b97f4a7c15ULL, 0xc2b2ae3d27d4eb4fULL,
    0x165667b19e3779f9ULL, 0xd6e8feb86659fd93ULL, 0xff51afd7ed558ccdULL, 0xc4ceb9fe1a85ec53ULL,
    0xd5baa978983b6369ULL, 0xfe4f526311d5d725ULL, 0x456d044bc1f49415ULL, 0xddc012f8a7865585ULL,
    0x8b64441c516b64afULL, 0xde2ba9c8cf2ed1dfULL, 0x5926363fe6a11025ULL, 0xbc322bd5635917d5ULL};

/* 10^k for k = 0..19 */
const uint64_t ev_pow10[20] = {1ULL,
                               10ULL,
                               100ULL,
                               1000ULL,
                               10000ULL,
                               100000ULL,
                               1000000ULL,
                               10000000ULL,
                               100000000ULL,
                               1000000000ULL,
                               10000000000ULL,
                               100000000000ULL,
                               1000000000000ULL,
                               10000000000000ULL,
                               100000000000000ULL,
                               1000000000000000ULL,
                               10000000000000000ULL,
                               100000000000000000ULL,
                               1000000000000000000ULL,
                               10000000000000000000ULL};

/* Anything else: a sign '+', more digits than fit, an exponent, a malformed value. Out of
 * line, so that the usual case does not pay for its registers. */
__attribute__((noinline)) int ev_fixed_general(const char *s, size_t len, ev_fixed *out)
{
    size_t i = 0;
    bool neg = false;
    if (len == 0 || len > 64)
        return BILAT_EPARSE;
    if (s[0] == '-' || s[0] == '+')
        neg = s[i++] == '-';
    ev_ufixed mant = 0;
    int digits = 0, frac = 0, nd = 0;
    /* Significant digits beyond 36 are dropped (counted in the scale) and rounded below. */
    int dropped_first = -1;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        if (digits < 36) {
            mant = mant * 10 + (unsigned)(s[i] - '0');
            if (mant)
                digits++;
        } else {
            if (dropped_first < 0)
                dropped_first = s[i] - '0';
            frac--; /* an integer digit not kept: scale up by 10 */
        }
        i++, nd++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (digits < 36) {
                mant = mant * 10 + (unsigned)(s[i] - '0');
                if (mant)
                    digits++;
                frac++;
            } else if (dropped_first < 0) {
                dropped_first = s[i] - '0';
            }
            i++, nd++;
        }
    }
    if (nd == 0)
        return BILAT_EPARSE;
    int exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        int ed = 0;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (exp < 1000)
                exp = exp * 10 + (s[i] - '0');
            i++, ed++;
        }
        if (ed == 0)
            return BILAT_EPARSE;
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return BILAT_EPARSE;
    /* value = mant * 10^(exp - frac); fixed = mant * 10^(18 + exp - frac) */
    int shift = 18 + exp - frac;
    if (mant == 0) {
        *out = 0;
        return 0;
    }
    if (shift >= 0) {
        if (shift > 38)
            return BILAT_EPARSE;
        ev_ufixed p = pow10_u128((unsigned)shift);
        /* |value| must stay below 1.7e20 (2^127 / 10^18) */
        ev_ufixed lim = ((ev_ufixed)1 << 126) / p;
        if (mant > lim)
            return BILAT_EPARSE;
        mant *= p;
        if (dropped_first >= 5 && shift == 0)
            mant += 1;
    } else {
        if (-shift > 38) {
            mant = 0;
        } else {
            ev_ufixed p = pow10_u128((unsigned)-shift);
            ev_ufixed q = mant / p, r = mant % p;
            if (r * 2 >= p)
                q++;
            mant = q;
        }
    }
    *out = neg ? -(ev_fixed)mant : (ev_fixed)mant;
    return 0;
}

size_t ev_u64_digits(uint64_t v, char *o)
{
    char t[20];
    size_t n = 0;
    do {
        t[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        o[i] = t[n - 1 - i];
    return n;
}

int ev_fixed_format(ev_fixed v, char *buf, size_t cap)
{
    /* Written by hand, not by printf: a scan prints two of these per group, and printf's
     * parsing and 128-bit digit loops were most of the time of writing 10,000 groups (bench/
     * RESULTS.md). The integer part is split into 64-bit halves of 10^18, so that no digit
     * costs a 128-bit division. */
    char tmp[64];
    size_t n = 0;
    bool neg = v < 0;
    ev_ufixed u = neg ? (ev_ufixed)0 - (ev_ufixed)v : (ev_ufixed)v;
    ev_ufixed ip = u / (ev_ufixed)EV_FIXED_SCALE;
    uint64_t fp = (uint64_t)(u % (ev_ufixed)EV_FIXED_SCALE);
    if (neg && (ip || fp))
        tmp[n++] = '-';
    if (ip >= (ev_ufixed)EV_FIXED_SCALE) {
        /* |value| < 2^127 / 10^18 < 10^21: at most three digits above the low 18 */
        n += ev_u64_digits((uint64_t)(ip / (ev_ufixed)EV_FIXED_SCALE), tmp + n);
        uint64_t lo = (uint64_t)(ip % (ev_ufixed)EV_FIXED_SCALE);
        for (int k = 17; k >= 0; k--, lo /= 10)
            tmp[n + (size_t)k] = (char)('0' + lo % 10);
        n += 18;
    } else {
        n += ev_u64_digits((uint64_t)ip, tmp + n);
    }
    if (fp) {
        tmp[n++] = '.';
        for (int k = 17; k >= 0; k--, fp /= 10)
            tmp[n + (size_t)k] = (char)('0' + fp % 10);
        size_t last = n + 17;
        while (tmp[last] == '0')
            last--;
        n = last + 1;
    }
    /* like snprintf: at most cap - 1 bytes and a NUL; the length it would have */
    if (cap) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(buf, tmp, k);
        buf[k] = '\0';
    }
    return (int)n;
}

double ev_fixed_to_double(ev_fixed v)
{
    /* Two roundings (the 128-bit integer to double, then the division by 10^18, which is
     * exact in a double): within one ulp of the exact value, which is what a REAL column
     * keeps. The exact value is what bilat scan prints. */
    return (double)v / 1e18;
}

size_t ev_code_unpack(uint64_t v, char *buf)
{
    size_t n = 0;
    for (int i = 7; i >= 0; i--) {
        char c = (char)(v >> (i * 8) & 0xff);
        if (!c)
            break;
        buf[n++] = c;
    }
    buf[n] = '\0';
    return n;
}

static const char *const key_names[K__N] = {
    "year",        "month",       "day",        "actor1_country", "actor2_country", "actor1_type",
    "actor2_type", "event_code",  "root_code",  "quad",           "action_country",
};

const char *ev_key_name(enum evkey k)
{
    return k < K__N ? key_names[k] : "?";
}

int ev_keys_parse(const char *by, enum evkey *keys, size_t *n_out, struct bilat_err *err)
{
    size_t n = 0;
    const char *p = by ? by : "";
    while (*p) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        size_t k = 0;
        for (; k < K__N; k++)
            if (strlen(key_names[k]) == len && memcmp(key_names[k], p, len) == 0)
                break;
        if (k == K__N)
            return bilat_fail(err, BILAT_EINVAL,
                              "unknown key '%.*s' (keys: year, month, day, actor1_country, "
                              "actor2_country, actor1_type, actor2_type, event_code, root_code, "
                              "quad, action_country)",
                              (int)len, p);
        for (size_t j = 0; j < n; j++)
            if (keys[j] == (enum evkey)k)
                return bilat_fail(err, BILAT_EINVAL, "key '%.*s' given twice", (int)len, p);
        if (n >= EV_MAXK)
            return bilat_fail(err, BILAT_EINVAL, "too many keys");
        keys[n++] = (enum evkey)k;
        p += len;
        if (*p == ',') {
            p++;
            if (!*p)
                return bilat_fail(err, BILAT_EINVAL, "empty key at the end of '%s'", by);
        }
    }
    *n_out = n;
    return 0;
}
