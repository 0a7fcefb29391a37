/*
 * clause.c: the event of each verb (step 4 of engine.c): its source (the subject to the left
 * in its clause, over appositions and relative clauses; inverted speech; "by" in a passive),
 * the most specific of its patterns (specificity, then the later file, then the earlier
 * line), its target (the pattern's '+' slot, else the first actor after it that is not a
 * place), and the events: each source times each target, reverse events of paired codes,
 * reciprocal events within a compound, intent codes.
 */
#include "coder/engine_int.h"

#include <stdio.h>
#include <string.h>

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
        /* an attribution is no object: "will send troops, according to the UN" */
        if (is_w(c, i, W_according) && i + 1 < c->e && is_w(c, i + 1, W_to))
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
        int locative = mention_locative(c, m);
        i = mm->end - 1;
        /* a role after "as" is what the subject is or acts as: "would act as a constructive
         * opposition to the new government" */
        size_t a = mm->start;
        for (int n = 0; n < 2 && a > lo && mention_modifier(c, a - 1); n++)
            a--;
        if (a > lo && (wcat(c, a - 1) & C_DET) && !is_w(c, a - 1, W_that))
            a--;
        if (a > lo && is_w(c, a - 1, W_as) && mm->entity < 0 && mm->role >= 0)
            continue;
        if (strncmp(mm->code, "---", 3) == 0) {
            /* a role word used as an adjective ("military aid") is no actor */
            int adjectival = 0;
            if (mm->end < c->e) {
                const struct lex_tok *nx = &c->lx->tok[mm->end];
                uint32_t w = wid(c, mm->end);
                adjectival = nx->kind == LEX_WORD && !(nx->flags & LEX_CAP) &&
                             (w == 0 || w > c->d->nbuiltin) && g->men_at[mm->end] < 0 &&
                             !(mm->end + 1 < c->e &&
                               (wcat(c, mm->end + 1) & (C_WDAY | C_TIMEW | C_MONTH)));
                /* (not before a time: "killed 23 people late Sunday") */
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
        /* "marched on the Bangkok offices of the ruling Democrat Party": a place naming where
         * a noun is, before "of" and an actor, gives way to that actor */
        if (mm->role < 0 && mm->entity < 0 && mm->country >= 0) {
            size_t k = mm->end, n = 0;
            while (k < hi && n < 2 && mention_modifier(c, k)) {
                k++;
                n++;
            }
            if (n > 0 && k + 1 < hi && is_w(c, k, W_of)) {
                size_t q = k + 1 < c->e && is_w(c, k + 1, W_the) ? k + 2 : k + 1;
                int32_t r = q < c->e ? g->men_at[q] : -1;
                if (r >= 0 && g->men[r].start == q && !(g->men[r].flags & M_PRON) &&
                    g->men[r].code[0])
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
        /* a speech verb's pattern names its object ("announced a new aid package"), not a
         * word of the clause it reports ("says it has evidence Russia was behind the
         * attacks") */
        if (k == 0 && el->type == PE_WORDS && (v->flags & V_SPEECH))
            gap = MAXGAP_SPEECH;
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

static int32_t find_source(const struct ctx *c, size_t vi);

/*
 * Resolve the pronoun subject pm of verb vi, to an actor that agrees with it ("it" no person,
 * "he" a person): the speaker of an enclosing reported speech; the speaker of a speech verb
 * that closes the sentence after it ("'We condemn this attack,' the White House said");
 * the source of an earlier verb; an earlier actor of the sentence ("thanked China, saying it
 * had helped"); else an actor of an earlier sentence of the line.
 */
static int32_t pronoun_source(const struct ctx *c, size_t vi, int32_t pm)
{
    const struct engine *g = c->g;
    size_t p = g->men[pm].start;
    for (size_t k = vi; k-- > 0;)
        if ((g->vb[k].flags & V_SPEECH) && g->vb[k].src >= 0 &&
            coref_agrees(c, p, &g->men[g->vb[k].src]))
            return g->vb[k].src;
    for (size_t wi = vi + 1; wi < g->nvb && coref_first_person(c, p); wi++) {
        if (!(g->vb[wi].flags & V_SPEECH))
            continue;
        /* (the speech verb ends the sentence, its subject after a comma or quote) */
        int32_t sp = wi + 1 == g->nvb ? find_source(c, wi) : -1;
        if (sp < 0 || g->men[sp].start <= p || (g->men[sp].flags & M_PRON))
            break;
        size_t b = g->men[sp].start < g->vb[wi].vg ? g->men[sp].start : g->vb[wi].vg;
        if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
            b--;
        if (b > p && b > c->s && (is_w(c, b - 1, W_comma) || is_w(c, b - 1, W_quote)) &&
            coref_agrees(c, p, &g->men[sp]))
            return sp;
        break;
    }
    for (size_t k = vi; k-- > 0;)
        if (g->vb[k].src >= 0 && coref_agrees(c, p, &g->men[g->vb[k].src]))
            return g->vb[k].src;
    for (size_t k = (size_t)pm; k-- > 0;)
        if (!(g->men[k].flags & M_PREP) && !mention_locative(c, (int32_t)k) &&
            coref_agrees(c, p, &g->men[k]))
            return (int32_t)k;
    /* (not when an actor of the sentence before it would be the subject but does not fit) */
    for (size_t k = (size_t)pm; k-- > 0;)
        if (g->men[k].code[0] && !(g->men[k].flags & (M_PRON | M_PREP | M_UNKNOWN)) &&
            !mention_locative(c, (int32_t)k))
            return -1;
    return coref_from_memory(c, pm);
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
        if (mention_party_title(m) && strncmp(m->code, g->men[who].code, 3) == 0 &&
            g->men[who].role < 0)
            return mi;
        return -1;
    }
    return -1;
}

/* "Malaysia's new ruling coalition, Pakatan Harapan, said": an apposition [q, k) that is the
 * name of an actor described by a role (`who`, with no name of its own) names it: that
 * mention, or -1. */
static int32_t apposition_name(const struct ctx *c, int32_t who, size_t q, size_t k)
{
    const struct engine *g = c->g;
    if (g->men[who].entity >= 0 || g->men[who].role < 0)
        return -1;
    if (q < k && is_w(c, q, W_the))
        q++;
    int32_t mi = q < k ? g->men_at[q] : -1;
    /* (not a person: "The prime minister of Japan, Shinzo Abe," keeps the title's office,
     * which the dictionaries may not know at the date) */
    if (mi < 0 || g->men[mi].start != q || g->men[mi].end != k || g->men[mi].entity < 0 ||
        (g->men[mi].flags & M_PRON) || coref_person(c, &g->men[mi]))
        return -1;
    return mi;
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
        /* "..., said Hong Lei, a foreign ministry spokesman": a name no dictionary knows, and
         * its title in an apposition */
        size_t n = t;
        while (n < c->e && n < t + 4 && mention_name_word(c, n))
            n++;
        if (n > t && n + 1 < c->e && is_w(c, n, W_comma)) {
            size_t q = n + 1;
            if (q < c->e && (is_w(c, q, W_a) || is_w(c, q, W_the)))
                q++;
            if (q < c->e && g->men_at[q] >= 0 && g->men[g->men_at[q]].start == q &&
                g->men[g->men_at[q]].role >= 0 && !(g->men[g->men_at[q]].flags & M_PRON))
                return g->men_at[q];
        }
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
                return pronoun_source(c, vi, mi);
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
                        if (pt < 0 && !rel)
                            pt = apposition_name(c, g->men_at[q - 2], q, k);
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

/*
 * May the passive verb vi have an agent the text leaves unnamed, its subject `subj` being the
 * target? Only in a main clause: not after a relative pronoun or a subordinator ("where 24
 * people were killed", "after he was implicated": background to the news). Not for a speech
 * verb ("was quoted as saying"), nor a verb governing an infinitive ("was asked to", "is
 * expected to"): those tell what is said or wanted, not an act.
 */
static int unnamed_agent(const struct ctx *c, size_t vi, int32_t subj)
{
    const struct engine *g = c->g;
    const struct verb *v = &g->vb[vi];
    if (subj < 0 || !g->men[subj].code[0] || (g->men[subj].flags & (M_PRON | M_UNKNOWN)) ||
        (v->flags & V_SPEECH))
        return 0;
    for (size_t wi = vi + 1; wi < g->nvb; wi++)
        if ((g->vb[wi].flags & V_INF) && g->vb[wi].vg == v->end)
            return 0;
    /* not what someone says happened ("police said the driver had been shot dead": the
     * statement is the news), nor a pronoun ("speculation they were captured") */
    for (size_t wi = 0; wi < vi; wi++)
        if ((g->vb[wi].flags & V_SPEECH) && g->vb[wi].end <= v->vg)
            return 0;
    for (size_t t = c->s; t < v->vg; t++)
        if (g->men_at[t] >= 0 && (g->men[g->men_at[t]].flags & M_PRON) && t + 4 > v->vg)
            return 0;
    /* the words before the verb group, back to the subject (or a relative pronoun) */
    size_t b = g->men[subj].start < v->vg ? g->men[subj].start : v->vg;
    if (b > c->s && (wcat(c, b - 1) & C_DET) && !is_w(c, b - 1, W_that))
        b--;
    if (b > c->s && quantity(c, b - 1))
        b--;
    if (b > c->s && (wcat(c, b - 1) & (C_REL | C_SUB)) && !is_w(c, b - 1, W_that))
        return 0;
    for (size_t t = b; t < v->vg; t++)
        if ((wcat(c, t) & C_REL) && !is_w(c, t, W_that))
            return 0;
    return 1;
}

/* The codes an act with an unnamed agent may have: coercion and force, 11 to 20, and the
 * release of people (084). */
static int unnamed_code(const char *code)
{
    return (code[0] == '1' && code[1] >= '1') || (code[0] == '2' && code[1] == '0') ||
           strncmp(code, "084", 3) == 0;
}

/*
 * The subject of passive verb vi when it is no actor but holds one after a preposition
 * ("Evidence against Russia was presented by the US", "The offices of the CNRP were
 * attacked"): the last such actor between the start of the clause and the verb group, or -1.
 * As in PETRARCH, a noun that names no actor takes the actor of its prepositional phrase.
 */
static int32_t subject_inner(const struct ctx *c, size_t vi)
{
    const struct engine *g = c->g;
    const struct verb *v = &g->vb[vi];
    for (size_t k = v->vg; k-- > c->s;) {
        if (is_w(c, k, W_comma) || is_w(c, k, W_semicolon) || is_w(c, k, W_quote) ||
            (g->verb_at[k] >= 0 && (size_t)g->verb_at[k] != vi) ||
            ((wcat(c, k) & (C_SUB | C_REL)) && !(wcat(c, k) & C_PREP)))
            return -1;
        int32_t mi = g->men_at[k];
        if (mi >= 0 && g->men[mi].start == k && !(g->men[mi].flags & (M_PRON | M_UNKNOWN)) &&
            g->men[mi].code[0] && !mention_locative(c, mi) && k > c->s &&
            (is_w(c, k - 1, W_against) || is_w(c, k - 1, W_of) ||
             (is_w(c, k - 1, W_the) && k > c->s + 1 &&
              (is_w(c, k - 2, W_against) || is_w(c, k - 2, W_of)))))
            return mi;
    }
    return -1;
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
                               (mention_modifier(c, k) || verbs_ing(c, k));
                 n++)
                k++;
            if (k < hi && c->g->men_at[k] >= 0 && !(c->g->men[c->g->men_at[k]].flags & M_PRON))
                return c->g->men_at[k];
            return -1;
        }
    return -1;
}

int clause_push_event(struct ctx *c, const struct eng_event *ev)
{
    struct eng_out *o = c->out;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->ev[i].src.code, ev->src.code) == 0 &&
            strcmp(o->ev[i].tgt.code, ev->tgt.code) == 0 &&
            strcmp(o->ev[i].cameo, ev->cameo) == 0)
            return 0;
    return bilat_array_push(&o->ev, &o->n, &o->cap, sizeof(*ev), 8, ev);
}

