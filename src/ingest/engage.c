/*
 * engage.c: ChinaVitae and CEIAS readers, the ChinaVitae sentence splitter and the title
 * classifier (engage.h).
 *
 * ChinaVitae sentences follow a few fixed phrasings:
 *   "<leader> was in <place> and met with the following: <name> (<title>) <name> (<title>)
 *    Others Attending: <Chinese officials>"
 *   "<leader> travelled to <country>, <city> [and met with the following: ...]"
 *   "<headline> (<place>)"
 * The list is split on the titles' parentheses, which may nest ("(Foreign Minister of the
 * Democratic People's Republic of Korea (DPRK))"); a name is the text before its title. Chinese
 * officials listed after "Others Attending:" are not counterparts and are left out.
 *
 * Titles are classified by words, on a copy folded to lower-case ASCII letters and digits with
 * every other byte a blank, so that "Secretary-General" and "secretary general" are one phrase.
 * Channel: a party office ("Party", "Politburo", "Political Bureau", "Central Committee",
 * "Kuomintang") gives the party channel; a military one ("Army", "Armed Forces", "Military",
 * "Defence", "Navy", "Air Force", "General Staff", "Commander", "Admiral", "Marshal") the
 * military channel. Rank: see engage_title_rank().
 */
#include "ingest/engage.h"

