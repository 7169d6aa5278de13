/**
 * @file alloc_faults.c
 * @brief The allocator seen by learner code: counts blocks, fails on request.
 *
 * Learner objects call these functions instead of the C library's (see
 * learner.syms). Each one decides first whether to refuse, then forwards to
 * the real allocator, so Valgrind still sees and checks every block.
 *
 * Policy: once the budget of successes set by alloc_fail_after() is spent,
 * every allocation fails, as on a machine that has run out of memory.
 *
 * Counting: every block handed to learner code goes into a set (open
 * addressing, linear probing, tombstones for removed entries) together with
 * the size that was asked for. A free removes it. A free of a pointer that is
 * not in the set (a block some C library function allocated internally, or
 * one the test made with plain malloc) is counted apart, so the live count is
 * the set's size and can never wrap. The set lives in the real heap; at exit
 * it is still reachable, which no grading counts as a leak. It keeps each
 * address inverted (~address): a plain copy would be a pointer to the block
 * that memcheck's leak check finds, and a leaked block would then count as
 * "still reachable" instead of lost.
 */
#define _GNU_SOURCE
#include "alloc_faults.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/** A tombstone: a slot whose block was removed (probing must go on). */
#define REMOVED ((uintptr_t)1)
/** The set's first capacity, in slots (a power of two). */
#define FIRST_CAPACITY 1024

/** One slot of the set of live learner blocks. */
struct slot {
    uintptr_t block; /**< key_of() the address; 0: never used; REMOVED: tombstone */
    size_t size;     /**< bytes the learner code asked for */
};

/** The injection and counting state; one per test process. */
static struct {
    pthread_mutex_t lock;     /* learner code may allocate on several threads */
    bool failing_armed;       /* true once alloc_fail_after() was called */
    size_t successes_left;    /* allocations still allowed when armed */
    struct alloc_stats stats; /* counters reported by alloc_stats() */
    struct slot *slots;       /* the set of live learner blocks */
    size_t capacity;          /* slots, a power of two (0 before first use) */
    size_t live;              /* slots holding a block */
    size_t used;              /* slots holding a block or a tombstone */
} state = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* Hashes a block's address into a slot index (Fibonacci hashing). */
static size_t slot_of(uintptr_t block, size_t capacity)
{
    uint64_t h = (uint64_t)block * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t)(h >> 20) & (capacity - 1);
}

/* The form in which the set keeps an address: no longer a pointer to the
 * block for memcheck, never 0 nor REMOVED for a real block. */
static uintptr_t key_of(uintptr_t block)
{
    return ~block;
}

/* Finds the slot holding @p block, or NULL. Called with the lock held. */
static struct slot *set_find(uintptr_t block)
{
    if (state.capacity == 0)
        return NULL;
    block = key_of(block);
    for (size_t i = slot_of(block, state.capacity);; i = (i + 1) & (state.capacity - 1)) {
        if (state.slots[i].block == 0)
            return NULL;
        if (state.slots[i].block == block)
            return &state.slots[i];
    }
}

/* Puts a block in a table known to have room. Called with the lock held. */
static void set_place(struct slot *slots, size_t capacity, uintptr_t block, size_t size)
{
    size_t i = slot_of(block, capacity);
    while (slots[i].block != 0 && slots[i].block != REMOVED)
        i = (i + 1) & (capacity - 1);
    slots[i] = (struct slot){ .block = block, .size = size };
}

/* Rebuilds the table at twice the live count's need, dropping tombstones.
 * The course's own bookkeeping: if even that fails, the test cannot go on. */
static void set_rehash(void)
{
    size_t capacity = state.capacity ? state.capacity : FIRST_CAPACITY;
    while (capacity < 4 * (state.live + 1))
        capacity *= 2;
    struct slot *slots = calloc(capacity, sizeof *slots);
    if (!slots) {
        fputs("alloc_faults: out of memory for the course's block table\n", stderr);
        abort();
    }
    for (size_t i = 0; i < state.capacity; i++)
        if (state.slots[i].block != 0 && state.slots[i].block != REMOVED)
            set_place(slots, capacity, state.slots[i].block, state.slots[i].size);
    free(state.slots);
    state.slots = slots;
    state.capacity = capacity;
    state.used = state.live;
}

