/*
 * checked_math.c: arithmetic that reports overflow.
 * The contract is in checked_math.h; the lesson's "Integer overflow that
 * becomes a memory overflow" section shows the checks.
 */
#include "checked_math.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

int size_add(size_t a, size_t b, size_t *result)
{
    (void)a;
    (void)b;
    (void)result;
    /* TODO: a + b exceeds SIZE_MAX exactly when b > SIZE_MAX - a. */
    return -ENOSYS;
}

int size_sub(size_t a, size_t b, size_t *result)
{
    (void)a;
    (void)b;
    (void)result;
    /* TODO: a size cannot go below 0. */
    return -ENOSYS;
}

int size_mul(size_t a, size_t b, size_t *result)
{
    (void)a;
    (void)b;
    (void)result;
    /* TODO: compare with SIZE_MAX / a, and think about a == 0. */
    return -ENOSYS;
}

int int_add(int a, int b, int *result)
{
    (void)a;
    (void)b;
    (void)result;
    /* TODO: check before adding: a + b is undefined if it overflows. */
    return -ENOSYS;
}

int int_sub(int a, int b, int *result)
{
    (void)a;
    (void)b;
    (void)result;
    /* TODO: check before subtracting; b may be negative, or INT_MIN. */
    return -ENOSYS;
}

int int_mul(int a, int b, int *result)
{
    (void)a;
    (void)b;
    (void)result;
    /* TODO: check before multiplying, case by case on the signs. */
    return -ENOSYS;
}
