/*
 * claim_syntax.c: parsers for claim expectations and measure calls, and the list of measures a
 * claim can name (claim_syntax.h). Pure functions over strings: no allocation, no store.
 */
#include "store/claim_syntax.h"

#include "core/parse.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/*
 * The measures a claim can name, with their arguments; analytics/claims.c holds their code
 * (impls[]) and a unit test checks that each one here has it there.
 */
static const struct claim_measure_desc measures[] = {
    {"un_agreement",
     "agreement of A's and B's UN General Assembly votes on roll calls where both voted yes, no "
     "or abstain (agree by default: same vote 1, an abstention against a yes or a no 0.5), with "
     "a bootstrap interval over roll calls; for rising/falling, one value per year",
     {{"a", true, "country (ISO3), or :a"},
      {"b", true, "country (ISO3), or :b"},
      {"from", false, "first year (default: when the seats' holders of today took them)"},
      {"to", false, "last year (default: the last year with roll calls)"},
      {"measure", false, "agree (default), exact (the share voted alike; also 'simple'), s, pi "
                         "or kappa (docs/MEASURES.md)"},
      {"important", false, "1: only roll calls flagged important"},
      {"min_votes", false, "fewest shared roll calls for a value (default 20; per year for a "
                           "series: 5)"},
      {NULL, false, NULL}}},
    {"un_split_share",
     "share of the UN General Assembly roll calls on which A and B both voted (yes, no or "
     "abstain) and voted differently, with a bootstrap interval over roll calls; for "
     "rising/falling, one value per year",
     {{"a", true, "country (ISO3), or :a"},
      {"b", true, "country (ISO3), or :b"},
      {"from", false, "first year (default: when the seats' holders of today took them)"},
      {"to", false, "last year (default: the last year with roll calls)"},
      {"important", false, "1: only roll calls flagged important"},
      {"min_votes", false, "fewest shared roll calls for a value (default 20; per year for a "
                           "series: 5)"},
      {NULL, false, NULL}}},
    {"ideal_distance",
     "mean absolute distance between A's and B's ideal points (Bailey, Strezhnev and Voeten) "
     "over the years; for rising/falling, one value per year. The source gives no error per "
     "estimate, so the value has no interval",
     {{"a", true, "country (ISO3), or :a"},
      {"b", true, "country (ISO3), or :b"},
      {"from", true, "first year"},
      {"to", true, "last year"},
      {NULL, false, NULL}}},
    {"un_splits",
     "number of UN General Assembly roll calls on which A and B both voted (yes, no or abstain) "
     "and voted differently",
     {{"a", true, "country (ISO3)"},
      {"b", true, "country (ISO3)"},
      {"from", false, "first year"},
      {"to", false, "last year"},
      {"important", false, "1: only roll calls flagged important"},
      {NULL, false, NULL}}},
    {"nextgen_meetings",
     "meetings and visits between PERSON and actors of SIDE before PERSON first took OFFICE "
     "(affiliations); count=counterparts gives the number of distinct counterparts. With "
     "country=C instead of person, PERSON is the latest holder of OFFICE among C's actors",
     {{"person", false, "actor code of the person (or country=)"},
      {"country", false, "country (ISO3, or :a) whose latest holder of OFFICE is the person"},
      {"office", true, "role as written in affiliations (e.g. prime minister)"},
      {"side", true, "country (ISO3, or :b) of the counterparts"},
      {"count", false, "meetings (default) or counterparts"},
      {"modes", false, "event modes that count (default meeting,visit)"},
      {NULL, false, NULL}}},
    {"concept_overlap",
     "overlap of the principle sets of concepts A and B (each a concept id or a comma-separated "
     "list, whose principles are pooled); with owner_a/owner_b and kind instead, the concepts of "
     "that kind owned by each side's actors",
     {{"a", false, "concept id(s)"},
      {"b", false, "concept id(s)"},
      {"owner_a", false, "country (ISO3, or :a) owning the concepts of side A"},
      {"owner_b", false, "country (ISO3, or :b) owning the concepts of side B"},
      {"kind", false, "concept kind (e.g. security) selecting the owners' concepts"},
      {"stat", false, "jaccard (default), shared, share_of_a (shared / |A|) or share_of_b"},
      {NULL, false, NULL}}},
    {"speech_overlap",
     "overlap of the vocabulary terms in the UN General Debate statements of countries A and B, "
     "per year (a series) and pooled (the mean of the yearly values)",
     {{"a", true, "country (ISO3)"},
      {"b", true, "country (ISO3)"},
      {"from", false, "first year"},
      {"to", false, "last year"},
      {"terms", false, "term keys or concept ids (their principles), comma-separated; default: "
                       "the whole vocabulary (docs/MEASURES.md)"},
      {"stat", false, "jaccard (default), shared, share_of_a (shared / A's terms) or share_of_b"},
      {"roc", false, "1: keep China's statements of 1946-1971 (the Republic of China's "
                     "delegation)"},
      {NULL, false, NULL}}},
};

