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

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct imp {
    struct csv_file *f;
    struct series_sink *sink;
    const char *const *keep;
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

static void reject(struct imp *m, const char *fmt, ...) BILAT_PRINTF(2, 3);
static void reject(struct imp *m, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    m->sink->reject(m->sink->ctx, m->f->line, msg);
}

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

/* Skip a row about an aggregate (region, world) named in country_aliases.tsv without iso3. */
static void skip_aggregate(struct imp *m, const char *name)
{
    char msg[160];
    snprintf(msg, sizeof(msg), "'%.100s' is not a country (aggregate)", name);
    if (m->sink->skip)
        m->sink->skip(m->sink->ctx, m->f->line, msg);
}

/* 1 = country in iso3, 0 = skip the row (rejected or aggregate), negative on error. */
static int by_name(struct imp *m, const char *name, char iso3[4])
{
    int rc = m->sink->country_by_name(m->sink->ctx, name, iso3);
    if (rc == 0)
        reject(m, "unknown country name '%s' (add it to country_aliases.tsv)", name);
    if (rc == 2) {
        skip_aggregate(m, name);
        rc = 0;
    }
    return rc;
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
    if (rc == 0)
        reject(m, "unknown country code '%.10s' (add it to country_aliases.tsv)", code);
    if (rc == 2) {
        skip_aggregate(m, code);
        rc = 0;
    }
    return rc;
}

static int imp_aiddata_pd(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"receiving_country", "year", NULL};
    static const char *const measures[][2] = {
        {"confucius_institutes", "pd_confucius_institutes"},
        {"sister_cities_established", "pd_sister_cities"},
        {"government_visits", "pd_government_visits"},
        {"military_visits", "pd_military_visits"},
        {"total_elite_visits", "pd_elite_visits"},
        {"ambassador_op_eds", "pd_ambassador_op_eds"},
        {"journalist_visits", "pd_journalist_visits"},
        {"media_partnerships", "pd_media_partnerships"},
        {"outbound_chinese_students", "pd_students_from_partner"},
        {"inbound_students_to_china", "pd_students_to_partner"},
    };
    enum { NM = sizeof(measures) / sizeof(measures[0]) };
    int idx[2], mi[NM];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
    for (size_t k = 0; k < NM; k++) {
        const char *one[] = {measures[k][0], NULL};
        BILAT_TRY(need_cols(m->f, one, &mi[k], err));
    }
    while (next_row(m)) {
        char iso3[4];
        int year;
        size_t len;
        const char *name = fld(m->f, idx[0], &len);
        int found = by_name(m, name, iso3);
        if (found < 0)
            return found;
        if (!found || year_of(m, idx[1], &year) < 0)
            continue;
        for (size_t k = 0; k < NM; k++) {
            double v;
            int has = value_of(m, mi[k], &v, 0, measures[k][0]);
            if (has < 0)
                break;
            BILAT_TRY(emit(m, iso3, "CHN", measures[k][1], year, has ? &v : NULL, "count", NULL));
        }
    }
    return 0;
}

static int imp_gcdf3_cow(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"ccode", "year", "oda_amt", "oof_amt", "vof_amt", NULL};
    static const char *const names[] = {"finance_oda", "finance_oof", "finance_vague"};
    int idx[5];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
    while (next_row(m)) {
        size_t len;
        const char *s = fld(m->f, idx[0], &len);
        int64_t cow;
        int year;
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
        if (year_of(m, idx[1], &year) < 0)
            continue;
        for (int k = 0; k < 3; k++) {
            double v;
            int has = value_of(m, idx[2 + k], &v, 0, cols[2 + k]);
            if (has < 0)
                break;
            BILAT_TRY(emit(m, iso3, "CHN", names[k], year, has ? &v : NULL, "USD constant 2021",
                           NULL));
        }
    }
    return 0;
}

