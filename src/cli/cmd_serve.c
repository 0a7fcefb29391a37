/*
 * cmd_serve.c: `bilat serve [--port N] [--host ADDR] [--token-file F] [--threads N]`.
 *
 * The server runs in libmicrohttpd's threads; this thread blocks SIGINT and SIGTERM before
 * starting it (so that every server thread inherits the mask) and waits for one of them.
 */
#include "cli/cli.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

static const struct cmd_help help = {
    "serve", "[--port N] [--host ADDR] [--db FILE] [--token-file FILE] [--threads N]",
    "Serve the web pages and the JSON API of the store.",
    "Pages: / (choose a dyad), /profile?a=KHM&b=CHN (the profile with a period selector),\n"
    "/claims, /events (filters and paging), /compare, /report (the self-contained report).\n"
    "JSON API under /api/ (docs/API.md): /api/profile, /api/claims, /api/events,\n"
    "/api/network, /api/narratives, /api/votes, /api/compare, /api/actors, /api/cite.\n\n"
    "The server listens on 127.0.0.1 unless --host says otherwise. Writes (POST /api/events)\n"
    "need the token of --token-file, sent as 'Authorization: Bearer TOKEN'; without\n"
    "--token-file every write is refused. The token is the file's first line, at least 16\n"
    "characters, with no white space (a file with a stray space is refused at start). The\n"
    "token file must not be readable by others. DELETE /api/events/REF (same token) removes\n"
    "an event that was added through the API.\n\n"
    "Limits: a request must arrive whole within 10 s of a connection's start (or of the end of\n"
    "the request before), however slowly it trickles; one client address keeps at most 256\n"
    "connections waiting for a request, all clients 768: past that the oldest waiting one is\n"
    "closed. See docs/API.md.\n"
    "Stop the server with Ctrl-C (SIGINT) or SIGTERM.\n"};

/* Read the token: the file's first line, at least 16 characters. */
static int read_token(const char *path, char *out, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        cli_error("cannot read token file '%s': %s", path, strerror(errno));
        return -1;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO))
        cli_warning("token file '%s' is readable by others (chmod 600 '%s')", path, path);
    FILE *f = fopen(path, "r");
    if (!f || !fgets(out, (int)len, f)) {
        cli_error("cannot read token file '%s': %s", path, f ? "empty" : strerror(errno));
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    size_t n = strcspn(out, "\r\n");
    out[n] = '\0';
    /* A client sends the token after "Bearer ", where white space cannot be part of it: a
     * token file with a stray space would make every write fail with 'wrong token'. */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c <= ' ' || c == 0x7f) {
            cli_error("the token in '%s' %s white space or a control character (at byte %zu): "
                      "a client cannot send it; write the token alone on the first line",
                      path, i == 0 ? "starts with" : i + 1 == n ? "ends with" : "holds", i + 1);
            return -1;
        }
    }
    if (n < 16) {
        cli_error("the token in '%s' is too short (16 characters or more)", path);
        return -1;
    }
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    long port = 8080, threads = 0;
    const char *host = "127.0.0.1", *token_file = NULL, *db = NULL;
    const struct opt opts[] = {
        OPT_STRING(0, "db", &db, "FILE", "the store (the same as the global --db)"),
        OPT_INT('p', "port", &port, "N", "port to listen on (default 8080; 0: any free port)"),
        OPT_STRING(0, "host", &host, "ADDR", "address to bind (default 127.0.0.1)"),
        OPT_STRING(0, "token-file", &token_file, "FILE",
                   "allow writes with the bearer token in FILE"),
        OPT_INT(0, "threads", &threads, "N", "worker threads (default: two per CPU)"),
        OPT_END(),
    };
    struct cli_run run = {.min_args = 0, .max_args = 0}; /* the server opens the store */
    int r = cli_start(&run, argc, argv, opts, &help);
    if (r >= 0)
        return r;
    if (port < 0 || port > 65535) {
        opt_usage_error(&help, "bad port %ld", port);
        return EXIT_USAGE;
    }
    if (threads < 0 || threads > 64) {
        opt_usage_error(&help, "--threads takes 1 to 64");
        return EXIT_USAGE;
    }
    if (db && *db)
        cli.db_path = db;
    char token[512];
    if (token_file && read_token(token_file, token, sizeof(token)) < 0)
        return EXIT_FAIL;
    /* up to 1000 connections, plus the store and the listening socket: raise the soft limit
     * on open files to the hard one (often 1024 by default) */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max && rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1100)
        cli_warning("open files are limited to %llu (ulimit -n): fewer than 1000 clients can "
                    "connect at once", (unsigned long long)rl.rlim_cur);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct bilat_server_opts so = {cli.db_path,         host, (unsigned)port,
                                   token_file ? token : NULL, (unsigned)threads, 0,
                                   {cli_diag, NULL}};
    bilat_server *srv = NULL;
    struct bilat_err err = {0};
    int rc = bilat_server_start(&so, &srv, &err);
    memset(token, 0, sizeof(token));
    if (rc < 0)
        return cli_fail(&err);
    /* the address goes to stdout (scripts read it), the rest to stderr */
    printf("http://%s%s%s:%u/\n", strchr(host, ':') ? "[" : "", host,
           strchr(host, ':') ? "]" : "", bilat_server_port(srv));
    fflush(stdout);
    cli_info("serving %s%s; Ctrl-C stops", cli.db_path,
             token_file ? " (writes allowed with the token)" : " (read-only)");
    int sig = 0;
    sigwait(&set, &sig);
    cli_info("stopping (%s)", sig == SIGINT ? "SIGINT" : "SIGTERM");
    bilat_server_stop(srv);
    return cli_finish(EXIT_OK);
}
