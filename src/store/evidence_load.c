/*
 * evidence_load.c: `bilat ingest chinavitae|ceias|aiddata-fd|ungdc`: independent evidence into
 * the store (bilat.h: bilat_evidence_ingest; tables in docs/STORE.md).
 *
 * One transaction per run. For each file, the rows an earlier ingest took from a file of the
 * same name (same dataset, locator "name:line") are deleted first, then the file is read by its
 * reader (ingest/engage.c, ingest/records.c); bad rows are reported with their line and left
 * out, good rows written. Every row written carries the dataset 'ingest:<kind>', the source and
 * the locator "file:line".
 *
 * ChinaVitae: the engagement's Chinese side is the file's leader (a person actor); the other
 * side comes from the event coder, which the library reaches through its public interface
 * (bilat_coder_text()). A "met with the following:" list is split into one clause per named
 * counterpart ("Xi Jinping met with Hun Sen (Cambodian Prime Minister).") because the coder
 * codes clauses, not lists. A coded event is kept when it has China on one side and the row's
 * country on the other; a counterpart the coder knows by name (KHMHUNSEN) becomes the actor,
 * else the role code at the date (KHMGOV). A name the coder does not know is tried once more
 * with its last word first ("Sen Hun" -> "Hun Sen": the file often gives East Asian names in
 * Western order). When no coded event fits, the row still gives one engagement record (the
 * leader and the row's country, CAMEO 04, consult), with status 'uncoded', the reason and
 * what the coder gave in event_import: counts stay complete, and no event ever names a country
 * the row is not about. The channel comes from the counterpart's title (a party or military
 * office), else from the coder's role code (PTY, MIL), else government; the level is the rank
 * of the more senior side (the leader's at the date, the counterpart's title).
 */
#include "bilat.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "ingest/engage.h"
#include "ingest/records.h"
#include "ingest/speech_vocab.h"
#include "store/db.h"
#include "store/loader.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { MAX_CODED = 16, MAX_EXTRA_TERMS = 256 };

static const struct kind_desc {
    const char *name, *source, *external, *dataset;
} kinds[] = {
    [BILAT_EVIDENCE_CHINAVITAE] = {"chinavitae", "chinavitae-engagements",
                                   "diplomacy/chinavitae_leader_engagements_2003_2018.csv",
                                   "ingest:chinavitae"},
    [BILAT_EVIDENCE_CEIAS] = {"ceias", "ceias-who-where-when",
                              "diplomacy/ceias_who_where_when_chinese_leader_travel_1949_2020.csv",
                              "ingest:ceias"},
    [BILAT_EVIDENCE_AIDDATA_FD] = {"aiddata-fd", "aiddata-fd-v2",
                                   "diplomacy/aiddata_china_financial_diplomacy_project_details_"
                                   "v2.csv",
                                   "ingest:aiddata-fd"},
    [BILAT_EVIDENCE_UNGDC] = {"ungdc", "ungdc-v13", "text/ungdc_khm_chn_speeches_1946_2024.jsonl",
                              "ingest:ungdc"},
};

static bool kind_ok(enum bilat_evidence_kind k)
{
    return (unsigned)k < sizeof(kinds) / sizeof(kinds[0]);
}

const char *bilat_evidence_kind_name(enum bilat_evidence_kind k)
{
    return kind_ok(k) ? kinds[k].name : "unknown";
}

const char *bilat_evidence_default_source(enum bilat_evidence_kind k)
{
    return kind_ok(k) ? kinds[k].source : NULL;
}

const char *bilat_evidence_external_path(enum bilat_evidence_kind k)
{
    return kind_ok(k) ? kinds[k].external : NULL;
}

/* One event the coder gave, copied out of the coder's buffers. */
struct cev {
    char src[32], tgt[32];           /* CAMEO actor codes */
    char src_ent[40], tgt_ent[40];   /* named actors, or "" */
    char src_name[128], tgt_name[128];
    char src_kind[16], tgt_kind[16];
    char cameo[8];
    char pattern[160];
    double goldstein;                /* NAN when unknown */
    int quad;                        /* 0 when unknown */
    unsigned flags;
};

/* What the coder made of one clause. */
struct coded {
    struct cev ev[MAX_CODED];
    size_t n;
    char uncoded[160]; /* the coder's reason when it gave nothing */
};

struct eload {
    bilat_db *db;
    enum bilat_evidence_kind kind;
    const struct bilat_evidence_opts *o;
    struct bilat_evidence_stats *st;
    struct bilat_err *err;
    struct loader_file f;  /* the file being read, its bad rows */
    const char *source_id; /* source of every row */
    const char *dataset;   /* ingest:<kind> */
    sqlite3_stmt *q_actor, *ins_actor, *q_country, *q_iso, *q_cameo;
    sqlite3_stmt *ins_event, *ins_import, *ins_speech, *ins_term, *ins_project;
    struct coded cl;       /* scratch for the coder callback */
    struct bilat_buf norm; /* scratch: a speech in normal form */
    /* concept principles of the store that the built-in vocabulary lacks: matched by label */
    char (*extra_key)[72];
    char (*extra_var)[200];
    size_t nextra;
};

static void reject(void *ctx, uint64_t line, const char *msg)
{
    struct eload *l = ctx;
    loader_reject(&l->f, line, "%s", msg);
}

/* ------------------------------------------------------------------------------------------ */
/* Look-ups                                                                                   */

/*
 * ISO3 of a country name (the country table's name, an alias, or an ISO3 code): 1 found, 0
 * unknown, 2 a name the reference marks as not a country; <0 on error.
 */
static int country_by_name(struct eload *l, const char *name, char iso3[4])
{
    sqlite3_stmt *q = l->q_country;
    sqlite3_reset(q);
    store_bind_text(q, 1, name, -1);
    int s = sqlite3_step(q);
    int rc = 0;
    if (s == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(q, 0);
        if (v && strlen(v) == 3) {
            memcpy(iso3, v, 4);
            rc = 1;
        } else {
            rc = 2;
        }
    } else if (s != SQLITE_DONE) {
        rc = store_fail(l->db, l->err, s, "cannot look up a country");
    }
    sqlite3_reset(q);
    return rc;
}

