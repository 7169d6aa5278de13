/**
 * @file overlay.h
 * @brief An instructor's hidden tests (`grader/grade --tests-overlay DIR`).
 *
 * The overlay is a folder shaped like the course's lesson folders, holding
 * only test files:
 *
 *     DIR/02-heap/vector_test.c     hidden tests of exercise vector
 *     DIR/02-heap/vector_data.h     a header of theirs (optional)
 *
 * Each OVERLAY/SLUG/EXERCISE_test.c is compiled and linked beside the public
 * lessons/SLUG/tests/EXERCISE_test.c, so its tests are graded, and reported,
 * like the public ones, with the Gradescope visibility they declare
 * (course_test.h). The overlay stays outside the course tree, so it never
 * reaches learners; the sandbox hides it from learner code where it can.
 */
#ifndef GRADER_OVERLAY_H
#define GRADER_OVERLAY_H

#include <stddef.h>

#include "course.h"

/**
 * @brief Checks that every entry of the overlay @p dir belongs to an
 *        exercise of @p course, so that a misnamed file is an error rather
 *        than tests silently not run.
 *
 * Allowed: a folder per lesson, named by its slug; in it, regular files
 * named EXERCISE_test.c for an exercise of that lesson, and headers (.h).
 *
 * @param[in]  course   the loaded course; borrowed.
 * @param[in]  dir      the overlay's root folder; borrowed.
 * @param[out] n_tests  the number of hidden test files found.
 * @param[out] error    set to NULL, then on failure to a new message naming
 *                      the entry and what is allowed; owned by the caller.
 * @return 0, or a negative errno (-EINVAL for an entry that belongs to no
 *         exercise, -ENOENT for a folder that cannot be read).
 */
int overlay_check(const struct course *course, const char *dir, size_t *n_tests,
                  char **error);

#endif /* GRADER_OVERLAY_H */
