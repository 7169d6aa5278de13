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
    const char *harness_dir;     /**< Compiled harness objects for the mode. */
    const char *work_dir;        /**< Private directory for this exercise. */
    const struct lesson *lesson; /**< The lesson; borrowed. */
    const char *exercise;        /**< Exercise name, e.g. "vector". */
    bool fast;                   /**< ASan instead of Valgrind. */
    const struct sandbox *sandbox; /**< Where learner code runs. */
};

/**
 * Grades @p job.
 * @return a new object: lesson, exercise, build_log (string or null),
 *         error (an infrastructure error message, or null), tests (array of
 *         verdicts, see verdict.h).
 */
json_t *exercise_grade(const struct exercise_job *job);

#endif /* GRADER_EXERCISE_H */
