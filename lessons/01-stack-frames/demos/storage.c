/*
 * storage.c: where each kind of object lives. Prints the address of one
 * object of every storage duration, finds the line of /proc/self/maps
 * that holds it, and checks the lesson's claims:
 *   - string literals and functions are in read-only mappings of the program,
 *     and writing into a literal is a crash (SIGSEGV) here;
 *   - globals and static locals are in the program's writable data (data, or
 *     bss for those that start at zero), never in the heap;
 *   - malloc'd blocks are in the heap (small) or in a mapping of their own
 *     (large);
 *   - locals are on the stack of the thread that runs them;
 *   - each thread has its own copy of a _Thread_local object.
 * Exits 1 if any claim fails on this machine.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* One line of /proc/self/maps. */
struct region {
    uintptr_t start, end; /* [start, end) */
    char perms[5];        /* "r-xp"... */
    char name[256];       /* file path, [heap], [stack], or "" */
};

int initialised_global = 42;     /* static storage: .data */
int zeroed_global;               /* static storage: .bss */
_Thread_local int per_thread = 7; /* thread storage: one per thread */

/* Section boundaries that GNU ld defines for every program. */
extern char __data_start[], _edata[], __bss_start[], _end[];

static const char *program;       /* this program's path, for the map's names */
static bool all_hold = true;

/* Finds the mapping holding addr. Returns false if there is none. */
static bool region_of(uintptr_t addr, struct region *out)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    bool found = false;

    if (!maps)
        return false;
    while (!found && fgets(line, sizeof line, maps)) {
        struct region r = { .name = "" };

        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255s", &r.start, &r.end,
                   r.perms, r.name) < 3)
            continue;
        if (r.start <= addr && addr < r.end) {
            *out = r;
            found = true;
        }
    }
    fclose(maps);
    return found;
}

/* Short name of a mapping: the program, a library, [heap], [stack]... */
static const char *region_name(const struct region *r)
{
    if (r->name[0] == '\0')
        return "(anonymous mapping)";
    if (strcmp(r->name, program) == 0)
        return "(this program)";
    const char *slash = strrchr(r->name, '/');
    return slash ? slash + 1 : r->name;
}

/* Prints one object and checks where it is. want: "program", "heap",
 * "stack", "anonymous"; writable: whether the mapping must be writable. */
static void show(const char *what, const void *p, const char *want, bool writable)
{
    struct region r;

    if (!region_of((uintptr_t)p, &r)) {
        printf("%-28s %14p  in no mapping  CONTRADICTS THE LESSON\n", what, p);
        all_hold = false;
        return;
    }
    bool in_place = (strcmp(want, "program") == 0 && strcmp(r.name, program) == 0)
                    || (strcmp(want, "heap") == 0 && strcmp(r.name, "[heap]") == 0)
                    || (strcmp(want, "stack") == 0 && strcmp(r.name, "[stack]") == 0)
                    || (strcmp(want, "anonymous") == 0 && r.name[0] == '\0');
    bool perms_ok = (r.perms[1] == 'w') == writable;

    printf("%-28s %14p  %s %-20s%s\n", what, p, r.perms, region_name(&r),
           in_place && perms_ok ? "" : "  CONTRADICTS THE LESSON");
    all_hold = all_hold && in_place && perms_ok;
}

/* Which section of the program's writable data holds p. */
static const char *section_of(const void *p)
{
    uintptr_t a = (uintptr_t)p;

    if (a >= (uintptr_t)__data_start && a < (uintptr_t)_edata)
        return "data";
    if (a >= (uintptr_t)__bss_start && a < (uintptr_t)_end)
        return "bss";
    return "neither";
}

/* Checks that p is in the section the lesson says. */
static void check_section(const char *what, const void *p, const char *want)
{
    bool ok = strcmp(section_of(p), want) == 0;

    printf("  %-26s is in %s%s\n", what, section_of(p), ok ? "" : "  CONTRADICTS THE LESSON");
    all_hold = all_hold && ok;
}

