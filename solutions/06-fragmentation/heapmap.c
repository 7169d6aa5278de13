/*
 * heapmap: a heap drawn as letters and dashes, to scale.
 *
 * Each character stands for `scale` bytes. Its winner is what covers most
 * of them, found by sweeping the cell from left to right through the free
 * gaps and the blocks that overlap it; a strict "more than" keeps the
 * first of equals. The blocks are sorted, so one cursor into them serves
 * every cell: the whole drawing is O(cells + blocks).
 */
#include "heapmap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

enum { FREE_MARK = '-' };

static bool valid_blocks(size_t heap_size, const struct heapmap_block *blocks,
                         size_t n)
{
    size_t end = 0; /* end of the previous block */
    for (size_t i = 0; i < n; i++) {
        const struct heapmap_block *b = &blocks[i];
        if (b->size == 0 || b->offset < end || b->offset > heap_size
            || b->size > heap_size - b->offset)
            return false;
        if (b->name == FREE_MARK || b->name == ' ' || b->name < 0x21 || b->name > 0x7e)
            return false;
        end = b->offset + b->size;
    }
    return true;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* What covers most of [lo, hi): a block's name or FREE_MARK. *next is the
 * first block that may still reach this cell; it moves forward only. */
static char cell_winner(size_t lo, size_t hi, const struct heapmap_block *blocks,
                        size_t n, size_t *next)
{
    while (*next < n && blocks[*next].offset + blocks[*next].size <= lo)
        ++*next;
    char winner = FREE_MARK;
    size_t best = 0;
    size_t at = lo;
    for (size_t i = *next; at < hi; i++) {
        size_t start = i < n ? blocks[i].offset : hi;
        if (start > at) { /* a free gap before block i */
            size_t gap = min_size(start, hi) - at;
            if (gap > best)
                winner = FREE_MARK, best = gap;
            at = min_size(start, hi);
        }
        if (i < n && at < hi) {
            size_t covered = min_size(blocks[i].offset + blocks[i].size, hi) - at;
            if (covered > best)
                winner = blocks[i].name, best = covered;
            at += covered;
        }
    }
    return winner;
}

int heapmap_draw(char *buf, size_t cap, size_t heap_size,
                 const struct heapmap_block *blocks, size_t n, size_t width)
{
    if (width == 0 || width > HEAPMAP_WIDTH_MAX || !valid_blocks(heap_size, blocks, n))
        return -EINVAL;

    /* ceil(heap_size / width), written so that it cannot wrap. */
    size_t scale = heap_size <= width ? 1 : heap_size / width + (heap_size % width != 0);
    size_t cells = heap_size / scale + (heap_size % scale != 0);
    size_t next = 0;
    for (size_t i = 0; i < cells; i++) {
        size_t lo = i * scale;
        size_t hi = lo + min_size(scale, heap_size - lo);
        char c = cell_winner(lo, hi, blocks, n, &next);
        if (i + 1 < cap)
            buf[i] = c;
    }
    if (cap > 0)
        buf[min_size(cells, cap - 1)] = '\0';
    if (scale == 1)
        return (int)cells;

    /* The scale note goes after the map, cut short like the map. */
    char note[48];
    int len = snprintf(note, sizeof(note), " (1 char = %zu bytes)", scale);
    for (int j = 0; j < len; j++)
        if (cells + (size_t)j + 1 < cap)
            buf[cells + (size_t)j] = note[j];
    if (cap > 0)
        buf[min_size(cells + (size_t)len, cap - 1)] = '\0';
    return (int)cells + len;
}
