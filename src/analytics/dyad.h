/*
 * dyad.h: the two sides of a dyad and who belongs to them (docs/PROFILE.md, "Sides and
 * matching"), shared by every measure that reads a dyad's records; and the sources those
 * records cite, collected from the table sections (analytics/table.h) that show them.
 */
#ifndef BILAT_ANALYTICS_DYAD_H
#define BILAT_ANALYTICS_DYAD_H

#include "bilat.h"
#include "core/parse.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdbool.h>

/* One side of a dyad, resolved against the store. */
struct dyad_side {
    char code[ACTOR_CODE_SIZE]; /* as given, upper case */
    char name[128];    /* display name */
    char kind[16];     /* state, party, person, organisation */
    char country[4];   /* ISO3 of the side (its own code for a country) */
    bool is_country;   /* code is an ISO3 country: matches every actor of that country */
};

/*
 * Resolve an actor code: an actor of the store, or an ISO3 country of the reference table.
 * Errors: BILAT_EINVAL (malformed code), BILAT_ENOTFOUND (unknown), BILAT_ESQL.
 */
int dyad_resolve(bilat_db *db, const char *code, struct dyad_side *out,
                    struct bilat_err *err);

/*
 * Who belongs to a side, as SQL (docs/PROFILE.md, "Sides and matching"). DYAD_SIDE_CTE (to
 * follow a WITH) is the table sm(side, id, d0, d1) of the actors of sides 'a' and 'b' with the
 * span in which they belong ('' d0 = since always, NULL d1 = open), and sa(id), sb(id) the
 * actors of each side whatever the date:
 *  - the actor itself; every actor of the country for a country side; for a party side, the
 *    party and its organs (actors whose code begins with the party's: CHNGOVPTYCPCILD);
 *  - for a party side, persons while they hold an office of the party or of an organ
 *    (affiliations).
 * DYAD_EVENTS_CTE(name, where) adds the CTE `name`: the events satisfying `where` (on alias e)
 * that have an actor in sm, with whether their source and target belong to side a or b at the
 * event's date (s_a, s_b, t_a, t_b: 0 or 1) and the actors' countries (s_country, t_country).
 * An office counts from its first day (a date of lesser precision only when it cannot fall
 * before it: a 2022-05 meeting does not count for an office taken on 2022-05-15) to its last.
 * DYAD_WHERE selects the rows of such a CTE that are between the two sides, either
 * direction: one actor on each side; or, for a party side, a record in the party channel
 * between a member of the other side and an actor of the party's country (the Youth House
 * launched by Liu Jianchao, head of a CPC organ, and Hun Manet). Parameters are bound by
 * dyad_bind_sides().
 */
#define DYAD_SIDE_CTE                                                                           \
    "sm(side, id, d0, d1) AS (\n"                                                                 \
    "  SELECT 'a', id, '', NULL FROM actor WHERE code = :a OR (:a_country AND country = :a) OR "    \
    "(:a_party AND substr(code, 1, length(:a)) = :a)\n"                                           \
    "  UNION ALL SELECT 'b', id, '', NULL FROM actor WHERE code = :b OR (:b_country AND "          \
    "country = :b) OR (:b_party AND substr(code, 1, length(:b)) = :b)\n"                          \
    "  UNION ALL SELECT 'a', f.person_id, f.date_from, f.date_to FROM affiliation f JOIN actor o " \
    "ON o.id = f.org_id WHERE :a_party AND substr(o.code, 1, length(:a)) = :a\n"                  \
    "  UNION ALL SELECT 'b', f.person_id, f.date_from, f.date_to FROM affiliation f JOIN actor o " \
    "ON o.id = f.org_id WHERE :b_party AND substr(o.code, 1, length(:b)) = :b),\n"                \
    "sa(id) AS (SELECT id FROM sm WHERE side = 'a'), sb(id) AS (SELECT id FROM sm WHERE "          \
    "side = 'b')\n"

/* Whether actor column x belongs to side s ("a" or "b") on the date of event e (1 or 0). A plain
 * correlated EXISTS: a correlated reference inside a derived table of the subquery would let
 * SQLite compute it once for all rows. */
#define DYAD_IN_SIDE(s, x)                                                                      \
    "EXISTS (SELECT 1 FROM sm WHERE side = '" s "' AND id = " x " AND e.date_from >= d0 AND "      \
    "(d1 IS NULL OR substr(e.date_from, 1, length(d1)) <= d1))"

