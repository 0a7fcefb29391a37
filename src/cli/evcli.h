/*
 * evcli.h: what `bilat scan`, `bilat ingest gdelt|icews` and `bilat coverage` share: option
 * checks, the progress bar, and the MPI driver (evcli_mpi.c, built with `make MPI=1`).
 */
#ifndef BILAT_CLI_EVCLI_H
#define BILAT_CLI_EVCLI_H

#include "cli/cli.h"

#include <stddef.h>

enum { EVCLI_MAX_FILES = 1 << 16 };

/* Check and set the options shared by scan and ingest; prints a usage error and returns -1. */
int evcli_common(const struct cmd_help *help, const char *format, const char *dedup,
                 const char *scanner, const char *io, long threads, long bufsize,
                 struct bilat_scan_opts *so);

/* Run a scan (or, with mpi, the rank's share plus the reduction) and print the CSV. */
int evcli_scan(const struct cmd_help *help, struct bilat_scan_opts *so, const char **files,
               size_t n, int strict, int mpi, const char *members_path);

/* Ingest files of one origin ("gdelt", "icews"). */
int evcli_ingest(int argc, char **argv, const char *origin, enum bilat_ev_format fmt);

/* MPI: start, rank and size, stop (stubs reporting an error in builds without MPI). */
int evcli_mpi_init(int *rank_out, int *size_out);
void evcli_mpi_finish(void);
/* Gather every rank's packed buffer at rank 0 (bufs[r], lens[r]; caller frees with
 * bilat_free()); other ranks get NULLs. */
int evcli_mpi_gather(const void *buf, size_t len, int rank, int size, void ***bufs_out,
                     size_t **lens_out);
/* Send a buffer to rank 0 / receive one from rank `from` (caller frees *buf_out with
 * bilat_free()). */
int evcli_mpi_send0(const void *buf, size_t len);
int evcli_mpi_recv(int from, void **buf_out, size_t *len_out);
/* Broadcast an int from rank 0 (the exit code). */
int evcli_mpi_bcast_int(int v);

/* The options of how event files are read (--buffer-size, --scanner, --io), shared by bilat scan
 * and bilat ingest: a long, then two strings. */
#define EVCLI_READ_OPTS(bufsize, scanner, io)                                                      \
    OPT_INT(0, "buffer-size", (bufsize), "BYTES",                                                  \
            "block size: bytes per read (1 MiB) or mapped (4 MiB)"),                              \
        OPT_STRING(0, "scanner", (scanner), "KIND", "auto, scalar, simd or avx2 (for testing)"),   \
        OPT_STRING(0, "io", (io), "HOW", "auto, read or mmap: how plain files are read")

#endif
