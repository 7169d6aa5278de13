/**
 * @file alloc_faults.h
 * @brief Out-of-memory injection and allocation counting for learner code.
 *
 * The grader renames every allocator call in the learner's object file
 * (`malloc` becomes `course_malloc`, `asprintf` becomes `course_asprintf`,
 * and so on, with `objcopy --redefine-syms`), so these controls reach only
 * the code under test: the test's own allocations and Criterion's are never
 * failed nor counted.
 *
 * The counters follow blocks, not calls: every block handed to learner code
 * is remembered (with the size it asked for) until it is freed. A free() of
 * a block the counters never saw (one that a C library function allocated
 * internally, or that the test made with plain malloc()) is not counted as a
 * free of a learner block, so correct code that mixes in such blocks is not
 * penalised and the live count can never wrap around below zero.
 *
 * Each test runs in a fresh process, so the state starts as "never fail,
 * all counters zero" in every test. The functions are thread-safe.
 */
#ifndef ALLOC_FAULTS_H
#define ALLOC_FAULTS_H

#include <stdint.h>
#include <stddef.h>

/** What the learner's code has done with the allocator so far. */
struct alloc_stats {
    size_t allocs;   /**< New blocks handed to learner code: malloc,
                          calloc, aligned_alloc, posix_memalign, strdup,
                          strndup, asprintf, vasprintf, realloc(NULL, n),
                          and realloc of a block the counters never saw.
                          A counted block that realloc moves is not a new
                          one. Never decreases. */
    size_t frees;    /**< Counted blocks freed: free() of a counted block,
                          or realloc(p, 0) of one. */
    size_t failed;   /**< Allocations refused by injection. */
    size_t untracked_frees; /**< free() of a non-NULL block the counters
                                 never saw (not counted in frees). */
    size_t last_request; /**< Bytes the latest allocation call asked for,
                              whether it was refused or not: lets a test
                              check a size computation without the memory
                              (SIZE_MAX when calloc's or reallocarray's
                              product overflows; 0 before any call). */
};

/** What alloc_block_size() returns for a block learner code does not hold. */
#define ALLOC_UNKNOWN_BLOCK SIZE_MAX

/**
 * @brief Lets the next @p successes allocations by learner code succeed;
 *        every allocation after them fails.
 *
 * A failing allocation returns NULL with errno ENOMEM (posix_memalign()
 * returns ENOMEM, asprintf() returns -1), until alloc_fail_never() is
 * called. `alloc_fail_after(0)` fails the very next one.
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
 * @return how many counted blocks are still live: 0 when the learner code
 *         freed everything it allocated. Never wraps below zero.
 */
size_t alloc_live_blocks(void);

/**
 * @brief The size learner code asked for when it allocated @p block.
 *
 * For strdup(), strndup(), asprintf() and vasprintf() it is the length of
 * the string they made plus 1 (whatever slack the C library added); for
 * realloc() the latest size.
 *
 * @param[in] block  borrowed; any pointer.
 * @return the requested size in bytes, or ALLOC_UNKNOWN_BLOCK when @p block
 *         is not a live block handed to learner code.
 */
size_t alloc_block_size(const void *block);

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
