/*
 * uninit_bug.c: reading heap memory that was never written.
 *
 * malloc does not clear the block. The loop fills four scores out of
 * five, and the total then depends on whatever the fifth int held.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    enum { COUNT = 5 };
    int *scores = malloc(COUNT * sizeof *scores);

    if (!scores)
        return 1;
    for (int i = 0; i < COUNT - 1; i++) /* BUG: scores[4] is never set */
        scores[i] = 10 * i;

    int total = 0;
    for (int i = 0; i < COUNT; i++)
        total += scores[i];
    if (total > 100)
        puts("high");
    else
        puts("low");
    free(scores);
    return 0;
}
