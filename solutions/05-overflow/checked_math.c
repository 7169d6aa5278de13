/*
 * checked_math.c: arithmetic that reports overflow.
 *
 * Every check compares against a limit *before* computing, with an
 * operation that cannot itself overflow: a subtraction from the limit, or a
 * division of it. The signed cases split on the sign of the operands,
 * because INT_MIN has no positive counterpart: -INT_MIN overflows, and so
 * does INT_MIN / -1. (GCC's __builtin_add_overflow family does the same in
 * one call; this file spells the checks out to show what they are.)
 */
#include "checked_math.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

int size_add(size_t a, size_t b, size_t *result)
{
    if (!result)
        return -EINVAL;
    if (b > SIZE_MAX - a)
        return -EOVERFLOW;
    *result = a + b;
    return 0;
}

int size_sub(size_t a, size_t b, size_t *result)
{
    if (!result)
        return -EINVAL;
    if (b > a)
        return -EOVERFLOW;
    *result = a - b;
    return 0;
}

int size_mul(size_t a, size_t b, size_t *result)
{
    if (!result)
        return -EINVAL;
    if (a != 0 && b > SIZE_MAX / a)
        return -EOVERFLOW;
    *result = a * b;
    return 0;
}

int int_add(int a, int b, int *result)
{
    if (!result)
        return -EINVAL;
    if (b > 0 ? a > INT_MAX - b : a < INT_MIN - b)
        return -EOVERFLOW;
    *result = a + b;
    return 0;
}

int int_sub(int a, int b, int *result)
{
    if (!result)
        return -EINVAL;
    if (b < 0 ? a > INT_MAX + b : a < INT_MIN + b)
        return -EOVERFLOW;
    *result = a - b;
    return 0;
}

/* Whether a * b fits in an int. Each branch divides a limit by a factor
 * whose sign it knows, so no division overflows (never INT_MIN / -1) and
 * none divides by zero. */
static bool int_mul_fits(int a, int b)
{
    if (a == 0 || b == 0)
        return true;
    if (a > 0)
        return b > 0 ? a <= INT_MAX / b  /* + * + */
                     : b >= INT_MIN / a; /* + * - */
    return b > 0 ? a >= INT_MIN / b      /* - * + */
                 : a >= INT_MAX / b;     /* - * -: both negative, product positive */
}

int int_mul(int a, int b, int *result)
{
    if (!result)
        return -EINVAL;
    if (!int_mul_fits(a, b))
        return -EOVERFLOW;
    *result = a * b;
    return 0;
}
