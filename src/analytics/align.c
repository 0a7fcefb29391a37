/*
 * align.c: UN General Assembly alignment in the profile: the dyad's series under every
 * measure, its peers, its rank among the partner's partners and within its bloc, the votes on
 * which the two split, and the robustness panel (align.h, docs/MEASURES.md).
 *
 * One vote panel by calendar year holds every country's votes (votes.h); the dyad's tables, the
 * partner's tables with every other country, and the masked tables of the robustness panel
 * (important votes, each issue) are all popcounts over it, so the whole set costs one scan of
 * un_vote. Ranks use competition ranking (ties share the best rank) among countries with at
 * least ALIGN_MIN_N shared votes with the partner in the year.
 *
 * The headline year is the latest year with at least ALIGN_HEADLINE_N shared votes: a year that
 * holds only a few curated roll calls would give a headline in name only. The headline figure
 * is agree, the one default measure, with its bootstrap interval; the rank comes with the 95 %
 * interval of the ranks of bootstrap resamples. A seat held by another regime (Democratic
 * Kampuchea voted as "Cambodia") is named in every row and in a note.
 */
#include "analytics/align.h"

#include "analytics/headline.h"
#include "analytics/summaries.h"
#include "analytics/table.h"
#include "analytics/votes.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ALIGN_MIN_N = 10, ALIGN_HEADLINE_N = 20, N_MEAS = 5 };

static const enum bilat_vote_measure table_measures[N_MEAS] = {
    BILAT_VOTE_AGREE, BILAT_VOTE_EXACT, BILAT_VOTE_S, BILAT_VOTE_PI, BILAT_VOTE_KAPPA};

static double r6(double v)
{
    return nearbyint(v * 1e6) / 1e6;
}

static json_t *jnum(int has, double v)
{
    return has ? json_real(r6(v)) : json_null();
}

static json_t *jint(int has, long long v)
{
    return has ? json_integer(v) : json_null();
}

static int add_row(json_t *t, json_t *row)
{
    if (!row || json_array_append_new(json_object_get(t, "rows"), row))
        return BILAT_ENOMEM;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* The data every alignment section uses                                                       */

struct align {
    bilat_db *db;
    char a[4], b[4]; /* countries of the two sides */
    char a_name[128], b_name[128];
    struct vote_panel *p; /* by year, every country */
    long ia, ib;          /* the sides in the panel, -1 when they never voted */
    size_t np;
    int from, to;       /* profile years */
    char bloc[32];      /* A's bloc ("" when none) */
    long headline;      /* period of the headline year, -1 when none */
    uint64_t *mask_imp; /* important votes */
    int via_country;    /* a side is not a state: its country's votes are shown */
    struct member {
        char iso3[4];
        long c;     /* its country in the panel, or -1 */
        int y0, y1; /* years of membership */
    } * members;    /* A's bloc */
    size_t nmembers;
    struct ideal_year {
        bool has;
        double d;  /* distance of the two countries' ideal points */
        int64_t n; /* the fewer of their votes, -1 when unknown */
    } * ideal;     /* [np], by period, read once */
    struct seat_rows seats_a, seats_b; /* earlier holders of the two seats, read once */
    char *splits; /* JSON array of the rcids of the splits in the profile's years */
    struct align_cached {
        bool have;               /* the store's summary gave this year's intervals */
        double lo, hi;           /* agree's interval (NAN: none) */
        int rank_lo, rank_hi;    /* the rank's among B's partners (0: none) */
        int bloc_lo, bloc_hi;    /* within A's bloc (0: none) */
    } * cached;                  /* [np] or NULL */
    json_t *sources;             /* the summary's roll calls by source (sources_rows()), or NULL */
};

static void align_release(struct align *al)
{
    json_decref(al->sources);
    vote_panel_free(al->p);
    bilat_free(al->mask_imp);
    bilat_free(al->members);
    bilat_free(al->ideal);
    bilat_free(al->splits);
    bilat_free(al->cached);
}

static int name_of(bilat_db *db, const char *iso3, char *out, size_t len, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db, "SELECT name FROM country WHERE iso3 = ?1", &st, err));
    store_bind_text(st, 1, iso3, -1);
    int s = sqlite3_step(st);
    snprintf(out, len, "%s", s == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : iso3);
    sqlite3_finalize(st);
    return 0;
}

/* Whether iso3 belongs to A's bloc in a year (membership by year of admission). */
static int in_bloc(const struct align *al, const char *iso3, int year)
{
    for (size_t i = 0; i < al->nmembers; i++)
        if (strcmp(al->members[i].iso3, iso3) == 0 && al->members[i].y0 <= year &&
            year <= al->members[i].y1)
            return 1;
    return 0;
}

/* The same for the panel's country c, by its index: the loops over every country. */
static int in_bloc_c(const struct align *al, size_t c, int year)
{
    for (size_t i = 0; i < al->nmembers; i++)
        if (al->members[i].c == (long)c && al->members[i].y0 <= year && year <= al->members[i].y1)
            return 1;
    return 0;
}

static int load_bloc(struct align *al, struct bilat_err *err)
{
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(al->db,
                            "SELECT iso3, coalesce(CAST(substr(date_from, 1, 4) AS INTEGER), 0), "
                            "CASE WHEN date_to IS NULL OR date_to = '' THEN 9999 ELSE "
                            "CAST(substr(date_to, 1, 4) AS INTEGER) END FROM bloc WHERE bloc = ?1",
                            &st, err));
    store_bind_text(st, 1, al->bloc, -1);
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        struct member *nm = bilat_realloc_array(al->members, al->nmembers + 1, sizeof(*nm));
        if (!nm) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        al->members = nm;
        struct member *m = &al->members[al->nmembers++];
        snprintf(m->iso3, sizeof(m->iso3), "%s", (const char *)sqlite3_column_text(st, 0));
        m->c = -1; /* found in the panel once it is read (align_open) */
        m->y0 = sqlite3_column_int(st, 1);
        m->y1 = sqlite3_column_int(st, 2);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(al->db, err, s, "cannot read blocs");
    sqlite3_finalize(st);
    return rc;
}

/* Value of measure m between countries x and y in period k under mask; 1 when defined. */
static int value_in(const struct align *al, size_t x, size_t y, size_t k, const uint64_t *mask,
                    enum bilat_vote_measure m, double *v, uint64_t *n)
{
    struct vote_table t = {{{0}}};
    vote_panel_add_table(al->p, x, y, k, mask, &t);
    *n = vote_table_n(&t);
    const char *why;
    return vote_measure_value(&t, m, v, &why);
}

/*
 * Rank of A among B's partners in period k (periods k0..k1 pooled) for measure m under mask:
 * competition rank among countries with at least ALIGN_MIN_N shared votes with B and a value.
 * `bloc_only` restricts the field to A's bloc as of `year`. Returns 1 with rank/of set, 0 when
 * A is not ranked.
 */
static int rank_in(const struct align *al, size_t k0, size_t k1, const uint64_t *mask,
                   enum bilat_vote_measure m, int bloc_only, int year, int *rank, int *of,
                   struct bilat_err *err, int *rc)
{
    *rank = *of = 0;
    *rc = 0;
    if (al->ia < 0 || al->ib < 0)
        return 0;
    double va = 0;
    int have_a = 0;
    int better = 0, ranked = 0;
    size_t nc = vote_panel_ncountries(al->p);
    double *vals = bilat_calloc(nc ? nc : 1, sizeof(double));
    char *ok = bilat_calloc(nc ? nc : 1, 1);
    if (!vals || !ok) {
        bilat_free(vals);
        bilat_free(ok);
        *rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        return 0;
    }
    for (size_t c = 0; c < nc; c++) {
        if ((long)c == al->ib)
            continue;
        if (bloc_only && !in_bloc_c(al, c, year))
            continue;
        struct vote_table t = {{{0}}};
        for (size_t k = k0; k <= k1; k++)
            vote_panel_add_table(al->p, c, (size_t)al->ib, k, mask, &t);
        const char *why;
        if (vote_table_n(&t) < ALIGN_MIN_N || !vote_measure_value(&t, m, &vals[c], &why))
            continue;
        ok[c] = 1;
        ranked++;
        if ((long)c == al->ia) {
            have_a = 1;
            va = vals[c];
        }
    }
    for (size_t c = 0; *rc == 0 && have_a && c < nc; c++)
        if (ok[c] && (vote_measure_higher_is_closer(m) ? vals[c] > va : vals[c] < va))
            better++;
    bilat_free(vals);
    bilat_free(ok);
    if (*rc < 0 || !have_a)
        return 0;
    *rank = better + 1;
    *of = ranked;
    return 1;
}

