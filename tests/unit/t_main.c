/*
 * t_main.c: the runner. Each test runs in turn; the run fails if any assertion failed.
 * Usage: t_unit [FILTER]  (run the tests whose name contains FILTER)
 */
#include "t.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int t_failed;
const char *t_tmpdir;

const char *t_write_file(const char *name, const char *data)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", t_tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    fwrite(data, 1, strlen(data), f);
    if (fclose(f) != 0) {
        perror(path);
        exit(1);
    }
    return path;
}

int main(int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    char tmpl[] = "/tmp/bilat-unit-XXXXXX";
    t_tmpdir = mkdtemp(tmpl);
    if (!t_tmpdir) {
        perror("mkdtemp");
        return 1;
    }
    int run = 0, failed = 0;
    for (const struct t_case *c = t_cases; c->name; c++) {
        if (filter && !strstr(c->name, filter))
            continue;
        t_failed = 0;
        c->fn();
        run++;
        if (t_failed) {
            failed++;
            fprintf(stderr, "FAIL %s\n", c->name);
        }
    }
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", t_tmpdir);
    printf("unit: %d tests, %d failed\n", run, failed);
    return failed ? 1 : 0;
}
