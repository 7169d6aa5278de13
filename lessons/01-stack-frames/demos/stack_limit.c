/*
 * stack_limit.c: how big is the stack? Measured, not quoted.
 *
 * Prints the main thread's limit (RLIMIT_STACK, what `ulimit -s` shows), how
 * much of the main stack is mapped right now, the stack size a new thread
 * gets by default (pthread_attr_getstacksize on a default attribute object)
 * and the smallest stack a thread may ask for. Then it re-runs itself under
 * other limits to show where the thread default comes from.
 *
 * Checks (exit 1 if one fails; the lesson's text depends on them):
 *   1. with a finite RLIMIT_STACK, the default thread stack equals it
 *      (rounded up to a whole page): glibc derives one from the other;
 *   2. it does so once, at program start: lowering the limit later does not
 *      change the default;
 *   3. under `ulimit -s unlimited` threads still get a finite default.
 *
 * Build: gcc -std=gnu11 -Wall -Wextra -O0 -g -pthread stack_limit.c -o stack_limit
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define KIB 1024u
#define MIB (1024u * 1024u)

/* Returns the stack size a thread created with default attributes gets. */
static size_t default_thread_stack(void)
{
    pthread_attr_t attr;
    size_t size = 0;

    if (pthread_attr_init(&attr) != 0)
        return 0;
    if (pthread_attr_getstacksize(&attr, &size) != 0)
        size = 0;
    pthread_attr_destroy(&attr);
    return size;
}

/* Returns the size of the [stack] mapping in /proc/self/maps, or 0. */
static size_t mapped_main_stack(void)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    size_t size = 0;

    if (!maps)
        return 0;
    while (fgets(line, sizeof line, maps)) {
        uintptr_t lo, hi;
        if (strstr(line, "[stack]") && sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2)
            size = hi - lo;
    }
    fclose(maps);
    return size;
}

/* What the check expects from a finite limit: whole pages, at least the minimum. */
static size_t expected_default(rlim_t limit)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t min = (size_t)sysconf(_SC_THREAD_STACK_MIN);
    size_t size = (limit + page - 1) / page * page;

    return size < min ? min : size;
}

static void print_limit(const char *label, rlim_t limit)
{
    if (limit == RLIM_INFINITY)
        printf("%-40s unlimited\n", label);
    else
        printf("%-40s %9ju bytes (%ju KiB)\n", label, (uintmax_t)limit,
               (uintmax_t)limit / KIB);
}

static void print_size(const char *label, size_t size)
{
    printf("%-40s %9zu bytes (%zu KiB)\n", label, size, size / KIB);
}

/*
 * Runs in a process exec'd under a new limit: reports and checks what this
 * fresh program start derived from it. Returns the exit status.
 */
static int report_fresh_start(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0)
        return EXIT_FAILURE;
    size_t thread_default = default_thread_stack();

    if (rl.rlim_cur == RLIM_INFINITY)
        printf("  %20s  %20zu\n", "unlimited", thread_default);
    else
        printf("  %20ju  %20zu\n", (uintmax_t)rl.rlim_cur, thread_default);
    if (rl.rlim_cur == RLIM_INFINITY) {
        if (thread_default == 0 || thread_default == SIZE_MAX) {
            puts("CONTRADICTS THE LESSON: threads get a finite default");
            return EXIT_FAILURE;
        }
    } else if (thread_default != expected_default(rl.rlim_cur)) {
        puts("CONTRADICTS THE LESSON: the thread default follows RLIMIT_STACK");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}

/* Runs this program again with the soft stack limit set to limit. */
static bool rerun_with_limit(rlim_t limit)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0)
        return false;
    if (rl.rlim_max != RLIM_INFINITY && (limit == RLIM_INFINITY || limit > rl.rlim_max)) {
        puts("  (one limit skipped: above the hard limit)");
        return true;
    }

    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        rl.rlim_cur = limit;
        if (setrlimit(RLIMIT_STACK, &rl) == 0)
            execl("/proc/self/exe", "stack_limit", "--fresh-start", (char *)NULL);
        perror("stack_limit: re-running");
        _exit(EXIT_FAILURE);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--fresh-start") == 0)
        return report_fresh_start();

    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0) {
        perror("getrlimit");
        return EXIT_FAILURE;
    }
    size_t thread_default = default_thread_stack();
    bool ok = true;

    puts("This process:");
    print_limit("  RLIMIT_STACK (ulimit -s) soft limit", rl.rlim_cur);
    print_limit("  RLIMIT_STACK hard limit", rl.rlim_max);
    print_size("  main stack mapped right now", mapped_main_stack());
    print_size("  default thread stack", thread_default);
    print_size("  PTHREAD_STACK_MIN", (size_t)sysconf(_SC_THREAD_STACK_MIN));
    if (rl.rlim_cur != RLIM_INFINITY && thread_default != expected_default(rl.rlim_cur)) {
        puts("CONTRADICTS THE LESSON: the thread default follows RLIMIT_STACK");
        ok = false;
    }

    /* Lower the limit now: the default was computed at start, so it stays. */
    struct rlimit lowered = { .rlim_cur = 1 * MIB, .rlim_max = rl.rlim_max };
    if (setrlimit(RLIMIT_STACK, &lowered) == 0) {
        size_t after = default_thread_stack();
        print_size("  after setrlimit(1 MiB), thread default", after);
        if (after != thread_default) {
            puts("CONTRADICTS THE LESSON: the default is fixed at program start");
            ok = false;
        }
        setrlimit(RLIMIT_STACK, &rl);
    }

    puts("The same program started again (exec) under other limits:");
    printf("  %20s  %20s\n", "RLIMIT_STACK (bytes)", "thread default (bytes)");
    const rlim_t limits[] = { 2 * MIB, 64 * MIB, 1000 * KIB + 1, RLIM_INFINITY };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        ok &= rerun_with_limit(limits[i]);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
