/**
 * @file pool.h
 * @brief A pool of fixed-size blocks carved from a caller's buffer, with
 *        the free list threaded through the free blocks themselves.
 *
 * A pool cannot fragment: every block is the same size, so any free block
 * serves any request. Allocation pops the head of a free list and freeing
 * pushes onto it, both O(1). The list costs no memory: a free block's
 * first bytes hold the link to the next free block.
 *
 * ~~~{.txt}
 *   buffer (first block at the first multiple of POOL_ALIGN)
 *   +------+---------+---------+---------+---------+----+
 *   | skip | block 0 | block 1 | block 2 | block 3 |rest|
 *   +------+---------+---------+---------+---------+----+
 *               |  in use    ^    |           ^
 *   free_list --+------------|----+   next ---+   (links live inside
 *                                                  the free blocks)
 * ~~~
 *
 * Every block is `stride` bytes: the block size rounded up to a multiple of
 * POOL_ALIGN, so that every block is aligned for any type. A block of a
 * pool never leaves the buffer.
 *
 * pool_free() refuses a pointer that is not one of its blocks, and a block
 * that is already free. Detecting the second in O(1) as glibc's tcache
 * does (a key stored in every free block, and a walk of the list only when
 * the key matches) is allowed, as is any other way.
 */
#ifndef POOL_H
#define POOL_H

#include <stdalign.h>
#include <stddef.h>

/** Block addresses and the stride are multiples of this. */
#define POOL_ALIGN alignof(max_align_t)

/** A pool. Its fields are pool.c's business. */
struct pool {
    unsigned char *first; /**< Block 0, inside the caller's buffer. */
    size_t stride;        /**< Bytes from one block to the next. */
    size_t count;         /**< Blocks in the pool. */
    size_t available;     /**< Blocks free now. */
    void *free_list;      /**< First free block, or NULL. */
};

/**
 * @brief Carves @p buffer into as many blocks of @p block_size bytes as fit.
 *
 * Block 0 starts at the first multiple of POOL_ALIGN at or after
 * @p buffer; the stride is @p block_size rounded up to a multiple of
 * POOL_ALIGN. Every block starts free.
 *
 * @param[out] pool       The pool; borrowed.
 * @param[in]  buffer     @p size bytes, borrowed for the pool's life.
 * @param[in]  size       Bytes at @p buffer.
 * @param[in]  block_size Bytes a block must hold, at least 1.
 * @return 0; -EINVAL if @p block_size is 0, or so large that rounding it up
 *         would wrap, or if not even one block fits (@p pool is untouched).
 */
int pool_init(struct pool *pool, void *buffer, size_t size, size_t block_size);

/**
 * @brief Takes a free block, in O(1).
 * @param[in,out] pool The pool; borrowed.
 * @return A block of at least block_size bytes, aligned to POOL_ALIGN,
 *         owned by the caller until pool_free(); NULL if none is free.
 */
void *pool_alloc(struct pool *pool);

/**
 * @brief Gives a block back.
 * @param[in,out] pool  The pool; borrowed.
 * @param[in]     block A block from pool_alloc() on this pool, taken; NULL
 *                      does nothing.
 * @return 0; -EINVAL if @p block is not the start of one of this pool's
 *         blocks; -EALREADY if it is free already. The pool is unchanged on
 *         failure.
 */
int pool_free(struct pool *pool, void *block);

/**
 * @brief Counts the free blocks.
 * @param[in] pool The pool; borrowed.
 * @return Blocks that pool_alloc() can still hand out.
 */
size_t pool_available(const struct pool *pool);

#endif /* POOL_H */
