/*
 * t_evidence.c: the independent-evidence importers (ChinaVitae, CEIAS, AidData financial
 * diplomacy, UNGDC speeches): readers with bad rows and missing values, the sentence splitter
 * and title classifier, the speech vocabulary and its matcher, ingests into a store (counts,
 * coded and uncoded engagements, idempotent reloads, errors), migration 50 keeping coded
 * events, the profile's party sides, narratives and network rules, the contacts sections, the
 * speech_overlap measure, and out-of-memory cleanliness.
 * Fixtures: tests/data/evidence (made-up rows), tests/data/mini, data/reference, data/khm-chn
 * (run from the project root).
 */
#include "t.h"
#include "t_util.h"

#include "analytics/claims.h"
#include "analytics/contacts.h"
#include "analytics/narratives.h"
#include "analytics/network.h"
#include "analytics/dyad.h"
#include "analytics/profile.h"
#include "analytics/speeches.h"
#include "bilat.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "ingest/engage.h"
#include "ingest/records.h"
#include "ingest/speech_vocab.h"
#include "store/claim_syntax.h"
#include "store/db.h"
#include "store/migrations.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#define EV "tests/data/evidence"

/* ------------------------------------------------------------------------------------------ */
/* Splitting and classifying                                                                  */

T_TEST(cv_split_forms)
{
    struct cv_split s;
    const char *t1 = "Xi Jinping was in Beijing Municipality and met with the following:  Ri Yong "
                     "Ho (Foreign Minister of the Democratic People's Republic of Korea (DPRK)) "
                     "Kim Example (Ambassador) Others Attending: Wang Yi, Yang Jiechi";
    cv_split_text(t1, strlen(t1), &s);
    T_ASSERT(s.list);
    T_ASSERT(!s.travelled);
    T_ASSERT_STR(s.place, "Beijing Municipality");
    T_ASSERT_EQ_INT(s.n, 2);
    T_ASSERT_EQ_INT(s.items[0].name_len, strlen("Ri Yong Ho"));
    T_ASSERT(strncmp(s.items[0].name, "Ri Yong Ho", s.items[0].name_len) == 0);
    T_ASSERT(strncmp(s.items[0].title,
                     "Foreign Minister of the Democratic People's Republic of Korea (DPRK)",
                     s.items[0].title_len) == 0);
    T_ASSERT_EQ_INT(s.items[0].title_len,
                    strlen("Foreign Minister of the Democratic People's Republic of Korea (DPRK)"));
    T_ASSERT(strncmp(s.items[1].name, "Kim Example", s.items[1].name_len) == 0);

    const char *t2 = "Li Keqiang travelled to Canada, Ottawa ";
    cv_split_text(t2, strlen(t2), &s);
    T_ASSERT(!s.list);
    T_ASSERT(s.travelled);
    T_ASSERT_STR(s.place, "Canada, Ottawa");
    T_ASSERT_EQ_INT(s.n, 0);

    const char *t3 = "Hu's trip deepens bilateral ties: experts (Beijing Municipality) ";
    cv_split_text(t3, strlen(t3), &s);
    T_ASSERT(!s.list && !s.travelled);
    T_ASSERT_STR(s.place, "Beijing Municipality");

    const char *t4 = "Wen Jiabao travelled to Denmark, Copenhagen Others Attending: Dai Bingguo";
    cv_split_text(t4, strlen(t4), &s);
    T_ASSERT_STR(s.place, "Denmark, Copenhagen");
    T_ASSERT(s.travelled && !s.list);

    /* a name without a title, and an unclosed title, are still counterparts */
    const char *t5 = "X was in Y and met with the following: Someone (Unclosed title";
    cv_split_text(t5, strlen(t5), &s);
    T_ASSERT_EQ_INT(s.n, 1);
    T_ASSERT(strncmp(s.items[0].title, "Unclosed title", s.items[0].title_len) == 0);
    cv_split_text(NULL, 0, &s);
    T_ASSERT_EQ_INT(s.n, 0);
    T_ASSERT_STR(s.place, "");
}

T_TEST(engage_title_classes)
{
    static const struct {
        const char *title, *channel;
        enum engage_rank rank;
    } cases[] = {
        {"Cambodian Prime Minister", NULL, ENGAGE_RANK_LEADER},
        {"Cambodian Deputy Prime Minister and Foreign Minister", NULL, ENGAGE_RANK_SENIOR},
        {"General Secretary of the Communist Party of Vietnam Central Committee", "party",
         ENGAGE_RANK_LEADER},
        {"Lao President and Secretary-General of the Laos People's Revolutionary Party", "party",
         ENGAGE_RANK_LEADER},
        {"Vietnamese Communist Party Leader", "party", ENGAGE_RANK_LEADER},
        {"Member of the Political Bureau of the Central Committee of the CPV", "party",
         ENGAGE_RANK_MINISTERIAL},
        {"Special envoy of General Secretary of the Communist Party of Vietnam", "party",
         ENGAGE_RANK_SENIOR},
        {"President of the Cambodian National Assembly", NULL, ENGAGE_RANK_MINISTERIAL},
        {"President of Laos", NULL, ENGAGE_RANK_LEADER},
        {"King of Cambodia", NULL, ENGAGE_RANK_LEADER},
        {"Cambodian Queen Mother", NULL, ENGAGE_RANK_SENIOR},
        {"Former King of Cambodia", NULL, ENGAGE_RANK_SENIOR},
        {"Cambodian Defence Minister", "military", ENGAGE_RANK_MINISTERIAL},
        {"Chief of the General Staff of the Thai Army", "military", ENGAGE_RANK_SENIOR},
        {"U.S. Secretary of State", NULL, ENGAGE_RANK_MINISTERIAL},
        {"Pakistani Ambassador to China", NULL, ENGAGE_RANK_SENIOR},
        {"Chairman of the Kuomintang", "party", ENGAGE_RANK_LEADER},
        {"partygoer", NULL, ENGAGE_RANK_SENIOR},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *t = cases[i].title;
        const char *ch = engage_title_channel(t, strlen(t));
        if ((ch == NULL) != (cases[i].channel == NULL) ||
            (ch && strcmp(ch, cases[i].channel) != 0))
            T_FAIL_("channel of '%s': %s", t, ch ? ch : "(none)");
        if (engage_title_rank(t, strlen(t)) != cases[i].rank)
            T_FAIL_("rank of '%s': %d, not %d", t, (int)engage_title_rank(t, strlen(t)),
                    (int)cases[i].rank);
    }
    T_ASSERT(engage_title_channel(NULL, 0) == NULL);
    T_ASSERT_EQ_INT(engage_title_rank("", 0), ENGAGE_RANK_NONE);
    T_ASSERT_STR(engage_rank_level(ENGAGE_RANK_LEADER), "leader");
    T_ASSERT(engage_rank_level(ENGAGE_RANK_NONE) == NULL);
}

