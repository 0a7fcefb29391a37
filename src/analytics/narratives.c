/*
 * narratives.c: shared narratives as overlapping principle sets (docs/PROFILE.md).
 *
 * A concept (concepts.tsv) lists principles under curated keys (concept_principles.tsv): two
 * concepts share a principle when they list the same key. For concepts A and B:
 *   Jaccard = |A ∩ B| / |A ∪ B|, share of A = |A ∩ B| / |A|, share of B = |A ∩ B| / |B|.
 * A list of concepts pools their principles first (the union), so that "China's security
 * concepts" can be one side of a comparison. Concepts without listed principles take no part in
 * an overlap: a source that names an initiative without its principles says nothing about them.
 */
#include "analytics/narratives.h"

#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "store/db.h"

#include <stdio.h>
#include <string.h>

enum { MAX_PRINCIPLES = 256, KEY_LEN = 65 };

double narratives_jaccard(size_t na, size_t nb, size_t shared)
{
    size_t uni = na + nb - shared;
    return uni ? (double)shared / (double)uni : 0;
}

/* A set of principle keys (small: concepts list a handful). */
struct pset {
    char key[MAX_PRINCIPLES][KEY_LEN];
    size_t n;
};

/* Membership test; sets are small (a concept lists a handful of principles). */
static bool pset_has(const struct pset *s, const char *k)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->key[i], k) == 0)
            return true;
    return false;
}

/* Add a key once (pooling concepts may list a principle twice). */
static void pset_add(struct pset *s, const char *k)
{
    if (!pset_has(s, k) && s->n < MAX_PRINCIPLES)
        snprintf(s->key[s->n++], KEY_LEN, "%s", k);
}

/* Principles of a comma-separated list of concepts; *missing gets an unknown id, if any. */
static int pset_read(bilat_db *db, const char *list, struct pset *out, char missing[KEY_LEN],
                     struct bilat_err *err)
{
    out->n = 0;
    missing[0] = '\0';
    sqlite3_stmt *known = NULL, *st = NULL;
    int rc = store_prepare(db, "SELECT count(*) FROM concept WHERE id = ?1", &known, err);
    if (rc == 0)
        rc = store_prepare(db,
                           "SELECT principle FROM concept_principle WHERE concept_id = ?1 "
                           "ORDER BY position",
                           &st, err);
    for (const char *p = list; rc == 0 && p && *p;) {
        const char *comma = strchr(p, ',');
        char id[KEY_LEN];
        snprintf(id, sizeof(id), "%.*s", (int)(comma ? (size_t)(comma - p) : strlen(p)), p);
        p = comma ? comma + 1 : NULL;
        sqlite3_reset(known);
        store_bind_text(known, 1, id, -1);
        int s = sqlite3_step(known);
        if (s != SQLITE_ROW) {
            rc = store_fail(db, err, s, "cannot read concepts");
            break;
        }
        if (sqlite3_column_int(known, 0) == 0) {
            if (!missing[0])
                snprintf(missing, KEY_LEN, "%s", id);
            continue;
        }
        sqlite3_reset(st);
        store_bind_text(st, 1, id, -1);
        while ((s = sqlite3_step(st)) == SQLITE_ROW)
            pset_add(out, (const char *)sqlite3_column_text(st, 0));
        if (s != SQLITE_DONE)
            rc = store_fail(db, err, s, "cannot read principles");
    }
    sqlite3_finalize(known);
    sqlite3_finalize(st);
    return rc;
}

/*
 * The claim measure concept_overlap: pool the principles of each list of concepts, then the
 * chosen statistic. Evidence: every principle of either side with the concept that lists it.
 * An unknown concept or one without principles gives no value (the claim is not checkable).
 */
