/**
 * @file course_test.h
 * @brief What every graded test file includes: Criterion plus the course's
 *        points declaration.
 *
 * A graded test is an ordinary Criterion test that also says how many points
 * it is worth, next to its name, so that weights never drift away from tests:
 *
 * @code
 * GRADED_TEST(vector, grows_past_capacity_keeping_elements, 2,
 *             .description = "push past capacity keeps every element")
 * {
 *     ...
 *     cr_assert(eq(sz, vec.len, 3), "after 3 pushes len must be 3: check vector_push");
 * }
 * @endcode
 *
 * The points travel in Criterion's user-data slot (`.data`) of the test, where
 * the course harness reads them. The `.description` is required: it is the
 * behaviour the test checks, in plain words, and reports show it to learners.
 */
#ifndef COURSE_TEST_H
#define COURSE_TEST_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

/** Grading facts attached to one test through Criterion's `.data` field. */
struct course_grading {
    int points; /**< Points the test is worth (whole points, at least 1). */
};

/**
 * Declares a Criterion test worth @p points points.
 *
 * The variadic part takes Criterion's test options and must contain at least
 * `.description = "..."`; `.init`, `.fini`, `.signal` and `.timeout` (native
 * seconds; the grader scales it for Valgrind) work as in Criterion.
 */
#define GRADED_TEST(suite, name, points_, ...)                              \
    Test(suite, name,                                                       \
         .data = &(struct course_grading){ .points = (points_) },          \
         __VA_ARGS__)

#endif /* COURSE_TEST_H */
