/*
 * t_coder.c: the event coder: tokenizer and normalisation, dictionary loading and errors,
 * curated actors and their dated roles, coding rules (passive, negation, reported speech,
 * intent, compounds, paired codes, explicit dates), bad input, evaluation arithmetic, the
 * quality targets on the gold sets, storing (idempotence, stale rows), the cross-check against
 * the curated Cambodia-China records, and out-of-memory behaviour.
 * Run from the project root (the shipped dictionaries and data are read from data/).
 */
#include "t.h"
#include "t_util.h"

#include "bilat.h"
#include "coder/coder_int.h"
#include "coder/lex.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/tsv.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *shipped[] = {"data/dictionaries"};
static const char *toy[] = {"tests/data/coder/petr-validate"};


/* What one coding call gave: "SRC|TGT|CODE@DATE" joined by ';', and the last reason. */
struct got {
    struct bilat_buf ev;
    char reason[160];
    int sentences;
    unsigned flags; /* OR of the event flags */
    char explain[4096];
};

static int on_sentence(void *ctx, const struct bilat_coded_sentence *s)
{
    struct got *g = ctx;
    g->sentences++;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        bilat_buf_addf(&g->ev, "%s%s|%s|%s@%s", g->ev.len ? ";" : "", e->source, e->target,
                       e->cameo, e->date);
        g->flags |= e->flags;
    }
    snprintf(g->reason, sizeof(g->reason), "%s", s->uncoded ? s->uncoded : "");
    if (s->explain)
        snprintf(g->explain, sizeof(g->explain), "%s", s->explain);
    return 0;
}

/* Code one input line; returns the events as text (static buffer). */
static const char *code(bilat_coder *c, const char *line, struct got *g)
{
    static char out[4096];
    bilat_buf_reset(&g->ev);
    g->reason[0] = '\0';
    g->sentences = 0;
    g->flags = 0;
    struct bilat_err err = {0};
    if (bilat_coder_line(c, line, strlen(line), "test", 1, on_sentence, g, &err) < 0)
        return "(error)";
    snprintf(out, sizeof(out), "%s", g->ev.buf);
    return out;
}

/* ---------------------------------------------------------------------------------------------
 * Tokenizer
 * ------------------------------------------------------------------------------------------ */

static const char *keys(const char *text)
{
    static char out[1024];
    struct lex lx = LEX_INIT;
    out[0] = '\0';
    if (lex_line(&lx, text, strlen(text)) == 0) {
        size_t n = 0;
        for (size_t i = 0; i < lx.n && n < sizeof(out) - 64; i++)
            n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%.*s", i ? " " : "",
                                  (int)lx.tok[i].nlen, lex_key(&lx, i));
    }
    lex_release(&lx);
    return out;
}

T_TEST(coder_lex_tokens)
{
    T_ASSERT_STR(keys("China's leader didn't meet U.S. officials, Gen. Hun Manet said."),
                 "china 's leader did n't meet u.s officials , gen hun manet said .");
    T_ASSERT_STR(keys("US and UN officials told us 11.8 and 50,000 dollars"),
                 "u.s and u.n officials told us 11.8 and 50,000 dollars");
    T_ASSERT_STR(keys("Sino-Cambodian ties; O'Brien (AP)"),
                 "sino - cambodian ties ; o'brien ( ap )");
    T_ASSERT_STR(keys("the Cambodians' view"), "the cambodians ' view");
    /* an abbreviation's period at the end of the text ends it; "Hun Sen." is a name */
    T_ASSERT_STR(keys("Sen. Lee met Gen."), "sen lee met gen .");
    T_ASSERT_STR(keys("Xi met Hun Sen. Later"), "xi met hun sen . later");
}

T_TEST(coder_lex_unicode)
{
    /* NFC, case folding and marks: all spellings of Viet Nam meet */
    T_ASSERT_STR(keys("Việt Nam"), "viet nam");
    T_ASSERT_STR(keys("VIỆT NAM"), "viet nam");
    T_ASSERT_STR(keys("Vie\xcc\xa3\xcc\x82t Nam"), "viet nam"); /* decomposed marks */
    T_ASSERT_STR(keys("Xí Jìnpíng"), "xi jinping");
    /* curly apostrophes and quotes, dashes, no-break spaces */
    T_ASSERT_STR(keys("Cambodia\xe2\x80\x99s \xe2\x80\x9c"
                      "friend\xe2\x80\x9d \xe2\x80\x94 Hun\xc2\xa0Sen"),
                 "cambodia 's \" friend \" - hun sen");
    T_ASSERT_STR(keys("ｆｕｌｌ"), "full"); /* compatibility forms */
    struct lex lx = LEX_INIT;
    T_ASSERT_EQ_INT(lex_line(&lx, "bad \xff\xfe bytes \x01 here", 20), 0);
    T_ASSERT(lx.warn & LEX_WARN_BADUTF8);
    T_ASSERT(lx.warn & LEX_WARN_NUL);
    T_ASSERT_EQ_INT(lx.n, 3);
    lex_release(&lx);
}

