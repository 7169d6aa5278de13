/*
 * Tests of lock_guard.h.
 *
 * The mutexes are error-checking ones (PTHREAD_MUTEX_ERRORCHECK): locking
 * one this thread already holds fails with EDEADLK instead of hanging, and
 * pthread_mutex_trylock() tells a held mutex (EBUSY) from a free one (0).
 * After every call, the test checks that the mutex is in the state the
 * call found it in.
 */
#define _GNU_SOURCE
#include "course_test.h"
#include "course_thread.h"
#include "alloc_faults.h"
#include "lock_guard.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* The learner's counted allocator (alloc_faults.c): the ledger's balances
 * are reallocated by the learner's code, so they come from it too. */
void *course_calloc(size_t count, size_t size);

static pthread_mutex_t mutex;
static struct ledger ledger;

/* Makes m an error-checking mutex. */
static void errorcheck_init(pthread_mutex_t *m)
{
    pthread_mutexattr_t attr;

    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(m, &attr);
    pthread_mutexattr_destroy(&attr);
}

/* Fixture: a free mutex, and a ledger of three accounts 100, 50, 0. */
static void setup(void)
{
    errorcheck_init(&mutex);
    errorcheck_init(&ledger.mutex);
    ledger.balances = course_calloc(3, sizeof *ledger.balances);
    cr_assert(ne(ptr, ledger.balances, NULL), "test setup");
    ledger.balances[0] = 100;
    ledger.balances[1] = 50;
    ledger.count = 3;
}

static void teardown(void)
{
    course_free(ledger.balances);
}

/* Whether m is held (by any thread), leaving it as it was. */
static bool is_locked(pthread_mutex_t *m)
{
    int err = pthread_mutex_trylock(m);

    if (err == 0)
        pthread_mutex_unlock(m);
    return err != 0;
}

/* Asserts the ledger's mutex is free after a call described by what. */
static void assert_unlocked(const char *what)
{
    cr_assert(not(is_locked(&ledger.mutex)), "the ledger's mutex is still "
              "locked after %s: which return path skips the unlock?", what);
}

/* Asserts the ledger still holds balances a, b, c. */
static void assert_balances(long a, long b, long c, const char *what)
{
    cr_assert(eq(sz, ledger.count, 3), "%s changed the number of accounts",
              what);
    cr_assert(eq(long, ledger.balances[0], a), "%s: account 0 holds %ld, "
              "not %ld", what, ledger.balances[0], a);
    cr_assert(eq(long, ledger.balances[1], b), "%s: account 1 holds %ld, "
              "not %ld", what, ledger.balances[1], b);
    cr_assert(eq(long, ledger.balances[2], c), "%s: account 2 holds %ld, "
              "not %ld", what, ledger.balances[2], c);
}

TestSuite(lock_guard, .init = setup, .fini = teardown);

GRADED_TEST(lock_guard, acquire_locks_and_release_unlocks, 2,
            .description = "lock_guard_acquire locks the mutex and "
                           "lock_guard_release unlocks it and empties the "
                           "guard")
{
    struct lock_guard guard = LOCK_GUARD_EMPTY;

    cr_assert(eq(int, lock_guard_acquire(&guard, &mutex), 0),
              "lock_guard_acquire failed on a free mutex");
    cr_assert(eq(ptr, guard.mutex, &mutex), "the guard must hold the mutex");
    cr_assert(is_locked(&mutex), "the mutex is not locked after acquire");
    lock_guard_release(&guard);
    cr_assert(not(is_locked(&mutex)), "the mutex is still locked after "
              "release");
    cr_assert(eq(ptr, guard.mutex, NULL), "release must empty the guard");
}

