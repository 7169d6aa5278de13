#include "counting.h"

#include <stdlib.h>

int *counting_new(int n)
{
    if (n <= 0)
        return NULL;
    int *values = malloc((size_t)n * sizeof(*values));
    if (!values)
        return NULL;
    for (int i = 0; i < n; i++)
        values[i] = i;
    return values;
}

long counting_sum(const int *values, int n)
{
    long total = 0;
    for (int i = 0; i < n; i++)
        total += values[i];
    return total;
}
