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
 *     the verb in its clause. Passive: the source follows "by", the target is the subject.
 *  5. Events: every source of a compound times every target; a paired code (042:043) also
 *     gives the reverse event; a compound source without a target gives the reciprocal events
 *     among its members. Negated verbs give none; future or intent maps the code through the
 *     dictionaries' intent rules. A speech verb's own event is dropped when the clause it
 *     reports gave events.
 *
 * Speed: everything works on word ids; per-token arrays are reused between sentences; pattern
 * candidates are filtered by a 64-bit bloom mask of the sentence's words before any matching.
 */
#include "coder/engine.h"

#include "core/alloc.h"
#include "core/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
    MAXGAP = 6,          /* tokens allowed between pattern elements */
    MAXGAP_FIRST = 10,   /* tokens allowed between the verb and its first pattern element */
    WINDOW = 30,         /* tokens after a verb searched for its patterns and target */
};

/* Word categories (bits) of the built-in function words. */
enum {
    C_DET = 1 << 0, C_PREP = 1 << 1, C_BE = 1 << 2, C_HAVE = 1 << 3, C_DO = 1 << 4,
    C_FUT = 1 << 5, C_MODAL = 1 << 6, C_NEG = 1 << 7, C_PRON = 1 << 8, C_REL = 1 << 9,
    C_SUB = 1 << 10, C_CONJ = 1 << 11, C_SPEECH = 1 << 12, C_INTENT = 1 << 13,
    C_NEGGOV = 1 << 14, C_ADV = 1 << 15, C_MONTH = 1 << 16, C_WDAY = 1 << 17,
    C_TIMEW = 1 << 18, C_TITLE = 1 << 19, C_DENY = 1 << 20, C_CLAIMN = 1 << 21,
    C_ASPECT = 1 << 22, C_LOC = 1 << 23,
};

enum {
    M_POSS = 1, M_PRON = 2, M_PREP = 4, M_NAME = 8, M_LED = 16, M_PAREN = 32, M_PLACE = 64,
    M_IN = 128, /* a role in a place: "demonstrators in Moscow" */
};

struct mention {
    uint32_t start, end;   /* tokens */
    int32_t entity;        /* named actor entry (code longer than a country), or -1 */
    int32_t country;       /* actor entry giving a country code, or -1 */
    int32_t role;         /* role, or -1 */
    uint32_t group;        /* compound group (index of its first mention) */
    unsigned flags;        /* M_* */
    char code[48];         /* resolved code ("" when it has none at the date) */
};

enum {
    V_NEG = 1, V_FUT = 2, V_PASSIVE = 4, V_INF = 8, V_SPEECH = 16, V_ING = 32,
    V_INTENT = 64, V_REQUEST = 128, V_ABSORBED = 256, V_DONE = 512, V_DENIED = 1024,
    V_MUST = 2048, V_CONTENT = 4096, V_COND = 8192, V_ASPECT = 16384,
};

struct verb {
    uint32_t start, end;   /* the verb's tokens */
    uint32_t vg;           /* first token of its verb group (auxiliaries) */
    int32_t node;          /* trie node of the form */
    int32_t gov;           /* governing verb of an infinitive, or -1 */
    uint32_t anchor;       /* where the subject search starts (verb group or governor) */
    unsigned flags;        /* V_* */
    int32_t src;           /* source mention, or -1 */
    size_t first_ev, nev;  /* events it gave (indices into out->ev) */
};

struct engine {
    const struct dict *d;
    uint32_t *cat;          /* word id -> C_* */
    /* per-token arrays (grown to the longest line seen) */
    uint32_t *act_end, *role_end, *vb_end;
    int32_t *act_idx, *role_idx, *vb_node, *men_at, *verb_at;
    size_t tcap;
    struct mention *men;
    size_t nmen, mencap;
    struct mention *men2;   /* scratch list while parenthetical titles are merged */
    size_t men2cap;
    struct verb *vb;
    size_t nvb, vbcap;
    char tmp[256];
};

static uint32_t W(const struct engine *g, enum dict_builtin b)
{
    return g->d->builtin[b];
}

