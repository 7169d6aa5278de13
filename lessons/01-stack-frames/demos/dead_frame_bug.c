/*
 * dead_frame_bug.c: how memcheck sees a dead frame depends on how far below
 * the stack pointer the bytes are.
 *
 * x86-64's System V ABI lets a function use the 128 bytes right below the
 * stack pointer without moving it (the "red zone"). So memcheck marks the
 * bytes of a frame that just died as *undefined* only within those 128
 * bytes; everything deeper is *no access*. A small local read after its
 * function returned is an uninitialised value; a local 1 KiB deep is an
 * invalid read.
 *
 * This program is wrong on purpose: run it under Valgrind,
 *   make demo LESSON=01 DEMO=dead_frame_bug
 */
#include <stdint.h>
#include <stdio.h>

/* BUG: returns the address of a small local, inside the red zone once the
 * frame is gone. */
static __attribute__((noinline)) int *small_local(void)
{
    int answer = 42;
    int *where = &answer;

    return where;
}

/* BUG: returns the address of the first element of a 1 KiB local array,
 * about 1 KiB below where the stack pointer will be after the return. */
static __attribute__((noinline)) char *big_local(void)
{
    char buffer[1024] = "hello";
    char *where = buffer;

    return where;
}

int main(void)
{
    volatile char here = 0;
    int *p = small_local();
    int small = *p; /* undefined: within the 128-byte red zone */
    char *q = big_local();
    char big = *q;  /* no access: far below the stack pointer */

    printf("small local at %p, %td bytes below main's local\n", (void *)p,
           (char *)&here - (char *)p);
    printf("big local at   %p, %td bytes below main's local\n", (void *)q,
           (char *)&here - q);
    if (small == 42)
        puts("the small local still reads 42");
    if (big == 'h')
        puts("the big local still reads 'h'");
    return 0;
}
