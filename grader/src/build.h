/**
 * @file build.h
 * @brief Turns the exercises of a submission into test binaries.
 *
 * Course code (tests, harness) is compiled by the grader; learner code is
 * compiled in the sandbox, checked by scan.h, and has its allocator and exit
 * calls renamed (grader/harness/learner.syms) before it is linked, either
 * alone with its exercise's tests or with the other exercises of its group.
 */
#ifndef GRADER_BUILD_H
#define GRADER_BUILD_H

#include <stdbool.h>

#include "course.h"
#include "sandbox.h"

/** Everything one build needs to know. */
struct build_env {
    const char *course_root;      /**< The course tree (tests, headers, harness). */
    const char *harness_dir;      /**< Where build_harness() put the harness objects. */
    bool fast;                    /**< AddressSanitizer build instead of Valgrind's. */
    const struct sandbox *sandbox; /**< Where learner code is compiled. */
    const char *cache_dir;        /**< Where compiled course objects are kept between
                                       gradings (checked against their sources'
                                       times); NULL to build them every time. */
    const char *missing_why;      /**< Said when the learner's file is missing, in place of
                                       the plain "missing"; NULL for that. */
    const char *overlay_dir;      /**< The instructor's hidden tests (`--tests-overlay`):
                                       OVERLAY/SLUG/EXERCISE_test.c is compiled and linked
                                       beside the public test file; NULL for none. */
};

/** What building one exercise produced. */
struct build_result {
    char *catalogue_bin; /**< Test binary without learner code, for `--list`; NULL on failure. */
    char *learner_obj;   /**< The learner's checked object, ready to link; NULL when the
                              learner's file did not build (or, after
                              build_link_exercise(), did not link). */
    char *test_bin;      /**< The exercise's own test binary, once build_link_exercise()
                              made it; NULL otherwise. */
    char *learner_log;   /**< Compiler and checker messages about the learner's file, or NULL. */
    char *course_error;  /**< Set when course code itself failed to build (an infrastructure error). */
};

/**
 * @brief Compiles the harness objects into @p out_dir (once per run).
 *
 * The plain objects always go to `out_dir/plain` (the catalogue binary is
 * always linked plain); with @p fast, AddressSanitizer objects also go to
 * `out_dir/fast`.
 *
 * @param[in] course_root the course tree whose grader/harness/ is compiled;
 *                        borrowed.
 * @param[in] out_dir     directory that receives the objects, created if
 *                        missing; borrowed. Becomes build_env::harness_dir.
 * @param[in] fast        also build the sanitized objects for `--fast`.
 * @return NULL on success, else a new error message owned by the caller
 *         (free() it).
 */
char *build_harness(const char *course_root, const char *out_dir, bool fast);

/** One exercise's part of a group's test binary. */
struct build_member {
    const char *exercise;    /**< Exercise name, e.g. "vector"; borrowed. */
    const char *work_dir;    /**< Where build_exercise() put its objects; borrowed. */
    const char *learner_obj; /**< Its build_result::learner_obj; borrowed. */
};

/**
 * @brief Builds exercise @p exercise of @p lesson from @p submission_root in
 *        @p work_dir: the course's objects and catalogue binary, and the
 *        learner's checked object. Nothing is linked with learner code yet.
 *
 * Never fails as a whole: what went wrong is recorded in @p out, as
 * build_result::course_error for the course's side and
 * build_result::learner_log for the learner's.
 *
 * @param[in]  env             the build's settings; borrowed.
 * @param[in]  lesson          the lesson the exercise belongs to; borrowed.
 * @param[in]  exercise        exercise name, e.g. "vector": the learner file
 *                             is `exercise.c`; borrowed.
 * @param[in]  submission_root the tree shaped like exercises/ that supplies
 *                             the learner file; borrowed, never written.
 * @param[in]  work_dir        private directory for this exercise, created
 *                             if missing; borrowed.
 * @param[out] out             filled in every case (the strings in it are
 *                             owned by @p out); release with
 *                             build_result_done().
 */
void build_exercise(const struct build_env *env, const struct lesson *lesson,
                    const char *exercise, const char *submission_root,
                    const char *work_dir, struct build_result *out);

/**
 * @brief Links the test binary of one exercise, `work_dir/tests`.
 *
 * A link failure is the learner's (a function missing or misnamed): it is
 * explained in build_result::learner_log, and build_result::learner_obj is
 * dropped.
 *
 * @param[in]     env      the build's settings; borrowed.
 * @param[in]     lesson   the lesson of the exercise; borrowed.
 * @param[in]     exercise exercise name; borrowed.
 * @param[in]     work_dir the directory build_exercise() built it in; borrowed.
 * @param[in,out] out      filled by build_exercise(); on success
 *                         build_result::test_bin is set.
 * @return true when the binary was linked; false when it was not, or when
 *         the exercise had no learner object to link.
 */
bool build_link_exercise(const struct build_env *env, const struct lesson *lesson,
                         const char *exercise, const char *work_dir,
                         struct build_result *out);

/**
 * @brief Links one test binary, `dir/tests`, that holds the tests of every
 *        member: the harness and the lesson's support objects once, then
 *        each member's test objects and learner object.
 *
 * Its `--list` order differs from each member's catalogue: map the tests by
 * suite, name and file.
 *
 * @param[in] env       the build's settings; borrowed.
 * @param[in] lesson    the lesson all members belong to; borrowed.
 * @param[in] members   the exercises, each built by build_exercise() with a
 *                      learner object; borrowed.
 * @param[in] n_members number of @p members.
 * @param[in] dir       an existing directory for the binary and its
 *                      `link.log`; borrowed.
 * @return the binary's path, owned by the caller (free() it), or NULL when
 *         it did not link (two members' objects may clash): then grade the
 *         members one by one.
 */
char *build_link_group(const struct build_env *env, const struct lesson *lesson,
                       const struct build_member *members, size_t n_members,
                       const char *dir);

/**
 * @brief Frees what @p result owns and zeroes it.
 * @param[in,out] result filled by build_exercise(), or all zero; the struct
 *                       itself stays the caller's.
 */
void build_result_done(struct build_result *result);

/**
 * @brief build/harness beside this grader's binary, when `make` has built
 *        it (its stamp is written last).
 * @return the folder, owned by the caller (free()); NULL when there is none
 *         (then the harness is built for the run).
 */
char *build_prebuilt_harness(void);

#endif /* GRADER_BUILD_H */
