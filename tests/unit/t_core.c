/*
 * t_core.c: dates, numbers, UTF-8, buffers, arenas, the TSV and CSV readers, error names.
 */
#include "t.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/mapguard.h"
#include "core/hindex.h"
#include "core/jsonw.h"
#include "core/parse.h"
#include "core/tsv.h"
#include "core/utf8.h"
#include "report/escape.h"

#include <math.h>
#include <unistd.h>
#include <sys/mman.h>
#include <fcntl.h>

static int date_ok(const char *s, int y, int m, int d, int prec)
{
    struct bilat_date dt;
    return bilat_date_parse(s, strlen(s), &dt) == 0 && dt.year == y && dt.month == m &&
           dt.day == d && (int)dt.prec == prec;
}

static int date_bad(const char *s)
{
    struct bilat_date dt;
    return bilat_date_parse(s, strlen(s), &dt) == BILAT_EPARSE;
}

T_TEST(date_parse_precisions)
{
    T_ASSERT(date_ok("1996", 1996, 0, 0, BILAT_DATE_YEAR));
    T_ASSERT(date_ok("1996-02", 1996, 2, 0, BILAT_DATE_MONTH));
    T_ASSERT(date_ok("2020-02-10", 2020, 2, 10, BILAT_DATE_DAY));
    T_ASSERT(date_ok("2024-02-29", 2024, 2, 29, BILAT_DATE_DAY));
}

T_TEST(date_parse_rejects)
{
    T_ASSERT(date_bad("2023-02-29")); /* not a leap year */
    T_ASSERT(date_bad("1900-02-29")); /* century rule */
    T_ASSERT(date_bad("1996-13"));
    T_ASSERT(date_bad("1996-00"));
    T_ASSERT(date_bad("1996-1"));
    T_ASSERT(date_bad("96"));
    T_ASSERT(date_bad("1996/02"));
    T_ASSERT(date_bad("0999"));
    T_ASSERT(date_bad(""));
    T_ASSERT(date_bad("2020-04-31"));
    T_ASSERT(date_ok("2000-02-29", 2000, 2, 29, BILAT_DATE_DAY)); /* 400-year rule */
}

T_TEST(date_compact_and_compare)
{
    struct bilat_date a, b;
    T_ASSERT_EQ_INT(bilat_date_parse_compact("20180101", 8, &a), 0);
    T_ASSERT_EQ_INT(a.year * 10000 + a.month * 100 + a.day, 20180101);
    T_ASSERT_EQ_INT(bilat_date_parse_compact("20181301", 8, &a), BILAT_EPARSE);
    bilat_date_parse("1996", 4, &a);
    bilat_date_parse("1996-01-01", 10, &b);
    T_ASSERT_EQ_INT(bilat_date_cmp(&a, &b), 0);      /* a year starts on January 1 */
    T_ASSERT(bilat_date_cmp_end(&a, &b) > 0);        /* and ends on December 31 */
    bilat_date_parse("1996-02", 7, &b);
    T_ASSERT(bilat_date_cmp(&a, &b) < 0);
}

/* The scanner's integer dates and day numbers (core/parse.h). */
T_TEST(ymd_dates_and_day_numbers)
{
    T_ASSERT_EQ_INT(bilat_ymd_compact("20240229", 8), 20240229);
    T_ASSERT_EQ_INT(bilat_ymd_compact("20230229", 8), 0); /* not a leap year */
    T_ASSERT_EQ_INT(bilat_ymd_compact("19001301", 8), 0);
    T_ASSERT_EQ_INT(bilat_ymd_compact("0999 101", 8), 0);
    T_ASSERT_EQ_INT(bilat_ymd_compact("202402291", 9), 0);
    T_ASSERT_EQ_INT(bilat_ymd_iso("2000-02-29", 10), 20000229);
    T_ASSERT_EQ_INT(bilat_ymd_iso("1900-02-29", 10), 0); /* 1900 is no leap year */
    T_ASSERT_EQ_INT(bilat_ymd_iso("2024-1-015", 10), 0);
    T_ASSERT_EQ_INT(bilat_ymd_iso("2024/01/15", 10), 0);
    T_ASSERT_EQ_INT(bilat_ymd_iso("0999-01-01", 10), 0);
    T_ASSERT_EQ_INT((int)bilat_day_number(1970, 1, 1), 0);
    T_ASSERT_EQ_INT((int)bilat_day_number(2000, 3, 1), 11017);
    T_ASSERT_EQ_INT((int)bilat_day_number(1969, 12, 31), -1);
    T_ASSERT_EQ_INT((int)(bilat_ymd_day_number(20180101) - bilat_ymd_day_number(20171202)), 30);
    T_ASSERT_EQ_INT(bilat_days_in_month(2100, 2), 28);
    T_ASSERT_EQ_INT(bilat_days_in_month(2000, 13), 0);
}

