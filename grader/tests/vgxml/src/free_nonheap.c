/* BUG: frees a local variable, then a pointer into the middle of a block. */
#include <stdlib.h>

static void release(void *p)
{
    free(p);
}

int main(void)
{
    int local = 0;
    release(&local);
    char *text = malloc(10);
    release(text + 4);
    free(text);
    return 0;
}