/*
 * The country of a row's field `what` by name, alias or ISO3 code: 1 found; 0 the row rejected,
 * as "unknown WHAT 'NAME'" with NAME cut at `width` bytes (for the engagement files' country,
 * what NULL: not a country, or neither a name nor an alias); <0 on error.
 */
static int row_country(struct eload *l, uint64_t line, const char *name, const char *what,
                       int width, char iso3[4])
{
    int c = country_by_name(l, name, iso3);
    if (c < 0)
        return c;
    if (c != 1 && what)
        loader_reject(&l->f, line, "unknown %s '%.*s'", what, width, name);
    else if (c != 1)
        loader_reject(&l->f, line, "%s country '%.60s'%s", c == 2 ? "not a" : "unknown", name,
                      c == 2 ? "" : " (neither a name nor an alias in the country tables)");
    return c == 1;
}

/* The country's name, into out (the code itself when the table lacks it). */
static int country_name(struct eload *l, const char *iso3, char *out, size_t len)
{
    sqlite3_stmt *q = l->q_iso;
    sqlite3_reset(q);
    store_bind_text(q, 1, iso3, -1);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW)
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(q, 0));
    else
        snprintf(out, len, "%s", iso3);
    sqlite3_reset(q);
    return s == SQLITE_ROW || s == SQLITE_DONE ? (s == SQLITE_ROW)
                                               : store_fail(l->db, l->err, s,
                                                            "cannot look up a country");
}

/* Role words of a CAMEO actor code's roles, for naming new actors ("Laos (government)"). */
static const char *role_label(const char *r)
{
    static const char *const roles[][2] = {
        {"GOV", "government"}, {"MIL", "military"},     {"PTY", "party"},
        {"LEG", "legislature"}, {"OPP", "opposition"},  {"BUS", "business"},
        {"MED", "media"},      {"JUD", "judiciary"},    {"COP", "police"},
        {"ELI", "elites"},     {"CVL", "civilians"},    {"EDU", "education"},
        {"HLH", "health"},     {"LAB", "labour"},       {"REB", "rebels"},
        {"SPY", "intelligence"}, {"AGR", "agriculture"}, {"HRI", "human rights"},
        {"NGO", "non-governmental"}, {"IGO", "intergovernmental"}, {"REF", "refugees"},
        {"UAF", "armed group"}, {"ENV", "environment"}, {"CRM", "criminals"},
        {"DEV", "development"}, {"REL", "religious"},   {"MOD", "moderates"},
        {"RAD", "radicals"},   {"INS", "insurgents"},   {"FRM", "foreign ministry"},
        {"DEF", "defence"},
    };
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (strncmp(r, roles[i][0], 3) == 0)
            return roles[i][1];
    return NULL;
}

/*
 * The id of the actor `code`, added (dataset of this ingest) when the store lacks it. `name`
 * and `kind` describe a new actor; NULL name: derived from the code ("Laos (government,
 * party)"); NULL kind: state for a bare country code, party for a PTY code, else organisation.
 */
static int actor_id(struct eload *l, const char *code, const char *name, const char *kind,
                    int64_t *id)
{
    sqlite3_stmt *q = l->q_actor;
    sqlite3_reset(q);
    store_bind_text(q, 1, code, -1);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        *id = sqlite3_column_int64(q, 0);
        sqlite3_reset(q);
        return 0;
    }
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_fail(l->db, l->err, s, "cannot look up an actor");
    char iso[4] = "", cname[128] = "", nbuf[256];
    int known = 0;
    if (strlen(code) >= 3) {
        memcpy(iso, code, 3);
        iso[3] = '\0';
        BILAT_TRY(known = country_name(l, iso, cname, sizeof(cname)));
    }
    if (!kind)
        kind = strlen(code) == 3 && known ? "state"
               : strstr(code + (strlen(code) >= 3 ? 3 : 0), "PTY") ? "party"
                                                                   : "organisation";
    if (name && *name) {
        snprintf(nbuf, sizeof(nbuf), "%s", name);
    } else {
        int n = snprintf(nbuf, sizeof(nbuf), "%s", known ? cname : code);
        const char *r = code + (known ? 3 : strlen(code));
        for (int first = 1; strlen(r) >= 3 && n < (int)sizeof(nbuf) - 40; r += 3, first = 0) {
            const char *lab = role_label(r);
            n += snprintf(nbuf + n, sizeof(nbuf) - (size_t)n, "%s%s%.*s", first ? " (" : ", ",
                          lab ? lab : "", lab ? 0 : 3, r);
            if (strlen(r) < 6)
                n += snprintf(nbuf + n, sizeof(nbuf) - (size_t)n, ")");
        }
    }
    q = l->ins_actor;
    sqlite3_reset(q);
    store_bind_text(q, 1, code, -1);
    store_bind_text(q, 2, nbuf, -1);
    store_bind_text(q, 3, kind, -1);
    store_bind_text(q, 4, known ? iso : NULL, -1);
    store_bind_text(q, 5, l->dataset, -1);
    s = sqlite3_step(q);
    if (s != SQLITE_ROW) {
        sqlite3_reset(q);
        return store_fail(l->db, l->err, s, "cannot add an actor");
    }
    *id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    l->st->actors++;
    return 0;
}

/* Goldstein value and quad class of a CAMEO code from the store (NAN / 0 when it lacks it). */
static int cameo_values(struct eload *l, const char *code, double *g, int *quad)
{
    *g = NAN;
    *quad = 0;
    sqlite3_stmt *q = l->q_cameo;
    sqlite3_reset(q);
    store_bind_text(q, 1, code, -1);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        if (sqlite3_column_type(q, 0) != SQLITE_NULL)
            *g = sqlite3_column_double(q, 0);
        *quad = sqlite3_column_int(q, 1);
    }
    sqlite3_reset(q);
    return s == SQLITE_ROW || s == SQLITE_DONE ? 0
                                               : store_fail(l->db, l->err, s,
                                                            "cannot look up a CAMEO code");
}

/* ------------------------------------------------------------------------------------------ */
/* Events                                                                                     */

