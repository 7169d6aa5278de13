/*
 * bounded.c: what the C library's "bounded" string functions do at the
 * boundary, in a 6-byte buffer.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. strncpy(buf, "stack", 6) writes "stack" and a NUL; strncpy of a
 *      6-char string writes 6 bytes and no NUL at all;
 *   2. snprintf(buf, 6, ...) always writes a NUL, and returns the length
 *      the whole text would have had: a return >= 6 means it was cut;
 *   3. strncat(buf, src, n) appends up to n bytes *and then* a NUL: n is
 *      not the buffer's size;
 *   4. memmove copies between overlapping ranges correctly.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -O0 -g bounded.c -o bounded
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE 6

/* Prints the SIZE bytes of buf, a NUL as \0 and other bytes as they are. */
static void show(const char *what, const char *buf)
{
    printf("%-34s [", what);
    for (int i = 0; i < SIZE; i++)
        printf(buf[i] ? " %c " : " \\0", buf[i]);
    puts(" ]");
}

static bool check(bool ok, const char *claim)
{
    if (!ok)
        printf("CONTRADICTS THE LESSON: %s\n", claim);
    return ok;
}

int main(void)
{
    char buf[SIZE];
    bool ok = true;

    memset(buf, '#', SIZE);
    strncpy(buf, "stack", SIZE);
    show("strncpy(buf, \"stack\", 6)", buf);
    ok &= check(buf[5] == '\0', "strncpy of 5 chars into 6 bytes ends with a NUL");

    memset(buf, '#', SIZE);
    strncpy(buf, "stacks", SIZE);
    show("strncpy(buf, \"stacks\", 6)", buf);
    ok &= check(memchr(buf, '\0', SIZE) == NULL, "strncpy of 6 chars into 6 bytes writes no NUL");

    memset(buf, '#', SIZE);
    int wanted = snprintf(buf, SIZE, "%s", "overflow");
    show("snprintf(buf, 6, \"%s\", \"overflow\")", buf);
    printf("%-34s %d: >= 6, so the text was cut\n", "  it returned", wanted);
    ok &= check(wanted == 8 && buf[5] == '\0' && strcmp(buf, "overf") == 0,
                "snprintf cuts to size - 1 chars, adds a NUL and returns the full length");

    memset(buf, '#', SIZE);
    strcpy(buf, "ab");
    strncat(buf, "cde", SIZE - strlen(buf) - 1); /* the right bound: room left minus the NUL */
    show("strncat(\"ab\", \"cde\", 6 - 2 - 1)", buf);
    ok &= check(strcmp(buf, "abcde") == 0, "strncat's n counts chars to append; it adds a NUL after them");

    char text[] = "abcdef";
    memmove(text + 1, text, 5); /* overlapping: source [0, 5), destination [1, 6) */
    printf("%-34s \"%s\"\n", "memmove(text + 1, text, 5)", text);
    ok &= check(strcmp(text, "aabcde") == 0, "memmove copies overlapping ranges as if through a temporary");
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
