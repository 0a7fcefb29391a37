/*
 * t_coder_match.c: the coder on news usage and on Southeast Asian parties. Each wrong match
 * found while coding real text is a test here: which phrase names which actor (a longer name
 * wins over a short one inside it, a country adjective inside a party's name does not make the
 * party of that country), titles in brackets and appositions attached to their person, lists of
 * titled names, statements with and without a target (--monadic), talks and telephone calls,
 * courts, protests, clashes, reported speech, passives, places. The last test scores the coder
 * on the ChinaVitae engagement sentences when ../shared holds them (their terms do not allow
 * shipping them).
 * Run from the project root (the shipped dictionaries are read from data/).
 */
#include "t.h"
#include "t_util.h"

#include "bilat.h"
#include "core/alloc.h"
#include "core/buf.h"

#include <stdlib.h>
#include <unistd.h>

static int on_entities(void *ctx, const struct bilat_coded_sentence *s)
{
    struct bilat_buf *b = ctx;
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        bilat_buf_addf(b, "%s%s|%s", b->len ? ";" : "", e->source_entity, e->target_entity);
    }
    return 0;
}

/* The named actors (source_entity|target_entity) of the events of a line, joined by ';'. */
static const char *entities(bilat_coder *c, const char *line)
{
    return t_coder_text(c, line, on_entities);
}

/* ---------------------------------------------------------------------------------------------
 * Which phrase names which actor
 * ------------------------------------------------------------------------------------------ */

/* Wrong matches found on real text, each with the match it used to give. */
T_TEST(coder_match_party_names)
{
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    /* was CFRREB (PETRARCH's "people's revolutionary party", a Central African group) */
    T_ASSERT_STR(
        t_coder_events(c, "2019-04-29\tA delegation of the Lao People's Revolutionary Party met "
                          "Chinese President Xi Jinping."),
        "LAOGOVPTYLPR|CHNGOV|040");
    /* was VNM: the whole name is the party */
    T_ASSERT_STR(t_coder_events(c,
                                "2018-03-20\tThe Communist Party of Vietnam praised the Cambodian "
                                "People's Party."),
                 "VNMGOVPTYCPV|KHMGOVPTYCPP|051");
    /* was CHN: "Chinese" inside the name of a Malaysian party */
    T_ASSERT_STR(
        t_coder_events(c, "2016-04-17\tThe Malaysian Chinese Association praised the Communist "
                          "Party of China."),
        "MYSGOVPTYMCA|CHNGOVPTYCPC|051");
    /* was CPP -> KHM: "to Cambodia" after the object took the target */
    T_ASSERT_STR(
        t_coder_events(c, "2021-05-01\tThe Cambodian People's Party thanked the Communist Party "
                          "of China for donating vaccines to Cambodia."),
        "KHMGOVPTYCPP|CHNGOVPTYCPC|051");
    /* a party's code follows its place in government: the NLD governed 2016-2021 */
    T_ASSERT_STR(
        t_coder_events(c, "2015-11-01\tThe National League for Democracy criticised the USDP."),
        "MMROPPPTYNLD|MMRGOVPTYUSD|111");
    T_ASSERT_STR(
        t_coder_events(c, "2019-11-25\tThe USDP criticised the National League for Democracy."),
        "MMROPPPTYUSD|MMRGOVPTYNLD|111");
    T_ASSERT_STR(t_coder_events(c, "2018-06-01\tUMNO criticised Pakatan Harapan."),
                 "MYSOPPPTYUMN|MYSGOVPTYPKH|111");
    T_ASSERT_STR(entities(c, "2018-06-01\tUMNO criticised Pakatan Harapan."),
                 "MYSPTYUMN|MYSPTYPKH");
    /* party leaders: a state office wins over the party office held with it */
    T_ASSERT_STR(t_coder_events(c, "2015-06-01\tNguyen Phu Trong met Choummaly Sayasone."),
                 "VNMGOVPTYCPV|LAOGOV|040");
    T_ASSERT_STR(t_coder_events(c, "2019-06-01\tNguyen Phu Trong met Thongloun Sisoulith."),
                 "VNMGOV|LAOGOV|040");
    /* a person named with a party title acts for the party */
    T_ASSERT_STR(t_coder_events(c,
                                "2017-12-03\tGolkar's new chairman Airlangga Hartarto pledged the "
                                "party's full support for President Joko Widodo."),
                 "IDNGOVPTYGOL|IDNGOV|051");
    T_ASSERT_STR(
        t_coder_events(c, "2022-12-01\tXi Jinping met Thongloun Sisoulith, general secretary of "
                          "the Lao People's Revolutionary Party, in Beijing."),
        "CHNGOV|LAOGOVPTYLPR|040");
    T_ASSERT_STR(
        t_coder_events(c, "2014-11-14\tLi Keqiang met with the following: U Shwe Mann Thura "
                          "(Chairman of Myanmar's ruling Union Solidarity and Development Party "
                          "(USDP))"),
        "CHNGOV|MMRGOVPTYUSD|040");
    /* "landslide" is an election won, not a disaster that stops coding */
    T_ASSERT_STR(t_coder_events(c, "2020-11-09\tThe USDP criticised the NLD after its landslide "
                                   "victory."),
                 "MMROPPPTYUSD|MMRGOVPTYNLD|111");
    /* the heads of the CPC International Department, by date */
    T_ASSERT_STR(t_coder_events(c, "2010-09-14\tWang Jiarui met Hun Sen."),
                 "CHNGOVPTYCPCILD|KHMGOV|040");
    T_ASSERT_STR(t_coder_events(c, "2001-06-10\tDai Bingguo met Hun Sen."),
                 "CHNGOVPTYCPCILD|KHMGOV|040");
    T_ASSERT_STR(t_coder_events(c, "2010-06-10\tDai Bingguo met Hun Sen."), "CHNGOV|KHMGOV|040");
    bilat_coder_free(c);
}

