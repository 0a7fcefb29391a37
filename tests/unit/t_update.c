/*
 * t_update.c: unit tests of `bilat update`'s parts: master-list lines and whole lists (bad
 * lines with their numbers, CRLF, a last line without a newline, a line too long), slots and
 * command-line times, MD5 (OpenSSL), URL resolution, option checks, the coverage of listed
 * files, and whole runs over a local list through file:// URLs (no network): ingest, rerun,
 * a wrong MD5, and out-of-memory at every allocation of a run.
 */
#include "t.h"
#include "t_util.h"

#include "bilat.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"
#include "net/fetch.h"
#include "net/masterlist.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int parse(const char *text, struct ml_entry *e, const char **why)
{
    static char line[1024];
    snprintf(line, sizeof(line), "%s", text);
    return ml_parse_line(line, strlen(line), e, why);
}

T_TEST(update_list_line)
{
    struct ml_entry e;
    const char *why = NULL;
    T_ASSERT_EQ_INT(parse("150383 297A16B493DE7CF6CA809A7CC31D0B93 "
                          "http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip\r",
                          &e, &why),
                    1);
    T_ASSERT_EQ_INT(e.size, 150383);
    T_ASSERT_STR(e.md5, "297a16b493de7cf6ca809a7cc31d0b93");
    T_ASSERT_STR(e.url, "http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip");
    T_ASSERT_STR(e.name, "20150218230000.export.CSV.zip");
    T_ASSERT_EQ_INT(e.kind, ML_EXPORT);
    T_ASSERT_EQ_INT(e.slot, 20150218230000ULL);
    /* tabs and runs of blanks; kinds from the name; a query is not part of the name */
    T_ASSERT_EQ_INT(parse("\t12  0123456789abcdef0123456789abcdef\thttp://h/x/"
                          "20150218230000.mentions.CSV.zip  ",
                          &e, &why),
                    1);
    T_ASSERT_EQ_INT(e.kind, ML_MENTIONS);
    T_ASSERT_EQ_INT(
        parse("1 0123456789abcdef0123456789abcdef http://h/20150218230000.gkg.csv.zip", &e, &why),
        1);
    T_ASSERT_EQ_INT(e.kind, ML_GKG);
    T_ASSERT_EQ_INT(parse("1 0123456789abcdef0123456789abcdef "
                          "http://h/20150218230000.translation.export.CSV.zip?x=1#y",
                          &e, &why),
                    1);
    T_ASSERT_EQ_INT(e.kind, ML_EXPORT);
    T_ASSERT_STR(e.name, "20150218230000.translation.export.CSV.zip");
    T_ASSERT_EQ_INT(parse("1 0123456789abcdef0123456789abcdef other-name.zip", &e, &why), 1);
    T_ASSERT_EQ_INT(e.kind, ML_EXPORT);
    T_ASSERT_EQ_INT(e.slot, 0);
    T_ASSERT_EQ_INT(parse("   \r", &e, &why), 0);
    T_ASSERT_EQ_INT(parse("", &e, &why), 0);
    /* bad lines, each with its reason */
    static const struct {
        const char *line, *why;
    } bad[] = {
        {"150383 297a16b493de7cf6ca809a7cc31d0b93", "expected SIZE MD5 URL"},
        {"1 0123456789abcdef0123456789abcdef http://h/a.zip extra",
         "expected SIZE MD5 URL, got more fields"},
        {"-1 0123456789abcdef0123456789abcdef http://h/a.zip", "the size is not a number of bytes"},
        {"12x 0123456789abcdef0123456789abcdef http://h/a.zip",
         "the size is not a number of bytes"},
        {"99999999999999999999 0123456789abcdef0123456789abcdef http://h/a.zip",
         "the size is not a number of bytes"},
        {"1 0123456789abcdef0123456789abcde http://h/a.zip",
         "the MD5 is not 32 hexadecimal digits"},
        {"1 0123456789abcdef0123456789abcdeg http://h/a.zip",
         "the MD5 is not 32 hexadecimal digits"},
        {"1 0123456789abcdef0123456789abcdef http://h/dir/", "the URL names no file"},
        {"1 0123456789abcdef0123456789abcdef http://h/..", "the URL names no file"},
        {"1 0123456789abcdef0123456789abcdef http://h/.bilat-update.lock",
         "the file name starts with a dot or ends in .part"},
        {"1 0123456789abcdef0123456789abcdef http://h/a.zip.part",
         "the file name starts with a dot or ends in .part"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why = NULL;
        T_ASSERT_EQ_INT(parse(bad[i].line, &e, &why), -1);
        T_ASSERT_STR(why, bad[i].why);
    }
}

T_TEST(update_slots_and_times)
{
    T_ASSERT_EQ_INT(ml_slot_of_name("20150218230000.export.CSV.zip"), 20150218230000ULL);
    T_ASSERT_EQ_INT(ml_slot_of_name("20130401.export.CSV.zip"), 20130401000000ULL);
    T_ASSERT_EQ_INT(ml_slot_of_name("20160229120000.export.CSV.zip"), 20160229120000ULL);
    T_ASSERT_EQ_INT(ml_slot_of_name("20150229120000.export.CSV.zip"), 0); /* not a leap year */
    T_ASSERT_EQ_INT(ml_slot_of_name("20151318230000.export.CSV.zip"), 0);
    T_ASSERT_EQ_INT(ml_slot_of_name("20150218236000.export.CSV.zip"), 0);
    T_ASSERT_EQ_INT(ml_slot_of_name("2015021823000.export.CSV.zip"), 0);   /* 13 digits */
    T_ASSERT_EQ_INT(ml_slot_of_name("201502182300000.export.CSV.zip"), 0); /* 15 digits */
    T_ASSERT_EQ_INT(ml_slot_of_name("export.CSV.zip"), 0);
    char text[20];
    ml_slot_text(20180101001500ULL, text);
    T_ASSERT_STR(text, "2018-01-01 00:15:00");

    static const struct {
        const char *s;
        unsigned long long first, last; /* 0: invalid */
    } t[] = {
        {"2018", 20180101000000ULL, 20181231235959ULL},
        {"2018-02", 20180201000000ULL, 20180228235959ULL},
        {"2016-02", 20160201000000ULL, 20160229235959ULL},
        {"2018-01-31", 20180131000000ULL, 20180131235959ULL},
        {"2018-01-01T00:15", 20180101001500ULL, 20180101001559ULL},
        {"2018-01-01 00:15:30", 20180101001530ULL, 20180101001530ULL},
        {"20180101", 20180101000000ULL, 20180101235959ULL},
        {"20180101001500", 20180101001500ULL, 20180101001500ULL},
        {"2018-1-1", 0, 0},
        {"2018-13", 0, 0},
        {"2018-02-30", 0, 0},
        {"18", 0, 0},
        {"2018-01-01T25:00", 0, 0},
        {"2018-01-01T10", 0, 0},
        {"2018-01-01x", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint64_t a = 0, b = 0;
        int ra = ml_parse_time(t[i].s, 0, &a), rb = ml_parse_time(t[i].s, 1, &b);
        if (!t[i].first) {
            T_ASSERT_EQ_INT(ra, -1);
            T_ASSERT_EQ_INT(rb, -1);
            continue;
        }
        T_ASSERT_EQ_INT(ra, 0);
        T_ASSERT_EQ_INT(rb, 0);
        T_ASSERT_EQ_INT(a, t[i].first);
        T_ASSERT_EQ_INT(b, t[i].last);
    }
}

struct entries {
    struct bilat_buf text; /* "line:name:kind:size\n" per entry */
};

static int collect(void *ctx, const struct ml_entry *e, uint64_t line, struct bilat_err *err)
{
    (void)err;
    struct entries *x = ctx;
    return bilat_buf_addf(&x->text, "%llu:%s:%d:%lld\n", (unsigned long long)line, e->name,
                          (int)e->kind, (long long)e->size);
}

T_TEST(update_list_read)
{
    const char *path =
        t_write_file("list.txt", "10 0123456789abcdef0123456789abcdef http://h/a.export.CSV.zip\r\n"
                                 "\r\n"
                                 "bad line\n"
                                 "20 0123456789abcdef0123456789abcdef http://h/b.mentions.CSV.zip\n"
                                 "30 0123456789abcdef0123456789abcdef x\n"
                                 "40 0123456789abcdef0123456789abcdef http://h/c.export.CSV.zip");
    struct entries x = {BILAT_BUF_INIT};
    struct t_diags d;
    memset(&d, 0, sizeof(d));
    struct bilat_diag diag = {t_collect, &d};
    struct ml_stats st;
    struct bilat_err err;
    T_ASSERT_EQ_INT(ml_read(path, "http://h/list.txt", collect, &x, &diag, &st, &err), 0);
    T_ASSERT_STR(x.text.buf, "1:a.export.CSV.zip:0:10\n4:b.mentions.CSV.zip:1:20\n5:x:0:30\n"
                             "6:c.export.CSV.zip:0:40\n");
    T_ASSERT_EQ_INT(st.lines, 6);
    T_ASSERT_EQ_INT(st.entries, 4);
    T_ASSERT_EQ_INT(st.bad, 1);
    T_ASSERT_EQ_INT(d.warnings, 1);
    T_ASSERT_STR(d.last, "list.txt:3: expected SIZE MD5 URL");
    bilat_buf_release(&x.text);

    /* 25 bad lines: 20 shown, then their number; a line too long for a list */
    struct bilat_buf b = BILAT_BUF_INIT;
    for (int i = 0; i < 25; i++)
        bilat_buf_adds(&b, "x\n");
    for (int i = 0; i < 70000; i++)
        bilat_buf_addch(&b, 'y');
    bilat_buf_adds(&b, "\n1 0123456789abcdef0123456789abcdef http://h/z.zip\n");
    path = t_write_file("bad.txt", b.buf);
    bilat_buf_release(&b);
    memset(&d, 0, sizeof(d));
    x = (struct entries){BILAT_BUF_INIT};
    T_ASSERT_EQ_INT(ml_read(path, path, collect, &x, &diag, &st, &err), 0);
    T_ASSERT_EQ_INT(st.bad, 26);
    T_ASSERT_EQ_INT(st.entries, 1);
    T_ASSERT_STR(x.text.buf, "27:z.zip:0:1\n");
    T_ASSERT_EQ_INT(d.warnings, 21);
    T_ASSERT_STR(d.last, "bad.txt:0: 6 more bad lines not shown");
    bilat_buf_release(&x.text);

    T_ASSERT_EQ_INT(ml_read(t_path("none.txt"), "none.txt", collect, &x, &diag, &st, &err),
                    BILAT_ENOTFOUND);
}

T_TEST(update_md5_and_urls)
{
    char hex[33];
    uint64_t size = 0;
    struct bilat_err err;
    T_ASSERT_EQ_INT(fetch_md5_file(t_write_file("abc", "abc"), hex, &size, &err), 0);
    T_ASSERT_STR(hex, "900150983cd24fb0d6963f7d28e17f72"); /* RFC 1321 test suite */
    T_ASSERT_EQ_INT(size, 3);
    T_ASSERT_EQ_INT(fetch_md5_file(t_write_file("empty", ""), hex, &size, &err), 0);
    T_ASSERT_STR(hex, "d41d8cd98f00b204e9800998ecf8427e");
    T_ASSERT_EQ_INT(size, 0);
    T_ASSERT_EQ_INT(fetch_md5_file(t_path("missing"), hex, &size, &err), BILAT_ENOTFOUND);

    T_ASSERT(fetch_is_url("http://h/x"));
    T_ASSERT(fetch_is_url("file:///tmp/x"));
    T_ASSERT(!fetch_is_url("/tmp/x"));
    T_ASSERT(!fetch_is_url("x.zip"));
    T_ASSERT(!fetch_is_url("1http://h"));
    char *u = NULL;
    T_ASSERT_EQ_INT(fetch_resolve_url("http://h/a/list.txt", "x.zip", &u, &err), 0);
    T_ASSERT_STR(u, "http://h/a/x.zip");
    bilat_free(u);
    T_ASSERT_EQ_INT(fetch_resolve_url("http://h/a/list.txt", "../y.zip", &u, &err), 0);
    T_ASSERT_STR(u, "http://h/y.zip");
    bilat_free(u);
    T_ASSERT_EQ_INT(fetch_resolve_url("file:///tmp/d/l.txt", "f.zip", &u, &err), 0);
    T_ASSERT_STR(u, "file:///tmp/d/f.zip");
    bilat_free(u);
}

T_TEST(update_options)
{
    struct bilat_update_opts o;
    memset(&o, 0, sizeof(o));
    struct bilat_err err;
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), BILAT_EINVAL); /* no directory */
    o.dir = "d";
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), 0);
    o.kinds = "export,export";
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), 0);
    o.kinds = "export,gkg";
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), BILAT_EINVAL);
    T_ASSERT(strstr(err.msg, "unknown kind 'gkg'") != NULL);
    o.kinds = NULL;
    o.since = "2018-02-01";
    o.until = "2018-01";
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), BILAT_EINVAL);
    T_ASSERT_STR(err.msg, "--since 2018-02-01 is after --until 2018-01");
    o.until = "2018-02-01"; /* the whole day: after its first second */
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), 0);
    o.since = "yesterday";
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), BILAT_EINVAL);
    o.since = NULL;
    o.retries = -1;
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), BILAT_EINVAL);
    o.retries = 0;
    o.retry_wait = -0.5;
    T_ASSERT_EQ_INT(bilat_update_check(&o, &err), BILAT_EINVAL);
}

