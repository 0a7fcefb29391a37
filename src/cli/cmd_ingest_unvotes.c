/*
 * cmd_ingest_unvotes.c: `bilat ingest unvotes FILE...`, `bilat ingest idealpoints FILE...` and
 * `bilat ingest undl FILE...`.
 */
#include "cli/cli.h"

#include <stdio.h>

static const struct cmd_help help_votes = {
    "ingest unvotes", "[--source ID] FILE...",
    "Ingest UN General Assembly roll calls, issue tags and votes.",
    "Each FILE is CSV, plain or gzip-compressed, recognised by its header:\n"
    "  roll calls  rcid,session,date[,importantvote,unres,short,descr,amend,para]\n"
    "  issue tags  rcid,short_name,issue\n"
    "  votes       rcid,cc|country_code|country,vote\n"
    "Countries are ISO3 or ISO2 codes (mapped through the country table: load data/reference\n"
    "first). Votes are yes/no/abstain/absent, y/n/a, or Voeten's 1/2/3/8; 9 (non-member) and\n"
    "rows without a country code (an unquoted NA) are skipped and counted. Roll calls are\n"
    "written first, so a roll-call file and its votes can be given together. Everything is one\n"
    "transaction: a bad row (reported as file:line: reason) leaves the store as it was.\n"
    "Re-ingesting a file updates its rows in place.\n\n"
    "The shipped data:\n"
    "  bilat ingest unvotes data/raw/un_votes/unvotes_roll_calls_1946_2019.csv \\\n"
    "      data/raw/un_votes/unvotes_roll_call_issues.csv \\\n"
    "      data/raw/un_votes/unvotes_votes_all_1946_2019.csv.gz\n"};

static const struct cmd_help help_ideal = {
    "ingest idealpoints", "[--source ID] FILE...",
    "Ingest Bailey-Strezhnev-Voeten UN ideal points (one row per country and year).",
    "FILE is CSV with at least ccode, year and idealpointall (iso3c, idealpointfp,\n"
    "idealpointlegacy and the nvotes columns are kept when present). COW codes are mapped to\n"
    "ISO3 through the country table; a code it lacks takes the file's own iso3c. When two COW\n"
    "codes give the same country and year (COW 260, the German Federal Republic, and 255,\n"
    "Germany, in 1990) the row of the country's own code is kept and the other skipped.\n\n"
    "The shipped data:\n"
    "  bilat ingest idealpoints data/raw/un_votes/idealpoints_july2025_1946_2024.csv\n"};

static const struct cmd_help help_undl = {
    "ingest undl", "RESOLUTIONS VOTES [IMPORTANT]...",
    "Ingest UN General Assembly votes from the UN Digital Library, and important votes.",
    "Files are CSV, plain or gzip-compressed, told by their header:\n"
    "  resolutions  undl_id,body,symbol,vote_date[,title]      one row per voting record\n"
    "  votes        undl_id,iso3,vote                          one row per state and record\n"
    "  one file     undl_id,ms_code,ms_vote,date,resolution    the UN's own download\n"
    "  important    report_year,listed_as,symbol,undl_id,vote_date   the State Department's\n"
    "               important votes (reports to Congress on voting practices in the UN)\n"
    "Only General Assembly records are roll calls; Security Council records are left out.\n"
    "A record whose symbol and date (within 7 days) match a roll call already in the store\n"
    "(Voeten's data to 2019, curated roll calls) is that roll call: never counted twice; its\n"
    "votes are added for the states it lacks, and a vote that differs from the store's is\n"
    "reported and not overwritten. Votes Y, N, A are yes, no, abstain; NV (listed without a\n"
    "vote) is stored as nonvoting, apart from absent. Important votes flag their roll calls\n"
    "(important = 1, important_source usdos-voting-practices); the other roll calls of the years\n"
    "a report covers become known as not important. One transaction: a bad row (file:line:\n"
    "reason) leaves the store as it was. Re-ingesting updates rows in place.\n\n"
    "The UN Digital Library's terms allow non-commercial use with attribution, so its files\n"
    "are not shipped; make demo reads them from ../shared/data when it exists:\n"
    "  bilat ingest undl DIR/un_votes/undl_rudakov_resolutions_2019_2025.csv \\\n"
    "      DIR/un_votes/undl_rudakov_votes_2019_2025.csv.gz \\\n"
    "      data/raw/un_votes/usdos_important_votes_2019_2023.csv\n"};