const struct claim_measure_desc *claim_measures(size_t *n_out)
{
    *n_out = sizeof(measures) / sizeof(measures[0]);
    return measures;
}

const struct claim_measure_desc *claim_measure_find(const char *name)
{
    for (size_t i = 0; i < sizeof(measures) / sizeof(measures[0]); i++)
        if (strcmp(measures[i].name, name) == 0)
            return &measures[i];
    return NULL;
}

/* Blanks between tokens. */
static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* A number token ending at whitespace or NUL; *end set past it. */
/* A finite decimal number up to the next blank (the strict parser of core/parse.c). */
static int number(const char *p, double *out, const char **end)
{
    const char *q = p;
    while (*q && *q != ' ' && *q != '\t')
        q++;
    if (q == p || bilat_parse_double(p, (size_t)(q - p), out) < 0 || !isfinite(*out))
        return -1;
    *end = q;
    return 0;
}

/* A keyword followed by a blank or the end. */
static int word(const char *p, const char *w, const char **end)
{
    size_t n = strlen(w);
    if (strncmp(p, w, n) != 0 || (p[n] && p[n] != ' ' && p[n] != '\t'))
        return 0;
    *end = p + n;
    return 1;
}

#define WHY(...) (snprintf(why, whylen, __VA_ARGS__), -1)

