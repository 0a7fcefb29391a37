/*
 * coref.c: what pronouns and descriptions refer to (after step 2 of engine.c, and for the
 * subjects of step 5).
 *
 * - Object pronouns ("Hun Sen received him", "told them") become actors: the latest actor
 *   before them that agrees with them and is not the subject of their clause, in the sentence
 *   or in an earlier sentence of the same line.
 * - "the two sides", "both countries", "the two leaders": the last two actors named, in the
 *   sentence (two different ones before the phrase) or else in the earlier sentences.
 * - "the president", "the minister" opening a clause, with no country: the latest person of
 *   the same role named before ("Obama arrived in Hanoi. The president met ...").
 * - A subject pronoun with nothing to refer to in its sentence ("He met ..." after a sentence
 *   about Obama) takes the latest actor of the earlier sentences that agrees with it, a subject
 *   first (clause.c asks, after the pronoun's own sentence gave nothing).
 *
 * Agreement: "he", "she", "him" and "her" are persons (a named person, a title with or without
 * a name: "the president"); "it" is no person (a state, an organisation, a party, a government);
 * "they" and "them" no single person. The earlier sentences' actors are kept in the engine
 * (coref_remember), the latest eight, and forgotten at each new line.
 */
#include "coder/engine_int.h"

#include <string.h>

enum { P_PERSON, P_THING, P_PLURAL, P_SPEAKER };

static int key_in(const struct ctx *c, size_t i, const char *const *list)
{
    /* (called for every token of every mention: the first letter and the length are compared
     * before the bytes) */
    const char *k = lex_key(c->lx, i);
    size_t n = c->lx->tok[i].nlen;
    for (; *list; list++)
        if ((*list)[0] == k[0] && strlen(*list) == n && memcmp(*list, k, n) == 0)
            return 1;
    return 0;
}

/* Words that name one person by an office. */
static const char *const person_words[] = {
    "president", "minister",  "premier",     "chancellor",  "leader",     "king",
    "queen",     "prince",    "princess",    "sultan",      "emperor",    "pope",
    "spokesman", "spokeswoman", "spokesperson", "ambassador", "envoy",    "secretary",
    "chairman",  "chairwoman", "chief",      "general",     "commander",  "official",
    "governor",  "mayor",     "senator",     "lawmaker",    "diplomat",   "dictator",
    "monarch",   "ruler",     "counterpart", "speaker",     "head",       NULL};

/* The nouns of "the two sides", "both countries". */
static const char *const pair_words[] = {
    "sides",    "countries", "nations",   "leaders",  "governments", "parties",
    "neighbours", "neighbors", "states",  "ministers", "presidents", "premiers",
    "delegations", "men",    "armies",    "militaries", "allies",   "heads",
    "foes",     "rivals",    "capitals",  NULL};

/* Is mention m a person: 1 yes, 0 no, -1 unknown (an entry of the converted PETRARCH lists
 * with an organisation's code, which may be a person: "Kofi Annan", IGOUNO). */
static int person_kind(const struct ctx *c, const struct mention *m)
{
    if ((m->flags & (M_PRON | M_UNKNOWN)) || !m->code[0])
        return 0;
    for (uint32_t t = m->start; t < m->end; t++)
        if (key_in(c, t, person_words))
            return 1;
    /* (a former leader coded ELI, three letters, is held as a country entry) */
    int32_t e = m->entity >= 0 ? m->entity : (m->role < 0 ? m->country : -1);
    if (e >= 0) {
        const struct dict_actor *a = &c->d->actors[e];
        if (a->kind == DK_PERSON)
            return 1;
        if (a->kind != DK_NONE)
            return 0;
        /* (the converted PETRARCH entries have no kind: persons have dated offices) */
        for (uint32_t k = 0; k < a->ncodes; k++)
            if (c->d->codes[a->first_code + k].dated)
                return 1;
        return strlen(m->code) == 3 ? 0 : -1;
    }
    return 0;
}

int coref_person(const struct ctx *c, const struct mention *m)
{
    return person_kind(c, m) == 1;
}

static int pron_class(const struct ctx *c, size_t p)
{
    if (is_w(c, p, W_he) || is_w(c, p, W_she) || is_w(c, p, W_him) || is_w(c, p, W_her))
        return P_PERSON;
    if (is_w(c, p, W_it))
        return P_THING;
    if (is_w(c, p, W_they) || is_w(c, p, W_them))
        return P_PLURAL;
    return P_SPEAKER; /* "we", "I": whoever speaks */
}

/* Is mention k one of a compound of several? */
static int compound_member(const struct engine *g, size_t k)
{
    for (size_t j = 0; j < g->nmen; j++)
        if (j != k && g->men[j].group == g->men[k].group)
            return 1;
    return 0;
}

