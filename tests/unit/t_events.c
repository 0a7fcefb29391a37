/*
 * t_events.c: unit tests of the event-file engine: fixed-point decimals, packed codes, the
 * country crosswalk (and that the compiled table matches data/reference/countries.tsv), the two
 * scanners on random input, compressed input, scans through the API across read sizes,
 * threads and scanners, packing and merging of partial results, out-of-memory handling.
 */
#include "t.h"
#include "t_util.h"

#include "bilat.h"
#include "core/alloc.h"
#include "core/tsv.h"
#include "ingest/events.h"
#include "ingest/events_int.h"
#include "ingest/evcountry.h"
#include "ingest/evscan.h"
#include "ingest/evsrc.h"

#include <stdlib.h>
#include <unistd.h>

#ifndef T_ROOT
#define T_ROOT "."
#endif

/* Path of a fixture; eight rotating buffers, so that a few can be used at once. */
static const char *fixture(const char *name)
{
    static char path[8][512];
    static int next;
    char *p = path[next++ % 8];
    snprintf(p, sizeof(path[0]), "tests/data/events/%s", name);
    return p;
}

/* The text of the fixed-point value parsed from s (kept in *v), written back into b; NULL when
 * s does not parse. */
static const char *fixed_text(const char *s, ev_fixed *v, char b[64])
{
    if (ev_fixed_parse(s, strlen(s), v) != 0)
        return NULL;
    ev_fixed_format(*v, b, 64);
    return b;
}

