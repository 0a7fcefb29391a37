/*
 * curl_dl.h: libcurl, loaded when a download first needs it.
 *
 * Only `bilat update` downloads, yet linking libcurl made every command load it and the
 * twenty-odd libraries it depends on (TLS, Kerberos, LDAP, SSH, HTTP/2...), which took most
 * of a short command's start-up (a profile, a query). The functions fetch.c calls are looked
 * up once, with dlopen() of the soname Debian's libcurl4 ships, into `curl_fn`; their
 * prototypes come from <curl/curl.h>, so a mismatch is a compile error.
 */
#ifndef BILAT_NET_CURL_DL_H
#define BILAT_NET_CURL_DL_H

#include "bilat.h"

#include <curl/curl.h>

struct curl_dl {
    __typeof__(curl_global_init) *global_init;
    __typeof__(curl_global_cleanup) *global_cleanup;
    __typeof__(curl_easy_init) *easy_init;
    __typeof__(curl_easy_setopt) *easy_setopt;
    __typeof__(curl_easy_getinfo) *easy_getinfo;
    __typeof__(curl_easy_cleanup) *easy_cleanup;
    __typeof__(curl_easy_strerror) *easy_strerror;
    __typeof__(curl_free) *free;
    __typeof__(curl_multi_init) *multi_init;
    __typeof__(curl_multi_add_handle) *multi_add_handle;
    __typeof__(curl_multi_remove_handle) *multi_remove_handle;
    __typeof__(curl_multi_perform) *multi_perform;
    __typeof__(curl_multi_poll) *multi_poll;
    __typeof__(curl_multi_info_read) *multi_info_read;
    __typeof__(curl_multi_cleanup) *multi_cleanup;
    __typeof__(curl_url) *url;
    __typeof__(curl_url_cleanup) *url_cleanup;
    __typeof__(curl_url_get) *url_get;
    __typeof__(curl_url_set) *url_set;
};

/* The functions, once curl_dl_load() has returned 0. */
extern struct curl_dl curl_fn;

/*
 * Load libcurl and look up its functions (once a process; thread-safe). 0, or BILAT_EIO with
 * the loader's reason when the library or one of its functions is missing.
 */
int curl_dl_load(struct bilat_err *err);

#endif
