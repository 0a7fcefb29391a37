/*
 * nominal.c: events named by a noun (step 7 of docs/CODER.md). An event noun is a form of a
 * verb group with the `noun` flag ("talks", "visit", "clashes"); it is coded with the group's
 * code between the actors around it:
 *
 *   "talks between Russia and Ukraine"          the members of the compound after "between"
 *   "US-China trade talks"                      the two actors joined by a hyphen
 *   "Xi Jinping's visit to Cambodia"            the possessor, to the actor after to, with, on,
 *   "the visit of Xi Jinping to Cambodia"       against, into or towards (or, after "of", the
 *                                               actor after "of")
 *
 * A modifier of the future ("Xi's planned visit to Cambodia") makes it an intent. These events
 * are coded only when the sentence's verbs give none with a target and nothing was negated or
 * denied: the noun is then the news ("Talks between Russia and Ukraine ended without a deal";
 * in "Hun Sen met Xi during his visit to Beijing" the meeting is).
 */
#include "coder/engine_int.h"

#include <stdio.h>
#include <string.h>

/* The event noun at trie node `node`: its form entry of the latest file, or NULL. */
static const struct dict_vform *noun_form(const struct dict *d, int32_t node)
{
    const struct dict_vform *best = NULL;
    for (int32_t f = d->nodes[node].vform; f >= 0; f = d->vforms[f].next) {
        const struct dict_vform *vf = &d->vforms[f];
        if (!d->groups[vf->group].noun)
            continue;
        if (!best || vf->file > best->file || (vf->file == best->file && vf->line > best->line))
            best = vf;
    }
    return best;
}

static int key_is(const struct ctx *c, size_t i, const char *w)
{
    size_t n = strlen(w);
    return i < c->e && c->lx->tok[i].nlen == n && memcmp(lex_key(c->lx, i), w, n) == 0;
}

/* Is token i a modifier of the future ("planned", "upcoming")? */
static int future_word(const struct ctx *c, size_t i)
{
    static const char *const w[] = {"planned", "upcoming", "forthcoming", "proposed",
                                    "expected", "scheduled", "possible", "coming", NULL};
    for (size_t k = 0; w[k]; k++)
        if (key_is(c, i, w[k]))
            return 1;
    return 0;
}

/* The mention starting at token i, over a determiner: its index, or -1. */
static int32_t mention_at(const struct ctx *c, size_t i)
{
    const struct engine *g = c->g;
    if (i < c->e && (wcat(c, i) & C_DET) && !is_w(c, i, W_that))
        i++;
    if (i >= c->e || g->men_at[i] < 0)
        return -1;
    int32_t m = g->men_at[i];
    const struct mention *mm = &g->men[m];
    if (mm->start != i || (mm->flags & (M_PRON | M_UNKNOWN)) || !mm->code[0])
        return -1;
    return m;
}

/* End of mention m's compound. */
static size_t compound_end(const struct engine *g, int32_t m)
{
    size_t end = g->men[m].end;
    for (size_t k = (size_t)m + 1; k < g->nmen && g->men[k].group == g->men[m].group; k++)
        end = g->men[k].end;
    return end;
}

/* Events of the noun at [i, e) from the members of group `sg` to those of `tg` (the same group:
 * among its members). */
static int emit_noun(struct ctx *c, size_t i, size_t e, const struct dict_vform *vf,
                     uint32_t sg, uint32_t tg, int intent)
{
    const struct engine *g = c->g;
    const struct dict *d = c->d;
    struct dict_pcode pc;
    if (vf->code)
        dict_pcode_parse(vf->code, strlen(vf->code), &pc);
    else
        pc = d->groups[vf->group].code;
    char ca[6], cb[6];
    snprintf(ca, sizeof(ca), "%s", pc.a);
    snprintf(cb, sizeof(cb), "%s", pc.b);
    if (intent) {
        if (ca[0])
            clause_intent_code(d, ca);
        if (cb[0])
            clause_intent_code(d, cb);
    }
    struct eng_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.vstart = (uint32_t)i;
    ev.vend = (uint32_t)e;
    ev.pattern = -1;
    ev.group = (int32_t)vf->group;
    ev.vform = vf;
    for (size_t a = 0; a < g->nmen; a++) {
        if (g->men[a].group != sg)
            continue;
        for (size_t b = 0; b < g->nmen; b++) {
            if (g->men[b].group != tg || a == b ||
                strcmp(g->men[a].code, g->men[b].code) == 0)
                continue;
            for (int rev = 0; rev < 2; rev++) {
                const char *code = rev ? cb : ca;
                if (!code[0])
                    continue;
                clause_fill_actor(c, &g->men[rev ? b : a], &ev.src);
                clause_fill_actor(c, &g->men[rev ? a : b], &ev.tgt);
                snprintf(ev.cameo, sizeof(ev.cameo), "%s", code);
                ev.flags = (intent ? BILAT_EVENT_INTENT : 0u) | (rev ? BILAT_EVENT_REVERSE : 0u);
                BILAT_TRY(clause_push_event(c, &ev));
            }
        }
    }
    return 0;
}

