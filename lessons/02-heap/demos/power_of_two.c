/*
 * power_of_two.c: `a & (a - 1) == 0` is not the power-of-two test it looks
 * like. `==` binds tighter than `&`, so it means `a & ((a - 1) == 0)`,
 * which is true only for a == 1. Even parenthesised, `(a & (a - 1)) == 0`
 * is true for 0, which is not a power of two. The right test is
 * `a != 0 && (a & (a - 1)) == 0`.
 *
 * gcc's -Wparentheses (in -Wall) warns about the first form: "suggest
 * parentheses around comparison in operand of '&'". This demo silences
 * that one warning to be able to show the wrong answers.
 * Exits 1 if the three expressions do not behave as the lesson says.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wparentheses"
static bool unparenthesised(size_t a)
{
    return a & (a - 1) == 0; /* means a & ((a - 1) == 0) */
}
#pragma GCC diagnostic pop

static bool accepts_zero(size_t a)
{
    return (a & (a - 1)) == 0;
}

static bool is_power_of_two(size_t a)
{
    return a != 0 && (a & (a - 1)) == 0;
}

/* The truth, by counting bits. */
static bool one_bit_set(size_t a)
{
    int bits = 0;

    for (; a != 0; a >>= 1)
        bits += (int)(a & 1);
    return bits == 1;
}

int main(void)
{
    static const size_t values[] = { 0, 1, 2, 3, 4, 6, 8, 48, 64, 4096 };
    bool as_lesson_says = true;

    printf("%6s  %-20s  %-20s  %-28s\n", "a", "a & (a - 1) == 0", "(a & (a - 1)) == 0",
           "a != 0 && (a & (a - 1)) == 0");
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        size_t a = values[i];

        printf("%6zu  %-20s  %-20s  %-28s\n", a, unparenthesised(a) ? "true" : "false",
               accepts_zero(a) ? "true" : "false", is_power_of_two(a) ? "true" : "false");
        as_lesson_says = as_lesson_says && is_power_of_two(a) == one_bit_set(a)
                         && unparenthesised(a) == (a == 1)
                         && accepts_zero(a) == (a == 0 || one_bit_set(a));
    }
    if (!as_lesson_says) {
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    return 0;
}