/* Generic rules behind those fixes, on names no dictionary lists. */
T_TEST(coder_match_precedence)
{
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    /* a country adjective before another country's organisation names its own */
    T_ASSERT_STR(t_coder_events(c,
                                "2019-01-01\tThe Mongolian People's Revolutionary Party criticised "
                                "Laos."),
                 "MNG|LAO|111");
    /* a second country adjective inside a proper name is part of the name */
    T_ASSERT_STR(t_coder_events(c,
                                "2019-01-01\tThe Vietnamese Chinese Friendship Association praised "
                                "Laos."),
                 "VNM|LAO|051");
    /* ... but two countries side by side stay two actors */
    T_ASSERT_STR(t_coder_events(c, "2019-01-01\tCambodian and Chinese officials met Lao leaders."),
                 "KHMGOV|LAOGOV|040;CHNGOV|LAOGOV|040");
    /* "pro-Iranian" names a side taken, not the group's country */
    T_ASSERT_STR(t_coder_events(c, "2019-01-01\tThe pro-Iranian Hezbollah criticised Israel."),
                 "LBNREB|ISR|111");
    /* a title in brackets wins over a partial name match of another country before it
     * ("Khalid" alone is Saudi) */
    T_ASSERT_STR(t_coder_events(c,
                                "2015-03-01\tXi Jinping met Masood Khalid (Pakistani Ambassador to "
                                "China)."),
                 "CHNGOV|PAKGOV|040");
    /* "Kim Jong Un" is a person, not "Un" (the UN) */
    T_ASSERT_STR(t_coder_events(c, "2018-06-12\tKim Jong Un met Moon Jae-in."),
                 "PRKGOV|KORGOV|040");
    bilat_coder_free(c);
}

/* ---------------------------------------------------------------------------------------------
 * Persons with their titles
 * ------------------------------------------------------------------------------------------ */

