/**
 * @file run.h
 * @brief Runs a test binary's harness and gathers what happened to each test.
 */
#ifndef GRADER_RUN_H
#define GRADER_RUN_H

#include <jansson.h>
#include <stdbool.h>

#include "catalogue.h"
#include "sandbox.h"
#include "vgreport.h"

/** What became of one test in a run. */
enum outcome_kind {
    OUTCOME_PENDING,     /**< No result yet (inside run_tests() only). */
    OUTCOME_ENDED,       /**< The harness's "end" record: the fields from
                              @ref test_outcome::pid to
                              @ref test_outcome::failures are set. */
    OUTCOME_ERROR,       /**< The harness's "error" record: it could not run the
                              test (@ref test_outcome::reason, with
                              @ref test_outcome::detail the system's words). */
    OUTCOME_NOT_RUN,     /**< Never started: @ref test_outcome::reason says why,
                              @ref test_outcome::detail may hold the harness's log. */
    OUTCOME_DISABLED,    /**< `.disabled` in the catalogue: not run, not scored. */
    OUTCOME_RUNNER_DIED, /**< The harness died while the test ran. */
    OUTCOME_OVER_BUDGET, /**< The exercise's budget (@ref test_outcome::budget)
                              ran out while the test ran. */
    OUTCOME_HOST_BUSY,   /**< The machine starved the run: the host's problem. */
};

/** One failed assertion, as the test child reported it. */
struct test_failure {
    char *text;     /**< The failure message; owned, NULL when none was sent. */
    char *file;     /**< The test file of the assertion; owned, or NULL. */
    long long line; /**< Its line, 0 when unknown. */
};

/** What a run found for one test. The harness's own fields are read once
 *  here, at the edge; every reader after run_tests() reads this. */
struct test_outcome {
    enum outcome_kind kind; /**< Which of the fields below mean something. */
    int pid;                /**< The test child's pid: names its Valgrind report. */
    bool finished;          /**< It reached the end of its body, token proven. */
    int exit_status;        /**< Its exit status, -1 when it did not exit. */
    int signal;             /**< The signal that ended it, 0 for none. */
    bool leak;              /**< LeakSanitizer found a leak (`--fast` builds). */
    int open_fds;           /**< Descriptors it left open. */
    bool timed_out;         /**< Stopped for its CPU allowance, or blocked. */
    bool blocked;           /**< ... because it slept as long as its allowance. */
    bool host_busy;         /**< The machine starved it, even on its retry
                                 (also set for #OUTCOME_HOST_BUSY). */
    double allowed;         /**< Its CPU allowance, seconds. */
    double cpu;             /**< CPU seconds its process tree used. */
    double body_cpu;        /**< CPU seconds when its body ended; -1 if it did not. */
    double seconds;         /**< Wall-clock seconds it took. */
    struct test_failure *failures; /**< Its failed assertions; owned. */
    size_t n_failures;      /**< Number of @ref failures. */
    struct vg_stack stack;  /**< Under AddressSanitizer, where a test stopped for
                                 its allowance was (the harness's "stack"),
                                 innermost first, as the explainers take it:
                                 each frame's fn, file (base name) and line;
                                 owned. Only ever an explanation. */
    char *reason;           /**< #OUTCOME_ERROR, #OUTCOME_NOT_RUN: why; owned. */
    char *detail;           /**< #OUTCOME_ERROR: the errno text; #OUTCOME_NOT_RUN:
                                 the harness's log, or NULL; owned. */
    double budget;          /**< #OUTCOME_OVER_BUDGET: the budget, CPU seconds. */
};

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
    const struct catalogue *catalogue; /**< The binary's `--list` output (borrowed). */
    bool fast;                     /**< Native ASan run instead of Valgrind. */
    bool until_lost;               /**< Stop an exercise at its first test that fails
                                        functionally: its other tests are not run
                                        and score 0. Only to prove that a planted
                                        bug loses points (check-mutants.sh): a
                                        score is then a bound, not a grade. */
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
 * harness falls silent, its outcome is #OUTCOME_HOST_BUSY. When the run
 * directory cannot be made, every test is #OUTCOME_ERROR: the grader's
 * fault, reported as a grading error.
 *
 * @param[in] plan what to run and where; borrowed, with everything it
 *                 points to. Valgrind's reports and the tests' output are
 *                 written under plan->run_dir.
 * @return a new array of plan->catalogue->n outcomes in catalogue order,
 *         owned by the caller (outcomes_free()); NULL when memory runs out.
 */
struct test_outcome *run_tests(const struct run_plan *plan);

/**
 * @brief Frees @p n outcomes and their array.
 * @param[in] outcomes the array, taken; NULL is allowed.
 * @param[in] n        its length.
 * @return NULL, so that `v = outcomes_free(v, n);` leaves no dangling pointer.
 */
struct test_outcome *outcomes_free(struct test_outcome *outcomes, size_t n);

/**
 * @brief Moves an outcome: @p to takes what @p from owned, and @p from is
 *        left #OUTCOME_PENDING, owning nothing.
 * @param[out]    to   overwritten (it must own nothing).
 * @param[in,out] from emptied.
 */
void outcome_move(struct test_outcome *to, struct test_outcome *from);

/** A test's functional half as its outcome decides it (outcome_functional()):
 *  passed, or the first reason it was lost, in the order they are judged. */
enum functional_result {
    FUNCTIONAL_PASSED,        /**< It finished, or died by the signal it expects. */
    FUNCTIONAL_NOT_RUN,       /**< It never started (#OUTCOME_NOT_RUN, #OUTCOME_PENDING). */
    FUNCTIONAL_BLOCKED,       /**< Stopped: it slept as long as its allowance. */
    FUNCTIONAL_TIMED_OUT,     /**< Stopped: it used its CPU allowance. */
    FUNCTIONAL_OVER_BUDGET,   /**< The exercise's budget ran out while it ran. */
    FUNCTIONAL_HARNESS_ERROR, /**< Not graded: the harness could not run it. */
    FUNCTIONAL_HOST_BUSY,     /**< Not graded: the machine starved it. */
    FUNCTIONAL_RUNNER_DIED,   /**< The harness was killed while it ran. */
    FUNCTIONAL_ASSERTION,     /**< An assertion failed. */
    FUNCTIONAL_CRASHED,       /**< A signal it does not expect ended it. */
    FUNCTIONAL_ENDED_EARLY,   /**< Its process ended before its body did. */
    FUNCTIONAL_NO_SIGNAL,     /**< It finished, but it expects a signal. */
};

/**
 * @brief Decides a test's functional half from its outcome alone: the one
 *        decision that verdict.c puts into words and scores, and that
 *        run_plan::until_lost stops an exercise on.
 * @param[in] outcome         the test's outcome; borrowed.
 * @param[in] expected_signal the signal the test expects to end it (its
 *                            `.signal`), 0 for none.
 * @return #FUNCTIONAL_PASSED, or why the functional half is lost.
 */
enum functional_result outcome_functional(const struct test_outcome *outcome,
                                          int expected_signal);

/**
 * @brief The CPU seconds a test may use in this mode (course_protocol.h).
 * @param[in] declared_s    the test's `.timeout` in native seconds, 0 when
 *                          it declares none.
 * @param[in] fast          AddressSanitizer mode instead of Valgrind's.
 * @return max(the mode's floor, @p declared_s times the scale).
 */
double run_allowance(double declared_s, bool fast);

#endif /* GRADER_RUN_H */
