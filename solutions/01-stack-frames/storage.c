/*
 * storage.c: three objects that outlive a call, none of them on the heap
 * and none of them global.
 *
 * - The call count is a static local: static storage duration (one object,
 *   alive for the whole program, in the program's bss since it starts at
 *   0), but a name visible only inside its function.
 * - The per-thread count is a static _Thread_local local: each thread gets
 *   its own object, zeroed when the thread starts.
 * - The month names are string literals, which have static storage
 *   duration: returning a pointer to one is safe, unlike a pointer to a
 *   local array. The table of pointers is const and static too, so nothing
 *   is built at run time.
 */
#include "storage.h"

#include <stddef.h>

unsigned storage_call_count(void)
{
    static unsigned calls; /* starts at 0, once, before main */

    return ++calls;
}

unsigned storage_thread_call_count(void)
{
    static _Thread_local unsigned calls; /* one per thread, 0 at its start */

    return ++calls;
}

const char *storage_month_name(int month)
{
    static const char *const names[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December",
    };
    const int count = (int)(sizeof names / sizeof names[0]);

    if (month < 1 || month > count)
        return NULL;
    return names[month - 1];
}
