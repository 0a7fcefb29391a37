/*
 * ingest_icews.c: `bilat ingest icews FILE...` (ICEWS event tables).
 */
#include "cli/evcli.h"

int ingest_icews(int argc, char **argv)
{
    return evcli_ingest(argc, argv, "icews", BILAT_EV_ICEWS);
}