/* Median of B's agreement with the countries passing `keep` in period k (A excluded). */
static int peers_median(const struct align *al, size_t k, int bloc_only, int year, double *med,
                        int *count, struct bilat_err *err)
{
    size_t nc = vote_panel_ncountries(al->p);
    double *v = bilat_alloc_array(nc ? nc : 1, sizeof(double));
    if (!v)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int n = 0, rc = 0;
    for (size_t c = 0; c < nc; c++) {
        if ((long)c == al->ib || (long)c == al->ia)
            continue;
        if (bloc_only && !in_bloc_c(al, c, year))
            continue;
        double x;
        uint64_t nn;
        if (value_in(al, c, (size_t)al->ib, k, NULL, BILAT_VOTE_AGREE, &x, &nn) &&
            nn >= ALIGN_MIN_N)
            v[n++] = x;
    }
    *count = n;
    if (rc == 0 && n) {
        for (int i = 1; i < n; i++)
            for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
                double tmp = v[j];
                v[j] = v[j - 1];
                v[j - 1] = tmp;
            }
        *med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    bilat_free(v);
    return rc;
}

/* Ideal-point distance of the dyad in a year (idealpointall); 1 when both have one. */
/* The distance of the two countries' ideal points in each year of the panel, read at once. */
static int load_ideal(struct align *al, struct bilat_err *err)
{
    al->ideal = bilat_calloc(al->np + 1, sizeof(*al->ideal));
    if (!al->ideal)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(al->db,
                            "SELECT x.year, abs(x.value - y.value), min(x.nvotes, y.nvotes) FROM "
                            "ideal_point x JOIN ideal_point y ON y.year = x.year AND "
                            "y.country = ?2 WHERE x.country = ?1 AND x.value IS NOT NULL AND "
                            "y.value IS NOT NULL",
                            &st, err));
    store_bind_text(st, 1, al->a, -1);
    store_bind_text(st, 2, al->b, -1);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        long k = vote_panel_find_period(al->p, sqlite3_column_int(st, 0));
        if (k < 0)
            continue;
        struct ideal_year *y = &al->ideal[k];
        y->has = true;
        y->d = sqlite3_column_double(st, 1);
        y->n = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
    }
    int rc = s == SQLITE_DONE ? 0 : store_fail(al->db, err, s, "cannot read ideal points");
    sqlite3_finalize(st);
    return rc;
}

/* The ideal-point distance of the two countries in period k (0 when the source has none). */
static int ideal_distance(const struct align *al, size_t k, double *d, int64_t *n)
{
    const struct ideal_year *y = &al->ideal[k];
    if (!y->has)
        return 0;
    *d = y->d;
    *n = y->n;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Sections                                                                                    */

static int not_applicable(json_t *sections, const char *why, struct bilat_err *err)
{
    static const struct tcol cols[] = {{"note", "Note", TCOL_TEXT}};
    json_t *t = table_new("alignment_series", "UN General Assembly alignment", NULL, cols, 1);
    int rc = !t || add_row(t, json_pack("[s]", why)) < 0 ? BILAT_ENOMEM : 0;
    return table_append_take(sections, t, rc, err);
}

/* The 95 % bootstrap interval of the dyad's agree over periods [k0, k1]. */
static int agree_interval(const struct align *al, size_t k0, size_t k1, struct vote_boot_out *out,
                          struct bilat_err *err)
{
    out->lo = out->hi = NAN;
    if (al->ia < 0 || al->ib < 0)
        return 0;
    if (k0 == k1 && al->cached && al->cached[k0].have) {
        out->lo = al->cached[k0].lo;
        out->hi = al->cached[k0].hi;
        return 0;
    }
    size_t nc = 0;
    for (size_t k = k0; k <= k1; k++)
        nc += vote_panel_ncalls(al->p, k);
    uint32_t *pos = bilat_alloc_array(nc ? nc : 1, sizeof(*pos));
    if (!pos)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    size_t n = vote_panel_positions(al->p, k0, k1, NULL, pos), other = (size_t)al->ib;
    struct vote_boot_opts o = {BILAT_VOTE_CI_REPS, BILAT_VOTE_CI_SEED, 0.95, false, 0};
    int rc = vote_panel_bootstrap(al->p, BILAT_VOTE_AGREE, (size_t)al->ia, &other, 1, pos, n, &o,
                                  out) < 0
                 ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
                 : 0;
    bilat_free(pos);
    return rc;
}

/* The 95 % bootstrap interval of A's rank among B's partners in period k (agree; the partners
 * with at least ALIGN_MIN_N shared votes; within A's bloc when bloc_only). */
static int rank_interval(const struct align *al, size_t k, int bloc_only, int year, int *lo,
                         int *hi, struct bilat_err *err)
{
    *lo = *hi = 0;
    if (al->cached && al->cached[k].have) {
        *lo = bloc_only ? al->cached[k].bloc_lo : al->cached[k].rank_lo;
        *hi = bloc_only ? al->cached[k].bloc_hi : al->cached[k].rank_hi;
        return 0;
    }
    size_t nc = vote_panel_ncountries(al->p), np = 0;
    size_t *others = bilat_alloc_array(nc ? nc : 1, sizeof(size_t));
    uint32_t *pos = bilat_alloc_array(vote_panel_ncalls(al->p, k) + 1, sizeof(uint32_t));
    struct vote_boot_out *out = bilat_calloc(nc ? nc : 1, sizeof(*out));
    int rc = others && pos && out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    size_t self = 0;
    for (size_t c = 0; rc == 0 && c < nc; c++) {
        if ((long)c == al->ib)
            continue;
        if (bloc_only && !in_bloc_c(al, c, year))
            continue;
        struct vote_table t = {{{0}}};
        vote_panel_add_table(al->p, c, (size_t)al->ib, k, NULL, &t);
        if (vote_table_n(&t) < ALIGN_MIN_N)
            continue;
        if ((long)c == al->ia)
            self = np;
        others[np++] = c;
    }
    if (rc == 0 && np > 1 && al->ia >= 0) {
        size_t n = vote_panel_positions(al->p, k, k, NULL, pos);
        struct vote_boot_opts o = {BILAT_VOTE_CI_REPS, BILAT_VOTE_CI_SEED, 0.95, true,
                                   self + 1};
        /* the pairs are (B, partner): every partner measured against the same B */
        if (vote_panel_bootstrap(al->p, BILAT_VOTE_AGREE, (size_t)al->ib, others, np, pos, n, &o,
                                 out) < 0)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        else if (others[self] == (size_t)al->ia) {
            *lo = out[self].rank_lo;
            *hi = out[self].rank_hi;
        }
    }
    bilat_free(others);
    bilat_free(pos);
    bilat_free(out);
    return rc;
}

/* Who held either side's seat over [from, to] when it was not the state of today ("" if no one). */
static int seat_of(const struct align *al, int from, int to, char *out, size_t len,
                   struct bilat_err *err)
{
    (void)err;
    char sa[200], sb[200];
    votes_seat_text(&al->seats_a, from, to, sa, sizeof(sa));
    votes_seat_text(&al->seats_b, from, to, sb, sizeof(sb));
    snprintf(out, len, "%s%s%s%s%s%s%s", sa[0] ? al->a : "", sa[0] ? ": " : "", sa,
             sa[0] && sb[0] ? "; " : "", sb[0] ? al->b : "", sb[0] ? ": " : "", sb);
    return 0;
}

/* A note naming who held each side's seat before the state of today, when the series has such
 * years: their votes are shown, but they are not the votes of the state the profile is about. */
static int seat_note(const struct align *al, json_t *t, struct bilat_err *err)
{
    for (int side = 0; side < 2; side++) {
        const char *c = side ? al->b : al->a, *name = side ? al->b_name : al->a_name;
        char held[400];
        int since = 0;
        BILAT_TRY(bilat_votes_seat(al->db, c, al->from, al->to, held, sizeof(held), err));
        BILAT_TRY(bilat_votes_seat_since(al->db, c, &since, err));
        if (!held[0])
            continue;
        char note[1000];
        snprintf(note, sizeof(note),
                 "%s's UN seat was held by other regimes before the state of today (from %d): %s. "
                 "Their votes are shown as the seat's, but they are not the votes of the state "
                 "this profile is about; the claims start in %d (un_seat, data/reference/"
                 "un_seats.tsv).",
                 name, since, held, since);
        if (table_note(t, note) < 0)
            return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    return 0;
}

/*
 * The rows of statement `st` (prepared and bound; finalized here) as a JSON array of arrays:
 * integers, reals, texts and nulls as SQLite gives them.
 */
static int rows_json(bilat_db *db, sqlite3_stmt *st, json_t **out, struct bilat_err *err)
{
    *out = NULL;
    json_t *rows = json_array();
    int s = SQLITE_DONE, rc = rows ? 0 : BILAT_ENOMEM;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *row = json_array();
        for (int i = 0; row && i < sqlite3_column_count(st); i++) {
            int t = sqlite3_column_type(st, i);
            json_t *v = t == SQLITE_INTEGER ? json_integer(sqlite3_column_int64(st, i))
                        : t == SQLITE_FLOAT ? json_real(sqlite3_column_double(st, i))
                        : t == SQLITE_NULL  ? json_null()
                                            : json_string((const char *)sqlite3_column_text(st, i));
            if (json_array_append_new(row, v) < 0) {
                json_decref(row);
                row = NULL;
            }
        }
        if (json_array_append_new(rows, row) < 0)
            rc = BILAT_ENOMEM;
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read roll calls");
    sqlite3_finalize(st);
    if (rc < 0) {
        json_decref(rows);
        return rc == BILAT_ENOMEM ? bilat_fail(err, rc, "out of memory") : rc;
    }
    *out = rows;
    return 0;
}

/*
 * The roll calls by source, as a JSON array of [source, first year, last year, count] in the
 * order of their first date: a fact of the whole store, kept in the alignment's summary.
 */
static int sources_rows(bilat_db *db, json_t **out, struct bilat_err *err)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT source_id, min(substr(date, 1, 4)), max(substr(date, 1, 4)), "
                            "count(*) FROM un_call WHERE source_id IS NOT NULL GROUP BY source_id "
                            "ORDER BY min(date)",
                            &st, err));
    return rows_json(db, st, out, err);
}

