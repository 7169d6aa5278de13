/**
 * @file course.h
 * @brief The course tree: its lessons and what a submission supplies for each.
 */
#ifndef GRADER_COURSE_H
#define GRADER_COURSE_H

#include <stddef.h>

/** A NULL-terminated, owned array of owned strings. */
typedef char **strv;

/** One lesson module, as lessons/NN-slug/lesson.json describes it. */
struct lesson {
    char *slug;      /**< Directory name, e.g. "02-heap". */
    char *title;     /**< Human title, e.g. "Heap: malloc and free". */
    strv exercises;  /**< Exercise names; exercise X is the learner file X.c. */
    strv cflags;     /**< Extra compile flags for learner and test code. */
    strv ldlibs;     /**< Extra link flags, e.g. "-pthread". */
};

/** All lessons found under a course root, sorted by slug. */
struct course {
    char *root;             /**< Absolute path of the course tree. */
    struct lesson *lessons; /**< Owned array of @ref n_lessons lessons. */
    size_t n_lessons;       /**< Number of lessons. */
};

/**
 * Loads every lessons/NN-slug/lesson.json under @p root.
 * @param[in]  root   course root directory; borrowed.
 * @param[out] out    filled on success; release with course_done().
 * @param[out] error  on failure, a new message for the user (caller frees).
 * @return 0, or a negative errno with @p error set.
 */
int course_load(const char *root, struct course *out, char **error);

/**
 * Finds a lesson by number ("2", "02") or by full slug ("02-heap").
 * @return a lesson borrowed from @p course, or NULL when there is none.
 */
const struct lesson *course_find(const struct course *course, const char *name);

/** Frees what @p course owns. Accepts a zeroed course. */
void course_done(struct course *course);

/** Number of strings in @p v (0 for NULL). */
size_t strv_len(const strv v);

/** Frees @p v and its strings. Accepts NULL. @return NULL. */
strv strv_free(strv v);

#endif /* GRADER_COURSE_H */
