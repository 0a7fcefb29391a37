/*
 * dl.h: a shared library loaded with dlopen() when a command first needs it.
 *
 * A library only one command uses (libcurl for `bilat update`, libmicrohttpd for `bilat serve`)
 * would, linked, be loaded with everything it depends on by every command, and start-up is part
 * of each short command's time. Such a library is opened by its soname instead and its functions
 * looked up into a table whose types come from the library's own header (net/curl_dl.h,
 * http/mhd_dl.h), so that a mismatch is a compile error.
 */
#ifndef BILAT_CORE_DL_H
#define BILAT_CORE_DL_H

#include "bilat.h"

#include <pthread.h>
#include <stddef.h>

/* A function to look up: its name and the table slot it goes to. */
struct bilat_dl_sym {
    const char *name;
    void **slot;
};

/* A table slot for function `name` (POSIX: a function pointer is stored through a void *). */
#define BILAT_DL_SYM(table, field, name)                                                           \
    {#name, (void **)(void *)&(table).field}

/* A library loaded once a process: PTHREAD_ONCE_INIT and an empty reason to start with. */
struct bilat_dl_lib {
    pthread_once_t once;
    char failure[300]; /* why it could not be loaded; empty when it was */
};
#define BILAT_DL_LIB_INIT {PTHREAD_ONCE_INIT, {0}}

/*
 * Open the first of `sonames` that loads and fill every slot of `syms`; on failure, the reason,
 * naming `what` (the library) and the missing function, goes to lib->failure. Called by the
 * `load` function that bilat_dl_ready() runs once.
 */
void bilat_dl_load(struct bilat_dl_lib *lib, const char *what, const char *const *sonames,
                   size_t nsonames, const struct bilat_dl_sym *syms, size_t nsyms);

/* Run `load` once a process (thread-safe); 0, or BILAT_EIO with the reason the library could
 * not be loaded. */
int bilat_dl_ready(struct bilat_dl_lib *lib, void (*load)(void), struct bilat_err *err);

#endif
