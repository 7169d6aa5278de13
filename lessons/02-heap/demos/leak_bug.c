/*
 * leak_bug.c: a function returns a new block, and its caller never frees it.
 *
 * greeting() is correct: it documents that the caller owns the result.
 * main() is the bug: each turn of the loop drops the only pointer to a
 * block, which can then never be freed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns a new string "Hello, NAME!", owned by the caller, or NULL. */
static char *greeting(const char *name)
{
    size_t size = strlen("Hello, !") + strlen(name) + 1;
    char *text = malloc(size);

    if (text)
        snprintf(text, size, "Hello, %s!", name);
    return text;
}

int main(void)
{
    for (int i = 0; i < 3; i++) {
        char *text = greeting("heap");

        if (!text)
            return 1;
        puts(text);
    } /* BUG: text goes out of scope without free(text) */
    return 0;
}