void clause_fill_actor(const struct ctx *c, const struct mention *m, struct eng_actor *a)
{
    a->start = m->start;
    a->end = m->end;
    if (m->flags & M_PAIR) {
        /* "the two sides" stands for both actors: its text is the whole phrase */
        const struct mention *h = &c->g->men[m->group];
        a->start = h->start;
        a->end = h->end;
        for (size_t k = m->group; k < c->g->nmen && c->g->men[k].group == m->group; k++)
            a->end = c->g->men[k].end;
    }
    snprintf(a->code, sizeof(a->code), "%s", m->code);
    a->ent = m->entity >= 0 ? &c->d->actors[m->entity]
                            : (m->country >= 0 ? &c->d->actors[m->country] : NULL);
    a->role = m->role >= 0 ? &c->d->roles[m->role] : NULL;
    a->named = m->entity >= 0 || (m->country >= 0 && m->role < 0);
}

/* Apply the intent rules (longest matching prefix). */
void clause_intent_code(const struct dict *d, char *code)
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
            clause_intent_code(c->d, ca);
        if (cb[0])
            clause_intent_code(c->d, cb);
    }
    /* an unnamed agent has no reverse event: nothing is known of it to act */
    if (g->men[src].flags & M_UNKNOWN)
        cb[0] = '\0';
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
        place = mention_locative(c, tgt);
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
                clause_fill_actor(c, &g->men[i], &ev.src);
                clause_fill_actor(c, &g->men[j], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", ca);
                ev.flags = evflags;
                BILAT_TRY(clause_push_event(c, &ev));
            }
            if (c->flags & BILAT_CODER_MONADIC && ca[0]) {
                int compound = 0;
                for (size_t j = 0; j < g->nmen; j++)
                    if (j != i && g->men[j].group == sg)
                        compound = 1;
                if (!compound || (v->flags & V_PASSIVE)) {
                    clause_fill_actor(c, &g->men[i], &ev.src);
                    memset(&ev.tgt, 0, sizeof(ev.tgt));
                    snprintf(ev.cameo, sizeof(ev.cameo), "%s", ca);
                    ev.flags = evflags;
                    BILAT_TRY(clause_push_event(c, &ev));
                }
            }
            continue;
        }
        uint32_t tg = g->men[tgt].group;
        for (size_t j = 0; j < g->nmen; j++) {
            if (g->men[j].group != tg || !g->men[j].code[0])
                continue;
            /* an actor does not act on itself; two actors named by roles may share a code
             * ("a Chinese court sentenced a human rights lawyer": CHNJUD both), and so may two
             * named actors ("Hezbollah ... battles with the Amal militia": LBNREB both) */
            const struct mention *mi = &g->men[i], *mj = &g->men[j];
            int named2 = mi->entity >= 0 && mj->entity >= 0 && mi->entity != mj->entity;
            if (strcmp(mi->code, mj->code) == 0 && !named2 &&
                (i == j || mi->entity >= 0 || mj->entity >= 0 || mi->role < 0 || mj->role < 0 ||
                 strncmp(mi->code, "---", 3) == 0))
                continue;
            /* "Chinese and Cambodian officials attended a ceremony at Ream Naval Base": going
             * to a place of one's own country is no visit */
            if (place && memcmp(g->men[i].code, g->men[j].code, 3) == 0 &&
                g->men[i].code[0] != '-')
                continue;
            if (ca[0]) {
                clause_fill_actor(c, &g->men[i], &ev.src);
                clause_fill_actor(c, &g->men[j], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", ca);
                ev.flags = evflags;
                BILAT_TRY(clause_push_event(c, &ev));
            }
            if (cb[0]) {
                clause_fill_actor(c, &g->men[j], &ev.src);
                clause_fill_actor(c, &g->men[i], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", cb);
                ev.flags = evflags | BILAT_EVENT_REVERSE;
                BILAT_TRY(clause_push_event(c, &ev));
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
    const char *t = eng_span(c, c->g->vb[vi].start, c->g->vb[vi].end, &n);
    snprintf(c->out->why, sizeof(c->out->why), "%s\"%.*s\"%s", pre, n, t, post);
    c->out->uncoded = c->out->why;
}

/*
 * A speech verb that closes the sentence after a comma or a quote ("..., the foreign ministry
 * said on Tuesday", "...,' said Wang Yi"): the first token of its clause (the comma), else 0.
 */
size_t clause_speech_start(const struct ctx *c, size_t vi)
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

/* Is the verb negated with "will", "would", "shall" ("will not accept", "would not
 * provide"): a refusal rather than something that did not happen? */
static int will_not(const struct ctx *c, const struct verb *v)
{
    int fut = 0, neg = 0;
    for (size_t k = v->vg; k < v->start; k++) {
        if (is_w(c, k, W_will) || is_w(c, k, W_would) || is_w(c, k, W_shall) ||
            is_w(c, k, W_ll))
            fut = 1;
        if (wcat(c, k) & C_NEG)
            neg = 1;
    }
    return fut && neg;
}

/*
 * The rejection (CAMEO 12) of a refused act of cooperation, by the act's root: intent and
 * diplomatic cooperation 120, consultation 125 (a proposal to meet or negotiate), material
 * cooperation and aid 121, yielding 124; NULL for others (a refused threat or attack is no
 * event).
 */
static const char *reject_code(const char *code)
{
    if (code[0] != '0' || code[1] < '3' || code[1] > '8')
        return NULL;
    switch (code[1]) {
    case '4':
        return "125";
    case '6':
    case '7':
        return "121";
    case '8':
        return "124";
    default:
        return "120";
    }
}

/*
 * Code verb vi: its source, the patterns of its groups, its target, and the events it yields.
 * Long: the steps read what the step before found (the verb's span, subject, object, reported
 * clause, refusal, unnamed agent: a dozen locals), and the order of the rules is the coder's
 * behaviour; each rule is a few lines under its own comment, with an example sentence.
 */
int clause_code_verb(struct ctx *c, size_t vi)
{
    struct engine *g = c->g;
    const struct dict *d = c->d;
    struct verb *v = &g->vb[vi];
    int n;
    const char *vt = eng_span(c, v->start, v->end, &n);
    if (v->flags & V_REQUEST) {
        BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": the content of a request, not coded itself\n", n,
                     vt));
        return 0;
    }
    int32_t subj = find_source(c, vi);
    v->src = subj;
    if (v->flags & V_COND) {
        BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": in an if or unless clause, not coded\n", n, vt));
        return 0;
    }
    if (v->flags & V_CONTENT) {
        BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": the content of a demand or warning, not coded "
                        "itself\n", n, vt));
        return 0;
    }
    if ((v->flags & V_MUST) && !(v->flags & V_NEG) && subj >= 0 && vi > 0) {
        /* "X said Y must do Z": X demands of Y */
        for (size_t k = vi; k-- > 0;) {
            const struct verb *w = &g->vb[k];
            if (w->src < 0 || w->src == subj || (g->men[w->src].flags & M_UNKNOWN))
                continue;
            /* (the clause is what that verb reports: no other actor between them, as in
             * "declared Tuesday that China must"; not "staged rallies against Abbas, saying
             * he must resign") */
            size_t sp = v->vg; /* the subject of the must clause */
            while (sp > w->end && g->men_at[sp - 1] < 0)
                sp--;
            if (sp > w->end)
                sp = g->men[g->men[g->men_at[sp - 1]].group].start;
            int between = 0;
            for (size_t t = w->end; t < sp; t++)
                if (!(wcat(c, t) & (C_TIMEW | C_WDAY | C_ADV | C_DET)) && !is_w(c, t, W_comma) &&
                    !is_w(c, t, W_on))
                    between = 1;
            if (between)
                break;
            struct dict_pcode dem;
            memset(&dem, 0, sizeof(dem));
            memcpy(dem.a, "100", 3);
            BILAT_TRY(eng_ex(c, "  verb     \"%.*s\" with \"must\": a demand of the reported "
                            "subject\n", n, vt));
            BILAT_TRY(emit(c, vi, w->src, subj, &dem, -1, -1, NULL, 0));
            g->vb[k].flags |= V_ABSORBED;
            return 0;
        }
    }
    int32_t src = subj, tgt = -1;
    size_t wend = window_end(c, vi);
    if ((v->flags & V_PASSIVE) && subj < 0)
        subj = subject_inner(c, vi);
    if (v->flags & V_PASSIVE) {
        int32_t by = passive_by(c, v->end, wend);
        if (by >= 0) {
            src = by;
            tgt = subj;
            v->src = by;
        } else if (unnamed_agent(c, vi, subj)) {
            /* "Shinzo Abe was shot dead", "was killed by two men": the act has an agent the
             * text does not name */
            BILAT_TRY(mention_unknown(c, &src));
            tgt = subj;
            v->src = src;
        } else {
            src = -1;
        }
    }
    /* "will not accept", "would not provide": a refusal, coded when the act refused is
     * cooperation (below) */
    int refusal = (v->flags & V_NEG) && !(v->flags & (V_DENIED | V_PASSIVE)) &&
                  will_not(c, v);
    if ((v->flags & V_NEG) && !refusal) {
        BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": %s, no event\n", n, vt,
                     (v->flags & V_DENIED) ? "denied or disputed" : "negated"));
        set_reason(c, (v->flags & V_DENIED) ? "denied or disputed: " : "negated: ", "", vi);
        return 0;
    }
    if (src < 0 || !g->men[src].code[0]) {
        BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": no source actor%s\n", n, vt,
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
        if (gr->noun)
            continue; /* an event noun ("talks") is no verb */
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
            if (d->groups[vf->group].noun)
                continue;
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
    if (tgt >= 0 && best_tgt != tgt && strncmp(pc.a, "01", 2) == 0 && mention_locative(c, tgt))
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
            /* "the MCA said it would stay in the coalition with UMNO": when the speaker speaks
             * of itself, the actor its act concerns (without --monadic, as in PETRARCH) */
            if (tgt < 0 && m >= 0 && strcmp(g->men[m].code, g->men[src].code) == 0 &&
                !(c->flags & BILAT_CODER_MONADIC)) {
                int32_t o = default_target(c, g->vb[wi].end, window_end(c, wi), 0);
                if (o >= 0 && strcmp(g->men[o].code, g->men[src].code) != 0)
                    tgt = o;
            }
            break;
        }
    }
    if (c->ex) {
        int sn;
        const char *st = eng_span(c, g->men[src].start, g->men[src].end, &sn);
        if (g->men[src].flags & M_UNKNOWN)
            BILAT_TRY(eng_ex(c, "  verb     \"%.*s\" source unnamed (---)", n, vt));
        else
            BILAT_TRY(eng_ex(c, "  verb     \"%.*s\" source \"%.*s\"", n, vt, sn, st));
        if (tgt >= 0) {
            int tn;
            const char *tt = eng_span(c, g->men[tgt].start, g->men[tgt].end, &tn);
            BILAT_TRY(eng_ex(c, " target \"%.*s\"", tn, tt));
        }
        BILAT_TRY(eng_ex(c, "%s%s%s\n", (v->flags & V_PASSIVE) ? " (passive)" : "",
                     (v->flags & (V_FUT | V_INTENT)) ? " (future/intent)" : "",
                     (v->flags & V_SPEECH) ? " (speech)" : ""));
        if (best >= 0) {
            const struct dict_pattern *p = &d->pats[best];
            BILAT_TRY(eng_ex(c, "           pattern %s%s%s \"%s\" (%s:%u, verb %s)\n",
                         p->code.a[0] ? p->code.a : (p->code.b[0] ? "" : "---"),
                         p->code.b[0] ? ":" : "", p->code.b, p->text, d->files[p->file],
                         p->line, d->groups[p->group].name));
        } else if (def_vf) {
            BILAT_TRY(eng_ex(c, "           default code %s%s%s of verb %s (%s:%u)\n",
                         pc.a[0] ? pc.a : (pc.b[0] ? "" : "---"), pc.b[0] ? ":" : "", pc.b,
                         d->groups[def_vf->group].name, d->files[def_vf->file], def_vf->line));
        }
    }
    if (refusal) {
        /* (a refusal is of someone: "would not provide support to Israel"; "would not allow
         * any foreign base" is a statement) */
        const char *rej = reject_code(pc.a);
        if (rej && (tgt < 0 || strncmp(g->men[tgt].code, "---", 3) == 0))
            rej = NULL;
        if (!rej) {
            BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": negated, no event\n", n, vt));
            set_reason(c, "negated: ", "", vi);
            return 0;
        }
        BILAT_TRY(eng_ex(c, "           refused: %s becomes %s\n", pc.a, rej));
        memset(&pc, 0, sizeof(pc));
        memcpy(pc.a, rej, strlen(rej) + 1);
        v->flags &= ~(unsigned)(V_FUT | V_INTENT);
    }
    if (!pc.a[0] && !pc.b[0]) {
        if (best >= 0)
            set_reason(c, "the pattern for ", " says no event", vi);
        else
            set_reason(c, "no code for the verb ", "", vi);
        return 0;
    }
    if ((g->men[src].flags & M_UNKNOWN) && (tgt < 0 || !unnamed_code(pc.a))) {
        /* an act with an unnamed agent is coded only when it is done to a named actor and is
         * coercion or force (11 to 20) or a release (084): "was shot dead", "was arrested",
         * "was freed"; not "was founded", "was elected" */
        BILAT_TRY(eng_ex(c, "  verb     \"%.*s\": an unnamed agent, not coded\n", n, vt));
        set_reason(c, "no source actor for ", " (passive)", vi);
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
        BILAT_TRY(eng_ex(c, "           the target is the source itself: no target\n"));
        BILAT_TRY(emit(c, vi, src, -1, &pc, best, group, best >= 0 ? NULL : def_vf, evf));
    }
    if (v->nev == 0)
        set_reason(c, "source and target of ", " are the same actor", vi);
    return 0;
}
