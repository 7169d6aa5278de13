/*
 * Layouts: a size and a power-of-two alignment. Your implementation.
 *
 * Read layout.h first. Every size you compute must be checked against
 * LAYOUT_SIZE_MAX before the addition or multiplication that could wrap.
 */
#include "layout.h"

#include <errno.h>
#include <stdlib.h>

bool layout_is_valid(struct layout layout)
{
    /* TODO: align must be a power of two (exactly one bit set), and size
     * rounded up to a multiple of align at most LAYOUT_SIZE_MAX. Decide
     * the second without computing the rounded size: it can wrap. */
    (void)layout;
    return false;
}

struct layout layout_pad_to_align(struct layout layout)
{
    /* TODO: round size up to a multiple of align. */
    (void)layout;
    return (struct layout){ .size = 0, .align = 0 };
}

int layout_array(struct layout elem, size_t n, struct layout *out)
{
    /* TODO: -EINVAL for an invalid elem; pad elem; -EOVERFLOW if n times
     * the padded size exceeds LAYOUT_SIZE_MAX; otherwise store the array's
     * layout in *out. */
    (void)elem;
    (void)n;
    (void)out;
    return -ENOSYS;
}

int layout_extend(struct layout *record, struct layout field, size_t *offset)
{
    /* TODO: the field starts at record->size rounded up to field.align;
     * the record grows to end with the field and takes the larger
     * alignment. Check validity and overflow; change nothing on failure. */
    (void)record;
    (void)field;
    (void)offset;
    return -ENOSYS;
}

void *layout_alloc(struct layout layout)
{
    /* TODO: errno EINVAL and NULL for an invalid layout; otherwise
     * aligned_alloc with the padded size (one alignment unit if it is
     * 0). */
    (void)layout;
    return NULL;
}
