/*
 * evrow.c: one line of an event file into the worker's tables (events_int.h): the row's
 * fields checked and converted as far as the --where conditions let it through, its group key,
 * its dedup cluster and measures, batched into the group table; bad rows kept with their
 * reason. Runs on the workers, once per row of every file: the hot path of the scanner.
 */
#include "ingest/events_int.h"

#include "core/parse.h"
#include "ingest/evcountry.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* A step of a row's processing, inlined into the one function per format where the layout's
 * columns are constants (rows are the scanner's hot path). */
#define ROW_STEP static inline __attribute__((always_inline))

void ev_keep_error(struct shared *r, const struct conf *c, size_t file, uint64_t seq,
                       uint64_t line, const char *msg)
{
    pthread_mutex_lock(&r->mu);
    struct evfile *f = &r->files[file];
    size_t max = (size_t)c->max_errors;
    if (!f->errs)
        f->errs = bilat_calloc(max, sizeof(*f->errs));
    if (!f->errs)
        r->rc = BILAT_ENOMEM;
    if (f->errs) {
        /* Keep the `max` first by (seq, line): insert in order, drop the last. */
        size_t pos = f->nerrs;
        while (pos > 0 && (f->errs[pos - 1].seq > seq ||
                           (f->errs[pos - 1].seq == seq && f->errs[pos - 1].line > line)))
            pos--;
        if (pos < max) {
            size_t n = f->nerrs < max ? f->nerrs : max - 1;
            memmove(f->errs + pos + 1, f->errs + pos, (n - pos) * sizeof(*f->errs));
            f->errs[pos].seq = seq;
            f->errs[pos].line = line;
            snprintf(f->errs[pos].msg, sizeof(f->errs[pos].msg), "%s", msg);
            if (f->nerrs < max)
                f->nerrs++;
        }
    }
    pthread_mutex_unlock(&r->mu);
}

void ev_reject(struct worker *w, const char *fmt, ...)
{
    w->fc[w->file].rejected++;
    char msg[ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ev_keep_error(w->run, w->conf, w->file, w->seq, w->line, msg);
}

/* Printable excerpt of a field for a message (non-printable bytes as '?'). */
static const char *excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    size_t n = len < cap - 4 ? len : cap - 4;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        buf[i] = ch >= 32 && ch < 127 ? (char)ch : '?';
    }
    if (n < len)
        memcpy(buf + n, "...", 3), n += 3;
    buf[n] = '\0';
    return buf;
}

/* The fields a row provides, after format-specific extraction. */
struct row {
    uint32_t date;                  /* event date YYYYMMDD */
    const char *a1c, *a2c, *a1t, *a2t, *ev, *root, *action;
    size_t a1cl, a2cl, a1tl, a2tl, evl, rootl, actionl;
    uint64_t a1c_p, a2c_p, action_p; /* packed (after mapping) */
    bool a1c_done, a2c_done, action_done;
};

const struct ev_layout ev_layouts[4] = {
    [BILAT_EV_GDELT1] = {.nf = 57, .nf_alt = 58, .nf_text = "57 or 58", .id = 0, .date = 1,
                         .a1 = 5, .a1_country = 7, .a1_type = 12, .a2 = 15, .a2_country = 17,
                         .a2_type = 22, .is_root = 25, .event = 26, .root = 28, .quad = 29,
                         .gold = 30, .mentions = 31, .sources = 32, .articles = 33, .tone = 34,
                         .action = 51, .story = -1},
    [BILAT_EV_GDELT2] = {.nf = 61, .nf_alt = 61, .nf_text = "61", .id = 0, .date = 1, .a1 = 5,
                         .a1_country = 7, .a1_type = 12, .a2 = 15, .a2_country = 17,
                         .a2_type = 22, .is_root = 25, .event = 26, .root = 28, .quad = 29,
                         .gold = 30, .mentions = 31, .sources = 32, .articles = 33, .tone = 34,
                         .action = 53, .story = -1},
    [BILAT_EV_ICEWS] = {.named = true, .nf = 20, .nf_alt = 20, .nf_text = "20", .id = 0,
                        .date = 1, .a1 = 2, .a1_country = 4, .a1_type = 3, .a2 = 8,
                        .a2_country = 10, .a2_type = 9, .is_root = -1, .event = 6, .root = 6,
                        .quad = -1, .gold = 7, .mentions = -1, .sources = -1, .articles = -1,
                        .tone = -1, .action = 17, .story = 11},
};

/* GDELT's column names, for messages. */
static const char *const gdelt_names[] = {
    [5] = "Actor1Code",      [7] = "Actor1CountryCode", [12] = "Actor1Type1Code",
    [15] = "Actor2Code",     [17] = "Actor2CountryCode", [22] = "Actor2Type1Code",
    [25] = "IsRootEvent",    [26] = "EventCode",        [28] = "EventRootCode",
    [29] = "QuadClass",      [30] = "GoldsteinScale",   [31] = "NumMentions",
    [32] = "NumSources",     [33] = "NumArticles",      [34] = "AvgTone",
};

