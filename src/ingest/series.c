/*
 * series.c: one function per source layout. Each checks the header it relies on (so that a
 * changed file fails loudly instead of loading shifted columns), maps the source's country
 * identifiers to ISO3 through the sink, keeps missing values missing, and emits one indicator
 * row per (country, year, measure).
 *
 * Formats:
 *   aiddata-pd   AidData China Public Diplomacy v2.0, country-year counts ("N/A" = missing)
 *   gcdf3-cow    AidData GCDF 3.0 per COW recipient and year (ODA-like, OOF, vague; USD 2021)
 *   wdi-fdi      World Bank WDI BN.KLT.DINV.CD long format (NA = missing; aggregates skipped)
 *   ti-cpi-wide  TI CPI 1995-2017, wide by year (0.0 = missing; 0-10 scale stored x10)
 *   chn-trade    China-reported goods trade with one partner per year (derived from Comtrade)
 *   hrt-debt     Horn-Reinhart-Trebesch China debt stock (quoted numbers with separators)
 *   ti-cpi-2023  TI CPI 2023 global results, '|'-separated
 */
#include "ingest/series.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/err.h"
#include "core/parse.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_COLS = 8 }; /* named columns of a layout, at most */

struct imp {
    struct csv_file *f;
    struct series_sink *sink;
    const char *const *keep;
    int idx[MAX_COLS]; /* field of each of the layout's named columns */
};

/* What a value is about: the indicator row's key, unit and note. */
struct obs {
    const char *country, *partner;
    int year;
    const char *unit, *note;
};

static int need_cols(struct csv_file *f, const char *const *names, int *idx,
                     struct bilat_err *err)
{
    for (size_t i = 0; names[i]; i++) {
        idx[i] = csv_column(f, names[i]);
        if (idx[i] < 0)
            return bilat_fail_at(err, BILAT_EPARSE, f->path, f->line,
                                 "header has no column '%s'", names[i]);
    }
    return 0;
}

/* Reject the current record: reject(m, fmt, ...) */
#define reject(m, ...) bilat_rejectf((m)->sink->reject, (m)->sink->ctx, (m)->f->line, __VA_ARGS__)

/* Move to the next record, rejecting malformed ones (with the reader's reason) on the way;
 * false at the end of the file. */
static bool next_row(struct imp *m)
{
    int rc;
    while ((rc = csv_next(m->f)) < 0)
        reject(m, "%s", m->f->reason);
    return rc != 0;
}

static int kept(const struct imp *m, const char *iso3)
{
    if (!m->keep)
        return 1;
    for (size_t i = 0; m->keep[i]; i++)
        if (strcmp(m->keep[i], iso3) == 0)
            return 1;
    return 0;
}

static int emit(struct imp *m, const char *country, const char *partner, const char *name,
                int year, const double *value, const char *unit, const char *note)
{
    if (!kept(m, country) && !(partner[0] && kept(m, partner)))
        return 0;
    char period[16];
    snprintf(period, sizeof(period), "%d", year);
    struct series_row r = {country, partner, name, period, value ? *value : 0, value != NULL,
                           unit, note, m->f->line};
    return m->sink->emit(m->sink->ctx, &r);
}

/* Field i of the current record (empty string when the record is short). */
static const char *fld(struct csv_file *f, int i, size_t *len)
{
    if (i < 0 || (size_t)i >= f->nf || (size_t)i >= CSV_MAX_COLS) {
        *len = 0;
        return "";
    }
    *len = f->lens[i];
    return f->fields[i];
}

static int year_of(struct imp *m, int i, int *year)
{
    size_t len;
    const char *s = fld(m->f, i, &len);
    int64_t y;
    if (bilat_parse_int64(s, len, &y) < 0 || y < 1900 || y > 2100) {
        reject(m, "bad year '%.20s'", s);
        return -1;
    }
    *year = (int)y;
    return 0;
}