/*
 * The roll calls on which both countries voted, by year and source, as a JSON array of
 * [year, source, count, first date, last date] (the year of the date, as a period filter reads
 * it): what the coverage section needs for any period, kept in the alignment's summary.
 */
static int calls_rows(bilat_db *db, const char *a, const char *b, json_t **out,
                      struct bilat_err *err)
{
    *out = NULL;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT CAST(substr(u.date, 1, 4) AS INTEGER) AS y, u.source_id, "
                            "count(*), min(u.date), max(u.date) FROM un_call u WHERE u.rcid IN "
                            "(SELECT rcid FROM un_vote WHERE country = ?1) AND u.rcid IN (SELECT "
                            "rcid FROM un_vote WHERE country = ?2) AND y IS NOT NULL GROUP BY y, "
                            "u.source_id ORDER BY y, u.source_id",
                            &st, err));
    store_bind_text(st, 1, a, -1);
    store_bind_text(st, 2, b, -1);
    return rows_json(db, st, out, err);
}

int align_calls_json(bilat_db *db, const char *a, const char *b, char **json_out,
                     struct bilat_err *err)
{
    *json_out = NULL;
    char key[200];
    json_t *doc = NULL, *rows = NULL;
    BILAT_TRY(align_summary_key(db, key, sizeof(key), err));
    if (key[0])
        BILAT_TRY(dyad_summary_get(db, a, b, "align", key, 0, &doc, err));
    rows = json_incref(json_object_get(doc, "calls"));
    json_decref(doc);
    if (!json_is_array(rows)) {
        json_decref(rows);
        BILAT_TRY(calls_rows(db, a, b, &rows, err));
    }
    *json_out = json_dumps(rows, JSON_COMPACT);
    json_decref(rows);
    return *json_out ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

/* Which vote sources the series rests on, and the years each covers. */
static int sources_note(const struct align *al, json_t *t, struct bilat_err *err)
{
    json_t *rows = al->sources ? json_incref(al->sources) : NULL;
    if (!rows)
        BILAT_TRY(sources_rows(al->db, &rows, err));
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = bilat_buf_adds(&b, "Years with no shared vote are left out (bilat votes lists "
                                "every year with its reason). Roll calls by source: ");
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r)
    {
        if (rc < 0)
            break;
        const char *src = json_string_value(json_array_get(r, 0)),
                   *y0 = json_string_value(json_array_get(r, 1)),
                   *y1 = json_string_value(json_array_get(r, 2));
        rc = bilat_buf_addf(&b, "%s%s %s-%s (%lld)", i ? ", " : "", src ? src : "",
                            y0 ? y0 : "?", y1 ? y1 : "?",
                            (long long)json_integer_value(json_array_get(r, 3)));
    }
    json_decref(rows);
    if (rc == 0 && bilat_buf_adds(&b, "; a roll call found in two sources is counted once.") < 0)
        rc = BILAT_ENOMEM;
    if (rc == 0 && table_note(t, b.buf) < 0)
        rc = BILAT_ENOMEM;
    bilat_buf_release(&b);
    return rc < 0 ? bilat_fail(err, BILAT_ENOMEM, "out of memory") : rc;
}

