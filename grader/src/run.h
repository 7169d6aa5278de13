/**
 * @file run.h
 * @brief Runs a test binary's harness and gathers what happened to each test.
 */
#ifndef GRADER_RUN_H
#define GRADER_RUN_H

#include <jansson.h>
#include <stdbool.h>

#include "sandbox.h"

/** How to run the tests of one exercise. */
struct run_plan {
    const char *test_bin;          /**< The test binary. */
    const char *run_dir;           /**< Gets xml/ (Valgrind reports) and logs/ (test output). */
    json_t *catalogue;             /**< The binary's `--list` output (borrowed). */
    bool fast;                     /**< Native ASan run instead of Valgrind. */
    const struct sandbox *sandbox; /**< Where the tests run. */
};

/**
 * @brief Runs every enabled test of @p plan.
 *
 * Each test gets at most its timeout times a slowdown factor; a test that
 * takes longer is killed (its whole process group). If the harness itself
 * dies, it is started again for the tests that had not started.
 *
 * @param[in] plan what to run and where; borrowed, with everything it
 *                 points to. Valgrind's reports and the tests' output are
 *                 written under plan->run_dir.
 * @return a new array owned by the caller (release it with json_decref()), one object per catalogue entry, in
 *         catalogue order: the harness's "end" record (pid, finished,
 *         exit_status, signal, leak, failures), plus "timed_out" or
 *         "runner_died" when the grader saw those, or {"not_run": reason}.
 */
json_t *run_tests(const struct run_plan *plan);

/**
 * @brief The time a test may take in this mode, from its declared timeout.
 * @param[in] declared_s the test's timeout in native seconds (its `.timeout`,
 *                       or the harness's default).
 * @param[in] fast       AddressSanitizer mode instead of Valgrind's, which
 *                       slows code down less.
 * @return the deadline in seconds: @p declared_s times the mode's slowdown,
 *         plus a grace period for start-up and reports.
 */
double run_deadline(double declared_s, bool fast);

#endif /* GRADER_RUN_H */
