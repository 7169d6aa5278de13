/*
 * catch_overflow.c: a stack overflow reported instead of fatal, and the
 * budget that avoids it.
 *
 * Each run starts a thread with a 64 KiB stack and a chosen guard size.
 * The thread installs an alternate signal stack; a SIGSEGV handler with
 * SA_ONSTACK checks that the fault is in the thread's guard, prints "stack
 * overflow" and siglongjmps back to a point saved before the work began.
 *
 * The work is a recursive parser of nested '(' over a million of them:
 * once without a depth budget, once with a budget of 1000.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. a thread's default guard is one page; pthread_attr_setguardsize
 *      sets a bigger one, rounded to whole pages;
 *   2. the unbudgeted parser overflows, and the fault is in the guard;
 *   3. the budgeted parser returns -E2BIG at depth 1001 and never faults.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -O0 -g -pthread catch_overflow.c -o catch_overflow
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STACK (64 * 1024)
#define MILLION 1000000
#define BUDGET 1000
#define NO_BUDGET SIZE_MAX

/* One run on one thread; the handler reads it through a thread-local. */
struct run {
    size_t guard_asked;       /* guard size to ask for; 0: the default */
    size_t budget;            /* depth budget of the parser */
    size_t guard_got;         /* guard size the thread got */
    uintptr_t stack_low;      /* lowest address of its stack */
    sigjmp_buf escape;        /* where the handler jumps back to */
    volatile uintptr_t fault; /* faulting address, 0 if none */
    volatile size_t deepest;  /* deepest level the parser reached */
    int result;               /* the parser's return value */
};

static _Thread_local struct run *current;
static const char *text;      /* a million '(' */

static void on_segv(int sig, siginfo_t *info, void *context)
{
    struct run *run = current;
    const uintptr_t addr = (uintptr_t)info->si_addr;

    (void)context;
    if (run && run->stack_low - run->guard_got <= addr && addr < run->stack_low) {
        static const char msg[] = "  stack overflow: caught in the guard, on the alternate stack\n";
        write(STDOUT_FILENO, msg, sizeof msg - 1);
        run->fault = addr;
        siglongjmp(run->escape, 1);
    }
    signal(sig, SIG_DFL); /* not ours: die as usual */
}

/* Reads nested '(' from text[pos]: one call per level, budget checked
 * before each call. */
static int parse(struct run *run, size_t pos, size_t level)
{
    run->deepest = level;
    if (pos == MILLION || text[pos] != '(')
        return 0;
    if (level == run->budget)
        return -E2BIG;
    return parse(run, pos + 1, level + 1);
}

static void *thread_main(void *opaque)
{
    struct run *run = opaque;
    static char alt[64 * 1024]; /* one run at a time */
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
    pthread_attr_t attr;
    void *low;
    size_t size;

    if (sigaltstack(&ss, NULL) != 0 || pthread_getattr_np(pthread_self(), &attr) != 0)
        return NULL;
    pthread_attr_getstack(&attr, &low, &size);
    pthread_attr_getguardsize(&attr, &run->guard_got);
    pthread_attr_destroy(&attr);
    run->stack_low = (uintptr_t)low;
    current = run;
    if (sigsetjmp(run->escape, 1) == 0)
        run->result = parse(run, 0, 0);
    current = NULL;
    ss = (stack_t){ .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    return run;
}

static bool start(struct run *run)
{
    pthread_attr_t attr;
    pthread_t thread;
    void *done = NULL;

    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, STACK);
    if (run->guard_asked)
        pthread_attr_setguardsize(&attr, run->guard_asked);
    if (pthread_create(&thread, &attr, thread_main, run) == 0)
        pthread_join(thread, &done);
    pthread_attr_destroy(&attr);
    return done != NULL;
}

static bool check(bool ok, const char *claim)
{
    if (!ok)
        printf("CONTRADICTS THE LESSON: %s\n", claim);
    return ok;
}

static bool one_run(size_t guard, size_t budget)
{
    struct run run = { .guard_asked = guard, .budget = budget };

    printf("guard asked %zu bytes, budget %s\n", guard, budget == NO_BUDGET ? "none" : "1000");
    fflush(stdout);
    if (!start(&run))
        return check(false, "the thread could not start");
    printf("  guard got %zu bytes, deepest level %zu, %s\n", run.guard_got, run.deepest,
           run.fault ? "overflowed" : run.result == -E2BIG ? "returned -E2BIG" : "returned 0");
    if (run.fault)
        printf("  fault at %#jx, %ju bytes below the stack's lowest address %#jx\n",
               (uintmax_t)run.fault, (uintmax_t)(run.stack_low - run.fault), (uintmax_t)run.stack_low);
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    bool ok = check(run.guard_got == (guard ? (guard + page - 1) / page * page : page),
                    "the guard is one page by default, else the size asked, in whole pages");
    if (budget == NO_BUDGET)
        return ok & check(run.fault != 0, "without a budget, a million '(' overflow 64 KiB");
    return ok & check(!run.fault && run.result == -E2BIG && run.deepest == BUDGET,
                      "with a budget, the parser stops at the budget with -E2BIG");
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    char *open_brackets = malloc(MILLION);

    if (!open_brackets)
        return EXIT_FAILURE;
    memset(open_brackets, '(', MILLION);
    text = open_brackets;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);

    printf("a million '(' parsed on a thread with a %d KiB stack:\n", STACK / 1024);
    bool ok = one_run(0, NO_BUDGET);
    ok &= one_run(64 * 1024, NO_BUDGET);
    ok &= one_run(10000, NO_BUDGET);
    ok &= one_run(0, BUDGET);
    free(open_brackets);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
