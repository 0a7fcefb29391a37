/*
 * listings.h: what the store holds, listed for choosers and browsers (listings.c): the actors
 * and countries a dyad can be made of, the dyads that records join, the years of the records,
 * the values of a vocabulary field, and the store's events with filters and paging. The web
 * server's pages and API show these; each is a table section (analytics/table.h) or a
 * document, built by queries whose every row is checked (a query that stops on an error fails,
 * it never gives a short list).
 */
#ifndef BILAT_ANALYTICS_LISTINGS_H
#define BILAT_ANALYTICS_LISTINGS_H

#include "bilat.h"

#include <jansson.h>
#include <stdint.h>

/* Every actor, and every country with votes or indicators, with its number of events: the
 * section "actors" (code, name, kind, country, events), by code. */
int listing_actors(bilat_db *db, json_t **sec_out, struct bilat_err *err);

/* The actors and the countries with data as choices: the section "choices" (code, name),
 * states first, then by name. */
int listing_choices(bilat_db *db, json_t **sec_out, struct bilat_err *err);

/* The pairs of countries that events join, most records first, at most `limit`: the section
 * "dyads" (a, b, records, a_name, b_name). */
int listing_dyads(bilat_db *db, int limit, json_t **sec_out, struct bilat_err *err);

/* The first and last year of the store's events and indicators (0 when there are none). */
int listing_years(bilat_db *db, int64_t *first_out, int64_t *last_out, struct bilat_err *err);

/* The values a filter of events offers for `field` (channel, mode, level: the vocabulary;
 * origin: the origins in the store), sorted: a JSON array of strings. */
int listing_values(bilat_db *db, const char *field, json_t **values_out, struct bilat_err *err);

/* Whether the store knows a bloc (1) or a country (1) of that code; 0 when not. */
int listing_has_bloc(bilat_db *db, const char *bloc, int *has_out, struct bilat_err *err);
int listing_has_country(bilat_db *db, const char *iso3, int *has_out, struct bilat_err *err);

/* The events of a query (bilat.h, struct bilat_events_query): {"total", "page", "per_page",
 * "pages", "events": [{ref, date_from, ..., dataset}]}. Errors: those of resolving the dyad's
 * codes, BILAT_ESQL, BILAT_ENOMEM. */
int listing_events(bilat_db *db, const struct bilat_events_query *q, json_t **doc_out,
                   struct bilat_err *err);

#endif
