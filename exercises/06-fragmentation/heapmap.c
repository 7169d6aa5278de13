/*
 * heapmap: a heap drawn as letters and dashes, to scale. Your
 * implementation.
 *
 * Read heapmap.h first. Validate every block before drawing anything,
 * work out the scale without wrapping, then decide each character by what
 * covers most of its bytes.
 */
#include "heapmap.h"

#include <errno.h>

int heapmap_draw(char *buf, size_t cap, size_t heap_size,
                 const struct heapmap_block *blocks, size_t n, size_t width)
{
    /* TODO */
    (void)buf;
    (void)cap;
    (void)heap_size;
    (void)blocks;
    (void)n;
    (void)width;
    return -ENOSYS;
}
