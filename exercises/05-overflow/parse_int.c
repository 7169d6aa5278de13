/*
 * parse_int.c: the program to repair.
 *
 * This file compiles, and every test passes under Valgrind. Yet it has a
 * memory error, an overrun of a local array, which memcheck cannot see.
 * The sanitizers can: run `make check-fast LESSON=05` and read the report
 * from its first line (the lesson's "Which tool sees what" reads one).
 * The fix is one line. The contract in parse_int.h is right.
 */
#include "parse_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int parse_int(const char *text, size_t len, int *value)
{
    char digits[INT_TEXT_MAX]; /* the text */

    if (!text || !value)
        return -EINVAL;
    if (len > INT_TEXT_MAX)
        return -E2BIG;
    memcpy(digits, text, len);
    digits[len] = '\0';

    if (len == 0 || isspace((unsigned char)digits[0]))
        return -EINVAL;
    char *end;
    errno = 0;
    const long number = strtol(digits, &end, 10);
    if (end != digits + len) /* no digits, or not only digits */
        return -EINVAL;
    if (errno == ERANGE || number < INT_MIN || number > INT_MAX)
        return -ERANGE;
    *value = (int)number;
    return 0;
}
