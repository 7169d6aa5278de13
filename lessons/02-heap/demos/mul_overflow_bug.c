/*
 * mul_overflow_bug.c: malloc(count * size) with a count that wraps.
 *
 * The count would come from a file or the network; here it is a
 * constant. count * sizeof(uint64_t) wraps around to 8, malloc happily
 * returns an 8-byte block, and the loop writes past it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Returns a new array of count ids, the first few of them numbered. */
static uint64_t *make_ids(size_t count)
{
    uint64_t *ids = malloc(count * sizeof *ids); /* BUG: may wrap */

    if (!ids)
        return NULL;
    for (size_t i = 0; i < count && i < 4; i++)
        ids[i] = i;
    return ids;
}

int main(void)
{
    uint64_t *ids = make_ids(SIZE_MAX / sizeof(uint64_t) + 2);

    if (!ids)
        return 1;
    printf("ids[3] = %llu\n", (unsigned long long)ids[3]);
    free(ids);
    return 0;
}
