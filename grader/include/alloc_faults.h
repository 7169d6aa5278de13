/**
 * @file alloc_faults.h
 * @brief Out-of-memory injection and allocation counting for learner code.
 *
 * The grader renames every allocator call in the learner's object file
 * (`malloc` becomes `course_malloc`, and so on, with `objcopy
 * --redefine-syms`), so these controls reach only the code under test: the
 * test's own allocations and Criterion's are never failed nor counted.
 *
 * Each test runs in a fresh process, so the state starts as "never fail,
 * all counters zero" in every test.
 */
#ifndef ALLOC_FAULTS_H
#define ALLOC_FAULTS_H

#include <stddef.h>

/** What the learner's code has done with the allocator so far. */
struct alloc_stats {
    size_t allocs; /**< Successful allocations: malloc, calloc, aligned_alloc,
                        posix_memalign, strdup, strndup, realloc(NULL, n). */
    size_t frees;  /**< Calls of free() with a non-NULL pointer. */
    size_t failed; /**< Allocations refused by injection. */
};

/**
 * @brief Lets the next @p successes allocations by learner code succeed;
 *        every allocation after them fails.
 *
 * A failing allocation returns NULL with errno ENOMEM (posix_memalign()
 * returns ENOMEM), until alloc_fail_never() is called.
 * `alloc_fail_after(0)` fails the very next one.
 *
 * @param[in] successes how many more allocations may succeed; a later call
 *                      replaces the budget.
 */
void alloc_fail_after(size_t successes);

/** @brief Stops injecting failures: every allocation may succeed again. */
void alloc_fail_never(void);

/**
 * @brief Reads the learner code's allocation counters.
 * @return the counters since the test began, by value.
 */
struct alloc_stats alloc_stats(void);

/**
 * @brief Counts the blocks the learner code allocated and has not freed.
 * @return alloc_stats::allocs minus alloc_stats::frees: 0 when the learner
 *         code freed everything it allocated.
 */
size_t alloc_live_blocks(void);

/**
 * @brief strdup() through the learner's counted allocator.
 *
 * For tests that hand a string to learner code which takes ownership of it
 * (and will free it), or that free a block learner code gave them: doing
 * both sides through the same counters keeps alloc_live_blocks() exact.
 *
 * @param[in] text  borrowed NUL-terminated string.
 * @return a new copy, owned by whoever frees it with course_free() or by
 *         learner code that takes it; NULL when refused or out of memory.
 */
char *course_strdup(const char *text);

/**
 * @brief free() through the learner's counted allocator.
 * @param[in] block  a block from learner code (or course_strdup()), taken
 *                   and freed; NULL is accepted and does nothing.
 */
void course_free(void *block);

#endif /* ALLOC_FAULTS_H */
