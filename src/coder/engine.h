/*
 * engine.h: coding one sentence (shallow: tokens, dictionary matches, a few English rules; no
 * parser). The algorithm is described in docs/CODER.md ("How a sentence is coded").
 *
 * The engine works on the tokens of one input line (lex.h) with word ids filled in, and writes
 * its result into an engine_out owned by the caller. Per-sentence arrays are kept in the
 * engine and reused, so that coding allocates nothing once warmed up.
 */
#ifndef BILAT_CODER_ENGINE_H
#define BILAT_CODER_ENGINE_H

#include "coder/dict.h"
#include "core/buf.h"

/* A dictionary match that made an actor: what it was and where it came from. */
struct eng_actor {
    uint32_t start, end;           /* tokens of the mention */
    char code[48];                 /* resolved CAMEO actor code */
    const struct dict_actor *ent;  /* the named or country entry that gave the code, or NULL */
    const struct dict_role *role;/* the role, or NULL */
    int named;                     /* 1 when ent alone gave the code (a named actor, or a
                                      country without a role) */
};

struct eng_event {
    struct eng_actor src;
    struct eng_actor tgt;          /* tgt.code[0] == 0 for a monadic event */
    char cameo[6];
    uint32_t vstart, vend;         /* the verb tokens */
    int32_t pattern;               /* pattern index, or -1 for a default code */
    int32_t group;                 /* verb group of the default code (pattern < 0) */
    const struct dict_vform *vform;/* the verb form entry of the default code, or NULL */
    unsigned flags;                /* BILAT_EVENT_* */
};

struct eng_out {
    struct eng_event *ev;          /* events of the sentence */
    size_t n, cap;
    char date[11];                 /* the event date (explicit in the sentence, else the line's) */
    const char *uncoded;           /* static reason text, or NULL */
    char why[160];                 /* reason with detail (points from uncoded when used) */
};

struct engine;

/* Make an engine for the dictionaries (borrowed: must outlive the engine). */
int engine_new(const struct dict *d, struct engine **out);
void engine_free(struct engine *e);

/*
 * Code the sentence made of tokens [s, e) of lx (word ids filled in), of the line `text`.
 * `line_date` is "YYYY[-MM[-DD]]" or "". When `explain` is not NULL a readable trace is
 * appended to it. `names` (may be NULL) receives the unknown capitalised names, one per call of
 * names_fn. Returns 0 or BILAT_ENOMEM.
 */
typedef int eng_name_fn(void *ctx, const char *name, size_t len);
int engine_code(struct engine *g, const struct lex *lx, const char *text, size_t s, size_t e,
                const char *line_date, unsigned flags, struct eng_out *out,
                struct bilat_buf *explain, eng_name_fn *names_fn, void *names_ctx);

void eng_out_release(struct eng_out *o);

#endif
