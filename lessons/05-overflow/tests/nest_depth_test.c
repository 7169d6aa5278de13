/*
 * nest_depth_test.c: brackets on a depth budget. Every input is copied into
 * a heap block of exactly its length, with no NUL after it, so that a read
 * past len is a Valgrind error. The deep tests run nest_depth on a thread
 * with a 256 KiB stack, as the header promises: a parser without a budget
 * dies there of a stack overflow. One test gives a large budget and a
 * big stack, as the header allows: the depth must then be the budget's
 * business, not that of a fixed array inside nest_depth.
 */
#include "course_test.h"
#include "nest_depth.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SMALL_STACK (256u * 1024) /* bytes of stack for the deep tests */
#define BIG_STACK (16u * 1024 * 1024) /* bytes: 20000 levels of up to 800 bytes */
#define DEEP 20000                /* levels under a large budget */
#define MILLION 1000000
#define UNTOUCHED ((size_t)0xdeadbeef)

/* A heap copy of text without its NUL, in a block of exactly strlen bytes. */
static char *text_new(const char *text, size_t *len)
{
    *len = strlen(text);
    char *copy = malloc(*len ? *len : 1);

    cr_assert(ne(ptr, copy, NULL), "test setup: malloc failed");
    memcpy(copy, text, *len);
    return copy;
}

/* Runs nest_depth on text with budget max; returns its result. */
static int depth_of(const char *text, size_t max, size_t *depth)
{
    size_t len;
    char *copy = text_new(text, &len);
    int err = nest_depth(copy, len, max, depth);

    free(copy);
    return err;
}

static void assert_depth(const char *text, size_t max, size_t expected)
{
    size_t depth = UNTOUCHED;
    int err = depth_of(text, max, &depth);

    cr_assert(eq(int, err, 0), "nest_depth(\"%s\", budget %zu) should return 0, not %d", text, max, err);
    cr_assert(eq(sz, depth, expected), "\"%s\" nests %zu deep, not %zu", text, expected, depth);
}

static void assert_fails(const char *text, size_t max, int expected, const char *why)
{
    size_t depth = UNTOUCHED;
    int err = depth_of(text, max, &depth);

    cr_assert(eq(int, err, expected), "nest_depth(\"%s\", budget %zu) should return %d, not %d: %s",
              text, max, expected, err, why);
    cr_assert(eq(sz, depth, UNTOUCHED), "*depth must stay untouched on failure");
}

/* One deep call: 'open' repeated n times, then 'close' n times (close may be 0). */
struct deep_job {
    size_t n;
    char open, close;
    size_t max;
    int err;
    size_t depth;
};

static void *deep_run(void *opaque)
{
    struct deep_job *job = opaque;
    size_t len = job->close ? 2 * job->n : job->n;
    char *text = malloc(len);

    if (!text)
        return NULL;
    memset(text, job->open, job->n);
    if (job->close)
        memset(text + job->n, job->close, job->n);
    job->err = nest_depth(text, len, job->max, &job->depth);
    free(text);
    return job;
}

/* Runs the job on a thread with stack_size bytes of stack. */
static void run_on_stack(struct deep_job *job, size_t stack_size)
{
    pthread_attr_t attr;
    pthread_t thread;
    void *done = NULL;

    cr_assert(eq(int, pthread_attr_init(&attr), 0), "test setup: pthread_attr_init failed");
    pthread_attr_setstacksize(&attr, stack_size);
    cr_assert(eq(int, pthread_create(&thread, &attr, deep_run, job), 0), "test setup: pthread_create failed");
    pthread_join(thread, &done);
    pthread_attr_destroy(&attr);
    cr_assert(ne(ptr, done, NULL), "test setup: malloc failed on the thread");
}

GRADED_TEST(nest_depth, measures_nesting, 2,
            .description = "the depth is the deepest nesting, whatever the other bytes")
{
    assert_depth("", 10, 0);
    assert_depth("no brackets at all", 10, 0);
    assert_depth("()", 10, 1);
    assert_depth("()[]{}", 10, 1);
    assert_depth("f(a[i], {b})", 10, 2);
    assert_depth("([]{[()]})", 10, 4);
    assert_depth("(()) ((()))", 10, 3);
}

GRADED_TEST(nest_depth, accepts_depth_equal_to_budget, 2,
            .description = "nesting exactly max_depth deep is accepted")
{
    assert_depth("((()))", 3, 3);
    assert_depth("[{}]", 2, 2);
    assert_depth("()", 1, 1);
    assert_depth("text", 0, 0);
}

GRADED_TEST(nest_depth, rejects_one_level_past_budget, 3,
            .description = "nesting max_depth + 1 deep gives -E2BIG, where the budget runs out, before a later mismatch")
{
    assert_depth("((()))", 3, 3);
    assert_fails("(((())))", 3, -E2BIG, "4 levels under a budget of 3");
    assert_fails("[{()}]", 2, -E2BIG, "3 levels under a budget of 2");
    assert_fails("()", 0, -E2BIG, "a budget of 0 accepts no bracket at all");

    assert_depth("(())", 2, 2);
    assert_fails("((()]", 2, -E2BIG, "the third '(' breaks the budget before ']' is read");
}

