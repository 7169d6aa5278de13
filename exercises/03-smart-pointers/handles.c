/*
 * A handle table: your implementation.
 *
 * Read handles.h first: its four numbered rules are the contract. A
 * growable array of slots (lesson 02's vector) does the storing; each slot
 * needs its object and its generation. An empty slot can also remember
 * the next empty one, which makes a free list that costs no memory.
 */
#include "handles.h"

#include <errno.h>
#include <stdlib.h>

/** A handle table. */
struct handles {
    size_t len; /**< Objects in the table. TODO: the other fields you
                     need. */
};

struct handles *handles_new(void)
{
    /* TODO: allocate an empty table; NULL if out of memory. */
    return NULL;
}

struct handles *handles_free(struct handles *t)
{
    /* TODO: free the table's memory, never the objects. Accept NULL. */
    (void)t;
    return NULL;
}

int handles_insert(struct handles *t, void *object, struct handle *out)
{
    /* TODO: reuse an empty slot or grow the array; store the object and
     * write its handle to *out. */
    (void)t;
    (void)object;
    (void)out;
    return -ENOSYS;
}

void *handles_get(const struct handles *t, struct handle h)
{
    /* TODO: the object if h's index is in range, its slot occupied and
     * the generations equal; NULL otherwise. */
    (void)t;
    (void)h;
    return NULL;
}

void *handles_remove(struct handles *t, struct handle h)
{
    /* TODO: empty the slot h names, bump its generation (or retire it at
     * HANDLES_GEN_MAX), and return the object; NULL if h names nothing. */
    (void)t;
    (void)h;
    return NULL;
}

size_t handles_len(const struct handles *t)
{
    /* TODO: the number of objects; 0 for NULL. */
    (void)t;
    return 0;
}