T_TEST(engage_leaders_and_codes)
{
    const struct cv_leader *xi = cv_leader_find("xi jinping");
    T_ASSERT(xi != NULL);
    T_ASSERT_STR(xi->code, "CHNXIJINPING");
    T_ASSERT_EQ_INT(cv_leader_rank(xi, "2012-11-14"), ENGAGE_RANK_MINISTERIAL);
    T_ASSERT_EQ_INT(cv_leader_rank(xi, "2012-11-15"), ENGAGE_RANK_LEADER);
    const struct cv_leader *hu = cv_leader_find("Hu Jintao");
    T_ASSERT_EQ_INT(cv_leader_rank(hu, "2013-03-14"), ENGAGE_RANK_LEADER);
    T_ASSERT_EQ_INT(cv_leader_rank(hu, "2013-03-15"), ENGAGE_RANK_MINISTERIAL);
    T_ASSERT_EQ_INT(cv_leader_rank(cv_leader_find("Wang Yi"), "2016-01-01"),
                    ENGAGE_RANK_MINISTERIAL);
    T_ASSERT(cv_leader_find("Zhou Enlai") == NULL);
    T_ASSERT(cv_leader_find(NULL) == NULL);
    char code[32];
    T_ASSERT(engage_person_code("Zhou Enlai", code, sizeof(code)));
    T_ASSERT_STR(code, "CHNZHOUENLAI");
    T_ASSERT(!engage_person_code("  -- ", code, sizeof(code)));
    T_ASSERT(!engage_person_code("A very long name that does not fit at all", code, 16));
    T_ASSERT_STR(ceias_level_channel("Leader CCP"), "party");
    T_ASSERT_STR(ceias_level_channel("Premier"), "government");
    T_ASSERT_STR(ceias_level_channel(NULL), "government");
}

/* ------------------------------------------------------------------------------------------ */
/* The speech vocabulary                                                                      */

static long count_in(const char *text, const char *const *variants, const char **first)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    if (speech_normalise(text, strlen(text), &b, NULL) < 0)
        return -2;
    long n = speech_count(b.buf, b.len, variants, first);
    bilat_buf_release(&b);
    return n;
}

T_TEST(speech_vocab_matching)
{
    struct bilat_buf b = BILAT_BUF_INIT;
    size_t words = 0;
    const char *t = "The RULES\xe2\x80\x93" "BASED order, \xc3\x89QUALITY; each other\xe2\x80\x99s.";
    T_ASSERT_EQ_INT(speech_normalise(t, strlen(t), &b, &words), 0);
    T_ASSERT_STR(b.buf, " the rules based order \xc3\xa9quality each other s ");
    T_ASSERT_EQ_INT(words, 8);
    bilat_buf_release(&b);

    const struct vocab_term *rbo = speech_vocab_find("rules-based-order");
    const struct vocab_term *eq = speech_vocab_find("equality");
    const struct vocab_term *ni = speech_vocab_find("non-interference");
    T_ASSERT(rbo && eq && ni);
    const char *first = NULL;
    T_ASSERT_EQ_INT(count_in("A rules-based order; a Rules Based International Order.",
                             rbo->variants, &first),
                    2);
    T_ASSERT_STR(first, "rules based order");
    /* word boundaries: inequality is not equality */
    T_ASSERT_EQ_INT(count_in("Inequality grows. Equality matters, equality.", eq->variants, NULL),
                    2);
    T_ASSERT_EQ_INT(count_in("inequalities", eq->variants, &first), 0);
    T_ASSERT(first == NULL);
    /* two variants matching the same phrase count once; separate phrases count apart */
    T_ASSERT_EQ_INT(count_in("non-interference in the internal affairs of States, and "
                             "non-interference again",
                             ni->variants, &first),
                    2);
    T_ASSERT_STR(first, "non interference");
    T_ASSERT_EQ_INT(count_in("", ni->variants, NULL), 0);
    /* invalid UTF-8 bytes are blanks */
    T_ASSERT_EQ_INT(count_in("mutual\xff" "respect", speech_vocab_find("mutual-respect")->variants,
                             NULL),
                    1);

    /* every variant is in normal form, every key unique */
    size_t n;
    const struct vocab_term *v = speech_vocab(&n);
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(v[i].key, v[j].key) == 0)
                T_FAIL_("key %s twice", v[i].key);
        for (size_t k = 0; k < VOCAB_MAX_VARIANTS && v[i].variants[k]; k++) {
            struct bilat_buf nb = BILAT_BUF_INIT;
            char want[256];
            snprintf(want, sizeof(want), " %s ", v[i].variants[k]);
            speech_normalise(v[i].variants[k], strlen(v[i].variants[k]), &nb, NULL);
            int same = strcmp(nb.buf, want) == 0;
            bilat_buf_release(&nb);
            if (!same)
                T_FAIL_("variant '%s' of %s is not in normal form", v[i].variants[k], v[i].key);
        }
    }
    /* every principle key of the shipped concepts has a vocabulary entry */
    FILE *f = fopen("data/khm-chn/concept_principles.tsv", "r");
    T_ASSERT(f != NULL);
    char line[1024];
    int header = 1, keys = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (header) {
            header = 0;
            continue;
        }
        char *tab = strchr(line, '\t'), *tab2 = tab ? strchr(tab + 1, '\t') : NULL;
        if (!tab || !tab2)
            continue;
        *tab2 = '\0';
        keys++;
        if (!speech_vocab_find(tab + 1)) {
            fclose(f);
            T_FAIL_("principle %s has no vocabulary entry", tab + 1);
        }
    }
    fclose(f);
    T_ASSERT(keys > 20);
}

/* ------------------------------------------------------------------------------------------ */
/* Readers                                                                                    */

struct rows {
    int good, bad;
    char lines[512];  /* "line:reason|" of the rejected rows */
    char first_country[64];
    int missing_text; /* rows passed with text NULL */
    int missing_level;
    int missing_amount;
    char desc[200];
};

static void on_reject(void *ctx, uint64_t line, const char *msg)
{
    struct rows *r = ctx;
    r->bad++;
    size_t k = strlen(r->lines);
    snprintf(r->lines + k, sizeof(r->lines) - k, "%llu|", (unsigned long long)line);
    (void)msg;
}

static int on_cv(void *ctx, const struct cv_row *row)
{
    struct rows *r = ctx;
    if (!r->good++)
        snprintf(r->first_country, sizeof(r->first_country), "%s", row->country);
    r->missing_text += row->text == NULL;
    return 0;
}

static int on_ceias(void *ctx, const struct ceias_row *row)
{
    struct rows *r = ctx;
    r->good++;
    r->missing_level += row->level == NULL;
    return 0;
}

static int on_fd(void *ctx, const struct finproj_row *row)
{
    struct rows *r = ctx;
    if (!r->good++)
        snprintf(r->desc, sizeof(r->desc), "%s", row->description);
    r->missing_amount += !row->has_amount;
    return 0;
}

