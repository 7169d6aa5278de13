/*
 * overflow_guard_test.c: a stack overflow caught and reported. The guarded
 * functions below are the course's: dive() recurses until its thread's
 * stack runs out, and records how deep it got. The assertions run on the
 * test's own thread, after overflow_guard_run() has returned.
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include "course_test.h"
#include "alloc_faults.h"
#include "overflow_guard.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#define SMALL_STACK (64u * 1024)  /* bytes: dive() overflows it in about 500 calls */
#define BIG_STACK (512u * 1024)   /* bytes: eight times as deep */
#define SIZE_SLACK (64u * 1024)   /* bytes glibc may add when it rounds a stack size */

/* What a guarded function saw. */
struct sighting {
    int runs;                /* how many times fn ran */
    pthread_t thread;        /* the thread that ran it */
    size_t stack_size;       /* its thread's stack size, 0 if unknown */
    volatile size_t deepest; /* dive(): deepest call reached */
    unsigned alt_stack_id;   /* Valgrind's id of the alternate stack, 0 if none */
};

/*
 * Tells Valgrind that the thread's alternate signal stack is a stack.
 * Valgrind tells a switch of stacks from a big frame by distance alone:
 * when the alternate stack lies within 2 MB (--max-stackframe) of the
 * thread's stack, as one from mmap may, the siglongjmp back from the handler
 * looks like popping frames, and memcheck marks every byte in between as
 * unusable, such as the descriptor at the top of a thread stack that glibc
 * keeps for reuse. A move between registered stacks is always a switch. The
 * test, not the learner's code, registers it: client requests are course-only.
 */
static void register_alt_stack(struct sighting *seen)
{
    stack_t alt;

    if (seen->alt_stack_id == 0 && sigaltstack(NULL, &alt) == 0 && !(alt.ss_flags & SS_DISABLE))
        seen->alt_stack_id = VALGRIND_STACK_REGISTER(alt.ss_sp, (char *)alt.ss_sp + alt.ss_size);
}

/* overflow_guard_run(), then forgets the alternate stack fn registered:
 * its memory is gone with the run. */
static int guarded_run(size_t stack_size, guarded_fn *fn, struct sighting *seen, bool *overflowed)
{
    const int err = overflow_guard_run(stack_size, fn, seen, overflowed);

    if (seen && seen->alt_stack_id) {
        VALGRIND_STACK_DEREGISTER(seen->alt_stack_id);
        seen->alt_stack_id = 0;
    }
    return err;
}

/* Recurses until the stack runs out. The volatile array makes each frame
 * about 100 bytes, and "+ pad[0]" keeps the call from being a tail call. */
static __attribute__((noinline)) size_t dive(struct sighting *seen, size_t depth)
{
    volatile char pad[64];

    pad[0] = (char)depth;
    seen->deepest = depth;
    if (depth == SIZE_MAX)
        return depth;
    return dive(seen, depth + 1) + (size_t)pad[0];
}

static void run_dive(void *arg)
{
    struct sighting *seen = arg;

    seen->runs++;
    register_alt_stack(seen);
    dive(seen, 1);
}

/* Returns at once, after noting where it ran. */
static void look_around(void *arg)
{
    struct sighting *seen = arg;
    pthread_attr_t attr;

    seen->runs++;
    seen->thread = pthread_self();
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstacksize(&attr, &seen->stack_size);
        pthread_attr_destroy(&attr);
    }
}

/* Writes into a page that can be neither read nor written: a SIGSEGV
 * that is not a stack overflow. The page is mapped writable, then
 * protected, so that Valgrind sees no error of its own, only the fault. */
static void touch_protected_page(void *arg)
{
    const size_t page = (size_t)sysconf(_SC_PAGESIZE);
    volatile char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    (void)arg;
    if (p == MAP_FAILED || mprotect((void *)p, page, PROT_NONE) != 0)
        return;
    p[0] = 1;
}

GRADED_TEST(overflow_guard, returns_false_when_fn_returns, 2,
            .description = "fn runs once with arg; overflowed is false when it returns")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = true;

    cr_assert(eq(int, guarded_run(SMALL_STACK, look_around, &seen, &overflowed), 0),
              "overflow_guard_run should return 0 when fn returned");
    cr_assert(eq(int, seen.runs, 1), "fn ran %d times: it must run exactly once", seen.runs);
    cr_assert(not(overflowed), "fn returned normally: *overflowed must be false");
}

