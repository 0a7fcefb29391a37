/*
 * dict.c: loading the coder's dictionaries (format: docs/CODER.md; structures: dict.h).
 *
 * Files are read whole and parsed line by line; every phrase goes through the same tokenizer as
 * the text (lex.c), so a name matches exactly when its normalised words do. Bad lines are all
 * reported (file:line: reason) before the load fails, so that one run shows every mistake.
 *
 * Speed: loading the full dictionaries (about 100,000 phrases) must take well under 200 ms, so
 * there is one pass over each file, words are interned in an open-addressing table sized by
 * doubling, and trie edges live in one flat hash table (no per-node allocation).
 */
#include "coder/dict.h"

#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/parse.h"
#include "core/utf8.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DICT_FILE_LIMIT = 64 << 20, PHRASE_MAX = 64 };

/* Grow a vector `v` of `n` used and `cap` allocated elements to hold one more. */
#define VEC_GROW(v, n, cap)                                                                        \
    ((n) < (cap) ? 0 : vec_grow((void **)&(v), &(cap), sizeof(*(v))))

/* Move the array *v to room for n elements of `size` bytes: 0, or BILAT_ENOMEM (*v unchanged). */
static int resize(void **v, size_t n, size_t size)
{
    void *p = bilat_realloc_array(*v, n, size);
    if (!p)
        return BILAT_ENOMEM;
    *v = p;
    return 0;
}

static int vec_grow(void **v, uint32_t *cap, size_t size)
{
    uint32_t nc = *cap ? *cap * 2 : 64;
    BILAT_TRY(resize(v, nc, size));
    *cap = nc;
    return 0;
}

void dict_release(struct dict *d)
{
    bilat_arena_release(&d->arena);
    bilat_free(d->wslot);
    bilat_free(d->wstr);
    bilat_free(d->wlen);
    bilat_free(d->whash);
    bilat_free(d->wroot);
    bilat_free(d->nodes);
    bilat_free(d->edges);
    bilat_free(d->actors);
    bilat_free(d->codes);
    bilat_free(d->roles);
    bilat_free(d->vforms);
    bilat_free(d->groups);
    bilat_free(d->pats);
    bilat_free(d->elems);
    bilat_free(d->items);
    bilat_free(d->seqs);
    bilat_free(d->alts);
    bilat_free(d->altw);
    bilat_free(d->syns);
    bilat_free(d->rules);
    bilat_free(d->discards);
    bilat_free(d->files);
    lex_release(&d->lx);
    memset(d, 0, sizeof(*d));
}

/* ---------------------------------------------------------------------------------------------
 * Words
 * ------------------------------------------------------------------------------------------ */

uint32_t dict_word(const struct dict *d, const char *key, size_t len, uint32_t hash)
{
    uint32_t i = hash & d->wmask;
    for (;;) {
        uint32_t id = d->wslot[i];
        if (id == 0)
            return 0;
        if (d->whash[id] == hash && d->wlen[id] == len && memcmp(d->wstr[id], key, len) == 0)
            return id;
        i = (i + 1) & d->wmask;
    }
}

static int word_rehash(struct dict *d, uint32_t slots)
{
    uint32_t *t = bilat_calloc(slots, sizeof(*t));
    if (!t)
        return BILAT_ENOMEM;
    for (uint32_t id = 1; id < d->nwords; id++) {
        uint32_t i = d->whash[id] & (slots - 1);
        while (t[i])
            i = (i + 1) & (slots - 1);
        t[i] = id;
    }
    bilat_free(d->wslot);
    d->wslot = t;
    d->wmask = slots - 1;
    return 0;
}

static int word_intern(struct dict *d, const char *key, size_t len, uint32_t hash, uint32_t *id)
{
    uint32_t found = dict_word(d, key, len, hash);
    if (found) {
        *id = found;
        return 0;
    }
    if (d->nwords >= d->wcap) {
        uint32_t nc = d->wcap * 2;
        BILAT_TRY(resize((void **)&d->wstr, nc, sizeof(*d->wstr)));
        BILAT_TRY(resize((void **)&d->wlen, nc, sizeof(*d->wlen)));
        BILAT_TRY(resize((void **)&d->whash, nc, sizeof(*d->whash)));
        BILAT_TRY(resize((void **)&d->wroot, nc, sizeof(*d->wroot)));
        d->wcap = nc;
    }
    char *copy = bilat_arena_strndup(&d->arena, key, len);
    if (!copy)
        return BILAT_ENOMEM;
    uint32_t nid = d->nwords;
    d->wstr[nid] = copy;
    d->wlen[nid] = (uint32_t)len;
    d->whash[nid] = hash;
    d->wroot[nid] = -1;
    d->nwords++;
    if ((uint64_t)d->nwords * 2 > (uint64_t)d->wmask + 1) {
        if (word_rehash(d, (d->wmask + 1) * 2) < 0) {
            d->nwords--;
            return BILAT_ENOMEM;
        }
    } else {
        uint32_t i = hash & d->wmask;
        while (d->wslot[i])
            i = (i + 1) & d->wmask;
        d->wslot[i] = nid;
    }
    *id = nid;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Trie
 * ------------------------------------------------------------------------------------------ */

static int node_new(struct dict *d, uint32_t *out)
{
    if (VEC_GROW(d->nodes, d->nnodes, d->nodecap) < 0)
        return BILAT_ENOMEM;
    struct dict_node *n = &d->nodes[d->nnodes];
    n->actor = n->role = n->vform = n->discard = -1;
    n->capital = 0;
    *out = d->nnodes++;
    return 0;
}

static void edge_put(struct dict_edge *t, uint32_t mask, uint64_t key, uint32_t child)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ULL;
    uint32_t i = (uint32_t)(h >> 32) & mask;
    while (t[i].key)
        i = (i + 1) & mask;
    t[i].key = key;
    t[i].child = child;
}