T_TEST(coder_match_titles)
{
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    /* ChinaVitae style: a list of names with titles in brackets after "the following:" */
    T_ASSERT_STR(
        t_coder_events(c, "2018-01-10\tLi Keqiang was in Beijing Municipality and met with the "
                          "following: Sen Hun (Prime Minister of Cambodia) Lee Nak-yon (South "
                          "Korean Prime Minister) Others Attending: Wang Yi"),
        "CHNGOV|KHMGOV|040;CHNGOV|KORGOV|040");
    /* nested brackets */
    T_ASSERT_STR(t_coder_events(c, "2009-03-19\tHu Jintao met with the following: Myung-bak Lee "
                                   "(President of the Republic of Korea (ROK))"),
                 "CHNGOV|KORGOV|040");
    /* a trip to a place of one's own country is no visit; the meeting still counts */
    T_ASSERT_STR(
        t_coder_events(c, "2013-04-07\tXi Jinping travelled to Hainan Province, Boao and met with "
                          "the following: Hun Sen (Prime Minister of Cambodia)"),
        "CHNGOV|KHMGOV|040");
    T_ASSERT_STR(
        t_coder_events(c, "2013-04-07\tXi Jinping travelled to Indonesia, Jakarta and met with "
                          "the following: Hun Sen (Prime Minister of Cambodia)"),
        "CHNGOV|IDN|042;IDN|CHNGOV|043;CHNGOV|KHMGOV|040");
    /* appositions and possessives give unknown persons their country and role */
    T_ASSERT_STR(t_coder_events(c,
                                "2019-05-01\tMwai Kibaki, the president of Kenya, held talks with "
                                "Uganda's Prime Minister Ruhakana Rugunda."),
                 "KENGOV|UGAGOV|040");
    T_ASSERT_STR(t_coder_events(c,
                                "2019-05-01\tMwai Kibaki (Kenyan President) met Ruhakana Rugunda "
                                "(Prime Minister of Uganda)."),
                 "KENGOV|UGAGOV|040");
    /* headlines: comma lists before a verb and "X to visit Y" */
    T_ASSERT_STR(
        t_coder_events(c, "2015-04-20\tChina, Pakistan sign 51 agreements (Pakistan, Islamabad)"),
        "CHN|PAK|057;PAK|CHN|057");
    T_ASSERT_STR(t_coder_events(c, "2015-10-01\tRussian PM to visit China in mid-October"),
                 "RUSGOV|CHN|036;CHN|RUSGOV|036");
    bilat_coder_free(c);
}

/* ---------------------------------------------------------------------------------------------
 * News usage
 * ------------------------------------------------------------------------------------------ */

T_TEST(coder_match_statements)
{
    bilat_coder *c = t_coder_shipped(0), *m = t_coder_shipped(BILAT_CODER_MONADIC);
    T_ASSERT(c != NULL && m != NULL);
    /* a statement without a target is an event only with --monadic */
    const char *said = "2019-05-01\tKenya's foreign ministry said on Tuesday that the border "
                       "would stay closed.";
    T_ASSERT_STR(t_coder_events(c, said), "");
    T_ASSERT_STR(t_coder_events(m, said), "KENGOV||010");
    T_ASSERT_STR(
        t_coder_events(m, "2019-05-01\tThe Kenyan president speaks at a rally in Nairobi."),
        "KENGOV||010");
    /* to the press: the media are its target */
    T_ASSERT_STR(t_coder_events(c, "2019-05-01\tKenya's president spoke to reporters in Nairobi."),
                 "KENGOV|KENMED|010");
    /* a speech verb closing the sentence yields to the act it reports */
    T_ASSERT_STR(
        t_coder_events(m, "2019-05-01\tKenya will send troops to Somalia, the foreign ministry "
                          "said."),
        "KEN|SOM|0312");
    /* inverted speech: the speaker follows the verb */
    T_ASSERT_STR(t_coder_events(m, "2019-05-01\tThe border will stay closed, said Kenya's foreign "
                                   "minister."),
                 "KENGOV||010");
    /* ... but an apposition before the verb is no reported clause */
    T_ASSERT_STR(
        t_coder_events(m, "2015-09-21\tAlexis Tsipras, the leader of the Syriza party, told "
                          "supporters in Athens that the new government would stay the course."),
        "GRCGOV|GRCCVL|010");
    /* the reported subject is the target, not the speaker itself */
    T_ASSERT_STR(
        t_coder_events(m, "2022-09-08\tBuckingham Palace announced that Queen Elizabeth II had "
                          "died at Balmoral."),
        "GBRGOV||010");
    /* an actor acting on itself: no target */
    T_ASSERT_STR(t_coder_events(m, "2018-02-14\tJacob Zuma resigned as president of South Africa."),
                 "ZAFGOV||083");
    /* a sentence with an event that has a target drops those without one */
    T_ASSERT_STR(t_coder_events(m,
                                "2019-05-01\tKenya's president met Uganda's president and said the "
                                "border would reopen."),
                 "KENGOV|UGAGOV|040");
    bilat_coder_free(c);
    bilat_coder_free(m);
}

