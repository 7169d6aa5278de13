/*
 * chunks.c: where malloc puts your blocks, and what it puts between them.
 *
 * Allocates a few small blocks one after the other and prints their
 * addresses, the distance between them, the usable size glibc gives each
 * one, and the 8-byte size field glibc keeps just before each block.
 *
 * Reading that field means reading outside the block, which a correct
 * program never does: this peek only works on glibc, natively, and only
 * to show you what a write past the end of a block destroys.
 *
 * Last, it allocates one large block: glibc serves large requests (128 KiB
 * and more, by default) with a mapping of their own, far from the others.
 *
 * Exits 1 if what it observes contradicts the lesson: blocks 16-byte
 * aligned, a 24-byte request served by a 32-byte chunk whose size field
 * reads 0x21 (32, plus the "previous chunk in use" bit), and the large
 * block more than 1 GiB away from the small ones.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The size field glibc keeps in the 8 bytes before a block. */
static size_t chunk_field(const void *block)
{
    return ((const size_t *)block)[-1];
}

int main(void)
{
    static const size_t sizes[] = { 24, 24, 25, 1 };
    enum { COUNT = sizeof sizes / sizeof sizes[0] };
    char *blocks[COUNT];
    int ok = 1;

    /* Allocate everything before printing: printf allocates its buffer
     * on the heap too. */
    for (int i = 0; i < COUNT; i++) {
        blocks[i] = malloc(sizes[i]);
        if (!blocks[i])
            return 1;
    }

    printf("request  address          gap to next  usable  size field\n");
    for (int i = 0; i < COUNT; i++) {
        printf("%7zu  %p", sizes[i], (void *)blocks[i]);
        if (i + 1 < COUNT)
            printf("  %11td", blocks[i + 1] - blocks[i]);
        else
            printf("  %11s", "");
        printf("  %6zu  %#10zx\n", malloc_usable_size(blocks[i]),
               chunk_field(blocks[i]));
        if ((uintptr_t)blocks[i] % 16 != 0)
            ok = 0;
    }

    char *large = malloc(1 << 20);
    if (!large)
        return 1;
    printf("\nmalloc(1 MiB) = %p, size field %#zx (bit 0x2: mapped on its "
           "own)\n", (void *)large, chunk_field(large));
    uintptr_t small = (uintptr_t)blocks[0];
    uintptr_t big = (uintptr_t)large;
    uintptr_t distance = big > small ? big - small : small - big;
    ok = ok && distance > ((uintptr_t)1 << 30) && (chunk_field(large) & 0x2);
    free(large);

    ok = ok && blocks[1] - blocks[0] == 32 && chunk_field(blocks[0]) == 0x21
         && malloc_usable_size(blocks[0]) == 24
         && malloc_usable_size(blocks[2]) == 40;
    for (int i = 0; i < COUNT; i++)
        free(blocks[i]);
    if (!ok) {
        puts("unexpected: this is not the glibc layout the lesson describes");
        return 1;
    }
    return 0;
}
