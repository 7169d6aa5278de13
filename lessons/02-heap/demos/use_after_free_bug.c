/*
 * use_after_free_bug.c: a pointer into a block that realloc moved.
 *
 * realloc may move the block; when it does, it frees the old one, and
 * every pointer into the old block dangles. Here `first` is kept across
 * the realloc and read afterwards.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    int *items = malloc(2 * sizeof *items);

    if (!items)
        return 1;
    items[0] = 10;
    items[1] = 20;

    int *first = &items[0]; /* points into the current block */
    int *grown = realloc(items, 1000 * sizeof *grown);
    if (!grown) {
        free(items);
        return 1;
    }
    items = grown;

    printf("first = %d\n", *first); /* BUG: reads the freed old block */
    free(items);
    return 0;
}