static int edge_add(struct dict *d, uint32_t parent, uint32_t word, uint32_t child)
{
    if ((uint64_t)(d->nedges + 1) * 2 > (uint64_t)d->emask + 1) {
        uint32_t slots = (d->emask + 1) * 2;
        struct dict_edge *t = bilat_calloc(slots, sizeof(*t));
        if (!t)
            return BILAT_ENOMEM;
        for (uint32_t i = 0; i <= d->emask; i++)
            if (d->edges[i].key)
                edge_put(t, slots - 1, d->edges[i].key, d->edges[i].child);
        bilat_free(d->edges);
        d->edges = t;
        d->emask = slots - 1;
    }
    edge_put(d->edges, d->emask, ((uint64_t)parent << 32) | word, child);
    d->nedges++;
    return 0;
}

/* The node of a word sequence, created when missing. */
static int trie_insert(struct dict *d, const uint32_t *w, size_t n, uint32_t *out)
{
    uint32_t node = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t c = dict_child(d, node, w[i]);
        if (c < 0) {
            uint32_t nn;
            if (node_new(d, &nn) < 0)
                return BILAT_ENOMEM;
            if (node == 0) {
                d->wroot[w[i]] = (int32_t)nn;
            } else if (edge_add(d, node, w[i], nn) < 0) {
                return BILAT_ENOMEM;
            }
            c = (int32_t)nn;
        }
        node = (uint32_t)c;
    }
    *out = node;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Loading
 * ------------------------------------------------------------------------------------------ */

enum ftype { F_ACTORS, F_ROLES, F_VERBS, F_DISCARDS, F_RULES };

struct loader {
    struct dict *d;
    const struct bilat_diag *diag;
    const char *path;    /* file being read */
    uint16_t file;       /* its index in d->files */
    uint32_t line;       /* current line */
    int errors;          /* bad lines so far (all files) */
    int32_t actor;       /* current actor entry, or -1 */
    int32_t group;       /* current verb group, or -1 */
    int32_t syn;         /* synset of the previous line, or -1 */
};

static void bad(struct loader *L, const char *fmt, ...) BILAT_PRINTF(2, 3);

static void bad(struct loader *L, const char *fmt, ...)
{
    L->errors++;
    va_list ap;
    va_start(ap, fmt);
    bilat_diag_vsend(L->diag, BILAT_LOG_ERROR, L->path, L->line, fmt, ap);
    va_end(ap);
}

/* Words of a phrase; *n_out == 0 for an empty phrase. */
static int phrase_words(struct loader *L, const char *s, size_t n, uint32_t *w, size_t *n_out)
{
    struct dict *d = L->d;
    BILAT_TRY(lex_line(&d->lx, s, n));
    size_t k = 0;
    for (size_t i = 0; i < d->lx.n && k < PHRASE_MAX; i++) {
        const struct lex_tok *t = &d->lx.tok[i];
        BILAT_TRY(word_intern(d, lex_key(&d->lx, i), t->nlen, t->hash, &w[k]));
        k++;
    }
    *n_out = k;
    return 0;
}

/* Add the words of the phrase s[0, n) as a new alternative: 1, 0 when it has none (rejected
 * with `empty`), <0 on error. */
static int add_alt(struct loader *L, const char *s, size_t n, const char *empty)
{
    struct dict *d = L->d;
    uint32_t w[PHRASE_MAX];
    size_t k;
    BILAT_TRY(phrase_words(L, s, n, w, &k));
    if (!k) {
        bad(L, "%s", empty);
        return 0;
    }
    BILAT_TRY(VEC_GROW(d->alts, d->nalts, d->altcap));
    d->alts[d->nalts].first = d->naltw;
    d->alts[d->nalts].n = (uint32_t)k;
    for (size_t i = 0; i < k; i++) {
        BILAT_TRY(VEC_GROW(d->altw, d->naltw, d->altwcap));
        d->altw[d->naltw++] = w[i];
    }
    d->nalts++;
    return 1;
}

/* Insert a phrase and return its node; -1 in *node for an empty phrase (reported). */
static int phrase_node(struct loader *L, const char *s, size_t n, int32_t *node)
{
    uint32_t w[PHRASE_MAX];
    size_t k;
    BILAT_TRY(phrase_words(L, s, n, w, &k));
    if (k == 0) {
        bad(L, "empty name");
        *node = -1;
        return 0;
    }
    uint32_t nd;
    BILAT_TRY(trie_insert(L->d, w, k, &nd));
    *node = (int32_t)nd;
    return 0;
}