T_TEST(coder_lex_bad_byte_inside_word)
{
    /* a byte that is not UTF-8 is ignored: it neither ends the word nor enters its key */
    T_ASSERT_STR(keys("Hun Sen visited Chi\xffna"), "hun sen visited china");
    T_ASSERT_STR(keys("Cambo\xc3" "dia's \xe9leader"), "cambodia 's leader");
    T_ASSERT_STR(keys("Vi\xffệt Nam"), "viet nam");
    struct lex lx = LEX_INIT;
    const char *t = "visited Chi\xffna";
    T_ASSERT_EQ_INT(lex_line(&lx, t, strlen(t)), 0);
    T_ASSERT(lx.warn & LEX_WARN_BADUTF8);
    T_ASSERT_EQ_INT(lx.n, 2);
    T_ASSERT_EQ_INT(lx.tok[1].len, 6); /* the token's span keeps the byte */
    lex_release(&lx);
}

T_TEST(coder_lex_sentences)
{
    const char *t = "Mr. Hun Sen met Xi Jinping in the U.S. capital. Then China pledged aid! "
                    "\"Good,\" he said. 2023 was quiet.";
    struct lex lx = LEX_INIT;
    T_ASSERT_EQ_INT(lex_line(&lx, t, strlen(t)), 0);
    size_t ends[8], n = 0;
    for (size_t s = 0; s < lx.n && n < 8; s = lex_sentence_end(&lx, t, s))
        ends[n++] = lex_sentence_end(&lx, t, s);
    T_ASSERT_EQ_INT(n, 4);
    /* the first sentence ends after "capital ." (Mr. and U.S. do not end it) */
    T_ASSERT_EQ_INT(lx.tok[ends[0] - 2].nlen, 7);
    T_ASSERT(memcmp(lex_key(&lx, ends[0] - 2), "capital", 7) == 0);
    /* the third ends after the closing quote's sentence: "Good," he said. */
    T_ASSERT(memcmp(lex_key(&lx, ends[2] - 2), "said", 4) == 0);
    lex_release(&lx);
}

/* ---------------------------------------------------------------------------------------------
 * Dictionaries
 * ------------------------------------------------------------------------------------------ */

T_TEST(coder_dictionary_errors)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/baddict", t_tmpdir);
    mkdir(dir, 0755);
    char p[4200];
    snprintf(p, sizeof(p), "baddict/a.actors");
    t_write_file(p, "actor\tXX1\tperson\tSomeone\ncode\tXXXGOV\t2020-13\n"
                    "name\t\ncode\tXXXGOV\nfrob\tx\n");
    snprintf(p, sizeof(p), "baddict/b.verbs");
    t_write_file(p, "verb\tMEET\t040\nform\tmeet|met\npattern\t0x1\t* +\n"
                    "pattern\t040\tno verb here\npattern\t040\t* &nosuch\nform\t, bad\n");
    snprintf(p, sizeof(p), "baddict/c.roles");
    t_write_file(p, "GOV\tminister\n~GOV\tofficial\n");
    struct t_diags d = {0};
    const char *dirs[] = {dir};
    struct bilat_coder_opts o = {dirs, 1, NULL, 0, {t_collect, &d}};
    bilat_coder *c = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_coder_new(&o, &c, &err), BILAT_EPARSE);
    T_ASSERT(c == NULL);
    /* every bad line reported: bad date, empty name, unknown type, bad code, no '*', unknown
     * synset, form with no letter, role code without '~' */
    T_ASSERT_EQ_INT(d.errors, 8);
    T_ASSERT(strstr(err.msg, "8 bad dictionary lines") != NULL);
    T_ASSERT(strstr(d.last, "c.roles:1:") != NULL);
}

T_TEST(coder_dictionary_load)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    struct bilat_coder_stats s;
    bilat_coder_stats(c, &s);
    T_ASSERT(s.actors > 20000 && s.patterns > 4000 && s.roles > 5000 && s.rules > 20);
    T_ASSERT(s.load_ms > 0);
    bilat_coder_free(c);
}

/* Every curated actor and alias is known to the dictionaries with the curated code as its id. */
T_TEST(coder_curated_aliases)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    const char *files[] = {"data/khm-chn/actors.tsv", "data/khm-chn/aliases.tsv"};
    int checked = 0;
    for (int k = 0; k < 2; k++) {
        struct tsv_file f;
        struct bilat_err err = {0};
        T_ASSERT_EQ_INT(tsv_open(&f, files[k], &err), 0);
        int id_col = tsv_col(&f, k == 0 ? "code" : "actor");
        int name_col = tsv_col(&f, k == 0 ? "name" : "alias");
        while (tsv_next(&f) == 1) {
            const char *id = NULL, *code = NULL;
            int r = coder_actor_lookup(c, f.fields[name_col], 0, &id, &code);
            if (r != 1 || !id || strcmp(id, f.fields[id_col]) != 0) {
                char msg[256];
                snprintf(msg, sizeof(msg), "%s: '%s' should name %s, got %s", files[k],
                         f.fields[name_col], f.fields[id_col], r == 1 && id ? id : "(nothing)");
                tsv_close(&f);
                bilat_coder_free(c);
                T_FAIL_("%s", msg);
            }
            checked++;
        }
        tsv_close(&f);
    }
    T_ASSERT(checked > 100);
    bilat_coder_free(c);
}

