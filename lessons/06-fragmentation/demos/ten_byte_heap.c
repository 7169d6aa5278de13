/*
 * The lesson's 10-byte heap, frame by frame, drawn as the heapsim exercise
 * draws it: a letter per byte of a live block, '-' per free byte. The heap
 * grows 4 bytes at a time when no hole fits; a block takes the low end of
 * its hole.
 *
 * Claims checked: after "free a", 9 bytes are free in holes of 5 and 4;
 * after "alloc c 2" with first fit, 7 are free (3 + 4) and no hole holds
 * 5, so "alloc a 5" grows the heap to 14 (8 live bytes: 57 %); with best
 * fit, c takes the 4-byte hole and a fits without growing. Exits 1
 * otherwise.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum { MAX = 64, GROW = 4 };

struct heap {
    char map[MAX + 1]; /* the drawing, NUL-terminated */
    size_t size;       /* bytes in the heap */
    bool best;         /* best fit, else first fit */
};

/* The offset of the hole chosen for @p n bytes, or -1. */
static long find_hole(const struct heap *h, size_t n)
{
    long found = -1;
    size_t found_len = 0;
    for (size_t at = 0; at < h->size;) {
        size_t len = strspn(h->map + at, "-");
        if (len >= n && (found < 0 || (h->best && len < found_len))) {
            found = (long)at;
            found_len = len;
        }
        at += len ? len : 1;
    }
    return found;
}

static void alloc(struct heap *h, char name, size_t n)
{
    long at = find_hole(h, n);
    if (at < 0) {
        size_t tail = 0;
        while (tail < h->size && h->map[h->size - 1 - tail] == '-')
            tail++;
        at = (long)(h->size - tail);
        while (h->size - (size_t)at < n) {
            memset(h->map + h->size, '-', GROW);
            h->size += GROW;
            h->map[h->size] = '\0';
        }
    }
    memset(h->map + at, name, n);
    printf("  alloc %c %zu   %s\n", name, n, h->map);
}

static void release(struct heap *h, char name)
{
    for (size_t i = 0; i < h->size; i++)
        if (h->map[i] == name)
            h->map[i] = '-';
    printf("  free %c      %s\n", name, h->map);
}

/* Free bytes, and the longest hole in *longest. */
static size_t free_bytes(const struct heap *h, size_t *longest)
{
    size_t total = 0;
    *longest = 0;
    for (size_t at = 0; at < h->size;) {
        size_t len = strspn(h->map + at, "-");
        total += len;
        *longest = len > *longest ? len : *longest;
        at += len ? len : 1;
    }
    return total;
}

/* Runs the lesson's five steps; returns the final size. */
static size_t run(struct heap *h, bool *ok)
{
    size_t longest;
    memset(h->map, '-', 10);
    h->map[10] = '\0';
    h->size = 10;
    printf("%s:\n", h->best ? "best fit" : "first fit");
    alloc(h, 'a', 5);
    alloc(h, 'b', 1);
    release(h, 'a');
    *ok &= free_bytes(h, &longest) == 9 && longest == 5;
    alloc(h, 'c', 2);
    size_t after_c = free_bytes(h, &longest);
    printf("              %zu bytes free, longest hole %zu\n", after_c, longest);
    if (!h->best)
        *ok &= after_c == 7 && longest == 4;
    alloc(h, 'a', 5);
    return h->size;
}

int main(void)
{
    bool ok = true;
    struct heap first = { .best = false }, best = { .best = true };
    size_t first_size = run(&first, &ok);
    printf("  heap %zu bytes for 8 live: utilization %.0f %%\n", first_size,
           100.0 * 8 / (double)first_size);
    size_t best_size = run(&best, &ok);
    printf("  heap %zu bytes for 8 live: utilization %.0f %%\n", best_size,
           100.0 * 8 / (double)best_size);
    if (ok && first_size == 14 && best_size == 10)
        return 0;
    puts("CONTRADICTS THE LESSON");
    return 1;
}
