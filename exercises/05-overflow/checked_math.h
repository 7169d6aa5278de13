/**
 * @file checked_math.h
 * @brief Addition, subtraction and multiplication that report overflow
 *        instead of producing a wrong number.
 *
 * Unsigned arithmetic (`size_t`) wraps: SIZE_MAX + 1 is 0, 0 - 1 is
 * SIZE_MAX. Signed arithmetic (`int`) that overflows is undefined
 * behaviour: the compiler may assume it never happens, so a check written
 * after the operation (`if (a + b < a)`) may be deleted. Each function here
 * checks before it computes, or uses a way that cannot overflow
 * (GCC's `__builtin_add_overflow` and friends, C23's `ckd_add`).
 *
 * Every function stores the exact mathematical result in @c *result when it
 * fits in the type, and returns 0. When it does not fit, it returns
 * -EOVERFLOW and leaves @c *result untouched.
 */
#ifndef CHECKED_MATH_H
#define CHECKED_MATH_H

#include <stddef.h>

/**
 * @brief Computes @p a + @p b for sizes.
 * @param[in]  a      first operand.
 * @param[in]  b      second operand.
 * @param[out] result receives the sum; untouched on failure.
 * @return 0; -EOVERFLOW if the sum exceeds SIZE_MAX; -EINVAL if @p result
 *         is NULL.
 */
int size_add(size_t a, size_t b, size_t *result);

/**
 * @brief Computes @p a - @p b for sizes.
 * @param[in]  a      the size to subtract from.
 * @param[in]  b      the size to subtract.
 * @param[out] result receives the difference; untouched on failure.
 * @return 0; -EOVERFLOW if @p b is larger than @p a (the difference would
 *         be negative); -EINVAL if @p result is NULL.
 */
int size_sub(size_t a, size_t b, size_t *result);

/**
 * @brief Computes @p a * @p b for sizes, such as a count times an element
 *        size.
 * @param[in]  a      first factor.
 * @param[in]  b      second factor.
 * @param[out] result receives the product; untouched on failure.
 * @return 0; -EOVERFLOW if the product exceeds SIZE_MAX; -EINVAL if
 *         @p result is NULL.
 */
int size_mul(size_t a, size_t b, size_t *result);

/**
 * @brief Computes @p a + @p b for ints, without undefined behaviour.
 * @param[in]  a      first operand.
 * @param[in]  b      second operand, of either sign.
 * @param[out] result receives the sum; untouched on failure.
 * @return 0; -EOVERFLOW if the sum is above INT_MAX or below INT_MIN;
 *         -EINVAL if @p result is NULL.
 */
int int_add(int a, int b, int *result);

/**
 * @brief Computes @p a - @p b for ints, without undefined behaviour.
 * @param[in]  a      the int to subtract from.
 * @param[in]  b      the int to subtract, of either sign.
 * @param[out] result receives the difference; untouched on failure.
 * @return 0; -EOVERFLOW if the difference is above INT_MAX or below
 *         INT_MIN (0 - INT_MIN is one such case); -EINVAL if @p result is
 *         NULL.
 */
int int_sub(int a, int b, int *result);

/**
 * @brief Computes @p a * @p b for ints, without undefined behaviour.
 * @param[in]  a      first factor, of either sign.
 * @param[in]  b      second factor, of either sign.
 * @param[out] result receives the product; untouched on failure.
 * @return 0; -EOVERFLOW if the product is above INT_MAX or below INT_MIN
 *         (INT_MIN * -1 is one such case); -EINVAL if @p result is NULL.
 */
int int_mul(int a, int b, int *result);

#endif /* CHECKED_MATH_H */