GRADED_TEST(lock_guard, cleanup_attribute_unlocks_at_end_of_scope, 1,
            .description = "a guard declared with "
                           "__attribute__((cleanup(lock_guard_release))) "
                           "unlocks when its scope ends")
{
    {
        _cleanup_(lock_guard_release) struct lock_guard guard =
            LOCK_GUARD_EMPTY;

        cr_assert(eq(int, lock_guard_acquire(&guard, &mutex), 0),
                  "lock_guard_acquire failed on a free mutex");
    }
    cr_assert(not(is_locked(&mutex)), "the mutex is still locked after the "
              "guard's scope ended");
}

GRADED_TEST(lock_guard, second_release_does_nothing, 2,
            .description = "after an early release, releasing again (as the "
                           "cleanup does) does not unlock the mutex a "
                           "second time")
{
    struct lock_guard guard = LOCK_GUARD_EMPTY;

    cr_assert(eq(int, lock_guard_acquire(&guard, &mutex), 0),
              "lock_guard_acquire failed on a free mutex");
    lock_guard_release(&guard);
    cr_assert(not(is_locked(&mutex)), "release did not unlock");
    pthread_mutex_lock(&mutex); /* someone else's critical section now */
    lock_guard_release(&guard);
    cr_assert(is_locked(&mutex), "the second release unlocked a mutex the "
              "guard no longer held: release must empty the guard");
    pthread_mutex_unlock(&mutex);
}

GRADED_TEST(lock_guard, failed_acquire_holds_nothing, 1,
            .description = "when locking fails, lock_guard_acquire returns "
                           "the error and the guard holds nothing")
{
    struct lock_guard guard = LOCK_GUARD_EMPTY;

    cr_assert(eq(int, lock_guard_acquire(&guard, &mutex), 0),
              "lock_guard_acquire failed on a free mutex");
    lock_guard_release(&guard);
    pthread_mutex_lock(&mutex);
    guard.mutex = (pthread_mutex_t *)&guard; /* garbage to overwrite */
    cr_assert(eq(int, lock_guard_acquire(&guard, &mutex), -EDEADLK),
              "this thread holds the mutex: lock_guard_acquire must return "
              "-EDEADLK (the negated pthread_mutex_lock error)");
    cr_assert(eq(ptr, guard.mutex, NULL), "a failed acquire must leave "
              "the guard empty");
    lock_guard_release(&guard);
    cr_assert(is_locked(&mutex), "releasing an empty guard unlocked the "
              "mutex");
    pthread_mutex_unlock(&mutex);
}

GRADED_TEST(lock_guard, transfer_moves_money_and_unlocks, 2,
            .description = "ledger_transfer moves the amount and leaves the "
                           "mutex unlocked")
{
    cr_assert(eq(int, ledger_transfer(&ledger, 0, 2, 30), 0),
              "ledger_transfer(0 -> 2, 30) failed");
    assert_balances(70, 50, 30, "a transfer of 30 from 0 to 2");
    assert_unlocked("a transfer");
    cr_assert(eq(int, ledger_transfer(&ledger, 1, 0, 50), 0),
              "ledger_transfer(1 -> 0, 50), the whole balance, failed");
    assert_balances(120, 0, 30, "a transfer of the whole balance");
    assert_unlocked("a transfer");
}

GRADED_TEST(lock_guard, transfer_errors_unlock, 3,
            .description = "every ledger_transfer error returns its code, "
                           "changes no balance and unlocks the mutex")
{
    static const struct {
        size_t from, to;
        long amount;
        int err;
        const char *what;
    } cases[] = {
        { 3, 0, 1, -EINVAL, "from is not an account" },
        { 0, 3, 1, -EINVAL, "to is not an account" },
        { 1, 1, 1, -EINVAL, "from and to are the same" },
        { 0, 1, 0, -EINVAL, "amount 0" },
        { 0, 1, -5, -EINVAL, "a negative amount" },
        { 1, 0, 51, -ERANGE, "account 1 holds 50 and 51 are asked" },
    };

    cr_assert(eq(int, ledger_transfer(&ledger, 0, 2, 1), 0),
              "ledger_transfer(0 -> 2, 1) failed");
    ledger.balances[2] = 0;
    ledger.balances[0] = 100;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int err = ledger_transfer(&ledger, cases[i].from, cases[i].to,
                                  cases[i].amount);
        cr_assert(eq(int, err, cases[i].err), "%s: expected %d, got %d",
                  cases[i].what, cases[i].err, err);
        assert_balances(100, 50, 0, cases[i].what);
        assert_unlocked(cases[i].what);
    }
}

