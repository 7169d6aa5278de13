/*
 * realloc_leak_bug.c: p = realloc(p, n) loses the block when realloc fails.
 *
 * When realloc fails it returns NULL and leaves the old block alone. The
 * assignment overwrites the only pointer to that block with NULL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *buffer = malloc(64);

    if (!buffer)
        return 1;
    strcpy(buffer, "important data");

    buffer = realloc(buffer, (size_t)1 << 62); /* BUG: 4 EiB, fails */
    if (!buffer) {
        fputs("out of memory\n", stderr);
        return 1; /* the 64-byte block can never be freed now */
    }
    free(buffer);
    return 0;
}
