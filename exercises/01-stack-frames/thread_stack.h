/**
 * @file thread_stack.h
 * @brief Runs work on a thread whose stack size the caller chooses.
 *
 * Every thread has a stack of its own, fixed in size when the thread is
 * created; all threads share one heap. A thread created with default
 * attributes gets glibc's default size, which glibc derives from
 * RLIMIT_STACK when the program starts (the lesson's stack_limit demo
 * measures it). A program that knows how deep its work recurses can ask for
 * more, or for less when it runs many threads.
 *
 * pthread functions return their error number (EINVAL, EAGAIN...) instead of
 * setting errno; the functions here return it negated, like every action in
 * this course.
 */
#ifndef THREAD_STACK_H
#define THREAD_STACK_H

#include <stddef.h>

/** Work to run on a thread: takes the argument, returns a result. */
typedef void *thread_work_fn(void *arg);

/**
 * @brief Runs @p work(@p arg) on a new thread with a stack of @p stack_size
 *        bytes, and waits until it has finished.
 *
 * @param[in]  stack_size bytes of stack for the new thread, at least
 *                        PTHREAD_STACK_MIN (from <limits.h>); glibc rounds it
 *                        to what it can map.
 * @param[in]  work       the function to run; must not be NULL.
 * @param[in]  arg        passed to @p work unchanged; borrowed: the caller
 *                        keeps it, and it stays valid because this function
 *                        waits for the thread. It may point into the caller's
 *                        stack: one thread may read another's stack memory as
 *                        long as the frame that holds it is alive.
 * @param[out] result     receives what @p work returned; may be NULL when the
 *                        caller does not want it. Untouched on failure. A heap
 *                        block returned by @p work belongs to the caller once
 *                        this returns: all threads share one heap.
 * @return 0 once @p work has run and its thread has ended. On failure
 *         @p work has not run: -EINVAL if @p work is NULL or @p stack_size is
 *         below PTHREAD_STACK_MIN; otherwise the error of the failing pthread
 *         call, negated, such as -EAGAIN or -EINVAL when no stack of that size
 *         can be made.
 */
int thread_run(size_t stack_size, thread_work_fn *work, void *arg, void **result);

/**
 * @brief Tells how big a stack a new thread gets when nobody chooses.
 *
 * @param[out] size receives the default stack size in bytes. Untouched on
 *                  failure.
 * @return 0 on success; -EINVAL if @p size is NULL; a pthread error, negated,
 *         if the attributes cannot be read.
 */
int thread_default_stack_size(size_t *size);

#endif /* THREAD_STACK_H */
