/* BUG: sums into a local that was never set to 0. */
#include <stdio.h>

static int sum(const int *values, int n)
{
    int total;
    for (int i = 0; i < n; i++)
        total += values[i];
    return total;
}

int main(void)
{
    int values[3] = { 1, 2, 3 };
    if (sum(values, 3) == 6)
        puts("six");
    return 0;
}
