/*
 * dict.h: the coder's dictionaries in memory (the file format is in docs/CODER.md).
 *
 * Words: every word of every dictionary phrase (and the built-in function words the engine
 * needs) is interned once; its id is an index into `words`. Text tokens are looked up by their
 * normalised key and get the same ids, or 0 when no dictionary knows them.
 *
 * Phrases: actor names, role phrases, verb forms and discard phrases all live in one trie over
 * word ids. Edges are kept in an open-addressing hash table keyed by (parent node, word); edges
 * from the root are a plain array indexed by word id, since every token starts a walk there.
 * A node carries what ends there: an actor entry, a role, a verb form list, a discard.
 * A phrase defined again by a later file replaces the earlier definition.
 *
 * Patterns: a verb group owns its patterns; a pattern is a list of elements before and after
 * the verb; a word element is a list of items matched contiguously; an item is a set of
 * alternatives (word sequences), either written in place or shared with a synset.
 *
 * Everything is allocated at load time and immutable afterwards; the dictionaries can be read
 * from several threads at once.
 *
 * NEEDSWORK: the two tables here predate core/hindex.h. The word table (wslot over the dense
 * words) has hindex's shape and can move onto it; the edge table keeps its keys in the slots
 * (no array of entries), so it would first need its edges in a dense array of their own.
 */
#ifndef BILAT_CODER_DICT_H
#define BILAT_CODER_DICT_H

#include "bilat.h"
#include "coder/lex.h"
#include "core/alloc.h"

#include <stdint.h>

enum dict_kind { DK_NONE = 0, DK_STATE, DK_PARTY, DK_PERSON, DK_ORG, DK_GROUP, DK_PLACE };

/* A code with its validity (dates as YYYYMMDD integers, inclusive; 0 = open end). */
struct dict_code {
    const char *code; /* CAMEO actor code (KHMGOV) */
    int32_t from;     /* first day, or 0 */
    int32_t to;       /* last day, or 0 */
    int dated;        /* 1 when from or to was given */
};

struct dict_actor {
    const char *id;      /* named-actor id (KHMHUNSEN) or NULL */
    const char *name;    /* display name */
    uint8_t kind;        /* enum dict_kind */
    uint32_t first_code; /* index into dict.codes */
    uint32_t ncodes;     /* number of code lines */
    uint16_t file;       /* index into dict.files */
    uint32_t line;       /* line of the `actor` line */
};

struct dict_role {
    const char *code; /* the role code without '~' (GOV) */
    int prefix;       /* 1 for "IGO~": the code goes before the country */
    uint16_t file;
    uint32_t line;
};

/* An event code of a pattern or group: "057", "042:043", ":110", "---". */
struct dict_pcode {
    char a[6]; /* code from source to target, "" for none */
    char b[6]; /* code from target to source, "" for none */
};

struct dict_vform {
    uint32_t group;    /* verb group */
    const char *code;  /* code of this verb overriding the group default, or NULL */
    int32_t next;      /* next form entry for the same phrase (another group), or -1 */
    int base;          /* 1 for the base form (the first of its form line) */
    uint16_t file;
    uint32_t line;
};

struct dict_group {
    const char *name;
    struct dict_pcode code; /* default */
    uint32_t first_pat;     /* index into dict.pats */
    uint32_t npat;
    int adjective;          /* forms are adjectives: "was skeptical" is no passive */
    int content;            /* a that-clause after the verb is its content, not an event */
    int noun;               /* the forms are nouns naming an event ("talks", "visit"): never
                               verbs, coded between the actors around them (nominal.c) */
    uint16_t file;
    uint32_t line;
};

enum { PE_WORDS = 0, PE_TARGET = 1, PE_SOURCE = 2 };

struct dict_alt {
    uint32_t first; /* index into dict.altw */
    uint32_t n;     /* words */
};

struct dict_item {
    uint32_t first_alt; /* index into dict.alts */
    uint32_t nalt;
};

/* A contiguous sequence of items (one alternative of a word element). */
struct dict_seq {
    uint32_t first_item; /* index into dict.items */
    uint32_t nitem;
};

struct dict_elem {
    uint8_t type;        /* PE_* */
    uint32_t first_item; /* PE_WORDS: index of its first alternative in dict.seqs */
    uint32_t nitem;      /* PE_WORDS: number of alternatives */
};

