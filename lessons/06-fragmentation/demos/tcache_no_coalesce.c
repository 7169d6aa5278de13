/*
 * glibc does not coalesce small freed chunks at once: tcache (and the
 * fastbins behind it) keep them whole, ready for a request of the same
 * size. Two neighbouring 32-byte chunks, both freed, do not serve one
 * request of their combined size.
 *
 * Claim checked: after free(a) and free(b), where b's chunk follows a's,
 * malloc(40) (a 48-byte chunk) does not return a; a request of a's own
 * size gets a back. Exits 1 if glibc behaves otherwise.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char *a = malloc(24);
    char *b = malloc(24);
    char *guard = malloc(24); /* keeps b away from the top chunk */
    if (!a || !b || !guard)
        return 1;
    /* Addresses kept as numbers: comparing freed pointers is not allowed. */
    uintptr_t a_at = (uintptr_t)a, b_at = (uintptr_t)b;
    printf("a = %p, b = %p: b is %td bytes after a\n", (void *)a, (void *)b, b - a);

    free(a);
    free(b);
    char *both = malloc(40);
    printf("after free(a), free(b): malloc(40) = %p (%s)\n", (void *)both,
           (uintptr_t)both == a_at ? "a: coalesced" : "not a: a and b stay two chunks");
    char *again = malloc(24);
    printf("malloc(24) = %p (%s)\n", (void *)again,
           (uintptr_t)again == b_at ? "b, the last freed: tcache is LIFO" : "elsewhere");

    bool ok = b_at - a_at == 32 && (uintptr_t)both != a_at
              && (uintptr_t)again == b_at;
    free(both);
    free(again);
    free(guard);
    return ok ? 0 : 1;
}