/* Adds a new learner block. Called with the lock held. */
static void set_add(uintptr_t block, size_t size)
{
    struct slot *known = set_find(block);
    if (known) { /* freed behind our back (e.g. by a libc call): reuse */
        known->size = size;
        return;
    }
    if (2 * (state.used + 1) > state.capacity)
        set_rehash();
    block = key_of(block);
    size_t i = slot_of(block, state.capacity);
    while (state.slots[i].block != 0 && state.slots[i].block != REMOVED)
        i = (i + 1) & (state.capacity - 1);
    if (state.slots[i].block == 0)
        state.used++;
    state.slots[i] = (struct slot){ .block = block, .size = size };
    state.live++;
}

/* Removes a block; returns whether it was there. Called with the lock held. */
static bool set_remove(uintptr_t block)
{
    struct slot *slot = set_find(block);
    if (!slot)
        return false;
    slot->block = REMOVED;
    state.live--;
    return true;
}

void alloc_fail_after(size_t successes)
{
    pthread_mutex_lock(&state.lock);
    state.failing_armed = true;
    state.successes_left = successes;
    pthread_mutex_unlock(&state.lock);
}

void alloc_fail_never(void)
{
    pthread_mutex_lock(&state.lock);
    state.failing_armed = false;
    pthread_mutex_unlock(&state.lock);
}

struct alloc_stats alloc_stats(void)
{
    pthread_mutex_lock(&state.lock);
    struct alloc_stats stats = state.stats;
    pthread_mutex_unlock(&state.lock);
    return stats;
}

size_t alloc_live_blocks(void)
{
    pthread_mutex_lock(&state.lock);
    size_t live = state.live;
    pthread_mutex_unlock(&state.lock);
    return live;
}

size_t alloc_block_size(const void *block)
{
    pthread_mutex_lock(&state.lock);
    const struct slot *slot = block ? set_find((uintptr_t)block) : NULL;
    size_t size = slot ? slot->size : ALLOC_UNKNOWN_BLOCK;
    pthread_mutex_unlock(&state.lock);
    return size;
}

/* Decides whether the next allocation, of @p size bytes, may happen; notes
 * its size and counts a refusal. */
static bool may_allocate(size_t size)
{
    pthread_mutex_lock(&state.lock);
    bool may = true;
    state.stats.last_request = size;
    if (state.failing_armed) {
        if (state.successes_left > 0)
            state.successes_left--;
        else
            may = false, state.stats.failed++;
    }
    pthread_mutex_unlock(&state.lock);
    if (!may)
        errno = ENOMEM;
    return may;
}

/* count * size, or SIZE_MAX when the product overflows. */
static size_t product(size_t count, size_t size)
{
    return size != 0 && count > SIZE_MAX / size ? SIZE_MAX : count * size;
}

/* Counts a block handed to learner code, asked for with @p size bytes.
 * Returns the block. */
static void *counted(void *block, size_t size)
{
    if (block) {
        int saved = errno;
        pthread_mutex_lock(&state.lock);
        set_add((uintptr_t)block, size);
        state.stats.allocs++;
        pthread_mutex_unlock(&state.lock);
        errno = saved;
    }
    return block;
}

/* Counts a block leaving learner code's hands (freed or moved). */
static void uncounted(uintptr_t block)
{
    pthread_mutex_lock(&state.lock);
    if (set_remove(block))
        state.stats.frees++;
    else
        state.stats.untracked_frees++;
    pthread_mutex_unlock(&state.lock);
}

/**
 * @brief malloc() as learner code sees it: may be refused, is counted.
 * @param[in] size bytes to allocate.
 * @return a new block owned by the caller (release it with free()), or NULL
 *         with errno ENOMEM when refused or when memory runs out.
 */
