/**
 * @file bump_arena.h
 * @brief A bump allocator (an arena) over a caller's buffer, with marks.
 *
 * An arena hands out memory by moving one offset forward, and takes it back
 * only in LIFO order: everything allocated after a mark at once
 * (bump_release()), or everything (bump_reset()). That is exactly how a
 * thread's stack works, and why a stack never fragments: there is never a
 * hole to fill, only a top to move.
 *
 * ~~~{.txt}
 *   base                     used                          cap
 *   +-----+--+--------+---+--+----------------------------+
 *   | a   |//| b      |///| c|        free                |
 *   +-----+--+--------+---+--+----------------------------+
 *          ^ padding: b's address is a multiple of its alignment
 * ~~~
 *
 * Alignment follows lesson 02's layout rules: it must be a power of two,
 * and it applies to the block's address (not to its offset in the buffer,
 * which need not be aligned itself).
 */
#ifndef BUMP_ARENA_H
#define BUMP_ARENA_H

#include <stddef.h>

/** An arena. Its fields are bump_arena.c's business. */
struct bump_arena {
    unsigned char *base; /**< The buffer, borrowed from the caller. */
    size_t cap;          /**< Bytes in the buffer. */
    size_t used;         /**< Bytes from base up to the end of the top block. */
};

/**
 * @brief Starts an empty arena over @p buffer.
 * @param[out] arena  The arena; borrowed.
 * @param[in]  buffer @p cap bytes, borrowed for the arena's life; may be
 *                    NULL only if @p cap is 0.
 * @param[in]  cap    Bytes at @p buffer.
 */
void bump_init(struct bump_arena *arena, void *buffer, size_t cap);

/**
 * @brief Allocates @p size bytes at an address that is a multiple of
 *        @p align, just above the previous block.
 * @param[in,out] arena The arena; borrowed.
 * @param[in]     size  Bytes; 0 gives a valid address that must not be
 *                      dereferenced, and uses no bytes beyond the padding.
 * @param[in]     align A power of two.
 * @return The block, inside the buffer (owned by the buffer's owner, valid
 *         until a reset or a release below it). NULL if @p align is not a
 *         power of two, or if the padding plus @p size do not fit in what
 *         is left: the arena is unchanged then.
 */
void *bump_alloc(struct bump_arena *arena, size_t size, size_t align);

/**
 * @brief Remembers the arena's top.
 * @param[in] arena The arena; borrowed.
 * @return A mark for bump_release(): the bytes used now.
 */
size_t bump_mark(const struct bump_arena *arena);

/**
 * @brief Frees every block allocated after @p mark was taken, at once.
 * @param[in,out] arena The arena; borrowed.
 * @param[in]     mark  A mark from bump_mark() on this arena.
 * @return 0; -EINVAL if @p mark is above the current top (a mark taken
 *         after an earlier release below it): the arena is unchanged then.
 */
int bump_release(struct bump_arena *arena, size_t mark);

/**
 * @brief Frees every block at once: the arena is empty again.
 * @param[in,out] arena The arena; borrowed.
 */
void bump_reset(struct bump_arena *arena);

/**
 * @brief Bytes still free above the top, ignoring alignment.
 * @param[in] arena The arena; borrowed.
 * @return cap minus used.
 */
size_t bump_remaining(const struct bump_arena *arena);

#endif /* BUMP_ARENA_H */