/* Parse a value: 1 = number in *v, 0 = missing, -1 = bad (rejected). `seps` allows ','. */
static int value_of(struct imp *m, int i, double *v, int seps, const char *what)
{
    size_t len;
    const char *s = fld(m->f, i, &len);
    if (bilat_is_missing(s, len))
        return 0;
    char tmp[64];
    if (seps) {
        size_t k = 0;
        for (size_t j = 0; j < len && k + 1 < sizeof(tmp); j++)
            if (s[j] != ',')
                tmp[k++] = s[j];
        s = tmp;
        len = k;
    }
    if (bilat_parse_double(s, len, v) < 0) {
        reject(m, "bad number '%.30s' in column '%s'", s, what);
        return -1;
    }
    return 1;
}

/* Column k of the layout in the current record. */
static const char *col(struct imp *m, int k, size_t *len)
{
    return fld(m->f, m->idx[k], len);
}

/*
 * Emit field i (a number with `seps` as in value_of; missing stays missing) as the measure
 * `name` of `o`: 0 done, 1 the value is bad (the row was rejected), negative on error.
 */
static int emit_value(struct imp *m, const struct obs *o, int i, int seps, const char *what,
                      const char *name)
{
    double v;
    int has = value_of(m, i, &v, seps, what);
    if (has < 0)
        return 1;
    return emit(m, o->country, o->partner, name, o->year, has ? &v : NULL, o->unit, o->note);
}

/*
 * Emit fields idx[0..n) as the measures names[0..n) of `o`, stopping at the first bad value
 * (whose column is what[k]); 0 or negative on error.
 */
static int emit_values(struct imp *m, const struct obs *o, const int *idx, const char *const *what,
                       const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int rc = emit_value(m, o, idx[k], 0, what[k], names[k]);
        if (rc != 0)
            return rc < 0 ? rc : 0;
    }
    return 0;
}

/* Skip a row about an aggregate (region, world) named in country_aliases.tsv without iso3;
 * the name is cut at `width` bytes. */
static void skip_aggregate(struct imp *m, const char *name, int width)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "'%.*s' is not a country (aggregate)", width, name);
    if (m->sink->skip)
        m->sink->skip(m->sink->ctx, m->f->line, msg);
}

/*
 * What the sink's country_by_name() gave for `s` (a country name, or a code when kind is
 * "code"; cut at `width` bytes in the message): 1 = country, 0 = skip the row (rejected as
 * unknown, or an aggregate), negative on error.
 */
static int known_or_skip(struct imp *m, int rc, const char *kind, const char *s, int width)
{
    if (rc == 0)
        reject(m, "unknown country %s '%.*s' (add it to country_aliases.tsv)", kind, width, s);
    if (rc == 2) {
        skip_aggregate(m, s, 100);
        rc = 0;
    }
    return rc;
}

/* 1 = country in iso3, 0 = skip the row (rejected or aggregate), negative on error. */
static int by_name(struct imp *m, const char *name, char iso3[4])
{
    int rc = m->sink->country_by_name(m->sink->ctx, name, iso3);
    return known_or_skip(m, rc, "name", name, INT_MAX);
}

/* An ISO3-like code of a source: known as is, or through country_aliases.tsv (HRT writes ROM
 * for Romania). 1 found, 0 not (rejected), negative on error. */
static int by_code(struct imp *m, const char *code, size_t len, char iso3[4])
{
    if (len == 3) {
        int known = m->sink->country_known(m->sink->ctx, code);
        if (known != 0) {
            if (known > 0)
                memcpy(iso3, code, 4);
            return known;
        }
    }
    int rc = len ? m->sink->country_by_name(m->sink->ctx, code, iso3) : 0;
    return known_or_skip(m, rc, "code", code, 10);
}

/* The header every layout needs (checked before its importer runs, into imp.idx). */
static const char *const cols_aiddata_pd[] = {"receiving_country", "year", NULL};
static const char *const cols_gcdf3_cow[] = {"ccode",   "year",    "oda_amt",
                                             "oof_amt", "vof_amt", NULL};
static const char *const cols_wdi_fdi[] = {"Country Code", "year", "net", NULL};
static const char *const cols_ti_cpi_wide[] = {"country", NULL};
static const char *const cols_chn_trade[] = {"year",
                                             "reporter",
                                             "partner",
                                             "chn_exports_to_khm_usd",
                                             "chn_imports_from_khm_usd",
                                             "total_trade_usd",
                                             NULL};