void *course_malloc(size_t size)
{
    return may_allocate(size) ? counted(malloc(size), size) : NULL;
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
    return may_allocate(product(count, size)) ? counted(calloc(count, size), count * size)
                                               : NULL;
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
    return may_allocate(size) ? counted(aligned_alloc(alignment, size), size) : NULL;
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
    if (!may_allocate(size))
        return ENOMEM;
    int err = posix_memalign(out, alignment, size);
    if (err == 0)
        counted(*out, size);
    return err;
}

/**
 * @brief realloc() as learner code sees it: may be refused, leaving @p block
 *        as it was.
 *
 * realloc(NULL, n) counts as a new block, and so does the result of
 * resizing a block the counters never saw; a counted block that moves stays
 * one live block; realloc(p, 0), which glibc turns into free(p), counts as
 * a free.
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
    if (!may_allocate(size))
        return NULL;
    /* The old address, kept as a number: after a move it is only a key. */
    const uintptr_t old = (uintptr_t)block;
    void *moved = realloc(block, size);
    if (old == 0)
        return counted(moved, size);
    if (moved == NULL) {
        if (size == 0)
            uncounted(old); /* glibc frees the block for realloc(p, 0) */
        return NULL;
    }
    int saved = errno;
    pthread_mutex_lock(&state.lock);
    struct slot *slot = set_find(old);
    if ((uintptr_t)moved == old && slot) {
        slot->size = size;
    } else if (set_remove(old)) {
        /* A counted block that moved: still one live block, at a new address. */
        set_add((uintptr_t)moved, size);
    } else {
        /* A block the counters never saw, which learner code now holds. */
        set_add((uintptr_t)moved, size);
        state.stats.allocs++;
    }
    pthread_mutex_unlock(&state.lock);
    errno = saved;
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
    if (product(count, size) == SIZE_MAX) {
        pthread_mutex_lock(&state.lock);
        state.stats.last_request = SIZE_MAX;
        pthread_mutex_unlock(&state.lock);
        errno = ENOMEM;
        return NULL;
    }
    return course_realloc(block, count * size);
}

/* Documented in alloc_faults.h: tests use it too. */
char *course_strdup(const char *text)
{
    return may_allocate(strlen(text) + 1) ? counted(strdup(text), strlen(text) + 1) : NULL;
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
    const size_t size = strnlen(text, max_len) + 1;

    return may_allocate(size) ? counted(strndup(text, max_len), size) : NULL;
}

/**
 * @brief vasprintf() as learner code sees it: may be refused, is counted.
 * @param[out] out    receives the new string on success, owned by the
 *                    caller (release it with free()); untouched on failure.
 * @param[in]  format borrowed printf format.
 * @param[in]  args   the format's arguments.
 * @return the string's length on success; -1 with errno ENOMEM when
 *         refused or when memory runs out.
 */
int course_vasprintf(char **out, const char *format, va_list args)
{
    va_list measure;
    va_copy(measure, args);
    const int needed = vsnprintf(NULL, 0, format, measure);
    va_end(measure);
    if (!may_allocate(needed < 0 ? SIZE_MAX : (size_t)needed + 1))
        return -1;
    char *text = NULL;
    int len = vasprintf(&text, format, args);
    if (len < 0)
        return -1;
    *out = counted(text, (size_t)len + 1);
    return len;
}

/**
 * @brief asprintf() as learner code sees it: may be refused, is counted.
 * @param[out] out    as course_vasprintf().
 * @param[in]  format borrowed printf format, followed by its arguments.
 * @return as course_vasprintf().
 */
int course_asprintf(char **out, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int len = course_vasprintf(out, format, args);
    va_end(args);
    return len;
}

/* Documented in alloc_faults.h: tests use it too. */
void course_free(void *block)
{
    if (block)
        uncounted((uintptr_t)block);
    free(block);
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