struct evrow {
    const char *ref;      /* within the dataset */
    const char *date;     /* date_from */
    const char *precision;
    int64_t src, tgt;
    const char *cameo;
    double goldstein;     /* NAN: missing */
    int quad;             /* 0: missing */
    const char *channel, *mode, *level, *place, *note;
    uint64_t line;
    const char *status;   /* coded, uncoded, record */
    const char *reason, *counterpart, *coder, *pattern;
};

static int write_event(struct eload *l, const struct evrow *e)
{
    sqlite3_stmt *q = l->ins_event;
    sqlite3_reset(q);
    store_bind_text(q, 1, e->ref, -1);
    store_bind_text(q, 2, e->date, -1);
    store_bind_text(q, 3, e->precision, -1);
    sqlite3_bind_int64(q, 4, e->src);
    sqlite3_bind_int64(q, 5, e->tgt);
    store_bind_text(q, 6, e->cameo, -1);
    store_bind_real_or_null(q, 7, e->goldstein);
    store_bind_int_or_null(q, 8, e->quad);
    store_bind_text(q, 9, e->channel, -1);
    store_bind_text(q, 10, e->mode, -1);
    store_bind_text(q, 11, e->level, -1);
    store_bind_text(q, 12, e->place && *e->place ? e->place : NULL, -1);
    store_bind_text(q, 13, e->note, -1);
    store_bind_text(q, 14, l->source_id, -1);
    store_bind_text(q, 15, loader_locate(&l->f, e->line), -1);
    store_bind_text(q, 16, l->dataset, -1);
    int s = sqlite3_step(q);
    if (s != SQLITE_ROW) {
        sqlite3_reset(q);
        return store_fail(l->db, l->err, s, "cannot write an event");
    }
    int64_t id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    q = l->ins_import;
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, id);
    store_bind_text(q, 2, l->f.base, -1);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)e->line);
    store_bind_text(q, 4, e->status, -1);
    store_bind_text(q, 5, e->reason, -1);
    store_bind_text(q, 6, e->counterpart, -1);
    store_bind_text(q, 7, e->coder && *e->coder ? e->coder : NULL, -1);
    store_bind_text(q, 8, e->pattern && *e->pattern ? e->pattern : NULL, -1);
    BILAT_TRY(store_step_done(l->db, q, "cannot write how an event was imported", l->err));
    l->st->events++;
    return 0;
}

/* The mode of an event from its CAMEO code (vocabulary.tsv), or NULL. */
static const char *mode_of(const char *cameo)
{
    static const char *const modes[][2] = {
        {"04", "meeting"},    {"040", "meeting"},  {"041", "meeting"},  {"045", "meeting"},
        {"046", "meeting"},   {"042", "visit"},    {"043", "visit"},    {"044", "visit"},
        {"057", "agreement"}, {"054", "partnership"}, {"051", "endorsement"},
        {"053", "endorsement"}, {"07", "aid"},     {"070", "aid"},      {"071", "aid"},
        {"072", "aid"},       {"073", "aid"},      {"074", "aid"},      {"075", "aid"},
    };
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
        if (strcmp(cameo, modes[i][0]) == 0)
            return modes[i][1];
    if (strncmp(cameo, "01", 2) == 0 || strncmp(cameo, "02", 2) == 0)
        return "statement";
    return NULL;
}

/* The channel a CAMEO actor code's roles give: party, military, or NULL. */
static const char *code_channel(const char *code)
{
    if (strlen(code) <= 3)
        return NULL;
    if (strstr(code + 3, "PTY"))
        return "party";
    if (strstr(code + 3, "MIL"))
        return "military";
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* ChinaVitae                                                                                 */

static void copy(char *dst, size_t n, const char *s)
{
    snprintf(dst, n, "%s", s ? s : "");
}

/* The coder's sentence callback: keep its events (their strings die with the call). */
static int on_sentence(void *ctx, const struct bilat_coded_sentence *s)
{
    struct coded *c = ctx;
    if (s->nevents == 0 && !c->uncoded[0] && s->uncoded)
        copy(c->uncoded, sizeof(c->uncoded), s->uncoded);
    for (size_t i = 0; i < s->nevents && c->n < MAX_CODED; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        struct cev *v = &c->ev[c->n++];
        copy(v->src, sizeof(v->src), e->source);
        copy(v->tgt, sizeof(v->tgt), e->target);
        copy(v->src_ent, sizeof(v->src_ent), e->source_entity);
        copy(v->tgt_ent, sizeof(v->tgt_ent), e->target_entity);
        copy(v->src_name, sizeof(v->src_name), e->source_name);
        copy(v->tgt_name, sizeof(v->tgt_name), e->target_name);
        copy(v->src_kind, sizeof(v->src_kind), e->source_kind);
        copy(v->tgt_kind, sizeof(v->tgt_kind), e->target_kind);
        copy(v->cameo, sizeof(v->cameo), e->cameo);
        copy(v->pattern, sizeof(v->pattern), e->pattern);
        v->goldstein = e->goldstein;
        v->quad = e->quad;
        v->flags = e->flags;
    }
    return 0;
}

static int code_text(struct eload *l, const char *date, const char *text, uint64_t line)
{
    memset(&l->cl, 0, sizeof(l->cl));
    return bilat_coder_text(l->o->coder, NULL, date, text, strlen(text), l->f.path, line,
                            on_sentence, &l->cl, l->err);
}

/* Does a CAMEO code (or an entity code) belong to this country? */
static bool of_country(const char *code, const char *iso3)
{
    return strlen(code) >= 3 && strncmp(code, iso3, 3) == 0;
}

/*
 * How well an event names the counterpart (the side that is not China): 3 a person or party the
 * dictionaries know by name, 2 a role code (KHMGOV), 1 a bare country code (KHM).
 */
static int named_score(const struct cev *e, bool china_src)
{
    const char *ent = china_src ? e->tgt_ent : e->src_ent;
    const char *kind = china_src ? e->tgt_kind : e->src_kind;
    const char *code = china_src ? e->tgt : e->src;
    if (ent[0] && (strcmp(kind, "person") == 0 || strcmp(kind, "party") == 0))
        return 3;
    return strlen(code) > 3 ? 2 : 1;
}

/*
 * The event of the clause with China on one side and `iso3` on the other that names the
 * counterpart best (named_score(); the first of equals), reverse events of paired codes left
 * out; *china_src tells on which side China is. -1 when none.
 */
static int fitting(const struct coded *c, const char *iso3, bool *china_src)
{
    int best = -1, best_score = 0;
    for (size_t i = 0; i < c->n; i++) {
        const struct cev *e = &c->ev[i];
        bool cs;
        if ((e->flags & BILAT_EVENT_REVERSE) || !e->tgt[0])
            continue;
        if (of_country(e->src, "CHN") && of_country(e->tgt, iso3))
            cs = true;
        else if (of_country(e->src, iso3) && of_country(e->tgt, "CHN"))
            cs = false;
        else
            continue;
        int sc = named_score(e, cs);
        if (sc > best_score) {
            best = (int)i;
            best_score = sc;
            *china_src = cs;
        }
    }
    return best;
}

/* What the coder gave, for the record: "CHNGOV>KHMGOV 040 [KHMHUNSEN]; ...". */
static void describe(const struct coded *c, char *out, size_t len)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < c->n && k + 1 < len; i++) {
        const struct cev *e = &c->ev[i];
        if (e->flags & BILAT_EVENT_REVERSE)
            continue;
        int w = snprintf(out + k, len - k, "%s%s>%s %s", k ? "; " : "", e->src,
                         e->tgt[0] ? e->tgt : "-", e->cameo);
        if (w < 0 || (size_t)w >= len - k)
            break;
        k += (size_t)w;
        const char *ent = e->tgt_ent[0] ? e->tgt_ent : e->src_ent;
        if (ent[0]) {
            w = snprintf(out + k, len - k, " [%s]", ent);
            if (w < 0 || (size_t)w >= len - k)
                break;
            k += (size_t)w;
        }
    }
    if (!out[0] && c->uncoded[0])
        snprintf(out, len, "(no event: %s)", c->uncoded);
}

