/*
 * network.c: the elite network of a dyad (docs/PROFILE.md).
 *
 * Nodes are the actors (persons, parties, governments, other organisations) of the two sides
 * that took part in a meeting or a visit with the other side; an edge joins two actors of
 * opposite sides with the number of their dated meetings and visits in the period (curated and
 * coded events; records covering a span of years are left out because their quantity cannot be
 * placed in time). The graph is undirected (a visit joins the visitor and the host).
 *
 * Centrality (igraph): degree = number of distinct counterparts; strength = number of meetings
 * and visits; betweenness = unweighted shortest-path betweenness, which in this two-sided graph
 * marks the actors through whom the two sides' contacts run.
 *
 * Layout for the drawing: the two sides in two columns; side A ordered by strength, side B by
 * the mean rank of its counterparts (the barycentre heuristic, which removes most crossings in
 * a two-layer drawing). Coordinates are in [0, 1].
 *
 * The next-generation signal: for every person with a leading office (prime minister,
 * president, general secretary, chair, head of state), the meetings and visits with the other
 * side before the person first took that office.
 */
#include "analytics/network.h"

#include "analytics/headline.h"
#include "analytics/table.h"
#include "core/alloc.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/parse.h"
#include "store/db.h"

#include <igraph/igraph.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Leading offices for the next-generation signal (affiliation roles, compared exactly). */
static const char *const leading_offices[] = {"prime minister", "president", "general secretary",
                                              "chair", "chairman", "head of state", "king"};

/* Date keys: YYYYMMDD of the first or the last day a date may mean. */
/*
 * A date's first (or last) day as YYYYMMDD: a year starts on January 1st and ends on
 * December 31st, a month likewise; -1 for a malformed date.
 */
static long date_key(const char *s, int end)
{
    struct bilat_date d;
    if (!s || bilat_date_parse(s, strlen(s), &d) < 0)
        return -1;
    int m = d.month ? d.month : (end ? 12 : 1);
    int day = d.day ? d.day : (end ? bilat_days_in_month(d.year, m) : 1);
    return (long)d.year * 10000 + m * 100 + day;
}

int network_date_before(const char *event, const char *office)
{
    long e = date_key(event, 1), o = date_key(office, 0);
    if (e < 0 || o < 0)
        return -1;
    return e < o;
}

/*
 * igraph as Debian builds it is not thread-safe (IGRAPH_THREAD_SAFE is 0 in igraph_threading.h):
 * its error handlers and the stack of objects it frees on an error are globals. Two server
 * threads computing networks at once corrupted that stack and igraph aborted the server
 * ("Corrupt finally stack"); every use of igraph holds this lock.
 */
static pthread_mutex_t igraph_lock = PTHREAD_MUTEX_INITIALIZER;

static void igraph_quiet(void)
{
    /* igraph's default handlers abort or print; errors come back as return codes instead.
     * Set per call, under igraph_lock: they are process-wide. */
    igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_set_warning_handler(igraph_warning_handler_ignore);
}

struct node {
    long long id;     /* actor id */
    char code[32];    /* actor code */
    char name[128];   /* display name */
    char kind[16];    /* person, party, ... */
    char country[4];  /* ISO3 */
    int side;         /* 0: side A, 1: side B */
    double strength;  /* meetings and visits */
    double degree;    /* distinct counterparts */
    double between;   /* betweenness */
    double x, y;      /* layout */
    double order;     /* sort key for the layout */
    char first[16], last[16];
};

struct edge {
    size_t u, v;      /* node indexes, u on side A */
    long long events; /* records */
    double quantity;  /* sum of quantities (a record without one counts 1) */
    char first[16], last[16];
    char modes[64];   /* distinct modes, comma-separated */
};

struct graph {
    struct node *nodes;
    size_t nn, ncap;
    struct edge *edges;
    size_t ne, ecap;
};

/* Free the graph's arrays; the struct is zeroed for reuse. */
static void graph_release(struct graph *g)
{
    bilat_free(g->nodes);
    bilat_free(g->edges);
    memset(g, 0, sizeof(*g));
}