T_TEST(period_parse)
{
    T_ASSERT_EQ_INT(bilat_period_parse("2021", 4), 0);
    T_ASSERT_EQ_INT(bilat_period_parse("2022-Q1", 7), 0);
    T_ASSERT_EQ_INT(bilat_period_parse("2001/2022", 9), 0);
    T_ASSERT_EQ_INT(bilat_period_parse("2021/2022-Q2", 12), 0);
    T_ASSERT_EQ_INT(bilat_period_parse("2022/2001", 9), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_period_parse("2022-Q5", 7), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_period_parse("2022/", 5), BILAT_EPARSE);
}

T_TEST(value_bounds)
{
    /* dates: 1800 to next year */
    T_ASSERT(bilat_year_in_bounds(1800));
    T_ASSERT(!bilat_year_in_bounds(1799));
    T_ASSERT(bilat_year_in_bounds(bilat_year_max()));
    T_ASSERT(!bilat_year_in_bounds(bilat_year_max() + 1));
    T_ASSERT(!bilat_year_in_bounds(9999));
    int a = 0, b = 0;
    T_ASSERT_EQ_INT(bilat_period_years("2001/2022-Q3", 12, &a, &b), 0);
    T_ASSERT_EQ_INT(a, 2001);
    T_ASSERT_EQ_INT(b, 2022);
    T_ASSERT_EQ_INT(bilat_period_years("2021", 4, &a, &b), 0);
    T_ASSERT_EQ_INT(a, 2021);
    T_ASSERT_EQ_INT(b, 2021);
    T_ASSERT_EQ_INT(bilat_period_years("2022/2001", 9, &a, &b), BILAT_EPARSE);
    /* values within their unit's range */
    T_ASSERT(!bilat_value_range(60, "visits", true));
    T_ASSERT(!bilat_value_range(1e12, NULL, true));
    T_ASSERT(bilat_value_range(1e12 * 1.5, "visits", true));
    T_ASSERT(bilat_value_range(1.7e308, "visits", true));
    T_ASSERT(bilat_value_range(-1, NULL, true));
    T_ASSERT(!bilat_value_range(1e15, "USD", true));
    T_ASSERT(bilat_value_range(2e15, "USD", true));
    T_ASSERT(!bilat_value_range(-3.4e11, "USD", false));
    T_ASSERT(bilat_value_range(-2e15, "USD constant 2021", false));
    T_ASSERT(!bilat_value_range(113, "%", false));
    T_ASSERT(bilat_value_range(1001, "%", false));
    T_ASSERT(!bilat_value_range(100, "score 0-100", false));
    T_ASSERT(bilat_value_range(101, "score 0-100", false));
    T_ASSERT(bilat_value_range(0, "rank", false));
    T_ASSERT(bilat_value_range(-1, "count", false));
    T_ASSERT(bilat_value_range(INFINITY, NULL, false));
    T_ASSERT(bilat_value_range(NAN, "USD", false));
    T_ASSERT(!bilat_value_range(-22.5, "score", false));
}

static const volatile char *mg_map;
static volatile unsigned long mg_sum;

static void mg_read(void *ctx)
{
    size_t n = *(const size_t *)ctx;
    for (size_t i = 0; i < n; i += 4096)
        mg_sum += (unsigned char)mg_map[i];
}

