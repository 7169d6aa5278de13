/*
 * overflow_guard.c: runs a function on a thread of its own and turns a
 * stack overflow into a report.
 *
 * 1. The caller allocates an alternate signal stack for the new thread and
 *    installs a SIGSEGV handler with SA_ONSTACK, keeping the old action.
 * 2. The new thread switches to the alternate stack (sigaltstack), notes
 *    where its stack and guard lie, publishes them in a thread-local
 *    pointer, saves a return point with sigsetjmp, and calls fn.
 * 3. If fn overflows, the fault lands in the guard (or, for a frame that
 *    jumps less than a guard's size, in the stack's lowest page). The
 *    handler runs on the alternate stack, sees a fault inside the current
 *    thread's guarded range and siglongjmps back to the return point, which
 *    also restores the signal mask that the handler's entry blocked.
 * 4. Any other SIGSEGV is not ours: the handler restores the default action
 *    and returns, the faulting instruction runs again, and the process dies
 *    as it would have without the guard. That is Linux's behaviour: POSIX
 *    leaves returning from the handler of a hardware SIGSEGV undefined (the
 *    portable way is to unblock the signal and raise() it from the handler).
 *
 * The handler calls only async-signal-safe functions (signal, siglongjmp).
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include "overflow_guard.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>

/* Bytes of alternate signal stack: far above MINSIGSTKSZ, enough for the
 * handler's frame and the kernel's signal frame with AVX-512 state. */
#define ALT_STACK_SIZE (64 * 1024)

/* One guarded run, shared by the caller and the new thread. */
struct guard {
    guarded_fn *fn;     /* the function to run */
    void *arg;          /* its argument, borrowed */
    void *alt_stack;    /* ALT_STACK_SIZE bytes, owned by the caller */
    uintptr_t low;      /* lowest address of the guard below the stack */
    uintptr_t high;     /* one past the highest address of the stack */
    sigjmp_buf escape;  /* the return point, on the new thread's stack */
    bool overflowed;    /* fn ran out of stack */
    int err;            /* 0, or why the thread could not run fn */
};

/* The guard of the calling thread, NULL on every unguarded thread. Read by
 * the signal handler, which runs on the thread that faulted. */
static _Thread_local struct guard *current_guard;

static void on_segv(int sig, siginfo_t *info, void *context)
{
    struct guard *guard = current_guard;
    const uintptr_t addr = (uintptr_t)info->si_addr;

    (void)context;
    if (guard && guard->low <= addr && addr < guard->high)
        siglongjmp(guard->escape, 1);
    /* Not an overflow of a guarded thread: die the ordinary way when Linux
     * runs the faulting instruction again, now under the default action. */
    signal(sig, SIG_DFL);
}

/* Finds the calling thread's stack and the guard below it. */
static int guard_locate(struct guard *guard)
{
    pthread_attr_t attr;
    int err = pthread_getattr_np(pthread_self(), &attr);
    if (err)
        return -err;

    void *stack;
    size_t size, guard_size;
    err = pthread_attr_getstack(&attr, &stack, &size);
    if (!err)
        err = pthread_attr_getguardsize(&attr, &guard_size);
    pthread_attr_destroy(&attr);
    if (err)
        return -err;
    guard->low = (uintptr_t)stack - guard_size;
    guard->high = (uintptr_t)stack + size;
    return 0;
}

static void *guarded_thread(void *opaque)
{
    struct guard *guard = opaque;
    stack_t alt = { .ss_sp = guard->alt_stack, .ss_size = ALT_STACK_SIZE };

    if (sigaltstack(&alt, NULL) != 0) {
        guard->err = -errno;
        return NULL;
    }
    guard->err = guard_locate(guard);
    if (guard->err == 0) {
        current_guard = guard;
        if (sigsetjmp(guard->escape, 1) == 0)
            guard->fn(guard->arg);
        else
            guard->overflowed = true;
        current_guard = NULL;
    }
    /* The alternate stack is freed after this thread ends: stop using it. */
    alt = (stack_t){ .ss_flags = SS_DISABLE };
    sigaltstack(&alt, NULL);
    return NULL;
}

/* Starts the guarded thread and waits for it. */
static int guard_run_thread(size_t stack_size, struct guard *guard)
{
    pthread_attr_t attr;
    int err = pthread_attr_init(&attr);
    if (err)
        return -err;

    pthread_t thread;
    err = pthread_attr_setstacksize(&attr, stack_size);
    if (!err)
        err = pthread_create(&thread, &attr, guarded_thread, guard);
    pthread_attr_destroy(&attr);
    if (err)
        return -err;
    err = pthread_join(thread, NULL);
    return err ? -err : guard->err;
}

int overflow_guard_run(size_t stack_size, guarded_fn *fn, void *arg, bool *overflowed)
{
    if (!fn || !overflowed || stack_size < (size_t)PTHREAD_STACK_MIN)
        return -EINVAL;

    struct guard guard = { .fn = fn, .arg = arg };
    guard.alt_stack = malloc(ALT_STACK_SIZE);
    if (!guard.alt_stack)
        return -ENOMEM;

    struct sigaction action = { .sa_sigaction = on_segv,
                                .sa_flags = SA_SIGINFO | SA_ONSTACK };
    struct sigaction old;
    sigemptyset(&action.sa_mask);
    int err = sigaction(SIGSEGV, &action, &old) == 0 ? 0 : -errno;
    if (err == 0) {
        err = guard_run_thread(stack_size, &guard);
        sigaction(SIGSEGV, &old, NULL);
    }
    free(guard.alt_stack);
    if (err == 0)
        *overflowed = guard.overflowed;
    return err;
}