static int sec_series(struct align *al, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},
        {"roll_calls", "Roll calls", TCOL_INT},
        {"n", "Shared votes", TCOL_INT},
        {"coverage", "Coverage", TCOL_NUM},
        {"agree", "agree", TCOL_NUM},
        {"exact", "exact", TCOL_NUM},
        {"s", "S", TCOL_NUM},
        {"pi", "pi", TCOL_NUM},
        {"kappa", "kappa", TCOL_NUM},
        {"ideal", "Ideal-point distance", TCOL_NUM},
        {"agree_lo", "agree, 95 % from", TCOL_NUM},
        {"agree_hi", "agree, 95 % to", TCOL_NUM},
        {"seat", "Seat held by", TCOL_TEXT},
    };
    char desc[1024];
    snprintf(desc, sizeof(desc),
             "%s and %s in the UN General Assembly, by calendar year: every measure on the same "
             "votes. Shared votes: roll calls on which both voted yes, no or abstain (absences "
             "and non-voting never count); coverage: shared votes / roll calls in the store that "
             "year. The default measure is agree (Voeten: the same vote 1, an abstention against "
             "a vote 0.5), with its 95 %% bootstrap interval over the year's roll calls.",
             al->a_name, al->b_name);
    json_t *t = table_new("alignment_series", "UN General Assembly alignment", desc, cols,
                          sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < al->np; k++) {
        int year = vote_panel_label(al->p, k);
        if (year < al->from || year > al->to)
            continue;
        struct vote_table tb = {{{0}}};
        if (al->ia >= 0 && al->ib >= 0)
            vote_panel_add_table(al->p, (size_t)al->ia, (size_t)al->ib, k, NULL, &tb);
        uint64_t n = vote_table_n(&tb);
        if (n == 0)
            continue;
        size_t calls = vote_panel_ncalls(al->p, k);
        json_t *row = json_array();
        rc = row ? 0 : BILAT_ENOMEM;
        if (rc == 0)
            rc = json_array_append_new(row, json_integer(year)) ||
                         json_array_append_new(row, json_integer((long long)calls)) ||
                         json_array_append_new(row, json_integer((long long)n)) ||
                         json_array_append_new(row, jnum(1, (double)n / (double)calls))
                     ? BILAT_ENOMEM
                     : 0;
        for (int m = 0; rc == 0 && m < N_MEAS; m++) {
            double v;
            const char *why;
            int has = vote_measure_value(&tb, table_measures[m], &v, &why);
            if (json_array_append_new(row, jnum(has, v)))
                rc = BILAT_ENOMEM;
        }
        double d = 0;
        int64_t dn = 0;
        int has_d = rc == 0 ? ideal_distance(al, k, &d, &dn) : 0;
        if (rc == 0 && json_array_append_new(row, jnum(has_d, d)))
            rc = BILAT_ENOMEM;
        struct vote_boot_out ci = {NAN, NAN, 0, 0, 0};
        if (rc == 0)
            rc = agree_interval(al, k, k, &ci, err);
        char seat[480] = "";
        if (rc == 0)
            rc = seat_of(al, year, year, seat, sizeof(seat), err);
        if (rc == 0 && (json_array_append_new(row, jnum(!isnan(ci.lo), ci.lo)) ||
                        json_array_append_new(row, jnum(!isnan(ci.hi), ci.hi)) ||
                        json_array_append_new(row, seat[0] ? json_string(seat) : json_null())))
            rc = BILAT_ENOMEM;
        if (rc == 0)
            rc = add_row(t, row);
        else
            json_decref(row);
    }
    if (rc == 0)
        rc = seat_note(al, t, err);
    if (rc == 0)
        rc = table_note(t, "S = 2 agree - 1 exactly (d_max fixed at 2): S never ranks or trends "
                           "differently from agree. pi and kappa correct S for the agreement two "
                           "countries would reach by chance given how often they vote yes, no "
                           "and abstain; they are empty when both cast one and the same vote on "
                           "every shared roll call.");
    if (rc == 0 && al->via_country) {
        char note[200];
        snprintf(note, sizeof(note),
                 "UN votes are cast by states: the votes shown are those of %s and %s, the "
                 "countries of the two sides.",
                 al->a, al->b);
        rc = table_note(t, note);
    }
    if (rc == 0)
        rc = sources_note(al, t, err);
    if (rc == 0 && al->headline >= 0) {
        size_t k = (size_t)al->headline;
        int year = vote_panel_label(al->p, k);
        struct vote_table tb = {{{0}}};
        vote_panel_add_table(al->p, (size_t)al->ia, (size_t)al->ib, k, NULL, &tb);
        uint64_t n = vote_table_n(&tb);
        char period[16], cov[64], basis[160];
        snprintf(period, sizeof(period), "%d", year);
        snprintf(cov, sizeof(cov), "%llu of %zu roll calls", (unsigned long long)n,
                 vote_panel_ncalls(al->p, k));
        /* one default measure, agree, with its interval; the others are in the robustness
         * panel */
        double v;
        const char *why;
        int has = vote_measure_value(&tb, BILAT_VOTE_AGREE, &v, &why);
        struct vote_boot_out ci = {NAN, NAN, 0, 0, 0};
        rc = agree_interval(al, k, k, &ci, err);
        char robust[200];
        if (!isnan(ci.lo))
            snprintf(robust, sizeof(robust),
                     "95 %% interval %.3f to %.3f (bootstrap over the year's roll calls); other "
                     "measures: see 'Robustness of the alignment figures'",
                     ci.lo, ci.hi);
        else
            snprintf(robust, sizeof(robust), "see 'Robustness of the alignment figures'");
        snprintf(basis, sizeof(basis), "bilat votes %s %s --ci 0.95 --from %d --to %d", al->a,
                 al->b, year, year);
        if (rc == 0)
            rc = headline_add(t, "UN vote alignment (agree)", period, has, v, (long long)n, cov,
                              robust, basis);
    }
    return table_append_take(sections, t, rc, err);
}

static int sec_peers(struct align *al, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {{"series", "Series", TCOL_TEXT},
                                       {"year", "Year", TCOL_YEAR},
                                       {"countries", "Countries", TCOL_INT},
                                       {"agree", "agree", TCOL_NUM}};
    char desc[1024];
    snprintf(desc, sizeof(desc),
             "%s's agreement (agree) with %s each year, beside the median of %s's agreement with "
             "%s%s%s and with all its other partners (countries with at least %d shared votes).",
             al->b_name, al->a_name, al->b_name, al->bloc[0] ? "the other members of " : "",
             al->bloc[0] ? al->bloc : "", al->bloc[0] ? "" : "", ALIGN_MIN_N);
    json_t *t = table_new("alignment_peers", "Alignment beside the partner's other partners", desc,
                          cols, 4);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    char ytitle[160];
    snprintf(ytitle, sizeof(ytitle), "Agreement with %s (agree, 0 to 1)", al->b_name);
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:f, s:s}", "type",
                              "multi_lines", "x", "year", "y", "agree", "series", "series", "title",
                              "Agreement with the partner, and its other partners' median",
                              "y_title", ytitle, "scale", "data", "y_max", 1.0, "caption",
                              "Measure: agree (Voeten): the same vote 1, an abstention against a "
                              "vote 0.5, yes against no 0; scaled to the data's range.");
    int rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    /* a mark where the seats' holders of today took them: earlier votes are another regime's */
    int ya = 0, yb = 0;
    if (rc == 0)
        rc = bilat_votes_seat_since(al->db, al->a, &ya, err);
    if (rc == 0)
        rc = bilat_votes_seat_since(al->db, al->b, &yb, err);
    if (rc == 0 && (ya || yb)) {
        char lab[160];
        int y = ya > yb ? ya : yb;
        snprintf(lab, sizeof(lab), "%d: %s's seat held by the state of today", y,
                 ya >= yb ? al->a : al->b);
        json_t *marks = json_pack("[{s:i, s:s}]", "x", y, "label", lab);
        if (!marks || json_object_set_new(chart, "marks", marks))
            rc = BILAT_ENOMEM;
    }
    char s_dyad[64], s_bloc[64], s_all[64];
    snprintf(s_dyad, sizeof(s_dyad), "%s with %s", al->a, al->b);
    snprintf(s_bloc, sizeof(s_bloc), "%s median with %s", al->bloc, al->b);
    snprintf(s_all, sizeof(s_all), "all-countries median with %s", al->b);
    for (int series = 0; rc == 0 && series < 3; series++) {
        if (series == 1 && !al->bloc[0])
            continue;
        for (size_t k = 0; rc == 0 && k < al->np; k++) {
            int year = vote_panel_label(al->p, k);
            if (year < al->from || year > al->to)
                continue;
            double v = 0;
            int count = 0, has = 0;
            if (series == 0) {
                uint64_t n = 0;
                has = al->ia >= 0 && al->ib >= 0 &&
                      value_in(al, (size_t)al->ia, (size_t)al->ib, k, NULL, BILAT_VOTE_AGREE, &v,
                               &n) &&
                      n >= ALIGN_MIN_N;
                count = has ? 1 : 0;
            } else if (al->ib >= 0) {
                rc = peers_median(al, k, series == 1, year, &v, &count, err);
                has = count > 0;
            }
            if (rc < 0 || !has)
                continue;
            rc = add_row(t, json_pack("[s, i, i, o]",
                                      series == 0   ? s_dyad
                                      : series == 1 ? s_bloc
                                                    : s_all,
                                      year, count, jnum(1, v)));
        }
    }
    if (rc == 0)
        rc = table_note(t, "The dyad's own line keeps only years with at least 10 shared votes.");
    return table_append_take(sections, t, rc, err);
}

/*
 * How a rank under agree compares with the rank under kappa: a move of more than a twentieth of
 * the field (and of more than one place) is called a dependence on the measure.
 */
static int rank_moves(int r1, int r2, int of)
{
    int d = r1 > r2 ? r1 - r2 : r2 - r1, tol = of / 20;
    return d > (tol > 1 ? tol : 1);
}

static void rank_robust(char *out, size_t len, int has_k, int ra, int rk, int of)
{
    if (!has_k)
        snprintf(out, len, "no kappa rank (kappa undefined)");
    else if (rk == ra)
        snprintf(out, len, "same rank under kappa");
    else if (rank_moves(ra, rk, of))
        snprintf(out, len, "rank %d under kappa: depends on the measure", rk);
    else
        snprintf(out, len, "rank %d under kappa: close", rk);
}

