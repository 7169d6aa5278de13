/*
 * race_tools.c: which tools see the count++ race of count_race.c.
 *
 * Run with the argument "race", it is the racing program: two threads add
 * 1 to a plain counter 20,000 times each, and to an atomic one. Run with
 * no argument, it runs that program under each tool and reports which
 * found a data race:
 *  - Valgrind's memcheck finds none: it checks memory, not ordering;
 *  - Valgrind's Helgrind and DRD do ("Possible data race");
 *  - GCC's ThreadSanitizer does too; this demo compiles its own source
 *    with -fsanitize=thread to show it (run it from the course's top
 *    directory, where make test runs it).
 *
 * Exits 1 if a tool does not behave as the lesson says.
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

#define ADDS 20000

static long plain;          /* updated with ++: a data race */
static atomic_long counted; /* updated with atomic_fetch_add: no race */

static void *add(void *unused)
{
    (void)unused;
    for (int i = 0; i < ADDS; i++) {
        plain++;
        atomic_fetch_add_explicit(&counted, 1, memory_order_relaxed);
    }
    return NULL;
}

/* The racing program. */
static int race(void)
{
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        if (pthread_create(&threads[i], NULL, add, NULL) != 0)
            return 2;
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    return 0;
}

/* Runs command quietly; returns its exit status, or -1. */
static int status_of(const char *command)
{
    int status = system(command);
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs this program's race under one Valgrind tool; true if the tool
 * reported an error (its --error-exitcode). */
static bool valgrind_finds(const char *self, const char *tool)
{
    char command[8192];
    snprintf(command, sizeof command,
             "valgrind -q --tool=%s --error-exitcode=9 %s race >/dev/null 2>&1",
             tool, self);
    return status_of(command) == 9;
}

/* Builds this source with ThreadSanitizer and runs its race; true if TSan
 * reported it, -1 if it could not be built here. */
static int tsan_finds(void)
{
    char command[8192];
    snprintf(command, sizeof command,
             "gcc -std=gnu11 -g -O1 -fsanitize=thread %s -o /tmp/race_tools_tsan_%d "
             ">/dev/null 2>&1", __FILE__, (int)getpid());
    if (status_of(command) != 0)
        return -1;
    snprintf(command, sizeof command,
             "TSAN_OPTIONS=exitcode=9 /tmp/race_tools_tsan_%d race >/dev/null 2>&1; "
             "s=$?; rm -f /tmp/race_tools_tsan_%d; exit $s", (int)getpid(), (int)getpid());
    return status_of(command) == 9;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "race") == 0)
        return race();

    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len < 0)
        return 1;
    self[len] = '\0';

    bool memcheck = valgrind_finds(self, "memcheck");
    bool helgrind = valgrind_finds(self, "helgrind");
    bool drd = valgrind_finds(self, "drd");
    int tsan = tsan_finds();
    printf("memcheck:         %s\n", memcheck ? "race reported" : "nothing");
    printf("helgrind:         %s\n", helgrind ? "race reported" : "nothing");
    printf("drd:              %s\n", drd ? "race reported" : "nothing");
    printf("ThreadSanitizer:  %s\n", tsan < 0 ? "could not build " __FILE__ " from here"
                                     : tsan ? "race reported" : "nothing");
    if (memcheck || !helgrind || !drd || tsan != 1) {
        puts("unexpected: see the lesson's section on atomic counts");
        return 1;
    }
    return 0;
}