/* A counterpart as the file writes it: "Hun Sen (Cambodian Prime Minister)". */
static void counterpart_text(const struct cv_counterpart *c, char *out, size_t len)
{
    if (c->title)
        snprintf(out, len, "%.*s%s(%.*s)", (int)c->name_len, c->name, c->name_len ? " " : "",
                 (int)c->title_len, c->title);
    else
        snprintf(out, len, "%.*s", (int)c->name_len, c->name);
}

/* The name with its last word first ("Sen Hun" -> "Hun Sen"), or false for one word. */
static bool rotate_name(const char *name, size_t len, char *out, size_t outlen)
{
    while (len && name[len - 1] == ' ')
        len--;
    const char *sp = NULL;
    for (size_t i = 0; i < len; i++)
        if (name[i] == ' ')
            sp = name + i;
    if (!sp)
        return false;
    size_t head = (size_t)(sp - name);
    snprintf(out, outlen, "%.*s %.*s", (int)(len - head - 1), sp + 1, (int)head, name);
    return true;
}

struct cv_ctx {
    const struct cv_row *r;
    const struct cv_leader *leader;
    char iso3[4];
    char cname[128];
    int64_t leader_id;
    enum engage_rank leader_rank;
    struct cv_split split;
    bool visit;      /* the leader travelled to the row's country */
    size_t written;  /* events written for the row */
    char reasons[600];
};