int engine_new(const struct dict *d, struct engine **out)
{
    struct engine *g = bilat_calloc(1, sizeof(*g));
    if (!g)
        return BILAT_ENOMEM;
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

/* ---------------------------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------------------------ */

struct ctx {
    struct engine *g;
    const struct dict *d;
    const struct lex *lx;
    const char *text;
    size_t s, e;           /* the sentence's tokens */
    int32_t date;          /* YYYYMMDD for actor codes, 0 = unknown */
    unsigned flags;        /* BILAT_CODER_* */
    struct eng_out *out;
    struct bilat_buf *ex;  /* explain trace, or NULL */
    uint64_t mask;         /* bloom of the sentence's words */
    int rank;              /* reason_rank() of out->uncoded */
};

static inline uint32_t wid(const struct ctx *c, size_t i)
{
    return c->lx->tok[i].word;
}

static inline uint32_t wcat(const struct ctx *c, size_t i)
{
    return c->g->cat[c->lx->tok[i].word];
}

static inline int is_w(const struct ctx *c, size_t i, enum dict_builtin b)
{
    return i < c->e && c->lx->tok[i].word == W(c->g, b) && c->lx->tok[i].word != 0;
}

static int num_at(const struct ctx *c, size_t i, int lo, int hi);

/* Append printf-style text to the explain trace (ignoring allocation failure there would lose
 * trace text silently, so it is reported). */
static int ex(struct ctx *c, const char *fmt, ...) BILAT_PRINTF(2, 3);

static int ex(struct ctx *c, const char *fmt, ...)
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
static const char *span(const struct ctx *c, size_t a, size_t b, int *len)
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
static const char *actor_code(struct ctx *c, const struct dict_actor *a, char *buf)
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

static void mention_code(struct ctx *c, struct mention *m)
{
    char b1[48], b2[48];
    const char *ent = m->entity >= 0 ? actor_code(c, &c->d->actors[m->entity], b1) : NULL;
    const char *cty = m->country >= 0 ? actor_code(c, &c->d->actors[m->country], b2) : NULL;
    const struct dict_role *ag = m->role >= 0 ? &c->d->roles[m->role] : NULL;
    m->code[0] = '\0';
    if (ent) {
        if (strncmp(ent, "---", 3) == 0 && cty && strlen(cty) >= 3)
            snprintf(m->code, sizeof(m->code), "%.3s%s", cty, ent + 3);
        else
            snprintf(m->code, sizeof(m->code), "%s", ent);
    } else if (cty) {
        if (ag && strlen(cty) == 3)
            snprintf(m->code, sizeof(m->code), "%s%s", ag->prefix ? ag->code : cty,
                     ag->prefix ? cty : ag->code);
        else
            snprintf(m->code, sizeof(m->code), "%s", cty);
    } else if (ag && (strncmp(ag->code, "NGO", 3) == 0 || strncmp(ag->code, "IGO", 3) == 0)) {
        /* NGOs and international bodies are top-level codes of their own */
        snprintf(m->code, sizeof(m->code), "%s", ag->code);
    } else if (ag) {
        snprintf(m->code, sizeof(m->code), "%s%s", ag->prefix ? ag->code : "---",
                 ag->prefix ? "---" : ag->code);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Step 1: dictionary look-up
 * ------------------------------------------------------------------------------------------ */

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
            if (nd->actor >= 0) {
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
    }
    return discard;
}

/* ---------------------------------------------------------------------------------------------
 * Step 2: actor mentions
 * ------------------------------------------------------------------------------------------ */

static int push_mention(struct engine *g, const struct mention *m)
{
    if (g->nmen == g->mencap) {
        size_t cap = g->mencap ? g->mencap * 2 : 32;
        struct mention *p = bilat_realloc_array(g->men, cap, sizeof(*p));
        if (!p)
            return BILAT_ENOMEM;
        g->men = p;
        g->mencap = cap;
    }
    g->men[g->nmen++] = *m;
    return 0;
}

/* Is token i an unknown lower-case word (an adjective or modifier we can step over)? */
static int modifier(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    uint32_t w = wid(c, i);
    return t->kind == LEX_WORD && !(t->flags & LEX_CAP) && (w == 0 || w > c->d->nbuiltin) &&
           c->g->vb_end[i] == 0 && c->g->act_end[i] == 0 && c->g->role_end[i] == 0;
}

/* Is token i a capitalised word that no dictionary phrase starts with (part of a name)? */
static int name_word(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    return t->kind == LEX_WORD && (t->flags & LEX_CAP) && c->g->act_end[i] == 0 &&
           c->g->role_end[i] == 0 && (wcat(c, i) & (C_MONTH | C_WDAY | C_TIMEW)) == 0 &&
           (wid(c, i) == 0 || wid(c, i) > c->d->nbuiltin);
}

/* After a role or actor at j, skip up to two modifiers if a role or actor follows. */
static size_t skip_modifiers(const struct ctx *c, size_t j)
{
    size_t k = j;
    while (k < c->e && k < j + 2 && modifier(c, k))
        k++;
    if (k > j && k < c->e && (c->g->role_end[k] > k || c->g->act_end[k] > k))
        return k;
    return j;
}

/*
 * Is a mention starting at token i the object of a preposition? Over a determiner or a number
 * ("against 28 officials"), but not "of", and not after a year ("In 2020 the CPC ran" has no
 * object).
 */
static int prep_object(const struct ctx *c, size_t i)
{
    size_t b = i;
    if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
        b--;
    if (b > c->s && c->lx->tok[b - 1].kind == LEX_NUM && !num_at(c, b - 1, 1900, 2099))
        b--;
    return b > c->s && (wcat(c, b - 1) & C_PREP) && !is_w(c, b - 1, W_of);
}

/*
 * Does the code of an organisation (`code`, longer than a country) name another country than
 * the country entry `cty` before it? Codes of international bodies (IGO, NGO, MNC...) count as
 * foreign too: "the Chinese UN ambassador" is Chinese.
 */
static int foreign_entity(struct ctx *c, const struct dict_actor *cty, const char *code)
{
    char buf[48];
    const char *cc = actor_code(c, cty, buf);
    return cc && strlen(cc) >= 3 && strncmp(cc, code, 3) != 0 && strncmp(code, "---", 3) != 0;
}

/* "pro-Iranian", "anti-Japanese": the adjective at token i names a side taken, not a country
 * of the noun after it. */
static int pro_anti(const struct ctx *c, size_t i)
{
    if (i < c->s + 2 || !is_w(c, i - 1, W_dash))
        return 0;
    const char *k = lex_key(c->lx, i - 2);
    size_t n = c->lx->tok[i - 2].nlen;
    return (n == 3 && memcmp(k, "pro", 3) == 0) || (n == 4 && memcmp(k, "anti", 4) == 0);
}

static int build_mentions(struct ctx *c)
{
    struct engine *g = c->g;
    const struct dict *d = c->d;
    g->nmen = 0;
    for (size_t i = c->s; i < c->e;) {
        if (g->act_end[i] <= i && g->role_end[i] <= i) {
            if (wcat(c, i) & C_PRON) {
                struct mention m = {(uint32_t)i, (uint32_t)i + 1, -1, -1, -1, 0, M_PRON, ""};
                m.group = (uint32_t)g->nmen;
                BILAT_TRY(push_mention(g, &m));
            }
            i++;
            continue;
        }
        struct mention m = {(uint32_t)i, (uint32_t)i, -1, -1, -1, 0, 0, ""};
        size_t j = i;
        int crossed_poss = 0; /* "Golkar's ...": a possessive inside the group */
        while (j < c->e) {
            uint32_t ae = g->act_end[j], ge = g->role_end[j];
            if (ae > j && ae >= ge) {
                const struct dict_actor *a = &d->actors[g->act_idx[j]];
                char buf[48];
                const char *code = actor_code(c, a, buf);
                if (!code)
                    break;
                if (strlen(code) == 3) {
                    if (m.country >= 0) {
                        /* "the Malaysian Chinese Association": a second country adjective
                         * inside a proper name is part of the name, not an actor */
                        if (m.entity < 0 && ae < c->e && (c->lx->tok[j].flags & LEX_CAP) &&
                            (c->lx->tok[ae].flags & LEX_CAP) &&
                            (name_word(c, ae) || g->role_end[ae] > ae)) {
                            j = ae;
                            while (j < c->e && name_word(c, j))
                                j++;
                            m.flags |= M_NAME;
                            continue;
                        }
                        break; /* "Cambodia China": two actors */
                    }
                    m.country = g->act_idx[j];
                } else {
                    if (m.entity >= 0) {
                        /* "Golkar's new chairman Airlangga Hartarto": a person named with a
                         * party title acts for the party */
                        char pb[48];
                        const char *pc = actor_code(c, &d->actors[m.entity], pb);
                        if ((m.role >= 0 || crossed_poss) && a->kind != DK_PARTY && pc &&
                            strlen(pc) > 3 && strstr(pc + 3, "PTY")) {
                            j = ae;
                            continue;
                        }
                        break;
                    }
                    if (m.country >= 0 && a->kind != DK_PERSON && !pro_anti(c, i) &&
                        foreign_entity(c, &d->actors[m.country], code)) {
                        /* "the Lao People's Revolutionary Party": a country adjective before
                         * the generic name of another country's organisation ("people's
                         * revolutionary party", a Central African group) names that
                         * country's organisation; role words inside still count */
                        size_t stop = ae;
                        j++;
                        while (j < stop) {
                            if (g->role_end[j] > j && g->role_end[j] <= stop) {
                                int32_t ri = g->role_idx[j];
                                if (m.role < 0 ||
                                    strlen(d->roles[ri].code) > strlen(d->roles[m.role].code))
                                    m.role = ri;
                                j = g->role_end[j];
                            } else {
                                j++;
                            }
                        }
                        m.flags |= M_NAME;
                        j = skip_modifiers(c, j);
                        continue;
                    }
                    m.entity = g->act_idx[j];
                }
                j = ae;
                j = skip_modifiers(c, j);
                continue;
            }
            if (ge > j) {
                int32_t ai = g->role_idx[j];
                if (m.role < 0 ||
                    strlen(d->roles[ai].code) > strlen(d->roles[m.role].code))
                    m.role = ai;
                j = ge;
                j = skip_modifiers(c, j);
                continue;
            }
            if (j > i && (is_w(c, j, W_s) || is_w(c, j, W_apos))) {
                /* possessive: part of the group when an actor or role follows */
                size_t k = skip_modifiers(c, j + 1);
                if (k < c->e && (g->act_end[k] > k || g->role_end[k] > k)) {
                    crossed_poss = 1;
                    j = k;
                    continue;
                }
                m.flags |= M_POSS;
                break;
            }
            if (j > i && (is_w(c, j, W_of) || is_w(c, j, W_from) || is_w(c, j, W_in)) &&
                m.entity < 0 &&
                m.country < 0 && m.role >= 0) {
                size_t k = j + 1;
                if (is_w(c, k, W_the))
                    k++;
                if (k < c->e && g->act_end[k] > k) {
                    if (is_w(c, j, W_in))
                        m.flags |= M_IN;
                    j = k;
                    continue;
                }
                break;
            }
            if (j > i && name_word(c, j) && m.role >= 0 && m.entity < 0) {
                /* a title followed by a name no dictionary knows: "Minister Tran Xuan Gia" */
                while (j < c->e && name_word(c, j))
                    j++;
                m.flags |= M_NAME;
                continue;
            }
            break;
        }
        if (j == i) {
            i++;
            continue;
        }
        m.end = (uint32_t)j;
        mention_code(c, &m);
        if (m.code[0]) {
            m.group = (uint32_t)g->nmen;
            if (prep_object(c, i))
                m.flags |= M_PREP;
            BILAT_TRY(push_mention(g, &m));
        }
        i = j;
    }
    for (size_t k = 0; k < g->nmen; k++)
        for (uint32_t t = g->men[k].start; t < g->men[k].end; t++)
            g->men_at[t] = (int32_t)k;
    return 0;
}

static int push_mention2(struct engine *g, const struct mention *m)
{
    if (g->nmen == g->men2cap) {
        size_t cap = g->men2cap ? g->men2cap * 2 : 32;
        struct mention *p = bilat_realloc_array(g->men2, cap, sizeof(*p));
        if (!p)
            return BILAT_ENOMEM;
        g->men2 = p;
        g->men2cap = cap;
    }
    g->men2[g->nmen++] = *m;
    return 0;
}

/*
 * Titles in brackets belong to the name before them: "Hun Sen (Cambodian Prime Minister)",
 * "Sen Hun (Prime Minister of Cambodia)", "Chang-hee kang (South Korean National Assembly
 * Speaker)". The bracket's first mention with a country (else its first mention) is the title
 * when it has a role or names an organisation or person; the name before the bracket (a
 * mention, or capitalised words no dictionary knows) and the bracket become one mention. A
 * mention before the bracket keeps its own code when it has a country ("Xi Jinping (President
 * of China)"), else it takes the title's. A bracket holding only a place ("(Beijing
 * Municipality)") is a location: its mentions are marked as places.
 */
/* A title that names a party office: "(Chairman of the USDP)", "general secretary of the
 * LPRP". A person named with it acts for the party. */
static int party_title(const struct mention *m)
{
    return m->role >= 0 && strlen(m->code) > 3 && strstr(m->code + 3, "PTY") != NULL;
}

/*
 * The name before a bracket at t in a list of titled names: the tokens after the previous
 * closing bracket or colon ("following: Lee Nak-yon (...)", ") U Myint Swe (...)"), at most
 * eight words, hyphens and initials. Returns its first token, or t when the bracket is not
 * in such a list.
 */
static size_t list_name_start(const struct ctx *c, size_t t)
{
    size_t i = t;
    while (i > c->s && t - i < 10) {
        size_t p = i - 1;
        const struct lex_tok *tk = &c->lx->tok[p];
        if (is_w(c, p, W_rparen) || is_w(c, p, W_colon))
            return i < t ? i : t;
        if (tk->kind == LEX_PUNCT && !is_w(c, p, W_dash) && !is_w(c, p, W_period))
            return t;
        if (tk->kind == LEX_WORD && !(tk->flags & LEX_CAP) &&
            ((wid(c, p) && wid(c, p) <= c->d->nbuiltin) || c->g->vb_end[p] > p))
            return t; /* a function word or a verb: "...) met Hun Sen (...)" is no list */
        i = p;
    }
    return t;
}

static int paren_titles(struct ctx *c)
{
    struct engine *g = c->g;
    size_t t0 = c->s;
    while (t0 < c->e && !is_w(c, t0, W_lparen))
        t0++;
    if (t0 == c->e)
        return 0; /* the common case: no bracket */
    /* build the new list in men2 (nmen counts it), then swap */
    struct mention *old = g->men;
    size_t nold = g->nmen, k = 0;
    g->nmen = 0;
    int rc = 0;
    for (size_t t = t0; t < c->e; t++) {
        if (!is_w(c, t, W_lparen))
            continue;
        /* the matching bracket (one level of nesting: "(President of the Republic of Korea
         * (ROK))") */
        size_t q = t + 1;
        int depth = 0;
        while (q < c->e && q < t + 48) {
            if (is_w(c, q, W_lparen) && ++depth > 1)
                break;
            if (is_w(c, q, W_rparen) && depth-- == 0)
                break;
            q++;
        }
        if (q >= c->e || !is_w(c, q, W_rparen) || depth > 1)
            continue;
        while (k < nold && old[k].start < t)
            if ((rc = push_mention2(g, &old[k++])) < 0)
                goto out;
        size_t k0 = k, k1 = k;
        while (k1 < nold && old[k1].start > t && old[k1].end <= q)
            k1++;
        const struct mention *title = NULL;
        for (size_t i = k0; i < k1 && !title; i++)
            if (!(old[i].flags & (M_PRON | M_POSS)) && strncmp(old[i].code, "---", 3) != 0)
                title = &old[i];
        for (size_t i = k0; i < k1 && !title; i++)
            if (!(old[i].flags & M_PRON))
                title = &old[i];
        if (!title) {
            t = q;
            continue;
        }
        if (title->role < 0 && title->entity < 0) {
            /* a place: "(Beijing Municipality)", "(Pakistan, Islamabad)" */
            for (size_t i = k0; i < k1; i++)
                old[i].flags |= M_PLACE;
            t = q;
            continue;
        }
        /* in a list ("...following: A (title) B (title)"), everything between the previous
         * bracket or colon and this one is the name, whatever its case or spelling ("Lee
         * Nak-yon", "U Myint Swe", "Abdullah Ahmad Badawi" where "Abdullah" alone names
         * someone else) */
        size_t l = list_name_start(c, t);
        if (l < t) {
            struct mention m = *title;
            /* a known actor that is the whole name keeps its code, unless the title names
             * another country */
            while (g->nmen > 0 && g->men2[g->nmen - 1].end > l) {
                const struct mention *b = &g->men2[g->nmen - 1];
                if (b->start == l && b->end == t && !(b->flags & M_PRON) && b->code[0] &&
                    strncmp(b->code, "---", 3) != 0 && strncmp(b->code, title->code, 3) == 0 &&
                    !party_title(title))
                    m = *b;
                g->nmen--;
            }
            m.start = (uint32_t)l;
            m.end = (uint32_t)q + 1;
            m.flags = M_PAREN | M_NAME | (prep_object(c, l) ? M_PREP : 0);
            if ((rc = push_mention2(g, &m)) < 0)
                goto out;
            k = k1;
            t = q;
            continue;
        }
        struct mention *a = g->nmen > 0 ? &g->men2[g->nmen - 1] : NULL;
        if (a && a->end == t && !(a->flags & M_PRON) && a->code[0] &&
            strncmp(a->code, "---", 3) != 0 && title->code[0] &&
            strncmp(title->code, "---", 3) != 0 &&
            (strncmp(a->code, title->code, 3) != 0 || party_title(title))) {
            /* the title names another country than a partial name match before it
             * ("Masood Khalid (Pakistani Ambassador to China)", where "Khalid" alone is
             * Saudi): the title wins */
            a->entity = title->entity;
            a->country = title->country;
            a->role = title->role;
            memcpy(a->code, title->code, sizeof(a->code));
        }
        if (a && a->end == t && !(a->flags & M_PRON)) {
            if (!a->code[0] || strncmp(a->code, "---", 3) == 0) {
                a->entity = title->entity;
                a->country = title->country;
                a->role = title->role;
                memcpy(a->code, title->code, sizeof(a->code));
            }
            a->end = (uint32_t)q + 1;
            a->flags |= M_PAREN;
        } else {
            size_t i0 = t;
            while (i0 > c->s && name_word(c, i0 - 1))
                i0--;
            struct mention m = *title;
            m.start = (uint32_t)i0;
            m.end = (uint32_t)q + 1;
            m.flags = M_PAREN | (i0 < t ? M_NAME : 0) | (prep_object(c, i0) ? M_PREP : 0);
            if ((rc = push_mention2(g, &m)) < 0)
                goto out;
        }
        k = k1;
        t = q;
    }
    while (k < nold)
        if ((rc = push_mention2(g, &old[k++])) < 0)
            goto out;
out:
    if (rc < 0) {
        g->nmen = nold;
        return rc;
    }
    /* swap the lists */
    g->men = g->men2;
    g->men2 = old;
    size_t cap = g->mencap;
    g->mencap = g->men2cap;
    g->men2cap = cap;
    for (size_t i = c->s; i < c->e; i++)
        g->men_at[i] = -1;
    for (size_t i = 0; i < g->nmen; i++) {
        g->men[i].group = (uint32_t)i;
        for (uint32_t t = g->men[i].start; t < g->men[i].end; t++)
            g->men_at[t] = (int32_t)i;
    }
    return 0;
}

/*
 * Is mention m a place where something happens: after "in", "at", "across", "near"... (over a
 * determiner), a location in brackets, or after a comma that follows such a place ("in
 * Anchorage, Alaska")?
 */
static int locative_at(const struct ctx *c, int32_t m)
{
    const struct engine *g = c->g;
    const struct mention *mm = &g->men[m];
    if (mm->flags & M_PLACE)
        return 1;
    size_t p = mm->start;
    if (p > c->s && is_w(c, p - 1, W_the))
        p--;
    if (p > c->s && (wcat(c, p - 1) & C_LOC))
        return 1;
    /* "in Anchorage, Alaska": capitalised words after the preposition, then a comma */
    if (p > c->s && is_w(c, p - 1, W_comma)) {
        size_t q = p - 1;
        if (q > c->s && g->men_at[q - 1] >= 0)
            return locative_at(c, g->men_at[q - 1]);
        size_t n = 0;
        while (q > c->s && n < 4 && name_word(c, q - 1)) {
            q--;
            n++;
        }
        return n > 0 && q > c->s && (wcat(c, q - 1) & C_LOC);
    }
    return 0;
}

/*
 * Actors named by a role alone ("protesters", "riot police", "the government") in a sentence
 * whose only country is that of a place where it happens ("... marched in Tehran", "across
 * Myanmar") are of that country. Not when actors of another country or of an international
 * body appear.
 */
static void place_country(struct ctx *c)
{
    struct engine *g = c->g;
    int32_t place = -1;
    char cty[4] = "";
    int roles = 0;
    for (size_t k = 0; k < g->nmen; k++) {
        const struct mention *m = &g->men[k];
        if ((m->flags & M_PRON) || !m->code[0])
            continue;
        if (strncmp(m->code, "---", 3) == 0) {
            roles++;
            continue;
        }
        const char *code = m->code;
        if (m->country < 0 && m->entity < 0)
            return; /* an international or other code of its own */
        if (!cty[0])
            memcpy(cty, code, 3);
        else if (memcmp(cty, code, 3) != 0)
            return; /* two countries */
        if (place < 0 && m->entity < 0 &&
            ((m->role < 0 && locative_at(c, (int32_t)k)) || (m->flags & M_IN)))
            place = (int32_t)k;
    }
    if (!roles || !cty[0])
        return;
    /* without a place: domestic politics, where a party or the opposition is the only
     * country's actor ("Cambodia's opposition accused the ruling party"): the political roles
     * are of its country */
    int32_t party = -1;
    if (place < 0) {
        for (size_t k = 0; k < g->nmen && party < 0; k++) {
            const struct mention *m = &g->men[k];
            if (!(m->flags & M_PRON) && strncmp(m->code, "---", 3) != 0 &&
                (strstr(m->code + 3, "PTY") || strstr(m->code + 3, "OPP")))
                party = (int32_t)k;
        }
        if (party < 0)
            return;
    }
    const struct mention *from = &g->men[place >= 0 ? place : party];
    for (size_t k = 0; k < g->nmen; k++) {
        struct mention *m = &g->men[k];
        if ((m->flags & M_PRON) || strncmp(m->code, "---", 3) != 0 || m->role < 0 ||
            c->d->roles[m->role].prefix)
            continue;
        if (place < 0) {
            const char *r = c->d->roles[m->role].code;
            if (!strstr(r, "GOV") && !strstr(r, "OPP") && !strstr(r, "PTY") &&
                !strstr(r, "LEG") && !strstr(r, "JUD"))
                continue;
        }
        memcpy(m->code, cty, 3);
        if (from->country >= 0)
            m->country = from->country;
    }
}

/* Tokens between mentions a and b form a list separator: 0 none, 1 comma, 2 and/or, 3 none
 * but a closing bracket ("Hun Sen (...) Heng Samrin (...)": a list of titled names). */
static int separator(const struct ctx *c, const struct mention *a, const struct mention *b)
{
    size_t i = a->end, j = b->start;
    if (i == j && (a->flags & M_PAREN))
        return 3;
    if (i >= j)
        return 0;
    /* "and the evil awful Gondor": a determiner and modifiers before the next member */
    size_t mods = 0;
    while (j > i + 1 && mods < 3 && modifier(c, j - 1)) {
        j--;
        mods++;
    }
    if (j > i + 1 && (is_w(c, j - 1, W_the) || is_w(c, j - 1, W_a)) &&
        !(j - 1 == i + 1 && is_w(c, i, W_and)))
        j--;
    if (j - i == 1 && is_w(c, i, W_comma))
        return 1;
    if (j - i == 1 && (is_w(c, i, W_and) || is_w(c, i, W_or)))
        return 2;
    if (j - i == 2 && is_w(c, i, W_comma) && (is_w(c, i + 1, W_and) || is_w(c, i + 1, W_or)))
        return 2;
    if (j - i == 2 && (is_w(c, i, W_and) || is_w(c, i, W_or)) && is_w(c, i + 1, W_the))
        return 2;
    if (j - i == 3 && is_w(c, i, W_as) && is_w(c, i + 1, W_well) && is_w(c, i + 2, W_as))
        return 2;
    return 0;
}

/* Does token i start the sentence (over a determiner, quotes and '#')? */
static int sentence_initial(const struct ctx *c, size_t i)
{
    while (i > c->s) {
        size_t p = i - 1;
        const char *k = lex_key(c->lx, p);
        if (!((wcat(c, p) & C_DET) || is_w(c, p, W_quote) ||
              (c->lx->tok[p].nlen == 1 && k[0] == '#')))
            return 0;
        i = p;
    }
    return 1;
}

static void build_compounds(struct ctx *c)
{
    struct engine *g = c->g;
    size_t k = 0;
    while (k < g->nmen) {
        /* extend a run k..r of mentions joined by separators; it counts as a compound when
         * it ends with "and"/"or" (a bare comma list is more often an apposition) */
        size_t r = k, last_and = k;
        while (r + 1 < g->nmen && !(g->men[r].flags & (M_PRON | M_POSS)) &&
               !(g->men[r + 1].flags & M_PRON)) {
            int sep = separator(c, &g->men[r], &g->men[r + 1]);
            if (!sep)
                break;
            /* "X received Y, and Z praised him": a mention followed by a verb after "and"
             * starts a new clause when the mention before it is an object */
            if (sep == 2 && g->men[r + 1].end < c->e &&
                g->vb_end[g->men[r + 1].end] > g->men[r + 1].end) {
                int object = 0;
                for (size_t t = c->s; t < g->men[k].start; t++)
                    if (g->vb_end[t] > t && g->men_at[t] < 0)
                        object = 1;
                if (object)
                    break;
            }
            r++;
            if (sep == 3)
                last_and = r;
            if (sep == 2) {
                last_and = r;
                break;
            }
        }
        /* a comma list right before a verb is a compound subject, as in headlines ("China,
         * Pakistan sign deals", "Chinese, French presidents vow ..."); not after a
         * preposition ("In Phnom Penh, Hun Sen met ...") */
        size_t after = g->men[r].end;
        if (after < c->e && is_w(c, after, W_to))
            after++; /* "China, Russia to strengthen cooperation" */
        if (last_and == k && r > k && !(g->men[k].flags & M_PREP) &&
            sentence_initial(c, g->men[k].start) && after < c->e && g->vb_end[after] > after) {
            int commas = 1;
            for (size_t t = k; t < r; t++)
                if (separator(c, &g->men[t], &g->men[t + 1]) != 1)
                    commas = 0;
            if (commas)
                last_and = r;
        }
        if (last_and > k) {
            /* a role after the last country is shared ("Cambodian and Chinese officials");
             * one before its country ("the government of Gondor") is not */
            int32_t role = -1;
            for (size_t t = k; t <= last_and; t++) {
                const struct mention *m = &g->men[t];
                if (m->role >= 0 && m->entity < 0 && m->country >= 0 &&
                    c->g->role_end[m->start] == 0)
                    role = m->role;
            }
            for (size_t t = k; t <= last_and; t++) {
                struct mention *m = &g->men[t];
                m->group = (uint32_t)k;
                if (role >= 0 && m->role < 0 && m->entity < 0 && m->country >= 0) {
                    m->role = role; /* "Cambodian and Chinese officials" */
                    mention_code(c, m);
                }
                if (t > k)
                    m->flags &= ~(unsigned)M_PREP;
            }
            k = last_and + 1;
        } else {
            k++;
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * Step 3: verbs
 * ------------------------------------------------------------------------------------------ */

static int ends_with_ing(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    const char *k = lex_key(c->lx, i);
    return t->nlen > 4 && memcmp(k + t->nlen - 3, "ing", 3) == 0;
}

static int push_verb(struct engine *g, const struct verb *v)
{
    if (g->nvb == g->vbcap) {
        size_t cap = g->vbcap ? g->vbcap * 2 : 16;
        struct verb *p = bilat_realloc_array(g->vb, cap, sizeof(*p));
        if (!p)
            return BILAT_ENOMEM;
        g->vb = p;
        g->vbcap = cap;
    }
    g->vb[g->nvb++] = *v;
    return 0;
}

/* Scan the auxiliaries before the verb at i: returns the first token of the verb group. */
static size_t verb_group(const struct ctx *c, size_t i, unsigned *flags)
{
    size_t k = i;
    int be = 0, inf = 0;
    while (k > c->s) {
        size_t p = k - 1;
        uint32_t ct = wcat(c, p);
        if (ct & C_BE) {
            be = 1;
        } else if (ct & (C_HAVE | C_DO | C_MODAL)) {
            if (is_w(c, p, W_must))
                *flags |= V_MUST;
            if (is_w(c, p, W_may) || is_w(c, p, W_might))
                *flags |= V_FUT; /* "may halt": a possible future act counts as intent */
        } else if (ct & C_FUT) {
            *flags |= V_FUT;
        } else if (ct & C_NEG) {
            *flags |= V_NEG;
        } else if (is_w(c, p, W_no) && is_w(c, p + 1, W_longer)) {
            *flags |= V_NEG;
        } else if ((ct & C_ADV) && !(ct & C_TIMEW)) {
        } else if (c->lx->tok[p].kind == LEX_WORD && c->lx->tok[p].nlen > 3 &&
                   memcmp(lex_key(c->lx, p) + c->lx->tok[p].nlen - 2, "ly", 2) == 0 &&
                   !(c->lx->tok[p].flags & LEX_CAP) && c->g->vb_end[p] == 0) {
            /* an adverb in -ly ("strongly condemned") */
        } else if (is_w(c, p, W_to)) {
            inf = 1;
            k = p;
            break;
        } else {
            break;
        }
        k = p;
    }
    if (be && !ends_with_ing(c, i))
        *flags |= V_PASSIVE;
    if (be && ends_with_ing(c, i))
        *flags &= ~(unsigned)V_PASSIVE;
    if (inf)
        *flags |= V_INF;
    return k;
}

/* Is token i an adverb in -ly ("strongly", "firmly"), lower case and no verb form? */
static int ly_adverb(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    return t->kind == LEX_WORD && t->nlen > 3 &&
           memcmp(lex_key(c->lx, i) + t->nlen - 2, "ly", 2) == 0 && !(t->flags & LEX_CAP) &&
           c->g->vb_end[i] == 0;
}

/* "re", "co", "pre" before a hyphen make a verb prefix, not a compound modifier. */
static int is_prefix(const struct ctx *c, size_t i)
{
    const char *k = lex_key(c->lx, i);
    size_t n = c->lx->tok[i].nlen;
    return (n == 2 && (memcmp(k, "re", 2) == 0 || memcmp(k, "co", 2) == 0)) ||
           (n == 3 && memcmp(k, "pre", 3) == 0);
}

enum { FK_BASE, FK_S, FK_ING, FK_PAST };

/* Which form of its verb token i is: base ("visit"), -s ("visits"), -ing, or past/participle. */
static int form_kind(const struct ctx *c, int32_t node, size_t i)
{
    const struct dict *d = c->d;
    for (int32_t f = d->nodes[node].vform; f >= 0; f = d->vforms[f].next)
        if (d->vforms[f].base)
            return FK_BASE;
    const char *k = lex_key(c->lx, i);
    size_t n = c->lx->tok[i].nlen;
    if (ends_with_ing(c, i))
        return FK_ING;
    if (n > 2 && k[n - 1] == 's' && k[n - 2] != 's')
        return FK_S;
    return FK_PAST;
}

/*
 * Is the base or -s verb form at i the head of a noun phrase? Looking left over modifiers,
 * names and actors (at most five tokens): a determiner, a possessive, a number, a hyphen or a
 * verb before them says so ("a working visit", "the US sanctions", "two ships", "donated
 * medical supplies"). Past forms are left alone: "the Chinese government donated".
 */
static int noun_phrase_head(const struct ctx *c, size_t i)
{
    const struct engine *g = c->g;
    size_t k = i;
    /* "firmly opposes": an adverb in -ly modifies a verb */
    while (k > c->s && ((wcat(c, k - 1) & C_ADV) || ly_adverb(c, k - 1)))
        k--;
    if (k < i && ly_adverb(c, i - 1) && !(wcat(c, i) & (C_BE | C_HAVE | C_DO)))
        return 0;
    /* "said China opposes the visit", "warned that Russia plans ...": an actor opening a
     * reported clause is its subject, and the form after it its verb */
    if (k > c->s && g->men_at[k - 1] >= 0 && g->men[g->men_at[k - 1]].end == k &&
        !(g->men[g->men_at[k - 1]].flags & (M_POSS | M_PRON))) {
        size_t b = g->men[g->men_at[k - 1]].start;
        if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
            b--;
        if (b > c->s && (is_w(c, b - 1, W_that) ||
                         (g->verb_at[b - 1] >= 0 && (wcat(c, b - 1) & C_SPEECH))))
            return 0;
    }
    k = i;
    for (int steps = 0; k > c->s && steps < 5; steps++) {
        size_t p = k - 1;
        uint32_t cp = wcat(c, p);
        if ((cp & C_DET) && !is_w(c, p, W_that))
            return 1;
        if (is_w(c, p, W_s) || is_w(c, p, W_apos) || c->lx->tok[p].kind == LEX_NUM)
            return 1;
        if (is_w(c, p, W_dash))
            return !(p > c->s && is_prefix(c, p - 1));
        if ((cp & C_PREP) && !is_w(c, p, W_to))
            return 1;
        if (cp & (C_WDAY | C_TIMEW)) {
            /* "denied on Thursday charges by": step over the time */
            k = p;
            if (k > c->s && is_w(c, k - 1, W_on))
                k--;
            continue;
        }
        if (g->verb_at[p] >= 0 && !(cp & (C_BE | C_HAVE | C_DO | C_FUT | C_MODAL)))
            return 1;
        /* a verb form already taken as a noun modifies this one: "a phone call" */
        int noun_form = g->vb_end[p] > p && g->verb_at[p] < 0 && (cp & ~(uint32_t)C_SPEECH) == 0 &&
                        !(c->lx->tok[p].flags & LEX_CAP);
        /* "a three-day state visit": a speech word before it is a noun too */
        if ((cp & C_SPEECH) && g->vb_end[p] <= p && !(c->lx->tok[p].flags & LEX_CAP))
            noun_form = 1;
        if (modifier(c, p) || name_word(c, p) || g->men_at[p] >= 0 || g->role_end[p] > p ||
            g->act_end[p] > p || noun_form) {
            k = p;
            continue;
        }
        return 0;
    }
    return 0;
}

/* Is there a word from token i on that can be the finite verb of the sentence: a form of
 * "be", "have", a modal, or a verb form that is not an infinitive, an -ing form or a noun
 * after a determiner? */
static int later_finite(const struct ctx *c, size_t i)
{
    const struct engine *g = c->g;
    for (size_t t = i; t < c->e; t++) {
        uint32_t ct = wcat(c, t);
        if (ct & (C_BE | C_HAVE | C_FUT | C_MODAL | C_DO))
            return 1;
        if (g->vb_end[t] <= t || (c->lx->tok[t].flags & LEX_CAP) || ends_with_ing(c, t))
            continue;
        if (t > c->s && (is_w(c, t - 1, W_to) || ((wcat(c, t - 1) & C_DET) &&
                                                    !is_w(c, t - 1, W_that))))
            continue;
        return 1;
    }
    return 0;
}

static int find_verbs(struct ctx *c)
{
    struct engine *g = c->g;
    g->nvb = 0;
    for (size_t i = c->s; i < c->e; i++) {
        if (g->vb_end[i] <= i || g->men_at[i] >= 0)
            continue;
        const struct lex_tok *t = &c->lx->tok[i];
        /* a capitalised verb form inside the sentence is a name or a title */
        if ((t->flags & LEX_CAP) && i > c->s && !(t->flags & LEX_ALLCAP))
            continue;
        if (i > c->s) {
            size_t p = i - 1;
            uint32_t cp = wcat(c, p);
            if ((cp & C_DET) && !is_w(c, p, W_that))
                continue; /* "a visit", "their support" */
            if (is_w(c, p, W_s) || is_w(c, p, W_apos))
                continue; /* "Hun Sen's visit" */
            if ((cp & C_PREP) && !is_w(c, p, W_to))
                continue; /* "for talks", "after meeting" */
            if (c->lx->tok[p].kind == LEX_NUM)
                continue; /* "two visits" */
            if (g->men_at[p] >= 0 && (g->men[g->men_at[p]].flags & M_POSS))
                continue;
            /* two finite verbs do not follow each other: "boost trade", "held talks" */
            if (g->verb_at[p] >= 0 &&
                !(wcat(c, p) & (C_BE | C_HAVE | C_DO | C_FUT | C_MODAL)))
                continue;
            /* "US-funded": part of a compound modifier ("re-open" is still a verb) */
            if (is_w(c, p, W_dash) && !(p > c->s && is_prefix(c, p - 1)))
                continue;
        }
        int fk = form_kind(c, g->vb_node[i], i);
        /* "head of", "a visit of": a base or -s form before "of" is a noun */
        if ((fk == FK_BASE || fk == FK_S) && g->vb_end[i] < c->e && is_w(c, g->vb_end[i], W_of))
            continue;
        if ((fk == FK_BASE || fk == FK_S) && noun_phrase_head(c, i)) {
            /* "The Palestinians reject proposed changes": a base form right after a whole
             * actor (determiner and all) with an object after it is a present-tense verb */
            int verb = 0;
            /* "The Kenyan president speaks at a rally": an -s form after a whole actor with a
             * role or a name (not a country used as an adjective: "the US sanctions") */
            if (fk == FK_S && i > c->s + 1 && g->men_at[i - 1] >= 0) {
                const struct mention *m = &g->men[g->men_at[i - 1]];
                size_t b = m->start;
                verb = b > c->s && (wcat(c, b - 1) & C_DET) && !(m->flags & M_POSS) &&
                       (m->role >= 0 || m->entity >= 0) && m->end == i &&
                       !(g->vb_end[i] < c->e && g->vb_end[g->vb_end[i]] > g->vb_end[i]);
            }
            if (!verb && fk == FK_BASE && i > c->s + 1 && g->men_at[i - 1] >= 0 && i + 1 < c->e) {
                const struct mention *m = &g->men[g->men_at[i - 1]];
                size_t b = m->start;
                int whole = b > c->s && (wcat(c, b - 1) & C_DET) && !(m->flags & M_POSS) &&
                            strncmp(m->code, "---", 3) != 0;
                const struct lex_tok *nx = &c->lx->tok[g->vb_end[i]];
                int obj = g->vb_end[i] < c->e && nx->kind == LEX_WORD &&
                          !(wcat(c, g->vb_end[i]) & (C_PREP | C_CONJ | C_SUB));
                verb = whole && obj;
            }
            if (!verb)
                continue;
        }
        /* "signed agreements on infrastructure and trade": after "and", a base or -s form
         * next to a past-tense verb is a noun */
        if (i > c->s && (is_w(c, i - 1, W_and) || is_w(c, i - 1, W_or)) && g->nvb > 0 &&
            (fk == FK_BASE || fk == FK_S) &&
            form_kind(c, g->vb[g->nvb - 1].node, g->vb[g->nvb - 1].start) == FK_PAST)
            continue;
        /* participles used as adjectives: "a planned visit", "arms seized last week",
         * "a body linked to", "the initiative proposed by China" */
        if (fk == FK_PAST && i > c->s) {
            size_t p = i - 1;
            uint32_t cp = wcat(c, p);
            if ((cp & C_DET) && !is_w(c, p, W_that))
                continue;
            /* "reject proposed changes": a participle right after a verb is its object's */
            if (g->verb_at[p] >= 0 && !(cp & (C_BE | C_HAVE | C_DO | C_FUT | C_MODAL)))
                continue;
            /* "..., disputed by Argentina": a reduced relative clause */
            if (is_w(c, p, W_comma) && g->vb_end[i] < c->e && is_w(c, g->vb_end[i], W_by))
                continue;
            /* "welcomed a CPC delegation led by Liu Jianchao": after an actor that is not
             * the clause's subject (a verb came before), or for "led"/"headed by" anywhere,
             * a past form followed by "by" is a reduced relative clause too */
            if (g->men_at[p] >= 0 && !(g->men[g->men_at[p]].flags & M_PRON) &&
                g->vb_end[i] < c->e && is_w(c, g->vb_end[i], W_by)) {
                const char *k = lex_key(c->lx, i);
                size_t kl = c->lx->tok[i].nlen;
                int lead = (kl == 3 && memcmp(k, "led", 3) == 0) ||
                           (kl == 6 && memcmp(k, "headed", 6) == 0);
                if (g->nvb > 0 || lead)
                    continue;
            }
            /* after a noun, or after an object of a preposition ("against 28 officials
             * suspected of"), a past form followed by a preposition, a time or the end of
             * the clause modifies that noun; followed by an object or "that", it is a verb */
            size_t nx = g->vb_end[i];
            uint32_t cn = nx < c->e ? wcat(c, nx) : 0;
            int modifier_next = nx >= c->e || is_w(c, nx, W_comma) || is_w(c, nx, W_period) ||
                                ((cn & C_PREP) && !is_w(c, nx, W_to)) ||
                                (cn & (C_TIMEW | C_ADV | C_WDAY));
            const struct lex_tok *pt = &c->lx->tok[p];
            int noun_before = g->men_at[p] < 0 && pt->kind == LEX_WORD &&
                              !(pt->flags & LEX_CAP) &&
                              (wid(c, p) == 0 || wid(c, p) > c->d->nbuiltin) &&
                              g->verb_at[p] < 0 &&
                              !(pt->nlen > 3 &&
                                memcmp(lex_key(c->lx, p) + pt->nlen - 2, "ly", 2) == 0);
            /* (not the "by" phrase of a reduced relative: "a delegation led by Liu Jianchao
             * arrived in") */
            int object_before = g->men_at[p] >= 0 && (g->men[g->men_at[p]].flags & M_PREP);
            /* "arrested 25 people accused of plotting": after the object of a verb */
            if (g->men_at[p] >= 0 && !object_before && !(g->men[g->men_at[p]].flags & M_PRON)) {
                size_t ms = g->men[g->men_at[p]].start;
                if (ms > c->s && (wcat(c, ms - 1) & C_DET) && !is_w(c, ms - 1, W_that))
                    ms--;
                if (ms > c->s && c->lx->tok[ms - 1].kind == LEX_NUM)
                    ms--;
                if (ms > c->s && g->verb_at[ms - 1] >= 0)
                    object_before = 1;
            }
            if (object_before) {
                size_t ms = g->men[g->men_at[p]].start;
                if (ms > c->s + 1 && is_w(c, ms - 1, W_by) && g->verb_at[ms - 2] < 0 &&
                    g->vb_node[ms - 2] >= 0 && form_kind(c, g->vb_node[ms - 2], ms - 2) == FK_PAST)
                    object_before = 0;
            }
            /* ... unless the sentence has no other verb for it to be the modifier of: "the
             * Bersih movement rallied in Kuala Lumpur to demand ..." */
            int finite_before = 0;
            for (size_t k = 0; k < g->nvb; k++)
                if (!(g->vb[k].flags & V_INF))
                    finite_before = 1;
            if ((noun_before || object_before) && modifier_next &&
                (finite_before || later_finite(c, g->vb_end[i])))
                continue;
        }
        struct verb v;
        memset(&v, 0, sizeof(v));
        v.start = (uint32_t)i;
        v.end = g->vb_end[i];
        v.node = g->vb_node[i];
        v.gov = -1;
        v.src = -1;
        v.vg = (uint32_t)verb_group(c, i, &v.flags);
        v.anchor = v.vg;
        for (int32_t f = c->d->nodes[v.node].vform; f >= 0; f = c->d->vforms[f].next)
            if (c->d->groups[c->d->vforms[f].group].adjective)
                v.flags &= ~(unsigned)V_PASSIVE; /* "was skeptical": a copula */
        if (wcat(c, i) & C_SPEECH)
            v.flags |= V_SPEECH;
        if (ends_with_ing(c, i)) {
            v.flags |= V_ING;
            /* a bare -ing form is a participle or a gerund, not a finite verb */
            int be = 0;
            for (size_t k = v.vg; k < i; k++)
                if (wcat(c, k) & C_BE)
                    be = 1;
            if (!be)
                continue;
        }
        for (uint32_t k = v.start; k < v.end; k++)
            g->verb_at[k] = (int32_t)g->nvb;
        BILAT_TRY(push_verb(g, &v));
        i = v.end - 1;
    }
    /* "a delegation led by Wang Yi": a role without a country takes its leader's code */
    for (size_t k = 0; k < g->nmen; k++) {
        struct mention *m = &g->men[k];
        size_t t = m->end;
        if ((m->flags & M_PRON) || strncmp(m->code, "---", 3) != 0 || t + 2 >= c->e ||
            g->verb_at[t] >= 0 || !is_w(c, t + 1, W_by) || g->men_at[t + 2] < 0)
            continue;
        const char *key = lex_key(c->lx, t);
        size_t kl = c->lx->tok[t].nlen;
        if (!((kl == 3 && memcmp(key, "led", 3) == 0) ||
              (kl == 6 && memcmp(key, "headed", 6) == 0)))
            continue;
        const struct mention *l = &g->men[g->men_at[t + 2]];
        if (l->start != t + 2 || (l->flags & M_PRON) || !l->code[0] ||
            strncmp(l->code, "---", 3) == 0)
            continue;
        memcpy(m->code, l->code, sizeof(m->code));
        m->entity = l->entity;
        m->country = l->country;
        m->flags |= M_LED;
    }
    /* what is denied is no event: "denied that it had agreed", "rejected reports that",
     * "claims that China would" */
    for (size_t t = c->s + 1; t < c->e; t++) {
        if (!is_w(c, t, W_that))
            continue;
        int denied = (wcat(c, t - 1) & C_CLAIMN) != 0;
        for (size_t k = t > c->s + 3 ? t - 3 : c->s; k < t; k++)
            if (wcat(c, k) & C_DENY)
                denied = 1;
        if (!denied)
            continue;
        for (size_t vi = 0; vi < g->nvb; vi++)
            if (g->vb[vi].start > t)
                g->vb[vi].flags |= V_NEG | V_DENIED;
        break;
    }
    /* "if" and "unless" clauses are conditions, not events (up to the next comma) */
    for (size_t t = c->s; t < c->e; t++) {
        if (!is_w(c, t, W_if) && !is_w(c, t, W_unless_))
            continue;
        size_t end = t + 1;
        while (end < c->e && !is_w(c, end, W_comma) && !is_w(c, end, W_semicolon))
            end++;
        for (size_t vi = 0; vi < g->nvb; vi++)
            if (g->vb[vi].start > t && g->vb[vi].start < end)
                g->vb[vi].flags |= V_COND;
    }
    /* the that-clause of a demand or warning is its content: "demanded that Hamas renounce" */
    for (size_t vi = 0; vi < g->nvb; vi++) {
        const struct verb *v = &g->vb[vi];
        int content = 0;
        for (int32_t f = c->d->nodes[v->node].vform; f >= 0; f = c->d->vforms[f].next)
            if (c->d->groups[c->d->vforms[f].group].content)
                content = 1;
        if (!content)
            continue;
        size_t t = v->end;
        while (t < c->e && t < v->end + 4 && !is_w(c, t, W_that))
            t++;
        if (t >= c->e || !is_w(c, t, W_that))
            continue;
        for (size_t wi = vi + 1; wi < g->nvb; wi++)
            if (g->vb[wi].start > t)
                g->vb[wi].flags |= V_CONTENT;
        break;
    }
    /* infinitives: what governs them */
    for (size_t vi = 0; vi < g->nvb; vi++) {
        struct verb *v = &g->vb[vi];
        if (!(v->flags & V_INF))
            continue;
        size_t to = v->vg; /* the "to" token */
        if (to <= c->s) {
            v->flags |= V_REQUEST;
            continue;
        }
        /* a headline: "Russian PM to visit China", "China, Russia to strengthen cooperation":
         * the subject opens the sentence and "to" follows it: a future act */
        if (g->men_at[to - 1] >= 0 && !(g->men[g->men_at[to - 1]].flags & (M_PREP | M_POSS))) {
            const struct mention *m = &g->men[g->men_at[to - 1]];
            const struct mention *first = &g->men[m->group];
            int verb_before = 0;
            for (size_t k = 0; k < vi; k++)
                if (!(g->vb[k].flags & V_INF))
                    verb_before = 1;
            if (!verb_before && sentence_initial(c, first->start)) {
                v->flags |= V_INTENT;
                continue;
            }
        }
        size_t p = to - 1;
        int not_to = 0;
        while (p > c->s && (wcat(c, p) & C_NEG)) { /* "vowed not to return" */
            not_to = 1;
            p--;
        }
        /* skip the object of a request: "urged Cambodia to", "asked the government to" */
        if (g->men_at[p] >= 0) {
            size_t ms = g->men[g->men_at[p]].start;
            p = ms > c->s ? ms - 1 : ms;
            if (is_w(c, p, W_the) && p > c->s)
                p--;
        }
        while (p > c->s && (wcat(c, p) & C_ADV))
            p--;
        uint32_t cp = wcat(c, p);
        /* "a US offer to host": a noun, not a verb of intent */
        int noun = p > c->s && (((wcat(c, p - 1) & C_DET) && !is_w(c, p - 1, W_that)) ||
                                is_w(c, p - 1, W_s) || g->men_at[p - 1] >= 0) &&
                   !(cp & C_BE) && g->verb_at[p] < 0;
        if (noun)
            cp = 0;
        if (cp & C_NEGGOV) {
            v->flags |= V_NEG;
            v->gov = g->verb_at[p];
        } else if (cp & C_ASPECT) {
            /* "continued to send", "decided to allow": the act itself */
            v->flags |= V_ASPECT;
            v->gov = g->verb_at[p];
            unsigned f = 0;
            v->anchor = (uint32_t)verb_group(c, p, &f);
            v->flags |= f & (V_NEG | V_FUT);
            if (v->gov >= 0)
                v->anchor = g->vb[v->gov].anchor;
        } else if ((cp & C_INTENT) || (cp & C_BE) || is_w(c, p, W_about)) {
            v->flags |= V_INTENT;
            v->gov = g->verb_at[p];
            if (g->men_at[to - 1] >= 0 && v->gov >= 0) {
                /* "agreed with China to ..." is fine; an object before "to" after an intent
                 * verb ("offered Laos to ...") makes it a request-like construction */
            }
            size_t a = p;
            unsigned f = 0;
            a = verb_group(c, p, &f);
            v->flags |= f & (V_NEG | V_MUST);
            v->anchor = (uint32_t)a;
        } else if (g->verb_at[p] >= 0) {
            v->flags |= V_REQUEST;
            v->gov = g->verb_at[p];
        } else {
            v->flags |= V_REQUEST;
        }
        if (v->gov >= 0 && (v->flags & V_INTENT))
            v->anchor = g->vb[v->gov].anchor;
        if (not_to) {
            v->flags |= V_NEG;
            if (v->gov >= 0 && (v->flags & V_INTENT))
                g->vb[v->gov].flags |= V_NEG; /* a vow not to act is no cooperation */
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Step 4: source, patterns, target
 * ------------------------------------------------------------------------------------------ */

/* End of the clause window after a verb. */
static size_t window_end(const struct ctx *c, size_t vi)
{
    const struct engine *g = c->g;
    const struct verb *v = &g->vb[vi];
    size_t lim = v->end + WINDOW < c->e ? v->end + WINDOW : c->e;
    for (size_t i = v->end; i < lim; i++) {
        if (is_w(c, i, W_semicolon))
            return i;
        /* "met with the following: Hun Sen (...)": a colon that opens the list of objects */
        if (is_w(c, i, W_colon) && !(i > v->end && is_w(c, i - 1, W_following)))
            return i;
        uint32_t ct = wcat(c, i);
        if ((ct & C_SUB) && !(ct & C_PREP))
            return i;
        if (is_w(c, i, W_comma) && i + 1 < c->e && (wcat(c, i + 1) & C_REL) &&
            !is_w(c, i + 1, W_that))
            return i;
        if (g->verb_at[i] >= 0 && (size_t)g->verb_at[i] != vi) {
            const struct verb *w = &g->vb[g->verb_at[i]];
            if (!(w->flags & V_INF) || (w->gov >= 0 && (size_t)w->gov != vi)) {
                /* a finite verb: the clause ends before its verb group / subject */
                size_t k = w->vg;
                if (k > v->end && g->men_at[k - 1] >= 0)
                    k = g->men[g->men_at[k - 1]].start;
                return k > v->end ? k : i;
            }
        }
    }
    return lim;
}

/* Match the alternatives of one item at token q; returns the end of the longest or 0. */
static size_t match_item(const struct ctx *c, const struct dict_item *it, size_t q, size_t hi)
{
    const struct dict *d = c->d;
    size_t best = 0;
    for (uint32_t a = 0; a < it->nalt; a++) {
        const struct dict_alt *al = &d->alts[it->first_alt + a];
        if (q + al->n > hi)
            continue;
        uint32_t k = 0;
        while (k < al->n && wid(c, q + k) == d->altw[al->first + k])
            k++;
        if (k == al->n && q + k > best)
            best = q + k;
    }
    return best;
}

/* Match a word element (contiguous items) at q; returns the end or 0. */
static size_t match_words(const struct ctx *c, const struct dict_elem *el, size_t q, size_t hi)
{
    size_t best = 0;
    for (uint32_t a = 0; a < el->nitem; a++) {
        const struct dict_seq *sq = &c->d->seqs[el->first_item + a];
        size_t pos = q;
        uint32_t k = 0;
        for (; k < sq->nitem; k++) {
            size_t e = match_item(c, &c->d->items[sq->first_item + k], pos, hi);
            if (!e)
                break;
            pos = e;
        }
        if (k == sq->nitem && pos > best)
            best = pos;
    }
    return best;
}

/* First mention starting in [lo, hi) that can be a target; returns its index or -1. */
static int32_t mention_from(const struct ctx *c, size_t lo, size_t hi)
{
    const struct engine *g = c->g;
    for (size_t i = lo; i < hi && i < c->e; i++) {
        int32_t m = g->men_at[i];
        if (m >= 0 && g->men[m].start == i && !(g->men[m].flags & M_PRON))
            return m;
    }
    return -1;
}

/*
 * The target when no pattern names one: the first mention after the verb that is not a place
 * ("in Phnom Penh", "at the Royal Palace"); a role without a country ("officials") only when
 * no mention with a country follows in the clause.
 */
static int32_t apposition_party(const struct ctx *c, int32_t who, size_t q, size_t k);

static int32_t default_target(const struct ctx *c, size_t lo, size_t hi, int compound_src)
{
    const struct engine *g = c->g;
    int32_t role_only = -1, place = -1;
    for (size_t i = lo; i < hi && i < c->e; i++) {
        int32_t m = g->men_at[i];
        if (m < 0 || g->men[m].start != i || (g->men[m].flags & M_PRON))
            continue;
        const struct mention *mm = &g->men[m];
        size_t p = i;
        if (p > c->s && is_w(c, p - 1, W_the))
            p--;
        int locative = locative_at(c, m);
        i = mm->end - 1;
        if (strncmp(mm->code, "---", 3) == 0) {
            /* a role word used as an adjective ("military aid") is no actor */
            int adjectival = 0;
            if (mm->end < c->e) {
                const struct lex_tok *nx = &c->lx->tok[mm->end];
                uint32_t w = wid(c, mm->end);
                adjectival = nx->kind == LEX_WORD && !(nx->flags & LEX_CAP) &&
                             (w == 0 || w > c->d->nbuiltin) && g->men_at[mm->end] < 0;
            }
            if (role_only < 0 && !adjectival && !locative)
                role_only = m;
            continue;
        }
        if (locative) {
            if (place < 0 && !compound_src)
                place = m;
            continue;
        }
        /* "met Thongloun Sisoulith, general secretary of the LPRP, ...": a party title in
         * an apposition tells for whom the person acts */
        if (mm->end + 1 < c->e && is_w(c, mm->end, W_comma)) {
            size_t q = mm->end + 1, k = q;
            while (k < c->e && k < q + 12 && !is_w(c, k, W_comma))
                k++;
            int32_t pt = apposition_party(c, m, q, k);
            if (pt >= 0)
                return pt;
        }
        /* "donated doses of AstraZeneca vaccine to Cambodia": an actor inside the object
         * ("of ...") gives way to a recipient ("to ...") later in the clause */
        if (p > c->s && is_w(c, p - 1, W_of)) {
            for (size_t k = mm->end; k + 1 < hi && k + 1 < c->e; k++) {
                int32_t r = g->men_at[k + 1];
                if (is_w(c, k, W_to) && r >= 0 && g->men[r].start == k + 1 &&
                    !(g->men[r].flags & M_PRON) && strncmp(g->men[r].code, "---", 3) != 0)
                    return r;
            }
        }
        return m;
    }
    return place >= 0 ? place : role_only;
}

/* End of a mention's compound (the last token of its last member). */
static size_t group_end(const struct ctx *c, int32_t m)
{
    const struct engine *g = c->g;
    size_t end = g->men[m].end;
    for (size_t k = (size_t)m + 1; k < g->nmen && g->men[k].group == g->men[m].group; k++)
        end = g->men[k].end;
    return end;
}

/*
 * Match pattern p around verb v: pre elements in [plo, v->vg), post elements in
 * [v->end, phi). On success returns 1 and the target mention (or -1) in *tgt.
 */
static int lead_prep(const struct ctx *c, const struct dict_elem *el);

static int match_pattern(const struct ctx *c, const struct dict_pattern *p,
                         const struct verb *v, size_t plo, size_t phi, size_t dobj,
                         int32_t *tgt)
{
    const struct dict *d = c->d;
    *tgt = -1;
    size_t pos = plo;
    for (uint16_t k = 0; k < p->npre; k++) {
        const struct dict_elem *el = &d->elems[p->first_elem + k];
        if (el->type != PE_WORDS)
            continue;
        size_t found = 0;
        for (size_t q = pos; q < v->vg && !found; q++)
            found = match_words(c, el, q, v->vg);
        if (!found)
            return 0;
        pos = found;
    }
    pos = v->end;
    for (uint16_t k = 0; k < p->npost; k++) {
        const struct dict_elem *el = &d->elems[p->first_elem + p->npre + k];
        size_t gap = (k == 0 || el->type == PE_TARGET) ? MAXGAP_FIRST : MAXGAP;
        size_t lim = pos + gap + 1 < phi ? pos + gap + 1 : phi;
        if (el->type == PE_TARGET || el->type == PE_SOURCE) {
            int32_t m = mention_from(c, pos, lim);
            if (m < 0)
                return 0;
            if (el->type == PE_TARGET)
                *tgt = m;
            pos = group_end(c, m);
            continue;
        }
        /* a first element that is a preposition ("* to +") is not looked for past an actor
         * that is the verb's object: "thanked the CPC for donating vaccines to Cambodia" */
        if (k == 0 && dobj < lim && lead_prep(c, el))
            lim = dobj + 1;
        size_t found = 0;
        for (size_t q = pos; q < lim && !found; q++)
            found = match_words(c, el, q, phi);
        if (!found)
            return 0;
        pos = found;
    }
    return 1;
}

/* Does every alternative of the word element start with a preposition? */
static int lead_prep(const struct ctx *c, const struct dict_elem *el)
{
    const struct dict *d = c->d;
    for (uint32_t a = 0; a < el->nitem; a++) {
        const struct dict_seq *sq = &d->seqs[el->first_item + a];
        if (!sq->nitem)
            return 0;
        const struct dict_item *it = &d->items[sq->first_item];
        for (uint32_t b = 0; b < it->nalt; b++) {
            const struct dict_alt *al = &d->alts[it->first_alt + b];
            if (!al->n || !(c->g->cat[d->altw[al->first]] & C_PREP))
                return 0;
        }
    }
    return 1;
}

/* The verb's object when it is an actor with a country or name, right after the verb (over a
 * determiner): its first token, else (size_t)-1. */
static size_t direct_object(const struct ctx *c, const struct verb *v)
{
    const struct engine *g = c->g;
    size_t t = v->end;
    if (t < c->e && (wcat(c, t) & C_DET) && !is_w(c, t, W_that))
        t++;
    if (t >= c->e || g->men_at[t] < 0)
        return (size_t)-1;
    const struct mention *m = &g->men[g->men_at[t]];
    if (m->start != t || (m->flags & M_PRON) || !m->code[0] || strncmp(m->code, "---", 3) == 0)
        return (size_t)-1;
    return t;
}

/* Resolve a pronoun subject at verb vi: the speaker of an enclosing reported speech, else the
 * source of the nearest earlier verb. */
static int32_t pronoun_source(const struct ctx *c, size_t vi)
{
    const struct engine *g = c->g;
    for (size_t k = vi; k-- > 0;)
        if ((g->vb[k].flags & V_SPEECH) && g->vb[k].src >= 0)
            return g->vb[k].src;
    for (size_t k = vi; k-- > 0;)
        if (g->vb[k].src >= 0)
            return g->vb[k].src;
    return -1;
}

/*
 * Is there a finite verb in the words before the comma or quote at t, back to the previous
 * comma, that is not in a relative clause ("China, which backs Cambodia, said")? Then the
 * comma closes a reported clause.
 */
static int clause_before(const struct ctx *c, size_t t)
{
    const struct engine *g = c->g;
    if (is_w(c, t, W_quote))
        return 1;
    size_t q = t;
    while (q > c->s && !is_w(c, q - 1, W_comma) && !is_w(c, q - 1, W_semicolon))
        q--;
    if (q < t && (wcat(c, q) & C_REL))
        return 0;
    for (size_t k = q; k < t; k++)
        if (g->verb_at[k] >= 0 && !(g->vb[g->verb_at[k]].flags & V_INF))
            return 1;
    return 0;
}

/* Tokens [i, j) hold a word that is neither a function word, a number nor punctuation. */
static int unknown_np(const struct ctx *c, size_t i, size_t j)
{
    for (size_t k = i; k < j; k++) {
        const struct lex_tok *t = &c->lx->tok[k];
        if (t->kind == LEX_WORD && (wid(c, k) == 0 || wid(c, k) > c->d->nbuiltin))
            return 1;
    }
    return 0;
}

/* In an apposition [q, k) after the person mention `who`: a mention with a party title of the
 * person's country, or -1. */
static int32_t apposition_party(const struct ctx *c, int32_t who, size_t q, size_t k)
{
    const struct engine *g = c->g;
    for (size_t t = q; t < k; t++) {
        int32_t mi = g->men_at[t];
        if (mi < 0 || g->men[mi].start != t)
            continue;
        const struct mention *m = &g->men[mi];
        if (party_title(m) && strncmp(m->code, g->men[who].code, 3) == 0 &&
            g->men[who].role < 0)
            return mi;
        return -1;
    }
    return -1;
}

/* The subject of verb vi: scan left from its anchor. */
static int32_t find_source(const struct ctx *c, size_t vi)
{
    const struct engine *g = c->g;
    const struct verb *v = &g->vb[vi];
    if (v->gov >= 0 && (v->flags & (V_INTENT | V_ASPECT)) && g->vb[v->gov].src >= 0)
        return g->vb[v->gov].src;
    size_t a = v->anchor;
    /* inverted speech: "'...,' said the minister", "..., said Wang Yi, the foreign minister"
     * (not "X, the party leader, told ...": the words before the comma must hold a verb) */
    if ((v->flags & V_SPEECH) && !is_w(c, v->start, W_told) && !is_w(c, v->start, W_tell) &&
        !is_w(c, v->start, W_tells) && a > c->s &&
        (is_w(c, a - 1, W_comma) || is_w(c, a - 1, W_quote)) && clause_before(c, a - 1)) {
        size_t t = v->end;
        if (t < c->e && (wcat(c, t) & C_DET) && !is_w(c, t, W_that))
            t++;
        if (t < c->e && g->men_at[t] >= 0 && g->men[g->men_at[t]].start == t &&
            !(g->men[g->men_at[t]].flags & M_PRON))
            return g->men_at[t];
    }
    if (a == c->s)
        return -1;
    /* conjoined verbs: "X condemned Y and promised ...": the earlier verb's subject */
    size_t p = a - 1;
    if ((is_w(c, p, W_and) || is_w(c, p, W_but)) && vi > 0) {
        for (size_t k = vi; k-- > 0;) {
            const struct verb *w = &g->vb[k];
            if (w->src >= 0 && !(w->flags & V_INF)) {
                /* only when no subject stands between "and" and the verb */
                return w->src;
            }
        }
    }
    /* relative pronoun right before the verb group: "X, who visited ..." */
    if (wcat(c, p) & C_REL) {
        size_t q = p;
        if (q > c->s && is_w(c, q - 1, W_comma))
            q--;
        if (q > c->s && g->men_at[q - 1] >= 0)
            return g->men_at[q - 1];
        return -1;
    }
    int32_t possessor = -1; /* "Europe's leading security forum": the possessor, at worst */
    for (size_t k = a; k-- > c->s;) {
        if (is_w(c, k, W_semicolon))
            return possessor;
        int32_t mi = g->men_at[k];
        if (mi >= 0) {
            const struct mention *m = &g->men[mi];
            if (m->flags & M_PRON)
                return pronoun_source(c, vi);
            /* "Supporters of former President Bolsonaro stormed ...": the head before "of" */
            size_t b = m->start;
            if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
                b--;
            if (b > c->s + 1 && is_w(c, b - 1, W_of) && g->men_at[b - 2] >= 0 &&
                !(g->men[g->men_at[b - 2]].flags & (M_PRON | M_PREP | M_POSS)))
                return g->men_at[b - 2];
            if (!(m->flags & (M_PREP | M_POSS)))
                return mi;
            if ((m->flags & M_POSS) && !(m->flags & M_PREP) && possessor < 0)
                possessor = mi;
            k = m->start;
            continue;
        }
        if (is_w(c, k, W_comma)) {
            /* comma-delimited insert: relative clause or apposition */
            size_t q = k;
            while (q > c->s && !is_w(c, q - 1, W_comma) && !is_w(c, q - 1, W_semicolon))
                q--;
            if (q > c->s && is_w(c, q - 1, W_comma) && q < k) {
                int rel = (wcat(c, q) & C_REL) != 0;
                int has_verb = 0;
                for (size_t t = q; t < k; t++)
                    if (g->verb_at[t] >= 0)
                        has_verb = 1;
                if (rel || !has_verb) {
                    /* subject before the insert, if any; a party title in the insert tells
                     * for whom the person acts ("Thongloun Sisoulith, general secretary of
                     * the LPRP, met ...") */
                    if (q - 1 > c->s && g->men_at[q - 2] >= 0 &&
                        !(g->men[g->men_at[q - 2]].flags & (M_PREP | M_POSS))) {
                        int32_t pt = rel ? -1 : apposition_party(c, g->men_at[q - 2], q, k);
                        return pt >= 0 ? pt : g->men_at[q - 2];
                    }
                    if (rel) {
                        k = q - 1;
                        continue;
                    }
                }
            }
            continue;
        }
        if (g->verb_at[k] >= 0 && (size_t)g->verb_at[k] != vi)
            return -1; /* another clause */
        /* "Xi met the party chief in Hanoi and the two sides signed ...": after a clause with
         * a verb of its own, "and" and words no dictionary knows start a subject we do not
         * know */
        if ((is_w(c, k, W_and) || is_w(c, k, W_but)) && k + 1 < a && unknown_np(c, k + 1, a)) {
            for (size_t w = 0; w < vi; w++)
                if (g->vb[w].end <= k && !(g->vb[w].flags & V_INF))
                    return -1;
        }
        uint32_t ct = wcat(c, k);
        if ((ct & C_SUB) && !(ct & C_PREP))
            return possessor;
        if (is_w(c, k, W_that) && k + 1 < c->e && g->men_at[k + 1] < 0)
            return possessor;
    }
    return possessor;
}

/* Passive voice: the first mention after "by" in [lo, hi). */
static int32_t passive_by(const struct ctx *c, size_t lo, size_t hi)
{
    for (size_t i = lo; i + 1 < hi; i++)
        if (is_w(c, i, W_by)) {
            /* over a determiner, "both" and up to three modifiers: "by visiting Chinese
             * President Xi Jinping", "by both Russia and China" */
            size_t k = i + 1;
            if (k < hi && (wcat(c, k) & C_DET) && !is_w(c, k, W_that))
                k++;
            for (size_t n = 0; n < 3 && k < hi && c->g->men_at[k] < 0 &&
                               (modifier(c, k) || ends_with_ing(c, k));
                 n++)
                k++;
            if (k < hi && c->g->men_at[k] >= 0 && !(c->g->men[c->g->men_at[k]].flags & M_PRON))
                return c->g->men_at[k];
            return -1;
        }
    return -1;
}

static int push_event(struct ctx *c, const struct eng_event *ev)
{
    struct eng_out *o = c->out;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->ev[i].src.code, ev->src.code) == 0 &&
            strcmp(o->ev[i].tgt.code, ev->tgt.code) == 0 &&
            strcmp(o->ev[i].cameo, ev->cameo) == 0)
            return 0;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 8;
        struct eng_event *p = bilat_realloc_array(o->ev, cap, sizeof(*p));
        if (!p)
            return BILAT_ENOMEM;
        o->ev = p;
        o->cap = cap;
    }
    o->ev[o->n++] = *ev;
    return 0;
}

static void fill_actor(const struct ctx *c, const struct mention *m, struct eng_actor *a)
{
    a->start = m->start;
    a->end = m->end;
    snprintf(a->code, sizeof(a->code), "%s", m->code);
    a->ent = m->entity >= 0 ? &c->d->actors[m->entity]
                            : (m->country >= 0 ? &c->d->actors[m->country] : NULL);
    a->role = m->role >= 0 ? &c->d->roles[m->role] : NULL;
    a->named = m->entity >= 0 || (m->country >= 0 && m->role < 0);
}

/* Apply the intent rules (longest matching prefix). */
static void intent_code(const struct dict *d, char *code)
{
    size_t best = 0;
    const char *to = NULL;
    for (uint32_t i = 0; i < d->nrules; i++) {
        size_t n = strlen(d->rules[i].prefix);
        if (n > best && strncmp(code, d->rules[i].prefix, n) == 0) {
            best = n;
            to = d->rules[i].code;
        }
    }
    if (to)
        snprintf(code, 6, "%s", to);
}

static int emit(struct ctx *c, size_t vi, int32_t src, int32_t tgt, const struct dict_pcode *pc,
                int32_t pat, int32_t group, const struct dict_vform *vf, unsigned evflags)
{
    struct engine *g = c->g;
    struct verb *v = &g->vb[vi];
    char ca[6], cb[6];
    snprintf(ca, sizeof(ca), "%s", pc->a);
    snprintf(cb, sizeof(cb), "%s", pc->b);
    if (evflags & BILAT_EVENT_INTENT) {
        if (ca[0])
            intent_code(c->d, ca);
        if (cb[0])
            intent_code(c->d, cb);
    }
    size_t before = c->out->n;
    struct eng_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.vstart = v->start;
    ev.vend = v->end;
    ev.pattern = pat;
    ev.group = group;
    ev.vform = vf;
    uint32_t sg = g->men[src].group;
    int place = 0;
    if (tgt >= 0 && (strncmp(ca, "042", 3) == 0 || strncmp(ca, "043", 3) == 0)) {
        size_t p = g->men[tgt].start;
        if (p > c->s && is_w(c, p - 1, W_the))
            p--;
        place = locative_at(c, tgt);
        /* a bare country or city ("travelled to Shanghai") is a place too */
        const struct mention *tm = &g->men[tgt];
        if (tm->entity < 0 && tm->role < 0 && tm->country >= 0)
            place = 1;
    }
    for (size_t i = 0; i < g->nmen; i++) {
        if (g->men[i].group != sg || !g->men[i].code[0])
            continue;
        if (tgt < 0) {
            /* reciprocal events among the members of a compound source (not for a passive:
             * "was condemned by both Russia and China" is no act between the two) */
            for (size_t j = 0; j < g->nmen && !(v->flags & V_PASSIVE); j++) {
                if (j == i || g->men[j].group != sg || !g->men[j].code[0])
                    continue;
                if (!ca[0] || strcmp(g->men[i].code, g->men[j].code) == 0)
                    continue;
                fill_actor(c, &g->men[i], &ev.src);
                fill_actor(c, &g->men[j], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", ca);
                ev.flags = evflags;
                BILAT_TRY(push_event(c, &ev));
            }
            if (c->flags & BILAT_CODER_MONADIC && ca[0]) {
                int compound = 0;
                for (size_t j = 0; j < g->nmen; j++)
                    if (j != i && g->men[j].group == sg)
                        compound = 1;
                if (!compound || (v->flags & V_PASSIVE)) {
                    fill_actor(c, &g->men[i], &ev.src);
                    memset(&ev.tgt, 0, sizeof(ev.tgt));
                    snprintf(ev.cameo, sizeof(ev.cameo), "%s", ca);
                    ev.flags = evflags;
                    BILAT_TRY(push_event(c, &ev));
                }
            }
            continue;
        }
        uint32_t tg = g->men[tgt].group;
        for (size_t j = 0; j < g->nmen; j++) {
            if (g->men[j].group != tg || !g->men[j].code[0])
                continue;
            if (strcmp(g->men[i].code, g->men[j].code) == 0)
                continue;
            /* "Chinese and Cambodian officials attended a ceremony at Ream Naval Base": going
             * to a place of one's own country is no visit */
            if (place && memcmp(g->men[i].code, g->men[j].code, 3) == 0 &&
                g->men[i].code[0] != '-')
                continue;
            if (ca[0]) {
                fill_actor(c, &g->men[i], &ev.src);
                fill_actor(c, &g->men[j], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", ca);
                ev.flags = evflags;
                BILAT_TRY(push_event(c, &ev));
            }
            if (cb[0]) {
                fill_actor(c, &g->men[j], &ev.src);
                fill_actor(c, &g->men[i], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", cb);
                ev.flags = evflags | BILAT_EVENT_REVERSE;
                BILAT_TRY(push_event(c, &ev));
            }
        }
    }
    v->first_ev = before;
    v->nev = c->out->n - before;
    return 0;
}

/* How telling a reason is: a negation or denial explains more than a missing target. */
static int reason_rank(const char *pre)
{
    if (strncmp(pre, "negated", 7) == 0 || strncmp(pre, "denied", 6) == 0)
        return 3;
    if (strncmp(pre, "no code", 7) == 0 || strncmp(pre, "the pattern", 11) == 0)
        return 2;
    return 1;
}

static void set_reason(struct ctx *c, const char *pre, const char *post, size_t vi)
{
    if (c->out->uncoded && c->rank >= reason_rank(pre))
        return;
    c->rank = reason_rank(pre);
    int n;
    const char *t = span(c, c->g->vb[vi].start, c->g->vb[vi].end, &n);
    snprintf(c->out->why, sizeof(c->out->why), "%s\"%.*s\"%s", pre, n, t, post);
    c->out->uncoded = c->out->why;
}

/*
 * A speech verb that closes the sentence after a comma or a quote ("..., the foreign ministry
 * said on Tuesday", "...,' said Wang Yi"): the first token of its clause (the comma), else 0.
 */
static size_t speech_clause_start(const struct ctx *c, size_t vi)
{
    const struct engine *g = c->g;
    const struct verb *v = &g->vb[vi];
    for (size_t wi = vi + 1; wi < g->nvb; wi++)
        if (!(g->vb[wi].flags & V_INF))
            return 0; /* a finite verb follows: the speech verb opens what it reports */
    size_t b = v->vg;
    if (v->src >= 0 && g->men[v->src].start < b)
        b = g->men[v->src].start;
    if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
        b--;
    if (b > c->s && (is_w(c, b - 1, W_comma) || is_w(c, b - 1, W_quote)))
        return b - 1;
    return 0;
}

static int code_verb(struct ctx *c, size_t vi)
{
    struct engine *g = c->g;
    const struct dict *d = c->d;
    struct verb *v = &g->vb[vi];
    int n;
    const char *vt = span(c, v->start, v->end, &n);
    if (v->flags & V_REQUEST) {
        BILAT_TRY(ex(c, "  verb     \"%.*s\": the content of a request, not coded itself\n", n,
                     vt));
        return 0;
    }
    int32_t subj = find_source(c, vi);
    v->src = subj;
    if (v->flags & V_COND) {
        BILAT_TRY(ex(c, "  verb     \"%.*s\": in an if or unless clause, not coded\n", n, vt));
        return 0;
    }
    if (v->flags & V_CONTENT) {
        BILAT_TRY(ex(c, "  verb     \"%.*s\": the content of a demand or warning, not coded "
                        "itself\n", n, vt));
        return 0;
    }
    if ((v->flags & V_MUST) && !(v->flags & V_NEG) && subj >= 0 && vi > 0) {
        /* "X said Y must do Z": X demands of Y */
        for (size_t k = vi; k-- > 0;) {
            const struct verb *w = &g->vb[k];
            if (w->src < 0 || w->src == subj)
                continue;
            struct dict_pcode dem;
            memset(&dem, 0, sizeof(dem));
            memcpy(dem.a, "100", 3);
            BILAT_TRY(ex(c, "  verb     \"%.*s\" with \"must\": a demand of the reported "
                            "subject\n", n, vt));
            BILAT_TRY(emit(c, vi, w->src, subj, &dem, -1, -1, NULL, 0));
            g->vb[k].flags |= V_ABSORBED;
            return 0;
        }
    }
    int32_t src = subj, tgt = -1;
    size_t wend = window_end(c, vi);
    if (v->flags & V_PASSIVE) {
        int32_t by = passive_by(c, v->end, wend);
        if (by >= 0) {
            src = by;
            tgt = subj;
            v->src = by;
        } else {
            src = -1;
        }
    }
    if (v->flags & V_NEG) {
        BILAT_TRY(ex(c, "  verb     \"%.*s\": %s, no event\n", n, vt,
                     (v->flags & V_DENIED) ? "denied or disputed" : "negated"));
        set_reason(c, (v->flags & V_DENIED) ? "denied or disputed: " : "negated: ", "", vi);
        return 0;
    }
    if (src < 0 || !g->men[src].code[0]) {
        BILAT_TRY(ex(c, "  verb     \"%.*s\": no source actor%s\n", n, vt,
                     (v->flags & V_PASSIVE) ? " (passive without 'by')" : ""));
        set_reason(c, "no source actor for ", (v->flags & V_PASSIVE) ? " (passive)" : "", vi);
        return 0;
    }
    /* patterns of every group the form belongs to */
    size_t plo = g->men[src].start < v->vg ? g->men[src].start : c->s;
    if (v->flags & V_PASSIVE)
        plo = subj >= 0 ? g->men[subj].start : c->s;
    int32_t best = -1, best_tgt = -1;
    int best_score = -1;
    size_t dobj = (v->flags & V_PASSIVE) ? (size_t)-1 : direct_object(c, v);
    const struct dict_vform *def_vf = NULL;
    for (int32_t f = d->nodes[v->node].vform; f >= 0; f = d->vforms[f].next) {
        const struct dict_vform *vf = &d->vforms[f];
        const struct dict_group *gr = &d->groups[vf->group];
        if (!def_vf || vf->file > def_vf->file ||
            (vf->file == def_vf->file && vf->line > def_vf->line))
            def_vf = vf;
        for (uint32_t k = 0; k < gr->npat; k++) {
            int32_t pi = (int32_t)(gr->first_pat + k);
            const struct dict_pattern *p = &d->pats[pi];
            if ((p->need & c->mask) != p->need)
                continue;
            if (best >= 0) {
                const struct dict_pattern *b = &d->pats[best];
                if (p->score < best_score ||
                    (p->score == best_score && p->file < b->file) ||
                    (p->score == best_score && p->file == b->file && p->line >= b->line))
                    continue;
            }
            int32_t t;
            if (match_pattern(c, p, v, plo, wend, dobj, &t)) {
                best = pi;
                best_score = p->score;
                best_tgt = t;
            }
        }
    }
    struct dict_pcode pc;
    int32_t group = -1;
    if (best >= 0) {
        pc = d->pats[best].code;
        if (best_tgt >= 0 && !(v->flags & V_PASSIVE))
            tgt = best_tgt;
    } else {
        memset(&pc, 0, sizeof(pc));
        /* the default code: the form's own code, else its group's (latest file wins) */
        const struct dict_vform *use = NULL;
        for (int32_t f = d->nodes[v->node].vform; f >= 0; f = d->vforms[f].next) {
            const struct dict_vform *vf = &d->vforms[f];
            struct dict_pcode cand;
            if (vf->code)
                dict_pcode_parse(vf->code, strlen(vf->code), &cand);
            else
                cand = d->groups[vf->group].code;
            if (!cand.a[0] && !cand.b[0])
                continue;
            if (!use || vf->file > use->file ||
                (vf->file == use->file && vf->line > use->line)) {
                use = vf;
                pc = cand;
            }
        }
        def_vf = use ? use : def_vf;
        group = def_vf ? (int32_t)def_vf->group : -1;
    }
    int compound_src = 0;
    for (size_t j = 0; j < g->nmen; j++)
        if ((int32_t)j != src && g->men[j].group == g->men[src].group)
            compound_src = 1;
    /* "Israel and Lebanon renewed negotiations on an Israeli pullback": a reciprocal act of a
     * compound subject is among its members, whatever follows */
    int reciprocal = pc.a[0] && strcmp(pc.a, pc.b) == 0;
    /* with --monadic, "said", "announced", "added" have no object actor: what follows them is
     * what was said ("said Crimea was part of Russia"), and only a pattern names an addressee
     * ("said to reporters"); "told" does name one */
    int said = (v->flags & V_SPEECH) && !is_w(c, v->start, W_told) &&
               !is_w(c, v->start, W_tell) && !is_w(c, v->start, W_tells);
    if (tgt < 0 && !(v->flags & V_PASSIVE) && !(compound_src && reciprocal) &&
        !(said && (c->flags & BILAT_CODER_MONADIC)))
        tgt = default_target(c, v->end, wend, compound_src);
    /* a statement is not made to the place it is made in ("spoke at a rally in Nairobi") */
    if (tgt >= 0 && best_tgt != tgt && strncmp(pc.a, "01", 2) == 0 && locative_at(c, tgt))
        tgt = -1;
    int content_verb = 0;
    for (int32_t f = d->nodes[v->node].vform; f >= 0; f = d->vforms[f].next)
        if (d->groups[d->vforms[f].group].content)
            content_verb = 1;
    if (tgt < 0 && (content_verb || ((v->flags & V_SPEECH) && !(c->flags & BILAT_CODER_MONADIC)))) {
        /* "X said Y would ...": the subject of the reported clause is the target of the
         * statement (kept only when that clause gives no event of its own) */
        for (size_t wi = vi + 1; wi < g->nvb && tgt < 0; wi++) {
            int32_t m = find_source(c, wi);
            /* (not the speaker itself: "the palace announced that the Queen had died") */
            if (m >= 0 && g->men[m].start >= v->end && !(g->men[m].flags & M_PRON) &&
                strcmp(g->men[m].code, g->men[src].code) != 0)
                tgt = m;
            break;
        }
    }
    if (c->ex) {
        int sn;
        const char *st = span(c, g->men[src].start, g->men[src].end, &sn);
        BILAT_TRY(ex(c, "  verb     \"%.*s\" source \"%.*s\"", n, vt, sn, st));
        if (tgt >= 0) {
            int tn;
            const char *tt = span(c, g->men[tgt].start, g->men[tgt].end, &tn);
            BILAT_TRY(ex(c, " target \"%.*s\"", tn, tt));
        }
        BILAT_TRY(ex(c, "%s%s%s\n", (v->flags & V_PASSIVE) ? " (passive)" : "",
                     (v->flags & (V_FUT | V_INTENT)) ? " (future/intent)" : "",
                     (v->flags & V_SPEECH) ? " (speech)" : ""));
        if (best >= 0) {
            const struct dict_pattern *p = &d->pats[best];
            BILAT_TRY(ex(c, "           pattern %s%s%s \"%s\" (%s:%u, verb %s)\n",
                         p->code.a[0] ? p->code.a : (p->code.b[0] ? "" : "---"),
                         p->code.b[0] ? ":" : "", p->code.b, p->text, d->files[p->file],
                         p->line, d->groups[p->group].name));
        } else if (def_vf) {
            BILAT_TRY(ex(c, "           default code %s%s%s of verb %s (%s:%u)\n",
                         pc.a[0] ? pc.a : (pc.b[0] ? "" : "---"), pc.b[0] ? ":" : "", pc.b,
                         d->groups[def_vf->group].name, d->files[def_vf->file], def_vf->line));
        }
    }
    if (!pc.a[0] && !pc.b[0]) {
        if (best >= 0)
            set_reason(c, "the pattern for ", " says no event", vi);
        else
            set_reason(c, "no code for the verb ", "", vi);
        return 0;
    }
    if (tgt < 0) {
        int compound = 0;
        for (size_t j = 0; j < g->nmen; j++)
            if ((int32_t)j != src && g->men[j].group == g->men[src].group)
                compound = 1;
        if ((!compound || (v->flags & V_PASSIVE)) && !(c->flags & BILAT_CODER_MONADIC)) {
            set_reason(c, "no target actor for ", "", vi);
            return 0;
        }
    }
    unsigned evf = 0;
    if (v->flags & V_PASSIVE)
        evf |= BILAT_EVENT_PASSIVE;
    if (v->flags & (V_FUT | V_INTENT))
        evf |= BILAT_EVENT_INTENT;
    for (size_t k = 0; k < vi; k++)
        if ((g->vb[k].flags & V_SPEECH) && g->vb[k].end <= v->vg)
            evf |= BILAT_EVENT_REPORTED;
    BILAT_TRY(emit(c, vi, src, tgt, &pc, best, group, best >= 0 ? NULL : def_vf, evf));
    if (v->nev == 0 && tgt >= 0 && (c->flags & BILAT_CODER_MONADIC) &&
        !(v->flags & V_PASSIVE) && strcmp(g->men[src].code, g->men[tgt].code) == 0) {
        /* "Jacob Zuma resigned as president of South Africa": the actor acts on itself, an
         * event without a target */
        BILAT_TRY(ex(c, "           the target is the source itself: no target\n"));
        BILAT_TRY(emit(c, vi, src, -1, &pc, best, group, best >= 0 ? NULL : def_vf, evf));
    }
    if (v->nev == 0)
        set_reason(c, "source and target of ", " are the same actor", vi);
    return 0;
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

static int num_at(const struct ctx *c, size_t i, int lo, int hi)
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
            if (i > c->s && (day = num_at(c, i - 1, 1, 31)) &&
                (year = num_at(c, i + 1, 1900, 2099))) {
            } else if ((day = num_at(c, i + 1, 1, 31)) &&
                       ((year = num_at(c, i + 2, 1900, 2099)) ||
                        (is_w(c, i + 2, W_comma) && (year = num_at(c, i + 3, 1900, 2099))))) {
            } else if ((year = num_at(c, i + 1, 1900, 2099))) {
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
        if ((is_w(c, i, W_in) || is_w(c, i, W_during)) && num_at(c, i + 1, 1900, 2099) &&
            !is_w(c, i + 2, W_dash)) {
            int year = num_at(c, i + 1, 1900, 2099);
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
            const char *p = span(c, i, j, &n);
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
        BILAT_TRY(ex(&c, "  date     %s (from the sentence)\n", out->date));
    }
    int32_t discard = lookup(&c);
    BILAT_TRY(build_mentions(&c));
    BILAT_TRY(paren_titles(&c));
    build_compounds(&c);
    place_country(&c);
    BILAT_TRY(find_verbs(&c));
    if (names_fn)
        BILAT_TRY(unknown_names(&c, names_fn, names_ctx));
    if (explain) {
        for (size_t k = 0; k < g->nmen; k++) {
            const struct mention *m = &g->men[k];
            if (m->flags & M_PRON)
                continue;
            int n;
            const char *t = span(&c, m->start, m->end, &n);
            BILAT_TRY(ex(&c, "  actor    \"%.*s\" = %s", n, t, m->code));
            const struct dict_actor *a =
                m->entity >= 0    ? &g->d->actors[m->entity]
                : m->country >= 0 ? &g->d->actors[m->country]
                                  : NULL;
            if (a)
                BILAT_TRY(ex(&c, "  [%s%s%s, %s:%u]", a->id ? a->id : "", a->id ? " " : "",
                             a->name, g->d->files[a->file], a->line));
            if (m->role >= 0) {
                const struct dict_role *ag = &g->d->roles[m->role];
                BILAT_TRY(ex(&c, "  [role %s%s%s, %s:%u]", ag->prefix ? ag->code : "~",
                             ag->prefix ? "~" : ag->code, "", g->d->files[ag->file], ag->line));
            }
            BILAT_TRY(ex(&c, "%s%s%s%s\n", (m->flags & M_LED) ? " (code of its leader)" : "",
                         (m->flags & M_POSS) ? " (possessive)" : "",
                         (m->flags & M_PREP) ? " (object of a preposition)" : "",
                         m->group != k ? " (compound)" : ""));
        }
    }
    if (discard >= 0) {
        snprintf(out->why, sizeof(out->why), "discarded: \"%s\"", g->d->discards[discard]);
        out->uncoded = out->why;
        BILAT_TRY(ex(&c, "  uncoded  %s\n", out->why));
        return 0;
    }
    size_t nreal = 0;
    for (size_t k = 0; k < g->nmen; k++)
        if (!(g->men[k].flags & M_PRON))
            nreal++;
    if (nreal == 0) {
        out->uncoded = "no actor";
        BILAT_TRY(ex(&c, "  uncoded  %s\n", out->uncoded));
        return 0;
    }
    if (g->nvb == 0) {
        out->uncoded = "no verb pattern";
        BILAT_TRY(ex(&c, "  uncoded  %s\n", out->uncoded));
        return 0;
    }
    for (size_t vi = 0; vi < g->nvb; vi++)
        BILAT_TRY(code_verb(&c, vi));
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
            if (g->vb[wi].nev > 0) {
                v->flags |= V_ABSORBED;
                break;
            }
        size_t b = speech_clause_start(&c, vi);
        if (b == 0 || (v->flags & V_ABSORBED))
            continue;
        for (size_t wi = 0; wi < vi; wi++)
            if (g->vb[wi].nev > 0 && g->vb[wi].start < b && !(g->vb[wi].flags & V_ABSORBED)) {
                v->flags |= V_ABSORBED;
                break;
            }
    }
    size_t k = 0;
    for (size_t vi = 0; vi < g->nvb; vi++) {
        const struct verb *v = &g->vb[vi];
        if (v->flags & V_ABSORBED) {
            int n;
            const char *t = span(&c, v->start, v->end, &n);
            BILAT_TRY(ex(&c, "  dropped  %zu event%s of \"%.*s\": %s\n", v->nev,
                         v->nev == 1 ? "" : "s", n, t,
                         (v->flags & V_SPEECH) ? "the reported clause has events"
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
            BILAT_TRY(ex(&c, "  dropped  %zu event%s without a target: the sentence has events "
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
            BILAT_TRY(ex(&c, "  event    %s %s %s%s\n", ev->src.code,
                         ev->tgt.code[0] ? ev->tgt.code : "-", ev->cameo,
                         (ev->flags & BILAT_EVENT_REVERSE) ? " (reverse of a paired code)" : ""));
        }
        if (!out->n)
            BILAT_TRY(ex(&c, "  uncoded  %s\n", out->uncoded));
    }
    return 0;
}
