/*
 * Small chunks that do not fit in tcache (the 8th of a size and on) go to
 * glibc's fastbins, which do not merge them either. malloc_consolidate()
 * merges them later: glibc 2.36 calls it on a request of 1024 bytes or
 * more (_int_malloc, "largebin" sizes), when a free leaves a chunk of
 * FASTBIN_CONSOLIDATION_THRESHOLD (64 KiB) or more (_int_free), when the
 * top chunk is too small for a request (_int_malloc, use_top), and in
 * malloc_trim() and mallopt().
 *
 * Claims checked: two neighbouring 32-byte chunks in the fastbins stay
 * apart through small requests; a malloc(1100), or the free of a 70 KiB
 * block, merges them, and malloc(56) (a 64-byte chunk) then gets them
 * back as one. Each case runs in a child of its own. Exits 1 if glibc
 * behaves otherwise.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { NOTHING, LARGE_REQUEST, FREE_64K };

/* Puts two neighbouring chunks in the fastbins, triggers @p how, and
 * exits 0 if malloc(56) returned the first of them. */
static void scenario(int how)
{
    void *fill[7];
    for (int i = 0; i < 7; i++)
        fill[i] = malloc(24);
    char *a = malloc(24), *b = malloc(24);
    void *guard = malloc(24);
    void *big = malloc(70 << 10); /* last: it borders the top chunk */
    for (int i = 0; i < 7; i++)
        free(fill[i]); /* tcache's 7 for this size */
    free(a);
    free(b); /* fastbins */
    void *large = how == LARGE_REQUEST ? malloc(1100) : NULL;
    if (how == FREE_64K)
        free(big); /* merges with the top chunk: well over 64 KiB */
    char *c = malloc(56);
    (void)guard;
    (void)large;
    exit(c == a ? 0 : 1);
}

static bool merged_after(int how)
{
    pid_t pid = fork();
    if (pid == 0)
        scenario(how);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(void)
{
    bool none = merged_after(NOTHING);
    bool large = merged_after(LARGE_REQUEST);
    bool big_free = merged_after(FREE_64K);
    printf("two fastbin neighbours, then malloc(56): %s\n",
           none ? "merged" : "not merged (they wait in the fastbins)");
    printf("  after malloc(1100):                    %s\n",
           large ? "merged (malloc_consolidate ran)" : "not merged");
    printf("  after free() of a 70 KiB block:        %s\n",
           big_free ? "merged (malloc_consolidate ran)" : "not merged");
    if (!none && large && big_free)
        return 0;
    puts("CONTRADICTS THE LESSON");
    return 1;
}
