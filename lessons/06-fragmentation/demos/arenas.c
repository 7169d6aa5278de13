/*
 * glibc gives threads arenas of their own, so that they do not fight over
 * one lock: each arena is a heap of its own, with its own free memory that
 * other threads cannot use. MALLOC_ARENA_MAX caps their number.
 *
 * Claim checked: 8 threads that allocate at the same time make glibc use
 * more than one arena; with MALLOC_ARENA_MAX=1 it uses exactly one.
 * The demo runs itself again with the variable set. Exits 1 otherwise.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { THREADS = 8 };

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

int main(int argc, char **argv)
{
    pthread_t threads[THREADS];
    pthread_barrier_init(&all_in, NULL, THREADS);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    int arenas = count_arenas();
    const char *max = getenv("MALLOC_ARENA_MAX");
    printf("MALLOC_ARENA_MAX=%s: %d threads used %d arena%s\n", max ? max : "(unset)",
           THREADS, arenas, arenas == 1 ? "" : "s");

    if (argc > 1) /* the second run, with MALLOC_ARENA_MAX=1 */
        return arenas == 1 ? 0 : 1;
    if (arenas < 2)
        return 1;
    setenv("MALLOC_ARENA_MAX", "1", 1);
    fflush(stdout); /* exec would drop what is still buffered */
    execl("/proc/self/exe", argv[0], "capped", (char *)NULL);
    return 1;
}
