/**
 * @file mm.h
 * @brief A malloc-lab allocator over the simulated heap of memlib.h.
 *
 * You write the four functions of the CS:APP malloc lab and a heap checker.
 * mm.c gets all its memory from mem_sbrk() and may not call malloc(). The
 * policy (implicit or explicit lists, first or best fit, size classes) is
 * yours; the block format below is fixed, because the tests corrupt
 * headers on purpose to see whether mm_check() notices:
 *
 * ~~~{.txt}
 *             header (8 bytes)    payload: a multiple of MM_ALIGNMENT
 *            +-----------------+---------------------------------+
 *   a block: | size | flags    | ............................... |
 *            +-----------------+---------------------------------+
 *                              ^ the pointer mm_malloc() returns
 *
 *   a free block also ends with a footer, a copy of its header:
 *            +--------+-------------------------------+--------+
 *            | header | (free: list links, anything)  | footer |
 *            +--------+-------------------------------+--------+
 * ~~~
 *
 * - Every block begins with an 8-byte header, just before the payload. It
 *   holds the block's size in bytes, header included (a multiple of
 *   MM_ALIGNMENT), ORed with flags in bits 0 to 2. Bit 0 is set when the
 *   block is allocated. Bits 1 and 2 are yours.
 * - Every free block ends with a footer equal to its header (a boundary
 *   tag), so that the block after it can find its start.
 * - Every payload address is a multiple of MM_ALIGNMENT.
 *
 * mm.c is graded by replaying allocation traces with data checks and
 * mm_check() after every operation, then on its utilization: peak bytes
 * requested and not yet freed, divided by mem_heapsize() at the end.
 */
#ifndef MM_H
#define MM_H

#include <stdbool.h>
#include <stddef.h>

/** Every payload address is a multiple of this, as with malloc(). */
#define MM_ALIGNMENT 16

/**
 * @brief Prepares an empty heap.
 *
 * The course calls it after emptying the simulated heap, before any other
 * mm_ call; it may be called again later to start over (the heap is
 * emptied again first).
 *
 * @return 0 on success; -ENOMEM if mem_sbrk() refuses the first bytes.
 */
int mm_init(void);

/**
 * @brief Allocates a block of at least @p size bytes.
 * @param[in] size Bytes wanted.
 * @return A payload aligned to MM_ALIGNMENT, inside the heap, overlapping
 *         no other allocated block, owned by the caller until mm_free().
 *         NULL if @p size is 0, or if mem_sbrk() cannot grow the heap (the
 *         heap stays consistent).
 */
void *mm_malloc(size_t size);

/**
 * @brief Frees a block.
 * @param[in] ptr A payload from mm_malloc() or mm_realloc() not yet freed,
 *                taken; NULL does nothing.
 */
void mm_free(void *ptr);

/**
 * @brief Resizes a block, keeping its contents.
 *
 * The first min(old size, @p size) bytes are kept. The block may stay
 * where it is (shrunk, or grown into free space after it) or move.
 *
 * @param[in] ptr  A payload from mm_malloc() or mm_realloc(), taken; NULL
 *                 means mm_malloc(@p size).
 * @param[in] size The new size; 0 frees @p ptr and returns NULL.
 * @return The new payload, owned by the caller. NULL on failure, and then
 *         @p ptr is left allocated and unchanged (still the caller's).
 */
void *mm_realloc(void *ptr, size_t size);

/**
 * @brief Checks the heap's invariants.
 *
 * At least: every block lies inside the heap, its size is a multiple of
 * MM_ALIGNMENT and its payload aligned; the blocks tile the heap; every
 * free block's footer equals its header; no two free blocks are adjacent
 * (coalescing is immediate); and if you keep free lists, every free block
 * is on exactly the list it belongs to and nothing else is. It prints what
 * it finds wrong to stderr, and changes nothing.
 *
 * The tests corrupt the heap through the format above, then expect false:
 * a header or footer changed; two free blocks made adjacent; a free block
 * split by hand into blocks that are on no list, with an allocated one
 * where it was on its list. They take it that you keep free lists when
 * mm_free() writes anywhere in the payload of the block it frees (where
 * the links go); an implicit list writes only the header and footer, and
 * the last test then expects nothing. Tags they write copy bits 1 and 2
 * from a block in the same position: from a block whose previous block is
 * free, or from the block they replace.
 *
 * @return true if the heap is consistent; false if any invariant fails.
 */
bool mm_check(void);

#endif /* MM_H */
