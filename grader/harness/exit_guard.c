/**
 * @file exit_guard.c
 * @brief What learner code gets when it tries to end the process.
 *
 * A function under test that calls exit(0) would end its test process with
 * status 0 before any assertion ran, which a naive runner reports as a pass.
 * Learner objects call these instead (see learner.syms): each one fails the
 * running test with an explanation and never returns.
 */
#include <criterion/abort.h>
#include <stdlib.h>

#include "course_test.h"

/** What every early-exit failure tells the learner to do instead. */
#define EXIT_ADVICE "library code must report failure to its caller (return " \
                    "an error code or NULL) instead of ending the whole program"

_Noreturn static void fail_exit(const char *how, int status)
{
    /* criterion_test_die fails the test with no source location: the
     * location would be this file, and the learner's call is what matters. */
    criterion_test_die("your code called %s(%d) during the test; %s", how, status,
                       EXIT_ADVICE);
    abort(); /* not reached: the test has ended */
}

/**
 * @brief exit() as learner code sees it: fails the test and never returns.
 * @param[in] status the exit status the learner's code asked for, quoted in
 *                   the failure message.
 */
_Noreturn void course_exit(int status) { fail_exit("exit", status); }

/**
 * @brief _exit() as learner code sees it: fails the test and never returns.
 * @param[in] status the exit status the learner's code asked for, quoted in
 *                   the failure message.
 */
_Noreturn void course__exit(int status) { fail_exit("_exit", status); }

/**
 * @brief _Exit() as learner code sees it: fails the test and never returns.
 * @param[in] status the exit status the learner's code asked for, quoted in
 *                   the failure message.
 */
_Noreturn void course__Exit(int status) { fail_exit("_Exit", status); }

/**
 * @brief quick_exit() as learner code sees it: fails the test and never returns.
 * @param[in] status the exit status the learner's code asked for, quoted in
 *                   the failure message.
 */
_Noreturn void course_quick_exit(int status) { fail_exit("quick_exit", status); }
