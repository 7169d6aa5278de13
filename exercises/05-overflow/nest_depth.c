/*
 * nest_depth.c: balanced brackets, on a depth budget.
 * The contract is in nest_depth.h; the lesson's "A recursion with a budget"
 * section shows the pattern.
 */
#include "nest_depth.h"

#include <errno.h>

int nest_depth(const char *text, size_t len, size_t max_depth, size_t *depth)
{
    (void)text;
    (void)len;
    (void)max_depth;
    (void)depth;
    /* TODO: a recursive function that reads one level of brackets and
     * checks the budget before it calls itself for the next. */
    return -ENOSYS;
}