static int imp_wdi_fdi(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"Country Code", "year", "net", NULL};
    int idx[3];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
    while (next_row(m)) {
        size_t len;
        const char *code = fld(m->f, idx[0], &len);
        int known = len == 3 ? m->sink->country_known(m->sink->ctx, code) : 0;
        if (known < 0)
            return known;
        if (!known) {
            char msg[96];
            snprintf(msg, sizeof(msg), "'%.20s' is not a country (aggregate)", code);
            if (m->sink->skip)
                m->sink->skip(m->sink->ctx, m->f->line, msg);
            continue;
        }
        int year;
        double v;
        if (year_of(m, idx[1], &year) < 0)
            continue;
        int has = value_of(m, idx[2], &v, 0, "net");
        if (has < 0)
            continue;
        BILAT_TRY(emit(m, code, "", "fdi_net_bop", year, has ? &v : NULL, "USD", NULL));
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
    static const char *const cols[] = {"country", NULL};
    int idx[1];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
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
        int found = by_name(m, fld(m->f, idx[0], &len), iso3);
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

static int imp_chn_trade(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"year", "reporter", "partner", "chn_exports_to_khm_usd",
                                       "chn_imports_from_khm_usd", "total_trade_usd", NULL};
    static const char *const names[] = {"exports", "imports", "trade_total"};
    int idx[6];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
    while (next_row(m)) {
        size_t l1, l2;
        const char *rep = fld(m->f, idx[1], &l1), *par = fld(m->f, idx[2], &l2);
        int year;
        if (year_of(m, idx[0], &year) < 0)
            continue;
        if (l1 != 3 || l2 != 3 || m->sink->country_known(m->sink->ctx, rep) != 1 ||
            m->sink->country_known(m->sink->ctx, par) != 1) {
            reject(m, "unknown reporter or partner '%.8s' / '%.8s'", rep, par);
            continue;
        }
        for (int k = 0; k < 3; k++) {
            double v;
            int has = value_of(m, idx[3 + k], &v, 0, cols[3 + k]);
            if (has < 0)
                break;
            BILAT_TRY(emit(m, rep, par, names[k], year, has ? &v : NULL, "USD",
                           "as reported by China"));
        }
    }
    return 0;
}

static int imp_hrt_debt(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"ISO", "Year", "ChinaDebt_USD", "ChinaDebt_GDP", NULL};
    int idx[4];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
    while (next_row(m)) {
        size_t len;
        const char *iso = fld(m->f, idx[0], &len);
        if (len == 0 && m->f->nf <= 1)
            continue; /* blank line */
        char code[4];
        int known = by_code(m, iso, len, code);
        if (known < 0)
            return known;
        if (!known)
            continue;
        int year;
        if (year_of(m, idx[1], &year) < 0)
            continue;
        double v;
        int has = value_of(m, idx[2], &v, 1, "ChinaDebt_USD");
        if (has >= 0)
            BILAT_TRY(emit(m, code, "CHN", "debt_to_partner", year, has ? &v : NULL, "USD", NULL));
        has = value_of(m, idx[3], &v, 0, "ChinaDebt_GDP");
        if (has >= 0)
            BILAT_TRY(emit(m, code, "CHN", "debt_to_partner_gdp", year, has ? &v : NULL, "%",
                           NULL));
    }
    return 0;
}

static int imp_ti_cpi_2023(struct imp *m, struct bilat_err *err)
{
    static const char *const cols[] = {"ISO3", "CPI score 2023", "Rank", NULL};
    int idx[3];
    BILAT_TRY(need_cols(m->f, cols, idx, err));
    while (next_row(m)) {
        size_t len;
        const char *iso = fld(m->f, idx[0], &len);
        char code[4];
        int known = by_code(m, iso, len, code);
        if (known < 0)
            return known;
        if (!known)
            continue;
        double v;
        int has = value_of(m, idx[1], &v, 0, "CPI score 2023");
        if (has >= 0)
            BILAT_TRY(emit(m, code, "", "cpi_score", 2023, has ? &v : NULL, "score 0-100", NULL));
        has = value_of(m, idx[2], &v, 0, "Rank");
        if (has >= 0)
            BILAT_TRY(emit(m, code, "", "cpi_rank", 2023, has ? &v : NULL, "rank", NULL));
    }
    return 0;
}

struct importer {
    const char *name;
    char delim;
    int (*run)(struct imp *m, struct bilat_err *err);
};

static const struct importer importers[] = {
    {"aiddata-pd", ',', imp_aiddata_pd},   {"gcdf3-cow", ',', imp_gcdf3_cow},
    {"wdi-fdi", ',', imp_wdi_fdi},         {"ti-cpi-wide", ',', imp_ti_cpi_wide},
    {"chn-trade", ',', imp_chn_trade},     {"hrt-debt", ',', imp_hrt_debt},
    {"ti-cpi-2023", '|', imp_ti_cpi_2023},
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
            struct imp m = {&f, sink, keep};
            rc = imp->run(&m, err);
        }
    }
    csv_close(&f);
    return rc;
}
