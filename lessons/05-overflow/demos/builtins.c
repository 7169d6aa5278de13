/*
 * builtins.c: overflow checks the compiler does for you.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. __builtin_add_overflow and __builtin_mul_overflow return true on
 *      overflow and store the wrapped result, for size_t and int alike,
 *      INT_MIN * -1 included;
 *   2. __builtin_sub_overflow(0, 1, &size) reports the len - 1 of an empty
 *      input;
 *   3. C23's <stdckdint.h> (ckd_add, ckd_sub, ckd_mul) is not in gcc 12:
 *      it arrived in gcc 14. The builtins are what it is made of.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -O0 -g builtins.c -o builtins
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static bool check(bool ok, const char *claim)
{
    if (!ok)
        printf("CONTRADICTS THE LESSON: %s\n", claim);
    return ok;
}

int main(void)
{
    size_t size;
    int i;
    bool ok = true, overflow;

    overflow = __builtin_add_overflow(SIZE_MAX, (size_t)1, &size);
    printf("__builtin_add_overflow(SIZE_MAX, 1)   -> %-5s, wrapped result %zu\n",
           overflow ? "true" : "false", size);
    ok &= check(overflow && size == 0, "SIZE_MAX + 1 overflows and wraps to 0");

    overflow = __builtin_sub_overflow((size_t)0, (size_t)1, &size);
    printf("__builtin_sub_overflow(0, 1)          -> %-5s, wrapped result %zu\n",
           overflow ? "true" : "false", size);
    ok &= check(overflow && size == SIZE_MAX, "0 - 1 overflows a size_t and wraps to SIZE_MAX");

    overflow = __builtin_mul_overflow(SIZE_MAX / 8 + 1, (size_t)8, &size);
    printf("__builtin_mul_overflow(SIZE_MAX/8+1, 8) -> %-5s, wrapped result %zu\n",
           overflow ? "true" : "false", size);
    ok &= check(overflow && size == 0, "(SIZE_MAX / 8 + 1) * 8 overflows and wraps to 0");

    overflow = __builtin_add_overflow(INT_MAX, 1, &i);
    printf("__builtin_add_overflow(INT_MAX, 1)    -> %-5s, wrapped result %d\n",
           overflow ? "true" : "false", i);
    ok &= check(overflow && i == INT_MIN, "INT_MAX + 1 overflows; the builtin wraps without UB");

    overflow = __builtin_mul_overflow(INT_MIN, -1, &i);
    printf("__builtin_mul_overflow(INT_MIN, -1)   -> %-5s, wrapped result %d\n",
           overflow ? "true" : "false", i);
    ok &= check(overflow && i == INT_MIN, "INT_MIN * -1 overflows");

#if defined(__has_include) && __has_include(<stdckdint.h>)
    const bool has_ckd = true;
#else
    const bool has_ckd = false;
#endif
    printf("<stdckdint.h> (C23 ckd_add) with gcc %d: %s\n", __GNUC__,
           has_ckd ? "available" : "not available");
    ok &= check(has_ckd == (__GNUC__ >= 14), "<stdckdint.h> comes with gcc 14");
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
