/*
 * curl_dl.c: libcurl loaded on first use (curl_dl.h).
 */
#include "net/curl_dl.h"

#include "core/dl.h"

struct curl_dl curl_fn;

static struct bilat_dl_lib lib = BILAT_DL_LIB_INIT;

/* The sonames to try: Debian's libcurl4 (OpenSSL), then its GnuTLS build. */
static const char *const sonames[] = {"libcurl.so.4", "libcurl-gnutls.so.4"};

static void load(void)
{
#define SYM(field, name) BILAT_DL_SYM(curl_fn, field, name)
    const struct bilat_dl_sym syms[] = {
        SYM(global_init, curl_global_init),
        SYM(global_cleanup, curl_global_cleanup),
        SYM(easy_init, curl_easy_init),
        SYM(easy_setopt, curl_easy_setopt),
        SYM(easy_getinfo, curl_easy_getinfo),
        SYM(easy_cleanup, curl_easy_cleanup),
        SYM(easy_strerror, curl_easy_strerror),
        SYM(free, curl_free),
        SYM(multi_init, curl_multi_init),
        SYM(multi_add_handle, curl_multi_add_handle),
        SYM(multi_remove_handle, curl_multi_remove_handle),
        SYM(multi_perform, curl_multi_perform),
        SYM(multi_poll, curl_multi_poll),
        SYM(multi_info_read, curl_multi_info_read),
        SYM(multi_cleanup, curl_multi_cleanup),
        SYM(url, curl_url),
        SYM(url_cleanup, curl_url_cleanup),
        SYM(url_get, curl_url_get),
        SYM(url_set, curl_url_set),
    };
#undef SYM
    bilat_dl_load(&lib, "libcurl", sonames, sizeof(sonames) / sizeof(sonames[0]), syms,
                  sizeof(syms) / sizeof(syms[0]));
}

int curl_dl_load(struct bilat_err *err)
{
    return bilat_dl_ready(&lib, load, err);
}
