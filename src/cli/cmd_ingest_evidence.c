/*
 * cmd_ingest_evidence.c: `bilat ingest chinavitae|ceias|aiddata-fd|ungdc [FILE...]`: leaders'
 * engagements and visits, finance projects and UN General Debate speeches (bilat.h:
 * bilat_evidence_ingest; docs/EVENTS.md).
 *
 * Files whose terms do not allow shipping them (ChinaVitae, CEIAS) are read from the user's
 * copy: `--external DIR` reads the file at its path in the shared data layout under DIR, and a
 * file that is not there is skipped with a warning (exit 0), as `bilat load --external` does.
 */
#include "cli/cli.h"

#include "core/file.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct cmd_help help_chinavitae = {
    "ingest chinavitae", "[options] [FILE...]\n[options] --external DIR",
    "Ingest Chinese leaders' engagements (ChinaVitae, 2003-2018) as coded events.",
    "FILE is CSV with the columns date, year, country, leader, text: one sentence per\n"
    "engagement of a Chinese leader (Xi Jinping, Hu Jintao, Li Keqiang, Wen Jiabao, Wang Yi,\n"
    "Yang Jiechi, Li Zhaoxing) with a country. Each sentence is coded by the event coder: the\n"
    "row's leader is the Chinese side, each counterpart of the row's country named in a\n"
    "\"met with the following:\" list the other side (a person when the dictionaries know the\n"
    "name, else the role at the date: KHMGOV). The channel comes from the counterpart's title\n"
    "(a party or military office), the level from the ranks of the two sides. A row whose\n"
    "sentence the coder cannot read as China and the row's country still gives one engagement\n"
    "record (the leader and the country, CAMEO 04), marked uncoded with the reason. Events have\n"
    "origin 'imported'; how each was made is in the event_import table. The file is not shipped\n"
    "(no licence stated): read your copy with --external DIR\n"
    "(DIR/diplomacy/chinavitae_leader_engagements_2003_2018.csv) or name it.\n\n"
    "A bad row is reported as file:line: reason and left out; the good rows are kept.\n"
    "Re-ingesting a file replaces what an earlier ingest read from a file of that name.\n"
    "Load data/reference and data/series first (country names, the source).\n"};

static const struct cmd_help help_ceias = {
    "ingest ceias", "[options] [FILE...]\n[options] --external DIR",
    "Ingest Chinese presidents' and premiers' visits abroad (CEIAS, 1949-2020).",
    "FILE is CSV with the columns Year, Name, Level, Country (CEIAS \"Who, Where, When\").\n"
    "Each row becomes a visit event at year precision: the leader (a person actor) visits the\n"
    "country, CAMEO 042, level leader, government channel (party for Level \"Leader CCP\").\n"
    "The file is not shipped (no licence stated): read your copy with --external DIR\n"
    "(DIR/diplomacy/ceias_who_where_when_chinese_leader_travel_1949_2020.csv) or name it.\n"
    "Bad rows are reported and left out; re-ingesting replaces the earlier rows.\n"};

static const struct cmd_help help_fd = {
    "ingest aiddata-fd", "[options] [FILE...]\n[options] --external DIR",
    "Ingest AidData's Chinese financial diplomacy projects (2000-2017).",
    "FILE is AidData's China Public Diplomacy v2.0 project details (CSV): project_id, year,\n"
    "donor, recipient_iso3, title, description, flow class, amounts. Each project becomes a\n"
    "finance_project row with its type, category, flow, amounts (original currency, current\n"
    "USD, constant 2017 USD; missing stays missing) and description.\n\n"
    "The shipped file:\n"
    "  bilat ingest aiddata-fd \\\n"
    "      data/raw/diplomacy/aiddata_china_financial_diplomacy_project_details_v2.csv\n"};

static const struct cmd_help help_ungdc = {
    "ingest ungdc", "[options] [FILE...]\n[options] --external DIR",
    "Ingest UN General Debate statements (UNGDC) and the vocabulary terms they use.",
    "FILE holds JSON lines {\"file\", \"iso3\", \"session\", \"year\", \"sha1\", \"text\"}, one\n"
    "statement a line. Each becomes a speech row (the text is kept; a text that does not match\n"
    "its sha1 is rejected) and a speech_term row per vocabulary term it uses (docs/MEASURES.md,\n"
    "\"Speech vocabulary\"). China's statements up to the 26th session (1971) were given by the\n"
    "Republic of China's delegation, which held the seat until 25 October 1971: their\n"
    "`delegation` says so.\n\n"
    "The shipped file:\n"
    "  bilat ingest ungdc data/raw/text/ungdc_khm_chn_speeches_1946_2024.jsonl\n"};

/* The event coder for ChinaVitae: --dict (default: the shipped dictionaries), --cameo. */
static int make_coder(const struct opt_list *dicts, const char *cameo, bilat_coder **out)
{
    char data[4096] = "", ddef[4200], cdef[4200];
    int have_data = cli_data_dir(data, sizeof(data)) == 0;
    const char *dlist[OPT_LIST_MAX];
    size_t nd = dicts->n;
    for (size_t i = 0; i < nd; i++)
        dlist[i] = dicts->v[i];
    if (!nd && have_data) {
        snprintf(ddef, sizeof(ddef), "%s/dictionaries", data);
        dlist[nd++] = ddef;
    }
    if (!nd) {
        cli_error("no dictionaries found (data/dictionaries); give --dict DIR");
        return EXIT_FAIL;
    }
    if (!cameo && have_data) {
        snprintf(cdef, sizeof(cdef), "%s/reference/cameo.tsv", data);
        if (bilat_file_exists(cdef))
            cameo = cdef;
    }
    struct bilat_coder_opts co = {dlist, nd, cameo, 0, {cli_diag, NULL}};
    struct bilat_err err = {0};
    if (bilat_coder_new(&co, out, &err) < 0)
        return cli_fail(&err);
    return 0;
}

