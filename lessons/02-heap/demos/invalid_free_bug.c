/*
 * invalid_free_bug.c: freeing an address that malloc never returned.
 *
 * The loop skips leading spaces by moving the only pointer to the block,
 * so free() receives an address inside the block, not its start.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *line = strdup("  indented");

    if (!line)
        return 1;
    while (*line == ' ')
        line++; /* BUG: the start of the block is lost */
    puts(line);
    free(line); /* not an address malloc returned */
    return 0;
}
