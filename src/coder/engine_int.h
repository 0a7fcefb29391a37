/*
 * engine_int.h: what the parts of the engine share. engine.c codes a sentence (dictionary
 * look-up, dates, the order of the steps, what is kept); mention.c finds the actor mentions;
 * coref.c what pronouns and descriptions refer to; verbs.c the verbs and what governs them;
 * clause.c the source, pattern, target and events of each verb; nominal.c the events named by
 * nouns. The algorithm is described in engine.c and in docs/CODER.md.
 */
#ifndef BILAT_CODER_ENGINE_INT_H
#define BILAT_CODER_ENGINE_INT_H

#include "coder/engine.h"
#include "core/alloc.h"

#include <stdint.h>
#include <string.h>

enum {
    MAXGAP = 6,          /* tokens allowed between pattern elements */
    MAXGAP_FIRST = 10,   /* tokens allowed between the verb and its first pattern element */
    MAXGAP_SPEECH = 4,   /* ... for a speech verb ("said", "announced"): its object */
    WINDOW = 30,         /* tokens after a verb searched for its patterns and target */
};

/* Word categories (bits) of the built-in function words. */
enum {
    C_DET = 1 << 0, C_PREP = 1 << 1, C_BE = 1 << 2, C_HAVE = 1 << 3, C_DO = 1 << 4,
    C_FUT = 1 << 5, C_MODAL = 1 << 6, C_NEG = 1 << 7, C_PRON = 1 << 8, C_REL = 1 << 9,
    C_SUB = 1 << 10, C_CONJ = 1 << 11, C_SPEECH = 1 << 12, C_INTENT = 1 << 13,
    C_NEGGOV = 1 << 14, C_ADV = 1 << 15, C_MONTH = 1 << 16, C_WDAY = 1 << 17,
    C_TIMEW = 1 << 18, C_TITLE = 1 << 19, C_DENY = 1 << 20, C_CLAIMN = 1 << 21,
    C_ASPECT = 1 << 22, C_LOC = 1 << 23, C_NUMW = 1 << 24,
};

enum {
    M_POSS = 1, M_PRON = 2, M_PREP = 4, M_NAME = 8, M_LED = 16, M_PAREN = 32, M_PLACE = 64,
    M_IN = 128,      /* a role in a place: "demonstrators in Moscow" */
    M_UNKNOWN = 256, /* an actor the text leaves unnamed (the agent of "was shot dead"): no
                        tokens, code "---" */
    M_COREF = 512,   /* a pronoun or description that took the code of what it refers to */
    M_PAIR = 1024,   /* one of the two actors of "the two sides" (its text is the phrase) */
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
    V_SUBORD = 32768, /* in a subordinate or relative clause ("when Amin expelled them") */
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

/* An actor of an earlier sentence of the line, for pronouns and descriptions that refer to
 * it ("He met ...", "The president said ..."). */
struct coref_actor {
    char code[48];         /* its code at that sentence's date */
    int32_t entity, country, role;
    uint8_t person;        /* a person (he, she) */
    uint8_t subject;       /* the source of a verb */
};

enum { COREF_MEM = 8 };

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
    int32_t dateline;       /* actor entry of the place of the line's dateline, or -1 */
    struct coref_actor mem[COREF_MEM]; /* actors of the line's earlier sentences, latest last */
    size_t nmem;
};

static inline uint32_t W(const struct engine *g, enum dict_builtin b)
{
    return g->d->builtin[b];
}

/* The sentence being coded. */
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

/* Is token i a number, in digits or in words ("25", "two", "dozens", "several")? */
static inline int quantity(const struct ctx *c, size_t i)
{
    return c->lx->tok[i].kind == LEX_NUM || (c->g->cat[c->lx->tok[i].word] & C_NUMW);
}

static inline int is_w(const struct ctx *c, size_t i, enum dict_builtin b)
{
    return i < c->e && c->lx->tok[i].word == W(c->g, b) && c->lx->tok[i].word != 0;
}

/* engine.c */

