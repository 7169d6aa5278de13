/*
 * A reference-counted buffer: one block, the count and the destroy
 * function before the data.
 *
 *   +-------+---------+------+---------------------+
 *   | count | destroy | size | data (size bytes)   |
 *   +-------+---------+------+---------------------+
 *
 * Invariant: count >= 1 while anyone may use the buffer. The call that
 * takes it from 1 to 0 is the only one that may touch the buffer
 * afterwards, to destroy and free it; any later call is a use after free,
 * which the assert in rc_unref() can catch only while the freed block
 * still holds the old count.
 */
#include "rc.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

struct rc {
    size_t count;           /* references held; >= 1 while alive */
    rc_destroy_fn *destroy; /* run on data at count 0; may be NULL */
    size_t size;            /* bytes in data */
    max_align_t data[];     /* the data, aligned for any type */
};

struct rc *rc_new(size_t size, rc_destroy_fn *destroy)
{
    if (size > RC_MAX_SIZE)
        return NULL;

    struct rc *rc = malloc(sizeof *rc + size);
    if (!rc)
        return NULL;
    rc->count = 1; /* the caller's reference */
    rc->destroy = destroy;
    rc->size = size;
    memset(rc->data, 0, size);
    return rc;
}

struct rc *rc_ref(struct rc *rc)
{
    if (!rc)
        return NULL;
    assert(rc->count > 0);
    if (rc->count >= RC_COUNT_MAX)
        return NULL; /* refuse rather than let the count wrap to 0 */
    rc->count++;
    return rc;
}

struct rc *rc_unref(struct rc *rc)
{
    if (!rc)
        return NULL;
    assert(rc->count > 0); /* giving back a reference nobody holds */
    if (--rc->count > 0)
        return NULL;
    if (rc->destroy)
        rc->destroy(rc->data);
    free(rc);
    return NULL;
}

size_t rc_count(const struct rc *rc)
{
    return rc ? rc->count : 0;
}

void *rc_data(struct rc *rc)
{
    return rc ? rc->data : NULL;
}

size_t rc_size(const struct rc *rc)
{
    return rc ? rc->size : 0;
}
