/*
 * dangling_bug.c: a pointer to a local that outlived its frame.
 *
 * Both functions return the address of their local variable. The pointer
 * survives the return; the variable does not.
 *
 * gcc spots the plain `return &answer;`, warns, and compiles it as
 * `return NULL;`. It does not spot the same address passed through another
 * variable. Reading through that pointer right away still finds 42, because
 * nothing has reused those bytes yet; after one more call, the same bytes
 * belong to that call's frame.
 *
 * This program is wrong on purpose. Run it under Valgrind to see the error:
 *   make demo LESSON=01 DEMO=dangling_bug
 * which runs: valgrind --leak-check=full build/lessons/01-stack-frames/demos/dangling_bug
 */
#include <stdio.h>

/* BUG: returns the address of a variable that dies with this frame. */
static __attribute__((noinline)) int *answer_address_plain(void)
{
    int answer = 42;

    return &answer; /* gcc warns, and returns NULL instead */
}

/* BUG: the same, through a copy of the address: gcc no longer notices. */
static __attribute__((noinline)) int *answer_address(void)
{
    int answer = 42;
    int *where = &answer;

    return where;
}

/* An innocent call whose frame lands where answer_address's was. */
static __attribute__((noinline)) long unrelated_work(void)
{
    volatile int scratch[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

    return scratch[0] + scratch[7];
}

int main(void)
{
    int *p = answer_address();
    int first = *p; /* dead frame, bytes not reused yet */

    unrelated_work();
    int second = *p; /* dead frame, bytes reused by unrelated_work */

    printf("answer_address_plain() returned %p\n", (void *)answer_address_plain());
    printf("answer_address() returned       %p\n", (void *)p);
    if (first == 42)
        puts("read right after the return: still 42");
    if (second != 42)
        printf("read after one more call: %d\n", second);
    return 0;
}