struct dict_pattern {
    struct dict_pcode code;
    uint32_t group;
    uint32_t first_elem; /* pre elements, then post elements */
    uint16_t npre;
    uint16_t npost;
    uint16_t score;      /* specificity: matched words count double, actor slots once */
    uint64_t need;       /* bloom bits of words every match must contain */
    const char *text;    /* as written */
    uint16_t file;
    uint32_t line;
};

struct dict_synset {
    const char *name; /* with the '&' */
    uint32_t first_alt;
    uint32_t nalt;
};

struct dict_rule {
    char prefix[6]; /* a code prefix ("04") */
    char code[6];   /* its replacement under future tense or intent ("036") */
};

struct dict_node {
    int32_t actor;   /* actor entry, or -1 */
    int32_t capital; /* 1: the actor name matches only when its first word is written with a
                        capital letter (a `surname` line: "Cousins", "Dung") */
    int32_t role;   /* role, or -1 */
    int32_t vform;   /* first verb form entry, or -1 */
    int32_t discard; /* discard phrase (index into dict.discards), or -1 */
};

struct dict_edge {
    uint64_t key;   /* parent << 32 | word; 0 = empty slot (the root has no parent edge) */
    uint32_t child;
};

/* Built-in English function words the engine tests for (their word ids). */
#define DICT_BUILTIN_WORDS(X)                                                                      \
    X(the, "the") X(a, "a") X(an, "an") X(and, "and") X(or, "or") X(but, "but") X(of, "of")      \
    X(to, "to") X(in, "in") X(on, "on") X(at, "at") X(by, "by") X(from, "from") X(with, "with")  \
    X(for, "for") X(s, "'s") X(apos, "'") X(not, "not") X(nt, "n't") X(never, "never")           \
    X(no, "no") X(will, "will") X(would, "would") X(shall, "shall") X(ll, "'ll")                 \
    X(is, "is") X(are, "are") X(was, "was") X(were, "were") X(be, "be") X(been, "been")          \
    X(being, "being") X(am, "am") X(has, "has") X(have, "have") X(had, "had") X(having, "having")\
    X(do, "do") X(does, "does") X(did, "did") X(can, "can") X(could, "could") X(may, "may")      \
    X(might, "might") X(must, "must") X(should, "should") X(that, "that") X(which, "which")      \
    X(who, "who") X(where, "where") X(whom, "whom") X(whose, "whose") X(he, "he") X(she, "she") X(it, "it")       \
    X(they, "they") X(we, "we") X(i, "i") X(its, "its") X(his, "his") X(her, "her")             \
    X(their, "their") X(our, "our") X(this, "this") X(these, "these") X(those, "those")         \
    X(as, "as") X(well, "well") X(also, "also") X(between, "between") X(after, "after")         \
    X(before, "before") X(because, "because") X(while, "while") X(when, "when") X(if, "if")     \
    X(although, "although") X(though, "though") X(whereas, "whereas") X(unless, "unless")       \
    X(despite, "despite") X(since, "since") X(until, "until") X(during, "during")               \
    X(according, "according") X(amid, "amid") X(including, "including") X(about, "about")       \
    X(against, "against") X(over, "over") X(into, "into") X(under, "under") X(among, "among")   \
    X(through, "through") X(upon, "upon") X(within, "within") X(without, "without")             \
    X(toward, "toward") X(towards, "towards") X(via, "via") X(across, "across")                 \
    X(some, "some") X(any, "any") X(each, "each") X(every, "every") X(another, "another")       \
    X(such, "such") X(my, "my") X(your, "your") X(both, "both") X(either, "either")             \
    X(neither, "neither") X(nor, "nor") X(longer, "longer") X(yet, "yet") X(then, "then")       \
    X(today, "today") X(yesterday, "yesterday") X(tomorrow, "tomorrow") X(here, "here")         \
    X(there, "there") X(last, "last") X(next, "next") X(week, "week") X(month, "month")         \
    X(year, "year") X(earlier, "earlier") X(later, "later") X(going, "going")                   \
    X(jan, "january") X(feb, "february") X(mar, "march") X(apr, "april") X(may_m, "may")        \
    X(jun, "june") X(jul, "july") X(aug, "august") X(sep, "september") X(oct, "october")        \
    X(nov, "november") X(dec, "december") X(jan3, "jan") X(feb3, "feb") X(mar3, "mar")          \
    X(apr3, "apr") X(jun3, "jun") X(jul3, "jul") X(aug3, "aug") X(sep3, "sep")                  \
    X(sept3, "sept") X(oct3, "oct") X(nov3, "nov") X(dec3, "dec")                               \
    X(monday, "monday") X(tuesday, "tuesday") X(wednesday, "wednesday")                          \
    X(thursday, "thursday") X(friday, "friday") X(saturday, "saturday") X(sunday, "sunday")     \
    X(say, "say") X(says, "says") X(said, "said") X(saying, "saying") X(tell, "tell")           \
    X(tells, "tells") X(told, "told") X(state, "state") X(states, "states")                     \
    X(stated, "stated") X(add, "add") X(adds, "adds") X(added, "added") X(note, "note")         \
    X(noted, "noted") X(notes, "notes") X(report, "report") X(reported, "reported")             \
    X(reports, "reports") X(announce, "announce") X(announced, "announced")                     \
    X(announces, "announces") X(quoted, "quoted") X(quoting, "quoting")                         \
    X(wrote, "wrote") X(writes, "writes") X(comma, ",") X(semicolon, ";") X(colon, ":")         \
    X(quote, "\"") X(lparen, "(") X(rparen, ")") X(dash, "-") X(period, ".")                    \
    X(refuse, "refuse") X(refuses, "refuses") X(refused, "refused") X(refusing, "refusing")     \
    X(fail, "fail") X(fails, "fails") X(failed, "failed") X(failing, "failing")                 \
    X(decline, "decline") X(declines, "declines") X(declined, "declined")                       \
    X(declining, "declining") X(agree, "agree") X(agrees, "agrees") X(agreed, "agreed")         \
    X(plan, "plan") X(plans, "plans") X(planned, "planned") X(planning, "planning")             \
    X(intend, "intend") X(intends, "intends") X(intended, "intended") X(pledge, "pledge")       \
    X(pledges, "pledges") X(pledged, "pledged") X(promise, "promise") X(promises, "promises")   \
    X(promised, "promised") X(vow, "vow") X(vows, "vows") X(vowed, "vowed")                     \
    X(decide, "decide") X(decides, "decides") X(decided, "decided") X(expected, "expected")     \
    X(set, "set") X(due, "due") X(scheduled, "scheduled") X(ready, "ready")                     \
    X(willing, "willing") X(want, "want") X(wants, "wants") X(wanted, "wanted")                 \
    X(hope, "hope") X(hopes, "hopes") X(hoped, "hoped") X(offer, "offer") X(offers, "offers")   \
    X(offered, "offered") X(seek, "seek") X(seeks, "seeks") X(sought, "sought")                 \
    X(aim, "aim") X(aims, "aims") X(aimed, "aimed") X(prepared, "prepared")                    \
    X(committed, "committed") X(resolved, "resolved") X(likely, "likely")  \
    X(so, "so") X(too, "too") X(already, "already") X(still, "still") X(just, "just")           \
    X(now, "now") X(again, "again") X(once, "once") X(soon, "soon") X(formally, "formally")     \
    X(officially, "officially") X(jointly, "jointly") X(reportedly, "reportedly")               \
    X(recently, "recently") X(previously, "previously") X(further, "further")                   \
    X(publicly, "publicly") X(strongly, "strongly") X(finally, "finally")                       \
    X(repeatedly, "repeatedly") X(reluctantly, "reluctantly") X(even, "even")                   \
    X(mr, "mr") X(mrs, "mrs") X(ms, "ms") X(deny, "deny") X(denies, "denies")          \
    X(denied, "denied") X(denying, "denying") X(dismissed, "dismissed")                          \
    X(rejected, "rejected") X(refuted, "refuted") X(claims, "claims") X(claim, "claim")         \
    X(allegations, "allegations") X(rumours, "rumours") X(rumors, "rumors") X(speculation, "speculation") X(swear, "swear") X(swore, "swore") \
    X(sworn, "sworn") X(continue_, "continue") X(continues, "continues") X(continued, "continued") \
    X(begin, "begin") X(began, "began") X(begun, "begun") X(begins, "begins") X(start, "start") \
    X(started, "started") X(starts, "starts") X(resume, "resume") X(resumed, "resumed") \
    X(resumes, "resumes") X(unless_, "unless") X(following, "following")    \
    X(throughout, "throughout") X(outside, "outside") X(near, "near") X(inside, "inside")     \
    X(vote, "vote") X(votes, "votes") X(voted, "voted") X(voting, "voting")                    \
    X(two, "two") X(three, "three") X(four, "four") X(five, "five") X(six, "six")               \
    X(seven, "seven") X(eight, "eight") X(nine, "nine") X(ten, "ten") X(dozen, "dozen")         \
    X(dozens, "dozens") X(hundreds, "hundreds") X(thousands, "thousands")                       \
    X(several, "several") X(many, "many") X(him, "him") X(them, "them")

