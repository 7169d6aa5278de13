/*
 * An owned box: your implementation.
 *
 * Read box.h first: it says who owns what after every call. One block per
 * box is enough: a struct whose last member is a flexible array
 * (`max_align_t value[];`) holds the fields and the value together.
 */
#include "box.h"

#include <stdlib.h>
#include <string.h>

/** An owned box: its fields, then its value. */
struct box {
    box_drop_fn *drop; /**< Run on the value by box_free(). TODO: the
                            other fields you need. */
};

struct box *box_new(const void *value, size_t size, box_drop_fn *drop)
{
    /* TODO: refuse size 0 and sizes above BOX_MAX_SIZE before allocating;
     * allocate the box and its value; copy value in, or zero-fill it. */
    (void)value;
    (void)size;
    (void)drop;
    return NULL;
}

void *box_get(const struct box *b)
{
    /* TODO: the value's address; NULL for NULL. */
    (void)b;
    return NULL;
}

size_t box_size(const struct box *b)
{
    /* TODO: the value's size; 0 for NULL. */
    (void)b;
    return 0;
}

struct box *box_take(struct box **slot)
{
    /* TODO: return what *slot holds and set *slot to NULL; NULL slot
     * gives NULL. */
    (void)slot;
    return NULL;
}

struct box *box_free(struct box *b)
{
    /* TODO: run drop on the value (if there is one), then free the box.
     * Accept NULL. */
    (void)b;
    return NULL;
}

void box_freep(struct box **slot)
{
    /* TODO: free the box in *slot and set *slot to NULL. */
    (void)slot;
}