T_TEST(mapguard_shrunken_file)
{
    /* a page of a mapping past the end of its truncated file is an error, not SIGBUS */
    const char *path = t_write_file("mapped.bin", "");
    int fd = open(path, O_RDWR);
    T_ASSERT(fd >= 0);
    size_t size = 64 * 4096;
    T_ASSERT_EQ_INT(ftruncate(fd, (off_t)size), 0);
    void *m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    T_ASSERT(m != MAP_FAILED);
    mg_map = m;
    T_ASSERT_EQ_INT(mapguard_run(mg_read, &size), 0);
    T_ASSERT_EQ_INT(ftruncate(fd, 4096), 0);
    T_ASSERT_EQ_INT(mapguard_run(mg_read, &size), BILAT_EIO);
    /* again (the handler stays installed, the signal is not left blocked) */
    T_ASSERT_EQ_INT(mapguard_run(mg_read, &size), BILAT_EIO);
    size_t one = 4096;
    T_ASSERT_EQ_INT(mapguard_run(mg_read, &one), 0);
    munmap(m, size);
    close(fd);
}

T_TEST(tsv_bom_before_comment)
{
    /* a byte-order mark starts the file, whatever its first line is */
    const char *path = t_write_file("bom.tsv", "\xEF\xBB\xBF# a comment\nid\ttitle\nx\tX\n");
    struct tsv_file f;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(tsv_open(&f, path, &err), 0);
    T_ASSERT_EQ_INT(f.ncol, 2);
    T_ASSERT_STR(f.names[0], "id");
    T_ASSERT_EQ_INT(tsv_next(&f), 1);
    T_ASSERT_STR(f.fields[1], "X");
    tsv_close(&f);
    path = t_write_file("bom2.tsv", "\xEF\xBB\xBFid\ttitle\nx\tX\n");
    T_ASSERT_EQ_INT(tsv_open(&f, path, &err), 0);
    T_ASSERT_STR(f.names[0], "id");
    tsv_close(&f);
}

