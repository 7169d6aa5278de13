/* BUG: tests a malloc'ed counter that was never set. */
#include <stdio.h>
#include <stdlib.h>

static int *counter_new(void)
{
    return malloc(sizeof(int));
}

int main(void)
{
    int *count = counter_new();
    if (*count > 0)
        puts("positive");
    free(count);
    return 0;
}
