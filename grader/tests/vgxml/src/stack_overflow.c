/* BUG: the recursion has no base case. */
#include <stdio.h>

static unsigned long depth(unsigned long n)
{
    volatile char pad[256];
    pad[0] = (char)n;
    return depth(n + 1) + (unsigned long)pad[0];
}

int main(void)
{
    printf("%lu\n", depth(0));
    return 0;
}
