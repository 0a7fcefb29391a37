#include "cli/cli.h"
int cmd_coverage(int argc, char **argv)
{
    (void)argc, (void)argv;
    return EXIT_FAIL;
}
