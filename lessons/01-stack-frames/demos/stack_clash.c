/*
 * stack_clash.c: a VLA larger than the guard page steps over it.
 *
 * A thread gets a 64 KiB stack that the demo mapped itself, with a 4096-byte
 * guard page below it and, below the guard, 1 MiB of ordinary memory (the
 * "victim", standing for another thread's stack or the heap). The thread
 * declares a 128 KiB VLA and writes its first element, the lowest address.
 *
 * Built as the lesson builds demos (gcc 12 on Debian leaves
 * -fstack-clash-protection off), the VLA moves the stack pointer past the
 * guard in one step and the write lands in the victim, silently. The demo
 * then rebuilds its own source with -fstack-clash-protection, whose code
 * touches every page as the stack pointer moves down, and runs that copy:
 * it must stop with SIGSEGV in the guard page.
 * Exits 1 if either behaviour differs on this machine.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define VICTIM (1024 * 1024)
#define GUARD 4096
#define STACK (64 * 1024)
#define VLA_BYTES (128 * 1024)

static unsigned char *victim;
static unsigned char *vla_first; /* where the VLA's first byte was */

/* Declares a VLA of n bytes and writes its lowest byte. */
static void *big_vla(void *arg)
{
    size_t n = *(size_t *)arg;
    volatile char buf[n];

    buf[0] = 'X'; /* the lowest address of the array */
    vla_first = (unsigned char *)&buf[0];
    return NULL;
}

/* Runs big_vla on a thread whose stack sits above a guard page and the
 * victim. Returns where the VLA's first byte landed. */
static void *run_clash(void)
{
    size_t total = VICTIM + GUARD + STACK;
    unsigned char *area = mmap(NULL, total, PROT_READ | PROT_WRITE,
                               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (area == MAP_FAILED || mprotect(area + VICTIM, GUARD, PROT_NONE) != 0)
        exit(2);
    victim = area;
    memset(victim, 0, VICTIM);

    pthread_attr_t attr;
    pthread_t thread;
    size_t n = VLA_BYTES;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, area + VICTIM + GUARD, STACK);
    if (pthread_create(&thread, &attr, big_vla, &n) != 0 || pthread_join(thread, NULL) != 0)
        exit(2);
    return vla_first;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--clash-only") == 0) {
        run_clash();
        return 0; /* reached only if the write did not fault */
    }

    unsigned char *first = run_clash();
    int landed_in_victim = first >= victim && first < victim + VICTIM && *first == 'X';
    printf("without -fstack-clash-protection: VLA of %d KiB on a %d KiB stack,\n"
           "  its first byte at %p: %s\n", VLA_BYTES / 1024, STACK / 1024, (void *)first,
           landed_in_victim ? "below the guard page, in the victim memory, no fault"
                            : "NOT IN THE VICTIM  CONTRADICTS THE LESSON");

    /* The same source, rebuilt with stack probes. */
    char dir[] = "/tmp/stack_clash.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    char command[4096];
    snprintf(command, sizeof command,
             "gcc -std=gnu11 -O0 -pthread -fstack-clash-protection %s -o %s/probed", __FILE__, dir);
    printf("$ %s\n", command);
    if (system(command) != 0) {
        printf("could not rebuild %s: run this demo from the course's root\n", __FILE__);
        return 1;
    }
    char probed[4096];
    snprintf(probed, sizeof probed, "%s/probed", dir);
    printf("$ %s --clash-only\n", probed);
    int status = 0;
    pid_t child = fork();
    if (child == 0) {
        execl(probed, probed, "--clash-only", (char *)NULL);
        _exit(127);
    }
    int segv = child > 0 && waitpid(child, &status, 0) == child && WIFSIGNALED(status)
               && WTERMSIG(status) == SIGSEGV;
    printf("with -fstack-clash-protection: %s\n",
           segv ? "killed by SIGSEGV, touching the guard page"
                : "NOT KILLED BY SIGSEGV  CONTRADICTS THE LESSON");
    snprintf(command, sizeof command, "rm -rf %s", dir);
    if (system(command) != 0)
        return 1;
    return landed_in_victim && segv ? 0 : 1;
}