/* Split a line into tab-separated fields (in place); returns the count. */
static size_t split_tabs(char *s, char **f, size_t max)
{
    size_t n = 0;
    f[n++] = s;
    for (char *p = s; *p && n < max; p++) {
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    }
    return n;
}

static int is_empty(const char *s)
{
    return !s || !*s || strcmp(s, "-") == 0;
}

static int code_len_ok(const char *s, size_t min)
{
    size_t n = strlen(s);
    if (n < min || n > 40)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return 0;
    return 1;
}

/* A CAMEO code has three or more characters; a named-actor id two or more (UN). */
static int code_ok(const char *s)
{
    return code_len_ok(s, 3);
}

/* An ISO date (YYYY, YYYY-MM, YYYY-MM-DD) as YYYYMMDD: its first or its last day. */
static int date_bound(const char *s, int last, int32_t *out)
{
    struct bilat_date dt;
    if (bilat_date_parse(s, strlen(s), &dt) < 0)
        return -1;
    int m = dt.month ? dt.month : (last ? 12 : 1);
    int dd = dt.day ? dt.day : (last ? bilat_days_in_month(dt.year, m) : 1);
    *out = dt.year * 10000 + m * 100 + dd;
    return 0;
}

int dict_pcode_parse(const char *s, size_t n, struct dict_pcode *out)
{
    memset(out, 0, sizeof(*out));
    if (n == 3 && memcmp(s, "---", 3) == 0)
        return 0;
    const char *colon = memchr(s, ':', n);
    size_t na = colon ? (size_t)(colon - s) : n;
    size_t nb = colon ? n - na - 1 : 0;
    const char *b = colon ? colon + 1 : NULL;
    if (na > 4 || nb > 4 || (na == 0 && nb == 0))
        return -1;
    if (na == 3 && memcmp(s, "---", 3) == 0)
        na = 0;
    else
        for (size_t i = 0; i < na; i++)
            if (s[i] < '0' || s[i] > '9')
                return -1;
    if (b && nb == 3 && memcmp(b, "---", 3) == 0)
        nb = 0;
    else
        for (size_t i = 0; i < nb; i++)
            if (b[i] < '0' || b[i] > '9')
                return -1;
    if ((na && na < 2) || (nb && nb < 2))
        return -1;
    memcpy(out->a, s, na);
    if (nb)
        memcpy(out->b, b, nb);
    return 0;
}

static int kind_parse(const char *s, uint8_t *out)
{
    static const char *const names[] = {"-", "state", "party", "person", "organisation",
                                        "group", "place"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (uint8_t)i;
            return 0;
        }
    return -1;
}

static int line_actors(struct loader *L, char **f, size_t nf)
{
    struct dict *d = L->d;
    if (strcmp(f[0], "actor") == 0) {
        if (nf != 4 || !*f[3]) {
            bad(L, "expected 'actor<TAB>ID<TAB>KIND<TAB>NAME'");
            L->actor = -1;
            return 0;
        }
        uint8_t kind;
        if (kind_parse(f[2], &kind) < 0) {
            bad(L, "unknown kind '%s' (state, party, person, organisation, group, place or -)",
                f[2]);
            L->actor = -1;
            return 0;
        }
        if (!is_empty(f[1]) && !code_len_ok(f[1], 2)) {
            bad(L, "bad actor id '%s' (2 to 40 capital letters or digits)", f[1]);
            L->actor = -1;
            return 0;
        }
        BILAT_TRY(VEC_GROW(d->actors, d->nactors, d->actorcap));
        struct dict_actor *a = &d->actors[d->nactors];
        a->id = is_empty(f[1]) ? NULL : bilat_arena_strndup(&d->arena, f[1], strlen(f[1]));
        a->name = bilat_arena_strndup(&d->arena, f[3], strlen(f[3]));
        if ((!is_empty(f[1]) && !a->id) || !a->name)
            return BILAT_ENOMEM;
        a->kind = kind;
        a->first_code = d->ncodes;
        a->ncodes = 0;
        a->file = L->file;
        a->line = L->line;
        L->actor = (int32_t)d->nactors++;
        int32_t node;
        BILAT_TRY(phrase_node(L, f[3], strlen(f[3]), &node));
        if (node >= 0) {
            d->nodes[node].actor = L->actor;
            d->nodes[node].capital = 0;
        }
        d->nnames++;
        return 0;
    }
    if (L->actor < 0) {
        bad(L, "'%s' line outside an actor entry", f[0]);
        return 0;
    }
    if (strcmp(f[0], "name") == 0 || strcmp(f[0], "surname") == 0) {
        int capital = f[0][0] == 's';
        if (nf != 2 || !*f[1]) {
            bad(L, capital ? "expected 'surname<TAB>PHRASE'" : "expected 'name<TAB>PHRASE'");
            return 0;
        }
        int32_t node;
        BILAT_TRY(phrase_node(L, f[1], strlen(f[1]), &node));
        if (node >= 0) {
            d->nodes[node].actor = L->actor;
            d->nodes[node].capital = capital;
        }
        d->nnames++;
        return 0;
    }
    if (strcmp(f[0], "code") == 0) {
        if (nf < 2 || nf > 4 || !code_ok(f[1])) {
            bad(L, "expected 'code<TAB>CODE[<TAB>FROM[<TAB>TO]]' with a code of capital "
                   "letters and digits");
            return 0;
        }
        struct dict_actor *a = &d->actors[L->actor];
        if (a->first_code + a->ncodes != d->ncodes) {
            bad(L, "code line after another entry's lines");
            return 0;
        }
        int32_t from = 0, to = 0;
        if (nf > 2 && !is_empty(f[2]) && date_bound(f[2], 0, &from) < 0) {
            bad(L, "bad date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)", f[2]);
            return 0;
        }
        if (nf > 3 && !is_empty(f[3]) && date_bound(f[3], 1, &to) < 0) {
            bad(L, "bad date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)", f[3]);
            return 0;
        }
        if (from && to && from > to) {
            bad(L, "date range ends before it starts");
            return 0;
        }
        BILAT_TRY(VEC_GROW(d->codes, d->ncodes, d->codecap));
        struct dict_code *c = &d->codes[d->ncodes++];
        c->code = bilat_arena_strndup(&d->arena, f[1], strlen(f[1]));
        if (!c->code)
            return BILAT_ENOMEM;
        c->from = from;
        c->to = to;
        c->dated = from || to;
        a->ncodes++;
        return 0;
    }
    bad(L, "unknown line type '%s' (actor, name, code)", f[0]);
    return 0;
}

