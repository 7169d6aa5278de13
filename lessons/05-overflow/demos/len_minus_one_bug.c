/*
 * len_minus_one_bug.c: `len - 1` when len is 0. chomp() removes a trailing
 * newline by looking at line[len - 1]. For the empty line, len - 1 is not
 * -1 but SIZE_MAX, and line[SIZE_MAX] is the byte just before the block:
 * pointer arithmetic wraps too. Valgrind reports the read.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -O0 -g len_minus_one_bug.c -o len_minus_one_bug
 * Run:   valgrind ./len_minus_one_bug
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void chomp(char *line)
{
    size_t len = strlen(line);

    if (line[len - 1] == '\n') /* BUG: for len == 0, reads line[SIZE_MAX] */
        line[len - 1] = '\0';
}

int main(void)
{
    char *line = strdup("");

    if (!line)
        return 1;
    printf("len - 1 for len 0 is %zu\n", strlen(line) - 1);
    chomp(line);
    free(line);
    return 0;
}
