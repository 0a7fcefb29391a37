/*
 * contacts.h: the profile sections drawn from the independent datasets (docs/PROFILE.md):
 * elite contacts from leaders' engagement and travel records (ChinaVitae, CEIAS: events with
 * origin 'imported'), Chinese finance projects (AidData financial diplomacy), and a yearly panel
 * of finance, debt and trade from the indicator series (GCDF 3.0, Horn-Reinhart-Trebesch,
 * Comtrade). Every dyad gets the same sections; a section without rows says so.
 */
#ifndef BILAT_ANALYTICS_CONTACTS_H
#define BILAT_ANALYTICS_CONTACTS_H

#include "analytics/dyad.h"

#include <jansson.h>

/*
 * Append "contacts" (per year, source, channel and level: engagements and events) and
 * "contact_records" (every record, a detail section); for a dyad of two countries also
 * "finance_projects_by_year", "finance_projects" (a detail section) and "economy_by_year".
 */
int contacts_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, json_t *sections, struct bilat_err *err);

#endif