T_TEST(coder_match_talks)
{
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    T_ASSERT_STR(t_coder_events(c, "2019-05-01\tKenya's president held talks with his Ugandan "
                                   "counterpart."),
                 "KENGOV|UGAGOV|040");
    T_ASSERT_STR(t_coder_events(c, "2019-05-01\tKenya's president spoke by phone with Uganda's "
                                   "president."),
                 "KENGOV|UGAGOV|041;UGAGOV|KENGOV|041");
    /* "a phone call" is a noun, not the verb "call" */
    T_ASSERT_STR(t_coder_events(c, "2019-05-01\tKenya's president held a phone call with Uganda's "
                                   "president."),
                 "KENGOV|UGAGOV|041;UGAGOV|KENGOV|041");
    T_ASSERT_STR(t_coder_events(c,
                                "2019-05-01\tKenya's president had a telephone conversation with "
                                "Uganda's president."),
                 "KENGOV|UGAGOV|041;UGAGOV|KENGOV|041");
    /* a visit paid, begun or ended */
    T_ASSERT_STR(
        t_coder_events(c, "2023-03-21\tXi Jinping ended a three-day state visit to Moscow."),
        "CHNGOV|RUS|042;RUS|CHNGOV|043");
    T_ASSERT_STR(t_coder_events(c, "2019-05-07\tMike Pompeo made an unannounced visit to Baghdad."),
                 "USAGOV|IRQ|042;IRQ|USAGOV|043");
    /* "X and Y met" with a place: among the two, the place is no target */
    T_ASSERT_STR(t_coder_events(c,
                                "2021-03-18\tSenior American and Chinese officials held talks in "
                                "Anchorage, Alaska."),
                 "USAGOV|CHNGOV|040;CHNGOV|USAGOV|040");
    T_ASSERT_STR(t_coder_events(c,
                                "2019-05-01\tKenya's president extended condolences to Uganda over "
                                "the floods."),
                 "KENGOV|UGA|018");
    bilat_coder_free(c);
}

T_TEST(coder_match_conflict)
{
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    /* courts */
    T_ASSERT_STR(t_coder_events(c,
                                "2018-04-06\tA Seoul court sentenced Park Geun-hye to 24 years in "
                                "prison."),
                 "KORJUD|KORELI|116");
    /* passive with "by": the actor after "by" is the source (and the opposition leader is
     * of the country of its police: was ---OPP) */
    T_ASSERT_STR(
        t_coder_events(c, "2019-05-01\tThe opposition leader was arrested by Kenyan police."),
        "KENCOP|KENOPP|173");
    /* protests: role-only actors take the country of the place */
    T_ASSERT_STR(
        t_coder_events(c, "2019-05-01\tThousands of protesters marched in Nairobi against the "
                          "government."),
        "KENOPP|KENGOV|141");
    T_ASSERT_STR(t_coder_events(c, "2019-07-01\tProtesters stormed the legislature in Hong Kong."),
                 "HKGOPP|HKGLEG|145");
    /* the head before "of" is the subject (of the country of the legislature it storms: was
     * ---CVL) */
    T_ASSERT_STR(
        t_coder_events(c, "2023-01-08\tSupporters of former President Bolsonaro stormed Brazil's "
                          "Congress."),
        "BRACVL|BRALEG|145");
    /* a past form with nothing else to be the verb of is the verb */
    T_ASSERT_STR(
        t_coder_events(c, "2015-08-29\tSupporters of the Bersih movement rallied in Kuala Lumpur "
                          "against the government."),
        "MYSCVL|MYSGOV|141");
    /* ... and a reduced relative after the verb's object is not (the people are of the
     * police's country: was ---PPL) */
    T_ASSERT_STR(t_coder_events(c,
                                "2022-12-07\tGerman police arrested 25 people accused of plotting "
                                "against the government."),
                 "DEUCOP|DEUPPL|173");
    /* clashes are mutual; strikes from the air */
    T_ASSERT_STR(
        t_coder_events(c, "2012-07-19\tSyrian rebels clashed with government troops in Damascus."),
        "SYRREB|SYRMIL|190;SYRMIL|SYRREB|190");
    T_ASSERT_STR(t_coder_events(c, "2019-05-01\tKenya launched air strikes on Somali militants."),
                 "KEN|SOMUAF|195");
    T_ASSERT_STR(t_coder_events(c, "2019-05-01\tKenyan troops opened fire on Somali militants."),
                 "KENMIL|SOMUAF|190");
    /* political roles take the country of the party or opposition in the sentence */
    T_ASSERT_STR(
        t_coder_events(c, "2013-07-31\tCambodia's opposition accused the ruling party of fraud."),
        "KHMOPP|KHMGOVPTY|112");
    /* a subject we do not know after "and" is not the object before it */
    T_ASSERT_STR(
        t_coder_events(c, "2017-11-12\tXi Jinping met the Vietnamese party chief in Hanoi and "
                          "local firms signed dozens of documents."),
        "CHNGOV|VNMPTY|040");
    /* "the two sides" are the two actors named before them (was no source for "signed") */
    T_ASSERT_STR(
        t_coder_events(c, "2017-11-12\tXi Jinping met the Vietnamese party chief in Hanoi and the "
                          "two sides signed dozens of documents."),
        "CHNGOV|VNMPTY|040;CHNGOV|VNMPTY|057;VNMPTY|CHNGOV|057");
    /* dying is no act: the statement is the event */
    T_ASSERT_STR(
        t_coder_events(c, "2016-11-25\tCuban state television announced that Fidel Castro had "
                          "died."),
        "CUBMED|CUBELI|010");
    bilat_coder_free(c);
}

