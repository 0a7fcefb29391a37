/*
 * evcountry.c: lookups in the compiled country crosswalk (evcountry.h).
 *
 * The table has a few hundred rows and lookups happen once per distinct code (callers cache
 * them), so a linear search is enough and keeps the table a plain array.
 */
#include "ingest/evcountry.h"

#include <string.h>
#include <strings.h>

/* ICEWS spellings that differ from the names in countries.tsv. */
static const struct {
    const char *name;
    const char *iso3;
} icews_names[] = {
    {"Russian Federation", "RUS"},
    {"Occupied Palestinian Territory", "PSE"},
    {"Czech Republic", "CZE"},
    {"the former Yugoslav Republic of Macedonia", "MKD"},
    {"Holy See", "VAT"},
    {"Cote d'Ivoire", "CIV"},
    {"Democratic Republic of Congo", "COD"},
    {"Congo", "COG"},
    {"Moldova, Republic of", "MDA"},
    {"Timor-Leste", "TLS"},
    {"Burma", "MMR"},
};

static int eq(const char *code, const char *s, size_t len)
{
    return code[0] && strlen(code) == len && memcmp(code, s, len) == 0;
}

const char *evcountry_from_fips(const char *s, size_t len)
{
    for (size_t i = 0; i < evcountry_count; i++)
        if (eq(evcountry_table[i].fips, s, len))
            return evcountry_table[i].iso3;
    return NULL;
}

const char *evcountry_from_iso2(const char *s, size_t len)
{
    for (size_t i = 0; i < evcountry_count; i++)
        if (eq(evcountry_table[i].iso2, s, len))
            return evcountry_table[i].iso3;
    return NULL;
}

const char *evcountry_iso3(const char *s, size_t len)
{
    for (size_t i = 0; i < evcountry_count; i++)
        if (eq(evcountry_table[i].iso3, s, len))
            return evcountry_table[i].iso3;
    return NULL;
}

const char *evcountry_from_name(const char *s, size_t len)
{
    for (size_t i = 0; i < evcountry_count; i++)
        if (strlen(evcountry_table[i].name) == len &&
            strncasecmp(evcountry_table[i].name, s, len) == 0)
            return evcountry_table[i].iso3;
    for (size_t i = 0; i < sizeof(icews_names) / sizeof(icews_names[0]); i++)
        if (strlen(icews_names[i].name) == len && strncasecmp(icews_names[i].name, s, len) == 0)
            return icews_names[i].iso3;
    return NULL;
}