static int line_roles(struct loader *L, char **f, size_t nf)
{
    struct dict *d = L->d;
    if (nf != 2 || !*f[1]) {
        bad(L, "expected 'CODE<TAB>PHRASE' (CODE like ~GOV or IGO~)");
        return 0;
    }
    const char *c = f[0];
    size_t n = strlen(c);
    if (strcmp(c, "-") == 0) {
        /* "-<TAB>phrase": the phrase is no role (undoes an earlier file's entry) */
        int32_t node;
        BILAT_TRY(phrase_node(L, f[1], strlen(f[1]), &node));
        if (node >= 0)
            d->nodes[node].role = -1;
        return 0;
    }
    int prefix = n > 1 && c[n - 1] == '~';
    if (n < 2 || (!prefix && c[0] != '~')) {
        bad(L, "bad role code '%s' (~GOV appends to the country, IGO~ goes before it)", c);
        return 0;
    }
    char code[41];
    size_t cn = n - 1;
    if (cn > 40) {
        bad(L, "role code too long");
        return 0;
    }
    memcpy(code, prefix ? c : c + 1, cn);
    code[cn] = '\0';
    if (!code_ok(code)) {
        bad(L, "bad role code '%s'", c);
        return 0;
    }
    BILAT_TRY(VEC_GROW(d->roles, d->nroles, d->rolecap));
    struct dict_role *a = &d->roles[d->nroles];
    a->code = bilat_arena_strndup(&d->arena, code, cn);
    if (!a->code)
        return BILAT_ENOMEM;
    a->prefix = prefix;
    a->file = L->file;
    a->line = L->line;
    int32_t node;
    BILAT_TRY(phrase_node(L, f[1], strlen(f[1]), &node));
    if (node >= 0)
        d->nodes[node].role = (int32_t)d->nroles;
    d->nroles++;
    return 0;
}

/* One item of a pattern: a word (or a few words that tokenize as one phrase) or a synset. */
static int pattern_item(struct loader *L, const char *s, size_t n, struct dict_item *it, int *ok)
{
    struct dict *d = L->d;
    *ok = 0;
    it->first_alt = d->nalts;
    it->nalt = 0;
    if (n > 0 && *s == '&') {
        for (uint32_t i = 0; i < d->nsyns; i++) {
            const struct dict_synset *sy = &d->syns[i];
            if (strlen(sy->name) == n && memcmp(sy->name, s, n) == 0) {
                it->first_alt = sy->first_alt;
                it->nalt = sy->nalt;
                *ok = 1;
                return 0;
            }
        }
        bad(L, "unknown synset '%.*s' (define it before use)", (int)n, s);
        return 0;
    }
    int added = add_alt(L, s, n, "empty word in pattern");
    if (added <= 0)
        return added;
    it->nalt = 1;
    *ok = 1;
    return 0;
}