/* ---------------------------------------------------------------------------------------------
 * Quality on the news, party and Cambodia-China sets (docs/CODER.md, "Figures")
 * ------------------------------------------------------------------------------------------ */

struct floor {
    const char *set;     /* gold file under tests/data/coder */
    int monadic;         /* with BILAT_CODER_MONADIC */
    double root, triple; /* least root and triple F1 */
    double party;        /* least share of sentences with their party actors right, or 0 */
};

/*
 * Floors against regressions, a few points under the figures of docs/CODER.md: the development
 * sets (written with the dictionaries and rules) and their held-out parts (never looked at
 * while developing). The held-out Cambodia-China triple F1 floor is the 0.75 the coder is
 * asked to reach on such sentences.
 */
T_TEST(coder_quality_news_parties)
{
    static const struct floor floors[] = {
        {"news.gold.tsv", 0, 0.62, 0.50, 0},
        {"news.gold.tsv", 1, 0.67, 0.57, 0},
        {"news-heldout.gold.tsv", 0, 0.57, 0.43, 0},
        {"news-heldout.gold.tsv", 1, 0.57, 0.47, 0},
        {"parties.gold.tsv", 0, 0.87, 0.76, 0.77},
        {"parties.gold.tsv", 1, 0.92, 0.82, 0.90},
        {"parties-heldout.gold.tsv", 0, 0.83, 0.72, 0.74},
        {"parties-heldout.gold.tsv", 1, 0.85, 0.80, 0.76},
        {"khm-chn.gold.tsv", 0, 0.90, 0.84, 0},
        {"khm-chn.gold.tsv", 1, 0.93, 0.89, 0},
        {"khm-chn-heldout.gold.tsv", 0, 0.78, 0.75, 0},
        {"khm-chn-heldout.gold.tsv", 1, 0.80, 0.75, 0},
        {"cameo-examples.gold.tsv", 1, 0.76, 0.60, 0},
    };
    bilat_coder *c[2] = {t_coder_shipped(0), t_coder_shipped(BILAT_CODER_MONADIC)};
    T_ASSERT(c[0] != NULL && c[1] != NULL);
    for (size_t i = 0; i < sizeof(floors) / sizeof(floors[0]); i++) {
        const struct floor *f = &floors[i];
        char path[256];
        snprintf(path, sizeof(path), "tests/data/coder/%s", f->set);
        struct bilat_coder_eval ev;
        struct bilat_err err = {0};
        int rc = bilat_coder_eval(c[f->monadic], path, NULL, NULL, &ev, &err);
        if (rc < 0) {
            bilat_coder_free(c[0]);
            bilat_coder_free(c[1]);
            T_FAIL_("%s: %s", path, err.msg);
        }
        double party = ev.party_sentences ? (double)ev.party_right / (double)ev.party_sentences : 0;
        if (getenv("T_VERBOSE"))
            fprintf(stderr, "%s%s: root F1 %.3f triple F1 %.3f party %.3f\n", f->set,
                    f->monadic ? " (--monadic)" : "", ev.root.f1, ev.triple.f1, party);
        if (ev.root.f1 < f->root || ev.triple.f1 < f->triple || party < f->party) {
            bilat_coder_free(c[0]);
            bilat_coder_free(c[1]);
            T_FAIL_("%s%s: root F1 %.3f, triple F1 %.3f, party %.3f under the floors %.2f, "
                    "%.2f, %.2f",
                    f->set, f->monadic ? " (--monadic)" : "", ev.root.f1, ev.triple.f1, party,
                    f->root, f->triple, f->party);
        }
    }
    bilat_coder_free(c[0]);
    bilat_coder_free(c[1]);
}