static const char *const cols_hrt_debt[] = {"ISO", "Year", "ChinaDebt_USD", "ChinaDebt_GDP", NULL};
static const char *const cols_ti_cpi_2023[] = {"ISO3", "CPI score 2023", "Rank", NULL};

/* Columns of aiddata-pd: receiving_country, year. */
static int imp_aiddata_pd(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"confucius_institutes",
                                       "sister_cities_established",
                                       "government_visits",
                                       "military_visits",
                                       "total_elite_visits",
                                       "ambassador_op_eds",
                                       "journalist_visits",
                                       "media_partnerships",
                                       "outbound_chinese_students",
                                       "inbound_students_to_china",
                                       NULL};
    static const char *const names[] = {"pd_confucius_institutes",  "pd_sister_cities",
                                        "pd_government_visits",     "pd_military_visits",
                                        "pd_elite_visits",          "pd_ambassador_op_eds",
                                        "pd_journalist_visits",     "pd_media_partnerships",
                                        "pd_students_from_partner", "pd_students_to_partner"};
    enum { NM = sizeof(names) / sizeof(names[0]) };
    int mi[NM];
    BILAT_TRY(need_cols(m->f, cols, mi, err));
    while (next_row(m)) {
        char iso3[4];
        size_t len;
        int found = by_name(m, col(m, 0, &len), iso3);
        if (found < 0)
            return found;
        struct obs o = {iso3, "CHN", 0, "count", NULL};
        if (found && year_of(m, m->idx[1], &o.year) == 0)
            BILAT_TRY(emit_values(m, &o, mi, cols, names, NM));
    }
    return 0;
}

/* Columns of gcdf3-cow: ccode, year, oda_amt, oof_amt, vof_amt. */
static int imp_gcdf3_cow(struct imp *m, struct bilat_err *err)
{
    static const char *const names[] = {"finance_oda", "finance_oof", "finance_vague"};
    (void)err;
    while (next_row(m)) {
        size_t len;
        const char *s = col(m, 0, &len);
        int64_t cow;
        if (bilat_parse_int64(s, len, &cow) < 0) {
            reject(m, "bad COW code '%.20s'", s);
            continue;
        }
        char iso3[4];
        int found = m->sink->country_by_cow(m->sink->ctx, (long)cow, iso3);
        if (found < 0)
            return found;
        if (!found) {
            reject(m, "unknown COW code %lld (add it to countries.tsv)", (long long)cow);
            continue;
        }
        struct obs o = {iso3, "CHN", 0, "USD constant 2021", NULL};
        if (year_of(m, m->idx[1], &o.year) == 0)
            BILAT_TRY(emit_values(m, &o, &m->idx[2], cols_gcdf3_cow + 2, names, 3));
    }
    return 0;
}

/* Columns of wdi-fdi: Country Code, year, net. */
static int imp_wdi_fdi(struct imp *m, struct bilat_err *err)
{
    (void)err;
    while (next_row(m)) {
        size_t len;
        const char *code = col(m, 0, &len);
        int known = len == 3 ? m->sink->country_known(m->sink->ctx, code) : 0;
        if (known < 0)
            return known;
        if (!known) {
            skip_aggregate(m, code, 20);
            continue;
        }
        struct obs o = {code, "", 0, "USD", NULL};
        if (year_of(m, m->idx[1], &o.year) == 0)
            BILAT_TRY(emit_value(m, &o, m->idx[2], 0, "net", "fdi_net_bop"));
    }
    return 0;
}

/* One (country, year) score of the wide CPI file, gathered before emitting. */
struct cpi_cell {
    char iso3[4];
    int year;
    double v;
    int has;       /* a score was given (not the 0.0 missing marker) */
    uint64_t line; /* where the score (or the first missing marker) is */
};

static int cpi_cmp(const void *a, const void *b)
{
    const struct cpi_cell *x = a, *y = b;
    int c = strcmp(x->iso3, y->iso3);
    return c ? c : (x->year > y->year) - (x->year < y->year);
}

/*
 * The wide CPI file spells many countries several ways ("Congo Republic", "Congo, Republic of"),
 * one row per spelling, each year's score in one of them and 0.0 in the others. Rows are merged
 * per (country, year): a score wins over the missing marker; two different scores for the same
 * country and year are a conflict and rejected.
 */
