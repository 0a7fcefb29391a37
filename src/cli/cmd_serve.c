/*
 * cmd_serve.c: `bilat serve` (placeholder until the server lands).
 */
#include "cli/cli.h"

int cmd_serve(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return EXIT_FAIL;
}