static int sec_rank(struct align *al, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"year", "Year", TCOL_YEAR},
        {"n", "Shared votes", TCOL_INT},
        {"agree", "agree", TCOL_NUM},
        {"rank_agree", "Rank (agree)", TCOL_INT},
        {"kappa", "kappa", TCOL_NUM},
        {"rank_kappa", "Rank (kappa)", TCOL_INT},
        {"ranked", "Countries ranked", TCOL_INT},
        {"bloc_rank_agree", "Rank in bloc (agree)", TCOL_INT},
        {"bloc_rank_kappa", "Rank in bloc (kappa)", TCOL_INT},
        {"bloc_ranked", "Bloc members ranked", TCOL_INT},
    };
    char desc[1024];
    snprintf(desc, sizeof(desc),
             "Where %s stands among all of %s's partners each year (1 = most aligned with %s; "
             "ties share the best rank; countries with at least %d shared votes with %s), and "
             "among the members of %s as of that year.",
             al->a_name, al->b_name, al->b_name, ALIGN_MIN_N, al->b_name,
             al->bloc[0] ? al->bloc : "its bloc (none in the store)");
    json_t *t = table_new("alignment_rank", "Rank among the partner's partners", desc, cols, 10);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < al->np; k++) {
        int year = vote_panel_label(al->p, k);
        if (year < al->from || year > al->to || al->ia < 0 || al->ib < 0)
            continue;
        double va = 0, vk = 0;
        uint64_t n = 0;
        int has_a =
            value_in(al, (size_t)al->ia, (size_t)al->ib, k, NULL, BILAT_VOTE_AGREE, &va, &n);
        int has_k =
            value_in(al, (size_t)al->ia, (size_t)al->ib, k, NULL, BILAT_VOTE_KAPPA, &vk, &n);
        if (n < ALIGN_MIN_N)
            continue;
        int ra, oa, rk, ok, ba = 0, boa = 0, bk = 0, bok = 0, r1, r2, r3 = 0, r4 = 0;
        r1 = rank_in(al, k, k, NULL, BILAT_VOTE_AGREE, 0, year, &ra, &oa, err, &rc);
        if (rc == 0)
            r2 = rank_in(al, k, k, NULL, BILAT_VOTE_KAPPA, 0, year, &rk, &ok, err, &rc);
        else
            r2 = 0;
        if (rc == 0 && al->bloc[0]) {
            if (in_bloc(al, al->a, year)) {
                r3 = rank_in(al, k, k, NULL, BILAT_VOTE_AGREE, 1, year, &ba, &boa, err, &rc);
                if (rc == 0)
                    r4 = rank_in(al, k, k, NULL, BILAT_VOTE_KAPPA, 1, year, &bk, &bok, err, &rc);
            }
        }
        if (rc < 0)
            break;
        rc = add_row(t, json_pack("[i, I, o, o, o, o, o, o, o, o]", year, (json_int_t)n,
                                  jnum(has_a, va), jint(r1, ra), jnum(has_k, vk), jint(r2, rk),
                                  jint(r1, oa), jint(r3, ba), jint(r4, bk),
                                  jint(r3 || r4, r3 ? boa : bok)));
    }
    if (rc == 0 && al->headline >= 0) {
        size_t k = (size_t)al->headline;
        int year = vote_panel_label(al->p, k), ra, oa, rk, ok;
        char period[16], cov[96], basis[200], robust[160];
        snprintf(period, sizeof(period), "%d", year);
        int r1 = rank_in(al, k, k, NULL, BILAT_VOTE_AGREE, 0, year, &ra, &oa, err, &rc);
        int r2 =
            rc == 0 ? rank_in(al, k, k, NULL, BILAT_VOTE_KAPPA, 0, year, &rk, &ok, err, &rc) : 0;
        if (rc == 0 && r1) {
            char fig[160], kap[120];
            int lo = 0, hi = 0;
            rc = rank_interval(al, k, 0, year, &lo, &hi, err);
            snprintf(fig, sizeof(fig), "Rank of %s among %s's partners (agree)", al->a, al->b);
            snprintf(cov, sizeof(cov), "%d countries with %d+ shared votes", oa, ALIGN_MIN_N);
            rank_robust(kap, sizeof(kap), r2, ra, rk, oa);
            if (lo > 0)
                snprintf(robust, sizeof(robust), "95 %% %d to %d (bootstrap); %s", lo, hi, kap);
            else
                snprintf(robust, sizeof(robust), "%s", kap);
            snprintf(basis, sizeof(basis),
                     "bilat votes %s --rank --period %d --measure agree --ci 0.95", al->b, year);
            if (rc == 0)
                rc = headline_add(t, fig, period, 1, ra, oa, cov, robust, basis);
            if (rc == 0 && lo > 0) {
                char note[600];
                snprintf(note, sizeof(note),
                         "In %d %s ranks %d of %d among %s's partners under agree, 95 %% %d to %d "
                         "(the ranks of 1000 bootstrap resamples of the year's roll calls, every "
                         "partner measured on the same resample).",
                         year, al->a_name, ra, oa, al->b_name, lo, hi);
                rc = table_note(t, note);
            }
        }
        if (rc == 0 && al->bloc[0] && in_bloc(al, al->a, year)) {
            int ba, boa, bk, bok;
            int r3 = rank_in(al, k, k, NULL, BILAT_VOTE_AGREE, 1, year, &ba, &boa, err, &rc);
            int r4 = rc == 0
                         ? rank_in(al, k, k, NULL, BILAT_VOTE_KAPPA, 1, year, &bk, &bok, err, &rc)
                         : 0;
            if (rc == 0 && r3) {
                char fig[160], kap[120];
                int lo = 0, hi = 0;
                rc = rank_interval(al, k, 1, year, &lo, &hi, err);
                snprintf(fig, sizeof(fig), "Rank of %s in %s by alignment with %s (agree)", al->a,
                         al->bloc, al->b);
                snprintf(cov, sizeof(cov), "%d members ranked", boa);
                rank_robust(kap, sizeof(kap), r4, ba, bk, boa);
                if (lo > 0)
                    snprintf(robust, sizeof(robust), "95 %% %d to %d (bootstrap); %s", lo, hi, kap);
                else
                    snprintf(robust, sizeof(robust), "%s", kap);
                snprintf(basis, sizeof(basis),
                         "bilat votes %s --rank --period %d --bloc %s --measure agree --ci 0.95",
                         al->b, year, al->bloc);
                if (rc == 0)
                    rc = headline_add(t, fig, period, 1, ba, boa, cov, robust, basis);
            }
        }
    }
    return table_append_take(sections, t, rc, err);
}

/* The splits' rows: the roll calls of :splits (a JSON array of rcids, the panel's splits of the
 * two sides), each checked again against the tables. */
#define SPLIT_SELECT                                                                               \
    "SELECT c.date, c.resolution, c.title, va.vote, vb.vote, c.important, "                        \
    "coalesce((SELECT group_concat(code, ',') FROM (SELECT code FROM un_issue i "                  \
    "WHERE i.rcid = c.rcid ORDER BY code)), ''), c.source_id, c.locator "                          \
    "FROM json_each(:splits) j CROSS JOIN un_call c ON c.rcid = j.value "                          \
    "JOIN un_vote va ON va.rcid = c.rcid AND va.country = :a "                                     \
    "JOIN un_vote vb ON vb.rcid = c.rcid AND vb.country = :b "                                     \
    "WHERE va.vote IN ('yes', 'no', 'abstain') AND vb.vote IN ('yes', 'no', 'abstain') "           \
    "AND va.vote <> vb.vote AND CAST(substr(c.date, 1, 4) AS INTEGER) BETWEEN :from AND :to "

static int bind_align(sqlite3_stmt *st, const void *ctx)
{
    const struct align *al = ctx;
    table_bind_text(st, ":a", al->a);
    table_bind_text(st, ":b", al->b);
    table_bind_int(st, ":from", al->from);
    table_bind_int(st, ":to", al->to);
    table_bind_text(st, ":splits", al->splits ? al->splits : "[]");
    return 0;
}

/* The roll calls of the profile's years on which the two split, from the panel: al->splits (a
 * JSON array of rcids), and how many there are in all and since 2000. */
