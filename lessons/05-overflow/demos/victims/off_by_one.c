/*
 * off_by_one.c: a victim, not a demo. fill() writes one int past the end
 * of a local array: the loop runs while i <= 8 instead of i < 8. Nothing
 * visible happens: the extra int lands in the frame's padding. Memcheck
 * does not see it; AddressSanitizer does. demos/defences.c runs it under
 * both.
 */
#include <stdio.h>

static int fill(void)
{
    int squares[8];
    int sum = 0;

    for (int i = 0; i <= 8; i++) /* BUG: <= writes squares[8] */
        squares[i] = i * i;
    for (int i = 0; i < 8; i++)
        sum += squares[i];
    return sum;
}

int main(void)
{
    printf("sum of the first 8 squares: %d\n", fill());
    return 0;
}
