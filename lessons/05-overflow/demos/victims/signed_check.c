/*
 * signed_check.c: a victim, not a demo. next_is_bigger(a) asks whether
 * a + 1 > a, an overflow check written after the fact. For a == INT_MAX
 * the addition overflows, which is undefined behaviour: at -O0 gcc
 * computes it and the addition wraps; at -O2 gcc reasons that a + 1 > a
 * always holds for ints and returns 1 without adding. demos/defences.c
 * builds it both ways and with -fsanitize=undefined.
 */
#include <limits.h>
#include <stdio.h>

static __attribute__((noinline)) int next_is_bigger(int a)
{
    int next = a + 1; /* BUG: overflows for INT_MAX */

    return next > a;
}

int main(void)
{
    printf("next_is_bigger(INT_MAX) = %d\n", next_is_bigger(INT_MAX));
    return 0;
}