static int find_splits(struct align *al, int64_t *all, int64_t *since, struct bilat_err *err)
{
    *all = *since = 0;
    size_t k0 = 0, k1 = al->np;
    while (k0 < al->np && vote_panel_label(al->p, k0) < al->from)
        k0++;
    while (k1 > k0 && vote_panel_label(al->p, k1 - 1) > al->to)
        k1--;
    size_t ncalls = 0;
    for (size_t k = k0; k < k1; k++)
        ncalls += vote_panel_ncalls(al->p, k);
    int64_t *rcid = bilat_alloc_array(ncalls + 1, sizeof(int64_t));
    int *label = bilat_alloc_array(ncalls + 1, sizeof(int));
    struct bilat_buf b = BILAT_BUF_INIT;
    int rc = rcid && label ? 0 : BILAT_ENOMEM;
    int n = rc == 0 && k1 > k0 && al->ia >= 0 && al->ib >= 0
                ? vote_panel_split_rcids(al->p, (size_t)al->ia, (size_t)al->ib, k0, k1 - 1, rcid,
                                         label)
                : 0;
    if (rc == 0)
        rc = bilat_buf_addch(&b, '[');
    for (int i = 0; rc == 0 && i < n; i++) {
        rc = bilat_buf_addf(&b, "%s%lld", i ? "," : "", (long long)rcid[i]);
        *since += label[i] >= 2000;
    }
    if (rc == 0)
        rc = bilat_buf_addch(&b, ']');
    *all = n;
    bilat_free(rcid);
    bilat_free(label);
    if (rc < 0) {
        bilat_buf_release(&b);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    bilat_free(al->splits);
    al->splits = bilat_buf_detach(&b, NULL);
    return al->splits ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
}

static int sec_splits(struct align *al, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"date", "Date", TCOL_TEXT},       {"resolution", "Resolution", TCOL_TEXT},
        {"title", "Title", TCOL_TEXT},     {"a_vote", "A votes", TCOL_TEXT},
        {"b_vote", "B votes", TCOL_TEXT},  {"important", "Important", TCOL_INT},
        {"issues", "Issues", TCOL_TEXT},   {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},
    };
    char desc[1024];
    snprintf(desc, sizeof(desc),
             "Roll calls flagged important (in the vote data, or by a curated record) on which %s "
             "(A) and %s (B) voted differently: the autonomy signal. Every split is in the next "
             "section.",
             al->a_name, al->b_name);
    json_t *t =
        table_new("alignment_splits", "Where the two split: important votes", desc, cols, 9);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int64_t all = 0, since = 0;
    int rc = find_splits(al, &all, &since, err);
    if (rc == 0)
        rc = table_add_sql(al->db, t, SPLIT_SELECT "AND c.important = 1 ORDER BY c.date, c.rcid",
                           bind_align, al, err);
    if (rc == 0) {
        char fig[120], basis[160], cov[120];
        snprintf(fig, sizeof(fig), "Roll calls on which %s and %s split, important ones", al->a,
                 al->b);
        char period[32];
        if (al->from > 0 || al->to < 9999)
            snprintf(period, sizeof(period), "%d-%d", al->from > 0 ? al->from : 1946,
                     al->to < 9999 ? al->to : vote_panel_label(al->p, al->np ? al->np - 1 : 0));
        else
            snprintf(period, sizeof(period), "all years");
        if (al->from > 2000 || al->to < 2000)
            snprintf(cov, sizeof(cov), "%lld splits in all", (long long)all);
        else
            snprintf(cov, sizeof(cov), "%lld splits in all, %lld since 2000", (long long)all,
                     (long long)since);
        if (al->from > 0 || al->to < 9999)
            snprintf(basis, sizeof(basis), "bilat votes %s %s --splits --important%s%.0d%s%.0d",
                     al->a, al->b, al->from > 0 ? " --from " : "", al->from > 0 ? al->from : 0,
                     al->to < 9999 ? " --to " : "", al->to < 9999 ? al->to : 0);
        else
            snprintf(basis, sizeof(basis), "bilat votes %s %s --splits --important", al->a, al->b);
        rc = headline_add(t, fig, period, 1, (double)table_nrows(t), -1, cov,
                          "a split list, not an estimate", basis);
    }
    BILAT_TRY(table_append_take(sections, t, rc, err));
    t = table_new("alignment_splits_all", "Where the two split: every roll call",
                  "Every roll call on which both voted (yes, no, abstain) and voted differently.",
                  cols, 9);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    rc = json_object_set_new(t, "detail", json_true()) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(al->db, t, SPLIT_SELECT "ORDER BY c.date, c.rcid", bind_align, al, err);
    return table_append_take(sections, t, rc, err);
}

/* ------------------------------------------------------------------------------------------ */
/* Robustness                                                                                  */

/*
 * Least-squares slope per decade of the yearly values of a variant over periods k0..k1 (years
 * with ALIGN_MIN_N or more shared votes, at least 5 of them), and its standard error. A slope
 * within two standard errors of zero is "no clear trend": the sign of a near-zero slope says
 * nothing.
 */
static int slope_of(const struct align *al, size_t k0, size_t k1, const uint64_t *mask,
                    enum bilat_vote_measure m, double *slope, double *se)
{
    double x[64], y[64];
    int n = 0;
    for (size_t k = k0; k <= k1 && n < 64; k++) {
        double v;
        uint64_t nn;
        if (!value_in(al, (size_t)al->ia, (size_t)al->ib, k, mask, m, &v, &nn) || nn < ALIGN_MIN_N)
            continue;
        x[n] = vote_panel_label(al->p, k);
        y[n++] = v;
    }
    if (n < 5)
        return 0;
    double mx = 0, my = 0;
    for (int i = 0; i < n; i++) {
        mx += x[i] / n;
        my += y[i] / n;
    }
    double sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx <= 0)
        return 0;
    double b = sxy / sxx, rss = 0;
    for (int i = 0; i < n; i++) {
        double e = y[i] - my - b * (x[i] - mx);
        rss += e * e;
    }
    *slope = 10 * b;
    *se = 10 * sqrt(rss / (n - 2) / sxx);
    return 1;
}

/* How the measures spread on all votes: the best and worst rank (and their measures) among the
 * partners ranked, and how many measures rise, fall or show no clear trend. */
struct spread {
    int rank_min, rank_max, rank_min_m, rank_max_m, ranked_all;
    int up, down, flat;
};

/* The robustness panel's notes on that spread: whether the rank and the trend's direction
 * depend on the measure. 0 or BILAT_ENOMEM. */
static int robustness_notes(const struct align *al, json_t *t, int year, const struct spread *sp)
{
    const int rank_min = sp->rank_min, rank_max = sp->rank_max, ranked_all = sp->ranked_all;
    const int up = sp->up, down = sp->down, flat = sp->flat;
    char note[400];
    if (rank_max) {
        if (!rank_moves(rank_min, rank_max, ranked_all) && rank_min != rank_max)
            snprintf(note, sizeof(note),
                     "On all votes in %d, %s ranks between %d (%s) and %d (%s) among %s's %d "
                     "partners: close under every measure.",
                     year, al->a, rank_min,
                     bilat_vote_measure_name(table_measures[sp->rank_min_m]), rank_max,
                     bilat_vote_measure_name(table_measures[sp->rank_max_m]), al->b, ranked_all);
        else if (rank_min == rank_max)
            snprintf(note, sizeof(note),
                     "On all votes, %s ranks %d among %s's partners in %d under every measure.",
                     al->a, rank_min, al->b, year);
        else
            snprintf(note, sizeof(note),
                     "The rank depends on the measure: on all votes in %d, %s ranks %d among %s's "
                     "partners by %s but %d by %s.",
                     year, al->a, rank_min, al->b,
                     bilat_vote_measure_name(table_measures[sp->rank_min_m]), rank_max,
                     bilat_vote_measure_name(table_measures[sp->rank_max_m]));
        BILAT_TRY(table_note(t, note));
    }
    if (up || down || flat) {
        if (up && down)
            snprintf(note, sizeof(note),
                     "The direction of the trend depends on the measure: over the twenty years to "
                     "%d, %d measure%s rise%s clearly, %d fall%s clearly and %d show%s no clear "
                     "trend (slope within two standard errors of zero).",
                     year, up, up == 1 ? "" : "s", up == 1 ? "s" : "", down, down == 1 ? "s" : "",
                     flat, flat == 1 ? "s" : "");
        else if (up || down)
            snprintf(note, sizeof(note),
                     "Over the twenty years to %d, %d of %d measures %s clearly (slope beyond two "
                     "standard errors) and none moves the other way.",
                     year, up ? up : down, up + down + flat, up ? "rise" : "fall");
        else
            snprintf(note, sizeof(note),
                     "No measure shows a clear trend over the twenty years to %d (every slope is "
                     "within two standard errors of zero): a claim of rising or falling "
                     "alignment is not supported on all votes.",
                     year);
        BILAT_TRY(table_note(t, note));
    }
    return 0;
}

