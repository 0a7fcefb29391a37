/*
 * lex.c: tokenizer and sentence splitter of the coder (see lex.h for the rules).
 *
 * The hot path is ASCII: a 256-entry class table decides each byte, keys are lower-cased while
 * they are copied and hashed in the same pass. Only tokens with non-ASCII letters go through
 * utf8proc (decompose with compatibility mappings, case folding and mark stripping, then
 * recompose), into scratch buffers owned by the lexer so that every allocation goes through
 * bilat_malloc and can fail cleanly.
 */
#include "coder/lex.h"

#include "bilat.h"
#include "core/alloc.h"

#include <string.h>
#include <utf8proc.h>

enum { C_SPACE = 0, C_LOWER, C_UPPER, C_DIGIT, C_PUNCT, C_CTRL, C_HIGH };

/* Byte classes for ASCII; every byte >= 0x80 is C_HIGH. Built once (static initialiser). */
static const unsigned char cls[256] = {
    [0] = C_CTRL, [1] = C_CTRL, [2] = C_CTRL, [3] = C_CTRL, [4] = C_CTRL, [5] = C_CTRL,
    [6] = C_CTRL, [7] = C_CTRL, [8] = C_CTRL, ['\t'] = C_SPACE, ['\n'] = C_SPACE,
    [11] = C_SPACE, [12] = C_SPACE, ['\r'] = C_SPACE, [14] = C_CTRL, [15] = C_CTRL,
    [16] = C_CTRL, [17] = C_CTRL, [18] = C_CTRL, [19] = C_CTRL, [20] = C_CTRL, [21] = C_CTRL,
    [22] = C_CTRL, [23] = C_CTRL, [24] = C_CTRL, [25] = C_CTRL, [26] = C_CTRL, [27] = C_CTRL,
    [28] = C_CTRL, [29] = C_CTRL, [30] = C_CTRL, [31] = C_CTRL, [' '] = C_SPACE,
    ['!'] = C_PUNCT, ['"'] = C_PUNCT, ['#'] = C_PUNCT, ['$'] = C_PUNCT, ['%'] = C_PUNCT,
    ['&'] = C_PUNCT, ['\''] = C_PUNCT, ['('] = C_PUNCT, [')'] = C_PUNCT, ['*'] = C_PUNCT,
    ['+'] = C_PUNCT, [','] = C_PUNCT, ['-'] = C_PUNCT, ['.'] = C_PUNCT, ['/'] = C_PUNCT,
    ['0'] = C_DIGIT, ['1'] = C_DIGIT, ['2'] = C_DIGIT, ['3'] = C_DIGIT, ['4'] = C_DIGIT,
    ['5'] = C_DIGIT, ['6'] = C_DIGIT, ['7'] = C_DIGIT, ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    [':'] = C_PUNCT, [';'] = C_PUNCT, ['<'] = C_PUNCT, ['='] = C_PUNCT, ['>'] = C_PUNCT,
    ['?'] = C_PUNCT, ['@'] = C_PUNCT, ['A'] = C_UPPER, ['B'] = C_UPPER, ['C'] = C_UPPER,
    ['D'] = C_UPPER, ['E'] = C_UPPER, ['F'] = C_UPPER, ['G'] = C_UPPER, ['H'] = C_UPPER,
    ['I'] = C_UPPER, ['J'] = C_UPPER, ['K'] = C_UPPER, ['L'] = C_UPPER, ['M'] = C_UPPER,
    ['N'] = C_UPPER, ['O'] = C_UPPER, ['P'] = C_UPPER, ['Q'] = C_UPPER, ['R'] = C_UPPER,
    ['S'] = C_UPPER, ['T'] = C_UPPER, ['U'] = C_UPPER, ['V'] = C_UPPER, ['W'] = C_UPPER,
    ['X'] = C_UPPER, ['Y'] = C_UPPER, ['Z'] = C_UPPER, ['['] = C_PUNCT, ['\\'] = C_PUNCT,
    [']'] = C_PUNCT, ['^'] = C_PUNCT, ['_'] = C_PUNCT, ['`'] = C_PUNCT, ['a'] = C_LOWER,
    ['b'] = C_LOWER, ['c'] = C_LOWER, ['d'] = C_LOWER, ['e'] = C_LOWER, ['f'] = C_LOWER,
    ['g'] = C_LOWER, ['h'] = C_LOWER, ['i'] = C_LOWER, ['j'] = C_LOWER, ['k'] = C_LOWER,
    ['l'] = C_LOWER, ['m'] = C_LOWER, ['n'] = C_LOWER, ['o'] = C_LOWER, ['p'] = C_LOWER,
    ['q'] = C_LOWER, ['r'] = C_LOWER, ['s'] = C_LOWER, ['t'] = C_LOWER, ['u'] = C_LOWER,
    ['v'] = C_LOWER, ['w'] = C_LOWER, ['x'] = C_LOWER, ['y'] = C_LOWER, ['z'] = C_LOWER,
    ['{'] = C_PUNCT, ['|'] = C_PUNCT, ['}'] = C_PUNCT, ['~'] = C_PUNCT, [127] = C_CTRL,
#define H16 C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, \
            C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH, C_HIGH
    [128] = H16, H16, H16, H16, H16, H16, H16, H16,
#undef H16
};