/* The noun at [i, e): its source and target, and their events. */
static int code_noun(struct ctx *c, size_t i, size_t e, const struct dict_vform *vf)
{
    const struct engine *g = c->g;
    /* "talks between Russia and Ukraine": among the members of the compound */
    if (is_w(c, e, W_between)) {
        int32_t m = mention_at(c, e + 1);
        if (m < 0 || compound_end(g, m) == g->men[m].end)
            return 0;
        int n;
        const char *t = eng_span(c, i, e, &n);
        BILAT_TRY(eng_ex(c, "  noun     \"%.*s\" between the members of a compound\n", n, t));
        return emit_noun(c, i, e, vf, g->men[m].group, g->men[m].group, 0);
    }
    /* the source: a possessor before the noun, over modifiers ("Xi's planned state visit"),
     * or the actor after "of" ("the visit of Xi Jinping") */
    int intent = 0;
    size_t p = i;
    for (int n = 0; n < 3 && p > c->s && (mention_modifier(c, p - 1) || future_word(c, p - 1));
         n++) {
        if (future_word(c, p - 1))
            intent = 1;
        p--;
    }
    /* "US-China trade talks", "Thai-Cambodian clashes": two actors joined by a hyphen */
    if (p > c->s + 2 && g->men_at[p - 1] >= 0 && is_w(c, g->men[g->men_at[p - 1]].start - 1,
                                                       W_dash)) {
        int32_t b = g->men_at[p - 1];
        size_t h = g->men[b].start - 1;
        int32_t a = h > c->s ? g->men_at[h - 1] : -1;
        if (a >= 0 && g->men[a].end == h && g->men[b].end == p && g->men[a].code[0] &&
            g->men[b].code[0] && !(g->men[a].flags & M_PRON) && !(g->men[b].flags & M_PRON)) {
            int n;
            const char *t = eng_span(c, i, e, &n);
            BILAT_TRY(eng_ex(c, "  noun     \"%.*s\" of two actors joined by a hyphen\n", n, t));
            BILAT_TRY(emit_noun(c, i, e, vf, g->men[a].group, g->men[b].group, intent));
            return emit_noun(c, i, e, vf, g->men[b].group, g->men[a].group, intent);
        }
    }
    int32_t src = -1;
    size_t after = e;
    if (p > c->s + 1 && (is_w(c, p - 1, W_s) || is_w(c, p - 1, W_apos)) &&
        g->men_at[p - 2] >= 0 && (g->men[g->men_at[p - 2]].flags & M_POSS)) {
        src = g->men_at[p - 2];
    } else if (is_w(c, e, W_of) && p > c->s && is_w(c, p - 1, W_the)) {
        src = mention_at(c, e + 1);
        if (src >= 0)
            after = compound_end(g, src);
    }
    if (src < 0)
        return 0;
    if (!(is_w(c, after, W_to) || is_w(c, after, W_with) || is_w(c, after, W_on) ||
          is_w(c, after, W_against) || is_w(c, after, W_into) || is_w(c, after, W_towards) ||
          is_w(c, after, W_toward)))
        return 0;
    int32_t tgt = mention_at(c, after + 1);
    if (tgt < 0)
        return 0;
    int n;
    const char *t = eng_span(c, i, e, &n);
    BILAT_TRY(eng_ex(c, "  noun     \"%.*s\" of an actor to an actor%s\n", n, t,
                     intent ? " (future/intent)" : ""));
    return emit_noun(c, i, e, vf, g->men[src].group, g->men[tgt].group, intent);
}

int nominal_events(struct ctx *c)
{
    const struct engine *g = c->g;
    for (size_t i = c->s; i < c->e; i++) {
        if (g->vb_end[i] <= i || g->verb_at[i] >= 0 || g->men_at[i] >= 0)
            continue;
        const struct dict_vform *vf = noun_form(c->d, g->vb_node[i]);
        if (!vf)
            continue;
        BILAT_TRY(code_noun(c, i, g->vb_end[i], vf));
        i = g->vb_end[i] - 1;
    }
    return 0;
}