/*
 * The node of the actor in columns col..col+4 (id, code, name, kind, country) of the current
 * row, added on first sight. Linear search: a dyad's network has tens of nodes.
 */
static int node_of(struct graph *g, sqlite3_stmt *st, int col, int side, size_t *out)
{
    long long id = sqlite3_column_int64(st, col);
    for (size_t i = 0; i < g->nn; i++)
        if (g->nodes[i].id == id) {
            *out = i;
            return 0;
        }
    struct node *grown = bilat_array_grow(g->nodes, g->nn, &g->ncap, sizeof(*grown), 32);
    if (!grown)
        return BILAT_ENOMEM;
    g->nodes = grown;
    struct node *n = &g->nodes[g->nn];
    memset(n, 0, sizeof(*n));
    n->id = id;
    n->side = side;
    const char *s;
    s = (const char *)sqlite3_column_text(st, col + 1);
    snprintf(n->code, sizeof(n->code), "%s", s ? s : "");
    s = (const char *)sqlite3_column_text(st, col + 2);
    snprintf(n->name, sizeof(n->name), "%s", s ? s : "");
    s = (const char *)sqlite3_column_text(st, col + 3);
    snprintf(n->kind, sizeof(n->kind), "%s", s ? s : "");
    s = (const char *)sqlite3_column_text(st, col + 4);
    snprintf(n->country, sizeof(n->country), "%s", s ? s : "");
    *out = g->nn++;
    return 0;
}

/* Bind the two sides and the period to the named parameters a statement uses. */
static void bind_sides(sqlite3_stmt *st, const struct dyad_side *a,
                       const struct dyad_side *b, int from, int to)
{
    dyad_bind_sides(st, a, b);
    table_bind_int(st, ":from", from);
    table_bind_int(st, ":to", to);
}

/*
 * The dyad's dated meetings and visits (curated, coded and imported records, sides as in the
 * profile), each with its side-A end `ua0` and side-B end `ub0`, as the CTE `dz`; then `dd`, the
 * same with an organisation drawn as the person who represents it: when another record of the
 * dyad on the same day (dates to the day only: a year is too coarse to tell one occasion) has,
 * on the same side, a person holding an office of that organisation at that date. The February
 * 2020 visit is "Hun Sen to the Chinese government", and a record of that day has Xi Jinping,
 * president of that government, receiving Hun Manet: the visit is drawn as Hun Sen and Xi
 * Jinping.
 */
#define MEETINGS_CTE                                                                               \
    "WITH " DYAD_SIDE_CTE ",\n" DYAD_EVENTS_KEPT(                                             \
        "ev", "e.origin IN ('curated', 'coded', 'imported') AND e.mode IN ('meeting', 'visit') "   \
              "AND e.precision <> 'range' AND e.tgt_actor_id IS NOT NULL AND "                    \
              "CAST(substr(e.date_from, 1, 4) AS INTEGER) BETWEEN :from AND :to") ",\n"          \
    "dz AS (SELECT id, date_from, quantity, mode, "                                                \
    "CASE WHEN s_a AND NOT t_a THEN src_actor_id WHEN t_a AND NOT s_a THEN tgt_actor_id "          \
    "WHEN s_b THEN tgt_actor_id ELSE src_actor_id END AS ua0, "                                    \
    "CASE WHEN s_a AND NOT t_a THEN tgt_actor_id WHEN t_a AND NOT s_a THEN src_actor_id "          \
    "WHEN s_b THEN src_actor_id ELSE tgt_actor_id END AS ub0 FROM ev WHERE " DYAD_WHERE    \
    "),\n"                                                                                        \
    "rep(d, side, org, person) AS (SELECT z.date_from, 'a', f.org_id, z.ua0 FROM dz z JOIN "       \
    "affiliation f ON f.person_id = z.ua0 AND z.date_from >= f.date_from AND (f.date_to IS NULL "  \
    "OR substr(z.date_from, 1, length(f.date_to)) <= f.date_to) WHERE length(z.date_from) = 10 "   \
    "UNION SELECT z.date_from, 'b', f.org_id, z.ub0 FROM dz z JOIN affiliation f ON "              \
    "f.person_id = z.ub0 AND z.date_from >= f.date_from AND (f.date_to IS NULL OR "                \
    "substr(z.date_from, 1, length(f.date_to)) <= f.date_to) WHERE length(z.date_from) = 10),\n"   \
    "dd AS (SELECT z.*, coalesce((SELECT min(person) FROM rep WHERE rep.d = z.date_from AND "      \
    "rep.side = 'a' AND rep.org = z.ua0), z.ua0) AS ua, coalesce((SELECT min(person) FROM rep "    \
    "WHERE rep.d = z.date_from AND rep.side = 'b' AND rep.org = z.ub0), z.ub0) AS ub FROM dz z)\n"