static int32_t ymd(const char *s, int last)
{
    if (!*s)
        return 0;
    int y = atoi(s), m = strlen(s) >= 7 ? atoi(s + 5) : (last ? 12 : 1);
    int d = strlen(s) >= 10 ? atoi(s + 8) : (last ? 28 : 1);
    return y * 10000 + m * 100 + d;
}

/*
 * A person's code at any date of one of their curated offices is the code of an office they
 * hold at that date (never a code from nowhere): Hun Manet is KHMMIL in 2022, KHMGOV after
 * 2023-08-22; Wang Yi is CHNGOVPTYCPC between his two terms as foreign minister.
 */
T_TEST(coder_curated_roles)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    struct row {
        char person[40], org[40], from[16], to[16];
    } rows[64];
    int n = 0;
    struct tsv_file f;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(tsv_open(&f, "data/khm-chn/affiliations.tsv", &err), 0);
    int cp = tsv_col(&f, "person"), co = tsv_col(&f, "org"), cf = tsv_col(&f, "date_from"),
        ct = tsv_col(&f, "date_to");
    while (tsv_next(&f) == 1 && n < 64) {
        snprintf(rows[n].person, 40, "%s", f.fields[cp]);
        snprintf(rows[n].org, 40, "%s", f.fields[co]);
        snprintf(rows[n].from, 16, "%s", f.fields[cf]);
        snprintf(rows[n].to, 16, "%s", f.fields[ct]);
        n++;
    }
    tsv_close(&f);
    /* person codes -> names from actors.tsv */
    char names[64][64] = {{0}}, codes[64][40] = {{0}};
    int na = 0;
    T_ASSERT_EQ_INT(tsv_open(&f, "data/khm-chn/actors.tsv", &err), 0);
    while (tsv_next(&f) == 1 && na < 64) {
        snprintf(codes[na], 40, "%s", f.fields[tsv_col(&f, "code")]);
        snprintf(names[na], 64, "%s", f.fields[tsv_col(&f, "name")]);
        na++;
    }
    tsv_close(&f);
    int checked = 0;
    for (int i = 0; i < n; i++) {
        const char *name = NULL;
        for (int k = 0; k < na; k++)
            if (strcmp(codes[k], rows[i].person) == 0)
                name = names[k];
        T_ASSERT(name != NULL);
        int32_t a = ymd(rows[i].from, 0), b = rows[i].to[0] ? ymd(rows[i].to, 1) : 20250101;
        int32_t dates[3] = {a ? a : b - 10000, b, 0};
        dates[2] = (dates[0] / 10000 + dates[1] / 10000) / 2 * 10000 + 601;
        for (int k = 0; k < 3; k++) {
            int32_t d = dates[k];
            if (d < dates[0] || d > b)
                continue;
            const char *id = NULL, *code = NULL;
            T_ASSERT_EQ_INT(coder_actor_lookup(c, name, d, &id, &code), 1);
            int ok = 0;
            for (int j = 0; j < n; j++) {
                if (strcmp(rows[j].person, rows[i].person) != 0)
                    continue;
                int32_t ja = ymd(rows[j].from, 0), jb = rows[j].to[0] ? ymd(rows[j].to, 1) : 0;
                if ((!ja || ja <= d) && (!jb || d <= jb) && code && strcmp(code, rows[j].org) == 0)
                    ok = 1;
            }
            if (!ok) {
                char got[48];
                snprintf(got, sizeof(got), "%s", code ? code : "(none)");
                bilat_coder_free(c);
                T_FAIL_("%s at %d: code %s is not one of the offices held then", name, d, got);
            }
            checked++;
        }
    }
    T_ASSERT(checked >= 20);
    bilat_coder_free(c);
}

/* ---------------------------------------------------------------------------------------------
 * Coding rules
 * ------------------------------------------------------------------------------------------ */

T_TEST(coder_person_code_by_date)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    struct got g;
    memset(&g, 0, sizeof(g));
    bilat_buf_init(&g.ev);
    T_ASSERT_STR(code(c, "2022-08-04\tWang Yi met Hun Manet.", &g),
                 "CHNGOV|KHMMIL|040@2022-08-04");
    T_ASSERT_STR(code(c, "2023-09-01\tWang Yi met Hun Manet.", &g),
                 "CHNGOV|KHMGOV|040@2023-09-01");
    T_ASSERT_STR(code(c, "2023-03-01\tWang Yi met Hun Manet.", &g),
                 "CHNGOVPTYCPC|KHMMIL|040@2023-03-01");
    /* an explicit date in the sentence wins over the line's, at its precision */
    T_ASSERT_STR(code(c, "2024-01-01\tIn August 2022 Wang Yi met Hun Manet.", &g),
                 "CHNGOV|KHMMIL|040@2022-08");
    T_ASSERT_STR(code(c, "2024-01-01\tOn 10 February 2020 Hun Sen met Xi Jinping.", &g),
                 "KHMGOV|CHNGOV|040@2020-02-10");
    /* Hun Sen after he left office leads the party */
    T_ASSERT_STR(code(c, "2024-05-01\tHun Sen met Xi Jinping.", &g),
                 "KHMGOVPTYCPP|CHNGOV|040@2024-05-01");
    /* no date at all: the undated code */
    T_ASSERT_STR(code(c, "Hun Manet met Wang Yi.", &g), "KHMGOV|CHNGOV|040@");
    bilat_buf_release(&g.ev);
    bilat_coder_free(c);
}

