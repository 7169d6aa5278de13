/*
 * parse_int.c: the program to repair.
 *
 * This file compiles and seems to work. It has two bugs; the contract in
 * parse_int.h is right.
 *
 * The tests find the first one: read their messages.
 *
 * The second is an overrun of a local array. Once the first is fixed,
 * every test passes under Valgrind, which cannot see it, and every test
 * still loses its memory half in the grader's AddressSanitizer run. Run
 * `make check-fast LESSON=05` and read the report from its first line (the
 * lesson's "Which tool sees what" reads one). Each fix is one line.
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

    if (len == 0 || !isdigit((unsigned char)digits[0])) /* strtol would skip spaces */
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
