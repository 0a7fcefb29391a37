/*
 * cmd_code.c: `bilat code [FILE...]`: English sentences to CAMEO events (docs/CODER.md).
 *
 * Output: TSV with a header (default), JSON lines (--json), a readable trace (--explain), or
 * the scores against a gold file (--eval). --store writes the events into the store.
 */
#include "cli/cli.h"
#include "core/file.h"

#include <errno.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_help help = {
    "code", "[options] [FILE...]",
    "Code English news sentences into CAMEO events, with parties and persons as actors.",
    "Input (FILE or standard input): one sentence or paragraph per line, optionally\n"
    "'YYYY-MM-DD<TAB>text' (YYYY-MM or YYYY also); with --json, one JSON object per line with\n"
    "\"text\" and optional \"date\" and \"id\". Paragraphs are split into sentences; each gives\n"
    "zero, one or several events. The date of an event is the line's date, or an explicit date\n"
    "in the sentence (\"in August 2011\"); a person's actor code depends on it (Hun Manet is\n"
    "KHMMIL before 2023-08-22 and KHMGOV after).\n\n"
    "Output columns (TSV with a header): date, source_actor, target_actor, cameo, goldstein,\n"
    "quad, source_text, target_text, verb_text, sentence_id, source_entity, target_entity.\n"
    "Goldstein values and quad classes come from the CAMEO table (data/reference/cameo.tsv).\n"
    "Bad input lines (invalid dates, binary data, invalid UTF-8, overlong sentences) give a\n"
    "warning naming the line and are coded as far as possible or skipped.\n\n"
    "With --monadic, an event may have no target (\"X said ...\" without an addressee), but only\n"
    "in a sentence that gives no event with a target.\n\n"
    "--eval GOLD scores against a gold TSV (id, date, events, text); --eval FILE.csv with a\n"
    "header naming date, country and text is a silver set of Chinese leaders' engagements (the\n"
    "ChinaVitae layout): per country, the records coded and those with both China and the\n"
    "record's country as actors (--country NAME[,NAME...] to keep some countries).\n"
    "A gold TSV may also be a flattened PETRARCH validation file (expected_events, YYYYMMDD\n"
    "dates); --part dev or --part heldout keeps one half of its records, split by a hash of\n"
    "the record id.\n\n"
    "Dictionaries: --dict DIR or FILE (repeatable; later ones take priority). Default: the\n"
    "shipped data/dictionaries (found from the current directory or next to the program).\n"
    "The format is in docs/CODER.md.\n\n"
    "Examples:\n"
    "  bilat code news.txt                          events as TSV\n"
    "  bilat code --explain news.txt                why each sentence was coded as it was\n"
    "  bilat code --store news.txt                  write the events into the store\n"
    "  bilat code --eval tests/data/coder/own.gold.tsv   precision, recall and F1\n"
    "  bilat code --eval engagements.csv --country Cambodia,Laos   coverage per country\n"
    "  bilat code --eval petr2_gsr_validation_expected.tsv --part dev   one half of a set\n"
    "  bilat code --uncoded uncoded.tsv news.txt     sentences without an event, and why\n"
    "  bilat code --unknown-names names.tsv news.txt     names to add to the dictionaries\n"};

struct run {
    int json, explain, no_header, uncoded_all;
    FILE *uncoded;          /* --uncoded FILE, or NULL */
    bilat_code_store *st;   /* --store, or NULL */
    const char *path;       /* current input name */
    uint64_t sentences, events, uncoded_n, warnings;
    uint64_t reasons[8];    /* uncoded sentences by reason class */
};

static const char *const reason_names[8] = {"no actor", "no verb pattern", "negated",
                                            "no source actor", "no target actor",
                                            "no code", "discarded", "other"};

