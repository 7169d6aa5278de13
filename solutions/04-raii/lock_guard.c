/*
 * lock_guard: a mutex tied to a scope.
 *
 * Every ledger function declares its guard with the cleanup attribute, so
 * the compiler unlocks the mutex on every return, error paths included.
 * The guard starts empty (LOCK_GUARD_EMPTY): if locking fails, or a return
 * comes before the lock, its release does nothing.
 *
 * Releasing empties the guard. That is what makes an early drop safe: a
 * function may unlock as soon as it no longer needs the lock, and the
 * cleanup that runs at the end of the scope then finds nothing to unlock.
 */
#define _GNU_SOURCE /* reallocarray */
#include "lock_guard.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

int lock_guard_acquire(struct lock_guard *guard, pthread_mutex_t *mutex)
{
    int err = pthread_mutex_lock(mutex);
    guard->mutex = err == 0 ? mutex : NULL;
    return -err;
}

void lock_guard_release(struct lock_guard *guard)
{
    if (!guard->mutex)
        return;
    pthread_mutex_unlock(guard->mutex);
    guard->mutex = NULL; /* a second release, or the cleanup, does nothing */
}

int ledger_transfer(struct ledger *ledger, size_t from, size_t to, long amount)
{
    _cleanup_(lock_guard_release) struct lock_guard guard = LOCK_GUARD_EMPTY;
    int err = lock_guard_acquire(&guard, &ledger->mutex);
    if (err < 0)
        return err;

    /* count may change under the lock only: check it under the lock */
    if (from >= ledger->count || to >= ledger->count || from == to || amount <= 0)
        return -EINVAL;
    if (ledger->balances[from] < amount || ledger->balances[to] > LONG_MAX - amount)
        return -ERANGE;
    ledger->balances[from] -= amount;
    ledger->balances[to] += amount;
    return 0;
}

int ledger_open_account(struct ledger *ledger, long initial, size_t *index)
{
    _cleanup_(lock_guard_release) struct lock_guard guard = LOCK_GUARD_EMPTY;
    int err = lock_guard_acquire(&guard, &ledger->mutex);
    if (err < 0)
        return err;

    if (initial < 0)
        return -EINVAL;
    long *grown = reallocarray(ledger->balances, ledger->count + 1, sizeof *grown);
    if (!grown)
        return -ENOMEM; /* the old balances are untouched */
    ledger->balances = grown;
    ledger->balances[ledger->count] = initial;
    *index = ledger->count++;
    return 0;
}

int ledger_snapshot(struct ledger *ledger, long **out)
{
    _cleanup_(lock_guard_release) struct lock_guard guard = LOCK_GUARD_EMPTY;
    int err = lock_guard_acquire(&guard, &ledger->mutex);
    if (err < 0)
        return err;

    size_t count = ledger->count;
    long *copy = calloc(count ? count : 1, sizeof *copy);
    if (!copy)
        return -ENOMEM;
    if (count > 0)
        memcpy(copy, ledger->balances, count * sizeof *copy);
    lock_guard_release(&guard); /* early drop: the copy needs no lock */

    *out = copy;
    return 0;
}
