/**
 * @file checked_alloc.h
 * @brief Array allocation that checks `count * size` before multiplying.
 *
 * `malloc(count * size)` hides a bug: when the product does not fit in a
 * size_t it wraps around to a small number, malloc succeeds, and the caller
 * then writes @p count elements into a block far too small for them. These
 * helpers refuse such a request before calling the allocator, as calloc()
 * and glibc's reallocarray() do.
 *
 * Rules shared by every function in this file:
 *
 * 1. A request for more than ARRAY_ALLOC_MAX bytes fails without calling
 *    the allocator. GCC and glibc support no object larger than
 *    PTRDIFF_MAX bytes (subtracting two pointers into it would overflow
 *    ptrdiff_t): an implementation limit, not an ISO C rule, but the one
 *    this machine enforces. Such a request is a bug in the caller, never a
 *    real need.
 * 2. A request for zero bytes (@p count or @p size is 0) is served as a
 *    request for one byte. So NULL always means failure, and a non-NULL
 *    result is always a block the caller must free. (malloc(0) may return
 *    NULL or a unique pointer, and realloc(p, 0) frees @p p on glibc but is
 *    undefined behaviour in C23: these helpers never pass 0 on.)
 * 3. Failure returns NULL with errno set to ENOMEM and changes nothing.
 */
#ifndef CHECKED_ALLOC_H
#define CHECKED_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The largest block, in bytes, that these helpers will ask for. */
#define ARRAY_ALLOC_MAX ((size_t)PTRDIFF_MAX)

/**
 * @brief Tells whether an array of @p count elements of @p size bytes
 *        would exceed ARRAY_ALLOC_MAX bytes.
 *
 * Computes the answer without computing `count * size`, which could wrap.
 *
 * @param[in] count Number of elements.
 * @param[in] size  Size of one element, in bytes.
 * @return true if `count * size` is larger than ARRAY_ALLOC_MAX (or does
 *         not fit in a size_t at all); false if it fits, which includes
 *         every product with a zero factor.
 */
bool array_size_overflows(size_t count, size_t size);

/**
 * @brief Allocates an uninitialised array of @p count elements of @p size
 *        bytes each.
 *
 * @param[in] count Number of elements; 0 is allowed (rule 2).
 * @param[in] size  Size of one element, in bytes; 0 is allowed (rule 2).
 * @return A new block of at least `count * size` bytes (one byte if that
 *         is zero), owned by the caller, who releases it with free().
 *         NULL with errno ENOMEM if the size overflows (the allocator is
 *         not called) or if the allocator fails.
 */
void *array_alloc(size_t count, size_t size);

/**
 * @brief Like array_alloc(), but every byte of the array is zero.
 *
 * @param[in] count Number of elements; 0 is allowed (rule 2).
 * @param[in] size  Size of one element, in bytes; 0 is allowed (rule 2).
 * @return A new zero-filled block owned by the caller, or NULL with errno
 *         ENOMEM on overflow or allocator failure.
 */
void *array_zalloc(size_t count, size_t size);

/**
 * @brief Resizes the array at @p ptr to @p count elements of @p size bytes.
 *
 * The first `min(old size, new size)` bytes keep their values; bytes past
 * the old size are uninitialised.
 *
 * @param[in] ptr   A block from array_alloc(), array_zalloc(), malloc()...
 *                  that this call takes from the caller, or NULL to
 *                  allocate a new one.
 * @param[in] count New number of elements; 0 is allowed (rule 2: the block
 *                  shrinks to one byte, it is never freed).
 * @param[in] size  Size of one element, in bytes.
 * @return The resized block, owned by the caller; @p ptr is no longer valid
 *         (the block may have moved). On failure, NULL with errno ENOMEM,
 *         and @p ptr is untouched and still owned by the caller, so never
 *         write `p = array_realloc(p, n, size)`: it loses @p p when the call
 *         fails.
 */
void *array_realloc(void *ptr, size_t count, size_t size);

#endif /* CHECKED_ALLOC_H */
