/*
 * An owned box: one block holding the box's fields and, after them, the
 * value.
 *
 *   +----------------------+--------------------------+
 *   | drop | size          | value (size bytes)       |
 *   +----------------------+--------------------------+
 *   ^ struct box           ^ box->value, aligned like max_align_t
 *
 * One allocation per box: a box is made and freed in one step, and there
 * is no state in which the fields exist without the value. The flexible
 * array member of type max_align_t gives the value malloc's alignment.
 */
#include "box.h"

#include <stdlib.h>
#include <string.h>

struct box {
    box_drop_fn *drop;   /* run on the value by box_free(); may be NULL */
    size_t size;         /* bytes in value */
    max_align_t value[]; /* the value; max_align_t aligns it for any type */
};

struct box *box_new(const void *value, size_t size, box_drop_fn *drop)
{
    if (size == 0 || size > BOX_MAX_SIZE)
        return NULL;

    struct box *b = malloc(sizeof *b + size); /* cannot wrap: size is capped */
    if (!b)
        return NULL;
    b->drop = drop;
    b->size = size;
    if (value)
        memcpy(b->value, value, size);
    else
        memset(b->value, 0, size);
    return b;
}

void *box_get(const struct box *b)
{
    /* Like strchr(), const in and non-const out: whoever holds the box
     * owns it and may write its value. */
    return b ? (void *)b->value : NULL;
}

size_t box_size(const struct box *b)
{
    return b ? b->size : 0;
}

struct box *box_take(struct box **slot)
{
    if (!slot)
        return NULL;

    struct box *b = *slot;
    *slot = NULL;
    return b;
}

struct box *box_free(struct box *b)
{
    if (!b)
        return NULL;
    if (b->drop)
        b->drop(b->value);
    free(b);
    return NULL;
}

void box_freep(struct box **slot)
{
    box_free(box_take(slot));
}
