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
 *   3. under `ulimit -s unlimited` threads still get a finite default;
 *   4. the main thread's stack that glibc reports (pthread_getattr_np) is
 *      RLIMIT_STACK minus the whole pages that the arguments and the
 *      environment already fill above __libc_stack_end: a larger
 *      environment makes it smaller.
 *
 * Run: make demo LESSON=01 DEMO=stack_limit
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

/* Where the kernel put the arguments and environment: glibc's record of
 * the stack's starting point, just below them. */
extern void *__libc_stack_end;

/* Finds the [stack] mapping in /proc/self/maps; returns its size, or 0,
 * and its top in *top when top is not NULL. */
static size_t main_stack_mapping(uintptr_t *top)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    size_t size = 0;

    if (!maps)
        return 0;
    while (fgets(line, sizeof line, maps)) {
        uintptr_t lo, hi;
        if (strstr(line, "[stack]") && sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) == 2) {
            size = hi - lo;
            if (top)
                *top = hi;
        }
    }
    fclose(maps);
    return size;
}

static size_t mapped_main_stack(void)
{
    return main_stack_mapping(NULL);
}

/*
 * Prints the main thread's stack as glibc reports it, and the pages above
 * __libc_stack_end (arguments, environment) that it leaves out. Checks
 * that report == RLIMIT_STACK - those pages, rounded down to a page.
 */
static bool report_main_stack(const char *label)
{
    pthread_attr_t attr;
    void *addr = NULL;
    size_t reported = 0;
    uintptr_t top = 0;
    struct rlimit rl;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);

    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return false;
    pthread_attr_getstack(&attr, &addr, &reported);
    pthread_attr_destroy(&attr);
    if (getrlimit(RLIMIT_STACK, &rl) != 0 || main_stack_mapping(&top) == 0)
        return false;
    uintptr_t stack_end = ((uintptr_t)__libc_stack_end + page - 1) / page * page;
    size_t above = top - stack_end;
    size_t expected = (rl.rlim_cur - above) / page * page;

    printf("  %-36s %5zu KiB reported; args and environment fill %3zu KiB above it\n",
           label, reported / KIB, above / KIB);
    if (rl.rlim_cur != RLIM_INFINITY && reported != expected) {
        printf("CONTRADICTS THE LESSON: expected %zu KiB\n", expected / KIB);
        return false;
    }
    return true;
}

/* Runs in a process exec'd with a larger environment. */
static int report_big_environment(void)
{
    return report_main_stack("with a 20,000-byte variable added:") ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Waits for the copy of this program started as pid (fork() failed if it
 * is negative); true when it exited with EXIT_SUCCESS. */
static bool rerun_succeeded(pid_t pid)
{
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return false;
    return WIFEXITED(status) && WEXITSTATUS(status) == EXIT_SUCCESS;
}

/* Runs this program again with one more, 20,000-byte, environment variable. */
static bool rerun_with_big_environment(void)
{
    static char big[20000 + sizeof "BIG="] = "BIG=";

    memset(big + 4, 'x', 20000);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        if (putenv(big) == 0)
            execl("/proc/self/exe", "stack_limit", "--big-environment", (char *)NULL);
        perror("stack_limit: re-running");
        _exit(EXIT_FAILURE);
    }
    return rerun_succeeded(pid);
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
    if (pid == 0) {
        rl.rlim_cur = limit;
        if (setrlimit(RLIMIT_STACK, &rl) == 0)
            execl("/proc/self/exe", "stack_limit", "--fresh-start", (char *)NULL);
        perror("stack_limit: re-running");
        _exit(EXIT_FAILURE);
    }
    return rerun_succeeded(pid);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--fresh-start") == 0)
        return report_fresh_start();
    if (argc == 2 && strcmp(argv[1], "--big-environment") == 0)
        return report_big_environment();

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

    puts("The main thread's stack, as pthread_getattr_np reports it:");
    ok &= report_main_stack("this run:");
    ok &= rerun_with_big_environment();

    puts("The same program started again (exec) under other limits:");
    printf("  %20s  %20s\n", "RLIMIT_STACK (bytes)", "thread default (bytes)");
    const rlim_t limits[] = { 2 * MIB, 64 * MIB, 1000 * KIB + 1, RLIM_INFINITY };
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        ok &= rerun_with_limit(limits[i]);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
