/*
 * count_race.c: four threads add 1 to a shared counter a million times
 * each, once with `count++` and once with atomic_fetch_add().
 *
 * `count++` on a plain variable is a load, an add and a store; two threads
 * that interleave them both store the same value and one increment is
 * lost. (Two threads writing a plain variable at once is a data race,
 * undefined behaviour in C11: this demo does it on purpose, to measure
 * it.) Claim checked: the plain counter loses updates, the atomic one
 * none. Exits 1 if either is false here. On a busy machine the threads
 * may happen to run one after another and lose nothing, so the plain race
 * is run up to ATTEMPTS times, until it loses an update.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#define THREADS 4
#define ADDS 1000000L /* per thread */
#define ATTEMPTS 10   /* a busy machine may run the threads one after another */

static long plain_count;          /* updated with ++: not atomic */
static atomic_long atomic_count;  /* updated with atomic_fetch_add */

static void *add_plain(void *arg)
{
    (void)arg;
    for (long i = 0; i < ADDS; i++)
        plain_count++; /* load, add, store: three steps */
    return NULL;
}

static void *add_atomic(void *arg)
{
    (void)arg;
    for (long i = 0; i < ADDS; i++)
        atomic_fetch_add_explicit(&atomic_count, 1, memory_order_relaxed);
    return NULL;
}

/* Runs work on THREADS threads at once; returns 0 or 1 on failure. */
static int run(void *(*work)(void *))
{
    pthread_t threads[THREADS];

    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&threads[i], NULL, work, NULL) != 0)
            return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    return 0;
}

int main(void)
{
    const long expected = THREADS * ADDS;

    int attempt = 0;
    do {
        plain_count = 0;
        if (run(add_plain))
            return 1;
    } while (plain_count == expected && ++attempt < ATTEMPTS);
    if (run(add_atomic))
        return 1;
    long atomic_total = atomic_load(&atomic_count);
    printf("expected            %9ld\n", expected);
    printf("count++             %9ld  (%ld updates lost, %.1f%%)\n",
           plain_count, expected - plain_count,
           100.0 * (double)(expected - plain_count) / (double)expected);
    printf("atomic_fetch_add    %9ld  (%ld lost)\n", atomic_total,
           expected - atomic_total);
    if (attempt > 0 && plain_count < expected)
        printf("(count++ lost nothing in its first %d run%s: the threads ran one "
               "after another)\n", attempt, attempt == 1 ? "" : "s");
    return plain_count < expected && atomic_total == expected ? 0 : 1;
}
