/*
 * heapsim: a heap drawn byte by byte. Your implementation.
 *
 * Read heapsim.h first: its rules say exactly where each block goes. The
 * struct's bytes[] can be the map itself: a letter or '-' per byte.
 */
#include "heapsim.h"

#include <errno.h>

int heapsim_init(struct heapsim *sim, size_t size, size_t grow,
                 enum heapsim_fit fit)
{
    /* TODO: check the arguments, then mark every byte free. */
    (void)sim;
    (void)size;
    (void)grow;
    (void)fit;
    return -ENOSYS;
}

long heapsim_alloc(struct heapsim *sim, char name, size_t n)
{
    /* TODO: check name and n; find a hole with the heap's policy; if
     * none fits, grow by whole steps (never past HEAPSIM_MAX, and beware
     * of wrapping when n or the growth step is huge); write the block's
     * letter. */
    (void)sim;
    (void)name;
    (void)n;
    return -ENOSYS;
}

int heapsim_free(struct heapsim *sim, char name)
{
    /* TODO: turn the block's bytes back into '-'. */
    (void)sim;
    (void)name;
    return -ENOSYS;
}

size_t heapsim_map(const struct heapsim *sim, char *buf, size_t cap)
{
    /* TODO: copy the map, cut to cap - 1 characters, NUL-terminated. */
    (void)sim;
    (void)buf;
    (void)cap;
    return 0;
}
