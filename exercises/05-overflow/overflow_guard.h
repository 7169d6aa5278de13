/**
 * @file overflow_guard.h
 * @brief Runs a function on a thread of its own and reports a stack overflow
 *        instead of dying of it.
 *
 * A stack overflow normally kills the whole process with SIGSEGV (lesson
 * 01, "Stack overflow"). It can be caught, with care:
 *
 * - the function runs on a new thread, so that the stack it may exhaust is
 *   not the caller's, and below that stack glibc leaves a guard region that
 *   faults when touched;
 * - that thread gets an alternate signal stack (sigaltstack), because a
 *   handler for "no stack left" cannot run on the stack that is full;
 * - a SIGSEGV handler, installed with SA_ONSTACK, checks that the fault hit
 *   the guard of a guarded thread, and jumps back (siglongjmp) to a point
 *   saved on that thread before the function started.
 *
 * The function's abandoned frames are never unwound: whatever they held
 * (heap blocks, locks) is lost. Use this for code that holds nothing, such
 * as a pure computation on borrowed data.
 *
 * ~~~{.txt}
 *   new thread's stack       high
 *   +-----------------------+
 *   | thread start, setjmp  |  <- siglongjmp lands here
 *   | fn                    |
 *   | fn                    |
 *   | ...                   |
 *   +-----------------------+  lowest address of the stack
 *   | guard (no access)     |  <- the overflowing call faults here
 *   +-----------------------+  low
 *   alternate signal stack, elsewhere: the SIGSEGV handler runs on it
 * ~~~
 */
#ifndef OVERFLOW_GUARD_H
#define OVERFLOW_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/** A function to run under the guard: gets the caller's argument. */
typedef void guarded_fn(void *arg);

/**
 * @brief Runs @p fn(@p arg) on a new thread with @p stack_size bytes of
 *        stack, and tells whether it returned or ran out of stack.
 *
 * While the thread runs, SIGSEGV is handled on the thread's alternate signal
 * stack. A fault inside the guarded thread's stack or the guard below it
 * counts as an overflow: the thread abandons @p fn and ends normally. Any
 * other SIGSEGV (a NULL pointer, on any thread) is not an overflow: the
 * process gets SIGSEGV's default action and dies, as it would have without
 * the guard. The previous SIGSEGV action is restored before returning.
 * SIGSEGV's action belongs to the whole process, so calls must not overlap.
 *
 * @param[in]  stack_size bytes of stack for the new thread, at least
 *                        PTHREAD_STACK_MIN (from <limits.h>).
 * @param[in]  fn         the function to run; must not be NULL. It must hold
 *                        no resource that an overflow would leak.
 * @param[in]  arg        passed to @p fn unchanged; borrowed.
 * @param[out] overflowed receives true if @p fn ran out of stack, false if it
 *                        returned. Untouched on failure.
 * @return 0 once @p fn has returned or overflowed and its thread has ended.
 *         On failure @p fn has not run: -EINVAL if @p fn or @p overflowed is
 *         NULL or @p stack_size is below PTHREAD_STACK_MIN; -ENOMEM if the
 *         alternate signal stack cannot be allocated; the error of a failing
 *         pthread or signal call, negated (such as -EAGAIN).
 */
int overflow_guard_run(size_t stack_size, guarded_fn *fn, void *arg, bool *overflowed);

#endif /* OVERFLOW_GUARD_H */
