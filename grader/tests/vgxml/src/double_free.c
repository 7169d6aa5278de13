/* BUG: frees the same block twice, once in list_clear and again in main. */
#include <stdlib.h>

static void list_clear(int *items)
{
    free(items);
}

int main(void)
{
    int *items = malloc(10 * sizeof *items);
    list_clear(items);
    free(items);
    return 0;
}
