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
 *
 * Visibility (Gradescope's, in results.json) is "visible" for the course's
 * public tests. An instructor's hidden tests (`grader/grade --tests-overlay`)
 * are "after_due_date" unless they say otherwise, for a whole file:
 *
 * @code
 * #define COURSE_TEST_VISIBILITY "hidden"   // before the #include
 * #include "course_test.h"
 * @endcode
 *
 * or for one test, with GRADED_TEST_SHOWN(). The grader accepts Gradescope's
 * four values: "visible", "after_due_date", "after_published" and "hidden".
 */
#ifndef COURSE_TEST_H
#define COURSE_TEST_H

#include <criterion/criterion.h>
#include <criterion/new/assert.h>

/** Grading facts attached to one test through Criterion's `.data` field. */
struct course_grading {
    int points;             /**< Points the test is worth (whole points, at least 1). */
    const char *visibility; /**< Who sees the test's result and when, in Gradescope's
                                 words; see COURSE_TEST_VISIBILITY. */
};

#ifndef COURSE_TEST_VISIBILITY
#ifdef COURSE_TEST_OVERLAY /* the grader compiles hidden test files with it */
/** The visibility of this file's tests, unless a test names its own. */
#define COURSE_TEST_VISIBILITY "after_due_date"
#else
/** The visibility of this file's tests, unless a test names its own. */
#define COURSE_TEST_VISIBILITY "visible"
#endif
#endif

/**
 * Declares a Criterion test worth @p points points.
 *
 * The variadic part takes Criterion's test options and must contain at least
 * `.description = "..."`; `.init`, `.fini`, `.signal` and `.timeout` (native
 * seconds; the grader scales it for Valgrind) work as in Criterion.
 */
#define GRADED_TEST(suite, name, points_, ...)                              \
    GRADED_TEST_SHOWN(suite, name, points_, COURSE_TEST_VISIBILITY, __VA_ARGS__)

/**
 * Like GRADED_TEST(), with the test's own Gradescope visibility, e.g.
 * `GRADED_TEST_SHOWN(vector, huge, 2, "hidden", .description = "...")`.
 */
#define GRADED_TEST_SHOWN(suite, name, points_, visibility_, ...)           \
    Test(suite, name,                                                       \
         .data = &(struct course_grading){ .points = (points_),            \
                                           .visibility = (visibility_) },  \
         __VA_ARGS__)

#endif /* COURSE_TEST_H */