static inline int is_alnum(unsigned char c)
{
    return cls[c] == C_LOWER || cls[c] == C_UPPER || cls[c] == C_DIGIT;
}

uint32_t lex_hash(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

void lex_release(struct lex *lx)
{
    bilat_free(lx->tok);
    bilat_free(lx->norm);
    bilat_free(lx->ubuf);
    bilat_free(lx->tmp);
    memset(lx, 0, sizeof(*lx));
}

/* Decode one UTF-8 sequence at s[0..n); returns its length, or 0 when invalid. */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n > 4 ? 4 : n), cp);
    return k > 0 ? (size_t)k : 0;
}

/* What a non-ASCII code point is for tokenizing. */
enum { U_WORD, U_SPACE, U_APOS, U_QUOTE, U_DASH, U_OTHER };

static int uclass(int32_t cp)
{
    switch (cp) {
    case 0x2019: case 0x2018: case 0x02BC: case 0x2032: case 0x00B4:
        return U_APOS;
    case 0x201C: case 0x201D: case 0x201E: case 0x00AB: case 0x00BB: case 0x2033:
        return U_QUOTE;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212:
        return U_DASH;
    case 0x200B: case 0xFEFF: case 0x2028: case 0x2029: case 0x0085:
        return U_SPACE;
    default:
        break;
    }
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
        return U_WORD;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF:
        return U_SPACE;
    default:
        return U_OTHER;
    }
}

/* Is there a word character (ASCII alnum or non-ASCII letter, mark or digit) at s[i]? */
static int word_at(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80)
        return is_alnum(c);
    int32_t cp;
    size_t k = decode((const unsigned char *)s + i, n - i, &cp);
    return k && uclass(cp) == U_WORD;
}

/* Length of an apostrophe at s[i] (ASCII or curly), or 0. */
static size_t apos_at(const char *s, size_t n, size_t i)
{
    if (i >= n)
        return 0;
    unsigned char c = (unsigned char)s[i];
    if (c == '\'')
        return 1;
    if (c < 0x80)
        return 0;
    int32_t cp;
    size_t k = decode((const unsigned char *)s + i, n - i, &cp);
    return k && uclass(cp) == U_APOS ? k : 0;
}

static int grow_tok(struct lex *lx)
{
    if (lx->n < lx->cap)
        return 0; /* the common case, once per token: no call */
    struct lex_tok *t = bilat_array_grow(lx->tok, lx->n, &lx->cap, sizeof(*t), 64);
    if (!t)
        return BILAT_ENOMEM;
    lx->tok = t;
    return 0;
}

