/*
 * evconf.c: the options of a scan compiled once (events_int.h): the keys, the --where
 * conditions, the fields each format must provide, the codes to check and the FIPS-to-ISO3
 * table of GDELT's action country; and the names of the formats and dedup rules.
 */
#include "ingest/events_int.h"

#include "core/parse.h"
#include "ingest/evcountry.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------
 * Names
 * ---------------------------------------------------------------------------------------- */

const char *bilat_ev_dedup_name(enum bilat_ev_dedup d)
{
    return d == BILAT_DEDUP_DAILY ? "daily" : d == BILAT_DEDUP_URL ? "url" : "none";
}

int bilat_ev_dedup_parse(const char *s, enum bilat_ev_dedup *out)
{
    if (strcmp(s, "none") == 0)
        *out = BILAT_DEDUP_NONE;
    else if (strcmp(s, "daily") == 0)
        *out = BILAT_DEDUP_DAILY;
    else if (strcmp(s, "url") == 0)
        *out = BILAT_DEDUP_URL;
    else
        return BILAT_EINVAL;
    return 0;
}

const char *bilat_ev_format_name(enum bilat_ev_format f)
{
    static const char *const n[] = {"auto", "gdelt1", "gdelt2", "icews"};
    return (unsigned)f < 4 ? n[f] : "?";
}

int bilat_ev_format_parse(const char *s, enum bilat_ev_format *out)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, bilat_ev_format_name((enum bilat_ev_format)i)) == 0) {
            *out = (enum bilat_ev_format)i;
            return 0;
        }
    return BILAT_EINVAL;
}

/* ------------------------------------------------------------------------------------------
 * Conditions
 * ---------------------------------------------------------------------------------------- */

static bool is_code(const char *s)
{
    return *s && code_ok(s, strlen(s));
}

static int parse_cond(const char *w, struct cond *c, struct bilat_err *err)
{
    const char *eq = strchr(w, '=');
    if (!eq)
        return bilat_fail(err, BILAT_EINVAL, "condition '%s' is not KEY=VALUE", w);
    size_t kl = (size_t)(eq - w);
    const char *v = eq + 1;
#define KEY(s) (kl == strlen(s) && memcmp(w, s, kl) == 0)
    if (KEY("dyad")) {
        const char *colon = strchr(v, ':');
        if (!colon || colon == v || !colon[1] || (size_t)(colon - v) > 8 ||
            !code_ok(v, (size_t)(colon - v)) || !is_code(colon + 1))
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': expected dyad=A:B with two "
                                                 "country codes (dyad=KHM:CHN)",
                              w);
        c->op = C_DYAD;
        c->a = ev_code_pack(v, (size_t)(colon - v));
        c->b = ev_code_pack(colon + 1, strlen(colon + 1));
        return 0;
    }
    if (KEY("actor1_country") || KEY("actor2_country") || KEY("root_code") ||
        KEY("action_country") || KEY("event_code")) {
        if (!is_code(v))
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': expected a code", w);
        c->op = KEY("actor1_country")   ? C_A1C
                : KEY("actor2_country") ? C_A2C
                : KEY("root_code")      ? C_ROOT
                : KEY("event_code")     ? C_EVCODE
                                        : C_ACTION;
        c->a = ev_code_pack(v, strlen(v));
        return 0;
    }
    if (KEY("quad")) {
        if (strlen(v) != 1 || v[0] < '1' || v[0] > '4')
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': quad is 1, 2, 3 or 4", w);
        c->op = C_QUAD;
        c->a = (uint64_t)(v[0] - '0');
        return 0;
    }
    if (KEY("from") || KEY("to")) {
        uint32_t d = bilat_ymd_compact(v, strlen(v));
        if (!d)
            return bilat_fail(err, BILAT_EINVAL, "condition '%s': expected a date YYYYMMDD", w);
        c->op = KEY("from") ? C_FROM : C_TO;
        c->a = d;
        return 0;
    }
#undef KEY
    return bilat_fail(err, BILAT_EINVAL,
                      "unknown condition '%.*s' (conditions: dyad, actor1_country, "
                      "actor2_country, root_code, event_code, quad, action_country, from, to)",
                      (int)kl, w);
}