static int on_speech(void *ctx, const struct ungdc_row *row)
{
    struct rows *r = ctx;
    r->good++;
    (void)row;
    return 0;
}

T_TEST(evidence_readers_bad_rows)
{
    struct bilat_err err = {0};
    struct rows r = {0};
    struct engage_sink es = {&r, on_cv, on_ceias, on_reject};
    T_ASSERT_EQ_INT(engage_read_chinavitae(EV "/chinavitae.csv", &es, &err), 0);
    /* rows 10, 11, 15 and 16 fail in the reader; leaders and country names are the writer's
     * to check */
    T_ASSERT_EQ_INT(r.good, 12);
    T_ASSERT_STR(r.lines, "10|11|15|16|");
    T_ASSERT_STR(r.first_country, "Cambodia");
    T_ASSERT_EQ_INT(r.missing_text, 1);

    memset(&r, 0, sizeof(r));
    T_ASSERT_EQ_INT(engage_read_ceias(EV "/ceias.csv", &es, &err), 0);
    T_ASSERT_EQ_INT(r.good, 6);
    T_ASSERT_STR(r.lines, "7|8|10|");
    T_ASSERT_EQ_INT(r.missing_level, 1);

    memset(&r, 0, sizeof(r));
    struct finproj_sink fs = {&r, on_fd, on_reject};
    T_ASSERT_EQ_INT(finproj_read(EV "/fd.csv", &fs, &err), 0);
    T_ASSERT_EQ_INT(r.good, 5);
    T_ASSERT_STR(r.lines, "5|6|9|");
    T_ASSERT_STR(r.desc, "The school was named \"Friendship School\".\nIt opened in 2011.");
    T_ASSERT_EQ_INT(r.missing_amount, 1);

    memset(&r, 0, sizeof(r));
    struct ungdc_sink us = {&r, on_speech, on_reject};
    T_ASSERT_EQ_INT(ungdc_read(EV "/ungdc.jsonl", &us, &err), 0);
    T_ASSERT_EQ_INT(r.good, 7);
    T_ASSERT_STR(r.lines, "6|7|8|9|10|");

    /* a file of another kind: its header says so, with the file and line */
    memset(&r, 0, sizeof(r));
    T_ASSERT_EQ_INT(engage_read_chinavitae(EV "/ceias.csv", &es, &err), BILAT_EPARSE);
    T_ASSERT(strstr(err.msg, "header has no column 'date'") != NULL);
    T_ASSERT_EQ_INT(err.line, 1);
    T_ASSERT_EQ_INT(finproj_read(EV "/ceias.csv", &fs, &err), BILAT_EPARSE);
    T_ASSERT_EQ_INT(engage_read_ceias(t_write_file("empty.csv", ""), &es, &err), BILAT_EPARSE);
    T_ASSERT(strstr(err.msg, "empty file") != NULL);
    T_ASSERT_EQ_INT(ungdc_read(t_path("nosuch.jsonl"), &us, &err), BILAT_ENOTFOUND);
}

/* ------------------------------------------------------------------------------------------ */
/* Ingests                                                                                    */

static bilat_coder *test_coder(void)
{
    const char *dicts[] = {EV "/dict"};
    struct bilat_coder_opts co = {dicts, 1, EV "/ref/cameo.tsv", 0, {NULL, NULL}};
    bilat_coder *c = NULL;
    struct bilat_err err = {0};
    if (bilat_coder_new(&co, &c, &err) < 0)
        fprintf(stderr, "coder: %s\n", err.msg);
    return c;
}