T_TEST(coder_rules)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    struct got g;
    memset(&g, 0, sizeof(g));
    bilat_buf_init(&g.ev);
    /* passive voice: the role after "by" is the source */
    T_ASSERT_STR(code(c, "2020-01-01\tCambodia was praised by China.", &g),
                 "CHN|KHM|051@2020-01-01");
    T_ASSERT(g.flags & BILAT_EVENT_PASSIVE);
    /* negation: no agreement, and a reason */
    T_ASSERT_STR(code(c, "2020-01-01\tHun Sen did not sign the agreement with Laos.", &g), "");
    T_ASSERT(strncmp(g.reason, "negated", 7) == 0);
    T_ASSERT_STR(code(c, "2020-01-01\tCambodia never signed the deal with Laos.", &g), "");
    /* a refusal: no agreement either */
    T_ASSERT(strstr(code(c, "2020-01-01\tCambodia refused to sign the deal with Laos.", &g),
                    "|057") == NULL);
    /* reported speech: the reported act counts, the statement does not; future is intent */
    T_ASSERT_STR(code(c, "2020-01-01\tHun Sen said China would send experts to Cambodia.", &g),
                 "CHN|KHM|033@2020-01-01");
    T_ASSERT(g.flags & BILAT_EVENT_REPORTED);
    T_ASSERT(g.flags & BILAT_EVENT_INTENT);
    /* a pronoun subject takes the speaker */
    T_ASSERT_STR(code(c, "2020-01-01\tLaos said it had criticised Thailand.", &g),
                 "LAO|THA|111@2020-01-01");
    /* what is denied did not happen */
    T_ASSERT_STR(code(c, "2020-01-01\tCambodia denied that it had agreed to host a Chinese "
                         "military base.",
                      &g),
                 "");
    T_ASSERT(strncmp(g.reason, "denied", 6) == 0);
    /* compound actors and paired codes */
    T_ASSERT_STR(code(c, "2020-01-01\tCambodia and China signed a memorandum of understanding.",
                      &g),
                 "KHM|CHN|057@2020-01-01;CHN|KHM|057@2020-01-01");
    T_ASSERT_STR(code(c, "2020-01-01\tHun Sen visited Laos.", &g),
                 "KHMGOV|LAO|042@2020-01-01;LAO|KHMGOV|043@2020-01-01");
    T_ASSERT(g.flags & BILAT_EVENT_REVERSE);
    T_ASSERT_STR(code(c, "2020-01-01\tCambodian and Lao officials met Chinese leaders.", &g),
                 "KHMGOV|CHNGOV|040@2020-01-01;LAOGOV|CHNGOV|040@2020-01-01");
    /* intent: agreed to, plans to, will */
    T_ASSERT_STR(code(c, "2020-01-01\tChina will provide a loan to Cambodia.", &g),
                 "CHN|KHM|0331@2020-01-01");
    /* conditions are no events */
    T_ASSERT_STR(code(c, "2020-01-01\tLaos will sign the deal if China supports Cambodia.", &g),
                 "");
    /* no actor, no verb: reasons */
    code(c, "2020-01-01\tThe weather was fine.", &g);
    T_ASSERT_STR(g.reason, "no actor");
    code(c, "2020-01-01\tCambodia and the weather.", &g);
    T_ASSERT_STR(g.reason, "no verb pattern");
    bilat_buf_release(&g.ev);
    bilat_coder_free(c);
}

T_TEST(coder_explain)
{
    bilat_coder *c = t_coder_load(shipped, 1, BILAT_CODER_EXPLAIN, NULL);
    T_ASSERT(c != NULL);
    struct got g;
    memset(&g, 0, sizeof(g));
    bilat_buf_init(&g.ev);
    code(c, "2022-08-04\tWang Yi met Hun Manet.", &g);
    /* the trace names the dictionary entries and the verb's code with its file and line */
    T_ASSERT(strstr(g.explain, "CHNWANGYI Wang Yi, data/dictionaries/50-khm-chn.actors:") !=
             NULL);
    T_ASSERT(strstr(g.explain, "KHMHUNMANET") != NULL);
    T_ASSERT(strstr(g.explain, "verb MEET") != NULL || strstr(g.explain, "of verb MEET") != NULL);
    T_ASSERT(strstr(g.explain, "event    CHNGOV KHMMIL 040") != NULL);
    bilat_buf_release(&g.ev);
    bilat_coder_free(c);
}

static int add_name(void *ctx, const char *name, uint64_t count)
{
    struct bilat_buf *b = ctx;
    bilat_buf_addf(b, "%s=%llu;", name, (unsigned long long)count);
    return 0;
}

