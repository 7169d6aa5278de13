/*
 * Strong and weak references: your implementation.
 *
 * Read weak.h first: its two numbered lifetimes are the contract. One
 * block holds both counts and the data. `struct weak` need not be
 * defined: a weak reference can be the block's own address, converted
 * with a cast to and from `struct weak *`.
 */
#include "weak.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/** The block that strong and weak references point to. */
struct shared {
    size_t strong; /**< Strong references. TODO: the other fields you
                        need. */
};

struct shared *shared_new(size_t size, shared_destroy_fn *destroy)
{
    /* TODO: refuse sizes above SHARED_MAX_SIZE; allocate the block with
     * strong 1, weak 0 and zero-filled data. */
    (void)size;
    (void)destroy;
    return NULL;
}

struct shared *shared_ref(struct shared *s)
{
    /* TODO: strong + 1, refusing at SHARED_COUNT_MAX. */
    (void)s;
    return NULL;
}

struct shared *shared_unref(struct shared *s)
{
    /* TODO: strong - 1; at 0, destroy the data, and free the block if no
     * weak reference is left, even if destroy gives some back. */
    (void)s;
    return NULL;
}

void *shared_data(struct shared *s)
{
    /* TODO: the data's address; NULL for NULL. */
    (void)s;
    return NULL;
}

struct weak *shared_downgrade(struct shared *s)
{
    /* TODO: weak + 1, refusing at SHARED_COUNT_MAX. */
    (void)s;
    return NULL;
}

struct weak *weak_ref(struct weak *w)
{
    /* TODO: weak + 1, refusing at SHARED_COUNT_MAX. */
    (void)w;
    return NULL;
}

struct weak *weak_unref(struct weak *w)
{
    /* TODO: weak - 1; free the block when both counts are 0. */
    (void)w;
    return NULL;
}

struct shared *weak_upgrade(struct weak *w)
{
    /* TODO: a new strong reference, unless the data is gone. */
    (void)w;
    return NULL;
}

size_t weak_strong_count(const struct weak *w)
{
    /* TODO: strong; 0 for NULL. */
    (void)w;
    return 0;
}

size_t weak_weak_count(const struct weak *w)
{
    /* TODO: weak; 0 for NULL. */
    (void)w;
    return 0;
}
