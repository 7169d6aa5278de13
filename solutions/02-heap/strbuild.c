/*
 * Building new strings in blocks of exactly the right size.
 *
 * Every function works in two passes: first it measures the result,
 * counting the NUL byte, with every addition and multiplication checked
 * against STR_SIZE_MAX; then it allocates exactly that many bytes and
 * copies the pieces in with memcpy, whose lengths are already known.
 */
#include "strbuild.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Largest block we ask for, in bytes: GCC and glibc support no larger
 * object (their limit, not ISO C's). */
#define STR_SIZE_MAX ((size_t)PTRDIFF_MAX)

/* Adds n to *size, which is at most STR_SIZE_MAX. Returns false, leaving
 * *size alone, if the sum would be larger than STR_SIZE_MAX. */
static bool size_add(size_t *size, size_t n)
{
    if (n > STR_SIZE_MAX - *size)
        return false;
    *size += n;
    return true;
}

/* Copies the n bytes at src to dst; returns the end of the copy. */
static char *append(char *dst, const char *src, size_t n)
{
    memcpy(dst, src, n);
    return dst + n;
}

char *str_concat(const char *a, const char *b)
{
    const char *const parts[] = { a, b };

    return str_join(parts, 2, "");
}

char *str_join(const char *const *parts, size_t n, const char *sep)
{
    size_t sep_len = strlen(sep);
    size_t size = 1; /* the NUL */

    for (size_t i = 0; i < n; i++) {
        bool fits = size_add(&size, strlen(parts[i]));

        if (fits && i > 0)
            fits = size_add(&size, sep_len);
        if (!fits) {
            errno = ENOMEM;
            return NULL;
        }
    }

    char *joined = malloc(size);
    if (!joined)
        return NULL;

    char *end = joined;
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            end = append(end, sep, sep_len);
        end = append(end, parts[i], strlen(parts[i]));
    }
    *end = '\0';
    return joined;
}

char *str_repeat(const char *s, size_t times)
{
    size_t len = strlen(s);

    /* len * times + 1 <= STR_SIZE_MAX, decided by division. */
    if (len != 0 && times > (STR_SIZE_MAX - 1) / len) {
        errno = ENOMEM;
        return NULL;
    }
    size_t total = len * times;

    char *repeated = malloc(total + 1);
    if (!repeated)
        return NULL;
    /* Stepping by len, not counting to times: an empty s must not loop
     * SIZE_MAX times doing nothing. */
    for (size_t done = 0; done < total; done += len)
        memcpy(repeated + done, s, len);
    repeated[total] = '\0';
    return repeated;
}