T_TEST(coder_unknown_names)
{
    bilat_coder *c = t_coder_load(shipped, 1, BILAT_CODER_NAMES, NULL);
    T_ASSERT(c != NULL);
    struct got g;
    memset(&g, 0, sizeof(g));
    bilat_buf_init(&g.ev);
    code(c, "Cambodia met the Zorvian Council and Minister Tal Orek.", &g);
    code(c, "Hun Sen praised the Zorvian Council.", &g);
    struct bilat_buf b = BILAT_BUF_INIT;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_coder_unknown_names(c, add_name, &b, &err), 0);
    T_ASSERT_STR(b.buf, "Zorvian Council=2;Tal Orek=1;");
    bilat_buf_release(&b);
    bilat_buf_release(&g.ev);
    bilat_coder_free(c);
}

T_TEST(coder_bad_input)
{
    struct t_diags d = {0};
    bilat_coder *c = t_coder_load(shipped, 1, 0, &d);
    T_ASSERT(c != NULL);
    struct got g;
    memset(&g, 0, sizeof(g));
    bilat_buf_init(&g.ev);
    struct bilat_err err = {0};
    /* empty and blank lines: no sentence, no warning */
    T_ASSERT_EQ_INT(bilat_coder_line(c, "", 0, "in", 1, on_sentence, &g, &err), 0);
    T_ASSERT_EQ_INT(bilat_coder_line(c, " \t \r\n", 5, "in", 2, on_sentence, &g, &err), 0);
    T_ASSERT_EQ_INT(g.sentences, 0);
    T_ASSERT_EQ_INT(d.warnings, 0);
    /* binary data: skipped with a warning naming the line */
    const char bin[] = "2020-01-01\tCambodia\0met China";
    T_ASSERT_EQ_INT(bilat_coder_line(c, bin, sizeof(bin) - 1, "in", 3, on_sentence, &g, &err), 0);
    T_ASSERT_EQ_INT(g.sentences, 0);
    T_ASSERT_STR(d.last, "in:3: binary data (control bytes), line skipped");
    /* invalid UTF-8: coded with a warning */
    code(c, "2020-01-01\tCambodia \xc3\x28 criticised Laos.", &g);
    T_ASSERT_STR(g.ev.buf, "KHM|LAO|111@2020-01-01");
    T_ASSERT(strstr(d.last, "invalid UTF-8") != NULL);
    /* a bad date: coded without it, with a warning */
    code(c, "2020-13-40\tCambodia criticised Laos.", &g);
    T_ASSERT_STR(g.ev.buf, "KHM|LAO|111@");
    T_ASSERT(strstr(d.last, "'2020-13-40' is not a date") != NULL);
    /* a 1 MB line without a sentence end: not coded, a warning */
    size_t big = 1 << 20;
    char *line = malloc(big + 1);
    T_ASSERT(line != NULL);
    for (size_t i = 0; i < big; i++)
        line[i] = "Cambodia met China and "[i % 23];
    line[big] = '\0';
    int w = d.warnings;
    T_ASSERT_EQ_INT(bilat_coder_line(c, line, big, "in", 9, on_sentence, &g, &err), 0);
    T_ASSERT_EQ_INT(d.warnings, w + 1);
    T_ASSERT(strstr(d.last, "in:9: sentence 1 has") != NULL);
    /* a 1 MB line of many sentences: all coded */
    for (size_t i = 0; i < big; i++)
        line[i] = "Cambodia met China. "[i % 20];
    g.sentences = 0;
    T_ASSERT_EQ_INT(bilat_coder_line(c, line, big, "in", 10, on_sentence, &g, &err), 0);
    T_ASSERT(g.sentences > 50000);
    free(line);
    bilat_buf_release(&g.ev);
    bilat_coder_free(c);
}

T_TEST(coder_text_with_id)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    struct got g;
    memset(&g, 0, sizeof(g));
    bilat_buf_init(&g.ev);
    struct bilat_err err = {0};
    const char *t = "Cambodia thanked China. Laos criticised Thailand.";
    T_ASSERT_EQ_INT(bilat_coder_text(c, "doc7", "2021-05", t, strlen(t), "in", 1, on_sentence,
                                     &g, &err),
                    0);
    T_ASSERT_EQ_INT(g.sentences, 2);
    T_ASSERT_STR(g.ev.buf, "KHM|CHN|051@2021-05;LAO|THA|111@2021-05");
    bilat_buf_release(&g.ev);
    bilat_coder_free(c);
}

/* ---------------------------------------------------------------------------------------------
 * Evaluation
 * ------------------------------------------------------------------------------------------ */