int narratives_overlap_measure(bilat_db *db, const struct claim_call *call,
                               struct claim_mresult *out, struct bilat_err *err)
{
    const char *la = claim_call_arg(call, "a"), *lb = claim_call_arg(call, "b");
    const char *stat = claim_call_arg(call, "stat");
    if (!stat)
        stat = "jaccard";
    if (strcmp(stat, "jaccard") && strcmp(stat, "shared") && strcmp(stat, "share_of_a") &&
        strcmp(stat, "share_of_b"))
        return bilat_fail(err, BILAT_EINVAL, "concept_overlap: stat is jaccard, shared, "
                                             "share_of_a or share_of_b, not '%s'", stat);
    struct pset *sa = bilat_calloc(2, sizeof(*sa));
    if (!sa)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    struct pset *sb = sa + 1;
    char miss_a[KEY_LEN], miss_b[KEY_LEN];
    int rc = pset_read(db, la, sa, miss_a, err);
    if (rc == 0)
        rc = pset_read(db, lb, sb, miss_b, err);
    static const struct tcol cols[] = {
        {"principle", "Principle", TCOL_TEXT}, {"label", "As the concept puts it", TCOL_TEXT},
        {"in_a", "In A", TCOL_INT},            {"in_b", "In B", TCOL_INT},
        {"concept", "Concept", TCOL_TEXT},     {"note", "Note", TCOL_TEXT},
        {"source_id", "Source", TCOL_SOURCE},  {"locator", "Locator", TCOL_TEXT},
    };
    if (rc == 0 && !(out->evidence = table_new("evidence", "Principles of A and B", NULL, cols,
                                               sizeof(cols) / sizeof(cols[0]))))
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    if (rc == 0)
        rc = store_prepare(db,
                           "SELECT principle, label, concept_id, note, source_id, locator "
                           "FROM concept_principle WHERE instr(',' || ?1 || ',' || ?2 || ',', "
                           "',' || concept_id || ',') > 0 ORDER BY principle, concept_id",
                           &st, err);
    if (rc == 0) {
        store_bind_text(st, 1, la, -1);
        store_bind_text(st, 2, lb, -1);
        json_t *rows = json_object_get(out->evidence, "rows");
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            const char *k = (const char *)sqlite3_column_text(st, 0);
            json_t *row = json_pack("[s, s, i, i, s, s?, s, s]", k,
                                    (const char *)sqlite3_column_text(st, 1), pset_has(sa, k),
                                    pset_has(sb, k), (const char *)sqlite3_column_text(st, 2),
                                    (const char *)sqlite3_column_text(st, 3),
                                    (const char *)sqlite3_column_text(st, 4),
                                    (const char *)sqlite3_column_text(st, 5));
            if (!row || json_array_append_new(rows, row)) {
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
                break;
            }
        }
        if (rc == 0 && s != SQLITE_DONE)
            rc = store_fail(db, err, s, "cannot read principles");
    }
    sqlite3_finalize(st);
    if (rc == 0) {
        size_t shared = 0;
        for (size_t i = 0; i < sa->n; i++)
            shared += pset_has(sb, sa->key[i]);
        if (miss_a[0] || miss_b[0]) {
            snprintf(out->why, sizeof(out->why), "no concept '%s' in the store",
                     miss_a[0] ? miss_a : miss_b);
        } else if (sa->n == 0 || sb->n == 0) {
            snprintf(out->why, sizeof(out->why), "no principles listed for %s",
                     sa->n == 0 ? la : lb);
        } else {
            out->has_value = true;
            out->value = strcmp(stat, "shared") == 0       ? (double)shared
                         : strcmp(stat, "share_of_a") == 0 ? (double)shared / (double)sa->n
                         : strcmp(stat, "share_of_b") == 0 ? (double)shared / (double)sb->n
                                                           : narratives_jaccard(sa->n, sb->n,
                                                                                shared);
            char note[200];
            snprintf(note, sizeof(note),
                     "A lists %zu principles, B %zu; %zu shared; Jaccard %.3f.", sa->n, sb->n,
                     shared, narratives_jaccard(sa->n, sb->n, shared));
            if (table_note(out->evidence, note) < 0)
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
        }
    }
    bilat_free(sa);
    return rc;
}

/*
 * Which concepts belong to a side (sides as in the profile, analytics/dyad.h): cs holds those
 * put forward by an actor of the side (at the concept's date: a person counts for a party side
 * while holding its office), the side's own narratives compared in the overlap; ce those that an
 * actor of one side endorsed when the other side put them forward (listed with the concepts,
 * not compared: an endorsement adopts the other side's words). A concept of neither side (the
 * CPP-CPC principles in a Laos-China profile) is left out, even when an actor of a side endorsed
 * it; and a concept lists as endorsers only the actors of the two sides.
 */
#define SIDE_CTE                                                                                   \
    "WITH " DYAD_SIDE_CTE ",\n"                                                                \
    "cs(concept_id, side) AS (SELECT DISTINCT c.id, sm.side FROM concept c JOIN sm ON "           \
    "sm.id = c.owner_id AND coalesce(c.date, '') >= sm.d0 AND (sm.d1 IS NULL OR "                   \
    "substr(coalesce(c.date, ''), 1, length(sm.d1)) <= sm.d1)),\n"                                \
    "ce(concept_id, side) AS (SELECT DISTINCT ad.concept_id, sm.side FROM concept_adoption ad "    \
    "JOIN sm ON sm.id = ad.actor_id JOIN cs ON cs.concept_id = ad.concept_id AND "                 \
    "cs.side <> sm.side)\n"

