/*
 * early_drop_bug.c: releasing a _cleanup_ variable early without
 * resetting it. The cleanup at the end of the scope releases it again.
 *
 * Run it under Valgrind: "Invalid free()", the block "free'd" at the early
 * drop.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static void freep(void *p)
{
    free(*(void **)p);
}

int main(void)
{
    _cleanup_(freep) char *big = malloc(1 << 20);

    if (!big)
        return 1;
    memset(big, 'x', 1 << 20);
    printf("used the megabyte: %c\n", big[12345]);
    free(big); /* early drop: the megabyte is not needed any more */
    /* BUG: big still points to the freed block; the fix is big = NULL
     * (or free(TAKE_PTR(big))). */

    puts("...long work without the megabyte...");
    return 0; /* freep(&big) frees the block a second time */
}