/* Column `i` of a line (its start and the next one's recorded). Every column a layout names
 * comes before its last one, and row_shape() has checked the number of fields: the column ends
 * where the next one starts, without testing the count again (it is read once per field). */
ROW_STEP void field(const struct evscan_line *l, int i, const char **p, size_t *n)
{
    *p = l->p + l->start[i];
    *n = l->start[i + 1] - 1 - l->start[i];
}

static uint64_t cache_lookup(struct worker *w, const char *s, size_t len, int kind,
                             uint64_t (*compute)(const char *, size_t));

/* Field `back` places from the end (0: the last field), found from the line's end: GDELT's
 * DATEADDED and SOURCEURL are its last two fields, so the scanner need not record the starts
 * of the 25 fields before them. */
static void tail_field(const struct evscan_line *l, unsigned back, const char **p, size_t *n)
{
    size_t end = l->len;
    for (;;) {
        const char *t = memrchr(l->p, '\t', end);
        size_t start = t ? (size_t)(t - l->p) + 1 : 0;
        if (back-- == 0 || !t) {
            *p = l->p + start;
            *n = end - start;
            return;
        }
        end = start - 1;
    }
}

static uint64_t icews_country(const char *s, size_t len)
{
    const char *iso = evcountry_from_name(s, len);
    return iso ? ev_code_pack(iso, strlen(iso)) : 0;
}

/* ICEWS sector lists -> a CAMEO role code; the first rule (in priority order) that any sector
 * of the list matches wins, so that a party in government counts as a party. */
static uint64_t icews_sector(const char *s, size_t len)
{
    static const struct {
        const char *match; /* exact sector name, or "*word" for "contains word" */
        const char *code;
    } rules[] = {
        {"*Party", "PTY"},
        {"Parties", "PTY"},
        {"Military", "MIL"},
        {"Marines", "MIL"},
        {"Army", "MIL"},
        {"Navy", "MIL"},
        {"Air Force", "MIL"},
        {"Defense / Security Ministry", "MIL"},
        {"Police", "COP"},
        {"*Legislative", "LEG"},
        {"Lower House", "LEG"},
        {"Upper House", "LEG"},
        {"Unicameral", "LEG"},
        {"Judicial", "JUD"},
        {"Legal", "JUD"},
        {"Executive", "GOV"},
        {"Executive Office", "GOV"},
        {"Cabinet", "GOV"},
        {"*Ministry", "GOV"},
        {"Government", "GOV"},
        {"Local", "GOV"},
        {"Provincial", "GOV"},
        {"*IGO", "IGO"},
        {"International Government Organization", "IGO"},
        {"*NGO", "NGO"},
        {"Nongovernmental Organizations / Activists", "NGO"},
        {"Media", "MED"},
        {"News", "MED"},
        {"State Media", "MED"},
        {"Education", "EDU"},
        {"Business", "BUS"},
        {"Insurgents", "REB"},
        {"Rebel", "REB"},
        {"Dissident", "OPP"},
        {"Protestors / Popular Opposition / Mobs", "OPP"},
        {"Criminals / Gangs", "CRM"},
        {"Elite", "ELI"},
        {"Labor", "LAB"},
        {"Agricultural", "AGR"},
        {"Medical / Health", "HLH"},
        {"General Population / Civilian / Social", "CVL"},
    };
    for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
        const char *m = rules[r].match;
        bool contains = m[0] == '*';
        if (contains)
            m++;
        size_t ml = strlen(m);
        const char *p = s, *end = s + len;
        while (p < end) {
            const char *c = memchr(p, ',', (size_t)(end - p));
            size_t sl = c ? (size_t)(c - p) : (size_t)(end - p);
            if (contains ? memmem(p, sl, m, ml) != NULL : (sl == ml && memcmp(p, m, ml) == 0))
                return ev_code_pack(rules[r].code, 3);
            p += sl + 1;
        }
    }
    return 0;
}

/* A name looked for in a worker's cache. */
struct namekey {
    const struct namecache *e;
    const char *s;
    size_t len;
    uint64_t h;
};

static bool name_same(const void *ctx, size_t i)
{
    const struct namekey *k = ctx;
    return k->e[i].h == k->h && k->e[i].len == k->len && memcmp(k->e[i].s, k->s, k->len) == 0;
}

static uint64_t name_hash(const void *ctx, size_t i)
{
    return ((const struct namecache *)ctx)[i].h;
}

enum { NAMES_MAX = 512 }; /* names cached per worker; past that, computed every time */

