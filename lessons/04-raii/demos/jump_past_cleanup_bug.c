/*
 * jump_past_cleanup_bug.c: a goto that jumps over a _cleanup_ declaration.
 *
 * The jump skips the initialisation of buf, but not its scope: at the end
 * of the scope freep(&buf) runs on an indeterminate value (C11 6.2.4p6: a
 * variable whose declaration is jumped over has an indeterminate value).
 * GCC 12 compiles this without a word, even with -Wall -Wextra; Clang 14
 * refuses it: "cannot jump from this goto statement to its label".
 * Valgrind shows the free of garbage:
 *
 *   valgrind ./jump_past_cleanup_bug
 */
#include <stdio.h>
#include <stdlib.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static void freep(void *p)
{
    free(*(void **)p);
}

/* Returns 0; with fail set, it "skips the work". */
static int work(int fail)
{
    if (fail)
        goto out; /* BUG: jumps over buf's initialisation */
    _cleanup_(freep) char *buf = malloc(64);
    if (!buf)
        return -1;
    snprintf(buf, 64, "working");
out:
    return 0; /* freep(&buf) runs here on both paths */
}

int main(void)
{
    printf("work(0) = %d\n", work(0));
    printf("work(1) = %d\n", work(1));
    return 0;
}
