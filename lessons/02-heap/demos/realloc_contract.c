/*
 * realloc_contract.c: realloc may move a block, and keeps it when it fails.
 *
 * 1. Grows a block that has a neighbour right after it: realloc has to
 *    move it, copies the contents, and the old address becomes invalid.
 * 2. Grows the last block of the heap: realloc can extend it in place.
 * 3. Asks for more memory than the machine has: realloc returns NULL, sets
 *    errno to ENOMEM, and the old block is still there, unchanged.
 *
 * Exits 1 if the contents do not survive a move, or if a failed realloc
 * does not return NULL with the old block intact.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *text = malloc(16);
    char *neighbour = malloc(16); /* sits right after text */

    if (!text || !neighbour)
        return 1;
    strcpy(text, "still here");

    uintptr_t old = (uintptr_t)text; /* an integer: a freed pointer must
                                        not even be compared */
    char *grown = realloc(text, 4000);
    if (!grown)
        return 1;
    text = grown;
    printf("1. realloc(p, 4000) with a neighbour: %#zx -> %p (%s), \"%s\"\n",
           (size_t)old, (void *)text,
           (uintptr_t)text == old ? "same place" : "moved", text);
    int ok = strcmp(text, "still here") == 0;

    char *last = malloc(100);
    if (!last)
        return 1;
    old = (uintptr_t)last;
    grown = realloc(last, 200);
    if (!grown)
        return 1;
    last = grown;
    printf("2. realloc(q, 200) of the last block: %#zx -> %p (%s)\n",
           (size_t)old, (void *)last,
           (uintptr_t)last == old ? "same place" : "moved");

    errno = 0;
    grown = realloc(text, PTRDIFF_MAX);
    if (grown) {
        text = grown; /* not expected: this machine is not that big */
        ok = 0;
    } else {
        printf("3. realloc(p, PTRDIFF_MAX) = NULL, errno %s, p still holds "
               "\"%s\"\n", errno == ENOMEM ? "ENOMEM" : "other", text);
        ok = ok && errno == ENOMEM && strcmp(text, "still here") == 0;
    }

    free(text);
    free(neighbour);
    free(last);
    if (!ok) {
        puts("unexpected: realloc broke the contract the lesson states");
        return 1;
    }
    return 0;
}
