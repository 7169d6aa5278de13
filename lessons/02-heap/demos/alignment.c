/*
 * alignment.c: the alignments of C types, of malloc, and of aligned_alloc.
 *
 * malloc does not know what you will store in a block, so it returns
 * addresses aligned for any type: a multiple of alignof(max_align_t).
 * A stricter alignment (a cache line, a page) needs aligned_alloc.
 *
 * Exits 1 if malloc's blocks are not aligned to alignof(max_align_t), if
 * that is not 16, or if aligned_alloc misses the alignment it was given.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SHOW(type) printf("%-22s %6zu %6zu\n", #type, sizeof(type), \
                          alignof(type))

struct mixed {
    char c;
    double d;
};

int main(void)
{
    int ok = alignof(max_align_t) == 16;

    printf("%-22s %6s %6s\n", "type", "sizeof", "alignof");
    SHOW(char);
    SHOW(short);
    SHOW(int);
    SHOW(double);
    SHOW(void *);
    SHOW(long double);
    SHOW(struct mixed);
    SHOW(max_align_t);

    /* Every malloc result, whatever the size, is a multiple of 16. */
    size_t misaligned = 0;
    for (size_t n = 1; n <= 4096; n++) {
        void *block = malloc(n);

        if (!block)
            return 1;
        if ((uintptr_t)block % alignof(max_align_t) != 0)
            misaligned++;
        free(block);
    }
    printf("\nmalloc(1) .. malloc(4096): %zu results not %zu-aligned\n",
           misaligned, alignof(max_align_t));
    ok = ok && misaligned == 0;

    static const size_t aligns[] = { 64, 4096 };
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        void *block = aligned_alloc(aligns[i], aligns[i]);

        if (!block)
            return 1;
        printf("aligned_alloc(%zu, %zu) = %p, address %% %zu = %zu\n",
               aligns[i], aligns[i], block, aligns[i],
               (size_t)((uintptr_t)block % aligns[i]));
        ok = ok && (uintptr_t)block % aligns[i] == 0;
        free(block);
    }

    /* 48 is not a power of two. What this C library does with it is its
     * own business: the standard only promises failure for alignments it
     * does not support. Printed, not checked. */
    void *odd = aligned_alloc(48, 96);
    printf("aligned_alloc(48, 96) = %p", odd);
    if (odd)
        printf(", address %% 48 = %zu, address %% 64 = %zu",
               (size_t)((uintptr_t)odd % 48), (size_t)((uintptr_t)odd % 64));
    printf("\n");
    free(odd);

    if (!ok) {
        puts("unexpected: alignments differ from the lesson's");
        return 1;
    }
    return 0;
}