static int line_pattern(struct loader *L, char **f, size_t nf)
{
    struct dict *d = L->d;
    if (L->group < 0) {
        bad(L, "pattern line outside a verb group");
        return 0;
    }
    if (nf != 3 || !*f[2]) {
        bad(L, "expected 'pattern<TAB>CODE<TAB>ELEMENTS'");
        return 0;
    }
    if (d->groups[L->group].noun) {
        bad(L, "a noun group (%s) has no patterns", d->groups[L->group].name);
        return 0;
    }
    struct dict_pattern p;
    memset(&p, 0, sizeof(p));
    if (dict_pcode_parse(f[1], strlen(f[1]), &p.code) < 0) {
        bad(L, "bad event code '%s' (like 057, 042:043, :110 or ---)", f[1]);
        return 0;
    }
    struct dict_group *g = &d->groups[L->group];
    if (g->npat && g->first_pat + g->npat != d->npats) {
        bad(L, "pattern of group %s after another group's patterns", g->name);
        return 0;
    }
    p.group = (uint32_t)L->group;
    p.first_elem = d->nelems;
    p.file = L->file;
    p.line = L->line;
    int verb = 0;
    char *s = f[2];
    while (*s) {
        while (*s == ' ')
            s++;
        if (!*s)
            break;
        char *e = s;
        while (*e && *e != ' ')
            e++;
        size_t n = (size_t)(e - s);
        if (n == 1 && *s == '*') {
            if (verb++) {
                bad(L, "more than one '*' in pattern");
                goto fail;
            }
        } else {
            BILAT_TRY(VEC_GROW(d->elems, d->nelems, d->elemcap));
            struct dict_elem *el = &d->elems[d->nelems];
            el->first_item = d->nitems;
            el->nitem = 0;
            if (n == 1 && (*s == '+' || *s == '$')) {
                el->type = *s == '+' ? PE_TARGET : PE_SOURCE;
                p.score += 1;
            } else {
                /* words: alternatives (|) of contiguous sequences (_) of items (a word or a
                 * synset); "peace_deal|truce" is "peace deal" or "truce" */
                el->type = PE_WORDS;
                el->first_item = d->nseqs;
                unsigned minlen = 0;
                uint64_t need = 0;
                const char *q = s;
                while (q <= e) {
                    const char *bar = memchr(q, '|', (size_t)(e - q));
                    const char *qe = bar ? bar : e;
                    BILAT_TRY(VEC_GROW(d->seqs, d->nseqs, d->seqcap));
                    struct dict_seq *sq = &d->seqs[d->nseqs];
                    sq->first_item = d->nitems;
                    sq->nitem = 0;
                    const char *r = q;
                    while (r < qe) {
                        const char *us = memchr(r, '_', (size_t)(qe - r));
                        const char *re = us ? us : qe;
                        struct dict_item it;
                        int ok;
                        BILAT_TRY(pattern_item(L, r, (size_t)(re - r), &it, &ok));
                        if (!ok)
                            goto fail;
                        BILAT_TRY(VEC_GROW(d->items, d->nitems, d->itemcap));
                        d->items[d->nitems++] = it;
                        d->seqs[d->nseqs].nitem++;
                        if (it.nalt == 1)
                            for (uint32_t k = 0; k < d->alts[it.first_alt].n; k++)
                                need |= dict_bit(d->altw[d->alts[it.first_alt].first + k]);
                        r = us ? us + 1 : qe;
                    }
                    if (d->seqs[d->nseqs].nitem == 0) {
                        bad(L, "empty alternative in pattern");
                        goto fail;
                    }
                    if (!minlen || d->seqs[d->nseqs].nitem < minlen)
                        minlen = d->seqs[d->nseqs].nitem;
                    d->nseqs++;
                    el->nitem++;
                    if (!bar)
                        break;
                    q = bar + 1;
                }
                if (el->nitem == 1)
                    p.need |= need;
                p.score += (uint16_t)(2 * minlen);
            }
            d->nelems++;
            if (verb)
                p.npost++;
            else
                p.npre++;
        }
        s = e;
    }
    if (!verb) {
        bad(L, "pattern without '*' (the verb)");
        goto fail;
    }
    p.text = bilat_arena_strndup(&d->arena, f[2], strlen(f[2]));
    if (!p.text)
        return BILAT_ENOMEM;
    BILAT_TRY(VEC_GROW(d->pats, d->npats, d->patcap));
    if (g->npat == 0)
        g->first_pat = d->npats;
    d->pats[d->npats++] = p;
    g->npat++;
    return 0;
fail:
    d->nelems = p.first_elem;
    return 0;
}

/*
 * One line of a verbs dictionary: a synset phrase, a group, a form with its flags, or a pattern.
 * Long: the kinds of line share the loader's current group and synset and their checks (lines
 * kept together, a form listed twice, a form moved by `only`); each kind is one branch.
 */