/* Coverage with listed files (rows written as bilat update writes them). */
T_TEST(update_coverage_gaps)
{
    const char *dbp = t_path("cov.db");
    unlink(dbp);
    bilat_db *db = NULL;
    struct bilat_err err;
    T_ASSERT_EQ_INT(bilat_db_open(dbp, BILAT_OPEN_CREATE, &db, &err), 0);
    struct bilat_ingest_opts io;
    memset(&io, 0, sizeof(io));
    io.origin = "gdelt";
    io.scan.threads = 1;
    const char *files[] = {"data/raw/gdelt/20180101000000.export.CSV"};
    struct bilat_ingest_stats ist;
    T_ASSERT_EQ_INT(bilat_ingest_files(db, &io, files, 1, &ist, &err), 0);
    struct bilat_buf out = BILAT_BUF_INIT;
    struct bilat_coverage_opts co = {"gdelt", 0, 0, NULL, NULL, 0};
    T_ASSERT_EQ_INT(bilat_coverage_each(db, &co, t_row_text, &out, &err), 0);
    T_ASSERT_STR(out.buf, "2018-01-01|1|2414|0|2017-12-02|2018-01-01|ok\n");
    bilat_buf_reset(&out);
    /* 2018-01-01: one more listed file not fetched; 2018-01-03: listed, none fetched;
     * 2018-01-04: listed and fetched (rows elsewhere) */
    char *r = t_query(db, "INSERT INTO fetch_file(name, url, origin, kind, slot, size, md5, "
                          "status, listed_at) VALUES "
                          "('a', 'u:a', 'gdelt', 'export', '2018-01-01 00:15:00', 1, 'x', "
                          "'failed', 't'), "
                          "('b', 'u:b', 'gdelt', 'export', '2018-01-03 00:00:00', 1, 'x', "
                          "'listed', 't'), "
                          "('c', 'u:c', 'gdelt', 'export', '2018-01-04 00:00:00', 1, 'x', "
                          "'ingested', 't')");
    T_ASSERT(r != NULL);
    bilat_free(r);
    T_ASSERT_EQ_INT(bilat_coverage_each(db, &co, t_row_text, &out, &err), 0);
    T_ASSERT_STR(out.buf, "2018-01-01|1|2414|0|2017-12-02|2018-01-01|partial\n"
                          "2018-01-02|0|<null>|<null>|<null>|<null>|missing\n"
                          "2018-01-03|0|<null>|<null>|<null>|<null>|missing\n"
                          "2018-01-04|0|<null>|<null>|<null>|<null>|ok\n");
    bilat_buf_reset(&out);
    co.by_month = 1;
    T_ASSERT_EQ_INT(bilat_coverage_each(db, &co, t_row_text, &out, &err), 0);
    T_ASSERT_STR(out.buf, "2018-01|1|1|2414|0|2017-12-02|2018-01-01|partial\n");
    bilat_buf_reset(&out);
    co.by_month = 0;
    co.from = "2018-01-03";
    T_ASSERT_EQ_INT(bilat_coverage_each(db, &co, t_row_text, &out, &err), 0);
    T_ASSERT_STR(out.buf, "2018-01-03|0|<null>|<null>|<null>|<null>|missing\n"
                          "2018-01-04|0|<null>|<null>|<null>|<null>|ok\n");
    bilat_buf_release(&out);
    bilat_db_close(db);
}

