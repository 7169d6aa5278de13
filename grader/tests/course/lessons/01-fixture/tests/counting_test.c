/* The grader's fixture tests: 2 + 1 + 1 = 4 points. */
#include "course_test.h"
#include "counting.h"

#include <stdlib.h>

GRADED_TEST(counting, fills_values, 2, .description = "counting_new(4) gives 0 1 2 3")
{
    int *values = counting_new(4);
    cr_assert(ne(ptr, values, NULL), "counting_new(4) returned NULL");
    for (int i = 0; i < 4; i++)
        cr_assert(eq(int, values[i], i), "values[%d] is wrong", i);
    free(values);
}

GRADED_TEST(counting, sums, 1, .description = "counting_sum adds up its values")
{
    int values[] = { 1, 2, 3 };
    cr_assert(eq(long, counting_sum(values, 3), 6), "1 + 2 + 3 must be 6");
}

GRADED_TEST(counting, rejects_zero, 1, .description = "counting_new(0) is NULL")
{
    int *values = counting_new(0);
    cr_assert(eq(ptr, values, NULL), "counting_new(0) must return NULL");
}
