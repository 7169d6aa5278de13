/**
 * @file run_test.c
 * @brief Tests of outcome_functional(), the one decision of a test's
 *        functional half: the verdict words it and --until-lost stops on it,
 *        so its order of reasons is the grade's.
 */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

#include <signal.h>

#include "run.h"

/* An outcome that reached the end of its body, token proven. */
static struct test_outcome finished(void)
{
    return (struct test_outcome){ .kind = OUTCOME_ENDED, .finished = true };
}

Test(run, a_finished_test_passes_unless_it_expects_a_signal)
{
    struct test_outcome outcome = finished();
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_PASSED));
    cr_assert(eq(int, outcome_functional(&outcome, SIGSEGV), FUNCTIONAL_NO_SIGNAL),
              "a test that expects a crash fails when the code does not crash");
}

Test(run, the_expected_signal_passes_any_other_crashes)
{
    struct test_outcome outcome = { .kind = OUTCOME_ENDED, .signal = SIGSEGV };
    cr_assert(eq(int, outcome_functional(&outcome, SIGSEGV), FUNCTIONAL_PASSED));
    cr_assert(eq(int, outcome_functional(&outcome, SIGABRT), FUNCTIONAL_CRASHED));
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_CRASHED));
}

Test(run, a_failed_assertion_outweighs_the_expected_signal)
{
    struct test_failure failure = { .text = "expected 3" };
    struct test_outcome outcome = { .kind = OUTCOME_ENDED, .signal = SIGSEGV,
                                    .failures = &failure, .n_failures = 1 };
    cr_assert(eq(int, outcome_functional(&outcome, SIGSEGV), FUNCTIONAL_ASSERTION));
}

Test(run, an_early_exit_is_never_a_pass)
{
    struct test_outcome outcome = { .kind = OUTCOME_ENDED, .exit_status = 0 };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_ENDED_EARLY));
}

Test(run, a_stopped_test_says_whether_it_looped_or_slept)
{
    struct test_outcome outcome = { .kind = OUTCOME_ENDED, .timed_out = true };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_TIMED_OUT));
    outcome.blocked = true;
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_BLOCKED));
}

Test(run, outcomes_of_the_grader_are_told_apart_from_the_learners)
{
    struct test_outcome outcome = { .kind = OUTCOME_ERROR };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_HARNESS_ERROR));
    outcome = (struct test_outcome){ .kind = OUTCOME_HOST_BUSY, .host_busy = true };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_HOST_BUSY));
    outcome = (struct test_outcome){ .kind = OUTCOME_ENDED, .host_busy = true };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_HOST_BUSY),
              "a starved test that ended is the host's problem, not an early exit");
    outcome = (struct test_outcome){ .kind = OUTCOME_RUNNER_DIED };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_RUNNER_DIED));
    outcome = (struct test_outcome){ .kind = OUTCOME_OVER_BUDGET };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_OVER_BUDGET));
}

Test(run, a_test_that_never_started_did_not_run)
{
    struct test_outcome outcome = { .kind = OUTCOME_NOT_RUN };
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_NOT_RUN));
    outcome.kind = OUTCOME_PENDING;
    cr_assert(eq(int, outcome_functional(&outcome, 0), FUNCTIONAL_NOT_RUN));
}
