/**
 * @file lock_guard.h
 * @brief A scope guard for a mutex, and a ledger whose every function
 *        leaves its mutex unlocked on every return path.
 *
 * Declared with the cleanup attribute, a guard unlocks its mutex when the
 * guard goes out of scope, whatever return was taken:
 *
 * @code
 * __attribute__((cleanup(lock_guard_release))) struct lock_guard guard =
 *     LOCK_GUARD_EMPTY;
 * int err = lock_guard_acquire(&guard, &ledger->mutex);
 * if (err < 0)
 *     return err;          // nothing locked: the release does nothing
 * if (bad)
 *     return -EINVAL;      // unlocked here
 * ...
 * return 0;                // and here
 * @endcode
 */
#ifndef LOCK_GUARD_H
#define LOCK_GUARD_H

#include <pthread.h>
#include <stddef.h>

/** A mutex held by the current scope, or nothing. */
struct lock_guard {
    pthread_mutex_t *mutex; /**< The mutex this guard holds locked, borrowed;
                                 NULL when it holds nothing. */
};

/** A guard that holds nothing: the value to initialise a guard with. */
#define LOCK_GUARD_EMPTY ((struct lock_guard){ .mutex = NULL })

/**
 * @brief Locks @p mutex and makes @p guard hold it.
 * @param[out] guard receives the mutex on success; holds nothing (NULL) on
 *                   failure.
 * @param[in]  mutex the mutex, borrowed; it must outlive the guard.
 * @return 0 on success; on failure the negated error of
 *         pthread_mutex_lock() (-EDEADLK when an error-checking mutex is
 *         already held by this thread), and then nothing was locked.
 */
int lock_guard_acquire(struct lock_guard *guard, pthread_mutex_t *mutex);

/**
 * @brief Unlocks the mutex @p guard holds, if any, and empties the guard.
 *
 * Safe to call on an empty guard and to call twice: only the first call
 * after an acquire unlocks. Use it directly to drop a lock early, or as the
 * guard's cleanup function.
 *
 * @param[in,out] guard the guard; holds nothing afterwards.
 */
void lock_guard_release(struct lock_guard *guard);

/** Accounts and their balances, guarded by one mutex. */
struct ledger {
    pthread_mutex_t mutex; /**< Guards every field below. */
    long *balances;        /**< count balances, owned by the ledger (free()
                                them); NULL when count is 0. */
    size_t count;          /**< Number of accounts. */
};

/**
 * @brief Moves @p amount from account @p from to account @p to.
 *
 * Locks the ledger's mutex for the whole operation and, on every return,
 * leaves it as it found it. The tests call it from two threads at once,
 * whose stacks are 1 MiB.
 *
 * @param[in,out] ledger the ledger, borrowed.
 * @param[in]     from   index of the account to take from.
 * @param[in]     to     index of the account to pay into.
 * @param[in]     amount how much to move.
 * @return 0 on success; on failure, with every balance unchanged:
 *         the negated error of pthread_mutex_lock() (-EDEADLK if this thread
 *         already holds the mutex); -EINVAL if @p from or @p to is not an
 *         account, if they are the same, or if @p amount <= 0; -ERANGE if
 *         @p from holds less than @p amount or if @p to would exceed
 *         LONG_MAX.
 */
int ledger_transfer(struct ledger *ledger, size_t from, size_t to, long amount);

/**
 * @brief Opens a new account holding @p initial.
 * @param[in,out] ledger  the ledger, borrowed.
 * @param[in]     initial the opening balance, >= 0.
 * @param[out]    index   receives the new account's index on success.
 * @return 0 on success; the negated lock error; -EINVAL if @p initial < 0;
 *         -ENOMEM if the balances cannot grow, and then the ledger is
 *         unchanged. The mutex is left as it was found on every path.
 */
int ledger_open_account(struct ledger *ledger, long initial, size_t *index);

/**
 * @brief Copies every balance at one instant.
 * @param[in,out] ledger the ledger, borrowed (its mutex is locked during the
 *                       copy).
 * @param[out]    out    on success receives a new array of count balances
 *                       (a block of at least one element when count is 0),
 *                       owned by the caller (release it with free());
 *                       untouched on failure.
 * @return 0 on success; the negated lock error; -ENOMEM. The mutex is left
 *         as it was found on every path.
 */
int ledger_snapshot(struct ledger *ledger, long **out);

#endif /* LOCK_GUARD_H */