T_TEST(coder_eval_arithmetic)
{
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    const char *gold =
        t_write_file("g.tsv", "# comment\nid\tdate\tevents\ttext\n"
                              "a\t2020-01-01\tKHM|CHN|057;CHN|KHM|057\tCambodia and China signed "
                              "an agreement.\n"
                              "b\t2020-01-01\tKHM|LAO|040\tCambodia criticised Laos.\n"
                              "c\t2020-01-01\t\tCambodia and China signed an agreement.\n");
    struct bilat_coder_eval ev;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_coder_eval(c, gold, NULL, NULL, &ev, &err), 0);
    T_ASSERT_EQ_INT(ev.sentences, 3);
    T_ASSERT_EQ_INT(ev.gold_events, 3);
    T_ASSERT_EQ_INT(ev.coded_events, 5);
    T_ASSERT_EQ_INT(ev.root.tp, 2);
    T_ASSERT_NEAR(ev.root.precision, 2.0 / 5, 1e-12);
    T_ASSERT_NEAR(ev.root.recall, 2.0 / 3, 1e-12);
    T_ASSERT_NEAR(ev.root.f1, 2 * (0.4 * (2.0 / 3)) / (0.4 + 2.0 / 3), 1e-12);
    T_ASSERT_EQ_INT(ev.triple.tp, 2);
    T_ASSERT_EQ_INT(ev.extra_events, 2);
    T_ASSERT_NEAR(ev.extra_per_sentence, 2.0 / 3, 1e-12);
    T_ASSERT_EQ_INT(ev.exact, 1);
    /* a bad gold line is an error naming the line */
    struct t_diags d = {0};
    bilat_coder_free(c);
    c = t_coder_load(shipped, 1, 0, &d);
    gold = t_write_file("g2.tsv", "id\tdate\tevents\ttext\nx\t\tKHM|CHN\tCambodia met China.\n");
    T_ASSERT_EQ_INT(bilat_coder_eval(c, gold, NULL, NULL, &ev, &err), BILAT_EPARSE);
    T_ASSERT(strstr(d.last, "g2.tsv:2:") != NULL);
    bilat_coder_free(c);
}

static int eval_set(const char **dicts, const char *gold, struct bilat_coder_eval *ev)
{
    bilat_coder *c = t_coder_load(dicts, 1, 0, NULL);
    if (!c)
        return -1;
    struct bilat_err err = {0};
    int rc = bilat_coder_eval(c, gold, NULL, NULL, ev, &err);
    bilat_coder_free(c);
    if (rc < 0)
        fprintf(stderr, "%s: %s\n", gold, err.msg);
    return rc;
}

/* The targets of the coder (docs/CODER.md): root F1 >= 0.75, triple F1 >= 0.6 and under 0.3
 * extra events per sentence on the CAMEO manual's examples and on bilat's own set. */
T_TEST(coder_quality_targets)
{
    const char *sets[] = {"tests/data/coder/cameo-examples.gold.tsv",
                          "tests/data/coder/own.gold.tsv",
                          "tests/data/coder/own-heldout.gold.tsv"};
    for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
        struct bilat_coder_eval ev;
        T_ASSERT_EQ_INT(eval_set(shipped, sets[i], &ev), 0);
        if (getenv("T_VERBOSE"))
            fprintf(stderr, "%s: root F1 %.3f triple F1 %.3f extra %.3f\n", sets[i], ev.root.f1,
                    ev.triple.f1, ev.extra_per_sentence);
        if (ev.root.f1 < 0.75 || ev.triple.f1 < 0.6 || ev.extra_per_sentence >= 0.3)
            T_FAIL_("%s: root F1 %.3f, triple F1 %.3f, extra %.3f miss the targets", sets[i],
                    ev.root.f1, ev.triple.f1, ev.extra_per_sentence);
    }
    /* the PETRARCH unit-test records with their toy dictionaries: a floor against regressions */
    struct bilat_coder_eval ev;
    T_ASSERT_EQ_INT(eval_set(toy, "tests/data/coder/petr-unittest.gold.tsv", &ev), 0);
    T_ASSERT(ev.sentences > 250);
    if (ev.root.f1 < 0.8 || ev.triple.f1 < 0.75)
        T_FAIL_("PETRARCH unit tests: root F1 %.3f, triple F1 %.3f fell", ev.root.f1,
                ev.triple.f1);
}

/* ---------------------------------------------------------------------------------------------
 * The store
 * ------------------------------------------------------------------------------------------ */

struct store_ctx {
    bilat_code_store *st;
    int failed;
};

static int to_store(void *ctx, const struct bilat_coded_sentence *s)
{
    struct store_ctx *x = ctx;
    struct bilat_err err = {0};
    if (bilat_code_store_sentence(x->st, s, &err) < 0) {
        fprintf(stderr, "store: %s\n", err.msg);
        x->failed = 1;
        return 1;
    }
    return 0;
}

static int store_lines(bilat_db *db, bilat_coder *c, const char *const *lines, size_t n,
                       struct bilat_code_store_stats *stats)
{
    struct store_ctx x = {NULL, 0};
    struct bilat_err err = {0};
    if (bilat_code_store_begin(db, "input.txt", &x.st, &err) < 0)
        return -1;
    for (size_t i = 0; i < n && !x.failed; i++)
        bilat_coder_line(c, lines[i], strlen(lines[i]), "input.txt", i + 1, to_store, &x, &err);
    return bilat_code_store_finish(x.st, !x.failed, stats, &err) < 0 || x.failed ? -1 : 0;
}

/* t_query(), with "(error)" for a failed query so that the text can be searched. */
static char *sql(bilat_db *db, const char *q)
{
    char *r = t_query(db, q);
    return r ? r : bilat_strdup("(error)");
}