static void add_reason(struct cv_ctx *x, const char *fmt, ...) BILAT_PRINTF(2, 3);
static void add_reason(struct cv_ctx *x, const char *fmt, ...)
{
    size_t k = strlen(x->reasons);
    if (k + 4 >= sizeof(x->reasons))
        return;
    if (k)
        k += (size_t)snprintf(x->reasons + k, sizeof(x->reasons) - k, "; ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->reasons + k, sizeof(x->reasons) - k, fmt, ap);
    va_end(ap);
}

/* Write the coded event e (from the clause about `cp`, NULL for a whole sentence). */
static int cv_write_coded(struct eload *l, struct cv_ctx *x, const struct cev *e, bool china_src,
                          const struct cv_counterpart *cp)
{
    const char *code = china_src ? e->tgt : e->src;
    const char *ent = china_src ? e->tgt_ent : e->src_ent;
    const char *name = china_src ? e->tgt_name : e->src_name;
    const char *kind = china_src ? e->tgt_kind : e->src_kind;
    int64_t other;
    const char *channel = cp ? engage_title_channel(cp->title, cp->title_len) : NULL;
    bool person = ent[0] && of_country(ent, x->iso3) &&
                  (strcmp(kind, "person") == 0 || strcmp(kind, "party") == 0);
    if (person) {
        BILAT_TRY(actor_id(l, ent, name, kind, &other));
    } else if (channel && strcmp(channel, "party") == 0 && !strstr(code + 3, "PTY")) {
        /* the title names a party office: the counterpart is the party (KHMGOV -> KHMGOVPTY) */
        char pty[40];
        snprintf(pty, sizeof(pty), "%.32sPTY", code);
        BILAT_TRY(actor_id(l, pty, NULL, "party", &other));
    } else {
        BILAT_TRY(actor_id(l, code, NULL, NULL, &other));
    }
    if (!channel)
        channel = code_channel(code);
    if (!channel && !cp)
        channel = engage_title_channel(x->r->text, strlen(x->r->text));
    if (!channel)
        channel = "government";
    enum engage_rank rank = x->leader_rank;
    enum engage_rank tr = cp ? engage_title_rank(cp->title, cp->title_len) : ENGAGE_RANK_NONE;
    if (tr > rank)
        rank = tr;
    const char *mode = x->visit && mode_of(e->cameo) && strcmp(mode_of(e->cameo), "meeting") == 0
                           ? "visit"
                           : mode_of(e->cameo);
    char ref[64], cpt[400], coder[400];
    snprintf(ref, sizeof(ref), "%s:%llu.%zu", l->f.base, (unsigned long long)x->r->line,
             x->written + 1);
    if (cp)
        counterpart_text(cp, cpt, sizeof(cpt));
    struct coded one = {.n = 1};
    one.ev[0] = *e;
    describe(&one, coder, sizeof(coder));
    struct evrow ev = {
        .ref = ref,
        .date = x->r->date,
        .precision = "day",
        .src = china_src ? x->leader_id : other,
        .tgt = china_src ? other : x->leader_id,
        .cameo = e->cameo,
        .goldstein = e->goldstein,
        .quad = e->quad,
        .channel = channel,
        .mode = mode,
        .level = engage_rank_level(rank),
        .place = x->split.place,
        .note = x->r->text,
        .line = x->r->line,
        .status = "coded",
        .counterpart = cp ? cpt : NULL,
        .coder = coder,
        .pattern = e->pattern,
    };
    BILAT_TRY(write_event(l, &ev));
    l->st->coded++;
    x->written++;
    return 0;
}

/* One counterpart of a list: code its clause (and the clause with the name turned round). */
static int cv_counterpart(struct eload *l, struct cv_ctx *x, const struct cv_counterpart *cp)
{
    char clause[1200], desc[400], cpt[400];
    counterpart_text(cp, cpt, sizeof(cpt));
    if (cp->name_len)
        snprintf(clause, sizeof(clause), "%s met with %s.", x->leader->name, cpt);
    else
        snprintf(clause, sizeof(clause), "%s met with the %.*s.", x->leader->name,
                 (int)cp->title_len, cp->title);
    BILAT_TRY(code_text(l, x->r->date, clause, x->r->line));
    bool china_src = true;
    int i = fitting(&l->cl, x->iso3, &china_src);
    if (i >= 0 && named_score(&l->cl.ev[i], china_src) == 3)
        return cv_write_coded(l, x, &l->cl.ev[i], china_src, cp);
    struct cev first;
    if (i >= 0)
        first = l->cl.ev[i];
    describe(&l->cl, desc, sizeof(desc));
    char rot[300];
    if (cp->name_len && rotate_name(cp->name, cp->name_len, rot, sizeof(rot))) {
        struct cv_counterpart turned = *cp;
        turned.name = rot;
        turned.name_len = strlen(rot);
        char tcpt[400];
        counterpart_text(&turned, tcpt, sizeof(tcpt));
        snprintf(clause, sizeof(clause), "%s met with %s.", x->leader->name, tcpt);
        BILAT_TRY(code_text(l, x->r->date, clause, x->r->line));
        bool cs2 = true;
        int j = fitting(&l->cl, x->iso3, &cs2);
        if (j >= 0 && named_score(&l->cl.ev[j], cs2) == 3)
            return cv_write_coded(l, x, &l->cl.ev[j], cs2, cp);
    }
    if (i >= 0)
        return cv_write_coded(l, x, &first, china_src, cp);
    add_reason(x, "'%.80s': %s", cpt, desc);
    return 0;
}

/* The row gave no coded event: one engagement record (leader and the row's country, 04). */
static int cv_uncoded(struct eload *l, struct cv_ctx *x, const char *coder)
{
    int64_t state;
    BILAT_TRY(actor_id(l, x->iso3, x->cname, "state", &state));
    double g;
    int quad;
    BILAT_TRY(cameo_values(l, "04", &g, &quad));
    const char *channel = x->r->text ? engage_title_channel(x->r->text, strlen(x->r->text))
                                     : NULL;
    char ref[64], reason[700];
    snprintf(ref, sizeof(ref), "%s:%llu.1", l->f.base, (unsigned long long)x->r->line);
    if (!x->r->text)
        snprintf(reason, sizeof(reason), "the row has no text");
    else if (x->split.list)
        snprintf(reason, sizeof(reason),
                 "no coded event with China and %s for any of the %zu counterparts named: %.480s",
                 x->cname, x->split.n, x->reasons[0] ? x->reasons : "none named");
    else
        snprintf(reason, sizeof(reason), "no coded event with China and %s: %.480s", x->cname,
                 x->reasons[0] ? x->reasons : "the coder gave none");
    struct evrow ev = {
        .ref = ref,
        .date = x->r->date,
        .precision = "day",
        .src = x->leader_id,
        .tgt = state,
        .cameo = "04",
        .goldstein = g,
        .quad = quad,
        .channel = channel ? channel : "government",
        .mode = x->visit ? "visit" : "meeting",
        .level = engage_rank_level(x->leader_rank),
        .place = x->split.place,
        .note = x->r->text,
        .line = x->r->line,
        .status = "uncoded",
        .reason = reason,
        .coder = coder,
    };
    BILAT_TRY(write_event(l, &ev));
    l->st->uncoded++;
    return 0;
}

/* Does the place ("Cambodia, Phnom Penh") start with the row's country? */
static int place_is_country(struct eload *l, struct cv_ctx *x)
{
    char first[128];
    const char *comma = strchr(x->split.place, ',');
    size_t n = comma ? (size_t)(comma - x->split.place) : strlen(x->split.place);
    snprintf(first, sizeof(first), "%.*s", (int)n, x->split.place);
    char iso[4];
    int r = country_by_name(l, first, iso);
    if (r < 0)
        return r;
    return r == 1 && strcmp(iso, x->iso3) == 0;
}

static int sink_chinavitae(void *ctx, const struct cv_row *r)
{
    struct eload *l = ctx;
    struct cv_ctx x = {.r = r};
    x.leader = cv_leader_find(r->leader);
    if (!x.leader) {
        loader_reject(&l->f, r->line,
                      "unknown leader '%.60s' (the file's leaders are Xi Jinping, Hu "
                      "Jintao, Li Keqiang, Wen Jiabao, Wang Yi, Yang Jiechi, Li Zhaoxing)",
                      r->leader);
        return 0;
    }
    int c = row_country(l, r->line, r->country, NULL, 0, x.iso3);
    if (c <= 0)
        return c;
    if (strcmp(x.iso3, "CHN") == 0) {
        loader_reject(&l->f, r->line,
                      "the country is China itself: not an engagement with another country");
        return 0;
    }
    l->st->rows++;
    BILAT_TRY(country_name(l, x.iso3, x.cname, sizeof(x.cname)));
    BILAT_TRY(actor_id(l, x.leader->code, x.leader->name, "person", &x.leader_id));
    x.leader_rank = cv_leader_rank(x.leader, r->date);
    if (r->text)
        cv_split_text(r->text, strlen(r->text), &x.split);
    if (x.split.travelled) {
        int p = place_is_country(l, &x);
        if (p < 0)
            return p;
        x.visit = p == 1;
    }
    char coder[400] = "";
    if (r->text && x.split.list) {
        for (size_t i = 0; i < x.split.n; i++)
            BILAT_TRY(cv_counterpart(l, &x, &x.split.items[i]));
        if (x.split.dropped)
            add_reason(&x, "%zu more counterparts not read", x.split.dropped);
    } else if (r->text) {
        BILAT_TRY(code_text(l, r->date, r->text, r->line));
        bool china_src = true;
        int i = fitting(&l->cl, x.iso3, &china_src);
        if (i >= 0)
            BILAT_TRY(cv_write_coded(l, &x, &l->cl.ev[i], china_src, NULL));
        else
            describe(&l->cl, coder, sizeof(coder));
        if (i < 0)
            add_reason(&x, "%s", coder[0] ? coder : "the coder gave no event");
    }
    if (x.written == 0)
        BILAT_TRY(cv_uncoded(l, &x, coder));
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* CEIAS                                                                                      */

static int sink_ceias(void *ctx, const struct ceias_row *r)
{
    struct eload *l = ctx;
    char iso3[4], code[64], cname[128];
    int c = row_country(l, r->line, r->country, NULL, 0, iso3);
    if (c <= 0)
        return c;
    if (!engage_person_code(r->name, code, 32)) {
        loader_reject(&l->f, r->line, "cannot make an actor code of the name '%.60s'", r->name);
        return 0;
    }
    l->st->rows++;
    int64_t leader, state;
    BILAT_TRY(country_name(l, iso3, cname, sizeof(cname)));
    BILAT_TRY(actor_id(l, code, r->name, "person", &leader));
    BILAT_TRY(actor_id(l, iso3, cname, "state", &state));
    double g;
    int quad;
    BILAT_TRY(cameo_values(l, "042", &g, &quad));
    char ref[64], year[8], note[400];
    snprintf(ref, sizeof(ref), "%s:%llu", l->f.base, (unsigned long long)r->line);
    snprintf(year, sizeof(year), "%d", r->year);
    snprintf(note, sizeof(note), "%s%s%s%s visits %s in %d.", r->name, r->level ? " (" : "",
             r->level ? r->level : "", r->level ? ")" : "", r->country, r->year);
    struct evrow ev = {
        .ref = ref,
        .date = year,
        .precision = "year",
        .src = leader,
        .tgt = state,
        .cameo = "042",
        .goldstein = g,
        .quad = quad,
        .channel = ceias_level_channel(r->level),
        .mode = "visit",
        .level = "leader",
        .place = r->country,
        .note = note,
        .line = r->line,
        .status = "record",
        .counterpart = r->level,
    };
    return write_event(l, &ev);
}

/* ------------------------------------------------------------------------------------------ */
/* AidData financial diplomacy                                                                */

static void bind_num(sqlite3_stmt *q, int i, bool has, double v)
{
    if (has)
        sqlite3_bind_double(q, i, v);
    else
        sqlite3_bind_null(q, i);
}

static int sink_project(void *ctx, const struct finproj_row *r)
{
    struct eload *l = ctx;
    char donor[4], recip[4];
    int c = row_country(l, r->line, r->donor, "donor", 60, donor);
    if (c <= 0)
        return c;
    c = row_country(l, r->line, r->recipient, "recipient_iso3", 20, recip);
    if (c <= 0)
        return c;
    sqlite3_stmt *q = l->ins_project;
    sqlite3_reset(q);
    store_bind_text(q, 1, r->project_id, -1);
    store_bind_text(q, 2, donor, -1);
    store_bind_text(q, 3, recip, -1);
    sqlite3_bind_int(q, 4, r->year);
    store_bind_text(q, 5, r->type, -1);
    store_bind_text(q, 6, r->category, -1);
    store_bind_text(q, 7, r->flow, -1);
    store_bind_text(q, 8, r->flow_class, -1);
    store_bind_text(q, 9, r->intent, -1);
    store_bind_text(q, 10, r->status, -1);
    store_bind_text(q, 11, r->sector, -1);
    store_bind_text(q, 12, r->title, -1);
    store_bind_text(q, 13, r->description, -1);
    bind_num(q, 14, r->has_amount, r->amount);
    store_bind_text(q, 15, r->currency, -1);
    bind_num(q, 16, r->has_current, r->usd_current);
    bind_num(q, 17, r->has_2017, r->usd_2017);
    store_bind_text(q, 18, r->funding, -1);
    store_bind_text(q, 19, l->source_id, -1);
    store_bind_text(q, 20, loader_locate(&l->f, r->line), -1);
    store_bind_text(q, 21, l->dataset, -1);
    int s = sqlite3_step(q);
    sqlite3_reset(q);
    if (s != SQLITE_DONE)
        return store_fail(l->db, l->err, s, "cannot write a finance project");
    l->st->rows++;
    if (sqlite3_changes(l->db->db) == 0) {
        l->st->rows--;
        loader_reject(&l->f, r->line,
                      "duplicate project_id '%.40s' (already read from this source)",
                      r->project_id);
        return 0;
    }
    l->st->projects++;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* UNGDC                                                                                      */

/* The seat's holder when it differs from today's state: China's seat was held by the Republic
 * of China until 25 October 1971 (GA resolution 2758); the General Debate of the 26th session
 * (September-October 1971) came before it. */
static const char *delegation_of(const char *iso3, int session)
{
    if (strcmp(iso3, "CHN") == 0 && session <= 26)
        return "Republic of China";
    return NULL;
}

static int write_terms(struct eload *l, int64_t speech, const char *norm, size_t len)
{
    size_t nv;
    const struct vocab_term *v = speech_vocab(&nv);
    for (size_t i = 0; i < nv + l->nextra; i++) {
        const char *key, *first;
        long hits;
        if (i < nv) {
            key = v[i].key;
            hits = speech_count(norm, len, v[i].variants, &first);
        } else {
            const char *vars[2] = {l->extra_var[i - nv], NULL};
            key = l->extra_key[i - nv];
            hits = speech_count(norm, len, vars, &first);
        }
        if (hits < 0)
            return bilat_fail(l->err, BILAT_ENOMEM, "out of memory");
        if (hits == 0)
            continue;
        sqlite3_stmt *q = l->ins_term;
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, speech);
        store_bind_text(q, 2, key, -1);
        sqlite3_bind_int64(q, 3, hits);
        store_bind_text(q, 4, first, -1);
        BILAT_TRY(store_step_done(l->db, q, "cannot write a speech term", l->err));
        l->st->terms++;
    }
    return 0;
}

static int sink_speech(void *ctx, const struct ungdc_row *r)
{
    struct eload *l = ctx;
    char iso[4];
    int c = row_country(l, r->line, r->iso3, "country", 3, iso); /* iso3: 3 letters (checked) */
    if (c <= 0)
        return c;
    bilat_buf_reset(&l->norm);
    size_t words = 0;
    if (speech_normalise(r->text, r->text_len, &l->norm, &words) < 0)
        return bilat_fail(l->err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *q = l->ins_speech;
    sqlite3_reset(q);
    store_bind_text(q, 1, iso, -1);
    sqlite3_bind_int(q, 2, r->year);
    sqlite3_bind_int(q, 3, r->session);
    store_bind_text(q, 4, delegation_of(iso, r->session), -1);
    sqlite3_bind_int64(q, 5, (sqlite3_int64)words);
    store_bind_text(q, 6, r->text, (int)r->text_len);
    store_bind_text(q, 7, r->sha1, -1);
    store_bind_text(q, 8, l->source_id, -1);
    store_bind_text(q, 9, loader_locate(&l->f, r->line), -1);
    store_bind_text(q, 10, l->dataset, -1);
    int s = sqlite3_step(q);
    if ((s & 0xff) == SQLITE_CONSTRAINT) {
        sqlite3_reset(q);
        loader_reject(&l->f, r->line,
                      "a second statement of %s in %d (one per country and session)", iso, r->year);
        return 0;
    }
    if (s != SQLITE_ROW) {
        sqlite3_reset(q);
        return store_fail(l->db, l->err, s, "cannot write a speech");
    }
    int64_t id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    l->st->rows++;
    l->st->speeches++;
    return write_terms(l, id, l->norm.buf, l->norm.len);
}

/* Principles of the store's concepts that the built-in vocabulary lacks, matched by their label
 * in normal form. */
static int read_extra_terms(struct eload *l)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(l->db,
                            "SELECT principle, min(label) FROM concept_principle "
                            "GROUP BY principle ORDER BY principle",
                            &st, l->err));
    l->extra_key = bilat_calloc(MAX_EXTRA_TERMS, sizeof(*l->extra_key));
    l->extra_var = bilat_calloc(MAX_EXTRA_TERMS, sizeof(*l->extra_var));
    int s, rc = l->extra_key && l->extra_var ? 0 : bilat_fail(l->err, BILAT_ENOMEM,
                                                                "out of memory");
    struct bilat_buf b = BILAT_BUF_INIT;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = (const char *)sqlite3_column_text(st, 0);
        const char *label = (const char *)sqlite3_column_text(st, 1);
        if (!key || !label || speech_vocab_find(key) || l->nextra == MAX_EXTRA_TERMS)
            continue;
        bilat_buf_reset(&b);
        if (speech_normalise(label, strlen(label), &b, NULL) < 0) {
            rc = bilat_fail(l->err, BILAT_ENOMEM, "out of memory");
            break;
        }
        /* strip the blanks around the normal form: a variant has none */
        size_t from = 0, to = b.len;
        while (from < to && b.buf[from] == ' ')
            from++;
        while (to > from && b.buf[to - 1] == ' ')
            to--;
        if (to == from || to - from >= sizeof(l->extra_var[0]))
            continue;
        snprintf(l->extra_key[l->nextra], sizeof(l->extra_key[0]), "%s", key);
        snprintf(l->extra_var[l->nextra], sizeof(l->extra_var[0]), "%.*s", (int)(to - from),
                 b.buf + from);
        l->nextra++;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(l->db, l->err, s, "cannot read concept principles");
    bilat_buf_release(&b);
    sqlite3_finalize(st);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The run                                                                                    */

static int prepare_all(struct eload *l)
{
    struct {
        sqlite3_stmt **st;
        const char *sql;
    } q[] = {
        {&l->q_actor, "SELECT id FROM actor WHERE code = ?1"},
        {&l->ins_actor, "INSERT INTO actor(code, name, kind, country, dataset) VALUES "
                        "(?1, ?2, ?3, ?4, ?5) RETURNING id"},
        {&l->q_country,
         "SELECT iso3 FROM (SELECT iso3, 0 AS k FROM country WHERE iso3 = upper(?1) OR "
         "lower(name) = lower(?1) UNION ALL SELECT iso3, 1 FROM country_alias WHERE alias = ?1) "
         "ORDER BY k LIMIT 1"},
        {&l->q_iso, "SELECT name FROM country WHERE iso3 = ?1"},
        {&l->q_cameo, "SELECT goldstein, quad FROM cameo_code WHERE code = ?1"},
        {&l->ins_event,
         "INSERT INTO event(ref, date_from, precision, src_actor_id, tgt_actor_id, cameo, "
         "goldstein, quad, channel, mode, level, place, note, source_id, locator, origin, "
         "dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
         "'imported', ?16) RETURNING id"},
        {&l->ins_import, "INSERT INTO event_import(event_id, input, line, status, reason, "
                         "counterpart, coder, pattern) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
        {&l->ins_speech, "INSERT INTO speech(actor, year, session, delegation, words, text, sha1, "
                         "source_id, locator, dataset) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                         "?9, ?10) RETURNING id"},
        {&l->ins_term, "INSERT INTO speech_term(speech_id, term, hits, variant) VALUES "
                       "(?1, ?2, ?3, ?4)"},
        {&l->ins_project,
         "INSERT INTO finance_project(project_id, donor, recipient, year, type, category, flow, "
         "flow_class, intent, status, sector, title, description, amount, currency, usd_current, "
         "usd_2017, funding_agencies, source_id, locator, dataset) VALUES (?1, ?2, ?3, ?4, ?5, "
         "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21) "
         "ON CONFLICT(project_id, source_id) DO NOTHING"},
    };
    for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
        BILAT_TRY(store_prepare(l->db, q[i].sql, q[i].st, l->err));
    return 0;
}

static void finalize_all(struct eload *l)
{
    sqlite3_stmt *all[] = {l->q_actor,  l->ins_actor,  l->q_country,  l->q_iso,
                           l->q_cameo,  l->ins_event,  l->ins_import, l->ins_speech,
                           l->ins_term, l->ins_project};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        sqlite3_finalize(all[i]);
}

/* Delete what an earlier ingest read from a file of this name. */
static int forget_file(struct eload *l)
{
    static const char *const tables[] = {"event", "speech", "finance_project"};
    char sql[200], prefix[300];
    snprintf(prefix, sizeof(prefix), "%s:", l->f.base);
    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
        sqlite3_stmt *st = NULL;
        snprintf(sql, sizeof(sql),
                 "DELETE FROM %s WHERE dataset = ?1 AND substr(locator, 1, ?3) = ?2", tables[i]);
        BILAT_TRY(store_prepare(l->db, sql, &st, l->err));
        store_bind_text(st, 1, l->dataset, -1);
        store_bind_text(st, 2, prefix, -1);
        sqlite3_bind_int(st, 3, (int)strlen(prefix));
        int rc = store_step_done(l->db, st, "cannot remove an earlier ingest", l->err);
        sqlite3_finalize(st);
        BILAT_TRY(rc);
        l->st->replaced += (uint64_t)sqlite3_changes(l->db->db);
    }
    return 0;
}

static int read_file(struct eload *l)
{
    switch (l->kind) {
    case BILAT_EVIDENCE_CHINAVITAE:
    case BILAT_EVIDENCE_CEIAS: {
        struct engage_sink s = {l, sink_chinavitae, sink_ceias, reject};
        return l->kind == BILAT_EVIDENCE_CEIAS ? engage_read_ceias(l->f.path, &s, l->err)
                                               : engage_read_chinavitae(l->f.path, &s, l->err);
    }
    case BILAT_EVIDENCE_AIDDATA_FD: {
        struct finproj_sink s = {l, sink_project, reject};
        return finproj_read(l->f.path, &s, l->err);
    }
    case BILAT_EVIDENCE_UNGDC: {
        struct ungdc_sink s = {l, sink_speech, reject};
        return ungdc_read(l->f.path, &s, l->err);
    }
    }
    return bilat_fail(l->err, BILAT_EINVAL, "unknown kind of evidence file");
}

static int check_ready(struct eload *l)
{
    int64_t n = 0;
    BILAT_TRY(store_query_int(l->db, "SELECT count(*) FROM country", NULL, &n, l->err));
    if (n == 0)
        return bilat_fail(l->err, BILAT_ENOTFOUND,
                          "the store has no country table: load data/reference first "
                          "(bilat load data/reference)");
    BILAT_TRY(store_query_int(l->db, "SELECT count(*) FROM source WHERE id = ?1", l->source_id,
                              &n, l->err));
    if (n == 0)
        return bilat_fail(l->err, BILAT_ENOTFOUND,
                          "unknown source '%s': load data/series first (its sources.tsv cites "
                          "the evidence datasets), or name a source of the store with --source",
                          l->source_id);
    return 0;
}

int bilat_evidence_ingest(bilat_db *db, enum bilat_evidence_kind kind,
                          const char *const *paths, size_t n,
                          const struct bilat_evidence_opts *opts,
                          struct bilat_evidence_stats *stats_out, struct bilat_err *err)
{
    struct bilat_evidence_stats st = {0};
    if (stats_out)
        memset(stats_out, 0, sizeof(*stats_out));
    if (!kind_ok(kind))
        return bilat_fail(err, BILAT_EINVAL, "unknown kind of evidence file");
    if (db->readonly)
        return bilat_fail(err, BILAT_EINVAL, "the store is open read-only");
    if (kind == BILAT_EVIDENCE_CHINAVITAE && (!opts || !opts->coder))
        return bilat_fail(err, BILAT_EINVAL, "chinavitae: the event coder is needed");
    for (size_t i = 0; i < n; i++)
        if (!paths[i] || access(paths[i], R_OK) != 0)
            return bilat_fail_at(err, BILAT_ENOTFOUND, paths[i], 0, "cannot open '%s': %s",
                                 paths[i] ? paths[i] : "", strerror(paths[i] ? errno : EINVAL));
    struct eload l = {.db = db, .kind = kind, .o = opts, .st = &st, .err = err};
    l.f.diag = opts ? &opts->diag : NULL;
    l.f.rejected = &st.rejected;
    l.f.rows = &st.rows;
    l.source_id = opts && opts->source_id ? opts->source_id : kinds[kind].source;
    l.dataset = kinds[kind].dataset;
    bilat_buf_init(&l.norm);
    int rc = store_begin(db, err);
    bool in_tx = rc == 0;
    if (rc == 0)
        rc = check_ready(&l);
    if (rc == 0)
        rc = prepare_all(&l);
    if (rc == 0 && kind == BILAT_EVIDENCE_UNGDC)
        rc = read_extra_terms(&l);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        loader_file_start(&l.f, paths[i]);
        rc = forget_file(&l);
        if (rc == 0)
            rc = read_file(&l);
        if (rc == 0)
            loader_file_done(&l.f, BILAT_LOG_WARNING);
        st.files++;
    }
    finalize_all(&l);
    /* the run in `dataset` (with the last file's path), so that the report's "data as of"
     * covers it */
    if (rc == 0)
        rc = store_record_dataset(db, l.dataset, n ? paths + n - 1 : paths, n ? 1 : 0, (int64_t)n,
                                  "(SELECT count(*) FROM event WHERE dataset = ?1) + "
                                  "(SELECT count(*) FROM speech WHERE dataset = ?1) + "
                                  "(SELECT count(*) FROM finance_project WHERE dataset = ?1)",
                                  err);
    if (rc == 0 && in_tx)
        rc = store_exec(db, "COMMIT", err);
    if (rc < 0 && in_tx)
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    bilat_buf_release(&l.norm);
    bilat_free(l.extra_key);
    bilat_free(l.extra_var);
    if (stats_out)
        *stats_out = st;
    return rc;
}
