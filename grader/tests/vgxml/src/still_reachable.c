/* BUG (mild): a global cache is never freed before exit. */
#include <stdlib.h>

static int *cache;

static void cache_init(void)
{
    cache = malloc(16 * sizeof *cache);
}

int main(void)
{
    cache_init();
    return 0;
}
