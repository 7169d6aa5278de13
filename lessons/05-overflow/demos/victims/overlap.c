/*
 * overlap.c: a victim, not a demo. memcpy between overlapping ranges: the
 * C standard leaves the result undefined, and memmove is the function for
 * overlapping ranges. Whatever this prints, it is luck. demos/defences.c
 * runs it natively, under memcheck and under AddressSanitizer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    char *text = malloc(32);

    if (!text)
        return 1;
    strcpy(text, "remove the first word");
    memcpy(text, text + 7, strlen(text + 7) + 1); /* BUG: the ranges overlap: use memmove */
    puts(text);
    free(text);
    return 0;
}
