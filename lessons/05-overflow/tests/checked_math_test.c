/*
 * checked_math_test.c: every check is tested on both sides of its exact
 * boundary: the largest operands that fit, and one more. A failed call
 * must leave *result alone, so each test first fills it with a sentinel.
 */
#include "course_test.h"
#include "checked_math.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>

#define SIZE_SENTINEL ((size_t)0x5a5a5a5a)
#define INT_SENTINEL 0x5a5a5a5a

typedef int size_op(size_t a, size_t b, size_t *result);
typedef int int_op(int a, int b, int *result);

/* Asserts that op(a, b) fits and gives expected. */
static void size_ok(size_op *op, const char *name, size_t a, size_t b, size_t expected,
                    const char *hint)
{
    size_t r = SIZE_SENTINEL;
    int err = op(a, b, &r);

    cr_assert(eq(int, err, 0), "%s(%zu, %zu) fits and must return 0, not %d. %s",
              name, a, b, err, hint);
    cr_assert(eq(sz, r, expected), "%s(%zu, %zu) should give %zu, not %zu", name, a, b,
              expected, r);
}

/* Asserts that op(a, b) overflows and leaves the result alone. */
static void size_overflows(size_op *op, const char *name, size_t a, size_t b, const char *hint)
{
    size_t r = SIZE_SENTINEL;
    int err = op(a, b, &r);

    cr_assert(eq(int, err, -EOVERFLOW), "%s(%zu, %zu) does not fit: return -EOVERFLOW, "
              "not %d. %s", name, a, b, err, hint);
    cr_assert(eq(sz, r, SIZE_SENTINEL), "%s must leave *result untouched when it returns "
              "-EOVERFLOW", name);
}

static void int_ok(int_op *op, const char *name, int a, int b, int expected, const char *hint)
{
    int r = INT_SENTINEL;
    int err = op(a, b, &r);

    cr_assert(eq(int, err, 0), "%s(%d, %d) fits and must return 0, not %d. %s", name, a, b,
              err, hint);
    cr_assert(eq(int, r, expected), "%s(%d, %d) should give %d, not %d", name, a, b,
              expected, r);
}

static void int_overflows(int_op *op, const char *name, int a, int b, const char *hint)
{
    int r = INT_SENTINEL;
    int err = op(a, b, &r);

    cr_assert(eq(int, err, -EOVERFLOW), "%s(%d, %d) does not fit in an int: return "
              "-EOVERFLOW, not %d. %s", name, a, b, err, hint);
    cr_assert(eq(int, r, INT_SENTINEL), "%s must leave *result untouched when it returns "
              "-EOVERFLOW", name);
}

/* The function and its name, for the messages. */
#define ASSERT_SIZE_OK(op, a, b, expected, hint) size_ok(op, #op, a, b, expected, hint)
#define ASSERT_SIZE_OVERFLOW(op, a, b, hint) size_overflows(op, #op, a, b, hint)
#define ASSERT_INT_OK(op, a, b, expected, hint) int_ok(op, #op, a, b, expected, hint)
#define ASSERT_INT_OVERFLOW(op, a, b, hint) int_overflows(op, #op, a, b, hint)

GRADED_TEST(checked_math, size_add_stops_at_size_max, 3,
            .description = "size_add adds up to exactly SIZE_MAX and reports a sum past it instead of wrapping")
{
    ASSERT_SIZE_OK(size_add, 2, 3, 5, "");
    ASSERT_SIZE_OK(size_add, 0, 0, 0, "");
    ASSERT_SIZE_OK(size_add, SIZE_MAX - 1, 1, SIZE_MAX, "SIZE_MAX itself fits: check for an off-by-one");
    ASSERT_SIZE_OK(size_add, 1, SIZE_MAX - 1, SIZE_MAX, "SIZE_MAX itself fits: check for an off-by-one");
    ASSERT_SIZE_OK(size_add, SIZE_MAX, 0, SIZE_MAX, "adding 0 never overflows");
    ASSERT_SIZE_OK(size_add, 7, 8, 15, "");
    ASSERT_SIZE_OVERFLOW(size_add, SIZE_MAX, 1, "SIZE_MAX + 1 wraps to 0");
    ASSERT_SIZE_OVERFLOW(size_add, 1, SIZE_MAX, "1 + SIZE_MAX wraps to 0");
    ASSERT_SIZE_OVERFLOW(size_add, SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, "the sum is SIZE_MAX + 1");
    ASSERT_SIZE_OVERFLOW(size_add, SIZE_MAX, SIZE_MAX, "");
}

