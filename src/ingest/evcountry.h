/*
 * evcountry.h: the country crosswalk for event files, compiled in from
 * data/reference/countries.tsv (the same table `bilat load data/reference` puts in the store's
 * `country` table), so that `bilat scan` needs neither a store nor a data directory.
 *
 * The code systems are kept apart, one per column, never guessed:
 *   - actor countries (GDELT Actor1/2CountryCode) are CAMEO codes, which are ISO 3166-1 alpha-3
 *     for states (KHM, CHN) plus regions (ASA, AFR) that have no crosswalk entry;
 *   - GDELT geography (ActionGeo_CountryCode) is FIPS 10-4: CB is Cambodia, CH is China (while
 *     CH in ISO alpha-2 is Switzerland, whose FIPS code is SZ);
 *   - ICEWS names countries in English ("Cambodia", "Russian Federation").
 * Each lookup returns the ISO3 code (static string) or NULL when the code is unknown.
 */
#ifndef BILAT_INGEST_EVCOUNTRY_H
#define BILAT_INGEST_EVCOUNTRY_H

#include <stddef.h>

struct evcountry {
    const char *iso3; /* ISO 3166-1 alpha-3 (or a historical code: SUN, YUG) */
    const char *iso2; /* ISO 3166-1 alpha-2, "" when none */
    const char *fips; /* FIPS 10-4, "" when none */
    const char *name; /* English name */
};

extern const struct evcountry evcountry_table[];
extern const size_t evcountry_count;

/* ISO3 of a FIPS 10-4 code ("CH" -> "CHN"), or NULL. */
const char *evcountry_from_fips(const char *s, size_t len);
/* ISO3 of an ISO alpha-2 code ("CH" -> "CHE"), or NULL. */
const char *evcountry_from_iso2(const char *s, size_t len);
/* The ISO3 code itself when it is in the table ("KHM" -> "KHM"), or NULL. */
const char *evcountry_iso3(const char *s, size_t len);
/* ISO3 of an English country name as ICEWS writes it ("Cambodia", "Russian Federation"),
 * case-insensitive, or NULL. */
const char *evcountry_from_name(const char *s, size_t len);

#endif
