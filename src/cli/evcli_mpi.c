/*
 * evcli_mpi.c: the MPI calls of `bilat scan --mpi` and `bilat ingest --mpi` (evcli.h). Built
 * for real with `make MPI=1` (OpenMPI's mpicc flags); otherwise the functions say that this
 * build has no MPI. Ranks exchange packed partial results (bilat_scan_pack()): sizes with
 * MPI_Gather or a message of their own, bytes in messages of at most 1 GiB (MPI counts are
 * ints), at rank 0.
 */
#include "cli/cli.h"
#include "cli/evcli.h"

#include "core/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BILAT_MPI
#include <mpi.h>

enum { PIECE = 1 << 30 }; /* bytes per message at the most: MPI counts are ints */

/* Send n bytes to rank `to` with `tag`, in pieces; recv_pieces() receives them. */
static void send_pieces(const char *p, uint64_t n, int to, int tag)
{
    while (n) {
        int piece = n > PIECE ? PIECE : (int)n;
        MPI_Send(p, piece, MPI_BYTE, to, tag, MPI_COMM_WORLD);
        p += piece;
        n -= (uint64_t)piece;
    }
}

static void recv_pieces(char *p, uint64_t n, int from, int tag)
{
    while (n) {
        int piece = n > PIECE ? PIECE : (int)n;
        MPI_Recv(p, piece, MPI_BYTE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        p += piece;
        n -= (uint64_t)piece;
    }
}

int evcli_mpi_init(int *rank_out, int *size_out)
{
    int inited = 0;
    MPI_Initialized(&inited);
    if (!inited && MPI_Init(NULL, NULL) != MPI_SUCCESS) {
        cli_error("cannot start MPI");
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank_out);
    MPI_Comm_size(MPI_COMM_WORLD, size_out);
    return 0;
}

void evcli_mpi_finish(void)
{
    int fin = 0;
    MPI_Finalized(&fin);
    if (!fin)
        MPI_Finalize();
}

int evcli_mpi_gather(const void *buf, size_t len, int rank, int size, void ***bufs_out,
                     size_t **lens_out)
{
    *bufs_out = NULL;
    *lens_out = NULL;
    /* Sizes travel as 64-bit counts; each buffer is sent in pieces below 2 GiB. */
    uint64_t mylen = len;
    uint64_t *all = rank == 0 ? calloc((size_t)size, sizeof(*all)) : NULL;
    if (rank == 0 && !all)
        return -1;
    MPI_Gather(&mylen, 1, MPI_UINT64_T, all, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
    if (rank != 0) {
        send_pieces(buf, mylen, 0, 7);
        return 0;
    }
    void **bufs = bilat_calloc((size_t)size, sizeof(*bufs));
    size_t *lens = bilat_calloc((size_t)size, sizeof(*lens));
    for (int r = 1; bufs && lens && r < size; r++) {
        lens[r] = (size_t)all[r];
        bufs[r] = bilat_calloc(lens[r] ? lens[r] : 1, 1);
        if (!bufs[r])
            break;
        recv_pieces(bufs[r], all[r], r, 7);
    }
    if (!bufs || !lens || (size > 1 && !bufs[size - 1])) {
        /* the other ranks are sending: without room to take it, the job stops as a whole */
        fprintf(stderr, "bilat: error: out of memory gathering the ranks' results\n");
        MPI_Abort(MPI_COMM_WORLD, EXIT_FAIL);
    }
    free(all);
    *bufs_out = bufs;
    *lens_out = lens;
    return 0;
}

int evcli_mpi_send0(const void *buf, size_t len)
{
    uint64_t n = len;
    MPI_Send(&n, 1, MPI_UINT64_T, 0, 8, MPI_COMM_WORLD);
    send_pieces(buf, n, 0, 9);
    return 0;
}

int evcli_mpi_recv(int from, void **buf_out, size_t *len_out)
{
    uint64_t n = 0;
    *buf_out = NULL;
    *len_out = 0;
    MPI_Recv(&n, 1, MPI_UINT64_T, from, 8, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    char *buf = bilat_malloc(n ? (size_t)n : 1);
    if (!buf)
        return -1;
    recv_pieces(buf, n, from, 9);
    *buf_out = buf;
    *len_out = (size_t)n;
    return 0;
}

int evcli_mpi_bcast_int(int v)
{
    MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return v;
}

#else

int evcli_mpi_init(int *rank_out, int *size_out)
{
    *rank_out = 0;
    *size_out = 1;
    cli_error("this bilat was built without MPI: rebuild with 'make MPI=1'");
    return -1;
}

void evcli_mpi_finish(void)
{
}

int evcli_mpi_gather(const void *buf, size_t len, int rank, int size, void ***bufs_out,
                     size_t **lens_out)
{
    (void)buf, (void)len, (void)rank, (void)size;
    *bufs_out = NULL;
    *lens_out = NULL;
    return -1;
}

int evcli_mpi_send0(const void *buf, size_t len)
{
    (void)buf, (void)len;
    return -1;
}

int evcli_mpi_recv(int from, void **buf_out, size_t *len_out)
{
    (void)from;
    *buf_out = NULL;
    *len_out = 0;
    return -1;
}

int evcli_mpi_bcast_int(int v)
{
    return v;
}

#endif