/* Append printf-style text to the explain trace (when there is one); BILAT_ENOMEM. */
int eng_ex(struct ctx *c, const char *fmt, ...) BILAT_PRINTF(2, 3);
/* The original text of tokens [a, b) (borrowed), its length in *len. */
const char *eng_span(const struct ctx *c, size_t a, size_t b, int *len);
/* An actor entry's code at the sentence date (buf: 48 bytes for a country fallback), or NULL. */
const char *eng_actor_code(struct ctx *c, const struct dict_actor *a, char *buf);
/* The number at token i when it is an integer in [lo, hi], else 0. */
int eng_num_at(const struct ctx *c, size_t i, int lo, int hi);

/* mention.c: actor mentions (step 2) */

int mention_build(struct ctx *c);
int mention_paren_titles(struct ctx *c);
void mention_compounds(struct ctx *c);
/* A title in a person's mention or in an apposition after it gives the person's office when
 * the dictionaries give none at the date. */
void mention_titles(struct ctx *c);
void mention_place_country(struct ctx *c);
/* A dateline at the start of the sentence ("PHNOM PENH, May 3 (AFP) -"): records its place in
 * the engine and returns the first token after it, else c->s. */
size_t mention_dateline(struct ctx *c);
/* Actors named by a role alone take the country of the dateline's place. */
void mention_dateline_country(struct ctx *c);
/* Is token i an unknown lower-case word (a modifier to step over)? */
int mention_modifier(const struct ctx *c, size_t i);
/* Is token i a capitalised word that no dictionary phrase starts with (part of a name)? */
int mention_name_word(const struct ctx *c, size_t i);
/* Is mention m a place where something happens ("in Phnom Penh")? */
int mention_locative(const struct ctx *c, int32_t m);
/* Does mention m hold a party office ("general secretary of the LPRP")? */
int mention_party_title(const struct mention *m);
/* Does token i start the sentence (over a determiner, quotes and '#')? */
int mention_sentence_initial(const struct ctx *c, size_t i);
/* Add an unnamed actor ("---", no tokens) to the mentions; its index in *out. BILAT_ENOMEM. */
int mention_unknown(struct ctx *c, int32_t *out);

/* coref.c: what pronouns and descriptions refer to */

/* Object pronouns ("received him"), "the two sides", and "the president" or a pronoun opening
 * a clause that refers to an actor named before (in the sentence or an earlier one of the
 * line). Runs after the mentions are built. Returns 0 or BILAT_ENOMEM. */
int coref_resolve(struct ctx *c);
/* Keep the sentence's actors for the next sentences of the line (after the sentence is
 * coded). */
void coref_remember(struct ctx *c);
/* Forget the actors of earlier lines. */
void coref_reset(struct engine *g);
/* Can the pronoun at token p refer to mention m ("it" no person, "he" and "she" a person)? */
int coref_agrees(const struct ctx *c, size_t p, const struct mention *m);
/* Is the pronoun at token p "we" or "I"? */
int coref_first_person(const struct ctx *c, size_t p);
/* Give the pronoun mention pm the actor of an earlier sentence it refers to; its index, or -1
 * when there is none. */
int32_t coref_from_memory(const struct ctx *c, int32_t pm);
/* Is mention m a person (a named person, a title with a name, "the president")? */
int coref_person(const struct ctx *c, const struct mention *m);

/* verbs.c: verbs (step 3) */

int verbs_find(struct ctx *c);
/* Does token i end in "-ing"? */
int verbs_ing(const struct ctx *c, size_t i);

/* clause.c: source, patterns, target and events of each verb (step 4) */

int clause_code_verb(struct ctx *c, size_t vi);
/* Add an event to the sentence's (not twice); BILAT_ENOMEM. */
int clause_push_event(struct ctx *c, const struct eng_event *ev);
/* An event side from a mention. */
void clause_fill_actor(const struct ctx *c, const struct mention *m, struct eng_actor *a);
/* Map a code through the intent rules (future tense, intent). */
void clause_intent_code(const struct dict *d, char *code);

/* nominal.c: events named by a noun ("talks between X and Y", "X's visit to Y") */

/* When the verbs gave no event with a target: the events of event nouns; BILAT_ENOMEM. */
int nominal_events(struct ctx *c);
/* The comma or quote before a speech verb that closes the sentence ("..., the ministry
 * said"), else 0. */
size_t clause_speech_start(const struct ctx *c, size_t vi);

#endif
