/*
 * past_end_bug.c: a string copied into a block one byte too small.
 *
 * strlen() counts the characters but not the NUL that ends them, so the
 * block needs strlen(word) + 1 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    const char *word = "heap";
    char *copy = malloc(strlen(word)); /* BUG: no room for the NUL */

    if (!copy)
        return 1;
    strcpy(copy, word);
    puts(copy);
    free(copy);
    return 0;
}