static int grow_norm(struct lex *lx, size_t extra)
{
    if (lx->ncap - lx->nlen >= extra)
        return 0;
    size_t cap = lx->ncap ? lx->ncap : 256;
    while (cap - lx->nlen < extra)
        cap *= 2;
    char *p = bilat_realloc(lx->norm, cap);
    if (!p)
        return BILAT_ENOMEM;
    lx->norm = p;
    lx->ncap = cap;
    return 0;
}

/*
 * Append the token of text bytes [off, off + len) whose key, klen bytes, has been written at the
 * end of the normal forms (room for the token and the key made by the caller).
 */
static void tok_end(struct lex *lx, size_t off, size_t len, size_t klen, int kind, int flags)
{
    struct lex_tok *t = &lx->tok[lx->n++];
    t->off = (uint32_t)off;
    t->len = (uint32_t)len;
    t->noff = (uint32_t)lx->nlen;
    t->nlen = (uint32_t)klen;
    t->hash = lex_hash(lx->norm + lx->nlen, klen);
    t->word = 0;
    t->kind = (uint8_t)kind;
    t->flags = (uint8_t)flags;
    lx->nlen += klen;
}

/* Append a token whose key is the given bytes (already normalised). */
static int push(struct lex *lx, size_t off, size_t len, const char *key, size_t klen, int kind,
                int flags)
{
    if (grow_tok(lx) < 0 || grow_norm(lx, klen) < 0)
        return BILAT_ENOMEM;
    memcpy(lx->norm + lx->nlen, key, klen);
    tok_end(lx, off, len, klen, kind, flags);
    return 0;
}

/* Abbreviations that keep their period (lower case, without the period). */
static int is_abbrev(const char *w, size_t n)
{
    static const char *const list[] = {
        "adm", "amb", "apr", "aug", "brig", "capt", "cmdr", "co", "col", "corp", "cpl", "cpt",
        "dec", "dept", "dr", "e.g", "etc", "feb", "gen", "gov", "hon", "i.e", "inc", "jan",
        "jr", "jul", "jun", "lt", "ltd", "maj", "messrs", "mr", "mrs", "ms", "nov", "oct",
        "pres", "prof", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "vs"};
    if (n == 0 || n > 6)
        return 0;
    char low[8];
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        low[i] = (char)(cls[c] == C_UPPER ? c + 32 : c);
    }
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++)
        if (strlen(list[i]) == n && memcmp(list[i], low, n) == 0)
            return 1;
    return 0;
}

/* Normalise a non-ASCII token s[0..n) (apostrophes already straight) into lx->norm as a new
 * key; returns its length through *klen. */
static int norm_unicode(struct lex *lx, const char *s, size_t n, size_t *klen)
{
    const utf8proc_option_t opt = UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                  UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
    for (;;) {
        utf8proc_ssize_t r = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                                (utf8proc_ssize_t)n, lx->ubuf,
                                                (utf8proc_ssize_t)lx->ucap, opt);
        if (r < 0) {
            /* cannot happen for valid UTF-8; keep the bytes as they are */
            if (grow_norm(lx, n) < 0)
                return BILAT_ENOMEM;
            memcpy(lx->norm + lx->nlen, s, n);
            *klen = n;
            return 0;
        }
        if (r == 0) {
            *klen = 0; /* only ignorable characters */
            return 0;
        }
        /* utf8proc_reencode writes the bytes and a NUL into the same buffer: one spare slot */
        if ((size_t)r + 1 > lx->ucap) {
            size_t cap = (size_t)r + 16;
            int32_t *u = bilat_realloc_array(lx->ubuf, cap, sizeof(*u));
            if (!u)
                return BILAT_ENOMEM;
            lx->ubuf = u;
            lx->ucap = cap;
            continue;
        }
        utf8proc_ssize_t b = utf8proc_reencode(lx->ubuf, r, opt);
        if (b < 0)
            b = 0;
        if (grow_norm(lx, (size_t)b) < 0)
            return BILAT_ENOMEM;
        memcpy(lx->norm + lx->nlen, lx->ubuf, (size_t)b);
        *klen = (size_t)b;
        return 0;
    }
}

