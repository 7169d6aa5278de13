/*
 * usable_size.c: how much room malloc really gives you.
 *
 * glibc serves a request of n bytes with a chunk of
 * max(32, round_up(n + 8, 16)) bytes, 8 of which hold its bookkeeping, so
 * malloc_usable_size() reports the chunk size minus 8: 24 for any request
 * up to 24, then 40, 56, 72... A program may only use the n bytes it asked
 * for; the slack is why a one-byte overflow often goes unnoticed without
 * Valgrind.
 *
 * Exits 1 if any request from 0 to 1024 bytes breaks that formula.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

static size_t expected_usable(size_t n)
{
    size_t chunk = (n + 8 + 15) & ~(size_t)15;

    return (chunk < 32 ? 32 : chunk) - 8;
}

int main(void)
{
    static const size_t shown[] = { 0, 1, 24, 25, 40, 41, 100, 1000 };
    int ok = 1;

    for (size_t n = 0; n <= 1024; n++) {
        void *block = malloc(n);

        if (!block)
            return 1;
        if (malloc_usable_size(block) != expected_usable(n))
            ok = 0;
        free(block);
    }

    printf("malloc(n)  usable bytes\n");
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        void *block = malloc(shown[i]);

        if (!block)
            return 1;
        printf("%9zu  %12zu\n", shown[i], malloc_usable_size(block));
        free(block);
    }
    if (!ok) {
        puts("unexpected: usable sizes do not follow the lesson's formula");
        return 1;
    }
    return 0;
}
