/*
 * zero_size.c: what glibc does with requests for zero bytes.
 *
 * The C standard lets malloc(0) return either NULL or a unique pointer,
 * and C23 makes realloc(p, 0) undefined. This shows what glibc does:
 * malloc(0) returns a real, distinct block (24 usable bytes), and
 * realloc(p, 0) frees p and returns NULL, which looks exactly like a
 * failure. The next malloc(0) gets the same address back, which shows
 * that the block was freed.
 *
 * Exits 1 if glibc behaves otherwise.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    void *a = malloc(0);
    void *b = malloc(0);

    printf("malloc(0) = %p, malloc(0) = %p, usable %zu bytes\n", a, b,
           malloc_usable_size(a));
    int ok = a != NULL && b != NULL && a != b;

    uintptr_t old = (uintptr_t)b; /* a freed pointer must not be used,
                                     not even compared */
    void *c = realloc(b, 0);
    void *d = malloc(0);

    printf("realloc(p, 0) = %p, and the next malloc(0) = %p: p was %s\n",
           c, d, (uintptr_t)d == old ? "freed" : "kept");
    ok = ok && c == NULL && (uintptr_t)d == old;

    free(a);
    free(d);
    if (!ok) {
        puts("unexpected: glibc's zero-size behaviour differs from the lesson");
        return 1;
    }
    return 0;
}
