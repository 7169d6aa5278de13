/*
 * glibc gives threads arenas of their own, so that they do not fight over
 * one lock: each arena is a heap of its own, with its own free memory that
 * other threads cannot use. Their number is capped at 8 per core on a
 * 64-bit machine (glibc 2.36, malloc.c: NARENAS_FROM_NCORES(n) is n * 8,
 * applied in arena.c's arena_get2()); past that, threads share arenas.
 * MALLOC_ARENA_MAX sets another cap.
 *
 * Claims checked: 8 threads that allocate at the same time make glibc use
 * more than one arena; with MALLOC_ARENA_MAX=1 it uses exactly one; 8 per
 * core plus 8 threads use exactly 8 per core. The demo runs itself again
 * for the last two. Exits 1 otherwise.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_THREADS = 1024 };

static pthread_barrier_t all_in;

static void *worker(void *unused)
{
    (void)unused;
    pthread_barrier_wait(&all_in); /* everyone allocates at the same time */
    void *p = malloc(1000);
    pthread_barrier_wait(&all_in); /* nobody frees before all allocated */
    free(p);
    return NULL;
}

/* Counts "<heap nr=" in malloc_info()'s XML: one per arena. */
static int count_arenas(void)
{
    char *xml = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&xml, &len);
    if (!out)
        return -1;
    malloc_info(0, out);
    fclose(out);
    int arenas = 0;
    for (const char *at = xml; (at = strstr(at, "<heap nr=")); at++)
        arenas++;
    free(xml);
    return arenas;
}

/* Runs @p n threads that all allocate at once; returns the arenas used. */
static int arenas_for(int n)
{
    pthread_t threads[MAX_THREADS];
    pthread_barrier_init(&all_in, NULL, (unsigned)n);
    for (int i = 0; i < n; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < n; i++)
        pthread_join(threads[i], NULL);
    return count_arenas();
}

/* The cores glibc counts: those this process may run on. */
static int cores(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

static void run_again(char **argv, const char *mode)
{
    fflush(stdout); /* exec would drop what is still buffered */
    execl("/proc/self/exe", argv[0], mode, (char *)NULL);
    exit(1);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    const char *max = getenv("MALLOC_ARENA_MAX");
    int threads = strcmp(mode, "many") == 0 ? 8 * cores() + 8 : 8;
    if (threads > MAX_THREADS)
        return 1;
    int arenas = arenas_for(threads);
    printf("MALLOC_ARENA_MAX=%s: %d threads used %d arena%s\n", max ? max : "(unset)",
           threads, arenas, arenas == 1 ? "" : "s");

    if (strcmp(mode, "capped") == 0) {
        if (arenas != 1) {
            puts("CONTRADICTS THE LESSON");
            return 1;
        }
        unsetenv("MALLOC_ARENA_MAX");
        run_again(argv, "many");
    }
    if (strcmp(mode, "many") == 0) {
        printf("(8 arenas per core, %d cores here: %d)\n", cores(), 8 * cores());
        if (arenas == 8 * cores())
            return 0;
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    if (arenas < 2) {
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    setenv("MALLOC_ARENA_MAX", "1", 1);
    run_again(argv, "capped");
}