static int line_verbs(struct loader *L, char **f, size_t nf)
{
    struct dict *d = L->d;
    if (strcmp(f[0], "synset") == 0) {
        if (nf != 3 || f[1][0] != '&' || !f[1][1] || !*f[2]) {
            bad(L, "expected 'synset<TAB>&NAME<TAB>PHRASE'");
            return 0;
        }
        int32_t si = -1;
        for (uint32_t i = 0; i < d->nsyns; i++)
            if (strcmp(d->syns[i].name, f[1]) == 0)
                si = (int32_t)i;
        if (si >= 0 && si != L->syn) {
            bad(L, "synset %s continued after other lines (keep its lines together)", f[1]);
            return 0;
        }
        if (si < 0) {
            BILAT_TRY(VEC_GROW(d->syns, d->nsyns, d->syncap));
            struct dict_synset *sy = &d->syns[d->nsyns];
            sy->name = bilat_arena_strndup(&d->arena, f[1], strlen(f[1]));
            if (!sy->name)
                return BILAT_ENOMEM;
            sy->first_alt = d->nalts;
            sy->nalt = 0;
            si = (int32_t)d->nsyns++;
        }
        struct dict_synset *sy = &d->syns[si];
        if (sy->first_alt + sy->nalt != d->nalts) {
            bad(L, "synset %s continued after pattern lines", f[1]);
            return 0;
        }
        int added = add_alt(L, f[2], strlen(f[2]), "empty synset member");
        if (added <= 0)
            return added;
        d->syns[si].nalt++;
        L->syn = si;
        return 0;
    }
    L->syn = -1;
    if (strcmp(f[0], "verb") == 0) {
        struct dict_pcode pc;
        int adjective = 0, content = 0, noun = 0, flags_ok = 1;
        if (nf == 4) {
            /* flags: "adjective", "content", "noun", comma-separated */
            char *q = f[3];
            while (*q) {
                char *comma = strchr(q, ',');
                size_t fl = comma ? (size_t)(comma - q) : strlen(q);
                if (fl == 9 && strncmp(q, "adjective", 9) == 0)
                    adjective = 1;
                else if (fl == 7 && strncmp(q, "content", 7) == 0)
                    content = 1;
                else if (fl == 4 && strncmp(q, "noun", 4) == 0)
                    noun = 1;
                else
                    flags_ok = 0;
                q += fl + (comma ? 1 : 0);
            }
        }
        if (nf < 3 || nf > 4 || !*f[1] || dict_pcode_parse(f[2], strlen(f[2]), &pc) < 0 ||
            !flags_ok) {
            bad(L, "expected 'verb<TAB>NAME<TAB>CODE[<TAB>FLAGS]' (CODE like 040, 042:043 or "
                   "---; FLAGS adjective, content, noun)");
            L->group = -1;
            return 0;
        }
        BILAT_TRY(VEC_GROW(d->groups, d->ngroups, d->groupcap));
        struct dict_group *g = &d->groups[d->ngroups];
        g->name = bilat_arena_strndup(&d->arena, f[1], strlen(f[1]));
        if (!g->name)
            return BILAT_ENOMEM;
        g->code = pc;
        g->adjective = adjective;
        g->content = content;
        g->noun = noun;
        g->first_pat = d->npats;
        g->npat = 0;
        g->file = L->file;
        g->line = L->line;
        L->group = (int32_t)d->ngroups++;
        return 0;
    }
    int only = strcmp(f[0], "only") == 0;
    if (only || strcmp(f[0], "form") == 0) {
        if (L->group < 0) {
            bad(L, "%s line outside a verb group", f[0]);
            return 0;
        }
        struct dict_pcode pc;
        if (nf < 2 || nf > 3 || !*f[1] ||
            (nf == 3 && dict_pcode_parse(f[2], strlen(f[2]), &pc) < 0)) {
            bad(L, "expected '%s<TAB>FORM[|FORM...][<TAB>CODE]'", f[0]);
            return 0;
        }
        const char *code = NULL;
        if (nf == 3 && !(code = bilat_arena_strndup(&d->arena, f[2], strlen(f[2]))))
            return BILAT_ENOMEM;
        char *p = f[1];
        int first = 1;
        for (;;) {
            char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            if (n && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (unsigned char)*p >= 0x80)) {
                bad(L, "a verb form must start with a letter: '%.*s'", (int)n, p);
            } else if (n) {
                int32_t node;
                BILAT_TRY(phrase_node(L, p, n, &node));
                if (node >= 0 && only) {
                    /* `only`: the form leaves the groups of earlier files */
                    int32_t *link = &d->nodes[node].vform;
                    while (*link >= 0) {
                        if (d->vforms[*link].file != L->file)
                            *link = d->vforms[*link].next;
                        else
                            link = &d->vforms[*link].next;
                    }
                }
                if (node >= 0) {
                    /* a form listed twice for the same group is kept once */
                    int dup = 0;
                    for (int32_t v = d->nodes[node].vform; v >= 0; v = d->vforms[v].next)
                        if (d->vforms[v].group == (uint32_t)L->group) {
                            /* listed again (or moved here from a replaced group): this line
                             * gives its code and its place */
                            d->vforms[v].code = code;
                            d->vforms[v].file = L->file;
                            d->vforms[v].line = L->line;
                            d->vforms[v].base = first && !d->groups[L->group].noun;
                            dup = 1;
                        }
                    if (!dup) {
                        BILAT_TRY(VEC_GROW(d->vforms, d->nvforms, d->vformcap));
                        struct dict_vform *vf = &d->vforms[d->nvforms];
                        vf->group = (uint32_t)L->group;
                        vf->code = code;
                        vf->next = d->nodes[node].vform;
                        vf->base = first && !d->groups[L->group].noun; /* (no verb) */
                        vf->file = L->file;
                        vf->line = L->line;
                        d->nodes[node].vform = (int32_t)d->nvforms++;
                        d->nforms++;
                    }
                }
            }
            if (!bar)
                break;
            p = bar + 1;
            first = 0;
        }
        return 0;
    }
    if (strcmp(f[0], "pattern") == 0)
        return line_pattern(L, f, nf);
    bad(L, "unknown line type '%s' (verb, form, only, pattern, synset)", f[0]);
    return 0;
}

