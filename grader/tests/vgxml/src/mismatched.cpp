/* BUG: a block from new[] is released with free(). */
#include <cstdlib>

static int *table_new()
{
    return new int[4];
}

int main()
{
    int *table = table_new();
    std::free(table);
    return 0;
}
