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
 *   3. the budgeted parser returns -E2BIG at depth 1001 and never faults;
 *   4. one level of the parser takes 48 bytes (at -O0, as `make demo`
 *      builds it), and the 64 KiB of the stack add up: glibc's thread
 *      descriptor and static TLS at the top, start_thread's and
 *      thread_main's frames, then the levels;
 *   5. a fault that is not an overflow: the handler puts back the default
 *      action and returns, Linux runs the faulting instruction again, and
 *      the process dies of SIGSEGV. (POSIX leaves returning from the
 *      handler of a hardware SIGSEGV undefined: this checks Linux.)
 *
 * Run from the course's top directory: make demo LESSON=05 DEMO=catch_overflow
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
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* glibc's size of the static TLS area of every thread, thread descriptor
 * included. Private to glibc (GLIBC_PRIVATE in ld.so; GCC's sanitizers use
 * it too): declared here only to measure where a thread's stack goes. */
extern void _dl_get_tls_static_info(size_t *sizep, size_t *alignp);

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
    uintptr_t stack_top;      /* one past the highest address of its stack */
    uintptr_t self;           /* pthread_self(): the thread descriptor */
    uintptr_t main_cfa;       /* thread_main's frame starts below this */
    uintptr_t level_rbp[2];   /* frame pointer of parse levels 0 and 1 */
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
    if (level < 2) /* rbp: needs no stack slot, so the frame keeps its size */
        run->level_rbp[level] = (uintptr_t)__builtin_frame_address(0);
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
    run->stack_top = (uintptr_t)low + size;
    run->self = (uintptr_t)pthread_self();
    /* At -O0 rbp points at the saved rbp, below the return address: the
     * frame starts 16 bytes above it. */
    run->main_cfa = (uintptr_t)__builtin_frame_address(0) + 16;
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

/* One run; a copy of it goes to *out if out is not NULL. */
static bool one_run(size_t guard, size_t budget, struct run *out)
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
    if (out)
        memcpy(out, &run, sizeof run); /* a sigjmp_buf is not to be assigned */
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    bool ok = check(run.guard_got == (guard ? (guard + page - 1) / page * page : page),
                    "the guard is one page by default, else the size asked, in whole pages");
    if (budget == NO_BUDGET)
        return ok & check(run.fault != 0, "without a budget, a million '(' overflow 64 KiB");
    return ok & check(!run.fault && run.result == -E2BIG && run.deepest == BUDGET,
                      "with a budget, the parser stops at the budget with -E2BIG");
}

/* Prints where the stack of an overflowed run went, from the top down,
 * and checks that the parts add up to the whole stack. */
static bool account(const struct run *run)
{
    size_t tls_static, tls_align;

    _dl_get_tls_static_info(&tls_static, &tls_align);
    /* glibc puts its thread descriptor (struct pthread) at the very top
     * and the static TLS area just below it; the thread's first frame
     * starts below both (nptl/allocatestack.c). */
    const size_t descriptor = run->stack_top - run->self;
    const uintptr_t first_frame = run->stack_top - tls_static;
    const size_t start_thread = first_frame - run->main_cfa;
    const uintptr_t level0 = run->level_rbp[0] + 16;
    const size_t thread_main = run->main_cfa - level0;
    const size_t level = run->level_rbp[0] - run->level_rbp[1];
    const size_t levels = run->deepest + 1; /* levels 0 to deepest */
    const size_t left = level0 - levels * level - run->stack_low;

    printf("where the %zu bytes of stack went, from the top down:\n", (size_t)(run->stack_top - run->stack_low));
    printf("  %6zu  glibc's thread descriptor (struct pthread)\n", descriptor);
    printf("  %6zu  static TLS: the program's, libc's, and spare room for dlopen\n", tls_static - descriptor);
    printf("  %6zu  start_thread's frame (glibc)\n", start_thread);
    printf("  %6zu  thread_main's frame\n", thread_main);
    printf("  %6zu  %zu levels of parse() (0 to %zu), %zu bytes each\n", levels * level, levels,
           levels - 1, level);
    printf("  %6zu  level %zu: its return address and saved rbp; its first store, at rbp - 8,\n"
           "          faulted at %#jx\n", left, levels, (uintmax_t)run->fault);
    return check(level == 48, "one level of parse() takes 48 bytes at -O0")
         & check(descriptor + (tls_static - descriptor) + start_thread + thread_main
                     + levels * level + left == STACK && left < level,
                 "the parts add up to the 64 KiB stack")
         & check(left == 16 && run->fault == run->stack_low - 8,
                 "the last level got only its return address and saved rbp, and faulted "
                 "storing its first argument 8 bytes below the stack");
}

/* In a child: a fault far from any stack, with on_segv installed. */
static bool other_fault_kills(void)
{
    const long page = sysconf(_SC_PAGESIZE);

    fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        volatile char *p = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p != MAP_FAILED)
            p[0] = 1; /* SIGSEGV: not in any guard */
        _exit(0);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) != child)
        return check(false, "fork and wait for the child");
    const bool died = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    printf("a fault outside the guard: the handler put back SIG_DFL and returned; "
           "the child %s\n", died ? "died of SIGSEGV" : "did not die of SIGSEGV");
    return check(died, "returning from the handler re-runs the faulting write, which kills");
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
    struct run first;
    bool ok = one_run(0, NO_BUDGET, &first);
    ok &= one_run(64 * 1024, NO_BUDGET, NULL);
    ok &= one_run(10000, NO_BUDGET, NULL);
    ok &= one_run(0, BUDGET, NULL);
    ok &= account(&first);
    ok &= other_fault_kills();
    free(open_brackets);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
