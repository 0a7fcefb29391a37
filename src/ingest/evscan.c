/*
 * evscan.c: scalar and AVX2 line/field scanners (see evscan.h).
 *
 * The AVX2 scanner compares 64 bytes at a time against '\t', '\n' and '\0', packs each
 * comparison into a 64-bit mask (two 32-byte movemasks), and visits the set bits of
 * (tabs | newlines | NULs) in order with ctz: one loop iteration per delimiter instead of one
 * per byte. A GDELT line of ~400 bytes has 60 tabs, so the walk does ~62 iterations per line
 * instead of ~400 byte tests; a chunk without a newline (most of them) is walked without the
 * newline test. The tail shorter than 64 bytes is handled by the same per-byte rule as the
 * scalar scanner, so that both produce exactly the same lines.
 */
#include "ingest/evscan.h"

#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define EVSCAN_HAVE_AVX2 1
#endif

/* Bytes ahead of the SIMD scanners' loads that they prefetch. A mapped file's pages come from
 * the page cache in memory, not from a cache, and the hardware prefetcher stops at each 4 KiB
 * page: asking for the line 1 KiB ahead took about 5% off the scan of a warm 800 MB file
 * (256 B ahead was too near, 4 KiB too far). A prefetch past the block or of a page not
 * mapped yet is harmless: it never faults. */
#define EVSCAN_PREFETCH 1024

/* Finish a line ending at `end` (the '\n' position): drop a CR, call back. */
static inline int emit(const char *base, size_t start, size_t end, struct evscan_line *l,
                       evscan_fn *fn, void *ctx)
{
    size_t len = end - start;
    if (len && base[end - 1] == '\r')
        len--;
    l->p = base + start;
    l->len = (uint32_t)len;
    /* A CR dropped from the last field moves no start offset; a field that was only "\r"
     * simply becomes empty. */
    return fn(ctx, l);
}

uint64_t evscan_block_scalar(const char *p, size_t len, uint32_t maxf, struct evscan_line *l,
                             evscan_fn *fn, void *ctx)
{
    uint64_t lines = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(p + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - p) : len;
        const char *q = p + pos, *e = p + end;
        uint32_t nf = 1;
        l->start[0] = 0;
        for (;;) {
            const char *t = memchr(q, '\t', (size_t)(e - q));
            if (!t)
                break;
            if (nf < maxf)
                l->start[nf] = (uint32_t)(t + 1 - (p + pos));
            nf++;
            q = t + 1;
        }
        l->nf = nf;
        l->nul = memchr(p + pos, '\0', end - pos) != NULL;
        lines++;
        if (emit(p, pos, end, l, fn, ctx))
            return lines;
        pos = end + 1;
    }
    return lines;
}

