/*
 * uninit_cleanup_bug.c: a _cleanup_ variable declared without an
 * initial value. A return before its first assignment runs its cleanup on
 * whatever the stack held.
 *
 * Run it under Valgrind: "Conditional jump or move depends on
 * uninitialised value(s)" inside free, and the free of a garbage pointer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static void freep(void *p)
{
    free(*(void **)p);
}

/* Returns a copy of name, or NULL when name is empty. */
static char *copy_name(const char *name)
{
    _cleanup_(freep) char *copy; /* BUG: not initialised */

    if (name[0] == '\0')
        return NULL; /* freep(&copy) runs on garbage */
    copy = strdup(name);
    if (!copy)
        return NULL;
    char *result = copy;
    copy = NULL; /* TAKE_PTR by hand */
    return result;
}

int main(void)
{
    char *name = copy_name("ada");

    printf("copied %s\n", name ? name : "(null)");
    free(name);
    printf("empty name gives %p\n", (void *)copy_name(""));
    return 0;
}
