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

uint64_t evgroups_hash(const uint64_t *key, size_t nk)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ nk;
    for (size_t i = 0; i < nk; i++) {
        h ^= key[i];
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 29;
    return h;
}

int evgroups_init(struct evgroups *g, size_t nk)
{
    memset(g, 0, sizeof(*g));
    g->nk = nk;
    /* hash, keys, padding to the measures' alignment, measures */
    const size_t al = _Alignof(struct evmeas);
    g->moff = (8 + nk * 8 + al - 1) / al * al;
    g->stride = g->moff + sizeof(struct evmeas);
    g->mask = 1023;
    g->slot = bilat_calloc(g->mask + 1, sizeof(*g->slot));
    return g->slot ? 0 : BILAT_ENOMEM;
}

void evgroups_release(struct evgroups *g)
{
    bilat_free(g->e);
    bilat_free(g->slot);
    memset(g, 0, sizeof(*g));
}

void evgroups_reset(struct evgroups *g)
{
    g->n = 0;
    memset(g->slot, 0, (g->mask + 1) * sizeof(*g->slot));
}

size_t evgroups_bytes(const struct evgroups *g)
{
    return g->cap * g->stride + (g->slot ? (g->mask + 1) * sizeof(*g->slot) : 0);
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

static int grow_index(struct evgroups *g)
{
    size_t slots = (g->mask + 1) * 2;
    uint64_t *s = bilat_calloc(slots, sizeof(*s));
    if (!s)
        return BILAT_ENOMEM;
    size_t mask = slots - 1;
    for (size_t i = 0; i < g->n; i++) {
        uint64_t h = evg_hash(g, i);
        size_t j = h & mask;
        while (s[j])
            j = (j + 1) & mask;
        s[j] = (h & 0xffffffff00000000ULL) | (uint64_t)(i + 1);
    }
    bilat_free(g->slot);
    g->slot = s;
    g->mask = mask;
    return 0;
}

int evgroups_get(struct evgroups *g, const uint64_t *key, uint64_t h, size_t *idx_out)
{
    size_t j = h & g->mask;
    const size_t nk = g->nk;
    const uint64_t tag = h & 0xffffffff00000000ULL;
    for (;;) {
        uint64_t e = g->slot[j];
        if (!e)
            break;
        size_t i = (size_t)(uint32_t)e - 1;
        if ((e & 0xffffffff00000000ULL) == tag && evg_hash(g, i) == h) {
            const uint64_t *k = evg_key(g, i);
            size_t w = 0;
            while (w < nk && k[w] == key[w])
                w++;
            if (w == nk) {
                *idx_out = i;
                return 0;
            }
        }
        j = (j + 1) & g->mask;
    }
    if (g->n >= UINT32_MAX - 1)
        return BILAT_ENOMEM;
    if (g->n == g->cap)
        BILAT_TRY(grow_dense(g));
    size_t i = g->n++;
    *(uint64_t *)(void *)(g->e + i * g->stride) = h;
    memcpy(evg_key(g, i), key, nk * sizeof(uint64_t));
    memset(evg_meas(g, i), 0, sizeof(struct evmeas));
    g->slot[j] = tag | (uint64_t)(i + 1);
    if (g->n * 2 > g->mask + 1) {
        int rc = grow_index(g);
        if (rc < 0) {
            /* Keep the table consistent: the new group stays, the index keeps working at a
             * higher load until memory allows growth. */
            *idx_out = i;
            return g->n < g->mask ? 0 : rc;
        }
    }
    *idx_out = i;
    return 0;
}

static ev_ufixed pow10_u128(unsigned e)
{
    ev_ufixed v = 1;
    while (e--)
        v *= 10;
    return v;
}

/* 10^k for k = 0..19 */
static const uint64_t p10[20] = {1ULL,
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

/* The usual case, digits[.digits] with at most 19 digits and 18 decimals: one pass, one
 * 64x64->128 multiplication. Returns false to send anything else to the general parser. */
static inline bool fixed_fast(const char *s, size_t len, ev_fixed *out)
{
    const char *p = s, *end = s + len;
    bool neg = false;
    if (p < end && *p == '-')
        neg = true, p++;
    /* integer digits, then (after a point) fraction digits: two tight loops, no per-byte test
     * for the point */
    uint64_t mant = 0;
    const char *ds = p;
    while (p < end && (unsigned)(*p - '0') <= 9)
        mant = mant * 10 + (unsigned)(*p++ - '0');
    size_t nd = (size_t)(p - ds), frac = 0;
    if (p < end) {
        if (*p != '.')
            return false;
        const char *fs = ++p;
        while (p < end && (unsigned)(*p - '0') <= 9)
            mant = mant * 10 + (unsigned)(*p++ - '0');
        if (p != end)
            return false;
        frac = (size_t)(p - fs);
        nd += frac;
    }
    if (nd == 0 || nd > 19 || frac > 18)
        return false;
    ev_ufixed v = (ev_ufixed)mant * p10[18 - frac];
    *out = neg ? -(ev_fixed)v : (ev_fixed)v;
    return true;
}

int ev_fixed_parse(const char *s, size_t len, ev_fixed *out)
{
    if (fixed_fast(s, len, out))
        return 0;
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

int ev_fixed_format(ev_fixed v, char *buf, size_t cap)
{
    char tmp[64];
    size_t n = 0;
    bool neg = v < 0;
    ev_ufixed u = neg ? (ev_ufixed)0 - (ev_ufixed)v : (ev_ufixed)v;
    ev_ufixed ip = u / (ev_ufixed)EV_FIXED_SCALE;
    uint64_t fp = (uint64_t)(u % (ev_ufixed)EV_FIXED_SCALE);
    /* integer part, reversed */
    char ib[48];
    size_t ni = 0;
    do {
        ib[ni++] = (char)('0' + (int)(ip % 10));
        ip /= 10;
    } while (ip);
    if (neg && (ni > 1 || ib[0] != '0' || fp))
        tmp[n++] = '-';
    while (ni)
        tmp[n++] = ib[--ni];
    if (fp) {
        char fb[19];
        for (int k = 17; k >= 0; k--) {
            fb[k] = (char)('0' + (int)(fp % 10));
            fp /= 10;
        }
        int last = 17;
        while (fb[last] == '0')
            last--;
        tmp[n++] = '.';
        for (int k = 0; k <= last; k++)
            tmp[n++] = fb[k];
    }
    tmp[n] = '\0';
    return snprintf(buf, cap, "%s", tmp);
}

double ev_fixed_to_double(ev_fixed v)
{
    /* Two roundings (the 128-bit integer to double, then the division by 10^18, which is
     * exact in a double): within one ulp of the exact value, which is what a REAL column
     * keeps. The exact value is what bilat scan prints. */
    return (double)v / 1e18;
}

uint64_t ev_code_pack(const char *s, size_t len)
{
    /* the bytes in memory order, then byte-swapped: the first byte ends up most significant */
    uint64_t v = 0;
    memcpy(&v, s, len < 8 ? len : 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
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