/*
 * One edge per pair of actors (side A, side B) that met or visited, from the dyad's dated
 * meetings and visits of the period (MEETINGS_CTE), with the number of records, their
 * quantities and their span.
 */
static int graph_read(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                      int from, int to, struct graph *g, struct bilat_err *err)
{
    BILAT_TRY(dyad_events_prepare(db, a, b, err));
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare_kept(
        db,
        MEETINGS_CTE "SELECT dd.ua, ka.code, ka.name, ka.kind, ka.country, dd.ub, kb.code, "
                     "kb.name, kb.kind, kb.country, count(*), sum(coalesce(dd.quantity, 1)), "
                     "min(dd.date_from), max(dd.date_from), CASE WHEN min(dd.mode) <> max(dd.mode) "
                     "THEN min(dd.mode) || ',' || max(dd.mode) ELSE min(dd.mode) END "
                     "FROM dd JOIN actor ka ON ka.id = dd.ua JOIN actor kb ON kb.id = dd.ub "
                     "WHERE dd.ua <> dd.ub GROUP BY dd.ua, dd.ub ORDER BY ka.code, kb.code",
        &st, err));
    bind_sides(st, a, b, from, to);
    int s, rc = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        size_t u, v;
        if ((rc = node_of(g, st, 0, 0, &u)) < 0 || (rc = node_of(g, st, 5, 1, &v)) < 0)
            break;
        struct edge *grown = bilat_array_grow(g->edges, g->ne, &g->ecap, sizeof(*grown), 32);
        if (!grown) {
            rc = BILAT_ENOMEM;
            break;
        }
        g->edges = grown;
        struct edge *e = &g->edges[g->ne++];
        memset(e, 0, sizeof(*e));
        e->u = u;
        e->v = v;
        e->events = sqlite3_column_int64(st, 10);
        e->quantity = sqlite3_column_double(st, 11);
        snprintf(e->first, sizeof(e->first), "%s", (const char *)sqlite3_column_text(st, 12));
        snprintf(e->last, sizeof(e->last), "%s", (const char *)sqlite3_column_text(st, 13));
        const char *m = (const char *)sqlite3_column_text(st, 14);
        snprintf(e->modes, sizeof(e->modes), "%s", m ? m : "");
        for (int k = 0; k < 2; k++) {
            struct node *n = &g->nodes[k ? v : u];
            if (!n->first[0] || strcmp(e->first, n->first) < 0)
                snprintf(n->first, sizeof(n->first), "%s", e->first);
            if (strcmp(e->last, n->last) > 0)
                snprintf(n->last, sizeof(n->last), "%s", e->last);
        }
    }
    if (rc == BILAT_ENOMEM)
        rc = bilat_fail(err, rc, "out of memory");
    else if (s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read the network");
    store_unprepare(db, st);
    return rc;
}

/*
 * Centrality with igraph: the edge list becomes an undirected graph (multi-edges are already
 * summed into one edge per pair, so degree counts distinct counterparts), strength weighs the
 * edges by their records, betweenness uses unweighted shortest paths (a meeting is a meeting).
 * Every igraph object is destroyed on every path. Called with igraph_lock held.
 */
