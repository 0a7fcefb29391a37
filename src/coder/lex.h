/*
 * lex.h: the coder's tokenizer. One input line becomes a sequence of tokens, each with its
 * place in the original bytes and a normalised key used for dictionary look-ups; the tokens are
 * then cut into sentences.
 *
 * Normalisation (the same for dictionary phrases and for text, so that both meet):
 * - Unicode: compatibility composition (NFKC), case folding and removal of combining marks
 *   (utf8proc), so "Việt Nam", "VIET NAM" and "viet nam" have the same key; ASCII tokens take a
 *   table-driven fast path and never reach utf8proc.
 * - Curly apostrophes and quotes count as straight ones, dashes as '-', no-break and other
 *   Unicode spaces as spaces.
 * - "China's" is "china" + "'s", "didn't" is "did" + "n't", "Sino-Cambodian" is three tokens
 *   ("sino", "-", "cambodian"); "U.S." and "Gen." are single tokens whose key drops the final
 *   period ("u.s", "gen"); "US" and "UN" in capitals get the keys "u.s" and "u.n", so that they
 *   never meet the pronoun "us".
 * - Invalid UTF-8 bytes and NUL bytes separate tokens and are counted in `warn`.
 *
 * Invariants: tokens are in text order and do not overlap; a token's key is never empty.
 */
#ifndef BILAT_CODER_LEX_H
#define BILAT_CODER_LEX_H

#include <stddef.h>
#include <stdint.h>

enum lex_kind { LEX_WORD = 0, LEX_NUM = 1, LEX_PUNCT = 2 };

enum lex_flag {
    LEX_CAP = 1,      /* first letter is upper case */
    LEX_ALLCAP = 2,   /* two or more letters, all upper case */
    LEX_ABBR = 4,     /* an abbreviation that carries its period ("Gen.", "U.S.") */
    LEX_NONASCII = 8, /* the token had non-ASCII characters */
};

struct lex_tok {
    uint32_t off;   /* first byte in the line */
    uint32_t len;   /* bytes in the line */
    uint32_t noff;  /* key: offset in lex.norm */
    uint32_t nlen;  /* key: length in bytes */
    uint32_t hash;  /* hash of the key (lex_hash) */
    uint32_t word;  /* word id from the dictionary (0 = unknown); set by the caller */
    uint8_t kind;   /* enum lex_kind */
    uint8_t flags;  /* enum lex_flag */
};

enum lex_warn {
    LEX_WARN_BADUTF8 = 1, /* invalid UTF-8 bytes were skipped */
    LEX_WARN_NUL = 2,     /* NUL or other control bytes were skipped */
};

struct lex {
    struct lex_tok *tok; /* tokens of the last line */
    size_t n, cap;       /* count, capacity */
    char *norm;          /* keys, back to back (not NUL-terminated) */
    size_t nlen, ncap;   /* bytes used, capacity */
    int32_t *ubuf;       /* utf8proc scratch (code points) */
    size_t ucap;         /* its capacity in code points */
    char *tmp;           /* scratch for one non-ASCII token */
    size_t tcap;         /* its capacity */
    unsigned warn;       /* enum lex_warn bits for the last line */
};

#define LEX_INIT {0}

/* Free the buffers; the lexer is reusable afterwards (as LEX_INIT). */
void lex_release(struct lex *lx);

/* Tokenize s[0..n). Returns 0 or BILAT_ENOMEM. */
int lex_line(struct lex *lx, const char *s, size_t n);

/* The sentence starting at token `start` ends before the returned index (> start when
 * start < lx->n). Splits after '.', '!' or '?' (and closing quotes or brackets) when the next
 * token starts a sentence (capital letter, digit, quote or bracket). */
size_t lex_sentence_end(const struct lex *lx, const char *s, size_t start);

/* The hash used for keys (FNV-1a, 32 bits). */
uint32_t lex_hash(const char *p, size_t n);

/* The key of token i (borrowed from lx->norm). */
static inline const char *lex_key(const struct lex *lx, size_t i)
{
    return lx->norm + lx->tok[i].noff;
}

#endif