int claim_expect_parse(const char *s, struct claim_expect *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    const char *p = skip_ws(s ? s : ""), *e;
    if (!*p)
        return WHY("empty expectation");
    if (word(p, "rising", &e) || word(p, "falling", &e)) {
        out->kind = *p == 'r' ? CE_RISING : CE_FALLING;
        if (word(skip_ws(e), "margin", &e)) {
            if (number(skip_ws(e), &out->margin, &e) < 0 || !(out->margin > 0))
                return WHY("'margin' needs a positive number (the slope per year within which "
                           "there is no trend)");
        }
    } else if (word(p, "above_peers", &e) || word(p, "below_peers", &e) ||
               word(p, "rank_among", &e)) {
        out->kind = p[0] == 'a' ? CE_ABOVE_PEERS : p[0] == 'b' ? CE_BELOW_PEERS : CE_RANK_AMONG;
        p = skip_ws(e);
        size_t k = 0;
        while (p[k] && p[k] != ' ' && p[k] != '\t')
            k++;
        if (k && p[0] != '<') {
            if (k >= sizeof(out->peers))
                return WHY("peer list too long");
            for (size_t i = 0; i < k; i++)
                if (!isupper((unsigned char)p[i]) && p[i] != ',')
                    return WHY("bad peers '%.*s' (a bloc such as ASEAN, or ISO3 codes separated "
                               "by commas)",
                               (int)k, p);
            memcpy(out->peers, p, k);
            e = p + k;
        }
        if (out->kind == CE_RANK_AMONG) {
            double n;
            p = skip_ws(e);
            if (strncmp(p, "<=", 2) != 0 || number(skip_ws(p + 2), &n, &e) < 0 || n < 1 ||
                n > 1000 || n != floor(n))
                return WHY("'rank_among [PEERS] <= N' needs a whole number N from 1 to 1000");
            out->top = (int)n;
        }
    } else if (word(p, "between", &e)) {
        out->kind = CE_BETWEEN;
        if (number(skip_ws(e), &out->x, &e) < 0)
            return WHY("'between' needs a number, 'and' and a number");
        if (!word(skip_ws(e), "and", &e))
            return WHY("'between A and B' needs 'and'");
        if (number(skip_ws(e), &out->y, &e) < 0)
            return WHY("'between A and B' needs a number after 'and'");
        if (out->x > out->y)
            return WHY("'between A and B' needs A <= B");
    } else if (word(p, "top", &e)) {
        out->kind = CE_TOP;
        double n;
        if (number(skip_ws(e), &n, &e) < 0 || n < 1 || n > 1000 || n != floor(n))
            return WHY("'top N KEY' needs a whole number N from 1 to 1000");
        out->top = (int)n;
        p = skip_ws(e);
        size_t k = 0;
        while (p[k] && p[k] != ' ' && p[k] != '\t')
            k++;
        if (k == 0 || k >= sizeof(out->key))
            return WHY("'top N KEY' needs the code of the ranked subject (e.g. top 1 CHN)");
        for (size_t i = 0; i < k; i++)
            if (!isupper((unsigned char)p[i]) && !isdigit((unsigned char)p[i]))
                return WHY("bad key '%.*s' (upper-case letters and digits)", (int)k, p);
        memcpy(out->key, p, k);
        e = p + k;
    } else {
        static const struct {
            const char *op;
            enum claim_cmp cmp;
        } ops[] = {{">=", CMP_GE}, {"<=", CMP_LE}, {"!=", CMP_NE},
                   {">", CMP_GT},  {"<", CMP_LT},  {"=", CMP_EQ}};
        size_t i = 0;
        for (; i < sizeof(ops) / sizeof(ops[0]); i++)
            if (strncmp(p, ops[i].op, strlen(ops[i].op)) == 0)
                break;
        if (i == sizeof(ops) / sizeof(ops[0]))
            return WHY("unknown expectation '%.40s' (expected > N, >= N, < N, <= N, = N, != N, "
                       "between A and B, rising, falling, top N KEY, above_peers, below_peers "
                       "or rank_among <= N)",
                       p);
        out->kind = CE_CMP;
        out->cmp = ops[i].cmp;
        if (number(skip_ws(p + strlen(ops[i].op)), &out->x, &e) < 0)
            return WHY("'%s' needs a number", ops[i].op);
    }
    if (*skip_ws(e))
        return WHY("unexpected text after the expectation: '%.40s'", skip_ws(e));
    return 0;
}

/* Shortest round-trip text of a number for display ("60", "0.5", "1.12e+10"). */
static void num(char *out, size_t len, double v)
{
    snprintf(out, len, "%.15g", v);
}

void claim_expect_format(const struct claim_expect *e, char *out, size_t len)
{
    static const char *const ops[] = {">", ">=", "<", "<=", "=", "!="};
    char a[32], b[32];
    switch (e->kind) {
    case CE_CMP:
        num(a, sizeof(a), e->x);
        snprintf(out, len, "%s %s", ops[e->cmp], a);
        break;
    case CE_BETWEEN:
        num(a, sizeof(a), e->x);
        num(b, sizeof(b), e->y);
        snprintf(out, len, "between %s and %s", a, b);
        break;
    case CE_RISING:
    case CE_FALLING:
        if (e->margin > 0) {
            num(a, sizeof(a), e->margin);
            snprintf(out, len, "%s margin %s", e->kind == CE_RISING ? "rising" : "falling", a);
        } else
            snprintf(out, len, "%s", e->kind == CE_RISING ? "rising" : "falling");
        break;
    case CE_TOP:
        snprintf(out, len, "top %d %s", e->top, e->key);
        break;
    case CE_ABOVE_PEERS:
    case CE_BELOW_PEERS:
        snprintf(out, len, "%s%s%s", e->kind == CE_ABOVE_PEERS ? "above_peers" : "below_peers",
                 e->peers[0] ? " " : "", e->peers);
        break;
    case CE_RANK_AMONG:
        snprintf(out, len, "rank_among%s%s <= %d", e->peers[0] ? " " : "", e->peers, e->top);
        break;
    }
}

bool claim_expect_is_peers(const struct claim_expect *e)
{
    return e->kind == CE_ABOVE_PEERS || e->kind == CE_BELOW_PEERS || e->kind == CE_RANK_AMONG;
}

