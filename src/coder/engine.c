/*
 * engine.c: coding one sentence into CAMEO events without a parser.
 *
 * Steps (docs/CODER.md, "How a sentence is coded"):
 *  1. Dictionary look-up: from every token, walk the phrase trie and keep the longest actor,
 *     role and verb-form match and any discard phrase.
 *  2. Actor mentions: maximal noun groups built from actor and role matches, possessives
 *     ("China's foreign minister"), "of"/"from" ("the ambassador of Laos"), titles followed by
 *     unknown capitalised names ("Minister Tran Xuan Gia"); each gets a CAMEO code at the
 *     sentence date (a person's code depends on the date). Mentions joined by "and", "or" or a
 *     comma list ending in "and" form a compound; country adjectives share the role of the
 *     compound ("Cambodian and Chinese officials").
 *  3. Verbs: verb-form matches that are not inside a mention and not used as nouns (after a
 *     determiner, a possessive, a preposition or a number; -ing forms need a form of "be").
 *     The auxiliaries before a verb give negation, future tense and the passive voice; "to"
 *     makes an infinitive, whose governing word says what it is: intent ("agreed to sign":
 *     coded, as intent), refusal ("refused to sign": negated) or a request ("urged X to sign":
 *     not coded, the request is).
 *  4. For each verb: the source is the nearest subject mention to the left in its clause
 *     (skipping appositives, relative clauses and prepositional objects; a subject pronoun takes
 *     the speaker of the surrounding reported speech, else the last source); the verb's
 *     patterns are matched against the words around it and the most specific one gives the code
 *     (ties: the later dictionary file, then the earlier line); without a pattern the verb's
 *     default code applies. The target is the pattern's '+' slot, else the first mention after
 *     the verb in its clause. Passive: the source follows "by", the target is the subject; an
 *     agent the text does not name is "---" (coercion and force only).
 *  5. Events: every source of a compound times every target; a paired code (042:043) also
 *     gives the reverse event; a compound source without a target gives the reciprocal events
 *     among its members. Negated verbs give none; future or intent maps the code through the
 *     dictionaries' intent rules. A speech verb's own event is dropped when the clause it
 *     reports gave events; a subordinate clause's when a main clause gave events; an unnamed
 *     agent's when named actors act on each other. Without events, event nouns are coded
 *     ("talks between X and Y").
 *
 * The steps live in mention.c (2), coref.c (what pronouns and "the two sides" refer to),
 * verbs.c (3), clause.c (4) and nominal.c (events named by nouns); this file holds the look-up,
 * the dates, the unknown names and the order of the steps (engine_int.h).
 *
 * Speed: everything works on word ids; per-token arrays are reused between sentences; pattern
 * candidates are filtered by a 64-bit bloom mask of the sentence's words before any matching.
 */
#include "coder/engine_int.h"

