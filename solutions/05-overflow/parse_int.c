/*
 * parse_int.c: a decimal int from bytes that are not NUL-terminated.
 *
 * The bytes are copied into a local buffer of INT_TEXT_MAX + 1 bytes: the
 * longest accepted text and its NUL. strtol() then parses it; it accepts
 * leading spaces and stops at the first non-digit, so the code checks both
 * ends itself. strtol returns a long: the result is range-checked for int.
 */
#include "parse_int.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int parse_int(const char *text, size_t len, int *value)
{
    char digits[INT_TEXT_MAX + 1]; /* the text and its NUL */

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
