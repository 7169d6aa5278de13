/*
 * stack_growth_test.c: the direction of growth and the size of frames, as
 * they are on x86-64 Linux with gcc, where these tests run.
 *
 * Answers alone could be hard-coded, so every test also watches the stack:
 * it runs the functions on a thread whose stack the test mapped itself and
 * filled with a pattern, then looks how deep the pattern was overwritten.
 * A measurement must have used the stack it reports:
 * - stack_bytes_for_calls(m) and stack_bytes_for_calls(n), for m and n of
 *   at least 1, used stacks that differ by exactly the difference of their
 *   answers (calls 0 is left out: a shortcut that returns 0 without a
 *   call is correct);
 * - stack_grows_down() used at least 4 x 16 bytes more stack than a call
 *   that measures nothing: its own frame (16 bytes or more) and two
 *   nested activations of a helper with a local (17 bytes or more for the
 *   innermost, 32 or more for the other); one call of the helper that
 *   compares nothing stays below it.
 * A hard-coded answer passes none of them.
 */
#include "course_test.h"
#include "stack_growth.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <valgrind/memcheck.h>

/* Smallest frame of a function that calls another: its return address and
 * the saved frame pointer, 8 bytes each. */
#define MIN_FRAME 16
/* A generous bound for the frame of a function with a few small locals. */
#define MAX_FRAME 4096

/* Bytes of the stack the test places under a thread: room for 1000 calls
 * even with AddressSanitizer's larger frames. */
#define PLACED_STACK (512u * 1024)
/* The byte the unused part of the stack is filled with before the call. */
#define PATTERN 0xA5
/* Stack used around the measured calls that the answer does not count:
 * the frames of stack_bytes_for_calls and of the outermost activation. */
#define SLACK 4096
/* Calls measured on the placed stack. */
#define PLACED_CALLS 1000
/* Bytes by which two measured runs may disagree: the lowest byte a call
 * writes may hold the pattern by chance (part of an address, say). */
#define SAME_USE 16

/* What runs on the placed stack, and what it found. */
struct placed_run {
    int (*what)(struct placed_run *run); /* the call to make there */
    unsigned char *stack;                /* lowest byte of the thread's stack */
    unsigned calls;                      /* argument of stack_bytes_for_calls */
    size_t bytes;                        /* its answer */
    int result;                          /* what `what` returned */
    size_t used;                         /* bytes of stack `what` used */
};

static int call_bytes(struct placed_run *run)
{
    run->bytes = stack_bytes_for_calls(run->calls);
    return 0;
}

static int call_grows_down(struct placed_run *run)
{
    (void)run;
    return stack_grows_down();
}

/* A function of the same shape that measures nothing: the baseline. */
static __attribute__((noinline)) int call_nothing(struct placed_run *run)
{
    return run->calls == 12345;
}

/*
 * The thread's body: fills the free part of its own stack (below the stack
 * pointer) with PATTERN, makes the call, then finds the lowest byte that no
 * longer holds the pattern. It makes no call of its own between the fill
 * and the scan, and is not instrumented, so only `what` and what it calls
 * can have written there (a function that calls others keeps its own locals
 * above its stack pointer, so nothing of its own lies below). The free part of a stack is "no access" for
 * memcheck: the client requests let the test's own mapping be read.
 */
static __attribute__((noinline, no_sanitize_address)) void *placed_thread(void *arg)
{
    struct placed_run *run = arg;
    uintptr_t sp;

    __asm__ volatile("mov %%rsp, %0" : "=r"(sp));
    const uintptr_t low = (uintptr_t)run->stack;
    const uintptr_t end = sp;

    VALGRIND_MAKE_MEM_UNDEFINED(low, end - low);
    for (uintptr_t at = low; at < end; at++)
        *(volatile unsigned char *)at = PATTERN;
    run->result = run->what(run);
    VALGRIND_MAKE_MEM_DEFINED(low, end - low);
    uintptr_t lowest = low;
    while (lowest < end && *(volatile unsigned char *)lowest == PATTERN)
        lowest++;
    run->used = sp - lowest;
    return NULL;
}

/* Runs run->what on a new thread whose stack is a fresh mapping; fills in
 * run->used and run->result. */