/* A copy of the shipped export under a GDELT name, and a list naming it (relative URL). */
static void local_mirror(const char *md5)
{
    mkdir(t_path("mirror"), 0755);
    struct bilat_buf b = BILAT_BUF_INIT;
    struct bilat_err err;
    bilat_file_read("data/raw/gdelt/20180101000000.export.CSV", 1 << 24, &b, &err);
    t_write_file("mirror/20180101000000.export.CSV", b.buf);
    char hex[33];
    uint64_t size = 0;
    fetch_md5_file(t_path("mirror/20180101000000.export.CSV"), hex, &size, &err);
    char list[200];
    snprintf(list, sizeof(list),
             "%llu %s 20180101000000.export.CSV\n"
             "5 0123456789abcdef0123456789abcdef "
             "20180101000000.mentions.CSV.zip\n",
             (unsigned long long)size, md5 ? md5 : hex);
    t_write_file("mirror/list.txt", list);
    bilat_buf_release(&b);
}

static void run_opts(struct bilat_update_opts *o, const char *dir)
{
    static char src[4096], d[4096];
    snprintf(src, sizeof(src), "%s", t_path("mirror/list.txt"));
    snprintf(d, sizeof(d), "%s", t_path(dir));
    memset(o, 0, sizeof(*o));
    o->source = src;
    o->dir = d;
    o->retries = 0;
    o->timeout = 10;
    o->ingest.scan.dedup = BILAT_DEDUP_DAILY;
    o->ingest.scan.threads = 1;
}