#include "core/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int engine_new(const struct dict *d, struct engine **out)
{
    struct engine *g = bilat_calloc(1, sizeof(*g));
    if (!g)
        return BILAT_ENOMEM;
    g->dateline = -1;
    g->d = d;
    g->cat = bilat_calloc(d->nwords ? d->nwords : 1, sizeof(*g->cat));
    if (!g->cat) {
        bilat_free(g);
        return BILAT_ENOMEM;
    }
    static const struct {
        enum dict_builtin w;
        uint32_t c;
    } tab[] = {
        {W_the, C_DET}, {W_a, C_DET}, {W_an, C_DET}, {W_this, C_DET}, {W_these, C_DET},
        {W_those, C_DET}, {W_its, C_DET}, {W_his, C_DET}, {W_her, C_DET}, {W_their, C_DET},
        {W_our, C_DET}, {W_my, C_DET}, {W_your, C_DET}, {W_some, C_DET}, {W_any, C_DET},
        {W_each, C_DET}, {W_every, C_DET}, {W_another, C_DET}, {W_such, C_DET},
        {W_that, C_DET | C_REL}, {W_no, C_DET}, {W_both, C_DET}, {W_whose, C_DET | C_REL},
        {W_of, C_PREP}, {W_to, C_PREP}, {W_in, C_PREP | C_LOC}, {W_on, C_PREP},
        {W_at, C_PREP | C_LOC}, {W_throughout, C_PREP | C_LOC}, {W_outside, C_PREP | C_LOC},
        {W_near, C_PREP | C_LOC}, {W_inside, C_PREP | C_LOC}, {W_vote, C_ASPECT},
        {W_votes, C_ASPECT}, {W_voted, C_ASPECT}, {W_voting, C_ASPECT},
        {W_by, C_PREP}, {W_from, C_PREP}, {W_with, C_PREP}, {W_for, C_PREP},
        {W_about, C_PREP}, {W_against, C_PREP}, {W_over, C_PREP}, {W_into, C_PREP},
        {W_under, C_PREP}, {W_among, C_PREP}, {W_through, C_PREP}, {W_upon, C_PREP},
        {W_within, C_PREP}, {W_without, C_PREP}, {W_toward, C_PREP}, {W_towards, C_PREP},
        {W_via, C_PREP}, {W_across, C_PREP | C_LOC}, {W_during, C_PREP | C_LOC},
        {W_despite, C_PREP | C_SUB},
        {W_amid, C_PREP}, {W_including, C_PREP}, {W_between, C_PREP},
        {W_after, C_PREP | C_SUB}, {W_before, C_PREP | C_SUB}, {W_since, C_PREP | C_SUB},
        {W_until, C_PREP | C_SUB}, {W_because, C_SUB}, {W_while, C_SUB}, {W_when, C_SUB},
        {W_if, C_SUB}, {W_although, C_SUB}, {W_though, C_SUB}, {W_whereas, C_SUB},
        {W_unless, C_SUB},
        {W_is, C_BE}, {W_are, C_BE}, {W_was, C_BE}, {W_were, C_BE}, {W_be, C_BE},
        {W_been, C_BE}, {W_being, C_BE}, {W_am, C_BE}, {W_has, C_HAVE}, {W_have, C_HAVE},
        {W_had, C_HAVE}, {W_having, C_HAVE}, {W_do, C_DO}, {W_does, C_DO}, {W_did, C_DO},
        {W_will, C_FUT}, {W_would, C_FUT}, {W_shall, C_FUT}, {W_ll, C_FUT},
        {W_can, C_MODAL}, {W_could, C_MODAL}, {W_may, C_MODAL | C_MONTH}, {W_might, C_MODAL},
        {W_must, C_MODAL}, {W_should, C_MODAL}, {W_not, C_NEG}, {W_nt, C_NEG},
        {W_never, C_NEG}, {W_he, C_PRON}, {W_she, C_PRON}, {W_it, C_PRON}, {W_they, C_PRON},
        {W_we, C_PRON}, {W_i, C_PRON}, {W_who, C_REL}, {W_which, C_REL}, {W_whom, C_REL},
        {W_and, C_CONJ}, {W_or, C_CONJ}, {W_but, C_CONJ}, {W_nor, C_CONJ},
        {W_say, C_SPEECH}, {W_says, C_SPEECH}, {W_said, C_SPEECH}, {W_saying, C_SPEECH},
        {W_tell, C_SPEECH}, {W_tells, C_SPEECH}, {W_told, C_SPEECH}, {W_state, C_SPEECH},
        {W_states, C_SPEECH}, {W_stated, C_SPEECH}, {W_add, C_SPEECH}, {W_adds, C_SPEECH},
        {W_added, C_SPEECH}, {W_note, C_SPEECH}, {W_noted, C_SPEECH}, {W_notes, C_SPEECH},
        {W_report, C_SPEECH}, {W_reported, C_SPEECH}, {W_reports, C_SPEECH},
        {W_announce, C_SPEECH}, {W_announced, C_SPEECH}, {W_announces, C_SPEECH},
        {W_quoted, C_SPEECH}, {W_quoting, C_SPEECH}, {W_wrote, C_SPEECH},
        {W_writes, C_SPEECH},
        {W_agree, C_INTENT}, {W_agrees, C_INTENT}, {W_agreed, C_INTENT}, {W_plan, C_INTENT},
        {W_plans, C_INTENT}, {W_planned, C_INTENT}, {W_planning, C_INTENT},
        {W_intend, C_INTENT}, {W_intends, C_INTENT}, {W_intended, C_INTENT},
        {W_pledge, C_INTENT}, {W_pledges, C_INTENT}, {W_pledged, C_INTENT},
        {W_promise, C_INTENT}, {W_promises, C_INTENT}, {W_promised, C_INTENT},
        {W_vow, C_INTENT}, {W_vows, C_INTENT}, {W_vowed, C_INTENT}, {W_decide, C_ASPECT},
        {W_decides, C_ASPECT}, {W_decided, C_ASPECT}, {W_expected, C_INTENT},
        {W_set, C_INTENT}, {W_due, C_INTENT}, {W_scheduled, C_INTENT}, {W_ready, C_INTENT},
        {W_willing, C_INTENT}, {W_likely, C_INTENT}, {W_going, C_INTENT},
        {W_want, C_INTENT}, {W_wants, C_INTENT}, {W_wanted, C_INTENT}, {W_hope, C_INTENT},
        {W_hopes, C_INTENT}, {W_hoped, C_INTENT}, {W_offer, C_INTENT},
        {W_offers, C_INTENT}, {W_offered, C_INTENT}, {W_seek, C_INTENT},
        {W_seeks, C_INTENT}, {W_sought, C_INTENT}, {W_aim, C_INTENT}, {W_aims, C_INTENT},
        {W_aimed, C_INTENT}, {W_prepared, C_INTENT}, {W_committed, C_INTENT},
        {W_resolved, C_INTENT},
        {W_refuse, C_NEGGOV}, {W_refuses, C_NEGGOV}, {W_refused, C_NEGGOV},
        {W_refusing, C_NEGGOV}, {W_fail, C_NEGGOV}, {W_fails, C_NEGGOV},
        {W_failed, C_NEGGOV}, {W_failing, C_NEGGOV}, {W_decline, C_NEGGOV},
        {W_declines, C_NEGGOV}, {W_declined, C_NEGGOV}, {W_declining, C_NEGGOV},
        {W_also, C_ADV}, {W_still, C_ADV}, {W_already, C_ADV}, {W_just, C_ADV},
        {W_now, C_ADV}, {W_again, C_ADV}, {W_once, C_ADV}, {W_soon, C_ADV},
        {W_formally, C_ADV}, {W_officially, C_ADV}, {W_jointly, C_ADV},
        {W_reportedly, C_ADV}, {W_recently, C_ADV}, {W_previously, C_ADV},
        {W_further, C_ADV}, {W_publicly, C_ADV}, {W_strongly, C_ADV}, {W_finally, C_ADV},
        {W_repeatedly, C_ADV}, {W_reluctantly, C_ADV}, {W_even, C_ADV}, {W_yet, C_ADV},
        {W_then, C_ADV}, {W_so, C_ADV}, {W_too, C_ADV}, {W_today, C_ADV | C_TIMEW},
        {W_yesterday, C_ADV | C_TIMEW}, {W_tomorrow, C_ADV | C_TIMEW}, {W_here, C_ADV},
        {W_there, C_ADV}, {W_later, C_ADV}, {W_earlier, C_ADV}, {W_longer, C_ADV},
        {W_last, C_TIMEW}, {W_next, C_TIMEW}, {W_week, C_TIMEW}, {W_month, C_TIMEW},
        {W_year, C_TIMEW},
        {W_jan, C_MONTH}, {W_feb, C_MONTH}, {W_mar, C_MONTH}, {W_apr, C_MONTH},
        {W_jun, C_MONTH}, {W_jul, C_MONTH}, {W_aug, C_MONTH}, {W_sep, C_MONTH},
        {W_oct, C_MONTH}, {W_nov, C_MONTH}, {W_dec, C_MONTH}, {W_jan3, C_MONTH},
        {W_feb3, C_MONTH}, {W_mar3, C_MONTH}, {W_apr3, C_MONTH}, {W_jun3, C_MONTH},
        {W_jul3, C_MONTH}, {W_aug3, C_MONTH}, {W_sep3, C_MONTH}, {W_sept3, C_MONTH},
        {W_oct3, C_MONTH}, {W_nov3, C_MONTH}, {W_dec3, C_MONTH},
        {W_monday, C_WDAY}, {W_tuesday, C_WDAY}, {W_wednesday, C_WDAY},
        {W_thursday, C_WDAY}, {W_friday, C_WDAY}, {W_saturday, C_WDAY}, {W_sunday, C_WDAY},
        {W_mr, C_TITLE}, {W_mrs, C_TITLE}, {W_ms, C_TITLE}, {W_where, C_REL},
        {W_deny, C_DENY}, {W_denies, C_DENY}, {W_denied, C_DENY}, {W_denying, C_DENY},
        {W_dismissed, C_DENY}, {W_rejected, C_DENY}, {W_refuted, C_DENY},
        {W_swear, C_INTENT}, {W_swore, C_INTENT}, {W_sworn, C_INTENT},
        {W_continue_, C_ASPECT}, {W_continues, C_ASPECT}, {W_continued, C_ASPECT},
        {W_begin, C_ASPECT}, {W_began, C_ASPECT}, {W_begun, C_ASPECT}, {W_begins, C_ASPECT},
        {W_start, C_ASPECT}, {W_started, C_ASPECT}, {W_starts, C_ASPECT},
        {W_resume, C_ASPECT}, {W_resumed, C_ASPECT}, {W_resumes, C_ASPECT},
        {W_two, C_NUMW}, {W_three, C_NUMW}, {W_four, C_NUMW}, {W_five, C_NUMW},
        {W_six, C_NUMW}, {W_seven, C_NUMW}, {W_eight, C_NUMW}, {W_nine, C_NUMW},
        {W_ten, C_NUMW}, {W_dozen, C_NUMW}, {W_dozens, C_NUMW}, {W_hundreds, C_NUMW},
        {W_thousands, C_NUMW}, {W_several, C_NUMW}, {W_many, C_NUMW},
        {W_claims, C_CLAIMN}, {W_claim, C_CLAIMN}, {W_allegations, C_CLAIMN},
        {W_rumours, C_CLAIMN}, {W_rumors, C_CLAIMN}, {W_speculation, C_CLAIMN},
    };
    for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
        g->cat[d->builtin[tab[i].w]] |= tab[i].c;
    *out = g;
    return 0;
}