GRADED_TEST(overflow_guard, runs_fn_on_a_new_thread_of_that_size, 1,
            .description = "fn runs on another thread, whose stack has the size asked for")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = true;

    cr_assert(eq(int, guarded_run(BIG_STACK, look_around, &seen, &overflowed), 0),
              "overflow_guard_run should return 0 when fn returned");
    cr_assert(not(pthread_equal(seen.thread, pthread_self())),
              "fn ran on the caller's thread: run it on a new thread, whose stack "
              "may overflow without taking the caller's with it");
    cr_assert(ge(sz, seen.stack_size, BIG_STACK), "asked for %u bytes of stack, fn's thread "
              "had %zu: use pthread_attr_setstacksize", BIG_STACK, seen.stack_size);
    cr_assert(le(sz, seen.stack_size, BIG_STACK + SIZE_SLACK), "asked for %u bytes of stack, "
              "fn's thread had %zu", BIG_STACK, seen.stack_size);
}

GRADED_TEST(overflow_guard, reports_an_overflow, 3,
            .description = "a recursion that exhausts the thread's stack is reported, not fatal")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = false;

    cr_assert(eq(int, guarded_run(SMALL_STACK, run_dive, &seen, &overflowed), 0),
              "overflow_guard_run should return 0 when fn overflowed");
    cr_assert(eq(int, seen.runs, 1), "fn should have run once");
    cr_assert(overflowed, "fn ran out of stack: *overflowed must be true");
    cr_assert(le(sz, seen.deepest, (size_t)SMALL_STACK / 16),
              "dive() got %zu calls deep on a %u-byte stack: is the stack size "
              "passed to the thread?", seen.deepest, SMALL_STACK);
}

GRADED_TEST(overflow_guard, stack_size_sets_the_depth, 1,
            .description = "on a stack eight times bigger, the overflow comes about eight times deeper")
{
    struct sighting small = { .runs = 0 }, big = { .runs = 0 };
    bool overflowed = false;

    cr_assert(eq(int, guarded_run(SMALL_STACK, run_dive, &small, &overflowed), 0),
              "overflow_guard_run should return 0 when fn overflowed");
    cr_assert(eq(int, guarded_run(BIG_STACK, run_dive, &big, &overflowed), 0),
              "overflow_guard_run should return 0 when fn overflowed");
    cr_assert(overflowed, "fn ran out of stack: *overflowed must be true");
    cr_assert(ge(sz, big.deepest, 6 * small.deepest),
              "dive() got %zu calls deep on %u bytes and %zu on %u: give the thread "
              "the stack size asked for", small.deepest, SMALL_STACK, big.deepest, BIG_STACK);
}

GRADED_TEST(overflow_guard, reports_overflows_again, 2,
            .description = "overflow, return, overflow: each run reports its own outcome")
{
    struct sighting seen[3] = { { .runs = 0 } };
    guarded_fn *const fns[3] = { run_dive, look_around, run_dive };
    const bool expected[3] = { true, false, true };

    for (int i = 0; i < 3; i++) {
        bool overflowed = !expected[i];

        cr_assert(eq(int, guarded_run(SMALL_STACK, fns[i], &seen[i], &overflowed), 0),
                  "run %d: overflow_guard_run should return 0", i + 1);
        cr_assert(eq(int, overflowed, expected[i]), "run %d: *overflowed should be %s: is "
                  "the outcome of a previous run left behind?", i + 1,
                  expected[i] ? "true" : "false");
    }
}

static void test_handler(int sig)
{
    (void)sig;
}

GRADED_TEST(overflow_guard, restores_the_previous_action, 2,
            .description = "after the run, SIGSEGV has the action it had before")
{
    struct sigaction mine = { .sa_handler = test_handler }, now;
    struct sighting seen = { .runs = 0 };
    bool overflowed = false;

    sigemptyset(&mine.sa_mask);
    cr_assert(eq(int, sigaction(SIGSEGV, &mine, NULL), 0), "test setup: sigaction failed");
    cr_assert(eq(int, guarded_run(SMALL_STACK, run_dive, &seen, &overflowed), 0),
              "overflow_guard_run should return 0 when fn overflowed");
    cr_assert(overflowed, "fn ran out of stack: *overflowed must be true");
    sigaction(SIGSEGV, NULL, &now);
    cr_assert(eq(ptr, (void *)now.sa_handler, (void *)test_handler),
              "SIGSEGV's action is the whole process's: keep the old one from "
              "sigaction's third argument and put it back before returning");
}