static int sec_robustness(struct align *al, json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"measure", "Measure", TCOL_TEXT},
        {"votes", "Votes", TCOL_TEXT},
        {"year", "Year", TCOL_YEAR},
        {"n", "Shared votes", TCOL_INT},
        {"value", "Value", TCOL_NUM},
        {"rank", "Rank", TCOL_INT},
        {"ranked", "Ranked", TCOL_INT},
        {"decade", "Decade pooled", TCOL_TEXT},
        {"decade_n", "Decade N", TCOL_INT},
        {"decade_value", "Decade value", TCOL_NUM},
        {"trend", "Trend per decade", TCOL_NUM},
        {"trend_se", "Trend s.e.", TCOL_NUM},
    };
    if (al->headline < 0)
        return 0;
    size_t kh = (size_t)al->headline;
    int year = vote_panel_label(al->p, kh);
    char desc[1024];
    snprintf(desc, sizeof(desc),
             "How the alignment of %s with %s moves with the choice of measure and of votes: in "
             "%d (the latest year with %d or more shared votes), pooled over the ten years to "
             "%d, its rank among %s's partners in %d, and the trend (least-squares slope per "
             "decade of the yearly values, twenty years to %d, years with 10+ shared votes).",
             al->a_name, al->b_name, year, ALIGN_HEADLINE_N, year, al->b_name, year, year);
    json_t *t = table_new("robustness", "Robustness of the alignment figures", desc, cols, 12);
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    size_t k10 = kh, k20 = kh;
    while (k10 > 0 && vote_panel_label(al->p, k10 - 1) > year - 10)
        k10--;
    while (k20 > 0 && vote_panel_label(al->p, k20 - 1) > year - 20)
        k20--;
    char decade[32];
    snprintf(decade, sizeof(decade), "%d-%d", vote_panel_label(al->p, k10), year);
    int rc = 0;
    int nvar = 1 + (int)vote_panel_nissues(al->p) + 1; /* all votes, important, each issue */
    int rank_min = 0, rank_max = 0, rank_min_m = 0, rank_max_m = 0, ranked_all = 0;
    int up = 0, down = 0, flat = 0;
    for (int var = 0; rc == 0 && var < nvar; var++) {
        uint64_t *mask = NULL;
        char votes[96];
        if (var == 0)
            snprintf(votes, sizeof(votes), "all");
        else if (var == 1) {
            snprintf(votes, sizeof(votes), "important only");
            mask = al->mask_imp;
        } else {
            const char *code = vote_panel_issue_code(al->p, (size_t)(var - 2));
            snprintf(votes, sizeof(votes), "issue %s (%s)", code,
                     vote_panel_issue_name(al->p, (size_t)(var - 2)));
            rc = vote_panel_mask(al->p, 0, code, &mask, err);
        }
        for (int m = 0; rc == 0 && m < N_MEAS; m++) {
            enum bilat_vote_measure me = table_measures[m];
            if (var > 0 && me != BILAT_VOTE_AGREE && me != BILAT_VOTE_KAPPA)
                continue;
            double v = 0, dv = 0, sl = 0, se = 0;
            uint64_t n = 0;
            int has = value_in(al, (size_t)al->ia, (size_t)al->ib, kh, mask, me, &v, &n);
            struct vote_table td = {{{0}}};
            for (size_t k = k10; k <= kh; k++)
                vote_panel_add_table(al->p, (size_t)al->ia, (size_t)al->ib, k, mask, &td);
            const char *why;
            int has_d = vote_measure_value(&td, me, &dv, &why);
            int rk = 0, of = 0;
            int has_r = rank_in(al, kh, kh, mask, me, 0, year, &rk, &of, err, &rc);
            int has_s = slope_of(al, k20, kh, mask, me, &sl, &se);
            if (rc < 0)
                break;
            if (var == 0 && has_r) {
                ranked_all = of;
                if (!rank_min || rk < rank_min) {
                    rank_min = rk;
                    rank_min_m = m;
                }
                if (rk > rank_max) {
                    rank_max = rk;
                    rank_max_m = m;
                }
            }
            if (var == 0 && has_s) {
                up += sl > 2 * se;
                down += sl < -2 * se;
                flat += fabs(sl) <= 2 * se;
            }
            rc = add_row(t, json_pack("[s, s, i, I, o, o, o, s, I, o, o, o]",
                                      bilat_vote_measure_name(me), votes, year, (json_int_t)n,
                                      jnum(has, v), jint(has_r, rk), jint(has_r, of), decade,
                                      (json_int_t)vote_table_n(&td), jnum(has_d, dv),
                                      jnum(has_s, sl), jnum(has_s, se)));
        }
        if (var >= 2)
            bilat_free(mask);
    }
    double d = 0;
    int64_t dn = 0;
    int has_d = rc == 0 ? ideal_distance(al, kh, &d, &dn) : 0;
    if (rc == 0)
        rc = add_row(t, json_pack("[s, s, i, o, o, o, o, s, o, o, o, o]", "ideal",
                                  "all (ideal points)", year, jint(has_d && dn >= 0, dn),
                                  jnum(has_d, d), json_null(), json_null(), "", json_null(),
                                  json_null(), json_null(), json_null()));
    if (rc == 0) {
        struct spread sp = {rank_min, rank_max, rank_min_m, rank_max_m, ranked_all, up, down,
                            flat};
        rc = robustness_notes(al, t, year, &sp);
    }
    char note[400];
    size_t unknown = vote_panel_unflagged(al->p, kh);
    if (rc == 0 && unknown) {
        snprintf(note, sizeof(note),
                 "The important-vote flag is missing in the source for %zu of the %zu roll calls "
                 "of %d: 'important only' there counts flagged votes only.",
                 unknown, vote_panel_ncalls(al->p, kh), year);
        rc = table_note(t, note);
    }
    if (rc == 0)
        rc = table_note(t, "Values on important votes or one issue rest on few roll calls: read "
                           "them with their N. Ideal points are estimated from all votes of a "
                           "year; their distance is not on the 0-1 scale of the other measures "
                           "(0 = same position).");
    return table_append_take(sections, t, rc, err);
}

/*
 * Open the alignment of countries a and b: their names, A's bloc and its members, the vote
 * panel, ideal points and seat holders. Releases what it took on failure.
 */
