/*
 * cet.c: a victim, not a demo. Built with -fcf-protection, gcc starts every
 * function that may be called indirectly with endbr64 and marks the binary
 * as ready for Intel CET's indirect branch tracking (IBT) and shadow stack
 * (SHSTK). Whether either is enforced is up to the CPU, the kernel and the
 * C library. This program checks both from the inside:
 *
 * - it calls, through a pointer, a function built without endbr64
 *   (nocf_check): where IBT is enforced, that call faults;
 * - it asks the kernel whether its shadow stack is on
 *   (arch_prctl(ARCH_SHSTK_STATUS), Linux 6.6 and later; older kernels
 *   answer EINVAL).
 *
 * Prints one line for each and exits 0. demos/defences.c builds it with
 * -fcf-protection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* From Linux's arch/x86/include/uapi/asm/prctl.h (6.6). */
#define ARCH_SHSTK_STATUS 0x5005
#define ARCH_SHSTK_SHSTK (1ULL << 0)

static __attribute__((nocf_check, noinline)) int no_landing_pad(int x)
{
    return x + 1;
}

int main(void)
{
    int (*volatile fn)(int) = (int (*)(int))no_landing_pad;

    printf("indirect call to a function without endbr64: ran, returned %d\n", fn(41));

    unsigned long long features = 0;
    if (syscall(SYS_arch_prctl, ARCH_SHSTK_STATUS, &features) != 0)
        printf("shadow stack: off (arch_prctl(ARCH_SHSTK_STATUS): %s)\n", strerror(errno));
    else
        printf("shadow stack: %s (arch_prctl(ARCH_SHSTK_STATUS): features %#llx)\n",
               features & ARCH_SHSTK_SHSTK ? "on" : "off", features);
    return 0;
}