T_TEST(update_local_run)
{
    local_mirror(NULL);
    const char *dbp = t_path("run.db");
    unlink(dbp);
    bilat_db *db = NULL;
    struct bilat_err err;
    T_ASSERT_EQ_INT(bilat_db_open(dbp, BILAT_OPEN_CREATE, &db, &err), 0);
    struct bilat_update_opts o;
    run_opts(&o, "dl");
    struct bilat_update_stats st;
    T_ASSERT_EQ_INT(bilat_update_gdelt(db, &o, &st, &err), 0);
    T_ASSERT_EQ_INT(st.listed, 1);
    T_ASSERT_EQ_INT(st.mentions, 1);
    T_ASSERT_EQ_INT(st.wanted, 1);
    T_ASSERT_EQ_INT(st.fetched, 1);
    T_ASSERT_EQ_INT(st.ingested, 1);
    T_ASSERT_EQ_INT(st.rows, 2414);
    T_ASSERT_EQ_INT(st.failed + st.rejected, 0);
    char *q = t_query(db, "SELECT f.status, f.path IS NULL, f.attempts, i.rows_read "
                          "FROM fetch_file f JOIN ingest_file i ON i.id = f.file_id");
    T_ASSERT_STR(q, "ingested|1|1|2414\n");
    bilat_free(q);
    T_ASSERT(!bilat_file_exists(t_path("dl/20180101000000.export.CSV")));
    /* again: nothing to do */
    T_ASSERT_EQ_INT(bilat_update_gdelt(db, &o, &st, &err), 0);
    T_ASSERT_EQ_INT(st.in_store, 1);
    T_ASSERT_EQ_INT(st.wanted, 0);
    q = t_query(db, "SELECT count(*), sum(finished_at IS NOT NULL) FROM fetch_run");
    T_ASSERT_STR(q, "2|2\n");
    bilat_free(q);
    bilat_db_close(db);

    /* a wrong MD5 in the list: rejected with both values, nothing ingested */
    local_mirror("0123456789abcdef0123456789abcdef");
    dbp = t_path("bad.db");
    unlink(dbp);
    T_ASSERT_EQ_INT(bilat_db_open(dbp, BILAT_OPEN_CREATE, &db, &err), 0);
    struct t_diags d;
    memset(&d, 0, sizeof(d));
    run_opts(&o, "dl2");
    o.diag = (struct bilat_diag){t_collect, &d};
    T_ASSERT_EQ_INT(bilat_update_gdelt(db, &o, &st, &err), 0);
    T_ASSERT_EQ_INT(st.rejected, 1);
    T_ASSERT_EQ_INT(st.ingested, 0);
    T_ASSERT_EQ_INT(d.errors, 1);
    T_ASSERT(strstr(d.last, "rejected: MD5 differs: the list says "
                            "0123456789abcdef0123456789abcdef, the file has ") != NULL);
    q = t_query(db, "SELECT (SELECT status FROM fetch_file), (SELECT count(*) FROM ingest_file)");
    T_ASSERT_STR(q, "rejected|0\n");
    bilat_free(q);
    T_ASSERT(!bilat_file_exists(t_path("dl2/20180101000000.export.CSV.part")));
    bilat_db_close(db);
}