bool claim_expect_holds(const struct claim_expect *e, double v)
{
    if (e->kind == CE_BETWEEN)
        return v >= e->x && v <= e->y;
    switch (e->cmp) {
    case CMP_GT:
        return v > e->x;
    case CMP_GE:
        return v >= e->x;
    case CMP_LT:
        return v < e->x;
    case CMP_LE:
        return v <= e->x;
    case CMP_EQ:
        return v == e->x;
    case CMP_NE:
        return v != e->x;
    }
    return false;
}

const char *claim_call_arg(const struct claim_call *c, const char *key)
{
    for (size_t i = 0; i < c->nargs; i++)
        if (strcmp(c->keys[i], key) == 0)
            return c->vals[i];
    return NULL;
}

/* Measure and argument names: lower-case letters, digits and '_'. */
static int is_name_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

/*
 * Parse `name key=value ...` and check it against the measure's descriptor: every argument
 * known, none twice, the required ones present. Values end at a blank unless double-quoted.
 */
int claim_call_parse(const char *s, struct claim_call *out, char *why, size_t whylen)
{
    memset(out, 0, sizeof(*out));
    const char *p = skip_ws(s ? s : "");
    size_t n = 0;
    while (is_name_char(p[n]))
        n++;
    if (n == 0)
        return WHY("a measure call starts with the measure's name (e.g. un_agreement a=KHM b=CHN)");
    if (n >= sizeof(out->name))
        return WHY("measure name too long");
    memcpy(out->name, p, n);
    const struct claim_measure_desc *d = claim_measure_find(out->name);
    if (!d) {
        char list[256] = "";
        size_t nm;
        const struct claim_measure_desc *all = claim_measures(&nm);
        for (size_t i = 0; i < nm; i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                     all[i].name);
        return WHY("unknown measure '%s' (known: %s)", out->name, list);
    }
    p += n;
    if (*p && *p != ' ' && *p != '\t')
        return WHY("bad character '%c' in the measure name", *p);
    for (;;) {
        p = skip_ws(p);
        if (!*p)
            break;
        size_t k = 0;
        while (is_name_char(p[k]))
            k++;
        if (k == 0 || p[k] != '=')
            return WHY("expected key=value, got '%.40s'", p);
        if (k >= CLAIM_MAX_KEY)
            return WHY("argument name too long: '%.*s'", (int)k, p);
        if (out->nargs == CLAIM_MAX_ARGS)
            return WHY("too many arguments (at most %d)", CLAIM_MAX_ARGS);
        char *key = out->keys[out->nargs], *val = out->vals[out->nargs];
        memcpy(key, p, k);
        key[k] = '\0';
        p += k + 1;
        size_t v = 0;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (v + 1 >= CLAIM_MAX_VALUE)
                    return WHY("value of '%s' too long", key);
                val[v++] = *p++;
            }
            if (*p != '"')
                return WHY("unterminated quoted value of '%s'", key);
            p++;
            if (*p && *p != ' ' && *p != '\t')
                return WHY("text right after the quoted value of '%s'", key);
        } else {
            while (*p && *p != ' ' && *p != '\t') {
                if (*p == '"')
                    return WHY("stray '\"' in the value of '%s'", key);
                if (v + 1 >= CLAIM_MAX_VALUE)
                    return WHY("value of '%s' too long", key);
                val[v++] = *p++;
            }
        }
        val[v] = '\0';
        if (v == 0)
            return WHY("empty value for '%s'", key);
        for (size_t i = 0; i < out->nargs; i++)
            if (strcmp(out->keys[i], key) == 0)
                return WHY("argument '%s' given twice", key);
        size_t a = 0;
        while (d->args[a].name && strcmp(d->args[a].name, key) != 0)
            a++;
        if (!d->args[a].name)
            return WHY("measure '%s' has no argument '%s'", d->name, key);
        out->nargs++;
    }
    for (size_t a = 0; d->args[a].name; a++)
        if (d->args[a].required && !claim_call_arg(out, d->args[a].name))
            return WHY("measure '%s' needs %s=... (%s)", d->name, d->args[a].name,
                       d->args[a].help);
    return 0;
}
