/*
 * mapguard.c: SIGBUS on a shrunken mapping turned into an error (mapguard.h).
 *
 * The handler is installed once (pthread_once) with SA_NODEFER, so that SIGBUS is not left
 * blocked in a thread that jumps out of the handler: the regions use sigsetjmp() without saving
 * the signal mask, which costs no system call, and a region runs per block of a scan (4 MiB).
 * Each thread has its own jump target (thread-local), so a fault on one scanning thread never
 * unwinds another.
 */
#include "core/mapguard.h"

#include "bilat.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>

static __thread sigjmp_buf *volatile guard_jmp; /* the innermost region of this thread */
static struct sigaction previous;                /* SIGBUS action before ours */
static pthread_once_t installed = PTHREAD_ONCE_INIT;

static void on_sigbus(int sig, siginfo_t *info, void *uc)
{
    (void)info, (void)uc;
    sigjmp_buf *j = guard_jmp;
    if (j)
        siglongjmp(*j, 1);
    /* Not a guarded read: put the earlier action back; returning re-runs the faulting
     * instruction, which then meets that action (the default one kills the process). */
    sigaction(sig, &previous, NULL);
}

static void install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigbus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &previous);
}

int mapguard_run(void (*fn)(void *ctx), void *ctx)
{
    pthread_once(&installed, install);
    sigjmp_buf here;
    sigjmp_buf *volatile outer = guard_jmp;
    if (sigsetjmp(here, 0)) {
        guard_jmp = outer;
        return BILAT_EIO;
    }
    guard_jmp = &here;
    fn(ctx);
    guard_jmp = outer;
    return 0;
}
