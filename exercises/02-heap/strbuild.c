/*
 * Building new strings in blocks of exactly the right size: your
 * implementation.
 *
 * Measure first (characters plus one byte for the NUL), then allocate
 * exactly that, then copy. Read strbuild.h for the contract.
 */
#include "strbuild.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

char *str_concat(const char *a, const char *b)
{
    /* TODO: allocate strlen(a) + strlen(b) + 1 bytes, copy a then b, end
     * with '\0'. */
    (void)a;
    (void)b;
    return NULL;
}

char *str_join(const char *const *parts, size_t n, const char *sep)
{
    /* TODO: add up the lengths of the n parts, n - 1 separators and the
     * NUL; allocate that; copy. n == 0 gives "" (parts may then be NULL). */
    (void)parts;
    (void)n;
    (void)sep;
    return NULL;
}

char *str_repeat(const char *s, size_t times)
{
    /* TODO: refuse (errno ENOMEM, NULL) when strlen(s) * times + 1 would
     * exceed PTRDIFF_MAX, deciding it by division; then allocate and copy
     * s times times. */
    (void)s;
    (void)times;
    return NULL;
}