static uint64_t cache_lookup(struct worker *w, const char *s, size_t len, int kind,
                             uint64_t (*compute)(const char *, size_t))
{
    uint64_t h = bilat_hash_bytes((uint64_t)kind * 0x51ed27, s, len);
    if (!w->names) {
        w->names = bilat_alloc_array(NAMES_MAX, sizeof(*w->names));
        if (!w->names || bilat_hindex_init(&w->names_x, 2 * NAMES_MAX) < 0) {
            bilat_free(w->names);
            w->names = NULL;
            return compute(s, len);
        }
    }
    const struct namekey k = {w->names, s, len, h};
    size_t slot, i = bilat_hindex_find(&w->names_x, h, name_same, &k, &slot);
    if (i != BILAT_HINDEX_NONE)
        return w->names[i].v;
    uint64_t v = compute(s, len);
    if (w->names_n == NAMES_MAX)
        return v; /* full: computed without caching */
    char *copy = bilat_arena_strndup(&w->arena, s, len);
    if (copy) {
        w->names[w->names_n] = (struct namecache){h, copy, len, v};
        if (bilat_hindex_put(&w->names_x, slot, h, w->names_n, name_hash, w->names) == 0)
            w->names_n++;
    }
    return v;
}

/* Quad class of a CAMEO root for ICEWS (the textbook grouping; GDELT gives its own). */
static unsigned textbook_quad(unsigned root)
{
    return root == 0 ? 0 : root <= 5 ? 1 : root <= 8 ? 2 : root <= 13 ? 3 : root <= 20 ? 4 : 0;
}

ROW_STEP uint64_t get_a1c(struct worker *w, struct row *r)
{
    if (!r->a1c_done) {
        if (w->format == BILAT_EV_ICEWS)
            r->a1c_p = cache_lookup(w, r->a1c, r->a1cl, 1, icews_country);
        else
            (void)ev_code_word(r->a1c, r->a1cl, &r->a1c_p);
        r->a1c_done = true;
    }
    return r->a1c_p;
}

ROW_STEP uint64_t get_a2c(struct worker *w, struct row *r)
{
    if (!r->a2c_done) {
        if (w->format == BILAT_EV_ICEWS)
            r->a2c_p = cache_lookup(w, r->a2c, r->a2cl, 1, icews_country);
        else
            (void)ev_code_word(r->a2c, r->a2cl, &r->a2c_p);
        r->a2c_done = true;
    }
    return r->a2c_p;
}

ROW_STEP uint64_t get_action(struct worker *w, struct row *r)
{
    if (!r->action_done) {
        if (w->format == BILAT_EV_ICEWS)
            r->action_p = cache_lookup(w, r->action, r->actionl, 1, icews_country);
        else if (r->actionl == 2)
            r->action_p = w->conf->fips_iso3[(unsigned char)r->action[0] << 8 |
                                             (unsigned char)r->action[1]];
        else
            r->action_p = 0;
        r->action_done = true;
    }
    return r->action_p;
}

ROW_STEP bool conds_hold(struct worker *w, struct row *r)
{
    const struct conf *c = w->conf;
    for (size_t i = 0; i < c->nconds; i++) {
        const struct cond *k = &c->conds[i];
        switch (k->op) {
        case C_DYAD: {
            uint64_t x = get_a1c(w, r), y = get_a2c(w, r);
            if (!((x == k->a && y == k->b) || (x == k->b && y == k->a)))
                return false;
            break;
        }
        case C_A1C:
            if (get_a1c(w, r) != k->a)
                return false;
            break;
        case C_A2C:
            if (get_a2c(w, r) != k->a)
                return false;
            break;
        case C_ROOT:
            if (ev_code_pack(r->root, r->rootl) != k->a)
                return false;
            break;
        case C_EVCODE:
            if (ev_code_pack(r->ev, r->evl) != k->a)
                return false;
            break;
        case C_ACTION:
            if (get_action(w, r) != k->a)
                return false;
            break;
        case C_QUAD:
            break; /* checked once the quad is known */
        case C_FROM:
            if (r->date < k->a)
                return false;
            break;
        case C_TO:
            if (r->date > k->a)
                return false;
            break;
        }
    }
    return true;
}

ROW_STEP bool quad_holds(const struct conf *c, unsigned quad)
{
    for (size_t i = 0; i < c->nconds; i++)
        if (c->conds[i].op == C_QUAD && c->conds[i].a != quad)
            return false;
    return true;
}

/* Locate a GDELT row's event codes and place, as far as the recorded field starts allow
 * (`have` starts): the others stay empty until the row is known to be kept. The event codes
 * only when the scan uses them (`codes_used`, conf.codes_used: keys, conditions, dedup). */
ROW_STEP void gdelt_codes(const struct evscan_line *l, const struct ev_layout *L, uint32_t have,
                          unsigned codes_used, struct row *r)
{
    r->ev = r->root = r->action = l->p;
    r->evl = r->rootl = r->actionl = 0;
    if ((codes_used & 48) /* event, root */ && have >= ev_starts_for(L->root)) {
        field(l, L->event, &r->ev, &r->evl);
        field(l, L->root, &r->root, &r->rootl);
    }
    if (have >= ev_starts_for(L->action))
        field(l, L->action, &r->action, &r->actionl);
}

/*
 * Whether the next new group or cluster could grow the worker's tables past its share of the
 * memory budget. Arrays grow by doubling, so this is decided only at the sizes where one is
 * full; the bytes counted are those after the growth (the index being rehashed counts twice,
 * old and new) plus what spilling itself needs (sort records, fingerprint lists).
 */
