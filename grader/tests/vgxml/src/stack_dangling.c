/* BUG: keeps the address of a local array after its function returned. */
#include <stdio.h>

static int *first;

static void fill(void)
{
    int values[64];
    for (int i = 0; i < 64; i++)
        values[i] = i;
    first = &values[0];
}

int main(void)
{
    fill();
    printf("%d\n", *first);
    return 0;
}
