/*
 * cube_insert.c: how fast can SQLite take the cube rows of a file, by way of writing them?
 * The figures behind the choices of src/store/evstore.c (bench/RESULTS.md, "Writing the cube").
 *
 *   cc -O2 -o bench/data/cube_insert bench/cube_insert.c -lsqlite3
 *   bilat --db S.db sql "SELECT day, actor1_country, actor2_country, actor1_type, actor2_type,
 *       event_code, root_code, quad, events, events_dedup, root_events, goldstein_sum, mentions,
 *       sources, articles, tone_sum, lag_days_sum FROM event_cube ORDER BY rowid" >cube.csv
 *   bench/data/cube_insert cube.csv MODE [fk] [index-after] [page=N]
 *
 * The rows (in the order bilat wrote them: that of the index event_cube_dyad) are read into
 * memory first; then a fresh store in WAL mode (synchronous=NORMAL, 64 MiB cache, as bilat
 * opens it) gets the event_cube table and its index and the rows in one transaction. MODE:
 *   bind1   one prepared INSERT per row, values bound with copies (bilat before)
 *   bind32  32 rows per INSERT, values bound without copies
 *   vtab    INSERT INTO event_cube SELECT * FROM a virtual table over the rows (bilat now)
 * fk checks the foreign key of every row; index-after creates the index after the rows;
 * page=N sets the page size. Prints the time of the inserts, of the index and of the commit.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct row {
    char text[7][12]; /* day, actor1/2 country and type, event code, root code */
    int len[7];
    int quad;
    long long n[7]; /* events, events_dedup, root_events, mentions, sources, articles, lag */
    double gold, tone;
};

static struct row *rows;
static size_t nrows;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void die(sqlite3 *db, const char *what)
{
    fprintf(stderr, "cube_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
    exit(1);
}

static void exec(sqlite3 *db, const char *sql)
{
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
        die(db, sql);
}

static void load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(NULL, "cannot open the CSV");
    char line[1024];
    size_t cap = 1 << 16;
    rows = malloc(cap * sizeof(*rows));
    if (!fgets(line, sizeof(line), f)) /* header */
        die(NULL, "empty CSV");
    while (fgets(line, sizeof(line), f)) {
        if (nrows == cap && !(rows = realloc(rows, (cap *= 2) * sizeof(*rows))))
            die(NULL, "out of memory");
        struct row *r = &rows[nrows++];
        char fld[17][40];
        int k = 0;
        for (char *s = line; k < 17;) {
            size_t l = strcspn(s, ",\n");
            snprintf(fld[k++], sizeof(fld[0]), "%.*s", (int)l, s);
            if (s[l] != ',')
                break;
            s += l + 1;
        }
        for (int j = 0; j < 7; j++) {
            size_t l = strnlen(fld[j], sizeof(r->text[j]) - 1);
            memcpy(r->text[j], fld[j], l);
            r->text[j][l] = '\0';
            r->len[j] = (int)l;
        }
        r->quad = atoi(fld[7]);
        int ni[7] = {8, 9, 10, 12, 13, 14, 16};
        for (int j = 0; j < 7; j++)
            r->n[j] = atoll(fld[ni[j]]);
        r->gold = atof(fld[11]);
        r->tone = atof(fld[15]);
    }
    fclose(f);
}

/* ---- the virtual table over the rows ---- */

struct cur {
    sqlite3_vtab_cursor base;
    size_t i;
};

static int vt_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **out, char **err)
{
    (void)aux, (void)argc, (void)argv, (void)err;
    int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(file_id, day, a1c, a2c, a1t, a2t, ev, "
                                      "root, quad, events, dedup, root_events, gold, mentions, "
                                      "sources, articles, tone, lag)");
    if (rc != SQLITE_OK)
        return rc;
    *out = sqlite3_malloc(sizeof(**out));
    if (!*out)
        return SQLITE_NOMEM;
    memset(*out, 0, sizeof(**out));
    return SQLITE_OK;
}

