/**
 * @file alloc_faults.c
 * @brief The allocator seen by learner code: counts calls, fails on request.
 *
 * Learner objects call these functions instead of the C library's (see
 * learner.syms). Each one decides first whether to refuse, then forwards to
 * the real allocator, so Valgrind still sees and checks every block.
 * Policy: once the budget of successes set by alloc_fail_after() is spent,
 * every allocation fails, as on a machine that has run out of memory.
 */
#define _GNU_SOURCE
#include "alloc_faults.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/** The injection state; one per test process. */
static struct {
    bool failing_armed;       /* true once alloc_fail_after() was called */
    size_t successes_left;    /* allocations still allowed when armed */
    struct alloc_stats stats; /* counters reported by alloc_stats() */
} state;

void alloc_fail_after(size_t successes)
{
    state.failing_armed = true;
    state.successes_left = successes;
}

void alloc_fail_never(void)
{
    state.failing_armed = false;
}

struct alloc_stats alloc_stats(void)
{
    return state.stats;
}

size_t alloc_live_blocks(void)
{
    return state.stats.allocs - state.stats.frees;
}

/* Decides whether the next allocation may happen, and counts a refusal. */
static bool may_allocate(void)
{
    if (!state.failing_armed)
        return true;
    if (state.successes_left > 0) {
        state.successes_left--;
        return true;
    }
    state.stats.failed++;
    errno = ENOMEM;
    return false;
}

/* Counts a block handed to learner code. Returns the block. */
static void *counted(void *block)
{
    if (block)
        state.stats.allocs++;
    return block;
}

/** malloc() as learner code sees it: may be refused, is counted. */
void *course_malloc(size_t size)
{
    return may_allocate() ? counted(malloc(size)) : NULL;
}

/** calloc() as learner code sees it: may be refused, is counted. */
void *course_calloc(size_t count, size_t size)
{
    return may_allocate() ? counted(calloc(count, size)) : NULL;
}

/** aligned_alloc() as learner code sees it: may be refused, is counted. */
void *course_aligned_alloc(size_t alignment, size_t size)
{
    return may_allocate() ? counted(aligned_alloc(alignment, size)) : NULL;
}

/** posix_memalign() as learner code sees it: may be refused (ENOMEM), is counted. */
int course_posix_memalign(void **out, size_t alignment, size_t size)
{
    if (!may_allocate())
        return ENOMEM;
    int err = posix_memalign(out, alignment, size);
    if (err == 0)
        counted(*out);
    return err;
}

/** realloc() as learner code sees it: may be refused, leaving @p block as it was. */
void *course_realloc(void *block, size_t size)
{
    if (!may_allocate())
        return NULL;
    void *moved = realloc(block, size);
    if (block == NULL)
        return counted(moved);
    if (moved == NULL && size == 0)
        state.stats.frees++; /* glibc frees the block for realloc(p, 0) */
    return moved;
}

/** reallocarray() as learner code sees it: refuses overflowing sizes with ENOMEM. */
void *course_reallocarray(void *block, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return course_realloc(block, count * size);
}

/** strdup() as learner code sees it: may be refused, is counted. */
char *course_strdup(const char *text)
{
    return may_allocate() ? counted(strdup(text)) : NULL;
}

/** strndup() as learner code sees it: may be refused, is counted. */
char *course_strndup(const char *text, size_t max_len)
{
    return may_allocate() ? counted(strndup(text, max_len)) : NULL;
}

/** free() as learner code sees it: counts non-NULL frees. */
void course_free(void *block)
{
    if (block)
        state.stats.frees++;
    free(block);
}