GRADED_TEST(nest_depth, rejects_a_mismatched_closer, 3,
            .description = "a closing bracket of the wrong kind, or with nothing open, gives -EBADMSG")
{
    assert_depth("([])", 5, 2);
    assert_fails("(]", 5, -EBADMSG, "'(' is closed by ']'");
    assert_fails("([)]", 5, -EBADMSG, "']' must close '[' before ')' closes '('");
    assert_fails("{)", 5, -EBADMSG, "'{' is closed by ')'");

    assert_depth("()", 5, 1);
    assert_fails(")", 5, -EBADMSG, "')' closes nothing");
    assert_fails("())(", 5, -EBADMSG, "the second ')' closes nothing");
    assert_fails("]", 0, -EBADMSG, "']' closes nothing, whatever the budget");
}

GRADED_TEST(nest_depth, rejects_brackets_left_open, 2,
            .description = "brackets still open at the end give -EBADMSG")
{
    assert_depth("(x)", 5, 1);
    assert_fails("(", 5, -EBADMSG, "'(' is never closed");
    assert_fails("([]", 5, -EBADMSG, "'(' is never closed");
    assert_fails("{{}", 5, -EBADMSG, "the first '{' is never closed");
}

GRADED_TEST(nest_depth, reads_only_len_bytes, 2,
            .description = "text need not be NUL-terminated: only text[0..len) is read")
{
    char *text = malloc(4);

    cr_assert(ne(ptr, text, NULL), "test setup: malloc failed");
    memcpy(text, "(())", 4); /* no NUL */
    size_t depth = UNTOUCHED;
    cr_assert(eq(int, nest_depth(text, 4, 10, &depth), 0), "\"(())\" is balanced");
    cr_assert(eq(sz, depth, 2), "\"(())\" nests 2 deep");
    cr_assert(eq(int, nest_depth(text, 2, 10, &depth), -EBADMSG),
              "the first 2 bytes, \"((\", are left open: read len bytes, not up to a NUL");
    free(text);
}

GRADED_TEST(nest_depth, ignores_nul_bytes, 1,
            .description = "a NUL byte inside text[0..len) is one more byte to ignore, not the end")
{
    char *text = malloc(5);

    cr_assert(ne(ptr, text, NULL), "test setup: malloc failed");
    memcpy(text, "(\0[])", 5); /* '(' NUL '[' ']' ')' */
    size_t depth = UNTOUCHED;
    const int err = nest_depth(text, 5, 10, &depth);
    free(text);
    cr_assert(eq(int, err, 0), "the 5 bytes '(' NUL '[' ']' ')' are balanced: return 0, not %d. "
              "Read len bytes; a NUL inside them is not the end of the text", err);
    cr_assert(eq(sz, depth, 2), "'(' NUL '[' ']' ')' nests 2 deep, not %zu", depth);
}

GRADED_TEST(nest_depth, survives_a_million_open_brackets, 3,
            .description = "10^6 '(' under a budget of 1000 give -E2BIG on a 256 KiB stack, not a crash")
{
    struct deep_job job = { .n = 1000, .open = '(', .close = ')', .max = 1000 };

    run_on_stack(&job, SMALL_STACK);
    cr_assert(eq(int, job.err, 0), "1000 levels under a budget of 1000 must be accepted");
    job = (struct deep_job){ .n = MILLION, .open = '(', .max = 1000, .depth = UNTOUCHED };
    run_on_stack(&job, SMALL_STACK);
    cr_assert(eq(int, job.err, -E2BIG),
              "a million '(' must stop at level 1001 with -E2BIG: check the budget "
              "before each recursive call");
    cr_assert(eq(sz, job.depth, UNTOUCHED), "*depth must stay untouched on failure");
}

GRADED_TEST(nest_depth, goes_1000_deep_on_a_small_stack, 2,
            .description = "1000 nested pairs under a budget of 1000 work on a 256 KiB stack")
{
    struct deep_job job = { .n = 1000, .open = '[', .close = ']', .max = 1000 };

    run_on_stack(&job, SMALL_STACK);
    cr_assert(eq(int, job.err, 0), "1000 nested [] under a budget of 1000: return 0");
    cr_assert(eq(sz, job.depth, 1000), "1000 nested [] are 1000 deep, not %zu", job.depth);
}

GRADED_TEST(nest_depth, goes_as_deep_as_a_large_budget_allows, 2, .timeout = 8,
            .description = "20000 nested pairs under a budget of a million work on a 16 MiB stack")
{
    struct deep_job job = { .n = DEEP, .open = '{', .close = '}', .max = MILLION };

    run_on_stack(&job, BIG_STACK);
    cr_assert(eq(int, job.err, 0), "%d nested {} under a budget of %d: return 0, not %d. The "
              "budget, not a fixed limit of your own, decides how deep the text may go",
              DEEP, MILLION, job.err);
    cr_assert(eq(sz, job.depth, DEEP), "%d nested {} are %d deep, not %zu", DEEP, DEEP, job.depth);
}

GRADED_TEST(nest_depth, rejects_bad_arguments, 1,
            .description = "NULL depth, or NULL text with len above 0, gives -EINVAL; NULL text with len 0 is empty")
{
    size_t depth = UNTOUCHED;

    cr_assert(eq(int, nest_depth(NULL, 0, 5, &depth), 0), "NULL text of length 0 is the empty text");
    cr_assert(eq(sz, depth, 0), "the empty text nests 0 deep");
    cr_assert(eq(int, nest_depth("()", 2, 5, NULL), -EINVAL), "depth == NULL gives -EINVAL");
    cr_assert(eq(int, nest_depth(NULL, 2, 5, &depth), -EINVAL), "text == NULL with len 2 gives -EINVAL");
}
