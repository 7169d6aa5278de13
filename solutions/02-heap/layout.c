/*
 * Layouts: a size and a power-of-two alignment.
 *
 * Rounding n up to a multiple of a power of two a is
 * (n + a - 1) & ~(a - 1): adding a - 1 carries n past the next multiple
 * unless it is one already, and the mask clears the remainder. The
 * addition can wrap for n near SIZE_MAX, so a layout's validity is
 * checked first: a valid layout has size <= LAYOUT_SIZE_MAX - (align - 1),
 * which is exactly "rounded up, it is at most LAYOUT_SIZE_MAX" and
 * leaves room for the addition.
 */
#include "layout.h"

#include <errno.h>
#include <stdlib.h>

/* Rounds n up to a multiple of the power of two align. The caller makes
 * sure that n + align - 1 does not wrap. */
static size_t round_up(size_t n, size_t align)
{
    return (n + align - 1) & ~(align - 1);
}

bool layout_is_valid(struct layout layout)
{
    bool power_of_two = layout.align != 0
                        && (layout.align & (layout.align - 1)) == 0;

    /* align - 1 < 2^63 for a power of two, so the subtraction is safe. */
    return power_of_two && layout.size <= LAYOUT_SIZE_MAX - (layout.align - 1);
}

struct layout layout_pad_to_align(struct layout layout)
{
    layout.size = round_up(layout.size, layout.align);
    return layout;
}

int layout_array(struct layout elem, size_t n, struct layout *out)
{
    if (!layout_is_valid(elem))
        return -EINVAL;

    size_t stride = layout_pad_to_align(elem).size;
    if (stride != 0 && n > LAYOUT_SIZE_MAX / stride)
        return -EOVERFLOW;
    /* n * stride is a multiple of align and at most LAYOUT_SIZE_MAX:
     * the result is valid. */
    *out = (struct layout){ .size = n * stride, .align = elem.align };
    return 0;
}

int layout_extend(struct layout *record, struct layout field, size_t *offset)
{
    if (!layout_is_valid(*record) || !layout_is_valid(field))
        return -EINVAL;

    /* Both terms are below 2^63, so this cannot wrap. */
    size_t start = round_up(record->size, field.align);
    if (start > LAYOUT_SIZE_MAX || field.size > LAYOUT_SIZE_MAX - start)
        return -EOVERFLOW;

    struct layout grown = {
        .size = start + field.size,
        .align = record->align > field.align ? record->align : field.align,
    };
    if (!layout_is_valid(grown))
        return -EOVERFLOW;
    *record = grown;
    *offset = start;
    return 0;
}

void *layout_alloc(struct layout layout)
{
    if (!layout_is_valid(layout)) {
        errno = EINVAL;
        return NULL;
    }

    struct layout padded = layout_pad_to_align(layout);
    if (padded.size == 0)
        padded.size = padded.align; /* NULL must only ever mean failure */
    return aligned_alloc(padded.align, padded.size);
}
