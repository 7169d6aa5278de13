/**
 * @file grading.h
 * @brief One grading of a submission: prepare, run, report.
 *
 * Rules:
 *  1. A grading moves through three steps, each in one call:
 *     grading_prepare() (course, submission, lessons, work directory,
 *     harness, units), grading_run() (the workers, at most
 *     grading_options::jobs at a time) and grading_report() (every report
 *     asked for, then the text report).
 *  2. A step that fails records the whole run's error (grading::error,
 *     never NULL once set, however little memory is left) and the next
 *     steps are skipped; grading_report() still writes every report, with
 *     that error in it, and returns 2.
 *  3. A worker that dies costs its own exercises (every test at 0), never
 *     the run.
 *  4. grading_done() frees everything the grading owns and removes its work
 *     directory (kept with grading_options::keep when the grading ran).
 */
#ifndef GRADER_GRADING_H
#define GRADER_GRADING_H

#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "course.h"
#include "discover.h"
#include "plan.h"
#include "sandbox.h"

/** What the command line asks of a grading. */
struct grading_options {
    const char *course_root;   /**< `--course` */
    const char *submission;    /**< `--submission` */
    const char **lessons;      /**< `--lesson`, repeatable; owned array */
    size_t n_lessons;          /**< number of `--lesson` names given */
    const char *json_path;     /**< `--json` */
    const char *junit_path;    /**< `--junit` */
    const char *tap_path;      /**< `--tap` */
    const char *pl_path;       /**< `--prairielearn`: PrairieLearn's results.json */
    const char *platform;      /**< `--platform`: where the learner reads the report */
    bool check_only;           /**< `--check`: check the course, lessons and hidden tests */
    bool describe;             /**< `--describe`: print the course as JSON */
    bool until_lost;           /**< `--until-lost`: stop each exercise at its first
                                    functional failure (run_plan::until_lost) */
    const char *exercise;      /**< `--exercise`: only this exercise of the lessons */
    const char *build_harness; /**< `--build-harness DIR`: only build the harness there */
    const char *overlay;       /**< `--tests-overlay DIR`: the instructor's hidden tests */
    bool fast;                 /**< `--fast` */
    bool verbose;              /**< `--verbose` */
    bool keep;                 /**< `--keep`: leave the work directory */
    long jobs;                 /**< `--jobs` */
};

/** The state of one grading, from its options to its reports. */
struct grading {
    const struct grading_options *opt; /**< borrowed */
    double started;             /**< clock_seconds() when it began */
    const char *error;          /**< the whole run's error; NULL while none */
    char *error_owned;          /**< @ref error, when it was made for this run; owned */
    char course_root[PATH_MAX]; /**< the course tree, resolved */
    struct course course;       /**< the course's lessons; owned */
    bool course_loaded;         /**< @ref course is to be freed */
    char submission[PATH_MAX];  /**< the submission folder, resolved */
    const char *submission_shown; /**< the submission as the learner named it */
    char overlay[PATH_MAX];     /**< the hidden tests' folder, resolved */
    const char *overlay_dir;    /**< @ref overlay, or NULL without hidden tests */
    const struct lesson **chosen; /**< the lessons to grade; owned array */
    size_t n_chosen;            /**< number of @ref chosen */
    char work_root[32];         /**< the work directory; "" until made */
    struct discovery found;     /**< the submission's files; owned */
    bool discovered;            /**< @ref found is to be freed */
    char *materialized;         /**< root's copy of the found files; owned */
    char *harness_dir;          /**< the harness objects; owned */
    char *cache_dir;            /**< compiled course objects kept between
                                     gradings, or NULL; owned */
    struct unit *units;         /**< the plan (plan.h); owned */
    size_t n_units;             /**< number of @ref units */
    size_t n_exercises;         /**< exercises in all units */
    struct sandbox *boxes;      /**< one sandbox a unit; owned */
    const char *isolation;      /**< how learner code is isolated, in words; static */
    json_t *results;            /**< one exercise result each, in course order; owned */
};

/**
 * @brief Starts a grading: its clock, and the signals that stop it
 *        cleanly (SIGINT, SIGTERM, SIGHUP).
 * @param[out] g   the grading, which owns nothing yet.
 * @param[in]  opt the options; borrowed for the grading's life.
 */
void grading_init(struct grading *g, const struct grading_options *opt);

/**
 * @brief Records the whole run's error; the first one recorded stands.
 * @param[in,out] g        the grading.
 * @param[in]     why      the error, taken (freed by the grading); NULL when
 *                         it could not be made.
 * @param[in]     fallback a static message used when @p why is NULL.
 * @return -1, for `return grading_fail(...)`.
 */
int grading_fail(struct grading *g, char *why, const char *fallback);

/**
 * @brief Step 1: everything the workers need. With grading_options::check_only
 *        it stops once the course, lessons and hidden tests are checked.
 * @param[in,out] g the grading.
 * @return 0, or -1 with grading::error set.
 */
int grading_prepare(struct grading *g);

/**
 * @brief Step 2: grades every unit, at most grading_options::jobs at once.
 * @param[in,out] g a prepared grading.
 * @return 0, or -1 with grading::error set (the grading was interrupted).
 */
int grading_run(struct grading *g);

/**
 * @brief Step 3: writes every report asked for, then the text report (or
 *        the error, or "ready" for a check).
 * @param[in,out] g the grading, in whatever step it stopped.
 * @return the exit status: 0 when every graded test earned full points, 1
 *         when any did not, 2 for an error of the grading or of a report.
 */
int grading_report(struct grading *g);

/**
 * @brief Frees what the grading owns and removes its work directory (unless
 *        grading_options::keep kept it for a grading that ran).
 * @param[in,out] g the grading; left owning nothing.
 */
void grading_done(struct grading *g);

#endif /* GRADER_GRADING_H */