/* Emit the word s[i..j) (j may include a final abbreviation period when abbr is set). */
static int emit_word(struct lex *lx, const char *s, size_t i, size_t j, int nonascii, int abbr)
{
    size_t end = abbr ? j - 1 : j; /* the key drops the final period */
    int flags = abbr ? LEX_ABBR : 0;
    int letters = 0, upper = 0, digits_only = 1;
    /* case flags and token kind from the ASCII letters (non-ASCII: from the first letter) */
    for (size_t k = i; k < end; k++) {
        unsigned char c = (unsigned char)s[k];
        int cl = cls[c];
        if (cl == C_UPPER)
            letters++, upper++;
        else if (cl == C_LOWER)
            letters++;
        if (cl != C_DIGIT && c != '.' && c != ',')
            digits_only = 0;
    }
    unsigned char c0 = (unsigned char)s[i];
    if (cls[c0] == C_UPPER) {
        flags |= LEX_CAP;
    } else if (c0 >= 0x80) {
        int32_t cp;
        if (decode((const unsigned char *)s + i, end - i, &cp)) {
            utf8proc_category_t cat = utf8proc_category(cp);
            if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT)
                flags |= LEX_CAP;
        }
    }
    if (letters >= 2 && upper == letters)
        flags |= LEX_ALLCAP;
    int kind = digits_only ? LEX_NUM : LEX_WORD;
    if (!nonascii) {
        size_t n = end - i;
        if (grow_tok(lx) < 0 || grow_norm(lx, n + 1) < 0)
            return BILAT_ENOMEM;
        char *d = lx->norm + lx->nlen;
        /* "US" and "UN" in capitals are the countries, never the pronoun or a prefix */
        if (n == 2 && (flags & LEX_ALLCAP) && c0 == 'U' && (s[i + 1] == 'S' || s[i + 1] == 'N')) {
            const char *k = s[i + 1] == 'S' ? "u.s" : "u.n";
            return push(lx, i, j - i, k, 3, kind, flags);
        }
        for (size_t k = 0; k < n; k++) {
            unsigned char c = (unsigned char)s[i + k];
            d[k] = (char)(cls[c] == C_UPPER ? c + 32 : c);
        }
        tok_end(lx, i, j - i, n, kind, flags);
        return 0;
    }
    /* non-ASCII: straighten apostrophes into a scratch copy, then utf8proc */
    size_t n = end - i;
    if (lx->tcap < n + 1) {
        char *t = bilat_realloc(lx->tmp, n + 16);
        if (!t)
            return BILAT_ENOMEM;
        lx->tmp = t;
        lx->tcap = n + 16;
    }
    size_t m = 0;
    for (size_t k = i; k < end;) {
        size_t a = apos_at(s, end, k);
        int32_t cp;
        size_t u = (unsigned char)s[k] >= 0x80 ? decode((const unsigned char *)s + k, end - k, &cp)
                                               : 1;
        if (a) {
            lx->tmp[m++] = '\'';
            k += a;
        } else if (!u) {
            k++; /* not UTF-8: ignored (scan_word() kept it inside the word) */
        } else {
            memcpy(lx->tmp + m, s + k, u);
            m += u;
            k += u;
        }
    }
    if (grow_tok(lx) < 0)
        return BILAT_ENOMEM;
    size_t klen = 0;
    if (norm_unicode(lx, lx->tmp, m, &klen) < 0)
        return BILAT_ENOMEM;
    if (klen == 0) {
        /* only ignorable characters: keep a placeholder key so that the token exists */
        if (grow_norm(lx, 1) < 0)
            return BILAT_ENOMEM;
        lx->norm[lx->nlen] = '?';
        klen = 1;
    }
    tok_end(lx, i, j - i, klen, kind, flags | LEX_NONASCII);
    return 0;
}

/*
 * Scan a word starting at s[i]; emits it (and a split-off "n't") and returns the index after
 * it, or (size_t)-1 on allocation failure.
 */
