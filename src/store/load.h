/*
 * load.h: curated dataset loading (implements bilat_load_dirs() of bilat.h).
 */
#ifndef BILAT_STORE_LOAD_H
#define BILAT_STORE_LOAD_H

#include "bilat.h"

#endif