int ev_conf_new(const struct bilat_scan_opts *o, const char *by, bool coverage,
                    struct conf **out, struct bilat_err *err)
{
    struct conf *c = bilat_calloc(1, sizeof(*c));
    if (!c)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = ev_keys_parse(by, c->keys, &c->nk, err);
    if (rc == 0 && o->nwhere > sizeof(c->conds) / sizeof(c->conds[0]))
        rc = bilat_fail(err, BILAT_EINVAL, "too many conditions");
    for (size_t i = 0; rc == 0 && i < o->nwhere; i++)
        rc = parse_cond(o->where[i], &c->conds[c->nconds++], err);
    if (rc < 0) {
        bilat_free(c);
        return rc;
    }
    c->format = o->format;
    c->dedup = o->dedup;
    c->coverage = coverage;
    c->members = o->members != 0;
    if (c->members && c->dedup == BILAT_DEDUP_NONE) {
        bilat_free(c);
        return bilat_fail(err, BILAT_EINVAL, "cluster members need a dedup rule (daily or url)");
    }
    c->max_errors = o->max_errors > 0 ? o->max_errors : DEFAULT_MAX_ERRORS;
    for (size_t i = 0; i < c->nk; i++) {
        static const unsigned bit[K__N] = {[K_A1C] = 1, [K_A1T] = 2, [K_A2C] = 4, [K_A2T] = 8,
                                           [K_EVCODE] = 16, [K_ROOT] = 32};
        c->codes_used |= bit[c->keys[i]];
    }
    for (size_t i = 0; i < c->nconds; i++) {
        enum condop op = c->conds[i].op;
        c->codes_used |= op == C_DYAD ? 5 : op == C_A1C ? 1 : op == C_A2C ? 4
                       : op == C_EVCODE ? 16 : op == C_ROOT ? 32 : 0;
    }
    if (c->dedup != BILAT_DEDUP_NONE)
        c->codes_used |= 16;
    /* Field starts the rows need (a field's end is the next field's start): GDELT up to
     * AvgTone, and its action geography when asked for; every field of ICEWS. DATEADDED and
     * SOURCEURL are found from the line's end (tail_field()). */
    bool action = false;
    for (size_t i = 0; i < c->nk; i++)
        action |= c->keys[i] == K_ACTION;
    for (size_t i = 0; i < c->nconds; i++)
        action |= c->conds[i].op == C_ACTION;
    for (int f = BILAT_EV_GDELT1; f <= BILAT_EV_GDELT2; f++)
        c->maxf[f] = ev_starts_for(action ? ev_layouts[f].action : ev_layouts[f].tone);
    c->maxf[BILAT_EV_ICEWS] = ev_layouts[BILAT_EV_ICEWS].nf;
    c->maxf[0] = EVSCAN_MAXF;
    /* With conditions on early fields only (dates, actor countries: a dyad query), the scanner
     * records the starts up to actor 2's country and counts the other tabs; a row that passes
     * gets the rest (evrow.c). The two GDELT layouts agree on those columns. */
    const struct ev_layout *g = &ev_layouts[BILAT_EV_GDELT1];
    uint32_t early = ev_starts_for(g->date);
    for (size_t i = 0; i < c->nconds; i++) {
        enum condop op = c->conds[i].op;
        uint32_t need = op == C_FROM || op == C_TO                     ? ev_starts_for(g->date)
                        : op == C_DYAD || op == C_A1C || op == C_A2C ? ev_starts_for(g->a2_country)
                                                                     : UINT32_MAX;
        if (need > early)
            early = need;
    }
    for (int f = 0; f < 4; f++)
        c->maxf_scan[f] = c->maxf[f];
    if (c->nconds && early <= ev_starts_for(g->a2_country)) {
        c->maxf_scan[BILAT_EV_GDELT1] = ev_starts_for(g->a2_country);
        c->maxf_scan[BILAT_EV_GDELT2] = ev_starts_for(g->a2_country);
    }
    for (size_t i = 0; i < evcountry_count; i++) {
        const char *f = evcountry_table[i].fips;
        if (strlen(f) == 2)
            c->fips_iso3[(unsigned char)f[0] << 8 | (unsigned char)f[1]] =
                ev_code_pack(evcountry_table[i].iso3, strlen(evcountry_table[i].iso3));
    }
    *out = c;
    return 0;
}

