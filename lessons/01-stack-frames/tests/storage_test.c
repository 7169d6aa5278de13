/*
 * storage_test.c: static and thread storage duration, and string literals.
 * Each test runs in a fresh process, so the counters start from scratch in
 * every test.
 */
#include "course_test.h"
#include "course_thread.h"
#include "alloc_faults.h"
#include "storage.h"

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* What a thread saw of the counters. */
struct counts {
    unsigned shared[3]; /* three storage_call_count() results */
    unsigned own[3];    /* three storage_thread_call_count() results */
};

static void *count_on_a_thread(void *arg)
{
    struct counts *seen = arg;

    for (int i = 0; i < 3; i++) {
        seen->shared[i] = storage_call_count();
        seen->own[i] = storage_thread_call_count();
    }
    return NULL;
}

/* Runs count_on_a_thread on a new thread and waits for it. */
static void count_on_new_thread(struct counts *seen)
{
    pthread_t thread;

    cr_assert(eq(int, course_thread_start(&thread, count_on_a_thread, seen), 0),
              "the test could not start a thread");
    pthread_join(thread, NULL);
}

/*
 * Tells whether addr lies in a mapping of this process that is not
 * writable (the program's read-only data, where string literals live).
 */
static bool in_read_only_memory(const void *addr)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    bool read_only = false;

    cr_assert(ne(ptr, maps, NULL), "the test could not read /proc/self/maps");
    while (fgets(line, sizeof line, maps)) {
        unsigned long start, end;
        char perms[5];

        if (sscanf(line, "%lx-%lx %4s", &start, &end, perms) == 3
            && start <= (uintptr_t)addr && (uintptr_t)addr < end) {
            read_only = perms[0] == 'r' && perms[1] == '-';
            break;
        }
    }
    fclose(maps);
    return read_only;
}

GRADED_TEST(storage, call_count_counts_from_one, 1,
            .description = "storage_call_count returns 1, 2, 3 on successive calls")
{
    for (unsigned expected = 1; expected <= 3; expected++)
        cr_assert(eq(u32, storage_call_count(), expected),
                  "call %u should return %u: a count kept in an automatic "
                  "local starts again at every call; give it static storage "
                  "duration (a static local), and count before returning",
                  expected, expected);
}

GRADED_TEST(storage, call_count_is_one_object_for_all_threads, 1, .timeout = 5,
            .description = "storage_call_count counts the calls of every thread")
{
    struct counts seen = { { 0 }, { 0 } };

    cr_assert(eq(u32, storage_call_count(), 1), "the first call should return 1");
    count_on_new_thread(&seen);
    cr_assert(eq(u32, seen.shared[0], 2),
              "after one call on the main thread, the first call on another "
              "thread should return 2, not %u: the count must be one object "
              "for the whole program (static), not one per thread",
              seen.shared[0]);
    cr_assert(eq(u32, storage_call_count(), 5),
              "after 1 call here and 3 on the other thread, this call is the "
              "5th");
}

GRADED_TEST(storage, thread_count_is_one_object_per_thread, 2, .timeout = 5,
            .description = "storage_thread_call_count counts each thread's calls apart")
{
    struct counts first = { { 0 }, { 0 } };
    struct counts second = { { 0 }, { 0 } };

    cr_assert(eq(u32, storage_thread_call_count(), 1), "the first call should return 1");
    cr_assert(eq(u32, storage_thread_call_count(), 2),
              "the second call on the same thread should return 2: the count "
              "must survive between calls (an automatic local does not)");
    count_on_new_thread(&first);
    count_on_new_thread(&second);
    for (int i = 0; i < 3; i++) {
        cr_assert(eq(u32, first.own[i], (unsigned)i + 1),
                  "a new thread's call %d should return %d, not %u: each "
                  "thread needs its own count (_Thread_local), starting at 0",
                  i + 1, i + 1, first.own[i]);
        cr_assert(eq(u32, second.own[i], (unsigned)i + 1),
                  "another new thread's call %d should return %d, not %u: "
                  "each thread's count starts at 0", i + 1, i + 1, second.own[i]);
    }
    cr_assert(eq(u32, storage_thread_call_count(), 3),
              "the main thread's count should go on from 2 to 3, whatever "
              "the other threads did");
}

GRADED_TEST(storage, month_name_gives_each_month, 1,
            .description = "storage_month_name(1..12) returns January..December")
{
    static const char *const expected[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December",
    };

    for (int month = 1; month <= 12; month++) {
        const char *name = storage_month_name(month);

        cr_assert(ne(ptr, (void *)name, NULL), "month %d is valid: expected a name", month);
        cr_assert(eq(str, (char *)name, (char *)expected[month - 1]),
                  "month %d should be %s (month 1 is the first name: index "
                  "month - 1)", month, expected[month - 1]);
    }
}

GRADED_TEST(storage, month_name_rejects_other_numbers, 1,
            .description = "storage_month_name returns NULL outside 1..12")
{
    const int invalid[] = { 0, 13, -1, INT_MIN, INT_MAX };

    cr_assert(ne(ptr, (void *)storage_month_name(1), NULL), "month 1 is valid");
    cr_assert(ne(ptr, (void *)storage_month_name(12), NULL), "month 12 is valid");
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        cr_assert(eq(ptr, (void *)storage_month_name(invalid[i]), NULL),
                  "month %d is not in 1..12: return NULL (and never index "
                  "the table with it)", invalid[i]);
}

GRADED_TEST(storage, month_name_is_a_string_literal, 2,
            .description = "the names are string literals: read-only, one "
                           "object each, never copied or allocated")
{
    const char *january = storage_month_name(1);

    cr_assert(ne(ptr, (void *)january, NULL), "month 1 is valid: expected a name");
    for (int month = 2; month <= 12; month++)
        cr_assert(ne(ptr, (void *)storage_month_name(month), NULL), "month %d is valid", month);
    cr_assert(eq(str, (char *)january, "January"),
              "the name of month 1 changed when other names were asked for: "
              "a copy into one static buffer is shared by every call; return "
              "the literal itself");
    cr_assert(eq(ptr, (void *)storage_month_name(1), (void *)january),
              "two calls for month 1 returned two different pointers: a "
              "string literal is one object, with one address");
    cr_assert(eq(sz, alloc_stats().allocs, 0),
              "storage_month_name allocated %zu block(s): a string literal "
              "already lives for the whole program", alloc_stats().allocs);
    cr_assert(in_read_only_memory(january),
              "\"January\" is at %p, in writable memory: string literals are "
              "in the program's read-only data. Return a pointer to the "
              "literal, not to a copy in an array", (void *)january);
}