static bool over_budget(const struct worker *w)
{
    const struct evgroups *g = &w->groups;
    const struct fpset *f = &w->fps;
    if (!w->budget || g->n == 0)
        return false;
    bool dense = g->n == g->cap, index = bilat_hindex_full(&g->x);
    bool fdense = f->x.slot && f->n == f->cap, fps = f->x.slot && bilat_hindex_full(&f->x);
    if (!dense && !index && !fdense && !fps)
        return false;
    size_t cap = dense ? g->cap * 2 : g->cap;
    size_t fcap = fdense ? f->cap * 2 : f->cap;
    size_t fslots = f->x.slot ? (f->x.mask + 1) * (fps ? 2 : 1) : 0;
    size_t bytes = cap * g->stride + bilat_hindex_bytes(&g->x) * (index ? 3 : 1) +
                   fcap * sizeof(struct fpent) + fslots * sizeof(uint64_t) * (fps ? 3 : 2) / 2 +
                   evspill_scratch_bytes(g->nk, cap, fcap);
    return bytes > w->budget;
}

/* Write the worker's groups as a sorted run of the spill file and empty its tables. */
int ev_worker_spill(struct worker *w)
{
    struct shared *r = w->run;
    int rc = 0;
    pthread_mutex_lock(&r->mu);
    if (!r->spill)
        rc = evspill_new(r->spill_dir, w->conf->nk, r->order,
                         w->conf->dedup != BILAT_DEDUP_NONE, r->budget, &r->spill, &w->err);
    pthread_mutex_unlock(&r->mu);
    if (rc == 0)
        rc = evspill_write(r->spill, &w->groups, w->fps.x.slot ? &w->fps : NULL, &w->sc, &w->err);
    if (rc == 0) {
        evgroups_reset(&w->groups);
        fpset_reset(&w->fps);
    }
    return rc;
}

/* Apply the batched group updates of a worker (see ev_on_line()); spill first when a new group
 * could pass the budget. */
int ev_flush_batch(struct worker *w)
{
    struct evgroups *g = &w->groups;
    const struct conf *c = w->conf;
    for (size_t k = 0; k < w->nb; k++) {
        uint64_t e = g->x.slot[w->batch[k].h & g->x.mask];
        if (e && (e & BILAT_HINDEX_TAG) == (w->batch[k].h & BILAT_HINDEX_TAG))
            __builtin_prefetch(g->e + ((size_t)(uint32_t)e - 1) * g->stride);
    }
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < w->nb; k++) {
        const struct pending *pd = &w->batch[k];
        size_t gi;
        if (w->budget && over_budget(w) && (rc = ev_worker_spill(w)) < 0)
            break;
        if ((rc = evgroups_get(g, pd->key, pd->h, &gi)) < 0)
            break;
        struct evmeas *m = evg_meas(g, gi);
        m->events++;
        m->root_events += pd->add.root_events;
        m->mentions += pd->add.mentions;
        m->sources += pd->add.sources;
        m->articles += pd->add.articles;
        m->lag_sum += pd->add.lag_sum;
        m->gold += pd->add.gold;
        m->tone += pd->add.tone;
        m->flags |= pd->add.flags;
        if (!m->dmin || pd->date < m->dmin)
            m->dmin = pd->date;
        if (pd->date > m->dmax)
            m->dmax = pd->date;
        if (c->dedup != BILAT_DEDUP_NONE) {
            int added = dd_add(m, &w->fps, (uint32_t)gi, pd->fp);
            if (added < 0)
                rc = added;
            else
                m->dedup += added;
        }
    }
    w->nb = 0;
    return rc;
}

/* A row's story: ICEWS's Story ID, GDELT's SOURCEURL (the last field, when the row has it:
 * always in 2.0, in 1.0 rows of 58 fields); "" when there is none. */
static void source_url(const struct evscan_line *l, const struct ev_layout *L, const char **p,
                       size_t *n)
{
    if (L->story >= 0) {
        field(l, L->story, p, n);
    } else if (l->nf > L->nf || L->nf == L->nf_alt) {
        tail_field(l, 0, p, n);
    } else {
        *p = "";
        *n = 0;
    }
}

