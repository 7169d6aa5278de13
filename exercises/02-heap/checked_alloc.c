/*
 * Overflow-checked array allocation: your implementation.
 *
 * Read checked_alloc.h first: its three rules are the whole contract.
 */
#include "checked_alloc.h"

#include <errno.h>
#include <stdlib.h>

bool array_size_overflows(size_t count, size_t size)
{
    /* TODO: return true when count * size > ARRAY_ALLOC_MAX. Decide it
     * without multiplying: compare count with ARRAY_ALLOC_MAX / size
     * (and mind size == 0). */
    (void)count;
    (void)size;
    return false;
}

void *array_alloc(size_t count, size_t size)
{
    /* TODO: check the size with array_size_overflows() (set errno to
     * ENOMEM and return NULL if it overflows), ask for one byte instead of
     * zero, then call malloc. */
    (void)count;
    (void)size;
    return NULL;
}

void *array_zalloc(size_t count, size_t size)
{
    /* TODO: the same checks as array_alloc(), then a zero-filled block. */
    (void)count;
    (void)size;
    return NULL;
}

void *array_realloc(void *ptr, size_t count, size_t size)
{
    /* TODO: the same checks, then realloc. Never pass 0 to realloc, and
     * leave ptr untouched when you return NULL. */
    (void)ptr;
    (void)count;
    (void)size;
    return NULL;
}