static int vt_disconnect(sqlite3_vtab *v)
{
    sqlite3_free(v);
    return SQLITE_OK;
}

static int vt_best_index(sqlite3_vtab *v, sqlite3_index_info *info)
{
    (void)v;
    info->estimatedCost = 1e9;
    return SQLITE_OK;
}

static int vt_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out)
{
    (void)v;
    struct cur *c = sqlite3_malloc(sizeof(*c));
    if (!c)
        return SQLITE_NOMEM;
    memset(c, 0, sizeof(*c));
    *out = &c->base;
    return SQLITE_OK;
}

static int vt_close(sqlite3_vtab_cursor *c)
{
    sqlite3_free(c);
    return SQLITE_OK;
}

static int vt_filter(sqlite3_vtab_cursor *c, int i, const char *s, int n, sqlite3_value **v)
{
    (void)i, (void)s, (void)n, (void)v;
    ((struct cur *)c)->i = 0;
    return SQLITE_OK;
}

static int vt_next(sqlite3_vtab_cursor *c)
{
    ((struct cur *)c)->i++;
    return SQLITE_OK;
}

static int vt_eof(sqlite3_vtab_cursor *c)
{
    return ((struct cur *)c)->i >= nrows;
}

static int vt_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col)
{
    const struct row *r = &rows[((struct cur *)c)->i];
    if (col == 0)
        sqlite3_result_int64(ctx, 1);
    else if (col <= 7) {
        if (r->len[col - 1])
            sqlite3_result_text(ctx, r->text[col - 1], r->len[col - 1], SQLITE_STATIC);
    } else if (col == 8) {
        if (r->quad)
            sqlite3_result_int(ctx, r->quad);
    } else if (col == 12)
        sqlite3_result_double(ctx, r->gold);
    else if (col == 16)
        sqlite3_result_double(ctx, r->tone);
    else {
        static const int ni[18] = {[9] = 0, [10] = 1, [11] = 2, [13] = 3, [14] = 4, [15] = 5,
                                   [17] = 6};
        sqlite3_result_int64(ctx, r->n[ni[col]]);
    }
    return SQLITE_OK;
}

static int vt_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *out)
{
    *out = (sqlite3_int64)((struct cur *)c)->i;
    return SQLITE_OK;
}

static const sqlite3_module rows_module = {
    .xConnect = vt_connect,
    .xBestIndex = vt_best_index,
    .xDisconnect = vt_disconnect,
    .xOpen = vt_open,
    .xClose = vt_close,
    .xFilter = vt_filter,
    .xNext = vt_next,
    .xEof = vt_eof,
    .xColumn = vt_column,
    .xRowid = vt_rowid,
};

/* ---- binding ---- */

static void bind_row(sqlite3_stmt *st, int b, const struct row *r, sqlite3_destructor_type d)
{
    sqlite3_bind_int64(st, b + 1, 1);
    for (int j = 0; j < 7; j++) {
        if (r->len[j])
            sqlite3_bind_text(st, b + 2 + j, r->text[j], r->len[j], d);
        else
            sqlite3_bind_null(st, b + 2 + j);
    }
    if (r->quad)
        sqlite3_bind_int(st, b + 9, r->quad);
    else
        sqlite3_bind_null(st, b + 9);
    sqlite3_bind_int64(st, b + 10, r->n[0]);
    sqlite3_bind_int64(st, b + 11, r->n[1]);
    sqlite3_bind_int64(st, b + 12, r->n[2]);
    sqlite3_bind_double(st, b + 13, r->gold);
    sqlite3_bind_int64(st, b + 14, r->n[3]);
    sqlite3_bind_int64(st, b + 15, r->n[4]);
    sqlite3_bind_int64(st, b + 16, r->n[5]);
    sqlite3_bind_double(st, b + 17, r->tone);
    sqlite3_bind_int64(st, b + 18, r->n[6]);
}