/* ---------------------------------------------------------------------------------------------
 * Silver sets
 * ------------------------------------------------------------------------------------------ */

/* The arithmetic of a silver evaluation on a file written here. */
T_TEST(coder_silver_arithmetic)
{
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    const char *path = t_write_file(
        "silver.csv", "\"date\",\"country\",\"leader\",\"text\"\n"
                      "\"2019-04-25\",\"Cambodia\",\"Xi\",\"Xi Jinping met Hun Sen in Beijing.\"\n"
                      "\"2019-04-26\",\"Cambodia\",\"Xi\",\"Xi Jinping visited Laos.\"\n"
                      "\"2019-04-27\",\"Laos\",\"Xi\",\"The weather was fine.\"\n"
                      "\"2019-04-28\",\"Laos\",\"Xi\",\"Laos praised Xi Jinping, a friend.\"\n"
                      "\"2019-04-29\",\"Atlantis\",\"Xi\",\"Xi Jinping met Laos.\"\n");
    struct bilat_coder_silver sv;
    struct bilat_err err = {0};
    T_ASSERT_EQ_INT(bilat_coder_eval_silver(c, path, NULL, 0, NULL, NULL, &sv, &err), 0);
    T_ASSERT_EQ_INT(sv.nrows, 3);
    T_ASSERT_STR(sv.rows[0].country, "Cambodia");
    T_ASSERT_STR(sv.rows[0].code, "KHM");
    T_ASSERT_EQ_INT(sv.rows[0].sentences, 2);
    T_ASSERT_EQ_INT(sv.rows[0].coded, 2);
    T_ASSERT_EQ_INT(sv.rows[0].both, 1);
    T_ASSERT_EQ_INT(sv.rows[0].dyad, 1);
    T_ASSERT_EQ_INT(sv.rows[0].other, 1); /* Laos in a Cambodian record */
    T_ASSERT_EQ_INT(sv.rows[1].sentences, 2);
    T_ASSERT_EQ_INT(sv.rows[1].coded, 1);
    T_ASSERT_EQ_INT(sv.rows[1].both, 1);
    T_ASSERT_STR(sv.rows[2].code, ""); /* no dictionary knows Atlantis */
    T_ASSERT_EQ_INT(sv.rows[2].both, 0);
    T_ASSERT_EQ_INT(sv.total.sentences, 5);
    T_ASSERT_EQ_INT(sv.total.coded, 4);
    T_ASSERT_EQ_INT(sv.total.both, 2);
    bilat_coder_silver_release(&sv);
    /* restricted to some countries (without case) */
    const char *only[] = {"laos"};
    T_ASSERT_EQ_INT(bilat_coder_eval_silver(c, path, only, 1, NULL, NULL, &sv, &err), 0);
    T_ASSERT_EQ_INT(sv.nrows, 1);
    T_ASSERT_EQ_INT(sv.total.sentences, 2);
    bilat_coder_silver_release(&sv);
    /* a file without the columns fails */
    const char *bad = t_write_file("bad.csv", "\"date\",\"country\"\n\"2019-01-01\",\"Laos\"\n");
    T_ASSERT_EQ_INT(bilat_coder_eval_silver(c, bad, NULL, 0, NULL, NULL, &sv, &err), BILAT_EPARSE);
    T_ASSERT(strstr(err.msg, "date, country, text") != NULL);
    bilat_coder_free(c);
}