static void run_on_placed_stack(struct placed_run *run)
{
    pthread_attr_t attr;
    pthread_t thread;

    run->stack = mmap(NULL, PLACED_STACK, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    cr_assert(ne(ptr, run->stack, MAP_FAILED), "the test could not map a stack");
    cr_assert(eq(int, pthread_attr_init(&attr), 0));
    cr_assert(eq(int, pthread_attr_setstack(&attr, run->stack, PLACED_STACK), 0));
    cr_assert(eq(int, pthread_create(&thread, &attr, placed_thread, run), 0),
              "the test could not start a thread on its stack");
    pthread_join(thread, NULL);
    pthread_attr_destroy(&attr);
    munmap(run->stack, PLACED_STACK);
}

/* Runs stack_bytes_for_calls(calls) on the placed stack. */
static struct placed_run bytes_on_placed_stack(unsigned calls)
{
    struct placed_run run = { .what = call_bytes, .calls = calls };

    run_on_placed_stack(&run);
    return run;
}

/*
 * Checks that stack_bytes_for_calls measures: for fewer < more (both at
 * least 1), the two runs' stacks differ by the difference of the answers.
 * Stores the two answers.
 */
static void assert_measured(unsigned fewer, unsigned more, size_t *few_bytes, size_t *more_bytes)
{
    const struct placed_run a = bytes_on_placed_stack(fewer);
    const struct placed_run b = bytes_on_placed_stack(more);
    const size_t answered = b.bytes - a.bytes;
    const size_t used = b.used - a.used;

    cr_assert(lt(sz, a.bytes, b.bytes),
              "stack_bytes_for_calls(%u) gave %zu and stack_bytes_for_calls(%u) gave "
              "%zu: more calls must take more bytes", fewer, a.bytes, more, b.bytes);
    cr_assert(le(sz, answered < used ? used - answered : answered - used, SAME_USE),
              "stack_bytes_for_calls(%u) answered %zu bytes more than "
              "stack_bytes_for_calls(%u), but used %zu bytes more of its thread's "
              "stack: the answer must be measured by real nested calls, each with its "
              "own frame, not computed from a formula",
              more, answered, fewer, b.used < a.used ? 0 : used);
    *few_bytes = a.bytes;
    *more_bytes = b.bytes;
}

/* Calls stack_bytes_for_calls(calls) from depth extra frames further down. */
static __attribute__((noinline, noclone)) size_t bytes_from_depth(unsigned depth,
                                                                  unsigned calls)
{
    volatile unsigned char zero = 0; /* read after the call: not a tail call */
    const size_t bytes = depth == 0 ? stack_bytes_for_calls(calls)
                                    : bytes_from_depth(depth - 1, calls);

    return bytes + zero;
}

GRADED_TEST(stack_growth, grows_down_on_x86_64, 2,
            .description = "stack_grows_down() is true on x86-64, and measured")
{
    struct placed_run nothing = { .what = call_nothing };
    struct placed_run measured = { .what = call_grows_down };

    run_on_placed_stack(&nothing);
    run_on_placed_stack(&measured);
    cr_assert(eq(int, measured.result, 1),
              "on x86-64 a deeper frame lies at a lower address: compare the "
              "local 1 call deep with the local 0 calls deep, as uintptr_t, "
              "the right way round");
    cr_assert(ge(sz, measured.used, nothing.used + 4 * MIN_FRAME),
              "stack_grows_down() used %zu bytes of stack, and a function that "
              "calls nothing %zu: it must nest two activations of its helper below "
              "itself (compare the local 0 calls deep with the local 1 call deep), "
              "not assume the answer", measured.used, nothing.used);
}

GRADED_TEST(stack_growth, one_call_takes_one_frame, 1,
            .description = "one call takes one frame: at least 16 bytes, at most a few KiB")
{
    size_t one, two;

    assert_measured(1, 2, &one, &two);
    cr_assert(ge(sz, one, MIN_FRAME),
              "one call took %zu bytes, but a return address and a saved frame "
              "pointer alone take 16: is the helper really recursing, with "
              "noinline?", one);
    cr_assert(le(sz, one, MAX_FRAME),
              "one call took %zu bytes, far more than a frame with a few locals: "
              "is the subtraction the right way round (unsigned wrap-around)?",
              one);
}

GRADED_TEST(stack_growth, zero_calls_take_no_stack, 1,
            .description = "stack_bytes_for_calls(0) is 0")
{
    size_t one, two;

    assert_measured(1, 2, &one, &two);
    cr_assert(eq(sz, stack_bytes_for_calls(0), 0),
              "0 calls deep is the outermost activation itself: compare its "
              "local with itself (check for an extra call, or for measuring "
              "from another variable)");
}

GRADED_TEST(stack_growth, grows_by_one_frame_per_call, 2,
            .description = "100 calls take exactly 100 times the stack of one call")
{
    size_t one, hundred;

    assert_measured(1, 100, &one, &hundred);
    cr_assert(eq(sz, hundred, 100 * one),
              "1 call took %zu bytes, so 100 calls of the same function should "
              "take %zu, not %zu: every frame of one function has the same "
              "size. Do you compare the same local at both depths, and recurse "
              "exactly `calls` times?", one, 100 * one, hundred);
}

GRADED_TEST(stack_growth, same_answer_from_any_depth, 1, .timeout = 2,
            .description = "the answer does not depend on how deep the caller is")
{
    size_t one, ten;

    assert_measured(1, 10, &one, &ten);
    const size_t here = stack_bytes_for_calls(10);
    const size_t deeper = bytes_from_depth(5, 10);

    cr_assert(eq(sz, deeper, here),
              "called 5 frames deeper, stack_bytes_for_calls(10) gave %zu "
              "instead of %zu: measure both ends during this call, not "
              "against an address remembered from an earlier one",
              deeper, here);
}

GRADED_TEST(stack_growth, measures_the_stack_it_uses, 3,
            .description = "the answer for 1000 calls is the stack those calls really used")
{
    const struct placed_run run = bytes_on_placed_stack(PLACED_CALLS);
    const size_t used = run.used;

    cr_assert(ne(sz, run.bytes, 0), "stack_bytes_for_calls(%d) must be positive",
              PLACED_CALLS);
    cr_assert(le(sz, run.bytes, used),
              "stack_bytes_for_calls(%d) said %zu bytes, but the whole call "
              "used only %zu bytes of its thread's stack: the answer must "
              "come from real nested calls, each with its own frame, not "
              "from a formula", PLACED_CALLS, run.bytes, used);
    cr_assert(le(sz, used - run.bytes, SLACK),
              "the call used %zu bytes of its thread's stack but answered "
              "%zu: it went deeper than the %d calls it measured, or "
              "measured another function's frames", used, run.bytes,
              PLACED_CALLS);
}
