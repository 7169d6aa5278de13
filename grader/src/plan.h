/**
 * @file plan.h
 * @brief The units of a grading: which exercises one worker grades, and in
 *        which order the workers start.
 *
 * A unit is a group of contiguous exercises of one lesson, graded by one
 * worker process in one sandbox, whose tests run in one test binary, so
 * that Valgrind starts once a unit (about a second of CPU each) instead of
 * once an exercise. By default a unit is a whole lesson; when there are
 * more cores than lessons, the heaviest lessons are cut into contiguous
 * parts. Weights only order and cut the work: they never change a grade.
 */
#ifndef GRADER_PLAN_H
#define GRADER_PLAN_H

#include <stddef.h>
#include <sys/types.h>

#include "course.h"

/** One unit of work: contiguous exercises of one lesson, graded together. */
struct unit {
    const struct lesson *lesson; /**< the lesson; borrowed from the course */
    const char **exercises;      /**< exercise names; owned array of names borrowed from
                                      the lesson */
    size_t n_exercises;          /**< number of @ref exercises, at least 1 */
    size_t first;                /**< index of its first exercise in the results */
    char *dir;                   /**< private directory of its worker; owned */
    char **work_dirs;            /**< each exercise's directory, inside @ref dir; owned */
    const char **missing_why;    /**< why each file was not found; owned array of
                                      borrowed strings or NULLs */
    off_t weight;                /**< expected cost (bytes of test source), for the
                                      start order only */
    pid_t worker;                /**< the worker grading it; 0 once reaped, < 0 if fork() failed */
};

/**
 * @brief Plans the units of the chosen lessons.
 *
 * The chosen lessons' exercises (only @p exercise's, when set, each a unit
 * of its own), one unit a lesson, with the heaviest lessons cut into
 * contiguous parts until there are at least @p jobs units, where lessons
 * have exercises enough.
 *
 * @param[in]  course_root the course tree (test files give the weights); borrowed.
 * @param[in]  chosen      the lessons, in course order; borrowed.
 * @param[in]  n_chosen    number of @p chosen.
 * @param[in]  exercise    only this exercise, or NULL for all; borrowed.
 * @param[in]  jobs        how many workers may run at once.
 * @param[out] n_units     number of units; 0 when no exercise matched.
 * @return the units in course order (lesson, exercises, n_exercises, first
 *         and weight set), owned by the caller (units_free()); NULL when
 *         memory runs out.
 */
struct unit *units_plan(const char *course_root, const struct lesson *const *chosen,
                        size_t n_chosen, const char *exercise, size_t jobs,
                        size_t *n_units);

/**
 * @brief The units in the order to start them, heaviest first, so that no
 *        core idles at the end waiting for one long unit.
 * @param[in] units   the units; borrowed.
 * @param[in] n_units their number.
 * @return @p n_units indices owned by the caller (free()); NULL when memory
 *         runs out (then course order serves).
 */
size_t *units_start_order(const struct unit *units, size_t n_units);

/**
 * @brief Frees the units' own arrays and strings, and @p units itself.
 * @param[in] units   the units, taken; NULL is allowed.
 * @param[in] n_units their number.
 */
void units_free(struct unit *units, size_t n_units);

#endif /* GRADER_PLAN_H */