T_TEST(coder_store_idempotent)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/coded.db", t_tmpdir);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(path, BILAT_OPEN_CREATE, &db, &err), 0);
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    const char *lines[] = {"2022-08-04\tWang Yi met Hun Manet. Cambodia thanked China.",
                           "2023-09-15\tHun Manet visited Beijing.",
                           "Cambodia criticised Laos.", /* no date: not stored */
                           "2023-09-16\tThe weather was fine."};
    struct bilat_code_store_stats st;
    T_ASSERT_EQ_INT(store_lines(db, c, lines, 4, &st), 0);
    T_ASSERT_EQ_INT(st.events, 4);
    T_ASSERT_EQ_INT(st.undated, 1);
    char *first = sql(db, "SELECT e.id, e.ref, e.date_from, e.precision, s.code, t.code, e.cameo, "
                          "e.goldstein, e.quad, e.channel, e.mode, e.note, e.locator, e.dataset, "
                          "c.src_code, c.tgt_code, c.sentence_id, c.verb_text FROM event e "
                          "JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON "
                          "t.id = e.tgt_actor_id JOIN coded_event c ON c.event_id = e.id "
                          "WHERE e.origin = 'coded' ORDER BY e.ref");
    T_ASSERT(strstr(first, "|2022-08-04|day|CHNWANGYI|KHMHUNMANET|040|1.0|1|military|meeting|"
                           "Wang Yi met Hun Manet.|input.txt:1|coded|CHNGOV|KHMMIL|1.1|met") !=
             NULL);
    /* coding the same input again changes nothing */
    T_ASSERT_EQ_INT(store_lines(db, c, lines, 4, &st), 0);
    T_ASSERT_EQ_INT(st.removed, 0);
    T_ASSERT_EQ_INT(st.actors, 0);
    char *second = sql(db, "SELECT e.id, e.ref, e.date_from, e.precision, s.code, t.code, "
                           "e.cameo, e.goldstein, e.quad, e.channel, e.mode, e.note, e.locator, "
                           "e.dataset, c.src_code, c.tgt_code, c.sentence_id, c.verb_text FROM "
                           "event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON "
                           "t.id = e.tgt_actor_id JOIN coded_event c ON c.event_id = e.id "
                           "WHERE e.origin = 'coded' ORDER BY e.ref");
    T_ASSERT_STR(second, first);
    /* a line that now gives fewer events: the stale ones go, with their coded_event rows */
    const char *changed[] = {"2022-08-04\tWang Yi met Hun Manet.", lines[1], lines[2], lines[3]};
    bilat_free(second);
    second = sql(db, "SELECT count(*) FROM event WHERE origin = 'coded'");
    T_ASSERT_STR(second, "4\n");
    bilat_free(second);
    /* the changed first line has another hash: its events are new, the old line's stay */
    T_ASSERT_EQ_INT(store_lines(db, c, changed, 4, &st), 0);
    second = sql(db, "SELECT count(*), (SELECT count(*) FROM coded_event) FROM event WHERE "
                     "origin = 'coded'");
    T_ASSERT_STR(second, "5|5\n");
    bilat_free(second);
    /* actors without a curated row are made in dataset 'coded' */
    second = sql(db, "SELECT code, kind FROM actor WHERE dataset = 'coded' AND code IN "
                     "('KHMHUNMANET', 'CHN') ORDER BY code");
    T_ASSERT_STR(second, "CHN|state\nKHMHUNMANET|person\n");
    bilat_free(second);
    bilat_free(first);
    bilat_coder_free(c);
    bilat_db_close(db);
}

/* Events a sentence no longer gives (dictionary change) are removed when it is coded again. */
T_TEST(coder_store_stale)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/stale.db", t_tmpdir);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(path, BILAT_OPEN_CREATE, &db, &err), 0);
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    const char *lines[] = {"2023-09-15\tHun Manet visited Beijing. Cambodia thanked China."};
    struct bilat_code_store_stats st;
    T_ASSERT_EQ_INT(store_lines(db, c, lines, 1, &st), 0);
    T_ASSERT_EQ_INT(st.events, 3);
    bilat_coder_free(c);
    /* a dictionary without the visit: the same line now gives one event less */
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/mini-dict", t_tmpdir);
    mkdir(dir, 0755);
    t_write_file("mini-dict/a.actors", "actor\tKHM\tstate\tCambodia\nname\tHun Manet\ncode\tKHM\n"
                                       "actor\tCHN\tstate\tChina\nname\tBeijing\ncode\tCHN\n");
    t_write_file("mini-dict/b.verbs", "verb\tTHANK\t051\nform\tthank|thanked\n");
    const char *mini[] = {dir};
    c = t_coder_load(mini, 1, 0, NULL);
    T_ASSERT(c != NULL);
    T_ASSERT_EQ_INT(store_lines(db, c, lines, 1, &st), 0);
    T_ASSERT_EQ_INT(st.events, 1);
    T_ASSERT_EQ_INT(st.removed, 2);
    char *s = sql(db, "SELECT count(*), (SELECT count(*) FROM coded_event) FROM event");
    T_ASSERT_STR(s, "1|1\n");
    bilat_free(s);
    bilat_coder_free(c);
    bilat_db_close(db);
}

/*
 * Sentences written for curated records (tests/data/coder/crosscheck.tsv) coded into a store
 * holding those records: each gives an event with the record's root code, within its date,
 * with the same source and target (the same actor, or its CAMEO code at that date; or, less
 * strictly, the same country for a record of a government or party coded at state level).
 */
