/*
 * heapsim: a heap drawn byte by byte.
 *
 * The map itself is the state: bytes[i] is a block's letter or '-'. A hole
 * is a maximal run of '-', so freeing (writing '-' back) coalesces for
 * free. Placement scans the holes once, left to right, keeping the first
 * (first fit) or the smallest (best fit) that is large enough.
 */
#include "heapsim.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

enum { FREE_BYTE = '-' };

static bool is_name(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int heapsim_init(struct heapsim *sim, size_t size, size_t grow,
                 enum heapsim_fit fit)
{
    if (size > HEAPSIM_MAX || grow == 0
        || (fit != HEAPSIM_FIRST_FIT && fit != HEAPSIM_BEST_FIT))
        return -EINVAL;
    memset(sim->bytes, FREE_BYTE, sizeof(sim->bytes));
    sim->size = size;
    sim->grow = grow;
    sim->fit = fit;
    return 0;
}

/* Finds a hole of at least n bytes; returns its offset, or -1. */
static long find_hole(const struct heapsim *sim, size_t n)
{
    long found = -1;
    size_t found_len = 0;
    size_t at = 0;

    while (at < sim->size) {
        if (sim->bytes[at] != FREE_BYTE) {
            at++;
            continue;
        }
        size_t start = at;
        while (at < sim->size && sim->bytes[at] == FREE_BYTE)
            at++;
        size_t len = at - start;
        if (len < n || (found >= 0 && len >= found_len))
            continue;
        found = (long)start;
        found_len = len;
        if (sim->fit == HEAPSIM_FIRST_FIT)
            break;
    }
    return found;
}

long heapsim_alloc(struct heapsim *sim, char name, size_t n)
{
    if (!is_name(name) || n == 0)
        return -EINVAL;
    if (memchr(sim->bytes, name, sim->size))
        return -EEXIST;

    long at = find_hole(sim, n);
    if (at < 0) {
        /* Grow: the free run at the end counts towards the block. */
        size_t tail = 0;
        while (tail < sim->size && sim->bytes[sim->size - 1 - tail] == FREE_BYTE)
            tail++;
        size_t missing = n - tail;
        /* Rounded up without adding: missing + grow - 1 wraps when either
         * is near SIZE_MAX, and the contract allows any grow. */
        size_t steps = missing / sim->grow + (missing % sim->grow != 0);
        if (steps > (HEAPSIM_MAX - sim->size) / sim->grow)
            return -ENOMEM;
        at = (long)(sim->size - tail);
        sim->size += steps * sim->grow; /* new bytes are already '-' */
    }
    memset(sim->bytes + at, name, n);
    return at;
}

int heapsim_free(struct heapsim *sim, char name)
{
    if (!is_name(name))
        return -ENOENT;
    bool found = false;
    for (size_t i = 0; i < sim->size; i++) {
        if (sim->bytes[i] == name) {
            sim->bytes[i] = FREE_BYTE;
            found = true;
        }
    }
    return found ? 0 : -ENOENT;
}

size_t heapsim_map(const struct heapsim *sim, char *buf, size_t cap)
{
    if (cap > 0) {
        size_t len = sim->size < cap - 1 ? sim->size : cap - 1;
        memcpy(buf, sim->bytes, len);
        buf[len] = '\0';
    }
    return sim->size;
}
