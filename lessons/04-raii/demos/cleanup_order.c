/*
 * cleanup_order.c: __attribute__((cleanup)) runs on every way out of a
 * scope, in reverse order of declaration.
 *
 * Three "resources" are acquired in one function, which leaves its scope
 * in three different ways: an early return, a break out of a loop, and the
 * normal end. Each cleanup appends its resource's name to a log.
 *
 * Exits 1 if any path skips a cleanup or releases in another order than
 * C, B, A (the reverse of A, B, C).
 */
#include <stdio.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static char released[64]; /* the release order, as letters */

/* The cleanup function: receives the address of the variable. */
static void release(const char **name)
{
    if (*name) /* an empty variable holds nothing to release */
        strcat(released, *name);
}

static int acquire_three(int how)
{
    _cleanup_(release) const char *a = "A";
    _cleanup_(release) const char *b = "B";

    if (how == 1)
        return 1; /* early return: B, then A, are released */
    for (int i = 0; i < 3; i++) {
        _cleanup_(release) const char *c = "C";
        if (how == 2)
            break; /* leaving the loop's block releases C */
    }
    return 0;
}

int main(void)
{
    static const char *const expect[] = { "", "BA", "CBA", "CCCBA" };
    int ok = 1;

    for (int how = 1; how <= 3; how++) {
        released[0] = '\0';
        acquire_three(how);
        printf("path %d (%s): released %s\n", how,
               how == 1 ? "early return" : how == 2 ? "break" : "normal end",
               released);
        ok = ok && strcmp(released, expect[how]) == 0;
    }
    if (!ok) {
        puts("unexpected: a cleanup was skipped or ran out of order");
        return 1;
    }
    return 0;
}
