/*
 * clash.c: a victim, not a demo. A thread with a 64 KiB stack, a 4 KiB
 * guard page below it, and below the guard a 256 KiB "neighbour" mapping
 * standing for whatever else lives there (another thread's stack, the
 * heap). big_frame() has a 128 KiB local array: its frame is 32 times the
 * guard. demos/defences.c builds this with and without
 * -fstack-clash-protection.
 *
 * Prints where the first write into the big frame went: exits 0 if it
 * landed in the neighbour (the frame jumped the guard), 3 if it faulted in
 * the guard page (caught on an alternate signal stack), 4 if it faulted
 * anywhere else.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define KIB 1024u
#define NEIGHBOUR (256 * KIB)
#define GUARD (4 * KIB)
#define STACK (64 * KIB)

static unsigned char *region; /* [neighbour | guard | stack], low to high */

static void on_segv(int sig, siginfo_t *info, void *context)
{
    const uintptr_t addr = (uintptr_t)info->si_addr, guard = (uintptr_t)region + NEIGHBOUR;
    static const char in_guard[] = "SIGSEGV in the guard page: the probe caught the big frame\n";
    static const char elsewhere[] = "SIGSEGV outside the guard page\n";

    (void)sig;
    (void)context;
    if (guard <= addr && addr < guard + GUARD) {
        write(STDOUT_FILENO, in_guard, sizeof in_guard - 1);
        _exit(3);
    }
    write(STDOUT_FILENO, elsewhere, sizeof elsewhere - 1);
    _exit(4);
}

static __attribute__((noinline)) void big_frame(void)
{
    volatile char big[128 * KIB];

    big[0] = 'X'; /* the lowest byte of the frame: 128 KiB below the caller */
    printf("wrote big[0] at %p: %s\n", (void *)&big[0],
           (unsigned char *)&big[0] < region + NEIGHBOUR ? "inside the neighbour, past the guard"
                                                         : "inside the stack");
}

static void *run(void *arg)
{
    /* The handler runs on the thread that faults, whose stack pointer is
     * then in the guard: give this thread an alternate signal stack. */
    static char alt[64 * KIB];
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };

    (void)arg;
    sigaltstack(&ss, NULL);
    big_frame();
    return NULL;
}

int main(void)
{
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    pthread_attr_t attr;
    pthread_t thread;

    region = mmap(NULL, NEIGHBOUR + GUARD + STACK, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED || mprotect(region + NEIGHBOUR, GUARD, PROT_NONE) != 0)
        return 1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    printf("neighbour %p..%p, guard %p..%p, stack %p..%p\n", (void *)region,
           (void *)(region + NEIGHBOUR), (void *)(region + NEIGHBOUR),
           (void *)(region + NEIGHBOUR + GUARD), (void *)(region + NEIGHBOUR + GUARD),
           (void *)(region + NEIGHBOUR + GUARD + STACK));
    fflush(stdout);
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, region + NEIGHBOUR + GUARD, STACK);
    if (pthread_create(&thread, &attr, run, NULL) != 0)
        return 1;
    pthread_join(thread, NULL);
    return 0;
}
