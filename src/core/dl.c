/*
 * dl.c: libraries loaded on first use (dl.h).
 */
#include "core/dl.h"

#include "core/err.h"

#include <dlfcn.h>
#include <stdio.h>

void bilat_dl_load(struct bilat_dl_lib *lib, const char *what, const char *const *sonames,
                   size_t nsonames, const struct bilat_dl_sym *syms, size_t nsyms)
{
    char *failure = lib->failure;
    const size_t cap = sizeof(lib->failure);
    void *h = NULL;
    for (size_t i = 0; !h && i < nsonames; i++)
        h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(failure, cap, "cannot load %s (%s): %s", what, sonames[0], dlerror());
        return;
    }
    for (size_t i = 0; i < nsyms; i++) {
        *syms[i].slot = dlsym(h, syms[i].name);
        if (!*syms[i].slot) {
            snprintf(failure, cap, "%s (%s) lacks %s: too old?", what, sonames[0], syms[i].name);
            return; /* the handle stays open: the library may be in use elsewhere */
        }
    }
    failure[0] = '\0';
}

int bilat_dl_ready(struct bilat_dl_lib *lib, void (*load)(void), struct bilat_err *err)
{
    pthread_once(&lib->once, load);
    if (lib->failure[0])
        return bilat_fail(err, BILAT_EIO, "%s", lib->failure);
    return 0;
}
