/*
 * speech_vocab.c: the speech vocabulary and its phrase matcher (speech_vocab.h).
 *
 * The vocabulary has three groups. "concept principle": every principle key of the curated
 * concepts (data/khm-chn/concept_principles.tsv), with the phrasings a speech uses for it (a
 * unit test checks that each shipped key is here). "Chinese initiative": the initiatives and
 * slogans the brief's argument turns on. "international order": the terms of the order debate
 * (sovereignty, non-interference, multilateralism, a rules-based order, hegemony ...). Variants
 * are chosen to name the idea and not more: "internal affairs" alone would also match a
 * ministry's name, so non-interference needs "interference in ... internal affairs".
 *
 * Matching: each variant is searched with memmem() for " variant " in the normalised text; the
 * spans found for a term's variants are sorted and overlapping spans merged, so that a phrase
 * matched by two variants counts once. A speech is a few tens of kilobytes; the ingest matches
 * the 143 speeches of the shipped file against every term in a fraction of a second.
 */
#include "ingest/speech_vocab.h"

#include "core/alloc.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define P "concept principle"
#define I "Chinese initiative"
#define O "international order"

static const struct vocab_term vocab[] = {
    /* principles of the curated concepts (keys as in concept_principles.tsv) */
    {"independence", "independence", P, {"independence", "independent foreign policy"}},
    {"equality", "equality", P, {"equality", "equal footing", "sovereign equality"}},
    {"mutual-respect", "mutual respect", P, {"mutual respect", "respect each other"}},
    {"non-interference", "non-interference in internal affairs", P,
     {"non interference", "noninterference", "non intervention", "nonintervention",
      "interference in the internal affairs", "interference in internal affairs",
      "interfere in the internal affairs", "interfere in internal affairs",
      "interference in each other s internal affairs", "interfering in the internal affairs",
      "interference in their internal affairs"}},
    {"mutual-trust", "mutual trust", P, {"mutual trust"}},
    {"mutual-benefit", "mutual benefit", P, {"mutual benefit", "mutually beneficial"}},
    {"coordination", "coordination", P, {"coordination"}},
    {"common-security", "common security", P, {"common security"}},
    {"comprehensive-security", "comprehensive security", P, {"comprehensive security"}},
    {"cooperative-security", "cooperative security", P, {"cooperative security"}},
    {"sustainable-security", "sustainable security", P, {"sustainable security"}},
    {"mutual-understanding", "mutual understanding", P, {"mutual understanding"}},
    {"mutual-interest", "mutual interest", P, {"mutual interest", "mutual interests"}},
    {"asean-centrality", "ASEAN centrality", P,
     {"asean centrality", "centrality of asean", "asean s centrality", "asean s central role",
      "central role of asean"}},
    {"open-inclusive-architecture", "open and inclusive regional architecture", P,
     {"regional architecture", "open and inclusive"}},
    {"rules-based-order", "rules-based order", P,
     {"rules based order", "rule based order", "rules based international order",
      "rule based international order", "rules based regional order",
      "rules based world order", "rules based global order", "rules based multilateral order",
      "international order based on rules", "order based on rules"}},
    {"people-centred-cooperation", "people-centred cooperation", P,
     {"people centred", "people centered", "people oriented"}},
    {"social-market-economy", "social market economy", P, {"social market economy"}},
    /* initiatives and slogans */
    {"one-china", "one China", I,
     {"one china", "inalienable part of china", "inalienable part of the chinese territory"}},
    {"belt-and-road", "Belt and Road", I,
     {"belt and road", "one belt one road", "silk road economic belt", "maritime silk road"}},
    {"global-security-initiative", "Global Security Initiative", I,
     {"global security initiative"}},
    {"global-development-initiative", "Global Development Initiative", I,
     {"global development initiative"}},
    {"global-civilization-initiative", "Global Civilization Initiative", I,
     {"global civilization initiative", "global civilisation initiative"}},
    {"shared-future", "community with a shared future", I,
     {"shared future", "common destiny", "community of common future"}},
    {"win-win", "win-win cooperation", I, {"win win"}},
    {"south-south", "South-South cooperation", I, {"south south cooperation"}},
    /* the international order */
    {"sovereignty", "sovereignty", O, {"sovereignty"}},
    {"territorial-integrity", "territorial integrity", O, {"territorial integrity"}},
    {"peaceful-coexistence", "peaceful coexistence", O,
     {"peaceful coexistence", "peaceful co existence"}},
    {"multilateralism", "multilateralism", O, {"multilateralism"}},
    {"multipolarity", "a multipolar world", O, {"multipolar", "multipolarity", "multi polar"}},
    {"hegemonism", "hegemony and power politics", O,
     {"hegemony", "hegemonism", "hegemonic", "power politics"}},
    {"cold-war-mentality", "Cold War mentality", O, {"cold war mentality"}},
    {"un-charter", "the UN Charter", O,
     {"charter of the united nations", "united nations charter", "un charter"}},
    {"international-law", "international law", O, {"international law"}},
    {"human-rights", "human rights", O, {"human rights"}},
    {"right-to-development", "the right to development", O, {"right to development"}},
    {"indo-pacific", "Indo-Pacific", O, {"indo pacific"}},
};