static int run(int argc, char **argv, enum bilat_evidence_kind kind, const struct cmd_help *help)
{
    struct cli_run run = {.min_args = 0, .max_args = CLI_MAX_ARGS};
    const char *source = NULL, *external = NULL, *cameo = NULL;
    int strict = 0;
    struct opt_list dicts = {{0}, 0};
    char src_help[160];
    snprintf(src_help, sizeof(src_help), "source of the rows (default %s)",
             bilat_evidence_default_source(kind));
    const struct opt with_coder[] = {
        OPT_STRING(0, "source", &source, "ID", src_help),
        OPT_STRING(0, "external", &external, "DIR", "read the file from DIR (the shared data "
                                                    "layout); skip it when missing"),
        OPT_LIST(0, "dict", &dicts, "DIR|FILE", "coder dictionaries (repeatable; default: "
                                                "shipped)"),
        OPT_STRING(0, "cameo", &cameo, "FILE",
                   "CAMEO table for Goldstein and quad (default data/reference/cameo.tsv)"),
        OPT_BOOL(0, "strict", &strict, "exit 3 when rows were rejected"),
        OPT_END(),
    };
    const struct opt plain[] = {
        OPT_STRING(0, "source", &source, "ID", src_help),
        OPT_STRING(0, "external", &external, "DIR", "read the file from DIR (the shared data "
                                                    "layout); skip it when missing"),
        OPT_BOOL(0, "strict", &strict, "exit 3 when rows were rejected"),
        OPT_END(),
    };
    const struct opt *opts = kind == BILAT_EVIDENCE_CHINAVITAE ? with_coder : plain;
    int r = cli_start(&run, argc, argv, opts, help);
    if (r >= 0)
        return r;
    char ext[4200];
    if (external && run.nargs) {
        opt_usage_error(help, "give FILE or --external DIR, not both");
        return EXIT_USAGE;
    }
    if (!external && !run.nargs) {
        opt_usage_error(help, "which file? (give FILE, or --external DIR)");
        return EXIT_USAGE;
    }
    if (external) {
        snprintf(ext, sizeof(ext), "%s/%s", external, bilat_evidence_external_path(kind));
        if (!bilat_file_exists(ext)) {
            cli_warning("%s not found: %s skipped (its terms do not allow shipping it; see "
                        "data/SOURCES.md)",
                        ext, bilat_evidence_kind_name(kind));
            return cli_finish(EXIT_OK);
        }
        run.args[0] = ext;
        run.nargs = 1;
    }
    bilat_coder *coder = NULL;
    if (kind == BILAT_EVIDENCE_CHINAVITAE && (r = make_coder(&dicts, cameo, &coder)) != 0)
        return r;
    if (cli_open(&run, BILAT_OPEN_CREATE)) {
        bilat_coder_free(coder);
        return EXIT_FAIL;
    }
    struct bilat_evidence_opts o = {source, coder, {cli_diag, NULL}};
    struct bilat_evidence_stats st;
    int rc = bilat_evidence_ingest(run.db, kind, run.args, run.nargs, &o, &st, &run.err);
    bilat_coder_free(coder);
    if (cli_end_write(&run, rc))
        return EXIT_FAIL;
    char what[200];
    switch (kind) {
    case BILAT_EVIDENCE_CHINAVITAE:
        snprintf(what, sizeof(what), "%llu events (%llu coded, %llu engagement records)",
                 (unsigned long long)st.events, (unsigned long long)st.coded,
                 (unsigned long long)st.uncoded);
        break;
    case BILAT_EVIDENCE_CEIAS:
        snprintf(what, sizeof(what), "%llu visit events", (unsigned long long)st.events);
        break;
    case BILAT_EVIDENCE_AIDDATA_FD:
        snprintf(what, sizeof(what), "%llu finance projects", (unsigned long long)st.projects);
        break;
    case BILAT_EVIDENCE_UNGDC:
        snprintf(what, sizeof(what), "%llu speeches, %llu speech terms",
                 (unsigned long long)st.speeches, (unsigned long long)st.terms);
        break;
    }
    cli_info("ingested %llu file%s into %s: %llu rows, %s; %llu rejected; %llu actors added; "
             "%llu earlier rows replaced",
             (unsigned long long)st.files, st.files == 1 ? "" : "s", cli.db_path,
             (unsigned long long)st.rows, what, (unsigned long long)st.rejected,
             (unsigned long long)st.actors, (unsigned long long)st.replaced);
    return cli_finish(strict && st.rejected ? EXIT_REJECTED : EXIT_OK);
}

int ingest_chinavitae(int argc, char **argv)
{
    return run(argc, argv, BILAT_EVIDENCE_CHINAVITAE, &help_chinavitae);
}

int ingest_ceias(int argc, char **argv)
{
    return run(argc, argv, BILAT_EVIDENCE_CEIAS, &help_ceias);
}

int ingest_aiddata_fd(int argc, char **argv)
{
    return run(argc, argv, BILAT_EVIDENCE_AIDDATA_FD, &help_fd);
}

int ingest_ungdc(int argc, char **argv)
{
    return run(argc, argv, BILAT_EVIDENCE_UNGDC, &help_ungdc);
}