/* Out of memory anywhere in a silver evaluation: a clean BILAT_ENOMEM, nothing leaked. */
T_TEST(coder_silver_out_of_memory_is_clean)
{
    if (!t_oom_can_run("coder_silver_out_of_memory_is_clean"))
        return;
    unsigned long tries = 0, last = 0;
    const char *path = t_write_file(
        "silver-oom.csv", "\"date\",\"country\",\"text\"\n"
                          "\"2019-04-25\",\"Cambodia\",\"Xi Jinping met with the following: Sen "
                          "Hun (Prime Minister of Cambodia) Others Attending: Wang Yi\"\n"
                          "\"2019-04-26\",\"Laos\",\"Xi Jinping visited Laos.\"\n");
    bilat_coder *c = t_coder_shipped(0);
    T_ASSERT(c != NULL);
    int done = 0;
    for (unsigned long n = 1; n < 100000 && !done; n = t_oom_next(n)) {
        struct bilat_coder_silver sv;
        struct bilat_err err = {0};
        bilat_alloc_fail_after(n);
        int rc = bilat_coder_eval_silver(c, path, NULL, 0, NULL, NULL, &sv, &err);
        bilat_alloc_fail_after(0);
        tries++;
        last = n;
        if (rc == 0) {
            T_ASSERT_EQ_INT(sv.total.both, 2);
            bilat_coder_silver_release(&sv);
            done = 1;
        } else if (rc != BILAT_ENOMEM) {
            bilat_coder_free(c);
            T_FAIL_("allocation %lu: unexpected %s: %s", n, bilat_errname(rc), err.msg);
        }
    }
    bilat_coder_free(c);
    T_ASSERT(done);
    /* the last try succeeded: the ones before failed an allocation each */
    t_oom_report("coder_silver_out_of_memory_is_clean", tries - 1, last);
}

/*
 * The ChinaVitae engagement sentences of Chinese leaders with the ten ASEAN states and seven
 * major powers: at least 90 % coded, and of those at least 90 % with both China and the
 * record's country as actors, with and without --monadic. The file is read from ../shared (or
 * BILAT_CHINAVITAE); when it is not there the test says so and checks nothing else.
 */
T_TEST(coder_silver_chinavitae)
{
    const char *path = getenv("BILAT_CHINAVITAE");
    if (!path)
        path = "../shared/data/diplomacy/chinavitae_leader_engagements_2003_2018.csv";
    if (access(path, R_OK) != 0) {
        fprintf(stderr,
                "coder_silver_chinavitae: %s not present: the ChinaVitae thresholds "
                "were not checked\n",
                path);
        return;
    }
    static const char *const countries[] = {
        "Brunei",      "Cambodia",    "Indonesia", "Laos",    "Malaysia",      "Myanmar",
        "Philippines", "Singapore",   "Thailand",  "Vietnam", "United States", "Russia",
        "Japan",       "South Korea", "India",     "France",  "Pakistan"};
    const size_t n = sizeof(countries) / sizeof(countries[0]);
    for (int monadic = 0; monadic < 2; monadic++) {
        bilat_coder *c = t_coder_shipped(monadic ? BILAT_CODER_MONADIC : 0);
        T_ASSERT(c != NULL);
        struct bilat_coder_silver sv;
        struct bilat_err err = {0};
        int rc = bilat_coder_eval_silver(c, path, countries, n, NULL, NULL, &sv, &err);
        bilat_coder_free(c);
        if (rc < 0)
            T_FAIL_("%s: %s", path, err.msg);
        int found = (int)sv.nrows;
        double coded = (double)sv.total.coded / (double)sv.total.sentences;
        double both = (double)sv.total.both / (double)sv.total.coded;
        uint64_t sentences = sv.total.sentences;
        bilat_coder_silver_release(&sv);
        if (getenv("T_VERBOSE"))
            fprintf(stderr,
                    "ChinaVitae%s: %llu sentences, %.1f %% coded, %.1f %% of them with "
                    "both\n",
                    monadic ? " (--monadic)" : "", (unsigned long long)sentences, 100 * coded,
                    100 * both);
        T_ASSERT_EQ_INT(found, (int)n);
        T_ASSERT(sentences > 2000);
        if (coded < 0.90 || both < 0.90)
            T_FAIL_("ChinaVitae%s: %.1f %% coded, %.1f %% of them with China and the country "
                    "(targets 90 and 90)",
                    monadic ? " (--monadic)" : "", 100 * coded, 100 * both);
    }
}