/* The candidates are found first by actor alone (one on each side, or one-sided, or a party-
 * channel record with a member of either side), so that the dated tests run on few events. */
#define DYAD_EVENTS_CTE(name, where)                                                            \
    name " AS MATERIALIZED (SELECT e.*, " DYAD_IN_SIDE("a", "e.src_actor_id") " AS s_a, "      \
    DYAD_IN_SIDE("b", "e.src_actor_id") " AS s_b, " DYAD_IN_SIDE("a", "e.tgt_actor_id")     \
    " AS t_a, " DYAD_IN_SIDE("b", "e.tgt_actor_id") " AS t_b, "                                \
    "(SELECT country FROM actor WHERE id = e.src_actor_id) AS s_country, "                        \
    "(SELECT country FROM actor WHERE id = e.tgt_actor_id) AS t_country "                         \
    "FROM event e WHERE ((e.src_actor_id IN sa AND e.tgt_actor_id IN sb) OR (e.src_actor_id IN "   \
    "sb AND e.tgt_actor_id IN sa) OR (e.tgt_actor_id IS NULL AND e.src_actor_id IN (SELECT id "    \
    "FROM sm)) OR (e.channel = 'party' AND (e.src_actor_id IN (SELECT id FROM sm) OR "             \
    "e.tgt_actor_id IN (SELECT id FROM sm)))) AND (" where "))\n"

/*
 * The same rows read from the dyad's events kept for this connection by dyad_events_prepare()
 * (which must have run for the sides bound): the dated tests of side membership, the costly part,
 * run once for every section of a profile instead of once per statement.
 */
#define DYAD_EVENTS_KEPT(name, where)                                                          \
    name " AS NOT MATERIALIZED (SELECT * FROM temp.dyad_ev e WHERE (" where "))\n"

/*
 * Keep the events of dyad (a, b) that DYAD_EVENTS_CTE(name, "1") gives, in the temporary table
 * temp.dyad_ev of this connection, for DYAD_EVENTS_KEPT. Nothing to do when it already holds
 * them and the store has not changed since (a write on any connection). Call it when no
 * statement of the connection is running. Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int dyad_events_prepare(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                        struct bilat_err *err);

#define DYAD_WHERE                                                                         \
    "((s_a AND t_b) OR (s_b AND t_a) OR (channel = 'party' AND ((:b_party AND ((s_a AND "          \
    "t_country = :bc) OR (t_a AND s_country = :bc))) OR (:a_party AND ((s_b AND t_country = :ac) " \
    "OR (t_b AND s_country = :ac))))))"

/* A one-sided record (no target) of either side. */
#define DYAD_ONE_SIDED "(tgt_actor_id IS NULL AND (s_a OR s_b))"

/* Bind the parameters of the fragments above (:a, :b, :a_country, :b_country, :a_party,
 * :b_party, :ac, :bc) that the statement uses. */
void dyad_bind_sides(sqlite3_stmt *st, const struct dyad_side *a,
                        const struct dyad_side *b);

/*
 * Source ids. A cell of a source column holds one id or a comma-separated list ("a,b" or
 * "a, b"); a set of ids is a JSON object whose keys are the ids.
 */

/* Add every id of a source cell to the set `ids` (spaces around the commas dropped; an id of
 * any length). 0 or BILAT_ENOMEM. */
int dyad_add_source_ids(json_t *ids, const char *cell);

/* Add the ids of every "source" column of a section, and of the sections nested in its
 * "evidence" member, to `ids`. 0 or BILAT_ENOMEM. */
int dyad_collect_source_ids(json_t *ids, const json_t *section);

/* The ids of a set, comma-separated ("" when empty), sorted or in the order they were first
 * added; caller frees with bilat_free(). NULL when out of memory. */
char *dyad_join_source_ids(json_t *ids, bool sorted);

/*
 * The citations (the source table's fields) of the ids that are keys of `ids`, sorted by id so
 * that the list is stable whatever the order they were collected in; an id the store lacks is
 * left out. Caller owns *list_out (json_decref). Errors: BILAT_ESQL, BILAT_ENOMEM.
 */
int dyad_cite_sources(bilat_db *db, json_t *ids, json_t **list_out, struct bilat_err *err);

#endif