/* A store with the evidence reference fixture loaded. */
static bilat_db *ref_store(const char *name)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    unlink(t_path(name));
    if (bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err) < 0)
        return NULL;
    const char *dirs[] = {EV "/ref"};
    if (bilat_load_dirs(db, dirs, 1, NULL, NULL, &err) < 0) {
        fprintf(stderr, "load: %s\n", err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

/* Ingest the four fixtures; 0 or the first error. */
static int ingest_all(bilat_db *db, bilat_coder *coder, struct t_diags *d,
                      struct bilat_evidence_stats st[4], struct bilat_err *err)
{
    static const char *const files[4] = {EV "/chinavitae.csv", EV "/ceias.csv", EV "/fd.csv",
                                         EV "/ungdc.jsonl"};
    for (int k = 0; k < 4; k++) {
        struct bilat_evidence_opts o = {NULL, coder, {t_collect, d}};
        const char *one[1] = {files[k]};
        int rc = bilat_evidence_ingest(db, (enum bilat_evidence_kind)k, one, 1, &o, &st[k], err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

T_TEST(evidence_ingest_fixtures)
{
    bilat_db *db = ref_store("ev.db");
    bilat_coder *coder = test_coder();
    T_ASSERT(db && coder);
    struct t_diags d = {0};
    struct bilat_evidence_stats st[4];
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(ingest_all(db, coder, &d, st, &err), 0);
    /* ChinaVitae: 16 rows, 8 bad (reported with file:line), one event per good row here */
    T_ASSERT_EQ_INT(st[0].rows, 16);
    T_ASSERT_EQ_INT(st[0].rejected, 8);
    T_ASSERT_EQ_INT(st[0].events, 8);
    T_ASSERT_EQ_INT(st[0].coded, 4);
    T_ASSERT_EQ_INT(st[0].uncoded, 4);
    T_ASSERT(strstr(d.all, "chinavitae.csv:13: unknown country 'Atlantis'") != NULL);
    T_ASSERT(strstr(d.all, "chinavitae.csv:14: the country is China itself") != NULL);
    T_ASSERT(strstr(d.all, "chinavitae.csv:17: not a country 'World'") != NULL);
    T_ASSERT(strstr(d.all, "ceias.csv:7: bad year '19x5'") != NULL);
    T_ASSERT(strstr(d.all, "fd.csv:8: duplicate project_id '11'") != NULL);
    T_ASSERT(strstr(d.all, "ungdc.jsonl:8: the text does not match its \"sha1\"") != NULL);
    T_ASSERT(strstr(d.all, "ungdc.jsonl:12: a second statement of KHM in 2020") != NULL);
    T_ASSERT_EQ_INT(st[1].events, 5);
    T_ASSERT_EQ_INT(st[1].rejected, 4);
    T_ASSERT_EQ_INT(st[2].projects, 3);
    T_ASSERT_EQ_INT(st[2].rejected, 5);
    T_ASSERT_EQ_INT(st[3].speeches, 5);
    T_ASSERT_EQ_INT(st[3].rejected, 7);
    T_ASSERT_EQ_INT(st[3].terms, 11);

    char *v = t_query(db, "SELECT e.locator, s.code, t.code, e.cameo, e.channel, e.level, "
                          "e.mode, i.status FROM event e JOIN actor s ON s.id = e.src_actor_id "
                          "JOIN actor t ON t.id = e.tgt_actor_id JOIN event_import i ON "
                          "i.event_id = e.id WHERE e.dataset = 'ingest:chinavitae' ORDER BY e.id");
    T_ASSERT_STR(v, "chinavitae.csv:2|CHNXIJINPING|KHMHUNSEN|040|government|leader|meeting|coded\n"
                    /* the Thai counterpart of a Cambodia row is not this row's */
                    "chinavitae.csv:3|CHNXIJINPING|KHMSIHAMONI|040|government|leader|visit|coded\n"
                    /* "Sen Hun" read again as "Hun Sen" */
                    "chinavitae.csv:4|CHNWENJIABAO|KHMHUNSEN|040|government|leader|meeting|coded\n"
                    /* a party office in the title: the party channel and a party actor */
                    "chinavitae.csv:5|CHNWANGYI|LAOPTY|040|party|leader|visit|coded\n"
                    /* the coder does not know Hu Jintao: an engagement record */
                    "chinavitae.csv:6|CHNHUJINTAO|KHM|04|government|leader|meeting|uncoded\n"
                    /* the coder reads Thailand: never stored as a wrong-country event */
                    "chinavitae.csv:7|CHNXIJINPING|KHM|04|government|leader|meeting|uncoded\n"
                    "chinavitae.csv:8|CHNXIJINPING|LAO|04|government|leader|meeting|uncoded\n"
                    /* no text: still an engagement (England is the United Kingdom) */
                    "chinavitae.csv:9|CHNWANGYI|GBR|04|government|ministerial|meeting|uncoded\n");
    bilat_free(v);
    v = t_query(db, "SELECT reason FROM event_import WHERE input = 'chinavitae.csv' AND line = 7");
    T_ASSERT(v && strstr(v, "no coded event with China and Cambodia") && strstr(v, "THAGOV"));
    bilat_free(v);
    v = t_query(db, "SELECT count(*) FROM event WHERE dataset = 'ingest:chinavitae' AND "
                    "(goldstein IS NULL OR quad IS NULL)");
    T_ASSERT_STR(v, "0\n");
    bilat_free(v);
    /* CEIAS: year precision, the party channel for a party leader's trip */
    v = t_query(db, "SELECT e.date_from, e.precision, s.code, t.code, e.channel, e.mode, "
                    "e.level FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON "
                    "t.id = e.tgt_actor_id WHERE e.dataset = 'ingest:ceias' ORDER BY e.id");
    T_ASSERT_STR(v, "1956|year|CHNZHOUENLAI|KHM|government|visit|leader\n"
                    "2016|year|CHNXIJINPING|KHM|government|visit|leader\n"
                    "2016|year|CHNXIJINPING|KHM|government|visit|leader\n"
                    "2006|year|CHNHUJINTAO|LAO|party|visit|leader\n"
                    "1955|year|CHNZHOUENLAI|DDR|government|visit|leader\n");
    bilat_free(v);
    /* projects: missing amounts stay missing */
    v = t_query(db, "SELECT project_id, recipient, coalesce(amount, 'NULL'), "
                    "coalesce(usd_2017, 'NULL') FROM finance_project ORDER BY project_id");
    T_ASSERT_STR(v, "11|KHM|1000000.0|1200000.5\n12|KHM|NULL|NULL\n13|LAO|5.0|0.9\n");
    bilat_free(v);
    /* speeches: China's 1969 statement is the Republic of China delegation's */
    v = t_query(db, "SELECT actor, year, coalesce(delegation, '-'), (SELECT group_concat(term) "
                    "FROM (SELECT term FROM speech_term t WHERE t.speech_id = s.id ORDER BY "
                    "term)) FROM speech s ORDER BY year, actor");
    T_ASSERT_STR(v, "CHN|1969|Republic of China|un-charter\n"
                    "CHN|2020|-|belt-and-road,multilateralism,shared-future,sovereignty\n"
                    "KHM|2020|-|multilateralism,non-interference,sovereignty\n"
                    "CHN|2021|-|global-development-initiative\n"
                    "KHM|2021|-|asean-centrality,rules-based-order\n");
    bilat_free(v);

    /* idempotent: a second ingest replaces the rows of the same files */
    char *before = t_query(db, "SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM "
                               "event_import), (SELECT count(*) FROM speech), (SELECT count(*) "
                               "FROM speech_term), (SELECT count(*) FROM finance_project), "
                               "(SELECT count(*) FROM actor)");
    struct bilat_evidence_stats st2[4];
    T_ASSERT_EQ_INT(ingest_all(db, coder, NULL, st2, &err), 0);
    char *after = t_query(db, "SELECT (SELECT count(*) FROM event), (SELECT count(*) FROM "
                              "event_import), (SELECT count(*) FROM speech), (SELECT count(*) "
                              "FROM speech_term), (SELECT count(*) FROM finance_project), "
                              "(SELECT count(*) FROM actor)");
    T_ASSERT_STR(after, before);
    bilat_free(before);
    bilat_free(after);
    T_ASSERT_EQ_INT(st2[0].replaced, 8);
    T_ASSERT_EQ_INT(st2[0].actors, 0);
    T_ASSERT_EQ_INT(st2[3].replaced, 5);
    v = t_query(db, "SELECT name, files, records FROM dataset WHERE name LIKE 'ingest:%' ORDER "
                    "BY name");
    T_ASSERT_STR(v, "ingest:aiddata-fd|1|3\ningest:ceias|1|5\ningest:chinavitae|1|8\n"
                    "ingest:ungdc|1|5\n");
    bilat_free(v);

    /* errors that stop a run leave the store as it was */
    struct bilat_evidence_opts o = {"nosuch", coder, {NULL, NULL}};
    const char *one[1] = {EV "/ceias.csv"};
    T_ASSERT_EQ_INT(bilat_evidence_ingest(db, BILAT_EVIDENCE_CEIAS, one, 1, &o, NULL, &err),
                    BILAT_ENOTFOUND);
    T_ASSERT(strstr(err.msg, "unknown source 'nosuch'") != NULL);
    o.source_id = NULL;
    o.coder = NULL;
    T_ASSERT_EQ_INT(bilat_evidence_ingest(db, BILAT_EVIDENCE_CHINAVITAE, one, 1, &o, NULL, &err),
                    BILAT_EINVAL);
    const char *wrong[1] = {EV "/fd.csv"};
    T_ASSERT_EQ_INT(bilat_evidence_ingest(db, BILAT_EVIDENCE_CEIAS, wrong, 1, &o, NULL, &err),
                    BILAT_EPARSE);
    const char *missing[1] = {EV "/nosuch.csv"};
    T_ASSERT_EQ_INT(bilat_evidence_ingest(db, BILAT_EVIDENCE_CEIAS, missing, 1, &o, NULL, &err),
                    BILAT_ENOTFOUND);
    v = t_query(db, "SELECT count(*) FROM event WHERE dataset = 'ingest:ceias'");
    T_ASSERT_STR(v, "5\n");
    bilat_free(v);
    bilat_db_close(db);

    /* without the reference tables nothing can be matched */
    bilat_db *empty = NULL;
    T_ASSERT_EQ_INT(bilat_db_open(t_path("ev-empty.db"), BILAT_OPEN_CREATE, &empty, &err), 0);
    T_ASSERT_EQ_INT(bilat_evidence_ingest(empty, BILAT_EVIDENCE_CEIAS, one, 1, &o, NULL, &err),
                    BILAT_ENOTFOUND);
    T_ASSERT(strstr(err.msg, "country table") != NULL);
    bilat_db_close(empty);
    bilat_coder_free(coder);
    T_ASSERT_STR(bilat_evidence_kind_name(BILAT_EVIDENCE_AIDDATA_FD), "aiddata-fd");
    T_ASSERT_STR(bilat_evidence_default_source(BILAT_EVIDENCE_UNGDC), "ungdc-v13");
    T_ASSERT(strstr(bilat_evidence_external_path(BILAT_EVIDENCE_CEIAS), "diplomacy/ceias") ==
             bilat_evidence_external_path(BILAT_EVIDENCE_CEIAS));
}

/* ------------------------------------------------------------------------------------------ */
/* Migration 50                                                                               */

T_TEST(migration_50_keeps_coded_events)
{
    /* a store as bilat wrote it before version 50, with a coded event */
    const char *path = t_path("v30.db");
    unlink(path);
    sqlite3 *s = NULL;
    T_ASSERT_EQ_INT(sqlite3_open(path, &s), SQLITE_OK);
    int rc = sqlite3_exec(s,
                          "PRAGMA foreign_keys=ON; CREATE TABLE schema_version(version INTEGER "
                          "PRIMARY KEY, applied_at TEXT NOT NULL, description TEXT NOT NULL)",
                          NULL, NULL, NULL);
    size_t n;
    const struct store_migration *m = store_migrations(&n);
    for (size_t i = 0; rc == SQLITE_OK && i < n && m[i].version < 50; i++) {
        rc = sqlite3_exec(s, m[i].sql, NULL, NULL, NULL);
        char ins[200];
        snprintf(ins, sizeof(ins),
                 "INSERT INTO schema_version VALUES (%d, '2026-01-01T00:00:00Z', 'x')",
                 m[i].version);
        if (rc == SQLITE_OK)
            rc = sqlite3_exec(s, ins, NULL, NULL, NULL);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(
            s,
            "INSERT INTO actor(id, code, name, kind) VALUES (1, 'KHM', 'Cambodia', 'state'), "
            "(2, 'CHN', 'China', 'state');"
            "INSERT INTO event(id, ref, date_from, precision, src_actor_id, tgt_actor_id, cameo, "
            "origin, dataset) VALUES (7, 'r1', '2020', 'year', 1, 2, '040', 'coded', 'coded'), "
            "(8, 'c1', '2021', 'year', 2, 1, '042', 'curated', 'x');"
            "INSERT INTO coded_event(event_id, sentence_id, input, line, src_code, src_text, "
            "verb_text) VALUES (7, '1', 'in.txt', 1, 'KHM', 'Cambodia', 'met')",
            NULL, NULL, NULL);
    sqlite3_close(s);
    T_ASSERT_EQ_INT(rc, SQLITE_OK);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(path, BILAT_OPEN_CREATE, &db, &err), 0);
    T_ASSERT(bilat_db_schema_version(db) >= 50);
    char *v = t_query(db, "SELECT e.id, e.origin, c.input, c.verb_text FROM event e LEFT JOIN "
                          "coded_event c ON c.event_id = e.id ORDER BY e.id");
    T_ASSERT_STR(v, "7|coded|in.txt|met\n8|curated|<null>|<null>\n");
    bilat_free(v);
    v = t_query(db, "SELECT count(*) FROM pragma_foreign_key_check");
    T_ASSERT_STR(v, "0\n");
    bilat_free(v);
    v = t_query(db, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE "
                    "type = 'index' AND tbl_name = 'event' AND name LIKE 'event_%' ORDER BY "
                    "name)");
    T_ASSERT_STR(v, "event_dataset,event_date,event_src,event_tgt\n");
    bilat_free(v);
    struct bilat_buf b = BILAT_BUF_INIT;
    T_ASSERT_EQ_INT(bilat_sql_each(db,
                                   "INSERT INTO event(ref, date_from, precision, origin) VALUES "
                                   "('i', '2020', 'year', 'imported')",
                                   t_row_text, &b, &err),
                    0);
    T_ASSERT_EQ_INT(bilat_sql_each(db,
                                   "INSERT INTO event(ref, date_from, precision, origin) VALUES "
                                   "('j', '2020', 'year', 'bogus')",
                                   t_row_text, &b, &err),
                    BILAT_ESQL);
    /* deleting an event still deletes how it was coded */
    T_ASSERT_EQ_INT(bilat_sql_each(db, "DELETE FROM event WHERE id = 7", t_row_text, &b, &err),
                    0);
    v = t_query(db, "SELECT count(*) FROM coded_event");
    T_ASSERT_STR(v, "0\n");
    bilat_free(v);
    bilat_buf_release(&b);
    bilat_db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* The profile: sides, narratives, network, contacts, speeches                                */

/* The rows of section `id` of a document (borrowed), or NULL. */
static const json_t *rows_of(const json_t *doc, const char *id)
{
    size_t i;
    const json_t *s;
    json_array_foreach(json_object_get(doc, "sections"), i, s)
    {
        if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
            return json_object_get(s, "rows");
    }
    return NULL;
}

/* Does some row of `rows` hold the strings a and b in columns ca and cb? */
static bool has_row(const json_t *rows, size_t ca, const char *a, size_t cb, const char *b)
{
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *x = json_string_value(json_array_get(r, ca));
        const char *y = json_string_value(json_array_get(r, cb));
        if (x && y && strcmp(x, a) == 0 && strcmp(y, b) == 0)
            return true;
    }
    return false;
}

T_TEST(profile_party_sides)
{
    /* mini: Hun Sen is CPP president from 2015-06 */
    char dir[4096], cmd[9000];
    snprintf(dir, sizeof(dir), "%s/mini-party", t_tmpdir);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s' && cp -r tests/data/mini '%s'", dir, dir);
    T_ASSERT_EQ_INT(system(cmd), 0);
    char p[4200];
    snprintf(p, sizeof(p), "%s/actors.tsv", dir);
    FILE *f = fopen(p, "ab");
    T_ASSERT(f != NULL);
    fputs("KHMHUNMANET\tHun Manet\tperson\tKHM\nCHNGOVPTYCPCILD\tCPC International "
          "Department\torganisation\tCHN\n",
          f);
    fclose(f);
    snprintf(p, sizeof(p), "%s/events.tsv", dir);
    f = fopen(p, "ab");
    T_ASSERT(f != NULL);
    /* before the office: not the party's; after it: the party's; an organ's party-channel
     * contact with a Cambodian without a party office: the parties' (the Youth House) */
    fputs("p-1\t2015-05\t\tmonth\tKHMHUNSEN\tCHNGOVPTYCPC\t040\tgovernment\tmeeting\tleader\t\t\t"
          "\tBefore.\tbrief\tx\n"
          "p-2\t2016-05\t\tmonth\tKHMHUNSEN\tCHNGOVPTYCPC\t040\tgovernment\tmeeting\tleader\t\t\t"
          "\tAfter.\tbrief\tx\n"
          "p-3\t2023-01\t\tmonth\tCHNGOVPTYCPCILD\tKHMHUNMANET\t040\tparty\tmeeting\tworking"
          "\t\t\t\tYouth.\tbrief\tx\n"
          "p-4\t2023-02\t\tmonth\tCHNGOVPTYCPCILD\tKHMHUNMANET\t040\tgovernment\tmeeting\t"
          "working\t\t\t\tNot party.\tbrief\tx\n",
          f);
    fclose(f);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("party.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {dir};
    if (bilat_load_dirs(db, dirs, 1, NULL, NULL, &err) < 0)
        T_FAIL_("load: %s", err.msg);
    struct bilat_profile_opts o = {.a = "KHMGOVPTYCPP", .b = "CHNGOVPTYCPC"};
    json_t *doc = NULL;
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    const json_t *tl = rows_of(doc, "timeline");
    T_ASSERT(tl != NULL);
    size_t i;
    const json_t *r;
    char refs[200] = "";
    json_array_foreach(tl, i, r)
    {
        size_t k = strlen(refs);
        snprintf(refs + k, sizeof(refs) - k, "%s ", json_string_value(json_array_get(r, 13)));
    }
    /* m-1, m-3 (party to party), p-2, p-3, and m-4: Hun Sen's 2020 visit to China is no
     * contact with the CPC */
    T_ASSERT_STR(refs, "m-1 m-3 p-2 p-3 ");
    json_decref(doc);
    /* a country side is unchanged: all four Cambodia-China records are there */
    o.a = "KHM";
    o.b = "CHN";
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    T_ASSERT_EQ_INT(json_array_size(rows_of(doc, "timeline")), 7);
    json_decref(doc);
    bilat_db_close(db);
}

/* The refs a query gives with the sides bound, space-separated and sorted, into out. */
static int refs_of(bilat_db *db, const char *sql, const struct dyad_side *a,
                   const struct dyad_side *b, char *out, size_t len)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s\n", sqlite3_errmsg(db->db));
        return -1;
    }
    dyad_bind_sides(st, a, b);
    out[0] = '\0';
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t k = strlen(out);
        snprintf(out + k, len - k, "%s ", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return 0;
}

T_TEST(profile_side_queries_agree)
{
    /* Every way the side fragments are used gives the same events (SQLite 3.40 flattened an
     * unmaterialized candidate CTE into one of these shapes and lost a party-channel record). */
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(t_path("shapes.db"), BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {"tests/data/mini", "tests/data/claims-mini"};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 2, NULL, NULL, &err), 0);
    struct dyad_side a, b;
    T_ASSERT_EQ_INT(dyad_resolve(db, "KHMGOVPTYCPP", &a, &err), 0);
    T_ASSERT_EQ_INT(dyad_resolve(db, "CHNGOVPTYCPC", &b, &err), 0);
    static const char *const shapes[] = {
        "WITH " DYAD_SIDE_CTE ", " DYAD_EVENTS_CTE("ev", "1") "SELECT ref FROM ev WHERE "
        DYAD_WHERE " OR " DYAD_ONE_SIDED " ORDER BY ref",
        "SELECT ref FROM event WHERE id IN (WITH " DYAD_SIDE_CTE ", "
        DYAD_EVENTS_CTE("ev", "1") "SELECT id FROM ev WHERE " DYAD_WHERE " OR "
        DYAD_ONE_SIDED ") ORDER BY ref",
        "WITH " DYAD_SIDE_CTE ", " DYAD_EVENTS_CTE("ev", "1") ", dy AS (SELECT * FROM ev "
        "WHERE " DYAD_WHERE " OR " DYAD_ONE_SIDED ") SELECT ref FROM dy ORDER BY ref",
        "WITH " DYAD_SIDE_CTE ", " DYAD_EVENTS_CTE("ev", "1") "SELECT ev.ref FROM ev LEFT "
        "JOIN event_import i ON i.event_id = ev.id WHERE " DYAD_WHERE " OR "
        DYAD_ONE_SIDED " ORDER BY ev.ref",
    };
    char want[400], got[400];
    T_ASSERT_EQ_INT(refs_of(db, shapes[0], &a, &b, want, sizeof(want)), 0);
    /* the party visit of the 1996 and 2011 records, the range record, and Hun Manet's
     * party-channel visit to the CPC in 2022 */
    T_ASSERT_STR(want, "cm-3 m-1 m-2 m-3 ");
    for (size_t i = 1; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        T_ASSERT_EQ_INT(refs_of(db, shapes[i], &a, &b, got, sizeof(got)), 0);
        T_ASSERT_STR(got, want);
    }
    bilat_db_close(db);
}

/* A store with the shipped reference and Cambodia-China records. */
static bilat_db *shipped_store(const char *name)
{
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    unlink(t_path(name));
    if (bilat_db_open(t_path(name), BILAT_OPEN_CREATE, &db, &err) < 0)
        return NULL;
    const char *dirs[] = {"data/reference", "data/khm-chn"};
    if (bilat_load_dirs(db, dirs, 2, NULL, NULL, &err) < 0) {
        fprintf(stderr, "load: %s\n", err.msg);
        bilat_db_close(db);
        return NULL;
    }
    return db;
}

T_TEST(narratives_and_network_of_the_dyad)
{
    bilat_db *db = shipped_store("shipped.db");
    T_ASSERT(db != NULL);
    struct bilat_err err = {0};
    struct dyad_side lao, chn, khm;
    T_ASSERT_EQ_INT(dyad_resolve(db, "LAO", &lao, &err), 0);
    T_ASSERT_EQ_INT(dyad_resolve(db, "CHN", &chn, &err), 0);
    T_ASSERT_EQ_INT(dyad_resolve(db, "KHM", &khm, &err), 0);
    json_t *secs = json_array();
    T_ASSERT_EQ_INT(narratives_sections(db, &lao, &chn, secs, &err), 0);
    json_t *doc = json_pack("{s:O}", "sections", secs);
    const json_t *rows = rows_of(doc, "concepts");
    size_t i;
    const json_t *r;
    json_array_foreach(rows, i, r)
    {
        const char *id = json_string_value(json_array_get(r, 0));
        const char *by = json_string_value(json_array_get(r, 8));
        /* the CPP-CPC principles are neither Laos's nor China's concept */
        if (strcmp(id, "cpp-cpc-ties") == 0)
            T_FAIL_("cpp-cpc-ties in a Laos-China profile");
        /* Cambodia's endorsements are not Laos's */
        if (by && strstr(by, "Cambodia"))
            T_FAIL_("%s endorsed by %s in a Laos-China profile", id, by);
    }
    T_ASSERT(json_array_size(rows) >= 5);
    json_decref(doc);
    json_array_clear(secs);
    T_ASSERT_EQ_INT(narratives_sections(db, &khm, &chn, secs, &err), 0);
    doc = json_pack("{s:O}", "sections", secs);
    rows = rows_of(doc, "concepts");
    bool ties = false, brii = false;
    json_array_foreach(rows, i, r)
    {
        const char *id = json_string_value(json_array_get(r, 0));
        const char *by = json_string_value(json_array_get(r, 8));
        ties |= strcmp(id, "cpp-cpc-ties") == 0;
        brii |= strcmp(id, "belt-and-road") == 0 && by && strstr(by, "Royal Government");
    }
    T_ASSERT(ties && brii);
    json_decref(doc);
    json_decref(secs);

    /* the 2020-02-10 visit (Hun Sen to the Chinese government) is drawn with Xi Jinping, who
     * received Hun Manet that day as president of that government */
    secs = json_array();
    T_ASSERT_EQ_INT(network_sections(db, &khm, &chn, 0, 9999, secs, &err), 0);
    doc = json_pack("{s:O}", "sections", secs);
    const json_t *edges = rows_of(doc, "network_edges");
    T_ASSERT(has_row(edges, 0, "KHMHUNSEN", 1, "CHNXIJINPING"));
    T_ASSERT(has_row(edges, 0, "KHMHUNMANET", 1, "CHNXIJINPING"));
    /* a year-precision record is not matched with that day: the CPP's field visits stay with
     * the CPC */
    T_ASSERT(!has_row(edges, 0, "KHMGOVPTYCPP", 1, "CHNXIJINPING"));
    json_array_foreach(edges, i, r)
    {
        if (strcmp(json_string_value(json_array_get(r, 0)), "KHMHUNSEN") == 0 &&
            strcmp(json_string_value(json_array_get(r, 1)), "CHNGOV") == 0)
            T_ASSERT_STR(json_string_value(json_array_get(r, 6)), "2022-02");
    }
    json_decref(doc);
    json_decref(secs);
    bilat_db_close(db);
}

/* One thread of network_from_threads: its own connection, `rounds` networks of KHM-CHN. */
struct netrun {
    const char *path;
    int rounds;
    int failed;
};

static void *network_thread(void *arg)
{
    struct netrun *n = arg;
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    struct dyad_side khm, chn;
    if (bilat_db_open(n->path, BILAT_OPEN_READONLY, &db, &err) < 0 ||
        dyad_resolve(db, "KHM", &khm, &err) < 0 || dyad_resolve(db, "CHN", &chn, &err) < 0)
        n->failed = 1;
    for (int r = 0; r < n->rounds && !n->failed; r++) {
        json_t *secs = json_array();
        if (!secs || network_sections(db, &khm, &chn, 1990 + r % 30, 9999, secs, &err) < 0)
            n->failed = 1;
        json_decref(secs);
    }
    bilat_db_close(db);
    return NULL;
}

T_TEST(network_from_threads)
{
    /* The server builds networks on several threads at once. igraph, as Debian builds it, is
     * not thread-safe: without the lock around it (network.c) this aborted in igraph
     * ("Corrupt finally stack") within a few rounds. */
    bilat_db *db = shipped_store("network-threads.db");
    T_ASSERT(db != NULL);
    bilat_db_close(db);
    enum { NT = 4 };
    pthread_t t[NT];
    struct netrun n[NT];
    for (int k = 0; k < NT; k++) {
        n[k] = (struct netrun){t_path("network-threads.db"), 500, 0};
        T_ASSERT_EQ_INT(pthread_create(&t[k], NULL, network_thread, &n[k]), 0);
    }
    for (int k = 0; k < NT; k++) {
        pthread_join(t[k], NULL);
        T_ASSERT_EQ_INT(n[k].failed, 0);
    }
}

T_TEST(contacts_and_speech_sections)
{
    bilat_db *db = ref_store("sections.db");
    bilat_coder *coder = test_coder();
    T_ASSERT(db && coder);
    struct bilat_evidence_stats st[4];
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(ingest_all(db, coder, NULL, st, &err), 0);
    bilat_coder_free(coder);
    struct bilat_profile_opts o = {.a = "KHM", .b = "CHN"};
    json_t *doc = NULL;
    T_ASSERT_EQ_INT(profile_build(db, &o, &doc, &err), 0);
    /* Cambodia rows: ChinaVitae lines 2, 3, 4, 6, 7 and CEIAS lines 2, 3, 4 */
    T_ASSERT_EQ_INT(json_array_size(rows_of(doc, "contact_records")), 8);
    const json_t *c = rows_of(doc, "contacts");
    size_t i;
    const json_t *r;
    long engagements = 0, uncoded = 0;
    json_array_foreach(c, i, r)
    {
        engagements += (long)json_integer_value(json_array_get(r, 4));
        uncoded += (long)json_integer_value(json_array_get(r, 7));
    }
    T_ASSERT_EQ_INT(engagements, 8);
    T_ASSERT_EQ_INT(uncoded, 2);
    /* 2016 CEIAS: two rows, two engagements (not merged with ChinaVitae's 2016 visit) */
    bool ceias2016 = false;
    json_array_foreach(c, i, r)
    {
        if (json_integer_value(json_array_get(r, 0)) == 2016 &&
            strcmp(json_string_value(json_array_get(r, 1)), "ceias-who-where-when") == 0)
            ceias2016 = json_integer_value(json_array_get(r, 4)) == 2;
    }
    T_ASSERT(ceias2016);
    T_ASSERT_EQ_INT(json_array_size(rows_of(doc, "finance_projects")), 2);
    const json_t *eco = rows_of(doc, "economy_by_year");
    T_ASSERT_EQ_INT(json_array_size(eco), 1);
    T_ASSERT_EQ_INT(json_integer_value(json_array_get(json_array_get(eco, 0), 5)), 2);
    T_ASSERT_NEAR(json_real_value(json_array_get(json_array_get(eco, 0), 6)), 1200000.5, 1e-6);
    /* speeches: 2020 shares sovereignty and multilateralism of 5 terms; 2021 nothing of 3; the
     * 1969 statement is the Republic of China's and left out */
    const json_t *ov = rows_of(doc, "speech_overlap");
    T_ASSERT_EQ_INT(json_array_size(ov), 2);
    T_ASSERT_NEAR(json_real_value(json_array_get(json_array_get(ov, 0), 7)), 0.4, 1e-9);
    T_ASSERT_NEAR(json_number_value(json_array_get(json_array_get(ov, 1), 7)), 0, 1e-9);
    T_ASSERT_STR(json_string_value(json_array_get(json_array_get(ov, 0), 8)),
                 "sovereignty, multilateralism");
    const json_t *terms = rows_of(doc, "speech_terms");
    bool sov = false;
    json_array_foreach(terms, i, r)
    {
        if (strcmp(json_string_value(json_array_get(r, 0)), "sovereignty") == 0)
            sov = json_integer_value(json_array_get(r, 3)) == 1 &&
                  fabs(json_real_value(json_array_get(r, 4)) - 0.5) < 1e-9 &&
                  fabs(json_real_value(json_array_get(r, 6)) - 0.5) < 1e-9;
        if (strcmp(json_string_value(json_array_get(r, 0)), "un-charter") == 0)
            T_FAIL_("the 1969 statement counted");
    }
    T_ASSERT(sov);
    /* the sources cite the datasets */
    const char *ids = "";
    char all[400] = "";
    json_array_foreach(json_object_get(doc, "sources"), i, r)
    {
        ids = json_string_value(json_object_get(r, "id"));
        size_t k = strlen(all);
        snprintf(all + k, sizeof(all) - k, "%s ", ids);
    }
    T_ASSERT_STR(all, "aiddata-fd-v2 ceias-who-where-when chinavitae-engagements ungdc-v13 ");
    json_decref(doc);
    bilat_db_close(db);
}

/* Run the claim measure on a call; the value (NAN when none) and the series length. */
static int measure(bilat_db *db, const char *call, double *value, size_t *npoints,
                   json_t **evidence)
{
    struct claim_call c;
    char why[200];
    if (claim_call_parse(call, &c, why, sizeof(why)) < 0) {
        fprintf(stderr, "%s: %s\n", call, why);
        return -100;
    }
    struct claim_mresult r;
    memset(&r, 0, sizeof(r));
    struct bilat_err err = {0};
    claim_measure_fn *fn = claim_measure_impl(c.name);
    int rc = fn ? fn(db, &c, &r, &err) : -101;
    *value = r.has_value ? r.value : NAN;
    *npoints = r.n;
    if (evidence)
        *evidence = json_incref(r.evidence);
    claim_mresult_release(&r);
    return rc;
}

T_TEST(speech_overlap_measure_values)
{
    bilat_db *db = ref_store("measure.db");
    T_ASSERT(db != NULL);
    struct bilat_evidence_stats st;
    struct bilat_err err = {0};
    const char *one[1] = {EV "/ungdc.jsonl"};
    struct bilat_evidence_opts o = {NULL, NULL, {NULL, NULL}};
    T_ASSERT_EQ_INT(bilat_evidence_ingest(db, BILAT_EVIDENCE_UNGDC, one, 1, &o, &st, &err), 0);
    double v;
    size_t np;
    json_t *ev = NULL;
    /* (0.4 + 0) / 2 */
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN", &v, &np, &ev), 0);
    T_ASSERT_NEAR(v, 0.2, 1e-12);
    T_ASSERT_EQ_INT(np, 2);
    const json_t *rows = json_object_get(ev, "rows");
    T_ASSERT_EQ_INT(json_array_size(rows), 2);
    T_ASSERT_STR(json_string_value(json_array_get(json_array_get(rows, 0), 1)), "ungdc.jsonl:1");
    T_ASSERT_STR(json_string_value(json_array_get(json_array_get(rows, 0), 2)), "ungdc.jsonl:2");
    T_ASSERT_STR(json_string_value(json_array_get(json_array_get(rows, 0), 7)), "ungdc-v13");
    json_decref(ev);
    /* a term list: 2020 {sov, mult} both sides = 1; 2021 {rules-based order} against {} = 0 */
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN terms=sovereignty,multilateralism,"
                                "rules-based-order",
                            &v, &np, NULL),
                    0);
    T_ASSERT_NEAR(v, 0.5, 1e-12);
    /* China's 2020 terms: 2 of 4 in Cambodia's; 2021: 0 of 1 */
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN stat=share_of_b", &v, &np, NULL), 0);
    T_ASSERT_NEAR(v, 0.25, 1e-12);
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN stat=shared", &v, &np, NULL), 0);
    T_ASSERT_NEAR(v, 1.0, 1e-12);
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN from=2021 to=2021", &v, &np, NULL),
                    0);
    T_ASSERT_NEAR(v, 0, 1e-12);
    /* a year with one side only has no value */
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN from=1960 to=1970 roc=1", &v, &np,
                            NULL),
                    0);
    T_ASSERT(isnan(v));
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN terms=nosuch", &v, &np, NULL),
                    BILAT_EINVAL);
    T_ASSERT_EQ_INT(measure(db, "speech_overlap a=KHM b=CHN stat=mean", &v, &np, NULL),
                    BILAT_EINVAL);
    bilat_db_close(db);
}

