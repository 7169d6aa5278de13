/*
 * A reference-counted buffer: your implementation.
 *
 * Read rc.h first: its four numbered rules are the contract. One block
 * per buffer is enough: the count, the destroy function and the size,
 * then the data as a flexible array member (`max_align_t data[];`).
 */
#include "rc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/** A reference-counted buffer: its fields, then its data. */
struct rc {
    size_t count; /**< References held. TODO: the other fields you
                       need. */
};

struct rc *rc_new(size_t size, rc_destroy_fn *destroy)
{
    /* TODO: refuse sizes above RC_MAX_SIZE; allocate the buffer with its
     * data zero-filled and a count of 1 (the caller's reference). */
    (void)size;
    (void)destroy;
    return NULL;
}

struct rc *rc_ref(struct rc *rc)
{
    /* TODO: add a reference and return rc; refuse (NULL, count unchanged)
     * at RC_COUNT_MAX. NULL gives NULL. */
    (void)rc;
    return NULL;
}

struct rc *rc_unref(struct rc *rc)
{
    /* TODO: assert the count is positive and decrement it; at 0, run
     * destroy on the data, then free the buffer. NULL does nothing. */
    (void)rc;
    return NULL;
}

size_t rc_count(const struct rc *rc)
{
    /* TODO: the count; 0 for NULL. */
    (void)rc;
    return 0;
}

void *rc_data(struct rc *rc)
{
    /* TODO: the data's address; NULL for NULL. */
    (void)rc;
    return NULL;
}

size_t rc_size(const struct rc *rc)
{
    /* TODO: the data's size; 0 for NULL. */
    (void)rc;
    return 0;
}
