/*
 * A growable array of int: your implementation.
 *
 * Read vector.h first: the growth and failure policies are part of the
 * contract, and the tests check both.
 */
#include "vector.h"

#include <errno.h>
#include <stdlib.h>

struct vector *vector_new(void)
{
    /* TODO: allocate the struct and set every field (items NULL, len and
     * cap 0). Return NULL if malloc fails. */
    return NULL;
}

struct vector *vector_free(struct vector *v)
{
    /* TODO: free the item block, then the struct. Accept NULL. */
    (void)v;
    return NULL;
}

int vector_reserve(struct vector *v, size_t capacity)
{
    /* TODO: do nothing if capacity <= cap; refuse capacity above
     * VECTOR_MAX_CAP with -EOVERFLOW; otherwise realloc the block to
     * exactly capacity elements. If realloc fails, the vector must be
     * unchanged: keep its result in a temporary first. */
    (void)v;
    (void)capacity;
    return -ENOSYS;
}

int vector_push(struct vector *v, int value)
{
    /* TODO: if len == cap, grow to VECTOR_MIN_CAP (empty vector) or twice
     * the capacity (at most VECTOR_MAX_CAP), then append. */
    (void)v;
    (void)value;
    return -ENOSYS;
}

int vector_pop(struct vector *v, int *out)
{
    /* TODO: -ENOENT if empty; otherwise store the last element in *out
     * and drop it. */
    (void)v;
    (void)out;
    return -ENOSYS;
}

int vector_shrink_to_fit(struct vector *v)
{
    /* TODO: resize the block to exactly len elements. If len is 0, free
     * it and set items to NULL and cap to 0 (never call realloc(p, 0)). */
    (void)v;
    return -ENOSYS;
}
