/*
 * coder_int.h: the coder handle, shared by coder.c, eval.c and code_store.c.
 */
#ifndef BILAT_CODER_CODER_INT_H
#define BILAT_CODER_CODER_INT_H

#include "bilat.h"
#include "coder/dict.h"
#include "coder/engine.h"
#include "coder/lex.h"
#include "core/buf.h"

/* Sentences longer than this are not coded (a warning names the line). */
enum { CODER_MAX_TOKENS = 2000 };

struct coder_cameo {
    char code[6];     /* event code */
    double goldstein; /* NAN when missing */
    int quad;         /* 1..4, 0 when missing */
};

struct coder_name {
    char *name;     /* as written in the text */
    uint64_t hash;  /* coder_hash64 of name */
    uint64_t count; /* times seen */
};

struct bilat_coder {
    struct dict d;                /* dictionaries */
    struct engine *eng;           /* per-sentence work */
    struct lex lx;                /* tokens of the current line */
    struct eng_out out;           /* engine result of the current sentence */
    struct bilat_coded_event *pub;/* public events of the current sentence */
    size_t pubcap;
    struct bilat_buf sbuf;        /* strings of the public events */
    struct bilat_buf explain;     /* trace of the current sentence */
    struct bilat_buf idbuf;       /* id of the current sentence */
    struct coder_cameo *cameo;    /* CAMEO table, sorted by code */
    size_t ncameo, cameocap;
    struct coder_name *names;     /* unknown names (open addressing) */
    size_t names_mask, names_n;
    unsigned flags;               /* BILAT_CODER_* */
    struct bilat_diag diag;       /* warnings */
    double load_ms;               /* time to load */
};

/* 64-bit FNV-1a. */
uint64_t coder_hash64(const char *p, size_t n);

/*
 * The actor entry that the whole phrase names (as a dictionary name, after normalisation), and
 * its code at `date` (YYYYMMDD, 0 = unknown): *id_out the named-actor id (NULL when the entry
 * has none), *code_out the code. 1 when found, 0 when not, BILAT_ENOMEM. For tests and tools.
 */
int coder_actor_lookup(bilat_coder *c, const char *phrase, int32_t date, const char **id_out,
                       const char **code_out);

/* True when s[0..n) has control bytes other than tab, CR, LF, FF, VT (binary data). */
int bilat_lex_check_binary(const char *s, size_t n);

#endif