GRADED_TEST(checked_math, size_sub_stops_at_zero, 3,
            .description = "size_sub subtracts down to exactly 0 and reports b > a, the len - 1 of an empty input")
{
    ASSERT_SIZE_OK(size_sub, 5, 3, 2, "");
    ASSERT_SIZE_OK(size_sub, 1, 1, 0, "a - a is 0, which fits: check for an off-by-one");
    ASSERT_SIZE_OK(size_sub, SIZE_MAX, SIZE_MAX, 0, "a - a is 0, which fits");
    ASSERT_SIZE_OK(size_sub, SIZE_MAX, 0, SIZE_MAX, "");
    ASSERT_SIZE_OK(size_sub, 9, 4, 5, "");
    ASSERT_SIZE_OVERFLOW(size_sub, 0, 1, "0 - 1 is the len - 1 of an empty input: it wraps to SIZE_MAX");
    ASSERT_SIZE_OVERFLOW(size_sub, 3, 4, "");
    ASSERT_SIZE_OVERFLOW(size_sub, 0, SIZE_MAX, "");
}

GRADED_TEST(checked_math, size_mul_reports_wrapping, 4,
            .description = "size_mul multiplies up to the largest product, gives 0 for a zero factor, and reports count * size past SIZE_MAX")
{
    ASSERT_SIZE_OK(size_mul, 3, 5, 15, "");
    ASSERT_SIZE_OVERFLOW(size_mul, SIZE_MAX / 3 + 1, 3, "the product is SIZE_MAX + 3: compare with SIZE_MAX / b");
    ASSERT_SIZE_OVERFLOW(size_mul, SIZE_MAX / 8 + 1, 8, "the product wraps to 0");
    ASSERT_SIZE_OVERFLOW(size_mul, (size_t)1 << 32, (size_t)1 << 32, "2^64 wraps to 0");
    ASSERT_SIZE_OVERFLOW(size_mul, 2, SIZE_MAX, "");

    ASSERT_SIZE_OK(size_mul, 6, 7, 42, "");
    ASSERT_SIZE_OK(size_mul, SIZE_MAX / 3, 3, SIZE_MAX, "SIZE_MAX is divisible by 3, so (SIZE_MAX / 3) * 3 == SIZE_MAX fits");
    ASSERT_SIZE_OK(size_mul, SIZE_MAX / 8, 8, SIZE_MAX - 7, "");
    ASSERT_SIZE_OK(size_mul, 1, SIZE_MAX, SIZE_MAX, "");
    ASSERT_SIZE_OK(size_mul, 0, SIZE_MAX, 0, "0 times anything is 0: do not divide by a zero factor");
    ASSERT_SIZE_OK(size_mul, SIZE_MAX, 0, 0, "anything times 0 is 0: do not divide by a zero factor");
    ASSERT_SIZE_OK(size_mul, 0, 0, 0, "do not divide by a zero factor");
}

GRADED_TEST(checked_math, int_add_reports_overflow_both_ways, 4,
            .description = "int_add adds ints of either sign up to INT_MAX and down to INT_MIN, and reports sums past either")
{
    ASSERT_INT_OK(int_add, 40, 2, 42, "");
    ASSERT_INT_OVERFLOW(int_add, INT_MAX, 1, "");
    ASSERT_INT_OVERFLOW(int_add, 1, INT_MAX, "");
    ASSERT_INT_OVERFLOW(int_add, INT_MAX / 2 + 1, INT_MAX / 2 + 1, "");
    ASSERT_INT_OK(int_add, -40, -2, -42, "");
    ASSERT_INT_OVERFLOW(int_add, INT_MIN, -1, "two negative operands can go below INT_MIN");
    ASSERT_INT_OVERFLOW(int_add, -1, INT_MIN, "two negative operands can go below INT_MIN");
    ASSERT_INT_OVERFLOW(int_add, INT_MIN, INT_MIN, "");

    ASSERT_INT_OK(int_add, 2, -5, -3, "");
    ASSERT_INT_OK(int_add, INT_MAX - 1, 1, INT_MAX, "INT_MAX itself fits");
    ASSERT_INT_OK(int_add, INT_MIN + 1, -1, INT_MIN, "INT_MIN itself fits");
    ASSERT_INT_OK(int_add, INT_MAX, INT_MIN, -1, "operands of opposite signs never overflow");
    ASSERT_INT_OK(int_add, INT_MIN, 0, INT_MIN, "");
}

