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
    double budget_s;     /**< CPU seconds its tests may use in all, Valgrind's
                              start-up and leak checks included. */
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
    double budget_s;               /**< Without groups: the one exercise's
                                        CPU budget (run_group::budget_s). */
    double *spent_s;               /**< NULL, or one entry per group (one without
                                        groups): set to the CPU seconds each
                                        used; the caller's. */
};

/**
 * @brief Runs every enabled test of @p plan.
 *
 * Each test gets its CPU allowance, run_allowance() (the harness keeps
 * that clock and kills its own child). Each exercise has a CPU budget
 * (run_group::budget_s) that no event can extend, spent while the harness
 * runs its tests (and, for the first exercise of a start, while Valgrind
 * starts): when it is spent, every process of the sandbox is killed, the
 * exercise's tests that did not run score 0, and the harness is started
 * again for the other exercises. If the harness dies, it is started again
 * for the tests that had not started. A test that the machine starved
 * (course_protocol.h) runs once more; starved again, or when the whole
 * harness falls silent, its outcome is {"host_busy"}.
 *
 * @param[in] plan what to run and where; borrowed, with everything it
 *                 points to. Valgrind's reports and the tests' output are
 *                 written under plan->run_dir.
 * @return a new array owned by the caller (release it with json_decref()), one object per catalogue entry, in
 *         catalogue order: the harness's "end" record (pid, finished,
 *         exit_status, signal, leak, open_fds, timed_out, allowed, seconds,
 *         failures, blocked, host_busy, cpu), or {"runner_died"} /
 *         {"over_budget", "budget"} / {"host_busy"} when the run stopped
 *         during the test, or {"not_run": reason}.
 */
json_t *run_tests(const struct run_plan *plan);

/**
 * @brief The CPU seconds a test may use in this mode (course_protocol.h).
 * @param[in] declared_s    the test's `.timeout` in native seconds, 0 when
 *                          it declares none.
 * @param[in] fast          AddressSanitizer mode instead of Valgrind's.
 * @return max(the mode's floor, @p declared_s times the scale).
 */
double run_allowance(double declared_s, bool fast);

#endif /* GRADER_RUN_H */
