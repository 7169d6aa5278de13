/*
 * Where glibc gets memory: small blocks move the program break (brk), a
 * large one gets a mapping of its own, and free() gives back only what it
 * can: the mapping at once, the top of the brk heap only if nothing live
 * sits above it. malloc_trim() can give back free pages in the middle.
 *
 * Claims checked (exits 1 if one fails):
 *  1. 1000 small blocks move the break up; a 1 MiB block does not.
 *  2. Freeing every small block but the last one frees nothing: the
 *     break stays where it was, RSS stays high. That is fragmentation
 *     on a machine with virtual memory: bloat, not failure.
 *  3. malloc_trim(0) returns the free pages in the middle: RSS drops,
 *     although the break cannot move.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { N = 1000, SMALL = 4000 };

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = -1;
    if (f)
        fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void report(const char *when)
{
    struct mallinfo2 mi = mallinfo2();
    printf("%-34s brk %p  arena %7zu KiB  in use %7zu KiB  mmapped %5zu KiB  RSS %6ld KiB\n",
           when, sbrk(0), mi.arena / 1024, mi.uordblks / 1024, mi.hblkhd / 1024, rss_kib());
}

int main(void)
{
    static char *small[N];
    report("start");
    char *before = sbrk(0);
    for (int i = 0; i < N; i++) {
        small[i] = malloc(SMALL);
        if (!small[i])
            return 1;
        memset(small[i], 1, SMALL);
    }
    char *after_small = sbrk(0);
    report("1000 blocks of 4000 bytes");
    char *big = malloc(1 << 20);
    if (!big)
        return 1;
    memset(big, 1, 1 << 20);
    char *after_big = sbrk(0);
    report("plus one of 1 MiB");
    bool big_outside = big > after_big || big < before;
    printf("the 1 MiB block is at %p, %s the brk heap\n", (void *)big,
           big_outside ? "outside" : "inside");
    free(big);
    report("free(1 MiB block)");

    for (int i = 0; i < N - 1; i++)
        free(small[i]);
    char *after_free = sbrk(0);
    long rss_fragmented = rss_kib();
    report("free all small blocks but the last");
    malloc_trim(0);
    long rss_trimmed = rss_kib();
    report("malloc_trim(0)");
    free(small[N - 1]);

    bool ok = after_small > before && after_big == after_small
              && big_outside && after_free == after_small
              && rss_trimmed < rss_fragmented - 1024;
    return ok ? 0 : 1;
}