T_TEST(coder_crosscheck_curated)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/cross.db", t_tmpdir);
    bilat_db *db = NULL;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_db_open(path, BILAT_OPEN_CREATE, &db, &err), 0);
    const char *dirs[] = {"data/reference", "data/khm-chn"};
    T_ASSERT_EQ_INT(bilat_load_dirs(db, dirs, 2, NULL, NULL, &err), 0);
    bilat_coder *c = t_coder_load(shipped, 1, 0, NULL);
    T_ASSERT(c != NULL);
    struct tsv_file f;
    T_ASSERT_EQ_INT(tsv_open(&f, "tests/data/coder/crosscheck.tsv", &err), 0);
    char refs[64][16];
    char *lines[64];
    size_t n = 0;
    while (tsv_next(&f) == 1 && n < 64) {
        snprintf(refs[n], sizeof(refs[n]), "%s", f.fields[0]);
        struct bilat_buf b = BILAT_BUF_INIT;
        bilat_buf_addf(&b, "%s\t%s", f.fields[1], f.fields[2]);
        lines[n++] = bilat_buf_detach(&b, NULL);
    }
    tsv_close(&f);
    T_ASSERT(n >= 15);
    struct bilat_code_store_stats st;
    int rc = store_lines(db, c, (const char *const *)lines, n, &st);
    for (size_t i = 0; i < n; i++)
        bilat_free(lines[i]);
    T_ASSERT_EQ_INT(rc, 0);
    int exact = 0, country = 0;
    for (size_t i = 0; i < n; i++) {
        char q[2048];
        /* the coded events of input line i+1 that match record refs[i] */
        snprintf(q, sizeof(q),
                 "SELECT max(CASE WHEN (cs.code = ks.code OR ce.src_code = ks.code) AND "
                 "(ct.code = kt.code OR ce.tgt_code = kt.code) THEN 2 "
                 "WHEN substr(ce.src_code, 1, 3) = ks.country AND "
                 "substr(ce.tgt_code, 1, 3) = kt.country THEN 1 ELSE 0 END) "
                 "FROM event k JOIN actor ks ON ks.id = k.src_actor_id "
                 "JOIN actor kt ON kt.id = k.tgt_actor_id, event e "
                 "JOIN coded_event ce ON ce.event_id = e.id "
                 "JOIN actor cs ON cs.id = e.src_actor_id JOIN actor ct ON ct.id = e.tgt_actor_id "
                 "WHERE k.origin = 'curated' AND k.ref = '%s' AND e.origin = 'coded' "
                 "AND ce.line = %zu AND substr(e.cameo, 1, 2) = substr(k.cameo, 1, 2) "
                 "AND substr(e.date_from, 1, length(k.date_from)) = k.date_from",
                 refs[i], i + 1);
        char *r = sql(db, q);
        int m = atoi(r);
        bilat_free(r);
        if (m == 2)
            exact++;
        else if (m == 1)
            country++;
        else
            T_FAIL_("curated record %s: no coded event matches (date, root, actors)", refs[i]);
    }
    if (getenv("T_VERBOSE"))
        fprintf(stderr, "cross-check: %d exact, %d by country of %zu\n", exact, country, n);
    T_ASSERT(exact >= (int)n - 4);
    bilat_coder_free(c);
    bilat_db_close(db);
}

/* ---------------------------------------------------------------------------------------------
 * Out of memory
 * ------------------------------------------------------------------------------------------ */

T_TEST(coder_out_of_memory_is_clean)
{
    /* fail the n-th allocation for n = 1, 2, ... until loading the toy dictionaries and coding
     * a paragraph (with the trace and the unknown names) both succeed */
    if (!t_oom_can_run("coder_out_of_memory_is_clean"))
        return;
    unsigned long tries = 0, last = 0;
    int done = 0;
    for (unsigned long n = 1; n < 200000 && !done; n = t_oom_next(n)) {
        bilat_coder *c = NULL;
        struct bilat_err err = {0};
        const char *d[] = {"tests/data/coder/petr-validate"};
        struct bilat_coder_opts o = {d, 1, "data/reference/cameo.tsv",
                                     BILAT_CODER_EXPLAIN | BILAT_CODER_NAMES, {NULL, NULL}};
        struct got g;
        memset(&g, 0, sizeof(g));
        bilat_buf_init(&g.ev);
        bilat_alloc_fail_after(n);
        int rc = bilat_coder_new(&o, &c, &err);
        const char *t = "1995-01-01\tArnor is about to restore full diplomatic ties with Gondor. "
                        "Gondor's foreign minister met Zorvian Leaders. Arnor met with the "
                        "following: Elrond (Gondor's foreign minister) Radagast Brown (Arnor's "
                        "foreign minister (ret.)) Others Attending: Gondor";
        if (rc == 0)
            rc = bilat_coder_line(c, t, strlen(t), "t", 1, on_sentence, &g, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = n;
        bilat_buf_release(&g.ev);
        bilat_coder_free(c);
        if (rc != 0 && rc != BILAT_ENOMEM)
            T_FAIL_("allocation %lu: unexpected %s: %s", n, bilat_errname(rc), err.msg);
        done = rc == 0;
    }
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("coder_out_of_memory_is_clean", tries - 1, last);
}
