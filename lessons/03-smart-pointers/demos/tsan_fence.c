/*
 * tsan_fence.c: ThreadSanitizer's blind spot, a standalone fence.
 *
 * Run with "fence" or "load", it is a reference count shared by two
 * threads: each writes its own half of the data, then gives back its
 * reference, and the last one reads all the data before freeing it. With
 * "fence" the last owner acquires with atomic_thread_fence(acquire), as
 * arc.c does; with "load" it does an acquire load of the count instead.
 * Both are correct C11. Run with no argument, it builds its own source
 * with -fsanitize=thread (from the course's top directory) and runs both:
 *  - GCC 12's ThreadSanitizer does not model a standalone fence, so it
 *    reports a data race on the correct "fence" version;
 *  - the "load" version, which is what Rust's Arc does when built for
 *    ThreadSanitizer, is reported clean.
 *
 * Exits 1 if ThreadSanitizer does not behave as the lesson says.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    atomic_size_t count; /* owners left */
    int half[2];         /* each owner writes its own half */
};

static bool use_fence;

/* Gives back a reference; the last owner reads the data and frees it. */
static void unref(struct shared *s)
{
    if (atomic_fetch_sub_explicit(&s->count, 1, memory_order_release) != 1)
        return;
    if (use_fence)
        atomic_thread_fence(memory_order_acquire);
    else
        (void)atomic_load_explicit(&s->count, memory_order_acquire);
    if (s->half[0] + s->half[1] != 3)
        abort();
    free(s);
}

struct owner {
    struct shared *s;
    int which;
};

static void *own(void *arg)
{
    struct owner *o = arg;
    o->s->half[o->which] = o->which + 1; /* a plain write before the unref */
    unref(o->s);
    return NULL;
}

/* The program ThreadSanitizer checks. */
static int share(void)
{
    for (int round = 0; round < 200; round++) {
        struct shared *s = calloc(1, sizeof *s);
        if (!s)
            return 2;
        atomic_init(&s->count, 2);
        struct owner owners[2] = { { s, 0 }, { s, 1 } };
        pthread_t threads[2];
        for (int i = 0; i < 2; i++)
            if (pthread_create(&threads[i], NULL, own, &owners[i]) != 0)
                return 2;
        for (int i = 0; i < 2; i++)
            pthread_join(threads[i], NULL);
    }
    return 0;
}

static int status_of(const char *command)
{
    int status = system(command);
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    if (argc == 2) {
        use_fence = strcmp(argv[1], "fence") == 0;
        return share();
    }
    char binary[64], command[8192];
    snprintf(binary, sizeof binary, "/tmp/tsan_fence_%d", (int)getpid());
    snprintf(command, sizeof command,
             "gcc -std=gnu11 -g -O1 -fsanitize=thread %s -o %s >/dev/null 2>&1",
             __FILE__, binary);
    if (status_of(command) != 0) {
        printf("could not build %s with -fsanitize=thread from here\n", __FILE__);
        return 1;
    }
    bool reported[2];
    const char *modes[2] = { "fence", "load" };
    for (int i = 0; i < 2; i++) {
        snprintf(command, sizeof command,
                 "TSAN_OPTIONS=exitcode=9 %s %s >/dev/null 2>&1", binary, modes[i]);
        reported[i] = status_of(command) == 9;
        printf("acquire by %-5s ThreadSanitizer %s\n", modes[i],
               reported[i] ? "reports a data race (a false one)" : "reports nothing");
    }
    unlink(binary);
    if (!reported[0] || reported[1]) {
        puts("unexpected: see the lesson's section on atomic counts");
        return 1;
    }
    return 0;
}