static int align_open(struct align *al, bilat_db *db, const char *a, const char *b,
                      struct bilat_err *err)
{
    snprintf(al->a, sizeof(al->a), "%s", a);
    snprintf(al->b, sizeof(al->b), "%s", b);
    BILAT_TRY(name_of(db, al->a, al->a_name, sizeof(al->a_name), err));
    BILAT_TRY(name_of(db, al->b, al->b_name, sizeof(al->b_name), err));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(
        store_prepare(db, "SELECT bloc FROM bloc WHERE iso3 = ?1 ORDER BY bloc LIMIT 1", &st, err));
    store_bind_text(st, 1, al->a, -1);
    if (sqlite3_step(st) == SQLITE_ROW)
        snprintf(al->bloc, sizeof(al->bloc), "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    int rc = al->bloc[0] ? load_bloc(al, err) : 0;
    if (rc == 0)
        rc = vote_panel_load(db, BILAT_VOTE_BY_YEAR, 0, 0, NULL, 0, &al->p, err);
    if (rc == 0) {
        al->np = vote_panel_nperiods(al->p);
        al->ia = vote_panel_find_country(al->p, al->a);
        al->ib = vote_panel_find_country(al->p, al->b);
        for (size_t i = 0; i < al->nmembers; i++)
            al->members[i].c = vote_panel_find_country(al->p, al->members[i].iso3);
        rc = vote_panel_mask(al->p, 1, NULL, &al->mask_imp, err);
    }
    if (rc == 0)
        rc = load_ideal(al, err);
    if (rc == 0)
        rc = votes_seat_rows(db, al->a, &al->seats_a, err);
    if (rc == 0)
        rc = votes_seat_rows(db, al->b, &al->seats_b, err);
    if (rc < 0)
        align_release(al);
    return rc;
}

int align_summary_key(bilat_db *db, char *key, size_t len, struct bilat_err *err)
{
    key[0] = '\0';
    if (bilat_db_schema_version(db) < 90)
        return 0;
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare(db,
                            "SELECT (SELECT stamp FROM un_panel WHERE by = 0), (SELECT "
                            "group_concat(bloc || ' ' || iso3 || ' ' || coalesce(date_from, '') "
                            "|| ' ' || coalesce(date_to, ''), ';') FROM (SELECT * FROM bloc "
                            "ORDER BY bloc, iso3, date_from))",
                            &st, err));
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const unsigned char *blocs = sqlite3_column_text(st, 1);
        uint64_t h = 1469598103934665603u; /* FNV-1a of the bloc memberships */
        for (const unsigned char *q = blocs; q && *q; q++)
            h = (h ^ *q) * 1099511628211u;
        snprintf(key, len, "align 2 %s reps %d seed %llu panel %lld blocs %016llx", BILAT_VERSION,
                 BILAT_VOTE_CI_REPS, (unsigned long long)BILAT_VOTE_CI_SEED,
                 (long long)sqlite3_column_int64(st, 0), (unsigned long long)h);
    } else if (s != SQLITE_ROW && s != SQLITE_DONE) {
        rc = store_fail(db, err, s, "cannot read the alignment summary's key");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The intervals of every year from the store's summary, when it is current. */
static int cache_read(struct align *al, struct bilat_err *err)
{
    char key[200];
    BILAT_TRY(align_summary_key(al->db, key, sizeof(key), err));
    if (!key[0])
        return 0;
    json_t *doc = NULL;
    int rc = dyad_summary_get(al->db, al->a, al->b, "align", key, 0, &doc, err);
    json_t *years = json_object_get(doc, "years"), *sources = json_object_get(doc, "sources");
    if (rc == 0 && json_is_array(sources))
        al->sources = json_incref(sources);
    if (rc == 0 && json_is_array(years)) {
        al->cached = bilat_calloc(al->np + 1, sizeof(*al->cached));
        if (!al->cached)
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        size_t i;
        json_t *y;
        json_array_foreach(years, i, y)
        {
            if (rc < 0)
                break;
            long k = vote_panel_find_period(al->p, (int)json_integer_value(json_array_get(y, 0)));
            if (k < 0)
                continue;
            struct align_cached *c = &al->cached[k];
            json_t *lo = json_array_get(y, 1), *hi = json_array_get(y, 2);
            c->have = true;
            c->lo = json_is_number(lo) ? json_number_value(lo) : NAN;
            c->hi = json_is_number(hi) ? json_number_value(hi) : NAN;
            c->rank_lo = (int)json_integer_value(json_array_get(y, 3));
            c->rank_hi = (int)json_integer_value(json_array_get(y, 4));
            c->bloc_lo = (int)json_integer_value(json_array_get(y, 5));
            c->bloc_hi = (int)json_integer_value(json_array_get(y, 6));
        }
    }
    json_decref(doc);
    return rc;
}

int align_summary_build(bilat_db *db, const char *a, const char *b, char **json_out,
                        struct bilat_err *err)
{
    *json_out = NULL;
    struct align al = {.db = db, .from = 0, .to = 9999, .headline = -1, .ia = -1, .ib = -1};
    BILAT_TRY(align_open(&al, db, a, b, err));
    json_t *years = json_array(), *doc = json_pack("{s:o}", "years", years), *sources = NULL;
    int rc = years && doc ? 0 : bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0 && (rc = sources_rows(db, &sources, err)) == 0 &&
        json_object_set_new(doc, "sources", sources) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *calls = NULL;
    if (rc == 0 && (rc = calls_rows(db, a, b, &calls, err)) == 0 &&
        json_object_set_new(doc, "calls", calls) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    for (size_t k = 0; rc == 0 && al.ia >= 0 && al.ib >= 0 && k < al.np; k++) {
        struct vote_table tb = {{{0}}};
        vote_panel_add_table(al.p, (size_t)al.ia, (size_t)al.ib, k, NULL, &tb);
        uint64_t n = vote_table_n(&tb);
        if (n == 0)
            continue;
        int year = vote_panel_label(al.p, k), rlo = 0, rhi = 0, blo = 0, bhi = 0;
        struct vote_boot_out ci = {NAN, NAN, 0, 0, 0};
        rc = agree_interval(&al, k, k, &ci, err);
        /* the ranks of a year that can be a headline (sec_rank) */
        if (rc == 0 && n >= ALIGN_HEADLINE_N)
            rc = rank_interval(&al, k, 0, year, &rlo, &rhi, err);
        if (rc == 0 && n >= ALIGN_HEADLINE_N && al.bloc[0] && in_bloc(&al, al.a, year))
            rc = rank_interval(&al, k, 1, year, &blo, &bhi, err);
        json_t *row = rc == 0 ? json_pack("[i, o, o, i, i, i, i]", year,
                                          isnan(ci.lo) ? json_null() : json_real(ci.lo),
                                          isnan(ci.hi) ? json_null() : json_real(ci.hi), rlo, rhi,
                                          blo, bhi)
                              : NULL;
        if (rc == 0 && (!row || json_array_append_new(years, row)))
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    if (rc == 0 && !(*json_out = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(17))))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_decref(doc);
    align_release(&al);
    return rc;
}

int align_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                   int from, int to, json_t *sections, struct bilat_err *err)
{
    struct align al = {.db = db, .from = from, .to = to, .headline = -1, .ia = -1, .ib = -1};
    if (!a->country[0] || !b->country[0])
        return not_applicable(sections,
                              "UN votes are cast by states; one side has no country, so there "
                              "is no vote alignment to show.",
                              err);
    al.via_country = !a->is_country || !b->is_country;
    if (strcmp(a->country, b->country) == 0)
        return not_applicable(sections,
                              "Both sides belong to the same country: UN votes, cast by states, "
                              "cannot tell them apart.",
                              err);
    int64_t have = 0;
    BILAT_TRY(store_query_int(db, "SELECT count(*) FROM schema_version WHERE version = 10", NULL,
                              &have, err));
    if (!have)
        return not_applicable(sections,
                              "This store predates the UN-vote tables: open it once for writing "
                              "(bilat ingest unvotes ...) to migrate it.",
                              err);
    BILAT_TRY(align_open(&al, db, a->country, b->country, err));
    int rc = cache_read(&al, err);
    for (size_t k = al.np; rc == 0 && k-- > 0 && al.ia >= 0 && al.ib >= 0;) {
        int year = vote_panel_label(al.p, k);
        if (year > to || year < from)
            continue;
        struct vote_table t = {{{0}}};
        vote_panel_add_table(al.p, (size_t)al.ia, (size_t)al.ib, k, NULL, &t);
        if (vote_table_n(&t) >= ALIGN_HEADLINE_N) {
            al.headline = (long)k;
            break;
        }
    }
    if (rc == 0 && (al.ia < 0 || al.ib < 0)) {
        char why[200];
        snprintf(why, sizeof(why), "No UN votes of %s in the store.",
                 al.ia < 0 && al.ib < 0 ? "either country"
                 : al.ia < 0            ? al.a
                                        : al.b);
        rc = not_applicable(sections, why, err);
        align_release(&al);
        return rc;
    }
    if (rc == 0)
        rc = sec_series(&al, sections, err);
    if (rc == 0)
        rc = sec_peers(&al, sections, err);
    if (rc == 0)
        rc = sec_rank(&al, sections, err);
    if (rc == 0)
        rc = sec_splits(&al, sections, err);
    if (rc == 0)
        rc = sec_robustness(&al, sections, err);
    align_release(&al);
    return rc;
}