GRADED_TEST(checked_math, int_sub_reports_overflow, 3,
            .description = "int_sub reaches INT_MAX and INT_MIN exactly, and reports INT_MIN - 1, INT_MAX - -1 and 0 - INT_MIN")
{
    ASSERT_INT_OK(int_sub, 50, 8, 42, "");
    ASSERT_INT_OVERFLOW(int_sub, INT_MIN, 1, "");
    ASSERT_INT_OVERFLOW(int_sub, INT_MAX, -1, "subtracting a negative adds");
    ASSERT_INT_OVERFLOW(int_sub, 0, INT_MIN, "-INT_MIN is INT_MAX + 1: it has no int");
    ASSERT_INT_OVERFLOW(int_sub, INT_MAX, INT_MIN, "");

    ASSERT_INT_OK(int_sub, 2, 5, -3, "");
    ASSERT_INT_OK(int_sub, INT_MIN + 1, 1, INT_MIN, "INT_MIN itself fits");
    ASSERT_INT_OK(int_sub, INT_MAX - 1, -1, INT_MAX, "INT_MAX itself fits");
    ASSERT_INT_OK(int_sub, -1, INT_MIN, INT_MAX, "-1 - INT_MIN is exactly INT_MAX");
    ASSERT_INT_OK(int_sub, INT_MIN, INT_MIN, 0, "");
}

GRADED_TEST(checked_math, int_mul_reports_overflow, 3,
            .description = "int_mul multiplies every sign combination that fits, and reports products past INT_MAX or INT_MIN")
{
    ASSERT_INT_OK(int_mul, 7, 6, 42, "");
    ASSERT_INT_OVERFLOW(int_mul, 46341, 46341, "46341^2 is above INT_MAX");
    ASSERT_INT_OVERFLOW(int_mul, -46341, -46341, "two negatives make a positive, here above INT_MAX");
    ASSERT_INT_OVERFLOW(int_mul, INT_MIN / 2 - 1, 2, "the product is below INT_MIN");
    ASSERT_INT_OVERFLOW(int_mul, 2, INT_MIN / 2 - 1, "the product is below INT_MIN");
    ASSERT_INT_OVERFLOW(int_mul, INT_MAX, 2, "");
    ASSERT_INT_OVERFLOW(int_mul, INT_MIN, 2, "");

    ASSERT_INT_OK(int_mul, 6, 7, 42, "");
    ASSERT_INT_OK(int_mul, -6, 7, -42, "");
    ASSERT_INT_OK(int_mul, 6, -7, -42, "");
    ASSERT_INT_OK(int_mul, -6, -7, 42, "");
    ASSERT_INT_OK(int_mul, 46340, 46340, 2147395600, "46340^2 fits in an int");
    ASSERT_INT_OK(int_mul, -46340, -46340, 2147395600, "46340^2 fits in an int");
    ASSERT_INT_OK(int_mul, INT_MIN / 2, 2, INT_MIN, "INT_MIN itself fits");
    ASSERT_INT_OK(int_mul, 2, INT_MIN / 2, INT_MIN, "INT_MIN itself fits");
    ASSERT_INT_OK(int_mul, INT_MAX, -1, -INT_MAX, "");
    ASSERT_INT_OK(int_mul, -1, INT_MAX, -INT_MAX, "");
    ASSERT_INT_OK(int_mul, INT_MIN, 1, INT_MIN, "");
    ASSERT_INT_OK(int_mul, 0, INT_MIN, 0, "do not divide by a zero factor");
    ASSERT_INT_OK(int_mul, INT_MIN, 0, 0, "do not divide by a zero factor");
}

GRADED_TEST(checked_math, int_mul_reports_int_min_times_minus_one, 2,
            .description = "int_mul reports INT_MIN * -1, the one product of magnitude-1 factors that overflows")
{
    ASSERT_INT_OK(int_mul, INT_MIN, 1, INT_MIN, "");
    ASSERT_INT_OVERFLOW(int_mul, INT_MIN, -1, "-INT_MIN is INT_MAX + 1 (and INT_MIN / -1 traps: never divide by it)");
    ASSERT_INT_OVERFLOW(int_mul, -1, INT_MIN, "-INT_MIN is INT_MAX + 1 (and INT_MIN / -1 traps: never divide by it)");
}

GRADED_TEST(checked_math, rejects_null_result, 1,
            .description = "every function returns -EINVAL for a NULL result")
{
    size_t s = 0;
    int i = 0;

    cr_assert(eq(int, size_add(1, 2, &s), 0), "size_add(1, 2) must work first");
    cr_assert(eq(int, size_add(1, 2, NULL), -EINVAL), "size_add: result == NULL gives -EINVAL");
    cr_assert(eq(int, size_sub(2, 1, NULL), -EINVAL), "size_sub: result == NULL gives -EINVAL");
    cr_assert(eq(int, size_mul(1, 2, NULL), -EINVAL), "size_mul: result == NULL gives -EINVAL");
    cr_assert(eq(int, int_add(1, 2, &i), 0), "int_add(1, 2) must work first");
    cr_assert(eq(int, int_add(1, 2, NULL), -EINVAL), "int_add: result == NULL gives -EINVAL");
    cr_assert(eq(int, int_sub(1, 2, NULL), -EINVAL), "int_sub: result == NULL gives -EINVAL");
    cr_assert(eq(int, int_mul(1, 2, NULL), -EINVAL), "int_mul: result == NULL gives -EINVAL");
}
