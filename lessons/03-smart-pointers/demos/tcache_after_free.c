/*
 * tcache_after_free.c: why an assert in unref cannot catch an unref after
 * the free, on glibc.
 *
 * rc.c keeps the count at offset 0 of its block, and asserts in unref that
 * the count was positive. One unref too many comes after the block was
 * freed. glibc's free() puts a small block on a per-thread cache list (the
 * tcache) and writes the list's link at offset 0 of the block: since glibc
 * 2.32 that link is "safe-linked", (address >> 12) XOR next, which is
 * never 0. So the second unref reads a large number where the count was,
 * the assert passes, and the decrement writes into the allocator's list.
 * Only a tool that tracks freed blocks (Valgrind, AddressSanitizer) sees
 * the unref after free.
 *
 * This demo reads a freed block on purpose, once, to show what is there
 * (undefined behaviour: never do it in real code). It does not decrement.
 *
 * Exits 1 if the word at offset 0 after free() reads 0 or the old count,
 * that is, if the assert would have caught the bug here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* rc.c's layout: the count first. */
struct rc {
    size_t count;
    void (*destroy)(void *);
    size_t size;
    unsigned char data[24];
};

int main(void)
{
    struct rc *rc = malloc(sizeof *rc);
    if (!rc)
        return 1;
    rc->count = 1;
    printf("before free: count at %p is %zu\n", (void *)&rc->count, rc->count);

    volatile size_t *count = &rc->count; /* what a second owner still has */
    rc->count--; /* the last unref: the count reaches 0 ... */
    free(rc);    /* ... and the block is freed */

    /* The bug: one unref too many. It reads the count of a freed block. */
    size_t seen = *count;
    uintptr_t safe_linked_empty = (uintptr_t)count >> 12; /* link to no next */

    printf("after free:  count reads %#zx (address >> 12 is %#zx: %s)\n", seen,
           (size_t)safe_linked_empty,
           seen == safe_linked_empty ? "glibc's tcache link, to an empty list"
                                     : "a tcache link to another free block");
    printf("assert(count > 0) %s\n", seen > 0 ? "passes: the bug goes unseen"
                                             : "fails: the bug is caught");
    if (seen == 0 || seen == 1) {
        puts("unexpected: see the lesson's rule 4 of reference counting");
        return 1;
    }
    return 0;
}