static int graph_measure_locked(struct graph *g, struct bilat_err *err)
{
    igraph_quiet();
    igraph_vector_int_t el;
    igraph_t ig;
    igraph_vector_t w, bet, str;
    igraph_vector_int_t deg;
    int rc = 0, have_graph = 0;
    if (igraph_vector_int_init(&el, (igraph_integer_t)(2 * g->ne)) != IGRAPH_SUCCESS)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (igraph_vector_init(&w, (igraph_integer_t)g->ne) != IGRAPH_SUCCESS) {
        igraph_vector_int_destroy(&el);
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < g->ne; i++) {
        VECTOR(el)[2 * i] = (igraph_integer_t)g->edges[i].u;
        VECTOR(el)[2 * i + 1] = (igraph_integer_t)g->edges[i].v;
        VECTOR(w)[i] = (igraph_real_t)g->edges[i].events;
    }
    int ok = igraph_create(&ig, &el, (igraph_integer_t)g->nn, IGRAPH_UNDIRECTED) ==
             IGRAPH_SUCCESS;
    have_graph = ok;
    int vb = 0, vs = 0, vd = 0;
    ok = ok && (vb = igraph_vector_init(&bet, 0) == IGRAPH_SUCCESS);
    ok = ok && (vs = igraph_vector_init(&str, 0) == IGRAPH_SUCCESS);
    ok = ok && (vd = igraph_vector_int_init(&deg, 0) == IGRAPH_SUCCESS);
    ok = ok && igraph_betweenness(&ig, &bet, igraph_vss_all(), 0, NULL) == IGRAPH_SUCCESS;
    ok = ok && igraph_strength(&ig, &str, igraph_vss_all(), IGRAPH_ALL, 1, &w) ==
                   IGRAPH_SUCCESS;
    ok = ok && igraph_degree(&ig, &deg, igraph_vss_all(), IGRAPH_ALL, 1) == IGRAPH_SUCCESS;
    if (ok) {
        for (size_t i = 0; i < g->nn; i++) {
            g->nodes[i].between = VECTOR(bet)[i];
            g->nodes[i].strength = VECTOR(str)[i];
            g->nodes[i].degree = (double)VECTOR(deg)[i];
        }
    } else {
        rc = bilat_fail(err, BILAT_ENOMEM, "cannot compute the network's centrality (igraph)");
    }
    if (vd)
        igraph_vector_int_destroy(&deg);
    if (vs)
        igraph_vector_destroy(&str);
    if (vb)
        igraph_vector_destroy(&bet);
    if (have_graph)
        igraph_destroy(&ig);
    igraph_vector_destroy(&w);
    igraph_vector_int_destroy(&el);
    return rc;
}

static int graph_measure(struct graph *g, struct bilat_err *err)
{
    if (g->nn == 0)
        return 0;
    pthread_mutex_lock(&igraph_lock);
    int rc = graph_measure_locked(g, err);
    pthread_mutex_unlock(&igraph_lock);
    return rc;
}

/* Order of nodes in a column: by their sort key, then by code for a stable drawing. */
static int by_order(const void *pa, const void *pb)
{
    const struct node *a = *(const struct node *const *)pa, *b = *(const struct node *const *)pb;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return strcmp(a->code, b->code);
}

/* Two columns, barycentre order (see the file comment). */
static int graph_layout(struct graph *g)
{
    struct node **col = bilat_calloc(g->nn ? g->nn : 1, sizeof(*col));
    if (!col)
        return BILAT_ENOMEM;
    for (int side = 0; side < 2; side++) {
        size_t n = 0;
        for (size_t i = 0; i < g->nn; i++) {
            struct node *v = &g->nodes[i];
            if (v->side != side)
                continue;
            if (side == 0) {
                v->order = -v->strength;
            } else {
                double sum = 0, cnt = 0;
                for (size_t e = 0; e < g->ne; e++)
                    if (g->edges[e].v == i) {
                        sum += g->nodes[g->edges[e].u].y * (double)g->edges[e].events;
                        cnt += (double)g->edges[e].events;
                    }
                v->order = cnt ? sum / cnt : 0;
            }
            col[n++] = v;
        }
        qsort(col, n, sizeof(*col), by_order);
        for (size_t k = 0; k < n; k++) {
            col[k]->x = side;
            col[k]->y = n > 1 ? (double)k / (double)(n - 1) : 0.5;
        }
    }
    bilat_free(col);
    return 0;
}