static int line_discards(struct loader *L, char **f, size_t nf)
{
    struct dict *d = L->d;
    if (nf != 1) {
        bad(L, "expected one phrase per line");
        return 0;
    }
    int32_t node;
    BILAT_TRY(phrase_node(L, f[0], strlen(f[0]), &node));
    if (node < 0)
        return 0;
    BILAT_TRY(VEC_GROW(d->discards, d->ndiscards, d->discardcap));
    const char *s = bilat_arena_strndup(&d->arena, f[0], strlen(f[0]));
    if (!s)
        return BILAT_ENOMEM;
    d->discards[d->ndiscards] = s;
    d->nodes[node].discard = (int32_t)d->ndiscards++;
    return 0;
}

static int line_rules(struct loader *L, char **f, size_t nf)
{
    struct dict *d = L->d;
    struct dict_pcode a, b;
    if (nf != 3 || strcmp(f[0], "intent") != 0 || !*f[1] || strlen(f[1]) > 4 ||
        dict_pcode_parse(f[2], strlen(f[2]), &b) < 0 || !b.a[0] || b.b[0]) {
        bad(L, "expected 'intent<TAB>CODE-PREFIX<TAB>CODE'");
        return 0;
    }
    for (const char *p = f[1]; *p; p++)
        if (*p < '0' || *p > '9') {
            bad(L, "bad code prefix '%s'", f[1]);
            return 0;
        }
    (void)a;
    BILAT_TRY(VEC_GROW(d->rules, d->nrules, d->rulecap));
    struct dict_rule *r = &d->rules[d->nrules++];
    memset(r, 0, sizeof(*r));
    memcpy(r->prefix, f[1], strlen(f[1]));
    memcpy(r->code, b.a, strlen(b.a));
    return 0;
}

static int load_file(struct loader *L, const char *path, enum ftype type)
{
    struct dict *d = L->d;
    struct bilat_buf buf = BILAT_BUF_INIT;
    struct bilat_err ferr = {0};
    int rc = bilat_file_read(path, DICT_FILE_LIMIT, &buf, &ferr);
    if (rc < 0) {
        L->path = path;
        L->line = 0;
        bad(L, "%s", ferr.msg);
        return rc == BILAT_ENOMEM ? rc : 0;
    }
    rc = VEC_GROW(d->files, d->nfiles, d->filecap);
    char *pcopy = rc < 0 ? NULL : bilat_arena_strndup(&d->arena, path, strlen(path));
    if (!pcopy) {
        bilat_buf_release(&buf);
        return BILAT_ENOMEM;
    }
    d->files[d->nfiles] = pcopy;
    L->file = (uint16_t)d->nfiles++;
    L->path = pcopy;
    L->actor = L->group = L->syn = -1;
    char *s = buf.buf, *end = buf.buf + buf.len;
    uint32_t line = 0;
    while (s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *e = nl ? nl : end;
        line++;
        L->line = line;
        *e = '\0';
        if (e > s && e[-1] == '\r')
            e[-1] = '\0';
        /* comments: '#' at the start or after a space or tab */
        char *h = s;
        while ((h = strchr(h, '#')) != NULL) {
            if (h == s || h[-1] == ' ' || h[-1] == '\t') {
                *h = '\0';
                break;
            }
            h++;
        }
        /* trailing blanks */
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
            s[--n] = '\0';
        char *t = s;
        while (*t == ' ')
            t++;
        if (*t) {
            if (bilat_utf8_check(t, strlen(t)) != strlen(t)) {
                bad(L, "invalid UTF-8");
            } else {
                char *f[8];
                size_t nf = split_tabs(t, f, 8);
                switch (type) {
                case F_ACTORS: rc = line_actors(L, f, nf); break;
                case F_ROLES: rc = line_roles(L, f, nf); break;
                case F_VERBS: rc = line_verbs(L, f, nf); break;
                case F_DISCARDS: rc = line_discards(L, f, nf); break;
                case F_RULES: rc = line_rules(L, f, nf); break;
                }
                if (rc < 0)
                    break;
            }
        } else if (type == F_VERBS) {
            L->syn = -1;
        }
        s = nl ? nl + 1 : end;
    }
    bilat_buf_release(&buf);
    return rc < 0 ? rc : 0;
}