#ifdef EVSCAN_HAVE_AVX2
__attribute__((target("avx2,bmi,bmi2,popcnt"))) static uint64_t
evscan_block_avx2(const char *p, size_t len, uint32_t maxf, struct evscan_line *l, evscan_fn *fn,
                  void *ctx)
{
    uint64_t lines = 0;
    size_t start = 0; /* start of the current line */
    uint32_t nf = 1;
    bool nul = false;
    l->start[0] = 0;
    const __m256i vt = _mm256_set1_epi8('\t'), vn = _mm256_set1_epi8('\n'),
                  vz = _mm256_setzero_si256();
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        __builtin_prefetch((const void *)((uintptr_t)p + i + EVSCAN_PREFETCH));
        __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(p + i));
        __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(p + i + 32));
        uint64_t tm = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, vt)) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, vt)) << 32;
        uint64_t nm = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, vn)) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, vn)) << 32;
        uint64_t zm = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(a, vz)) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(b, vz)) << 32;
        if (zm) {
            /* NULs are rare: mark every line that holds one, the slow way. */
            uint64_t all = nm | zm;
            while (all) {
                unsigned bit = (unsigned)__builtin_ctzll(all);
                all &= all - 1;
                if (zm >> bit & 1)
                    nul = true;
                else
                    break;
            }
        }
        if (!nm) {
            /* Most chunks lie inside one line: their tabs are the line's, visited without
             * the newline test; past maxf they are only counted. */
            uint32_t cnt = (uint32_t)__builtin_popcountll(tm);
            if (nf + cnt <= maxf) {
                for (uint64_t t = tm; t; t &= t - 1)
                    l->start[nf++] = (uint32_t)(i + (unsigned)__builtin_ctzll(t) + 1 - start);
                continue;
            }
            if (nf >= maxf) {
                nf += cnt;
                continue;
            }
        }
        uint64_t m = tm | nm;
        while (m) {
            if (nf >= maxf) {
                /* Enough field starts: count the line's other tabs with popcount. */
                uint64_t nmr = nm & m;
                if (!nmr) {
                    nf += (uint32_t)__builtin_popcountll(tm & m);
                    break;
                }
                uint64_t below = (nmr & (0 - nmr)) - 1;
                nf += (uint32_t)__builtin_popcountll(tm & m & below);
                m &= ~below;
            }
            unsigned bit = (unsigned)__builtin_ctzll(m);
            size_t pos = i + bit;
            m &= m - 1;
            if (nm >> bit & 1) {
                l->nf = nf;
                l->nul = nul;
                lines++;
                if (emit(p, start, pos, l, fn, ctx))
                    return lines;
                start = pos + 1;
                nf = 1;
                nul = false;
                if (zm) {
                    /* A NUL after this newline and before the next one belongs to the next
                     * line. */
                    uint64_t after = (bit == 63) ? 0 : (zm >> (bit + 1)) << (bit + 1);
                    uint64_t nextn = (bit == 63) ? 0 : (nm >> (bit + 1)) << (bit + 1);
                    if (after && (!nextn || __builtin_ctzll(after) < __builtin_ctzll(nextn)))
                        nul = true;
                }
            } else {
                l->start[nf] = (uint32_t)(pos + 1 - start);
                nf++;
            }
        }
    }
    /* The tail: the same rule byte by byte. */
    for (; i < len; i++) {
        char c = p[i];
        if (c == '\n') {
            l->nf = nf;
            l->nul = nul;
            lines++;
            if (emit(p, start, i, l, fn, ctx))
                return lines;
            start = i + 1;
            nf = 1;
            nul = false;
        } else if (c == '\t') {
            if (nf < maxf)
                l->start[nf] = (uint32_t)(i + 1 - start);
            nf++;
        } else if (c == '\0') {
            nul = true;
        }
    }
    if (start < len) {
        /* A block normally ends with '\n'; a caller passing a bare last line still gets it. */
        l->nf = nf;
        l->nul = nul;
        lines++;
        emit(p, start, len, l, fn, ctx);
    }
    return lines;
}
#endif

#ifdef EVSCAN_HAVE_AVX2
/* AVX-512: write the starts of fields nf.. of a line, those of the tabs `tabs` (bits of a
 * chunk whose first byte is `at` bytes into the line: negative when the line starts inside
 * the chunk), as many as are below `maxf`. Writes groups of 16, so up to 15 entries past
 * maxf (evscan_line.start has room for them). */
__attribute__((target("avx512f,avx512bw,avx512vbmi2"))) static inline void
avx512_starts(struct evscan_line *l, uint32_t nf, uint32_t maxf, uint64_t tabs, __m512i iota,
              ptrdiff_t at)
{
    __m512i pos = _mm512_maskz_compress_epi8(tabs, iota);
    __m512i add = _mm512_set1_epi32((int)(at + 1));
    uint32_t cnt = (uint32_t)__builtin_popcountll(tabs);
    uint32_t want = maxf - nf < cnt ? maxf - nf : cnt;
    _mm512_storeu_si512((void *)&l->start[nf],
                        _mm512_add_epi32(_mm512_cvtepu8_epi32(_mm512_castsi512_si128(pos)), add));
    for (uint32_t k = 16; k < want; k += 16) {
        __m128i b = k == 16   ? _mm512_extracti32x4_epi32(pos, 1)
                    : k == 32 ? _mm512_extracti32x4_epi32(pos, 2)
                              : _mm512_extracti32x4_epi32(pos, 3);
        _mm512_storeu_si512((void *)&l->start[nf + k],
                            _mm512_add_epi32(_mm512_cvtepu8_epi32(b), add));
    }
}