/* Is the pronoun at token p "we" or "I" (whoever speaks)? */
int coref_first_person(const struct ctx *c, size_t p)
{
    return pron_class(c, p) == P_SPEAKER;
}

int coref_agrees(const struct ctx *c, size_t p, const struct mention *m)
{
    if ((m->flags & (M_PRON | M_UNKNOWN)) || !m->code[0])
        return 0;
    int k = person_kind(c, m);
    switch (pron_class(c, p)) {
    case P_PERSON:
        return k != 0;
    case P_THING:
        return k != 1;
    case P_PLURAL:
        return k != 1 || compound_member(c->g, (size_t)(m - c->g->men));
    default:
        return 1;
    }
}

/* ---------------------------------------------------------------------------------------------
 * The actors of the earlier sentences of the line
 * ------------------------------------------------------------------------------------------ */

void coref_reset(struct engine *g)
{
    g->nmem = 0;
}

void coref_remember(struct ctx *c)
{
    struct engine *g = c->g;
    if (c->e >= c->lx->n)
        return; /* the line's last sentence: nothing will refer to it */
    for (size_t k = 0; k < g->nmen; k++) {
        const struct mention *m = &g->men[k];
        if ((m->flags & (M_PRON | M_UNKNOWN | M_PLACE)) || !m->code[0] ||
            strncmp(m->code, "---", 3) == 0 || mention_locative(c, (int32_t)k))
            continue;
        int subject = 0;
        for (size_t vi = 0; vi < g->nvb; vi++)
            if (g->vb[vi].src == (int32_t)k)
                subject = 1;
        if (g->nmem == COREF_MEM) {
            memmove(g->mem, g->mem + 1, (COREF_MEM - 1) * sizeof(g->mem[0]));
            g->nmem--;
        }
        struct coref_actor *a = &g->mem[g->nmem++];
        memcpy(a->code, m->code, sizeof(a->code));
        a->entity = m->entity;
        a->country = m->country;
        a->role = m->role;
        a->person = (uint8_t)coref_person(c, m);
        a->subject = (uint8_t)subject;
    }
}

/* The latest remembered actor of class `cls` whose code is not `not_code` (may be NULL), or
 * NULL: for a subject pronoun a subject first, for an object pronoun an object first ("Police
 * arrested activists. The government accused them"). */
static const struct coref_actor *mem_find(const struct engine *g, int cls, const char *not_code,
                                          int subject)
{
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = g->nmem; k-- > 0;) {
            const struct coref_actor *a = &g->mem[k];
            if ((pass == 0 && a->subject != subject) ||
                (not_code && strcmp(a->code, not_code) == 0))
                continue;
            if ((cls == P_PERSON && !a->person) ||
                ((cls == P_THING || cls == P_PLURAL) && a->person))
                continue;
            return a;
        }
    return NULL;
}

static void take(struct mention *m, const struct coref_actor *a)
{
    memcpy(m->code, a->code, sizeof(m->code));
    m->entity = a->entity;
    m->country = a->country;
    m->role = a->role;
    m->flags = (m->flags & ~(unsigned)M_PRON) | M_COREF;
}

int32_t coref_from_memory(const struct ctx *c, int32_t pm)
{
    struct mention *m = &c->g->men[pm];
    const struct coref_actor *a = mem_find(c->g, pron_class(c, m->start), NULL, 1);
    if (!a)
        return -1;
    take(m, a);
    return pm;
}

/* ---------------------------------------------------------------------------------------------
 * Changing the mention list
 * ------------------------------------------------------------------------------------------ */

/*
 * Replace the mentions overlapping tokens [lo, hi) with `add` (sorted, inside [lo, hi); their
 * group fields hold the first token of their group's head). Keeps the list in text order and
 * the compound groups (a member whose head was replaced becomes a group of its own).
 */