/* Keep the row as a member of cluster fp, in group `key`. */
static int add_member(struct worker *w, const struct evscan_line *l, uint64_t fp, uint32_t date,
                      const uint64_t *key, const char *a1, size_t a1l, const char *a2, size_t a2l,
                      const char *ev, size_t evl)
{
    struct memberlist *ml = &w->members;
    const size_t nk = w->conf->nk;
    if (ml->n == ml->cap) {
        size_t cap = ml->cap ? ml->cap * 2 : 256;
        struct member *v = bilat_realloc_array(ml->v, cap, sizeof(*v));
        if (!v)
            return BILAT_ENOMEM;
        ml->v = v;
        ml->cap = cap;
    }
    if (ml->nkeys + nk > ml->capkeys) {
        size_t cap = ml->capkeys ? ml->capkeys * 2 : 256 * (nk ? nk : 1);
        uint64_t *k = bilat_realloc_array(ml->keys, cap, sizeof(*k));
        if (!k)
            return BILAT_ENOMEM;
        ml->keys = k;
        ml->capkeys = cap;
    }
    const struct ev_layout *L = &ev_layouts[w->format & 3];
    const char *id, *url = "", *gold;
    size_t idl, urll = 0, goldl;
    field(l, L->id, &id, &idl);
    field(l, L->gold, &gold, &goldl);
    source_url(l, L, &url, &urll);
    size_t off = ml->text.len;
    char day[16];
    snprintf(day, sizeof(day), "%04u-%02u-%02u", date / 10000 % 10000, date / 100 % 100,
             date % 100);
    const char *f[7] = {id, day, a1, a2, ev, url, gold};
    const size_t fl[7] = {idl, 10, a1l, a2l, evl, urll, goldl};
    int rc = 0;
    for (int i = 0; rc == 0 && i < 7; i++) {
        rc = bilat_buf_add(&ml->text, f[i], fl[i]);
        if (rc == 0 && i < 6)
            rc = bilat_buf_addch(&ml->text, '\t');
    }
    if (rc < 0)
        return rc;
    struct member *m = &ml->v[ml->n++];
    m->fp = fp ? fp : 1;
    m->seq = w->seq;
    m->line = w->line;
    m->file = (uint32_t)w->file;
    m->off = off;
    m->len = (uint32_t)(ml->text.len - off);
    m->koff = ml->nkeys;
    if (nk)
        memcpy(ml->keys + ml->nkeys, key, nk * sizeof(*key));
    ml->nkeys += nk;
    return 0;
}

/* ------------------------------------------------------------------------------------------
 * One row, step by step (ev_on_line() at the end runs the steps): each step that finds the
 * row bad rejects it with its reason and says so; a row the conditions leave out stops early.
 * The steps are inlined into one function per format, where the layout's columns are
 * constants: rows are the scanner's hot path.
 * ---------------------------------------------------------------------------------------- */

/* The row's shape: its number of fields, no NUL byte, not overlong. */
ROW_STEP bool row_shape(struct worker *w, const struct evscan_line *l, const struct ev_layout *L)
{
    if (l->nf != L->nf && l->nf != L->nf_alt) {
        ev_reject(w, "expected %s fields, got %u", L->nf_text, l->nf);
        return false;
    }
    if (l->nul) {
        ev_reject(w, "NUL byte in the line");
        return false;
    }
    if (l->len > MAX_LINE) {
        /* (the read() path stops such a line before it is scanned; mmap hands it over) */
        ev_reject(w, "line longer than %d MiB", MAX_LINE >> 20);
        return false;
    }
    return true;
}

/* The event date and the fields the conditions test, located as far as the scanner recorded
 * field starts; false when the date is bad (the row is rejected). */