static int reason_class(const char *r)
{
    if (!r)
        return 7;
    if (strncmp(r, "no actor", 8) == 0)
        return 0;
    if (strncmp(r, "no verb", 7) == 0)
        return 1;
    if (strncmp(r, "negated", 7) == 0)
        return 2;
    if (strncmp(r, "no source", 9) == 0)
        return 3;
    if (strncmp(r, "no target", 9) == 0)
        return 4;
    if (strncmp(r, "no code", 7) == 0 || strstr(r, "says no event"))
        return 5;
    if (strncmp(r, "discarded", 9) == 0)
        return 6;
    return 7;
}

/* A field of TSV output: tabs and line breaks become spaces. */
static void put_tsv(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        putchar(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch);
    }
}

static int on_sentence(void *ctx, const struct bilat_coded_sentence *s)
{
    struct run *r = ctx;
    r->sentences++;
    r->events += s->nevents;
    if (!s->nevents) {
        r->uncoded_n++;
        r->reasons[reason_class(s->uncoded)]++;
        if (r->uncoded) {
            fprintf(r->uncoded, "%s\t%s\t", s->id, s->uncoded ? s->uncoded : "");
            for (size_t i = 0; i < s->len; i++) {
                char ch = s->text[i];
                fputc(ch == '\t' || ch == '\n' || ch == '\r' ? ' ' : ch, r->uncoded);
            }
            fputc('\n', r->uncoded);
        }
    }
    if (r->st) {
        for (size_t i = 0; i < s->nevents; i++)
            if (!s->events[i].date[0]) {
                cli_warning("%s:%llu: no date for sentence %s; its events are not stored",
                            r->path, (unsigned long long)s->line, s->id);
                r->warnings++;
                break;
            }
        struct bilat_err err = {0};
        if (bilat_code_store_sentence(r->st, s, &err) < 0) {
            cli_fail(&err);
            return 1;
        }
    }
    if (r->explain) {
        fputs(s->explain ? s->explain : "", stdout);
        return ferror(stdout) ? 1 : 0;
    }
    if (r->json) {
        json_t *o = json_object(), *evs = json_array();
        json_object_set_new(o, "id", json_string(s->id));
        json_object_set_new(o, "line", json_integer((json_int_t)s->line));
        json_object_set_new(o, "date", json_string(s->line_date));
        json_object_set_new(o, "text", json_stringn(s->text, s->len));
        for (size_t i = 0; i < s->nevents; i++) {
            const struct bilat_coded_event *e = &s->events[i];
            json_t *x = json_object();
            json_object_set_new(x, "date", json_string(e->date));
            json_object_set_new(x, "source", json_string(e->source));
            json_object_set_new(x, "target", json_string(e->target));
            json_object_set_new(x, "cameo", json_string(e->cameo));
            json_object_set_new(x, "goldstein",
                                isnan(e->goldstein) ? json_null() : json_real(e->goldstein));
            json_object_set_new(x, "quad", e->quad ? json_integer(e->quad) : json_null());
            json_object_set_new(x, "source_text", json_stringn(e->source_text, e->source_len));
            json_object_set_new(x, "target_text", json_stringn(e->target_text, e->target_len));
            json_object_set_new(x, "verb_text", json_stringn(e->verb_text, e->verb_len));
            json_object_set_new(x, "source_entity", json_string(e->source_entity));
            json_object_set_new(x, "target_entity", json_string(e->target_entity));
            json_object_set_new(x, "source_entry", json_string(e->source_entry));
            json_object_set_new(x, "target_entry", json_string(e->target_entry));
            json_object_set_new(x, "pattern", json_string(e->pattern));
            json_array_append_new(evs, x);
        }
        json_object_set_new(o, "events", evs);
        json_object_set_new(o, "uncoded", s->nevents || !s->uncoded ? json_null()
                                                                    : json_string(s->uncoded));
        char *txt = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(4));
        json_decref(o);
        if (!txt) {
            cli_error("out of memory");
            return 1;
        }
        fputs(txt, stdout);
        putchar('\n');
        bilat_free(txt);
        return ferror(stdout) ? 1 : 0;
    }
    for (size_t i = 0; i < s->nevents; i++) {
        const struct bilat_coded_event *e = &s->events[i];
        fputs(e->date, stdout);
        printf("\t%s\t%s\t%s\t", e->source, e->target, e->cameo);
        if (!isnan(e->goldstein))
            printf("%g", e->goldstein);
        putchar('\t');
        if (e->quad)
            printf("%d", e->quad);
        putchar('\t');
        put_tsv(e->source_text, e->source_len);
        putchar('\t');
        put_tsv(e->target_text, e->target_len);
        putchar('\t');
        put_tsv(e->verb_text, e->verb_len);
        printf("\t%s\t%s\t%s\n", s->id, e->source_entity, e->target_entity);
    }
    return ferror(stdout) ? 1 : 0;
}

