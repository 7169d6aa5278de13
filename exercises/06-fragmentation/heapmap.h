/**
 * @file heapmap.h
 * @brief Draws any heap as a row of letters and dashes.
 *
 * A heap is described by its size and its live blocks; whatever is not in
 * a live block is free. Each live block is drawn with its letter, each free
 * byte as '-', the way heapsim draws its bytes:
 *
 * ~~~{.txt}
 *   heap of 14 bytes, blocks c [0,2) b [5,6) a [6,11)
 *   cc---baaaaa---
 * ~~~
 *
 * A heap larger than @p width bytes is drawn to scale: each character
 * stands for `scale` bytes, the smallest whole number of bytes that fits
 * the heap in @p width characters, and the map ends with the scale:
 *
 * ~~~{.txt}
 *   heap of 4096 bytes, width 64: scale 64, 64 characters
 *   aaaa-bbbbbbbbb--------------------c-------------------------dddd (1 char = 64 bytes)
 * ~~~
 *
 * A character stands for bytes [i * scale, (i + 1) * scale) (the last one
 * may have fewer, past the end of the heap they do not count). It shows what
 * covers most of those bytes: the letter of a block, or '-' for free bytes.
 * On a tie, what comes first (lowest address) wins.
 */
#ifndef HEAPMAP_H
#define HEAPMAP_H

#include <stddef.h>

/** The widest map heapmap_draw() draws, in characters. */
#define HEAPMAP_WIDTH_MAX 4096

/** One live block. */
struct heapmap_block {
    size_t offset; /**< First byte, from the start of the heap. */
    size_t size;   /**< Bytes, at least 1. */
    char name;     /**< Its letter: any printable character except '-'
                        and ' '. */
};

/**
 * @brief Draws a heap.
 *
 * Writes at most @p cap bytes, NUL included, as snprintf() does. The map
 * has ceil(heap_size / scale) characters, followed by
 * " (1 char = SCALE bytes)" when the scale is above 1.
 *
 * @param[out] buf       Where to draw; borrowed; may be NULL if @p cap is 0.
 * @param[in]  cap       Bytes at @p buf.
 * @param[in]  heap_size The heap's size in bytes; 0 draws "".
 * @param[in]  blocks    @p n live blocks in increasing offset order, none
 *                       overlapping another, all inside the heap; borrowed;
 *                       may be NULL if @p n is 0.
 * @param[in]  n         Number of blocks.
 * @param[in]  width     The most characters the map may take, 1 to
 *                       HEAPMAP_WIDTH_MAX.
 * @return The length of the whole drawing (cut short if it is @p cap or
 *         more); -EINVAL if @p width is out of range or a block is empty,
 *         out of order, overlapping, outside the heap or badly named
 *         (nothing is written then).
 */
int heapmap_draw(char *buf, size_t cap, size_t heap_size,
                 const struct heapmap_block *blocks, size_t n, size_t width);

#endif /* HEAPMAP_H */
