/**
 * @file build.h
 * @brief Turns one exercise of a submission into a test binary.
 *
 * Course code (tests, harness) is compiled by the grader; learner code is
 * compiled in the sandbox, checked by scan.h, and has its allocator and exit
 * calls renamed (grader/harness/learner.syms) before it is linked.
 */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include <stdbool.h>

#include "course.h"
#include "sandbox.h"

/** Everything one build needs to know. */
struct build_env {
    const char *course_root;      /**< The course tree (tests, headers, harness). */
    const char *harness_dir;      /**< Compiled harness objects for this mode. */
    bool fast;                    /**< AddressSanitizer build instead of Valgrind's. */
    const struct sandbox *sandbox; /**< Where learner code is compiled. */
};

/** What building one exercise produced. */
struct build_result {
    char *catalogue_bin; /**< Test binary without learner code, for --list; NULL on failure. */
    char *test_bin;      /**< Complete test binary; NULL when the learner part failed. */
    char *learner_log;   /**< Compiler and checker messages about the learner's file, or NULL. */
    char *course_error;  /**< Set when course code itself failed to build (an infrastructure error). */
};

/**
 * Compiles the harness objects for one mode into @p out_dir (once per run).
 * @return NULL on success, else a new error message (caller frees).
 */
char *build_harness(const char *course_root, const char *out_dir, bool fast);

/**
 * Builds exercise @p exercise of @p lesson from @p submission_root in @p work_dir.
 * @param[out] out  filled; release with build_result_done().
 */
void build_exercise(const struct build_env *env, const struct lesson *lesson,
                    const char *exercise, const char *submission_root,
                    const char *work_dir, struct build_result *out);

/** Frees what @p result owns. */
void build_result_done(struct build_result *result);

#endif /* GRADER_BUILD_H */