void engine_free(struct engine *g)
{
    if (!g)
        return;
    bilat_free(g->cat);
    bilat_free(g->act_end);
    bilat_free(g->role_end);
    bilat_free(g->vb_end);
    bilat_free(g->act_idx);
    bilat_free(g->role_idx);
    bilat_free(g->vb_node);
    bilat_free(g->men_at);
    bilat_free(g->verb_at);
    bilat_free(g->men);
    bilat_free(g->men2);
    bilat_free(g->vb);
    bilat_free(g);
}

void eng_out_release(struct eng_out *o)
{
    bilat_free(o->ev);
    memset(o, 0, sizeof(*o));
}

static int grow_tokens(struct engine *g, size_t n)
{
    if (n <= g->tcap)
        return 0;
    size_t cap = g->tcap ? g->tcap : 256;
    while (cap < n)
        cap *= 2;
#define GROW(p)                                                                                    \
    do {                                                                                           \
        void *q_ = bilat_realloc_array(g->p, cap, sizeof(*g->p));                                  \
        if (!q_)                                                                                   \
            return BILAT_ENOMEM;                                                                   \
        g->p = q_;                                                                                 \
    } while (0)
    GROW(act_end);
    GROW(role_end);
    GROW(vb_end);
    GROW(act_idx);
    GROW(role_idx);
    GROW(vb_node);
    GROW(men_at);
    GROW(verb_at);
#undef GROW
    g->tcap = cap;
    return 0;
}

