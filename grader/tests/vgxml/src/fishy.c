/* BUG: computes a size as a difference that goes negative. */
#include <stdlib.h>

static void *slice_alloc(int begin, int end)
{
    return malloc((size_t)(end - begin));
}

int main(void)
{
    void *p = slice_alloc(5, 4);
    free(p);
    return 0;
}