static int imp_ti_cpi_wide(struct imp *m, struct bilat_err *err)
{
    int years[CSV_MAX_COLS];
    size_t ny = 0;
    int yc[CSV_MAX_COLS];
    for (size_t i = 0; i < m->f->nf && i < CSV_MAX_COLS; i++) {
        int64_t y;
        if (bilat_parse_int64(m->f->fields[i], m->f->lens[i], &y) == 0 && y > 1900 && y < 2100) {
            years[ny] = (int)y;
            yc[ny++] = (int)i;
        }
    }
    if (ny == 0)
        return bilat_fail_at(err, BILAT_EPARSE, m->f->path, m->f->line,
                             "header has no year columns");
    struct cpi_cell *cells = NULL;
    size_t n = 0, cap = 0;
    while (next_row(m)) {
        char iso3[4];
        size_t len;
        int found = by_name(m, col(m, 0, &len), iso3);
        if (found < 0) {
            bilat_free(cells);
            return found;
        }
        if (!found)
            continue;
        if (n + ny > cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            while (ncap < n + ny)
                ncap *= 2;
            struct cpi_cell *p = bilat_realloc_array(cells, ncap, sizeof(*cells));
            if (!p) {
                bilat_free(cells);
                return bilat_fail(err, BILAT_ENOMEM, "out of memory");
            }
            cells = p;
            cap = ncap;
        }
        for (size_t k = 0; k < ny; k++) {
            double v;
            int has = value_of(m, yc[k], &v, 0, "score");
            if (has < 0)
                break;
            struct cpi_cell *c = &cells[n++];
            memcpy(c->iso3, iso3, 4);
            c->year = years[k];
            c->has = has && v != 0.0; /* 0.0 is this file's missing marker */
            c->v = v * 10.0;          /* every year is on a 0-10 scale here */
            c->line = m->f->line;
        }
    }
    qsort(cells, n, sizeof(*cells), cpi_cmp);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n;) {
        size_t j = i, pick = i;
        for (; j < n && cpi_cmp(&cells[i], &cells[j]) == 0; j++) {
            if (!cells[j].has)
                continue;
            if (cells[pick].has && cells[pick].v != cells[j].v) {
                m->f->line = cells[j].line;
                reject(m, "conflicting CPI scores for %s %d (also line %llu)", cells[j].iso3,
                       cells[j].year, (unsigned long long)cells[pick].line);
            }
            if (!cells[pick].has)
                pick = j;
        }
        struct cpi_cell *c = &cells[pick];
        m->f->line = c->line;
        rc = emit(m, c->iso3, "", "cpi_score", c->year, c->has ? &c->v : NULL, "score 0-100",
                  c->year < 2012 ? "before 2012 on the old 0-10 scale, times 10; not comparable "
                                   "with 2012 and later"
                                 : NULL);
        i = j;
    }
    bilat_free(cells);
    return rc;
}

/* Columns of chn-trade: year, reporter, partner, chn_exports_to_khm_usd,
 * chn_imports_from_khm_usd, total_trade_usd. */
static int imp_chn_trade(struct imp *m, struct bilat_err *err)
{
    static const char *const names[] = {"exports", "imports", "trade_total"};
    (void)err;
    while (next_row(m)) {
        size_t l1, l2;
        const char *rep = col(m, 1, &l1), *par = col(m, 2, &l2);
        int year;
        if (year_of(m, m->idx[0], &year) < 0)
            continue;
        if (l1 != 3 || l2 != 3 || m->sink->country_known(m->sink->ctx, rep) != 1 ||
            m->sink->country_known(m->sink->ctx, par) != 1) {
            reject(m, "unknown reporter or partner '%.8s' / '%.8s'", rep, par);
            continue;
        }
        struct obs o = {rep, par, year, "USD", "as reported by China"};
        BILAT_TRY(emit_values(m, &o, &m->idx[3], cols_chn_trade + 3, names, 3));
    }
    return 0;
}

/*
 * A layout of one row per country code (column 0, through by_code) with two measures, in the
 * columns from `first` on (hrt-debt, ti-cpi-2023). A bad value is rejected and the other one
 * still read.
 */
