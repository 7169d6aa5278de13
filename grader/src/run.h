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
    json_t *catalogue;             /**< The binary's --list output (borrowed). */
    bool fast;                     /**< Native ASan run instead of Valgrind. */
    const struct sandbox *sandbox; /**< Where the tests run. */
};

/**
 * Runs every enabled test of @p plan.
 *
 * Each test gets at most its timeout times a slowdown factor; a test that
 * takes longer is killed (its whole process group). If the harness itself
 * dies, it is started again for the tests that had not started.
 *
 * @return a new array (caller owns), one object per catalogue entry, in
 *         catalogue order: the harness's "end" record (pid, finished,
 *         exit_status, signal, leak, failures), plus "timed_out" or
 *         "runner_died" when the grader saw those, or {"not_run": reason}.
 */
json_t *run_tests(const struct run_plan *plan);

/** The time a test may take in this mode, in seconds, from its declared timeout. */
double run_deadline(double declared_s, bool fast);

#endif /* GRADER_RUN_H */