T_TEST(events_fixed_parse)
{
    ev_fixed v;
    char b[64];
    T_ASSERT_STR(fixed_text("-2.56410256410256", &v, b), "-2.56410256410256");
    T_ASSERT_STR(fixed_text("2.8", &v, b), "2.8");
    T_ASSERT_STR(fixed_text("10", &v, b), "10");
    T_ASSERT_STR(fixed_text("1e-3", &v, b), "0.001");
    T_ASSERT_STR(fixed_text("-0", &v, b), "0");
    /* 20 decimals: rounded half away from zero at the 18th */
    T_ASSERT_STR(fixed_text("0.00000000000000000150", &v, b), "0.000000000000000002");
    T_ASSERT_EQ_INT(ev_fixed_parse("", 0, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(ev_fixed_parse("abc", 3, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(ev_fixed_parse("1.2.3", 5, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(ev_fixed_parse("1e", 2, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(ev_fixed_parse("1e400", 5, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(ev_fixed_parse(".", 1, &v), BILAT_EPARSE);
    /* exact sums: 0.1 added ten times is exactly 1 */
    ev_fixed sum = 0, tenth;
    ev_fixed_parse("0.1", 3, &tenth);
    for (int i = 0; i < 10; i++)
        sum += tenth;
    ev_fixed_format(sum, b, sizeof(b));
    T_ASSERT_STR(b, "1");
    T_ASSERT_NEAR(ev_fixed_to_double(v), 2e-18, 1e-30);
    /* fractions of every length (those of 9 to 16 digits are read 8 digits at a time), with
     * integer parts of 0 to 3 digits: the value written back is the text, its trailing zeros
     * dropped; a byte that is not a digit at any place of the fraction is refused */
    unsigned seed = 7;
    for (int ni = 1; ni <= 3; ni++) {
        for (int nf = 1; nf <= 18 - ni; nf++) {
            char t[40];
            size_t n = 0;
            t[n++] = '-';
            for (int i = 0; i < ni; i++)
                t[n++] = (char)('1' + (seed = seed * 1103515245u + 12345u) % 9);
            t[n++] = '.';
            for (int i = 0; i < nf; i++)
                t[n++] = (char)('0' + (seed = seed * 1103515245u + 12345u) / 65536 % 10);
            t[n - 1] = '7';
            t[n] = '\0';
            T_ASSERT_STR(fixed_text(t, &v, b), t);
            for (int at = 0; at < nf; at++) {
                char bad[40];
                memcpy(bad, t, n + 1);
                bad[(size_t)ni + 2 + (size_t)at] = at % 2 ? ':' : '/';
                T_ASSERT_EQ_INT(ev_fixed_parse(bad, n, &v), BILAT_EPARSE);
            }
        }
    }
    T_ASSERT_STR(fixed_text("9999999999999999999", &v, b), "9999999999999999999");
    T_ASSERT_STR(fixed_text("1.0000000000000001", &v, b), "1.0000000000000001");
    /* integer parts of 19 digits and more (a sum): written past 10^18 */
    T_ASSERT_EQ_INT(ev_fixed_parse("84765432109876543210.25", 23, &v), 0);
    ev_fixed_format(-v, b, sizeof(b));
    T_ASSERT_STR(b, "-84765432109876543210.25");
    ev_fixed_format(v + v, b, sizeof(b));
    T_ASSERT_STR(b, "169530864219753086420.5");
    T_ASSERT_STR(fixed_text("1000000000000000000", &v, b), "1000000000000000000");
    ev_fixed_format(v - 1, b, sizeof(b));
    T_ASSERT_STR(b, "999999999999999999.999999999999999999");
    /* a short buffer gets what fits, and the length it needed */
    T_ASSERT_EQ_INT(ev_fixed_format(v, b, 5), 19);
    T_ASSERT_STR(b, "1000");
    ev_fixed_parse("-1234.5678", 10, &v);
    T_ASSERT(ev_fixed_to_double(v) == -1234.5678);
}

T_TEST(events_code_pack)
{
    char b[9];
    uint64_t khm = ev_code_pack("KHM", 3), chn = ev_code_pack("CHN", 3);
    T_ASSERT(khm > chn); /* packed codes order like strings */
    T_ASSERT(ev_code_pack("AB", 2) < ev_code_pack("ABC", 3));
    T_ASSERT_EQ_INT(ev_code_unpack(khm, b), 3);
    T_ASSERT_STR(b, "KHM");
    T_ASSERT_EQ_INT(ev_code_unpack(0, b), 0);
    T_ASSERT_STR(b, "");
}

/* The 8-byte reading of a code field says what code_ok() and ev_code_pack() say, for every byte
 * at every place of fields of 0 to 9 bytes, whatever bytes follow the field. */
T_TEST(events_code_word)
{
    for (size_t n = 0; n <= 9; n++) {
        for (size_t at = 0; at < (n ? n : 1); at++) {
            for (int b = 0; b < 256; b++) {
                char s[16];
                memset(s, n % 2 ? 'k' : '7', sizeof(s));
                memset(s + n, b % 3 ? '\t' : 0xff, sizeof(s) - n);
                s[at] = (char)b;
                uint64_t packed;
                bool ok = ev_code_word(s, n, &packed);
                T_ASSERT(ok == code_ok(s, n));
                T_ASSERT(packed == ev_code_pack(s, n));
            }
        }
    }
}

/* GDELT dates read as one word say what bilat_ymd_compact() says: every day of 400 years (a
 * leap cycle, with the centuries that are not leap years), every month and day number 00..99,
 * years below 1000, and a byte that is not a digit at each place. */
T_TEST(events_ymd8)
{
    char s[9];
    for (unsigned y = 990; y <= 2500; y += (y >= 1010 && y < 1590) ? 7 : 1) {
        for (unsigned m = 0; m <= 99; m += (m >= 13 ? 29 : 1)) {
            for (unsigned d = 0; d <= 99; d++) {
                snprintf(s, sizeof(s), "%04u%02u%02u", y, m, d);
                T_ASSERT(ev_ymd8(s, 8) == bilat_ymd_compact(s, 8));
            }
        }
    }
    snprintf(s, sizeof(s), "20200229");
    T_ASSERT(ev_ymd8(s, 8) == 20200229);
    T_ASSERT(ev_ymd8("19000229", 8) == 0);
    T_ASSERT(ev_ymd8("20000229", 8) == 20000229);
    T_ASSERT(ev_ymd8("2020022", 7) == 0);
    for (int at = 0; at < 8; at++) {
        for (int b = 0; b < 256; b++) {
            if (b >= '0' && b <= '9')
                continue;
            memcpy(s, "20180615", 9);
            s[at] = (char)b;
            T_ASSERT(ev_ymd8(s, 8) == 0);
        }
    }
}

T_TEST(events_crosswalk)
{
    /* FIPS CH is China; ISO alpha-2 CH is Switzerland, whose FIPS code is SZ. */
    T_ASSERT_STR(evcountry_from_fips("CH", 2), "CHN");
    T_ASSERT_STR(evcountry_from_iso2("CH", 2), "CHE");
    T_ASSERT_STR(evcountry_from_fips("SZ", 2), "CHE");
    T_ASSERT_STR(evcountry_from_fips("CB", 2), "KHM");
    T_ASSERT_STR(evcountry_from_iso2("KH", 2), "KHM");
    T_ASSERT(evcountry_from_iso2("CB", 2) == NULL);
    T_ASSERT(evcountry_from_fips("XX", 2) == NULL);
    T_ASSERT_STR(evcountry_iso3("KHM", 3), "KHM");
    T_ASSERT_STR(evcountry_from_name("cambodia", 8), "KHM");
    T_ASSERT_STR(evcountry_from_name("Russian Federation", 18), "RUS");
    T_ASSERT(evcountry_from_name("NA", 2) == NULL);
}

T_TEST(events_crosswalk_matches_reference)
{
    /* The compiled table must be the one in data/reference/countries.tsv. */
    struct tsv_file t;
    struct bilat_err err;
    T_ASSERT_EQ_INT(tsv_open(&t, "data/reference/countries.tsv", &err), 0);
    size_t n = 0;
    int rc, ok = 1;
    while ((rc = tsv_next(&t)) != 0) {
        if (rc != 1)
            continue;
        if (n < evcountry_count) {
            const struct evcountry *c = &evcountry_table[n];
            ok &= strncmp(c->iso3, t.fields[0], t.lens[0]) == 0 && strlen(c->iso3) == t.lens[0];
            ok &= strncmp(c->iso2, t.fields[1], t.lens[1]) == 0 && strlen(c->iso2) == t.lens[1];
            ok &= strncmp(c->fips, t.fields[2], t.lens[2]) == 0 && strlen(c->fips) == t.lens[2];
        }
        n++;
    }
    tsv_close(&t);
    T_ASSERT(ok);
    T_ASSERT_EQ_INT(n, evcountry_count);
}

struct collect {
    char out[1 << 16];
    size_t len;
    uint32_t maxf;
};

static int collect_line(void *ctx, struct evscan_line *l)
{
    struct collect *c = ctx;
    int n = snprintf(c->out + c->len, sizeof(c->out) - c->len, "[%u:%u:%d", l->len, l->nf,
                     l->nul);
    c->len += (size_t)n;
    uint32_t lim = l->nf < c->maxf ? l->nf : c->maxf;
    for (uint32_t i = 0; i < lim && c->len < sizeof(c->out) - 16; i++) {
        /* a field's end is known when the next start was recorded, or for the last field */
        bool end_known = i + 1 < c->maxf || i + 1 == l->nf;
        c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, ",%u-%u",
                                   l->start[i], end_known ? evscan_field_end(l, i) : 0);
    }
    c->len += (size_t)snprintf(c->out + c->len, sizeof(c->out) - c->len, "]");
    return 0;
}

T_TEST(events_scanners_agree)
{
    /* Random bytes drawn from tabs, newlines, CR, NUL and letters: both scanners must give the
     * same lines, field offsets and flags, for several field limits. Every fourth round draws
     * mostly tabs, so that 64 bytes hold more than 16, 32 and 48 of them. */
    static const char alphabet[] = "\t\t\t\n\r\0abcdefgh";
    static const char dense[] = "\t\t\t\t\t\t\t\t\t\t\t\n\0a";
    evscan_block_fn *simd = evscan_pick(EVSCAN_SIMD, NULL);
    evscan_block_fn *avx2 = evscan_pick(EVSCAN_AVX2, NULL);
    unsigned seed = 12345;
    for (int round = 0; round < 1000; round++) {
        char buf[700];
        size_t len = (size_t)(rand_r(&seed) % 690);
        for (size_t i = 0; i < len; i++)
            buf[i] = round % 4 == 1 ? dense[rand_r(&seed) % (sizeof(dense) - 1)]
                                    : alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
        if (round % 3 == 0)
            for (size_t i = 0; i < len; i++)
                if (buf[i] == '\n' && rand_r(&seed) % 4)
                    buf[i] = 'x';
        buf[len++] = '\n';
        static struct collect a, b;
        struct evscan_line la, lb;
        uint32_t maxf = (uint32_t)(1 + round % EVSCAN_MAXF);
        a.len = b.len = 0;
        a.maxf = b.maxf = maxf;
        uint64_t na = evscan_block_scalar(buf, len, maxf, &la, collect_line, &a);
        uint64_t nb = simd(buf, len, maxf, &lb, collect_line, &b);
        T_ASSERT_EQ_INT(na, nb);
        T_ASSERT_EQ_INT(a.len, b.len);
        T_ASSERT(memcmp(a.out, b.out, a.len) == 0);
        b.len = 0;
        nb = avx2(buf, len, maxf, &lb, collect_line, &b);
        T_ASSERT_EQ_INT(na, nb);
        T_ASSERT_EQ_INT(a.len, b.len);
        T_ASSERT(memcmp(a.out, b.out, a.len) == 0);
    }
}

T_TEST(events_digests_of_several_files)
{
    /* With several files, each plain one is hashed on a thread of its own (evhash.c): every
     * digest is still the file's SHA-256, the same as one file alone gets from the reader, and
     * the content digest of a plain file is its digest; a compressed file's are its own. */
    const char *names[] = {"gdelt2_small.CSV", "gdelt1_mixed.CSV", "gdelt2_geo.CSV",
                           "gdelt2_small.CSV.gz", "gdelt2_small.CSV"};
    enum { NF = 5 };
    const char *files[NF];
    for (int k = 0; k < NF; k++)
        files[k] = fixture(names[k]);
    for (int threads = 1; threads <= 3; threads += 2) {
        struct bilat_scan_opts o;
        memset(&o, 0, sizeof(o));
        o.by = "year";
        o.threads = threads;
        o.hash_files = 1;
        bilat_scan *s = NULL;
        struct bilat_err err;
        T_ASSERT_EQ_INT(bilat_scan_files(&o, files, NF, &s, &err), 0);
        for (int k = 0; k < NF; k++) {
            struct evfile_view v;
            ev_scan_file(s, (size_t)k, &v);
            char hex[65];
            uint64_t size;
            T_ASSERT_EQ_INT(evsrc_file_sha256(files[k], hex, &size, &err), 0);
            T_ASSERT_STR(v.sha256, hex);
            if (k != 3)
                T_ASSERT_STR(v.content_sha256, hex);
            T_ASSERT(!v.changed && !v.failure);
        }
        /* the .gz holds the plain file: its content digest is the plain file's */
        struct evfile_view gz, plain;
        ev_scan_file(s, 3, &gz);
        ev_scan_file(s, 0, &plain);
        T_ASSERT_STR(gz.content_sha256, plain.sha256);
        bilat_scan_free(s);
    }
}

T_TEST(events_source_compressed)
{
    /* The gzip and zip fixtures inflate to the plain file, and hash to sha256sum's digest. */
    const char *names[] = {"gdelt2_small.CSV", "gdelt2_small.CSV.gz", "gdelt2_small.CSV.zip"};
    static char data[3][32768];
    size_t lens[3];
    for (int k = 0; k < 3; k++) {
        struct evsrc *s = NULL;
        struct bilat_err err;
        T_ASSERT_EQ_INT(evsrc_open(fixture(names[k]), EVSRC_SHA_RAW, &s, &err), 0);
        T_ASSERT_EQ_INT(evsrc_kind(s), k);
        size_t n = 0, got;
        do {
            T_ASSERT_EQ_INT(evsrc_read(s, data[k] + n, 7, &got, &err), 0);
            n += got;
        } while (got && n < sizeof(data[k]) - 7);
        lens[k] = n;
        char hex[65];
        uint64_t size;
        T_ASSERT_EQ_INT(evsrc_file_sha256(fixture(names[k]), hex, &size, &err), 0);
        T_ASSERT_STR(evsrc_sha256(s), hex);
        T_ASSERT_EQ_INT(evsrc_raw_bytes(s), size);
        evsrc_close(s);
    }
    T_ASSERT_EQ_INT(lens[0], lens[1]);
    T_ASSERT_EQ_INT(lens[0], lens[2]);
    T_ASSERT(memcmp(data[0], data[1], lens[0]) == 0);
    T_ASSERT(memcmp(data[0], data[2], lens[0]) == 0);
    /* damaged files fail with BILAT_EPARSE, never crash */
    const char *bad[] = {"truncated.CSV.gz", "corrupt.CSV.gz", "truncated.CSV.zip",
                         "corrupt.CSV.zip"};
    for (int k = 0; k < 4; k++) {
        struct evsrc *s = NULL;
        struct bilat_err err;
        int rc = evsrc_open(fixture(bad[k]), 0, &s, &err);
        size_t got = 1;
        static char tmp[65536];
        while (rc == 0 && got)
            rc = evsrc_read(s, tmp, sizeof(tmp), &got, &err);
        T_ASSERT_EQ_INT(rc, BILAT_EPARSE);
        evsrc_close(s);
    }
}

/* Scan through the API and return the CSV (static buffer). */
static const char *scan_csv(const char *const *files, size_t n, const char *by, const char *where,
                            int dedup, int threads, size_t bufsize, int scanner, int io)
{
    static char out[1 << 16];
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.by = by;
    o.where = where ? &where : NULL;
    o.nwhere = where ? 1 : 0;
    o.dedup = (enum bilat_ev_dedup)dedup;
    o.threads = threads;
    o.buffer_size = bufsize;
    o.scanner = (enum bilat_scanner)scanner;
    o.io = (enum bilat_io)io;
    bilat_scan *s = NULL;
    struct bilat_err err;
    if (bilat_scan_files(&o, files, n, &s, &err) < 0)
        return "error";
    FILE *f = fmemopen(out, sizeof(out) - 1, "w");
    bilat_scan_write(s, BILAT_FORMAT_CSV, f, &err);
    long len = ftell(f);
    fclose(f);
    out[len > 0 ? len : 0] = '\0';
    bilat_scan_free(s);
    return out;
}

T_TEST(events_scan_buffer_sizes)
{
    const char *files[] = {fixture("gdelt2_bad.CSV")};
    static char ref[1 << 16];
    snprintf(ref, sizeof(ref), "%s",
             scan_csv(files, 1, "day,actor1_country,event_code,quad", NULL, 1, 1, 0, 1, 1));
    T_ASSERT(strstr(ref, "2017-12-02,,043,1,1,1,1,2.8,") != NULL);
    for (size_t bs = 1; bs <= 64; bs++) {
        const char *got = scan_csv(files, 1, "day,actor1_country,event_code,quad", NULL, 1,
                                   (int)(bs % 3) + 1, bs, (int)(bs % 2) + 1, (int)(bs % 2) + 1);
        T_ASSERT_STR(got, ref);
    }
}

T_TEST(events_scan_pack_merge)
{
    /* Scanning two halves of a file list and merging the packed results gives the same CSV
     * as one scan (this is the MPI reduction). */
    const char *files[] = {fixture("gdelt2_small.CSV"), fixture("gdelt1_mixed.CSV"),
                           fixture("icews_sample.tab"), fixture("gdelt2_bad.CSV")};
    static char ref[1 << 16];
    snprintf(ref, sizeof(ref), "%s", scan_csv(files, 4, "year,quad,actor1_country", NULL, 1, 2,
                                              0, 0, 0));
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.by = "year,quad,actor1_country";
    o.dedup = BILAT_DEDUP_DAILY;
    bilat_scan *a = NULL, *b = NULL;
    struct bilat_err err;
    T_ASSERT_EQ_INT(bilat_scan_files_part(&o, files, 4, 0, 2, &a, &err), 0);
    T_ASSERT_EQ_INT(bilat_scan_files_part(&o, files, 4, 1, 2, &b, &err), 0);
    struct bilat_scan_stats sa, sb;
    bilat_scan_stats(a, &sa);
    bilat_scan_stats(b, &sb);
    T_ASSERT_EQ_INT(sa.files, 2);
    T_ASSERT_EQ_INT(sb.files, 2);
    T_ASSERT_EQ_INT(sa.rejected, 0);
    T_ASSERT_EQ_INT(sb.rejected, 8);
    void *buf = NULL;
    size_t len = 0;
    T_ASSERT_EQ_INT(bilat_scan_pack(b, &buf, &len, &err), 0);
    T_ASSERT_EQ_INT(bilat_scan_merge_packed(a, buf, len, &err), 0);
    /* a damaged buffer is refused, not trusted */
    T_ASSERT_EQ_INT(bilat_scan_merge_packed(b, buf, len / 2, &err), BILAT_EPARSE);
    bilat_free(buf);
    static char out[1 << 16];
    FILE *f = fmemopen(out, sizeof(out) - 1, "w");
    bilat_scan_write(a, BILAT_FORMAT_CSV, f, &err);
    long n = ftell(f);
    fclose(f);
    out[n] = '\0';
    T_ASSERT_STR(out, ref);
    struct bilat_scan_stats st;
    bilat_scan_stats(a, &st);
    T_ASSERT_EQ_INT(st.files, 4);
    T_ASSERT_EQ_INT(st.rejected, 8);
    bilat_scan_free(a);
    bilat_scan_free(b);
}

T_TEST(events_scan_bad_options)
{
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    const char *files[] = {fixture("gdelt2_small.CSV")};
    bilat_scan *s = NULL;
    struct bilat_err err;
    o.by = "year,nope";
    T_ASSERT_EQ_INT(bilat_scan_files(&o, files, 1, &s, &err), BILAT_EINVAL);
    T_ASSERT(strstr(err.msg, "nope") != NULL);
    o.by = "year";
    const char *w = "dyad=KHM";
    o.where = &w;
    o.nwhere = 1;
    T_ASSERT_EQ_INT(bilat_scan_files(&o, files, 1, &s, &err), BILAT_EINVAL);
    T_ASSERT(s == NULL);
}

T_TEST(events_scan_out_of_memory)
{
    /* Every allocation failure becomes a clean BILAT_ENOMEM (debug and sanitizer builds). */
    if (!t_oom_can_run("events_scan_out_of_memory"))
        return;
    unsigned long tries = 0, last = 0;
    const char *files[] = {fixture("gdelt2_bad.CSV"), fixture("icews_sample.tab")};
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.by = "day,actor1_country,actor1_type,quad";
    o.dedup = BILAT_DEDUP_DAILY;
    o.threads = 1;
    int done = 0;
    for (unsigned long k = 1; k < 100000 && !done; k = t_oom_next(k)) {
        bilat_scan *s = NULL;
        struct bilat_err err;
        bilat_alloc_fail_after(k);
        int rc = bilat_scan_files(&o, files, 2, &s, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = k;
        if (rc == 0) {
            done = 1;
            bilat_scan_free(s);
        } else {
            T_ASSERT_EQ_INT(rc, BILAT_ENOMEM);
            T_ASSERT(s == NULL);
        }
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("events_scan_out_of_memory", tries - 1, last);
}

/* Every cell of an ingest scan of `path` in write order, as text (keys, measures, dedup). */
static int cells_text(const char *path, size_t memory, int dedup, int threads, char *out,
                      size_t cap, size_t *runs_out)
{
    struct bilat_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.by = ev_cube_keys;
    o.dedup = (enum bilat_ev_dedup)dedup;
    o.threads = threads;
    o.hash_files = 1;
    o.memory = memory;
    bilat_scan *s = NULL;
    struct bilat_err err;
    int rc = ev_scan_for_ingest(&o, path, NULL, &s, &err);
    if (rc < 0)
        return rc;
    struct evresult_view v;
    ev_scan_view(s, &v);
    *runs_out = v.spill_runs;
    struct evcells *c = NULL;
    rc = ev_cells_open(s, &c, &err);
    size_t n = 0;
    out[0] = '\0';
    while (rc == 0) {
        const uint64_t *k;
        const struct evmeas *m;
        int got = evcells_next(c, &k, &m, &err);
        if (got <= 0) {
            rc = got;
            break;
        }
        char g[64], t[64];
        ev_fixed_format(m->gold, g, sizeof(g));
        ev_fixed_format(m->tone, t, sizeof(t));
        int w = snprintf(out + n, cap - n,
                         "%llx %llx %llx %llx %llx %llx %llx: %lld %lld %lld %lld %lld %lld %lld "
                         "%s %s %u %u %u\n",
                         (unsigned long long)k[0], (unsigned long long)k[1],
                         (unsigned long long)k[2], (unsigned long long)k[3],
                         (unsigned long long)k[4], (unsigned long long)k[5],
                         (unsigned long long)k[6], (long long)m->events, (long long)m->dedup,
                         (long long)m->root_events, (long long)m->mentions,
                         (long long)m->sources, (long long)m->articles, (long long)m->lag_sum, g,
                         t, m->dmin, m->dmax, m->flags);
        if (w < 0 || (size_t)w >= cap - n) {
            rc = BILAT_ENOMEM;
            break;
        }
        n += (size_t)w;
    }
    evcells_close(c);
    bilat_scan_free(s);
    return rc;
}

T_TEST(events_spill_equals_memory)
{
    /* Cells spilled to sorted runs and merged equal the cells kept in memory, in the same
     * order, deduplicated counts included: the real export spreads the rows of a cell, and
     * the repeated rows of a cluster, over the file, so that most cells and clusters are in
     * several runs; GDELT 1.0 and ICEWS files too, with one to three threads. */
    static char ref[1 << 20], got[1 << 20];
    const char *real = T_ROOT "/data/raw/gdelt/20180101000000.export.CSV";
    const char *files[] = {real, fixture("gdelt1_mixed.CSV"), fixture("icews_sample.tab")};
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        for (int dedup = 0; dedup <= 2; dedup++) {
            size_t runs = 0;
            T_ASSERT_EQ_INT(cells_text(files[f], 0, dedup, 1, ref, sizeof(ref), &runs), 0);
            T_ASSERT_EQ_INT(runs, 0);
            T_ASSERT(strlen(ref) > 0);
            for (int threads = 1; threads <= 3; threads++) {
                T_ASSERT_EQ_INT(cells_text(files[f], 1, dedup, threads, got, sizeof(got), &runs),
                                0);
                T_ASSERT_STR(got, ref);
                if (f == 0)
                    T_ASSERT(runs >= 5); /* 1,408 cells, at most 256 a run */
            }
        }
    }
}

T_TEST(events_spill_out_of_memory)
{
    /* A failed allocation while spilling, sorting or merging is a clean BILAT_ENOMEM. */
    if (!t_oom_can_run("events_spill_out_of_memory"))
        return;
    unsigned long tries = 0, last = 0;
    static char out[1 << 20];
    const char *real = T_ROOT "/data/raw/gdelt/20180101000000.export.CSV";
    int done = 0;
    for (unsigned long k = 1; k < 100000 && !done; k = t_oom_next(k)) {
        size_t runs = 0;
        bilat_alloc_fail_after(k);
        int rc = cells_text(real, 1, BILAT_DEDUP_URL, 1, out, sizeof(out), &runs);
        bilat_alloc_fail_after(0);
        tries++;
        last = k;
        if (rc == 0) {
            done = 1;
            T_ASSERT(runs >= 5);
        } else {
            T_ASSERT_EQ_INT(rc, BILAT_ENOMEM);
        }
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("events_spill_out_of_memory", tries - 1, last);
}

/* ---------------------------------------------------------------------------------------------
 * Nothing lost, nothing counted twice
 * ------------------------------------------------------------------------------------------ */

T_TEST(events_id_sets)
{
    struct evids s = {0};
    /* runs in any order, touching or overlapping, join into disjoint ones */
    T_ASSERT_EQ_INT(evids_add_run(&s, 10, 10), 0);
    T_ASSERT_EQ_INT(evids_add_run(&s, 11, 11), 0); /* extends the last run */
    T_ASSERT_EQ_INT(s.n, 1);
    T_ASSERT_EQ_INT(evids_add_run(&s, 100, 120), 0);
    T_ASSERT_EQ_INT(evids_add_run(&s, 1, 5), 0);
    T_ASSERT_EQ_INT(evids_add_run(&s, 6, 9), 0);
    T_ASSERT_EQ_INT(evids_add_run(&s, 110, 130), 0);
    evids_normalise(&s);
    T_ASSERT_EQ_INT(s.n, 2);
    T_ASSERT_EQ_INT(s.v[0].lo, 1);
    T_ASSERT_EQ_INT(s.v[0].hi, 11);
    T_ASSERT_EQ_INT(s.v[1].lo, 100);
    T_ASSERT_EQ_INT(s.v[1].hi, 130);
    T_ASSERT_EQ_INT(evids_count(&s), 11 + 31);
    T_ASSERT(evids_has(&s, 1) && evids_has(&s, 11) && evids_has(&s, 100) && evids_has(&s, 130));
    T_ASSERT(!evids_has(&s, 0) && !evids_has(&s, 12) && !evids_has(&s, 99) &&
             !evids_has(&s, 131));
    evids_release(&s);
    T_ASSERT(!evids_has(&s, 1));
}

/* Read a source to its end: 0, or the error; the bytes read in *n. */
static int read_all(const char *path, unsigned hash, struct evsrc **out, size_t *n)
{
    static char buf[1 << 16];
    struct bilat_err err;
    int rc = evsrc_open(path, hash, out, &err);
    size_t got = 1;
    *n = 0;
    while (rc == 0 && got) {
        rc = evsrc_read(*out, buf, sizeof(buf), &got, &err);
        *n += got;
    }
    return rc;
}

T_TEST(events_source_content_digest)
{
    /* the content digest is the plain file's, in every container; the raw digest is the
     * container's own */
    const char *names[] = {"gdelt2_small.CSV", "gdelt2_small.CSV.gz", "gdelt2_small.CSV.zip"};
    char content[3][65], raw[3][65];
    for (int k = 0; k < 3; k++) {
        struct evsrc *s = NULL;
        size_t n;
        T_ASSERT_EQ_INT(read_all(fixture(names[k]), EVSRC_SHA_RAW | EVSRC_SHA_CONTENT, &s, &n), 0);
        snprintf(content[k], 65, "%s", evsrc_content_sha256(s));
        snprintf(raw[k], 65, "%s", evsrc_sha256(s));
        T_ASSERT(evsrc_warning(s) == NULL);
        char why[160];
        T_ASSERT(!evsrc_changed(s, why, sizeof(why)));
        evsrc_close(s);
    }
    T_ASSERT_STR(content[0], raw[0]);
    T_ASSERT_STR(content[1], content[0]);
    T_ASSERT_STR(content[2], content[0]);
    T_ASSERT(strcmp(raw[1], raw[0]) != 0 && strcmp(raw[2], raw[0]) != 0);
    /* a damaged file has a raw digest once finished, and no content digest */
    struct evsrc *s = NULL;
    size_t n;
    T_ASSERT_EQ_INT(read_all(fixture("truncated.CSV.gz"), EVSRC_SHA_RAW | EVSRC_SHA_CONTENT, &s, &n),
                    BILAT_EPARSE);
    evsrc_finish(s);
    char hex[65];
    T_ASSERT_EQ_INT(evsrc_file_sha256(fixture("truncated.CSV.gz"), hex, NULL, NULL), 0);
    T_ASSERT_STR(evsrc_sha256(s), hex);
    T_ASSERT_STR(evsrc_content_sha256(s), "");
    evsrc_close(s);
}

T_TEST(events_source_gzip_trailing_bytes)
{
    /* bytes after the gzip stream end the data with a warning; what came before stands */
    static char gz[8192];
    FILE *f = fopen(fixture("gdelt2_small.CSV.gz"), "rb");
    T_ASSERT(f != NULL);
    size_t len = fread(gz, 1, sizeof(gz) - 100, f);
    fclose(f);
    memset(gz + len, 0, 100);
    FILE *o = fopen(t_path("trailing.CSV.gz"), "wb");
    T_ASSERT(o != NULL);
    fwrite(gz, 1, len + 100, o);
    fclose(o);
    struct evsrc *s = NULL, *plain = NULL;
    size_t n = 0, np = 0;
    T_ASSERT_EQ_INT(read_all(t_path("trailing.CSV.gz"), EVSRC_SHA_RAW | EVSRC_SHA_CONTENT, &s, &n),
                    0);
    T_ASSERT_EQ_INT(read_all(fixture("gdelt2_small.CSV"), EVSRC_SHA_RAW, &plain, &np), 0);
    T_ASSERT_EQ_INT(n, np);
    T_ASSERT_STR(evsrc_content_sha256(s), evsrc_content_sha256(plain));
    T_ASSERT_STR(evsrc_warning(s), "100 bytes after the end of the gzip data ignored");
    evsrc_close(s);
    evsrc_close(plain);
}

T_TEST(events_source_changed_while_read)
{
    /* a file that shrinks while read() reads it is told apart from a complete one */
    static char big[300000];
    memset(big, 'x', sizeof(big));
    big[sizeof(big) - 1] = '\0';
    const char *path = t_write_file("shrinks.CSV", big);
    struct evsrc *s = NULL;
    struct bilat_err err;
    T_ASSERT_EQ_INT(evsrc_open(path, 0, &s, &err), 0);
    static char buf[4096];
    size_t got;
    T_ASSERT_EQ_INT(evsrc_read(s, buf, sizeof(buf), &got, &err), 0);
    T_ASSERT(truncate(path, 10000) == 0);
    while (evsrc_read(s, buf, sizeof(buf), &got, &err) == 0 && got)
        ;
    char why[160];
    T_ASSERT(evsrc_changed(s, why, sizeof(why)));
    T_ASSERT(strstr(why, "10000") != NULL);
    evsrc_close(s);
}