/* Counts warnings and prints them. */
static void diag_count(void *ctx, enum bilat_level level, const char *path, uint64_t line,
                       const char *msg)
{
    struct run *r = ctx;
    if (level != BILAT_LOG_INFO)
        r->warnings++;
    cli_diag(NULL, level, path, line, msg);
}

/* Code one JSON line: {"text": ..., "date": ..., "id": ...}. */
static int code_json(bilat_coder *c, struct run *r, const char *line, size_t len,
                     uint64_t lineno, struct bilat_err *err)
{
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r' || line[k] == '\n'))
        k++;
    if (k == len)
        return 0;
    json_error_t je;
    json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    const char *text = NULL, *date = NULL, *id = NULL;
    char idb[32];
    size_t tlen = 0;
    if (o && json_is_object(o)) {
        json_t *t = json_object_get(o, "text"), *d = json_object_get(o, "date"),
               *i = json_object_get(o, "id");
        if (json_is_string(t)) {
            text = json_string_value(t);
            tlen = json_string_length(t);
        }
        if (json_is_string(d))
            date = json_string_value(d);
        if (json_is_string(i)) {
            id = json_string_value(i);
        } else if (json_is_integer(i)) {
            snprintf(idb, sizeof(idb), "%lld", (long long)json_integer_value(i));
            id = idb;
        }
    }
    if (!text) {
        cli_warning("%s:%llu: not a JSON object with a \"text\" string; line skipped", r->path,
                    (unsigned long long)lineno);
        r->warnings++;
        json_decref(o);
        return 0;
    }
    int rc = bilat_coder_text(c, id, date, text, tlen, r->path, lineno, on_sentence, r, err);
    json_decref(o);
    return rc;
}

