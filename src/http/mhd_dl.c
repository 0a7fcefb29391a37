/*
 * mhd_dl.c: libmicrohttpd loaded on first use (mhd_dl.h).
 */
#include "http/mhd_dl.h"

#include "core/dl.h"

struct mhd_dl mhd_fn;

static struct bilat_dl_lib lib = BILAT_DL_LIB_INIT;

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
    bilat_dl_load(&lib, "libmicrohttpd", sonames, sizeof(sonames) / sizeof(sonames[0]), syms,
                  sizeof(syms) / sizeof(syms[0]));
}

int mhd_dl_load(struct bilat_err *err)
{
    return bilat_dl_ready(&lib, load, err);
}
