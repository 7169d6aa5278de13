/*
 * mul_overflow.c: the multiplication in malloc(n * size) can wrap around.
 *
 * size_t arithmetic is modulo 2^64, so a count that is too large turns
 * into a tiny byte count instead of an error. calloc and reallocarray
 * check the product and fail; a division tells in advance.
 *
 * Exits 1 if the product does not wrap as shown, or if calloc or
 * reallocarray accept it.
 */
#define _GNU_SOURCE /* reallocarray */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    size_t count = SIZE_MAX / 8 + 2; /* elements of 8 bytes */
    size_t bytes = count * 8;        /* wraps around */

    printf("count          = %zu\n", count);
    printf("count * 8      = %zu bytes\n", bytes);
    printf("count > SIZE_MAX / 8: %s\n", count > SIZE_MAX / 8 ? "yes" : "no");

    errno = 0;
    void *zeroed = calloc(count, 8);
    printf("calloc(count, 8)             = %p, errno %s\n", zeroed,
           errno == ENOMEM ? "ENOMEM" : "not set");
    int ok = zeroed == NULL && errno == ENOMEM;

    errno = 0;
    void *array = reallocarray(NULL, count, 8);
    printf("reallocarray(NULL, count, 8) = %p, errno %s\n", array,
           errno == ENOMEM ? "ENOMEM" : "not set");
    ok = ok && array == NULL && errno == ENOMEM && bytes == 8;

    free(zeroed);
    free(array);
    if (!ok) {
        puts("unexpected: the overflow did not behave as the lesson says");
        return 1;
    }
    return 0;
}