static int code_file(bilat_coder *c, struct run *r, const char *path)
{
    FILE *f = stdin;
    if (strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (!f) {
            cli_error("cannot open '%s': %s", path, strerror(errno));
            return EXIT_FAIL;
        }
    }
    r->path = strcmp(path, "-") == 0 ? "<stdin>" : path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t lineno = 0;
    int rc = 0;
    struct bilat_err err = {0};
    while ((n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (r->json)
            rc = code_json(c, r, line, (size_t)n, lineno, &err);
        else
            rc = bilat_coder_line(c, line, (size_t)n, r->path, lineno, on_sentence, r, &err);
        if (rc)
            break;
    }
    int read_err = ferror(f);
    free(line);
    if (f != stdin)
        fclose(f);
    if (rc < 0)
        return cli_fail(&err);
    if (rc > 0)
        return EXIT_FAIL;
    if (read_err) {
        cli_error("cannot read '%s'", r->path);
        return EXIT_FAIL;
    }
    return 0;
}

static int print_name(void *ctx, const char *name, uint64_t count)
{
    FILE *f = ctx;
    fprintf(f, "%llu\t%s\n", (unsigned long long)count, name);
    return ferror(f) ? 1 : 0;
}

struct eval_out {
    int explain;
};

static int on_eval(void *ctx, const char *id, const char *text, const char *expected,
                   const char *coded, int exact)
{
    const struct eval_out *e = ctx;
    if (!e->explain || exact)
        return 0;
    printf("%s\texpected %s\tcoded %s\t%s\n", id, *expected ? expected : "-",
           *coded ? coded : "-", text);
    return ferror(stdout) ? 1 : 0;
}

/* A silver file (CSV with a country column, no tabs in its header) rather than a gold TSV? */
static int is_silver(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char head[4096];
    int silver = 0;
    while (fgets(head, sizeof(head), f)) {
        if (head[0] == '#' || head[0] == '\n' || head[0] == '\r')
            continue; /* comments of a gold file */
        silver = !strchr(head, '\t') && strstr(head, "country") != NULL;
        break;
    }
    fclose(f);
    return silver;
}

static double pct(uint64_t a, uint64_t b)
{
    return b ? 100.0 * (double)a / (double)b : 0.0;
}

static void silver_line(const struct bilat_coder_silver_row *r)
{
    printf("%-22.22s %-4s %9llu %6llu %6.1f %6llu %6.1f %6llu %6.1f %6llu %6.1f\n", r->country,
           r->code[0] ? r->code : (strcmp(r->country, "all") ? "?" : ""),
           (unsigned long long)r->sentences, (unsigned long long)r->coded,
           pct(r->coded, r->sentences), (unsigned long long)r->both, pct(r->both, r->coded),
           (unsigned long long)r->dyad, pct(r->dyad, r->coded), (unsigned long long)r->other,
           pct(r->other, r->coded));
}

/* --eval on a silver file: coverage and accuracy per country. */
static int eval_silver(bilat_coder *c, const char *path, const struct opt_list *countries,
                       int explain)
{
    struct eval_out eo = {explain};
    struct bilat_coder_silver sv;
    struct bilat_err err = {0};
    /* --country A --country B, or --country A,B */
    char names[4096];
    const char *list[256];
    size_t n = 0, used = 0;
    for (size_t i = 0; i < countries->n; i++) {
        const char *p = countries->v[i];
        while (*p) {
            const char *comma = strchr(p, ',');
            size_t len = comma ? (size_t)(comma - p) : strlen(p);
            if (len && n < sizeof(list) / sizeof(list[0]) && used + len + 1 <= sizeof(names)) {
                memcpy(names + used, p, len);
                names[used + len] = '\0';
                list[n++] = names + used;
                used += len + 1;
            }
            p += len + (comma ? 1 : 0);
        }
    }
    if (bilat_coder_eval_silver(c, path, n ? list : NULL, n, on_eval, &eo, &sv, &err) < 0)
        return cli_fail(&err);
    printf("silver                 %s (China against the country of each record)\n", path);
    printf("country                code sentences  coded      %%   both      %%   dyad      %%  "
           "other      %%\n");
    for (size_t i = 0; i < sv.nrows; i++)
        silver_line(&sv.rows[i]);
    silver_line(&sv.total);
    printf("coded %%: of the sentences; both: China and the country among the actors; dyad: an "
           "event between\nthe two; other: an actor of neither; these three in %% of the coded "
           "sentences\n");
    bilat_coder_silver_release(&sv);
    return ferror(stdout) ? EXIT_FAIL : EXIT_OK;
}

/* The run's summary on stderr: sentences, events, uncoded sentences by reason. */
static void print_summary(const struct run *run)
{
    fprintf(stderr, "bilat: coded %llu sentence%s: %llu event%s, %llu uncoded",
            (unsigned long long)run->sentences, run->sentences == 1 ? "" : "s",
            (unsigned long long)run->events, run->events == 1 ? "" : "s",
            (unsigned long long)run->uncoded_n);
    int first = 1;
    for (int i = 0; i < 8; i++)
        if (run->reasons[i]) {
            fprintf(stderr, "%s%s %llu", first ? " (" : ", ", reason_names[i],
                    (unsigned long long)run->reasons[i]);
            first = 0;
        }
    fprintf(stderr, "%s\n", first ? "" : ")");
}

/* --unknown-names: the names no dictionary knows, by frequency, into `path`. An exit status. */
static int write_names(bilat_coder *c, const char *path)
{
    struct bilat_err err = {0};
    FILE *nf = fopen(path, "w");
    if (!nf) {
        cli_error("cannot write '%s': %s", path, strerror(errno));
        return EXIT_FAIL;
    }
    fprintf(nf, "count\tname\n");
    int nr = bilat_coder_unknown_names(c, print_name, nf, &err);
    if (fclose(nf) != 0 || nr != 0) {
        cli_error("cannot write '%s'", path);
        return EXIT_FAIL;
    }
    return EXIT_OK;
}

/* --eval on a gold TSV (or one half of it): precision, recall and F1. An exit status. */
static int eval_gold(bilat_coder *c, const char *path, int epart, int explain)
{
    struct eval_out eo = {explain};
    struct bilat_coder_eval ev;
    struct bilat_err err = {0};
    int rc = EXIT_OK;
    if (bilat_coder_eval_part(c, path, epart, on_eval, &eo, &ev, &err) < 0) {
        rc = cli_fail(&err);
    } else {
        printf("gold                      %s%s%s\n", path,
               epart == BILAT_PART_DEV ? " (development half)" : "",
               epart == BILAT_PART_HELDOUT ? " (held-out half)" : "");
        printf("sentences                 %llu\n", (unsigned long long)ev.sentences);
        printf("expected events           %llu\n", (unsigned long long)ev.gold_events);
        printf("coded events              %llu\n", (unsigned long long)ev.coded_events);
        printf("root code                 P %.3f  R %.3f  F1 %.3f  (tp %llu, fp %llu, "
               "fn %llu)\n",
               ev.root.precision, ev.root.recall, ev.root.f1,
               (unsigned long long)ev.root.tp, (unsigned long long)ev.root.fp,
               (unsigned long long)ev.root.fn);
        printf("source, target, root      P %.3f  R %.3f  F1 %.3f  (tp %llu, fp %llu, "
               "fn %llu)\n",
               ev.triple.precision, ev.triple.recall, ev.triple.f1,
               (unsigned long long)ev.triple.tp, (unsigned long long)ev.triple.fp,
               (unsigned long long)ev.triple.fn);
        printf("extra events per sentence %.3f  (%llu)\n", ev.extra_per_sentence,
               (unsigned long long)ev.extra_events);
        printf("sentences exactly right   %llu of %llu\n", (unsigned long long)ev.exact,
               (unsigned long long)ev.sentences);
        if (ev.party_sentences)
            printf("party actors right        %llu of %llu (%.1f %%)\n",
                   (unsigned long long)ev.party_right,
                   (unsigned long long)ev.party_sentences,
                   100.0 * (double)ev.party_right / (double)ev.party_sentences);
    }
    return rc;
}

/* --stats: the dictionaries' sizes and load time on stderr. */
static void print_stats(bilat_coder *c)
{
    struct bilat_coder_stats s;
    bilat_coder_stats(c, &s);
    fprintf(stderr,
            "bilat: dictionaries: %zu actors (%zu names), %zu roles, %zu verb groups "
            "(%zu forms, %zu patterns, %zu synsets), %zu discards, %zu rules, %zu words; "
            "loaded in %.1f ms\n",
            s.actors, s.names, s.roles, s.groups, s.forms, s.patterns, s.synsets,
            s.discards, s.rules, s.words, s.load_ms);
}

/* --store: the coded events committed (the run went well) or rolled back, and the count said.
 * The run's exit status. */
static int store_finish(struct run *run, int rc)
{
    struct bilat_err err = {0};
    struct bilat_code_store_stats ss;
    int fr = bilat_code_store_finish(run->st, rc == EXIT_OK, &ss, &err);
    run->st = NULL;
    if (fr < 0) {
        rc = cli_fail(&err);
    } else if (rc == EXIT_OK) {
        cli_info("stored %llu coded events in %s (%llu removed as no longer coded, %llu new "
                 "actors in dataset 'coded', %llu undated not stored)",
                 (unsigned long long)ss.events, cli.db_path, (unsigned long long)ss.removed,
                 (unsigned long long)ss.actors, (unsigned long long)ss.undated);
    }
    return rc;
}

/* The dictionaries (--dict, or the shipped ones) and the CAMEO table (--cameo, or the shipped
 * one: a warning without it). `ddef` and `cdef` (4,200 bytes) hold the default paths. 0, or -1
 * once the error is printed. */
static int coder_files(const struct opt_list *dicts, const char **dlist, size_t *nd, char *ddef,
                       const char **cameo, char *cdef)
{
    char data[4096] = "";
    int have_data = cli_data_dir(data, sizeof(data)) == 0;
    *nd = dicts->n;
    if (*nd) {
        for (size_t i = 0; i < *nd; i++)
            dlist[i] = dicts->v[i];
    } else if (have_data) {
        snprintf(ddef, 4200, "%s/dictionaries", data);
        dlist[0] = ddef;
        *nd = 1;
    } else {
        cli_error("no dictionaries found (data/dictionaries); give --dict DIR");
        return -1;
    }
    if (!*cameo && have_data) {
        snprintf(cdef, 4200, "%s/reference/cameo.tsv", data);
        if (bilat_file_exists(cdef))
            *cameo = cdef;
    }
    if (!*cameo)
        cli_warning("no CAMEO table (data/reference/cameo.tsv): Goldstein and quad left empty");
    return 0;
}

int cmd_code(int argc, char **argv)
{
    struct cli_run cmd = {.min_args = 0, .max_args = CLI_MAX_ARGS}; /* FILE... */
    struct opt_list dicts = {{0}, 0}, countries = {{0}, 0};
    const char *cameo = NULL, *eval = NULL, *names = NULL, *uncoded = NULL, *part = NULL;
    int json = 0, explain = 0, store = 0, monadic = 0, no_header = 0, stats = 0, strict = 0;
    const struct opt opts[] = {
        OPT_LIST(0, "dict", &dicts, "DIR|FILE", "dictionaries (repeatable; default: shipped)"),
        OPT_STRING(0, "cameo", &cameo, "FILE",
                   "CAMEO table for Goldstein and quad (default data/reference/cameo.tsv)"),
        OPT_BOOL(0, "json", &json, "JSON lines in and out"),
        OPT_BOOL(0, "explain", &explain,
                 "print how each sentence was coded: actors, entries, verb pattern"),
        OPT_BOOL(0, "store", &store, "write the events into the store (--db), origin 'coded'"),
        OPT_STRING(0, "eval", &eval, "GOLD",
                   "score against a gold TSV or a silver CSV (see above)"),
        OPT_STRING(0, "part", &part, "dev|heldout",
                   "with --eval on a gold TSV: only one half of its records, split by id"),
        OPT_LIST(0, "country", &countries, "NAME",
                 "with --eval on a silver CSV: only these countries (repeatable, or A,B)"),
        OPT_STRING(0, "unknown-names", &names, "FILE",
                   "write capitalised names no dictionary knows, by frequency, to FILE"),
        OPT_STRING(0, "uncoded", &uncoded, "FILE",
                   "write uncoded sentences with the reason to FILE"),
        OPT_BOOL(0, "monadic", &monadic, "also events without a target actor"),
        OPT_BOOL(0, "no-header", &no_header, "no header line in TSV output"),
        OPT_BOOL(0, "stats", &stats, "print dictionary sizes and load time to stderr"),
        OPT_BOOL(0, "strict", &strict, "exit 3 when input lines gave warnings"),
        OPT_END(),
    };
    int r = cli_start(&cmd, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    if (eval && (cmd.nargs || store || json)) {
        opt_usage_error(&help, "--eval reads only the gold file (no FILE, --store or --json)");
        return EXIT_USAGE;
    }
    int epart = BILAT_PART_ALL;
    if (part) {
        if (strcmp(part, "dev") == 0) {
            epart = BILAT_PART_DEV;
        } else if (strcmp(part, "heldout") == 0) {
            epart = BILAT_PART_HELDOUT;
        } else {
            opt_usage_error(&help, "--part is 'dev' or 'heldout'");
            return EXIT_USAGE;
        }
        if (!eval) {
            opt_usage_error(&help, "--part needs --eval");
            return EXIT_USAGE;
        }
    }
    const char *dlist[OPT_LIST_MAX];
    size_t nd;
    char ddef[4200], cdef[4200];
    if (coder_files(&dicts, dlist, &nd, ddef, &cameo, cdef) < 0)
        return EXIT_FAIL;

    struct run run;
    memset(&run, 0, sizeof(run));
    run.json = json;
    run.explain = explain;
    run.no_header = no_header;
    struct bilat_coder_opts co = {dlist, nd, cameo, 0, {diag_count, &run}};
    if (explain)
        co.flags |= BILAT_CODER_EXPLAIN;
    if (monadic)
        co.flags |= BILAT_CODER_MONADIC;
    if (names)
        co.flags |= BILAT_CODER_NAMES;
    bilat_coder *c = NULL;
    struct bilat_err err = {0};
    if (bilat_coder_new(&co, &c, &err) < 0)
        return cli_fail(&err);
    if (stats)
        print_stats(c);
    int rc = EXIT_OK;
    if (eval && is_silver(eval)) {
        if (part) {
            bilat_coder_free(c);
            opt_usage_error(&help, "--part is for gold files, not silver sets");
            return EXIT_USAGE;
        }
        rc = eval_silver(c, eval, &countries, explain);
        bilat_coder_free(c);
        return cli_finish(rc);
    }
    if (eval) {
        co.flags &= ~(unsigned)BILAT_CODER_EXPLAIN;
        rc = eval_gold(c, eval, epart, explain);
        bilat_coder_free(c);
        return cli_finish(rc);
    }
    /* every input must be readable before anything is written */
    for (size_t i = 0; i < cmd.nargs; i++) {
        if (strcmp(cmd.args[i], "-") != 0 && access(cmd.args[i], R_OK) != 0) {
            cli_error("cannot open '%s': %s", cmd.args[i], strerror(errno));
            bilat_coder_free(c);
            return EXIT_FAIL;
        }
    }
    if (store) {
        if (cli_open(&cmd, BILAT_OPEN_CREATE)) {
            bilat_coder_free(c);
            return EXIT_FAIL;
        }
        const char *in = cmd.nargs == 1 ? cmd.args[0] : (cmd.nargs == 0 ? "-" : "(several files)");
        if (bilat_code_store_begin(cmd.db, in, &run.st, &err) < 0) {
            rc = cli_fail(&err);
            goto out;
        }
    }
    if (uncoded && !(run.uncoded = fopen(uncoded, "w"))) {
        cli_error("cannot write '%s': %s", uncoded, strerror(errno));
        rc = EXIT_FAIL;
        goto out;
    }
    if (!json && !explain && !no_header)
        printf("date\tsource_actor\ttarget_actor\tcameo\tgoldstein\tquad\tsource_text\t"
               "target_text\tverb_text\tsentence_id\tsource_entity\ttarget_entity\n");
    if (cmd.nargs == 0) {
        rc = code_file(c, &run, "-");
    } else {
        for (size_t i = 0; i < cmd.nargs && rc == EXIT_OK; i++)
            rc = code_file(c, &run, cmd.args[i]);
    }
    if (run.st)
        rc = store_finish(&run, rc);
    if (names && rc == EXIT_OK)
        rc = write_names(c, names);
    if (rc == EXIT_OK && !cli.quiet)
        print_summary(&run);
    if (rc == EXIT_OK && strict && run.warnings)
        rc = EXIT_REJECTED;
out:
    if (run.uncoded && fclose(run.uncoded) != 0 && rc == EXIT_OK) {
        cli_error("cannot write '%s'", uncoded);
        rc = EXIT_FAIL;
    }
    if (run.st)
        bilat_code_store_finish(run.st, 0, NULL, NULL);
    else if (cmd.db && rc == EXIT_OK)
        cli_summaries(cmd.db, 0);
    bilat_db_close(cmd.db);
    bilat_coder_free(c);
    return cli_finish(rc);
}
