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
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

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

/**
 * @brief malloc() as learner code sees it: may be refused, is counted.
 * @param[in] size bytes to allocate.
 * @return a new block owned by the caller (release it with free()), or NULL
 *         with errno ENOMEM when refused or when memory runs out.
 */
void *course_malloc(size_t size)
{
    return may_allocate() ? counted(malloc(size)) : NULL;
}

/**
 * @brief calloc() as learner code sees it: may be refused, is counted.
 * @param[in] count number of elements.
 * @param[in] size  bytes per element.
 * @return a new zeroed block owned by the caller (release it with free()),
 *         or NULL with errno ENOMEM when refused, when @p count * @p size
 *         overflows or when memory runs out.
 */
void *course_calloc(size_t count, size_t size)
{
    return may_allocate() ? counted(calloc(count, size)) : NULL;
}

/**
 * @brief aligned_alloc() as learner code sees it: may be refused, is counted.
 * @param[in] alignment the alignment in bytes, a power of two.
 * @param[in] size      bytes to allocate.
 * @return a new block owned by the caller (release it with free()), or NULL
 *         with errno set (ENOMEM when refused).
 */
void *course_aligned_alloc(size_t alignment, size_t size)
{
    return may_allocate() ? counted(aligned_alloc(alignment, size)) : NULL;
}

/**
 * @brief posix_memalign() as learner code sees it: may be refused (ENOMEM),
 *        is counted.
 * @param[out] out       receives the new block on success, owned by the
 *                       caller (release it with free()).
 * @param[in]  alignment the alignment in bytes, a power of two multiple of
 *                       sizeof(void *).
 * @param[in]  size      bytes to allocate.
 * @return 0 on success; ENOMEM when refused (errno is then ENOMEM too) or
 *         when memory runs out; EINVAL for a bad @p alignment. @p out is
 *         untouched on failure.
 */
int course_posix_memalign(void **out, size_t alignment, size_t size)
{
    if (!may_allocate())
        return ENOMEM;
    int err = posix_memalign(out, alignment, size);
    if (err == 0)
        counted(*out);
    return err;
}

/**
 * @brief realloc() as learner code sees it: may be refused, leaving @p block
 *        as it was.
 *
 * Counts a new block for realloc(NULL, n) and a free for realloc(p, 0),
 * which glibc turns into free(p).
 *
 * @param[in] block a block owned by the caller, or NULL; on success its
 *                  ownership passes to this function.
 * @param[in] size  the new size in bytes.
 * @return the resized block, owned by the caller, which may have moved; NULL
 *         with errno ENOMEM when refused or when memory runs out, and then
 *         @p block is untouched and still the caller's.
 */
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

/**
 * @brief reallocarray() as learner code sees it: refuses overflowing sizes
 *        with ENOMEM.
 * @param[in] block a block owned by the caller, or NULL; on success its
 *                  ownership passes to this function.
 * @param[in] count number of elements.
 * @param[in] size  bytes per element.
 * @return as course_realloc() for @p count * @p size bytes; NULL with errno
 *         ENOMEM, @p block untouched, when that product overflows.
 */
void *course_reallocarray(void *block, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return course_realloc(block, count * size);
}

/* Documented in alloc_faults.h: tests use it too. */
char *course_strdup(const char *text)
{
    return may_allocate() ? counted(strdup(text)) : NULL;
}

/**
 * @brief strndup() as learner code sees it: may be refused, is counted.
 * @param[in] text    the string to copy; borrowed.
 * @param[in] max_len copy at most this many bytes (a '\0' is added).
 * @return a new copy owned by the caller (release it with free()), or NULL
 *         with errno ENOMEM when refused or when memory runs out.
 */
char *course_strndup(const char *text, size_t max_len)
{
    return may_allocate() ? counted(strndup(text, max_len)) : NULL;
}

/* Documented in alloc_faults.h: tests use it too. */
void course_free(void *block)
{
    if (block)
        state.stats.frees++;
    free(block);
}

/**
 * @brief vasprintf() as learner code sees it: may be refused, is counted.
 *
 * glibc's own vasprintf() allocates behind the renamed allocator's back, so
 * that the learner's free() of its string would be counted without its
 * allocation; this one allocates through the counters.
 *
 * @param[out] text   receives the new string, owned by the caller (release
 *                    it with free()); untouched on failure.
 * @param[in]  format the printf format, borrowed.
 * @param[in]  args   its arguments.
 * @return the number of characters written, or -1 (errno ENOMEM when
 *         refused or out of memory).
 */
int course_vasprintf(char **text, const char *format, va_list args)
{
    va_list again;
    va_copy(again, args);
    int len = vsnprintf(NULL, 0, format, args);
    char *block = len < 0 ? NULL : course_malloc((size_t)len + 1);
    if (block)
        vsnprintf(block, (size_t)len + 1, format, again);
    va_end(again);
    if (!block)
        return -1;
    *text = block;
    return len;
}

/**
 * @brief asprintf() as learner code sees it: see course_vasprintf().
 * @param[out] text   receives the new string, owned by the caller.
 * @param[in]  format the printf format, borrowed.
 * @return the number of characters written, or -1.
 */
int course_asprintf(char **text, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int len = course_vasprintf(text, format, args);
    va_end(args);
    return len;
}

/**
 * @brief getdelim() as learner code sees it: glibc's contract, with the
 *        buffer grown through the learner's counted allocator.
 *
 * On failure to grow the buffer it returns -1 with errno ENOMEM; *line and
 * *size then still describe a valid block, which the caller frees.
 *
 * @param[in,out] line   the buffer, owned by the caller, or NULL; may be
 *                       replaced by a larger one.
 * @param[in,out] size   its size in bytes.
 * @param[in]     delim  the byte that ends a record.
 * @param[in]     stream the stream, borrowed.
 * @return the record's length, delimiter included; -1 at end of file, on a
 *         read error or when out of memory.
 */
ssize_t course_getdelim(char **line, size_t *size, int delim, FILE *stream)
{
    if (!line || !size || !stream) {
        errno = EINVAL;
        return -1;
    }
    size_t len = 0;
    for (;;) {
        int c = getc(stream);
        if (c == EOF) {
            if (len == 0 || ferror(stream))
                return -1;
            break;
        }
        if (!*line || len + 2 > *size) {
            size_t grown = *line && *size ? *size * 2 : 120;
            char *block = course_realloc(*line, grown);
            if (!block)
                return -1; /* errno is ENOMEM */
            *line = block;
            *size = grown;
        }
        (*line)[len++] = (char)c;
        if (c == delim)
            break;
    }
    (*line)[len] = '\0';
    return (ssize_t)len;
}

/**
 * @brief getline() as learner code sees it: see course_getdelim().
 * @param[in,out] line   the buffer, owned by the caller, or NULL.
 * @param[in,out] size   its size in bytes.
 * @param[in]     stream the stream, borrowed.
 * @return the line's length, newline included; -1 at end of file or error.
 */
ssize_t course_getline(char **line, size_t *size, FILE *stream)
{
    return course_getdelim(line, size, '\n', stream);
}