#undef P
#undef I
#undef O

const struct vocab_term *speech_vocab(size_t *n_out)
{
    *n_out = sizeof(vocab) / sizeof(vocab[0]);
    return vocab;
}

const struct vocab_term *speech_vocab_find(const char *key)
{
    for (size_t i = 0; key && i < sizeof(vocab) / sizeof(vocab[0]); i++)
        if (strcmp(vocab[i].key, key) == 0)
            return &vocab[i];
    return NULL;
}

/* Is the code point part of a word (a letter, a mark or a number)? */
static int is_word(utf8proc_int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return 1;
    default:
        return 0;
    }
}

int speech_normalise(const char *s, size_t len, struct bilat_buf *out, size_t *words_out)
{
    size_t words = 0;
    int in_word = 0;
    if (bilat_buf_grow(out, len + 2) < 0 || bilat_buf_addch(out, ' ') < 0)
        return BILAT_ENOMEM;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        utf8proc_int32_t cp;
        size_t k = 1;
        if (c < 0x80) {
            cp = c;
        } else {
            utf8proc_ssize_t r = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
                                                  (utf8proc_ssize_t)(len - i < 4 ? len - i : 4),
                                                  &cp);
            if (r > 0)
                k = (size_t)r;
            else
                cp = ' '; /* an invalid byte is a blank */
        }
        i += k;
        int w = c < 0x80 ? ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9'))
                         : is_word(cp);
        if (!w) {
            if (in_word && bilat_buf_addch(out, ' ') < 0)
                return BILAT_ENOMEM;
            in_word = 0;
            continue;
        }
        if (!in_word)
            words++;
        in_word = 1;
        if (c < 0x80) {
            if (bilat_buf_addch(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c)) < 0)
                return BILAT_ENOMEM;
        } else {
            utf8proc_uint8_t enc[4];
            utf8proc_ssize_t n = utf8proc_encode_char(utf8proc_tolower(cp), enc);
            if (bilat_buf_add(out, enc, (size_t)n) < 0)
                return BILAT_ENOMEM;
        }
    }
    if (in_word && bilat_buf_addch(out, ' ') < 0)
        return BILAT_ENOMEM;
    if (words_out)
        *words_out = words;
    return 0;
}

struct span {
    size_t from, to; /* [from, to) in the normalised text */
    size_t variant;  /* which variant matched */
};

static int by_from(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return x->from < y->from ? -1 : x->from > y->from ? 1 : 0;
}

long speech_count(const char *norm, size_t len, const char *const *variants,
                  const char **first_out)
{
    struct span *sp = NULL;
    size_t n = 0, cap = 0;
    char pat[256];
    if (first_out)
        *first_out = NULL;
    for (size_t v = 0; v < VOCAB_MAX_VARIANTS && variants[v]; v++) {
        size_t pl = strlen(variants[v]);
        if (pl + 3 > sizeof(pat))
            continue;
        pat[0] = ' ';
        memcpy(pat + 1, variants[v], pl);
        pat[pl + 1] = ' ';
        pl += 2;
        const char *p = norm, *end = norm + len;
        while (p < end) {
            const char *m = memmem(p, (size_t)(end - p), pat, pl);
            if (!m)
                break;
            if (n == cap) {
                size_t nc = cap ? 2 * cap : 16;
                struct span *ns = bilat_realloc_array(sp, nc, sizeof(*ns));
                if (!ns) {
                    bilat_free(sp);
                    return -1;
                }
                sp = ns;
                cap = nc;
            }
            /* the span excludes the blanks around the phrase, so adjacent phrases do not
             * overlap */
            sp[n].from = (size_t)(m - norm) + 1;
            sp[n].to = (size_t)(m - norm) + pl - 1;
            sp[n].variant = v;
            n++;
            p = m + pl - 1; /* the closing blank may open the next match */
        }
    }
    if (n > 1)
        qsort(sp, n, sizeof(*sp), by_from);
    long count = 0;
    size_t reach = 0;
    for (size_t i = 0; i < n; i++) {
        if (count == 0 || sp[i].from >= reach) {
            count++;
            if (count == 1 && first_out)
                *first_out = variants[sp[i].variant];
            reach = sp[i].to;
        } else if (sp[i].to > reach) {
            reach = sp[i].to;
        }
    }
    bilat_free(sp);
    return count;
}