int eng_ex(struct ctx *c, const char *fmt, ...)
{
    if (!c->ex)
        return 0;
    va_list ap;
    va_start(ap, fmt);
    int r = bilat_buf_vaddf(c->ex, fmt, ap);
    va_end(ap);
    return r;
}

/* The original text of tokens [a, b). */
const char *eng_span(const struct ctx *c, size_t a, size_t b, int *len)
{
    if (b <= a) {
        *len = 0;
        return "";
    }
    const struct lex_tok *ta = &c->lx->tok[a], *tb = &c->lx->tok[b - 1];
    *len = (int)(tb->off + tb->len - ta->off);
    return c->text + ta->off;
}

/* Resolve an actor entry's code at the sentence date; falls back to the entry's country when a
 * known date is outside every dated code. NULL when the entry has no code. */
const char *eng_actor_code(struct ctx *c, const struct dict_actor *a, char *buf)
{
    const struct dict_code *dc = dict_actor_code(c->d, a, c->date);
    if (dc)
        return dc->code;
    const struct dict_code *any = dict_actor_code(c->d, a, 0);
    if (any && strlen(any->code) >= 3) {
        memcpy(buf, any->code, 3);
        buf[3] = '\0';
        return buf;
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Step 1: dictionary look-up
 * ------------------------------------------------------------------------------------------ */

/* Is token i a capitalised word that may be part of a name (no function word, month, day or
 * title)? */
static int cap_word(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    return t->kind == LEX_WORD && (t->flags & LEX_CAP) &&
           (t->word == 0 || t->word > c->d->nbuiltin) &&
           (wcat(c, i) & (C_MONTH | C_WDAY | C_TIMEW | C_TITLE)) == 0;
}

/*
 * May a surname (a `surname` line) be the name at tokens [i, end)? Written with a capital
 * letter and standing alone: not next to another capitalised word of a name ("Sidi Bouzid",
 * "Masood Khalid": a longer name of someone else); after a title it may ("President Modi").
 */
static int surname_at(const struct ctx *c, size_t i, size_t end)
{
    if (!(c->lx->tok[i].flags & LEX_CAP))
        return 0;
    if (i > c->s && cap_word(c, i - 1) && c->g->role_end[i - 1] == 0)
        return 0;
    return !(end < c->e && cap_word(c, end));
}

/*
 * "Algerians", "Nigerians", "Afghans": a capitalised plural no dictionary knows whose singular
 * names a country ("Algerian") names that country's people: an actor match of that country.
 */
static void demonym(struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    const char *k = lex_key(c->lx, i);
    if (t->kind != LEX_WORD || !(t->flags & LEX_CAP) || t->nlen < 5 ||
        k[t->nlen - 1] != 's' || k[t->nlen - 2] == 's' || (t->flags & LEX_ALLCAP))
        return;
    size_t n = t->nlen - 1;
    uint32_t w = dict_word(c->d, k, n, lex_hash(k, n));
    int32_t node = w ? dict_child(c->d, 0, w) : -1;
    if (node < 0 || c->d->nodes[node].actor < 0 || c->d->nodes[node].capital)
        return;
    char buf[48];
    const struct dict_actor *a = &c->d->actors[c->d->nodes[node].actor];
    const char *code = eng_actor_code(c, a, buf);
    if (a->kind == DK_PERSON || !code || strlen(code) != 3 || strncmp(code, "---", 3) == 0)
        return;
    c->g->act_end[i] = (uint32_t)i + 1;
    c->g->act_idx[i] = c->d->nodes[node].actor;
}

static int32_t lookup(struct ctx *c)
{
    const struct dict *d = c->d;
    struct engine *g = c->g;
    int32_t discard = -1;
    c->mask = 0;
    for (size_t i = c->s; i < c->e; i++) {
        g->act_end[i] = g->role_end[i] = g->vb_end[i] = 0;
        g->act_idx[i] = g->role_idx[i] = g->vb_node[i] = -1;
        g->men_at[i] = g->verb_at[i] = -1;
        uint32_t w = wid(c, i);
        if (w)
            c->mask |= dict_bit(w);
        uint32_t node = 0;
        for (size_t j = i; j < c->e; j++) {
            uint32_t wj = wid(c, j);
            if (!wj)
                break;
            int32_t ch = dict_child(d, node, wj);
            if (ch < 0)
                break;
            node = (uint32_t)ch;
            const struct dict_node *nd = &d->nodes[node];
            if (nd->actor >= 0 && (!nd->capital || surname_at(c, i, j + 1))) {
                g->act_end[i] = (uint32_t)(j + 1);
                g->act_idx[i] = nd->actor;
            }
            if (nd->role >= 0) {
                g->role_end[i] = (uint32_t)(j + 1);
                g->role_idx[i] = nd->role;
            }
            if (nd->vform >= 0) {
                g->vb_end[i] = (uint32_t)(j + 1);
                g->vb_node[i] = (int32_t)node;
            }
            if (nd->discard >= 0 && discard < 0)
                discard = nd->discard;
        }
        if (g->act_end[i] == 0 && g->role_end[i] == 0)
            demonym(c, i);
    }
    return discard;
}

/* ---------------------------------------------------------------------------------------------
 * Dates in the sentence
 * ------------------------------------------------------------------------------------------ */

static int month_of(const struct ctx *c, size_t i)
{
    static const enum dict_builtin m[][2] = {
        {W_jan, W_jan3}, {W_feb, W_feb3}, {W_mar, W_mar3}, {W_apr, W_apr3}, {W_may_m, W_may_m},
        {W_jun, W_jun3}, {W_jul, W_jul3}, {W_aug, W_aug3}, {W_sep, W_sep3}, {W_oct, W_oct3},
        {W_nov, W_nov3}, {W_dec, W_dec3}};
    uint32_t w = wid(c, i);
    if (!w)
        return 0;
    for (int k = 0; k < 12; k++)
        if (w == W(c->g, m[k][0]) || w == W(c->g, m[k][1]))
            return k + 1;
    if (w == W(c->g, W_sept3))
        return 9;
    return 0;
}

int eng_num_at(const struct ctx *c, size_t i, int lo, int hi)
{
    if (i >= c->e || c->lx->tok[i].kind != LEX_NUM || c->lx->tok[i].nlen > 4)
        return 0;
    const char *k = lex_key(c->lx, i);
    int v = 0;
    for (uint32_t j = 0; j < c->lx->tok[i].nlen; j++) {
        if (k[j] < '0' || k[j] > '9')
            return 0;
        v = v * 10 + (k[j] - '0');
    }
    return v >= lo && v <= hi ? v : 0;
}

/* An explicit date: "10 February 2020", "February 10, 2020", "August 2011", "in 2011". */
static int sentence_date(const struct ctx *c, char *buf, int32_t *ymd)
{
    for (size_t i = c->s; i < c->e; i++) {
        int mo = month_of(c, i);
        if (mo) {
            /* "may" is also a modal: a month needs a number next to it */
            int day = 0, year = 0;
            if (i > c->s && (day = eng_num_at(c, i - 1, 1, 31)) &&
                (year = eng_num_at(c, i + 1, 1900, 2099))) {
            } else if ((day = eng_num_at(c, i + 1, 1, 31)) &&
                       ((year = eng_num_at(c, i + 2, 1900, 2099)) ||
                        (is_w(c, i + 2, W_comma) && (year = eng_num_at(c, i + 3, 1900, 2099))))) {
            } else if ((year = eng_num_at(c, i + 1, 1900, 2099))) {
                day = 0;
            } else {
                continue;
            }
            if (day > bilat_days_in_month(year, mo))
                day = 0;
            if (day) {
                snprintf(buf, 11, "%04d-%02d-%02d", year, mo, day);
                *ymd = year * 10000 + mo * 100 + day;
            } else {
                snprintf(buf, 11, "%04d-%02d", year, mo);
                *ymd = year * 10000 + mo * 100 + 1;
            }
            return 1;
        }
        if ((is_w(c, i, W_in) || is_w(c, i, W_during)) && eng_num_at(c, i + 1, 1900, 2099) &&
            !is_w(c, i + 2, W_dash)) {
            int year = eng_num_at(c, i + 1, 1900, 2099);
            snprintf(buf, 11, "%04d", year);
            *ymd = year * 10000 + 101;
            return 1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Unknown names
 * ------------------------------------------------------------------------------------------ */

static int unknown_names(struct ctx *c, eng_name_fn *fn, void *ctx)
{
    const struct engine *g = c->g;
    size_t i = c->s;
    while (i < c->e) {
        const struct lex_tok *t = &c->lx->tok[i];
        int known = g->act_end[i] > i || g->role_end[i] > i ||
                    (g->men_at[i] >= 0 && !(g->men[g->men_at[i]].flags & M_NAME)) ||
                    (wid(c, i) && wcat(c, i) != 0) || g->verb_at[i] >= 0;
        if (t->kind != LEX_WORD || !(t->flags & LEX_CAP) || known) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < c->e) {
            const struct lex_tok *u = &c->lx->tok[j];
            int k2 = g->act_end[j] > j || g->role_end[j] > j ||
                     (g->men_at[j] >= 0 && !(g->men[g->men_at[j]].flags & M_NAME)) ||
                     (wid(c, j) && wcat(c, j) != 0) || g->verb_at[j] >= 0;
            if (u->kind != LEX_WORD || !(u->flags & LEX_CAP) || k2)
                break;
            j++;
        }
        /* a lone capitalised word opening the sentence is usually an ordinary word */
        if (!(i == c->s && j == i + 1)) {
            int n;
            const char *p = eng_span(c, i, j, &n);
            BILAT_TRY(fn(ctx, p, (size_t)n));
        }
        i = j;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * The sentence
 * ------------------------------------------------------------------------------------------ */

static int32_t date_ymd(const char *s, char *buf)
{
    size_t n = strlen(s);
    if (n < 4)
        return 0;
    int y = 0, m = 1, dd = 1;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    if (n >= 7)
        m = (s[5] - '0') * 10 + (s[6] - '0');
    if (n >= 10)
        dd = (s[8] - '0') * 10 + (s[9] - '0');
    snprintf(buf, 11, "%s", s);
    return y * 10000 + m * 100 + dd;
}

/*
 * Code one sentence (engine.h): tokens, mentions, verbs, clauses, then the events that stand
 * for the sentence.
 * Long: after the steps (one call each) come the rules that choose among the events found
 * (intent verbs, speech verbs, background clauses, unnamed agents, event nouns, events without
 * a target); they act in order on the same list of events, which is the coder's behaviour.
 */
int engine_code(struct engine *g, const struct lex *lx, const char *text, size_t s, size_t e,
                const char *line_date, unsigned flags, struct eng_out *out,
                struct bilat_buf *explain, eng_name_fn *names_fn, void *names_ctx)
{
    out->n = 0;
    out->uncoded = NULL;
    out->why[0] = '\0';
    out->date[0] = '\0';
    BILAT_TRY(grow_tokens(g, e + 1));
    struct ctx c = {g, g->d, lx, text, s, e, 0, flags, out, explain, 0, 0};
    if (line_date && *line_date)
        c.date = date_ymd(line_date, out->date);
    char dbuf[11];
    int32_t ymd;
    if (sentence_date(&c, dbuf, &ymd)) {
        memcpy(out->date, dbuf, sizeof(dbuf));
        c.date = ymd;
        BILAT_TRY(eng_ex(&c, "  date     %s (from the sentence)\n", out->date));
    }
    int32_t discard = lookup(&c);
    if (s == 0) {
        g->dateline = -1; /* a new line */
        coref_reset(g);
    }
    c.s = mention_dateline(&c);
    if (c.s > s && g->dateline >= 0)
        BILAT_TRY(eng_ex(&c, "  dateline \"%s\"\n", g->d->actors[g->dateline].name));
    BILAT_TRY(mention_build(&c));
    BILAT_TRY(mention_paren_titles(&c));
    mention_titles(&c);
    mention_compounds(&c);
    mention_place_country(&c);
    mention_dateline_country(&c);
    BILAT_TRY(coref_resolve(&c));
    BILAT_TRY(verbs_find(&c));
    if (names_fn)
        BILAT_TRY(unknown_names(&c, names_fn, names_ctx));
    if (explain) {
        for (size_t k = 0; k < g->nmen; k++) {
            const struct mention *m = &g->men[k];
            if (m->flags & M_PRON)
                continue;
            int n;
            const char *t = eng_span(&c, m->start, m->end, &n);
            BILAT_TRY(eng_ex(&c, "  actor    \"%.*s\" = %s", n, t, m->code));
            const struct dict_actor *a =
                m->entity >= 0    ? &g->d->actors[m->entity]
                : m->country >= 0 ? &g->d->actors[m->country]
                                  : NULL;
            if (a)
                BILAT_TRY(eng_ex(&c, "  [%s%s%s, %s:%u]", a->id ? a->id : "", a->id ? " " : "",
                             a->name, g->d->files[a->file], a->line));
            if (m->role >= 0) {
                const struct dict_role *ag = &g->d->roles[m->role];
                BILAT_TRY(eng_ex(&c, "  [role %s%s%s, %s:%u]", ag->prefix ? ag->code : "~",
                             ag->prefix ? "~" : ag->code, "", g->d->files[ag->file], ag->line));
            }
            BILAT_TRY(eng_ex(&c, "%s%s%s%s%s\n",
                         (m->flags & M_LED) ? " (code of its leader)" : "",
                         (m->flags & M_COREF) ? " (refers to an actor named before)" : "",
                         (m->flags & M_POSS) ? " (possessive)" : "",
                         (m->flags & M_PREP) ? " (object of a preposition)" : "",
                         m->group != k ? " (compound)" : ""));
        }
    }
    if (discard >= 0) {
        snprintf(out->why, sizeof(out->why), "discarded: \"%s\"", g->d->discards[discard]);
        out->uncoded = out->why;
        BILAT_TRY(eng_ex(&c, "  uncoded  %s\n", out->why));
        coref_remember(&c);
        return 0;
    }
    size_t nreal = 0;
    for (size_t k = 0; k < g->nmen; k++)
        if (!(g->men[k].flags & M_PRON))
            nreal++;
    if (nreal == 0) {
        out->uncoded = "no actor";
        BILAT_TRY(eng_ex(&c, "  uncoded  %s\n", out->uncoded));
        coref_remember(&c);
        return 0;
    }
    if (g->nvb == 0)
        BILAT_TRY(nominal_events(&c)); /* a headline or a noun phrase: "Xi's visit to ..." */
    if (g->nvb == 0 && out->n == 0) {
        out->uncoded = "no verb pattern";
        BILAT_TRY(eng_ex(&c, "  uncoded  %s\n", out->uncoded));
        coref_remember(&c);
        return 0;
    }
    for (size_t vi = 0; vi < g->nvb; vi++)
        BILAT_TRY(clause_code_verb(&c, vi));
    /* intent verbs whose infinitive gave events do not count themselves ("agreed to sign") */
    for (size_t vi = 0; vi < g->nvb; vi++) {
        const struct verb *v = &g->vb[vi];
        if ((v->flags & (V_INTENT | V_ASPECT)) && v->gov >= 0 && v->nev > 0)
            g->vb[v->gov].flags |= V_ABSORBED;
    }
    /* a speech verb's own event yields to the events of what it reports: the clause after it,
     * or, when it closes the sentence after a comma ("..., the ministry said"), the clauses
     * before it */
    for (size_t vi = 0; vi < g->nvb; vi++) {
        struct verb *v = &g->vb[vi];
        if (!(v->flags & V_SPEECH) || v->nev == 0)
            continue;
        for (size_t wi = vi + 1; wi < g->nvb; wi++)
            if (g->vb[wi].nev > 0 &&
                (!(g->vb[wi].flags & V_SUBORD) || (v->flags & V_SUBORD))) {
                v->flags |= V_ABSORBED; /* (not by a relative clause: "protesters who have
                                           occupied his office") */
                break;
            }
        size_t b = clause_speech_start(&c, vi);
        if (b == 0 || (v->flags & V_ABSORBED))
            continue;
        for (size_t wi = 0; wi < vi; wi++)
            if (g->vb[wi].nev > 0 && g->vb[wi].start < b && !(g->vb[wi].flags & V_ABSORBED)) {
                v->flags |= V_ABSORBED;
                break;
            }
    }
    /* a subordinate or relative clause is background: its events count only when the main
     * clauses give none ("Uganda paid compensation to British nationals for assets they lost
     * when Idi Amin expelled them") */
    int main_events = 0;
    for (size_t vi = 0; vi < g->nvb; vi++)
        if (!(g->vb[vi].flags & (V_SUBORD | V_ABSORBED)) && g->vb[vi].nev > 0)
            main_events = 1;
    for (size_t vi = 0; vi < g->nvb && main_events; vi++)
        if ((g->vb[vi].flags & V_SUBORD) && g->vb[vi].nev > 0)
            g->vb[vi].flags |= V_ABSORBED;
    size_t k = 0;
    for (size_t vi = 0; vi < g->nvb; vi++) {
        const struct verb *v = &g->vb[vi];
        if (v->flags & V_ABSORBED) {
            int n;
            const char *t = eng_span(&c, v->start, v->end, &n);
            BILAT_TRY(eng_ex(&c, "  dropped  %zu event%s of \"%.*s\": %s\n", v->nev,
                         v->nev == 1 ? "" : "s", n, t,
                         (v->flags & V_SUBORD)   ? "a subordinate clause, the main clause has "
                                                   "events"
                         : (v->flags & V_SPEECH) ? "the reported clause has events"
                                                 : "its infinitive has events"));
        }
    }
    for (size_t i = 0; i < out->n; i++) {
        size_t vi = 0;
        while (vi < g->nvb && !(i >= g->vb[vi].first_ev && i < g->vb[vi].first_ev + g->vb[vi].nev))
            vi++;
        if (vi < g->nvb && (g->vb[vi].flags & V_ABSORBED))
            continue;
        out->ev[k++] = out->ev[i];
    }
    out->n = k;
    /* an act with an unnamed agent ("was shot dead") is the news only when nothing else is */
    int named = 0; /* (an act between named actors: "were arrested and the navy seized their
                      boat" keeps the arrest) */
    for (size_t i = 0; i < out->n; i++)
        if (out->ev[i].src.end > out->ev[i].src.start && out->ev[i].tgt.code[0])
            named = 1;
    if (named) {
        k = 0;
        for (size_t i = 0; i < out->n; i++)
            if (out->ev[i].src.end > out->ev[i].src.start)
                out->ev[k++] = out->ev[i];
        if (k < out->n)
            BILAT_TRY(eng_ex(&c, "  dropped  %zu event%s with an unnamed agent: the sentence has "
                             "others between named actors\n", out->n - k,
                             out->n - k == 1 ? "" : "s"));
        out->n = k;
    }
    /* events named by nouns, when the verbs gave no statement and no event with a target, and
     * nothing was negated or denied ("Talks between Russia and Ukraine ended without a deal") */
    int dy = 0; /* (a statement without a target is the news too: "China said the talks
                   between Russia and Ukraine were useful") */
    for (size_t i = 0; i < out->n; i++)
        if (out->ev[i].tgt.code[0] || strncmp(out->ev[i].cameo, "01", 2) == 0)
            dy = 1;
    if (!dy && c.rank < 3 && g->nvb > 0)
        BILAT_TRY(nominal_events(&c));
    /* an event without a target stands for the sentence only when nothing has one: "X met Y
     * on Monday, and said ..." is the meeting */
    int dyadic = 0;
    for (size_t i = 0; i < out->n; i++)
        if (out->ev[i].tgt.code[0])
            dyadic = 1;
    if (dyadic) {
        k = 0;
        for (size_t i = 0; i < out->n; i++)
            if (out->ev[i].tgt.code[0])
                out->ev[k++] = out->ev[i];
        if (k < out->n)
            BILAT_TRY(eng_ex(&c, "  dropped  %zu event%s without a target: the sentence has events "
                             "with one\n", out->n - k, out->n - k == 1 ? "" : "s"));
        out->n = k;
    }
    if (out->n)
        out->uncoded = NULL;
    else if (!out->uncoded)
        out->uncoded = "no event";
    if (explain) {
        for (size_t i = 0; i < out->n; i++) {
            const struct eng_event *ev = &out->ev[i];
            BILAT_TRY(eng_ex(&c, "  event    %s %s %s%s\n", ev->src.code,
                         ev->tgt.code[0] ? ev->tgt.code : "-", ev->cameo,
                         (ev->flags & BILAT_EVENT_REVERSE) ? " (reverse of a paired code)" : ""));
        }
        if (!out->n)
            BILAT_TRY(eng_ex(&c, "  uncoded  %s\n", out->uncoded));
    }
    coref_remember(&c);
    return 0;
}
