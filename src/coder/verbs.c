/*
 * verbs.c: the verbs of a sentence (step 3 of engine.c). Verb-form matches that are not inside
 * a mention and not used as nouns (after a determiner, a possessive, a preposition or a
 * number; -ing forms need a form of "be"; participles modifying a noun); the auxiliaries
 * before each (negation, future, the passive, an infinitive); what governs an infinitive
 * (intent, an aspect, refusal, a request); denials, conditions and the content of demands.
 */
#include "coder/engine_int.h"

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Step 3: verbs
 * ------------------------------------------------------------------------------------------ */

int verbs_ing(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    const char *k = lex_key(c->lx, i);
    return t->nlen > 4 && memcmp(k + t->nlen - 3, "ing", 3) == 0;
}

static int push_verb(struct engine *g, const struct verb *v)
{
    return bilat_array_push(&g->vb, &g->nvb, &g->vbcap, sizeof(*v), 16, v);
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
    if (be && !verbs_ing(c, i))
        *flags |= V_PASSIVE;
    if (be && verbs_ing(c, i))
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

/* Is the phrase at trie node `node` a form of a verb (not only an event noun: "talks")? */
static int verb_form(const struct dict *d, int32_t node)
{
    for (int32_t f = d->nodes[node].vform; f >= 0; f = d->vforms[f].next)
        if (!d->groups[d->vforms[f].group].noun)
            return 1;
    return 0;
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
    if (verbs_ing(c, i))
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
        /* "as well as economic sanctions": a noun phrase joined to another */
        if (is_w(c, p, W_as) && p > c->s + 1 && is_w(c, p - 1, W_well) && is_w(c, p - 2, W_as))
            return 1;
        if ((cp & C_DET) && !is_w(c, p, W_that))
            return 1;
        /* (a number in words counts, but a capitalised one right before the form is a
         * subject: "Two Chinese navy ships", "two visits", but "Thousands protest") */
        if (is_w(c, p, W_s) || is_w(c, p, W_apos) ||
            (quantity(c, p) && (!(c->lx->tok[p].flags & LEX_CAP) || p + 1 < i)))
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
        /* (a participle of intent too: "Xi's planned visit") */
        int noun_form = g->vb_end[p] > p && g->verb_at[p] < 0 &&
                        (cp & ~(uint32_t)(C_SPEECH | C_INTENT)) == 0 &&
                        !(c->lx->tok[p].flags & LEX_CAP);
        /* "a three-day state visit": a speech word before it is a noun too */
        if ((cp & C_SPEECH) && g->vb_end[p] <= p && !(c->lx->tok[p].flags & LEX_CAP))
            noun_form = 1;
        if (mention_modifier(c, p) || mention_name_word(c, p) || g->men_at[p] >= 0 ||
            g->role_end[p] > p || g->act_end[p] > p || noun_form) {
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
        if (g->vb_end[t] <= t || (c->lx->tok[t].flags & LEX_CAP) || verbs_ing(c, t))
            continue;
        if (t > c->s && (is_w(c, t - 1, W_to) || ((wcat(c, t - 1) & C_DET) &&
                                                    !is_w(c, t - 1, W_that))))
            continue;
        return 1;
    }
    return 0;
}

/* Is the next verb group from token i on, in the same clause, a form of "be" or "have"
 * followed by a verb form (over adverbs): "were released", "has been", "was later freed"?
 * An -ing form or an infinitive on the way is part of the phrase ("for acting against"). */
static int later_be_verb(const struct ctx *c, size_t i)
{
    for (size_t t = i; t + 1 < c->e; t++) {
        uint32_t ct = wcat(c, t);
        if (is_w(c, t, W_comma) || is_w(c, t, W_semicolon) || (ct & (C_SUB | C_REL)))
            return 0;
        if (ct & (C_BE | C_HAVE)) {
            size_t k = t + 1;
            while (k < c->e && ((wcat(c, k) & (C_ADV | C_BE)) || ly_adverb(c, k)))
                k++;
            return k < c->e && c->g->vb_end[k] > k;
        }
        if (c->g->vb_end[t] > t && !verbs_ing(c, t) && !(t > c->s && is_w(c, t - 1, W_to)) &&
            !(c->lx->tok[t].flags & LEX_CAP))
            return 0;
    }
    return 0;
}

/*
 * Is the finite verb v in a subordinate clause: after a relative pronoun ("who visited",
 * "where 24 people were killed") or with its subject after a subordinator ("when Idi Amin
 * expelled them", "after he was implicated", "as he embarked")?
 */
static int subordinate(const struct ctx *c, const struct verb *v)
{
    const struct engine *g = c->g;
    size_t b = v->vg;
    while (b > c->s && ((wcat(c, b - 1) & C_ADV) || ly_adverb(c, b - 1)))
        b--;
    if (b == c->s)
        return 0;
    if ((wcat(c, b - 1) & C_REL) && !is_w(c, b - 1, W_that))
        return 1;
    int32_t mi = g->men_at[b - 1];
    if (mi < 0 || g->men[mi].end != b)
        return 0;
    b = g->men[g->men[mi].group].start; /* a compound subject from its first member */
    for (int n = 0; n < 2 && b > c->s && mention_modifier(c, b - 1); n++)
        b--; /* "when former dictator Idi Amin" */
    if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
        b--;
    if (b > c->s && quantity(c, b - 1))
        b--;
    if (b == c->s)
        return 0;
    uint32_t ct = wcat(c, b - 1);
    return (ct & C_SUB) || ((ct & C_REL) && !is_w(c, b - 1, W_that)) || is_w(c, b - 1, W_as);
}

/*
 * Find the sentence's verbs (step 3): which forms are verbs, and which verbs are background
 * (subordinate and relative clauses, conditions, denials, infinitives).
 * Long: an ordered list of rules over the same tokens, each a few lines under a comment with
 * its example sentence; their order is the coder's behaviour.
 */
int verbs_find(struct ctx *c)
{
    struct engine *g = c->g;
    g->nvb = 0;
    for (size_t i = c->s; i < c->e; i++) {
        if (g->vb_end[i] <= i || g->men_at[i] >= 0 || !verb_form(c->d, g->vb_node[i]))
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
            if (quantity(c, p) && !(c->lx->tok[p].flags & LEX_CAP))
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
        /* "agreed to talks", "committed to reforms": after "to", only a base form is a verb */
        if (fk == FK_S && i > c->s && is_w(c, i - 1, W_to))
            continue;
        /* "head of", "a visit of", "talks between": a base or -s form before "of" or
         * "between" is a noun */
        if ((fk == FK_BASE || fk == FK_S) && g->vb_end[i] < c->e &&
            (is_w(c, g->vb_end[i], W_of) || is_w(c, g->vb_end[i], W_between)))
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
                if (ms > c->s && quantity(c, ms - 1))
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
            /* "The civilians imprisoned for acting against Moscow were released by Putin":
             * after the subject, before a preposition, and with the clause's own verb group
             * to come ("were released"), a participle modifies the subject */
            if (!finite_before && nx < c->e && (cn & C_PREP) && !is_w(c, nx, W_to) &&
                !is_w(c, nx, W_on) && !(wcat(c, i) & C_SPEECH) && g->men_at[p] >= 0 &&
                !(g->men[g->men_at[p]].flags & (M_PRON | M_PREP | M_POSS)) &&
                later_be_verb(c, g->vb_end[i]))
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
        if (verbs_ing(c, i)) {
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
    /* "a delegation led by Wang Yi", "forces loyal to the CPP": a role without a country
     * takes its leader's code */
    for (size_t k = 0; k < g->nmen; k++) {
        struct mention *m = &g->men[k];
        size_t t = m->end;
        if ((m->flags & M_PRON) || strncmp(m->code, "---", 3) != 0 || t + 2 >= c->e ||
            g->verb_at[t] >= 0)
            continue;
        const char *key = lex_key(c->lx, t);
        size_t kl = c->lx->tok[t].nlen;
        size_t lt = t + 2; /* the leader's first token */
        if (is_w(c, t + 1, W_by) && ((kl == 3 && memcmp(key, "led", 3) == 0) ||
                                     (kl == 6 && memcmp(key, "headed", 6) == 0))) {
        } else if (is_w(c, t + 1, W_to) && kl == 5 && memcmp(key, "loyal", 5) == 0) {
            if (is_w(c, lt, W_the))
                lt++;
        } else {
            continue;
        }
        if (lt >= c->e || g->men_at[lt] < 0)
            continue;
        const struct mention *l = &g->men[g->men_at[lt]];
        if (l->start != lt || (l->flags & M_PRON) || !l->code[0] ||
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
    /* subordinate and relative clauses: background to the main clause's news */
    for (size_t vi = 0; vi < g->nvb; vi++) {
        if (!(g->vb[vi].flags & V_INF) && subordinate(c, &g->vb[vi]))
            g->vb[vi].flags |= V_SUBORD;
        /* what a subordinate speech verb reports is subordinate too ("as Kigali said it hoped
         * French officials would be indicted") */
        if (vi > 0 && (g->vb[vi - 1].flags & V_SUBORD) && (g->vb[vi - 1].flags & V_SPEECH))
            g->vb[vi].flags |= V_SUBORD;
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
            if (!verb_before && mention_sentence_initial(c, first->start)) {
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
        int object = 0; /* an actor object before "to" (not "with China") */
        if (g->men_at[p] >= 0) {
            object = !(g->men[g->men_at[p]].flags & M_PREP);
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
        } else if ((cp & C_INTENT) && object && !(cp & C_BE)) {
            /* "Obama wants Putin to attack": what one wants of another is a request, not an
             * act or an intent of either */
            v->flags |= V_REQUEST;
            v->gov = g->verb_at[p];
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
        if (v->gov >= 0 && (g->vb[v->gov].flags & V_SUBORD))
            v->flags |= V_SUBORD;
    }
    return 0;
}