static size_t scan_word(struct lex *lx, const char *s, size_t n, size_t i)
{
    size_t j = i, seg = i; /* seg: start of the current dot-separated segment */
    int nonascii = 0, number = cls[(unsigned char)s[i]] == C_DIGIT, dotted = 0;
    while (j < n) {
        unsigned char c = (unsigned char)s[j];
        if (c < 0x80 && is_alnum(c)) {
            if (cls[c] != C_DIGIT)
                number = 0;
            j++;
            continue;
        }
        if (c >= 0x80) {
            int32_t cp;
            size_t k = decode((const unsigned char *)s + j, n - j, &cp);
            if (k && uclass(cp) == U_WORD) {
                nonascii = 1;
                number = 0;
                j += k;
                continue;
            }
            if (!k) {
                /* a byte that is not UTF-8 is ignored, not a word's end: "Cam\xffbodia" is
                 * Cambodia (emit_word() leaves it out of the key) */
                lx->warn |= LEX_WARN_BADUTF8;
                nonascii = 1;
                number = 0;
                j++;
                continue;
            }
        }
        size_t a = apos_at(s, n, j);
        if (a) {
            size_t nx = j + a;
            /* possessive 's: ends the word, the main loop emits "'s" */
            if (nx < n && (s[nx] == 's' || s[nx] == 'S') && !word_at(s, n, nx + 1))
                break;
            /* n't: "didn't" -> "did" + "n't" */
            if (j > i + 1 && (s[j - 1] == 'n' || s[j - 1] == 'N') && nx < n &&
                (s[nx] == 't' || s[nx] == 'T') && !word_at(s, n, nx + 1)) {
                if (emit_word(lx, s, i, j - 1, nonascii, 0) < 0 ||
                    push(lx, j - 1, nx + 1 - (j - 1), "n't", 3, LEX_WORD, 0) < 0)
                    return (size_t)-1;
                return nx + 1;
            }
            /* internal apostrophe: O'Brien, d'Ivoire */
            if (nx < n && word_at(s, n, nx) && !number) {
                j = nx;
                continue;
            }
            break;
        }
        if (c == '.' && j + 1 < n) {
            unsigned char d = (unsigned char)s[j + 1];
            if (number && cls[d] == C_DIGIT) { /* 11.8 */
                j++;
                continue;
            }
            /* U.S., U.N., p.m.: one letter, a period, and a letter followed by a period */
            if (j - seg == 1 && (cls[d] == C_LOWER || cls[d] == C_UPPER) && j + 2 < n &&
                s[j + 2] == '.') {
                j++;
                seg = j;
                dotted = 1;
                continue;
            }
        }
        if (c == ',' && number && j + 3 < n && cls[(unsigned char)s[j + 1]] == C_DIGIT &&
            cls[(unsigned char)s[j + 2]] == C_DIGIT && cls[(unsigned char)s[j + 3]] == C_DIGIT &&
            !word_at(s, n, j + 4)) {
            j += 4; /* 50,000 */
            continue;
        }
        break;
    }
    int abbr = 0;
    if (j < n && s[j] == '.' && !number) {
        size_t wl = j - i;
        /* after a title ("Gen.", "Sen.") the period at the end of the text ends the
         * sentence ("U.S." keeps it); "Hun Sen." is no senator */
        size_t r = j + 1;
        while (r < n && (s[r] == ' ' || s[r] == '\t' || s[r] == '"' || s[r] == '\''))
            r++;
        int hun_sen = wl == 3 && i >= 4 && (s[i] == 'S' || s[i] == 's') &&
                      (memcmp(s + i - 4, "Hun ", 4) == 0 || memcmp(s + i - 4, "hun ", 4) == 0);
        if (dotted || (wl == 1 && cls[(unsigned char)s[i]] == C_UPPER) ||
            (r < n && !hun_sen && !nonascii && is_abbrev(s + i, wl))) {
            j++;
            abbr = 1;
        }
    }
    if (emit_word(lx, s, i, j, nonascii, abbr) < 0)
        return (size_t)-1;
    return j;
}