#include "core/csv.h"
#include "core/err.h"
#include "core/parse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *engage_rank_level(enum engage_rank r)
{
    switch (r) {
    case ENGAGE_RANK_LEADER:
        return "leader";
    case ENGAGE_RANK_MINISTERIAL:
        return "ministerial";
    case ENGAGE_RANK_SENIOR:
        return "senior";
    case ENGAGE_RANK_WORKING:
        return "working";
    case ENGAGE_RANK_NONE:
        break;
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Reading                                                                                    */

struct reader {
    struct csv_file f;
    struct engage_sink *sink;
    char msg[256];
};

static void reject(struct reader *r, const char *fmt, ...) BILAT_PRINTF(2, 3);
static void reject(struct reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
    va_end(ap);
    r->sink->reject(r->sink->ctx, r->f.line, r->msg);
}

/* A record that is one empty field: a blank line. */
static bool blank(const struct csv_file *f)
{
    return f->nf == 1 && f->lens[0] == 0;
}

/*
 * Open the file (or, with data, the bytes data[0..len) named `path`), read the header and find
 * the columns `names` (NULL-terminated) in `idx`. Errors: reading the file, BILAT_EPARSE (empty
 * file, a column missing), BILAT_ENOMEM.
 */
static int open_with_header(struct reader *r, const char *path, const char *data, size_t len,
                            const char *what, const char *const *names, int *idx,
                            struct bilat_err *err)
{
    if (data) {
        if (csv_open_mem(&r->f, path, data, len, ',') < 0)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
        if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            r->f.pos += 3;
    } else {
        BILAT_TRY(csv_open(&r->f, path, ',', err));
    }
    int rc;
    while ((rc = csv_next(&r->f)) == 1 && blank(&r->f))
        ;
    if (rc == 0)
        return bilat_fail_at(err, BILAT_EPARSE, path, 1, "empty file: no %s header", what);
    if (rc < 0)
        return bilat_fail_at(err, BILAT_EPARSE, path, r->f.line, "bad header: %s", r->f.reason);
    for (size_t i = 0; names[i]; i++) {
        idx[i] = csv_column(&r->f, names[i]);
        if (idx[i] < 0)
            return bilat_fail_at(err, BILAT_EPARSE, path, r->f.line,
                                 "header has no column '%s' (not a %s file?)", names[i], what);
    }
    return 0;
}

/* Next data record, rejecting malformed ones on the way: 1 ready, 0 at the end. */
static int next_row(struct reader *r)
{
    for (;;) {
        int rc = csv_next(&r->f);
        if (rc == 0)
            return 0;
        if (rc < 0) {
            reject(r, "%s", r->f.reason);
            continue;
        }
        if (!blank(&r->f))
            return 1;
    }
}

static int chinavitae(const char *path, const char *data, size_t len, struct engage_sink *sink,
                      struct bilat_err *err)
{
    static const char *const names[] = {"date", "year", "country", "leader", "text", NULL};
    int idx[5];
    struct reader r = {.sink = sink};
    int rc = open_with_header(&r, path, data, len, "ChinaVitae", names, idx, err);
    while (rc == 0 && next_row(&r)) {
        struct cv_row row = {.line = r.f.line};
        const char *date = csv_value(&r.f, idx[0]), *year = csv_value(&r.f, idx[1]);
        struct bilat_date d;
        int64_t y = 0;
        row.country = csv_value(&r.f, idx[2]);
        row.leader = csv_value(&r.f, idx[3]);
        row.text = csv_value(&r.f, idx[4]);
        if (!date) {
            reject(&r, "no date");
        } else if (bilat_date_parse(date, strlen(date), &d) < 0 || d.prec != BILAT_DATE_DAY) {
            reject(&r, "bad date '%.40s' (want YYYY-MM-DD)", date);
        } else if (year && (bilat_parse_int64(year, strlen(year), &y) < 0 || y != d.year)) {
            reject(&r, "year '%.20s' does not match the date %s", year, date);
        } else if (!row.country) {
            reject(&r, "no country");
        } else if (!row.leader) {
            reject(&r, "no leader");
        } else {
            row.date = date;
            row.year = d.year;
            rc = sink->chinavitae(sink->ctx, &row);
        }
    }
    csv_close(&r.f);
    return rc;
}

static int ceias(const char *path, const char *data, size_t len, struct engage_sink *sink,
                 struct bilat_err *err)
{
    static const char *const names[] = {"Year", "Name", "Level", "Country", NULL};
    int idx[4];
    struct reader r = {.sink = sink};
    int rc = open_with_header(&r, path, data, len, "CEIAS", names, idx, err);
    int continent = rc == 0 ? csv_column(&r.f, "Continent") : -1;
    while (rc == 0 && next_row(&r)) {
        struct ceias_row row = {.line = r.f.line};
        const char *year = csv_value(&r.f, idx[0]);
        int64_t y = 0;
        row.name = csv_value(&r.f, idx[1]);
        row.level = csv_value(&r.f, idx[2]);
        row.country = csv_value(&r.f, idx[3]);
        row.continent = csv_value(&r.f, continent);
        if (!year)
            reject(&r, "no year");
        else if (bilat_parse_int64(year, strlen(year), &y) < 0 || y < 1900 || y > 2100)
            reject(&r, "bad year '%.20s'", year);
        else if (!row.name)
            reject(&r, "no leader name");
        else if (!row.country)
            reject(&r, "no country");
        else {
            row.year = (int)y;
            rc = sink->ceias(sink->ctx, &row);
        }
    }
    csv_close(&r.f);
    return rc;
}

int engage_read_chinavitae(const char *path, struct engage_sink *sink, struct bilat_err *err)
{
    return chinavitae(path, NULL, 0, sink, err);
}

int engage_read_ceias(const char *path, struct engage_sink *sink, struct bilat_err *err)
{
    return ceias(path, NULL, 0, sink, err);
}

int engage_parse_chinavitae(const char *name, const char *data, size_t len,
                            struct engage_sink *sink, struct bilat_err *err)
{
    return chinavitae(name, data ? data : "", len, sink, err);
}

int engage_parse_ceias(const char *name, const char *data, size_t len, struct engage_sink *sink,
                       struct bilat_err *err)
{
    return ceias(name, data ? data : "", len, sink, err);
}

/* ------------------------------------------------------------------------------------------ */
/* Splitting a ChinaVitae sentence                                                            */

/* Case-insensitive search for `needle` in s[0..len); pointer to the match or NULL. */
static const char *find_ci(const char *s, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (strncasecmp(s + i, needle, n) == 0)
            return s + i;
    return NULL;
}

static void trim(const char **p, size_t *len)
{
    while (*len && isspace((unsigned char)**p)) {
        (*p)++;
        (*len)--;
    }
    while (*len && isspace((unsigned char)(*p)[*len - 1]))
        (*len)--;
}

static void set_place(struct cv_split *out, const char *p, size_t len)
{
    trim(&p, &len);
    while (len && (p[len - 1] == ',' || p[len - 1] == '.'))
        len--;
    if (len >= sizeof(out->place))
        len = sizeof(out->place) - 1;
    memcpy(out->place, p, len);
    out->place[len] = '\0';
}

void cv_split_text(const char *text, size_t len, struct cv_split *out)
{
    memset(out, 0, sizeof(*out));
    if (!text)
        return;
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    const char *end = text + len;
    const char *list = find_ci(text, len, "met with the following:");
    const char *others = find_ci(text, len, "Others Attending:");
    const char *stop = list ? list : others ? others : end;
    /* the place: "travelled to X", "was in X", up to " and met with", else a trailing "(X)" */
    const char *tr = find_ci(text, (size_t)(stop - text), " travelled to ");
    const char *in = tr ? NULL : find_ci(text, (size_t)(stop - text), " was in ");
    if (tr || in) {
        const char *p = tr ? tr + strlen(" travelled to ") : in + strlen(" was in ");
        const char *q = find_ci(p, (size_t)(end - p), " and met");
        if (!q || q > stop)
            q = stop;
        set_place(out, p, (size_t)(q - p));
        out->travelled = tr != NULL;
    } else if (len && text[len - 1] == ')') {
        const char *o = NULL;
        int depth = 0;
        for (const char *p = end - 1; p >= text; p--) {
            depth += *p == ')' ? 1 : *p == '(' ? -1 : 0;
            if (depth == 0) {
                o = p;
                break;
            }
        }
        if (o)
            set_place(out, o + 1, (size_t)(end - 1 - (o + 1)));
    }
    if (!list)
        return;
    out->list = true;
    const char *p = list + strlen("met with the following:");
    const char *lend = others && others > p ? others : end;
    while (p < lend) {
        while (p < lend && isspace((unsigned char)*p))
            p++;
        if (p >= lend)
            break;
        const char *name = p;
        while (p < lend && *p != '(')
            p++;
        const char *name_end = p, *title = NULL, *title_end = NULL;
        if (p < lend) {
            int depth = 0;
            title = p + 1;
            for (; p < lend; p++) {
                depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
                if (depth == 0)
                    break;
            }
            title_end = p;
            if (p < lend)
                p++;
        }
        size_t nl = (size_t)(name_end - name), tl = title ? (size_t)(title_end - title) : 0;
        trim(&name, &nl);
        if (title)
            trim(&title, &tl);
        if (!nl && !tl)
            continue;
        if (out->n == CV_MAX_COUNTERPARTS) {
            out->dropped++;
            continue;
        }
        struct cv_counterpart *c = &out->items[out->n++];
        c->name = name;
        c->name_len = nl;
        c->title = tl ? title : NULL;
        c->title_len = tl;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Titles                                                                                     */

/* " words of the title " folded to lower-case ASCII letters and digits, other bytes blanks
 * (runs collapsed); a title longer than the buffer is cut. */
static void fold(const char *s, size_t len, char *out, size_t outlen)
{
    size_t k = 0;
    out[k++] = ' ';
    for (size_t i = 0; i < len && k + 2 < outlen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c) && c < 128)
            out[k++] = (char)tolower(c);
        else if (out[k - 1] != ' ')
            out[k++] = ' ';
    }
    if (out[k - 1] != ' ')
        out[k++] = ' ';
    out[k] = '\0';
}

/* Does the folded title hold one of the phrases (each written " like this ")? */
static bool any(const char *folded, const char *const *phrases)
{
    for (size_t i = 0; phrases[i]; i++)
        if (strstr(folded, phrases[i]))
            return true;
    return false;
}

const char *engage_title_channel(const char *title, size_t len)
{
    static const char *const party[] = {" party ",   " politburo ",   " political bureau ",
                                        " central committee ", " kuomintang ", NULL};
    static const char *const military[] = {
        " army ",     " armed forces ", " military ", " defence ", " defense ",
        " navy ",     " naval ",        " air force ", " general staff ", " commander ",
        " admiral ",  " marshal ",      NULL};
    if (!title || !len)
        return NULL;
    char f[512];
    fold(title, len, f, sizeof(f));
    if (any(f, party))
        return "party";
    if (any(f, military))
        return "military";
    return NULL;
}

/*
 * Rank of a title:
 *  - a deputy, vice, former, acting or honorary holder, an envoy, adviser or assistant, a
 *    relative ("Queen Mother", "wife"), a crown prince or an elected holder not yet in office is
 *    senior (ministerial when the title also names a minister);
 *  - head of state, government or party (president, prime minister, premier, king, queen,
 *    emperor, emir, sultan, chancellor, grand duke, head of state or government, a party's
 *    general secretary, chairman, president or leader) is leader; a president of something
 *    else (an assembly, a court, a bank, a federation ...) is ministerial;
 *  - a minister, secretary of state, speaker, chairman, a Politburo member is ministerial;
 *  - anything else (ambassador, governor, mayor, party secretary of a province ...) is senior.
 */
enum engage_rank engage_title_rank(const char *title, size_t len)
{
    static const char *const lesser[] = {
        " deputy ",  " vice ",    " former ",  " acting ",    " honorary ", " envoy ",
        " adviser ", " advisor ", " assistant ", " mother ",  " wife ",     " widow ",
        " son ",     " daughter ", " crown ",  " elect ",     " spouse ",   " first lady ",
        " under secretary ", " undersecretary ", NULL};
    static const char *const heads[] = {
        " prime minister ", " premier ",     " king ",        " queen ",     " emperor ",
        " emir ",           " sultan ",      " chancellor ",  " grand duke ", " head of state ",
        " head of government ", " supreme leader ", " president ", NULL};
    static const char *const party_heads[] = {" general secretary ", " secretary general ",
                                              " chairman ",          " chairwoman ",
                                              " chair ",             " leader ",
                                              " president ",         NULL};
    static const char *const institutions[] = {
        " assembly ",   " senate ",     " parliament ", " court ",      " bank ",
        " federation ", " association ", " commission ", " council ",   " congress ",
        " union ",      " university ", " institute ",  " foundation ", " company ",
        " corporation ", " group ",     " chamber ",    " committee ",  " fund ",
        " olympic ",    " academy ",    " league ",     " organization ", " organisation ",
        " agency ",     " society ",    " forum ",      " board ",      " cross ",
        NULL};
    static const char *const ministerial[] = {
        " minister ",  " secretary of state ", " foreign secretary ", " speaker ",
        " chairman ",  " chairwoman ",         " chair ",             " politburo ",
        " political bureau ", " president ",   " director general ",  NULL};
    static const char *const party[] = {" party ", " central committee ", " kuomintang ", NULL};
    if (!title || !len)
        return ENGAGE_RANK_NONE;
    char f[512];
    fold(title, len, f, sizeof(f));
    if (any(f, lesser))
        return strstr(f, " minister ") && !strstr(f, " prime minister ") &&
                       !strstr(f, " deputy ") && !strstr(f, " vice ")
                   ? ENGAGE_RANK_MINISTERIAL
                   : ENGAGE_RANK_SENIOR;
    /* a party's general secretary or chairman heads the party */
    if (any(f, party) && any(f, party_heads))
        return ENGAGE_RANK_LEADER;
    if (any(f, heads)) {
        /* "President of the National Assembly": head of an institution, not of the state;
         * "Prime Minister"/"King of X" stay leaders whatever else the title says */
        bool president_only = strstr(f, " president ") && !strstr(f, " prime minister ") &&
                              !strstr(f, " premier ") && !strstr(f, " king ") &&
                              !strstr(f, " queen ") && !strstr(f, " sultan ") &&
                              !strstr(f, " emir ") && !strstr(f, " chancellor ");
        if (president_only && any(f, institutions))
            return ENGAGE_RANK_MINISTERIAL;
        return ENGAGE_RANK_LEADER;
    }
    if (any(f, ministerial))
        return ENGAGE_RANK_MINISTERIAL;
    return ENGAGE_RANK_SENIOR;
}

/* ------------------------------------------------------------------------------------------ */
/* Leaders                                                                                    */

/*
 * The seven leaders of the ChinaVitae file, with the span in which each headed the party, the
 * state or the government (general secretary, president, premier); outside it, and for the
 * foreign ministers and state councillors, their rank is ministerial.
 */
static const struct leader_span {
    struct cv_leader l;
    const char *from, *to; /* YYYY-MM-DD; NULL from = never leader; NULL to = open */
} leaders[] = {
    {{"Xi Jinping", "CHNXIJINPING"}, "2012-11-15", NULL},
    {{"Hu Jintao", "CHNHUJINTAO"}, "2002-11-15", "2013-03-14"},
    {{"Wen Jiabao", "CHNWENJIABAO"}, "2003-03-16", "2013-03-15"},
    {{"Li Keqiang", "CHNLIKEQIANG"}, "2013-03-15", "2023-03-11"},
    {{"Wang Yi", "CHNWANGYI"}, NULL, NULL},
    {{"Yang Jiechi", "CHNYANGJIECHI"}, NULL, NULL},
    {{"Li Zhaoxing", "CHNLIZHAOXING"}, NULL, NULL},
};

const struct cv_leader *cv_leader_find(const char *name)
{
    for (size_t i = 0; name && i < sizeof(leaders) / sizeof(leaders[0]); i++)
        if (strcasecmp(leaders[i].l.name, name) == 0)
            return &leaders[i].l;
    return NULL;
}

enum engage_rank cv_leader_rank(const struct cv_leader *l, const char *date)
{
    const struct leader_span *s = (const struct leader_span *)l;
    if (!s->from || !date || strcmp(date, s->from) < 0 || (s->to && strcmp(date, s->to) > 0))
        return ENGAGE_RANK_MINISTERIAL;
    return ENGAGE_RANK_LEADER;
}

bool engage_person_code(const char *name, char *out, size_t outlen)
{
    size_t k = 0;
    if (outlen < 4)
        return false;
    memcpy(out, "CHN", 3);
    k = 3;
    for (const char *p = name; p && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (!isalpha(c) || c >= 128)
            continue;
        if (k + 1 >= outlen)
            return false;
        out[k++] = (char)toupper(c);
    }
    out[k] = '\0';
    return k > 3;
}

const char *ceias_level_channel(const char *level)
{
    return level && strcasecmp(level, "Leader CCP") == 0 ? "party" : "government";
}
