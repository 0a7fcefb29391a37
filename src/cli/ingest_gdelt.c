/*
 * ingest_gdelt.c: `bilat ingest gdelt FILE...` (GDELT 1.0 and 2.0 event files).
 */
#include "cli/evcli.h"

int ingest_gdelt(int argc, char **argv)
{
    return evcli_ingest(argc, argv, "gdelt", BILAT_EV_AUTO);
}
