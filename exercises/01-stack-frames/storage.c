/*
 * storage.c: a count kept across calls, a count kept per thread, and names
 * that outlive every call. The contract is in storage.h; the lesson's
 * "Where every object lives" section shows each storage duration and where
 * this machine puts it.
 */
#include "storage.h"

#include <stddef.h>

unsigned storage_call_count(void)
{
    unsigned calls = 0; /* automatic: created again, at 0, by every call */

    /* TODO: give `calls` static storage duration, so that it keeps its
     * value between calls, then count this call and return the count. */
    (void)calls;
    return 0;
}

unsigned storage_thread_call_count(void)
{
    /* TODO: the same, with one counter per thread (_Thread_local). */
    return 0;
}

const char *storage_month_name(int month)
{
    (void)month;
    /* TODO: return one of twelve string literals, or NULL outside 1..12. */
    return NULL;
}