GRADED_TEST(overflow_guard, other_faults_still_kill, 2,
            .description = "a SIGSEGV that is not a stack overflow kills the process as usual")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = false;

    cr_assert(eq(int, guarded_run(SMALL_STACK, look_around, &seen, &overflowed), 0),
              "overflow_guard_run must work first");
    cr_assert(not(overflowed), "fn returned: *overflowed must be false");

    /* The crash must happen in a child process, which this test watches. */
    fflush(NULL);
    const pid_t child = fork();
    cr_assert(ne(int, child, -1), "test setup: fork failed");
    if (child == 0) {
        overflow_guard_run(SMALL_STACK, touch_protected_page, NULL, &overflowed);
        _exit(overflowed ? 3 : 0); /* reached only if the fault was not fatal */
    }
    int status = 0;
    cr_assert(eq(int, waitpid(child, &status, 0), child), "test setup: waitpid failed");
    const bool killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
    cr_assert(killed,
              "fn wrote to a protected page far from its stack, which is not a stack "
              "overflow: the process should have died of SIGSEGV, but it %s. Check the "
              "fault address (si_addr) against the thread's stack and guard, and let "
              "other faults take SIGSEGV's default action",
              WIFEXITED(status) && WEXITSTATUS(status) == 3
                  ? "went on, and overflow_guard_run reported an overflow"
                  : "ended another way");
}

GRADED_TEST(overflow_guard, rejects_bad_arguments, 1,
            .description = "NULL fn or overflowed, or a stack below PTHREAD_STACK_MIN, give -EINVAL")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = false;

    cr_assert(eq(int, guarded_run(PTHREAD_STACK_MIN, look_around, &seen, &overflowed), 0),
              "a stack of exactly PTHREAD_STACK_MIN bytes is allowed");
    seen.runs = 0;
    cr_assert(eq(int, overflow_guard_run(PTHREAD_STACK_MIN - 1, look_around, &seen, &overflowed),
                 -EINVAL), "a stack below PTHREAD_STACK_MIN gives -EINVAL");
    cr_assert(eq(int, overflow_guard_run(SMALL_STACK, NULL, &seen, &overflowed), -EINVAL),
              "fn == NULL gives -EINVAL");
    cr_assert(eq(int, guarded_run(SMALL_STACK, look_around, &seen, NULL), -EINVAL),
              "overflowed == NULL gives -EINVAL");
    cr_assert(eq(int, seen.runs, 0), "fn must not run when overflow_guard_run fails");
}

GRADED_TEST(overflow_guard, frees_what_it_allocates, 1,
            .description = "no block is left allocated after an overflow")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = false;

    cr_assert(eq(int, guarded_run(SMALL_STACK, run_dive, &seen, &overflowed), 0),
              "overflow_guard_run should return 0 when fn overflowed");
    cr_assert(overflowed, "fn ran out of stack: *overflowed must be true");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "%zu block(s) still allocated: free the "
              "alternate signal stack after joining the thread", alloc_live_blocks());
}

GRADED_TEST(overflow_guard, fails_cleanly_without_memory, 2,
            .description = "when malloc fails: -ENOMEM, fn not run, nothing leaked")
{
    struct sighting seen = { .runs = 0 };
    bool overflowed = false;

    cr_assert(eq(int, guarded_run(SMALL_STACK, run_dive, &seen, &overflowed), 0),
              "overflow_guard_run should return 0 when fn overflowed");
    cr_assert(overflowed, "fn ran out of stack: *overflowed must be true");
    seen.runs = 0;
    alloc_fail_after(0);
    const int err = guarded_run(SMALL_STACK, run_dive, &seen, &overflowed);
    alloc_fail_never();
    if (alloc_stats().failed == 0) { /* a solution that allocates nothing */
        cr_assert(eq(int, err, 0), "no allocation failed, so the run should succeed");
        return;
    }
    cr_assert(eq(int, err, -ENOMEM), "malloc failed: return -ENOMEM, not %d", err);
    cr_assert(eq(int, seen.runs, 0), "fn must not run without its alternate signal stack");
    cr_assert(eq(sz, alloc_live_blocks(), 0), "nothing may stay allocated after a failure");
}