/* Three decimals: enough for a layout and a betweenness score, and stable in golden output. */
static double round3(double v)
{
    return (double)(long long)(v * 1000 + (v < 0 ? -0.5 : 0.5)) / 1000;
}

/* The nodes section (with its network chart) and the edges section of the graph. */
static int add_sections_graph(const struct graph *g, const struct dyad_side *a,
                              const struct dyad_side *b, json_t *sections,
                              struct bilat_err *err)
{
    static const struct tcol ncols[] = {
        {"code", "Actor", TCOL_TEXT},          {"name", "Name", TCOL_TEXT},
        {"kind", "Kind", TCOL_TEXT},           {"country", "Country", TCOL_TEXT},
        {"side", "Side", TCOL_TEXT},           {"degree", "Counterparts", TCOL_INT},
        {"strength", "Meetings and visits", TCOL_INT}, {"betweenness", "Betweenness", TCOL_NUM},
        {"first", "First", TCOL_TEXT},         {"last", "Last", TCOL_TEXT},
        {"x", "x", TCOL_NUM},                  {"y", "y", TCOL_NUM},
    };
    json_t *t = table_new("network_nodes", "Elite network: who met whom",
                          "Persons, parties, governments and other organisations of the two "
                          "sides that met or visited the other side (dated meetings and visits, "
                          "curated, coded and imported). Counterparts = degree; betweenness marks "
                          "the actors through whom the two sides' contacts run (igraph).",
                          ncols, sizeof(ncols) / sizeof(ncols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    json_t *chart = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "type",
                              "network", "edges", "network_edges", "node", "code", "label",
                              "name", "x", "x", "y", "y", "size", "strength", "group", "side",
                              "source", "source", "target", "target", "title",
                              "Meetings and visits between the two sides");
    int bad = !chart || json_object_set_new(t, "chart", chart) ||
              json_object_set_new(t, "hide", json_pack("[s, s]", "x", "y"));
    json_t *rows = json_object_get(t, "rows");
    for (size_t i = 0; !bad && i < g->nn; i++) {
        const struct node *n = &g->nodes[i];
        json_t *row = json_pack("[s, s, s, s?, s, I, I, f, s, s, f, f]", n->code, n->name,
                                n->kind, n->country[0] ? n->country : NULL,
                                n->side ? b->code : a->code, (json_int_t)n->degree,
                                (json_int_t)n->strength, round3(n->between), n->first, n->last,
                                round3(n->x), round3(n->y));
        bad = !row || json_array_append_new(rows, row);
    }
    if (!bad && g->nn == 0)
        bad = table_note(t, "No dated meetings or visits between the two sides in the period.");
    BILAT_TRY(table_append_take(sections, t, bad ? BILAT_ENOMEM : 0, err));
    static const struct tcol ecols[] = {
        {"source", "Actor (side A)", TCOL_TEXT}, {"target", "Actor (side B)", TCOL_TEXT},
        {"source_name", "Name", TCOL_TEXT},      {"target_name", "Name", TCOL_TEXT},
        {"events", "Meetings and visits", TCOL_INT}, {"quantity", "With quantities", TCOL_NUM},
        {"first", "First", TCOL_TEXT},           {"last", "Last", TCOL_TEXT},
        {"modes", "Modes", TCOL_TEXT},
    };
    t = table_new("network_edges", "Elite network: ties",
                  "One row per pair of actors of the two sides that met or visited: the number "
                  "of dated records, and their quantities (a record of 5 field visits counts 5).",
                  ecols, sizeof(ecols) / sizeof(ecols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    bad = json_object_set_new(t, "detail", json_true());
    rows = json_object_get(t, "rows");
    for (size_t i = 0; !bad && i < g->ne; i++) {
        const struct edge *e = &g->edges[i];
        json_t *row = json_pack("[s, s, s, s, I, f, s, s, s]", g->nodes[e->u].code,
                                g->nodes[e->v].code, g->nodes[e->u].name, g->nodes[e->v].name,
                                (json_int_t)e->events, e->quantity, e->first, e->last, e->modes);
        bad = !row || json_array_append_new(rows, row);
    }
    return table_append_take(sections, t, bad ? BILAT_ENOMEM : 0, err);
}

/*
 * Meetings and visits of person P with actors of `side` (country) before P first held `office`.
 * Rows: date, counterpart code, counterpart name, mode, note, ref, source_id, locator.
 * *office_from gets the date P took office ("" when P never held it).
 */
static int nextgen_rows(bilat_db *db, const char *person, const char *office, const char *side,
                        const char *modes, json_t *rows, char office_from[16],
                        char office_src[128], struct bilat_err *err)
{
    office_from[0] = '\0';
    office_src[0] = '\0';
    sqlite3_stmt *st = NULL;
    BILAT_TRY(store_prepare_kept(db,
                            "SELECT a.date_from, a.source_id, a.locator FROM affiliation a "
                            "JOIN actor p ON p.id = a.person_id WHERE p.code = ?1 AND a.role = ?2 "
                            "AND a.date_from <> '' ORDER BY a.date_from LIMIT 1",
                            &st, err));
    store_bind_text(st, 1, person, -1);
    store_bind_text(st, 2, office, -1);
    int s = sqlite3_step(st), rc = 0;
    if (s == SQLITE_ROW) {
        snprintf(office_from, 16, "%s", (const char *)sqlite3_column_text(st, 0));
        const char *src = (const char *)sqlite3_column_text(st, 1);
        const char *loc = (const char *)sqlite3_column_text(st, 2);
        snprintf(office_src, 128, "%s%s%s", src ? src : "", loc ? ", " : "", loc ? loc : "");
    } else if (s != SQLITE_DONE) {
        rc = store_fail(db, err, s, "cannot read affiliations");
    }
    store_unprepare(db, st);
    if (rc < 0 || !office_from[0])
        return rc;
    BILAT_TRY(store_prepare_kept(
        db,
        "SELECT e.date_from, o.code, o.name, e.mode, e.note, e.ref, e.source_id, e.locator "
        "FROM event e JOIN actor p ON p.code = ?1 "
        "JOIN actor o ON o.id = (CASE WHEN e.src_actor_id = p.id THEN e.tgt_actor_id "
        "ELSE e.src_actor_id END) "
        "WHERE (e.src_actor_id = p.id OR e.tgt_actor_id = p.id) AND e.tgt_actor_id IS NOT NULL "
        "AND e.src_actor_id <> e.tgt_actor_id AND o.country = ?2 AND e.precision <> 'range' "
        "AND e.origin IN ('curated', 'coded', 'imported') "
        "AND instr(',' || ?3 || ',', ',' || e.mode || ',') > 0 "
        /* a date wholly before the office's start is also before it as text (ISO dates):
         * the test below decides, this one spares it the later events */
        "AND e.date_from < ?4 "
        "ORDER BY e.date_from, e.ref",
        &st, err));
    store_bind_text(st, 1, person, -1);
    store_bind_text(st, 2, side, -1);
    store_bind_text(st, 3, modes, -1);
    store_bind_text(st, 4, office_from, -1);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(st, 0);
        if (network_date_before(date, office_from) != 1)
            continue;
        json_t *row = json_array();
        for (int i = 0; row && i < 8; i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            if (json_array_append_new(row, v ? json_string(v) : json_null()) < 0) {
                json_decref(row);
                row = NULL;
            }
        }
        if (!row || json_array_append_new(rows, row)) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read events");
    store_unprepare(db, st);
    return rc;
}

static const struct tcol nextgen_cols[] = {
    {"date", "Date", TCOL_TEXT},          {"counterpart", "Counterpart", TCOL_TEXT},
    {"counterpart_name", "Name", TCOL_TEXT}, {"mode", "Mode", TCOL_TEXT},
    {"note", "What happened", TCOL_TEXT}, {"ref", "Record", TCOL_TEXT},
    {"source_id", "Source", TCOL_SOURCE}, {"locator", "Locator", TCOL_TEXT},
};

/*
 * The claim measure: meetings (or distinct counterparts) of a person with one side before the
 * person first held an office; evidence: those meetings, and a note on when the office began.
 */
int network_nextgen_measure(bilat_db *db, const struct claim_call *call,
                            struct claim_mresult *out, struct bilat_err *err)
{
    const char *person = claim_call_arg(call, "person"), *office = claim_call_arg(call, "office");
    const char *side = claim_call_arg(call, "side"), *count = claim_call_arg(call, "count");
    const char *modes = claim_call_arg(call, "modes");
    if (count && strcmp(count, "meetings") != 0 && strcmp(count, "counterparts") != 0)
        return bilat_fail(err, BILAT_EINVAL, "nextgen_meetings: count is meetings or "
                                             "counterparts, not '%s'", count);
    out->evidence = table_new("evidence", "Meetings and visits before taking office", NULL,
                              nextgen_cols, sizeof(nextgen_cols) / sizeof(nextgen_cols[0]));
    if (!out->evidence)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    char from[16], src[128];
    json_t *rows = json_object_get(out->evidence, "rows");
    BILAT_TRY(nextgen_rows(db, person, office, side, modes ? modes : "meeting,visit", rows, from,
                           src, err));
    if (!from[0]) {
        snprintf(out->why, sizeof(out->why), "%s has no dated affiliation as %s", person, office);
        return 0;
    }
    size_t n = json_array_size(rows), distinct = 0;
    for (size_t i = 0; i < n; i++) {
        const char *c = json_string_value(json_array_get(json_array_get(rows, i), 1));
        bool first = true;
        for (size_t k = 0; k < i; k++)
            first &= strcmp(c, json_string_value(json_array_get(json_array_get(rows, k), 1))) != 0;
        distinct += first;
    }
    out->has_value = true;
    out->value = count && strcmp(count, "counterparts") == 0 ? (double)distinct : (double)n;
    char note[300];
    snprintf(note, sizeof(note),
             "%s took office as %s on %s (%s); a meeting counts when its whole date (a month, a "
             "year) is earlier. %zu meetings or visits with %zu counterparts of %s.",
             person, office, from, src, n, distinct, side);
    if (table_note(out->evidence, note) < 0)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    return 0;
}

/* The next-generation section: every person of either side with a leading office. */
static int add_nextgen(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                       json_t *sections, struct bilat_err *err)
{
    static const struct tcol cols[] = {
        {"person", "Person", TCOL_TEXT},      {"name", "Name", TCOL_TEXT},
        {"office", "Office", TCOL_TEXT},      {"took_office", "Took office", TCOL_TEXT},
        {"meetings", "Meetings before", TCOL_INT}, {"counterparts", "Counterparts", TCOL_INT},
        {"first", "First", TCOL_TEXT},        {"with", "Met", TCOL_TEXT},
        {"refs", "Records", TCOL_TEXT},       {"source_id", "Sources", TCOL_SOURCE},
    };
    json_t *t = table_new("next_generation", "Next generation: meetings before taking office",
                          "Persons of either side who later took a leading office (prime "
                          "minister, president, general secretary, chair, head of state), with "
                          "their meetings and visits with the other side before they first held "
                          "it.",
                          cols, sizeof(cols) / sizeof(cols[0]));
    if (!t)
        return bilat_fail(err, BILAT_ENOMEM, "out of memory");
    sqlite3_stmt *st = NULL;
    int rc = store_prepare_kept(db,
                           "WITH " DYAD_SIDE_CTE
                           "SELECT p.code, p.name, a.role, min(a.date_from), "
                           "CASE WHEN p.id IN (SELECT id FROM sm WHERE side = 'a') THEN 1 ELSE 0 "
                           "END FROM affiliation a JOIN actor p ON p.id = a.person_id "
                           "WHERE p.id IN (SELECT id FROM sm) AND a.date_from <> '' "
                           "GROUP BY p.code, a.role ORDER BY p.code, a.role",
                           &st, err);
    if (rc < 0) {
        json_decref(t);
        return rc;
    }
    bind_sides(st, a, b, 0, 9999);
    json_t *rows = json_object_get(t, "rows");
    int s;
    while (rc == 0 && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *role = (const char *)sqlite3_column_text(st, 2);
        bool leading = false;
        for (size_t i = 0; i < sizeof(leading_offices) / sizeof(leading_offices[0]); i++)
            leading |= strcmp(role, leading_offices[i]) == 0;
        if (!leading)
            continue;
        const char *code = (const char *)sqlite3_column_text(st, 0);
        /* the other side's country: a country side gives it, an actor side its country */
        const struct dyad_side *other = sqlite3_column_int(st, 4) ? b : a;
        json_t *ev = json_array();
        char from[16], src[128];
        if (!ev) {
            rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            break;
        }
        rc = nextgen_rows(db, code, role, other->country, "meeting,visit", ev, from, src, err);
        size_t n = json_array_size(ev);
        if (rc == 0 && n > 0) {
            struct bilat_buf with = BILAT_BUF_INIT, refs = BILAT_BUF_INIT, srcs = BILAT_BUF_INIT;
            size_t distinct = 0;
            int bb = 0;
            for (size_t i = 0; i < n && !bb; i++) {
                json_t *r = json_array_get(ev, i);
                const char *c = json_string_value(json_array_get(r, 2));
                const char *cc = json_string_value(json_array_get(r, 1));
                bool first = true;
                for (size_t k = 0; k < i; k++)
                    first &= strcmp(cc, json_string_value(json_array_get(json_array_get(ev, k),
                                                                         1))) != 0;
                if (first) {
                    distinct++;
                    bb |= bilat_buf_addf(&with, "%s%s", with.len ? "; " : "", c ? c : cc) < 0;
                }
                const char *ref = json_string_value(json_array_get(r, 5));
                bb |= bilat_buf_addf(&refs, "%s%s", refs.len ? " " : "", ref ? ref : "") < 0;
                const char *sid = json_string_value(json_array_get(r, 6));
                if (sid && !strstr(srcs.buf, sid))
                    bb |= bilat_buf_addf(&srcs, "%s%s", srcs.len ? "," : "", sid) < 0;
            }
            if (!bb && table_nrows(t) == 0) {
                /* the first person listed heads the headline table's next-generation line */
                char fig[200], cov[200];
                snprintf(fig, sizeof(fig), "Meetings with %s's side before %s became %s",
                         other->code, (const char *)sqlite3_column_text(st, 1), role);
                snprintf(cov, sizeof(cov), "%zu counterparts; took office %s", distinct, from);
                bb |= headline_add(t, fig, from, 1, (double)n, (long long)n, cov,
                                   "a meeting counts only when its whole date is earlier",
                                   "profile section 'Next generation'") < 0;
            }
            json_t *row = bb ? NULL
                             : json_pack("[s, s, s, s, I, I, s, s, s, s]", code,
                                         (const char *)sqlite3_column_text(st, 1), role, from,
                                         (json_int_t)n, (json_int_t)distinct,
                                         json_string_value(json_array_get(json_array_get(ev, 0),
                                                                          0)),
                                         with.buf, refs.buf, srcs.buf);
            if (!row || json_array_append_new(rows, row))
                rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
            bilat_buf_release(&with);
            bilat_buf_release(&refs);
            bilat_buf_release(&srcs);
        }
        json_decref(ev);
    }
    if (rc == 0 && s != SQLITE_DONE)
        rc = store_fail(db, err, s, "cannot read affiliations");
    store_unprepare(db, st);
    if (rc == 0 && table_nrows(t) == 0)
        rc = table_note(t, "No person of either side met the other side before taking a "
                           "leading office, as far as the store records.") < 0
                 ? bilat_fail(err, BILAT_ENOMEM, "out of memory")
                 : 0;
    return table_append_take(sections, t, rc, err);
}

/* The three network sections of a profile, in order. */
int network_sections(bilat_db *db, const struct dyad_side *a, const struct dyad_side *b,
                     int from, int to, json_t *sections, struct bilat_err *err)
{
    struct graph g = {0};
    int rc = graph_read(db, a, b, from, to, &g, err);
    if (rc == 0)
        rc = graph_measure(&g, err);
    if (rc == 0 && graph_layout(&g) < 0)
        rc = bilat_fail(err, BILAT_ENOMEM, "out of memory");
    if (rc == 0)
        rc = add_sections_graph(&g, a, b, sections, err);
    graph_release(&g);
    if (rc == 0)
        rc = add_nextgen(db, a, b, sections, err);
    return rc;
}
