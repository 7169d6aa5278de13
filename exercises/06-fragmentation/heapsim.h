/**
 * @file heapsim.h
 * @brief A byte-granular heap simulator: placement policies and
 *        fragmentation you can see.
 *
 * A simulated heap is a row of bytes. Each live block is named by a letter
 * and drawn with it; a free byte is drawn as '-'. No headers, no
 * alignment: only placement. Frame by frame, with first fit, a 10-byte
 * heap that grows 4 bytes at a time:
 *
 * ~~~{.txt}
 *   alloc a 5   aaaaa-----
 *   alloc b 1   aaaaab----
 *   free a      -----b----        9 bytes free, in holes of 5 and 4
 *   alloc c 2   cc---b----        first fit takes the first hole: 7 free
 *                                 (3 + 4), and no hole holds 5 any more
 *   alloc a 5   cc---baaaaa---    so the heap grows by one step, to 14
 * ~~~
 *
 * The rules:
 * - A block is placed in a hole: a maximal run of free bytes. Freed bytes
 *   join the free bytes around them (coalescing is immediate).
 * - First fit takes the lowest-addressed hole that is large enough. Best
 *   fit takes the smallest hole that is large enough, the lowest-addressed
 *   one among equals. Either way the block takes the low end of its hole.
 * - When no hole is large enough, the heap grows by the smallest multiple
 *   of its growth step that makes the free run at its end (maybe empty)
 *   large enough, and the block goes at the start of that run.
 */
#ifndef HEAPSIM_H
#define HEAPSIM_H

#include <stddef.h>

/** The largest simulated heap, in bytes. */
#define HEAPSIM_MAX 4096

/** Which hole a new block goes into. */
enum heapsim_fit {
    HEAPSIM_FIRST_FIT, /**< The lowest-addressed hole that fits. */
    HEAPSIM_BEST_FIT,  /**< The smallest hole that fits. */
};

/** A simulated heap. Its fields are heapsim.c's business. */
struct heapsim {
    char bytes[HEAPSIM_MAX]; /**< Per byte: a block's letter, or '-'. */
    size_t size;             /**< Bytes in the heap now. */
    size_t grow;             /**< Growth step, in bytes. */
    enum heapsim_fit fit;    /**< Placement policy. */
};

/**
 * @brief Starts an empty heap of @p size free bytes.
 * @param[out] sim  The heap to set up; borrowed.
 * @param[in]  size Initial bytes, 0 to HEAPSIM_MAX.
 * @param[in]  grow Growth step in bytes, at least 1.
 * @param[in]  fit  Placement policy.
 * @return 0; -EINVAL if @p size exceeds HEAPSIM_MAX, @p grow is 0 or
 *         @p fit is not one of the two policies (@p sim is then untouched).
 */
int heapsim_init(struct heapsim *sim, size_t size, size_t grow,
                 enum heapsim_fit fit);

/**
 * @brief Allocates a block of @p n bytes named @p name.
 * @param[in,out] sim  The heap; borrowed.
 * @param[in]     name The block's letter, 'a' to 'z' or 'A' to 'Z'.
 * @param[in]     n    Bytes, at least 1.
 * @return The block's offset from the start of the heap. -EINVAL if
 *         @p name is not a letter or @p n is 0; -EEXIST if a live block
 *         already has that name; -ENOMEM if the heap would have to grow
 *         past HEAPSIM_MAX. The heap is unchanged on failure.
 */
long heapsim_alloc(struct heapsim *sim, char name, size_t n);

/**
 * @brief Frees the block named @p name.
 * @param[in,out] sim  The heap; borrowed.
 * @param[in]     name The block's letter.
 * @return 0; -ENOENT if no live block has that name.
 */
int heapsim_free(struct heapsim *sim, char name);

/**
 * @brief Draws the heap, one character a byte.
 *
 * Writes at most @p cap bytes, NUL included, as snprintf() does.
 *
 * @param[in]  sim The heap; borrowed.
 * @param[out] buf Where to draw; borrowed; may be NULL if @p cap is 0.
 * @param[in]  cap Bytes available at @p buf.
 * @return The map's length (the heap's size): the map was cut short if it
 *         is @p cap or more.
 */
size_t heapsim_map(const struct heapsim *sim, char *buf, size_t cap);

#endif /* HEAPSIM_H */
