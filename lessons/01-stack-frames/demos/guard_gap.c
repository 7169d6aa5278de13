/*
 * guard_gap.c: the main thread's stack stops growing well before
 * RLIMIT_STACK when another mapping lies below it. The kernel keeps a gap
 * (`stack_guard_gap`, 256 pages = 1 MiB by default) between a growing stack
 * and the mapping under it; a fault inside that gap is a SIGSEGV.
 *
 * The demo maps one page 3 MiB below the stack pointer, then touches the
 * stack one page lower at a time until SIGSEGV, caught on a separate
 * signal stack. It checks that the fault came exactly 1 MiB above that
 * mapping, about 2 MiB below the stack pointer, with RLIMIT_STACK far
 * away. Exits 1 if not.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define PAGE 4096u
#define MIB (1024u * 1024)
#define EXPECTED_GAP MIB /* the kernel's default stack_guard_gap: 256 pages */

static uintptr_t sp_at_start;  /* about where the stack pointer was */
static uintptr_t below_end;    /* end of the mapping placed below the stack */
static volatile uintptr_t lowest_touched;

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    uintptr_t fault = (uintptr_t)info->si_addr;
    uintptr_t gap = fault + PAGE - below_end; /* from the mapping to the fault's page */
    struct rlimit rl;
    getrlimit(RLIMIT_STACK, &rl);

    printf("SIGSEGV touching %#lx:\n", (unsigned long)fault);
    printf("  %lu KiB below the stack pointer (RLIMIT_STACK is %lu KiB)\n",
           (unsigned long)((sp_at_start - fault) / 1024), (unsigned long)(rl.rlim_cur / 1024));
    printf("  the stack had grown down to %#lx, %lu KiB above the mapping below it;\n"
           "  one page lower would have left less than that gap\n",
           (unsigned long)lowest_touched, (unsigned long)(lowest_touched - below_end) / 1024);
    int holds = gap == EXPECTED_GAP && sp_at_start - fault < rl.rlim_cur;
    puts(holds ? "the guard gap is 1 MiB, and the stack stopped there, long before its limit"
               : "CONTRADICTS THE LESSON");
    fflush(stdout);
    _exit(holds ? 0 : 1);
}

int main(void)
{
    volatile char here = 0;
    sp_at_start = (uintptr_t)&here;

    /* A mapping 3 MiB below the stack pointer, page-aligned. */
    uintptr_t place = (sp_at_start - 3 * MIB) & ~(uintptr_t)(PAGE - 1);
    void *below = mmap((void *)place, PAGE, PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (below == MAP_FAILED || (uintptr_t)below != place) {
        puts("could not map a page 3 MiB below the stack");
        return 1;
    }
    below_end = place + PAGE;
    printf("stack pointer about %#lx; one page mapped at %#lx..%#lx, %lu KiB below it\n",
           (unsigned long)sp_at_start, (unsigned long)place, (unsigned long)below_end,
           (unsigned long)((sp_at_start - below_end) / 1024));

    static char alt[64 * 1024];
    stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGSEGV, &sa, NULL) != 0)
        return 1;

    /* Touch the stack one page lower at a time, below the stack pointer. */
    for (uintptr_t at = (sp_at_start & ~(uintptr_t)(PAGE - 1)) - PAGE; at > below_end; at -= PAGE) {
        *(volatile char *)at = 1;
        lowest_touched = at;
    }
    puts("the stack grew right down to the mapping: CONTRADICTS THE LESSON");
    return 1;
}