/* Binder of the SIDE_CTE parameters for table_add_sql(). */
static int bind_sides(sqlite3_stmt *st, const void *ctx)
{
    const struct dyad_side *const *s = ctx;
    dyad_bind_sides(st, s[0], s[1]);
    return 0;
}

/*
 * The three narratives sections: the concepts, the overlap of every pair of the two sides'
 * own concepts (an endorsed concept is listed, not compared: it adopts the other side's
 * words), and the principles by side.
 */
int narratives_sections(bilat_db *db, const struct dyad_side *a,
                        const struct dyad_side *b, json_t *sections, struct bilat_err *err)
{
    const struct dyad_side *sides[2] = {a, b};
    static const struct tcol ccols[] = {
        {"id", "Concept", TCOL_TEXT},         {"name", "Name", TCOL_TEXT},
        {"owner", "Put forward by", TCOL_TEXT}, {"date", "Date", TCOL_TEXT},
        {"kind", "Kind", TCOL_TEXT},          {"side", "Side", TCOL_TEXT},
        {"principles", "Principles", TCOL_INT}, {"principle_list", "Principles listed", TCOL_TEXT},
        {"endorsed_by", "Endorsed by", TCOL_TEXT}, {"source_id", "Source", TCOL_SOURCE},
        {"locator", "Locator", TCOL_TEXT},
    };
    json_t *t = table_new("concepts", "Narratives: concepts and their principles",
                          "Doctrines and initiatives put forward or endorsed by either side, "
                          "with the principles their source lists (curated keys; "
                          "docs/DATA-FORMAT.md).",
                          ccols, sizeof(ccols) / sizeof(ccols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    int rc = table_add_sql(
        db, t,
        SIDE_CTE
        "SELECT c.id, c.name, o.name, c.date, c.kind, "
        "trim(coalesce((SELECT CASE side WHEN 'a' THEN :a ELSE :b END FROM cs "
        "WHERE cs.concept_id = c.id), '') || coalesce(' endorsed by ' || (SELECT "
        "group_concat(CASE side WHEN 'a' THEN :a ELSE :b END, ', ') FROM ce "
        "WHERE ce.concept_id = c.id), '')), "
        "(SELECT count(*) FROM concept_principle p WHERE p.concept_id = c.id), "
        "(SELECT group_concat(label, '; ') FROM (SELECT label FROM concept_principle p "
        "WHERE p.concept_id = c.id ORDER BY position)), "
        "(SELECT group_concat(name || CASE WHEN ad.date_from <> '' THEN ' (' || ad.date_from || "
        "coalesce('-' || ad.date_to, '-') || ')' ELSE '' END, '; ') FROM concept_adoption ad "
        "JOIN actor x ON x.id = ad.actor_id WHERE ad.concept_id = c.id AND ad.actor_id IN "
        "(SELECT id FROM sm)), "
        "c.source_id, c.locator FROM concept c JOIN actor o ON o.id = c.owner_id "
        "WHERE c.id IN (SELECT concept_id FROM cs UNION SELECT concept_id FROM ce) "
        "ORDER BY coalesce(c.date, '9999'), c.id",
        bind_sides, sides, err);
    if (rc == 0 && table_nrows(t) == 0)
        rc = table_note(t, "No concepts of either side in the store.") < 0 ? BILAT_ENOMEM : 0;
    BILAT_TRY(table_append_take(sections, t, rc, err));

    static const struct tcol ocols[] = {
        {"concept_a", "Concept (side A)", TCOL_TEXT}, {"concept_b", "Concept (side B)", TCOL_TEXT},
        {"pair", "Pair", TCOL_TEXT},                {"n_a", "Principles A", TCOL_INT},
        {"n_b", "Principles B", TCOL_INT},          {"shared", "Shared", TCOL_INT},
        {"jaccard", "Jaccard", TCOL_NUM},           {"shared_list", "Shared principles", TCOL_TEXT},
        {"only_a", "Only in A", TCOL_TEXT},         {"only_b", "Only in B", TCOL_TEXT},
    };
    t = table_new("concept_overlap", "Narratives: overlap of principles",
                  "Every pair of a concept put forward by side A and one put forward by side B, "
                  "each with listed principles: Jaccard index = shared / all distinct principles "
                  "of the two; what they share and what only one lists.",
                  ocols, sizeof(ocols) / sizeof(ocols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s}", "type", "bars", "x", "pair", "y",
                              "jaccard", "title", "Jaccard index of principle sets");
    rc = !chart || json_object_set_new(t, "chart", chart) ? BILAT_ENOMEM : 0;
    if (rc == 0)
        rc = table_add_sql(
            db, t,
            SIDE_CTE
            ", ca AS (SELECT DISTINCT concept_id AS id FROM cs WHERE side = 'a'), "
            "cb AS (SELECT DISTINCT concept_id AS id FROM cs WHERE side = 'b'), "
            "pr AS (SELECT ca.id AS x, cb.id AS y FROM ca, cb WHERE ca.id <> cb.id "
            "AND EXISTS (SELECT 1 FROM concept_principle WHERE concept_id = ca.id) "
            "AND EXISTS (SELECT 1 FROM concept_principle WHERE concept_id = cb.id)), "
            "st AS (SELECT x, y, "
            "(SELECT count(*) FROM concept_principle WHERE concept_id = x) AS na, "
            "(SELECT count(*) FROM concept_principle WHERE concept_id = y) AS nb, "
            "(SELECT count(*) FROM concept_principle p JOIN concept_principle q "
            "ON q.principle = p.principle AND q.concept_id = y WHERE p.concept_id = x) AS sh "
            "FROM pr) "
            "SELECT x, y, x || ' / ' || y, na, nb, sh, round(1.0 * sh / (na + nb - sh), 4), "
            "(SELECT group_concat(principle, ', ') FROM (SELECT p.principle FROM "
            "concept_principle p JOIN concept_principle q ON q.principle = p.principle "
            "AND q.concept_id = y WHERE p.concept_id = x ORDER BY p.position)), "
            "(SELECT group_concat(principle, ', ') FROM (SELECT principle FROM concept_principle "
            "p WHERE p.concept_id = x AND principle NOT IN (SELECT principle FROM "
            "concept_principle WHERE concept_id = y) ORDER BY position)), "
            "(SELECT group_concat(principle, ', ') FROM (SELECT principle FROM concept_principle "
            "p WHERE p.concept_id = y AND principle NOT IN (SELECT principle FROM "
            "concept_principle WHERE concept_id = x) ORDER BY position)) "
            "FROM st ORDER BY 7 DESC, x, y",
            bind_sides, sides, err);
    if (rc == 0 && table_nrows(t) == 0)
        rc = table_note(t, "No pair of concepts of the two sides with listed principles.") < 0
                 ? BILAT_ENOMEM
                 : 0;
    if (rc == BILAT_ENOMEM)
        rc = bilat_fail(err, rc, "out of memory");
    BILAT_TRY(table_append_take(sections, t, rc, err));

    static const struct tcol pcols[] = {
        {"principle", "Principle", TCOL_TEXT},     {"label", "In words", TCOL_TEXT},
        {"concepts_a", "Concepts of side A", TCOL_TEXT},
        {"concepts_b", "Concepts of side B", TCOL_TEXT}, {"shared", "Both sides", TCOL_TEXT},
        {"source_id", "Source", TCOL_SOURCE},
    };
    t = table_new("principles", "Narratives: principles by side",
                  "Each principle listed by a concept that either side put forward, with the "
                  "concepts that list it: what the two sides share, and what only one of them "
                  "states (such as a rules-based order).",
                  pcols, sizeof(pcols) / sizeof(pcols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    rc = table_add_sql(
        db, t,
        SIDE_CTE
        ", pp AS (SELECT p.principle, p.label, p.concept_id, p.source_id, cs.side FROM "
        "concept_principle p JOIN cs ON cs.concept_id = p.concept_id) "
        "SELECT principle, min(label), "
        "(SELECT group_concat(DISTINCT concept_id) FROM pp q WHERE q.principle = pp.principle "
        "AND q.side = 'a'), "
        "(SELECT group_concat(DISTINCT concept_id) FROM pp q WHERE q.principle = pp.principle "
        "AND q.side = 'b'), "
        "CASE WHEN count(DISTINCT side) = 2 THEN 'yes' ELSE 'no' END, "
        "group_concat(DISTINCT source_id) FROM pp GROUP BY principle "
        "ORDER BY count(DISTINCT side) DESC, principle",
        bind_sides, sides, err);
    return table_append_take(sections, t, rc, err);
}
