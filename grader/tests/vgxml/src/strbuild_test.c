/* The course's test for strbuild.c, as the grader builds it: learner object
 * renamed with learner.syms, linked with the harness, run by Criterion. */
#include <criterion/criterion.h>
#include <criterion/new/assert.h>

char *str_concat(const char *a, const char *b);

Test(strbuild, concat_joins_two_words)
{
    char *joined = str_concat("ab", "cd");
    cr_assert(eq(str, joined, "abcd"));
}
