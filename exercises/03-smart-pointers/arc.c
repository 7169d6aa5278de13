/*
 * An atomically reference-counted buffer: your implementation.
 *
 * Start from your rc.c. The count becomes an `atomic_size_t`, and every
 * change to it one atomic read-modify-write from <stdatomic.h>: never
 * `count++` or a load followed by a store. arc.h says which memory order
 * each operation needs, and why.
 */
#include "arc.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/** An atomically reference-counted buffer. */
struct arc {
    atomic_size_t count; /**< References held. TODO: the other fields
                              you need. */
};

struct arc *arc_new(size_t size, arc_destroy_fn *destroy)
{
    /* TODO: as rc_new, with atomic_init() for the count. */
    (void)size;
    (void)destroy;
    return NULL;
}

struct arc *arc_ref(struct arc *arc)
{
    /* TODO: add 1 atomically (relaxed), refusing at ARC_COUNT_MAX: a
     * compare-and-swap loop never stores a count above the maximum. */
    (void)arc;
    return NULL;
}

struct arc *arc_unref(struct arc *arc)
{
    /* TODO: subtract 1 atomically (release); the thread that took the
     * count from 1 to 0 fences (acquire), destroys and frees. */
    (void)arc;
    return NULL;
}

size_t arc_count(const struct arc *arc)
{
    /* TODO: an atomic load of the count; 0 for NULL. */
    (void)arc;
    return 0;
}

void *arc_data(struct arc *arc)
{
    /* TODO: the data's address; NULL for NULL. */
    (void)arc;
    return NULL;
}
