/*
 * pool: fixed-size blocks with the free list threaded through them.
 *
 * A free block holds two words: the link to the next free block and a key
 * that marks it as free (glibc's tcache does the same). pool_free() of a
 * block whose key matches walks the list to be sure before it reports a
 * double free: live data may hold the key by chance, so the key only says
 * "maybe free" and keeps the common case O(1). pool_alloc() wipes the key.
 */
#include "pool.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

/* A free block's first bytes. */
struct free_block {
    struct free_block *next; /* Next free block, or NULL. */
    uintptr_t key;           /* free_key() of the pool while free. */
};

static uintptr_t free_key(const struct pool *pool)
{
    return (uintptr_t)pool ^ (uintptr_t)0x5a17ed5eedf1ee5bULL;
}

/* Pushes a block onto the free list and marks it free. */
static void push(struct pool *pool, struct free_block *block)
{
    block->next = pool->free_list;
    if (pool->stride >= sizeof(*block))
        block->key = free_key(pool);
    pool->free_list = block;
    pool->available++;
}

int pool_init(struct pool *pool, void *buffer, size_t size, size_t block_size)
{
    if (block_size == 0 || block_size > SIZE_MAX - (POOL_ALIGN - 1))
        return -EINVAL;
    size_t stride = (block_size + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
    size_t skip = (size_t)(-(uintptr_t)buffer & (POOL_ALIGN - 1));
    if (skip >= size || (size - skip) / stride == 0)
        return -EINVAL;

    *pool = (struct pool){
        .first = (unsigned char *)buffer + skip,
        .stride = stride,
        .count = (size - skip) / stride,
    };
    /* Push from the last block down, so block 0 is handed out first. */
    for (size_t i = pool->count; i-- > 0;)
        push(pool, (struct free_block *)(pool->first + i * stride));
    return 0;
}

void *pool_alloc(struct pool *pool)
{
    struct free_block *block = pool->free_list;
    if (!block)
        return NULL;
    pool->free_list = block->next;
    if (pool->stride >= sizeof(*block))
        block->key = 0;
    pool->available--;
    return block;
}

/* Walks the free list: the slow, sure answer. */
static bool on_free_list(const struct pool *pool, const void *block)
{
    for (const struct free_block *b = pool->free_list; b; b = b->next)
        if (b == block)
            return true;
    return false;
}

int pool_free(struct pool *pool, void *block)
{
    if (!block)
        return 0;
    /* A foreign pointer points into another object: comparing or
     * subtracting it as a pointer is undefined (C11 6.5.8p5, 6.5.6p9), so
     * the test is done on addresses as integers. */
    uintptr_t at = (uintptr_t)block;
    uintptr_t first = (uintptr_t)pool->first;
    if (at < first || (at - first) / pool->stride >= pool->count
        || (at - first) % pool->stride != 0)
        return -EINVAL;

    struct free_block *b = block;
    bool has_key = pool->stride >= sizeof(*b);
    if ((!has_key || b->key == free_key(pool)) && on_free_list(pool, b))
        return -EALREADY;
    push(pool, b);
    return 0;
}

size_t pool_available(const struct pool *pool)
{
    return pool->available;
}
