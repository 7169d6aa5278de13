/*
 * bump_arena: allocation by moving one offset up.
 *
 * The next block starts at the first address at or above base + used that
 * is a multiple of align. The padding is computed from the address, since
 * the buffer itself may sit anywhere. Every comparison is made against
 * what is left (cap - used), never by adding to used first, so that no
 * size, however large, can wrap the arithmetic.
 */
#include "bump_arena.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

static bool is_power_of_two(size_t n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

void bump_init(struct bump_arena *arena, void *buffer, size_t cap)
{
    *arena = (struct bump_arena){ .base = buffer, .cap = cap, .used = 0 };
}

void *bump_alloc(struct bump_arena *arena, size_t size, size_t align)
{
    if (!is_power_of_two(align))
        return NULL;
    uintptr_t top = (uintptr_t)arena->base + arena->used;
    size_t padding = (size_t)(-top & (align - 1));
    size_t left = arena->cap - arena->used;
    if (padding > left || size > left - padding)
        return NULL;
    unsigned char *block = arena->base + arena->used + padding;
    arena->used += padding + size;
    return block;
}

size_t bump_mark(const struct bump_arena *arena)
{
    return arena->used;
}

int bump_release(struct bump_arena *arena, size_t mark)
{
    if (mark > arena->used)
        return -EINVAL;
    arena->used = mark;
    return 0;
}

void bump_reset(struct bump_arena *arena)
{
    arena->used = 0;
}

size_t bump_remaining(const struct bump_arena *arena)
{
    return arena->cap - arena->used;
}