static void insert_bound(sqlite3 *db, int per)
{
    char sql[32768];
    int len = snprintf(sql, sizeof(sql), "INSERT INTO event_cube VALUES ");
    for (int k = 0; k < per; k++)
        len += snprintf(sql + len, sizeof(sql) - (size_t)len, "%s(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        k ? "," : "");
    sqlite3_stmt *many = NULL, *one = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &many, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO event_cube VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &one, NULL) != SQLITE_OK)
        die(db, "prepare");
    sqlite3_destructor_type d = per == 1 ? SQLITE_TRANSIENT : SQLITE_STATIC;
    size_t i = 0;
    for (; i + (size_t)per <= nrows; i += (size_t)per) {
        for (int k = 0; k < per; k++)
            bind_row(many, 18 * k, &rows[i + (size_t)k], d);
        if (sqlite3_step(many) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(many);
    }
    for (; i < nrows; i++) {
        bind_row(one, 0, &rows[i], d);
        if (sqlite3_step(one) != SQLITE_DONE)
            die(db, "insert");
        sqlite3_reset(one);
    }
    sqlite3_finalize(many);
    sqlite3_finalize(one);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: cube_insert CUBE.csv bind1|bind32|vtab [fk] [index-after] [page=N]\n");
        return 2;
    }
    const char *mode = argv[2];
    int fk = 0, after = 0, page = 0;
    for (int i = 3; i < argc; i++) {
        fk |= strcmp(argv[i], "fk") == 0;
        after |= strcmp(argv[i], "index-after") == 0;
        if (strncmp(argv[i], "page=", 5) == 0)
            page = atoi(argv[i] + 5);
    }
    load(argv[1]);
    const char *path = "cube_insert.db";
    unlink(path);
    unlink("cube_insert.db-wal");
    unlink("cube_insert.db-shm");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        die(db, "open");
    char sql[256];
    if (page) {
        snprintf(sql, sizeof(sql), "PRAGMA page_size=%d", page);
        exec(db, sql);
    }
    exec(db, "PRAGMA journal_mode=WAL");
    exec(db, "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536");
    exec(db, fk ? "PRAGMA foreign_keys=ON" : "PRAGMA foreign_keys=OFF");
    exec(db, "CREATE TABLE ingest_file(id INTEGER PRIMARY KEY); INSERT INTO ingest_file VALUES (1)");
    exec(db, "CREATE TABLE event_cube(file_id INTEGER NOT NULL REFERENCES ingest_file(id), day TEXT "
             "NOT NULL, actor1_country TEXT, actor2_country TEXT, actor1_type TEXT, actor2_type "
             "TEXT, event_code TEXT, root_code TEXT, quad INTEGER CHECK (quad BETWEEN 1 AND 4), "
             "events INTEGER NOT NULL, events_dedup INTEGER NOT NULL, root_events INTEGER, "
             "goldstein_sum REAL, mentions INTEGER, sources INTEGER, articles INTEGER, tone_sum "
             "REAL, lag_days_sum INTEGER)");
    static const char index[] =
        "CREATE INDEX event_cube_dyad ON event_cube(actor1_country, actor2_country, day)";
    if (!after)
        exec(db, index);
    if (sqlite3_create_module(db, "cube_rows", &rows_module, NULL) != SQLITE_OK)
        die(db, "module");
    double t0 = now();
    exec(db, "BEGIN IMMEDIATE");
    if (strcmp(mode, "vtab") == 0)
        exec(db, "INSERT INTO event_cube SELECT * FROM cube_rows");
    else
        insert_bound(db, strcmp(mode, "bind32") == 0 ? 32 : 1);
    double t1 = now();
    if (after)
        exec(db, index);
    double t2 = now();
    exec(db, "COMMIT");
    double t3 = now();
    printf("%zu rows, %s%s%s: insert %.3f s, index %.3f s, commit %.3f s, total %.3f s\n", nrows,
           mode, fk ? ", fk" : "", after ? ", index after" : "", t1 - t0, t2 - t1, t3 - t2,
           t3 - t0);
    sqlite3_close(db);
    unlink(path);
    unlink("cube_insert.db-wal");
    unlink("cube_insert.db-shm");
    return 0;
}
