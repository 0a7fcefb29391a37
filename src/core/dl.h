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

#include <stddef.h>

/* A function to look up: its name and the table slot it goes to. */
struct bilat_dl_sym {
    const char *name;
    void **slot;
};

/* A table slot for function `name` (POSIX: a function pointer is stored through a void *). */
#define BILAT_DL_SYM(table, field, name)                                                           \
    {#name, (void **)(void *)&(table).field}

/*
 * Open the first of `sonames` that loads and fill every slot of `syms`. "" in `failure` (of `cap`
 * bytes) on success, else the reason, naming `what` (the library) and the missing function.
 * Not thread-safe by itself: callers run it once, under pthread_once().
 */
void bilat_dl_load(const char *what, const char *const *sonames, size_t nsonames,
                   const struct bilat_dl_sym *syms, size_t nsyms, char *failure, size_t cap);

#endif
