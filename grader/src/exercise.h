/**
 * @file exercise.h
 * @brief Grades a group of exercises of one lesson: build, run, score.
 *
 * The exercises of a group are built one by one, then linked into one test
 * binary, so that Valgrind starts once for the group and not once for each
 * exercise. Each exercise is still scored alone, with the same verdicts
 * and messages as if it had a binary of its own (which it gets when the
 * group's binary cannot be linked).
 */
#ifndef GRADER_EXERCISE_H
#define GRADER_EXERCISE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "catalogue.h"
#include "course.h"
#include "sandbox.h"

/** What grading a group of exercises needs. */
struct exercise_job {
    const char *course_root;     /**< The course tree. */
    const char *submission_root; /**< The tree shaped like exercises/. */
    const char *harness_dir;     /**< Where build_harness() put the harness objects. */
    const char *cache_dir;       /**< Where compiled course objects are kept between
                                      gradings; NULL for none. */
    const char *overlay_dir;     /**< The instructor's hidden tests, or NULL (build.h). */
    const char *dir;             /**< Private directory of the group: its test
                                      binaries and runs go there. */
    const struct lesson *lesson; /**< The lesson of every exercise; borrowed. */
    size_t n_exercises;          /**< Number of exercises in the group, at least 1. */
    const char *const *exercises; /**< Exercise names, e.g. "vector", in course order. */
    const char *const *work_dirs; /**< Each exercise's own directory, inside @ref dir. */
    const char *const *missing_why; /**< For each exercise, why the submission has no
                                         file for it ("did you mean..."), or NULL. */
    bool fast;                   /**< ASan instead of Valgrind. */
    bool until_lost;             /**< `--until-lost`: stop each exercise at its
                                      first functional failure (run_plan). */
    const struct sandbox *sandbox; /**< Where learner code runs. */
};

/**
 * @brief Grades @p job: builds its exercises, runs their tests, scores each
 *        one.
 *
 * Never fails as a whole: a course-side failure is reported in that
 * exercise's "error", a learner file that does not build gives every test
 * of its exercise a zero verdict explaining why; the other exercises are
 * graded as usual.
 *
 * @param[in] job what to grade and where; borrowed, with everything it
 *                points to.
 * @return a new array owned by the caller (release it with json_decref()),
 *         one object per exercise of @p job, in its order: lesson,
 *         exercise, build_log (string or null), error (an infrastructure
 *         error message, or null), tests (array of verdicts, see
 *         verdict.h).
 */
json_t *exercise_grade_group(const struct exercise_job *job);

#endif /* GRADER_EXERCISE_H */