static int splice(struct ctx *c, const struct mention *add, size_t nadd, uint32_t lo,
                  uint32_t hi)
{
    struct engine *g = c->g;
    size_t need = g->nmen + nadd;
    if (g->men2cap < need) {
        struct mention *p = bilat_realloc_array(g->men2, need + 16, sizeof(*p));
        if (!p)
            return BILAT_ENOMEM;
        g->men2 = p;
        g->men2cap = need + 16;
    }
    size_t n = 0;
    int done = 0;
    for (size_t k = 0; k <= g->nmen; k++) {
        const struct mention *m = k < g->nmen ? &g->men[k] : NULL;
        if (!done && (!m || m->start >= lo)) {
            for (size_t a = 0; a < nadd; a++)
                g->men2[n++] = add[a];
            done = 1;
        }
        if (!m || (m->start < hi && m->end > lo))
            continue;
        struct mention x = *m;
        const struct mention *head = &g->men[m->group];
        x.group = head->start < hi && head->end > lo ? x.start : head->start;
        g->men2[n++] = x;
    }
    struct mention *old = g->men;
    size_t cap = g->mencap;
    g->men = g->men2;
    g->mencap = g->men2cap;
    g->men2 = old;
    g->men2cap = cap;
    g->nmen = n;
    for (size_t i = c->s; i < c->e; i++)
        g->men_at[i] = -1;
    for (size_t k = 0; k < n; k++)
        for (uint32_t t = g->men[k].start; t < g->men[k].end; t++)
            g->men_at[t] = (int32_t)k;
    for (size_t k = 0; k < n; k++)
        g->men[k].group = (uint32_t)g->men_at[g->men[k].group];
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Object pronouns
 * ------------------------------------------------------------------------------------------ */

/* The subject of the clause of token t: the nearest actor (not an object of a preposition,
 * nor a possessor) before the nearest verb form before t; -1 when none. */
static int32_t clause_subject(const struct ctx *c, size_t t)
{
    const struct engine *g = c->g;
    size_t v = t;
    while (v > c->s && t - v < 8 && !(g->vb_end[v - 1] > v - 1 && g->men_at[v - 1] < 0))
        v--;
    if (v == c->s || t - v >= 8)
        return -1;
    for (size_t k = v - 1; k-- > c->s;) {
        if (is_w(c, k, W_semicolon) || (wcat(c, k) & C_SUB))
            return -1;
        int32_t mi = g->men_at[k];
        if (mi >= 0 && !(g->men[mi].flags & (M_PREP | M_POSS)))
            return mi;
    }
    return -1;
}

/* Is "her" at token t an object ("met her.", "told her that") rather than a possessive? */
static int her_object(const struct ctx *c, size_t t)
{
    size_t nx = t + 1;
    if (nx >= c->e)
        return 1;
    const struct lex_tok *k = &c->lx->tok[nx];
    return k->kind == LEX_PUNCT || (wcat(c, nx) & (C_PREP | C_CONJ | C_SUB | C_REL)) ||
           is_w(c, nx, W_that);
}

/*
 * Is the pronoun at t the object of a finite verb: right after it, or after a preposition
 * after it ("received him", "met with them")? Not in an infinitive or a participle clause ("to
 * let them resume", "saying he would welcome him"), whose subject the coder does not know.
 */
static int finite_object(const struct ctx *c, size_t t)
{
    const struct engine *g = c->g;
    size_t v = t;
    if (v > c->s && (wcat(c, v - 1) & C_PREP) && !is_w(c, v - 1, W_of))
        v--;
    if (v == c->s || g->vb_end[v - 1] != v || g->men_at[v - 1] >= 0)
        return 0;
    /* the verb form's first token */
    size_t f = v - 1;
    while (f > c->s && g->vb_end[f - 1] == v)
        f--;
    for (size_t k = c->s; k < f; k++)
        if (g->vb_end[k] == v) {
            f = k;
            break;
        }
    if (f > c->s && is_w(c, f - 1, W_to))
        return 0;
    return !verbs_ing(c, f) || (f > c->s && (wcat(c, f - 1) & C_BE));
}

static int object_pronoun(struct ctx *c, size_t t)
{
    struct engine *g = c->g;
    if (!finite_object(c, t))
        return 0;
    int32_t subj = clause_subject(c, t);
    const char *not_code = subj >= 0 && !(g->men[subj].flags & M_PRON) ? g->men[subj].code : NULL;
    struct mention m = {(uint32_t)t, (uint32_t)t + 1, -1, -1, -1, 0, M_COREF, ""};
    int found = 0;
    for (size_t k = g->nmen; k-- > 0 && !found;) {
        const struct mention *a = &g->men[k];
        if (a->start >= t || (int32_t)k == subj || (a->flags & (M_PREP | M_POSS)) ||
            !coref_agrees(c, t, a) || (not_code && strcmp(a->code, not_code) == 0))
            continue;
        memcpy(m.code, a->code, sizeof(m.code));
        m.entity = a->entity;
        m.country = a->country;
        m.role = a->role;
        found = 1;
    }
    if (!found) {
        const struct coref_actor *a = mem_find(g, pron_class(c, t), not_code, 0);
        if (!a)
            return 0;
        take(&m, a);
    }
    if (t > c->s && (wcat(c, t - 1) & C_PREP) && !is_w(c, t - 1, W_of))
        m.flags |= M_PREP;
    m.group = (uint32_t)t;
    return splice(c, &m, 1, (uint32_t)t, (uint32_t)t + 1);
}

/* ---------------------------------------------------------------------------------------------
 * "the two sides"
 * ------------------------------------------------------------------------------------------ */

static int pair_phrase(struct ctx *c, size_t i, size_t k, size_t end)
{
    struct engine *g = c->g;
    const struct mention *two[2] = {NULL, NULL};
    const struct coref_actor *mem2[2] = {NULL, NULL};
    size_t n = 0;
    for (size_t j = g->nmen; j-- > 0 && n < 2;) {
        const struct mention *a = &g->men[j];
        if (a->start >= i || (a->flags & (M_PRON | M_UNKNOWN)) || !a->code[0] ||
            strncmp(a->code, "---", 3) == 0 || mention_locative(c, (int32_t)j) ||
            (n == 1 && strcmp(a->code, two[0]->code) == 0))
            continue;
        two[n++] = a;
    }
    struct mention add[2];
    memset(add, 0, sizeof(add));
    if (n == 2) {
        add[0] = *two[1];
        add[1] = *two[0];
    } else {
        /* both from the earlier sentences, never one of each */
        n = 0;
        for (size_t j = g->nmem; j-- > 0 && n < 2;) {
            if (n == 1 && strcmp(g->mem[j].code, mem2[0]->code) == 0)
                continue;
            mem2[n++] = &g->mem[j];
        }
        if (n < 2)
            return 0;
        take(&add[0], mem2[1]);
        take(&add[1], mem2[0]);
    }
    for (int a = 0; a < 2; a++) {
        add[a].flags = M_COREF | M_PAIR;
        add[a].group = (uint32_t)i;
    }
    add[0].start = (uint32_t)i;
    add[0].end = (uint32_t)k;
    add[1].start = (uint32_t)k;
    add[1].end = (uint32_t)end;
    if (i > c->s && (wcat(c, i - 1) & C_PREP) && !is_w(c, i - 1, W_of)) {
        add[0].flags |= M_PREP; /* "sources on both sides" */
        add[1].flags |= M_PREP;
    }
    return splice(c, add, 2, (uint32_t)i, (uint32_t)end);
}

/* ---------------------------------------------------------------------------------------------
 * "the president"
 * ------------------------------------------------------------------------------------------ */

/* Does the mention m open a clause: "the" right before it, at the start of the sentence or
 * after "and", "but", a comma or a semicolon? */
static int clause_opening(const struct ctx *c, const struct mention *m)
{
    size_t b = m->start;
    if (b == c->s || !is_w(c, b - 1, W_the))
        return 0;
    b--;
    return b == c->s || is_w(c, b - 1, W_and) || is_w(c, b - 1, W_but) ||
           is_w(c, b - 1, W_comma) || is_w(c, b - 1, W_semicolon) || is_w(c, b - 1, W_quote);
}

static void the_office(struct ctx *c, size_t k)
{
    struct engine *g = c->g;
    struct mention *m = &g->men[k];
    const char *role = c->d->roles[m->role].code;
    for (size_t j = k; j-- > 0;) {
        const struct mention *a = &g->men[j];
        if (coref_person(c, a) && strlen(a->code) > 3 && strcmp(a->code + 3, role) == 0 &&
            strncmp(a->code, "---", 3) != 0) {
            memcpy(m->code, a->code, sizeof(m->code));
            m->entity = a->entity;
            m->country = a->country;
            m->flags |= M_COREF;
            return;
        }
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t j = g->nmem; j-- > 0;) {
            const struct coref_actor *a = &g->mem[j];
            if ((pass == 0 && !a->subject) || !a->person || strlen(a->code) <= 3 ||
                strcmp(a->code + 3, role) != 0)
                continue;
            memcpy(m->code, a->code, sizeof(m->code));
            m->entity = a->entity;
            m->country = a->country;
            m->flags |= M_COREF;
            return;
        }
}

int coref_resolve(struct ctx *c)
{
    struct engine *g = c->g;
    for (size_t t = c->s; t < c->e; t++) {
        if (g->men_at[t] >= 0)
            continue;
        if (is_w(c, t, W_him) || is_w(c, t, W_them) || (is_w(c, t, W_her) && her_object(c, t))) {
            BILAT_TRY(object_pronoun(c, t));
            continue;
        }
        size_t k = 0;
        if (is_w(c, t, W_both))
            k = t + 1;
        else if (is_w(c, t, W_the) && is_w(c, t + 1, W_two))
            k = t + 2;
        if (k && k < c->e && key_in(c, k, pair_words) &&
            !(k + 1 < c->e && (is_w(c, k + 1, W_of) || is_w(c, k + 1, W_s)))) {
            BILAT_TRY(pair_phrase(c, t, k, k + 1));
            t = k;
        }
    }
    for (size_t k = 0; k < g->nmen; k++) {
        const struct mention *m = &g->men[k];
        if (!(m->flags & (M_PRON | M_COREF)) && m->entity < 0 && m->role >= 0 &&
            strncmp(m->code, "---", 3) == 0 && clause_opening(c, m) &&
            !c->d->roles[m->role].prefix && coref_person(c, m))
            the_office(c, k);
    }
    return 0;
}
