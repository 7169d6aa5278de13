/*
 * moved_twice_bug.c: ownership "moved" by copying the pointer.
 *
 * The owner hands its buffer to a queue but keeps its own copy of the
 * pointer, so two variables believe they own one block, and both free
 * it. Valgrind reports an invalid free. The fix is a move that empties
 * the source: `queue.item = TAKE_PTR(item);` or box_take(&item).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct queue {
    char *item; /* owned by the queue */
};

int main(void)
{
    struct queue queue = { 0 };
    char *item = strdup("job 42");

    if (!item)
        return 1;
    queue.item = item; /* BUG: a copy, not a move: item still points to it */
    printf("queued \"%s\"\n", queue.item);

    free(queue.item); /* the queue frees what it owns */
    free(item);       /* and the old owner frees it again */
    return 0;
}