struct code_layout {
    bool blank;          /* skip blank lines */
    const char *partner; /* of every row ("" for none) */
    int year;            /* of every row, or 0: the year is column 1 */
    int first;           /* column of the first measure */
    struct {
        int seps;         /* the number may have ',' separators */
        const char *name; /* measure */
        const char *unit;
    } v[2];
};

static int imp_by_code(struct imp *m, const struct code_layout *l, const char *const *cols)
{
    while (next_row(m)) {
        size_t len;
        const char *iso = col(m, 0, &len);
        if (l->blank && len == 0 && m->f->nf <= 1)
            continue;
        char code[4];
        int known = by_code(m, iso, len, code);
        if (known < 0)
            return known;
        struct obs o = {code, l->partner, l->year, NULL, NULL};
        if (!known || (!l->year && year_of(m, m->idx[1], &o.year) < 0))
            continue;
        for (int k = 0; k < 2; k++) {
            o.unit = l->v[k].unit;
            int rc = emit_value(m, &o, m->idx[l->first + k], l->v[k].seps, cols[l->first + k],
                                l->v[k].name);
            BILAT_TRY(rc);
        }
    }
    return 0;
}

/* Columns of hrt-debt: ISO, Year, ChinaDebt_USD, ChinaDebt_GDP. */
static int imp_hrt_debt(struct imp *m, struct bilat_err *err)
{
    static const struct code_layout l = {
        true, "CHN", 0, 2, {{1, "debt_to_partner", "USD"}, {0, "debt_to_partner_gdp", "%"}}};
    (void)err;
    return imp_by_code(m, &l, cols_hrt_debt);
}

/* Columns of ti-cpi-2023: ISO3, CPI score 2023, Rank. */
static int imp_ti_cpi_2023(struct imp *m, struct bilat_err *err)
{
    static const struct code_layout l = {
        false, "", 2023, 1, {{0, "cpi_score", "score 0-100"}, {0, "cpi_rank", "rank"}}};
    (void)err;
    return imp_by_code(m, &l, cols_ti_cpi_2023);
}

struct importer {
    const char *name;
    char delim;
    const char *const *cols; /* at most MAX_COLS */
    int (*run)(struct imp *m, struct bilat_err *err);
};

static const struct importer importers[] = {
    {"aiddata-pd", ',', cols_aiddata_pd, imp_aiddata_pd},
    {"gcdf3-cow", ',', cols_gcdf3_cow, imp_gcdf3_cow},
    {"wdi-fdi", ',', cols_wdi_fdi, imp_wdi_fdi},
    {"ti-cpi-wide", ',', cols_ti_cpi_wide, imp_ti_cpi_wide},
    {"chn-trade", ',', cols_chn_trade, imp_chn_trade},
    {"hrt-debt", ',', cols_hrt_debt, imp_hrt_debt},
    {"ti-cpi-2023", '|', cols_ti_cpi_2023, imp_ti_cpi_2023},
};
enum { N_IMPORTERS = sizeof(importers) / sizeof(importers[0]) };

const char *const *bilat_series_formats(void)
{
    static const char *names[N_IMPORTERS + 1];
    for (size_t i = 0; i < N_IMPORTERS; i++)
        names[i] = importers[i].name;
    names[N_IMPORTERS] = NULL;
    return names;
}

int series_import(const char *format, const char *path, const char *const *keep,
                  struct series_sink *sink, struct bilat_err *err)
{
    const struct importer *imp = NULL;
    for (size_t i = 0; i < N_IMPORTERS; i++)
        if (strcmp(importers[i].name, format) == 0)
            imp = &importers[i];
    if (!imp)
        return bilat_fail(err, BILAT_EINVAL, "unknown series format '%s'", format);
    struct csv_file f;
    int rc = csv_open(&f, path, imp->delim, err);
    if (rc == 0) {
        rc = csv_next(&f);
        if (rc == 0)
            rc = bilat_fail_at(err, BILAT_EPARSE, path, 1, "empty file");
        else if (rc < 0)
            rc = bilat_fail_at(err, BILAT_EPARSE, path, f.line, "bad header: %s", f.reason);
        else {
            struct imp m = {&f, sink, keep, {0}};
            rc = need_cols(&f, imp->cols, m.idx, err);
            if (rc == 0)
                rc = imp->run(&m, err);
        }
    }
    csv_close(&f);
    return rc;
}