/* Out of memory at every allocation of a run: a clean BILAT_ENOMEM each time (no leak, no
 * crash), and the next run, with memory, always ends with the file ingested once. */
T_TEST(update_out_of_memory)
{
    if (!t_oom_can_run("update_out_of_memory"))
        return;
    unsigned long tries = 0, last = 0;
    local_mirror(NULL);
    int done = 0;
    for (unsigned long k = 1; k < 100000 && !done; k = t_oom_next(k)) {
        char name[64];
        snprintf(name, sizeof(name), "oom%lu.db", k);
        const char *dbp = t_path(name);
        bilat_db *db = NULL;
        struct bilat_err err;
        T_ASSERT_EQ_INT(bilat_db_open(dbp, BILAT_OPEN_CREATE, &db, &err), 0);
        struct bilat_update_opts o;
        run_opts(&o, "oomdl");
        struct bilat_update_stats st;
        bilat_alloc_fail_after(k);
        int rc = bilat_update_gdelt(db, &o, &st, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = k;
        if (rc == 0) {
            done = 1;
            T_ASSERT_EQ_INT(st.ingested, 1);
        } else {
            T_ASSERT_EQ_INT(rc, BILAT_ENOMEM);
            T_ASSERT_EQ_INT(bilat_update_gdelt(db, &o, &st, &err), 0);
            char *q = t_query(db, "SELECT (SELECT status FROM fetch_file), "
                                  "(SELECT count(*) FROM ingest_file)");
            T_ASSERT_STR(q, "ingested|1\n");
            bilat_free(q);
        }
        bilat_db_close(db);
        unlink(dbp);
        char side[4200];
        snprintf(side, sizeof(side), "%s-wal", dbp);
        unlink(side);
        snprintf(side, sizeof(side), "%s-shm", dbp);
        unlink(side);
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("update_out_of_memory", tries - 1, last);
}
