/*
 * mhd_dl.c: libmicrohttpd loaded on first use (mhd_dl.h).
 */
#include "http/mhd_dl.h"

#include "core/dl.h"
#include "core/err.h"

#include <pthread.h>

struct mhd_dl mhd_fn;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[300]; /* empty when loaded */

/* Debian's libmicrohttpd12 (bookworm; libmicrohttpd12t64 after it keeps the soname) */
static const char *const sonames[] = {"libmicrohttpd.so.12"};

static void load(void)
{
#define SYM(field, name) BILAT_DL_SYM(mhd_fn, field, name)
    const struct bilat_dl_sym syms[] = {
        SYM(start_daemon, MHD_start_daemon),
        SYM(stop_daemon, MHD_stop_daemon),
        SYM(get_daemon_info, MHD_get_daemon_info),
        SYM(get_connection_info, MHD_get_connection_info),
        SYM(get_connection_values, MHD_get_connection_values),
        SYM(lookup_connection_value, MHD_lookup_connection_value),
        SYM(suspend_connection, MHD_suspend_connection),
        SYM(resume_connection, MHD_resume_connection),
        SYM(create_response_from_buffer_with_free_callback_cls,
            MHD_create_response_from_buffer_with_free_callback_cls),
        SYM(add_response_header, MHD_add_response_header),
        SYM(queue_response, MHD_queue_response),
        SYM(destroy_response, MHD_destroy_response),
    };
#undef SYM
    bilat_dl_load("libmicrohttpd", sonames, sizeof(sonames) / sizeof(sonames[0]), syms,
                  sizeof(syms) / sizeof(syms[0]), failure, sizeof(failure));
}

int mhd_dl_load(struct bilat_err *err)
{
    pthread_once(&once, load);
    if (failure[0])
        return bilat_fail(err, BILAT_EIO, "%s", failure);
    return 0;
}
