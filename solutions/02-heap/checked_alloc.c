/*
 * Overflow-checked array allocation.
 *
 * Every function turns (count, size) into a byte count the same way:
 * 1. refuse the request if count * size would exceed ARRAY_ALLOC_MAX,
 *    checked by division before anything is multiplied;
 * 2. turn a zero-byte request into a one-byte request;
 * 3. only then call the allocator.
 */
#include "checked_alloc.h"

#include <errno.h>
#include <stdlib.h>

bool array_size_overflows(size_t count, size_t size)
{
    /* count * size <= MAX exactly when count <= MAX / size (rounded down). */
    return size != 0 && count > ARRAY_ALLOC_MAX / size;
}

/*
 * Computes the byte count to ask the allocator for. Returns false, with
 * errno set to ENOMEM, if there is none.
 */
static bool array_bytes(size_t count, size_t size, size_t *bytes)
{
    if (array_size_overflows(count, size)) {
        errno = ENOMEM;
        return false;
    }
    *bytes = count * size;
    if (*bytes == 0)
        *bytes = 1; /* rule 2: NULL must only ever mean failure */
    return true;
}

void *array_alloc(size_t count, size_t size)
{
    size_t bytes;

    if (!array_bytes(count, size, &bytes))
        return NULL;
    return malloc(bytes);
}

void *array_zalloc(size_t count, size_t size)
{
    size_t bytes;

    if (!array_bytes(count, size, &bytes))
        return NULL;
    return calloc(1, bytes);
}

void *array_realloc(void *ptr, size_t count, size_t size)
{
    size_t bytes;

    if (!array_bytes(count, size, &bytes))
        return NULL;
    return realloc(ptr, bytes);
}