ROW_STEP bool row_read(struct worker *w, const struct evscan_line *l, const struct ev_layout *L,
                     struct row *r)
{
    const bool icews = L->named;
    const char *p;
    size_t n;
    char ex[48];
    r->a1c_done = r->a2c_done = r->action_done = false;
    r->a1c_p = r->a2c_p = r->action_p = 0;
    field(l, L->date, &p, &n);
    r->date = icews ? bilat_ymd_iso(p, n) : ev_ymd8(p, n);
    if (!r->date) {
        if (icews)
            ev_reject(w, "bad Event Date '%s' (expected YYYY-MM-DD)",
                      excerpt(p, n, ex, sizeof(ex)));
        else
            ev_reject(w, "bad SQLDATE '%s' (expected YYYYMMDD)", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    field(l, L->a1_country, &r->a1c, &r->a1cl);
    field(l, L->a2_country, &r->a2c, &r->a2cl);
    if (icews) {
        field(l, L->event, &r->ev, &r->evl);
        r->root = r->ev;
        r->rootl = r->evl >= 2 ? 2 : r->evl;
        field(l, L->action, &r->action, &r->actionl);
    } else {
        gdelt_codes(l, L, w->conf->maxf_scan[w->format & 3], w->conf->codes_used, r);
    }
    return true;
}

/* GDELT's DATEADDED, the day the row was added (an ingest's coverage): 0 when not needed;
 * false when it is bad (rejected). It is next to last (GDELT 2.0, and 1.0 rows with a
 * SOURCEURL), else last; 2.0 writes YYYYMMDDHHMMSS and the day is enough. */
ROW_STEP bool row_added(struct worker *w, const struct evscan_line *l, const struct ev_layout *L,
                      uint32_t *added)
{
    *added = 0;
    if (!w->conf->coverage || L->named)
        return true;
    const char *p;
    size_t n;
    tail_field(l, l->nf > L->nf || L->nf == L->nf_alt ? 1 : 0, &p, &n);
    if (w->format == BILAT_EV_GDELT2 && n == 14)
        n = 8;
    *added = ev_ymd8(p, n);
    if (!*added) {
        char ex[48];
        ev_reject(w, "bad DATEADDED '%s'", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    return true;
}

/* The dates of the file's rows, first and last. */
ROW_STEP void row_dates_seen(struct fcount *fc, uint32_t date, uint32_t added)
{
    if (!fc->dmin || date < fc->dmin)
        fc->dmin = date;
    if (date > fc->dmax)
        fc->dmax = date;
    if (added) {
        if (!fc->amin || added < fc->amin)
            fc->amin = added;
        if (added > fc->amax)
            fc->amax = added;
    }
}

/* A kept row: find the field starts the scanner did not record (it records only what the
 * conditions need, so that rows they leave out cost less), and locate the codes. */
ROW_STEP void row_locate(struct worker *w, struct evscan_line *l, const struct ev_layout *L,
                       struct row *r)
{
    uint32_t have = w->conf->maxf_scan[w->format & 3], need = w->conf->maxf[w->format & 3];
    if (have >= need)
        return;
    if (need > l->nf)
        need = l->nf;
    uint32_t pos = l->start[have - 1];
    for (uint32_t i = have; i < need; i++) {
        const char *t = memchr(l->p + pos, '\t', l->len - pos);
        if (!t)
            break; /* cannot happen: nf counted the tabs */
        pos = (uint32_t)(t - l->p) + 1;
        l->start[i] = pos;
    }
    gdelt_codes(l, L, need, w->conf->codes_used, r);
    r->action_done = false;
}

/* The codes the scan uses: letters and digits, at most 8 (GDELT); a CAMEO code of two digits
 * or more (ICEWS). */
ROW_STEP bool row_codes_ok(struct worker *w, const struct evscan_line *l,
                         const struct ev_layout *L, struct row *r)
{
    char ex[48];
    if (L->named) {
        if (!code_ok(r->ev, r->evl) || r->evl < 2) {
            ev_reject(w, "bad CAMEO Code '%s'", excerpt(r->ev, r->evl, ex, sizeof(ex)));
            return false;
        }
        return true;
    }
    /* in the order of conf.codes_used's bits */
    const int cols[] = {L->a1_country, L->a1_type, L->a2_country, L->a2_type, L->event, L->root};
    for (unsigned used = w->conf->codes_used; used; used &= used - 1) {
        const unsigned i = (unsigned)__builtin_ctz(used);
        const char *p;
        size_t n;
        uint64_t packed;
        field(l, cols[i], &p, &n);
        bool ok = ev_code_word(p, n, &packed);
        if (i == 0 || i == 2) {
            /* a country: its packing is the key's and the conditions' (get_a1c()) */
            *(i == 0 ? &r->a1c_p : &r->a2c_p) = packed;
            *(i == 0 ? &r->a1c_done : &r->a2c_done) = true;
        }
        if (!ok) {
            ev_reject(w, "bad %s '%s' (expected up to 8 letters or digits)", gdelt_names[cols[i]],
                      excerpt(p, n, ex, sizeof(ex)));
            return false;
        }
    }
    return true;
}

/* An ICEWS row's measures: its Intensity (as the Goldstein sum), the quad of its root. */
ROW_STEP bool icews_measures(struct worker *w, const struct evscan_line *l,
                           const struct ev_layout *L, const struct row *r, struct evmeas *add,
                           unsigned *quad)
{
    unsigned root = (unsigned)(r->ev[0] - '0') * 10 + (unsigned)(r->ev[1] - '0');
    *quad = r->ev[0] >= '0' && r->ev[0] <= '9' && r->ev[1] >= '0' && r->ev[1] <= '9'
                ? textbook_quad(root)
                : 0;
    const char *p;
    size_t n;
    field(l, L->gold, &p, &n);
    if (n && ev_fixed_parse(p, n, &add->gold) < 0) {
        char ex[48];
        ev_reject(w, "bad Intensity '%s' (expected a number)", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    if (n)
        add->flags |= EVM_GOLD;
    return true;
}

/* A GDELT row's measures: quad, root event, Goldstein, mentions, sources, articles, tone, and
 * the days between the event and the day it was added. */
ROW_STEP bool gdelt_measures(struct worker *w, const struct evscan_line *l,
                           const struct ev_layout *L, const struct row *r, uint32_t added,
                           struct evmeas *add, unsigned *quad)
{
    const char *p;
    size_t n;
    char ex[48];
    field(l, L->quad, &p, &n);
    if (n != 1 || p[0] < '1' || p[0] > '4') {
        ev_reject(w, "bad QuadClass '%s' (expected 1 to 4)", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    *quad = (unsigned)(p[0] - '0');
    field(l, L->is_root, &p, &n);
    if (n != 1 || (p[0] != '0' && p[0] != '1')) {
        ev_reject(w, "bad IsRootEvent '%s' (expected 0 or 1)", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    add->root_events = p[0] - '0';
    field(l, L->gold, &p, &n);
    if (n && ev_fixed_parse(p, n, &add->gold) < 0) {
        ev_reject(w, "bad GoldsteinScale '%s' (expected a number)", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    if (n)
        add->flags |= EVM_GOLD;
    const int cols[3] = {L->mentions, L->sources, L->articles};
    int64_t *dst[3] = {&add->mentions, &add->sources, &add->articles};
    for (int k = 0; k < 3; k++) {
        field(l, cols[k], &p, &n);
        if (!parse_u63(p, n, dst[k])) {
            ev_reject(w, "bad %s '%s' (expected a whole number)", gdelt_names[cols[k]],
                      excerpt(p, n, ex, sizeof(ex)));
            return false;
        }
    }
    field(l, L->tone, &p, &n);
    if (ev_fixed_parse(p, n, &add->tone) < 0) {
        ev_reject(w, "bad AvgTone '%s' (expected a number)", excerpt(p, n, ex, sizeof(ex)));
        return false;
    }
    add->flags |= EVM_GDELT;
    if (added) {
        add->lag_sum = bilat_ymd_day_number(added) - bilat_ymd_day_number(r->date);
        add->flags |= EVM_LAG;
    }
    return true;
}

/*
 * Event identity: a row whose GLOBALEVENTID another file brought is that file's event (an
 * ingest), or a row the file did not count at ingest is not the cube's (the drill-down). 0: the
 * row counts; 1: it is left out; <0: an error. A row whose id is not a whole number is counted,
 * and not tracked. ICEWS rows have no such identity.
 */
ROW_STEP int row_identity(struct worker *w, const struct evscan_line *l, const struct ev_layout *L)
{
    const struct conf *c = w->conf;
    if (L->named || (!c->track_ids && !c->idf))
        return 0;
    const struct evidfilter *idf = c->idf ? &c->idf[w->file] : NULL;
    const char *p;
    size_t n;
    int64_t id;
    field(l, L->id, &p, &n);
    if (!parse_u63(p, n, &id))
        return 0;
    const struct evids *set = idf ? idf->set[w->format & 3] : NULL;
    if (set && evids_has(set, (uint64_t)id) != idf->keep) {
        w->fc[w->file].dup++;
        if (c->track_ids)
            BILAT_TRY(evids_add_run(&w->skipped, (uint64_t)id, (uint64_t)id));
        return 1;
    }
    if (c->track_ids)
        BILAT_TRY(evids_add_run(&w->ids, (uint64_t)id, (uint64_t)id));
    return 0;
}

/* An actor's type: GDELT's code, or the role ICEWS's sectors map to. */
ROW_STEP uint64_t actor_type(struct worker *w, const struct evscan_line *l,
                            const struct ev_layout *L, int col)
{
    const char *p;
    size_t n;
    field(l, col, &p, &n);
    return L->named ? cache_lookup(w, p, n, 2, icews_sector) : ev_code_pack(p, n);
}

/* The row's group key, in the order of the keys asked for; returns its hash (evgroups_hash(),
 * summed as the words are made rather than in a second pass over them). */
ROW_STEP uint64_t row_key(struct worker *w, const struct evscan_line *l, const struct ev_layout *L,
                          struct row *r, unsigned quad, uint64_t *key)
{
    const struct conf *c = w->conf;
    uint64_t h = evgroups_hash_seed(c->nk);
    for (size_t i = 0; i < c->nk; i++) {
        switch (c->keys[i]) {
        case K_YEAR: key[i] = r->date / 10000; break;
        case K_MONTH: key[i] = r->date / 100; break;
        case K_DAY: key[i] = r->date; break;
        case K_A1C: key[i] = get_a1c(w, r); break;
        case K_A2C: key[i] = get_a2c(w, r); break;
        case K_A1T: key[i] = actor_type(w, l, L, L->a1_type); break;
        case K_A2T: key[i] = actor_type(w, l, L, L->a2_type); break;
        case K_EVCODE: key[i] = ev_code_pack(r->ev, r->evl); break;
        case K_ROOT: key[i] = ev_code_pack(r->root, r->rootl); break;
        case K_QUAD: key[i] = quad; break;
        case K_ACTION: key[i] = get_action(w, r); break;
        default: key[i] = 0; break;
        }
        h = evgroups_hash_add(h, i, key[i]);
    }
    return evgroups_hash_end(h);
}

/* The row's dedup cluster (0 without a rule): the group, then the rule's fields (the day, or
 * the story), the two actors and the event code; the row is kept as a member when asked. */
ROW_STEP int row_cluster(struct worker *w, const struct evscan_line *l, const struct ev_layout *L,
                       const struct row *r, const uint64_t *key, uint64_t *fp_out)
{
    const struct conf *c = w->conf;
    *fp_out = 0;
    if (c->dedup == BILAT_DEDUP_NONE)
        return 0;
    uint64_t fp = ev_cluster_seed(key, c->nk);
    const char *s1, *s2;
    size_t l1, l2;
    field(l, L->a1, &s1, &l1);
    field(l, L->a2, &s2, &l2);
    if (c->dedup == BILAT_DEDUP_DAILY) {
        uint64_t d = r->date;
        fp = bilat_hash_bytes(fp, (const char *)&d, sizeof(d));
    } else {
        const char *s3;
        size_t l3;
        source_url(l, L, &s3, &l3);
        fp = bilat_hash_bytes(fp, s3, l3);
    }
    fp = bilat_hash_bytes(fp, s1, l1);
    fp = bilat_hash_bytes(fp, s2, l2);
    fp = bilat_hash_bytes(fp, r->ev, r->evl);
    *fp_out = fp ? fp : 1;
    if (c->members)
        return add_member(w, l, *fp_out, r->date, key, s1, l1, s2, l2, r->ev, r->evl);
    return 0;
}

/* Queue the row's group update, whose key and measures are already in the batch's next slot
 * (on_line_as() builds them there, not to copy them): the batch waits until BATCH rows are
 * there, the index slot prefetched now and the entry when the batch is flushed, so that the
 * cache misses of several rows overlap. */
ROW_STEP int row_add(struct worker *w, uint64_t h, uint64_t fp, uint32_t date)
{
    struct pending *pd = &w->batch[w->nb++];
    pd->h = h;
    pd->fp = fp;
    pd->date = date;
    /* (written out, not bilat_hindex_prefetch(): gcc 12 judged that helper free of effects,
     * once it was not inlined into this long function, and dropped the call) */
    __builtin_prefetch(&w->groups.x.slot[(size_t)h & w->groups.x.mask]);
    return w->nb == BATCH ? ev_flush_batch(w) : 0;
}

/* Count the row in the coverage table (an ingest): by file and day added (ICEWS: the event
 * day), with the span of its event dates. */
ROW_STEP int row_cover(struct worker *w, uint32_t date, uint32_t added)
{
    uint64_t ck[2] = {w->file, added ? added : date};
    size_t ci;
    if (w->cov_last && ck[0] == w->cov_key[0] && ck[1] == w->cov_key[1]) {
        ci = w->cov_last - 1; /* rows of a file come mostly from one day added */
    } else {
        BILAT_TRY(evgroups_get(&w->cov, ck, evgroups_hash(ck, 2), &ci));
        w->cov_key[0] = ck[0];
        w->cov_key[1] = ck[1];
        w->cov_last = ci + 1;
    }
    struct evmeas *cm = evg_meas(&w->cov, ci);
    cm->events++;
    if (!cm->dmin || date < cm->dmin)
        cm->dmin = date;
    if (date > cm->dmax)
        cm->dmax = date;
    return 0;
}

/* One line of a format whose layout is L (a constant where this is inlined). */
ROW_STEP int on_line_as(struct worker *w, struct evscan_line *l, const struct ev_layout *L)
{
    ++w->line;
    if (w->line == w->skip_line || l->len == 0)
        return 0; /* the header, or a blank line */
    struct fcount *fc = &w->fc[w->file];
    fc->rows++;
    struct row r;
    uint32_t added;
    if (!row_shape(w, l, L) || !row_read(w, l, L, &r) || !row_added(w, l, L, &added))
        return 0;
    row_dates_seen(fc, r.date, added);
    if (!conds_hold(w, &r))
        return 0;
    row_locate(w, l, L, &r);
    if (!row_codes_ok(w, l, L, &r))
        return 0;
    /* the batch's next slot (free: a full batch is flushed at once); a row left out below
     * leaves it free */
    struct pending *pd = &w->batch[w->nb];
    struct evmeas *add = &pd->add; /* what flush_batch() adds: the rest is not read */
    add->root_events = add->mentions = add->sources = add->articles = add->lag_sum = 0;
    add->gold = add->tone = 0;
    add->flags = 0;
    unsigned quad = 0;
    if (L->named ? !icews_measures(w, l, L, &r, add, &quad)
                 : !gdelt_measures(w, l, L, &r, added, add, &quad))
        return 0;
    if (!quad_holds(w->conf, quad))
        return 0;
    int rc = row_identity(w, l, L);
    if (rc < 0) {
        w->rc = rc;
        return 1;
    }
    if (rc > 0)
        return 0; /* another file's event */
    uint64_t fp;
    uint64_t h = row_key(w, l, L, &r, quad, pd->key);
    fc->used++;
    if ((rc = row_cluster(w, l, L, &r, pd->key, &fp)) < 0 ||
        (rc = row_add(w, h, fp, r.date)) < 0 ||
        (w->conf->coverage && (rc = row_cover(w, r.date, added)) < 0)) {
        w->rc = rc;
        return 1;
    }
    return 0;
}

/* Process one GDELT or ICEWS line: 0 to go on, 1 to stop (w->rc says why). */
int ev_on_line(void *ctx, struct evscan_line *l)
{
    struct worker *w = ctx;
    switch (w->format) {
    case BILAT_EV_GDELT1: return on_line_as(w, l, &ev_layouts[BILAT_EV_GDELT1]);
    case BILAT_EV_GDELT2: return on_line_as(w, l, &ev_layouts[BILAT_EV_GDELT2]);
    default: return on_line_as(w, l, &ev_layouts[BILAT_EV_ICEWS]);
    }
}
