/*
 * mhd_dl.h: libmicrohttpd, loaded when `bilat serve` starts a server.
 *
 * Only the server needs it, yet linking it made every command load it and the ten libraries
 * behind it (GnuTLS, p11-kit, nettle, GMP, libidn2...): about 3 ms of every command's start-up,
 * a tenth of a profile's time from the command line. The functions server.c calls are looked
 * up once (core/dl.h) with dlopen() of the soname Debian's libmicrohttpd12 ships, into
 * `mhd_fn`; their prototypes come from <microhttpd.h>, so a mismatch is a compile error.
 */
#ifndef BILAT_HTTP_MHD_DL_H
#define BILAT_HTTP_MHD_DL_H

#include "bilat.h"

#include <stdarg.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <microhttpd.h>

struct mhd_dl {
    __typeof__(MHD_start_daemon) *start_daemon;
    __typeof__(MHD_stop_daemon) *stop_daemon;
    __typeof__(MHD_get_daemon_info) *get_daemon_info;
    __typeof__(MHD_get_connection_info) *get_connection_info;
    __typeof__(MHD_get_connection_values) *get_connection_values;
    __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
    __typeof__(MHD_suspend_connection) *suspend_connection;
    __typeof__(MHD_resume_connection) *resume_connection;
    __typeof__(MHD_create_response_from_buffer_with_free_callback_cls)
        *create_response_from_buffer_with_free_callback_cls;
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_destroy_response) *destroy_response;
};

/* The functions, once mhd_dl_load() has returned 0. */
extern struct mhd_dl mhd_fn;

/*
 * Load libmicrohttpd and look up its functions (once a process; thread-safe). 0, or BILAT_EIO
 * with the loader's reason when the library or one of its functions is missing.
 */
int mhd_dl_load(struct bilat_err *err);

#endif
