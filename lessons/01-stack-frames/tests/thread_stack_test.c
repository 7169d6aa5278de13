/*
 * thread_stack_test.c: work run on a thread with a chosen stack size. The
 * work functions below run on the learner's thread and only record what
 * they see; the assertions run afterwards, on the test's own thread.
 */
#define _GNU_SOURCE /* pthread_getattr_np */
#include "course_test.h"
#include "thread_stack.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define MIB ((size_t)1024 * 1024)
#define SIZE_SLACK (64 * 1024) /* bytes glibc may add when it rounds a stack size */

/* What a work function saw of the thread that ran it. */
struct sighting {
    int runs;          /* how many times the work ran */
    pthread_t thread;  /* the thread that ran it */
    uintptr_t local;   /* address of one of the work's locals */
    bool stack_known;  /* whether the fields below were filled */
    uintptr_t low;     /* that thread's stack: [low, low + size) */
    size_t size;
};

/* Work: records where it runs, returns its argument. */
static void *look_around(void *arg)
{
    struct sighting *seen = arg;
    int local = 0;
    pthread_attr_t attr;

    seen->runs++;
    seen->thread = pthread_self();
    seen->local = (uintptr_t)&local;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        void *low;
        seen->stack_known = pthread_attr_getstack(&attr, &low, &seen->size) == 0;
        seen->low = (uintptr_t)low;
        pthread_attr_destroy(&attr);
    }
    return seen;
}

/* Work small enough for the smallest stack: counts its runs. */
static void *count_run(void *arg)
{
    ++*(int *)arg;
    return NULL;
}

/* Work: allocates a block on its thread and hands it over. */
static void *make_answer(void *arg)
{
    int *answer = malloc(sizeof *answer);

    (void)arg;
    if (answer)
        *answer = 42;
    return answer;
}

static bool on_stack(uintptr_t addr, const struct sighting *seen)
{
    return seen->low <= addr && addr < seen->low + seen->size;
}

GRADED_TEST(thread_stack, hands_back_a_heap_block_made_on_the_thread, 1,
            .description = "work's result reaches the caller; a block malloc'd on the thread is the caller's to free")
{
    void *result = NULL;

    cr_assert(eq(int, thread_run(MIB, make_answer, NULL, &result), 0),
              "thread_run should return 0 when the thread ran");
    cr_assert(ne(ptr, result, NULL),
              "*result should be what work returned: collect it with the "
              "second argument of pthread_join");
    cr_assert(eq(int, *(int *)result, 42),
              "the block written on the thread should read 42 here: one heap "
              "for all threads");
    free(result);
}

GRADED_TEST(thread_stack, passes_arg_to_work_once, 1,
            .description = "work runs exactly once, with arg unchanged")
{
    struct sighting seen = { .runs = 0 };
    void *result = NULL;

    cr_assert(eq(int, thread_run(MIB, look_around, &seen, &result), 0),
              "thread_run should return 0 when the thread ran");
    cr_assert(eq(int, seen.runs, 1),
              "work ran %d times before thread_run returned: create one "
              "thread and join it before returning", seen.runs);
    cr_assert(eq(ptr, result, &seen), "work should receive arg unchanged");
}

GRADED_TEST(thread_stack, accepts_a_null_result, 1,
            .description = "result may be NULL when the caller does not want it")
{
    int runs = 0;

    cr_assert(eq(int, thread_run(MIB, count_run, &runs, NULL), 0),
              "with result == NULL thread_run should still run work and "
              "return 0, storing nothing");
    cr_assert(eq(int, runs, 1), "work should have run once");
}

GRADED_TEST(thread_stack, runs_work_on_a_new_thread, 1,
            .description = "work runs on another thread than the caller's")
{
    struct sighting seen = { .runs = 0 };

    cr_assert(eq(int, thread_run(MIB, look_around, &seen, NULL), 0),
              "thread_run should return 0 when the thread ran");
    cr_assert(eq(int, seen.runs, 1), "work should have run once");
    cr_assert(not(pthread_equal(seen.thread, pthread_self())),
              "work ran on the caller's thread: start it with pthread_create "
              "instead of calling it");
}

GRADED_TEST(thread_stack, work_has_a_stack_of_its_own, 1,
            .description = "work's locals live on the new thread's stack, not on the caller's")
{
    struct sighting seen = { .runs = 0 };
    int here = 0;

    cr_assert(eq(int, thread_run(MIB, look_around, &seen, NULL), 0),
              "thread_run should return 0 when the thread ran");
    cr_assert(seen.stack_known, "the work could not read its thread's stack bounds");
    cr_assert(on_stack(seen.local, &seen),
              "work's local %#jx is not on its thread's stack", (uintmax_t)seen.local);
    cr_assert(not(on_stack((uintptr_t)&here, &seen)),
              "the caller's local %#jx lies on the same stack as work's: work "
              "must run on a new thread", (uintmax_t)(uintptr_t)&here);
}

