/*
 * alignment.c: the alignments of C types, of malloc, and of aligned_alloc.
 *
 * malloc does not know what you will store in a block, so it returns
 * addresses aligned for any type: a multiple of alignof(max_align_t).
 * A stricter alignment (a cache line, a page) needs aligned_alloc.
 *
 * aligned_alloc(48, 96) asks for an alignment that is not a power of two.
 * C17 (DR 460) says an unsupported alignment must give NULL; glibc 2.36
 * accepts it anyway and aligns to 64. Where the 64-aligned block falls
 * depends on where the heap starts, which changes every run (ASLR); the
 * demo starts itself 60 times to count how often it is a multiple of 48.
 *
 * Exits 1 if malloc's blocks are not aligned to alignof(max_align_t), if
 * that is not 16, if aligned_alloc misses the alignment it was given, if
 * aligned_alloc(48, 96) is refused or not 64-aligned, or if (with ASLR on)
 * it is a multiple of 48 in fewer than 1/6 or more than 1/2 of the runs.
 */
#define _GNU_SOURCE
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <gnu/libc-version.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 60

#define SHOW(type) printf("%-22s %6zu %6zu\n", #type, sizeof(type), \
                          alignof(type))

struct mixed {
    char c;
    double d;
};

/* Starts this program again with --odd; returns the address it printed,
 * or 0 if it could not. */
static uintptr_t odd_in_new_process(void)
{
    int fds[2];
    uintptr_t addr = 0;

    if (pipe(fds) != 0)
        return 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        execl("/proc/self/exe", "alignment", "--odd", (char *)NULL);
        _exit(1);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    if (in) {
        unsigned long long value = 0;
        if (fscanf(in, "%llx", &value) == 1)
            addr = (uintptr_t)value;
        fclose(in);
    }
    waitpid(pid, NULL, 0);
    return addr;
}

/* Whether the glibc this program runs on is at least MAJOR.MINOR. */
static bool glibc_at_least(int major, int minor)
{
    int have_major = 0, have_minor = 0;
    if (sscanf(gnu_get_libc_version(), "%d.%d", &have_major, &have_minor) != 2)
        return false;
    return have_major > major || (have_major == major && have_minor >= minor);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--odd") == 0) {
        void *odd = aligned_alloc(48, 96);
        printf("%llx\n", (unsigned long long)(uintptr_t)odd);
        free(odd);
        return 0;
    }

    int ok = alignof(max_align_t) == 16;

    printf("%-22s %6s %6s\n", "type", "sizeof", "alignof");
    SHOW(char);
    SHOW(short);
    SHOW(int);
    SHOW(double);
    SHOW(void *);
    SHOW(long double);
    SHOW(struct mixed);
    SHOW(max_align_t);

    /* Every malloc result, whatever the size, is a multiple of 16. */
    size_t misaligned = 0;
    for (size_t n = 1; n <= 4096; n++) {
        void *block = malloc(n);

        if (!block)
            return 1;
        if ((uintptr_t)block % alignof(max_align_t) != 0)
            misaligned++;
        free(block);
    }
    printf("\nmalloc(1) .. malloc(4096): %zu results not %zu-aligned\n",
           misaligned, alignof(max_align_t));
    ok = ok && misaligned == 0;

    static const size_t aligns[] = { 64, 4096 };
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        void *block = aligned_alloc(aligns[i], aligns[i]);

        if (!block)
            return 1;
        printf("aligned_alloc(%zu, %zu) = %p, address %% %zu = %zu\n",
               aligns[i], aligns[i], block, aligns[i],
               (size_t)((uintptr_t)block % aligns[i]));
        ok = ok && (uintptr_t)block % aligns[i] == 0;
        free(block);
    }

    /* 48 is not a power of two: C17 wants NULL. glibc 2.36 gives a block;
     * glibc 2.38 and later return NULL with EINVAL. The demo checks the
     * behaviour of the glibc it runs on. */
    bool refuses = glibc_at_least(2, 38);
    errno = 0;
    void *odd = aligned_alloc(48, 96);
    int odd_errno = errno;
    printf("aligned_alloc(48, 96) = %p", odd);
    if (refuses) {
        printf(" (glibc %s refuses an alignment that is not a power of two: %s)\n",
               gnu_get_libc_version(), odd_errno == EINVAL ? "EINVAL" : "no EINVAL");
        ok = ok && odd == NULL && odd_errno == EINVAL;
        free(odd);
        if (!ok) {
            puts("CONTRADICTS THE LESSON: alignments differ from the lesson's");
            return 1;
        }
        return 0;
    }
    if (odd)
        printf(", address %% 48 = %zu, address %% 64 = %zu",
               (size_t)((uintptr_t)odd % 48), (size_t)((uintptr_t)odd % 64));
    printf("\n");
    ok = ok && odd != NULL && (uintptr_t)odd % 64 == 0;
    free(odd);

    size_t multiples = 0, same_as_first = 0;
    uintptr_t first = 0;
    for (int run = 0; run < RUNS; run++) {
        uintptr_t addr = odd_in_new_process();

        if (addr == 0 || addr % 64 != 0)
            ok = 0;
        if (run == 0)
            first = addr;
        same_as_first += addr == first;
        multiples += addr % 48 == 0;
    }
    printf("in %d new processes, aligned_alloc(48, 96) was a multiple of 48 %zu times\n",
           RUNS, multiples);
    if (same_as_first == RUNS)
        puts("(every run got the same address: address randomisation is off here)");
    else
        ok = ok && multiples >= RUNS / 6 && multiples <= RUNS / 2;

    if (!ok) {
        puts("CONTRADICTS THE LESSON: alignments differ from the lesson's");
        return 1;
    }
    return 0;
}
