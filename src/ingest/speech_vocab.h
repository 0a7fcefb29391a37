/*
 * speech_vocab.h: the vocabulary of principles and initiatives searched for in speeches, and the
 * phrase matcher (docs/MEASURES.md, "Speech vocabulary").
 *
 * A term has a key (the concepts' principle keys where a concept lists it: "non-interference",
 * "rules-based-order"), a label and variants: phrases written in the matcher's normal form
 * (lower case, words separated by one blank). Text is brought to the same form by
 * speech_normalise(): Unicode lower case, every character that is not a letter or a digit a
 * blank, runs of blanks one blank, a blank at each end; a variant matches where " variant "
 * occurs, so matches start and end at word boundaries ("rules-based order" and "rules based
 * order" are the same phrase; "equality" does not match "inequality").
 */
#ifndef BILAT_INGEST_SPEECH_VOCAB_H
#define BILAT_INGEST_SPEECH_VOCAB_H

#include "core/buf.h"

#include <stddef.h>

enum { VOCAB_MAX_VARIANTS = 12 };

struct vocab_term {
    const char *key;     /* "rules-based-order" */
    const char *label;   /* "rules-based order" */
    const char *group;   /* "concept principle", "Chinese initiative", "international order" */
    const char *variants[VOCAB_MAX_VARIANTS]; /* normal form, NULL-terminated */
};

/* The built-in vocabulary, in documentation order; *n_out gets its size. Static. */
const struct vocab_term *speech_vocab(size_t *n_out);

/* The built-in term with this key, or NULL. */
const struct vocab_term *speech_vocab_find(const char *key);

/*
 * Append the normal form of UTF-8 text s[0..len) to `out` (see the file comment); invalid UTF-8
 * bytes count as blanks. *words_out (may be NULL) gets the number of words. 0 or BILAT_ENOMEM.
 */
int speech_normalise(const char *s, size_t len, struct bilat_buf *out, size_t *words_out);

/*
 * Count the matches of one term's variants in normalised text: matches of different variants
 * that overlap count once (a "community with a shared future" is one mention, not two).
 * *first_out (may be NULL) gets the variant of the first match in the text, or NULL.
 * Returns the count, or -1 when out of memory.
 */
long speech_count(const char *norm, size_t len, const char *const *variants,
                  const char **first_out);

#endif
