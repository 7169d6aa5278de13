/*
 * glibc maps a large request with mmap only as a last resort: when no free
 * chunk and not the top chunk can serve it. The 128 KiB threshold decides
 * what happens then, not before (glibc 2.36, malloc.c: sysmalloc(), the
 * only caller of mmap for a request, runs when the bins and the top chunk
 * have failed).
 *
 * Claim checked: with 400 KiB of freed blocks in the middle of the brk
 * heap, malloc(200 KiB) is served from them, inside the heap, with no
 * mapping; with nothing free, the same request gets a mapping of its own.
 * Exits 1 if glibc behaves otherwise.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { SMALL = 4000, COUNT = 100, BIG = 200 << 10 };

static bool in_brk_heap(const void *p, const void *start)
{
    return (uintptr_t)p >= (uintptr_t)start && (uintptr_t)p < (uintptr_t)sbrk(0);
}

int main(void)
{
    void *start = sbrk(0);
    void *first = malloc(BIG);
    bool first_mapped = !in_brk_heap(first, start) && mallinfo2().hblks == 1;
    printf("nothing free:      malloc(200 KiB) = %p, %s\n", first,
           first_mapped ? "a mapping of its own" : "inside the brk heap");
    free(first);

    void *blocks[COUNT];
    for (int i = 0; i < COUNT; i++)
        blocks[i] = malloc(SMALL);
    void *guard = malloc(SMALL); /* keeps the freed run off the top */
    for (int i = 0; i < COUNT; i++)
        free(blocks[i]);
    void *second = malloc(BIG);
    bool second_mapped = !in_brk_heap(second, start) || mallinfo2().hblks != 0;
    printf("400 KiB freed:     malloc(200 KiB) = %p, %s\n", second,
           second_mapped ? "a mapping of its own" : "inside the brk heap, from the freed blocks");
    free(second);
    free(guard);
    if (first_mapped && !second_mapped)
        return 0;
    puts("CONTRADICTS THE LESSON");
    return 1;
}
