/*
 * cmd_report.c: `bilat report A B [--from Y] [--to Y] -o FILE.html [--pdf FILE.pdf]`.
 *
 * --pdf prints the written report with headless chromium (--print-to-pdf): the report's print
 * stylesheet hides the navigation and the download links and keeps sections together.
 */
#include "cli/cli.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static const struct cmd_help help = {
    "report", "[--from YEAR] [--to YEAR] -o FILE.html [--pdf FILE.pdf] [-j N] A B",
    "Write the self-contained HTML report of actors A and B.",
    "The report is one HTML file with inline SVG charts drawn by bilat and no network access:\n"
    "the brief's claims with their verdicts and evidence, events per year by channel, the\n"
    "timeline of curated events with each event's source, the indicator series, the elite\n"
    "network, the narratives, the data coverage by source and the list of sources. Every table\n"
    "can be downloaded from the report as CSV and JSON. It is written to a temporary file and\n"
    "renamed, so a failure never leaves half a report.\n\n"
    "--pdf also prints it to PDF with headless chromium (BILAT_CHROMIUM names another\n"
    "binary than /usr/bin/chromium).\n"};

/* Run chromium to print `html` to `pdf`; 0 or EXIT_FAIL after a message. */
static int print_pdf(const char *html, const char *pdf)
{
    const char *chromium = getenv("BILAT_CHROMIUM");
    if (!chromium || !*chromium)
        chromium = "/usr/bin/chromium";
    if (access(chromium, X_OK) != 0) {
        cli_error("cannot print to PDF: '%s' is not an executable chromium (install chromium, "
                  "or set BILAT_CHROMIUM)",
                  chromium);
        return EXIT_FAIL;
    }
    char abs[PATH_MAX], url[PATH_MAX + 16], out[PATH_MAX + 24], prof[] = "/tmp/bilat-pdf-XXXXXX";
    char udd[sizeof(prof) + 20];
    if (!realpath(html, abs)) {
        cli_error("cannot find '%s': %s", html, strerror(errno));
        return EXIT_FAIL;
    }
    if (!mkdtemp(prof)) {
        cli_error("cannot create a temporary directory: %s", strerror(errno));
        return EXIT_FAIL;
    }
    snprintf(url, sizeof(url), "file://%s", abs);
    snprintf(out, sizeof(out), "--print-to-pdf=%s", pdf);
    snprintf(udd, sizeof(udd), "--user-data-dir=%s", prof);
    char exe[PATH_MAX];
    snprintf(exe, sizeof(exe), "%s", chromium);
    char *args[] = {exe, (char *)"--headless", (char *)"--disable-gpu",
                    (char *)"--no-first-run", (char *)"--disable-background-networking",
                    (char *)"--no-pdf-header-footer", udd, out,
                    geteuid() == 0 ? (char *)"--no-sandbox" : url, geteuid() == 0 ? url : NULL,
                    NULL};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    /* chromium's chatter is not bilat's output */
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", 1 /* O_WRONLY */, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 1, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, chromium, &fa, NULL, args, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = -1, ok = 0;
    if (rc == 0) {
        /* wait at most two minutes */
        for (int i = 0; i < 1200; i++) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid) {
                ok = 1;
                break;
            }
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        if (!ok) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    char rm[sizeof(prof) + 16];
    snprintf(rm, sizeof(rm), "rm -rf '%s'", prof);
    if (system(rm) != 0)
        cli_warning("could not remove '%s'", prof);
    struct stat st;
    if (rc != 0 || !ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(pdf, &st) != 0 ||
        st.st_size == 0) {
        cli_error("chromium could not print '%s' to '%s'%s", html, pdf,
                  rc ? " (cannot start it)" : !ok ? " (timed out)" : "");
        return EXIT_FAIL;
    }
    cli_info("wrote %s", pdf);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    struct cli_run run = {.min_args = 2, .max_args = 2, .jobs = 2};
    const char *out = NULL, *pdf = NULL;
    const struct opt opts[] = {
        OPT_STRING('o', "output", &out, "FILE", "write the report to FILE (required)"),
        CLI_OPT_PERIOD(&run),
        OPT_STRING(0, "pdf", &pdf, "FILE", "also print the report to FILE as PDF (chromium)"),
        CLI_OPT_JOBS(&run),
        OPT_END(),
    };
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    if (!out || !*out) {
        opt_usage_error(&help, "no output file (-o FILE.html)");
        return EXIT_USAGE;
    }
    /* the command that regenerates this report, as the report states it */
    char command[1024], per[64] = "";
    if (run.from)
        snprintf(per, sizeof(per), " --from %ld", run.from);
    if (run.to)
        snprintf(per + strlen(per), sizeof(per) - strlen(per), " --to %ld", run.to);
    snprintf(command, sizeof(command), "bilat --db %s report %s %s%s -o %s", cli.db_path,
             run.args[0], run.args[1], per, out);
    if (cli_open(&run, BILAT_OPEN_READONLY))
        return EXIT_FAIL;
    struct bilat_profile_opts po = {.a = run.args[0], .b = run.args[1], .from = (int)run.from,
                                    .to = (int)run.to, .command = command,
                                    .jobs = (int)(run.jobs > 2 ? 2 : run.jobs)};
    int rc = bilat_profile_save(run.db, &po, BILAT_FORMAT_HTML, out, &run.err);
    bilat_db_close(run.db);
    if (rc < 0)
        return cli_fail_code(rc, &run.err);
    cli_info("wrote %s", out);
    if (pdf && print_pdf(out, pdf))
        return EXIT_FAIL;
    return cli_finish(EXIT_OK);
}