T_TEST(number_parse)
{
    double v;
    T_ASSERT_EQ_INT(bilat_parse_double("2.32e9", 6, &v), 0);
    T_ASSERT_NEAR(v, 2.32e9, 1e-3);
    T_ASSERT_EQ_INT(bilat_parse_double("-0.5", 4, &v), 0);
    T_ASSERT_NEAR(v, -0.5, 0);
    T_ASSERT_EQ_INT(bilat_parse_double(".5", 2, &v), 0);
    T_ASSERT_EQ_INT(bilat_parse_double("1,000", 5, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_double("nan", 3, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_double("inf", 3, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_double("1e999", 5, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_double("1e", 2, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_double("", 0, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_double("12 ", 3, &v), BILAT_EPARSE);
    /* the field need not be NUL-terminated */
    T_ASSERT_EQ_INT(bilat_parse_double("4.5xyz", 3, &v), 0);
    T_ASSERT_NEAR(v, 4.5, 0);
}

T_TEST(int_parse_overflow)
{
    int64_t v;
    T_ASSERT_EQ_INT(bilat_parse_int64("9223372036854775807", 19, &v), 0);
    T_ASSERT(v == INT64_MAX);
    T_ASSERT_EQ_INT(bilat_parse_int64("-9223372036854775808", 20, &v), 0);
    T_ASSERT(v == INT64_MIN);
    T_ASSERT_EQ_INT(bilat_parse_int64("9223372036854775808", 19, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_int64("-", 1, &v), BILAT_EPARSE);
    T_ASSERT_EQ_INT(bilat_parse_int64("12a", 3, &v), BILAT_EPARSE);
}

T_TEST(missing_markers)
{
    T_ASSERT(bilat_is_missing("", 0));
    T_ASSERT(bilat_is_missing("NA", 2));
    T_ASSERT(bilat_is_missing("N/A", 3));
    T_ASSERT(bilat_is_missing("..", 2));
    T_ASSERT(!bilat_is_missing("0", 1));
    T_ASSERT(!bilat_is_missing("NAN", 3));
}

T_TEST(utf8_check)
{
    T_ASSERT_EQ_INT(bilat_utf8_check("plain ascii text", 16), 16);
    T_ASSERT_EQ_INT(bilat_utf8_check("C\xC3\xB4te", 5), 5);             /* Côte */
    T_ASSERT_EQ_INT(bilat_utf8_check("ab\xC3", 3), 2);                 /* truncated */
    T_ASSERT_EQ_INT(bilat_utf8_check("a\xC0\x80", 3), 1);              /* overlong NUL */
    T_ASSERT_EQ_INT(bilat_utf8_check("\xED\xA0\x80", 3), 0);           /* surrogate */
    T_ASSERT_EQ_INT(bilat_utf8_check("\xF4\x90\x80\x80", 4), 0);       /* > U+10FFFF */
    T_ASSERT_EQ_INT(bilat_utf8_check("12345678\xE2\x80\x99", 11), 11); /* ’ after 8 bytes */
    T_ASSERT_EQ_INT(bilat_utf8_check("12345678\xFF", 9), 8);
}

T_TEST(buf_grow_and_detach)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    T_ASSERT_STR(b.buf, "");
    for (int i = 0; i < 1000; i++)
        T_ASSERT_EQ_INT(bilat_buf_addf(&b, "%d,", i % 10), 0);
    T_ASSERT_EQ_INT(b.len, 2000);
    T_ASSERT(b.len < b.alloc && b.buf[b.len] == '\0');
    size_t len;
    char *s = bilat_buf_detach(&b, &len);
    T_ASSERT_EQ_INT(len, 2000);
    T_ASSERT(strncmp(s, "0,1,2,", 6) == 0);
    T_ASSERT_EQ_INT(b.len, 0);
    T_ASSERT_STR(b.buf, "");
    bilat_free(s);
    bilat_buf_release(&b); /* releasing an empty buffer does nothing */
}

T_TEST(arena_alignment_and_large)
{
    struct bilat_arena a = BILAT_ARENA_INIT;
    for (int i = 1; i < 200; i++) {
        char *p = bilat_arena_alloc(&a, (size_t)i * 7);
        T_ASSERT(p != NULL);
        T_ASSERT_EQ_INT((uintptr_t)p % _Alignof(max_align_t), 0);
        memset(p, 0xAB, (size_t)i * 7);
    }
    char *big = bilat_arena_alloc(&a, 1 << 20);
    T_ASSERT(big != NULL);
    memset(big, 1, 1 << 20);
    T_ASSERT(bilat_arena_alloc(&a, SIZE_MAX - 4) == NULL);
    T_ASSERT_STR(bilat_arena_strndup(&a, "hello world", 5), "hello");
    bilat_arena_release(&a);
    bilat_arena_release(&a); /* twice is harmless */
}

T_TEST(alloc_array_overflow)
{
    T_ASSERT(bilat_alloc_array(SIZE_MAX / 2, 4) == NULL);
    void *p = bilat_alloc_array(0, 8);
    T_ASSERT(p != NULL);
    bilat_free(p);
}

T_TEST(err_names)
{
    T_ASSERT_STR(bilat_errname(BILAT_ENOMEM), "BILAT_ENOMEM");
    T_ASSERT_STR(bilat_strerror(BILAT_EPARSE), "malformed input");
    T_ASSERT_STR(bilat_strerror(-99), "unknown error");
    struct bilat_err e = {0};
    T_ASSERT_EQ_INT(bilat_fail_at(&e, BILAT_EPARSE, "x.tsv", 7, "bad %s", "date"), BILAT_EPARSE);
    T_ASSERT_STR(e.msg, "bad date");
    T_ASSERT_EQ_INT(e.line, 7);
    T_ASSERT_EQ_INT(bilat_fail(NULL, BILAT_EIO, "ignored"), BILAT_EIO);
}

T_TEST(tsv_rows_and_errors)
{
    const char *path = t_write_file("a.tsv", "# comment\n"
                                             "\xEF\xBB\xBF"
                                             "code\tname\r\n"
                                             "KHM\tCambodia\r\n"
                                             "\n"
                                             "CHN\tChina\textra\n"
                                             "LAO\tL\xC3\n"
                                             "VNM\tViet Nam");
    struct tsv_file f;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(tsv_open(&f, path, &err), 0);
    T_ASSERT_EQ_INT(f.ncol, 2);
    T_ASSERT_EQ_INT(tsv_col(&f, "name"), 1);
    T_ASSERT_EQ_INT(tsv_col(&f, "nope"), -1);
    T_ASSERT_EQ_INT(tsv_next(&f), 1);
    T_ASSERT_STR(f.fields[1], "Cambodia"); /* CR dropped */
    T_ASSERT_EQ_INT(f.line, 3);
    T_ASSERT_EQ_INT(tsv_next(&f), BILAT_EPARSE);
    T_ASSERT_EQ_INT(f.line, 5);
    T_ASSERT(strstr(f.reason, "expected 2 fields, got 3") != NULL);
    T_ASSERT_EQ_INT(tsv_next(&f), BILAT_EPARSE);
    T_ASSERT(strstr(f.reason, "UTF-8") != NULL);
    T_ASSERT_EQ_INT(tsv_next(&f), 1); /* last line without newline */
    T_ASSERT_STR(f.fields[1], "Viet Nam");
    T_ASSERT_EQ_INT(tsv_next(&f), 0);
    tsv_close(&f);
}

T_TEST(tsv_nul_and_headers)
{
    const char *path = t_write_file("nul.tsv", "a\tb\nx\ty\n");
    /* put a NUL byte into the data row */
    FILE *fp = fopen(path, "r+b");
    T_ASSERT(fp != NULL);
    fseek(fp, 5, SEEK_SET);
    fputc(0, fp);
    fclose(fp);
    struct tsv_file f;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(tsv_open(&f, path, &err), 0);
    T_ASSERT_EQ_INT(tsv_next(&f), BILAT_EPARSE);
    T_ASSERT(strstr(f.reason, "NUL") != NULL);
    tsv_close(&f);
    path = t_write_file("dup.tsv", "a\ta\n1\t2\n");
    T_ASSERT_EQ_INT(tsv_open(&f, path, &err), BILAT_EPARSE);
    T_ASSERT(strstr(err.msg, "duplicate column") != NULL);
    tsv_close(&f);
    path = t_write_file("empty.tsv", "# only a comment\n");
    T_ASSERT_EQ_INT(tsv_open(&f, path, &err), BILAT_EPARSE);
    T_ASSERT(strstr(err.msg, "no header") != NULL);
    tsv_close(&f);
    T_ASSERT_EQ_INT(tsv_open(&f, "/nonexistent/x.tsv", &err), BILAT_ENOTFOUND);
    tsv_close(&f);
}

T_TEST(csv_quotes_and_line_ends)
{
    const char *data = "a,b,c\r\n"
                       "\"x, y\",\"say \"\"hi\"\"\",3\r\r\n"
                       "\"multi\nline\",,\"\"\n"
                       "bad\"quote,1,2\n"
                       "last,1,2";
    struct csv_file f;
    T_ASSERT_EQ_INT(csv_open_mem(&f, "mem", data, strlen(data), ','), 0);
    T_ASSERT_EQ_INT(csv_next(&f), 1);
    T_ASSERT_STR(f.fields[2], "c");
    T_ASSERT_EQ_INT(csv_next(&f), 1);
    T_ASSERT_STR(f.fields[0], "x, y");
    T_ASSERT_STR(f.fields[1], "say \"hi\"");
    T_ASSERT_STR(f.fields[2], "3"); /* CR CR LF */
    T_ASSERT_EQ_INT(f.line, 2);
    T_ASSERT_EQ_INT(csv_next(&f), 1);
    T_ASSERT_STR(f.fields[0], "multi\nline");
    T_ASSERT_EQ_INT(f.lens[1], 0);
    T_ASSERT_EQ_INT(f.lens[2], 0);
    T_ASSERT_EQ_INT(f.line, 3);
    T_ASSERT_EQ_INT(csv_next(&f), BILAT_EPARSE);
    T_ASSERT_EQ_INT(f.line, 5); /* the quoted newline counted */
    T_ASSERT_EQ_INT(csv_next(&f), 1);
    T_ASSERT_STR(f.fields[0], "last");
    T_ASSERT_EQ_INT(f.line, 6);
    T_ASSERT_EQ_INT(csv_next(&f), 0);
    csv_close(&f);
}

T_TEST(csv_unclosed_quote)
{
    const char *data = "a,b\n\"open,1\n";
    struct csv_file f;
    T_ASSERT_EQ_INT(csv_open_mem(&f, "mem", data, strlen(data), ','), 0);
    T_ASSERT_EQ_INT(csv_next(&f), 1);
    T_ASSERT_EQ_INT(csv_next(&f), BILAT_EPARSE);
    T_ASSERT(strstr(f.reason, "unclosed") != NULL);
    T_ASSERT_EQ_INT(csv_next(&f), 0);
    csv_close(&f);
}

T_TEST(html_escape_and_numbers)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    T_ASSERT_EQ_INT(html_escape(&b, "<a href=\"x\">&'</a>"), 0);
    T_ASSERT_STR(b.buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    bilat_buf_reset(&b);
    T_ASSERT_EQ_INT(html_escape(&b, "ok\xFFok"), 0);
    T_ASSERT_STR(b.buf, "ok\xEF\xBF\xBDok");
    bilat_buf_reset(&b);
    T_ASSERT_EQ_INT(html_number(&b, 11200000000.0), 0);
    T_ASSERT_STR(b.buf, "11\xE2\x80\x89" "200\xE2\x80\x89" "000\xE2\x80\x89" "000");
    bilat_buf_reset(&b);
    T_ASSERT_EQ_INT(html_number(&b, -0.40725), 0);
    T_ASSERT_STR(b.buf, "-0.4073");
    bilat_buf_reset(&b);
    T_ASSERT_EQ_INT(html_id(&b, "iseas-2023/22 x"), 0);
    T_ASSERT_STR(b.buf, "iseas-2023_22_x");
    bilat_buf_release(&b);
    char num[32];
    fmt_number(num, 40.72);
    T_ASSERT_STR(num, "40.72");
    fmt_number(num, 2.06e9);
    T_ASSERT_STR(num, "2060000000");
    fmt_number(num, -0.0);
    T_ASSERT_STR(num, "0");
}

/* The hash index (core/hindex.h): a dense array of keys, entries found after growth, removed
 * in a shuffled order with the last entry moved into each hole, and colliding hashes. */
struct hkeys {
    uint64_t *k; /* the keys, densely */
};

static bool hk_same(const void *ctx, size_t i)
{
    const uint64_t *want = ctx;
    return ((const uint64_t *)(uintptr_t)want[1])[i] == want[0];
}

static uint64_t hk_hash(const void *ctx, size_t i)
{
    /* few distinct hashes: every probe meets others of the same tag */
    return ((const uint64_t *)ctx)[i] % 97 * 0x9e3779b97f4a7c15ULL;
}

static size_t hk_find(const struct bilat_hindex *x, const uint64_t *keys, uint64_t key,
                      size_t *slot)
{
    const uint64_t want[2] = {key, (uint64_t)(uintptr_t)keys};
    return bilat_hindex_find(x, key % 97 * 0x9e3779b97f4a7c15ULL, hk_same, want, slot);
}

T_TEST(hindex_grow_find_remove)
{
    enum { N = 3000 };
    static uint64_t keys[N], order[N];
    struct bilat_hindex x;
    T_ASSERT_EQ_INT(bilat_hindex_init(&x, 3), 0);
    T_ASSERT_EQ_INT((int)x.mask + 1, BILAT_HINDEX_MIN);
    size_t n = 0, slot;
    for (uint64_t v = 1; v <= N; v++) {
        uint64_t key = v * 7919;
        T_ASSERT(hk_find(&x, keys, key, &slot) == BILAT_HINDEX_NONE);
        keys[n] = key;
        T_ASSERT_EQ_INT(bilat_hindex_put(&x, slot, hk_hash(keys, n), n, hk_hash, keys), 0);
        n++;
    }
    T_ASSERT_EQ_INT((int)x.n, N);
    T_ASSERT(x.n * 2 <= x.mask + 1);
    for (size_t i = 0; i < N; i++)
        T_ASSERT_EQ_INT((int)hk_find(&x, keys, keys[i], &slot), (int)i);
    /* remove every other key, in a scrambled order, keeping the array dense */
    size_t m = 0;
    for (size_t i = 0; i < N; i += 2)
        order[m++] = (i * 1103) % N / 2 * 2;
    for (size_t r = 0; r < m; r++) {
        size_t at = hk_find(&x, keys, (order[r] + 1) * 7919, &slot);
        if (at == BILAT_HINDEX_NONE)
            continue; /* (the scrambled list names some twice) */
        bilat_hindex_remove(&x, slot, hk_hash, keys);
        n--;
        if (at != n) {
            bilat_hindex_renumber(&x, hk_hash(keys, n), n, at);
            keys[at] = keys[n];
        }
    }
    T_ASSERT_EQ_INT((int)x.n, (int)n);
    for (uint64_t v = 1; v <= N; v++) {
        size_t at = hk_find(&x, keys, v * 7919, &slot);
        bool kept = false;
        for (size_t i = 0; i < n && !kept; i++)
            kept = keys[i] == v * 7919;
        T_ASSERT(kept ? at != BILAT_HINDEX_NONE && keys[at] == v * 7919
                      : at == BILAT_HINDEX_NONE);
    }
    bilat_hindex_reset(&x);
    T_ASSERT(hk_find(&x, keys, keys[0], &slot) == BILAT_HINDEX_NONE);
    bilat_hindex_release(&x);
    /* the fingerprint hash is part of what the engine writes (cluster ids): pinned */
    T_ASSERT(bilat_hash_bytes(0, "KHMCHN042", 9) == 0x0a3e2c9da13dabbdULL);
    T_ASSERT(bilat_hash_bytes(0, "AB", 2) != bilat_hash_bytes(bilat_hash_bytes(0, "A", 1), "B",
                                                              1));
}

/* One CSV field writer (RFC 4180): as it is, or quoted with quotes doubled; the bytes given, not
 * a C string (a NUL inside goes out as it is). */
T_TEST(csv_write_field_quotes)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"abc", 3, "abc"},           {"", 0, ""},
        {"a,b", 3, "\"a,b\""},       {"a\"b", 3, "\"a\"\"b\""},
        {"\"", 1, "\"\"\"\""},       {"x\"\"", 3, "\"x\"\"\"\"\""},
        {"l1\nl2", 5, "\"l1\nl2\""}, {"cr\r", 3, "\"cr\r\""},
        {"abc,def", 3, "abc"},       {"semi;colon 'q'", 14, "semi;colon 'q'"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct bilat_buf b = BILAT_BUF_INIT;
        T_ASSERT_EQ_INT(csv_write_field(cases[i].in, cases[i].len, csv_sink_buf, &b), 0);
        T_ASSERT_STR(b.buf, cases[i].out);
        bilat_buf_release(&b);
    }
    /* the file sink writes the same bytes */
    FILE *f = tmpfile();
    T_ASSERT(f != NULL);
    T_ASSERT_EQ_INT(csv_write_field("a\"b,c", 5, csv_sink_file, f), 0);
    rewind(f);
    char got[32] = "";
    T_ASSERT(fgets(got, sizeof(got), f) != NULL);
    fclose(f);
    T_ASSERT_STR(got, "\"a\"\"b,c\"");
}

/* bilat_jsonw_dumps() against json_dumps() for value v under every layout bilat uses (and a
 * few more); 0 when all the same. */
static int jsonw_differs(const json_t *v, const char *what)
{
    static const size_t flags[] = {
        JSON_INDENT(2) | JSON_REAL_PRECISION(15), JSON_COMPACT | JSON_REAL_PRECISION(15),
        JSON_COMPACT | JSON_REAL_PRECISION(17),   JSON_COMPACT | JSON_REAL_PRECISION(4),
        JSON_INDENT(4),                           0,
    };
    int bad = 0;
    for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++) {
        char *a = json_dumps(v, flags[k] | JSON_ENCODE_ANY), *b = bilat_jsonw_dumps(v, flags[k], 0);
        if (!a || !b || strcmp(a, b) != 0) {
            fprintf(stderr, "%s, flags %zx:\n  jansson %.300s\n  bilat   %.300s\n", what, flags[k],
                    a ? a : "(null)", b ? b : "(null)");
            bad++;
        }
        bilat_free(a);
        bilat_free(b);
    }
    return bad;
}

T_TEST(jsonw_writes_what_jansson_writes)
{
    /* numbers of every magnitude, sign and length, from a fixed sequence */
    uint64_t x = 88172645463325252u;
    int bad = 0;
    for (int i = 0; i < 20000 && bad < 3; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        switch (i % 5) {
        case 0: v = ldexp((double)(x >> 11) / 9007199254740992.0, (int)(x % 2000) - 1000); break;
        case 1: v = -(double)(x % 1000000) / 1000.0; break;
        case 2: v = (double)(x % 100000); break;
        case 3: v = (double)(int64_t)x; break;
        default: v = nearbyint((double)(x % 10000000) / 7.0 * 1e6) / 1e6;
        }
        json_t *r = json_pack("[f, I]", v, (json_int_t)(int64_t)x);
        bad += jsonw_differs(r, "numbers");
        json_decref(r);
    }
    /* strings of every length up to 40 with bytes that need escaping anywhere in them, so that
     * each lands at each place of an eight-byte word */
    for (int i = 0; i < 4000 && bad < 3; i++) {
        char str[41];
        size_t n = (size_t)(i % 41);
        for (size_t k = 0; k < n; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            str[k] = (char)(x % 7 == 0 ? "\"\\\n\x01\x1f"[x % 5] : 'a' + (char)(x % 26));
        }
        json_t *v = json_pack("[s%]", str, n);
        bad += jsonw_differs(v, "strings");
        json_decref(v);
    }
    /* every byte a string may need escaped, UTF-8 and an embedded NUL */
    char all[128];
    for (int c = 0; c < 128; c++)
        all[c] = (char)(c + 1 < 128 ? c + 1 : 0);
    json_t *doc = json_pack("{s:s%, s:s, s:s, s:[], s:{}, s:[{}, [], [n, b, b]], s:I, "
                            "s:I, s:{s:{s:[i, f, s]}}, s:f, s:f, s:f, s:f}",
                            "all \"bytes\"\\", all, sizeof(all), "utf-8", "Phnom Penh \xe2\x80\x94 "
                            "\xe4\xb8\xad\xe5\x9b\xbd \xf0\x9f\x8c\x8f",
                            "", "", "empty array", "empty object", "nested", 1, 0, "min",
                            (json_int_t)INT64_MIN, "max", (json_int_t)INT64_MAX, "deep", "er",
                            "est", 0, 0.0, "", "big", 1e300, "small", -2.5e-300, "whole", 3.0,
                            "third", 1.0 / 3.0);
    T_ASSERT(doc != NULL);
    bad += jsonw_differs(doc, "document");
    json_decref(doc);
    T_ASSERT_EQ_INT(bad, 0);
}

T_TEST(jsonw_texts_stand_in_for_elements)
{
    /* a document whose array's elements are given as texts written two containers deep */
    json_t *doc = json_pack("{s:s, s:[{s:i, s:[f, s]}, {s:{}}], s:[s]}", "head", "x", "parts",
                            "a", 1, "b", 0.5, "q\"", "c", "tail", "end");
    T_ASSERT(doc != NULL);
    json_t *parts = json_object_get(doc, "parts");
    size_t layouts[] = {JSON_INDENT(2) | JSON_REAL_PRECISION(15), JSON_COMPACT};
    for (size_t k = 0; k < 2; k++) {
        char *want = json_dumps(doc, layouts[k]);
        char *texts[2] = {NULL, NULL};
        json_t *stand = json_pack("[n, n]");
        for (size_t i = 0; i < 2; i++) {
            struct bilat_buf t = BILAT_BUF_INIT;
            T_ASSERT_EQ_INT(bilat_jsonw(&t, json_array_get(parts, i), layouts[k], 2), 0);
            texts[i] = bilat_buf_detach(&t, NULL);
        }
        json_t *copy = json_deep_copy(doc);
        T_ASSERT_EQ_INT(json_object_set(copy, "parts", stand), 0);
        struct bilat_buf b = BILAT_BUF_INIT;
        T_ASSERT_EQ_INT(bilat_jsonw_texts(&b, copy, layouts[k], stand, texts), 0);
        T_ASSERT_STR(b.buf, want);
        bilat_buf_release(&b);
        json_decref(copy);
        json_decref(stand);
        bilat_free(texts[0]);
        bilat_free(texts[1]);
        bilat_free(want);
    }
    /* a value without text fails and leaves the buffer as it was */
    struct bilat_buf b = BILAT_BUF_INIT;
    T_ASSERT_EQ_INT(bilat_buf_adds(&b, "kept"), 0);
    T_ASSERT_EQ_INT(bilat_jsonw(&b, NULL, JSON_COMPACT, 0), BILAT_EINVAL);
    T_ASSERT_STR(b.buf, "kept");
    bilat_buf_release(&b);
    json_decref(doc);
}
