/*
 * An instructor's hidden tests for 02-heap/vector, the example that
 * `make test-instructors` grades with `grader/grade --tests-overlay`.
 *
 * A hidden test file sits outside the course, at OVERLAY/SLUG/EXERCISE_test.c,
 * and is written like a public one. Its tests are shown to learners after
 * the due date, unless the file or the test says otherwise: this file keeps
 * that default, and one test is never shown (GRADED_TEST_SHOWN).
 */
#include "course_test.h"
#include "alloc_faults.h"
#include "vector.h"

#include <errno.h>

GRADED_TEST(vector_hidden, thousand_pushes_then_pops, 2,
            .description = "1000 pushes then 1000 pops give the values back "
                           "in reverse order")
{
    struct vector *v = vector_new();

    cr_assert(ne(ptr, v, NULL), "vector_new() returned NULL");
    for (int i = 0; i < 1000; i++)
        cr_assert(eq(int, vector_push(v, i * 7), 0), "push %d failed", i);
    for (int i = 999; i >= 0; i--) {
        int value = -1;

        cr_assert(eq(int, vector_pop(v, &value), 0), "pop failed with %d left", i + 1);
        cr_assert(eq(int, value, i * 7), "pop gave %d where %d was pushed", value, i * 7);
    }
    cr_assert(eq(sz, v->len, 0), "after as many pops as pushes, len must be 0");
    vector_free(v);
}

GRADED_TEST_SHOWN(vector_hidden, reserve_then_fill_allocates_once, 1, "hidden",
                  .description = "after vector_reserve(v, 100), 100 pushes "
                                 "allocate nothing more")
{
    struct vector *v = vector_new();

    cr_assert(ne(ptr, v, NULL), "vector_new() returned NULL");
    cr_assert(eq(int, vector_reserve(v, 100), 0), "vector_reserve(v, 100) failed");
    size_t before = alloc_stats().allocs;
    for (int i = 0; i < 100; i++)
        cr_assert(eq(int, vector_push(v, i), 0), "push %d failed", i);
    cr_assert(eq(sz, alloc_stats().allocs, before),
              "pushes into reserved room must not allocate: check vector_push's "
              "growth test");
    vector_free(v);
}