GRADED_TEST(thread_stack, gives_the_thread_the_size_asked_for, 2, .timeout = 12,
            .description = "the thread's stack has the size asked for, smaller or larger than the default")
{
    const size_t sizes[] = { 1 * MIB, 32 * MIB };

    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct sighting seen = { .runs = 0 };

        cr_assert(eq(int, thread_run(sizes[i], look_around, &seen, NULL), 0),
                  "thread_run(%zu, ...) should return 0", sizes[i]);
        cr_assert(seen.stack_known, "the work could not read its thread's stack bounds");
        cr_assert(ge(sz, seen.size, sizes[i]),
                  "asked for %zu bytes of stack, the thread got %zu: pass "
                  "stack_size to pthread_attr_setstacksize and the attr to "
                  "pthread_create", sizes[i], seen.size);
        cr_assert(le(sz, seen.size, sizes[i] + SIZE_SLACK),
                  "asked for %zu bytes of stack, the thread got %zu: pass "
                  "stack_size to pthread_attr_setstacksize and the attr to "
                  "pthread_create", sizes[i], seen.size);
    }
}

GRADED_TEST(thread_stack, accepts_the_smallest_stack, 1,
            .description = "a stack of exactly PTHREAD_STACK_MIN bytes is allowed")
{
    int runs = 0;

    cr_assert(eq(int, thread_run(PTHREAD_STACK_MIN, count_run, &runs, NULL), 0),
              "PTHREAD_STACK_MIN (%zu) is the smallest size allowed, so it is "
              "allowed: check for an off-by-one", (size_t)PTHREAD_STACK_MIN);
    cr_assert(eq(int, runs, 1), "work should have run once");
}

GRADED_TEST(thread_stack, rejects_a_stack_below_the_minimum, 1,
            .description = "a stack of PTHREAD_STACK_MIN - 1 bytes gives -EINVAL and runs nothing")
{
    int runs = 0;

    cr_assert(eq(int, thread_run(MIB, count_run, &runs, NULL), 0),
              "thread_run must succeed with a 1 MiB stack first");
    runs = 0;
    cr_assert(eq(int, thread_run(PTHREAD_STACK_MIN - 1, count_run, &runs, NULL), -EINVAL),
              "below PTHREAD_STACK_MIN, pthread_attr_setstacksize returns "
              "EINVAL: return it negated, -EINVAL");
    cr_assert(eq(int, runs, 0), "work must not run when thread_run fails");
}

GRADED_TEST(thread_stack, rejects_a_zero_stack_size, 1,
            .description = "a stack of 0 bytes gives -EINVAL")
{
    int runs = 0;

    cr_assert(eq(int, thread_run(MIB, count_run, &runs, NULL), 0),
              "thread_run must succeed with a 1 MiB stack first");
    runs = 0;
    cr_assert(eq(int, thread_run(0, count_run, &runs, NULL), -EINVAL),
              "a 0-byte stack is below PTHREAD_STACK_MIN: return -EINVAL");
    cr_assert(eq(int, runs, 0), "work must not run when thread_run fails");
}

GRADED_TEST(thread_stack, reports_a_stack_too_big_to_make, 2,
            .description = "a stack of SIZE_MAX bytes gives a negative error and leaves result alone")
{
    int runs = 0;
    void *result = &runs;

    cr_assert(eq(int, thread_run(MIB, count_run, &runs, NULL), 0),
              "thread_run must succeed with a 1 MiB stack first");
    runs = 0;
    const int err = thread_run(SIZE_MAX, count_run, &runs, &result);
    cr_assert(lt(int, err, 0),
              "no SIZE_MAX-byte stack can exist, so pthread_create fails; "
              "thread_run returned %d: pthread calls return a positive error "
              "number, return it negated", err);
    cr_assert(eq(int, runs, 0), "work must not run when thread_run fails");
    cr_assert(eq(ptr, result, &runs), "*result must stay untouched on failure");
}

GRADED_TEST(thread_stack, rejects_null_work, 1,
            .description = "a NULL work function gives -EINVAL")
{
    int runs = 0;

    cr_assert(eq(int, thread_run(MIB, count_run, &runs, NULL), 0),
              "thread_run must succeed with a 1 MiB stack first");
    cr_assert(eq(int, thread_run(MIB, NULL, NULL, NULL), -EINVAL),
              "work == NULL: return -EINVAL before creating a thread");
}

GRADED_TEST(thread_stack, default_size_is_glibcs, 1,
            .description = "thread_default_stack_size gives the size a default thread gets")
{
    pthread_attr_t attr;
    size_t expected = 0, size = 0;

    cr_assert(eq(int, pthread_attr_init(&attr), 0), "the test could not make an attr");
    pthread_attr_getstacksize(&attr, &expected);
    pthread_attr_destroy(&attr);
    cr_assert(eq(int, thread_default_stack_size(&size), 0),
              "thread_default_stack_size should return 0");
    cr_assert(eq(sz, size, expected),
              "a default thread gets %zu bytes of stack here, not %zu: read it "
              "with pthread_attr_getstacksize from a freshly initialised attr",
              expected, size);
}

GRADED_TEST(thread_stack, default_size_rejects_null, 1,
            .description = "thread_default_stack_size(NULL) gives -EINVAL")
{
    size_t size = 0;

    cr_assert(eq(int, thread_default_stack_size(&size), 0),
              "thread_default_stack_size must succeed first");
    cr_assert(eq(int, thread_default_stack_size(NULL), -EINVAL),
              "size == NULL: return -EINVAL");
}
