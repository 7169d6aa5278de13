/*
 * glibc's tcache holds at most 7 chunks of each size (TCACHE_FILL_COUNT)
 * and only chunks of up to 1040 bytes: 1032 usable (glibc 2.36,
 * malloc.c: TCACHE_MAX_BINS 64, tidx2usize(63) = 63 * 16 + 32 - 8). A
 * chunk in tcache looks in use to its neighbours, so it is never merged.
 * The 8th free of a size goes on to the normal bins, which merge at once.
 *
 * Claims checked, each on chunks that sit side by side:
 *  - of 9 freed 1000-byte blocks, the first 7 stay apart and the 8th and
 *    9th merge: malloc(2000) returns the 8th;
 *  - malloc(1032) has 1032 usable bytes; two freed neighbours of that size
 *    stay apart (tcache), two of 1033 bytes merge (too big for tcache).
 * Exits 1 if glibc behaves otherwise.
 */
#include <malloc.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Allocates 2 blocks of @p size side by side (and a guard), frees both,
 * and says whether a request of both sizes gets the first one back. */
static bool two_merge(size_t size)
{
    char *a = malloc(size);
    char *b = malloc(size);
    void *guard = malloc(16);
    size_t chunk = (size_t)(b - a);
    free(a);
    free(b);
    char *both = malloc(2 * chunk - 8);
    bool merged = both == a;
    free(both);
    free(guard);
    return merged;
}

int main(void)
{
    enum { N = 9 };
    char *p[N];
    for (int i = 0; i < N; i++)
        p[i] = malloc(1000);
    void *guard = malloc(16);
    for (int i = 0; i < N; i++)
        free(p[i]);
    char *both = malloc(2000);
    bool eighth = both == p[7];
    printf("9 neighbours of 1000 bytes freed: malloc(2000) = block %s\n",
           eighth ? "8 (blocks 8 and 9 merged; 1 to 7 sit in tcache)" : "elsewhere");
    free(both);
    free(guard);

    void *probe = malloc(1032);
    size_t usable = malloc_usable_size(probe);
    free(probe);
    bool stays_1032 = !two_merge(1032);
    bool merges_1033 = two_merge(1033);
    printf("malloc(1032): %zu usable bytes; two freed neighbours %s\n", usable,
           stays_1032 ? "stay apart (tcache)" : "merge");
    printf("malloc(1033): two freed neighbours %s\n",
           merges_1033 ? "merge (too big for tcache)" : "stay apart");
    if (eighth && usable == 1032 && stays_1032 && merges_1033)
        return 0;
    puts("CONTRADICTS THE LESSON");
    return 1;
}
