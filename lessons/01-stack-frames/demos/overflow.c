/*
 * overflow.c: what running out of stack looks like, on the main thread and
 * on a thread with a small stack.
 *
 * dive() calls itself until the stack runs out. The SIGSEGV that ends the
 * dive is handled on an alternate signal stack (the normal one is full),
 * which records the address the fault touched and jumps back to a point
 * saved before the dive, so the program can report what happened.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. main thread: the fault lands just beyond RLIMIT_STACK bytes below the
 *      top of the [stack] mapping: the limit is where the stack ends;
 *   2. thread: the fault lands in the guard page just below the lowest
 *      address of the thread's stack.
 *
 * Run: make demo LESSON=01 DEMO=overflow
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define THREAD_STACK (64 * 1024)

/* The state of one dive; only one dive runs at a time. */
static struct {
    sigjmp_buf escape;            /* where the SIGSEGV handler jumps back to */
    volatile uintptr_t fault;     /* address whose access faulted */
    volatile unsigned long depth; /* calls of dive() made so far */
    volatile uintptr_t frame[2];  /* frame addresses at depths 1 and 2 */
} dive_state;

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)context;
    dive_state.fault = (uintptr_t)info->si_addr;
    siglongjmp(dive_state.escape, 1);
}

/* Gives the calling thread an alternate signal stack; SIGSEGV runs on it. */
static bool catch_overflow(void *alt_stack, size_t size)
{
    stack_t ss = { .ss_sp = alt_stack, .ss_size = size };
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };

    sigemptyset(&sa.sa_mask);
    return sigaltstack(&ss, NULL) == 0 && sigaction(SIGSEGV, &sa, NULL) == 0;
}

/* Calls itself until SIGSEGV: no stack is ULONG_MAX frames deep. */
static __attribute__((noinline)) unsigned long dive(unsigned long depth)
{
    dive_state.depth = depth;
    if (depth <= 2)
        dive_state.frame[depth - 1] = (uintptr_t)__builtin_frame_address(0);
    if (depth == ULONG_MAX)
        return depth;
    return dive(depth + 1) + 1; /* "+ 1": not a tail call, every call keeps its frame */
}

/* Dives until SIGSEGV. Returns the address that faulted. */
static uintptr_t dive_until_overflow(void)
{
    dive_state.fault = 0;
    if (sigsetjmp(dive_state.escape, 1) == 0)
        dive(1);
    return dive_state.fault;
}

/* Gets the calling thread's stack as [*low, *low + *size) and its guard size. */
static bool thread_stack_bounds(uintptr_t *low, size_t *size, size_t *guard)
{
    pthread_attr_t attr;
    void *addr;

    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return false;
    bool ok = pthread_attr_getstack(&attr, &addr, size) == 0 &&
              pthread_attr_getguardsize(&attr, guard) == 0;
    pthread_attr_destroy(&attr);
    *low = (uintptr_t)addr;
    return ok;
}

static void print_dive(uintptr_t fault)
{
    printf("  dive() frames are %ju bytes; SIGSEGV at depth %lu, touching %#jx\n",
           (uintmax_t)(dive_state.frame[0] - dive_state.frame[1]),
           dive_state.depth, (uintmax_t)fault);
}

static bool check(bool ok, const char *claim)
{
    if (!ok)
        printf("CONTRADICTS THE LESSON: %s\n", claim);
    return ok;
}

/* Returns the end (top) of the [stack] mapping in /proc/self/maps, or 0. */
static uintptr_t main_stack_top(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    uintptr_t low, high = 0;

    if (!maps)
        return 0;
    while (fgets(line, sizeof line, maps))
        if (strstr(line, "[stack]") && sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &low, &high) == 2)
            break;
    fclose(maps);
    return high;
}

/* Part 1: the main thread's stack ends RLIMIT_STACK bytes below its top. */
static bool overflow_main_thread(void)
{
    static char alt_stack[64 * 1024];
    struct rlimit rl;
    const uintptr_t top = main_stack_top();

    if (top == 0 || getrlimit(RLIMIT_STACK, &rl) != 0 ||
        !catch_overflow(alt_stack, sizeof alt_stack))
        return false;
    if (rl.rlim_cur == RLIM_INFINITY) {
        puts("main thread: RLIMIT_STACK is unlimited; run `ulimit -s 8192` first");
        return true;
    }
    printf("main thread: RLIMIT_STACK %ju KiB, top of the stack mapping %#jx\n",
           (uintmax_t)rl.rlim_cur / 1024, (uintmax_t)top);

    const uintptr_t fault = dive_until_overflow();
    const uintmax_t below_top = top - fault;

    print_dive(fault);
    printf("  the fault is %ju bytes below the top; the limit is %ju bytes\n",
           below_top, (uintmax_t)rl.rlim_cur);
    return check(fault != 0 && below_top > rl.rlim_cur &&
                 below_top <= rl.rlim_cur + (uintmax_t)sysconf(_SC_PAGESIZE),
                 "the main stack ends RLIMIT_STACK bytes below its top");
}

static void *overflow_in_thread(void *ok_out)
{
    static char alt_stack[64 * 1024];
    uintptr_t low;
    size_t size, guard;

    if (!thread_stack_bounds(&low, &size, &guard) || !catch_overflow(alt_stack, sizeof alt_stack))
        return NULL;
    printf("thread: stack %#jx..%#jx (%zu KiB), guard %#jx..%#jx (%zu bytes)\n",
           (uintmax_t)low, (uintmax_t)(low + size), size / 1024,
           (uintmax_t)(low - guard), (uintmax_t)low, guard);

    const uintptr_t fault = dive_until_overflow();

    print_dive(fault);
    *(bool *)ok_out = check(fault != 0 && low - guard <= fault && fault < low,
                            "a thread's overflow faults in the guard page below its stack");
    return NULL;
}

/* Part 2: a thread's stack has a guard page below it. */
static bool overflow_thread(void)
{
    pthread_attr_t attr;
    pthread_t tid;
    bool ok = false;

    if (pthread_attr_init(&attr) != 0)
        return false;
    if (pthread_attr_setstacksize(&attr, THREAD_STACK) == 0 &&
        pthread_create(&tid, &attr, overflow_in_thread, &ok) == 0)
        pthread_join(tid, NULL);
    pthread_attr_destroy(&attr);
    return ok;
}

int main(void)
{
    bool ok = overflow_main_thread();

    ok &= overflow_thread();
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