#define DICT_W_ENUM_(name, text) W_##name,
enum dict_builtin { W_NONE_ = 0, DICT_BUILTIN_WORDS(DICT_W_ENUM_) W_COUNT_ };
#undef DICT_W_ENUM_

struct dict {
    struct bilat_arena arena; /* strings */

    /* interned words: id 0 is "no word" */
    uint32_t *wslot;   /* open-addressing table of word ids */
    uint32_t wmask;    /* slots - 1 (a power of two minus one) */
    char **wstr;       /* key of each word (NUL-terminated, in the arena) */
    uint32_t *wlen;    /* its length */
    uint32_t *whash;   /* its hash */
    int32_t *wroot;    /* child of the root for each word, or -1 */
    uint32_t nwords, wcap;
    uint32_t builtin[W_COUNT_]; /* word ids of the built-in words */
    uint32_t nbuiltin;          /* ids 1..nbuiltin are built-in function words */

    /* the phrase trie */
    struct dict_node *nodes;
    uint32_t nnodes, nodecap;
    struct dict_edge *edges;
    uint32_t emask, nedges;

    /* entries */
    struct dict_actor *actors;  uint32_t nactors, actorcap;
    struct dict_code *codes;    uint32_t ncodes, codecap;
    struct dict_role *roles;  uint32_t nroles, rolecap;
    struct dict_vform *vforms;  uint32_t nvforms, vformcap;
    struct dict_group *groups;  uint32_t ngroups, groupcap;
    struct dict_pattern *pats;  uint32_t npats, patcap;
    struct dict_elem *elems;    uint32_t nelems, elemcap;
    struct dict_item *items;    uint32_t nitems, itemcap;
    struct dict_seq *seqs;      uint32_t nseqs, seqcap;
    struct dict_alt *alts;      uint32_t nalts, altcap;
    uint32_t *altw;             uint32_t naltw, altwcap;
    struct dict_synset *syns;   uint32_t nsyns, syncap;
    struct dict_rule *rules;    uint32_t nrules, rulecap;
    const char **discards;      uint32_t ndiscards, discardcap;
    const char **files;         uint32_t nfiles, filecap;
    uint32_t nnames;            /* actor names (phrases) loaded */
    uint32_t nforms;            /* verb form phrases loaded */

