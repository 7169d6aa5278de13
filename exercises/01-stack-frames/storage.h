/**
 * @file storage.h
 * @brief Objects that outlive a call without living on the heap: static and
 *        thread storage duration, and string literals.
 *
 * Every object in C has a storage duration, which says when it is created
 * and when it dies:
 *
 * - automatic: a local variable; it dies when its block ends (its frame is
 *   popped). A counter kept in one restarts at every call.
 * - static: a global, a `static` local, a string literal; one object for
 *   the whole run of the program, created before main starts.
 * - thread (`_Thread_local`): one object per thread, created when the
 *   thread starts, dying with it.
 * - allocated: a block from malloc(), alive until free().
 *
 * Each function below needs one of them, and no global variable: the
 * counters are `static` locals, visible only inside their function.
 *
 * The tests also call the counters from threads of their own, whose
 * stacks are 1 MiB.
 */
#ifndef STORAGE_H
#define STORAGE_H

/**
 * @brief Counts its own calls, from every thread of the program.
 *
 * The count lives in an object of static storage duration: one object for
 * the whole program, which keeps its value between calls.
 *
 * Not safe to call from two threads at the same time (two calls could
 * read the same old count); calls that one thread makes after another
 * thread's calls have finished (joined) see them.
 *
 * @return how many times it has been called, this call included: 1 on the
 *         first call of the program, then 2, 3... Cannot fail.
 */
unsigned storage_call_count(void);

/**
 * @brief Counts its own calls made by the calling thread.
 *
 * The count lives in an object of thread storage duration
 * (`_Thread_local`): each thread has its own, which starts at 0 when the
 * thread starts. Safe to call from any number of threads at once.
 *
 * @return how many times the calling thread has called it, this call
 *         included: 1 on each thread's first call. Cannot fail.
 */
unsigned storage_thread_call_count(void);

/**
 * @brief The English name of a month.
 *
 * The names are string literals: objects of static storage duration, in
 * read-only memory. The function copies nothing and allocates nothing.
 *
 * @param[in] month 1 for January to 12 for December.
 * @return the name, such as "January": a pointer that stays valid for the
 *         whole run of the program and is the same for every call with the
 *         same @p month. The caller must not modify or free it. NULL when
 *         @p month is outside 1..12.
 */
const char *storage_month_name(int month);

#endif /* STORAGE_H */