int ingest_undl(int argc, char **argv)
{
    struct cli_run run = {.min_args = 1, .max_args = CLI_MAX_ARGS, .open = BILAT_OPEN_CREATE};
    const struct opt opts[] = {OPT_END()};
    int r = cli_start(&run, argc, argv, opts, &help_undl);
    if (r >= 0)
        return r;
    struct bilat_unvotes_opts o = {NULL, {cli_diag, NULL}};
    struct bilat_undl_stats st;
    int rc = bilat_undl_ingest(run.db, run.args, run.nargs, &o, &st, &run.err);
    if (cli_end_write(&run, rc))
        return EXIT_FAIL;
    cli_info("ingested %llu file%s into %s: %llu new roll calls, %llu matched to roll calls "
             "already in the store, %llu votes (%llu already there and the same, %llu "
             "different: kept as they were); %llu Security Council rows left out",
             (unsigned long long)st.files, st.files == 1 ? "" : "s", cli.db_path,
             (unsigned long long)st.calls, (unsigned long long)st.matched,
             (unsigned long long)st.votes, (unsigned long long)st.votes_agreeing,
             (unsigned long long)st.votes_differing, (unsigned long long)st.skipped_sc);
    if (st.important || st.important_unmatched || st.important_without_vote)
        cli_info("important votes: %llu roll calls flagged; %llu important actions adopted "
                 "without a vote; %llu not found among the roll calls",
                 (unsigned long long)st.important, (unsigned long long)st.important_without_vote,
                 (unsigned long long)st.important_unmatched);
    return cli_finish(EXIT_OK);
}

static int run(int argc, char **argv, const struct cmd_help *help, int ideal)
{
    struct cli_run run = {.min_args = 1, .max_args = CLI_MAX_ARGS, .open = BILAT_OPEN_CREATE};
    const char *source = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "source", &source, "ID",
                   ideal ? "source of the rows (default voeten-idealpoints)"
                         : "source of the rows (default unvotes-pkg)"),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, help);
    if (r >= 0)
        return r;
    struct bilat_unvotes_opts o = {source, {cli_diag, NULL}};
    struct bilat_unvotes_stats st;
    int rc = ideal ? bilat_idealpoints_ingest(run.db, run.args, run.nargs, &o, &st, &run.err)
                   : bilat_unvotes_ingest(run.db, run.args, run.nargs, &o, &st, &run.err);
    if (cli_end_write(&run, rc))
        return EXIT_FAIL;
    if (ideal)
        cli_info("ingested %llu file%s into %s: %llu ideal points; %llu row%s skipped",
                 (unsigned long long)st.files, st.files == 1 ? "" : "s", cli.db_path,
                 (unsigned long long)st.ideal_points, (unsigned long long)st.skipped,
                 st.skipped == 1 ? "" : "s");
    else
        cli_info("ingested %llu file%s into %s: %llu roll calls, %llu issue tags, %llu votes; "
                 "%llu row%s skipped",
                 (unsigned long long)st.files, st.files == 1 ? "" : "s", cli.db_path,
                 (unsigned long long)st.calls, (unsigned long long)st.issues,
                 (unsigned long long)st.votes, (unsigned long long)st.skipped,
                 st.skipped == 1 ? "" : "s");
    if (st.unflagged)
        cli_info("%llu roll call%s without an important-vote flag (NA): stored as not flagged "
                 "(important = 0, important_known = 0)",
                 (unsigned long long)st.unflagged, st.unflagged == 1 ? "" : "s");
    return cli_finish(EXIT_OK);
}

int ingest_unvotes(int argc, char **argv)
{
    return run(argc, argv, &help_votes, 0);
}

int ingest_idealpoints(int argc, char **argv)
{
    return run(argc, argv, &help_ideal, 1);
}