GRADED_TEST(lock_guard, transfer_overflow_checked_at_the_boundary, 2,
            .description = "a transfer that brings an account exactly to "
                           "LONG_MAX succeeds; one past it is -ERANGE")
{
    ledger.balances[2] = LONG_MAX - 100;
    cr_assert(eq(int, ledger_transfer(&ledger, 0, 2, 100), 0), "account 2 "
              "may reach exactly LONG_MAX");
    cr_assert(eq(long, ledger.balances[2], LONG_MAX), "wrong balance");
    assert_unlocked("a transfer to LONG_MAX");
    ledger.balances[0] = 100;
    ledger.balances[2] = LONG_MAX - 99;
    cr_assert(eq(int, ledger_transfer(&ledger, 0, 2, 100), -ERANGE),
              "account 2 would pass LONG_MAX: -ERANGE (check before you "
              "add: compare with LONG_MAX - amount)");
    assert_balances(100, 50, LONG_MAX - 99, "a transfer past LONG_MAX");
    assert_unlocked("a transfer refused with -ERANGE");
}

GRADED_TEST(lock_guard, calls_while_holding_the_lock_keep_it, 2,
            .description = "a ledger call made while this thread holds the "
                           "mutex returns -EDEADLK and leaves the caller's "
                           "lock held")
{
    long *snapshot = NULL;
    size_t index = 0;

    cr_assert(eq(int, ledger_transfer(&ledger, 0, 1, 1), 0),
              "ledger_transfer(0 -> 1, 1) failed");
    pthread_mutex_lock(&ledger.mutex);
    cr_assert(eq(int, ledger_transfer(&ledger, 0, 1, 1), -EDEADLK),
              "ledger_transfer must return the error of the lock");
    cr_assert(is_locked(&ledger.mutex), "ledger_transfer failed to lock, "
              "then unlocked the caller's lock: a guard that failed to "
              "acquire must release nothing");
    cr_assert(eq(int, ledger_open_account(&ledger, 1, &index), -EDEADLK),
              "ledger_open_account must return the error of the lock");
    cr_assert(is_locked(&ledger.mutex), "ledger_open_account unlocked the "
              "caller's lock");
    cr_assert(eq(int, ledger_snapshot(&ledger, &snapshot), -EDEADLK),
              "ledger_snapshot must return the error of the lock");
    cr_assert(is_locked(&ledger.mutex), "ledger_snapshot unlocked the "
              "caller's lock");
    pthread_mutex_unlock(&ledger.mutex);
    assert_balances(99, 51, 0, "calls that could not lock");
}

GRADED_TEST(lock_guard, open_account_grows_the_ledger, 2,
            .description = "ledger_open_account appends an account, returns "
                           "its index and unlocks")
{
    size_t index = 99;

    cr_assert(eq(int, ledger_open_account(&ledger, 7, &index), 0),
              "ledger_open_account failed");
    cr_assert(eq(sz, index, 3), "the new account's index is 3");
    cr_assert(eq(sz, ledger.count, 4), "count must become 4");
    cr_assert(eq(long, ledger.balances[3], 7), "the new account holds 7");
    cr_assert(eq(long, ledger.balances[0], 100), "account 0 changed");
    assert_unlocked("ledger_open_account");
    cr_assert(eq(int, ledger_open_account(&ledger, -1, &index), -EINVAL),
              "a negative opening balance is -EINVAL");
    cr_assert(eq(sz, ledger.count, 4), "a refused account changed count");
    assert_unlocked("ledger_open_account returned -EINVAL");
}