    struct lex lx; /* tokenizer for phrases (load time only) */
};

/* Load dictionaries from files or directories (a directory: its *.actors, *.roles, *.verbs,
 * *.discards and *.rules files in name order). Every bad line goes to `diag`; if any was bad
 * the load fails with BILAT_EPARSE. */
int dict_load(struct dict *d, const char *const *paths, size_t n, const struct bilat_diag *diag,
              struct bilat_err *err);

void dict_release(struct dict *d);

/* Word id of a normalised key, or 0. */
uint32_t dict_word(const struct dict *d, const char *key, size_t len, uint32_t hash);

/* Child of `node` by `word` in the trie, or -1. Node 0 is the root. */
static inline int32_t dict_child(const struct dict *d, uint32_t node, uint32_t word)
{
    if (node == 0)
        return d->wroot[word];
    uint64_t key = ((uint64_t)node << 32) | word;
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    uint32_t i = (uint32_t)(h >> 32) & d->emask;
    for (;;) {
        const struct dict_edge *e = &d->edges[i];
        if (e->key == key)
            return (int32_t)e->child;
        if (e->key == 0)
            return -1;
        i = (i + 1) & d->emask;
    }
}

/* The bloom bit of a word (for pattern pre-filtering). */
static inline uint64_t dict_bit(uint32_t word)
{
    return 1ULL << ((word * 0x9E3779B1u) >> 26);
}

/* Resolve an actor's code at a date (YYYYMMDD, 0 = unknown): the first dated code whose range
 * holds the date, else the first undated code, else (unknown date) the dated code that starts
 * last. NULL when the entry has no usable code. */
const struct dict_code *dict_actor_code(const struct dict *d, const struct dict_actor *a,
                                        int32_t date);

/* Parse "057", "042:043", ":110", "---" into a pcode; 0 or -1. */
int dict_pcode_parse(const char *s, size_t n, struct dict_pcode *out);

#endif
