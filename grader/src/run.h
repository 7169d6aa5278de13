/**
 * @file run.h
 * @brief Runs a test binary's harness and gathers what happened to each test.
 */
#ifndef GRADER_RUN_H
#define GRADER_RUN_H

#include <jansson.h>
#include <stdbool.h>

#include "sandbox.h"

/** The tests of one exercise inside a test binary that may hold several. */
struct run_group {
    const size_t *tests; /**< Their indices in the binary's catalogue, in the order
                              to run them; borrowed. */
    size_t n_tests;      /**< Number of indices in @ref tests. */
};

/** How to run the tests of one test binary: one exercise's, or a group's. */
struct run_plan {
    const char *test_bin;          /**< The test binary. */
    const char *run_dir;           /**< Gets xml/ (Valgrind reports) and logs/ (test output). */
    json_t *catalogue;             /**< The binary's `--list` output (borrowed). */
    bool fast;                     /**< Native ASan run instead of Valgrind. */
    const struct sandbox *sandbox; /**< Where the tests run. */
    const struct run_group *groups; /**< The exercises whose tests the binary holds,
                                         each with its own timeout count and time
                                         budget; borrowed. NULL: every test of the
                                         catalogue is one exercise's, in order. A
                                         test in no group is not run. */
    size_t n_groups;               /**< Number of entries in @ref groups. */
};

/**
 * @brief Runs every enabled test of @p plan.
 *
 * Each test gets at most its timeout times a slowdown factor (the harness
 * keeps that clock and kills its own child); after one test of an exercise
 * times out, that exercise's other tests get run_short_deadline(). Each
 * exercise has a fixed wall-clock budget that no event can extend, spent
 * while the harness runs its tests (and, for the first exercise of a start,
 * while Valgrind starts): when it is spent, every process of the sandbox is
 * killed, the exercise's tests that did not run score 0, and the harness is
 * started again for the other exercises. If the harness dies, it is started
 * again for the tests that had not started.
 *
 * @param[in] plan what to run and where; borrowed, with everything it
 *                 points to. Valgrind's reports and the tests' output are
 *                 written under plan->run_dir.
 * @return a new array owned by the caller (release it with json_decref()), one object per catalogue entry, in
 *         catalogue order: the harness's "end" record (pid, finished,
 *         exit_status, signal, leak, open_fds, timed_out, allowed, seconds,
 *         failures), or {"runner_died"} / {"over_budget"} when the run
 *         stopped during the test, or {"not_run": reason}.
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

/**
 * @brief The whole deadline of every test that runs after a test of the same
 *        exercise timed out.
 * @param[in] fast AddressSanitizer mode instead of Valgrind's.
 * @return the deadline in seconds.
 */
double run_short_deadline(bool fast);

#endif /* GRADER_RUN_H */
