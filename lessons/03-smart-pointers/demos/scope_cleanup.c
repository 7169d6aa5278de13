/*
 * scope_cleanup.c: __attribute__((cleanup)), a GCC and Clang extension,
 * as systemd wraps it (_cleanup_, freep, TAKE_PTR).
 *
 * Claims checked (exits 1 if one is false here):
 * 1. The cleanup function runs when the variable goes out of scope, on
 *    every path out: the normal end and an early return.
 * 2. Variables are cleaned up in reverse order of declaration.
 * 3. TAKE_PTR moves the pointer out, so the cleanup sees NULL and frees
 *    nothing: ownership leaves the scope with the return value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* Moves the pointer out of p and leaves NULL behind (a GNU statement
 * expression, as systemd's TAKE_PTR). */
#define TAKE_PTR(p) ({ __typeof__(p) taken_ = (p); (p) = NULL; taken_; })

static int frees;        /* non-NULL blocks freed by freep */
static char order[8];    /* names of the variables freed, in order */

static void freep(void *slot)
{
    char *block = *(char **)slot;

    if (block) {
        strncat(order, block, 1); /* each block starts with its name */
        frees++;
    }
    free(block);
}

/* Returns a new "greeting" string, or NULL (and leaks nothing) if fail. */
static char *make_greeting(int fail)
{
    _cleanup_(freep) char *a = strdup("a: first");
    _cleanup_(freep) char *b = strdup("b: second");

    if (!a || !b || fail)
        return NULL; /* both freed here, b then a */
    return TAKE_PTR(b); /* b leaves; only a is freed */
}

int main(void)
{
    char *kept = make_greeting(0);
    printf("success path: %d block(s) freed (%s), returned \"%s\"\n",
           frees, order, kept ? kept : "(null)");
    int ok = kept && frees == 1 && strcmp(order, "a") == 0;
    free(kept);

    frees = 0;
    order[0] = '\0';
    char *none = make_greeting(1);
    printf("early return: %d block(s) freed, in order %s\n", frees, order);
    ok = ok && !none && frees == 2 && strcmp(order, "ba") == 0;
    return ok ? 0 : 1;
}