/*
 * AVX-512: per 64-byte chunk, the tab, newline and NUL masks come from one compare each; the
 * chunk is cut at its newlines into stretches of one line, and the positions of a stretch's
 * tabs are written with one byte compress (vpcompressb over 0..63) widened to 32 bits, 16 at a
 * time, instead of one loop iteration per tab. Past `maxf` fields only popcount runs. A chunk
 * without a newline, most of them (a GDELT line spans six or seven), belongs whole to the
 * current line and skips the cutting: about a tenth off the scan of a 2.1-million-row file.
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi2,bmi,bmi2,popcnt"))) static uint64_t
evscan_block_avx512(const char *p, size_t len, uint32_t maxf, struct evscan_line *l,
                    evscan_fn *fn, void *ctx)
{
    uint64_t lines = 0;
    size_t start = 0;
    uint32_t nf = 1;
    bool nul = false;
    l->start[0] = 0;
    const __m512i vt = _mm512_set1_epi8('\t'), vn = _mm512_set1_epi8('\n');
    static const unsigned char iota_bytes[64] = {
        0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
        22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
        44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63};
    const __m512i iota = _mm512_loadu_si512((const void *)iota_bytes);
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        __builtin_prefetch((const void *)((uintptr_t)p + i + EVSCAN_PREFETCH));
        __m512i v = _mm512_loadu_si512((const void *)(p + i));
        uint64_t tm = _mm512_cmpeq_epi8_mask(v, vt);
        uint64_t nm = _mm512_cmpeq_epi8_mask(v, vn);
        uint64_t zm = _mm512_test_epi8_mask(v, v) ^ ~0ULL;
        if (!nm) {
            /* Most chunks lie inside one line: their tabs are the line's, no stretch to cut. */
            nul |= zm != 0;
            if (nf < maxf && tm)
                avx512_starts(l, nf, maxf, tm, iota, (ptrdiff_t)i - (ptrdiff_t)start);
            nf += (uint32_t)__builtin_popcountll(tm);
            continue;
        }
        unsigned from = 0; /* first bit of the current stretch */
        for (;;) {
            uint64_t live = from ? ~0ULL << from : ~0ULL;
            uint64_t nl = nm & live;
            unsigned to = nl ? (unsigned)__builtin_ctzll(nl) : 64; /* stretch ends before */
            uint64_t span = to == 64 ? live : live & ((1ULL << to) - 1);
            uint64_t tabs = tm & span;
            if (zm & span)
                nul = true;
            if (tabs) {
                if (nf < maxf)
                    avx512_starts(l, nf, maxf, tabs, iota, (ptrdiff_t)i - (ptrdiff_t)start);
                nf += (uint32_t)__builtin_popcountll(tabs);
            }
            if (to == 64)
                break;
            size_t at = i + to;
            l->nf = nf;
            l->nul = nul;
            lines++;
            if (emit(p, start, at, l, fn, ctx))
                return lines;
            start = at + 1;
            nf = 1;
            nul = false;
            if (to == 63)
                break;
            from = to + 1;
        }
    }
    for (; i < len; i++) {
        char c = p[i];
        if (c == '\n') {
            l->nf = nf;
            l->nul = nul;
            lines++;
            if (emit(p, start, i, l, fn, ctx))
                return lines;
            start = i + 1;
            nf = 1;
            nul = false;
        } else if (c == '\t') {
            if (nf < maxf)
                l->start[nf] = (uint32_t)(i + 1 - start);
            nf++;
        } else if (c == '\0') {
            nul = true;
        }
    }
    if (start < len) {
        l->nf = nf;
        l->nul = nul;
        lines++;
        emit(p, start, len, l, fn, ctx);
    }
    return lines;
}
#endif

evscan_block_fn *evscan_pick(enum evscan_kind kind, enum evscan_kind *used_out)
{
#ifdef EVSCAN_HAVE_AVX2
    if (kind != EVSCAN_SCALAR) {
        __builtin_cpu_init();
        if (kind != EVSCAN_AVX2 && __builtin_cpu_supports("avx512f") &&
            __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi2") &&
            __builtin_cpu_supports("bmi2")) {
            if (used_out)
                *used_out = EVSCAN_SIMD;
            return evscan_block_avx512;
        }
        if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi2")) {
            if (used_out)
                *used_out = EVSCAN_AVX2;
            return evscan_block_avx2;
        }
    }
#endif
    (void)kind;
    if (used_out)
        *used_out = EVSCAN_SCALAR;
    return evscan_block_scalar;
}
