/**
 * @file exercise.h
 * @brief Grades one exercise of one lesson: build, run, score.
 */
#ifndef GRADER_EXERCISE_H
#define GRADER_EXERCISE_H

#include <jansson.h>
#include <stdbool.h>

#include "course.h"
#include "sandbox.h"

/** What grading an exercise needs. */
struct exercise_job {
    const char *course_root;     /**< The course tree. */
    const char *submission_root; /**< The tree shaped like exercises/. */
    const char *harness_dir;     /**< Where build_harness() put the harness objects. */
    const char *cache_dir;       /**< Where compiled course objects are kept between
                                      gradings; NULL for none. */
    const char *missing_why;     /**< Why the submission has no file for the exercise
                                      ("did you mean..."), or NULL. */
    const char *overlay_dir;     /**< The instructor's hidden tests, or NULL (build.h). */
    const char *work_dir;        /**< Private directory for this exercise. */
    const struct lesson *lesson; /**< The lesson; borrowed. */
    const char *exercise;        /**< Exercise name, e.g. "vector". */
    bool fast;                   /**< ASan instead of Valgrind. */
    const struct sandbox *sandbox; /**< Where learner code runs. */
};

/**
 * @brief Grades @p job: builds the exercise, runs its tests, scores each one.
 *
 * Never fails as a whole: a course-side failure is reported in the returned
 * object's "error", a learner file that does not build gives every test a
 * zero verdict explaining why.
 *
 * @param[in] job what to grade and where; borrowed, with everything it
 *                points to.
 * @return a new object owned by the caller (release it with json_decref()):
 *         lesson, exercise, build_log (string or null), error (an
 *         infrastructure error message, or null), tests (array of verdicts,
 *         see verdict.h).
 */
json_t *exercise_grade(const struct exercise_job *job);

#endif /* GRADER_EXERCISE_H */
