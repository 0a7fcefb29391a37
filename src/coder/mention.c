/*
 * mention.c: the actor mentions of a sentence (step 2 of engine.c). Maximal noun groups made
 * of actor and role matches, possessives ("China's foreign minister"), "of", "from" and "in"
 * ("the ambassador of Laos"), titles followed by names no dictionary knows ("Minister Tran
 * Xuan Gia"), titles in brackets ("Hun Sen (Cambodian Prime Minister)"); each gets its CAMEO
 * code at the sentence date. Then compounds ("Cambodia and China", "Cambodian and Chinese
 * officials") and the country of actors named by a role alone, from the place where things
 * happen.
 */
#include "coder/engine_int.h"

#include <stdio.h>
#include <string.h>

static void mention_code(struct ctx *c, struct mention *m)
{
    char b1[48], b2[48];
    const char *ent = m->entity >= 0 ? eng_actor_code(c, &c->d->actors[m->entity], b1) : NULL;
    const char *cty = m->country >= 0 ? eng_actor_code(c, &c->d->actors[m->country], b2) : NULL;
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
 * Step 2: actor mentions
 * ------------------------------------------------------------------------------------------ */

static int push_mention(struct engine *g, const struct mention *m)
{
    return bilat_array_push(&g->men, &g->nmen, &g->mencap, sizeof(*m), 32, m);
}

/* An actor the text leaves unnamed (the agent of a passive without "by"): a mention without
 * tokens, coded "---", in a group of its own; its index in *out. */
int mention_unknown(struct ctx *c, int32_t *out)
{
    struct engine *g = c->g;
    struct mention m = {(uint32_t)c->s, (uint32_t)c->s, -1, -1, -1, 0, M_UNKNOWN, "---"};
    m.group = (uint32_t)g->nmen;
    *out = (int32_t)g->nmen;
    return push_mention(g, &m);
}

/* Is token i an unknown lower-case word (an adjective or modifier we can step over)? */
int mention_modifier(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    uint32_t w = wid(c, i);
    return t->kind == LEX_WORD && !(t->flags & LEX_CAP) && (w == 0 || w > c->d->nbuiltin) &&
           c->g->vb_end[i] == 0 && c->g->act_end[i] == 0 && c->g->role_end[i] == 0;
}

/* Is token i a capitalised word that no dictionary phrase starts with (part of a name)? */
int mention_name_word(const struct ctx *c, size_t i)
{
    const struct lex_tok *t = &c->lx->tok[i];
    return t->kind == LEX_WORD && (t->flags & LEX_CAP) && c->g->act_end[i] == 0 &&
           c->g->role_end[i] == 0 && (wcat(c, i) & (C_MONTH | C_WDAY | C_TIMEW)) == 0 &&
           (wid(c, i) == 0 || wid(c, i) > c->d->nbuiltin);
}

/* Is token k a base verb form used as a noun before a role word ("finance" in "the Thai
 * finance ministry", "trade" in "trade minister")? */
static int verb_modifier(const struct ctx *c, size_t k)
{
    const struct engine *g = c->g;
    if (g->vb_end[k] != k + 1 || k + 1 >= c->e || g->role_end[k + 1] <= k + 1 ||
        g->act_end[k + 1] != 0 || c->lx->tok[k].kind != LEX_WORD ||
        (c->lx->tok[k].flags & LEX_CAP) || wid(c, k) <= c->d->nbuiltin ||
        g->act_end[k] != 0 || g->role_end[k] != 0)
        return 0;
    for (int32_t f = c->d->nodes[g->vb_node[k]].vform; f >= 0; f = c->d->vforms[f].next)
        if (c->d->vforms[f].base)
            return 1;
    return 0;
}

/* After a role or actor at j, skip up to two modifiers if a role or actor follows; after a
 * country alone (`adjective`), a base verb form before a role word too ("the Thai finance
 * ministry"). */
static size_t skip_modifiers(const struct ctx *c, size_t j, int adjective)
{
    size_t k = j;
    while (k < c->e && k < j + 2 &&
           (mention_modifier(c, k) || (adjective && verb_modifier(c, k))))
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
    if (b > c->s && quantity(c, b - 1) && !eng_num_at(c, b - 1, 1900, 2099))
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
    const char *cc = eng_actor_code(c, cty, buf);
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

/* Is token t a hyphen and a past form that makes the word before it a modifier of the noun
 * after it: "-backed", "-funded", "-based" (after a country: "Syrian-backed"), and for a role
 * also "-ruled", "-run", "-owned", "-led" ("military-ruled Myanmar", "state-owned company";
 * not "-held": the rebels of "the rebel-held town" are what is shelled)? */
static int hyphen_participle(const struct ctx *c, size_t t, int role)
{
    static const char *const forms[] = {"backed", "funded", "sponsored", "supported",
                                        "financed", "trained", "armed", "based", "allied",
                                        /* roles only: */
                                        "ruled", "run", "owned", "led", "appointed",
                                        "installed"};
    if (t + 1 >= c->e || !is_w(c, t, W_dash))
        return 0;
    const char *k = lex_key(c->lx, t + 1);
    size_t n = c->lx->tok[t + 1].nlen;
    for (size_t i = 0; i < (role ? sizeof(forms) / sizeof(forms[0]) : 9u); i++)
        if (n == strlen(forms[i]) && memcmp(k, forms[i], n) == 0)
            return 1;
    return 0;
}

/* "Syrian-backed", "Iranian-funded", "European-based", "military-ruled": a country or a role
 * before a hyphen and such a past form backs the noun after it, or says where it is or who
 * rules it, and is no actor of the sentence ("a Saudi-led coalition" is the leader's, and
 * stays). */
static int backer(const struct ctx *c, const struct mention *m)
{
    if (m->entity >= 0 || (m->role >= 0 && m->country >= 0) || (m->role < 0 && m->country < 0))
        return 0;
    return hyphen_participle(c, m->end, m->role >= 0);
}

/* Is actor entry a a person: of kind person, or (the converted PETRARCH entries have no kind)
 * with dated codes? */
static int person_entry(const struct dict *d, const struct dict_actor *a)
{
    if (a->kind == DK_PERSON)
        return 1;
    if (a->kind != DK_NONE)
        return 0;
    for (uint32_t k = 0; k < a->ncodes; k++)
        if (d->codes[a->first_code + k].dated)
            return 1;
    return 0;
}

/*
 * Group the sentence's tokens into actor mentions (step 2), left to right.
 * Long: one pass with one cursor; its cases (country adjectives, titles with names,
 * possessives, roles, names no dictionary knows) each move the same cursor and the mention
 * being built, so they stay in one loop, each under a comment with its example.
 */
int mention_build(struct ctx *c)
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
                const char *code = eng_actor_code(c, a, buf);
                if (!code)
                    break;
                /* (a person whose office the dictionaries do not know at the date has a
                 * country's code, yet is a person: "Indian Prime Minister Narendra Modi") */
                int person = person_entry(d, a);
                if (strlen(code) == 3 && !(person && m.entity < 0 && (m.country >= 0 ||
                                                                       m.role >= 0))) {
                    if (m.country >= 0) {
                        /* "the Malaysian Chinese Association": a second country adjective
                         * inside a proper name is part of the name, not an actor */
                        if (m.entity < 0 && ae < c->e && (c->lx->tok[j].flags & LEX_CAP) &&
                            (c->lx->tok[ae].flags & LEX_CAP) &&
                            (mention_name_word(c, ae) || g->role_end[ae] > ae)) {
                            j = ae;
                            while (j < c->e && mention_name_word(c, j))
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
                        const char *pc = eng_actor_code(c, &d->actors[m.entity], pb);
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
                        /* (a role word that is the whole name counts: "the Brazilian
                         * Senate", where "Senate" alone names another country's) */
                        if (g->role_end[j] == stop) {
                            int32_t ri = g->role_idx[j];
                            if (m.role < 0 ||
                                strlen(d->roles[ri].code) > strlen(d->roles[m.role].code))
                                m.role = ri;
                        }
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
                        j = skip_modifiers(c, j, m.country >= 0 && m.role < 0 && m.entity < 0);
                        continue;
                    }
                    m.entity = g->act_idx[j];
                }
                j = ae;
                j = skip_modifiers(c, j, m.country >= 0 && m.role < 0 && m.entity < 0);
                continue;
            }
            if (ge > j) {
                int32_t ai = g->role_idx[j];
                if (m.role < 0 ||
                    strlen(d->roles[ai].code) > strlen(d->roles[m.role].code))
                    m.role = ai;
                j = ge;
                j = skip_modifiers(c, j, m.country >= 0 && m.role < 0 && m.entity < 0);
                continue;
            }
            if (j > i && (is_w(c, j, W_s) || is_w(c, j, W_apos))) {
                /* possessive: part of the group when an actor or role follows */
                size_t k = skip_modifiers(c, j + 1, 0);
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
                if (k + 1 < c->e && quantity(c, k)) /* "doctors from two American groups" */
                    k++;
                /* "dissidents from military-ruled Myanmar" */
                if (k + 3 < c->e && g->role_end[k] == k + 1 && hyphen_participle(c, k + 1, 1))
                    k += 3;
                if (k < c->e && g->act_end[k] > k) {
                    if (is_w(c, j, W_in))
                        m.flags |= M_IN;
                    j = k;
                    continue;
                }
                break;
            }
            if (j > i && mention_name_word(c, j) && m.role >= 0 && m.entity < 0) {
                /* a title followed by a name no dictionary knows: "Minister Tran Xuan Gia" */
                while (j < c->e && mention_name_word(c, j))
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
        /* "the Kachin Independence Army": capitalised words no dictionary knows before a
         * capitalised role word name an organisation of that role */
        if (m.role >= 0 && m.entity < 0 && m.country < 0 && (c->lx->tok[i].flags & LEX_CAP) &&
            i > c->s && mention_name_word(c, i - 1) && !mention_sentence_initial(c, i - 1)) {
            size_t b = i;
            while (b > c->s && mention_name_word(c, b - 1) && i - b < 4)
                b--;
            if (b > c->s && ((wcat(c, b - 1) & (C_DET | C_PREP | C_CONJ)) ||
                             is_w(c, b - 1, W_comma))) {
                m.start = (uint32_t)b;
                m.flags |= M_NAME;
            }
        }
        mention_code(c, &m);
        if (m.code[0] && !backer(c, &m)) {
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
    return bilat_array_push(&g->men2, &g->nmen, &g->men2cap, sizeof(*m), 32, m);
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
int mention_party_title(const struct mention *m)
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

int mention_paren_titles(struct ctx *c)
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
                    !mention_party_title(title))
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
            (strncmp(a->code, title->code, 3) != 0 || mention_party_title(title))) {
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
            while (i0 > c->s && mention_name_word(c, i0 - 1))
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
int mention_locative(const struct ctx *c, int32_t m)
{
    const struct engine *g = c->g;
    const struct mention *mm = &g->men[m];
    if (mm->flags & M_PLACE)
        return 1;
    size_t p = mm->start;
    /* over up to two modifiers: "in northern Mali", "in the restive south-western" */
    for (int n = 0; n < 2 && p > c->s && mention_modifier(c, p - 1); n++)
        p--;
    if (p > c->s && is_w(c, p - 1, W_the))
        p--;
    if (p > c->s && (wcat(c, p - 1) & C_LOC))
        return 1;
    /* "in Anchorage, Alaska": capitalised words after the preposition, then a comma */
    if (p > c->s && is_w(c, p - 1, W_comma)) {
        size_t q = p - 1;
        if (q > c->s && g->men_at[q - 1] >= 0)
            return mention_locative(c, g->men_at[q - 1]);
        size_t n = 0;
        while (q > c->s && n < 4 && mention_name_word(c, q - 1)) {
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
/* A role that acts at home: the state's (government, courts, police, army, legislature,
 * intelligence: "a Russian court", "Chinese police", "Cambodian authorities") and its armed
 * opponents ("Syrian rebels", "Ugandan insurgents"). */
static int state_agent(const char *role)
{
    static const char *const agents[] = {"GOV", "JUD", "COP", "MIL", "LEG", "SPY", "REB",
                                         "INS"};
    for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++)
        if (strncmp(role, agents[i], 3) == 0)
            return 1;
    return 0;
}

void mention_place_country(struct ctx *c)
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
            ((m->role < 0 && mention_locative(c, (int32_t)k)) || (m->flags & M_IN)))
            place = (int32_t)k;
    }
    if (!roles || !cty[0])
        return;
    /* without a place: domestic politics, where a party or the opposition is the only
     * country's actor ("Cambodia's opposition accused the ruling party"): the political roles
     * are of its country */
    int32_t party = -1, domestic = -1;
    if (place < 0) {
        for (size_t k = 0; k < g->nmen && party < 0; k++) {
            const struct mention *m = &g->men[k];
            if (!(m->flags & M_PRON) && strncmp(m->code, "---", 3) != 0 &&
                (strstr(m->code + 3, "PTY") || strstr(m->code + 3, "OPP")))
                party = (int32_t)k;
        }
        /* ... or an agent of the state named with its country ("a Russian court", "Chinese
         * police", "Cambodian authorities"): the others named by a role alone are of the same
         * country ("sentenced the opposition leader", "detained two lawyers") */
        for (size_t k = 0; k < g->nmen && party < 0 && domestic < 0; k++) {
            const struct mention *m = &g->men[k];
            if (!(m->flags & (M_PRON | M_POSS)) && m->country >= 0 && m->role >= 0 &&
                m->entity < 0 && state_agent(c->d->roles[m->role].code))
                domestic = (int32_t)k;
            /* ... or named with such a code ("the Myanmar military": MMRMIL), the
             * government aside (a head of government meets foreign opponents too) */
            if (!(m->flags & (M_PRON | M_POSS)) && m->entity >= 0 && strlen(m->code) == 6 &&
                strncmp(m->code, "---", 3) != 0 && state_agent(m->code + 3) &&
                strcmp(m->code + 3, "GOV") != 0)
                domestic = (int32_t)k;
        }
        if (party < 0 && domestic < 0)
            return;
    }
    const struct mention *from = &g->men[place >= 0 ? place : (party >= 0 ? party : domestic)];
    for (size_t k = 0; k < g->nmen; k++) {
        struct mention *m = &g->men[k];
        if ((m->flags & M_PRON) || strncmp(m->code, "---", 3) != 0 || m->role < 0 ||
            c->d->roles[m->role].prefix)
            continue;
        /* (a government's agent does not make "the president" of its country: "the
         * president met the prime minister of Japan") */
        if (place < 0 && party < 0 && strstr(c->d->roles[m->role].code, "GOV") &&
            strstr(from->code + 3, "GOV"))
            continue;
        if (place < 0 && party >= 0) {
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
    /* "Sino-Vietnamese relations", "Thai-Cambodian clashes": two countries joined by a hyphen
     * before a noun */
    if (j == i + 1 && is_w(c, i, W_dash) && a->role < 0 && a->entity < 0 && b->role < 0 &&
        b->entity < 0 && a->country >= 0 && b->country >= 0 && b->end < c->e &&
        c->lx->tok[b->end].kind == LEX_WORD)
        return 2;
    /* "and the evil awful Gondor": a determiner and modifiers before the next member */
    size_t mods = 0;
    while (j > i + 1 && mods < 3 && mention_modifier(c, j - 1)) {
        j--;
        mods++;
    }
    if (j > i + 1 && (is_w(c, j - 1, W_the) || is_w(c, j - 1, W_a)) &&
        !(j - 1 == i + 1 && is_w(c, i, W_and)))
        j--;
    /* "Putin and his Chinese counterpart Xi Jinping", "Kagame and his Rwandan Patriotic
     * Front" */
    if (j == i + 2 && is_w(c, i, W_and) &&
        (is_w(c, i + 1, W_his) || is_w(c, i + 1, W_her) || is_w(c, i + 1, W_their) ||
         is_w(c, i + 1, W_its)))
        return 2;
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
int mention_sentence_initial(const struct ctx *c, size_t i)
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

void mention_compounds(struct ctx *c)
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
                int object = 0; /* (a verb form before "between" or "of" is a noun:
                                   "Talks between Russia and Ukraine ended") */
                for (size_t t = c->s; t < g->men[k].start; t++)
                    if (g->vb_end[t] > t && g->men_at[t] < 0 &&
                        !(g->vb_end[t] < c->e &&
                          (is_w(c, g->vb_end[t], W_between) || is_w(c, g->vb_end[t], W_of))))
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
            mention_sentence_initial(c, g->men[k].start) && after < c->e &&
            g->vb_end[after] > after) {
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

/* The country code (3 letters) of actor entry `a` at the sentence date, or NULL. */
static const char *country_of(struct ctx *c, int32_t a, char *buf)
{
    const char *code = eng_actor_code(c, &c->d->actors[a], buf);
    if (!code || strlen(code) != 3 || strncmp(code, "---", 3) == 0)
        return NULL;
    return code;
}

/*
 * A dateline opens a news story: a place (in capitals, or followed by a bracket), then
 * optionally a comma, another place, a date and the agency in brackets, then a dash:
 * "PHNOM PENH, May 3 (AFP) -", "NAIROBI, Kenya (Reuters) --", "Beijing (Xinhua) -". Its words
 * are no part of the sentence; its place is where the story happens, for every sentence of the
 * line.
 */
size_t mention_dateline(struct ctx *c)
{
    const struct engine *g = c->g;
    size_t i = c->s;
    char buf[48];
    if (i >= c->e || g->act_end[i] <= i || !country_of(c, g->act_idx[i], buf) ||
        c->d->actors[g->act_idx[i]].kind == DK_PERSON)
        return c->s;
    int32_t place = g->act_idx[i];
    int caps = 1; /* every letter of the place in capitals */
    for (size_t k = i; k < g->act_end[i]; k++)
        if (c->lx->tok[k].kind == LEX_WORD && !(c->lx->tok[k].flags & LEX_ALLCAP) &&
            c->lx->tok[k].nlen > 1)
            caps = 0;
    int bracket = 0;
    i = g->act_end[i];
    while (i < c->e && i < c->s + 20) {
        if (is_w(c, i, W_dash)) {
            size_t j = i;
            while (j < c->e && is_w(c, j, W_dash))
                j++;
            /* (a dash with a space before it: "US-China trade talks" is no dateline) */
            const struct lex_tok *pt = &c->lx->tok[i - 1];
            if ((!caps && !bracket) || j + 3 > c->e || c->lx->tok[i].off == pt->off + pt->len)
                return c->s;
            c->g->dateline = place;
            return j;
        }
        if (is_w(c, i, W_comma) || (wcat(c, i) & C_MONTH) || c->lx->tok[i].kind == LEX_NUM) {
            i++;
        } else if (is_w(c, i, W_lparen) && !bracket) {
            size_t q = i + 1;
            while (q < c->e && q < i + 6 && !is_w(c, q, W_rparen))
                q++;
            if (q >= c->e || !is_w(c, q, W_rparen))
                return c->s;
            bracket = 1;
            i = q + 1;
        } else if (g->act_end[i] > i && country_of(c, g->act_idx[i], buf)) {
            i = g->act_end[i];
        } else {
            return c->s;
        }
    }
    return c->s;
}

void mention_dateline_country(struct ctx *c)
{
    struct engine *g = c->g;
    if (g->dateline < 0)
        return;
    for (size_t k = 0; k < g->nmen; k++) {
        struct mention *m = &g->men[k];
        if ((m->flags & M_PRON) || strncmp(m->code, "---", 3) != 0 || m->role < 0 ||
            m->entity >= 0 || c->d->roles[m->role].prefix)
            continue;
        m->country = g->dateline;
        mention_code(c, m);
    }
}

/*
 * A title gives a person's office at the time of the text, which the dictionaries may not
 * know (their dated codes end in 2014 for most of the world): when a person's code at the
 * date is a bare country or a former office (ELI), a title that names an office, in the
 * mention ("Japan's prime minister Shinzo Abe") or in an apposition after it ("Shinzo Abe,
 * Japan's prime minister,"), gives the code: the title's country (else the person's) and its
 * role. A title of another country wins too ("Khalid, Pakistan's ambassador").
 */
/* Does "former" or "ex-" come right before token i ("Former Japanese Prime Minister Shinzo
 * Abe", "an ex-president")? */
static int former_before(const struct ctx *c, size_t i)
{
    if (i > c->s + 1 && is_w(c, i - 1, W_dash))
        i--; /* "ex-" */
    if (i == c->s)
        return 0;
    const char *k = lex_key(c->lx, i - 1);
    size_t n = c->lx->tok[i - 1].nlen;
    return (n == 6 && memcmp(k, "former", 6) == 0) || (n == 2 && memcmp(k, "ex", 2) == 0);
}

static void apply_title(struct ctx *c, struct mention *p, const struct mention *t)
{
    const struct dict_role *r = &c->d->roles[t->role];
    if (r->prefix || strcmp(r->code, "ELI") == 0 || !p->code[0] ||
        strncmp(p->code, "---", 3) == 0 || former_before(c, t->start))
        return; /* (a former office is no office: the code stays the dictionaries') */
    char buf[48];
    const char *tc = t->country >= 0 ? eng_actor_code(c, &c->d->actors[t->country], buf) : NULL;
    if (tc && (strlen(tc) < 3 || strncmp(tc, "---", 3) == 0))
        tc = NULL;
    size_t n = strlen(p->code);
    int stale = n == 3 || (n >= 6 && strcmp(p->code + n - 3, "ELI") == 0);
    if (!stale && !(tc && strncmp(tc, p->code, 3) != 0))
        return;
    char code[48];
    snprintf(code, sizeof(code), "%.3s%s", tc ? tc : p->code, r->code);
    memcpy(p->code, code, sizeof(p->code));
}

void mention_titles(struct ctx *c)
{
    struct engine *g = c->g;
    for (size_t k = 0; k < g->nmen; k++) {
        struct mention *p = &g->men[k];
        if ((p->flags & (M_PRON | M_POSS | M_PAREN)) || p->entity < 0 ||
            (c->d->actors[p->entity].kind != DK_PERSON &&
             c->d->actors[p->entity].kind != DK_NONE))
            continue; /* (the converted PETRARCH entries have no kind) */
        if (p->role >= 0) {
            apply_title(c, p, p); /* "Japan's prime minister Shinzo Abe" */
            continue;
        }
        /* "Shinzo Abe, Japan's prime minister, ...": a title alone between commas (or up to
         * the end of the sentence) */
        size_t t = p->end;
        if (t + 1 >= c->e || !is_w(c, t, W_comma) || k + 1 >= g->nmen)
            continue;
        t++;
        if (is_w(c, t, W_the))
            t++;
        const struct mention *a = &g->men[k + 1];
        if (a->start != t || a->role < 0 || a->entity >= 0 || (a->flags & M_PRON))
            continue;
        size_t after = a->end;
        if (after < c->e && !is_w(c, after, W_comma) && !is_w(c, after, W_period))
            continue;
        apply_title(c, p, a);
    }
}
