/*
 * mm: a malloc-lab allocator over memlib's simulated sbrk(). Your
 * implementation.
 *
 * Read mm.h first: the block format is fixed, the policy is yours. Start
 * with an implicit list and first fit as the lesson draws it, make
 * mm_check() catch every invariant, then improve utilization: explicit or
 * segregated free lists, better fits, realloc in place. State your
 * allocator's rules at the top of this file, as the lesson's reference
 * does.
 */
#include "mm.h"
#include "memlib.h"

#include <errno.h>

int mm_init(void)
{
    /* TODO: the first bytes of the heap (padding so that payloads are
     * aligned, and whatever marks the heap's ends). */
    return -ENOSYS;
}

void *mm_malloc(size_t size)
{
    /* TODO */
    (void)size;
    return NULL;
}

void mm_free(void *ptr)
{
    /* TODO: mark free, write the footer, coalesce. */
    (void)ptr;
}

void *mm_realloc(void *ptr, size_t size)
{
    /* TODO */
    (void)ptr;
    (void)size;
    return NULL;
}

bool mm_check(void)
{
    /* TODO: walk every block and every free list. */
    return false;
}