int lex_line(struct lex *lx, const char *s, size_t n)
{
    lx->n = 0;
    lx->nlen = 0;
    lx->warn = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            int cl = cls[c];
            if (cl == C_SPACE) {
                i++;
                continue;
            }
            if (cl == C_CTRL) {
                lx->warn |= LEX_WARN_NUL;
                i++;
                continue;
            }
            if (cl != C_PUNCT) {
                size_t j = scan_word(lx, s, n, i);
                if (j == (size_t)-1)
                    return BILAT_ENOMEM;
                i = j;
                continue;
            }
            if (c == '\'') {
                /* possessive 's or a lone apostrophe */
                if (i + 1 < n && (s[i + 1] == 's' || s[i + 1] == 'S') && !word_at(s, n, i + 2)) {
                    if (push(lx, i, 2, "'s", 2, LEX_WORD, 0) < 0)
                        return BILAT_ENOMEM;
                    i += 2;
                    continue;
                }
                if (push(lx, i, 1, "'", 1, LEX_PUNCT, 0) < 0)
                    return BILAT_ENOMEM;
                i++;
                continue;
            }
            char k = (char)(c == '`' ? '\'' : c);
            if (push(lx, i, 1, &k, 1, LEX_PUNCT, 0) < 0)
                return BILAT_ENOMEM;
            i++;
            continue;
        }
        int32_t cp;
        size_t k = decode((const unsigned char *)s + i, n - i, &cp);
        if (!k) {
            lx->warn |= LEX_WARN_BADUTF8;
            i++;
            continue;
        }
        int u = uclass(cp);
        if (u == U_WORD) {
            size_t j = scan_word(lx, s, n, i);
            if (j == (size_t)-1)
                return BILAT_ENOMEM;
            i = j;
            continue;
        }
        int r = 0;
        switch (u) {
        case U_SPACE:
            break;
        case U_APOS:
            if (i + k < n && (s[i + k] == 's' || s[i + k] == 'S') && !word_at(s, n, i + k + 1)) {
                r = push(lx, i, k + 1, "'s", 2, LEX_WORD, 0);
                k++;
            } else {
                r = push(lx, i, k, "'", 1, LEX_PUNCT, 0);
            }
            break;
        case U_QUOTE:
            r = push(lx, i, k, "\"", 1, LEX_PUNCT, 0);
            break;
        case U_DASH:
            r = push(lx, i, k, "-", 1, LEX_PUNCT, 0);
            break;
        default:
            r = push(lx, i, k, s + i, k, LEX_PUNCT, 0);
            break;
        }
        if (r < 0)
            return BILAT_ENOMEM;
        i += k;
    }
    return 0;
}

/* Is token i a one-byte punctuation token with key c? */
static int punct_is(const struct lex *lx, size_t i, char c)
{
    const struct lex_tok *t = &lx->tok[i];
    return t->kind == LEX_PUNCT && t->nlen == 1 && lx->norm[t->noff] == c;
}

size_t lex_sentence_end(const struct lex *lx, const char *s, size_t start)
{
    (void)s;
    for (size_t i = start; i < lx->n; i++) {
        if (!(punct_is(lx, i, '.') || punct_is(lx, i, '!') || punct_is(lx, i, '?')))
            continue;
        size_t j = i + 1;
        while (j < lx->n && (punct_is(lx, j, '"') || punct_is(lx, j, ')') ||
                             punct_is(lx, j, '\'') || punct_is(lx, j, '.')))
            j++;
        if (j >= lx->n)
            return lx->n;
        const struct lex_tok *t = &lx->tok[j];
        if ((t->flags & LEX_CAP) || t->kind == LEX_NUM || punct_is(lx, j, '"') ||
            punct_is(lx, j, '(') || punct_is(lx, j, '\''))
            return j;
    }
    return lx->n;
}