T_TEST(evidence_out_of_memory_is_clean)
{
    /* Fail the n-th allocation for n = 1, 2, ... until the ingests and a profile succeed; each
     * failing run must return BILAT_ENOMEM and leak nothing (ASan checks). */
    if (!t_oom_can_run("evidence_out_of_memory_is_clean"))
        return;
    unsigned long tries = 0, last = 0;
    int done = 0;
    for (unsigned long n = 1; n < 400000 && !done; n = t_oom_next(n)) {
        char name[64];
        snprintf(name, sizeof(name), "ev-oom-%lu.db", n);
        bilat_db *db = ref_store(name);
        if (!db)
            T_FAIL_("cannot set up the store");
        bilat_coder *coder = test_coder();
        if (!coder)
            T_FAIL_("cannot load the test dictionary");
        struct bilat_evidence_stats st[4];
        struct bilat_err err = {0};
        bilat_alloc_fail_after(n);
        int rc = ingest_all(db, coder, NULL, st, &err);
        char *text = NULL;
        struct bilat_profile_opts o = {.a = "KHM", .b = "CHN"};
        if (rc == 0)
            rc = bilat_profile_render(db, &o, BILAT_FORMAT_TEXT, &text, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = n;
        bilat_free(text);
        bilat_coder_free(coder);
        bilat_db_close(db);
        unlink(t_path(name));
        if (rc != 0 && rc != BILAT_ENOMEM)
            T_FAIL_("allocation %lu: unexpected %s: %s", n, bilat_errname(rc), err.msg);
        done = rc == 0;
        if (done && getenv("T_VERBOSE"))
            fprintf(stderr, "evidence_out_of_memory_is_clean: succeeded from allocation %lu on\n",
                    n);
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("evidence_out_of_memory_is_clean", tries - 1, last);
}