GRADED_TEST(lock_guard, open_account_out_of_memory_unlocks, 2,
            .description = "when the balances cannot grow, "
                           "ledger_open_account returns -ENOMEM, keeps the "
                           "ledger and unlocks")
{
    size_t index = 99;

    cr_assert(eq(int, ledger_open_account(&ledger, 7, &index), 0),
              "ledger_open_account failed");
    alloc_fail_after(0);
    int err = ledger_open_account(&ledger, 8, &index);
    alloc_fail_never();
    cr_assert(eq(int, err, -ENOMEM), "realloc failed: -ENOMEM expected");
    cr_assert(eq(sz, ledger.count, 4), "a failed open changed count");
    cr_assert(eq(long, ledger.balances[3], 7), "a failed open lost the "
              "balances: keep realloc's result in a temporary");
    assert_unlocked("ledger_open_account returned -ENOMEM");
}

GRADED_TEST(lock_guard, snapshot_copies_and_unlocks, 1,
            .description = "ledger_snapshot returns a copy of the balances "
                           "and unlocks, out of memory too")
{
    long *snapshot = NULL;

    cr_assert(eq(int, ledger_snapshot(&ledger, &snapshot), 0),
              "ledger_snapshot failed");
    cr_assert(ne(ptr, snapshot, ledger.balances), "the snapshot must be a "
              "new block");
    cr_assert(eq(long, snapshot[0], 100), "wrong snapshot");
    cr_assert(eq(long, snapshot[1], 50), "wrong snapshot");
    course_free(snapshot);
    assert_unlocked("ledger_snapshot");
    snapshot = (long *)&ledger;
    alloc_fail_after(0);
    int err = ledger_snapshot(&ledger, &snapshot);
    alloc_fail_never();
    cr_assert(eq(int, err, -ENOMEM), "the allocation failed: -ENOMEM");
    cr_assert(eq(ptr, snapshot, (long *)&ledger), "*out changed on failure");
    assert_unlocked("ledger_snapshot returned -ENOMEM");
    cr_assert(eq(sz, alloc_live_blocks(), 1), "blocks left by the "
              "snapshots");
}

/* Thread body: moves 1 back and forth between accounts 0 and 1. */
static void *shuffle(void *arg)
{
    size_t *errors = arg;

    for (int i = 0; i < 2000; i++) {
        if (ledger_transfer(&ledger, 0, 1, 1) != 0)
            ++*errors;
        if (ledger_transfer(&ledger, 1, 0, 1) != 0)
            ++*errors;
    }
    return NULL;
}

GRADED_TEST(lock_guard, concurrent_transfers_keep_the_total, 1,
            .description = "transfers from two threads at once keep every "
                           "balance right", .timeout = 5)
{
    pthread_t threads[2];
    size_t errors[2] = { 0, 0 };

    for (int i = 0; i < 2; i++)
        cr_assert(eq(int, course_thread_start(&threads[i], shuffle, &errors[i]), 0), "test setup");
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    cr_assert(eq(sz, errors[0] + errors[1], 0), "some transfers failed");
    assert_balances(100, 50, 0, "4000 transfers each way");
    assert_unlocked("concurrent transfers");
}

GRADED_TEST(lock_guard, snapshot_of_an_empty_ledger_is_a_block, 1,
            .description = "ledger_snapshot of a ledger with no account "
                           "returns 0 and a block (of at least one "
                           "element), as the header promises")
{
    long *snapshot = NULL;

    course_free(ledger.balances);
    ledger.balances = NULL;
    ledger.count = 0;
    cr_assert(eq(int, ledger_snapshot(&ledger, &snapshot), 0),
              "ledger_snapshot of an empty ledger failed");
    cr_assert(ne(ptr, snapshot, NULL), "an empty snapshot is still a block "
              "(of at least one element): the caller frees it and must "
              "not have to tell NULL from an error");
    course_free(snapshot);
    assert_unlocked("ledger_snapshot of an empty ledger");
}