static int ftype_of(const char *name, enum ftype *out)
{
    static const struct {
        const char *ext;
        enum ftype t;
    } ext[] = {{".actors", F_ACTORS}, {".roles", F_ROLES}, {".verbs", F_VERBS},
               {".discards", F_DISCARDS}, {".rules", F_RULES}};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
        size_t k = strlen(ext[i].ext);
        if (n > k && strcmp(name + n - k, ext[i].ext) == 0) {
            *out = ext[i].t;
            return 0;
        }
    }
    return -1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(struct loader *L, const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        L->path = dir;
        L->line = 0;
        bad(L, "cannot open the directory");
        return 0;
    }
    char **names = NULL;
    uint32_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        enum ftype t;
        if (de->d_name[0] == '.' || ftype_of(de->d_name, &t) < 0)
            continue;
        if (VEC_GROW(names, n, cap) < 0 || !(names[n] = bilat_strdup(de->d_name))) {
            rc = BILAT_ENOMEM;
            goto out;
        }
        n++;
    }
    if (n == 0) {
        L->path = dir;
        L->line = 0;
        bad(L, "no dictionary files (*.actors, *.roles, *.verbs, *.discards, *.rules) here");
        goto out;
    }
    qsort(names, n, sizeof(*names), cmp_str);
    for (uint32_t i = 0; i < n; i++) {
        struct bilat_buf p = BILAT_BUF_INIT;
        enum ftype t;
        ftype_of(names[i], &t);
        if (bilat_buf_addf(&p, "%s/%s", dir, names[i]) < 0) {
            rc = BILAT_ENOMEM;
            goto out;
        }
        rc = load_file(L, p.buf, t);
        bilat_buf_release(&p);
        if (rc < 0)
            goto out;
    }
out:
    for (uint32_t i = 0; i < n; i++)
        bilat_free(names[i]);
    bilat_free(names);
    closedir(dh);
    return rc;
}

static int init_tables(struct dict *d)
{
    d->wcap = 1024;
    d->wstr = bilat_alloc_array(d->wcap, sizeof(*d->wstr));
    d->wlen = bilat_alloc_array(d->wcap, sizeof(*d->wlen));
    d->whash = bilat_alloc_array(d->wcap, sizeof(*d->whash));
    d->wroot = bilat_alloc_array(d->wcap, sizeof(*d->wroot));
    d->wslot = bilat_calloc(2048, sizeof(*d->wslot));
    d->edges = bilat_calloc(1024, sizeof(*d->edges));
    if (!d->wstr || !d->wlen || !d->whash || !d->wroot || !d->wslot || !d->edges)
        return BILAT_ENOMEM;
    d->wmask = 2047;
    d->emask = 1023;
    d->nwords = 1; /* id 0 = unknown */
    d->wstr[0] = NULL;
    d->wlen[0] = 0;
    d->whash[0] = 0;
    d->wroot[0] = -1;
    uint32_t root;
    BILAT_TRY(node_new(d, &root));
    static const char *const builtin[] = {
        NULL,
#define DICT_W_TEXT_(name, text) text,
        DICT_BUILTIN_WORDS(DICT_W_TEXT_)
#undef DICT_W_TEXT_
    };
    for (int i = 1; i < W_COUNT_; i++) {
        const char *w = builtin[i];
        BILAT_TRY(word_intern(d, w, strlen(w), lex_hash(w, strlen(w)), &d->builtin[i]));
    }
    d->nbuiltin = d->nwords - 1;
    return 0;
}

int dict_load(struct dict *d, const char *const *paths, size_t n, const struct bilat_diag *diag,
              struct bilat_err *err)
{
    memset(d, 0, sizeof(*d));
    int rc = init_tables(d);
    if (rc < 0)
        return bilat_fail(err, rc, "out of memory loading the dictionaries");
    struct loader L = {d, diag, NULL, 0, 0, 0, -1, -1, -1};
    for (size_t i = 0; i < n && rc >= 0; i++) {
        enum ftype t;
        if (bilat_file_is_dir(paths[i])) {
            rc = load_dir(&L, paths[i]);
        } else if (ftype_of(paths[i], &t) == 0) {
            rc = load_file(&L, paths[i], t);
        } else {
            L.path = paths[i];
            L.line = 0;
            if (!bilat_file_exists(paths[i]))
                bad(&L, "no such file or directory");
            else
                bad(&L, "neither a directory nor a dictionary file (*.actors, *.roles, "
                        "*.verbs, *.discards, *.rules)");
        }
    }
    if (rc < 0)
        return bilat_fail(err, rc, "out of memory loading the dictionaries");
    if (L.errors)
        return bilat_fail(err, BILAT_EPARSE, "%d bad dictionary line%s", L.errors,
                          L.errors == 1 ? "" : "s");
    /* the tokenizer's buffers are not needed after loading */
    lex_release(&d->lx);
    return 0;
}

const struct dict_code *dict_actor_code(const struct dict *d, const struct dict_actor *a,
                                        int32_t date)
{
    const struct dict_code *undated = NULL, *latest = NULL;
    for (uint32_t i = 0; i < a->ncodes; i++) {
        const struct dict_code *c = &d->codes[a->first_code + i];
        if (!c->dated) {
            if (!undated)
                undated = c;
            continue;
        }
        if (date && (!c->from || c->from <= date) && (!c->to || date <= c->to))
            return c;
        if (!latest || c->from > latest->from)
            latest = c;
    }
    if (undated)
        return undated;
    return date ? NULL : latest;
}
