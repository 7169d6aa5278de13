/**
 * @file course.h
 * @brief The course tree: its lessons and what a submission supplies for each.
 */
#ifndef GRADER_COURSE_H
#define GRADER_COURSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

/** A section of a lesson's README that teaches one kind of error. */
struct lesson_section {
    char *kind;  /**< the kind of error, one of explain_topics (explain.h),
                      e.g. "use_after_free" */
    char *title; /**< the section's heading, exactly as in the README,
                      e.g. "Use after free" */
};

/** One lesson module, as lessons/NN-slug/lesson.json describes it. */
struct lesson {
    char *slug;      /**< Directory name, e.g. "02-heap". */
    char *title;     /**< Human title, e.g. "Heap: malloc and free". */
    strv exercises;  /**< Exercise names; exercise X is the learner file X.c. */
    strv cflags;     /**< Extra compile flags for learner and test code. */
    strv ldlibs;     /**< Extra link flags, e.g. "-pthread". */
    strv imports;    /**< Functions learner code may call beyond grader/harness/imports.base. */
    strv support;    /**< Course-side C files in exercises/SLUG/support/, linked into every
                          test binary of the lesson. */
    bool asan;       /**< Also graded by an AddressSanitizer run: memcheck cannot see
                          overruns of stack and global arrays. */
    double *cpu_shares; /**< Each exercise's share of the lesson's CPU budget, in
                             @ref exercises order (lesson.json "cpu_shares"). */
    strv sections;   /**< The lesson section each exercise practises, in @ref exercises
                          order, "" where lesson.json "sections" names none (the
                          README's exercise table then says). */
    struct lesson_section *error_sections; /**< The sections that explanations of
                                          errors cite (lesson.json
                                          "error_sections"); owned array. */
    size_t n_error_sections; /**< Number of @ref error_sections. */
};

/**
 * @brief The CPU seconds the tests of @p exercise may use in one grading:
 *        its share of #PROTO_LESSON_CPU_S (course_protocol.h).
 * @param[in] lesson   the lesson; borrowed.
 * @param[in] exercise one of its exercises; borrowed.
 * @return the seconds; 0 for a name that is not one of its exercises.
 */
double lesson_cpu_budget(const struct lesson *lesson, const char *exercise);

/** All lessons found under a course root, sorted by slug. */
struct course {
    char *root;             /**< Absolute path of the course tree. */
    struct lesson *lessons; /**< Owned array of @ref n_lessons lessons. */
    size_t n_lessons;       /**< Number of lessons. */
};

/**
 * @brief Loads every lessons/NN-slug/lesson.json under @p root.
 * @param[in]  root   course root directory; borrowed.
 * @param[out] out    filled on success (owned by the caller, who releases it
 *                    with course_done()); zeroed on failure.
 * @param[out] error  set to NULL, then on failure to a new message for the
 *                    user, owned by the caller (free() it); may stay NULL
 *                    when memory runs out.
 * @return 0, or a negative errno: -ENOENT when @p root has no lessons/
 *         directory, -EINVAL for a malformed lesson.json, -ENOMEM.
 */
int course_load(const char *root, struct course *out, char **error);

/**
 * @brief Finds a lesson by number ("2", "02") or by full slug ("02-heap").
 * @param[in] course the loaded course; borrowed.
 * @param[in] name   a lesson number or slug, e.g. from `--lesson`; borrowed.
 * @return a lesson borrowed from @p course (valid until course_done()), or
 *         NULL when there is none.
 */
const struct lesson *course_find(const struct course *course, const char *name);

/**
 * @brief Writes the course as JSON, for the scripts around the grader
 *        (`grader/grade --describe`): each lesson's slug, title, README,
 *        cflags, ldlibs, imports, support files and asan flag, and each
 *        exercise's name, files (learner file, header, tests, solution,
 *        hints), section and CPU budget in seconds. Paths are relative to
 *        the course root, which is given too.
 * @param[out] out       where to write; borrowed.
 * @param[in]  course    the loaded course; borrowed.
 * @param[in]  lessons   the lessons to describe, in order; borrowed.
 * @param[in]  n_lessons number of @p lessons.
 * @param[in]  exercise  only this exercise, or NULL for all; borrowed.
 * @return 0, or -ENOMEM, or -EIO when @p out cannot be written.
 */
int course_describe(FILE *out, const struct course *course,
                    const struct lesson *const *lessons, size_t n_lessons,
                    const char *exercise);

/**
* @brief The section of the course that teaches an error of @p kind.
 * @param[in]  course the loaded course; borrowed.
 * @param[in]  kind   a kind of error, e.g. "leak"; borrowed.
 * @param[out] lesson set to the lesson whose README has the section
 *                    (borrowed from @p course), or NULL.
 * @return the section's title, borrowed from @p course; NULL when no lesson
 *         maps @p kind (the first lesson that does wins).
 */
const char *course_section(const struct course *course, const char *kind,
                           const struct lesson **lesson);

/**
 * @brief Frees what @p course owns and zeroes it.
 * @param[in,out] course filled by course_load(), or all zero; the struct
 *                       itself stays the caller's.
 */
void course_done(struct course *course);

#endif /* GRADER_COURSE_H */