static void *thread_main(void *arg)
{
    int thread_local_auto = 0;
    struct region stack, tls;

    (void)arg;
    show("thread: a local", &thread_local_auto, "anonymous", true);
    show("thread: its per_thread", &per_thread, "anonymous", true);
    /* glibc puts a thread's TLS at the top of the thread's stack mapping. */
    bool together = region_of((uintptr_t)&thread_local_auto, &stack)
                    && region_of((uintptr_t)&per_thread, &tls) && stack.start == tls.start;
    printf("  the thread's local and its per_thread share one mapping: %s\n",
           together ? "yes" : "NO  CONTRADICTS THE LESSON");
    all_hold = all_hold && together;
    return &per_thread; /* its address, to compare with main's copy */
}

int main(int argc, char **argv)
{
    static int static_local = 1;   /* static storage, visible only in main */
    static int static_local_zero;  /* static storage, starts at 0: bss */
    int automatic = 0;             /* automatic storage: main's frame */
    const char *literal = "a string literal";
    char *small = malloc(16);
    char *large = malloc(1 << 20);
    char path[256];
    ssize_t len = readlink("/proc/self/exe", path, sizeof path - 1);

    if (!small || !large || len <= 0)
        return 1;
    path[len] = '\0';
    program = path;

    puts("object                       address         mapping");
    show("main (code)", (const void *)(uintptr_t)main, "program", false);
    show("\"a string literal\"", literal, "program", false);
    show("initialised_global", &initialised_global, "program", true);
    show("static local", &static_local, "program", true);
    show("zeroed_global", &zeroed_global, "program", true);
    show("static local, zero", &static_local_zero, "program", true);
    check_section("initialised_global", &initialised_global, "data");
    check_section("static local", &static_local, "data");
    check_section("zeroed_global", &zeroed_global, "bss");
    check_section("static local, zero", &static_local_zero, "bss");
    show("malloc(16)", small, "heap", true);
    show("malloc(1 MiB)", large, "anonymous", true);
    show("a local of main", &automatic, "stack", true);
    show("argv[0] (from the kernel)", argv[0], "stack", true);

    /* main's copy of per_thread: glibc puts the main thread's TLS in a
     * block it allocates at start-up; print where it landed. */
    struct region r;
    if (region_of((uintptr_t)&per_thread, &r))
        printf("%-28s %14p  %s %s\n", "main: its per_thread", (void *)&per_thread,
               r.perms, region_name(&r));

    pthread_t thread;
    void *theirs = NULL;
    if (pthread_create(&thread, NULL, thread_main, NULL) != 0
        || pthread_join(thread, &theirs) != 0)
        return 1;
    bool distinct = theirs != &per_thread;
    printf("per_thread: main's copy at %p, the thread's at %p: %s\n",
           (void *)&per_thread, theirs, distinct ? "two objects" : "ONE OBJECT");

    /* Writing into a string literal, in a child process. */
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char *writable = (char *)(uintptr_t)literal; /* BUG on purpose */
        writable[0] = 'A';
        _exit(0);
    }
    int status = 0;
    bool crashed = child > 0 && waitpid(child, &status, 0) == child && WIFSIGNALED(status)
                   && WTERMSIG(status) == SIGSEGV;
    printf("writing into the literal: %s\n",
           crashed ? "SIGSEGV" : "NO CRASH  CONTRADICTS THE LESSON");
    all_hold = all_hold && crashed;

    struct region heap;
    bool heap_found = region_of((uintptr_t)small, &heap);
    bool global_off_heap = heap_found
                           && !((uintptr_t)&zeroed_global >= heap.start
                                && (uintptr_t)&zeroed_global < heap.end)
                           && !((uintptr_t)&initialised_global >= heap.start
                                && (uintptr_t)&initialised_global < heap.end);
    printf("globals on the heap? %s\n", global_off_heap ? "no" : "YES");

    if (argc > 1 && strcmp(argv[1], "--maps") == 0) {
        FILE *maps = fopen("/proc/self/maps", "r");
        char line[512];

        puts("\n/proc/self/maps:");
        while (maps && fgets(line, sizeof line, maps))
            fputs(line, stdout);
        if (maps)
            fclose(maps);
    }
    free(large);
    free(small);
    if (!all_hold || !distinct || !global_off_heap) {
        puts("CONTRADICTS THE LESSON");
        return 1;
    }
    return 0;
}
